//! autogen's schema model (IR): the one value every source produces and the
//! diff compares. Pure data and pure functions: no I/O.
//!
//! - [`model`]: `Schema`, `Table`, `Column`, constraints, indexes, enums,
//!   extensions;
//! - [`types`]: `SqlType`, spelled as PostgreSQL's `format_type` spells it;
//! - [`ident`]: quoting exactly as PostgreSQL needs it, `QualifiedName`;
//! - [`comments`]: comments on schemas, extensions, types, collations,
//!   sequences, indexes and constraints ([`Schema::comments`]);
//! - [`collations`]: what uses a collation, and renaming one everywhere;
//! - [`ddl`]: the SQL text of each object, which the plan's statements
//!   (and so `autogen inspect`'s canonical DDL) are made of;
//! - [`naming`]: PostgreSQL's names for unnamed constraints, indexes,
//!   sequences and statistics;
//! - [`privileges`]: grants on tables, views and routines, kept across a rebuild
//!   (never compared);
//! - [`storage`]: a type's default storage and whether a table has a TOAST
//!   table, as PostgreSQL decides them.

/// `PartialEq`, `Eq`, `Hash`, `PartialOrd` and `Ord` for a part of the
/// model kept beside its value but never compared (what a view reads,
/// grants, clones' names, unmodelled objects …): always equal, so two
/// schemas that differ only there are the same schema.
macro_rules! never_compared {
    ($type:ty) => {
        impl PartialEq for $type {
            fn eq(&self, _other: &Self) -> bool {
                true
            }
        }

        impl Eq for $type {}

        impl std::hash::Hash for $type {
            fn hash<H: std::hash::Hasher>(&self, _state: &mut H) {}
        }

        impl PartialOrd for $type {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $type {
            fn cmp(&self, _other: &Self) -> std::cmp::Ordering {
                std::cmp::Ordering::Equal
            }
        }
    };
}
pub(crate) use never_compared;

pub mod collations;
pub mod comments;
pub mod ddl;
pub mod expression;
pub mod ident;
pub mod model;
pub mod naming;
pub mod partitions;
pub mod privileges;
pub mod routine_sql;
pub mod routines;
pub mod storage;
pub mod triggers;
pub mod types;
pub mod unmodelled;
pub mod views;

pub use collations::CollationUser;
pub use comments::CommentTarget;
pub use ident::{
    glob_matches, glob_to_like, one_line, portable_literals, quote_ident, quote_literal,
    QualifiedName,
};
pub use model::*;
pub use partitions::{PartitionBound, PartitionBy, PartitionKey, PartitionOf, PartitionStrategy};
pub use privileges::{Grant, GrantedOn, Grantee, Grants};
pub use routines::{
    Aggregate, Argument, ArgumentMode, Body, Function, Parallel, Returns, RoutineName, Volatility,
};
pub use triggers::{
    ConstraintTrigger, Policy, PolicyCommand, Trigger, TriggerEnabled, TriggerTiming,
};
pub use types::{SqlType, VectorKind};
pub use unmodelled::{Dependency, Reference, Unmodelled, UnmodelledObject};
pub use views::{
    CheckOption, MaterializedView, Rewritten, TextForm, Uses, View, ViewColumn, ViewDependencies,
};
