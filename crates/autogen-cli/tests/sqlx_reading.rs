//! autogen reads the migrations folder itself (`migrations::list`); where a
//! database is at hand, sqlx's `Migrator::new` reads it too and the two
//! readings must agree, naming the file where they do not.

mod common;

use std::path::PathBuf;

use common::*;

/// A project on `url` with one migration, up and down.
fn project(name: &str, url: &str) -> PathBuf {
    let folder = initialised_project("sqlx-reading", name);
    std::fs::write(folder.join(".env"), format!("DATABASE_URL={url}\n")).unwrap();
    std::fs::write(
        folder.join("migrations/20260101000000_users.up.sql"),
        "CREATE TABLE users (id integer);\n",
    )
    .unwrap();
    std::fs::write(folder.join("migrations/20260101000000_users.down.sql"), "DROP TABLE users;\n")
        .unwrap();
    folder
}

#[test]
fn a_down_file_without_a_version_stops_the_commands_on_a_database() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let folder = project("unversioned-down", database.url());
    // autogen leaves down files out of its reading of names; sqlx's
    // migrator refuses a `.sql` name whose version is not an integer.
    std::fs::write(folder.join("migrations/undo_users.down.sql"), "DROP TABLE users;\n").unwrap();
    ok(&folder, &["history"]);
    for command in [
        &["upgrade"][..],
        &["current"],
        &["history", "--database"],
        &["stamp", "head"],
        &["check", "--database"],
    ] {
        let refused = run_in(&folder, command);
        assert_eq!(refused.status.code(), Some(2), "{command:?}");
        let message = stderr(&refused);
        assert!(message.contains("sqlx's migrator cannot read the migrations folder"), "{message}");
        assert!(message.contains("undo_users.down.sql"), "{message}");
    }
    let bookkeeping = database
        .execute("SELECT to_regclass('_sqlx_migrations') IS NULL AND to_regclass('users') IS NULL")
        .unwrap();
    assert_eq!(bookkeeping.trim(), "t", "nothing ran");
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn a_down_file_without_its_up_file_is_named() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let folder = project("orphan-down", database.url());
    // sqlx reads it as the down file of migration 20260102000000; autogen
    // finds no up file of that name.
    std::fs::write(folder.join("migrations/20260102000000_gone.down.sql"), "SELECT 1;\n").unwrap();
    let refused = run_in(&folder, &["upgrade"]);
    assert_eq!(refused.status.code(), Some(2));
    let message = stderr(&refused);
    assert!(
        message.contains("20260102000000_gone.down.sql: sqlx's migrator reads it as migration 20260102000000 and autogen does not"),
        "{message}"
    );
    std::fs::remove_file(folder.join("migrations/20260102000000_gone.down.sql")).unwrap();
    ok(&folder, &["upgrade"]);
    std::fs::remove_dir_all(&folder).unwrap();
}
