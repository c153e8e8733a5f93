//! Triggers, row-level security and policies applied to the tables they
//! belong to, as PostgreSQL applies them: names unique per table, the
//! refusals of `CreateTriggerFiringOn` and `CreatePolicy` (a condition's
//! rows, transition tables, `WITH CHECK` on `SELECT`…), `CREATE OR REPLACE
//! TRIGGER` (which enables the trigger again, its comment kept), renames,
//! and conditions printed as the catalog prints them — or, where the
//! expression printer does not know everything in one, normalised.
//!
//! A trigger's function is not modelled here: it is named by the function
//! the search path finds (`Schema::functions` when a source models them,
//! PostgreSQL's own trigger functions in `pg_catalog`, else the first
//! schema of the path that exists).

use std::ops::ControlFlow;

use autogen_schema::{
    quote_ident, Column, ConstraintTrigger, Policy, PolicyCommand, QualifiedName, Rewritten, Table,
    Trigger, TriggerEnabled, TriggerTiming,
};
use sqlparser::ast::{Expr, Ident, ObjectName, ObjectNamePart, VisitMut, VisitorMut};

use super::Builder;
use crate::ddl::{
    CreatePolicy, CreateTrigger, Name, PolicyStatement, Role, TriggerSelection, TriggerStatement,
};
use crate::expr;

/// PostgreSQL's own trigger functions, which `pg_catalog` (first on every
/// search path) finds by their bare names.
const CATALOG_TRIGGER_FUNCTIONS: &[&str] = &[
    "suppress_redundant_updates_trigger",
    "tsvector_update_trigger",
    "tsvector_update_trigger_column",
];

impl Builder {
    /// `CREATE TRIGGER`, `ALTER TRIGGER … RENAME TO`, `DROP TRIGGER`.
    pub(super) fn trigger_statement(
        &mut self,
        statement: &TriggerStatement,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        match statement {
            TriggerStatement::Create(create) => self.create_trigger(create, warnings),
            TriggerStatement::Rename { name, table, new_name } => {
                let relation = self.trigger_relation(table)?;
                let table_name = relation.name().clone();
                if !self.triggers_of(&relation).iter().any(|trigger| trigger.name == *name) {
                    return Err(format!(
                        "trigger `{name}` for table `{table_name}` does not exist"
                    ));
                }
                if self.triggers_of(&relation).iter().any(|trigger| trigger.name == *new_name) {
                    return Err(format!(
                        "trigger `{new_name}` for relation `{table_name}` already exists"
                    ));
                }
                let triggers = self.triggers_mut(&relation);
                for trigger in triggers.iter_mut().filter(|trigger| trigger.name == *name) {
                    trigger.name = new_name.clone();
                }
                triggers.sort_by(|left, right| left.name.cmp(&right.name));
                Ok(())
            }
            TriggerStatement::Drop { name, table, if_exists } => {
                let Ok(relation) = self.trigger_relation(table) else {
                    return match if_exists {
                        true => Ok(()),
                        false => Err(format!("relation `{table}` does not exist")),
                    };
                };
                let table_name = relation.name().clone();
                if !self.triggers_of(&relation).iter().any(|trigger| trigger.name == *name) {
                    return match if_exists {
                        true => Ok(()),
                        false => {
                            Err(format!("trigger `{name}` for table `{table_name}` does not exist"))
                        }
                    };
                }
                self.triggers_mut(&relation).retain(|trigger| trigger.name != *name);
                Ok(())
            }
        }
    }

    /// The table or view a trigger statement names, which must exist (a
    /// materialized view cannot have triggers).
    fn trigger_relation(&self, name: &Name) -> Result<Relation, String> {
        let found = self.lookup(name, |qualified| {
            self.schema.tables.contains_key(qualified) || self.schema.has_view(qualified)
        });
        match found {
            None => Err(format!("relation `{name}` does not exist")),
            Some(found) if self.schema.tables.contains_key(&found) => Ok(Relation::Table(found)),
            Some(found) if self.schema.views.contains_key(&found) => Ok(Relation::View(found)),
            Some(found) => {
                Err(format!("relation `{found}` cannot have triggers: materialized views cannot"))
            }
        }
    }

    /// The triggers of a table or view.
    fn triggers_of(&self, relation: &Relation) -> &[Trigger] {
        match relation {
            Relation::Table(name) => &self.table(name).triggers,
            Relation::View(name) => &self.schema.views[name].triggers,
        }
    }

    fn triggers_mut(&mut self, relation: &Relation) -> &mut Vec<Trigger> {
        match relation {
            Relation::Table(name) => &mut self.table_mut(name).triggers,
            Relation::View(name) => &mut self.view_mut(name).triggers,
        }
    }

    /// The table a trigger or policy statement names, which must exist.
    fn trigger_table(&self, table: &Name) -> Result<QualifiedName, String> {
        if let Some(found) = self.find_table(table) {
            return Ok(found);
        }
        match self.find_view(table) {
            Some(view) => Err(format!("`{view}` is not a table")),
            None => Err(format!("relation `{table}` does not exist")),
        }
    }

    fn create_trigger(
        &mut self,
        create: &CreateTrigger,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let relation = self.trigger_relation(&create.table)?;
        let table_name = relation.name().clone();
        let (columns, is_view): (&[Column], bool) = match &relation {
            Relation::Table(name) => (&self.table(name).columns, false),
            Relation::View(_) => (&[], true),
        };
        let column_names: Vec<String> = match &relation {
            Relation::Table(name) => {
                self.table(name).columns.iter().map(|column| column.name.clone()).collect()
            }
            Relation::View(name) => {
                self.schema.views[name].columns.iter().map(|column| column.name.clone()).collect()
            }
        };
        check_firing_on(create, &table_name, is_view)?;
        if create.constraint && create.or_replace {
            return Err("CREATE OR REPLACE CONSTRAINT TRIGGER is not supported".to_owned());
        }
        let existing = self.triggers_of(&relation).iter().find(|t| t.name == create.name);
        match existing {
            Some(existing) if create.or_replace && existing.is_constraint() => {
                return Err(format!(
                    "trigger `{}` for relation `{table_name}` is a constraint trigger",
                    create.name
                ));
            }
            Some(_) if !create.or_replace => {
                return Err(format!(
                    "trigger `{}` for relation `{table_name}` already exists",
                    create.name
                ));
            }
            _ => {}
        }
        if create.on_truncate && create.for_each_row {
            return Err("TRUNCATE FOR EACH ROW triggers are not supported".to_owned());
        }
        let update_of = create.on_update.clone().unwrap_or_default();
        for (index, column) in update_of.iter().enumerate() {
            if !column_names.contains(column) {
                return Err(format!("column `{column}` of relation `{table_name}` does not exist"));
            }
            if update_of[..index].contains(column) {
                return Err(format!("column `{column}` specified more than once"));
            }
        }
        self.check_transition_tables(create)?;
        let when = match &create.when {
            None => None,
            Some(condition) => Some(self.trigger_when(create, columns, condition, warnings)?),
        };
        let from = match &create.from {
            None => None,
            Some(from) => Some(self.trigger_table(from)?),
        };
        let trigger = Trigger {
            name: create.name.clone(),
            timing: create.timing,
            on_insert: create.on_insert,
            on_update: create.on_update.clone(),
            on_delete: create.on_delete,
            on_truncate: create.on_truncate,
            for_each_row: create.for_each_row,
            when,
            function: self.trigger_function(&create.function)?,
            arguments: create.arguments.clone(),
            old_table: create.old_table.clone(),
            new_table: create.new_table.clone(),
            constraint: create.constraint.then_some(ConstraintTrigger {
                deferrable: create.deferrable,
                initially_deferred: create.initially_deferred,
                from,
            }),
            // A replaced trigger fires again as a new one does.
            enabled: TriggerEnabled::Origin,
            // A replaced trigger keeps its comment (and its oid).
            comment: existing.and_then(|existing| existing.comment.clone()),
        };
        let triggers = self.triggers_mut(&relation);
        triggers.retain(|existing| existing.name != trigger.name);
        triggers.push(trigger);
        triggers.sort_by(|left, right| left.name.cmp(&right.name));
        Ok(())
    }

    /// `REFERENCING OLD/NEW TABLE`, refused where `CreateTriggerFiringOn`
    /// refuses it.
    fn check_transition_tables(&self, create: &CreateTrigger) -> Result<(), String> {
        if create.old_table.is_none() && create.new_table.is_none() {
            return Ok(());
        }
        if create.timing != TriggerTiming::After {
            return Err("transition table name can only be specified for an AFTER trigger".into());
        }
        if create.on_truncate {
            return Err("TRUNCATE triggers with transition tables are not supported".into());
        }
        let events = [create.on_insert, create.on_update.is_some(), create.on_delete]
            .into_iter()
            .filter(|event| *event)
            .count();
        if events > 1 {
            return Err(
                "transition tables cannot be specified for triggers with more than one event"
                    .into(),
            );
        }
        if create.on_update.as_ref().is_some_and(|columns| !columns.is_empty()) {
            return Err(
                "transition tables cannot be specified for triggers with column lists".into()
            );
        }
        if create.old_table.is_some() && !(create.on_delete || create.on_update.is_some()) {
            return Err("OLD TABLE can only be specified for a DELETE or UPDATE trigger".into());
        }
        if create.new_table.is_some() && !(create.on_insert || create.on_update.is_some()) {
            return Err("NEW TABLE can only be specified for an INSERT or UPDATE trigger".into());
        }
        if create.old_table.is_some() && create.old_table == create.new_table {
            return Err("OLD TABLE name and NEW TABLE name cannot be the same".into());
        }
        Ok(())
    }

    /// A trigger's `WHEN`: typed over `new` and `old`, refused where it
    /// reads a row the trigger does not have.
    fn trigger_when(
        &self,
        create: &CreateTrigger,
        columns: &[Column],
        condition: &Expr,
        warnings: &mut Vec<String>,
    ) -> Result<Rewritten, String> {
        if has_subquery(condition) {
            return Err("cannot use subquery in trigger WHEN condition".into());
        }
        if let Some(kind) = aggregate_or_window(condition) {
            return Err(format!("{kind} functions are not allowed in trigger WHEN conditions"));
        }
        let scope = self.scope(columns);
        let canonical = match expr::trigger_condition(condition, &scope) {
            Ok(canonical) => canonical,
            Err(message) if refused(&message) => return Err(message),
            Err(why) => {
                warnings.push(format!("the WHEN condition of trigger `{}` ({why})", create.name));
                return Ok(Rewritten::normalised(normalised(condition)));
            }
        };
        if !canonical.rows.is_empty() && !create.for_each_row {
            return Err("statement trigger's WHEN condition cannot reference column values".into());
        }
        if canonical.rows.contains(&"old") && create.on_insert {
            return Err("INSERT trigger's WHEN condition cannot reference OLD values".into());
        }
        if canonical.rows.contains(&"new") && create.on_delete {
            return Err("DELETE trigger's WHEN condition cannot reference NEW values".into());
        }
        if canonical.uncertain.is_empty() {
            return Ok(Rewritten::catalog(canonical.text));
        }
        warnings.extend(canonical.uncertain);
        Ok(Rewritten::normalised(normalised(condition)))
    }

    /// The function a trigger calls, found through the search path.
    fn trigger_function(&self, function: &Name) -> Result<QualifiedName, String> {
        if function.0.len() > 2 {
            return Err(format!("`{function}`: cross-database references are not implemented"));
        }
        let takes_no_arguments = |name: &QualifiedName| {
            self.schema
                .functions
                .keys()
                .any(|routine| routine.name == *name && routine.arguments.is_empty())
        };
        if let Some(schema) = function.schema() {
            return Ok(QualifiedName::new(schema, function.object()));
        }
        if CATALOG_TRIGGER_FUNCTIONS.contains(&function.object()) {
            return Ok(QualifiedName::new("pg_catalog", function.object()));
        }
        let on_path = (self.search_path.iter())
            .map(|schema| QualifiedName::new(schema.clone(), function.object()))
            .find(|name| takes_no_arguments(name));
        match on_path {
            Some(name) => Ok(name),
            None => match self.creation_schema() {
                Ok(schema) => Ok(QualifiedName::new(schema, function.object())),
                Err(_) => Err(format!("function `{}()` does not exist", function.object())),
            },
        }
    }

    /// `ALTER TABLE … ENABLE/DISABLE [REPLICA | ALWAYS] TRIGGER …`.
    pub(super) fn set_trigger_enabled(
        &mut self,
        table_name: &QualifiedName,
        selection: &TriggerSelection,
        enabled: TriggerEnabled,
    ) -> Result<(), String> {
        if let TriggerSelection::Named(name) = selection {
            if self.table(table_name).trigger(name).is_none() {
                return Err(format!("trigger `{name}` for table `{table_name}` does not exist"));
            }
        }
        let table = self.table_mut(table_name);
        for trigger in &mut table.triggers {
            let chosen = match selection {
                TriggerSelection::Named(name) => trigger.name == *name,
                TriggerSelection::All | TriggerSelection::User => true,
            };
            if chosen {
                trigger.enabled = enabled;
            }
        }
        Ok(())
    }

    /// `COMMENT ON TRIGGER name ON table` / `COMMENT ON POLICY name ON table`.
    pub(super) fn comment_on_trigger_or_policy(
        &mut self,
        trigger: bool,
        on: &Name,
        name: &Name,
        comment: Option<String>,
    ) -> Result<(), String> {
        let name = name.object();
        if trigger {
            let relation = self.trigger_relation(on)?;
            let table_name = relation.name().clone();
            return match self.triggers_mut(&relation).iter_mut().find(|t| t.name == name) {
                Some(found) => {
                    found.comment = comment;
                    Ok(())
                }
                None => Err(format!("trigger `{name}` for table `{table_name}` does not exist")),
            };
        }
        let table_name = self.trigger_table(on)?;
        let table = self.table_mut(&table_name);
        match table.policies.iter_mut().find(|found| found.name == name) {
            Some(found) => {
                found.comment = comment;
                Ok(())
            }
            None => Err(format!("policy `{name}` for table `{table_name}` does not exist")),
        }
    }

    /// `CREATE POLICY`, `ALTER POLICY`, `DROP POLICY`.
    pub(super) fn policy_statement(
        &mut self,
        statement: &PolicyStatement,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        match statement {
            PolicyStatement::Create(create) => self.create_policy(create, warnings),
            PolicyStatement::Alter { name, table, roles, using, with_check } => {
                let table_name = self.trigger_table(table)?;
                let Some(mut policy) = self.table(&table_name).policy(name).cloned() else {
                    return Err(format!("policy `{name}` for table `{table_name}` does not exist"));
                };
                check_policy_clauses(policy.command, using.is_some(), with_check.is_some())?;
                if let Some(roles) = roles {
                    policy.roles = policy_roles(roles, warnings)?;
                }
                let table = self.table(&table_name);
                if let Some(using) = using {
                    policy.using = Some(self.policy_expression(table, name, using, warnings)?);
                }
                if let Some(with_check) = with_check {
                    policy.with_check =
                        Some(self.policy_expression(table, name, with_check, warnings)?);
                }
                let table = self.table_mut(&table_name);
                for existing in table.policies.iter_mut().filter(|existing| existing.name == *name)
                {
                    *existing = policy.clone();
                }
                Ok(())
            }
            PolicyStatement::Rename { name, table, new_name } => {
                let table_name = self.trigger_table(table)?;
                let table = self.table(&table_name);
                if table.policy(name).is_none() {
                    return Err(format!("policy `{name}` for table `{table_name}` does not exist"));
                }
                if table.policy(new_name).is_some() {
                    return Err(format!(
                        "policy `{new_name}` for table `{table_name}` already exists"
                    ));
                }
                let table = self.table_mut(&table_name);
                for policy in table.policies.iter_mut().filter(|policy| policy.name == *name) {
                    policy.name = new_name.clone();
                }
                table.policies.sort_by(|left, right| left.name.cmp(&right.name));
                Ok(())
            }
            PolicyStatement::Drop { name, table, if_exists } => {
                let Some(table_name) = self.find_table(table) else {
                    return match if_exists {
                        true => Ok(()),
                        false => Err(format!("relation `{table}` does not exist")),
                    };
                };
                if self.table(&table_name).policy(name).is_none() {
                    return match if_exists {
                        true => Ok(()),
                        false => {
                            Err(format!("policy `{name}` for table `{table_name}` does not exist"))
                        }
                    };
                }
                self.table_mut(&table_name).policies.retain(|policy| policy.name != *name);
                Ok(())
            }
        }
    }

    fn create_policy(
        &mut self,
        create: &CreatePolicy,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let table_name = self.trigger_table(&create.table)?;
        let table = self.table(&table_name);
        check_policy_clauses(create.command, create.using.is_some(), create.with_check.is_some())?;
        if table.policy(&create.name).is_some() {
            return Err(format!(
                "policy `{}` for table `{table_name}` already exists",
                create.name
            ));
        }
        let mut policy = Policy {
            name: create.name.clone(),
            restrictive: create.restrictive,
            command: create.command,
            roles: policy_roles(&create.roles, warnings)?,
            using: None,
            with_check: None,
            comment: None,
        };
        if let Some(using) = &create.using {
            policy.using = Some(self.policy_expression(table, &create.name, using, warnings)?);
        }
        if let Some(with_check) = &create.with_check {
            policy.with_check =
                Some(self.policy_expression(table, &create.name, with_check, warnings)?);
        }
        let table = self.table_mut(&table_name);
        table.policies.push(policy);
        table.policies.sort_by(|left, right| left.name.cmp(&right.name));
        Ok(())
    }

    /// A policy's `USING` or `WITH CHECK`, printed as `pg_get_expr` prints
    /// it, or normalised where the printer does not read all of it (a
    /// subquery, a function it does not know).
    fn policy_expression(
        &self,
        table: &Table,
        policy: &str,
        expression: &Expr,
        warnings: &mut Vec<String>,
    ) -> Result<Rewritten, String> {
        if let Some(kind) = aggregate_or_window(expression) {
            return Err(format!("{kind} functions are not allowed in policy expressions"));
        }
        match expr::check_expression(expression, &self.scope(&table.columns)) {
            Ok(canonical) if canonical.uncertain.is_empty() => {
                Ok(Rewritten::catalog(canonical.text))
            }
            Ok(canonical) => {
                warnings.extend(canonical.uncertain);
                Ok(Rewritten::normalised(normalised(expression)))
            }
            Err(message) if refused(&message) => Err(message),
            Err(why) => {
                warnings.push(format!("an expression of policy `{policy}` ({why})"));
                Ok(Rewritten::normalised(normalised(expression)))
            }
        }
    }

    /// The triggers and policies of `table_name` that read `column`, named
    /// as PostgreSQL names them in its refusals.
    pub(super) fn readers_of_column(
        &self,
        table_name: &QualifiedName,
        column: &str,
    ) -> Vec<String> {
        let table = self.table(table_name);
        let triggers = (table.triggers.iter())
            .filter(|trigger| trigger.reads_column(column))
            .map(|trigger| format!("trigger `{}`", trigger.name));
        let policies = (table.policies.iter())
            .filter(|policy| policy.reads_column(column))
            .map(|policy| format!("policy `{}`", policy.name));
        triggers.chain(policies).collect()
    }

    /// What `DROP TABLE` takes from other tables: constraint triggers
    /// `FROM` it (PostgreSQL drops them along, silently).
    pub(super) fn forget_triggers_from(&mut self, dropped: &QualifiedName) {
        self.change_every_table(|table| {
            table.triggers.retain(|trigger| {
                trigger.constraint.as_ref().and_then(|constraint| constraint.from.as_ref())
                    != Some(dropped)
            });
        });
    }
}

/// Whether an expression holds a subquery (`EXISTS`, `IN (SELECT …)`,
/// `(SELECT …)`).
fn has_subquery(expression: &Expr) -> bool {
    struct Finder;
    impl sqlparser::ast::Visitor for Finder {
        type Break = ();
        fn pre_visit_query(&mut self, _query: &sqlparser::ast::Query) -> ControlFlow<()> {
            ControlFlow::Break(())
        }
    }
    sqlparser::ast::Visit::visit(expression, &mut Finder).is_break()
}

/// PostgreSQL's aggregates that schemas' expressions are likely to name
/// (its own functions: `pg_catalog` comes first on every search path).
const AGGREGATES: &[&str] = &[
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "array_agg",
    "string_agg",
    "bool_and",
    "bool_or",
    "every",
    "json_agg",
    "jsonb_agg",
    "json_object_agg",
    "jsonb_object_agg",
    "bit_and",
    "bit_or",
    "stddev",
    "variance",
];

/// `aggregate` or `window` when an expression calls one outside its
/// subqueries (where they are allowed): a call with `OVER`, `FILTER` or
/// `WITHIN GROUP`, or one of PostgreSQL's aggregates by name.
fn aggregate_or_window(expression: &Expr) -> Option<&'static str> {
    struct Finder {
        depth: usize,
        found: Option<&'static str>,
    }
    impl sqlparser::ast::Visitor for Finder {
        type Break = ();
        fn pre_visit_query(&mut self, _query: &sqlparser::ast::Query) -> ControlFlow<()> {
            self.depth += 1;
            ControlFlow::Continue(())
        }
        fn post_visit_query(&mut self, _query: &sqlparser::ast::Query) -> ControlFlow<()> {
            self.depth -= 1;
            ControlFlow::Continue(())
        }
        fn pre_visit_expr(&mut self, expression: &Expr) -> ControlFlow<()> {
            let Expr::Function(function) = expression else { return ControlFlow::Continue(()) };
            if self.depth > 0 {
                return ControlFlow::Continue(());
            }
            let name = function.name.0.last().and_then(|part| part.as_ident());
            let in_catalog = function.name.0.len() == 1
                || function.name.0[0].as_ident().is_some_and(|schema| schema.value == "pg_catalog");
            self.found = if function.over.is_some() {
                Some("window")
            } else if function.filter.is_some()
                || !function.within_group.is_empty()
                || (in_catalog
                    && name.is_some_and(|name| {
                        let folded = match name.quote_style {
                            None => name.value.to_ascii_lowercase(),
                            Some(_) => name.value.clone(),
                        };
                        AGGREGATES.contains(&folded.as_str())
                    }))
            {
                Some("aggregate")
            } else {
                None
            };
            match self.found {
                Some(_) => ControlFlow::Break(()),
                None => ControlFlow::Continue(()),
            }
        }
    }
    let mut finder = Finder { depth: 0, found: None };
    let _ = sqlparser::ast::Visit::visit(expression, &mut finder);
    finder.found
}

/// Whether a message of the expression printer is PostgreSQL's refusal
/// (a column that is not there, an ambiguous one) rather than something
/// the printer does not read yet.
fn refused(message: &str) -> bool {
    message.contains("does not exist")
        || message.contains("ambiguous")
        || message.contains("missing FROM-clause entry")
        || message.contains("not allowed")
}

/// `USING` and `WITH CHECK` as `CreatePolicy` and `AlterPolicy` allow them
/// for `command`.
fn check_policy_clauses(
    command: PolicyCommand,
    using: bool,
    with_check: bool,
) -> Result<(), String> {
    if with_check && matches!(command, PolicyCommand::Select | PolicyCommand::Delete) {
        return Err("WITH CHECK cannot be applied to SELECT or DELETE".into());
    }
    if using && command == PolicyCommand::Insert {
        return Err("only WITH CHECK expression allowed for INSERT".into());
    }
    Ok(())
}

/// `TO roles` as `polroles` keeps them: names in order, none for `PUBLIC`
/// (which takes in every role, so the others are dropped with a warning,
/// as PostgreSQL does).
fn policy_roles(roles: &[Role], warnings: &mut Vec<String>) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    for role in roles {
        match role {
            Role::Public => {}
            Role::Named(name) => names.push(name.clone()),
            Role::OfSession(word) => {
                return Err(format!(
                    "autogen cannot know which role {word} is where this runs; name the role"
                ))
            }
        }
    }
    if roles.contains(&Role::Public) {
        if !names.is_empty() {
            warnings.push(
                "a policy's roles besides PUBLIC, which PostgreSQL ignores (every role is a \
                 member of PUBLIC)"
                    .to_owned(),
            );
        }
        return Ok(Vec::new());
    }
    names.sort();
    names.dedup();
    Ok(names)
}

/// The normalised form of an expression as written: unquoted names folded
/// to lower case, quotes dropped where a name does not need them, printed
/// by sqlparser — so two spellings of the same text compare equal.
pub(crate) fn normalised(expression: &Expr) -> String {
    struct Fold;
    fn fold(ident: &mut Ident) {
        match ident.quote_style {
            None => ident.value = ident.value.to_ascii_lowercase(),
            Some('"') if quote_ident(&ident.value) == ident.value => ident.quote_style = None,
            Some(_) => {}
        }
    }
    fn fold_name(name: &mut ObjectName) {
        for part in &mut name.0 {
            if let ObjectNamePart::Identifier(ident) = part {
                fold(ident);
            }
        }
    }
    impl VisitorMut for Fold {
        type Break = ();
        fn pre_visit_expr(&mut self, expression: &mut Expr) -> ControlFlow<()> {
            match expression {
                Expr::Identifier(ident) => fold(ident),
                Expr::CompoundIdentifier(parts) => parts.iter_mut().for_each(fold),
                Expr::Function(function) => fold_name(&mut function.name),
                _ => {}
            }
            ControlFlow::Continue(())
        }
        fn pre_visit_relation(&mut self, relation: &mut ObjectName) -> ControlFlow<()> {
            fold_name(relation);
            ControlFlow::Continue(())
        }
    }
    let mut expression = expression.clone();
    let _ = expression.visit(&mut Fold);
    expression.to_string()
}

/// What a trigger statement is about: a table or a view.
enum Relation {
    Table(QualifiedName),
    View(QualifiedName),
}

impl Relation {
    fn name(&self) -> &QualifiedName {
        match self {
            Relation::Table(name) | Relation::View(name) => name,
        }
    }
}

/// What `CreateTriggerFiringOn` refuses of a trigger's timing and level on
/// a table or a view: `INSTEAD OF` on a table, a row-level `BEFORE` or
/// `AFTER` (or a `TRUNCATE`, or transition tables) on a view; `INSTEAD OF`
/// only `FOR EACH ROW`, without `WHEN` or a column list.
fn check_firing_on(
    create: &CreateTrigger,
    name: &QualifiedName,
    is_view: bool,
) -> Result<(), String> {
    let instead = create.timing == TriggerTiming::InsteadOf;
    if !is_view && instead {
        return Err(format!("`{name}` is a table: tables cannot have INSTEAD OF triggers"));
    }
    if is_view && !instead && create.for_each_row {
        return Err(format!(
            "`{name}` is a view: views cannot have row-level BEFORE or AFTER triggers"
        ));
    }
    if is_view && create.on_truncate {
        return Err(format!("`{name}` is a view: views cannot have TRUNCATE triggers"));
    }
    if is_view && (create.old_table.is_some() || create.new_table.is_some()) {
        return Err(format!("`{name}` is a view: triggers on views cannot have transition tables"));
    }
    if instead && !create.for_each_row {
        return Err("INSTEAD OF triggers must be FOR EACH ROW".to_owned());
    }
    if instead && create.when.is_some() {
        return Err("INSTEAD OF triggers cannot have WHEN conditions".to_owned());
    }
    if instead && create.on_update.as_ref().is_some_and(|columns| !columns.is_empty()) {
        return Err("INSTEAD OF triggers cannot have column lists".to_owned());
    }
    Ok(())
}
