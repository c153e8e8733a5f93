//! No input makes the reader or the replay panic: every fixture, replay
//! script and corpus schema, truncated at many points and mutated at random
//! (deterministically), goes through `read`, `parse` and `parse_type`; the
//! replay scripts are also replayed onto every fixture's schema. The
//! statement splitter ends statements where sqlparser's tokenizer does.
//!
//! Each file's mutations are drawn from a generator seeded by that file's
//! name and text alone, so what is checked on the fixtures does not depend
//! on whether the optional corpus (`AUTOGEN_CORPUS`) is there.

use autogen_sql::read::{read, Source};

/// xorshift64*: a small deterministic generator, so a failure reproduces.
struct Random(u64);

impl Random {
    /// A generator for one input file: seeded by the test (`salt`) and the
    /// file's name and text (FNV-1a), nothing else.
    fn for_file(salt: u64, name: &str, text: &str) -> Random {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in name.bytes().chain([0]).chain(text.bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        // xorshift never leaves zero.
        Random((hash ^ salt).max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

/// Every input file, named by its path from the workspace (corpus files as
/// `corpus/…`, wherever the corpus is), with its text.
fn inputs() -> Vec<(String, String)> {
    let workspace = autogen_testkit::workspace();
    let mut folders = vec![(workspace.join("fixtures/schemas"), "fixtures/schemas".to_owned())];
    if let Some(corpus) = autogen_testkit::corpus("mutating the corpus schemas is") {
        folders.push((corpus.join("real"), "corpus/real".to_owned()));
    }
    if let Ok(cases) = std::fs::read_dir(workspace.join("fixtures/replay")) {
        for case in cases.flatten().map(|entry| entry.path()).filter(|path| path.is_dir()) {
            let name = format!("fixtures/replay/{}", case.file_name().unwrap().to_string_lossy());
            folders.push((case, name));
        }
    }
    let mut files = Vec::new();
    for (folder, folder_name) in folders {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|extension| extension == "sql") {
                let name = format!("{folder_name}/{}", entry.file_name().to_string_lossy());
                files.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    assert!(files.len() >= 17, "the fixtures are there");
    files
}

const NOISE: &[&str] = &[
    "(", ")", "'", "\"", "$$", ";", "--", "/*", "\\", "é", "\u{0}", "CREATE", "::", "[", "]", ",",
];

/// Each input, then 40 variants of it: truncated, with noise inserted,
/// with stretches deleted, with characters replaced.
fn mutations(text: &str, random: &mut Random) -> Vec<String> {
    let characters: Vec<char> = text.chars().collect();
    let mut variants = vec![text.to_owned()];
    for round in 0..40 {
        let mut mutated: Vec<char> = characters.clone();
        match round % 4 {
            0 => mutated.truncate(random.below(characters.len())),
            1 => {
                for _ in 0..8 {
                    let at = random.below(mutated.len());
                    let noise = NOISE[random.below(NOISE.len())];
                    mutated.splice(at..at, noise.chars());
                }
            }
            2 => {
                for _ in 0..8 {
                    if mutated.is_empty() {
                        break;
                    }
                    let at = random.below(mutated.len());
                    let end = (at + random.below(20)).min(mutated.len());
                    mutated.drain(at..end);
                }
            }
            _ => {
                for _ in 0..16 {
                    let at = random.below(mutated.len());
                    if let Some(character) = mutated.get_mut(at) {
                        *character = char::from_u32((random.next() % 0x300) as u32).unwrap_or('?');
                    }
                }
            }
        }
        variants.push(mutated.into_iter().collect());
    }
    variants
}

#[test]
fn mutated_sources_never_panic() {
    for (name, text) in inputs() {
        let mut random = Random::for_file(0x5eed_1234_abcd_ef01, &name, &text);
        for mutated in mutations(&text, &mut random) {
            let source = Source { name: name.clone(), text: mutated };
            let (_, diagnostics) = read(std::slice::from_ref(&source));
            let parsed = autogen_sql::parse(std::slice::from_ref(&source));
            for diagnostic in diagnostics.into_iter().chain(parsed.diagnostics) {
                assert!(
                    diagnostic.location.line >= 1,
                    "{name}: a diagnostic without a line: {diagnostic}"
                );
            }
        }
    }
}

/// The statements as sqlparser's tokenizer sees them: the text from the
/// first token after a `;` to the end of the last token before the next —
/// but for a `;` inside a `BEGIN ATOMIC … END` body, which psql's rule
/// keeps (in a statement starting `CREATE [OR REPLACE] FUNCTION` or
/// `PROCEDURE`, an unquoted `BEGIN` outside parentheses opens a block, a
/// `CASE` inside one another, an `END` closes one).
fn tokenizer_statements(script: &str) -> Option<Vec<(String, u64, u64)>> {
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::tokenizer::{Token, Tokenizer};
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, script).tokenize_with_location().ok()?;
    let offsets: Vec<usize> = script.char_indices().map(|(offset, _)| offset).collect();
    let lines: Vec<usize> = std::iter::once(0)
        .chain(script.match_indices('\n').map(|(offset, _)| offset + 1))
        .collect();
    let offset = |line: u64, column: u64| {
        let start = lines[line as usize - 1];
        let before = script[..start].chars().count();
        offsets.get(before + column as usize - 1).copied().unwrap_or(script.len())
    };
    let mut statements = Vec::new();
    let mut current: Option<(u64, u64, usize)> = None;
    // psql's rule for SQL-standard bodies: the statement's leading words,
    // the parenthesis depth, the block depth.
    let (mut words, mut parentheses, mut blocks) = (Vec::<String>::new(), 0usize, 0usize);
    for token in tokens {
        match &token.token {
            Token::Word(word) if word.quote_style.is_none() => {
                let folded = word.value.to_ascii_lowercase();
                words.push(folded.clone());
                let leading: Vec<&str> = words.iter().take(4).map(String::as_str).collect();
                let routine = matches!(
                    leading.as_slice(),
                    ["create", "function" | "procedure", ..]
                        | ["create", "or", "replace", "function" | "procedure", ..]
                );
                if routine && parentheses == 0 {
                    match folded.as_str() {
                        "begin" => blocks += 1,
                        "case" if blocks > 0 => blocks += 1,
                        "end" => blocks = blocks.saturating_sub(1),
                        _ => {}
                    }
                }
            }
            Token::LParen => parentheses += 1,
            Token::RParen => parentheses = parentheses.saturating_sub(1),
            _ => {}
        }
        match token.token {
            Token::Whitespace(_) | Token::EOF => {}
            Token::SemiColon if blocks == 0 => {
                words.clear();
                parentheses = 0;
                if let Some((line, column, end)) = current.take() {
                    let text = script[offset(line, column)..end].to_owned();
                    statements.push((text, line, column));
                }
            }
            _ => {
                let (start, end) = (token.span.start, token.span.end);
                let end = offset(end.line, end.column);
                match &mut current {
                    Some((_, _, last)) => *last = end,
                    None => current = Some((start.line, start.column, end)),
                }
            }
        }
    }
    if let Some((line, column, end)) = current {
        statements.push((script[offset(line, column)..end].to_owned(), line, column));
    }
    Some(statements)
}

/// Whether the splitter and the tokenizer agree on `script` (panics with
/// both when not); `false` when either refuses it.
fn splits_as_the_tokenizer(name: &str, script: &str) -> bool {
    let Some(expected) = tokenizer_statements(script) else { return false };
    let Ok(statements) = autogen_sql::statements::split(script) else { return false };
    let found: Vec<(String, u64, u64)> = statements
        .into_iter()
        .map(|statement| (statement.text, statement.location.line, statement.location.column))
        .collect();
    assert_eq!(found, expected, "{name}:\n{script}");
    true
}

#[test]
fn statements_end_where_the_tokenizer_says() {
    let mut compared = 0;
    for (name, text) in inputs() {
        let mut random = Random::for_file(0x0dd_ba11, &name, &text);
        for mutated in mutations(&text, &mut random) {
            if splits_as_the_tokenizer(&format!("{name}, as mutated"), &mutated) {
                compared += 1;
            }
        }
    }
    assert!(compared > 500, "only {compared} inputs compared");
}

/// Inputs the splitter once split differently, kept whatever the random
/// draws give.
#[test]
fn statements_end_where_the_tokenizer_says_on_past_disagreements() {
    for script in [
        // A `$` after a number opens a body (the splitter once took the
        // digit for the end of a word, as in `a$b`): from a mutation of
        // fixtures/schemas/05_identity_serial.sql.
        "CREATE TABLE c (\n    id bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 10$$00 CACHE 50)\n);\n\n\
         CREATE TABLE d (slot smallint GENERATED BY DEFAULT AS IDENTITY (MIN;VALUE -32768));\n\n\
         CREAT$$E TABLE e (id serial);\nCREATE TABLE f (id int)",
        "SELECT 1$$;$$",
        "SELECT 1.5$$;$$",
        "SELECT .5e3$$;$$",
        "SELECT 1e$$; SELECT 2",
        "SELECT 1_000$x$;$x$",
        "SELECT 0x1F$$;$$",
        "SELECT a1$$;b",
        "SELECT x$1; SELECT é$$;",
        "SELECT 10E'a;\\'b'",
        "SELECT abcE'x;y'",
        "SELECT 1.e$x;",
    ] {
        assert!(splits_as_the_tokenizer("a past disagreement", script), "{script}");
    }
}

#[test]
fn replaying_any_script_onto_any_schema_never_panics() {
    let inputs = inputs();
    let schemas: Vec<autogen_schema::Schema> = inputs
        .iter()
        .filter(|(name, _)| name.contains("fixtures/schemas"))
        .map(|(name, text)| {
            autogen_sql::parse(&[Source { name: name.clone(), text: text.clone() }]).schema
        })
        .collect();
    for (name, text) in inputs.iter().filter(|(name, _)| name.contains("fixtures/replay")) {
        for schema in &schemas {
            let source = Source { name: name.clone(), text: text.clone() };
            let _ = autogen_sql::replay(schema.clone(), &[source]);
        }
    }
}

#[test]
fn garbage_type_spellings_never_panic() {
    let mut random = Random(42);
    let pieces = [
        "int",
        "varchar",
        "(",
        ")",
        "[",
        "]",
        "3",
        "99999999999999999999",
        ",",
        " ",
        "\"",
        "timestamp",
        "with",
        "time",
        "zone",
        "vector",
        ".",
        "-1",
        "interval",
        "year",
        "to",
        "second",
    ];
    for _ in 0..5_000 {
        let length = random.below(8);
        let spelling: String = (0..length).map(|_| pieces[random.below(pieces.len())]).collect();
        let _ = autogen_sql::types::parse_type(&spelling, "public");
    }
}
