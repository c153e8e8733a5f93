//! One migrations folder, many databases: `upgrade --each` and
//! `check --each` on real databases of the shared server — fifty of them,
//! one of which fails; a canary that fails and stops the rest; a re-run
//! after the fix; `[[targets]]` in autogen.toml; passwords never shown.

mod common;

use std::path::{Path, PathBuf};

use common::*;

const SECRET: &str = "S3cr3t-fleet";

const USERS: &str =
    "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);\n";
const POSTS: &str = "CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
author bigint NOT NULL REFERENCES users (id), title text NOT NULL);\n";

/// `url` with a password the server does not ask for (it trusts local
/// connections): what the outputs must never show.
fn with_password(url: &str) -> String {
    match url.strip_prefix("postgres://postgres@") {
        Some(rest) => format!("postgres://postgres:{SECRET}@{rest}"),
        None => url.to_owned(),
    }
}

/// A project of two migrations: `users`, then `posts`.
fn two_migrations(name: &str) -> PathBuf {
    let folder = initialised_project("fleets", name);
    declare(&folder, USERS);
    ok(&folder, &["revision", "-m", "users"]);
    declare(&folder, &format!("{USERS}{POSTS}"));
    ok(&folder, &["revision", "-m", "posts"]);
    folder
}

/// `version|success` of each `_sqlx_migrations` row, or nothing.
fn bookkeeping(database: &autogen_pgtemp::Database<'_>) -> String {
    database
        .execute(
            "SELECT coalesce(string_agg(version::text || '|' || success, ',' ORDER BY version), '') \
             FROM _sqlx_migrations WHERE to_regclass('_sqlx_migrations') IS NOT NULL",
        )
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Runs `autogen args…` in `folder`; exit code, stdout, stderr, after
/// asserting that neither output shows the password.
fn run_fleet(folder: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = run_in(folder, args);
    let (out, err) = (stdout(&output), stderr(&output));
    assert!(
        !out.contains(SECRET) && !err.contains(SECRET),
        "{args:?} showed a password:\n{out}{err}"
    );
    (output.status.code(), out, err)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("{error}: {text}"))
}

/// The JSON `databases` entry named `name`.
fn entry<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["databases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["name"] == name)
        .unwrap_or_else(|| panic!("no database {name} in {report:#}"))
}

#[test]
fn fifty_databases_one_failing_then_fixed_and_run_again() {
    let folder = two_migrations("fifty");
    let databases: Vec<_> = (0..50).map(|_| autogen_pgtemp::fresh_database().unwrap()).collect();
    // Ten are at the first migration already; one (tenant_23) has a table
    // `posts` made by hand, so the second migration fails there.
    for database in &databases[..10] {
        ok(&folder, &["upgrade", "+1", "--database-url", database.url()]);
    }
    databases[23].execute("CREATE TABLE posts (note text)").unwrap();
    let mut list = String::from("# the tenants: NAME URL, or a URL alone\n\n");
    for (index, database) in databases.iter().enumerate() {
        let url = with_password(database.url());
        if index == 49 {
            // No name: shown as its URL without the password.
            list.push_str(&format!("{url}\n"));
        } else {
            list.push_str(&format!("tenant_{index:02} {url}\n"));
        }
    }
    std::fs::write(folder.join("tenants.txt"), &list).unwrap();
    let unnamed = autogen_introspect::redact_url(&with_password(databases[49].url()));

    // Before: ten behind by one, the others by two; the hand-made table is
    // drift.
    let (code, out, _) =
        run_fleet(&folder, &["check", "--each", "tenants.txt", "-j", "6", "--format", "json"]);
    assert_eq!(code, Some(1), "{out}");
    let report = json(&out);
    assert_eq!((report["behind"].as_u64(), report["drifted"].as_u64()), (Some(49), Some(1)));
    assert_eq!(entry(&report, "tenant_03")["not_applied"].as_array().unwrap().len(), 1);
    assert_eq!(entry(&report, "tenant_30")["not_applied"].as_array().unwrap().len(), 2);
    assert_eq!(entry(&report, "tenant_23")["status"], "drifted");
    assert!(entry(&report, "tenant_23")["drift"].to_string().contains("posts"), "{report:#}");

    let (code, out, err) =
        run_fleet(&folder, &["upgrade", "--each", "tenants.txt", "-j", "6", "--format", "json"]);
    assert_eq!(code, Some(1), "{out}{err}");
    let report = json(&out);
    assert_eq!(report["upgraded"], 49, "{report:#}");
    assert_eq!((report["failed"].as_u64(), report["not_run"].as_u64()), (Some(1), Some(0)));
    assert_eq!(report["databases"].as_array().unwrap().len(), 50);
    assert_eq!(report["databases"][0]["name"], "tenant_00");
    assert_eq!(report["databases"][0]["canary"], true);
    let failed = entry(&report, "tenant_23");
    assert_eq!(failed["outcome"], "failed");
    let first: i64 = up_files(&folder)[0].split('_').next().unwrap().parse().unwrap();
    assert_eq!((failed["before"].as_i64(), failed["after"].as_i64()), (Some(0), Some(first)));
    let error = failed["error"].as_str().unwrap();
    assert!(error.contains("posts") && error.contains("already exists"), "{error}");
    assert_eq!(entry(&report, "tenant_05")["applied"].as_array().unwrap().len(), 1);
    assert_eq!(entry(&report, "tenant_40")["applied"].as_array().unwrap().len(), 2);
    assert_eq!(entry(&report, &unnamed)["outcome"], "upgraded");
    assert!(err.contains("tenant_23 failed"), "{err}");
    // Each database's own bookkeeping: the failed one kept its first
    // migration and nothing of the second.
    assert_eq!(bookkeeping(&databases[23]).matches('|').count(), 1);
    for index in [0, 9, 10, 49] {
        assert_eq!(bookkeeping(&databases[index]).matches("|t").count(), 2, "tenant_{index}");
    }

    // Fixed, run again: only tenant_23 has anything to apply.
    databases[23].execute("DROP TABLE posts").unwrap();
    let (code, out, err) = run_fleet(&folder, &["upgrade", "--each", "tenants.txt", "-j", "6"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("50 database(s): 1 upgraded, 49 up to date, 0 failed, 0 not run"),
        "{out}"
    );
    let row = out.lines().find(|line| line.starts_with("tenant_23 ")).unwrap();
    assert!(row.contains("applied 1"), "{out}");
    assert!(err.starts_with("[tenant_23] applied "), "{err}");
    assert!(out.contains("tenant_00 (canary)"), "{out}");
    assert!(out.contains(&unnamed), "{out}");

    let (code, out, _) = run_fleet(&folder, &["check", "--each", "tenants.txt", "-j", "6"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("50 database(s): 50 current, 0 behind, 0 drifted, 0 failed"), "{out}");
}

#[test]
fn a_failing_canary_leaves_the_others_untouched() {
    let folder = two_migrations("canary");
    let databases: Vec<_> = (0..4).map(|_| autogen_pgtemp::fresh_database().unwrap()).collect();
    databases[0].execute("CREATE TABLE users (id int)").unwrap();
    let list: String =
        databases.iter().map(|database| format!("{}\n", with_password(database.url()))).collect();
    std::fs::write(folder.join("tenants.txt"), list).unwrap();
    let (code, out, err) = run_fleet(&folder, &["upgrade", "--each", "tenants.txt"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("4 database(s): 0 upgraded, 0 up to date, 1 failed, 3 not run"), "{out}");
    assert_eq!(out.matches("not run: the canary failed").count(), 3, "{out}");
    assert!(err.contains("no other database was touched"), "{err}");
    for database in &databases[1..] {
        assert_eq!(bookkeeping(database), "", "a database after the canary was touched");
    }
}

#[test]
fn targets_in_autogen_toml_and_databases_that_cannot_be_read() {
    let folder = two_migrations("targets");
    let (a, b) =
        (autogen_pgtemp::fresh_database().unwrap(), autogen_pgtemp::fresh_database().unwrap());
    let settings = std::fs::read_to_string(folder.join("autogen.toml")).unwrap();
    let settings = format!(
        "{settings}\n[[targets]]\nname = \"eu\"\nurl = \"env:EU_DATABASE_URL\"\n\n[[targets]]\nname = \"us\"\nurl = \"{}\"\n",
        with_password(b.url())
    );
    std::fs::write(folder.join("autogen.toml"), settings).unwrap();
    std::fs::write(folder.join(".env"), format!("EU_DATABASE_URL={}\n", with_password(a.url())))
        .unwrap();
    // The other commands read the file as before.
    assert!(ok(&folder, &["check"]).starts_with("ok:"));
    let (code, out, err) = run_fleet(&folder, &["upgrade", "+1", "--each", "autogen.toml"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("eu (canary)") && out.contains("\nus "), "{out}");
    for database in [&a, &b] {
        assert_eq!(bookkeeping(database).matches("|t").count(), 1, "{}", bookkeeping(database));
    }

    // A database that is not there: failed, with the server's reason and
    // no password.
    let missing = with_password(&a.url().replace(a.name(), "autogen_no_such_database"));
    std::fs::write(
        folder.join("tenants.txt"),
        format!("a {}\nmissing {missing}\n", with_password(a.url())),
    )
    .unwrap();
    let (code, out, _) =
        run_fleet(&folder, &["check", "--each", "tenants.txt", "--format", "json"]);
    assert_eq!(code, Some(1), "{out}");
    let report = json(&out);
    assert_eq!(entry(&report, "a")["status"], "behind");
    assert_eq!(entry(&report, "missing")["status"], "failed");
    assert!(entry(&report, "missing")["error"].as_str().unwrap().contains("does not exist"));
}

#[test]
fn fleet_mistakes_stop_before_any_database() {
    let folder = two_migrations("mistakes");
    let a = autogen_pgtemp::fresh_database().unwrap();
    std::fs::write(folder.join("tenants.txt"), format!("{}\n  {SECRET} here\n", a.url())).unwrap();
    let (code, _, err) = run_fleet(&folder, &["upgrade", "--each", "tenants.txt"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("tenants.txt:2:3: expected a database URL"), "{err}");
    assert_eq!(bookkeeping(&a), "");
    let (code, _, err) = run_fleet(&folder, &["upgrade", "--each", "nowhere.txt"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("nowhere.txt: cannot read the file"), "{err}");
    std::fs::write(folder.join("tenants.txt"), format!("{}\n", a.url())).unwrap();
    let (code, _, err) =
        run_fleet(&folder, &["upgrade", "--each", "tenants.txt", "--database-url", a.url()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("give it or --database-url, not both"), "{err}");
    let (code, _, err) = run_fleet(&folder, &["upgrade", "--each", "tenants.txt", "--sql"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot be used with"), "{err}");
    let (code, _, err) = run_fleet(&folder, &["upgrade", "7", "--each", "tenants.txt"]);
    assert_eq!(code, Some(2));
    assert!(err.contains('7'), "{err}");
    assert_eq!(bookkeeping(&a), "");
}
