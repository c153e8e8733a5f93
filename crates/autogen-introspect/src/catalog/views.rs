//! Views and materialized views from the catalog (`views.sql`), what each
//! reads (`view_dependencies.sql`, from `pg_depend`), and the indexes of
//! materialized views (indexes.sql's rows on them).
//!
//! A view's text is PostgreSQL's ([`autogen_schema::views::catalog_query`]:
//! `pg_get_viewdef(oid, true)` without the white space around it and its
//! final `;`), in [`Rewritten::catalog`] form; its options are read from
//! `reloptions` (`security_barrier` and `security_invoker` as booleans,
//! however they were written; `check_option`).

use std::collections::{BTreeMap, HashMap};

use autogen_schema::views::catalog_query;
use autogen_schema::{
    CheckOption, MaterializedView, QualifiedName, Rewritten, Schema, Uses, View, ViewColumn,
};
use sqlx::postgres::types::Oid;
use sqlx::PgConnection;

use super::{fetch, get, key_values, qualified, Catalog};
use crate::rows::IndexRow;
use crate::Error;

const VIEWS: &str = include_str!("../queries/views.sql");
const VIEW_DEPENDENCIES: &str = include_str!("../queries/view_dependencies.sql");

/// The views and materialized views of the schemas in scope, by oid.
#[derive(Default)]
pub(super) struct Views {
    views: BTreeMap<u32, View>,
    materialized: BTreeMap<u32, MaterializedView>,
    /// A materialized view's columns: oid → (attnum, name, collation).
    columns: HashMap<u32, Vec<(i16, String, u32)>>,
    /// Each view's columns' (type oid, type modifier), by view oid.
    types: HashMap<u32, Vec<(u32, i32)>>,
}

impl Views {
    /// Reads them, with what each reads.
    pub(super) async fn fetch(
        connection: &mut PgConnection,
        namespaces: &[Oid],
    ) -> Result<Self, Error> {
        let mut read = Views::default();
        for row in fetch(connection, "views.sql", sqlx::query(VIEWS).bind(namespaces)).await? {
            let oid = get::<Oid>(&row, "oid")?.0;
            let name = qualified(&row, "schema", "name")?;
            let names: Vec<String> = get(&row, "columns")?;
            let comments: Vec<Option<String>> = get(&row, "column_comments")?;
            let columns: Vec<ViewColumn> = names
                .iter()
                .zip(comments)
                .map(|(name, comment)| ViewColumn { name: name.clone(), comment })
                .collect();
            let definition: Option<String> = get(&row, "definition")?;
            let query = Rewritten::catalog(catalog_query(&definition.unwrap_or_default()));
            let options = key_values(get(&row, "options")?);
            let comment: Option<String> = get(&row, "comment")?;
            let grants = crate::privileges::grants(&row)?;
            let type_oids: Vec<Oid> = get(&row, "column_type_oids")?;
            let modifiers: Vec<i32> = get(&row, "column_type_modifiers")?;
            read.types.insert(oid, type_oids.iter().map(|oid| oid.0).zip(modifiers).collect());
            if get::<bool>(&row, "materialized")? {
                let collations: Vec<Oid> = get(&row, "column_collations")?;
                let numbers: Vec<i16> = get(&row, "column_numbers")?;
                read.columns.insert(
                    oid,
                    numbers
                        .into_iter()
                        .zip(names)
                        .zip(collations)
                        .map(|((number, name), collation)| (number, name, collation.0))
                        .collect(),
                );
                let mut view = MaterializedView::new(name, columns, query);
                view.with = options;
                view.with.sort();
                view.with_no_data = !get::<bool>(&row, "populated")?;
                view.comment = comment;
                view.grants = grants;
                read.materialized.insert(oid, view);
            } else {
                let mut view = View::new(name, columns, query);
                view.comment = comment;
                view.grants = grants;
                for (option, value) in options {
                    let flag = || matches!(value.as_str(), "true" | "on" | "yes" | "1" | "t" | "y");
                    match option.as_str() {
                        "security_barrier" => view.security_barrier = Some(flag()),
                        "security_invoker" => view.security_invoker = Some(flag()),
                        "check_option" => {
                            view.check_option = Some(match value.as_str() {
                                "local" => CheckOption::Local,
                                _ => CheckOption::Cascaded,
                            })
                        }
                        other => {
                            return Err(Error::Catalog {
                                message: format!("view {} has unknown option {other}", view.name),
                            })
                        }
                    }
                }
                read.views.insert(oid, view);
            }
        }
        if read.views.is_empty() && read.materialized.is_empty() {
            return Ok(read);
        }
        let rows = fetch(
            connection,
            "view_dependencies.sql",
            sqlx::query(VIEW_DEPENDENCIES).bind(namespaces),
        )
        .await?;
        for row in rows {
            let oid = get::<Oid>(&row, "view_oid")?.0;
            let name = qualified(&row, "schema", "name")?;
            let uses = match get::<String>(&row, "kind")?.as_str() {
                "column" => Uses::Column(name, get(&row, "column_name")?),
                "relation" => Uses::Relation(name),
                "sequence" => Uses::Sequence(name),
                "type" => Uses::Type(name),
                _ => Uses::Function(name),
            };
            let dependencies = match read.views.get_mut(&oid) {
                Some(view) => &mut view.depends_on,
                None => match read.materialized.get_mut(&oid) {
                    Some(view) => &mut view.depends_on,
                    None => continue,
                },
            };
            if let Uses::Column(relation, _) = &uses {
                dependencies.add(Uses::Relation(relation.clone()));
            }
            dependencies.add(uses);
        }
        Ok(read)
    }

    /// The (type oid, modifier) pairs of the views' columns, for types.sql.
    pub(super) fn type_keys(&self) -> impl Iterator<Item = (u32, i32)> + '_ {
        self.types.values().flatten().copied()
    }

    /// Each view's columns' types, once types.sql has named them.
    pub(super) fn resolve_types(&mut self, catalog: &Catalog) {
        for (oid, keys) in &self.types {
            let types: Vec<Option<autogen_schema::SqlType>> = keys
                .iter()
                .map(|(type_oid, modifier)| {
                    let row = catalog.types.get(&(*type_oid, *modifier))?;
                    Some(row.sql_type(0, *modifier))
                })
                .collect();
            if let Some(view) = self.views.get_mut(oid) {
                view.depends_on.column_types = types;
            } else if let Some(view) = self.materialized.get_mut(oid) {
                view.depends_on.column_types = types;
            }
        }
    }

    /// The columns of the materialized views, where index rows look their
    /// keys' names and collations up (as columns of relations out of the
    /// tables' scope).
    pub(super) fn register_columns(&self, catalog: &mut Catalog) {
        // A view's columns are numbered in order (none is ever dropped):
        // its statement triggers' `UPDATE OF` name them.
        for (oid, view) in &self.views {
            let names = (1..).zip(&view.columns).map(|(n, c)| (n, c.name.clone())).collect();
            catalog.outside.insert(*oid, (view.name.clone(), names));
        }
        for (oid, columns) in &self.columns {
            let name = self.materialized[oid].name.clone();
            let names = columns.iter().map(|(number, name, _)| (*number, name.clone())).collect();
            catalog.outside.insert(*oid, (name, names));
            for (position, (number, _, collation)) in columns.iter().enumerate() {
                catalog.columns.insert((*oid, *number), (position, *collation));
            }
        }
    }

    /// The index rows on materialized views, taken out of `rows`.
    pub(super) fn take_index_rows(&self, rows: &mut Vec<IndexRow>) -> Vec<IndexRow> {
        let (mine, rest) = std::mem::take(rows)
            .into_iter()
            .partition(|row| self.materialized.contains_key(&row.table_oid));
        *rows = rest;
        mine
    }

    /// The indexes of the materialized views, from their rows.
    pub(super) fn add_indexes(
        &mut self,
        catalog: &Catalog,
        rows: &[IndexRow],
    ) -> Result<(), Error> {
        for row in rows {
            let index = catalog.index(row)?;
            if let Some(view) = self.materialized.get_mut(&row.table_oid) {
                view.indexes.push(index);
            }
        }
        Ok(())
    }

    /// The view with `oid`, if it is one of the views in scope.
    pub(super) fn view_mut(&mut self, oid: u32) -> Option<&mut View> {
        self.views.get_mut(&oid)
    }

    /// Into the schema.
    pub(super) fn add_to(self, schema: &mut Schema) {
        for mut view in self.views.into_values() {
            view.triggers.sort_by(|left, right| left.name.cmp(&right.name));
            schema.views.insert(view.name.clone(), view);
        }
        for mut view in self.materialized.into_values() {
            view.indexes.sort_by(|left, right| left.name.cmp(&right.name));
            schema.materialized_views.insert(view.name.clone(), view);
        }
    }

    /// The name of the materialized view with `oid`, if it is one.
    #[allow(dead_code)]
    pub(super) fn materialized_name(&self, oid: u32) -> Option<&QualifiedName> {
        self.materialized.get(&oid).map(|view| &view.name)
    }
}
