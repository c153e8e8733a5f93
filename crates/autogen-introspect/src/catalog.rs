//! The catalog queries and the assembly of their rows into a [`Schema`].
//!
//! Every query reads one catalog for the whole database, or for all tables
//! in scope at once; rows are joined here, in memory, by oid and attribute
//! number. All of them run in read-only repeatable-read transactions that
//! share one snapshot.

mod partitions;
mod triggers;

use std::collections::{BTreeMap, HashMap, HashSet};

use autogen_schema::{
    Attribute, CheckConstraint, Collation, CollationProvider, Column, CommentTarget, CompositeType,
    Dependency, Domain, DomainCheck, EnumType, ExclusionConstraint, ExclusionElement, Extension,
    ForeignKey, Identity, IdentityGeneration, Index, IndexKey, IndexMethod, IndexTarget, MatchType,
    OperatorClass, OwnedSequence, PrimaryKey, QualifiedName, Reference, ReferentialAction,
    ReplicaIdentity, Schema, Sequence, SequenceOptions, SqlType, Statistics, StatisticsKind,
    Storage, Table, UniqueConstraint, UnmodelledObject, VectorKind,
};
use sqlx::postgres::types::Oid;
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use crate::index_definition::printed_keys;
use crate::routines::RoutineRows;
use crate::rows::{
    attribute_number, fetch, fetch_rows, get, ColumnRow, ColumnText, ConstraintRow, IndexRow,
    SequenceRow, StatisticsRow,
};
use crate::{Error, Introspection, Options, Unmodeled};

mod views;

const NAMESPACES: &str = include_str!("queries/namespaces.sql");
const EXTENSIONS: &str = include_str!("queries/extensions.sql");
const ENUMS: &str = include_str!("queries/enums.sql");
const DOMAINS: &str = include_str!("queries/domains.sql");
const COMPOSITES: &str = include_str!("queries/composites.sql");
const COLLATIONS: &str = include_str!("queries/collations.sql");
const USER_COLLATIONS: &str = include_str!("queries/user_collations.sql");
const OPCLASSES: &str = include_str!("queries/opclasses.sql");
const ACCESS_METHODS: &str = include_str!("queries/access_methods.sql");
const TABLES: &str = include_str!("queries/tables.sql");
const COLUMNS: &str = include_str!("queries/columns.sql");
const TYPES: &str = include_str!("queries/types.sql");
const DEFAULTS: &str = include_str!("queries/defaults.sql");
const COMMENTS: &str = include_str!("queries/comments.sql");
const OBJECT_COMMENTS: &str = include_str!("queries/object_comments.sql");
const SEQUENCES: &str = include_str!("queries/sequences.sql");
const CONSTRAINTS: &str = include_str!("queries/constraints.sql");
const RELATIONS: &str = include_str!("queries/relations.sql");
const INDEXES: &str = include_str!("queries/indexes.sql");
const STATISTICS: &str = include_str!("queries/statistics.sql");
const UNMODELED: &str = include_str!("queries/unmodeled.sql");
const DEPENDENTS: &str = include_str!("queries/dependents.sql");

/// Session settings for the reading transactions. `search_path = public` is
/// the canonical form expressions are printed in, and so are string
/// literals with `standard_conforming_strings` on (a database where it is
/// off would have `pg_get_expr` print `E'a\\b'` for `'a\b'`). Constants
/// of date and time types print in the session's `TimeZone` and
/// `DateStyle` (a partition bound `FROM ('2026-01-01 00:00:00+00')` reads
/// `'2026-01-01 01:00:00+01'` in Paris): UTC and ISO make the text the
/// same whatever the database's or the role's settings. The rest keeps
/// plans simple and in memory (two connections already share the
/// machine).
const SETTINGS: &[&str] = &[
    "SET LOCAL search_path = public",
    "SET LOCAL standard_conforming_strings = on",
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL DateStyle = 'ISO, MDY'",
    "SET LOCAL jit = off",
    "SET LOCAL work_mem = '64MB'",
    "SET LOCAL max_parallel_workers_per_gather = 0",
];

/// Reads the catalog through `connection`. With a `helper` connection to
/// the same database, the per-table queries are split between the two
/// (half the tables each, by oid), which on a large schema nearly halves the
/// time; both read one exported snapshot.
pub(crate) async fn read(
    connection: &mut PgConnection,
    helper: Option<&mut PgConnection>,
    options: &Options,
) -> Result<Introspection, Error> {
    check_version(connection).await?;
    let mut transaction = begin(connection).await?;
    let helper_transaction = match helper {
        Some(helper) => join_snapshot(&mut transaction, helper).await.ok(),
        None => None,
    };
    let result = read_in_transaction(&mut transaction, helper_transaction, options).await;
    let _ = transaction.rollback().await;
    result
}

type Transaction<'c> = sqlx::Transaction<'c, sqlx::Postgres>;

/// Runs `script` in a transaction, reads the catalog as it then stands, and
/// rolls everything back: what the database would hold after the script,
/// in PostgreSQL's own words, with nothing left behind. Locks the script
/// takes are held only until the rollback, and waited for at most
/// `lock_timeout` (five seconds unless the session says otherwise).
pub(crate) async fn read_after(
    connection: &mut PgConnection,
    script: &str,
    options: &Options,
) -> Result<Introspection, Error> {
    check_version(connection).await?;
    let mut transaction = sqlx::Connection::begin(connection)
        .await
        .map_err(|source| Error::Query { query: "BEGIN", source })?;
    let result = async {
        for setting in ["SET LOCAL lock_timeout = '5s'", "SET LOCAL check_function_bodies = off"] {
            sqlx::query(setting)
                .execute(&mut *transaction)
                .await
                .map_err(|source| Error::Query { query: setting, source })?;
        }
        sqlx::raw_sql(script)
            .execute(&mut *transaction)
            .await
            .map_err(|source| Error::Script { source })?;
        read_in_transaction(&mut transaction, None, options).await
    }
    .await;
    let _ = transaction.rollback().await;
    result
}

/// The oldest server whose catalog the queries know (`pg_index.indnullsnotdistinct`
/// and `pg_type.typsubscript` among others).
const OLDEST_SUPPORTED: i32 = 150_000;

async fn check_version(connection: &mut PgConnection) -> Result<(), Error> {
    let number: String = sqlx::query_scalar("SELECT current_setting('server_version_num')")
        .fetch_one(&mut *connection)
        .await
        .map_err(|source| Error::Query { query: "server_version_num", source })?;
    if number.parse::<i32>().unwrap_or(0) >= OLDEST_SUPPORTED {
        return Ok(());
    }
    let version: String = sqlx::query_scalar("SELECT current_setting('server_version')")
        .fetch_one(&mut *connection)
        .await
        .map_err(|source| Error::Query { query: "server_version", source })?;
    Err(Error::UnsupportedVersion { version })
}

/// A read-only repeatable-read transaction with the session settings.
async fn begin(connection: &mut PgConnection) -> Result<Transaction<'_>, Error> {
    let mut transaction = sqlx::Connection::begin(connection)
        .await
        .map_err(|source| Error::Query { query: "BEGIN", source })?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *transaction)
        .await
        .map_err(|source| Error::Query { query: "SET TRANSACTION", source })?;
    Ok(transaction)
}

async fn apply_settings(transaction: &mut Transaction<'_>) -> Result<(), Error> {
    for setting in SETTINGS {
        sqlx::query(setting)
            .execute(&mut **transaction)
            .await
            .map_err(|source| Error::Query { query: setting, source })?;
    }
    Ok(())
}

/// Exports the snapshot of `transaction` and begins a transaction on
/// `helper` that reads the same one.
async fn join_snapshot<'h>(
    transaction: &mut Transaction<'_>,
    helper: &'h mut PgConnection,
) -> Result<Transaction<'h>, Error> {
    let snapshot: String = sqlx::query_scalar("SELECT pg_catalog.pg_export_snapshot()")
        .fetch_one(&mut **transaction)
        .await
        .map_err(|source| Error::Query { query: "pg_export_snapshot", source })?;
    let mut helper_transaction = begin(helper).await?;
    sqlx::query(&format!("SET TRANSACTION SNAPSHOT {}", autogen_schema::quote_literal(&snapshot)))
        .execute(&mut *helper_transaction)
        .await
        .map_err(|source| Error::Query { query: "SET TRANSACTION SNAPSHOT", source })?;
    apply_settings(&mut helper_transaction).await?;
    Ok(helper_transaction)
}

/// The rows of the per-table queries.
#[derive(Default)]
struct TableRows {
    columns: Vec<ColumnRow>,
    defaults: Vec<ColumnText>,
    comments: Vec<ColumnText>,
    constraints: Vec<ConstraintRow>,
    indexes: Vec<IndexRow>,
    statistics: Vec<StatisticsRow>,
}

impl TableRows {
    /// The columns, their defaults and comments: the per-table rows but a
    /// [`KeyRows`]'s (which the helper, when there is one, reads meanwhile).
    async fn fetch_columns(
        connection: &mut PgConnection,
        namespaces: &[Oid],
    ) -> Result<Self, Error> {
        let query = |sql: &'static str| sqlx::query(sql).bind(namespaces.to_vec());
        Ok(Self {
            columns: fetch_rows(&mut *connection, "columns.sql", query(COLUMNS)).await?,
            defaults: fetch_rows(&mut *connection, "defaults.sql", query(DEFAULTS)).await?,
            comments: fetch_rows(&mut *connection, "comments.sql", query(COMMENTS)).await?,
            ..Self::default()
        })
    }

    /// Drops the rows of relations tables.sql left out (extension tables,
    /// `_sqlx_migrations`).
    fn retain_tables(&mut self, tables: &BTreeMap<u32, Table>) {
        self.columns.retain(|row| tables.contains_key(&row.table_oid));
        self.defaults.retain(|row| tables.contains_key(&row.table_oid));
        self.comments.retain(|row| tables.contains_key(&row.table_oid));
        self.constraints.retain(|row| tables.contains_key(&row.table_oid));
        self.indexes.retain(|row| tables.contains_key(&row.table_oid));
        self.statistics.retain(|row| tables.contains_key(&row.table_oid));
    }
}

/// What the helper reads, when there is one: the tables' keys, indexes
/// and statistics objects, the sequences and the objects the model lacks
/// — about half of the work, each catalog read by one connection.
struct KeyRows {
    constraints: Vec<ConstraintRow>,
    indexes: Vec<IndexRow>,
    statistics: Vec<StatisticsRow>,
    sequences: Vec<SequenceRow>,
    unmodeled: Vec<PgRow>,
}

impl KeyRows {
    async fn fetch(connection: &mut PgConnection, namespaces: &[Oid]) -> Result<Self, Error> {
        let query = |sql: &'static str| sqlx::query(sql).bind(namespaces.to_vec());
        Ok(Self {
            constraints: fetch_rows(&mut *connection, "constraints.sql", query(CONSTRAINTS))
                .await?,
            indexes: fetch_rows(&mut *connection, "indexes.sql", query(INDEXES)).await?,
            statistics: fetch_rows(&mut *connection, "statistics.sql", query(STATISTICS)).await?,
            sequences: fetch_rows(&mut *connection, "sequences.sql", query(SEQUENCES)).await?,
            unmodeled: fetch(&mut *connection, "unmodeled.sql", query(UNMODELED)).await?,
        })
    }
}

async fn read_in_transaction(
    transaction: &mut Transaction<'_>,
    helper: Option<Transaction<'_>>,
    options: &Options,
) -> Result<Introspection, Error> {
    apply_settings(transaction).await?;
    let connection: &mut PgConnection = transaction;
    let mut schema = Schema::default();
    let schema_filter = (!options.schemas.is_empty()).then(|| {
        options.schemas.iter().map(|glob| autogen_schema::glob_to_like(glob)).collect::<Vec<_>>()
    });
    let rows =
        fetch(connection, "namespaces.sql", sqlx::query(NAMESPACES).bind(schema_filter)).await?;
    let mut namespace_oids: Vec<Oid> = Vec::with_capacity(rows.len());
    for row in &rows {
        namespace_oids.push(get(row, "oid")?);
        schema.schemas.insert(get(row, "name")?);
    }

    // The helper, when there is one, reads the keys, indexes, sequences
    // and what the model lacks while this connection reads the rest: each
    // catalog is read once, by one of them.
    let helper_part = async {
        let Some(mut helper) = helper else { return Ok(None) };
        let rows = KeyRows::fetch(&mut helper, &namespace_oids).await;
        let _ = helper.rollback().await;
        rows.map(Some)
    };
    let main_part = async {
        for row in
            fetch(connection, "extensions.sql", sqlx::query(EXTENSIONS).bind(&namespace_oids))
                .await?
        {
            schema.add_extension(Extension {
                name: get(&row, "name")?,
                schema: get(&row, "schema")?,
                version: get(&row, "version")?,
            });
        }
        for row in fetch(connection, "enums.sql", sqlx::query(ENUMS).bind(&namespace_oids)).await? {
            schema.add_enum(EnumType {
                name: qualified(&row, "schema", "name")?,
                labels: get(&row, "labels")?,
            });
        }

        for row in fetch(
            connection,
            "user_collations.sql",
            sqlx::query(USER_COLLATIONS).bind(&namespace_oids),
        )
        .await?
        {
            schema.add_collation(collation(&row)?);
        }

        let domain_rows =
            fetch(connection, "domains.sql", sqlx::query(DOMAINS).bind(&namespace_oids)).await?;
        let composite_rows =
            fetch(connection, "composites.sql", sqlx::query(COMPOSITES).bind(&namespace_oids))
                .await?;
        let routine_rows = RoutineRows::fetch(connection, &namespace_oids).await?;

        let mut catalog = Catalog::default();
        for row in fetch(connection, "collations.sql", sqlx::query(COLLATIONS)).await? {
            catalog
                .collations
                .insert(get::<Oid>(&row, "oid")?.0, qualified(&row, "schema", "name")?);
        }
        for row in fetch(connection, "opclasses.sql", sqlx::query(OPCLASSES)).await? {
            let name = qualified(&row, "schema", "name")?;
            catalog.opclasses.insert(get::<Oid>(&row, "oid")?.0, (name, get(&row, "is_default")?));
        }
        for row in fetch(connection, "access_methods.sql", sqlx::query(ACCESS_METHODS)).await? {
            catalog.access_methods.insert(get::<Oid>(&row, "oid")?.0, get(&row, "name")?);
        }
        let mut partition_keys = Vec::new();
        for row in
            fetch(connection, "tables.sql", sqlx::query(TABLES).bind(&namespace_oids)).await?
        {
            let mut table = Table::new(qualified(&row, "schema", "name")?);
            table.unlogged = get(&row, "unlogged")?;
            table.with = key_values(get(&row, "options")?);
            table.toast_with = key_values(get(&row, "toast_options")?);
            // `i` waits for its index (indexes.sql); with none, it is NOTHING.
            table.replica_identity = match get::<String>(&row, "replica_identity")?.as_str() {
                "n" | "i" => ReplicaIdentity::Nothing,
                "f" => ReplicaIdentity::Full,
                _ => ReplicaIdentity::Default,
            };
            table.row_security = get(&row, "row_security")?;
            table.force_row_security = get(&row, "force_row_security")?;
            table.grants = crate::privileges::grants(&row)?;
            partition_keys.extend(partitions::read(&row, &mut table)?);
            catalog.tables.insert(get::<Oid>(&row, "oid")?.0, table);
        }

        let views = views::Views::fetch(connection, &namespace_oids).await?;
        views.register_columns(&mut catalog);

        let columns = TableRows::fetch_columns(&mut *connection, &namespace_oids).await?;
        Ok::<_, Error>((
            catalog,
            domain_rows,
            composite_rows,
            routine_rows,
            partition_keys,
            views,
            columns,
        ))
    };
    let (helper_rows, main_rows) = tokio::try_join!(helper_part, main_part)?;
    let (
        mut catalog,
        domain_rows,
        composite_rows,
        routine_rows,
        partition_keys,
        mut views,
        columns,
    ) = main_rows;
    let keys = match helper_rows {
        Some(keys) => keys,
        None => KeyRows::fetch(connection, &namespace_oids).await?,
    };
    let mut rows = TableRows {
        constraints: keys.constraints,
        indexes: keys.indexes,
        statistics: keys.statistics,
        ..columns
    };
    let (mut sequences, unmodeled_rows) = (keys.sequences, keys.unmodeled);
    let view_index_rows = views.take_index_rows(&mut rows.indexes);
    rows.retain_tables(&catalog.tables);
    views.add_indexes(&catalog, &view_index_rows)?;
    // Sequences no column owns are the schema's; owned ones go to their
    // column below, when its table is in scope.
    sequences.retain(|row| row.table_oid == 0 || catalog.tables.contains_key(&row.table_oid));
    let (standalone, sequences): (Vec<SequenceRow>, Vec<SequenceRow>) =
        sequences.into_iter().partition(|row| row.table_oid == 0);
    for row in standalone {
        let (name, data_type, options) = row.sequence();
        schema.add_sequence(Sequence { name, data_type, options });
    }

    // Columns, with the types they use looked up in one more query.
    let mut columns = std::mem::take(&mut rows.columns);
    columns.sort_by_key(|column| (column.table_oid, column.position));
    let mut type_keys: Vec<(u32, i32)> =
        columns.iter().map(|column| (column.type_oid, column.type_modifier)).collect();
    for row in &domain_rows {
        type_keys.push((get::<Oid>(row, "base_oid")?.0, get(row, "base_modifier")?));
    }
    for row in &composite_rows {
        if let Some(oid) = get::<Option<Oid>>(row, "type_oid")? {
            type_keys.push((oid.0, get::<Option<i32>>(row, "type_modifier")?.unwrap_or(-1)));
        }
    }
    type_keys.extend(routine_rows.type_oids()?.into_iter().map(|oid| (oid, -1)));
    type_keys.extend(views.type_keys());
    type_keys.sort_unstable();
    type_keys.dedup();
    let type_oids: Vec<Oid> = type_keys.iter().map(|(oid, _)| Oid(*oid)).collect();
    let type_modifiers: Vec<i32> = type_keys.iter().map(|(_, modifier)| *modifier).collect();
    for row in
        fetch(connection, "types.sql", sqlx::query(TYPES).bind(&type_oids).bind(&type_modifiers))
            .await?
    {
        let key = (get::<Oid>(&row, "type_oid")?.0, get::<i32>(&row, "type_modifier")?);
        catalog.types.insert(key, TypeRow::read(&row)?);
    }
    views.resolve_types(&catalog);
    for row in &domain_rows {
        schema.add_domain(catalog.domain(row)?);
    }
    routine_rows.add_to(&mut schema, &|oid| {
        let found = catalog.types.get(&(oid, -1)).ok_or_else(|| Error::Catalog {
            message: format!("a routine has a type that was not read ({oid})"),
        })?;
        Ok(found.sql_type(0, -1))
    })?;
    for row in &composite_rows {
        let name = qualified(row, "schema", "name")?;
        let composite = schema
            .composites
            .entry(name.clone())
            .or_insert_with(|| CompositeType { name, attributes: Vec::new() });
        if let Some(attribute) = catalog.attribute(row)? {
            composite.attributes.push(attribute);
        }
    }
    // Room for exactly each table's columns: pushed one by one, a table of
    // 12 would hold room for 16 (a column is 248 bytes).
    for group in columns.chunk_by(|a, b| a.table_oid == b.table_oid) {
        if let Ok(table) = catalog.table_mut(group[0].table_oid) {
            table.columns.reserve_exact(group.len());
        }
    }
    for column in columns {
        catalog.add_column(column)?;
    }
    for key in partition_keys {
        catalog.add_partition_key(key)?;
    }
    for default in rows.defaults {
        let column = catalog.column_mut(default.table_oid, default.position)?;
        if column.generated.is_some() {
            column.generated = default.text;
        } else {
            column.default = default.text;
        }
    }
    for comment in rows.comments {
        if comment.position == 0 {
            catalog.table_mut(comment.table_oid)?.comment = comment.text;
        } else {
            catalog.column_mut(comment.table_oid, comment.position)?.comment = comment.text;
        }
    }
    for sequence in sequences {
        catalog.add_sequence(sequence)?;
    }

    // Indexes first: primary keys, unique and exclusion constraints take
    // details of their backing index, which is no plain index.
    let mut backing_indexes: HashMap<u32, Option<Index>> = rows
        .constraints
        .iter()
        .filter(|constraint| has_own_index(&constraint.kind))
        .map(|constraint| (constraint.index_oid, None))
        .collect();
    for row in &rows.indexes {
        let index = catalog.index(row)?;
        // One attached to a parent's index is the parent's: what the
        // partition has from it (with its name), not its own.
        if !row.attached {
            let table = catalog.table_mut(row.table_oid)?;
            if row.clustered {
                table.cluster_on = Some(index.name.clone());
            }
            if row.replica_identity && table.replica_identity == ReplicaIdentity::Nothing {
                table.replica_identity = ReplicaIdentity::Index(index.name.clone());
            }
        }
        match backing_indexes.get_mut(&row.index_oid) {
            Some(slot) => *slot = Some(index),
            None if row.backs_constraint => {
                return Err(Error::Catalog {
                    message: format!("index {} backs a constraint that was not read", row.name),
                })
            }
            None if row.attached => catalog.clones_mut(row.table_oid)?.indexes.push(index),
            None => catalog.table_mut(row.table_oid)?.indexes.push(index),
        }
    }
    let outside: Vec<Oid> = rows
        .constraints
        .iter()
        .map(|constraint| constraint.referenced_table_oid)
        .filter(|oid| *oid != 0 && !catalog.tables.contains_key(oid))
        .map(Oid)
        .collect();
    if !outside.is_empty() {
        for row in fetch(connection, "relations.sql", sqlx::query(RELATIONS).bind(&outside)).await?
        {
            let oid = get::<Oid>(&row, "table_oid")?.0;
            let relation = catalog
                .outside
                .entry(oid)
                .or_insert_with(|| (QualifiedName::new("", ""), HashMap::new()));
            relation.0 = qualified(&row, "schema", "name")?;
            relation.1.insert(attribute_number(&row)?, get(&row, "column_name")?);
        }
    }
    for constraint in rows.constraints {
        // A foreign key's `conindid` is the referenced table's index, not its own.
        let backing = match has_own_index(&constraint.kind) {
            true => backing_indexes.get_mut(&constraint.index_oid).and_then(Option::take),
            false => None,
        };
        catalog.add_constraint(constraint, backing)?;
    }
    for row in rows.statistics {
        catalog.add_statistics(row)?;
    }
    triggers::read(connection, &namespace_oids, &mut catalog, &mut views).await?;

    for (oid, mut table) in catalog.tables {
        table.sort();
        if !table.parents().is_empty() {
            let mut from_parents = (catalog.from_parents.remove(&oid))
                .unwrap_or_else(|| Table::new(table.name.clone()));
            from_parents.sort();
            table.from_parents = autogen_schema::partitions::FromParents::known(from_parents);
        }
        schema.add_table(table);
    }
    views.add_to(&mut schema);
    for row in
        fetch(connection, "object_comments.sql", sqlx::query(OBJECT_COMMENTS).bind(&namespace_oids))
            .await?
    {
        let (name, parent) =
            (get::<String>(&row, "name")?, qualified(&row, "parent_schema", "parent_name")?);
        let target = match get::<String>(&row, "kind")?.as_str() {
            "schema" => CommentTarget::Schema(get(&row, "schema")?),
            "extension" => CommentTarget::Extension(name),
            "type" => CommentTarget::Type(qualified(&row, "schema", "name")?),
            "sequence" => CommentTarget::Sequence(qualified(&row, "schema", "name")?),
            "collation" => CommentTarget::Collation(qualified(&row, "schema", "name")?),
            "index" => CommentTarget::Index(qualified(&row, "schema", "name")?),
            "constraint" => CommentTarget::Constraint { table: parent, name },
            _ => CommentTarget::DomainConstraint { domain: parent, name },
        };
        schema.set_comment(target, get(&row, "text")?);
    }
    // Those on objects the model does not hold (a sequence a column owns,
    // an index of a partition) are not the model's.
    schema.forget_orphan_comments();

    let owned_sequences: HashSet<QualifiedName> = schema
        .tables
        .values()
        .flat_map(|table| &table.columns)
        .filter_map(|column| {
            let owned = column.owned_sequence.as_ref().map(|sequence| &sequence.name);
            owned.or(column.identity.as_ref().map(|identity| &identity.sequence_name))
        })
        .cloned()
        .collect();
    let mut unmodeled = catalog.unmodeled;
    for row in unmodeled_rows {
        let object = Unmodeled {
            kind: get(&row, "kind")?,
            schema: get(&row, "schema")?,
            name: get(&row, "name")?,
        };
        let name = QualifiedName::new(object.schema.clone(), object.name.clone());
        let owned = object.kind == "sequence"
            && (owned_sequences.contains(&name) || schema.sequences.contains_key(&name));
        if !owned {
            unmodeled.push(object);
        }
    }
    unmodeled.sort();
    unmodeled.dedup();

    // What they depend on: read only when there is something unmodelled.
    let mut dependencies: HashMap<(String, String, String), Vec<Dependency>> = HashMap::new();
    if !unmodeled.is_empty() {
        for row in
            fetch(connection, "dependents.sql", sqlx::query(DEPENDENTS).bind(&namespace_oids))
                .await?
        {
            let key = (get(&row, "kind")?, get(&row, "schema")?, get(&row, "name")?);
            let reference = QualifiedName::new(
                get::<String>(&row, "reference_schema")?,
                get::<String>(&row, "reference_name")?,
            );
            let on = match get::<String>(&row, "reference_kind")?.as_str() {
                "column" => Reference::Column(reference, get(&row, "reference_column")?),
                "sequence" => Reference::Sequence(reference),
                "index" => Reference::Index(reference),
                "view" => Reference::View(reference),
                "materialized view" => Reference::MaterializedView(reference),
                "type" => Reference::Type(reference),
                "collation" => Reference::Collation(reference),
                "function" => Reference::Function(reference),
                _ => Reference::Table(reference),
            };
            let blocks_drop = get::<String>(&row, "dependency")? == "n";
            let found = dependencies.entry(key).or_default();
            match found.iter_mut().find(|dependency| dependency.on == on) {
                Some(dependency) => dependency.blocks_drop |= blocks_drop,
                None => found.push(Dependency { on, blocks_drop }),
            }
        }
    }
    schema.unmodelled.objects = unmodeled
        .iter()
        .map(|object| {
            let key = (object.kind.clone(), object.schema.clone(), object.name.clone());
            UnmodelledObject {
                kind: object.kind.clone(),
                schema: object.schema.clone(),
                name: object.name.clone(),
                relation: is_relation_kind(&object.kind),
                depends_on: dependencies.remove(&key).unwrap_or_default(),
            }
        })
        .collect();

    Ok(Introspection { schema, unmodeled })
}

/// Whether an unmodelled object of `kind` (as unmodeled.sql names kinds)
/// is a relation: a name tables, sequences and indexes could take.
fn is_relation_kind(kind: &str) -> bool {
    matches!(kind, "view" | "materialized view" | "foreign table" | "composite type" | "sequence")
}

/// A row of types.sql: what a (type, modifier) pair is.
struct TypeRow {
    is_array: bool,
    collation: u32,
    /// `typstorage`
    storage: String,
    element_schema: String,
    element_name: String,
    element_kind: String,
    element_spelling: Option<String>,
}

impl TypeRow {
    fn read(row: &PgRow) -> Result<Self, Error> {
        Ok(Self {
            is_array: get(row, "is_array")?,
            collation: get::<Oid>(row, "collation")?.0,
            storage: get(row, "storage")?,
            element_schema: get(row, "element_schema")?,
            element_name: get(row, "element_name")?,
            element_kind: get(row, "element_kind")?,
            element_spelling: get(row, "element_spelling")?,
        })
    }

    /// The column type for a column of this type with `dimensions` declared
    /// (`attndims`) and `modifier`.
    fn sql_type(&self, dimensions: i32, modifier: i32) -> SqlType {
        let element = match (&self.element_spelling, VectorKind::from_type_name(&self.element_name))
        {
            (Some(spelling), _) => SqlType::from_format_type(spelling),
            (None, Some(kind)) if self.element_kind == "b" => SqlType::Vector {
                kind,
                dimensions: u32::try_from(modifier).ok().filter(|dimensions| *dimensions > 0),
            },
            _ => SqlType::UserDefined {
                name: QualifiedName::new(self.element_schema.clone(), self.element_name.clone()),
            },
        };
        if self.is_array {
            SqlType::Array {
                element: Box::new(element),
                dimensions: u32::try_from(dimensions).unwrap_or(1).max(1),
            }
        } else {
            element
        }
    }
}

/// What the rows are joined with: tables by oid, their columns by attribute
/// number, and the names of types, collations, operator classes and access
/// methods by oid.
#[derive(Default)]
struct Catalog {
    tables: BTreeMap<u32, Table>,
    /// What partitions and children have from their parents, by table oid
    /// ([`autogen_schema::partitions::FromParents`]).
    from_parents: HashMap<u32, Table>,
    /// (table oid, attnum) → (index in `Table::columns`, `attcollation`)
    columns: HashMap<(u32, i16), (usize, u32)>,
    /// (type oid, type modifier) → the type
    types: HashMap<(u32, i32), TypeRow>,
    collations: HashMap<u32, QualifiedName>,
    /// oid → (name, `opcdefault`)
    opclasses: HashMap<u32, (QualifiedName, bool)>,
    access_methods: HashMap<u32, String>,
    /// Relations out of scope that foreign keys reference: oid → (name,
    /// attnum → column name).
    outside: HashMap<u32, (QualifiedName, HashMap<i16, String>)>,
    /// What the per-table rows showed that the model cannot hold.
    unmodeled: Vec<Unmodeled>,
}

impl Catalog {
    /// What the table `oid` has from its parents (cloned constraints,
    /// attached indexes), as a table of its own name holding only those.
    fn clones_mut(&mut self, oid: u32) -> Result<&mut Table, Error> {
        let name = self.table_mut(oid)?.name.clone();
        Ok(self.from_parents.entry(oid).or_insert_with(|| Table::new(name)))
    }

    /// The table a constraint row goes to: the table's own, or what it
    /// has from its parents.
    fn constraint_table(&mut self, oid: u32, inherited: bool) -> Result<&mut Table, Error> {
        match inherited {
            true => self.clones_mut(oid),
            false => self.table_mut(oid),
        }
    }

    fn table_mut(&mut self, oid: u32) -> Result<&mut Table, Error> {
        self.tables
            .get_mut(&oid)
            .ok_or_else(|| Error::Catalog { message: format!("a row for unknown table oid {oid}") })
    }

    fn column_mut(&mut self, table_oid: u32, attnum: i16) -> Result<&mut Column, Error> {
        let (position, _) = *self.columns.get(&(table_oid, attnum)).ok_or_else(|| {
            Error::Catalog { message: format!("no column {attnum} in table oid {table_oid}") }
        })?;
        Ok(&mut self.table_mut(table_oid)?.columns[position])
    }

    fn column_name(&self, table_oid: u32, attnum: i16) -> Result<String, Error> {
        if let Some((position, _)) = self.columns.get(&(table_oid, attnum)) {
            // A materialized view's columns are `outside`'s (below).
            if let Some(table) = self.tables.get(&table_oid) {
                return Ok(table.columns[*position].name.clone());
            }
        }
        self.outside
            .get(&table_oid)
            .and_then(|(_, columns)| columns.get(&attnum).cloned())
            .ok_or_else(|| Error::Catalog {
                message: format!("no column {attnum} in table oid {table_oid}"),
            })
    }

    fn column_names(&self, table_oid: u32, attnums: &[i16]) -> Result<Vec<String>, Error> {
        attnums.iter().map(|attnum| self.column_name(table_oid, *attnum)).collect()
    }

    fn table_name(&self, oid: u32) -> Result<QualifiedName, Error> {
        match self.tables.get(&oid) {
            Some(table) => Ok(table.name.clone()),
            None => {
                self.outside.get(&oid).map(|(name, _)| name.clone()).ok_or_else(|| Error::Catalog {
                    message: format!("no relation with oid {oid}"),
                })
            }
        }
    }

    fn collation(&self, oid: u32) -> Result<QualifiedName, Error> {
        self.collations
            .get(&oid)
            .cloned()
            .ok_or_else(|| Error::Catalog { message: format!("unknown collation {oid}") })
    }

    fn add_column(&mut self, row: ColumnRow) -> Result<(), Error> {
        let data_type =
            self.types.get(&(row.type_oid, row.type_modifier)).ok_or_else(|| Error::Catalog {
                message: format!(
                    "column {} has a type that was not read ({})",
                    row.name, row.type_oid
                ),
            })?;
        let mut column =
            Column::new(row.name, data_type.sql_type(row.dimensions, row.type_modifier));
        if row.collation != data_type.collation {
            column.collation = Some(self.collation(row.collation)?);
        }
        if row.storage != data_type.storage {
            column.storage =
                Some(Storage::from_code(&row.storage).ok_or_else(|| Error::Catalog {
                    message: format!(
                        "column {} has unknown storage `{}`",
                        column.name, row.storage
                    ),
                })?);
        }
        column.compression = match row.compression.as_str() {
            "" => None,
            "p" => Some("pglz".to_owned()),
            "l" => Some("lz4".to_owned()),
            other => {
                return Err(Error::Catalog {
                    message: format!("column {} has unknown compression `{other}`", column.name),
                })
            }
        };
        column.statistics_target = row.statistics_target;
        column.nullable = !row.not_null;
        column.inherited_only = autogen_schema::partitions::InheritedOnly(row.inherited_only);
        column.identity = match row.identity.as_str() {
            "" => None,
            kind => Some(Box::new(Identity {
                generation: if kind == "a" {
                    IdentityGeneration::Always
                } else {
                    IdentityGeneration::ByDefault
                },
                // Filled in from sequences.sql.
                sequence_name: QualifiedName::new("", ""),
                options: SequenceOptions::default(),
            })),
        };
        // The expression comes from defaults.sql; a placeholder says that it
        // is a generation expression, not a default.
        match row.generated.as_str() {
            "" => {}
            "s" => column.generated = Some(String::new()),
            _ => {
                let table = &self.table_mut(row.table_oid)?.name;
                let unmodeled = Unmodeled {
                    kind: "virtual generated column".to_owned(),
                    schema: table.schema.clone(),
                    name: format!("{}.{}", table.name, column.name),
                };
                self.unmodeled.push(unmodeled);
                column.generated = Some(String::new());
            }
        }
        let table = self.table_mut(row.table_oid)?;
        let position = table.columns.len();
        table.columns.push(column);
        self.columns.insert((row.table_oid, row.position), (position, row.collation));
        Ok(())
    }

    /// The attribute of a row of composites.sql (none for a type without
    /// attributes), its type looked up in types.sql's rows.
    fn attribute(&self, row: &PgRow) -> Result<Option<Attribute>, Error> {
        let Some(name) = get::<Option<String>>(row, "attribute")? else { return Ok(None) };
        let oid = get::<Oid>(row, "type_oid")?.0;
        let modifier: i32 = get(row, "type_modifier")?;
        let Some(data_type) = self.types.get(&(oid, modifier)) else {
            return Err(Error::Catalog {
                message: format!("the type of attribute {name} was not read"),
            });
        };
        let collation = get::<Oid>(row, "collation")?.0;
        let collation = match collation != data_type.collation {
            true => Some(self.collation(collation)?),
            false => None,
        };
        Ok(Some(Attribute {
            name,
            data_type: data_type.sql_type(get(row, "dimensions")?, modifier),
            collation,
        }))
    }

    /// A row of domains.sql, its base type looked up in types.sql's rows.
    fn domain(&self, row: &PgRow) -> Result<Domain, Error> {
        let key = (get::<Oid>(row, "base_oid")?.0, get::<i32>(row, "base_modifier")?);
        let name = qualified(row, "schema", "name")?;
        let Some(base) = self.types.get(&key) else {
            return Err(Error::Catalog {
                message: format!("the base type of domain {name} was not read"),
            });
        };
        let collation = match get::<Oid>(row, "collation")?.0 {
            0 => None,
            oid => self.collations.get(&oid).cloned(),
        };
        let names: Vec<String> = get(row, "check_names")?;
        let expressions: Vec<String> = get(row, "check_expressions")?;
        let not_valid: Vec<bool> = get(row, "check_not_valid")?;
        let checks = names
            .into_iter()
            .zip(expressions)
            .zip(not_valid)
            .map(|((name, expression), not_valid)| DomainCheck { name, expression, not_valid })
            .collect();
        Ok(Domain {
            name,
            data_type: base.sql_type(get(row, "dimensions")?, key.1),
            collation,
            default: get(row, "default")?,
            not_null: get(row, "not_null")?,
            checks,
        })
    }

    fn add_sequence(&mut self, row: SequenceRow) -> Result<(), Error> {
        let (name, data_type, options) = row.sequence();
        let column = self.column_mut(row.table_oid, row.position)?;
        match row.dependency.as_str() {
            "i" => {
                let Some(identity) = column.identity.as_mut() else {
                    return Err(Error::Catalog {
                        message: format!(
                            "column {} has an identity sequence but is no identity",
                            column.name
                        ),
                    });
                };
                identity.sequence_name = name;
                identity.options = options;
            }
            _ => column.owned_sequence = Some(Box::new(OwnedSequence { name, data_type, options })),
        }
        Ok(())
    }

    /// Adds a constraint; `backing` is the index of a primary key, unique or
    /// exclusion constraint, whose `INCLUDE` columns, storage parameters and
    /// `NULLS NOT DISTINCT` the constraint takes (an exclusion constraint
    /// its method, keys and predicate too).
    fn add_constraint(&mut self, row: ConstraintRow, backing: Option<Index>) -> Result<(), Error> {
        let name = row.name;
        let inherited = row.inherited;
        let table_oid = row.table_oid;
        if row.kind == "x" {
            let Some(index) = backing else {
                return Err(Error::Catalog { message: format!("constraint {name} has no index") });
            };
            let operators = row.exclusion_operators.unwrap_or_default();
            if operators.len() != index.keys.len() {
                return Err(Error::Catalog {
                    message: format!(
                        "exclusion constraint {name} has {} operators for {} keys",
                        operators.len(),
                        index.keys.len()
                    ),
                });
            }
            let elements = (index.keys.into_iter().zip(operators))
                .map(|(key, operator)| ExclusionElement { key, operator })
                .collect();
            self.constraint_table(table_oid, inherited)?.exclusion_constraints.push(
                ExclusionConstraint {
                    name,
                    method: index.method,
                    elements,
                    include: index.include,
                    with: index.with,
                    predicate: index.predicate,
                    deferrable: row.deferrable,
                },
            );
            return Ok(());
        }
        let columns = self.column_names(row.table_oid, &row.columns)?;
        let (include, with, nulls_not_distinct) = match backing {
            Some(index) => (index.include, index.with, index.nulls_not_distinct),
            None if has_own_index(&row.kind) => {
                return Err(Error::Catalog { message: format!("constraint {name} has no index") })
            }
            None => Default::default(),
        };
        let constraint_kind = row.kind.as_str();
        let referenced = if constraint_kind == "f" {
            let oid = row.referenced_table_oid;
            Some((self.table_name(oid)?, self.column_names(oid, &row.referenced_columns)?))
        } else {
            None
        };
        let table = self.constraint_table(table_oid, inherited)?;
        match (constraint_kind, referenced) {
            ("p", _) => {
                table.primary_key =
                    Some(PrimaryKey { name, columns, include, with, deferrable: row.deferrable });
            }
            ("u", _) => table.unique_constraints.push(UniqueConstraint {
                name,
                columns,
                include,
                with,
                nulls_not_distinct,
                deferrable: row.deferrable,
            }),
            ("c", _) => table.check_constraints.push(CheckConstraint {
                expression: row.check_expression.ok_or_else(|| Error::Catalog {
                    message: format!("check constraint {name} has no expression"),
                })?,
                name,
                no_inherit: row.no_inherit,
                not_valid: !row.validated,
            }),
            ("f", Some((referenced_table, referenced_columns))) => {
                table.foreign_keys.push(ForeignKey {
                    columns,
                    referenced_table,
                    referenced_columns,
                    match_type: match row.match_type.as_str() {
                        "f" => MatchType::Full,
                        "p" => MatchType::Partial,
                        _ => MatchType::Simple,
                    },
                    on_delete: action(&row.on_delete, &name)?,
                    on_update: action(&row.on_update, &name)?,
                    deferrable: row.deferrable,
                    not_valid: !row.validated,
                    name,
                })
            }
            (other, _) => {
                return Err(Error::Catalog {
                    message: format!("constraint {name} of unexpected kind `{other}`"),
                })
            }
        }
        Ok(())
    }

    /// Adds extended statistics to their table: columns by name, in name
    /// order; `e` (built for any expression) is not a kind asked for.
    fn add_statistics(&mut self, row: StatisticsRow) -> Result<(), Error> {
        let mut columns = self.column_names(row.table_oid, &row.columns)?;
        columns.sort();
        let kinds = StatisticsKind::ALL
            .into_iter()
            .filter(|kind| {
                row.kinds.iter().any(|code| StatisticsKind::from_code(code) == Some(*kind))
            })
            .collect();
        let statistics = Statistics {
            name: QualifiedName::new(row.schema, row.name),
            kinds,
            columns,
            expressions: row.expressions.unwrap_or_default(),
            target: row.target,
        };
        self.table_mut(row.table_oid)?.statistics.push(statistics);
        Ok(())
    }

    /// The index a row of indexes.sql describes.
    fn index(&self, row: &IndexRow) -> Result<Index, Error> {
        let name = &row.name;
        let method_name =
            self.access_methods.get(&row.method_oid).ok_or_else(|| Error::Catalog {
                message: format!("index {name} uses unknown access method {}", row.method_oid),
            })?;
        let key_count = row.key_count;
        let malformed =
            || Error::Catalog { message: format!("index {name} has fewer key entries than keys") };

        let mut targets = Vec::with_capacity(key_count);
        for (slot, attnum) in row.columns.iter().take(key_count).enumerate() {
            targets.push(if *attnum == 0 {
                let expression =
                    row.expressions.as_ref().and_then(|texts| texts.get(slot).cloned().flatten());
                IndexTarget::Expression(expression.ok_or_else(malformed)?)
            } else {
                IndexTarget::Column(self.column_name(row.table_oid, *attnum)?)
            });
        }
        // Only indexes whose expression keys have a collation of their own
        // come with their whole definition; read what it prints for those.
        let printed_collations: Option<Vec<bool>> = match &row.definition {
            None => None,
            Some(definition) => {
                let texts: Vec<String> = targets
                    .iter()
                    .map(|target| match target {
                        IndexTarget::Column(column) => autogen_schema::quote_ident(column),
                        IndexTarget::Expression(expression) => expression.clone(),
                    })
                    .collect();
                let text_refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                let printed = printed_keys(definition, method_name, &text_refs).ok_or_else(|| Error::Catalog {
                    message: format!("cannot read the keys of index {name} from its definition: {definition}"),
                })?;
                Some(printed.iter().map(|key| key.collation).collect())
            }
        };

        let mut keys = Vec::with_capacity(key_count);
        for (slot, target) in targets.into_iter().enumerate() {
            let collation_oid = row.collations.get(slot).ok_or_else(malformed)?.0;
            let collation_printed = match &printed_collations {
                Some(printed) => printed[slot],
                None => {
                    let own_collation = match row.columns[slot] {
                        0 => DEFAULT_COLLATION,
                        attnum => self
                            .columns
                            .get(&(row.table_oid, attnum))
                            .map_or(0, |(_, collation)| *collation),
                    };
                    collation_oid != 0 && collation_oid != own_collation
                }
            };
            let collation =
                if collation_printed { Some(self.collation(collation_oid)?) } else { None };
            let params = key_values(
                row.opclass_options
                    .as_ref()
                    .and_then(|options| options.get(slot))
                    .filter(|joined| !joined.is_empty())
                    .map(|joined| joined.split('\u{1f}').map(str::to_owned).collect()),
            );
            let opclass_oid = row.opclasses.get(slot).ok_or_else(malformed)?.0;
            let (opclass_name, is_default) =
                self.opclasses.get(&opclass_oid).cloned().ok_or_else(|| Error::Catalog {
                    message: format!("unknown operator class {opclass_oid}"),
                })?;
            // pg_get_indexdef prints a class that has parameters or is not a
            // default one; only default classes are ever chosen by default.
            let opclass = (!is_default || !params.is_empty())
                .then_some(OperatorClass { name: opclass_name, params });
            let option = row.key_options.get(slot).copied().unwrap_or(0);
            keys.push(IndexKey {
                target,
                collation,
                opclass,
                descending: option & 1 != 0,
                nulls_first: option & 2 != 0,
            });
        }
        let include =
            self.column_names(row.table_oid, row.columns.get(key_count..).unwrap_or_default())?;

        Ok(Index {
            name: name.clone(),
            unique: row.is_unique,
            method: IndexMethod::from_name(method_name),
            keys,
            include,
            predicate: row.predicate.clone(),
            with: key_values(row.options.clone()),
            nulls_not_distinct: row.nulls_not_distinct,
            invalid: row.invalid,
        })
    }
}

/// A row of user_collations.sql: a libc collation keeps `LC_COLLATE` and
/// `LC_CTYPE`, the others their locale.
fn collation(row: &PgRow) -> Result<Collation, Error> {
    let name = qualified(row, "schema", "name")?;
    let code: String = get(row, "provider")?;
    let Some(provider) = CollationProvider::from_code(&code) else {
        return Err(Error::Catalog {
            message: format!("collation {name} has unknown provider `{code}`"),
        });
    };
    let libc = provider == CollationProvider::Libc;
    let rules: Option<String> = get(row, "rules")?;
    Ok(Collation {
        name,
        provider,
        locale: get::<Option<String>>(row, "locale")?.filter(|_| !libc),
        lc_collate: get::<Option<String>>(row, "lc_collate")?.filter(|_| libc),
        lc_ctype: get::<Option<String>>(row, "lc_ctype")?.filter(|_| libc),
        nondeterministic: !get::<Option<bool>>(row, "deterministic")?.unwrap_or(true),
        rules: rules.filter(|rules| !rules.is_empty()),
    })
}

/// Whether a constraint of `contype` `kind` is backed by an index of its
/// own (a foreign key's `conindid` is the referenced table's).
fn has_own_index(kind: &str) -> bool {
    matches!(kind, "p" | "u" | "x")
}

/// The oid of the database's default collation (`pg_collation` "default"),
/// which an expression of a collatable type has unless it says otherwise.
const DEFAULT_COLLATION: u32 = 100;

fn qualified(
    row: &PgRow,
    schema: &'static str,
    name: &'static str,
) -> Result<QualifiedName, Error> {
    Ok(QualifiedName::new(get::<String>(row, schema)?, get::<String>(row, name)?))
}

fn action(code: &str, constraint: &str) -> Result<ReferentialAction, Error> {
    Ok(match code {
        "a" => ReferentialAction::NoAction,
        "r" => ReferentialAction::Restrict,
        "c" => ReferentialAction::Cascade,
        "n" => ReferentialAction::SetNull,
        "d" => ReferentialAction::SetDefault,
        other => {
            return Err(Error::Catalog {
                message: format!(
                    "foreign key {constraint} has unknown referential action `{other}`"
                ),
            })
        }
    })
}

/// `{m=16,ef_construction=64}` → `[("m", "16"), ("ef_construction", "64")]`.
fn key_values(options: Option<Vec<String>>) -> Vec<(String, String)> {
    options
        .unwrap_or_default()
        .into_iter()
        .map(|option| match option.split_once('=') {
            Some((key, value)) => (key.to_owned(), value.to_owned()),
            None => (option, String::new()),
        })
        .collect()
}
