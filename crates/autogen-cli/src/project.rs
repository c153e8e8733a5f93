//! The two schemas the project commands compare: the declared one (the
//! `schema` files) and the current one (the migrations replayed in memory,
//! or a live database), each cut to what the project manages.

use std::path::Path;

use anyhow::{bail, Context as _};
use autogen_diff::Hints;
use autogen_schema::Schema;

use crate::config::Project;
use crate::source;

/// Where the current schema comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Current {
    /// The migrations folder replayed in memory: no database.
    Migrations,
    /// A live database, introspected.
    Database(String),
    /// The migrations applied to an ephemeral cluster, introspected.
    DevDb,
}

impl Current {
    /// The database when `--database` is given or `--database-url` is on
    /// the command line; the migrations otherwise.
    pub(crate) fn choose(
        project: &Project,
        database: bool,
        url_flag: Option<&str>,
    ) -> anyhow::Result<Self> {
        if let Some(url) = url_flag {
            return Ok(Current::Database(url.to_owned()));
        }
        if !database {
            return Ok(Current::Migrations);
        }
        match project.database_url()? {
            Some(url) => Ok(Current::Database(url)),
            None => bail!(
                "--database needs a database URL: set database_url in {} or give --database-url",
                project.describe_file()
            ),
        }
    }
}

/// The declared schema — the `schema` files and folders read as SQL, and
/// the Rust `models` — and the renames the models name (`renamed_from`).
pub(crate) fn declared(project: &Project, strict: bool) -> anyhow::Result<(Schema, Hints)> {
    if project.schema.is_empty() && project.models.is_empty() {
        bail!(
            "no declared schema: set `schema` (SQL) or `models` (Rust) in {}, or give --schema-path or --models",
            project.describe_file()
        );
    }
    let (models_sql, renames) = if project.models.is_empty() {
        (None, Hints::default())
    } else {
        let assembled = source::read_models(&project.models).context("reading the models")?;
        (Some(assembled.sql), assembled.renames)
    };
    let read = source::parse_files_and(&project.schema, models_sql)
        .context("reading the declared schema")?;
    source::report(&read.diagnostics, strict)?;
    Ok((project.managed(read.schema), renames))
}

/// The schema the migrations give, replayed in memory.
pub(crate) fn replayed(project: &Project, strict: bool) -> anyhow::Result<Schema> {
    if !project.migrations.exists() {
        return Ok(Schema::default());
    }
    let read =
        source::replay_migrations(&project.migrations).context("replaying the migrations")?;
    source::report(&read.diagnostics, strict)?;
    Ok(project.managed(read.schema))
}

/// The database a current schema was read from, kept while it can still
/// be asked for PostgreSQL's text of what the declared schema writes
/// (`crate::settle`).
pub(crate) enum Live {
    Url(String),
    Dev(Box<crate::devdb::DevDb>),
}

impl Live {
    pub(crate) fn url(&self) -> &str {
        match self {
            Live::Url(url) => url,
            Live::Dev(dev) => &dev.url,
        }
    }

    /// Gives `declared`'s written texts PostgreSQL's text, asking this
    /// database, whose schema is `current`.
    pub(crate) fn settle(
        &self,
        project: &Project,
        current: &Schema,
        declared: &mut Schema,
        hints: &Hints,
    ) -> anyhow::Result<()> {
        crate::settle::written_against(self.url(), current, declared, hints, &project.schemas)
    }
}

/// The current schema, from where `current` says, and the database it was
/// read from (none for migrations replayed in memory).
pub(crate) fn current(
    project: &Project,
    current: &Current,
    strict: bool,
) -> anyhow::Result<(Schema, Option<Live>)> {
    match current {
        Current::Migrations => Ok((replayed(project, strict)?, None)),
        Current::DevDb => {
            let dev = crate::devdb::DevDb::start(project)?;
            Ok((dev.schema(project, strict)?, Some(Live::Dev(Box::new(dev)))))
        }
        Current::Database(url) => {
            Ok((source::managed_database(project, url, strict)?, Some(Live::Url(url.clone()))))
        }
    }
}

/// The rename hints of the hints file, if the project names one, and of
/// the models (`renames`, from [`declared`]).
pub(crate) fn hints(path: Option<&Path>, renames: Hints) -> anyhow::Result<Hints> {
    let mut hints = match path {
        None => Hints::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read the hints", path.display()))?;
            Hints::from_toml(&text)
                .map_err(|error| anyhow::anyhow!("{}: {error}", path.display()))?
        }
    };
    hints.extend(renames);
    Ok(hints)
}

/// Stops the command when the plan would break what autogen does not
/// model, or make a change PostgreSQL would refuse that autogen cannot
/// work around (`Plan::blocked`): each reason on its own line.
pub(crate) fn refuse_blocked(plan: &autogen_diff::Plan) -> anyhow::Result<()> {
    if plan.blocked.is_empty() {
        return Ok(());
    }
    for reason in &plan.blocked {
        crate::output::error(reason);
    }
    anyhow::bail!(
        "the plan would fail or break {} (see above); nothing was written",
        if plan.blocked.len() == 1 {
            "something".to_owned()
        } else {
            format!("{} things", plan.blocked.len())
        }
    )
}

/// `hints` checked against the schemas they rename between (see
/// `Hints::check`): a hint naming nothing, or hints renaming in a circle,
/// stop the command, each mistake named.
pub(crate) fn check_hints(
    hints_file: Option<&Path>,
    hints: &Hints,
    from: &Schema,
    to: &Schema,
) -> anyhow::Result<()> {
    let Err(problems) = hints.check(from, to) else { return Ok(()) };
    let origin = match hints_file {
        Some(path) => format!("{} or a model's renamed_from", path.display()),
        None => "a model's renamed_from".to_owned(),
    };
    anyhow::bail!(
        "rename hints that do not fit the schemas (correct or remove them in {origin}): {}",
        problems.join("; ")
    )
}
