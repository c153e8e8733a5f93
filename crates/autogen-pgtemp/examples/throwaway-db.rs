//! A throwaway PostgreSQL to try autogen on: starts an ephemeral cluster,
//! loads the SQL files given on the command line into a database, prints its
//! URL, and removes everything when you press Enter (or Ctrl-C).
//!
//! ```sh
//! cargo run -q --example throwaway-db -p autogen-pgtemp -- fixtures/schemas/13_pgvector_hnsw.sql
//! ```

use std::io::BufRead as _;

fn main() {
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), autogen_pgtemp::Error> {
    let server = autogen_pgtemp::Server::Cluster(autogen_pgtemp::Cluster::start()?);
    let database = server.create_database()?;
    for file in std::env::args().skip(1) {
        database.load_file(std::path::Path::new(&file))?;
        eprintln!("loaded {file}");
    }
    println!("{}", database.url());
    eprintln!("Try: autogen inspect --database-url {}", database.url());
    eprintln!("Press Enter to stop the server and remove it.");
    let _ = std::io::stdin().lock().lines().next();
    Ok(())
}
