//! The model's canonical forms and the DDL of its objects, on small schemas
//! written by hand (the fixture proofs cover real catalogs; a whole
//! schema's DDL is the plan that builds it: autogen-emit's `schema_sql`).

use autogen_schema::ddl::Renderer;
use autogen_schema::*;

fn users_table() -> Table {
    let name = QualifiedName::new("public", "users");
    let mut table = Table::new(name.clone());
    let mut id = Column::new("id", SqlType::Integer);
    id.nullable = false;
    id.default = Some("nextval('users_id_seq'::regclass)".into());
    id.owned_sequence = Some(Box::new(OwnedSequence {
        name: QualifiedName::new("public", "users_id_seq"),
        data_type: SqlType::Integer,
        options: SequenceOptions::default(),
    }));
    table.columns.push(id);
    let mut email = Column::new("Email", SqlType::Varchar { length: Some(80) });
    email.nullable = false;
    table.columns.push(email);
    table.primary_key = Some(PrimaryKey {
        name: "users_pkey".into(),
        columns: vec!["id".into()],
        include: vec![],
        with: vec![],
        deferrable: Deferrable::NotDeferrable,
    });
    table
}

#[test]
fn a_column_exactly_like_serial_is_written_as_serial() {
    let table = users_table();
    assert_eq!(table.columns[0].serial_spelling(&table.name), Some("serial"));

    let mut renamed = users_table();
    renamed.columns[0].owned_sequence.as_mut().unwrap().name.name = "other_seq".into();
    renamed.columns[0].default = Some("nextval('other_seq'::regclass)".into());
    assert_eq!(
        renamed.columns[0].serial_spelling(&renamed.name),
        None,
        "not the name serial chooses"
    );

    // A long table name is cut the way PostgreSQL cuts it, and still serial.
    let mut long = users_table();
    long.name.name = "t".repeat(62);
    let sequence = autogen_schema::naming::default_sequence_name(&long.name.name, "id");
    assert_eq!(sequence.len(), 63);
    long.columns[0].owned_sequence.as_mut().unwrap().name.name = sequence.clone();
    long.columns[0].default = Some(format!("nextval('{sequence}'::regclass)"));
    assert_eq!(long.columns[0].serial_spelling(&long.name), Some("serial"));

    let mut stepped = users_table();
    stepped.columns[0].owned_sequence.as_mut().unwrap().options.increment = Some(2);
    assert_eq!(stepped.columns[0].serial_spelling(&stepped.name), None, "not serial's options");
}

#[test]
fn sequence_options_equal_to_the_defaults_are_left_out() {
    let ascending =
        SequenceOptions::from_catalog(&SqlType::Integer, 1, 1, 1, i32::MAX.into(), 1, false);
    assert!(ascending.is_default());
    let descending =
        SequenceOptions::from_catalog(&SqlType::SmallInt, -1, -1, i16::MIN.into(), -1, 1, false);
    assert_eq!(descending, SequenceOptions { increment: Some(-1), ..SequenceOptions::default() });
    // START equal to a non-default MINVALUE is implied by it.
    let custom = SequenceOptions::from_catalog(&SqlType::BigInt, 100, 5, 100, 1000, 10, true);
    assert_eq!(
        custom,
        SequenceOptions {
            start: None,
            increment: Some(5),
            min_value: Some(100),
            max_value: Some(1000),
            cache: Some(10),
            cycle: true
        }
    );
}

#[test]
fn json_round_trips_to_an_equal_schema() {
    let mut schema = Schema::default();
    schema.schemas.insert("public".into());
    schema.add_table(users_table());
    let json = serde_json::to_string_pretty(&schema).unwrap();
    let back: Schema = serde_json::from_str(&json).unwrap();
    assert_eq!(back, schema);
    assert!(json.contains("\"owned_sequence\""), "{json}");
    assert!(!json.contains("\"comment\""), "absent values are left out of the JSON: {json}");
}

/// `EXCLUDE USING gist (room WITH =, tstzrange(starts, ends) WITH &&)
/// INCLUDE (note) WHERE (NOT void)` on a bookings table.
fn bookings_table() -> Table {
    let mut table = Table::new(QualifiedName::new("public", "bookings"));
    for (name, data_type) in [
        ("room", SqlType::Integer),
        ("starts", SqlType::Timestamp { precision: None, with_time_zone: true }),
        ("ends", SqlType::Timestamp { precision: None, with_time_zone: true }),
        ("note", SqlType::Text),
        ("void", SqlType::Boolean),
    ] {
        table.columns.push(Column::new(name, data_type));
    }
    let key = |target: IndexTarget| IndexKey {
        target,
        collation: None,
        opclass: None,
        descending: false,
        nulls_first: false,
    };
    table.exclusion_constraints.push(ExclusionConstraint {
        name: "bookings_no_overlap".into(),
        method: IndexMethod::Gist,
        elements: vec![
            ExclusionElement { key: key(IndexTarget::Column("room".into())), operator: "=".into() },
            ExclusionElement {
                key: key(IndexTarget::Expression("tstzrange(starts, ends)".into())),
                operator: "&&".into(),
            },
        ],
        include: vec!["note".into()],
        with: vec![],
        predicate: Some("(NOT void)".into()),
        deferrable: Deferrable::InitiallyDeferred,
    });
    table
}

#[test]
fn exclusion_constraints_are_written_inline_and_follow_renamed_columns() {
    let mut schema = Schema::default();
    schema.schemas.insert("public".into());
    schema.add_table(bookings_table());
    assert!(Renderer::for_schema(&schema).create_table(&bookings_table()).ends_with(
        "    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room WITH =, tstzrange(starts, ends) WITH &&) \
         INCLUDE (note) WHERE ((NOT void)) DEFERRABLE INITIALLY DEFERRED\n);"
    ));

    let mut table = bookings_table();
    for (old, new) in
        [("room", "room_id"), ("starts", "since"), ("note", "remark"), ("void", "gone")]
    {
        table.rename_column(old, new, |text| expression::rename_column(text, old, new));
    }
    let exclusion = &table.exclusion_constraints[0];
    assert_eq!(exclusion.elements[0].key.target, IndexTarget::Column("room_id".into()));
    assert_eq!(
        exclusion.elements[1].key.target,
        IndexTarget::Expression("tstzrange(since, ends)".into())
    );
    assert_eq!(exclusion.include, ["remark"]);
    assert_eq!(exclusion.predicate.as_deref(), Some("(NOT gone)"));
    assert!(exclusion.uses_column("ends") && !exclusion.uses_column("room"));
}

#[test]
fn a_table_without_exclusion_constraints_keeps_its_json() {
    let json = serde_json::to_string(&users_table()).unwrap();
    assert!(!json.contains("exclusion"), "{json}");
    let back: Table = serde_json::from_str(&json).unwrap();
    assert_eq!(back, users_table());
    let bookings = bookings_table();
    let back: Table = serde_json::from_str(&serde_json::to_string(&bookings).unwrap()).unwrap();
    assert_eq!(back, bookings);
}
