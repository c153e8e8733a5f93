//! Storage and table properties: persistence (`SET LOGGED`/`UNLOGGED`),
//! storage parameters of a table and its TOAST table, a column's storage,
//! compression and statistics target, the replica identity and the index
//! `CLUSTER` orders by. All but persistence change the catalog only.
//!
//! A new table says its persistence and storage parameters in `CREATE
//! TABLE` and its columns' settings right after it; a new column's come
//! with `ADD COLUMN`, and a type change sets storage and compression
//! again (`ALTER COLUMN … TYPE` resets both). A replica identity or a
//! `CLUSTER ON` that names an index waits for the index; one that names
//! an index the plan drops is moved off it first.

use autogen_schema::ddl::{cluster_on_sql, parameter_sql, replica_identity_sql, Renderer};
use autogen_schema::storage::type_storage;
use autogen_schema::{quote_ident, Column, QualifiedName, ReplicaIdentity, Schema, Table};

use super::Family;
use crate::operation::{
    column_key, column_keys, index_key, ConstraintKind, Hazard, Key, Operation, Step,
};
use crate::order::Phase;

/// `SET LOGGED`/`UNLOGGED`, `SET (…)`/`RESET (…)`, `ALTER COLUMN … SET
/// STORAGE/COMPRESSION/STATISTICS`, `REPLICA IDENTITY`, `CLUSTER ON`.
pub(super) struct Storage;

/// The table-level properties of a table on both sides that do not name
/// an index: persistence and storage parameters.
///
/// A permanent table may not reference an unlogged one: tables linked by
/// a foreign key that both change go unlogged referencing table first,
/// and logged referenced table first (`Key::Persistence`).
pub(crate) fn diff_table(
    (from, to): (&Schema, &Schema),
    (old, new): (&Table, &Table),
    steps: &mut Vec<Step>,
) {
    let name = &new.name;
    if old.unlogged != new.unlogged {
        let changes = |other: &QualifiedName| {
            other != name
                && from
                    .tables
                    .get(other)
                    .zip(to.tables.get(other))
                    .is_some_and(|(before, after)| before.unlogged != after.unlogged)
        };
        let first: Vec<Key> = if new.unlogged {
            // Those that reference this table go unlogged before it.
            (to.tables.values())
                .filter(|other| other.foreign_keys.iter().any(|key| &key.referenced_table == name))
                .filter(|other| changes(&other.name))
                .map(|other| Key::Persistence(other.name.clone()))
                .collect()
        } else {
            // Those this table references are logged before it.
            (new.foreign_keys.iter())
                .filter(|key| changes(&key.referenced_table))
                .map(|key| Key::Persistence(key.referenced_table.clone()))
                .collect()
        };
        steps.push(
            Step::new(Operation::SetUnlogged { table: name.clone(), unlogged: new.unlogged })
                .hazard(Hazard::TableRewrite)
                .hazard(Hazard::BlockingLock)
                .produces([Key::Persistence(name.clone())])
                .consumes([Key::Table(name.clone())])
                .consumes(first),
        );
    }
    let (set, reset) = parameter_changes(&old.with, &new.with);
    let (toast_set, toast_reset) = parameter_changes(&old.toast_with, &new.toast_with);
    if !(set.is_empty() && reset.is_empty() && toast_set.is_empty() && toast_reset.is_empty()) {
        // A TOAST table comes with a column added by the plan: its
        // parameters wait for the columns.
        steps.push(
            Step::new(Operation::SetTableParameters {
                table: name.clone(),
                set,
                reset,
                toast_set,
                toast_reset,
            })
            .consumes([Key::Table(name.clone())])
            .consumes(column_keys(name, new.columns.iter().map(|column| &column.name))),
        );
    }
}

/// The parameters to set (new or changed) and to reset (gone).
fn parameter_changes(
    old: &[(String, String)],
    new: &[(String, String)],
) -> (Vec<(String, String)>, Vec<String>) {
    let set = new.iter().filter(|parameter| !old.contains(parameter)).cloned().collect();
    let reset = (old.iter())
        .filter(|(name, _)| !new.iter().any(|(kept, _)| kept == name))
        .map(|(name, _)| name.clone())
        .collect();
    (set, reset)
}

/// A kept column's storage, compression and statistics target.
/// `type_changed`: the plan changes its type, which resets storage and
/// compression and sets them again in the same step.
pub(crate) fn diff_column(
    table: &QualifiedName,
    old: &Column,
    new: &Column,
    type_changed: bool,
    steps: &mut Vec<Step>,
) {
    let column = || new.name.clone();
    let key = [column_key(table, &new.name)];
    if old.storage != new.storage && !type_changed {
        steps.push(
            Step::new(Operation::SetColumnStorage {
                table: table.clone(),
                column: column(),
                storage: new.storage,
                data_type: new.data_type.clone(),
            })
            .consumes(key.clone()),
        );
    }
    if old.compression != new.compression && !type_changed {
        steps.push(
            Step::new(Operation::SetColumnCompression {
                table: table.clone(),
                column: column(),
                compression: new.compression.clone(),
            })
            .consumes(key.clone()),
        );
    }
    if old.statistics_target != new.statistics_target {
        steps.push(
            Step::new(Operation::SetColumnStatistics {
                table: table.clone(),
                column: column(),
                target: new.statistics_target,
            })
            .consumes(key),
        );
    }
}

/// The indexes of `table` the plan's steps so far drop (a changed index or
/// key is dropped and created again): their replica identity and
/// `CLUSTER` mark go with them.
fn dropped_indexes(table: &QualifiedName, steps: &[Step]) -> Vec<String> {
    let mut dropped = Vec::new();
    for step in steps {
        match &step.operation {
            Operation::DropIndex { table: on, index, .. } if on == table => {
                dropped.push(index.name.clone())
            }
            Operation::DropConstraint {
                table: on,
                name,
                kind: ConstraintKind::PrimaryKey | ConstraintKind::Unique,
            } if on == table => dropped.push(name.clone()),
            Operation::AlterVectorColumn { table: on, dropped: indexes, .. } if on == table => {
                dropped.extend(indexes.iter().map(|index| index.name.clone()))
            }
            _ => {}
        }
    }
    dropped
}

/// The replica identity and `CLUSTER ON` of a table, once the steps for
/// its indexes and constraints are in `steps` (`old` is `None` for a new
/// table).
pub(crate) fn diff_index_uses(old: Option<&Table>, new: &Table, steps: &mut Vec<Step>) {
    let name = &new.name;
    let dropped = dropped_indexes(name, steps);
    let gone = |index: &str| dropped.iter().any(|dropped| dropped == index);
    let default_identity = ReplicaIdentity::Default;
    let old_identity = old.map_or(&default_identity, |old| &old.replica_identity);
    let old_cluster = old.and_then(|old| old.cluster_on.as_ref());
    // An identity on an index needs its columns NOT NULL: it comes after
    // they are set and goes before they are dropped.
    let not_null = |table: &Table, index: &str| -> Vec<Key> {
        table
            .index_key_columns(index)
            .into_iter()
            .map(|column| Key::NotNull(name.clone(), column))
            .collect()
    };
    let identity_step = |identity: &ReplicaIdentity| {
        Step::new(Operation::SetReplicaIdentity { table: name.clone(), identity: identity.clone() })
            .consumes([Key::Table(name.clone())])
            .consumes(identity.index().map(|index| index_key(name, index)))
            .consumes(identity.index().map(|index| not_null(new, index)).unwrap_or_default())
    };
    let off = |step: Step| match (old, old_identity.index()) {
        (Some(old), Some(index)) => step.releases(not_null(old, index)),
        _ => step,
    };

    // The replica identity: off an index the plan drops before it goes,
    // onto an index once it is there.
    let new_index = new.replica_identity.index();
    let recreated = new_index.is_some_and(gone);
    if *old_identity != new.replica_identity || recreated {
        match old_identity.index().filter(|index| gone(index)) {
            Some(old_index) => {
                let interim = match new_index {
                    Some(_) => &default_identity,
                    None => &new.replica_identity,
                };
                steps.push(off(identity_step(interim)).releases([index_key(name, old_index)]));
                if new_index.is_some() {
                    steps.push(identity_step(&new.replica_identity));
                }
            }
            None => steps.push(off(identity_step(&new.replica_identity))),
        }
    }

    // The index CLUSTER orders by: the mark goes with a dropped index.
    match &new.cluster_on {
        Some(index) if old_cluster != Some(index) || gone(index) => steps.push(
            Step::new(Operation::SetClusterOn { table: name.clone(), index: Some(index.clone()) })
                .consumes([Key::Table(name.clone()), index_key(name, index)]),
        ),
        Some(_) => {}
        None => {
            if let Some(index) = old_cluster.filter(|index| !gone(index)) {
                steps.push(
                    Step::new(Operation::SetClusterOn { table: name.clone(), index: None })
                        .consumes([Key::Table(name.clone())])
                        .releases([index_key(name, index)]),
                );
            }
        }
    }
}

/// `toast.name=value` or `name=value`, quoted as PostgreSQL prints them.
fn parameters_sql(set: &[(String, String)], toast_set: &[(String, String)]) -> Vec<String> {
    (set.iter().map(|(key, value)| parameter_sql("", key, value)))
        .chain(toast_set.iter().map(|(key, value)| parameter_sql("toast.", key, value)))
        .collect()
}

impl Family for Storage {
    fn describe(&self, operation: &Operation) -> String {
        let column_name = super::columns::column_name;
        match operation {
            Operation::SetUnlogged { table, unlogged: true } => {
                format!("set table {table} unlogged")
            }
            Operation::SetUnlogged { table, unlogged: false } => {
                format!("set table {table} logged")
            }
            Operation::SetTableParameters { table, .. } => {
                format!("set storage parameters of table {table}")
            }
            Operation::SetColumnStorage { table, column, .. } => {
                format!("set storage of column {}", column_name(table, column))
            }
            Operation::SetColumnCompression { table, column, .. } => {
                format!("set compression of column {}", column_name(table, column))
            }
            Operation::SetColumnStatistics { table, column, .. } => {
                format!("set statistics target of column {}", column_name(table, column))
            }
            Operation::SetReplicaIdentity { table, .. } => {
                format!("set replica identity of table {table}")
            }
            Operation::SetClusterOn { table, index: Some(index) } => {
                format!("cluster table {table} on {}", quote_ident(index))
            }
            Operation::SetClusterOn { table, index: None } => {
                format!("set table {table} without cluster")
            }
            other => super::not_mine("storage", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::SetReplicaIdentity { .. } | Operation::SetClusterOn { .. } => {
                Phase::IndexUses
            }
            _ => Phase::TableStorage,
        }
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::SetUnlogged { table, unlogged } => {
                let persistence = if *unlogged { "UNLOGGED" } else { "LOGGED" };
                vec![format!("ALTER TABLE {table} SET {persistence};")]
            }
            Operation::SetTableParameters { table, set, reset, toast_set, toast_reset } => {
                let mut actions = Vec::new();
                let set = parameters_sql(set, toast_set);
                if !set.is_empty() {
                    actions.push(format!("SET ({})", set.join(", ")));
                }
                let reset: Vec<String> = (reset.iter().map(|name| quote_ident(name)))
                    .chain(toast_reset.iter().map(|name| format!("toast.{}", quote_ident(name))))
                    .collect();
                if !reset.is_empty() {
                    actions.push(format!("RESET ({})", reset.join(", ")));
                }
                vec![format!("ALTER TABLE {table} {};", actions.join(", "))]
            }
            Operation::SetColumnStorage { table, column, storage, data_type } => {
                // The type's storage by name: `SET STORAGE DEFAULT` needs
                // PostgreSQL 16.
                let type_default = type_storage(data_type, &Default::default());
                let storage = storage.or(type_default.map(|(storage, _)| storage));
                vec![format!(
                    "ALTER TABLE {table} ALTER COLUMN {} SET STORAGE {};",
                    quote_ident(column),
                    storage.map_or("DEFAULT", |storage| storage.sql())
                )]
            }
            Operation::SetColumnCompression { table, column, compression } => vec![format!(
                "ALTER TABLE {table} ALTER COLUMN {} SET COMPRESSION {};",
                quote_ident(column),
                compression.as_deref().map_or_else(|| "DEFAULT".to_owned(), quote_ident)
            )],
            Operation::SetColumnStatistics { table, column, target } => vec![format!(
                "ALTER TABLE {table} ALTER COLUMN {} SET STATISTICS {};",
                quote_ident(column),
                target.unwrap_or(-1)
            )],
            Operation::SetReplicaIdentity { table, identity } => {
                vec![replica_identity_sql(table, identity)]
            }
            Operation::SetClusterOn { table, index } => vec![cluster_on_sql(table, index.as_ref())],
            other => super::not_mine("storage", other),
        }
    }
}
