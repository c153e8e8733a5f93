//! Comments on tables and columns: set, changed, removed (`IS NULL`).

use autogen_schema::ddl::Renderer;
use autogen_schema::{quote_ident, quote_literal, QualifiedName};

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

impl Family for Comments {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
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
            other => super::not_mine("comments", other),
        }
    }
}

fn comment_text(comment: &Option<String>) -> String {
    comment.as_deref().map_or_else(|| "NULL".to_owned(), quote_literal)
}
