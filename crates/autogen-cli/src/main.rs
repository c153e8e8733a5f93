//! The `autogen` binary: parse the command line, run, report.

use std::process::ExitCode;

// Reading SQL hands statements from the reading thread to the applying
// one; mimalloc frees across threads cheaply where the system allocator
// doubles the time of a large file (docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = autogen_cli::parse();
    match autogen_cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            autogen_cli::output::error(&autogen_cli::error_line(&error));
            ExitCode::from(2)
        }
    }
}
