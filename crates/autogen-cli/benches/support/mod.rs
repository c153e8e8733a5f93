//! What the CLI's benchmarks share: running the release binary once and
//! measuring it.
//!
//! A child's peak memory (`ru_maxrss`) counts the memory of the process it
//! was started from: Linux carries the high-water mark over `exec`, and
//! the standard library starts children sharing the parent's memory
//! (`vfork`). The benchmark process holds generated SQL of many megabytes,
//! so `autogen` is started by a small process of its own — the benchmark
//! binary again, run with [`CHILD_FLAG`] — which waits for it and reports.

use std::process::Command;
use std::time::{Duration, Instant};

/// The first argument that makes a benchmark binary start `autogen` and
/// report on it ([`measure_if_asked`]).
const CHILD_FLAG: &str = "--measure-autogen";

/// Runs the release `autogen ARGS…` (its output discarded); how long it
/// took and its own peak resident memory in KiB. Panics when it fails.
pub(crate) fn measured(args: &[&str]) -> (Duration, u64) {
    let output = Command::new(std::env::current_exe().expect("the benchmark's own path"))
        .arg(CHILD_FLAG)
        .args(args)
        .output()
        .expect("running the measuring process");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "autogen {args:?} failed: {report}");
    let mut numbers = report.split_whitespace().map(|number| number.parse::<u64>().unwrap());
    let (nanoseconds, peak) = (numbers.next().unwrap(), numbers.next().unwrap());
    (Duration::from_nanos(nanoseconds), peak)
}

/// When the benchmark was started with [`CHILD_FLAG`]: runs `autogen` with
/// the arguments after it, prints `NANOSECONDS PEAK_KIB` (`ru_maxrss` from
/// `wait4`) and exits; otherwise returns.
pub(crate) fn measure_if_asked() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    if arguments.first().map(String::as_str) != Some(CHILD_FLAG) {
        return;
    }
    let (took, peak) = measure(&arguments[1..]);
    println!("{} {peak}", took.as_nanos());
    std::process::exit(0);
}

/// Runs `autogen ARGS…` (output discarded): its time and `ru_maxrss`.
// The child is reaped by `wait4`, which also gives its own peak memory.
#[allow(clippy::zombie_processes)]
fn measure(args: &[String]) -> (Duration, u64) {
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
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        println!("exit status {status}");
        std::process::exit(1);
    }
    (took, u64::try_from(usage.ru_maxrss).unwrap_or(0))
}
