//! The DDL statements autogen reads, parsed into a small syntax tree of its
//! own. The statement structure is read here, token by token (sqlparser's
//! PostgreSQL tokenizer); expressions and type names inside are handed to
//! sqlparser's parser. Doing the structure ourselves covers what pg_dump and
//! hand-written migrations say that sqlparser's statement parser does not
//! (sequence options, identity options, storage parameters on constraints,
//! operator class parameters) and keeps every error at its token's position.

use sqlparser::ast::{DataType, Expr, Value};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan, Word};

use autogen_schema::naming::truncate_identifier;
use autogen_schema::{
    Deferrable, IdentityGeneration, MatchType, ReferentialAction, ReplicaIdentity, Storage,
};

use crate::{depth, Location};

mod routines;

pub(crate) use routines::{name_of_tokens, type_ref_of_tokens};
pub use routines::{
    AlterRoutine, ArgumentDef, CreateAggregate, CreateFunction, FunctionOption, ReturnsDef,
    RoutineKind, RoutineRef, SettingItem, SettingValue, TypeRef,
};

mod views;
pub use views::{AlterView, CreateView};
pub(crate) mod privileges;
pub use privileges::{PrivilegeStatement, PrivilegeTarget};
mod partitions;
pub use partitions::{BoundSpec, PartitionOfDef, PartitionSpec, RangeDatum};
mod triggers;
pub use triggers::{
    CreatePolicy, CreateTrigger, PolicyStatement, Role, TriggerSelection, TriggerStatement,
};

/// A possibly qualified name as written: its parts, folded as PostgreSQL
/// folds identifiers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(pub Vec<String>);

impl Name {
    /// The last part: the object's own name.
    pub fn object(&self) -> &str {
        self.0.last().map_or("", String::as_str)
    }

    /// The schema part, when written.
    pub fn schema(&self) -> Option<&str> {
        match self.0.as_slice() {
            [.., schema, _] => Some(schema),
            _ => None,
        }
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> =
            self.0.iter().map(|part| autogen_schema::quote_ident(part)).collect();
        formatter.write_str(&parts.join("."))
    }
}

/// A statement that builds or changes the schema.
// A short-lived syntax tree: variant sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Ddl {
    CreateSchema {
        name: String,
        if_not_exists: bool,
    },
    CreateExtension {
        name: String,
        if_not_exists: bool,
        schema: Option<String>,
        /// `VERSION 'v'`, when said.
        version: Option<String>,
    },
    CreateEnum {
        name: Name,
        labels: Vec<String>,
    },
    /// `CREATE [UNLOGGED] TABLE name (elements) [WITH (parameters)]`
    CreateTable {
        name: Name,
        if_not_exists: bool,
        unlogged: bool,
        elements: Vec<TableElement>,
        /// Storage parameters as written (`toast.` ones with the prefix).
        with: Vec<(String, String)>,
        /// `PARTITION BY strategy (keys)`
        partition_by: Option<PartitionSpec>,
        /// `PARTITION OF parent [(options)] bound`: the elements are then
        /// column options (`DataType::Unspecified`) and constraints.
        partition_of: Option<PartitionOfDef>,
        /// `INHERITS (parents)`
        inherits: Vec<Name>,
    },
    CreateIndex(CreateIndex),
    /// `ALTER INDEX parent_index ATTACH PARTITION partition_index`
    AttachIndex {
        index: Name,
        partition_index: Name,
    },
    /// `CREATE DOMAIN name [AS] type [COLLATE c] [DEFAULT e] [constraints]`
    CreateDomain {
        name: Name,
        data_type: DataType,
        collation: Option<Name>,
        default: Option<Expr>,
        /// `NOT NULL` (true) or `NULL` (false) when said; the last wins.
        not_null: Option<bool>,
        /// `[CONSTRAINT name] CHECK (expression)`, in order.
        checks: Vec<(Option<String>, Expr)>,
    },
    /// `CREATE COLLATION [IF NOT EXISTS] name (option = value, …)` or
    /// `… FROM existing`
    CreateCollation {
        name: Name,
        if_not_exists: bool,
        definition: CollationDefinition,
    },
    /// `ALTER COLLATION name RENAME TO new | SET SCHEMA s | REFRESH
    /// VERSION | OWNER TO …`
    AlterCollation {
        name: Name,
        action: AlterCollation,
    },
    /// `ALTER EXTENSION name UPDATE [TO 'version']`: without a version,
    /// to the default one, which the text does not say.
    AlterExtensionUpdate {
        name: String,
        version: Option<String>,
    },
    /// `CREATE TYPE name AS (attribute type [COLLATE c], …)`
    CreateComposite {
        name: Name,
        attributes: Vec<AttributeDef>,
    },
    /// `ALTER DOMAIN name action`
    AlterDomain {
        name: Name,
        action: AlterDomain,
    },
    /// `CREATE [UNLOGGED] SEQUENCE name options`
    CreateSequence {
        name: Name,
        if_not_exists: bool,
        /// Not modelled: a sequence's persistence (one a column of an
        /// unlogged table owns is unlogged with it).
        unlogged: bool,
        options: SequenceOptions,
    },
    AlterSequence {
        name: Name,
        if_exists: bool,
        options: SequenceOptions,
    },
    AlterSequenceRename {
        name: Name,
        if_exists: bool,
        new_name: String,
    },
    AlterTable {
        name: Name,
        if_exists: bool,
        /// `ONLY`: the table alone, not its partitions or children.
        only: bool,
        actions: Vec<AlterTable>,
    },
    AlterType {
        name: Name,
        action: AlterType,
    },
    AlterIndexRename {
        name: Name,
        if_exists: bool,
        new_name: String,
    },
    /// `CREATE STATISTICS [IF NOT EXISTS] [name] [(kinds)] ON elements FROM table`
    CreateStatistics(CreateStatistics),
    /// `ALTER STATISTICS [IF EXISTS] name …`
    AlterStatistics {
        name: Name,
        if_exists: bool,
        action: AlterStatistics,
    },
    /// `CLUSTER [VERBOSE] table USING index`: the index becomes the one
    /// `CLUSTER` orders by, as `ALTER TABLE … CLUSTER ON` makes it.
    Cluster {
        table: Name,
        index: String,
    },
    Drop {
        kind: DropKind,
        if_exists: bool,
        names: Vec<Name>,
        cascade: bool,
    },
    Comment {
        target: CommentTarget,
        name: Name,
        comment: Option<String>,
    },
    /// `SET [LOCAL] search_path`: a local one lasts until the end of the
    /// transaction (the script, as migrations run).
    SetSearchPath {
        schemas: Vec<String>,
        local: bool,
    },
    /// `GRANT`/`REVOKE` on relations or routines (`ddl::privileges`).
    Privileges(PrivilegeStatement),
    /// A statement of a building kind that changes nothing the model holds
    /// (`ALTER TABLE … SET STATISTICS`, `ALTER SCHEMA … OWNER TO`).
    Nothing,
    /// A relation the model does not describe (a view, a partitioned table,
    /// a partition…) was created, or a table became one (`ATTACH
    /// PARTITION`, `attached`): statements about it are left out with a
    /// warning instead of failing on a missing table.
    SetAside {
        name: Name,
        what: String,
        attached: bool,
        /// What its statement refers to (the modelled objects it depends
        /// on, once resolved).
        references: crate::references::References,
    },
    /// `CREATE [OR REPLACE] [RECURSIVE] VIEW …`, `CREATE MATERIALIZED VIEW …`
    CreateView(CreateView),
    /// `ALTER [MATERIALIZED] VIEW [IF EXISTS] name action`
    AlterView {
        name: Name,
        if_exists: bool,
        materialized: bool,
        action: AlterView,
    },
    /// `REFRESH MATERIALIZED VIEW [CONCURRENTLY] name [WITH [NO] DATA]`
    RefreshMaterializedView {
        name: Name,
        with_data: bool,
    },
    /// `DROP FOREIGN TABLE`: the relations the model does not describe
    /// that are gone.
    DropSetAside {
        names: Vec<Name>,
    },
    /// `CREATE [OR REPLACE] FUNCTION` / `PROCEDURE`
    CreateFunction(CreateFunction),
    /// `CREATE [OR REPLACE] AGGREGATE`
    CreateAggregate(CreateAggregate),
    /// `ALTER {FUNCTION | PROCEDURE | AGGREGATE | ROUTINE} routine action`
    AlterRoutine {
        kind: RoutineKind,
        routine: RoutineRef,
        action: AlterRoutine,
    },
    /// `DROP {FUNCTION | PROCEDURE | AGGREGATE | ROUTINE} [IF EXISTS]
    /// routine, … [CASCADE | RESTRICT]`
    DropRoutines {
        kind: RoutineKind,
        if_exists: bool,
        routines: Vec<RoutineRef>,
        cascade: bool,
    },
    /// `COMMENT ON {FUNCTION | PROCEDURE | AGGREGATE | ROUTINE} routine IS …`
    CommentRoutine {
        kind: RoutineKind,
        routine: RoutineRef,
        comment: Option<String>,
    },
    /// `CREATE [CONSTRAINT] TRIGGER`, `ALTER TRIGGER`, `DROP TRIGGER`.
    Trigger(TriggerStatement),
    /// `CREATE POLICY`, `ALTER POLICY`, `DROP POLICY`.
    Policy(PolicyStatement),
}

/// An element of `CREATE TABLE (…)`.
// A short-lived syntax tree: variant sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum TableElement {
    Column(ColumnDef),
    Constraint(Constraint),
}

/// `name type [COLLATE c] [constraints…]`
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDef {
    pub name: String,
    pub data_type: DataType,
    pub location: Location,
    pub collation: Option<Name>,
    pub not_null: Option<bool>,
    pub default: Option<Expr>,
    pub generated: Option<Expr>,
    pub identity: Option<(IdentityGeneration, SequenceOptions)>,
    /// `STORAGE s` (PostgreSQL 16): `Some(None)` for `STORAGE DEFAULT`.
    pub storage: Option<Option<Storage>>,
    /// `COMPRESSION m`: `Some(None)` for `COMPRESSION DEFAULT`.
    pub compression: Option<Option<String>>,
    /// Column constraints (`PRIMARY KEY`, `UNIQUE`, `CHECK`, `REFERENCES`),
    /// as table constraints on this column.
    pub constraints: Vec<Constraint>,
}

impl ColumnDef {
    /// A column with its name, type and place, and no option yet.
    pub(crate) fn new(name: String, data_type: DataType, location: Location) -> Self {
        ColumnDef {
            name,
            data_type,
            location,
            collation: None,
            not_null: None,
            default: None,
            generated: None,
            identity: None,
            storage: None,
            compression: None,
            constraints: Vec::new(),
        }
    }
}

/// A table constraint (or a column constraint made one).
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    pub name: Option<String>,
    pub kind: ConstraintKind,
    pub deferrable: Deferrable,
    pub not_valid: bool,
    pub location: Location,
}

// A short-lived syntax tree: variant sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum ConstraintKind {
    PrimaryKey {
        columns: Vec<String>,
        include: Vec<String>,
        with: Vec<(String, String)>,
    },
    Unique {
        columns: Vec<String>,
        include: Vec<String>,
        with: Vec<(String, String)>,
        nulls_not_distinct: bool,
    },
    Check {
        expression: Expr,
        no_inherit: bool,
    },
    ForeignKey {
        columns: Vec<String>,
        table: Name,
        referenced_columns: Vec<String>,
        match_type: MatchType,
        on_delete: ReferentialAction,
        on_update: ReferentialAction,
    },
    /// `[PRIMARY KEY | UNIQUE] USING INDEX index`: the index becomes the
    /// constraint's.
    UsingIndex {
        index: String,
        primary: bool,
    },
    /// `EXCLUDE [USING method] (element WITH operator, …) [INCLUDE (…)]
    /// [WITH (…)] [USING INDEX TABLESPACE t] [WHERE (predicate)]`
    Exclusion {
        method: Option<String>,
        elements: Vec<ExclusionElement>,
        include: Vec<String>,
        with: Vec<(String, String)>,
        predicate: Option<Expr>,
    },
    /// `NOT NULL` written as a table constraint is not valid before
    /// PostgreSQL 18.
    Unsupported(String),
}

/// `index_elem WITH operator` in `EXCLUDE (…)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExclusionElement {
    pub element: IndexElement,
    /// As the catalog prints it: `=`, `&&`; `OPERATOR(schema.op)` when
    /// written so with a schema other than `pg_catalog` or `public`.
    pub operator: String,
}

/// `CREATE [UNIQUE] INDEX …`
#[derive(Debug, Clone, PartialEq)]
pub struct CreateIndex {
    pub unique: bool,
    /// `ON ONLY table`: not made on its partitions.
    pub only: bool,
    pub if_not_exists: bool,
    pub name: Option<String>,
    pub table: Name,
    pub method: Option<String>,
    pub keys: Vec<IndexElement>,
    pub include: Vec<String>,
    pub nulls_not_distinct: bool,
    pub with: Vec<(String, String)>,
    pub predicate: Option<Expr>,
}

/// One key of `CREATE INDEX`.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexElement {
    pub expression: Expr,
    /// Written as `(expression)` rather than a column or a function call.
    pub collation: Option<Name>,
    pub opclass: Option<Name>,
    pub opclass_params: Vec<(String, String)>,
    pub descending: Option<bool>,
    pub nulls_first: Option<bool>,
}

/// `CREATE STATISTICS …`
#[derive(Debug, Clone, PartialEq)]
pub struct CreateStatistics {
    pub name: Option<Name>,
    pub if_not_exists: bool,
    /// The kinds written, lower case (`None`: no list).
    pub kinds: Option<Vec<String>>,
    pub elements: Vec<Expr>,
    pub table: Name,
}

/// What `CREATE COLLATION` copies or says.
#[derive(Debug, Clone, PartialEq)]
pub enum CollationDefinition {
    /// `(option = value, …)`: names folded, values as their text, in order.
    Options(Vec<(String, String)>),
    /// `FROM existing`
    From(Name),
}

/// `ALTER COLLATION name …`
#[derive(Debug, Clone, PartialEq)]
pub enum AlterCollation {
    RenameTo(String),
    SetSchema(String),
    /// `REFRESH VERSION`, `OWNER TO`: nothing the model holds.
    Nothing,
}

/// `ALTER STATISTICS name …`
#[derive(Debug, Clone, PartialEq)]
pub enum AlterStatistics {
    /// `SET STATISTICS { n | DEFAULT }`: `None` for `DEFAULT`.
    SetTarget(Option<i64>),
    RenameTo(String),
    SetSchema(String),
}

/// Sequence options as written (`None` = not said).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SequenceOptions {
    pub data_type: Option<DataType>,
    pub increment: Option<i64>,
    pub min_value: Option<Option<i64>>,
    pub max_value: Option<Option<i64>>,
    pub start: Option<i64>,
    pub cache: Option<i64>,
    pub cycle: Option<bool>,
    /// `OWNED BY table.column` (`Some(Some(..))`) or `OWNED BY NONE`.
    pub owned_by: Option<Option<Name>>,
    /// `SEQUENCE NAME n` (identity options only).
    pub sequence_name: Option<Name>,
    /// `RESTART` (data only; accepted and passed over).
    pub restart: bool,
}

impl SequenceOptions {
    /// Takes every option `more` says over this one's.
    pub fn merge(&mut self, more: &SequenceOptions) {
        macro_rules! take {
            ($($field:ident),*) => {
                $( if more.$field.is_some() { self.$field = more.$field.clone(); } )*
            };
        }
        take!(
            data_type,
            increment,
            min_value,
            max_value,
            start,
            cache,
            cycle,
            owned_by,
            sequence_name
        );
        self.restart |= more.restart;
    }
}

/// One action of `ALTER TABLE`.
// A short-lived syntax tree: variant sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum AlterTable {
    AddColumn {
        if_not_exists: bool,
        column: ColumnDef,
    },
    DropColumn {
        if_exists: bool,
        name: String,
        cascade: bool,
    },
    AlterColumn {
        name: String,
        change: ColumnChange,
    },
    AddConstraint(Constraint),
    DropConstraint {
        if_exists: bool,
        name: String,
        cascade: bool,
    },
    ValidateConstraint(String),
    RenameColumn {
        old: String,
        new: String,
    },
    RenameConstraint {
        old: String,
        new: String,
    },
    RenameTo(String),
    SetSchema(String),
    /// `SET LOGGED` (`false`) / `SET UNLOGGED` (`true`)
    SetUnlogged(bool),
    /// `SET (name = value, …)`, names as written (`toast.` ones with the
    /// prefix).
    SetParameters(Vec<(String, String)>),
    /// `RESET (name, …)`
    ResetParameters(Vec<String>),
    /// `REPLICA IDENTITY { DEFAULT | NOTHING | FULL | USING INDEX i }`
    ReplicaIdentity(ReplicaIdentity),
    /// `CLUSTER ON index`, or `SET WITHOUT CLUSTER` (`None`).
    ClusterOn(Option<String>),
    /// `ENABLE [REPLICA | ALWAYS] TRIGGER t`, `DISABLE TRIGGER t`, and
    /// `ENABLE/DISABLE TRIGGER ALL | USER`.
    TriggerEnabled {
        trigger: TriggerSelection,
        enabled: autogen_schema::TriggerEnabled,
    },
    /// `ENABLE/DISABLE ROW LEVEL SECURITY` (`enable`), `[NO] FORCE ROW
    /// LEVEL SECURITY` (`force`).
    RowSecurity {
        enable: Option<bool>,
        force: Option<bool>,
    },
    /// `ATTACH PARTITION t FOR VALUES … | DEFAULT`
    AttachPartition {
        partition: Name,
        bound: BoundSpec,
    },
    /// `DETACH PARTITION t [CONCURRENTLY | FINALIZE]`
    DetachPartition(Name),
    /// `INHERIT parent`
    Inherit(Name),
    /// `NO INHERIT parent`
    NoInherit(Name),
    /// Ownership, row security, tablespace, triggers…: nothing the model
    /// holds.
    Nothing,
}

/// `ALTER TABLE … ALTER COLUMN c …`
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnChange {
    SetNotNull,
    DropNotNull,
    SetDefault(Expr),
    DropDefault,
    Type {
        data_type: DataType,
        collation: Option<Name>,
        using: Option<Expr>,
    },
    AddIdentity(IdentityGeneration, SequenceOptions),
    /// `SET GENERATED …` and/or `SET` sequence options on an identity.
    SetIdentity(Option<IdentityGeneration>, SequenceOptions),
    DropIdentity {
        if_exists: bool,
    },
    DropExpression {
        if_exists: bool,
    },
    /// `SET STORAGE s`: `None` for `DEFAULT`.
    SetStorage(Option<Storage>),
    /// `SET COMPRESSION m`: `None` for `DEFAULT`.
    SetCompression(Option<String>),
    /// `SET STATISTICS { n | DEFAULT }`: `None` for `DEFAULT`.
    SetStatistics(Option<i64>),
    Nothing,
}

/// `ALTER TYPE name …`
#[derive(Debug, Clone, PartialEq)]
pub enum AlterType {
    AddValue {
        if_not_exists: bool,
        label: String,
        before: Option<(bool, String)>,
    },
    /// `ADD ATTRIBUTE`, `DROP ATTRIBUTE`, `ALTER ATTRIBUTE … TYPE` of a
    /// composite type, one or more.
    Attributes(Vec<AttributeAction>),
    /// `RENAME ATTRIBUTE old TO new`
    RenameAttribute {
        old: String,
        new: String,
    },
    RenameValue {
        old: String,
        new: String,
    },
    RenameTo(String),
    SetSchema(String),
    Nothing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropKind {
    Table,
    Index,
    Type,
    Extension,
    Schema,
    Sequence,
    Domain,
    Statistics,
    Collation,
    View,
    MaterializedView,
}

/// An attribute of `CREATE TYPE … AS (…)` or `ADD ATTRIBUTE`.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeDef {
    pub name: String,
    pub data_type: DataType,
    pub collation: Option<Name>,
}

/// One attribute action of `ALTER TYPE`.
#[derive(Debug, Clone, PartialEq)]
pub enum AttributeAction {
    Add(AttributeDef),
    Drop {
        name: String,
        if_exists: bool,
    },
    /// `ALTER ATTRIBUTE name [SET DATA] TYPE type [COLLATE c]`
    SetType(AttributeDef),
}

/// One action of `ALTER DOMAIN`.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterDomain {
    SetDefault(Expr),
    DropDefault,
    SetNotNull,
    DropNotNull,
    AddCheck {
        name: Option<String>,
        expression: Expr,
        not_valid: bool,
    },
    DropConstraint {
        name: String,
        if_exists: bool,
    },
    RenameConstraint {
        old: String,
        new: String,
    },
    ValidateConstraint(String),
    Rename(String),
    /// `OWNER TO`: nothing the model holds.
    Nothing,
}

/// What `COMMENT ON <kind> name` describes; `name` is the statement's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentTarget {
    /// `TABLE table`
    Table,
    /// `COLUMN table.column`
    Column,
    /// `SCHEMA schema`
    Schema,
    /// `EXTENSION extension`
    Extension,
    /// `TYPE type`: any type (an enum, composite type or domain here).
    Type,
    /// `DOMAIN domain`: a domain only.
    Domain,
    /// `SEQUENCE sequence`
    Sequence,
    /// `COLLATION collation`
    Collation,
    /// `INDEX index`
    Index,
    /// `VIEW view`
    View,
    /// `MATERIALIZED VIEW view`
    MaterializedView,
    /// `CONSTRAINT name ON table` / `CONSTRAINT name ON DOMAIN domain`.
    Constraint { on: Name, domain: bool },
    /// `TRIGGER name ON table`
    Trigger { on: Name },
    /// `POLICY name ON table`
    Policy { on: Name },
}

/// `INCLUDE` columns and storage parameters of a constraint's index.
type IndexParameters = (Vec<String>, Vec<(String, String)>);

/// A parse error: where (relative to the statement) and what.
pub type Error = (Location, String);

/// Parses a possibly qualified name, such as the text of a `regclass`
/// literal (`'app."Seq"'`).
pub fn parse_name(text: &str) -> Result<Name, String> {
    let mut cursor = Cursor::over(text)?;
    let name = cursor.name().map_err(|(_, message)| message)?;
    if !cursor.at_end() {
        return Err("expected a name".into());
    }
    Ok(name)
}

/// The relation an unmodelled statement creates or turns into something
/// the model does not describe: `CREATE [MATERIALIZED] VIEW v`, `CREATE
/// TABLE t … PARTITION BY/OF/INHERITS`, `CREATE FOREIGN TABLE f`, `ALTER
/// TABLE p ATTACH PARTITION c` (then `c`, and `attached` is true).
pub fn set_aside_relation(text: &str) -> Option<(Name, bool)> {
    let mut cursor = Cursor::over(text).ok()?;
    if cursor.eat("create") {
        cursor.eat_all(&["or", "replace"]);
        while [
            "temp",
            "temporary",
            "unlogged",
            "global",
            "local",
            "recursive",
            "materialized",
            "foreign",
        ]
        .iter()
        .any(|word| cursor.eat(word))
        {}
        if !(cursor.eat("view") || cursor.eat("table")) {
            return None;
        }
        cursor.eat_all(&["if", "not", "exists"]);
        return cursor.name().ok().map(|name| (name, false));
    }
    if cursor.eat("alter") && cursor.eat("table") {
        cursor.eat_all(&["if", "exists"]);
        cursor.eat("only");
        cursor.name().ok()?;
        if cursor.eat_all(&["attach", "partition"]) {
            return cursor.name().ok().map(|name| (name, true));
        }
    }
    None
}

/// The index and table of `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT
/// EXISTS] name ON [ONLY] table …`, if the statement is one (comments
/// before it are skipped): what a `-- no-transaction` migration that
/// builds an index names, for the runner to find an invalid index a build
/// that did not finish left.
pub fn concurrent_index_build(text: &str) -> Option<(String, Name)> {
    let mut cursor = Cursor::over(text).ok()?;
    if !cursor.eat("create") {
        return None;
    }
    cursor.eat("unique");
    if !(cursor.eat("index") && cursor.eat("concurrently")) {
        return None;
    }
    cursor.eat_all(&["if", "not", "exists"]);
    if cursor.is("on") {
        return None;
    }
    let name = cursor.identifier().ok()?;
    if !cursor.eat("on") {
        return None;
    }
    cursor.eat("only");
    cursor.name().ok().map(|table| (name, table))
}

/// The relations `DROP VIEW`, `DROP MATERIALIZED VIEW` or `DROP FOREIGN
/// TABLE` names, if the statement is one.
pub fn dropped_set_aside(text: &str) -> Option<Vec<Name>> {
    let mut cursor = Cursor::over(text).ok()?;
    if !cursor.eat("drop") {
        return None;
    }
    let kind = cursor.eat("view")
        || cursor.eat_all(&["materialized", "view"])
        || cursor.eat_all(&["foreign", "table"]);
    if !kind {
        return None;
    }
    cursor.eat_all(&["if", "exists"]);
    let mut names = vec![cursor.name().ok()?];
    while cursor.eat_token(&Token::Comma) {
        names.push(cursor.name().ok()?);
    }
    Some(names)
}

/// Parses one statement of a building kind.
pub fn parse(text: &str) -> Result<Ddl, Error> {
    let mut tokens = crate::significant_tokens(text).map_err(|error| {
        (Location { line: error.location.line, column: error.location.column }, error.message)
    })?;
    // A `;` inside is a `BEGIN ATOMIC` body's.
    while tokens.last().is_some_and(|token| token.token == Token::SemiColon) {
        tokens.pop();
    }
    let mut cursor = Cursor { tokens, index: 0 };
    let ddl = cursor.statement()?;
    if !cursor.at_end() {
        return Err(cursor.unexpected("the end of the statement"));
    }
    Ok(ddl)
}

struct Cursor {
    tokens: Vec<TokenWithSpan>,
    index: usize,
}

impl Cursor {
    /// The tokens of `text` but whitespace and comments, from the first;
    /// the tokenizer's message when it cannot read it.
    fn over(text: &str) -> Result<Self, String> {
        let tokens = crate::significant_tokens(text).map_err(|error| error.message)?;
        Ok(Self { tokens, index: 0 })
    }

    fn at_end(&self) -> bool {
        self.index >= self.tokens.len()
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.index).map(|token| &token.token)
    }

    fn location(&self) -> Location {
        let token = self.tokens.get(self.index).or(self.tokens.last());
        token.map_or(Location { line: 1, column: 1 }, |token| Location {
            line: token.span.start.line,
            column: token.span.start.column,
        })
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, Error> {
        Err((self.location(), message.into()))
    }

    fn unexpected(&self, expected: &str) -> Error {
        let found = match self.peek() {
            None => "the end of the statement".to_owned(),
            Some(token) => format!("`{token}`"),
        };
        (self.location(), format!("expected {expected}, found {found}"))
    }

    /// The unquoted word at `offset`, lower case.
    fn word_at(&self, offset: usize) -> Option<String> {
        match self.tokens.get(self.index + offset).map(|token| &token.token) {
            Some(Token::Word(Word { value, quote_style: None, .. })) => {
                Some(value.to_ascii_lowercase())
            }
            _ => None,
        }
    }

    /// Whether the next token is the unquoted word `word` (lower case).
    fn is(&self, word: &str) -> bool {
        match self.peek() {
            Some(Token::Word(Word { value, quote_style: None, .. })) => {
                value.eq_ignore_ascii_case(word)
            }
            _ => false,
        }
    }

    fn eat(&mut self, word: &str) -> bool {
        if self.is(word) {
            self.index += 1;
            true
        } else {
            false
        }
    }

    /// Eats all of `words` in a row, or none.
    fn eat_all(&mut self, words: &[&str]) -> bool {
        let all = words
            .iter()
            .enumerate()
            .all(|(offset, word)| self.word_at(offset).as_deref() == Some(*word));
        if all {
            self.index += words.len();
        }
        all
    }

    fn expect(&mut self, word: &str) -> Result<(), Error> {
        if self.eat(word) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{}`", word.to_uppercase())))
        }
    }

    fn eat_token(&mut self, expected: &Token) -> bool {
        if self.peek() == Some(expected) {
            self.index += 1;
            true
        } else {
            false
        }
    }

    fn expect_token(&mut self, expected: &Token) -> Result<(), Error> {
        if self.eat_token(expected) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{expected}`")))
        }
    }

    /// An identifier, folded to lower case unless quoted, cut to 63 bytes.
    fn identifier(&mut self) -> Result<String, Error> {
        match self.peek() {
            Some(Token::Word(word)) => {
                let value = match word.quote_style {
                    None => word.value.to_ascii_lowercase(),
                    Some(_) => word.value.clone(),
                };
                self.index += 1;
                Ok(truncate_identifier(&value).to_owned())
            }
            _ => Err(self.unexpected("a name")),
        }
    }

    fn name(&mut self) -> Result<Name, Error> {
        let mut parts = vec![self.identifier()?];
        while self.eat_token(&Token::Period) {
            parts.push(self.identifier()?);
        }
        Ok(Name(parts))
    }

    fn identifier_list(&mut self) -> Result<Vec<String>, Error> {
        self.expect_token(&Token::LParen)?;
        let mut names = vec![self.identifier()?];
        while self.eat_token(&Token::Comma) {
            names.push(self.identifier()?);
        }
        self.expect_token(&Token::RParen)?;
        Ok(names)
    }

    fn string(&mut self) -> Result<String, Error> {
        match self.peek() {
            Some(Token::SingleQuotedString(value) | Token::EscapedStringLiteral(value)) => {
                let value = value.clone();
                self.index += 1;
                Ok(value)
            }
            Some(Token::DollarQuotedString(value)) => {
                let value = value.value.clone();
                self.index += 1;
                Ok(value)
            }
            _ => Err(self.unexpected("a string literal")),
        }
    }

    fn integer(&mut self) -> Result<i64, Error> {
        let negative = self.eat_token(&Token::Minus);
        if !negative {
            self.eat_token(&Token::Plus);
        }
        match self.peek() {
            Some(Token::Number(digits, _)) => {
                // Read with its sign: -9223372036854775808 has no positive.
                let signed = if negative { format!("-{digits}") } else { digits.clone() };
                let value: i64 = signed.parse().map_err(|_| {
                    (self.location(), format!("`{signed}` is not a 64-bit integer"))
                })?;
                self.index += 1;
                Ok(value)
            }
            _ => Err(self.unexpected("an integer")),
        }
    }

    /// The tokens up to (not including) the first of `stops` at parenthesis
    /// depth 0, or the end.
    fn take_until(&mut self, stops: &dyn Fn(&Cursor) -> bool) -> Vec<TokenWithSpan> {
        let start = self.index;
        let mut depth = 0usize;
        while let Some(token) = self.peek() {
            match token {
                Token::LParen | Token::LBracket => depth += 1,
                Token::RParen | Token::RBracket if depth == 0 => break,
                Token::RParen | Token::RBracket => depth -= 1,
                Token::Comma if depth == 0 => break,
                _ if depth == 0 && self.index > start && stops(self) => break,
                _ => {}
            }
            self.index += 1;
        }
        self.tokens[start..self.index].to_vec()
    }

    /// An expression running up to a comma, a closing parenthesis or one of
    /// `stop_words` at depth 0.
    fn expression_until(&mut self, stop_words: &[&[&str]]) -> Result<Expr, Error> {
        let location = self.location();
        let tokens = self.take_until(&|cursor| {
            stop_words.iter().any(|words| {
                words
                    .iter()
                    .enumerate()
                    .all(|(offset, word)| cursor.word_at(offset).as_deref() == Some(*word))
            })
        });
        if tokens.is_empty() {
            return Err(self.unexpected("an expression"));
        }
        parse_expression(tokens, location)
    }

    /// A column's `DEFAULT`: PostgreSQL's `b_expr`, which ends before
    /// `COLLATE` (the column's collation then, not the expression's) and
    /// holds no `AND`, `OR`, `NOT`, `IS` (but `IS [NOT] DISTINCT FROM`),
    /// `IN`, `LIKE`, `ILIKE`, `SIMILAR`, `BETWEEN` or `AT TIME ZONE` outside
    /// parentheses (or a `CASE`).
    fn column_default(&mut self) -> Result<Expr, Error> {
        let location = self.location();
        let start = self.index;
        // Up to a comma, a closing parenthesis or a column option at depth 0
        // and outside a `CASE` (whose `IS NULL` is not the option `NULL`).
        let (mut depth, mut cases) = (0usize, 0usize);
        while let Some(token) = self.peek() {
            match token {
                Token::LParen | Token::LBracket => depth += 1,
                Token::RParen | Token::RBracket if depth == 0 => break,
                Token::RParen | Token::RBracket => depth -= 1,
                Token::Comma if depth == 0 => break,
                _ if depth > 0 => {}
                _ if self.is("case") => cases += 1,
                _ if self.is("end") => cases = cases.saturating_sub(1),
                _ if cases == 0
                    && self.index > start
                    && COLUMN_OPTION_STOPS.iter().chain([&["collate"][..]].iter()).any(
                        |words| {
                            words.iter().enumerate().all(|(offset, word)| {
                                self.word_at(offset).as_deref() == Some(*word)
                            })
                        },
                    ) =>
                {
                    break
                }
                _ => {}
            }
            self.index += 1;
        }
        let tokens = self.tokens[start..self.index].to_vec();
        if tokens.is_empty() {
            return Err(self.unexpected("an expression"));
        }
        let word_at = |index: usize| match tokens.get(index).map(|token| &token.token) {
            Some(Token::Word(Word { value, quote_style: None, .. })) => {
                Some(value.to_ascii_lowercase())
            }
            _ => None,
        };
        let (mut depth, mut cases) = (0usize, 0usize);
        for (index, token) in tokens.iter().enumerate() {
            match &token.token {
                Token::LParen | Token::LBracket => depth += 1,
                Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
                _ => {}
            }
            let Some(word) = word_at(index) else { continue };
            match word.as_str() {
                "case" => cases += 1,
                "end" => cases = cases.saturating_sub(1),
                _ => {}
            }
            let refused = match word.as_str() {
                "and" | "or" | "not" | "in" | "like" | "ilike" | "similar" | "between" | "at"
                | "isnull" | "notnull" | "overlaps" => true,
                "is" => {
                    let next = word_at(index + 1);
                    let after =
                        if next.as_deref() == Some("not") { word_at(index + 2) } else { next };
                    !matches!(after.as_deref(), Some("distinct" | "document"))
                }
                _ => false,
            };
            if refused && depth == 0 && cases == 0 {
                return Err((
                    Location { line: token.span.start.line, column: token.span.start.column },
                    format!(
                        "`{}` in a column DEFAULT: PostgreSQL reads a DEFAULT without AND, OR, \
                         NOT, IS, IN, LIKE, BETWEEN or AT TIME ZONE outside parentheses; write \
                         DEFAULT (…)",
                        word.to_uppercase()
                    ),
                ));
            }
        }
        parse_expression(tokens, location)
    }

    /// Moves past a balanced `( … )`.
    fn skip_parenthesized(&mut self) -> Result<(), Error> {
        self.expect_token(&Token::LParen)?;
        self.take_until(&|_| false);
        while self.eat_token(&Token::Comma) {
            self.take_until(&|_| false);
        }
        self.expect_token(&Token::RParen)
    }

    /// `( element, … )`, possibly empty: `CREATE TABLE`'s elements, a
    /// composite type's attributes.
    fn parenthesized_list<T>(
        &mut self,
        mut element: impl FnMut(&mut Self) -> Result<T, Error>,
    ) -> Result<Vec<T>, Error> {
        self.expect_token(&Token::LParen)?;
        let mut elements = Vec::new();
        if self.eat_token(&Token::RParen) {
            return Ok(elements);
        }
        loop {
            elements.push(element(self)?);
            if !self.eat_token(&Token::Comma) {
                self.expect_token(&Token::RParen)?;
                return Ok(elements);
            }
        }
    }

    /// `( expression )`
    fn parenthesized_expression(&mut self) -> Result<Expr, Error> {
        self.expect_token(&Token::LParen)?;
        let expression = self.expression_until(&[])?;
        self.expect_token(&Token::RParen)?;
        Ok(expression)
    }

    /// A type name, up to the next column option.
    fn data_type(&mut self) -> Result<DataType, Error> {
        let location = self.location();
        let tokens = self.take_until(&|cursor| {
            COLUMN_OPTION_STARTS.iter().any(|word| cursor.is(word))
                || (cursor.is("not") && cursor.word_at(1).as_deref() == Some("null"))
        });
        if tokens.is_empty() {
            return Err(self.unexpected("a type"));
        }
        parse_data_type(tokens, location)
    }

    fn statement(&mut self) -> Result<Ddl, Error> {
        if self.eat("create") {
            return self.create();
        }
        if self.eat("alter") {
            return self.alter();
        }
        if self.eat("drop") {
            return self.drop();
        }
        if self.eat("comment") {
            return self.comment();
        }
        if self.eat("do") {
            // Only the block that gives an extension its own comment back
            // is classified as building the schema.
            let restored = match self.peek() {
                Some(Token::DollarQuotedString(body)) => {
                    autogen_schema::ddl::restored_extension_comment(&body.value)
                }
                _ => None,
            };
            let Some(extension) = restored else {
                return Err(self.unexpected("the block autogen writes for an extension's comment"));
            };
            self.index += 1;
            return Ok(Ddl::Comment {
                target: CommentTarget::Extension,
                name: Name(vec![extension]),
                comment: None,
            });
        }
        if self.eat("refresh") {
            return self.refresh();
        }
        if self.eat("cluster") {
            // CLUSTER [VERBOSE | (options)] table USING index
            if self.peek() == Some(&Token::LParen) {
                self.skip_parenthesized()?;
            }
            self.eat("verbose");
            let first = self.name()?;
            // `CLUSTER index ON table`: the form before PostgreSQL 17.
            if self.eat("on") {
                let index = first.object().to_owned();
                return Ok(Ddl::Cluster { table: self.name()?, index });
            }
            self.expect("using")?;
            return Ok(Ddl::Cluster { table: first, index: self.identifier()? });
        }
        if self.eat("set") {
            self.eat("session");
            let local = self.eat("local");
            if self.eat("search_path") {
                if !self.eat("to") {
                    self.expect_token(&Token::Eq)?;
                }
                let mut schemas = vec![self.search_path_entry()?];
                while self.eat_token(&Token::Comma) {
                    schemas.push(self.search_path_entry()?);
                }
                return Ok(Ddl::SetSearchPath { schemas, local });
            }
            return self.error("expected `search_path`");
        }
        if self.eat("select") {
            // pg_dump: SELECT pg_catalog.set_config('search_path', '', false);
            let function = self.name()?;
            if function.object() == "set_config" {
                self.expect_token(&Token::LParen)?;
                if self.string()? == "search_path" {
                    self.expect_token(&Token::Comma)?;
                    let value = self.string()?;
                    self.expect_token(&Token::Comma)?;
                    let local = self.eat("true");
                    self.index = self.tokens.len();
                    return Ok(Ddl::SetSearchPath { schemas: split_search_path(&value), local });
                }
            }
            self.index = self.tokens.len();
            return Ok(Ddl::Nothing);
        }
        Err(self.unexpected("a statement"))
    }

    fn search_path_entry(&mut self) -> Result<String, Error> {
        match self.peek() {
            Some(Token::SingleQuotedString(value)) => {
                let value = value.clone();
                self.index += 1;
                Ok(value)
            }
            _ => self.identifier(),
        }
    }

    fn if_not_exists(&mut self) -> bool {
        self.eat_all(&["if", "not", "exists"])
    }

    fn if_exists(&mut self) -> bool {
        self.eat_all(&["if", "exists"])
    }

    fn create(&mut self) -> Result<Ddl, Error> {
        if let Some(view) = self.create_view() {
            return view;
        }
        let or_replace = self.eat_all(&["or", "replace"]);
        if self.is("function") || self.is("procedure") {
            return self.create_function(or_replace);
        }
        if self.eat("aggregate") {
            return self.create_aggregate(or_replace);
        }
        if self.is("trigger") || self.is("constraint") {
            return self.create_trigger(or_replace);
        }
        if or_replace {
            return Err(self.unexpected(
                "FUNCTION, PROCEDURE, AGGREGATE, TRIGGER or CONSTRAINT TRIGGER after CREATE OR REPLACE",
            ));
        }
        if self.eat("policy") {
            return self.create_policy();
        }
        if self.eat("schema") {
            let if_not_exists = self.if_not_exists();
            let name = if self.is("authorization") {
                self.index += 1;
                self.identifier()?
            } else {
                self.identifier()?
            };
            // AUTHORIZATION role, and schema elements, are passed over.
            self.index = self.tokens.len();
            return Ok(Ddl::CreateSchema { name, if_not_exists });
        }
        if self.eat("extension") {
            let if_not_exists = self.if_not_exists();
            let name = self.identifier()?;
            self.eat("with");
            let (mut schema, mut version) = (None, None);
            loop {
                if self.eat("schema") {
                    schema = Some(self.identifier()?);
                } else if self.eat("version") {
                    version = Some(self.search_path_entry()?);
                } else if self.eat("cascade") {
                } else if self.eat("from") {
                    self.search_path_entry()?;
                } else {
                    break;
                }
            }
            return Ok(Ddl::CreateExtension { name, if_not_exists, schema, version });
        }
        if self.eat("type") {
            let name = self.name()?;
            self.expect("as")?;
            if self.peek() == Some(&Token::LParen) {
                let attributes = self.parenthesized_list(Self::attribute_definition)?;
                return Ok(Ddl::CreateComposite { name, attributes });
            }
            if !self.eat("enum") {
                return self.error(
                    "autogen models enum and composite types (`CREATE TYPE … AS ENUM (…)`, `AS (…)`)",
                );
            }
            self.expect_token(&Token::LParen)?;
            let mut labels = Vec::new();
            if !self.eat_token(&Token::RParen) {
                labels.push(self.string()?);
                while self.eat_token(&Token::Comma) {
                    labels.push(self.string()?);
                }
                self.expect_token(&Token::RParen)?;
            }
            return Ok(Ddl::CreateEnum { name, labels });
        }
        let unlogged = self.eat("unlogged");
        if unlogged && !self.is("table") && !self.is("sequence") {
            return Err(self.unexpected("TABLE or SEQUENCE"));
        }
        if self.eat("sequence") {
            let if_not_exists = self.if_not_exists();
            let name = self.name()?;
            let options = self.sequence_options(false)?;
            return Ok(Ddl::CreateSequence { name, if_not_exists, unlogged, options });
        }
        if self.eat("table") {
            let if_not_exists = self.if_not_exists();
            let name = self.name()?;
            let (elements, partition_of, inherits) = if self.eat_all(&["partition", "of"]) {
                let parent = self.name()?;
                let elements = match self.peek() {
                    Some(Token::LParen) => self.parenthesized_list(Self::partition_element)?,
                    _ => Vec::new(),
                };
                let bound = self.bound_spec()?;
                (elements, Some(PartitionOfDef { parent, bound }), Vec::new())
            } else {
                let elements = self.parenthesized_list(Self::table_element)?;
                let mut inherits = Vec::new();
                if self.eat("inherits") {
                    self.expect_token(&Token::LParen)?;
                    inherits.push(self.name()?);
                    while self.eat_token(&Token::Comma) {
                        inherits.push(self.name()?);
                    }
                    self.expect_token(&Token::RParen)?;
                }
                (elements, None, inherits)
            };
            let partition_by = if self.eat_all(&["partition", "by"]) {
                Some(self.partition_spec()?)
            } else {
                None
            };
            // Storage parameters are kept; the access method and the
            // tablespace are passed over.
            let mut with = Vec::new();
            loop {
                if self.eat_all(&["without", "oids"]) {
                } else if self.eat("with") {
                    with.extend(self.storage_parameters()?);
                } else if self.eat("using") || self.eat("tablespace") {
                    self.identifier()?;
                } else {
                    break;
                }
            }
            return Ok(Ddl::CreateTable {
                name,
                if_not_exists,
                unlogged,
                elements,
                with,
                partition_by,
                partition_of,
                inherits,
            });
        }
        if self.eat("statistics") {
            return self.create_statistics().map(Ddl::CreateStatistics);
        }
        if self.eat("domain") {
            return self.create_domain();
        }
        if self.eat("collation") {
            return self.create_collation();
        }
        let unique = self.eat("unique");
        if self.eat("index") {
            return self.create_index(unique).map(Ddl::CreateIndex);
        }
        Err(self.unexpected(
            "SCHEMA, EXTENSION, TYPE, DOMAIN, COLLATION, SEQUENCE, TABLE, INDEX, STATISTICS, \
             TRIGGER or POLICY",
        ))
    }

    /// After `CREATE COLLATION`: `[IF NOT EXISTS] name (option = value, …)`
    /// or `name FROM existing`. A value is a string, a word or a number,
    /// as `defGetString` takes it.
    fn create_collation(&mut self) -> Result<Ddl, Error> {
        let if_not_exists = self.if_not_exists();
        let name = self.name()?;
        if self.eat("from") {
            let from = self.name()?;
            return Ok(Ddl::CreateCollation {
                name,
                if_not_exists,
                definition: CollationDefinition::From(from),
            });
        }
        let options = self.parenthesized_list(|cursor| {
            let option = cursor.identifier()?;
            cursor.expect_token(&Token::Eq)?;
            let value = match cursor.peek() {
                Some(Token::SingleQuotedString(_) | Token::EscapedStringLiteral(_)) => {
                    return Ok((option, cursor.string()?));
                }
                Some(Token::Number(number, _)) => number.clone(),
                Some(Token::Word(word)) => match word.quote_style {
                    Some(_) => word.value.clone(),
                    None => word.value.to_ascii_lowercase(),
                },
                _ => return Err(cursor.unexpected("a value")),
            };
            cursor.index += 1;
            Ok((option, value))
        })?;
        Ok(Ddl::CreateCollation {
            name,
            if_not_exists,
            definition: CollationDefinition::Options(options),
        })
    }

    /// `name type [COLLATE c]`: an attribute of a composite type.
    fn attribute_definition(&mut self) -> Result<AttributeDef, Error> {
        let name = self.identifier()?;
        let data_type = self.data_type_until(&["collate", "cascade", "restrict"])?;
        let collation = if self.eat("collate") { Some(self.name()?) } else { None };
        Ok(AttributeDef { name, data_type, collation })
    }

    /// `ADD ATTRIBUTE …`, `DROP ATTRIBUTE [IF EXISTS] name`, `ALTER
    /// ATTRIBUTE name [SET DATA] TYPE …`, each with `[CASCADE | RESTRICT]`.
    fn attribute_action(&mut self) -> Result<AttributeAction, Error> {
        let action = if self.eat_all(&["add", "attribute"]) {
            AttributeAction::Add(self.attribute_definition()?)
        } else if self.eat_all(&["drop", "attribute"]) {
            let if_exists = self.if_exists();
            AttributeAction::Drop { name: self.identifier()?, if_exists }
        } else if self.eat_all(&["alter", "attribute"]) {
            let name = self.identifier()?;
            self.eat_all(&["set", "data"]);
            self.expect("type")?;
            let data_type = self.data_type_until(&["collate", "cascade", "restrict"])?;
            let collation = if self.eat("collate") { Some(self.name()?) } else { None };
            AttributeAction::SetType(AttributeDef { name, data_type, collation })
        } else {
            return Err(self.unexpected("ADD ATTRIBUTE, DROP ATTRIBUTE or ALTER ATTRIBUTE"));
        };
        self.drop_behavior();
        Ok(action)
    }

    fn create_domain(&mut self) -> Result<Ddl, Error> {
        let name = self.name()?;
        self.eat("as");
        let data_type = self.data_type()?;
        let (mut collation, mut default, mut not_null, mut checks) = (None, None, None, Vec::new());
        while !self.at_end() {
            if self.eat("collate") {
                collation = Some(self.name()?);
                continue;
            }
            if self.eat("default") {
                default = Some(self.column_default()?);
                continue;
            }
            let constraint_name =
                if self.eat("constraint") { Some(self.identifier()?) } else { None };
            if self.eat_all(&["not", "null"]) {
                not_null = Some(true);
            } else if self.eat("null") {
                not_null = Some(false);
            } else if self.eat("check") {
                let expression = self.parenthesized_expression()?;
                if self.is("not") && self.word_at(1).as_deref() == Some("valid") {
                    return self.error(
                        "CREATE DOMAIN takes no NOT VALID constraint: add it with ALTER DOMAIN … ADD CONSTRAINT … NOT VALID",
                    );
                }
                checks.push((constraint_name, expression));
            } else {
                return Err(self.unexpected("COLLATE, DEFAULT, NOT NULL, NULL or CHECK"));
            }
        }
        Ok(Ddl::CreateDomain { name, data_type, collation, default, not_null, checks })
    }

    fn alter_domain(&mut self) -> Result<Ddl, Error> {
        let name = self.name()?;
        let action = if self.eat_all(&["set", "default"]) {
            AlterDomain::SetDefault(self.column_default()?)
        } else if self.eat_all(&["drop", "default"]) {
            AlterDomain::DropDefault
        } else if self.eat_all(&["set", "not", "null"]) {
            AlterDomain::SetNotNull
        } else if self.eat_all(&["drop", "not", "null"]) {
            AlterDomain::DropNotNull
        } else if self.eat("add") {
            let name = if self.eat("constraint") { Some(self.identifier()?) } else { None };
            if self.eat_all(&["not", "null"]) {
                AlterDomain::SetNotNull
            } else {
                self.expect("check")?;
                let expression = self.parenthesized_expression()?;
                let not_valid = self.eat_all(&["not", "valid"]);
                AlterDomain::AddCheck { name, expression, not_valid }
            }
        } else if self.eat_all(&["drop", "constraint"]) {
            let if_exists = self.if_exists();
            let name = self.identifier()?;
            if self.drop_behavior() {
                return self
                    .error("autogen does not follow ALTER DOMAIN … DROP CONSTRAINT … CASCADE");
            }
            AlterDomain::DropConstraint { name, if_exists }
        } else if self.eat_all(&["rename", "constraint"]) {
            let old = self.identifier()?;
            self.expect("to")?;
            AlterDomain::RenameConstraint { old, new: self.identifier()? }
        } else if self.eat_all(&["validate", "constraint"]) {
            AlterDomain::ValidateConstraint(self.identifier()?)
        } else if self.eat_all(&["rename", "to"]) {
            AlterDomain::Rename(self.identifier()?)
        } else if self.eat_all(&["owner", "to"]) {
            self.index = self.tokens.len();
            AlterDomain::Nothing
        } else {
            return Err(self.unexpected(
                "SET DEFAULT, DROP DEFAULT, SET NOT NULL, DROP NOT NULL, ADD, DROP CONSTRAINT, RENAME, VALIDATE CONSTRAINT or OWNER TO",
            ));
        };
        Ok(Ddl::AlterDomain { name, action })
    }

    /// After `CREATE STATISTICS`: `[IF NOT EXISTS] [name] [(kinds)] ON
    /// elements FROM table`; an element is a column, a function call or
    /// `(expression)`.
    fn create_statistics(&mut self) -> Result<CreateStatistics, Error> {
        let if_not_exists = self.if_not_exists();
        let name = if self.is("on") || self.peek() == Some(&Token::LParen) {
            None
        } else {
            Some(self.name()?)
        };
        let kinds = if self.peek() == Some(&Token::LParen) {
            let mut kinds = self.identifier_list()?;
            for kind in &mut kinds {
                kind.make_ascii_lowercase();
            }
            Some(kinds)
        } else {
            None
        };
        self.expect("on")?;
        let mut elements = vec![self.statistics_element()?];
        while self.eat_token(&Token::Comma) {
            elements.push(self.statistics_element()?);
        }
        self.expect("from")?;
        let table = self.name()?;
        Ok(CreateStatistics { name, if_not_exists, kinds, elements, table })
    }

    fn statistics_element(&mut self) -> Result<Expr, Error> {
        let location = self.location();
        let start = self.index;
        if self.peek() == Some(&Token::LParen) {
            self.skip_parenthesized()?;
        } else {
            self.name()?;
            if self.peek() == Some(&Token::LParen) {
                self.skip_parenthesized()?;
            }
        }
        parse_expression(self.tokens[start..self.index].to_vec(), location)
    }

    fn create_index(&mut self, unique: bool) -> Result<CreateIndex, Error> {
        self.eat("concurrently");
        let if_not_exists = self.if_not_exists();
        let name = if self.is("on") { None } else { Some(self.identifier()?) };
        self.expect("on")?;
        let only = self.eat("only");
        let table = self.name()?;
        let method = if self.eat("using") { Some(self.identifier()?) } else { None };
        self.expect_token(&Token::LParen)?;
        let mut keys = vec![self.index_element()?];
        while self.eat_token(&Token::Comma) {
            keys.push(self.index_element()?);
        }
        self.expect_token(&Token::RParen)?;
        let include = if self.eat("include") { self.identifier_list()? } else { Vec::new() };
        let nulls_not_distinct = self.eat_all(&["nulls", "not", "distinct"]);
        self.eat_all(&["nulls", "distinct"]);
        let with = if self.eat("with") { self.storage_parameters()? } else { Vec::new() };
        if self.eat("tablespace") {
            self.identifier()?;
        }
        let predicate = if self.eat("where") { Some(self.expression_until(&[])?) } else { None };
        Ok(CreateIndex {
            unique,
            only,
            if_not_exists,
            name,
            table,
            method,
            keys,
            include,
            nulls_not_distinct,
            with,
            predicate,
        })
    }

    fn index_element(&mut self) -> Result<IndexElement, Error> {
        // index_elem: a column, a function call, or `( expression )`.
        let location = self.location();
        let start = self.index;
        if self.peek() == Some(&Token::LParen) {
            self.skip_parenthesized()?;
        } else {
            self.name()?;
            if self.peek() == Some(&Token::LParen) {
                self.skip_parenthesized()?;
            }
        }
        let expression = parse_expression(self.tokens[start..self.index].to_vec(), location)?;
        let mut element = IndexElement {
            expression,
            collation: None,
            opclass: None,
            opclass_params: Vec::new(),
            descending: None,
            nulls_first: None,
        };
        if self.eat("collate") {
            element.collation = Some(self.name()?);
        }
        if matches!(self.peek(), Some(Token::Word(_))) {
            // `WITH` ends an element of `EXCLUDE (…)`; it is reserved, no
            // operator class is called so.
            let is_option = ["asc", "desc", "nulls", "with"].iter().any(|word| self.is(word));
            if !is_option {
                element.opclass = Some(self.name()?);
            }
        }
        if element.opclass.is_some() && self.peek() == Some(&Token::LParen) {
            element.opclass_params = self.storage_parameters()?;
        }
        if self.eat("asc") {
            element.descending = Some(false);
        } else if self.eat("desc") {
            element.descending = Some(true);
        }
        if self.eat("nulls") {
            if self.eat("first") {
                element.nulls_first = Some(true);
            } else {
                self.expect("last")?;
                element.nulls_first = Some(false);
            }
        }
        Ok(element)
    }

    /// `( name [= value], … )`: values as PostgreSQL stores them in
    /// `reloptions` (the text of the value; `true` when none is given).
    fn storage_parameters(&mut self) -> Result<Vec<(String, String)>, Error> {
        self.expect_token(&Token::LParen)?;
        let mut parameters = Vec::new();
        loop {
            let mut name = self.identifier()?;
            while self.eat_token(&Token::Period) {
                name = format!("{name}.{}", self.identifier()?);
            }
            let value = if self.eat_token(&Token::Eq) {
                let negative = self.eat_token(&Token::Minus);
                // The text PostgreSQL keeps: an integer that fits 32 bits
                // as it prints it, another number as written, a word as
                // the lexer folds it, a string as it is.
                let value = match self.peek() {
                    Some(Token::Number(digits, _)) => match digits.parse::<i32>() {
                        Ok(number) if digits.bytes().all(|byte| byte.is_ascii_digit()) => {
                            number.to_string()
                        }
                        _ => digits.clone(),
                    },
                    Some(Token::SingleQuotedString(value)) => value.clone(),
                    Some(Token::Word(Word { value, quote_style: None, .. })) => {
                        value.to_ascii_lowercase()
                    }
                    Some(Token::Word(word)) => word.value.clone(),
                    _ => return Err(self.unexpected("a parameter value")),
                };
                self.index += 1;
                if negative {
                    format!("-{value}")
                } else {
                    value
                }
            } else {
                "true".to_owned()
            };
            parameters.push((name, value));
            if !self.eat_token(&Token::Comma) {
                break;
            }
        }
        self.expect_token(&Token::RParen)?;
        Ok(parameters)
    }

    fn table_element(&mut self) -> Result<TableElement, Error> {
        let starts_constraint = ["constraint", "primary", "unique", "check", "foreign", "exclude"]
            .iter()
            .any(|word| self.is(word));
        if self.is("like") {
            return self.error("autogen does not read `LIKE` in CREATE TABLE; list the columns");
        }
        if starts_constraint {
            return self.table_constraint().map(TableElement::Constraint);
        }
        self.column_def().map(TableElement::Column)
    }

    fn column_def(&mut self) -> Result<ColumnDef, Error> {
        let location = self.location();
        let name = self.identifier()?;
        let data_type = self.data_type()?;
        let mut column = ColumnDef::new(name.clone(), data_type, location);
        self.column_options(&mut column)?;
        Ok(column)
    }

    /// A column's options and constraints, after its name and type.
    fn column_options(&mut self, column: &mut ColumnDef) -> Result<(), Error> {
        let name = column.name.clone();
        loop {
            let location = self.location();
            let constraint_name =
                if self.eat("constraint") { Some(self.identifier()?) } else { None };
            if self.eat_all(&["not", "null"]) {
                column.not_null = Some(true);
            } else if self.eat("null") {
                column.not_null = Some(false);
            } else if self.is("collate") {
                if column.collation.is_some() {
                    return self.error("multiple COLLATE clauses not allowed");
                }
                self.index += 1;
                column.collation = Some(self.name()?);
            } else if self.eat("default") {
                column.default = Some(self.column_default()?);
            } else if self.eat("generated") {
                let generation = self.generation()?;
                self.expect("as")?;
                if self.eat("identity") {
                    column.identity = Some((generation, self.identity_options()?));
                } else {
                    if generation != IdentityGeneration::Always {
                        return self.error("a generated column is `GENERATED ALWAYS AS (…)`");
                    }
                    column.generated = Some(self.parenthesized_expression()?);
                    if !self.eat("stored") && self.eat("virtual") {
                        return Err((
                            location,
                            "autogen models stored generated columns only".to_owned(),
                        ));
                    }
                }
            } else if self.is("primary")
                || self.is("unique")
                || self.is("check")
                || self.is("references")
            {
                let kind = self.column_constraint(&name)?;
                let mut constraint = Constraint {
                    name: constraint_name,
                    kind,
                    deferrable: Deferrable::NotDeferrable,
                    not_valid: false,
                    location,
                };
                self.constraint_characteristics(&mut constraint)?;
                column.constraints.push(constraint);
            } else if constraint_name.is_some() {
                return Err(self.unexpected("a constraint"));
            } else if self.is("deferrable")
                || self.is("initially")
                || self.is("not") && self.word_at(1).as_deref() == Some("deferrable")
            {
                // Characteristics of the previous column constraint.
                let Some(mut constraint) = column.constraints.pop() else {
                    return self.error("DEFERRABLE applies to a constraint");
                };
                self.constraint_characteristics(&mut constraint)?;
                column.constraints.push(constraint);
            } else if self.eat("storage") {
                column.storage = Some(self.storage()?);
            } else if self.eat("compression") {
                column.compression = Some(self.compression()?);
            } else {
                break;
            }
        }
        Ok(())
    }

    /// `PLAIN | EXTERNAL | EXTENDED | MAIN | DEFAULT` after `STORAGE`.
    fn storage(&mut self) -> Result<Option<Storage>, Error> {
        if self.eat("default") {
            return Ok(None);
        }
        let location = self.location();
        let word = self.identifier()?;
        match Storage::from_code(&word).filter(|_| word.len() > 1) {
            Some(storage) => Ok(Some(storage)),
            None => Err((location, format!("invalid storage type \"{word}\""))),
        }
    }

    /// A compression method after `COMPRESSION`; `None` for `DEFAULT`.
    fn compression(&mut self) -> Result<Option<String>, Error> {
        if self.eat("default") {
            return Ok(None);
        }
        Ok(Some(self.identifier()?))
    }

    /// `n | DEFAULT` after `SET STATISTICS`.
    fn statistics_target(&mut self) -> Result<Option<i64>, Error> {
        if self.eat("default") {
            return Ok(None);
        }
        self.integer().map(Some)
    }

    /// `ALWAYS | BY DEFAULT` after `GENERATED`.
    fn generation(&mut self) -> Result<IdentityGeneration, Error> {
        if self.eat("always") {
            return Ok(IdentityGeneration::Always);
        }
        self.expect("by")?;
        self.expect("default")?;
        Ok(IdentityGeneration::ByDefault)
    }

    /// `[ ( sequence options ) ]` after `AS IDENTITY`.
    fn identity_options(&mut self) -> Result<SequenceOptions, Error> {
        if !self.eat_token(&Token::LParen) {
            return Ok(SequenceOptions::default());
        }
        let options = self.sequence_options(true)?;
        self.expect_token(&Token::RParen)?;
        Ok(options)
    }

    fn column_constraint(&mut self, column: &str) -> Result<ConstraintKind, Error> {
        if self.eat_all(&["primary", "key"]) {
            let (include, with) = self.index_parameters()?;
            return Ok(ConstraintKind::PrimaryKey {
                columns: vec![column.to_owned()],
                include,
                with,
            });
        }
        if self.eat("unique") {
            let nulls_not_distinct = self.eat_all(&["nulls", "not", "distinct"]);
            self.eat_all(&["nulls", "distinct"]);
            let (include, with) = self.index_parameters()?;
            return Ok(ConstraintKind::Unique {
                columns: vec![column.to_owned()],
                include,
                with,
                nulls_not_distinct,
            });
        }
        if self.eat("check") {
            let expression = self.parenthesized_expression()?;
            let no_inherit = self.eat_all(&["no", "inherit"]);
            return Ok(ConstraintKind::Check { expression, no_inherit });
        }
        self.expect("references")?;
        self.references(vec![column.to_owned()])
    }

    fn references(&mut self, columns: Vec<String>) -> Result<ConstraintKind, Error> {
        let table = self.name()?;
        let referenced_columns =
            if self.peek() == Some(&Token::LParen) { self.identifier_list()? } else { Vec::new() };
        let mut match_type = MatchType::Simple;
        let mut on_delete = ReferentialAction::NoAction;
        let mut on_update = ReferentialAction::NoAction;
        loop {
            if self.eat("match") {
                match_type = if self.eat("full") {
                    MatchType::Full
                } else if self.eat("partial") {
                    MatchType::Partial
                } else {
                    self.expect("simple")?;
                    MatchType::Simple
                };
            } else if self.eat_all(&["on", "delete"]) {
                on_delete = self.referential_action()?;
            } else if self.eat_all(&["on", "update"]) {
                on_update = self.referential_action()?;
            } else {
                break;
            }
        }
        Ok(ConstraintKind::ForeignKey {
            columns,
            table,
            referenced_columns,
            match_type,
            on_delete,
            on_update,
        })
    }

    fn referential_action(&mut self) -> Result<ReferentialAction, Error> {
        let action = if self.eat_all(&["no", "action"]) {
            ReferentialAction::NoAction
        } else if self.eat("restrict") {
            ReferentialAction::Restrict
        } else if self.eat("cascade") {
            ReferentialAction::Cascade
        } else if self.eat_all(&["set", "null"]) {
            ReferentialAction::SetNull
        } else if self.eat_all(&["set", "default"]) {
            ReferentialAction::SetDefault
        } else {
            return Err(self.unexpected("NO ACTION, RESTRICT, CASCADE, SET NULL or SET DEFAULT"));
        };
        if self.peek() == Some(&Token::LParen) {
            return self.error("autogen does not model ON DELETE SET NULL (columns)");
        }
        Ok(action)
    }

    /// `[INCLUDE (…)] [WITH (…)] [USING INDEX TABLESPACE t]`
    fn index_parameters(&mut self) -> Result<IndexParameters, Error> {
        let include = if self.eat("include") { self.identifier_list()? } else { Vec::new() };
        let with = if self.eat("with") { self.storage_parameters()? } else { Vec::new() };
        if self.eat_all(&["using", "index", "tablespace"]) {
            self.identifier()?;
        }
        Ok((include, with))
    }

    fn constraint_characteristics(&mut self, constraint: &mut Constraint) -> Result<(), Error> {
        let mut deferrable = None;
        let mut deferred = None;
        loop {
            if self.eat("deferrable") {
                deferrable = Some(true);
            } else if self.eat_all(&["not", "deferrable"]) {
                deferrable = Some(false);
            } else if self.eat_all(&["initially", "deferred"]) {
                deferred = Some(true);
            } else if self.eat_all(&["initially", "immediate"]) {
                deferred = Some(false);
            } else if self.eat_all(&["not", "valid"]) {
                constraint.not_valid = true;
            } else if self.eat_all(&["no", "inherit"]) {
                if let ConstraintKind::Check { no_inherit, .. } = &mut constraint.kind {
                    *no_inherit = true;
                }
            } else if self.eat("enforced") {
            } else {
                break;
            }
        }
        if deferrable.is_some() || deferred.is_some() {
            constraint.deferrable = match (deferrable, deferred) {
                (Some(false), Some(true)) => {
                    return self
                        .error("a constraint declared INITIALLY DEFERRED must be DEFERRABLE")
                }
                (_, Some(true)) => Deferrable::InitiallyDeferred,
                (Some(true), _) => Deferrable::InitiallyImmediate,
                _ => Deferrable::NotDeferrable,
            };
        }
        Ok(())
    }

    fn table_constraint(&mut self) -> Result<Constraint, Error> {
        let location = self.location();
        let name = if self.eat("constraint") { Some(self.identifier()?) } else { None };
        let kind = if self.eat_all(&["primary", "key", "using", "index"]) {
            ConstraintKind::UsingIndex { index: self.identifier()?, primary: true }
        } else if self.eat_all(&["unique", "using", "index"]) {
            ConstraintKind::UsingIndex { index: self.identifier()?, primary: false }
        } else if self.eat_all(&["primary", "key"]) {
            let columns = self.identifier_list()?;
            let (include, with) = self.index_parameters()?;
            ConstraintKind::PrimaryKey { columns, include, with }
        } else if self.eat("unique") {
            let nulls_not_distinct = self.eat_all(&["nulls", "not", "distinct"]);
            self.eat_all(&["nulls", "distinct"]);
            let columns = self.identifier_list()?;
            let (include, with) = self.index_parameters()?;
            ConstraintKind::Unique { columns, include, with, nulls_not_distinct }
        } else if self.eat("check") {
            let expression = self.parenthesized_expression()?;
            ConstraintKind::Check { expression, no_inherit: false }
        } else if self.eat_all(&["foreign", "key"]) {
            let columns = self.identifier_list()?;
            self.expect("references")?;
            self.references(columns)?
        } else if self.eat("exclude") {
            self.exclusion()?
        } else if self.is("not") && self.word_at(1).as_deref() == Some("null") {
            self.take_until(&|_| false);
            ConstraintKind::Unsupported("NOT NULL table constraints".into())
        } else {
            return Err(self.unexpected("PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY or EXCLUDE"));
        };
        let mut constraint = Constraint {
            name,
            kind,
            deferrable: Deferrable::NotDeferrable,
            not_valid: false,
            location,
        };
        self.constraint_characteristics(&mut constraint)?;
        Ok(constraint)
    }

    /// What follows `EXCLUDE`: `[USING method] (element WITH operator, …)
    /// [INCLUDE (…)] [WITH (…)] [USING INDEX TABLESPACE t] [WHERE
    /// (predicate)]` — PostgreSQL's `ExclusionConstraintElem` list and
    /// `ExclusionWhereClause` (whose parentheses are required).
    fn exclusion(&mut self) -> Result<ConstraintKind, Error> {
        let method = if self.eat("using") { Some(self.identifier()?) } else { None };
        self.expect_token(&Token::LParen)?;
        let mut elements = Vec::new();
        loop {
            let element = self.index_element()?;
            self.expect("with")?;
            let operator = self.operator()?;
            elements.push(ExclusionElement { element, operator });
            if !self.eat_token(&Token::Comma) {
                break;
            }
        }
        self.expect_token(&Token::RParen)?;
        let (include, with) = self.index_parameters()?;
        let predicate = if self.eat("where") {
            if self.peek() != Some(&Token::LParen) {
                return Err(self.unexpected("`(`: the WHERE of EXCLUDE is in parentheses"));
            }
            Some(self.parenthesized_expression()?)
        } else {
            None
        };
        Ok(ConstraintKind::Exclusion { method, elements, include, with, predicate })
    }

    /// An operator: `&&`, `=`, or `OPERATOR(schema.op)`; the schema is kept
    /// only when it is not `pg_catalog` or `public` (which the catalog
    /// prints bare).
    fn operator(&mut self) -> Result<String, Error> {
        if self.eat("operator") {
            self.expect_token(&Token::LParen)?;
            let mut schema = None;
            if matches!(self.peek(), Some(Token::Word(_))) {
                schema = Some(self.identifier()?);
                self.expect_token(&Token::Period)?;
            }
            let operator = self.operator_symbol()?;
            self.expect_token(&Token::RParen)?;
            return Ok(match schema.as_deref() {
                None | Some("pg_catalog" | "public") => operator,
                Some(schema) => {
                    format!("OPERATOR({}.{operator})", autogen_schema::quote_ident(schema))
                }
            });
        }
        self.operator_symbol()
    }

    /// The characters of one operator, which the tokenizer may have cut
    /// into several tokens written next to each other (`-|-`).
    fn operator_symbol(&mut self) -> Result<String, Error> {
        const OPERATOR_CHARACTERS: &str = "+-*/<>=~!@#%^&|`?";
        let mut symbol = String::new();
        let mut end = None;
        while let Some(token) = self.tokens.get(self.index) {
            let text = token.token.to_string();
            let is_operator =
                !text.is_empty() && text.chars().all(|c| OPERATOR_CHARACTERS.contains(c));
            let adjacent = end.is_none_or(|end| token.span.start == end);
            if !is_operator || !adjacent {
                break;
            }
            symbol.push_str(&text);
            end = Some(token.span.end);
            self.index += 1;
        }
        if symbol.is_empty() {
            return Err(self.unexpected("an operator"));
        }
        Ok(symbol)
    }

    /// Sequence options; `in_parentheses` for identity options, which end
    /// at `)`.
    fn sequence_options(&mut self, in_parentheses: bool) -> Result<SequenceOptions, Error> {
        let mut options = SequenceOptions::default();
        loop {
            if self.eat("as") {
                options.data_type = Some(self.data_type_word()?);
            } else if self.eat("increment") {
                self.eat("by");
                options.increment = Some(self.integer()?);
            } else if self.eat("minvalue") {
                options.min_value = Some(Some(self.integer()?));
            } else if self.eat_all(&["no", "minvalue"]) {
                options.min_value = Some(None);
            } else if self.eat("maxvalue") {
                options.max_value = Some(Some(self.integer()?));
            } else if self.eat_all(&["no", "maxvalue"]) {
                options.max_value = Some(None);
            } else if self.eat("start") {
                self.eat("with");
                options.start = Some(self.integer()?);
            } else if self.eat("restart") {
                options.restart = true;
                if self.eat("with") || matches!(self.peek(), Some(Token::Number(..) | Token::Minus))
                {
                    self.integer()?;
                }
            } else if self.eat("cache") {
                options.cache = Some(self.integer()?);
            } else if self.eat("cycle") {
                options.cycle = Some(true);
            } else if self.eat_all(&["no", "cycle"]) {
                options.cycle = Some(false);
            } else if self.eat_all(&["owned", "by"]) {
                options.owned_by = Some(if self.eat("none") { None } else { Some(self.name()?) });
            } else if in_parentheses && self.eat_all(&["sequence", "name"]) {
                options.sequence_name = Some(self.name()?);
            } else if self.eat("logged") || self.eat("unlogged") {
            } else {
                break;
            }
        }
        Ok(options)
    }

    /// `AS smallint | integer | bigint` in sequence options.
    fn data_type_word(&mut self) -> Result<DataType, Error> {
        let location = self.location();
        let tokens =
            self.take_until(&|cursor| SEQUENCE_OPTION_STARTS.iter().any(|word| cursor.is(word)));
        parse_data_type(tokens, location)
    }

    fn alter(&mut self) -> Result<Ddl, Error> {
        if let Some(kind) = self.routine_kind() {
            return self.alter_routine(kind);
        }
        if let Some(view) = self.alter_view() {
            return view;
        }
        if self.eat("table") {
            let if_exists = self.if_exists();
            let only = self.eat("only");
            let name = self.name()?;
            self.eat_token(&Token::Mul);
            let mut actions = vec![self.alter_table_action()?];
            while self.eat_token(&Token::Comma) {
                actions.push(self.alter_table_action()?);
            }
            return Ok(Ddl::AlterTable { name, if_exists, only, actions });
        }
        if self.eat("domain") {
            return self.alter_domain();
        }
        if self.eat("trigger") {
            return self.alter_trigger();
        }
        if self.eat("policy") {
            return self.alter_policy();
        }
        if self.eat("collation") {
            let name = self.name()?;
            let action = if self.eat_all(&["rename", "to"]) {
                AlterCollation::RenameTo(self.identifier()?)
            } else if self.eat_all(&["set", "schema"]) {
                AlterCollation::SetSchema(self.identifier()?)
            } else if self.eat_all(&["refresh", "version"]) {
                AlterCollation::Nothing
            } else if self.eat("owner") {
                self.index = self.tokens.len();
                AlterCollation::Nothing
            } else {
                return Err(self.unexpected("RENAME TO, SET SCHEMA, REFRESH VERSION or OWNER TO"));
            };
            return Ok(Ddl::AlterCollation { name, action });
        }
        if self.eat("sequence") {
            let if_exists = self.if_exists();
            let name = self.name()?;
            if self.eat_all(&["rename", "to"]) {
                let new_name = self.identifier()?;
                return Ok(Ddl::AlterSequenceRename { name, if_exists, new_name });
            }
            if self.is("owner") || self.is("set") {
                self.index = self.tokens.len();
                return Ok(Ddl::Nothing);
            }
            let options = self.sequence_options(false)?;
            return Ok(Ddl::AlterSequence { name, if_exists, options });
        }
        if self.eat("type") {
            let name = self.name()?;
            let action = if self.eat_all(&["add", "value"]) {
                let if_not_exists = self.if_not_exists();
                let label = self.string()?;
                let before = if self.eat("before") {
                    Some((true, self.string()?))
                } else if self.eat("after") {
                    Some((false, self.string()?))
                } else {
                    None
                };
                AlterType::AddValue { if_not_exists, label, before }
            } else if self.eat_all(&["rename", "value"]) {
                let old = self.string()?;
                self.expect("to")?;
                AlterType::RenameValue { old, new: self.string()? }
            } else if self.eat_all(&["rename", "attribute"]) {
                let old = self.identifier()?;
                self.expect("to")?;
                let new = self.identifier()?;
                self.drop_behavior();
                AlterType::RenameAttribute { old, new }
            } else if self.is("add") || self.is("drop") || self.is("alter") {
                let mut actions = vec![self.attribute_action()?];
                while self.eat_token(&Token::Comma) {
                    actions.push(self.attribute_action()?);
                }
                AlterType::Attributes(actions)
            } else if self.eat_all(&["rename", "to"]) {
                AlterType::RenameTo(self.identifier()?)
            } else if self.eat_all(&["set", "schema"]) {
                AlterType::SetSchema(self.identifier()?)
            } else if self.eat("owner") {
                self.index = self.tokens.len();
                AlterType::Nothing
            } else {
                return Err(self.unexpected(
                    "ADD VALUE, RENAME VALUE, ADD/DROP/ALTER/RENAME ATTRIBUTE, RENAME TO or SET SCHEMA",
                ));
            };
            return Ok(Ddl::AlterType { name, action });
        }
        if self.eat("index") {
            let if_exists = self.if_exists();
            let name = self.name()?;
            if self.eat_all(&["rename", "to"]) {
                return Ok(Ddl::AlterIndexRename { name, if_exists, new_name: self.identifier()? });
            }
            if self.eat_all(&["attach", "partition"]) {
                return Ok(Ddl::AttachIndex { index: name, partition_index: self.name()? });
            }
            if self.eat("set") || self.eat("reset") || self.eat("alter") {
                return self.error(
                    "autogen does not read `ALTER INDEX … SET/RESET/ALTER`; drop and create the index",
                );
            }
            return Err(self.unexpected("RENAME TO"));
        }
        if self.eat("statistics") {
            let if_exists = self.if_exists();
            let name = self.name()?;
            let action = if self.eat_all(&["set", "statistics"]) {
                AlterStatistics::SetTarget(self.statistics_target()?)
            } else if self.eat_all(&["rename", "to"]) {
                AlterStatistics::RenameTo(self.identifier()?)
            } else if self.eat_all(&["set", "schema"]) {
                AlterStatistics::SetSchema(self.identifier()?)
            } else {
                return Err(self.unexpected("SET STATISTICS, RENAME TO or SET SCHEMA"));
            };
            return Ok(Ddl::AlterStatistics { name, if_exists, action });
        }
        if self.is("extension") && self.word_at(2).as_deref() == Some("update") {
            self.index += 1;
            let name = self.identifier()?;
            self.expect("update")?;
            let version = if self.eat("to") { Some(self.search_path_entry()?) } else { None };
            return Ok(Ddl::AlterExtensionUpdate { name, version });
        }
        if self.eat("schema") || self.eat("extension") {
            let name = self.identifier()?;
            if self.eat_all(&["rename", "to"]) {
                return self.error(format!(
                    "autogen does not read renaming `{name}`; create the new one instead"
                ));
            }
            self.index = self.tokens.len();
            return Ok(Ddl::Nothing);
        }
        Err(self.unexpected("TABLE, SEQUENCE, TYPE, INDEX, STATISTICS, TRIGGER or POLICY"))
    }

    fn alter_table_action(&mut self) -> Result<AlterTable, Error> {
        if self.eat("add") {
            let starts_constraint =
                ["constraint", "primary", "unique", "check", "foreign", "exclude"]
                    .iter()
                    .any(|word| self.is(word));
            if starts_constraint {
                return self.table_constraint().map(AlterTable::AddConstraint);
            }
            self.eat("column");
            let if_not_exists = self.if_not_exists();
            return Ok(AlterTable::AddColumn { if_not_exists, column: self.column_def()? });
        }
        if self.eat("drop") {
            if self.eat("constraint") {
                let if_exists = self.if_exists();
                let name = self.identifier()?;
                let cascade = self.drop_behavior();
                return Ok(AlterTable::DropConstraint { if_exists, name, cascade });
            }
            self.eat("column");
            let if_exists = self.if_exists();
            let name = self.identifier()?;
            let cascade = self.drop_behavior();
            return Ok(AlterTable::DropColumn { if_exists, name, cascade });
        }
        if self.eat("alter") {
            if self.eat("constraint") {
                return self.error(
                    "autogen does not read `ALTER CONSTRAINT`; drop and add the constraint",
                );
            }
            self.eat("column");
            let name = self.identifier()?;
            let change = self.column_change()?;
            return Ok(AlterTable::AlterColumn { name, change });
        }
        if self.eat_all(&["validate", "constraint"]) {
            return Ok(AlterTable::ValidateConstraint(self.identifier()?));
        }
        if self.eat("rename") {
            if self.eat("to") {
                return Ok(AlterTable::RenameTo(self.identifier()?));
            }
            if self.eat("constraint") {
                let old = self.identifier()?;
                self.expect("to")?;
                return Ok(AlterTable::RenameConstraint { old, new: self.identifier()? });
            }
            self.eat("column");
            let old = self.identifier()?;
            self.expect("to")?;
            return Ok(AlterTable::RenameColumn { old, new: self.identifier()? });
        }
        if self.eat_all(&["set", "schema"]) {
            return Ok(AlterTable::SetSchema(self.identifier()?));
        }
        if self.eat_all(&["set", "logged"]) {
            return Ok(AlterTable::SetUnlogged(false));
        }
        if self.eat_all(&["set", "unlogged"]) {
            return Ok(AlterTable::SetUnlogged(true));
        }
        if self.is("set")
            && self.tokens.get(self.index + 1).map(|token| &token.token) == Some(&Token::LParen)
        {
            self.index += 1;
            return Ok(AlterTable::SetParameters(self.storage_parameters()?));
        }
        if self.eat("reset") {
            self.expect_token(&Token::LParen)?;
            let mut names = vec![self.parameter_name()?];
            while self.eat_token(&Token::Comma) {
                names.push(self.parameter_name()?);
            }
            self.expect_token(&Token::RParen)?;
            return Ok(AlterTable::ResetParameters(names));
        }
        if self.eat_all(&["replica", "identity"]) {
            let identity = if self.eat("default") {
                ReplicaIdentity::Default
            } else if self.eat("nothing") {
                ReplicaIdentity::Nothing
            } else if self.eat("full") {
                ReplicaIdentity::Full
            } else if self.eat_all(&["using", "index"]) {
                ReplicaIdentity::Index(self.identifier()?)
            } else {
                return Err(self.unexpected("DEFAULT, NOTHING, FULL or USING INDEX"));
            };
            return Ok(AlterTable::ReplicaIdentity(identity));
        }
        if self.eat_all(&["cluster", "on"]) {
            return Ok(AlterTable::ClusterOn(Some(self.identifier()?)));
        }
        if self.eat_all(&["set", "without", "cluster"]) {
            return Ok(AlterTable::ClusterOn(None));
        }
        if self.eat("enable") {
            return self.enable_or_disable(true);
        }
        if self.eat("disable") {
            return self.enable_or_disable(false);
        }
        if self.eat_all(&["force", "row", "level", "security"]) {
            return Ok(AlterTable::RowSecurity { enable: None, force: Some(true) });
        }
        if self.eat_all(&["no", "force", "row", "level", "security"]) {
            return Ok(AlterTable::RowSecurity { enable: None, force: Some(false) });
        }
        if self.eat_all(&["attach", "partition"]) {
            let partition = self.name()?;
            let bound = self.bound_spec()?;
            return Ok(AlterTable::AttachPartition { partition, bound });
        }
        if self.eat_all(&["detach", "partition"]) {
            let partition = self.name()?;
            if !self.eat("concurrently") {
                self.eat("finalize");
            }
            return Ok(AlterTable::DetachPartition(partition));
        }
        if self.eat("inherit") {
            return Ok(AlterTable::Inherit(self.name()?));
        }
        if self.eat_all(&["no", "inherit"]) {
            return Ok(AlterTable::NoInherit(self.name()?));
        }
        let passed_over = ["owner", "set", "enable", "disable", "force", "of", "not"];
        if passed_over.iter().any(|word| self.is(word)) {
            self.take_until(&|_| false);
            return Ok(AlterTable::Nothing);
        }
        Err(self.unexpected("an ALTER TABLE action"))
    }

    /// A storage parameter's name: `name` or `namespace.name` (`toast.…`).
    fn parameter_name(&mut self) -> Result<String, Error> {
        let mut name = self.identifier()?;
        while self.eat_token(&Token::Period) {
            name = format!("{name}.{}", self.identifier()?);
        }
        Ok(name)
    }

    fn drop_behavior(&mut self) -> bool {
        if self.eat("cascade") {
            return true;
        }
        self.eat("restrict");
        false
    }

    fn column_change(&mut self) -> Result<ColumnChange, Error> {
        if self.eat_all(&["set", "not", "null"]) {
            return Ok(ColumnChange::SetNotNull);
        }
        if self.eat_all(&["drop", "not", "null"]) {
            return Ok(ColumnChange::DropNotNull);
        }
        if self.eat_all(&["set", "default"]) {
            return Ok(ColumnChange::SetDefault(self.expression_until(&[])?));
        }
        if self.eat_all(&["drop", "default"]) {
            return Ok(ColumnChange::DropDefault);
        }
        if self.eat_all(&["set", "data", "type"]) || self.eat("type") {
            let data_type = self.data_type_until(&["collate", "using"])?;
            let collation = if self.eat("collate") { Some(self.name()?) } else { None };
            let using = if self.eat("using") { Some(self.expression_until(&[])?) } else { None };
            return Ok(ColumnChange::Type { data_type, collation, using });
        }
        if self.eat("add") {
            self.expect("generated")?;
            let generation = self.generation()?;
            self.expect("as")?;
            self.expect("identity")?;
            return Ok(ColumnChange::AddIdentity(generation, self.identity_options()?));
        }
        if self.eat_all(&["drop", "identity"]) {
            let if_exists = self.if_exists();
            return Ok(ColumnChange::DropIdentity { if_exists });
        }
        if self.eat_all(&["drop", "expression"]) {
            let if_exists = self.if_exists();
            return Ok(ColumnChange::DropExpression { if_exists });
        }
        if self.is("set") || self.is("restart") {
            let mut generation = None;
            let mut options = SequenceOptions::default();
            let mut any = false;
            loop {
                if self.eat_all(&["set", "generated", "always"]) {
                    generation = Some(IdentityGeneration::Always);
                } else if self.eat_all(&["set", "generated", "by", "default"]) {
                    generation = Some(IdentityGeneration::ByDefault);
                } else if self.eat("restart") {
                    if self.eat("with")
                        || matches!(self.peek(), Some(Token::Number(..) | Token::Minus))
                    {
                        self.integer()?;
                    }
                } else if self.is("set")
                    && SEQUENCE_OPTION_STARTS.contains(&self.word_at(1).as_deref().unwrap_or(""))
                {
                    self.index += 1;
                    let more = self.sequence_options(false)?;
                    options.merge(&more);
                } else {
                    break;
                }
                any = true;
            }
            if any {
                return Ok(ColumnChange::SetIdentity(generation, options));
            }
            if self.eat_all(&["set", "storage"]) {
                return Ok(ColumnChange::SetStorage(self.storage()?));
            }
            if self.eat_all(&["set", "compression"]) {
                return Ok(ColumnChange::SetCompression(self.compression()?));
            }
            if self.eat_all(&["set", "statistics"]) {
                return Ok(ColumnChange::SetStatistics(self.statistics_target()?));
            }
            // SET (n_distinct = …): attribute options, not modelled.
            self.take_until(&|_| false);
            return Ok(ColumnChange::Nothing);
        }
        if self.is("reset") {
            self.take_until(&|_| false);
            return Ok(ColumnChange::Nothing);
        }
        Err(self.unexpected("an ALTER COLUMN action"))
    }

    fn data_type_until(&mut self, stop_words: &[&str]) -> Result<DataType, Error> {
        let location = self.location();
        let tokens = self.take_until(&|cursor| stop_words.iter().any(|word| cursor.is(word)));
        parse_data_type(tokens, location)
    }

    /// `FUNCTION`, `PROCEDURE`, `AGGREGATE` or `ROUTINE`, eaten.
    fn routine_kind(&mut self) -> Option<RoutineKind> {
        let kind = [
            ("function", RoutineKind::Function),
            ("procedure", RoutineKind::Procedure),
            ("aggregate", RoutineKind::Aggregate),
            ("routine", RoutineKind::Routine),
        ]
        .into_iter()
        .find(|(word, _)| self.is(word))?
        .1;
        self.index += 1;
        Some(kind)
    }

    fn drop(&mut self) -> Result<Ddl, Error> {
        if let Some(kind) = self.routine_kind() {
            return self.drop_routines(kind);
        }
        if self.eat("trigger") {
            return self.drop_trigger_or_policy(false);
        }
        if self.eat("policy") {
            return self.drop_trigger_or_policy(true);
        }
        let kind = if self.eat("table") {
            DropKind::Table
        } else if self.eat("index") {
            self.eat("concurrently");
            DropKind::Index
        } else if self.eat("type") {
            DropKind::Type
        } else if self.eat("extension") {
            DropKind::Extension
        } else if self.eat("schema") {
            DropKind::Schema
        } else if self.eat("sequence") {
            DropKind::Sequence
        } else if self.eat("domain") {
            DropKind::Domain
        } else if self.eat("statistics") {
            DropKind::Statistics
        } else if self.eat("collation") {
            DropKind::Collation
        } else if self.eat("view") {
            DropKind::View
        } else if self.eat_all(&["materialized", "view"]) {
            DropKind::MaterializedView
        } else {
            return Err(self.unexpected(
                "TABLE, VIEW, MATERIALIZED VIEW, INDEX, TYPE, DOMAIN, COLLATION, EXTENSION, \
                 SCHEMA, SEQUENCE or STATISTICS",
            ));
        };
        let if_exists = self.if_exists();
        let mut names = vec![self.name()?];
        while self.eat_token(&Token::Comma) {
            names.push(self.name()?);
        }
        let cascade = self.drop_behavior();
        Ok(Ddl::Drop { kind, if_exists, names, cascade })
    }

    fn comment(&mut self) -> Result<Ddl, Error> {
        self.expect("on")?;
        if let Some(kind) = self.routine_kind() {
            return self.comment_routine(kind);
        }
        let simple = [
            ("table", CommentTarget::Table),
            ("column", CommentTarget::Column),
            ("schema", CommentTarget::Schema),
            ("extension", CommentTarget::Extension),
            ("type", CommentTarget::Type),
            ("domain", CommentTarget::Domain),
            ("sequence", CommentTarget::Sequence),
            ("collation", CommentTarget::Collation),
            ("index", CommentTarget::Index),
            ("view", CommentTarget::View),
        ];
        let (target, name) =
            match simple.into_iter().find(|(word, _)| self.eat(word)) {
                Some((_, target)) => (target, self.name()?),
                None if self.eat_all(&["materialized", "view"]) => {
                    (CommentTarget::MaterializedView, self.name()?)
                }
                None if self.eat("constraint") => {
                    let name = Name(vec![self.identifier()?]);
                    self.expect("on")?;
                    let domain = self.eat("domain");
                    (CommentTarget::Constraint { on: self.name()?, domain }, name)
                }
                None if self.is("trigger") || self.is("policy") => {
                    let trigger = self.eat("trigger");
                    self.index += usize::from(!trigger);
                    let name = Name(vec![self.identifier()?]);
                    self.expect("on")?;
                    let on = self.name()?;
                    match trigger {
                        true => (CommentTarget::Trigger { on }, name),
                        false => (CommentTarget::Policy { on }, name),
                    }
                }
                None => return Err(self.unexpected(
                    "TABLE, VIEW, MATERIALIZED VIEW, COLUMN, SCHEMA, EXTENSION, TYPE, DOMAIN, SEQUENCE, COLLATION, INDEX, CONSTRAINT, TRIGGER or POLICY",
                )),
            };
        self.expect("is")?;
        let comment = if self.eat("null") { None } else { Some(self.string()?) };
        Ok(Ddl::Comment { target, name, comment })
    }
}

/// Words that end a column type (and so start a column option).
const COLUMN_OPTION_STARTS: &[&str] = &[
    "constraint",
    "null",
    "default",
    "generated",
    "primary",
    "unique",
    "check",
    "references",
    "collate",
    "deferrable",
    "initially",
    "storage",
    "compression",
];

/// What ends a `DEFAULT` expression.
const COLUMN_OPTION_STOPS: &[&[&str]] = &[
    &["constraint"],
    &["not", "null"],
    &["null"],
    &["default"],
    &["generated"],
    &["primary", "key"],
    &["unique"],
    &["check"],
    &["references"],
    &["deferrable"],
    &["not", "deferrable"],
    &["initially"],
];

const SEQUENCE_OPTION_STARTS: &[&str] = &[
    "increment",
    "minvalue",
    "maxvalue",
    "no",
    "start",
    "restart",
    "cache",
    "cycle",
    "owned",
    "sequence",
    "logged",
    "unlogged",
];

/// `search_path` as `set_config` takes it: `'app, public'`.
fn split_search_path(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| match entry.strip_prefix('"').and_then(|entry| entry.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\"\"", "\""),
            None => entry.to_ascii_lowercase(),
        })
        .collect()
}

fn parse_expression(tokens: Vec<TokenWithSpan>, location: Location) -> Result<Expr, Error> {
    if let Some(expression) = one_token_expression(&tokens) {
        return Ok(expression);
    }
    not_too_deep(&tokens, "expression")?;
    parse_expression_tokens(tokens, location)
}

/// An expression from its tokens, which it must use up, after the rewrites
/// sqlparser needs; no depth check.
fn parse_expression_tokens(tokens: Vec<TokenWithSpan>, location: Location) -> Result<Expr, Error> {
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect)
        .with_recursion_limit(depth::PARSER_RECURSION_LIMIT)
        .with_tokens_with_locations(rewrite_collate(rewrite_trim(tokens)));
    let expression =
        parser.parse_expr().map_err(|error| parser_error(error, location, "expression"))?;
    nothing_after(&parser, "in the expression")?;
    Ok(expression)
}

/// An expression autogen printed itself (PostgreSQL's form: a parenthesis
/// around every operator, so no depth check: it was read within the limit
/// before), read again.
pub(crate) fn reparse_expression(text: &str) -> Result<Expr, String> {
    let tokens = crate::significant_tokens(text).map_err(|error| error.message)?;
    parse_expression_tokens(tokens, Location { line: 1, column: 1 }).map_err(|(_, message)| message)
}

/// Most defaults and index keys are one token: a string, a number, a
/// column. Built here as sqlparser's parser builds them, without starting
/// it (a large schema file has tens of thousands of them).
fn one_token_expression(tokens: &[TokenWithSpan]) -> Option<Expr> {
    let [token] = tokens else { return None };
    let value = |value: Value| Some(Expr::Value(value.with_span(token.span)));
    match &token.token {
        Token::SingleQuotedString(text) => value(Value::SingleQuotedString(text.clone())),
        Token::Number(digits, long) => value(Value::Number(digits.clone(), *long)),
        Token::Word(word) if word.keyword == Keyword::NoKeyword || word.quote_style.is_some() => {
            Some(Expr::Identifier(word.to_ident(token.span)))
        }
        _ => None,
    }
}

/// A type name from its tokens, which it must use up.
fn parse_data_type(tokens: Vec<TokenWithSpan>, location: Location) -> Result<DataType, Error> {
    not_too_deep(&tokens, "type")?;
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect)
        .with_recursion_limit(depth::PARSER_RECURSION_LIMIT)
        .with_tokens_with_locations(tokens);
    let data_type =
        parser.parse_data_type().map_err(|error| parser_error(error, location, "type"))?;
    nothing_after(&parser, "after the type")?;
    Ok(data_type)
}

/// An error at the first token sqlparser left unread, if any.
fn nothing_after(parser: &Parser<'_>, place: &str) -> Result<(), Error> {
    let rest = parser.peek_token();
    if rest.token == Token::EOF {
        return Ok(());
    }
    Err((
        Location { line: rest.span.start.line, column: rest.span.start.column },
        format!("unexpected `{}` {place}", rest.token),
    ))
}

/// sqlparser does not read `TRIM(BOTH FROM x)` (pg_dump's spelling of
/// `btrim(x)`): it becomes a call of a marker function the expression
/// reader knows.
fn rewrite_trim(tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    let word = |token: &TokenWithSpan| match &token.token {
        Token::Word(word) if word.quote_style.is_none() => Some(word.value.to_ascii_lowercase()),
        _ => None,
    };
    let mut out: Vec<TokenWithSpan> = Vec::with_capacity(tokens.len());
    let mut index = 0;
    while index < tokens.len() {
        let is_bare_trim = word(&tokens[index]).as_deref() == Some("trim")
            && tokens.get(index + 1).map(|token| &token.token) == Some(&Token::LParen)
            && tokens
                .get(index + 2)
                .and_then(word)
                .is_some_and(|side| matches!(side.as_str(), "both" | "leading" | "trailing"))
            && tokens.get(index + 3).and_then(word).as_deref() == Some("from");
        if is_bare_trim {
            let side = word(&tokens[index + 2]).unwrap_or_default();
            let mut marker = tokens[index].clone();
            marker.token = Token::make_word(&format!("{TRIM_MARKER}{side}"), None);
            out.push(marker);
            out.push(tokens[index + 1].clone());
            index += 4;
            continue;
        }
        out.push(tokens[index].clone());
        index += 1;
    }
    out
}

/// sqlparser reads `COLLATE` only right after an operand, not after a cast
/// (`'y'::text COLLATE "C"`, as `pg_get_expr` prints a collation in an
/// expression). The cast binds tighter, as in PostgreSQL's grammar: the
/// operand before such a `COLLATE` — back to the operator, comma or
/// opening parenthesis before it — is put in parentheses.
fn rewrite_collate(tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    let is_collate = |token: &TokenWithSpan| {
        matches!(&token.token, Token::Word(word)
            if word.quote_style.is_none() && word.keyword == Keyword::COLLATE)
    };
    if !tokens.iter().any(is_collate) {
        return tokens;
    }
    // Where each operand to wrap starts, and the COLLATE it ends before.
    let mut wraps: Vec<(usize, usize)> = Vec::new();
    for (collate, _) in tokens.iter().enumerate().filter(|(_, token)| is_collate(token)) {
        let mut depth = 0usize;
        let mut start = collate;
        let mut cast = false;
        while start > 0 {
            let token = &tokens[start - 1].token;
            match token {
                Token::RParen | Token::RBracket => depth += 1,
                Token::LParen | Token::LBracket if depth == 0 => break,
                Token::LParen | Token::LBracket => depth -= 1,
                Token::DoubleColon if depth == 0 => cast = true,
                Token::Comma if depth == 0 => break,
                _ if depth == 0 && ends_an_operand(token) => break,
                _ => {}
            }
            start -= 1;
        }
        if cast && start < collate {
            wraps.push((start, collate));
        }
    }
    let mut out = Vec::with_capacity(tokens.len() + 2 * wraps.len());
    for (index, token) in tokens.into_iter().enumerate() {
        for _ in wraps.iter().filter(|(start, _)| *start == index) {
            out.push(TokenWithSpan { token: Token::LParen, span: token.span });
        }
        for _ in wraps.iter().filter(|(_, collate)| *collate == index) {
            out.push(TokenWithSpan { token: Token::RParen, span: token.span });
        }
        out.push(token);
    }
    out
}

/// Whether `token`, met going back from a `COLLATE`, is before the operand
/// it applies to: an operator (but the cast's `::` and a `.`), or a keyword
/// that joins operands.
fn ends_an_operand(token: &Token) -> bool {
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
                        | Keyword::AT
                        | Keyword::COLLATE
                        | Keyword::WHEN
                        | Keyword::THEN
                        | Keyword::ELSE
                        | Keyword::CASE
                        | Keyword::FROM
                        | Keyword::FOR
                        | Keyword::USING
                        | Keyword::BY
                )
        }
        Token::Number(..)
        | Token::SingleQuotedString(_)
        | Token::DoubleQuotedString(_)
        | Token::DollarQuotedString(_)
        | Token::EscapedStringLiteral(_)
        | Token::NationalStringLiteral(_)
        | Token::UnicodeStringLiteral(_)
        | Token::HexStringLiteral(_)
        | Token::Period
        | Token::DoubleColon
        | Token::Placeholder(_) => false,
        _ => true,
    }
}

/// The function name `TRIM(side FROM x)` is read as.
pub(crate) const TRIM_MARKER: &str = "__autogen_trim_";

/// An error at the token where `tokens` nest deeper than autogen reads
/// (see [`depth`]), if they do; `what` is `expression` or `type`.
fn not_too_deep(tokens: &[TokenWithSpan], what: &str) -> Result<(), Error> {
    match depth::too_deep(tokens) {
        None => Ok(()),
        Some(token) => Err((
            Location { line: token.span.start.line, column: token.span.start.column },
            depth::message(what),
        )),
    }
}

/// A sqlparser error as a located message (its own position when it says
/// one, else where the fragment started); `what` (`expression`, `type`)
/// names what was being read when its recursion limit stopped it.
fn parser_error(error: sqlparser::parser::ParserError, fallback: Location, what: &str) -> Error {
    if matches!(error, sqlparser::parser::ParserError::RecursionLimitExceeded) {
        return (fallback, depth::message(what));
    }
    let message = error.to_string();
    let message = message.strip_prefix("sql parser error: ").unwrap_or(&message).to_owned();
    if let Some(at) = message.rfind(" at Line: ") {
        if let Some((line, column)) = message[at + " at Line: ".len()..].split_once(", Column: ") {
            if let (Ok(line), Ok(column)) = (line.trim().parse(), column.trim().parse()) {
                return (Location { line, column }, message[..at].to_owned());
            }
        }
    }
    (fallback, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<TokenWithSpan> {
        crate::significant_tokens(text).unwrap()
    }

    #[test]
    fn concurrent_index_builds_name_their_index_and_table() {
        let build = |text: &str| {
            concurrent_index_build(text).map(|(index, table)| format!("{index} on {table}"))
        };
        assert_eq!(
            build("-- no-transaction\n-- a header\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"Idx\" ON ONLY app.\"T\" (a);")
                .as_deref(),
            Some("Idx on app.\"T\"")
        );
        assert_eq!(build("create index concurrently i on t (a)").as_deref(), Some("i on t"));
        // No name (PostgreSQL chooses one), not concurrent, not an index.
        for text in [
            "CREATE INDEX CONCURRENTLY ON t (a)",
            "CREATE INDEX i ON t (a)",
            "DROP INDEX CONCURRENTLY i",
            "SELECT 1",
        ] {
            assert_eq!(build(text), None, "{text}");
        }
    }

    #[test]
    fn one_token_expressions_are_what_sqlparser_builds() {
        for text in
            ["'draft'", "''", "'{}'", "'it''s'", "0", "12.50", "1e3", "code", "\"Mixed\"", "é"]
        {
            let fast = one_token_expression(&tokens(text)).expect(text);
            let dialect = PostgreSqlDialect {};
            let mut parser = Parser::new(&dialect).with_tokens_with_locations(tokens(text));
            let parsed = parser.parse_expr().unwrap();
            assert_eq!(format!("{fast:?}"), format!("{parsed:?}"), "{text}");
        }
        for text in ["true", "null", "current_timestamp", "now()", "-1", "E'x'", "x::text"] {
            let expression = one_token_expression(&tokens(text));
            assert!(expression.is_none(), "{text} is left to sqlparser: {expression:?}");
        }
    }
}
