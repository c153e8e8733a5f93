//! Comments (`pg_description`) on the objects autogen models other than
//! tables and columns, which keep theirs ([`crate::Table::comment`],
//! [`crate::Column::comment`]): one map, [`crate::Schema::comments`], keyed
//! by what each comment describes.
//!
//! Comments PostgreSQL writes itself count as none: the `public` schema's
//! ([`PUBLIC_SCHEMA_COMMENT`]) and the one `CREATE EXTENSION` takes from the
//! extension's control file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ident::{quote_ident, QualifiedName};
use crate::model::Schema;

/// The comment a new database's `public` schema has (PostgreSQL 15 to 18).
pub const PUBLIC_SCHEMA_COMMENT: &str = "standard public schema";

/// The `comment` of the control files of extensions autogen knows (as
/// the pinned servers install them): what `CREATE EXTENSION` sets. The
/// catalog reader compares with the server's own
/// (`pg_available_extensions`), whatever the extension.
pub const EXTENSION_COMMENTS: &[(&str, &str)] = &[
    ("btree_gist", "support for indexing common datatypes in GiST"),
    ("pg_trgm", "text similarity measurement and index searching based on trigrams"),
    ("vector", "vector data type and ivfflat and hnsw access methods"),
];

/// What a `COMMENT ON` kept in [`Schema::comments`] describes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentTarget {
    /// `COMMENT ON SCHEMA name`
    Schema(String),
    /// `COMMENT ON EXTENSION name`
    Extension(String),
    /// `COMMENT ON TYPE name` (or `DOMAIN`): an enum, composite type or
    /// domain.
    Type(QualifiedName),
    /// `COMMENT ON SEQUENCE name`: a sequence no column owns.
    Sequence(QualifiedName),
    /// `COMMENT ON COLLATION name`
    Collation(QualifiedName),
    /// `COMMENT ON INDEX name`: a plain index or the index of a primary key,
    /// unique or exclusion constraint (an object apart from the constraint).
    Index(QualifiedName),
    /// `COMMENT ON CONSTRAINT name ON table`: a constraint of any kind.
    Constraint { table: QualifiedName, name: String },
    /// `COMMENT ON CONSTRAINT name ON DOMAIN domain`: a domain's check.
    DomainConstraint { domain: QualifiedName, name: String },
}

impl CommentTarget {
    /// The words after `COMMENT ON`: `INDEX public.i`, `CONSTRAINT c ON
    /// public.t`, `CONSTRAINT c ON DOMAIN public.d`.
    pub fn sql(&self) -> String {
        match self {
            CommentTarget::Schema(name) => format!("SCHEMA {}", quote_ident(name)),
            CommentTarget::Extension(name) => format!("EXTENSION {}", quote_ident(name)),
            CommentTarget::Type(name) => format!("TYPE {name}"),
            CommentTarget::Sequence(name) => format!("SEQUENCE {name}"),
            CommentTarget::Collation(name) => format!("COLLATION {name}"),
            CommentTarget::Index(name) => format!("INDEX {name}"),
            CommentTarget::Constraint { table, name } => {
                format!("CONSTRAINT {} ON {table}", quote_ident(name))
            }
            CommentTarget::DomainConstraint { domain, name } => {
                format!("CONSTRAINT {} ON DOMAIN {domain}", quote_ident(name))
            }
        }
    }

    /// The comment PostgreSQL gives the object itself, which the model
    /// holds as none — when it can be known offline: `public`'s, and the
    /// control file's of the extensions in [`EXTENSION_COMMENTS`] (what
    /// `pg_dump` writes after their `CREATE EXTENSION`).
    pub fn built_in_comment(&self) -> Option<&'static str> {
        match self {
            CommentTarget::Schema(name) if name == "public" => Some(PUBLIC_SCHEMA_COMMENT),
            CommentTarget::Extension(name) => EXTENSION_COMMENTS
                .iter()
                .find(|(extension, _)| extension == name)
                .map(|(_, comment)| *comment),
            _ => None,
        }
    }
}

impl Schema {
    /// Whether the object `target` describes exists.
    pub fn has_comment_target(&self, target: &CommentTarget) -> bool {
        match target {
            CommentTarget::Schema(name) => self.schemas.contains(name),
            CommentTarget::Extension(name) => self.extensions.contains_key(name),
            CommentTarget::Type(name) => {
                self.enums.contains_key(name)
                    || self.composites.contains_key(name)
                    || self.domains.contains_key(name)
            }
            CommentTarget::Sequence(name) => self.sequences.contains_key(name),
            CommentTarget::Collation(name) => self.collations.contains_key(name),
            CommentTarget::Index(name) => {
                self.tables.values().any(|table| {
                    table.name.schema == name.schema
                        && table.index_names().any(|index| index == name.name)
                }) || self.materialized_views.values().any(|view| {
                    view.name.schema == name.schema
                        && view.indexes.iter().any(|index| index.name == name.name)
                })
            }
            CommentTarget::Constraint { table, name } => {
                self.tables.get(table).is_some_and(|table| table.has_constraint(name))
            }
            CommentTarget::DomainConstraint { domain, name } => self
                .domains
                .get(domain)
                .is_some_and(|domain| domain.checks.iter().any(|check| check.name == *name)),
        }
    }

    /// Sets (`Some`) or removes (`None`, or an empty text, as PostgreSQL
    /// takes it) the comment on `target`; PostgreSQL's own comment on the
    /// object counts as none.
    pub fn set_comment(&mut self, target: CommentTarget, comment: Option<String>) {
        let built_in = target.built_in_comment();
        match comment.filter(|text| !text.is_empty() && Some(text.as_str()) != built_in) {
            Some(text) => self.comments.insert(target, text),
            None => self.comments.remove(&target),
        };
    }

    /// The comment on `old` moved to `new` (a renamed object keeps its
    /// comment).
    pub fn move_comment(&mut self, old: &CommentTarget, new: CommentTarget) {
        if let Some(text) = self.comments.remove(old) {
            self.comments.insert(new, text);
        }
    }

    /// The comments on table `old`'s constraints moved to table `new`.
    pub fn move_table_comments(&mut self, old: &QualifiedName, new: &QualifiedName) {
        let moved: Vec<CommentTarget> = (self.comments.keys())
            .filter(
                |target| matches!(target, CommentTarget::Constraint { table, .. } if table == old),
            )
            .cloned()
            .collect();
        for target in moved {
            if let CommentTarget::Constraint { name, .. } = &target {
                let renamed = CommentTarget::Constraint { table: new.clone(), name: name.clone() };
                self.move_comment(&target, renamed);
            }
        }
    }

    /// The comments on domain `old`'s checks moved to domain `new`.
    pub fn move_domain_comments(&mut self, old: &QualifiedName, new: &QualifiedName) {
        let moved: Vec<CommentTarget> = (self.comments.keys())
            .filter(|target| {
                matches!(target, CommentTarget::DomainConstraint { domain, .. } if domain == old)
            })
            .cloned()
            .collect();
        for target in moved {
            if let CommentTarget::DomainConstraint { name, .. } = &target {
                let renamed =
                    CommentTarget::DomainConstraint { domain: new.clone(), name: name.clone() };
                self.move_comment(&target, renamed);
            }
        }
    }

    /// Forgets the comments whose object no longer exists: PostgreSQL
    /// drops a comment with its object.
    pub fn forget_orphan_comments(&mut self) {
        if self.comments.is_empty() {
            return;
        }
        let orphans: Vec<CommentTarget> = (self.comments.keys())
            .filter(|target| !self.has_comment_target(target))
            .cloned()
            .collect();
        for target in orphans {
            self.comments.remove(&target);
        }
    }
}

/// Serializes [`Schema::comments`] as a list of `{"on": target, "comment":
/// text}` (JSON keys are strings), and reads such a list back.
pub(crate) mod as_list {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Entry {
        on: CommentTarget,
        comment: String,
    }

    pub(crate) fn serialize<S: serde::Serializer>(
        comments: &BTreeMap<CommentTarget, String>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            comments.iter().map(|(on, comment)| Entry { on: on.clone(), comment: comment.clone() }),
        )
    }

    pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<CommentTarget, String>, D::Error> {
        let entries = Vec::<Entry>::deserialize(deserializer)?;
        Ok(entries.into_iter().map(|entry| (entry.on, entry.comment)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_schema_built_in_comment_counts_as_none() {
        let mut schema = Schema::default();
        schema.schemas.insert("public".to_owned());
        let public = CommentTarget::Schema("public".to_owned());
        schema.set_comment(public.clone(), Some("mine".to_owned()));
        assert_eq!(schema.comments.get(&public).map(String::as_str), Some("mine"));
        schema.set_comment(public.clone(), Some(PUBLIC_SCHEMA_COMMENT.to_owned()));
        assert!(schema.comments.is_empty());
        schema.set_comment(public, Some(String::new()));
        assert!(schema.comments.is_empty());
    }

    #[test]
    fn comments_round_trip_through_json_and_stay_out_when_empty() {
        let mut schema = Schema::default();
        assert!(!serde_json::to_string(&schema).unwrap().contains("comments"));
        let index = CommentTarget::Index(QualifiedName::new("app", "i"));
        schema.comments.insert(index, "it's \\ here\n".to_owned());
        let constraint = CommentTarget::Constraint {
            table: QualifiedName::new("app", "t"),
            name: "c".to_owned(),
        };
        schema.comments.insert(constraint, "c".to_owned());
        let json = serde_json::to_string(&schema).unwrap();
        let back: Schema = serde_json::from_str(&json).unwrap();
        assert_eq!(back, schema);
    }

    #[test]
    fn targets_render_as_comment_on_takes_them() {
        let table = QualifiedName::new("public", "Order");
        let target = CommentTarget::Constraint { table, name: "order pk".to_owned() };
        assert_eq!(target.sql(), "CONSTRAINT \"order pk\" ON public.\"Order\"");
        let domain = QualifiedName::new("app", "positive");
        let target = CommentTarget::DomainConstraint { domain, name: "positive_check".to_owned() };
        assert_eq!(target.sql(), "CONSTRAINT positive_check ON DOMAIN app.positive");
    }
}
