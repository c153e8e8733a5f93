//! Two schemas to the ordered operations that turn one into the other.
//!
//! `diff(from, to, hints)` compares the two [`Schema`] values object by
//! object, one operation family per module under `ops/` (schemas,
//! extensions, enums, tables, columns, sequences, constraints, indexes,
//! comments, hinted renames), giving [`Step`]s: an [`Operation`], its
//! [`Hazard`]s, and the names it creates, needs, removes and stops using.
//! `order.rs` turns those names into dependency edges and sorts the steps
//! topologically with a deterministic tie-break by phase, so the same
//! inputs give the same plan. Each family also renders its operations as
//! SQL ([`step_sql`]); putting statements together into scripts is
//! `autogen-emit`'s. Pure: no I/O.

mod guard;
mod hints;
mod operation;
mod ops;
mod order;

use autogen_schema::Schema;

pub use hints::Hints;
pub use operation::{
    AttributeChange, ConstraintKind, DomainChange, EnumPosition, GrantObject, Hazard, Key,
    Operation, Step, SwappedColumn,
};
pub use ops::step_sql;

/// The operations that turn one schema into another, in the order they run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// Drops and creations that look like renames, with the hint that
    /// would make them one.
    pub warnings: Vec<String>,
    /// Why the plan must not run: what it would break that autogen does
    /// not model (a view on a column it drops, a table the declared schema
    /// makes partitioned …), one message each. Commands stop on any.
    pub blocked: Vec<String>,
}

impl Plan {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The steps in the parts a script runs them in: a new part starts at
    /// a step that uses an enum value an earlier step of the current part
    /// added, since PostgreSQL refuses a value in the transaction that
    /// added it. One part (or none, for an empty plan) when nothing needs
    /// a commit; `autogen-emit` commits between parts, and `autogen
    /// revision` writes each part as a migration of its own.
    pub fn parts(&self) -> Vec<&[Step]> {
        let mut parts = Vec::new();
        let mut start = 0;
        let mut uncommitted: Vec<&Key> = Vec::new();
        for (index, step) in self.steps.iter().enumerate() {
            if step.uses.iter().any(|used| uncommitted.contains(&used)) {
                parts.push(&self.steps[start..index]);
                start = index;
                uncommitted.clear();
            }
            uncommitted.extend(step.adds_enum_values());
        }
        if start < self.steps.len() {
            parts.push(&self.steps[start..]);
        }
        parts
    }

    /// The plan with its index built or dropped `CONCURRENTLY` (no write
    /// waits for it; the blocking-lock hazard goes), when it is exactly
    /// one such step on a table that is not partitioned (PostgreSQL builds
    /// no partitioned index concurrently): what `autogen revision
    /// --online` writes as a `-- no-transaction` migration of its own.
    /// `None` for any other plan.
    pub fn concurrently(&self, schema: &Schema) -> Option<Plan> {
        let [step] = self.steps.as_slice() else { return None };
        let mut step = step.clone();
        let (Operation::CreateIndex { table, concurrently, .. }
        | Operation::DropIndex { table, concurrently, .. }) = &mut step.operation
        else {
            return None;
        };
        if schema.tables.get(table).is_none_or(|table| table.partition_by.is_some()) {
            return None;
        }
        *concurrently = true;
        step.hazards.retain(|hazard| *hazard != Hazard::BlockingLock);
        Some(Plan { steps: vec![step], warnings: Vec::new(), blocked: Vec::new() })
    }

    /// Every hazard of the plan, each once, in a fixed order.
    pub fn hazards(&self) -> Vec<Hazard> {
        let mut hazards: Vec<Hazard> =
            self.steps.iter().flat_map(|step| step.hazards.iter().copied()).collect();
        hazards.sort();
        hazards.dedup();
        hazards
    }
}

/// The plan that turns `from` into `to`: the hinted renames first, then
/// the rest in dependency order.
pub fn diff(from: &Schema, to: &Schema, hints: &Hints) -> Plan {
    let (mut renames, hinted) = hints.apply(from);
    // Tables whose partitioning changes are set aside, their rows moved.
    let (aside_steps, hinted, set_aside) = ops::repartition::set_aside(hinted, to);
    renames.extend(aside_steps);
    // Collations whose options change are set aside, their users moved.
    let (mut steps, renamed) = ops::collations::set_aside_replaced(&hinted, to);
    // So are routines dropped while something calls them.
    let (routine_steps, renamed) = set_aside_routines(renamed, to);
    steps.extend(routine_steps);
    let (renamed, to) = ops::sequences::detach_moved(&renamed, to, &mut steps);
    let (renamed, to) = (renamed.as_ref(), to.as_ref());
    ops::schemas::diff(renamed, to, &mut steps);
    ops::extensions::diff(renamed, to, &mut steps);
    ops::collations::diff(renamed, to, &mut steps);
    ops::enums::diff(renamed, to, &mut steps);
    ops::composites::diff(renamed, to, &mut steps);
    ops::domains::diff(renamed, to, &mut steps);
    ops::functions::diff(renamed, to, &mut steps);
    ops::sequences::diff(renamed, to, &mut steps);
    ops::tables::diff(renamed, to, &mut steps);
    ops::partitions::adopt_matching_indexes(renamed, to, &mut steps);
    ops::constraints::keys_from_indexes(renamed, &mut steps);
    ops::columns::mark_volatile_defaults(to, &mut steps);
    ops::columns::unmark_proven_not_null((renamed, to), &mut steps);
    ops::views::diff(renamed, to, &mut steps);
    ops::policies::diff(renamed, to, &mut steps);
    ops::triggers::diff(renamed, to, &mut steps);
    ops::functions::rebuild_around_columns(renamed, to, &mut steps);
    ops::enums::leave_defaults_to_swaps(&mut steps);
    ops::repartition::move_rows(&set_aside, renamed, to, &mut steps);
    // Last: which objects the steps above drop, create again or rename.
    ops::comments::diff(renamed, to, &mut steps);
    // What was granted on objects dropped and created again.
    ops::grants::diff(&hinted, to, &mut steps);
    let mut warnings = ops::tables::rename_suspects(renamed, to, &set_aside);
    warnings.extend(ops::extensions::downgrades(renamed, to));
    renames.extend(order::sort(steps));
    ops::enum_values_used(&mut renames);
    let blocked = guard::check(&renames, renamed, to);
    Plan { steps: renames, warnings, blocked }
}

/// [`ops::functions::set_aside_replaced`] on a schema that may be borrowed
/// or owned already.
fn set_aside_routines<'s>(
    from: std::borrow::Cow<'s, Schema>,
    to: &Schema,
) -> (Vec<Step>, std::borrow::Cow<'s, Schema>) {
    match from {
        std::borrow::Cow::Borrowed(from) => ops::functions::set_aside_replaced(from, to),
        std::borrow::Cow::Owned(from) => {
            let (steps, renamed) = ops::functions::set_aside_replaced(&from, to);
            let renamed = renamed.into_owned();
            (steps, std::borrow::Cow::Owned(renamed))
        }
    }
}

#[cfg(test)]
mod tests {
    use autogen_schema::{Column, QualifiedName, Schema, SqlType, Table};

    use super::*;

    fn table(name: &str, columns: &[(&str, SqlType)]) -> Table {
        let mut table = Table::new(QualifiedName::new("public", name));
        table.columns =
            columns.iter().map(|(name, data_type)| Column::new(*name, data_type.clone())).collect();
        table
    }

    fn schema(tables: Vec<Table>) -> Schema {
        let mut schema = Schema::default();
        schema.schemas.insert("public".into());
        for table in tables {
            schema.add_table(table);
        }
        schema
    }

    #[test]
    fn drops_that_look_like_renames_are_warned_about_with_the_hint() {
        let from = schema(vec![
            table("users", &[("id", SqlType::Integer), ("mail", SqlType::Text)]),
            table("logs", &[("at", SqlType::Date)]),
        ]);
        let to = schema(vec![
            table("users", &[("id", SqlType::Integer), ("email", SqlType::Text)]),
            table("journal", &[("at", SqlType::Date)]),
        ]);
        let plan = diff(&from, &to, &Hints::default());
        assert_eq!(plan.warnings.len(), 2, "{:?}", plan.warnings);
        assert!(
            plan.warnings[0].ends_with(r#"[columns] "public.users.mail" = "email""#),
            "{:?}",
            plan.warnings
        );
        assert!(
            plan.warnings[1].ends_with(r#"[tables] "public.logs" = "journal""#),
            "{:?}",
            plan.warnings
        );

        let hints = Hints::from_toml(
            "[columns]\n\"public.users.mail\" = \"email\"\n[tables]\n\"logs\" = \"journal\"\n",
        )
        .unwrap();
        let plan = diff(&from, &to, &hints);
        assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
        let described: Vec<String> =
            plan.steps.iter().map(|step| step.operation.describe()).collect();
        assert_eq!(
            described,
            ["rename column public.users.mail to email", "rename table public.logs to journal"]
        );
        assert!(plan.hazards().is_empty(), "a hinted rename loses no data");
    }

    #[test]
    fn what_uses_a_type_renamed_by_hint_follows_it() {
        let parse = |sql: &str| {
            let parsed = autogen_sql::parse(&[autogen_sql::Source {
                name: "schema.sql".to_owned(),
                text: sql.to_owned(),
            }]);
            assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
            parsed.schema
        };
        let declared = |domain: &str, composite: &str| {
            let mut schema = parse(&format!(
                "CREATE DOMAIN {domain} AS integer;
                 CREATE TYPE {composite} AS (street text, zip {domain});
                 CREATE DOMAIN checked AS {composite};
                 CREATE TABLE orders (id integer PRIMARY KEY, total {domain},
                     totals {domain}[], sent_to {composite},
                     CONSTRAINT capped CHECK (total < 10000));"
            ));
            // Casts as the catalog prints them, which the SQL reader does
            // not write yet.
            let orders = schema.tables.get_mut(&QualifiedName::new("public", "orders")).unwrap();
            orders.check_constraints[0].expression =
                format!("((total)::integer < ((10000)::{domain})::integer)");
            orders.columns[1].default = Some(format!("(7)::{domain}"));
            orders.columns[3].default = Some(format!("ROW(''::text, 0)::{composite}"));
            schema
        };
        let hints = Hints::from_toml(
            "[domains]\n\"amount\" = \"sum\"\n[composites]\n\"address\" = \"place\"\n",
        )
        .unwrap();
        let plan = diff(&declared("amount", "address"), &declared("sum", "place"), &hints);
        let described: Vec<String> =
            plan.steps.iter().map(|step| step.operation.describe()).collect();
        assert_eq!(
            described,
            ["rename type public.address to place", "rename domain public.amount to sum"]
        );
        let down =
            diff(&declared("sum", "place"), &declared("amount", "address"), &hints.reversed());
        assert_eq!(down.steps.len(), 2, "{:?}", down.steps);
    }

    #[test]
    fn hints_files_that_are_wrong_say_where() {
        assert!(Hints::from_toml("[colums]\n").unwrap_err().contains("colums"));
        assert!(Hints::from_toml("[columns]\n\"users\" = \"x\"\n")
            .unwrap_err()
            .contains("`users`"));
        assert!(Hints::from_toml("[tables]\n\"a.b.c\" = \"x\"\n").unwrap_err().contains("`a.b.c`"));
    }

    #[test]
    fn a_declared_extension_version_is_reached_by_update_never_by_downgrade() {
        let with = |version: Option<&str>| {
            let mut schema = schema(Vec::new());
            schema.add_extension(autogen_schema::Extension {
                name: "citext".into(),
                schema: "public".into(),
                version: version.map(str::to_owned),
            });
            schema
        };
        let plan = diff(&with(Some("1.4")), &with(Some("1.6")), &Hints::default());
        assert_eq!(
            plan.steps.iter().map(|step| step.operation.describe()).collect::<Vec<_>>(),
            ["update extension citext to version 1.6"]
        );
        assert_eq!(plan.hazards(), [Hazard::ExtensionUpdate]);
        let sql = step_sql(&autogen_schema::ddl::Renderer::for_schema(&with(None)), &plan.steps[0]);
        assert_eq!(sql, ["ALTER EXTENSION citext UPDATE TO '1.6';"]);
        // Not said: nothing to do; said the same: nothing to do.
        assert!(diff(&with(Some("1.4")), &with(None), &Hints::default()).is_empty());
        assert!(diff(&with(Some("1.6")), &with(Some("1.6")), &Hints::default()).is_empty());
        // Unknown before (a replayed migration that did not say): updated.
        assert_eq!(diff(&with(None), &with(Some("1.6")), &Hints::default()).steps.len(), 1);
        // Down: left where it is, with a warning.
        let plan = diff(&with(Some("1.6")), &with(Some("1.4")), &Hints::default());
        assert!(plan.is_empty());
        assert_eq!(plan.warnings.len(), 1, "{:?}", plan.warnings);
        assert!(plan.warnings[0].starts_with("extension citext stays at version 1.6"));
    }
}
