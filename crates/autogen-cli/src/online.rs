//! The migrations of one revision, as parts: the schemas each one goes
//! from and to, and what it is. A plain revision has one part, or more
//! when enum values must be committed before they are used. An online one
//! (`online = true`, `--online`) splits each part further so that no step
//! holds writes back for longer than a lock takes to get:
//!
//! 1. indexes that go, each dropped `CONCURRENTLY` in a `-- no-transaction`
//!    migration of its own, before anything else;
//! 2. the rest, with each foreign key or check added to a table that
//!    exists written `NOT VALID`, a column that becomes `NOT NULL` left
//!    nullable under a `CHECK (c IS NOT NULL) NOT VALID` (a new one
//!    without a default given a marked place for its backfill), and the
//!    indexes to build left out (a changed one kept as it was);
//! 3. each index built `CONCURRENTLY` in a migration of its own; a changed
//!    one built under a temporary name, the old one dropped concurrently,
//!    the new one renamed; a partitioned table's new index built on each
//!    partition (under the name PostgreSQL would give it there), then
//!    created on the table, which takes them over without building;
//! 4. the constraints validated (`VALIDATE CONSTRAINT`: a scan that blocks
//!    no writes);
//! 5. `SET NOT NULL` (PostgreSQL skips its scan: the valid check proves
//!    it), then the checks dropped;
//! 6. the primary keys and unique constraints added to tables that exist
//!    made from their unique indexes, built concurrently in 3
//!    (`ADD CONSTRAINT … USING INDEX`; a new primary key's columns set NOT
//!    NULL in 2 and 5 first).
//!
//! Other steps on partitioned tables (or tables that become so, or stop
//! being) stay as they are: PostgreSQL builds no partitioned index
//! concurrently, and before 18 takes no `NOT VALID` foreign key there.

use std::collections::BTreeMap;

use autogen_diff::{Hints, Operation, Plan};
use autogen_schema::{quote_ident, CheckConstraint, Index, QualifiedName, Schema, Table};

/// What a part of a revision does, for its name and how it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Adds enum values the next part uses.
    EnumValues,
    /// The revision's changes (all of them, unless online).
    Main,
    /// Drops one index `CONCURRENTLY`, outside a transaction.
    DropIndex(String),
    /// Builds one index `CONCURRENTLY`, outside a transaction.
    BuildIndex(String),
    /// Renames an index built under a temporary name to its own.
    SwapIndex(String),
    /// Creates a partitioned table's index, which takes over the indexes
    /// its partitions have (built concurrently before): nothing is built.
    AttachIndex(String),
    /// Validates constraints the parts before added `NOT VALID`.
    Validation,
    /// Sets columns `NOT NULL` a valid check already proves, and drops
    /// the checks.
    NotNull,
    /// Makes unique indexes built before primary keys and unique
    /// constraints (`ADD CONSTRAINT … USING INDEX`).
    Keys,
}

impl Kind {
    /// What the migration's message says after the revision's.
    pub(crate) fn suffix(&self) -> Option<String> {
        Some(match self {
            Kind::Main => return None,
            Kind::EnumValues => "(enum values first)".to_owned(),
            Kind::DropIndex(name) => format!("(drop index {name} concurrently)"),
            Kind::BuildIndex(name) => format!("(build index {name} concurrently)"),
            Kind::SwapIndex(name) => format!("(index {name} swapped in)"),
            Kind::AttachIndex(name) => format!("(index {name} on the partitions' own)"),
            Kind::Validation => "(validate constraints)".to_owned(),
            Kind::NotNull => "(set not null)".to_owned(),
            Kind::Keys => "(keys from their indexes)".to_owned(),
        })
    }

    /// Whether the part runs outside a transaction (`-- no-transaction`):
    /// PostgreSQL builds and drops an index concurrently only there.
    pub(crate) fn concurrent(&self) -> bool {
        matches!(self, Kind::DropIndex(_) | Kind::BuildIndex(_))
    }
}

/// One migration of a revision.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub(crate) from: Schema,
    pub(crate) to: Schema,
    /// A schema the up migration goes through: its statements are the
    /// plan from `from` to it, then the plan from it to `to` (the order
    /// one plan would not take). The down migration is one plan back.
    pub(crate) through: Option<Schema>,
    pub(crate) kind: Kind,
    /// Columns added nullable whose rows need a value before a later part
    /// validates them: (table, column).
    pub(crate) backfills: Vec<(QualifiedName, String)>,
}

impl Part {
    fn new(from: Schema, to: Schema, kind: Kind) -> Self {
        Self { from, to, through: None, kind, backfills: Vec::new() }
    }

    /// The up plan: from `from` to `to`, through `through` when set, each
    /// index step concurrent in a concurrent part.
    fn up_plans(&self, hints: &Hints) -> Vec<(Plan, &Schema)> {
        if self.kind.concurrent() {
            let plan = autogen_diff::diff(&self.from, &self.to, hints);
            let plan = plan.concurrently(&self.to).unwrap_or(plan);
            return vec![(plan, &self.to)];
        }
        let Some(through) = &self.through else {
            return vec![(autogen_diff::diff(&self.from, &self.to, hints), &self.to)];
        };
        let first = autogen_diff::diff(&self.from, through, hints);
        vec![(first, through), (autogen_diff::diff(through, &self.to, hints), &self.to)]
    }

    /// The up plan (the steps of its plans, one after the other) and its
    /// script, the backfill note last.
    pub(crate) fn up(&self, hints: &Hints) -> (Plan, String) {
        let mut up = Plan { steps: Vec::new(), warnings: Vec::new(), blocked: Vec::new() };
        let mut sql = String::new();
        for (plan, target) in &self.up_plans(hints) {
            up.steps.extend(plan.steps.iter().cloned());
            if !sql.is_empty() && !plan.is_empty() {
                sql.push('\n');
            }
            sql.push_str(&autogen_emit::plan_sql(plan, target));
        }
        let backfills = self.backfill_note();
        if !backfills.is_empty() {
            sql.push('\n');
            sql.push_str(&backfills);
        }
        (up, sql)
    }

    /// The down plan: back from `to` to `from`, concurrent in a concurrent
    /// part.
    pub(crate) fn down_plan(&self, hints: &Hints) -> Plan {
        let plan = autogen_diff::diff(&self.to, &self.from, &hints.reversed());
        if self.kind.concurrent() {
            return plan.concurrently(&self.from).unwrap_or(plan);
        }
        plan
    }

    /// The lines the up migration ends with for its backfills: where the
    /// rows of each column added nullable get their value, before the
    /// part that validates it.
    fn backfill_note(&self) -> String {
        let mut note = String::new();
        for (table, column) in &self.backfills {
            let column = quote_ident(column);
            note.push_str(&autogen_schema::one_line(&format!(
                "-- autogen: backfill {table}.{column} here: the rows the table has need a value before the validation that follows, e.g."
            )));
            note.push('\n');
            note.push_str(&autogen_schema::one_line(&format!(
                "-- UPDATE {table} SET {column} = … WHERE {column} IS NULL;"
            )));
            note.push('\n');
        }
        note
    }
}

/// The parts of a plain revision: each but the last adds enum values.
pub(crate) fn plain(parts: Vec<(Schema, Schema)>) -> Vec<Part> {
    let count = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(index, (from, to))| {
            let kind = if index + 1 < count { Kind::EnumValues } else { Kind::Main };
            Part::new(from, to, kind)
        })
        .collect()
}

/// The parts of an online revision: each plain part split as the module
/// says.
pub(crate) fn online(parts: Vec<(Schema, Schema)>, hints: &Hints) -> Vec<Part> {
    plain(parts)
        .into_iter()
        .flat_map(|part| {
            // Nothing to split (`--empty`): the part as it is.
            if autogen_diff::diff(&part.from, &part.to, hints).is_empty() {
                vec![part]
            } else {
                split(part, hints)
            }
        })
        .collect()
}

/// An index of a table.
type IndexOf = (QualifiedName, Index);

/// The indexes a plan drops before the rest, builds after it, and builds
/// anew beside the old one (the table, the old one, the new one).
struct Concurrent {
    dropped: Vec<IndexOf>,
    built: Vec<IndexOf>,
    changed: Vec<(QualifiedName, Index, Index)>,
    /// New indexes of partitioned tables: built on each partition first,
    /// as the partition's own index under the name PostgreSQL gives the
    /// one it would build there (the partition, its index).
    partitioned: Vec<(IndexOf, Vec<IndexOf>)>,
}

/// Parts one after the other, each from where the last one left.
struct Chain {
    at: Schema,
    parts: Vec<Part>,
}

impl Chain {
    /// A part of `kind` to the schema `change` makes of where the chain is.
    fn then(&mut self, kind: Kind, change: impl FnOnce(&mut Schema)) -> &mut Part {
        let mut next = self.at.clone();
        change(&mut next);
        self.to(kind, next)
    }

    /// A part of `kind` to `next`.
    fn to(&mut self, kind: Kind, next: Schema) -> &mut Part {
        let from = std::mem::replace(&mut self.at, next);
        self.parts.push(Part::new(from, self.at.clone(), kind));
        self.parts.last_mut().expect("just pushed")
    }
}

fn split(part: Part, hints: &Hints) -> Vec<Part> {
    let Part { from, to: declared, kind, .. } = part;
    // The parts up to the keys built from their indexes go to `to`: the
    // declared schema with those keys' indexes instead.
    let (to, keys) = keys_as_indexes(&from, &declared);
    let plan = autogen_diff::diff(&from, &to, hints);
    let Concurrent { dropped, built, changed, partitioned } = concurrent_indexes(&plan, &from, &to);
    let mut chain = Chain { at: from, parts: Vec::new() };
    for (table, index) in dropped {
        chain.then(Kind::DropIndex(index.name.clone()), |next| {
            without_index(next, &table, &index.name)
        });
    }
    // The part's own target: the indexes to build left out, the changed
    // ones as they were.
    let mut main = to.clone();
    for (table, index) in &built {
        without_index(&mut main, table, &index.name);
    }
    for (table, old, _) in &changed {
        without_index(&mut main, table, &old.name);
        with_index(&mut main, table, old.clone());
    }
    for ((table, index), _) in &partitioned {
        without_index(&mut main, table, &index.name);
    }
    let (main, backfills) = unvalidated(&chain.at, main);
    chain.to(kind, main).backfills = backfills;
    for (table, index) in built {
        chain.then(Kind::BuildIndex(index.name.clone()), |next| with_index(next, &table, index));
    }
    for (table, old, new) in changed {
        let temporary = temporary_name(&new.name, &chain.at, &table);
        let beside = Index { name: temporary.clone(), ..new.clone() };
        chain.then(Kind::BuildIndex(temporary.clone()), |next| with_index(next, &table, beside));
        chain
            .then(Kind::DropIndex(old.name.clone()), |next| without_index(next, &table, &old.name));
        chain.then(Kind::SwapIndex(new.name.clone()), |next| {
            without_index(next, &table, &temporary);
            with_index(next, &table, new);
        });
    }
    for ((parent, index), own) in partitioned {
        for (partition, own) in &own {
            chain.then(Kind::BuildIndex(own.name.clone()), |next| {
                with_index(next, partition, own.clone())
            });
        }
        // The parent's index takes the partitions' over: nothing to build.
        chain.then(Kind::AttachIndex(index.name.clone()), |next| {
            for (partition, own) in &own {
                without_index(next, partition, &own.name);
            }
            with_index(next, &parent, index);
        });
    }
    let validated = validated(&chain.at, &to);
    if validated != chain.at {
        chain.to(Kind::Validation, validated);
    }
    let not_null = not_null(&chain.at, &to);
    if not_null != chain.at {
        chain.to(Kind::NotNull, to).through = Some(not_null);
    }
    let Chain { mut parts, at } = chain;
    if keys {
        parts.push(Part::new(at, declared, Kind::Keys));
    } else if let Some(last) = parts.last_mut() {
        // What is left to reach the declared schema exactly (index order).
        last.to = declared;
    }
    // A part with nothing left in it (only indexes to build, say) goes.
    parts.retain(|part| !autogen_diff::diff(&part.from, &part.to, hints).is_empty());
    parts
}

/// The indexes of `plan` to drop before the rest (no longer declared), to
/// build after it (new), and to build anew beside the old (changed: the
/// old one and the new one) — on tables that exist before and after, are
/// not partitioned, and whose index no step of the rest needs.
fn concurrent_indexes(plan: &Plan, from: &Schema, to: &Schema) -> Concurrent {
    let plain = |name: &QualifiedName| match (from.tables.get(name), to.tables.get(name)) {
        (Some(old), Some(new)) => old.partition_by.is_none() && new.partition_by.is_none(),
        _ => false,
    };
    let swaps = plan.steps.iter().any(|step| {
        matches!(step.operation, Operation::SwapEnum { .. } | Operation::ReplaceComposite { .. })
    });
    let mut dropped: BTreeMap<(QualifiedName, String), Index> = BTreeMap::new();
    let mut created: BTreeMap<(QualifiedName, String), Index> = BTreeMap::new();
    for step in &plan.steps {
        match &step.operation {
            Operation::DropIndex { table, index, .. } if plain(table) => {
                dropped.insert((table.clone(), index.name.clone()), index.clone());
            }
            Operation::CreateIndex { table, index, .. }
                if plain(table) && !needed_by_the_rest(to, &to.tables[table], index) =>
            {
                created.insert((table.clone(), index.name.clone()), index.clone());
            }
            _ => {}
        }
    }
    let mut partitioned = Vec::new();
    for step in &plan.steps {
        let Operation::CreateIndex { table, index, .. } = &step.operation else { continue };
        if dropped.contains_key(&(table.clone(), index.name.clone())) {
            continue;
        }
        if let Some(own) = partitions_own(from, to, table, index) {
            partitioned.push(((table.clone(), index.clone()), own));
        }
    }
    let (mut built, mut changed) = (Vec::new(), Vec::new());
    for ((table, name), new) in created {
        match dropped.get(&(table.clone(), name.clone())) {
            // Kept while the rest runs when nothing it uses changes.
            Some(old)
                if !swaps && unchanged_columns(&from.tables[&table], &to.tables[&table], old) =>
            {
                let old = dropped.remove(&(table.clone(), name)).expect("found above");
                changed.push((table, old, new));
            }
            // Dropped with the rest (what it uses changes), built after.
            Some(_) => built.push((table, new)),
            None => built.push((table, new)),
        }
    }
    // An index dropped and built again with the rest stays with the rest.
    let dropped = dropped
        .into_iter()
        .filter(|((table, name), _)| {
            !built.iter().any(|(on, index)| on == table && index.name == *name)
        })
        .map(|((table, _), index)| (table, index))
        .collect();
    Concurrent { dropped, built, changed, partitioned }
}

/// For a new index of a partitioned table (so before and after, the same
/// partitioning) whose partitions are all plain tables it had before: the
/// index each partition gets first, under the name PostgreSQL would give
/// the one it builds there. `None` otherwise (a partition itself
/// partitioned, or new; the index needed by the rest of the plan).
fn partitions_own(
    from: &Schema,
    to: &Schema,
    parent: &QualifiedName,
    index: &Index,
) -> Option<Vec<IndexOf>> {
    let (old, new) = (from.tables.get(parent)?, to.tables.get(parent)?);
    if new.partition_by.is_none()
        || old.partition_by != new.partition_by
        || needed_by_the_rest(to, new, index)
    {
        return None;
    }
    let children = to.children_of(parent);
    let before: Vec<&QualifiedName> =
        from.children_of(parent).iter().map(|child| &child.name).collect();
    if children.is_empty() {
        return None;
    }
    let columns = autogen_schema::naming::index_name_columns(index);
    let mut own = Vec::new();
    let mut chosen: Vec<QualifiedName> = Vec::new();
    for child in children {
        if child.partition_by.is_some() || !before.contains(&&child.name) {
            return None;
        }
        let schema = &child.name.schema;
        let taken = |candidate: &str| {
            let name = QualifiedName::new(schema.clone(), candidate);
            chosen.contains(&name) || relation_exists(from, &name) || relation_exists(to, &name)
        };
        let name = autogen_schema::naming::index_name(&child.name.name, &columns, taken);
        chosen.push(QualifiedName::new(schema.clone(), &name));
        own.push((child.name.clone(), Index { name, ..index.clone() }));
    }
    Some(own)
}

/// Whether `schema` has a table or index called `name`.
fn relation_exists(schema: &Schema, name: &QualifiedName) -> bool {
    schema.tables.contains_key(name)
        || schema.tables.values().any(|table| {
            table.name.schema == name.schema
                && table.indexes.iter().any(|index| index.name == name.name)
        })
}

/// `to` with each primary key and unique constraint added to a table of
/// `from` (kept, neither partitioned nor a partition; no foreign key of
/// `to` pointing at its columns; a primary key where there was none)
/// replaced by its unique index: built concurrently, it becomes the key
/// at the end (`ADD CONSTRAINT … USING INDEX`, deferrable as declared).
/// Whether there were any.
fn keys_as_indexes(from: &Schema, to: &Schema) -> (Schema, bool) {
    let mut target = to.clone();
    let mut any = false;
    for (name, table) in &mut target.tables {
        let Some(old) = from.tables.get(name) else { continue };
        let plain = |table: &Table| table.partition_by.is_none() && table.partition_of.is_none();
        if !plain(old) || !plain(table) {
            continue;
        }
        if let Some(key) = table.primary_key.clone() {
            if old.primary_key.is_none() && !pointed_at(to, name, &key.columns) {
                table.primary_key = None;
                table.indexes.push(key.index());
                any = true;
            }
        }
        let (new, kept): (Vec<_>, Vec<_>) =
            table.unique_constraints.drain(..).partition(|unique| {
                !old.unique_constraints.iter().any(|existing| existing.name == unique.name)
                    && !pointed_at(to, name, &unique.columns)
            });
        table.unique_constraints = kept;
        any |= !new.is_empty();
        table.indexes.extend(new.iter().map(autogen_schema::UniqueConstraint::index));
        table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    }
    (target, any)
}

/// Whether a foreign key of `to` points at `columns` of `table` (in any
/// order; no columns named: its primary key's): the key or unique index
/// it needs must be there when it is added, so it is built with the rest.
fn pointed_at(to: &Schema, table: &QualifiedName, columns: &[String]) -> bool {
    let primary = to.tables.get(table).and_then(|table| table.primary_key.as_ref());
    let same = |referenced: &[String]| {
        referenced.len() == columns.len() && referenced.iter().all(|name| columns.contains(name))
    };
    to.tables
        .values()
        .flat_map(|other| &other.foreign_keys)
        .filter(|key| key.referenced_table == *table)
        .any(|key| match (key.referenced_columns.is_empty(), primary) {
            (false, _) => same(&key.referenced_columns),
            (true, Some(primary)) => same(&primary.columns),
            (true, None) => false,
        })
}

/// Whether a step of the rest of the plan needs `index` on `table`: a
/// foreign key points at its columns (a unique index of plain columns,
/// no predicate), the replica identity or `CLUSTER ON` names it.
fn needed_by_the_rest(to: &Schema, table: &Table, index: &Index) -> bool {
    let columns: Option<Vec<String>> = (index.keys.iter())
        .map(|key| match &key.target {
            autogen_schema::IndexTarget::Column(column) => Some(column.clone()),
            autogen_schema::IndexTarget::Expression(_) => None,
        })
        .collect();
    let referenced = index.unique
        && index.predicate.is_none()
        && columns.is_some_and(|columns| pointed_at(to, &table.name, &columns));
    referenced
        || table.replica_identity == autogen_schema::ReplicaIdentity::Index(index.name.clone())
        || table.cluster_on.as_deref() == Some(index.name.as_str())
}

/// Whether every column `index` uses is the same before and after.
fn unchanged_columns(old: &Table, new: &Table, index: &Index) -> bool {
    index.columns_used(old).into_iter().all(|name| {
        let column =
            |table: &Table| table.columns.iter().find(|column| column.name == name).cloned();
        column(old).is_some() && column(old) == column(new)
    })
}

fn without_index(schema: &mut Schema, table: &QualifiedName, name: &str) {
    if let Some(table) = schema.tables.get_mut(table) {
        table.indexes.retain(|index| index.name != name);
    }
}

fn with_index(schema: &mut Schema, table: &QualifiedName, index: Index) {
    if let Some(table) = schema.tables.get_mut(table) {
        table.indexes.push(index);
        table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    }
}

/// A name for `name` built beside the old one: `<name>_autogen_new`
/// (clipped to PostgreSQL's 63 bytes), numbered when taken.
fn temporary_name(name: &str, schema: &Schema, table: &QualifiedName) -> String {
    let taken = |candidate: &str| {
        schema.tables.values().any(|other| {
            other.name.schema == table.schema
                && (other.name.name == candidate
                    || other.indexes.iter().any(|index| index.name == candidate))
        })
    };
    let mut label = "autogen_new".to_owned();
    let mut number = 1;
    loop {
        let candidate = autogen_schema::naming::make_object_name(name, None, Some(&label));
        if !taken(&candidate) {
            return candidate;
        }
        number += 1;
        label = format!("autogen_new{number}");
    }
}

/// `to` with each foreign key and check that `from`'s table (one that
/// exists, not partitioned) lacks written `NOT VALID`, and each column that
/// becomes `NOT NULL` there (one made so, or one added without a default)
/// left nullable under a `CHECK (c IS NOT NULL) NOT VALID`; and the
/// columns added so, whose rows need a value.
fn unvalidated(from: &Schema, mut to: Schema) -> (Schema, Vec<(QualifiedName, String)>) {
    let mut backfills = Vec::new();
    for (name, table) in &mut to.tables {
        let Some(old) = from.tables.get(name) else { continue };
        // A partitioned table and its partitions take their constraints
        // validated (PostgreSQL before 18 takes no NOT VALID foreign key
        // there).
        if table.partition_by.is_some()
            || table.partition_of.is_some()
            || old.partition_by.is_some()
            || old.partition_of.is_some()
        {
            continue;
        }
        for key in &mut table.foreign_keys {
            if !old.foreign_keys.iter().any(|existing| existing.name == key.name) {
                key.not_valid = true;
            }
        }
        for check in &mut table.check_constraints {
            if !old.check_constraints.iter().any(|existing| existing.name == check.name) {
                check.not_valid = true;
            }
        }
        let primary_key: Vec<String> =
            table.primary_key.iter().flat_map(|key| key.columns.clone()).collect();
        let mut checks = Vec::new();
        for column in &mut table.columns {
            // A primary key sets its columns NOT NULL itself.
            if column.nullable || primary_key.contains(&column.name) {
                continue;
            }
            match old.columns.iter().find(|existing| existing.name == column.name) {
                Some(before) if before.nullable && before.identity.is_none() => {}
                None if column.default.is_none()
                    && column.identity.is_none()
                    && column.generated.is_none() =>
                {
                    backfills.push((name.clone(), column.name.clone()));
                }
                _ => continue,
            }
            if column.identity.is_some() {
                continue;
            }
            column.nullable = true;
            checks.push(CheckConstraint {
                name: not_null_check_name(&name.name, &column.name),
                expression: format!("({} IS NOT NULL)", quote_ident(&column.name)),
                no_inherit: false,
                not_valid: true,
            });
        }
        table.check_constraints.extend(checks);
    }
    (to, backfills)
}

/// The check standing for `NOT NULL` on `column` until it is set:
/// `<table>_<column>_autogen_not_null`.
fn not_null_check_name(table: &str, column: &str) -> String {
    autogen_schema::naming::make_object_name(table, Some(column), Some("autogen_not_null"))
}

/// `at` with the constraints `to` has valid validated, and the checks
/// standing for `NOT NULL` too.
fn validated(at: &Schema, to: &Schema) -> Schema {
    let mut validated = at.clone();
    for (name, table) in &mut validated.tables {
        let Some(target) = to.tables.get(name) else { continue };
        for key in &mut table.foreign_keys {
            if target.foreign_keys.iter().any(|new| new.name == key.name && !new.not_valid) {
                key.not_valid = false;
            }
        }
        for check in &mut table.check_constraints {
            let standing = target.columns.iter().any(|column| {
                check.name == not_null_check_name(&name.name, &column.name)
                    && !target.check_constraints.iter().any(|new| new.name == check.name)
            });
            if standing
                || target
                    .check_constraints
                    .iter()
                    .any(|new| new.name == check.name && !new.not_valid)
            {
                check.not_valid = false;
            }
        }
    }
    validated
}

/// `at` with the columns that stand under a check for `NOT NULL` set
/// `NOT NULL` as `to` has them (the checks still there).
fn not_null(at: &Schema, to: &Schema) -> Schema {
    let mut set = at.clone();
    for (name, table) in &mut set.tables {
        let Some(target) = to.tables.get(name) else { continue };
        let standing: Vec<String> = table
            .check_constraints
            .iter()
            .filter(|check| !target.check_constraints.iter().any(|new| new.name == check.name))
            .map(|check| check.name.clone())
            .collect();
        for column in &mut table.columns {
            let declared = target.columns.iter().find(|new| new.name == column.name);
            if column.nullable
                && declared.is_some_and(|new| !new.nullable)
                && standing.contains(&not_null_check_name(&name.name, &column.name))
            {
                column.nullable = false;
            }
        }
    }
    set
}

/// The (from, to) schemas of the migrations that take `current` to
/// `declared`: one, or, when the migration must commit added enum values
/// before it uses them, one more for each such commit — so that each runs
/// whole in its own transaction with its bookkeeping row, never half.
/// The schema between two parts is the first part's SQL replayed.
pub(crate) fn transaction_parts(
    current: &Schema,
    declared: &Schema,
    hints: &autogen_diff::Hints,
) -> anyhow::Result<Vec<(Schema, Schema)>> {
    let mut parts = Vec::new();
    let mut from = current.clone();
    loop {
        let plan = autogen_diff::diff(&from, declared, hints);
        let mut scripts = autogen_emit::parts_sql(&plan, declared);
        if scripts.len() < 2 {
            parts.push((from, declared.clone()));
            return Ok(parts);
        }
        let first = autogen_sql::Source {
            name: "<the enum values part>".to_owned(),
            text: scripts.swap_remove(0),
        };
        let replayed = autogen_sql::replay(from.clone(), &[first]);
        if let Some(error) =
            replayed.diagnostics.iter().find(|d| d.severity == autogen_sql::Severity::Error)
        {
            anyhow::bail!("splitting the migration after its enum values: {error}");
        }
        if replayed.schema == from || parts.len() > 16 {
            anyhow::bail!("splitting the migration after its enum values made no progress");
        }
        parts.push((from, replayed.schema.clone()));
        from = replayed.schema;
    }
}
