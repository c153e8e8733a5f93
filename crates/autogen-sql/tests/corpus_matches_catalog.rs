//! The parse and replay proofs on real-world schemas from
//! `../shared/corpus/real/` (read in place, never copied into the
//! repository; `AUTOGEN_CORPUS` names another place, or `none`): whole
//! schemas parse to what introspection reads from a database that loaded
//! them, and the two migration histories (AFFiNE's Prisma migrations,
//! aidoc's Flyway scripts) replay to what a database that ran them holds.
//! pagila's standalone sequences and domains (`year` with its check, the
//! dotless-i `bıgınt`) are read from both sides and must agree; its views,
//! functions, triggers and partitions are not modelled yet: parsing leaves
//! them out with a warning, as introspection does. `DO` blocks cannot be followed: they are
//! reported, and the database compared with runs the rest.

use std::path::PathBuf;

use autogen_testkit::*;

/// The corpus's `real/` folder; `None` (with a line saying so) when the
/// corpus is not there (`AUTOGEN_CORPUS`).
fn corpus() -> Option<PathBuf> {
    autogen_testkit::corpus("this corpus proof is").map(|corpus| corpus.join("real"))
}

/// The statements of `text` but its `DO` blocks: procedural code autogen
/// cannot follow (AFFiNE creates its pgvector tables in them only when the
/// extension is there). Parsing leaves them out with a warning; the
/// database the parse is compared with runs what autogen follows.
fn without_do_blocks(text: &str) -> (String, usize) {
    let statements = autogen_sql::statements::split(text).unwrap();
    let is_do = |statement: &autogen_sql::statements::StatementText| {
        statement.text.get(..3).is_some_and(|start| start.eq_ignore_ascii_case("do "))
    };
    let blocks = statements.iter().filter(|statement| is_do(statement)).count();
    let kept: Vec<String> = statements
        .into_iter()
        .filter(|statement| !is_do(statement))
        .map(|statement| statement.text + ";\n")
        .collect();
    (kept.concat(), blocks)
}

/// Loads `scripts` one by one into a fresh database and compares what
/// introspection reads with what parsing them in order gives.
fn prove(name: &str, scripts: &[PathBuf]) -> Option<String> {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let texts: Vec<(String, usize)> = scripts
        .iter()
        .map(|script| without_do_blocks(&std::fs::read_to_string(script).unwrap()))
        .collect();
    let needs_vector = texts.iter().any(|(text, _)| {
        text.lines().any(|line| {
            let line = line.to_lowercase();
            line.contains("create extension") && line.contains("vector")
        })
    });
    if needs_vector && !database.has_extension("vector").unwrap() {
        eprintln!("{name}: no pgvector on this server; passed over");
        return None;
    }
    let mut blocks = 0;
    for (script, (text, found)) in scripts.iter().zip(texts) {
        blocks += found;
        database.load_sql(&text).unwrap_or_else(|error| panic!("{}: {error}", script.display()));
    }
    let introspected = introspect(database.url());
    let sources: Vec<_> = scripts.iter().map(|script| source(script)).collect();
    let parsed = autogen_sql::parse(&sources);
    let warned = parsed
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.message.contains("does not model DO blocks"))
        .count();
    assert_eq!(warned, blocks, "{name}: every DO block is reported");
    let mut failures: Vec<String> = errors(name, &parsed).into_iter().collect();
    failures.extend(settled_schema_diff(
        database.url(),
        "parsed",
        &parsed.schema,
        &introspected,
        |database, written| autogen_emit::migration(database, written, &Default::default()).up,
    ));
    assert!(!introspected.tables.is_empty(), "{name}: the database has tables");
    if name.contains("pagila") {
        assert!(!introspected.sequences.is_empty(), "{name}: pagila's sequences are read");
        let domains: Vec<String> =
            introspected.domains.keys().map(|domain| domain.to_string()).collect();
        assert_eq!(domains, ["public.\"bıgınt\"", "public.year"], "{name}: its domains are read");
        assert_eq!(introspected.domains.values().map(|d| d.checks.len()).sum::<usize>(), 1);
    }
    (!failures.is_empty()).then(|| format!("{name}: {}", failures.join("\n")))
}

#[test]
fn corpus_schemas_parse_to_what_introspection_reads() {
    let Some(corpus) = corpus() else { return };
    let failures: Vec<String> = ["affine", "aidoc", "hybridvec", "pagila"]
        .into_iter()
        .filter_map(|name| prove(name, &[corpus.join(format!("{name}-schema.sql"))]))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// OpenStreetMap's structure needs `btree_gist` (contrib): Debian's
/// PostgreSQL 15 has it, the pinned PostgreSQL 16 package does not
/// (`scripts/test` runs this file on both).
#[test]
fn openstreetmap_parses_to_what_introspection_reads() {
    let Some(corpus) = corpus() else { return };
    let database = autogen_pgtemp::fresh_database().unwrap();
    if !database.has_extension("btree_gist").unwrap() {
        eprintln!("no btree_gist on this server; OpenStreetMap's structure is passed over");
        return;
    }
    drop(database);
    if let Some(failure) = prove("OpenStreetMap", &[corpus.join("osm-structure.sql")]) {
        panic!("{failure}");
    }
}

#[test]
fn corpus_migration_histories_replay_to_what_the_database_holds() {
    let Some(corpus) = corpus() else { return };
    let mut failures = Vec::new();
    for (name, folder) in [("AFFiNE", "affine-migrations"), ("aidoc", "aidoc-flyway")] {
        let mut scripts = files(&corpus.join(folder), ".sql");
        // Flyway's V1__…, V2__… in version order, not text order.
        scripts.sort_by_key(|script| {
            let file = script.file_name().unwrap().to_string_lossy().into_owned();
            let version: String =
                file.trim_start_matches('V').chars().take_while(char::is_ascii_digit).collect();
            (version.parse::<u64>().unwrap_or(0), file)
        });
        assert!(scripts.len() >= 8, "{name}: {} scripts", scripts.len());
        failures.extend(prove(name, &scripts));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every before/after schema of `real-pairs/` and `history-pairs/` (the
/// cases the diff engine is proven on) parses to what introspection reads.
/// OpenStreetMap's need `btree_gist` and run where the server has it
/// (`scripts/test` runs this file on Debian's PostgreSQL 15 too).
#[test]
fn corpus_pair_schemas_parse_to_what_introspection_reads() {
    let Some(corpus) = corpus() else { return };
    let corpus = corpus.parent().unwrap().to_path_buf();
    let database = autogen_pgtemp::fresh_database().unwrap();
    let btree_gist = database.has_extension("btree_gist").unwrap();
    // The pinned server (pgvector) runs the others; Debian's PostgreSQL 15
    // runs OpenStreetMap's alone.
    let vector = database.has_extension("vector").unwrap();
    drop(database);
    let mut cases: Vec<PathBuf> = files(&corpus.join("real-pairs"), "");
    for project in files(&corpus.join("history-pairs"), "") {
        cases.extend(files(&project, ""));
    }
    let mut failures = Vec::new();
    let mut proven = 0;
    for case in cases.iter().filter(|case| case.is_dir()) {
        let name = case.strip_prefix(&corpus).unwrap().display().to_string();
        if if name.contains("osm") { !btree_gist } else { !vector } {
            continue;
        }
        for side in ["a.sql", "b.sql"] {
            let path = case.join(side);
            if std::fs::read_to_string(&path).is_ok_and(|text| text.trim().is_empty()) {
                continue;
            }
            failures.extend(prove(&format!("{name}/{side}"), &[path]));
            proven += 1;
        }
    }
    eprintln!("{proven} schemas proven");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
