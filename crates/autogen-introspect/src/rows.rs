//! Typed rows of the per-table catalog queries, decoded while they stream
//! in: the client decodes one row while the server computes the next, and
//! the driver's row buffers are freed at once.

use futures_util::TryStreamExt as _;
use sqlx::postgres::types::Oid;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row as _};

use autogen_schema::{Deferrable, QualifiedName, SequenceOptions, SqlType};

use crate::Error;

pub(crate) type Query<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

/// A row type of one catalog query.
pub(crate) trait CatalogRow: Sized {
    fn read(row: &PgRow) -> Result<Self, Error>;
}

/// Runs `query` (named after its file, for errors) and decodes each row as
/// it arrives.
pub(crate) async fn fetch_rows<T: CatalogRow>(
    connection: &mut PgConnection,
    name: &'static str,
    query: Query<'_>,
) -> Result<Vec<T>, Error> {
    let mut stream = query.fetch(connection);
    let mut rows = Vec::new();
    while let Some(row) =
        stream.try_next().await.map_err(|source| Error::Query { query: name, source })?
    {
        rows.push(T::read(&row)?);
    }
    Ok(rows)
}

/// Runs `query` and keeps its rows as they are (for the small queries).
pub(crate) async fn fetch(
    connection: &mut PgConnection,
    name: &'static str,
    query: Query<'_>,
) -> Result<Vec<PgRow>, Error> {
    query.fetch_all(connection).await.map_err(|source| Error::Query { query: name, source })
}

/// One column of a row, with the column's name in the error.
pub(crate) fn get<'r, T>(row: &'r PgRow, column: &'static str) -> Result<T, Error>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(column)
        .map_err(|error| Error::Catalog { message: format!("column `{column}`: {error}") })
}

fn oid(row: &PgRow, column: &'static str) -> Result<u32, Error> {
    Ok(get::<Option<Oid>>(row, column)?.map_or(0, |oid| oid.0))
}

/// An attribute number, which the queries return as `int4`.
pub(crate) fn attribute_number(row: &PgRow) -> Result<i16, Error> {
    i16::try_from(get::<i32>(row, "position")?)
        .map_err(|_| Error::Catalog { message: "attribute number out of range".to_owned() })
}

/// A row of columns.sql.
pub(crate) struct ColumnRow {
    pub(crate) table_oid: u32,
    pub(crate) position: i16,
    pub(crate) name: String,
    pub(crate) not_null: bool,
    /// `NOT attislocal` of a table that is not a partition.
    pub(crate) inherited_only: bool,
    pub(crate) identity: String,
    pub(crate) generated: String,
    pub(crate) dimensions: i32,
    pub(crate) type_oid: u32,
    pub(crate) type_modifier: i32,
    pub(crate) collation: u32,
    /// `attstorage`
    pub(crate) storage: String,
    /// `attcompression`: empty for the default.
    pub(crate) compression: String,
    pub(crate) statistics_target: Option<i32>,
}

impl CatalogRow for ColumnRow {
    fn read(row: &PgRow) -> Result<Self, Error> {
        Ok(Self {
            table_oid: oid(row, "table_oid")?,
            position: attribute_number(row)?,
            name: get(row, "name")?,
            not_null: get(row, "not_null")?,
            inherited_only: get(row, "inherited_only")?,
            identity: get(row, "identity")?,
            generated: get(row, "generated")?,
            dimensions: get(row, "dimensions")?,
            type_oid: oid(row, "type_oid")?,
            type_modifier: get(row, "type_modifier")?,
            collation: oid(row, "collation")?,
            storage: get(row, "storage")?,
            compression: get(row, "compression")?,
            statistics_target: get(row, "statistics_target")?,
        })
    }
}

/// A row of defaults.sql or comments.sql: a text about a table
/// (`position` 0) or one of its columns.
pub(crate) struct ColumnText {
    pub(crate) table_oid: u32,
    pub(crate) position: i16,
    pub(crate) text: Option<String>,
}

impl CatalogRow for ColumnText {
    fn read(row: &PgRow) -> Result<Self, Error> {
        Ok(Self {
            table_oid: oid(row, "table_oid")?,
            position: attribute_number(row)?,
            text: get(row, "text")?,
        })
    }
}

/// A row of sequences.sql.
pub(crate) struct SequenceRow {
    pub(crate) table_oid: u32,
    pub(crate) position: i16,
    /// pg_depend deptype: `a` (serial's OWNED BY) or `i` (identity).
    pub(crate) dependency: String,
    pub(crate) schema: String,
    pub(crate) name: String,
    pub(crate) data_type: String,
    pub(crate) start: i64,
    pub(crate) increment: i64,
    pub(crate) min_value: i64,
    pub(crate) max_value: i64,
    pub(crate) cache: i64,
    pub(crate) cycle: bool,
}

impl CatalogRow for SequenceRow {
    fn read(row: &PgRow) -> Result<Self, Error> {
        Ok(Self {
            table_oid: oid(row, "table_oid")?,
            position: attribute_number(row)?,
            dependency: get(row, "dependency")?,
            schema: get(row, "schema")?,
            name: get(row, "name")?,
            data_type: get(row, "data_type")?,
            start: get(row, "start")?,
            increment: get(row, "increment")?,
            min_value: get(row, "min_value")?,
            max_value: get(row, "max_value")?,
            cache: get(row, "cache")?,
            cycle: get(row, "cycle")?,
        })
    }
}

impl SequenceRow {
    /// The sequence's name, type and options (relative to the type's
    /// defaults).
    pub(crate) fn sequence(&self) -> (QualifiedName, SqlType, SequenceOptions) {
        let data_type = SqlType::from_format_type(&self.data_type);
        let options = SequenceOptions::from_catalog(
            &data_type,
            self.start,
            self.increment,
            self.min_value,
            self.max_value,
            self.cache,
            self.cycle,
        );
        (QualifiedName::new(self.schema.clone(), self.name.clone()), data_type, options)
    }
}

/// A row of constraints.sql.
pub(crate) struct ConstraintRow {
    pub(crate) table_oid: u32,
    pub(crate) name: String,
    /// `contype`: `p`, `u`, `c`, `f` or `x`.
    pub(crate) kind: String,
    pub(crate) deferrable: Deferrable,
    pub(crate) validated: bool,
    pub(crate) no_inherit: bool,
    pub(crate) columns: Vec<i16>,
    pub(crate) check_expression: Option<String>,
    pub(crate) referenced_table_oid: u32,
    pub(crate) referenced_columns: Vec<i16>,
    pub(crate) match_type: String,
    pub(crate) on_update: String,
    pub(crate) on_delete: String,
    pub(crate) index_oid: u32,
    /// A partition's or child's from its parent: an inherited check, a
    /// cloned key, unique, exclusion constraint or foreign key.
    pub(crate) inherited: bool,
    /// An exclusion constraint's operators, one per key, as printed.
    pub(crate) exclusion_operators: Option<Vec<String>>,
}

impl CatalogRow for ConstraintRow {
    fn read(row: &PgRow) -> Result<Self, Error> {
        let deferrable = match (get::<bool>(row, "deferrable")?, get::<bool>(row, "deferred")?) {
            (false, _) => Deferrable::NotDeferrable,
            (true, false) => Deferrable::InitiallyImmediate,
            (true, true) => Deferrable::InitiallyDeferred,
        };
        Ok(Self {
            table_oid: oid(row, "table_oid")?,
            name: get(row, "name")?,
            kind: get(row, "kind")?,
            deferrable,
            validated: get(row, "validated")?,
            no_inherit: get(row, "no_inherit")?,
            columns: get::<Option<Vec<i16>>>(row, "columns")?.unwrap_or_default(),
            check_expression: get(row, "check_expression")?,
            referenced_table_oid: oid(row, "referenced_table_oid")?,
            referenced_columns: get::<Option<Vec<i16>>>(row, "referenced_columns")?
                .unwrap_or_default(),
            match_type: get(row, "match_type")?,
            on_update: get(row, "on_update")?,
            on_delete: get(row, "on_delete")?,
            index_oid: oid(row, "index_oid")?,
            inherited: get(row, "inherited")?,
            exclusion_operators: get(row, "exclusion_operators")?,
        })
    }
}

/// A row of indexes.sql.
pub(crate) struct IndexRow {
    pub(crate) table_oid: u32,
    pub(crate) index_oid: u32,
    pub(crate) name: String,
    pub(crate) is_unique: bool,
    /// `indisexclusion OR indisprimary`: an index only a constraint has.
    pub(crate) backs_constraint: bool,
    /// Attached to an index of a partitioned parent: the parent's.
    pub(crate) attached: bool,
    pub(crate) method_oid: u32,
    pub(crate) key_count: usize,
    pub(crate) nulls_not_distinct: bool,
    /// `indisclustered`
    pub(crate) clustered: bool,
    /// `NOT indisvalid`
    pub(crate) invalid: bool,
    /// `indisreplident`
    pub(crate) replica_identity: bool,
    pub(crate) predicate: Option<String>,
    pub(crate) options: Option<Vec<String>>,
    /// `indkey`: attribute numbers, 0 for an expression.
    pub(crate) columns: Vec<i16>,
    pub(crate) opclasses: Vec<Oid>,
    pub(crate) collations: Vec<Oid>,
    pub(crate) key_options: Vec<i16>,
    /// Each key's text as pg_get_indexdef prints it alone; `None` for column
    /// keys, and the whole list `None` when no key is an expression.
    pub(crate) expressions: Option<Vec<Option<String>>>,
    /// Each key's operator class parameters, joined by `\u{1f}`.
    pub(crate) opclass_options: Option<Vec<String>>,
    /// The whole pg_get_indexdef, when an expression key has a collation.
    pub(crate) definition: Option<String>,
}

impl CatalogRow for IndexRow {
    fn read(row: &PgRow) -> Result<Self, Error> {
        Ok(Self {
            table_oid: oid(row, "table_oid")?,
            index_oid: oid(row, "index_oid")?,
            name: get(row, "name")?,
            is_unique: get(row, "is_unique")?,
            backs_constraint: get(row, "backs_constraint")?,
            attached: get(row, "attached")?,
            method_oid: oid(row, "method_oid")?,
            key_count: usize::try_from(get::<i32>(row, "key_count")?).unwrap_or(0),
            nulls_not_distinct: get(row, "nulls_not_distinct")?,
            clustered: get(row, "clustered")?,
            invalid: get(row, "invalid")?,
            replica_identity: get(row, "replica_identity")?,
            predicate: get(row, "predicate")?,
            options: get(row, "options")?,
            columns: get(row, "columns")?,
            opclasses: get(row, "opclasses")?,
            collations: get(row, "collations")?,
            key_options: get(row, "key_options")?,
            expressions: get(row, "expressions")?,
            opclass_options: get(row, "opclass_options")?,
            definition: get(row, "definition")?,
        })
    }
}

/// A row of statistics.sql.
pub(crate) struct StatisticsRow {
    pub(crate) table_oid: u32,
    pub(crate) schema: String,
    pub(crate) name: String,
    /// `stxkind` letters.
    pub(crate) kinds: Vec<String>,
    /// `stxkeys`
    pub(crate) columns: Vec<i16>,
    pub(crate) expressions: Option<Vec<String>>,
    pub(crate) target: Option<i32>,
}

impl CatalogRow for StatisticsRow {
    fn read(row: &PgRow) -> Result<Self, Error> {
        Ok(Self {
            table_oid: oid(row, "table_oid")?,
            schema: get(row, "schema")?,
            name: get(row, "name")?,
            kinds: get(row, "kinds")?,
            columns: get::<Option<Vec<i16>>>(row, "columns")?.unwrap_or_default(),
            expressions: get(row, "expressions")?,
            target: get(row, "target")?,
        })
    }
}
