//! Two schemas to the ordered operations that turn one into the other.
//!
//! `diff(from, to, hints)` compares the two [`Schema`] values object by
//! object (`tables.rs` for tables and what they hold, `types.rs` for
//! schemas, extensions and enums), giving [`Step`]s: an [`Operation`], its
//! [`Hazard`]s, and the names it creates, needs, removes and stops using.
//! `order.rs` turns those names into dependency edges and sorts the steps
//! topologically with a deterministic tie-break, so the same inputs give the
//! same plan. Pure: no I/O, no SQL text (that is `autogen-emit`).

mod operation;
mod order;
mod tables;
mod types;

use autogen_schema::Schema;

pub use operation::{ConstraintKind, EnumPosition, Hazard, Key, Operation, Step, SwappedColumn};

/// Renames the user declared (`hints.toml`, later the CLI and the models):
/// old name → new name. A hinted rename never drops data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {}

/// The operations that turn one schema into another, in the order they run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub steps: Vec<Step>,
}

impl Plan {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
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

/// The plan that turns `from` into `to`.
pub fn diff(from: &Schema, to: &Schema, _hints: &Hints) -> Plan {
    let mut steps = Vec::new();
    types::diff(from, to, &mut steps);
    tables::diff(from, to, &mut steps);
    Plan { steps: order::sort(steps) }
}
