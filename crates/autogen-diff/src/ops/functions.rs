//! Functions, procedures and aggregates: created (before the defaults,
//! checks, generated columns, indexes, domains and routines that call
//! them, after the types and tables they use), dropped after those, changed
//! in place with `CREATE OR REPLACE` where PostgreSQL allows it (the same
//! kind, result, output row, input names, and no default removed:
//! [`Function::replace_refusal`]) and otherwise dropped and created again;
//! renamed by a hint (`[functions]`); comments.
//!
//! A routine dropped (or dropped to be created again) while something
//! calls it — PostgreSQL refuses `DROP FUNCTION` under a default, a check,
//! an index, another routine's SQL-standard body, an aggregate — is first
//! set aside under a temporary name ([`set_aside_replaced`]): its callers
//! then differ from the declared ones (they call `f__autogen_old`), so the
//! rest of the plan moves them over to the new routine (a default set
//! again, a check or index built again) and the old one is dropped after.
//!
//! A plan that creates or replaces a routine whose body PostgreSQL checks
//! when `check_function_bodies` is on (`AS '…'` in SQL or PL/pgSQL) starts
//! with `SET check_function_bodies = off` and ends with `RESET
//! check_function_bodies` (docs/ARCHITECTURE.md says why).

use std::borrow::Cow;

use autogen_schema::ddl::Renderer;
use autogen_schema::routine_sql::{
    comment_aggregate_sql, comment_function_sql, create_aggregate_sql, create_function_sql,
    drop_aggregate_sql, drop_function_sql, rename_function_sql, routine_kind,
};
use autogen_schema::{
    expression, quote_ident, Aggregate, Body, Function, QualifiedName, RoutineName, Schema,
    SqlType, Table,
};

use super::Family;
use crate::operation::{type_keys, Key, Operation, Step};
use crate::order::Phase;

/// `CREATE [OR REPLACE] FUNCTION`/`PROCEDURE`/`AGGREGATE`, `DROP …`,
/// `ALTER … RENAME TO`, `COMMENT ON …`, and the `check_function_bodies`
/// setting around them.
pub(super) struct Functions;

/// The routines `from` holds that the plan drops — gone from `to`, or
/// dropped to be created again — while something in `from` calls them,
/// each renamed aside (`f__autogen_old`) in the schema returned, its
/// callers calling it under that name: the steps that rename it and,
/// once its callers have moved to the new routine, drop it.
pub(crate) fn set_aside_replaced<'s>(
    from: &'s Schema,
    to: &Schema,
) -> (Vec<Step>, Cow<'s, Schema>) {
    let goes = |name: &RoutineName| -> bool {
        match (from.functions.get(name), from.aggregates.get(name)) {
            (Some(old), _) => match to.functions.get(name) {
                Some(new) => old.replace_refusal(new).is_some(),
                None => true,
            },
            (None, Some(_)) => !to.aggregates.contains_key(name),
            (None, None) => false,
        }
    };
    let going: Vec<&RoutineName> =
        (from.functions.keys().chain(from.aggregates.keys())).filter(|name| goes(name)).collect();
    if going.is_empty() {
        // No routine goes: no caller to look for (reading every expression
        // of both schemas is the costly part).
        return (Vec::new(), Cow::Borrowed(from));
    }
    let kept = caller_texts(to);
    let replaced: Vec<RoutineName> = going
        .into_iter()
        .filter(|name| has_kept_callers(from, &kept, &name.name))
        .cloned()
        .collect();
    if replaced.is_empty() {
        return (Vec::new(), Cow::Borrowed(from));
    }
    let mut schema = from.clone();
    let mut steps = Vec::new();
    let mut renamed_names: Vec<QualifiedName> = Vec::new();
    for name in replaced {
        let aside = QualifiedName::new(
            name.name.schema.clone(),
            autogen_schema::naming::truncate_identifier(&format!(
                "{}__autogen_old",
                name.name.name
            )),
        );
        // Dropped here rather than by `diff`: it needs the rename before it.
        if let Some(mut function) = schema.functions.remove(&name) {
            let renamed = function.clone();
            function.name = aside.clone();
            let drop = drop_function(&schema, &function);
            steps.push(
                Step::new(Operation::RenameFunction { function: renamed, new: aside.name.clone() })
                    .removes([Key::Function(name.name.clone())])
                    .produces([Key::Function(aside.clone())])
                    .consumes([Key::Schema(aside.schema.clone())]),
            );
            steps.push(drop.consumes([Key::Function(aside.clone())]));
        } else if let Some(mut aggregate) = schema.aggregates.remove(&name) {
            let renamed = aggregate.clone();
            aggregate.name = aside.clone();
            let drop = drop_aggregate(&schema, &aggregate);
            steps.push(
                Step::new(Operation::RenameAggregate {
                    aggregate: renamed,
                    new: aside.name.clone(),
                })
                .removes([Key::Function(name.name.clone())])
                .produces([Key::Function(aside.clone())])
                .consumes([Key::Schema(aside.schema.clone())]),
            );
            steps.push(drop.consumes([Key::Function(aside.clone())]));
        }
        if !renamed_names.contains(&name.name) {
            renamed_names.push(name.name.clone());
            // What the model does not describe follows it too (by oid).
            for object in &mut schema.unmodelled.objects {
                for dependency in &mut object.depends_on {
                    if dependency.on == autogen_schema::Reference::Function(name.name.clone()) {
                        dependency.on = autogen_schema::Reference::Function(aside.clone());
                    }
                }
            }
            // Calls name a routine by name: they follow it.
            if schema.routines_named(&name.name).is_empty() {
                schema.rename_routine_references(&name.name, &aside);
            }
        }
    }
    (steps, Cow::Owned(schema))
}

/// Whether something in `from` that calls routine `name` (any overload)
/// is also in the declared schema as it is (`kept`: [`caller_texts`] of
/// it), so that PostgreSQL would refuse to drop the routine under it.
/// What the plan drops or changes anyway stops calling it by itself.
fn has_kept_callers(
    from: &Schema,
    kept: &std::collections::BTreeSet<String>,
    name: &QualifiedName,
) -> bool {
    caller_texts(from).iter().any(|text| {
        let calls = match text.strip_prefix(AGGREGATE_CALL) {
            Some(function) => function.split('\u{1f}').next() == Some(name.to_string().as_str()),
            None => {
                let expression = text.split('\u{1f}').next().unwrap_or_default();
                expression::mentions_function(expression, name)
            }
        };
        calls && kept.contains(text)
    })
}

/// How [`caller_texts`] marks an aggregate's use of a support function
/// (and a trigger's of its function).
const AGGREGATE_CALL: &str = "\u{1f}aggregate\u{1f}";

/// Every text in `schema` that may call a routine: printed expressions of
/// tables and domains, defaults and SQL-standard bodies of routines and
/// queries of views and materialized views (each with its object), and
/// each aggregate's support functions and trigger's function (marked).
fn caller_texts(schema: &Schema) -> std::collections::BTreeSet<String> {
    let mut texts = std::collections::BTreeSet::new();
    for table in schema.tables.values() {
        let mut table = table.clone();
        table.change_expressions(|text| {
            texts.insert(text.to_owned());
            text.to_owned()
        });
    }
    for domain in schema.domains.values() {
        texts.extend(domain.default.iter().cloned());
        texts.extend(domain.checks.iter().map(|check| check.expression.clone()));
    }
    for (name, function) in &schema.functions {
        for text in routine_expressions(function) {
            texts.insert(format!("{text}\u{1f}{name}"));
        }
    }
    for (name, aggregate) in &schema.aggregates {
        for function in aggregate.functions() {
            texts.insert(format!("{AGGREGATE_CALL}{function}\u{1f}{name}"));
        }
    }
    // A trigger runs its function as an aggregate its support functions.
    let triggers = (schema.tables.values().map(|table| (&table.name, &table.triggers)))
        .chain(schema.views.values().map(|view| (&view.name, &view.triggers)));
    for (relation, triggers) in triggers {
        for trigger in triggers {
            let function = &trigger.function;
            texts.insert(format!("{AGGREGATE_CALL}{function}\u{1f}{relation}.{}", trigger.name));
        }
    }
    // A view's query, with its view.
    for (name, query) in (schema.views.iter().map(|(name, view)| (name, &view.query)))
        .chain(schema.materialized_views.iter().map(|(name, view)| (name, &view.query)))
    {
        texts.insert(format!("{}\u{1f}{name}", query.text));
    }
    texts
}

/// A routine's printed expressions: its defaults and its SQL-standard
/// body (in either form).
fn routine_expressions(function: &Function) -> Vec<&str> {
    let mut texts: Vec<&str> =
        function.arguments.iter().filter_map(|argument| argument.default.as_deref()).collect();
    if let Body::Standard(body) = &function.body {
        texts.push(&body.text);
    }
    texts
}

/// Routines created, dropped, replaced in place or dropped and created
/// again; comments.
pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    let mut checks_bodies = false;
    for (name, function) in &to.functions {
        let created = match from.functions.get(name) {
            Some(old) if old == function => continue,
            Some(old) => {
                let mut unchanged = old.clone();
                unchanged.comment.clone_from(&function.comment);
                if unchanged == *function {
                    steps.push(comment_function(function));
                    continue;
                }
                match old.replace_refusal(function) {
                    None => {
                        steps.push(
                            create_function(to, function, true)
                                .releases(function_keys(from, old).needed),
                        );
                        if old.comment != function.comment {
                            steps.push(comment_function(function));
                        }
                        checks_bodies |= body_is_checked(function);
                        continue;
                    }
                    Some(_) => {
                        steps.push(drop_function(from, old));
                        true
                    }
                }
            }
            None => true,
        };
        if created {
            steps.push(create_function(to, function, false));
            if function.comment.is_some() {
                steps.push(comment_function(function));
            }
            checks_bodies |= body_is_checked(function);
        }
    }
    for (name, function) in &from.functions {
        if !to.functions.contains_key(name) {
            steps.push(drop_function(from, function));
        }
    }
    for (name, aggregate) in &to.aggregates {
        match from.aggregates.get(name) {
            Some(old) if old == aggregate => {}
            Some(old) => {
                let mut unchanged = old.clone();
                unchanged.comment.clone_from(&aggregate.comment);
                if unchanged == *aggregate {
                    steps.push(comment_aggregate(aggregate));
                    continue;
                }
                // The same result type: replaced in place.
                let same_result = old.state_type == aggregate.state_type
                    && old.final_function == aggregate.final_function;
                if same_result {
                    steps.push(
                        create_aggregate(to, aggregate, true)
                            .releases(aggregate_keys(from, old).needed),
                    );
                    if old.comment != aggregate.comment {
                        steps.push(comment_aggregate(aggregate));
                    }
                } else {
                    steps.push(drop_aggregate(from, old));
                    steps.push(create_aggregate(to, aggregate, false));
                    if aggregate.comment.is_some() {
                        steps.push(comment_aggregate(aggregate));
                    }
                }
            }
            None => {
                steps.push(create_aggregate(to, aggregate, false));
                if aggregate.comment.is_some() {
                    steps.push(comment_aggregate(aggregate));
                }
            }
        }
    }
    for (name, aggregate) in &from.aggregates {
        if !to.aggregates.contains_key(name) {
            steps.push(drop_aggregate(from, aggregate));
        }
    }
    if checks_bodies {
        steps.push(Step::new(Operation::SkipBodyChecks));
        steps.push(Step::new(Operation::RestoreBodyChecks));
    }
}

/// Whether PostgreSQL checks the routine's body at `CREATE` when
/// `check_function_bodies` is on, finding there the tables it reads (an
/// `AS '…'` body in SQL or PL/pgSQL; a SQL-standard body is always read,
/// and waits for what it names instead).
fn body_is_checked(function: &Function) -> bool {
    matches!(function.body, Body::Source(_))
        && !matches!(function.language.as_str(), "c" | "internal")
}

fn create_function(schema: &Schema, function: &Function, replace: bool) -> Step {
    let mut function = function.clone();
    function.comment = None;
    function_keys(schema, &function).create(Operation::CreateFunction { function, replace })
}

/// The step that drops `function` of `schema`.
pub(crate) fn drop_function(schema: &Schema, function: &Function) -> Step {
    function_keys(schema, function).drop(Operation::DropFunction(function.clone()))
}

fn comment_function(function: &Function) -> Step {
    Step::new(Operation::CommentFunction {
        function: function.clone(),
        comment: function.comment.clone(),
    })
    .consumes([Key::Function(function.name.clone())])
}

fn create_aggregate(schema: &Schema, aggregate: &Aggregate, replace: bool) -> Step {
    let mut aggregate = aggregate.clone();
    aggregate.comment = None;
    aggregate_keys(schema, &aggregate).create(Operation::CreateAggregate { aggregate, replace })
}

fn drop_aggregate(schema: &Schema, aggregate: &Aggregate) -> Step {
    aggregate_keys(schema, aggregate).drop(Operation::DropAggregate(aggregate.clone()))
}

fn comment_aggregate(aggregate: &Aggregate) -> Step {
    Step::new(Operation::CommentAggregate {
        aggregate: aggregate.clone(),
        comment: aggregate.comment.clone(),
    })
    .consumes([Key::Function(aggregate.name.clone())])
}

/// What a routine makes and what it needs.
struct RoutineKeys {
    produced: Vec<Key>,
    needed: Vec<Key>,
}

impl RoutineKeys {
    /// The step `operation` that creates (or replaces) the routine.
    fn create(self, operation: Operation) -> Step {
        Step::new(operation).produces(self.produced).consumes(self.needed)
    }

    /// The step `operation` that drops it.
    fn drop(self, operation: Operation) -> Step {
        Step::new(operation).removes(self.produced).releases(self.needed)
    }
}

/// A routine's keys: its name; its schema, the types it takes and
/// returns (a table's row type is the table's), the routines its defaults
/// and SQL-standard body call, and the tables such a body names.
fn function_keys(schema: &Schema, function: &Function) -> RoutineKeys {
    let mut needed = vec![Key::Schema(function.name.schema.clone())];
    for data_type in function.types() {
        needed.extend(routine_type_keys(schema, data_type));
    }
    let texts = routine_expressions(function);
    needed.extend(called_routine_keys(schema, texts.iter().copied()));
    needed.retain(|key| *key != Key::Function(function.name.clone()));
    if let Body::Standard(body) = &function.body {
        for table in schema.tables.values() {
            if expression::mentions_relation(&body.text, &table.name) {
                needed.push(Key::Table(table.name.clone()));
            }
        }
    }
    needed.sort();
    needed.dedup();
    RoutineKeys { produced: vec![Key::Function(function.name.clone())], needed }
}

fn aggregate_keys(schema: &Schema, aggregate: &Aggregate) -> RoutineKeys {
    let mut needed = vec![Key::Schema(aggregate.name.schema.clone())];
    for data_type in aggregate.arguments.iter().chain([&aggregate.state_type]) {
        needed.extend(routine_type_keys(schema, data_type));
    }
    for function in aggregate.functions() {
        if function.schema != "pg_catalog" {
            needed.push(Key::Function(function.clone()));
        }
    }
    needed.sort();
    needed.dedup();
    RoutineKeys { produced: vec![Key::Function(aggregate.name.clone())], needed }
}

/// The keys of a type a routine names: a table's row type is its table's.
fn routine_type_keys(schema: &Schema, data_type: &SqlType) -> Vec<Key> {
    match data_type.element() {
        SqlType::UserDefined { name } if schema.tables.contains_key(name) => {
            vec![Key::Table(name.clone())]
        }
        _ => type_keys(data_type),
    }
}

/// The routines printed expressions call, as keys: by name, built-in
/// ones too (no step makes or drops those, so they order nothing) — a
/// routine set aside under another name is no longer the schema's, and
/// its callers must still wait for its drop.
pub(crate) fn called_routine_keys<'e>(
    _schema: &Schema,
    expressions: impl IntoIterator<Item = &'e str>,
) -> Vec<Key> {
    let mut keys: Vec<Key> = (expressions.into_iter())
        .flat_map(expression::functions_called)
        .filter(|name| name.schema != "pg_catalog")
        .map(Key::Function)
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// The routines every printed expression of `table` calls (defaults,
/// generated columns, checks, indexes, exclusion constraints, statistics).
pub(crate) fn table_routine_keys(schema: &Schema, table: &Table) -> Vec<Key> {
    let mut texts = Vec::new();
    table.clone().change_expressions(|text| {
        texts.push(text.to_owned());
        text.to_owned()
    });
    called_routine_keys(schema, texts.iter().map(String::as_str))
}

/// The routines a column's default and generation expression call: keys
/// by name, whatever routines a schema holds (a caller without one).
pub(crate) fn column_routine_keys(column: &autogen_schema::Column) -> Vec<Key> {
    let mut keys: Vec<Key> = (column.default.iter().chain(column.generated.iter()))
        .flat_map(|text| expression::functions_called(text))
        .filter(|name| name.schema != "pg_catalog")
        .map(Key::Function)
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

impl Family for Functions {
    fn describe(&self, operation: &Operation) -> String {
        let kind = |function: &Function| routine_kind(function).to_lowercase();
        match operation {
            Operation::CreateFunction { function, replace: false } => {
                format!("create {} {}", kind(function), function.identity())
            }
            Operation::CreateFunction { function, replace: true } => {
                format!("replace {} {}", kind(function), function.identity())
            }
            Operation::DropFunction(function) => {
                format!("drop {} {}", kind(function), function.identity())
            }
            Operation::RenameFunction { function, new } => {
                format!("rename {} {} to {}", kind(function), function.identity(), quote_ident(new))
            }
            Operation::CommentFunction { function, .. } => {
                format!("comment on {} {}", kind(function), function.identity())
            }
            Operation::CreateAggregate { aggregate, replace: false } => {
                format!("create aggregate {}", aggregate.identity())
            }
            Operation::CreateAggregate { aggregate, replace: true } => {
                format!("replace aggregate {}", aggregate.identity())
            }
            Operation::DropAggregate(aggregate) => {
                format!("drop aggregate {}", aggregate.identity())
            }
            Operation::RenameAggregate { aggregate, new } => {
                format!("rename aggregate {} to {}", aggregate.identity(), quote_ident(new))
            }
            Operation::CommentAggregate { aggregate, .. } => {
                format!("comment on aggregate {}", aggregate.identity())
            }
            Operation::SkipBodyChecks => "turn off check_function_bodies".to_owned(),
            Operation::RestoreBodyChecks => "reset check_function_bodies".to_owned(),
            other => super::not_mine("functions", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::SkipBodyChecks => Phase::SessionSettings,
            Operation::RestoreBodyChecks => Phase::ResetSessionSettings,
            Operation::CreateFunction { .. } | Operation::CreateAggregate { .. } => {
                Phase::CreateFunctions
            }
            Operation::DropFunction(_) | Operation::DropAggregate(_) => Phase::DropFunctions,
            Operation::RenameFunction { .. } | Operation::RenameAggregate { .. } => Phase::Renames,
            Operation::CommentFunction { .. } | Operation::CommentAggregate { .. } => {
                Phase::ObjectComments
            }
            other => super::not_mine("functions", other),
        }
    }

    fn sql(&self, operation: &Operation, renderer: &Renderer<'_>) -> Vec<String> {
        vec![match operation {
            Operation::CreateFunction { function, replace } => {
                create_function_sql(function, *replace, renderer)
            }
            Operation::DropFunction(function) => drop_function_sql(function, renderer),
            Operation::RenameFunction { function, new } => {
                rename_function_sql(function, new, renderer)
            }
            Operation::CommentFunction { function, comment } => {
                comment_function_sql(function, comment.as_deref(), renderer)
            }
            Operation::CreateAggregate { aggregate, replace } => {
                let sql = create_aggregate_sql(aggregate, renderer);
                match replace {
                    true => sql.replacen("CREATE AGGREGATE", "CREATE OR REPLACE AGGREGATE", 1),
                    false => sql,
                }
            }
            Operation::DropAggregate(aggregate) => drop_aggregate_sql(aggregate, renderer),
            Operation::RenameAggregate { aggregate, new } => {
                let mut function_like = drop_aggregate_sql(aggregate, renderer);
                function_like = function_like
                    .replacen("DROP AGGREGATE", "ALTER AGGREGATE", 1)
                    .trim_end_matches(';')
                    .to_owned();
                format!("{function_like} RENAME TO {};", quote_ident(new))
            }
            Operation::CommentAggregate { aggregate, comment } => {
                comment_aggregate_sql(aggregate, comment.as_deref(), renderer)
            }
            Operation::SkipBodyChecks => "SET check_function_bodies = off;".to_owned(),
            Operation::RestoreBodyChecks => "RESET check_function_bodies;".to_owned(),
            other => super::not_mine("functions", other),
        }]
    }

    fn expressions<'o>(&self, operation: &'o Operation) -> Vec<&'o str> {
        match operation {
            Operation::CreateFunction { function, .. } => function.expressions(),
            _ => Vec::new(),
        }
    }
}

/// After the tables' steps: a routine with a SQL-standard body depends on
/// the columns it reads (PostgreSQL refuses `ALTER COLUMN … TYPE` and
/// `DROP COLUMN` under it, and `DROP TABLE`), so a routine whose body names
/// a table (or takes or returns its row type) where the plan changes a
/// column's type, drops a column or drops the table is dropped before and
/// created again after (one `CREATE OR REPLACE` becomes a drop and a
/// create). Which columns the body reads is not known from its text: every
/// column of the tables it names counts.
pub(crate) fn rebuild_around_columns(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    let mut retyped: Vec<(QualifiedName, String)> = Vec::new();
    let mut dropped: Vec<Key> = Vec::new();
    for step in steps.iter() {
        match &step.operation {
            Operation::AlterColumnType { table, from: column, .. }
            | Operation::AlterVectorColumn { table, from: column, .. } => {
                retyped.push((table.clone(), column.name.clone()));
            }
            Operation::DropColumn { table, column } => {
                dropped.push(Key::Column(table.clone(), column.name.clone()));
            }
            Operation::DropTable(table) => dropped.push(Key::Table(table.name.clone())),
            _ => {}
        }
    }
    if retyped.is_empty() && dropped.is_empty() {
        return;
    }
    let mut rebuilt_columns: Vec<(QualifiedName, String)> = Vec::new();
    for (identity, function) in &from.functions {
        let Body::Standard(body) = &function.body else { continue };
        let reads = |table: &QualifiedName| {
            expression::mentions_relation(&body.text, table)
                || function.types().into_iter().any(|data_type| {
                    matches!(data_type.element(), SqlType::UserDefined { name } if name == table)
                })
        };
        let mut touched: Vec<Key> = Vec::new();
        for (table, column) in &retyped {
            if reads(table) {
                touched.push(Key::ColumnType(table.clone(), column.clone()));
                rebuilt_columns.push((table.clone(), column.clone()));
            }
        }
        for key in &dropped {
            let table = match key {
                Key::Column(table, _) | Key::Table(table) => table,
                _ => continue,
            };
            if reads(table) {
                touched.push(key.clone());
            }
        }
        if touched.is_empty() {
            continue;
        }
        let needed: Vec<Key> =
            (touched.iter()).filter(|key| matches!(key, Key::ColumnType(..))).cloned().collect();
        // Its drop, made or found.
        let drop_at = steps.iter().position(|step| match &step.operation {
            Operation::DropFunction(dropped) => dropped.identity() == *identity,
            _ => false,
        });
        let replaced_at = steps.iter().position(|step| {
            matches!(&step.operation, Operation::CreateFunction { function, replace: true }
                if function.identity() == *identity)
        });
        match (drop_at, replaced_at) {
            (Some(at), _) => {
                steps[at].releases.extend(touched);
                if let Some(created) = steps.iter_mut().find(|step| {
                    matches!(&step.operation, Operation::CreateFunction { function, .. }
                        if function.identity() == *identity)
                }) {
                    created.consumes.extend(needed);
                }
            }
            (None, Some(at)) => {
                if let Operation::CreateFunction { replace, .. } = &mut steps[at].operation {
                    *replace = false;
                }
                steps[at].consumes.extend(needed);
                steps.push(drop_function(from, function).releases(touched));
            }
            (None, None) => {
                // Unchanged (or set aside, which already drops it).
                let set_aside = steps.iter().any(|step| {
                    matches!(&step.operation, Operation::RenameFunction { function, .. }
                        if function.identity() == *identity)
                });
                if set_aside {
                    continue;
                }
                steps.push(drop_function(from, function).releases(touched));
                if let Some(declared) = to.functions.get(identity) {
                    steps.push(create_function(to, declared, false).consumes(needed));
                    if declared.comment.is_some() {
                        steps.push(comment_function(declared));
                    }
                }
            }
        }
    }
    // The type changes that a rebuilt routine waits for say so.
    for step in steps.iter_mut() {
        let (table, column) = match &step.operation {
            Operation::AlterColumnType { table, from: column, .. }
            | Operation::AlterVectorColumn { table, from: column, .. } => {
                (table.clone(), column.name.clone())
            }
            _ => continue,
        };
        if rebuilt_columns.contains(&(table.clone(), column.clone())) {
            let key = Key::ColumnType(table, column);
            if !step.produces.contains(&key) {
                step.removes.push(key.clone());
                step.produces.push(key);
            }
        }
    }
}
