//! The `autogen` command line: argument parsing and the commands. `main.rs`
//! only calls [`run`].

mod diff;
mod inspect;
mod source;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Schema-diff autogeneration for PostgreSQL.
#[derive(Debug, Parser)]
#[command(name = "autogen", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a schema (a live database, SQL files, or migrations replayed)
    /// as canonical SQL or JSON.
    Inspect(inspect::InspectArgs),
    /// Print the migration from one schema to another: SQL with its
    /// hazards, JSON, or a summary.
    Diff(diff::DiffArgs),
}

/// Runs the parsed command line; the exit code on success.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Inspect(arguments) => inspect::run(arguments),
        Command::Diff(arguments) => diff::run(arguments),
    }
}

/// An error and its causes on one line, as `main` prints it.
pub fn one_line(error: &anyhow::Error) -> String {
    let mut line = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !line.contains(&cause) {
            line.push_str(": ");
            line.push_str(&cause);
        }
    }
    line.replace('\n', " ")
}
