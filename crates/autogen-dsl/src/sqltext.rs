//! The SQL written in attributes (`default`, `check`, `generated`, an
//! index's `where` and `keys`, `sql_type`), checked on its own so that a
//! mistake is reported at the attribute — a compile error in the derive —
//! rather than somewhere in the table it would have been part of.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

/// What a piece of SQL in an attribute should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `default`, `check`, `generated`, `where`.
    Expression,
    /// `sql_type`.
    Type,
    /// `keys`: index elements, as between the parentheses of `CREATE INDEX`.
    IndexKeys,
}

/// `Ok` when `text` reads as `kind`; otherwise what is wrong.
pub fn check(kind: Kind, text: &str) -> Result<(), String> {
    let dialect = PostgreSqlDialect {};
    let described = match kind {
        Kind::Expression => "an SQL expression",
        Kind::Type => "an SQL type",
        Kind::IndexKeys => "index keys",
    };
    let wrong = |reason: String| {
        format!("`{text}` is not {described}: {}", reason.trim_start_matches("sql parser error: "))
    };
    let sql = match kind {
        Kind::IndexKeys => format!("CREATE INDEX x ON t ({text})"),
        _ => text.to_owned(),
    };
    let mut parser =
        Parser::new(&dialect).try_with_sql(&sql).map_err(|error| wrong(error.to_string()))?;
    match kind {
        Kind::Expression => {
            parser.parse_expr().map_err(|error| wrong(error.to_string()))?;
        }
        Kind::Type => {
            parser.parse_data_type().map_err(|error| wrong(error.to_string()))?;
        }
        Kind::IndexKeys => {
            parser.parse_statement().map_err(|error| wrong(error.to_string()))?;
        }
    }
    match parser.peek_token().token {
        Token::EOF => Ok(()),
        other => Err(wrong(format!("unexpected `{other}` after it"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_sql_is_read_on_its_own() {
        assert_eq!(check(Kind::Expression, "now()"), Ok(()));
        assert_eq!(check(Kind::Expression, "price > 0 AND price < 100"), Ok(()));
        assert!(check(Kind::Expression, "id >")
            .unwrap_err()
            .starts_with("`id >` is not an SQL expression: "));
        assert!(check(Kind::Expression, "a b").unwrap_err().contains("unexpected `b` after it"));
        assert_eq!(check(Kind::Type, "varchar(80)"), Ok(()));
        assert_eq!(check(Kind::Type, "timestamp with time zone"), Ok(()));
        assert_eq!(check(Kind::IndexKeys, "lower(email), created_at DESC NULLS LAST"), Ok(()));
        assert!(check(Kind::IndexKeys, "lower(email").is_err());
    }
}
