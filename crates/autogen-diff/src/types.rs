//! Schemas, extensions and enum types: created, dropped, enum values added
//! where the declared order puts them.

use std::collections::BTreeSet;

use autogen_schema::{EnumType, QualifiedName, Schema, SqlType};

use crate::operation::{EnumPosition, Hazard, Key, Operation, Step, SwappedColumn};

pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    for schema in to.schemas.difference(&from.schemas) {
        steps.push(
            Step::new(Operation::CreateSchema(schema.clone()))
                .produces([Key::Schema(schema.clone())]),
        );
    }
    for schema in from.schemas.difference(&to.schemas) {
        steps.push(
            Step::new(Operation::DropSchema(schema.clone())).removes([Key::Schema(schema.clone())]),
        );
    }

    for (name, extension) in &to.extensions {
        match from.extensions.get(name) {
            Some(old) if old.schema == extension.schema => {}
            old => {
                if let Some(old) = old {
                    steps.push(drop_extension(old));
                }
                steps.push(
                    Step::new(Operation::CreateExtension(extension.clone()))
                        .produces([Key::Extension(name.clone())])
                        .consumes([Key::Schema(extension.schema.clone())]),
                );
            }
        }
    }
    for (name, extension) in &from.extensions {
        if !to.extensions.contains_key(name) {
            steps.push(drop_extension(extension));
        }
    }

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

fn drop_extension(extension: &autogen_schema::Extension) -> Step {
    Step::new(Operation::DropExtension(extension.clone()))
        .removes([Key::Extension(extension.name.clone())])
        .releases([Key::Schema(extension.schema.clone())])
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
        for column in &table.columns {
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
