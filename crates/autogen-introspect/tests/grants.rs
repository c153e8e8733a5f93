//! The privileges granted on views, materialized views and functions, read
//! from `relacl`/`proacl`: several grantees, `PUBLIC`, a grant option, a
//! role whose name needs quoting, the owner's own entries left out, and
//! `None` where the ACL is PostgreSQL's default.

use autogen_schema::{Grant, Grantee, QualifiedName, RoutineName, SqlType};

fn grant(grantee: Grantee, privileges: &[&str], with_grant_option: bool) -> Grant {
    Grant {
        grantee,
        privileges: privileges.iter().map(|privilege| (*privilege).to_owned()).collect(),
        with_grant_option,
    }
}

fn role(name: &str) -> Grantee {
    Grantee::Role(name.to_owned())
}

#[test]
fn grants_are_read_from_the_acl_without_the_owners_entries() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    // Roles are the cluster's: a name of this run's own, dropped after.
    let quoted_role = format!("Grants \"reader\" {}", std::process::id());
    let quoted = autogen_schema::quote_ident(&quoted_role);
    database
        .load_sql(&format!(
            "CREATE ROLE {quoted};
             CREATE TABLE t (id integer);
             CREATE VIEW v AS SELECT id FROM t;
             CREATE VIEW untouched AS SELECT id FROM t;
             CREATE MATERIALIZED VIEW m AS SELECT id FROM t;
             CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT a $$;
             CREATE FUNCTION g() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
             CREATE FUNCTION kept() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
             GRANT SELECT, UPDATE ON v TO pg_monitor;
             GRANT SELECT ON v TO {quoted} WITH GRANT OPTION;
             GRANT INSERT ON v TO PUBLIC;
             GRANT SELECT, TRUNCATE ON m TO pg_read_all_stats;
             REVOKE EXECUTE ON FUNCTION f(integer) FROM PUBLIC;
             GRANT EXECUTE ON FUNCTION f(integer) TO {quoted}, pg_signal_backend;
             GRANT EXECUTE ON FUNCTION kept() TO pg_monitor WITH GRANT OPTION;
             REVOKE ALL ON FUNCTION g() FROM CURRENT_USER;"
        ))
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let options = autogen_introspect::Options::default();
    let read = runtime.block_on(autogen_introspect::introspect(database.url(), &options));
    // Whatever was read, the role goes (with its privileges in this
    // database) before any assertion can fail.
    database.load_sql(&format!("DROP OWNED BY {quoted}; DROP ROLE {quoted};")).unwrap();
    let schema = read.unwrap().schema;
    let name = |name: &str| QualifiedName::new("public", name);
    let function = |name: &str, arguments: Vec<SqlType>| {
        &schema.functions[&RoutineName { name: QualifiedName::new("public", name), arguments }]
    };

    assert_eq!(
        schema.views[&name("v")].grants.0,
        Some(vec![
            grant(Grantee::Public, &["INSERT"], false),
            grant(role(&quoted_role), &["SELECT"], true),
            grant(role("pg_monitor"), &["SELECT", "UPDATE"], false),
        ])
    );
    assert_eq!(schema.views[&name("untouched")].grants.0, None);
    assert_eq!(
        schema.materialized_views[&name("m")].grants.0,
        Some(vec![grant(role("pg_read_all_stats"), &["SELECT", "TRUNCATE"], false)])
    );
    assert_eq!(
        function("f", vec![SqlType::Integer]).grants.0,
        Some(vec![
            grant(role(&quoted_role), &["EXECUTE"], false),
            grant(role("pg_signal_backend"), &["EXECUTE"], false),
        ]),
        "EXECUTE revoked from PUBLIC: no PUBLIC entry"
    );
    assert_eq!(
        function("kept", vec![]).grants.0,
        Some(vec![
            grant(Grantee::Public, &["EXECUTE"], false),
            grant(role("pg_monitor"), &["EXECUTE"], true),
        ])
    );
    // The owner's own privileges revoked: explicit, but nothing of another
    // role's.
    assert_eq!(
        function("g", vec![]).grants.0,
        Some(vec![grant(Grantee::Public, &["EXECUTE"], false)])
    );
}
