//! Steps in dependency order: edges from the names steps create, need,
//! remove and stop using; a topological sort whose ties go by [`Phase`] and
//! then name, so the same inputs always give the same order.
//!
//! Edges (A before B):
//! - A creates a name B needs;
//! - B stops using a name A removes (dependents are dropped, or stop
//!   depending, before what they depend on goes);
//! - A removes a name B creates again (a changed index: drop, then create),
//!   unless A needs that name itself (then B, which makes it, goes first).

use std::collections::{BTreeMap, BTreeSet};

use crate::operation::{Key, Step};

pub(crate) fn sort(steps: Vec<Step>) -> Vec<Step> {
    let count = steps.len();
    let mut after: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); count];
    let mut producers: BTreeMap<&Key, Vec<usize>> = BTreeMap::new();
    let mut removers: BTreeMap<&Key, Vec<usize>> = BTreeMap::new();
    for (index, step) in steps.iter().enumerate() {
        for key in &step.produces {
            producers.entry(key).or_default().push(index);
        }
        for key in &step.removes {
            removers.entry(key).or_default().push(index);
        }
    }
    let mut edge = |before: usize, later: usize| {
        if before != later {
            after[before].insert(later);
        }
    };
    for (index, step) in steps.iter().enumerate() {
        for key in &step.consumes {
            for &producer in producers.get(key).into_iter().flatten() {
                edge(producer, index);
            }
        }
        for key in &step.releases {
            for &remover in removers.get(key).into_iter().flatten() {
                edge(index, remover);
            }
        }
        for key in &step.produces {
            for &remover in removers.get(key).into_iter().flatten() {
                // A remover that needs the name (a collation set aside,
                // then dropped) comes after its producer instead.
                if !steps[remover].consumes.contains(key) {
                    edge(remover, index);
                }
            }
        }
    }
    let mut waiting: Vec<usize> = vec![0; count];
    for later in after.iter().flatten() {
        waiting[*later] += 1;
    }
    let tie = |index: usize| (steps[index].operation.phase(), sort_name(&steps[index]), index);
    let mut ready: BTreeSet<(Phase, String, usize)> =
        (0..count).filter(|&index| waiting[index] == 0).map(tie).collect();
    let mut order = Vec::with_capacity(count);
    while let Some(first) = ready.pop_first() {
        let index = first.2;
        order.push(index);
        for &later in &after[index] {
            waiting[later] -= 1;
            if waiting[later] == 0 {
                ready.insert(tie(later));
            }
        }
    }
    // A cycle (which the edges above should never make) keeps its steps in
    // their tie order after the rest rather than losing them.
    if order.len() < count {
        let placed: BTreeSet<usize> = order.iter().copied().collect();
        let mut rest: Vec<(Phase, String, usize)> =
            (0..count).filter(|index| !placed.contains(index)).map(tie).collect();
        rest.sort();
        order.extend(rest.into_iter().map(|(_, _, index)| index));
    }
    let mut steps: Vec<Option<Step>> = steps.into_iter().map(Some).collect();
    order.into_iter().map(|index| steps[index].take().expect("each step once")).collect()
}

/// The tie-break between steps free to run, in the order phases come:
/// drops of what depends on others first, then renames, then creations
/// from the outside in. Each family's module says which phase each of its
/// operations belongs to (`Family::phase`); edges always win over phases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    /// Session settings the plan's statements need
    /// (`check_function_bodies`), first.
    SessionSettings,
    /// Views and materialized views dropped: they read everything else.
    DropViews,
    /// Triggers dropped (before the columns and tables they read).
    DropTriggers,
    /// Row-level security policies dropped (before the columns and tables
    /// they read).
    DropPolicies,
    /// `DETACH PARTITION`, `NO INHERIT`: before any attach (partitions
    /// trading bounds), and before the drop of a check a table kept from
    /// the parent it stops inheriting from.
    Detach,
    /// Foreign keys dropped: nothing else can go while one points at it.
    DropForeignKeys,
    /// Extended statistics dropped (before the columns they are on).
    DropStatistics,
    /// Indexes dropped.
    DropIndexes,
    /// Other constraints dropped (primary keys, unique, checks, exclusion).
    DropConstraints,
    /// Columns dropped.
    DropColumns,
    /// Tables dropped.
    DropTables,
    /// Sequences no column owns dropped, once no default calls them.
    DropSequences,
    /// Functions, procedures and aggregates dropped, once nothing calls
    /// them (before the types they use).
    DropFunctions,
    /// Enum types dropped, once no column uses them.
    DropTypes,
    /// Collations dropped, once nothing uses them.
    DropCollations,
    /// Extensions dropped.
    DropExtensions,
    /// Schemas dropped, once empty.
    DropSchemas,
    /// Renames: hinted tables, columns, types and values, and sequences
    /// taking their new names.
    Renames,
    /// Schemas created.
    CreateSchemas,
    /// Extensions created.
    CreateExtensions,
    /// Collations created (before what uses them).
    CreateCollations,
    /// Enum types created.
    CreateTypes,
    /// Enum values added, or types swapped for new values.
    EnumValues,
    /// Sequences no column owns created.
    CreateSequences,
    /// Functions, procedures and aggregates created or replaced (after
    /// the types they use, before the tables whose defaults call them).
    CreateFunctions,
    /// Tables created.
    CreateTables,
    /// Columns added.
    AddColumns,
    /// Column types changed; sequences created or altered.
    AlterColumns,
    /// Column defaults set or dropped.
    Defaults,
    /// Nullability and identity changed; sequences no default uses dropped.
    ColumnSettings,
    /// Persistence (`SET LOGGED`/`UNLOGGED`), storage parameters, and the
    /// columns' storage, compression and statistics targets.
    TableStorage,
    /// `ATTACH PARTITION`, `INHERIT`: once the table's and its parent's
    /// columns are as the plan leaves them.
    Attach,
    /// The rows of a table set aside (its partitioning changes) moved into
    /// the new one, once it and its partitions exist.
    MoveRows,
    /// Primary keys added.
    AddPrimaryKeys,
    /// Unique constraints added.
    AddUniques,
    /// Check constraints added.
    AddChecks,
    /// Exclusion constraints added.
    AddExclusions,
    /// Indexes and constraints renamed (the same definition).
    RenameIndexes,
    /// Indexes created.
    CreateIndexes,
    /// What names an index: replica identities and `CLUSTER ON`.
    IndexUses,
    /// Extended statistics created, their targets set.
    CreateStatistics,
    /// Foreign keys added and constraints validated.
    ForeignKeys,
    /// Views and materialized views created, replaced, their options set,
    /// refreshed: after what they read.
    CreateViews,
    /// Row-level security enabled, disabled, forced or not.
    RowSecurity,
    /// Policies created or altered, once their table is complete.
    CreatePolicies,
    /// Triggers created, replaced or enabled, once their table is complete
    /// (and, until functions are modelled, after everything that could be
    /// their function's business).
    CreateTriggers,
    /// Comments on tables.
    TableComments,
    /// Comments on columns.
    ColumnComments,
    /// Comments on schemas, extensions, types, sequences, indexes and
    /// constraints (and routines), once everything else ran.
    ObjectComments,
    /// Privileges granted again on objects dropped and created again.
    Grants,
    /// Session settings put back, last.
    ResetSessionSettings,
}

/// The name a step sorts by among steps of its kind.
fn sort_name(step: &Step) -> String {
    let key = step.produces.first().or(step.removes.first()).or(step.consumes.first());
    format!("{key:?}")
}
