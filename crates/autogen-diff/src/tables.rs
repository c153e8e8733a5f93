//! Tables and what they hold: columns, constraints, indexes, comments.
//! A constraint or index whose definition changed is dropped and added
//! again; an index that only changed its name is renamed.

use std::collections::BTreeSet;

use autogen_schema::{
    Column, ForeignKey, Index, PrimaryKey, QualifiedName, Schema, SqlType, Table,
};

use crate::operation::{index_key, type_keys, ConstraintKind, Hazard, Key, Operation, Step};

pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    let swapped = crate::types::swapped(from, to);
    for (name, table) in &to.tables {
        match from.tables.get(name) {
            None => create_table(to, table, steps),
            Some(old) if old == table && !swapped.iter().any(|name| table_casts_to(old, name)) => {}
            Some(old) => alter_table((from, to), (old, table), &swapped, steps),
        }
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
                steps.push(drop_foreign_key(from, name, key));
            }
            !between_dropped
        });
        let mut step = drop_table(from, &kept);
        step.operation = Operation::DropTable(table.clone());
        steps.push(step);
    }
    foreign_keys_on_replaced_keys(from, to, steps);
}

fn column_key(table: &QualifiedName, column: &str) -> Key {
    Key::Column(table.clone(), column.to_owned())
}

fn column_keys<'c>(
    table: &'c QualifiedName,
    columns: impl IntoIterator<Item = &'c String> + 'c,
) -> impl Iterator<Item = Key> + 'c {
    columns.into_iter().map(move |column| column_key(table, column))
}

fn create_table(to: &Schema, table: &Table, steps: &mut Vec<Step>) {
    let name = &table.name;
    let mut produces = vec![Key::Table(name.clone())];
    produces.extend(column_keys(name, table.columns.iter().map(|column| &column.name)));
    let mut consumes = vec![Key::Schema(name.schema.clone())];
    for column in &table.columns {
        consumes.extend(type_keys(&column.data_type));
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
    let mut created = table.clone();
    created.foreign_keys.clear();
    created.indexes.clear();
    created.check_constraints.retain(|check| !check.not_valid);
    created.comment = None;
    for column in &mut created.columns {
        column.comment = None;
    }
    steps.push(Step::new(Operation::CreateTable(created)).produces(produces).consumes(consumes));
    for check in table.check_constraints.iter().filter(|check| check.not_valid) {
        steps.push(add_check(to, table, check, false));
    }
    for index in &table.indexes {
        steps.push(create_index(to, table, index, false));
    }
    for key in &table.foreign_keys {
        steps.push(add_foreign_key(to, name, key, false));
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
    for column in &table.columns {
        releases.extend(type_keys(&column.data_type));
    }
    let constraint_names = (table.primary_key.iter().map(|key| &key.name))
        .chain(table.unique_constraints.iter().map(|unique| &unique.name))
        .chain(table.check_constraints.iter().map(|check| &check.name))
        .chain(table.foreign_keys.iter().map(|key| &key.name));
    removes.extend(
        constraint_names.map(|constraint| Key::Constraint(name.clone(), constraint.clone())),
    );
    let index_names = (table.primary_key.iter().map(|key| &key.name))
        .chain(table.unique_constraints.iter().map(|unique| &unique.name))
        .chain(table.indexes.iter().map(|index| &index.name));
    removes.extend(index_names.map(|index| index_key(name, index)));
    for key in table.foreign_keys.iter().filter(|key| key.referenced_table != *name) {
        releases.push(Key::Table(key.referenced_table.clone()));
        releases.extend(referenced_key(from, key));
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
    let through_swap = |expression: &str| swapped.iter().any(|name| casts_to(expression, name));
    let index_through_swap = |index: &Index| index_expressions(index).any(through_swap);
    // pgvector columns whose kind or dimensions change: their indexes are
    // dropped and built again in the same step (see `alter_vector_column`),
    // not by the index comparison below.
    let rebuilt: BTreeSet<&str> = new
        .columns
        .iter()
        .filter(|column| {
            old.column(&column.name).is_some_and(|before| {
                vector_type_change(&before.data_type, &column.data_type)
                    && !structural_change(before, column)
            })
        })
        .map(|column| column.name.as_str())
        .collect();
    let rebuilds = |index: &Index| rebuilt.iter().any(|column| index.uses_column(column));
    for (position, column) in new.columns.iter().enumerate() {
        match old.column(&column.name) {
            None => {
                // Added columns go on in declared order: each after the one
                // before it, when that one is added too.
                let previous = position.checked_sub(1).map(|previous| &new.columns[previous].name);
                steps.push(
                    add_column(name, column)
                        .consumes(previous.map(|previous| column_key(name, previous))),
                );
                if column.comment.is_some() {
                    steps.push(comment_column(name, &column.name, &column.comment));
                }
            }
            Some(before) if rebuilt.contains(column.name.as_str()) => {
                let on_column = |index: &&Index| index.uses_column(&column.name);
                let dropped = old.indexes.iter().filter(on_column).cloned().collect();
                let created = new.indexes.iter().filter(on_column).cloned().collect();
                steps.push(alter_vector_column((old, new), before, column, dropped, created));
                alter_column_besides_type(name, before, column, steps);
            }
            Some(before) => alter_column(name, before, column, steps),
        }
    }
    for column in &old.columns {
        if new.column(&column.name).is_none() {
            steps.push(drop_column(name, column));
        }
    }

    let key_renamed = match (&old.primary_key, &new.primary_key) {
        (Some(before), Some(after)) if before.name != after.name => {
            (PrimaryKey { name: after.name.clone(), ..before.clone() }) == *after
        }
        _ => false,
    };
    if key_renamed {
        let (before, after) = (old.primary_key.as_ref(), new.primary_key.as_ref());
        let (before, after) = (before.expect("renamed"), after.expect("renamed"));
        steps.push(rename_constraint(name, &before.name, &after.name, ConstraintKind::PrimaryKey));
    } else if old.primary_key != new.primary_key {
        if let Some(key) = &old.primary_key {
            steps.push(drop_constraint(
                name,
                &key.name,
                ConstraintKind::PrimaryKey,
                &key.columns,
                true,
            ));
        }
        if let Some(key) = &new.primary_key {
            steps.push(
                Step::new(Operation::AddPrimaryKey { table: name.clone(), key: key.clone() })
                    .hazard(Hazard::BlockingLock)
                    .hazard(Hazard::MayFailOnData)
                    .produces([
                        Key::Constraint(name.clone(), key.name.clone()),
                        index_key(name, &key.name),
                    ])
                    .consumes([Key::Table(name.clone())])
                    .consumes(column_keys(name, &key.columns)),
            );
        }
    }
    let renamed_uniques =
        renamed(&old.unique_constraints, &new.unique_constraints, |unique| &unique.name);
    for (before, after) in &renamed_uniques {
        steps.push(rename_constraint(name, before, after, ConstraintKind::Unique));
    }
    let renamed_checks =
        renamed(&old.check_constraints, &new.check_constraints, |check| &check.name);
    for (before, after) in &renamed_checks {
        steps.push(rename_constraint(name, before, after, ConstraintKind::Check));
    }
    let renamed_keys = renamed(&old.foreign_keys, &new.foreign_keys, |key| &key.name);
    for (before, after) in &renamed_keys {
        steps.push(rename_constraint(name, before, after, ConstraintKind::ForeignKey));
    }
    let is_renamed = |pairs: &[(String, String)], name: &str| {
        pairs.iter().any(|(before, after)| before == name || after == name)
    };
    for unique in &new.unique_constraints {
        if is_renamed(&renamed_uniques, &unique.name) {
            continue;
        }
        let before = old.unique_constraints.iter().find(|old| old.name == unique.name);
        if before == Some(unique) {
            continue;
        }
        if let Some(before) = before {
            steps.push(drop_constraint(
                name,
                &before.name,
                ConstraintKind::Unique,
                &before.columns,
                true,
            ));
        }
        steps.push(
            Step::new(Operation::AddUnique { table: name.clone(), unique: unique.clone() })
                .hazard(Hazard::BlockingLock)
                .hazard(Hazard::MayFailOnData)
                .produces([
                    Key::Constraint(name.clone(), unique.name.clone()),
                    index_key(name, &unique.name),
                ])
                .consumes([Key::Table(name.clone())])
                .consumes(column_keys(name, &unique.columns)),
        );
    }
    for unique in &old.unique_constraints {
        if !new.unique_constraints.iter().any(|new| new.name == unique.name)
            && !is_renamed(&renamed_uniques, &unique.name)
        {
            steps.push(drop_constraint(
                name,
                &unique.name,
                ConstraintKind::Unique,
                &unique.columns,
                true,
            ));
        }
    }
    for check in &new.check_constraints {
        if is_renamed(&renamed_checks, &check.name) {
            continue;
        }
        let before = old.check_constraints.iter().find(|old| old.name == check.name);
        let swap = through_swap(&check.expression);
        if before == Some(check) && !swap {
            continue;
        }
        if let Some(before) = before {
            if before.not_valid
                && !check.not_valid
                && before.expression == check.expression
                && !swap
            {
                steps.push(validate(name, &check.name));
                continue;
            }
            steps.push(drop_check(from, old, before));
        }
        steps.push(add_check(to, new, check, true));
    }
    for check in &old.check_constraints {
        if !new.check_constraints.iter().any(|new| new.name == check.name)
            && !is_renamed(&renamed_checks, &check.name)
        {
            steps.push(drop_check(from, old, check));
        }
    }
    for key in &new.foreign_keys {
        if is_renamed(&renamed_keys, &key.name) {
            continue;
        }
        let before = old.foreign_keys.iter().find(|old| old.name == key.name);
        if before == Some(key) {
            continue;
        }
        if let Some(before) = before {
            if before.not_valid
                && !key.not_valid
                && (ForeignKey { not_valid: false, ..before.clone() }) == *key
            {
                steps.push(validate(name, &key.name));
                continue;
            }
            steps.push(drop_foreign_key(from, name, before));
        }
        steps.push(add_foreign_key(to, name, key, true));
    }
    for key in &old.foreign_keys {
        if !new.foreign_keys.iter().any(|new| new.name == key.name)
            && !is_renamed(&renamed_keys, &key.name)
        {
            steps.push(drop_foreign_key(from, name, key));
        }
    }

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
                && Index { name: index.name.clone(), ..(**old).clone() } == **index
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

    if old.comment != new.comment {
        steps.push(comment_table(name, &new.comment));
    }
}

/// Constraints that differ only in name, as (old name, new name): each old
/// one gone from `new` paired with the first new one not in `old` that is
/// the same but for its name. Renamed, not dropped and added.
fn renamed<T: Clone + PartialEq + Named>(
    old: &[T],
    new: &[T],
    name: impl Fn(&T) -> &String,
) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for before in old.iter().filter(|before| !new.iter().any(|after| name(after) == name(before))) {
        let same = new.iter().find(|after| {
            !old.iter().any(|old| name(old) == name(after))
                && !pairs.iter().any(|(_, taken)| taken == name(after))
                && before.with_name(name(after)) == **after
        });
        if let Some(after) = same {
            pairs.push((name(before).clone(), name(after).clone()));
        }
    }
    pairs
}

/// A constraint that can be compared under another name.
trait Named: Sized {
    fn with_name(&self, name: &str) -> Self;
}

impl Named for autogen_schema::UniqueConstraint {
    fn with_name(&self, name: &str) -> Self {
        Self { name: name.to_owned(), ..self.clone() }
    }
}

impl Named for autogen_schema::CheckConstraint {
    fn with_name(&self, name: &str) -> Self {
        Self { name: name.to_owned(), ..self.clone() }
    }
}

impl Named for ForeignKey {
    fn with_name(&self, name: &str) -> Self {
        Self { name: name.to_owned(), ..self.clone() }
    }
}

/// `ALTER TABLE t RENAME CONSTRAINT old TO new` (a primary key's or unique
/// constraint's index is renamed with it).
fn rename_constraint(table: &QualifiedName, old: &str, new: &str, kind: ConstraintKind) -> Step {
    let has_index = matches!(kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique);
    let mut step = Step::new(Operation::RenameConstraint {
        table: table.clone(),
        old: old.to_owned(),
        new: new.to_owned(),
        kind,
    })
    .removes([Key::Constraint(table.clone(), old.to_owned())])
    .produces([Key::Constraint(table.clone(), new.to_owned())])
    .consumes([Key::Table(table.clone())]);
    if has_index {
        step = step.removes([index_key(table, old)]).produces([index_key(table, new)]);
    }
    step
}

fn add_column(table: &QualifiedName, column: &Column) -> Step {
    let mut step = Step::new(Operation::AddColumn { table: table.clone(), column: column.clone() })
        .produces([column_key(table, &column.name)])
        .consumes([Key::Table(table.clone())])
        .consumes(type_keys(&column.data_type));
    if !column.nullable
        && column.default.is_none()
        && column.identity.is_none()
        && column.generated.is_none()
    {
        step = step.hazard(Hazard::MayFailOnData);
    }
    if column.generated.is_some() || column.identity.is_some() {
        step = step.hazard(Hazard::TableRewrite);
    }
    step
}

fn drop_column(table: &QualifiedName, column: &Column) -> Step {
    Step::new(Operation::DropColumn { table: table.clone(), column: column.clone() })
        .hazard(Hazard::DataLoss)
        .removes([column_key(table, &column.name)])
        .releases(type_keys(&column.data_type))
}

/// Whether the column is replaced rather than altered: its generation
/// expression changed, or its sequence moved to another schema.
fn structural_change(old: &Column, new: &Column) -> bool {
    fn schema_of(column: &Column) -> Option<&String> {
        column
            .identity
            .as_ref()
            .map(|identity| &identity.sequence_name.schema)
            .or(column.owned_sequence.as_ref().map(|sequence| &sequence.name.schema))
    }
    old.generated != new.generated
        || matches!((schema_of(old), schema_of(new)), (Some(old), Some(new)) if old != new)
}

/// The key of the sequence a column owns, if any.
fn owned_sequence_key(column: &Column) -> Option<Key> {
    column.owned_sequence.as_ref().map(|sequence| Key::Sequence(sequence.name.clone()))
}

/// A column's sequence renamed, created, altered or dropped.
fn sequences(table: &QualifiedName, old: &Column, new: &Column, steps: &mut Vec<Step>) {
    let identities = old.identity.as_ref().zip(new.identity.as_ref());
    let identity_names =
        identities.map(|(before, after)| (&before.sequence_name, &after.sequence_name));
    let owned = old.owned_sequence.as_ref().zip(new.owned_sequence.as_ref());
    let owned_names = owned.map(|(before, after)| (&before.name, &after.name));
    if let Some((before, after)) = identity_names.or(owned_names) {
        if before != after {
            steps.push(
                Step::new(Operation::RenameSequence {
                    table: table.clone(),
                    old: before.clone(),
                    new: after.name.clone(),
                })
                .removes([Key::Sequence(before.clone())])
                .produces([Key::Sequence(after.clone())])
                .consumes([column_key(table, &new.name)]),
            );
        }
    }
    match (&old.owned_sequence, &new.owned_sequence) {
        (Some(before), Some(after)) => {
            if before.data_type != after.data_type || before.options != after.options {
                let mut step = Step::new(Operation::AlterOwnedSequence {
                    from: before.clone(),
                    to: after.clone(),
                })
                .consumes([Key::Sequence(after.name.clone())]);
                // A smaller type or range refuses a sequence already past it.
                if narrows(&before.data_type, &after.data_type)
                    || after.options.max_value.is_some()
                    || after.options.min_value.is_some()
                {
                    step = step.hazard(Hazard::MayFailOnData);
                }
                steps.push(step);
            }
        }
        (None, Some(after)) => steps.push(
            Step::new(Operation::CreateOwnedSequence {
                table: table.clone(),
                column: new.name.clone(),
                sequence: after.clone(),
            })
            .produces([Key::Sequence(after.name.clone())])
            .consumes([column_key(table, &new.name), Key::Schema(after.name.schema.clone())]),
        ),
        (Some(before), None) => steps.push(
            Step::new(Operation::DropOwnedSequence {
                table: table.clone(),
                column: new.name.clone(),
                sequence: before.clone(),
            })
            .removes([Key::Sequence(before.name.clone())]),
        ),
        (None, None) => {}
    }
}

/// `old`'s default as it prints once its sequence carries `new`'s name:
/// `nextval('users_id_seq'::regclass)` follows a rename of the sequence.
fn default_after_renames(old: &Column, new: &Column) -> Option<String> {
    let default = old.default.clone()?;
    match (&old.owned_sequence, &new.owned_sequence) {
        (Some(before), Some(after)) if before.name != after.name => {
            let literal = |name: &QualifiedName| {
                autogen_schema::quote_literal(&autogen_schema::sequence_reference(name))
            };
            Some(default.replace(&literal(&before.name), &literal(&after.name)))
        }
        _ => Some(default),
    }
}

/// A type change to or from a pgvector type (kind or dimensions).
fn vector_type_change(from: &SqlType, to: &SqlType) -> bool {
    from != to && (matches!(from, SqlType::Vector { .. }) || matches!(to, SqlType::Vector { .. }))
}

/// The compound step for a pgvector column's new kind or dimensions: the
/// indexes on it dropped, `ALTER COLUMN … TYPE`, the indexes (as declared
/// now) created again. Rows already there hold values of the old size, so
/// the change fails unless they are NULL: the plan says so.
fn alter_vector_column(
    (old_table, new_table): (&Table, &Table),
    old: &Column,
    new: &Column,
    dropped: Vec<Index>,
    created: Vec<Index>,
) -> Step {
    let table = &new_table.name;
    let mut step = Step::new(Operation::AlterVectorColumn {
        table: table.clone(),
        from: old.clone(),
        to: new.clone(),
        using: needs_using(&old.data_type, &new.data_type),
        dropped: dropped.clone(),
        created: created.clone(),
    })
    .hazard(Hazard::TableRewrite)
    .hazard(Hazard::BlockingLock)
    .hazard(Hazard::MayFailOnData)
    .consumes([Key::Table(table.clone()), column_key(table, &new.name)])
    .consumes(type_keys(&new.data_type))
    .releases(type_keys(&old.data_type));
    for index in &dropped {
        step = step.releases(index_column_keys(old_table, index));
        if !created.iter().any(|created| created.name == index.name) {
            step = step.removes([index_key(table, &index.name)]);
        }
    }
    for index in &created {
        step = step
            .produces([index_key(table, &index.name)])
            .consumes(index_column_keys(new_table, index));
    }
    step
}

fn alter_column(table: &QualifiedName, old: &Column, new: &Column, steps: &mut Vec<Step>) {
    if structural_change(old, new) {
        // Identity, generation and owned sequences are replaced with the
        // column for now: the data goes, and the plan says so.
        steps.push(drop_column(table, old));
        steps.push(add_column(table, new));
        if new.comment.is_some() {
            steps.push(comment_column(table, &new.name, &new.comment));
        }
        return;
    }
    sequences(table, old, new, steps);
    let type_changed = old.data_type != new.data_type || old.collation != new.collation;
    if type_changed {
        let using = needs_using(&old.data_type, &new.data_type);
        let mut step = Step::new(Operation::AlterColumnType {
            table: table.clone(),
            from: old.clone(),
            to: new.clone(),
            using,
        })
        .consumes([Key::Table(table.clone()), column_key(table, &new.name)])
        .consumes(type_keys(&new.data_type))
        .consumes(owned_sequence_key(new))
        .releases(type_keys(&old.data_type))
        .releases(owned_sequence_key(old));
        if !binary_compatible(&old.data_type, &new.data_type) {
            step = step.hazard(Hazard::TableRewrite).hazard(Hazard::BlockingLock);
        }
        if using || narrows(&old.data_type, &new.data_type) {
            step = step.hazard(Hazard::MayFailOnData);
        }
        if loses_data(&old.data_type, &new.data_type) {
            step = step.hazard(Hazard::DataLoss);
        }
        steps.push(step);
    }
    alter_column_besides_type(table, old, new, steps);
}

/// The changes of a column other than its type: identity, nullability,
/// default (unless a type change sets it again), comment.
fn alter_column_besides_type(
    table: &QualifiedName,
    old: &Column,
    new: &Column,
    steps: &mut Vec<Step>,
) {
    let type_changed = old.data_type != new.data_type || old.collation != new.collation;
    let identity_changed = match (&old.identity, &new.identity) {
        (Some(before), Some(after)) => {
            before.generation != after.generation || before.options != after.options
        }
        (before, after) => before.is_some() != after.is_some(),
    };
    if identity_changed {
        let mut step = Step::new(Operation::AlterIdentity {
            table: table.clone(),
            column: new.name.clone(),
            from: old.identity.clone(),
            to: new.identity.clone(),
            nullable: new.nullable,
        })
        .consumes([column_key(table, &new.name)])
        .produces(
            new.identity
                .iter()
                .filter(|_| old.identity.is_none())
                .map(|identity| Key::Sequence(identity.sequence_name.clone())),
        )
        .removes(
            old.identity
                .iter()
                .filter(|_| new.identity.is_none())
                .map(|identity| Key::Sequence(identity.sequence_name.clone())),
        );
        if old.identity.is_none() && old.nullable {
            // SET NOT NULL first: a scan, and rows with NULL refuse it.
            step = step.hazard(Hazard::BlockingLock).hazard(Hazard::MayFailOnData);
        }
        steps.push(step);
    }
    // Adding or dropping an identity sets NOT NULL itself.
    let identity_sets_nullable =
        identity_changed && (old.identity.is_none() || new.identity.is_none());
    if old.nullable != new.nullable && !identity_sets_nullable {
        let mut step = Step::new(Operation::SetNullable {
            table: table.clone(),
            column: new.name.clone(),
            nullable: new.nullable,
        })
        .consumes([column_key(table, &new.name)]);
        if !new.nullable {
            step = step.hazard(Hazard::BlockingLock).hazard(Hazard::MayFailOnData);
        }
        steps.push(step);
    }
    // A type change sets the default again itself.
    if default_after_renames(old, new) != new.default
        && !(type_changed && (old.default.is_some() || new.default.is_some()))
    {
        steps.push(
            Step::new(Operation::SetDefault {
                table: table.clone(),
                column: new.name.clone(),
                default: new.default.clone(),
            })
            .consumes([column_key(table, &new.name)])
            .consumes(type_keys(&new.data_type))
            .consumes(owned_sequence_key(new))
            .releases(owned_sequence_key(old)),
        );
    }
    if old.comment != new.comment {
        steps.push(comment_column(table, &new.name, &new.comment));
    }
}

/// Whether `ALTER COLUMN … TYPE` needs `USING column::type`: PostgreSQL
/// converts without one only where an assignment cast exists (numbers
/// among themselves, anything to a string type, timestamps with and
/// without time zone, the same type with other modifiers).
pub(crate) fn needs_using(from: &SqlType, to: &SqlType) -> bool {
    use SqlType::*;
    let numeric = |data_type: &SqlType| {
        matches!(data_type, SmallInt | Integer | BigInt | Real | DoublePrecision | Numeric { .. })
    };
    let string = |data_type: &SqlType| matches!(data_type, Text | Varchar { .. } | Char { .. });
    let same_kind = std::mem::discriminant(from) == std::mem::discriminant(to);
    let vectors = matches!((from, to), (Vector { kind: a, .. }, Vector { kind: b, .. }) if a == b);
    !(string(to)
        || (numeric(from) && numeric(to))
        || (matches!(from, Timestamp { .. } | Date) && matches!(to, Timestamp { .. }))
        || (same_kind
            && !matches!(from, UserDefined { .. } | Array { .. } | Builtin { .. } | Vector { .. }))
        || vectors
        || from == to)
}

/// Whether the change needs no rewrite: a longer or unbounded varchar, or
/// varchar to text.
fn binary_compatible(from: &SqlType, to: &SqlType) -> bool {
    use SqlType::*;
    match (from, to) {
        (Varchar { length: Some(old) }, Varchar { length: Some(new) }) => new >= old,
        (Varchar { .. }, Varchar { length: None }) | (Varchar { .. }, Text) => true,
        (Text, Varchar { length: None }) => true,
        (Numeric { .. }, Numeric { precision: None, scale: None }) => true,
        _ => from == to,
    }
}

/// Whether values may not fit the new type (a shorter varchar, a smaller
/// integer, fewer vector dimensions).
fn narrows(from: &SqlType, to: &SqlType) -> bool {
    use SqlType::*;
    match (from, to) {
        (Varchar { length: old }, Varchar { length: Some(new) }) => {
            old.is_none_or(|old| old > *new)
        }
        (Text, Varchar { length: Some(_) } | Char { .. }) => true,
        (BigInt, Integer | SmallInt) | (Integer, SmallInt) => true,
        (Vector { .. }, Vector { .. }) => from != to,
        (Numeric { .. }, SmallInt | Integer | BigInt) => true,
        _ => false,
    }
}

/// Whether values may come out changed without an error: rounded to a
/// smaller scale, to an integer or to a float of less precision, cut to a
/// coarser time precision, or a timestamp cut to its date.
fn loses_data(from: &SqlType, to: &SqlType) -> bool {
    use SqlType::*;
    let integer = |data_type: &SqlType| matches!(data_type, SmallInt | Integer | BigInt);
    let finer = |old: &Option<u32>, new: &Option<u32>| old.unwrap_or(6) > new.unwrap_or(6);
    match (from, to) {
        (Numeric { scale: old, .. }, Numeric { scale: Some(new), .. }) => {
            old.is_none_or(|old| old > *new)
        }
        (Numeric { .. } | Real | DoublePrecision, to) if integer(to) => true,
        (Numeric { .. } | DoublePrecision, Real) | (Numeric { .. }, DoublePrecision) => true,
        (Time { precision: old, .. }, Time { precision: new, .. })
        | (Timestamp { precision: old, .. }, Timestamp { precision: new, .. }) => finer(old, new),
        (Interval { fields: old_fields, precision: old }, Interval { fields, precision: new }) => {
            finer(old, new) || (fields.is_some() && fields != old_fields)
        }
        (Timestamp { .. }, Date | Time { .. }) => true,
        _ => false,
    }
}

fn comment_table(table: &QualifiedName, comment: &Option<String>) -> Step {
    Step::new(Operation::CommentTable { table: table.clone(), comment: comment.clone() })
        .consumes([Key::Table(table.clone())])
}

fn comment_column(table: &QualifiedName, column: &str, comment: &Option<String>) -> Step {
    Step::new(Operation::CommentColumn {
        table: table.clone(),
        column: column.to_owned(),
        comment: comment.clone(),
    })
    .consumes([column_key(table, column)])
}

fn drop_constraint(
    table: &QualifiedName,
    name: &str,
    kind: ConstraintKind,
    columns: &[String],
    has_index: bool,
) -> Step {
    let mut removes = vec![Key::Constraint(table.clone(), name.to_owned())];
    if has_index {
        removes.push(index_key(table, name));
    }
    Step::new(Operation::DropConstraint { table: table.clone(), name: name.to_owned(), kind })
        .removes(removes)
        .releases(column_keys(table, columns))
}

fn add_check(
    to: &Schema,
    table: &Table,
    check: &autogen_schema::CheckConstraint,
    existing: bool,
) -> Step {
    let name = &table.name;
    let mut step = Step::new(Operation::AddCheck { table: name.clone(), check: check.clone() })
        .produces([Key::Constraint(name.clone(), check.name.clone())])
        .consumes([Key::Table(name.clone())])
        .consumes(expression_keys(to, table, [check.expression.as_str()]));
    if existing && !check.not_valid {
        step = step.hazard(Hazard::BlockingLock).hazard(Hazard::MayFailOnData);
    }
    step
}

fn drop_check(from: &Schema, table: &Table, check: &autogen_schema::CheckConstraint) -> Step {
    drop_constraint(&table.name, &check.name, ConstraintKind::Check, &[], false)
        .releases(expression_keys(from, table, [check.expression.as_str()]))
}

fn add_foreign_key(to: &Schema, table: &QualifiedName, key: &ForeignKey, existing: bool) -> Step {
    let mut step = Step::new(Operation::AddForeignKey { table: table.clone(), key: key.clone() })
        .produces([Key::Constraint(table.clone(), key.name.clone())])
        .consumes([Key::Table(table.clone()), Key::Table(key.referenced_table.clone())])
        .consumes(column_keys(table, &key.columns))
        .consumes(column_keys(&key.referenced_table, &key.referenced_columns))
        .consumes(referenced_key(to, key));
    if existing && !key.not_valid {
        step = step.hazard(Hazard::BlockingLock).hazard(Hazard::MayFailOnData);
    }
    step
}

fn drop_foreign_key(from: &Schema, table: &QualifiedName, key: &ForeignKey) -> Step {
    drop_constraint(table, &key.name, ConstraintKind::ForeignKey, &key.columns, false)
        .releases([Key::Table(key.referenced_table.clone())])
        .releases(referenced_key(from, key))
}

fn create_index(to: &Schema, table: &Table, index: &Index, existing: bool) -> Step {
    let name = &table.name;
    let mut step = Step::new(Operation::CreateIndex { table: name.clone(), index: index.clone() })
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
    Step::new(Operation::DropIndex { table: table.name.clone(), index: index.clone() })
        .removes([index_key(&table.name, &index.name)])
        .releases(index_column_keys(table, index))
        .releases(expression_keys(from, table, index_expressions(index)))
}

/// An index's key expressions and predicate, as printed.
fn index_expressions(index: &Index) -> impl Iterator<Item = &str> {
    index
        .keys
        .iter()
        .filter_map(|key| match &key.target {
            autogen_schema::IndexTarget::Expression(expression) => Some(expression.as_str()),
            autogen_schema::IndexTarget::Column(_) => None,
        })
        .chain(index.predicate.as_deref())
}

/// What printed expressions of `table` need: the columns they name and the
/// enum types of `schema` they cast to.
fn expression_keys<'e>(
    schema: &Schema,
    table: &Table,
    expressions: impl IntoIterator<Item = &'e str>,
) -> Vec<Key> {
    let mut keys = Vec::new();
    for expression in expressions {
        for column in &table.columns {
            if autogen_schema::expression::mentions_column(expression, &column.name) {
                keys.push(column_key(&table.name, &column.name));
            }
        }
        for name in schema.enums.keys() {
            if casts_to(expression, name) {
                keys.push(Key::Type(name.clone()));
            }
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Whether a printed expression casts to type `name`: `'x'::mood`, or
/// `'x'::other.mood` outside `public` (as `pg_get_expr` prints it).
fn casts_to(expression: &str, name: &QualifiedName) -> bool {
    let qualified = format!("::{name}");
    let bare = format!("::{}", autogen_schema::quote_ident(&name.name));
    let spellings = if name.schema == "public" { vec![qualified, bare] } else { vec![qualified] };
    spellings.iter().any(|spelling| {
        expression.match_indices(spelling.as_str()).any(|(at, found)| {
            expression[at + found.len()..]
                .chars()
                .next()
                .is_none_or(|next| !(next.is_alphanumeric() || matches!(next, '_' | '$' | '"')))
        })
    })
}

/// Whether a check or index of `table` casts to type `name`.
fn table_casts_to(table: &Table, name: &QualifiedName) -> bool {
    table.check_constraints.iter().any(|check| casts_to(&check.expression, name))
        || table.indexes.iter().flat_map(index_expressions).any(|text| casts_to(text, name))
}

/// The columns of `table` an index depends on, keys, expressions,
/// `INCLUDE` and predicate alike.
fn index_column_keys(table: &Table, index: &Index) -> Vec<Key> {
    index.columns_used(table).into_iter().map(|column| column_key(&table.name, column)).collect()
}

/// The primary key, unique constraint or unique index a foreign key
/// relies on (the one on exactly its referenced columns).
fn referenced_key(schema: &Schema, key: &ForeignKey) -> Option<Key> {
    let table = schema.tables.get(&key.referenced_table)?;
    let wanted: BTreeSet<&String> = key.referenced_columns.iter().collect();
    let same = |columns: &[String]| columns.iter().collect::<BTreeSet<_>>() == wanted;
    let name = table
        .primary_key
        .iter()
        .filter(|primary| same(&primary.columns))
        .map(|primary| &primary.name)
        .chain(
            table
                .unique_constraints
                .iter()
                .filter(|unique| same(&unique.columns))
                .map(|unique| &unique.name),
        )
        .chain(
            table
                .indexes
                .iter()
                .filter(|index| index.unique && index.predicate.is_none())
                .filter(|index| {
                    let columns: Vec<String> = index
                        .keys
                        .iter()
                        .filter_map(|key| match &key.target {
                            autogen_schema::IndexTarget::Column(column) => Some(column.clone()),
                            autogen_schema::IndexTarget::Expression(_) => None,
                        })
                        .collect();
                    columns.len() == index.keys.len() && same(&columns)
                })
                .map(|index| &index.name),
        )
        .next()?;
    Some(index_key(&key.referenced_table, name))
}

/// A foreign key that does not change but relies on a key the plan drops
/// (a primary key replaced, a unique index rebuilt) is dropped before it
/// and added again after: PostgreSQL will not drop a key a foreign key
/// uses.
fn foreign_keys_on_replaced_keys(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    // A renamed key or index is still the same one to PostgreSQL.
    let removed: BTreeSet<Key> = steps
        .iter()
        .filter(|step| {
            !matches!(
                step.operation,
                Operation::RenameConstraint { .. } | Operation::RenameIndex { .. }
            )
        })
        .flat_map(|step| step.removes.iter().cloned())
        .collect();
    let touched: BTreeSet<(QualifiedName, String)> = steps
        .iter()
        .filter_map(|step| match &step.operation {
            Operation::DropConstraint { table, name, .. } => Some((table.clone(), name.clone())),
            Operation::AddForeignKey { table, key } => Some((table.clone(), key.name.clone())),
            Operation::DropTable(table) => Some((table.name.clone(), String::new())),
            _ => None,
        })
        .collect();
    // Only tables with a key removed can have foreign keys pointing at it.
    let losing: BTreeSet<&str> = (removed.iter())
        .filter_map(|key| match key {
            Key::Index(index) => Some(index.schema.as_str()),
            _ => None,
        })
        .collect();
    let mut extra = Vec::new();
    for (name, table) in &from.tables {
        let Some(new_table) = to.tables.get(name) else { continue };
        for key in &table.foreign_keys {
            if !losing.contains(key.referenced_table.schema.as_str())
                || touched.contains(&(name.clone(), key.name.clone()))
            {
                continue;
            }
            let Some(relied) = referenced_key(from, key) else { continue };
            if !removed.contains(&relied) {
                continue;
            }
            extra.push(drop_foreign_key(from, name, key));
            if let Some(kept) = new_table.foreign_keys.iter().find(|new| new.name == key.name) {
                extra.push(add_foreign_key(to, name, kept, true));
            }
        }
    }
    steps.extend(extra);
}

/// A column dropped and one added with the same type in the same table, or
/// a table dropped and one created with the same columns: likely renames
/// that the plan makes drops (data lost). Each gets a warning with the
/// hint that would make it a rename.
pub(crate) fn rename_suspects(from: &Schema, to: &Schema) -> Vec<String> {
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
    for (name, old) in from.tables.iter().filter(|(name, _)| !to.tables.contains_key(*name)) {
        for (new_name, new) in
            to.tables.iter().filter(|(new_name, _)| !from.tables.contains_key(*new_name))
        {
            if new_name.schema == name.schema && signature(old) == signature(new) {
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

/// `VALIDATE CONSTRAINT`: rows are checked (writes go on meanwhile).
fn validate(table: &QualifiedName, name: &str) -> Step {
    Step::new(Operation::ValidateConstraint { table: table.clone(), name: name.to_owned() })
        .hazard(Hazard::MayFailOnData)
        .consumes([Key::Constraint(table.clone(), name.to_owned())])
}
