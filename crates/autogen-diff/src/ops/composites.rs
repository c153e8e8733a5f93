//! Composite types: created (after the types their attributes use),
//! dropped once no column uses them, their attributes added, dropped or
//! given another type in place (`ALTER TYPE … ADD/DROP/ALTER ATTRIBUTE`) —
//! or, when an attribute changes type while columns hold the type (which
//! PostgreSQL refuses), replaced and the columns moved over through text —
//! and the type or its attributes renamed when a hint says so.

use autogen_schema::ddl::Renderer;
use autogen_schema::{quote_ident, Attribute, CompositeType, QualifiedName, Schema, SqlType};

use super::columns::loses_data;
use super::Family;
use crate::operation::{collation_keys, type_keys, Hazard, Key, Operation, Step, SwappedColumn};
use crate::order::Phase;

/// `CREATE TYPE … AS (…)`, `DROP TYPE`, `ALTER TYPE … ATTRIBUTE`, `ALTER
/// TYPE … RENAME [ATTRIBUTE]`.
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
            Some(old) => alter((from, to), old, composite, steps),
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

fn alter(
    (from, to): (&Schema, &Schema),
    old: &CompositeType,
    new: &CompositeType,
    steps: &mut Vec<Step>,
) {
    let name = &new.name;
    let used = in_use(from, name);
    let retyped = (old.attributes.iter())
        .any(|before| new.attribute(&before.name).is_some_and(|after| after != before));
    if retyped && used {
        steps.push(replace(from, to, old, new));
        return;
    }
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

/// The type replaced by its new form, the columns that keep it moved over
/// (see [`Operation::ReplaceComposite`]). Columns that hold it through a
/// domain or another composite type are not moved: the guard stops such a
/// plan.
fn replace(from: &Schema, to: &Schema, old: &CompositeType, new: &CompositeType) -> Step {
    let columns = super::enums::columns_kept_on_type(from, to, &new.name);
    let mut step = Step::new(Operation::ReplaceComposite {
        from: old.clone(),
        to: new.clone(),
        columns: columns.clone(),
    })
    .removes([Key::Type(old.name.clone())])
    .produces([Key::Type(new.name.clone())])
    .consumes(attribute_types(new))
    .releases(attribute_types(old))
    .consumes(columns.iter().map(|column| Key::Column(column.table.clone(), column.column.clone())))
    .hazard(Hazard::TableRewrite)
    .hazard(Hazard::BlockingLock)
    .hazard(Hazard::MayFailOnData);
    let loses = old.attributes.iter().any(|before| match new.attribute(&before.name) {
        None => true,
        Some(after) => loses_data(&before.data_type, &after.data_type),
    });
    if loses {
        step = step.hazard(Hazard::DataLoss);
    }
    step
}

/// Whether `new`'s attributes are `old`'s that it keeps, in their order,
/// then those it adds: what dropping and adding attributes on the old
/// type gives, so that a value read as text fits the new type field by
/// field. Otherwise a replacement would put values in the wrong fields.
pub(crate) fn keeps_attribute_order(old: &CompositeType, new: &CompositeType) -> bool {
    let kept = (old.attributes.iter())
        .filter(|attribute| new.attribute(&attribute.name).is_some())
        .map(|attribute| &attribute.name);
    let added = (new.attributes.iter())
        .filter(|attribute| old.attribute(&attribute.name).is_none())
        .map(|attribute| &attribute.name);
    kept.chain(added).eq(new.attributes.iter().map(|attribute| &attribute.name))
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
            Operation::ReplaceComposite { to, columns, .. } => format!(
                "replace type {} (attributes change type; {} column(s) moved over)",
                to.name,
                columns.len()
            ),
            Operation::RenameComposite { old, new } => {
                format!("rename type {old} to {}", quote_ident(new))
            }
            Operation::RenameAttribute { name, old, new } => format!(
                "rename attribute {} of type {name} to {}",
                quote_ident(old),
                quote_ident(new)
            ),
            other => super::not_mine("composites", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::CreateComposite(_) => Phase::CreateTypes,
            Operation::DropComposite(_) => Phase::DropTypes,
            // Where an enum swap and a domain replacement go.
            Operation::ReplaceComposite { .. } => Phase::EnumValues,
            Operation::RenameComposite { .. } | Operation::RenameAttribute { .. } => Phase::Renames,
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
            Operation::ReplaceComposite { from, to, columns } => {
                replace_sql(renderer, from, to, columns)
            }
            Operation::RenameComposite { old, new } => {
                vec![format!("ALTER TYPE {old} RENAME TO {};", quote_ident(new))]
            }
            Operation::RenameAttribute { name, old, new } => vec![format!(
                "ALTER TYPE {name} RENAME ATTRIBUTE {} TO {};",
                quote_ident(old),
                quote_ident(new)
            )],
            other => super::not_mine("composites", other),
        }
    }
}

/// Attributes dropped and added on the old type, the old type renamed,
/// the new one created, each column moved over through text, the old type
/// dropped.
fn replace_sql(
    renderer: &Renderer<'_>,
    from: &CompositeType,
    to: &CompositeType,
    columns: &[SwappedColumn],
) -> Vec<String> {
    let name = &from.name;
    let mut statements = Vec::new();
    for attribute in from.attributes.iter().filter(|old| to.attribute(&old.name).is_none()) {
        statements
            .push(format!("ALTER TYPE {name} DROP ATTRIBUTE {};", quote_ident(&attribute.name)));
    }
    for attribute in to.attributes.iter().filter(|new| from.attribute(&new.name).is_none()) {
        statements.push(format!(
            "ALTER TYPE {name} ADD ATTRIBUTE {};",
            renderer.attribute_sql(attribute)
        ));
    }
    let old_name = QualifiedName::new(
        name.schema.clone(),
        autogen_schema::naming::truncate_identifier(&format!("{}__autogen_old", name.name)),
    );
    statements.push(format!("ALTER TYPE {name} RENAME TO {};", quote_ident(&old_name.name)));
    statements.push(renderer.create_composite(to));
    statements.extend(super::enums::move_columns_sql(columns, "text", &to.name.to_string()));
    statements.push(format!("DROP TYPE {old_name};"));
    statements
}
