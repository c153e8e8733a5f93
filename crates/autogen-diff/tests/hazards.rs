//! Hazards that depend on what the schema already holds.

mod common;

use common::clean_schema;

use autogen_diff::{diff, Hazard, Hints};

/// The hazards of the `set not null` step from `from` to `to`.
fn set_not_null_hazards(from: &str, to: &str) -> Vec<Hazard> {
    let plan = diff(&clean_schema(from), &clean_schema(to), &Hints::default());
    let step = plan
        .steps
        .iter()
        .find(|step| step.operation.describe().starts_with("set not null"))
        .expect("a set not null step");
    step.hazards.clone()
}

#[test]
fn set_not_null_a_valid_check_proves_neither_blocks_nor_fails() {
    let proved = "CREATE TABLE t (c text, CONSTRAINT c_present CHECK (c IS NOT NULL));";
    let set = "CREATE TABLE t (c text NOT NULL, CONSTRAINT c_present CHECK (c IS NOT NULL));";
    assert_eq!(set_not_null_hazards(proved, set), []);
    // Not when the check is not valid, dropped by the same plan (before
    // the step), or proves another column.
    let unvalidated =
        "CREATE TABLE t (c text, CONSTRAINT c_present CHECK (c IS NOT NULL) NOT VALID);";
    let unvalidated_set =
        "CREATE TABLE t (c text NOT NULL, CONSTRAINT c_present CHECK (c IS NOT NULL) NOT VALID);";
    let blocking = [Hazard::BlockingLock, Hazard::MayFailOnData];
    assert_eq!(set_not_null_hazards(unvalidated, unvalidated_set), blocking);
    assert_eq!(set_not_null_hazards(proved, "CREATE TABLE t (c text NOT NULL);"), blocking);
    let other = "CREATE TABLE t (c text, d text, CONSTRAINT d_present CHECK (d IS NOT NULL));";
    let other_set =
        "CREATE TABLE t (c text NOT NULL, d text, CONSTRAINT d_present CHECK (d IS NOT NULL));";
    assert_eq!(set_not_null_hazards(other, other_set), blocking);
}
