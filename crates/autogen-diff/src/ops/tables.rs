//! Tables: created (with their columns, primary key, unique, valid check
//! and exclusion constraints inline; the rest as steps of their own), dropped
//! (foreign keys between dropped tables first), and — for a table on both
//! sides — the comparison of its columns, constraints, indexes and comment,
//! each in its family's module.

use std::collections::BTreeSet;

use autogen_schema::ddl::{column_settings_sql, Renderer};
use autogen_schema::expression::mentions_type;
use autogen_schema::{Column, Index, QualifiedName, Schema, SqlType, Table};

use super::comments::{comment_column, comment_table};
use super::{columns, constraints, indexes, partitions, statistics, storage, Family};
use crate::operation::{
    collation_keys, column_keys, index_key, type_keys, Hazard, Key, Operation, Step,
};
use crate::order::Phase;

/// `CREATE TABLE` / `DROP TABLE`.
pub(super) struct Tables;

/// Tables created, dropped and changed.
pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    let swapped = super::enums::swapped(from, to);
    let parents: BTreeSet<&QualifiedName> =
        to.tables.values().flat_map(|table| table.parents()).collect();
    for (name, table) in &to.tables {
        let start = steps.len();
        match from.tables.get(name) {
            None => match partitions::as_created(to, table) {
                Some(created) => create_partition((from, to), (&created, table), &swapped, steps),
                None => create_table(to, table, steps),
            },
            Some(old) => {
                // What its parents' changes leave of it.
                let old: &Table = &partitions::propagated(from, to, old, table);
                let casts = swapped.iter().any(|name| table_casts_to(old, name));
                if old != table || casts {
                    let (old_seen, new_seen) =
                        partitions::around_inheritance((from, to), (old, table));
                    let first = steps.len();
                    alter_table((from, to), (&old_seen, &new_seen), &swapped, steps);
                    if partitions::detached_for_good(old, table) {
                        // What it had from its parent is its own once detached.
                        for step in &mut steps[first..] {
                            step.consumes.push(Key::Detached(name.clone()));
                        }
                    }
                    partitions::diff_table((from, to), (old, table), steps);
                }
            }
        }
        partitions::mark_family(table, parents.contains(name), &mut steps[start..]);
    }
    for (name, table) in &from.tables {
        if to.tables.contains_key(name) {
            continue;
        }
        // A foreign key to another table that goes too is dropped first:
        // tables that reference each other cannot go one after the other.
        let mut kept = table.clone();
        kept.foreign_keys.retain(|key| {
            let between_dropped = key.referenced_table != *name
                && from.tables.contains_key(&key.referenced_table)
                && !to.tables.contains_key(&key.referenced_table);
            if between_dropped {
                steps.push(constraints::drop_foreign_key(from, name, key));
            }
            !between_dropped
        });
        let mut step = drop_table(from, &kept);
        step.operation = Operation::DropTable(table.clone());
        steps.push(step);
    }
    constraints::foreign_keys_on_replaced_keys(from, to, steps);
}

/// `CREATE TABLE … PARTITION OF …` (`created`: what it makes), then what
/// partition `table` has of its own.
fn create_partition(
    (from, to): (&Schema, &Schema),
    (created, table): (&Table, &Table),
    swapped: &BTreeSet<QualifiedName>,
    steps: &mut Vec<Step>,
) {
    let name = &table.name;
    let mut produces = vec![Key::Table(name.clone()), Key::PartitionOf(name.clone())];
    produces.extend(column_keys(name, created.columns.iter().map(|column| &column.name)));
    let mut step = Step::new(Operation::CreateTable(created.clone()))
        .produces(produces)
        .consumes([Key::Schema(name.schema.clone())])
        .consumes(partitions::parent_keys(to, table));
    // The enum values its bound names that the plan adds commit first.
    step.uses = partitions::bound_enum_uses(from, to, table);
    steps.push(step);
    alter_table((to, to), (created, table), swapped, steps);
}

fn create_table(to: &Schema, table: &Table, steps: &mut Vec<Step>) {
    let name = &table.name;
    let mut produces = vec![Key::Table(name.clone())];
    produces.extend(column_keys(name, table.columns.iter().map(|column| &column.name)));
    let mut consumes = vec![Key::Schema(name.schema.clone())];
    consumes.extend(partitions::parent_keys(to, table));
    for column in &table.columns {
        consumes.extend(type_keys(&column.data_type));
        consumes.extend(collation_keys(column.collation.as_ref()));
        consumes.extend(columns::sequence_keys(column));
    }
    if let Some(key) = &table.primary_key {
        produces.push(Key::Constraint(name.clone(), key.name.clone()));
        produces.push(index_key(name, &key.name));
    }
    for unique in &table.unique_constraints {
        produces.push(Key::Constraint(name.clone(), unique.name.clone()));
        produces.push(index_key(name, &unique.name));
    }
    for check in table.check_constraints.iter().filter(|check| !check.not_valid) {
        produces.push(Key::Constraint(name.clone(), check.name.clone()));
    }
    for exclusion in &table.exclusion_constraints {
        produces.push(Key::Constraint(name.clone(), exclusion.name.clone()));
        produces.push(index_key(name, &exclusion.name));
        // Its columns come with the table; the types its expressions cast
        // to and the extensions of its operator classes come before.
        consumes.extend(
            constraints::exclusion_keys(to, table, exclusion)
                .into_iter()
                .filter(|key| !matches!(key, Key::Column(..))),
        );
    }
    consumes.extend(super::functions::table_routine_keys(to, table));
    let mut created = table.clone();
    // What it has only from its parents comes with `INHERITS`.
    created.columns.retain(|column| !column.inherited_only.0);
    created.foreign_keys.clear();
    created.indexes.clear();
    created.check_constraints.retain(|check| !check.not_valid);
    created.comment = None;
    created.replica_identity = Default::default();
    created.cluster_on = None;
    created.statistics.clear();
    for column in &mut created.columns {
        column.comment = None;
    }
    steps.push(Step::new(Operation::CreateTable(created)).produces(produces).consumes(consumes));
    for check in table.check_constraints.iter().filter(|check| check.not_valid) {
        steps.push(constraints::add_check(to, table, check, false));
    }
    for index in &table.indexes {
        steps.push(indexes::create_index(to, table, index, false));
    }
    storage::diff_index_uses(None, table, steps);
    statistics::diff_table((to, to), (None, table), &|_| false, steps);
    for key in &table.foreign_keys {
        steps.push(constraints::add_foreign_key(to, name, key, false));
    }
    if table.comment.is_some() {
        steps.push(comment_table(name, &table.comment));
    }
    for column in table.columns.iter().filter(|column| column.comment.is_some()) {
        steps.push(comment_column(name, &column.name, &column.comment));
    }
}

fn drop_table(from: &Schema, table: &Table) -> Step {
    let name = &table.name;
    let mut removes = vec![Key::Table(name.clone())];
    removes.extend(column_keys(name, table.columns.iter().map(|column| &column.name)));
    let mut releases = vec![Key::Schema(name.schema.clone())];
    // A partition or child goes before its parent.
    releases.extend(table.parents().into_iter().map(|parent| Key::Table(parent.clone())));
    for column in &table.columns {
        releases.extend(type_keys(&column.data_type));
        releases.extend(collation_keys(column.collation.as_ref()));
        releases.extend(columns::sequence_keys(column));
    }
    releases.extend(super::functions::table_routine_keys(from, table));
    let constraint_names = (table.primary_key.iter().map(|key| &key.name))
        .chain(table.unique_constraints.iter().map(|unique| &unique.name))
        .chain(table.check_constraints.iter().map(|check| &check.name))
        .chain(table.foreign_keys.iter().map(|key| &key.name))
        .chain(table.exclusion_constraints.iter().map(|exclusion| &exclusion.name));
    removes.extend(
        constraint_names.map(|constraint| Key::Constraint(name.clone(), constraint.clone())),
    );
    let index_names = (table.primary_key.iter().map(|key| &key.name))
        .chain(table.unique_constraints.iter().map(|unique| &unique.name))
        .chain(table.exclusion_constraints.iter().map(|exclusion| &exclusion.name))
        .chain(table.indexes.iter().map(|index| &index.name));
    removes.extend(index_names.map(|index| index_key(name, index)));
    for exclusion in &table.exclusion_constraints {
        releases.extend(
            constraints::exclusion_keys(from, table, exclusion)
                .into_iter()
                .filter(|key| !matches!(key, Key::Column(..))),
        );
    }
    removes.extend(table.statistics.iter().map(statistics::statistics_key));
    for key in table.foreign_keys.iter().filter(|key| key.referenced_table != *name) {
        releases.push(Key::Table(key.referenced_table.clone()));
        releases.extend(constraints::referenced_key(from, key));
    }
    Step::new(Operation::DropTable(table.clone()))
        .hazard(Hazard::DataLoss)
        .removes(removes)
        .releases(releases)
}

fn alter_table(
    (from, to): (&Schema, &Schema),
    (old, new): (&Table, &Table),
    swapped: &BTreeSet<QualifiedName>,
    steps: &mut Vec<Step>,
) {
    let name = &new.name;
    // Checks and indexes that compare with a literal of an enum being
    // swapped cannot stay while its columns move to the new type: they are
    // dropped before the swap and added again after it.
    let through_swap =
        |expression: &str| swapped.iter().any(|name| mentions_type(expression, name));
    let rebuilt = columns::rebuilt_vector_columns(old, new);
    let rebuilds = |index: &Index| rebuilt.iter().any(|column| index.uses_column(column));
    // What PostgreSQL drops with a column dropped and added again is built
    // again: compared from `old` without it.
    let replaced = columns::replaced_columns(old, new);
    let (kept, taken) = columns::without_dependents(old, &replaced);
    columns::diff_table((old, new), &rebuilt, (&replaced, &taken), steps);
    let old = &kept;
    constraints::diff_table((from, to), (old, new), &through_swap, steps);
    indexes::diff_table((from, to), (old, new), &rebuilds, &through_swap, steps);
    storage::diff_table((from, to), (old, new), steps);
    storage::diff_index_uses(Some(old), new, steps);
    let retyped = |column: &str| {
        let type_of = |table: &Table| {
            table.column(column).map(|column| (column.data_type.clone(), column.collation.clone()))
        };
        type_of(old) != type_of(new)
    };
    statistics::diff_table((from, to), (Some(old), new), &retyped, steps);
    if old.comment != new.comment {
        steps.push(comment_table(name, &new.comment));
    }
}

/// Whether a check, exclusion constraint or index of `table` casts to type
/// `name`.
fn table_casts_to(table: &Table, name: &QualifiedName) -> bool {
    table.check_constraints.iter().any(|check| mentions_type(&check.expression, name))
        || (table.exclusion_constraints.iter())
            .flat_map(|exclusion| exclusion.expressions())
            .any(|text| mentions_type(text, name))
        || table
            .indexes
            .iter()
            .flat_map(indexes::index_expressions)
            .any(|text| mentions_type(text, name))
}

/// A column dropped and one added with the same type in the same table, or
/// a table dropped and one created with the same columns: likely renames
/// that the plan makes drops (data lost). Each gets a warning with the
/// hint that would make it a rename.
pub(crate) fn rename_suspects(
    from: &Schema,
    to: &Schema,
    moved: &[super::repartition::SetAside],
) -> Vec<String> {
    let mut warnings = Vec::new();
    for (name, new) in &to.tables {
        let Some(old) = from.tables.get(name) else { continue };
        let dropped: Vec<&Column> =
            old.columns.iter().filter(|column| new.column(&column.name).is_none()).collect();
        let added: Vec<&Column> =
            new.columns.iter().filter(|column| old.column(&column.name).is_none()).collect();
        for column in &dropped {
            let alike: Vec<&&Column> =
                added.iter().filter(|added| added.data_type == column.data_type).collect();
            if let [only] = alike.as_slice() {
                warnings.push(format!(
                    "column {name}.{} is dropped and {} added with the same type; if it was renamed, \
                     say so: #[autogen(renamed_from = \"{}\")] on the model's field, or in hints.toml \
                     [columns] \"{}.{}.{}\" = \"{}\"",
                    column.name, only.name, column.name, name.schema, name.name, column.name, only.name
                ));
            }
        }
    }
    let signature = |table: &Table| -> Vec<(String, SqlType)> {
        table.columns.iter().map(|column| (column.name.clone(), column.data_type.clone())).collect()
    };
    // A partition is a rename suspect only of a partition in its place.
    let alike = |old: &Table, new: &Table| match (&old.partition_of, &new.partition_of) {
        (None, None) => true,
        (Some(before), Some(after)) => before == after,
        _ => false,
    };
    for (name, old) in from.tables.iter().filter(|(name, _)| !to.tables.contains_key(*name)) {
        if moved.iter().any(|moved| moved.old_family(from).contains(name)) {
            continue;
        }
        for (new_name, new) in
            to.tables.iter().filter(|(new_name, _)| !from.tables.contains_key(*new_name))
        {
            if moved.iter().any(|moved| moved.new_family(to).contains(new_name)) {
                continue;
            }
            if new_name.schema == name.schema && signature(old) == signature(new) && alike(old, new)
            {
                warnings.push(format!(
                    "table {name} is dropped and {new_name} created with the same columns; if it was \
                     renamed, say so: #[autogen(renamed_from = \"{}\")] on the model, or in hints.toml \
                     [tables] \"{}.{}\" = \"{}\"",
                    name.name, name.schema, name.name, new_name.name
                ));
            }
        }
    }
    warnings
}

impl Family for Tables {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::CreateTable(table) => format!("create table {}", table.name),
            Operation::DropTable(table) => format!("drop table {}", table.name),
            other => super::not_mine("tables", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::CreateTable(_) => Phase::CreateTables,
            _ => Phase::DropTables,
        }
    }

    fn sql(&self, operation: &Operation, renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::CreateTable(table) => {
                let mut statements = vec![renderer.create_table(table)];
                for column in &table.columns {
                    statements.extend(column_settings_sql(&table.name, column));
                }
                statements
            }
            Operation::DropTable(table) => vec![format!("DROP TABLE {};", table.name)],
            other => super::not_mine("tables", other),
        }
    }

    fn expressions<'o>(&self, operation: &'o Operation) -> Vec<&'o str> {
        let Operation::CreateTable(table) = operation else { return Vec::new() };
        // A partition's bound may name an enum's value.
        let bound = match &table.partition_of {
            Some(autogen_schema::PartitionOf {
                bound: autogen_schema::PartitionBound::Values(values),
                ..
            }) => Some(&values.text),
            _ => None,
        };
        (table.columns.iter())
            .flat_map(|column| column.default.iter().chain(&column.generated))
            .chain(table.check_constraints.iter().map(|check| &check.expression))
            .chain(bound)
            .map(String::as_str)
            .chain(table.exclusion_constraints.iter().flat_map(|exclusion| exclusion.expressions()))
            .collect()
    }

    fn comes_back_empty(&self, operation: &Operation, dropped_by: &[Step]) -> bool {
        // What the up migration dropped with its data comes back empty
        // (not a table whose rows it moved first: its drop loses none).
        let Operation::CreateTable(table) = operation else { return false };
        dropped_by.iter().any(|dropped| {
            matches!(&dropped.operation, Operation::DropTable(t) if t.name == table.name)
                && dropped.hazards.contains(&Hazard::DataLoss)
        })
    }
}
