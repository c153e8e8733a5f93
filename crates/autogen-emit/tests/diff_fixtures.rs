//! The three proofs of issue 4 for every case of `fixtures/diff/`
//! (`from.sql`, `to.sql`, and `hints.toml` for renames):
//! 1. same schema: parsing each side gives what introspecting a database
//!    loaded with it gives;
//! 2. snapshot: the up and down SQL match `snapshots/diff/<case>.snap` —
//!    pure, no database: one test a case (`snapshot::<case>`, from
//!    `autogen_testkit::for_each_diff_case!`), so one failing case hides
//!    no other;
//! 3. convergence: `from.sql` loaded, up applied in one transaction,
//!    introspected: equals `to`, and its `pg_dump --schema-only` equals that
//!    of `to.sql` loaded fresh; down applied: equals `from`, dump included;
//!    and diffing the database after up against `to` gives an empty plan.
//!    Grants are outside `==`: the grants on every view, materialized view
//!    and function of `from.sql`'s database are compared on their own —
//!    the same after up (where `to` keeps the object, even dropped and
//!    created again) and after down.
//!    Column order is aside here: `ADD COLUMN` can only append, so a column
//!    declared in the middle (or one a down plan adds back) comes last.
//!    Proofs 1 and 3 need PostgreSQL: one test runs them on every case and
//!    reports every case that fails. A case whose schemas need an extension
//!    the server cannot install (btree_gist is contrib: the pinned
//!    PostgreSQL 16 package lacks it, 18 has it), or written for a newer
//!    server than the one running (its `min_server_version` file), or
//!    using ICU collations on a server built without ICU (its `needs_icu`
//!    file: the pinned PostgreSQL 16 and 18 packages lack it, Debian's 15
//!    has it), is passed over, saying so;
//!    `scripts/test` runs this test on both. A case whose `schemas` file
//!    names the schemas it manages is read, on both sides and from every
//!    source, with only those in scope (objects in another schema — a
//!    policy calling Supabase's `auth.uid()` — are created identically by
//!    `from.sql` and `to.sql`, and never by the plan).

use std::collections::BTreeMap;

use autogen_diff::Hints;
use autogen_schema::Schema;
use autogen_testkit::{
    case_schemas, diff_case, diff_case_folders, grants_of, introspect_schemas, is_dump_noise,
    parse_file, schema_diff, settled, sorted_storage_parameters, text_diff, versions_as_declared,
    workspace,
};

/// One test a case: its up and down SQL against its snapshot.
macro_rules! snapshot_tests {
    ($($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                super::check_snapshot(stringify!($case));
            }
        )*
    };
}

mod snapshot {
    autogen_testkit::for_each_diff_case!(snapshot_tests);
}

#[test]
fn every_diff_case_converges() {
    let mut cases = diff_case_folders();
    // While working on a few: `AUTOGEN_DIFF_CASES=a,b` runs only those.
    if let Ok(only) = std::env::var("AUTOGEN_DIFF_CASES") {
        let only: Vec<&str> = only.split(',').map(str::trim).collect();
        cases.retain(|case| only.contains(&case.as_str()));
        eprintln!("AUTOGEN_DIFF_CASES: {} of the cases", cases.len());
    }
    assert!(!cases.is_empty(), "no cases in fixtures/diff");
    let server = autogen_pgtemp::fresh_database().unwrap();
    let mut available: BTreeMap<String, bool> = BTreeMap::new();
    let has_icu = server.has_icu().unwrap();
    let mut failures = Vec::new();
    for case in &cases {
        let missing = match read(case) {
            Ok((from, to, _)) => from
                .extensions
                .keys()
                .chain(to.extensions.keys())
                .find(|name| {
                    !*available
                        .entry((*name).clone())
                        .or_insert_with(|| server.has_extension(name).unwrap())
                })
                .cloned(),
            Err(_) => None,
        };
        // A case written in a newer server's syntax says so in
        // `min_server_version` (`16` for a column's `STORAGE` clause).
        let needs = std::fs::read_to_string(diff_case(case).join("min_server_version"))
            .ok()
            .and_then(|text| text.trim().parse::<u32>().ok());
        let major = server.server_major().unwrap();
        let needs_icu = diff_case(case).join("needs_icu").exists();
        match (missing, needs) {
            (Some(extension), _) => eprintln!(
                "{case}: passed over: it needs extension {extension}, which this server does not have"
            ),
            _ if needs_icu && !has_icu => {
                eprintln!("{case}: passed over: it needs ICU collations, which this server lacks")
            }
            (None, Some(needs)) if major < needs => eprintln!(
                "{case}: passed over: it is written for PostgreSQL {needs} or later, this server is {major}"
            ),
            (None, _) => failures.extend(check_convergence(case)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Proof 2 on one case: parsed, diffed, rendered — no database.
fn check_snapshot(case: &str) {
    let (from, to, hints) = read(case).unwrap_or_else(|error| panic!("{case}: {error}"));
    let migration = autogen_emit::migration(&from, &to, &hints);
    insta::with_settings!({
        snapshot_path => workspace().join("snapshots/diff"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(case, format!("-- up\n{}\n-- down\n{}", migration.up, migration.down));
    });
}

/// A case's two schemas, parsed (only the schemas it manages: its
/// `schemas` file), and its rename hints.
fn read(case: &str) -> Result<(Schema, Schema, Hints), String> {
    let folder = diff_case(case);
    let (mut from, mut to) =
        match (parse_file(&folder.join("from.sql")), parse_file(&folder.join("to.sql"))) {
            (Ok(from), Ok(to)) => (from, to),
            (from, to) => return Err(format!("cannot parse: {:?} {:?}", from.err(), to.err())),
        };
    let schemas = case_schemas(case);
    from.retain_schemas(&schemas);
    to.retain_schemas(&schemas);
    let hints = match std::fs::read_to_string(folder.join("hints.toml")) {
        Ok(text) => Hints::from_toml(&text).map_err(|error| format!("hints.toml: {error}"))?,
        Err(_) => Hints::default(),
    };
    Ok((from, to, hints))
}

/// Proofs 1 and 3 on one case; the failures, if any.
fn check_convergence(name: &str) -> Vec<String> {
    let case = diff_case(name);
    let mut failures = Vec::new();
    let mut fail = |what: String| failures.push(format!("{name}: {what}"));
    let (from_path, to_path) = (case.join("from.sql"), case.join("to.sql"));
    let schemas = case_schemas(name);
    let introspect_all = |url: &str| introspect_schemas(url, &schemas);

    // 1. Same schema from text and from the catalog.
    let (from, to, hints) = match read(name) {
        Ok(read) => read,
        Err(error) => {
            fail(error);
            return failures;
        }
    };
    // The plan is made from the texts as written (offline, as `diff` and
    // `check` compare two SQL sources); what it is compared with on a
    // database takes PostgreSQL's text for them (`settled`).
    let migration = autogen_emit::migration(&from, &to, &hints);
    let mut dumps = Vec::new();
    let mut settled_sides = Vec::new();
    // The grants on views, materialized views and functions of the
    // database `from.sql` built (outside `==`: compared on their own).
    let mut from_grants = None;
    for (side, path, parsed) in [("from", &from_path, &from), ("to", &to_path, &to)] {
        let database = autogen_pgtemp::fresh_database().unwrap();
        database.load_file(path).unwrap();
        let introspected = versions_as_declared(introspect_all(database.url()), parsed);
        let script = autogen_emit::migration(&introspected, parsed, &Hints::default()).up;
        let parsed = match settled(database.url(), parsed, &script) {
            Ok(parsed) => parsed,
            Err(error) => {
                fail(format!("{side}.sql: {error}"));
                return failures;
            }
        };
        if let Some(difference) = schema_diff("parsed", &parsed, "introspected", &introspected) {
            fail(format!("{side}.sql: {difference}"));
        }
        if side == "from" {
            from_grants = Some(grants_of(&introspected));
        }
        settled_sides.push(parsed);
        dumps.push(dump_statements(&database.dump_schema().unwrap()));
    }
    let (from_dump, to_dump) = (&dumps[0], &dumps[1]);
    let to = settled_sides.pop().unwrap();
    let from = settled_sides.pop().unwrap();

    // 3. Convergence, up and down.
    let database = autogen_pgtemp::fresh_database().unwrap();
    database.load_file(&from_path).unwrap();
    if let Err(error) = database.load_sql(&migration.up) {
        fail(format!("up does not apply: {error}\n{}", migration.up));
        return failures;
    }
    let after_up = versions_as_declared(introspect_all(database.url()), &to);
    if let Some(difference) = schema_diff("after up", &by_name(&after_up), "to", &by_name(&to)) {
        fail(format!("up does not converge: {difference}"));
    }
    let dump = dump_statements(&database.dump_schema().unwrap());
    if let Some(difference) =
        text_diff("pg_dump of the database after up", &dump, "pg_dump of to.sql", to_dump)
    {
        fail(difference);
    }
    // What up kept (even dropped and created again) keeps its grants.
    let from_grants = from_grants.unwrap_or_default();
    let kept_grants = |after: &Schema| -> Vec<String> {
        let after = grants_of(after);
        (from_grants.iter())
            .filter_map(|(object, before)| match after.get(object) {
                Some(now) if now != before => {
                    Some(format!("{object}: {before:?} in from.sql, {now:?} after"))
                }
                _ => None,
            })
            .collect()
    };
    for lost in kept_grants(&after_up) {
        fail(format!("up changes the grants on {lost}"));
    }
    let again = autogen_diff::diff(&after_up, &to, &hints);
    if !again.is_empty() {
        fail(format!("a second diff is not empty: {:?}", again.steps));
    }
    if let Err(error) = database.load_sql(&migration.down) {
        fail(format!("down does not apply: {error}\n{}", migration.down));
        return failures;
    }
    let after_down = by_name(&versions_as_declared(introspect_all(database.url()), &from));
    if let Some(difference) = schema_diff("after down", &after_down, "from", &by_name(&from)) {
        fail(format!("down does not converge: {difference}"));
    }
    for lost in kept_grants(&after_down) {
        fail(format!("down changes the grants on {lost}"));
    }
    let dump = dump_statements(&database.dump_schema().unwrap());
    if let Some(difference) =
        text_diff("pg_dump of the database after down", &dump, "pg_dump of from.sql", from_dump)
    {
        fail(difference);
    }
    failures
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
/// lines in name order (column order is aside, see above) and its storage
/// parameters too (PostgreSQL keeps them in the order they were set, which
/// says nothing), and the statements themselves sorted (dump order is not
/// part of a schema).
fn dump_statements(dump: &str) -> String {
    let mut statements = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in dump.lines() {
        if line.is_empty() || is_dump_noise(line) {
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
    let is_create_table = ["CREATE TABLE ", "CREATE UNLOGGED TABLE "]
        .iter()
        .any(|create| lines[0].starts_with(create));
    let close = lines.iter().position(|line| line.starts_with(')'));
    if let (true, true, Some(close)) = (is_create_table, lines[0].ends_with('('), close) {
        let mut columns: Vec<&str> =
            lines[1..close].iter().map(|line| line.trim_end_matches(',')).collect();
        columns.sort_unstable();
        let mut text: Vec<String> = vec![lines[0].to_owned()];
        text.extend(columns.into_iter().map(str::to_owned));
        text.extend(lines[close..].iter().map(|line| sorted_storage_parameters(line)));
        return text.join("\n");
    }
    lines.join("\n")
}
