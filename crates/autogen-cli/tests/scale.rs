//! autogen reads the catalogs and takes no lock on the tables it reads: a
//! server whose shared lock table holds far fewer locks than the database
//! has tables (`max_locks_per_transaction` 10, `max_connections` 10) is
//! read whole, where `pg_dump`, which locks every table it dumps, fails.
//! The same holds at 20,000 tables on a server's default settings
//! (docs/PERFORMANCE.md); this is the fast form of it.

mod common;

use common::*;

const TABLES: usize = 2_000;

#[test]
fn more_tables_than_the_servers_lock_table_holds_are_read() {
    let binaries = autogen_pgtemp::Binaries::find().unwrap();
    let setting = |name: &str, value: &str| (name.to_owned(), value.to_owned());
    let config = autogen_pgtemp::Config {
        settings: vec![
            setting("max_locks_per_transaction", "10"),
            setting("max_connections", "10"),
        ],
        hba: None,
        files: Vec::new(),
    };
    let cluster = autogen_pgtemp::Cluster::start_configured(&binaries, &config).unwrap();
    let server = autogen_pgtemp::Server::Cluster(cluster);
    let database = server.create_database().unwrap();
    // Created in sessions of 50 tables: one transaction could not lock more.
    for first in (0..TABLES).step_by(50) {
        let sql: String = (first..first + 50)
            .map(|table| {
                format!(
                    "CREATE TABLE t{table} (id integer PRIMARY KEY, name text CHECK (name <> ''));\n\
                     CREATE INDEX t{table}_name ON t{table} (lower(name));\n"
                )
            })
            .collect();
        database.load_sql(&sql).unwrap();
    }

    let output = run(&["inspect", "--database-url", database.url(), "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["tables"].as_array().map_or(0, Vec::len), TABLES);

    let dumped = database.dump_schema();
    let error = dumped.expect_err("pg_dump locks every table: the lock table is too small");
    assert!(error.to_string().contains("max_locks_per_transaction"), "{error}");
}
