//! Extensions: created in their schema, dropped; one moved to another
//! schema is dropped and created again.

use autogen_schema::ddl::Renderer;
use autogen_schema::{quote_ident, Extension, Schema};

use super::Family;
use crate::operation::{Key, Operation, Step};
use crate::order::Phase;

/// `CREATE EXTENSION` / `DROP EXTENSION`.
pub(super) struct Extensions;

/// Extensions added, dropped, or moved to another schema.
pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
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
}

fn drop_extension(extension: &Extension) -> Step {
    Step::new(Operation::DropExtension(extension.clone()))
        .removes([Key::Extension(extension.name.clone())])
        .releases([Key::Schema(extension.schema.clone())])
}

impl Family for Extensions {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::CreateExtension(extension) => format!("create extension {}", extension.name),
            Operation::DropExtension(extension) => format!("drop extension {}", extension.name),
            other => super::not_mine("extensions", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::CreateExtension(_) => Phase::CreateExtensions,
            _ => Phase::DropExtensions,
        }
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::CreateExtension(extension) => vec![format!(
                "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {};",
                quote_ident(&extension.name),
                quote_ident(&extension.schema)
            )],
            Operation::DropExtension(extension) => {
                vec![format!("DROP EXTENSION {};", quote_ident(&extension.name))]
            }
            other => super::not_mine("extensions", other),
        }
    }
}
