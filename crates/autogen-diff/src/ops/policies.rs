//! Row-level security: a table's `ENABLE` and `FORCE ROW LEVEL SECURITY`,
//! and its policies — created (with their comment), dropped, changed in
//! place by `ALTER POLICY` (roles, `USING`, `WITH CHECK`) where their
//! command and kind stay and no clause goes, else dropped and created
//! again; renamed when only the name changed (`ALTER POLICY … RENAME TO`),
//! commented. PostgreSQL refuses to change the type of a column a policy
//! reads, or to drop it: such a policy is dropped before and created again
//! after (`triggers::rebuild_keys`). Security is enabled before the
//! policies come and disabled after they go; a policy comes after its
//! table's columns and the tables its expressions name.

use autogen_schema::ddl::Renderer;
use autogen_schema::expression::mentions_column;
use autogen_schema::triggers::{condition_sql, roles_sql};
use autogen_schema::{quote_ident, quote_literal, Policy, QualifiedName, Schema, Table};

use super::Family;
use crate::operation::{expression_keys, Key, Operation, Step};
use crate::order::Phase;

/// `ALTER TABLE … ENABLE/DISABLE/[NO] FORCE ROW LEVEL SECURITY`, `CREATE
/// POLICY`, `ALTER POLICY`, `DROP POLICY`, `COMMENT ON POLICY`.
pub(super) struct Policies;

/// Row-level security and policies of every table: all of a new table's,
/// the differences for a kept one (a dropped table's go with it).
pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    for (name, new) in &to.tables {
        let old = from.tables.get(name);
        let (row_security, forced) =
            old.map_or((false, false), |old| (old.row_security, old.force_row_security));
        if new.row_security != row_security {
            steps.push(
                Step::new(Operation::SetRowSecurity {
                    table: name.clone(),
                    enabled: new.row_security,
                })
                .consumes([Key::Table(name.clone())]),
            );
        }
        if new.force_row_security != forced {
            steps.push(
                Step::new(Operation::ForceRowSecurity {
                    table: name.clone(),
                    forced: new.force_row_security,
                })
                .consumes([Key::Table(name.clone())]),
            );
        }
        match old {
            None => {
                for policy in &new.policies {
                    steps.push(create_policy(to, new, policy, &[]));
                }
            }
            Some(old) => diff_table((from, to), (old, new), steps),
        }
    }
}

fn diff_table((from, to): (&Schema, &Schema), (old, new): (&Table, &Table), steps: &mut Vec<Step>) {
    let table = &new.name;
    let renamed = renames(old, new);
    for policy in &new.policies {
        let before = match old.policy(&policy.name) {
            Some(before) => before,
            None => {
                match renamed.iter().find(|(_, created)| *created == policy) {
                    Some((dropped, _)) => {
                        steps.push(
                            Step::new(Operation::RenamePolicy {
                                table: table.clone(),
                                old: dropped.name.clone(),
                                new: policy.name.clone(),
                            })
                            .consumes([Key::Table(table.clone())])
                            .removes([Key::Policy(table.clone(), dropped.name.clone())])
                            .produces([Key::Policy(table.clone(), policy.name.clone())]),
                        );
                        comment(table, dropped, policy, steps);
                    }
                    None => steps.push(create_policy(to, new, policy, &[])),
                }
                continue;
            }
        };
        let expressions: Vec<&str> = before.expressions().collect();
        let rebuilt = super::triggers::rebuild_keys(
            (from, to),
            (old, new),
            &|column| before.reads_column(column),
            &expressions,
        );
        let in_place = before.command == policy.command
            && before.restrictive == policy.restrictive
            && (before.using.is_none() || policy.using.is_some())
            && (before.with_check.is_none() || policy.with_check.is_some());
        if !rebuilt.is_empty() || !in_place {
            steps.push(drop_policy(from, old, before, &rebuilt));
            steps.push(create_policy(to, new, policy, &rebuilt));
        } else if definition(before) == definition(policy) {
            comment(table, before, policy, steps);
        } else {
            steps.push(
                Step::new(Operation::AlterPolicy {
                    table: table.clone(),
                    from: before.clone(),
                    to: policy.clone(),
                })
                .consumes(policy_keys(to, new, policy))
                .releases(policy_keys(from, old, before)),
            );
            comment(table, before, policy, steps);
        }
    }
    for policy in &old.policies {
        let renamed = renamed.iter().any(|(dropped, _)| *dropped == policy);
        if !renamed && new.policy(&policy.name).is_none() {
            steps.push(drop_policy(from, old, policy, &[]));
        }
    }
}

/// A policy's comment set where it changed.
fn comment(table: &QualifiedName, old: &Policy, new: &Policy, steps: &mut Vec<Step>) {
    if old.comment != new.comment {
        steps.push(
            Step::new(Operation::CommentPolicy {
                table: table.clone(),
                name: new.name.clone(),
                comment: new.comment.clone(),
            })
            .consumes([Key::Policy(table.clone(), new.name.clone())]),
        );
    }
}

/// A policy as `CREATE POLICY` says it: without its name and comment.
fn definition(policy: &Policy) -> Policy {
    Policy { name: String::new(), comment: None, ..policy.clone() }
}

/// The policies of a kept table that go paired with ones that come, equal
/// but for their name and comment: renames, each used once.
fn renames<'t>(old: &'t Table, new: &'t Table) -> Vec<(&'t Policy, &'t Policy)> {
    let gone = |policy: &&Policy| new.policy(&policy.name).is_none();
    let came = |policy: &&Policy| old.policy(&policy.name).is_none();
    let mut pairs: Vec<(&Policy, &Policy)> = Vec::new();
    for created in new.policies.iter().filter(came) {
        let same = old.policies.iter().filter(gone).find(|dropped| {
            !pairs.iter().any(|(taken, _)| taken == dropped)
                && definition(dropped) == definition(created)
        });
        if let Some(dropped) = same {
            pairs.push((dropped, created));
        }
    }
    pairs
}

/// What a policy needs: its table, the columns its expressions read, the
/// enum types and collations they name, and the other tables they read
/// (a subquery's), by the words that may name them.
fn policy_keys(schema: &Schema, table: &Table, policy: &Policy) -> Vec<Key> {
    let expressions: Vec<&str> = policy.expressions().collect();
    let mut keys = vec![Key::Table(table.name.clone())];
    keys.extend(expression_keys(schema, table, expressions.iter().copied()));
    for other in schema.tables.keys().filter(|other| **other != table.name) {
        let named = expressions
            .iter()
            .any(|text| mentions_column(text, &other.name) || text.contains(&other.to_string()));
        if named {
            keys.push(Key::Table(other.clone()));
        }
    }
    keys
}

fn create_policy(schema: &Schema, table: &Table, policy: &Policy, rebuilt: &[Key]) -> Step {
    Step::new(Operation::CreatePolicy { table: table.name.clone(), policy: policy.clone() })
        .produces([Key::Policy(table.name.clone(), policy.name.clone())])
        .consumes(policy_keys(schema, table, policy))
        .consumes(rebuilt.iter().cloned())
}

fn drop_policy(schema: &Schema, table: &Table, policy: &Policy, rebuilt: &[Key]) -> Step {
    Step::new(Operation::DropPolicy { table: table.name.clone(), policy: policy.clone() })
        .removes([Key::Policy(table.name.clone(), policy.name.clone())])
        .releases(policy_keys(schema, table, policy))
        .releases(rebuilt.iter().cloned())
}

fn comment_sql(table: &QualifiedName, name: &str, comment: &Option<String>) -> String {
    let text = comment.as_deref().map_or_else(|| "NULL".to_owned(), quote_literal);
    format!("COMMENT ON POLICY {} ON {table} IS {text};", quote_ident(name))
}

/// `ALTER POLICY` with what changed of `from` to be `to`.
fn alter_policy_sql(table: &QualifiedName, from: &Policy, to: &Policy) -> String {
    let mut sql = format!("ALTER POLICY {} ON {table}", quote_ident(&to.name));
    if from.roles != to.roles {
        sql.push_str(&format!(" TO {}", roles_sql(&to.roles)));
    }
    if let Some(using) = to.using.as_ref().filter(|_| from.using != to.using) {
        sql.push_str(&format!(" USING {}", condition_sql(using.sql())));
    }
    if let Some(with_check) = to.with_check.as_ref().filter(|_| from.with_check != to.with_check) {
        sql.push_str(&format!(" WITH CHECK {}", condition_sql(with_check.sql())));
    }
    sql.push(';');
    sql
}

impl Family for Policies {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::SetRowSecurity { table, enabled } => format!(
                "{} row level security on {table}",
                if *enabled { "enable" } else { "disable" }
            ),
            Operation::ForceRowSecurity { table, forced } => format!(
                "{} row level security on {table}",
                if *forced { "force" } else { "no force" }
            ),
            Operation::CreatePolicy { table, policy } => {
                format!("create policy {} on {table}", quote_ident(&policy.name))
            }
            Operation::AlterPolicy { table, to, .. } => {
                format!("alter policy {} on {table}", quote_ident(&to.name))
            }
            Operation::DropPolicy { table, policy } => {
                format!("drop policy {} on {table}", quote_ident(&policy.name))
            }
            Operation::RenamePolicy { table, old, new } => {
                format!("rename policy {} on {table} to {}", quote_ident(old), quote_ident(new))
            }
            Operation::CommentPolicy { table, name, .. } => {
                format!("comment on policy {} on {table}", quote_ident(name))
            }
            other => super::not_mine("policies", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::DropPolicy { .. } => Phase::DropPolicies,
            Operation::RenamePolicy { .. } => Phase::Renames,
            Operation::SetRowSecurity { .. } | Operation::ForceRowSecurity { .. } => {
                Phase::RowSecurity
            }
            Operation::CommentPolicy { .. } => Phase::ObjectComments,
            _ => Phase::CreatePolicies,
        }
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::SetRowSecurity { table, enabled } => vec![format!(
                "ALTER TABLE {table} {} ROW LEVEL SECURITY;",
                if *enabled { "ENABLE" } else { "DISABLE" }
            )],
            Operation::ForceRowSecurity { table, forced } => vec![format!(
                "ALTER TABLE {table} {} ROW LEVEL SECURITY;",
                if *forced { "FORCE" } else { "NO FORCE" }
            )],
            Operation::CreatePolicy { table, policy } => {
                let mut statements = vec![policy.create_sql(table)];
                if policy.comment.is_some() {
                    statements.push(comment_sql(table, &policy.name, &policy.comment));
                }
                statements
            }
            Operation::AlterPolicy { table, from, to } => vec![alter_policy_sql(table, from, to)],
            Operation::DropPolicy { table, policy } => {
                vec![format!("DROP POLICY {} ON {table};", quote_ident(&policy.name))]
            }
            Operation::RenamePolicy { table, old, new } => vec![format!(
                "ALTER POLICY {} ON {table} RENAME TO {};",
                quote_ident(old),
                quote_ident(new)
            )],
            Operation::CommentPolicy { table, name, comment } => {
                vec![comment_sql(table, name, comment)]
            }
            other => super::not_mine("policies", other),
        }
    }

    fn expressions<'o>(&self, operation: &'o Operation) -> Vec<&'o str> {
        match operation {
            Operation::CreatePolicy { policy, .. } | Operation::AlterPolicy { to: policy, .. } => {
                policy.expressions().collect()
            }
            _ => Vec::new(),
        }
    }
}
