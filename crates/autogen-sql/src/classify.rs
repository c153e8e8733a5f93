//! Sorting statements by their leading keywords, before any parsing: which
//! build the schema, which are passed over without noise (`SET`,
//! transactions, data, privileges), which are about objects the model does
//! not describe yet (a warning), and which PostgreSQL itself would refuse —
//! a word that is not one of its commands (`CRATE TABLE`), a kind of object
//! it does not have (`CREATE TALBE`), stray punctuation before a statement.
//! Those are errors: passed over, the object the statement declares would
//! be missing, and the next migration would drop it.
//!
//! The commands are PostgreSQL's (the "SQL Commands" reference of versions
//! 15 to 18), and so are the kinds of object CREATE, ALTER, DROP and
//! COMMENT ON take.

use crate::statements::{is_word_part, is_word_start};

/// What a statement does to the schema, decided from its leading keywords.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    /// It builds or changes what the model describes.
    Builds,
    /// It does not change the schema (`SET`, `BEGIN`, `INSERT`, `GRANT`, …).
    PassedOver,
    /// It is about an object the model does not describe yet: `what` names
    /// it (`view`, `function`, …).
    Unmodelled { what: String },
    /// PostgreSQL would refuse it: `message` says why, `offset` is where
    /// (a byte offset into the statement's text).
    Rejected { message: String, offset: usize },
}

/// Decides from the leading keywords what a statement does.
pub fn classify(text: &str) -> Class {
    let tokens = leading_tokens(text, 8);
    let lead = Lead { text, tokens: &tokens };
    let Some(first) = tokens.first() else {
        // Only comments: nothing to do (the splitter drops these anyway).
        return Class::PassedOver;
    };
    if !first.is_word {
        return not_a_statement(&lead);
    }
    let command = first.keyword();
    match command.as_str() {
        "create" => create(&lead),
        "alter" => alter(&lead),
        "drop" => drop(&lead),
        "comment" => comment(&lead),
        "set" if lead.word(1) == "search_path" || lead.word(2) == "search_path" => Class::Builds,
        "select" if text.contains("set_config") && text.contains("search_path") => Class::Builds,
        "select" if has_words(text, &["into"]) => unmodelled("tables made by SELECT … INTO"),
        // `CLUSTER t USING i` (or `CLUSTER i ON t`) marks the index CLUSTER
        // uses; `CLUSTER [t]` alone uses the marked one.
        "cluster" if has_words(text, &["using"]) || has_words(text, &["on"]) => Class::Builds,
        // The block autogen writes to give an extension its own comment back.
        "do" if restores_extension_comment(text) => Class::Builds,
        "do" => unmodelled("DO blocks (procedural code that may change the schema)"),
        "call" => unmodelled("CALL statements (procedures that may change the schema)"),
        "explain" => unmodelled("EXPLAIN statements"),
        // `REFRESH MATERIALIZED VIEW` fills it or empties it (`WITH NO DATA`).
        "refresh" => Class::Builds,
        "import" => unmodelled("foreign tables"),
        other if COMMANDS.contains(&other) => Class::PassedOver,
        _ => Class::Rejected {
            message: format!(
                "`{}` is not a PostgreSQL command{}",
                visible(first.text(text)),
                suggestion(&command, COMMANDS)
            ),
            offset: first.offset,
        },
    }
}

/// The words that start a PostgreSQL command (`ANALYSE` is `ANALYZE`).
/// `(` starts one too: a parenthesised query.
const COMMANDS: &[&str] = &[
    "abort",
    "alter",
    "analyze",
    "analyse",
    "begin",
    "call",
    "checkpoint",
    "close",
    "cluster",
    "comment",
    "commit",
    "copy",
    "create",
    "deallocate",
    "declare",
    "delete",
    "discard",
    "do",
    "drop",
    "end",
    "execute",
    "explain",
    "fetch",
    "grant",
    "import",
    "insert",
    "listen",
    "load",
    "lock",
    "merge",
    "move",
    "notify",
    "prepare",
    "reassign",
    "refresh",
    "reindex",
    "release",
    "reset",
    "revoke",
    "rollback",
    "savepoint",
    "security",
    "select",
    "set",
    "show",
    "start",
    "table",
    "truncate",
    "unlisten",
    "update",
    "vacuum",
    "values",
    "with",
];

/// The kinds of object `CREATE` makes, with the words that must follow
/// some of them (`MATERIALIZED VIEW`).
const CREATE_KINDS: &[(&str, &[&str])] = &[
    ("access", &["method"]),
    ("aggregate", &[]),
    ("cast", &[]),
    ("collation", &[]),
    ("conversion", &[]),
    ("database", &[]),
    ("domain", &[]),
    ("event", &["trigger"]),
    ("extension", &[]),
    ("foreign", &["data", "table"]),
    ("function", &[]),
    ("group", &[]),
    ("index", &[]),
    ("language", &[]),
    ("materialized", &["view"]),
    ("operator", &[]),
    ("policy", &[]),
    ("procedure", &[]),
    ("publication", &[]),
    ("role", &[]),
    ("rule", &[]),
    ("schema", &[]),
    ("sequence", &[]),
    ("server", &[]),
    ("statistics", &[]),
    ("subscription", &[]),
    ("table", &[]),
    ("tablespace", &[]),
    ("text", &["search"]),
    ("transform", &[]),
    ("trigger", &[]),
    ("type", &[]),
    ("user", &[]),
    ("view", &[]),
];

/// What may come between `CREATE` and the kind: `OR REPLACE`, `TEMP`, …
const CREATE_MODIFIERS: &[&str] = &[
    "or",
    "temp",
    "temporary",
    "unlogged",
    "global",
    "local",
    "recursive",
    "trusted",
    "procedural",
    "default",
    "constraint",
    "unique",
];

/// The kinds of object `ALTER` changes.
const ALTER_KINDS: &[(&str, &[&str])] = &[
    ("aggregate", &[]),
    ("collation", &[]),
    ("conversion", &[]),
    ("database", &[]),
    ("default", &["privileges"]),
    ("domain", &[]),
    ("event", &["trigger"]),
    ("extension", &[]),
    ("foreign", &["data", "table"]),
    ("function", &[]),
    ("group", &[]),
    ("index", &[]),
    ("language", &[]),
    ("large", &["object"]),
    ("materialized", &["view"]),
    ("operator", &[]),
    ("policy", &[]),
    ("procedural", &["language"]),
    ("procedure", &[]),
    ("publication", &[]),
    ("role", &[]),
    ("routine", &[]),
    ("rule", &[]),
    ("schema", &[]),
    ("sequence", &[]),
    ("server", &[]),
    ("statistics", &[]),
    ("subscription", &[]),
    ("system", &[]),
    ("table", &[]),
    ("tablespace", &[]),
    ("text", &["search"]),
    ("trigger", &[]),
    ("type", &[]),
    ("user", &[]),
    ("view", &[]),
];

/// The kinds of object `DROP` removes (and `DROP OWNED`).
const DROP_KINDS: &[(&str, &[&str])] = &[
    ("access", &["method"]),
    ("aggregate", &[]),
    ("cast", &[]),
    ("collation", &[]),
    ("conversion", &[]),
    ("database", &[]),
    ("domain", &[]),
    ("event", &["trigger"]),
    ("extension", &[]),
    ("foreign", &["data", "table"]),
    ("function", &[]),
    ("group", &[]),
    ("index", &[]),
    ("language", &[]),
    ("materialized", &["view"]),
    ("operator", &[]),
    ("owned", &[]),
    ("policy", &[]),
    ("procedural", &["language"]),
    ("procedure", &[]),
    ("publication", &[]),
    ("role", &[]),
    ("routine", &[]),
    ("rule", &[]),
    ("schema", &[]),
    ("sequence", &[]),
    ("server", &[]),
    ("statistics", &[]),
    ("subscription", &[]),
    ("table", &[]),
    ("tablespace", &[]),
    ("text", &["search"]),
    ("transform", &[]),
    ("trigger", &[]),
    ("type", &[]),
    ("user", &[]),
    ("view", &[]),
];

/// The kinds of object `COMMENT ON` describes.
const COMMENT_KINDS: &[(&str, &[&str])] = &[
    ("access", &["method"]),
    ("aggregate", &[]),
    ("cast", &[]),
    ("collation", &[]),
    ("column", &[]),
    ("constraint", &[]),
    ("conversion", &[]),
    ("database", &[]),
    ("domain", &[]),
    ("event", &["trigger"]),
    ("extension", &[]),
    ("foreign", &["data", "table"]),
    ("function", &[]),
    ("index", &[]),
    ("language", &[]),
    ("large", &["object"]),
    ("materialized", &["view"]),
    ("operator", &[]),
    ("policy", &[]),
    ("procedural", &["language"]),
    ("procedure", &[]),
    ("publication", &[]),
    ("role", &[]),
    ("routine", &[]),
    ("rule", &[]),
    ("schema", &[]),
    ("sequence", &[]),
    ("server", &[]),
    ("statistics", &[]),
    ("subscription", &[]),
    ("table", &[]),
    ("tablespace", &[]),
    ("text", &["search"]),
    ("transform", &[]),
    ("trigger", &[]),
    ("type", &[]),
    ("view", &[]),
];

fn unmodelled(what: &str) -> Class {
    Class::Unmodelled { what: what.to_owned() }
}

/// `CREATE [OR REPLACE] [TEMP | UNLOGGED | …] <kind>`
fn create(lead: &Lead<'_>) -> Class {
    let mut index = 1;
    if lead.word(index) == "or" {
        if lead.word(index + 1) != "replace" {
            return lead.expected(index + 1, "CREATE OR", &["replace"]);
        }
        index += 2;
    }
    while CREATE_MODIFIERS.contains(&lead.word(index).as_str()) && lead.word(index) != "or" {
        match lead.word(index).as_str() {
            "unique" if lead.word(index + 1) == "index" => return Class::Builds,
            "unique" => return lead.expected(index + 1, "CREATE UNIQUE", &["index"]),
            "constraint" if lead.word(index + 1) == "trigger" => return Class::Builds,
            "constraint" => return lead.expected(index + 1, "CREATE CONSTRAINT", &["trigger"]),
            "temp" | "temporary" => return Class::PassedOver,
            _ => index += 1,
        }
    }
    if let Some(rejected) = lead.kind(index, "CREATE", "create", CREATE_KINDS) {
        return rejected;
    }
    match lead.word(index).as_str() {
        "table" | "index" | "schema" | "extension" | "type" | "sequence" => Class::Builds,
        "view" | "materialized" => Class::Builds,
        "function" | "procedure" | "aggregate" => Class::Builds,
        "trigger" | "policy" => Class::Builds,
        "event" => unmodelled("event triggers"),
        "domain" => Class::Builds,
        "rule" => unmodelled("rules"),
        "operator" => unmodelled("operators"),
        "cast" => unmodelled("casts"),
        "collation" => Class::Builds,
        "foreign" | "server" => unmodelled("foreign tables"),
        "publication" | "subscription" => unmodelled("publications and subscriptions"),
        "statistics" => Class::Builds,
        "text" => unmodelled("text search configurations"),
        "language" => unmodelled("languages"),
        "role" | "user" | "group" | "database" | "tablespace" => Class::PassedOver,
        other => unmodelled(&format!("CREATE {}", other.to_uppercase())),
    }
}

/// `ALTER <kind> …`
fn alter(lead: &Lead<'_>) -> Class {
    if let Some(rejected) = lead.kind(1, "ALTER", "alter", ALTER_KINDS) {
        return rejected;
    }
    let text = lead.text;
    if has_words(text, &["owner", "to"]) {
        return Class::PassedOver;
    }
    match lead.word(1).as_str() {
        "table" | "index" | "type" | "sequence" | "schema" | "extension" | "domain"
        | "statistics" | "collation" | "trigger" | "policy" | "view" | "materialized" => {
            Class::Builds
        }
        "function" | "procedure" | "aggregate" | "routine" => Class::Builds,
        "default" | "role" | "user" | "group" | "database" | "tablespace" | "system" => {
            Class::PassedOver
        }
        other => unmodelled(&format!("ALTER {}", other.to_uppercase())),
    }
}

/// `DROP <kind> …`
fn drop(lead: &Lead<'_>) -> Class {
    if let Some(rejected) = lead.kind(1, "DROP", "drop", DROP_KINDS) {
        return rejected;
    }
    match lead.word(1).as_str() {
        "table" | "index" | "type" | "sequence" | "schema" | "extension" | "domain"
        | "statistics" | "collation" | "trigger" | "policy" | "view" | "materialized" => {
            Class::Builds
        }
        "function" | "procedure" | "aggregate" | "routine" => Class::Builds,
        "role" | "user" | "group" | "database" | "tablespace" | "owned" => Class::PassedOver,
        other => unmodelled(&format!("DROP {}", other.to_uppercase())),
    }
}

/// Whether `text` is `DO $autogen$…$autogen$` as
/// `autogen_schema::ddl::restore_extension_comment_sql` writes it.
fn restores_extension_comment(text: &str) -> bool {
    let tag = "$autogen$";
    let body = text.trim().trim_end_matches(';').trim_end();
    let body = body.get(2..).map(str::trim_start).unwrap_or_default();
    body.strip_prefix(tag)
        .and_then(|body| body.strip_suffix(tag))
        .and_then(autogen_schema::ddl::restored_extension_comment)
        .is_some()
}

/// `COMMENT ON <kind> … IS …`
fn comment(lead: &Lead<'_>) -> Class {
    if lead.word(1) != "on" {
        return lead.expected(1, "COMMENT", &["on"]);
    }
    if let Some(rejected) = lead.kind(2, "COMMENT ON", "describe with COMMENT ON", COMMENT_KINDS) {
        return rejected;
    }
    match lead.word(2).as_str() {
        "table" | "column" | "schema" | "extension" | "type" | "domain" | "sequence" | "index"
        | "constraint" | "collation" | "trigger" | "policy" | "view" | "materialized" => {
            Class::Builds
        }
        "function" | "procedure" | "aggregate" | "routine" => Class::Builds,
        other => unmodelled(&format!("comments on {other} objects")),
    }
}

/// A statement whose first token is not a word: a parenthesised query, or
/// something PostgreSQL refuses.
fn not_a_statement(lead: &Lead<'_>) -> Class {
    let tokens = lead.tokens;
    let parentheses = tokens.iter().take_while(|token| token.text(lead.text) == "(").count();
    if parentheses > 0 {
        return match tokens.get(parentheses) {
            Some(token)
                if token.is_word
                    && ["select", "values", "with", "table"]
                        .contains(&token.keyword().as_str()) =>
            {
                Class::PassedOver
            }
            _ => Class::Rejected {
                message: "a statement in parentheses is a query (SELECT, VALUES, WITH or TABLE) \
                          in PostgreSQL; this one is not"
                    .to_owned(),
                offset: tokens[0].offset,
            },
        };
    }
    let first = &tokens[0];
    let before = match tokens.get(1) {
        Some(next) if next.is_word && COMMANDS.contains(&next.keyword().as_str()) => {
            format!(" before {}", next.keyword().to_uppercase())
        }
        _ => String::new(),
    };
    Class::Rejected {
        message: format!(
            "`{}`{before} cannot start a statement: PostgreSQL reads every statement from a \
             command word (CREATE, ALTER, …); remove what is stray",
            visible(first.text(lead.text))
        ),
        offset: first.offset,
    }
}

/// A statement's first tokens.
struct Lead<'t> {
    text: &'t str,
    tokens: &'t [Token],
}

impl Lead<'_> {
    /// Token `index` as a keyword (lower case), or `""` when it is not a
    /// word or not there.
    fn word(&self, index: usize) -> String {
        self.tokens.get(index).filter(|token| token.is_word).map(Token::keyword).unwrap_or_default()
    }

    /// `None` when token `index` is one of `kinds` (followed by the word
    /// the kind requires); otherwise the refusal naming it.
    fn kind(
        &self,
        index: usize,
        command: &str,
        verb: &str,
        kinds: &[(&str, &[&str])],
    ) -> Option<Class> {
        let word = self.word(index);
        let Some((_, following)) = kinds.iter().find(|(kind, _)| *kind == word) else {
            let Some(token) = self.tokens.get(index) else {
                return Some(Class::Rejected {
                    message: format!("{command} without the kind of object it is about"),
                    offset: self.text.len(),
                });
            };
            let names: Vec<&str> = kinds.iter().map(|(kind, _)| *kind).collect();
            let modifiers = if command == "CREATE" { CREATE_MODIFIERS } else { &[] };
            let known: Vec<&str> = names.iter().chain(modifiers).copied().collect();
            return Some(Class::Rejected {
                message: format!(
                    "`{}` is not a kind of object PostgreSQL can {verb}{}",
                    visible(token.text(self.text)),
                    suggestion(&token.keyword(), &known)
                ),
                offset: token.offset,
            });
        };
        if following.is_empty() || following.contains(&self.word(index + 1).as_str()) {
            return None;
        }
        Some(self.expected(index + 1, &format!("{command} {}", word.to_uppercase()), following))
    }

    /// The refusal of token `index`, where PostgreSQL expects one of
    /// `expected` after `before`.
    fn expected(&self, index: usize, before: &str, expected: &[&str]) -> Class {
        let expected: Vec<String> = expected.iter().map(|word| word.to_uppercase()).collect();
        let expected = expected.join(" or ");
        match self.tokens.get(index) {
            Some(token) => Class::Rejected {
                message: format!(
                    "`{}` after {before}: PostgreSQL expects {expected}",
                    visible(token.text(self.text))
                ),
                offset: token.offset,
            },
            None => Class::Rejected {
                message: format!("{before} without {expected}"),
                offset: self.text.len(),
            },
        }
    }
}

/// One of a statement's first tokens.
struct Token {
    offset: usize,
    length: usize,
    keyword: String,
    is_word: bool,
}

impl Token {
    fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.offset..self.offset + self.length]
    }

    /// The word as PostgreSQL compares keywords: ASCII letters folded.
    fn keyword(&self) -> String {
        self.keyword.clone()
    }
}

/// The first `count` tokens of a statement, comments and white space
/// skipped: words as PostgreSQL's lexer reads them (so a word holding an
/// invisible character is not a keyword), anything else one character at
/// a time (a quoted name or a string as its opening quote).
fn leading_tokens(text: &str, count: usize) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut offset = 0;
    while tokens.len() < count {
        let rest = &text[offset..];
        let trimmed = rest.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
        offset += rest.len() - trimmed.len();
        let rest = trimmed;
        if let Some(after) = rest.strip_prefix("--") {
            offset += 2 + after.find(['\n', '\r']).unwrap_or(after.len());
            continue;
        }
        if rest.starts_with("/*") {
            offset += block_comment_length(rest);
            continue;
        }
        let Some(first) = rest.chars().next() else { break };
        let length = if is_word_start(first) {
            rest.find(|character: char| !is_word_part(character)).unwrap_or(rest.len())
        } else {
            first.len_utf8()
        };
        let word = &rest[..length];
        tokens.push(Token {
            offset,
            length,
            keyword: if is_word_start(first) { word.to_ascii_lowercase() } else { String::new() },
            is_word: is_word_start(first),
        });
        offset += length;
    }
    tokens
}

/// The length of the nested `/* … */` comment `text` starts with (all of
/// `text` when it does not end).
fn block_comment_length(text: &str) -> usize {
    let mut depth = 0;
    let mut index = 0;
    let bytes = text.as_bytes();
    while index < bytes.len() {
        if bytes[index..].starts_with(b"/*") {
            depth += 1;
            index += 2;
        } else if bytes[index..].starts_with(b"*/") {
            depth -= 1;
            index += 2;
            if depth == 0 {
                return index;
            }
        } else {
            index += 1;
        }
    }
    text.len()
}

/// Whether `text` has `sequence` as consecutive words (`OWNER TO`,
/// `PARTITION OF`), case-insensitively. An approximation — a string literal
/// holding the words would match too — good enough to sort statements.
pub(crate) fn has_words(text: &str, sequence: &[&str]) -> bool {
    // Most statements do not hold the first word at all: say so without
    // splitting the text into words.
    let first = sequence.first().map_or(&[][..], |word| word.as_bytes());
    if first.is_empty()
        || !text.as_bytes().windows(first.len()).any(|window| window.eq_ignore_ascii_case(first))
    {
        return false;
    }
    let words: Vec<&str> = text
        .split(|character: char| character.is_whitespace() || character == '(' || character == ')')
        .filter(|word| !word.is_empty())
        .collect();
    words.windows(sequence.len()).any(|window| {
        window.iter().zip(sequence).all(|(word, expected)| word.eq_ignore_ascii_case(expected))
    })
}

/// `; did you mean CREATE?` when one of `known` is close to `word` (an
/// edit or two, transpositions counted as one), else nothing.
fn suggestion(word: &str, known: &[&str]) -> String {
    let word: Vec<char> = word.chars().collect();
    let nearest = known
        .iter()
        .map(|candidate| (edit_distance(&word, &candidate.chars().collect::<Vec<_>>()), *candidate))
        .min();
    match nearest {
        Some((distance, candidate))
            if distance > 0 && distance * 3 <= word.len().max(candidate.len()) =>
        {
            format!("; did you mean {}?", candidate.to_uppercase())
        }
        _ => String::new(),
    }
}

/// Edits (insert, delete, replace, swap two neighbours) from `left` to
/// `right`: the optimal string alignment distance.
fn edit_distance(left: &[char], right: &[char]) -> usize {
    let width = right.len() + 1;
    let mut table = vec![0; (left.len() + 1) * width];
    for (index, cell) in table.iter_mut().enumerate() {
        let (row, column) = (index / width, index % width);
        if row == 0 || column == 0 {
            *cell = row + column;
        }
    }
    for row in 1..=left.len() {
        for column in 1..=right.len() {
            let cost = usize::from(left[row - 1] != right[column - 1]);
            let mut best = (table[(row - 1) * width + column] + 1)
                .min(table[row * width + column - 1] + 1)
                .min(table[(row - 1) * width + column - 1] + cost);
            if row > 1
                && column > 1
                && left[row - 1] == right[column - 2]
                && left[row - 2] == right[column - 1]
            {
                best = best.min(table[(row - 2) * width + column - 2] + 1);
            }
            table[row * width + column] = best;
        }
    }
    table[left.len() * width + right.len()]
}

/// `text` with control and invisible characters written as `\u{200b}`, so
/// a message shows them.
pub(crate) fn visible(text: &str) -> String {
    let mut shown = String::new();
    for character in text.chars() {
        if character.is_control() || crate::statements::is_invisible(character) {
            shown.push_str(&format!("\\u{{{:x}}}", u32::from(character)));
        } else {
            shown.push(character);
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_classified_by_their_leading_keywords() {
        for text in [
            "CREATE TABLE t (id int)",
            "create unique index on t (id)",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (id)",
            "CREATE TYPE mood AS ENUM ('a')",
            "CREATE DOMAIN d AS int",
            "ALTER DOMAIN d SET NOT NULL",
            "DROP DOMAIN d",
            "ALTER TABLE ONLY t ADD CONSTRAINT c CHECK (id > 0)",
            "COMMENT ON COLUMN t.id IS 'x'",
            "/* x */ CREATE SCHEMA app",
            "SET search_path = public",
            "SELECT pg_catalog.set_config('search_path', '', false)",
            "CREATE UNLOGGED TABLE u (id int)",
            "CREATE UNLOGGED SEQUENCE s",
            "CREATE STATISTICS s ON a, b FROM t",
            "ALTER STATISTICS s SET STATISTICS 100",
            "DROP STATISTICS s",
            "CLUSTER t USING t_pkey",
            "CLUSTER VERBOSE t_pkey ON t",
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
            "create or replace procedure p() language sql begin atomic select 1; end",
            "CREATE AGGREGATE a(int) (SFUNC = int4pl, STYPE = int)",
            "ALTER ROUTINE f() RENAME TO g",
            "ALTER FUNCTION f() STABLE",
            "DROP PROCEDURE IF EXISTS p",
            "DROP AGGREGATE a(int)",
            "COMMENT ON FUNCTION f() IS 'x'",
            "CREATE OR REPLACE VIEW v AS SELECT 1",
            "CREATE RECURSIVE VIEW v (n) AS SELECT 1",
            "CREATE MATERIALIZED VIEW m AS SELECT 1",
            "ALTER VIEW v RENAME TO w",
            "ALTER MATERIALIZED VIEW m RENAME TO n",
            "DROP VIEW v",
            "DROP MATERIALIZED VIEW IF EXISTS m CASCADE",
            "COMMENT ON VIEW v IS 'x'",
            "COMMENT ON MATERIALIZED VIEW m IS 'x'",
            "REFRESH MATERIALIZED VIEW CONCURRENTLY m",
            "CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f()",
            "create or replace constraint trigger tr after insert on t for each row execute function f()",
            "ALTER TRIGGER tr ON t RENAME TO tr2",
            "DROP TRIGGER IF EXISTS tr ON t",
            "CREATE POLICY p ON t USING (true)",
            "ALTER POLICY p ON t TO PUBLIC",
            "DROP POLICY p ON t",
            "COMMENT ON TRIGGER tr ON t IS 'x'",
            "COMMENT ON POLICY p ON t IS 'x'",
            "CREATE TABLE m (at date) PARTITION BY RANGE (at)",
            "CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
            "CREATE TABLE c (x int) INHERITS (p)",
            "ALTER TABLE ONLY m ATTACH PARTITION m1 DEFAULT",
            "ALTER TABLE m DETACH PARTITION m1 CONCURRENTLY",
            "ALTER INDEX m_pkey ATTACH PARTITION m1_pkey",
        ] {
            assert_eq!(classify(text), Class::Builds, "{text}");
        }
        for text in [
            "SET statement_timeout = 0",
            "SELECT pg_catalog.set_config('lock_timeout', '1s', false)",
            "BEGIN",
            "GRANT SELECT ON t TO app",
            "ALTER TABLE t OWNER TO app",
            "ALTER DOMAIN public.\"bıgınt\" OWNER TO postgres",
            "INSERT INTO t VALUES (1)",
            "CREATE TEMP TABLE scratch (id int)",
            "(SELECT 1) UNION (SELECT 2)",
            "((VALUES (1)))",
            "ANALYSE t",
            "SHOW search_path",
            "CREATE OR REPLACE TEMP VIEW v AS SELECT 1",
            "DROP OWNED BY app",
            "CREATE USER MAPPING FOR app SERVER s",
            "CLUSTER t",
            "ALTER STATISTICS s OWNER TO app",
            "ALTER FUNCTION f(int) OWNER TO app",
            "ALTER AGGREGATE a(int) OWNER TO app",
        ] {
            assert_eq!(classify(text), Class::PassedOver, "{text}");
        }
        for (text, what) in [
            ("CREATE FOREIGN TABLE f (a int) SERVER s", "foreign tables"),
            ("SELECT * INTO archive FROM t", "tables made by SELECT … INTO"),
            ("CREATE ACCESS METHOD heap2 TYPE TABLE HANDLER h", "CREATE ACCESS"),
            ("DROP TRANSFORM FOR int LANGUAGE sql", "DROP TRANSFORM"),
            ("COMMENT ON RULE r ON t IS 'x'", "comments on rule objects"),
        ] {
            assert_eq!(classify(text), Class::Unmodelled { what: what.to_owned() }, "{text}");
        }
    }

    fn rejected(text: &str) -> (String, &str) {
        match classify(text) {
            Class::Rejected { message, offset } => (message, &text[offset..]),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn what_postgresql_refuses_is_rejected_with_where_and_the_nearest_keyword() {
        for (text, message, at) in [
            (
                "CRATE TABLE x (id int)",
                "`CRATE` is not a PostgreSQL command; did you mean CREATE?",
                "CRATE",
            ),
            (
                "-- note\nSELET 1",
                "`SELET` is not a PostgreSQL command; did you mean SELECT?",
                "SELET",
            ),
            ("FOO BAR", "`FOO` is not a PostgreSQL command", "FOO"),
            (
                "\u{200b}CREATE TABLE x (id int)",
                "`\\u{200b}CREATE` is not a PostgreSQL command; did you mean CREATE?",
                "\u{200b}CREATE",
            ),
            (
                "CREATE TALBE x (id int)",
                "`TALBE` is not a kind of object PostgreSQL can create; did you mean TABLE?",
                "TALBE",
            ),
            (
                "CREATE OR REPLACE VEIW v AS SELECT 1",
                "`VEIW` is not a kind of object PostgreSQL can create; did you mean VIEW?",
                "VEIW",
            ),
            (
                "CREATE MATERIALIZED VEIW v AS SELECT 1",
                "`VEIW` after CREATE MATERIALIZED: PostgreSQL expects VIEW",
                "VEIW",
            ),
            (
                "ALTER TABEL t ADD COLUMN a int",
                "`TABEL` is not a kind of object PostgreSQL can alter; did you mean TABLE?",
                "TABEL",
            ),
            (
                "DROP TABLES t",
                "`TABLES` is not a kind of object PostgreSQL can drop; did you mean TABLE?",
                "TABLES",
            ),
            (
                "COMMENT ON TABLEE t IS 'x'",
                "`TABLEE` is not a kind of object PostgreSQL can describe with COMMENT ON; did you mean TABLE?",
                "TABLEE",
            ),
            ("COMMENT TABLE t IS 'x'", "`TABLE` after COMMENT: PostgreSQL expects ON", "TABLE"),
            ("CREATE UNIQUE TABLE t (a int)", "`TABLE` after CREATE UNIQUE: PostgreSQL expects INDEX", "TABLE"),
            (
                ". CREATE TABLE x (id int)",
                "`.` before CREATE cannot start a statement",
                ". CREATE",
            ),
            ("\u{1}CREATE TABLE x (id int)", "`\\u{1}` before CREATE cannot start", "\u{1}CREATE"),
            ("'x'", "`'` cannot start a statement", "'x'"),
            ("(CREATE TABLE x (id int))", "a statement in parentheses is a query", "(CREATE"),
            ("CREATE", "CREATE without the kind of object it is about", ""),
        ] {
            let (found, found_at) = rejected(text);
            assert!(found.starts_with(message), "{text}: {found}");
            assert!(found_at.starts_with(at), "{text}: at {found_at:?}");
        }
    }

    #[test]
    fn suggestions_are_only_for_near_misses() {
        assert_eq!(suggestion("crate", COMMANDS), "; did you mean CREATE?");
        assert_eq!(suggestion("altre", COMMANDS), "; did you mean ALTER?");
        assert_eq!(suggestion("foo", COMMANDS), "");
        assert_eq!(suggestion("1", COMMANDS), "");
    }
}
