//! What autogen's integration tests share: where the workspace, its fixtures
//! and the shared corpus are; the list of diff cases
//! ([`for_each_diff_case!`]); a schema read from SQL or from a database;
//! readable differences of two texts or two schemas; `pg_dump` output made
//! comparable. A dev-dependency only (`publish = false`): nothing here is
//! part of autogen, and only `tests/` folders use it.

mod cases;

use std::path::{Path, PathBuf};

use autogen_schema::Schema;
use autogen_sql::{Parsed, Severity, Source};

/// The workspace root (where `fixtures/` and `snapshots/` live).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Files of `directory` whose name ends with `suffix`, in path order.
pub fn files(directory: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(directory)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
}

/// The folder of one diff case: `fixtures/diff/<case>/`.
pub fn diff_case(case: &str) -> PathBuf {
    workspace().join("fixtures/diff").join(case)
}

/// The schemas a diff case manages: the names in its `schemas` file (one
/// per line), or every schema (empty) without one. A case that needs
/// objects in a schema the project does not manage (Supabase's `auth`)
/// creates them identically in `from.sql` and `to.sql` and leaves that
/// schema out of this list: both sides are read with only these schemas
/// in scope, as `autogen.toml`'s `schemas` reads a project.
pub fn case_schemas(case: &str) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(diff_case(case).join("schemas")) else {
        return Vec::new();
    };
    text.split_whitespace().map(str::to_owned).collect()
}

/// The names of the folders of `fixtures/diff/` that hold a case (a
/// `to.sql`), in name order: what [`for_each_diff_case!`] must list.
pub fn diff_case_folders() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(workspace().join("fixtures/diff"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("to.sql").is_file())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

/// The shared corpus of real-world schemas: `../shared/corpus` next to the
/// workspace, or the folder `AUTOGEN_CORPUS` names (relative to the
/// workspace); `AUTOGEN_CORPUS=none` runs as a clone without it would.
/// `None` when it is not there, after a line saying that `what` is passed
/// over — the tests that need it then pass without reading it. The one
/// place the tests read `AUTOGEN_CORPUS`.
pub fn corpus(what: &str) -> Option<PathBuf> {
    let corpus = match std::env::var_os("AUTOGEN_CORPUS") {
        Some(value) if value == "none" => {
            eprintln!("AUTOGEN_CORPUS=none: {what} passed over");
            return None;
        }
        Some(value) => {
            let named = workspace().join(value);
            assert!(
                named.is_dir(),
                "AUTOGEN_CORPUS names {}, which is not a folder",
                named.display()
            );
            named
        }
        // `../shared/corpus`, spelt without the `..` in messages.
        None => workspace().parent().unwrap_or(&workspace()).join("shared/corpus"),
    };
    if corpus.is_dir() {
        Some(corpus)
    } else {
        eprintln!(
            "{} is not here (AUTOGEN_CORPUS can name another place): {what} passed over",
            corpus.display()
        );
        None
    }
}

/// A file as a parser source, named by its path in the workspace.
pub fn source(path: &Path) -> Source {
    Source {
        name: path.strip_prefix(workspace()).unwrap_or(path).display().to_string(),
        text: std::fs::read_to_string(path).unwrap(),
    }
}

/// The errors parsing gave, as one message headed by `what`, if any.
pub fn errors(what: &str, parsed: &Parsed) -> Option<String> {
    let errors: Vec<String> = parsed
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    (!errors.is_empty()).then(|| format!("{what}:\n{}", errors.join("\n")))
}

/// The schema one SQL file declares, or its errors.
pub fn parse_file(path: &Path) -> Result<Schema, String> {
    let source = source(path);
    let parsed = autogen_sql::parse(&[source]);
    match errors(&path.display().to_string(), &parsed) {
        Some(errors) => Err(errors),
        None => Ok(parsed.schema),
    }
}

/// The schema SQL text declares; panics on any error in it.
pub fn parse_sql(sql: &str) -> Schema {
    let parsed = autogen_sql::parse(&[Source { name: "test.sql".into(), text: sql.into() }]);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.schema
}

/// The schema a database holds, as introspection reads it, with extension
/// versions left out (SQL files rarely say them).
pub fn introspect(url: &str) -> Schema {
    let mut schema = introspect_all(url);
    for extension in schema.extensions.values_mut() {
        extension.version = None;
    }
    schema
}

/// The schema a database holds, as introspection reads it, extension
/// versions included.
pub fn introspect_all(url: &str) -> Schema {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let read = runtime
        .block_on(autogen_introspect::introspect(url, &autogen_introspect::Options::default()))
        .unwrap();
    read.schema
}

/// The schema a database holds in `schemas` (every schema when empty),
/// extension versions included.
pub fn introspect_schemas(url: &str, schemas: &[String]) -> Schema {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let options = autogen_introspect::Options { schemas: schemas.to_vec(), reads_at_once: 1 };
    runtime.block_on(autogen_introspect::introspect(url, &options)).unwrap().schema
}

/// `declared` with PostgreSQL's own text for every normalised text (view
/// queries, policy expressions … as a SQL source wrote them): `script`, the
/// plan from the database at `url` to `declared`, runs there in a
/// transaction that is rolled back (`autogen_introspect::settle`). Texts
/// PostgreSQL gave nothing for stay normalised, and so compare unequal; a
/// script PostgreSQL refuses is the error.
pub fn settled(url: &str, declared: &Schema, script: &str) -> Result<Schema, String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut declared = declared.clone();
    runtime.block_on(async {
        let mut connection = autogen_introspect::connect(url).await.unwrap();
        autogen_introspect::settle(
            &mut connection,
            &mut declared,
            script,
            &autogen_introspect::Options::default(),
        )
        .await
        .map_err(|error| format!("asking PostgreSQL for its text of the written texts: {error}"))
    })?;
    Ok(declared)
}

/// What differs between `declared`, read from SQL, and `introspected`,
/// read from the database at `url`, once `declared`'s written texts have
/// PostgreSQL's text (`settled`, with the script `plan` makes from the
/// database's schema to `declared`), or `None`.
pub fn settled_schema_diff(
    url: &str,
    declared_name: &str,
    declared: &Schema,
    introspected: &Schema,
    plan: impl Fn(&Schema, &Schema) -> String,
) -> Option<String> {
    let script =
        if declared.has_normalised_texts() { plan(introspected, declared) } else { String::new() };
    match settled(url, declared, &script) {
        Ok(declared) => schema_diff(declared_name, &declared, "introspected", introspected),
        Err(error) => Some(format!("{declared_name}: {error}")),
    }
}

/// `schema` with the versions of the extensions `declared` does not give
/// one left out: what a declaration says is what is compared.
pub fn versions_as_declared(mut schema: Schema, declared: &Schema) -> Schema {
    for (name, extension) in &mut schema.extensions {
        let said = declared.extensions.get(name).is_some_and(|found| found.version.is_some());
        if !said {
            extension.version = None;
        }
    }
    schema
}

/// A unified diff of two texts headed "`left_name` and `right_name`
/// differ", or `None` when they are equal.
pub fn text_diff(left_name: &str, left: &str, right_name: &str, right: &str) -> Option<String> {
    if left == right {
        return None;
    }
    let diff = similar::TextDiff::from_lines(left, right);
    Some(format!(
        "{left_name} and {right_name} differ:\n{}",
        diff.unified_diff().context_radius(3).header(left_name, right_name)
    ))
}

/// Panics with a unified diff when `left` and `right` differ.
pub fn assert_same_text(left_name: &str, left: &str, right_name: &str, right: &str) {
    if let Some(difference) = text_diff(left_name, left, right_name, right) {
        panic!("{difference}");
    }
}

/// A unified diff of the two schemas' JSON, or `None` when they are equal.
pub fn schema_diff(
    left_name: &str,
    left: &Schema,
    right_name: &str,
    right: &Schema,
) -> Option<String> {
    if left == right {
        return None;
    }
    let left_json = serde_json::to_string_pretty(left).unwrap();
    let right_json = serde_json::to_string_pretty(right).unwrap();
    text_diff(left_name, &left_json, right_name, &right_json)
}

/// `pg_dump` output without its comment lines and its random `\restrict`
/// key lines, and with each table's storage parameters in name order
/// ([`sorted_storage_parameters`]), so two dumps of equal schemas compare
/// equal.
pub fn normalize_dump(dump: &str) -> String {
    dump.lines()
        .filter(|line| !is_dump_noise(line))
        .map(sorted_storage_parameters)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A table's `WITH (b='2', a='1');` line of `pg_dump` as `WITH (a='1',
/// b='2');`: PostgreSQL keeps storage parameters in the order they were
/// set, which says nothing of the schema. Other lines as they are.
pub fn sorted_storage_parameters(line: &str) -> String {
    let Some(list) = line.strip_prefix("WITH (").and_then(|rest| rest.strip_suffix(");")) else {
        return line.to_owned();
    };
    let mut parameters: Vec<&str> = list.split(", ").collect();
    parameters.sort_unstable();
    format!("WITH ({});", parameters.join(", "))
}

/// A `pg_dump` line that says nothing of the schema: a comment, or the
/// `\restrict` / `\unrestrict` lines with their random key.
pub fn is_dump_noise(line: &str) -> bool {
    line.starts_with("--") || line.starts_with("\\restrict") || line.starts_with("\\unrestrict")
}

/// The privileges granted on each table, view, materialized view and
/// function of `schema` (outside `==`: compared on their own), keyed by
/// what they are on (`view public.v`, `function public.f(integer)`); `None` where
/// PostgreSQL's defaults hold.
pub fn grants_of(
    schema: &Schema,
) -> std::collections::BTreeMap<String, Option<Vec<autogen_schema::Grant>>> {
    let mut grants = std::collections::BTreeMap::new();
    for (name, table) in &schema.tables {
        grants.insert(format!("table {name}"), table.grants.0.clone());
    }
    for (name, view) in &schema.views {
        grants.insert(format!("view {name}"), view.grants.0.clone());
    }
    for (name, view) in &schema.materialized_views {
        grants.insert(format!("materialized view {name}"), view.grants.0.clone());
    }
    for (name, function) in &schema.functions {
        grants.insert(format!("function {name}"), function.grants.0.clone());
    }
    grants
}
