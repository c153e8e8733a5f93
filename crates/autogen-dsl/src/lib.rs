//! Rust models → autogen's schema model. A struct with `#[derive(Model)]`
//! is a table, an enum with `#[derive(PgEnum)]` an enum type, a newtype
//! with `#[derive(PgDomain)]` a domain and a struct with
//! `#[derive(PgComposite)]` a composite type; their `#[autogen(…)]`
//! attributes say the rest (docs/dsl.md).
//!
//! - [`def`]: what the models say, as data ([`Declarations`]).
//! - `parse` (feature `parse`): Rust source → declarations, with syn. The
//!   derive macros use it on one item, the CLI on whole files (without
//!   compiling them): one reader, so the two always agree.
//! - [`assemble`]: declarations → [`Schema`](autogen_schema::Schema), through
//!   the SQL they stand for, read by autogen-sql.

pub mod assemble;
pub mod def;
pub mod names;
#[cfg(feature = "parse")]
pub mod parse;
pub mod sqltext;
pub mod types;

pub use assemble::{assemble, Assembled, Problem};
pub use def::Declarations;
