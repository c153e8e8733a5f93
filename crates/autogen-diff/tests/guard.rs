//! The safety net: a plan that would break what autogen does not model —
//! from SQL sources here (`tests/dependents.rs` of autogen-introspect
//! reads the same dependencies from a catalog) — is blocked, each reason
//! naming the object, the step, and what unblocks it; plans that touch
//! nothing such an object needs are not.

mod common;

use common::schema;

use autogen_diff::{diff, Hints};
use autogen_schema::Schema;

fn blocked(from: &str, to: &str) -> Vec<String> {
    diff(&schema(from), &schema(to), &Hints::default()).blocked
}

const USERS: &str = "CREATE TYPE mood AS ENUM ('sad', 'happy', 'meh');
CREATE SEQUENCE tickets;
CREATE TABLE users (id integer PRIMARY KEY, name text, email text, feeling mood);";

/// A rule (which autogen does not model) on `users` reading `columns`,
/// as a catalog reports it.
fn with_rule(mut schema: Schema, name: &str, columns: &[&str]) -> Schema {
    use autogen_schema::{Dependency, QualifiedName, Reference};
    let users = QualifiedName::new("public", "users");
    let mut depends_on =
        vec![Dependency { on: Reference::Table(users.clone()), blocks_drop: false }];
    depends_on.extend(columns.iter().map(|column| Dependency {
        on: Reference::Column(users.clone(), (*column).to_owned()),
        blocks_drop: true,
    }));
    schema.unmodelled.objects.push(autogen_schema::UnmodelledObject {
        kind: "rule".to_owned(),
        schema: "public".to_owned(),
        name: format!("users.{name}"),
        relation: false,
        depends_on,
    });
    schema
}

#[test]
fn a_rule_stops_the_drop_or_type_change_of_a_column_it_reads() {
    let from = with_rule(schema(USERS), "keep_mail", &["id", "email"]);
    let to = "CREATE TYPE mood AS ENUM ('sad', 'happy', 'meh');
CREATE SEQUENCE tickets;
CREATE TABLE users (id bigint PRIMARY KEY, name text, feeling mood);";
    assert_eq!(
        diff(&from, &schema(to), &Hints::default()).blocked,
        [
            "cannot drop column public.users.email: rule public.users.keep_mail depends on \
             column public.users.email, and autogen does not model rules yet (PostgreSQL would \
             refuse the step, or take the rule with it). Change the rule by hand around this \
             migration, or leave public.users alone with ignore = [\"public.users\"]",
            "cannot change type of column public.users.id to bigint: rule public.users.keep_mail \
             depends on column public.users.id, and autogen does not model rules yet \
             (PostgreSQL would refuse the step, or take the rule with it). Change the rule by \
             hand around this migration, or leave public.users alone with ignore = \
             [\"public.users\"]",
        ]
    );
    // A column the rule does not read changes freely.
    let to = format!("{USERS}\nALTER TABLE users ALTER COLUMN name TYPE varchar(80);");
    assert_eq!(diff(&from, &schema(&to), &Hints::default()).blocked, Vec::<String>::new());
}

#[test]
fn a_view_is_rebuilt_around_the_drop_or_type_change_of_a_column_it_reads() {
    // Views are modelled: the plan drops them before and creates them
    // again after, where PostgreSQL refuses the change under them.
    let from = format!("{USERS}\nCREATE VIEW named AS SELECT u.id, u.name FROM users u;");
    let to = format!(
        "{}\nCREATE VIEW named AS SELECT u.id, u.name FROM users u;",
        USERS.replace("id integer", "id bigint")
    );
    let plan = diff(&schema(&from), &schema(&to), &Hints::default());
    assert_eq!(plan.blocked, Vec::<String>::new());
    let described: Vec<String> = plan.steps.iter().map(|step| step.operation.describe()).collect();
    assert_eq!(
        described,
        [
            "drop view public.named",
            "change type of column public.users.id to bigint",
            "create view public.named"
        ]
    );
    // A trigger on the view (not modelled yet), as a catalog reports it,
    // would be lost: that stops it.
    let mut from = schema(&from);
    let named = autogen_schema::QualifiedName::new("public", "named");
    from.unmodelled.objects.push(autogen_schema::UnmodelledObject {
        kind: "trigger".to_owned(),
        schema: "public".to_owned(),
        name: "named.insert_named".to_owned(),
        relation: false,
        depends_on: vec![autogen_schema::Dependency {
            on: autogen_schema::Reference::View(named),
            blocks_drop: false,
        }],
    });
    let blocked = diff(&from, &schema(&to), &Hints::default()).blocked;
    assert_eq!(blocked.len(), 1, "{blocked:#?}");
    assert!(
        blocked[0].starts_with(
            "cannot drop view public.named: trigger public.named.insert_named depends on view \
             public.named"
        ),
        "{blocked:#?}"
    );
    // Dropped for good, the view takes its trigger along.
    let to = USERS.replace("id integer", "id bigint");
    assert_eq!(diff(&from, &schema(&to), &Hints::default()).blocked, Vec::<String>::new());
}

#[test]
fn a_table_made_foreign_is_never_dropped_nor_one_made_partitioned() {
    // (A table made a view is dropped and the view created: views are
    // modelled; a table made to inherit is altered: inheritance is.)
    // (`log`'s row type is a column's: it cannot be set aside.)
    let from = "CREATE TABLE log (id int, at date);
CREATE TABLE copies (entry log);
CREATE TABLE old_names (id int);
CREATE TABLE remote (id int);
CREATE TABLE child (id int);
CREATE TABLE parent (id int);";
    let to = "CREATE TABLE log (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE copies (entry log);
CREATE VIEW old_names AS SELECT 1 AS id;
CREATE FOREIGN TABLE remote (id int) SERVER elsewhere;
CREATE TABLE parent (id int);
CREATE TABLE child (badge text) INHERITS (parent);";
    let reasons = blocked(from, to);
    let tables: Vec<&str> =
        reasons.iter().map(|reason| reason.split(':').next().unwrap()).collect();
    assert_eq!(
        tables,
        [
            "cannot drop table public.remote",
            "cannot make table public.log partitioned (PARTITION BY RANGE (at))",
        ],
        "{reasons:#?}"
    );
    assert!(reasons[0].contains("makes it a foreign table"), "{reasons:#?}");
    // The other way: a table declared where the database has a foreign
    // one, a partitioned table made plain.
    let reasons = blocked(to, from);
    let tables: Vec<&str> =
        reasons.iter().map(|reason| reason.split(':').next().unwrap()).collect();
    assert_eq!(
        tables,
        [
            "cannot create table public.remote",
            "cannot make partitioned table public.log a plain table",
        ],
        "{reasons:#?}"
    );
    assert!(reasons[0].contains("the database holds foreign table public.remote"), "{reasons:#?}");
}

#[test]
fn what_unmodelled_tables_need_is_not_dropped_or_swapped() {
    let from = format!(
        "{USERS}
CREATE FOREIGN TABLE events (at date NOT NULL, feeling mood,
                             ticket bigint DEFAULT nextval('tickets')) SERVER elsewhere;
CREATE TABLE special_users (badge text) INHERITS (users);"
    );
    // The enum loses a value (a swap), the sequence and users go (and the
    // table inheriting from users, modelled, before them).
    let to = "CREATE TYPE mood AS ENUM ('sad', 'happy');";
    let reasons = blocked(&from, to);
    let starts: Vec<String> = reasons
        .iter()
        .map(|reason| reason.split(", and autogen").next().unwrap().to_owned())
        .collect();
    assert_eq!(
        starts,
        [
            "cannot drop sequence public.tickets: foreign table public.events depends on \
             sequence public.tickets",
            "cannot swap type public.mood for new values: foreign table public.events depends \
             on type public.mood",
        ],
        "{reasons:#?}"
    );
}

#[test]
fn renamed_by_hint_the_dependency_follows() {
    let from = with_rule(schema(USERS), "keep_mail", &["id", "email"]);
    let to = "CREATE TYPE mood AS ENUM ('sad', 'happy', 'meh');
CREATE SEQUENCE tickets;
CREATE TABLE accounts (id integer PRIMARY KEY, name text, mail text, feeling mood);
ALTER TABLE accounts DROP COLUMN mail;";
    let hints = Hints::from_toml(
        "[tables]\n\"users\" = \"accounts\"\n[columns]\n\"users.email\" = \"mail\"\n",
    )
    .unwrap();
    let plan = diff(&from, &schema(to), &hints);
    assert_eq!(plan.blocked.len(), 1, "{:#?}", plan.blocked);
    assert!(
        plan.blocked[0].starts_with(
            "cannot drop column public.accounts.mail: rule public.users.keep_mail depends on \
             column public.accounts.mail"
        ),
        "{:#?}",
        plan.blocked
    );
}

#[test]
fn a_trigger_dropped_by_a_later_statement_no_longer_counts() {
    let from = format!(
        "{USERS}\nCREATE TRIGGER touch BEFORE UPDATE OF email ON users FOR EACH ROW \
         EXECUTE FUNCTION touch();\nDROP TRIGGER touch ON users;"
    );
    let to = "CREATE TYPE mood AS ENUM ('sad', 'happy', 'meh');
CREATE SEQUENCE tickets;
CREATE TABLE users (id integer PRIMARY KEY, name text, feeling mood);";
    assert_eq!(blocked(&from, to), Vec::<String>::new());
}

#[test]
fn names_in_reasons_stay_on_one_line() {
    let from = "CREATE TYPE \"m\nn\" AS ENUM ('x');
CREATE FOREIGN TABLE \"p\nq\" (v \"m\nn\") SERVER s;
CREATE TABLE \"l\no\" (at date);
CREATE TABLE copies (entry \"l\no\");";
    let to = "CREATE TABLE \"l\no\" (at date) PARTITION BY RANGE (at);
CREATE TABLE copies (entry \"l\no\");";
    let reasons = blocked(from, to);
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons.iter().all(|reason| !reason.contains('\n')), "{reasons:?}");
}

#[test]
fn a_composite_type_held_otherwise_than_by_columns_is_not_replaced() {
    // PostgreSQL refuses ALTER ATTRIBUTE … TYPE while columns hold the
    // type; autogen replaces it only when nothing but plain columns do.
    let from = "CREATE TYPE pair AS (x integer, y text);
CREATE DOMAIN held AS pair;
CREATE TYPE outer_pair AS (inner_pair pair);
CREATE TABLE t (p pair, h held, o outer_pair);";
    let to = from.replace("x integer", "x bigint");
    assert_eq!(
        blocked(from, &to),
        ["cannot change the attribute types of public.pair: PostgreSQL refuses it in place while \
          columns hold the type, and autogen replaces the type only when nothing but columns of \
          it do; domain public.held, type public.outer_pair, column public.t.h, column \
          public.t.o would keep the old type. Write this change by hand (move those users off \
          the type, change it, move them back), or leave public.pair alone with ignore = \
          [\"public.pair\"]"]
    );
    // Held by plain columns only, it is replaced.
    let from = "CREATE TYPE pair AS (x integer, y text);\nCREATE TABLE t (p pair, ps pair[]);";
    let to = from.replace("x integer", "x bigint");
    assert_eq!(blocked(from, &to), Vec::<String>::new());
    // Its attributes reordered, values read as text would land in the
    // wrong fields.
    let to = from.replace("(x integer, y text)", "(y text, x bigint)");
    assert_eq!(
        blocked(from, &to),
        ["cannot change the attribute types of public.pair: columns hold it and its attributes \
          are reordered, so values cannot be moved over field by field. Write this change by \
          hand (move those users off the type, change it, move them back), or leave \
          public.pair alone with ignore = [\"public.pair\"]"]
    );
    // Held by nothing, it changes in place.
    let from = "CREATE TYPE pair AS (x integer, y text);\nCREATE DOMAIN held AS pair;";
    let to = from.replace("x integer", "x bigint");
    assert_eq!(blocked(from, &to), Vec::<String>::new());
}

#[test]
fn a_trigger_or_a_policy_is_rebuilt_around_the_drop_or_type_change_of_a_column_it_reads() {
    // Triggers and policies are modelled: nothing stops the plan, which
    // drops them before what PostgreSQL refuses under them and creates
    // them again after.
    let from = "CREATE TABLE orders (id int PRIMARY KEY, total numeric, status text, owner uuid, note text);
CREATE TRIGGER orders_touch BEFORE UPDATE OF status ON orders FOR EACH ROW
    WHEN (NEW.total > 0) EXECUTE FUNCTION touch();
CREATE POLICY owner_only ON orders USING (owner IS NOT NULL);";
    let to = "CREATE TABLE orders (id int PRIMARY KEY, total bigint, owner text, note text);
CREATE TRIGGER orders_touch BEFORE UPDATE OF note ON orders FOR EACH ROW
    WHEN (NEW.total > 0) EXECUTE FUNCTION touch();
CREATE POLICY owner_only ON orders USING (owner IS NOT NULL);";
    let plan = diff(&schema(from), &schema(to), &Hints::default());
    assert_eq!(plan.blocked, Vec::<String>::new());
    let described: Vec<String> = plan.steps.iter().map(|step| step.operation.describe()).collect();
    assert_eq!(
        described,
        [
            "drop trigger orders_touch on public.orders",
            "drop policy owner_only on public.orders",
            "drop column public.orders.status",
            "change type of column public.orders.owner to text",
            "change type of column public.orders.total to bigint",
            "create policy owner_only on public.orders",
            "create trigger orders_touch on public.orders",
        ]
    );
}

#[test]
fn a_type_renamed_by_hint_keeps_what_depends_on_it() {
    // A view over a domain and a composite type, as a catalog reports it.
    let mut from = schema(
        "CREATE DOMAIN amount AS integer;
CREATE TYPE address AS (street text);
CREATE TABLE orders (id integer PRIMARY KEY, total amount, sent_to address);",
    );
    from.unmodelled.objects.push(autogen_schema::UnmodelledObject {
        kind: "view".to_owned(),
        schema: "public".to_owned(),
        name: "totals".to_owned(),
        relation: true,
        depends_on: ["amount", "address"]
            .map(|name| autogen_schema::Dependency {
                on: autogen_schema::Reference::Type(autogen_schema::QualifiedName::new(
                    "public", name,
                )),
                blocks_drop: true,
            })
            .to_vec(),
    });
    let hints = Hints::from_toml(
        "[domains]\n\"amount\" = \"sum\"\n[composites]\n\"address\" = \"place\"\n",
    )
    .unwrap();
    // Renamed only: nothing breaks.
    let to = "CREATE DOMAIN sum AS integer;
CREATE TYPE place AS (street text);
CREATE TABLE orders (id integer PRIMARY KEY, total sum, sent_to place);";
    assert_eq!(diff(&from, &schema(to), &hints).blocked, Vec::<String>::new());
    // Renamed, then replaced and dropped under their new names: the view
    // still depends on them.
    let to = "CREATE DOMAIN sum AS bigint;
CREATE TABLE orders (id integer PRIMARY KEY, total sum);";
    let hints = Hints::from_toml("[domains]\n\"amount\" = \"sum\"\n").unwrap();
    let blocked = diff(&from, &schema(to), &hints).blocked;
    let starts: Vec<&str> =
        blocked.iter().map(|reason| reason.split(", and autogen").next().unwrap()).collect();
    assert_eq!(
        starts,
        [
            "cannot drop type public.address: view public.totals depends on type public.address",
            "cannot replace domain public.sum (base type bigint): view public.totals depends on \
             type public.sum",
        ],
        "{blocked:#?}"
    );
}

#[test]
fn what_unmodelled_objects_call_is_not_dropped() {
    let from = "CREATE FUNCTION new_code() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$;
CREATE FOREIGN TABLE events (at date NOT NULL, code text DEFAULT new_code()) SERVER elsewhere;";
    // Its result type changes: dropped and created again.
    let to = "CREATE FUNCTION new_code() RETURNS varchar LANGUAGE sql AS $$ SELECT 'x' $$;
CREATE FOREIGN TABLE events (at date NOT NULL, code text DEFAULT new_code()) SERVER elsewhere;";
    assert_eq!(
        blocked(from, to),
        ["cannot drop function public.new_code(): foreign table public.events depends on \
             function public.new_code, and autogen does not model foreign tables yet \
             (PostgreSQL would refuse the step, or take the foreign table with it). Change \
             the foreign table by hand around this migration, or leave public.new_code \
             alone with ignore = [\"public.new_code\"]"]
    );
    // Replaced in place, it stays.
    let to = "CREATE FUNCTION new_code() RETURNS text LANGUAGE sql AS $$ SELECT 'y' $$;
CREATE FOREIGN TABLE events (at date NOT NULL, code text DEFAULT new_code()) SERVER elsewhere;";
    assert_eq!(blocked(from, to), Vec::<String>::new());
    // Renamed by a hint, the dependency follows it.
    let to = "CREATE FUNCTION fresh_code() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$;
CREATE FOREIGN TABLE events (at date NOT NULL, code text DEFAULT fresh_code()) SERVER elsewhere;";
    let hints = Hints::from_toml("[functions]\n\"new_code\" = \"fresh_code\"\n").unwrap();
    assert!(diff(&schema(from), &schema(to), &hints).blocked.is_empty());
}

#[test]
fn a_change_of_partitioning_that_cannot_move_rows_or_a_partition_leaving_with_its_parents_keys_is_refused(
) {
    let plain = "CREATE TABLE events (at date NOT NULL, body text);";
    let partitioned = "CREATE TABLE events (at date NOT NULL, body text) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');";
    // A table at the top of its partitions has its rows moved.
    assert!(blocked(plain, partitioned).is_empty());
    assert!(blocked(partitioned, plain).is_empty());
    // A partition made partitioned: its parent holds its rows.
    let subpartitioned = partitioned.replace(
        "TO ('2027-01-01');",
        "TO ('2027-01-01') PARTITION BY LIST (body);
CREATE TABLE events_2026_a PARTITION OF events_2026 FOR VALUES IN ('a');",
    );
    let made = blocked(partitioned, &subpartitioned);
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(
        made[0].starts_with(
            "cannot make table public.events_2026 partitioned (PARTITION BY LIST (body)): \
             PostgreSQL cannot change a table's partitioning in place, and autogen moves the \
             rows into a new table only for a table at the top of its partitions: \
             public.events_2026 is a partition"
        ),
        "{made:?}"
    );
    assert!(made[0].ends_with("ignore = [\"public.events_2026\"]"), "{made:?}");
    // A table with inheritance children, or whose row type is used.
    let children = "CREATE TABLE events (at date NOT NULL, body text);
CREATE TABLE old_events (note text) INHERITS (events);";
    let unmade = blocked(children, partitioned);
    assert!(unmade[0].contains("public.events has inheritance parents or children"), "{unmade:?}");
    let typed = |table: &str| {
        format!("{table}\nCREATE FUNCTION latest() RETURNS SETOF events LANGUAGE sql AS $$ SELECT * FROM events $$;")
    };
    let used = blocked(&typed(plain), &typed(partitioned));
    assert!(
        used[0].contains("function public.latest() uses the row type of public.events"),
        "{used:?}"
    );

    let keyed = "CREATE TABLE events (at date NOT NULL, id int NOT NULL, PRIMARY KEY (at, id))
PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');";
    // Detached for good, it takes over what it holds (its names known from
    // the SQL); unknown (a source that does not say), it cannot.
    let detached = "CREATE TABLE events (at date NOT NULL, id int NOT NULL, PRIMARY KEY (at, id))
PARTITION BY RANGE (at);
CREATE TABLE events_2026 (at date NOT NULL, id int NOT NULL);";
    assert!(blocked(keyed, detached).is_empty());
    let mut unknown = schema(keyed);
    for table in unknown.tables.values_mut() {
        table.from_parents = Default::default();
    }
    let left = diff(&unknown, &schema(detached), &Hints::default()).blocked;
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(
        left[0].starts_with(
            "cannot detach partition public.events_2026 from public.events: it holds the \
             indexes and constraints public.events gave it"
        ),
        "{left:?}"
    );
    // Moved under another parent, neither.
    let archive =
        "CREATE TABLE archive (at date NOT NULL, id int NOT NULL) PARTITION BY RANGE (at);";
    let under_events = format!("{archive}\n{keyed}");
    let under_archive = under_events.replace("PARTITION OF events", "PARTITION OF archive");
    let moved = blocked(&under_events, &under_archive);
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(moved[0].starts_with("cannot detach partition public.events_2026"), "{moved:?}");
    // Without keys or indexes on the parent there is nothing to take over.
    let bare = partitioned.replace(
        "events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
        "events_2026 (at date NOT NULL, body text)",
    );
    assert!(blocked(partitioned, &bare).is_empty());
    // Partitions moved, added and dropped are not refused.
    let moved = partitioned.replace("'2027-01-01'", "'2026-07-01'");
    assert!(blocked(partitioned, &moved).is_empty());
}
