//! What the planner's tests share: schemas read from SQL.

#![allow(dead_code, unreachable_pub)]

use autogen_schema::Schema;

/// The schema `sql` declares; the SQL must read without errors.
pub fn schema(sql: &str) -> Schema {
    let parsed = read(sql);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.schema
}

/// The schema `sql` declares; the SQL must read without a warning either.
pub fn clean_schema(sql: &str) -> Schema {
    let parsed = read(sql);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    parsed.schema
}

fn read(sql: &str) -> autogen_sql::Parsed {
    autogen_sql::parse(&[autogen_sql::Source {
        name: "schema.sql".to_owned(),
        text: sql.to_owned(),
    }])
}
