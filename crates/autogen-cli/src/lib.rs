//! The `autogen` command line: argument parsing and the commands. `main.rs`
//! only calls [`run`].

mod check;
mod config;
mod devdb;
mod diff;
mod fleet;
mod inspect;
mod lint;
mod migrate;
mod migrations;
mod online;
pub mod output;
mod project;
mod revision;
mod runner;
mod settle;
mod source;
mod timeouts;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Schema-diff autogeneration for PostgreSQL.
#[derive(Debug, Parser)]
#[command(name = "autogen", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Same as `autogen diff`: the project's pending migration as SQL.
    #[arg(long = "diff")]
    pub diff: bool,

    /// When to colour the output: auto (a terminal, and NO_COLOR not
    /// set), always, never.
    #[arg(long, value_enum, default_value_t = output::Color::Auto, global = true, value_name = "WHEN", display_order = 100)]
    pub color: output::Color,

    /// Print only what was asked for and errors: no progress, no
    /// "applied …" lines.
    #[arg(short, long, global = true, conflicts_with = "verbose", display_order = 101)]
    pub quiet: bool,

    /// Say more (`history -v`: operations and files; `current -v`: every
    /// applied migration).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, display_order = 102)]
    pub verbose: u8,
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
    /// Print the hazards of migrations written by hand, one per statement
    /// and hazard (FILE:LINE:COLUMN), as autogen's plans would give them.
    Lint(lint::LintArgs),
    /// Apply the migrations not applied yet (up to head, +N or a version)
    /// with sqlx's migrator; --sql prints them instead.
    Upgrade(migrate::UpgradeArgs),
    /// Revert applied migrations (-N, to a version, or base) with their
    /// .down.sql files; --sql prints them instead.
    Downgrade(migrate::DowngradeArgs),
    /// Print the database's version: the last migration applied, and those
    /// not applied yet.
    Current(migrate::CurrentArgs),
    /// List the migrations, newest first, with their parents (and, with
    /// --database, which are applied).
    History(migrate::HistoryArgs),
    /// Mark the database as being at a version without running anything.
    Stamp(migrate::StampArgs),
    /// Print the migrations no other follows: one unless the history forked.
    Heads(migrate::HeadsArgs),
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
    output::configure(cli.color, cli.quiet, cli.verbose);
    if cli.diff && cli.command.is_some() {
        anyhow::bail!("--diff is `autogen diff`: give it alone, or the command alone");
    }
    match cli.command {
        Some(Command::Init(arguments)) => init(&arguments.directory),
        Some(Command::Inspect(arguments)) => inspect::run(arguments),
        Some(Command::Diff(arguments)) => diff::run(arguments),
        Some(Command::Revision(arguments)) => revision::run(arguments),
        Some(Command::Check(arguments)) => check::run(arguments),
        Some(Command::Lint(arguments)) => lint::run(arguments),
        Some(Command::Upgrade(arguments)) => migrate::upgrade(arguments),
        Some(Command::Downgrade(arguments)) => migrate::downgrade(arguments),
        Some(Command::Current(arguments)) => migrate::current(arguments),
        Some(Command::History(arguments)) => migrate::history(arguments),
        Some(Command::Stamp(arguments)) => migrate::stamp(arguments),
        Some(Command::Heads(arguments)) => migrate::heads(arguments),
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

/// The command line, parsed. A mistake is printed as clap prints it, but
/// with any secret of a database URL on the command line hidden (clap
/// quotes an unexpected argument as it was typed), and ends the process.
pub fn parse() -> Cli {
    match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => error.exit(),
        Err(error) => {
            use std::io::Write as _;
            let text = hide_given_secrets(&error.render().ansi().to_string());
            let _ = write!(anstream::stderr(), "{text}");
            std::process::exit(error.exit_code())
        }
    }
}

/// The line `main` prints for an error: [`one_line`], with any secret of a
/// database URL given on the command line or in `DATABASE_URL` hidden —
/// also where a message quotes such a value as it was typed (a mistyped
/// URL read as a file name). Messages about URLs already show them through
/// `autogen_introspect::redact_url`; this is the net under them.
pub fn error_line(error: &anyhow::Error) -> String {
    hide_given_secrets(&one_line(error))
}

/// `text` without the secrets of the values on the command line (and of
/// `DATABASE_URL`) that look like database URLs or connection strings.
fn hide_given_secrets(text: &str) -> String {
    let arguments = std::env::args().skip(1).map(|argument| match argument.split_once('=') {
        Some((flag, value)) if flag.starts_with("--") => value.to_owned(),
        _ => argument,
    });
    let mut text = text.to_owned();
    for value in arguments.chain(std::env::var("DATABASE_URL").ok()) {
        let lower = value.to_ascii_lowercase();
        if ["://", "postgres", "password"].iter().any(|mark| lower.contains(mark)) {
            text = autogen_introspect::redact_message(&text, &value);
        }
    }
    text
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

#[cfg(test)]
mod layering {
    //! The modules' layers: each module imports (`crate::…`) only modules
    //! of a layer below its own. `lib.rs` and `main.rs` sit above them all.

    /// Lowest first.
    const LAYERS: &[&[&str]] = &[
        // Printing; what timeouts are; the parts of an online revision.
        &["output", "timeouts", "online"],
        // The settings and the migrations folder.
        &["config", "migrations"],
        // Reading schemas (SQL, models, databases); running migrations;
        // asking a database for PostgreSQL's text of what SQL wrote; the
        // databases of a fleet and work run on each.
        &["source", "runner", "settle", "fleet"],
        // The ephemeral database: migrations run, the result read.
        &["devdb"],
        // The declared and current schemas of a project.
        &["project"],
        // The commands.
        &["check", "diff", "inspect", "lint", "migrate", "revision"],
    ];

    fn layer_of(module: &str) -> Option<usize> {
        LAYERS.iter().position(|layer| layer.contains(&module))
    }

    /// The modules a file names after `crate::` (`crate::a::b`, `crate::{a, b::c}`),
    /// comment lines left out.
    fn imports(text: &str) -> Vec<String> {
        let code: String = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let identifier = |text: &str| -> String {
            text.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
        };
        let mut found = Vec::new();
        for (at, _) in code.match_indices("crate::") {
            let after = &code[at + "crate::".len()..];
            if let Some(group) = after.strip_prefix('{') {
                // Top-level items of the group: split at commas outside braces.
                let mut depth = 0;
                let mut item_start = 0;
                for (index, character) in group.char_indices() {
                    match character {
                        '{' => depth += 1,
                        '}' if depth == 0 => {
                            found.push(identifier(&group[item_start..index]));
                            break;
                        }
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            found.push(identifier(&group[item_start..index]));
                            item_start = index + 1;
                        }
                        _ => {}
                    }
                }
            } else {
                found.push(identifier(after));
            }
        }
        found.retain(|module| !module.is_empty());
        found
    }

    #[test]
    fn modules_import_only_lower_layers() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut problems = Vec::new();
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "rs"))
            .collect();
        files.sort();
        for path in files {
            let module = path.file_stem().unwrap().to_string_lossy().into_owned();
            if module == "lib" || module == "main" {
                continue;
            }
            let Some(layer) = layer_of(&module) else {
                problems.push(format!("src/{module}.rs is in no layer of LAYERS"));
                continue;
            };
            let text = std::fs::read_to_string(&path).unwrap();
            for imported in imports(&text) {
                match layer_of(&imported) {
                    Some(below) if below < layer => {}
                    Some(_) => problems.push(format!(
                        "{module} imports {imported}, a module of its own layer or above"
                    )),
                    None => problems.push(format!(
                        "{module} imports crate::{imported}, which is in no layer (lib.rs sits above every module)"
                    )),
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn imports_are_read_from_paths_and_groups() {
        let text = "use crate::config::{Project, ProjectArgs};\n\
                    // crate::ignored\n\
                    use crate::{migrations, output::{self, say}, project};\n\
                    let x = crate::source::load();";
        assert_eq!(imports(text), ["config", "migrations", "output", "project", "source"]);
    }
}
