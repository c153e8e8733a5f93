//! `autogen revision -m MSG`: the migration from what the migrations give
//! to the declared schema, written as `<version>_<slug>.up.sql` and
//! `.down.sql` in the migrations folder.

use std::process::ExitCode;

use anyhow::Context as _;

use crate::config::{Project, ProjectArgs};
use crate::{migrations, project};

/// Arguments of `autogen revision`.
#[derive(Debug, clap::Args)]
#[command(after_help = "The migration takes the schema the migrations folder gives (replayed in \
memory, no database) to the declared schema. The up file starts with a header: its parent (the \
last migration when it was made), the autogen version, one line per operation and the hazards. \
The files are written whole or not at all, and never over an existing file.

Exit status: 0 when written (or when there is nothing to do), 2 on error.")]
pub struct RevisionArgs {
    /// What the migration does, in a few words: the file name's slug and
    /// the header's first line.
    #[arg(short = 'm', long = "message", value_name = "MESSAGE")]
    message: String,

    /// Write the files even when there is nothing to do (for a migration
    /// written by hand, such as one that moves data).
    #[arg(long)]
    empty: bool,

    /// Before writing, apply the migrations, then the new up and down, on
    /// an ephemeral PostgreSQL cluster; write only when up gives the
    /// declared schema and down the schema before it.
    #[arg(long)]
    verify: bool,

    /// Take the current schema from the migrations applied to an ephemeral
    /// cluster rather than replayed in memory.
    #[arg(long)]
    dev_db: bool,

    /// Treat warnings about SQL autogen does not model as errors.
    #[arg(long)]
    strict: bool,

    #[command(flatten)]
    project: ProjectArgs,
}

pub(crate) fn run(arguments: RevisionArgs) -> anyhow::Result<ExitCode> {
    let project = Project::load(&arguments.project, None)?;
    let declared = project::declared(&project, arguments.strict).context("nothing was written")?;
    let existing = migrations::list(&project.migrations)?;
    let source =
        if arguments.dev_db { project::Current::DevDb } else { project::Current::Migrations };
    let current =
        project::current(&project, &source, arguments.strict).context("nothing was written")?;
    let hints = project::hints(project.hints.as_deref())?;

    let plan = autogen_diff::diff(&current, &declared, &hints);
    for warning in &plan.warnings {
        crate::output::warn(&warning.to_string());
    }
    if plan.is_empty() && !arguments.empty {
        eprintln!(
            "nothing to do: the migrations in {} already give the declared schema; nothing written (--empty writes an empty migration)",
            project.migrations.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let migration = autogen_emit::migration(&current, &declared, &hints);
    let parent = existing.last().map(|last| last.version);
    let version = migrations::next_version(parent);
    let slug = migrations::slug(&arguments.message);
    let header = migrations::header(version, &arguments.message, parent, &plan);
    let up = format!("{header}\n{}", migration.up);
    let down = format!(
        "-- down of {version}: {}\n\n{}",
        arguments.message.lines().next().unwrap_or("").trim(),
        migration.down
    );
    if arguments.verify {
        let up_name = format!("{version}_{slug}.up.sql");
        let down_name = format!("{version}_{slug}.down.sql");
        let step = crate::runner::Step::unwritten(
            i64::try_from(version).context("the version is too large")?,
            &slug,
            (project.migrations.join(&up_name), up.clone()),
            (project.migrations.join(&down_name), down.clone()),
        );
        crate::devdb::verify(&project, &step, &declared, arguments.strict)
            .context("nothing was written")?;
        crate::output::say("verified: up gives the declared schema, down the schema before it");
    }
    let written = migrations::write_new(
        &project.migrations,
        &[(format!("{version}_{slug}.up.sql"), up), (format!("{version}_{slug}.down.sql"), down)],
    )?;
    for path in &written {
        crate::output::say(&format!("wrote {}", path.display()));
    }
    let hazards: Vec<&str> = plan.hazards().iter().map(|hazard| hazard.name()).collect();
    if !hazards.is_empty() {
        crate::output::warn(&format!(
            "review the hazards before running it: {}",
            hazards.join(", ")
        ));
    }
    Ok(ExitCode::SUCCESS)
}
