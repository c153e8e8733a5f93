//! Privileges kept across a rebuild. autogen does not diff privileges
//! (they are outside a schema's `==`): a plan never grants or revokes to
//! make two schemas alike. But a view, materialized view or routine the
//! plan drops and creates again under the same name — or a table it sets
//! aside and creates anew ([`super::repartition`]) — comes back with
//! PostgreSQL's default privileges; what was granted on it is granted
//! again right after its creation ([`Operation::RestoreGrants`]).
//!
//! Which grants: the `from` side's object's when known (a catalog's ACL,
//! or the `GRANT`s a SQL source wrote), else the `to` side's. The up plan's
//! `from` is the database, whose grants come back; the down plan's `from`
//! is the declared schema, usually without any, so the database's — its
//! `to` — come back again. A new object, or one changed in place (`CREATE
//! OR REPLACE`, which keeps the ACL), gets no statement.

use autogen_schema::ddl::Renderer;
use autogen_schema::routine_sql::routine_signature;
use autogen_schema::{Grant, GrantedOn, Grants, QualifiedName, RoutineName, Schema};

use super::Family;
use crate::operation::{Key, Operation, Step};
use crate::order::Phase;

/// `GRANT … ON …` after a rebuild.
pub(super) struct Privileges;

/// What privileges are restored on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantObject {
    /// A table set aside and created anew (its partitioning changed):
    /// `ON TABLE name`.
    Table(QualifiedName),
    /// A view or materialized view: `ON TABLE name`.
    Relation { name: QualifiedName, materialized: bool },
    /// A function or procedure: `ON FUNCTION name(types)` (or
    /// `PROCEDURE`).
    Routine { name: RoutineName, procedure: bool },
}

/// After every other family's steps: for each creation (not a
/// replacement) of a view, materialized view or routine that `from` holds
/// under the same name — so the plan drops it first — a step that grants
/// again what was granted on it. `from` is the schema as hints renamed it,
/// before routines were set aside (their creation is a plain `CREATE`).
pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    let mut restored = Vec::new();
    for step in steps.iter() {
        let (object, old, new) = match &step.operation {
            Operation::CreateView(view) => (
                GrantObject::Relation { name: view.name.clone(), materialized: false },
                relation_grants(from, &view.name),
                relation_grants(to, &view.name),
            ),
            Operation::CreateMaterializedView { view, .. } => (
                GrantObject::Relation { name: view.name.clone(), materialized: true },
                relation_grants(from, &view.name),
                relation_grants(to, &view.name),
            ),
            Operation::CreateFunction { function, replace: false } => {
                let identity = function.identity();
                (
                    GrantObject::Routine { name: identity.clone(), procedure: function.procedure },
                    from.functions.get(&identity).map(|old| &old.grants),
                    to.functions.get(&identity).map(|new| &new.grants),
                )
            }
            _ => continue,
        };
        // Not in `from`: a new object, with the privileges it is given.
        let Some(old) = old else { continue };
        let Some(grants) = kept(object.granted_on(), old, new) else { continue };
        let key = match &object {
            GrantObject::Table(name) | GrantObject::Relation { name, .. } => {
                Key::Table(name.clone())
            }
            GrantObject::Routine { name, .. } => Key::Function(name.name.clone()),
        };
        restored.push(Step::new(Operation::RestoreGrants { on: object, grants }).consumes([key]));
    }
    steps.extend(restored);
}

/// What to grant again on an object created anew: its grants in `from`
/// (`old`) when known, else in `to`; nothing when those are PostgreSQL's
/// defaults.
pub(crate) fn kept(on: GrantedOn, old: &Grants, new: Option<&Grants>) -> Option<Vec<Grant>> {
    let grants = match (&old.0, new.and_then(|new| new.0.as_ref())) {
        (Some(known), _) | (None, Some(known)) => known.clone(),
        (None, None) => return None,
    };
    Grants(Some(grants.clone())).differ_from_defaults(on).then_some(grants)
}

/// The grants of the view or materialized view `name` of `schema`.
fn relation_grants<'s>(schema: &'s Schema, name: &QualifiedName) -> Option<&'s Grants> {
    match schema.views.get(name) {
        Some(view) => Some(&view.grants),
        None => schema.materialized_views.get(name).map(|view| &view.grants),
    }
}

impl GrantObject {
    fn granted_on(&self) -> GrantedOn {
        match self {
            GrantObject::Table(_) | GrantObject::Relation { .. } => GrantedOn::Relation,
            GrantObject::Routine { .. } => GrantedOn::Routine,
        }
    }

    /// What follows `ON`.
    fn sql(&self, renderer: &Renderer<'_>) -> String {
        match self {
            GrantObject::Table(name) | GrantObject::Relation { name, .. } => {
                format!("TABLE {name}")
            }
            GrantObject::Routine { name, procedure } => format!(
                "{} {}",
                if *procedure { "PROCEDURE" } else { "FUNCTION" },
                routine_signature(name, renderer)
            ),
        }
    }
}

impl Family for Privileges {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::RestoreGrants { on, .. } => match on {
                GrantObject::Table(name) => format!("grant again the privileges on table {name}"),
                GrantObject::Relation { name, materialized } => {
                    let what = if *materialized { "materialized view" } else { "view" };
                    format!("grant again the privileges on {what} {name}")
                }
                GrantObject::Routine { name, procedure } => {
                    let what = if *procedure { "procedure" } else { "function" };
                    format!("grant again the privileges on {what} {name}")
                }
            },
            other => super::not_mine("grants", other),
        }
    }

    fn phase(&self, _operation: &Operation) -> Phase {
        Phase::Grants
    }

    fn sql(&self, operation: &Operation, renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::RestoreGrants { on, grants } => {
                Grants(Some(grants.clone())).sql(on.granted_on(), &on.sql(renderer))
            }
            other => super::not_mine("grants", other),
        }
    }
}
