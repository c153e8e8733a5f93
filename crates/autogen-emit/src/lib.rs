//! A [`Plan`] as scripts: each step's statements (from
//! [`autogen_diff::step_sql`], which renders each operation family's SQL)
//! in the plan's order, a comment naming its hazards above each, the
//! reviewer's notes, the commit points enum values need; and a migration's
//! up and down text. Assembles strings, never writes files.

use std::fmt::Write as _;

use autogen_diff::{Hints, Plan, Step};
use autogen_schema::ddl::Renderer;
use autogen_schema::Schema;

pub use autogen_diff::step_sql;

/// Up and down SQL of the change from one schema to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub up: String,
    pub down: String,
}

/// The migration from `from` to `to`: up is the plan from `from` to `to`;
/// down is the plan back, so applying up then down returns to `from`.
pub fn migration(from: &Schema, to: &Schema, hints: &Hints) -> Migration {
    let up = autogen_diff::diff(from, to, hints);
    let down = autogen_diff::diff(to, from, &hints.reversed());
    Migration { up: plan_sql(&up, to), down: down_sql(&down, from, &up) }
}

/// The script of `down`, the plan back to `from` from where `up` went,
/// as [`plan_sql`] writes it, with a note above each step that brings
/// back an object whose data `up` dropped.
pub fn down_sql(down: &Plan, from: &Schema, up: &Plan) -> String {
    let restores = |step: &Step| step.comes_back_empty(&up.steps);
    join_parts(render(down, from, &restores))
}

/// Where a script commits the enum values it added before it uses them,
/// between two of the plan's parts ([`Plan::parts`]); `autogen revision`
/// writes the parts ([`parts_sql`]) as migrations of their own instead.
pub const COMMIT_POINT: &str =
    "\n-- The enum values added above must be committed before they are used.\nCOMMIT;\nBEGIN;\n";

/// The statements of `plan` (whose target schema is `target`), with a
/// hazard comment above each step that has hazards. Empty when there is
/// nothing to do.
///
/// An enum value added by `ALTER TYPE … ADD VALUE` cannot be used in the
/// transaction that added it: when a later step uses one (a default, a
/// check), the script commits before that step and goes on in a new
/// transaction, saying so (`COMMIT; BEGIN;` works under sqlx's
/// per-migration transaction and under `psql --single-transaction`).
pub fn plan_sql(plan: &Plan, target: &Schema) -> String {
    join_parts(render(plan, target, &|_| false))
}

/// The script of each of the plan's parts ([`Plan::parts`]): what
/// [`plan_sql`] gives between its commit points.
pub fn parts_sql(plan: &Plan, target: &Schema) -> Vec<String> {
    render(plan, target, &|_| false)
}

/// The parts' scripts as one, committing between them.
fn join_parts(parts: Vec<String>) -> String {
    parts.join(&format!("{COMMIT_POINT}\n"))
}

/// The script of each part of `plan`, with a note above the steps
/// `restores` says bring back an object whose data the up migration
/// dropped.
fn render(plan: &Plan, target: &Schema, restores: &dyn Fn(&Step) -> bool) -> Vec<String> {
    let renderer = Renderer::for_schema(target);
    let mut parts = Vec::new();
    for steps in plan.parts() {
        let mut script = String::new();
        for step in steps {
            if !script.is_empty() {
                script.push('\n');
            }
            if !step.hazards.is_empty() {
                let names: Vec<&str> = step.hazards.iter().map(|hazard| hazard.name()).collect();
                let _ = writeln!(script, "-- hazard: {}", names.join(", "));
            }
            if let Some(note) = step.note() {
                script.push_str(&note);
                script.push('\n');
            }
            if restores(step) {
                script.push_str(
                    "-- cannot restore data: dropped by the up migration, this comes back empty\n",
                );
            }
            for statement in step_sql(&renderer, step) {
                script.push_str(&statement);
                script.push('\n');
            }
        }
        parts.push(script);
    }
    parts
}

/// The canonical DDL of `schema`, what `autogen inspect --format sql`
/// prints: the statements of the plan that builds `schema` in a new
/// database (which holds `public` only), one per paragraph, without the
/// hazard comments and notes a migration carries. One renderer: the text
/// is what a migration from nothing would run, so it loads into an empty
/// database as it is. Deterministic: equal schemas give byte-identical
/// text.
pub fn schema_sql(schema: &Schema) -> String {
    let mut new_database = Schema::default();
    new_database.schemas.insert("public".to_owned());
    let plan = autogen_diff::diff(&new_database, schema, &Hints::default());
    let renderer = Renderer::for_schema(schema);
    let mut script = String::new();
    for step in &plan.steps {
        for statement in step_sql(&renderer, step) {
            if !script.is_empty() {
                script.push('\n');
            }
            script.push_str(&statement);
            script.push('\n');
        }
    }
    script
}
