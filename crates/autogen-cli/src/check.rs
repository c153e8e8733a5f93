//! `autogen check`: for pre-commit and CI. Fails (exit 1) when the declared
//! schema and what the migrations give disagree, or when the migrations'
//! history forked (two migrations generated on the same parent).

use std::process::ExitCode;

use crate::config::{Project, ProjectArgs};
use crate::{migrations, output, project};

/// Arguments of `autogen check`.
#[derive(Debug, clap::Args)]
#[command(after_help = "No database is needed: the migrations are replayed in memory. On a \
difference, check prints the pending operations and a unified diff of the two schemas as \
canonical SQL (--- the migrations, +++ the declared schema); `autogen revision -m …` writes the \
migration that closes it.

Exit status: 0 when they agree, 1 when they do not (or the history forked), 2 on error.")]
pub struct CheckArgs {
    /// What to print: text, or JSON for tools.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Treat warnings about SQL autogen does not model as errors.
    #[arg(long)]
    strict: bool,

    #[command(flatten)]
    project: ProjectArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

pub(crate) fn run(arguments: CheckArgs) -> anyhow::Result<ExitCode> {
    let project = Project::load(&arguments.project, None)?;
    let declared = project::declared(&project, arguments.strict)?;
    let existing = migrations::list(&project.migrations)?;
    let replayed = project::replayed(&project, arguments.strict)?;
    let hints = project::hints(project.hints.as_deref())?;
    let plan = autogen_diff::diff(&replayed, &declared, &hints);

    let forks: Vec<String> = migrations::forks(&existing)
        .into_iter()
        .map(|(parent, children)| {
            let parent = parent.map_or("none (the first migration)".to_owned(), |p| p.to_string());
            let (kept, others) = children.split_first().expect("a fork has two children");
            let others: Vec<String> = others.iter().map(ToString::to_string).collect();
            format!(
                "the history forked: {} follow the same parent {parent}; keep {kept}, then delete {} and run `autogen revision` again",
                children.iter().map(ToString::to_string).collect::<Vec<_>>().join(" and "),
                others.join(", ")
            )
        })
        .collect();

    let old_sql = autogen_schema::ddl::schema_to_sql(&replayed);
    let new_sql = autogen_schema::ddl::schema_to_sql(&declared);
    let migrations_name = format!("{} (replayed)", project.migrations.display());
    let declared_name = "the declared schema";
    let diff = similar::TextDiff::from_lines(&old_sql, &new_sql)
        .unified_diff()
        .context_radius(3)
        .header(&migrations_name, declared_name)
        .to_string();

    let clean = plan.is_empty() && forks.is_empty();
    match arguments.format {
        Format::Json => {
            let steps: Vec<serde_json::Value> = plan
                .steps
                .iter()
                .map(|step| {
                    serde_json::json!({
                        "operation": step.operation.describe(),
                        "hazards": step.hazards.iter().map(|h| h.name()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&serde_json::json!({
                "clean": clean,
                "pending": steps,
                "forks": forks,
                "diff": if plan.is_empty() { String::new() } else { diff },
            }))?;
            text.push('\n');
            project::print(&text)?;
        }
        Format::Text => {
            let mut text = String::new();
            for fork in &forks {
                text.push_str(&format!("{} {fork}\n", output::paint(output::ERROR, "error:")));
            }
            if !plan.is_empty() {
                text.push_str(&format!(
                    "the declared schema and the migrations disagree: {} pending operation(s)\n",
                    plan.steps.len()
                ));
                for step in &plan.steps {
                    text.push_str(&format!("  {}\n", step.operation.describe()));
                }
                text.push('\n');
                text.push_str(&colour_diff(&diff));
                text.push_str("\nwrite the migration with `autogen revision -m \"…\"`\n");
            }
            if clean {
                text.push_str(&format!(
                    "{} the {} migration(s) in {} give the declared schema\n",
                    output::paint(output::GOOD, "ok:"),
                    existing.len(),
                    project.migrations.display()
                ));
            }
            project::print(&text)?;
        }
    }
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// A unified diff with removed lines red, added lines green and hunk
/// headers dimmed (on a terminal).
fn colour_diff(diff: &str) -> String {
    output::paint_lines(diff, |line| {
        if line.starts_with("@@") {
            Some(output::DIM)
        } else if line.starts_with('-') {
            Some(output::BAD)
        } else if line.starts_with('+') {
            Some(output::GOOD)
        } else {
            None
        }
    })
}
