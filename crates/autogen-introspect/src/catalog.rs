//! The catalog queries and the assembly of their rows into a [`Schema`].

use std::collections::BTreeMap;

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
const CONSTRAINTS: &str = include_str!("queries/constraints.sql");
const INDEXES: &str = include_str!("queries/indexes.sql");
const UNMODELED: &str = include_str!("queries/unmodeled.sql");

pub(crate) async fn read(
    connection: &mut PgConnection,
    options: &Options,
) -> Result<Introspection, Error> {
    sqlx::query("SET search_path = public")
        .execute(&mut *connection)
        .await
        .map_err(|source| Error::Query { query: "SET search_path", source })?;

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

    let mut tables: BTreeMap<u32, Table> = BTreeMap::new();
    for row in fetch(connection, "tables.sql", sqlx::query(TABLES).bind(&namespace_oids)).await? {
        let name = QualifiedName::new(get::<String>(&row, "schema")?, get::<String>(&row, "name")?);
        let mut table = Table::new(name);
        table.comment = get(&row, "comment")?;
        tables.insert(get::<Oid>(&row, "oid")?.0, table);
    }
    let table_oids: Vec<Oid> = tables.keys().copied().map(Oid).collect();

    for row in fetch(connection, "columns.sql", sqlx::query(COLUMNS).bind(&table_oids)).await? {
        let table = table_for(&mut tables, &row)?;
        table.columns.push(column(&row)?);
    }
    for row in
        fetch(connection, "constraints.sql", sqlx::query(CONSTRAINTS).bind(&table_oids)).await?
    {
        let table = table_for(&mut tables, &row)?;
        add_constraint(table, &row)?;
    }
    let index_rows =
        fetch(connection, "indexes.sql", sqlx::query(INDEXES).bind(&table_oids)).await?;
    add_indexes(&mut tables, &index_rows)?;

    for (_, mut table) in tables {
        table.sort();
        schema.add_table(table);
    }

    let mut unmodeled = Vec::new();
    for row in
        fetch(connection, "unmodeled.sql", sqlx::query(UNMODELED).bind(&namespace_oids)).await?
    {
        unmodeled.push(Unmodeled {
            kind: get(&row, "kind")?,
            schema: get(&row, "schema")?,
            name: get(&row, "name")?,
        });
    }
    unmodeled.sort();
    unmodeled.dedup();

    Ok(Introspection { schema, unmodeled })
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

fn table_for<'t>(
    tables: &'t mut BTreeMap<u32, Table>,
    row: &PgRow,
) -> Result<&'t mut Table, Error> {
    let oid: Oid = get(row, "table_oid")?;
    tables
        .get_mut(&oid.0)
        .ok_or_else(|| Error::Catalog { message: format!("a row for unknown table oid {}", oid.0) })
}

fn column(row: &PgRow) -> Result<Column, Error> {
    let type_schema: String = get(row, "type_schema")?;
    let type_name: String = get(row, "type_name")?;
    let type_kind: String = get(row, "type_kind")?;
    let type_modifier: i32 = get(row, "type_modifier")?;
    let element = if type_schema == "pg_catalog" {
        SqlType::from_format_type(&get::<String>(row, "type_spelling")?)
    } else if let (Some(kind), "b") = (VectorKind::from_type_name(&type_name), type_kind.as_str()) {
        SqlType::Vector {
            kind,
            dimensions: u32::try_from(type_modifier).ok().filter(|dimensions| *dimensions > 0),
        }
    } else {
        SqlType::UserDefined { name: QualifiedName::new(type_schema, type_name) }
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

    let mut column = Column::new(get::<String>(row, "name")?, data_type);
    column.nullable = !get::<bool>(row, "not_null")?;
    let expression: Option<String> = get(row, "default_expression")?;
    match get::<String>(row, "generated")?.as_str() {
        "" => column.default = expression,
        _ => column.generated = expression,
    }
    if let Some(collation_name) = get::<Option<String>>(row, "collation_name")? {
        let collation_schema: Option<String> = get(row, "collation_schema")?;
        column.collation =
            Some(QualifiedName::new(collation_schema.unwrap_or_default(), collation_name));
    }
    column.comment = get(row, "comment")?;

    let sequence_dependency: Option<String> = get(row, "sequence_dependency")?;
    let sequence = match sequence_dependency {
        Some(_) => Some(sequence(row)?),
        None => None,
    };
    let identity: String = get(row, "identity")?;
    match (identity.as_str(), sequence_dependency.as_deref(), sequence) {
        ("a" | "d", Some("i"), Some((name, _, options))) => {
            let generation = if identity == "a" {
                IdentityGeneration::Always
            } else {
                IdentityGeneration::ByDefault
            };
            column.identity = Some(Identity { generation, sequence_name: name, options });
        }
        ("", Some("a"), Some((name, data_type, options))) => {
            column.owned_sequence = Some(OwnedSequence { name, data_type, options });
        }
        ("", None, None) => {}
        (identity, dependency, _) => {
            return Err(Error::Catalog {
                message: format!(
                    "column {} has identity `{identity}` and a sequence dependency {dependency:?}",
                    column.name
                ),
            })
        }
    }
    Ok(column)
}

fn sequence(row: &PgRow) -> Result<(QualifiedName, SqlType, SequenceOptions), Error> {
    let name = QualifiedName::new(
        get::<String>(row, "sequence_schema")?,
        get::<String>(row, "sequence_name")?,
    );
    let data_type = SqlType::from_format_type(&get::<String>(row, "sequence_type")?);
    let options = SequenceOptions::from_catalog(
        &data_type,
        get(row, "sequence_start")?,
        get(row, "sequence_increment")?,
        get(row, "sequence_min")?,
        get(row, "sequence_max")?,
        get(row, "sequence_cache")?,
        get(row, "sequence_cycle")?,
    );
    Ok((name, data_type, options))
}

fn deferrable(row: &PgRow) -> Result<Deferrable, Error> {
    Ok(match (get::<bool>(row, "deferrable")?, get::<bool>(row, "deferred")?) {
        (false, _) => Deferrable::NotDeferrable,
        (true, false) => Deferrable::InitiallyImmediate,
        (true, true) => Deferrable::InitiallyDeferred,
    })
}

fn add_constraint(table: &mut Table, row: &PgRow) -> Result<(), Error> {
    let name: String = get(row, "name")?;
    let columns: Vec<String> = get(row, "columns")?;
    match get::<String>(row, "kind")?.as_str() {
        "p" => {
            table.primary_key = Some(PrimaryKey {
                name,
                columns,
                include: get(row, "include_columns")?,
                with: key_values(get(row, "index_options")?),
                deferrable: deferrable(row)?,
            });
        }
        "u" => table.unique_constraints.push(UniqueConstraint {
            name,
            columns,
            include: get(row, "include_columns")?,
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
            referenced_columns: get(row, "referenced_columns")?,
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

/// Groups the one-row-per-index-column result into indexes.
fn add_indexes(tables: &mut BTreeMap<u32, Table>, rows: &[PgRow]) -> Result<(), Error> {
    let mut start = 0;
    while start < rows.len() {
        let table_oid: Oid = get(&rows[start], "table_oid")?;
        let name: String = get(&rows[start], "name")?;
        let mut end = start + 1;
        while end < rows.len()
            && get::<Oid>(&rows[end], "table_oid")? == table_oid
            && get::<String>(&rows[end], "name")? == name
        {
            end += 1;
        }
        let index = index(&rows[start..end])?;
        let table = table_for(tables, &rows[start])?;
        table.indexes.push(index);
        start = end;
    }
    Ok(())
}

fn index(rows: &[PgRow]) -> Result<Index, Error> {
    let first = &rows[0];
    let name: String = get(first, "name")?;
    let method_name: String = get(first, "method")?;
    let key_count = usize::try_from(get::<i32>(first, "key_count")?).unwrap_or(0);
    let definition: String = get(first, "definition")?;
    let key_texts: Vec<String> = rows
        .iter()
        .take(key_count)
        .map(|row| get(row, "key_definition"))
        .collect::<Result<_, _>>()?;
    let key_text_refs: Vec<&str> = key_texts.iter().map(String::as_str).collect();
    let printed =
        printed_keys(&definition, &method_name, &key_text_refs).ok_or_else(|| Error::Catalog {
            message: format!(
                "cannot read the keys of index {name} from its definition: {definition}"
            ),
        })?;

    let mut keys = Vec::with_capacity(key_count);
    let mut include = Vec::new();
    for (position, row) in rows.iter().enumerate() {
        let column_number: i32 = get(row, "column_number")?;
        let column_name: Option<String> = get(row, "column_name")?;
        if position >= key_count {
            include.push(column_name.ok_or_else(|| Error::Catalog {
                message: format!("index {name} includes a column that does not exist"),
            })?);
            continue;
        }
        let target = match (column_number, column_name) {
            (0, _) | (_, None) => IndexTarget::Expression(key_texts[position].clone()),
            (_, Some(column)) => IndexTarget::Column(column),
        };
        let option: i32 = get(row, "key_option")?;
        let descending = option & 1 != 0;
        let nulls_first = option & 2 != 0;
        let collation =
            match (printed[position].collation, get::<Option<String>>(row, "collation_name")?) {
                (true, Some(collation)) => Some(QualifiedName::new(
                    get::<Option<String>>(row, "collation_schema")?.unwrap_or_default(),
                    collation,
                )),
                _ => None,
            };
        let opclass = match (printed[position].opclass, get::<Option<String>>(row, "opclass_name")?)
        {
            (true, Some(opclass)) => Some(OperatorClass {
                name: QualifiedName::new(
                    get::<Option<String>>(row, "opclass_schema")?.unwrap_or_default(),
                    opclass,
                ),
                params: key_values(get::<Option<Vec<String>>>(row, "opclass_options")?),
            }),
            _ => None,
        };
        keys.push(IndexKey { target, collation, opclass, descending, nulls_first });
    }

    Ok(Index {
        name,
        unique: get(first, "is_unique")?,
        method: IndexMethod::from_name(&method_name),
        keys,
        include,
        predicate: get(first, "predicate")?,
        with: key_values(get::<Option<Vec<String>>>(first, "options")?),
        nulls_not_distinct: get(first, "nulls_not_distinct")?,
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
