//! The keys of `pg_get_partkeydef` (`RANGE (lower(sensor) COLLATE "C",
//! at)`): each expression key's text, and whether PostgreSQL printed a
//! key's `COLLATE` and operator class.
//!
//! PostgreSQL prints a key's collation where it differs from the column's,
//! or from the expression's derived collation, which the catalog does not
//! store, and its operator class where it is not the default class of the
//! key's type: the printed definition is its word on both. An expression
//! key is printed as `pg_get_expr` prints it, in parentheses unless it
//! looks like a function call (`lower(sensor)`, `COALESCE(a, b)`); the
//! model keeps it without those parentheses, as `pg_get_expr(partexprs)`
//! prints it.

use crate::index_definition::{read_tail, split_tail, PrintedKey};

/// One key as `pg_get_partkeydef` printed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PrintedPartitionKey {
    /// The expression of an expression key; `None` for a column key.
    pub(crate) expression: Option<String>,
    pub(crate) printed: PrintedKey,
}

/// Reads `definition` (`pg_get_partkeydef`) whose keys are, in order, the
/// columns `columns` names (`Some(quoted name)`) or expressions (`None`).
/// `None` when the definition does not have that shape.
pub(crate) fn printed_partition_keys(
    definition: &str,
    columns: &[Option<String>],
) -> Option<Vec<PrintedPartitionKey>> {
    let open = definition.find(" (")?;
    let mut rest = &definition[open + 2..];
    let mut keys = Vec::with_capacity(columns.len());
    for (position, column) in columns.iter().enumerate() {
        let expression = match column {
            Some(quoted) => {
                rest = rest.strip_prefix(quoted.as_str())?;
                None
            }
            None if rest.starts_with('(') => {
                let close = group_end(rest)?;
                let expression = rest[1..close].to_owned();
                rest = &rest[close + 1..];
                Some(expression)
            }
            None => {
                // A function call: its name (maybe qualified, quoted) and
                // its parenthesised arguments.
                let call = function_call_end(rest)?;
                let expression = rest[..=call].to_owned();
                rest = &rest[call + 1..];
                Some(expression)
            }
        };
        let (tail, after) = split_tail(rest)?;
        keys.push(PrintedPartitionKey { expression, printed: read_tail(tail) });
        rest = after;
        if position + 1 < columns.len() {
            rest = rest.strip_prefix(", ")?;
        } else if rest != ")" {
            return None;
        }
    }
    Some(keys)
}

/// Where the group opened by `text`'s first character (`(` or `[`) closes,
/// quoted texts and identifiers skipped, nested groups counted.
fn group_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            quote @ (b'\'' | b'"') => at = closing_quote(bytes, at, quote)?,
            b'(' | b'[' => depth += 1,
            b')' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// Where a function call at the start of `text` ends (its closing
/// parenthesis): the name up to the first `(` outside quotes, then the
/// arguments' group.
fn function_call_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => at = closing_quote(bytes, at, b'"')?,
            b'(' => return Some(at + group_end(&text[at..])?),
            b',' | b')' | b' ' | b'\'' => return None,
            _ => {}
        }
        at += 1;
    }
    None
}

/// The closing quote of the quoted text opened at `open` (a doubled quote
/// is part of the text).
fn closing_quote(bytes: &[u8], open: usize, quote: u8) -> Option<usize> {
    let mut at = open + 1;
    while at < bytes.len() {
        if bytes[at] == quote {
            if bytes.get(at + 1) == Some(&quote) {
                at += 2;
                continue;
            }
            return Some(at);
        }
        at += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(expression: Option<&str>, collation: bool, opclass: bool) -> PrintedPartitionKey {
        PrintedPartitionKey {
            expression: expression.map(str::to_owned),
            printed: PrintedKey { collation, opclass },
        }
    }

    #[test]
    fn reads_expressions_collations_and_operator_classes() {
        // As PostgreSQL 16 prints `PARTITION BY RANGE ((a + b), t COLLATE
        // "C", lower(t) text_pattern_ops, (ARRAY[a, b]), COALESCE(a, b),
        // (t || ',)'), v varchar_pattern_ops)`.
        let definition = "RANGE (((a + b)), t COLLATE \"C\", lower(t) text_pattern_ops, \
                          (ARRAY[a, b]), COALESCE(a, b), ((t || ',)'::text)), v varchar_pattern_ops)";
        let columns = [None, Some("t".into()), None, None, None, None, Some("v".into())];
        assert_eq!(
            printed_partition_keys(definition, &columns).unwrap(),
            vec![
                key(Some("(a + b)"), false, false),
                key(None, true, false),
                key(Some("lower(t)"), false, true),
                key(Some("ARRAY[a, b]"), false, false),
                key(Some("COALESCE(a, b)"), false, false),
                key(Some("(t || ',)'::text)"), false, false),
                key(None, false, true),
            ]
        );
    }

    #[test]
    fn quoted_names_and_qualified_functions() {
        let definition =
            "LIST (\"Kind, (x)\", \"My Schema\".\"f(\"(\"Kind, (x)\") COLLATE public.\"de-x\")";
        let columns = [Some("\"Kind, (x)\"".into()), None];
        assert_eq!(
            printed_partition_keys(definition, &columns).unwrap(),
            vec![
                key(None, false, false),
                key(Some("\"My Schema\".\"f(\"(\"Kind, (x)\")"), true, false)
            ]
        );
    }

    #[test]
    fn an_unexpected_shape_is_reported() {
        assert_eq!(printed_partition_keys("HASH (a)", &[Some("b".into())]), None);
        assert_eq!(printed_partition_keys("HASH (a, b)", &[Some("a".into())]), None);
        assert_eq!(printed_partition_keys("RANGE ((a + b)", &[None]), None);
    }
}
