//! How reading a database grows: `autogen inspect --format json` (release
//! build) on the generated schema at 1,000, 5,000 and 20,000 tables, on an
//! ephemeral cluster with PostgreSQL's default lock settings
//! (`max_locks_per_transaction` 64, `max_connections` 100), beside
//! `pg_dump --schema-only`, which locks every table and fails where they do
//! not fit; then one database of 500 schemas of ten tables (a schema per
//! tenant) read one schema, ten schemas (a glob) and whole. Prints the
//! tables of docs/PERFORMANCE.md: medians of three runs, the peak resident
//! memory of the autogen process (`ru_maxrss` from `wait4`), and time and
//! memory per table. The catalogs are analyzed after each load, as
//! autovacuum would have done on a database that has lived a while.
//!
//! ```sh
//! cargo bench -p autogen-cli --bench scale
//! cargo bench -p autogen-cli --bench scale -- --tables 1000,5000 --tenants 100
//! ```

use std::fmt::Write as _;
use std::time::{Duration, Instant};

#[path = "../../autogen-introspect/benches/support/generated_schema.rs"]
mod generated_schema;
mod support;

const RUNS: usize = 3;

fn main() {
    support::measure_if_asked();
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        arguments.iter().position(|argument| argument == flag).map(|at| arguments[at + 1].clone())
    };
    let sizes: Vec<usize> = value("--tables")
        .unwrap_or_else(|| "1000,5000,20000".to_owned())
        .split(',')
        .map(|size| size.parse().expect("--tables takes numbers: 1000,5000"))
        .collect();
    let tenants: usize =
        value("--tenants").map_or(500, |count| count.parse().expect("--tenants takes a number"));

    let binaries = autogen_pgtemp::Binaries::find().unwrap();
    let setting = |name: &str, value: &str| (name.to_owned(), value.to_owned());
    let config = autogen_pgtemp::Config {
        settings: vec![
            setting("max_locks_per_transaction", "64"),
            setting("max_connections", "100"),
        ],
        hba: None,
        files: Vec::new(),
    };
    let cluster = autogen_pgtemp::Cluster::start_configured(&binaries, &config).unwrap();
    let server = autogen_pgtemp::Server::Cluster(cluster);

    println!("| tables | load (psql) | autogen inspect (median of {RUNS}) | per table | peak memory (median) | per table | pg_dump --schema-only (median) |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for tables in sizes {
        let database = server.create_database().unwrap();
        let started = Instant::now();
        for chunk in in_chunks(&generated_schema::generate_schema(tables)) {
            database.load_sql(&chunk).unwrap();
        }
        let load = started.elapsed();
        settle(&database);
        let (took, peak) = median_inspect(database.url(), &[]);
        let mut dumps = Vec::with_capacity(RUNS);
        let mut failure = None;
        for _ in 0..RUNS {
            let started = Instant::now();
            match database.dump_schema() {
                Ok(_) => dumps.push(started.elapsed()),
                Err(error) => {
                    failure = Some(if error.to_string().contains("max_locks_per_transaction") {
                        "fails: out of shared memory (max_locks_per_transaction)".to_owned()
                    } else {
                        format!("fails: {}", error.to_string().lines().next().unwrap_or(""))
                    });
                    break;
                }
            }
        }
        dumps.sort();
        let dump = failure.unwrap_or_else(|| format!("{} ms", dumps[dumps.len() / 2].as_millis()));
        println!(
            "| {tables} | {:.0} s | {} ms | {:.0} µs | {} MiB | {:.1} KiB | {dump} |",
            load.as_secs_f64(),
            took.as_millis(),
            took.as_secs_f64() * 1e6 / tables as f64,
            peak / 1024,
            peak as f64 / tables as f64,
        );
    }

    println!();
    let database = server.create_database().unwrap();
    let started = Instant::now();
    for chunk in in_chunks(&tenant_schemas(tenants)) {
        database.load_sql(&chunk).unwrap();
    }
    let load = started.elapsed();
    settle(&database);
    println!(
        "{tenants} schemas of 10 tables ({} tables), loaded in {:.0} s:",
        tenants * 10,
        load.as_secs_f64()
    );
    println!();
    println!(
        "| `--schema` | tables read | autogen inspect (median of {RUNS}) | peak memory (median) |"
    );
    println!("|---|---:|---:|---:|");
    for (schema, read) in
        [("tenant_001", 10), ("tenant_00?", 100.min(tenants * 10)), ("", tenants * 10)]
    {
        let flags: Vec<&str> =
            if schema.is_empty() { Vec::new() } else { vec!["--schema", schema] };
        let (took, peak) = median_inspect(database.url(), &flags);
        let shown = if schema.is_empty() { "(all)".to_owned() } else { format!("`{schema}`") };
        println!("| {shown} | {read} | {} ms | {} MiB |", took.as_millis(), peak / 1024);
    }
}

/// The catalogs analyzed, as autovacuum leaves a database that has lived
/// a while: right after thousands of tables were made, the planner's
/// statistics on pg_class and pg_depend still describe an empty database.
fn settle(database: &autogen_pgtemp::Database<'_>) {
    database
        .execute("ANALYZE pg_catalog.pg_class, pg_catalog.pg_attribute, pg_catalog.pg_depend, pg_catalog.pg_constraint, pg_catalog.pg_index, pg_catalog.pg_type, pg_catalog.pg_namespace, pg_catalog.pg_description, pg_catalog.pg_attrdef, pg_catalog.pg_sequence, pg_catalog.pg_proc, pg_catalog.pg_trigger, pg_catalog.pg_policy, pg_catalog.pg_rewrite")
        .unwrap();
}

/// `sql` in pieces of about 500 tables, each of which one transaction
/// (a load is one) can lock on default settings: a piece ends before a
/// `CREATE TABLE` line.
fn in_chunks(sql: &str) -> Vec<String> {
    let mut chunks = vec![String::new()];
    let mut tables = 0;
    for line in sql.split_inclusive('\n') {
        if line.starts_with("CREATE TABLE ") {
            tables += 1;
            if tables % 500 == 0 {
                chunks.push(String::new());
            }
        }
        chunks.last_mut().expect("one chunk at least").push_str(line);
    }
    chunks
}

/// `tenants` schemas `tenant_000` …, each with an enum and ten tables
/// (about ten columns, a primary key, a unique constraint, a check, a
/// foreign key to the table before, two indexes, a comment).
fn tenant_schemas(tenants: usize) -> String {
    let mut sql = String::new();
    for tenant in 0..tenants {
        let schema = format!("tenant_{tenant:03}");
        let _ = writeln!(sql, "CREATE SCHEMA {schema};");
        let _ = writeln!(sql, "CREATE TYPE {schema}.state AS ENUM ('new', 'open', 'closed');");
        for table in 0..10 {
            let parent = if table > 0 {
                format!(",\n    parent_id bigint REFERENCES {schema}.t{} (id)", table - 1)
            } else {
                String::new()
            };
            let _ = writeln!(
                sql,
                "CREATE TABLE {schema}.t{table} (\n\
                 \x20   id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n\
                 \x20   code text NOT NULL UNIQUE,\n\
                 \x20   title text NOT NULL DEFAULT '',\n\
                 \x20   state {schema}.state NOT NULL DEFAULT 'new',\n\
                 \x20   amount numeric(12,2) CHECK (amount >= 0),\n\
                 \x20   ratio double precision,\n\
                 \x20   payload jsonb,\n\
                 \x20   tags text[],\n\
                 \x20   created_at timestamptz NOT NULL DEFAULT now(){parent}\n\
                 );\n\
                 CREATE INDEX t{table}_state_idx ON {schema}.t{table} (state, created_at DESC);\n\
                 CREATE INDEX t{table}_title_idx ON {schema}.t{table} (lower(title));\n\
                 COMMENT ON TABLE {schema}.t{table} IS 'tenant table {table}';"
            );
        }
    }
    sql
}

/// The median time and the median peak memory (KiB) of three runs of
/// `autogen inspect --from URL --format json FLAGS…`.
fn median_inspect(url: &str, flags: &[&str]) -> (Duration, u64) {
    let mut times = Vec::with_capacity(RUNS);
    let mut peaks = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let (took, peak) = inspect(url, flags);
        times.push(took);
        peaks.push(peak);
    }
    times.sort();
    peaks.sort();
    (times[RUNS / 2], peaks[RUNS / 2])
}

/// One run of the release `autogen inspect --from URL --format json
/// FLAGS…`: its time and peak memory (KiB).
fn inspect(url: &str, flags: &[&str]) -> (Duration, u64) {
    let mut args = vec!["inspect", "--from", url, "--format", "json", "--quiet"];
    args.extend_from_slice(flags);
    support::measured(&args)
}
