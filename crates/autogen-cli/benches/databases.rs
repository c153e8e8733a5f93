//! `autogen diff --from URL --to URL` on two large databases, side by side
//! with one `pg_dump --schema-only` of one of them: the schema of N tables
//! (N = 5,000 by default; the one autogen-introspect's benchmark generates)
//! is loaded into two databases of one ephemeral cluster, the second with a
//! column added to every hundredth table, and the release binary's diff and
//! pg_dump run in turn, several times. Prints a row of docs/PERFORMANCE.md:
//! each one's median, the median of the paired ratios (diff / pg_dump), and
//! the diff process's peak resident memory (median and largest).
//!
//! ```sh
//! cargo bench -p autogen-cli --bench databases                 # 5,000 tables
//! cargo bench -p autogen-cli --bench databases -- --tables 1000
//! ```

use std::time::{Duration, Instant};

#[path = "../../autogen-introspect/benches/support/generated_schema.rs"]
mod generated_schema;
mod support;

const RUNS: usize = 7;

fn main() {
    support::measure_if_asked();
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let tables: usize = match arguments.iter().position(|argument| argument == "--tables") {
        Some(position) => arguments[position + 1].parse().expect("--tables takes a number"),
        None => 5_000,
    };
    let sql = generated_schema::generate_schema(tables);
    let changed: String = (0..tables)
        .step_by(100)
        .map(|table| format!("ALTER TABLE t{table} ADD COLUMN added integer;\n"))
        .collect();
    let cluster = autogen_pgtemp::Server::Cluster(autogen_pgtemp::Cluster::start().unwrap());
    let from = cluster.create_database().unwrap();
    let to = cluster.create_database().unwrap();
    let started = Instant::now();
    from.load_sql(&sql).unwrap();
    to.load_sql(&format!("{sql}{changed}")).unwrap();
    let load = started.elapsed();

    let mut diffs: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut dumps: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut ratios: Vec<f64> = Vec::with_capacity(RUNS);
    let mut peaks: Vec<u64> = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let (took, peak) = diff(from.url(), to.url());
        diffs.push(took);
        peaks.push(peak);
        let started = Instant::now();
        from.dump_schema().unwrap();
        dumps.push(started.elapsed());
        ratios.push(took.as_secs_f64() / started.elapsed().as_secs_f64());
    }
    diffs.sort();
    dumps.sort();
    peaks.sort();
    ratios.sort_by(f64::total_cmp);
    println!(
        "| tables | load (psql, both) | autogen diff --from URL --to URL (median of {RUNS}) | pg_dump --schema-only (median) | diff / pg_dump (paired, median) | diff peak memory (median, largest) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {tables} | {:.1} s | {} ms | {} ms | {:.2} | {} MiB, {} MiB |",
        load.as_secs_f64(),
        diffs[RUNS / 2].as_millis(),
        dumps[RUNS / 2].as_millis(),
        ratios[RUNS / 2],
        peaks[RUNS / 2] / 1024,
        peaks[RUNS - 1] / 1024,
    );
}

/// One run of the release `autogen diff --from FROM --to TO`: its time
/// and peak memory (KiB).
fn diff(from: &str, to: &str) -> (Duration, u64) {
    support::measured(&["diff", "--from", from, "--to", to, "--quiet"])
}
