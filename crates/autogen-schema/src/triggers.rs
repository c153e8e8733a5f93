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

use crate::expression::{
    is_parenthesized, mentions_column, mentions_row_column, rename_row_column,
};
use crate::ident::{quote_ident, quote_literal, QualifiedName};
use crate::model::Table;
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

impl Trigger {
    /// Whether the trigger reads column `column` of its table: in `UPDATE
    /// OF` or as `new.column` / `old.column` in `WHEN` (PostgreSQL refuses
    /// to drop it or change its type under the trigger).
    pub fn reads_column(&self, column: &str) -> bool {
        self.on_update.iter().flatten().any(|listed| listed == column)
            || self.when.as_ref().is_some_and(|when| mentions_row_column(&when.text, column))
    }

    /// Column `old` called `new`, as PostgreSQL follows a column's rename
    /// (`UPDATE OF` keeps attribute numbers, `WHEN` is a parse tree).
    pub fn rename_column(&mut self, old: &str, new: &str) {
        for listed in self.on_update.iter_mut().flatten().filter(|listed| *listed == old) {
            *listed = new.to_owned();
        }
        if let Some(when) = &mut self.when {
            change_text(when, |text| rename_row_column(text, old, new));
        }
    }

    /// `CREATE CONSTRAINT TRIGGER`.
    pub fn is_constraint(&self) -> bool {
        self.constraint.is_some()
    }

    /// The events as `pg_get_triggerdef` writes them: `INSERT OR DELETE OR
    /// UPDATE OF a, b OR TRUNCATE`.
    pub fn events_sql(&self) -> String {
        let mut events = Vec::new();
        if self.on_insert {
            events.push("INSERT".to_owned());
        }
        if self.on_delete {
            events.push("DELETE".to_owned());
        }
        match &self.on_update {
            Some(columns) if columns.is_empty() => events.push("UPDATE".to_owned()),
            Some(columns) => {
                let columns: Vec<String> =
                    columns.iter().map(|column| quote_ident(column)).collect();
                events.push(format!("UPDATE OF {}", columns.join(", ")));
            }
            None => {}
        }
        if self.on_truncate {
            events.push("TRUNCATE".to_owned());
        }
        events.join(" OR ")
    }

    /// `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER …` on `table`, in the
    /// order of PostgreSQL's grammar (and of `pg_get_triggerdef`).
    pub fn create_sql(&self, table: &QualifiedName, or_replace: bool) -> String {
        let mut sql = String::from("CREATE ");
        if or_replace {
            sql.push_str("OR REPLACE ");
        }
        if self.is_constraint() {
            sql.push_str("CONSTRAINT ");
        }
        sql.push_str("TRIGGER ");
        sql.push_str(&quote_ident(&self.name));
        sql.push_str(match self.timing {
            TriggerTiming::Before => " BEFORE ",
            TriggerTiming::After => " AFTER ",
            TriggerTiming::InsteadOf => " INSTEAD OF ",
        });
        sql.push_str(&self.events_sql());
        sql.push_str(&format!(" ON {table}"));
        if let Some(constraint) = &self.constraint {
            if let Some(from) = &constraint.from {
                sql.push_str(&format!(" FROM {from}"));
            }
            if constraint.deferrable {
                sql.push_str(" DEFERRABLE");
            }
            if constraint.initially_deferred {
                sql.push_str(" INITIALLY DEFERRED");
            }
        }
        let mut referencing = Vec::new();
        if let Some(old_table) = &self.old_table {
            referencing.push(format!("OLD TABLE AS {}", quote_ident(old_table)));
        }
        if let Some(new_table) = &self.new_table {
            referencing.push(format!("NEW TABLE AS {}", quote_ident(new_table)));
        }
        if !referencing.is_empty() {
            sql.push_str(&format!(" REFERENCING {}", referencing.join(" ")));
        }
        sql.push_str(if self.for_each_row { " FOR EACH ROW" } else { " FOR EACH STATEMENT" });
        if let Some(when) = &self.when {
            sql.push_str(&format!(" WHEN {}", condition_sql(when.sql())));
        }
        let arguments: Vec<String> =
            self.arguments.iter().map(|argument| quote_literal(argument)).collect();
        sql.push_str(&format!(" EXECUTE FUNCTION {}({});", self.function, arguments.join(", ")));
        sql
    }
}

impl TriggerEnabled {
    /// What `ALTER TABLE` says to put a trigger in this state: `ENABLE`,
    /// `DISABLE`, `ENABLE REPLICA`, `ENABLE ALWAYS`.
    pub fn keyword(self) -> &'static str {
        match self {
            TriggerEnabled::Origin => "ENABLE",
            TriggerEnabled::Disabled => "DISABLE",
            TriggerEnabled::Replica => "ENABLE REPLICA",
            TriggerEnabled::Always => "ENABLE ALWAYS",
        }
    }

    /// `tgenabled`'s code.
    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "O" => TriggerEnabled::Origin,
            "D" => TriggerEnabled::Disabled,
            "R" => TriggerEnabled::Replica,
            "A" => TriggerEnabled::Always,
            _ => return None,
        })
    }
}

impl Policy {
    /// Whether `USING` or `WITH CHECK` reads column `column` of the table
    /// (PostgreSQL refuses to drop it or change its type under the policy).
    pub fn reads_column(&self, column: &str) -> bool {
        self.expressions().any(|text| mentions_column(text, column))
    }

    /// The texts of `USING` and `WITH CHECK`.
    pub fn expressions(&self) -> impl Iterator<Item = &str> {
        self.using.iter().chain(&self.with_check).map(|text| text.text.as_str())
    }

    /// `USING` and `WITH CHECK` made `change(text)`.
    pub fn change_expressions(&mut self, mut change: impl FnMut(&str) -> String) {
        for text in self.using.iter_mut().chain(&mut self.with_check) {
            change_text(text, &mut change);
        }
    }

    /// `CREATE POLICY …` on `table`, PostgreSQL's defaults left out
    /// (`AS PERMISSIVE`, `FOR ALL`, `TO PUBLIC`).
    pub fn create_sql(&self, table: &QualifiedName) -> String {
        let mut sql = format!("CREATE POLICY {} ON {table}", quote_ident(&self.name));
        if self.restrictive {
            sql.push_str(" AS RESTRICTIVE");
        }
        if self.command != PolicyCommand::All {
            sql.push_str(&format!(" FOR {}", self.command.keyword()));
        }
        if !self.roles.is_empty() {
            sql.push_str(&format!(" TO {}", roles_sql(&self.roles)));
        }
        if let Some(using) = &self.using {
            sql.push_str(&format!(" USING {}", condition_sql(using.sql())));
        }
        if let Some(with_check) = &self.with_check {
            sql.push_str(&format!(" WITH CHECK {}", condition_sql(with_check.sql())));
        }
        sql.push(';');
        sql
    }
}

impl PolicyCommand {
    /// `polcmd`'s code.
    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "*" => PolicyCommand::All,
            "r" => PolicyCommand::Select,
            "a" => PolicyCommand::Insert,
            "w" => PolicyCommand::Update,
            "d" => PolicyCommand::Delete,
            _ => return None,
        })
    }
}

/// `text` (and the text a source wrote, where it is kept) made
/// `change(text)`.
pub fn change_text(text: &mut Rewritten, mut change: impl FnMut(&str) -> String) {
    text.text = change(&text.text);
    if let Some(written) = &mut text.written {
        *written = change(written);
    }
}

/// A policy's roles as `TO` takes them: `PUBLIC` for none.
pub fn roles_sql(roles: &[String]) -> String {
    if roles.is_empty() {
        return "PUBLIC".to_owned();
    }
    let roles: Vec<String> = roles.iter().map(|role| quote_ident(role)).collect();
    roles.join(", ")
}

/// A condition where the grammar wants `( expression )`: as it is when it
/// is one parenthesised group already, else in parentheses.
pub fn condition_sql(text: &str) -> String {
    if is_parenthesized(text) {
        text.to_owned()
    } else {
        format!("({text})")
    }
}

impl Table {
    /// The trigger called `name`.
    pub fn trigger(&self, name: &str) -> Option<&Trigger> {
        self.triggers.iter().find(|trigger| trigger.name == name)
    }

    /// The policy called `name`.
    pub fn policy(&self, name: &str) -> Option<&Policy> {
        self.policies.iter().find(|policy| policy.name == name)
    }

    /// Table `old` called `new` where this table's triggers name it (a
    /// constraint trigger's `FROM`), as PostgreSQL follows a rename.
    pub fn rename_referenced_table(&mut self, old: &QualifiedName, new: &QualifiedName) {
        for constraint in self.triggers.iter_mut().filter_map(|trigger| trigger.constraint.as_mut())
        {
            if constraint.from.as_ref() == Some(old) {
                constraint.from = Some(new.clone());
            }
        }
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trigger() -> Trigger {
        Trigger {
            name: "Touch ✎".into(),
            timing: TriggerTiming::Before,
            on_insert: true,
            on_update: Some(vec!["status".into(), "Total".into()]),
            on_delete: true,
            on_truncate: false,
            for_each_row: true,
            when: Some(Rewritten::catalog("(new.\"Total\" > old.\"Total\")")),
            function: QualifiedName::new("app", "touch"),
            arguments: vec!["it's".into(), "7".into()],
            old_table: None,
            new_table: None,
            constraint: None,
            enabled: TriggerEnabled::Disabled,
            comment: None,
        }
    }

    #[test]
    fn a_trigger_says_what_it_reads_and_follows_a_rename() {
        let mut trigger = trigger();
        assert!(trigger.reads_column("status") && trigger.reads_column("Total"));
        assert!(!trigger.reads_column("total") && !trigger.reads_column("new"));
        trigger.rename_column("Total", "sum");
        assert_eq!(trigger.on_update, Some(vec!["status".into(), "sum".into()]));
        assert_eq!(trigger.when.unwrap().text, "(new.sum > old.sum)");
    }

    #[test]
    fn a_trigger_is_written_in_the_grammars_order() {
        let table = QualifiedName::new("public", "orders");
        assert_eq!(
            trigger().create_sql(&table, true),
            "CREATE OR REPLACE TRIGGER \"Touch ✎\" BEFORE INSERT OR DELETE OR UPDATE OF status, \
             \"Total\" ON public.orders FOR EACH ROW WHEN (new.\"Total\" > old.\"Total\") \
             EXECUTE FUNCTION app.touch('it''s', '7');"
        );
        let constraint = Trigger {
            timing: TriggerTiming::After,
            on_delete: false,
            on_update: None,
            when: None,
            arguments: Vec::new(),
            constraint: Some(ConstraintTrigger {
                deferrable: true,
                initially_deferred: true,
                from: Some(QualifiedName::new("app", "parents")),
            }),
            ..trigger()
        };
        assert_eq!(
            constraint.create_sql(&table, false),
            "CREATE CONSTRAINT TRIGGER \"Touch ✎\" AFTER INSERT ON public.orders FROM app.parents \
             DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.touch();"
        );
    }

    #[test]
    fn a_policy_leaves_postgresqls_defaults_out() {
        let policy = Policy {
            name: "own rows".into(),
            restrictive: false,
            command: PolicyCommand::All,
            roles: Vec::new(),
            using: Some(Rewritten::normalised("auth.uid() = user_id")),
            with_check: Some(Rewritten::catalog("(user_id IS NOT NULL)")),
            comment: None,
        };
        let table = QualifiedName::new("public", "todos");
        assert_eq!(
            policy.create_sql(&table),
            "CREATE POLICY \"own rows\" ON public.todos USING (auth.uid() = user_id) \
             WITH CHECK (user_id IS NOT NULL);"
        );
        assert!(policy.reads_column("user_id") && !policy.reads_column("uid"));
        let restrictive = Policy {
            restrictive: true,
            command: PolicyCommand::Delete,
            roles: vec!["Admins".into(), "anon".into()],
            with_check: None,
            ..policy
        };
        assert_eq!(
            restrictive.create_sql(&table),
            "CREATE POLICY \"own rows\" ON public.todos AS RESTRICTIVE FOR DELETE TO \"Admins\", \
             anon USING (auth.uid() = user_id);"
        );
    }
}
