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

use common::*;

fn check(fixture: &str) {
    let path = workspace().join("fixtures/schemas").join(format!("{fixture}.sql"));
    prove_round_trip(&path, Some(fixture));
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
    defaults_as_stored => "18_defaults_as_stored",
    storage_and_table_properties => "19_storage_and_table_properties",
    collations => "20_collations",
    domain_columns_in_expressions => "21_domain_columns_in_expressions",
    triggers_and_policies => "22_triggers_and_policies",
    functions => "23_functions",
    views => "24_views",
    partitions => "25_partitions",
    inheritance => "26_inheritance",
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
