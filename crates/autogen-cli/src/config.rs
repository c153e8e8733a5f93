//! The project: `autogen.toml` (found up the tree as cargo finds
//! `Cargo.toml`, or named with `--config`), each of its settings overridable
//! by a flag. Paths in the file are relative to the file's folder; paths on
//! the command line to the working directory.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use serde::Deserialize;

use crate::timeouts::PgDuration;

/// The file `autogen init` writes and the commands look for.
pub(crate) const FILE_NAME: &str = "autogen.toml";

/// The database URL when neither `--database-url` nor `database_url` gives
/// one: the `DATABASE_URL` variable (or `.env`), as sqlx-cli reads it.
pub(crate) const DEFAULT_DATABASE_URL: &str = "env:DATABASE_URL";

/// What `autogen init` writes.
pub(crate) const TEMPLATE: &str = r#"# autogen's project settings; every one also has a command-line flag.

# The declared schema: .sql files or folders of them (read in path order).
schema = ["schema/"]

# Rust models (#[derive(Model)] structs, #[derive(PgEnum)] enums, PgDomain and
# PgComposite types): .rs files or folders, read without compiling; with or
# instead of `schema`.
# models = ["src/models/"]

# The migrations folder: <version>_<slug>.up.sql and .down.sql, as sqlx runs them.
migrations = "migrations"

# The database `upgrade`, `downgrade`, `current`, `stamp` and `check` talk to:
# "env:NAME" reads the variable NAME (a .env file beside this one is read as
# sqlx-cli reads it), or write the URL itself.
database_url = "env:DATABASE_URL"

# The schemas (namespaces) autogen manages, by name or glob ("tenant_*").
schemas = ["public"]

# Globs on qualified names autogen leaves alone, e.g. "public.spatial_ref_sys".
ignore = []

# Written at the top of every migration `revision` writes (SET LOCAL …, or
# `-- autogen: set …` lines upgrade sets around a -- no-transaction one;
# edit them there for one migration): how long a statement waits for a
# lock before it fails, and how long one may run ("0": no limit; without
# statement_timeout, the server's holds).
lock_timeout = "10s"
# statement_timeout = "15min"

# How many times `upgrade` and `downgrade` try a migration again after it
# failed waiting for a lock (waiting 1s, 2s, 4s … in between).
lock_retries = 3

# Plans for a database with traffic, in steps that hold no write back: indexes
# built and dropped CONCURRENTLY (each a `-- no-transaction` migration), foreign
# keys and checks added NOT VALID then validated, SET NOT NULL through a
# validated check. Also `--online` on revision and diff.
online = false

[hazards]
# The hazards a migration must acknowledge before `check` passes, with a line
# `-- autogen: allow <hazard>: <why>` in its up file, written by whoever
# reviewed it: data-loss, table-rewrite, blocking-lock, may-fail-on-data,
# enum-swap, extension-update.
acknowledge = ["data-loss"]

# A fleet: the databases `autogen upgrade --each autogen.toml` and
# `autogen check --each autogen.toml` run on (the first is the canary).
# [[targets]]
# name = "eu-1"
# url = "env:EU_DATABASE_URL"
"#;

/// Project settings from the command line; each overrides the file's.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct ProjectArgs {
    /// The settings file. Default: the nearest autogen.toml here or above.
    #[arg(long, value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,

    /// The declared schema: .sql files or folders (repeat for several).
    /// Setting: schema.
    #[arg(long = "schema-path", value_name = "PATH")]
    schema_paths: Vec<PathBuf>,

    /// Rust model files: .rs files or folders of them, read without
    /// compiling (repeat for several). Setting: models.
    #[arg(long = "models", value_name = "PATH")]
    model_paths: Vec<PathBuf>,

    /// The migrations folder. Setting: migrations.
    #[arg(long, value_name = "DIR")]
    migrations: Option<PathBuf>,

    /// A schema (namespace) autogen manages, by name or glob (`tenant_*`:
    /// `*` any characters, `?` one); repeat for several. Setting: schemas.
    #[arg(long = "schema", value_name = "NAME")]
    pub(crate) schemas: Vec<String>,

    /// A glob on qualified names to leave alone (`public.spatial_ref_sys`,
    /// `audit.*`); repeat for several. Setting: ignore.
    #[arg(long, value_name = "GLOB")]
    pub(crate) ignore: Vec<String>,

    /// Rename hints (hints.toml: [tables], [columns], [enums],
    /// [enum_values], [composites], [attributes], [domains], [indexes],
    /// [sequences], [collations], [functions], [views] of "old" = "new").
    /// Setting: hints.
    #[arg(long, value_name = "FILE")]
    pub(crate) hints: Option<PathBuf>,
}

/// The settings as written in `autogen.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    schema: Option<OneOrMany>,
    #[serde(default)]
    models: Option<OneOrMany>,
    #[serde(default)]
    migrations: Option<String>,
    #[serde(default)]
    database_url: Option<String>,
    #[serde(default)]
    schemas: Option<Vec<String>>,
    #[serde(default)]
    ignore: Option<Vec<String>>,
    #[serde(default)]
    hints: Option<String>,
    #[serde(default)]
    lock_timeout: Option<PgDuration>,
    #[serde(default)]
    statement_timeout: Option<PgDuration>,
    #[serde(default)]
    lock_retries: Option<u32>,
    #[serde(default)]
    hazards: Option<HazardSettings>,
    #[serde(default)]
    online: Option<bool>,
    /// `[[targets]]`: the databases `--each autogen.toml` runs on; read by
    /// [`targets`], checked here too so a mistake in them is named
    /// whichever command reads the file.
    #[serde(default, rename = "targets")]
    _targets: Option<Vec<TargetEntry>>,
}

/// One `[[targets]]` entry of a TOML file: a database of a fleet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TargetEntry {
    /// What the outcome tables call it; the URL without its password when
    /// not given.
    #[serde(default)]
    pub(crate) name: Option<toml::Spanned<String>>,
    /// The URL, or `env:NAME` (the variable, or `.env` beside the file).
    pub(crate) url: toml::Spanned<String>,
}

/// The `[[targets]]` of the TOML file `path` (autogen.toml or a file of its
/// own), its other keys left alone; a mistake named at file:line:column.
pub(crate) fn targets(path: &Path, text: &str) -> anyhow::Result<Vec<TargetEntry>> {
    #[derive(Deserialize)]
    struct Targets {
        #[serde(default)]
        targets: Vec<TargetEntry>,
    }
    toml::from_str::<Targets>(text).map(|file| file.targets).map_err(|error| {
        let place = place_in(path, text, error.span());
        let message = error.message().trim_end().replace('\n', " ");
        anyhow::anyhow!("{place}: {message} (each [[targets]] has url, and may have name)")
    })
}

/// `file:line:column` of a byte span's start, or the file alone.
pub(crate) fn place_in(path: &Path, text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let place = span.map(|span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |at| at + 1) + 1;
        format!("{}:{line}:{column}", path.display())
    });
    place.unwrap_or_else(|| path.display().to_string())
}

/// `[hazards]` of `autogen.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct HazardSettings {
    #[serde(default)]
    acknowledge: Option<Vec<HazardName>>,
}

/// A hazard's name, as plans write it (`data-loss`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HazardName(pub(crate) autogen_diff::Hazard);

impl<'de> Deserialize<'de> for HazardName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        autogen_diff::Hazard::named(&text).map(HazardName).ok_or_else(|| {
            let known: Vec<&str> =
                autogen_diff::Hazard::ALL.iter().map(|hazard| hazard.name()).collect();
            serde::de::Error::custom(format!(
                "`{}` is no hazard: the hazards are {}",
                autogen_schema::one_line(&text),
                known.join(", ")
            ))
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// The project's settings, resolved: paths made usable from the working
/// directory, flags over the file over the defaults.
#[derive(Debug, Clone)]
pub(crate) struct Project {
    /// The settings file, when there is one.
    pub(crate) file: Option<PathBuf>,
    /// The declared schema's files and folders.
    pub(crate) schema: Vec<PathBuf>,
    /// The Rust model files and folders.
    pub(crate) models: Vec<PathBuf>,
    pub(crate) migrations: PathBuf,
    /// As written (`env:NAME` or a URL), [`DEFAULT_DATABASE_URL`] when
    /// neither the flag nor the file gives one; see
    /// [`Project::database_url`].
    database_url: String,
    /// Where `.env` is looked for: the settings file's folder.
    root: PathBuf,
    pub(crate) schemas: Vec<String>,
    pub(crate) ignore: Vec<String>,
    pub(crate) hints: Option<PathBuf>,
    /// `lock_timeout`, when the file sets it ([`crate::timeouts`]).
    pub(crate) lock_timeout: Option<PgDuration>,
    /// `statement_timeout`, when the file sets it.
    pub(crate) statement_timeout: Option<PgDuration>,
    /// `lock_retries`, when the file sets it.
    pub(crate) lock_retries: Option<u32>,
    /// The hazards a migration must acknowledge (`[hazards] acknowledge`;
    /// `data-loss` unless set).
    pub(crate) acknowledge: Vec<autogen_diff::Hazard>,
    /// `online`: plans for a database with traffic.
    pub(crate) online: bool,
}

impl Project {
    /// The settings for this run: the file `--config` names or the nearest
    /// `autogen.toml`, then the flags.
    /// `database_url` is the `--database-url` of the commands that take one.
    pub(crate) fn load(
        arguments: &ProjectArgs,
        database_url: Option<&str>,
    ) -> anyhow::Result<Self> {
        let file = match &arguments.config {
            Some(path) if !path.is_file() => {
                bail!("{}: no such settings file", path.display())
            }
            Some(path) => Some(path.clone()),
            None => {
                let here = std::env::current_dir().context("reading the working directory")?;
                // Relative to the working folder when found there, so
                // messages name `migrations/…`, not the whole path.
                find(&here).map(|path| match path.strip_prefix(&here) {
                    Ok(relative) => relative.to_path_buf(),
                    Err(_) => path,
                })
            }
        };
        let (settings, root) = match &file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("{}: cannot read the file", path.display()))?;
                let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
                (parse(path, &text)?, root)
            }
            None => (File::default(), PathBuf::new()),
        };
        let in_root = |path: &str| {
            if root.as_os_str().is_empty() {
                PathBuf::from(path)
            } else {
                root.join(path)
            }
        };
        let paths = |flag: &[PathBuf], setting: Option<OneOrMany>| {
            if !flag.is_empty() {
                return flag.to_vec();
            }
            match setting {
                Some(OneOrMany::One(path)) => vec![in_root(&path)],
                Some(OneOrMany::Many(paths)) => paths.iter().map(|path| in_root(path)).collect(),
                None => Vec::new(),
            }
        };
        let schema = paths(&arguments.schema_paths, settings.schema);
        let models = paths(&arguments.model_paths, settings.models);
        let migrations = arguments
            .migrations
            .clone()
            .unwrap_or_else(|| in_root(settings.migrations.as_deref().unwrap_or("migrations")));
        let hints = arguments.hints.clone().or(settings.hints.as_deref().map(in_root));
        let ignore = if arguments.ignore.is_empty() {
            settings.ignore.unwrap_or_default()
        } else {
            arguments.ignore.clone()
        };
        let schemas = if arguments.schemas.is_empty() {
            settings.schemas.unwrap_or_else(|| vec!["public".to_owned()])
        } else {
            arguments.schemas.clone()
        };
        Ok(Project {
            file,
            schema,
            models,
            migrations,
            database_url: database_url
                .map(str::to_owned)
                .or(settings.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            root,
            schemas,
            ignore,
            hints,
            lock_timeout: settings.lock_timeout,
            statement_timeout: settings.statement_timeout,
            lock_retries: settings.lock_retries,
            acknowledge: match settings.hazards.and_then(|hazards| hazards.acknowledge) {
                Some(names) => names.into_iter().map(|name| name.0).collect(),
                None => vec![autogen_diff::Hazard::DataLoss],
            },
            online: settings.online.unwrap_or(false),
        })
    }

    /// The database URL: the flag, or the setting, or `env:DATABASE_URL`;
    /// `env:NAME` is looked up in the environment and then in `.env` beside
    /// the settings file. `None` when the variable is not set (or empty).
    pub(crate) fn database_url(&self) -> anyhow::Result<Option<String>> {
        resolve_url(&self.database_url, &self.root)
    }

    /// `schema` without what the project leaves alone: other schemas and
    /// ignored names.
    pub(crate) fn managed(&self, schema: autogen_schema::Schema) -> autogen_schema::Schema {
        without_ignored(only_schemas(schema, &self.schemas), &self.ignore)
    }

    /// The settings file's name for messages, or a note that there is none.
    pub(crate) fn describe_file(&self) -> String {
        match &self.file {
            Some(path) => path.display().to_string(),
            None => format!("no {FILE_NAME} (run `autogen init`)"),
        }
    }
}

/// A database URL as a setting writes it: the URL itself, or `env:NAME`,
/// looked up in the environment and then in `.env` in `root`. `None` when
/// the variable is not set (or empty).
pub(crate) fn resolve_url(value: &str, root: &Path) -> anyhow::Result<Option<String>> {
    let Some(name) = value.strip_prefix("env:") else { return Ok(Some(value.to_owned())) };
    match std::env::var(name) {
        Ok(url) if !url.is_empty() => return Ok(Some(url)),
        _ => {}
    }
    let dotenv = root.join(".env");
    if !dotenv.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&dotenv)
        .with_context(|| format!("{}: cannot read the file", dotenv.display()))?;
    for entry in dotenvy::from_read_iter(text.as_bytes()) {
        let (key, url) = entry.map_err(|error| dotenv_error(&dotenv, &text, &error))?;
        if key == name {
            return Ok(Some(url).filter(|url| !url.is_empty()));
        }
    }
    Ok(None)
}

/// Keeps only what lives in `schemas` (all when empty).
/// `schema` without the tables, types, sequences, collations and views an
/// `ignore` pattern names.
pub(crate) fn without_ignored(
    mut schema: autogen_schema::Schema,
    ignore: &[String],
) -> autogen_schema::Schema {
    let ignores = |name: &autogen_schema::QualifiedName| {
        let name = name.to_string();
        ignore.iter().any(|pattern| autogen_schema::glob_matches(pattern, &name))
    };
    schema.tables.retain(|name, _| !ignores(name));
    schema.enums.retain(|name, _| !ignores(name));
    schema.sequences.retain(|name, _| !ignores(name));
    schema.domains.retain(|name, _| !ignores(name));
    schema.composites.retain(|name, _| !ignores(name));
    schema.collations.retain(|name, _| !ignores(name));
    schema.views.retain(|name, _| !ignores(name));
    schema.materialized_views.retain(|name, _| !ignores(name));
    schema
}

pub(crate) fn only_schemas(
    mut schema: autogen_schema::Schema,
    schemas: &[String],
) -> autogen_schema::Schema {
    schema.retain_schemas(schemas);
    schema
}

/// The nearest `autogen.toml` in `start` or a folder above it.
fn find(start: &Path) -> Option<PathBuf> {
    start.ancestors().map(|folder| folder.join(FILE_NAME)).find(|path| path.is_file())
}

/// Reads the settings, naming the file, line, column and key of a mistake.
fn parse(path: &Path, text: &str) -> anyhow::Result<File> {
    toml::from_str::<File>(text).map_err(|error| {
        let place = place_in(path, text, error.span());
        let message = error.message().trim_end().replace('\n', " ");
        anyhow::anyhow!(
            "{place}: {message} (the settings are schema, models, migrations, database_url, schemas, ignore, hints, lock_timeout, statement_timeout, lock_retries, online, [hazards] acknowledge, [[targets]] name and url)"
        )
    })
}

/// A `.env` line dotenvy cannot read, as `file:line:column: what is wrong`.
/// dotenvy's own message quotes the line (and, after a quote left open,
/// every line to the end of the file): values that may be secrets. This
/// one never quotes the file.
fn dotenv_error(path: &Path, text: &str, error: &dotenvy::Error) -> anyhow::Error {
    let dotenvy::Error::LineParse(part, index) = error else {
        return anyhow::anyhow!("{}: cannot read the file: {error}", path.display());
    };
    let first_quote = part.find(['\'', '"']).unwrap_or(0);
    let (start, what) = if part.contains('\n') {
        // A quote left open: dotenvy read on to the end of the file.
        let start = text.rfind(part.as_str()).unwrap_or(0);
        (start + first_quote, "a quoted value is not closed before the end of the file".to_owned())
    } else {
        let start = line_with_error(text, part).unwrap_or(0);
        let at = part.char_indices().nth(*index).map_or(part.len(), |(at, _)| at);
        let what = what_is_wrong(text, start, part, at);
        let at = if what.contains("not closed") { first_quote } else { at };
        (start + at, what)
    };
    let before = &text[..start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |at| at + 1)..].chars().count() + 1;
    anyhow::anyhow!(
        "{}:{line}:{column}: cannot read this line: {what} (the line is not shown: it may hold a secret)",
        path.display()
    )
}

/// Where in `text` the line (or the value part of the line) that dotenvy
/// failed on starts: the first line holding `part` that dotenvy rejects
/// on its own.
fn line_with_error(text: &str, part: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(found) = line.find(part) {
            if dotenvy::from_read_iter(line.as_bytes()).any(|entry| entry.is_err()) {
                return Some(offset + found);
            }
        }
        offset += line.len();
    }
    None
}

/// What is wrong at byte `at` of `part` (a whole line, or the value after
/// `KEY=`, starting at byte `start` of `text`), in words that quote none of
/// it.
fn what_is_wrong(text: &str, start: usize, part: &str, at: usize) -> String {
    let line_start = text[..start].rfind('\n').map_or(0, |newline| newline + 1);
    let is_value = !text[line_start..start].trim().is_empty();
    let before = part[..at].chars().next_back();
    let quotes =
        |quote: char| part.matches(quote).count() - part.matches(&format!("\\{quote}")).count();
    if quotes('\'') % 2 == 1 || quotes('"') % 2 == 1 {
        "a quoted value is not closed".to_owned()
    } else if !is_value {
        let key = part.trim_start();
        if key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            "expected `=` after the key (a key is letters, digits, `_` and `.`)".to_owned()
        } else {
            "expected KEY=value (a key starts with a letter or `_`)".to_owned()
        }
    } else if before == Some('\\') {
        "an unknown escape sequence (`\\` goes before \\, ', \", $, a space or n)".to_owned()
    } else if before.is_some_and(char::is_whitespace) {
        "a value with spaces must be quoted".to_owned()
    } else {
        "the value cannot be read (see the .env syntax: KEY=value, KEY=\"value\", KEY='value')"
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistake_names_the_file_line_column_and_key() {
        let error = parse(Path::new("autogen.toml"), "schemas = [\"public\"]\nmigration = \"m\"\n")
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("autogen.toml:2:1: unknown field `migration`"), "{error}");
        let error =
            parse(Path::new("autogen.toml"), "schemas = \"public\"\n").unwrap_err().to_string();
        assert!(error.starts_with("autogen.toml:1:11: "), "{error}");
    }

    /// dotenvy's message quotes the line it cannot read; ours names the
    /// line and column and what is wrong, and quotes nothing.
    #[test]
    fn a_bad_env_line_is_placed_and_never_quoted() {
        let first = "OTHER_SECRET=S3cr3t-pw\n# a comment\n";
        let cases = [
            ("DATABASE_URL=postgres://u:S3cr3t-pw@h/d extra\n", 3, 41, "spaces must be quoted"),
            ("DATABASE_URL='postgres://u:S3cr3t-pw@h/d\nLAST=S3cr3t-pw\n", 3, 14, "not closed"),
            ("DATABASE_URL=\"S3cr3t-pw\\q\"\n", 3, 25, "unknown escape"),
            ("DATABASE_URL postgres://u:S3cr3t-pw@h/d\n", 3, 14, "expected `=`"),
            ("-DATABASE_URL=S3cr3t-pw\n", 3, 1, "a key starts with"),
            ("  DATABASE_URL=\"S3cr3t-pw", 3, 16, "not closed"),
        ];
        for (line, row, column, what) in cases {
            let text = format!("{first}{line}");
            let error = dotenvy::from_read_iter(text.as_bytes())
                .find_map(Result::err)
                .unwrap_or_else(|| panic!("dotenvy reads {line:?}"));
            assert!(error.to_string().contains("S3cr3t-pw"), "dotenvy quotes the line: {error}");
            let message = dotenv_error(Path::new(".env"), &text, &error).to_string();
            assert!(
                message.starts_with(&format!(".env:{row}:{column}: cannot read this line: ")),
                "{line:?}: {message}"
            );
            assert!(message.contains(what), "{line:?}: {message}");
            assert!(!message.contains("S3cr3t") && !message.contains("postgres"), "{message}");
        }
    }

    #[test]
    fn the_template_reads_as_the_defaults() {
        let file = parse(Path::new(FILE_NAME), TEMPLATE).unwrap();
        assert_eq!(file.migrations.as_deref(), Some("migrations"));
        assert_eq!(file.schemas, Some(vec!["public".to_owned()]));
        assert_eq!(file.database_url.as_deref(), Some(DEFAULT_DATABASE_URL));
        let lock_timeout = file.lock_timeout.map(|timeout| timeout.to_string());
        assert_eq!(lock_timeout.as_deref(), Some(crate::timeouts::DEFAULT_LOCK_TIMEOUT));
        assert_eq!(file.statement_timeout, None);
        assert_eq!(file.lock_retries, Some(crate::timeouts::DEFAULT_LOCK_RETRIES));
        let acknowledge = file.hazards.and_then(|hazards| hazards.acknowledge).unwrap();
        assert_eq!(acknowledge, [HazardName(autogen_diff::Hazard::DataLoss)]);
        assert_eq!(file.online, Some(false));
        // Its fleet example, uncommented, is a fleet of one.
        let uncommented = TEMPLATE
            .replace("# [[targets]]", "[[targets]]")
            .replace("# name = ", "name = ")
            .replace("# url = ", "url = ");
        parse(Path::new(FILE_NAME), &uncommented).unwrap();
        let targets = targets(Path::new(FILE_NAME), &uncommented).unwrap();
        let names: Vec<Option<&str>> = targets
            .iter()
            .map(|target| target.name.as_ref().map(|name| name.get_ref().as_str()))
            .collect();
        assert_eq!(names, [Some("eu-1")]);
    }
}
