//! The three proofs of issue 4 for every case of `fixtures/diff/`
//! (`from.sql`, `to.sql`, and `hints.toml` for renames):
//! 1. same schema: parsing each side gives what introspecting a database
//!    loaded with it gives;
//! 2. snapshot: the up and down SQL match `snapshots/diff/<case>.snap`;
//! 3. convergence: `from.sql` loaded, up applied in one transaction,
//!    introspected: equals `to`, and its `pg_dump --schema-only` equals that
//!    of `to.sql` loaded fresh; down applied: equals `from`, dump included;
//!    and diffing the database after up against `to` gives an empty plan.
//!    Column order is aside here: `ADD COLUMN` can only append, so a column
//!    declared in the middle (or one a down plan adds back) comes last.

use std::path::{Path, PathBuf};

use autogen_diff::Hints;
use autogen_schema::Schema;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn introspect(url: &str) -> Schema {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let read = runtime
        .block_on(autogen_introspect::introspect(url, &autogen_introspect::Options::default()))
        .unwrap();
    let mut schema = read.schema;
    for extension in schema.extensions.values_mut() {
        extension.version = None;
    }
    schema
}

fn parse(path: &Path) -> Result<Schema, String> {
    let text = std::fs::read_to_string(path).unwrap();
    let parsed =
        autogen_sql::parse(&[autogen_sql::Source { name: path.display().to_string(), text }]);
    if parsed.has_errors() {
        let errors: Vec<String> = parsed.diagnostics.iter().map(ToString::to_string).collect();
        return Err(errors.join("\n"));
    }
    Ok(parsed.schema)
}

fn difference(left_name: &str, left: &Schema, right_name: &str, right: &Schema) -> Option<String> {
    if left == right {
        return None;
    }
    let left_json = serde_json::to_string_pretty(left).unwrap();
    let right_json = serde_json::to_string_pretty(right).unwrap();
    let diff = similar::TextDiff::from_lines(&left_json, &right_json);
    Some(format!(
        "{left_name} and {right_name} differ:\n{}",
        diff.unified_diff().context_radius(3).header(left_name, right_name)
    ))
}

/// `schema` with each table's columns in name order.
fn by_name(schema: &Schema) -> Schema {
    let mut schema = schema.clone();
    for table in schema.tables.values_mut() {
        table.columns.sort_by(|left, right| left.name.cmp(&right.name));
    }
    schema
}

/// The statements of a `pg_dump --schema-only`, comparable across two
/// databases: comments and blank lines gone, each `CREATE TABLE`'s column
/// lines in name order (column order is aside, see above), and the
/// statements themselves sorted (dump order is not part of a schema).
fn dump_statements(dump: &str) -> String {
    let mut statements = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in dump.lines() {
        if line.is_empty()
            || line.starts_with("--")
            || line.starts_with("\\restrict")
            || line.starts_with("\\unrestrict")
        {
            continue;
        }
        current.push(line);
        if line.ends_with(';') {
            statements.push(statement_text(&current));
            current.clear();
        }
    }
    if !current.is_empty() {
        statements.push(statement_text(&current));
    }
    statements.sort();
    statements.join("\n")
}

fn statement_text(lines: &[&str]) -> String {
    if lines.len() > 2 && lines[0].starts_with("CREATE TABLE ") && lines[0].ends_with('(') {
        let mut columns: Vec<&str> =
            lines[1..lines.len() - 1].iter().map(|line| line.trim_end_matches(',')).collect();
        columns.sort_unstable();
        let mut text = vec![lines[0]];
        text.extend(columns);
        text.push(lines[lines.len() - 1]);
        return text.join("\n");
    }
    lines.join("\n")
}

fn dump_difference(left_name: &str, left: &str, right_name: &str, right: &str) -> Option<String> {
    if left == right {
        return None;
    }
    let diff = similar::TextDiff::from_lines(left, right);
    Some(format!(
        "pg_dump of {left_name} and of {right_name} differ:\n{}",
        diff.unified_diff().context_radius(3).header(left_name, right_name)
    ))
}

/// Runs the three proofs on one case; the failures, if any.
fn check(case: &Path) -> Vec<String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let mut failures = Vec::new();
    let mut fail = |what: String| failures.push(format!("{name}: {what}"));
    let (from_path, to_path) = (case.join("from.sql"), case.join("to.sql"));

    // 1. Same schema from text and from the catalog.
    let (from, to) = match (parse(&from_path), parse(&to_path)) {
        (Ok(from), Ok(to)) => (from, to),
        (from, to) => {
            fail(format!("cannot parse: {:?} {:?}", from.err(), to.err()));
            return failures;
        }
    };
    let mut dumps = Vec::new();
    for (side, path, parsed) in [("from", &from_path, &from), ("to", &to_path, &to)] {
        let database = autogen_pgtemp::fresh_database().unwrap();
        database.load_file(path).unwrap();
        if let Some(difference) =
            difference("parsed", parsed, "introspected", &introspect(database.url()))
        {
            fail(format!("{side}.sql: {difference}"));
        }
        dumps.push(dump_statements(&database.dump_schema().unwrap()));
    }
    let (from_dump, to_dump) = (&dumps[0], &dumps[1]);

    // 2. Snapshot of the up and down SQL.
    let hints = match std::fs::read_to_string(case.join("hints.toml")) {
        Ok(text) => {
            Hints::from_toml(&text).unwrap_or_else(|error| panic!("{name}/hints.toml: {error}"))
        }
        Err(_) => Hints::default(),
    };
    let migration = autogen_emit::migration(&from, &to, &hints);
    insta::with_settings!({
        snapshot_path => workspace().join("snapshots/diff"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name.clone(), format!("-- up\n{}\n-- down\n{}", migration.up, migration.down));
    });

    // 3. Convergence, up and down.
    let database = autogen_pgtemp::fresh_database().unwrap();
    database.load_file(&from_path).unwrap();
    if let Err(error) = database.load_sql(&migration.up) {
        fail(format!("up does not apply: {error}\n{}", migration.up));
        return failures;
    }
    let after_up = introspect(database.url());
    if let Some(difference) = difference("after up", &by_name(&after_up), "to", &by_name(&to)) {
        fail(format!("up does not converge: {difference}"));
    }
    let dump = dump_statements(&database.dump_schema().unwrap());
    if let Some(difference) = dump_difference("the database after up", &dump, "to.sql", to_dump) {
        fail(difference);
    }
    let again = autogen_diff::diff(&after_up, &to, &hints);
    if !again.is_empty() {
        fail(format!("a second diff is not empty: {:?}", again.steps));
    }
    if let Err(error) = database.load_sql(&migration.down) {
        fail(format!("down does not apply: {error}\n{}", migration.down));
        return failures;
    }
    let after_down = by_name(&introspect(database.url()));
    if let Some(difference) = difference("after down", &after_down, "from", &by_name(&from)) {
        fail(format!("down does not converge: {difference}"));
    }
    let dump = dump_statements(&database.dump_schema().unwrap());
    if let Some(difference) =
        dump_difference("the database after down", &dump, "from.sql", from_dump)
    {
        fail(difference);
    }
    failures
}

#[test]
fn every_diff_case_converges() {
    let root = workspace().join("fixtures/diff");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("to.sql").is_file())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", root.display());
    let failures: Vec<String> = cases.iter().flat_map(|case| check(case)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
