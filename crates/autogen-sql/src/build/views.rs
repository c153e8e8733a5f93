//! Views and materialized views applied to the schema as PostgreSQL applies
//! them: created (the query's names resolved, its output columns named,
//! what it reads recorded), replaced (`OR REPLACE` keeps the columns and
//! may add some at the end), altered, dropped with what depends on them
//! (or refused without `CASCADE`), commented, indexed (materialized
//! views), refreshed; and what happens to them when what they read
//! changes — a rename followed in their text (`crate::query::Change`), a
//! column's type change or drop refused under them, a table's drop refused
//! or taking them along.

use std::collections::BTreeMap;

use autogen_schema::{
    CheckOption, MaterializedView, QualifiedName, Rewritten, Table, Uses, View, ViewColumn,
    ViewDependencies,
};
use sqlparser::ast::{Query, SelectItem, SetExpr};

use super::Builder;
use crate::ddl::{AlterView, CreateIndex, CreateView, DropKind, Name};
use crate::expr::Relations as _;
use crate::query::{self, Change, Relation};

/// The views and materialized views a statement changed, as they were
/// before it (`None`: it did not exist): what a failing statement puts
/// back.
#[derive(Debug, Clone, Default)]
pub(super) struct Undo {
    views: BTreeMap<QualifiedName, Option<View>>,
    materialized: BTreeMap<QualifiedName, Option<MaterializedView>>,
}

/// Which kind a relation of views is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    View,
    Materialized,
}

impl query::Catalog for Builder {
    fn relation(&self, name: &[String]) -> Option<Relation> {
        let catalog = |schema: &str| matches!(schema, "pg_catalog" | "information_schema");
        let found = |qualified: &QualifiedName| -> Option<Relation> {
            if let Some(columns) = self.schema.relation_columns(qualified) {
                let types = match self.schema.tables.get(qualified) {
                    Some(table) => {
                        table.columns.iter().map(|column| Some(column.data_type.clone())).collect()
                    }
                    None => (self.schema.view_dependencies(qualified))
                        .map(|dependencies| dependencies.column_types.clone())
                        .unwrap_or_default(),
                };
                return Some(Relation { name: qualified.clone(), columns: Some(columns), types });
            }
            self.unmodelled.contains_key(qualified).then(|| Relation {
                name: qualified.clone(),
                columns: None,
                types: Vec::new(),
            })
        };
        match name {
            [schema, object] if catalog(schema) => Some(Relation {
                name: QualifiedName::new(schema.clone(), object.clone()),
                columns: None,
                types: Vec::new(),
            }),
            [schema, object] => found(&QualifiedName::new(schema.clone(), object.clone())),
            [object] => {
                let on_path = self
                    .search_path
                    .iter()
                    .find_map(|schema| found(&QualifiedName::new(schema.clone(), object.clone())));
                // pg_catalog is searched first, whatever the path says.
                on_path.or_else(|| {
                    object.starts_with("pg_").then(|| Relation {
                        name: QualifiedName::new("pg_catalog", object.clone()),
                        columns: None,
                        types: Vec::new(),
                    })
                })
            }
            _ => None,
        }
    }

    fn function(&self, name: &[String]) -> Option<QualifiedName> {
        let exists = |qualified: &QualifiedName| {
            self.schema.functions.keys().any(|routine| routine.name == *qualified)
                || self.schema.aggregates.keys().any(|routine| routine.name == *qualified)
        };
        on_search_path(&self.search_path, name, exists)
    }

    fn cast_type(&self, data_type: &sqlparser::ast::DataType) -> Option<autogen_schema::SqlType> {
        let resolved = crate::types::column_type(data_type, &|name: &str| self.type_schema(name));
        resolved
            .ok()
            .filter(|resolved| resolved.serial.is_none())
            .map(|resolved| resolved.data_type)
    }

    fn type_name(&self, name: &[String]) -> Option<QualifiedName> {
        let exists = |qualified: &QualifiedName| {
            self.schema.enums.contains_key(qualified)
                || self.schema.domains.contains_key(qualified)
                || self.schema.composites.contains_key(qualified)
        };
        on_search_path(&self.search_path, name, exists)
    }
}

impl Builder {
    // ----- undo --------------------------------------------------------

    fn touch_view(&mut self, name: &QualifiedName) {
        if !self.view_undo.views.contains_key(name) {
            let before = self.schema.views.get(name).cloned();
            self.view_undo.views.insert(name.clone(), before);
        }
    }

    fn touch_materialized(&mut self, name: &QualifiedName) {
        if !self.view_undo.materialized.contains_key(name) {
            let before = self.schema.materialized_views.get(name).cloned();
            self.view_undo.materialized.insert(name.clone(), before);
        }
    }

    /// A statement succeeded: what it changed stays.
    pub(super) fn keep_view_changes(&mut self) {
        self.view_undo = Undo::default();
    }

    /// A statement failed: the views it changed are put back.
    pub(super) fn undo_view_changes(&mut self) {
        for (name, view) in std::mem::take(&mut self.view_undo.views) {
            match view {
                Some(view) => self.schema.views.insert(name, view),
                None => self.schema.views.remove(&name),
            };
        }
        for (name, view) in std::mem::take(&mut self.view_undo.materialized) {
            match view {
                Some(view) => self.schema.materialized_views.insert(name, view),
                None => self.schema.materialized_views.remove(&name),
            };
        }
    }

    pub(super) fn view_mut(&mut self, name: &QualifiedName) -> &mut View {
        self.touch_view(name);
        self.schema.views.get_mut(name).expect("a view found before")
    }

    pub(super) fn materialized_mut(&mut self, name: &QualifiedName) -> &mut MaterializedView {
        self.touch_materialized(name);
        self.schema.materialized_views.get_mut(name).expect("a materialized view found before")
    }

    fn dependencies_mut(&mut self, name: &QualifiedName) -> &mut ViewDependencies {
        match self.schema.views.contains_key(name) {
            true => &mut self.view_mut(name).depends_on,
            false => &mut self.materialized_mut(name).depends_on,
        }
    }

    fn query_text_mut(&mut self, name: &QualifiedName) -> &mut Rewritten {
        match self.schema.views.contains_key(name) {
            true => &mut self.view_mut(name).query,
            false => &mut self.materialized_mut(name).query,
        }
    }

    pub(super) fn remove_view_or_materialized(&mut self, name: &QualifiedName) {
        if self.schema.views.contains_key(name) {
            self.touch_view(name);
            self.schema.views.remove(name);
        } else if self.schema.materialized_views.contains_key(name) {
            self.touch_materialized(name);
            self.schema.materialized_views.remove(name);
        }
    }

    // ----- names -------------------------------------------------------

    /// Whether a view, a materialized view or one's index is called so.
    pub(super) fn view_relation_exists(&self, name: &QualifiedName) -> bool {
        self.schema.has_view(name) || self.materialized_index(name).is_some()
    }

    fn find_kind(&self, name: &Name, kind: Kind) -> Option<QualifiedName> {
        self.lookup(name, |qualified| match kind {
            Kind::View => self.schema.views.contains_key(qualified),
            Kind::Materialized => self.schema.materialized_views.contains_key(qualified),
        })
    }

    /// The view or materialized view a name finds through the search path.
    pub(super) fn find_view(&self, name: &Name) -> Option<QualifiedName> {
        self.lookup(name, |qualified| self.schema.has_view(qualified))
    }

    /// The materialized view an index of which is called `name`, and the
    /// index's name.
    fn materialized_index(&self, name: &QualifiedName) -> Option<QualifiedName> {
        self.schema
            .materialized_views
            .values()
            .find(|view| {
                view.name.schema == name.schema && view.indexes.iter().any(|i| i.name == name.name)
            })
            .map(|view| view.name.clone())
    }

    /// An index of a materialized view a name finds: (the view, the index).
    pub(super) fn find_materialized_index(&self, name: &Name) -> Option<(QualifiedName, String)> {
        let mut found = None;
        self.lookup(name, |qualified| {
            found = self.materialized_index(qualified).map(|view| (view, qualified.name.clone()));
            found.is_some()
        });
        found
    }

    // ----- CREATE ------------------------------------------------------

    pub(super) fn create_view(&mut self, statement: &CreateView) -> Result<(), String> {
        let name = self.new_name(&statement.name)?;
        let replacing = statement.or_replace && self.schema.views.contains_key(&name);
        if !replacing && self.relation_exists(&name.schema, &name.name) {
            if statement.materialized && statement.if_not_exists {
                return Ok(());
            }
            if statement.or_replace
                && (self.schema.tables.contains_key(&name)
                    || self.schema.materialized_views.contains_key(&name))
            {
                return Err(format!("`{name}` is not a view"));
            }
            return Err(format!("relation `{name}` already exists"));
        }
        let mut query = statement.query.clone();
        let analysis = query::analyse(&mut query, self, None)?;
        if statement.columns.len() > analysis.columns.len() {
            let what =
                if statement.materialized { "CREATE MATERIALIZED VIEW" } else { "CREATE VIEW" };
            return Err(format!("{what} specifies more column names than columns"));
        }
        let mut names = analysis.columns.clone();
        for (position, column) in statement.columns.iter().enumerate() {
            names[position] = column.clone();
        }
        for (position, column) in names.iter().enumerate() {
            if names[..position].contains(column) {
                return Err(format!("column `{column}` specified more than once"));
            }
        }
        let named = name_columns(&mut query, &analysis.columns, &names);
        let depends_on = ViewDependencies {
            on: analysis.uses,
            column_list: !named,
            stale: false,
            column_types: analysis.types.clone(),
        };
        let columns: Vec<ViewColumn> =
            names.iter().map(|name| ViewColumn { name: name.clone(), comment: None }).collect();
        let text = Rewritten::normalised(query::text(&query));
        if statement.materialized {
            let (with, toast) = crate::parameters::sort_out(&statement.options)?;
            if !toast.is_empty() {
                return Err(
                    "autogen does not model `toast.` parameters of materialized views yet".into()
                );
            }
            let mut view = MaterializedView::new(name.clone(), columns, text);
            view.with = with;
            view.with.sort();
            view.with_no_data = !statement.with_data;
            view.depends_on = depends_on;
            self.touch_materialized(&name);
            self.schema.materialized_views.insert(name, view);
            return Ok(());
        }
        let mut view = View::new(name.clone(), columns, text);
        view.depends_on = depends_on;
        view.check_option = statement.check_option;
        for (option, value) in &statement.options {
            set_view_option(&mut view, option, Some(value))?;
        }
        if replacing {
            let old = &self.schema.views[&name];
            if view.columns.len() < old.columns.len() {
                return Err("cannot drop columns from view".to_owned());
            }
            for (old, new) in old.columns.iter().zip(&mut view.columns) {
                if old.name != new.name {
                    return Err(format!(
                        "cannot change name of view column `{}` to `{}`",
                        old.name, new.name
                    ));
                }
                new.comment = old.comment.clone();
            }
            view.comment = old.comment.clone();
            view.triggers = old.triggers.clone();
            view.grants = old.grants.clone();
            // Another view reading this one must still find what it reads.
            for (other, dependencies) in self.schema.all_view_dependencies() {
                if other == &name {
                    continue;
                }
                let lost = dependencies.on.iter().find(|uses| {
                    matches!(uses, Uses::Column(relation, column)
                        if *relation == name && view.column(column).is_none())
                });
                if let Some(Uses::Column(_, column)) = lost {
                    return Err(format!(
                        "cannot change view `{name}`: view `{other}` reads its column `{column}`"
                    ));
                }
            }
        }
        self.touch_view(&name);
        self.schema.views.insert(name, view);
        Ok(())
    }

    // ----- ALTER -------------------------------------------------------

    pub(super) fn alter_view(
        &mut self,
        name: &Name,
        if_exists: bool,
        materialized: bool,
        action: &AlterView,
    ) -> Result<(), String> {
        let kind = if materialized { Kind::Materialized } else { Kind::View };
        let Some(found) = self.find_kind(name, kind) else {
            if let Some(other) = self.find_view(name) {
                let (what, statement) = match kind {
                    Kind::View => ("a view", "ALTER MATERIALIZED VIEW"),
                    Kind::Materialized => ("a materialized view", "ALTER VIEW"),
                };
                return Err(format!("`{other}` is not {what}; use {statement}"));
            }
            return match if_exists {
                true => Ok(()),
                false => Err(format!("relation `{name}` does not exist")),
            };
        };
        self.alter_found_view(&found, action)
    }

    /// An `ALTER` action on the view or materialized view `name` (also
    /// what `ALTER TABLE` does to one). The new name when it moves.
    pub(super) fn alter_found_view(
        &mut self,
        name: &QualifiedName,
        action: &AlterView,
    ) -> Result<(), String> {
        match action {
            AlterView::Nothing => Ok(()),
            AlterView::Unmodelled(_) => Ok(()),
            AlterView::RenameTo(new) => {
                let new_name = QualifiedName::new(name.schema.clone(), new.clone());
                self.check_relation_name_free(&name.schema, new)?;
                self.move_view(name, new_name);
                Ok(())
            }
            AlterView::SetSchema(schema) => {
                let schema = self.existing_schema(schema)?;
                let new_name = QualifiedName::new(schema.clone(), name.name.clone());
                if self.relation_exists(&schema, &name.name) {
                    return Err(format!("relation `{new_name}` already exists"));
                }
                self.move_view(name, new_name);
                Ok(())
            }
            AlterView::RenameColumn { old, new } => {
                let columns = self.schema.relation_columns(name).unwrap_or_default();
                if !columns.contains(old) {
                    return Err(format!("column `{old}` does not exist in `{name}`"));
                }
                if columns.contains(new) {
                    return Err(format!("column `{new}` of relation `{name}` already exists"));
                }
                self.follow(Change::Column { relation: name, old, new })?;
                let rename = |columns: &mut Vec<ViewColumn>| {
                    for column in columns.iter_mut().filter(|column| column.name == *old) {
                        column.name = new.clone();
                    }
                };
                if self.schema.views.contains_key(name) {
                    let view = self.view_mut(name);
                    rename(&mut view.columns);
                    // The query names it by its old name: an alias now.
                    view.depends_on.column_list = true;
                    // Its statement triggers' `UPDATE OF` follow (by number).
                    for columns in view.triggers.iter_mut().filter_map(|t| t.on_update.as_mut()) {
                        for column in columns.iter_mut().filter(|column| **column == *old) {
                            *column = new.clone();
                        }
                    }
                } else {
                    let view = self.materialized_mut(name);
                    rename(&mut view.columns);
                    view.depends_on.column_list = true;
                    for index in &mut view.indexes {
                        for key in &mut index.keys {
                            if key.target == autogen_schema::IndexTarget::Column(old.clone()) {
                                key.target = autogen_schema::IndexTarget::Column(new.clone());
                            }
                        }
                        for column in index.include.iter_mut().filter(|c| *c == old) {
                            *column = new.clone();
                        }
                    }
                }
                self.realias(name)?;
                Ok(())
            }
            AlterView::SetOptions(options) => {
                if self.schema.views.contains_key(name) {
                    let mut view = self.schema.views[name].clone();
                    for (option, value) in options {
                        set_view_option(&mut view, option, Some(value))?;
                    }
                    *self.view_mut(name) = view;
                } else {
                    let (with, toast) = crate::parameters::sort_out(options)?;
                    if !toast.is_empty() {
                        return Err("autogen does not model `toast.` parameters of materialized \
                                    views yet"
                            .into());
                    }
                    let view = self.materialized_mut(name);
                    for (option, value) in with {
                        match view.with.iter_mut().find(|(existing, _)| *existing == option) {
                            Some(existing) => existing.1 = value,
                            None => view.with.push((option, value)),
                        }
                    }
                    view.with.sort();
                }
                Ok(())
            }
            AlterView::ResetOptions(options) => {
                if self.schema.views.contains_key(name) {
                    let mut view = self.schema.views[name].clone();
                    for option in options {
                        set_view_option(&mut view, option, None)?;
                    }
                    *self.view_mut(name) = view;
                } else {
                    let (names, _) = crate::parameters::sort_out_names(options)?;
                    self.materialized_mut(name).with.retain(|(option, _)| !names.contains(option));
                }
                Ok(())
            }
        }
    }

    /// A view's query after one of its output columns was renamed: the
    /// column list is needed unless the query's aliases say the names.
    fn realias(&mut self, name: &QualifiedName) -> Result<(), String> {
        let Some(text) = self.query_text(name) else { return Ok(()) };
        let Ok(mut parsed) = query::reparse(&text) else { return Ok(()) };
        let Ok(analysis) = query::analyse(&mut parsed.clone(), self, None) else { return Ok(()) };
        let wanted = self.schema.relation_columns(name).unwrap_or_default();
        let named = name_columns(&mut parsed, &analysis.columns, &wanted);
        let new_text = query::text(&parsed);
        let dependencies = self.dependencies_mut(name);
        dependencies.column_list = !named;
        if named {
            *self.query_text_mut(name) = Rewritten::normalised(new_text);
        }
        Ok(())
    }

    /// The normalised text of the view or materialized view `name`.
    fn query_text(&self, name: &QualifiedName) -> Option<String> {
        let query = match self.schema.views.get(name) {
            Some(view) => &view.query,
            None => &self.schema.materialized_views.get(name)?.query,
        };
        Some(query.text.clone())
    }

    /// A view or materialized view moved to `new` (renamed or to another
    /// schema): the views reading it follow, its comments go with it.
    fn move_view(&mut self, old: &QualifiedName, new: QualifiedName) {
        // Best effort: a text that cannot follow stays as it was.
        let _ = self.follow(Change::Relation { old, new: &new });
        if self.schema.views.contains_key(old) {
            self.touch_view(old);
            let mut view = self.schema.views.remove(old).expect("found");
            view.name = new.clone();
            self.touch_view(&new);
            self.schema.views.insert(new.clone(), view);
        } else {
            self.touch_materialized(old);
            let mut view = self.schema.materialized_views.remove(old).expect("found");
            view.name = new.clone();
            for index in &view.indexes {
                let index_in = |schema: &str| {
                    autogen_schema::CommentTarget::Index(QualifiedName::new(schema, &index.name))
                };
                self.schema.move_comment(&index_in(&old.schema), index_in(&new.schema));
            }
            self.touch_materialized(&new);
            self.schema.materialized_views.insert(new.clone(), view);
        }
    }

    /// Every view and materialized view that reads what `change` renames
    /// gets the text PostgreSQL's catalog now prints (normalised) and its
    /// dependencies renamed. Runs before the schema changes: the texts are
    /// read against the names they were written with.
    pub(super) fn follow(&mut self, change: Change<'_>) -> Result<(), String> {
        let readers: Vec<QualifiedName> = self
            .schema
            .all_view_dependencies()
            .filter(|(_, dependencies)| match change {
                Change::Relation { old, .. } => dependencies.reads_relation(old),
                Change::Column { relation, old, .. } => dependencies.reads_column(relation, old),
                Change::Type { old, .. } => dependencies.on.contains(&Uses::Type(old.clone())),
            })
            .map(|(name, _)| name.clone())
            .collect();
        for reader in readers {
            let text = self.query_text(&reader).expect("a reader is a view");
            if let Ok(mut parsed) = query::reparse(&text) {
                if let Ok(analysis) = query::analyse(&mut parsed, self, Some(change)) {
                    if analysis.changed {
                        *self.query_text_mut(&reader) = Rewritten::normalised(query::text(&parsed));
                    }
                }
            }
            let dependencies = self.dependencies_mut(&reader);
            if let Change::Type { old, new } = change {
                for data_type in dependencies.column_types.iter_mut().flatten() {
                    data_type.rename_type(old, new);
                }
            }
            dependencies.rename(|uses| match (change, uses) {
                (Change::Relation { old, new }, Uses::Relation(name)) if name == old => {
                    Some(Uses::Relation(new.clone()))
                }
                (Change::Relation { old, new }, Uses::Column(name, column)) if name == old => {
                    Some(Uses::Column(new.clone(), column.clone()))
                }
                (Change::Column { relation, old, new }, Uses::Column(name, column))
                    if name == relation && column == old =>
                {
                    Some(Uses::Column(name.clone(), new.to_owned()))
                }
                (Change::Type { old, new }, Uses::Type(name)) if name == old => {
                    Some(Uses::Type(new.clone()))
                }
                _ => None,
            });
        }
        Ok(())
    }

    // ----- what changes under views ------------------------------------

    /// The views and materialized views that read what `reads` says,
    /// directly or through other views, in creation order.
    fn readers(&self, reads: impl Fn(&ViewDependencies) -> bool) -> Vec<QualifiedName> {
        self.schema.views_depending(reads)
    }

    /// A column of a table (or view) is dropped: the views reading it go
    /// with `CASCADE`, else PostgreSQL refuses.
    pub(super) fn drop_views_reading_column(
        &mut self,
        relation: &QualifiedName,
        column: &str,
        cascade: bool,
    ) -> Result<(), String> {
        let readers = self.readers(|dependencies| dependencies.reads_column(relation, column));
        if let Some(first) = readers.first() {
            if !cascade {
                return Err(format!(
                    "cannot drop column `{column}` of `{relation}` because other objects depend \
                     on it: {} `{first}` reads it (use CASCADE)",
                    self.what(first)
                ));
            }
        }
        for reader in readers.iter().rev() {
            self.remove_view_or_materialized(reader);
        }
        Ok(())
    }

    /// A column's type changes: PostgreSQL refuses it under a view.
    pub(super) fn refuse_retype_under_views(
        &self,
        relation: &QualifiedName,
        column: &str,
    ) -> Result<(), String> {
        let readers = self.readers(|dependencies| dependencies.reads_column(relation, column));
        match readers.first() {
            Some(reader) => Err(format!(
                "cannot alter type of a column used by a view or rule: {} `{reader}` reads \
                 `{relation}`.`{column}`",
                self.what(reader)
            )),
            None => Ok(()),
        }
    }

    /// A relation is dropped: the views reading it go with `CASCADE`, else
    /// PostgreSQL refuses.
    pub(super) fn drop_views_reading(
        &mut self,
        relation: &QualifiedName,
        cascade: bool,
        what: &str,
    ) -> Result<(), String> {
        let readers: Vec<QualifiedName> = self
            .readers(|dependencies| dependencies.reads_relation(relation))
            .into_iter()
            .filter(|reader| reader != relation)
            .collect();
        if let Some(first) = readers.first() {
            if !cascade {
                return Err(format!(
                    "cannot drop {what} `{relation}` because other objects depend on it: {} \
                     `{first}` reads it (use CASCADE)",
                    self.what(first)
                ));
            }
        }
        for reader in readers.iter().rev() {
            self.remove_view_or_materialized(reader);
        }
        Ok(())
    }

    /// A type is dropped: the views casting to it go with `CASCADE`.
    pub(super) fn drop_views_casting_to(
        &mut self,
        type_name: &QualifiedName,
        cascade: bool,
    ) -> Result<(), String> {
        let uses = Uses::Type(type_name.clone());
        let readers = self.readers(|dependencies| dependencies.on.contains(&uses));
        if let Some(first) = readers.first() {
            if !cascade {
                return Err(format!(
                    "cannot drop type `{type_name}`: {} `{first}` uses it (use CASCADE)",
                    self.what(first)
                ));
            }
        }
        for reader in readers.iter().rev() {
            self.remove_view_or_materialized(reader);
        }
        Ok(())
    }

    /// The views and materialized views of `schema` (DROP SCHEMA … CASCADE).
    pub(super) fn drop_views_in_schema(&mut self, schema: &str) -> Result<(), String> {
        let names: Vec<QualifiedName> = (self.schema.views.keys())
            .chain(self.schema.materialized_views.keys())
            .filter(|name| name.schema == schema)
            .cloned()
            .collect();
        for name in names {
            if self.schema.has_view(&name) {
                self.drop_views_reading(&name, true, "view")?;
                self.remove_view_or_materialized(&name);
            }
        }
        Ok(())
    }

    /// Whether `schema` holds a view or a materialized view.
    pub(super) fn schema_has_views(&self, schema: &str) -> bool {
        (self.schema.views.keys())
            .chain(self.schema.materialized_views.keys())
            .any(|name| name.schema == schema)
    }

    fn what(&self, name: &QualifiedName) -> &'static str {
        if self.schema.views.contains_key(name) {
            "view"
        } else {
            "materialized view"
        }
    }

    // ----- DROP --------------------------------------------------------

    pub(super) fn drop_views(
        &mut self,
        kind: DropKind,
        if_exists: bool,
        names: &[Name],
        cascade: bool,
    ) -> Result<(), String> {
        let wanted = if kind == DropKind::View { Kind::View } else { Kind::Materialized };
        let mut found = Vec::new();
        for name in names {
            match self.find_kind(name, wanted) {
                Some(qualified) => found.push(qualified),
                None => {
                    let other = self.find_view(name).or_else(|| self.find_table(name));
                    if let Some(other) = other {
                        let (what, hint) = match wanted {
                            Kind::View => ("a view", "DROP VIEW"),
                            Kind::Materialized => ("a materialized view", "DROP MATERIALIZED VIEW"),
                        };
                        let hint = match self.schema.tables.contains_key(&other) {
                            true => "DROP TABLE",
                            false if self.schema.views.contains_key(&other) => "DROP VIEW",
                            false => {
                                let _ = hint;
                                "DROP MATERIALIZED VIEW"
                            }
                        };
                        return Err(format!("`{other}` is not {what}; use {hint}"));
                    }
                    if !if_exists {
                        let what = match wanted {
                            Kind::View => "view",
                            Kind::Materialized => "materialized view",
                        };
                        return Err(format!("{what} `{name}` does not exist"));
                    }
                }
            }
        }
        // Views that read one of them and are not dropped with it.
        for name in &found {
            let readers: Vec<QualifiedName> = self
                .readers(|dependencies| dependencies.reads_relation(name))
                .into_iter()
                .filter(|reader| !found.contains(reader))
                .collect();
            if let Some(first) = readers.first() {
                if !cascade {
                    return Err(format!(
                        "cannot drop {} `{name}` because other objects depend on it: {} \
                         `{first}` reads it (use CASCADE)",
                        self.what(name),
                        self.what(first)
                    ));
                }
            }
            for reader in readers.iter().rev() {
                self.remove_view_or_materialized(reader);
            }
        }
        for name in found {
            self.remove_view_or_materialized(&name);
        }
        Ok(())
    }

    // ----- REFRESH, indexes, comments ----------------------------------

    pub(super) fn refresh(&mut self, name: &Name, with_data: bool) -> Result<(), String> {
        let Some(found) = self.find_kind(name, Kind::Materialized) else {
            return match self.find_view(name).or_else(|| self.find_table(name)) {
                Some(other) => Err(format!("`{other}` is not a materialized view")),
                None => Err(format!("relation `{name}` does not exist")),
            };
        };
        self.materialized_mut(&found).with_no_data = !with_data;
        Ok(())
    }

    /// `CREATE INDEX` on a materialized view, if the statement's relation
    /// is one (`None` otherwise).
    pub(super) fn create_materialized_index(
        &mut self,
        statement: &CreateIndex,
        warnings: &mut Vec<String>,
    ) -> Option<Result<(), String>> {
        if let Some(view) = self.find_kind(&statement.table, Kind::View) {
            return Some(Err(format!("cannot create index on relation `{view}`: it is a view")));
        }
        let name = self.find_kind(&statement.table, Kind::Materialized)?;
        Some(self.index_materialized(&name, statement, warnings))
    }

    fn index_materialized(
        &mut self,
        name: &QualifiedName,
        statement: &CreateIndex,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let view = &self.schema.materialized_views[name];
        // The index reads the view's columns, typed where the reader knows
        // their types: an expression or a predicate needs them all.
        let types = &view.depends_on.column_types;
        let mut table = Table::new(name.clone());
        let mut all_typed = true;
        table.columns = view
            .columns
            .iter()
            .enumerate()
            .map(|(position, column)| {
                let data_type = types.get(position).cloned().flatten().unwrap_or_else(|| {
                    all_typed = false;
                    autogen_schema::SqlType::Builtin { name: String::from("unknown") }
                });
                autogen_schema::Column::new(column.name.clone(), data_type)
            })
            .collect();
        let typed = |keys: &[autogen_schema::IndexKey]| {
            let expressions = (keys.iter())
                .any(|key| matches!(key.target, autogen_schema::IndexTarget::Expression(_)));
            if (expressions || statement.predicate.is_some()) && !all_typed {
                return Err(format!(
                    "autogen cannot type the columns of `{name}` (its query computes them), so \
                     it reads its indexes over plain columns only, not expressions or a WHERE"
                ));
            }
            Ok(())
        };
        let Some(index) = self.index_on(&table, statement, warnings, typed)? else {
            return Ok(());
        };
        let view = self.materialized_mut(name);
        view.indexes.push(index);
        view.indexes.sort_by(|left, right| left.name.cmp(&right.name));
        Ok(())
    }

    /// `DROP INDEX` of a materialized view's index.
    pub(super) fn drop_materialized_index(&mut self, view: &QualifiedName, index: &str) {
        self.materialized_mut(view).indexes.retain(|existing| existing.name != index);
    }

    /// `ALTER INDEX … RENAME TO` of a materialized view's index.
    pub(super) fn rename_materialized_index(
        &mut self,
        view: &QualifiedName,
        old: &str,
        new: &str,
    ) -> Result<(), String> {
        self.check_relation_name_free(&view.schema, new)?;
        let target = |name: &str| {
            autogen_schema::CommentTarget::Index(QualifiedName::new(view.schema.clone(), name))
        };
        self.schema.move_comment(&target(old), target(new));
        let view = self.materialized_mut(view);
        for index in view.indexes.iter_mut().filter(|index| index.name == old) {
            index.name = new.to_owned();
        }
        view.indexes.sort_by(|left, right| left.name.cmp(&right.name));
        Ok(())
    }

    /// `COMMENT ON VIEW`, `COMMENT ON MATERIALIZED VIEW`.
    pub(super) fn comment_view(
        &mut self,
        name: &Name,
        materialized: bool,
        comment: Option<String>,
    ) -> Result<(), String> {
        let kind = if materialized { Kind::Materialized } else { Kind::View };
        let Some(found) = self.find_kind(name, kind) else {
            return match self.find_view(name).or_else(|| self.find_table(name)) {
                Some(other) if materialized => Err(format!("`{other}` is not a materialized view")),
                Some(other) => Err(format!("`{other}` is not a view")),
                None => Err(format!("relation `{name}` does not exist")),
            };
        };
        match kind {
            Kind::View => self.view_mut(&found).comment = comment,
            Kind::Materialized => self.materialized_mut(&found).comment = comment,
        }
        Ok(())
    }

    /// `COMMENT ON COLUMN view.column` (or `COMMENT ON TABLE` a view, which
    /// PostgreSQL takes): `None` when `relation` is no view.
    pub(super) fn comment_view_column(
        &mut self,
        relation: &Name,
        column: Option<&str>,
        comment: Option<String>,
    ) -> Option<Result<(), String>> {
        let found = self.find_view(relation)?;
        let Some(column) = column else {
            match self.schema.views.contains_key(&found) {
                true => self.view_mut(&found).comment = comment,
                false => self.materialized_mut(&found).comment = comment,
            }
            return Some(Ok(()));
        };
        let columns = match self.schema.views.contains_key(&found) {
            true => &mut self.view_mut(&found).columns,
            false => &mut self.materialized_mut(&found).columns,
        };
        match columns.iter_mut().find(|existing| existing.name == column) {
            Some(existing) => {
                existing.comment = comment;
                Some(Ok(()))
            }
            None => Some(Err(format!("column `{column}` does not exist in `{found}`"))),
        }
    }

    /// `ALTER TABLE` on a view or materialized view: what PostgreSQL takes
    /// (renames, schema, options, owner), else an error. `None` when the
    /// name is no view.
    pub(super) fn alter_table_on_view(
        &mut self,
        name: &Name,
        actions: &[crate::ddl::AlterTable],
    ) -> Option<Result<(), String>> {
        use crate::ddl::AlterTable;
        let mut found = self.find_view(name)?;
        for action in actions {
            let action = match action {
                AlterTable::RenameTo(new) => AlterView::RenameTo(new.clone()),
                AlterTable::SetSchema(schema) => AlterView::SetSchema(schema.clone()),
                AlterTable::RenameColumn { old, new } => {
                    AlterView::RenameColumn { old: old.clone(), new: new.clone() }
                }
                AlterTable::SetParameters(options) => AlterView::SetOptions(options.clone()),
                AlterTable::ResetParameters(names) => AlterView::ResetOptions(names.clone()),
                AlterTable::Nothing => AlterView::Nothing,
                _ => {
                    return Some(Err(format!("`{found}` is a {}, not a table", self.what(&found))))
                }
            };
            if let Err(error) = self.alter_found_view(&found, &action) {
                return Some(Err(error));
            }
            match action {
                AlterView::RenameTo(new) => found = QualifiedName::new(found.schema.clone(), new),
                AlterView::SetSchema(schema) => {
                    found = QualifiedName::new(schema, found.name.clone())
                }
                _ => {}
            }
        }
        Some(Ok(()))
    }
}

/// `security_barrier`, `security_invoker` or `check_option` set (`Some`)
/// or reset (`None`), checked as PostgreSQL checks them.
fn set_view_option(view: &mut View, option: &str, value: Option<&String>) -> Result<(), String> {
    let boolean = |value: Option<&String>| -> Result<Option<bool>, String> {
        match value {
            None => Ok(None),
            Some(value) => match crate::parameters::parse_boolean(value) {
                Some(value) => Ok(Some(value)),
                None => Err(format!("invalid value for boolean option \"{option}\": {value}")),
            },
        }
    };
    match option {
        "security_barrier" => view.security_barrier = boolean(value)?,
        "security_invoker" => view.security_invoker = boolean(value)?,
        "check_option" => {
            view.check_option = match value.map(String::as_str) {
                None => None,
                Some("local") => Some(CheckOption::Local),
                Some("cascaded") => Some(CheckOption::Cascaded),
                Some(other) => {
                    return Err(format!(
                        "invalid value for enum option \"check_option\": {other} (valid values \
                         are \"local\" and \"cascaded\")"
                    ))
                }
            }
        }
        other => return Err(format!("unrecognized parameter \"{other}\"")),
    }
    Ok(())
}

/// Makes the query's select list say `wanted` as its output names (an alias
/// where the name it gives, `derived`, differs), so that the text alone
/// names the view's columns; false when it cannot (a `*` before a column
/// to rename, a parenthesised query), and the view's `CREATE` then writes
/// its column list.
fn name_columns(query: &mut Query, derived: &[String], wanted: &[String]) -> bool {
    if derived == wanted {
        return true;
    }
    let mut body = query.body.as_mut();
    while let SetExpr::SetOperation { left, .. } = body {
        body = left.as_mut();
    }
    let SetExpr::Select(select) = body else { return false };
    let differs = |position: usize| derived.get(position) != wanted.get(position);
    let mut position = 0;
    let mut plan: Vec<(usize, String)> = Vec::new();
    for (index, item) in select.projection.iter().enumerate() {
        match item {
            SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..) => {
                // What comes from here on cannot be counted.
                return (position..wanted.len()).all(|later| !differs(later))
                    && apply_aliases(select, &plan);
            }
            SelectItem::ExprWithAliases { aliases, .. } => position += aliases.len(),
            _ => {
                if differs(position) {
                    match wanted.get(position) {
                        Some(name) => plan.push((index, name.clone())),
                        None => return false,
                    }
                }
                position += 1;
            }
        }
    }
    apply_aliases(select, &plan)
}

/// Gives the select items at the planned positions the planned aliases;
/// false (nothing changed) when one of them is no single expression.
fn apply_aliases(select: &mut sqlparser::ast::Select, plan: &[(usize, String)]) -> bool {
    let single = |item: &SelectItem| {
        matches!(item, SelectItem::UnnamedExpr(_) | SelectItem::ExprWithAlias { .. })
    };
    if !plan.iter().all(|(index, _)| single(&select.projection[*index])) {
        return false;
    }
    for (index, name) in plan {
        let item = &mut select.projection[*index];
        let expr = match std::mem::replace(item, SelectItem::Wildcard(Default::default())) {
            SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => expr,
            _ => unreachable!("checked above"),
        };
        *item = SelectItem::ExprWithAlias { expr, alias: crate::query::ident(name) };
    }
    true
}

/// The object `name` stands for — qualified, or the first found through
/// `search_path` — among those `exists` says are there.
fn on_search_path(
    search_path: &[String],
    name: &[String],
    exists: impl Fn(&QualifiedName) -> bool,
) -> Option<QualifiedName> {
    match name {
        [schema, object] => {
            let qualified = QualifiedName::new(schema.clone(), object.clone());
            exists(&qualified).then_some(qualified)
        }
        [object] => search_path
            .iter()
            .map(|schema| QualifiedName::new(schema.clone(), object.clone()))
            .find(|qualified| exists(qualified)),
        _ => None,
    }
}
