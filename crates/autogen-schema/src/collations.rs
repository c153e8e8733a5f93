//! Collations ([`crate::Collation`], `CREATE COLLATION`) and what uses them:
//! columns, domains and composite attributes (their `COLLATE`), index and
//! exclusion keys, and printed expressions (`COLLATE c` in a check, an
//! index expression, a default). PostgreSQL refers to a collation by oid,
//! so a rename reaches every user; [`Schema::rename_collation`] does the
//! same to the model.

use crate::ident::QualifiedName;
use crate::model::{IndexKey, IndexTarget, Schema, Table};

/// Something that uses a collation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum CollationUser {
    /// A column's `COLLATE`, by table and column.
    Column(QualifiedName, String),
    /// A domain's `COLLATE`.
    Domain(QualifiedName),
    /// A composite type's attribute's `COLLATE`, by type and attribute.
    Attribute(QualifiedName, String),
    /// A key of an index (or of an index-backed constraint), or an
    /// expression of the table (`COLLATE c` printed in it): by table and
    /// the index's or constraint's name, empty for an expression that is
    /// a column's default or generation.
    Table(QualifiedName, String),
}

impl std::fmt::Display for CollationUser {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CollationUser::Column(table, column) => {
                write!(formatter, "column `{column}` of `{table}`")
            }
            CollationUser::Domain(domain) => write!(formatter, "domain `{domain}`"),
            CollationUser::Attribute(composite, attribute) => {
                write!(formatter, "attribute `{attribute}` of `{composite}`")
            }
            CollationUser::Table(table, name) if name.is_empty() => {
                write!(formatter, "an expression of `{table}`")
            }
            CollationUser::Table(table, name) => write!(formatter, "`{name}` on `{table}`"),
        }
    }
}

impl Schema {
    /// What uses collation `name`, in a fixed order.
    pub fn collation_users(&self, name: &QualifiedName) -> Vec<CollationUser> {
        let mut users = Vec::new();
        for table in self.tables.values() {
            for column in &table.columns {
                if column.collation.as_ref() == Some(name) {
                    users.push(CollationUser::Column(table.name.clone(), column.name.clone()));
                }
            }
            users.extend(
                table_uses(table, name)
                    .into_iter()
                    .map(|user| CollationUser::Table(table.name.clone(), user)),
            );
        }
        for domain in self.domains.values() {
            let in_expressions = (domain.default.iter())
                .chain(domain.checks.iter().map(|check| &check.expression))
                .any(|expression| crate::expression::mentions_collation(expression, name));
            if domain.collation.as_ref() == Some(name) || in_expressions {
                users.push(CollationUser::Domain(domain.name.clone()));
            }
        }
        for composite in self.composites.values() {
            for attribute in &composite.attributes {
                if attribute.collation.as_ref() == Some(name) {
                    users.push(CollationUser::Attribute(
                        composite.name.clone(),
                        attribute.name.clone(),
                    ));
                }
            }
        }
        users.sort();
        users.dedup();
        users
    }

    /// Collation `old` called `new` (in its schema) wherever the schema
    /// names it, its comment moved with it: what `ALTER COLLATION … RENAME
    /// TO` does, since everything refers to the collation by oid.
    pub fn rename_collation(&mut self, old: &QualifiedName, new: &QualifiedName) {
        let Some(mut collation) = self.collations.remove(old) else { return };
        collation.name = new.clone();
        self.add_collation(collation);
        self.move_comment(
            &crate::CommentTarget::Collation(old.clone()),
            crate::CommentTarget::Collation(new.clone()),
        );
        let rename = |collation: &mut Option<QualifiedName>| {
            if collation.as_ref() == Some(old) {
                *collation = Some(new.clone());
            }
        };
        let rename_text = |text: &str| crate::expression::rename_collation(text, old, new);
        for table in self.tables.values_mut() {
            for column in &mut table.columns {
                rename(&mut column.collation);
            }
            for index in &mut table.indexes {
                index.keys.iter_mut().for_each(|key| rename(&mut key.collation));
            }
            for exclusion in &mut table.exclusion_constraints {
                exclusion
                    .elements
                    .iter_mut()
                    .for_each(|element| rename(&mut element.key.collation));
            }
            table.change_expressions(rename_text);
        }
        for domain in self.domains.values_mut() {
            rename(&mut domain.collation);
            if let Some(default) = &mut domain.default {
                *default = rename_text(default);
            }
            for check in &mut domain.checks {
                check.expression = rename_text(&check.expression);
            }
        }
        for composite in self.composites.values_mut() {
            composite.attributes.iter_mut().for_each(|attribute| rename(&mut attribute.collation));
        }
    }
}

impl Table {
    /// Collation `old` called `new` in the table's columns, keys and
    /// expressions.
    pub fn rename_collation(&mut self, old: &QualifiedName, new: &QualifiedName) {
        let rename = |collation: &mut Option<QualifiedName>| {
            if collation.as_ref() == Some(old) {
                *collation = Some(new.clone());
            }
        };
        for column in &mut self.columns {
            rename(&mut column.collation);
        }
        for index in &mut self.indexes {
            index.keys.iter_mut().for_each(|key| rename(&mut key.collation));
        }
        for exclusion in &mut self.exclusion_constraints {
            exclusion.elements.iter_mut().for_each(|element| rename(&mut element.key.collation));
        }
        self.change_expressions(|text| crate::expression::rename_collation(text, old, new));
    }
}

/// The indexes and constraints of `table` whose keys or expressions use
/// collation `name` (by name; empty for a column's default or
/// generation).
fn table_uses(table: &Table, name: &QualifiedName) -> Vec<String> {
    let mentions = |text: &str| crate::expression::mentions_collation(text, name);
    let key_uses = |key: &IndexKey| {
        key.collation.as_ref() == Some(name)
            || matches!(&key.target, IndexTarget::Expression(expression) if mentions(expression))
    };
    let mut users = Vec::new();
    for index in &table.indexes {
        if index.keys.iter().any(key_uses) || index.predicate.as_deref().is_some_and(mentions) {
            users.push(index.name.clone());
        }
    }
    for exclusion in &table.exclusion_constraints {
        let uses = exclusion.elements.iter().any(|element| key_uses(&element.key))
            || exclusion.predicate.as_deref().is_some_and(mentions);
        if uses {
            users.push(exclusion.name.clone());
        }
    }
    for check in &table.check_constraints {
        if mentions(&check.expression) {
            users.push(check.name.clone());
        }
    }
    for statistics in &table.statistics {
        if statistics.expressions.iter().any(|expression| mentions(expression)) {
            users.push(statistics.name.name.clone());
        }
    }
    let column_expressions = table
        .columns
        .iter()
        .flat_map(|column| column.default.iter().chain(column.generated.iter()));
    if column_expressions.into_iter().any(|expression| mentions(expression)) {
        users.push(String::new());
    }
    users
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, Domain};
    use crate::types::SqlType;

    #[test]
    fn a_rename_reaches_columns_domains_and_expressions() {
        let old = QualifiedName::new("app", "ci");
        let new = QualifiedName::new("app", "case_insensitive");
        let mut schema = Schema::default();
        schema.add_collation(crate::model::Collation {
            name: old.clone(),
            provider: crate::model::CollationProvider::Libc,
            locale: None,
            lc_collate: Some("C".into()),
            lc_ctype: Some("C".into()),
            nondeterministic: false,
            rules: None,
        });
        let mut table = Table::new(QualifiedName::new("public", "t"));
        let mut column = Column::new("name", SqlType::Text);
        column.collation = Some(old.clone());
        column.default = Some("('x'::text COLLATE app.ci)".into());
        table.columns.push(column);
        schema.add_table(table);
        schema.add_domain(Domain {
            name: QualifiedName::new("public", "d"),
            data_type: SqlType::Text,
            collation: Some(old.clone()),
            default: None,
            not_null: false,
            checks: Vec::new(),
        });
        assert_eq!(schema.collation_users(&old).len(), 3);
        schema.rename_collation(&old, &new);
        assert!(schema.collation_users(&old).is_empty());
        let column = &schema.tables[&QualifiedName::new("public", "t")].columns[0];
        assert_eq!(column.collation.as_ref(), Some(&new));
        assert_eq!(column.default.as_deref(), Some("('x'::text COLLATE app.case_insensitive)"));
        assert!(schema.collations.contains_key(&new));
    }
}
