//! The daily commands end to end, as a person or a pre-commit hook runs
//! them: the built `autogen` binary in `examples/blog` (its migrations
//! replayed in memory, its schema read, the two diffed; no database).
//! Reports the median and fastest of 21 runs of each command, process start
//! included.
//!
//! ```sh
//! cargo bench -p autogen-cli --bench workflow
//! ```

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 21;

fn main() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/blog");
    println!("| command (examples/blog) | median of {RUNS} | fastest |");
    println!("|---|---:|---:|");
    for arguments in [&["check"][..], &["diff"], &["history"], &["inspect"]] {
        let mut times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                let output = Command::new(env!("CARGO_BIN_EXE_autogen"))
                    .args(arguments)
                    .current_dir(&example)
                    .env("NO_COLOR", "1")
                    .output()
                    .expect("running autogen");
                let took = start.elapsed();
                // check exits 1 on the example's pending change; 2 is an error.
                assert_ne!(
                    output.status.code(),
                    Some(2),
                    "{}",
                    String::from_utf8_lossy(&output.stderr)
                );
                took
            })
            .collect();
        times.sort();
        println!(
            "| `autogen {}` | {:.1} ms | {:.1} ms |",
            arguments.join(" "),
            times[RUNS / 2].as_secs_f64() * 1000.0,
            times[0].as_secs_f64() * 1000.0
        );
    }
}
