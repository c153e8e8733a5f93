//! `autogen inspect` as a user meets it: its help, its errors (one line,
//! exit code 2, no password), `DATABASE_URL`, `--schema`, and the warning
//! for objects autogen does not model yet.

mod common;

use common::*;

#[test]
fn help_texts_are_stable() {
    insta::with_settings!({
        snapshot_path => workspace().join("snapshots/cli"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("autogen_help", stdout(&run(&["--help"])));
        insta::assert_snapshot!("autogen_inspect_help", stdout(&run(&["inspect", "--help"])));
    });
}

/// Runs `inspect` expecting failure: exit code 2, one line on stderr, no
/// password, nothing on stdout.
fn expect_error(url: &str, password: &str) -> String {
    let output = run(&["inspect", "--database-url", url]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert_eq!(stdout(&output), "", "nothing half-printed");
    assert_eq!(message.lines().count(), 1, "one line: {message}");
    assert!(message.starts_with("error: "), "{message}");
    if !password.is_empty() {
        assert!(!message.contains(password), "the password leaked: {message}");
    }
    message
}

#[test]
fn a_malformed_url_is_one_clear_line() {
    let message = expect_error("not a url", "");
    assert!(message.contains("invalid database URL"), "{message}");
    let message = expect_error("mysql://root:hunter2@localhost/app", "hunter2");
    assert!(message.contains("expected postgres://"), "{message}");
    assert!(message.contains("mysql://root:***@localhost/app"), "{message}");
}

#[test]
fn an_unreachable_server_is_one_clear_line() {
    let port = {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        listener.local_addr().unwrap().port()
    };
    let message =
        expect_error(&format!("postgres://app:s3cr3t-pw@127.0.0.1:{port}/app"), "s3cr3t-pw");
    assert!(message.contains("could not connect to"), "{message}");
    assert!(message.contains("connection refused"), "{message}");
    assert!(message.contains("app:***@127.0.0.1"), "{message}");
}

#[test]
fn a_missing_database_is_one_clear_line() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let url = database.url().replace(database.name(), "no_such_database");
    let message = expect_error(&url, "");
    assert!(message.contains("database \"no_such_database\" does not exist"), "{message}");
}

#[test]
fn a_wrong_password_is_one_clear_line_without_the_password() {
    let cluster = autogen_pgtemp::Cluster::start().unwrap();
    let hba = cluster.root().join("data/pg_hba.conf");
    let rules = std::fs::read_to_string(&hba).unwrap();
    std::fs::write(&hba, format!("host all guarded 127.0.0.1/32 scram-sha-256\n{rules}")).unwrap();
    let admin = cluster.url("postgres");
    let psql = |sql: &str| {
        let output = std::process::Command::new(cluster.binaries().path("psql"))
            .args(["-X", "-q", "-d", &admin, "-c", sql])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    };
    psql("CREATE ROLE guarded LOGIN PASSWORD 'the-right-one'");
    psql("SELECT pg_reload_conf()");
    std::thread::sleep(std::time::Duration::from_millis(300));

    let url = format!("postgres://guarded:Wr0ng-Pa55@127.0.0.1:{}/postgres", cluster.port());
    let message = expect_error(&url, "Wr0ng-Pa55");
    assert!(message.contains("password authentication failed for user \"guarded\""), "{message}");

    let url = format!("postgres://guarded:the-right-one@127.0.0.1:{}/postgres", cluster.port());
    let output = run(&["inspect", "--database-url", &url]);
    assert!(output.status.success(), "the right password works: {}", stderr(&output));
}

#[test]
fn database_url_comes_from_the_environment_by_default() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    database.execute("CREATE TABLE from_env (id integer PRIMARY KEY)").unwrap();
    let output = autogen().args(["inspect"]).env("DATABASE_URL", database.url()).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("CREATE TABLE public.from_env ("), "{}", stdout(&output));

    let output = run(&["inspect"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--database-url"), "{}", stderr(&output));
}

#[test]
fn schema_flags_limit_what_is_read() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    database
        .load_sql(
            "CREATE SCHEMA app; CREATE SCHEMA audit;
             CREATE TYPE app.mood AS ENUM ('ok');
             CREATE TABLE app.users (id integer PRIMARY KEY, mood app.mood);
             CREATE TABLE audit.events (id integer PRIMARY KEY);
             CREATE TABLE public.other (id integer);",
        )
        .unwrap();
    let output = run(&["inspect", "--database-url", database.url(), "--schema", "app"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let sql = stdout(&output);
    assert!(sql.contains("CREATE TABLE app.users"), "{sql}");
    assert!(sql.contains("CREATE TYPE app.mood"), "{sql}");
    assert!(!sql.contains("audit") && !sql.contains("other"), "{sql}");

    let output =
        run(&["inspect", "--database-url", database.url(), "--schema", "app", "--schema", "audit"]);
    let sql = stdout(&output);
    assert!(
        sql.contains("CREATE TABLE audit.events") && sql.contains("CREATE TABLE app.users"),
        "{sql}"
    );
    assert!(!sql.contains("public.other"), "{sql}");
}

#[test]
fn schemas_are_named_by_globs_too() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    database
        .load_sql(
            "CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE SCHEMA tenantx;
             CREATE SCHEMA \"tenant_%\";
             CREATE TABLE tenant_a.t (id integer); CREATE TABLE tenant_b.t (id integer);
             CREATE TABLE tenantx.t (id integer); CREATE TABLE \"tenant_%\".t (id integer);
             CREATE TABLE public.other (id integer);",
        )
        .unwrap();
    let read = |schemas: &[&str]| {
        let mut arguments = vec!["inspect", "--database-url", database.url(), "--format", "json"];
        for schema in schemas {
            arguments.extend(["--schema", schema]);
        }
        let output = run(&arguments);
        assert!(output.status.success(), "{}", stderr(&output));
        let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        let mut schemas: Vec<String> = json["schemas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|name| name.as_str().unwrap().to_owned())
            .collect();
        schemas.sort();
        schemas
    };
    // `_` and `%` of a name are themselves, `*` and `?` are wildcards.
    assert_eq!(read(&["tenant_*"]), ["tenant_%", "tenant_a", "tenant_b"]);
    assert_eq!(read(&["tenant_?"]), ["tenant_%", "tenant_a", "tenant_b"]);
    assert_eq!(read(&["tenant_%"]), ["tenant_%"]);
    assert_eq!(read(&["tenant?", "public"]), ["public", "tenantx"]);

    // The same globs cut a schema read from SQL.
    let declared = declared_file(
        "schema-globs",
        "CREATE SCHEMA tenant_a; CREATE SCHEMA tenantx; CREATE TABLE tenant_a.t (id integer);
         CREATE TABLE tenantx.t (id integer);",
    );
    let output = run(&["inspect", "--from", &declared, "--schema", "tenant_*"]);
    let sql = stdout(&output);
    assert!(sql.contains("CREATE TABLE tenant_a.t"), "{sql}");
    assert!(!sql.contains("tenantx"), "{sql}");
}

#[test]
fn objects_outside_the_model_are_reported_never_silently_dropped() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let vector = has_pgvector(&database);
    database
        .load_sql(&format!(
            "{}
             CREATE TABLE accounts (id integer PRIMARY KEY, balance integer);
             CREATE VIEW rich AS SELECT * FROM accounts WHERE balance > 100;
             CREATE VIEW \"poor\nones\" AS SELECT * FROM accounts WHERE balance < 0;
             CREATE MATERIALIZED VIEW totals AS SELECT sum(balance) FROM accounts;
             CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
             CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch();
             CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
             CREATE SEQUENCE invoice_numbers;
             CREATE FOREIGN DATA WRAPPER nowhere;
             CREATE SERVER nowhere FOREIGN DATA WRAPPER nowhere;
             CREATE FOREIGN TABLE measurements (at date NOT NULL) SERVER nowhere;
             CREATE TRIGGER measured AFTER INSERT ON measurements FOR EACH ROW EXECUTE FUNCTION touch();
             CREATE TABLE ledger (id integer);
             CREATE RULE ledger_kept AS ON DELETE TO ledger DO INSTEAD NOTHING;
             ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
             CREATE POLICY own ON accounts USING (true);
             CREATE TABLE readings (at date NOT NULL) PARTITION BY RANGE (at);
             CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
             CREATE TRIGGER read AFTER INSERT ON readings FOR EACH ROW EXECUTE FUNCTION touch();
             ALTER TABLE readings ENABLE ROW LEVEL SECURITY;
             CREATE POLICY recent ON readings USING (at > '2026-01-01');
             CREATE TABLE _sqlx_migrations (version bigint PRIMARY KEY);",
            if vector { "CREATE EXTENSION vector;" } else { "" }
        ))
        .unwrap();
    let output = run(&["inspect", "--database-url", database.url()]);
    assert!(output.status.success(), "{}", stderr(&output));
    // One line with a count per kind.
    assert_eq!(
        stderr(&output),
        "warning: 3 objects autogen does not model yet are left out: 1 foreign table, 1 rule, 1 trigger (-v lists them)\n"
    );
    // -v lists them, one line each.
    let output = run(&["inspect", "-v", "--database-url", database.url()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let warning = stderr(&output);
    assert_eq!(warning.lines().count(), 4, "{warning}");
    for expected in [
        "foreign table public.measurements",
        "trigger public.measurements.measured",
        "rule public.ledger.ledger_kept",
    ] {
        assert!(warning.contains(expected), "warning lacks `{expected}`: {warning}");
    }
    // Those of a table the model describes are modelled, partitioned
    // tables and partitions included.
    assert!(!warning.contains("accounts") && !warning.contains("readings"), "{warning}");

    // pgvector's own functions and types are the extension's, not the user's.
    assert!(!warning.contains("vector_in") && !warning.contains("halfvec"), "{warning}");
    let sql = stdout(&output);
    assert!(sql.contains("CREATE TABLE public.accounts"), "{sql}");
    for modelled in [
        "ALTER TABLE public.accounts ENABLE ROW LEVEL SECURITY;",
        "CREATE POLICY own ON public.accounts USING (true);",
        "CREATE TRIGGER accounts_touch BEFORE UPDATE ON public.accounts FOR EACH ROW EXECUTE FUNCTION public.touch();",
    ] {
        assert!(sql.contains(modelled), "{sql}");
    }
    // A sequence no column owns and a domain are modelled.
    assert!(!warning.contains("invoice_numbers") && !warning.contains("positive"), "{warning}");
    assert!(
        sql.contains("CREATE DOMAIN public.positive AS integer CONSTRAINT positive_check CHECK ((VALUE > 0));"),
        "{sql}"
    );
    assert!(sql.contains("CREATE SEQUENCE public.invoice_numbers AS bigint;"), "{sql}");
    // So is a function.
    assert!(!warning.contains("touch()"), "{warning}");
    assert!(sql.contains("CREATE FUNCTION public.touch() RETURNS trigger"), "{sql}");
    assert!(
        !sql.contains("_sqlx_migrations"),
        "sqlx's bookkeeping is not the user's schema: {sql}"
    );
    assert!(!sql.contains("measurements"), "{sql}");
    // Views and materialized views are modelled.
    assert!(!warning.contains("view"), "{warning}");
    assert!(sql.contains("CREATE VIEW public.rich AS"), "{sql}");
    assert!(sql.contains("CREATE VIEW public.\"poor\nones\" AS"), "{sql}");
    assert!(sql.contains("CREATE MATERIALIZED VIEW public.totals AS"), "{sql}");
}

#[test]
fn virtual_generated_columns_are_reported_on_postgresql_18() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    if server_major(&database) < 18 {
        // Only PostgreSQL 18 has virtual generated columns; scripts/test
        // runs this file on 18 too.
        return;
    }
    database
        .execute("CREATE TABLE boxes (w integer, h integer, area integer GENERATED ALWAYS AS (w * h) VIRTUAL)")
        .unwrap();
    let output = run(&["inspect", "-v", "--database-url", database.url()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "warning: 1 object autogen does not model yet is left out: 1 virtual generated column\n  virtual generated column public.boxes.area\n"
    );
}
