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
//! [indexes]       # "[schema.]old" = "new"
//! "users_mail_idx" = "users_email_idx"
//! ```
//!
//! Renames run first — columns and enum values (named by their table or
//! type as it was), then tables, types and indexes; the rest of the plan is
//! the diff from the renamed schema.

use std::borrow::Cow;
use std::collections::BTreeMap;

use autogen_schema::{QualifiedName, Schema, SqlType};

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
    /// Old index (schema-qualified) → new name.
    pub indexes: Vec<(QualifiedName, String)>,
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
    indexes: BTreeMap<String, String>,
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
        for (old, new) in &file.indexes {
            hints.indexes.push((object(old)?, new.clone()));
        }
        Ok(hints)
    }

    /// The same renames the other way, for the down plan.
    /// Adds the hints of `other` (those of `hints.toml` and those the Rust
    /// models' `renamed_from` give, say).
    pub fn extend(&mut self, other: Hints) {
        self.tables.extend(other.tables);
        self.columns.extend(other.columns);
        self.enums.extend(other.enums);
        self.enum_values.extend(other.enum_values);
        self.indexes.extend(other.indexes);
    }

    pub fn reversed(&self) -> Hints {
        let renamed_table = |table: &QualifiedName| {
            self.tables.iter().find(|(old, _)| old == table).map_or_else(
                || table.clone(),
                |(old, new)| QualifiedName::new(old.schema.clone(), new),
            )
        };
        let renamed_enum = |type_name: &QualifiedName| {
            self.enums.iter().find(|(old, _)| old == type_name).map_or_else(
                || type_name.clone(),
                |(old, new)| QualifiedName::new(old.schema.clone(), new),
            )
        };
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
            indexes: (self.indexes.iter())
                .map(|(old, new)| (QualifiedName::new(old.schema.clone(), new), old.name.clone()))
                .collect(),
        }
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
            let (old_literal, new_literal) = (
                format!("'{}'::", old.replace('\'', "''")),
                format!("'{}'::", new.replace('\'', "''")),
            );
            for table in schema.tables.values_mut() {
                for column in &mut table.columns {
                    if let Some(default) = &mut column.default {
                        *default = default.replace(&old_literal, &new_literal);
                    }
                }
            }
            steps.push(Step::new(Operation::RenameEnumValue {
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
            for table in schema.tables.values_mut() {
                for key in &mut table.foreign_keys {
                    if &key.referenced_table == old {
                        key.referenced_table = new_name.clone();
                    }
                }
            }
            steps.push(Step::new(Operation::RenameTable { old: old.clone(), new: new.clone() }));
        }
        for (old, new) in &self.enums {
            let new_name = QualifiedName::new(old.schema.clone(), new);
            if !schema.enums.contains_key(old) || schema.enums.contains_key(&new_name) {
                continue;
            }
            let mut enum_type = schema.enums.remove(old).expect("found");
            enum_type.name = new_name.clone();
            schema.add_enum(enum_type);
            let (old_type, new_type) = (
                SqlType::UserDefined { name: old.clone() },
                SqlType::UserDefined { name: new_name.clone() },
            );
            let (old_cast, new_cast) = (
                format!("::{}", autogen_schema::quote_ident(&old.name)),
                format!("::{}", autogen_schema::quote_ident(new)),
            );
            for table in schema.tables.values_mut() {
                for column in &mut table.columns {
                    // Defaults print the type's name in their casts.
                    if let Some(default) = &mut column.default {
                        *default = replace_cast(default, &old_cast, &new_cast);
                    }
                    column.data_type = match &column.data_type {
                        data_type if *data_type == old_type => new_type.clone(),
                        SqlType::Array { element, dimensions } if **element == old_type => {
                            SqlType::Array {
                                element: Box::new(new_type.clone()),
                                dimensions: *dimensions,
                            }
                        }
                        other => other.clone(),
                    };
                }
            }
            steps.push(Step::new(Operation::RenameEnum { old: old.clone(), new: new.clone() }));
        }
        for (old, new) in &self.indexes {
            let Some(table) = schema.tables.values_mut().find(|table| {
                table.name.schema == old.schema
                    && (table.indexes.iter().any(|index| index.name == old.name)
                        || table.primary_key.as_ref().is_some_and(|key| key.name == old.name)
                        || table.unique_constraints.iter().any(|unique| unique.name == old.name))
            }) else {
                continue;
            };
            for index in table.indexes.iter_mut().filter(|index| index.name == old.name) {
                index.name = new.clone();
            }
            if let Some(key) = table.primary_key.as_mut().filter(|key| key.name == old.name) {
                key.name = new.clone();
            }
            for unique in
                table.unique_constraints.iter_mut().filter(|unique| unique.name == old.name)
            {
                unique.name = new.clone();
            }
            let table_name = table.name.clone();
            steps.push(Step::new(Operation::RenameIndex {
                table: table_name,
                old: old.name.clone(),
                new: new.clone(),
            }));
        }
        (steps, Cow::Owned(schema))
    }
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
    table.rename_column(old, new, |expression| {
        autogen_schema::expression::rename_column(expression, old, new)
    });
}

/// `text` with every cast `old_cast` (`::mood`, not `::moods`) made
/// `new_cast`.
fn replace_cast(text: &str, old_cast: &str, new_cast: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(position) = rest.find(old_cast) {
        let after = &rest[position + old_cast.len()..];
        let whole =
            !after.starts_with(|character: char| character.is_alphanumeric() || character == '_');
        out.push_str(&rest[..position]);
        out.push_str(if whole { new_cast } else { old_cast });
        rest = after;
    }
    out.push_str(rest);
    out
}
