//! Introspection speed on large schemas: generates a schema of N tables
//! (N = 1,000 and 5,000 by default), loads it into an ephemeral cluster, and
//! reports the median introspection time over several runs, side by side
//! with `pg_dump --schema-only` of the same database (run after each
//! introspection; the paired ratio's median), and the peak memory of the
//! process that introspected.
//!
//! ```sh
//! just bench                                             # both sizes
//! cargo bench -p autogen-introspect --bench introspect -- --tables 200
//! cargo bench -p autogen-introspect --bench introspect -- --print-sql 1000 > big.sql
//! ```
//!
//! Each size runs in a child process of its own, so its peak resident
//! memory (`VmHWM`) is that size's alone.

use std::process::Command;
use std::time::{Duration, Instant};

#[path = "support/generated_schema.rs"]
mod generated_schema;

use generated_schema::generate_schema;

const DEFAULT_SIZES: &[usize] = &[1_000, 5_000];
const RUNS: usize = 7;

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    if let Some(position) = arguments.iter().position(|argument| argument == "--child") {
        let tables: usize = arguments[position + 1].parse().expect("--child takes a table count");
        child(tables);
        return;
    }
    if let Some(position) = arguments.iter().position(|argument| argument == "--print-sql") {
        print!(
            "{}",
            generate_schema(
                arguments[position + 1].parse().expect("--print-sql takes a table count")
            )
        );
        return;
    }
    let sizes: Vec<usize> = match arguments.iter().position(|argument| argument == "--tables") {
        Some(position) => vec![arguments[position + 1].parse().expect("--tables takes a number")],
        None => DEFAULT_SIZES.to_vec(),
    };

    println!(
        "| tables | columns | indexes | load (psql) | introspect, new connections (median of {RUNS}) | fastest | \
         one warm connection (median) | pg_dump --schema-only (median) | autogen / pg_dump (paired, median) | peak memory |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for tables in sizes {
        let output = Command::new(std::env::current_exe().unwrap())
            .args(["--child", &tables.to_string()])
            .output()
            .expect("running the benchmark child");
        if !output.status.success() {
            eprintln!("{}", String::from_utf8_lossy(&output.stderr));
            panic!("the benchmark for {tables} tables failed");
        }
        print!("{}", String::from_utf8_lossy(&output.stdout));
    }
}

fn child(tables: usize) {
    let sql = generate_schema(tables);
    let cluster = autogen_pgtemp::Server::Cluster(autogen_pgtemp::Cluster::start().unwrap());
    let database = cluster.create_database().unwrap();
    let started = Instant::now();
    database.load_sql(&sql).unwrap();
    let load = started.elapsed();

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let options = autogen_introspect::Options::default();
    let mut shape = (0, 0, 0);
    // What `autogen inspect` does: new connections (two, splitting the
    // per-table queries), so every run pays for cold server caches.
    // Each run is followed by a `pg_dump --schema-only` of the same
    // database, side by side: the paired ratio is the figure to compare.
    let mut cold: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut dumps: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut ratios: Vec<f64> = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let introspection =
            runtime.block_on(autogen_introspect::introspect(database.url(), &options)).unwrap();
        cold.push(started.elapsed());
        let started = Instant::now();
        database.dump_schema().unwrap();
        dumps.push(started.elapsed());
        ratios.push(cold[cold.len() - 1].as_secs_f64() / dumps[dumps.len() - 1].as_secs_f64());
        let schema = &introspection.schema;
        shape = (
            schema.tables.len(),
            schema.tables.values().map(|table| table.columns.len()).sum::<usize>(),
            schema.tables.values().map(|table| table.indexes.len()).sum::<usize>(),
        );
    }
    // One connection, read again and again: the server's caches are warm.
    let mut warm: Vec<Duration> = Vec::with_capacity(RUNS);
    runtime.block_on(async {
        let mut connection = autogen_introspect::connect(database.url()).await.unwrap();
        for _ in 0..RUNS {
            let started = Instant::now();
            autogen_introspect::introspect_connection(&mut connection, &options).await.unwrap();
            warm.push(started.elapsed());
        }
    });
    assert_eq!(shape.0, tables, "every generated table is read");
    cold.sort();
    warm.sort();
    dumps.sort();
    ratios.sort_by(f64::total_cmp);
    println!(
        "| {} | {} | {} | {:.1} s | {} ms | {} ms | {} ms | {} ms | {:.2} | {} MiB |",
        shape.0,
        shape.1,
        shape.2,
        load.as_secs_f64(),
        cold[RUNS / 2].as_millis(),
        cold[0].as_millis(),
        warm[RUNS / 2].as_millis(),
        dumps[RUNS / 2].as_millis(),
        ratios[RUNS / 2],
        peak_memory_kib() / 1024
    );
}

/// `VmHWM` of this process: its peak resident set size, in KiB.
fn peak_memory_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
