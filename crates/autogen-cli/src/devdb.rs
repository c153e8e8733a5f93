//! The ephemeral database (`--dev-db`, `revision --verify`): a cluster of
//! its own (autogen-pgtemp: `initdb` in a temporary folder, removed when
//! autogen exits), the migrations applied by the runner as `upgrade`
//! applies them, and the result introspected — exact where replaying the
//! SQL in memory cannot be.

use anyhow::Context as _;
use autogen_schema::Schema;

use crate::config::Project;
use crate::migrations::Migration;
use crate::output;
use crate::runner::{Database, Folder};

/// A running throwaway cluster with the project's migrations applied.
pub(crate) struct DevDb {
    /// Stops the server and removes its folder when dropped.
    _cluster: autogen_pgtemp::Cluster,
    pub(crate) url: String,
    pub(crate) database: Database,
    /// The version the migrations took it to (0: none).
    pub(crate) at: i64,
}

impl DevDb {
    /// Starts a cluster and applies every migration of the project.
    pub(crate) fn start(project: &Project) -> anyhow::Result<Self> {
        let cluster = output::while_working("starting a PostgreSQL cluster", || {
            autogen_pgtemp::Cluster::start()
        })
        .context("starting the ephemeral database")?;
        let url = cluster.url("postgres");
        let mut database = Database::connect(&url)?;
        let folder = Folder::read(&project.migrations)?;
        database.lock_only()?;
        let mut at = 0;
        for step in &folder.migrations {
            database
                .apply(step, at, 0) // an ephemeral cluster: no lock to wait for
                .context("applying the migrations on the ephemeral database")?;
            at = step.version;
        }
        Ok(DevDb { _cluster: cluster, url, database, at })
    }

    /// The database's schema, cut to what the project manages.
    pub(crate) fn schema(&self, project: &Project, strict: bool) -> anyhow::Result<Schema> {
        crate::source::managed_database(project, &self.url, strict)
    }
}

/// `revision --verify`: applies the new migrations' up files, then their
/// down files in reverse (as the files would be, with sqlx), on the
/// migrations applied to a throwaway cluster; the ups must give the
/// declared schema and the downs the schema before them. `steps` are the
/// migrations as they would be written.
pub(crate) fn verify(
    project: &Project,
    steps: &[Migration],
    declared: &Schema,
    strict: bool,
) -> anyhow::Result<()> {
    let mut dev = DevDb::start(project)?;
    let before = dev.schema(project, strict)?;
    let mut at = dev.at;
    for step in steps {
        dev.database.apply(step, at, 0).context("--verify: the up migration does not apply")?;
        at = step.version;
    }
    let after_up = dev.schema(project, strict)?;
    differs(
        &after_up,
        declared,
        "after the up migration, the database differs from the declared schema",
    )?;
    for step in steps.iter().rev() {
        dev.database
            .revert(step, step.version, 0)
            .context("--verify: the down migration does not apply")?;
    }
    let after_down = dev.schema(project, strict)?;
    differs(
        &after_down,
        &before,
        "after the down migration, the database differs from the schema before the up migration",
    )
}

/// An error listing what takes `actual` to `expected`, if anything does.
fn differs(actual: &Schema, expected: &Schema, what: &str) -> anyhow::Result<()> {
    let plan = autogen_diff::diff(actual, expected, &autogen_diff::Hints::default());
    if plan.is_empty() {
        return Ok(());
    }
    let operations: Vec<String> = plan.steps.iter().map(|step| step.operation.describe()).collect();
    anyhow::bail!("--verify: {what}: still to do: {}", operations.join("; "))
}
