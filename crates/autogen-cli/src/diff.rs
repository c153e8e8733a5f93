//! `autogen diff`: the migration from one schema to another — each from a
//! database, SQL files or a migrations folder — as SQL with its hazards, as
//! JSON, or as a one-line-per-step summary.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use autogen_diff::{Hints, Plan};
use autogen_schema::Schema;

use crate::source::{self, SchemaSource};

/// Arguments of `autogen diff`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Each SOURCE is a database URL (postgres://…), one or more .sql files or \
folders (repeat --from / --to for several), or migrations:DIR (replayed in memory). The SQL \
says each step's hazards in a comment above it (data-loss, table-rewrite, blocking-lock, \
may-fail-on-data, enum-swap).

Exit status: 0 when done (with --exit-code: only when there is nothing to do), 1 with \
--exit-code when the schemas differ, 2 on error.")]
pub struct DiffArgs {
    /// The schema as it is: a database URL, .sql files or folders, or
    /// migrations:DIR.
    #[arg(long = "from", value_name = "SOURCE", required = true)]
    from: Vec<String>,

    /// The schema as it should be, in the same forms.
    #[arg(long = "to", value_name = "SOURCE", required = true)]
    to: Vec<String>,

    /// Renames to make renames rather than drops and creations: a
    /// hints.toml with [tables], [columns], [enums], [enum_values] and
    /// [indexes] tables of "old" = "new".
    #[arg(long, value_name = "FILE")]
    hints: Option<std::path::PathBuf>,

    /// Print the down migration (from --to back to --from) instead.
    #[arg(long)]
    down: bool,

    /// What to print: the SQL, the plan as JSON, or one line per step.
    #[arg(long, value_enum, default_value_t = Format::Sql)]
    format: Format,

    /// Exit with 1 when there is something to do (for CI and pre-commit).
    #[arg(long)]
    exit_code: bool,

    /// Treat warnings about SQL autogen does not model as errors.
    #[arg(long)]
    strict: bool,

    /// A schema (namespace) to compare; repeat for several. Default: all.
    #[arg(long = "schema", value_name = "NAME")]
    schemas: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Sql,
    Json,
    Summary,
}

pub(crate) fn run(arguments: DiffArgs) -> anyhow::Result<ExitCode> {
    let from = source::load(
        SchemaSource::parse(&arguments.from)?,
        arguments.schemas.clone(),
        arguments.strict,
    )
    .context("reading --from")?;
    let to = source::load(
        SchemaSource::parse(&arguments.to)?,
        arguments.schemas.clone(),
        arguments.strict,
    )
    .context("reading --to")?;
    let hints = match &arguments.hints {
        None => Hints::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            Hints::from_toml(&text)
                .map_err(|error| anyhow::anyhow!("{}: {error}", path.display()))?
        }
    };
    let (start, target, hints) =
        if arguments.down { (&to, &from, hints.reversed()) } else { (&from, &to, hints) };
    let plan = autogen_diff::diff(start, target, &hints);
    for warning in &plan.warnings {
        eprintln!("warning: {warning}");
    }
    let text = match arguments.format {
        Format::Sql => autogen_emit::plan_sql(&plan, target),
        Format::Json => json(&plan, target)?,
        Format::Summary => summary(&plan),
    };
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.context("writing to stdout")?,
    }
    Ok(if arguments.exit_code && !plan.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `{"steps": [{"operation", "sql", "hazards"}], "hazards": [...]}`
fn json(plan: &Plan, target: &Schema) -> anyhow::Result<String> {
    let renderer = autogen_schema::ddl::Renderer::for_schema(target);
    let steps: Vec<serde_json::Value> = plan
        .steps
        .iter()
        .map(|step| {
            serde_json::json!({
                "operation": step.operation.describe(),
                "sql": autogen_emit::step_sql(&renderer, step),
                "hazards": step.hazards.iter().map(|hazard| hazard.name()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let hazards: Vec<&str> = plan.hazards().iter().map(|hazard| hazard.name()).collect();
    let mut text =
        serde_json::to_string_pretty(&serde_json::json!({ "steps": steps, "hazards": hazards }))
            .context("writing JSON")?;
    text.push('\n');
    Ok(text)
}

/// One line per step, hazards in brackets; a last line with the count.
fn summary(plan: &Plan) -> String {
    let mut text = String::new();
    for step in &plan.steps {
        text.push_str(&step.operation.describe());
        if !step.hazards.is_empty() {
            let names: Vec<&str> = step.hazards.iter().map(|hazard| hazard.name()).collect();
            text.push_str(&format!(" [{}]", names.join(", ")));
        }
        text.push('\n');
    }
    match plan.steps.len() {
        0 => text.push_str("nothing to do\n"),
        1 => text.push_str("1 step\n"),
        count => text.push_str(&format!("{count} steps\n")),
    }
    text
}
