//! PostgreSQL's word on text it rewrites (docs/ARCHITECTURE.md, "Canonical
//! forms"). A view's query, a policy's expression or a SQL-standard body
//! read from SQL is kept in a normalised form of what was written; a
//! database gives PostgreSQL's own text. Before the two are compared, the
//! database is asked: the plan from it to the written schema runs in a
//! transaction that is rolled back, and what PostgreSQL printed takes the
//! place of each written text (which migrations keep writing).

use anyhow::Context as _;
use autogen_diff::Hints;
use autogen_schema::Schema;

/// Gives `written`'s normalised texts PostgreSQL's text, asking the
/// database at `url`, whose schema is `database`. Nothing runs when
/// `written` has no normalised text. Texts PostgreSQL gave none for stay
/// as written (they will show as changed): a warning names each.
pub(crate) fn written_against(
    url: &str,
    database: &Schema,
    written: &mut Schema,
    hints: &Hints,
    schemas: &[String],
) -> anyhow::Result<()> {
    if !written.has_normalised_texts() {
        return Ok(());
    }
    let script = autogen_emit::migration(database, written, hints).up;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    let options = autogen_introspect::Options { schemas: schemas.to_vec(), reads_at_once: 1 };
    let left = crate::output::while_working(
        "asking PostgreSQL for its text of views and expressions",
        || {
            runtime.block_on(async {
                let mut connection = autogen_introspect::connect(url).await?;
                let left =
                    autogen_introspect::settle(&mut connection, written, &script, &options).await;
                let _ = sqlx::Connection::close(connection).await;
                left
            })
        },
    )
    .with_context(|| {
        format!(
            "asking {} for PostgreSQL's text of the declared views and expressions",
            autogen_introspect::redact_url(url)
        )
    })?;
    for place in left {
        crate::output::warn(&format!(
            "PostgreSQL gave no text for {place}: it is compared as written, and may show as changed"
        ));
    }
    Ok(())
}
