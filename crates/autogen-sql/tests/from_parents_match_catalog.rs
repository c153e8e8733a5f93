//! What a partition or inheriting table has from its parents — cloned
//! keys, unique constraints, foreign keys and checks, attached indexes —
//! read by the SQL reader under the names PostgreSQL gives them, equals
//! what the catalog holds (`Table::from_parents`, outside `==`: compared
//! here on its own). A partition detached keeps them as its own.

use autogen_testkit::{introspect, parse_sql};

const SCRIPT: &str = r#"
CREATE TABLE accounts (id integer PRIMARY KEY);
CREATE TABLE orders (
    id integer NOT NULL,
    placed date NOT NULL,
    account_id integer REFERENCES accounts (id),
    total numeric CONSTRAINT positive CHECK (total > 0),
    PRIMARY KEY (id, placed),
    UNIQUE (account_id, id, placed)
) PARTITION BY RANGE (placed);
CREATE INDEX orders_total_idx ON orders (total);
CREATE INDEX ON orders (lower(account_id::text));
CREATE TABLE orders_2025 PARTITION OF orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- Its own index of the same definition is attached, under its own name.
CREATE TABLE orders_2026 (id integer NOT NULL, placed date NOT NULL, account_id integer,
    total numeric CONSTRAINT positive CHECK (total > 0));
CREATE INDEX orders_2026_mine ON orders_2026 (total);
ALTER TABLE orders ATTACH PARTITION orders_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
-- Sub-partitioned: its partitions take the clones' clones.
CREATE TABLE orders_2027 PARTITION OF orders FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')
    PARTITION BY HASH (id);
CREATE TABLE orders_2027_0 PARTITION OF orders_2027 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE orders_2027_1 PARTITION OF orders_2027 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
-- A name PostgreSQL would choose is taken: it chooses another.
CREATE TABLE orders_2028_pkey (x integer);
CREATE TABLE orders_2028 PARTITION OF orders FOR VALUES FROM ('2028-01-01') TO ('2029-01-01');
-- Detached: what it had from its parent is its own now.
CREATE TABLE orders_2024 PARTITION OF orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE orders DETACH PARTITION orders_2024;

CREATE TABLE people (id integer, name text CHECK (name <> ''));
CREATE TABLE staff (badge text) INHERITS (people);
"#;

#[test]
fn what_tables_have_from_their_parents_is_the_catalogs() {
    let parsed = parse_sql(SCRIPT);
    let database = autogen_pgtemp::fresh_database().unwrap();
    database.load_sql(SCRIPT).unwrap();
    let introspected = introspect(database.url());
    assert_eq!(parsed, introspected);
    for (name, table) in &introspected.tables {
        let read = &parsed.tables[name].from_parents.0;
        assert_eq!(read, &table.from_parents.0, "{name}");
        // Only partitions and children have them.
        assert_eq!(table.from_parents.0.is_some(), !table.parents().is_empty(), "{name}");
    }
    let clones = |table: &str| {
        let name = autogen_schema::QualifiedName::new("public", table);
        let from_parents = introspected.tables[&name].from_parents.0.as_ref().unwrap();
        let mut names: Vec<&str> = (from_parents.primary_key.iter().map(|key| key.name.as_str()))
            .chain(from_parents.unique_constraints.iter().map(|unique| unique.name.as_str()))
            .chain(from_parents.check_constraints.iter().map(|check| check.name.as_str()))
            .chain(from_parents.foreign_keys.iter().map(|key| key.name.as_str()))
            .chain(from_parents.indexes.iter().map(|index| index.name.as_str()))
            .collect();
        names.sort_unstable();
        names
    };
    assert_eq!(
        clones("orders_2026"),
        [
            "orders_2026_account_id_id_placed_key",
            "orders_2026_lower_idx",
            "orders_2026_mine",
            "orders_2026_pkey",
            "orders_account_id_fkey",
            "positive",
        ]
    );
    assert!(clones("orders_2028").contains(&"orders_2028_pkey1"), "{:?}", clones("orders_2028"));
    assert_eq!(clones("staff"), ["people_name_check"]);
    // Detached, orders_2024 holds them as its own.
    let detached =
        &introspected.tables[&autogen_schema::QualifiedName::new("public", "orders_2024")];
    assert_eq!(
        detached.primary_key.as_ref().map(|key| key.name.as_str()),
        Some("orders_2024_pkey")
    );
    assert!(detached.from_parents.0.is_none());
}
