//! Expressions as PostgreSQL prints them back (`pg_get_expr`): the parse
//! tree sqlparser gives is typed the way PostgreSQL's parser types it —
//! literals take the type their context asks for, operands are cast to the
//! operator's input types, `IN` lists become `= ANY (ARRAY[…])` — and then
//! printed the way `ruleutils.c` prints: every operator application in its
//! own parentheses, constants with their type (`'x'::text`, `'-3'::integer`),
//! casts as `(expr)::type`.
//!
//! The operators and functions known here are the ones schemas use in
//! defaults, checks, generated columns and index expressions. Anything else
//! is printed as written with a note in [`Canonical::uncertain`]: the text
//! may differ from PostgreSQL's.

use autogen_schema::{quote_ident, quote_literal, Column, QualifiedName, Schema, SqlType};
use sqlparser::ast::{
    BinaryOperator, CastKind, DateTimeField, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
    Ident, ObjectName, TrimWhereField, UnaryOperator, Value,
};

use crate::types::column_type;

pub use autogen_schema::expression::{
    mentions_column, rename_column, rename_enum_label, rename_type, type_reference,
};

/// What an expression can refer to: the table's columns, the schema's
/// enums, the relations so far, the search path.
pub struct Scope<'a> {
    pub schema: &'a Schema,
    pub columns: &'a [Column],
    pub search_path: &'a [String],
    pub relations: &'a dyn Relations,
    /// In a domain's check: the type of `VALUE`, the value checked (the
    /// domain's declared base type, which may be another domain).
    pub domain_value: Option<SqlType>,
}

/// The relations a replay holds (tables, sequences, indexes, and those the
/// model does not describe): what a `regclass` literal finds.
pub trait Relations {
    /// Whether a relation called `name` exists in `schema`.
    fn relation_exists(&self, schema: &str, name: &str) -> bool;
}

/// An expression in PostgreSQL's printed form.
#[derive(Debug, Clone, PartialEq)]
pub struct Canonical {
    pub text: String,
    /// Columns referred to, each once, in order of first mention.
    pub columns: Vec<String>,
    /// Why the text may differ from PostgreSQL's, if it may.
    pub uncertain: Vec<String>,
    /// The name PostgreSQL gives an index column for this expression
    /// (`FigureColname`: a function's name, a column's, else `expr`).
    pub figured_name: String,
    /// The expression's type, when known.
    pub data_type: Option<SqlType>,
    /// In a trigger's condition: the rows it reads (`new`, `old`), each
    /// once, in order of first mention.
    pub rows: Vec<&'static str>,
}

/// A column default: the expression coerced to the column's type, the
/// top-level implicit cast not shown.
pub fn default_expression(
    expression: &Expr,
    scope: &Scope<'_>,
    target: &SqlType,
) -> Result<Canonical, String> {
    let mut typer = Typer::new(scope);
    let node = typer.node(expression)?;
    // To a domain: to its base type, the domain's check not shown.
    let target = scope.schema.base_type(target);
    let node = typer.coerce(node, target, Coercion::Assignment)?;
    Ok(typer.finish(&node))
}

/// A stored generated column's expression (typed like a default).
pub fn generated_expression(
    expression: &Expr,
    scope: &Scope<'_>,
    target: &SqlType,
) -> Result<Canonical, String> {
    default_expression(expression, scope, target)
}

/// A check constraint or index predicate: a boolean expression.
pub fn check_expression(expression: &Expr, scope: &Scope<'_>) -> Result<Canonical, String> {
    let mut typer = Typer::new(scope);
    let node = typer.node(expression)?;
    let node = typer.coerce(node, &SqlType::Boolean, Coercion::Assignment)?;
    Ok(typer.finish(&node))
}

/// A trigger's `WHEN` condition: a boolean expression over the rows it
/// fires for (`new.c`, `old.c`, printed so, as `pg_get_triggerdef` prints
/// them); [`Canonical::rows`] says which it reads.
pub fn trigger_condition(expression: &Expr, scope: &Scope<'_>) -> Result<Canonical, String> {
    let mut typer = Typer::new(scope);
    typer.rows = Some(Vec::new());
    let node = typer.node(expression)?;
    let node = typer.coerce(node, &SqlType::Boolean, Coercion::Assignment)?;
    Ok(typer.finish(&node))
}

/// An index key expression, as `pg_get_indexdef` prints a key: function
/// calls bare, anything else in parentheses.
pub fn index_expression(expression: &Expr, scope: &Scope<'_>) -> Result<Canonical, String> {
    let mut typer = Typer::new(scope);
    let node = typer.node(expression)?;
    let figured_name = figure_name(expression);
    let mut canonical = typer.finish(&node);
    if !node.looks_like_function() {
        canonical.text = format!("({})", canonical.text);
    }
    canonical.figured_name = figured_name;
    Ok(canonical)
}

/// An expression of extended statistics, as
/// `pg_get_statisticsobjdef_expressions` prints it: without the
/// parentheses an index key adds.
pub fn statistics_expression(expression: &Expr, scope: &Scope<'_>) -> Result<Canonical, String> {
    let mut typer = Typer::new(scope);
    let node = typer.node(expression)?;
    Ok(typer.finish(&node))
}

/// What a printed expression is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Check,
    Index,
    Statistics,
}

/// A printed expression read again in `scope` (after a column's type
/// changed, as PostgreSQL re-reads the definitions it rebuilds).
pub fn reread(text: &str, scope: &Scope<'_>, kind: Kind) -> Result<Canonical, String> {
    let expression = crate::ddl::reparse_expression(text)
        .map_err(|error| format!("cannot read `{text}` again: {error}"))?;
    match kind {
        Kind::Check => check_expression(&expression, scope),
        Kind::Index => index_expression(&expression, scope),
        Kind::Statistics => statistics_expression(&expression, scope),
    }
}

/// The column an index key names, when the key is a plain column (or one in
/// parentheses, which PostgreSQL treats the same).
pub fn plain_column(expression: &Expr) -> Option<String> {
    match expression {
        Expr::Identifier(ident) => Some(folded(ident)),
        Expr::Nested(inner) => plain_column(inner),
        _ => None,
    }
}

/// An index key's expression without its top-level `COLLATE` (through
/// parentheses), and that collation's name, folded: PostgreSQL makes it
/// the key's collation (`ComputeIndexAttrs` treats "x COLLATE y" and
/// "(x COLLATE y)" alike).
pub fn strip_key_collation(expression: &Expr) -> (&Expr, Option<Vec<String>>) {
    let mut current = expression;
    let mut collation = None;
    loop {
        match current {
            Expr::Nested(inner) => current = inner,
            Expr::Collate { expr, collation: name } => {
                if collation.is_none() {
                    let parts = name.0.iter().filter_map(|part| part.as_ident()).map(folded);
                    collation = Some(parts.collect());
                }
                current = expr;
            }
            _ => return (current, collation),
        }
    }
}

/// `FigureColname`: the name of an index column made from an expression.
fn figure_name(expression: &Expr) -> String {
    match expression {
        Expr::Identifier(ident) => folded(ident),
        Expr::CompoundIdentifier(parts) => parts.last().map_or("expr".into(), folded),
        Expr::Nested(inner) => figure_name(inner),
        Expr::Function(function) => {
            let name = function.name.0.last().and_then(|part| part.as_ident()).map(folded);
            match name.as_deref() {
                Some(
                    "current_timestamp" | "current_date" | "current_time" | "localtime"
                    | "localtimestamp" | "current_user" | "session_user" | "current_role" | "user"
                    | "current_catalog" | "current_schema",
                ) => name.unwrap_or_default(),
                Some(name) => name.to_owned(),
                None => "expr".into(),
            }
        }
        // `expr::type` takes the inner expression's name.
        Expr::Cast { expr, .. } => figure_name(expr),
        Expr::Trim { .. } => "btrim".into(),
        Expr::Position { .. } => "position".into(),
        Expr::Substring { .. } => "substring".into(),
        Expr::Extract { .. } => "extract".into(),
        Expr::Case { .. } => "case".into(),
        Expr::Array(_) => "array".into(),
        _ => "expr".into(),
    }
}

// ----- typing ----------------------------------------------------------------

/// A typed expression node, ready to print.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    /// A column; `data_type` is a domain's base type for a column of a
    /// domain, which PostgreSQL relabels to it where the value is used
    /// (`relabel`: printed `(col)::base`, but bare when tested for NULL
    /// or cast).
    Column {
        name: String,
        data_type: SqlType,
        relabel: bool,
        /// In a trigger's condition: `new` or `old`, printed before it.
        row: Option<&'static str>,
    },
    /// `VALUE` in a domain's check (relabelled like a column when the
    /// domain is over another domain).
    DomainValue {
        data_type: SqlType,
        relabel: bool,
    },
    /// A string literal whose type is not decided yet.
    Unknown(String),
    Null,
    /// A constant of a known type, in its output form.
    Const {
        value: String,
        data_type: SqlType,
    },
    /// An integer or numeric literal as written (`5`, `1.5`): typed
    /// `integer`, `bigint` or `numeric`.
    Number {
        value: String,
        data_type: SqlType,
    },
    Bool(bool),
    Cast {
        arg: Box<Node>,
        data_type: SqlType,
        explicit: bool,
        with_typmod: bool,
    },
    Op {
        op: String,
        left: Option<Box<Node>>,
        right: Box<Node>,
        data_type: SqlType,
    },
    Bool_ {
        and: bool,
        args: Vec<Node>,
    },
    Not(Box<Node>),
    NullTest {
        arg: Box<Node>,
        negated: bool,
    },
    BoolTest {
        arg: Box<Node>,
        test: &'static str,
    },
    Distinct {
        left: Box<Node>,
        right: Box<Node>,
        negated: bool,
    },
    AnyAll {
        left: Box<Node>,
        op: String,
        array: Box<Node>,
        any: bool,
    },
    Array {
        elements: Vec<Node>,
        data_type: SqlType,
    },
    Func {
        name: String,
        args: Vec<Node>,
        data_type: Option<SqlType>,
    },
    /// A function PostgreSQL prints in SQL syntax (`COALESCE(…)`,
    /// `CURRENT_TIMESTAMP`, `EXTRACT(…)`), already printed but for its
    /// arguments.
    Special {
        text: SpecialText,
        data_type: Option<SqlType>,
    },
    Collate {
        arg: Box<Node>,
        collation: String,
    },
    Case {
        operand: Option<Box<Node>>,
        whens: Vec<(Node, Node)>,
        otherwise: Option<Box<Node>>,
        data_type: Option<SqlType>,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum SpecialText {
    /// Printed as is (`CURRENT_TIMESTAMP(3)`).
    Bare(String),
    /// `prefix arg1 sep1 arg2 sep2 … suffix`; the last separator repeats.
    Args { prefix: String, args: Vec<Node>, separators: Vec<String>, suffix: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coercion {
    Implicit,
    Assignment,
    Explicit,
}

impl Node {
    fn data_type(&self) -> Option<SqlType> {
        match self {
            Node::Column { data_type, .. }
            | Node::DomainValue { data_type, .. }
            | Node::Const { data_type, .. }
            | Node::Number { data_type, .. }
            | Node::Cast { data_type, .. }
            | Node::Op { data_type, .. }
            | Node::Array { data_type, .. } => Some(data_type.clone()),
            Node::Unknown(_) | Node::Null => None,
            Node::Bool(_)
            | Node::Bool_ { .. }
            | Node::Not(_)
            | Node::NullTest { .. }
            | Node::BoolTest { .. }
            | Node::Distinct { .. }
            | Node::AnyAll { .. } => Some(SqlType::Boolean),
            Node::Func { data_type, .. }
            | Node::Special { data_type, .. }
            | Node::Case { data_type, .. } => data_type.clone(),
            Node::Collate { arg, .. } => arg.data_type(),
        }
    }

    /// `looks_like_function` in ruleutils.c.
    fn looks_like_function(&self) -> bool {
        match self {
            Node::Func { .. } => true,
            Node::Special { text: SpecialText::Bare(_), .. } => true,
            Node::Special { text: SpecialText::Args { prefix, .. }, .. } => {
                prefix.starts_with("COALESCE")
                    || prefix.starts_with("GREATEST")
                    || prefix.starts_with("LEAST")
                    || prefix.starts_with("NULLIF")
            }
            _ => false,
        }
    }
}

struct Typer<'a> {
    scope: &'a Scope<'a>,
    columns: Vec<String>,
    uncertain: Vec<String>,
    /// In a trigger's condition (`Some`): the rows read, `new` or `old`,
    /// each once; columns are read only through them.
    rows: Option<Vec<&'static str>>,
}

impl<'a> Typer<'a> {
    fn new(scope: &'a Scope<'a>) -> Self {
        Self { scope, columns: Vec::new(), uncertain: Vec::new(), rows: None }
    }

    fn finish(self, node: &Node) -> Canonical {
        // `pg_get_expr` does not show implicit casts at the top.
        let text = print(without_implicit_casts(node));
        Canonical {
            text,
            columns: self.columns,
            uncertain: self.uncertain,
            figured_name: "expr".into(),
            data_type: node.data_type(),
            rows: self.rows.unwrap_or_default(),
        }
    }

    fn unsure(&mut self, why: String) {
        if !self.uncertain.contains(&why) {
            self.uncertain.push(why);
        }
    }

    fn column(&mut self, name: &str) -> Result<Node, String> {
        if self.rows.is_some() {
            // Both `new` and `old` have it: PostgreSQL cannot tell which.
            return Err(format!("column reference `{name}` is ambiguous"));
        }
        self.column_of(name, None)
    }

    /// Column `name` of the table, or of trigger row `row` (`new.name`).
    fn column_of(&mut self, name: &str, row: Option<&'static str>) -> Result<Node, String> {
        let Some(column) = self.scope.columns.iter().find(|column| column.name == name) else {
            return Err(match row {
                Some(row) => format!("column `{name}` does not exist in `{row}`"),
                None => format!("column `{name}` does not exist"),
            });
        };
        if let (Some(row), Some(rows)) = (row, &mut self.rows) {
            if !rows.contains(&row) {
                rows.push(row);
            }
        }
        if !self.columns.iter().any(|seen| seen == name) {
            self.columns.push(name.to_owned());
        }
        // A domain's values are its base type's to operators and casts.
        let data_type = self.scope.schema.base_type(&column.data_type).clone();
        let relabel = data_type != column.data_type;
        Ok(Node::Column { name: name.to_owned(), data_type, relabel, row })
    }

    fn resolve_type(
        &self,
        data_type: &sqlparser::ast::DataType,
    ) -> Result<(SqlType, bool), String> {
        let resolved = column_type(data_type, &|name: &str| {
            for schema in self.scope.search_path {
                if self.scope.schema.enums.contains_key(&QualifiedName::new(schema.clone(), name)) {
                    return schema.clone();
                }
            }
            self.scope.search_path.first().cloned().unwrap_or_else(|| "public".into())
        })?;
        if resolved.serial.is_some() {
            return Err("`serial` is not a type".into());
        }
        let with_typmod = data_type.to_string().contains('(');
        Ok((resolved.data_type, with_typmod))
    }

    /// The typed node of an expression. A dispatcher and nothing else: each
    /// kind is typed in a function of its own, so the recursion through
    /// nested expressions costs little stack per level (deep input is
    /// bounded by [`crate::depth`]).
    fn node(&mut self, expression: &Expr) -> Result<Node, String> {
        match expression {
            Expr::Identifier(_) => self.node_identifier(expression),
            Expr::Nested(inner) => self.node(inner),
            Expr::Value(_) => self.node_value(expression),
            Expr::TypedString(_) => self.node_typed_string(expression),
            Expr::Interval(_) => self.node_interval(expression),
            Expr::Cast { .. } => self.node_cast(expression),
            Expr::UnaryOp { .. } => self.node_unary_operator(expression),
            Expr::BinaryOp { left, op, right } => self.binary(left, op, right),
            Expr::IsTrue(inner) => self.bool_test(inner, "IS TRUE"),
            Expr::IsNotTrue(inner) => self.bool_test(inner, "IS NOT TRUE"),
            Expr::IsFalse(inner) => self.bool_test(inner, "IS FALSE"),
            Expr::IsNotFalse(inner) => self.bool_test(inner, "IS NOT FALSE"),
            Expr::IsUnknown(inner) => self.bool_test(inner, "IS UNKNOWN"),
            Expr::IsNotUnknown(inner) => self.bool_test(inner, "IS NOT UNKNOWN"),
            Expr::InList { expr, list, negated } => self.in_list(expr, list, *negated),
            Expr::Between { .. } => self.node_between(expression),
            Expr::AnyOp { .. } | Expr::AllOp { .. } => self.node_any_all(expression),
            Expr::Array(_) => self.node_array(expression),
            Expr::Function(function) => self.function(function),
            Expr::AtTimeZone { .. } => self.node_at_time_zone(expression),
            Expr::Extract { .. } => self.node_extract(expression),
            Expr::Position { .. } => self.node_position(expression),
            Expr::Trim { trim_characters: None, .. } => self.node_trim(expression),
            Expr::Substring { .. } => self.node_substring(expression),
            Expr::Case { .. } => self.node_case(expression),
            _ => self.node_other(expression),
        }
    }

    fn node_other(&mut self, expression: &Expr) -> Result<Node, String> {
        Ok(match expression {
            Expr::CompoundIdentifier(parts) if self.rows.is_some() => {
                // new.column, old.column: the rows a trigger fires for.
                let row = match parts.first().filter(|part| part.quote_style.is_none()) {
                    Some(part) if part.value.eq_ignore_ascii_case("new") => "new",
                    Some(part) if part.value.eq_ignore_ascii_case("old") => "old",
                    _ => {
                        return Err(format!(
                            "missing FROM-clause entry for `{}`: a trigger's condition reads \
                             NEW and OLD",
                            parts.first().map(folded).unwrap_or_default()
                        ))
                    }
                };
                let [_, column] = parts.as_slice() else {
                    return Err(format!(
                        "autogen does not read `{expression}` in a trigger's condition"
                    ));
                };
                self.column_of(&folded(column), Some(row))?
            }
            Expr::CompoundIdentifier(parts) => {
                // table.column: the table is the one in scope.
                let name = parts.last().map(folded).unwrap_or_default();
                self.column(&name)?
            }
            Expr::Collate { expr, collation } => {
                let inner = self.node(expr)?;
                Node::Collate { arg: Box::new(inner), collation: printed_collation(collation) }
            }
            Expr::IsNull(inner) => {
                Node::NullTest { arg: Box::new(bare(self.typed(inner)?)), negated: false }
            }
            Expr::IsNotNull(inner) => {
                Node::NullTest { arg: Box::new(bare(self.typed(inner)?)), negated: true }
            }
            Expr::IsDistinctFrom(left, right) | Expr::IsNotDistinctFrom(left, right) => {
                let negated = matches!(expression, Expr::IsNotDistinctFrom(..));
                let (left, right) = self.comparison_operands(left, right, "=")?;
                Node::Distinct { left: Box::new(left), right: Box::new(right), negated }
            }
            Expr::Like { negated, expr, pattern, escape_char: None, any: false } => {
                let op = if *negated { "!~~" } else { "~~" };
                self.operator(op, Some(expr), pattern)?
            }
            Expr::ILike { negated, expr, pattern, escape_char: None, any: false } => {
                let op = if *negated { "!~~*" } else { "~~*" };
                self.operator(op, Some(expr), pattern)?
            }
            other => {
                return Err(format!(
                    "autogen does not read this kind of expression yet: `{other}`"
                ));
            }
        })
    }

    fn node_identifier(&mut self, expression: &Expr) -> Result<Node, String> {
        Ok(match expression {
            Expr::Identifier(ident) => {
                let name = folded(ident);
                match name.as_str() {
                    // sqlparser reads these keywords as identifiers.
                    "current_timestamp" | "current_date" | "current_time" | "localtimestamp"
                    | "localtime" | "current_user" | "session_user" | "user" | "current_role"
                    | "current_catalog" | "current_schema"
                        if ident.quote_style.is_none() =>
                    {
                        sql_value_function(&name, None)?
                    }
                    "value" if ident.quote_style.is_none() && self.scope.domain_value.is_some() => {
                        let declared = self.scope.domain_value.as_ref().expect("checked");
                        let data_type = self.scope.schema.base_type(declared).clone();
                        Node::DomainValue { relabel: data_type != *declared, data_type }
                    }
                    _ => self.column(&name)?,
                }
            }
            _ => unreachable!("dispatched by `node`"),
        })
    }

    fn node_value(&mut self, expression: &Expr) -> Result<Node, String> {
        Ok(match expression {
            Expr::Value(value) => match &value.value {
                Value::Number(digits, _) => number(digits),
                Value::SingleQuotedString(text)
                | Value::EscapedStringLiteral(text)
                | Value::UnicodeStringLiteral(text) => Node::Unknown(text.clone()),
                Value::DollarQuotedString(text) => Node::Unknown(text.value.clone()),
                Value::Boolean(value) => Node::Bool(*value),
                Value::SingleQuotedByteStringLiteral(bits) => {
                    Node::Const { value: bits.clone(), data_type: SqlType::Bit { length: None } }
                }
                Value::HexStringLiteral(hex) => Node::Const {
                    value: hex
                        .chars()
                        .filter_map(|digit| digit.to_digit(16))
                        .map(|digit| format!("{digit:04b}"))
                        .collect(),
                    data_type: SqlType::Bit { length: None },
                },
                Value::Null => Node::Null,
                other => return Err(format!("autogen does not read the literal `{other}`")),
            },
            _ => unreachable!("dispatched by `node`"),
        })
    }

    fn node_typed_string(&mut self, expression: &Expr) -> Result<Node, String> {
        Ok(match expression {
            Expr::TypedString(typed) => {
                let (data_type, _) = self.resolve_type(&typed.data_type)?;
                let text = match &typed.value.value {
                    Value::SingleQuotedString(text) | Value::EscapedStringLiteral(text) => {
                        text.clone()
                    }
                    other => return Err(format!("autogen does not read the literal `{other}`")),
                };
                self.coerce(Node::Unknown(text), &data_type, Coercion::Explicit)?
            }
            _ => unreachable!("dispatched by `node`"),
        })
    }

    fn node_interval(&mut self, expression: &Expr) -> Result<Node, String> {
        Ok(match expression {
            Expr::Interval(interval) => {
                if interval.leading_field.is_some() || interval.last_field.is_some() {
                    self.unsure("an INTERVAL literal with fields".into());
                }
                let inner = self.node(&interval.value)?;
                let interval_type = SqlType::Interval { fields: None, precision: None };
                self.coerce(inner, &interval_type, Coercion::Explicit)?
            }
            _ => unreachable!("dispatched by `node`"),
        })
    }

    /// `x::a::b …` nests to the left: typed from the innermost cast out, in
    /// a loop rather than one call per cast.
    fn node_cast(&mut self, expression: &Expr) -> Result<Node, String> {
        let mut casts = vec![expression];
        while let Some(Expr::Cast { expr, .. }) = casts.last() {
            if !matches!(expr.as_ref(), Expr::Cast { .. }) {
                break;
            }
            casts.push(expr);
        }
        let mut node = None;
        for cast in casts.into_iter().rev() {
            node = Some(self.cast(cast, node)?);
        }
        node.ok_or_else(|| "a cast without an expression".to_owned())
    }

    /// One cast, of `inner` (its expression, typed already) or, without it,
    /// of its expression typed here.
    fn cast(&mut self, cast: &Expr, inner: Option<Node>) -> Result<Node, String> {
        let Expr::Cast { kind, expr, data_type, .. } = cast else {
            unreachable!("called on casts")
        };
        if matches!(kind, CastKind::TryCast | CastKind::SafeCast) {
            return Err("PostgreSQL has no TRY_CAST".into());
        }
        let (target, with_typmod) = self.resolve_type(data_type)?;
        // ARRAY[…]::type[] types the elements directly.
        if let (None, Expr::Array(array), SqlType::Array { element, .. }) =
            (&inner, expr.as_ref(), &target)
        {
            let mut elements = Vec::new();
            for item in &array.elem {
                let node = self.node(item)?;
                elements.push(self.coerce(node, element, Coercion::Explicit)?);
            }
            return Ok(Node::Array { elements, data_type: target });
        }
        let inner = match inner {
            Some(inner) => inner,
            None => self.node(expr)?,
        };
        let coerced = self.coerce(inner, &target, Coercion::Explicit)?;
        Ok(match coerced {
            Node::Cast { arg, data_type, .. } => {
                Node::Cast { arg, data_type, explicit: true, with_typmod }
            }
            other => other,
        })
    }

    fn node_unary_operator(&mut self, expression: &Expr) -> Result<Node, String> {
        Ok(match expression {
            Expr::UnaryOp { op, expr } => match op {
                UnaryOperator::Not => {
                    let inner = self.node(expr)?;
                    Node::Not(Box::new(self.coerce(
                        inner,
                        &SqlType::Boolean,
                        Coercion::Assignment,
                    )?))
                }
                // PostgreSQL's parser folds a minus into the constant it
                // applies to (`doNegate`), through parentheses and other
                // minuses: `-(-1)` is `1`, `-0.0` is `0.0`.
                UnaryOperator::Minus => match negated_number(expr) {
                    Some(text) => number(&text),
                    None => self.unary("-", expr)?,
                },
                // A plus is an operator PostgreSQL keeps: `(+ 1)`.
                UnaryOperator::Plus => self.unary("+", expr)?,
                other => return Err(format!("autogen does not read the operator `{other}`")),
            },
            _ => unreachable!("dispatched by `node`"),
        })
    }

    fn node_between(&mut self, expression: &Expr) -> Result<Node, String> {
        Ok(match expression {
            Expr::Between { expr, negated, low, high } => {
                let low_test = self.binary(expr, &BinaryOperator::GtEq, low)?;
                let high_test = self.binary(expr, &BinaryOperator::LtEq, high)?;
                let both = Node::Bool_ { and: true, args: vec![low_test, high_test] };
                if *negated {
                    self.unsure("NOT BETWEEN".into());
                    Node::Not(Box::new(both))
                } else {
                    both
                }
            }
            _ => unreachable!("dispatched by `node`"),
        })
    }

    fn node_any_all(&mut self, expression: &Expr) -> Result<Node, String> {
        Ok(match expression {
            Expr::AnyOp { left, compare_op, right, .. }
            | Expr::AllOp { left, compare_op, right } => {
                let any = matches!(expression, Expr::AnyOp { .. });
                let left = self.typed(left)?;
                let array = self.node(right)?;
                let op = binary_operator_text(compare_op).ok_or("an unknown operator")?;
                let element = match array.data_type() {
                    Some(SqlType::Array { element, .. }) => Some(*element),
                    _ => left.data_type(),
                };
                let array = match (array, &element) {
                    (node @ Node::Unknown(_), Some(element)) => {
                        let array_type =
                            SqlType::Array { element: Box::new(element.clone()), dimensions: 1 };
                        self.coerce(node, &array_type, Coercion::Implicit)?
                    }
                    (node, _) => node,
                };
                Node::AnyAll {
                    left: Box::new(left),
                    op: op.to_owned(),
                    array: Box::new(array),
                    any,
                }
            }
            _ => unreachable!("dispatched by `node`"),
        })
    }

    fn node_array(&mut self, expression: &Expr) -> Result<Node, String> {
        Ok(match expression {
            Expr::Array(array) => {
                let mut elements = Vec::new();
                for item in &array.elem {
                    elements.push(self.node(item)?);
                }
                let common = self.common_type(&elements)?;
                let Some(common) = common else {
                    return Err(
                        "cannot determine the type of an ARRAY[] of untyped literals; add a cast"
                            .into(),
                    );
                };
                let mut typed = Vec::new();
                for element in elements {
                    typed.push(self.coerce(element, &common, Coercion::Implicit)?);
                }
                let data_type = SqlType::Array { element: Box::new(common), dimensions: 1 };
                Node::Array { elements: typed, data_type }
            }
            _ => unreachable!("dispatched by `node`"),
        })
    }

    fn node_at_time_zone(&mut self, expression: &Expr) -> Result<Node, String> {
        Ok(match expression {
            Expr::AtTimeZone { timestamp, time_zone } => {
                let value = self.typed(timestamp)?;
                let zone = self.node(time_zone)?;
                let zone = self.coerce(zone, &SqlType::Text, Coercion::Implicit)?;
                let data_type = match value.data_type() {
                    Some(SqlType::Timestamp { with_time_zone: true, .. }) => {
                        SqlType::Timestamp { precision: None, with_time_zone: false }
                    }
                    Some(SqlType::Timestamp { with_time_zone: false, .. }) => {
                        SqlType::Timestamp { precision: None, with_time_zone: true }
                    }
                    _ => {
                        self.unsure("AT TIME ZONE on a value that is not a timestamp".into());
                        SqlType::Timestamp { precision: None, with_time_zone: true }
                    }
                };
                Node::Special {
                    text: SpecialText::Args {
                        prefix: "(".into(),
                        args: vec![value, zone],
                        separators: vec![" AT TIME ZONE ".into()],
                        suffix: ")".into(),
                    },
                    data_type: Some(data_type),
                }
            }
            _ => unreachable!("dispatched by `node`"),
        })
    }

    fn node_extract(&mut self, expression: &Expr) -> Result<Node, String> {
        Ok(match expression {
            Expr::Extract { field, expr, .. } => {
                let value = self.typed(expr)?;
                let field = extract_field(field);
                Node::Special {
                    text: SpecialText::Args {
                        prefix: format!("EXTRACT({field} FROM "),
                        args: vec![value],
                        separators: Vec::new(),
                        suffix: ")".into(),
                    },
                    data_type: Some(SqlType::Numeric { precision: None, scale: None }),
                }
            }
            _ => unreachable!("dispatched by `node`"),
        })
    }

    fn node_position(&mut self, expression: &Expr) -> Result<Node, String> {
        Ok(match expression {
            Expr::Position { expr, r#in } => {
                let needle = self.node(expr)?;
                let haystack = self.node(r#in)?;
                let needle = self.coerce(needle, &SqlType::Text, Coercion::Implicit)?;
                let haystack = self.coerce(haystack, &SqlType::Text, Coercion::Implicit)?;
                Node::Special {
                    text: SpecialText::Args {
                        prefix: "POSITION((".into(),
                        args: vec![needle, haystack],
                        separators: vec![") IN (".into()],
                        suffix: "))".into(),
                    },
                    data_type: Some(SqlType::Integer),
                }
            }
            _ => unreachable!("dispatched by `node`"),
        })
    }

    fn node_trim(&mut self, expression: &Expr) -> Result<Node, String> {
        Ok(match expression {
            Expr::Trim { trim_where, trim_what, expr, trim_characters: None } => {
                let value = self.node(expr)?;
                let value = self.coerce(value, &SqlType::Text, Coercion::Implicit)?;
                let side = match trim_where {
                    Some(TrimWhereField::Leading) => "LEADING",
                    Some(TrimWhereField::Trailing) => "TRAILING",
                    _ => "BOTH",
                };
                let mut args = Vec::new();
                let prefix = match trim_what {
                    Some(what) => {
                        let what = self.node(what)?;
                        args.push(self.coerce(what, &SqlType::Text, Coercion::Implicit)?);
                        format!("TRIM({side} ")
                    }
                    None => format!("TRIM({side} FROM "),
                };
                args.push(value);
                Node::Special {
                    text: SpecialText::Args {
                        prefix,
                        args,
                        separators: vec![" FROM ".into()],
                        suffix: ")".into(),
                    },
                    data_type: Some(SqlType::Text),
                }
            }
            _ => unreachable!("dispatched by `node`"),
        })
    }

    fn node_substring(&mut self, expression: &Expr) -> Result<Node, String> {
        Ok(match expression {
            Expr::Substring { expr, substring_from, substring_for, special, shorthand } => {
                let mut args = vec![self.node(expr)?];
                if let Some(from) = substring_from {
                    args.push(self.node(from)?);
                }
                if let Some(length) = substring_for {
                    args.push(self.node(length)?);
                }
                let mut typed = Vec::new();
                for (index, arg) in args.into_iter().enumerate() {
                    let parameter = if index == 0 { SqlType::Text } else { SqlType::Integer };
                    typed.push(self.coerce(arg, &parameter, Coercion::Implicit)?);
                }
                if *shorthand || *special {
                    let name = if *shorthand { "substr" } else { "\"substring\"" };
                    Node::Func { name: name.into(), args: typed, data_type: Some(SqlType::Text) }
                } else {
                    Node::Special {
                        text: SpecialText::Args {
                            prefix: "SUBSTRING(".into(),
                            args: typed,
                            separators: vec![" FROM ".into(), " FOR ".into()],
                            suffix: ")".into(),
                        },
                        data_type: Some(SqlType::Text),
                    }
                }
            }
            _ => unreachable!("dispatched by `node`"),
        })
    }

    /// `CASE`: the parts typed here, put together in [`Typer::case_of`], so
    /// nested `CASE`s cost little stack per level.
    fn node_case(&mut self, expression: &Expr) -> Result<Node, String> {
        let Expr::Case { operand, conditions, else_result, .. } = expression else {
            unreachable!("dispatched by `node`")
        };
        let operand = match operand {
            Some(operand) => Some(Box::new(self.typed(operand)?)),
            None => None,
        };
        let mut whens = Vec::with_capacity(conditions.len());
        for when in conditions {
            let test = self.case_test(operand.as_deref(), &when.condition)?;
            whens.push((test, self.node(&when.result)?));
        }
        let otherwise = match else_result {
            Some(result) => Some(self.node(result)?),
            None => None,
        };
        self.case_of(operand, whens, otherwise)
    }

    /// A `WHEN` test: compared with the operand, or a condition.
    fn case_test(&mut self, operand: Option<&Node>, condition: &Expr) -> Result<Node, String> {
        let test = self.node(condition)?;
        match operand {
            Some(operand) => match operand.data_type() {
                Some(operand_type) => self.coerce(test, &operand_type, Coercion::Implicit),
                None => Ok(test),
            },
            None => self.coerce(test, &SqlType::Boolean, Coercion::Implicit),
        }
    }

    /// A `CASE` from its typed parts: the results coerced to their common
    /// type.
    fn case_of(
        &mut self,
        operand: Option<Box<Node>>,
        whens: Vec<(Node, Node)>,
        otherwise: Option<Node>,
    ) -> Result<Node, String> {
        let mut all: Vec<Node> = whens.iter().map(|(_, result)| result.clone()).collect();
        all.extend(otherwise.clone());
        let common = self.common_type(&all)?.unwrap_or(SqlType::Text);
        let mut coerced = Vec::new();
        for (test, result) in whens {
            coerced.push((test, self.coerce(result, &common, Coercion::Implicit)?));
        }
        let otherwise = match otherwise {
            Some(result) => Some(Box::new(self.coerce(result, &common, Coercion::Implicit)?)),
            None => None,
        };
        Ok(Node::Case { operand, whens: coerced, otherwise, data_type: Some(common) })
    }

    /// A node whose type must be known (an untyped literal becomes text).
    fn typed(&mut self, expression: &Expr) -> Result<Node, String> {
        let node = self.node(expression)?;
        match node {
            Node::Unknown(_) => self.coerce(node, &SqlType::Text, Coercion::Implicit),
            other => Ok(other),
        }
    }

    fn bool_test(&mut self, inner: &Expr, test: &'static str) -> Result<Node, String> {
        let node = self.node(inner)?;
        let node = self.coerce(node, &SqlType::Boolean, Coercion::Implicit)?;
        Ok(Node::BoolTest { arg: Box::new(node), test })
    }

    fn unary(&mut self, op: &str, expression: &Expr) -> Result<Node, String> {
        let node = self.typed(expression)?;
        let data_type = node.data_type().unwrap_or(SqlType::Integer);
        Ok(Node::Op { op: op.to_owned(), left: None, right: Box::new(node), data_type })
    }

    /// `a + b + c …` nests to the left: typed from the innermost operand
    /// out, in a loop rather than one call per operator.
    fn binary(&mut self, left: &Expr, op: &BinaryOperator, right: &Expr) -> Result<Node, String> {
        let mut chain = vec![(op, right)];
        let mut innermost = left;
        while let Expr::BinaryOp { left, op, right } = innermost {
            chain.push((op, right));
            innermost = left;
        }
        let mut node = self.node(innermost)?;
        for (op, right) in chain.into_iter().rev() {
            node = self.binary_on(node, op, right)?;
        }
        Ok(node)
    }

    /// `left op right`, `left` typed already.
    fn binary_on(&mut self, left: Node, op: &BinaryOperator, right: &Expr) -> Result<Node, String> {
        match op {
            BinaryOperator::And => self.and_or(true, left, right),
            BinaryOperator::Or => self.and_or(false, left, right),
            _ => match binary_operator_text(op) {
                Some(text) => {
                    let right = self.node(right)?;
                    self.resolve_operator(text, left, right)
                }
                None => Err(format!("autogen does not read the operator `{op}`")),
            },
        }
    }

    fn and_or(&mut self, and: bool, left_node: Node, right: &Expr) -> Result<Node, String> {
        let left_node = self.coerce(left_node, &SqlType::Boolean, Coercion::Implicit)?;
        let right_node = self.node(right)?;
        let right_node = self.coerce(right_node, &SqlType::Boolean, Coercion::Implicit)?;
        // The grammar flattens a left operand of the same kind.
        let mut args = match left_node {
            Node::Bool_ { and: left_and, args } if left_and == and => args,
            node => vec![node],
        };
        args.push(right_node);
        Ok(Node::Bool_ { and, args })
    }

    /// Types the two sides of a comparison-like operator.
    fn comparison_operands(
        &mut self,
        left: &Expr,
        right: &Expr,
        op: &str,
    ) -> Result<(Node, Node), String> {
        let left = self.node(left)?;
        let right = self.node(right)?;
        let resolved = self.resolve_operator(op, left, right)?;
        match resolved {
            Node::Op { left: Some(left), right, .. } => Ok((*left, *right)),
            _ => unreachable!("a binary operator"),
        }
    }

    fn operator(&mut self, op: &str, left: Option<&Expr>, right: &Expr) -> Result<Node, String> {
        let left = match left {
            Some(left) => self.node(left)?,
            None => return self.unary(op, right),
        };
        let right = self.node(right)?;
        self.resolve_operator(op, left, right)
    }

    /// Operator resolution for the operators schemas use: the operand types
    /// the chosen operator takes, and its result type.
    fn resolve_operator(&mut self, op: &str, left: Node, right: Node) -> Result<Node, String> {
        let left_type = left.data_type();
        let right_type = right.data_type();
        let make = |left: Node, right: Node, data_type: SqlType| Node::Op {
            op: op.to_owned(),
            left: Some(Box::new(left)),
            right: Box::new(right),
            data_type,
        };
        let comparison = matches!(op, "=" | "<>" | "<" | ">" | "<=" | ">=");
        match op {
            "->" | "->>" | "#>" | "#>>" => {
                let base = left_type.clone().unwrap_or(SqlType::Jsonb);
                let left = self.coerce(left, &base, Coercion::Implicit)?;
                let key_type = match (&right, op) {
                    (_, "#>" | "#>>") => {
                        SqlType::Array { element: Box::new(SqlType::Text), dimensions: 1 }
                    }
                    (Node::Number { .. }, _) => SqlType::Integer,
                    _ => SqlType::Text,
                };
                let right = self.coerce(right, &key_type, Coercion::Implicit)?;
                let result = if op.ends_with(">>") { SqlType::Text } else { base };
                return Ok(make(left, right, result));
            }
            "?" | "?|" | "?&" => {
                let left = self.coerce(left, &SqlType::Jsonb, Coercion::Implicit)?;
                let key = if op == "?" {
                    SqlType::Text
                } else {
                    SqlType::Array { element: Box::new(SqlType::Text), dimensions: 1 }
                };
                let right = self.coerce(right, &key, Coercion::Implicit)?;
                return Ok(make(left, right, SqlType::Boolean));
            }
            "~" | "~*" | "!~" | "!~*" | "~~" | "~~*" | "!~~" | "!~~*" => {
                let operand = match &left_type {
                    Some(SqlType::Char { .. }) => SqlType::Char { length: None },
                    Some(SqlType::Builtin { name }) if name == "name" => {
                        left_type.clone().unwrap_or(SqlType::Text)
                    }
                    _ => SqlType::Text,
                };
                let left = self.coerce(left, &operand, Coercion::Implicit)?;
                let right = self.coerce(right, &SqlType::Text, Coercion::Implicit)?;
                return Ok(make(left, right, SqlType::Boolean));
            }
            _ => {}
        }
        // Both sides' types, an untyped literal taking the other side's —
        // but text beside a value `||` takes as `anynonarray` (`'n: ' ||
        // 42` is `text || anynonarray`).
        let literal_type = |known: &SqlType| {
            let concatenated_as_any = op == "||"
                && !is_text_like(&strip_typmod(known))
                && !matches!(
                    strip_typmod(known),
                    SqlType::Array { .. }
                        | SqlType::Jsonb
                        | SqlType::Bytea
                        | SqlType::Builtin { .. }
                );
            if concatenated_as_any {
                SqlType::Text
            } else {
                known.clone()
            }
        };
        let (left_type, right_type) = match (left_type, right_type) {
            (Some(left), Some(right)) => (left, right),
            (Some(known), None) => (known.clone(), literal_type(&known)),
            (None, Some(known)) => (literal_type(&known), known),
            (None, None) => (SqlType::Text, SqlType::Text),
        };
        if comparison || matches!(op, "@>" | "<@" | "&&") {
            let operand = comparison_type(&left_type, &right_type);
            let (left_operand, right_operand) = match operand {
                Some(operand) => operand,
                None => {
                    self.unsure(format!(
                        "the operator `{op}` between {left_type} and {right_type}"
                    ));
                    (left_type.clone(), right_type.clone())
                }
            };
            let left = self.coerce(left, &left_operand, Coercion::Implicit)?;
            let right = self.coerce(right, &right_operand, Coercion::Implicit)?;
            return Ok(make(left, right, SqlType::Boolean));
        }
        if op == "||" {
            let (operand, result) = concat_type(&left_type, &right_type);
            let left = self.coerce(left, &operand.0, Coercion::Implicit)?;
            let right = self.coerce(right, &operand.1, Coercion::Implicit)?;
            return Ok(make(left, right, result));
        }
        if matches!(op, "+" | "-" | "*" | "/" | "%" | "^") {
            if let Some((left_operand, right_operand, result)) =
                arithmetic_type(op, &left_type, &right_type)
            {
                let left = self.coerce(left, &left_operand, Coercion::Implicit)?;
                let right = self.coerce(right, &right_operand, Coercion::Implicit)?;
                return Ok(make(left, right, result));
            }
        }
        if matches!(op, "<->" | "<=>" | "<#>" | "<+>" | "<~>" | "<%>") {
            let left = self.coerce(left, &left_type, Coercion::Implicit)?;
            let right = self.coerce(right, &left_type, Coercion::Implicit)?;
            return Ok(make(left, right, SqlType::DoublePrecision));
        }
        self.unsure(format!("the operator `{op}` between {left_type} and {right_type}"));
        let left = self.coerce(left, &left_type, Coercion::Implicit)?;
        let right = self.coerce(right, &right_type, Coercion::Implicit)?;
        Ok(make(left, right, left_type))
    }

    fn in_list(&mut self, expression: &Expr, list: &[Expr], negated: bool) -> Result<Node, String> {
        let left = self.node(expression)?;
        let mut items = Vec::new();
        for item in list {
            items.push(self.node(item)?);
        }
        let op = if negated { "<>" } else { "=" };
        if items.len() == 1 {
            let right = items.pop().expect("one");
            return self.resolve_operator(op, left, right);
        }
        let mut all = vec![left.clone()];
        all.extend(items.iter().cloned());
        let common = self.common_type(&all)?.unwrap_or(SqlType::Text);
        let left = self.coerce(left, &common, Coercion::Implicit)?;
        let mut elements = Vec::new();
        for item in items {
            elements.push(self.coerce(item, &common, Coercion::Implicit)?);
        }
        let array_type = SqlType::Array { element: Box::new(common.clone()), dimensions: 1 };
        let array = Node::Array { elements, data_type: array_type };
        // The `=` of the common type: varchar compares as text.
        let (left, array) = match comparison_type(&common, &common) {
            Some((operand, _)) if operand != common => {
                let array_of = SqlType::Array { element: Box::new(operand.clone()), dimensions: 1 };
                (
                    self.coerce(left, &operand, Coercion::Implicit)?,
                    self.coerce(array, &array_of, Coercion::Implicit)?,
                )
            }
            _ => (left, array),
        };
        Ok(Node::AnyAll {
            left: Box::new(left),
            op: op.to_owned(),
            array: Box::new(array),
            any: !negated,
        })
    }

    /// `select_common_type` for the types schemas mix.
    fn common_type(&mut self, nodes: &[Node]) -> Result<Option<SqlType>, String> {
        let mut common: Option<SqlType> = None;
        for node in nodes {
            let Some(data_type) = node.data_type() else { continue };
            let data_type = strip_typmod(&data_type);
            common = Some(match common {
                None => data_type,
                Some(current) if current == data_type => current,
                Some(current) => match (numeric_rank(&current), numeric_rank(&data_type)) {
                    (Some(a), Some(b)) => {
                        let pick = if a >= b { current } else { data_type };
                        match pick {
                            SqlType::Numeric { .. } => {
                                SqlType::Numeric { precision: None, scale: None }
                            }
                            other => other,
                        }
                    }
                    _ if is_text_like(&current) && is_text_like(&data_type) => SqlType::Text,
                    _ => {
                        self.unsure(format!("a common type for {current} and {data_type}"));
                        current
                    }
                },
            });
        }
        Ok(common.map(|data_type| strip_typmod(&data_type)))
    }

    /// `coerce_type`: `node` as a value of `target`.
    fn coerce(&mut self, node: Node, target: &SqlType, coercion: Coercion) -> Result<Node, String> {
        let target_base = strip_typmod(target);
        match node {
            Node::Unknown(text) => self.literal(&text, target),
            Node::Null => Ok(Node::Null),
            Node::Collate { arg, collation } => {
                let arg = self.coerce(*arg, target, coercion)?;
                Ok(Node::Collate { arg: Box::new(arg), collation })
            }
            Node::Array { elements, data_type }
                if data_type != *target && coercion == Coercion::Explicit =>
            {
                if let SqlType::Array { element, .. } = target {
                    let mut typed = Vec::new();
                    for item in elements {
                        typed.push(self.coerce(item, element, coercion)?);
                    }
                    return Ok(Node::Array { elements: typed, data_type: target_base });
                }
                Ok(Node::Cast {
                    arg: Box::new(Node::Array { elements, data_type }),
                    data_type: target.clone(),
                    explicit: true,
                    with_typmod: false,
                })
            }
            node => {
                let Some(mut source) = node.data_type() else {
                    return Ok(node);
                };
                // A domain's value is its base type's, relabelled unseen.
                let base = self.scope.schema.base_type(&source).clone();
                if base != source {
                    if strip_typmod(&base) == target_base && coercion != Coercion::Explicit {
                        return Ok(node);
                    }
                    source = base;
                }
                if source == *target
                    || (strip_typmod(&source) == target_base && !has_typmod(target))
                {
                    return Ok(node);
                }
                if coercion != Coercion::Explicit && strip_typmod(&source) == target_base {
                    // A length coercion: an implicit cast not printed.
                    return Ok(node);
                }
                if coercion != Coercion::Explicit && !castable(&source, target, coercion) {
                    return Err(format!(
                        "{} is of type {source} but the expression needs {target}; add a cast",
                        print(&node)
                    ));
                }
                Ok(Node::Cast {
                    arg: Box::new(bare(node)),
                    data_type: target.clone(),
                    explicit: coercion == Coercion::Explicit,
                    with_typmod: has_typmod(target),
                })
            }
        }
    }

    /// A string literal as a constant of `target`, in the type's output
    /// form.
    fn literal(&mut self, text: &str, target: &SqlType) -> Result<Node, String> {
        // To a domain: a constant of its base type, then the domain.
        let domain_base = self.scope.schema.base_type(target).clone();
        if domain_base != *target {
            let constant = self.literal(text, &domain_base)?;
            return Ok(Node::Cast {
                arg: Box::new(constant),
                data_type: target.clone(),
                explicit: true,
                with_typmod: false,
            });
        }
        let base = strip_typmod(target);
        let value = match &base {
            SqlType::Integer | SqlType::SmallInt | SqlType::BigInt => {
                let parsed: i64 = text.trim().parse().map_err(|_| {
                    format!("invalid input syntax for type {base}: {}", quote_literal(text))
                })?;
                parsed.to_string()
            }
            SqlType::Boolean => {
                let value = match text.trim().to_ascii_lowercase().as_str() {
                    "t" | "true" | "y" | "yes" | "on" | "1" => true,
                    "f" | "false" | "n" | "no" | "off" | "0" => false,
                    _ => {
                        return Err(format!(
                            "invalid input syntax for type boolean: {}",
                            quote_literal(text)
                        ))
                    }
                };
                return Ok(Node::Bool(value));
            }
            SqlType::Uuid => text.trim().to_ascii_lowercase().replace(['{', '}'], ""),
            SqlType::Builtin { name } if name == "regclass" => {
                let relation = crate::ddl::parse_name(text).map_err(|message| {
                    format!("invalid relation name {}: {message}", quote_literal(text))
                })?;
                // Looked up now, as PostgreSQL does: the first schema on
                // the path that has it.
                let exists =
                    |schema: &str| self.scope.relations.relation_exists(schema, relation.object());
                let found = match relation.schema() {
                    Some(schema) => exists(schema).then(|| schema.to_owned()),
                    None => self.scope.search_path.iter().find(|schema| exists(schema)).cloned(),
                };
                let schema =
                    found.ok_or_else(|| format!("relation `{relation}` does not exist"))?;
                autogen_schema::sequence_reference(&QualifiedName::new(schema, relation.object()))
            }
            SqlType::Jsonb => match crate::literals::jsonb(text) {
                Some(value) => value,
                None => {
                    self.unsure(format!("the jsonb literal {}", quote_literal(text)));
                    text.to_owned()
                }
            },
            SqlType::Interval { .. } => match crate::literals::interval(text) {
                Some(value) => value,
                None => {
                    self.unsure(format!("the interval literal {}", quote_literal(text)));
                    text.to_owned()
                }
            },
            SqlType::Bytea => match text.strip_prefix("\\x") {
                Some(hex) => format!("\\x{}", hex.to_ascii_lowercase()),
                None => {
                    self.unsure(format!("the bytea literal {}", quote_literal(text)));
                    text.to_owned()
                }
            },
            SqlType::Numeric { .. } => {
                let trimmed = text.trim();
                if trimmed.parse::<f64>().is_err()
                    && !["NaN", "Infinity", "-Infinity"].contains(&trimmed)
                {
                    return Err(format!(
                        "invalid input syntax for type numeric: {}",
                        quote_literal(text)
                    ));
                }
                trimmed.trim_start_matches('+').to_owned()
            }
            SqlType::Real | SqlType::DoublePrecision => {
                let trimmed = text.trim();
                match trimmed.to_ascii_lowercase().as_str() {
                    "nan" => "NaN".to_owned(),
                    "infinity" | "inf" | "+infinity" => "Infinity".to_owned(),
                    "-infinity" | "-inf" => "-Infinity".to_owned(),
                    _ => {
                        self.unsure(format!("the floating-point literal {}", quote_literal(text)));
                        trimmed.to_owned()
                    }
                }
            }
            SqlType::Date => {
                if !is_iso_date(text) && !["infinity", "-infinity"].contains(&text) {
                    self.unsure(format!("the date literal {}", quote_literal(text)));
                }
                text.to_owned()
            }
            SqlType::Timestamp { .. } | SqlType::Time { .. } => {
                if !["infinity", "-infinity"].contains(&text) {
                    self.unsure(format!("the date/time literal {}", quote_literal(text)));
                }
                text.to_owned()
            }
            SqlType::UserDefined { name } => {
                if let Some(enum_type) = self.scope.schema.enums.get(name) {
                    if !enum_type.labels.iter().any(|label| label == text) {
                        return Err(format!(
                            "invalid input value for enum {name}: {}",
                            quote_literal(text)
                        ));
                    }
                }
                text.to_owned()
            }
            SqlType::Array { element, .. }
                if matches!(
                    element.as_ref(),
                    SqlType::Integer | SqlType::BigInt | SqlType::SmallInt
                ) =>
            {
                text.split_whitespace().collect::<String>()
            }
            _ => text.to_owned(),
        };
        Ok(Node::Const { value, data_type: base })
    }

    /// `NORMALIZE(value [, NFC | NFD | NFKC | NFKD])`: SQL syntax whose form
    /// is a keyword, not a column (sqlparser reads it as one).
    fn normalize(&mut self, function: &sqlparser::ast::Function) -> Result<Option<Node>, String> {
        let FunctionArguments::List(list) = &function.args else { return Ok(None) };
        let expressions: Vec<&Expr> = list
            .args
            .iter()
            .filter_map(|arg| match arg {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(expression)) => Some(expression),
                _ => None,
            })
            .collect();
        let (value, form) = match expressions.as_slice() {
            [value] => (value, None),
            [value, Expr::Identifier(form)] if form.quote_style.is_none() => {
                let form = form.value.to_uppercase();
                if !["NFC", "NFD", "NFKC", "NFKD"].contains(&form.as_str()) {
                    return Err(format!("`{form}` is not a Unicode normal form"));
                }
                (value, Some(form))
            }
            _ => return Ok(None),
        };
        let value = self.node(value)?;
        let value = self.coerce(value, &SqlType::Text, Coercion::Implicit)?;
        Ok(Some(Node::Special {
            text: SpecialText::Args {
                prefix: "NORMALIZE(".into(),
                args: vec![value],
                separators: Vec::new(),
                suffix: form.map_or_else(|| ")".to_owned(), |form| format!(", {form})")),
            },
            data_type: Some(SqlType::Text),
        }))
    }

    /// A function call: its arguments typed here, the call in
    /// [`Typer::function_of`], so nested calls cost little stack per level.
    fn function(&mut self, function: &sqlparser::ast::Function) -> Result<Node, String> {
        if is_normalize(function) {
            if let Some(node) = self.normalize(function)? {
                return Ok(node);
            }
        }
        let args = self.function_arguments(function)?;
        self.function_of(function, args)
    }

    /// The typed arguments of a call; `None` without an argument list.
    fn function_arguments(
        &mut self,
        function: &sqlparser::ast::Function,
    ) -> Result<Option<Vec<Node>>, String> {
        match &function.args {
            FunctionArguments::None => Ok(None),
            FunctionArguments::Subquery(_) => Err("subqueries are not allowed here".into()),
            FunctionArguments::List(list) => {
                if list.duplicate_treatment.is_some() || !list.clauses.is_empty() {
                    return Err(format!("autogen does not read `{function}`"));
                }
                let mut args = Vec::new();
                for arg in &list.args {
                    match arg {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(expression)) => {
                            args.push(self.node(expression)?)
                        }
                        _ => {
                            return Err(format!(
                                "autogen does not read the arguments of `{function}`"
                            ))
                        }
                    }
                }
                Ok(Some(args))
            }
        }
    }

    /// A call of `function` on `args`, typed already.
    fn function_of(
        &mut self,
        function: &sqlparser::ast::Function,
        args: Option<Vec<Node>>,
    ) -> Result<Node, String> {
        let parts: Vec<String> =
            function.name.0.iter().filter_map(|part| part.as_ident()).map(folded).collect();
        let name = parts.last().cloned().unwrap_or_default();
        let schema = if parts.len() > 1 { Some(parts[0].clone()) } else { None };
        let has_args = args.is_some();
        let args = args.unwrap_or_default();
        if function.filter.is_some() || function.over.is_some() || !function.within_group.is_empty()
        {
            return Err("aggregates and window functions are not allowed here".into());
        }
        if let Some(side) = name.strip_prefix(crate::ddl::TRIM_MARKER) {
            let [value] = <[Node; 1]>::try_from(args).map_err(|_| "TRIM takes one value")?;
            let value = self.coerce(value, &SqlType::Text, Coercion::Implicit)?;
            return Ok(Node::Special {
                text: SpecialText::Args {
                    prefix: format!("TRIM({} FROM ", side.to_uppercase()),
                    args: vec![value],
                    separators: Vec::new(),
                    suffix: ")".into(),
                },
                data_type: Some(SqlType::Text),
            });
        }
        if schema.as_deref().is_none_or(|schema| schema == "pg_catalog") {
            let precision = if has_args { args.first().cloned() } else { None };
            if let Some(node) = sql_value_function_with(&name, precision, has_args)? {
                return Ok(node);
            }
            match name.as_str() {
                "coalesce" | "greatest" | "least" => {
                    let common = self.common_type(&args)?.unwrap_or(SqlType::Text);
                    let mut typed = Vec::new();
                    for arg in args {
                        typed.push(self.coerce(arg, &common, Coercion::Implicit)?);
                    }
                    return Ok(Node::Special {
                        text: SpecialText::Args {
                            prefix: format!("{}(", name.to_uppercase()),
                            args: typed,
                            separators: vec![", ".into()],
                            suffix: ")".into(),
                        },
                        data_type: Some(common),
                    });
                }
                "nullif" => {
                    let common = self.common_type(&args)?.unwrap_or(SqlType::Text);
                    let mut typed = Vec::new();
                    for arg in args {
                        typed.push(self.coerce(arg, &common, Coercion::Implicit)?);
                    }
                    return Ok(Node::Special {
                        text: SpecialText::Args {
                            prefix: "NULLIF(".into(),
                            args: typed,
                            separators: vec![", ".into()],
                            suffix: ")".into(),
                        },
                        data_type: Some(common),
                    });
                }
                _ => {}
            }
        }
        let signature = signature(&name, &args);
        let user_schema = schema.as_deref().is_some_and(|schema| schema != "pg_catalog");
        if signature.is_none() || user_schema {
            match self.user_function(schema.as_deref(), &name, &args) {
                UserCall::Found { function, parameters, result } => {
                    let mut typed = Vec::new();
                    for (arg, parameter) in args.into_iter().zip(parameters) {
                        typed.push(self.coerce(arg, &parameter, Coercion::Implicit)?);
                    }
                    let printed_name = autogen_schema::expression::type_reference(&function);
                    return Ok(Node::Func { name: printed_name, args: typed, data_type: result });
                }
                UserCall::Unsure => {
                    self.unsure(format!(
                        "the call of `{name}`, which autogen cannot tell from its overloads"
                    ));
                    let printed_name = match &schema {
                        Some(schema) if schema != "public" => {
                            format!("{}.{}", quote_ident(schema), quote_ident(&name))
                        }
                        _ => quote_ident(&name),
                    };
                    return Ok(Node::Func { name: printed_name, args, data_type: None });
                }
                UserCall::None => {}
            }
        }
        let printed_name = match &schema {
            Some(schema) if schema != "pg_catalog" && schema != "public" => {
                format!("{}.{}", quote_ident(schema), quote_ident(&name))
            }
            _ => quote_ident(&name),
        };
        match signature {
            Some((parameters, result)) => {
                let mut typed = Vec::new();
                for (index, arg) in args.into_iter().enumerate() {
                    let parameter = parameters.get(index).or(parameters.last()).cloned().flatten();
                    typed.push(match parameter {
                        Some(parameter) => self.coerce(arg, &parameter, Coercion::Implicit)?,
                        None => match arg {
                            Node::Unknown(_) => {
                                self.coerce(arg, &SqlType::Text, Coercion::Implicit)?
                            }
                            other => other,
                        },
                    });
                }
                let result = match result {
                    Returns::Type(data_type) => Some(data_type),
                    Returns::SameAsFirst => typed.first().and_then(Node::data_type),
                    Returns::ElementOfFirst => match typed.first().and_then(Node::data_type) {
                        Some(SqlType::Array { element, .. }) => Some(*element),
                        _ => None,
                    },
                };
                Ok(Node::Func { name: printed_name, args: typed, data_type: result })
            }
            None => {
                self.unsure(format!("the function `{name}`, which autogen does not know"));
                Ok(Node::Func { name: printed_name, args, data_type: None })
            }
        }
    }
}

/// A call of a routine of the schema.
enum UserCall {
    /// The function called, its parameters' types for the arguments given
    /// and its result (`None` for a set or a row).
    Found { function: QualifiedName, parameters: Vec<SqlType>, result: Option<SqlType> },
    /// A routine of the name, but which one the call means autogen cannot
    /// tell (overloads, `VARIADIC`).
    Unsure,
    /// No routine of the schema is called so.
    None,
}

impl Typer<'_> {
    /// The function of the schema a call of `name` (in `schema`, else on
    /// the search path) with `args` means, as PostgreSQL resolves it for
    /// the cases schemas have: the first schema with a function of the
    /// name taking that many arguments (defaults filling the rest) whose
    /// types fit, the best fit when several do.
    fn user_function(&self, schema: Option<&str>, name: &str, args: &[Node]) -> UserCall {
        let schemas: Vec<&str> = match schema {
            Some(schema) => vec![schema],
            None => self.scope.search_path.iter().map(String::as_str).collect(),
        };
        let mut named = false;
        for schema in schemas {
            let qualified = QualifiedName::new(schema, name);
            let mut fits: Vec<(usize, &autogen_schema::Function)> = Vec::new();
            for function in self.scope.schema.functions.values() {
                if function.name != qualified || function.procedure {
                    continue;
                }
                named = true;
                let inputs: Vec<&autogen_schema::Argument> =
                    function.arguments.iter().filter(|argument| argument.mode.is_input()).collect();
                if inputs.iter().any(|input| input.mode == autogen_schema::ArgumentMode::Variadic) {
                    return UserCall::Unsure;
                }
                let required = inputs.iter().filter(|input| input.default.is_none()).count();
                if args.len() < required || args.len() > inputs.len() {
                    continue;
                }
                let mut exact = 0;
                let mut fit = true;
                for (arg, input) in args.iter().zip(&inputs) {
                    let Some(source) = arg.data_type() else { continue };
                    let source = self.scope.schema.base_type(&source).clone();
                    let target = self.scope.schema.base_type(&input.data_type).clone();
                    if strip_typmod(&source) == strip_typmod(&target) {
                        exact += 1;
                    } else if !castable(&source, &target, Coercion::Implicit) {
                        fit = false;
                    }
                }
                if fit {
                    fits.push((exact, function));
                }
            }
            fits.sort_by_key(|fit| std::cmp::Reverse(fit.0));
            match fits.as_slice() {
                [] => continue,
                [(_, function)] => return self.user_call(function, args.len()),
                [(best, function), (next, _), ..] if best > next => {
                    return self.user_call(function, args.len())
                }
                _ => return UserCall::Unsure,
            }
        }
        if named {
            UserCall::Unsure
        } else {
            UserCall::None
        }
    }

    fn user_call(&self, function: &autogen_schema::Function, count: usize) -> UserCall {
        let parameters = (function.arguments.iter())
            .filter(|argument| argument.mode.is_input())
            .take(count)
            .map(|argument| argument.data_type.clone())
            .collect();
        let result = match &function.returns {
            Some(autogen_schema::Returns::Type { data_type, setof: false }) => {
                Some(data_type.clone())
            }
            _ => None,
        };
        UserCall::Found { function: function.name.clone(), parameters, result }
    }
}

/// Whether `function` is `normalize` (or `pg_catalog.normalize`), which
/// reads its second argument as a keyword.
fn is_normalize(function: &sqlparser::ast::Function) -> bool {
    let parts: Vec<String> =
        function.name.0.iter().filter_map(|part| part.as_ident()).map(folded).collect();
    match parts.as_slice() {
        [name] => name == "normalize",
        [schema, name] => schema == "pg_catalog" && name == "normalize",
        _ => false,
    }
}

// ----- functions and operators --------------------------------------------

enum Returns {
    Type(SqlType),
    SameAsFirst,
    ElementOfFirst,
}

/// Parameter types (`None`: any type, taken as given) and the result of the
/// functions autogen knows. The last parameter repeats for variadic ones.
fn signature(name: &str, args: &[Node]) -> Option<(Vec<Option<SqlType>>, Returns)> {
    use SqlType::*;
    let text = || Some(Text);
    let int = || Some(Integer);
    let first_type = args.first().and_then(Node::data_type);
    let numeric_first = || match &first_type {
        Some(Integer | SmallInt | BigInt | Real | DoublePrecision) => first_type.clone(),
        Some(Numeric { .. }) => Some(Numeric { precision: None, scale: None }),
        _ => Some(Numeric { precision: None, scale: None }),
    };
    let returns = |data_type: SqlType| Returns::Type(data_type);
    Some(match (name, args.len()) {
        (
            "lower" | "upper" | "initcap" | "md5" | "reverse" | "btrim" | "ltrim" | "rtrim"
            | "quote_ident" | "quote_literal",
            1,
        ) => (vec![text()], returns(Text)),
        ("btrim" | "ltrim" | "rtrim" | "repeat_text", 2) => (vec![text(), text()], returns(Text)),
        (
            "length" | "char_length" | "character_length" | "octet_length" | "bit_length" | "ascii",
            1,
        ) => (vec![text()], returns(Integer)),
        ("substr" | "substring", 2) => (vec![text(), int()], returns(Text)),
        ("substr" | "substring", 3) => (vec![text(), int(), int()], returns(Text)),
        ("left" | "right" | "repeat", 2) => (vec![text(), int()], returns(Text)),
        ("lpad" | "rpad", 2) => (vec![text(), int()], returns(Text)),
        ("lpad" | "rpad", 3) => (vec![text(), int(), text()], returns(Text)),
        ("split_part", 3) => (vec![text(), text(), int()], returns(Text)),
        ("replace" | "translate", 3) => (vec![text(), text(), text()], returns(Text)),
        ("regexp_replace", 3) => (vec![text(), text(), text()], returns(Text)),
        ("regexp_replace", 4) => (vec![text(), text(), text(), text()], returns(Text)),
        ("regexp_split_to_array", 2) => {
            (vec![text(), text()], returns(Array { element: Box::new(Text), dimensions: 0 }))
        }
        ("regexp_match" | "regexp_matches", 2) => {
            (vec![text(), text()], returns(Array { element: Box::new(Text), dimensions: 0 }))
        }
        ("strpos", 2) => (vec![text(), text()], returns(Integer)),
        // A setting (row-level security policies read the session's).
        ("current_setting", 1) => (vec![text()], returns(Text)),
        ("current_setting", 2) => (vec![text(), Some(Boolean)], returns(Text)),
        ("starts_with", 2) => (vec![text(), text()], returns(Boolean)),
        ("concat", _) => (vec![None], returns(Text)),
        ("concat_ws", _) => (vec![text(), None], returns(Text)),
        ("to_char", 2) => (vec![None, text()], returns(Text)),
        ("array_length", 2) => (vec![None, int()], returns(Integer)),
        ("cardinality" | "array_ndims", 1) => (vec![None], returns(Integer)),
        ("array_position", 2) => (vec![None, None], returns(Integer)),
        ("array_to_string", 2) => (vec![None, text()], returns(Text)),
        ("num_nonnulls" | "num_nulls", _) => (vec![None], returns(Integer)),
        ("now" | "transaction_timestamp" | "statement_timestamp" | "clock_timestamp", 0) => {
            (vec![], returns(Timestamp { precision: None, with_time_zone: true }))
        }
        ("random", 0) => (vec![], returns(DoublePrecision)),
        ("gen_random_uuid" | "uuid_generate_v4" | "uuid_generate_v1" | "uuidv4" | "uuidv7", 0) => {
            (vec![], returns(Uuid))
        }
        ("abs" | "sign", 1) => (vec![numeric_first()], Returns::SameAsFirst),
        ("floor" | "ceil" | "ceiling" | "trunc", 1) => {
            (vec![numeric_first()], Returns::SameAsFirst)
        }
        ("round", 1) => (vec![numeric_first()], Returns::SameAsFirst),
        ("round" | "trunc", 2) => (
            vec![Some(Numeric { precision: None, scale: None }), int()],
            returns(Numeric { precision: None, scale: None }),
        ),
        ("mod", 2) => (vec![numeric_first(), numeric_first()], Returns::SameAsFirst),
        ("date_trunc", 2) => {
            let truncated =
                args[1].data_type().unwrap_or(Timestamp { precision: None, with_time_zone: true });
            (vec![text(), Some(truncated.clone())], returns(truncated))
        }
        ("date_part", 2) => (vec![text(), None], returns(DoublePrecision)),
        ("age", 1 | 2) => (vec![None], returns(Interval { fields: None, precision: None })),
        ("to_tsvector", 1) => (vec![text()], returns(Builtin { name: "tsvector".into() })),
        ("to_tsvector", 2) => (
            vec![Some(Builtin { name: "regconfig".into() }), text()],
            returns(Builtin { name: "tsvector".into() }),
        ),
        ("to_tsquery" | "plainto_tsquery" | "websearch_to_tsquery" | "phraseto_tsquery", 1) => {
            (vec![text()], returns(Builtin { name: "tsquery".into() }))
        }
        ("to_tsquery" | "plainto_tsquery" | "websearch_to_tsquery" | "phraseto_tsquery", 2) => (
            vec![Some(Builtin { name: "regconfig".into() }), text()],
            returns(Builtin { name: "tsquery".into() }),
        ),
        ("setweight", 2) => (
            vec![
                Some(Builtin { name: "tsvector".into() }),
                Some(Builtin { name: "\"char\"".into() }),
            ],
            returns(Builtin { name: "tsvector".into() }),
        ),
        ("jsonb_typeof" | "json_typeof", 1) => (vec![first_type.clone()], returns(Text)),
        ("jsonb_array_length", 1) => (vec![Some(Jsonb)], returns(Integer)),
        ("jsonb_build_object" | "jsonb_build_array", _) => (vec![None], returns(Jsonb)),
        ("to_jsonb", 1) => (vec![None], returns(Jsonb)),
        ("nextval", 1) => (vec![Some(Builtin { name: "regclass".into() })], returns(BigInt)),
        ("binary_quantize", 1) => (vec![first_type.clone()], returns(Bit { length: None })),
        ("l2_normalize", 1) => (vec![first_type.clone()], Returns::SameAsFirst),
        ("vector_dims", 1) => (vec![first_type.clone()], returns(Integer)),
        ("unnest", 1) => (vec![None], Returns::ElementOfFirst),
        // Range constructors (exclusion constraints on two columns):
        // bounds of the element type, then the bounds' inclusivity.
        ("int4range" | "int8range" | "numrange" | "tsrange" | "tstzrange" | "daterange", 2 | 3) => {
            let element = match name {
                "int4range" => Integer,
                "int8range" => BigInt,
                "numrange" => Numeric { precision: None, scale: None },
                "tsrange" => Timestamp { precision: None, with_time_zone: false },
                "tstzrange" => Timestamp { precision: None, with_time_zone: true },
                _ => Date,
            };
            (
                vec![Some(element.clone()), Some(element), text()],
                returns(Builtin { name: name.to_owned() }),
            )
        }
        _ => return None,
    })
}

/// `CURRENT_TIMESTAMP` and friends, spelled as sqlparser hands them over.
fn sql_value_function(name: &str, precision: Option<Node>) -> Result<Node, String> {
    sql_value_function_with(name, precision, false)?
        .ok_or_else(|| format!("`{name}` is not a function"))
}

fn sql_value_function_with(
    name: &str,
    precision: Option<Node>,
    has_args: bool,
) -> Result<Option<Node>, String> {
    use SqlType::*;
    let (printed, data_type, takes_precision) = match name {
        "current_timestamp" => {
            ("CURRENT_TIMESTAMP", Timestamp { precision: None, with_time_zone: true }, true)
        }
        "current_time" => ("CURRENT_TIME", Time { precision: None, with_time_zone: true }, true),
        "localtimestamp" => {
            ("LOCALTIMESTAMP", Timestamp { precision: None, with_time_zone: false }, true)
        }
        "localtime" => ("LOCALTIME", Time { precision: None, with_time_zone: false }, true),
        "current_date" if !has_args => ("CURRENT_DATE", Date, false),
        "current_user" | "user" if !has_args => {
            ("CURRENT_USER", Builtin { name: "name".into() }, false)
        }
        "session_user" if !has_args => ("SESSION_USER", Builtin { name: "name".into() }, false),
        "current_role" if !has_args => ("CURRENT_ROLE", Builtin { name: "name".into() }, false),
        "current_catalog" if !has_args => {
            ("CURRENT_CATALOG", Builtin { name: "name".into() }, false)
        }
        "current_schema" if !has_args => ("CURRENT_SCHEMA", Builtin { name: "name".into() }, false),
        _ => return Ok(None),
    };
    let text = match (precision, has_args && takes_precision) {
        (Some(Node::Number { value, .. }), true) => format!("{printed}({value})"),
        (_, true) => return Err(format!("{printed} takes an integer precision")),
        (_, false) => printed.to_owned(),
    };
    Ok(Some(Node::Special { text: SpecialText::Bare(text), data_type: Some(data_type) }))
}

fn binary_operator_text(op: &BinaryOperator) -> Option<&'static str> {
    Some(match op {
        BinaryOperator::Plus => "+",
        BinaryOperator::Minus => "-",
        BinaryOperator::Multiply => "*",
        BinaryOperator::Divide => "/",
        BinaryOperator::Modulo => "%",
        BinaryOperator::PGExp => "^",
        BinaryOperator::StringConcat => "||",
        BinaryOperator::Gt => ">",
        BinaryOperator::Lt => "<",
        BinaryOperator::GtEq => ">=",
        BinaryOperator::LtEq => "<=",
        BinaryOperator::Eq => "=",
        BinaryOperator::NotEq => "<>",
        BinaryOperator::PGRegexMatch => "~",
        BinaryOperator::PGRegexIMatch => "~*",
        BinaryOperator::PGRegexNotMatch => "!~",
        BinaryOperator::PGRegexNotIMatch => "!~*",
        BinaryOperator::PGLikeMatch => "~~",
        BinaryOperator::PGILikeMatch => "~~*",
        BinaryOperator::PGNotLikeMatch => "!~~",
        BinaryOperator::PGNotILikeMatch => "!~~*",
        BinaryOperator::Arrow => "->",
        BinaryOperator::LongArrow => "->>",
        BinaryOperator::HashArrow => "#>",
        BinaryOperator::HashLongArrow => "#>>",
        BinaryOperator::AtArrow => "@>",
        BinaryOperator::ArrowAt => "<@",
        BinaryOperator::Question => "?",
        BinaryOperator::QuestionAnd => "?&",
        BinaryOperator::QuestionPipe => "?|",
        BinaryOperator::PGOverlap => "&&",
        BinaryOperator::Spaceship => "<=>",
        BinaryOperator::LtDashGt => "<->",
        _ => return None,
    })
}

fn is_text_like(data_type: &SqlType) -> bool {
    matches!(data_type, SqlType::Text | SqlType::Varchar { .. } | SqlType::Char { .. })
}

fn is_integer(data_type: &SqlType) -> bool {
    matches!(data_type, SqlType::SmallInt | SqlType::Integer | SqlType::BigInt)
}

fn is_float(data_type: &SqlType) -> bool {
    matches!(data_type, SqlType::Real | SqlType::DoublePrecision)
}

fn numeric() -> SqlType {
    SqlType::Numeric { precision: None, scale: None }
}

/// The operand types of a comparison between `left` and `right`.
fn comparison_type(left: &SqlType, right: &SqlType) -> Option<(SqlType, SqlType)> {
    let left_base = strip_typmod(left);
    let right_base = strip_typmod(right);
    if is_integer(&left_base) && is_integer(&right_base) {
        return Some((left_base, right_base));
    }
    if numeric_rank(&left_base).is_some() && numeric_rank(&right_base).is_some() {
        if is_float(&left_base) || is_float(&right_base) {
            // float4 and float8 compare with each other directly.
            let side = |data_type: &SqlType| {
                if is_float(data_type) {
                    data_type.clone()
                } else {
                    SqlType::DoublePrecision
                }
            };
            return Some((side(&left_base), side(&right_base)));
        }
        return Some((numeric(), numeric()));
    }
    match (&left_base, &right_base) {
        (SqlType::Varchar { .. } | SqlType::Text, SqlType::Varchar { .. } | SqlType::Text) => {
            Some((SqlType::Text, SqlType::Text))
        }
        (SqlType::Char { .. }, SqlType::Char { .. }) => {
            Some((left_base.clone(), right_base.clone()))
        }
        (SqlType::Char { .. }, SqlType::Text | SqlType::Varchar { .. })
        | (SqlType::Text | SqlType::Varchar { .. }, SqlType::Char { .. }) => {
            Some((SqlType::Text, SqlType::Text))
        }
        (
            SqlType::Timestamp { with_time_zone: a, .. },
            SqlType::Timestamp { with_time_zone: b, .. },
        ) if a == b => Some((left_base.clone(), right_base.clone())),
        (SqlType::Timestamp { .. } | SqlType::Date, SqlType::Timestamp { .. } | SqlType::Date) => {
            Some((left_base.clone(), right_base.clone()))
        }
        _ if left_base == right_base => Some((left_base.clone(), right_base.clone())),
        _ => None,
    }
}

/// Operand types and result of `||`.
fn concat_type(left: &SqlType, right: &SqlType) -> ((SqlType, SqlType), SqlType) {
    let left_base = strip_typmod(left);
    let right_base = strip_typmod(right);
    match (&left_base, &right_base) {
        (SqlType::Jsonb, _) | (_, SqlType::Jsonb) => {
            ((SqlType::Jsonb, SqlType::Jsonb), SqlType::Jsonb)
        }
        (SqlType::Array { .. }, SqlType::Array { .. }) => {
            ((left_base.clone(), right_base.clone()), left_base.clone())
        }
        (SqlType::Array { element, .. }, _) => {
            ((left_base.clone(), *element.clone()), left_base.clone())
        }
        (_, SqlType::Array { element, .. }) => {
            ((*element.clone(), right_base.clone()), right_base.clone())
        }
        (SqlType::Builtin { name }, _) if name == "tsvector" => {
            ((left_base.clone(), left_base.clone()), left_base.clone())
        }
        (SqlType::Builtin { name }, _) if name == "tsquery" => {
            ((left_base.clone(), left_base.clone()), left_base.clone())
        }
        (SqlType::Bytea, SqlType::Bytea) => ((SqlType::Bytea, SqlType::Bytea), SqlType::Bytea),
        // text || text, or text || anynonarray (the other side as it is).
        _ if is_text_like(&left_base) && is_text_like(&right_base) => {
            ((SqlType::Text, SqlType::Text), SqlType::Text)
        }
        _ if is_text_like(&left_base) => ((SqlType::Text, right_base.clone()), SqlType::Text),
        _ => ((left_base.clone(), SqlType::Text), SqlType::Text),
    }
}

/// Operand types and result of arithmetic.
fn arithmetic_type(
    op: &str,
    left: &SqlType,
    right: &SqlType,
) -> Option<(SqlType, SqlType, SqlType)> {
    let left = strip_typmod(left);
    let right = strip_typmod(right);
    if is_integer(&left) && is_integer(&right) {
        let (a, b) = (numeric_rank(&left), numeric_rank(&right));
        // int2/int4/int8 have cross-type operators; the result is the wider.
        let result = if a >= b { left.clone() } else { right.clone() };
        return Some((left, right, result));
    }
    let numeric_like = |data_type: &SqlType| numeric_rank(data_type).is_some();
    if numeric_like(&left) && numeric_like(&right) {
        if is_float(&left) || is_float(&right) {
            if left == SqlType::Real && right == SqlType::Real {
                return Some((SqlType::Real, SqlType::Real, SqlType::Real));
            }
            let side = |data_type: &SqlType| {
                if is_float(data_type) {
                    data_type.clone()
                } else {
                    SqlType::DoublePrecision
                }
            };
            return Some((side(&left), side(&right), SqlType::DoublePrecision));
        }
        return Some((numeric(), numeric(), numeric()));
    }
    let interval = SqlType::Interval { fields: None, precision: None };
    match (&left, &right, op) {
        (SqlType::Timestamp { .. }, SqlType::Timestamp { .. }, "-") => {
            Some((left.clone(), right.clone(), interval))
        }
        (SqlType::Timestamp { .. }, SqlType::Interval { .. }, "+" | "-") => {
            Some((left.clone(), interval, left.clone()))
        }
        (SqlType::Interval { .. }, SqlType::Timestamp { .. }, "+") => {
            Some((interval, right.clone(), right.clone()))
        }
        (SqlType::Date, SqlType::Date, "-") => {
            Some((SqlType::Date, SqlType::Date, SqlType::Integer))
        }
        (SqlType::Date, SqlType::Integer, "+" | "-") => {
            Some((SqlType::Date, SqlType::Integer, SqlType::Date))
        }
        (SqlType::Date, SqlType::Interval { .. }, "+" | "-") => Some((
            SqlType::Date,
            interval,
            SqlType::Timestamp { precision: None, with_time_zone: false },
        )),
        (SqlType::Interval { .. }, SqlType::Interval { .. }, "+" | "-") => {
            Some((interval.clone(), interval.clone(), interval))
        }
        (SqlType::Interval { .. }, _, "*" | "/") if numeric_like(&right) => {
            Some((interval.clone(), SqlType::DoublePrecision, interval))
        }
        _ => None,
    }
}

/// Whether PostgreSQL casts `source` to `target` in this context without
/// being told (`pg_cast.castcontext`), for the types schemas use.
fn castable(source: &SqlType, target: &SqlType, coercion: Coercion) -> bool {
    let source = strip_typmod(source);
    let target = strip_typmod(target);
    if let (Some(from), Some(to)) = (numeric_rank(&source), numeric_rank(&target)) {
        return from <= to || coercion == Coercion::Assignment;
    }
    match (&source, &target) {
        (a, b) if is_text_like(a) && is_text_like(b) => true,
        (_, SqlType::Text | SqlType::Varchar { .. } | SqlType::Char { .. }) => {
            coercion == Coercion::Assignment
        }
        (SqlType::Timestamp { .. } | SqlType::Date, SqlType::Timestamp { .. }) => true,
        (SqlType::Timestamp { .. }, SqlType::Date) => coercion == Coercion::Assignment,
        (SqlType::Time { .. }, SqlType::Time { .. }) => true,
        (SqlType::Json, SqlType::Jsonb) | (SqlType::Jsonb, SqlType::Json) => {
            coercion == Coercion::Assignment
        }
        (SqlType::Vector { .. }, SqlType::Vector { .. }) => true,
        (SqlType::Array { .. }, SqlType::Array { .. }) => true,
        (SqlType::Builtin { .. }, _) | (_, SqlType::Builtin { .. }) => true,
        (
            SqlType::Bit { .. } | SqlType::VarBit { .. },
            SqlType::Bit { .. } | SqlType::VarBit { .. },
        ) => true,
        _ => false,
    }
}

/// The numeric types in the order PostgreSQL's implicit casts widen them
/// (`smallint` → … → `double precision`).
fn numeric_rank(data_type: &SqlType) -> Option<u8> {
    match data_type {
        SqlType::SmallInt => Some(1),
        SqlType::Integer => Some(2),
        SqlType::BigInt => Some(3),
        SqlType::Numeric { .. } => Some(4),
        SqlType::Real => Some(5),
        SqlType::DoublePrecision => Some(6),
        _ => None,
    }
}

fn has_typmod(data_type: &SqlType) -> bool {
    strip_typmod(data_type) != *data_type
}

/// The type without its modifier, as a constant's type is printed — and as
/// PostgreSQL keeps a routine's argument and result types (an array with
/// one dimension).
pub(crate) fn strip_typmod(data_type: &SqlType) -> SqlType {
    match data_type {
        SqlType::Numeric { .. } => numeric(),
        SqlType::Varchar { .. } => SqlType::Varchar { length: None },
        SqlType::Char { .. } => SqlType::Char { length: None },
        SqlType::Time { with_time_zone, .. } => {
            SqlType::Time { precision: None, with_time_zone: *with_time_zone }
        }
        SqlType::Timestamp { with_time_zone, .. } => {
            SqlType::Timestamp { precision: None, with_time_zone: *with_time_zone }
        }
        SqlType::Interval { .. } => SqlType::Interval { fields: None, precision: None },
        SqlType::Bit { .. } => SqlType::Bit { length: None },
        SqlType::VarBit { .. } => SqlType::VarBit { length: None },
        SqlType::Vector { kind, .. } => SqlType::Vector { kind: *kind, dimensions: None },
        SqlType::Array { element, .. } => {
            SqlType::Array { element: Box::new(strip_typmod(element)), dimensions: 1 }
        }
        other => other.clone(),
    }
}

/// A numeric literal (with its sign, when negated) as PostgreSQL's parser
/// makes it a constant and prints it back: an integer as `int4out` or
/// `int8out` print it (`-0` is `0`, `007` is `7`), anything else as
/// `numeric_out` does (no negative zero — `-0.0` is `0.0` —, no leading
/// zeros, the scale as written: `.50` is `0.50`); PostgreSQL 16's `_`
/// between digits dropped.
fn number(written: &str) -> Node {
    let digits = written.replace('_', "");
    if digits.contains(['e', 'E']) {
        if let Some(expanded) = expand_exponent(&digits) {
            return Node::Number { value: numeric_out(&expanded), data_type: numeric() };
        }
    }
    if !digits.contains('.') {
        if let Ok(value) = digits.parse::<i64>() {
            let data_type =
                if i32::try_from(value).is_ok() { SqlType::Integer } else { SqlType::BigInt };
            return Node::Number { value: value.to_string(), data_type };
        }
    }
    Node::Number { value: numeric_out(&digits), data_type: numeric() }
}

/// The text of `-operand` when the operand is a number, in parentheses or
/// under more minuses (`-(-1)` is `1`), as PostgreSQL's `doNegate` folds it.
fn negated_number(operand: &Expr) -> Option<String> {
    let mut negative = true;
    let mut operand = operand;
    loop {
        match operand {
            Expr::Nested(inner) => operand = inner,
            Expr::UnaryOp { op: UnaryOperator::Minus, expr } => {
                negative = !negative;
                operand = expr;
            }
            Expr::Value(value) => {
                let Value::Number(digits, _) = &value.value else { return None };
                return Some(if negative { format!("-{digits}") } else { digits.clone() });
            }
            _ => return None,
        }
    }
}

/// A decimal number as `numeric_out` prints it: no leading zeros in the
/// integer part (one `0` left), the fraction as written, no sign on zero.
fn numeric_out(text: &str) -> String {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (integer, fraction) = match unsigned.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (unsigned, None),
    };
    let integer = integer.trim_start_matches('0');
    let integer = if integer.is_empty() { "0" } else { integer };
    let zero =
        integer == "0" && fraction.is_none_or(|fraction| fraction.bytes().all(|b| b == b'0'));
    let sign = if negative && !zero { "-" } else { "" };
    match fraction {
        Some(fraction) if !fraction.is_empty() => format!("{sign}{integer}.{fraction}"),
        _ => format!("{sign}{integer}"),
    }
}

/// `numeric_out` of a literal written with an exponent: `1e3` → `1000`,
/// `1.25e-1` → `0.125`.
fn expand_exponent(text: &str) -> Option<String> {
    let (mantissa, exponent) = text.split_once(['e', 'E'])?;
    let exponent: i64 = exponent.parse().ok()?;
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    let point = whole.len() as i64 + exponent;
    let scale = (fraction.len() as i64 - exponent).max(0) as usize;
    let mut result = if point <= 0 {
        format!("0.{}{}", "0".repeat((-point) as usize), digits)
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
    };
    // Leading zeros of the integer part go; the fraction keeps `scale` digits.
    if let Some((integer, fraction)) = result.clone().split_once('.') {
        let integer = integer.trim_start_matches('0');
        let integer = if integer.is_empty() { "0" } else { integer };
        let mut fraction = fraction.to_owned();
        fraction.truncate(scale.max(fraction.len().min(scale)));
        result = if scale == 0 { integer.to_owned() } else { format!("{integer}.{fraction}") };
    } else {
        let integer = result.trim_start_matches('0');
        result = if integer.is_empty() { "0".into() } else { integer.to_owned() };
    }
    Some(if negative { format!("-{result}") } else { result })
}

fn is_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && text.chars().filter(char::is_ascii_digit).count() == 8
}

fn extract_field(field: &DateTimeField) -> String {
    field.to_string().to_lowercase()
}

fn folded(ident: &Ident) -> String {
    crate::types::folded(ident)
}

/// A `COLLATE` name as `pg_get_expr` prints it: bare where visible
/// (`pg_catalog`, `public`). Out of line: the expression walk that calls
/// it recurses, and its frame stays small.
#[inline(never)]
fn printed_collation(name: &ObjectName) -> String {
    let visible = name.0.len() == 2
        && name.0[0]
            .as_ident()
            .is_some_and(|schema| matches!(folded(schema).as_str(), "pg_catalog" | "public"));
    match visible {
        true => object_name(&ObjectName(name.0[1..].to_vec())),
        false => object_name(name),
    }
}

fn object_name(name: &ObjectName) -> String {
    name.0
        .iter()
        .filter_map(|part| part.as_ident())
        .map(|ident| quote_ident(&folded(ident)))
        .collect::<Vec<_>>()
        .join(".")
}

// ----- printing ------------------------------------------------------------

/// How `format_type` prints a type in a cast: user types qualified unless
/// their schema is `public` (on the default search path).
/// `NULL` of `data_type`, as `pg_get_expr` prints a typed null constant
/// (`NULL::bigint`): an argument's `DEFAULT NULL`.
pub fn typed_null(data_type: &SqlType) -> String {
    format!("NULL::{}", type_in_cast(data_type, true))
}

fn type_in_cast(data_type: &SqlType, with_typmod: bool) -> String {
    let data_type = if with_typmod { data_type.clone() } else { strip_typmod(data_type) };
    printed_type(&data_type)
}

fn printed_type(data_type: &SqlType) -> String {
    match data_type {
        SqlType::UserDefined { name } => type_reference(name),
        SqlType::Array { element, .. } => format!("{}[]", printed_type(element)),
        SqlType::Char { length: None } => "bpchar".into(),
        SqlType::Bit { length: None } => "\"bit\"".into(),
        SqlType::Vector { kind, dimensions } => match dimensions {
            Some(dimensions) => format!("{}({dimensions})", kind.type_name()),
            None => kind.type_name().into(),
        },
        other => other.to_string(),
    }
}

/// `get_const_expr`: how a constant of `data_type` is printed.
fn print_const(value: &str, data_type: &SqlType) -> String {
    match data_type {
        SqlType::Integer if !value.starts_with('-') => value.to_owned(),
        SqlType::Numeric { .. }
            if value.starts_with(|c: char| c.is_ascii_digit())
                && value.contains(['.', 'e', 'E']) =>
        {
            value.to_owned()
        }
        _ => format!("{}::{}", quote_literal(value), printed_type(data_type)),
    }
}

fn without_implicit_casts(mut node: &Node) -> &Node {
    while let Node::Cast { arg, explicit: false, .. } = node {
        node = arg;
    }
    node
}

fn print(node: &Node) -> String {
    let mut text = String::new();
    print_to(node, &mut text);
    text
}

/// `node` printed onto `text`: the kinds that nest deep (operators, casts,
/// boolean tests) in a few pushes each, so a deep expression costs little
/// stack per level; the others through [`print_other`].
fn print_to(node: &Node, text: &mut String) {
    match node {
        Node::Column { relabel: false, .. } | Node::DomainValue { relabel: false, .. } => {
            print_bare(node, text);
        }
        Node::Column { relabel: true, .. } | Node::DomainValue { relabel: true, .. } => {
            print_relabelled(node, text);
        }
        Node::Unknown(value) => text.push_str(&quote_literal(value)),
        Node::Null => text.push_str("NULL"),
        Node::Bool(value) => text.push_str(if *value { "true" } else { "false" }),
        Node::Number { value, data_type } | Node::Const { value, data_type } => {
            text.push_str(&print_const(value, data_type));
        }
        Node::Cast { arg, data_type, with_typmod, .. } => {
            text.push('(');
            print_to(arg, text);
            text.push_str(")::");
            text.push_str(&type_in_cast(data_type, *with_typmod));
        }
        Node::Op { op, left, right, .. } => {
            text.push('(');
            if let Some(left) = left {
                print_to(left, text);
                text.push(' ');
            }
            text.push_str(op);
            text.push(' ');
            print_to(right, text);
            text.push(')');
        }
        Node::Bool_ { and, args } => {
            text.push('(');
            for (index, arg) in args.iter().enumerate() {
                if index > 0 {
                    text.push_str(if *and { " AND " } else { " OR " });
                }
                print_to(arg, text);
            }
            text.push(')');
        }
        Node::Not(arg) => {
            text.push_str("(NOT ");
            print_to(arg, text);
            text.push(')');
        }
        Node::NullTest { arg, negated } => {
            text.push('(');
            print_to(arg, text);
            text.push_str(if *negated { " IS NOT NULL)" } else { " IS NULL)" });
        }
        Node::BoolTest { arg, test } => {
            text.push('(');
            print_to(arg, text);
            text.push(' ');
            text.push_str(test);
            text.push(')');
        }
        Node::Collate { arg, collation } => {
            text.push('(');
            print_to(arg, text);
            text.push_str(" COLLATE ");
            text.push_str(collation);
            text.push(')');
        }
        other => text.push_str(&print_other(other)),
    }
}

/// A domain column or `VALUE` relabelled to its base type where its value
/// is used: `(qty)::integer` (a cast or a NULL test takes it as it is:
/// [`bare`]). Out of line, as is `print_bare`: the recursive [`print_to`]
/// keeps a small frame.
#[inline(never)]
fn print_relabelled(node: &Node, text: &mut String) {
    let (Node::Column { data_type, .. } | Node::DomainValue { data_type, .. }) = node else {
        return print_to(node, text);
    };
    text.push('(');
    print_bare(node, text);
    text.push_str(")::");
    text.push_str(&type_in_cast(&strip_typmod(data_type), false));
}

/// A domain column or `VALUE` that a cast or a NULL test takes as it is:
/// not relabelled to its base type.
#[inline(never)]
fn bare(node: Node) -> Node {
    match node {
        Node::Column { name, data_type, row, .. } => {
            Node::Column { name, data_type, relabel: false, row }
        }
        Node::DomainValue { data_type, .. } => Node::DomainValue { data_type, relabel: false },
        other => other,
    }
}

/// A column or `VALUE` by its name alone.
#[inline(never)]
fn print_bare(node: &Node, text: &mut String) {
    match node {
        Node::Column { name, row, .. } => {
            if let Some(row) = row {
                text.push_str(row);
                text.push('.');
            }
            text.push_str(&quote_ident(name));
        }
        Node::DomainValue { .. } => text.push_str("VALUE"),
        other => print_to(other, text),
    }
}

fn print_other(node: &Node) -> String {
    match node {
        Node::Distinct { left, right, negated } => {
            let test = format!("({} IS DISTINCT FROM {})", print(left), print(right));
            if *negated {
                format!("(NOT {test})")
            } else {
                test
            }
        }
        Node::AnyAll { left, op, array, any } => {
            let quantifier = if *any { "ANY" } else { "ALL" };
            format!("({} {op} {quantifier} ({}))", print(left), print(array))
        }
        // An empty array has no elements to carry its type: ruleutils
        // casts it (`ARRAY[]::character varying[]`).
        Node::Array { elements, data_type } if elements.is_empty() => {
            format!("ARRAY[]::{}", type_in_cast(data_type, false))
        }
        Node::Array { elements, .. } => {
            format!("ARRAY[{}]", elements.iter().map(print).collect::<Vec<_>>().join(", "))
        }
        Node::Func { name, args, .. } => {
            format!("{name}({})", args.iter().map(print).collect::<Vec<_>>().join(", "))
        }
        Node::Special { text: SpecialText::Bare(text), .. } => text.clone(),
        Node::Special { text: SpecialText::Args { prefix, args, separators, suffix }, .. } => {
            // Functions printed in SQL syntax (POSITION, TRIM, SUBSTRING,
            // EXTRACT, AT TIME ZONE) show their arguments without implicit
            // casts; COALESCE and friends show them.
            let sql_syntax = !["COALESCE", "GREATEST", "LEAST", "NULLIF"]
                .iter()
                .any(|name| prefix.starts_with(name));
            let shown: Vec<String> = args
                .iter()
                .map(|arg| if sql_syntax { print(without_implicit_casts(arg)) } else { print(arg) })
                .collect();
            let mut text = prefix.clone();
            for (index, arg) in shown.iter().enumerate() {
                if index > 0 {
                    let separator = separators.get(index - 1).or(separators.last());
                    text.push_str(separator.map_or("", String::as_str));
                }
                text.push_str(arg);
            }
            text.push_str(suffix);
            text
        }
        Node::Case { operand, whens, otherwise, .. } => {
            let mut text = String::from("CASE");
            if let Some(operand) = operand {
                text.push(' ');
                text.push_str(&print(operand));
            }
            for (test, result) in whens {
                text.push_str(&format!(" WHEN {} THEN {}", print(test), print(result)));
            }
            if let Some(otherwise) = otherwise {
                text.push_str(&format!(" ELSE {}", print(otherwise)));
            }
            text.push_str(" END");
            text
        }
        _ => unreachable!("printed by `print_to`"),
    }
}
