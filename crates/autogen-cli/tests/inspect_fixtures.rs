//! Proof that introspection is complete: for every schema in
//! `fixtures/schemas/`, load it into database A, and
//! 1. snapshot `autogen inspect --format json` of A (PostgreSQL 16, the
//!    pinned server; other versions run the remaining checks);
//! 2. require every index autogen models to render exactly as PostgreSQL's
//!    own `pg_get_indexdef` prints it;
//! 3. load `autogen inspect --format sql` of A into database B, and require
//!    `pg_dump --schema-only` of A and B to be identical, B to introspect to
//!    the same model, and B's canonical SQL to equal A's.

mod common;

use autogen_schema::Schema;
use common::*;

fn check(fixture: &str) {
    let path = workspace().join("fixtures/schemas").join(format!("{fixture}.sql"));
    let source = std::fs::read_to_string(&path).unwrap();
    let a = autogen_pgtemp::fresh_database().unwrap();
    if source.contains("CREATE EXTENSION IF NOT EXISTS vector") && !has_pgvector(&a) {
        eprintln!("{fixture}: this server has no pgvector; only the loadable fixtures run here");
        return;
    }
    a.load_file(&path).unwrap_or_else(|error| panic!("loading {fixture}: {error}"));

    let json_a = inspect(a.url(), "json");
    let sql_a = inspect(a.url(), "sql");
    if server_major(&a) == 16 {
        insta::with_settings!({
            snapshot_path => workspace().join("snapshots/inspect"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(fixture, json_a);
        });
    }

    let model_a: Schema = serde_json::from_str(&json_a).unwrap();
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
    let model_b: Schema = serde_json::from_str(&json_b).unwrap();
    if model_a != model_b {
        assert_same_text("model of A", &json_a, "model of B", &json_b);
    }
    assert_same_text("canonical SQL of A", &sql_a, "canonical SQL of B", &inspect(b.url(), "sql"));
}

/// Each modelled index, rendered, equals `pg_get_indexdef` of the real one:
/// the model keeps exactly what PostgreSQL considers part of the index
/// (operator classes and collations only where they are not the defaults).
fn assert_indexes_render_as_postgres_prints_them(
    database: &autogen_pgtemp::Database<'_>,
    schema: &Schema,
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
                               WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))",
        )
        .unwrap();
    let mut from_postgres: Vec<&str> = printed.lines().filter(|line| !line.is_empty()).collect();
    from_postgres.sort_unstable();
    let mut from_model: Vec<String> = schema
        .tables
        .values()
        .flat_map(|table| {
            table.indexes.iter().map(|index| autogen_schema::ddl::index_sql(&table.name, index))
        })
        .collect();
    from_model.sort_unstable();
    assert_same_text(
        "pg_get_indexdef",
        &from_postgres.join("\n"),
        "the model's indexes",
        &from_model.join("\n"),
    );
}

fn inspect(url: &str, format: &str) -> String {
    let output = run(&["inspect", "--database-url", url, "--format", format]);
    assert!(output.status.success(), "inspect failed: {}", stderr(&output));
    assert_eq!(stderr(&output), "", "a fixture holds nothing autogen does not model");
    stdout(&output)
}

macro_rules! fixtures {
    ($($name:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $name() {
                check($file);
            }
        )*

        const FIXTURES: &[&str] = &[$($file),*];
    };
}

fixtures! {
    basic_types => "01_basic_types",
    arrays => "02_arrays",
    enums => "03_enums",
    schemas => "04_schemas",
    identity_serial => "05_identity_serial",
    generated_and_defaults => "06_generated_and_defaults",
    collations_nullability_comments => "07_collations_nullability_comments",
    primary_and_unique_keys => "08_primary_and_unique_keys",
    check_constraints => "09_check_constraints",
    foreign_keys => "10_foreign_keys",
    fk_cycles => "11_fk_cycles",
    indexes => "12_indexes",
    pgvector_hnsw => "13_pgvector_hnsw",
    pgvector_ivfflat => "14_pgvector_ivfflat",
    quoted_identifiers => "15_quoted_identifiers",
    long_identifiers => "16_long_identifiers",
    app_knowledge_base => "17_app_knowledge_base",
}

#[test]
fn every_fixture_has_a_test_and_every_snapshot_a_fixture() {
    let mut on_disk: Vec<String> = std::fs::read_dir(workspace().join("fixtures/schemas"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|name| name.strip_suffix(".sql").map(str::to_owned))
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, FIXTURES, "fixtures/schemas and the fixtures! list disagree");

    for entry in std::fs::read_dir(workspace().join("snapshots/inspect")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let stem = name
            .strip_suffix(".snap")
            .unwrap_or_else(|| panic!("stray file snapshots/inspect/{name}"));
        assert!(FIXTURES.contains(&stem), "snapshots/inspect/{name} belongs to no fixture");
    }
}
