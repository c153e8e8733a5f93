//! The two ways of reading a catalog agree: over one connection, and split
//! across two connections reading one exported snapshot.

use std::path::Path;

fn read_both_ways(fixture: &str) {
    let database = autogen_pgtemp::fresh_database().unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/schemas").join(fixture);
    let has_vector = database.has_extension("vector").unwrap();
    if !has_vector && std::fs::read_to_string(&path).unwrap().contains("vector") {
        return;
    }
    database.load_file(&path).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let options = autogen_introspect::Options::default();
    let split = runtime.block_on(autogen_introspect::introspect(database.url(), &options)).unwrap();
    let single = runtime
        .block_on(async {
            let mut connection = autogen_introspect::connect(database.url()).await?;
            autogen_introspect::introspect_connection(&mut connection, &options).await
        })
        .unwrap();
    assert!(split.schema.tables.len() > 3, "the fixture has tables");
    assert_eq!(split, single);
}

#[test]
fn one_connection_and_two_read_the_same_schema() {
    read_both_ways("17_app_knowledge_base.sql");
    read_both_ways("04_schemas.sql");
}
