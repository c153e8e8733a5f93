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
}

/// The statements of `script`, in order. Empty statements (`;;`) and
/// comment-only stretches are dropped. A script with an unterminated
/// string, quoted identifier, comment or body gives where it starts and
/// what it is.
pub fn split(script: &str) -> Result<Vec<StatementText>, (Location, String)> {
    let mut scanner = Scanner { script, offset: 0, line: 1, column: 1 };
    let mut statements = Vec::new();
    // The first token of the statement being read, and where its last
    // token ends.
    let mut start: Option<(usize, Location)> = None;
    let mut end = 0;
    while let Some(character) = scanner.peek() {
        let here = Location { line: scanner.line, column: scanner.column };
        let token_start = scanner.offset;
        // Words are read whole (`a$b`, `nameE'…'` is a word then a
        // string), so a `$` or `E'` here starts a token of its own.
        match character {
            ';' => {
                scanner.bump();
                if let Some((begin, location)) = start.take() {
                    statements
                        .push(StatementText { text: script[begin..end].to_owned(), location });
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
            _ => scanner.skip_other(),
        }
        start.get_or_insert((token_start, here));
        end = scanner.offset;
    }
    if let Some((begin, location)) = start {
        statements.push(StatementText { text: script[begin..end].to_owned(), location });
    }
    Ok(statements)
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
            self.bump();
            while self.peek().is_some_and(is_word_part) {
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
        self.bump();
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
