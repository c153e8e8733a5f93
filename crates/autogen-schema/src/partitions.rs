//! Partitioned tables, partitions and table inheritance.
//!
//! A partitioned table is a [`Table`](crate::Table) with
//! [`partition_by`](crate::Table::partition_by) (`PARTITION BY RANGE | LIST
//! | HASH (keys)`); a partition is a `Table` with
//! [`partition_of`](crate::Table::partition_of) (its parent and bound) and
//! may itself be partitioned (sub-partitions). A table that inherits
//! (`INHERITS (parents)`) names its parents in
//! [`inherits`](crate::Table::inherits).
//!
//! What a partition or child has because of its parent is the parent's,
//! not its own, and is left out of it on every side: a check constraint
//! inherited (`coninhcount > 0`), a primary key, unique constraint or
//! foreign key cloned from the parent's (`conparentid <> 0`), an index
//! attached to the parent's (`pg_inherits` of the index), a trigger cloned
//! from the parent's (`tgparentid <> 0`). Its columns are all its own
//! (names, types, `NOT NULL`, defaults — `PARTITION OF` copies the
//! parent's defaults, `ATTACH PARTITION` keeps the table's), in `attnum`
//! order, since PostgreSQL keeps them per table.

use serde::{Deserialize, Serialize};

use crate::model::IndexTarget;
use crate::views::Rewritten;
use crate::QualifiedName;

/// `PARTITION BY strategy (keys)`: `pg_partitioned_table`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PartitionBy {
    /// `partstrat`
    pub strategy: PartitionStrategy,
    /// `partattrs` / `partexprs`, in order.
    pub keys: Vec<PartitionKey>,
}

/// `RANGE`, `LIST` or `HASH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartitionStrategy {
    Range,
    List,
    Hash,
}

impl PartitionStrategy {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            PartitionStrategy::Range => "RANGE",
            PartitionStrategy::List => "LIST",
            PartitionStrategy::Hash => "HASH",
        }
    }
}

/// One key of a partitioned table: a column or an expression (printed as
/// `pg_get_partkeydef` prints it: `lower(name)`, `(a + b)`), with its
/// collation and operator class where they are not the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PartitionKey {
    pub target: IndexTarget,
    /// `partcollation`, only where it differs from the column's (or the
    /// expression's type's) collation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<QualifiedName>,
    /// `partclass`, only where it is not the default operator class of the
    /// key's type for the strategy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<QualifiedName>,
}

/// `PARTITION OF parent bound` (or `ATTACH PARTITION`): `relispartition`,
/// `pg_inherits`, `relpartbound`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PartitionOf {
    pub parent: QualifiedName,
    pub bound: PartitionBound,
}

/// A partition's bound.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartitionBound {
    /// `DEFAULT`
    Default,
    /// `FOR VALUES …`, the text after `FOR VALUES ` as
    /// `pg_get_expr(relpartbound, oid)` prints it with `TimeZone = UTC`
    /// (`FROM ('2026-01-01') TO ('2026-02-01')`, `IN ('eu', 'us')`, `WITH
    /// (modulus 4, remainder 0)`) — a [`Rewritten`] text: the catalog's,
    /// or the SQL reader's normalised spelling where it cannot print
    /// PostgreSQL's.
    Values(Rewritten),
}

impl PartitionBound {
    /// As `CREATE TABLE … PARTITION OF` and `ATTACH PARTITION` write it:
    /// `DEFAULT` or `FOR VALUES …`.
    pub fn sql(&self) -> String {
        match self {
            PartitionBound::Default => "DEFAULT".to_owned(),
            PartitionBound::Values(values) => format!("FOR VALUES {}", values.sql()),
        }
    }
}

impl PartitionBy {
    /// `PARTITION BY RANGE (at)`.
    pub fn sql(&self) -> String {
        let keys: Vec<String> = self.keys.iter().map(PartitionKey::sql).collect();
        format!("PARTITION BY {} ({})", self.strategy.keyword(), keys.join(", "))
    }
}

impl PartitionKey {
    fn sql(&self) -> String {
        let mut text = match &self.target {
            IndexTarget::Column(name) => crate::quote_ident(name),
            IndexTarget::Expression(text) if text.starts_with('(') => text.clone(),
            IndexTarget::Expression(text) => format!("({text})"),
        };
        if let Some(collation) = &self.collation {
            text.push_str(&format!(" COLLATE {collation}"));
        }
        if let Some(opclass) = &self.opclass {
            text.push_str(&format!(" {opclass}"));
        }
        text
    }
}

/// Whether a column of a table that inherits is its parents' only
/// (`pg_attribute.attislocal = false`), not declared by the table itself.
/// PostgreSQL keeps it (pg_dump writes such a column only in the parent),
/// but cannot change it after the fact — `ALTER TABLE … INHERIT` leaves
/// every column the table's own — so it is never compared: always equal,
/// it is kept for writing the table as it was declared. Always `false` on
/// a partition (whose columns are all its parent's however it came).
#[derive(Debug, Clone, Copy, Default)]
pub struct InheritedOnly(pub bool);

crate::never_compared!(InheritedOnly);

/// What a partition or inheriting table has from its parents — the
/// checks, keys, unique and exclusion constraints, foreign keys and
/// indexes PostgreSQL cloned onto it — under the names the database gave
/// them, as a table holding only those. They are the parent's, so left out
/// of the table itself and never compared (always equal, never in JSON);
/// kept for a partition detached for good, whose clones become its own
/// under those names. `None` when the source does not say.
#[derive(Debug, Clone, Default)]
pub struct FromParents(pub Option<Box<crate::Table>>);

impl FromParents {
    /// What a table whose clones are `table` has from its parents.
    pub fn known(table: crate::Table) -> Self {
        Self(Some(Box::new(table)))
    }
}

crate::never_compared!(FromParents);

impl crate::Schema {
    /// The tables whose parent is `parent` (its partitions, or the tables
    /// inheriting from it), in name order.
    pub fn children_of(&self, parent: &QualifiedName) -> Vec<&crate::Table> {
        self.tables.values().filter(|table| table.parents().contains(&parent)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::Rewritten;

    #[test]
    fn keys_and_bounds_are_written_as_postgresql_takes_them() {
        let by = PartitionBy {
            strategy: PartitionStrategy::Range,
            keys: vec![
                PartitionKey {
                    target: IndexTarget::Column("At \"when\"".into()),
                    collation: None,
                    opclass: None,
                },
                PartitionKey {
                    target: IndexTarget::Expression("lower(name)".into()),
                    collation: Some(QualifiedName::new("pg_catalog", "C")),
                    opclass: Some(QualifiedName::new("public", "text_ops")),
                },
            ],
        };
        assert_eq!(
            by.sql(),
            "PARTITION BY RANGE (\"At \"\"when\"\"\", (lower(name)) COLLATE pg_catalog.\"C\" \
             public.text_ops)"
        );
        assert_eq!(PartitionBound::Default.sql(), "DEFAULT");
        let values = Rewritten::catalog("IN ('eu', 'us')".to_owned());
        assert_eq!(PartitionBound::Values(values).sql(), "FOR VALUES IN ('eu', 'us')");
    }
}
