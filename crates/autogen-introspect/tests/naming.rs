//! autogen's names for unnamed objects (`autogen_schema::naming`) are the
//! ones PostgreSQL chooses: unnamed DDL is run on a real server and every
//! name it chose is compared with the prediction.

use std::collections::BTreeSet;

use autogen_schema::naming;

#[derive(Default)]
struct Namespace {
    relations: BTreeSet<String>,
    constraints: BTreeSet<String>,
}

impl Namespace {
    fn relation_taken(&self) -> impl Fn(&str) -> bool + '_ {
        |name: &str| self.relations.contains(name) || self.constraints.contains(name)
    }
}

#[test]
fn unnamed_objects_get_the_names_postgres_gives_them() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let mut ns = Namespace::default();
    let run = |sql: &str| database.execute(sql).unwrap_or_else(|error| panic!("{sql}: {error}"));

    // Plain names.
    run("CREATE TABLE t (a integer PRIMARY KEY, b integer UNIQUE, c text CHECK (c <> ''), d integer REFERENCES t (a))");
    ns.relations.insert("t".into());
    let pkey = naming::primary_key_name("t", ns.relation_taken());
    ns.relations.insert(pkey.clone());
    ns.constraints.insert(pkey);
    let key = naming::unique_constraint_name("t", &["b"], ns.relation_taken());
    ns.relations.insert(key.clone());
    ns.constraints.insert(key);
    let check = naming::check_constraint_name("t", Some("c"), |name| ns.constraints.contains(name));
    ns.constraints.insert(check);
    let fkey = naming::foreign_key_name("t", &["d"], |name| ns.constraints.contains(name));
    ns.constraints.insert(fkey);

    // INCLUDE columns count; a second identical index is numbered.
    run("CREATE INDEX ON t (a) INCLUDE (b)");
    run("CREATE INDEX ON t (a) INCLUDE (b)");
    for _ in 0..2 {
        let index = naming::index_name("t", &["a", "b"], ns.relation_taken());
        ns.relations.insert(index);
    }
    // Expression keys are named after their function, or `expr`.
    run("CREATE INDEX ON t (lower(c), (a + b), (a * b), lower(c))");
    let index = naming::index_name("t", &["lower", "expr", "expr", "lower"], ns.relation_taken());
    ns.relations.insert(index);

    // A relation already holding the name pushes the index to a number.
    run("CREATE TABLE u_a_key (id integer)");
    ns.relations.insert("u_a_key".into());
    run("CREATE TABLE u (a integer UNIQUE)");
    ns.relations.insert("u".into());
    let key = naming::unique_constraint_name("u", &["a"], ns.relation_taken());
    assert_eq!(key, "u_a_key1");
    ns.relations.insert(key.clone());
    ns.constraints.insert(key);

    // Check constraints: one column or none; collisions within the schema.
    run("CREATE TABLE q (a integer, b integer, CONSTRAINT q_a_check CHECK (a > 1), CHECK (a < b))");
    ns.relations.insert("q".into());
    ns.constraints.insert("q_a_check".into());
    let check = naming::check_constraint_name("q", None, |name| ns.constraints.contains(name));
    ns.constraints.insert(check);
    run("ALTER TABLE q ADD CHECK (a > 2)");
    let check = naming::check_constraint_name("q", Some("a"), |name| ns.constraints.contains(name));
    assert_eq!(check, "q_a_check1");
    ns.constraints.insert(check);

    // Exclusion constraints: `_excl`, named like an index (INCLUDE columns
    // and expressions count) among relations and constraints alike.
    run("CREATE TABLE x (a int4range, b int4range, c integer, \
         EXCLUDE USING gist (a WITH &&, int4range(c, c, '[]') WITH =) INCLUDE (c))");
    ns.relations.insert("x".into());
    let excl =
        naming::exclusion_constraint_name("x", &["a", "int4range", "c"], ns.relation_taken());
    assert_eq!(excl, "x_a_int4range_c_excl");
    ns.relations.insert(excl.clone());
    ns.constraints.insert(excl);
    run("CREATE TABLE x_a_excl (id integer)");
    ns.relations.insert("x_a_excl".into());
    run("ALTER TABLE x ADD CONSTRAINT x_b_excl CHECK (b IS NOT NULL)");
    ns.constraints.insert("x_b_excl".into());
    for (column, expected) in [("a", "x_a_excl1"), ("b", "x_b_excl1"), ("b", "x_b_excl2")] {
        run(&format!("ALTER TABLE x ADD EXCLUDE USING gist ({column} WITH &&)"));
        let excl = naming::exclusion_constraint_name("x", &[column], ns.relation_taken());
        assert_eq!(excl, expected);
        ns.relations.insert(excl.clone());
        ns.constraints.insert(excl);
    }

    // 63-byte limits, multi-byte characters, serial sequences.
    let long_table = "a".repeat(62);
    let long_column = "b".repeat(48);
    run(&format!(
        "CREATE TABLE {long_table} (id serial PRIMARY KEY, {long_column} integer UNIQUE, c integer CHECK (c > 0), \
         CHECK (c > {long_column}))"
    ));
    ns.relations.insert(long_table.clone());
    let sequence = naming::sequence_name(&long_table, "id", ns.relation_taken());
    ns.relations.insert(sequence);
    let pkey = naming::primary_key_name(&long_table, ns.relation_taken());
    ns.relations.insert(pkey.clone());
    ns.constraints.insert(pkey);
    let key =
        naming::unique_constraint_name(&long_table, &[long_column.as_str()], ns.relation_taken());
    ns.relations.insert(key.clone());
    ns.constraints.insert(key);
    for column in [Some("c"), None] {
        let check = naming::check_constraint_name(&long_table, column, |name| {
            ns.constraints.contains(name)
        });
        ns.constraints.insert(check);
    }
    let unicode_table = "ŧåbłé_wïŧħ_å_vërÿ_łøñg_ñåmé_ŧħåŧ_ïš_mültï";
    let unicode_column = "Ünïcødé_çølümñ_ñåmé_ŧħåŧ_ïš_qüïŧé_løñg";
    run(&format!(
        "CREATE TABLE \"{unicode_table}\" (id integer PRIMARY KEY, \"{unicode_column}\" integer)"
    ));
    run(&format!("CREATE INDEX ON \"{unicode_table}\" (\"{unicode_column}\", id)"));
    // The table's own name is longer than 63 bytes: PostgreSQL cuts it, at
    // a character boundary, and derives the other names from what is left.
    let unicode_table = naming::truncate_identifier(unicode_table);
    assert!(unicode_table.len() <= 63 && unicode_table.ends_with("mült"));
    ns.relations.insert(unicode_table.into());
    let pkey = naming::primary_key_name(unicode_table, ns.relation_taken());
    ns.relations.insert(pkey.clone());
    ns.constraints.insert(pkey);
    let index = naming::index_name(unicode_table, &[unicode_column, "id"], ns.relation_taken());
    ns.relations.insert(index);

    let listed = |sql: &str| -> BTreeSet<String> {
        database
            .execute(sql)
            .unwrap()
            .lines()
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let relations = listed("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind <> 't'");
    let constraints =
        listed("SELECT conname FROM pg_constraint WHERE connamespace = 'public'::regnamespace");
    assert_eq!(relations, ns.relations, "relation names");
    assert_eq!(constraints, ns.constraints, "constraint names");
}
