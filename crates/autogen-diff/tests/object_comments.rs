//! Comments on objects other than tables and columns (`Schema::comments`):
//! a plan sets a comment only where the steps before it leave another —
//! not on an object it drops, again on one it drops and creates, not on
//! one it renames with its comment.

mod common;

use common::schema;

use autogen_diff::{diff, Hints, Operation};
use autogen_schema::{CommentTarget, QualifiedName};

/// The comment steps of the plan from `from` to `to`.
fn comment_steps(from: &str, to: &str) -> Vec<(CommentTarget, Option<String>)> {
    diff(&schema(from), &schema(to), &Hints::default())
        .steps
        .into_iter()
        .filter_map(|step| match step.operation {
            Operation::Comment { target, comment } => Some((target, comment)),
            _ => None,
        })
        .collect()
}

fn index(name: &str) -> CommentTarget {
    CommentTarget::Index(QualifiedName::new("public", name))
}

const TABLE: &str = "CREATE TABLE t (id integer PRIMARY KEY, a text);";

#[test]
fn a_dropped_object_takes_its_comment_with_it() {
    let from = format!("{TABLE}\nCREATE INDEX t_a ON t (a);\nCOMMENT ON INDEX t_a IS 'by a';");
    assert_eq!(comment_steps(&from, TABLE), []);
    let from = "CREATE TABLE gone (id integer PRIMARY KEY);
COMMENT ON CONSTRAINT gone_pkey ON gone IS 'the key';";
    assert_eq!(comment_steps(from, ""), []);
}

#[test]
fn an_index_the_plan_renames_keeps_its_comment_unless_told_otherwise() {
    let from = format!("{TABLE}\nCREATE INDEX t_a ON t (a);\nCOMMENT ON INDEX t_a IS 'by a';");
    let same =
        format!("{TABLE}\nCREATE INDEX t_by_a ON t (a);\nCOMMENT ON INDEX t_by_a IS 'by a';");
    assert_eq!(comment_steps(&from, &same), []);
    let without = format!("{TABLE}\nCREATE INDEX t_by_a ON t (a);");
    assert_eq!(comment_steps(&from, &without), [(index("t_by_a"), None)]);
}

#[test]
fn an_index_the_plan_builds_again_gets_its_comment_again() {
    let from = format!("{TABLE}\nCREATE INDEX t_a ON t (a);\nCOMMENT ON INDEX t_a IS 'by a';");
    let to = format!("{TABLE}\nCREATE INDEX t_a ON t (a DESC);\nCOMMENT ON INDEX t_a IS 'by a';");
    assert_eq!(comment_steps(&from, &to), [(index("t_a"), Some("by a".to_owned()))]);
    // Dropped with its table and created with a new one.
    let to = "CREATE TABLE u (id integer PRIMARY KEY, a text);
CREATE INDEX t_a ON u (a);
COMMENT ON INDEX t_a IS 'by a';";
    assert_eq!(comment_steps(&from, to), [(index("t_a"), Some("by a".to_owned()))]);
}

#[test]
fn no_comment_on_public_gives_it_postgresqls_back() {
    let from = "COMMENT ON SCHEMA public IS 'ours';";
    let (from, to) = (schema(from), schema(""));
    let steps = diff(&from, &to, &Hints::default()).steps;
    let renderer = autogen_schema::ddl::Renderer::for_schema(&to);
    let sql = autogen_diff::step_sql(&renderer, &steps[0]);
    assert_eq!(sql, ["COMMENT ON SCHEMA public IS 'standard public schema';"]);
}
