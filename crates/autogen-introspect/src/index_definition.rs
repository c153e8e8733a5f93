//! Which parts of each index key `pg_get_indexdef` prints.
//!
//! PostgreSQL prints an expression key's `COLLATE` only when it differs from
//! the expression's derived collation, which the catalog does not store. For
//! the (rare) indexes with such a key, the reader fetches the printed
//! definition and reads the decision off it: it knows each key's own text
//! (`pg_get_indexdef(index, key, false)`, or the quoted column name) and
//! walks past it. The walk also reports the operator class, which the reader
//! decides from `pg_opclass.opcdefault` instead.

/// What `pg_get_indexdef` printed after one key's text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PrintedKey {
    pub(crate) collation: bool,
    pub(crate) opclass: bool,
}

/// Reads, for each of `keys` (their printed texts, in order), whether the
/// full `definition` prints a `COLLATE` and an operator class. `None` when
/// the definition does not have the expected shape.
pub(crate) fn printed_keys(
    definition: &str,
    method: &str,
    keys: &[&str],
) -> Option<Vec<PrintedKey>> {
    let marker = format!(" USING {method} (");
    let mut rest = &definition[definition.find(&marker)? + marker.len()..];
    let mut printed = Vec::with_capacity(keys.len());
    for (position, key) in keys.iter().enumerate() {
        rest = rest.strip_prefix(key)?;
        let (tail, after) = split_tail(rest)?;
        printed.push(read_tail(tail));
        rest = after;
        if position + 1 < keys.len() {
            rest = rest.strip_prefix(", ")?;
        } else if !rest.starts_with(')') {
            return None;
        }
    }
    Some(printed)
}

/// Splits `text` at the first `,` or `)` outside quotes and parentheses:
/// the words after a key, and the rest.
pub(crate) fn split_tail(text: &str) -> Option<(&str, &str)> {
    let mut depth = 0usize;
    let mut in_quotes = false;
    for (offset, character) in text.char_indices() {
        match character {
            '"' => in_quotes = !in_quotes,
            '(' if !in_quotes => depth += 1,
            ')' if !in_quotes && depth > 0 => depth -= 1,
            ',' | ')' if !in_quotes && depth == 0 => {
                return Some((&text[..offset], &text[offset..]))
            }
            _ => {}
        }
    }
    None
}

/// Reads ` COLLATE "C" text_pattern_ops DESC NULLS LAST` and the like.
pub(crate) fn read_tail(tail: &str) -> PrintedKey {
    let words = words(tail);
    let mut printed = PrintedKey::default();
    let mut index = 0;
    while index < words.len() {
        match words[index] {
            "COLLATE" => {
                printed.collation = true;
                index += 2;
            }
            "DESC" | "ASC" | "NULLS" | "FIRST" | "LAST" => index += 1,
            word if word.starts_with('(') => index += 1,
            _ => {
                printed.opclass = true;
                index += 1;
            }
        }
    }
    printed
}

/// Splits on spaces outside quotes and parentheses.
fn words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut depth = 0usize;
    let mut in_quotes = false;
    let mut start = None;
    for (offset, character) in text.char_indices() {
        match character {
            '"' => in_quotes = !in_quotes,
            '(' if !in_quotes => depth += 1,
            ')' if !in_quotes => depth = depth.saturating_sub(1),
            ' ' if !in_quotes && depth == 0 => {
                if let Some(begin) = start.take() {
                    words.push(&text[begin..offset]);
                }
                continue;
            }
            _ => {}
        }
        if start.is_none() {
            start = Some(offset);
        }
    }
    if let Some(begin) = start {
        words.push(&text[begin..]);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_collations_and_operator_classes_per_key() {
        let definition = "CREATE INDEX u1 ON public.u USING btree (lower(email) text_pattern_ops DESC NULLS LAST, \
                          \"Weird Col\" COLLATE \"C\" text_pattern_ops, ((a + b)), v)";
        let keys = ["lower(email)", "\"Weird Col\"", "((a + b))", "v"];
        let printed = printed_keys(definition, "btree", &keys).unwrap();
        assert_eq!(
            printed,
            vec![
                PrintedKey { collation: false, opclass: true },
                PrintedKey { collation: true, opclass: true },
                PrintedKey { collation: false, opclass: false },
                PrintedKey { collation: false, opclass: false },
            ]
        );
    }

    #[test]
    fn reads_parameters_and_trailing_clauses() {
        let definition =
            "CREATE INDEX g ON public.t USING gist (body public.gist_trgm_ops (siglen='32')) \
                          INCLUDE (id) WHERE (id > 0)";
        let printed = printed_keys(definition, "gist", &["body"]).unwrap();
        assert_eq!(printed, vec![PrintedKey { collation: false, opclass: true }]);
        let hnsw = "CREATE INDEX h ON public.t USING hnsw (((v)::halfvec(3)) halfvec_l2_ops) WITH (m='16')";
        let printed = printed_keys(hnsw, "hnsw", &["((v)::halfvec(3))"]).unwrap();
        assert_eq!(printed, vec![PrintedKey { collation: false, opclass: true }]);
    }

    #[test]
    fn names_with_commas_and_parentheses_in_quotes_do_not_confuse_it() {
        let definition = "CREATE INDEX i ON public.t USING btree (\"a, b)\" DESC, \"c\"\"d\")";
        let printed = printed_keys(definition, "btree", &["\"a, b)\"", "\"c\"\"d\""]).unwrap();
        assert_eq!(printed, vec![PrintedKey::default(), PrintedKey::default()]);
    }

    #[test]
    fn an_unexpected_shape_is_reported() {
        assert_eq!(printed_keys("CREATE INDEX i ON t USING btree (a)", "btree", &["b"]), None);
        assert_eq!(printed_keys("CREATE INDEX i ON t USING hash (a)", "btree", &["a"]), None);
    }
}
