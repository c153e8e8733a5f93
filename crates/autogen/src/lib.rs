//! Declare a PostgreSQL schema as Rust: structs with `#[derive(Model)]` are
//! tables, enums with `#[derive(PgEnum)]` enum types (the attributes are in
//! docs/dsl.md). `autogen diff` reads the same files without compiling
//! them; at run time, [`schema!`] builds the [`Schema`] they declare — the
//! same one.
//!
//! ```
//! use autogen::{Model, PgEnum};
//!
//! #[derive(PgEnum)]
//! pub enum Mood { Happy, Sad }
//!
//! #[derive(Model)]
//! pub struct Person {
//!     #[autogen(primary_key, identity)]
//!     pub id: i64,
//!     pub mood: Option<Mood>,
//!     pub embedding: Option<autogen::Vector<3>>,
//! }
//!
//! let schema = autogen::schema![Mood, Person].unwrap();
//! assert!(schema.tables.keys().any(|name| name.name == "persons"));
//! ```

pub use autogen_derive::{Model, PgEnum};
pub use autogen_dsl::def::{Declarations, EnumDef, ModelDef};
pub use autogen_dsl::Problem;
pub use autogen_schema::Schema;

/// A table: implemented by `#[derive(Model)]`.
pub trait Model {
    /// What the struct's attributes say.
    fn definition() -> ModelDef;
}

/// An enum type: implemented by `#[derive(PgEnum)]`.
pub trait PgEnum {
    /// What the enum's attributes say.
    fn definition() -> EnumDef;
}

/// A model or enum that adds itself to a set of declarations (both
/// derives implement it; [`schema!`] uses it).
pub trait Declare {
    fn declare(declarations: &mut Declarations);
}

/// pgvector's `vector(N)`, for a field whose type should carry its
/// dimension (`pgvector::Vector` with `#[autogen(dimension = N)]` says the
/// same).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Vector<const N: usize>(pub Vec<f32>);

/// pgvector's `halfvec(N)` (values kept as `f32` here).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HalfVector<const N: usize>(pub Vec<f32>);

/// pgvector's `sparsevec(N)`: (index, value) pairs, indexes from 0.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SparseVector<const N: usize>(pub Vec<(u32, f32)>);

/// The schema of the listed models and enums, assembled as the CLI
/// assembles it from the files: `autogen::schema![User, Post, Status]`.
/// The mistakes a derive cannot see alone (a reference to a table no model
/// has, a field type that is no listed enum) are the error.
#[macro_export]
macro_rules! schema {
    ($($item:ty),* $(,)?) => {{
        let mut declarations = $crate::Declarations::default();
        $(<$item as $crate::Declare>::declare(&mut declarations);)*
        $crate::__private::assemble(&declarations)
    }};
}

/// What the derives and [`schema!`] expand to; not for direct use.
#[doc(hidden)]
pub mod __private {
    use crate::{Declarations, Problem, Schema};

    /// A definition the derive embedded as JSON.
    pub fn definition<T: serde::de::DeserializeOwned>(json: &str) -> T {
        serde_json::from_str(json).expect("autogen-derive writes definitions this version reads")
    }

    pub fn assemble(declarations: &Declarations) -> Result<Schema, Vec<Problem>> {
        autogen_dsl::assemble(declarations).map(|assembled| assembled.schema)
    }
}
