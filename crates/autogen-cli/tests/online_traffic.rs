//! Online plans on a table with rows and a writer: the online plan's
//! steps never hold the writer back as long as the lock timeout, where the
//! default plan's index build holds it for as long as the build takes; and
//! a concurrent build killed midway is built again by the next `upgrade`.
//!
//! The index is on an expression that sleeps on one row in a thousand, so
//! that its build takes seconds whatever the machine: the waits compared
//! are of seconds, far from the milliseconds an insert takes.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::*;

const BASE: &str = "CREATE FUNCTION slow(n bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE
    AS $$ BEGIN IF n % 1000 = 0 THEN PERFORM pg_sleep(0.015); END IF; RETURN n; END $$;
CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account bigint,
    kind text, at timestamptz);";

const CHANGED: &str = "CREATE FUNCTION slow(n bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE
    AS $$ BEGIN IF n % 1000 = 0 THEN PERFORM pg_sleep(0.015); END IF; RETURN n; END $$;
CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account bigint NOT NULL REFERENCES accounts (id), kind text NOT NULL CHECK (kind <> ''),
    at timestamptz);
CREATE INDEX events_slow ON events (slow(id));
CREATE INDEX events_account ON events (account);";

/// A project whose migrations made `BASE` on `url`, with `rows` events,
/// and a revision to `CHANGED` written (`--online` or not).
fn project(
    name: &str,
    url: &str,
    database: &autogen_pgtemp::Database<'_>,
    online: bool,
) -> std::path::PathBuf {
    let folder = applied_project("online-traffic", name, BASE, url);
    database
        .execute(
            "INSERT INTO accounts SELECT generate_series(1, 100);
             INSERT INTO events (account, kind, at)
                 SELECT n % 100 + 1, 'seen', now() FROM generate_series(1, 200000) n;
             ANALYZE events",
        )
        .unwrap();
    declare(&folder, CHANGED);
    let mut arguments = vec!["revision", "-m", "change", "--lock-timeout", "2s"];
    if online {
        arguments.push("--online");
    }
    ok(&folder, &arguments);
    folder
}

/// Runs `during` while a writer inserts events one by one, each in its
/// own transaction; the longest an insert took, and how many there were.
fn with_a_writer(url: &str, during: impl FnOnce()) -> (Duration, u64) {
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                use sqlx::Connection as _;
                let mut connection = sqlx::PgConnection::connect(url).await.unwrap();
                let (mut longest, mut count) = (Duration::ZERO, 0);
                while !stop.load(Ordering::SeqCst) {
                    let started = Instant::now();
                    sqlx::query(
                        "INSERT INTO events (account, kind, at) VALUES (1, 'written', now())",
                    )
                    .execute(&mut connection)
                    .await
                    .unwrap();
                    longest = longest.max(started.elapsed());
                    count += 1;
                }
                (longest, count)
            })
        });
        // The writer is writing before the migration starts.
        std::thread::sleep(Duration::from_millis(300));
        during();
        stop.store(true, Ordering::SeqCst);
        writer.join().unwrap()
    })
}

#[test]
fn the_online_plan_never_holds_the_writer_back_as_the_default_plan_does() {
    let lock_timeout = Duration::from_secs(2);

    let database = autogen_pgtemp::fresh_database().unwrap();
    let url = database.url();
    let folder = project("default", url, &database, false);
    let (longest, count) = with_a_writer(url, || {
        ok(&folder, &["upgrade", "--database-url", url]);
    });
    eprintln!("default plan: longest insert {longest:?} of {count}");
    // The build held every insert back while it ran.
    assert!(longest >= lock_timeout, "default plan: longest insert {longest:?} of {count}");
    std::fs::remove_dir_all(&folder).unwrap();

    let database = autogen_pgtemp::fresh_database().unwrap();
    let url = database.url();
    let folder = project("online", url, &database, true);
    let (longest, count) = with_a_writer(url, || {
        let upgraded = ok(&folder, &["upgrade", "--database-url", url]);
        assert!(upgraded.matches("applied ").count() >= 4, "{upgraded}");
    });
    eprintln!("online plan: longest insert {longest:?} of {count}");
    assert!(longest < lock_timeout, "online plan: longest insert {longest:?} of {count}");
    assert!(count > 100, "the writer wrote all the while: {count} inserts");
    // What the writer wrote is there, and the schema is the declared one.
    assert!(ok(&folder, &["check", "--database-url", url]).starts_with("ok:"));
    let rows = database.execute("SELECT count(*) > 200000 FROM events").unwrap();
    assert_eq!(rows.trim(), "t");
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn a_concurrent_build_killed_midway_is_built_again_by_the_next_upgrade() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let url = database.url();
    let folder = applied_project("online-traffic", "killed", BASE, url);
    database
        .execute(
            "INSERT INTO events (account, kind, at)
                 SELECT n % 100 + 1, 'seen', now() FROM generate_series(1, 200000) n",
        )
        .unwrap();
    declare(&folder, &format!("{BASE}\nCREATE INDEX events_slow ON events (slow(id));"));
    ok(&folder, &["revision", "-m", "slow index", "--online"]);

    let mut upgrade =
        autogen().current_dir(&folder).args(["upgrade", "--database-url", url]).spawn().unwrap();
    // Killed once the build is under way.
    let started = Instant::now();
    loop {
        let killed = database
            .execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                 WHERE query LIKE '%CREATE INDEX CONCURRENTLY events_slow%' AND pid <> pg_backend_pid()
                   AND now() - query_start > interval '300 milliseconds'",
            )
            .unwrap();
        if killed.trim() == "1" {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the build never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!upgrade.wait().unwrap().success());
    let valid = "SELECT indisvalid FROM pg_index WHERE indexrelid = 'events_slow'::regclass";
    assert_eq!(database.execute(valid).unwrap().trim(), "f", "the build left an invalid index");
    // Read from the database, it is not the index declared.
    let summary = ok(&folder, &["diff", "--database-url", url, "--format", "summary"]);
    assert_eq!(
        summary,
        "drop invalid index public.events_slow\ncreate index public.events_slow [blocking-lock]\n2 steps\n"
    );
    let check = run_in(&folder, &["check", "--database-url", url]);
    assert!(!check.status.success(), "{}", stdout(&check));
    let said = format!("{}{}", stdout(&check), stderr(&check));
    assert!(said.contains("1 migration(s) not applied"), "{said}");
    assert!(said.contains("\n  create invalid index public.events_slow\n"), "{said}");

    let again = run_in(&folder, &["upgrade", "--database-url", url]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains(
            "index public.events_slow is invalid, left by a concurrent build of it that did not finish: dropping it to build it again"
        ),
        "{}",
        stderr(&again)
    );
    assert_eq!(database.execute(valid).unwrap().trim(), "t");
    assert!(ok(&folder, &["check", "--database-url", url]).starts_with("ok:"));
    std::fs::remove_dir_all(&folder).unwrap();
}
