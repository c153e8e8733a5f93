//! Indexes: created, dropped, or renamed when only the name changed (a
//! changed definition is a drop and a create).

use std::collections::BTreeSet;

use autogen_schema::ddl::{concurrent_index_sql, index_sql, Renderer};
use autogen_schema::{quote_ident, Index, QualifiedName, Schema, Table};

use super::constraints::Named as _;
use super::Family;
use crate::operation::{column_key, expression_keys, index_key, Hazard, Key, Operation, Step};
use crate::order::Phase;

/// `CREATE INDEX`, `DROP INDEX`, `ALTER INDEX … RENAME`.
pub(super) struct Indexes;

/// The indexes of a table that is kept: `rebuilds` says which are built
/// again by a pgvector column's change (not compared here), `through_swap`
/// which expressions compare with a literal of an enum being swapped (such
/// an index is dropped and created again around the swap).
pub(crate) fn diff_table(
    (from, to): (&Schema, &Schema),
    (old, new): (&Table, &Table),
    rebuilds: &dyn Fn(&Index) -> bool,
    through_swap: &dyn Fn(&str) -> bool,
    steps: &mut Vec<Step>,
) {
    let name = &new.name;
    let index_through_swap = |index: &Index| index_expressions(index).any(through_swap);
    let mut created: Vec<&Index> = Vec::new();
    let mut dropped: Vec<&Index> = Vec::new();
    for index in new.indexes.iter().filter(|index| !rebuilds(index)) {
        match old.indexes.iter().find(|old| old.name == index.name && !rebuilds(old)) {
            Some(before) if before == index && !index_through_swap(index) => {}
            Some(before) => {
                dropped.push(before);
                created.push(index);
            }
            None => created.push(index),
        }
    }
    dropped.extend(
        old.indexes.iter().filter(|index| {
            !rebuilds(index) && !new.indexes.iter().any(|new| new.name == index.name)
        }),
    );
    // An index dropped and one created that differ only in name: a rename.
    let mut renamed: BTreeSet<String> = BTreeSet::new();
    for index in &created {
        let same = dropped.iter().find(|old| {
            old.name != index.name
                && !renamed.contains(&old.name)
                && !new.indexes.iter().any(|new| new.name == old.name)
                && old.with_name(&index.name) == **index
        });
        if let Some(old_index) = same {
            renamed.insert(old_index.name.clone());
            renamed.insert(index.name.clone());
            steps.push(
                Step::new(Operation::RenameIndex {
                    table: name.clone(),
                    old: old_index.name.clone(),
                    new: index.name.clone(),
                })
                .removes([index_key(name, &old_index.name)])
                .produces([index_key(name, &index.name)])
                .consumes([Key::Table(name.clone())]),
            );
        }
    }
    for index in dropped.into_iter().filter(|index| !renamed.contains(&index.name)) {
        steps.push(drop_index(from, old, index));
    }
    for index in created.into_iter().filter(|index| !renamed.contains(&index.name)) {
        steps.push(create_index(to, new, index, true));
    }
}

pub(crate) fn create_index(to: &Schema, table: &Table, index: &Index, existing: bool) -> Step {
    let name = &table.name;
    let mut step = Step::new(Operation::CreateIndex {
        table: name.clone(),
        index: index.clone(),
        concurrently: false,
    })
    .produces([index_key(name, &index.name)])
    .consumes([Key::Table(name.clone())])
    .consumes(index_column_keys(table, index))
    .consumes(expression_keys(to, table, index_expressions(index)));
    if existing {
        step = step.hazard(Hazard::BlockingLock);
        if index.unique {
            step = step.hazard(Hazard::MayFailOnData);
        }
    }
    step
}

fn drop_index(from: &Schema, table: &Table, index: &Index) -> Step {
    Step::new(Operation::DropIndex {
        table: table.name.clone(),
        index: index.clone(),
        concurrently: false,
    })
    .removes([index_key(&table.name, &index.name)])
    .releases(index_column_keys(table, index))
    .releases(expression_keys(from, table, index_expressions(index)))
}

/// An index's key expressions and predicate, as printed.
pub(crate) fn index_expressions(index: &Index) -> impl Iterator<Item = &str> {
    index
        .keys
        .iter()
        .filter_map(|key| match &key.target {
            autogen_schema::IndexTarget::Expression(expression) => Some(expression.as_str()),
            autogen_schema::IndexTarget::Column(_) => None,
        })
        .chain(index.predicate.as_deref())
}

/// The columns of `table` an index depends on, keys, expressions,
/// `INCLUDE` and predicate alike, and the collations its keys say.
pub(crate) fn index_column_keys(table: &Table, index: &Index) -> Vec<Key> {
    let mut keys: Vec<Key> = index
        .columns_used(table)
        .into_iter()
        .map(|column| column_key(&table.name, column))
        .collect();
    // A key's own collation (`COLLATE c`) too.
    keys.extend(index.keys.iter().filter_map(|key| key.collation.clone()).map(Key::Collation));
    keys
}

/// `schema.name` of an index of `table` (an index lives in its table's
/// schema).
pub(crate) fn index_name(table: &QualifiedName, name: &str) -> QualifiedName {
    QualifiedName::new(table.schema.clone(), name)
}

/// `DROP INDEX schema.name;`
pub(crate) fn drop_index_sql(table: &QualifiedName, index: &Index) -> String {
    format!("DROP INDEX {};", index_name(table, &index.name))
}

impl Family for Indexes {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::CreateIndex { table, index, concurrently } => format!(
                "create {}index {}{}",
                if index.invalid { "invalid " } else { "" },
                index_name(table, &index.name),
                if *concurrently { " concurrently" } else { "" }
            ),
            Operation::DropIndex { table, index, concurrently } => format!(
                "drop {}index {}{}",
                if index.invalid { "invalid " } else { "" },
                index_name(table, &index.name),
                if *concurrently { " concurrently" } else { "" }
            ),
            Operation::RenameIndex { table, old, new } => {
                format!("rename index {} to {}", index_name(table, old), quote_ident(new))
            }
            other => super::not_mine("indexes", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::CreateIndex { .. } => Phase::CreateIndexes,
            Operation::DropIndex { .. } => Phase::DropIndexes,
            _ => Phase::RenameIndexes,
        }
    }

    fn expressions<'o>(&self, operation: &'o Operation) -> Vec<&'o str> {
        match operation {
            Operation::CreateIndex { index, .. } => index_expressions(index).collect(),
            _ => Vec::new(),
        }
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::CreateIndex { table, index, concurrently: false } => {
                vec![format!("{};", index_sql(table, index))]
            }
            Operation::CreateIndex { table, index, concurrently: true } => {
                vec![format!("{};", concurrent_index_sql(table, index))]
            }
            Operation::DropIndex { table, index, concurrently: false } => {
                vec![drop_index_sql(table, index)]
            }
            Operation::DropIndex { table, index, concurrently: true } => {
                vec![format!("DROP INDEX CONCURRENTLY {};", index_name(table, &index.name))]
            }
            Operation::RenameIndex { table, old, new } => vec![format!(
                "ALTER INDEX {} RENAME TO {};",
                index_name(table, old),
                quote_ident(new)
            )],
            other => super::not_mine("indexes", other),
        }
    }
}
