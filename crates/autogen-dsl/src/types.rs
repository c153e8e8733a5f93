//! Rust types → column types (docs/dsl.md has the table). A type is known
//! by its last path segment, so `chrono::DateTime<Utc>`, `DateTime<Utc>`
//! and `sqlx::types::chrono::DateTime<Utc>` are one type; `Option<T>` makes
//! the column nullable, `Vec<T>` an array (`Vec<u8>` is `bytea`).

use crate::def::{FieldDef, RustType};

/// The column type of a field and whether it is nullable; `enums` maps
/// the Rust names of `PgEnum` enums to their SQL names.
pub fn column_type(field: &FieldDef, enums: &[(String, String)]) -> Result<(String, bool), String> {
    let (inner, nullable) = match &field.rust_type {
        RustType::Option(inner) => (inner.as_ref(), true),
        other => (other, false),
    };
    if let Some(sql_type) = &field.sql_type {
        return Ok((sql_type.clone(), nullable));
    }
    Ok((sql_type(inner, field, enums)?, nullable))
}

fn sql_type(
    rust_type: &RustType,
    field: &FieldDef,
    enums: &[(String, String)],
) -> Result<String, String> {
    match rust_type {
        RustType::Option(_) => Err(format!(
            "`{}`: Option<Option<…>> has no column type; give #[autogen(sql_type = \"…\")]",
            field.rust_name
        )),
        RustType::Vec(element) => match element.as_ref() {
            RustType::Path { name, .. } if name == "u8" => Ok("bytea".to_owned()),
            element => Ok(format!("{}[]", sql_type(element, field, enums)?)),
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
                    let dimension = constant.or(field.dimension.map(u64::from)).ok_or_else(|| {
                        format!(
                            "`{}`: a {name} needs its dimension: #[autogen(dimension = 1536)], or autogen::{name}<1536>",
                            field.rust_name
                        )
                    })?;
                    return Ok(format!("{kind}({dimension})"));
                }
                _ => {
                    if let Some((_, sql)) = enums.iter().find(|(rust, _)| rust == name) {
                        return Ok(sql.clone());
                    }
                    return Err(format!(
                        "`{}`: autogen cannot map the type `{path}` to a column type; give #[autogen(sql_type = \"…\")], or derive PgEnum on it",
                        field.rust_name
                    ));
                }
            };
            Ok(scalar.to_owned())
        }
        RustType::Other(written) => Err(format!(
            "`{}`: autogen cannot map the type `{written}` to a column type; give #[autogen(sql_type = \"…\")]",
            field.rust_name
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
