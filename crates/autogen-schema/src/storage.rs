//! What PostgreSQL decides about a table's storage from its column types,
//! for the sources that must decide it as PostgreSQL does (SQL files, Rust
//! models): a type's default storage (`typstorage`, which a column's
//! `SET STORAGE` is compared with) and whether a table has a TOAST table
//! (which keeps the `toast.` storage parameters; without one PostgreSQL
//! drops them without a word).
//!
//! The catalog reader needs none of this: it reads `typstorage` and the
//! TOAST table itself.

use std::collections::BTreeMap;

use crate::ident::QualifiedName;
use crate::model::{EnumType, Storage, Table};
use crate::types::SqlType;

/// How a type is laid out in a row: what `needs_toast_table` adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `typlen > 0`: so many bytes, aligned to `align`.
    Fixed { length: u32, align: u32 },
    /// `typlen = -1`: a varlena, at most `max` bytes when the type and
    /// modifier bound it (`type_maximum_size`).
    Varlena { max: Option<u32>, align: u32 },
}

/// A type's `typstorage` and layout, when known: every built-in type of
/// `pg_catalog` a column is likely to have, arrays, enums (`enums`) and
/// pgvector's types. `None` for other types (a domain, another
/// extension's type). Maximum lengths are `type_maximum_size`'s:
/// `varchar(n)` and `character(n)` count four bytes a character, as in a
/// UTF-8 database, `numeric(p, s)` its digits, `bit(n)` its bytes.
pub fn type_storage(
    data_type: &SqlType,
    enums: &BTreeMap<QualifiedName, EnumType>,
) -> Option<(Storage, Layout)> {
    use Storage::{Extended, External, Main, Plain};
    let fixed = |length: u32, align: u32| Some((Plain, Layout::Fixed { length, align }));
    let varlena =
        |storage: Storage, max: Option<u32>| Some((storage, Layout::Varlena { max, align: 4 }));
    match data_type {
        SqlType::SmallInt => fixed(2, 2),
        SqlType::Integer | SqlType::Real | SqlType::Date => fixed(4, 4),
        SqlType::BigInt | SqlType::DoublePrecision | SqlType::Timestamp { .. } => fixed(8, 8),
        SqlType::Time { with_time_zone: false, .. } => fixed(8, 8),
        SqlType::Time { with_time_zone: true, .. } => fixed(12, 8),
        SqlType::Interval { .. } => fixed(16, 8),
        SqlType::Boolean => fixed(1, 1),
        SqlType::Uuid => fixed(16, 1),
        // numeric_maximum_size: a header and the digits of the precision.
        SqlType::Numeric { precision, .. } => {
            varlena(Main, precision.map(|precision| 8 + 2 * ((precision + 6) / 4)))
        }
        SqlType::Text | SqlType::Bytea | SqlType::Json | SqlType::Jsonb => varlena(Extended, None),
        SqlType::Varchar { length } | SqlType::Char { length } => {
            varlena(Extended, length.map(|length| length.saturating_mul(4).saturating_add(4)))
        }
        SqlType::Bit { length } | SqlType::VarBit { length } => {
            varlena(Extended, length.map(|length| length.div_ceil(8).saturating_add(8)))
        }
        SqlType::Vector { .. } => varlena(External, None),
        SqlType::Array { .. } => varlena(Extended, None),
        SqlType::UserDefined { name } if enums.contains_key(name) => fixed(4, 4),
        SqlType::UserDefined { .. } => None,
        SqlType::Builtin { name } => builtin_storage(name),
    }
}

/// `typstorage` and layout of the other types of `pg_catalog`, by
/// `format_type` spelling.
fn builtin_storage(name: &str) -> Option<(Storage, Layout)> {
    use Storage::{Extended, Main, Plain};
    let fixed = |length: u32, align: u32| Some((Plain, Layout::Fixed { length, align }));
    let varlena =
        |storage: Storage, align: u32| Some((storage, Layout::Varlena { max: None, align }));
    match name {
        "\"char\"" => fixed(1, 1),
        "tid" => fixed(6, 2),
        "macaddr" => fixed(6, 4),
        "oid" | "xid" | "cid" | "regclass" | "regtype" | "regproc" | "regprocedure" | "regoper"
        | "regoperator" | "regconfig" | "regdictionary" | "regnamespace" | "regrole"
        | "regcollation" => fixed(4, 4),
        "macaddr8" => fixed(8, 4),
        "money" | "pg_lsn" | "xid8" => fixed(8, 8),
        "point" => fixed(16, 8),
        "line" | "circle" => fixed(24, 8),
        "lseg" | "box" => fixed(32, 8),
        "name" => fixed(64, 1),
        "inet" | "cidr" => varlena(Main, 4),
        "tsquery" | "int2vector" | "oidvector" => varlena(Plain, 4),
        "tsvector" | "xml" | "jsonpath" | "refcursor" | "int4range" | "numrange" | "daterange"
        | "int4multirange" | "nummultirange" | "datemultirange" => varlena(Extended, 4),
        "path" | "polygon" | "int8range" | "tsrange" | "tstzrange" | "int8multirange"
        | "tsmultirange" | "tstzmultirange" | "txid_snapshot" | "pg_snapshot" => {
            varlena(Extended, 8)
        }
        _ => None,
    }
}

/// `TOAST_TUPLE_THRESHOLD` for 8 kB pages: rows that may grow past it
/// need a TOAST table.
const TOAST_TUPLE_THRESHOLD: u32 = 2032;

/// `heapam_relation_needs_toast_table`: whether PostgreSQL gives the
/// table a TOAST table — a column of a varlena type kept other than
/// `PLAIN`, and rows that may grow past the threshold (any varlena with
/// no maximum length does). A type of unknown layout counts as an
/// unbounded varlena.
pub fn needs_toast_table(table: &Table, enums: &BTreeMap<QualifiedName, EnumType>) -> bool {
    let align = |length: u32, align: u32| length.div_ceil(align) * align;
    let mut data_length: u32 = 0;
    let mut unbounded = false;
    let mut toastable = false;
    for column in &table.columns {
        match type_storage(&column.data_type, enums) {
            Some((_, Layout::Fixed { length, align: alignment })) => {
                data_length = align(data_length, alignment).saturating_add(length);
            }
            Some((storage, Layout::Varlena { max, align: alignment })) => {
                data_length = align(data_length, alignment);
                match max {
                    Some(max) => data_length = data_length.saturating_add(max),
                    None => unbounded = true,
                }
                toastable |= column.storage.unwrap_or(storage) != Storage::Plain;
            }
            None => {
                unbounded = true;
                toastable |= column.storage != Some(Storage::Plain);
            }
        }
    }
    if !toastable {
        return false;
    }
    if unbounded {
        return true;
    }
    // MAXALIGN(SizeofHeapTupleHeader + BITMAPLEN(natts)) + MAXALIGN(data)
    let columns = u32::try_from(table.columns.len()).unwrap_or(u32::MAX);
    let header = align(23 + columns.div_ceil(8), 8);
    header.saturating_add(align(data_length, 8)) > TOAST_TUPLE_THRESHOLD
}

/// Whether the table has a TOAST table, as far as the model can tell:
/// one it needs, or one its `toast.` storage parameters show it has (a
/// TOAST table stays when the columns that needed it are dropped).
pub fn has_toast_table(table: &Table, enums: &BTreeMap<QualifiedName, EnumType>) -> bool {
    !table.toast_with.is_empty() || needs_toast_table(table, enums)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Column;

    fn table(columns: &[SqlType]) -> Table {
        let mut table = Table::new(QualifiedName::new("public", "t"));
        for (position, data_type) in columns.iter().enumerate() {
            table.columns.push(Column::new(format!("c{position}"), data_type.clone()));
        }
        table
    }

    #[test]
    fn a_toast_table_comes_with_unbounded_or_long_varlena_columns() {
        let enums = BTreeMap::new();
        assert!(!needs_toast_table(&table(&[SqlType::Integer, SqlType::Boolean]), &enums));
        assert!(needs_toast_table(&table(&[SqlType::Integer, SqlType::Text]), &enums));
        let numeric = |precision| SqlType::Numeric { precision, scale: None };
        assert!(needs_toast_table(&table(&[numeric(None)]), &enums));
        assert!(!needs_toast_table(&table(&[numeric(Some(10))]), &enums));
        // 501 characters fill the 2032 bytes exactly; 502 do not fit.
        let varchar = |length| SqlType::Varchar { length: Some(length) };
        assert!(!needs_toast_table(&table(&[SqlType::Integer, varchar(80)]), &enums));
        assert!(!needs_toast_table(&table(&[varchar(501)]), &enums));
        assert!(needs_toast_table(&table(&[varchar(502)]), &enums));
        let mut plain = table(&[SqlType::Text]);
        plain.columns[0].storage = Some(Storage::Plain);
        assert!(!needs_toast_table(&plain, &enums));
    }
}
