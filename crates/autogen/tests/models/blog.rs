//! The blog's models, used by the derive at run time and read by the CLI's
//! reader from this file: both must give one schema.

use autogen::{Model, PgComposite, PgDomain, PgEnum};

#[derive(PgEnum)]
#[autogen(name = "post_status")]
pub enum Status {
    Draft,
    #[autogen(label = "live")]
    Published,
    Archived,
}

/// Who writes.
#[derive(Model)]
#[autogen(exclude(elements = "lower(email) WITH =", where = "display_name IS NOT NULL"))]
pub struct User {
    #[autogen(primary_key, identity)]
    pub id: i64,
    #[autogen(unique, check = "email LIKE '%@%'")]
    pub email: String,
    /// Shown on posts.
    pub display_name: Option<String>,
}

#[derive(Model)]
#[autogen(index(
    name = "posts_embedding_idx",
    method = "hnsw",
    columns(embedding),
    opclass = "vector_cosine_ops",
    with(m = 16, ef_construction = 64)
))]
#[autogen(unique(author_id, title))]
pub struct Post {
    #[autogen(primary_key, identity)]
    pub id: i64,
    #[autogen(references = "users.id", on_delete = "cascade", index)]
    pub author_id: i64,
    pub title: String,
    #[autogen(default = "'draft'")]
    pub status: Status,
    pub tags: Vec<String>,
    pub embedding: Option<autogen::Vector<384>>,
    #[autogen(skip)]
    pub rendered: String,
    pub slug: Slug,
    pub revisions: Vec<Revision>,
}

/// URL-safe names.
#[derive(PgDomain)]
#[autogen(collation = "C", not_null, check(name = "slug_form", expr = "VALUE ~ '^[a-z0-9-]+$'"))]
#[autogen(check = "length(VALUE) <= 80")]
pub struct Slug(String);

#[derive(PgComposite)]
#[autogen(comment = "One edit of a post.")]
pub struct Revision {
    pub number: i32,
    #[autogen(sql_type = "varchar(200)", collation = "C")]
    pub note: Option<String>,
    pub slug: Slug,
}

#[derive(Model)]
#[autogen(table = "post_tags", primary_key(post_id, tag))]
pub struct PostTag {
    #[autogen(references = "posts.id", on_delete = "cascade")]
    pub post_id: i64,
    pub tag: String,
}
