//! What a model says, as data: a struct with `#[derive(Model)]` is a
//! [`ModelDef`], an enum with `#[derive(PgEnum)]` an [`EnumDef`], a newtype
//! with `#[derive(PgDomain)]` a [`DomainDef`] and a struct with
//! `#[derive(PgComposite)]` a [`CompositeDef`]. The reader
//! (`parse`) makes them from Rust source; the derive macros embed them in
//! the user's program; [`crate::assemble`] turns a set of them into a
//! schema. Nothing here is resolved yet: a field's type is the Rust type as
//! written, a reference is the text of the attribute.

use serde::{Deserialize, Serialize};

/// Where something is in a source file (1-based), when it was read from
/// one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Place {
    pub line: u64,
    pub column: u64,
}

/// A struct with `#[derive(Model)]`: one table.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ModelDef {
    /// The struct's name: `BlogPost`.
    pub rust_name: String,
    /// `table = "…"`; by default the struct's name in snake case, plural.
    pub table: Option<String>,
    /// `schema = "…"`; by default `public`.
    pub schema: Option<String>,
    /// `comment = "…"`, or the struct's doc comment.
    pub comment: Option<String>,
    /// `renamed_from = "old_name"`: the table's name before.
    pub renamed_from: Option<String>,
    pub fields: Vec<FieldDef>,
    /// `primary_key(a, b)` on the struct.
    pub primary_key: Vec<String>,
    pub uniques: Vec<UniqueDef>,
    pub checks: Vec<CheckDef>,
    pub foreign_keys: Vec<ForeignKeyDef>,
    pub indexes: Vec<IndexDef>,
    #[serde(default)]
    pub exclusions: Vec<ExclusionDef>,
    /// The file it was read from, when read from one.
    pub file: Option<String>,
    pub place: Option<Place>,
}

/// A field of a model: one column (fields marked `skip` are not read).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FieldDef {
    /// The field's name: `author_id` (`r#type` as `type`).
    pub rust_name: String,
    /// `name = "…"`; by default the field's name.
    pub name: Option<String>,
    pub rust_type: RustType,
    /// `sql_type = "varchar(80)"`: the column's type, whatever the field's.
    pub sql_type: Option<String>,
    /// `dimension = N`: for pgvector types that carry none.
    pub dimension: Option<u32>,
    pub primary_key: bool,
    pub identity: Option<IdentityDef>,
    pub unique: bool,
    /// SQL expressions, as written.
    pub default: Option<String>,
    pub generated: Option<String>,
    pub check: Option<String>,
    /// `references = "users.id"` (or `"app.users.id"`).
    pub references: Option<String>,
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
    /// `index`: a plain index on the column, named as PostgreSQL names it.
    pub index: bool,
    pub collation: Option<String>,
    pub renamed_from: Option<String>,
    pub comment: Option<String>,
    pub place: Option<Place>,
}

/// `identity` (always) or `identity = "by_default"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentityDef {
    Always,
    ByDefault,
}

/// A Rust type as written, reduced to what decides the column's type:
/// `Option<Vec<chrono::DateTime<Utc>>>` is
/// `Option(Vec(Path { name: "DateTime", path: "chrono::DateTime", .. }))`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RustType {
    Option(Box<RustType>),
    Vec(Box<RustType>),
    /// A named type: its last segment, the whole path as written, its type
    /// arguments and its first const argument (`Vector<384>`).
    Path {
        name: String,
        path: String,
        arguments: Vec<RustType>,
        constant: Option<u64>,
    },
    /// A type autogen cannot read (a tuple, a reference, …), as written.
    Other(String),
}

impl Default for RustType {
    fn default() -> Self {
        RustType::Other(String::new())
    }
}

/// `unique(a, b)` or `unique(name = "…", columns(a, b), nulls_not_distinct)`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UniqueDef {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub nulls_not_distinct: bool,
    pub place: Option<Place>,
}

/// `check = "…"` or `check(name = "…", expr = "…")`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CheckDef {
    pub name: Option<String>,
    pub expression: String,
    pub place: Option<Place>,
}

/// `foreign_key(columns(a, b), references = "orders(id, region)", …)`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ForeignKeyDef {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// `table.column`, `schema.table.column`, or `table(a, b)`.
    pub references: String,
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
    pub deferrable: bool,
    pub place: Option<Place>,
}

/// `index(name = "…", columns(a, b), method = "hnsw", opclass = "…",
/// with(m = 16), include(c), where = "…", unique)` or `keys = "lower(email)"`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IndexDef {
    pub name: Option<String>,
    pub unique: bool,
    pub method: Option<String>,
    pub columns: Vec<String>,
    /// Key SQL as written (expressions, `DESC`, per-key opclasses).
    pub keys: Option<String>,
    /// An operator class for every column of `columns`.
    pub opclass: Option<String>,
    pub include: Vec<String>,
    pub predicate: Option<String>,
    /// `with(m = 16, ef_construction = 64)`, values as written.
    pub with: Vec<(String, String)>,
    pub renamed_from: Option<String>,
    pub place: Option<Place>,
}

/// `exclude(name = "…", using = "gist", elements = "room_id WITH =, during
/// WITH &&", include(c), with(fillfactor = 80), where = "…", deferrable,
/// initially_deferred)`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ExclusionDef {
    pub name: Option<String>,
    /// The index method; btree when not said, as in SQL (`gist` in practice).
    pub method: Option<String>,
    /// `key WITH operator, …`, SQL as written (read by the SQL reader).
    pub elements: String,
    pub include: Vec<String>,
    /// `with(fillfactor = 80)`, values as written.
    pub with: Vec<(String, String)>,
    pub predicate: Option<String>,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub place: Option<Place>,
}

/// An enum with `#[derive(PgEnum)]`: one enum type.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EnumDef {
    pub rust_name: String,
    /// `name = "…"`; by default the enum's name in snake case.
    pub name: Option<String>,
    pub schema: Option<String>,
    /// `rename_all = "…"` for the labels; by default `snake_case`.
    pub rename_all: Option<String>,
    pub renamed_from: Option<String>,
    pub variants: Vec<VariantDef>,
    pub file: Option<String>,
    pub place: Option<Place>,
}

/// A variant: one label.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VariantDef {
    pub rust_name: String,
    /// `label = "…"`; by default the name under `rename_all`.
    pub label: Option<String>,
    pub renamed_from: Option<String>,
    pub place: Option<Place>,
}

/// A newtype with `#[derive(PgDomain)]` (`struct Year(i32);`): one domain.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DomainDef {
    pub rust_name: String,
    /// `name = "…"`; by default the struct's name in snake case.
    pub name: Option<String>,
    pub schema: Option<String>,
    /// The inner field's type, as written: the base type.
    pub rust_type: RustType,
    /// `sql_type = "numeric(12,2)"`: the base type, whatever the field's.
    pub sql_type: Option<String>,
    /// `default = "…"`, an SQL expression as written.
    pub default: Option<String>,
    /// `not_null`: the domain refuses NULL.
    pub not_null: bool,
    pub collation: Option<String>,
    /// `check = "VALUE > 0"` or `check(name = "…", expr = "…")`, in order.
    pub checks: Vec<CheckDef>,
    /// `comment = "…"`, or the struct's doc comment.
    pub comment: Option<String>,
    /// `renamed_from = "old"`: `ALTER DOMAIN old RENAME TO name`.
    #[serde(default)]
    pub renamed_from: Option<String>,
    pub file: Option<String>,
    pub place: Option<Place>,
}

/// A struct with `#[derive(PgComposite)]`: one composite type.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CompositeDef {
    pub rust_name: String,
    /// `name = "…"`; by default the struct's name in snake case.
    pub name: Option<String>,
    pub schema: Option<String>,
    /// `comment = "…"`, or the struct's doc comment.
    pub comment: Option<String>,
    /// The fields, in order: the type's attributes.
    pub attributes: Vec<AttributeDef>,
    /// `renamed_from = "old"`: `ALTER TYPE old RENAME TO name`.
    #[serde(default)]
    pub renamed_from: Option<String>,
    pub file: Option<String>,
    pub place: Option<Place>,
}

/// A field of a composite: one attribute (always nullable, so `Option<T>`
/// and `T` are the same).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AttributeDef {
    /// The field's name (`r#type` as `type`).
    pub rust_name: String,
    /// `name = "…"`; by default the field's name.
    pub name: Option<String>,
    pub rust_type: RustType,
    /// `sql_type = "varchar(10)"`: the attribute's type, whatever the field's.
    pub sql_type: Option<String>,
    pub collation: Option<String>,
    /// `renamed_from = "old"`: `ALTER TYPE … RENAME ATTRIBUTE old TO name`.
    #[serde(default)]
    pub renamed_from: Option<String>,
    pub place: Option<Place>,
}

/// Everything a set of model files (or a program) declares.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Declarations {
    pub models: Vec<ModelDef>,
    pub enums: Vec<EnumDef>,
    #[serde(default)]
    pub domains: Vec<DomainDef>,
    #[serde(default)]
    pub composites: Vec<CompositeDef>,
}

impl Declarations {
    /// Adds what `other` declares (another file's declarations).
    pub fn extend(&mut self, other: Declarations) {
        self.models.extend(other.models);
        self.enums.extend(other.enums);
        self.domains.extend(other.domains);
        self.composites.extend(other.composites);
    }
}
