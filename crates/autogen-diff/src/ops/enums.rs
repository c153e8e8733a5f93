//! Enum types: created, dropped, values added in place where the declared
//! order puts them (`ADD VALUE … BEFORE/AFTER`), or — values removed or
//! reordered — the type swapped for a new one, its columns moved over.

use std::collections::BTreeSet;

use autogen_schema::ddl::Renderer;
use autogen_schema::{quote_ident, quote_literal, EnumType, QualifiedName, Schema, SqlType};

use super::Family;
use crate::operation::{EnumPosition, Hazard, Key, Operation, Step, SwappedColumn};
use crate::order::Phase;

/// `CREATE TYPE … AS ENUM`, `DROP TYPE`, `ALTER TYPE … ADD VALUE`, and the
/// swap.
pub(super) struct Enums;

/// Enum types created, dropped, given values or swapped.
pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    for (name, enum_type) in &to.enums {
        match from.enums.get(name) {
            None => steps.push(
                Step::new(Operation::CreateEnum(enum_type.clone()))
                    .produces([Key::Type(name.clone())])
                    .consumes([Key::Schema(name.schema.clone())]),
            ),
            Some(old) if old.labels != enum_type.labels => {
                if only_added(&old.labels, &enum_type.labels) {
                    enum_values(old, enum_type, steps);
                } else {
                    steps.push(swap_enum(from, to, old, enum_type));
                }
            }
            Some(_) => {}
        }
    }
    for (name, enum_type) in &from.enums {
        if !to.enums.contains_key(name) {
            steps.push(
                Step::new(Operation::DropEnum(enum_type.clone()))
                    .removes([Key::Type(name.clone())])
                    .releases([Key::Schema(name.schema.clone())]),
            );
        }
    }
}

/// Values added to an enum, each placed next to a value that is already
/// there so the declared order is kept. Removing or reordering values needs
/// the type swapped (not done yet): those changes are left to the plan's
/// user, and the added values still go in.
fn enum_values(old: &EnumType, new: &EnumType, steps: &mut Vec<Step>) {
    let mut present: Vec<String> = old.labels.clone();
    for (position, label) in new.labels.iter().enumerate() {
        if present.contains(label) {
            continue;
        }
        let placed =
            match new.labels[..position].iter().rev().find(|before| present.contains(before)) {
                Some(before) => EnumPosition::After(before.clone()),
                None => {
                    match new.labels[position + 1..].iter().find(|after| present.contains(after)) {
                        Some(after) => EnumPosition::Before(after.clone()),
                        None => EnumPosition::Last,
                    }
                }
            };
        // After the last value is the same as at the end: say it plainly.
        let placed = match placed {
            EnumPosition::After(before) if present.last() == Some(&before) => EnumPosition::Last,
            other => other,
        };
        let index = match &placed {
            EnumPosition::Last => present.len(),
            EnumPosition::After(before) => {
                present.iter().position(|l| l == before).unwrap_or(0) + 1
            }
            EnumPosition::Before(after) => present.iter().position(|l| l == after).unwrap_or(0),
        };
        present.insert(index, label.clone());
        let neighbour = match &placed {
            EnumPosition::Last => present.get(index.wrapping_sub(1)),
            EnumPosition::After(label) | EnumPosition::Before(label) => Some(label),
        };
        let value = |label: &String| Key::EnumValue(new.name.clone(), label.clone());
        steps.push(
            Step::new(Operation::AddEnumValue {
                name: new.name.clone(),
                label: label.clone(),
                position: placed.clone(),
            })
            .produces([value(label)])
            .consumes([Key::Type(new.name.clone())])
            .consumes(neighbour.map(value)),
        );
    }
}

/// The enum types whose values are removed or reordered: swapped for a
/// new type (see `swap_enum`).
pub(crate) fn swapped(from: &Schema, to: &Schema) -> BTreeSet<QualifiedName> {
    to.enums
        .iter()
        .filter(|(name, new)| {
            from.enums.get(*name).is_some_and(|old| {
                old.labels != new.labels && !only_added(&old.labels, &new.labels)
            })
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// Whether `new` is `old` with values added: every old value still there,
/// in the same order.
fn only_added(old: &[String], new: &[String]) -> bool {
    let kept: Vec<&String> = new.iter().filter(|label| old.contains(label)).collect();
    kept.len() == old.len() && kept.iter().zip(old).all(|(kept, old)| *kept == old)
}

/// Values removed or reordered: the type is replaced by a new one and the
/// columns that keep it are moved over.
fn swap_enum(from: &Schema, to: &Schema, old: &EnumType, new: &EnumType) -> Step {
    let name = &new.name;
    let columns = columns_kept_on_type(from, to, name);
    let removed = old.labels.iter().any(|label| !new.labels.contains(label));
    let mut step = Step::new(Operation::SwapEnum {
        from: old.clone(),
        to: new.clone(),
        columns: columns.clone(),
    })
    .hazard(Hazard::EnumSwap)
    .removes([Key::Type(name.clone())])
    .produces([Key::Type(name.clone())])
    .consumes(
        columns.iter().map(|column| Key::Column(column.table.clone(), column.column.clone())),
    );
    if removed {
        // A value removed is gone for good; rows that hold it fail the swap.
        step = step.hazard(Hazard::DataLoss).hazard(Hazard::MayFailOnData);
    }
    if !columns.is_empty() {
        step = step.hazard(Hazard::TableRewrite).hazard(Hazard::BlockingLock);
    }
    step
}

/// A swapped enum sets its columns' defaults again itself: the `SET
/// DEFAULT` steps the column comparison made for them are left out.
pub(crate) fn leave_defaults_to_swaps(steps: &mut Vec<Step>) {
    let swapped: Vec<(QualifiedName, String, Option<String>)> = (steps.iter())
        .filter_map(|step| match &step.operation {
            Operation::SwapEnum { columns, .. } => Some(columns),
            _ => None,
        })
        .flatten()
        .map(|column| (column.table.clone(), column.column.clone(), column.default_after.clone()))
        .collect();
    steps.retain(|step| match &step.operation {
        Operation::SetDefault { table, column, default } => {
            !swapped.iter().any(|(t, c, d)| t == table && c == column && d == default)
        }
        _ => true,
    });
}

impl Family for Enums {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::CreateEnum(enum_type) => format!("create type {}", enum_type.name),
            Operation::DropEnum(enum_type) => format!("drop type {}", enum_type.name),
            Operation::AddEnumValue { name, label, .. } => {
                format!("add value {} to type {name}", quote_literal(label))
            }
            Operation::SwapEnum { to, .. } => format!("swap type {} for new values", to.name),
            other => super::not_mine("enums", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::CreateEnum(_) => Phase::CreateTypes,
            Operation::DropEnum(_) => Phase::DropTypes,
            _ => Phase::EnumValues,
        }
    }

    fn expressions<'o>(&self, operation: &'o Operation) -> Vec<&'o str> {
        match operation {
            Operation::SwapEnum { columns, .. } => {
                columns.iter().filter_map(|column| column.default_after.as_deref()).collect()
            }
            _ => Vec::new(),
        }
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::CreateEnum(enum_type) => {
                let labels: Vec<String> =
                    enum_type.labels.iter().map(|label| quote_literal(label)).collect();
                vec![format!("CREATE TYPE {} AS ENUM ({});", enum_type.name, labels.join(", "))]
            }
            Operation::DropEnum(enum_type) => vec![format!("DROP TYPE {};", enum_type.name)],
            Operation::AddEnumValue { name, label, position } => {
                let place = match position {
                    EnumPosition::Last => String::new(),
                    EnumPosition::Before(other) => format!(" BEFORE {}", quote_literal(other)),
                    EnumPosition::After(other) => format!(" AFTER {}", quote_literal(other)),
                };
                vec![format!("ALTER TYPE {name} ADD VALUE {}{place};", quote_literal(label))]
            }
            Operation::SwapEnum { from, to, columns } => swap_sql(from, to, columns),
            other => super::not_mine("enums", other),
        }
    }
}

/// Rename the old type, create the new one, move each column over
/// (through `text`), drop the old type.
fn swap_sql(from: &EnumType, to: &EnumType, columns: &[SwappedColumn]) -> Vec<String> {
    let old_name = QualifiedName::new(
        from.name.schema.clone(),
        autogen_schema::naming::truncate_identifier(&format!("{}__autogen_old", from.name.name)),
    );
    let labels: Vec<String> = to.labels.iter().map(|label| quote_literal(label)).collect();
    let mut statements = vec![
        format!("ALTER TYPE {} RENAME TO {};", from.name, quote_ident(&old_name.name)),
        format!("CREATE TYPE {} AS ENUM ({});", to.name, labels.join(", ")),
    ];
    statements.extend(move_columns_sql(columns, "text", &to.name.to_string()));
    statements.push(format!("DROP TYPE {old_name};"));
    statements
}

/// The columns of `from` that hold type `name` (or an array of it) and
/// still do in `to`: those a swap or a replacement of the type moves over
/// (the others are dropped, retyped or added by their own steps).
pub(crate) fn columns_kept_on_type(
    from: &Schema,
    to: &Schema,
    name: &QualifiedName,
) -> Vec<SwappedColumn> {
    let uses = |data_type: &SqlType| match data_type {
        SqlType::UserDefined { name: used } if used == name => Some(false),
        SqlType::Array { element, .. } => match element.as_ref() {
            SqlType::UserDefined { name: used } if used == name => Some(true),
            _ => None,
        },
        _ => None,
    };
    let mut columns = Vec::new();
    for (table_name, table) in &from.tables {
        let Some(new_table) = to.tables.get(table_name) else { continue };
        // A column a partition or child has from a parent changes type with
        // the parent's (PostgreSQL refuses it on its own).
        let from_parent = |column: &str| {
            table.parents().into_iter().any(|parent| {
                new_table.parents().contains(&parent)
                    && from.tables.get(parent).is_some_and(|p| p.column(column).is_some())
            })
        };
        for column in &table.columns {
            if from_parent(&column.name) {
                continue;
            }
            let Some(array) = uses(&column.data_type) else { continue };
            let Some(new_column) = new_table.column(&column.name) else { continue };
            if uses(&new_column.data_type) != Some(array) {
                continue;
            }
            columns.push(SwappedColumn {
                table: table_name.clone(),
                column: column.name.clone(),
                array,
                default_before: column.default.clone(),
                default_after: new_column.default.clone(),
            });
        }
    }
    columns
}

/// Each column moved to `new_type` through `through` (`USING
/// c::through::new_type`, arrays as arrays), its default dropped before
/// and set again after: how a swapped enum or a replaced domain takes its
/// columns along.
pub(crate) fn move_columns_sql(
    columns: &[SwappedColumn],
    through: &str,
    new_type: &str,
) -> Vec<String> {
    let mut statements = Vec::new();
    for moved in columns {
        let (table, column) = (&moved.table, quote_ident(&moved.column));
        if moved.default_before.is_some() {
            statements.push(format!("ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT;"));
        }
        let (through, new_type) = match moved.array {
            true => (format!("{through}[]"), format!("{new_type}[]")),
            false => (through.to_owned(), new_type.to_owned()),
        };
        statements.push(format!(
            "ALTER TABLE {table} ALTER COLUMN {column} TYPE {new_type} USING {column}::{through}::{new_type};"
        ));
        if let Some(default) = &moved.default_after {
            statements
                .push(format!("ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {default};"));
        }
    }
    statements
}
