//! Reads a live PostgreSQL catalog into autogen's [`Schema`].
//!
//! A handful of whole-database catalog queries — one per object kind, kept
//! as `.sql` files under `src/queries/` — never one query per table. Objects
//! the model does not describe yet (views, functions, triggers, …) come back
//! as [`Unmodeled`] warnings instead of being silently treated as absent.
//!
//! This is the only library crate of autogen that talks to a database.

mod catalog;
mod connect;
mod index_definition;
mod partition_key;
mod privileges;
mod redact;
mod routines;
mod rows;

use autogen_schema::Schema;

pub use connect::{check_url, connect};
pub use redact::{redact_message, redact_url};

/// What to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The schemas (namespaces) to read, by name or glob (`tenant_*`: `*`
    /// any characters, `?` one); empty reads every schema that is not a
    /// system schema and not an extension's.
    pub schemas: Vec<String>,
    /// How many reads run at once, this one included (0 counts as 1): see
    /// [`introspect`].
    pub reads_at_once: usize,
}

/// A schema read from a database, with what could not be modelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Introspection {
    pub schema: Schema,
    /// Objects in scope that the model does not describe, ordered by kind,
    /// schema and name.
    pub unmodeled: Vec<Unmodeled>,
}

/// An object in the database that autogen's model does not describe yet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unmodeled {
    /// `rule`, `foreign table`, `window function`, `range type`, …
    pub kind: String,
    /// The schema it is in.
    pub schema: String,
    /// Its name (`table.trigger` for objects that belong to a table,
    /// `name(argument types)` for functions).
    pub name: String,
}

impl std::fmt::Display for Unmodeled {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{} {}.{}", self.kind, self.schema, self.name)
    }
}

/// What can go wrong reading a catalog. Messages never contain a password.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid database URL `{url}`: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("could not connect to `{url}`: {reason}")]
    Connect { url: String, reason: String },
    #[error("reading the catalog ({query}) failed: {source}")]
    Query { query: &'static str, source: sqlx::Error },
    #[error("unexpected catalog contents: {message}")]
    Catalog { message: String },
    #[error("the statements run to read PostgreSQL's own text failed (rolled back): {source}")]
    Script { source: sqlx::Error },
    #[error("the server runs PostgreSQL {version}; autogen reads PostgreSQL 15 and newer")]
    UnsupportedVersion { version: String },
}

/// Connects to `url` and reads its schema. A second connection, when the
/// server grants one, takes about half of the work (the keys, indexes,
/// sequences and unmodelled objects, while the first reads the rest); both
/// read one snapshot. A server on this machine shares its cores with the
/// reads: there, the second connection is taken only when the machine has
/// a core for each connection of the `reads_at_once` ([`Options`]) — two
/// databases read at once on two cores take one each, which spares each
/// server the work of a second backend with nothing to run it on.
pub async fn introspect(url: &str, options: &Options) -> Result<Introspection, Error> {
    let mut connection = connect(url).await?;
    let mut helper = match connect::takes_helper(url, options.reads_at_once) {
        true => connect(url).await.ok(),
        false => None,
    };
    let result = catalog::read(&mut connection, helper.as_mut(), options).await;
    if let Some(helper) = helper {
        let _ = sqlx::Connection::close(helper).await;
    }
    let _ = sqlx::Connection::close(connection).await;
    result
}

/// Reads the schema through an open connection. Sets the transaction's
/// `search_path` to `public`, the canonical form every expression is
/// printed in, and `TimeZone` to UTC and `DateStyle` to ISO, the form
/// date and time constants (partition bounds, defaults) are printed in.
pub async fn introspect_connection(
    connection: &mut sqlx::PgConnection,
    options: &Options,
) -> Result<Introspection, Error> {
    catalog::read(connection, None, options).await
}

/// Reads the schema `connection`'s database would have after `script`,
/// which runs in a transaction that is then rolled back: how autogen asks
/// PostgreSQL for its own text of queries and expressions it rewrites
/// (`autogen_diff::settle`). The script's locks are waited for at most
/// five seconds and held until the rollback.
pub async fn introspect_after(
    connection: &mut sqlx::PgConnection,
    script: &str,
    options: &Options,
) -> Result<Introspection, Error> {
    catalog::read_after(connection, script, options).await
}

/// Gives every normalised text of `declared` (a view's query, a policy's
/// expression … as a SQL source wrote them) PostgreSQL's own text: `script`
/// — the plan from the database's schema to `declared` — runs in a
/// transaction that is rolled back, and the catalog read in between says
/// how PostgreSQL printed each text. A schema without normalised texts is
/// left as it is and nothing runs. Returns the places PostgreSQL gave no
/// text for (left normalised: they will compare as changed).
pub async fn settle(
    connection: &mut sqlx::PgConnection,
    declared: &mut Schema,
    script: &str,
    options: &Options,
) -> Result<Vec<autogen_schema::views::TextPlace>, Error> {
    if !declared.has_normalised_texts() {
        return Ok(Vec::new());
    }
    let applied = introspect_after(connection, script, options).await?;
    Ok(declared.adopt_catalog_texts(&applied.schema))
}
