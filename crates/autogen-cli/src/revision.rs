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
Then the timeouts every statement of it runs \
under (`SET LOCAL lock_timeout`, and `statement_timeout` when set: edit them there for one \
migration; a `-- no-transaction` migration has them as header lines, `-- autogen: set \
lock_timeout = '10s'`, which upgrade and downgrade set around it). The files are written whole or not at all, and never over an existing file; two \
revisions started at once run one after the other. A migration that loses data (drops a table, a column or an enum \
value, or rounds values into a narrower type) is written only when someone says yes: asked on a \
terminal, --allow-data-loss elsewhere; its header records which. With --online (or online = true), \
the revision is written as migrations that hold no write back: indexes dropped and built \
CONCURRENTLY, each in a `-- no-transaction` migration of its own (a changed one built beside \
the old under a temporary name, then swapped in); a foreign key or check added to a table that \
exists added NOT VALID and validated in a migration of its own; SET NOT NULL through a CHECK \
(c IS NOT NULL) validated first; a new NOT NULL column without a default added nullable, with \
a `-- autogen: backfill` line where its rows get their values. A hazard [hazards] acknowledge \
lists (data-loss unless set) makes `autogen check` fail until a line `-- autogen: allow <hazard>: \
<why>` is added to the up file.

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

    /// Write a migration that loses data (drops a table, a column or an
    /// enum value, or rounds values into a narrower type) without asking.
    /// Without it, revision lists such steps and asks on a terminal, and
    /// refuses elsewhere.
    #[arg(long)]
    allow_data_loss: bool,

    /// Plan for a database with traffic: indexes built and dropped
    /// concurrently, constraints added NOT VALID then validated, NOT NULL
    /// through a validated check, each in migrations of their own.
    /// Setting: online.
    #[arg(long)]
    online: bool,

    #[command(flatten)]
    timeouts: crate::timeouts::TimeoutArgs,

    #[command(flatten)]
    project: ProjectArgs,
}

pub(crate) fn run(arguments: RevisionArgs) -> anyhow::Result<ExitCode> {
    let project = Project::load(&arguments.project, None)?;
    let (declared, renames) =
        project::declared(&project, arguments.strict).context("nothing was written")?;
    // Held until the files are written: another revision waits here.
    let _folder_lock = migrations::lock(&project.migrations)?;
    let existing = migrations::list(&project.migrations)?;
    let source =
        if arguments.dev_db { project::Current::DevDb } else { project::Current::Migrations };
    let (current, live) =
        project::current(&project, &source, arguments.strict).context("nothing was written")?;
    let hints = project::hints(project.hints.as_deref(), renames)?;
    project::check_hints(project.hints.as_deref(), &hints, &current, &declared)
        .context("nothing was written")?;
    let mut declared = declared;
    if let Some(live) = &live {
        live.settle(&project, &current, &mut declared, &hints).context("nothing was written")?;
    }
    drop(live);

    let plan = autogen_diff::diff(&current, &declared, &hints);
    for warning in &plan.warnings {
        crate::output::warn(&warning.to_string());
    }
    project::refuse_blocked(&plan).context("nothing was written")?;
    if plan.is_empty() && !arguments.empty {
        eprintln!(
            "nothing to do: the migrations in {} already give the declared schema; nothing written (--empty writes an empty migration)",
            project.migrations.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let allowed = consent_to_data_loss(&plan, arguments.allow_data_loss)?;
    let timeouts = (arguments.timeouts)
        .resolve(project.lock_timeout.as_ref(), project.statement_timeout.as_ref());
    let parts = crate::online::transaction_parts(&current, &declared, &hints)
        .context("nothing was written")?;
    let parts = if arguments.online || project.online {
        crate::online::online(parts, &hints)
    } else {
        crate::online::plain(parts)
    };
    // Versions of the folder are positive (`migrations::up_scripts`).
    let mut parent = existing.last().map(|last| last.version.unsigned_abs());
    let mut files = Vec::new();
    let mut steps = Vec::new();
    let mut written_hazards = Vec::new();
    for part in &parts {
        let version = migrations::next_version(parent);
        let message = match part.kind.suffix() {
            Some(suffix) => format!("{} {suffix}", arguments.message.trim()),
            None => arguments.message.clone(),
        };
        let slug = migrations::slug(&message);
        let (up, down, hazards) =
            part_files(part, &hints, (version, &message, parent), allowed, &timeouts);
        written_hazards.extend(hazards);
        let (up_name, down_name) =
            (format!("{version}_{slug}.up.sql"), format!("{version}_{slug}.down.sql"));
        steps.push(migrations::Migration::unwritten(
            i64::try_from(version).context("the version is too large")?,
            &slug,
            (project.migrations.join(&up_name), up.clone()),
            (project.migrations.join(&down_name), down.clone()),
        )?);
        files.push((up_name, up));
        files.push((down_name, down));
        parent = Some(version);
    }
    if arguments.verify {
        crate::devdb::verify(&project, &steps, &declared, arguments.strict)
            .context("nothing was written")?;
        crate::output::say("verified: up gives the declared schema, down the schema before it");
    }
    let written = migrations::write_new(&project.migrations, &files)?;
    for path in &written {
        crate::output::say(&format!("wrote {}", path.display()));
    }
    if parts.iter().any(|part| part.kind == crate::online::Kind::EnumValues) {
        crate::output::say(
            "enum values are added in a migration of their own: PostgreSQL cannot use a value in the transaction that added it",
        );
    }
    if parts.iter().any(|part| !part.backfills.is_empty()) {
        crate::output::warn(
            "columns are added nullable for their rows to be given a value: write the backfill where the migration says `-- autogen: backfill`, before the migrations that follow run",
        );
    }
    // What the files carry (an online plan's concurrent steps block nothing).
    written_hazards.sort();
    written_hazards.dedup();
    let hazards: Vec<&str> = written_hazards.iter().map(|hazard| hazard.name()).collect();
    if !hazards.is_empty() {
        crate::output::warn(&format!(
            "review the hazards before running it: {}",
            hazards.join(", ")
        ));
    }
    for hazard in written_hazards.into_iter().filter(|hazard| project.acknowledge.contains(hazard))
    {
        crate::output::warn(&format!(
            "`autogen check` fails until the reviewer of this migration adds the line `{}{}: <why>` to it",
            migrations::ACKNOWLEDGEMENT,
            hazard.name()
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// The up and down files of `part`, migration `version` named `message`
/// after `parent`: a concurrent part is a `-- no-transaction` migration
/// of one statement, its timeouts header lines the runner sets around it
/// (a `SET` before it would put it in a transaction); the others start
/// with the timeouts as `SET LOCAL` statements.
fn part_files(
    part: &crate::online::Part,
    hints: &autogen_diff::Hints,
    (version, message, parent): (u64, &str, Option<u64>),
    allowed: Option<&'static str>,
    timeouts: &crate::timeouts::Timeouts,
) -> (String, String, Vec<autogen_diff::Hazard>) {
    let (up_plan, up_sql) = part.up(hints);
    let down_plan = part.down_plan(hints);
    let down_sql = autogen_emit::down_sql(&down_plan, &part.from, &up_plan);
    let part_allowed = allowed.filter(|_| loses_data(&up_plan).next().is_some());
    let header = migrations::header(version, message, parent, &up_plan, part_allowed);
    let down_header =
        format!("-- down of {version}: {}\n\n", autogen_schema::one_line(message.trim()));
    let (start, timeouts) = if part.kind.concurrent() {
        ("-- no-transaction\n", timeouts.header_lines())
    } else {
        ("", timeouts.sql())
    };
    (
        format!("{start}{header}\n{timeouts}{up_sql}"),
        format!("{start}{down_header}{timeouts}{down_sql}"),
        up_plan.hazards(),
    )
}

/// The steps of `plan` that lose data.
fn loses_data(plan: &autogen_diff::Plan) -> impl Iterator<Item = &autogen_diff::Step> {
    plan.steps.iter().filter(|step| step.hazards.contains(&autogen_diff::Hazard::DataLoss))
}

/// Who said yes to the steps of `plan` that lose data: `None` when there
/// are none; `--allow-data-loss`; or the person at the terminal, asked
/// with the list of those steps. Elsewhere (CI, a script) the revision
/// stops, naming the steps and the flag.
fn consent_to_data_loss(
    plan: &autogen_diff::Plan,
    allow_data_loss: bool,
) -> anyhow::Result<Option<&'static str>> {
    use std::io::IsTerminal as _;
    let losses: Vec<String> = loses_data(plan).map(|step| step.operation.describe()).collect();
    if losses.is_empty() {
        return Ok(None);
    }
    if allow_data_loss {
        return Ok(Some("--allow-data-loss"));
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        anyhow::bail!(
            "the migration loses data and no one said yes ({}); nothing was written: run `autogen revision` at a terminal to be asked, or give --allow-data-loss once you are sure (a column or table renamed is a rename hint away: see the warnings of `autogen diff`)",
            losses.join(", ")
        );
    }
    let steps: String = losses.iter().map(|step| format!("  {step}\n")).collect();
    eprint!("the migration loses data:\n{steps}write it? [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).context("reading the answer")?;
    if matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES") {
        Ok(Some("confirmed at a terminal"))
    } else {
        anyhow::bail!("not confirmed: nothing was written")
    }
}
