//! Sequences a column owns (`serial`'s, or an identity's): renamed when
//! their table or column was (PostgreSQL keeps a sequence's name), created
//! with `setval` past the rows already there, altered in place, dropped.

use std::fmt::Write as _;

use autogen_schema::ddl::{sequence_options_sql, Renderer};
use autogen_schema::{quote_ident, quote_literal, Column, QualifiedName, SequenceOptions};

use super::columns::{column_name, narrows};
use super::Family;
use crate::operation::{column_key, Hazard, Key, Operation, Step};
use crate::order::Phase;

/// `ALTER SEQUENCE … RENAME`, `CREATE SEQUENCE … OWNED BY`, `ALTER
/// SEQUENCE`, `DROP SEQUENCE`.
pub(super) struct Sequences;

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
            other => super::not_mine("sequences", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::RenameSequence { .. } => Phase::Renames,
            Operation::DropOwnedSequence { .. } => Phase::ColumnSettings,
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
            Operation::AlterOwnedSequence { from, to } => {
                let mut changes = Vec::new();
                if from.data_type != to.data_type {
                    changes.push(format!("AS {}", to.data_type));
                }
                if from.options != to.options {
                    changes.extend(sequence_option_changes(&to.options));
                }
                vec![format!("ALTER SEQUENCE {} {};", to.name, changes.join(" "))]
            }
            Operation::DropOwnedSequence { sequence, .. } => {
                vec![format!("DROP SEQUENCE {};", sequence.name)]
            }
            other => super::not_mine("sequences", other),
        }
    }
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
