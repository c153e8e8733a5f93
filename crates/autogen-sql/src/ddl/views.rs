//! The statements of views and materialized views, read into [`Ddl`]:
//! `CREATE [OR REPLACE] [RECURSIVE] VIEW`, `CREATE MATERIALIZED VIEW`,
//! `ALTER [MATERIALIZED] VIEW`, `REFRESH MATERIALIZED VIEW`. The query is
//! handed to sqlparser in its normalised form (`crate::query`).

use sqlparser::ast::Query;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan};

use autogen_schema::CheckOption;

use super::{not_too_deep, parser_error, Cursor, Ddl, Error, Name};
use crate::{depth, Location};

/// `CREATE [OR REPLACE] [RECURSIVE] VIEW name [(columns)] [WITH (options)]
/// AS query [WITH [LOCAL | CASCADED] CHECK OPTION]` or `CREATE MATERIALIZED
/// VIEW [IF NOT EXISTS] name [(columns)] [USING method] [WITH (parameters)]
/// [TABLESPACE t] AS query [WITH [NO] DATA]`
#[derive(Debug, Clone, PartialEq)]
pub struct CreateView {
    pub name: Name,
    pub materialized: bool,
    pub or_replace: bool,
    pub if_not_exists: bool,
    /// The column list, as written (a `RECURSIVE` view's is its CTE's).
    pub columns: Vec<String>,
    /// `WITH (…)`: names folded, values as PostgreSQL keeps their text.
    pub options: Vec<(String, String)>,
    /// The query, read from its normalised tokens.
    pub query: Query,
    pub check_option: Option<CheckOption>,
    /// Not `WITH NO DATA`.
    pub with_data: bool,
}

/// `ALTER [MATERIALIZED] VIEW name …` (and `ALTER TABLE` on a view).
#[derive(Debug, Clone, PartialEq)]
pub enum AlterView {
    RenameTo(String),
    RenameColumn {
        old: String,
        new: String,
    },
    SetSchema(String),
    /// `SET (name = value, …)`
    SetOptions(Vec<(String, String)>),
    /// `RESET (name, …)`
    ResetOptions(Vec<String>),
    /// What the model does not hold (a column's default on a view, a
    /// materialized view's `CLUSTER ON`, its columns' statistics): a
    /// warning naming it.
    Unmodelled(String),
    /// `OWNER TO`, `SET TABLESPACE`: nothing the model holds.
    Nothing,
}

impl Cursor {
    /// After `CREATE`: a view, if the statement makes one.
    pub(super) fn create_view(&mut self) -> Option<Result<Ddl, Error>> {
        let start = self.index;
        let or_replace = self.eat_all(&["or", "replace"]);
        let recursive = self.eat("recursive");
        let materialized = !or_replace && !recursive && self.eat("materialized");
        if !self.eat("view") {
            self.index = start;
            return None;
        }
        Some(self.view_rest(or_replace, recursive, materialized))
    }

    fn view_rest(
        &mut self,
        or_replace: bool,
        recursive: bool,
        materialized: bool,
    ) -> Result<Ddl, Error> {
        let if_not_exists = materialized && self.if_not_exists();
        let name = self.name()?;
        let columns =
            if self.peek() == Some(&Token::LParen) { self.identifier_list()? } else { Vec::new() };
        if recursive && columns.is_empty() {
            return self.error("a RECURSIVE view needs a column list");
        }
        let mut options = Vec::new();
        loop {
            if materialized && self.eat("using") {
                self.identifier()?;
            } else if self.eat("with") {
                options.extend(self.storage_parameters()?);
            } else if materialized && self.eat("tablespace") {
                self.identifier()?;
            } else {
                break;
            }
        }
        self.expect("as")?;
        let location = self.location();
        let mut end = self.tokens.len();
        let word = |cursor: &Cursor, index: usize| -> Option<String> {
            match cursor.tokens.get(index).map(|token| &token.token) {
                Some(Token::Word(word)) if word.quote_style.is_none() => {
                    Some(word.value.to_ascii_lowercase())
                }
                _ => None,
            }
        };
        let tail = |cursor: &Cursor, words: &[&str], end: usize| -> bool {
            end >= words.len() + cursor.index
                && words.iter().enumerate().all(|(offset, expected)| {
                    word(cursor, end - words.len() + offset).as_deref() == Some(*expected)
                })
        };
        let mut check_option = None;
        let mut with_data = true;
        if materialized {
            if tail(self, &["with", "no", "data"], end) {
                with_data = false;
                end -= 3;
            } else if tail(self, &["with", "data"], end) {
                end -= 2;
            }
        } else if tail(self, &["with", "local", "check", "option"], end) {
            check_option = Some(CheckOption::Local);
            end -= 4;
        } else if tail(self, &["with", "cascaded", "check", "option"], end) {
            check_option = Some(CheckOption::Cascaded);
            end -= 4;
        } else if tail(self, &["with", "check", "option"], end) {
            check_option = Some(CheckOption::Cascaded);
            end -= 3;
        }
        let tokens: Vec<TokenWithSpan> = self.tokens[self.index..end].to_vec();
        self.index = self.tokens.len();
        if tokens.is_empty() {
            return Err((location, "expected a query after AS".to_owned()));
        }
        let query = if recursive {
            recursive_query(&name, &columns, tokens, location)?
        } else {
            parse_query(tokens, location)?
        };
        // `WITH (check_option = …)` says it too.
        options.retain(|(option, value)| {
            if option == "check_option" {
                check_option = match value.as_str() {
                    "local" => Some(CheckOption::Local),
                    _ => Some(CheckOption::Cascaded),
                };
                false
            } else {
                true
            }
        });
        Ok(Ddl::CreateView(CreateView {
            name,
            materialized,
            or_replace,
            if_not_exists,
            columns,
            options,
            query,
            check_option,
            with_data,
        }))
    }

    /// After `ALTER`: `VIEW` or `MATERIALIZED VIEW` and its action.
    pub(super) fn alter_view(&mut self) -> Option<Result<Ddl, Error>> {
        let materialized = self.eat_all(&["materialized", "view"]);
        if !materialized && !self.eat("view") {
            return None;
        }
        Some(self.alter_view_rest(materialized))
    }

    fn alter_view_rest(&mut self, materialized: bool) -> Result<Ddl, Error> {
        let if_exists = self.if_exists();
        let name = self.name()?;
        let action = self.alter_view_action(materialized)?;
        Ok(Ddl::AlterView { name, if_exists, materialized, action })
    }

    /// One action of `ALTER [MATERIALIZED] VIEW` (or of `ALTER TABLE` on a
    /// view).
    pub(super) fn alter_view_action(&mut self, materialized: bool) -> Result<AlterView, Error> {
        let what = if materialized { "materialized views" } else { "views" };
        let action = if self.eat("rename") {
            if self.eat("to") {
                AlterView::RenameTo(self.identifier()?)
            } else {
                self.eat("column");
                let old = self.identifier()?;
                self.expect("to")?;
                AlterView::RenameColumn { old, new: self.identifier()? }
            }
        } else if self.eat_all(&["set", "schema"]) {
            AlterView::SetSchema(self.identifier()?)
        } else if self.is("set")
            && self.tokens.get(self.index + 1).map(|t| &t.token) == Some(&Token::LParen)
        {
            self.index += 1;
            AlterView::SetOptions(self.storage_parameters()?)
        } else if self.eat("reset") {
            let names = self.parenthesized_list(|cursor| {
                let mut name = cursor.identifier()?;
                while cursor.eat_token(&Token::Period) {
                    name = format!("{name}.{}", cursor.identifier()?);
                }
                Ok(name)
            })?;
            AlterView::ResetOptions(names)
        } else if self.eat_all(&["owner", "to"]) || self.eat_all(&["set", "tablespace"]) {
            AlterView::Nothing
        } else if self.eat("alter") {
            self.eat("column");
            let column = self.identifier()?;
            if !materialized
                && (self.is("set") || self.is("drop"))
                && self.word_at(1).as_deref() == Some("default")
            {
                AlterView::Unmodelled(format!("a default of view column `{column}`"))
            } else {
                AlterView::Unmodelled(format!("column settings of {what} (`{column}`)"))
            }
        } else if materialized
            && (self.is("cluster") || self.eat_all(&["set", "without", "cluster"]))
        {
            AlterView::Unmodelled("CLUSTER ON of materialized views".to_owned())
        } else if self.is("depends") || self.is("no") {
            AlterView::Unmodelled("dependencies of materialized views on extensions".to_owned())
        } else if self.eat_all(&["set", "access", "method"]) {
            AlterView::Nothing
        } else {
            return Err(self.unexpected("RENAME, SET SCHEMA, SET (…), RESET (…) or OWNER TO"));
        };
        self.index = self.tokens.len();
        Ok(action)
    }

    /// After `REFRESH`: `MATERIALIZED VIEW [CONCURRENTLY] name [WITH [NO]
    /// DATA]`.
    pub(super) fn refresh(&mut self) -> Result<Ddl, Error> {
        self.expect("materialized")?;
        self.expect("view")?;
        self.eat("concurrently");
        let name = self.name()?;
        let with_data = !self.eat_all(&["with", "no", "data"]);
        self.eat_all(&["with", "data"]);
        Ok(Ddl::RefreshMaterializedView { name, with_data })
    }
}

/// A query from its tokens: normalised, then read by sqlparser.
pub(crate) fn parse_query(tokens: Vec<TokenWithSpan>, location: Location) -> Result<Query, Error> {
    not_too_deep(&tokens, "query")?;
    // Each UNION, INTERSECT or EXCEPT nests the query one level deeper.
    let set_operations = tokens.iter().filter(|token| {
        matches!(&token.token, sqlparser::tokenizer::Token::Word(word)
            if word.quote_style.is_none()
                && matches!(word.keyword, sqlparser::keywords::Keyword::UNION
                    | sqlparser::keywords::Keyword::INTERSECT
                    | sqlparser::keywords::Keyword::EXCEPT))
    });
    if let Some(token) = set_operations.clone().nth(depth::MAX_NESTING) {
        return Err((
            Location { line: token.span.start.line, column: token.span.start.column },
            format!(
                "query nested too deeply: more than {} UNION, INTERSECT or EXCEPT; autogen reads \
                 up to {}",
                depth::MAX_NESTING,
                depth::MAX_NESTING
            ),
        ));
    }
    let parse = |unquote: bool| -> Result<Query, Error> {
        let dialect = PostgreSqlDialect {};
        let mut parser = Parser::new(&dialect)
            .with_recursion_limit(depth::PARSER_RECURSION_LIMIT)
            .with_tokens_with_locations(crate::query::normalise_tokens(tokens.clone(), unquote));
        let query = parser.parse_query().map_err(|error| parser_error(error, location, "query"))?;
        let rest = parser.peek_token();
        if rest.token != Token::EOF {
            return Err((
                Location { line: rest.span.start.line, column: rest.span.start.column },
                format!("unexpected `{}` after the view's query", rest.token),
            ));
        }
        Ok(*query)
    };
    // A name quoted where PostgreSQL needs no quotes, which sqlparser
    // reads otherwise bare (`"top"`), keeps its quotes; an error is the
    // text's as written.
    parse(true).or_else(|_| parse(false))
}

/// `CREATE RECURSIVE VIEW v (columns) AS q` is `CREATE VIEW v AS WITH
/// RECURSIVE v (columns) AS (q) SELECT columns FROM v`, as PostgreSQL
/// makes it.
fn recursive_query(
    name: &Name,
    columns: &[String],
    tokens: Vec<TokenWithSpan>,
    location: Location,
) -> Result<Query, Error> {
    let inner = parse_query(tokens, location)?;
    let view = autogen_schema::quote_ident(name.object());
    let listed: Vec<String> =
        columns.iter().map(|column| autogen_schema::quote_ident(column)).collect();
    let listed = listed.join(", ");
    let text = format!("WITH RECURSIVE {view} ({listed}) AS ({inner}) SELECT {listed} FROM {view}");
    crate::query::reparse(&text).map_err(|message| (location, message))
}
