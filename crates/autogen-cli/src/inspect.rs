//! `autogen inspect`: print a schema — from a live database, SQL files, or
//! a migrations folder replayed in memory — as canonical SQL or JSON.

use std::process::ExitCode;

use anyhow::Context as _;

use crate::config::{Project, ProjectArgs};
use crate::source::{self, SchemaSource};

/// Arguments of `autogen inspect`.
#[derive(Debug, clap::Args)]
#[command(after_help = "SOURCE is a database URL (postgres://…), one or more .sql files or \
folders (read in path order, as one schema), or migrations:DIR (the up scripts of a migrations \
folder replayed in version order, no database needed). The same schema prints the same text \
whatever its source. With no SOURCE, inspect prints the declared schema of the project \
(autogen.toml here or above), or else reads the database DATABASE_URL names.

Objects autogen does not model yet (views, functions, triggers, …) are counted by kind in a \
warning on stderr (-v lists each); they are not part of the output.")]
pub struct InspectArgs {
    /// Where to read the schema: a database URL, .sql files or folders, or
    /// migrations:DIR. Repeat for several files.
    #[arg(long = "from", value_name = "SOURCE")]
    from: Vec<String>,

    /// The database to read, e.g. postgres://user:password@localhost:5432/app
    /// (same as --from URL).
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,

    /// The settings file whose declared schema to print when no source is
    /// given. Default: the nearest autogen.toml here or above.
    #[arg(long, value_name = "PATH")]
    config: Option<std::path::PathBuf>,

    /// Treat warnings about SQL autogen does not model as errors.
    #[arg(long)]
    strict: bool,

    /// A schema (namespace) to read, by name or glob (`tenant_*`); repeat
    /// for several. Default: every schema that is not a system schema and
    /// not an extension's.
    #[arg(long = "schema", value_name = "NAME")]
    schemas: Vec<String>,

    /// What to print: canonical DDL in dependency order, or the schema model
    /// as JSON.
    #[arg(long, value_enum, default_value_t = Format::Sql)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Sql,
    Json,
}

pub(crate) fn run(arguments: InspectArgs) -> anyhow::Result<ExitCode> {
    // `--from`, then `--database-url`; with neither, the project's declared
    // schema, or else the database DATABASE_URL names.
    let from = match (arguments.from.is_empty(), &arguments.database_url) {
        (false, _) => Some(SchemaSource::parse(&arguments.from)?),
        (true, Some(url)) => Some(SchemaSource::Database(url.clone())),
        (true, None) => None,
    };
    let schema = match from {
        Some(from) => source::load(from, arguments.schemas, arguments.strict)?,
        None => declared_or_environment(arguments.config, arguments.schemas, arguments.strict)?,
    };

    let text = match arguments.format {
        Format::Sql => autogen_emit::schema_sql(&schema),
        Format::Json => {
            let mut json = serde_json::to_string_pretty(&schema).context("writing JSON")?;
            json.push('\n');
            json
        }
    };
    crate::output::print(&text)?;
    // The process ends next: the model is left to it rather than freed
    // object by object (at 5,000 tables, a few percent of the run).
    std::mem::forget(schema);
    Ok(ExitCode::SUCCESS)
}

/// With no source named: the declared schema of the project (autogen.toml
/// here or above, or `--config`), or else the database `DATABASE_URL`
/// names.
fn declared_or_environment(
    config: Option<std::path::PathBuf>,
    schemas: Vec<String>,
    strict: bool,
) -> anyhow::Result<autogen_schema::Schema> {
    let mut settings = ProjectArgs::default();
    settings.config = config;
    settings.schemas = schemas;
    let project = Project::load(&settings, None)?;
    if project.file.is_some() {
        return Ok(crate::project::declared(&project, strict)?.0);
    }
    match std::env::var("DATABASE_URL") {
        Ok(url) => source::load(SchemaSource::Database(url), settings.schemas, strict),
        Err(_) => anyhow::bail!(
            "say where to read the schema: --from SOURCE, --database-url URL, or run it in a project (autogen.toml) to print its declared schema"
        ),
    }
}
