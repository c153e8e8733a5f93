//! Functions, procedures and aggregates applied to the schema as
//! PostgreSQL applies them to `pg_proc`: types resolved through the search
//! path (a table's name is its row type; `table.column%TYPE` the column's
//! type), without the modifiers PostgreSQL does not keep for arguments and
//! results; defaults printed as `pg_get_function_arg_default` prints them;
//! a `RETURN` body printed as PostgreSQL prints it where the expression
//! printer knows everything in it, else normalised, and a `BEGIN ATOMIC`
//! body normalised; `SET` values as `proconfig` keeps them; `CREATE OR
//! REPLACE` refused where PostgreSQL refuses it; `DROP` refused while
//! something calls the routine (or, with `CASCADE`, taking it along);
//! renames followed wherever expressions call the routine.

use autogen_schema::{
    Aggregate, Argument, ArgumentMode, Body, Function, Parallel, QualifiedName, Returns, Rewritten,
    RoutineName, SqlType, Volatility,
};
use sqlparser::ast::DataType;
use sqlparser::tokenizer::{Token, TokenWithSpan, Word};

use super::Builder;
use crate::ddl::{
    AlterRoutine, CreateAggregate, CreateFunction, Ddl, FunctionOption, ReturnsDef, RoutineKind,
    RoutineRef, SettingItem, SettingValue, TypeRef,
};
use crate::expr;

/// The languages a new database has.
const BUILT_IN_LANGUAGES: &[&str] = &["sql", "plpgsql", "c", "internal"];

/// Pseudo-types and other built-in types routines use that columns do
/// not, as `format_type` spells them.
const ROUTINE_TYPES: &[&str] = &[
    "any",
    "anyarray",
    "anycompatible",
    "anycompatiblearray",
    "anycompatiblemultirange",
    "anycompatiblenonarray",
    "anycompatiblerange",
    "anyelement",
    "anyenum",
    "anymultirange",
    "anynonarray",
    "anyrange",
    "cstring",
    "event_trigger",
    "fdw_handler",
    "index_am_handler",
    "internal",
    "language_handler",
    "record",
    "refcursor",
    "table_am_handler",
    "trigger",
    "tsm_handler",
    "void",
];

/// The `CREATE AGGREGATE` options the model does not describe.
const AGGREGATE_OPTIONS_NOT_MODELLED: &[&str] = &[
    "msfunc",
    "minvfunc",
    "mstype",
    "msspace",
    "mfinalfunc",
    "mfinalfunc_extra",
    "mfinalfunc_modify",
    "minitcond",
    "serialfunc",
    "deserialfunc",
    "sspace",
    "finalfunc_extra",
    "finalfunc_modify",
    "hypothetical",
];

/// The options of a routine as a definition leaves them.
#[derive(Default)]
struct Options {
    language: Option<String>,
    volatility: Option<Volatility>,
    leakproof: Option<bool>,
    strict: Option<bool>,
    security_definer: Option<bool>,
    parallel: Option<Parallel>,
    cost: Option<String>,
    rows: Option<String>,
    body: Option<FunctionOption>,
}

fn once<T>(slot: &mut Option<T>, value: T) -> Result<(), String> {
    if slot.is_some() {
        return Err("conflicting or redundant options".to_owned());
    }
    *slot = Some(value);
    Ok(())
}

impl Builder {
    /// Why a statement about a routine is left out (with a warning) rather
    /// than applied: it says what the model does not describe, or it is
    /// about a routine left out before. Such routines are remembered.
    pub(super) fn routine_left_out(&mut self, statement: &Ddl) -> Option<String> {
        let (name, what) = match statement {
            Ddl::CreateFunction(create) => {
                let what = create.options.iter().find_map(|(_, option)| match option {
                    FunctionOption::NotModelled(what) => Some(*what),
                    _ => None,
                });
                (&create.name, what.map(|what| format!("functions with {what}")))
            }
            Ddl::CreateAggregate(create) => {
                let option = create.options.iter().find_map(|(option, _, _)| {
                    AGGREGATE_OPTIONS_NOT_MODELLED.contains(&option.as_str()).then_some(option)
                });
                let what = match option {
                    Some(option) => Some(format!("aggregates with {}", option.to_uppercase())),
                    None if create.named_or_variadic => {
                        Some("aggregates with named or VARIADIC arguments".to_owned())
                    }
                    None => None,
                };
                (&create.name, what)
            }
            Ddl::AlterRoutine { routine, action: AlterRoutine::DependsOnExtension, .. } => {
                (&routine.name, Some("routines that depend on an extension".to_owned()))
            }
            Ddl::AlterRoutine { routine, .. } | Ddl::CommentRoutine { routine, .. } => {
                let found =
                    self.lookup(&routine.name, |name| self.unmodelled_routines.contains(name));
                return found
                    .map(|found| format!("`{found}` is not modelled by autogen yet; left out"));
            }
            Ddl::DropRoutines { routines, .. } => {
                for routine in routines {
                    let found =
                        self.lookup(&routine.name, |name| self.unmodelled_routines.contains(name));
                    if let Some(found) = found {
                        self.unmodelled_routines.remove(&found);
                        return Some(format!("`{found}` is not modelled by autogen yet; left out"));
                    }
                }
                return None;
            }
            _ => return None,
        };
        let what = what?;
        if let Ok(qualified) = self.new_name(name) {
            self.unmodelled_routines.insert(qualified);
        }
        Some(format!("autogen does not model {what} yet; left out"))
    }

    /// Applies a statement about routines.
    pub(super) fn apply_routine(
        &mut self,
        statement: &Ddl,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        match statement {
            Ddl::CreateFunction(create) => self.create_function(create, warnings),
            Ddl::CreateAggregate(create) => self.create_aggregate(create, warnings),
            Ddl::AlterRoutine { kind, routine, action } => {
                self.alter_routine(*kind, routine, action)
            }
            Ddl::DropRoutines { kind, if_exists, routines, cascade } => {
                for routine in routines {
                    self.drop_routine(*kind, *if_exists, routine, *cascade)?;
                }
                Ok(())
            }
            Ddl::CommentRoutine { kind, routine, comment } => {
                let Some(found) = self.find_routine(*kind, routine)? else {
                    return Err(self.missing_routine(*kind, routine));
                };
                match self.schema.functions.get_mut(&found) {
                    Some(function) => function.comment.clone_from(comment),
                    None => {
                        let aggregate = self.schema.aggregates.get_mut(&found).expect("found");
                        aggregate.comment.clone_from(comment);
                    }
                }
                Ok(())
            }
            _ => unreachable!("not a statement about routines: {statement:?}"),
        }
    }

    // ----- types --------------------------------------------------------

    /// A routine's argument or result type as the catalog keeps it.
    pub(super) fn routine_type(&self, type_ref: &TypeRef) -> Result<SqlType, String> {
        match type_ref {
            TypeRef::ColumnType(name) => {
                let table = crate::ddl::Name(name.0[..name.0.len() - 1].to_vec());
                let column = name.object();
                let Some(table_name) = self.find_table(&table) else {
                    return Err(format!("relation `{table}` does not exist"));
                };
                let Some(found) = self.schema.tables[&table_name].column(column) else {
                    return Err(format!(
                        "column `{column}` of relation `{table_name}` does not exist"
                    ));
                };
                Ok(expr::strip_typmod(&found.data_type))
            }
            TypeRef::Type(data_type) => {
                if let Some(builtin) = routine_builtin(data_type) {
                    return Ok(builtin);
                }
                let missing = std::cell::Cell::new(None);
                let resolved = crate::types::column_type(data_type, &|name: &str| match self
                    .routine_type_schema(name)
                {
                    Some(schema) => schema,
                    None => {
                        missing.set(Some(name.to_owned()));
                        String::new()
                    }
                })?;
                if let Some(name) = missing.take() {
                    return Err(format!("type `{name}` does not exist"));
                }
                if let Some(serial) = resolved.serial {
                    return Err(format!("type `{serial}` does not exist"));
                }
                self.check_type_exists(&resolved.data_type)?;
                if let SqlType::UserDefined { name } = resolved.data_type.element() {
                    if !self.routine_type_exists(name) {
                        return Err(format!("type `{name}` does not exist"));
                    }
                }
                Ok(expr::strip_typmod(&resolved.data_type))
            }
        }
    }

    /// The schema of the first type on the search path called `name` (a
    /// table's or a relation's row type too), or an extension's type.
    fn routine_type_schema(&self, name: &str) -> Option<String> {
        for schema in &self.search_path {
            let qualified = QualifiedName::new(schema.clone(), name);
            if self.routine_type_exists(&qualified) && !self.is_extension_type(&qualified) {
                return Some(schema.clone());
            }
        }
        let extension = super::extension_of_type(name)?;
        self.schema.extensions.get(extension).map(|extension| extension.schema.clone())
    }

    fn is_extension_type(&self, name: &QualifiedName) -> bool {
        super::extension_of_type(&name.name)
            .and_then(|extension| self.schema.extensions.get(extension))
            .is_some_and(|extension| extension.schema == name.schema)
    }

    /// Whether a type called `name` exists: an enum, a domain, a composite
    /// type, a table's (or another relation's) row type, an extension's.
    fn routine_type_exists(&self, name: &QualifiedName) -> bool {
        self.type_exists(name)
            || self.schema.tables.contains_key(name)
            || self.unmodelled.contains_key(name)
            || self.is_extension_type(name)
    }

    // ----- CREATE FUNCTION ------------------------------------------------

    fn create_function(
        &mut self,
        create: &CreateFunction,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let name = self.new_name(&create.name)?;
        let what = if create.procedure { "procedure" } else { "function" };
        let mut options = Options::default();
        let mut settings: Vec<(String, String)> = Vec::new();
        for (_, option) in &create.options {
            match option {
                FunctionOption::Language(language) => {
                    once(&mut options.language, language.clone())?
                }
                FunctionOption::Volatility(volatility) => {
                    once(&mut options.volatility, *volatility)?
                }
                FunctionOption::Leakproof(leakproof) => once(&mut options.leakproof, *leakproof)?,
                FunctionOption::Strict(strict) => once(&mut options.strict, *strict)?,
                FunctionOption::SecurityDefiner(definer) => {
                    once(&mut options.security_definer, *definer)?
                }
                FunctionOption::Parallel(parallel) => once(&mut options.parallel, *parallel)?,
                FunctionOption::Cost(cost) => once(&mut options.cost, cost.clone())?,
                FunctionOption::Rows(rows) => once(&mut options.rows, rows.clone())?,
                FunctionOption::Set { name, value } => {
                    self.set_setting(&mut settings, name, value)?
                }
                FunctionOption::As(_)
                | FunctionOption::AsObject(..)
                | FunctionOption::Return { .. }
                | FunctionOption::Atomic(_) => {
                    if options.body.is_some() {
                        return Err("duplicate function body specified".to_owned());
                    }
                    options.body = Some(option.clone());
                }
                FunctionOption::Reset(_) | FunctionOption::NotModelled(_) => {
                    return Err("unexpected option".to_owned())
                }
            }
        }
        if create.procedure {
            let invalid = options.volatility.is_some()
                || options.leakproof.is_some()
                || options.strict.is_some()
                || options.parallel.is_some()
                || options.cost.is_some()
                || options.rows.is_some();
            if invalid {
                return Err("invalid attribute in procedure definition".to_owned());
            }
            if create.returns.is_some() {
                return Err("procedures cannot have a RETURNS clause".to_owned());
            }
        }
        let standard =
            matches!(options.body, Some(FunctionOption::Return { .. } | FunctionOption::Atomic(_)));
        let language = match (&options.language, standard) {
            (Some(language), _) => language.clone(),
            (None, true) => "sql".to_owned(),
            (None, false) => return Err("no language specified".to_owned()),
        };
        if !BUILT_IN_LANGUAGES.contains(&language.as_str())
            && !self.schema.extensions.contains_key(&language)
        {
            return Err(format!("language `{language}` does not exist"));
        }
        if standard && language != "sql" {
            return Err("inline SQL function body only valid for language SQL".to_owned());
        }

        // Arguments.
        let mut arguments: Vec<Argument> = Vec::with_capacity(create.arguments.len());
        let mut after_default = false;
        let mut after_variadic = false;
        for (position, definition) in create.arguments.iter().enumerate() {
            let mode = definition.mode.unwrap_or_default();
            let data_type = self.routine_type(&definition.data_type)?;
            if after_variadic && mode != ArgumentMode::Out {
                return Err("VARIADIC parameter must be the last input parameter".to_owned());
            }
            if mode == ArgumentMode::Variadic {
                after_variadic = true;
                let any = matches!(&data_type, SqlType::Builtin { name } if name == "\"any\"");
                if !matches!(data_type, SqlType::Array { .. }) && !any {
                    return Err("VARIADIC parameter must be an array".to_owned());
                }
            }
            if let Some(argument_name) = &definition.name {
                let clash = create.arguments[..position].iter().any(|earlier| {
                    let earlier_mode = earlier.mode.unwrap_or_default();
                    let in_and_out = (mode == ArgumentMode::Out)
                        != (earlier_mode == ArgumentMode::Out)
                        && mode != ArgumentMode::InOut
                        && earlier_mode != ArgumentMode::InOut;
                    earlier.name.as_ref() == Some(argument_name) && !in_and_out
                });
                if clash {
                    return Err(format!("parameter name `{argument_name}` used more than once"));
                }
            }
            let default =
                match &definition.default {
                    Some(_) if mode == ArgumentMode::Out => {
                        return Err("only input parameters can have default values".to_owned())
                    }
                    Some(expression) => {
                        after_default = true;
                        let canonical =
                            expr::default_expression(expression, &self.scope(&[]), &data_type)?;
                        warnings.extend(canonical.uncertain);
                        // A null constant keeps the argument's type.
                        match canonical.text.as_str() {
                            "NULL" => Some(expr::typed_null(&data_type)),
                            _ => Some(canonical.text),
                        }
                    }
                    None if after_default && mode.is_input() => return Err(
                        "input parameters after one with a default value must also have defaults"
                            .to_owned(),
                    ),
                    None if after_default && create.procedure => {
                        return Err(
                            "procedure OUT parameters cannot appear after one with a default value"
                                .to_owned(),
                        )
                    }
                    None => None,
                };
            arguments.push(Argument { mode, name: definition.name.clone(), data_type, default });
        }
        let outputs: Vec<&Argument> = (arguments.iter())
            .filter(|argument| matches!(argument.mode, ArgumentMode::Out | ArgumentMode::InOut))
            .collect();

        // Result.
        let record = SqlType::Builtin { name: "record".to_owned() };
        let returns = match &create.returns {
            _ if create.procedure => None,
            Some(ReturnsDef::Table(columns)) => {
                if !outputs.is_empty() {
                    return Err(
                        "OUT and INOUT arguments aren't allowed in TABLE functions".to_owned()
                    );
                }
                let mut table = Vec::new();
                for (column, type_ref) in columns {
                    table.push((column.clone(), self.routine_type(type_ref)?));
                }
                Some(Returns::Table(table))
            }
            Some(ReturnsDef::Type { data_type, setof }) => {
                let data_type = self.routine_type(data_type)?;
                let implied = match outputs.as_slice() {
                    [] => None,
                    [one] => Some(one.data_type.clone()),
                    _ => Some(record.clone()),
                };
                if let Some(implied) = implied.filter(|implied| *implied != data_type) {
                    return Err(format!(
                        "function result type must be {implied} because of OUT parameters"
                    ));
                }
                Some(Returns::Type { data_type, setof: *setof })
            }
            None => match outputs.as_slice() {
                [] => return Err("function result type must be specified".to_owned()),
                [one] => Some(Returns::Type { data_type: one.data_type.clone(), setof: false }),
                _ => Some(Returns::Type { data_type: record, setof: false }),
            },
        };
        let returns_set = match &returns {
            Some(Returns::Type { setof, .. }) => *setof,
            Some(Returns::Table(_)) => true,
            None => false,
        };

        // Body.
        let body = match options.body.take() {
            None => return Err("no function body specified".to_owned()),
            Some(FunctionOption::As(source)) if language == "c" => {
                Body::Object { file: source, symbol: name.name.clone() }
            }
            Some(FunctionOption::As(source)) => Body::Source(source),
            Some(FunctionOption::AsObject(file, symbol)) if language == "c" => {
                Body::Object { file, symbol }
            }
            Some(FunctionOption::AsObject(..)) => {
                return Err(format!("only one AS item needed for language `{language}`"))
            }
            Some(FunctionOption::Return { expression, normalised }) => {
                if create.procedure {
                    return Err("procedures cannot have a RETURN body".to_owned());
                }
                Body::Standard(self.return_body(&arguments, &expression, normalised))
            }
            Some(FunctionOption::Atomic(text)) => Body::Standard(Rewritten::normalised(text)),
            Some(_) => unreachable!("a body option"),
        };

        // Cost and rows, kept as PostgreSQL prints them where not the default.
        let default_cost = if matches!(language.as_str(), "c" | "internal") { 1.0 } else { 100.0 };
        let cost = match &options.cost {
            None => None,
            Some(written) => {
                let cost =
                    float4(written).filter(|cost| *cost > 0.0).ok_or("COST must be positive")?;
                (f64::from(cost) != default_cost).then(|| float4_text(cost))
            }
        };
        let rows = match &options.rows {
            None => None,
            Some(_) if !returns_set => {
                return Err("ROWS is not applicable when function does not return a set".to_owned())
            }
            Some(written) => {
                let rows =
                    float4(written).filter(|rows| *rows > 0.0).ok_or("ROWS must be positive")?;
                (rows != 1000.0).then(|| float4_text(rows))
            }
        };

        let mut function = Function {
            name: name.clone(),
            procedure: create.procedure,
            arguments,
            returns,
            language,
            body,
            volatility: options.volatility.unwrap_or_default(),
            strict: options.strict.unwrap_or(false),
            security_definer: options.security_definer.unwrap_or(false),
            leakproof: options.leakproof.unwrap_or(false),
            parallel: options.parallel.unwrap_or_default(),
            cost,
            rows,
            settings,
            comment: None,
            grants: Default::default(),
        };
        let identity = function.identity();
        if self.schema.aggregates.contains_key(&identity) {
            return Err(match create.replace {
                true => {
                    format!("cannot change routine kind: `{identity}` is an aggregate function")
                }
                false => format!("function `{identity}` already exists with same argument types"),
            });
        }
        if let Some(existing) = self.schema.functions.get(&identity) {
            if !create.replace {
                return Err(format!("{what} `{identity}` already exists with same argument types"));
            }
            if let Some(refusal) = existing.replace_refusal(&function) {
                return Err(format!("{refusal} (`{identity}`; drop it first)"));
            }
            function.comment.clone_from(&existing.comment);
            // `CREATE OR REPLACE` keeps the ACL.
            function.grants.clone_from(&existing.grants);
        }
        self.unmodelled_routines.remove(&name);
        self.schema.functions.insert(identity, function);
        Ok(())
    }

    /// A `RETURN expression` body: PostgreSQL's text where the printer
    /// knows everything in it, else the normalised text.
    fn return_body(
        &self,
        arguments: &[Argument],
        expression: &sqlparser::ast::Expr,
        normalised: String,
    ) -> Rewritten {
        // Arguments are read as columns; `$n` as the argument's name, or
        // (unnamed) as a marker printed `$n` again, as PostgreSQL prints it.
        let marker = |position: usize| format!("__autogen_parameter_{position}");
        let inputs: Vec<&Argument> =
            arguments.iter().filter(|argument| argument.mode.is_input()).collect();
        let columns: Vec<autogen_schema::Column> = (inputs.iter().enumerate())
            .map(|(index, argument)| {
                let name = argument.name.clone().unwrap_or_else(|| marker(index + 1));
                autogen_schema::Column::new(name, argument.data_type.clone())
            })
            .collect();
        let mut expression = expression.clone();
        let mut unknown_parameter = false;
        let _ = sqlparser::ast::visit_expressions_mut(&mut expression, |found| {
            let sqlparser::ast::Expr::Value(value) = found else {
                return std::ops::ControlFlow::<()>::Continue(());
            };
            let sqlparser::ast::Value::Placeholder(placeholder) = &value.value else {
                return std::ops::ControlFlow::Continue(());
            };
            let position =
                placeholder.strip_prefix('$').and_then(|digits| digits.parse::<usize>().ok());
            match position.filter(|position| (1..=columns.len()).contains(position)) {
                Some(position) => {
                    let ident =
                        sqlparser::ast::Ident::with_quote('"', columns[position - 1].name.clone());
                    *found = sqlparser::ast::Expr::Identifier(ident);
                }
                None => unknown_parameter = true,
            }
            std::ops::ControlFlow::Continue(())
        });
        if unknown_parameter {
            return Rewritten::normalised(normalised);
        }
        let scope = self.scope(&columns);
        let printed = match expr::statistics_expression(&expression, &scope) {
            Ok(canonical) if canonical.uncertain.is_empty() && canonical.data_type.is_none() => {
                // A literal of no type yet: text, as in a query's result.
                expr::default_expression(&expression, &scope, &SqlType::Text)
            }
            other => other,
        };
        match printed {
            Ok(canonical) if canonical.uncertain.is_empty() => {
                let mut text = canonical.text;
                for position in (1..=columns.len()).rev() {
                    text = text.replace(&marker(position), &format!("${position}"));
                }
                Rewritten::catalog(format!("RETURN {text}"))
            }
            _ => Rewritten::normalised(normalised),
        }
    }

    /// `SET name …` added to a routine's settings, as `proconfig` keeps it:
    /// a name PostgreSQL knows in its own spelling, the value's text as
    /// `flatten_set_variable_args` makes it; `TO DEFAULT` removes it.
    fn set_setting(
        &self,
        settings: &mut Vec<(String, String)>,
        name: &str,
        value: &SettingValue,
    ) -> Result<(), String> {
        let name = setting_name(name);
        let text = match value {
            SettingValue::Default => {
                settings.retain(|(existing, _)| *existing != name);
                return Ok(());
            }
            // The path as `SHOW search_path` prints it once set (an empty
            // one is `""`); autogen does not tell PostgreSQL's default path
            // (`"$user", public`) from one set to `public`.
            SettingValue::FromCurrent if name == "search_path" => {
                let path: Vec<String> = self
                    .search_path
                    .iter()
                    .map(|schema| autogen_schema::quote_ident(schema))
                    .collect();
                match path.is_empty() {
                    true => "\"\"".to_owned(),
                    false => path.join(", "),
                }
            }
            SettingValue::FromCurrent => {
                return Err(format!(
                    "autogen cannot know the session's value of `{name}` (SET … FROM CURRENT); \
                     write the value"
                ))
            }
            SettingValue::Items(items) => {
                let quoted_list = autogen_schema::routine_sql::is_quoted_list_setting(&name);
                let texts: Vec<String> = (items.iter())
                    .map(|item| match item {
                        SettingItem::Number(number) => number_text(number),
                        SettingItem::Name { value, .. } | SettingItem::String(value)
                            if quoted_list =>
                        {
                            autogen_schema::quote_ident(value)
                        }
                        SettingItem::Name { value, .. } | SettingItem::String(value) => {
                            value.clone()
                        }
                    })
                    .collect();
                if texts.len() > 1 && !quoted_list && !LIST_SETTINGS.contains(&name.as_str()) {
                    return Err(format!("SET {name} takes only one argument"));
                }
                texts.join(", ")
            }
        };
        match settings.iter_mut().find(|(existing, _)| *existing == name) {
            Some(existing) => existing.1 = text,
            None => settings.push((name, text)),
        }
        Ok(())
    }

    // ----- lookups --------------------------------------------------------

    /// The routine a statement names, by its name (through the search
    /// path) and argument types, of the kind it says; `None` when there is
    /// none. A name alone must name one routine.
    pub(super) fn find_routine(
        &self,
        kind: RoutineKind,
        routine: &RoutineRef,
    ) -> Result<Option<RoutineName>, String> {
        if routine.name.0.len() > 2 {
            return Err(format!(
                "`{}`: cross-database references are not implemented",
                routine.name
            ));
        }
        let schemas: Vec<String> = match routine.name.schema() {
            Some(schema) => vec![schema.to_owned()],
            None => self.search_path.clone(),
        };
        let all: Vec<RoutineName> =
            self.schema.functions.keys().chain(self.schema.aggregates.keys()).cloned().collect();
        let found = match &routine.arguments {
            Some(arguments) => {
                let mut inputs = Vec::new();
                let mut everything = Vec::new();
                for (mode, type_ref) in arguments {
                    let data_type = self.routine_type(type_ref)?;
                    everything.push(data_type.clone());
                    if *mode != Some(ArgumentMode::Out) {
                        inputs.push(data_type);
                    }
                }
                let mut found = None;
                for schema in &schemas {
                    let name = QualifiedName::new(schema.clone(), routine.name.object());
                    for types in [&inputs, &everything] {
                        let candidate =
                            RoutineName { name: name.clone(), arguments: types.clone() };
                        if all.contains(&candidate) {
                            found = Some(candidate);
                            break;
                        }
                    }
                    if found.is_some() {
                        break;
                    }
                }
                found
            }
            None => {
                let mut candidates: Vec<RoutineName> = Vec::new();
                for schema in &schemas {
                    for candidate in all.iter().filter(|candidate| {
                        candidate.name.schema == *schema
                            && candidate.name.name == routine.name.object()
                            && self.is_kind(kind, candidate)
                    }) {
                        if !candidates.iter().any(|seen| seen.arguments == candidate.arguments) {
                            candidates.push(candidate.clone());
                        }
                    }
                }
                if candidates.len() > 1 {
                    return Err(format!(
                        "{} name `{}` is not unique: specify the argument list to select the {} \
                         unambiguously",
                        kind.word(),
                        routine.name,
                        kind.word()
                    ));
                }
                candidates.pop()
            }
        };
        let Some(found) = found else { return Ok(None) };
        self.check_kind(kind, &found)?;
        Ok(Some(found))
    }

    fn is_kind(&self, kind: RoutineKind, name: &RoutineName) -> bool {
        match (kind, self.schema.functions.get(name)) {
            (RoutineKind::Routine, _) => true,
            (RoutineKind::Aggregate, function) => function.is_none(),
            (RoutineKind::Function, Some(function)) => !function.procedure,
            (RoutineKind::Procedure, Some(function)) => function.procedure,
            (_, None) => false,
        }
    }

    /// PostgreSQL's refusal of a statement of `kind` about a routine of
    /// another kind.
    fn check_kind(&self, kind: RoutineKind, name: &RoutineName) -> Result<(), String> {
        if self.is_kind(kind, name) {
            return Ok(());
        }
        let aggregate = !self.schema.functions.contains_key(name);
        Err(match kind {
            RoutineKind::Function if aggregate => {
                format!("`{name}` is an aggregate function (use AGGREGATE)")
            }
            _ => format!(
                "`{name}` is not {}",
                match kind {
                    RoutineKind::Aggregate => "an aggregate function",
                    RoutineKind::Procedure => "a procedure",
                    _ => "a function",
                }
            ),
        })
    }

    fn missing_routine(&self, kind: RoutineKind, routine: &RoutineRef) -> String {
        match &routine.arguments {
            Some(_) => format!("{} `{routine}` does not exist", kind.word()),
            None => format!("could not find a {} named `{}`", kind.word(), routine.name),
        }
    }

    // ----- ALTER, DROP ------------------------------------------------------

    fn alter_routine(
        &mut self,
        kind: RoutineKind,
        routine: &RoutineRef,
        action: &AlterRoutine,
    ) -> Result<(), String> {
        let Some(found) = self.find_routine(kind, routine)? else {
            return Err(self.missing_routine(kind, routine));
        };
        match action {
            AlterRoutine::RenameTo(new) => {
                let new_name = QualifiedName::new(found.name.schema.clone(), new.clone());
                self.move_routine(&found, new_name)
            }
            AlterRoutine::SetSchema(schema) => {
                let schema = self.existing_schema(schema)?;
                let new_name = QualifiedName::new(schema, found.name.name.clone());
                self.move_routine(&found, new_name)
            }
            AlterRoutine::DependsOnExtension => Ok(()),
            AlterRoutine::Options(options) => {
                let Some(function) = self.schema.functions.get(&found).cloned() else {
                    return Err(format!("`{found}` is an aggregate function"));
                };
                let mut function = function;
                let mut seen = Options::default();
                for (_, option) in options {
                    let procedure_only_allows = matches!(
                        option,
                        FunctionOption::SecurityDefiner(_)
                            | FunctionOption::Set { .. }
                            | FunctionOption::Reset(_)
                    );
                    if function.procedure && !procedure_only_allows {
                        return Err("invalid attribute in procedure definition".to_owned());
                    }
                    match option {
                        FunctionOption::Volatility(volatility) => {
                            once(&mut seen.volatility, *volatility)?;
                            function.volatility = *volatility;
                        }
                        FunctionOption::Leakproof(leakproof) => {
                            once(&mut seen.leakproof, *leakproof)?;
                            function.leakproof = *leakproof;
                        }
                        FunctionOption::Strict(strict) => {
                            once(&mut seen.strict, *strict)?;
                            function.strict = *strict;
                        }
                        FunctionOption::SecurityDefiner(definer) => {
                            once(&mut seen.security_definer, *definer)?;
                            function.security_definer = *definer;
                        }
                        FunctionOption::Parallel(parallel) => {
                            once(&mut seen.parallel, *parallel)?;
                            function.parallel = *parallel;
                        }
                        FunctionOption::Cost(cost) => {
                            once(&mut seen.cost, String::new())?;
                            let default = if matches!(function.language.as_str(), "c" | "internal")
                            {
                                1.0
                            } else {
                                100.0
                            };
                            let cost = float4(cost)
                                .filter(|cost| *cost > 0.0)
                                .ok_or("COST must be positive")?;
                            function.cost = (f64::from(cost) != default).then(|| float4_text(cost));
                        }
                        FunctionOption::Rows(rows) => {
                            once(&mut seen.rows, String::new())?;
                            let returns_set = matches!(
                                function.returns,
                                Some(Returns::Type { setof: true, .. } | Returns::Table(_))
                            );
                            if !returns_set {
                                return Err(
                                    "ROWS is not applicable when function does not return a set"
                                        .to_owned(),
                                );
                            }
                            let rows = float4(rows)
                                .filter(|rows| *rows > 0.0)
                                .ok_or("ROWS must be positive")?;
                            function.rows = (rows != 1000.0).then(|| float4_text(rows));
                        }
                        FunctionOption::Set { name, value } => {
                            self.set_setting(&mut function.settings, name, value)?;
                        }
                        FunctionOption::Reset(None) => function.settings.clear(),
                        FunctionOption::Reset(Some(name)) => {
                            let name = setting_name(name);
                            function.settings.retain(|(existing, _)| *existing != name);
                        }
                        _ => return Err("unexpected option in ALTER FUNCTION".to_owned()),
                    }
                }
                self.schema.functions.insert(found, function);
                Ok(())
            }
        }
    }

    /// A routine given a new name or schema, its callers following it.
    fn move_routine(&mut self, old: &RoutineName, new_name: QualifiedName) -> Result<(), String> {
        let new = RoutineName { name: new_name.clone(), arguments: old.arguments.clone() };
        if self.schema.functions.contains_key(&new) || self.schema.aggregates.contains_key(&new) {
            return Err(format!("function `{new}` already exists in schema `{}`", new.name.schema));
        }
        if let Some(mut function) = self.schema.functions.remove(old) {
            function.name = new_name.clone();
            self.schema.functions.insert(new, function);
        } else if let Some(mut aggregate) = self.schema.aggregates.remove(old) {
            aggregate.name = new_name.clone();
            self.schema.aggregates.insert(new, aggregate);
        }
        // Calls name the routine by name in printed text: follow only when
        // no overload keeps the old name (which those calls may mean).
        if self.schema.routines_named(&old.name).is_empty() {
            self.change_every_table(|table| {
                table.change_expressions(|text| {
                    autogen_schema::expression::rename_function(text, &old.name, &new_name)
                })
            });
            self.schema.rename_routine_references(&old.name, &new_name);
        }
        Ok(())
    }

    fn drop_routine(
        &mut self,
        kind: RoutineKind,
        if_exists: bool,
        routine: &RoutineRef,
        cascade: bool,
    ) -> Result<(), String> {
        let Some(found) = self.find_routine(kind, routine)? else {
            return match if_exists {
                true => Ok(()),
                false => Err(self.missing_routine(kind, routine)),
            };
        };
        self.drop_routine_named(&found, cascade)
    }

    /// Drops routine `name`; what calls it refuses the drop, or with
    /// `cascade` goes first.
    fn drop_routine_named(&mut self, name: &RoutineName, cascade: bool) -> Result<(), String> {
        let users = self.routine_users(name);
        if let Some(user) = users.first() {
            if !cascade {
                return Err(format!(
                    "cannot drop function `{name}` because other objects depend on it: {} (use \
                     CASCADE)",
                    user.describe()
                ));
            }
        }
        self.schema.functions.remove(name);
        self.schema.aggregates.remove(name);
        for user in users {
            self.drop_routine_user(user)?;
        }
        Ok(())
    }

    /// What calls routine `name`: printed expressions of tables, domains
    /// and routines, aggregates' support functions, the views and
    /// materialized views that call it, view triggers. Calls name a routine
    /// by name only: while an overload of the name stays, its calls are
    /// taken for the overload's.
    fn routine_users(&self, name: &RoutineName) -> Vec<RoutineUser> {
        let overloads = self.schema.routines_named(&name.name);
        if overloads.iter().any(|other| other != name) {
            return Vec::new();
        }
        let calls = |text: &str| autogen_schema::expression::mentions_function(text, &name.name);
        let mut users = Vec::new();
        for table in self.schema.tables.values() {
            for column in &table.columns {
                if column.default.as_deref().is_some_and(calls) {
                    users.push(RoutineUser::Default(table.name.clone(), column.name.clone()));
                }
                if column.generated.as_deref().is_some_and(calls) {
                    users.push(RoutineUser::Generated(table.name.clone(), column.name.clone()));
                }
            }
            for check in &table.check_constraints {
                if calls(&check.expression) {
                    users.push(RoutineUser::Check(table.name.clone(), check.name.clone()));
                }
            }
            for exclusion in &table.exclusion_constraints {
                if exclusion.expressions().any(calls) {
                    users.push(RoutineUser::Check(table.name.clone(), exclusion.name.clone()));
                }
            }
            for index in &table.indexes {
                let keys = index.keys.iter().any(|key| match &key.target {
                    autogen_schema::IndexTarget::Expression(text) => calls(text),
                    autogen_schema::IndexTarget::Column(_) => false,
                });
                if keys || index.predicate.as_deref().is_some_and(calls) {
                    users.push(RoutineUser::Index(table.name.clone(), index.name.clone()));
                }
            }
            for statistics in &table.statistics {
                if statistics.expressions.iter().any(|text| calls(text)) {
                    users
                        .push(RoutineUser::Statistics(table.name.clone(), statistics.name.clone()));
                }
            }
            for trigger in &table.triggers {
                let condition = trigger.when.as_ref().is_some_and(|when| calls(&when.text));
                if trigger.function == name.name || condition {
                    users.push(RoutineUser::Trigger(table.name.clone(), trigger.name.clone()));
                }
            }
            for policy in &table.policies {
                if policy.expressions().any(calls) {
                    users.push(RoutineUser::Policy(table.name.clone(), policy.name.clone()));
                }
            }
        }
        let uses = autogen_schema::Uses::Function(name.name.clone());
        for (view, dependencies) in self.schema.all_view_dependencies() {
            if dependencies.on.contains(&uses) {
                users.push(RoutineUser::View(view.clone()));
            }
        }
        for view in self.schema.views.values() {
            for trigger in view.triggers.iter().filter(|trigger| trigger.function == name.name) {
                users.push(RoutineUser::ViewTrigger(view.name.clone(), trigger.name.clone()));
            }
        }
        for domain in self.schema.domains.values() {
            if domain.default.as_deref().is_some_and(calls) {
                users.push(RoutineUser::DomainDefault(domain.name.clone()));
            }
            for check in &domain.checks {
                if calls(&check.expression) {
                    users.push(RoutineUser::DomainCheck(domain.name.clone(), check.name.clone()));
                }
            }
        }
        for (other, function) in &self.schema.functions {
            let body = match &function.body {
                Body::Standard(body) => Some(body.text.as_str()),
                _ => None,
            };
            let defaults =
                function.arguments.iter().filter_map(|argument| argument.default.as_deref());
            if other != name && (defaults.chain(body).any(calls)) {
                users.push(RoutineUser::Routine(other.clone()));
            }
        }
        for (other, aggregate) in &self.schema.aggregates {
            if aggregate.functions().contains(&&name.name) {
                users.push(RoutineUser::Routine(other.clone()));
            }
        }
        users
    }

    /// One user of a dropped routine taken along (`CASCADE`).
    fn drop_routine_user(&mut self, user: RoutineUser) -> Result<(), String> {
        match user {
            RoutineUser::Default(table, column) => {
                if let Some(found) =
                    self.table_mut(&table).columns.iter_mut().find(|c| c.name == column)
                {
                    found.default = None;
                }
            }
            RoutineUser::Generated(table, column) => {
                if self.table(&table).column(&column).is_some() {
                    self.drop_column(&table, &column, true)?;
                }
            }
            RoutineUser::Check(table, constraint) => {
                let found = self.table_mut(&table);
                found.check_constraints.retain(|check| check.name != constraint);
                found.exclusion_constraints.retain(|exclusion| exclusion.name != constraint);
            }
            RoutineUser::Index(table, index) => {
                self.table_mut(&table).indexes.retain(|existing| existing.name != index);
            }
            RoutineUser::Statistics(table, statistics) => {
                self.table_mut(&table).statistics.retain(|existing| existing.name != statistics);
            }
            RoutineUser::Trigger(table, trigger) => {
                self.table_mut(&table).triggers.retain(|existing| existing.name != trigger);
            }
            RoutineUser::Policy(table, policy) => {
                self.table_mut(&table).policies.retain(|existing| existing.name != policy);
            }
            RoutineUser::View(view) => {
                if self.schema.has_view(&view) {
                    self.drop_views_reading(&view, true, "view")?;
                    self.remove_view_or_materialized(&view);
                }
            }
            RoutineUser::ViewTrigger(view, trigger) => {
                if self.schema.views.contains_key(&view) {
                    self.view_mut(&view).triggers.retain(|existing| existing.name != trigger);
                }
            }
            RoutineUser::DomainDefault(domain) => {
                if let Some(found) = self.schema.domains.get_mut(&domain) {
                    found.default = None;
                }
            }
            RoutineUser::DomainCheck(domain, check) => {
                if let Some(found) = self.schema.domains.get_mut(&domain) {
                    found.checks.retain(|existing| existing.name != check);
                }
            }
            RoutineUser::Routine(other) => {
                if self.schema.functions.contains_key(&other)
                    || self.schema.aggregates.contains_key(&other)
                {
                    self.drop_routine_named(&other, true)?;
                }
            }
        }
        Ok(())
    }

    /// Before a type (an enum, domain, composite type, or a table's row
    /// type) is dropped: the routines that take or return it refuse the
    /// drop, or with `cascade` go first.
    pub(super) fn drop_routines_using_type(
        &mut self,
        type_name: &QualifiedName,
        cascade: bool,
    ) -> Result<(), String> {
        let uses = |data_type: &SqlType| matches!(data_type.element(), SqlType::UserDefined { name } if name == type_name);
        let mut users: Vec<RoutineName> = (self.schema.functions.iter())
            .filter(|(_, function)| function.types().into_iter().any(uses))
            .map(|(name, _)| name.clone())
            .collect();
        users.extend(
            (self.schema.aggregates.iter())
                .filter(|(_, aggregate)| {
                    aggregate.arguments.iter().any(uses) || uses(&aggregate.state_type)
                })
                .map(|(name, _)| name.clone()),
        );
        if let Some(user) = users.first() {
            if !cascade {
                return Err(format!(
                    "cannot drop type `{type_name}`: function `{user}` uses it (use CASCADE)"
                ));
            }
        }
        for user in users {
            if self.schema.functions.contains_key(&user)
                || self.schema.aggregates.contains_key(&user)
            {
                self.drop_routine_named(&user, true)?;
            }
        }
        Ok(())
    }

    /// The routines of `schema`, dropped with it (`DROP SCHEMA … CASCADE`).
    pub(super) fn drop_routines_in_schema(&mut self, schema: &str) -> Result<(), String> {
        let names: Vec<RoutineName> = (self.schema.functions.keys())
            .chain(self.schema.aggregates.keys())
            .filter(|name| name.name.schema == schema)
            .cloned()
            .collect();
        for name in names {
            if self.schema.functions.contains_key(&name)
                || self.schema.aggregates.contains_key(&name)
            {
                self.drop_routine_named(&name, true)?;
            }
        }
        self.unmodelled_routines.retain(|name| name.schema != schema);
        Ok(())
    }

    /// What calls of `names` depend on: the routines of the schema each
    /// names through the search path (by name: any overload).
    pub(super) fn routine_dependencies(
        &self,
        names: &[crate::ddl::Name],
    ) -> Vec<autogen_schema::Dependency> {
        let mut found = Vec::new();
        for name in names {
            let routine =
                self.lookup(name, |qualified| !self.schema.routines_named(qualified).is_empty());
            if let Some(routine) = routine {
                let on = autogen_schema::Reference::Function(routine);
                found.push(autogen_schema::Dependency { on, blocks_drop: true });
            }
        }
        found
    }

    /// Whether `schema` holds routines.
    pub(super) fn has_routines_in(&self, schema: &str) -> bool {
        (self.schema.functions.keys().chain(self.schema.aggregates.keys()))
            .any(|name| name.name.schema == schema)
    }

    // ----- CREATE AGGREGATE ----------------------------------------------

    fn create_aggregate(
        &mut self,
        create: &CreateAggregate,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let name = self.new_name(&create.name)?;
        let mut arguments = Vec::new();
        for argument in &create.arguments {
            arguments.push(self.routine_type(argument)?);
        }
        let (mut state_function, mut state_type, mut final_function, mut combine_function) =
            (None, None, None, None);
        let (mut initial_condition, mut sort_operator, mut parallel) = (None, None, None);
        for (option, _, value) in &create.options {
            match option.as_str() {
                "sfunc" => state_function = Some(self.support_function(value)?),
                "stype" => state_type = Some(self.routine_type(&value_type(value)?)?),
                "finalfunc" => final_function = Some(self.support_function(value)?),
                "combinefunc" => combine_function = Some(self.support_function(value)?),
                "initcond" => initial_condition = Some(value_text(value)?),
                "sortop" => sort_operator = Some(sort_operator_text(value)?),
                "parallel" => {
                    parallel = Some(match value_text(value)?.to_ascii_lowercase().as_str() {
                        "safe" => Parallel::Safe,
                        "restricted" => Parallel::Restricted,
                        "unsafe" => Parallel::Unsafe,
                        _ => {
                            return Err(
                                "parameter \"parallel\" must be SAFE, RESTRICTED, or UNSAFE"
                                    .to_owned(),
                            )
                        }
                    })
                }
                "basetype" => {
                    let type_ref = value_type(value)?;
                    let any = matches!(&type_ref, TypeRef::Type(DataType::Custom(name, _))
                        if name.to_string().eq_ignore_ascii_case("any"));
                    if !any {
                        arguments = vec![self.routine_type(&type_ref)?];
                    }
                }
                other => warnings.push(format!("aggregate attribute `{other}` not recognized")),
            }
        }
        let state_function = state_function.ok_or("aggregate sfunc must be specified")?;
        let state_type = state_type.ok_or("aggregate stype must be specified")?;
        let aggregate = Aggregate {
            name: name.clone(),
            arguments,
            direct_arguments: create.direct_arguments.map(|count| count as u32),
            state_function,
            state_type,
            final_function,
            combine_function,
            initial_condition,
            sort_operator,
            parallel: parallel.unwrap_or_default(),
            comment: None,
        };
        let identity = aggregate.identity();
        let mut aggregate = aggregate;
        if self.schema.functions.contains_key(&identity) {
            return Err(match create.replace {
                true => format!("cannot change routine kind: `{identity}` is a function"),
                false => format!("function `{identity}` already exists with same argument types"),
            });
        }
        if let Some(existing) = self.schema.aggregates.get(&identity) {
            if !create.replace {
                return Err(format!(
                    "function `{identity}` already exists with same argument types"
                ));
            }
            aggregate.comment.clone_from(&existing.comment);
        }
        self.unmodelled_routines.remove(&name);
        self.schema.aggregates.insert(identity, aggregate);
        Ok(())
    }

    /// A support function of an aggregate (`SFUNC = f`): a function of the
    /// schema found through the search path, else a built-in one.
    fn support_function(&self, value: &[TokenWithSpan]) -> Result<QualifiedName, String> {
        let name = crate::ddl::name_of_tokens(value)?;
        if name.0.len() > 2 {
            return Err(format!("`{name}` is not a function name"));
        }
        let found =
            self.lookup(&name, |qualified| !self.schema.routines_named(qualified).is_empty());
        Ok(match (found, name.schema()) {
            (Some(found), _) => found,
            (None, Some(schema)) => QualifiedName::new(schema, name.object()),
            (None, None) => QualifiedName::new("pg_catalog", name.object()),
        })
    }
}

/// Something that calls a routine.
enum RoutineUser {
    Default(QualifiedName, String),
    Generated(QualifiedName, String),
    Check(QualifiedName, String),
    Index(QualifiedName, String),
    Statistics(QualifiedName, QualifiedName),
    Trigger(QualifiedName, String),
    Policy(QualifiedName, String),
    View(QualifiedName),
    ViewTrigger(QualifiedName, String),
    DomainDefault(QualifiedName),
    DomainCheck(QualifiedName, String),
    Routine(RoutineName),
}

impl RoutineUser {
    fn describe(&self) -> String {
        match self {
            RoutineUser::Default(table, column) => format!("the default of `{table}`.`{column}`"),
            RoutineUser::Generated(table, column) => {
                format!("generated column `{column}` of `{table}`")
            }
            RoutineUser::Check(table, name) => format!("constraint `{name}` on `{table}`"),
            RoutineUser::Index(table, name) => format!("index `{name}` on `{table}`"),
            RoutineUser::Statistics(table, name) => format!("statistics `{name}` on `{table}`"),
            RoutineUser::Trigger(table, name) => format!("trigger `{name}` on `{table}`"),
            RoutineUser::Policy(table, name) => format!("policy `{name}` on `{table}`"),
            RoutineUser::View(view) => format!("view `{view}`"),
            RoutineUser::ViewTrigger(view, name) => format!("trigger `{name}` on `{view}`"),
            RoutineUser::DomainDefault(domain) => format!("the default of domain `{domain}`"),
            RoutineUser::DomainCheck(domain, name) => {
                format!("constraint `{name}` of domain `{domain}`")
            }
            RoutineUser::Routine(name) => format!("function `{name}`"),
        }
    }
}

/// A built-in type of routines only (`trigger`, `void`, `"any"` …), as
/// written unqualified or in `pg_catalog`.
fn routine_builtin(data_type: &DataType) -> Option<SqlType> {
    if *data_type == DataType::Trigger {
        return Some(SqlType::Builtin { name: "trigger".to_owned() });
    }
    let DataType::Custom(name, modifiers) = data_type else { return None };
    if !modifiers.is_empty() {
        return None;
    }
    let parts: Vec<String> = (name.0.iter())
        .map(|part| part.as_ident().map(crate::types::folded))
        .collect::<Option<_>>()?;
    let word = match parts.as_slice() {
        [word] => word,
        [schema, word] if schema == "pg_catalog" => word,
        _ => return None,
    };
    let quoted = name.0.last()?.as_ident()?.quote_style.is_some();
    if word == "any" && !quoted {
        return None;
    }
    ROUTINE_TYPES.contains(&word.as_str()).then(|| SqlType::Builtin {
        name: if word == "any" { "\"any\"".to_owned() } else { word.clone() },
    })
}

/// The settings whose value may be a list without quoting
/// (`GUC_LIST_INPUT`), besides those quoted as identifiers.
const LIST_SETTINGS: &[&str] = &["DateStyle", "log_destination", "debug_io_direct"];

/// A setting's name as `proconfig` keeps it: PostgreSQL's spelling of the
/// settings whose name is not in lower case, else as written.
fn setting_name(name: &str) -> String {
    for known in ["DateStyle", "IntervalStyle", "TimeZone"] {
        if known.eq_ignore_ascii_case(name) {
            return known.to_owned();
        }
    }
    name.to_ascii_lowercase()
}

/// A number as `SET` keeps it: an integer as PostgreSQL prints it, any
/// other number as written.
fn number_text(written: &str) -> String {
    let digits = written.strip_prefix('-').unwrap_or(written);
    if digits.bytes().all(|byte| byte.is_ascii_digit()) {
        if let Ok(number) = written.parse::<i32>() {
            return number.to_string();
        }
    }
    written.to_owned()
}

/// A `COST` or `ROWS` as the `float4` PostgreSQL keeps.
fn float4(written: &str) -> Option<f32> {
    written.replace('_', "").parse::<f32>().ok().filter(|value| value.is_finite())
}

/// A `float4` as PostgreSQL prints it (`float4out`: the shortest text that
/// reads back the same; fixed notation for exponents from -4 to 5,
/// otherwise `1e+10`, `1.2345679e+08`).
pub(crate) fn float4_text(value: f32) -> String {
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').expect("`{:e}` has an exponent");
    let exponent: i32 = exponent.parse().expect("a number");
    if (-4..6).contains(&exponent) {
        let text = format!("{value}");
        return text;
    }
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.abs())
}

/// A value of `CREATE AGGREGATE` as text: a string, a word, a number.
fn value_text(value: &[TokenWithSpan]) -> Result<String, String> {
    match value {
        [token] => match &token.token {
            Token::SingleQuotedString(text) | Token::EscapedStringLiteral(text) => Ok(text.clone()),
            Token::DollarQuotedString(text) => Ok(text.value.clone()),
            Token::Number(number, _) => Ok(number.clone()),
            Token::Word(Word { value, quote_style: None, .. }) => Ok(value.to_ascii_lowercase()),
            Token::Word(word) => Ok(word.value.clone()),
            other => Err(format!("unexpected `{other}` as a value")),
        },
        [minus, number] if minus.token == Token::Minus => match &number.token {
            Token::Number(number, _) => Ok(format!("-{number}")),
            other => Err(format!("unexpected `{other}` as a value")),
        },
        _ => Err("expected a value".to_owned()),
    }
}

/// A value of `CREATE AGGREGATE` that is a type (`STYPE = integer[]`).
fn value_type(value: &[TokenWithSpan]) -> Result<TypeRef, String> {
    if value.is_empty() {
        return Err("expected a type".to_owned());
    }
    let location =
        crate::Location { line: value[0].span.start.line, column: value[0].span.start.column };
    crate::ddl::type_ref_of_tokens(value.to_vec(), location).map_err(|(_, message)| message)
}

/// `SORTOP = <` or `SORTOP = OPERATOR(schema.<)`, as
/// `OPERATOR(schema.<)` (a bare operator is a built-in one).
fn sort_operator_text(value: &[TokenWithSpan]) -> Result<String, String> {
    let texts: Vec<String> = value.iter().map(|token| token.token.to_string()).collect();
    let is_operator = |token: &TokenWithSpan| {
        !matches!(token.token, Token::Word(_) | Token::LParen | Token::RParen | Token::Period)
    };
    match value {
        [first, ..] if matches!(&first.token, Token::Word(Word { value, .. }) if value.eq_ignore_ascii_case("operator")) =>
        {
            let inner = &texts[2..texts.len().saturating_sub(1)];
            let joined = inner.concat();
            let qualified =
                if joined.contains('.') { joined } else { format!("pg_catalog.{joined}") };
            Ok(format!("OPERATOR({qualified})"))
        }
        tokens if !tokens.is_empty() && tokens.iter().all(is_operator) => {
            Ok(format!("OPERATOR(pg_catalog.{})", texts.concat()))
        }
        _ => Err("expected an operator".to_owned()),
    }
}

impl Builder {
    /// Whether `statement` may change the schema's routines (what a failing
    /// statement must then put back): statements about routines, and —
    /// when there are routines — drops and renames of what they use.
    pub(super) fn may_change_routines(&self, statement: &Ddl) -> bool {
        match statement {
            Ddl::CreateFunction(_)
            | Ddl::CreateAggregate(_)
            | Ddl::AlterRoutine { .. }
            | Ddl::DropRoutines { .. }
            | Ddl::CommentRoutine { .. } => true,
            _ if self.schema.functions.is_empty() && self.schema.aggregates.is_empty() => false,
            Ddl::Drop { .. } | Ddl::AlterType { .. } | Ddl::AlterDomain { .. } => true,
            Ddl::AlterTable { actions, .. } => actions.iter().any(|action| {
                matches!(
                    action,
                    crate::ddl::AlterTable::RenameTo(_) | crate::ddl::AlterTable::SetSchema(_)
                )
            }),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_and_rows_print_as_float4out_prints_them() {
        for (written, printed) in [
            ("100", "100"),
            ("0.1", "0.1"),
            ("250.0", "250"),
            ("100000", "100000"),
            ("1000000", "1e+06"),
            ("1e10", "1e+10"),
            ("123456789", "1.2345679e+08"),
            ("0.0001", "0.0001"),
            ("0.00001", "1e-05"),
        ] {
            assert_eq!(float4_text(float4(written).unwrap()), printed, "{written}");
        }
    }

    #[test]
    fn arguments_keep_no_type_modifiers() {
        for (column, argument) in [
            ("character varying(80)", "character varying"),
            ("numeric(10,2)", "numeric"),
            ("timestamp(3) with time zone", "timestamp with time zone"),
            ("character(3)", "bpchar"),
            ("integer[][]", "integer[]"),
        ] {
            let declared = crate::types::parse_type(column, "public").unwrap().data_type;
            assert_eq!(crate::expr::strip_typmod(&declared).to_string(), argument, "{column}");
        }
    }

    #[test]
    fn settings_are_kept_as_proconfig_keeps_them() {
        assert_eq!(setting_name("DATESTYLE"), "DateStyle");
        assert_eq!(setting_name("Work_Mem"), "work_mem");
        assert_eq!(number_text("007"), "7");
        assert_eq!(number_text("-1"), "-1");
        assert_eq!(number_text("1.50"), "1.50");
    }
}
