//! Fleets: one migrations folder, many databases (a database per tenant or
//! per region). The databases a file names — a URL per line, or the
//! `[[targets]]` of a TOML file such as autogen.toml —, work run on each of
//! them, at most `-j N` at once, after the first (the canary) alone, and the
//! outcome as a table. Databases are shown by name or by their URL without
//! its password; every message about one has that URL's secrets hidden.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{bail, Context as _};

use crate::{config, output};

/// How many databases are worked on at once without `-j`.
pub(crate) const DEFAULT_JOBS: usize = 4;

/// `--each FILE` and `-j N` of the commands that run on a fleet.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct FleetArgs {
    /// Run on each database FILE names instead of one: a URL per line
    /// (`NAME URL` to name it; `#` starts a comment line), or the
    /// [[targets]] (url, name) of a .toml file such as autogen.toml.
    #[arg(long, value_name = "FILE")]
    pub(crate) each: Option<PathBuf>,

    /// With --each: how many databases at once [default: 4].
    #[arg(short = 'j', long, value_name = "N", requires = "each")]
    pub(crate) jobs: Option<NonZeroUsize>,
}

impl FleetArgs {
    pub(crate) fn jobs(&self) -> usize {
        self.jobs.map_or(DEFAULT_JOBS, NonZeroUsize::get)
    }
}

/// One database of a fleet.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// Its name in the file, or its URL without the password.
    pub(crate) name: String,
    url: String,
}

impl Target {
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// `message` with the secrets of this database's URL hidden.
    pub(crate) fn hide(&self, message: &str) -> String {
        autogen_introspect::redact_message(message, &self.url)
    }

    /// What went wrong on this database, for its row: the error and its
    /// causes on one line, the URL's secrets hidden.
    pub(crate) fn error_line(&self, error: &anyhow::Error) -> String {
        self.hide(&format!("{error:#}").replace('\n', " "))
    }
}

/// A database as the file gives it, before its URL is looked up.
struct Entry {
    /// `file:line:column` of the entry.
    place: String,
    name: Option<String>,
    /// The URL or `env:NAME`.
    url: String,
}

/// The databases `path` names, in its order: each URL checked (as
/// `connect` would read it) and each `env:NAME` looked up, so a mistake
/// stops the run before any database is touched, named at file:line:column.
pub(crate) fn read(path: &Path) -> anyhow::Result<Vec<Target>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the file", path.display()))?;
    let root = path.parent().unwrap_or(Path::new(""));
    let entries = if path.extension().is_some_and(|extension| extension == "toml") {
        config::targets(path, &text)?
            .into_iter()
            .map(|entry| Entry {
                place: config::place_in(path, &text, Some(entry.url.span())),
                name: entry.name.map(toml::Spanned::into_inner),
                url: entry.url.into_inner(),
            })
            .collect()
    } else {
        lines(path, &text)?
    };
    if entries.is_empty() {
        bail!(
            "{}: names no database: write one URL per line (postgres://…, or NAME postgres://…), or [[targets]] with url = \"…\" in a .toml file",
            path.display()
        );
    }
    let mut targets: Vec<Target> = Vec::with_capacity(entries.len());
    for entry in entries {
        let Some(url) = config::resolve_url(&entry.url, root)? else {
            bail!(
                "{}: {} is not set (in the environment or {})",
                entry.place,
                entry.url.trim_start_matches("env:"),
                root.join(".env").display()
            );
        };
        autogen_introspect::check_url(&url).with_context(|| entry.place.clone())?;
        let name = match entry.name {
            Some(name) if name.trim().is_empty() || name.chars().any(char::is_control) => bail!(
                "{}: a name must not be empty or hold control characters (line breaks, tabs, escapes)",
                entry.place
            ),
            Some(name) => name,
            // A URL that holds a control character (which a TOML string
            // can) is shown with it escaped.
            None => autogen_introspect::redact_url(&url)
                .chars()
                .map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() })
                .collect(),
        };
        if let Some(other) = targets.iter().find(|other| other.url == url) {
            bail!("{}: the same database as `{}`, named before it", entry.place, other.name);
        }
        if targets.iter().any(|other| other.name == name) {
            bail!("{}: a second database named `{name}`: names must differ", entry.place);
        }
        targets.push(Target { name, url });
    }
    Ok(targets)
}

/// The entries of a file of one database per line: `URL` or `NAME URL`
/// (a URL being `postgres://…` or `env:NAME`); blank lines and lines
/// starting with `#` are passed over. A line that is neither is named, not
/// shown (it may hold a password).
fn lines(path: &Path, text: &str) -> anyhow::Result<Vec<Entry>> {
    let is_url = |token: &str| token.contains("://") || token.starts_with("env:");
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let column = line[..line.len() - line.trim_start().len()].chars().count() + 1;
        let place = format!("{}:{}:{column}", path.display(), index + 1);
        let tokens: Vec<&str> = trimmed.split_whitespace().collect();
        let (name, url) = match tokens.as_slice() {
            [url] if is_url(url) => (None, *url),
            [name, url] if is_url(url) && !is_url(name) => (Some((*name).to_owned()), *url),
            _ => bail!(
                "{place}: expected a database URL (postgres://…), `env:NAME`, or a name and a URL (`eu-1 postgres://…`); the line is not shown: it may hold a password"
            ),
        };
        entries.push(Entry { place, name, url: url.to_owned() });
    }
    Ok(entries)
}

/// Runs `work` on every target: the first (the canary) alone, then — when
/// `passed` says it went well — the others, at most `jobs` at once. Each
/// runs [`output::within`] its name. The results in the targets' order;
/// `None` for those not run because the canary failed.
pub(crate) fn each<R: Send>(
    targets: &[Target],
    jobs: usize,
    passed: impl Fn(&R) -> bool,
    work: impl Fn(&Target) -> R + Sync,
) -> Vec<Option<R>> {
    let Some((canary, rest)) = targets.split_first() else { return Vec::new() };
    let first = output::within(&canary.name, || work(canary));
    if !passed(&first) {
        return std::iter::once(Some(first)).chain(rest.iter().map(|_| None)).collect();
    }
    let results: Mutex<Vec<Option<R>>> = Mutex::new(rest.iter().map(|_| None).collect());
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, rest.len().max(1)) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(target) = rest.get(index) else { break };
                let result = output::within(&target.name, || work(target));
                results.lock().unwrap_or_else(std::sync::PoisonError::into_inner)[index] =
                    Some(result);
            });
        }
    });
    let rest = results.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    std::iter::once(Some(first)).chain(rest).collect()
}

/// `rows` under `header`, each column as wide as its widest cell (the last
/// one not padded), two spaces between.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let width = |text: &str| text.chars().count();
    let mut widths: Vec<usize> = header.iter().map(|cell| width(cell)).collect();
    for row in rows {
        for (column, cell) in row.iter().enumerate() {
            widths[column] = widths[column].max(width(cell));
        }
    }
    let mut text = String::new();
    let header: Vec<String> = header.iter().map(|cell| (*cell).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (column, cell) in row.iter().enumerate() {
            if column + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(widths[column] - width(cell) + 2));
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` in the file `name` of a folder of the test's own.
    fn written(test: &str, name: &str, text: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("autogen-fleet-{}-{test}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_list_names_urls_with_or_without_a_name() {
        let path = written(
            "list",
            "fleet.txt",
            "# tenants\n\npostgres://app:S3cret@db1/t1\n  eu-1   postgres://app@db2/t2  \n",
        );
        let targets = read(&path).unwrap();
        let names: Vec<&str> = targets.iter().map(|target| target.name.as_str()).collect();
        assert_eq!(names, ["postgres://app:***@db1/t1", "eu-1"]);
        assert_eq!(targets[0].url(), "postgres://app:S3cret@db1/t1");
        assert_eq!(targets[0].hide("failed at S3cret"), "failed at ***");
    }

    #[test]
    fn mistakes_are_placed_and_never_quote_the_line() {
        let cases = [
            ("postgres://a@h/d\n  what S3cret here\n", "fleet.txt:2:3: expected a database URL"),
            ("mysql://a:S3cret@h/d\n", "fleet.txt:1:1"),
            ("postgres://a@h/d\npostgres://a@h/d\n", "fleet.txt:2:1: the same database as"),
            ("one postgres://a@h/d\none postgres://a@h/e\n", "a second database named `one`"),
            ("# nothing\n", "fleet.txt: names no database"),
            (
                "env:AUTOGEN_FLEET_TEST_UNSET\n",
                "fleet.txt:1:1: AUTOGEN_FLEET_TEST_UNSET is not set",
            ),
        ];
        for (text, expected) in cases {
            let path = written("mistakes", "fleet.txt", text);
            let error = format!("{:#}", read(&path).unwrap_err());
            let error = error.replace(&format!("{}/", path.parent().unwrap().display()), "");
            assert!(error.contains(expected), "{text:?}: {error}");
            assert!(!error.contains("S3cret"), "{error}");
        }
    }

    #[test]
    fn toml_targets_are_read_from_any_toml_file() {
        let path = written(
            "toml",
            "fleet.toml",
            "schemas = [\"public\"]\n\n[[targets]]\nname = \"eu\"\nurl = \"postgres://a@h/eu\"\n\n[[targets]]\nurl = \"postgres://a:pw@h/us\"\n",
        );
        let targets = read(&path).unwrap();
        let names: Vec<&str> = targets.iter().map(|target| target.name.as_str()).collect();
        assert_eq!(names, ["eu", "postgres://a:***@h/us"]);
        let bad = written(
            "toml",
            "bad.toml",
            "[[targets]]\nname = \"e\\nu\"\nurl = \"postgres://h/eu\"\n",
        );
        let error = format!("{:#}", read(&bad).unwrap_err());
        assert!(error.contains("bad.toml:3:7: a name must not"), "{error}");
        let bad = written("toml", "bad.toml", "[[targets]]\nname = \"eu\"\nurl = \"ftp://h/eu\"\n");
        let error = format!("{:#}", read(&bad).unwrap_err());
        assert!(error.contains("bad.toml:3:7: invalid database URL"), "{error}");
        let bad = written("toml", "bad.toml", "[[targets]]\nname = \"eu\"\nadress = \"x\"\n");
        let error = format!("{:#}", read(&bad).unwrap_err());
        assert!(error.contains("bad.toml:3:1: unknown field `adress`"), "{error}");
    }

    #[test]
    fn the_canary_runs_first_and_alone_and_a_failure_stops_the_rest() {
        let targets: Vec<Target> = (0..12)
            .map(|index| Target { name: format!("t{index}"), url: format!("postgres://h/{index}") })
            .collect();
        let order = Mutex::new(Vec::new());
        let results = each(
            &targets,
            3,
            |ok: &bool| *ok,
            |target| {
                order.lock().unwrap().push(target.name.clone());
                target.name != "t7"
            },
        );
        assert_eq!(order.lock().unwrap()[0], "t0");
        assert_eq!(order.lock().unwrap().len(), 12);
        let outcomes: Vec<Option<bool>> = results;
        assert_eq!(outcomes.iter().filter(|outcome| **outcome == Some(false)).count(), 1);
        assert_eq!(outcomes[7], Some(false));
        let stopped = each(&targets, 3, |ok: &bool| *ok, |target| target.name != "t0");
        assert_eq!(stopped[0], Some(false));
        assert!(stopped[1..].iter().all(Option::is_none));
    }

    #[test]
    fn tables_line_up_their_columns() {
        let rows = vec![
            vec!["eu-1".to_owned(), "3".to_owned(), "applied 2".to_owned()],
            vec!["a-longer-name".to_owned(), "base".to_owned(), "up to date".to_owned()],
        ];
        assert_eq!(
            table(&["DATABASE", "AT", "OUTCOME"], &rows),
            "DATABASE       AT    OUTCOME\neu-1           3     applied 2\na-longer-name  base  up to date\n"
        );
    }
}
