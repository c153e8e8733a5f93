//! Every type spelling resolves to exactly the type PostgreSQL's catalog
//! stores for a column declared with it.

use autogen_schema::QualifiedName;
use autogen_sql::types::parse_type;

const SPELLINGS: &[&str] = &[
    "smallint",
    "int2",
    "integer",
    "int",
    "int4",
    "bigint",
    "int8",
    "real",
    "float4",
    "float(24)",
    "double precision",
    "float8",
    "float",
    "float(53)",
    "numeric",
    "numeric(10,2)",
    "numeric(5)",
    "decimal(12, 4)",
    "dec(7)",
    "boolean",
    "bool",
    "text",
    "varchar",
    "varchar(80)",
    "character varying(40)",
    "char",
    "char(3)",
    "character(2)",
    "bpchar",
    "\"char\"",
    "bytea",
    "date",
    "time",
    "time(3)",
    "time with time zone",
    "timetz",
    "time(2) without time zone",
    "timestamp",
    "timestamp(3)",
    "timestamptz",
    "timestamp(0) with time zone",
    "timestamp without time zone",
    "interval",
    "interval year to month",
    "interval day to second(3)",
    "interval(2)",
    "interval hour",
    "bit",
    "bit(8)",
    "bit varying",
    "varbit(16)",
    "bit varying(5)",
    "uuid",
    "json",
    "jsonb",
    "inet",
    "cidr",
    "macaddr",
    "macaddr8",
    "money",
    "xml",
    "tsvector",
    "tsquery",
    "point",
    "line",
    "lseg",
    "box",
    "path",
    "polygon",
    "circle",
    "int4range",
    "tstzrange",
    "oid",
    "pg_catalog.int4",
    "integer[]",
    "int[][]",
    "text[][][]",
    "varchar(20)[]",
    "integer[3]",
    "integer ARRAY",
    "numeric(8,3)[]",
    "mood",
    "mood[]",
    "app.\"Mood\"",
    "app.\"Mood\"[][]",
    "serial",
    "bigserial",
    "smallserial",
    "serial4",
    "serial8",
    "serial2",
];

const VECTOR_SPELLINGS: &[&str] =
    &["vector", "vector(3)", "halfvec(16)", "sparsevec(30522)", "vector(3)[]"];

#[test]
fn spellings_resolve_as_the_catalog_does() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let has_vector = database.has_extension("vector").unwrap();
    let mut script = String::from("CREATE TYPE mood AS ENUM ('ok'); CREATE SCHEMA app; CREATE TYPE app.\"Mood\" AS ENUM ('x');\n");
    let mut spellings: Vec<&str> = SPELLINGS.to_vec();
    if has_vector {
        script.push_str("CREATE EXTENSION vector;\n");
        spellings.extend(VECTOR_SPELLINGS);
    }
    for (index, spelling) in spellings.iter().enumerate() {
        script.push_str(&format!("CREATE TABLE c{index} (v {spelling});\n"));
    }
    database.load_sql(&script).unwrap();

    let introspected = autogen_testkit::introspect(database.url());
    let mut mismatches = Vec::new();
    for (index, spelling) in spellings.iter().enumerate() {
        let table = &introspected.tables[&QualifiedName::new("public", format!("c{index}"))];
        let column = &table.columns[0];
        let parsed =
            parse_type(spelling, "public").unwrap_or_else(|error| panic!("{spelling}: {error}"));
        if parsed.data_type != column.data_type {
            mismatches.push(format!(
                "{spelling}: parsed {} but the catalog has {}",
                parsed.data_type, column.data_type
            ));
        }
        let serial = column.serial_spelling(&table.name);
        if parsed.serial != serial {
            mismatches.push(format!(
                "{spelling}: parsed serial {:?}, the catalog's column {serial:?}",
                parsed.serial
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
