//! Never harm what autogen does not model: a plan against a live database
//! that would drop or change what a rule or a foreign table there depends
//! on — or change the partitioning of a table whose rows cannot be moved
//! (its row type is a column's) — stops every command with the reasons,
//! and writes nothing; the same SQL run by hand is what PostgreSQL would
//! refuse.

mod common;

use common::*;

const DATABASE: &str = "CREATE TYPE mood AS ENUM ('sad', 'happy', 'meh');
CREATE TABLE users (id integer PRIMARY KEY, name text, email text);
CREATE RULE keep_mail AS ON UPDATE TO users WHERE new.email IS NULL DO INSTEAD NOTHING;
CREATE FOREIGN DATA WRAPPER nowhere;
CREATE SERVER nowhere FOREIGN DATA WRAPPER nowhere;
CREATE FOREIGN TABLE events (at date NOT NULL, feeling mood) SERVER nowhere;
CREATE TABLE log (id int, at date);
CREATE TABLE log_copies (entry log);";

const DECLARED: &str = "CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE users (id integer PRIMARY KEY, name text);
CREATE TABLE log (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE log_copies (entry log);";

#[test]
fn a_plan_that_would_break_unmodelled_objects_stops_with_the_reasons() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    database.load_sql(DATABASE).unwrap();
    let declared = declared_file("guard", DECLARED);

    let output = run(&["diff", "--from", database.url(), "--to", &declared]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(stdout(&output), "", "nothing is printed to run");
    let errors: Vec<String> = stderr(&output)
        .lines()
        .filter(|line| line.starts_with("error: cannot "))
        .map(|line| line.split(':').take(2).collect::<Vec<_>>().join(":"))
        .collect();
    assert_eq!(
        errors,
        [
            "error: cannot drop column public.users.email",
            "error: cannot swap type public.mood for new values",
            "error: cannot make table public.log partitioned (PARTITION BY RANGE (at))",
        ],
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output)
            .contains("rule public.users.keep_mail depends on column public.users.email"),
        "{}",
        stderr(&output)
    );

    // What the plan would have run, PostgreSQL refuses: the net is not
    // stricter than the server for these.
    for statement in [
        "ALTER TABLE users DROP COLUMN email",
        "ALTER TYPE mood RENAME TO mood__autogen_old; CREATE TYPE mood AS ENUM ('sad', 'happy'); \
         DROP TYPE mood__autogen_old",
    ] {
        assert!(database.execute(&format!("BEGIN; {statement}; ROLLBACK")).is_err(), "{statement}");
    }

    // Left alone by `ignore`, the rest of the plan goes ahead.
    let output = run(&[
        "diff",
        "--from",
        database.url(),
        "--to",
        &declared,
        "--ignore",
        "public.users",
        "--ignore",
        "public.log",
        "--ignore",
        "public.mood",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
}

/// Offline, from the migrations replayed: a migration that created a
/// foreign table with a column of an enum type, and a declared schema with
/// the enum's values changed. `revision` writes nothing and `check` fails,
/// both with the reason.
#[test]
fn revision_and_check_stop_on_what_the_migrations_hold() {
    let folder = initialised_project("guard", "offline");
    declare(
        &folder,
        "CREATE TYPE mood AS ENUM ('sad', 'happy');\n\
         CREATE TABLE users (id integer PRIMARY KEY, feeling mood);",
    );
    ok(&folder, &["revision", "-m", "users"]);
    // A hand-written migration adds a table autogen does not model.
    let migrations = folder.join("migrations");
    let up = std::fs::read_dir(&migrations)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.to_string_lossy().ends_with(".up.sql"))
        .unwrap();
    let mut text = std::fs::read_to_string(&up).unwrap();
    text.push_str(
        "\nCREATE FOREIGN DATA WRAPPER nowhere;\n\
         CREATE SERVER nowhere FOREIGN DATA WRAPPER nowhere;\n\
         CREATE FOREIGN TABLE mails (at date, feeling mood) SERVER nowhere;\n",
    );
    std::fs::write(&up, text).unwrap();
    declare(
        &folder,
        "CREATE TYPE mood AS ENUM ('sad');\nCREATE TABLE users (id integer PRIMARY KEY, feeling mood);",
    );
    let before = std::fs::read_dir(&migrations).unwrap().count();

    let revision = run_in(&folder, &["revision", "-m", "one mood", "--allow-data-loss"]);
    assert_eq!(revision.status.code(), Some(2), "{}", stderr(&revision));
    assert!(
        stderr(&revision).contains(
            "error: cannot swap type public.mood for new values: foreign table public.mails \
             depends on type public.mood"
        ),
        "{}",
        stderr(&revision)
    );
    assert!(stderr(&revision).contains("nothing was written"), "{}", stderr(&revision));
    assert_eq!(std::fs::read_dir(&migrations).unwrap().count(), before, "no file written");

    let check = run_in(&folder, &["check"]);
    assert_ne!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(stderr(&check).contains("foreign table public.mails depends on"), "{}", stderr(&check));
}
