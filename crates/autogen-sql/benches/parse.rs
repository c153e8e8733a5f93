//! SQL parsing speed on large schemas: the generated schema of the
//! introspection benchmark (1,000 and 5,000 tables), read from text to the
//! schema model with no database. Reports the median of several runs.
//!
//! ```sh
//! cargo bench -p autogen-sql --bench parse
//! cargo bench -p autogen-sql --bench parse -- --tables 200
//! ```

use std::time::{Duration, Instant};

// The allocator the `autogen` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../../autogen-introspect/benches/support/generated_schema.rs"]
mod generated_schema;

const DEFAULT_SIZES: &[usize] = &[1_000, 5_000];
const RUNS: usize = 7;

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> = match arguments.iter().position(|argument| argument == "--tables") {
        Some(position) => vec![arguments[position + 1].parse().expect("--tables takes a number")],
        None => DEFAULT_SIZES.to_vec(),
    };
    println!("| tables | statements | size | parse (median of {RUNS}) | fastest |");
    println!("|---:|---:|---:|---:|---:|");
    for tables in sizes {
        let text = generated_schema::generate_schema(tables);
        let source = autogen_sql::Source { name: format!("generated-{tables}.sql"), text };
        let mut timings = Vec::new();
        let mut statements = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            let parsed = autogen_sql::parse(std::slice::from_ref(&source));
            timings.push(started.elapsed());
            assert!(!parsed.has_errors(), "{:?}", &parsed.diagnostics[..1]);
            assert_eq!(parsed.schema.tables.len(), tables);
            statements = source.text.matches(";\n").count();
        }
        timings.sort();
        println!(
            "| {tables} | {statements} | {:.1} MB | {} | {} |",
            source.text.len() as f64 / 1e6,
            seconds(timings[RUNS / 2]),
            seconds(timings[0]),
        );
    }
}

fn seconds(duration: Duration) -> String {
    format!("{:.3} s", duration.as_secs_f64())
}
