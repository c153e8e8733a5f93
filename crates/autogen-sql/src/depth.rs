//! How deep input may nest. Reading an expression or a type recurses once
//! per level of its syntax tree — in sqlparser's parser, in the typing and
//! printing of [`crate::expr`], in dropping the tree — so input nested
//! without bound (`1+1+…` with thousands of terms, `0::int::int…`, `int[]…`
//! with 50,000 `[]`) would overflow the stack and abort the process. Before
//! any of that, the tokens of each expression and type are measured: deeper
//! than [`MAX_NESTING`] is a diagnostic at the token where the limit is
//! crossed. Reading and applying run on threads with [`STACK_SIZE`] of
//! stack, many times what that depth needs, whatever thread calls them; the
//! limit alone fits a test thread's 2 MiB too.

use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// The most levels an expression or a type may nest: operators, casts,
/// subscripts, array dimensions, parentheses inside one another.
pub const MAX_NESTING: usize = 500;

/// sqlparser's own recursion limit (it counts several calls per level of
/// some constructs); past it, its parser stops with an error rather than
/// recursing on.
pub(crate) const PARSER_RECURSION_LIMIT: usize = 4 * MAX_NESTING;

/// The stack of the threads that read and apply statements.
pub(crate) const STACK_SIZE: usize = 64 << 20;

/// The first token where `tokens` (an expression or a type) nest deeper
/// than [`MAX_NESTING`], if they do.
///
/// The depth is bounded from the tokens alone: each operator, `::`, `[` or
/// keyword operator (`AND`, `IS`, `COLLATE`, …) may add a level to the
/// tree of the comma-separated item it is in, each parenthesis one more; a
/// group's depth carries into the item that holds it. Literals,
/// names and commas add nothing (a long `IN` list or `ARRAY[…]` is flat).
pub(crate) fn too_deep(tokens: &[TokenWithSpan]) -> Option<&TokenWithSpan> {
    #[derive(Default)]
    struct Group {
        /// Levels in the current item: operators, and the deepest group.
        operators: usize,
        deepest_group: usize,
        /// The deepest item finished (before a comma).
        deepest_item: usize,
        /// `[…]`, whose level the `[` counted already.
        bracket: bool,
    }
    let mut groups = vec![Group::default()];
    for token in tokens {
        let closes = matches!(token.token, Token::RParen | Token::RBracket) && groups.len() > 1;
        if closes {
            if let Some(group) = groups.pop() {
                let depth = usize::from(!group.bracket)
                    + group.deepest_item.max(group.operators + group.deepest_group);
                if let Some(holder) = groups.last_mut() {
                    holder.deepest_group = holder.deepest_group.max(depth);
                }
            }
        }
        let top = groups.last_mut()?;
        match &token.token {
            _ if closes => {}
            Token::LParen => groups.push(Group::default()),
            Token::LBracket => {
                top.operators += 1;
                groups.push(Group { bracket: true, ..Group::default() });
            }
            Token::Comma => {
                top.deepest_item = top.deepest_item.max(top.operators + top.deepest_group);
                top.operators = 0;
                top.deepest_group = 0;
            }
            token if adds_a_level(token) => top.operators += 1,
            _ => {}
        }
        let depth: usize = groups
            .iter()
            .enumerate()
            .map(|(index, group)| {
                usize::from(index > 0 && !group.bracket) + group.operators + group.deepest_group
            })
            .sum();
        if depth > MAX_NESTING {
            return Some(token);
        }
    }
    None
}

/// Whether a token may make a level of the syntax tree: operators and the
/// keywords that act as operators. Literals, names, commas and brackets
/// (counted apart) do not.
fn adds_a_level(token: &Token) -> bool {
    match token {
        Token::Word(word) => {
            word.quote_style.is_none()
                && matches!(
                    word.keyword,
                    Keyword::AND
                        | Keyword::OR
                        | Keyword::NOT
                        | Keyword::IS
                        | Keyword::IN
                        | Keyword::LIKE
                        | Keyword::ILIKE
                        | Keyword::SIMILAR
                        | Keyword::BETWEEN
                        | Keyword::COLLATE
                        | Keyword::AT
                        | Keyword::OVERLAPS
                        | Keyword::ESCAPE
                        | Keyword::CASE
                        | Keyword::ARRAY
                )
        }
        Token::EOF
        | Token::Number(..)
        | Token::SingleQuotedString(_)
        | Token::DoubleQuotedString(_)
        | Token::DollarQuotedString(_)
        | Token::SingleQuotedByteStringLiteral(_)
        | Token::NationalStringLiteral(_)
        | Token::EscapedStringLiteral(_)
        | Token::UnicodeStringLiteral(_)
        | Token::HexStringLiteral(_)
        | Token::Comma
        | Token::Period
        | Token::Whitespace(_)
        | Token::SemiColon
        | Token::Placeholder(_)
        | Token::LParen
        | Token::RParen
        | Token::LBracket
        | Token::RBracket => false,
        _ => true,
    }
}

/// The message for input nested deeper than [`MAX_NESTING`]; `what` is
/// `expression` or `type`.
pub(crate) fn message(what: &str) -> String {
    format!(
        "{what} nested too deeply: more than {MAX_NESTING} levels of operators, casts, \
         subscripts, array dimensions or parentheses inside one another; autogen reads up to \
         {MAX_NESTING}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_crossed_at(text: &str) -> Option<String> {
        let tokens = crate::significant_tokens(text).unwrap();
        too_deep(&tokens)
            .map(|token| format!("{}:{}", token.span.start.line, token.span.start.column))
    }

    #[test]
    fn chains_groups_and_dimensions_count_flat_lists_do_not() {
        let sum = |terms: usize| vec!["1"; terms].join("+");
        assert_eq!(depth_crossed_at(&sum(MAX_NESTING + 1)), None);
        // The operator past the limit, the n-th `+`, is at column 2n.
        let past = MAX_NESTING + 1;
        assert_eq!(depth_crossed_at(&sum(MAX_NESTING + 2)), Some(format!("1:{}", 2 * past)));
        assert!(depth_crossed_at(&format!("0{}", "::int".repeat(MAX_NESTING))).is_none());
        assert!(depth_crossed_at(&format!("0{}", "::int".repeat(MAX_NESTING + 1))).is_some());
        assert!(depth_crossed_at(&format!("int{}", "[]".repeat(MAX_NESTING))).is_none());
        assert!(depth_crossed_at(&format!("int{}", "[]".repeat(MAX_NESTING + 1))).is_some());
        let nested = |levels: usize| format!("{}1{}", "(".repeat(levels), ")".repeat(levels));
        assert!(depth_crossed_at(&nested(MAX_NESTING)).is_none());
        assert!(depth_crossed_at(&nested(MAX_NESTING + 1)).is_some());
        // Flat: commas start a new item.
        let list = vec!["'a' || 'b'"; 5000].join(", ");
        assert_eq!(depth_crossed_at(&format!("x IN ({list})")), None);
        // A deep group carries into the chain that holds it.
        let half = sum(MAX_NESTING / 2 + 10);
        assert!(depth_crossed_at(&format!("({half}) + {half}")).is_some());
    }
}
