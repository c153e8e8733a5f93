//! The statements of triggers and row-level security, read token by token
//! as PostgreSQL's grammar (`gram.y`) reads them: `CREATE [OR REPLACE]
//! [CONSTRAINT] TRIGGER`, `ALTER TRIGGER … RENAME TO`, `DROP TRIGGER`,
//! `CREATE POLICY`, `ALTER POLICY`, `DROP POLICY`, and the `ALTER TABLE`
//! actions `ENABLE/DISABLE [REPLICA | ALWAYS] TRIGGER` and
//! `ENABLE/DISABLE/[NO] FORCE ROW LEVEL SECURITY`. What only the catalog
//! can refuse (a missing table, a column the condition does not find) is
//! the builder's.

use sqlparser::ast::Expr;
use sqlparser::tokenizer::{Token, Word};

use autogen_schema::{PolicyCommand, TriggerEnabled, TriggerTiming};

use super::{AlterTable, Cursor, Ddl, Error, Name};
use crate::Location;

/// A statement about triggers.
// A short-lived syntax tree: variant sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum TriggerStatement {
    Create(CreateTrigger),
    /// `ALTER TRIGGER name ON table RENAME TO new_name`
    Rename {
        name: String,
        table: Name,
        new_name: String,
    },
    /// `DROP TRIGGER [IF EXISTS] name ON table [CASCADE | RESTRICT]`
    Drop {
        name: String,
        table: Name,
        if_exists: bool,
    },
}

/// `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER name timing events ON table
/// [FROM table] [DEFERRABLE …] [REFERENCING …] [FOR [EACH] ROW | STATEMENT]
/// [WHEN (condition)] EXECUTE { FUNCTION | PROCEDURE } f(arguments)`
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTrigger {
    pub or_replace: bool,
    pub constraint: bool,
    pub name: String,
    pub timing: TriggerTiming,
    pub on_insert: bool,
    /// `UPDATE` (`Some(vec![])`) or `UPDATE OF columns`, as written.
    pub on_update: Option<Vec<String>>,
    pub on_delete: bool,
    pub on_truncate: bool,
    pub table: Name,
    /// A constraint trigger's `FROM table`.
    pub from: Option<Name>,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub old_table: Option<String>,
    pub new_table: Option<String>,
    pub for_each_row: bool,
    pub when: Option<Expr>,
    /// Where the condition starts, for its errors.
    pub when_location: Location,
    pub function: Name,
    /// The arguments as `tgargs` keeps them.
    pub arguments: Vec<String>,
}

/// A statement about row-level security policies.
// A short-lived syntax tree: variant sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyStatement {
    Create(CreatePolicy),
    /// `ALTER POLICY name ON table [TO roles] [USING (…)] [WITH CHECK (…)]`
    Alter {
        name: String,
        table: Name,
        roles: Option<Vec<Role>>,
        using: Option<Expr>,
        with_check: Option<Expr>,
    },
    /// `ALTER POLICY name ON table RENAME TO new_name`
    Rename {
        name: String,
        table: Name,
        new_name: String,
    },
    /// `DROP POLICY [IF EXISTS] name ON table [CASCADE | RESTRICT]`
    Drop {
        name: String,
        table: Name,
        if_exists: bool,
    },
}

/// `CREATE POLICY name ON table [AS { PERMISSIVE | RESTRICTIVE }] [FOR
/// command] [TO roles] [USING (…)] [WITH CHECK (…)]`
#[derive(Debug, Clone, PartialEq)]
pub struct CreatePolicy {
    pub name: String,
    pub table: Name,
    pub restrictive: bool,
    pub command: PolicyCommand,
    /// Empty when not said (`PUBLIC`).
    pub roles: Vec<Role>,
    pub using: Option<Expr>,
    pub with_check: Option<Expr>,
}

/// A role of `TO`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Public,
    Named(String),
    /// `CURRENT_USER`, `SESSION_USER`, `CURRENT_ROLE`: a name only the
    /// session that runs the statement knows.
    OfSession(String),
}

/// Which triggers `ALTER TABLE … ENABLE/DISABLE TRIGGER` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TriggerSelection {
    Named(String),
    /// `ALL`: the user's triggers and the internal ones of foreign keys
    /// (which the model does not hold).
    All,
    /// `USER`: every trigger but the internal ones.
    User,
}

impl Cursor {
    /// After `CREATE [OR REPLACE]`, at `[CONSTRAINT] TRIGGER`.
    pub(super) fn create_trigger(&mut self, or_replace: bool) -> Result<Ddl, Error> {
        let constraint = self.eat("constraint");
        self.expect("trigger")?;
        let name = self.identifier()?;
        let timing = if self.eat("before") {
            TriggerTiming::Before
        } else if self.eat("after") {
            TriggerTiming::After
        } else if self.eat_all(&["instead", "of"]) {
            TriggerTiming::InsteadOf
        } else {
            return Err(self.unexpected("BEFORE, AFTER or INSTEAD OF"));
        };
        if constraint && timing != TriggerTiming::After {
            return self.error("a constraint trigger fires AFTER its events: write AFTER");
        }
        let mut trigger = CreateTrigger {
            or_replace,
            constraint,
            name,
            timing,
            on_insert: false,
            on_update: None,
            on_delete: false,
            on_truncate: false,
            table: Name(Vec::new()),
            from: None,
            deferrable: false,
            initially_deferred: false,
            old_table: None,
            new_table: None,
            for_each_row: false,
            when: None,
            when_location: Location::default(),
            function: Name(Vec::new()),
            arguments: Vec::new(),
        };
        loop {
            let duplicate = |cursor: &Cursor| -> Result<(), Error> {
                cursor.error(format!(
                    "duplicate trigger events specified at or near `{}`",
                    cursor.peek().map(ToString::to_string).unwrap_or_default()
                ))
            };
            if self.is("insert") {
                if trigger.on_insert {
                    duplicate(self)?;
                }
                self.index += 1;
                trigger.on_insert = true;
            } else if self.is("delete") {
                if trigger.on_delete {
                    duplicate(self)?;
                }
                self.index += 1;
                trigger.on_delete = true;
            } else if self.is("truncate") {
                if trigger.on_truncate {
                    duplicate(self)?;
                }
                self.index += 1;
                trigger.on_truncate = true;
            } else if self.is("update") {
                if trigger.on_update.is_some() {
                    duplicate(self)?;
                }
                self.index += 1;
                let mut columns = Vec::new();
                if self.eat("of") {
                    columns.push(self.identifier()?);
                    while self.eat_token(&Token::Comma) {
                        columns.push(self.identifier()?);
                    }
                }
                trigger.on_update = Some(columns);
            } else {
                return Err(self.unexpected("INSERT, UPDATE, DELETE or TRUNCATE"));
            }
            if !self.eat("or") {
                break;
            }
        }
        self.expect("on")?;
        trigger.table = self.name()?;
        if constraint {
            if self.eat("from") {
                trigger.from = Some(self.name()?);
            }
            self.constraint_attributes(&mut trigger)?;
            self.expect_all(&["for", "each", "row"])?;
            trigger.for_each_row = true;
        } else {
            if self.is("deferrable") || self.is("initially") || self.is("from") {
                return self.error(format!(
                    "`{}` is for constraint triggers: write CREATE CONSTRAINT TRIGGER",
                    self.word_at(0).unwrap_or_default().to_uppercase()
                ));
            }
            if self.eat("referencing") {
                self.transitions(&mut trigger)?;
            }
            if self.eat("for") {
                self.eat("each");
                if self.eat("row") {
                    trigger.for_each_row = true;
                } else if !self.eat("statement") {
                    return Err(self.unexpected("ROW or STATEMENT"));
                }
            }
        }
        if self.eat("when") {
            trigger.when_location = self.location();
            trigger.when = Some(self.parenthesized_expression()?);
        }
        self.expect("execute")?;
        if !self.eat("function") && !self.eat("procedure") {
            return Err(self.unexpected("FUNCTION or PROCEDURE"));
        }
        trigger.function = self.name()?;
        self.expect_token(&Token::LParen)?;
        if !self.eat_token(&Token::RParen) {
            loop {
                trigger.arguments.push(self.trigger_argument()?);
                if !self.eat_token(&Token::Comma) {
                    break;
                }
            }
            self.expect_token(&Token::RParen)?;
        }
        Ok(Ddl::Trigger(TriggerStatement::Create(trigger)))
    }

    /// `ConstraintAttributeSpec` of a constraint trigger: `[NOT] DEFERRABLE`,
    /// `INITIALLY { IMMEDIATE | DEFERRED }` in any order, as
    /// `processCASbits` reads them (`INITIALLY DEFERRED` makes it
    /// deferrable).
    fn constraint_attributes(&mut self, trigger: &mut CreateTrigger) -> Result<(), Error> {
        let (mut deferrable, mut initially_deferred) = (None, None);
        loop {
            let location = self.location();
            let conflict =
                |what: &str| Err((location, format!("conflicting constraint properties: {what}")));
            if self.eat("deferrable") {
                if deferrable == Some(false) {
                    return conflict("DEFERRABLE and NOT DEFERRABLE");
                }
                deferrable = Some(true);
            } else if self.eat_all(&["not", "deferrable"]) {
                if deferrable == Some(true) {
                    return conflict("DEFERRABLE and NOT DEFERRABLE");
                }
                deferrable = Some(false);
            } else if self.eat_all(&["initially", "deferred"]) {
                if initially_deferred == Some(false) {
                    return conflict("INITIALLY IMMEDIATE and INITIALLY DEFERRED");
                }
                initially_deferred = Some(true);
            } else if self.eat_all(&["initially", "immediate"]) {
                if initially_deferred == Some(true) {
                    return conflict("INITIALLY IMMEDIATE and INITIALLY DEFERRED");
                }
                initially_deferred = Some(false);
            } else {
                break;
            }
        }
        if initially_deferred == Some(true) && deferrable == Some(false) {
            return self.error("constraint declared INITIALLY DEFERRED must be DEFERRABLE");
        }
        trigger.initially_deferred = initially_deferred == Some(true);
        trigger.deferrable = deferrable == Some(true) || trigger.initially_deferred;
        Ok(())
    }

    /// After `REFERENCING`: `{ OLD | NEW } TABLE [AS] name`, once or twice.
    fn transitions(&mut self, trigger: &mut CreateTrigger) -> Result<(), Error> {
        loop {
            let location = self.location();
            let old = if self.eat("old") {
                true
            } else if self.eat("new") {
                false
            } else {
                return Err(self.unexpected("OLD or NEW"));
            };
            if self.eat("row") {
                return Err((
                    location,
                    "ROW variable naming in the REFERENCING clause is not supported; use OLD \
                     TABLE or NEW TABLE for naming transition tables"
                        .to_owned(),
                ));
            }
            self.expect("table")?;
            self.eat("as");
            let name = self.identifier()?;
            let slot = if old { &mut trigger.old_table } else { &mut trigger.new_table };
            if slot.is_some() {
                return Err((
                    location,
                    format!(
                        "{} TABLE cannot be specified multiple times",
                        if old { "OLD" } else { "NEW" }
                    ),
                ));
            }
            *slot = Some(name);
            if !(self.is("old") || self.is("new")) {
                return Ok(());
            }
        }
    }

    /// One argument of the trigger function, as `tgargs` keeps it: a
    /// string's value, an integer as PostgreSQL prints it, another number
    /// as written, a word (any keyword too) folded, a quoted name as it is.
    fn trigger_argument(&mut self) -> Result<String, Error> {
        match self.peek() {
            Some(Token::Number(digits, _)) => {
                let digits = digits.clone();
                self.index += 1;
                let plain: String = digits.chars().filter(|character| *character != '_').collect();
                Ok(match plain.parse::<i32>() {
                    Ok(value) if plain.bytes().all(|byte| byte.is_ascii_digit()) => {
                        value.to_string()
                    }
                    _ => digits,
                })
            }
            Some(Token::Word(Word { quote_style: Some(_), value, .. })) => {
                let value = value.clone();
                self.index += 1;
                Ok(value)
            }
            Some(Token::Word(_)) => self.identifier(),
            _ => self.string(),
        }
    }

    /// After `ALTER TRIGGER`: `name ON table RENAME TO new_name`, or
    /// `[NO] DEPENDS ON EXTENSION e` (nothing the model holds).
    pub(super) fn alter_trigger(&mut self) -> Result<Ddl, Error> {
        let name = self.identifier()?;
        self.expect("on")?;
        let table = self.name()?;
        if self.eat_all(&["rename", "to"]) {
            let new_name = self.identifier()?;
            return Ok(Ddl::Trigger(TriggerStatement::Rename { name, table, new_name }));
        }
        if self.eat_all(&["depends", "on", "extension"])
            || self.eat_all(&["no", "depends", "on", "extension"])
        {
            self.identifier()?;
            return Ok(Ddl::Nothing);
        }
        Err(self.unexpected("RENAME TO or DEPENDS ON EXTENSION"))
    }

    /// After `DROP TRIGGER` / `DROP POLICY`: `[IF EXISTS] name ON table
    /// [CASCADE | RESTRICT]` (what depends on a trigger or a policy is
    /// nothing the model holds).
    pub(super) fn drop_trigger_or_policy(&mut self, policy: bool) -> Result<Ddl, Error> {
        let if_exists = self.eat_all(&["if", "exists"]);
        let name = self.identifier()?;
        self.expect("on")?;
        let table = self.name()?;
        self.drop_behavior();
        Ok(match policy {
            true => Ddl::Policy(PolicyStatement::Drop { name, table, if_exists }),
            false => Ddl::Trigger(TriggerStatement::Drop { name, table, if_exists }),
        })
    }

    /// After `CREATE POLICY`.
    pub(super) fn create_policy(&mut self) -> Result<Ddl, Error> {
        let name = self.identifier()?;
        self.expect("on")?;
        let table = self.name()?;
        let mut restrictive = false;
        if self.eat("as") {
            if self.eat("restrictive") {
                restrictive = true;
            } else if !self.eat("permissive") {
                return self.error(format!(
                    "unrecognized row security option `{}`: only PERMISSIVE or RESTRICTIVE \
                     policies are supported",
                    self.peek().map(ToString::to_string).unwrap_or_default()
                ));
            }
        }
        let mut command = PolicyCommand::All;
        if self.eat("for") {
            command = [
                PolicyCommand::All,
                PolicyCommand::Select,
                PolicyCommand::Insert,
                PolicyCommand::Update,
                PolicyCommand::Delete,
            ]
            .into_iter()
            .find(|command| self.eat(&command.keyword().to_ascii_lowercase()))
            .ok_or_else(|| self.unexpected("ALL, SELECT, INSERT, UPDATE or DELETE"))?;
        }
        let roles = if self.eat("to") { self.roles()? } else { Vec::new() };
        let using = if self.eat("using") { Some(self.parenthesized_expression()?) } else { None };
        let with_check = if self.eat_all(&["with", "check"]) {
            Some(self.parenthesized_expression()?)
        } else {
            None
        };
        Ok(Ddl::Policy(PolicyStatement::Create(CreatePolicy {
            name,
            table,
            restrictive,
            command,
            roles,
            using,
            with_check,
        })))
    }

    /// After `ALTER POLICY`.
    pub(super) fn alter_policy(&mut self) -> Result<Ddl, Error> {
        let name = self.identifier()?;
        self.expect("on")?;
        let table = self.name()?;
        if self.eat_all(&["rename", "to"]) {
            let new_name = self.identifier()?;
            return Ok(Ddl::Policy(PolicyStatement::Rename { name, table, new_name }));
        }
        let roles = if self.eat("to") { Some(self.roles()?) } else { None };
        let using = if self.eat("using") { Some(self.parenthesized_expression()?) } else { None };
        let with_check = if self.eat_all(&["with", "check"]) {
            Some(self.parenthesized_expression()?)
        } else {
            None
        };
        Ok(Ddl::Policy(PolicyStatement::Alter { name, table, roles, using, with_check }))
    }

    /// `role [, …]` of `TO`.
    fn roles(&mut self) -> Result<Vec<Role>, Error> {
        let mut roles = vec![self.role()?];
        while self.eat_token(&Token::Comma) {
            roles.push(self.role()?);
        }
        Ok(roles)
    }

    fn role(&mut self) -> Result<Role, Error> {
        for word in ["current_user", "session_user", "current_role"] {
            if self.eat(word) {
                return Ok(Role::OfSession(word.to_uppercase()));
            }
        }
        if self.eat("public") {
            return Ok(Role::Public);
        }
        if self.is("none") {
            return self.error("role name `none` is reserved");
        }
        Ok(Role::Named(self.identifier()?))
    }

    /// After `ENABLE` or `DISABLE` in `ALTER TABLE`: `[REPLICA | ALWAYS]
    /// TRIGGER name | ALL | USER`, `ROW LEVEL SECURITY`, or `[REPLICA |
    /// ALWAYS] RULE name` (rules are not modelled: nothing).
    pub(super) fn enable_or_disable(&mut self, enable: bool) -> Result<AlterTable, Error> {
        if self.eat_all(&["row", "level", "security"]) {
            return Ok(AlterTable::RowSecurity { enable: Some(enable), force: None });
        }
        let mut enabled = if enable { TriggerEnabled::Origin } else { TriggerEnabled::Disabled };
        if enable && self.eat("replica") {
            enabled = TriggerEnabled::Replica;
        } else if enable && self.eat("always") {
            enabled = TriggerEnabled::Always;
        }
        if self.eat("rule") {
            self.identifier()?;
            return Ok(AlterTable::Nothing);
        }
        self.expect("trigger")?;
        let named_only = matches!(enabled, TriggerEnabled::Replica | TriggerEnabled::Always);
        let trigger = if !named_only && self.eat("all") {
            TriggerSelection::All
        } else if !named_only && self.eat("user") {
            TriggerSelection::User
        } else {
            TriggerSelection::Named(self.identifier()?)
        };
        Ok(AlterTable::TriggerEnabled { trigger, enabled })
    }

    fn expect_all(&mut self, words: &[&str]) -> Result<(), Error> {
        for word in words {
            self.expect(word)?;
        }
        Ok(())
    }
}
