//! The first two proofs of issue 3, for every fixture in `fixtures/schemas/`:
//! 1. parsing the fixture gives the schema introspection reads from a
//!    database that loaded it;
//! 2. parsing that database's `pg_dump --schema-only` gives it too.

use autogen_testkit::*;

#[test]
fn parsing_a_fixture_gives_what_introspection_reads() {
    let mut failures = Vec::new();
    for path in files(&workspace().join("fixtures/schemas"), ".sql") {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let database = autogen_pgtemp::fresh_database().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        if text.contains("EXTENSION IF NOT EXISTS vector")
            && !database.has_extension("vector").unwrap()
        {
            eprintln!("{name}: no pgvector on this server; skipped");
            continue;
        }
        database.load_file(&path).unwrap();
        let introspected = introspect(database.url());

        let parsed = autogen_sql::parse(&[source(&path)]);
        failures.extend(errors(&name, &parsed));
        let url = database.url();
        if let Some(diff) =
            settled_schema_diff(url, "parsed", &parsed.schema, &introspected, plan_sql)
        {
            failures.push(format!("{name}: {diff}"));
        }

        let dump = database.dump_schema().unwrap();
        let parsed_dump = autogen_sql::parse(&[autogen_sql::Source {
            name: format!("pg_dump of {name}"),
            text: dump,
        }]);
        failures.extend(errors(&format!("pg_dump of {name}"), &parsed_dump));
        // pg_dump does not write an array column's declared dimensions
        // (`int[][]` comes out `int[]`): the one thing compared without.
        let (dumped, expected) = (one_dimension(parsed_dump.schema), one_dimension(introspected));
        if let Some(diff) = settled_schema_diff(url, "parsed pg_dump", &dumped, &expected, plan_sql)
        {
            failures.push(format!("pg_dump of {name}: {diff}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The plan whose application gives PostgreSQL's text of what was written.
fn plan_sql(database: &autogen_schema::Schema, written: &autogen_schema::Schema) -> String {
    autogen_emit::migration(database, written, &Default::default()).up
}

fn one_dimension(mut schema: autogen_schema::Schema) -> autogen_schema::Schema {
    for table in schema.tables.values_mut() {
        for column in &mut table.columns {
            if let autogen_schema::SqlType::Array { dimensions, .. } = &mut column.data_type {
                *dimensions = 1;
            }
        }
    }
    schema
}
