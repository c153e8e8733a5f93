//! What a schema holds that the model does not describe yet (views,
//! functions, triggers, partitioned tables …), with what each depends on —
//! so that a plan never breaks what it cannot see (`autogen_diff::guard`).

use crate::ident::QualifiedName;

/// The objects of a schema the model does not describe, each with the
/// modelled objects it depends on. Not part of the schema's value: two
/// schemas that differ only here compare equal (a plan neither creates nor
/// drops these objects), and JSON leaves it out.
#[derive(Debug, Clone, Default)]
pub struct Unmodelled {
    pub objects: Vec<UnmodelledObject>,
}

crate::never_compared!(Unmodelled);

impl Unmodelled {
    /// The relation (view, partitioned table, foreign table …) called
    /// `name`, if there is one.
    pub fn relation(&self, name: &QualifiedName) -> Option<&UnmodelledObject> {
        self.objects.iter().find(|object| {
            object.relation && object.schema == name.schema && object.name == name.name
        })
    }
}

/// One object the model does not describe.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnmodelledObject {
    /// `view`, `partitioned table`, `trigger`, `function` …
    pub kind: String,
    pub schema: String,
    /// Its name (`table.trigger` for what belongs to a table,
    /// `name(argument types)` for functions).
    pub name: String,
    /// Whether it is a relation: it takes a name tables, sequences and
    /// indexes could take.
    pub relation: bool,
    /// The modelled objects it depends on.
    pub depends_on: Vec<Dependency>,
}

impl std::fmt::Display for UnmodelledObject {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{} {}.{}", self.kind, self.schema, self.name)
    }
}

/// What an unmodelled object depends on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dependency {
    pub on: Reference,
    /// PostgreSQL refuses to drop `on` while the object exists (`pg_depend`
    /// deptype `n`); any dependency refuses a change of a column's type.
    pub blocks_drop: bool,
}

/// A modelled object, by name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reference {
    Table(QualifiedName),
    Column(QualifiedName, String),
    /// An enum (or other type the model describes).
    Type(QualifiedName),
    Sequence(QualifiedName),
    Collation(QualifiedName),
    /// An index, or the index behind a primary key or unique constraint.
    Index(QualifiedName),
    /// A function, procedure or aggregate, by name (every overload).
    Function(QualifiedName),
    /// A view (its columns are `Column`s of its name).
    View(QualifiedName),
    /// A materialized view.
    MaterializedView(QualifiedName),
}

impl std::fmt::Display for Reference {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reference::Table(name) => write!(formatter, "table {name}"),
            Reference::Column(table, column) => {
                write!(formatter, "column {table}.{}", crate::quote_ident(column))
            }
            Reference::Type(name) => write!(formatter, "type {name}"),
            Reference::Sequence(name) => write!(formatter, "sequence {name}"),
            Reference::Collation(name) => write!(formatter, "collation {name}"),
            Reference::Index(name) => write!(formatter, "index {name}"),
            Reference::Function(name) => write!(formatter, "function {name}"),
            Reference::View(name) => write!(formatter, "view {name}"),
            Reference::MaterializedView(name) => write!(formatter, "materialized view {name}"),
        }
    }
}
