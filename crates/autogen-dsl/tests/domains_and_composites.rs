//! `#[derive(PgDomain)]` newtypes and `#[derive(PgComposite)]` structs:
//! read into the schema the same SQL gives, and their mistakes reported at
//! `file:line:col`.

fn read(text: &str) -> Result<autogen_schema::Schema, Vec<String>> {
    let shown = |problems: Vec<autogen_dsl::Problem>| -> Vec<String> {
        problems.iter().map(ToString::to_string).collect()
    };
    let declarations = autogen_dsl::parse::file(text, "models.rs").map_err(shown)?;
    autogen_dsl::assemble(&declarations).map(|assembled| assembled.schema).map_err(shown)
}

fn sql(text: &str) -> autogen_schema::Schema {
    let parsed =
        autogen_sql::parse(&[autogen_sql::Source { name: "schema.sql".into(), text: text.into() }]);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    parsed.schema
}

/// The models in `rust` give the schema `sql` gives.
#[track_caller]
fn same(rust: &str, sql_text: &str) {
    let from_rust = read(rust).unwrap_or_else(|problems| panic!("{}", problems.join("\n")));
    assert_eq!(from_rust, sql(sql_text));
}

/// The first mistake in `rust`, which must start with `at` and hold
/// `message`.
#[track_caller]
fn mistake(rust: &str, at: &str, message: &str) {
    let problems = read(rust).expect_err("a mistake");
    assert!(problems[0].starts_with(&format!("models.rs:{at}: error: ")), "{problems:?}");
    assert!(problems[0].contains(message), "expected {message} in {problems:?}");
}

#[test]
fn a_newtype_is_a_domain_over_its_field_type() {
    same(
        r#"
/// Years MySQL's YEAR type could hold.
#[derive(autogen::PgDomain)]
#[autogen(name = "year", check = "VALUE >= 1901 AND VALUE <= 2155")]
pub struct Year(i32);
"#,
        "CREATE DOMAIN year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155);
         COMMENT ON DOMAIN year IS 'Years MySQL''s YEAR type could hold.';",
    );
    // Every attribute; unnamed checks are named as PostgreSQL names them.
    same(
        r#"
#[derive(PgDomain)]
#[autogen(schema = "billing", sql_type = "varchar(20)", collation = "C", default = "'none'",
          not_null, check = "VALUE <> ''", check(name = "code_short", expr = "length(VALUE) < 10"),
          check = "VALUE !~ ' '", comment = "A code.")]
pub struct PromoCode(String);
"#,
        "CREATE SCHEMA billing;
         CREATE DOMAIN billing.promo_code AS varchar(20) COLLATE \"C\" DEFAULT 'none' NOT NULL
           CHECK (VALUE <> '') CONSTRAINT code_short CHECK (length(VALUE) < 10) CHECK (VALUE !~ ' ');
         COMMENT ON DOMAIN billing.promo_code IS 'A code.';",
    );
    // Arrays, other domains and enums as base types.
    same(
        r#"
#[derive(PgEnum)]
pub enum Mood { Happy, Sad }
#[derive(PgDomain)]
pub struct Moods(Vec<Mood>);
#[derive(PgDomain)]
#[autogen(check = "cardinality(VALUE) > 0")]
pub struct SomeMoods(Moods);
"#,
        "CREATE TYPE mood AS ENUM ('happy', 'sad');
         CREATE DOMAIN moods AS mood[];
         CREATE DOMAIN some_moods AS moods CHECK (cardinality(VALUE) > 0);",
    );
}

#[test]
fn a_struct_is_a_composite_type_in_field_order() {
    same(
        r#"
/// Where someone lives.
#[derive(PgComposite)]
pub struct Address {
    #[autogen(name = "Street")]
    pub street: String,
    #[autogen(collation = "C")]
    pub city: Option<String>,
    #[autogen(sql_type = "varchar(10)")]
    pub zip: String,
    pub r#type: Option<i16>,
}

#[derive(PgComposite)]
#[autogen(name = "nothing", schema = "app", comment = "Empty.")]
pub struct Empty {}
"#,
        "CREATE TYPE address AS (\"Street\" text, city text COLLATE \"C\", zip varchar(10), type smallint);
         COMMENT ON TYPE address IS 'Where someone lives.';
         CREATE SCHEMA app;
         CREATE TYPE app.nothing AS ();
         COMMENT ON TYPE app.nothing IS 'Empty.';",
    );
}

#[test]
fn fields_typed_with_them_are_columns_of_them() {
    same(
        r#"
#[derive(Model)]
pub struct Shipment {
    #[autogen(primary_key)]
    pub id: i32,
    pub weight: Weight,
    pub legs: Option<Vec<geo::Coord>>,
    pub years: Vec<Year>,
}

#[derive(PgComposite)]
pub struct Coord {
    pub x: f64,
    pub y: f64,
}

#[derive(PgComposite)]
pub struct Weight {
    pub amount: Option<Grams>,
}

#[derive(PgDomain)]
#[autogen(not_null, check = "VALUE > 0")]
pub struct Grams(i64);

#[derive(PgDomain)]
pub struct Year(i32);
"#,
        "CREATE TYPE coord AS (x double precision, y double precision);
         CREATE DOMAIN grams AS bigint NOT NULL CHECK (VALUE > 0);
         CREATE TYPE weight AS (amount grams);
         CREATE DOMAIN year AS integer;
         CREATE TABLE shipments (id integer PRIMARY KEY, weight weight NOT NULL, legs coord[],
                                 years year[] NOT NULL);",
    );
}

#[test]
fn a_vector_in_a_type_brings_pgvector() {
    same(
        r#"
#[derive(PgDomain)]
pub struct Embedding(autogen::Vector<3>);
"#,
        "CREATE EXTENSION vector; CREATE DOMAIN embedding AS vector(3);",
    );
}

#[test]
fn mistakes_are_reported_where_they_are() {
    mistake(
        "#[derive(PgDomain)]\n#[autogen(nmae = \"y\")]\npub struct Year(i32);\n",
        "2:11",
        "unknown domain attribute `nmae`; the domain attributes are name, schema, sql_type, default, not_null, collation, check, comment",
    );
    mistake(
        "#[derive(PgComposite)]\n#[autogen(check = \"x\")]\npub struct P { pub x: i32 }\n",
        "2:11",
        "unknown composite attribute `check`; the composite attributes are name, schema, comment",
    );
    mistake(
        "#[derive(PgComposite)]\npub struct P {\n    #[autogen(default = \"1\")]\n    pub x: i32,\n}\n",
        "3:15",
        "unknown composite field attribute `default`; the composite field attributes are name, sql_type, collation",
    );
    mistake(
        "#[derive(PgDomain)]\npub struct Year {\n    pub value: i32,\n}\n",
        "2:12",
        "a PgDomain is a newtype, a struct with one unnamed field",
    );
    mistake("#[derive(PgDomain)]\npub struct Span(i32, i32);\n", "2:12", "a PgDomain is a newtype");
    mistake(
        "#[derive(PgDomain)]\npub struct Year(Option<i32>);\n",
        "2:17",
        "a domain's base type is not Option<…>",
    );
    mistake(
        "#[derive(PgDomain)]\npub struct Year(#[autogen(not_null)] i32);\n",
        "2:17",
        "a PgDomain's attributes go on the struct",
    );
    mistake(
        "#[derive(PgDomain)]\n#[autogen(check = \"VALUE >\")]\npub struct Year(i32);\n",
        "2:19",
        "`VALUE >` is not an SQL expression",
    );
    mistake(
        "#[derive(PgComposite)]\npub struct Pair(i32, i32);\n",
        "2:12",
        "a PgComposite is a struct with named fields, one per attribute",
    );
    mistake(
        "#[derive(PgComposite)]\npub struct P {\n    pub x: i32,\n    #[autogen(name = \"x\")]\n    pub y: i32,\n}\n",
        "4:5",
        "two fields are the attribute `x`",
    );
    // What one item alone cannot tell.
    mistake(
        "#[derive(PgDomain)]\npub struct When(std::time::Instant);\n",
        "2:12",
        "`When`: autogen cannot map the type `std::time::Instant` to a column type; give #[autogen(sql_type = \"…\")], or derive PgEnum, PgDomain or PgComposite on it",
    );
    mistake(
        "#[derive(PgComposite)]\npub struct P {\n    pub x: i32,\n    pub at: Instant,\n}\n",
        "4:9",
        "`at`: autogen cannot map the type `Instant`",
    );
    mistake(
        "#[derive(PgEnum)]\npub enum Year { A }\n\n#[derive(PgDomain)]\npub struct Year2(i32);\n\n#[derive(PgDomain)]\n#[autogen(name = \"year\")]\npub struct Other(i32);\n",
        "9:12",
        "`Year` and `Other` are both the type public.year; give one another name with #[autogen(name = \"…\")]",
    );
    mistake(
        "#[derive(PgComposite)]\n#[autogen(name = \"users\")]\npub struct Row { pub id: i32 }\n\n#[derive(Model)]\npub struct User { pub id: i32 }\n",
        "3:12",
        "`Row` is the type public.users, and so is the table of `User` (a table's row is a type)",
    );
    mistake(
        "#[derive(PgComposite)]\npub struct Node {\n    pub next: Option<Node>,\n}\n",
        "2:12",
        "`Node` holds itself: a type cannot contain itself",
    );
    mistake(
        "#[derive(PgComposite)]\npub struct A {\n    pub b: B,\n}\n\n#[derive(PgDomain)]\npub struct B(Vec<A>);\n",
        "2:12",
        "`A` holds `B`, which holds it back",
    );
    // The SQL reader's word, at the domain that wrote the statement.
    mistake(
        "#[derive(PgDomain)]\n#[autogen(\n    check = \"VALUE > 0\",\n    check = \"price > 0\",\n)]\npub struct Price(i32);\n",
        "4:5",
        "price",
    );
}

#[test]
fn renamed_from_renames_a_domain_a_composite_type_and_an_attribute() {
    let rust = r#"
#[derive(PgDomain)]
#[autogen(renamed_from = "cents")]
pub struct Amount(i64);

#[derive(PgComposite)]
#[autogen(renamed_from = "address")]
pub struct Place {
    #[autogen(renamed_from = "street")]
    pub line: Option<String>,
    pub city: Option<String>,
}

#[derive(Model)]
pub struct Order {
    #[autogen(primary_key)]
    pub id: i32,
    pub total: Amount,
    pub sent_to: Place,
}
"#;
    let declarations = autogen_dsl::parse::file(rust, "models.rs").unwrap();
    let assembled = autogen_dsl::assemble(&declarations).unwrap();
    let before = sql("CREATE DOMAIN cents AS bigint;
CREATE TYPE address AS (street text, city text);
CREATE TABLE orders (id integer PRIMARY KEY, total cents NOT NULL, sent_to address NOT NULL);");
    let plan = autogen_diff::diff(&before, &assembled.schema, &assembled.renames);
    let steps: Vec<String> = plan.steps.iter().map(|step| step.operation.describe()).collect();
    assert_eq!(
        steps,
        [
            "rename attribute street of type public.address to line",
            "rename type public.address to place",
            "rename domain public.cents to amount",
        ]
    );
}
