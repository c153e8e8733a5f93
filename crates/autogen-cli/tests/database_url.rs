//! `DATABASE_URL` is the database when `autogen.toml` names none, as with
//! sqlx-cli: the environment first, then `.env` beside the settings file.
//! `--database-url` and a `database_url` setting come before it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;

/// A project with no `database_url` setting: one declared table and the
/// migration that creates it.
fn project(name: &str, settings: &str) -> PathBuf {
    let folder =
        std::env::temp_dir().join(format!("autogen-database-url-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(folder.join("schema")).unwrap();
    std::fs::write(folder.join("autogen.toml"), format!("schema = [\"schema/\"]\n{settings}"))
        .unwrap();
    std::fs::write(folder.join("schema/app.sql"), "CREATE TABLE notes (id integer PRIMARY KEY);\n")
        .unwrap();
    let revision = run_in(&folder, &[], &["revision", "-m", "notes"]);
    assert!(revision.status.success(), "{}", stderr(&revision));
    folder
}

fn run_in(folder: &Path, environment: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = autogen();
    command.current_dir(folder).args(args);
    for (name, value) in environment {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn ok(output: &Output, what: &str) -> String {
    assert!(output.status.success(), "{what}: {}{}", stdout(output), stderr(output));
    stdout(output)
}

/// With no database_url setting, DATABASE_URL; the flag and a setting
/// come first; commands that need no database never read it.
#[test]
fn database_url_from_the_environment_is_the_default() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let folder = project("environment", "");
    let environment = [("DATABASE_URL", database.url())];
    let current = ok(&run_in(&folder, &environment, &["current"]), "current");
    assert!(current.starts_with("base: no migration applied"), "{current}");
    ok(&run_in(&folder, &environment, &["upgrade"]), "upgrade");
    let current = ok(&run_in(&folder, &environment, &["current"]), "current");
    assert!(current.contains("notes (head)"), "{current}");
    assert_eq!(database.execute("SELECT count(*) FROM notes").unwrap().trim(), "0");
    // diff --database reads it too: the database is at the declared schema.
    let diff = ok(&run_in(&folder, &environment, &["diff", "--database"]), "diff --database");
    assert_eq!(diff, "", "nothing to do");
    ok(&run_in(&folder, &environment, &["check", "--database"]), "check --database");
    // The flag and a database_url setting come before DATABASE_URL.
    let other = autogen_pgtemp::fresh_database().unwrap();
    let environment = [("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")];
    let flag = ["current", "--database-url", other.url()];
    let current = ok(&run_in(&folder, &environment, &flag), "the flag");
    assert!(current.starts_with("base"), "{current}");
    let setting = project("setting", "database_url = \"env:APP_DB\"\n");
    let environment = [environment[0], ("APP_DB", other.url())];
    let current = ok(&run_in(&setting, &environment, &["current"]), "the setting");
    assert!(current.starts_with("base"), "{current}");
    std::fs::remove_dir_all(&setting).unwrap();
    // The commands that need no database do not read DATABASE_URL.
    let unreachable = [("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")];
    for args in [&["check"][..], &["history"], &["diff"], &["heads"]] {
        ok(&run_in(&folder, &unreachable, args), &format!("{args:?} with no database"));
    }
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn database_url_from_dotenv_is_the_default() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let folder = project("dotenv", "");
    std::fs::write(folder.join(".env"), format!("OTHER=1\nDATABASE_URL={}\n", database.url()))
        .unwrap();
    ok(&run_in(&folder, &[], &["upgrade"]), "upgrade");
    let current = ok(&run_in(&folder, &[], &["current"]), "current");
    assert!(current.contains("notes (head)"), "{current}");
    // From a folder below, the settings file's .env is the one read.
    std::fs::create_dir_all(folder.join("schema/deeper")).unwrap();
    let current = ok(&run_in(&folder.join("schema/deeper"), &[], &["current"]), "current below");
    assert!(current.contains("notes (head)"), "{current}");
    // The environment comes before .env: a wrong one there is used.
    let unreachable = "postgres://nobody@127.0.0.1:1/none";
    let refused = run_in(&folder, &[("DATABASE_URL", unreachable)], &["current"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("127.0.0.1:1/none"), "{}", stderr(&refused));
    // An empty variable counts as not set.
    let current = ok(&run_in(&folder, &[("DATABASE_URL", "")], &["current"]), "empty variable");
    assert!(current.contains("notes (head)"), "{current}");
    std::fs::remove_dir_all(&folder).unwrap();
}
