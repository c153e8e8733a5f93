//! `autogen inspect`: print a live database's schema.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use autogen_introspect::Options;

/// Arguments of `autogen inspect`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Objects autogen does not model yet (views, functions, triggers, …) are \
listed on stderr as a warning; they are not part of the output.")]
pub struct InspectArgs {
    /// The database to read, e.g. postgres://user:password@localhost:5432/app.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, value_name = "URL")]
    database_url: String,

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
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    let options = Options { schemas: arguments.schemas };
    let introspection =
        runtime.block_on(autogen_introspect::introspect(&arguments.database_url, &options))?;

    if !introspection.unmodeled.is_empty() {
        let listed: Vec<String> = introspection.unmodeled.iter().map(ToString::to_string).collect();
        eprintln!(
            "warning: {} object(s) autogen does not model yet are left out: {}",
            listed.len(),
            listed.join(", ")
        );
    }

    let text = match arguments.format {
        Format::Sql => autogen_schema::ddl::schema_to_sql(&introspection.schema),
        Format::Json => {
            let mut json =
                serde_json::to_string_pretty(&introspection.schema).context("writing JSON")?;
            json.push('\n');
            json
        }
    };
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.context("writing to stdout")?,
    }
    Ok(ExitCode::SUCCESS)
}
