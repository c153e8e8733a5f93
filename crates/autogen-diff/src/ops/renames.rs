//! Renames a hint asks for (`hints.toml`, `renamed_from`): tables, columns,
//! enum types and values. `Hints::apply` builds the steps, which run first
//! and in the order hints give. Sequences, constraints and indexes renamed
//! because their definitions match are in their own families.

use autogen_schema::ddl::Renderer;
use autogen_schema::{quote_ident, quote_literal};

use super::Family;
use crate::operation::Operation;
use crate::order::Phase;

/// `ALTER TABLE … RENAME`, `RENAME COLUMN`, `ALTER TYPE … RENAME`,
/// `RENAME VALUE`.
pub(super) struct Renames;

impl Family for Renames {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::RenameTable { old, new } => {
                format!("rename table {old} to {}", quote_ident(new))
            }
            Operation::RenameColumn { table, old, new } => format!(
                "rename column {} to {}",
                super::columns::column_name(table, old),
                quote_ident(new)
            ),
            Operation::RenameEnum { old, new } => {
                format!("rename type {old} to {}", quote_ident(new))
            }
            Operation::RenameEnumValue { name, old, new } => format!(
                "rename value {} of type {name} to {}",
                quote_literal(old),
                quote_literal(new)
            ),
            other => super::not_mine("renames", other),
        }
    }

    fn phase(&self, _operation: &Operation) -> Phase {
        Phase::Renames
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::RenameTable { old, new } => {
                vec![format!("ALTER TABLE {old} RENAME TO {};", quote_ident(new))]
            }
            Operation::RenameColumn { table, old, new } => vec![format!(
                "ALTER TABLE {table} RENAME COLUMN {} TO {};",
                quote_ident(old),
                quote_ident(new)
            )],
            Operation::RenameEnum { old, new } => {
                vec![format!("ALTER TYPE {old} RENAME TO {};", quote_ident(new))]
            }
            Operation::RenameEnumValue { name, old, new } => vec![format!(
                "ALTER TYPE {name} RENAME VALUE {} TO {};",
                quote_literal(old),
                quote_literal(new)
            )],
            other => super::not_mine("renames", other),
        }
    }
}
