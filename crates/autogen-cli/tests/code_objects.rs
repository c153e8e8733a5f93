//! Views, functions, triggers and row-level security through the whole
//! workflow with the built binary (revision, upgrade, check, downgrade), and
//! the canonical forms of text PostgreSQL rewrites compared from every pair
//! of sources: two SQL files, a database and a SQL file (either way round),
//! two databases — the same text written two ways is nothing to do, a real
//! change is found.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A fresh folder for one test's project, with `.env` pointing at `url`.
fn project(name: &str, url: &str) -> PathBuf {
    let folder = initialised_project("code", name);
    std::fs::write(folder.join(".env"), format!("DATABASE_URL={url}\n")).unwrap();
    folder
}

const TABLES: &str = "\
CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner text NOT NULL, \
balance numeric(12,2) NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE entries (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
account bigint NOT NULL REFERENCES accounts (id), amount numeric(12,2) NOT NULL, \
updated_at timestamptz NOT NULL DEFAULT now());
";

const CODE: &str = "\
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER entries_touch BEFORE UPDATE ON entries FOR EACH ROW EXECUTE FUNCTION touch();
CREATE VIEW balances AS SELECT a.id, a.owner, a.balance FROM accounts a WHERE a.balance > 0;
ALTER TABLE entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY entries_positive ON entries FOR SELECT USING (amount > 0);
";

/// The same view, another spelling (case, spacing, quotes, a comment).
const VIEW_AGAIN: &str =
    "create view \"balances\" as select A.ID, a.\"owner\", a.balance -- kept\n\
from ACCOUNTS as a where (a.balance > 0);\n";

fn ok_check(folder: &Path, extra: &[&str]) {
    let mut args = vec!["check"];
    args.extend_from_slice(extra);
    let output = run_in(folder, &args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "check {extra:?}:\n{}{}",
        stdout(&output),
        stderr(&output)
    );
}

#[test]
fn revision_upgrade_check_and_downgrade_with_views_functions_triggers_and_policies() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let folder = project("workflow", database.url());
    declare(&folder, &format!("{TABLES}{CODE}"));
    ok(&folder, &["revision", "-m", "accounts"]);
    ok(&folder, &["upgrade", "head"]);
    ok_check(&folder, &[]);
    ok_check(&folder, &["--database"]);
    let nothing = ok(&folder, &["diff", "--database"]);
    assert_eq!(nothing.trim(), "", "nothing to do against the database");

    // A column under the view and the policy changes type: both are
    // dropped before and created again after.
    let changed =
        format!("{TABLES}{CODE}").replace("balance numeric(12,2)", "balance numeric(14,2)");
    let changed = changed.replace("amount numeric(12,2)", "amount numeric(14,2)");
    declare(&folder, &changed);
    ok(&folder, &["revision", "-m", "wider amounts"]);
    ok(&folder, &["upgrade", "head"]);
    ok_check(&folder, &[]);
    ok_check(&folder, &["--database"]);
    assert_eq!(ok(&folder, &["diff", "--database"]).trim(), "");

    ok(&folder, &["downgrade", "-1"]);
    declare(&folder, &format!("{TABLES}{CODE}"));
    assert_eq!(ok(&folder, &["diff", "--database"]).trim(), "", "down gave the first schema back");
    ok(&folder, &["downgrade", "base"]);
    let empty = database
        .execute(
            "SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace \
             AND relkind IN ('r', 'v', 'm', 'S') AND relname <> '_sqlx_migrations') \
             + (SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace)",
        )
        .unwrap();
    assert_eq!(empty.trim(), "0", "downgrade base leaves nothing of the schema");
}

/// Writes `sql` to `name` under `folder`.
fn file(folder: &Path, name: &str, sql: &str) -> PathBuf {
    let path = folder.join(name);
    std::fs::write(&path, sql).unwrap();
    path
}

fn diff(folder: &Path, from: &str, to: &str) -> String {
    ok(folder, &["diff", "--from", from, "--to", to])
}

#[test]
fn the_same_view_written_two_ways_is_nothing_to_do_from_every_pair_of_sources() {
    let folder = initialised_project("code", "pairs");
    let first = format!("{TABLES}{CODE}");
    let second = format!("{TABLES}{}", CODE.replace(
        "CREATE VIEW balances AS SELECT a.id, a.owner, a.balance FROM accounts a WHERE a.balance > 0;\n",
        VIEW_AGAIN,
    ));
    assert_ne!(first, second);
    let a = file(&folder, "a.sql", &first);
    let b = file(&folder, "b.sql", &second);
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let db_a = autogen_pgtemp::fresh_database().unwrap();
    db_a.load_sql(&first).unwrap();
    let db_b = autogen_pgtemp::fresh_database().unwrap();
    db_b.load_sql(&second).unwrap();

    for (from, to) in [(a, b), (db_a.url(), b), (a, db_b.url()), (db_a.url(), db_b.url())] {
        assert_eq!(diff(&folder, from, to).trim(), "", "{from} → {to}: the same schema");
    }

    // A real change is found from every pair: the view's condition.
    let third = second.replace("(a.balance > 0)", "(a.balance >= 0)");
    let c = file(&folder, "c.sql", &third);
    let c = c.to_str().unwrap();
    let db_c = autogen_pgtemp::fresh_database().unwrap();
    db_c.load_sql(&third).unwrap();
    for (from, to) in [(a, c), (db_a.url(), c), (a, db_c.url()), (db_a.url(), db_c.url())] {
        let plan = diff(&folder, from, to);
        assert!(plan.contains("VIEW public.balances"), "{from} → {to}: the view changed:\n{plan}");
        assert!(!plan.contains("TABLE public.accounts"), "{from} → {to}: only the view:\n{plan}");
    }
}

#[test]
fn a_function_body_is_compared_exactly() {
    let folder = initialised_project("code", "bodies");
    let first = format!("{TABLES}{CODE}");
    // One more space in the body: PostgreSQL keeps the body as written.
    let second = first.replace("RETURN NEW;", "RETURN  NEW;");
    let a = file(&folder, "a.sql", &first);
    let b = file(&folder, "b.sql", &second);
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let db_a = autogen_pgtemp::fresh_database().unwrap();
    db_a.load_sql(&first).unwrap();
    for (from, to) in [(a, b), (db_a.url(), b)] {
        let plan = diff(&folder, from, to);
        assert!(
            plan.contains("CREATE OR REPLACE FUNCTION public.touch()"),
            "{from} → {to}: the body changed:\n{plan}"
        );
    }
    assert_eq!(diff(&folder, db_a.url(), a).trim(), "");
}
