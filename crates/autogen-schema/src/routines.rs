//! Functions, procedures and aggregates (`pg_proc`).
//!
//! A routine is known by its name and the types of its input arguments
//! ([`RoutineName`]): overloads are different routines. Canonical forms:
//! - types as a column's ([`SqlType`], `format_type` spellings; a domain or
//!   enum by name), pseudo-types (`trigger`, `void`, `record`, `anyelement`)
//!   as [`SqlType::Builtin`];
//! - argument defaults as `pg_get_function_arg_default` prints them (the
//!   expression reader's form, like a column default);
//! - a body PostgreSQL keeps as written (`prosrc`: `AS $$ … $$`) compared
//!   exactly, byte for byte; a SQL-standard body (`BEGIN ATOMIC … END`,
//!   `RETURN expr`) is text PostgreSQL rewrites ([`Rewritten`]);
//! - volatility, strictness, `SECURITY DEFINER`, `LEAKPROOF`, `PARALLEL`
//!   as flags with PostgreSQL's defaults; `COST` and `ROWS` only where they
//!   differ from the defaults PostgreSQL gives (`None`);
//! - `SET` settings (`proconfig`) as `(name, value)` in the order written,
//!   names in lower case, values as PostgreSQL keeps their text
//!   (`search_path` → `public, pg_temp`).

use serde::{Deserialize, Serialize};

use crate::ident::QualifiedName;
use crate::types::SqlType;
use crate::views::Rewritten;

/// A routine's identity: its name and the types of its input arguments
/// (`IN`, `INOUT`, `VARIADIC`; not `OUT`), as `DROP FUNCTION` names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RoutineName {
    pub name: QualifiedName,
    pub arguments: Vec<SqlType>,
}

/// `CREATE FUNCTION` or `CREATE PROCEDURE` (`pg_proc` with `prokind` `f`
/// or `p`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Function {
    pub name: QualifiedName,
    /// `prokind = 'p'`: `CREATE PROCEDURE` (no return type).
    #[serde(default, skip_serializing_if = "is_false")]
    pub procedure: bool,
    /// In declaration order (`proargnames`, `proargmodes`, `proallargtypes`),
    /// `TABLE (…)` columns excepted: they are [`Returns::Table`].
    pub arguments: Vec<Argument>,
    /// `None` for a procedure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<Returns>,
    /// `pg_language.lanname`: `sql`, `plpgsql`, `c`, `internal`, …
    pub language: String,
    pub body: Body,
    #[serde(default, skip_serializing_if = "Volatility::is_default")]
    pub volatility: Volatility,
    /// `STRICT` (`RETURNS NULL ON NULL INPUT`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub strict: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub security_definer: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub leakproof: bool,
    #[serde(default, skip_serializing_if = "Parallel::is_default")]
    pub parallel: Parallel,
    /// `procost` where it is not the default (1 for `c` and `internal`,
    /// 100 otherwise), as PostgreSQL prints it (`0.5`, `250`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<String>,
    /// `prorows` of a set-returning function where it is not 1000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<String>,
    /// `proconfig`: `SET name = value` / `SET name FROM CURRENT` as stored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<(String, String)>,
    /// `COMMENT ON FUNCTION`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The privileges granted on it (`proacl`): never compared, never in
    /// JSON — kept across a drop and create ([`crate::privileges`]).
    #[serde(skip)]
    pub grants: crate::privileges::Grants,
}

impl Function {
    /// The routine's identity: name and input argument types.
    pub fn identity(&self) -> RoutineName {
        RoutineName {
            name: self.name.clone(),
            arguments: self
                .arguments
                .iter()
                .filter(|argument| argument.mode.is_input())
                .map(|argument| argument.data_type.clone())
                .collect(),
        }
    }

    /// The columns of the row the routine returns, when it returns one
    /// defined by its `OUT` and `INOUT` arguments or `RETURNS TABLE`: names
    /// (empty when unnamed) and types, in order.
    pub fn output_columns(&self) -> Vec<(String, SqlType)> {
        if let Some(Returns::Table(columns)) = &self.returns {
            return columns.clone();
        }
        (self.arguments.iter())
            .filter(|argument| matches!(argument.mode, ArgumentMode::Out | ArgumentMode::InOut))
            .map(|argument| (argument.name.clone().unwrap_or_default(), argument.data_type.clone()))
            .collect()
    }

    /// Why PostgreSQL refuses `CREATE OR REPLACE` of this routine with
    /// `new` (the same identity), in its words, or `None` when it replaces
    /// it in place: the kind, the return type (and the row `OUT` arguments
    /// define when it returns `record`), the names of input arguments and
    /// the number of defaults may not change (`ProcedureCreate`).
    pub fn replace_refusal(&self, new: &Function) -> Option<String> {
        if self.procedure != new.procedure {
            let what = if self.procedure { "a procedure" } else { "a function" };
            return Some(format!("cannot change routine kind: `{}` is {what}", self.name));
        }
        if self.returns_type() != new.returns_type() {
            return Some(if self.procedure {
                "cannot change whether a procedure has output parameters".to_owned()
            } else {
                "cannot change return type of existing function".to_owned()
            });
        }
        let record = matches!(
            self.returns_type(),
            Some((SqlType::Builtin { name }, _)) if name == "record"
        ) || self.procedure;
        if record && self.output_columns() != new.output_columns() {
            return Some(
                "cannot change return type of existing function: the row type defined by OUT \
                 parameters is different"
                    .to_owned(),
            );
        }
        for (position, old) in self.arguments.iter().enumerate() {
            let Some(old_name) = old.name.as_deref().filter(|_| old.mode.is_input()) else {
                continue;
            };
            let new_name = new.arguments.get(position).and_then(|new| new.name.as_deref());
            if new_name != Some(old_name) {
                return Some(format!(
                    "cannot change name of input parameter \"{}\"",
                    old_name.replace('"', "\"\"")
                ));
            }
        }
        let defaults = |function: &Function| {
            function.arguments.iter().filter(|argument| argument.default.is_some()).count()
        };
        if defaults(new) < defaults(self) {
            return Some("cannot remove parameter defaults from existing function".to_owned());
        }
        None
    }

    /// The type PostgreSQL records as the routine's result (`prorettype`,
    /// `proretset`): `record` for `RETURNS TABLE`; a procedure's is `record`
    /// with output arguments and none without.
    fn returns_type(&self) -> Option<(SqlType, bool)> {
        let record = SqlType::Builtin { name: "record".to_owned() };
        match &self.returns {
            Some(Returns::Type { data_type, setof }) => Some((data_type.clone(), *setof)),
            Some(Returns::Table(_)) => Some((record, true)),
            None if self.output_columns().is_empty() => None,
            None => Some((record, false)),
        }
    }

    /// Every type the routine names: its arguments', its result's.
    pub fn types(&self) -> Vec<&SqlType> {
        let mut types: Vec<&SqlType> =
            self.arguments.iter().map(|argument| &argument.data_type).collect();
        match &self.returns {
            Some(Returns::Type { data_type, .. }) => types.push(data_type),
            Some(Returns::Table(columns)) => {
                types.extend(columns.iter().map(|(_, data_type)| data_type))
            }
            None => {}
        }
        types
    }

    /// Every type the routine names made `change(type)`.
    pub fn change_types(&mut self, mut change: impl FnMut(&mut SqlType)) {
        for argument in &mut self.arguments {
            change(&mut argument.data_type);
        }
        match &mut self.returns {
            Some(Returns::Type { data_type, .. }) => change(data_type),
            Some(Returns::Table(columns)) => {
                columns.iter_mut().for_each(|(_, data_type)| change(data_type))
            }
            None => {}
        }
    }

    /// The routine's printed expressions: its arguments' defaults, and a
    /// SQL-standard body in PostgreSQL's text.
    pub fn expressions(&self) -> Vec<&str> {
        let mut texts: Vec<&str> =
            self.arguments.iter().filter_map(|argument| argument.default.as_deref()).collect();
        if let Body::Standard(body) = &self.body {
            if body.form == crate::views::TextForm::Catalog {
                texts.push(&body.text);
            }
        }
        texts
    }

    /// The routine's printed expressions ([`Function::expressions`]) made
    /// `change(expression)`.
    pub fn change_expressions(&mut self, mut change: impl FnMut(&str) -> String) {
        for argument in &mut self.arguments {
            if let Some(default) = &mut argument.default {
                *default = change(default);
            }
        }
        if let Body::Standard(body) = &mut self.body {
            if body.form == crate::views::TextForm::Catalog {
                body.text = change(&body.text);
            }
        }
    }
}

/// One argument of a routine.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Argument {
    #[serde(default, skip_serializing_if = "ArgumentMode::is_default")]
    pub mode: ArgumentMode,
    /// `None` when unnamed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub data_type: SqlType,
    /// `DEFAULT expr`, as `pg_get_function_arg_default` prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// `proargmodes`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ArgumentMode {
    #[default]
    In,
    Out,
    InOut,
    Variadic,
}

impl ArgumentMode {
    fn is_default(&self) -> bool {
        *self == ArgumentMode::In
    }

    /// Whether the argument is an input (`IN`, `INOUT`, `VARIADIC`): part
    /// of the routine's identity.
    pub fn is_input(self) -> bool {
        self != ArgumentMode::Out
    }

    /// The keyword written before the argument (none for `IN`).
    pub fn keyword(self) -> Option<&'static str> {
        match self {
            ArgumentMode::In => None,
            ArgumentMode::Out => Some("OUT"),
            ArgumentMode::InOut => Some("INOUT"),
            ArgumentMode::Variadic => Some("VARIADIC"),
        }
    }
}

/// What a function returns.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Returns {
    /// `RETURNS [SETOF] type` (`prorettype`, `proretset`). A function with
    /// `OUT` arguments returns their type (one) or `record` (several).
    Type { data_type: SqlType, setof: bool },
    /// `RETURNS TABLE (name type, …)` (arguments of mode `t`).
    Table(Vec<(String, SqlType)>),
}

/// A routine's body.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    /// `AS 'text'` / `AS $$ … $$`: `prosrc` exactly as written.
    Source(String),
    /// `AS 'obj_file', 'link_symbol'` of a `c` function.
    Object { file: String, symbol: String },
    /// A SQL-standard body (`RETURN expr`, `BEGIN ATOMIC … END`):
    /// PostgreSQL keeps it parsed (`prosqlbody`) and prints it again.
    Standard(Rewritten),
}

/// `provolatile`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Volatility {
    Immutable,
    Stable,
    #[default]
    Volatile,
}

impl Volatility {
    fn is_default(&self) -> bool {
        *self == Volatility::Volatile
    }

    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Volatility::Immutable => "IMMUTABLE",
            Volatility::Stable => "STABLE",
            Volatility::Volatile => "VOLATILE",
        }
    }
}

/// `proparallel`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Parallel {
    Safe,
    Restricted,
    #[default]
    Unsafe,
}

impl Parallel {
    fn is_default(&self) -> bool {
        *self == Parallel::Unsafe
    }

    /// The keyword after `PARALLEL`.
    pub fn keyword(self) -> &'static str {
        match self {
            Parallel::Safe => "SAFE",
            Parallel::Restricted => "RESTRICTED",
            Parallel::Unsafe => "UNSAFE",
        }
    }
}

/// `CREATE AGGREGATE` (`pg_proc` with `prokind = 'a'` and its
/// `pg_aggregate` row). Functions are named by [`RoutineName`]; what the
/// definition leaves out is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Aggregate {
    pub name: QualifiedName,
    /// Input types (`*` is none); `ORDER BY` arguments of an ordered-set
    /// aggregate are [`Aggregate::direct_arguments`]' followers.
    pub arguments: Vec<SqlType>,
    /// An ordered-set aggregate's direct arguments (`aggnumdirectargs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_arguments: Option<u32>,
    /// `SFUNC`
    pub state_function: QualifiedName,
    /// `STYPE`
    pub state_type: SqlType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_function: Option<QualifiedName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combine_function: Option<QualifiedName>,
    /// `INITCOND` as stored (text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_condition: Option<String>,
    /// `SORTOP`, as `OPERATOR(schema.op)` prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_operator: Option<String>,
    #[serde(default, skip_serializing_if = "Parallel::is_default")]
    pub parallel: Parallel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Aggregate {
    /// The aggregate's identity.
    pub fn identity(&self) -> RoutineName {
        RoutineName { name: self.name.clone(), arguments: self.arguments.clone() }
    }

    /// The functions the aggregate calls: its state, final and combine
    /// functions.
    pub fn functions(&self) -> Vec<&QualifiedName> {
        let mut functions = vec![&self.state_function];
        functions.extend(&self.final_function);
        functions.extend(&self.combine_function);
        functions
    }

    /// Every type the aggregate names made `change(type)`.
    pub fn change_types(&mut self, mut change: impl FnMut(&mut SqlType)) {
        self.arguments.iter_mut().for_each(&mut change);
        change(&mut self.state_type);
    }
}

impl std::fmt::Display for RoutineName {
    /// `schema.name(type, …)`, as `regprocedure` names a routine.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let types: Vec<String> = self.arguments.iter().map(ToString::to_string).collect();
        write!(formatter, "{}({})", self.name, types.join(", "))
    }
}

impl crate::model::Schema {
    /// The functions and aggregates called `name` (every overload).
    pub fn routines_named(&self, name: &QualifiedName) -> Vec<RoutineName> {
        (self.functions.keys().chain(self.aggregates.keys()))
            .filter(|routine| routine.name == *name)
            .cloned()
            .collect()
    }

    /// Routine `old` (every overload) called `new` wherever the schema
    /// calls it, as PostgreSQL follows a rename (it refers to routines by
    /// oid): printed expressions of tables, domains and routines,
    /// aggregates' support functions, the queries of the views and
    /// materialized views that call it, triggers' functions. The
    /// routines' own entries are the caller's to move.
    pub fn rename_routine_references(&mut self, old: &QualifiedName, new: &QualifiedName) {
        let rename = |text: &str| crate::expression::rename_function(text, old, new);
        for table in self.tables.values_mut() {
            table.change_expressions(rename);
            for trigger in table.triggers.iter_mut().filter(|trigger| trigger.function == *old) {
                trigger.function = new.clone();
            }
        }
        for domain in self.domains.values_mut() {
            domain.change_expressions(rename);
        }
        for function in self.functions.values_mut() {
            function.change_expressions(rename);
        }
        let called = crate::Uses::Function(old.clone());
        let follow = |query: &mut crate::Rewritten, depends_on: &mut crate::ViewDependencies| {
            if depends_on.on.contains(&called) {
                query.text = rename(&query.text);
                // What was written names the old routine: no longer its text.
                query.written = None;
                for uses in depends_on.on.iter_mut().filter(|uses| **uses == called) {
                    *uses = crate::Uses::Function(new.clone());
                }
                depends_on.on.sort();
                depends_on.on.dedup();
            }
        };
        for view in self.views.values_mut() {
            follow(&mut view.query, &mut view.depends_on);
            for trigger in view.triggers.iter_mut().filter(|trigger| trigger.function == *old) {
                trigger.function = new.clone();
            }
        }
        for view in self.materialized_views.values_mut() {
            follow(&mut view.query, &mut view.depends_on);
        }
        for aggregate in self.aggregates.values_mut() {
            for function in [
                Some(&mut aggregate.state_function),
                aggregate.final_function.as_mut(),
                aggregate.combine_function.as_mut(),
            ]
            .into_iter()
            .flatten()
            {
                if function == old {
                    *function = new.clone();
                }
            }
        }
    }

    /// Type `old` called `new` in every routine's arguments and result, as
    /// PostgreSQL follows a type's rename.
    pub fn rename_type_in_routines(&mut self, old: &QualifiedName, new: &QualifiedName) {
        let rename = |data_type: &mut SqlType| data_type.rename_type(old, new);
        let functions = std::mem::take(&mut self.functions);
        self.functions = (functions.into_values())
            .map(|mut function| {
                function.change_types(rename);
                function.change_expressions(|text| crate::expression::rename_type(text, old, new));
                (function.identity(), function)
            })
            .collect();
        let aggregates = std::mem::take(&mut self.aggregates);
        self.aggregates = (aggregates.into_values())
            .map(|mut aggregate| {
                aggregate.change_types(rename);
                (aggregate.identity(), aggregate)
            })
            .collect();
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn function(arguments: Vec<Argument>, returns: Option<Returns>) -> Function {
        Function {
            name: QualifiedName::new("public", "f"),
            procedure: returns.is_none(),
            arguments,
            returns,
            language: "sql".into(),
            body: Body::Source("SELECT 1".into()),
            volatility: Volatility::Volatile,
            strict: false,
            security_definer: false,
            leakproof: false,
            parallel: Parallel::Unsafe,
            cost: None,
            rows: None,
            settings: Vec::new(),
            comment: None,
            grants: Default::default(),
        }
    }

    fn argument(mode: ArgumentMode, name: Option<&str>, default: Option<&str>) -> Argument {
        Argument {
            mode,
            name: name.map(str::to_owned),
            data_type: SqlType::Integer,
            default: default.map(str::to_owned),
        }
    }

    fn returns(data_type: SqlType) -> Option<Returns> {
        Some(Returns::Type { data_type, setof: false })
    }

    #[test]
    fn or_replace_is_refused_as_postgresql_refuses_it() {
        use ArgumentMode::*;
        let old = function(vec![argument(In, Some("a"), Some("1"))], returns(SqlType::Integer));
        let mut new = old.clone();
        new.body = Body::Source("SELECT 2".into());
        new.volatility = Volatility::Stable;
        assert_eq!(old.replace_refusal(&new), None, "the body and options change in place");
        new.returns = returns(SqlType::BigInt);
        assert!(old.replace_refusal(&new).unwrap().contains("return type"));
        let renamed = function(vec![argument(In, Some("b"), Some("1"))], returns(SqlType::Integer));
        assert!(old.replace_refusal(&renamed).unwrap().contains("name of input parameter \"a\""));
        let no_default = function(vec![argument(In, Some("a"), None)], returns(SqlType::Integer));
        assert!(old.replace_refusal(&no_default).unwrap().contains("defaults"));
        assert_eq!(no_default.replace_refusal(&old), None, "a default may be added");
        // An unnamed argument may gain a name.
        let unnamed = function(vec![argument(In, None, None)], returns(SqlType::Integer));
        assert_eq!(unnamed.replace_refusal(&no_default), None);
        // The row OUT arguments define is the result.
        let record = SqlType::Builtin { name: "record".into() };
        let outputs = |second: &str| {
            function(
                vec![
                    argument(In, Some("a"), None),
                    argument(Out, Some("b"), None),
                    argument(Out, Some(second), None),
                ],
                returns(record.clone()),
            )
        };
        assert_eq!(outputs("c").replace_refusal(&outputs("c")), None);
        assert!(outputs("c").replace_refusal(&outputs("d")).unwrap().contains("OUT"));
        // One OUT argument is the result's type: its name may change.
        let single = |name: &str| {
            function(
                vec![argument(In, Some("a"), None), argument(Out, Some(name), None)],
                returns(SqlType::Integer),
            )
        };
        assert_eq!(single("b").replace_refusal(&single("c")), None);
        // A function is not a procedure.
        let procedure = function(vec![argument(In, Some("a"), Some("1"))], None);
        assert!(old.replace_refusal(&procedure).unwrap().contains("routine kind"));
        assert_eq!(old.identity(), procedure.identity());
    }
}
