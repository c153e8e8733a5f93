//! Prints what autogen-sql makes of SQL files: the diagnostics, and how
//! many statements build the schema.
//!
//! ```sh
//! cargo run -q -p autogen-sql --example read-sql -- fixtures/schemas/*.sql
//! ```

fn main() {
    let sources: Vec<autogen_sql::read::Source> = std::env::args()
        .skip(1)
        .map(|path| autogen_sql::read::Source {
            text: std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}")),
            name: path,
        })
        .collect();
    let (building, diagnostics) = autogen_sql::read::read(&sources);
    for diagnostic in &diagnostics {
        println!("{diagnostic}");
    }
    println!("{} statements build the schema", building.len());
}
