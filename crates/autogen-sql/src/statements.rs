//! Splitting a script into statements, each with the position where it
//! starts. A light scan that knows PostgreSQL's lexical rules for what may
//! hold a semicolon — strings (`'…'`, `E'…'` with backslash escapes),
//! quoted identifiers, dollar-quoted bodies, line and nested block
//! comments — finds where statements end without tokenizing them: only the
//! statements that build the schema are tokenized later, one at a time, so
//! reading a large file can go on while earlier statements are applied.
//! The tests check the scan against sqlparser's tokenizer on every fixture.

use crate::Location;

/// One statement of a script: its text (from its first token to the end of
/// its last, without the terminating `;`) and where its first token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementText {
    pub text: String,
    pub location: Location,
    /// The first character in it, outside quotes, that PostgreSQL would
    /// not take as it looks (see [`Stray`]).
    pub stray: Option<Stray>,
}

/// A character outside strings, quoted identifiers, bodies and comments
/// that PostgreSQL would not read as the text seems to say: a control
/// character (its lexer rejects it), or an invisible one — U+200B ZERO
/// WIDTH SPACE, U+00A0 NO-BREAK SPACE, a byte order mark, … — which its
/// lexer takes as part of a word (a name, or a keyword no longer
/// recognised).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stray {
    pub location: Location,
    pub character: char,
}

impl Stray {
    /// What is wrong, for a message: `U+200B ZERO WIDTH SPACE, an
    /// invisible character, outside quotes: …`.
    pub fn message(&self) -> String {
        let character = self.character;
        let code = format!("U+{:04X}", u32::from(character));
        if character.is_ascii_control() {
            format!(
                "control character {code} outside quotes: PostgreSQL rejects the statement; remove it"
            )
        } else {
            let name = invisible_name(character).map(|name| format!(" {name}")).unwrap_or_default();
            format!(
                "{code}{name}, an invisible character, outside quotes: PostgreSQL reads it as part of                  a word (a name, or a keyword it then does not know); remove it, or write the name                  that holds it in double quotes"
            )
        }
    }
}

/// The statements of `script`, in order. Empty statements (`;;`) and
/// comment-only stretches are dropped. A script with an unterminated
/// string, quoted identifier, comment or body gives where it starts and
/// what it is; one with a NUL character (which PostgreSQL takes nowhere in
/// SQL text) gives where the first is.
pub fn split(script: &str) -> Result<Vec<StatementText>, (Location, String)> {
    if let Some(nul) = script.find('\0') {
        return Err((
            location_of(script, nul),
            "a NUL character (U+0000): PostgreSQL takes none in SQL text".to_owned(),
        ));
    }
    let mut scanner = Scanner { script, offset: 0, line: 1, column: 1, stray: None };
    let mut statements = Vec::new();
    // The first token of the statement being read, and where its last
    // token ends.
    let mut start: Option<(usize, Location)> = None;
    let mut end = 0;
    let mut atomic = AtomicBodies::default();
    while let Some(character) = scanner.peek() {
        let here = Location { line: scanner.line, column: scanner.column };
        let token_start = scanner.offset;
        // Words are read whole (`a$b`, `nameE'…'` is a word then a
        // string), so a `$` or `E'` here starts a token of its own.
        match character {
            // Inside `BEGIN ATOMIC … END` a `;` ends a statement of the body.
            ';' if atomic.inside() => scanner.bump(),
            ';' => {
                scanner.bump();
                atomic = AtomicBodies::default();
                if let Some((begin, location)) = start.take() {
                    statements.push(StatementText {
                        text: script[begin..end].to_owned(),
                        location,
                        stray: scanner.stray.take(),
                    });
                }
                continue;
            }
            c if is_space(c) => {
                scanner.bump();
                continue;
            }
            '-' if scanner.next_is("--") => {
                scanner.skip_line_comment();
                continue;
            }
            '/' if scanner.next_is("/*") => {
                if !scanner.skip_block_comment() {
                    return Err((here, "unterminated comment (/* without */)".to_owned()));
                }
                continue;
            }
            '\'' => {
                if !scanner.skip_string(false) {
                    return Err((here, "unterminated quoted string".to_owned()));
                }
            }
            'e' | 'E' if scanner.after(1) == Some('\'') => {
                scanner.bump();
                if !scanner.skip_string(true) {
                    return Err((here, "unterminated quoted string".to_owned()));
                }
            }
            '"' => {
                if !scanner.skip_quoted_identifier() {
                    return Err((here, "unterminated quoted identifier".to_owned()));
                }
            }
            '$' => {
                if !scanner.skip_dollar() {
                    return Err((here, "unterminated dollar-quoted string".to_owned()));
                }
            }
            '(' => {
                atomic.parentheses += 1;
                scanner.bump();
            }
            ')' => {
                atomic.parentheses = atomic.parentheses.saturating_sub(1);
                scanner.bump();
            }
            _ => {
                scanner.skip_other();
                let token = &script[token_start..scanner.offset];
                if token.starts_with(is_word_start) {
                    atomic.word(token);
                }
            }
        }
        start.get_or_insert((token_start, here));
        end = scanner.offset;
    }
    if let Some((begin, location)) = start {
        statements.push(StatementText {
            text: script[begin..end].to_owned(),
            location,
            stray: scanner.stray.take(),
        });
    }
    Ok(statements)
}

/// Where a statement is in `BEGIN ATOMIC … END` bodies, as psql tells
/// (`psqlscan.l`): in a statement that starts `CREATE [OR REPLACE]
/// FUNCTION` or `PROCEDURE`, each `BEGIN` outside parentheses opens a block
/// and each `END` closes one, a `CASE` inside a block opening one too (it
/// ends with `END`); a `;` in a block does not end the statement.
#[derive(Default)]
struct AtomicBodies {
    /// The first letter of each of the statement's first four words that
    /// is `CREATE`, `OR`, `REPLACE`, `FUNCTION` or `PROCEDURE` (`\0` for
    /// another word).
    leading: [u8; 4],
    words: usize,
    parentheses: usize,
    depth: usize,
}

impl AtomicBodies {
    fn inside(&self) -> bool {
        self.depth > 0
    }

    fn word(&mut self, word: &str) {
        let folded = word.to_ascii_lowercase();
        if self.words < self.leading.len()
            && ["create", "function", "procedure", "or", "replace"].contains(&folded.as_str())
        {
            self.leading[self.words] = folded.as_bytes()[0];
        }
        self.words += 1;
        let routine =
            matches!(self.leading, [b'c', b'f' | b'p', ..] | [b'c', b'o', b'r', b'f' | b'p']);
        if !routine || self.parentheses > 0 {
            return;
        }
        match folded.as_str() {
            "begin" => self.depth += 1,
            "case" if self.depth > 0 => self.depth += 1,
            "end" => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
    }
}

/// The line and column (in characters) of byte `offset` of `text`.
pub fn location_of(text: &str, offset: usize) -> Location {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    Location {
        line: before.matches('\n').count() as u64 + 1,
        column: before[line_start..].chars().count() as u64 + 1,
    }
}

/// Characters that show as nothing (or as a plain space) but are not
/// PostgreSQL's white space: C1 controls, no-break and typographic
/// spaces, zero-width characters, direction marks, the byte order mark,
/// variation selectors, tags, fillers.
pub fn is_invisible(character: char) -> bool {
    matches!(
        u32::from(character),
        0x80..=0xA0
            | 0xAD
            | 0x34F
            | 0x61C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x2000..=0x200F
            | 0x2028..=0x202F
            | 0x205F..=0x206F
            | 0x3000
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFFB
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

/// The Unicode name of the invisible characters met most (pasted from web
/// pages and word processors).
fn invisible_name(character: char) -> Option<&'static str> {
    Some(match character {
        '\u{a0}' => "NO-BREAK SPACE",
        '\u{ad}' => "SOFT HYPHEN",
        '\u{200b}' => "ZERO WIDTH SPACE",
        '\u{200c}' => "ZERO WIDTH NON-JOINER",
        '\u{200d}' => "ZERO WIDTH JOINER",
        '\u{200e}' => "LEFT-TO-RIGHT MARK",
        '\u{200f}' => "RIGHT-TO-LEFT MARK",
        '\u{2028}' => "LINE SEPARATOR",
        '\u{2029}' => "PARAGRAPH SEPARATOR",
        '\u{202f}' => "NARROW NO-BREAK SPACE",
        '\u{2060}' => "WORD JOINER",
        '\u{3000}' => "IDEOGRAPHIC SPACE",
        '\u{feff}' => "ZERO WIDTH NO-BREAK SPACE (byte order mark)",
        _ => return None,
    })
}

/// PostgreSQL's white space (not Unicode's: U+0085 is part of a word).
fn is_space(character: char) -> bool {
    matches!(character, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// What starts a word in PostgreSQL's lexer (`ident_start`): a letter,
/// `_`, or any character beyond ASCII.
pub(crate) fn is_word_start(character: char) -> bool {
    character.is_ascii_alphabetic() || character == '_' || !character.is_ascii()
}

/// What continues a word (`ident_cont`): also digits and `$`.
pub(crate) fn is_word_part(character: char) -> bool {
    is_word_start(character) || character.is_ascii_digit() || character == '$'
}

/// A position in a script, counting lines and characters as the
/// tokenizer does.
struct Scanner<'s> {
    script: &'s str,
    offset: usize,
    line: u64,
    column: u64,
    /// The first stray character of the statement being read.
    stray: Option<Stray>,
}

impl Scanner<'_> {
    fn rest(&self) -> &str {
        &self.script[self.offset..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn after(&self, count: usize) -> Option<char> {
        self.rest().chars().nth(count)
    }

    fn next_is(&self, text: &str) -> bool {
        self.rest().starts_with(text)
    }

    fn bump(&mut self) {
        if let Some(character) = self.peek() {
            self.offset += character.len_utf8();
            if character == '\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
    }

    fn bump_str(&mut self, text: &str) {
        for _ in text.chars() {
            self.bump();
        }
    }

    /// `-- …` up to a line end (`\n` or `\r`, as PostgreSQL's lexer has it).
    fn skip_line_comment(&mut self) {
        while let Some(character) = self.peek() {
            self.bump();
            if character == '\n' || character == '\r' {
                break;
            }
        }
    }

    /// `/* … */`, nested as PostgreSQL nests them; whether it ends.
    fn skip_block_comment(&mut self) -> bool {
        self.bump_str("/*");
        let mut depth = 1;
        while depth > 0 && self.peek().is_some() {
            if self.next_is("/*") {
                self.bump_str("/*");
                depth += 1;
            } else if self.next_is("*/") {
                self.bump_str("*/");
                depth -= 1;
            } else {
                self.bump();
            }
        }
        depth == 0
    }

    /// `'…'` with `''` inside; with `backslashes`, `\'` too (`E'…'`).
    fn skip_string(&mut self, backslashes: bool) -> bool {
        self.bump();
        while let Some(character) = self.peek() {
            self.bump();
            match character {
                '\\' if backslashes => self.bump(),
                '\'' if self.peek() == Some('\'') => self.bump(),
                '\'' => return true,
                _ => {}
            }
        }
        false
    }

    /// `"…"` with `""` inside.
    fn skip_quoted_identifier(&mut self) -> bool {
        self.bump();
        while let Some(character) = self.peek() {
            self.bump();
            if character == '"' {
                if self.peek() == Some('"') {
                    self.bump();
                } else {
                    return true;
                }
            }
        }
        false
    }

    /// `$tag$ … $tag$` (or `$$ … $$`); a `$` that opens no body (`$1`) is
    /// a token of its own.
    fn skip_dollar(&mut self) -> bool {
        let rest = self.rest();
        let tag_length = rest[1..]
            .find(|character: char| !(is_word_start(character) || character.is_ascii_digit()))
            .map(|length| length + 1);
        let tag = match tag_length {
            Some(length)
                if rest[length..].starts_with('$')
                    && !rest[1..].starts_with(|character: char| character.is_ascii_digit()) =>
            {
                &rest[..=length]
            }
            _ => {
                self.bump();
                return true;
            }
        };
        let tag = tag.to_owned();
        self.bump_str(&tag);
        match self.rest().find(&tag) {
            Some(body) => {
                let body = self.rest()[..body].to_owned();
                self.bump_str(&body);
                self.bump_str(&tag);
                true
            }
            None => false,
        }
    }

    /// One token none of the cases above starts: a word (with the `$`s
    /// PostgreSQL lets a word hold), a number, or one character. A number
    /// is not continued by `$`: `10$$…$$` is a number and a body, as
    /// PostgreSQL's lexer reads it.
    fn skip_other(&mut self) {
        let Some(first) = self.peek() else { return };
        if is_word_start(first) {
            while let Some(character) = self.peek().filter(|&character| is_word_part(character)) {
                if !character.is_ascii() && is_invisible(character) {
                    self.note_stray(character);
                }
                self.bump();
            }
            return;
        }
        if first.is_ascii_digit() {
            // PostgreSQL 16's `0x1F`, `0o17`, `0b101`.
            let radix = match self.after(1) {
                _ if first != '0' => None,
                Some('x' | 'X') => Some(16),
                Some('o' | 'O') => Some(8),
                Some('b' | 'B') => Some(2),
                _ => None,
            };
            if let Some(radix) = radix {
                if self.after(2).is_some_and(|digit| digit.is_digit(radix)) {
                    self.bump();
                    self.bump();
                    self.skip_digits(radix);
                    return;
                }
            }
            self.skip_digits(10);
            if self.peek() == Some('.') {
                self.bump();
                self.skip_digits(10);
            }
            let exponent_sign = usize::from(matches!(self.after(1), Some('+' | '-')));
            if matches!(self.peek(), Some('e' | 'E'))
                && self.after(1 + exponent_sign).is_some_and(|digit| digit.is_ascii_digit())
            {
                self.bump();
                if exponent_sign == 1 {
                    self.bump();
                }
                self.skip_digits(10);
            }
            return;
        }
        if first.is_ascii_control() {
            self.note_stray(first);
        }
        self.bump();
    }

    /// Keeps `character`, here, as the statement's stray if it has none.
    fn note_stray(&mut self, character: char) {
        let location = Location { line: self.line, column: self.column };
        self.stray.get_or_insert(Stray { location, character });
    }

    /// Digits, with the `_` between two of them PostgreSQL 16 allows.
    fn skip_digits(&mut self, radix: u32) {
        loop {
            match self.peek() {
                Some(digit) if digit.is_digit(radix) => self.bump(),
                Some('_') if self.after(1).is_some_and(|digit| digit.is_digit(radix)) => {
                    self.bump()
                }
                _ => return,
            }
        }
    }
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
                      /* a; /* nested; */ b; */ CREATE TABLE \"we;ird\" (id int);;\n\
                      SELECT E'it\\'s; here', $body$ ; $x$ ; $body$, a$b, $1;";
        let statements = texts(script);
        assert_eq!(statements.len(), 4, "{statements:?}");
        assert_eq!(statements[0].0, "COMMENT ON TABLE a IS 'x; y'");
        assert!(statements[1].0.ends_with("$$ SELECT 1; $$"));
        assert_eq!(statements[2], ("CREATE TABLE \"we;ird\" (id int)".to_owned(), 3, 27));
        assert_eq!(statements[3].0, "SELECT E'it\\'s; here', $body$ ; $x$ ; $body$, a$b, $1");
    }

    #[test]
    fn sql_standard_bodies_are_kept_whole_as_psql_keeps_them() {
        let script = "CREATE FUNCTION f() RETURNS int LANGUAGE sql\n\
                      BEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END;\nEND;\n\
                      create or replace procedure p() begin atomic select (1); end;\n\
                      CREATE TABLE begin_here (\"begin\" int);\n\
                      BEGIN; SELECT 1; END;";
        let statements = texts(script);
        let texts: Vec<&str> = statements.iter().map(|(text, _, _)| text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END;\nEND",
                "create or replace procedure p() begin atomic select (1); end",
                "CREATE TABLE begin_here (\"begin\" int)",
                "BEGIN",
                "SELECT 1",
                "END",
            ]
        );
    }

    #[test]
    fn a_dollar_after_a_number_opens_a_body_and_after_a_word_continues_it() {
        // PostgreSQL's lexer: a number is not continued by `$`, a word is.
        let statements = texts("SELECT 10$$;$$; SELECT 0x1F$b$;$b$, a1$$; SELECT x$1; SELECT 2");
        let texts: Vec<&str> = statements.iter().map(|(text, _, _)| text.as_str()).collect();
        assert_eq!(texts, ["SELECT 10$$;$$", "SELECT 0x1F$b$;$b$, a1$$", "SELECT x$1", "SELECT 2"]);
    }

    #[test]
    fn columns_count_characters() {
        let statements = texts("COMMENT ON TABLE t IS 'café'; SELECT 2");
        assert_eq!(statements[1], ("SELECT 2".to_owned(), 1, 31));
    }

    #[test]
    fn unterminated_strings_identifiers_comments_and_bodies_are_located() {
        for (script, what) in [
            ("CREATE TABLE a (id int);\nCOMMENT ON TABLE a IS 'oops", "quoted string"),
            ("CREATE TABLE a (id int);\nSELECT E'it\\'s", "quoted string"),
            ("CREATE TABLE a (id int);\nCREATE TABLE \"b (id int)", "quoted identifier"),
            ("CREATE TABLE a (id int);\n/* /* */", "comment"),
            ("CREATE TABLE a (id int);\nDO $x$ BEGIN END $y$", "dollar-quoted string"),
        ] {
            let (location, message) = split(script).unwrap_err();
            assert_eq!(location.line, 2, "{script}");
            assert!(message.contains(what), "{script}: {message}");
        }
    }
}
