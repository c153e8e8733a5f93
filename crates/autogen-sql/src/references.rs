//! What a statement about an object the model does not describe refers
//! to — the relations and columns a view's query reads, the types, foreign
//! keys, sequences and parents of a partitioned, inherited or foreign
//! table — read with sqlparser, so that the replay can tell which modelled
//! objects it depends on (`autogen_schema::Unmodelled`). Syntax only: the
//! builder resolves the names. What sqlparser cannot read gives nothing.

use std::ops::ControlFlow;

use sqlparser::ast::{
    ColumnOption, CreateTable, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
    ObjectName, Statement, TableConstraint, Value, Visit, Visitor,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use crate::ddl::Name;

/// The names a statement refers to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct References {
    /// Relations read (a view's `FROM`, `JOIN`, subqueries).
    pub relations: Vec<Name>,
    /// Words that may name a column of those relations.
    pub columns: Vec<String>,
    /// Whether the query takes every column (`*`, `t.*`).
    pub star: bool,
    /// Types of the columns a table declares.
    pub types: Vec<Name>,
    /// `REFERENCES t (columns)`: the table and its columns (empty: its
    /// primary key).
    pub foreign_keys: Vec<(Name, Vec<String>)>,
    /// `nextval('s')` in a column default: the sequence's name as written.
    pub sequences: Vec<String>,
    /// `INHERITS (parents)`.
    pub parents: Vec<Name>,
    /// Functions called (a view's query, a table's defaults and checks).
    pub functions: Vec<Name>,
}

/// An identifier as PostgreSQL folds it.
fn word(ident: &sqlparser::ast::Ident) -> String {
    match ident.quote_style {
        Some(_) => ident.value.clone(),
        None => ident.value.to_lowercase(),
    }
}

/// The word an identifier expression may name a column by (`NEW.total`
/// and `o.total` give `total`).
fn column_word(expression: &Expr, columns: &mut Vec<String>) {
    match expression {
        Expr::Identifier(ident) => columns.push(word(ident)),
        Expr::CompoundIdentifier(parts) => columns.extend(parts.last().map(word)),
        _ => {}
    }
}

/// The references of `text`, one statement.
pub fn of(text: &str) -> References {
    let plain = foreign_as_plain(text);
    let text = plain.as_deref().unwrap_or(text);
    let Ok(statements) = Parser::parse_sql(&PostgreSqlDialect {}, text) else {
        return References::default();
    };
    let mut references = References::default();
    for statement in &statements {
        match statement {
            Statement::CreateView(view) => query(&view.query, &mut references),
            Statement::CreateTable(table) => create_table(table, &mut references),
            _ => {}
        }
    }
    references
}

/// `CREATE FOREIGN TABLE name (columns) SERVER …`, which sqlparser does
/// not read, as the `CREATE TABLE name (columns)` it declares (the same
/// column types); `None` for any other statement.
fn foreign_as_plain(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().take(3).collect();
    let foreign = words.len() == 3
        && words[0].eq_ignore_ascii_case("create")
        && words[1].eq_ignore_ascii_case("foreign")
        && words[2].eq_ignore_ascii_case("table");
    if !foreign {
        return None;
    }
    let start = text.to_ascii_lowercase().find("foreign")?;
    let rest = &text[start + "foreign".len()..];
    // The end of the column list: the parenthesis that closes the first.
    let (mut depth, mut quote) = (0usize, None::<char>);
    for (at, character) in rest.char_indices() {
        match (quote, character) {
            (Some(open), c) if c == open => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(character),
            (None, '(') => depth += 1,
            (None, ')') if depth == 1 => return Some(format!("CREATE {}", &rest[..=at])),
            (None, ')') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn name(object: &ObjectName) -> Name {
    Name(object.0.iter().filter_map(|part| part.as_ident()).map(word).collect())
}

fn query(query: &sqlparser::ast::Query, references: &mut References) {
    struct Reading<'r>(&'r mut References);
    impl Visitor for Reading<'_> {
        type Break = ();
        fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<()> {
            self.0.relations.push(name(relation));
            ControlFlow::Continue(())
        }
        fn pre_visit_expr(&mut self, expression: &Expr) -> ControlFlow<()> {
            match expression {
                Expr::Wildcard(_) | Expr::QualifiedWildcard(..) => self.0.star = true,
                Expr::Function(function) => self.0.functions.push(name(&function.name)),
                other => column_word(other, &mut self.0.columns),
            }
            ControlFlow::Continue(())
        }
    }
    let _ = query.visit(&mut Reading(references));
    // `SELECT *` and `SELECT t.*` are select items, not expressions.
    let text = query.to_string();
    if select_takes_every_column(&text) {
        references.star = true;
    }
}

/// Whether a printed query selects `*` or `t.*`.
fn select_takes_every_column(printed: &str) -> bool {
    let Ok(statements) = Parser::parse_sql(&PostgreSqlDialect {}, printed) else { return false };
    let mut star = false;
    for statement in &statements {
        let Statement::Query(query) = statement else { continue };
        let _ = query.visit(&mut StarFinder(&mut star));
    }
    star
}

struct StarFinder<'s>(&'s mut bool);

impl Visitor for StarFinder<'_> {
    type Break = ();
    fn pre_visit_query(&mut self, query: &sqlparser::ast::Query) -> ControlFlow<()> {
        if let sqlparser::ast::SetExpr::Select(select) = query.body.as_ref() {
            for item in &select.projection {
                if matches!(
                    item,
                    sqlparser::ast::SelectItem::Wildcard(_)
                        | sqlparser::ast::SelectItem::QualifiedWildcard(..)
                ) {
                    *self.0 = true;
                }
            }
        }
        ControlFlow::Continue(())
    }
}

fn create_table(table: &CreateTable, references: &mut References) {
    for column in &table.columns {
        if let Some(type_name) = custom_type(&column.data_type) {
            references.types.push(type_name);
        }
        for option in &column.options {
            match &option.option {
                ColumnOption::ForeignKey(key) => {
                    references.foreign_keys.push((
                        name(&key.foreign_table),
                        key.referred_columns
                            .iter()
                            .map(|ident| ident.value.to_lowercase())
                            .collect(),
                    ));
                }
                ColumnOption::Default(expression) => {
                    sequences(expression, references);
                    calls(expression, references);
                }
                ColumnOption::Check(check) => calls(&check.expr, references),
                _ => {}
            }
        }
    }
    for constraint in &table.constraints {
        if let TableConstraint::ForeignKey(key) = constraint {
            references.foreign_keys.push((
                name(&key.foreign_table),
                key.referred_columns.iter().map(|ident| ident.value.to_lowercase()).collect(),
            ));
        }
    }
    if let Some(parents) = &table.inherits {
        references.parents.extend(parents.iter().map(name));
    }
}

/// A user-defined type's name (an enum, say), arrays included.
fn custom_type(data_type: &DataType) -> Option<Name> {
    match data_type {
        DataType::Custom(object, modifiers) if modifiers.is_empty() => Some(name(object)),
        DataType::Array(sqlparser::ast::ArrayElemTypeDef::SquareBracket(element, _))
        | DataType::Array(sqlparser::ast::ArrayElemTypeDef::AngleBracket(element))
        | DataType::Array(sqlparser::ast::ArrayElemTypeDef::Parenthesis(element)) => {
            custom_type(element)
        }
        _ => None,
    }
}

/// The functions an expression calls.
fn calls(expression: &Expr, references: &mut References) {
    struct Calls<'r>(&'r mut References);
    impl Visitor for Calls<'_> {
        type Break = ();
        fn pre_visit_expr(&mut self, expression: &Expr) -> ControlFlow<()> {
            if let Expr::Function(function) = expression {
                self.0.functions.push(name(&function.name));
            }
            ControlFlow::Continue(())
        }
    }
    let _ = expression.visit(&mut Calls(references));
}

/// The sequences `nextval('…')` calls in an expression.
fn sequences(expression: &Expr, references: &mut References) {
    struct Calls<'r>(&'r mut References);
    impl Visitor for Calls<'_> {
        type Break = ();
        fn pre_visit_expr(&mut self, expression: &Expr) -> ControlFlow<()> {
            let Expr::Function(function) = expression else { return ControlFlow::Continue(()) };
            if name(&function.name).object() != "nextval" {
                return ControlFlow::Continue(());
            }
            let FunctionArguments::List(list) = &function.args else {
                return ControlFlow::Continue(());
            };
            if let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(argument))) = list.args.first() {
                let literal = match argument {
                    Expr::Cast { expr, .. } => expr.as_ref(),
                    other => other,
                };
                if let Expr::Value(value) = literal {
                    if let Value::SingleQuotedString(text) = &value.value {
                        self.0.sequences.push(text.clone());
                    }
                }
            }
            ControlFlow::Continue(())
        }
    }
    let _ = expression.visit(&mut Calls(references));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(names: &[Name]) -> Vec<String> {
        names.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_foreign_tables_column_types() {
        let read = of("create Foreign TABLE mails (at date, \"(\" app.mood, n numeric(3, 1)) \
                       SERVER nowhere OPTIONS (table_name 'x)')");
        assert_eq!(names(&read.types), ["app.mood"]);
        assert_eq!(of("CREATE FOREIGN TABLE broken (at date SERVER s"), References::default());
    }

    #[test]
    fn a_views_relations_and_columns() {
        let read = of("CREATE VIEW v AS SELECT u.id, lower(\"Name\") FROM app.users u \
                       JOIN orders o ON o.user_id = u.id WHERE total > 0");
        assert_eq!(names(&read.relations), ["app.users", "orders"]);
        for column in ["id", "Name", "user_id", "total"] {
            assert!(read.columns.iter().any(|found| found == column), "{column}: {read:?}");
        }
        assert!(!read.star);
        assert!(of("CREATE VIEW v AS SELECT * FROM users").star);
        assert!(of("CREATE MATERIALIZED VIEW v AS SELECT u.* FROM users u").star);
    }

    #[test]
    fn a_tables_types_keys_sequences_and_parents() {
        let read = of("CREATE TABLE events (at date, feeling mood, tags app.tag[], \
                       who int REFERENCES users, n bigint DEFAULT nextval('tickets'::regclass), \
                       FOREIGN KEY (at, who) REFERENCES calendar (day, person)) \
                       PARTITION BY RANGE (at)");
        assert_eq!(names(&read.types), ["mood", "app.tag"]);
        assert_eq!(read.foreign_keys.len(), 2);
        assert_eq!(read.foreign_keys[1].1, ["day", "person"]);
        assert_eq!(read.sequences, ["tickets"]);
        let read = of("CREATE TABLE special (badge text) INHERITS (users, \"Other\")");
        assert_eq!(names(&read.parents), ["users", "\"Other\""]);
    }
}
