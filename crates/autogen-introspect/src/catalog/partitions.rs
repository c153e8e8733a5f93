//! Partitioned tables, partitions and table inheritance, from the rows of
//! tables.sql: a partitioned table's key (`pg_partitioned_table` and
//! `pg_get_partkeydef`), a partition's parent and bound, the parents of an
//! inheriting table. What a partition or child has from its parents
//! (cloned constraints, attached indexes, cloned triggers) is left out by
//! the queries themselves (constraints.sql, indexes.sql, triggers.sql).

use autogen_schema::{
    IndexTarget, PartitionBound, PartitionBy, PartitionKey, PartitionOf, PartitionStrategy,
    QualifiedName, Rewritten, Table,
};
use sqlx::postgres::types::Oid;
use sqlx::postgres::PgRow;

use super::Catalog;
use crate::partition_key::printed_partition_keys;
use crate::rows::get;
use crate::Error;

/// A partitioned table's key as tables.sql reads it, named once the
/// table's columns are known ([`Catalog::partition_by`]).
pub(super) struct KeyRow {
    table_oid: u32,
    /// `partstrat`
    strategy: String,
    /// `partattrs`: attribute numbers, 0 for an expression.
    columns: Vec<i16>,
    /// `partclass`
    opclasses: Vec<Oid>,
    /// `partcollation`
    collations: Vec<Oid>,
    /// `pg_get_partkeydef`
    definition: String,
}

/// Sets `table`'s parent and bound (a partition) or parents (an
/// inheriting table) from its row of tables.sql; returns its key, if it is
/// partitioned, to be read when its columns are.
pub(super) fn read(row: &PgRow, table: &mut Table) -> Result<Option<KeyRow>, Error> {
    let schemas: Vec<String> = get(row, "parent_schemas")?;
    let names: Vec<String> = get(row, "parent_names")?;
    let mut parents: Vec<QualifiedName> = schemas
        .into_iter()
        .zip(names)
        .map(|(schema, name)| QualifiedName::new(schema, name))
        .collect();
    if get::<bool>(row, "is_partition")? {
        let (Some(parent), true) = (parents.pop(), parents.is_empty()) else {
            return Err(Error::Catalog {
                message: format!("partition {} has not one parent", table.name),
            });
        };
        let printed: Option<String> = get(row, "partition_bound")?;
        let bound = match printed.as_deref() {
            Some("DEFAULT") => PartitionBound::Default,
            Some(text) if text.starts_with("FOR VALUES ") => {
                PartitionBound::Values(Rewritten::catalog(&text["FOR VALUES ".len()..]))
            }
            _ => {
                return Err(Error::Catalog {
                    message: format!(
                        "partition {} has an unexpected bound {printed:?}",
                        table.name
                    ),
                })
            }
        };
        table.partition_of = Some(PartitionOf { parent, bound });
    } else {
        table.inherits = parents;
    }
    let Some(strategy) = get::<Option<String>>(row, "partition_strategy")? else {
        return Ok(None);
    };
    let definition: Option<String> = get(row, "partition_key")?;
    Ok(Some(KeyRow {
        table_oid: get::<Oid>(row, "oid")?.0,
        strategy,
        columns: get::<Option<Vec<i16>>>(row, "partition_columns")?.unwrap_or_default(),
        opclasses: get::<Option<Vec<Oid>>>(row, "partition_opclasses")?.unwrap_or_default(),
        collations: get::<Option<Vec<Oid>>>(row, "partition_collations")?.unwrap_or_default(),
        definition: definition.unwrap_or_default(),
    }))
}

impl Catalog {
    /// Sets the key of a partitioned table, whose columns have been read:
    /// columns by name, expressions, and a collation or operator class
    /// where `pg_get_partkeydef` prints one (where it is not the key's
    /// default).
    pub(super) fn add_partition_key(&mut self, row: KeyRow) -> Result<(), Error> {
        let table_name = self.table_name(row.table_oid)?;
        let malformed = || Error::Catalog {
            message: format!(
                "cannot read the partition key of {table_name} from its definition: {}",
                row.definition
            ),
        };
        let strategy = match row.strategy.as_str() {
            "r" => PartitionStrategy::Range,
            "l" => PartitionStrategy::List,
            "h" => PartitionStrategy::Hash,
            _ => return Err(malformed()),
        };
        if row.opclasses.len() != row.columns.len() || row.collations.len() != row.columns.len() {
            return Err(malformed());
        }
        let mut column_names = Vec::with_capacity(row.columns.len());
        for attnum in &row.columns {
            column_names.push(match attnum {
                0 => None,
                attnum => Some(self.column_name(row.table_oid, *attnum)?),
            });
        }
        let quoted: Vec<Option<String>> = column_names
            .iter()
            .map(|name| name.as_deref().map(autogen_schema::quote_ident))
            .collect();
        let printed = printed_partition_keys(&row.definition, &quoted).ok_or_else(malformed)?;
        let mut keys = Vec::with_capacity(printed.len());
        for (slot, (name, printed)) in column_names.into_iter().zip(printed).enumerate() {
            let target = match (name, printed.expression) {
                (Some(name), _) => IndexTarget::Column(name),
                (None, Some(expression)) => IndexTarget::Expression(expression),
                (None, None) => return Err(malformed()),
            };
            let collation = match printed.printed.collation {
                true => Some(self.collation(row.collations[slot].0)?),
                false => None,
            };
            let opclass = match printed.printed.opclass {
                true => {
                    let oid = row.opclasses[slot].0;
                    let (name, _) = self.opclasses.get(&oid).cloned().ok_or_else(|| {
                        Error::Catalog { message: format!("unknown operator class {oid}") }
                    })?;
                    Some(name)
                }
                false => None,
            };
            keys.push(PartitionKey { target, collation, opclass });
        }
        self.table_mut(row.table_oid)?.partition_by = Some(PartitionBy { strategy, keys });
        Ok(())
    }
}
