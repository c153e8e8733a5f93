//! Schemas (namespaces): created and dropped.

use autogen_schema::ddl::Renderer;
use autogen_schema::{quote_ident, Schema};

use super::Family;
use crate::operation::{Key, Operation, Step};
use crate::order::Phase;

/// `CREATE SCHEMA` / `DROP SCHEMA`.
pub(super) struct Schemas;

/// The schemas `to` has and `from` has not, created; the others dropped.
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
}

impl Family for Schemas {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::CreateSchema(name) => format!("create schema {}", quote_ident(name)),
            Operation::DropSchema(name) => format!("drop schema {}", quote_ident(name)),
            other => super::not_mine("schemas", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::CreateSchema(_) => Phase::CreateSchemas,
            _ => Phase::DropSchemas,
        }
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::CreateSchema(name) => vec![format!("CREATE SCHEMA {};", quote_ident(name))],
            Operation::DropSchema(name) => vec![format!("DROP SCHEMA {};", quote_ident(name))],
            other => super::not_mine("schemas", other),
        }
    }
}
