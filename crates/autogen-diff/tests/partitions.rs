//! Plans around partitions that the diff fixtures cannot run both ways:
//! an enum value added and named by a new partition's bound in the same
//! plan (PostgreSQL refuses a value in the transaction that added it, so
//! the plan commits between), and an enum swapped under a partition key
//! (PostgreSQL cannot change a partition key's type: the plan stops).

mod common;

use common::schema;

use autogen_diff::{diff, Hints, Operation};

const FROM: &str = "CREATE TYPE region AS ENUM ('eu', 'us');
CREATE TABLE invoices (id bigint NOT NULL, region region NOT NULL) PARTITION BY LIST (region);
CREATE TABLE invoices_eu PARTITION OF invoices FOR VALUES IN ('eu');";

const TO: &str = "CREATE TYPE region AS ENUM ('eu', 'us', 'apac');
CREATE TABLE invoices (id bigint NOT NULL, region region NOT NULL) PARTITION BY LIST (region);
CREATE TABLE invoices_eu PARTITION OF invoices FOR VALUES IN ('eu');
CREATE TABLE invoices_apac PARTITION OF invoices FOR VALUES IN ('apac');";

#[test]
fn a_partition_for_an_enum_value_the_plan_adds_comes_after_a_commit() {
    let plan = diff(&schema(FROM), &schema(TO), &Hints::default());
    assert!(plan.blocked.is_empty(), "{:?}", plan.blocked);
    let parts = plan.parts();
    assert_eq!(parts.len(), 2, "{:?}", plan.steps);
    assert!(matches!(parts[0][0].operation, Operation::AddEnumValue { .. }), "{parts:?}");
    assert!(
        matches!(&parts[1][0].operation, Operation::CreateTable(table) if table.name.name == "invoices_apac"),
        "{parts:?}"
    );
    // A value the type had before needs no commit.
    let before = FROM.replace("('eu', 'us')", "('eu', 'us', 'apac')");
    let plan = diff(&schema(&before), &schema(TO), &Hints::default());
    assert_eq!((plan.steps.len(), plan.parts().len()), (1, 1), "{:?}", plan.steps);
}

#[test]
fn an_enum_swapped_under_a_partition_key_stops_the_plan() {
    let plan = diff(&schema(TO), &schema(FROM), &Hints::default());
    assert_eq!(plan.blocked.len(), 1, "{:?}", plan.blocked);
    assert!(
        plan.blocked[0].contains(
            "column region of public.invoices is a partition key of its type, and PostgreSQL \
             cannot change a partition key's type"
        ),
        "{:?}",
        plan.blocked
    );
}
