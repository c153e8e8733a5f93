//! `autogen diff`: the migration from one schema to another — each from a
//! database, SQL files or a migrations folder — as SQL with its hazards, as
//! JSON, or as a one-line-per-step summary.

use std::process::ExitCode;

use anyhow::Context as _;
use autogen_diff::Plan;
use autogen_schema::Schema;

use crate::config::{Project, ProjectArgs};
use crate::project::{self, Current};
use crate::source::{self, SchemaSource};

/// Arguments of `autogen diff`.
#[derive(Debug, clap::Args)]
#[command(after_help = "In a project (autogen.toml), `autogen diff` compares the declared schema \
with what the migrations folder gives, replayed in memory: no database needed. --database \
compares with the database database_url names instead (--database-url URL with that one).

With --from and --to, it compares any two sources: each SOURCE is a database URL \
(postgres://…), one or more .sql files or folders (repeat --from / --to for several), or \
migrations:DIR (replayed in memory).

The SQL says each step's hazards in a comment above it (data-loss, table-rewrite, \
blocking-lock, may-fail-on-data, enum-swap).

Exit status: 0 when done (with --exit-code: only when there is nothing to do), 1 with \
--exit-code when the schemas differ, 2 on error.")]
pub struct DiffArgs {
    /// The schema as it is: a database URL, .sql files or folders, or
    /// migrations:DIR. Default: what the project's migrations give.
    #[arg(long = "from", value_name = "SOURCE", requires = "to")]
    from: Vec<String>,

    /// The schema as it should be, in the same forms. Default: the
    /// project's declared schema.
    #[arg(long = "to", value_name = "SOURCE", requires = "from")]
    to: Vec<String>,

    /// Compare the declared schema with the database database_url names
    /// rather than with the migrations.
    #[arg(long, conflicts_with = "from")]
    database: bool,

    /// The database to compare the declared schema with (implies
    /// --database). Setting: database_url.
    #[arg(long, value_name = "URL", conflicts_with = "from")]
    database_url: Option<String>,

    /// Apply the migrations to an ephemeral PostgreSQL cluster and compare
    /// with what it has: exact where the in-memory replay cannot be.
    #[arg(long, conflicts_with_all = ["from", "database", "database_url"])]
    dev_db: bool,

    /// Print the down migration (from --to back to --from) instead.
    #[arg(long)]
    down: bool,

    /// Plan for a database with traffic, as `revision --online` writes it:
    /// the migrations it would be, one after the other (indexes built
    /// and dropped concurrently outside a transaction, constraints added
    /// NOT VALID then validated, NOT NULL through a check). Setting:
    /// online.
    #[arg(long, conflicts_with = "down")]
    online: bool,

    /// What to print: the SQL, the plan as JSON, or one line per step.
    #[arg(long, value_enum, default_value_t = Format::Sql)]
    format: Format,

    /// Exit with 1 when there is something to do (for CI and pre-commit).
    #[arg(long)]
    exit_code: bool,

    /// Treat warnings about SQL autogen does not model as errors.
    #[arg(long)]
    strict: bool,

    #[command(flatten)]
    project: ProjectArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Sql,
    Json,
    Summary,
}

pub(crate) fn run(arguments: DiffArgs) -> anyhow::Result<ExitCode> {
    let mut online = arguments.online;
    let (from, to, hints) = if arguments.from.is_empty() {
        let project = Project::load(&arguments.project, arguments.database_url.as_deref())?;
        online |= project.online && !arguments.down;
        let current = if arguments.dev_db {
            Current::DevDb
        } else {
            Current::choose(&project, arguments.database, arguments.database_url.as_deref())?
        };
        let (from, live) = project::current(&project, &current, arguments.strict)?;
        let (mut to, renames) = project::declared(&project, arguments.strict)?;
        let hints = project::hints(project.hints.as_deref(), renames)?;
        project::check_hints(project.hints.as_deref(), &hints, &from, &to)?;
        if let Some(live) = &live {
            live.settle(&project, &from, &mut to, &hints)?;
        }
        (from, to, hints)
    } else {
        let schemas = arguments.project.schemas.clone();
        let ignore = &arguments.project.ignore;
        let (from_source, to_source) =
            (SchemaSource::parse(&arguments.from)?, SchemaSource::parse(&arguments.to)?);
        let (from, to) =
            source::load_both((from_source.clone(), to_source.clone()), &schemas, arguments.strict);
        let mut from = crate::config::without_ignored(from.context("reading --from")?, ignore);
        let mut to = crate::config::without_ignored(to.context("reading --to")?, ignore);
        let hints_file = arguments.project.hints.as_deref();
        let hints = project::hints(hints_file, Default::default())?;
        project::check_hints(hints_file, &hints, &from, &to)?;
        // Written texts compared with a database's are first given
        // PostgreSQL's text, by that database.
        match (&from_source, &to_source) {
            (SchemaSource::Database(url), _) => {
                crate::settle::written_against(url, &from, &mut to, &hints, &schemas)?
            }
            (_, SchemaSource::Database(url)) => {
                crate::settle::written_against(url, &to, &mut from, &hints.reversed(), &schemas)?
            }
            _ => {}
        }
        (from, to, hints)
    };
    let (start, target, hints) =
        if arguments.down { (&to, &from, hints.reversed()) } else { (&from, &to, hints) };
    let plan = autogen_diff::diff(start, target, &hints);
    for warning in &plan.warnings {
        crate::output::warn(&warning.to_string());
    }
    project::refuse_blocked(&plan)?;
    if online && !plan.is_empty() {
        let parts =
            crate::online::online(crate::online::transaction_parts(start, target, &hints)?, &hints);
        crate::output::print(&online_text(&parts, &hints, arguments.format)?)?;
        return Ok(if arguments.exit_code { ExitCode::from(1) } else { ExitCode::SUCCESS });
    }
    let text = match arguments.format {
        Format::Sql => highlight_sql(&autogen_emit::plan_sql(&plan, target)),
        Format::Json => json(&plan, target)?,
        Format::Summary => summary(&plan),
    };
    crate::output::print(&text)?;
    let code =
        if arguments.exit_code && !plan.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS };
    // The process ends next: the two models are left to it rather than
    // freed object by object (at 5,000 tables, a few percent of the run).
    std::mem::forget((plan, from, to));
    Ok(code)
}

/// The migration's comments dimmed and its hazard comments in yellow (on
/// a terminal; the codes are dropped elsewhere).
fn highlight_sql(sql: &str) -> String {
    use crate::output::{paint_lines, DIM, NOTE};
    paint_lines(sql, |line| {
        if line.starts_with("-- hazard:") {
            Some(NOTE)
        } else if line.starts_with("--") {
            Some(DIM)
        } else {
            None
        }
    })
}

/// `{"hazards": [...], "steps": [{"hazards", "operation", "sql"}]}`
fn json(plan: &Plan, target: &Schema) -> anyhow::Result<String> {
    let mut text =
        serde_json::to_string_pretty(&json_plan(plan, target)).context("writing JSON")?;
    text.push('\n');
    Ok(text)
}

fn json_plan(plan: &Plan, target: &Schema) -> JsonPlan {
    let renderer = autogen_schema::ddl::Renderer::for_schema(target);
    let steps = plan
        .steps
        .iter()
        .map(|step| JsonStep {
            hazards: step.hazards.iter().map(|hazard| hazard.name()).collect(),
            operation: step.operation.describe(),
            sql: autogen_emit::step_sql(&renderer, step),
        })
        .collect();
    let hazards = plan.hazards().iter().map(|hazard| hazard.name()).collect();
    JsonPlan { hazards, steps }
}

/// `diff --format json`. Fields in name order, as it has always printed
/// them.
#[derive(serde::Serialize)]
struct JsonPlan {
    hazards: Vec<&'static str>,
    steps: Vec<JsonStep>,
}

/// A step of `diff --format json`.
#[derive(serde::Serialize)]
struct JsonStep {
    hazards: Vec<&'static str>,
    operation: String,
    sql: Vec<String>,
}

/// The migrations of an online plan, in `format`: each one's SQL under a
/// line that says which it is (and whether it runs outside a
/// transaction); each one's steps under such a line; or
/// `{"migrations": [{"migration", "no_transaction", "hazards", "steps"}]}`.
fn online_text(
    parts: &[crate::online::Part],
    hints: &autogen_diff::Hints,
    format: Format,
) -> anyhow::Result<String> {
    let mut text = String::new();
    let mut migrations = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        let (plan, sql) = part.up(hints);
        let name = match part.kind.suffix() {
            Some(suffix) => suffix.trim_matches(|c| c == '(' || c == ')').to_owned(),
            None => "the changes".to_owned(),
        };
        let outside = if part.kind.concurrent() { ", outside a transaction" } else { "" };
        let title = format!("migration {} of {}: {name}{outside}", index + 1, parts.len());
        match format {
            Format::Sql => {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&format!("-- {}\n", autogen_schema::one_line(&title)));
                text.push_str(&highlight_sql(&sql));
            }
            Format::Summary => {
                text.push_str(&format!("{}:\n", autogen_schema::one_line(&title)));
                for line in step_lines(&plan).lines() {
                    text.push_str(&format!("  {line}\n"));
                }
            }
            Format::Json => migrations.push(JsonMigration {
                migration: name,
                no_transaction: part.kind.concurrent(),
                plan: json_plan(&plan, &part.to),
            }),
        }
    }
    if format == Format::Json {
        text = serde_json::to_string_pretty(&JsonOnline { migrations }).context("writing JSON")?;
        text.push('\n');
    }
    Ok(text)
}

/// `diff --online --format json`.
#[derive(serde::Serialize)]
struct JsonOnline {
    migrations: Vec<JsonMigration>,
}

/// A migration of `diff --online --format json`.
#[derive(serde::Serialize)]
struct JsonMigration {
    migration: String,
    no_transaction: bool,
    #[serde(flatten)]
    plan: JsonPlan,
}

/// One line per step, hazards in brackets; a last line with the count.
fn summary(plan: &Plan) -> String {
    let mut text = step_lines(plan);
    match plan.steps.len() {
        0 => text.push_str("nothing to do\n"),
        1 => text.push_str("1 step\n"),
        count => text.push_str(&format!("{count} steps\n")),
    }
    text
}

/// One line per step, hazards in brackets.
fn step_lines(plan: &Plan) -> String {
    let mut text = String::new();
    for step in &plan.steps {
        text.push_str(&step.operation.describe());
        if !step.hazards.is_empty() {
            let names: Vec<&str> = step.hazards.iter().map(|hazard| hazard.name()).collect();
            text.push_str(&format!(" [{}]", names.join(", ")));
        }
        text.push('\n');
    }
    text
}

impl DiffArgs {
    /// `autogen --diff`: the project's diff with every default.
    pub(crate) fn project_default() -> Self {
        Self {
            from: Vec::new(),
            to: Vec::new(),
            database: false,
            database_url: None,
            dev_db: false,
            down: false,
            online: false,
            format: Format::Sql,
            exit_code: false,
            strict: false,
            project: ProjectArgs::default(),
        }
    }
}
