//! The catalog queries and the assembly of their rows into a [`Schema`].
//!
//! Every query reads one kind of object for the whole database (or for all
//! tables in scope at once); rows are joined here, in memory, by oid and
//! attribute number. All of them run in one read-only repeatable-read
//! transaction, so they see one snapshot.

use std::collections::{BTreeMap, HashMap};

use autogen_schema::{
    CheckConstraint, Column, Deferrable, EnumType, Extension, ForeignKey, Identity,
    IdentityGeneration, Index, IndexKey, IndexMethod, IndexTarget, MatchType, OperatorClass,
    OwnedSequence, PrimaryKey, QualifiedName, ReferentialAction, Schema, SequenceOptions, SqlType,
    Table, UniqueConstraint, VectorKind,
};
use sqlx::postgres::types::Oid;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row as _};

use crate::index_definition::printed_keys;
use crate::{Error, Introspection, Options, Unmodeled};

const NAMESPACES: &str = include_str!("queries/namespaces.sql");
const EXTENSIONS: &str = include_str!("queries/extensions.sql");
const ENUMS: &str = include_str!("queries/enums.sql");
const TABLES: &str = include_str!("queries/tables.sql");
const COLUMNS: &str = include_str!("queries/columns.sql");
const SEQUENCES: &str = include_str!("queries/sequences.sql");
const COLLATIONS: &str = include_str!("queries/collations.sql");
const OPCLASSES: &str = include_str!("queries/opclasses.sql");
const CONSTRAINTS: &str = include_str!("queries/constraints.sql");
const INDEXES: &str = include_str!("queries/indexes.sql");
const UNMODELED: &str = include_str!("queries/unmodeled.sql");

/// Session settings for the reading transaction. `search_path = public` is
/// the canonical form expressions are printed in. The catalogs of a freshly
/// loaded database have no statistics, and nested loops planned on guessed
/// row counts are what makes catalog queries slow on large schemas; hash
/// joins over whole catalogs are fast at any size.
const SETTINGS: &[&str] = &[
    "SET LOCAL search_path = public",
    "SET LOCAL enable_nestloop = off",
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

/// The rows of the per-table queries for one part of the tables.
#[derive(Default)]
struct TableRows {
    columns: Vec<PgRow>,
    sequences: Vec<PgRow>,
    constraints: Vec<PgRow>,
    indexes: Vec<PgRow>,
}

impl TableRows {
    async fn fetch(
        connection: &mut PgConnection,
        namespaces: &[Oid],
        parts: i32,
        part: i32,
    ) -> Result<Self, Error> {
        let query = |name: &'static str, sql: &'static str| {
            (name, sqlx::query(sql).bind(namespaces.to_vec()).bind(parts).bind(part))
        };
        let (name, columns) = query("columns.sql", COLUMNS);
        let columns = fetch(&mut *connection, name, columns).await?;
        let (name, sequences) = query("sequences.sql", SEQUENCES);
        let sequences = fetch(&mut *connection, name, sequences).await?;
        let (name, constraints) = query("constraints.sql", CONSTRAINTS);
        let constraints = fetch(&mut *connection, name, constraints).await?;
        let (name, indexes) = query("indexes.sql", INDEXES);
        let indexes = fetch(&mut *connection, name, indexes).await?;
        Ok(Self { columns, sequences, constraints, indexes })
    }

    fn append(&mut self, other: TableRows) {
        self.columns.extend(other.columns);
        self.sequences.extend(other.sequences);
        self.constraints.extend(other.constraints);
        self.indexes.extend(other.indexes);
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
    let schema_filter = (!options.schemas.is_empty()).then(|| options.schemas.clone());
    let rows =
        fetch(connection, "namespaces.sql", sqlx::query(NAMESPACES).bind(schema_filter)).await?;
    let mut namespace_oids: Vec<Oid> = Vec::with_capacity(rows.len());
    for row in &rows {
        namespace_oids.push(get(row, "oid")?);
        schema.schemas.insert(get(row, "name")?);
    }

    for row in
        fetch(connection, "extensions.sql", sqlx::query(EXTENSIONS).bind(&namespace_oids)).await?
    {
        schema.add_extension(Extension {
            name: get(&row, "name")?,
            schema: get(&row, "schema")?,
            version: get(&row, "version")?,
        });
    }

    for row in fetch(connection, "enums.sql", sqlx::query(ENUMS).bind(&namespace_oids)).await? {
        schema.add_enum(EnumType {
            name: QualifiedName::new(get::<String>(&row, "schema")?, get::<String>(&row, "name")?),
            labels: get(&row, "labels")?,
        });
    }

    let mut catalog = Catalog::default();
    for row in fetch(connection, "collations.sql", sqlx::query(COLLATIONS)).await? {
        let name = QualifiedName::new(get::<String>(&row, "schema")?, get::<String>(&row, "name")?);
        catalog.collations.insert(get::<Oid>(&row, "oid")?.0, name);
    }
    for row in fetch(connection, "opclasses.sql", sqlx::query(OPCLASSES)).await? {
        let name = QualifiedName::new(get::<String>(&row, "schema")?, get::<String>(&row, "name")?);
        catalog.opclasses.insert(get::<Oid>(&row, "oid")?.0, (name, get(&row, "is_default")?));
    }

    for row in fetch(connection, "tables.sql", sqlx::query(TABLES).bind(&namespace_oids)).await? {
        let name = QualifiedName::new(get::<String>(&row, "schema")?, get::<String>(&row, "name")?);
        let mut table = Table::new(name);
        table.comment = get(&row, "comment")?;
        catalog.tables.insert(get::<Oid>(&row, "oid")?.0, table);
    }

    let (mut rows, unmodeled_rows) = match helper {
        None => {
            let rows = TableRows::fetch(connection, &namespace_oids, 1, 0).await?;
            let unmodeled =
                fetch(connection, "unmodeled.sql", sqlx::query(UNMODELED).bind(&namespace_oids))
                    .await?;
            (rows, unmodeled)
        }
        Some(mut helper) => {
            let main_part = async {
                let rows = TableRows::fetch(&mut *connection, &namespace_oids, 2, 0).await?;
                let unmodeled = fetch(
                    &mut *connection,
                    "unmodeled.sql",
                    sqlx::query(UNMODELED).bind(&namespace_oids),
                )
                .await?;
                Ok::<_, Error>((rows, unmodeled))
            };
            let helper_part = TableRows::fetch(&mut helper, &namespace_oids, 2, 1);
            let ((mut rows, unmodeled), helper_rows) = tokio::try_join!(main_part, helper_part)?;
            let _ = helper.rollback().await;
            rows.append(helper_rows);
            (rows, unmodeled)
        }
    };

    rows.columns.retain(|row| catalog.has_table(row));
    rows.columns.sort_by_cached_key(|row| {
        (
            get::<Oid>(row, "table_oid").map(|oid| oid.0).unwrap_or(0),
            get::<i32>(row, "position").unwrap_or(0),
        )
    });
    rows.sequences.retain(|row| catalog.has_table(row));
    rows.constraints.retain(|row| catalog.has_table(row));
    rows.indexes.retain(|row| catalog.has_table(row));
    for row in &rows.columns {
        catalog.add_column(row)?;
    }
    for row in &rows.sequences {
        catalog.add_sequence(row)?;
    }
    for row in &rows.constraints {
        catalog.add_constraint(row)?;
    }
    for row in &rows.indexes {
        catalog.add_index(row)?;
    }

    for (_, mut table) in catalog.tables {
        table.sort();
        schema.add_table(table);
    }

    let owned_sequences: std::collections::HashSet<QualifiedName> = schema
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
        let owned = object.kind == "sequence"
            && owned_sequences
                .contains(&QualifiedName::new(object.schema.clone(), object.name.clone()));
        if !owned {
            unmodeled.push(object);
        }
    }
    unmodeled.sort();
    unmodeled.dedup();

    Ok(Introspection { schema, unmodeled })
}

/// What the rows are joined with: tables by oid, their columns by attribute
/// number, and the names of collations and operator classes by oid.
#[derive(Default)]
struct Catalog {
    tables: BTreeMap<u32, Table>,
    /// (table oid, attnum) → (index in `Table::columns`, `attcollation`)
    columns: HashMap<(u32, i16), (usize, u32)>,
    collations: HashMap<u32, QualifiedName>,
    /// oid → (name, `opcdefault`)
    opclasses: HashMap<u32, (QualifiedName, bool)>,
    /// What the per-table rows showed that the model cannot hold.
    unmodeled: Vec<Unmodeled>,
}

impl Catalog {
    /// Whether the row's `table_oid` is a table tables.sql read; rows of
    /// other relations (partitions, extension tables, `_sqlx_migrations`)
    /// are passed over.
    fn has_table(&self, row: &PgRow) -> bool {
        get::<Oid>(row, "table_oid").is_ok_and(|oid| self.tables.contains_key(&oid.0))
    }

    fn table(&mut self, row: &PgRow) -> Result<(u32, &mut Table), Error> {
        let oid = get::<Oid>(row, "table_oid")?.0;
        let table = self.tables.get_mut(&oid).ok_or_else(|| Error::Catalog {
            message: format!("a row for unknown table oid {oid}"),
        })?;
        Ok((oid, table))
    }

    fn column_name(&self, table_oid: u32, attnum: i16) -> Result<String, Error> {
        let (position, _) = self.columns.get(&(table_oid, attnum)).ok_or_else(|| {
            Error::Catalog { message: format!("no column {attnum} in table oid {table_oid}") }
        })?;
        Ok(self.tables[&table_oid].columns[*position].name.clone())
    }

    fn column_names(&self, table_oid: u32, attnums: &[i16]) -> Result<Vec<String>, Error> {
        attnums.iter().map(|attnum| self.column_name(table_oid, *attnum)).collect()
    }

    fn collation(&self, oid: u32) -> Result<QualifiedName, Error> {
        self.collations
            .get(&oid)
            .cloned()
            .ok_or_else(|| Error::Catalog { message: format!("unknown collation {oid}") })
    }

    fn add_column(&mut self, row: &PgRow) -> Result<(), Error> {
        let attnum = attribute_number(row)?;
        let collation_oid = get::<Oid>(row, "collation")?.0;
        let explicit_collation = match get::<Option<Oid>>(row, "explicit_collation")? {
            Some(oid) => Some(self.collation(oid.0)?),
            None => None,
        };
        let mut column = column(row)?;
        column.collation = explicit_collation;
        let virtual_generated = get::<String>(row, "generated")? == "v";
        let (oid, table) = self.table(row)?;
        let unmodeled = virtual_generated.then(|| Unmodeled {
            kind: "virtual generated column".to_owned(),
            schema: table.name.schema.clone(),
            name: format!("{}.{}", table.name.name, column.name),
        });
        let position = table.columns.len();
        table.columns.push(column);
        self.columns.insert((oid, attnum), (position, collation_oid));
        self.unmodeled.extend(unmodeled);
        Ok(())
    }

    fn add_sequence(&mut self, row: &PgRow) -> Result<(), Error> {
        let attnum = attribute_number(row)?;
        let table_oid = get::<Oid>(row, "table_oid")?.0;
        let Some(&(position, _)) = self.columns.get(&(table_oid, attnum)) else {
            return Err(Error::Catalog {
                message: format!("a sequence owned by unknown column {attnum}"),
            });
        };
        let name = QualifiedName::new(get::<String>(row, "schema")?, get::<String>(row, "name")?);
        let data_type = SqlType::from_format_type(&get::<String>(row, "data_type")?);
        let options = SequenceOptions::from_catalog(
            &data_type,
            get(row, "start")?,
            get(row, "increment")?,
            get(row, "min_value")?,
            get(row, "max_value")?,
            get(row, "cache")?,
            get(row, "cycle")?,
        );
        let dependency: String = get(row, "dependency")?;
        let (_, table) = self.table(row)?;
        let column = &mut table.columns[position];
        match dependency.as_str() {
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
            _ => column.owned_sequence = Some(OwnedSequence { name, data_type, options }),
        }
        Ok(())
    }

    fn add_constraint(&mut self, row: &PgRow) -> Result<(), Error> {
        let table_oid = get::<Oid>(row, "table_oid")?.0;
        let name: String = get(row, "name")?;
        let attnums = get::<Option<Vec<i16>>>(row, "columns")?.unwrap_or_default();
        let columns = self.column_names(table_oid, &attnums)?;
        let include = match get::<Option<Vec<i16>>>(row, "index_columns")? {
            Some(index_columns) => {
                let key_count = get::<Option<i32>>(row, "index_key_count")?.unwrap_or(0);
                let key_count = usize::try_from(key_count).unwrap_or(0);
                self.column_names(table_oid, index_columns.get(key_count..).unwrap_or_default())?
            }
            None => Vec::new(),
        };
        let kind: String = get(row, "kind")?;
        let (_, table) = self.table(row)?;
        match kind.as_str() {
            "p" => {
                table.primary_key = Some(PrimaryKey {
                    name,
                    columns,
                    include,
                    with: key_values(get(row, "index_options")?),
                    deferrable: deferrable(row)?,
                });
            }
            "u" => table.unique_constraints.push(UniqueConstraint {
                name,
                columns,
                include,
                with: key_values(get(row, "index_options")?),
                nulls_not_distinct: get(row, "nulls_not_distinct")?,
                deferrable: deferrable(row)?,
            }),
            "c" => table.check_constraints.push(CheckConstraint {
                expression: get::<Option<String>>(row, "check_expression")?.ok_or_else(|| {
                    Error::Catalog { message: format!("check constraint {name} has no expression") }
                })?,
                name,
                no_inherit: get(row, "no_inherit")?,
                not_valid: !get::<bool>(row, "validated")?,
            }),
            "f" => table.foreign_keys.push(ForeignKey {
                columns,
                referenced_table: QualifiedName::new(
                    get::<String>(row, "referenced_schema")?,
                    get::<String>(row, "referenced_table")?,
                ),
                referenced_columns: get::<Option<Vec<String>>>(row, "referenced_column_names")?
                    .ok_or_else(|| Error::Catalog {
                        message: format!("foreign key {name} has no referenced columns"),
                    })?,
                match_type: match get::<String>(row, "match_type")?.as_str() {
                    "f" => MatchType::Full,
                    "p" => MatchType::Partial,
                    _ => MatchType::Simple,
                },
                on_delete: action(&get::<String>(row, "on_delete")?, &name)?,
                on_update: action(&get::<String>(row, "on_update")?, &name)?,
                deferrable: deferrable(row)?,
                not_valid: !get::<bool>(row, "validated")?,
                name,
            }),
            other => {
                return Err(Error::Catalog {
                    message: format!("constraint {name} of unexpected kind `{other}`"),
                })
            }
        }
        Ok(())
    }

    fn add_index(&mut self, row: &PgRow) -> Result<(), Error> {
        let table_oid = get::<Oid>(row, "table_oid")?.0;
        let name: String = get(row, "name")?;
        let method_name: String = get(row, "method")?;
        let key_count = usize::try_from(get::<i32>(row, "key_count")?).unwrap_or(0);
        let columns: Vec<i16> = get(row, "columns")?;
        let opclasses: Vec<Oid> = get(row, "opclasses")?;
        let collations: Vec<Oid> = get(row, "collations")?;
        let key_options: Vec<i16> = get(row, "key_options")?;
        let expressions: Option<Vec<Option<String>>> = get(row, "expressions")?;
        let opclass_options: Option<Vec<String>> = get(row, "opclass_options")?;
        let malformed =
            || Error::Catalog { message: format!("index {name} has fewer key entries than keys") };

        let mut targets = Vec::with_capacity(key_count);
        for (slot, attnum) in columns.iter().take(key_count).enumerate() {
            targets.push(if *attnum == 0 {
                let expression =
                    expressions.as_ref().and_then(|texts| texts.get(slot).cloned().flatten());
                IndexTarget::Expression(expression.ok_or_else(malformed)?)
            } else {
                IndexTarget::Column(self.column_name(table_oid, *attnum)?)
            });
        }
        // Only indexes whose expression keys have a collation of their own
        // come with their whole definition; read what it prints for those.
        let printed_collations: Option<Vec<bool>> = match get::<Option<String>>(row, "definition")?
        {
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
                let printed = printed_keys(&definition, &method_name, &text_refs).ok_or_else(|| {
                    Error::Catalog {
                        message: format!("cannot read the keys of index {name} from its definition: {definition}"),
                    }
                })?;
                Some(printed.iter().map(|key| key.collation).collect())
            }
        };

        let mut keys = Vec::with_capacity(key_count);
        for (slot, target) in targets.into_iter().enumerate() {
            let collation_oid = collations.get(slot).ok_or_else(malformed)?.0;
            let collation_printed = match &printed_collations {
                Some(printed) => printed[slot],
                None => {
                    let own_collation = match columns[slot] {
                        0 => DEFAULT_COLLATION,
                        attnum => self
                            .columns
                            .get(&(table_oid, attnum))
                            .map_or(0, |(_, collation)| *collation),
                    };
                    collation_oid != 0 && collation_oid != own_collation
                }
            };
            let collation =
                if collation_printed { Some(self.collation(collation_oid)?) } else { None };
            let params = key_values(
                opclass_options
                    .as_ref()
                    .and_then(|options| options.get(slot))
                    .filter(|joined| !joined.is_empty())
                    .map(|joined| joined.split('\u{1f}').map(str::to_owned).collect()),
            );
            let opclass_oid = opclasses.get(slot).ok_or_else(malformed)?.0;
            let (opclass_name, is_default) =
                self.opclasses.get(&opclass_oid).cloned().ok_or_else(|| Error::Catalog {
                    message: format!("unknown operator class {opclass_oid}"),
                })?;
            // pg_get_indexdef prints a class that has parameters or is not a
            // default one; only default classes are ever chosen by default.
            let opclass = (!is_default || !params.is_empty())
                .then_some(OperatorClass { name: opclass_name, params });
            let option = key_options.get(slot).copied().unwrap_or(0);
            keys.push(IndexKey {
                target,
                collation,
                opclass,
                descending: option & 1 != 0,
                nulls_first: option & 2 != 0,
            });
        }
        let include = self.column_names(table_oid, columns.get(key_count..).unwrap_or_default())?;

        let index = Index {
            name,
            unique: get(row, "is_unique")?,
            method: IndexMethod::from_name(&method_name),
            keys,
            include,
            predicate: get(row, "predicate")?,
            with: key_values(get::<Option<Vec<String>>>(row, "options")?),
            nulls_not_distinct: get(row, "nulls_not_distinct")?,
        };
        self.table(row)?.1.indexes.push(index);
        Ok(())
    }
}

/// The oid of the database's default collation (`pg_collation` "default"),
/// which an expression of a collatable type has unless it says otherwise.
const DEFAULT_COLLATION: u32 = 100;

fn attribute_number(row: &PgRow) -> Result<i16, Error> {
    i16::try_from(get::<i32>(row, "position")?)
        .map_err(|_| Error::Catalog { message: "attribute number out of range".to_owned() })
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

async fn fetch(
    connection: &mut PgConnection,
    name: &'static str,
    query: Query<'_>,
) -> Result<Vec<PgRow>, Error> {
    query.fetch_all(connection).await.map_err(|source| Error::Query { query: name, source })
}

fn get<'r, T>(row: &'r PgRow, column: &'static str) -> Result<T, Error>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(column)
        .map_err(|error| Error::Catalog { message: format!("column `{column}`: {error}") })
}

fn column(row: &PgRow) -> Result<Column, Error> {
    let type_schema: String = get(row, "type_schema")?;
    let type_name: String = get(row, "type_name")?;
    let type_kind: String = get(row, "type_kind")?;
    let type_modifier: i32 = get(row, "type_modifier")?;
    let element = match get::<Option<String>>(row, "type_spelling")? {
        Some(spelling) => SqlType::from_format_type(&spelling),
        None => match (VectorKind::from_type_name(&type_name), type_kind.as_str()) {
            (Some(kind), "b") => SqlType::Vector {
                kind,
                dimensions: u32::try_from(type_modifier).ok().filter(|dimensions| *dimensions > 0),
            },
            _ => SqlType::UserDefined { name: QualifiedName::new(type_schema, type_name) },
        },
    };
    let data_type = if get::<bool>(row, "is_array")? {
        let dimensions: i32 = get(row, "dimensions")?;
        SqlType::Array {
            element: Box::new(element),
            dimensions: u32::try_from(dimensions).unwrap_or(1).max(1),
        }
    } else {
        element
    };

    let name: String = get(row, "name")?;
    let mut column = Column::new(name.clone(), data_type);
    column.nullable = !get::<bool>(row, "not_null")?;
    let expression: Option<String> = get(row, "default_expression")?;
    match get::<String>(row, "generated")?.as_str() {
        "" => column.default = expression,
        _ => column.generated = expression,
    }
    column.comment = get(row, "comment")?;
    column.identity = match get::<String>(row, "identity")?.as_str() {
        "" => None,
        kind => Some(Identity {
            generation: if kind == "a" {
                IdentityGeneration::Always
            } else {
                IdentityGeneration::ByDefault
            },
            // Filled in from sequences.sql.
            sequence_name: QualifiedName::new("", ""),
            options: SequenceOptions::default(),
        }),
    };
    Ok(column)
}

fn deferrable(row: &PgRow) -> Result<Deferrable, Error> {
    Ok(match (get::<bool>(row, "deferrable")?, get::<bool>(row, "deferred")?) {
        (false, _) => Deferrable::NotDeferrable,
        (true, false) => Deferrable::InitiallyImmediate,
        (true, true) => Deferrable::InitiallyDeferred,
    })
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
