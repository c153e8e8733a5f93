//! The operations a plan is made of, what each may break (hazards), and
//! the names each one creates, needs, removes and stops using — from which
//! `order.rs` draws the dependency edges. The data only: what each
//! operation does (its steps, description, SQL) is in its family's module
//! under `ops/`.

pub use crate::ops::composites::AttributeChange;
pub use crate::ops::domains::DomainChange;
pub use crate::ops::grants::GrantObject;
use autogen_schema::{
    Aggregate, CheckConstraint, Collation, Column, CommentTarget, CompositeType, Domain, EnumType,
    ExclusionConstraint, Extension, ForeignKey, Function, Identity, Index, MaterializedView,
    OwnedSequence, PartitionBound, Policy, PrimaryKey, QualifiedName, ReplicaIdentity, Schema,
    Sequence, SqlType, Statistics, Storage, Table, Trigger, TriggerEnabled, UniqueConstraint, View,
};

/// One operation on the schema.
// Plans hold tens to thousands of steps, built once: variant sizes do not
// matter enough to box the large ones.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// `CREATE SCHEMA name`
    CreateSchema(String),
    /// `DROP SCHEMA name`
    DropSchema(String),
    /// `CREATE EXTENSION IF NOT EXISTS name WITH SCHEMA schema`
    CreateExtension(Extension),
    /// `DROP EXTENSION name`
    DropExtension(Extension),
    /// `ALTER EXTENSION name UPDATE TO 'version'`: the declared version
    /// differs from the current one.
    UpdateExtension { name: String, from: Option<String>, to: String },
    /// `CREATE TYPE name AS ENUM (labels)`
    CreateEnum(EnumType),
    /// `DROP TYPE name`
    DropEnum(EnumType),
    /// `ALTER TYPE name ADD VALUE 'label' [BEFORE | AFTER 'neighbour']`
    AddEnumValue { name: QualifiedName, label: String, position: EnumPosition },
    /// Values removed or reordered: the type is swapped. `ALTER TYPE e
    /// RENAME TO e__autogen_old`, `CREATE TYPE e AS ENUM (new labels)`, every
    /// column that keeps the type moved over with `USING c::text::e`
    /// (defaults dropped and set again around it), the old type dropped.
    SwapEnum { from: EnumType, to: EnumType, columns: Vec<SwappedColumn> },
    /// `CREATE TYPE t AS (attributes)`
    CreateComposite(CompositeType),
    /// `DROP TYPE t` of a composite type, once nothing uses it.
    DropComposite(CompositeType),
    /// `ALTER TYPE t ADD/DROP/ALTER ATTRIBUTE …`: one change.
    AlterComposite { name: QualifiedName, change: AttributeChange },
    /// A composite type whose attributes change type while columns hold
    /// it (PostgreSQL refuses `ALTER ATTRIBUTE … TYPE` then): attributes
    /// dropped and added on the old type, `ALTER TYPE t RENAME TO
    /// t__autogen_old`, `CREATE TYPE t AS (…)`, each column moved over with
    /// `USING c::text::t` (defaults dropped and set again around it), the
    /// old type dropped.
    ReplaceComposite { from: CompositeType, to: CompositeType, columns: Vec<SwappedColumn> },
    /// `ALTER TYPE old RENAME TO new` of a composite type (hinted)
    RenameComposite { old: QualifiedName, new: String },
    /// `ALTER TYPE t RENAME ATTRIBUTE old TO new` (hinted)
    RenameAttribute { name: QualifiedName, old: String, new: String },
    /// `CREATE COLLATION c (provider = …, locale = …, …)`
    CreateCollation(Collation),
    /// `DROP COLLATION c`, once nothing uses it.
    DropCollation(Collation),
    /// `ALTER COLLATION old RENAME TO new`: hinted, or a collation whose
    /// options change set aside under a temporary name while its users
    /// move to the new one (`ALTER COLLATION` cannot change options).
    RenameCollation { old: QualifiedName, new: String },
    /// `CREATE DOMAIN d AS type …` with its valid checks, then `ALTER DOMAIN
    /// … ADD CONSTRAINT … NOT VALID` for the others.
    CreateDomain(Domain),
    /// `DROP DOMAIN d`, once no column uses it.
    DropDomain(Domain),
    /// `ALTER DOMAIN d …`: one change.
    AlterDomain { name: QualifiedName, change: DomainChange },
    /// Base type or collation changed: `ALTER DOMAIN d RENAME TO
    /// d__autogen_old`, `CREATE DOMAIN d …`, each column moved over with
    /// `USING c::base::d` (defaults dropped and set again around it), the
    /// old domain dropped.
    ReplaceDomain { from: Domain, to: Domain, columns: Vec<SwappedColumn> },
    /// `ALTER DOMAIN old RENAME TO new` (hinted)
    RenameDomain { old: QualifiedName, new: String },
    /// `CREATE TABLE` with its columns, primary key, unique and valid check
    /// constraints; foreign keys and indexes are steps of their own.
    CreateTable(Table),
    /// `DROP TABLE name` (its constraints and indexes go with it).
    DropTable(Table),
    /// `ALTER TABLE t ADD COLUMN definition`
    AddColumn { table: QualifiedName, column: Column },
    /// `ALTER TABLE t DROP COLUMN c`
    DropColumn { table: QualifiedName, column: Column },
    /// `ALTER TABLE t ALTER COLUMN c TYPE type [USING c::type]`, the default
    /// dropped before and set again after when there is one.
    AlterColumnType { table: QualifiedName, from: Column, to: Column, using: bool },
    /// A pgvector column's kind or dimensions changed, in one step: `DROP
    /// INDEX` for each index on it, `ALTER TABLE t ALTER COLUMN c TYPE
    /// vector(m)`, `CREATE INDEX` for each index on it as declared now.
    AlterVectorColumn {
        table: QualifiedName,
        from: Column,
        to: Column,
        using: bool,
        dropped: Vec<Index>,
        created: Vec<Index>,
    },
    /// `ALTER TABLE t ALTER COLUMN c ADD GENERATED … AS IDENTITY (…)`,
    /// `DROP IDENTITY`, or `SET GENERATED …` and `SET` sequence options;
    /// with the column's NOT NULL set before an identity is added and
    /// dropped after one is dropped when the target says so.
    AlterIdentity {
        table: QualifiedName,
        column: String,
        from: Option<Identity>,
        to: Option<Identity>,
        nullable: bool,
    },
    /// `ALTER SEQUENCE old RENAME TO new`: a column's identity or owned
    /// sequence named otherwise (PostgreSQL keeps a sequence's name when
    /// its table or column is renamed), or a hinted sequence no column owns.
    RenameSequence { old: QualifiedName, new: String },
    /// `CREATE SEQUENCE s AS type … OWNED BY t.c`, then `setval` past the
    /// column's largest value so the rows already there do not collide.
    CreateOwnedSequence { table: QualifiedName, column: String, sequence: OwnedSequence },
    /// `ALTER SEQUENCE s AS type …`: an owned sequence's type or options.
    AlterOwnedSequence { from: OwnedSequence, to: OwnedSequence },
    /// `DROP SEQUENCE s`: a column no longer owns a sequence (its default
    /// is dropped or changed first).
    DropOwnedSequence { table: QualifiedName, column: String, sequence: OwnedSequence },
    /// `CREATE SEQUENCE s AS type …`: a sequence no column owns (or one
    /// that a column comes to own in a step of its own, [`Operation::OwnSequence`]).
    CreateSequence(Sequence),
    /// `DROP SEQUENCE s`: a sequence no column owns, once no default calls it.
    DropSequence(Sequence),
    /// `ALTER SEQUENCE s AS type …`: a sequence no column owns, its type or
    /// options changed in place (it keeps its position).
    AlterSequence { from: Sequence, to: Sequence },
    /// `ALTER SEQUENCE s OWNED BY t.c` / `OWNED BY NONE`: a sequence kept
    /// whose owning column changed (a sequence a column comes to own, or
    /// stops owning, is never dropped and created again).
    OwnSequence {
        sequence: QualifiedName,
        from: Option<(QualifiedName, String)>,
        to: Option<(QualifiedName, String)>,
    },
    /// `ALTER TABLE t ALTER COLUMN c SET NOT NULL` / `DROP NOT NULL`
    SetNullable { table: QualifiedName, column: String, nullable: bool },
    /// `ALTER TABLE t ALTER COLUMN c SET DEFAULT expression` / `DROP DEFAULT`
    SetDefault { table: QualifiedName, column: String, default: Option<String> },
    /// `COMMENT ON COLUMN t.c IS …`
    CommentColumn { table: QualifiedName, column: String, comment: Option<String> },
    /// `COMMENT ON TABLE t IS …`
    CommentTable { table: QualifiedName, comment: Option<String> },
    /// `COMMENT ON { SCHEMA | EXTENSION | TYPE | SEQUENCE | INDEX } name IS …`,
    /// `COMMENT ON CONSTRAINT c ON [DOMAIN] name IS …`; `None` gives the
    /// object PostgreSQL's own comment back where it has one (`public`'s,
    /// an extension's from its control file), else `IS NULL`.
    Comment { target: CommentTarget, comment: Option<String> },
    /// `ALTER TABLE t ADD CONSTRAINT name PRIMARY KEY (…)`
    AddPrimaryKey { table: QualifiedName, key: PrimaryKey },
    /// `ALTER TABLE t ADD CONSTRAINT name UNIQUE (…)`
    AddUnique { table: QualifiedName, unique: UniqueConstraint },
    /// `ALTER TABLE t ADD CONSTRAINT name { PRIMARY KEY | UNIQUE } USING
    /// INDEX name [DEFERRABLE …]`: the unique index of that name, built
    /// before (online, concurrently), becomes the constraint's — no build,
    /// no scan.
    AddKeyUsingIndex {
        table: QualifiedName,
        name: String,
        kind: ConstraintKind,
        deferrable: autogen_schema::Deferrable,
    },
    /// `ALTER TABLE t ADD CONSTRAINT name CHECK (…)`
    AddCheck { table: QualifiedName, check: CheckConstraint },
    /// `ALTER TABLE t ADD CONSTRAINT name FOREIGN KEY (…) REFERENCES …`
    AddForeignKey { table: QualifiedName, key: ForeignKey },
    /// `ALTER TABLE t ADD CONSTRAINT name EXCLUDE USING method (element
    /// WITH operator, …) …`: builds its index and checks every row.
    AddExclusion { table: QualifiedName, exclusion: ExclusionConstraint },
    /// `ALTER TABLE t VALIDATE CONSTRAINT name`: a `NOT VALID` check or
    /// foreign key declared valid now.
    ValidateConstraint { table: QualifiedName, name: String },
    /// `ALTER TABLE t DROP CONSTRAINT name` (any kind)
    DropConstraint { table: QualifiedName, name: String, kind: ConstraintKind },
    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY] name ON t …`: concurrently
    /// only in a plan [`crate::Plan::concurrently`] turned so.
    CreateIndex { table: QualifiedName, index: Index, concurrently: bool },
    /// `DROP INDEX [CONCURRENTLY] schema.name`
    DropIndex { table: QualifiedName, index: Index, concurrently: bool },
    /// `ALTER TABLE old RENAME TO new` (hinted)
    RenameTable { old: QualifiedName, new: String },
    /// `ALTER TABLE t RENAME COLUMN old TO new` (hinted)
    RenameColumn { table: QualifiedName, old: String, new: String },
    /// `ALTER TYPE old RENAME TO new` (hinted)
    RenameEnum { old: QualifiedName, new: String },
    /// `ALTER TYPE t RENAME VALUE 'old' TO 'new'` (hinted)
    RenameEnumValue { name: QualifiedName, old: String, new: String },
    /// `ALTER TABLE t RENAME CONSTRAINT old TO new`: the same definition
    /// under another name.
    RenameConstraint { table: QualifiedName, old: String, new: String, kind: ConstraintKind },
    /// `ALTER INDEX schema.old RENAME TO new`
    RenameIndex { table: QualifiedName, old: String, new: String },
    /// `ALTER TABLE t SET UNLOGGED` / `SET LOGGED`: PostgreSQL rewrites
    /// the table (into a new file, written to the WAL or not) under an
    /// `ACCESS EXCLUSIVE` lock, which blocks reads and writes until done.
    SetUnlogged { table: QualifiedName, unlogged: bool },
    /// `ALTER TABLE t SET (name=value, toast.name=value), RESET (name,
    /// toast.name)`: storage parameters of the table and its TOAST table.
    /// No rewrite and no scan: the parameters apply from the next write or
    /// vacuum (most under a `SHARE UPDATE EXCLUSIVE` lock, which blocks
    /// neither reads nor writes).
    SetTableParameters {
        table: QualifiedName,
        set: Vec<(String, String)>,
        reset: Vec<String>,
        toast_set: Vec<(String, String)>,
        toast_reset: Vec<String>,
    },
    /// `ALTER TABLE t ALTER COLUMN c SET STORAGE s` (`DEFAULT` for the
    /// type's): the catalog only, under a brief `ACCESS EXCLUSIVE` lock;
    /// values already stored keep their form until they are written again.
    SetColumnStorage {
        table: QualifiedName,
        column: String,
        storage: Option<Storage>,
        /// The column's type, whose storage `None` sets.
        data_type: SqlType,
    },
    /// `ALTER TABLE t ALTER COLUMN c SET COMPRESSION m` (`DEFAULT`): the
    /// catalog only; values already compressed stay as they are, new ones
    /// use the method.
    SetColumnCompression { table: QualifiedName, column: String, compression: Option<String> },
    /// `ALTER TABLE t ALTER COLUMN c SET STATISTICS n` (-1 for the
    /// default): the catalog only, used by the next `ANALYZE`.
    SetColumnStatistics { table: QualifiedName, column: String, target: Option<i32> },
    /// `ALTER TABLE t REPLICA IDENTITY { DEFAULT | NOTHING | FULL | USING
    /// INDEX i }`: the catalog only (no scan), under a brief lock.
    SetReplicaIdentity { table: QualifiedName, identity: ReplicaIdentity },
    /// `ALTER TABLE t CLUSTER ON i` / `SET WITHOUT CLUSTER`: marks the
    /// index a later `CLUSTER t` orders by; the rows are not moved.
    SetClusterOn { table: QualifiedName, index: Option<String> },
    /// `CREATE STATISTICS name [(kinds)] ON … FROM t` (and `ALTER
    /// STATISTICS name SET STATISTICS n` for a target): the definition
    /// only; the next `ANALYZE` computes them.
    CreateStatistics { table: QualifiedName, statistics: Statistics },
    /// `DROP STATISTICS name`: the planner loses them until created again
    /// and analyzed; no data is lost.
    DropStatistics { table: QualifiedName, statistics: Statistics },
    /// `ALTER STATISTICS name SET STATISTICS n` (-1 for the default).
    SetStatisticsTarget { table: QualifiedName, name: QualifiedName, target: Option<i32> },
    /// `ALTER STATISTICS old RENAME TO new`: statistics dropped and ones
    /// created on the same table that differ only in name.
    RenameStatistics { table: QualifiedName, old: QualifiedName, new: String },
    /// `CREATE VIEW v [(columns)] [WITH (options)] AS query [WITH … CHECK
    /// OPTION]` (its comments are steps of their own).
    CreateView(View),
    /// `DROP VIEW v`
    DropView(View),
    /// `CREATE OR REPLACE VIEW v …`: the old columns kept in order, new
    /// ones after them; the options become the declared ones.
    ReplaceView { from: View, to: View },
    /// `ALTER [MATERIALIZED] VIEW v SET (…)` / `RESET (…)`: a view's
    /// options, a materialized view's storage parameters.
    SetViewOptions {
        name: QualifiedName,
        materialized: bool,
        set: Vec<(String, String)>,
        reset: Vec<String>,
    },
    /// `CREATE MATERIALIZED VIEW m … AS query [WITH NO DATA]` (its indexes
    /// and comments are steps of their own); `again`: it is dropped and
    /// created again, its data rebuilt.
    CreateMaterializedView { view: MaterializedView, again: bool },
    /// `DROP MATERIALIZED VIEW m`
    DropMaterializedView(MaterializedView),
    /// `REFRESH MATERIALIZED VIEW m [WITH NO DATA]`
    RefreshMaterializedView { name: QualifiedName, with_data: bool },
    /// `ALTER [MATERIALIZED] VIEW old RENAME TO new` (hinted)
    RenameView { old: QualifiedName, new: String, materialized: bool },
    /// `COMMENT ON [MATERIALIZED] VIEW v IS …`
    CommentView { name: QualifiedName, materialized: bool, comment: Option<String> },
    /// `CREATE [CONSTRAINT] TRIGGER … ON t …`, then `ALTER TABLE t DISABLE
    /// TRIGGER` (or `ENABLE REPLICA`/`ALWAYS`) and `COMMENT ON TRIGGER`
    /// where the trigger says so.
    CreateTrigger { table: QualifiedName, trigger: Trigger },
    /// `CREATE OR REPLACE TRIGGER … ON t …`: a trigger's definition changed
    /// in place (neither is a constraint trigger, which PostgreSQL does
    /// not replace); it fires again as a new one does, so its state is set
    /// again after, and its comment stays.
    ReplaceTrigger { table: QualifiedName, from: Trigger, to: Trigger },
    /// `DROP TRIGGER name ON t`
    DropTrigger { table: QualifiedName, trigger: Trigger },
    /// `ALTER TRIGGER old ON t RENAME TO new`: a trigger dropped and one
    /// created on the same table that differ only in name.
    RenameTrigger { table: QualifiedName, old: String, new: String },
    /// `ALTER TABLE t { ENABLE | DISABLE | ENABLE REPLICA | ENABLE ALWAYS }
    /// TRIGGER name`
    SetTriggerEnabled { table: QualifiedName, name: String, enabled: TriggerEnabled },
    /// `COMMENT ON TRIGGER name ON t IS …`
    CommentTrigger { table: QualifiedName, name: String, comment: Option<String> },
    /// `ALTER TABLE t ENABLE ROW LEVEL SECURITY` / `DISABLE …`
    SetRowSecurity { table: QualifiedName, enabled: bool },
    /// `ALTER TABLE t FORCE ROW LEVEL SECURITY` / `NO FORCE …`
    ForceRowSecurity { table: QualifiedName, forced: bool },
    /// `CREATE POLICY name ON t …`, then `COMMENT ON POLICY` when it has
    /// one.
    CreatePolicy { table: QualifiedName, policy: Policy },
    /// `ALTER POLICY name ON t [TO …] [USING (…)] [WITH CHECK (…)]`: what
    /// changed of a policy whose command and kind stay (and which keeps
    /// the clauses it has).
    AlterPolicy { table: QualifiedName, from: Policy, to: Policy },
    /// `DROP POLICY name ON t`
    DropPolicy { table: QualifiedName, policy: Policy },
    /// `ALTER POLICY old ON t RENAME TO new`: a policy dropped and one
    /// created on the same table that differ only in name.
    RenamePolicy { table: QualifiedName, old: String, new: String },
    /// `COMMENT ON POLICY name ON t IS …`
    CommentPolicy { table: QualifiedName, name: String, comment: Option<String> },
    /// `CREATE [OR REPLACE] FUNCTION …` (or `PROCEDURE`): `replace` when
    /// PostgreSQL changes it in place (`Function::replace_refusal`).
    CreateFunction { function: Function, replace: bool },
    /// `DROP FUNCTION schema.name(types)` (or `PROCEDURE`), once nothing
    /// calls it.
    DropFunction(Function),
    /// `ALTER FUNCTION schema.name(types) RENAME TO new`: hinted, or a
    /// routine set aside while its callers move to the one that replaces it.
    RenameFunction { function: Function, new: String },
    /// `COMMENT ON FUNCTION schema.name(types) IS …`
    CommentFunction { function: Function, comment: Option<String> },
    /// `CREATE [OR REPLACE] AGGREGATE schema.name(types) (…)`
    CreateAggregate { aggregate: Aggregate, replace: bool },
    /// `DROP AGGREGATE schema.name(types)`
    DropAggregate(Aggregate),
    /// `ALTER AGGREGATE schema.name(types) RENAME TO new`
    RenameAggregate { aggregate: Aggregate, new: String },
    /// `COMMENT ON AGGREGATE schema.name(types) IS …`
    CommentAggregate { aggregate: Aggregate, comment: Option<String> },
    /// `SET check_function_bodies = off`: first in a plan that creates or
    /// replaces a routine whose body PostgreSQL would read at `CREATE`
    /// (which may name tables created later in the plan).
    SkipBodyChecks,
    /// `RESET check_function_bodies`: last in such a plan.
    RestoreBodyChecks,
    /// `[REVOKE EXECUTE ON FUNCTION f(types) FROM PUBLIC;] GRANT … ON
    /// {TABLE v | FUNCTION f(types)} TO … [WITH GRANT OPTION]`: what was
    /// granted on an object the plan dropped and created again.
    RestoreGrants { on: GrantObject, grants: Vec<autogen_schema::Grant> },
    /// `ALTER TABLE parent ATTACH PARTITION partition FOR VALUES … | DEFAULT`
    AttachPartition { parent: QualifiedName, partition: QualifiedName, bound: PartitionBound },
    /// `ALTER TABLE parent DETACH PARTITION partition`
    DetachPartition { parent: QualifiedName, partition: QualifiedName },
    /// `ALTER TABLE table INHERIT parent`
    Inherit { table: QualifiedName, parent: QualifiedName },
    /// `ALTER TABLE table NO INHERIT parent`
    NoInherit { table: QualifiedName, parent: QualifiedName },
    /// `INSERT INTO to (columns) [OVERRIDING SYSTEM VALUE] SELECT columns
    /// FROM from`, then `setval` of each of `to`'s identity sequences to
    /// where the one of `from` (set aside, before, after) was: the rows of
    /// a table set aside because its partitioning changes.
    MoveRows {
        from: QualifiedName,
        to: QualifiedName,
        columns: Vec<String>,
        overriding: bool,
        sequences: Vec<(QualifiedName, QualifiedName)>,
    },
}

/// A column moved to the new type of a swapped enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwappedColumn {
    pub table: QualifiedName,
    pub column: String,
    /// An array of the enum rather than the enum.
    pub array: bool,
    pub default_before: Option<String>,
    pub default_after: Option<String>,
}

/// Where a new enum value goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumPosition {
    /// At the end: no `BEFORE`/`AFTER`.
    Last,
    Before(String),
    After(String),
}

/// The kind of a constraint being dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    Check,
    ForeignKey,
    Exclusion,
}

/// What an operation may do besides its purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hazard {
    /// Drops data: a table, a column, an enum value, or values changed by a
    /// narrowing cast (rounded, cut to a coarser precision).
    DataLoss,
    /// Rewrites the whole table.
    TableRewrite,
    /// Holds a lock that blocks writes (or reads) while it scans or builds.
    BlockingLock,
    /// Fails if the rows already there do not fit (unique, NOT NULL, a
    /// check, a foreign key, a cast).
    MayFailOnData,
    /// Replaces an enum type by a new one.
    EnumSwap,
    /// Runs an extension's update script.
    ExtensionUpdate,
}

impl Hazard {
    /// Every hazard, in the order plans list them.
    pub const ALL: [Hazard; 6] = [
        Hazard::DataLoss,
        Hazard::TableRewrite,
        Hazard::BlockingLock,
        Hazard::MayFailOnData,
        Hazard::EnumSwap,
        Hazard::ExtensionUpdate,
    ];

    /// The hazard called `name` ([`Hazard::name`]).
    pub fn named(name: &str) -> Option<Hazard> {
        Hazard::ALL.into_iter().find(|hazard| hazard.name() == name)
    }

    /// The name used in comments and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Hazard::DataLoss => "data-loss",
            Hazard::TableRewrite => "table-rewrite",
            Hazard::BlockingLock => "blocking-lock",
            Hazard::MayFailOnData => "may-fail-on-data",
            Hazard::EnumSwap => "enum-swap",
            Hazard::ExtensionUpdate => "extension-update",
        }
    }
}

/// A name in the database that steps create, need, remove or stop using.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Schema(String),
    Extension(String),
    Type(QualifiedName),
    /// A collation, by schema and name.
    Collation(QualifiedName),
    /// An enum's value, by type and label.
    EnumValue(QualifiedName, String),
    /// A relation: a table, a view or a materialized view (they share one
    /// namespace), by schema and name.
    Table(QualifiedName),
    Column(QualifiedName, String),
    /// A constraint by table and name.
    Constraint(QualifiedName, String),
    /// An index (or the index behind a primary key, unique or exclusion
    /// constraint) by schema and name.
    Index(QualifiedName),
    /// A sequence (one a column owns or not), by schema and name.
    Sequence(QualifiedName),
    /// Extended statistics, by schema and name.
    Statistics(QualifiedName),
    /// A column's `NOT NULL`, which the index of a replica identity needs
    /// on its columns: set before one uses it, dropped after none does.
    NotNull(QualifiedName, String),
    /// A table's persistence (`SET LOGGED`/`UNLOGGED`) as the plan leaves
    /// it: what a table linked to it by a foreign key waits for.
    Persistence(QualifiedName),
    /// A column's type, changed by `ALTER COLUMN … TYPE` (which removes
    /// the old and produces the new): a generated column computed from it,
    /// a view, a trigger or a policy reading it, are dropped before
    /// (PostgreSQL refuses the change under them) and added (created)
    /// again after.
    ColumnType(QualifiedName, String),
    /// A trigger, by table and name.
    Trigger(QualifiedName, String),
    /// A row-level security policy, by table and name.
    Policy(QualifiedName, String),
    /// A function, procedure or aggregate, by schema and name (every
    /// overload: printed expressions call routines by name).
    Function(QualifiedName),
    /// The columns of a parent (a partitioned or inherited table) as the
    /// plan changes them: produced by each of its column steps, needed by
    /// its children's steps (PostgreSQL carries a parent's column change
    /// to them; theirs come after).
    ParentColumns(QualifiedName),
    /// A table's place as a partition: removed by `DETACH`, produced by
    /// `ATTACH` (a partition moved to another bound: detached first).
    PartitionOf(QualifiedName),
    /// A partition detached for good: what it had from its parent is its
    /// own after the `DETACH`, which its changes wait for.
    Detached(QualifiedName),
    /// A table's rows, moved into it from the table set aside because its
    /// partitioning changes: what checks or reads them waits.
    Rows(QualifiedName),
}

/// An operation with its hazards and dependency names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub operation: Operation,
    pub hazards: Vec<Hazard>,
    /// Names that exist once the step ran.
    pub produces: Vec<Key>,
    /// Names that must exist before the step runs.
    pub consumes: Vec<Key>,
    /// Names that no longer exist once the step ran.
    pub removes: Vec<Key>,
    /// Names the step stops depending on (what a dropped object used, the
    /// old type of a column): they may be removed only after it.
    pub releases: Vec<Key>,
    /// Enum values added by this plan that the step's expressions use
    /// (`Key::EnumValue`, a default or check comparing with `'x'::mood`):
    /// PostgreSQL refuses a value in the transaction that added it, so the
    /// plan commits before this step ([`crate::Plan::parts`]).
    pub uses: Vec<Key>,
}

impl Step {
    pub(crate) fn new(operation: Operation) -> Self {
        Self {
            operation,
            hazards: Vec::new(),
            produces: Vec::new(),
            consumes: Vec::new(),
            removes: Vec::new(),
            releases: Vec::new(),
            uses: Vec::new(),
        }
    }

    /// The enum values the step adds (`ALTER TYPE … ADD VALUE`).
    pub fn adds_enum_values(&self) -> impl Iterator<Item = &Key> {
        self.produces.iter().filter(|key| matches!(key, Key::EnumValue(..)))
    }

    pub(crate) fn hazard(mut self, hazard: Hazard) -> Self {
        if !self.hazards.contains(&hazard) {
            self.hazards.push(hazard);
            self.hazards.sort();
        }
        self
    }

    pub(crate) fn produces(mut self, keys: impl IntoIterator<Item = Key>) -> Self {
        self.produces.extend(keys);
        self
    }

    pub(crate) fn consumes(mut self, keys: impl IntoIterator<Item = Key>) -> Self {
        self.consumes.extend(keys);
        self
    }

    pub(crate) fn removes(mut self, keys: impl IntoIterator<Item = Key>) -> Self {
        self.removes.extend(keys);
        self
    }

    pub(crate) fn releases(mut self, keys: impl IntoIterator<Item = Key>) -> Self {
        self.releases.extend(keys);
        self
    }
}

/// The names a column's type needs: an enum (or an array of one), pgvector.
pub(crate) fn type_keys(data_type: &SqlType) -> Vec<Key> {
    match data_type {
        SqlType::UserDefined { name } => vec![Key::Type(name.clone())],
        SqlType::Array { element, .. } => type_keys(element),
        SqlType::Vector { .. } => vec![Key::Extension("vector".into())],
        _ => Vec::new(),
    }
}

/// The key of the collation a column, domain or attribute says (`COLLATE
/// c`), if any.
pub(crate) fn collation_keys(collation: Option<&QualifiedName>) -> Vec<Key> {
    collation.map(|name| Key::Collation(name.clone())).into_iter().collect()
}

/// The collations of `schema` that printed expressions name (`COLLATE c`).
pub(crate) fn expression_collation_keys<'e>(
    schema: &Schema,
    expressions: impl IntoIterator<Item = &'e str>,
) -> Vec<Key> {
    let mut keys = Vec::new();
    if schema.collations.is_empty() {
        return keys;
    }
    for expression in expressions {
        for name in schema.collations.keys() {
            if autogen_schema::expression::mentions_collation(expression, name) {
                keys.push(Key::Collation(name.clone()));
            }
        }
    }
    keys
}

/// The index key of a constraint or index called `name` on `table`.
pub(crate) fn index_key(table: &QualifiedName, name: &str) -> Key {
    Key::Index(QualifiedName::new(table.schema.clone(), name))
}

/// The key of column `column` of `table`.
pub(crate) fn column_key(table: &QualifiedName, column: &str) -> Key {
    Key::Column(table.clone(), column.to_owned())
}

/// The keys of `columns` of `table`.
pub(crate) fn column_keys<'c>(
    table: &'c QualifiedName,
    columns: impl IntoIterator<Item = &'c String> + 'c,
) -> impl Iterator<Item = Key> + 'c {
    columns.into_iter().map(move |column| column_key(table, column))
}

/// What printed expressions of `table` need: the columns they name, the
/// enum types of `schema` they cast to, its collations they name and its
/// routines they call.
pub(crate) fn expression_keys<'e>(
    schema: &Schema,
    table: &Table,
    expressions: impl IntoIterator<Item = &'e str>,
) -> Vec<Key> {
    let expressions: Vec<&str> = expressions.into_iter().collect();
    let mut keys = enum_keys(schema, expressions.iter().copied());
    keys.extend(expression_collation_keys(schema, expressions.iter().copied()));
    keys.extend(crate::ops::functions::called_routine_keys(schema, expressions.iter().copied()));
    for expression in expressions {
        let mentioned = columns_mentioned(table, expression);
        keys.extend(mentioned.into_iter().map(|column| column_key(&table.name, column)));
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The columns of `table` a printed expression mentions.
pub(crate) fn columns_mentioned<'t>(table: &'t Table, expression: &str) -> Vec<&'t str> {
    (table.columns.iter())
        .filter(|column| autogen_schema::expression::mentions_column(expression, &column.name))
        .map(|column| column.name.as_str())
        .collect()
}

/// The enum types of `schema` that printed expressions cast to.
pub(crate) fn enum_keys<'e>(
    schema: &Schema,
    expressions: impl IntoIterator<Item = &'e str>,
) -> Vec<Key> {
    let mut keys = Vec::new();
    for expression in expressions {
        for name in schema.enums.keys() {
            if autogen_schema::expression::mentions_type(expression, name) {
                keys.push(Key::Type(name.clone()));
            }
        }
    }
    keys.sort();
    keys.dedup();
    keys
}
