//! Migrations run with a lock timeout: `revision` writes `SET LOCAL
//! lock_timeout` (and `statement_timeout` when set) at the top of each
//! file, from the settings or the flags; `upgrade` tries again a migration
//! that failed waiting for a lock another session holds, saying so, and
//! succeeds once the lock is gone — or gives up after its retries, the
//! database left where it was.

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
/// `holding`.
fn while_locked<T>(
    database: &autogen_pgtemp::Database<'_>,
    holding: Duration,
    work: impl FnOnce() -> T,
) -> T {
    std::thread::scope(|scope| {
        let holder = scope.spawn(|| {
            database.execute(&format!(
                "BEGIN; LOCK TABLE users IN ACCESS SHARE MODE; SELECT pg_sleep({}); COMMIT;",
                holding.as_secs_f64()
            ))
        });
        let waiting = Instant::now();
        let held = "SELECT count(*) FROM pg_locks WHERE relation = 'users'::regclass \
                    AND mode = 'AccessShareLock' AND granted AND pid <> pg_backend_pid()";
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
