//! Rust types → column types, domains' base types and composites'
//! attribute types (docs/dsl.md has the table). A type is known
//! by its last path segment, so `chrono::DateTime<Utc>`, `DateTime<Utc>`
//! and `sqlx::types::chrono::DateTime<Utc>` are one type; `Option<T>` makes
//! the column nullable, `Vec<T>` an array (`Vec<u8>` is `bytea`).

use crate::def::{FieldDef, RustType};

/// The column type of a field and whether it is nullable; `named` maps the
/// Rust names of the declared types (`PgEnum`, `PgDomain`, `PgComposite`)
/// to their SQL names.
pub fn column_type(field: &FieldDef, named: &[(String, String)]) -> Result<(String, bool), String> {
    type_of(&field.rust_name, &field.rust_type, field.sql_type.as_deref(), field.dimension, named)
}

/// The SQL type of `rust_type` (written for `owner`, which messages name)
/// and whether it is nullable (`Option<T>`): `sql_type` when given,
/// otherwise the type table, then the declared types of `named`. A
/// domain's base type and a composite's attribute types are read here too.
pub fn type_of(
    owner: &str,
    rust_type: &RustType,
    sql_type: Option<&str>,
    dimension: Option<u32>,
    named: &[(String, String)],
) -> Result<(String, bool), String> {
    let (inner, nullable) = match rust_type {
        RustType::Option(inner) => (inner.as_ref(), true),
        other => (other, false),
    };
    if let Some(sql_type) = sql_type {
        return Ok((sql_type.to_owned(), nullable));
    }
    let wanted = Wanted { owner, dimension, named };
    Ok((self::sql_type(inner, &wanted)?, nullable))
}

/// What a type is read for: whose it is (for messages), the dimension a
/// pgvector type may take from an attribute, and the declared types.
struct Wanted<'a> {
    owner: &'a str,
    dimension: Option<u32>,
    named: &'a [(String, String)],
}

fn sql_type(rust_type: &RustType, wanted: &Wanted<'_>) -> Result<String, String> {
    match rust_type {
        RustType::Option(_) => Err(format!(
            "`{}`: Option<Option<…>> has no column type; give #[autogen(sql_type = \"…\")]",
            wanted.owner
        )),
        RustType::Vec(element) => match element.as_ref() {
            RustType::Path { name, .. } if name == "u8" => Ok("bytea".to_owned()),
            element => Ok(format!("{}[]", sql_type(element, wanted)?)),
        },
        RustType::Path { name, path, constant, .. } => {
            let scalar = match name.as_str() {
                "i16" => "smallint",
                "i32" => "integer",
                "i64" => "bigint",
                "f32" => "real",
                "f64" => "double precision",
                "bool" => "boolean",
                "String" | "str" => "text",
                "Uuid" => "uuid",
                "NaiveDate" | "Date" => "date",
                "NaiveTime" | "Time" => "time",
                "NaiveDateTime" | "PrimitiveDateTime" => "timestamp",
                "DateTime" | "OffsetDateTime" => "timestamptz",
                "Value" | "JsonValue" | "Json" => "jsonb",
                "Decimal" | "BigDecimal" => "numeric",
                "IpNetwork" | "IpNet" | "IpAddr" | "Ipv4Network" | "Ipv6Network" => "inet",
                "MacAddress" => "macaddr",
                "PgInterval" | "TimeDelta" => "interval",
                "Duration" if path.contains("chrono") => "interval",
                "Vector" | "HalfVector" | "SparseVector" => {
                    let kind = match name.as_str() {
                        "Vector" => "vector",
                        "HalfVector" => "halfvec",
                        _ => "sparsevec",
                    };
                    let dimension = constant.or(wanted.dimension.map(u64::from)).ok_or_else(|| {
                        format!(
                            "`{}`: a {name} needs its dimension: #[autogen(dimension = 1536)], or autogen::{name}<1536>",
                            wanted.owner
                        )
                    })?;
                    return Ok(format!("{kind}({dimension})"));
                }
                _ => {
                    if let Some((_, sql)) = wanted.named.iter().find(|(rust, _)| rust == name) {
                        return Ok(sql.clone());
                    }
                    return Err(format!(
                        "`{}`: autogen cannot map the type `{path}` to a column type; give #[autogen(sql_type = \"…\")], or derive PgEnum, PgDomain or PgComposite on it",
                        wanted.owner
                    ));
                }
            };
            Ok(scalar.to_owned())
        }
        RustType::Other(written) => Err(format!(
            "`{}`: autogen cannot map the type `{written}` to a column type; give #[autogen(sql_type = \"…\")]",
            wanted.owner
        )),
    }
}

/// Whether a column type is one of pgvector's.
pub fn is_vector(sql_type: &str) -> bool {
    let base = sql_type.trim_end_matches("[]");
    ["vector(", "halfvec(", "sparsevec("].iter().any(|kind| base.starts_with(kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(name: &str) -> RustType {
        RustType::Path { name: name.into(), path: name.into(), arguments: vec![], constant: None }
    }

    fn field(rust_type: RustType) -> FieldDef {
        FieldDef { rust_name: "f".into(), rust_type, ..Default::default() }
    }

    #[test]
    fn rust_types_map_to_column_types() {
        let mapped =
            |rust_type| column_type(&field(rust_type), &[("Mood".into(), "public.mood".into())]);
        assert_eq!(mapped(path("i64")), Ok(("bigint".into(), false)));
        assert_eq!(mapped(RustType::Option(Box::new(path("String")))), Ok(("text".into(), true)));
        assert_eq!(mapped(RustType::Vec(Box::new(path("u8")))), Ok(("bytea".into(), false)));
        assert_eq!(
            mapped(RustType::Vec(Box::new(path("Mood")))),
            Ok(("public.mood[]".into(), false))
        );
        let vector = RustType::Path {
            name: "Vector".into(),
            path: "autogen::Vector".into(),
            arguments: vec![],
            constant: Some(3),
        };
        assert_eq!(mapped(vector), Ok(("vector(3)".into(), false)));
        let error = mapped(path("Vector")).unwrap_err();
        assert!(error.contains("needs its dimension"), "{error}");
        let error = mapped(path("Thing")).unwrap_err();
        assert!(error.contains("cannot map the type `Thing`"), "{error}");
    }
}
