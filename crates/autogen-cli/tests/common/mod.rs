//! Helpers shared by the CLI's integration tests: run the built binary,
//! prove a schema round-trips through `autogen inspect`. What every test
//! folder shares (the workspace, readable text diffs, `pg_dump` made
//! comparable) comes from autogen-testkit.

#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;
use std::process::{Command, Output};

pub use autogen_testkit::{assert_same_text, normalize_dump, workspace};

/// The `autogen` binary under test, with no `DATABASE_URL` inherited.
pub fn autogen() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_autogen"));
    command.env_remove("DATABASE_URL").env("NO_COLOR", "1");
    command
}

/// Runs `autogen args…` and returns its output.
pub fn run(args: &[&str]) -> Output {
    autogen().args(args).output().unwrap()
}

/// Runs `autogen args…` in `folder` and returns its output.
pub fn run_in(folder: &std::path::Path, args: &[&str]) -> Output {
    autogen().current_dir(folder).args(args).output().unwrap()
}

/// Runs `autogen args…` in `folder`, asserts exit 0, returns stdout.
pub fn ok(folder: &std::path::Path, args: &[&str]) -> String {
    let output = run_in(folder, args);
    assert!(
        output.status.success(),
        "autogen {args:?} failed:\n{}{}",
        stdout(&output),
        stderr(&output)
    );
    stdout(&output)
}

/// A fresh folder under the temporary directory, named for the test
/// (`autogen-PREFIX-PID-NAME`), with `autogen init` run in it.
pub fn initialised_project(prefix: &str, name: &str) -> PathBuf {
    let folder =
        std::env::temp_dir().join(format!("autogen-{prefix}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    ok(&folder, &["init"]);
    folder
}

/// `sql` written to `declared.sql` in a fresh folder under the temporary
/// directory (`autogen-PREFIX-PID`): its path, for `--to`.
pub fn declared_file(prefix: &str, sql: &str) -> String {
    let folder = std::env::temp_dir().join(format!("autogen-{prefix}-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let declared = folder.join("declared.sql");
    std::fs::write(&declared, sql).unwrap();
    declared.display().to_string()
}

/// A project (as [`initialised_project`]) declaring `sql`, its first
/// migration (`base`) written and applied to the database at `url`.
pub fn applied_project(prefix: &str, name: &str, sql: &str, url: &str) -> PathBuf {
    let folder = initialised_project(prefix, name);
    declare(&folder, sql);
    ok(&folder, &["revision", "-m", "base"]);
    ok(&folder, &["upgrade", "--database-url", url]);
    folder
}

/// The up files of `folder`'s migrations folder, by name.
pub fn up_files(folder: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder.join("migrations"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".up.sql"))
        .collect();
    names.sort();
    names
}

/// Writes the project's declared schema (`schema/app.sql`).
pub fn declare(folder: &std::path::Path, sql: &str) {
    std::fs::write(folder.join("schema/app.sql"), sql).unwrap();
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The shared server's major version.
pub fn server_major(database: &autogen_pgtemp::Database<'_>) -> u32 {
    database.server_major().unwrap()
}

/// Whether pgvector can be installed on the shared server.
pub fn has_pgvector(database: &autogen_pgtemp::Database<'_>) -> bool {
    database.has_extension("vector").unwrap()
}

/// The introspection proof for one schema file (see inspect_fixtures.rs),
/// with a JSON snapshot under `snapshot` when given.
pub fn prove_round_trip(path: &std::path::Path, snapshot: Option<&str>) {
    let fixture = path.file_stem().unwrap().to_string_lossy().into_owned();
    let source = std::fs::read_to_string(path).unwrap();
    let a = autogen_pgtemp::fresh_database().unwrap();
    if source.contains("CREATE EXTENSION IF NOT EXISTS vector") && !has_pgvector(&a) {
        eprintln!("{fixture}: this server has no pgvector; only the loadable fixtures run here");
        return;
    }
    a.load_file(path).unwrap_or_else(|error| panic!("loading {fixture}: {error}"));

    let json_a = inspect(a.url(), "json");
    let sql_a = inspect(a.url(), "sql");
    if let (Some(snapshot), 16) = (snapshot, server_major(&a)) {
        insta::with_settings!({
            snapshot_path => workspace().join("snapshots/inspect"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(snapshot, json_a);
        });
    }

    let model_a: autogen_schema::Schema = serde_json::from_str(&json_a).unwrap();
    assert_indexes_render_as_postgres_prints_them(&a, &model_a);

    let b = autogen_pgtemp::fresh_database().unwrap();
    b.load_sql(&sql_a)
        .unwrap_or_else(|error| panic!("loading the canonical SQL of {fixture}: {error}\n{sql_a}"));

    let dump_a = normalize_dump(&a.dump_schema().unwrap());
    let dump_b = normalize_dump(&b.dump_schema().unwrap());
    assert_same_text(
        &format!("pg_dump of {fixture}"),
        &dump_a,
        "pg_dump of its canonical SQL",
        &dump_b,
    );

    let json_b = inspect(b.url(), "json");
    let model_b: autogen_schema::Schema = serde_json::from_str(&json_b).unwrap();
    if model_a != model_b {
        assert_same_text("model of A", &json_a, "model of B", &json_b);
    }
    assert_same_text("canonical SQL of A", &sql_a, "canonical SQL of B", &inspect(b.url(), "sql"));
}

/// Each modelled index, rendered, equals `pg_get_indexdef` of the real one:
/// the model keeps exactly what PostgreSQL considers part of the index
/// (operator classes and collations only where they are not the defaults).
/// An index attached to a partitioned parent's is the parent's, made on
/// each partition, and not modelled on the partition; the parent's is
/// printed `ON ONLY`, which the model's rendering leaves to the plan.
pub fn assert_indexes_render_as_postgres_prints_them(
    database: &autogen_pgtemp::Database<'_>,
    schema: &autogen_schema::Schema,
) {
    let printed = database
        .execute(
            "SET search_path = public;
             SELECT pg_get_indexdef(i.indexrelid)
             FROM pg_index i
             JOIN pg_class c ON c.oid = i.indrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                               WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
               AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)",
        )
        .unwrap();
    let mut from_postgres: Vec<String> = printed
        .lines()
        .filter(|line| !line.is_empty())
        .map(|line| line.replacen(" ON ONLY ", " ON ", 1))
        .collect();
    from_postgres.sort_unstable();
    let mut from_model: Vec<String> = schema
        .tables
        .values()
        .flat_map(|table| {
            table.indexes.iter().map(|index| autogen_schema::ddl::index_sql(&table.name, index))
        })
        .collect();
    // A materialized view's indexes too.
    from_model.extend(schema.materialized_views.values().flat_map(|view| {
        view.indexes.iter().map(|index| autogen_schema::ddl::index_sql(&view.name, index))
    }));
    from_model.sort_unstable();
    assert_same_text(
        "pg_get_indexdef",
        &from_postgres.join("\n"),
        "the model's indexes",
        &from_model.join("\n"),
    );
}

pub fn inspect(url: &str, format: &str) -> String {
    let output = run(&["inspect", "--database-url", url, "--format", format]);
    assert!(output.status.success(), "inspect failed: {}", stderr(&output));
    assert_eq!(stderr(&output), "", "a fixture holds nothing autogen does not model");
    stdout(&output)
}
