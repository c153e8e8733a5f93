//! The third proof of issue 3: for every folder of hand-written migration
//! scripts under `fixtures/replay/`, replaying the up scripts in memory, in
//! version order, gives the schema introspection reads from a database that
//! ran them (each in its own transaction unless it says `-- no-transaction`,
//! as sqlx runs migrations).

use autogen_testkit::*;

#[test]
fn replaying_migrations_gives_what_introspection_reads() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for case in files(&workspace().join("fixtures/replay"), "") {
        if !case.is_dir() {
            continue;
        }
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let scripts = files(&case, ".up.sql");
        assert!(scripts.len() >= 2, "{name}: a replay fixture has several scripts");
        let database = autogen_pgtemp::fresh_database().unwrap();
        let needs_vector = scripts.iter().any(|script| {
            std::fs::read_to_string(script).unwrap().contains("EXTENSION IF NOT EXISTS vector")
        });
        if needs_vector && !database.has_extension("vector").unwrap() {
            eprintln!("{name}: no pgvector on this server; skipped");
            continue;
        }
        for script in &scripts {
            let text = std::fs::read_to_string(script).unwrap();
            let result = if text.starts_with("-- no-transaction") {
                database.run_file(script)
            } else {
                database.load_file(script)
            };
            result.unwrap_or_else(|error| panic!("{}: {error}", script.display()));
        }
        let introspected = introspect(database.url());
        let sources: Vec<_> = scripts.iter().map(|script| source(script)).collect();
        let replayed = autogen_sql::parse(&sources);
        failures.extend(errors(&name, &replayed));
        if let Some(diff) = settled_schema_diff(
            database.url(),
            "replayed",
            &replayed.schema,
            &introspected,
            |database, written| autogen_emit::migration(database, written, &Default::default()).up,
        ) {
            failures.push(format!("{name}: {diff}"));
        }
        cases += 1;
    }
    assert!(cases >= 15, "at least 15 replay fixtures ran, {cases} did");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
