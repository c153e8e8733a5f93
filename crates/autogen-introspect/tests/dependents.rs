//! What objects the model does not describe depend on, read from
//! `pg_depend`: each unmodelled object names the tables, columns, enum
//! types, sequences and indexes it needs, and whether PostgreSQL refuses to
//! drop them while it exists.

use autogen_schema::{QualifiedName, Reference, UnmodelledObject};

fn name(schema: &str, name: &str) -> QualifiedName {
    QualifiedName::new(schema, name)
}

fn column(table: &str, column: &str) -> Reference {
    Reference::Column(name("public", table), column.to_owned())
}

/// `(reference, blocks_drop)` of the object `kind schema.name`.
fn dependencies(objects: &[UnmodelledObject], kind: &str, object: &str) -> Vec<(Reference, bool)> {
    let found = objects
        .iter()
        .find(|candidate| candidate.kind == kind && candidate.name == object)
        .unwrap_or_else(|| panic!("no {kind} {object} in {objects:#?}"));
    let mut dependencies: Vec<(Reference, bool)> = found
        .depends_on
        .iter()
        .map(|dependency| (dependency.on.clone(), dependency.blocks_drop))
        .collect();
    dependencies.sort();
    dependencies
}

#[test]
fn unmodelled_objects_name_what_they_depend_on() {
    let database = autogen_pgtemp::fresh_database().unwrap();
    database
        .load_sql(
            "CREATE TYPE mood AS ENUM ('sad', 'happy');
             CREATE SEQUENCE tickets;
             CREATE TABLE users (id integer PRIMARY KEY, name text, email text, feeling mood);
             CREATE VIEW named AS SELECT id, name FROM users;
             CREATE RULE keep_mail AS ON UPDATE TO users WHERE new.email IS NULL DO INSTEAD NOTHING;
             CREATE FOREIGN DATA WRAPPER nowhere;
             CREATE SERVER nowhere FOREIGN DATA WRAPPER nowhere;
             CREATE FOREIGN TABLE events (at date NOT NULL, who users,
                                          feeling mood, ticket bigint DEFAULT nextval('tickets'))
                 SERVER nowhere;
             CREATE FOREIGN TABLE special_users (badge text) INHERITS (users) SERVER nowhere;
             CREATE TABLE vip_users (level integer) INHERITS (users);
             CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
             CREATE TRIGGER users_touch BEFORE UPDATE OF email ON users FOR EACH ROW EXECUTE FUNCTION touch();
             CREATE TRIGGER named_insert INSTEAD OF INSERT ON named FOR EACH ROW EXECUTE FUNCTION touch();
             ALTER TABLE users ENABLE ROW LEVEL SECURITY;
             CREATE POLICY own ON users USING (name = current_user);
             CREATE TRIGGER special_checked AFTER INSERT ON special_users
                 FOR EACH ROW WHEN (new.badge IS NOT NULL) EXECUTE FUNCTION touch();
             CREATE DOMAIN cheerful AS mood CHECK (VALUE <> 'sad');
             CREATE FUNCTION cheer(m cheerful) RETURNS text LANGUAGE sql AS $$ SELECT m::text $$;
             CREATE FUNCTION shout(u users) RETURNS text LANGUAGE sql AS $$ SELECT upper(u.name) $$;",
        )
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let options = autogen_introspect::Options::default();
    let read = runtime.block_on(autogen_introspect::introspect(database.url(), &options)).unwrap();
    let objects = &read.schema.unmodelled.objects;

    // An inheriting table is modelled; a foreign one is not.
    assert_eq!(
        read.schema.tables[&name("public", "vip_users")].inherits,
        [name("public", "users")]
    );
    assert!(!read.schema.tables.contains_key(&name("public", "special_users")));
    // Views are modelled, their triggers with them.
    let named = &read.schema.views[&name("public", "named")];
    assert_eq!(named.triggers.len(), 1);
    assert_eq!(named.triggers[0].name, "named_insert");
    assert!(!objects.iter().any(|object| object.name.starts_with("named.")), "{objects:#?}");
    assert_eq!(
        dependencies(objects, "rule", "users.keep_mail"),
        [(Reference::Table(name("public", "users")), true), (column("users", "email"), true)]
    );
    assert_eq!(
        dependencies(objects, "foreign table", "events"),
        [
            // `who users`: the table's row type.
            (Reference::Table(name("public", "users")), true),
            (Reference::Type(name("public", "mood")), true),
            (Reference::Sequence(name("public", "tickets")), true),
        ]
    );
    assert_eq!(
        dependencies(objects, "foreign table", "special_users"),
        [
            (Reference::Table(name("public", "users")), true),
            (Reference::Type(name("public", "mood")), true),
        ]
    );
    // A trigger and a policy of a table the model describes are its own;
    // those of a relation it does not describe are reported, with what they
    // need of modelled ones.
    let users = &read.schema.tables[&name("public", "users")];
    assert_eq!(users.triggers.len(), 1);
    assert_eq!(users.policies.len(), 1);
    assert!(users.row_security);
    assert!(
        !objects.iter().any(|object| object.kind != "rule" && object.name.starts_with("users.")),
        "{objects:#?}"
    );
    assert!(!objects.iter().any(|object| object.kind == "row level security"));
    assert_eq!(
        dependencies(objects, "trigger", "special_users.special_checked"),
        // The function it runs (its table and column are no model's).
        [(Reference::Function(name("public", "touch")), true)]
    );
    // Functions are modelled: not among them.
    assert!(objects.iter().all(|object| object.kind != "function"), "{objects:?}");
    let functions: Vec<String> = read.schema.functions.keys().map(ToString::to_string).collect();
    assert_eq!(
        functions,
        ["public.cheer(public.cheerful)", "public.shout(public.users)", "public.touch()"]
    );
    let relations: Vec<String> =
        objects.iter().filter(|object| object.relation).map(|object| object.to_string()).collect();
    assert_eq!(relations, ["foreign table public.events", "foreign table public.special_users"]);
}
