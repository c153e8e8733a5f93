//! Declare a PostgreSQL schema as Rust: structs with `#[derive(Model)]` are
//! tables, enums with `#[derive(PgEnum)]` enum types, newtypes with
//! `#[derive(PgDomain)]` domains and structs with `#[derive(PgComposite)]`
//! composite types (the attributes are in docs/dsl.md). `autogen diff` reads the same files without compiling
//! them; at run time, [`schema!`] builds the [`Schema`] they declare — the
//! same one.
//!
//! ```
//! use autogen::{Model, PgComposite, PgDomain, PgEnum};
//!
//! #[derive(PgEnum)]
//! pub enum Mood { Happy, Sad }
//!
//! #[derive(PgDomain)]
//! #[autogen(check = "VALUE BETWEEN 0 AND 150")]
//! pub struct Age(i16);
//!
//! #[derive(PgComposite)]
//! pub struct Address { pub street: String, pub city: String }
//!
//! #[derive(Model)]
//! pub struct Person {
//!     #[autogen(primary_key, identity)]
//!     pub id: i64,
//!     pub mood: Option<Mood>,
//!     pub age: Age,
//!     pub addresses: Vec<Address>,
//!     pub embedding: Option<autogen::Vector<3>>,
//! }
//!
//! let schema = autogen::schema![Mood, Age, Address, Person].unwrap();
//! assert!(schema.tables.keys().any(|name| name.name == "persons"));
//! assert!(schema.domains.keys().any(|name| name.name == "age"));
//! assert!(schema.composites.keys().any(|name| name.name == "address"));
//! ```

pub use autogen_derive::{Model, PgComposite, PgDomain, PgEnum};
pub use autogen_dsl::def::{CompositeDef, Declarations, DomainDef, EnumDef, ModelDef};
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

/// A domain: implemented by `#[derive(PgDomain)]` on a newtype.
pub trait PgDomain {
    /// What the newtype's attributes say.
    fn definition() -> DomainDef;
}

/// A composite type: implemented by `#[derive(PgComposite)]`.
pub trait PgComposite {
    /// What the struct's attributes say.
    fn definition() -> CompositeDef;
}

/// A model, enum, domain or composite type that adds itself to a set of
/// declarations (every derive implements it; [`schema!`] uses it).
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

/// The schema of the listed models and types, assembled as the CLI
/// assembles it from the files: `autogen::schema![User, Post, Status]`.
/// The mistakes a derive cannot see alone (a reference to a table no model
/// has, a field type that is no listed enum, domain or composite) are the
/// error.
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
