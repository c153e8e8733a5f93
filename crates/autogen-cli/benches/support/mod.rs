//! What the CLI's benchmarks share: running the release binary once and
//! measuring it.

use std::process::Command;
use std::time::{Duration, Instant};

/// Runs the release `autogen ARGS…` (its output discarded); how long it
/// took and its peak resident memory in KiB (`ru_maxrss` of that child
/// alone, from `wait4`). Panics when it fails.
// The child is reaped by `wait4`, which also gives its own peak memory.
#[allow(clippy::zombie_processes)]
pub(crate) fn measured(args: &[&str]) -> (Duration, u64) {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_autogen"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("running autogen");
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not waited for before; the pointers are
    // to live locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let took = started.elapsed();
    assert_eq!(waited, pid, "waiting for autogen");
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "autogen {args:?} failed");
    (took, u64::try_from(usage.ru_maxrss).unwrap_or(0))
}
