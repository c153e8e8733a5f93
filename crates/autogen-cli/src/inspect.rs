//! `autogen inspect`: print a schema — from a live database, SQL files, or
//! a migrations folder replayed in memory — as canonical SQL or JSON.

use std::process::ExitCode;

use anyhow::Context as _;

use crate::source::{self, SchemaSource};

/// Arguments of `autogen inspect`.
#[derive(Debug, clap::Args)]
#[command(after_help = "SOURCE is a database URL (postgres://…), one or more .sql files or \
folders (read in path order, as one schema), or migrations:DIR (the up scripts of a migrations \
folder replayed in version order, no database needed). The same schema prints the same text \
whatever its source.

Objects autogen does not model yet (views, functions, triggers, …) are listed on stderr as a \
warning; they are not part of the output.")]
pub struct InspectArgs {
    /// Where to read the schema: a database URL, .sql files or folders, or
    /// migrations:DIR. Repeat for several files.
    #[arg(long = "from", value_name = "SOURCE")]
    from: Vec<String>,

    /// The database to read, e.g. postgres://user:password@localhost:5432/app
    /// (same as --from URL).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, value_name = "URL")]
    database_url: Option<String>,

    /// Treat warnings about SQL autogen does not model as errors.
    #[arg(long)]
    strict: bool,

    /// A schema (namespace) to read; repeat for several. Default: every
    /// schema that is not a system schema and not an extension's.
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
    // `--from` wins over `--database-url` (which may come from the
    // environment).
    let from = match (arguments.from.is_empty(), &arguments.database_url) {
        (false, _) => SchemaSource::parse(&arguments.from)?,
        (true, Some(url)) => SchemaSource::Database(url.clone()),
        (true, None) => SchemaSource::parse(&[])?,
    };
    let schema = source::load(from, arguments.schemas, arguments.strict)?;

    let text = match arguments.format {
        Format::Sql => autogen_schema::ddl::schema_to_sql(&schema),
        Format::Json => {
            let mut json = serde_json::to_string_pretty(&schema).context("writing JSON")?;
            json.push('\n');
            json
        }
    };
    crate::project::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
