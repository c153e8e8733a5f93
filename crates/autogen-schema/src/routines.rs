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
}

impl Function {
    /// The routine's identity: name and input argument types.
    pub fn identity(&self) -> RoutineName {
        RoutineName {
            name: self.name.clone(),
            arguments: self
                .arguments
                .iter()
                .filter(|argument| argument.mode != ArgumentMode::Out)
                .map(|argument| argument.data_type.clone())
                .collect(),
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
}

fn is_false(value: &bool) -> bool {
    !*value
}
