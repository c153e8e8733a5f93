//! Column types: every built-in scalar with its modifiers, arrays, user types
//! by qualified name, and pgvector's types, spelled as `format_type` spells
//! them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ident::QualifiedName;

/// A column's data type in canonical form. `Display` prints the spelling
/// PostgreSQL's `format_type()` prints, which is also valid DDL (user types
/// come out schema-qualified).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "type")]
pub enum SqlType {
    /// `smallint` (`int2`)
    SmallInt,
    /// `integer` (`int`, `int4`)
    Integer,
    /// `bigint` (`int8`)
    BigInt,
    /// `real` (`float4`)
    Real,
    /// `double precision` (`float8`, `float`)
    #[serde(rename = "double_precision")]
    DoublePrecision,
    /// `numeric[(precision[, scale])]`; `numeric(p)` is stored as `numeric(p,0)`.
    Numeric { precision: Option<u32>, scale: Option<i32> },
    /// `boolean` (`bool`)
    Boolean,
    /// `text`
    Text,
    /// `character varying[(n)]` (`varchar`)
    Varchar { length: Option<u32> },
    /// `character(n)` (`char(n)`); without a length in DDL it means `character(1)`.
    /// `length: None` is the length-less `bpchar`.
    Char { length: Option<u32> },
    /// `bytea`
    Bytea,
    /// `date`
    Date,
    /// `time[(p)] with[out] time zone` (`timetz`)
    Time { precision: Option<u32>, with_time_zone: bool },
    /// `timestamp[(p)] with[out] time zone` (`timestamptz`)
    Timestamp { precision: Option<u32>, with_time_zone: bool },
    /// `interval [fields] [(p)]`; `fields` in lower case (`day to second`).
    Interval { fields: Option<String>, precision: Option<u32> },
    /// `bit[(n)]`; without a length in DDL it means `bit(1)`.
    Bit { length: Option<u32> },
    /// `bit varying[(n)]` (`varbit`)
    VarBit { length: Option<u32> },
    /// `uuid`
    Uuid,
    /// `json`
    Json,
    /// `jsonb`
    Jsonb,
    /// pgvector's `vector[(n)]`, `halfvec[(n)]`, `sparsevec[(n)]`.
    Vector { kind: VectorKind, dimensions: Option<u32> },
    /// An array of `element`. `dimensions` is the number of `[]` declared
    /// (`pg_attribute.attndims`); PostgreSQL records but does not enforce it.
    Array { element: Box<SqlType>, dimensions: u32 },
    /// A type defined in the database (an enum, a domain, an extension's type
    /// other than pgvector's), by qualified name.
    #[serde(rename = "user_defined")]
    UserDefined { name: QualifiedName },
    /// Any other built-in type of `pg_catalog`, by its `format_type` spelling
    /// (`inet`, `money`, `tsvector`, `int4range`, `"char"`, …).
    Builtin { name: String },
}

/// The three vector types pgvector defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VectorKind {
    /// `vector`: single-precision floats, up to 16,000 dimensions.
    Vector,
    /// `halfvec`: half-precision floats, up to 16,000 dimensions.
    HalfVec,
    /// `sparsevec`: sparse, up to 1,000,000,000 dimensions.
    SparseVec,
}

impl VectorKind {
    /// The type's name as pgvector creates it.
    pub fn type_name(self) -> &'static str {
        match self {
            VectorKind::Vector => "vector",
            VectorKind::HalfVec => "halfvec",
            VectorKind::SparseVec => "sparsevec",
        }
    }

    /// The kind whose type is called `name`, if any.
    pub fn from_type_name(name: &str) -> Option<Self> {
        match name {
            "vector" => Some(VectorKind::Vector),
            "halfvec" => Some(VectorKind::HalfVec),
            "sparsevec" => Some(VectorKind::SparseVec),
            _ => None,
        }
    }
}

impl SqlType {
    /// Parses a `pg_catalog` type as `format_type(oid, typmod)` prints it
    /// (`character varying(80)`, `timestamp(3) with time zone`,
    /// `interval day to second(3)`, `numeric(10,2)`, …). Names it does not
    /// know become [`SqlType::Builtin`]. Array suffixes are not handled here.
    pub fn from_format_type(spelling: &str) -> SqlType {
        let spelling = spelling.trim();
        let (base, modifiers) = split_modifiers(spelling);
        let first = modifiers.first().copied();
        match base.as_str() {
            "smallint" => SqlType::SmallInt,
            "integer" => SqlType::Integer,
            "bigint" => SqlType::BigInt,
            "real" => SqlType::Real,
            "double precision" => SqlType::DoublePrecision,
            "numeric" => SqlType::Numeric {
                precision: first.map(|value| value as u32),
                scale: first.map(|_| modifiers.get(1).copied().unwrap_or(0)),
            },
            "boolean" => SqlType::Boolean,
            "text" => SqlType::Text,
            "character varying" => SqlType::Varchar { length: first.map(|value| value as u32) },
            "character" => SqlType::Char { length: first.map(|value| value as u32) },
            "bpchar" => SqlType::Char { length: None },
            "bytea" => SqlType::Bytea,
            "date" => SqlType::Date,
            "time without time zone" | "time with time zone" => SqlType::Time {
                precision: first.map(|value| value as u32),
                with_time_zone: base.ends_with("with time zone"),
            },
            "timestamp without time zone" | "timestamp with time zone" => SqlType::Timestamp {
                precision: first.map(|value| value as u32),
                with_time_zone: base.ends_with("with time zone"),
            },
            "bit" => SqlType::Bit { length: first.map(|value| value as u32) },
            "bit varying" => SqlType::VarBit { length: first.map(|value| value as u32) },
            "uuid" => SqlType::Uuid,
            "json" => SqlType::Json,
            "jsonb" => SqlType::Jsonb,
            interval if interval == "interval" || interval.starts_with("interval ") => {
                let fields = interval.strip_prefix("interval ").map(str::to_owned);
                SqlType::Interval { fields, precision: first.map(|value| value as u32) }
            }
            _ => SqlType::Builtin { name: spelling.to_owned() },
        }
    }

    /// The element type of an array, or the type itself.
    pub fn element(&self) -> &SqlType {
        match self {
            SqlType::Array { element, .. } => element,
            other => other,
        }
    }

    /// A user-defined type `old` (or an array of it) made `new`; any other
    /// type stays.
    pub fn rename_type(&mut self, old: &QualifiedName, new: &QualifiedName) {
        let element = match self {
            SqlType::Array { element, .. } => element.as_mut(),
            other => other,
        };
        if let SqlType::UserDefined { name } = element {
            if name == old {
                *name = new.clone();
            }
        }
    }

    /// The qualified name of the user-defined type this type (or its array
    /// element) refers to.
    pub fn user_type(&self) -> Option<&QualifiedName> {
        match self.element() {
            SqlType::UserDefined { name } => Some(name),
            _ => None,
        }
    }

    /// Whether this is one of the integer types a `serial` can stand for.
    pub fn serial_spelling(&self) -> Option<&'static str> {
        match self {
            SqlType::SmallInt => Some("smallserial"),
            SqlType::Integer => Some("serial"),
            SqlType::BigInt => Some("bigserial"),
            _ => None,
        }
    }

    /// The smallest and largest value of an integer type (the bounds of a
    /// sequence of that type).
    pub fn integer_bounds(&self) -> Option<(i64, i64)> {
        match self {
            SqlType::SmallInt => Some((i16::MIN.into(), i16::MAX.into())),
            SqlType::Integer => Some((i32::MIN.into(), i32::MAX.into())),
            SqlType::BigInt => Some((i64::MIN, i64::MAX)),
            _ => None,
        }
    }
}

/// Splits `timestamp(3) with time zone` into (`timestamp with time zone`,
/// `[3]`) and `numeric(10,2)` into (`numeric`, `[10, 2]`).
fn split_modifiers(spelling: &str) -> (String, Vec<i32>) {
    let Some(open) = spelling.find('(') else {
        return (spelling.to_owned(), Vec::new());
    };
    let Some(close_offset) = spelling[open..].find(')') else {
        return (spelling.to_owned(), Vec::new());
    };
    let close = open + close_offset;
    let inside = &spelling[open + 1..close];
    let parsed: Option<Vec<i32>> =
        inside.split(',').map(|part| part.trim().parse::<i32>().ok()).collect();
    let Some(modifiers) = parsed else {
        return (spelling.to_owned(), Vec::new());
    };
    let before = spelling[..open].trim_end();
    let after = spelling[close + 1..].trim_start();
    let base = if after.is_empty() { before.to_owned() } else { format!("{before} {after}") };
    (base, modifiers)
}

fn write_length(
    formatter: &mut fmt::Formatter<'_>,
    name: &str,
    length: Option<u32>,
) -> fmt::Result {
    match length {
        Some(length) => write!(formatter, "{name}({length})"),
        None => formatter.write_str(name),
    }
}

fn write_zoned(
    formatter: &mut fmt::Formatter<'_>,
    name: &str,
    precision: Option<u32>,
    with_time_zone: bool,
) -> fmt::Result {
    write_length(formatter, name, precision)?;
    formatter.write_str(if with_time_zone { " with time zone" } else { " without time zone" })
}

impl fmt::Display for SqlType {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlType::SmallInt => formatter.write_str("smallint"),
            SqlType::Integer => formatter.write_str("integer"),
            SqlType::BigInt => formatter.write_str("bigint"),
            SqlType::Real => formatter.write_str("real"),
            SqlType::DoublePrecision => formatter.write_str("double precision"),
            SqlType::Numeric { precision: Some(precision), scale } => {
                write!(formatter, "numeric({precision},{})", scale.unwrap_or(0))
            }
            SqlType::Numeric { precision: None, .. } => formatter.write_str("numeric"),
            SqlType::Boolean => formatter.write_str("boolean"),
            SqlType::Text => formatter.write_str("text"),
            SqlType::Varchar { length } => write_length(formatter, "character varying", *length),
            SqlType::Char { length: None } => formatter.write_str("bpchar"),
            SqlType::Char { length } => write_length(formatter, "character", *length),
            SqlType::Bytea => formatter.write_str("bytea"),
            SqlType::Date => formatter.write_str("date"),
            SqlType::Time { precision, with_time_zone } => {
                write_zoned(formatter, "time", *precision, *with_time_zone)
            }
            SqlType::Timestamp { precision, with_time_zone } => {
                write_zoned(formatter, "timestamp", *precision, *with_time_zone)
            }
            SqlType::Interval { fields, precision } => {
                formatter.write_str("interval")?;
                if let Some(fields) = fields {
                    write!(formatter, " {fields}")?;
                }
                if let Some(precision) = precision {
                    write!(formatter, "({precision})")?;
                }
                Ok(())
            }
            SqlType::Bit { length } => write_length(formatter, "bit", *length),
            SqlType::VarBit { length } => write_length(formatter, "bit varying", *length),
            SqlType::Uuid => formatter.write_str("uuid"),
            SqlType::Json => formatter.write_str("json"),
            SqlType::Jsonb => formatter.write_str("jsonb"),
            SqlType::Vector { kind, dimensions } => {
                write_length(formatter, kind.type_name(), *dimensions)
            }
            SqlType::Array { element, dimensions } => {
                write!(formatter, "{element}")?;
                for _ in 0..(*dimensions).max(1) {
                    formatter.write_str("[]")?;
                }
                Ok(())
            }
            SqlType::UserDefined { name } => write!(formatter, "{name}"),
            SqlType::Builtin { name } => formatter.write_str(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(spelling: &str) -> String {
        SqlType::from_format_type(spelling).to_string()
    }

    #[test]
    fn format_type_spellings_round_trip() {
        for spelling in [
            "smallint",
            "integer",
            "bigint",
            "real",
            "double precision",
            "numeric",
            "numeric(10,2)",
            "numeric(5,0)",
            "numeric(3,-2)",
            "boolean",
            "text",
            "character varying",
            "character varying(80)",
            "character(3)",
            "bpchar",
            "bytea",
            "date",
            "time without time zone",
            "time(3) without time zone",
            "time with time zone",
            "timestamp(0) with time zone",
            "timestamp without time zone",
            "interval",
            "interval year to month",
            "interval day to second(3)",
            "interval(2)",
            "bit(8)",
            "bit varying",
            "bit varying(16)",
            "uuid",
            "json",
            "jsonb",
            "inet",
            "\"char\"",
            "int4range",
        ] {
            assert_eq!(round_trip(spelling), spelling);
        }
    }

    #[test]
    fn modifiers_are_parsed_into_fields() {
        assert_eq!(
            SqlType::from_format_type("timestamp(3) with time zone"),
            SqlType::Timestamp { precision: Some(3), with_time_zone: true }
        );
        assert_eq!(
            SqlType::from_format_type("interval day to second(3)"),
            SqlType::Interval { fields: Some("day to second".into()), precision: Some(3) }
        );
        assert_eq!(
            SqlType::from_format_type("numeric(10,2)"),
            SqlType::Numeric { precision: Some(10), scale: Some(2) }
        );
        assert_eq!(SqlType::from_format_type("money"), SqlType::Builtin { name: "money".into() });
    }

    #[test]
    fn arrays_and_vectors_display_like_format_type() {
        let array = SqlType::Array {
            element: Box::new(SqlType::Varchar { length: Some(20) }),
            dimensions: 2,
        };
        assert_eq!(array.to_string(), "character varying(20)[][]");
        let vector = SqlType::Vector { kind: VectorKind::HalfVec, dimensions: Some(384) };
        assert_eq!(vector.to_string(), "halfvec(384)");
        let mood = SqlType::UserDefined { name: QualifiedName::new("app", "Mood") };
        assert_eq!(mood.to_string(), "app.\"Mood\"");
    }
}
