//! Helpers shared by autogen-emit's tests that run migrations on rows.

#![allow(unreachable_pub)]

use autogen_schema::Schema;

/// The schema SQL text declares; panics on any error in it.
pub fn parse(sql: &str) -> Schema {
    let parsed =
        autogen_sql::parse(&[autogen_sql::Source { name: "test.sql".into(), text: sql.into() }]);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.schema
}
