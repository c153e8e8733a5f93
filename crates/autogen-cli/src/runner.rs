//! Running the migrations folder on a database, with sqlx's migrator: the
//! folder's migrations as sqlx reads them (`migrations::list`), its `apply` and
//! `revert` (each migration and its `_sqlx_migrations` row in one
//! transaction) and its session advisory lock. autogen adds the choice of
//! which migrations (`head`, `+N`, `-N`, a version, `base`), `stamp`, the
//! offline `--sql` script, and errors that name the failing statement.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context as _};
use sqlx::migrate::{Migrate as _, MigrateError};
use sqlx::Connection as _;

use crate::migrations::{self, Migration};
use crate::timeouts::SessionSetting;

/// The migrations folder, as the runner runs it.
#[derive(Debug, Clone)]
pub(crate) struct Folder {
    pub(crate) path: PathBuf,
    pub(crate) migrations: Vec<Migration>,
}

impl Folder {
    /// Reads `path` (an empty list when it does not exist yet).
    pub(crate) fn read(path: &Path) -> anyhow::Result<Self> {
        Ok(Folder { path: path.to_path_buf(), migrations: migrations::list(path)? })
    }

    /// Reads the folder with sqlx's own `Migrator::new` as well, and fails
    /// naming the file where the two readings disagree: sqlx stays the
    /// authority on what its migrator would run.
    pub(crate) fn check_with_sqlx(&self) -> anyhow::Result<()> {
        runtime()?.block_on(same_as_sqlx(self))
    }

    pub(crate) fn head(&self) -> Option<i64> {
        self.migrations.last().map(|step| step.version)
    }

    pub(crate) fn step(&self, version: i64) -> Option<&Migration> {
        self.migrations.iter().find(|step| step.version == version)
    }

    /// The version the migration at `index` follows: the parent its header
    /// names, or, without a header, the migration before it; `None` for
    /// the base.
    pub(crate) fn parent(&self, index: usize) -> Option<i64> {
        match self.migrations[index].parent {
            Some(parent) => parent.and_then(|p| i64::try_from(p).ok()),
            None => index.checked_sub(1).map(|before| self.migrations[before].version),
        }
    }

    /// Versions no other migration follows: one for a straight history,
    /// more when it forked. A migration without a header follows the one
    /// before it.
    pub(crate) fn heads(&self) -> Vec<i64> {
        let parents: Vec<Option<i64>> =
            (0..self.migrations.len()).map(|index| self.parent(index)).collect();
        self.migrations
            .iter()
            .map(|step| step.version)
            .filter(|version| !parents.contains(&Some(*version)))
            .collect()
    }

    /// The version a target names: `head`, `base` (0) or a version of the
    /// folder; `+N` and `-N` name none.
    pub(crate) fn resolve(&self, target: &Target) -> anyhow::Result<i64> {
        match *target {
            Target::Head => Ok(self.head().unwrap_or(0)),
            Target::Base => Ok(0),
            Target::Version(version) => {
                if self.step(version).is_none() {
                    bail!(
                        "no migration {version} in {} (`autogen history` lists them)",
                        self.path.display()
                    );
                }
                Ok(version)
            }
            Target::Forward(_) | Target::Back(_) => bail!(
                "`{target}` is not a version: give head, base, or a version of {}",
                self.path.display()
            ),
        }
    }
}

/// What `upgrade`, `downgrade`, `stamp` and `--from` name, parsed once
/// (clap's value parser, through `FromStr`). Which command takes which is
/// the command's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// `head`: the last migration of the folder.
    Head,
    /// `base`: before every migration (version 0).
    Base,
    /// `+N`: the next N migrations not applied.
    Forward(usize),
    /// `-N`: the last N migrations applied.
    Back(usize),
    /// A version of the folder.
    Version(i64),
}

impl std::str::FromStr for Target {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let count = |digits: &str, sign: char| {
            digits.parse::<usize>().map_err(|_| {
                format!("`{text}`: {sign}N takes a number of migrations, e.g. {sign}1")
            })
        };
        match text {
            "head" => Ok(Target::Head),
            "base" => Ok(Target::Base),
            _ if text.starts_with('+') => count(&text[1..], '+').map(Target::Forward),
            _ if text.starts_with('-') => count(&text[1..], '-').map(Target::Back),
            _ => text.parse().map(Target::Version).map_err(|_| {
                format!("`{text}` is not a version: give head, base, +N, -N, or a version")
            }),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Head => formatter.write_str("head"),
            Target::Base => formatter.write_str("base"),
            Target::Forward(count) => write!(formatter, "+{count}"),
            Target::Back(count) => write!(formatter, "-{count}"),
            Target::Version(version) => write!(formatter, "{version}"),
        }
    }
}

/// A row of `_sqlx_migrations`.
#[derive(Debug, Clone)]
pub(crate) struct Applied {
    pub(crate) version: i64,
    pub(crate) description: String,
    pub(crate) installed_on: chrono::DateTime<chrono::Utc>,
    pub(crate) success: bool,
    pub(crate) checksum: Vec<u8>,
    pub(crate) execution_time: i64,
}

/// Which of sqlx's migrator steps a migration runs.
#[derive(Debug, Clone, Copy)]
enum Way {
    Apply,
    Revert,
}

/// A connection to the project's database, for the commands that run
/// migrations or read what was run.
pub(crate) struct Database {
    pub(crate) runtime: tokio::runtime::Runtime,
    connection: sqlx::PgConnection,
    /// The URL without its password, for messages.
    pub(crate) shown: String,
}

impl Database {
    pub(crate) fn connect(url: &str) -> anyhow::Result<Self> {
        let runtime = runtime()?;
        let connection = runtime.block_on(autogen_introspect::connect(url))?;
        Ok(Database { runtime, connection, shown: autogen_introspect::redact_url(url) })
    }

    /// The rows of `_sqlx_migrations` by version; none when the table does
    /// not exist. Reads only.
    pub(crate) fn applied(&mut self) -> anyhow::Result<Vec<Applied>> {
        let connection = &mut self.connection;
        self.runtime.block_on(async {
            let exists: bool =
                sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
                    .fetch_one(&mut *connection)
                    .await?;
            if !exists {
                return Ok(Vec::new());
            }
            type Row = (i64, String, chrono::DateTime<chrono::Utc>, bool, Vec<u8>, i64);
            let rows: Vec<Row> = sqlx::query_as(
                "SELECT version, description, installed_on, success, checksum, execution_time \
                 FROM _sqlx_migrations ORDER BY version",
            )
            .fetch_all(&mut *connection)
            .await
            .context("reading _sqlx_migrations")?;
            Ok(rows
                .into_iter()
                .map(|(version, description, installed_on, success, checksum, execution_time)| {
                    Applied {
                        version,
                        description,
                        installed_on,
                        success,
                        checksum,
                        execution_time,
                    }
                })
                .collect())
        })
    }

    /// Takes sqlx's advisory lock (waiting for another process that holds
    /// it) and makes sure `_sqlx_migrations` exists, as sqlx's migrator
    /// does before it runs anything; then the applied rows, checked against
    /// the folder.
    pub(crate) fn lock(&mut self, folder: &Folder) -> anyhow::Result<Vec<Applied>> {
        self.lock_only()?;
        let applied = self.applied().and_then(|applied| {
            verify(folder, &applied)?;
            Ok(applied)
        });
        if applied.is_err() {
            let _ = self.unlock();
        }
        applied
    }

    /// Takes the lock and makes sure `_sqlx_migrations` exists.
    pub(crate) fn lock_only(&mut self) -> anyhow::Result<()> {
        let connection = &mut self.connection;
        self.runtime.block_on(async {
            connection.lock().await.context("taking the migration lock")?;
            connection.ensure_migrations_table().await.context("creating _sqlx_migrations")?;
            anyhow::Ok(())
        })
    }

    pub(crate) fn unlock(&mut self) -> anyhow::Result<()> {
        let connection = &mut self.connection;
        self.runtime.block_on(connection.unlock()).context("releasing the migration lock")
    }

    /// Applies one migration with sqlx (its SQL and its row, in one
    /// transaction unless it says `-- no-transaction`), trying it again up
    /// to `retries` times when it failed waiting for a lock.
    pub(crate) fn apply(
        &mut self,
        step: &Migration,
        before: i64,
        retries: u32,
    ) -> anyhow::Result<Duration> {
        self.run_retrying((&step.up, &step.up_settings), &step.up_path, before, retries, Way::Apply)
    }

    /// Reverts one migration with sqlx (its down SQL and the removal of its
    /// row, in one transaction unless it says `-- no-transaction`), tried
    /// again as [`Database::apply`] does.
    pub(crate) fn revert(
        &mut self,
        step: &Migration,
        before: i64,
        retries: u32,
    ) -> anyhow::Result<Duration> {
        let (Some(down), Some(path)) = (&step.down, &step.down_path) else {
            bail!("{}: migration {} has no down file", step.up_path.display(), step.version);
        };
        self.run_retrying((down, &step.down_settings), path, before, retries, Way::Revert)
    }

    /// Runs `migration` sqlx's `way`, its header's `settings` set on the
    /// session around it; when it failed on a lock timeout (and left
    /// nothing behind: it ran in a transaction, or is one statement), waits
    /// and tries again, at most `retries` times, saying so on stderr each
    /// time.
    fn run_retrying(
        &mut self,
        (migration, settings): (&sqlx::migrate::Migration, &[SessionSetting]),
        path: &Path,
        before: i64,
        retries: u32,
        way: Way,
    ) -> anyhow::Result<Duration> {
        let mut attempt = 0;
        loop {
            if migration.no_tx {
                self.drop_invalid_index(migration, path)?;
            }
            let connection = &mut self.connection;
            let result = self.runtime.block_on(async {
                for setting in settings {
                    sqlx::raw_sql(&setting.set()).execute(&mut *connection).await.map_err(
                        |error| MigrateError::ExecuteMigration(error, migration.version),
                    )?;
                }
                let result = match way {
                    Way::Apply => connection.apply(migration).await,
                    Way::Revert => connection.revert(migration).await,
                };
                for setting in settings {
                    let reset = sqlx::raw_sql(&setting.reset()).execute(&mut *connection).await;
                    if let (Ok(_), Err(error)) = (&result, reset) {
                        return Err(MigrateError::Execute(error));
                    }
                }
                result
            });
            let error = match result {
                Ok(took) => return Ok(took),
                Err(error) => error,
            };
            let again = attempt < retries
                && crate::timeouts::is_lock_timeout(&error)
                && (!migration.no_tx
                    || autogen_sql::statements::split(&migration.sql)
                        .is_ok_and(|statements| statements.len() <= 1));
            if !again {
                return Err(self.failed(error, migration, path, before));
            }
            attempt += 1;
            let wait = crate::timeouts::backoff(attempt);
            let MigrateError::ExecuteMigration(cause, _) = &error else { unreachable!() };
            crate::output::warn(&format!(
                "{}: migration {} waited too long for a lock ({}); nothing of it was applied: \
                 trying again in {}s ({attempt} of {retries})",
                path.display(),
                migration.version,
                server_message(cause),
                wait.as_secs(),
            ));
            std::thread::sleep(wait);
        }
    }

    /// When `migration` builds an index concurrently and an index of that
    /// name on that table is there invalid (`indisvalid = false`: a
    /// concurrent build of it failed, was cancelled or its session killed
    /// before it finished), drops it (`DROP INDEX CONCURRENTLY`), saying
    /// so, for the migration to build it again.
    fn drop_invalid_index(
        &mut self,
        migration: &sqlx::migrate::Migration,
        path: &Path,
    ) -> anyhow::Result<()> {
        let Some((index, table)) = autogen_sql::ddl::concurrent_index_build(&migration.sql) else {
            return Ok(());
        };
        let connection = &mut self.connection;
        let invalid: Option<String> = self.runtime.block_on(async {
            sqlx::query_scalar(
                "SELECT format('%I.%I', n.nspname, c.relname) \
                 FROM pg_class t \
                 JOIN pg_index i ON i.indrelid = t.oid \
                 JOIN pg_class c ON c.oid = i.indexrelid \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE t.oid = to_regclass($1) AND c.relname = $2 AND NOT i.indisvalid",
            )
            .bind(table.to_string())
            .bind(&index)
            .fetch_optional(&mut *connection)
            .await
        })?;
        let Some(invalid) = invalid else { return Ok(()) };
        crate::output::warn(&format!(
            "{}: index {} is invalid, left by a concurrent build of it that did not finish: dropping it to build it again",
            path.display(),
            autogen_schema::one_line(&invalid)
        ));
        let connection = &mut self.connection;
        self.runtime
            .block_on(
                sqlx::raw_sql(&format!("DROP INDEX CONCURRENTLY {invalid}")).execute(connection),
            )
            .with_context(|| format!("dropping the invalid index {invalid}"))?;
        Ok(())
    }

    /// Marks exactly the folder's migrations up to `target` as applied,
    /// running none of them: rows after it are removed, missing ones added
    /// as sqlx writes them; rows marked failed or whose file changed are
    /// written anew. In one transaction. The counts added and removed.
    pub(crate) fn stamp(&mut self, folder: &Folder, target: i64) -> anyhow::Result<(usize, usize)> {
        let applied = self.applied()?;
        let kept = |row: &Applied| {
            row.version <= target
                && row.success
                && folder
                    .step(row.version)
                    .is_some_and(|step| *step.up.checksum == row.checksum[..])
        };
        let stale: Vec<i64> =
            applied.iter().filter(|row| !kept(row)).map(|row| row.version).collect();
        let connection = &mut self.connection;
        self.runtime.block_on(async {
            let mut transaction = connection.begin().await?;
            sqlx::query("DELETE FROM _sqlx_migrations WHERE version = ANY($1)")
                .bind(&stale)
                .execute(&mut *transaction)
                .await?;
            let removed = stale.iter().filter(|version| **version > target).count();
            let mut added = 0;
            for step in folder.migrations.iter().filter(|step| step.version <= target) {
                if applied.iter().any(|row| row.version == step.version && kept(row)) {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                     VALUES ($1, $2, TRUE, $3, -1)",
                )
                .bind(step.version)
                .bind(&step.description)
                .bind(&*step.up.checksum)
                .execute(&mut *transaction)
                .await?;
                added += 1;
            }
            transaction.commit().await?;
            anyhow::Ok((added, removed))
        })
    }

    /// The error of a migration that failed: which one, the statement (when
    /// the server's error position or a rolled-back rerun tells it), the
    /// server's message, and the version the database stays at.
    fn failed(
        &mut self,
        error: MigrateError,
        migration: &sqlx::migrate::Migration,
        path: &Path,
        before: i64,
    ) -> anyhow::Error {
        let MigrateError::ExecuteMigration(cause, _) = &error else {
            return anyhow::Error::new(error).context(format!(
                "migration {} ({})",
                migration.version,
                path.display()
            ));
        };
        let message = server_message(cause);
        let at = match statement_at_position(&migration.sql, cause) {
            Some(found) => Some(found),
            None if !migration.no_tx => self.rerun_to_failure(&migration.sql),
            None => None,
        };
        let staying = if migration.no_tx {
            "it ran without a transaction (-- no-transaction): check what it changed"
        } else {
            "nothing of it was applied"
        };
        let version = if before == 0 { "base".to_owned() } else { before.to_string() };
        match at {
            Some((line, column, statement)) => anyhow::anyhow!(
                "{}:{line}:{column}: migration {} failed at `{}`: {message}; the database stays at {version} ({staying})",
                path.display(),
                migration.version,
                shorten(&statement)
            ),
            None => anyhow::anyhow!(
                "{}: migration {} failed: {message}; the database stays at {version} ({staying})",
                path.display(),
                migration.version
            ),
        }
    }

    /// Runs the statements of a failed (transactional) migration one by
    /// one in a transaction that is rolled back, to find the one that
    /// fails; its line, column and text.
    fn rerun_to_failure(&mut self, sql: &str) -> Option<(u64, u64, String)> {
        let statements = autogen_sql::statements::split(sql).ok()?;
        let connection = &mut self.connection;
        self.runtime.block_on(async move {
            let mut transaction = connection.begin().await.ok()?;
            let mut failing = None;
            for statement in statements {
                if sqlx::raw_sql(&statement.text).execute(&mut *transaction).await.is_err() {
                    failing = Some(statement);
                    break;
                }
            }
            let _ = transaction.rollback().await;
            failing.map(|s| (s.location.line, s.location.column, s.text))
        })
    }
}

/// The server's own words for a failed statement: `ERROR 23514: …`.
fn server_message(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Database(database) => {
            let code = database.code().map(|code| format!(" {code}")).unwrap_or_default();
            let detail = database
                .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                .and_then(|pg| pg.detail())
                .map(|detail| format!(" ({detail})"))
                .unwrap_or_default();
            format!("ERROR{code}: {}{detail}", database.message())
        }
        other => other.to_string(),
    }
}

/// The statement holding the error position the server gave, if it gave
/// one (syntax errors and unknown names do).
fn statement_at_position(sql: &str, error: &sqlx::Error) -> Option<(u64, u64, String)> {
    let sqlx::Error::Database(database) = error else { return None };
    let pg = database.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()?;
    let Some(sqlx::postgres::PgErrorPosition::Original(position)) = pg.position() else {
        return None;
    };
    // A 1-based character position in the whole script.
    let before: String = sql.chars().take(position.saturating_sub(1)).collect();
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.chars().rev().take_while(|&c| c != '\n').count() as u64 + 1;
    let statements = autogen_sql::statements::split(sql).ok()?;
    statements
        .into_iter()
        .take_while(|s| (s.location.line, s.location.column) <= (line, column))
        .last()
        .map(|s| (s.location.line, s.location.column, s.text))
}

/// A statement on one line, cut at 100 characters.
fn shorten(statement: &str) -> String {
    let one_line = statement.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 100 {
        format!("{}…", one_line.chars().take(100).collect::<String>())
    } else {
        one_line
    }
}

/// `migrations::list` builds sqlx's `Migration` values itself; this reads
/// the folder with sqlx's `Migrator::new` and compares: a file one reading
/// holds and the other does not, another checksum, or another
/// `-- no-transaction`.
async fn same_as_sqlx(folder: &Folder) -> anyhow::Result<()> {
    if !folder.path.exists() {
        return Ok(());
    }
    let migrator = sqlx::migrate::Migrator::new(folder.path.as_path()).await.map_err(|error| {
        anyhow::anyhow!(
            "{}: sqlx's migrator cannot read the migrations folder ({error}): rename or remove the file it names",
            folder.path.display()
        )
    })?;
    let ours: Vec<(&Path, &sqlx::migrate::Migration)> = folder
        .migrations
        .iter()
        .flat_map(|migration| {
            let down = migration.down_path.as_deref().zip(migration.down.as_ref());
            std::iter::once((migration.up_path.as_path(), &migration.up)).chain(down)
        })
        .collect();
    let same_file = |a: &sqlx::migrate::Migration, b: &sqlx::migrate::Migration| {
        a.version == b.version
            && a.migration_type.is_down_migration() == b.migration_type.is_down_migration()
    };
    for theirs in migrator.migrations.iter() {
        match ours.iter().find(|(_, mine)| same_file(mine, theirs)) {
            None => bail!(
                "{}: sqlx's migrator reads it as migration {} and autogen does not (a down file needs an up file of the same name): rename or remove it",
                sqlx_file(&folder.path, theirs),
                theirs.version
            ),
            Some((path, mine)) if mine.checksum != theirs.checksum => bail!(
                "{}: sqlx's migrator reads another text for migration {} than autogen (their checksums differ)",
                path.display(),
                theirs.version
            ),
            Some((path, mine)) if mine.no_tx != theirs.no_tx => bail!(
                "{}: sqlx's migrator and autogen disagree on whether migration {} runs in a transaction (-- no-transaction)",
                path.display(),
                theirs.version
            ),
            Some(_) => {}
        }
    }
    for (path, mine) in &ours {
        if !migrator.migrations.iter().any(|theirs| same_file(mine, theirs)) {
            bail!(
                "{}: autogen reads it as migration {} and sqlx's migrator does not",
                path.display(),
                mine.version
            );
        }
    }
    Ok(())
}

/// The file of the folder sqlx read `migration` from (`Migrator` keeps no
/// path): the version and the kind of its name.
fn sqlx_file(folder: &Path, migration: &sqlx::migrate::Migration) -> String {
    let entries = std::fs::read_dir(folder).into_iter().flatten().flatten();
    entries
        .map(|entry| entry.path())
        .find(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            name.split_once('_').is_some_and(|(version, rest)| {
                version.parse::<i64>() == Ok(migration.version)
                    && rest.ends_with(".sql")
                    && sqlx::migrate::MigrationType::from_filename(rest) == migration.migration_type
            })
        })
        .map_or_else(
            || format!("{}: migration {}", folder.display(), migration.version),
            |path| path.display().to_string(),
        )
}

/// Refuses to go on when the database and the folder disagree about what
/// was applied: a failed (dirty) migration, an applied migration that is
/// no longer in the folder, or whose file changed since.
pub(crate) fn verify(folder: &Folder, applied: &[Applied]) -> anyhow::Result<()> {
    if let Some(dirty) = applied.iter().find(|row| !row.success) {
        bail!(
            "migration {} failed partway on this database and is marked failed in _sqlx_migrations: repair the database by hand, then `autogen stamp`",
            dirty.version
        );
    }
    match changed(folder, applied).into_iter().next() {
        Some(problem) => bail!("{problem}"),
        None => Ok(()),
    }
}

/// What differs between the applied rows and the folder: applied
/// migrations missing from it, or whose up file changed since (checksum).
pub(crate) fn changed(folder: &Folder, applied: &[Applied]) -> Vec<String> {
    let mut problems = Vec::new();
    for row in applied {
        match folder.step(row.version) {
            None => problems.push(format!(
                "migration {} ({}) is applied on the database but not in {}: restore its files, or `autogen stamp` to a version of the folder",
                row.version,
                row.description,
                folder.path.display()
            )),
            Some(step) if *step.up.checksum != row.checksum[..] => problems.push(format!(
                "{}: changed since it was applied (its checksum differs from _sqlx_migrations'): put back the applied text and make the change in a new migration",
                step.up_path.display()
            )),
            Some(_) => {}
        }
    }
    problems
}

/// The runtime the database commands block on.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the runtime")
}

/// sqlx's `_sqlx_migrations`, as its migrator creates it.
pub(crate) const BOOKKEEPING_TABLE: &str = "CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
    success BOOLEAN NOT NULL,
    checksum BYTEA NOT NULL,
    execution_time BIGINT NOT NULL
);";

/// What applying `step` runs, as a script: the migration and its row, in a
/// transaction unless it says `-- no-transaction`.
pub(crate) fn apply_script(step: &Migration) -> String {
    let row = format!(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ({}, {}, TRUE, decode('{}', 'hex'), -1);",
        step.version,
        autogen_schema::portable_literals(&autogen_schema::quote_literal(&step.description)),
        hex(&step.up.checksum)
    );
    wrap(step, (&step.up, &step.up_settings), &step.up_path, &row)
}

/// What reverting `step` runs, as a script.
pub(crate) fn revert_script(step: &Migration) -> anyhow::Result<String> {
    let (Some(down), Some(path)) = (&step.down, &step.down_path) else {
        bail!("{}: migration {} has no down file", step.up_path.display(), step.version);
    };
    let row = format!("DELETE FROM _sqlx_migrations WHERE version = {};", step.version);
    Ok(wrap(step, (down, &step.down_settings), path, &row))
}

/// `migration` (of `step`, the file at `path`) and its `row`, in a
/// transaction unless it says `-- no-transaction`, its header's
/// `settings` set before it and reset after, as the runner does.
fn wrap(
    step: &Migration,
    (migration, settings): (&sqlx::migrate::Migration, &[SessionSetting]),
    path: &Path,
    row: &str,
) -> String {
    let mut script = format!(
        "-- {} {} ({})\n",
        step.version,
        autogen_schema::one_line(&step.description),
        autogen_schema::one_line(&path.display().to_string())
    );
    for setting in settings {
        script.push_str(&format!("{};\n", setting.set()));
    }
    if !migration.no_tx {
        script.push_str("BEGIN;\n");
    }
    script.push_str(migration.sql.trim_end());
    script.push('\n');
    if !migration.sql.trim_end().ends_with(';') {
        script.push_str(";\n");
    }
    script.push_str(row);
    script.push('\n');
    if !migration.no_tx {
        script.push_str("COMMIT;\n");
    }
    for setting in settings {
        script.push_str(&format!("{};\n", setting.reset()));
    }
    script
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_statements_are_shortened_to_one_line() {
        assert_eq!(shorten("ALTER TABLE t\n    ADD x int"), "ALTER TABLE t ADD x int");
        let long = format!("SELECT {}", "x, ".repeat(60));
        assert_eq!(shorten(&long).chars().count(), 101);
    }

    #[test]
    fn checksums_print_as_bytea_hex() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
    }

    #[test]
    fn targets_are_parsed_once() {
        let parse = |text: &str| text.parse::<Target>();
        assert_eq!(parse("head"), Ok(Target::Head));
        assert_eq!(parse("base"), Ok(Target::Base));
        assert_eq!(parse("+2"), Ok(Target::Forward(2)));
        assert_eq!(parse("-1"), Ok(Target::Back(1)));
        assert_eq!(parse("20260101120000"), Ok(Target::Version(20260101120000)));
        assert_eq!(parse("+x").unwrap_err(), "`+x`: +N takes a number of migrations, e.g. +1");
        assert!(parse("latest").unwrap_err().contains("`latest` is not a version"));
        for text in ["head", "base", "+2", "-1", "20260101120000"] {
            assert_eq!(parse(text).unwrap().to_string(), text);
        }
    }
}
