//! Extensions: created in their schema (at the version declared, if one
//! is), dropped; one moved to another schema is dropped and created again;
//! a declared version the current one differs from is `ALTER EXTENSION …
//! UPDATE TO` (a hazard: the extension's update script runs).

use autogen_schema::ddl::Renderer;
use autogen_schema::{quote_ident, quote_literal, Extension, Schema};

use super::Family;
use crate::operation::{Hazard, Key, Operation, Step};
use crate::order::Phase;

/// `CREATE EXTENSION` / `DROP EXTENSION`.
pub(super) struct Extensions;

/// Extensions added, dropped, or moved to another schema.
pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    for (name, extension) in &to.extensions {
        match from.extensions.get(name) {
            Some(old) if old.schema == extension.schema => {
                // A version only where the declaration says one, and only
                // up: extensions ship update scripts, rarely downgrades.
                if extension.version.is_some()
                    && old.version != extension.version
                    && !downgrade(old.version.as_deref(), extension.version.as_deref())
                {
                    steps.push(
                        Step::new(Operation::UpdateExtension {
                            name: name.clone(),
                            from: old.version.clone(),
                            to: extension.version.clone().expect("checked"),
                        })
                        .hazard(Hazard::ExtensionUpdate)
                        .consumes([Key::Extension(name.clone())]),
                    );
                }
            }
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

/// Whether going from version `from` to `to` goes down: both dotted
/// numbers (`1.6`, `0.8.5`) and `to` the smaller.
pub(crate) fn downgrade(from: Option<&str>, to: Option<&str>) -> bool {
    let parts = |version: &str| -> Option<Vec<u64>> {
        version.split('.').map(|part| part.parse().ok()).collect()
    };
    match (from.and_then(parts), to.and_then(parts)) {
        (Some(from), Some(to)) => to < from,
        _ => false,
    }
}

/// A warning for each extension the declaration puts at a lower version
/// than the current one: the plan leaves it where it is.
pub(crate) fn downgrades(from: &Schema, to: &Schema) -> Vec<String> {
    let mut warnings = Vec::new();
    for (name, extension) in &to.extensions {
        let Some(old) = from.extensions.get(name) else { continue };
        if downgrade(old.version.as_deref(), extension.version.as_deref()) {
            warnings.push(format!(
                "extension {} stays at version {}: the declared {} is older, and PostgreSQL \
                 extensions rarely ship a way down; write that change by hand if yours does",
                quote_ident(name),
                old.version.as_deref().unwrap_or_default(),
                extension.version.as_deref().unwrap_or_default(),
            ));
        }
    }
    warnings
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
            Operation::UpdateExtension { name, to, .. } => {
                format!("update extension {name} to version {to}")
            }
            other => super::not_mine("extensions", other),
        }
    }

    fn note(&self, operation: &Operation) -> Option<String> {
        let Operation::UpdateExtension { name, from, to } = operation else { return None };
        let from = autogen_schema::one_line(from.as_deref().unwrap_or("the version installed"));
        let to = autogen_schema::one_line(to);
        Some(format!(
            "-- runs {}'s update script from {from} to {to}: its functions, types and \
             operators may change, and the server must have that version's files; going \
             back needs an update path the other way, which few extensions ship",
            autogen_schema::one_line(&quote_ident(name))
        ))
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::CreateExtension(_) | Operation::UpdateExtension { .. } => {
                Phase::CreateExtensions
            }
            _ => Phase::DropExtensions,
        }
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::CreateExtension(extension) => {
                let version = match &extension.version {
                    Some(version) => format!(" VERSION {}", quote_literal(version)),
                    None => String::new(),
                };
                vec![format!(
                    "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {}{version};",
                    quote_ident(&extension.name),
                    quote_ident(&extension.schema)
                )]
            }
            Operation::UpdateExtension { name, to, .. } => vec![format!(
                "ALTER EXTENSION {} UPDATE TO {};",
                quote_ident(name),
                quote_literal(to)
            )],
            Operation::DropExtension(extension) => {
                vec![format!("DROP EXTENSION {};", quote_ident(&extension.name))]
            }
            other => super::not_mine("extensions", other),
        }
    }
}
