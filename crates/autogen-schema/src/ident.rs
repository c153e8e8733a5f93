//! Identifier quoting and qualified names, exactly as PostgreSQL's
//! `quote_ident` decides.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A schema-qualified object name (`schema.name`). Both parts are stored as
/// PostgreSQL stores them (case-folded already, never quoted).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct QualifiedName {
    /// `pg_namespace.nspname`
    pub schema: String,
    /// `pg_class.relname`, `pg_type.typname`, …
    pub name: String,
}

impl QualifiedName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        Self { schema: schema.into(), name: name.into() }
    }
}

impl fmt::Display for QualifiedName {
    /// Always qualified, each part quoted only where PostgreSQL needs it.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}.{}", quote_ident(&self.schema), quote_ident(&self.name))
    }
}

/// Quotes `identifier` exactly when PostgreSQL needs it: when it is not all
/// lower-case ASCII letters, digits and underscores starting with a letter or
/// underscore, or when it is a keyword that is not unreserved.
pub fn quote_ident(identifier: &str) -> String {
    if needs_quoting(identifier) {
        let mut quoted = String::with_capacity(identifier.len() + 2);
        quoted.push('"');
        for character in identifier.chars() {
            if character == '"' {
                quoted.push('"');
            }
            quoted.push(character);
        }
        quoted.push('"');
        quoted
    } else {
        identifier.to_owned()
    }
}

/// Whether `identifier` must be written in double quotes.
pub fn needs_quoting(identifier: &str) -> bool {
    let mut characters = identifier.chars();
    let starts_well = matches!(characters.next(), Some('a'..='z' | '_'));
    let rest_is_plain =
        characters.all(|character| matches!(character, 'a'..='z' | '0'..='9' | '_'));
    !(starts_well && rest_is_plain) || is_quoted_keyword(identifier)
}

/// Quotes a string as an SQL literal (`'it''s'`) as PostgreSQL prints one
/// with `standard_conforming_strings` on (the default since 9.1): the form
/// expressions are kept in. A backslash is plain there; a script that may
/// meet a server with the setting off goes through [`portable_literals`].
pub fn quote_literal(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('\'');
    for character in value.chars() {
        if character == '\'' {
            quoted.push('\'');
        }
        quoted.push(character);
    }
    quoted.push('\'');
    quoted
}

/// `statement` with each plain string literal that holds a backslash or a
/// control character (a line break…) written as an escape string
/// (`'a\b'` → `E'a\\b'`, a line break `\n`, a tab `\t`, others `\xHH`):
/// it then means the same with `standard_conforming_strings` off, and every
/// line of a statement is what it looks like to a reviewer. Expressions are
/// kept as PostgreSQL prints them with the setting on (`pg_get_expr`); this
/// is how they go into a script. The scan knows the lexical forms autogen
/// writes: quoted identifiers, plain and escape strings, dollar quotes,
/// comments.
pub fn portable_literals(statement: &str) -> std::borrow::Cow<'_, str> {
    if !statement.contains('\'') {
        return std::borrow::Cow::Borrowed(statement);
    }
    let bytes = statement.as_bytes();
    let mut out = String::with_capacity(statement.len() + 8);
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let after_word = at > 0
            && (bytes[at - 1].is_ascii_alphanumeric()
                || bytes[at - 1] == b'_'
                || bytes[at - 1] >= 0x80);
        match byte {
            b'"' => {
                let end = closing(bytes, at + 1, b'"');
                out.push_str(&statement[at..end]);
                at = end;
            }
            b'\''
                if at > 0
                    && matches!(bytes[at - 1], b'E' | b'e')
                    && !(at > 1
                        && (bytes[at - 2].is_ascii_alphanumeric()
                            || bytes[at - 2] == b'_'
                            || bytes[at - 2] >= 0x80)) =>
            {
                // An escape string: a backslash escapes the next character.
                let mut end = at + 1;
                while end < bytes.len() {
                    match bytes[end] {
                        b'\\' => end += 2,
                        b'\'' if bytes.get(end + 1) == Some(&b'\'') => end += 2,
                        b'\'' => {
                            end += 1;
                            break;
                        }
                        _ => end += 1,
                    }
                }
                let end = end.min(bytes.len());
                out.push_str(&statement[at..end]);
                at = end;
            }
            b'\'' => {
                let end = closing(bytes, at + 1, b'\'');
                let literal = &statement[at..end];
                if literal
                    .chars()
                    .any(|character| character == '\\' || character.is_ascii_control())
                {
                    out.push('E');
                    for character in literal.chars() {
                        match character {
                            '\\' => out.push_str("\\\\"),
                            '\n' => out.push_str("\\n"),
                            '\r' => out.push_str("\\r"),
                            '\t' => out.push_str("\\t"),
                            control if control.is_ascii_control() => {
                                use std::fmt::Write as _;
                                let _ = write!(out, "\\x{:02x}", control as u32);
                            }
                            other => out.push(other),
                        }
                    }
                } else {
                    out.push_str(literal);
                }
                at = end;
            }
            b'$' if !after_word => match dollar_tag(&statement[at..]) {
                Some(tag) => {
                    let body = at + tag.len();
                    let end = statement[body..]
                        .find(tag)
                        .map_or(bytes.len(), |found| body + found + tag.len());
                    out.push_str(&statement[at..end]);
                    at = end;
                }
                None => {
                    out.push('$');
                    at += 1;
                }
            },
            b'-' if bytes.get(at + 1) == Some(&b'-') => {
                let end =
                    statement[at..].find(['\n', '\r']).map_or(bytes.len(), |found| at + found);
                out.push_str(&statement[at..end]);
                at = end;
            }
            _ => {
                let length = statement[at..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&statement[at..at + length]);
                at += length;
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The end (past the closing quote) of a quoted run that starts after its
/// opening `quote` at `start`, a doubled quote standing for one.
fn closing(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut end = start;
    while end < bytes.len() {
        if bytes[end] == quote {
            if bytes.get(end + 1) == Some(&quote) {
                end += 2;
                continue;
            }
            return end + 1;
        }
        end += 1;
    }
    bytes.len()
}

/// `$tag$` (or `$$`) at the start of `text`.
fn dollar_tag(text: &str) -> Option<&str> {
    let rest = &text[1..];
    let end = rest.find('$')?;
    let tag = &rest[..end];
    let valid = tag.chars().enumerate().all(|(index, character)| {
        character == '_' || character.is_alphabetic() || (index > 0 && character.is_ascii_digit())
    });
    valid.then(|| &text[..end + 2])
}

/// `text` as it may stand in a `--` comment or on one line of output:
/// whatever it holds, it stays on its line. A backslash is doubled, line
/// breaks and tabs are `\n`, `\r`, `\t`, and other control and invisible
/// characters (bidirectional overrides, zero-width spaces, line and
/// paragraph separators) `\u{…}`, so that a name, label, message or file
/// name can neither end the comment and start a statement nor hide from a
/// reviewer what the line says.
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|character| character == '\\' || needs_escape(character)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            '\\' => escaped.push_str("\\\\"),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            other if needs_escape(other) => {
                use std::fmt::Write as _;
                let _ = write!(escaped, "\\u{{{:x}}}", other as u32);
            }
            other => escaped.push(other),
        }
    }
    std::borrow::Cow::Owned(escaped)
}

fn needs_escape(character: char) -> bool {
    character.is_control()
        || matches!(
            character,
            '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}'
        )
}

fn is_quoted_keyword(identifier: &str) -> bool {
    QUOTED_KEYWORDS.binary_search(&identifier).is_ok()
}

/// Keywords of the categories reserved, column-name and type/function-name
/// (`pg_get_keywords()` where `catcode <> 'U'`), PostgreSQL 15 to 18 together:
/// a word that is one in any supported version is quoted. Sorted.
const QUOTED_KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "merge_action",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

/// Whether `text` matches `pattern`, where `*` stands for any characters
/// and `?` for one.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    // Positions to go back to when a match after the last `*` fails.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// `pattern` (`*` any characters, `?` one) as a SQL `LIKE` pattern with
/// the default escape (`\\`): `%`, `_` and `\\` of the name itself escaped.
pub fn glob_to_like(pattern: &str) -> String {
    let mut like = String::with_capacity(pattern.len() + 4);
    for character in pattern.chars() {
        match character {
            '*' => like.push('%'),
            '?' => like.push('_'),
            '%' | '_' | '\\' => {
                like.push('\\');
                like.push(character);
            }
            other => like.push(other),
        }
    }
    like
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_qualified_names() {
        assert!(glob_matches("public.spatial_ref_sys", "public.spatial_ref_sys"));
        assert!(glob_matches("audit.*", "audit.log"));
        assert!(glob_matches("*.tmp_*", "public.tmp_1"));
        assert!(glob_matches("public.t?", "public.t1"));
        assert!(!glob_matches("public.t?", "public.t12"));
        assert!(!glob_matches("audit.*", "public.audit"));
        assert!(glob_matches("*", ""));
    }

    #[test]
    fn globs_become_like_patterns_that_match_the_same_names() {
        assert_eq!(glob_to_like("tenant_*"), "tenant\\_%");
        assert_eq!(glob_to_like("a%b?\\"), "a\\%b_\\\\");
        assert_eq!(glob_to_like("public"), "public");
    }

    #[test]
    fn literals_double_their_quotes_and_keep_backslashes_plain() {
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal("a\\b"), "'a\\b'");
        assert_eq!(portable_literals(&quote_literal("ends in \\")), "E'ends in \\\\'");
        assert_eq!(portable_literals(&quote_literal("a\\'b")), "E'a\\\\''b'");
        assert_eq!(quote_literal("line\nbreak"), "'line\nbreak'");
    }

    #[test]
    fn portable_literals_rewrites_plain_strings_only() {
        let same = "ALTER TABLE t ALTER COLUMN c SET DEFAULT 'plain'::text;";
        assert_eq!(portable_literals(same), same);
        assert_eq!(
            portable_literals("DEFAULT 'a\\b'::text CHECK (x <> 'c\\')"),
            "DEFAULT E'a\\\\b'::text CHECK (x <> E'c\\\\')"
        );
        // Already escape strings, quoted identifiers, dollar quotes and
        // comments are left as they are.
        let kept = "COMMENT ON COLUMN \"we'i\\rd\".c IS E'x\\\\'; $q$ 'a\\b' $q$ -- 'c\\d'";
        assert_eq!(portable_literals(kept), kept);
        // A word ending in e is not an escape-string prefix.
        assert_eq!(portable_literals("some'\\'"), "someE'\\\\'");
        assert_eq!(portable_literals("x = 'it''s \\ ok'"), "x = E'it''s \\\\ ok'");
        assert_eq!(
            portable_literals("IS 'two\nlines\r\tand\u{1}'"),
            "IS E'two\\nlines\\r\\tand\\x01'"
        );
    }

    #[test]
    fn one_line_keeps_text_on_its_line() {
        assert_eq!(one_line("plain name"), "plain name");
        assert_eq!(one_line("a\nDROP TABLE victim; --"), "a\\nDROP TABLE victim; --");
        assert_eq!(one_line("cr\rtab\tback\\slash"), "cr\\rtab\\tback\\\\slash");
        assert_eq!(one_line("nul\u{0}esc\u{1b}"), "nul\\u{0}esc\\u{1b}");
        assert_eq!(
            one_line("sep\u{2028}rtl\u{202e}zw\u{200b}nel\u{85}"),
            "sep\\u{2028}rtl\\u{202e}zw\\u{200b}nel\\u{85}"
        );
        assert_eq!(one_line("ünïcode ✓"), "ünïcode ✓");
        assert!(!one_line("x\ny\rz\u{2029}").contains(['\n', '\r', '\u{2029}']));
    }

    #[test]
    fn keyword_list_is_sorted_for_binary_search() {
        assert!(QUOTED_KEYWORDS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn plain_names_stay_bare() {
        assert_eq!(quote_ident("users"), "users");
        assert_eq!(quote_ident("_private2"), "_private2");
        // unreserved keywords need no quotes
        assert_eq!(quote_ident("name"), "name");
        assert_eq!(quote_ident("comment"), "comment");
    }

    #[test]
    fn names_postgres_would_misread_are_quoted() {
        assert_eq!(quote_ident("User"), "\"User\"");
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("order items"), "\"order items\"");
        assert_eq!(quote_ident("weird\"name"), "\"weird\"\"name\"");
        assert_eq!(quote_ident("café"), "\"café\"");
        assert_eq!(quote_ident("1abc"), "\"1abc\"");
        assert_eq!(quote_ident("a$b"), "\"a$b\"");
        assert_eq!(quote_ident(""), "\"\"");
    }

    #[test]
    fn qualified_names_display_quoted_parts() {
        let name = QualifiedName::new("Sales Dept", "order");
        assert_eq!(name.to_string(), "\"Sales Dept\".\"order\"");
    }
}
