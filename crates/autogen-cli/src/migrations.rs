//! The migrations folder in sqlx's reversible layout:
//! `<version>_<slug>.up.sql` and `<version>_<slug>.down.sql`, the version a
//! UTC timestamp. The up file of a migration autogen wrote starts with a
//! header naming its parent (the version it was generated on top of), the
//! autogen version, its operations and their hazards.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use autogen_diff::Plan;
use sqlx::migrate::MigrationType;

use crate::timeouts::SessionSetting;

/// One migration of the folder: its files, the parent its header names,
/// and sqlx's reading of them — what the runner runs.
#[derive(Debug, Clone)]
pub(crate) struct Migration {
    pub(crate) version: i64,
    /// sqlx's description: the name after the version, `_` as spaces.
    pub(crate) description: String,
    /// The up file as sqlx reads it: its SQL, checksum and `-- no-transaction`.
    pub(crate) up: sqlx::migrate::Migration,
    pub(crate) down: Option<sqlx::migrate::Migration>,
    pub(crate) up_path: PathBuf,
    pub(crate) down_path: Option<PathBuf>,
    /// The version its header says it was generated on top of: `Some(None)`
    /// for `-- parent: none`, `None` when it has no header.
    pub(crate) parent: Option<Option<u64>>,
    /// What the runner sets on its session around the up file and the
    /// down file: their headers' `-- autogen: set …` lines.
    pub(crate) up_settings: Vec<SessionSetting>,
    pub(crate) down_settings: Vec<SessionSetting>,
}

impl Migration {
    /// A migration not written yet, as sqlx would read its files at
    /// `up_path` and `down_path` (for `revision --verify`).
    pub(crate) fn unwritten(
        version: i64,
        slug: &str,
        (up_path, up): (PathBuf, String),
        (down_path, down): (PathBuf, String),
    ) -> anyhow::Result<Self> {
        let description = slug.replace('_', " ");
        Ok(Migration {
            version,
            up_settings: settings_of(&up_path, &up)?,
            down_settings: settings_of(&down_path, &down)?,
            up: sqlx_migration(version, &description, MigrationType::ReversibleUp, up),
            down: Some(sqlx_migration(version, &description, MigrationType::ReversibleDown, down)),
            description,
            up_path,
            down_path: Some(down_path),
            parent: None,
        })
    }
}

/// The settings of the header of `text`, the file at `path`: a mistake is
/// named at its file, line and column.
fn settings_of(path: &Path, text: &str) -> anyhow::Result<Vec<SessionSetting>> {
    crate::timeouts::session_settings(text).map_err(|(line, column, message)| {
        anyhow::anyhow!("{}:{line}:{column}: {message}", path.display())
    })
}

/// The migrations of `folder` by version; an empty list when the folder
/// does not exist yet.
pub(crate) fn list(folder: &Path) -> anyhow::Result<Vec<Migration>> {
    if !folder.exists() {
        return Ok(Vec::new());
    }
    let scripts = up_scripts(folder)?;
    let mut migrations = Vec::new();
    for (version, up_path) in scripts {
        // `up_scripts` refuses versions past i64.
        let version = i64::try_from(version).context("the version is too large")?;
        let name =
            up_path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let (_, after_version) = name.split_once('_').unwrap_or(("", &name));
        let kind = MigrationType::from_filename(after_version);
        let description = after_version.trim_end_matches(kind.suffix()).replace('_', " ");
        let up_text = read(&up_path)?;
        let parent = parent_of(&up_text);
        let up_settings = settings_of(&up_path, &up_text)?;
        let down_path = name
            .strip_suffix(".up.sql")
            .map(|stem| up_path.with_file_name(format!("{stem}.down.sql")))
            .filter(|down| down.is_file());
        let (down, down_settings) = match &down_path {
            Some(path) => {
                let text = read(path)?;
                let settings = settings_of(path, &text)?;
                (
                    Some(sqlx_migration(
                        version,
                        &description,
                        MigrationType::ReversibleDown,
                        text,
                    )),
                    settings,
                )
            }
            None => (None, Vec::new()),
        };
        migrations.push(Migration {
            version,
            up: sqlx_migration(version, &description, kind, up_text),
            down,
            description,
            up_path,
            down_path,
            parent,
            up_settings,
            down_settings,
        });
    }
    Ok(migrations)
}

/// A migration file as sqlx's migrator reads it (`Migrator::new`): the
/// checksum of its text, and no transaction when it starts with
/// `-- no-transaction`.
fn sqlx_migration(
    version: i64,
    description: &str,
    kind: MigrationType,
    sql: String,
) -> sqlx::migrate::Migration {
    let no_transaction = sql.starts_with("-- no-transaction");
    sqlx::migrate::Migration::new(
        version,
        description.to_owned().into(),
        kind,
        sql.into(),
        no_transaction,
    )
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the file", path.display()))
}

/// The up scripts of a migrations folder in sqlx's layouts
/// (`<version>_<description>.up.sql` or `<version>_<description>.sql`),
/// ordered by version. Down scripts are left out.
pub(crate) fn up_scripts(directory: &Path) -> anyhow::Result<Vec<(u64, PathBuf)>> {
    let entries = std::fs::read_dir(directory)
        .with_context(|| format!("{}: cannot read the migrations folder", directory.display()))?;
    let mut scripts = Vec::new();
    for entry in entries {
        let path = entry.with_context(|| format!("reading {}", directory.display()))?.path();
        let name =
            path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        if !name.ends_with(".sql") || name.ends_with(".down.sql") {
            continue;
        }
        let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
        let version = digits.parse::<u64>().ok().filter(|_| name[digits.len()..].starts_with('_'));
        let Some(version) = version else {
            bail!(
                "{}: a migration's name starts with its version and `_` (e.g. 20260101120000_create_users.up.sql)",
                path.display()
            );
        };
        if version == 0 {
            bail!(
                "{}: version 0 is not a migration's: autogen names the state before every migration `base`, version 0; give it a version after 0 (e.g. 1{})",
                path.display(),
                &name[digits.len()..]
            );
        }
        if i64::try_from(version).is_err() {
            bail!(
                "{}: version {version} is too large: sqlx keeps versions as a signed 64-bit integer",
                path.display()
            );
        }
        if let Some((_, other)) = scripts.iter().find(|(existing, _)| *existing == version) {
            bail!(
                "{} and {}: two migrations have version {version}",
                Path::new(other).display(),
                path.display()
            );
        }
        scripts.push((version, path));
    }
    scripts.sort();
    Ok(scripts)
}

/// The `-- parent: VERSION` (or `none`) line of a header.
fn parent_of(text: &str) -> Option<Option<u64>> {
    for line in text.lines() {
        let Some(comment) = line.strip_prefix("--") else { break };
        if let Some(parent) = comment.trim().strip_prefix("parent:") {
            let parent = parent.trim();
            return if parent == "none" { Some(None) } else { parent.parse().ok().map(Some) };
        }
    }
    None
}

/// The operations and hazards an up file's header lists.
pub(crate) fn operations_and_hazards(sql: &str) -> (Vec<String>, Vec<String>) {
    let mut operations = Vec::new();
    let mut hazards = Vec::new();
    let mut in_operations = false;
    for line in sql.lines() {
        let Some(comment) = line.strip_prefix("--") else { break };
        if let Some(operation) = comment.strip_prefix("   ").filter(|_| in_operations) {
            operations.push(operation.trim().to_owned());
            continue;
        }
        in_operations = comment.trim() == "operations:";
        if let Some(listed) = comment.trim().strip_prefix("hazards:") {
            hazards = listed
                .split(',')
                .map(str::trim)
                .filter(|hazard| !hazard.is_empty() && *hazard != "none")
                .map(str::to_owned)
                .collect();
        }
    }
    (operations, hazards)
}

/// The line of an up file's header that lists its hazards (`-- hazards:
/// …`, 1-based), and those hazards; `None` without one.
pub(crate) fn hazards_line(sql: &str) -> Option<(usize, Vec<String>)> {
    for (index, line) in sql.lines().enumerate() {
        let Some(comment) = line.strip_prefix("--") else { break };
        if comment.trim().starts_with("hazards:") {
            return Some((index + 1, operations_and_hazards(sql).1));
        }
    }
    None
}

/// The start of a line that acknowledges a hazard: `-- autogen: allow
/// data-loss: <why>`.
pub(crate) const ACKNOWLEDGEMENT: &str = "-- autogen: allow ";

/// An acknowledgement line of a migration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Acknowledgement {
    /// 1-based.
    pub(crate) line: usize,
    /// The hazard's name as written.
    pub(crate) hazard: String,
    /// Why it is fine; empty when none is given (which does not count).
    pub(crate) reason: String,
}

/// The lines of `sql` that start `-- autogen: allow `: the hazard each
/// names and the reason after its `:`.
pub(crate) fn acknowledgements(sql: &str) -> Vec<Acknowledgement> {
    let mut found = Vec::new();
    for (index, line) in sql.lines().enumerate() {
        let Some(rest) = line.strip_prefix(ACKNOWLEDGEMENT) else { continue };
        let (hazard, reason) = rest.split_once(':').unwrap_or((rest, ""));
        found.push(Acknowledgement {
            line: index + 1,
            hazard: hazard.trim().to_owned(),
            reason: reason.trim().to_owned(),
        });
    }
    found
}

/// The version for a migration made now: the UTC time as `YYYYMMDDHHMMSS`,
/// or one more than the last version when that is not later.
pub(crate) fn next_version(last: Option<u64>) -> u64 {
    let now: u64 = chrono::Utc::now().format("%Y%m%d%H%M%S").to_string().parse().unwrap_or(0);
    match last {
        Some(last) if last >= now => last + 1,
        _ => now,
    }
}

/// A file name part from a message: lower case, words joined by `_`, at
/// most 60 characters; `migration` when nothing is left.
pub(crate) fn slug(message: &str) -> String {
    let mut slug = String::new();
    for character in message.chars().flat_map(char::to_lowercase) {
        if character.is_alphanumeric() {
            slug.push(character);
        } else if !slug.is_empty() && !slug.ends_with('_') {
            slug.push('_');
        }
    }
    let mut slug: String = slug.trim_end_matches('_').chars().take(60).collect();
    while slug.ends_with('_') {
        slug.pop();
    }
    if slug.is_empty() {
        "migration".to_owned()
    } else {
        slug
    }
}

/// The header of an up file: what it is, its parent, the generator, one
/// line per operation, the hazards, and who allowed its data loss.
pub(crate) fn header(
    version: u64,
    message: &str,
    parent: Option<u64>,
    plan: &Plan,
    data_loss_allowed: Option<&str>,
) -> String {
    let mut text = format!("-- {}\n", message_line(message));
    text.push_str(&format!("-- version: {version}\n"));
    match parent {
        Some(parent) => text.push_str(&format!("-- parent: {parent}\n")),
        None => text.push_str("-- parent: none\n"),
    }
    text.push_str(&format!("-- generated by: autogen {}\n", env!("CARGO_PKG_VERSION")));
    if plan.steps.is_empty() {
        text.push_str("-- operations: none\n");
    } else {
        text.push_str("-- operations:\n");
        for step in &plan.steps {
            text.push_str(&format!("--   {}\n", step.operation.describe()));
        }
    }
    let hazards: Vec<&str> = plan.hazards().iter().map(|hazard| hazard.name()).collect();
    if hazards.is_empty() {
        text.push_str("-- hazards: none\n");
    } else {
        text.push_str(&format!("-- hazards: {}\n", hazards.join(", ")));
    }
    if let Some(how) = data_loss_allowed {
        text.push_str(&format!("-- data loss allowed: {how}\n"));
    }
    text
}

/// Holds the migrations folder for one `autogen revision` at a time: an
/// exclusive lock on the folder itself (no lock file is left in it), taken
/// before the folder is read and held until the new files are written, so
/// two revisions started at once run one after the other — the second
/// sees the first's migration and takes a later version. Waits for the
/// other to finish, saying so.
pub(crate) fn lock(folder: &Path) -> anyhow::Result<std::fs::File> {
    std::fs::create_dir_all(folder)
        .with_context(|| format!("{}: cannot create the migrations folder", folder.display()))?;
    let handle = std::fs::File::open(folder)
        .with_context(|| format!("{}: cannot open the migrations folder", folder.display()))?;
    match handle.try_lock() {
        Ok(()) => return Ok(handle),
        Err(std::fs::TryLockError::WouldBlock) => {
            if !crate::output::quiet() {
                eprintln!(
                    "waiting for another `autogen revision` on {} to finish",
                    folder.display()
                );
            }
        }
        Err(std::fs::TryLockError::Error(error)) => {
            return Err(error).with_context(|| {
                format!("{}: cannot lock the migrations folder", folder.display())
            });
        }
    }
    handle
        .lock()
        .with_context(|| format!("{}: cannot lock the migrations folder", folder.display()))?;
    Ok(handle)
}

/// The message as the first line of a header: on one line whatever it
/// holds (`autogen_schema::one_line`), and never `-- no-transaction…`,
/// which would make sqlx run the migration outside a transaction.
pub(crate) fn message_line(message: &str) -> String {
    let line = autogen_schema::one_line(message.trim()).into_owned();
    if line.starts_with("no-transaction") {
        format!("message: {line}")
    } else {
        line
    }
}

/// Writes the files of a migration: each written to a temporary file in
/// the folder, then linked under its name, which fails if it exists; on
/// any failure, nothing of the migration is left behind.
pub(crate) fn write_new(folder: &Path, files: &[(String, String)]) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(folder)
        .with_context(|| format!("{}: cannot create the migrations folder", folder.display()))?;
    for (name, _) in files {
        let path = folder.join(name);
        if path.exists() {
            bail!("{}: already exists; nothing was written", path.display());
        }
    }
    let mut temporaries = Vec::new();
    let result = (|| -> anyhow::Result<Vec<PathBuf>> {
        for (name, text) in files {
            let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temporary)
                .with_context(|| format!("{}: cannot create the file", temporary.display()))?;
            temporaries.push(temporary.clone());
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
                .with_context(|| format!("{}: cannot write the file", temporary.display()))?;
        }
        let mut written = Vec::new();
        for ((name, _), temporary) in files.iter().zip(&temporaries) {
            let path = folder.join(name);
            if let Err(error) = std::fs::hard_link(temporary, &path) {
                for path in &written {
                    let _ = std::fs::remove_file(path);
                }
                return Err(error).with_context(|| {
                    format!("{}: cannot create the file; nothing was written", path.display())
                });
            }
            written.push(path);
        }
        Ok(written)
    })();
    for temporary in &temporaries {
        let _ = std::fs::remove_file(temporary);
    }
    result
}

/// Migrations that name the same parent: a forked history, as two
/// branches each generating on top of the same migration give. Each fork
/// as (parent, the versions on it).
pub(crate) fn forks(migrations: &[Migration]) -> Vec<(Option<u64>, Vec<i64>)> {
    let mut by_parent: std::collections::BTreeMap<Option<u64>, Vec<i64>> = Default::default();
    for migration in migrations {
        if let Some(parent) = migration.parent {
            by_parent.entry(parent).or_default().push(migration.version);
        }
    }
    by_parent.into_iter().filter(|(_, children)| children.len() > 1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_joined_by_underscores() {
        assert_eq!(slug("Add documents"), "add_documents");
        assert_eq!(slug("  add: user's e-mail!! "), "add_user_s_e_mail");
        assert_eq!(slug("¡Añadir índice!"), "añadir_índice");
        assert_eq!(slug("---"), "migration");
        assert_eq!(slug(&"x".repeat(80)).len(), 60);
    }

    #[test]
    fn the_header_gives_operations_and_hazards() {
        let sql = "-- Add posts\n-- version: 2\n-- parent: 1\n-- operations:\n--   create table public.posts\n--   add column public.users.name\n-- hazards: data-loss, table-rewrite\n\nCREATE TABLE x ();\n-- hazards: not this\n";
        let (operations, hazards) = operations_and_hazards(sql);
        assert_eq!(operations, vec!["create table public.posts", "add column public.users.name"]);
        assert_eq!(hazards, vec!["data-loss", "table-rewrite"]);
        assert_eq!(
            operations_and_hazards("-- operations: none\n-- hazards: none\n"),
            (vec![], vec![])
        );
    }

    #[test]
    fn a_version_is_after_the_last() {
        let now = next_version(None);
        assert_eq!(now.to_string().len(), 14);
        assert_eq!(next_version(Some(now + 10)), now + 11);
        assert!(next_version(Some(20000101000000)) >= now);
    }

    #[test]
    fn the_parent_is_read_from_the_header_only() {
        assert_eq!(
            parent_of("-- x\n-- parent: 20260101000000\nSELECT 1;"),
            Some(Some(20260101000000))
        );
        assert_eq!(parent_of("-- parent: none\n"), Some(None));
        assert_eq!(parent_of("SELECT 1;\n-- parent: 1\n"), None);
    }

    #[test]
    fn files_are_written_whole_and_never_over_another() {
        let folder = std::env::temp_dir().join(format!("autogen-write-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        let files = |up: &str| {
            vec![
                ("1_a.up.sql".to_owned(), up.to_owned()),
                ("1_a.down.sql".to_owned(), "down".to_owned()),
            ]
        };
        let written = write_new(&folder, &files("up")).unwrap();
        assert_eq!(written, vec![folder.join("1_a.up.sql"), folder.join("1_a.down.sql")]);
        let error = write_new(&folder, &files("other")).unwrap_err().to_string();
        assert!(error.contains("1_a.up.sql: already exists; nothing was written"), "{error}");
        assert_eq!(std::fs::read_to_string(folder.join("1_a.up.sql")).unwrap(), "up");
        // The down file alone in the way: the up file is not written either.
        std::fs::remove_file(folder.join("1_a.up.sql")).unwrap();
        assert!(write_new(&folder, &files("again")).is_err());
        let mut left: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, vec!["1_a.down.sql"], "no temporary or partial file is left");
        std::fs::remove_dir_all(&folder).unwrap();
    }

    #[test]
    fn two_migrations_on_one_parent_are_a_fork() {
        let migration = |version: i64, parent| Migration {
            parent: Some(parent),
            ..Migration::unwritten(
                version,
                "a",
                (PathBuf::new(), String::new()),
                (PathBuf::new(), String::new()),
            )
            .unwrap()
        };
        let forked = [migration(1, None), migration(2, Some(1)), migration(3, Some(1))];
        assert_eq!(forks(&forked), vec![(Some(1), vec![2, 3])]);
        assert!(forks(&forked[..2]).is_empty());
    }
}
