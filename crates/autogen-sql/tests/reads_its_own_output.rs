//! autogen reads back what it writes: every fixture schema, printed as
//! canonical DDL (what `autogen inspect` prints and migrations are made
//! of), parses to the same schema — a default written `('y'::text COLLATE
//! "C")` or `0.0` included.

use autogen_sql::{parse, Source};
use autogen_testkit::*;

#[test]
fn canonical_ddl_of_every_fixture_parses_to_the_same_schema() {
    let mut failures = Vec::new();
    for path in files(&workspace().join("fixtures/schemas"), ".sql") {
        let parsed = parse(&[source(&path)]);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        failures.extend(errors(&name, &parsed));
        let printed = autogen_emit::schema_sql(&parsed.schema);
        let again = parse(&[Source { name: format!("{name} printed"), text: printed }]);
        failures.extend(errors(&format!("{name} printed"), &again));
        failures.extend(schema_diff(
            &name,
            &parsed.schema,
            "printed and read again",
            &again.schema,
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
