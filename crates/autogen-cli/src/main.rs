//! The `autogen` binary: parse the command line, run, report.

use std::process::ExitCode;

// Reading SQL hands statements from the reading thread to the applying
// one; mimalloc frees across threads cheaply where the system allocator
// doubles the time of a large file (docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's options, as its header (v3, what libmimalloc-sys 0.1 builds)
// numbers them; set through its C API, which the crate's default features
// do not bind. Each is set only where it holds mimalloc's default: a
// `MIMALLOC_*` variable the user set wins, and a mimalloc whose options
// are numbered (or default) otherwise is left alone.
unsafe extern "C" {
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}
const MI_OPTION_ARENA_EAGER_COMMIT: std::ffi::c_int = 4;
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// Sets mimalloc's `option` to `value` when it holds `default`.
fn set_if_default(option: std::ffi::c_int, default: std::ffi::c_long, value: std::ffi::c_long) {
    // SAFETY: mimalloc's option calls take any option number and value;
    // they read (the environment, the first time) and write its option
    // table.
    unsafe {
        if mi_option_get(option) == default {
            mi_option_set(option, value);
        }
    }
}

/// Before `main`, before mimalloc reserves its first arena: arenas
/// committed as they fill rather than whole, and memory freed returned to
/// the system after 10 ms rather than a second (at once costs reading SQL
/// across threads a third more time in the kernel). A diff of two
/// databases of 5,000 tables then peaks at ~165 MiB rather than ~230, and
/// takes less time; reading 5,000 tables of SQL ~0.07 s more, in 140 MiB
/// rather than 190 (docs/PERFORMANCE.md). Linux only (`.init_array`);
/// elsewhere `main` sets the purge delay alone.
extern "C" fn return_memory_early() {
    set_if_default(MI_OPTION_ARENA_EAGER_COMMIT, 2, 0);
    set_if_default(MI_OPTION_PURGE_DELAY, 1000, 10);
}

#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static RETURN_MEMORY_EARLY: extern "C" fn() = return_memory_early;

fn main() -> ExitCode {
    #[cfg(not(target_os = "linux"))]
    return_memory_early();
    let cli = autogen_cli::parse();
    match autogen_cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            autogen_cli::output::error(&autogen_cli::error_line(&error));
            ExitCode::from(2)
        }
    }
}
