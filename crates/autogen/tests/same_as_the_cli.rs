//! The schema a program builds at run time from its derived models equals
//! the schema the CLI reads from the same source file without compiling it.

#[allow(dead_code, unreachable_pub)]
#[path = "models/blog.rs"]
mod blog;

#[test]
fn the_derive_and_the_cli_read_one_schema() {
    let at_run_time = autogen::schema![
        blog::Status,
        blog::User,
        blog::Post,
        blog::PostTag,
        blog::Slug,
        blog::Revision
    ]
    .unwrap_or_else(|problems| panic!("{problems:?}"));

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/models/blog.rs");
    let text = std::fs::read_to_string(path).unwrap();
    let declarations = autogen_dsl::parse::file(&text, path).unwrap();
    let read = autogen_dsl::assemble(&declarations).unwrap().schema;

    assert_eq!(at_run_time, read);
    assert_eq!(read.tables.len(), 3);
    let posts = &read.tables[&autogen_schema::QualifiedName::new("public", "posts")];
    assert!(posts.column("rendered").is_none());
    assert_eq!(posts.column("embedding").unwrap().data_type.to_string(), "vector(384)");
    let users = &read.tables[&autogen_schema::QualifiedName::new("public", "users")];
    let names: Vec<&str> =
        users.exclusion_constraints.iter().map(|exclusion| exclusion.name.as_str()).collect();
    assert_eq!(names, ["users_lower_excl"]);
    let slug = &read.domains[&autogen_schema::QualifiedName::new("public", "slug")];
    let checks: Vec<&str> = slug.checks.iter().map(|check| check.name.as_str()).collect();
    assert_eq!(checks, ["slug_check", "slug_form"]);
    let revision = &read.composites[&autogen_schema::QualifiedName::new("public", "revision")];
    let attributes: Vec<&str> =
        revision.attributes.iter().map(|attribute| attribute.name.as_str()).collect();
    assert_eq!(attributes, ["number", "note", "slug"]);
    assert_eq!(posts.column("revisions").unwrap().data_type.to_string(), "public.revision[]");
}

#[test]
fn what_one_derive_cannot_see_is_an_error_at_run_time() {
    // Post references users, which is not listed.
    let problems = autogen::schema![blog::Status, blog::Post].unwrap_err();
    assert!(
        problems[0]
            .message
            .starts_with("references = \"users.id\": no model has the table `users`"),
        "{problems:?}"
    );
    // Post's status field is of an enum that is not listed.
    let problems = autogen::schema![blog::User, blog::Post].unwrap_err();
    assert!(problems[0].message.contains("cannot map the type `Status`"), "{problems:?}");
    // Revision holds a Slug, which is not listed.
    let problems = autogen::schema![blog::Revision].unwrap_err();
    assert!(problems[0].message.starts_with("`slug`: autogen cannot map the type `Slug`"));
}
