//! Splitting a script into statements, each with the position where it
//! starts, using sqlparser's PostgreSQL tokenizer (so semicolons inside
//! strings, dollar-quoted bodies, quoted identifiers and comments do not
//! split).

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::Location;

/// One statement of a script: its text (without the terminating `;`) and
/// where its first token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementText {
    pub text: String,
    pub location: Location,
}

/// The statements of `script`, in order. Empty statements (`;;`) and
/// comment-only stretches are dropped. A script the tokenizer cannot read
/// (an unterminated string or quoted identifier) gives the position and
/// message of the problem.
pub fn split(script: &str) -> Result<Vec<StatementText>, (Location, String)> {
    let dialect = PostgreSqlDialect {};
    let tokens = Tokenizer::new(&dialect, script).tokenize_with_location().map_err(|error| {
        (Location { line: error.location.line, column: error.location.column }, error.message)
    })?;
    let line_starts = line_starts(script);
    let offset = |location: Location| -> usize {
        let line_start = line_starts
            .get(location.line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(script.len());
        // Columns count characters, not bytes.
        script[line_start..]
            .char_indices()
            .nth(location.column.saturating_sub(1) as usize)
            .map_or(script.len(), |(index, _)| line_start + index)
    };

    let mut statements = Vec::new();
    let mut start: Option<Location> = None;
    let mut last_end: Option<Location> = None;
    for token in &tokens {
        let location = Location { line: token.span.start.line, column: token.span.start.column };
        match &token.token {
            Token::Whitespace(_) => {}
            Token::SemiColon => {
                if let (Some(begin), Some(end)) = (start.take(), last_end.take()) {
                    statements.push(StatementText {
                        text: script[offset(begin)..offset(end)].to_owned(),
                        location: begin,
                    });
                }
            }
            Token::EOF => break,
            _ => {
                start.get_or_insert(location);
                last_end =
                    Some(Location { line: token.span.end.line, column: token.span.end.column });
            }
        }
    }
    if let (Some(begin), Some(end)) = (start, last_end) {
        statements.push(StatementText {
            text: script[offset(begin)..offset(end)].to_owned(),
            location: begin,
        });
    }
    Ok(statements)
}

/// Byte offsets where each line starts.
fn line_starts(script: &str) -> Vec<usize> {
    std::iter::once(0).chain(script.match_indices('\n').map(|(index, _)| index + 1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(script: &str) -> Vec<(String, u64, u64)> {
        split(script)
            .unwrap()
            .into_iter()
            .map(|statement| (statement.text, statement.location.line, statement.location.column))
            .collect()
    }

    #[test]
    fn statements_keep_their_positions() {
        let script = "-- header\nCREATE TABLE a (id int);\n\n  CREATE TABLE b (x text) ;\nSELECT 1";
        assert_eq!(
            texts(script),
            vec![
                ("CREATE TABLE a (id int)".to_owned(), 2, 1),
                ("CREATE TABLE b (x text)".to_owned(), 4, 3),
                ("SELECT 1".to_owned(), 5, 1),
            ]
        );
    }

    #[test]
    fn semicolons_inside_strings_bodies_and_comments_do_not_split() {
        let script = "COMMENT ON TABLE a IS 'x; y';\n\
                      CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n\
                      /* a; b */ CREATE TABLE \"we;ird\" (id int);;";
        let statements = texts(script);
        assert_eq!(statements.len(), 3, "{statements:?}");
        assert_eq!(statements[0].0, "COMMENT ON TABLE a IS 'x; y'");
        assert!(statements[1].0.ends_with("$$ SELECT 1; $$"));
        assert_eq!(statements[2], ("CREATE TABLE \"we;ird\" (id int)".to_owned(), 3, 12));
    }

    #[test]
    fn columns_count_characters() {
        let statements = texts("COMMENT ON TABLE t IS 'café'; SELECT 2");
        assert_eq!(statements[1], ("SELECT 2".to_owned(), 1, 31));
    }

    #[test]
    fn an_unterminated_string_is_located() {
        let (location, message) =
            split("CREATE TABLE a (id int);\nCOMMENT ON TABLE a IS 'oops").unwrap_err();
        assert_eq!(location.line, 2);
        assert!(message.to_lowercase().contains("unterminated"), "{message}");
    }
}
