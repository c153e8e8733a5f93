//! `GRANT` and `REVOKE` of privileges on views, materialized views and
//! routines (`ON [TABLE] name`, `ON {FUNCTION | PROCEDURE | ROUTINE}
//! name[(types)]`): read so that an object's grants are known
//! (`autogen_schema::privileges`, kept across a rebuild, never compared).
//! `ALL TABLES IN SCHEMA s` and `ALL FUNCTIONS | PROCEDURES | ROUTINES IN
//! SCHEMA s` reach the views and routines of those schemas too. Every other
//! form — privileges on schemas, sequences, types, columns, role
//! membership — is passed over, as it was before
//! any was read ([`parse`] gives `None`).

use sqlparser::tokenizer::Token;

use super::{Cursor, Ddl, Error, Name, RoutineKind, RoutineRef};

/// `GRANT privileges ON … TO grantees [WITH GRANT OPTION] [GRANTED BY r]`
/// or `REVOKE [GRANT OPTION FOR] privileges ON … FROM grantees [GRANTED BY
/// r] [CASCADE | RESTRICT]`.
#[derive(Debug, Clone, PartialEq)]
pub struct PrivilegeStatement {
    /// `GRANT` (else `REVOKE`).
    pub grant: bool,
    /// `WITH GRANT OPTION` of a grant; `GRANT OPTION FOR` of a revoke.
    pub grant_option: bool,
    /// The privilege keywords in upper case; `None` for `ALL [PRIVILEGES]`.
    pub privileges: Option<Vec<String>>,
    pub on: PrivilegeTarget,
    /// `None` for `CURRENT_ROLE`, `CURRENT_USER`, `SESSION_USER`: a role
    /// the text does not name (the migration's, most often the owner,
    /// whose own privileges are not kept).
    pub grantees: Vec<Option<autogen_schema::Grantee>>,
}

/// What privileges are granted on.
#[derive(Debug, Clone, PartialEq)]
pub enum PrivilegeTarget {
    /// `[TABLE] name, …`: tables, views, materialized views.
    Relations(Vec<Name>),
    /// `FUNCTION | PROCEDURE | ROUTINE name[(types)], …`
    Routines(RoutineKind, Vec<RoutineRef>),
    /// `ALL TABLES IN SCHEMA s, …` (`None`: every relation, views
    /// included) or `ALL FUNCTIONS | PROCEDURES | ROUTINES IN SCHEMA s, …`.
    AllIn(Option<RoutineKind>, Vec<String>),
}

/// The privilege keywords PostgreSQL knows (`privilege_to_string`).
const PRIVILEGES: &[&str] = &[
    "select",
    "insert",
    "update",
    "delete",
    "truncate",
    "references",
    "trigger",
    "execute",
    "usage",
    "create",
    "connect",
    "temporary",
    "temp",
    "set",
    "alter",
    "maintain",
];

/// A `GRANT` or `REVOKE` the model keeps (`Some`), or one it passes over
/// (`None`: another kind of object, column privileges, role membership, or
/// not a form it reads); an error where the statement reads as one about
/// a relation or routine but PostgreSQL's grammar refuses it.
pub(crate) fn parse(text: &str) -> Result<Option<Ddl>, Error> {
    // Most statements passed over are not these: no tokenizing for them.
    let lowered = text.to_ascii_lowercase();
    if !lowered.contains("grant") && !lowered.contains("revoke") {
        return Ok(None);
    }
    let Ok(mut tokens) = crate::significant_tokens(text) else {
        return Ok(None);
    };
    while tokens.last().is_some_and(|token| token.token == Token::SemiColon) {
        tokens.pop();
    }
    let mut cursor = Cursor { tokens, index: 0 };
    let grant = if cursor.eat("grant") {
        true
    } else if cursor.eat("revoke") {
        false
    } else {
        return Ok(None);
    };
    let mut grant_option = !grant && cursor.eat_all(&["grant", "option", "for"]);
    let Some(privileges) = cursor.privileges() else { return Ok(None) };
    if !cursor.eat("on") {
        // Role membership (`GRANT r TO u`).
        return Ok(None);
    }
    let on = if cursor.eat("all") {
        // `ALL {TABLES | FUNCTIONS | PROCEDURES | ROUTINES} IN SCHEMA s, …`
        let kind = match cursor.word_at(0).as_deref() {
            Some("tables") => None,
            Some("functions") => Some(RoutineKind::Function),
            Some("procedures") => Some(RoutineKind::Procedure),
            Some("routines") => Some(RoutineKind::Routine),
            _ => return Ok(None),
        };
        cursor.index += 1;
        if !cursor.eat_all(&["in", "schema"]) {
            return Ok(None);
        }
        let mut schemas = vec![cursor.identifier()?];
        while cursor.eat_token(&Token::Comma) {
            schemas.push(cursor.identifier()?);
        }
        PrivilegeTarget::AllIn(kind, schemas)
    } else if cursor.eat("table") || cursor.is_relation_name() {
        let mut names = vec![cursor.name()?];
        while cursor.eat_token(&Token::Comma) {
            names.push(cursor.name()?);
        }
        PrivilegeTarget::Relations(names)
    } else {
        let kind = if cursor.eat("function") {
            RoutineKind::Function
        } else if cursor.eat("procedure") {
            RoutineKind::Procedure
        } else if cursor.eat("routine") {
            RoutineKind::Routine
        } else {
            return Ok(None);
        };
        let mut routines = vec![cursor.routine_ref()?];
        while cursor.eat_token(&Token::Comma) {
            routines.push(cursor.routine_ref()?);
        }
        PrivilegeTarget::Routines(kind, routines)
    };
    cursor.expect(if grant { "to" } else { "from" })?;
    let mut grantees = vec![cursor.grantee()?];
    while cursor.eat_token(&Token::Comma) {
        grantees.push(cursor.grantee()?);
    }
    if grant && cursor.eat_all(&["with", "grant", "option"]) {
        grant_option = true;
    }
    if cursor.eat_all(&["granted", "by"]) {
        cursor.grantee()?;
    }
    if !grant && !cursor.eat("cascade") {
        cursor.eat("restrict");
    }
    if !cursor.at_end() {
        return Err(cursor.unexpected("the end of the statement"));
    }
    let privileges = match privileges {
        Privileges::All => None,
        Privileges::Listed(words) => Some(words),
    };
    Ok(Some(Ddl::Privileges(PrivilegeStatement { grant, grant_option, privileges, on, grantees })))
}

/// What a statement grants or revokes.
enum Privileges {
    All,
    Listed(Vec<String>),
}

impl Cursor {
    /// `ALL [PRIVILEGES]` or `privilege, …`; `None` for column privileges
    /// (`SELECT (c)`) or role names (membership).
    fn privileges(&mut self) -> Option<Privileges> {
        if self.eat("all") {
            self.eat("privileges");
            return (self.peek() != Some(&Token::LParen)).then_some(Privileges::All);
        }
        let mut words = Vec::new();
        loop {
            let word = self.word_at(0)?;
            if !PRIVILEGES.contains(&word.as_str()) {
                return None;
            }
            self.index += 1;
            if self.peek() == Some(&Token::LParen) {
                return None;
            }
            words.push(match word.as_str() {
                "temp" => "TEMPORARY".to_owned(),
                other => other.to_uppercase(),
            });
            if !self.eat_token(&Token::Comma) {
                return Some(Privileges::Listed(words));
            }
        }
    }

    /// Whether `ON` is followed by a relation's name rather than an object
    /// kind (`ON v TO …`, where `TABLE` is left out).
    fn is_relation_name(&self) -> bool {
        const KINDS: &[&str] = &[
            "sequence",
            "database",
            "domain",
            "foreign",
            "function",
            "procedure",
            "routine",
            "language",
            "large",
            "parameter",
            "schema",
            "tablespace",
            "type",
            "all",
        ];
        match self.peek() {
            Some(Token::Word(word)) if word.quote_style.is_some() => true,
            Some(Token::Word(_)) => {
                let word = self.word_at(0).unwrap_or_default();
                // `ON type.x` names a relation called x in schema `type`.
                !KINDS.contains(&word.as_str())
                    || matches!(
                        self.tokens.get(self.index + 1).map(|token| &token.token),
                        Some(Token::Period)
                    )
            }
            _ => false,
        }
    }

    /// `PUBLIC`, `[GROUP] role`, `CURRENT_ROLE`, `CURRENT_USER`,
    /// `SESSION_USER`.
    fn grantee(&mut self) -> Result<Option<autogen_schema::Grantee>, Error> {
        let quoted = matches!(self.peek(), Some(Token::Word(word)) if word.quote_style.is_some());
        if !quoted {
            if self.eat("public") {
                return Ok(Some(autogen_schema::Grantee::Public));
            }
            if self.eat("current_role") || self.eat("current_user") || self.eat("session_user") {
                return Ok(None);
            }
            if self.is("group") && self.word_at(1).is_some() {
                self.index += 1;
            }
        }
        let name = self.identifier()?;
        Ok(Some(match name.as_str() {
            // `"public"` is PUBLIC too: the grammar compares the name.
            "public" => autogen_schema::Grantee::Public,
            _ => autogen_schema::Grantee::Role(name),
        }))
    }
}
