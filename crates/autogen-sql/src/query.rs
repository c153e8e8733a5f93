//! A view's query, read: its normalised text, the names of its output
//! columns as PostgreSQL gives them, what it reads, and the same query
//! rewritten the way PostgreSQL follows a rename of something it reads.
//!
//! - **Normalised text** ([`normalise_tokens`], [`text`]): the tokens with
//!   unquoted words folded to lower case and needless quotes dropped (a
//!   quoted name `quote_ident` would print bare), parsed by sqlparser and
//!   printed by its `Display` — so case, spacing, comments and needless
//!   quotes do not count. `TRIM(BOTH FROM x)` is read as PostgreSQL reads
//!   it (`btrim(x)`). Printing that text and reading it again gives it back
//!   (`normalising_is_stable`).
//! - **Names** ([`analyse`]): every name resolved as PostgreSQL's parser
//!   resolves it — relations through the search path ([`Catalog`]), a CTE
//!   or an alias first; columns in the scopes of `FROM`, innermost first,
//!   a name two relations have being ambiguous, an output name allowed in
//!   `ORDER BY` and `GROUP BY`, a relation's name alone its whole row. A
//!   relation or column that is not there is an error, as PostgreSQL says
//!   it; a relation whose columns are not known (one autogen does not
//!   model, a function in `FROM`) takes any column name. The output names
//!   are the column aliases, a column's name, or `FigureColname`'s name for
//!   an expression (`count`, `case`, a cast's type, `?column?`); `*` and
//!   `t.*` are expanded in order (columns a `USING` or `NATURAL` join
//!   merges once, first).
//! - **Renames** ([`Change`]): a relation, a column or a type renamed
//!   where the query names it, an output column that took the old name
//!   kept by an alias (`SELECT b AS a`), `*` over a renamed column spelled
//!   out: the text PostgreSQL's catalog now says, in the normalised form.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use autogen_schema::{quote_ident, QualifiedName, SqlType, Uses};
use sqlparser::ast::{
    DataType, Expr, FunctionArg, FunctionArgExpr, GroupByExpr, Ident, Join, JoinConstraint,
    JoinOperator, ObjectName, ObjectNamePart, OrderByKind, Query, Select, SelectItem,
    SelectItemQualifiedWildcardKind, SetExpr, TableAlias, TableFactor, TableWithJoins, VisitMut,
    VisitorMut,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::{Keyword, ALL_KEYWORDS, ALL_KEYWORDS_INDEX};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan, Word};

/// What a query's names resolve to, from the schema being built.
pub(crate) trait Catalog {
    /// The table, view or materialized view (or a relation autogen does
    /// not model) a name in `FROM` finds, the search path applied.
    fn relation(&self, name: &[String]) -> Option<Relation>;
    /// The user function or aggregate a call names, if the schema has one.
    fn function(&self, name: &[String]) -> Option<QualifiedName>;
    /// The enum, domain or composite type a cast names, if the schema has
    /// one.
    fn type_name(&self, name: &[String]) -> Option<QualifiedName>;
    /// The type a cast makes, as a column of it would have it.
    fn cast_type(&self, data_type: &DataType) -> Option<SqlType>;
}

/// A relation a query reads.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Relation {
    pub name: QualifiedName,
    /// Its columns in order; `None` when they are not known (a relation
    /// the model does not describe): any column name is taken.
    pub columns: Option<Vec<String>>,
    /// The columns' types where known, in the same order (empty: none).
    pub types: Vec<Option<SqlType>>,
}

/// A rename to follow in a query's text.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Change<'a> {
    Relation { old: &'a QualifiedName, new: &'a QualifiedName },
    Column { relation: &'a QualifiedName, old: &'a str, new: &'a str },
    Type { old: &'a QualifiedName, new: &'a QualifiedName },
}

/// What reading a query found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Analysis {
    /// The output columns' names, in order.
    pub columns: Vec<String>,
    /// Their types where sure (a column read as it is, a cast, a
    /// constant, `count`, a comparison), in order.
    pub types: Vec<Option<SqlType>>,
    /// What it reads.
    pub uses: Vec<Uses>,
    /// Whether the query's text changed (a [`Change`] it follows).
    pub changed: bool,
}

/// The tokens of a query in the form the normalised text is printed from:
/// unquoted words in lower case, quotes only where PostgreSQL needs them,
/// `TRIM(side FROM x)` as the function PostgreSQL calls, a `COLLATE` after
/// a cast around its operand.
pub(crate) fn normalise_tokens(tokens: Vec<TokenWithSpan>, unquote: bool) -> Vec<TokenWithSpan> {
    let mut out: Vec<TokenWithSpan> = Vec::with_capacity(tokens.len());
    let mut index = 0;
    while index < tokens.len() {
        let word = |offset: usize| match tokens.get(index + offset).map(|token| &token.token) {
            Some(Token::Word(Word { value, quote_style: None, .. })) => {
                Some(value.to_ascii_lowercase())
            }
            _ => None,
        };
        // TRIM(BOTH FROM x) → btrim(x); LEADING → ltrim, TRAILING → rtrim.
        if word(0).as_deref() == Some("trim")
            && tokens.get(index + 1).map(|token| &token.token) == Some(&Token::LParen)
            && word(3).as_deref() == Some("from")
        {
            let function = match word(2).as_deref() {
                Some("both") => Some("btrim"),
                Some("leading") => Some("ltrim"),
                Some("trailing") => Some("rtrim"),
                _ => None,
            };
            if let Some(function) = function {
                let mut name = tokens[index].clone();
                name.token = Token::make_word(function, None);
                out.push(name);
                out.push(tokens[index + 1].clone());
                index += 4;
                continue;
            }
        }
        let mut token = tokens[index].clone();
        if let Token::Word(word) = &mut token.token {
            match word.quote_style {
                None => word.value = word.value.to_ascii_lowercase(),
                Some('"') if unquote && quote_ident(&word.value) == word.value => {
                    word.quote_style = None;
                    word.keyword = keyword(&word.value);
                }
                Some(_) => {}
            }
        }
        out.push(token);
        index += 1;
    }
    wrap_casts_before_collate(out)
}

/// sqlparser reads `COLLATE` only right after an operand, not after a cast
/// (`a::text COLLATE "C"`, as PostgreSQL's catalog prints it): the cast
/// and its operand — a name, a constant, a call or a parenthesised
/// expression — are put in parentheses.
fn wrap_casts_before_collate(tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    let is_collate = |token: &TokenWithSpan| {
        matches!(&token.token, Token::Word(word)
            if word.quote_style.is_none() && word.keyword == Keyword::COLLATE)
    };
    if !tokens.iter().any(is_collate) {
        return tokens;
    }
    let mut wraps: Vec<usize> = Vec::new();
    for collate in (0..tokens.len()).filter(|index| is_collate(&tokens[*index])) {
        // Back over the type to the `::`.
        let mut at = collate;
        let mut depth = 0usize;
        let mut cast = None;
        while at > 0 {
            match &tokens[at - 1].token {
                Token::RParen | Token::RBracket => depth += 1,
                Token::LParen | Token::LBracket if depth == 0 => break,
                Token::LParen | Token::LBracket => depth -= 1,
                Token::DoubleColon if depth == 0 => {
                    cast = Some(at - 1);
                    break;
                }
                Token::Word(_) | Token::Number(..) | Token::Period => {}
                Token::Comma if depth > 0 => {}
                _ if depth > 0 => {}
                _ => break,
            }
            at -= 1;
        }
        let Some(cast) = cast else { continue };
        // Back over one operand before the `::`.
        let mut start = cast;
        if start > 0 && matches!(tokens[start - 1].token, Token::RParen | Token::RBracket) {
            let mut depth = 0usize;
            while start > 0 {
                match &tokens[start - 1].token {
                    Token::RParen | Token::RBracket => depth += 1,
                    Token::LParen | Token::LBracket => {
                        depth -= 1;
                        if depth == 0 {
                            start -= 1;
                            break;
                        }
                    }
                    _ => {}
                }
                start -= 1;
            }
        } else {
            start = start.saturating_sub(1);
        }
        // A call's name, and a qualified name's parts.
        while start > 0 {
            match (&tokens[start - 1].token, &tokens[start].token) {
                (Token::Word(_), Token::LParen) | (Token::Period, _) => start -= 1,
                (Token::Word(_), Token::Period) => start -= 1,
                _ => break,
            }
        }
        if start < cast {
            wraps.push(start);
            wraps.push(collate);
        }
    }
    let mut out = Vec::with_capacity(tokens.len() + wraps.len());
    for (index, token) in tokens.into_iter().enumerate() {
        let opens = wraps.iter().step_by(2).filter(|start| **start == index).count();
        let closes = wraps.iter().skip(1).step_by(2).filter(|end| **end == index).count();
        for _ in 0..closes {
            out.push(TokenWithSpan { token: Token::RParen, span: token.span });
        }
        for _ in 0..opens {
            out.push(TokenWithSpan { token: Token::LParen, span: token.span });
        }
        out.push(token);
    }
    out
}

/// The keyword an unquoted word is, as sqlparser's tokenizer finds it.
fn keyword(value: &str) -> Keyword {
    let upper = value.to_ascii_uppercase();
    match ALL_KEYWORDS.binary_search(&upper.as_str()) {
        Ok(position) => ALL_KEYWORDS_INDEX[position],
        Err(_) => Keyword::NoKeyword,
    }
}

/// A query's normalised text: sqlparser's printing of it, without the
/// parentheses that cannot change what it means — around a whole `WHERE`,
/// `HAVING` or `ON` condition, a whole output column, and doubled ones — so
/// `WHERE (a > 0)` and `WHERE a > 0` read the same, and with `AS` before
/// every table alias (`FROM t a` is `FROM t AS a`).
pub(crate) fn text(query: &Query) -> String {
    struct Parentheses;
    impl VisitorMut for Parentheses {
        type Break = ();
        fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
            if let Expr::Nested(inner) = expr {
                if matches!(**inner, Expr::Nested(_)) {
                    *expr =
                        std::mem::replace(&mut **inner, Expr::value(sqlparser::ast::Value::Null));
                }
            }
            ControlFlow::Continue(())
        }
        fn post_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
            // `FROM t a` and `FROM t AS a` are one alias.
            let alias = match factor {
                TableFactor::Table { alias, .. }
                | TableFactor::Derived { alias, .. }
                | TableFactor::Function { alias, .. }
                | TableFactor::UNNEST { alias, .. }
                | TableFactor::NestedJoin { alias, .. } => alias,
                _ => return ControlFlow::Continue(()),
            };
            if let Some(alias) = alias {
                alias.explicit = true;
            }
            ControlFlow::Continue(())
        }
        fn post_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
            if let SetExpr::Select(select) = query.body.as_mut() {
                unwrap_clauses(select);
            }
            ControlFlow::Continue(())
        }
    }
    fn bare(expr: &mut Expr) {
        while let Expr::Nested(inner) = expr {
            *expr = std::mem::replace(&mut **inner, Expr::value(sqlparser::ast::Value::Null));
        }
    }
    fn unwrap_clauses(select: &mut Select) {
        select.selection.iter_mut().chain(select.having.iter_mut()).for_each(bare);
        for item in &mut select.projection {
            match item {
                SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => {
                    // A bare column keeps its parentheses' absence; a
                    // parenthesised one names the output column the same.
                    bare(expr)
                }
                _ => {}
            }
        }
        for table in &mut select.from {
            for join in &mut table.joins {
                if let Some(JoinConstraint::On(on)) = join_constraint(&mut join.join_operator) {
                    bare(on);
                }
            }
        }
    }
    let mut query = query.clone();
    let _ = query.visit(&mut Parentheses);
    query.to_string()
}

/// The constraint of a join, where it has one.
fn join_constraint(operator: &mut JoinOperator) -> Option<&mut JoinConstraint> {
    match operator {
        JoinOperator::Join(constraint)
        | JoinOperator::Inner(constraint)
        | JoinOperator::Left(constraint)
        | JoinOperator::LeftOuter(constraint)
        | JoinOperator::Right(constraint)
        | JoinOperator::RightOuter(constraint)
        | JoinOperator::FullOuter(constraint) => Some(constraint),
        _ => None,
    }
}

/// Reads a normalised text (one autogen printed) back into a query.
pub(crate) fn reparse(text: &str) -> Result<Query, String> {
    let tokens = crate::significant_tokens(text).map_err(|error| error.message)?;
    let parse = |unquote: bool| -> Result<Query, String> {
        let dialect = PostgreSqlDialect {};
        let mut parser = Parser::new(&dialect)
            .with_recursion_limit(crate::depth::PARSER_RECURSION_LIMIT)
            .with_tokens_with_locations(normalise_tokens(tokens.clone(), unquote));
        let query = parser.parse_query().map_err(|error| error.to_string())?;
        if parser.peek_token().token != Token::EOF {
            return Err(format!("unexpected `{}` after the query", parser.peek_token().token));
        }
        Ok(*query)
    };
    // A name quoted where PostgreSQL needs no quotes, which sqlparser
    // reads otherwise bare (`"top"`), keeps its quotes.
    parse(true).or_else(|_| parse(false))
}

/// Reads `query`'s names against `catalog`, following `change` if one is
/// given (the query is then rewritten in place).
pub(crate) fn analyse(
    query: &mut Query,
    catalog: &dyn Catalog,
    change: Option<Change<'_>>,
) -> Result<Analysis, String> {
    let mut walker = Walker {
        catalog,
        scopes: Vec::new(),
        ctes: Vec::new(),
        uses: BTreeSet::new(),
        change,
        changed: false,
        error: None,
        last_types: Vec::new(),
        names_read: std::collections::HashMap::new(),
    };
    let columns = walker.query(query);
    let mut types = std::mem::take(&mut walker.last_types);
    types.resize(columns.len(), None);
    if let Some(error) = walker.error {
        return Err(error);
    }
    Ok(Analysis {
        columns,
        types,
        uses: walker.uses.into_iter().collect(),
        changed: walker.changed,
    })
}

/// An identifier as PostgreSQL folds it.
fn folded(ident: &Ident) -> String {
    match ident.quote_style {
        Some(_) => ident.value.clone(),
        None => ident.value.to_ascii_lowercase(),
    }
}

/// An identifier called `name`, quoted where PostgreSQL needs it (and
/// `top`, which sqlparser reads as `SELECT TOP` bare).
pub(crate) fn ident(name: &str) -> Ident {
    let quoted = quote_ident(name) != name || name == "top";
    Ident {
        value: name.to_owned(),
        quote_style: quoted.then_some('"'),
        span: sqlparser::tokenizer::Span::empty(),
    }
}

fn object_parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|part| match part {
            ObjectNamePart::Identifier(ident) => folded(ident),
            ObjectNamePart::Function(function) => function.to_string(),
        })
        .collect()
}

/// A name in `FROM`: a base relation, a CTE, a subquery or a function.
#[derive(Debug, Clone)]
struct Binding {
    /// What the query calls it by: its alias, or its own name.
    name: String,
    /// The base relation, when it is one (a table or view).
    relation: Option<QualifiedName>,
    /// Whether an alias names it (then `schema.table.column` does not).
    aliased: bool,
    /// Its columns in order, `None` when unknown.
    columns: Option<Vec<String>>,
    /// Their types where known (empty: none known).
    types: Vec<Option<SqlType>>,
}

impl Binding {
    /// The type of its column called `column`, if known.
    fn type_of(&self, column: &str) -> Option<SqlType> {
        let position = self.columns.as_ref()?.iter().position(|known| known == column)?;
        self.types.get(position).cloned().flatten()
    }
}

/// A CTE visible: its name, its columns (`None`: not known yet, in its
/// own recursive body), their types.
type Cte = (String, Option<Vec<String>>, Vec<Option<SqlType>>);

/// One `SELECT`'s names.
#[derive(Debug, Default)]
struct Scope {
    bindings: Vec<Binding>,
    /// What `*` gives, in order: (binding, column); a column a join
    /// merges (`USING`, `NATURAL`) once, with the binding it comes from.
    star: Vec<(usize, String)>,
    /// Columns merged by `USING` or `NATURAL` joins: not ambiguous.
    merged: Vec<String>,
    /// Output names, which `ORDER BY` and `GROUP BY` may use.
    outputs: Vec<String>,
    /// Whether `outputs` count (inside `ORDER BY` and `GROUP BY`).
    outputs_visible: bool,
}

struct Walker<'c> {
    catalog: &'c dyn Catalog,
    scopes: Vec<Scope>,
    /// CTEs visible, innermost last: (name, columns, their types).
    ctes: Vec<Cte>,
    uses: BTreeSet<Uses>,
    change: Option<Change<'c>>,
    changed: bool,
    error: Option<String>,
    /// The types of the output columns of the query, set operation or
    /// `SELECT` read last (where known): what its caller takes at once.
    last_types: Vec<Option<SqlType>>,
    /// The output names of the queries read so far, by where their first
    /// `SELECT` is: a subquery named by its first column is read once.
    names_read: std::collections::HashMap<(u64, u64), Vec<String>>,
}

/// Names that are not column references though sqlparser reads them as
/// identifiers.
const SPECIAL_WORDS: &[&str] = &[
    "current_schema",
    "current_catalog",
    "current_role",
    "current_user",
    "session_user",
    "user",
    "current_date",
    "current_time",
    "current_timestamp",
    "localtime",
    "localtimestamp",
];

impl<'c> Walker<'c> {
    fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(message);
        }
    }

    /// The output names of a query.
    fn query(&mut self, query: &mut Query) -> Vec<String> {
        let ctes_before = self.ctes.len();
        if let Some(with) = &mut query.with {
            for cte in &mut with.cte_tables {
                let name = folded(&cte.alias.name);
                let listed: Vec<String> =
                    cte.alias.columns.iter().map(|c| folded(&c.name)).collect();
                if with.recursive {
                    // Visible in its own body: with its listed columns, or
                    // (not known yet) any.
                    let known = (!listed.is_empty()).then(|| listed.clone());
                    self.ctes.push((name.clone(), known, Vec::new()));
                    let derived = self.query(&mut cte.query);
                    let types = std::mem::take(&mut self.last_types);
                    self.ctes.pop();
                    self.ctes.push((name, Some(renamed_by(&listed, derived)), types));
                } else {
                    let derived = self.query(&mut cte.query);
                    let types = std::mem::take(&mut self.last_types);
                    self.ctes.push((name, Some(renamed_by(&listed, derived)), types));
                }
            }
        }
        let columns = match query.body.as_mut() {
            SetExpr::Select(select) => {
                let order_by = query.order_by.as_mut();
                self.select(select, order_by)
            }
            body => {
                let columns = self.set_expr(body);
                let types = std::mem::take(&mut self.last_types);
                // ORDER BY of a set operation: its output names (or
                // expressions over them).
                if let Some(order_by) = &mut query.order_by {
                    let scope = Scope {
                        bindings: Vec::new(),
                        outputs: columns.clone(),
                        outputs_visible: true,
                        ..Scope::default()
                    };
                    self.scopes.push(scope);
                    if let OrderByKind::Expressions(expressions) = &mut order_by.kind {
                        for expression in expressions {
                            self.expr(&mut expression.expr);
                        }
                    }
                    self.scopes.pop();
                }
                self.last_types = types;
                columns
            }
        };
        let types = std::mem::take(&mut self.last_types);
        if let Some(limit) = &mut query.limit_clause {
            match limit {
                sqlparser::ast::LimitClause::LimitOffset { limit, offset, limit_by } => {
                    if let Some(limit) = limit {
                        self.expr(limit);
                    }
                    if let Some(offset) = offset {
                        self.expr(&mut offset.value);
                    }
                    for expression in limit_by {
                        self.expr(expression);
                    }
                }
                sqlparser::ast::LimitClause::OffsetCommaLimit { offset, limit } => {
                    self.expr(offset);
                    self.expr(limit);
                }
            }
        }
        if let Some(fetch) = &mut query.fetch {
            if let Some(quantity) = &mut fetch.quantity {
                self.expr(quantity);
            }
        }
        self.ctes.truncate(ctes_before);
        self.last_types = types;
        if let Some(place) = first_select_place(query) {
            self.names_read.insert(place, columns.clone());
        }
        columns
    }

    fn set_expr(&mut self, body: &mut SetExpr) -> Vec<String> {
        match body {
            SetExpr::Select(select) => self.select(select, None),
            SetExpr::Query(query) => self.query(query),
            SetExpr::SetOperation { left, right, .. } => {
                let columns = self.set_expr(left);
                let left_types = std::mem::take(&mut self.last_types);
                let others = self.set_expr(right);
                let right_types = std::mem::take(&mut self.last_types);
                // Where the sides' types differ PostgreSQL resolves one:
                // not said here.
                self.last_types = left_types
                    .into_iter()
                    .zip(right_types)
                    .map(|(left, right)| if left == right { left } else { None })
                    .collect();
                if others.len() != columns.len() && self.error.is_none() {
                    self.fail(
                        "each query of a UNION, INTERSECT or EXCEPT must have the same number \
                         of columns"
                            .to_owned(),
                    );
                }
                columns
            }
            SetExpr::Values(values) => {
                let width = values.rows.first().map_or(0, |row| row.len());
                for row in &mut values.rows {
                    for expression in row.iter_mut() {
                        self.expr(expression);
                    }
                }
                self.last_types = Vec::new();
                (1..=width).map(|number| format!("column{number}")).collect()
            }
            SetExpr::Table(table) => {
                let mut parts = Vec::new();
                parts.extend(table.schema_name.clone());
                parts.extend(table.table_name.clone());
                match self.catalog.relation(&parts) {
                    Some(relation) => {
                        self.uses.insert(Uses::Relation(relation.name.clone()));
                        self.last_types = relation.types.clone();
                        let columns = relation.columns.unwrap_or_default();
                        for column in &columns {
                            self.uses.insert(Uses::Column(relation.name.clone(), column.clone()));
                        }
                        columns
                    }
                    None => {
                        self.fail(format!("relation `{}` does not exist", parts.join(".")));
                        Vec::new()
                    }
                }
            }
            _ => {
                self.fail("a view's query must be a SELECT, VALUES or TABLE".to_owned());
                Vec::new()
            }
        }
    }

    fn select(
        &mut self,
        select: &mut Select,
        order_by: Option<&mut sqlparser::ast::OrderBy>,
    ) -> Vec<String> {
        if select.into.is_some() {
            self.fail("a view's query cannot be SELECT … INTO".to_owned());
        }
        self.scopes.push(Scope::default());
        for from in &mut select.from {
            self.read_from_item(from);
        }
        // DISTINCT ON and the select list.
        if let Some(sqlparser::ast::Distinct::On(expressions)) = &mut select.distinct {
            for expression in expressions {
                self.expr(expression);
            }
        }
        let mut items = std::mem::take(&mut select.projection);
        let mut names = Vec::with_capacity(items.len());
        let mut types = Vec::with_capacity(items.len());
        let mut projection = Vec::with_capacity(items.len());
        for item in items.drain(..) {
            self.select_item(item, (&mut names, &mut types), &mut projection);
        }
        select.projection = projection;
        if let Some(selection) = &mut select.selection {
            self.expr(selection);
        }
        self.scope().outputs = names.clone();
        self.scope().outputs_visible = true;
        match &mut select.group_by {
            GroupByExpr::Expressions(expressions, _) => {
                for expression in expressions {
                    self.expr(expression);
                }
            }
            GroupByExpr::All(_) => {}
        }
        self.scope().outputs_visible = false;
        if let Some(having) = &mut select.having {
            self.expr(having);
        }
        for window in &mut select.named_window {
            if let sqlparser::ast::NamedWindowExpr::WindowSpec(spec) = &mut window.1 {
                for expression in &mut spec.partition_by {
                    self.expr(expression);
                }
                for order in &mut spec.order_by {
                    self.expr(&mut order.expr);
                }
            }
        }
        if let Some(qualify) = &mut select.qualify {
            self.expr(qualify);
        }
        if let Some(order_by) = order_by {
            self.scope().outputs_visible = true;
            if let OrderByKind::Expressions(expressions) = &mut order_by.kind {
                for expression in expressions {
                    self.expr(&mut expression.expr);
                }
            }
        }
        self.scopes.pop();
        self.last_types = types;
        names
    }

    fn scope(&mut self) -> &mut Scope {
        self.scopes.last_mut().expect("inside a SELECT")
    }

    /// One item of the select list: its output names and types, and the
    /// item (or, for `*` over a renamed column, the items it is spelled out
    /// as).
    fn select_item(
        &mut self,
        item: SelectItem,
        (names, types): (&mut Vec<String>, &mut Vec<Option<SqlType>>),
        projection: &mut Vec<SelectItem>,
    ) {
        match &item {
            SelectItem::UnnamedExpr(expression)
            | SelectItem::ExprWithAlias { expr: expression, .. } => {
                let found = self.type_of(expression);
                types.push(found);
            }
            SelectItem::ExprWithAliases { aliases, .. } => {
                types.extend(aliases.iter().map(|_| None))
            }
            _ => {}
        }
        match item {
            SelectItem::UnnamedExpr(mut expression) => {
                let before = figure(&expression, self);
                self.expr(&mut expression);
                let renamed = self.change.is_some() && figure(&expression, self) != before;
                if renamed {
                    // The column it names was renamed: it keeps its name.
                    projection.push(SelectItem::ExprWithAlias {
                        expr: expression,
                        alias: ident(&before),
                    });
                } else {
                    projection.push(SelectItem::UnnamedExpr(expression));
                }
                names.push(before);
            }
            SelectItem::ExprWithAlias { mut expr, alias } => {
                self.expr(&mut expr);
                names.push(folded(&alias));
                projection.push(SelectItem::ExprWithAlias { expr, alias });
            }
            SelectItem::ExprWithAliases { mut expr, aliases } => {
                self.expr(&mut expr);
                names.extend(aliases.iter().map(folded));
                projection.push(SelectItem::ExprWithAliases { expr, aliases });
            }
            SelectItem::Wildcard(options) => {
                let star = self.scope().star.clone();
                if self.scope().bindings.is_empty() {
                    self.fail("SELECT * with no tables specified is not valid".to_owned());
                }
                self.expand(
                    (None, star),
                    (names, types),
                    projection,
                    SelectItem::Wildcard(options),
                );
            }
            SelectItem::QualifiedWildcard(kind, options) => {
                let SelectItemQualifiedWildcardKind::ObjectName(name) = &kind else {
                    projection.push(SelectItem::QualifiedWildcard(kind, options));
                    return;
                };
                let parts = object_parts(name);
                let Some((depth, index)) = self.find_binding(&parts) else {
                    self.fail(format!("missing FROM-clause entry for table `{}`", parts.join(".")));
                    return;
                };
                let binding = self.scopes[depth].bindings[index].clone();
                let Some(columns) = binding.columns.clone() else {
                    self.fail(format!(
                        "autogen cannot tell which columns `{}.*` takes ({} is not modelled); \
                         name them",
                        parts.join("."),
                        binding.name
                    ));
                    return;
                };
                let star: Vec<(usize, String)> =
                    columns.into_iter().map(|column| (index, column)).collect();
                let mut renamed = name.clone();
                if let Some(Change::Relation { old, new }) = self.change {
                    if binding.relation.as_ref() == Some(old) && !binding.aliased {
                        renamed = qualifier_after(name, old, new);
                        self.changed |= renamed != *name;
                    }
                }
                // `public.t.*` is `t.*` once `FROM public.t` is `FROM t`.
                if parts.len() == 2 && visible(&parts[0]) {
                    renamed.0.remove(0);
                }
                let item = SelectItem::QualifiedWildcard(
                    SelectItemQualifiedWildcardKind::ObjectName(renamed),
                    options,
                );
                self.expand((Some(depth), star), (names, types), projection, item);
            }
        }
    }

    /// `*` (or `t.*`): its columns, each a use; spelled out when a column
    /// it takes is renamed.
    fn expand(
        &mut self,
        (depth, star): (Option<usize>, Vec<(usize, String)>),
        (names, types): (&mut Vec<String>, &mut Vec<Option<SqlType>>),
        projection: &mut Vec<SelectItem>,
        item: SelectItem,
    ) {
        let depth = depth.unwrap_or(self.scopes.len() - 1);
        let bindings = self.scopes[depth].bindings.clone();
        if let SelectItem::Wildcard(_) = item {
            if let Some(unknown) = bindings.iter().find(|binding| binding.columns.is_none()) {
                self.fail(format!(
                    "autogen cannot tell which columns `*` takes ({} is not modelled); name them",
                    unknown.name
                ));
                return;
            }
        }
        let mut spelled = false;
        if let Some(Change::Column { relation, old, .. }) = self.change {
            spelled = star.iter().any(|(index, column)| {
                bindings[*index].relation.as_ref() == Some(relation) && column == old
            });
        }
        for (index, column) in &star {
            if let Some(relation) = &bindings[*index].relation {
                self.uses.insert(Uses::Relation(relation.clone()));
                self.uses.insert(Uses::Column(relation.clone(), column.clone()));
            }
            names.push(column.clone());
            types.push(bindings[*index].type_of(column));
        }
        if !spelled {
            projection.push(item);
            return;
        }
        self.changed = true;
        let Some(Change::Column { relation, old, new }) = self.change else { return };
        for (index, column) in star {
            let binding = &bindings[index];
            let renamed = binding.relation.as_ref() == Some(relation) && column == old;
            let reference = Expr::CompoundIdentifier(vec![
                ident(&binding.name),
                ident(if renamed { new } else { &column }),
            ]);
            projection.push(match renamed {
                true => SelectItem::ExprWithAlias { expr: reference, alias: ident(&column) },
                false => SelectItem::UnnamedExpr(reference),
            });
        }
    }

    /// A `FROM` item and its joins: bindings added to the current scope.
    fn read_from_item(&mut self, from: &mut TableWithJoins) {
        let start = self.scope().star.len();
        self.table_factor(&mut from.relation);
        for join in &mut from.joins {
            let left_end = self.scope().star.len();
            self.table_factor(&mut join.relation);
            self.join(join, start, left_end);
        }
    }

    fn join(&mut self, join: &mut Join, start: usize, left_end: usize) {
        let constraint = match &mut join.join_operator {
            JoinOperator::Join(constraint)
            | JoinOperator::Inner(constraint)
            | JoinOperator::Left(constraint)
            | JoinOperator::LeftOuter(constraint)
            | JoinOperator::Right(constraint)
            | JoinOperator::RightOuter(constraint)
            | JoinOperator::FullOuter(constraint)
            | JoinOperator::CrossJoin(constraint) => constraint,
            _ => {
                self.fail("autogen does not read this kind of join in a view".to_owned());
                return;
            }
        };
        let merged: Vec<String> = match constraint {
            JoinConstraint::On(expression) => {
                self.expr(expression);
                return;
            }
            JoinConstraint::None => return,
            JoinConstraint::Using(names) => {
                names.iter().map(|name| object_parts(name).join(".")).collect()
            }
            JoinConstraint::Natural => {
                let star = &self.scope().star;
                let left: Vec<&String> = star[start..left_end].iter().map(|(_, c)| c).collect();
                star[left_end..]
                    .iter()
                    .map(|(_, column)| column)
                    .filter(|column| left.contains(column))
                    .cloned()
                    .collect()
            }
        };
        // Each merged column comes once, first, from the left side; both
        // sides' columns are read.
        let star = self.scope().star.clone();
        let mut first = Vec::new();
        let mut left = Vec::new();
        let mut right = Vec::new();
        for name in &merged {
            let on_left = star[start..left_end].iter().find(|(_, column)| column == name);
            let on_right = star[left_end..].iter().find(|(_, column)| column == name);
            for found in [on_left, on_right].into_iter().flatten() {
                self.use_column(found.0, self.scopes.len() - 1, name);
            }
            let unknown_side = |range: &[(usize, String)]| {
                range.is_empty()
                    || range.iter().any(|(index, _)| {
                        self.scopes.last().expect("scope").bindings[*index].columns.is_none()
                    })
            };
            match (on_left, on_right) {
                (Some(found), Some(_)) => first.push(found.clone()),
                (Some(found), None) if unknown_side(&star[left_end..]) => first.push(found.clone()),
                (None, Some(found)) if unknown_side(&star[start..left_end]) => {
                    first.push(found.clone())
                }
                _ => self.fail(format!(
                    "column `{name}` specified in USING clause does not exist in both tables"
                )),
            }
        }
        for item in &star[start..left_end] {
            if !merged.contains(&item.1) {
                left.push(item.clone());
            }
        }
        for item in &star[left_end..] {
            if !merged.contains(&item.1) {
                right.push(item.clone());
            }
        }
        let scope = self.scope();
        scope.star.truncate(start);
        scope.star.extend(first);
        scope.star.extend(left);
        scope.star.extend(right);
        scope.merged.extend(merged);
    }

    fn table_factor(&mut self, factor: &mut TableFactor) {
        match factor {
            TableFactor::Table { name, alias, args: None, .. } => {
                let parts = object_parts(name);
                let alias_name = alias.as_ref().map(|alias| folded(&alias.name));
                // A CTE, when the name is bare.
                if parts.len() == 1 {
                    if let Some((_, columns, types)) =
                        self.ctes.iter().rev().find(|(cte, _, _)| *cte == parts[0]).cloned()
                    {
                        let columns = alias_columns(alias.as_ref(), columns);
                        self.bind(Binding {
                            name: alias_name.unwrap_or_else(|| parts[0].clone()),
                            relation: None,
                            aliased: alias.is_some(),
                            columns,
                            types,
                        });
                        return;
                    }
                }
                let Some(relation) = self.catalog.relation(&parts) else {
                    self.fail(format!("relation `{}` does not exist", parts.join(".")));
                    return;
                };
                self.uses.insert(Uses::Relation(relation.name.clone()));
                match self.change {
                    Some(Change::Relation { old, new }) if relation.name == *old => {
                        *name = relation_name_after(name, new);
                        self.changed = true;
                    }
                    _ => *name = canonical_name(&relation.name),
                }
                let own = relation.name.name.clone();
                let columns = alias_columns(alias.as_ref(), relation.columns.clone());
                self.bind(Binding {
                    name: alias_name.unwrap_or(own),
                    relation: Some(relation.name),
                    aliased: alias.is_some(),
                    columns,
                    types: relation.types,
                });
            }
            TableFactor::Table { name, alias, args: Some(args), .. } => {
                // A function in FROM: `generate_series(1, 3) AS g(n)`.
                self.function_name(name);
                for argument in &mut args.args {
                    self.function_arg(argument);
                }
                self.bind_function(name, alias.as_ref());
            }
            TableFactor::Function { name, args, alias, .. } => {
                self.function_name(name);
                for argument in args.iter_mut() {
                    self.function_arg(argument);
                }
                self.bind_function(name, alias.as_ref());
            }
            TableFactor::Derived { subquery, alias, .. } => {
                let columns = self.query(subquery);
                let types = std::mem::take(&mut self.last_types);
                let Some(alias) = alias else {
                    // PostgreSQL 16 takes a subquery without an alias.
                    self.bind(Binding {
                        name: String::new(),
                        relation: None,
                        aliased: true,
                        columns: Some(columns),
                        types,
                    });
                    return;
                };
                let columns = alias_columns(Some(alias), Some(columns));
                self.bind(Binding {
                    name: folded(&alias.name),
                    relation: None,
                    aliased: true,
                    columns,
                    types,
                });
            }
            TableFactor::UNNEST { alias, array_exprs, .. } => {
                for expression in array_exprs {
                    self.expr(expression);
                }
                let name = alias.as_ref().map_or("unnest".to_owned(), |alias| folded(&alias.name));
                let columns = match alias {
                    Some(alias) if !alias.columns.is_empty() => {
                        Some(alias.columns.iter().map(|column| folded(&column.name)).collect())
                    }
                    _ => Some(vec![name.clone()]),
                };
                self.bind(Binding {
                    name,
                    relation: None,
                    aliased: true,
                    columns,
                    types: Vec::new(),
                });
            }
            TableFactor::NestedJoin { table_with_joins, alias } => {
                if alias.is_some() {
                    self.fail("autogen does not read an alias on a parenthesised join".to_owned());
                }
                self.read_from_item(table_with_joins);
            }
            other => self.fail(format!("autogen does not read `{other}` in a view")),
        }
    }

    fn bind(&mut self, binding: Binding) {
        let scope = self.scope();
        let index = scope.bindings.len();
        if let Some(columns) = &binding.columns {
            scope.star.extend(columns.iter().map(|column| (index, column.clone())));
        }
        if !binding.name.is_empty() && scope.bindings.iter().any(|other| other.name == binding.name)
        {
            let name = binding.name.clone();
            self.fail(format!("table name `{name}` specified more than once"));
        }
        self.scope().bindings.push(binding);
    }

    /// A function in `FROM`: one column named by its alias (or the
    /// function), or the alias's column list; a function returning rows of
    /// several columns takes any column name.
    fn bind_function(&mut self, name: &ObjectName, alias: Option<&TableAlias>) {
        let parts = object_parts(name);
        let function = parts.last().cloned().unwrap_or_default();
        let binding_name = alias.map_or(function, |alias| folded(&alias.name));
        let columns = match alias {
            Some(alias) if !alias.columns.is_empty() => {
                Some(alias.columns.iter().map(|column| folded(&column.name)).collect())
            }
            _ => None,
        };
        self.bind(Binding {
            name: binding_name,
            relation: None,
            aliased: true,
            columns,
            types: Vec::new(),
        });
    }

    fn function_name(&mut self, name: &mut ObjectName) {
        let parts = object_parts(name);
        if let Some(function) = self.catalog.function(&parts) {
            *name = canonical_name(&function);
            self.uses.insert(Uses::Function(function));
        } else if parts.len() == 2 && visible(&parts[0]) {
            name.0.remove(0);
        }
    }

    fn function_arg(&mut self, argument: &mut FunctionArg) {
        let expression = match argument {
            FunctionArg::Named { arg, .. }
            | FunctionArg::ExprNamed { arg, .. }
            | FunctionArg::Unnamed(arg) => arg,
        };
        if let FunctionArgExpr::Expr(expression) = expression {
            self.expr(expression);
        }
    }

    /// An expression: its names resolved (and renamed), subqueries read
    /// with the current scopes as their outer ones.
    fn expr(&mut self, expression: &mut Expr) {
        struct Names<'w, 'c> {
            walker: &'w mut Walker<'c>,
            /// Inside a subquery, which the walker reads on its own.
            depth: usize,
        }
        impl VisitorMut for Names<'_, '_> {
            type Break = ();
            fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
                if self.depth == 0 {
                    self.walker.query(query);
                }
                self.depth += 1;
                ControlFlow::Continue(())
            }
            fn post_visit_query(&mut self, _query: &mut Query) -> ControlFlow<()> {
                self.depth -= 1;
                ControlFlow::Continue(())
            }
            fn pre_visit_expr(&mut self, expression: &mut Expr) -> ControlFlow<()> {
                if self.depth == 0 {
                    self.walker.expr_node(expression);
                }
                ControlFlow::Continue(())
            }
        }
        let _ = expression.visit(&mut Names { walker: self, depth: 0 });
    }

    fn expr_node(&mut self, expression: &mut Expr) {
        match expression {
            Expr::Identifier(name) => {
                let column = folded(name);
                if let Some(renamed) = self.column_reference(&[], &column) {
                    *name = ident(&renamed);
                    self.changed = true;
                }
            }
            Expr::CompoundIdentifier(parts) => {
                let names: Vec<String> = parts.iter().map(folded).collect();
                let (qualifier, column) = names.split_at(names.len() - 1);
                if let Some(renamed) = self.column_reference(qualifier, &column[0]) {
                    let last = parts.len() - 1;
                    parts[last] = ident(&renamed);
                    self.changed = true;
                }
                if let Some(Change::Relation { old, new }) = self.change {
                    self.rename_qualifier(parts, old, new);
                }
                // `public.t.c` is `t.c` once `FROM public.t` is `FROM t`.
                if parts.len() == 3 && visible(&folded(&parts[0])) {
                    let qualifier = [folded(&parts[0]), folded(&parts[1])];
                    if self.find_binding(&qualifier).is_some() {
                        parts.remove(0);
                    }
                }
            }
            Expr::Function(function) => self.function_name(&mut function.name),
            Expr::Cast { data_type, .. } => self.data_type(data_type),
            Expr::TypedString(typed) => self.data_type(&mut typed.data_type),
            _ => {}
        }
    }

    fn data_type(&mut self, data_type: &mut DataType) {
        match data_type {
            DataType::Custom(name, _) => {
                let parts = object_parts(name);
                // A type renamed already (the catalog has its new name):
                // its old name is still the text's.
                let renamed = match self.change {
                    Some(Change::Type { old, .. })
                        if parts.last() == Some(&old.name)
                            && (parts.len() == 1 || parts[0] == old.schema) =>
                    {
                        Some(old.clone())
                    }
                    _ => None,
                };
                if let Some(found) = renamed.or_else(|| self.catalog.type_name(&parts)) {
                    self.uses.insert(Uses::Type(found.clone()));
                    match self.change {
                        Some(Change::Type { old, new }) if found == *old => {
                            *name = relation_name_after(name, new);
                            self.changed = true;
                        }
                        _ => *name = canonical_name(&found),
                    }
                }
            }
            DataType::Array(sqlparser::ast::ArrayElemTypeDef::SquareBracket(element, _))
            | DataType::Array(sqlparser::ast::ArrayElemTypeDef::AngleBracket(element))
            | DataType::Array(sqlparser::ast::ArrayElemTypeDef::Parenthesis(element)) => {
                self.data_type(element)
            }
            _ => {}
        }
    }

    /// The type of `expression` where sure; `None` otherwise.
    fn type_of(&mut self, expression: &Expr) -> Option<SqlType> {
        use sqlparser::ast::{BinaryOperator, UnaryOperator, Value};
        match expression {
            Expr::Identifier(name) => self.column_type(&[], &folded(name)),
            Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                let names: Vec<String> = parts.iter().map(folded).collect();
                let (qualifier, column) = names.split_at(names.len() - 1);
                self.column_type(qualifier, &column[0])
            }
            Expr::Nested(inner) => self.type_of(inner),
            Expr::Cast { data_type, .. } => self.catalog.cast_type(data_type),
            Expr::Value(value) => match &value.value {
                Value::Number(digits, _) => Some(if digits.parse::<i32>().is_ok() {
                    SqlType::Integer
                } else if digits.parse::<i64>().is_ok() {
                    SqlType::BigInt
                } else {
                    SqlType::Numeric { precision: None, scale: None }
                }),
                Value::SingleQuotedString(_) | Value::EscapedStringLiteral(_) | Value::Null => {
                    // An unknown-typed constant in a view's output is text.
                    Some(SqlType::Text)
                }
                Value::Boolean(_) => Some(SqlType::Boolean),
                _ => None,
            },
            Expr::Function(function) => {
                let name = function.name.0.last().and_then(|part| part.as_ident()).map(folded);
                let counts = name.as_deref() == Some("count") && function.over.is_none();
                (counts && self.catalog.function(&object_parts(&function.name)).is_none())
                    .then_some(SqlType::BigInt)
            }
            Expr::BinaryOp {
                op:
                    BinaryOperator::Eq
                    | BinaryOperator::NotEq
                    | BinaryOperator::Lt
                    | BinaryOperator::LtEq
                    | BinaryOperator::Gt
                    | BinaryOperator::GtEq
                    | BinaryOperator::And
                    | BinaryOperator::Or,
                ..
            } => Some(SqlType::Boolean),
            Expr::UnaryOp { op: UnaryOperator::Not, .. }
            | Expr::IsNull(_)
            | Expr::IsNotNull(_)
            | Expr::IsTrue(_)
            | Expr::IsFalse(_)
            | Expr::IsNotTrue(_)
            | Expr::IsNotFalse(_)
            | Expr::IsDistinctFrom(..)
            | Expr::IsNotDistinctFrom(..)
            | Expr::InList { .. }
            | Expr::InSubquery { .. }
            | Expr::Between { .. }
            | Expr::Like { .. }
            | Expr::ILike { .. }
            | Expr::Exists { .. } => Some(SqlType::Boolean),
            _ => None,
        }
    }

    /// The type of a column a reference names (without recording a use).
    fn column_type(&self, qualifier: &[String], column: &str) -> Option<SqlType> {
        if !qualifier.is_empty() {
            let (depth, index) = self.find_binding(qualifier)?;
            return self.scopes[depth].bindings[index].type_of(column);
        }
        for scope in self.scopes.iter().rev() {
            let mut having = scope.bindings.iter().filter(|binding| {
                binding.columns.as_ref().is_some_and(|columns| columns.iter().any(|c| c == column))
            });
            if let Some(binding) = having.next() {
                // Two that have it: ambiguous, or merged by a join (then
                // PostgreSQL may coalesce them: not said).
                return match having.next() {
                    None => binding.type_of(column),
                    Some(_) => None,
                };
            }
            if scope.bindings.iter().any(|binding| binding.columns.is_none()) {
                return None;
            }
        }
        None
    }

    /// A qualifier naming a renamed relation without an alias follows it
    /// (`t.a` → `u.a`, `app.t.a` → `app.u.a`).
    fn rename_qualifier(&mut self, parts: &mut [Ident], old: &QualifiedName, new: &QualifiedName) {
        if parts.len() < 2 {
            return;
        }
        let names: Vec<String> = parts.iter().map(folded).collect();
        let qualifier = &names[..names.len() - 1];
        let Some((depth, index)) = self.find_binding(qualifier) else { return };
        let binding = &self.scopes[depth].bindings[index];
        if binding.aliased || binding.relation.as_ref() != Some(old) {
            return;
        }
        let last = qualifier.len() - 1;
        if old.name != new.name {
            parts[last] = ident(&new.name);
            self.changed = true;
        }
        if qualifier.len() == 2 && old.schema != new.schema {
            parts[0] = ident(&new.schema);
            self.changed = true;
        }
    }

    /// The scope depth and binding a qualifier names, innermost first.
    fn find_binding(&self, qualifier: &[String]) -> Option<(usize, usize)> {
        for (depth, scope) in self.scopes.iter().enumerate().rev() {
            for (index, binding) in scope.bindings.iter().enumerate() {
                let found = match qualifier {
                    [name] => binding.name == *name,
                    [schema, name] => {
                        !binding.aliased
                            && binding.relation.as_ref().is_some_and(|relation| {
                                relation.schema == *schema && binding.name == *name
                            })
                    }
                    _ => false,
                };
                if found {
                    return Some((depth, index));
                }
            }
        }
        None
    }

    /// Records the use of `column` of binding `index` at `depth`.
    fn use_column(&mut self, index: usize, depth: usize, column: &str) {
        if let Some(relation) = &self.scopes[depth].bindings[index].relation {
            let relation = relation.clone();
            self.uses.insert(Uses::Column(relation.clone(), column.to_owned()));
            self.uses.insert(Uses::Relation(relation));
        }
    }

    /// A column reference (`qualifier` empty for a bare name): resolved,
    /// its use recorded; the new name when the change renames it.
    fn column_reference(&mut self, qualifier: &[String], column: &str) -> Option<String> {
        if qualifier.is_empty() {
            return self.bare_column(column);
        }
        if qualifier.len() > 2 {
            // catalog.schema.table.column, or a field of a composite
            // column: not resolved.
            return None;
        }
        let Some((depth, index)) = self.find_binding(qualifier) else {
            // `(composite).field` is written with parentheses; `a.b` names
            // a relation in PostgreSQL.
            self.fail(format!("missing FROM-clause entry for table `{}`", qualifier.join(".")));
            return None;
        };
        let binding = self.scopes[depth].bindings[index].clone();
        match &binding.columns {
            Some(columns) if !columns.iter().any(|known| known == column) => {
                self.fail(format!(
                    "column {}.{} does not exist",
                    qualifier.join("."),
                    quote_ident(column)
                ));
                None
            }
            _ => {
                self.use_column(index, depth, column);
                self.renamed_here(&binding, column)
            }
        }
    }

    /// The new name of `column` of `binding` if the change renames it.
    fn renamed_here(&self, binding: &Binding, column: &str) -> Option<String> {
        match self.change {
            Some(Change::Column { relation, old, new })
                if binding.relation.as_ref() == Some(relation) && column == old =>
            {
                Some(new.to_owned())
            }
            _ => None,
        }
    }

    fn bare_column(&mut self, column: &str) -> Option<String> {
        for depth in (0..self.scopes.len()).rev() {
            let scope = &self.scopes[depth];
            if scope.merged.iter().any(|merged| merged == column) {
                return None;
            }
            let mut known: Vec<usize> = Vec::new();
            let mut unknown = false;
            for (index, binding) in scope.bindings.iter().enumerate() {
                match &binding.columns {
                    Some(columns) if columns.iter().any(|known| known == column) => {
                        known.push(index)
                    }
                    Some(_) => {}
                    None => unknown = true,
                }
            }
            if scope.outputs_visible && scope.outputs.iter().any(|output| output == column) {
                // ORDER BY / GROUP BY an output name: no column of its own.
                if known.len() <= 1 {
                    for index in known {
                        self.use_column(index, depth, column);
                    }
                }
                return None;
            }
            match known.as_slice() {
                [index] => {
                    let binding = self.scopes[depth].bindings[*index].clone();
                    self.use_column(*index, depth, column);
                    return self.renamed_here(&binding, column);
                }
                [] if unknown => return None,
                [] => {}
                _ => {
                    self.fail(format!("column reference `{column}` is ambiguous"));
                    return None;
                }
            }
        }
        // A relation's name alone: its whole row.
        for depth in (0..self.scopes.len()).rev() {
            let found =
                self.scopes[depth].bindings.iter().position(|binding| binding.name == column);
            if let Some(index) = found {
                if let Some(relation) = self.scopes[depth].bindings[index].relation.clone() {
                    self.uses.insert(Uses::Relation(relation));
                }
                return None;
            }
        }
        if !SPECIAL_WORDS.contains(&column) {
            self.fail(format!("column `{column}` does not exist"));
        }
        None
    }
}

/// A relation's columns as an alias renames them (`AS x(a, b)` renames the
/// first ones).
fn alias_columns(alias: Option<&TableAlias>, columns: Option<Vec<String>>) -> Option<Vec<String>> {
    let listed: Vec<String> = alias.map_or_else(Vec::new, |alias| {
        alias.columns.iter().map(|column| folded(&column.name)).collect()
    });
    match columns {
        Some(columns) => Some(renamed_by(&listed, columns)),
        None if !listed.is_empty() => Some(listed),
        None => None,
    }
}

/// `columns` with the first ones called as `listed` says.
fn renamed_by(listed: &[String], mut columns: Vec<String>) -> Vec<String> {
    for (position, name) in listed.iter().enumerate() {
        match columns.get_mut(position) {
            Some(column) => *column = name.clone(),
            None => columns.push(name.clone()),
        }
    }
    columns
}

/// A relation's name in `FROM` after it is renamed to `new`: qualified as
/// written, or bare when it was bare and stays in `public`.
fn relation_name_after(_name: &ObjectName, new: &QualifiedName) -> ObjectName {
    canonical_name(new)
}

/// A name as PostgreSQL's catalog prints it with `search_path = public`:
/// bare in `public` (and `pg_catalog`), qualified elsewhere — so that the
/// text says the same whatever search path it was read with.
fn canonical_name(name: &QualifiedName) -> ObjectName {
    let parts = if visible(&name.schema) {
        vec![ident(&name.name)]
    } else {
        vec![ident(&name.schema), ident(&name.name)]
    };
    ObjectName(parts.into_iter().map(ObjectNamePart::Identifier).collect())
}

/// Whether a schema's objects print without it.
fn visible(schema: &str) -> bool {
    matches!(schema, "public" | "pg_catalog")
}

/// A `t.*` qualifier after relation `old` is renamed to `new`.
fn qualifier_after(name: &ObjectName, old: &QualifiedName, new: &QualifiedName) -> ObjectName {
    let mut parts = name.0.clone();
    let last = parts.len() - 1;
    if old.name != new.name {
        parts[last] = ObjectNamePart::Identifier(ident(&new.name));
    }
    if parts.len() == 2 && old.schema != new.schema {
        parts[0] = ObjectNamePart::Identifier(ident(&new.schema));
    }
    ObjectName(parts)
}

/// `FigureColname`: the name PostgreSQL gives an output column written as
/// `expression` without an alias.
fn figure(expression: &Expr, walker: &mut Walker<'_>) -> String {
    let (name, _) = figure_with_strength(expression, walker);
    name.unwrap_or_else(|| "?column?".to_owned())
}

/// The name and its strength (2: a name of its own; 1: a fallback, such as
/// a cast's type, which an inner name of strength 2 beats).
fn figure_with_strength(expression: &Expr, walker: &mut Walker<'_>) -> (Option<String>, u8) {
    let named = |name: &str| (Some(name.to_owned()), 2);
    match expression {
        Expr::Identifier(ident) => (Some(folded(ident)), 2),
        Expr::CompoundIdentifier(parts) => (parts.last().map(folded), 2),
        Expr::CompoundFieldAccess { root, access_chain } => {
            let field = access_chain.iter().rev().find_map(|access| match access {
                sqlparser::ast::AccessExpr::Dot(Expr::Identifier(ident)) => Some(folded(ident)),
                _ => None,
            });
            match field {
                Some(field) => (Some(field), 2),
                None => figure_with_strength(root, walker),
            }
        }
        Expr::Nested(inner) => figure_with_strength(inner, walker),
        Expr::Collate { expr, .. } => figure_with_strength(expr, walker),
        Expr::Function(function) => {
            let name = function.name.0.last().and_then(|part| part.as_ident()).map(folded);
            (name, 2)
        }
        Expr::Cast { expr, data_type, .. } => {
            let (inner, strength) = figure_with_strength(expr, walker);
            if strength <= 1 {
                (Some(cast_type_name(data_type)), 1)
            } else {
                (inner, strength)
            }
        }
        Expr::TypedString(typed) => (Some(cast_type_name(&typed.data_type)), 1),
        Expr::Interval(_) => (Some("interval".to_owned()), 1),
        Expr::Case { .. } => (Some("case".to_owned()), 1),
        Expr::Array(_) => named("array"),
        Expr::Exists { .. } => named("exists"),
        Expr::Tuple(_) => named("row"),
        Expr::Extract { .. } => named("extract"),
        Expr::Substring { .. } => named("substring"),
        Expr::Position { .. } => named("position"),
        Expr::Overlay { .. } => named("overlay"),
        Expr::Ceil { .. } => named("ceil"),
        Expr::Floor { .. } => named("floor"),
        Expr::AtTimeZone { .. } => named("timezone"),
        Expr::Trim { trim_where, .. } => match trim_where {
            Some(sqlparser::ast::TrimWhereField::Leading) => named("ltrim"),
            Some(sqlparser::ast::TrimWhereField::Trailing) => named("rtrim"),
            _ => named("btrim"),
        },
        Expr::Subquery(query) => match first_output(query) {
            // The subquery's first output name, read off its select list.
            Some(Ok(name)) => (Some(name), 2),
            Some(Err(expression)) => figure_with_strength(expression, walker),
            // Its first item is `*`: the columns it takes say.
            None => {
                if let Some(names) =
                    first_select_place(query).and_then(|place| walker.names_read.get(&place))
                {
                    return (names.first().cloned(), 2);
                }
                let mut copy = query.as_ref().clone();
                let saved = (walker.change, walker.changed, walker.error.clone());
                walker.change = None;
                let names = walker.query(&mut copy);
                (walker.change, walker.changed, walker.error) = saved;
                (names.into_iter().next(), 2)
            }
        },
        _ => (None, 0),
    }
}

/// Where a query's first `SELECT` keyword is (line, column), if it has one.
fn first_select_place(query: &Query) -> Option<(u64, u64)> {
    let mut body = query.body.as_ref();
    loop {
        match body {
            SetExpr::SetOperation { left, .. } => body = left,
            SetExpr::Query(inner) => body = inner.body.as_ref(),
            SetExpr::Select(select) => {
                let start = select.select_token.0.span.start;
                return (start.line > 0).then_some((start.line, start.column));
            }
            _ => return None,
        }
    }
}

/// A query's first select item: its alias (`Ok`), or its expression
/// (`Err`) to name; `None` when it is `*` or the query is no `SELECT`.
fn first_output(query: &Query) -> Option<Result<String, &Expr>> {
    let mut body = query.body.as_ref();
    loop {
        match body {
            SetExpr::SetOperation { left, .. } => body = left,
            SetExpr::Query(inner) => body = inner.body.as_ref(),
            SetExpr::Select(select) => {
                return match select.projection.first()? {
                    SelectItem::UnnamedExpr(expression) => Some(Err(expression)),
                    SelectItem::ExprWithAlias { alias, .. } => Some(Ok(folded(alias))),
                    SelectItem::ExprWithAliases { aliases, .. } => {
                        aliases.first().map(|alias| Ok(folded(alias)))
                    }
                    _ => None,
                }
            }
            _ => return None,
        }
    }
}

/// The name of a cast's type as PostgreSQL's grammar keeps it (the last
/// part of the type's name: `int4` for `integer`, `bpchar` for `char`).
fn cast_type_name(data_type: &DataType) -> String {
    use DataType::*;
    let name = match data_type {
        Int(_) | Integer(_) | Int4(_) => "int4",
        SmallInt(_) | Int2(_) => "int2",
        BigInt(_) | Int8(_) => "int8",
        Real | Float4 => "float4",
        DoublePrecision | Float8 => "float8",
        Float(info) => match info {
            sqlparser::ast::ExactNumberInfo::Precision(precision)
            | sqlparser::ast::ExactNumberInfo::PrecisionAndScale(precision, _)
                if *precision <= 24 =>
            {
                "float4"
            }
            _ => "float8",
        },
        Numeric(_) | Decimal(_) | Dec(_) => "numeric",
        Boolean | Bool => "bool",
        Varchar(_) | CharacterVarying(_) | CharVarying(_) => "varchar",
        Char(_) | Character(_) => "bpchar",
        Text => "text",
        Date => "date",
        Time(_, sqlparser::ast::TimezoneInfo::WithTimeZone | sqlparser::ast::TimezoneInfo::Tz) => {
            "timetz"
        }
        Time(..) => "time",
        Timestamp(
            _,
            sqlparser::ast::TimezoneInfo::WithTimeZone | sqlparser::ast::TimezoneInfo::Tz,
        ) => "timestamptz",
        Timestamp(..) => "timestamp",
        Interval { .. } => "interval",
        JSON => "json",
        JSONB => "jsonb",
        Uuid => "uuid",
        Bytea => "bytea",
        Bit(_) => "bit",
        BitVarying(_) | VarBit(_) => "varbit",
        Regclass => "regclass",
        Array(sqlparser::ast::ArrayElemTypeDef::SquareBracket(element, _))
        | Array(sqlparser::ast::ArrayElemTypeDef::AngleBracket(element))
        | Array(sqlparser::ast::ArrayElemTypeDef::Parenthesis(element)) => {
            return cast_type_name(element)
        }
        Custom(name, _) => {
            return name
                .0
                .last()
                .and_then(|part| part.as_ident())
                .map(folded)
                .unwrap_or_else(|| "?column?".to_owned())
        }
        other => {
            let printed = other.to_string().to_ascii_lowercase();
            return printed.split(['(', ' ', '[']).next().unwrap_or_default().to_owned();
        }
    };
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixture;

    impl Catalog for Fixture {
        fn relation(&self, name: &[String]) -> Option<Relation> {
            let (schema, object) = match name {
                [object] => ("public", object.as_str()),
                [schema, object] => (schema.as_str(), object.as_str()),
                _ => return None,
            };
            let columns: &[&str] = match (schema, object) {
                ("public", "t") => &["id", "a", "b"],
                ("public", "u") => &["id", "t_id", "c"],
                ("app", "w") => &["id", "Mixed"],
                ("public", "outside") => {
                    return Some(Relation {
                        name: QualifiedName::new("public", "outside"),
                        columns: None,
                        types: Vec::new(),
                    })
                }
                _ => return None,
            };
            Some(Relation {
                name: QualifiedName::new(schema, object),
                columns: Some(columns.iter().map(|c| (*c).to_owned()).collect()),
                types: columns.iter().map(|_| Some(SqlType::Integer)).collect(),
            })
        }
        fn function(&self, name: &[String]) -> Option<QualifiedName> {
            (name.last().map(String::as_str) == Some("mine"))
                .then(|| QualifiedName::new("public", "mine"))
        }
        fn cast_type(&self, data_type: &DataType) -> Option<SqlType> {
            matches!(data_type, DataType::Text).then_some(SqlType::Text)
        }
        fn type_name(&self, name: &[String]) -> Option<QualifiedName> {
            (name.last().map(String::as_str) == Some("mood"))
                .then(|| QualifiedName::new("public", "mood"))
        }
    }

    fn parse(text: &str) -> Query {
        reparse(text).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    fn read(text: &str) -> Result<Analysis, String> {
        analyse(&mut parse(text), &Fixture, None)
    }

    fn names(text: &str) -> Vec<String> {
        read(text).unwrap_or_else(|error| panic!("{text}: {error}")).columns
    }

    #[test]
    fn two_spellings_of_one_query_read_the_same() {
        let one = text(&parse("SELECT a, \"b\" AS \"B\" FROM T WHERE A > 1 -- note\n"));
        let two = text(&parse("select  \"a\",b as \"B\"\n from t\n where (a > 1)"));
        assert_eq!(text(&parse("select a from \"t\"")), "SELECT a FROM t");
        assert_eq!(one, "SELECT a, b AS \"B\" FROM t WHERE a > 1");
        assert_eq!(one, two, "parentheses around a whole condition do not count");
        // Nor does `AS` before a table alias, or parentheses doubled.
        assert_eq!(
            text(&parse("SELECT x.a FROM t x WHERE ((x.a > 1)) AND (x.b OR x.c)")),
            "SELECT x.a FROM t AS x WHERE (x.a > 1) AND (x.b OR x.c)"
        );
        assert_eq!(text(&parse("SELECT TRIM(BOTH FROM a) FROM t")), "SELECT btrim(a) FROM t");
    }

    #[test]
    fn normalising_is_stable() {
        for query in [
            "SELECT a::text COLLATE \"C\", 'x'::Mood, \"Mixed\" FROM app.w, t",
            "SELECT count(*) FILTER (WHERE a > 1) OVER (PARTITION BY b) FROM t",
            "SELECT CASE WHEN a IS NULL THEN 'x' ELSE b::varchar(3) END FROM t ORDER BY 1 DESC NULLS LAST",
            "SELECT a FROM t UNION ALL SELECT c FROM u EXCEPT SELECT 1",
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r",
            "SELECT EXTRACT(year FROM now()), SUBSTRING('abc' FROM 1 FOR 2), POSITION('a' IN 'ba'), interval '1 day'",
            "SELECT \"select\", \"Name\", name, value, type FROM x",
            "SELECT \"top\", \"date\" FROM x",
        ] {
            let once = text(&parse(query));
            let twice = text(&parse(&once));
            assert_eq!(once, twice, "{query}");
        }
    }

    #[test]
    fn output_names_are_postgresqls() {
        assert_eq!(
            names(
                "SELECT id, t.a, b AS bee, count(*), a::text, 'x'::text, 1, a + 1, \
                   CASE WHEN true THEN 1 END, (SELECT c FROM u LIMIT 1), \
                   EXISTS (SELECT 1), now()::date, coalesce(a, b), ARRAY[1], 1::integer FROM t"
            ),
            [
                "id", "a", "bee", "count", "a", "text", "?column?", "?column?", "case", "c",
                "exists", "now", "coalesce", "array", "int4"
            ]
        );
        assert_eq!(names("SELECT * FROM t"), ["id", "a", "b"]);
        assert_eq!(
            names("SELECT u.*, t.a FROM t JOIN u ON u.t_id = t.id"),
            ["id", "t_id", "c", "a"]
        );
        assert_eq!(names("SELECT * FROM t JOIN u USING (id)"), ["id", "a", "b", "t_id", "c"]);
        assert_eq!(names("SELECT * FROM (SELECT a AS x, b FROM t) s (y)"), ["y", "b"]);
        assert_eq!(names("WITH q AS (SELECT a FROM t) SELECT * FROM q"), ["a"]);
        assert_eq!(names("SELECT a FROM t UNION SELECT c FROM u"), ["a"]);
        assert_eq!(names("VALUES (1, 2)"), ["column1", "column2"]);
        assert_eq!(names("SELECT g FROM generate_series(1, 3) g"), ["g"]);
    }

    #[test]
    fn output_types_are_said_where_sure() {
        let read = read(
            "SELECT id, t.a, a::text, 1, 2147483648, 1.5, 'x', count(*), a > 1, now(), \
             (SELECT b FROM t) FROM t",
        )
        .unwrap();
        let types: Vec<String> = (read.types.iter())
            .map(|found| found.as_ref().map_or("?".to_owned(), ToString::to_string))
            .collect();
        assert_eq!(
            types,
            [
                "integer", "integer", "text", "integer", "bigint", "numeric", "text", "bigint",
                "boolean", "?", "?"
            ]
        );
    }

    #[test]
    fn what_is_not_there_is_an_error_as_postgresql_says_it() {
        for (query, expected) in [
            ("SELECT a FROM nothing", "relation `nothing` does not exist"),
            ("SELECT z FROM t", "column `z` does not exist"),
            ("SELECT t.z FROM t", "column t.z does not exist"),
            ("SELECT x.a FROM t", "missing FROM-clause entry for table `x`"),
            ("SELECT id FROM t, u", "column reference `id` is ambiguous"),
            ("SELECT * FROM outside", "autogen cannot tell which columns `*` takes"),
        ] {
            let error = read(query).unwrap_err();
            assert!(error.contains(expected), "{query}: {error}");
        }
        // Columns of a relation autogen does not model are taken.
        assert!(read("SELECT whatever FROM outside").is_ok());
        // An output name in ORDER BY, a whole row, a correlated subquery.
        assert!(read("SELECT a AS x FROM t ORDER BY x").is_ok());
        assert!(read("SELECT row_to_json(t) FROM t").is_ok());
        assert!(read("SELECT (SELECT c FROM u WHERE u.t_id = t.id) FROM t").is_ok());
    }

    #[test]
    fn uses_are_the_relations_columns_functions_and_types_read() {
        let read = read("SELECT t.a, mine(c)::mood FROM t JOIN u ON u.t_id = t.id").unwrap();
        let printed: Vec<String> = read.uses.iter().map(|uses| format!("{uses:?}")).collect();
        assert_eq!(
            printed,
            [
                "Relation(QualifiedName { schema: \"public\", name: \"t\" })",
                "Relation(QualifiedName { schema: \"public\", name: \"u\" })",
                "Column(QualifiedName { schema: \"public\", name: \"t\" }, \"a\")",
                "Column(QualifiedName { schema: \"public\", name: \"t\" }, \"id\")",
                "Column(QualifiedName { schema: \"public\", name: \"u\" }, \"c\")",
                "Column(QualifiedName { schema: \"public\", name: \"u\" }, \"t_id\")",
                "Type(QualifiedName { schema: \"public\", name: \"mood\" })",
                "Function(QualifiedName { schema: \"public\", name: \"mine\" })",
            ]
        );
    }

    fn changed(query: &str, change: Change<'_>) -> String {
        let mut parsed = parse(query);
        analyse(&mut parsed, &Fixture, Some(change)).unwrap();
        text(&parsed)
    }

    #[test]
    fn renames_are_followed_as_the_catalog_prints_them() {
        let t = QualifiedName::new("public", "t");
        let column = Change::Column { relation: &t, old: "a", new: "z" };
        // Fixture's `t` has `a`: the rename's text reads the old schema.
        assert_eq!(
            changed("SELECT a, t.a AS x FROM t WHERE a > 0", column),
            "SELECT z AS a, t.z AS x FROM t WHERE z > 0"
        );
        assert_eq!(changed("SELECT * FROM t", column), "SELECT t.id, t.z AS a, t.b FROM t");
        let renamed = QualifiedName::new("public", "t2");
        let relation = Change::Relation { old: &t, new: &renamed };
        assert_eq!(
            changed("SELECT t.a, x.b FROM t, t AS x", relation),
            "SELECT t2.a, x.b FROM t2, t2 AS x"
        );
        let moved = QualifiedName::new("app", "t");
        assert_eq!(
            changed("SELECT t.a FROM t", Change::Relation { old: &t, new: &moved }),
            "SELECT t.a FROM app.t"
        );
    }
}
