//! Printed expressions (as `pg_get_expr` prints them with
//! `search_path = public`, the way the model keeps defaults, generated
//! columns, checks, index expressions and predicates): which columns, types
//! and enum labels they name, and the same text with one of them renamed.
//!
//! This is the one reading of that text: a small lexer (quoted identifiers,
//! `'…'` literals with `''`, `::type` casts with schema qualification,
//! typmods and `[]`, `COLLATE` names) so a name inside a literal or a quoted
//! identifier, or a longer name (`moods` for `mood`), is never taken for it.

use std::ops::Range;

use crate::ident::{quote_ident, quote_literal, QualifiedName};

/// Whether a printed expression refers to column `name`.
pub fn mentions_column(text: &str, name: &str) -> bool {
    Reading::of(text).columns.iter().any(|column| column.name == name)
}

/// A printed expression with column `old` renamed to `new`.
pub fn rename_column(text: &str, old: &str, new: &str) -> String {
    let reading = Reading::of(text);
    let edits = reading
        .columns
        .iter()
        .filter(|column| column.name == old)
        .map(|column| (column.span.clone(), quote_ident(new)));
    apply(text, edits)
}

/// Whether a trigger's printed `WHEN` condition reads column `name` of
/// the row it fires for: `new.name` or `old.name` (as `pg_get_triggerdef`
/// prints them; a quoted `new` or `old` is some other relation's name).
pub fn mentions_row_column(text: &str, name: &str) -> bool {
    row_columns(text).iter().any(|(column, _)| column == name)
}

/// A trigger's printed `WHEN` condition with `new.old` and `old.old` made
/// `new.new` and `old.new`.
pub fn rename_row_column(text: &str, old: &str, new: &str) -> String {
    let edits = row_columns(text)
        .into_iter()
        .filter(|(column, _)| column == old)
        .map(|(_, span)| (span, quote_ident(new)));
    apply(text, edits)
}

/// The `new.c` and `old.c` of a trigger condition: each column's name and
/// the span of its word.
fn row_columns(text: &str) -> Vec<(String, Range<usize>)> {
    let tokens: Vec<Token> =
        lex(text).into_iter().filter(|token| token.kind != Kind::Space).collect();
    let mut found = Vec::new();
    for (index, row) in tokens.iter().enumerate() {
        let is_row = matches!(&row.kind, Kind::Word { value, quoted: false } if value == "new" || value == "old");
        let qualified =
            index.checked_sub(1).is_some_and(|before| tokens[before].kind == Kind::Period);
        if !is_row || qualified {
            continue;
        }
        if let (Some(Kind::Period), Some(column)) =
            (tokens.get(index + 1).map(|token| &token.kind), tokens.get(index + 2))
        {
            if let Kind::Word { value, .. } = &column.kind {
                found.push((value.clone(), column.span.clone()));
            }
        }
    }
    found
}

/// Whether the whole printed expression is one parenthesised group
/// (`(a + 1)`, not `(a)::text` or `f(a)`): what may stand where the
/// grammar wants `( expression )` without another pair.
pub fn is_parenthesized(text: &str) -> bool {
    let tokens: Vec<Token> =
        lex(text).into_iter().filter(|token| token.kind != Kind::Space).collect();
    tokens.first().is_some_and(|first| first.kind == Kind::LParen)
        && skip_group(&tokens, 0, &Kind::LParen, &Kind::RParen) == tokens.len()
        && tokens.last().is_some_and(|last| last.kind == Kind::RParen)
}

/// Whether a printed expression casts to type `name` (`::mood`,
/// `::other.mood`, `::mood[]`): whole names only, `::moods` is not `mood`.
pub fn mentions_type(text: &str, name: &QualifiedName) -> bool {
    Reading::of(text).casts.iter().any(|cast| cast.names(name))
}

/// A printed expression with casts to type `old` made casts to `new`,
/// printed as `pg_get_expr` prints it (bare in `public`, qualified
/// elsewhere); typmods and array brackets stay.
pub fn rename_type(text: &str, old: &QualifiedName, new: &QualifiedName) -> String {
    let reading = Reading::of(text);
    let printed = type_reference(new);
    let edits = reading
        .casts
        .iter()
        .filter(|cast| cast.names(old))
        .map(|cast| (cast.name_span.clone(), printed.clone()));
    apply(text, edits)
}

/// Whether a printed expression uses label `label` of enum `type_name`:
/// `'label'::type_name`, or an element of `'{…}'::type_name[]`.
pub fn uses_enum_label(text: &str, type_name: &QualifiedName, label: &str) -> bool {
    Reading::of(text).casts.iter().filter(|cast| cast.names(type_name)).any(|cast| {
        let Some(literal) = &cast.literal else { return false };
        if cast.array {
            array_elements(&literal.value).iter().any(|element| element.value == label)
        } else {
            literal.value == label
        }
    })
}

/// A printed expression with label `old` of enum `type_name` made `new`:
/// `'old'::type_name` (and elements of `'{…}'::type_name[]`) only, never a
/// literal of another type.
pub fn rename_enum_label(text: &str, type_name: &QualifiedName, old: &str, new: &str) -> String {
    let reading = Reading::of(text);
    let edits = reading.casts.iter().filter(|cast| cast.names(type_name)).filter_map(|cast| {
        let literal = cast.literal.as_ref()?;
        if !cast.array {
            return (literal.value == old).then(|| (literal.span.clone(), quote_literal(new)));
        }
        let elements = array_elements(&literal.value);
        let element_edits = elements
            .iter()
            .filter(|element| element.value == old)
            .map(|element| (element.span.clone(), array_element(new)))
            .collect::<Vec<_>>();
        if element_edits.is_empty() {
            return None;
        }
        let value = apply(&literal.value, element_edits);
        Some((literal.span.clone(), quote_literal(&value)))
    });
    apply(text, edits)
}

/// A printed expression with each reference to sequence `old` — its name
/// as a `regclass` literal, `nextval('old'::regclass)` — made a reference
/// to `new`, as PostgreSQL shows it after `ALTER SEQUENCE … RENAME` (it
/// keeps the sequence's oid, not its name). Only `regclass` casts: the
/// same name in another literal or as an identifier is left alone.
pub fn rename_sequence(text: &str, old: &QualifiedName, new: &QualifiedName) -> String {
    let reading = Reading::of(text);
    let old_reference = crate::model::sequence_reference(old);
    let new_literal = quote_literal(&crate::model::sequence_reference(new));
    let edits = reading
        .casts
        .iter()
        .filter(|cast| cast.schema.is_none() && cast.name == "regclass" && !cast.array)
        .filter_map(|cast| {
            let literal = cast.literal.as_ref()?;
            (literal.value == old_reference).then(|| (literal.span.clone(), new_literal.clone()))
        });
    apply(text, edits)
}

/// Whether a printed expression calls function `name` (`f(…)`,
/// `app.f(…)`; a bare name is in `public`): any overload, whole names only.
pub fn mentions_function(text: &str, name: &QualifiedName) -> bool {
    Reading::of(text).calls.iter().any(|call| call.names(name))
}

/// The functions a printed expression calls (a bare name taken as in
/// `public`, where `pg_get_expr` with `search_path = public` leaves them
/// bare), each once, in order of first call. Built-in functions are among
/// them, as `public.now` and so on: only names the caller knows matter.
pub fn functions_called(text: &str) -> Vec<QualifiedName> {
    let mut names: Vec<QualifiedName> = Vec::new();
    for call in Reading::of(text).calls {
        let name = QualifiedName::new(call.schema.as_deref().unwrap_or("public"), call.name);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// A printed expression with calls of function `old` made calls of `new`,
/// printed as `pg_get_expr` prints them (bare in `public`, qualified
/// elsewhere), as PostgreSQL shows them after `ALTER FUNCTION … RENAME` or
/// `SET SCHEMA` (it keeps the function's oid).
pub fn rename_function(text: &str, old: &QualifiedName, new: &QualifiedName) -> String {
    let reading = Reading::of(text);
    let printed = type_reference(new);
    let edits = (reading.calls.iter())
        .filter(|call| call.names(old))
        .map(|call| (call.span.clone(), printed.clone()));
    apply(text, edits)
}

/// Whether a printed query or expression names relation `name` (`name`
/// bare, taken as in `public`, or `schema.name`): any word of that name
/// not called as a function — a column of the same name counts too, so the
/// answer may be yes where it is no, never the other way.
pub fn mentions_relation(text: &str, name: &QualifiedName) -> bool {
    let tokens = solid_tokens(text);
    (0..tokens.len()).any(|index| names_relation(&tokens, index, name))
}

/// A printed query or expression with relation `old` (each word
/// [`mentions_relation`] finds) called `new`, a qualified one keeping its
/// schema: as PostgreSQL prints it once the relation is renamed (it keeps
/// the relation's oid).
pub fn rename_relation(text: &str, old: &QualifiedName, new: &str) -> String {
    let tokens = solid_tokens(text);
    let edits = (0..tokens.len())
        .filter(|&index| names_relation(&tokens, index, old))
        .map(|index| (tokens[index].span.clone(), quote_ident(new)));
    apply(text, edits)
}

/// The tokens of `text` but spaces.
fn solid_tokens(text: &str) -> Vec<Token> {
    lex(text).into_iter().filter(|token| token.kind != Kind::Space).collect()
}

/// Whether token `index` is a word naming relation `name`: not called as
/// a function, qualified by its schema or bare for `public`.
fn names_relation(tokens: &[Token], index: usize, name: &QualifiedName) -> bool {
    let word = |index: usize| match tokens.get(index).map(|token| &token.kind) {
        Some(Kind::Word { value, .. }) => Some(value.as_str()),
        _ => None,
    };
    if word(index) != Some(name.name.as_str()) {
        return false;
    }
    if matches!(tokens.get(index + 1).map(|token| &token.kind), Some(Kind::LParen)) {
        return false;
    }
    let qualified = index >= 2 && tokens[index - 1].kind == Kind::Period;
    match qualified {
        true => word(index - 2) == Some(name.schema.as_str()),
        false => name.schema == "public",
    }
}

/// Whether a printed expression names collation `name` (`COLLATE c`,
/// `COLLATE app.c`): a bare name is in `public` or `pg_catalog`, as
/// `pg_get_expr` prints those two.
pub fn mentions_collation(text: &str, name: &QualifiedName) -> bool {
    Reading::of(text).collations.iter().any(|collation| collation.names(name))
}

/// A printed expression with `COLLATE old` made `COLLATE new`, printed as
/// `pg_get_expr` prints it after `ALTER COLLATION … RENAME` (it keeps the
/// collation's oid): bare in `public` and `pg_catalog`, qualified
/// elsewhere.
pub fn rename_collation(text: &str, old: &QualifiedName, new: &QualifiedName) -> String {
    let reading = Reading::of(text);
    let printed = match new.schema.as_str() {
        "public" | "pg_catalog" => quote_ident(&new.name),
        _ => new.to_string(),
    };
    let edits = reading
        .collations
        .iter()
        .filter(|collation| collation.names(old))
        .map(|collation| (collation.span.clone(), printed.clone()));
    apply(text, edits)
}

/// The sequences a printed expression names as `regclass` literals
/// (`nextval('users_id_seq'::regclass)`, `'app."Odd"'::regclass`), a bare
/// name being in `public` as `pg_get_expr` prints it there: what a
/// default needs to exist before it and keeps from being dropped.
pub fn sequences_used(text: &str) -> Vec<QualifiedName> {
    let mut used: Vec<QualifiedName> = Reading::of(text)
        .casts
        .iter()
        .filter(|cast| cast.schema.is_none() && cast.name == "regclass" && !cast.array)
        .filter_map(|cast| regclass_name(&cast.literal.as_ref()?.value))
        .collect();
    used.sort();
    used.dedup();
    used
}

/// The relation a `regclass` literal's text names: one or two parts,
/// each bare (as printed: lower case) or double-quoted with `""`.
fn regclass_name(text: &str) -> Option<QualifiedName> {
    let mut parts = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    '"' => break,
                    other => part.push(other),
                }
            }
        } else {
            while let Some(&next) = chars.peek() {
                if next == '.' {
                    break;
                }
                part.push(next);
                chars.next();
            }
        }
        if part.is_empty() {
            return None;
        }
        parts.push(part);
        match chars.next() {
            None => break,
            Some('.') => continue,
            Some(_) => return None,
        }
    }
    match parts.as_slice() {
        [name] => Some(QualifiedName::new("public", name.clone())),
        [schema, name] => Some(QualifiedName::new(schema.clone(), name.clone())),
        _ => None,
    }
}

/// How `pg_get_expr` (with `search_path = public`) prints type `name`:
/// bare in `public`, qualified elsewhere, each part quoted where needed.
pub fn type_reference(name: &QualifiedName) -> String {
    if name.schema == "public" {
        quote_ident(&name.name)
    } else {
        name.to_string()
    }
}

// ----- reading ---------------------------------------------------------------

/// What one printed expression names, with byte spans.
struct Reading {
    columns: Vec<ColumnReference>,
    casts: Vec<Cast>,
    collations: Vec<CollationReference>,
    calls: Vec<Call>,
}

/// `name(` or `schema.name(`: a function call (never a cast's type, which
/// [`read_type`] reads whole).
struct Call {
    schema: Option<String>,
    name: String,
    /// From the first part of the name to the last.
    span: Range<usize>,
}

impl Call {
    /// Whether it calls `function`, a bare name being in `public`.
    fn names(&self, function: &QualifiedName) -> bool {
        self.name == function.name && self.schema.as_deref().unwrap_or("public") == function.schema
    }
}

/// `COLLATE name`: the name, schema-qualified or not, and its span.
struct CollationReference {
    schema: Option<String>,
    name: String,
    span: Range<usize>,
}

impl CollationReference {
    /// Whether it is `collation`, a bare name being in `public` or
    /// `pg_catalog`.
    fn names(&self, collation: &QualifiedName) -> bool {
        self.name == collation.name
            && match &self.schema {
                Some(schema) => *schema == collation.schema,
                None => matches!(collation.schema.as_str(), "public" | "pg_catalog"),
            }
    }
}

/// A word taken for a column: not a function name, not a type, not a
/// keyword `pg_get_expr` prints, not part of a qualified name.
struct ColumnReference {
    span: Range<usize>,
    name: String,
}

/// `::type` — the type's name (schema-qualified or not) and the string
/// literal right before the `::`, if any.
struct Cast {
    schema: Option<String>,
    name: String,
    /// From the first part of the name to the last (typmod and `[]` left
    /// out).
    name_span: Range<usize>,
    array: bool,
    literal: Option<Literal>,
}

impl Cast {
    /// Whether the cast is to `type_name`, a bare name being in `public`.
    fn names(&self, type_name: &QualifiedName) -> bool {
        self.name == type_name.name
            && self.schema.as_deref().unwrap_or("public") == type_name.schema
    }
}

#[derive(Clone)]
struct Literal {
    span: Range<usize>,
    value: String,
}

impl Reading {
    fn of(text: &str) -> Reading {
        let tokens: Vec<Token> =
            lex(text).into_iter().filter(|token| token.kind != Kind::Space).collect();
        let mut columns = Vec::new();
        let mut casts = Vec::new();
        let mut collations = Vec::new();
        let mut calls = Vec::new();
        let mut index = 0;
        while index < tokens.len() {
            let token = &tokens[index];
            match &token.kind {
                Kind::DoubleColon => {
                    let literal =
                        index.checked_sub(1).and_then(|before| match &tokens[before].kind {
                            Kind::Literal(value) => Some(Literal {
                                span: tokens[before].span.clone(),
                                value: value.clone(),
                            }),
                            _ => None,
                        });
                    let (cast, next) = read_type(&tokens, index + 1, literal);
                    casts.extend(cast);
                    index = next;
                    continue;
                }
                Kind::Word { value, quoted: false } if value == "collate" => {
                    let next = skip_qualified_name(&tokens, index + 1);
                    let parts: Vec<&str> = (tokens[index + 1..next].iter())
                        .filter_map(|token| match &token.kind {
                            Kind::Word { value, .. } => Some(value.as_str()),
                            _ => None,
                        })
                        .collect();
                    let (schema, name) = match parts.as_slice() {
                        [name] => (None, (*name).to_owned()),
                        [.., schema, name] => (Some((*schema).to_owned()), (*name).to_owned()),
                        [] => (None, String::new()),
                    };
                    if !name.is_empty() {
                        let span = tokens[index + 1].span.start..tokens[next - 1].span.end;
                        collations.push(CollationReference { schema, name, span });
                    }
                    index = next;
                    continue;
                }
                Kind::Word { value, quoted } => {
                    let previous = index.checked_sub(1).map(|before| &tokens[before].kind);
                    let next = tokens.get(index + 1).map(|after| &after.kind);
                    if !matches!(previous, Some(Kind::Period)) {
                        let end = skip_qualified_name(&tokens, index);
                        let opens =
                            matches!(tokens.get(end).map(|after| &after.kind), Some(Kind::LParen));
                        let parts: Vec<&str> = (tokens[index..end].iter())
                            .filter_map(|token| match &token.kind {
                                Kind::Word { value, .. } => Some(value.as_str()),
                                _ => None,
                            })
                            .collect();
                        let keyword = !*quoted && end == index + 1 && is_printed_keyword(value);
                        if opens && !keyword && !parts.is_empty() && parts.len() <= 2 {
                            calls.push(Call {
                                schema: (parts.len() == 2).then(|| parts[0].to_owned()),
                                name: parts[parts.len() - 1].to_owned(),
                                span: token.span.start..tokens[end - 1].span.end,
                            });
                        }
                    }
                    let part_of_other = matches!(previous, Some(Kind::Period))
                        || matches!(next, Some(Kind::LParen | Kind::Period));
                    if !part_of_other && (*quoted || !is_printed_keyword(value)) {
                        columns.push(ColumnReference {
                            span: token.span.clone(),
                            name: value.clone(),
                        });
                    }
                }
                _ => {}
            }
            index += 1;
        }
        Reading { columns, casts, collations, calls }
    }
}

/// Words of built-in type names of more than one word (`double precision`,
/// `timestamp(3) with time zone`, `interval year to month`).
const TYPE_NAME_WORDS: &[&str] = &[
    "varying",
    "precision",
    "with",
    "without",
    "time",
    "zone",
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "to",
];

/// The type after a `::` at `start`: its cast (if a name is there) and the
/// index of the token after it.
fn read_type(tokens: &[Token], start: usize, literal: Option<Literal>) -> (Option<Cast>, usize) {
    let word = |index: usize| match tokens.get(index).map(|token| &token.kind) {
        Some(Kind::Word { value, quoted }) => Some((value.clone(), *quoted)),
        _ => None,
    };
    let Some((first, _)) = word(start) else { return (None, start) };
    let mut index = start + 1;
    let (schema, name, name_end) =
        match (tokens.get(index).map(|token| &token.kind), word(index + 1)) {
            (Some(Kind::Period), Some((second, _))) => {
                index += 2;
                (Some(first), second, tokens[index - 1].span.end)
            }
            _ => (None, first, tokens[start].span.end),
        };
    // The rest of a built-in name of several words, with its typmods.
    loop {
        match tokens.get(index).map(|token| &token.kind) {
            Some(Kind::Word { value, quoted: false })
                if TYPE_NAME_WORDS.contains(&value.as_str()) =>
            {
                index += 1;
            }
            Some(Kind::LParen) => index = skip_group(tokens, index, &Kind::LParen, &Kind::RParen),
            _ => break,
        }
    }
    let mut array = false;
    while matches!(tokens.get(index).map(|token| &token.kind), Some(Kind::LBracket)) {
        array = true;
        index = skip_group(tokens, index, &Kind::LBracket, &Kind::RBracket);
    }
    let cast = Cast { schema, name, name_span: tokens[start].span.start..name_end, array, literal };
    (Some(cast), index)
}

/// The index after the balanced group opened at `start`.
fn skip_group(tokens: &[Token], start: usize, open: &Kind, close: &Kind) -> usize {
    let mut depth = 0usize;
    for (index, token) in tokens.iter().enumerate().skip(start) {
        if token.kind == *open {
            depth += 1;
        } else if token.kind == *close {
            depth -= 1;
            if depth == 0 {
                return index + 1;
            }
        }
    }
    tokens.len()
}

/// The index after a (possibly qualified) name at `start`.
fn skip_qualified_name(tokens: &[Token], start: usize) -> usize {
    let mut index = start;
    while matches!(tokens.get(index).map(|token| &token.kind), Some(Kind::Word { .. })) {
        index += 1;
        if !matches!(tokens.get(index).map(|token| &token.kind), Some(Kind::Period)) {
            break;
        }
        index += 1;
    }
    index
}

/// `text` with each span replaced (spans do not overlap).
fn apply(text: &str, edits: impl IntoIterator<Item = (Range<usize>, String)>) -> String {
    let mut edits: Vec<(Range<usize>, String)> = edits.into_iter().collect();
    edits.sort_by_key(|(span, _)| span.start);
    let mut result = String::with_capacity(text.len());
    let mut at = 0;
    for (span, replacement) in edits {
        result.push_str(&text[at..span.start]);
        result.push_str(&replacement);
        at = span.end;
    }
    result.push_str(&text[at..]);
    result
}

// ----- array literals --------------------------------------------------------

/// One element of an array literal's text (`{a,"b c"}`), decoded, with its
/// span in that text. `NULL` elements are left out.
struct Element {
    span: Range<usize>,
    value: String,
}

/// The elements of an array's text as `array_out` writes it, at any depth.
fn array_elements(text: &str) -> Vec<Element> {
    let mut elements = Vec::new();
    if !text.starts_with('{') {
        return elements;
    }
    let mut characters = text.char_indices().peekable();
    while let Some((start, character)) = characters.next() {
        match character {
            '{' | '}' | ',' => {}
            character if character.is_whitespace() => {}
            '"' => {
                let mut value = String::new();
                let mut end = text.len();
                while let Some((at, inner)) = characters.next() {
                    match inner {
                        '\\' => value.extend(characters.next().map(|(_, escaped)| escaped)),
                        '"' => {
                            end = at + 1;
                            break;
                        }
                        other => value.push(other),
                    }
                }
                elements.push(Element { span: start..end, value });
            }
            first => {
                let mut value = String::new();
                let mut end = start + first.len_utf8();
                if first == '\\' {
                    if let Some((at, escaped)) = characters.next() {
                        value.push(escaped);
                        end = at + escaped.len_utf8();
                    }
                } else {
                    value.push(first);
                }
                while let Some(&(at, next)) = characters.peek() {
                    if matches!(next, ',' | '}') {
                        break;
                    }
                    characters.next();
                    if next == '\\' {
                        if let Some((at, escaped)) = characters.next() {
                            value.push(escaped);
                            end = at + escaped.len_utf8();
                        }
                    } else {
                        value.push(next);
                        end = at + next.len_utf8();
                    }
                }
                let value = value.trim_end().to_owned();
                if !value.eq_ignore_ascii_case("null") {
                    elements.push(Element { span: start..end, value });
                }
            }
        }
    }
    elements
}

/// An array element as `array_out` writes it: in double quotes when empty,
/// `NULL`, or holding a quote, backslash, brace, comma or white space.
fn array_element(value: &str) -> String {
    let needs_quotes = value.is_empty()
        || value.eq_ignore_ascii_case("null")
        || value.chars().any(|character| {
            matches!(character, '"' | '\\' | '{' | '}' | ',')
                || matches!(character, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
        });
    if !needs_quotes {
        return value.to_owned();
    }
    let mut quoted = String::from('"');
    for character in value.chars() {
        if matches!(character, '"' | '\\') {
            quoted.push('\\');
        }
        quoted.push(character);
    }
    quoted.push('"');
    quoted
}

// ----- lexing ----------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Space,
    /// An identifier or keyword: unquoted ones folded to lower case, quoted
    /// ones with `""` undoubled.
    Word {
        value: String,
        quoted: bool,
    },
    /// A string literal's value (`'it''s'` → `it's`).
    Literal(String),
    Number,
    DoubleColon,
    Period,
    LParen,
    RParen,
    LBracket,
    RBracket,
    /// Any other character (operators, commas).
    Other,
}

#[derive(Debug)]
struct Token {
    kind: Kind,
    span: Range<usize>,
}

/// The tokens of `text`, spans in bytes. Never fails: an unterminated
/// quote runs to the end.
fn lex(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let start = at;
        let character = text[at..].chars().next().expect("not at the end");
        let kind = match character {
            character if character.is_whitespace() => {
                at += text[at..].find(|c: char| !c.is_whitespace()).unwrap_or(text.len() - at);
                Kind::Space
            }
            '\'' => {
                let (value, end) = quoted(text, at, b'\'', false);
                at = end;
                Kind::Literal(value)
            }
            'e' | 'E' | 'b' | 'B' | 'x' | 'X' | 'n' | 'N' if bytes.get(at + 1) == Some(&b'\'') => {
                let escapes = matches!(character, 'e' | 'E');
                let (value, end) = quoted(text, at + 1, b'\'', escapes);
                at = end;
                Kind::Literal(value)
            }
            '"' => {
                let (value, end) = quoted(text, at, b'"', false);
                at = end;
                Kind::Word { value, quoted: true }
            }
            character if character.is_alphabetic() || character == '_' => {
                at += text[at..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                    .unwrap_or(text.len() - at);
                Kind::Word { value: text[start..at].to_ascii_lowercase(), quoted: false }
            }
            '0'..='9' => {
                at += text[at..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                    .unwrap_or(text.len() - at);
                Kind::Number
            }
            ':' if bytes.get(at + 1) == Some(&b':') => {
                at += 2;
                Kind::DoubleColon
            }
            other => {
                at += other.len_utf8();
                match other {
                    '.' => Kind::Period,
                    '(' => Kind::LParen,
                    ')' => Kind::RParen,
                    '[' => Kind::LBracket,
                    ']' => Kind::RBracket,
                    _ => Kind::Other,
                }
            }
        };
        tokens.push(Token { kind, span: start..at });
    }
    tokens
}

/// The value of the quoted text opening at `start` (a doubled quote is one;
/// with `escapes`, a backslash takes the next character as it is) and the
/// byte after its closing quote.
fn quoted(text: &str, start: usize, quote: u8, escapes: bool) -> (String, usize) {
    let bytes = text.as_bytes();
    let mut value = String::new();
    let mut at = start + 1;
    let mut run = at;
    while at < bytes.len() {
        if escapes && bytes[at] == b'\\' {
            value.push_str(&text[run..at]);
            let next = text[at + 1..].chars().next();
            value.extend(next);
            at += 1 + next.map_or(0, char::len_utf8);
            run = at;
        } else if bytes[at] == quote {
            value.push_str(&text[run..at]);
            if bytes.get(at + 1) == Some(&quote) {
                value.push(quote as char);
                at += 2;
                run = at;
            } else {
                return (value, at + 1);
            }
        } else {
            at += 1;
        }
    }
    value.push_str(&text[run..]);
    (value, bytes.len())
}

/// Words `pg_get_expr` prints that are not column names.
fn is_printed_keyword(word: &str) -> bool {
    matches!(
        word,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn name(schema: &str, name: &str) -> QualifiedName {
        QualifiedName::new(schema, name)
    }

    #[test]
    fn columns_are_words_not_functions_types_keywords_or_literals() {
        let text = "((lower(email) <> 'email'::text) AND (\"Email\" IS NOT NULL))";
        assert!(mentions_column(text, "email"));
        assert!(mentions_column(text, "Email"));
        assert!(!mentions_column(text, "lower"));
        assert!(!mentions_column(text, "text"));
        assert!(!mentions_column(text, "not"));
        assert!(!mentions_column("'x'::character varying", "varying"));
        assert!(!mentions_column("(name COLLATE \"C\")", "C"));
        assert!(mentions_column("(name COLLATE \"C\")", "name"));
        assert!(!mentions_column("now()", "now"));
        assert!(!mentions_column("'created_at'::text", "created_at"));
    }

    #[test]
    fn sequences_used_are_regclass_literals_bare_in_public() {
        assert_eq!(
            sequences_used("nextval('users_id_seq'::regclass)"),
            [name("public", "users_id_seq")]
        );
        assert_eq!(
            sequences_used("nextval('app.\"Odd.Seq\"'::regclass) + nextval('a'::regclass)"),
            [name("app", "Odd.Seq"), name("public", "a")]
        );
        assert!(sequences_used("nextval('s'::text)").is_empty());
        assert!(sequences_used("'s'::regclass[]").is_empty());
        assert!(sequences_used("nextval('a.b.c'::regclass)").is_empty());
    }

    #[test]
    fn rename_column_leaves_literals_functions_and_longer_names() {
        assert_eq!(
            rename_column("((email <> 'email'::text) AND (emails > 0))", "email", "address"),
            "((address <> 'email'::text) AND (emails > 0))"
        );
        assert_eq!(rename_column("lower(email)", "email", "Mixed Case"), "lower(\"Mixed Case\")");
        assert_eq!(rename_column("(\"Email\" > 1)", "Email", "email"), "(email > 1)");
        assert_eq!(rename_column("(\"it's\" > 'it''s'::text)", "it's", "x"), "(x > 'it''s'::text)");
        assert_eq!(
            rename_column("'x'::character varying", "varying", "y"),
            "'x'::character varying"
        );
    }

    #[test]
    fn types_are_whole_names_bare_in_public_or_qualified() {
        let mood = name("public", "mood");
        assert!(mentions_type("'sad'::mood", &mood));
        assert!(mentions_type("'{sad}'::mood[]", &mood));
        assert!(mentions_type("'sad'::public.mood", &mood));
        assert!(!mentions_type("'sad'::moods", &mood));
        assert!(!mentions_type("'sad'::other.mood", &mood));
        assert!(!mentions_type("'::mood'::text", &mood));
        assert!(!mentions_type("(mood = 'x'::text)", &mood));
        assert!(mentions_type("'sad'::other.mood", &name("other", "mood")));
        assert!(mentions_type("'a'::\"Mood\"", &name("public", "Mood")));
        assert!(!mentions_type("'a'::\"Mood\"", &mood));
    }

    #[test]
    fn rename_type_leaves_longer_names_literals_and_other_schemas() {
        let (mood, feeling) = (name("public", "mood"), name("public", "feeling"));
        assert_eq!(
            rename_type("(('sad'::mood = m) AND ('x'::moods = n))", &mood, &feeling),
            "(('sad'::feeling = m) AND ('x'::moods = n))"
        );
        assert_eq!(rename_type("'{sad}'::mood[]", &mood, &feeling), "'{sad}'::feeling[]");
        assert_eq!(rename_type("'sad'::public.mood", &mood, &feeling), "'sad'::feeling");
        assert_eq!(rename_type("'sad'::other.mood", &mood, &feeling), "'sad'::other.mood");
        assert_eq!(rename_type("'::mood'::text", &mood, &feeling), "'::mood'::text");
        assert_eq!(
            rename_type("'sad'::mood", &mood, &name("other", "Feeling")),
            "'sad'::other.\"Feeling\""
        );
        assert_eq!(
            rename_type("'sad'::other.mood", &name("other", "mood"), &name("other", "feeling")),
            "'sad'::other.feeling"
        );
        assert_eq!(rename_type("(\"mood\")::mood", &mood, &feeling), "(\"mood\")::feeling");
    }

    #[test]
    fn enum_labels_are_literals_of_that_type_only() {
        let mood = name("public", "mood");
        assert!(uses_enum_label("(m <> 'sad'::mood)", &mood, "sad"));
        assert!(!uses_enum_label("(m <> 'sad'::other)", &mood, "sad"));
        assert!(!uses_enum_label("(m <> 'sad'::moods)", &mood, "sad"));
        assert!(!uses_enum_label("(m <> 'sadder'::mood)", &mood, "sad"));
        assert!(!uses_enum_label("(sad <> 'x'::mood)", &mood, "sad"));
        assert!(uses_enum_label("'{happy,sad}'::mood[]", &mood, "sad"));
        assert!(uses_enum_label("'{\"very sad\"}'::mood[]", &mood, "very sad"));
        assert!(!uses_enum_label("'{happy,sad}'::text[]", &mood, "sad"));
        assert!(uses_enum_label("'it''s'::mood", &mood, "it's"));
        assert!(uses_enum_label("'sad'::other.mood", &name("other", "mood"), "sad"));
        assert!(!uses_enum_label("'sad'::other.mood", &mood, "sad"));
    }

    #[test]
    fn rename_enum_label_only_in_that_type() {
        let mood = name("public", "mood");
        assert_eq!(
            rename_enum_label(
                "((a = 'sad'::mood) OR (b = 'sad'::other) OR (c = 'sad'::moods) OR (d = 'sad'::text))",
                &mood,
                "sad",
                "blue"
            ),
            "((a = 'blue'::mood) OR (b = 'sad'::other) OR (c = 'sad'::moods) OR (d = 'sad'::text))"
        );
        assert_eq!(rename_enum_label("'sad'::mood", &mood, "sad", "it's"), "'it''s'::mood");
        assert_eq!(rename_enum_label("'it''s'::mood", &mood, "it's", "ok"), "'ok'::mood");
        assert_eq!(
            rename_enum_label("'{happy,sad,NULL}'::mood[]", &mood, "sad", "very sad"),
            "'{happy,\"very sad\",NULL}'::mood[]"
        );
        assert_eq!(
            rename_enum_label("'{\"very sad\",happy}'::mood[]", &mood, "very sad", "blue"),
            "'{blue,happy}'::mood[]"
        );
        assert_eq!(
            rename_enum_label("\"sad\" = 'x'::mood", &mood, "sad", "blue"),
            "\"sad\" = 'x'::mood"
        );
    }

    #[test]
    fn parenthesized_is_one_group_around_the_whole_text() {
        assert!(is_parenthesized("(a + 1)"));
        assert!(is_parenthesized("((a)::text || ')')"));
        assert!(!is_parenthesized("(a)::text"));
        assert!(!is_parenthesized("lower(a)"));
        assert!(!is_parenthesized("(a) + (b)"));
        assert!(!is_parenthesized("a"));
    }

    #[test]
    fn unterminated_quotes_do_not_panic() {
        assert!(!mentions_column("'abc", "abc"));
        assert!(!mentions_type("'a'::", &name("public", "a")));
        let _ = rename_column("\"abc", "abc", "x");
    }

    #[test]
    fn sequences_are_renamed_where_they_are_regclass_literals_only() {
        let (old, new) =
            (QualifiedName::new("public", "t_id_seq"), QualifiedName::new("public", "u_id_seq"));
        assert_eq!(
            rename_sequence("nextval('t_id_seq'::regclass)", &old, &new),
            "nextval('u_id_seq'::regclass)"
        );
        // Another literal, a longer name, a text literal: left alone.
        let kept = "(nextval('t_id_seq2'::regclass) + length('t_id_seq'::text))";
        assert_eq!(rename_sequence(kept, &old, &new), kept);
        // Elsewhere than public, the name is qualified in the literal.
        let (old, new) =
            (QualifiedName::new("app", "t_id_seq"), QualifiedName::new("app", "Weird seq"));
        assert_eq!(
            rename_sequence("nextval('app.t_id_seq'::regclass)", &old, &new),
            "nextval('app.\"Weird seq\"'::regclass)"
        );
    }
    #[test]
    fn calls_are_functions_not_casts_keywords_or_columns() {
        let public = QualifiedName::new("public", "normalized");
        let other = QualifiedName::new("app", "normalized");
        let text = "((normalized(code))::text = app.normalized(lower(x))) AND (n > ANY (ARRAY[1]))";
        assert!(mentions_function(text, &public));
        assert!(mentions_function(text, &other));
        assert!(!mentions_function("(normalized_code > 0)", &public));
        assert!(!mentions_function("('normalized(x)'::text = y)", &public));
        assert!(!mentions_function("(x)::normalized", &public));
        let called: Vec<String> = functions_called(text).iter().map(ToString::to_string).collect();
        assert_eq!(called, ["public.normalized", "app.normalized", "public.lower"]);
        assert_eq!(
            rename_function(text, &public, &QualifiedName::new("public", "normalized__autogen_old")),
            "((normalized__autogen_old(code))::text = app.normalized(lower(x))) AND (n > ANY (ARRAY[1]))"
        );
        assert_eq!(
            rename_function("f(1) + \"F\"(2)", &QualifiedName::new("public", "F"), &other),
            "f(1) + app.normalized(2)"
        );
    }

    #[test]
    fn relations_are_words_of_their_name_in_their_schema() {
        let items = QualifiedName::new("public", "items");
        let body = "BEGIN ATOMIC\n SELECT count(*) AS count\n   FROM items;\nEND";
        assert!(mentions_relation(body, &items));
        assert!(mentions_relation("SELECT 1 FROM public.items", &items));
        assert!(!mentions_relation("SELECT 1 FROM app.items", &items));
        assert!(mentions_relation("SELECT 1 FROM app.items", &QualifiedName::new("app", "items")));
        assert!(!mentions_relation("SELECT items(1)", &items));
        assert!(!mentions_relation("SELECT 1 FROM item_list", &items));
    }

    #[test]
    fn a_renamed_relation_is_printed_with_its_new_name_where_it_is_named() {
        let items = QualifiedName::new("public", "items");
        assert_eq!(
            rename_relation(
                "SELECT items.id, 'items' FROM public.items JOIN app.items ON items(1)",
                &items,
                "Items old"
            ),
            "SELECT \"Items old\".id, 'items' FROM public.\"Items old\" JOIN app.items ON items(1)"
        );
    }
}
