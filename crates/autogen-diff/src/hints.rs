//! Rename hints: what the user says was renamed, so that the plan renames
//! instead of dropping and creating (which loses data). Read from
//! `hints.toml`:
//!
//! ```toml
//! [tables]        # "[schema.]old" = "new"
//! "public.users" = "accounts"
//! [columns]       # "[schema.]table.old" = "new" (the table's old name)
//! "users.mail" = "email"
//! [enums]         # "[schema.]old" = "new"
//! "mood" = "feeling"
//! [enum_values]   # "[schema.]type.old" = "new" (the type's old name)
//! "mood.sad" = "blue"
//! [composites]    # "[schema.]old" = "new" (a type made by CREATE TYPE … AS (…))
//! "address" = "postal_address"
//! [attributes]    # "[schema.]type.old" = "new" (the composite type's old name)
//! "address.zip" = "postcode"
//! [domains]       # "[schema.]old" = "new"
//! "positive" = "strictly_positive"
//! [indexes]       # "[schema.]old" = "new"
//! "users_mail_idx" = "users_email_idx"
//! [sequences]     # "[schema.]old" = "new" (a sequence no column owns)
//! "order_numbers" = "invoice_numbers"
//! [collations]    # "[schema.]old" = "new"
//! "ci" = "case_insensitive"
//! [functions]     # "[schema.]old" = "new" (every overload; procedures and aggregates too)
//! "calc_total" = "total_with_tax"
//! [views]         # "[schema.]old" = "new" (a view or materialized view)
//! "active_users" = "current_users"
//! ```
//!
//! Renames run first — columns, enum values and attributes (named by their
//! table or type as it was), then tables, types (enums, composite types,
//! domains: what uses a type follows it), indexes and sequences; the rest
//! of the plan is the diff from the renamed schema.

use std::borrow::Cow;
use std::collections::BTreeMap;

use autogen_schema::{expression, CommentTarget, QualifiedName, Reference, Schema};

use crate::operation::{Operation, Step};

/// Renames the user declared: old name → new name. A hinted rename never
/// drops data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    /// Old table → new name, in the same schema.
    pub tables: Vec<(QualifiedName, String)>,
    /// (table as named before any rename, old column, new column).
    pub columns: Vec<(QualifiedName, String, String)>,
    /// Old enum type → new name, in the same schema.
    pub enums: Vec<(QualifiedName, String)>,
    /// (type as named before any rename, old value, new value).
    pub enum_values: Vec<(QualifiedName, String, String)>,
    /// Old composite type → new name, in the same schema.
    pub composites: Vec<(QualifiedName, String)>,
    /// (composite type as named before any rename, old attribute, new
    /// attribute).
    pub attributes: Vec<(QualifiedName, String, String)>,
    /// Old domain → new name, in the same schema.
    pub domains: Vec<(QualifiedName, String)>,
    /// Old index (schema-qualified) → new name.
    pub indexes: Vec<(QualifiedName, String)>,
    /// Old sequence no column owns → new name, in the same schema (a
    /// sequence a column owns follows its column: no hint needed).
    pub sequences: Vec<(QualifiedName, String)>,
    /// Old collation → new name, in the same schema.
    pub collations: Vec<(QualifiedName, String)>,
    /// Old function, procedure or aggregate (every overload) → new name,
    /// in the same schema.
    pub functions: Vec<(QualifiedName, String)>,
    /// Old view or materialized view → new name, in the same schema.
    pub views: Vec<(QualifiedName, String)>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    tables: BTreeMap<String, String>,
    #[serde(default)]
    columns: BTreeMap<String, String>,
    #[serde(default)]
    enums: BTreeMap<String, String>,
    #[serde(default)]
    enum_values: BTreeMap<String, String>,
    #[serde(default)]
    composites: BTreeMap<String, String>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
    #[serde(default)]
    domains: BTreeMap<String, String>,
    #[serde(default)]
    indexes: BTreeMap<String, String>,
    #[serde(default)]
    sequences: BTreeMap<String, String>,
    #[serde(default)]
    collations: BTreeMap<String, String>,
    #[serde(default)]
    functions: BTreeMap<String, String>,
    #[serde(default)]
    views: BTreeMap<String, String>,
}

impl Hints {
    /// Reads `hints.toml` text. The error says which entry is wrong.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let file: File = toml::from_str(text).map_err(|error| error.to_string())?;
        let object = |key: &str| -> Result<QualifiedName, String> {
            match key.split('.').collect::<Vec<_>>().as_slice() {
                [name] => Ok(QualifiedName::new("public", *name)),
                [schema, name] => Ok(QualifiedName::new(*schema, *name)),
                _ => Err(format!("`{key}` is not `[schema.]name`")),
            }
        };
        let member = |key: &str| -> Result<(QualifiedName, String), String> {
            match key.split('.').collect::<Vec<_>>().as_slice() {
                [owner, name] => Ok((QualifiedName::new("public", *owner), (*name).to_owned())),
                [schema, owner, name] => {
                    Ok((QualifiedName::new(*schema, *owner), (*name).to_owned()))
                }
                _ => Err(format!("`{key}` is not `[schema.]owner.name`")),
            }
        };
        let mut hints = Hints::default();
        for (old, new) in &file.tables {
            hints.tables.push((object(old)?, new.clone()));
        }
        for (old, new) in &file.columns {
            let (table, column) = member(old)?;
            hints.columns.push((table, column, new.clone()));
        }
        for (old, new) in &file.enums {
            hints.enums.push((object(old)?, new.clone()));
        }
        for (old, new) in &file.enum_values {
            let (type_name, value) = member(old)?;
            hints.enum_values.push((type_name, value, new.clone()));
        }
        for (old, new) in &file.composites {
            hints.composites.push((object(old)?, new.clone()));
        }
        for (old, new) in &file.attributes {
            let (type_name, attribute) = member(old)?;
            hints.attributes.push((type_name, attribute, new.clone()));
        }
        for (old, new) in &file.domains {
            hints.domains.push((object(old)?, new.clone()));
        }
        for (old, new) in &file.indexes {
            hints.indexes.push((object(old)?, new.clone()));
        }
        for (old, new) in &file.sequences {
            hints.sequences.push((object(old)?, new.clone()));
        }
        for (old, new) in &file.collations {
            hints.collations.push((object(old)?, new.clone()));
        }
        for (old, new) in &file.functions {
            hints.functions.push((object(old)?, new.clone()));
        }
        for (old, new) in &file.views {
            hints.views.push((object(old)?, new.clone()));
        }
        Ok(hints)
    }

    /// Adds the hints of `other` (those of `hints.toml` and those the Rust
    /// models' `renamed_from` give, say).
    pub fn extend(&mut self, other: Hints) {
        self.tables.extend(other.tables);
        self.columns.extend(other.columns);
        self.enums.extend(other.enums);
        self.enum_values.extend(other.enum_values);
        self.composites.extend(other.composites);
        self.attributes.extend(other.attributes);
        self.domains.extend(other.domains);
        self.indexes.extend(other.indexes);
        self.sequences.extend(other.sequences);
        self.collations.extend(other.collations);
        self.functions.extend(other.functions);
        self.views.extend(other.views);
    }

    /// The same renames the other way, for the down plan.
    pub fn reversed(&self) -> Hints {
        let renamed_table = |table: &QualifiedName| renamed(&self.tables, table);
        let renamed_enum = |type_name: &QualifiedName| renamed(&self.enums, type_name);
        let renamed_composite = |type_name: &QualifiedName| renamed(&self.composites, type_name);
        Hints {
            tables: (self.tables.iter())
                .map(|(old, new)| (QualifiedName::new(old.schema.clone(), new), old.name.clone()))
                .collect(),
            columns: (self.columns.iter())
                .map(|(table, old, new)| (renamed_table(table), new.clone(), old.clone()))
                .collect(),
            enums: (self.enums.iter())
                .map(|(old, new)| (QualifiedName::new(old.schema.clone(), new), old.name.clone()))
                .collect(),
            enum_values: (self.enum_values.iter())
                .map(|(type_name, old, new)| (renamed_enum(type_name), new.clone(), old.clone()))
                .collect(),
            composites: reversed_objects(&self.composites),
            attributes: (self.attributes.iter())
                .map(|(type_name, old, new)| {
                    (renamed_composite(type_name), new.clone(), old.clone())
                })
                .collect(),
            domains: reversed_objects(&self.domains),
            indexes: (self.indexes.iter())
                .map(|(old, new)| (QualifiedName::new(old.schema.clone(), new), old.name.clone()))
                .collect(),
            sequences: (self.sequences.iter())
                .map(|(old, new)| (QualifiedName::new(old.schema.clone(), new), old.name.clone()))
                .collect(),
            collations: (self.collations.iter())
                .map(|(old, new)| (QualifiedName::new(old.schema.clone(), new), old.name.clone()))
                .collect(),
            functions: (self.functions.iter())
                .map(|(old, new)| (QualifiedName::new(old.schema.clone(), new), old.name.clone()))
                .collect(),
            views: reversed_objects(&self.views),
        }
    }

    /// Each hint checked against the schema it renames from (`from`, the
    /// current one) and the one it renames to (`to`, the declared one): its
    /// source must be in `from` and its target in `to` — or, for a hint
    /// whose rename an earlier migration already made, its target in
    /// `from` — and no hints may rename in a cycle. Each mistake is one
    /// message naming the hint (as `hints.toml` writes it) and the nearest
    /// names that do exist. A hint that names nothing would otherwise be
    /// passed over, and the plan drop what the user meant to rename.
    pub fn check(&self, from: &Schema, to: &Schema) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        let table_in_to = |table: &QualifiedName| renamed(&self.tables, table);
        let enum_in_to = |type_name: &QualifiedName| renamed(&self.enums, type_name);
        let table_names = |schema: &Schema| -> Vec<String> {
            schema.tables.keys().map(ToString::to_string).collect()
        };
        let enum_names = |schema: &Schema| -> Vec<String> {
            schema.enums.keys().map(ToString::to_string).collect()
        };

        let has_table = |schema: &Schema, name: &QualifiedName| schema.tables.contains_key(name);
        check_objects(
            &mut problems,
            ("tables", "table"),
            &self.tables,
            (from, to),
            has_table,
            table_names,
        );
        for (table, old, new) in &self.columns {
            let hint =
                format!("[columns] {} = {}", toml_key(&format!("{table}.{old}")), toml_key(new));
            let columns = |schema: &Schema, table: &QualifiedName| -> Vec<String> {
                schema.tables.get(table).map_or_else(Vec::new, |table| {
                    table.columns.iter().map(|column| column.name.clone()).collect()
                })
            };
            let Some(current) = from.tables.get(table) else {
                // Renamed since, with the column already renamed too?
                let later = from.tables.get(&table_in_to(table));
                if later.is_none_or(|table| table.column(new).is_none()) {
                    problems.push(format!(
                        "{hint}: there is no table {table} in the current schema{}",
                        nearest(&table.to_string(), &table_names(from))
                    ));
                }
                continue;
            };
            let declared = table_in_to(table);
            let in_declared = to.tables.get(&declared).is_some_and(|t| t.column(new).is_some());
            check_one(
                &mut problems,
                &hint,
                "column",
                (current.column(old).is_some(), &format!("{table}.{old}"), &columns(from, table)),
                (current.column(new).is_some(), in_declared),
                (&format!("{declared}.{new}"), &columns(to, &declared)),
            );
        }
        for (type_name, old, new) in &self.enum_values {
            let hint = format!(
                "[enum_values] {} = {}",
                toml_key(&format!("{type_name}.{old}")),
                toml_key(new)
            );
            let labels = |schema: &Schema, name: &QualifiedName| -> Vec<String> {
                schema.enums.get(name).map_or_else(Vec::new, |e| e.labels.clone())
            };
            let Some(current) = from.enums.get(type_name) else {
                let later = from.enums.get(&enum_in_to(type_name));
                if later.is_none_or(|e| !e.labels.contains(new)) {
                    problems.push(format!(
                        "{hint}: there is no enum type {type_name} in the current schema{}",
                        nearest(&type_name.to_string(), &enum_names(from))
                    ));
                }
                continue;
            };
            let declared = enum_in_to(type_name);
            let in_declared = to.enums.get(&declared).is_some_and(|e| e.labels.contains(new));
            check_one(
                &mut problems,
                &hint,
                "value",
                (
                    current.labels.contains(old),
                    &format!("{old} in {type_name}"),
                    &labels(from, type_name),
                ),
                (current.labels.contains(new), in_declared),
                (&format!("{new} in {declared}"), &labels(to, &declared)),
            );
        }
        self.check_types(&mut problems, (from, to));
        check_objects(
            &mut problems,
            ("indexes", "index"),
            &self.indexes,
            (from, to),
            has_index,
            index_names,
        );
        check_objects(
            &mut problems,
            ("sequences", "sequence"),
            &self.sequences,
            (from, to),
            |schema, name| schema.sequences.contains_key(name),
            |schema| schema.sequences.keys().map(ToString::to_string).collect(),
        );
        check_objects(
            &mut problems,
            ("collations", "collation"),
            &self.collations,
            (from, to),
            |schema, name| schema.collations.contains_key(name),
            |schema| schema.collations.keys().map(ToString::to_string).collect(),
        );
        check_objects(
            &mut problems,
            ("functions", "function"),
            &self.functions,
            (from, to),
            |schema, name| !schema.routines_named(name).is_empty(),
            |schema| {
                let mut names: Vec<String> = (schema.functions.keys())
                    .chain(schema.aggregates.keys())
                    .map(|routine| routine.name.to_string())
                    .collect();
                names.dedup();
                names
            },
        );
        check_objects(
            &mut problems,
            ("views", "view"),
            &self.views,
            (from, to),
            |schema, name| schema.has_view(name),
            |schema| {
                (schema.views.keys().chain(schema.materialized_views.keys()))
                    .map(ToString::to_string)
                    .collect()
            },
        );
        problems.extend(self.cycles());
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The hints of types (enums, composite types, domains) and of
    /// attributes. Types share one namespace: a hint under the section of
    /// another kind, or onto the name of a type of another kind, is an
    /// error of its own.
    fn check_types(&self, problems: &mut Vec<String>, (from, to): (&Schema, &Schema)) {
        let kinds = [
            TypeKind {
                section: "enums",
                what: "an enum type",
                renames: &self.enums,
                has: |schema, name| schema.enums.contains_key(name),
                names: |schema| schema.enums.keys().map(ToString::to_string).collect(),
            },
            TypeKind {
                section: "composites",
                what: "a composite type",
                renames: &self.composites,
                has: |schema, name| schema.composites.contains_key(name),
                names: |schema| schema.composites.keys().map(ToString::to_string).collect(),
            },
            TypeKind {
                section: "domains",
                what: "a domain",
                renames: &self.domains,
                has: |schema, name| schema.domains.contains_key(name),
                names: |schema| schema.domains.keys().map(ToString::to_string).collect(),
            },
        ];
        let kind_in_from = |name: &QualifiedName| kinds.iter().find(|kind| (kind.has)(from, name));
        for kind in &kinds {
            let mut checked = Vec::new();
            for (old, new) in kind.renames {
                let hint = format!(
                    "[{}] {} = {}",
                    kind.section,
                    toml_key(&old.to_string()),
                    toml_key(new)
                );
                let new_name = QualifiedName::new(old.schema.clone(), new);
                match (kind_in_from(old), kind_in_from(&new_name)) {
                    (Some(other), _) if other.section != kind.section => problems.push(format!(
                        "{hint}: {old} is {}: its hint goes under [{}]",
                        other.what, other.section
                    )),
                    (Some(_), Some(other)) if other.section != kind.section => {
                        problems.push(format!(
                            "{hint}: the current schema has {} {new_name}: there is nothing to \
                             rename to",
                            other.what
                        ))
                    }
                    _ => checked.push((old.clone(), new.clone())),
                }
            }
            let what = kind.what.split_once(' ').map_or(kind.what, |(_, what)| what);
            check_objects(
                problems,
                (kind.section, what),
                &checked,
                (from, to),
                kind.has,
                kind.names,
            );
        }
        let composite_in_to = |type_name: &QualifiedName| renamed(&self.composites, type_name);
        let composite_names = |schema: &Schema| -> Vec<String> {
            schema.composites.keys().map(ToString::to_string).collect()
        };
        for (type_name, old, new) in &self.attributes {
            let hint = format!(
                "[attributes] {} = {}",
                toml_key(&format!("{type_name}.{old}")),
                toml_key(new)
            );
            let attributes = |schema: &Schema, name: &QualifiedName| -> Vec<String> {
                schema.composites.get(name).map_or_else(Vec::new, |composite| {
                    composite.attributes.iter().map(|attribute| attribute.name.clone()).collect()
                })
            };
            let Some(current) = from.composites.get(type_name) else {
                // Renamed since, with the attribute already renamed too?
                let later = from.composites.get(&composite_in_to(type_name));
                if later.is_none_or(|composite| composite.attribute(new).is_none()) {
                    problems.push(format!(
                        "{hint}: there is no composite type {type_name} in the current schema{}",
                        nearest(&type_name.to_string(), &composite_names(from))
                    ));
                }
                continue;
            };
            let declared = composite_in_to(type_name);
            let in_declared =
                to.composites.get(&declared).is_some_and(|c| c.attribute(new).is_some());
            check_one(
                problems,
                &hint,
                "attribute",
                (
                    current.attribute(old).is_some(),
                    &format!("{type_name}.{old}"),
                    &attributes(from, type_name),
                ),
                (current.attribute(new).is_some(), in_declared),
                (&format!("{declared}.{new}"), &attributes(to, &declared)),
            );
        }
    }

    /// Hints of one kind that rename in a circle (`a` → `b`, `b` → `a`).
    fn cycles(&self) -> Vec<String> {
        let mut found = Vec::new();
        let mut kind = |section: &str, pairs: Vec<(String, String, String)>| {
            // (owner, old, new): a rename within one owner.
            let mut reported: Vec<String> = Vec::new();
            for (owner, start, _) in &pairs {
                let mut path = vec![start.clone()];
                let mut at = start.clone();
                while let Some((_, _, next)) =
                    pairs.iter().find(|(o, old, _)| o == owner && *old == at)
                {
                    if next == start {
                        let mut circle = path.clone();
                        circle.sort();
                        let key = format!("{owner}{circle:?}");
                        if !reported.contains(&key) {
                            reported.push(key);
                            path.push(start.clone());
                            found.push(format!(
                                "[{section}] hints rename in a circle ({}): a rename cannot end where it started; remove them",
                                path.iter().map(|name| toml_key(&format!("{owner}{name}"))).collect::<Vec<_>>().join(" → ")
                            ));
                        }
                        break;
                    }
                    if path.contains(next) {
                        break;
                    }
                    path.push(next.clone());
                    at = next.clone();
                }
            }
        };
        let prefix = |name: &QualifiedName| format!("{}.", name.schema);
        kind(
            "tables",
            self.tables
                .iter()
                .map(|(old, new)| (prefix(old), old.name.clone(), new.clone()))
                .collect(),
        );
        kind(
            "columns",
            self.columns
                .iter()
                .map(|(t, old, new)| (format!("{t}."), old.clone(), new.clone()))
                .collect(),
        );
        kind(
            "enums",
            self.enums
                .iter()
                .map(|(old, new)| (prefix(old), old.name.clone(), new.clone()))
                .collect(),
        );
        kind(
            "enum_values",
            self.enum_values
                .iter()
                .map(|(t, old, new)| (format!("{t}."), old.clone(), new.clone()))
                .collect(),
        );
        kind(
            "composites",
            self.composites
                .iter()
                .map(|(old, new)| (prefix(old), old.name.clone(), new.clone()))
                .collect(),
        );
        kind(
            "attributes",
            self.attributes
                .iter()
                .map(|(t, old, new)| (format!("{t}."), old.clone(), new.clone()))
                .collect(),
        );
        kind(
            "domains",
            self.domains
                .iter()
                .map(|(old, new)| (prefix(old), old.name.clone(), new.clone()))
                .collect(),
        );
        kind(
            "indexes",
            self.indexes
                .iter()
                .map(|(old, new)| (prefix(old), old.name.clone(), new.clone()))
                .collect(),
        );
        kind(
            "sequences",
            self.sequences
                .iter()
                .map(|(old, new)| (prefix(old), old.name.clone(), new.clone()))
                .collect(),
        );
        kind(
            "collations",
            self.collations
                .iter()
                .map(|(old, new)| (prefix(old), old.name.clone(), new.clone()))
                .collect(),
        );
        kind(
            "functions",
            self.functions
                .iter()
                .map(|(old, new)| (prefix(old), old.name.clone(), new.clone()))
                .collect(),
        );
        kind(
            "views",
            self.views
                .iter()
                .map(|(old, new)| (prefix(old), old.name.clone(), new.clone()))
                .collect(),
        );
        found
    }

    /// The rename steps (in order, to run before the rest of the plan) and
    /// `from` as it is after them. Hints that name nothing in `from` are
    /// passed over (the plan is already past them).
    pub(crate) fn apply<'s>(&self, from: &'s Schema) -> (Vec<Step>, Cow<'s, Schema>) {
        if *self == Hints::default() {
            return (Vec::new(), Cow::Borrowed(from));
        }
        let mut schema = from.clone();
        let mut steps = Vec::new();
        // Column and value hints name the table or type as it was: their
        // renames run before the table and type renames.
        for (table_name, old, new) in &self.columns {
            let Some(table) = schema.tables.get_mut(table_name) else { continue };
            if table.column(old).is_none() || table.column(new).is_some() {
                continue;
            }
            rename_column(&mut schema, table_name, old, new);
            // Views read it by number: PostgreSQL prints the new name.
            schema.follow_column_rename(table_name, old, new);
            rename_references(&mut schema, |reference| match reference {
                Reference::Column(table, column) if table == table_name && column == old => {
                    Some(Reference::Column(table.clone(), new.clone()))
                }
                _ => None,
            });
            steps.push(Step::new(Operation::RenameColumn {
                table: table_name.clone(),
                old: old.clone(),
                new: new.clone(),
            }));
        }
        for (type_name, old, new) in &self.enum_values {
            let Some(enum_type) = schema.enums.get_mut(type_name) else { continue };
            let Some(label) = enum_type.labels.iter_mut().find(|label| *label == old) else {
                continue;
            };
            *label = new.clone();
            // PostgreSQL renames it in every expression that uses it.
            let rename = |text: &str| expression::rename_enum_label(text, type_name, old, new);
            for table in schema.tables.values_mut() {
                table.change_expressions(rename);
            }
            for domain in schema.domains.values_mut() {
                domain.change_expressions(rename);
            }
            steps.push(Step::new(Operation::RenameEnumValue {
                name: type_name.clone(),
                old: old.clone(),
                new: new.clone(),
            }));
        }
        for (type_name, old, new) in &self.attributes {
            let Some(composite) = schema.composites.get_mut(type_name) else { continue };
            if composite.attribute(new).is_some() {
                continue;
            }
            let Some(attribute) = composite.attributes.iter_mut().find(|a| a.name == *old) else {
                continue;
            };
            attribute.name = new.clone();
            steps.push(Step::new(Operation::RenameAttribute {
                name: type_name.clone(),
                old: old.clone(),
                new: new.clone(),
            }));
        }
        for (old, new) in &self.tables {
            let new_name = QualifiedName::new(old.schema.clone(), new);
            if !schema.tables.contains_key(old) || schema.tables.contains_key(&new_name) {
                continue;
            }
            let mut table = schema.tables.remove(old).expect("found");
            table.name = new_name.clone();
            schema.add_table(table);
            // Its constraints' comments go with it; views follow it.
            schema.move_table_comments(old, &new_name);
            schema.follow_relation_rename(old, &new_name);
            for table in schema.tables.values_mut() {
                for key in &mut table.foreign_keys {
                    if &key.referenced_table == old {
                        key.referenced_table = new_name.clone();
                    }
                }
                table.rename_referenced_table(old, &new_name);
                // Its partitions and children follow it (by oid).
                if let Some(of) = table.partition_of.as_mut().filter(|of| of.parent == *old) {
                    of.parent = new_name.clone();
                }
                for parent in table.inherits.iter_mut().filter(|parent| *parent == old) {
                    *parent = new_name.clone();
                }
            }
            rename_references(&mut schema, |reference| match reference {
                Reference::Table(table) if table == old => Some(Reference::Table(new_name.clone())),
                Reference::Column(table, column) if table == old => {
                    Some(Reference::Column(new_name.clone(), column.clone()))
                }
                _ => None,
            });
            steps.push(Step::new(Operation::RenameTable { old: old.clone(), new: new.clone() }));
        }
        for (old, new) in &self.enums {
            let new_name = QualifiedName::new(old.schema.clone(), new);
            if !schema.enums.contains_key(old) || has_type(&schema, &new_name) {
                continue;
            }
            let mut enum_type = schema.enums.remove(old).expect("found");
            enum_type.name = new_name.clone();
            schema.add_enum(enum_type);
            rename_type(&mut schema, old, &new_name);
            steps.push(Step::new(Operation::RenameEnum { old: old.clone(), new: new.clone() }));
        }
        for (old, new) in &self.composites {
            let new_name = QualifiedName::new(old.schema.clone(), new);
            if !schema.composites.contains_key(old) || has_type(&schema, &new_name) {
                continue;
            }
            let mut composite = schema.composites.remove(old).expect("found");
            composite.name = new_name.clone();
            schema.add_composite(composite);
            rename_type(&mut schema, old, &new_name);
            steps
                .push(Step::new(Operation::RenameComposite { old: old.clone(), new: new.clone() }));
        }
        for (old, new) in &self.domains {
            let new_name = QualifiedName::new(old.schema.clone(), new);
            if !schema.domains.contains_key(old) || has_type(&schema, &new_name) {
                continue;
            }
            let mut domain = schema.domains.remove(old).expect("found");
            domain.name = new_name.clone();
            schema.add_domain(domain);
            rename_type(&mut schema, old, &new_name);
            steps.push(Step::new(Operation::RenameDomain { old: old.clone(), new: new.clone() }));
        }
        for (old, new) in &self.indexes {
            let Some(table) = schema.tables.values_mut().find(|table| table_has_index(table, old))
            else {
                continue;
            };
            // CLUSTER ON and REPLICA IDENTITY follow the index, and so
            // does the constraint it backs, if any.
            let backs_constraint = table.has_constraint(&old.name);
            table.rename_index(&old.name, new);
            let table_name = table.name.clone();
            let new_name = QualifiedName::new(old.schema.clone(), new);
            schema.move_comment(
                &CommentTarget::Index(old.clone()),
                CommentTarget::Index(new_name.clone()),
            );
            if backs_constraint {
                let constraint = |name: &str| CommentTarget::Constraint {
                    table: table_name.clone(),
                    name: name.to_owned(),
                };
                schema.move_comment(&constraint(&old.name), constraint(new));
            }
            rename_references(&mut schema, |reference| match reference {
                Reference::Index(name) if name == old => Some(Reference::Index(new_name.clone())),
                _ => None,
            });
            steps.push(Step::new(Operation::RenameIndex {
                table: table_name,
                old: old.name.clone(),
                new: new.clone(),
            }));
        }
        for (old, new) in &self.sequences {
            let new_name = QualifiedName::new(old.schema.clone(), new);
            if !schema.sequences.contains_key(old) || schema.sequences.contains_key(&new_name) {
                continue;
            }
            let mut sequence = schema.sequences.remove(old).expect("found");
            sequence.name = new_name.clone();
            schema.add_sequence(sequence);
            schema.move_comment(
                &CommentTarget::Sequence(old.clone()),
                CommentTarget::Sequence(new_name.clone()),
            );
            // Defaults call it by oid: PostgreSQL prints the new name.
            for table in schema.tables.values_mut() {
                for column in &mut table.columns {
                    if let Some(default) = &mut column.default {
                        *default = expression::rename_sequence(default, old, &new_name);
                    }
                }
            }
            rename_references(&mut schema, |reference| match reference {
                Reference::Sequence(name) if name == old => {
                    Some(Reference::Sequence(new_name.clone()))
                }
                _ => None,
            });
            steps.push(Step::new(Operation::RenameSequence { old: old.clone(), new: new.clone() }));
        }
        for (old, new) in &self.collations {
            let new_name = QualifiedName::new(old.schema.clone(), new);
            if !schema.collations.contains_key(old) || schema.collations.contains_key(&new_name) {
                continue;
            }
            // Columns, domains, attributes, keys and expressions follow it.
            schema.rename_collation(old, &new_name);
            rename_references(&mut schema, |reference| match reference {
                Reference::Collation(name) if name == old => {
                    Some(Reference::Collation(new_name.clone()))
                }
                _ => None,
            });
            steps
                .push(Step::new(Operation::RenameCollation { old: old.clone(), new: new.clone() }));
        }
        for (old, new) in &self.functions {
            let new_name = QualifiedName::new(old.schema.clone(), new);
            let overloads = schema.routines_named(old);
            let taken = schema.routines_named(&new_name);
            if overloads.is_empty()
                || overloads
                    .iter()
                    .any(|routine| taken.iter().any(|other| other.arguments == routine.arguments))
            {
                continue;
            }
            for routine in overloads {
                let renamed = autogen_schema::RoutineName {
                    name: new_name.clone(),
                    arguments: routine.arguments.clone(),
                };
                if let Some(mut function) = schema.functions.remove(&routine) {
                    steps.push(Step::new(Operation::RenameFunction {
                        function: function.clone(),
                        new: new.clone(),
                    }));
                    function.name = new_name.clone();
                    schema.functions.insert(renamed, function);
                } else if let Some(mut aggregate) = schema.aggregates.remove(&routine) {
                    steps.push(Step::new(Operation::RenameAggregate {
                        aggregate: aggregate.clone(),
                        new: new.clone(),
                    }));
                    aggregate.name = new_name.clone();
                    schema.aggregates.insert(renamed, aggregate);
                }
            }
            // Calls follow it (PostgreSQL refers to routines by oid).
            schema.rename_routine_references(old, &new_name);
            rename_references(&mut schema, |reference| match reference {
                Reference::Function(name) if name == old => {
                    Some(Reference::Function(new_name.clone()))
                }
                _ => None,
            });
        }
        for (old, new) in &self.views {
            let new_name = QualifiedName::new(old.schema.clone(), new);
            if !schema.has_view(old)
                || schema.has_view(&new_name)
                || schema.tables.contains_key(&new_name)
            {
                continue;
            }
            let materialized = !schema.views.contains_key(old);
            if let Some(mut view) = schema.views.remove(old) {
                view.name = new_name.clone();
                schema.views.insert(new_name.clone(), view);
            } else if let Some(mut view) = schema.materialized_views.remove(old) {
                view.name = new_name.clone();
                schema.materialized_views.insert(new_name.clone(), view);
            }
            schema.follow_relation_rename(old, &new_name);
            rename_references(&mut schema, |reference| match reference {
                Reference::View(name) if name == old => Some(Reference::View(new_name.clone())),
                Reference::MaterializedView(name) if name == old => {
                    Some(Reference::MaterializedView(new_name.clone()))
                }
                Reference::Column(name, column) if name == old => {
                    Some(Reference::Column(new_name.clone(), column.clone()))
                }
                _ => None,
            });
            steps.push(crate::ops::views::rename_view(old, new, materialized));
        }
        (steps, Cow::Owned(schema))
    }
}

/// What unmodelled objects depend on, renamed as `rename` says (`None`:
/// unchanged): PostgreSQL follows a rename by oid, so they stay attached.
fn rename_references(schema: &mut Schema, rename: impl Fn(&Reference) -> Option<Reference>) {
    for object in &mut schema.unmodelled.objects {
        for dependency in &mut object.depends_on {
            if let Some(renamed) = rename(&dependency.on) {
                dependency.on = renamed;
            }
        }
    }
}

/// One section of hints that rename a kind of type, and how a schema
/// holds that kind.
struct TypeKind<'h> {
    section: &'static str,
    /// The kind with its article: `a domain`.
    what: &'static str,
    renames: &'h [(QualifiedName, String)],
    has: fn(&Schema, &QualifiedName) -> bool,
    names: fn(&Schema) -> Vec<String>,
}

/// Type `old` (an enum, composite type or domain, already moved) called
/// `new` wherever it is used — columns, attributes, domains, casts in
/// expressions, comments ([`Schema::rename_type`]) — and in what
/// unmodelled objects depend on.
fn rename_type(schema: &mut Schema, old: &QualifiedName, new: &QualifiedName) {
    schema.rename_type(old, new);
    schema.follow_type_rename(old, new);
    rename_references(schema, |reference| match reference {
        Reference::Type(name) if name == old => Some(Reference::Type(new.clone())),
        _ => None,
    });
}

/// Whether a type (enum, composite type or domain) is called `name`: they
/// share one namespace.
fn has_type(schema: &Schema, name: &QualifiedName) -> bool {
    schema.enums.contains_key(name)
        || schema.composites.contains_key(name)
        || schema.domains.contains_key(name)
}

/// Renames the other way: new name → old name.
fn reversed_objects(renames: &[(QualifiedName, String)]) -> Vec<(QualifiedName, String)> {
    (renames.iter())
        .map(|(old, new)| (QualifiedName::new(old.schema.clone(), new), old.name.clone()))
        .collect()
}

/// `name` as `renames` (old name → new name in its schema) leave it.
fn renamed(renames: &[(QualifiedName, String)], name: &QualifiedName) -> QualifiedName {
    renames
        .iter()
        .find(|(old, _)| old == name)
        .map_or_else(|| name.clone(), |(old, new)| QualifiedName::new(old.schema.clone(), new))
}

/// The hints of one section that rename an object within its schema
/// (tables, enum types, indexes), each checked with [`check_one`].
fn check_objects(
    problems: &mut Vec<String>,
    (section, what): (&str, &str),
    renames: &[(QualifiedName, String)],
    (from, to): (&Schema, &Schema),
    has: impl Fn(&Schema, &QualifiedName) -> bool,
    names: impl Fn(&Schema) -> Vec<String>,
) {
    for (old, new) in renames {
        let hint = format!("[{section}] {} = {}", toml_key(&old.to_string()), toml_key(new));
        let new_name = QualifiedName::new(old.schema.clone(), new);
        check_one(
            problems,
            &hint,
            what,
            (has(from, old), &old.to_string(), &names(from)),
            (has(from, &new_name), has(to, &new_name)),
            (&new_name.to_string(), &names(to)),
        );
    }
}

/// One hint's source and target: `(in from, shown, names in from)` of the
/// source, `(in from, in to)` of the target, `(shown, names in to)` of the
/// target.
fn check_one(
    problems: &mut Vec<String>,
    hint: &str,
    what: &str,
    (source_in_from, source, from_names): (bool, &str, &[String]),
    (target_in_from, target_in_to): (bool, bool),
    (target, to_names): (&str, &[String]),
) {
    match (source_in_from, target_in_from) {
        // Already renamed by an earlier migration: nothing to do.
        (false, true) => {}
        (false, false) => problems.push(format!(
            "{hint}: there is no {what} {source} in the current schema{}",
            nearest(source, from_names)
        )),
        (true, true) => problems.push(format!(
            "{hint}: the current schema has both {source} and {target}: there is nothing to rename to"
        )),
        (true, false) if !target_in_to => problems.push(format!(
            "{hint}: there is no {what} {target} in the declared schema{}",
            nearest(target, to_names)
        )),
        (true, false) => {}
    }
}

/// `; the nearest: a, b` — up to three of `names` closest to `name` by
/// edit distance, the closest and those one edit further (nothing when
/// there are none).
fn nearest(name: &str, names: &[String]) -> String {
    let short = |full: &str| full.rsplit('.').next().unwrap_or(full).to_owned();
    // `sad in public.mood`: the value; `public.users.mail`: the column.
    let wanted = name.split(" in ").next().map_or_else(String::new, short);
    let mut ranked: Vec<(usize, &String)> = names
        .iter()
        .map(|candidate| (edit_distance(&wanted, &short(candidate)), candidate))
        .collect();
    ranked.sort();
    ranked.dedup();
    // The closest, and those nearly as close: not every name there is.
    let best = ranked.first().map_or(0, |(distance, _)| *distance);
    let closest: Vec<&str> = ranked
        .iter()
        .filter(|(distance, _)| *distance <= best + 1)
        .take(3)
        .map(|(_, name)| name.as_str())
        .collect();
    if closest.is_empty() {
        String::new()
    } else {
        format!("; the nearest: {}", closest.join(", "))
    }
}

/// Levenshtein distance, by characters.
fn edit_distance(left: &str, right: &str) -> usize {
    let right: Vec<char> = right.chars().collect();
    let mut row: Vec<usize> = (0..=right.len()).collect();
    for (i, a) in left.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, b) in right.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(a != *b));
            diagonal = above;
        }
    }
    row[right.len()]
}

/// A key or value as `hints.toml` writes it.
pub(crate) fn toml_key(text: &str) -> String {
    let mut quoted = String::from("\"");
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            control if control.is_control() => {
                quoted.push_str(&format!("\\u{:04X}", control as u32))
            }
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}

fn has_index(schema: &Schema, name: &QualifiedName) -> bool {
    schema.tables.values().any(|table| table_has_index(table, name))
}

/// Whether `table` has index `name`: a plain one, or one behind a primary
/// key, unique or exclusion constraint.
fn table_has_index(table: &autogen_schema::Table, name: &QualifiedName) -> bool {
    table.name.schema == name.schema
        && (table.indexes.iter().any(|index| index.name == name.name)
            || table.primary_key.as_ref().is_some_and(|key| key.name == name.name)
            || table.unique_constraints.iter().any(|unique| unique.name == name.name)
            || table.exclusion_constraints.iter().any(|exclusion| exclusion.name == name.name))
}

fn index_names(schema: &Schema) -> Vec<String> {
    let mut names = Vec::new();
    for table in schema.tables.values() {
        let qualified =
            |name: &str| QualifiedName::new(table.name.schema.clone(), name).to_string();
        names.extend(table.indexes.iter().map(|index| qualified(&index.name)));
        names.extend(table.primary_key.iter().map(|key| qualified(&key.name)));
        names.extend(table.unique_constraints.iter().map(|unique| qualified(&unique.name)));
        names
            .extend(table.exclusion_constraints.iter().map(|exclusion| qualified(&exclusion.name)));
    }
    names
}

/// Column `old` of `table` called `new`, in every place that names it.
fn rename_column(schema: &mut Schema, table_name: &QualifiedName, old: &str, new: &str) {
    let rename = |columns: &mut Vec<String>| {
        for column in columns.iter_mut().filter(|column| *column == old) {
            *column = new.to_owned();
        }
    };
    for table in schema.tables.values_mut() {
        for key in &mut table.foreign_keys {
            if &key.referenced_table == table_name {
                rename(&mut key.referenced_columns);
            }
        }
    }
    // PostgreSQL renames it in checks, defaults and index expressions too.
    let table = schema.tables.get_mut(table_name).expect("found");
    table.rename_column(old, new, |expression| expression::rename_column(expression, old, new));
    // And in every partition or child that has it from this table.
    let children: Vec<QualifiedName> = (schema.children_of(table_name).into_iter())
        .filter(|child| child.column(old).is_some())
        .map(|child| child.name.clone())
        .collect();
    for child in children {
        rename_column(schema, &child, old, new);
    }
}
