//! Both ways of declaring the blog give one schema, and the structs read
//! the rows of the tables their migrations make:
//! - the schema the derives build at run time equals what the CLI reads
//!   from `src/models/` without compiling it;
//! - and equals what the SQL example's migrations (`examples/blog`) give;
//! - the migrations autogen wrote from the models, run by sqlx's migrator,
//!   make tables the same structs read with sqlx.

use std::path::Path;

fn read_models() -> autogen_schema::Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/models/mod.rs");
    let text = std::fs::read_to_string(&path).unwrap();
    let declarations = autogen_dsl::parse::file(&text, &path.display().to_string()).unwrap();
    autogen_dsl::assemble(&declarations).unwrap().schema
}

#[test]
fn the_derives_build_what_the_cli_reads() {
    assert_eq!(blog_rs::schema().unwrap(), read_models());
}

#[test]
fn the_models_declare_what_the_sql_examples_migrations_give() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../blog/migrations");
    let mut ups: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(".up.sql"))
        .collect();
    ups.sort();
    let sources: Vec<autogen_sql::Source> = ups
        .iter()
        .map(|path| autogen_sql::Source {
            name: path.display().to_string(),
            text: std::fs::read_to_string(path).unwrap(),
        })
        .collect();
    let replayed = autogen_sql::replay(autogen_schema::Schema::default(), &sources);
    assert!(replayed.diagnostics.is_empty(), "{:?}", replayed.diagnostics);
    let from_sql = autogen_emit::schema_sql(&replayed.schema);
    let from_rust = autogen_emit::schema_sql(&blog_rs::schema().unwrap());
    assert_eq!(from_rust, from_sql);
}

#[test]
fn the_structs_read_the_rows_of_the_tables_their_migrations_make() {
    use blog_rs::models::PostStatus;
    let database = autogen_pgtemp::fresh_database().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        use sqlx::Connection as _;
        let mut connection = sqlx::PgConnection::connect(database.url()).await.unwrap();
        let migrations = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        sqlx::migrate::Migrator::new(migrations).await.unwrap().run(&mut connection).await.unwrap();
        sqlx::raw_sql(
            "INSERT INTO users (email, display_name) VALUES ('ada@example.com', 'Ada');
             INSERT INTO posts (author_id, title, status, embedding)
                 VALUES (1, 'Hello', 'published', array_fill(0.5, ARRAY[384])::vector),
                        (1, 'Draft', 'draft', NULL);",
        )
        .execute(&mut connection)
        .await
        .unwrap();
        let posts = blog_rs::published_posts(&mut connection, 1).await.unwrap();
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0].title, "Hello");
        assert_eq!(posts[0].status, PostStatus::Published);
        assert_eq!(posts[0].body, "");
        assert_eq!(posts[0].embedding.as_ref().unwrap().as_slice().len(), 384);
    });
}
