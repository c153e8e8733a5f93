//! The `autogen` command line: argument parsing and the commands. `main.rs`
//! only calls [`run`].

mod check;
mod config;
mod diff;
mod inspect;
mod migrations;
mod project;
mod revision;
mod source;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Schema-diff autogeneration for PostgreSQL.
#[derive(Debug, Parser)]
#[command(name = "autogen", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Same as `autogen diff`: the project's pending migration as SQL.
    #[arg(long = "diff")]
    pub diff: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a project: write autogen.toml, an empty migrations/ and a
    /// schema/ folder for the declared schema.
    Init(InitArgs),
    /// Print a schema (a live database, SQL files, or migrations replayed)
    /// as canonical SQL or JSON.
    Inspect(inspect::InspectArgs),
    /// Print the migration from one schema to another: SQL with its
    /// hazards, JSON, or a summary.
    Diff(diff::DiffArgs),
    /// Write the migration from what the migrations give to the declared
    /// schema: <version>_<slug>.up.sql and .down.sql.
    Revision(revision::RevisionArgs),
    /// Fail (exit 1) when the declared schema and the migrations disagree
    /// or the history forked: for pre-commit and CI.
    Check(check::CheckArgs),
}

/// Arguments of `autogen init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to start the project in.
    #[arg(default_value = ".")]
    directory: std::path::PathBuf,
}

/// Runs the parsed command line; the exit code on success.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Some(Command::Init(arguments)) => init(&arguments.directory),
        Some(Command::Inspect(arguments)) => inspect::run(arguments),
        Some(Command::Diff(arguments)) => diff::run(arguments),
        Some(Command::Revision(arguments)) => revision::run(arguments),
        Some(Command::Check(arguments)) => check::run(arguments),
        None if cli.diff => diff::run(diff::DiffArgs::project_default()),
        None => {
            use clap::CommandFactory as _;
            Cli::command().print_help()?;
            Ok(ExitCode::from(2))
        }
    }
}

/// `autogen init`: `autogen.toml` (never over an existing one), an empty
/// `migrations/` and a `schema/` folder for the declared schema.
fn init(directory: &std::path::Path) -> anyhow::Result<ExitCode> {
    use anyhow::Context as _;
    let file = directory.join(config::FILE_NAME);
    if file.exists() {
        anyhow::bail!("{}: already exists; nothing was changed", file.display());
    }
    for folder in ["migrations", "schema"] {
        let path = directory.join(folder);
        std::fs::create_dir_all(&path)
            .with_context(|| format!("{}: cannot create the folder", path.display()))?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&file)
        .and_then(|mut opened| std::io::Write::write_all(&mut opened, config::TEMPLATE.as_bytes()))
        .with_context(|| format!("{}: cannot write the file", file.display()))?;
    println!(
        "wrote {}; put the declared schema in {} and run `autogen revision -m \"first\"`",
        file.display(),
        directory.join("schema").display()
    );
    Ok(ExitCode::SUCCESS)
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
