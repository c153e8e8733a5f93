//! The blog's tables. Each struct is a table for autogen (`#[derive(Model)]`)
//! and a row for sqlx (`#[derive(sqlx::FromRow)]`); `PostStatus` is both an
//! enum type and the Rust enum sqlx decodes it into.

use autogen::{Model, PgEnum};
use chrono::{DateTime, Utc};

/// Where a post is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PgEnum, sqlx::Type)]
#[autogen(name = "post_status")]
#[sqlx(type_name = "post_status", rename_all = "snake_case")]
pub enum PostStatus {
    Draft,
    Published,
    Archived,
}

#[derive(Debug, Clone, Model, sqlx::FromRow)]
pub struct User {
    #[autogen(primary_key, identity)]
    pub id: i64,
    #[autogen(unique)]
    pub email: String,
    pub display_name: String,
    #[autogen(default = "now()")]
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Model, sqlx::FromRow)]
#[autogen(index(
    name = "posts_embedding_idx",
    method = "hnsw",
    columns(embedding),
    opclass = "vector_cosine_ops",
    with(m = 16, ef_construction = 64)
))]
pub struct Post {
    #[autogen(primary_key, identity)]
    pub id: i64,
    #[autogen(references = "users.id", on_delete = "cascade", index)]
    pub author_id: i64,
    pub title: String,
    #[autogen(default = "''")]
    pub body: String,
    #[autogen(default = "'draft'")]
    pub status: PostStatus,
    #[autogen(default = "now()")]
    pub created_at: DateTime<Utc>,
    // all-MiniLM-L6-v2 sentence embeddings, for related posts
    #[autogen(dimension = 384)]
    pub embedding: Option<pgvector::Vector>,
}

#[derive(Debug, Clone, Model, sqlx::FromRow)]
pub struct Tag {
    #[autogen(primary_key, identity)]
    pub id: i32,
    #[autogen(unique)]
    pub name: String,
}

#[derive(Debug, Clone, Model, sqlx::FromRow)]
#[autogen(primary_key(post_id, tag_id))]
pub struct PostTag {
    #[autogen(references = "posts.id", on_delete = "cascade")]
    pub post_id: i64,
    #[autogen(references = "tags.id", on_delete = "cascade")]
    pub tag_id: i32,
}
