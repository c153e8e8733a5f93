//! Collations: created (before the columns, domains, attributes and
//! indexes that use them), dropped once nothing uses them, renamed by a
//! hint, and — options changed, which `ALTER COLLATION` cannot do —
//! replaced: while something uses the old one, it is first set aside under
//! a temporary name ([`set_aside_replaced`]), so the rest of the plan sees
//! its users move from one collation to another (a column's `ALTER COLUMN
//! … TYPE … COLLATE`, a domain replaced, an attribute altered, an index
//! built again) and the old one is dropped after them.

use std::borrow::Cow;

use autogen_schema::ddl::{create_collation_sql, Renderer};
use autogen_schema::{quote_ident, Collation, QualifiedName, Reference, Schema};

use super::Family;
use crate::operation::{Key, Operation, Step};
use crate::order::Phase;

/// `CREATE COLLATION`, `DROP COLLATION`, `ALTER COLLATION … RENAME TO`.
pub(super) struct Collations;

/// The collations whose options change while something in `from` uses
/// them, each renamed aside (`c__autogen_old`) in the schema returned:
/// the steps that rename it and, once its users have moved, drop it.
pub(crate) fn set_aside_replaced<'s>(
    from: &'s Schema,
    to: &Schema,
) -> (Vec<Step>, Cow<'s, Schema>) {
    let replaced: Vec<&Collation> = (from.collations.values())
        .filter(|collation| {
            to.collations.get(&collation.name).is_some_and(|declared| declared != *collation)
                && !from.collation_users(&collation.name).is_empty()
        })
        .collect();
    if replaced.is_empty() {
        return (Vec::new(), Cow::Borrowed(from));
    }
    let mut schema = from.clone();
    let mut steps = Vec::new();
    for collation in replaced {
        let old = &collation.name;
        let aside = QualifiedName::new(
            old.schema.clone(),
            autogen_schema::naming::truncate_identifier(&format!("{}__autogen_old", old.name)),
        );
        schema.rename_collation(old, &aside);
        for object in &mut schema.unmodelled.objects {
            for dependency in &mut object.depends_on {
                if dependency.on == Reference::Collation(old.clone()) {
                    dependency.on = Reference::Collation(aside.clone());
                }
            }
        }
        // Dropped here rather than by `diff`: it needs the rename before it.
        let set_aside = schema.collations.remove(&aside).expect("renamed");
        steps.push(
            Step::new(Operation::RenameCollation { old: old.clone(), new: aside.name.clone() })
                .removes([Key::Collation(old.clone())])
                .produces([Key::Collation(aside.clone())])
                .consumes([Key::Schema(old.schema.clone())]),
        );
        steps.push(
            Step::new(Operation::DropCollation(set_aside))
                .consumes([Key::Collation(aside.clone())])
                .removes([Key::Collation(aside)])
                .releases([Key::Schema(old.schema.clone())]),
        );
    }
    schema.forget_orphan_comments();
    (steps, Cow::Owned(schema))
}

/// Collations created and dropped (a changed one nothing uses: dropped,
/// then created again).
pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    for (name, collation) in &to.collations {
        if from.collations.get(name) != Some(collation) {
            steps.push(
                Step::new(Operation::CreateCollation(collation.clone()))
                    .produces([Key::Collation(name.clone())])
                    .consumes([Key::Schema(name.schema.clone())]),
            );
        }
    }
    for (name, collation) in &from.collations {
        if to.collations.get(name) != Some(collation) {
            steps.push(
                Step::new(Operation::DropCollation(collation.clone()))
                    .removes([Key::Collation(name.clone())])
                    .releases([Key::Schema(name.schema.clone())]),
            );
        }
    }
}

impl Family for Collations {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::CreateCollation(collation) => format!("create collation {}", collation.name),
            Operation::DropCollation(collation) => format!("drop collation {}", collation.name),
            Operation::RenameCollation { old, new } => {
                format!("rename collation {old} to {}", quote_ident(new))
            }
            other => super::not_mine("collations", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::CreateCollation(_) => Phase::CreateCollations,
            Operation::DropCollation(_) => Phase::DropCollations,
            _ => Phase::Renames,
        }
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::CreateCollation(collation) => vec![create_collation_sql(collation)],
            Operation::DropCollation(collation) => {
                vec![format!("DROP COLLATION {};", collation.name)]
            }
            Operation::RenameCollation { old, new } => {
                vec![format!("ALTER COLLATION {old} RENAME TO {};", quote_ident(new))]
            }
            other => super::not_mine("collations", other),
        }
    }
}
