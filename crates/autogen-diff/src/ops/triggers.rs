//! Triggers, which belong to their table or view: created (with their
//! state and comment), dropped, changed in place by `CREATE OR REPLACE
//! TRIGGER` (not a constraint trigger: PostgreSQL refuses to replace one,
//! so it is dropped and created again), renamed when only the name
//! changed, enabled and disabled, commented. PostgreSQL refuses to change
//! the type of a column a trigger reads (`UPDATE OF`, `new.c` in `WHEN`)
//! or to drop it: such a trigger is dropped before the change and created
//! again after ([`Key::ColumnType`], [`rebuild_keys`]), its state and
//! comment with it. A view's triggers (`INSTEAD OF`, statement ones) go
//! with it when it is dropped and are created again after it when it is
//! created again. A trigger is created after its table or view, columns,
//! function and the table its constraint trigger is `FROM`
//! ([`Phase::CreateTriggers`]).

use autogen_schema::ddl::Renderer;
use autogen_schema::expression::mentions_type;
use autogen_schema::{quote_ident, quote_literal, QualifiedName, Schema, Table, Trigger, View};
use autogen_schema::{SqlType, TriggerEnabled};

use super::Family;
use crate::operation::{column_key, enum_keys, expression_collation_keys, Key, Operation, Step};
use crate::order::Phase;

/// `CREATE TRIGGER`, `CREATE OR REPLACE TRIGGER`, `DROP TRIGGER`, `ALTER
/// TRIGGER … RENAME TO`, `ALTER TABLE … ENABLE/DISABLE TRIGGER`, `COMMENT ON
/// TRIGGER`.
pub(super) struct Triggers;

/// The triggers of every table: all of those of a new table, the
/// differences for a kept one (those of a dropped table go with it).
pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    for (name, new) in &to.tables {
        match from.tables.get(name) {
            None => {
                for trigger in &new.triggers {
                    steps.push(create_trigger(to, new, trigger, &[]));
                }
            }
            Some(old) => diff_table((from, to), (old, new), steps),
        }
    }
    // A view's triggers: all of those of a view created (or dropped and
    // created again: they went with it), the differences for one kept.
    let rebuilt = super::views::rebuilt(from, to);
    for (name, view) in &to.views {
        let new = as_table(view);
        match from.views.get(name) {
            Some(old) if !rebuilt.contains(name) => {
                diff_table((from, to), (&as_table(old), &new), steps)
            }
            _ => {
                for trigger in &new.triggers {
                    steps.push(create_trigger(to, &new, trigger, &[]));
                }
            }
        }
    }
}

/// A view as a table of its triggers (and its columns, which statement
/// triggers' `UPDATE OF` name), for the table's code: a view's triggers
/// are created, replaced, renamed and commented as a table's are.
fn as_table(view: &View) -> Table {
    let mut table = Table::new(view.name.clone());
    table.columns = (view.columns.iter())
        .map(|column| autogen_schema::Column::new(column.name.clone(), SqlType::Text))
        .collect();
    table.triggers = view.triggers.clone();
    table
}

fn diff_table((from, to): (&Schema, &Schema), (old, new): (&Table, &Table), steps: &mut Vec<Step>) {
    let table = &new.name;
    let renamed = renames(old, new);
    for trigger in &new.triggers {
        let before = match old.trigger(&trigger.name) {
            Some(before) => before,
            None => match renamed.iter().find(|(_, created)| *created == trigger) {
                Some((dropped, _)) => {
                    steps.push(
                        Step::new(Operation::RenameTrigger {
                            table: table.clone(),
                            old: dropped.name.clone(),
                            new: trigger.name.clone(),
                        })
                        .consumes([Key::Table(table.clone())])
                        .removes([Key::Trigger(table.clone(), dropped.name.clone())])
                        .produces([Key::Trigger(table.clone(), trigger.name.clone())]),
                    );
                    settings(table, dropped, trigger, steps);
                    continue;
                }
                None => {
                    steps.push(create_trigger(to, new, trigger, &[]));
                    continue;
                }
            },
        };
        let rebuilt = rebuild_keys(
            (from, to),
            (old, new),
            &|column| before.reads_column(column),
            &expressions(before),
        );
        if !rebuilt.is_empty() {
            // Dropped before what PostgreSQL refuses under it, created after.
            steps.push(drop_trigger(from, old, before, &rebuilt));
            steps.push(create_trigger(to, new, trigger, &rebuilt));
        } else if definition(before) == definition(trigger) {
            settings(table, before, trigger, steps);
        } else if before.is_constraint() || trigger.is_constraint() {
            steps.push(drop_trigger(from, old, before, &[]));
            steps.push(create_trigger(to, new, trigger, &[]));
        } else {
            steps.push(
                Step::new(Operation::ReplaceTrigger {
                    table: table.clone(),
                    from: before.clone(),
                    to: trigger.clone(),
                })
                .consumes(trigger_keys(to, new, trigger))
                .releases(trigger_keys(from, old, before)),
            );
        }
    }
    for trigger in &old.triggers {
        let renamed = renamed.iter().any(|(dropped, _)| *dropped == trigger);
        if !renamed && new.trigger(&trigger.name).is_none() {
            steps.push(drop_trigger(from, old, trigger, &[]));
        }
    }
}

/// A trigger's state and comment set where they changed and its
/// definition did not.
fn settings(table: &QualifiedName, old: &Trigger, new: &Trigger, steps: &mut Vec<Step>) {
    let key = Key::Trigger(table.clone(), new.name.clone());
    if old.enabled != new.enabled {
        steps.push(
            Step::new(Operation::SetTriggerEnabled {
                table: table.clone(),
                name: new.name.clone(),
                enabled: new.enabled,
            })
            .consumes([key.clone()]),
        );
    }
    if old.comment != new.comment {
        steps.push(
            Step::new(Operation::CommentTrigger {
                table: table.clone(),
                name: new.name.clone(),
                comment: new.comment.clone(),
            })
            .consumes([key]),
        );
    }
}

/// A trigger as `CREATE TRIGGER` says it: without its name, state and
/// comment.
fn definition(trigger: &Trigger) -> Trigger {
    Trigger {
        name: String::new(),
        enabled: TriggerEnabled::Origin,
        comment: None,
        ..trigger.clone()
    }
}

/// The triggers of a kept table that go (none of their name in `new`)
/// paired with ones that come, equal but for their name, state and
/// comment: renames, each used once.
fn renames<'t>(old: &'t Table, new: &'t Table) -> Vec<(&'t Trigger, &'t Trigger)> {
    let gone = |trigger: &&Trigger| new.trigger(&trigger.name).is_none();
    let came = |trigger: &&Trigger| old.trigger(&trigger.name).is_none();
    let mut pairs: Vec<(&Trigger, &Trigger)> = Vec::new();
    for created in new.triggers.iter().filter(came) {
        let same = old.triggers.iter().filter(gone).find(|dropped| {
            !pairs.iter().any(|(taken, _)| taken == dropped)
                && definition(dropped) == definition(created)
        });
        if let Some(dropped) = same {
            pairs.push((dropped, created));
        }
    }
    pairs
}

/// The printed expressions of a trigger (its `WHEN`).
fn expressions(trigger: &Trigger) -> Vec<&str> {
    trigger.when.iter().map(|when| when.text.as_str()).collect()
}

/// What makes a trigger or a policy of a kept table (one that reads
/// columns `reads` says, with printed `expressions`) dropped before and
/// created again after, as keys its drop releases and its creation needs:
/// the type of a column it reads changes (`ALTER COLUMN … TYPE`, which
/// PostgreSQL refuses under it: [`Key::ColumnType`]), a column it reads is
/// dropped and added again ([`Key::Column`]), or an enum type it reads or
/// casts to is swapped for new values, or a domain replaced for a new
/// base type ([`Key::Type`]). Empty when nothing does.
pub(crate) fn rebuild_keys(
    (from, to): (&Schema, &Schema),
    (old, new): (&Table, &Table),
    reads: &dyn Fn(&str) -> bool,
    expressions: &[&str],
) -> Vec<Key> {
    let table = &new.name;
    // Types whose columns are moved to a new type (ALTER COLUMN … TYPE):
    // enums swapped for new values, domains replaced for a new base type.
    let mut swapped = super::enums::swapped(from, to);
    swapped.extend(
        (to.domains.iter())
            .filter(|(name, new)| {
                from.domains.get(*name).is_some_and(|old| {
                    old.data_type != new.data_type || old.collation != new.collation
                })
            })
            .map(|(name, _)| name.clone()),
    );
    let replaced = super::columns::replaced_columns(old, new);
    let mut keys = Vec::new();
    for before in old.columns.iter().filter(|column| reads(&column.name)) {
        let Some(after) = new.column(&before.name) else { continue };
        if replaced.contains(&before.name) {
            keys.push(column_key(table, &before.name));
        } else if before.data_type != after.data_type || before.collation != after.collation {
            keys.push(Key::ColumnType(table.clone(), before.name.clone()));
        }
        if let SqlType::UserDefined { name } = before.data_type.element() {
            if swapped.contains(name) {
                keys.push(Key::Type(name.clone()));
            }
        }
    }
    for name in &swapped {
        if expressions.iter().any(|text| mentions_type(text, name)) {
            keys.push(Key::Type(name.clone()));
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Whether a trigger or a policy of `table` reads `column`: its type
/// change waits for them to be dropped and comes before they are created
/// again ([`Key::ColumnType`]).
pub(crate) fn read_by_triggers_or_policies(table: &Table, column: &str) -> bool {
    table.triggers.iter().any(|trigger| trigger.reads_column(column))
        || table.policies.iter().any(|policy| policy.reads_column(column))
}

/// What a trigger needs: its table, the columns it reads, the enum types
/// and collations its condition names, the table it is `FROM`, its
/// function (one of `pg_catalog` is always there) and the routines its
/// condition calls.
fn trigger_keys(schema: &Schema, table: &Table, trigger: &Trigger) -> Vec<Key> {
    let name = &table.name;
    let mut keys = vec![Key::Table(name.clone())];
    keys.extend(
        (table.columns.iter())
            .filter(|column| trigger.reads_column(&column.name))
            .map(|column| column_key(name, &column.name)),
    );
    keys.extend(enum_keys(schema, expressions(trigger)));
    keys.extend(expression_collation_keys(schema, expressions(trigger)));
    if trigger.function.schema != "pg_catalog" {
        keys.push(Key::Function(trigger.function.clone()));
    }
    keys.extend(super::functions::called_routine_keys(schema, expressions(trigger)));
    if let Some(from) = trigger.constraint.as_ref().and_then(|constraint| constraint.from.as_ref())
    {
        keys.push(Key::Table(from.clone()));
    }
    keys
}

fn create_trigger(schema: &Schema, table: &Table, trigger: &Trigger, rebuilt: &[Key]) -> Step {
    Step::new(Operation::CreateTrigger { table: table.name.clone(), trigger: trigger.clone() })
        .produces([Key::Trigger(table.name.clone(), trigger.name.clone())])
        .consumes(trigger_keys(schema, table, trigger))
        .consumes(rebuilt.iter().cloned())
}

fn drop_trigger(schema: &Schema, table: &Table, trigger: &Trigger, rebuilt: &[Key]) -> Step {
    Step::new(Operation::DropTrigger { table: table.name.clone(), trigger: trigger.clone() })
        .removes([Key::Trigger(table.name.clone(), trigger.name.clone())])
        .releases(trigger_keys(schema, table, trigger))
        .releases(rebuilt.iter().cloned())
}

/// `ALTER TABLE t … TRIGGER name` putting a trigger in state `enabled`.
fn enabled_sql(table: &QualifiedName, name: &str, enabled: TriggerEnabled) -> String {
    format!("ALTER TABLE {table} {} TRIGGER {};", enabled.keyword(), quote_ident(name))
}

fn comment_sql(table: &QualifiedName, name: &str, comment: &Option<String>) -> String {
    let text = comment.as_deref().map_or_else(|| "NULL".to_owned(), quote_literal);
    format!("COMMENT ON TRIGGER {} ON {table} IS {text};", quote_ident(name))
}

impl Family for Triggers {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::CreateTrigger { table, trigger } => {
                format!("create trigger {} on {table}", quote_ident(&trigger.name))
            }
            Operation::ReplaceTrigger { table, to, .. } => {
                format!("replace trigger {} on {table}", quote_ident(&to.name))
            }
            Operation::DropTrigger { table, trigger } => {
                format!("drop trigger {} on {table}", quote_ident(&trigger.name))
            }
            Operation::RenameTrigger { table, old, new } => {
                format!("rename trigger {} on {table} to {}", quote_ident(old), quote_ident(new))
            }
            Operation::SetTriggerEnabled { table, name, enabled } => format!(
                "{} trigger {} on {table}",
                enabled.keyword().to_ascii_lowercase(),
                quote_ident(name)
            ),
            Operation::CommentTrigger { table, name, .. } => {
                format!("comment on trigger {} on {table}", quote_ident(name))
            }
            other => super::not_mine("triggers", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::DropTrigger { .. } => Phase::DropTriggers,
            Operation::RenameTrigger { .. } => Phase::Renames,
            Operation::CommentTrigger { .. } => Phase::ObjectComments,
            _ => Phase::CreateTriggers,
        }
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::CreateTrigger { table, trigger } => {
                let mut statements = vec![trigger.create_sql(table, false)];
                if trigger.enabled != TriggerEnabled::Origin {
                    statements.push(enabled_sql(table, &trigger.name, trigger.enabled));
                }
                if trigger.comment.is_some() {
                    statements.push(comment_sql(table, &trigger.name, &trigger.comment));
                }
                statements
            }
            Operation::ReplaceTrigger { table, from, to } => {
                let mut statements = vec![to.create_sql(table, true)];
                // A replaced trigger fires as a new one does; its comment
                // stays.
                if to.enabled != TriggerEnabled::Origin {
                    statements.push(enabled_sql(table, &to.name, to.enabled));
                }
                if from.comment != to.comment {
                    statements.push(comment_sql(table, &to.name, &to.comment));
                }
                statements
            }
            Operation::DropTrigger { table, trigger } => {
                vec![format!("DROP TRIGGER {} ON {table};", quote_ident(&trigger.name))]
            }
            Operation::RenameTrigger { table, old, new } => vec![format!(
                "ALTER TRIGGER {} ON {table} RENAME TO {};",
                quote_ident(old),
                quote_ident(new)
            )],
            Operation::SetTriggerEnabled { table, name, enabled } => {
                vec![enabled_sql(table, name, *enabled)]
            }
            Operation::CommentTrigger { table, name, comment } => {
                vec![comment_sql(table, name, comment)]
            }
            other => super::not_mine("triggers", other),
        }
    }

    fn expressions<'o>(&self, operation: &'o Operation) -> Vec<&'o str> {
        match operation {
            Operation::CreateTrigger { trigger, .. }
            | Operation::ReplaceTrigger { to: trigger, .. } => expressions(trigger),
            _ => Vec::new(),
        }
    }
}
