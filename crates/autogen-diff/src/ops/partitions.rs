//! Partitioned tables, partitions and table inheritance.
//!
//! A partition or child is compared with what its parents' changes leave
//! of it ([`propagated`]): PostgreSQL carries `ADD`/`DROP COLUMN`, `ALTER
//! … TYPE`, `SET`/`DROP DEFAULT` and `SET`/`DROP NOT NULL` on a parent to
//! every child, so only what differs after that is the child's own change,
//! made after the parent's ([`Key::ParentColumns`]).
//!
//! A partition is created with `CREATE TABLE … PARTITION OF parent FOR
//! VALUES …` (the parent's columns, defaults, `NOT NULL`, constraints and
//! indexes come with it), then given what is its own
//! ([`as_created`]); dropped before its parent; moved to another bound by
//! `DETACH PARTITION` and `ATTACH PARTITION` (every detach before every
//! attach, so bounds may trade places); a kept table becoming a partition
//! is attached (after its columns match the parent's). A table inherits
//! from its parents with `INHERITS (…)` when created, `ALTER TABLE …
//! INHERIT` / `NO INHERIT` when kept.

use autogen_schema::ddl::Renderer;
use autogen_schema::{naming, Column, PartitionBound, QualifiedName, Schema, Table};

use super::constraints::Named as _;
use super::Family;
use crate::operation::{column_keys, index_key, ConstraintKind, Hazard, Key, Operation, Step};
use crate::order::Phase;

/// `ALTER TABLE … ATTACH/DETACH PARTITION`, `ALTER TABLE … [NO] INHERIT`.
pub(super) struct Partitions;

/// `old` — a table of `from` — with what the changes of its parents (kept
/// as its parents in `to`) do to its columns.
pub(crate) fn propagated<'t>(
    from: &Schema,
    to: &Schema,
    old: &'t Table,
    new: &Table,
) -> std::borrow::Cow<'t, Table> {
    if old.partition_of.is_none() && old.inherits.is_empty() {
        // No parent: nothing to propagate (most tables; no copy).
        return std::borrow::Cow::Borrowed(old);
    }
    let mut table = old.clone();
    for parent in old.parents() {
        if !new.parents().contains(&parent) {
            continue;
        }
        let (Some(before), Some(after)) = (from.tables.get(parent), to.tables.get(parent)) else {
            continue;
        };
        // The parent's own change, as its children see it.
        let before = propagated(from, to, before, after);
        let replaced = super::columns::replaced_columns(&before, after);
        let partition = old.partition_of.is_some();
        for column in &before.columns {
            if after.column(&column.name).is_none() {
                // A column a child declared itself stays.
                table
                    .columns
                    .retain(|own| own.name != column.name || !(partition || own.inherited_only.0));
            }
        }
        for column in &after.columns {
            let Some(previous) = before.column(&column.name) else {
                if table.column(&column.name).is_none() {
                    let mut added = inherited(column);
                    added.inherited_only.0 = !partition;
                    table.columns.push(added);
                }
                continue;
            };
            let Some(own) = table.columns.iter_mut().find(|own| own.name == column.name) else {
                continue;
            };
            if replaced.contains(&column.name) {
                *own = inherited(column);
                continue;
            }
            if previous.data_type != column.data_type || previous.collation != column.collation {
                own.data_type = column.data_type.clone();
                own.collation = column.collation.clone();
            }
            if previous.default != column.default {
                own.default = column.default.clone();
            }
            if previous.nullable != column.nullable {
                own.nullable = column.nullable;
            }
        }
    }
    std::borrow::Cow::Owned(table)
}

/// `old` and `new` — a kept table — as `NO INHERIT`, `INHERIT` and a
/// `DETACH` for good see them: a parent's checks stay on a table that
/// stops inheriting from it (local now: `old` has them, and the plan drops
/// what `new` does not declare), and must be on a table before it inherits
/// (`new` has them: the plan adds them, then `INHERIT` takes them as the
/// parent's); a partition detached keeps what its parent gave it, under
/// the names the database gave them (`old` has them: the plan renames or
/// drops what `new` does not declare as such).
pub(crate) fn around_inheritance(
    (from, to): (&Schema, &Schema),
    (old, new): (&Table, &Table),
) -> (Table, Table) {
    let (mut old_seen, mut new_seen) = (old.clone(), new.clone());
    if detached_for_good(old, new) {
        // Its parent's keys, constraints and indexes stay on it, its own
        // now, under the names the database gave them (cloned triggers go).
        if let Some(from_parents) = &old.from_parents.0 {
            old_seen.primary_key = old_seen.primary_key.or(from_parents.primary_key.clone());
            old_seen.unique_constraints.extend(from_parents.unique_constraints.iter().cloned());
            old_seen.check_constraints.extend(from_parents.check_constraints.iter().cloned());
            old_seen.foreign_keys.extend(from_parents.foreign_keys.iter().cloned());
            (old_seen.exclusion_constraints)
                .extend(from_parents.exclusion_constraints.iter().cloned());
            old_seen.indexes.extend(from_parents.indexes.iter().cloned());
            old_seen.sort();
        }
        return (old_seen, new_seen);
    }
    let attached = match (&old.partition_of, &new.partition_of) {
        (None, Some(after)) => Some(&after.parent),
        (Some(before), Some(after)) if before.parent != after.parent => Some(&after.parent),
        _ => None,
    };
    if old.partition_of.is_some() || new.partition_of.is_some() {
        // `ATTACH PARTITION` wants the parent's checks there already.
        if let Some(parent) = attached {
            give_checks(&mut new_seen, to.tables.get(parent));
        }
        return (old_seen, new_seen);
    }
    for parent in old.inherits.iter().filter(|parent| !new.inherits.contains(parent)) {
        give_checks(&mut old_seen, from.tables.get(parent));
    }
    for parent in new.inherits.iter().filter(|parent| !old.inherits.contains(parent)) {
        give_checks(&mut new_seen, to.tables.get(parent));
    }
    (old_seen, new_seen)
}

/// `parent`'s checks that its children take (not `NO INHERIT`), added to
/// `table` where it has none of that name.
fn give_checks(table: &mut Table, parent: Option<&Table>) {
    for check in parent.into_iter().flat_map(|parent| &parent.check_constraints) {
        if check.no_inherit || table.check_constraints.iter().any(|c| c.name == check.name) {
            continue;
        }
        table.check_constraints.push(check.clone());
    }
    table.check_constraints.sort_by(|left, right| left.name.cmp(&right.name));
}

/// The keys of `parent`'s checks that `table` takes, which must be on it
/// before it inherits or is attached.
fn parent_check_keys(to: &Schema, table: &QualifiedName, parent: &QualifiedName) -> Vec<Key> {
    (to.tables.get(parent).into_iter())
        .flat_map(|parent| &parent.check_constraints)
        .filter(|check| !check.no_inherit)
        .map(|check| Key::Constraint(table.clone(), check.name.clone()))
        .collect()
}

/// Whether partition `old` is detached and stays a table of its own
/// (`new`, no partition).
pub(crate) fn detached_for_good(old: &Table, new: &Table) -> bool {
    old.partition_of.is_some() && new.partition_of.is_none()
}

/// A column as a child gets it from its parent: its type, collation,
/// default, `NOT NULL` and generation.
fn inherited(column: &Column) -> Column {
    let mut copy = Column::new(column.name.clone(), column.data_type.clone());
    copy.collation = column.collation.clone();
    copy.nullable = column.nullable;
    copy.default = column.default.clone();
    copy.generated = column.generated.clone();
    copy
}

/// What `CREATE TABLE name PARTITION OF parent …` makes of partition
/// `table` of `to`: the parent's columns with their defaults and `NOT
/// NULL`, its bound (and `PARTITION BY`), nothing of its own yet.
pub(crate) fn as_created(to: &Schema, table: &Table) -> Option<Table> {
    let partition_of = table.partition_of.as_ref()?;
    let parent = to.tables.get(&partition_of.parent)?;
    let mut created = Table::new(table.name.clone());
    created.columns = parent.columns.iter().map(inherited).collect();
    created.partition_of = table.partition_of.clone();
    created.partition_by = table.partition_by.clone();
    Some(created)
}

/// The enum values the plan adds (in `to`, not in `from`) that partition
/// `table`'s bound names, for its parent's keys of that enum type:
/// PostgreSQL refuses a value in the transaction that added it, so the
/// plan commits before ([`Step::uses`]).
pub(crate) fn bound_enum_uses(from: &Schema, to: &Schema, table: &Table) -> Vec<Key> {
    let Some(autogen_schema::PartitionOf { parent, bound: PartitionBound::Values(values) }) =
        &table.partition_of
    else {
        return Vec::new();
    };
    let Some(parent) = to.tables.get(parent) else { return Vec::new() };
    let keys = parent.partition_by.iter().flat_map(|by| &by.keys);
    let mut uses = Vec::new();
    for key in keys {
        let autogen_schema::IndexTarget::Column(column) = &key.target else { continue };
        let Some(column) = parent.column(column) else { continue };
        let autogen_schema::SqlType::UserDefined { name } = &column.data_type else { continue };
        let Some(enum_type) = to.enums.get(name) else { continue };
        let before = from.enums.get(name);
        for label in &enum_type.labels {
            let added = !before.is_some_and(|before| before.labels.contains(label));
            if added && values.text.contains(&autogen_schema::quote_literal(label)) {
                uses.push(Key::EnumValue(name.clone(), label.clone()));
            }
        }
    }
    uses
}

/// What a table created, attached or changed as a child of `table` waits
/// for: the parent, its columns (as `to` has them), and every change the
/// plan makes to them.
pub(crate) fn parent_keys(to: &Schema, table: &Table) -> Vec<Key> {
    let mut keys = Vec::new();
    for parent in table.parents() {
        keys.push(Key::Table(parent.clone()));
        keys.push(Key::ParentColumns(parent.clone()));
        if let Some(parent_table) = to.tables.get(parent) {
            keys.extend(column_keys(parent, parent_table.columns.iter().map(|c| &c.name)));
        }
    }
    keys
}

/// The steps of a kept table's place under its parents: attached,
/// detached, moved to another bound; inherits added and removed.
pub(crate) fn diff_table(
    (from, to): (&Schema, &Schema),
    (old, new): (&Table, &Table),
    steps: &mut Vec<Step>,
) {
    let name = &new.name;
    match (&old.partition_of, &new.partition_of) {
        (Some(before), Some(after)) if before == after => {}
        (before, after) => {
            if let Some(before) = before {
                let mut step = Step::new(Operation::DetachPartition {
                    parent: before.parent.clone(),
                    partition: name.clone(),
                })
                .removes([Key::PartitionOf(name.clone())])
                .releases([Key::Table(before.parent.clone())]);
                if after.is_none() {
                    step = step.produces([Key::Detached(name.clone())]);
                }
                steps.push(step);
            }
            if let Some(after) = after {
                let mut step = Step::new(Operation::AttachPartition {
                    parent: after.parent.clone(),
                    partition: name.clone(),
                    bound: after.bound.clone(),
                })
                .produces([Key::PartitionOf(name.clone())])
                .consumes([Key::Table(name.clone())])
                .consumes(column_keys(name, new.columns.iter().map(|column| &column.name)))
                .consumes(parent_keys(to, new))
                .consumes(parent_check_keys(to, name, &after.parent));
                if after.bound != PartitionBound::Default {
                    // Every row is read to check it is within the bound.
                    step = step.hazard(Hazard::BlockingLock);
                }
                step.uses = bound_enum_uses(from, to, new);
                steps.push(step);
            }
        }
    }
    if old.partition_of.is_none() && new.partition_of.is_none() {
        for parent in old.inherits.iter().filter(|parent| !new.inherits.contains(parent)) {
            steps.push(
                Step::new(Operation::NoInherit { table: name.clone(), parent: parent.clone() })
                    .consumes([Key::Table(name.clone())])
                    .releases([Key::Table(parent.clone())]),
            );
        }
        for parent in new.inherits.iter().filter(|parent| !old.inherits.contains(parent)) {
            let mut child = new.clone();
            child.inherits = vec![parent.clone()];
            // The parent's checks, which it must have first.
            let checks = parent_check_keys(to, name, parent);
            steps.push(
                Step::new(Operation::Inherit { table: name.clone(), parent: parent.clone() })
                    .consumes([Key::Table(name.clone())])
                    .consumes(column_keys(name, new.columns.iter().map(|column| &column.name)))
                    .consumes(parent_keys(to, &child))
                    .consumes(checks),
            );
        }
    }
}

/// What a partitioned table's new primary key, unique constraint or index
/// takes over: PostgreSQL attaches a partition's own index of the same
/// definition (a constraint's to a constraint of the same kind) instead of
/// building one — and, where a partition has none, builds one and looks in
/// its own partitions in turn —, and the partition's own one is gone from
/// `to` (a clone now, left out). So does a table attached as a partition,
/// for each of its new parent's. The own one's drop, which would make
/// PostgreSQL build the index again, is taken out of the plan when exactly
/// one of them matches; once attached, it is renamed to what PostgreSQL
/// would have called the one it builds, so the database is the one `to`
/// gives.
pub(crate) fn adopt_matching_indexes(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    let mut adopted: Vec<Adopted> = Vec::new();
    // Indexes of partitioned tables every partition has already.
    let mut nothing_built = Vec::new();
    for (position, step) in steps.iter().enumerate() {
        let (parent, given) = match &step.operation {
            Operation::AddPrimaryKey { table, key } => (table, Given::Key(key)),
            Operation::AddUnique { table, unique } => (table, Given::Unique(unique)),
            Operation::CreateIndex { table, index, .. } => (table, Given::Index(index)),
            Operation::AttachPartition { parent, partition, .. } => {
                let (Some(old), Some(parent_table)) =
                    (from.tables.get(partition), to.tables.get(parent))
                else {
                    continue;
                };
                let given = (parent_table.primary_key.iter().map(Given::Key))
                    .chain(parent_table.unique_constraints.iter().map(Given::Unique))
                    .chain(parent_table.indexes.iter().map(Given::Index));
                for given in given {
                    let (matches, made) = own_matches(old, &given);
                    if let [only] = matches.as_slice() {
                        adopted.push(Adopted {
                            child: partition.clone(),
                            own: only.clone(),
                            made,
                            after: Key::PartitionOf(partition.clone()),
                        });
                    }
                }
                continue;
            }
            _ => continue,
        };
        if to.tables.get(parent).is_some_and(|table| table.partition_by.is_some()) {
            let after = index_key(parent, given.index_name());
            let everywhere = adopt_under((from, to), (&given, &after), parent, &mut adopted);
            if everywhere && matches!(given, Given::Index(_)) {
                nothing_built.push(position);
            }
        }
    }
    // Such an index is attached, never built: it holds no write back.
    for position in nothing_built {
        steps[position].hazards.retain(|hazard| *hazard != Hazard::BlockingLock);
    }
    if adopted.is_empty() {
        return;
    }
    steps.retain(|step| {
        let (table, name) = match &step.operation {
            Operation::DropConstraint {
                table,
                name,
                kind: ConstraintKind::PrimaryKey | ConstraintKind::Unique,
            } => (table, name),
            Operation::DropIndex { table, index, .. } => (table, &index.name),
            _ => return true,
        };
        !adopted.iter().any(|adopted| adopted.child == *table && adopted.own == *name)
    });
    let mut taken = super::repartition::relation_names(from);
    taken.extend(super::repartition::relation_names(to));
    for adopted in adopted {
        let schema = &adopted.child.schema;
        taken.remove(&QualifiedName::new(schema.clone(), &adopted.own));
        let is_taken =
            |candidate: &str| taken.contains(&QualifiedName::new(schema.clone(), candidate));
        let table = adopted.child.name.as_str();
        let fresh = match &adopted.made {
            Made::PrimaryKey => naming::primary_key_name(table, is_taken),
            Made::Unique(columns) => naming::unique_constraint_name(table, columns, is_taken),
            Made::Index(columns) => naming::index_name(table, columns, is_taken),
        };
        taken.insert(QualifiedName::new(schema.clone(), &fresh));
        if fresh == adopted.own {
            continue;
        }
        steps.push(
            Step::new(Operation::RenameIndex {
                table: adopted.child.clone(),
                old: adopted.own.clone(),
                new: fresh.clone(),
            })
            .consumes([adopted.after])
            .removes([index_key(&adopted.child, &adopted.own)])
            .produces([index_key(&adopted.child, &fresh)]),
        );
    }
}

/// A partition's own index a parent's takes over.
struct Adopted {
    child: QualifiedName,
    own: String,
    made: Made,
    /// What attaches it: the parent's index, or the partition's `ATTACH`.
    after: Key,
}

/// What PostgreSQL names an index it builds on a partition after.
enum Made {
    PrimaryKey,
    /// Its columns (`INCLUDE` ones too).
    Unique(Vec<String>),
    /// Its columns as an index's name takes them.
    Index(Vec<String>),
}

/// A parent's primary key, unique constraint or index.
enum Given<'a> {
    Key(&'a autogen_schema::PrimaryKey),
    Unique(&'a autogen_schema::UniqueConstraint),
    Index(&'a autogen_schema::Index),
}

impl Given<'_> {
    fn index_name(&self) -> &str {
        match self {
            Given::Key(key) => &key.name,
            Given::Unique(unique) => &unique.name,
            Given::Index(index) => &index.name,
        }
    }
}

/// The names of `table`'s own ones of the same definition as `given`, and
/// how PostgreSQL would name one it builds.
fn own_matches(table: &Table, given: &Given<'_>) -> (Vec<String>, Made) {
    match given {
        Given::Key(key) => (
            (table.primary_key.iter())
                .filter(|own| own.with_name(&key.name) == **key)
                .map(|own| own.name.clone())
                .collect(),
            Made::PrimaryKey,
        ),
        Given::Unique(unique) => (
            (table.unique_constraints.iter())
                .filter(|own| own.with_name(&unique.name) == **unique)
                .map(|own| own.name.clone())
                .collect(),
            Made::Unique(unique.columns.iter().chain(&unique.include).cloned().collect()),
        ),
        Given::Index(index) => (
            (table.indexes.iter())
                .filter(|own| own.with_name(&index.name) == **index)
                .map(|own| own.name.clone())
                .collect(),
            Made::Index(naming::index_name_columns(index)),
        ),
    }
}

/// The own index of each partition of `parent` (kept under it) that
/// PostgreSQL attaches to the one `given` makes (once `after` exists),
/// down the levels where a partition has none.
/// Whether every partition under `parent` had one to adopt.
fn adopt_under(
    (from, to): (&Schema, &Schema),
    (given, after): (&Given<'_>, &Key),
    parent: &QualifiedName,
    adopted: &mut Vec<Adopted>,
) -> bool {
    let mut everywhere = true;
    for child in to.children_of(parent) {
        let Some(old) = (from.tables.get(&child.name))
            .filter(|old| old.partition_of.as_ref().is_some_and(|of| of.parent == *parent))
        else {
            everywhere = false;
            continue;
        };
        let (matches, made) = own_matches(old, given);
        match matches.as_slice() {
            [only] => adopted.push(Adopted {
                child: child.name.clone(),
                own: only.clone(),
                made,
                after: after.clone(),
            }),
            [] if child.partition_by.is_some() => {
                everywhere &= adopt_under((from, to), (given, after), &child.name, adopted)
            }
            _ => everywhere = false,
        }
    }
    everywhere
}

/// The keys of `table`'s steps marked: a parent's column steps produce
/// [`Key::ParentColumns`], which its children's steps wait for.
pub(crate) fn mark_family(table: &Table, has_children: bool, steps: &mut [Step]) {
    for step in steps {
        let columns = matches!(
            step.operation,
            Operation::AddColumn { .. }
                | Operation::DropColumn { .. }
                | Operation::AlterColumnType { .. }
                | Operation::AlterVectorColumn { .. }
                | Operation::SetNullable { .. }
                | Operation::SetDefault { .. }
        );
        if has_children && columns {
            step.produces.push(Key::ParentColumns(table.name.clone()));
        }
        for parent in table.parents() {
            step.consumes.push(Key::ParentColumns(parent.clone()));
        }
    }
}

impl Family for Partitions {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::AttachPartition { parent, partition, .. } => {
                format!("attach partition {partition} to {parent}")
            }
            Operation::DetachPartition { parent, partition } => {
                format!("detach partition {partition} from {parent}")
            }
            Operation::Inherit { table, parent } => format!("make {table} inherit from {parent}"),
            Operation::NoInherit { table, parent } => {
                format!("make {table} no longer inherit from {parent}")
            }
            other => super::not_mine("partitions", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::DetachPartition { .. } | Operation::NoInherit { .. } => Phase::Detach,
            _ => Phase::Attach,
        }
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::AttachPartition { parent, partition, bound } => {
                vec![format!("ALTER TABLE {parent} ATTACH PARTITION {partition} {};", bound.sql())]
            }
            Operation::DetachPartition { parent, partition } => {
                vec![format!("ALTER TABLE {parent} DETACH PARTITION {partition};")]
            }
            Operation::Inherit { table, parent } => {
                vec![format!("ALTER TABLE {table} INHERIT {parent};")]
            }
            Operation::NoInherit { table, parent } => {
                vec![format!("ALTER TABLE {table} NO INHERIT {parent};")]
            }
            other => super::not_mine("partitions", other),
        }
    }

    fn expressions<'o>(&self, operation: &'o Operation) -> Vec<&'o str> {
        match operation {
            Operation::AttachPartition { bound: PartitionBound::Values(values), .. } => {
                vec![values.text.as_str()]
            }
            _ => Vec::new(),
        }
    }

    fn note(&self, operation: &Operation) -> Option<String> {
        match operation {
            Operation::AttachPartition { bound: PartitionBound::Values(_), .. } => Some(
                "-- reads every row of the partition to check its bound (a CHECK constraint \
                 that implies the bound, added before, spares the scan)"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use autogen_schema::views::Rewritten;
    use autogen_schema::{PartitionOf, QualifiedName, SqlType};

    fn name(table: &str) -> QualifiedName {
        QualifiedName::new("public", table)
    }

    fn column(name: &str, data_type: SqlType, default: Option<&str>) -> Column {
        let mut column = Column::new(name, data_type);
        column.default = default.map(str::to_owned);
        column
    }

    fn int() -> SqlType {
        SqlType::Builtin { name: "int4".into() }
    }

    fn partition(parent: &Table, own: &str) -> Table {
        let mut table = Table::new(name(own));
        table.columns = parent.columns.iter().map(inherited).collect();
        table.partition_of = Some(PartitionOf {
            parent: parent.name.clone(),
            bound: PartitionBound::Values(Rewritten::catalog("IN (1)".to_owned())),
        });
        table
    }

    #[test]
    fn a_parents_column_changes_are_its_childrens_and_their_own_stay() {
        let mut before = Table::new(name("parent"));
        before.columns = vec![
            column("kept", int(), Some("1")),
            column("dropped", SqlType::Text, None),
            column("retyped", int(), None),
        ];
        let mut after = Table::new(name("parent"));
        after.columns = vec![
            column("kept", int(), Some("2")),
            column("retyped", SqlType::Builtin { name: "int8".into() }, None),
            column("added", SqlType::Text, Some("'x'::text")),
        ];
        let mut old = partition(&before, "child");
        // A default of its own, which the parent's SET DEFAULT overrides.
        old.columns[0].default = Some("5".into());
        let new = partition(&after, "child");
        let (mut from, mut to) = (Schema::default(), Schema::default());
        for (schema, parent, child) in [(&mut from, &before, &old), (&mut to, &after, &new)] {
            schema.add_table(parent.clone());
            schema.add_table(child.clone());
        }
        let seen = propagated(&from, &to, &old, &new);
        let columns: Vec<(&str, &SqlType, Option<&str>)> = (seen.columns.iter())
            .map(|c| (c.name.as_str(), &c.data_type, c.default.as_deref()))
            .collect();
        assert_eq!(
            columns,
            [
                ("kept", &int(), Some("2")),
                ("retyped", &SqlType::Builtin { name: "int8".into() }, None),
                ("added", &SqlType::Text, Some("'x'::text")),
            ]
        );
        // A table that stops being a child is not carried along.
        let mut detached = new.clone();
        detached.partition_of = None;
        assert_eq!(*propagated(&from, &to, &old, &detached), old);
    }

    #[test]
    fn a_new_partition_is_its_parents_columns_with_their_defaults() {
        let mut parent = Table::new(name("parent"));
        parent.columns = vec![column("a", int(), Some("1"))];
        parent.columns[0].comment = Some("the parent's".into());
        let mut declared = partition(&parent, "child");
        declared.columns[0].default = Some("7".into());
        let mut to = Schema::default();
        to.add_table(parent);
        to.add_table(declared.clone());
        let created = as_created(&to, &declared).unwrap();
        assert_eq!(created.columns[0].default.as_deref(), Some("1"));
        assert_eq!(created.columns[0].comment, None);
        assert_eq!(created.partition_of, declared.partition_of);
        assert!(as_created(&to, &Table::new(name("plain"))).is_none());
    }
}
