//! The statements about functions, procedures and aggregates, read into
//! the syntax tree: `CREATE [OR REPLACE] FUNCTION`/`PROCEDURE` with every
//! option PostgreSQL takes, `CREATE [OR REPLACE] AGGREGATE`, `ALTER
//! FUNCTION`/`PROCEDURE`/`AGGREGATE`/`ROUTINE`, `DROP …` and `COMMENT ON
//! …`. What the statements mean (types resolved, PostgreSQL's refusals) is
//! `build::routines`'.

use sqlparser::ast::{DataType, Expr};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan, Word};

use autogen_schema::{ArgumentMode, Parallel, Volatility};

use super::{parse_data_type, parse_expression, Cursor, Ddl, Error, Name};
use crate::{depth, Location};

/// Which kind of routine a statement names (`DROP FUNCTION`, `ALTER
/// ROUTINE` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutineKind {
    Function,
    Procedure,
    Aggregate,
    /// `ROUTINE`: any of the three.
    Routine,
}

impl RoutineKind {
    /// The word in messages.
    pub fn word(self) -> &'static str {
        match self {
            RoutineKind::Function => "function",
            RoutineKind::Procedure => "procedure",
            RoutineKind::Aggregate => "aggregate",
            RoutineKind::Routine => "routine",
        }
    }
}

/// `CREATE [OR REPLACE] {FUNCTION | PROCEDURE} name (arguments) [RETURNS
/// …] options [body]`
#[derive(Debug, Clone, PartialEq)]
pub struct CreateFunction {
    pub replace: bool,
    pub procedure: bool,
    pub name: Name,
    pub arguments: Vec<ArgumentDef>,
    pub returns: Option<ReturnsDef>,
    /// In the order written, each where it starts.
    pub options: Vec<(Location, FunctionOption)>,
}

/// `[mode] [name] type [{DEFAULT | =} expression]`
#[derive(Debug, Clone, PartialEq)]
pub struct ArgumentDef {
    pub mode: Option<ArgumentMode>,
    pub name: Option<String>,
    pub data_type: TypeRef,
    pub default: Option<Expr>,
}

/// A type as a routine's argument or result says it.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    Type(DataType),
    /// `table.column%TYPE`: the column's type.
    ColumnType(Name),
}

/// `RETURNS [SETOF] type` or `RETURNS TABLE (name type, …)`
#[derive(Debug, Clone, PartialEq)]
pub enum ReturnsDef {
    Type { data_type: TypeRef, setof: bool },
    Table(Vec<(String, TypeRef)>),
}

/// One option of `CREATE FUNCTION` or `ALTER FUNCTION`.
// A short-lived syntax tree: variant sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum FunctionOption {
    /// `LANGUAGE name`, folded as a name.
    Language(String),
    Volatility(Volatility),
    /// `LEAKPROOF` / `NOT LEAKPROOF`
    Leakproof(bool),
    /// `STRICT`, `RETURNS NULL ON NULL INPUT` / `CALLED ON NULL INPUT`
    Strict(bool),
    /// `[EXTERNAL] SECURITY DEFINER` / `INVOKER`
    SecurityDefiner(bool),
    Parallel(Parallel),
    /// `COST n`, the number as written (a sign folded in).
    Cost(String),
    /// `ROWS n`
    Rows(String),
    /// `SET name {TO | =} value, …` / `SET name FROM CURRENT` / `TO
    /// DEFAULT`.
    Set {
        name: String,
        value: SettingValue,
    },
    /// `RESET name` / `RESET ALL` (`None`): `ALTER` only.
    Reset(Option<String>),
    /// `AS 'definition'`
    As(String),
    /// `AS 'obj_file', 'link_symbol'`
    AsObject(String, String),
    /// `RETURN expression`: the expression, and its text normalised.
    Return {
        expression: Expr,
        normalised: String,
    },
    /// `BEGIN ATOMIC … END`, normalised.
    Atomic(String),
    /// What the model does not describe: `WINDOW`, `SUPPORT`, `TRANSFORM`.
    NotModelled(&'static str),
}

/// The value of `SET name …` in a routine's definition.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingValue {
    /// `TO value, …`: each item as PostgreSQL's grammar reads it.
    Items(Vec<SettingItem>),
    /// `FROM CURRENT`: the session's value when the statement runs.
    FromCurrent,
    /// `TO DEFAULT`: no setting.
    Default,
}

/// One value of a `SET`.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingItem {
    /// A word (a name or keyword, folded) or a quoted name (`quoted`).
    Name { value: String, quoted: bool },
    /// A string literal.
    String(String),
    /// A number as written, with its sign.
    Number(String),
}

/// A routine as `DROP`, `ALTER` and `COMMENT ON` name it: its name and,
/// when written, its argument list (an aggregate's `*` is an empty list;
/// `ORDER BY` is read as a comma).
#[derive(Debug, Clone, PartialEq)]
pub struct RoutineRef {
    pub name: Name,
    pub arguments: Option<Vec<(Option<ArgumentMode>, TypeRef)>>,
}

impl std::fmt::Display for RoutineRef {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}", self.name)?;
        if let Some(arguments) = &self.arguments {
            let types: Vec<String> = (arguments.iter())
                .map(|(_, data_type)| match data_type {
                    TypeRef::Type(data_type) => data_type.to_string(),
                    TypeRef::ColumnType(column) => format!("{column}%TYPE"),
                })
                .collect();
            write!(formatter, "({})", types.join(", "))?;
        }
        Ok(())
    }
}

/// What `ALTER FUNCTION … ` does.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterRoutine {
    RenameTo(String),
    SetSchema(String),
    /// Options (`STABLE`, `SET …`, `RESET …`, …), in order.
    Options(Vec<(Location, FunctionOption)>),
    /// `[NO] DEPENDS ON EXTENSION`: not modelled.
    DependsOnExtension,
}

/// `CREATE [OR REPLACE] AGGREGATE name (arguments) (option = value, …)`
#[derive(Debug, Clone, PartialEq)]
pub struct CreateAggregate {
    pub replace: bool,
    pub name: Name,
    /// Input types; with `ORDER BY`, the direct ones first.
    pub arguments: Vec<TypeRef>,
    /// How many come before `ORDER BY`, when there is one.
    pub direct_arguments: Option<usize>,
    /// Whether an argument has a name or a mode: not modelled.
    pub named_or_variadic: bool,
    /// `(name = value, …)`: names folded, each value's tokens.
    pub options: Vec<(String, Location, Vec<TokenWithSpan>)>,
}

/// The words that end a routine's result type (and start an option).
const OPTION_STARTS: &[&str] = &[
    "language",
    "transform",
    "window",
    "immutable",
    "stable",
    "volatile",
    "not",
    "leakproof",
    "called",
    "returns",
    "strict",
    "external",
    "security",
    "parallel",
    "cost",
    "rows",
    "support",
    "set",
    "reset",
    "as",
    "return",
    "begin",
    "restrict",
];

impl Cursor {
    /// After `CREATE [OR REPLACE]`: `FUNCTION …` or `PROCEDURE …`.
    pub(super) fn create_function(&mut self, replace: bool) -> Result<Ddl, Error> {
        let procedure = self.eat("procedure");
        if !procedure {
            self.expect("function")?;
        }
        let name = self.name()?;
        let arguments = self.parenthesized_list(|cursor| cursor.routine_argument(true))?;
        let returns = if self.eat("returns") {
            if self.eat("table") {
                let columns = self.parenthesized_list(|cursor| {
                    let name = cursor.identifier()?;
                    Ok((name, cursor.type_ref(&[])?))
                })?;
                Some(ReturnsDef::Table(columns))
            } else {
                let setof = self.eat("setof");
                Some(ReturnsDef::Type { data_type: self.type_ref(OPTION_STARTS)?, setof })
            }
        } else {
            None
        };
        let options = self.function_options(false)?;
        Ok(Ddl::CreateFunction(CreateFunction {
            replace,
            procedure,
            name,
            arguments,
            returns,
            options,
        }))
    }

    /// One argument: `[mode] [name] type [{DEFAULT | =} expression]`
    /// (the name may come before the mode); without `defaults`, as `DROP`
    /// and `ALTER` list arguments.
    fn routine_argument(&mut self, defaults: bool) -> Result<ArgumentDef, Error> {
        let mode_at = |cursor: &Cursor, offset: usize| match cursor.word_at(offset).as_deref() {
            Some("in") => Some(ArgumentMode::In),
            Some("out") => Some(ArgumentMode::Out),
            Some("inout") => Some(ArgumentMode::InOut),
            Some("variadic") => Some(ArgumentMode::Variadic),
            _ => None,
        };
        let ends = |cursor: &Cursor, offset: usize| {
            matches!(
                cursor.tokens.get(cursor.index + offset).map(|token| &token.token),
                None | Some(Token::Comma | Token::RParen | Token::Eq)
            ) || cursor.word_at(offset).as_deref() == Some("default")
                || (cursor.word_at(offset).as_deref() == Some("order")
                    && cursor.word_at(offset + 1).as_deref() == Some("by"))
        };
        // A mode word is a mode unless it is all there is (a type called
        // `out`, say, which no one writes).
        let mut mode = None;
        if let Some(found) = mode_at(self, 0).filter(|_| !ends(self, 1)) {
            mode = Some(found);
            self.index += 1;
        }
        let start = self.index;
        let location = self.location();
        let stop = |cursor: &Cursor| {
            cursor.is("default")
                || cursor.peek() == Some(&Token::Eq)
                || (cursor.is("order") && cursor.word_at(1).as_deref() == Some("by"))
        };
        let tokens = self.take_until(&stop);
        if tokens.is_empty() {
            return Err(self.unexpected("an argument type"));
        }
        // `type`, or `name type`: a type of several words (`double
        // precision`) reads whole; otherwise a leading word followed by
        // more is a name.
        let named = starts_with_name(&tokens) && !whole_type_reads(&tokens);
        let (name, data_type) = match named {
            false => (None, type_ref_of(tokens, location)?),
            true => {
                self.index = start;
                let name = self.identifier()?;
                if mode.is_none() {
                    if let Some(found) = mode_at(self, 0).filter(|_| !ends(self, 1)) {
                        mode = Some(found);
                        self.index += 1;
                    }
                }
                let location = self.location();
                let rest = self.take_until(&stop);
                if rest.is_empty() {
                    return Err(self.unexpected("an argument type"));
                }
                (Some(name), type_ref_of(rest, location)?)
            }
        };
        let default = if defaults && (self.eat("default") || self.eat_token(&Token::Eq)) {
            Some(self.expression_until(&[])?)
        } else {
            None
        };
        Ok(ArgumentDef { mode, name, data_type, default })
    }

    /// A type up to a comma, a closing parenthesis or one of `stop_words`:
    /// a type name, or `table.column%TYPE`.
    fn type_ref(&mut self, stop_words: &[&str]) -> Result<TypeRef, Error> {
        let location = self.location();
        let tokens = self.take_until(&|cursor| stop_words.iter().any(|word| cursor.is(word)));
        if tokens.is_empty() {
            return Err(self.unexpected("a type"));
        }
        type_ref_of(tokens, location)
    }

    /// The options of `CREATE FUNCTION` (and the body), or of `ALTER
    /// FUNCTION` (`alter`: `RESET`, and no body).
    fn function_options(&mut self, alter: bool) -> Result<Vec<(Location, FunctionOption)>, Error> {
        let mut options = Vec::new();
        while !self.at_end() {
            let location = self.location();
            let option = if self.eat("language") {
                let language = match self.peek() {
                    Some(Token::SingleQuotedString(_)) => self.string()?.to_ascii_lowercase(),
                    _ => self.identifier()?,
                };
                FunctionOption::Language(language)
            } else if self.eat("immutable") {
                FunctionOption::Volatility(Volatility::Immutable)
            } else if self.eat("stable") {
                FunctionOption::Volatility(Volatility::Stable)
            } else if self.eat("volatile") {
                FunctionOption::Volatility(Volatility::Volatile)
            } else if self.eat_all(&["not", "leakproof"]) {
                FunctionOption::Leakproof(false)
            } else if self.eat("leakproof") {
                FunctionOption::Leakproof(true)
            } else if self.eat_all(&["called", "on", "null", "input"]) {
                FunctionOption::Strict(false)
            } else if self.eat_all(&["returns", "null", "on", "null", "input"])
                || self.eat("strict")
            {
                FunctionOption::Strict(true)
            } else if self.eat_all(&["external", "security"]) || self.eat("security") {
                if self.eat("definer") {
                    FunctionOption::SecurityDefiner(true)
                } else {
                    self.expect("invoker")?;
                    FunctionOption::SecurityDefiner(false)
                }
            } else if self.eat("parallel") {
                let parallel = if self.eat("safe") {
                    Parallel::Safe
                } else if self.eat("restricted") {
                    Parallel::Restricted
                } else if self.eat("unsafe") {
                    Parallel::Unsafe
                } else {
                    return Err(self.unexpected("SAFE, RESTRICTED or UNSAFE"));
                };
                FunctionOption::Parallel(parallel)
            } else if self.eat("cost") {
                FunctionOption::Cost(self.number()?)
            } else if self.eat("rows") {
                FunctionOption::Rows(self.number()?)
            } else if self.eat("set") {
                let name = self.setting_name()?;
                let value = if self.eat_all(&["from", "current"]) {
                    SettingValue::FromCurrent
                } else {
                    if !self.eat("to") {
                        self.expect_token(&Token::Eq)?;
                    }
                    if self.eat("default") {
                        SettingValue::Default
                    } else {
                        let mut items = vec![self.setting_item()?];
                        while self.eat_token(&Token::Comma) {
                            items.push(self.setting_item()?);
                        }
                        SettingValue::Items(items)
                    }
                };
                FunctionOption::Set { name, value }
            } else if alter && self.eat("reset") {
                if self.eat("all") {
                    FunctionOption::Reset(None)
                } else {
                    FunctionOption::Reset(Some(self.setting_name()?))
                }
            } else if !alter && self.eat("as") {
                let definition = self.string()?;
                if self.eat_token(&Token::Comma) {
                    FunctionOption::AsObject(definition, self.string()?)
                } else {
                    FunctionOption::As(definition)
                }
            } else if !alter && self.eat("return") {
                let location = self.location();
                let tokens = self.tokens[self.index..].to_vec();
                self.index = self.tokens.len();
                if tokens.is_empty() {
                    return Err(self.unexpected("an expression"));
                }
                let normalised = format!("RETURN {}", normalised_expression(&tokens, location)?);
                let expression = parse_expression(tokens, location)?;
                FunctionOption::Return { expression, normalised }
            } else if !alter && self.eat_all(&["begin", "atomic"]) {
                FunctionOption::Atomic(self.atomic_body()?)
            } else if self.eat("window") {
                FunctionOption::NotModelled("WINDOW")
            } else if self.eat("support") {
                self.name()?;
                FunctionOption::NotModelled("SUPPORT")
            } else if self.eat("transform") {
                self.take_until(&|cursor| OPTION_STARTS.iter().any(|word| cursor.is(word)));
                while self.eat_token(&Token::Comma) {
                    self.take_until(&|cursor| OPTION_STARTS.iter().any(|word| cursor.is(word)));
                }
                FunctionOption::NotModelled("TRANSFORM")
            } else if alter && self.eat("restrict") {
                continue;
            } else {
                return Err(self.unexpected("a function option"));
            };
            options.push((location, option));
        }
        Ok(options)
    }

    /// A number with its sign, as written (`COST`, `ROWS`).
    fn number(&mut self) -> Result<String, Error> {
        let negative = self.eat_token(&Token::Minus);
        if !negative {
            self.eat_token(&Token::Plus);
        }
        match self.peek() {
            Some(Token::Number(digits, _)) => {
                let digits = digits.clone();
                self.index += 1;
                Ok(if negative { format!("-{digits}") } else { digits })
            }
            _ => Err(self.unexpected("a number")),
        }
    }

    /// A setting's name: `work_mem`, `"DateStyle"`, `app.tenant`.
    fn setting_name(&mut self) -> Result<String, Error> {
        let mut name = self.identifier()?;
        while self.eat_token(&Token::Period) {
            name = format!("{name}.{}", self.identifier()?);
        }
        Ok(name)
    }

    /// One value of `SET name TO …`.
    fn setting_item(&mut self) -> Result<SettingItem, Error> {
        let negative = self.eat_token(&Token::Minus);
        if !negative {
            self.eat_token(&Token::Plus);
        }
        let item = match self.peek() {
            Some(Token::Number(digits, _)) => {
                SettingItem::Number(if negative { format!("-{digits}") } else { digits.clone() })
            }
            _ if negative => return Err(self.unexpected("a number")),
            Some(
                Token::SingleQuotedString(value)
                | Token::EscapedStringLiteral(value)
                | Token::UnicodeStringLiteral(value),
            ) => SettingItem::String(value.clone()),
            Some(Token::DollarQuotedString(value)) => SettingItem::String(value.value.clone()),
            Some(Token::Word(Word { value, quote_style: None, .. })) => {
                SettingItem::Name { value: value.to_ascii_lowercase(), quoted: false }
            }
            Some(Token::Word(word)) => {
                SettingItem::Name { value: word.value.clone(), quoted: true }
            }
            _ => return Err(self.unexpected("a setting's value")),
        };
        self.index += 1;
        Ok(item)
    }

    /// After `BEGIN ATOMIC`: the statements up to the last `END`, each
    /// normalised, as `BEGIN ATOMIC\n stmt;\n …END`.
    fn atomic_body(&mut self) -> Result<String, Error> {
        let rest = &self.tokens[self.index..];
        let Some(last) = rest.last() else { return Err(self.unexpected("the body's statements")) };
        let is_end = matches!(&last.token, Token::Word(Word { value, quote_style: None, .. })
            if value.eq_ignore_ascii_case("end"));
        if !is_end {
            self.index = self.tokens.len() - 1;
            return Err(self.unexpected("END"));
        }
        let body = rest[..rest.len() - 1].to_vec();
        self.index = self.tokens.len();
        let mut statements = Vec::new();
        let mut current: Vec<TokenWithSpan> = Vec::new();
        for token in body {
            if token.token == Token::SemiColon {
                if !current.is_empty() {
                    statements.push(normalised_statement(std::mem::take(&mut current))?);
                }
            } else {
                current.push(token);
            }
        }
        if !current.is_empty() {
            // PostgreSQL wants a `;` after each statement of the body.
            let location = current.last().map_or(Location { line: 1, column: 1 }, |token| {
                Location { line: token.span.end.line, column: token.span.end.column }
            });
            return Err((location, "expected `;` after the statement, before END".to_owned()));
        }
        let mut text = "BEGIN ATOMIC\n".to_owned();
        for statement in statements {
            text.push_str(&statement);
            text.push_str(";\n");
        }
        text.push_str("END");
        Ok(text)
    }

    /// A routine as `DROP`, `ALTER` and `COMMENT ON` name it: `name [(
    /// [[mode] [name] type, …] )]`, `name(*)`, `name(… ORDER BY …)`.
    pub(super) fn routine_ref(&mut self) -> Result<RoutineRef, Error> {
        let name = self.name()?;
        if self.peek() != Some(&Token::LParen) {
            return Ok(RoutineRef { name, arguments: None });
        }
        self.expect_token(&Token::LParen)?;
        let mut arguments = Vec::new();
        if self.eat_token(&Token::Mul) {
            self.expect_token(&Token::RParen)?;
            return Ok(RoutineRef { name, arguments: Some(arguments) });
        }
        if !self.eat_token(&Token::RParen) {
            loop {
                if self.eat_all(&["order", "by"]) {
                    continue;
                }
                let argument = self.routine_argument(false)?;
                arguments.push((argument.mode, argument.data_type));
                if self.eat_token(&Token::Comma) {
                    continue;
                }
                if self.is("order") {
                    continue;
                }
                self.expect_token(&Token::RParen)?;
                break;
            }
        }
        Ok(RoutineRef { name, arguments: Some(arguments) })
    }

    /// After `ALTER {FUNCTION | PROCEDURE | AGGREGATE | ROUTINE}`.
    pub(super) fn alter_routine(&mut self, kind: RoutineKind) -> Result<Ddl, Error> {
        let routine = self.routine_ref()?;
        let action = if self.eat_all(&["rename", "to"]) {
            AlterRoutine::RenameTo(self.identifier()?)
        } else if self.is("set")
            && self.word_at(1).as_deref() == Some("schema")
            && !matches!(
                self.tokens.get(self.index + 2).map(|token| &token.token),
                Some(Token::Eq) | None
            )
            && self.word_at(2).as_deref() != Some("to")
        {
            self.index += 2;
            AlterRoutine::SetSchema(self.identifier()?)
        } else if self.eat("owner") {
            self.index = self.tokens.len();
            return Ok(Ddl::Nothing);
        } else if self.eat_all(&["depends", "on", "extension"])
            || self.eat_all(&["no", "depends", "on", "extension"])
        {
            self.identifier()?;
            AlterRoutine::DependsOnExtension
        } else if kind == RoutineKind::Aggregate {
            return Err(self.unexpected("RENAME TO, SET SCHEMA or OWNER TO"));
        } else {
            let options = self.function_options(true)?;
            if options.is_empty() {
                return Err(self.unexpected("an action"));
            }
            AlterRoutine::Options(options)
        };
        Ok(Ddl::AlterRoutine { kind, routine, action })
    }

    /// After `DROP {FUNCTION | PROCEDURE | AGGREGATE | ROUTINE}`.
    pub(super) fn drop_routines(&mut self, kind: RoutineKind) -> Result<Ddl, Error> {
        let if_exists = self.if_exists();
        let mut routines = vec![self.routine_ref()?];
        while self.eat_token(&Token::Comma) {
            routines.push(self.routine_ref()?);
        }
        let cascade = self.drop_behavior();
        Ok(Ddl::DropRoutines { kind, if_exists, routines, cascade })
    }

    /// After `COMMENT ON {FUNCTION | PROCEDURE | AGGREGATE | ROUTINE}`.
    pub(super) fn comment_routine(&mut self, kind: RoutineKind) -> Result<Ddl, Error> {
        let routine = self.routine_ref()?;
        self.expect("is")?;
        let comment = if self.eat("null") { None } else { Some(self.string()?) };
        Ok(Ddl::CommentRoutine { kind, routine, comment })
    }

    /// After `CREATE [OR REPLACE] AGGREGATE`: `name (arguments) (option =
    /// value, …)`, or the old form `name (BASETYPE = type, …)`.
    pub(super) fn create_aggregate(&mut self, replace: bool) -> Result<Ddl, Error> {
        let name = self.name()?;
        let old_form = self.peek() == Some(&Token::LParen)
            && self.word_at(1).is_some()
            && matches!(self.tokens.get(self.index + 2).map(|token| &token.token), Some(Token::Eq));
        let (mut arguments, mut direct_arguments, mut named_or_variadic) =
            (Vec::new(), None, false);
        if !old_form {
            self.expect_token(&Token::LParen)?;
            if self.eat_token(&Token::Mul) {
                self.expect_token(&Token::RParen)?;
            } else if !self.eat_token(&Token::RParen) {
                loop {
                    if self.eat_all(&["order", "by"]) {
                        direct_arguments = Some(arguments.len());
                    }
                    let argument = self.routine_argument(false)?;
                    named_or_variadic |= argument.name.is_some()
                        || argument.mode.is_some_and(|mode| mode != ArgumentMode::In);
                    arguments.push(argument.data_type);
                    if self.eat_token(&Token::Comma) || self.is("order") {
                        continue;
                    }
                    self.expect_token(&Token::RParen)?;
                    break;
                }
            }
        }
        let options = self.parenthesized_list(|cursor| {
            let location = cursor.location();
            let option = cursor.identifier()?.to_ascii_lowercase();
            let value = if cursor.eat_token(&Token::Eq) {
                cursor.take_until(&|_| false)
            } else {
                Vec::new()
            };
            Ok((option, location, value))
        })?;
        Ok(Ddl::CreateAggregate(CreateAggregate {
            replace,
            name,
            arguments,
            direct_arguments,
            named_or_variadic,
            options,
        }))
    }
}

/// A (possibly qualified) name from its tokens, which it must use up.
pub(crate) fn name_of_tokens(tokens: &[TokenWithSpan]) -> Result<Name, String> {
    let mut cursor = Cursor { tokens: tokens.to_vec(), index: 0 };
    let name = cursor.name().map_err(|(_, message)| message)?;
    if !cursor.at_end() {
        return Err("expected a name".to_owned());
    }
    Ok(name)
}

/// A type from its tokens (`STYPE = integer[]`).
pub(crate) fn type_ref_of_tokens(
    tokens: Vec<TokenWithSpan>,
    location: Location,
) -> Result<TypeRef, Error> {
    type_ref_of(tokens, location)
}

/// Whether the tokens of an argument start with a word that can be a name
/// (followed by more).
fn starts_with_name(tokens: &[TokenWithSpan]) -> bool {
    tokens.len() >= 2
        && matches!(tokens[0].token, Token::Word(_))
        && !matches!(tokens[1].token, Token::Period | Token::LParen | Token::LBracket)
}

/// Whether all of an argument's tokens read as one type of several words
/// (`double precision`, `timestamp with time zone`, `character varying`,
/// `bit varying`, `interval day to second`), not as a name and a type.
fn whole_type_reads(tokens: &[TokenWithSpan]) -> bool {
    let first = match &tokens[0].token {
        Token::Word(Word { value, quote_style: None, .. }) => value.to_ascii_lowercase(),
        _ => return false,
    };
    matches!(
        first.as_str(),
        "double"
            | "timestamp"
            | "time"
            | "character"
            | "char"
            | "national"
            | "bit"
            | "interval"
            | "varchar"
            | "numeric"
            | "decimal"
            | "float"
    )
}

/// A type from its tokens: `table.column%TYPE`, or a type name.
fn type_ref_of(tokens: Vec<TokenWithSpan>, location: Location) -> Result<TypeRef, Error> {
    if let [.., percent, word] = tokens.as_slice() {
        let is_type = matches!(&word.token, Token::Word(Word { value, quote_style: None, .. })
            if value.eq_ignore_ascii_case("type"));
        if percent.token == Token::Mod && is_type {
            let name_tokens = tokens[..tokens.len() - 2].to_vec();
            let mut cursor = Cursor { tokens: name_tokens, index: 0 };
            let name = cursor.name()?;
            if !cursor.at_end() || name.0.len() < 2 {
                return Err((location, "expected `table.column%TYPE`".to_owned()));
            }
            return Ok(TypeRef::ColumnType(name));
        }
    }
    Ok(TypeRef::Type(parse_data_type(tokens, location)?))
}

/// Tokens with unquoted words folded to lower case and quoted ones that
/// need no quotes unquoted: two spellings of one text give one token list.
fn folded(tokens: &[TokenWithSpan]) -> Vec<TokenWithSpan> {
    tokens
        .iter()
        .map(|token| match &token.token {
            Token::Word(word) if word.quote_style.is_none() => {
                let value = word.value.to_ascii_lowercase();
                TokenWithSpan::new(Token::make_word(&value, None), token.span)
            }
            Token::Word(word)
                if word.quote_style == Some('"')
                    && autogen_schema::quote_ident(&word.value) == word.value =>
            {
                TokenWithSpan::new(Token::make_word(&word.value, None), token.span)
            }
            _ => token.clone(),
        })
        .collect()
}

/// An expression's normalised text: parsed from its folded tokens and
/// printed by sqlparser.
fn normalised_expression(tokens: &[TokenWithSpan], location: Location) -> Result<String, Error> {
    let expression = parse_expression(folded(tokens), location)?;
    Ok(expression.to_string())
}

/// A statement of a `BEGIN ATOMIC` body, normalised: parsed from its
/// folded tokens and printed by sqlparser, or (what sqlparser does not
/// read) its folded tokens one space apart.
fn normalised_statement(tokens: Vec<TokenWithSpan>) -> Result<String, Error> {
    if let Some(token) = depth::too_deep(&tokens) {
        return Err((
            Location { line: token.span.start.line, column: token.span.start.column },
            depth::message("statement"),
        ));
    }
    let folded = folded(&tokens);
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect)
        .with_recursion_limit(depth::PARSER_RECURSION_LIMIT)
        .with_tokens_with_locations(folded.clone());
    if let Ok(statement) = parser.parse_statement() {
        if parser.peek_token().token == Token::EOF {
            return Ok(statement.to_string());
        }
    }
    Ok(folded.iter().map(|token| token.token.to_string()).collect::<Vec<_>>().join(" "))
}
