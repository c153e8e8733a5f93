//! `autogen check`: for pre-commit and CI. Fails (exit 1) when the declared
//! schema and what the migrations give disagree, or when the migrations'
//! history forked (two migrations generated on the same parent).

use std::process::ExitCode;

use crate::config::{Project, ProjectArgs};
use anyhow::Context as _;

use crate::fleet::{self, FleetArgs};
use crate::{migrations, output, project, runner, source};

/// Arguments of `autogen check`.
#[derive(Debug, clap::Args)]
#[command(after_help = "No database is needed: the migrations are replayed in memory. On a \
difference, check prints the pending operations and a unified diff of the two schemas as \
canonical SQL (--- the migrations, +++ the declared schema); `autogen revision -m …` writes the \
migration that closes it.

With --database (or --database-url), check also reads the database: it fails when migrations \
are not applied there, when the database has changes its applied migrations do not explain \
(drift), or when an applied migration's file changed since (its checksum in _sqlx_migrations).

With --each FILE, check reads every database FILE names instead (-j at once) and prints where \
each stands against the migrations folder: current, behind (migrations not applied), drifted \
(changes outside the migrations, or an applied file changed since), or failed (a migration \
failed there, or the database could not be read); the declared schema is not compared. URLs are \
shown without their passwords.

Exit status: 0 when they agree (with --each: every database current), 1 when they do not (or the \
history forked), 2 on error.")]
pub struct CheckArgs {
    /// What to print: text, or JSON for tools.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Also check the database database_url names: fail when it differs
    /// from the migrations head (migrations not applied, changes made
    /// outside them), when an applied migration's file changed since, or
    /// when one failed.
    #[arg(long)]
    database: bool,

    /// The database to check (implies --database). Setting: database_url.
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,

    /// Treat warnings about SQL autogen does not model as errors.
    #[arg(long)]
    strict: bool,

    #[command(flatten)]
    fleet: FleetArgs,

    #[command(flatten)]
    project: ProjectArgs,
}

/// What `check --database` found on the database.
#[derive(Debug, Default)]
struct OnDatabase {
    /// The last migration applied there (0: none).
    at: i64,
    /// Applied migrations marked failed in `_sqlx_migrations`.
    failed: Vec<i64>,
    /// Migrations of the folder the database has not applied.
    pending: Vec<String>,
    /// Applied migrations whose file changed or is gone, or that failed.
    changed: Vec<String>,
    /// Operations that take the applied migrations' schema to the
    /// database's: changes made outside the migrations.
    drift: Vec<String>,
}

/// `check --format json`. Fields in name order, as the report has always
/// printed them.
#[derive(serde::Serialize)]
struct JsonReport<'a> {
    clean: bool,
    /// With `--database`: what the database holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    database: Option<JsonDatabase<'a>>,
    /// The unified diff; empty when nothing is pending.
    diff: String,
    forks: &'a [String],
    /// The operations the migrations lack.
    pending: Vec<JsonStep>,
    /// When the history forked and does not replay: why.
    #[serde(skip_serializing_if = "Option::is_none")]
    replay_error: Option<String>,
    /// Hazards of migrations that `[hazards] acknowledge` lists and no
    /// line of theirs acknowledges (and acknowledgements that do not
    /// count): `file:line: …`.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    unacknowledged: &'a [String],
}

/// `database` of `check --format json`.
#[derive(serde::Serialize)]
struct JsonDatabase<'a> {
    changed: &'a [String],
    drift: &'a [String],
    not_applied: &'a [String],
}

/// A pending operation in `check --format json`.
#[derive(serde::Serialize)]
struct JsonStep {
    hazards: Vec<&'static str>,
    operation: String,
}

impl OnDatabase {
    fn clean(&self) -> bool {
        self.pending.is_empty() && self.changed.is_empty() && self.drift.is_empty()
    }
}

/// The migrations folder as the runner reads it, checked against sqlx's
/// reading: once for one database or a fleet.
fn checked_folder(project: &Project) -> anyhow::Result<runner::Folder> {
    let folder = runner::Folder::read(&project.migrations)?;
    folder.check_with_sqlx()?;
    Ok(folder)
}

/// Reads the database: what it applied (checked against the folder's
/// files) and its schema, compared with the applied migrations replayed.
fn on_database(
    project: &Project,
    folder: &runner::Folder,
    url: &str,
    strict: bool,
) -> anyhow::Result<OnDatabase> {
    let mut database = runner::Database::connect(url)?;
    let applied = database.applied()?;
    drop(database);
    let mut found = OnDatabase { changed: runner::changed(folder, &applied), ..Default::default() };
    found.at = applied.iter().filter(|row| row.success).map(|row| row.version).max().unwrap_or(0);
    for row in applied.iter().filter(|row| !row.success) {
        found.failed.push(row.version);
        found.changed.push(format!(
            "migration {} failed partway on the database (marked failed in _sqlx_migrations)",
            row.version
        ));
    }
    for step in &folder.migrations {
        if !applied.iter().any(|row| row.version == step.version) {
            found.pending.push(format!("{} {}", step.version, step.description));
        }
    }
    let replayed = source::replay_some_migrations(&project.migrations, |version| {
        applied.iter().any(|row| u64::try_from(row.version) == Ok(version))
    })
    .context("replaying the applied migrations")?;
    source::report(&replayed.diagnostics, strict)?;
    let mut replayed = project.managed(replayed.schema);
    let (mut live, database) =
        project::current(project, &project::Current::Database(url.to_owned()), strict)?;
    if let Some(database) = &database {
        database.settle(project, &live, &mut replayed, &autogen_diff::Hints::default())?;
    }
    // An extension's version is drift only where the migrations say one.
    for (name, extension) in &mut live.extensions {
        if replayed.extensions.get(name).is_none_or(|said| said.version.is_none()) {
            extension.version = None;
        }
    }
    let drift = autogen_diff::diff(&replayed, &live, &autogen_diff::Hints::default());
    found.drift = drift.steps.iter().map(|step| step.operation.describe()).collect();
    Ok(found)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

pub(crate) fn run(arguments: CheckArgs) -> anyhow::Result<ExitCode> {
    let project = Project::load(&arguments.project, arguments.database_url.as_deref())?;
    if let Some(each) = &arguments.fleet.each {
        if arguments.database || arguments.database_url.is_some() {
            anyhow::bail!(
                "--each checks the databases its file names: give it or --database / --database-url, not both"
            );
        }
        return check_each(&project, each, &arguments);
    }
    let (declared, renames) = project::declared(&project, arguments.strict)?;
    let existing = migrations::list(&project.migrations)?;
    let forks = fork_messages(&existing);
    let replayed = match project::replayed(&project, arguments.strict) {
        Ok(replayed) => replayed,
        // Two branches that each change the same object do not replay one
        // after the other: the fork is what to report, with both files.
        Err(error) if !forks.is_empty() => {
            return forked_only(&forks, &format!("{error:#}"), arguments.format)
        }
        Err(error) => return Err(error),
    };
    let hints = project::hints(project.hints.as_deref(), renames)?;
    project::check_hints(project.hints.as_deref(), &hints, &replayed, &declared)?;
    let plan = autogen_diff::diff(&replayed, &declared, &hints);
    project::refuse_blocked(&plan)?;

    let old_sql = autogen_emit::schema_sql(&replayed);
    let new_sql = autogen_emit::schema_sql(&declared);
    let migrations_name = format!("{} (replayed)", project.migrations.display());
    let declared_name = "the declared schema";
    let diff = similar::TextDiff::from_lines(&old_sql, &new_sql)
        .unified_diff()
        .context_radius(3)
        .header(&migrations_name, declared_name)
        .to_string();

    let on_database = match project::Current::choose(
        &project,
        arguments.database,
        arguments.database_url.as_deref(),
    )? {
        project::Current::Database(url) => {
            Some(on_database(&project, &checked_folder(&project)?, &url, arguments.strict)?)
        }
        project::Current::Migrations | project::Current::DevDb => None,
    };
    let unacknowledged = unacknowledged(&project, &existing);
    let clean = plan.is_empty()
        && forks.is_empty()
        && unacknowledged.is_empty()
        && on_database.as_ref().is_none_or(OnDatabase::clean);
    match arguments.format {
        Format::Json => {
            let pending = plan
                .steps
                .iter()
                .map(|step| JsonStep {
                    hazards: step.hazards.iter().map(|hazard| hazard.name()).collect(),
                    operation: step.operation.describe(),
                })
                .collect();
            let report = JsonReport {
                clean,
                database: on_database.as_ref().map(|found| JsonDatabase {
                    changed: &found.changed,
                    drift: &found.drift,
                    not_applied: &found.pending,
                }),
                diff: if plan.is_empty() { String::new() } else { diff },
                forks: &forks,
                pending,
                replay_error: None,
                unacknowledged: &unacknowledged,
            };
            let mut text = serde_json::to_string_pretty(&report)?;
            text.push('\n');
            output::print(&text)?;
        }
        Format::Text => {
            let mut text = String::new();
            for fork in forks.iter().chain(&unacknowledged) {
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
            if let Some(found) = &on_database {
                text.push_str(&database_text(found));
            }
            if clean {
                text.push_str(&format!(
                    "{} the {} migration(s) in {} give the declared schema\n",
                    output::paint(output::GOOD, "ok:"),
                    existing.len(),
                    project.migrations.display()
                ));
            }
            output::print(&text)?;
        }
    }
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `check --each`: every database of the fleet read (as `check --database`
/// reads one) and where each stands: a table, or JSON.
fn check_each(
    project: &Project,
    each: &std::path::Path,
    arguments: &CheckArgs,
) -> anyhow::Result<ExitCode> {
    let targets = fleet::read(each)?;
    let folder = checked_folder(project)?;
    let results = fleet::each(
        &targets,
        arguments.fleet.jobs(),
        |_| true,
        |target| {
            on_database(project, &folder, target.url(), arguments.strict)
                .map_err(|error| target.error_line(&error))
        },
    );
    let results: Vec<Result<OnDatabase, String>> =
        results.into_iter().map(|result| result.expect("check has no canary to stop it")).collect();
    let status = |result: &Result<OnDatabase, String>| match result {
        Err(_) => "failed",
        Ok(found) if !found.failed.is_empty() => "failed",
        Ok(found) if !found.drift.is_empty() || !found.changed.is_empty() => "drifted",
        Ok(found) if !found.pending.is_empty() => "behind",
        Ok(_) => "current",
    };
    let count = |wanted: &str| results.iter().filter(|result| status(result) == wanted).count();
    let (current, behind, drifted, failed) =
        (count("current"), count("behind"), count("drifted"), count("failed"));
    let clean = current == targets.len();
    match arguments.format {
        Format::Json => {
            let empty = OnDatabase::default();
            let databases = targets
                .iter()
                .zip(&results)
                .map(|(target, result)| {
                    let found = result.as_ref().unwrap_or(&empty);
                    JsonFleetDatabase {
                        at: result.as_ref().ok().map(|found| found.at),
                        changed: &found.changed,
                        drift: &found.drift,
                        error: result.as_ref().err().map(String::as_str),
                        name: &target.name,
                        not_applied: &found.pending,
                        status: status(result),
                    }
                })
                .collect();
            let report = JsonFleetReport { behind, clean, current, databases, drifted, failed };
            let mut text = serde_json::to_string_pretty(&report)?;
            text.push('\n');
            output::print(&text)?;
        }
        Format::Text => {
            let rows: Vec<Vec<String>> = targets
                .iter()
                .zip(&results)
                .map(|(target, result)| {
                    let found = match result {
                        Err(error) => {
                            return vec![
                                target.name.clone(),
                                "?".into(),
                                "failed".into(),
                                error.clone(),
                            ]
                        }
                        Ok(found) => found,
                    };
                    let mut says = Vec::new();
                    let mut details = Vec::new();
                    if !found.failed.is_empty() {
                        says.push("failed".to_owned());
                    }
                    if !found.pending.is_empty() {
                        says.push(format!("behind {}", found.pending.len()));
                        let versions: Vec<&str> = found
                            .pending
                            .iter()
                            .map(|pending| pending.split(' ').next().unwrap_or(pending))
                            .collect();
                        details.push(format!("not applied: {}", versions.join(", ")));
                    }
                    if !found.drift.is_empty() || !found.changed.is_empty() {
                        says.push("drifted".to_owned());
                    }
                    details.extend(found.changed.iter().cloned());
                    details.extend(found.drift.iter().cloned());
                    if says.is_empty() {
                        says.push("current".to_owned());
                    }
                    let at = if found.at == 0 { "base".to_owned() } else { found.at.to_string() };
                    vec![target.name.clone(), at, says.join(", "), details.join("; ")]
                })
                .collect();
            let mut text = fleet::table(&["DATABASE", "AT", "STATUS", "DETAIL"], &rows);
            text.push_str(&format!(
                "{} database(s): {current} current, {behind} behind, {drifted} drifted, {failed} failed\n",
                targets.len()
            ));
            output::print(&text)?;
        }
    }
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `check --each --format json`. Fields in name order.
#[derive(serde::Serialize)]
struct JsonFleetReport<'a> {
    behind: usize,
    clean: bool,
    current: usize,
    databases: Vec<JsonFleetDatabase<'a>>,
    drifted: usize,
    failed: usize,
}

/// A database in `check --each --format json`.
#[derive(serde::Serialize)]
struct JsonFleetDatabase<'a> {
    /// The last migration applied; `null` when it could not be read.
    at: Option<i64>,
    changed: &'a [String],
    drift: &'a [String],
    /// Why it could not be read.
    error: Option<&'a str>,
    name: &'a str,
    not_applied: &'a [String],
    /// current, behind, drifted or failed (the last that holds).
    status: &'static str,
}

/// The hazards of each migration (its header's `-- hazards:` line) that
/// the project wants acknowledged and no `-- autogen: allow <hazard>:
/// <why>` line of its up file acknowledges, each as `file:line: …`; and the
/// acknowledgement lines that do not count (no reason, no such hazard).
fn unacknowledged(project: &Project, existing: &[migrations::Migration]) -> Vec<String> {
    let mut messages = Vec::new();
    for migration in existing {
        let path = autogen_schema::one_line(&migration.up_path.display().to_string()).into_owned();
        let sql = &migration.up.sql;
        let acknowledgements = migrations::acknowledgements(sql);
        for acknowledgement in &acknowledgements {
            let line = acknowledgement.line;
            if autogen_diff::Hazard::named(&acknowledgement.hazard).is_none() {
                let known: Vec<&str> =
                    autogen_diff::Hazard::ALL.iter().map(|hazard| hazard.name()).collect();
                messages.push(format!(
                    "{path}:{line}: `{}` is no hazard: the hazards are {}",
                    autogen_schema::one_line(&acknowledgement.hazard),
                    known.join(", ")
                ));
            } else if acknowledgement.reason.is_empty() {
                messages.push(format!(
                    "{path}:{line}: the acknowledgement of {} gives no reason: write why after \
                     the colon (`{}{}: <why>`)",
                    acknowledgement.hazard,
                    migrations::ACKNOWLEDGEMENT,
                    acknowledgement.hazard
                ));
            }
        }
        let Some((line, hazards)) = migrations::hazards_line(sql) else { continue };
        for hazard in &hazards {
            let wanted = autogen_diff::Hazard::named(hazard)
                .is_some_and(|hazard| project.acknowledge.contains(&hazard));
            let acknowledged = acknowledgements.iter().any(|acknowledgement| {
                acknowledgement.hazard == *hazard && !acknowledgement.reason.is_empty()
            });
            if wanted && !acknowledged {
                messages.push(format!(
                    "{path}:{line}: migration {} carries {hazard}, which needs an \
                     acknowledgement: once it is reviewed, add the line `{}{hazard}: <why>` to \
                     it (or leave {hazard} out of [hazards] acknowledge in {})",
                    migration.version,
                    migrations::ACKNOWLEDGEMENT,
                    project.describe_file()
                ));
            }
        }
    }
    messages
}

/// One message per fork of the history, naming the up file of each
/// migration on it and which to generate again.
fn fork_messages(existing: &[migrations::Migration]) -> Vec<String> {
    let file = |version: &i64| {
        existing.iter().find(|migration| migration.version == *version).map_or(
            version.to_string(),
            |migration| {
                autogen_schema::one_line(&migration.up_path.display().to_string()).into_owned()
            },
        )
    };
    migrations::forks(existing)
        .into_iter()
        .map(|(parent, children)| {
            let parent = parent.map_or("none (the first migration)".to_owned(), |p| p.to_string());
            let (kept, others) = children.split_first().expect("a fork has two children");
            let others: Vec<String> = others.iter().map(file).collect();
            format!(
                "the history forked: {} follow the same parent {parent}; keep {}, then delete {} (and the down files) and run `autogen revision` again",
                children.iter().map(file).collect::<Vec<_>>().join(" and "),
                file(kept),
                others.join(", ")
            )
        })
        .collect()
}

/// The report when the history forked and its branches conflict, so that
/// the migrations do not replay: the forks, and the replay's error.
fn forked_only(forks: &[String], replay_error: &str, format: Format) -> anyhow::Result<ExitCode> {
    let reason = format!("the migrations do not replay one after the other: {replay_error}");
    let text = match format {
        Format::Json => {
            let report = JsonReport {
                clean: false,
                database: None,
                diff: String::new(),
                forks,
                pending: Vec::new(),
                replay_error: Some(reason),
                unacknowledged: &[],
            };
            let mut text = serde_json::to_string_pretty(&report)?;
            text.push('\n');
            text
        }
        Format::Text => {
            let error = output::paint(output::ERROR, "error:");
            let mut text: String = forks.iter().map(|fork| format!("{error} {fork}\n")).collect();
            text.push_str(&format!("{reason}\n"));
            text
        }
    };
    output::print(&text)?;
    Ok(ExitCode::from(1))
}

/// The text of what the database check found.
fn database_text(found: &OnDatabase) -> String {
    let mut text = String::new();
    let error = output::paint(output::ERROR, "error:");
    for changed in &found.changed {
        text.push_str(&format!("{error} {changed}\n"));
    }
    if !found.pending.is_empty() {
        text.push_str(&format!(
            "the database is not at the migrations head: {} migration(s) not applied (`autogen upgrade head`)\n",
            found.pending.len()
        ));
        for pending in &found.pending {
            text.push_str(&format!("  {pending}\n"));
        }
    }
    if !found.drift.is_empty() {
        text.push_str(&format!(
            "the database drifted: {} change(s) made outside the migrations (from what its applied migrations give to what it has)\n",
            found.drift.len()
        ));
        for operation in &found.drift {
            text.push_str(&format!("  {operation}\n"));
        }
    }
    if found.clean() {
        text.push_str(&format!(
            "{} the database is at the migrations head, as they leave it\n",
            output::paint(output::GOOD, "ok:")
        ));
    }
    text
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
