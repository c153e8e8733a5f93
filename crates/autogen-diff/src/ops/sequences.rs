//! Sequences. Those a column owns (`serial`'s, or an identity's): renamed
//! when their table or column was (PostgreSQL keeps a sequence's name),
//! created with `setval` past the rows already there, altered in place,
//! dropped. Those no column owns: created, altered in place, dropped once
//! no default calls them. A sequence on both sides whose owner changed
//! keeps its position: `ALTER SEQUENCE … OWNED BY` ([`detach_moved`]).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use autogen_schema::ddl::{create_sequence_sql, sequence_options_sql, Renderer};
use autogen_schema::{
    quote_ident, quote_literal, Column, QualifiedName, Schema, Sequence, SequenceOptions,
};

use super::columns::{column_name, narrows};
use super::Family;
use crate::operation::{column_key, Hazard, Key, Operation, Step};
use crate::order::Phase;

/// `ALTER SEQUENCE … RENAME`, `CREATE SEQUENCE … OWNED BY`, `ALTER
/// SEQUENCE`, `DROP SEQUENCE`.
pub(super) struct Sequences;

/// The column each sequence a column owns (not an identity's) belongs to.
fn owners(schema: &Schema) -> BTreeMap<&QualifiedName, (&QualifiedName, &Column)> {
    let mut owners = BTreeMap::new();
    for table in schema.tables.values() {
        for column in &table.columns {
            if let Some(sequence) = &column.owned_sequence {
                owners.insert(&sequence.name, (&table.name, column));
            }
        }
    }
    owners
}

/// Sequences that keep their name while their owner changes — a column
/// comes to own one that exists already, stops owning one that stays, or
/// another column owns it — and those a new column owns without being
/// `serial` (which only `CREATE SEQUENCE` then `OWNED BY` can make): each
/// is made a sequence no column owns on both sides (so that the tables'
/// comparison leaves it alone and the sequences' comparison creates or
/// alters it), with an `ALTER SEQUENCE … OWNED BY` step for the owner.
/// The schemas are copied only when a sequence moves.
pub(crate) fn detach_moved<'s>(
    from: &'s Schema,
    to: &'s Schema,
    steps: &mut Vec<Step>,
) -> (Cow<'s, Schema>, Cow<'s, Schema>) {
    type Owner = Option<(QualifiedName, String)>;
    let (from_owners, to_owners) = (owners(from), owners(to));
    let owner =
        |(table, column): (&QualifiedName, &Column)| Some((table.clone(), column.name.clone()));
    let mut moved: Vec<(QualifiedName, Owner, Owner)> = Vec::new();
    for (&name, &(table, column)) in &to_owners {
        let before = match from_owners.get(name) {
            Some(&(old_table, old_column))
                if old_table == table && old_column.name == column.name =>
            {
                continue
            }
            Some(&before) => owner(before),
            None if from.sequences.contains_key(name) => None,
            None => {
                let column_is_new =
                    from.tables.get(table).is_none_or(|old| old.column(&column.name).is_none());
                let serial = to.tables[table]
                    .column(&column.name)
                    .and_then(|column| column.serial_spelling(table));
                if !column_is_new || serial.is_some() {
                    continue;
                }
                None
            }
        };
        moved.push((name.clone(), before, owner((table, column))));
    }
    for (&name, &before) in &from_owners {
        if !to_owners.contains_key(name) && to.sequences.contains_key(name) {
            moved.push((name.clone(), owner(before), None));
        }
    }
    if moved.is_empty() {
        return (Cow::Borrowed(from), Cow::Borrowed(to));
    }
    let (mut from, mut to) = (from.clone(), to.clone());
    for (name, before, after) in moved {
        for (schema, owner) in [(&mut from, &before), (&mut to, &after)] {
            let Some((table, column)) = owner else { continue };
            let column = schema
                .tables
                .get_mut(table)
                .and_then(|table| table.columns.iter_mut().find(|found| found.name == *column))
                .expect("the owner is a column of the schema");
            let sequence = column.owned_sequence.take().expect("the column owns it");
            schema.add_sequence(Sequence {
                name: sequence.name,
                data_type: sequence.data_type,
                options: sequence.options,
            });
        }
        let key = |owner: &Owner| {
            owner.iter().map(|(table, column)| column_key(table, column)).collect::<Vec<_>>()
        };
        steps.push(
            Step::new(Operation::OwnSequence {
                sequence: name.clone(),
                from: before.clone(),
                to: after.clone(),
            })
            .consumes([Key::Sequence(name)])
            .consumes(key(&after))
            .releases(key(&before)),
        );
    }
    (Cow::Owned(from), Cow::Owned(to))
}

/// Sequences no column owns: created, dropped (after every default that
/// calls them), or altered in place.
pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    for (name, sequence) in &to.sequences {
        match from.sequences.get(name) {
            None => steps.push(
                Step::new(Operation::CreateSequence(sequence.clone()))
                    .produces([Key::Sequence(name.clone())])
                    .consumes([Key::Schema(name.schema.clone())]),
            ),
            Some(old) if old == sequence => {}
            Some(old) => {
                let mut step =
                    Step::new(Operation::AlterSequence { from: old.clone(), to: sequence.clone() })
                        .consumes([Key::Sequence(name.clone())]);
                if narrows_sequence(old, sequence) {
                    step = step.hazard(Hazard::MayFailOnData);
                }
                steps.push(step);
            }
        }
    }
    for (name, sequence) in &from.sequences {
        if !to.sequences.contains_key(name) {
            steps.push(
                Step::new(Operation::DropSequence(sequence.clone()))
                    .hazard(Hazard::DataLoss)
                    .removes([Key::Sequence(name.clone())])
                    .releases([Key::Schema(name.schema.clone())]),
            );
        }
    }
}

/// Whether a sequence already past the new type or range refuses the
/// change: a smaller type, a new bound.
fn narrows_sequence(from: &Sequence, to: &Sequence) -> bool {
    narrows(&from.data_type, &to.data_type)
        || (to.options.max_value.is_some() && to.options.max_value != from.options.max_value)
        || (to.options.min_value.is_some() && to.options.min_value != from.options.min_value)
}

/// A column's sequence renamed, created, altered or dropped.
pub(crate) fn diff_column(
    table: &QualifiedName,
    old: &Column,
    new: &Column,
    steps: &mut Vec<Step>,
) {
    let identities = old.identity.as_ref().zip(new.identity.as_ref());
    let identity_names =
        identities.map(|(before, after)| (&before.sequence_name, &after.sequence_name));
    let owned = old.owned_sequence.as_ref().zip(new.owned_sequence.as_ref());
    let owned_names = owned.map(|(before, after)| (&before.name, &after.name));
    if let Some((before, after)) = identity_names.or(owned_names) {
        if before != after {
            steps.push(
                Step::new(Operation::RenameSequence {
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
                    from: (**before).clone(),
                    to: (**after).clone(),
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
                sequence: (**after).clone(),
            })
            .produces([Key::Sequence(after.name.clone())])
            .consumes([column_key(table, &new.name), Key::Schema(after.name.schema.clone())]),
        ),
        (Some(before), None) => steps.push(
            Step::new(Operation::DropOwnedSequence {
                table: table.clone(),
                column: new.name.clone(),
                sequence: (**before).clone(),
            })
            .removes([Key::Sequence(before.name.clone())]),
        ),
        (None, None) => {}
    }
}

impl Family for Sequences {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::RenameSequence { old, new, .. } => {
                format!("rename sequence {old} to {}", quote_ident(new))
            }
            Operation::CreateOwnedSequence { table, column, sequence } => {
                format!("create sequence {} owned by {}", sequence.name, column_name(table, column))
            }
            Operation::AlterOwnedSequence { to, .. } => format!("alter sequence {}", to.name),
            Operation::DropOwnedSequence { sequence, .. } => {
                format!("drop sequence {}", sequence.name)
            }
            Operation::CreateSequence(sequence) => format!("create sequence {}", sequence.name),
            Operation::DropSequence(sequence) => format!("drop sequence {}", sequence.name),
            Operation::AlterSequence { to, .. } => format!("alter sequence {}", to.name),
            Operation::OwnSequence { sequence, to, .. } => match to {
                Some((table, column)) => {
                    format!("sequence {sequence} owned by {}", column_name(table, column))
                }
                None => format!("sequence {sequence} owned by no column"),
            },
            other => super::not_mine("sequences", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::RenameSequence { .. } => Phase::Renames,
            Operation::DropOwnedSequence { .. } | Operation::OwnSequence { .. } => {
                Phase::ColumnSettings
            }
            Operation::CreateSequence(_) => Phase::CreateSequences,
            Operation::DropSequence(_) => Phase::DropSequences,
            _ => Phase::AlterColumns,
        }
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::RenameSequence { old, new, .. } => {
                vec![format!("ALTER SEQUENCE {old} RENAME TO {};", quote_ident(new))]
            }
            Operation::CreateOwnedSequence { table, column, sequence } => {
                let column = quote_ident(column);
                let mut create =
                    format!("CREATE SEQUENCE {} AS {}", sequence.name, sequence.data_type);
                let options = sequence_options_sql(&sequence.options);
                if !options.is_empty() {
                    let _ = write!(create, " {options}");
                }
                let _ = write!(create, " OWNED BY {table}.{column};");
                let mut statements = vec![create];
                statements.extend(setval_past_rows(
                    table,
                    &column,
                    &sequence.name,
                    &sequence.options,
                ));
                statements
            }
            Operation::AlterOwnedSequence { from, to } => vec![alter_sequence_sql(
                &to.name,
                (&from.data_type, &to.data_type),
                (&from.options, &to.options),
            )],
            Operation::AlterSequence { from, to } => vec![alter_sequence_sql(
                &to.name,
                (&from.data_type, &to.data_type),
                (&from.options, &to.options),
            )],
            Operation::DropOwnedSequence { sequence, .. } => {
                vec![format!("DROP SEQUENCE {};", sequence.name)]
            }
            Operation::DropSequence(sequence) => {
                vec![format!("DROP SEQUENCE {};", sequence.name)]
            }
            Operation::CreateSequence(sequence) => {
                vec![create_sequence_sql(&sequence.name, &sequence.data_type, &sequence.options)]
            }
            Operation::OwnSequence { sequence, to, .. } => {
                let owner = match to {
                    Some((table, column)) => column_name(table, column),
                    None => "NONE".to_owned(),
                };
                vec![format!("ALTER SEQUENCE {sequence} OWNED BY {owner};")]
            }
            other => super::not_mine("sequences", other),
        }
    }
}

/// `ALTER SEQUENCE name [AS type] [every option]`: what changed.
fn alter_sequence_sql(
    name: &QualifiedName,
    (old_type, new_type): (&autogen_schema::SqlType, &autogen_schema::SqlType),
    (old_options, new_options): (&SequenceOptions, &SequenceOptions),
) -> String {
    let mut changes = Vec::new();
    if old_type != new_type {
        changes.push(format!("AS {new_type}"));
    }
    if old_options != new_options {
        changes.extend(sequence_option_changes(new_options));
    }
    format!("ALTER SEQUENCE {name} {};", changes.join(" "))
}

/// A new sequence for a column that has rows: it goes on past the largest
/// value, so the next insert does not collide with a row already there.
/// Ascending sequences only (a descending one is left where it starts).
pub(crate) fn setval_past_rows(
    table: &QualifiedName,
    column: &str,
    sequence: &QualifiedName,
    options: &SequenceOptions,
) -> Option<String> {
    if options.increment.unwrap_or(1) < 0 {
        return None;
    }
    let start = options.start.or(options.min_value).unwrap_or(1);
    Some(format!(
        "SELECT setval({}, GREATEST(COALESCE(MAX({column}) + 1, {start}), {start}), false) FROM {table};",
        quote_literal(&sequence.to_string())
    ))
}

/// Every option of a sequence, set to what `options` says (defaults said
/// explicitly, so that an option dropped from the declaration goes back to
/// its default), as `ALTER SEQUENCE` writes them; an identity column's
/// `ALTER COLUMN` puts `SET` before each.
pub(crate) fn sequence_option_changes(options: &SequenceOptions) -> Vec<String> {
    let increment = options.increment.unwrap_or(1);
    let mut changes = vec![format!("INCREMENT BY {increment}")];
    changes.push(match options.min_value {
        Some(min) => format!("MINVALUE {min}"),
        None => "NO MINVALUE".to_owned(),
    });
    changes.push(match options.max_value {
        Some(max) => format!("MAXVALUE {max}"),
        None => "NO MAXVALUE".to_owned(),
    });
    let default_start = if increment > 0 {
        options.min_value.unwrap_or(1)
    } else {
        options.max_value.unwrap_or(-1)
    };
    changes.push(format!("START WITH {}", options.start.unwrap_or(default_start)));
    changes.push(format!("CACHE {}", options.cache.unwrap_or(1)));
    changes.push(if options.cycle { "CYCLE".to_owned() } else { "NO CYCLE".to_owned() });
    changes
}
