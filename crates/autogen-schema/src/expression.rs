//! Printed expressions (as `pg_get_expr` prints them, the way the model
//! keeps checks, defaults, index expressions and predicates): which columns
//! they name, and the same text with a column renamed.

use crate::ident::quote_ident;

/// Whether a printed expression refers to column `name`.
pub fn mentions_column(text: &str, name: &str) -> bool {
    identifier_spans(text).iter().any(|(_, value)| value == name)
}

/// A printed expression with column `old` renamed to `new`.
pub fn rename_column(text: &str, old: &str, new: &str) -> String {
    let mut result = text.to_owned();
    for (span, value) in identifier_spans(text).into_iter().rev() {
        if value == old {
            result.replace_range(span, &quote_ident(new));
        }
    }
    result
}

/// Column references in a printed expression: word tokens not followed by
/// `(` (a function) and not after `::` (a type), with their byte spans.
fn identifier_spans(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::tokenizer::{Token, Tokenizer};
    let dialect = PostgreSqlDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, text).tokenize_with_location() else {
        return Vec::new();
    };
    let line_starts: Vec<usize> =
        std::iter::once(0).chain(text.match_indices('\n').map(|(index, _)| index + 1)).collect();
    let offset = |line: u64, column: u64| -> usize {
        let start = line_starts.get(line.saturating_sub(1) as usize).copied().unwrap_or(text.len());
        text[start..]
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(text.len(), |(i, _)| start + i)
    };
    let significant: Vec<&sqlparser::tokenizer::TokenWithSpan> =
        tokens.iter().filter(|token| !matches!(token.token, Token::Whitespace(_))).collect();
    let mut spans = Vec::new();
    for (index, token) in significant.iter().enumerate() {
        let Token::Word(word) = &token.token else { continue };
        let previous = index.checked_sub(1).map(|i| &significant[i].token);
        let next = significant.get(index + 1).map(|token| &token.token);
        if matches!(previous, Some(Token::DoubleColon | Token::Period))
            || matches!(next, Some(Token::LParen | Token::Period))
        {
            continue;
        }
        if word.quote_style.is_none() && is_printed_keyword(&word.value) {
            continue;
        }
        let value = if word.quote_style.is_some() {
            word.value.clone()
        } else {
            word.value.to_ascii_lowercase()
        };
        let start = offset(token.span.start.line, token.span.start.column);
        let end = offset(token.span.end.line, token.span.end.column);
        spans.push((start..end, value));
    }
    spans
}

/// Words `pg_get_expr` prints that are not column names.
fn is_printed_keyword(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "and"
            | "or"
            | "not"
            | "is"
            | "null"
            | "true"
            | "false"
            | "distinct"
            | "from"
            | "any"
            | "all"
            | "array"
            | "in"
            | "at"
            | "time"
            | "zone"
            | "both"
            | "leading"
            | "trailing"
            | "case"
            | "when"
            | "then"
            | "else"
            | "end"
            | "collate"
            | "like"
            | "similar"
            | "current_timestamp"
            | "current_date"
            | "current_time"
            | "localtimestamp"
            | "localtime"
            | "current_user"
            | "session_user"
            | "current_role"
            | "user"
            | "current_catalog"
            | "current_schema"
            | "unknown"
            | "escape"
            | "for"
    )
}
