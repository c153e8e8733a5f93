//! Introspection speed on large schemas: generates a schema of N tables
//! (N = 1,000 and 5,000 by default), loads it into an ephemeral cluster, and
//! reports the median introspection time over several runs and the peak
//! memory of the process that introspected.
//!
//! ```sh
//! just bench                                             # both sizes
//! cargo bench -p autogen-introspect --bench introspect -- --tables 200
//! cargo bench -p autogen-introspect --bench introspect -- --print-sql 1000 > big.sql
//! ```
//!
//! Each size runs in a child process of its own, so its peak resident
//! memory (`VmHWM`) is that size's alone.

use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

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
         one warm connection (median) | peak memory |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
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
    let mut cold: Vec<Duration> = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let introspection =
            runtime.block_on(autogen_introspect::introspect(database.url(), &options)).unwrap();
        cold.push(started.elapsed());
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
    println!(
        "| {} | {} | {} | {:.1} s | {} ms | {} ms | {} ms | {} MiB |",
        shape.0,
        shape.1,
        shape.2,
        load.as_secs_f64(),
        cold[RUNS / 2].as_millis(),
        cold[0].as_millis(),
        warm[RUNS / 2].as_millis(),
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

/// A schema of `tables` tables, about ten columns each of mixed types (an
/// enum and an enum array among them), a `vector(384)` column with an HNSW
/// index on every tenth table, two or three indexes per table, and unique,
/// check and foreign key constraints.
fn generate_schema(tables: usize) -> String {
    let mut sql = String::from(
        "CREATE EXTENSION IF NOT EXISTS vector;\n\
         CREATE TYPE status AS ENUM ('draft', 'active', 'archived');\n\
         CREATE TYPE priority AS ENUM ('low', 'normal', 'high', 'urgent');\n",
    );
    for table in 0..tables {
        let _ = write!(
            sql,
            "CREATE TABLE t{table} (\n\
             \x20   id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n\
             \x20   code varchar(40) NOT NULL UNIQUE,\n\
             \x20   title text NOT NULL DEFAULT '',\n\
             \x20   status status NOT NULL DEFAULT 'draft',\n\
             \x20   priorities priority[] NOT NULL DEFAULT '{{}}',\n\
             \x20   amount numeric(12,2) CHECK (amount >= 0),\n\
             \x20   ratio double precision,\n\
             \x20   payload jsonb,\n\
             \x20   created_at timestamptz NOT NULL DEFAULT now(),\n\
             \x20   parent_id bigint{}{}\n\
             );\n",
            if table > 0 {
                format!(" REFERENCES t{} (id) ON DELETE SET NULL", table - 1)
            } else {
                String::new()
            },
            if table % 10 == 0 { ",\n    embedding vector(384)" } else { "" },
        );
        let _ = writeln!(
            sql,
            "CREATE INDEX t{table}_status_created_idx ON t{table} (status, created_at DESC);"
        );
        let _ = writeln!(sql, "CREATE INDEX t{table}_title_idx ON t{table} (lower(title)) WHERE status <> 'archived';");
        if table % 10 == 0 {
            let _ = writeln!(
                sql,
                "CREATE INDEX t{table}_embedding_idx ON t{table} USING hnsw (embedding vector_cosine_ops) \
                 WITH (m = 16, ef_construction = 64);"
            );
        }
        let _ = writeln!(sql, "COMMENT ON TABLE t{table} IS 'generated table {table}';");
    }
    sql
}
