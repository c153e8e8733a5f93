//! The blog example with Rust models: `src/models/` declares the schema
//! (autogen reads it without compiling; `autogen revision` wrote
//! `migrations/` from it), and the same structs read rows with sqlx.

pub mod models;

use models::{Post, PostStatus};

/// The schema the models declare, built at run time — the one `autogen
/// diff` reads from `src/models/`.
pub fn schema() -> Result<autogen::Schema, Vec<autogen::Problem>> {
    use models::*;
    autogen::schema![PostStatus, User, Post, Tag, PostTag]
}

/// The published posts of an author, newest first: the struct autogen
/// made the table from is the row sqlx reads.
pub async fn published_posts(
    connection: &mut sqlx::PgConnection,
    author_id: i64,
) -> sqlx::Result<Vec<Post>> {
    sqlx::query_as::<_, Post>(
        "SELECT * FROM posts WHERE author_id = $1 AND status = $2 ORDER BY created_at DESC, id DESC",
    )
    .bind(author_id)
    .bind(PostStatus::Published)
    .fetch_all(connection)
    .await
}
