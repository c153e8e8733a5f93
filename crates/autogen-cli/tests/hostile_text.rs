//! Text from a schema never escapes its place in what autogen writes:
//! names, enum labels, comments, messages and file names holding line
//! breaks stay inside their comment or literal (headers, hazard notes,
//! `--sql` scripts), and string literals read the same on a server whose
//! `standard_conforming_strings` is off. Each test runs the generated SQL
//! on a real database and asserts that a table named `victim` survives.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A fresh project folder whose `.env` points at `url`.
fn project(name: &str, url: &str) -> PathBuf {
    let folder = initialised_project("hostile", name);
    std::fs::write(folder.join(".env"), format!("DATABASE_URL={url}\n")).unwrap();
    folder
}

fn victim_is_there(database: &autogen_pgtemp::Database<'_>) -> bool {
    database.execute("SELECT to_regclass('public.victim') IS NOT NULL").unwrap().trim() == "t"
}

/// The files of the migrations folder, by name.
fn migration_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder.join("migrations"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

/// No statement of `sql`, split as PostgreSQL's lexer splits it, is the
/// injected one: comments stay on their line and literals and quoted
/// identifiers hold their line breaks inside them. (A quoted identifier
/// keeps its line break as written, as pg_dump writes it; a literal is an
/// escape string with `\n`.)
fn assert_no_injected_line(name: &str, sql: &str) {
    let statements = autogen_sql::statements::split(sql)
        .unwrap_or_else(|error| panic!("{name}: does not split: {error:?}\n{sql}"));
    for statement in &statements {
        assert!(
            !statement.text.trim_start().starts_with("DROP TABLE victim"),
            "{name}:{}: an injected statement:\n{sql}",
            statement.location.line
        );
    }
    for (number, line) in sql.lines().enumerate() {
        assert!(
            !line.contains("'bad\nDROP") && !line.starts_with("DROP TABLE victim; --'"),
            "{name}:{}: a literal breaks its line:\n{sql}",
            number + 1
        );
    }
}

const INJECTED: &str = "\nDROP TABLE victim; --";

/// The declared schema: every place a name or text can go, each holding a
/// line break followed by a statement (and one with a carriage return).
fn hostile_schema(vector_dimensions: u32) -> String {
    let name = |prefix: &str| format!("\"{prefix}{INJECTED}\"");
    format!(
        "CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE victim (id int PRIMARY KEY);
CREATE TYPE {mood} AS ENUM ('ok', 'bad{INJECTED}');
CREATE TABLE {table} (
    {column} int,
    \"new
line\" text DEFAULT 'x',
    \"cr\rDROP TABLE victim; --\" int,
    m {mood},
    {embedding} vector({vector_dimensions})
);
CREATE INDEX {index} ON {table} (\"new
line\");
CREATE INDEX ON {table} USING hnsw ({embedding} vector_l2_ops);
COMMENT ON TABLE {table} IS 'table{INJECTED}';
COMMENT ON COLUMN {table}.\"new
line\" IS 'comment{INJECTED}';
COMMENT ON INDEX {index} IS 'index{INJECTED}';
COMMENT ON CONSTRAINT victim_pkey ON victim IS 'key{INJECTED}';
COMMENT ON TYPE {mood} IS 'type{INJECTED}';
",
        mood = name("mood"),
        table = name("t"),
        column = name("a"),
        embedding = name("e"),
        index = name("idx"),
    )
}

#[test]
fn names_labels_comments_and_messages_stay_in_their_place() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    if !has_pgvector(&database) {
        eprintln!("this server has no pgvector; the hostile-names test needs it");
        return;
    }
    let folder = project("names", database.url());
    declare(&folder, &hostile_schema(3));
    ok(&folder, &["revision", "-m", &format!("hostile{INJECTED}")]);
    // A second change: a vector dimension change (its hazard note names
    // the column) and a dropped column (a data-loss hazard).
    let second = hostile_schema(4).replace("    \"cr\rDROP TABLE victim; --\" int,\n", "");
    declare(&folder, &second);
    ok(&folder, &["revision", "-m", &format!("again\r{INJECTED}"), "--allow-data-loss"]);

    for file in migration_files(&folder) {
        let text = std::fs::read_to_string(&file).unwrap();
        assert_no_injected_line(&file.display().to_string(), &text);
        if file.to_string_lossy().ends_with(".up.sql") {
            // The header is comment lines up to the first blank line.
            let header: Vec<&str> = text.lines().take_while(|line| !line.is_empty()).collect();
            assert!(header.iter().all(|line| line.starts_with("-- ")), "{text}");
            assert!(header.iter().any(|line| line.contains("\\nDROP TABLE victim")), "{text}");
        }
    }
    let up2_path = migration_files(&folder)
        .into_iter()
        .filter(|file| file.to_string_lossy().ends_with(".up.sql"))
        .nth(1)
        .unwrap();
    let up2 = std::fs::read_to_string(&up2_path).unwrap();
    assert!(up2.contains("-- fails unless every \"e\\nDROP TABLE victim; --\" is NULL"), "{up2}");
    // Its reviewer acknowledges the data loss, as `check` asks.
    let unacknowledged = run_in(&folder, &["check"]);
    assert_eq!(unacknowledged.status.code(), Some(1), "{}", stdout(&unacknowledged));
    std::fs::write(&up2_path, format!("-- autogen: allow data-loss: reviewed\n{up2}")).unwrap();

    // The migrations run, and the victim survives them.
    ok(&folder, &["upgrade", "head"]);
    assert!(victim_is_there(&database));
    // The header reads back: the migrations replay, the database has what
    // was declared, nothing is pending, and a new revision finds nothing.
    assert!(ok(&folder, &["check"]).starts_with("ok:"));
    assert!(ok(&folder, &["check", "--database"]).starts_with("ok:"));
    assert_eq!(ok(&folder, &["diff"]), "");
    let again = run_in(&folder, &["revision", "-m", "nothing"]);
    assert!(stderr(&again).contains("nothing to do"), "{}", stderr(&again));
    // The summaries and the history stay one line per step.
    let summary = ok(&folder, &["diff", "--down", "--format", "summary"]);
    assert_no_injected_line("diff --format summary", &summary);
    let history = ok(&folder, &["history", "-v"]);
    assert_no_injected_line("history -v", &history);
    // And back down: the down scripts hold the same names safely.
    ok(&folder, &["downgrade", "-1"]);
    assert!(victim_is_there(&database));
    let _ = std::fs::remove_dir_all(&folder);
}

#[test]
fn a_message_cannot_make_a_migration_run_outside_its_transaction() {
    let folder = initialised_project("hostile", "no-transaction");
    declare(&folder, "CREATE TABLE t (id int);\n");
    ok(&folder, &["revision", "-m", "no-transaction"]);
    let up = migration_files(&folder)
        .into_iter()
        .find(|file| file.to_string_lossy().ends_with(".up.sql"))
        .unwrap();
    let text = std::fs::read_to_string(up).unwrap();
    // sqlx runs a file outside a transaction when it starts so.
    assert!(!text.starts_with("-- no-transaction"), "{text}");
    assert!(text.starts_with("-- message: no-transaction\n"), "{text}");
    let _ = std::fs::remove_dir_all(&folder);
}

#[test]
fn file_names_stay_in_their_comment_in_sql_scripts() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    database.execute("CREATE TABLE victim (id int)").unwrap();
    let folder = project("file-names", database.url());
    let stem = format!("20260101000000_x{INJECTED}");
    std::fs::write(folder.join(format!("migrations/{stem}.up.sql")), "CREATE TABLE z (id int);\n")
        .unwrap();
    std::fs::write(folder.join(format!("migrations/{stem}.down.sql")), "DROP TABLE z;\n").unwrap();

    let up = ok(&folder, &["upgrade", "head", "--sql", "--from", "base"]);
    assert_no_injected_line("upgrade --sql", &up);
    let down = ok(&folder, &["downgrade", "base", "--sql", "--from", "head"]);
    assert_no_injected_line("downgrade --sql", &down);
    // Run as psql runs them: the migration is applied, recorded, and
    // reverted; nothing else happens.
    database.load_sql(&up).unwrap();
    assert!(victim_is_there(&database));
    assert_eq!(database.execute("SELECT to_regclass('z') IS NOT NULL").unwrap().trim(), "t");
    let description = database.execute("SELECT description FROM _sqlx_migrations").unwrap();
    assert!(description.starts_with("x\nDROP TABLE victim; --"), "{description:?}");
    database.load_sql(&down).unwrap();
    assert!(victim_is_there(&database));
    assert_eq!(database.execute("SELECT to_regclass('z') IS NULL").unwrap().trim(), "t");
    let _ = std::fs::remove_dir_all(&folder);
}

/// Text full of backslashes, in every place a literal goes.
const BACKSLASHES: &str = r"CREATE TYPE mood AS ENUM ('ok', 'back\slash', 'ends\');
CREATE TABLE victim (id int PRIMARY KEY);
CREATE TABLE t (
    id int PRIMARY KEY,
    a text DEFAULT 'x\y' CHECK (a <> 'z\'),
    b text DEFAULT E'tab\there',
    m mood DEFAULT 'ends\'
);
CREATE INDEX t_a_idx ON t (a) WHERE a <> 'p\q';
COMMENT ON TABLE t IS 'ends in a backslash\';
COMMENT ON COLUMN t.a IS 'C:\path\';
COMMENT ON INDEX t_a_idx IS 'ends in a backslash\';
COMMENT ON CONSTRAINT t_pkey ON t IS 'C:\key\';
";

/// A fresh database whose sessions start with
/// `standard_conforming_strings = off`, as some legacy databases have it.
fn legacy_database() -> autogen_pgtemp::Database<'static> {
    let database = autogen_pgtemp::fresh_database().unwrap();
    database
        .execute(&format!(
            "ALTER DATABASE \"{}\" SET standard_conforming_strings = off",
            database.name()
        ))
        .unwrap();
    assert_eq!(database.execute("SHOW standard_conforming_strings").unwrap().trim(), "off");
    database
}

#[test]
fn literals_hold_with_standard_conforming_strings_off() {
    let database = legacy_database();
    let folder = project("strings", database.url());
    declare(&folder, BACKSLASHES);
    ok(&folder, &["revision", "-m", r"back\slash"]);
    ok(&folder, &["upgrade", "head"]);
    assert!(victim_is_there(&database));
    // What the database holds is what was declared, to the byte.
    let declared = ok(&folder, &["inspect"]);
    assert_same_text("declared", &declared, "database", &inspect(database.url(), "sql"));
    assert!(ok(&folder, &["check", "--database"]).starts_with("ok:"));
    assert_eq!(
        database
            .execute("SHOW standard_conforming_strings; SELECT obj_description('t'::regclass)")
            .unwrap(),
        "off\nends in a backslash\\\n"
    );
    // The down migration, and the script `--sql` prints, hold too.
    ok(&folder, &["downgrade", "base"]);
    assert_eq!(database.execute("SELECT to_regclass('t') IS NULL").unwrap().trim(), "t");
    let script = ok(&folder, &["upgrade", "head", "--sql"]);
    let other = legacy_database();
    other.load_sql(&script).unwrap();
    assert_same_text("declared", &declared, "scripted", &inspect(other.url(), "sql"));

    // The canonical SQL `inspect` prints loads the same way.
    let third = legacy_database();
    third.load_sql(&declared).unwrap();
    assert_same_text("declared", &declared, "loaded", &inspect(third.url(), "sql"));
    let _ = std::fs::remove_dir_all(&folder);
}
