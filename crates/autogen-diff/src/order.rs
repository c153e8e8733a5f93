//! Steps in dependency order: edges from the names steps create, need,
//! remove and stop using; a topological sort whose ties go by operation kind
//! and then name, so the same inputs always give the same order.
//!
//! Edges (A before B):
//! - A creates a name B needs;
//! - B stops using a name A removes (dependents are dropped, or stop
//!   depending, before what they depend on goes);
//! - A removes a name B creates again (a changed index: drop, then create).

use std::collections::{BTreeMap, BTreeSet};

use crate::operation::{Key, Operation, Step};

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
                edge(remover, index);
            }
        }
    }
    let mut waiting: Vec<usize> = vec![0; count];
    for later in after.iter().flatten() {
        waiting[*later] += 1;
    }
    let tie = |index: usize| (rank(&steps[index].operation), sort_name(&steps[index]), index);
    let mut ready: BTreeSet<(u8, String, usize)> =
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
        let mut rest: Vec<(u8, String, usize)> =
            (0..count).filter(|index| !placed.contains(index)).map(tie).collect();
        rest.sort();
        order.extend(rest.into_iter().map(|(_, _, index)| index));
    }
    let mut steps: Vec<Option<Step>> = steps.into_iter().map(Some).collect();
    order.into_iter().map(|index| steps[index].take().expect("each step once")).collect()
}

/// The tie-break between steps free to run: drops of what depends on
/// others first, then creations from the outside in.
fn rank(operation: &Operation) -> u8 {
    match operation {
        Operation::DropConstraint {
            kind: crate::operation::ConstraintKind::ForeignKey, ..
        } => 0,
        Operation::DropIndex { .. } => 1,
        Operation::DropConstraint { .. } => 2,
        Operation::DropColumn { .. } => 3,
        Operation::DropTable(_) => 4,
        Operation::DropEnum(_) => 5,
        Operation::DropExtension(_) => 6,
        Operation::DropSchema(_) => 7,
        Operation::CreateSchema(_) => 10,
        Operation::CreateExtension(_) => 11,
        Operation::CreateEnum(_) => 12,
        Operation::AddEnumValue { .. } => 13,
        Operation::SwapEnum { .. } => 13,
        Operation::CreateTable(_) => 14,
        Operation::AddColumn { .. } => 15,
        Operation::AlterColumnType { .. } | Operation::AlterVectorColumn { .. } => 16,
        Operation::RenameSequence { .. } => 9,
        Operation::CreateOwnedSequence { .. } | Operation::AlterOwnedSequence { .. } => 16,
        Operation::SetDefault { .. } => 17,
        Operation::DropOwnedSequence { .. } => 18,
        Operation::SetNullable { .. } => 18,
        Operation::AlterIdentity { .. } => 18,
        Operation::AddPrimaryKey { .. } => 19,
        Operation::AddUnique { .. } => 20,
        Operation::AddCheck { .. } => 21,
        Operation::RenameIndex { .. } | Operation::RenameConstraint { .. } => 22,
        Operation::RenameTable { .. }
        | Operation::RenameColumn { .. }
        | Operation::RenameEnum { .. }
        | Operation::RenameEnumValue { .. } => 9,
        Operation::CreateIndex { .. } => 23,
        Operation::AddForeignKey { .. } => 24,
        Operation::ValidateConstraint { .. } => 24,
        Operation::CommentTable { .. } => 25,
        Operation::CommentColumn { .. } => 26,
    }
}

/// The name a step sorts by among steps of its kind.
fn sort_name(step: &Step) -> String {
    let key = step.produces.first().or(step.removes.first()).or(step.consumes.first());
    format!("{key:?}")
}
