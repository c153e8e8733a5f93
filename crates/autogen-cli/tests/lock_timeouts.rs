//! Migrations run with a lock timeout: `revision` writes `SET LOCAL
//! lock_timeout` (and `statement_timeout` when set) at the top of each
//! file, from the settings or the flags; `upgrade` tries again a migration
//! that failed waiting for a lock another session holds, saying so, and
//! succeeds once the lock is gone — or gives up after its retries, the
//! database left where it was. A concurrent index build (a `--
//! no-transaction` migration of one statement) has its timeouts in its
//! header, set by the runner around it, and is tried again the same way.

mod common;

use std::time::{Duration, Instant};

use common::*;

/// A project with `users` applied on `database`, and a second migration
/// (a column added, which waits for every lock on `users`) written with a
/// lock timeout of 200ms.
fn project_with_a_pending_column(
    name: &str,
    database: &autogen_pgtemp::Database<'_>,
) -> std::path::PathBuf {
    let folder = initialised_project("locks", name);
    declare(&folder, "CREATE TABLE users (id integer PRIMARY KEY);");
    ok(&folder, &["revision", "-m", "users"]);
    ok(&folder, &["upgrade", "--database-url", database.url()]);
    declare(&folder, "CREATE TABLE users (id integer PRIMARY KEY, email text);");
    ok(&folder, &["revision", "-m", "email", "--lock-timeout", "200ms"]);
    folder
}

/// Runs `work` while another session holds a lock on `users` for
/// `holding`: ACCESS SHARE, which a column added waits for.
fn while_locked<T>(
    database: &autogen_pgtemp::Database<'_>,
    holding: Duration,
    work: impl FnOnce() -> T,
) -> T {
    while_locked_in(database, ("ACCESS SHARE", "AccessShareLock"), holding, work)
}

/// Runs `work` while another session holds a lock on `users` in `mode`
/// (as `LOCK TABLE` and `pg_locks` name it) for `holding`.
fn while_locked_in<T>(
    database: &autogen_pgtemp::Database<'_>,
    (mode, lock): (&str, &str),
    holding: Duration,
    work: impl FnOnce() -> T,
) -> T {
    std::thread::scope(|scope| {
        let holder = scope.spawn(|| {
            database.execute(&format!(
                "BEGIN; LOCK TABLE users IN {mode} MODE; SELECT pg_sleep({}); COMMIT;",
                holding.as_secs_f64()
            ))
        });
        let waiting = Instant::now();
        let held = format!(
            "SELECT count(*) FROM pg_locks WHERE relation = 'users'::regclass \
             AND mode = '{lock}' AND granted AND pid <> pg_backend_pid()"
        );
        let held = held.as_str();
        while database.execute(held).unwrap().trim() != "1" {
            assert!(waiting.elapsed() < Duration::from_secs(20), "the lock was never taken");
            std::thread::sleep(Duration::from_millis(20));
        }
        let result = work();
        holder.join().unwrap().unwrap();
        result
    })
}

fn has_email(database: &autogen_pgtemp::Database<'_>) -> String {
    database
        .execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email'")
        .unwrap()
        .trim()
        .to_owned()
}

#[test]
fn revision_writes_the_timeouts_of_the_settings_or_the_flags() {
    let folder = initialised_project("locks", "written");
    let settings = folder.join("autogen.toml");
    let text = std::fs::read_to_string(&settings).unwrap();
    let text = text
        .replace("lock_timeout = \"10s\"", "lock_timeout = \"3s\"")
        .replace("# statement_timeout = \"15min\"", "statement_timeout = \"1min\"");
    std::fs::write(&settings, &text).unwrap();
    declare(&folder, "CREATE TABLE users (id integer PRIMARY KEY);");
    ok(&folder, &["revision", "-m", "users"]);
    declare(&folder, "CREATE TABLE users (id integer PRIMARY KEY, email text);");
    ok(&folder, &["revision", "-m", "email", "--lock-timeout", "250ms"]);
    let mut files: Vec<(String, String)> = std::fs::read_dir(folder.join("migrations"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    let timeouts = |lock: &str| {
        format!("\nSET LOCAL lock_timeout = '{lock}';\nSET LOCAL statement_timeout = '1min';\n\n")
    };
    for (name, text) in &files {
        let lock = if name.contains("_users.") { "3s" } else { "250ms" };
        assert!(text.contains(&timeouts(lock)), "{name}:\n{text}");
        // Right after the header (the down file's first line).
        let first_statement = text.lines().find(|line| !line.starts_with("--") && !line.is_empty());
        assert_eq!(first_statement, Some(format!("SET LOCAL lock_timeout = '{lock}';").as_str()));
    }
    // Replayed in memory, they change nothing of the schema.
    ok(&folder, &["check"]);

    // A value PostgreSQL would not take is refused where it is written.
    std::fs::write(&settings, text.replace("\"1min\"", "\"a minute\"")).unwrap();
    declare(&folder, "CREATE TABLE users (id integer PRIMARY KEY, email text, name text);");
    let refused = run_in(&folder, &["revision", "-m", "name"]);
    assert_eq!(refused.status.code(), Some(2));
    let line = text.lines().position(|line| line.starts_with("statement_timeout")).unwrap() + 1;
    assert!(
        stderr(&refused).contains(&format!("autogen.toml:{line}:21: `a minute` is not a duration")),
        "{}",
        stderr(&refused)
    );
    let flag = run_in(&folder, &["revision", "-m", "name", "--lock-timeout", "1 sec"]);
    assert_eq!(flag.status.code(), Some(2), "{}", stderr(&flag));
    assert_eq!(std::fs::read_dir(folder.join("migrations")).unwrap().count(), 4, "nothing written");
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn upgrade_tries_again_once_the_lock_is_gone() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let folder = project_with_a_pending_column("retried", &database);
    let upgrade = while_locked(&database, Duration::from_millis(2500), || {
        run_in(&folder, &["upgrade", "--database-url", database.url(), "--lock-retries", "5"])
    });
    assert!(upgrade.status.success(), "{}", stderr(&upgrade));
    let said = stderr(&upgrade);
    assert!(
        said.contains(
            "waited too long for a lock (ERROR 55P03: canceling statement due to lock timeout)"
        ),
        "{said}"
    );
    assert!(said.contains("trying again in 1s (1 of 5)"), "{said}");
    assert!(stdout(&upgrade).contains("applied "), "{}", stdout(&upgrade));
    assert_eq!(has_email(&database), "1");
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn upgrade_gives_up_after_its_retries_and_changes_nothing() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let folder = project_with_a_pending_column("given-up", &database);
    let upgrade = while_locked(&database, Duration::from_secs(4), || {
        run_in(&folder, &["upgrade", "--database-url", database.url(), "--lock-retries", "1"])
    });
    assert_eq!(upgrade.status.code(), Some(2), "{}", stderr(&upgrade));
    let said = stderr(&upgrade);
    assert_eq!(said.matches("trying again").count(), 1, "{said}");
    assert!(said.contains("55P03"), "{said}");
    assert!(said.contains("nothing of it was applied"), "{said}");
    assert_eq!(has_email(&database), "0");
    // With the lock gone, the same migration applies.
    ok(&folder, &["upgrade", "--database-url", database.url()]);
    assert_eq!(has_email(&database), "1");
    std::fs::remove_dir_all(&folder).unwrap();
}

/// The text of the migration file of `folder` whose name ends with `end`.
fn file_ending(folder: &std::path::Path, end: &str) -> (std::path::PathBuf, String) {
    let path = std::fs::read_dir(folder.join("migrations"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.to_string_lossy().ends_with(end))
        .unwrap_or_else(|| panic!("no migration ends with {end}"));
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

fn valid_index(database: &autogen_pgtemp::Database<'_>) -> String {
    database
        .execute(
            "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('users_email') AND indisvalid",
        )
        .unwrap()
        .trim()
        .to_owned()
}

#[test]
fn a_concurrent_build_waits_no_longer_than_its_lock_timeout_and_is_tried_again() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let folder = initialised_project("locks", "concurrent");
    declare(&folder, "CREATE TABLE users (id integer PRIMARY KEY, email text);");
    ok(&folder, &["revision", "-m", "users"]);
    ok(&folder, &["upgrade", "--database-url", database.url()]);
    declare(
        &folder,
        "CREATE TABLE users (id integer PRIMARY KEY, email text);
         CREATE INDEX users_email ON users (email);",
    );
    ok(
        &folder,
        &[
            "revision",
            "-m",
            "email",
            "--online",
            "--lock-timeout",
            "200ms",
            "--statement-timeout",
            "1h",
        ],
    );
    // Its timeouts are header lines: a SET before the statement would make
    // the file one transaction, where PostgreSQL refuses CONCURRENTLY.
    let settings =
        "\n-- autogen: set lock_timeout = '200ms'\n-- autogen: set statement_timeout = '1h'\n\n";
    for end in ["_concurrently.up.sql", "_concurrently.down.sql"] {
        let (_, text) = file_ending(&folder, end);
        assert!(text.starts_with("-- no-transaction\n"), "{text}");
        assert!(text.contains(settings), "{text}");
        assert!(!text.contains("SET LOCAL"), "{text}");
    }

    // The script --sql prints sets them around the statement, as the runner does.
    let script = ok(&folder, &["upgrade", "--sql", "--database-url", database.url()]);
    let build = script.find("CREATE INDEX CONCURRENTLY users_email").expect(&script);
    let set = script.find("SET lock_timeout = '200ms';\nSET statement_timeout = '1h';\n");
    let reset = script.find("RESET lock_timeout;\nRESET statement_timeout;\n");
    assert!(set.is_some_and(|set| set < build), "{script}");
    assert!(reset.is_some_and(|reset| reset > build), "{script}");

    // A session holding SHARE on the table (which a concurrent build waits
    // for) for 2.5s: the build gives up after 200ms, and is tried again.
    let upgrade =
        while_locked_in(&database, ("SHARE", "ShareLock"), Duration::from_millis(2500), || {
            run_in(&folder, &["upgrade", "--database-url", database.url(), "--lock-retries", "5"])
        });
    assert!(upgrade.status.success(), "{}", stderr(&upgrade));
    let said = stderr(&upgrade);
    assert!(said.contains("_concurrently.up.sql: migration"), "{said}");
    assert!(said.contains("(ERROR 55P03: canceling statement due to lock timeout)"), "{said}");
    assert!(said.contains("trying again in 1s (1 of 5)"), "{said}");
    assert_eq!(valid_index(&database), "1");
    // The session's own settings came back after it: the bookkeeping says
    // it applied, and the next command on the database runs as usual.
    ok(&folder, &["check", "--database-url", database.url()]);
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn a_wrong_setting_in_a_header_stops_before_anything_runs() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let folder = initialised_project("locks", "wrong-setting");
    declare(&folder, "CREATE TABLE users (id integer PRIMARY KEY, email text);");
    ok(&folder, &["revision", "-m", "users"]);
    declare(
        &folder,
        "CREATE TABLE users (id integer PRIMARY KEY, email text);
         CREATE INDEX users_email ON users (email);",
    );
    ok(&folder, &["revision", "-m", "email", "--online"]);
    let (path, text) = file_ending(&folder, "_concurrently.up.sql");
    let wrong = text.replace("set lock_timeout = '10s'", "set lock_timeout = 'soon'");
    assert_ne!(wrong, text);
    std::fs::write(&path, &wrong).unwrap();
    let line = wrong.lines().position(|line| line.contains("'soon'")).unwrap() + 1;
    let name = path.file_name().unwrap().to_string_lossy();
    let place = format!("migrations/{name}:{line}:32: `soon` is not a duration");
    for arguments in [vec!["upgrade", "--database-url", database.url()], vec!["check"]] {
        let refused = run_in(&folder, &arguments);
        assert_eq!(refused.status.code(), Some(2), "{arguments:?}: {}", stderr(&refused));
        assert!(stderr(&refused).contains(&place), "{arguments:?}: {}", stderr(&refused));
    }
    let tables = database
        .execute("SELECT count(*) FROM pg_class WHERE relname IN ('users', '_sqlx_migrations')")
        .unwrap();
    assert_eq!(tables.trim(), "0", "nothing ran");
    std::fs::remove_dir_all(&folder).unwrap();
}
