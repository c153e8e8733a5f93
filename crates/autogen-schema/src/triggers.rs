//! Triggers (`pg_trigger`, user triggers only: not the internal ones of
//! foreign keys) and row-level security policies (`pg_policy`), which
//! belong to a table ([`crate::Table::triggers`], [`crate::Table::policies`])
//! or, for `INSTEAD OF` triggers, a view.
//!
//! Canonical forms: a trigger's `WHEN` condition and a policy's `USING` and
//! `WITH CHECK` expressions are [`Rewritten`] text: as `pg_get_triggerdef` /
//! `pg_get_expr` print them with `search_path = public` (a trigger's columns
//! as `new.a`, `old.a`) — the form the SQL reader's expression printer gives
//! when it knows every operator and function in it — or else normalised; `UPDATE OF` columns in
//! the order written (`tgattr`); arguments as the strings PostgreSQL keeps
//! (`tgargs`); a policy's roles in name order, `public` as none.

use serde::{Deserialize, Serialize};

use crate::ident::QualifiedName;
use crate::views::Rewritten;

/// `CREATE [CONSTRAINT] TRIGGER`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Trigger {
    pub name: String,
    pub timing: TriggerTiming,
    /// `INSERT`
    #[serde(default, skip_serializing_if = "is_false")]
    pub on_insert: bool,
    /// `UPDATE` (`Some(vec![])`) or `UPDATE OF columns`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_update: Option<Vec<String>>,
    /// `DELETE`
    #[serde(default, skip_serializing_if = "is_false")]
    pub on_delete: bool,
    /// `TRUNCATE`
    #[serde(default, skip_serializing_if = "is_false")]
    pub on_truncate: bool,
    /// `FOR EACH ROW` (else `FOR EACH STATEMENT`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub for_each_row: bool,
    /// `WHEN (condition)`: the condition without the parentheses
    /// `pg_get_triggerdef` puts around it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Rewritten>,
    /// The trigger function (`tgfoid`), which takes no arguments.
    pub function: QualifiedName,
    /// `tgargs`: the arguments as the strings the function receives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arguments: Vec<String>,
    /// `REFERENCING OLD TABLE AS name`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_table: Option<String>,
    /// `REFERENCING NEW TABLE AS name`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_table: Option<String>,
    /// `CREATE CONSTRAINT TRIGGER` (`tgconstraint`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint: Option<ConstraintTrigger>,
    #[serde(default, skip_serializing_if = "TriggerEnabled::is_default")]
    pub enabled: TriggerEnabled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `BEFORE`, `AFTER` or `INSTEAD OF`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerTiming {
    Before,
    After,
    InsteadOf,
}

/// What makes a trigger a constraint trigger.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ConstraintTrigger {
    #[serde(default, skip_serializing_if = "is_false")]
    pub deferrable: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub initially_deferred: bool,
    /// `FROM referenced_table` (`tgconstrrelid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<QualifiedName>,
}

/// `tgenabled`: `ALTER TABLE … ENABLE/DISABLE [REPLICA | ALWAYS] TRIGGER`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum TriggerEnabled {
    /// `O`: fires in origin and local sessions (the default).
    #[default]
    Origin,
    /// `D`
    Disabled,
    /// `R`
    Replica,
    /// `A`
    Always,
}

impl TriggerEnabled {
    fn is_default(&self) -> bool {
        *self == TriggerEnabled::Origin
    }
}

/// `CREATE POLICY`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Policy {
    pub name: String,
    /// `AS RESTRICTIVE` (`polpermissive = false`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub restrictive: bool,
    #[serde(default, skip_serializing_if = "PolicyCommand::is_default")]
    pub command: PolicyCommand,
    /// `TO roles`, in name order; empty for `PUBLIC`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<Rewritten>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<Rewritten>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `FOR ALL | SELECT | INSERT | UPDATE | DELETE` (`polcmd`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum PolicyCommand {
    #[default]
    All,
    Select,
    Insert,
    Update,
    Delete,
}

impl PolicyCommand {
    fn is_default(&self) -> bool {
        *self == PolicyCommand::All
    }

    /// The keyword after `FOR`.
    pub fn keyword(self) -> &'static str {
        match self {
            PolicyCommand::All => "ALL",
            PolicyCommand::Select => "SELECT",
            PolicyCommand::Insert => "INSERT",
            PolicyCommand::Update => "UPDATE",
            PolicyCommand::Delete => "DELETE",
        }
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}
