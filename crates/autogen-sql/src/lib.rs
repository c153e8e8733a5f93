//! SQL DDL text → autogen's [`Schema`](autogen_schema::Schema), with
//! diagnostics that carry file, line and column. Pure: no I/O, no database.
//!
//! In progress (issue 3). What stands:
//! - [`statements`]: a script split into statements with their positions,
//!   so each is parsed alone and an error names where it is;
//! - [`read`]: statements sorted into those that build the schema (parsed),
//!   those passed over, and those about objects not modelled (warnings);
//! - [`types`]: type spellings (`int4`, `varchar(80)`, `timestamptz`,
//!   `serial`, `vector(3)`, arrays, enums by name) to the canonical
//!   [`SqlType`](autogen_schema::SqlType) the catalog gives.

pub mod read;
pub mod statements;
pub mod types;

use std::fmt;

/// Where something is in a source file: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Location {
    pub line: u64,
    pub column: u64,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something autogen cannot model; the input is still read.
    Warning,
    /// Input that cannot be read.
    Error,
}

/// A message about a place in a source file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file's path as given, or a name such as `<stdin>`.
    pub file: String,
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error: message`, as compilers print it.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            formatter,
            "{}:{}:{}: {severity}: {}",
            self.file, self.location.line, self.location.column, self.message
        )
    }
}
