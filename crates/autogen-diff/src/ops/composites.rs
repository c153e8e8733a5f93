//! Composite types: created (after the types their attributes use),
//! dropped once no column uses them, and their attributes added, dropped or
//! given another type in place (`ALTER TYPE … ADD/DROP/ALTER ATTRIBUTE`).

use autogen_schema::ddl::Renderer;
use autogen_schema::{quote_ident, Attribute, CompositeType, QualifiedName, Schema, SqlType};

use super::Family;
use crate::operation::{collation_keys, type_keys, Hazard, Key, Operation, Step};
use crate::order::Phase;

/// `CREATE TYPE … AS (…)`, `DROP TYPE`, `ALTER TYPE … ATTRIBUTE`.
pub(super) struct Composites;

/// One change of a composite type's attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeChange {
    /// `ADD ATTRIBUTE name type [COLLATE c]`
    Add(Attribute),
    /// `DROP ATTRIBUTE name`
    Drop(Attribute),
    /// `ALTER ATTRIBUTE name SET DATA TYPE type [COLLATE c]`
    SetType { from: Attribute, to: Attribute },
}

/// Composite types created, dropped or altered.
pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    for (name, composite) in &to.composites {
        match from.composites.get(name) {
            None => steps.push(
                Step::new(Operation::CreateComposite(composite.clone()))
                    .produces([Key::Type(name.clone())])
                    .consumes([Key::Schema(name.schema.clone())])
                    .consumes(attribute_types(composite)),
            ),
            Some(old) if old == composite => {}
            Some(old) => alter(from, old, composite, steps),
        }
    }
    for (name, composite) in &from.composites {
        if !to.composites.contains_key(name) {
            steps.push(
                Step::new(Operation::DropComposite(composite.clone()))
                    .removes([Key::Type(name.clone())])
                    .releases([Key::Schema(name.schema.clone())])
                    .releases(attribute_types(composite)),
            );
        }
    }
}

/// The types and collations the attributes use.
fn attribute_types(composite: &CompositeType) -> Vec<Key> {
    let mut keys: Vec<Key> = composite.attributes.iter().flat_map(attribute_keys).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Whether a column of `schema` holds values of the type.
fn in_use(schema: &Schema, name: &QualifiedName) -> bool {
    let used = SqlType::UserDefined { name: name.clone() };
    schema.tables.values().flat_map(|table| &table.columns).any(|column| {
        schema.base_type(&column.data_type).element() == &used
            || column.data_type.element() == &used
    })
}

fn attribute_keys(attribute: &Attribute) -> Vec<Key> {
    let mut keys = type_keys(&attribute.data_type);
    keys.extend(collation_keys(attribute.collation.as_ref()));
    keys
}

fn alter(from: &Schema, old: &CompositeType, new: &CompositeType, steps: &mut Vec<Step>) {
    let name = &new.name;
    let used = in_use(from, name);
    let step = |change: AttributeChange| {
        Step::new(Operation::AlterComposite { name: name.clone(), change })
            .consumes([Key::Type(name.clone())])
    };
    for before in &old.attributes {
        match new.attribute(&before.name) {
            None => {
                let mut dropped =
                    step(AttributeChange::Drop(before.clone())).releases(attribute_keys(before));
                if used {
                    dropped = dropped.hazard(Hazard::DataLoss);
                }
                steps.push(dropped);
            }
            Some(after) if after != before => {
                let mut changed =
                    step(AttributeChange::SetType { from: before.clone(), to: after.clone() })
                        .consumes(attribute_keys(after))
                        .releases(attribute_keys(before));
                if used {
                    changed = changed.hazard(Hazard::MayFailOnData);
                }
                steps.push(changed);
            }
            Some(_) => {}
        }
    }
    for after in &new.attributes {
        if old.attribute(&after.name).is_none() {
            steps.push(step(AttributeChange::Add(after.clone())).consumes(attribute_keys(after)));
        }
    }
}

impl Family for Composites {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::CreateComposite(composite) => format!("create type {}", composite.name),
            Operation::DropComposite(composite) => format!("drop type {}", composite.name),
            Operation::AlterComposite { name, change } => match change {
                AttributeChange::Add(attribute) => {
                    format!("add attribute {} to type {name}", quote_ident(&attribute.name))
                }
                AttributeChange::Drop(attribute) => {
                    format!("drop attribute {} of type {name}", quote_ident(&attribute.name))
                }
                AttributeChange::SetType { to, .. } => format!(
                    "change type of attribute {} of type {name} to {}",
                    quote_ident(&to.name),
                    to.data_type
                ),
            },
            other => super::not_mine("composites", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::CreateComposite(_) => Phase::CreateTypes,
            Operation::DropComposite(_) => Phase::DropTypes,
            _ => Phase::AlterColumns,
        }
    }

    fn sql(&self, operation: &Operation, renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::CreateComposite(composite) => vec![renderer.create_composite(composite)],
            Operation::DropComposite(composite) => vec![format!("DROP TYPE {};", composite.name)],
            Operation::AlterComposite { name, change } => vec![match change {
                AttributeChange::Add(attribute) => {
                    format!(
                        "ALTER TYPE {name} ADD ATTRIBUTE {};",
                        renderer.attribute_sql(attribute)
                    )
                }
                AttributeChange::Drop(attribute) => {
                    format!("ALTER TYPE {name} DROP ATTRIBUTE {};", quote_ident(&attribute.name))
                }
                AttributeChange::SetType { to, .. } => {
                    let mut sql = format!(
                        "ALTER TYPE {name} ALTER ATTRIBUTE {} SET DATA TYPE {}",
                        quote_ident(&to.name),
                        renderer.type_sql(&to.data_type)
                    );
                    if let Some(collation) = &to.collation {
                        sql.push_str(&format!(" COLLATE {}", renderer.collation_sql(collation)));
                    }
                    sql.push(';');
                    sql
                }
            }],
            other => super::not_mine("composites", other),
        }
    }
}
