//! Running migrations with the built binary on real databases: upgrade,
//! current, downgrade, `--sql` (touching nothing), stamp, history and
//! heads; the same folder run by sqlx's own `Migrator`; two upgrades at
//! once; a migration failing midway; a changed applied file.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A fresh folder for one test's project, with `autogen.toml` pointing at
/// `url`.
fn project(name: &str, url: &str) -> PathBuf {
    let folder = initialised_project("running", name);
    std::fs::write(folder.join(".env"), format!("DATABASE_URL={url}\n")).unwrap();
    folder
}

/// The versions of the migrations folder, in order.
fn versions(folder: &Path) -> Vec<String> {
    let mut versions: Vec<String> = std::fs::read_dir(folder.join("migrations"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".up.sql"))
        .map(|name| name.split('_').next().unwrap().to_owned())
        .collect();
    versions.sort();
    versions
}

/// `version|description|success` of each row of `_sqlx_migrations`, or
/// nothing when the table is not there.
fn bookkeeping(database: &autogen_pgtemp::Database<'_>) -> String {
    database
        .execute(
            "SELECT coalesce(string_agg(version || '|' || description || '|' || success, ',' ORDER BY version), '') \
             FROM _sqlx_migrations WHERE to_regclass('_sqlx_migrations') IS NOT NULL",
        )
        .unwrap_or_default()
        .trim()
        .to_owned()
}

fn tables(database: &autogen_pgtemp::Database<'_>) -> String {
    database
        .execute(
            "SELECT coalesce(string_agg(relname, ',' ORDER BY relname), '') FROM pg_class \
             WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'",
        )
        .unwrap()
        .trim()
        .to_owned()
}

const FIRST: &str = "CREATE TYPE status AS ENUM ('draft', 'published');\n\
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);\n";
const SECOND: &str = "CREATE TYPE status AS ENUM ('draft', 'published');\n\
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);\n\
CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
author bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE, \
status status NOT NULL DEFAULT 'draft', title text NOT NULL);\n";

#[test]
fn upgrade_current_downgrade_sql_and_stamp() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let folder = project("cycle", database.url());
    declare(&folder, FIRST);
    ok(&folder, &["revision", "-m", "users"]);
    declare(&folder, SECOND);
    ok(&folder, &["revision", "-m", "posts"]);
    let [first, second] = <[String; 2]>::try_from(versions(&folder)).unwrap();
    assert_eq!(ok(&folder, &["check"]).lines().next().unwrap().get(..3), Some("ok:"));
    // An edit without a revision: check fails with the diff.
    declare(&folder, &format!("{SECOND}CREATE TABLE tags (name text PRIMARY KEY);\n"));
    let drift = run_in(&folder, &["check"]);
    assert_eq!(drift.status.code(), Some(1));
    assert!(stdout(&drift).contains("+CREATE TABLE public.tags ("), "{}", stdout(&drift));
    declare(&folder, SECOND);

    // A fresh database: nothing applied, two pending.
    assert_eq!(
        ok(&folder, &["current"]),
        format!("base: no migration applied\n2 migration(s) not applied: {first}, {second} (`autogen upgrade head`)\n")
    );
    let upgraded = ok(&folder, &["upgrade", "head"]);
    assert!(upgraded.contains(&format!("applied {first} users (")), "{upgraded}");
    assert!(upgraded.ends_with(&format!("now at {second} posts (head)\n")), "{upgraded}");
    assert_eq!(tables(&database), "_sqlx_migrations,posts,users");
    assert_eq!(bookkeeping(&database), format!("{first}|users|true,{second}|posts|true"));
    assert_eq!(ok(&folder, &["current"]), format!("{second} posts (head)\n"));
    // The database is what the declared schema says.
    let compared = run_in(&folder, &["diff", "--database", "--exit-code"]);
    assert_eq!(compared.status.code(), Some(0), "{}", stdout(&compared));
    assert!(ok(&folder, &["upgrade"]).starts_with(&format!("already at {second} posts (head)")));
    let checked = ok(&folder, &["check", "--database"]);
    assert!(checked.contains("ok: the database is at the migrations head"), "{checked}");
    // A change made by hand: drift.
    database.execute("CREATE TABLE extra (id integer)").unwrap();
    let drifted = run_in(&folder, &["check", "--database"]);
    assert_eq!(drifted.status.code(), Some(1));
    assert!(stdout(&drifted).contains("the database drifted: 1 change(s) made outside the migrations (from what its applied migrations give to what it has)\n  create table public.extra\n"), "{}", stdout(&drifted));
    database.execute("DROP TABLE extra").unwrap();

    let down = ok(&folder, &["downgrade", "-1"]);
    assert!(down.ends_with(&format!("now at {first} users\n")), "{down}");
    assert_eq!(tables(&database), "_sqlx_migrations,users");
    assert_eq!(
        ok(&folder, &["current"]),
        format!("{first} users\n1 migration(s) not applied: {second} (`autogen upgrade head`)\n")
    );
    let behind = run_in(&folder, &["check", "--database", "--format", "json"]);
    assert_eq!(behind.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&behind)).unwrap();
    assert_eq!(json["database"]["not_applied"][0], format!("{second} posts"));
    assert_eq!(json["database"]["drift"], serde_json::json!([]));
    ok(&folder, &["downgrade", "base"]);
    assert_eq!(tables(&database), "_sqlx_migrations");
    assert_eq!(bookkeeping(&database), "");
    assert_eq!(
        database.execute("SELECT count(*) FROM pg_type WHERE typname = 'status'").unwrap().trim(),
        "0"
    );

    // --sql prints the script, bookkeeping included, and runs nothing.
    let script = ok(&folder, &["upgrade", "head", "--sql"]);
    assert!(script.contains("CREATE TABLE IF NOT EXISTS _sqlx_migrations ("), "{script}");
    assert!(script.contains("BEGIN;\n-- users\n"), "{script}");
    assert!(script.contains(&format!(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ({second}, 'posts', TRUE, decode('"
    )), "{script}");
    assert_eq!(tables(&database), "_sqlx_migrations");
    assert_eq!(bookkeeping(&database), "");
    // The script, run by psql, does what upgrade does.
    let other = autogen_pgtemp::fresh_database().unwrap();
    other.load_sql(&script).unwrap();
    assert_eq!(tables(&other), "_sqlx_migrations,posts,users");
    assert_eq!(bookkeeping(&other), format!("{first}|users|true,{second}|posts|true"));
    // Offline, from a version named on the command line.
    let offline = ok(&folder, &["upgrade", "--sql", "--from", &first]);
    assert!(
        offline.contains(&format!("-- {second} posts"))
            && !offline.contains(&format!("-- {first} users")),
        "{offline}"
    );
    let revert = ok(&folder, &["downgrade", "base", "--sql", "--from", "head"]);
    assert!(
        revert.find("DROP TABLE public.posts").unwrap()
            < revert.find("DROP TABLE public.users").unwrap(),
        "{revert}"
    );

    // Stamp: the bookkeeping moves, no migration runs.
    let stamped = ok(&folder, &["stamp", "head"]);
    assert!(
        stamped
            .starts_with(&format!("stamped {second} posts (head): 2 migration(s) marked applied")),
        "{stamped}"
    );
    assert_eq!(tables(&database), "_sqlx_migrations");
    assert_eq!(ok(&folder, &["current"]), format!("{second} posts (head)\n"));
    ok(&folder, &["stamp", &first]);
    assert_eq!(bookkeeping(&database), format!("{first}|users|true"));
    ok(&folder, &["stamp", "base"]);
    assert_eq!(bookkeeping(&database), "");

    // History: newest first, with parents; -v adds the header's operations.
    assert_eq!(
        ok(&folder, &["history"]),
        format!("{first} -> {second} (head), posts\nbase -> {first}, users\n")
    );
    let verbose = ok(&folder, &["history", "-v", "--database"]);
    assert!(
        verbose.contains(&format!(
            "{first} -> {second} (head, pending), posts\n    create table public.posts\n"
        )),
        "{verbose}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&folder, &["history", "--format", "json"])).unwrap();
    assert_eq!(json[0]["version"], second.parse::<i64>().unwrap());
    assert_eq!(json[0]["parent"], first.parse::<i64>().unwrap());
    assert_eq!(json[1]["parent"], serde_json::Value::Null);
    assert_eq!(json[1]["operations"][0], "create type public.status");
    assert_eq!(ok(&folder, &["heads"]), format!("{second} posts (head)\n"));
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn sqlx_migrator_and_autogen_upgrade_give_the_same_database() {
    let by_autogen = autogen_pgtemp::fresh_database().unwrap();
    let folder = project("sqlx", by_autogen.url());
    declare(&folder, FIRST);
    ok(&folder, &["revision", "-m", "users"]);
    declare(&folder, SECOND);
    ok(&folder, &["revision", "-m", "posts"]);
    ok(&folder, &["upgrade", "head"]);

    let by_sqlx = autogen_pgtemp::fresh_database().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        use sqlx::Connection as _;
        let mut connection = sqlx::PgConnection::connect(by_sqlx.url()).await.unwrap();
        let migrator = sqlx::migrate::Migrator::new(folder.join("migrations")).await.unwrap();
        migrator.run(&mut connection).await.unwrap();
    });
    assert_same_text(
        "pg_dump after autogen upgrade head",
        &normalize_dump(&by_autogen.dump_schema().unwrap()),
        "pg_dump after sqlx's Migrator::run",
        &normalize_dump(&by_sqlx.dump_schema().unwrap()),
    );
    let rows = "SELECT string_agg(version || ' ' || description || ' ' || encode(checksum, 'hex'), ',' ORDER BY version) FROM _sqlx_migrations";
    assert_eq!(by_autogen.execute(rows).unwrap(), by_sqlx.execute(rows).unwrap());
    // And each side reads the other's bookkeeping: nothing left to apply.
    std::fs::write(folder.join(".env"), format!("DATABASE_URL={}\n", by_sqlx.url())).unwrap();
    assert!(ok(&folder, &["upgrade"]).starts_with("already at "));
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn two_upgrades_at_once_apply_each_migration_once() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let folder = project("concurrent", database.url());
    // Slow migrations, so the two processes overlap.
    for (version, table) in [("20260101000000", "a"), ("20260101000001", "b")] {
        std::fs::write(
            folder.join(format!("migrations/{version}_{table}.up.sql")),
            format!("SELECT pg_sleep(0.5);\nCREATE TABLE {table} (id integer);\n"),
        )
        .unwrap();
    }
    let spawn = || {
        autogen()
            .current_dir(&folder)
            .args(["upgrade", "head"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (one, two) = (spawn(), spawn());
    let (one, two) = (one.wait_with_output().unwrap(), two.wait_with_output().unwrap());
    assert!(one.status.success(), "{}", stderr(&one));
    assert!(two.status.success(), "{}", stderr(&two));
    let applied =
        stdout(&one).matches("applied 2026").count() + stdout(&two).matches("applied 2026").count();
    assert_eq!(applied, 2, "{}\n{}", stdout(&one), stdout(&two));
    assert_eq!(bookkeeping(&database), "20260101000000|a|true,20260101000001|b|true");
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn a_migration_failing_midway_changes_nothing_and_names_the_statement() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let folder = project("failing", database.url());
    let write =
        |name: &str, sql: &str| std::fs::write(folder.join("migrations").join(name), sql).unwrap();
    write("20260101000000_accounts.up.sql", "CREATE TABLE accounts (id integer, balance integer);\nINSERT INTO accounts VALUES (1, -5);\n");
    write("20260101000000_accounts.down.sql", "DROP TABLE accounts;\n");
    write(
        "20260102000000_rules.up.sql",
        "CREATE TABLE audit (id integer);\n\nALTER TABLE accounts\n    ADD CONSTRAINT positive CHECK (balance >= 0);\nCREATE TABLE never (id integer);\n",
    );
    let failed = run_in(&folder, &["upgrade", "head"]);
    assert_eq!(failed.status.code(), Some(2));
    let error = stderr(&failed);
    assert!(
        error.contains("migrations/20260102000000_rules.up.sql:3:1: migration 20260102000000 failed at `ALTER TABLE accounts ADD CONSTRAINT positive CHECK (balance >= 0)`: ERROR 23514: check constraint \"positive\" of relation \"accounts\" is violated by some row; the database stays at 20260101000000 (nothing of it was applied)"),
        "{error}"
    );
    assert_eq!(error.lines().count(), 1, "{error}");
    assert_eq!(tables(&database), "_sqlx_migrations,accounts");
    assert_eq!(bookkeeping(&database), "20260101000000|accounts|true");

    // A syntax error: the server's position names the statement.
    write(
        "20260102000000_rules.up.sql",
        "CREATE TABLE audit (id integer);\nCREATE TABLE oops (id integr);\n",
    );
    let failed = run_in(&folder, &["upgrade"]);
    let error = stderr(&failed);
    assert!(error.contains("_rules.up.sql:2:1: migration 20260102000000 failed at `CREATE TABLE oops (id integr)`: ERROR 42704: type \"integr\" does not exist"), "{error}");
    assert_eq!(tables(&database), "_sqlx_migrations,accounts");

    // An applied file edited afterwards: refused, nothing run.
    write("20260102000000_rules.up.sql", "CREATE TABLE audit (id integer);\n");
    write(
        "20260101000000_accounts.up.sql",
        "CREATE TABLE accounts (id bigint, balance integer);\n",
    );
    let changed = run_in(&folder, &["upgrade"]);
    assert_eq!(changed.status.code(), Some(2));
    assert!(
        stderr(&changed).contains("20260101000000_accounts.up.sql: changed since it was applied"),
        "{}",
        stderr(&changed)
    );
    assert_eq!(tables(&database), "_sqlx_migrations,accounts");
    // No down file: downgrade refuses before reverting anything.
    let no_down = run_in(&folder, &["downgrade", "base"]);
    assert_eq!(no_down.status.code(), Some(2));
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn a_no_transaction_migration_runs_outside_a_transaction() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let folder = project("no-transaction", database.url());
    std::fs::write(
        folder.join("migrations/20260101000000_t.up.sql"),
        "CREATE TABLE t (id integer);\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("migrations/20260101000001_index.up.sql"),
        "-- no-transaction\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n",
    )
    .unwrap();
    ok(&folder, &["upgrade"]);
    assert_eq!(
        database
            .execute("SELECT count(*) FROM pg_indexes WHERE indexname = 't_id'")
            .unwrap()
            .trim(),
        "1"
    );
    let script = ok(&folder, &["upgrade", "--sql", "--from", "base"]);
    let index_part = &script[script.find("-- 20260101000001").unwrap()..];
    assert!(!index_part.contains("BEGIN;"), "{script}");
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn dev_db_and_verify_apply_the_migrations_on_a_cluster_of_their_own() {
    let folder = project("dev-db", "postgres://nobody@127.0.0.1:1/unused");
    declare(&folder, FIRST);
    ok(&folder, &["revision", "-m", "users"]);
    declare(&folder, SECOND);
    let replayed = ok(&folder, &["diff"]);
    assert!(replayed.starts_with("CREATE TABLE public.posts ("), "{replayed}");
    assert_eq!(ok(&folder, &["diff", "--dev-db"]), replayed);
    let verified = ok(&folder, &["revision", "-m", "posts", "--verify"]);
    assert!(
        verified.starts_with(
            "verified: up gives the declared schema, down the schema before it\nwrote "
        ),
        "{verified}"
    );
    assert_eq!(versions(&folder).len(), 2);

    // A migration the in-memory replay takes but PostgreSQL does not:
    // --dev-db says which statement fails.
    std::fs::write(
        folder.join("migrations/20990101000000_rows.up.sql"),
        "INSERT INTO users (email) VALUES ('a@example.com');\nINSERT INTO posts (author, title) VALUES (1, NULL::text);\n",
    )
    .unwrap();
    let refused = run_in(&folder, &["diff", "--dev-db"]);
    assert_eq!(refused.status.code(), Some(2));
    let error = stderr(&refused);
    assert!(error.contains("20990101000000_rows.up.sql:2:1: migration 20990101000000 failed at `INSERT INTO posts (author, title) VALUES (1, NULL::text)`: ERROR 23502"), "{error}");
    // Rows the next migration cannot take: --verify refuses and writes
    // nothing; without it, the migration would fail on upgrade.
    std::fs::write(
        folder.join("migrations/20990101000000_rows.up.sql"),
        "INSERT INTO users (email) VALUES ('a@example.com');\nINSERT INTO posts (author, title) VALUES (1, 'hello');\n",
    )
    .unwrap();
    declare(
        &folder,
        &SECOND.replace("title text NOT NULL", "title text NOT NULL CHECK (title <> 'hello')"),
    );
    let refused = run_in(&folder, &["revision", "-m", "no hello", "--verify"]);
    assert_eq!(refused.status.code(), Some(2));
    let error = stderr(&refused);
    assert!(error.contains("--verify: the up migration does not apply"), "{error}");
    assert!(error.contains("is violated by some row"), "{error}");
    assert!(error.contains("nothing was written"), "{error}");
    assert_eq!(versions(&folder).len(), 3);
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn running_without_a_database_says_how_to_give_one() {
    let folder = std::env::temp_dir().join(format!("autogen-running-{}-nodb", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    assert!(run_in(&folder, &["init"]).status.success());
    let output = run_in(&folder, &["upgrade"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("`autogen upgrade` needs a database: set database_url in autogen.toml"),
        "{}",
        stderr(&output)
    );
    let url = "postgres://alice:s3cret@127.0.0.1:1/app";
    let refused = run_in(&folder, &["current", "--database-url", url]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(!stderr(&refused).contains("s3cret"), "{}", stderr(&refused));
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn help_texts_of_the_running_commands_are_stable() {
    insta::with_settings!({
        snapshot_path => workspace().join("snapshots/cli"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        for (command, snapshot) in [
            ("upgrade", "autogen_upgrade_help"),
            ("downgrade", "autogen_downgrade_help"),
            ("current", "autogen_current_help"),
            ("history", "autogen_history_help"),
            ("stamp", "autogen_stamp_help"),
            ("heads", "autogen_heads_help"),
        ] {
            let output = run(&[command, "--help"]);
            assert!(output.status.success());
            insta::assert_snapshot!(snapshot, stdout(&output));
        }
    });
}

#[test]
fn enum_values_used_at_once_come_in_a_migration_of_their_own() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let folder = project("enum-split", database.url());
    declare(&folder, SECOND);
    ok(&folder, &["revision", "-m", "posts"]);
    // A new value, and at once a default that uses it.
    declare(
        &folder,
        &SECOND
            .replace("('draft', 'published')", "('draft', 'review', 'published')")
            .replace("DEFAULT 'draft'", "DEFAULT 'review'"),
    );
    let written = ok(&folder, &["revision", "-m", "Review step", "--verify"]);
    assert!(written.contains("enum values are added in a migration of their own"), "{written}");
    let versions = versions(&folder);
    assert_eq!(versions.len(), 3, "{versions:?}");
    let read = |version: &str, slug: &str| {
        std::fs::read_to_string(folder.join(format!("migrations/{version}_{slug}.up.sql"))).unwrap()
    };
    let values = read(&versions[1], "review_step_enum_values_first");
    assert!(
        values.contains("ALTER TYPE public.status ADD VALUE 'review' AFTER 'draft';"),
        "{values}"
    );
    assert!(!values.contains("COMMIT;"), "{values}");
    let default = read(&versions[2], "review_step");
    assert!(default.contains(&format!("-- parent: {}\n", versions[1])), "{default}");
    assert!(default.contains("SET DEFAULT 'review'::status;"), "{default}");
    assert!(!default.contains("COMMIT;") && !default.contains("ADD VALUE"), "{default}");
    assert_eq!(ok(&folder, &["check"]).get(..3), Some("ok:"));
    ok(&folder, &["upgrade"]);
    assert_eq!(run_in(&folder, &["diff", "--database", "--exit-code"]).status.code(), Some(0));
    ok(&folder, &["downgrade", "base"]);
    assert_eq!(tables(&database), "_sqlx_migrations");
    std::fs::remove_dir_all(&folder).unwrap();
}
