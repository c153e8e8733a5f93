//! Diff speed on large schemas: the generated 5,000-table schema of the
//! introspection and parse benchmarks against a copy with 5 % of its tables
//! changed (a column added, a default changed, an index dropped, a column's
//! type widened, a check added — one per changed table, in turn). Reports
//! the median of several runs of `diff` alone and of `diff` plus SQL.
//!
//! ```sh
//! cargo bench -p autogen-diff --bench diff
//! cargo bench -p autogen-diff --bench diff -- --tables 1000
//! ```

use std::time::{Duration, Instant};

use autogen_schema::{CheckConstraint, Column, Schema, SqlType};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../../autogen-introspect/benches/support/generated_schema.rs"]
mod generated_schema;

const RUNS: usize = 11;

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let tables = match arguments.iter().position(|argument| argument == "--tables") {
        Some(position) => arguments[position + 1].parse().expect("--tables takes a number"),
        None => 5_000,
    };
    let source = autogen_sql::Source {
        name: "generated.sql".into(),
        text: generated_schema::generate_schema(tables),
    };
    let from = autogen_sql::parse(&[source]).schema;
    let to = changed(&from);
    let hints = autogen_diff::Hints::default();

    let mut diff_times = Vec::new();
    let mut total_times = Vec::new();
    let mut steps = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let plan = autogen_diff::diff(&from, &to, &hints);
        diff_times.push(started.elapsed());
        let sql = autogen_emit::plan_sql(&plan, &to);
        total_times.push(started.elapsed());
        steps = plan.steps.len();
        assert!(!sql.is_empty());
    }
    diff_times.sort();
    total_times.sort();
    println!("| tables | changed | steps | diff (median of {RUNS}) | diff + SQL |");
    println!("|---:|---:|---:|---:|---:|");
    println!(
        "| {tables} | {} | {steps} | {} | {} |",
        tables / 20,
        millis(diff_times[RUNS / 2]),
        millis(total_times[RUNS / 2])
    );
}

/// `schema` with every twentieth table changed in one of five ways.
fn changed(schema: &Schema) -> Schema {
    let mut to = schema.clone();
    for (position, table) in
        to.tables.values_mut().enumerate().filter(|(position, _)| position % 20 == 0)
    {
        match (position / 20) % 5 {
            0 => table.columns.push(Column::new("added", SqlType::Text)),
            1 => {
                if let Some(column) = table.columns.iter_mut().find(|column| column.name == "title")
                {
                    column.default = Some("'untitled'::text".into());
                }
            }
            2 => {
                table.indexes.pop();
            }
            3 => {
                if let Some(column) = table.columns.iter_mut().find(|column| column.name == "code")
                {
                    column.data_type = SqlType::Varchar { length: Some(80) };
                }
            }
            _ => table.check_constraints.push(CheckConstraint {
                name: format!("{}_ratio_check", table.name.name),
                expression: "(ratio >= (0)::double precision)".into(),
                no_inherit: false,
                not_valid: false,
            }),
        }
    }
    to
}

fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}
