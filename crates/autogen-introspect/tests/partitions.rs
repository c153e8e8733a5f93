//! Partitioned tables, partitions and inheriting tables read from the
//! catalog: what a partition or child has from its parent (inherited
//! checks, cloned keys and foreign keys, attached indexes, cloned
//! triggers) is the parent's and left out of it, what is its own is kept;
//! keys with their collation and operator class where PostgreSQL prints
//! them; bounds printed in UTC and ISO whatever the database's `TimeZone`
//! and `DateStyle`, also when read after a script (`introspect_after`).

use autogen_schema::{
    IndexTarget, PartitionBound, PartitionBy, PartitionKey, PartitionOf, PartitionStrategy,
    QualifiedName, Rewritten, Schema, Table,
};

fn name(name: &str) -> QualifiedName {
    QualifiedName::new("public", name)
}

fn table<'s>(schema: &'s Schema, table: &str) -> &'s Table {
    schema.tables.get(&name(table)).unwrap_or_else(|| panic!("no table {table}"))
}

fn partition_of(parent: &str, bound: &str) -> Option<PartitionOf> {
    let bound = match bound {
        "DEFAULT" => PartitionBound::Default,
        values => PartitionBound::Values(Rewritten::catalog(values)),
    };
    Some(PartitionOf { parent: name(parent), bound })
}

fn key(target: IndexTarget, collation: Option<&str>, opclass: Option<&str>) -> PartitionKey {
    PartitionKey {
        target,
        collation: collation.map(|collation| QualifiedName::new("pg_catalog", collation)),
        opclass: opclass.map(|opclass| QualifiedName::new("pg_catalog", opclass)),
    }
}

fn by(strategy: PartitionStrategy, keys: Vec<PartitionKey>) -> Option<PartitionBy> {
    Some(PartitionBy { strategy, keys })
}

fn column(name: &str) -> IndexTarget {
    IndexTarget::Column(name.to_owned())
}

/// Names of a table's constraints, indexes, triggers and policies, each
/// kind in name order.
fn own_objects(table: &Table) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    names.extend(table.primary_key.iter().map(|key| format!("primary key {}", key.name)));
    names.extend(table.unique_constraints.iter().map(|unique| format!("unique {}", unique.name)));
    names.extend(table.check_constraints.iter().map(|check| format!("check {}", check.name)));
    names.extend(table.foreign_keys.iter().map(|key| format!("foreign key {}", key.name)));
    names.extend(table.indexes.iter().map(|index| format!("index {}", index.name)));
    names.extend(table.triggers.iter().map(|trigger| format!("trigger {}", trigger.name)));
    names.extend(table.policies.iter().map(|policy| format!("policy {}", policy.name)));
    names
}

const SCHEMA: &str = r#"
CREATE TABLE customers (id integer PRIMARY KEY);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;

CREATE TABLE orders (
    id bigint NOT NULL,
    placed timestamp with time zone NOT NULL,
    customer integer REFERENCES customers,
    code text,
    amount numeric CHECK (amount > 0),
    PRIMARY KEY (id, placed),
    UNIQUE (code, placed)
) PARTITION BY RANGE (placed);
CREATE INDEX orders_customer ON orders (customer);
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_mine ON orders USING (customer = 1);

-- Bounds written in the database's zone (Asia/Kolkata, +05:30) and date
-- style (SQL, DMY): '01/03/2026' is the first of March there.
CREATE TABLE orders_2026 PARTITION OF orders
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY RANGE (placed);
CREATE TABLE orders_2026_march PARTITION OF orders_2026
    FOR VALUES FROM ('01/03/2026') TO ('01/04/2026');
CREATE TABLE orders_rest PARTITION OF orders DEFAULT;
CREATE INDEX orders_rest_code ON orders_rest (code);
ALTER TABLE orders_rest ADD CONSTRAINT orders_rest_small CHECK (amount < 1000);
CREATE TRIGGER orders_rest_own AFTER INSERT ON orders_rest FOR EACH ROW EXECUTE FUNCTION touch();
CREATE POLICY orders_rest_open ON orders_rest USING (true);

-- A foreign key to a partitioned table: PostgreSQL clones it onto the
-- referencing table once for each partition.
CREATE TABLE refunds (
    order_id bigint,
    placed timestamp with time zone,
    CONSTRAINT refunds_order FOREIGN KEY (order_id, placed) REFERENCES orders
);

CREATE TABLE by_day (day date NOT NULL) PARTITION BY LIST (day);
CREATE TABLE by_day_march_first PARTITION OF by_day FOR VALUES IN ('01/03/2026');

CREATE TABLE words (w text, n integer) PARTITION BY LIST (w COLLATE "C");
CREATE TABLE prefixes (w text) PARTITION BY RANGE (lower(w) text_pattern_ops, (length(w) + 1));
CREATE TABLE buckets (n integer) PARTITION BY HASH (n);
CREATE TABLE buckets_0 PARTITION OF buckets FOR VALUES WITH (MODULUS 2, REMAINDER 0);

-- An identity on a partitioned table: from PostgreSQL 17 its partitions
-- have it too, the parent's sequence with it.
CREATE TABLE tickets (id integer GENERATED ALWAYS AS IDENTITY, day date NOT NULL)
    PARTITION BY RANGE (day);
CREATE TABLE tickets_2026 PARTITION OF tickets FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

CREATE TABLE things (id integer CONSTRAINT things_positive CHECK (id > 0));
CREATE TABLE tagged (tags text[]);
CREATE TABLE tools (weight real CONSTRAINT tools_heavy CHECK (weight > 0)) INHERITS (things, tagged);
CREATE TRIGGER things_touch BEFORE UPDATE ON things FOR EACH ROW EXECUTE FUNCTION touch();
"#;

#[test]
fn partitions_keep_their_own_objects_and_leave_the_parents_out() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let quoted = autogen_schema::quote_ident(database.name());
    database
        .execute(&format!(
            "ALTER DATABASE {quoted} SET TimeZone = 'Asia/Kolkata';
             ALTER DATABASE {quoted} SET DateStyle = 'SQL, DMY';"
        ))
        .unwrap();
    database.load_sql(SCHEMA).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let options = autogen_introspect::Options::default();
    // sqlx starts its sessions in UTC and ISO; a caller's connection may
    // have set other ones, as psql's took the database's.
    let read = runtime.block_on(async {
        let mut connection = autogen_introspect::connect(database.url()).await.unwrap();
        sqlx::raw_sql("SET TimeZone = 'Asia/Kolkata'; SET DateStyle = 'SQL, DMY'")
            .execute(&mut connection)
            .await
            .unwrap();
        autogen_introspect::introspect_connection(&mut connection, &options).await.unwrap()
    });
    let through_url =
        runtime.block_on(autogen_introspect::introspect(database.url(), &options)).unwrap();
    assert_eq!(read, through_url);
    let schema = &read.schema;
    assert_eq!(read.unmodeled, [], "nothing here is unmodelled");

    let orders = table(schema, "orders");
    assert_eq!(
        orders.partition_by,
        by(PartitionStrategy::Range, vec![key(column("placed"), None, None)])
    );
    assert_eq!(orders.partition_of, None);
    assert!(orders.row_security);
    assert_eq!(
        own_objects(orders),
        [
            "primary key orders_pkey",
            "unique orders_code_placed_key",
            "check orders_amount_check",
            "foreign key orders_customer_fkey",
            "index orders_customer",
            "trigger orders_touch",
            "policy orders_mine",
        ]
    );

    // Bounds in UTC and ISO: midnight in Kolkata is 18:30 the day before.
    let orders_2026 = table(schema, "orders_2026");
    assert_eq!(
        orders_2026.partition_of,
        partition_of("orders", "FROM ('2025-12-31 18:30:00+00') TO ('2026-12-31 18:30:00+00')")
    );
    assert_eq!(
        orders_2026.partition_by,
        by(PartitionStrategy::Range, vec![key(column("placed"), None, None)])
    );
    assert_eq!(own_objects(orders_2026), [] as [&str; 0]);
    let columns: Vec<&str> =
        orders_2026.columns.iter().map(|column| column.name.as_str()).collect();
    assert_eq!(columns, ["id", "placed", "customer", "code", "amount"]);
    assert_eq!(
        table(schema, "orders_2026_march").partition_of,
        partition_of(
            "orders_2026",
            "FROM ('2026-02-28 18:30:00+00') TO ('2026-03-31 18:30:00+00')"
        )
    );
    assert_eq!(
        table(schema, "by_day_march_first").partition_of,
        partition_of("by_day", "IN ('2026-03-01')")
    );

    // A partition's own index, check, trigger and policy are its own.
    let rest = table(schema, "orders_rest");
    assert_eq!(rest.partition_of, partition_of("orders", "DEFAULT"));
    assert_eq!(
        own_objects(rest),
        [
            "check orders_rest_small",
            "index orders_rest_code",
            "trigger orders_rest_own",
            "policy orders_rest_open"
        ]
    );
    assert!(!rest.row_security);

    // One foreign key, not one more for each partition of orders.
    assert_eq!(own_objects(table(schema, "refunds")), ["foreign key refunds_order"]);

    assert_eq!(
        table(schema, "words").partition_by,
        by(PartitionStrategy::List, vec![key(column("w"), Some("C"), None)])
    );
    assert_eq!(
        table(schema, "prefixes").partition_by,
        by(
            PartitionStrategy::Range,
            vec![
                key(IndexTarget::Expression("lower(w)".into()), None, Some("text_pattern_ops")),
                key(IndexTarget::Expression("(length(w) + 1)".into()), None, None),
            ]
        )
    );
    assert_eq!(
        table(schema, "buckets_0").partition_of,
        partition_of("buckets", "WITH (modulus 2, remainder 0)")
    );

    // A partition's identity is its parent's, on every version.
    let identity = |table_name: &str| {
        let id = &table(schema, table_name).columns[0];
        assert!(!id.nullable);
        id.identity.as_ref().map(|identity| identity.sequence_name.clone())
    };
    assert_eq!(identity("tickets"), Some(name("tickets_id_seq")));
    assert_eq!(identity("tickets_2026"), None);

    // Inheritance: parents in order, the inherited check left out, every
    // column read; a trigger is never inherited.
    let tools = table(schema, "tools");
    assert_eq!(tools.inherits, [name("things"), name("tagged")]);
    assert_eq!(tools.partition_of, None);
    assert_eq!(own_objects(tools), ["check tools_heavy"]);
    let columns: Vec<&str> = tools.columns.iter().map(|column| column.name.as_str()).collect();
    assert_eq!(columns, ["id", "tags", "weight"]);
    assert_eq!(
        own_objects(table(schema, "things")),
        ["check things_positive", "trigger things_touch"]
    );
    assert_eq!(table(schema, "things").inherits, [] as [QualifiedName; 0]);
    let children: Vec<&str> =
        schema.children_of(&name("orders")).iter().map(|child| child.name.name.as_str()).collect();
    assert_eq!(children, ["orders_2026", "orders_rest"]);
}

#[test]
fn bounds_read_after_a_script_are_printed_in_utc() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    database
        .load_sql(
            "CREATE TABLE events (at timestamp with time zone NOT NULL) PARTITION BY RANGE (at);",
        )
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let mut connection = autogen_introspect::connect(database.url()).await.unwrap();
        sqlx::raw_sql("SET TimeZone = 'America/New_York'; SET DateStyle = 'SQL, DMY'")
            .execute(&mut connection)
            .await
            .unwrap();
        let options = autogen_introspect::Options::default();
        // The script runs in the session's own zone, as a migration would:
        // its midnight is 05:00 UTC.
        let read = autogen_introspect::introspect_after(
            &mut connection,
            "CREATE TABLE events_2026 PARTITION OF events
                 FOR VALUES FROM ('2026-01-01') TO ('2026-02-01 00:00:00+00');",
            &options,
        )
        .await
        .unwrap();
        assert_eq!(
            table(&read.schema, "events_2026").partition_of,
            partition_of("events", "FROM ('2026-01-01 05:00:00+00') TO ('2026-02-01 00:00:00+00')")
        );
        // Rolled back, settings too: the session keeps its own.
        let zone: String =
            sqlx::query_scalar("SHOW TimeZone").fetch_one(&mut connection).await.unwrap();
        assert_eq!(zone, "America/New_York");
        let style: String =
            sqlx::query_scalar("SHOW DateStyle").fetch_one(&mut connection).await.unwrap();
        assert_eq!(style, "SQL, DMY");
        let read =
            autogen_introspect::introspect_connection(&mut connection, &options).await.unwrap();
        assert!(!read.schema.tables.contains_key(&name("events_2026")));
    });
}
