//! Comments: on tables and columns (set, changed, removed with `IS
//! NULL`, by the tables' comparison), and on schemas, extensions, types,
//! collations, sequences, indexes and constraints ([`Schema::comments`], compared here
//! once the other steps are known: an object they drop and create again
//! comes back without its comment, one they rename keeps it).

use std::collections::{BTreeMap, BTreeSet};

use autogen_schema::ddl::Renderer;
use autogen_schema::{quote_ident, quote_literal, CommentTarget, QualifiedName, Schema};

use super::Family;
use crate::operation::{column_key, Key, Operation, Step};
use crate::order::Phase;

/// `COMMENT ON TABLE` / `COMMENT ON COLUMN`.
pub(super) struct Comments;

/// `COMMENT ON TABLE table IS comment`.
pub(crate) fn comment_table(table: &QualifiedName, comment: &Option<String>) -> Step {
    Step::new(Operation::CommentTable { table: table.clone(), comment: comment.clone() })
        .consumes([Key::Table(table.clone())])
}

/// `COMMENT ON COLUMN table.column IS comment`.
pub(crate) fn comment_column(
    table: &QualifiedName,
    column: &str,
    comment: &Option<String>,
) -> Step {
    Step::new(Operation::CommentColumn {
        table: table.clone(),
        column: column.to_owned(),
        comment: comment.clone(),
    })
    .consumes([column_key(table, column)])
}

/// A `COMMENT ON` step for every object of `to` whose comment, once the
/// other `steps` ran on `from`, is not `to`'s: changed, or lost with an
/// object the steps drop and create again (a changed index or constraint,
/// a swapped enum, a replaced domain). A renaming step (one that removes a
/// name and produces another of its kind) carries the comment along.
pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    if from.comments.is_empty() && to.comments.is_empty() {
        return;
    }
    let mut renamed: BTreeMap<&Key, &Key> = BTreeMap::new();
    let mut removed: BTreeSet<&Key> = BTreeSet::new();
    for step in steps.iter() {
        for (index, key) in step.removes.iter().enumerate() {
            match step.produces.get(index) {
                Some(new) if new != key && same_kind(key, new) => {
                    renamed.insert(key, new);
                }
                _ => {
                    removed.insert(key);
                }
            }
        }
    }
    // The comments as the steps leave them: gone with their object, or
    // with what holds it (a table, a replaced domain).
    let mut left: BTreeMap<CommentTarget, &String> = BTreeMap::new();
    for (target, comment) in &from.comments {
        let key = target_key(target);
        let holder_removed =
            holder_key(from, target).is_some_and(|holder| removed.contains(&holder));
        if !renamed.contains_key(&key) && !removed.contains(&key) && !holder_removed {
            left.entry(target.clone()).or_insert(comment);
        }
    }
    for (target, comment) in &from.comments {
        if let Some(new) = renamed.get(&target_key(target)) {
            left.insert(retarget(target, new), comment);
        }
    }
    let targets: BTreeSet<&CommentTarget> = left.keys().chain(to.comments.keys()).collect();
    for target in targets {
        let wanted = to.comments.get(target);
        if to.has_comment_target(target) && left.get(target).copied() != wanted {
            steps.push(
                Step::new(Operation::Comment { target: target.clone(), comment: wanted.cloned() })
                    .consumes([target_key(target)]),
            );
        }
    }
}

/// The dependency key of the object a comment describes (a domain's check
/// is `Key::Constraint` of the domain, as in `ops/domains.rs`).
fn target_key(target: &CommentTarget) -> Key {
    match target {
        CommentTarget::Schema(name) => Key::Schema(name.clone()),
        CommentTarget::Extension(name) => Key::Extension(name.clone()),
        CommentTarget::Type(name) => Key::Type(name.clone()),
        CommentTarget::Sequence(name) => Key::Sequence(name.clone()),
        CommentTarget::Collation(name) => Key::Collation(name.clone()),
        CommentTarget::Index(name) => Key::Index(name.clone()),
        CommentTarget::Constraint { table: owner, name }
        | CommentTarget::DomainConstraint { domain: owner, name } => {
            Key::Constraint(owner.clone(), name.clone())
        }
    }
}

/// The key of what holds the object a comment describes, if anything
/// does: a constraint's or index's table, a check's domain.
fn holder_key(schema: &Schema, target: &CommentTarget) -> Option<Key> {
    match target {
        CommentTarget::Constraint { table, .. } => Some(Key::Table(table.clone())),
        CommentTarget::DomainConstraint { domain, .. } => Some(Key::Type(domain.clone())),
        CommentTarget::Index(index) => (schema.tables.values())
            .find(|table| {
                table.name.schema == index.schema
                    && table.index_names().any(|name| name == index.name)
            })
            .map(|table| Key::Table(table.name.clone())),
        _ => None,
    }
}

/// `target` renamed as `key` says (a key of `target`'s kind).
fn retarget(target: &CommentTarget, key: &Key) -> CommentTarget {
    match (target, key) {
        (CommentTarget::Schema(_), Key::Schema(name)) => CommentTarget::Schema(name.clone()),
        (CommentTarget::Extension(_), Key::Extension(name)) => {
            CommentTarget::Extension(name.clone())
        }
        (CommentTarget::Type(_), Key::Type(name)) => CommentTarget::Type(name.clone()),
        (CommentTarget::Sequence(_), Key::Sequence(name)) => CommentTarget::Sequence(name.clone()),
        (CommentTarget::Collation(_), Key::Collation(name)) => {
            CommentTarget::Collation(name.clone())
        }
        (CommentTarget::Index(_), Key::Index(name)) => CommentTarget::Index(name.clone()),
        (CommentTarget::Constraint { .. }, Key::Constraint(table, name)) => {
            CommentTarget::Constraint { table: table.clone(), name: name.clone() }
        }
        (CommentTarget::DomainConstraint { .. }, Key::Constraint(domain, name)) => {
            CommentTarget::DomainConstraint { domain: domain.clone(), name: name.clone() }
        }
        _ => target.clone(),
    }
}

fn same_kind(left: &Key, right: &Key) -> bool {
    std::mem::discriminant(left) == std::mem::discriminant(right)
}

impl Family for Comments {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::Comment { target, .. } => format!("comment on {}", describe_target(target)),
            Operation::CommentColumn { table, column, .. } => {
                format!("comment on column {}", super::columns::column_name(table, column))
            }
            Operation::CommentTable { table, .. } => format!("comment on table {table}"),
            other => super::not_mine("comments", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::CommentTable { .. } => Phase::TableComments,
            Operation::Comment { .. } => Phase::ObjectComments,
            _ => Phase::ColumnComments,
        }
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::CommentTable { table, comment } => {
                vec![format!("COMMENT ON TABLE {table} IS {};", comment_text(comment))]
            }
            Operation::CommentColumn { table, column, comment } => vec![format!(
                "COMMENT ON COLUMN {table}.{} IS {};",
                quote_ident(column),
                comment_text(comment)
            )],
            Operation::Comment { target, comment } => vec![object_comment_sql(target, comment)],
            other => super::not_mine("comments", other),
        }
    }
}

fn comment_text(comment: &Option<String>) -> String {
    comment.as_deref().map_or_else(|| "NULL".to_owned(), quote_literal)
}

/// `COMMENT ON <target> IS …`; for no comment, PostgreSQL's own where the
/// object has one: `public`'s, or an extension's from its control file
/// (known only to the server: read from `pg_available_extensions`).
fn object_comment_sql(target: &CommentTarget, comment: &Option<String>) -> String {
    match (comment, target) {
        (Some(text), _) => autogen_schema::ddl::comment_sql(target, Some(text)),
        (None, CommentTarget::Extension(name)) => {
            autogen_schema::ddl::restore_extension_comment_sql(name)
        }
        (None, _) => autogen_schema::ddl::comment_sql(target, target.built_in_comment()),
    }
}

/// The object a comment is on, in words.
fn describe_target(target: &CommentTarget) -> String {
    match target {
        CommentTarget::Schema(name) => format!("schema {}", quote_ident(name)),
        CommentTarget::Extension(name) => format!("extension {}", quote_ident(name)),
        CommentTarget::Type(name) => format!("type {name}"),
        CommentTarget::Sequence(name) => format!("sequence {name}"),
        CommentTarget::Collation(name) => format!("collation {name}"),
        CommentTarget::Index(name) => format!("index {name}"),
        CommentTarget::Constraint { table, name } => {
            format!("constraint {} on {table}", quote_ident(name))
        }
        CommentTarget::DomainConstraint { domain, name } => {
            format!("constraint {} on domain {domain}", quote_ident(name))
        }
    }
}
