//! The commands that run migrations or tell what ran: `upgrade`,
//! `downgrade`, `current`, `history`, `stamp`, `heads`, on the runner
//! (sqlx's migrator and `_sqlx_migrations`).

use std::process::ExitCode;
use std::time::Duration;

use anyhow::bail;

use crate::config::{Project, ProjectArgs};
use crate::fleet::{self, FleetArgs};
use crate::migrations::Migration;
use crate::runner::{self, Applied, Database, Folder, Target};
use crate::{migrations, output};

/// The database and project settings of the commands that run migrations.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct DatabaseArgs {
    /// The database. Setting: database_url (`env:DATABASE_URL` reads the
    /// variable, or `.env`).
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,

    #[command(flatten)]
    project: ProjectArgs,
}

impl DatabaseArgs {
    fn project(&self) -> anyhow::Result<Project> {
        Project::load(&self.project, self.database_url.as_deref())
    }
}

/// The project's database URL, or an error saying how to give one.
fn required_url(project: &Project, command: &str) -> anyhow::Result<String> {
    match project.database_url()? {
        Some(url) => Ok(url),
        None => bail!(
            "`autogen {command}` needs a database: set database_url in {} (or the variable it names), or give --database-url",
            project.describe_file()
        ),
    }
}

/// Arguments of `autogen upgrade`.
#[derive(Debug, clap::Args)]
#[command(after_help = "TARGET: head (every migration not applied yet), +N (the next N), or a \
version (the migrations up to and including it).

Each migration runs with sqlx's migrator: its SQL and its _sqlx_migrations row in one \
transaction, unless the file starts with `-- no-transaction`. A session advisory lock makes a \
second process wait, so each migration is applied once. A migration that fails leaves the \
database at the version before it; the error names the statement and PostgreSQL's message. One \
that failed waiting for a lock (its lock_timeout) is tried again, saying so, up to --lock-retries \
times.

--sql prints the script instead (the bookkeeping included) and changes nothing: it reads what \
the database has applied, or starts from --from when given (base: an empty database).

--each FILE runs on every database FILE names (a database per tenant or per region): the first, \
the canary, alone — when it fails, no other is touched —, then the others, -j at once. Each \
applies what its own _sqlx_migrations lacks, under its own lock, so a second run (after a fix) \
applies only what is still missing. The outcome of each is a line of a table (--format json: \
for tools); URLs are shown without their passwords.

Exit status: 0 when done (with --each: on every database), 1 when a database of --each failed \
or was not run, 2 on error.")]
pub struct UpgradeArgs {
    /// head, +N, or a version.
    #[arg(default_value = "head", value_name = "TARGET")]
    target: Target,

    /// Print the SQL that would run; touch nothing.
    #[arg(long, conflicts_with = "each")]
    sql: bool,

    /// With --sql: the version the database is at (base, or a version),
    /// instead of asking the database.
    #[arg(long, value_name = "VERSION", requires = "sql")]
    from: Option<Target>,

    /// How many times a migration that failed waiting for a lock (its
    /// lock_timeout: SQLSTATE 55P03) is tried again, after 1s, 2s, 4s …
    /// Setting: lock_retries [default: 3].
    #[arg(long, value_name = "N")]
    lock_retries: Option<u32>,

    #[command(flatten)]
    fleet: FleetArgs,

    /// With --each: the outcome as a table (text), or JSON for tools.
    #[arg(long, value_enum, default_value_t = Format::Text, requires = "each")]
    format: Format,

    #[command(flatten)]
    database: DatabaseArgs,
}

/// Arguments of `autogen downgrade`.
#[derive(Debug, clap::Args)]
#[command(after_help = "TARGET: -N (revert the last N applied), a version (revert those after \
it), or base (revert them all). Each revert runs the .down.sql file with sqlx's migrator: the SQL \
and the removal of its _sqlx_migrations row in one transaction; one that failed waiting for a \
lock is tried again, up to --lock-retries times.

--sql prints the script instead and changes nothing: it reads what the database has applied, or \
starts from --from when given (head: every migration applied).

Exit status: 0 when done, 2 on error.")]
pub struct DowngradeArgs {
    /// -N, a version, or base.
    #[arg(value_name = "TARGET", allow_negative_numbers = true)]
    target: Target,

    /// Print the SQL that would run; touch nothing.
    #[arg(long)]
    sql: bool,

    /// With --sql: the version the database is at (head, or a version),
    /// instead of asking the database.
    #[arg(long, value_name = "VERSION", requires = "sql")]
    from: Option<Target>,

    /// How many times a migration that failed waiting for a lock is tried
    /// again, after 1s, 2s, 4s … Setting: lock_retries [default: 3].
    #[arg(long, value_name = "N")]
    lock_retries: Option<u32>,

    #[command(flatten)]
    database: DatabaseArgs,
}

/// Arguments of `autogen current`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Prints the last migration applied (from _sqlx_migrations), whether it is \
the head of the folder, and the migrations not applied yet. With -v, every applied migration \
with when it was applied and how long it took.

Exit status: 0, 2 on error.")]
pub struct CurrentArgs {
    #[command(flatten)]
    database: DatabaseArgs,
}

/// Arguments of `autogen history`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Lists the migrations of the folder, newest first, each with its parent; \
-v adds the operations and hazards of its header and its files. --database (or --database-url) \
also marks which are applied on the database.

Exit status: 0, 2 on error.")]
pub struct HistoryArgs {
    /// Also mark which migrations the database has applied.
    #[arg(long)]
    database: bool,

    /// What to print: text, or JSON for tools.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    #[command(flatten)]
    settings: DatabaseArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Arguments of `autogen stamp`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Marks the migrations up to TARGET as applied and those after it as not \
applied, in _sqlx_migrations, running none of them: for a database whose schema already is at \
TARGET (made by hand, restored from a dump), or to repair the bookkeeping after a failed \
no-transaction migration. Rows of changed files take the file's checksum.

Exit status: 0, 2 on error.")]
pub struct StampArgs {
    /// A version, head, or base.
    #[arg(value_name = "TARGET")]
    target: Target,

    #[command(flatten)]
    database: DatabaseArgs,
}

/// Arguments of `autogen heads`.
#[derive(Debug, clap::Args)]
#[command(after_help = "A head is a migration no other follows (by the parent its header names). \
One head is a straight history; two or more mean it forked (`autogen check` says which to \
regenerate).

Exit status: 0, 2 on error.")]
pub struct HeadsArgs {
    #[command(flatten)]
    project: ProjectArgs,
}

fn folder(project: &Project) -> anyhow::Result<Folder> {
    Folder::read(&project.migrations)
}

fn describe(version: i64, folder: &Folder) -> String {
    match folder.step(version) {
        _ if version == 0 => "base".to_owned(),
        Some(step) => format!("{version} {}", step.description),
        None => version.to_string(),
    }
}

pub(crate) fn upgrade(arguments: UpgradeArgs) -> anyhow::Result<ExitCode> {
    let project = arguments.database.project()?;
    let retries = lock_retries(&project, arguments.lock_retries);
    let run = Run { direction: Direction::Up, target: arguments.target, retries };
    if let Some(each) = &arguments.fleet.each {
        if arguments.database.database_url.is_some() {
            bail!(
                "--each runs on the databases its file names: give it or --database-url, not both"
            );
        }
        return upgrade_each(&project, run, each, &arguments.fleet, arguments.format);
    }
    migrate(&project, run, arguments.sql, arguments.from)
}

pub(crate) fn downgrade(arguments: DowngradeArgs) -> anyhow::Result<ExitCode> {
    let project = arguments.database.project()?;
    let retries = lock_retries(&project, arguments.lock_retries);
    let run = Run { direction: Direction::Down, target: arguments.target, retries };
    migrate(&project, run, arguments.sql, arguments.from)
}

/// `--lock-retries`, over the setting, over the default.
fn lock_retries(project: &Project, flag: Option<u32>) -> u32 {
    flag.or(project.lock_retries).unwrap_or(crate::timeouts::DEFAULT_LOCK_RETRIES)
}

/// Which migrations a run of `upgrade` or `downgrade` takes, and how.
#[derive(Debug, Clone, Copy)]
struct Run {
    direction: Direction,
    target: Target,
    /// How many times a migration that failed on a lock timeout is tried
    /// again.
    retries: u32,
}

/// Which way `migrate` goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
}

impl Direction {
    fn command(self) -> &'static str {
        match self {
            Direction::Up => "upgrade",
            Direction::Down => "downgrade",
        }
    }

    /// The migrations to run for `target`, in the order to run them.
    fn choose<'f>(
        self,
        folder: &'f Folder,
        applied: &[i64],
        target: Target,
    ) -> anyhow::Result<Vec<&'f Migration>> {
        match self {
            Direction::Up => to_apply(folder, applied, target),
            Direction::Down => to_revert(folder, applied, target),
        }
    }
}

/// `upgrade` and `downgrade`: under sqlx's lock, each chosen migration
/// applied (or reverted) by sqlx in turn; or, with `sql`, their script.
fn migrate(
    project: &Project,
    run: Run,
    sql: bool,
    from: Option<Target>,
) -> anyhow::Result<ExitCode> {
    let Run { direction, target, .. } = run;
    if sql {
        return print_script(project, direction, target, from);
    }
    let url = required_url(project, direction.command())?;
    let mut database = Database::connect(&url)?;
    let folder = folder(project)?;
    folder.check_with_sqlx()?;
    let applied = database.lock(&folder)?;
    let mut versions: Vec<i64> = applied.iter().map(|row| row.version).collect();
    let ran = run_locked(&mut database, &folder, &mut versions, run);
    let unlocked = database.unlock();
    let count = ran?.len();
    unlocked?;
    let at = position(versions.iter().max().copied().unwrap_or(0), &folder);
    match (count, direction) {
        (0, Direction::Up) => output::say(&format!("already at {at}: nothing to apply")),
        (0, Direction::Down) => output::say(&format!("already at {at}: nothing to revert")),
        _ => output::say(&format!("now at {at}")),
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs the migrations `target` chooses, given the applied `versions`
/// (kept true as they run, also when one fails); the versions that ran.
fn run_locked(
    database: &mut Database,
    folder: &Folder,
    versions: &mut Vec<i64>,
    run: Run,
) -> anyhow::Result<Vec<i64>> {
    let Run { direction, target, retries } = run;
    let steps = direction.choose(folder, versions, target)?;
    let (doing, done) = match direction {
        Direction::Up => ("applying", "applied"),
        Direction::Down => ("reverting", "reverted"),
    };
    let progress = output::Progress::new(steps.len(), doing);
    for step in &steps {
        let at = versions.iter().max().copied().unwrap_or(0);
        progress.step(&format!("{} {}", step.version, step.description));
        let took = match direction {
            Direction::Up => database.apply(step, at, retries)?,
            Direction::Down => database.revert(step, at, retries)?,
        };
        progress.done(&format!(
            "{done} {} {} ({})",
            step.version,
            step.description,
            output::duration(took)
        ));
        match direction {
            Direction::Up => versions.push(step.version),
            Direction::Down => versions.retain(|version| *version != step.version),
        }
    }
    Ok(steps.iter().map(|step| step.version).collect())
}

/// What `upgrade --each` did on one database.
#[derive(Debug, Default)]
struct Upgraded {
    /// The version it was at; `None` when it could not be read.
    before: Option<i64>,
    /// The version it is at after the run.
    after: Option<i64>,
    /// The versions applied, in order.
    applied: Vec<i64>,
    took: Duration,
    /// Why it stopped, its URL's secrets hidden.
    error: Option<String>,
}

/// `upgrade --each`: the migrations `run` chooses applied on every database
/// of the fleet (the canary first), then the table of what each did.
fn upgrade_each(
    project: &Project,
    run: Run,
    each: &std::path::Path,
    arguments: &FleetArgs,
    format: Format,
) -> anyhow::Result<ExitCode> {
    let targets = fleet::read(each)?;
    let folder = folder(project)?;
    folder.check_with_sqlx()?;
    if !matches!(run.target, Target::Forward(_)) {
        // A target the folder does not have fails here, not 50 times.
        to_apply(&folder, &[], run.target)?;
    }
    let results = fleet::each(
        &targets,
        arguments.jobs(),
        |outcome: &Upgraded| outcome.error.is_none(),
        |target| upgrade_one(&folder, target, run),
    );
    let outcome = |result: &Option<Upgraded>| match result {
        None => "not-run",
        Some(Upgraded { error: Some(_), .. }) => "failed",
        Some(upgraded) if upgraded.applied.is_empty() => "up-to-date",
        Some(_) => "upgraded",
    };
    let count = |wanted: &str| results.iter().filter(|result| outcome(result) == wanted).count();
    let (upgraded, current, failed, not_run) =
        (count("upgraded"), count("up-to-date"), count("failed"), count("not-run"));
    match format {
        Format::Json => {
            let databases = targets
                .iter()
                .zip(&results)
                .enumerate()
                .map(|(index, (target, result))| JsonUpgraded {
                    after: result.as_ref().and_then(|done| done.after),
                    applied: result.as_ref().map(|done| done.applied.clone()).unwrap_or_default(),
                    before: result.as_ref().and_then(|done| done.before),
                    canary: index == 0,
                    error: result.as_ref().and_then(|done| done.error.clone()),
                    milliseconds: result.as_ref().map_or(0, |done| done.took.as_millis()),
                    name: &target.name,
                    outcome: outcome(result),
                })
                .collect();
            let report = JsonFleet {
                databases,
                failed,
                not_run,
                target: run.target.to_string(),
                up_to_date: current,
                upgraded,
            };
            let mut text = serde_json::to_string_pretty(&report)?;
            text.push('\n');
            output::print(&text)?;
        }
        Format::Text => {
            let version = |version: Option<i64>| match version {
                None => "?".to_owned(),
                Some(0) => "base".to_owned(),
                Some(version) => version.to_string(),
            };
            let rows: Vec<Vec<String>> = targets
                .iter()
                .zip(&results)
                .enumerate()
                .map(|(index, (target, result))| {
                    let name = if index == 0 {
                        format!("{} (canary)", target.name)
                    } else {
                        target.name.clone()
                    };
                    let Some(done) = result else {
                        return vec![
                            name,
                            "?".into(),
                            "?".into(),
                            "not run: the canary failed".into(),
                        ];
                    };
                    let what = match &done.error {
                        Some(error) => format!("FAILED: {error}"),
                        None if done.applied.is_empty() => "up to date".to_owned(),
                        None => format!(
                            "applied {} ({})",
                            done.applied.len(),
                            output::duration(done.took)
                        ),
                    };
                    vec![name, version(done.before), version(done.after), what]
                })
                .collect();
            let mut text = fleet::table(&["DATABASE", "BEFORE", "AFTER", "OUTCOME"], &rows);
            text.push_str(&format!(
                "{} database(s): {upgraded} upgraded, {current} up to date, {failed} failed, {not_run} not run\n",
                targets.len()
            ));
            output::print(&text)?;
        }
    }
    if failed + not_run == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    let stopped: Vec<&str> = targets
        .iter()
        .zip(&results)
        .filter(|(_, result)| outcome(result) == "failed")
        .map(|(target, _)| target.name.as_str())
        .collect();
    output::error(&format!(
        "{} failed{}; once fixed, run the same command again: each database applies only what its _sqlx_migrations lacks",
        stopped.join(", "),
        if not_run > 0 { " (the canary: no other database was touched)" } else { "" }
    ));
    Ok(ExitCode::from(1))
}

/// One database of `upgrade --each`: under its lock, what it lacks applied.
fn upgrade_one(folder: &Folder, target: &fleet::Target, run: Run) -> Upgraded {
    let start = std::time::Instant::now();
    let mut done = Upgraded::default();
    let mut work = || -> anyhow::Result<()> {
        let mut database = Database::connect(target.url())?;
        let applied = database.lock(folder)?;
        let mut versions: Vec<i64> = applied.iter().map(|row| row.version).collect();
        done.before = Some(versions.iter().max().copied().unwrap_or(0));
        let ran = run_locked(&mut database, folder, &mut versions, run);
        done.after = Some(versions.iter().max().copied().unwrap_or(0));
        done.applied = versions
            .iter()
            .copied()
            .filter(|version| !applied.iter().any(|row| row.version == *version))
            .collect();
        let unlocked = database.unlock();
        ran?;
        unlocked
    };
    if let Err(error) = work() {
        done.error = Some(target.error_line(&error));
    }
    done.took = start.elapsed();
    done
}

/// `upgrade --each --format json`. Fields in name order.
#[derive(serde::Serialize)]
struct JsonFleet<'a> {
    databases: Vec<JsonUpgraded<'a>>,
    failed: usize,
    not_run: usize,
    target: String,
    up_to_date: usize,
    upgraded: usize,
}

/// A database in `upgrade --each --format json`.
#[derive(serde::Serialize)]
struct JsonUpgraded<'a> {
    /// `null` when it was not read (not run, or no connection).
    after: Option<i64>,
    applied: Vec<i64>,
    before: Option<i64>,
    canary: bool,
    error: Option<String>,
    milliseconds: u128,
    name: &'a str,
    /// upgraded, up-to-date, failed, not-run.
    outcome: &'static str,
}

/// `--sql`: the script of what `migrate` would run, from what the database
/// has applied (read only) or from `--from`; nothing runs.
fn print_script(
    project: &Project,
    direction: Direction,
    target: Target,
    from: Option<Target>,
) -> anyhow::Result<ExitCode> {
    let command = direction.command();
    let folder = folder(project)?;
    let (applied, start) = match from {
        Some(from) => {
            let at = folder.resolve(&from)?;
            let applied =
                folder.migrations.iter().filter(|s| s.version <= at).map(|s| s.version).collect();
            (applied, from.to_string())
        }
        None => {
            let Some(url) = project.database_url()? else {
                let offline = if direction == Direction::Up { "base" } else { "head" };
                bail!(
                    "`autogen {command} --sql` reads what the database has applied: set database_url in {} or give --database-url, or start from a version with --from (e.g. --from {offline})",
                    project.describe_file()
                );
            };
            let mut database = Database::connect(&url)?;
            folder.check_with_sqlx()?;
            let applied = database.applied()?;
            runner::verify(&folder, &applied)?;
            (applied.iter().map(|row| row.version).collect::<Vec<_>>(), database.shown.clone())
        }
    };
    let steps = direction.choose(&folder, &applied, target)?;
    let mut script = format!(
        "-- autogen {command} {target} --sql, from {start}: {} migration(s); nothing was run\n-- (`autogen {command}` also holds sqlx's advisory lock while it runs these)\n",
        steps.len()
    );
    if direction == Direction::Up {
        script.push('\n');
        script.push_str(runner::BOOKKEEPING_TABLE);
        script.push('\n');
    }
    for step in steps {
        script.push('\n');
        script.push_str(&match direction {
            Direction::Up => runner::apply_script(step),
            Direction::Down => runner::revert_script(step)?,
        });
    }
    crate::output::print(&script)?;
    Ok(ExitCode::SUCCESS)
}

/// `version description (head)` or `base`.
fn position(version: i64, folder: &Folder) -> String {
    let head = if folder.head() == Some(version) && version != 0 { " (head)" } else { "" };
    format!("{}{head}", describe(version, folder))
}

/// The migrations `upgrade TARGET` applies, in order, given the applied
/// versions.
fn to_apply<'f>(
    folder: &'f Folder,
    applied: &[i64],
    target: Target,
) -> anyhow::Result<Vec<&'f Migration>> {
    let pending: Vec<&Migration> =
        folder.migrations.iter().filter(|step| !applied.contains(&step.version)).collect();
    match target {
        Target::Forward(count) => {
            if count > pending.len() {
                bail!(
                    "{target}: only {} migration(s) are not applied yet; nothing was applied",
                    pending.len()
                );
            }
            Ok(pending.into_iter().take(count).collect())
        }
        Target::Back(_) => bail!("upgrade takes head, +N or a version; `{target}` applies nothing"),
        Target::Head | Target::Base | Target::Version(_) => {
            let last = folder.resolve(&target)?;
            Ok(pending.into_iter().filter(|step| step.version <= last).collect())
        }
    }
}

/// The migrations `downgrade TARGET` reverts, newest first, given the
/// applied versions.
fn to_revert<'f>(
    folder: &'f Folder,
    applied: &[i64],
    target: Target,
) -> anyhow::Result<Vec<&'f Migration>> {
    let mut reverting: Vec<&Migration> =
        folder.migrations.iter().rev().filter(|step| applied.contains(&step.version)).collect();
    match target {
        Target::Back(count) => {
            if count > reverting.len() {
                bail!(
                    "{target}: only {} migration(s) are applied; nothing was reverted",
                    reverting.len()
                );
            }
            reverting.truncate(count);
        }
        Target::Head => bail!("downgrade takes -N, a version or base; `head` reverts nothing"),
        Target::Forward(_) => {
            bail!("downgrade takes -N, a version or base; `{target}` reverts nothing")
        }
        Target::Base | Target::Version(_) => {
            let last = folder.resolve(&target)?;
            reverting.retain(|step| step.version > last);
        }
    }
    for step in &reverting {
        if step.down.is_none() {
            bail!(
                "{}: migration {} has no down file, so it cannot be reverted; nothing was reverted",
                step.up_path.display(),
                step.version
            );
        }
    }
    Ok(reverting)
}

pub(crate) fn current(arguments: CurrentArgs) -> anyhow::Result<ExitCode> {
    let project = arguments.database.project()?;
    let url = required_url(&project, "current")?;
    let mut database = Database::connect(&url)?;
    let folder = folder(&project)?;
    folder.check_with_sqlx()?;
    let applied = database.applied()?;
    for problem in runner::changed(&folder, &applied) {
        output::warn(&problem);
    }
    let mut text = String::new();
    if output::verbose() {
        for row in &applied {
            text.push_str(&format!(
                "{} {}  applied {}{}{}\n",
                row.version,
                row.description,
                row.installed_on.format("%Y-%m-%d %H:%M:%S UTC"),
                if row.execution_time >= 0 {
                    format!(
                        " in {}",
                        output::duration(Duration::from_nanos(row.execution_time as u64))
                    )
                } else {
                    String::new()
                },
                if row.success { "" } else { "  FAILED" }
            ));
        }
    }
    let at = applied.iter().rev().find(|row| row.success).map_or(0, |row| row.version);
    let pending: Vec<&Migration> = folder
        .migrations
        .iter()
        .filter(|step| !applied.iter().any(|row| row.version == step.version))
        .collect();
    text.push_str(&position(at, &folder));
    if at == 0 {
        text.push_str(": no migration applied");
    }
    text.push('\n');
    if !pending.is_empty() {
        text.push_str(&format!(
            "{} migration(s) not applied: {} (`autogen upgrade head`)\n",
            pending.len(),
            pending.iter().map(|step| step.version.to_string()).collect::<Vec<_>>().join(", ")
        ));
    }
    crate::output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn history(arguments: HistoryArgs) -> anyhow::Result<ExitCode> {
    let project = arguments.settings.project()?;
    let folder = folder(&project)?;
    let applied: Option<Vec<Applied>> =
        if arguments.database || arguments.settings.database_url.is_some() {
            let url = required_url(&project, "history --database")?;
            let mut database = Database::connect(&url)?;
            folder.check_with_sqlx()?;
            Some(database.applied()?)
        } else {
            None
        };
    let heads = folder.heads();
    let row_of = |version: i64| {
        applied.as_ref().and_then(|rows| rows.iter().find(|row| row.version == version))
    };
    match arguments.format {
        Format::Json => {
            let entries: Vec<HistoryEntry> = folder
                .migrations
                .iter()
                .enumerate()
                .rev()
                .map(|(index, step)| {
                    let (operations, hazards) = migrations::operations_and_hazards(&step.up.sql);
                    HistoryEntry {
                        applied: applied
                            .as_ref()
                            .map(|_| row_of(step.version).map(|row| row.installed_on.to_rfc3339())),
                        description: &step.description,
                        down: step.down_path.as_ref().map(|path| path.display().to_string()),
                        hazards,
                        head: heads.contains(&step.version),
                        no_transaction: step.up.no_tx,
                        operations,
                        parent: folder.parent(index),
                        up: step.up_path.display().to_string(),
                        version: step.version,
                    }
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&entries)?;
            text.push('\n');
            crate::output::print(&text)?;
        }
        Format::Text => {
            let mut text = String::new();
            if folder.migrations.is_empty() {
                text.push_str(&format!("no migrations in {}\n", folder.path.display()));
            }
            for (index, step) in folder.migrations.iter().enumerate().rev() {
                let parent =
                    folder.parent(index).map_or("base".to_owned(), |parent| parent.to_string());
                let mut marks = Vec::new();
                if heads.contains(&step.version) {
                    marks.push("head".to_owned());
                }
                if applied.is_some() {
                    marks.push(match row_of(step.version) {
                        Some(row) if !row.success => "FAILED".to_owned(),
                        Some(_) => "applied".to_owned(),
                        None => "pending".to_owned(),
                    });
                }
                let marks = if marks.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", marks.join(", "))
                };
                text.push_str(&format!(
                    "{parent} -> {}{marks}, {}\n",
                    step.version, step.description
                ));
                if output::verbose() {
                    let (operations, hazards) = migrations::operations_and_hazards(&step.up.sql);
                    for operation in operations {
                        text.push_str(&format!("    {operation}\n"));
                    }
                    if !hazards.is_empty() {
                        text.push_str(&format!("    hazards: {}\n", hazards.join(", ")));
                    }
                    text.push_str(&format!("    up: {}\n", step.up_path.display()));
                    match &step.down_path {
                        Some(path) => text.push_str(&format!("    down: {}\n", path.display())),
                        None => text.push_str("    down: none (cannot be reverted)\n"),
                    }
                    if let Some(row) = row_of(step.version) {
                        text.push_str(&format!(
                            "    applied: {}\n",
                            row.installed_on.format("%Y-%m-%d %H:%M:%S UTC")
                        ));
                    }
                }
            }
            crate::output::print(&text)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A migration in `history --format json`. Fields in name order, as it
/// has always printed them.
#[derive(serde::Serialize)]
struct HistoryEntry<'a> {
    /// With a database: when it was applied, `null` when it was not; absent
    /// without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    applied: Option<Option<String>>,
    description: &'a str,
    down: Option<String>,
    hazards: Vec<String>,
    head: bool,
    no_transaction: bool,
    operations: Vec<String>,
    /// `null`: the first migration.
    parent: Option<i64>,
    up: String,
    version: i64,
}

pub(crate) fn stamp(arguments: StampArgs) -> anyhow::Result<ExitCode> {
    let project = arguments.database.project()?;
    let url = required_url(&project, "stamp")?;
    let mut database = Database::connect(&url)?;
    let folder = folder(&project)?;
    folder.check_with_sqlx()?;
    let target = folder.resolve(&arguments.target)?;
    database.lock_only()?;
    let stamped = database.stamp(&folder, target);
    database.unlock()?;
    let (added, removed) = stamped?;
    output::say(&format!(
        "stamped {}: {added} migration(s) marked applied, {removed} marked not applied; no migration was run",
        position(target, &folder)
    ));
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn heads(arguments: HeadsArgs) -> anyhow::Result<ExitCode> {
    let project = Project::load(&arguments.project, None)?;
    let folder = folder(&project)?;
    let heads = folder.heads();
    let mut text = String::new();
    for head in &heads {
        text.push_str(&format!("{} (head)\n", describe(*head, &folder)));
    }
    if heads.is_empty() {
        text.push_str(&format!("no migrations in {}\n", folder.path.display()));
    }
    crate::output::print(&text)?;
    if heads.len() > 1 {
        output::warn("the history forked: `autogen check` says which migration to regenerate");
    }
    Ok(ExitCode::SUCCESS)
}
