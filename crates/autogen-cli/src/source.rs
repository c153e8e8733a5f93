//! Where a schema comes from: a live database, SQL files or folders, or a
//! migrations folder replayed in memory — read into the one schema model.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use autogen_schema::Schema;
use autogen_sql::{Severity, Source};

/// A source as given on the command line (`--from`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SchemaSource {
    /// `postgres://…`
    Database(String),
    /// `.sql` files and folders of them, read in path order.
    Files(Vec<PathBuf>),
    /// `migrations:DIR`: the up scripts replayed in version order.
    Migrations(PathBuf),
}

impl SchemaSource {
    /// Reads `--from` values: one database URL, one `migrations:DIR`, or
    /// any number of files and folders.
    pub(crate) fn parse(values: &[String]) -> anyhow::Result<Self> {
        let is_url =
            |value: &str| value.starts_with("postgres://") || value.starts_with("postgresql://");
        match values {
            [] => bail!("say where to read the schema: --from SOURCE or --database-url URL"),
            [value] if is_url(value) => Ok(SchemaSource::Database(value.clone())),
            [value] if value.starts_with("migrations:") => {
                Ok(SchemaSource::Migrations(PathBuf::from(&value["migrations:".len()..])))
            }
            values => {
                if let Some(other) =
                    values.iter().find(|value| is_url(value) || value.starts_with("migrations:"))
                {
                    bail!(
                        "`--from {}` cannot be combined with other sources; give a database or a migrations folder alone",
                        autogen_introspect::redact_url(other)
                    );
                }
                Ok(SchemaSource::Files(values.iter().map(PathBuf::from).collect()))
            }
        }
    }
}

/// What reading SQL gave: the schema, and the diagnostics to print.
pub(crate) struct FromSql {
    pub(crate) schema: Schema,
    pub(crate) diagnostics: Vec<autogen_sql::Diagnostic>,
}

/// Reads `.sql` files and folders (recursively, in path order) into a
/// schema.
pub(crate) fn parse_files(paths: &[PathBuf]) -> anyhow::Result<FromSql> {
    parse_files_and(paths, None)
}

/// The files with `extension` among `paths`: files as given, folders
/// searched recursively in path order. A folder reached twice through
/// symlinks is read once; a symlink to a folder that holds it, or a chain
/// of symlinks that comes back on itself, is an error.
fn files_under(paths: &[PathBuf], extension: &str) -> anyhow::Result<Vec<PathBuf>> {
    let mut walk = Walk { extension, files: Vec::new(), folders_read: Vec::new() };
    for path in paths {
        refuse_symlink_loop(path)?;
        if path.is_dir() {
            walk.folder(path)?;
        } else if path.is_file() {
            walk.files.push(path.clone());
        } else {
            bail!("{}: no such file or folder", path.display());
        }
    }
    Ok(walk.files)
}

/// [`parse_files`], with the SQL the Rust models stand for read after the
/// files.
pub(crate) fn parse_files_and(
    paths: &[PathBuf],
    models_sql: Option<String>,
) -> anyhow::Result<FromSql> {
    let mut sources = read_sources(&files_under(paths, "sql")?)?;
    if let Some(text) = models_sql {
        sources.push(Source { name: "<models>".to_owned(), text });
    }
    let parsed = autogen_sql::parse(&sources);
    Ok(FromSql { schema: parsed.schema, diagnostics: parsed.diagnostics })
}

/// Reads the Rust models of `.rs` files and folders (without compiling
/// them) and assembles them; every mistake is printed as
/// `file:line:col: error: …`.
pub(crate) fn read_models(paths: &[PathBuf]) -> anyhow::Result<autogen_dsl::Assembled> {
    let files = files_under(paths, "rs")?;
    let mut declarations = autogen_dsl::Declarations::default();
    let mut problems = Vec::new();
    let mut texts = Vec::new();
    for file in &files {
        let text = read_text(file)?;
        texts.push((file.display().to_string(), text.clone()));
        match autogen_dsl::parse::file(&text, &file.display().to_string()) {
            Ok(read) => declarations.extend(read),
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() {
        match autogen_dsl::assemble(&declarations) {
            Ok(assembled) => return Ok(assembled),
            Err(found) => problems = found,
        }
    }
    // As rustc shows errors: the message, where, the line and a caret.
    for problem in &problems {
        let source = texts
            .iter()
            .find(|(name, _)| Some(name) == problem.file.as_ref())
            .map(|(_, text)| text.as_str());
        eprintln!("{}", problem.render(source));
    }
    bail!("{} mistake(s) in the models; nothing was read", problems.len())
}

/// Replays the up scripts of a migrations folder, in version order, from an
/// empty schema.
pub(crate) fn replay_migrations(directory: &Path) -> anyhow::Result<FromSql> {
    replay_some_migrations(directory, |_| true)
}

/// Replays the up scripts whose version `keep` keeps (those a database
/// has applied, say), in version order, from an empty schema.
pub(crate) fn replay_some_migrations(
    directory: &Path,
    keep: impl Fn(u64) -> bool,
) -> anyhow::Result<FromSql> {
    let scripts = crate::migrations::up_scripts(directory)?;
    let kept: Vec<PathBuf> =
        scripts.into_iter().filter(|(version, _)| keep(*version)).map(|(_, path)| path).collect();
    let sources = read_sources(&kept)?;
    let parsed = autogen_sql::replay(Schema::default(), &sources);
    Ok(FromSql { schema: parsed.schema, diagnostics: parsed.diagnostics })
}

/// Finding the files with one extension under folders, following
/// symlinks without going round in circles.
struct Walk<'e> {
    extension: &'e str,
    files: Vec<PathBuf>,
    /// The folders read so far, resolved (symlinks followed).
    folders_read: Vec<PathBuf>,
}

impl Walk<'_> {
    /// The files under `directory`, recursively, in path order.
    fn folder(&mut self, directory: &Path) -> anyhow::Result<()> {
        let resolved = std::fs::canonicalize(directory)
            .with_context(|| format!("{}: cannot read the folder", directory.display()))?;
        if self.folders_read.contains(&resolved) {
            // Reached again through another symlink: read once.
            return Ok(());
        }
        self.folders_read.push(resolved.clone());
        let mut entries: Vec<PathBuf> = std::fs::read_dir(directory)
            .with_context(|| format!("{}: cannot read the folder", directory.display()))?
            .map(|entry| entry.map(|entry| entry.path()))
            .collect::<Result<_, _>>()
            .with_context(|| format!("reading {}", directory.display()))?;
        entries.sort();
        for path in entries {
            let wanted = path.extension().is_some_and(|found| found == self.extension);
            if wanted {
                refuse_symlink_loop(&path)?;
            }
            if path.is_dir() {
                // Only a symlink can lead to a folder that holds it.
                let target = std::fs::canonicalize(&path)
                    .with_context(|| format!("{}: cannot read the folder", path.display()))?;
                if resolved.starts_with(&target) {
                    bail!(
                        "{}: a symlink to {}, a folder that holds it: following it would \
                         never end; remove the link",
                        path.display(),
                        target.display()
                    );
                }
                self.folder(&path)?;
            } else if wanted {
                self.files.push(path);
            }
        }
        Ok(())
    }
}

/// An error naming the chain when `path` is a symlink that leads back to
/// itself (`a.sql -> b.sql -> a.sql`), which no one can read.
fn refuse_symlink_loop(path: &Path) -> anyhow::Result<()> {
    let mut chain = vec![path.to_path_buf()];
    let mut current = path.to_path_buf();
    while let Ok(target) = std::fs::read_link(&current) {
        let next = current.parent().map_or_else(|| target.clone(), |parent| parent.join(&target));
        let looped = chain.iter().any(|earlier| same_place(earlier, &next));
        chain.push(next.clone());
        if looped || chain.len() > 40 {
            let shown: Vec<String> = chain.iter().map(|link| link.display().to_string()).collect();
            bail!(
                "{}: a symlink loop ({}): it leads to no file; remove or fix the link",
                path.display(),
                shown.join(" -> ")
            );
        }
        current = next;
    }
    Ok(())
}

/// Whether two paths name the same entry: the same folder (resolved) and
/// the same name in it.
fn same_place(left: &Path, right: &Path) -> bool {
    let resolve = |path: &Path| {
        let folder = path.parent().filter(|folder| !folder.as_os_str().is_empty());
        let folder = folder.map_or_else(|| std::fs::canonicalize("."), std::fs::canonicalize);
        folder.ok().map(|folder| folder.join(path.file_name().unwrap_or_default()))
    };
    match (resolve(left), resolve(right)) {
        (Some(left), Some(right)) => left == right,
        _ => left == right,
    }
}

fn read_sources(files: &[PathBuf]) -> anyhow::Result<Vec<Source>> {
    files
        .iter()
        .map(|path| Ok(Source { name: path.display().to_string(), text: read_text(path)? }))
        .collect()
}

/// The text of a source file, which must be UTF-8: otherwise an error at
/// the line and column (in characters) of the first byte that is not.
pub(crate) fn read_text(path: &Path) -> anyhow::Result<String> {
    refuse_symlink_loop(path)?;
    let bytes =
        std::fs::read(path).with_context(|| format!("{}: cannot read the file", path.display()))?;
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let before = String::from_utf8_lossy(&bytes[..valid]);
        let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
        anyhow::anyhow!(
            "{}:{}:{}: not UTF-8 (byte 0x{:02X}); autogen reads source files as UTF-8: \
             convert the file (e.g. iconv -f LATIN1 -t UTF-8)",
            path.display(),
            before.matches('\n').count() + 1,
            before[line_start..].chars().count() + 1,
            bytes[valid]
        )
    })
}

/// Prints the diagnostics on stderr; fails when one is an error (or, with
/// `strict`, a warning).
pub(crate) fn report(diagnostics: &[autogen_sql::Diagnostic], strict: bool) -> anyhow::Result<()> {
    let mut errors = 0;
    for diagnostic in diagnostics {
        let failing = diagnostic.severity == Severity::Error || strict;
        if failing && diagnostic.severity == Severity::Warning {
            eprintln!("{}", diagnostic.to_string().replacen(": warning: ", ": error: ", 1));
        } else {
            eprintln!("{diagnostic}");
        }
        if failing {
            errors += 1;
        }
    }
    if errors > 0 {
        let strict_note = if strict { " (--strict makes warnings errors)" } else { "" };
        bail!("{errors} problem(s) in the SQL{strict_note}");
    }
    Ok(())
}

/// The schema `source` holds: introspected, parsed or replayed; only
/// `schemas` when given. Diagnostics go to stderr (errors with `--strict`
/// for warnings).
pub(crate) fn load(
    source: SchemaSource,
    schemas: Vec<String>,
    strict: bool,
) -> anyhow::Result<autogen_schema::Schema> {
    Ok(match source {
        SchemaSource::Database(url) => introspect(&url, schemas, strict)?,
        SchemaSource::Files(paths) => {
            let read = parse_files(&paths)?;
            report(&read.diagnostics, strict)?;
            crate::config::only_schemas(read.schema, &schemas)
        }
        SchemaSource::Migrations(directory) => {
            let read = replay_migrations(&directory)?;
            report(&read.diagnostics, strict)?;
            crate::config::only_schemas(read.schema, &schemas)
        }
    })
}

/// A live database's schema, cut to what the project manages.
pub(crate) fn managed_database(
    project: &crate::config::Project,
    url: &str,
    strict: bool,
) -> anyhow::Result<Schema> {
    let schema = load(SchemaSource::Database(url.to_owned()), project.schemas.clone(), strict)
        .with_context(|| format!("reading {}", autogen_introspect::redact_url(url)))?;
    Ok(project.managed(schema))
}

fn introspect(
    url: &str,
    schemas: Vec<String>,
    strict: bool,
) -> anyhow::Result<autogen_schema::Schema> {
    let introspection =
        crate::output::while_working("reading the database", || read_database(url, schemas, 1))?;
    reported(introspection, strict)
}

/// What a database holds, read on a runtime of its own (so two can be
/// read at once, each on its thread: `reads_at_once`).
fn read_database(
    url: &str,
    schemas: Vec<String>,
    reads_at_once: usize,
) -> anyhow::Result<autogen_introspect::Introspection> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    let options = autogen_introspect::Options { schemas, reads_at_once };
    Ok(runtime.block_on(autogen_introspect::introspect(url, &options))?)
}

/// The schema read, once the objects autogen does not model are reported
/// (errors with `--strict`).
fn reported(
    introspection: autogen_introspect::Introspection,
    strict: bool,
) -> anyhow::Result<autogen_schema::Schema> {
    if !introspection.unmodeled.is_empty() {
        let severity = if strict { "error" } else { "warning" };
        eprint!("{severity}: {}", unmodeled_summary(&introspection.unmodeled));
        if strict {
            anyhow::bail!("the database holds objects autogen does not model (--strict)");
        }
    }
    Ok(introspection.schema)
}

/// The schemas two sources hold, as [`load`] reads each: two databases are
/// read at once, each on a thread and connections of its own (what each
/// reports is said after, `from`'s first).
pub(crate) fn load_both(
    (from, to): (SchemaSource, SchemaSource),
    schemas: &[String],
    strict: bool,
) -> (anyhow::Result<autogen_schema::Schema>, anyhow::Result<autogen_schema::Schema>) {
    let (SchemaSource::Database(from_url), SchemaSource::Database(to_url)) = (&from, &to) else {
        return (load(from, schemas.to_vec(), strict), load(to, schemas.to_vec(), strict));
    };
    let (from_read, to_read) = crate::output::while_working("reading the databases", || {
        std::thread::scope(|scope| {
            let from_thread = scope.spawn(|| read_database(from_url, schemas.to_vec(), 2));
            let to_read = read_database(to_url, schemas.to_vec(), 2);
            let from_read = from_thread
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("reading the database stopped")));
            (from_read, to_read)
        })
    });
    let from = from_read.and_then(|read| reported(read, strict));
    let to = to_read.and_then(|read| reported(read, strict));
    (from, to)
}

/// The objects a database holds that autogen does not model: one line
/// with a count per kind (`2 rules, 1 foreign table`), and with
/// `-v` one line per object after it. Names are shown on one line whatever
/// they hold.
pub(crate) fn unmodeled_summary(unmodeled: &[autogen_introspect::Unmodeled]) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for object in unmodeled {
        *counts.entry(object.kind.as_str()).or_default() += 1;
    }
    let mut kinds: Vec<(&str, usize)> = counts.into_iter().collect();
    kinds.sort_by(|(kind_a, count_a), (kind_b, count_b)| {
        count_b.cmp(count_a).then(kind_a.cmp(kind_b))
    });
    let kinds: Vec<String> =
        kinds.iter().map(|(kind, count)| format!("{count} {}", plural(kind, *count))).collect();
    let mut text = format!(
        "{} object{} autogen does not model yet {} left out: {}",
        unmodeled.len(),
        if unmodeled.len() == 1 { "" } else { "s" },
        if unmodeled.len() == 1 { "is" } else { "are" },
        kinds.join(", ")
    );
    if crate::output::verbose() {
        text.push('\n');
        for object in unmodeled {
            text.push_str(&format!("  {}\n", autogen_schema::one_line(&object.to_string())));
        }
    } else {
        text.push_str(" (-v lists them)\n");
    }
    text
}

/// `view` → `views`, `policy` → `policies`; `row level security` is
/// counted in tables that have it, `table inheritance` in tables that
/// inherit.
fn plural(kind: &str, count: usize) -> String {
    let many = count != 1;
    match kind {
        "row level security" if many => "tables with row level security".to_owned(),
        "row level security" => "table with row level security".to_owned(),
        "table inheritance" if many => "inheriting tables".to_owned(),
        "table inheritance" => "inheriting table".to_owned(),
        _ if !many => kind.to_owned(),
        _ => match kind.strip_suffix('y') {
            Some(stem) => format!("{stem}ies"),
            None => format!("{kind}s"),
        },
    }
}
