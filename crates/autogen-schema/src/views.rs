//! Views and materialized views (`pg_class` with `relkind` `v` and `m`),
//! and [`Rewritten`]: text PostgreSQL does not keep as written.
//!
//! PostgreSQL parses a view's query (and a policy's expressions, a
//! SQL-standard function body) and prints it again from the parse tree
//! (`pg_get_viewdef`): the text a catalog gives is PostgreSQL's, not the
//! author's. A source that reads SQL cannot print PostgreSQL's form of an
//! arbitrary query, so a [`Rewritten`] says which form its text is in, and
//! two texts are compared only in the same form — the diff refuses to guess
//! across forms; the caller first asks PostgreSQL for the canonical form of
//! the written side (docs/ARCHITECTURE.md, "Canonical forms").

use serde::{Deserialize, Serialize};

use crate::ident::QualifiedName;
use crate::model::Index;
use crate::triggers::Trigger;

/// Text PostgreSQL rewrites, with the form it is in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Rewritten {
    pub text: String,
    pub form: TextForm,
}

impl Rewritten {
    /// Text as a catalog printed it.
    pub fn catalog(text: impl Into<String>) -> Self {
        Self { text: text.into(), form: TextForm::Catalog }
    }

    /// Text as a SQL source wrote it, already normalised.
    pub fn normalised(text: impl Into<String>) -> Self {
        Self { text: text.into(), form: TextForm::Normalised }
    }
}

/// Which form a [`Rewritten`] text is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextForm {
    /// PostgreSQL's own (`pg_get_viewdef(oid, true)` with `search_path =
    /// public`, `pg_get_expr`, `pg_get_function_sqlbody`): what a catalog
    /// gives, and what a written text becomes once PostgreSQL has read it.
    Catalog,
    /// The parsed, normalised form of SQL as written (keywords, spacing,
    /// case of unquoted names and needless quotes do not count): what the
    /// SQL and Rust-model sources give.
    Normalised,
}

/// `CREATE VIEW`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct View {
    pub name: QualifiedName,
    /// The output columns' names, in order (`pg_attribute`), and their
    /// comments.
    pub columns: Vec<ViewColumn>,
    pub query: Rewritten,
    /// `WITH (security_barrier)`: `Some(false)` only when written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_barrier: Option<bool>,
    /// `WITH (security_invoker)` (PostgreSQL 15+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_invoker: Option<bool>,
    /// `WITH [LOCAL | CASCADED] CHECK OPTION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_option: Option<CheckOption>,
    /// `INSTEAD OF` (and statement) triggers on the view, in name order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A view's or materialized view's output column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ViewColumn {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `WITH … CHECK OPTION`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckOption {
    Local,
    Cascaded,
}

/// `CREATE MATERIALIZED VIEW`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MaterializedView {
    pub name: QualifiedName,
    pub columns: Vec<ViewColumn>,
    pub query: Rewritten,
    /// `WITH NO DATA` (`relispopulated = false`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub with_no_data: bool,
    /// Storage parameters, as a table's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<(String, String)>,
    /// Its indexes, in name order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn is_false(value: &bool) -> bool {
    !*value
}
