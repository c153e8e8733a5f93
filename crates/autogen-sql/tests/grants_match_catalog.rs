//! `GRANT` and `REVOKE` on tables, views, materialized views and routines, read by
//! the SQL reader, give the grants introspecting a database that ran them
//! gives (grants are outside `==`: compared here on their own); the other
//! forms are passed over without a word, as before grants were read.

use autogen_testkit::{grants_of, introspect, parse_sql};

/// Only predefined roles: roles are the cluster's, and tests run in
/// parallel.
const SCRIPT: &str = r#"
CREATE SCHEMA app;
CREATE TABLE t (id integer, note text);
CREATE VIEW v AS SELECT id FROM t;
CREATE VIEW app."Odd View" AS SELECT id, note FROM t;
CREATE VIEW untouched AS SELECT id FROM t;
CREATE VIEW again AS SELECT id FROM t;
CREATE MATERIALIZED VIEW m AS SELECT id FROM t;
CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a $$;
CREATE FUNCTION f(a text) RETURNS text LANGUAGE sql AS $$ SELECT a $$;
CREATE FUNCTION alone() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE PROCEDURE p(n integer) LANGUAGE sql AS $$ SELECT n $$;
GRANT SELECT, UPDATE ON v TO pg_monitor, pg_read_all_stats WITH GRANT OPTION;
REVOKE GRANT OPTION FOR UPDATE ON TABLE v FROM pg_read_all_stats;
REVOKE SELECT ON v FROM pg_monitor CASCADE;
GRANT INSERT ON TABLE public.v, app."Odd View" TO PUBLIC;
grant all privileges on table app."Odd View" to "pg_signal_backend" granted by current_user;
revoke delete, truncate on app."Odd View" from pg_signal_backend;
GRANT SELECT ON again TO pg_monitor;
DROP VIEW again;
CREATE VIEW again AS SELECT id, note FROM t;
GRANT SELECT, REFERENCES, TRIGGER ON m TO pg_monitor;
REVOKE REFERENCES ON MATERIALIZED_NOT_A_KIND_BUT_A_NAME FROM pg_monitor;
REVOKE EXECUTE ON FUNCTION f(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION f(int4) TO pg_monitor;
GRANT ALL ON ROUTINE f(text) TO pg_read_all_stats WITH GRANT OPTION;
CREATE OR REPLACE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a + 1 $$;
REVOKE ALL ON FUNCTION alone FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE p TO GROUP pg_monitor;
GRANT SELECT ON t TO pg_monitor;
GRANT SELECT (note) ON t TO pg_read_all_stats;
GRANT UPDATE (id) ON v TO pg_read_all_stats;
GRANT USAGE ON SCHEMA app TO pg_monitor;
GRANT SELECT ON ALL TABLES IN SCHEMA app TO pg_read_all_stats;
GRANT EXECUTE ON ALL PROCEDURES IN SCHEMA public TO pg_signal_backend;
"#;

#[test]
fn grants_read_from_sql_are_the_catalogs() {
    // The statement naming a relation that does not exist is for
    // PostgreSQL to refuse; loaded without it.
    let loaded: String = SCRIPT
        .lines()
        .filter(|line| !line.contains("MATERIALIZED_NOT_A_KIND"))
        .collect::<Vec<_>>()
        .join("\n");
    let parsed = parse_sql(SCRIPT);
    let database = autogen_pgtemp::fresh_database().unwrap();
    database.load_sql(&loaded).unwrap();
    let introspected = introspect(database.url());
    assert_eq!(grants_of(&parsed), grants_of(&introspected));
    let grants = grants_of(&parsed);
    assert_eq!(grants["view public.untouched"], None);
    assert_eq!(grants["view public.again"], None, "a view dropped loses its grants");
    assert!(grants["function public.f(integer)"].is_some());
    // A table's, its column privileges aside.
    let table = grants["table public.t"].as_ref().expect("granted on");
    let table: Vec<(&autogen_schema::Grantee, &[String])> =
        table.iter().map(|grant| (&grant.grantee, grant.privileges.as_slice())).collect();
    assert_eq!(
        table,
        [(&autogen_schema::Grantee::Role("pg_monitor".into()), &["SELECT".to_owned()][..])]
    );
    // `ALL TABLES IN SCHEMA app` reached the view there.
    assert!(format!("{:?}", grants["view app.\"Odd View\""]).contains("pg_read_all_stats"));
}

#[test]
fn other_grants_and_revokes_are_passed_over_without_a_word() {
    let parsed = autogen_sql::parse(&[autogen_sql::Source {
        name: "grants.sql".into(),
        text: "CREATE TABLE t (id integer);
               GRANT pg_monitor TO pg_read_all_stats;
               REVOKE pg_monitor FROM pg_read_all_stats;
               GRANT SELECT ON missing TO x;
               GRANT EXECUTE ON FUNCTION missing(integer) TO x;
               GRANT USAGE ON TYPE some_type TO x;
               GRANT SELECT ON SEQUENCE s TO x;
               GRANT ALL ON ALL FUNCTIONS IN SCHEMA public TO x;
               GRANT SELECT ON t TO x;"
            .into(),
    }]);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
}

#[test]
fn privileges_an_object_does_not_have_are_refused_at_their_place() {
    let parsed = autogen_sql::parse(&[autogen_sql::Source {
        name: "grants.sql".into(),
        text: "CREATE TABLE t (id integer);\nCREATE VIEW v AS SELECT id FROM t;\n\
               GRANT EXECUTE ON v TO pg_monitor;\n\
               GRANT SELECT ON v TO pg_monitor WITH;\n"
            .into(),
    }]);
    let messages: Vec<String> =
        parsed.diagnostics.iter().map(|diagnostic| diagnostic.to_string()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains("grants.sql:3:1"), "{messages:?}");
    assert!(messages[0].contains("invalid privilege type EXECUTE for relation"), "{messages:?}");
    assert!(messages[1].starts_with("grants.sql:4:"), "{messages:?}");
}
