//! Type spellings → the canonical [`SqlType`] the catalog gives.
//!
//! PostgreSQL resolves an unqualified type name in `pg_catalog` first, so a
//! name that is a built-in type is that type whatever the search path; any
//! other name is a user type (an enum, a domain) in the schema the search
//! path gives, except pgvector's three types.

use autogen_schema::{QualifiedName, SqlType, VectorKind};
use sqlparser::ast::{
    ArrayElemTypeDef, CharacterLength, DataType, ExactNumberInfo, GeometricTypeKind, Ident,
    ObjectName, TimezoneInfo,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

/// A column type as written, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnType {
    /// The type the catalog stores (`serial` is `integer`).
    pub data_type: SqlType,
    /// `Some("serial")`, `Some("bigserial")`, … when written as a serial
    /// shorthand: the column also gets an owned sequence, a `nextval`
    /// default and `NOT NULL`.
    pub serial: Option<&'static str>,
}

/// Parses a type spelling such as `varchar(80)[]` or `timestamptz`.
/// `default_schema` is where an unqualified user type lives.
pub fn parse_type(spelling: &str, default_schema: &str) -> Result<ColumnType, String> {
    let dialect = PostgreSqlDialect {};
    let tokens = crate::significant_tokens(spelling).map_err(|error| error.to_string())?;
    if crate::depth::too_deep(&tokens).is_some() {
        return Err(crate::depth::message("type"));
    }
    let mut parser = Parser::new(&dialect)
        .with_recursion_limit(crate::depth::PARSER_RECURSION_LIMIT)
        .with_tokens_with_locations(tokens);
    let data_type = parser.parse_data_type().map_err(|error| error.to_string())?;
    column_type(&data_type, &|_: &str| default_schema.to_owned())
}

/// Where an unqualified user type lives: its name → its schema.
pub type TypeSchema<'a> = &'a dyn Fn(&str) -> String;

/// Resolves a parsed type; `default_schema` says where an unqualified user
/// type (an enum, an extension's type) lives.
pub fn column_type(
    data_type: &DataType,
    default_schema: TypeSchema<'_>,
) -> Result<ColumnType, String> {
    if let DataType::Custom(name, modifiers) = data_type {
        if modifiers.is_empty() {
            if let [part] = name.0.as_slice() {
                let word = folded(part.as_ident().ok_or("a type name")?);
                let serial = match word.as_str() {
                    "serial" | "serial4" => Some(("serial", SqlType::Integer)),
                    "bigserial" | "serial8" => Some(("bigserial", SqlType::BigInt)),
                    "smallserial" | "serial2" => Some(("smallserial", SqlType::SmallInt)),
                    _ => None,
                };
                if let Some((spelling, data_type)) = serial {
                    return Ok(ColumnType { data_type, serial: Some(spelling) });
                }
            }
        }
    }
    Ok(ColumnType { data_type: sql_type(data_type, default_schema)?, serial: None })
}

fn sql_type(data_type: &DataType, default_schema: TypeSchema<'_>) -> Result<SqlType, String> {
    Ok(match data_type {
        DataType::SmallInt(_) | DataType::Int2(_) => SqlType::SmallInt,
        DataType::Int(_) | DataType::Integer(_) | DataType::Int4(_) => SqlType::Integer,
        DataType::BigInt(_) | DataType::Int8(_) => SqlType::BigInt,
        DataType::Real | DataType::Float4 => SqlType::Real,
        DataType::DoublePrecision | DataType::Float8 | DataType::Double(ExactNumberInfo::None) => {
            SqlType::DoublePrecision
        }
        // float(p): real up to 24 binary digits, double precision above.
        DataType::Float(ExactNumberInfo::Precision(precision)) if *precision <= 24 => SqlType::Real,
        DataType::Float(_) => SqlType::DoublePrecision,
        DataType::Numeric(info) | DataType::Decimal(info) | DataType::Dec(info) => numeric(info)?,
        DataType::Bool | DataType::Boolean => SqlType::Boolean,
        DataType::Text => SqlType::Text,
        DataType::Varchar(length)
        | DataType::CharacterVarying(length)
        | DataType::CharVarying(length) => SqlType::Varchar { length: character_length(length)? },
        // `char` and `character` without a length mean one character.
        DataType::Char(length) | DataType::Character(length) => {
            SqlType::Char { length: Some(character_length(length)?.unwrap_or(1)) }
        }
        DataType::Bytea => SqlType::Bytea,
        DataType::Date => SqlType::Date,
        DataType::Time(precision, zone) => {
            SqlType::Time { precision: small(*precision)?, with_time_zone: with_time_zone(zone) }
        }
        DataType::Timestamp(precision, zone) => SqlType::Timestamp {
            precision: small(*precision)?,
            with_time_zone: with_time_zone(zone),
        },
        DataType::Interval { fields, precision } => SqlType::Interval {
            fields: fields.as_ref().map(|fields| fields.to_string().to_lowercase()),
            precision: small(*precision)?,
        },
        // `bit` without a length means one bit.
        DataType::Bit(length) => SqlType::Bit { length: Some(small(*length)?.unwrap_or(1)) },
        DataType::BitVarying(length) | DataType::VarBit(length) => {
            SqlType::VarBit { length: small(*length)? }
        }
        DataType::Uuid => SqlType::Uuid,
        DataType::JSON => SqlType::Json,
        DataType::JSONB => SqlType::Jsonb,
        DataType::TsVector => SqlType::Builtin { name: "tsvector".into() },
        DataType::TsQuery => SqlType::Builtin { name: "tsquery".into() },
        DataType::Regclass => SqlType::Builtin { name: "regclass".into() },
        DataType::GeometricType(kind) => SqlType::Builtin { name: geometric(kind).into() },
        DataType::Array(element) => array(element, default_schema)?,
        DataType::Custom(name, modifiers) => custom(name, modifiers, default_schema)?,
        other => return Err(format!("type `{other}` is not a PostgreSQL type autogen knows")),
    })
}

/// `integer[]`, `integer[][]`, `integer[3]`, `integer ARRAY`: the element and
/// the number of dimensions written (sizes are ignored, as PostgreSQL does).
/// The dimensions are counted in a loop, not one call each: a type may
/// have as many as [`crate::MAX_NESTING`].
fn array(element: &ArrayElemTypeDef, default_schema: TypeSchema<'_>) -> Result<SqlType, String> {
    let mut written = 1;
    let mut inner = element_type(element)?;
    while let DataType::Array(element) = inner {
        written += 1;
        inner = element_type(element)?;
    }
    Ok(match sql_type(inner, default_schema)? {
        SqlType::Array { element, dimensions } => {
            SqlType::Array { element, dimensions: dimensions + written }
        }
        element => SqlType::Array { element: Box::new(element), dimensions: written },
    })
}

/// The element type of an array type.
fn element_type(element: &ArrayElemTypeDef) -> Result<&DataType, String> {
    match element {
        ArrayElemTypeDef::SquareBracket(inner, _) | ArrayElemTypeDef::Qualified(inner, _) => {
            Ok(inner)
        }
        ArrayElemTypeDef::AngleBracket(inner) | ArrayElemTypeDef::Parenthesis(inner) => Ok(inner),
        ArrayElemTypeDef::None => Err("an array needs an element type".to_owned()),
    }
}

fn custom(
    name: &ObjectName,
    modifiers: &[String],
    default_schema: TypeSchema<'_>,
) -> Result<SqlType, String> {
    let parts: Vec<&Ident> =
        name.0.iter().map(|part| part.as_ident().ok_or("a type name")).collect::<Result<_, _>>()?;
    let (schema, type_name) = match parts.as_slice() {
        [type_name] => (None, *type_name),
        [schema, type_name] => (Some(folded(schema)), *type_name),
        _ => return Err(format!("`{name}` is not a type name")),
    };
    let quoted = type_name.quote_style.is_some();
    let word = folded(type_name);
    let numbers: Vec<u32> = modifiers
        .iter()
        .map(|modifier| modifier.trim().parse::<u32>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("type modifiers of `{name}` must be numbers"))?;
    let single = || -> Result<Option<u32>, String> {
        match numbers.as_slice() {
            [] => Ok(None),
            [value] => Ok(Some(*value)),
            _ => Err(format!("`{name}` takes one modifier")),
        }
    };
    if let Some(kind) = VectorKind::from_type_name(&word) {
        return Ok(SqlType::Vector { kind, dimensions: single()? });
    }
    let in_catalog = schema.as_deref().is_none_or(|schema| schema == "pg_catalog");
    if in_catalog {
        let builtin = match word.as_str() {
            "char" if quoted => Some(SqlType::Builtin { name: "\"char\"".into() }),
            "bit" if quoted => Some(SqlType::Bit { length: single()? }),
            "bpchar" => Some(SqlType::Char { length: single()? }),
            "varchar" => Some(SqlType::Varchar { length: single()? }),
            "int2" => Some(SqlType::SmallInt),
            "int4" => Some(SqlType::Integer),
            "int8" => Some(SqlType::BigInt),
            "float4" => Some(SqlType::Real),
            "float8" => Some(SqlType::DoublePrecision),
            "bool" => Some(SqlType::Boolean),
            "timetz" => Some(SqlType::Time { precision: single()?, with_time_zone: true }),
            "timestamptz" => {
                Some(SqlType::Timestamp { precision: single()?, with_time_zone: true })
            }
            "varbit" => Some(SqlType::VarBit { length: single()? }),
            "json" => Some(SqlType::Json),
            "jsonb" => Some(SqlType::Jsonb),
            "uuid" => Some(SqlType::Uuid),
            "text" => Some(SqlType::Text),
            "bytea" => Some(SqlType::Bytea),
            "date" => Some(SqlType::Date),
            other if PLAIN_BUILTINS.contains(&other) && numbers.is_empty() => {
                Some(SqlType::Builtin { name: other.to_owned() })
            }
            _ => None,
        };
        if let Some(builtin) = builtin {
            return Ok(builtin);
        }
    }
    if !numbers.is_empty() {
        return Err(format!("autogen does not know the modifiers of type `{name}`"));
    }
    let schema = schema.unwrap_or_else(|| default_schema(&word));
    Ok(SqlType::UserDefined { name: QualifiedName::new(schema, word) })
}

/// Built-in types without modifiers that the model keeps by name, as
/// `format_type` spells them.
const PLAIN_BUILTINS: &[&str] = &[
    "cidr",
    "circle",
    "box",
    "datemultirange",
    "daterange",
    "inet",
    "int4multirange",
    "int4range",
    "int8multirange",
    "int8range",
    "jsonpath",
    "line",
    "lseg",
    "macaddr",
    "macaddr8",
    "money",
    "name",
    "nummultirange",
    "numrange",
    "oid",
    "path",
    "pg_lsn",
    "pg_snapshot",
    "point",
    "polygon",
    "regclass",
    "regconfig",
    "regdictionary",
    "regnamespace",
    "regoper",
    "regoperator",
    "regproc",
    "regprocedure",
    "regrole",
    "regtype",
    "tsmultirange",
    "tsquery",
    "tsrange",
    "tstzmultirange",
    "tstzrange",
    "tsvector",
    "txid_snapshot",
    "xid",
    "xid8",
    "xml",
];

/// An identifier as PostgreSQL stores it: unquoted ones are folded to lower
/// case.
pub(crate) fn folded(ident: &Ident) -> String {
    let value = if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_ascii_lowercase()
    };
    // Identifiers longer than 63 bytes are cut, as PostgreSQL does.
    autogen_schema::naming::truncate_identifier(&value).to_owned()
}

fn numeric(info: &ExactNumberInfo) -> Result<SqlType, String> {
    Ok(match info {
        ExactNumberInfo::None => SqlType::Numeric { precision: None, scale: None },
        ExactNumberInfo::Precision(precision) => {
            SqlType::Numeric { precision: small(Some(*precision))?, scale: Some(0) }
        }
        ExactNumberInfo::PrecisionAndScale(precision, scale) => SqlType::Numeric {
            precision: small(Some(*precision))?,
            scale: Some(i32::try_from(*scale).map_err(|_| "numeric scale out of range")?),
        },
    })
}

fn character_length(length: &Option<CharacterLength>) -> Result<Option<u32>, String> {
    match length {
        None => Ok(None),
        Some(CharacterLength::IntegerLength { length, .. }) => small(Some(*length)),
        Some(CharacterLength::Max) => Err("PostgreSQL has no `max` length".into()),
    }
}

fn small(value: Option<u64>) -> Result<Option<u32>, String> {
    value
        .map(|value| u32::try_from(value).map_err(|_| format!("{value} is out of range")))
        .transpose()
}

fn with_time_zone(zone: &TimezoneInfo) -> bool {
    matches!(zone, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz)
}

fn geometric(kind: &GeometricTypeKind) -> &'static str {
    match kind {
        GeometricTypeKind::Point => "point",
        GeometricTypeKind::Line => "line",
        GeometricTypeKind::LineSegment => "lseg",
        GeometricTypeKind::GeometricBox => "box",
        GeometricTypeKind::GeometricPath => "path",
        GeometricTypeKind::Polygon => "polygon",
        GeometricTypeKind::Circle => "circle",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(spelling: &str) -> String {
        parse_type(spelling, "public").unwrap().data_type.to_string()
    }

    #[test]
    fn aliases_become_the_catalogs_spelling() {
        assert_eq!(canonical("int"), "integer");
        assert_eq!(canonical("INT4"), "integer");
        assert_eq!(canonical("varchar(80)"), "character varying(80)");
        assert_eq!(canonical("char"), "character(1)");
        assert_eq!(canonical("\"char\""), "\"char\"");
        assert_eq!(canonical("timestamptz"), "timestamp with time zone");
        assert_eq!(canonical("decimal(12, 4)"), "numeric(12,4)");
        assert_eq!(canonical("float"), "double precision");
        assert_eq!(canonical("float(24)"), "real");
        assert_eq!(canonical("bit"), "bit(1)");
        assert_eq!(canonical("integer[][]"), "integer[][]");
        assert_eq!(canonical("Mood"), "public.mood");
        assert_eq!(canonical("app.\"Mood\"[]"), "app.\"Mood\"[]");
        assert_eq!(canonical("vector(3)"), "vector(3)");
    }

    #[test]
    fn serial_shorthands_are_recognised() {
        let serial = parse_type("bigserial", "public").unwrap();
        assert_eq!(serial, ColumnType { data_type: SqlType::BigInt, serial: Some("bigserial") });
        assert_eq!(parse_type("serial4", "public").unwrap().serial, Some("serial"));
    }

    #[test]
    fn nonsense_is_an_error_not_a_panic() {
        assert!(parse_type("varchar(max)", "public").is_err());
        assert!(parse_type("mood(3)", "public").is_err());
        assert!(parse_type("", "public").is_err());
    }
}
