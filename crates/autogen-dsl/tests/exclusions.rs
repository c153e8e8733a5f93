//! `exclude(…)` on a model: read into an exclusion constraint by the SQL
//! reader, and its mistakes reported at the model's attribute.

fn read(text: &str) -> Result<autogen_schema::Schema, Vec<String>> {
    let shown = |problems: Vec<autogen_dsl::Problem>| -> Vec<String> {
        problems.iter().map(ToString::to_string).collect()
    };
    let declarations = autogen_dsl::parse::file(text, "models.rs").map_err(shown)?;
    autogen_dsl::assemble(&declarations).map(|assembled| assembled.schema).map_err(shown)
}

#[test]
fn an_exclusion_constraint_is_read_with_its_options() {
    let schema = read(
        "#[derive(Model)]\n\
         #[autogen(exclude(name = \"slots_no_overlap\", using = \"gist\", elements = \"span WITH &&\",\n\
         include(id), with(fillfactor = 70), where = \"id > 0\", initially_deferred))]\n\
         pub struct Slot {\n\
             #[autogen(primary_key)]\n\
             pub id: i32,\n\
             #[autogen(sql_type = \"int4range\")]\n\
             pub span: String,\n\
         }\n",
    )
    .unwrap();
    let table = &schema.tables[&autogen_schema::QualifiedName::new("public", "slots")];
    let sql = autogen_schema::ddl::exclusion_sql(&table.exclusion_constraints[0]);
    assert_eq!(
        sql,
        "CONSTRAINT slots_no_overlap EXCLUDE USING gist (span WITH &&) INCLUDE (id) \
         WITH (fillfactor='70') WHERE ((id > 0)) DEFERRABLE INITIALLY DEFERRED"
    );
}

#[test]
fn mistakes_are_reported_at_the_attribute() {
    let missing = read(
        "#[derive(Model)]\n#[autogen(exclude(using = \"gist\"))]\npub struct Slot {\n    pub id: i32,\n}\n",
    )
    .unwrap_err();
    assert!(missing[0].starts_with("models.rs:2:11"), "{missing:?}");
    assert!(missing[0].contains("exclude(…) needs elements"), "{missing:?}");

    let unknown_column = read(
        "#[derive(Model)]\n#[autogen(exclude(using = \"gist\", elements = \"nothing WITH &&\"))]\n\
         pub struct Slot {\n    pub id: i32,\n}\n",
    )
    .unwrap_err();
    assert!(unknown_column[0].starts_with("models.rs:2:"), "{unknown_column:?}");
    assert!(unknown_column[0].contains("nothing"), "{unknown_column:?}");
}
