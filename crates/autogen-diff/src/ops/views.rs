//! Views and materialized views: created after what they read (tables,
//! columns and their types, other views, sequences), dropped before it
//! goes; a view whose old columns are kept in order (new ones only added at
//! the end) replaced in place (`CREATE OR REPLACE VIEW`, options as
//! declared), its options alone set in place (`ALTER VIEW … SET / RESET`);
//! any other change is a drop and a create. A materialized view changed is
//! dropped and created again (its data rebuilt: a hazard), its indexes
//! after it; its storage parameters set in place, `WITH NO DATA` reached
//! by `REFRESH`.
//!
//! What PostgreSQL refuses under a view — a change of a column's type
//! (`cannot alter type of a column used by a view or rule`), a column or a
//! view it reads dropped or dropped and created again — rebuilds the view:
//! dropped before (`Key::ColumnType`, the column's key, the other view's
//! key released) and created again after, with every view that reads it,
//! drops from the outside in and creates from the inside out, comments and
//! a materialized view's indexes created again with them ([`rebuilt`]).

use std::collections::BTreeSet;

use autogen_schema::ddl::{parameter_list, Renderer};
use autogen_schema::{
    quote_ident, quote_literal, Column, MaterializedView, QualifiedName, Schema, SqlType, Table,
    Uses, View, ViewDependencies,
};

use super::comments::comment_column;
use super::{indexes, Family};
use crate::operation::{index_key, type_keys, Hazard, Key, Operation, Step};
use crate::order::Phase;

/// `CREATE VIEW`, `CREATE MATERIALIZED VIEW`, …
pub(super) struct Views;

/// The views' and materialized views' steps.
pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    let rebuilt = rebuilt(from, to);
    mark_type_changes(from, &rebuilt, steps);
    for (name, view) in &from.views {
        if !to.views.contains_key(name) || rebuilt.contains(name) {
            steps.push(drop_view(from, view));
        }
    }
    for (name, view) in &from.materialized_views {
        if !to.materialized_views.contains_key(name) || rebuilt.contains(name) {
            steps.push(drop_materialized_view(from, view));
        }
    }
    for (name, view) in &to.views {
        match from.views.get(name) {
            Some(old) if !rebuilt.contains(name) => alter_view(from, to, old, view, steps),
            _ => create_view(to, view, steps),
        }
    }
    for (name, view) in &to.materialized_views {
        match from.materialized_views.get(name) {
            Some(old) if !rebuilt.contains(name) => {
                alter_materialized_view(from, to, old, view, steps)
            }
            Some(_) => create_materialized_view(to, view, true, steps),
            None => create_materialized_view(to, view, false, steps),
        }
    }
}

/// The views and materialized views of `from` kept in `to` that are
/// dropped and created again: those changed in a way PostgreSQL does not
/// change in place, those reading a column whose type changes (or whose
/// type is replaced: a swapped enum, a domain or composite type made
/// again) or that is dropped and added again (a generated column
/// replaced) — and, again, every view reading one of those. A view that
/// read a column or table that goes reads something else now: replaced
/// in place, it stops reading it before it goes.
pub(crate) fn rebuilt(from: &Schema, to: &Schema) -> BTreeSet<QualifiedName> {
    let retyped_types = replaced_types(from, to);
    let mut changed_columns: BTreeSet<(QualifiedName, String)> = BTreeSet::new();
    for (name, old) in &from.tables {
        let Some(new) = to.tables.get(name) else { continue };
        let replaced = super::columns::replaced_columns(old, new);
        for column in &old.columns {
            let changed = match new.column(&column.name) {
                None => false,
                Some(after) => {
                    after.data_type != column.data_type
                        || after.collation != column.collation
                        || replaced.contains(&column.name)
                        || retyped_types.iter().any(|type_name| holds(&column.data_type, type_name))
                }
            };
            if changed {
                changed_columns.insert((name.clone(), column.name.clone()));
            }
        }
    }
    let mut rebuilt: BTreeSet<QualifiedName> = BTreeSet::new();
    let kept = |name: &QualifiedName| {
        (from.views.contains_key(name) && to.views.contains_key(name))
            || (from.materialized_views.contains_key(name)
                && to.materialized_views.contains_key(name))
    };
    for (name, dependencies) in from.all_view_dependencies() {
        if !kept(name) {
            continue;
        }
        let reads_changed = dependencies.on.iter().any(|uses| match uses {
            Uses::Column(relation, column) => {
                changed_columns.contains(&(relation.clone(), column.clone()))
            }
            Uses::Type(type_name) => retyped_types.contains(type_name),
            _ => false,
        });
        let remade = match (from.views.get(name), to.views.get(name)) {
            (Some(old), Some(new)) => {
                (definition(old) != definition(new) || old.depends_on.stale)
                    && !replaceable(old, new)
            }
            _ => {
                let (old, new) = (&from.materialized_views[name], &to.materialized_views[name]);
                old.depends_on.stale
                    || old.columns_named() != new.columns_named()
                    || old.query != new.query
            }
        };
        if reads_changed || remade {
            rebuilt.insert(name.clone());
        }
    }
    // Views gone from `to` take nothing along: a view reading one is
    // changed anyway (it cannot read what is not declared).
    loop {
        let more: Vec<QualifiedName> = from
            .all_view_dependencies()
            .filter(|(name, dependencies)| {
                kept(name)
                    && !rebuilt.contains(*name)
                    && rebuilt.iter().any(|other| dependencies.reads_relation(other))
            })
            .map(|(name, _)| name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        rebuilt.extend(more);
    }
    rebuilt
}

/// The steps that change the type of a column a rebuilt view reads
/// remove and make again its [`Key::ColumnType`]: the view's drop waits
/// for nothing of it, goes before; its creation, after.
fn mark_type_changes(from: &Schema, rebuilt: &BTreeSet<QualifiedName>, steps: &mut [Step]) {
    let read = |table: &QualifiedName, column: &str| {
        rebuilt.iter().any(|name| {
            from.view_dependencies(name)
                .is_some_and(|dependencies| dependencies.reads_column(table, column))
        })
    };
    for step in steps {
        let (table, column) = match &step.operation {
            Operation::AlterColumnType { table, to, .. }
            | Operation::AlterVectorColumn { table, to, .. } => (table.clone(), to.name.clone()),
            _ => continue,
        };
        let key = Key::ColumnType(table.clone(), column.clone());
        if read(&table, &column) && !step.produces.contains(&key) {
            step.removes.push(key.clone());
            step.produces.push(key);
        }
    }
}

/// The enums swapped, and the domains and composite types replaced (base
/// type, collation or an attribute's type changed): the columns holding
/// them change type under the views that read them.
fn replaced_types(from: &Schema, to: &Schema) -> BTreeSet<QualifiedName> {
    let mut replaced = super::enums::swapped(from, to);
    for (name, old) in &from.domains {
        if let Some(new) = to.domains.get(name) {
            if old.data_type != new.data_type || old.collation != new.collation {
                replaced.insert(name.clone());
            }
        }
    }
    for (name, old) in &from.composites {
        if let Some(new) = to.composites.get(name) {
            let types = |attributes: &[autogen_schema::Attribute]| -> Vec<(String, SqlType)> {
                attributes.iter().map(|a| (a.name.clone(), a.data_type.clone())).collect()
            };
            let old_types = types(&old.attributes);
            let retyped = types(&new.attributes).iter().any(|(attribute, data_type)| {
                old_types.iter().any(|(name, old)| name == attribute && old != data_type)
            });
            if retyped {
                replaced.insert(name.clone());
            }
        }
    }
    replaced
}

/// Whether values of `data_type` are of type `name` (or arrays of it).
fn holds(data_type: &SqlType, name: &QualifiedName) -> bool {
    matches!(data_type.element(), SqlType::UserDefined { name: used } if used == name)
}

/// Whether `CREATE OR REPLACE VIEW` turns `old` into `new`: its columns
/// kept, in order, with their types (known on both sides and the same: a
/// type not known is taken as changed), new ones only after them.
fn replaceable(old: &View, new: &View) -> bool {
    let type_of = |view: &View, position: usize| -> Option<SqlType> {
        view.depends_on.column_types.get(position).cloned().flatten()
    };
    old.columns.len() <= new.columns.len()
        && old.columns.iter().zip(&new.columns).enumerate().all(
            |(position, (old_column, new_column))| {
                old_column.name == new_column.name
                    && type_of(old, position)
                        .is_some_and(|old_type| Some(old_type) == type_of(new, position))
            },
        )
}

trait Named {
    fn columns_named(&self) -> Vec<&str>;
}

impl Named for MaterializedView {
    fn columns_named(&self) -> Vec<&str> {
        self.columns.iter().map(|column| column.name.as_str()).collect()
    }
}

/// The keys of what a view reads, in `schema`: a relation's (a table's,
/// view's or materialized view's), a table column's with its type's (and
/// the column's type as `Key::ColumnType`, which a type change removes and
/// makes again), a type's, a sequence's.
fn uses_keys(schema: &Schema, dependencies: &ViewDependencies) -> Vec<Key> {
    let mut keys = Vec::new();
    for uses in &dependencies.on {
        match uses {
            Uses::Relation(relation) => {
                if schema.tables.contains_key(relation) || schema.has_view(relation) {
                    keys.push(Key::Table(relation.clone()));
                }
            }
            Uses::Column(relation, column) => {
                if let Some(found) = schema.tables.get(relation).and_then(|t| t.column(column)) {
                    keys.push(Key::Column(relation.clone(), column.clone()));
                    keys.push(Key::ColumnType(relation.clone(), column.clone()));
                    keys.extend(type_keys(&found.data_type));
                } else if schema.has_view(relation) {
                    keys.push(Key::Table(relation.clone()));
                }
            }
            Uses::Type(type_name) => keys.push(Key::Type(type_name.clone())),
            Uses::Sequence(sequence) => keys.push(Key::Sequence(sequence.clone())),
            // Built-in ones are no step's: they order nothing.
            Uses::Function(function) if function.schema != "pg_catalog" => {
                keys.push(Key::Function(function.clone()))
            }
            Uses::Function(_) => {}
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

fn drop_view(from: &Schema, view: &View) -> Step {
    // Its triggers go with it: a trigger's function waits for it.
    let triggers = view.triggers.iter();
    Step::new(Operation::DropView(view.clone()))
        .removes([Key::Table(view.name.clone())])
        .removes(
            triggers.clone().map(|trigger| Key::Trigger(view.name.clone(), trigger.name.clone())),
        )
        .releases(
            triggers
                .filter(|trigger| trigger.function.schema != "pg_catalog")
                .map(|trigger| Key::Function(trigger.function.clone())),
        )
        .releases([Key::Schema(view.name.schema.clone())])
        .releases(uses_keys(from, &view.depends_on))
}

fn drop_materialized_view(from: &Schema, view: &MaterializedView) -> Step {
    Step::new(Operation::DropMaterializedView(view.clone()))
        .removes([Key::Table(view.name.clone())])
        .removes(view.indexes.iter().map(|index| index_key(&view.name, &index.name)))
        .releases([Key::Schema(view.name.schema.clone())])
        .releases(uses_keys(from, &view.depends_on))
}

fn create_view(to: &Schema, view: &View, steps: &mut Vec<Step>) {
    let mut created = view.clone();
    created.comment = None;
    for column in &mut created.columns {
        column.comment = None;
    }
    steps.push(
        Step::new(Operation::CreateView(created))
            .produces([Key::Table(view.name.clone())])
            .consumes([Key::Schema(view.name.schema.clone())])
            .consumes(uses_keys(to, &view.depends_on)),
    );
    comments(&view.name, false, (None, None), (&view.comment, &view.columns), steps);
}

/// The comments of a view or materialized view `name` that differ between
/// `old` (`None`: none, a view created) and `new`.
fn comments(
    name: &QualifiedName,
    materialized: bool,
    (old_comment, old_columns): (Option<&Option<String>>, Option<&[autogen_schema::ViewColumn]>),
    (new_comment, new_columns): (&Option<String>, &[autogen_schema::ViewColumn]),
    steps: &mut Vec<Step>,
) {
    if old_comment.unwrap_or(&None) != new_comment {
        steps.push(
            Step::new(Operation::CommentView {
                name: name.clone(),
                materialized,
                comment: new_comment.clone(),
            })
            .consumes([Key::Table(name.clone())]),
        );
    }
    for column in new_columns {
        let before = old_columns
            .and_then(|columns| columns.iter().find(|old| old.name == column.name))
            .and_then(|old| old.comment.clone());
        if before != column.comment {
            let mut step = comment_column(name, &column.name, &column.comment);
            step.consumes = vec![Key::Table(name.clone())];
            steps.push(step);
        }
    }
}

/// What `CREATE OR REPLACE VIEW` changes of a view: its columns' names
/// and its query.
fn definition(view: &View) -> (Vec<&str>, &autogen_schema::Rewritten) {
    let names: Vec<&str> = view.columns.iter().map(|column| column.name.as_str()).collect();
    (names, &view.query)
}

fn alter_view(from: &Schema, to: &Schema, old: &View, new: &View, steps: &mut Vec<Step>) {
    if definition(old) != definition(new) || old.depends_on.stale {
        let mut replaced = new.clone();
        replaced.comment = None;
        steps.push(
            Step::new(Operation::ReplaceView { from: old.clone(), to: replaced })
                .consumes([Key::Table(new.name.clone())])
                .consumes(uses_keys(to, &new.depends_on))
                .releases(uses_keys(from, &old.depends_on)),
        );
    } else if old.all_options() != new.all_options() {
        let (set, reset) = option_changes(&old.all_options(), &new.all_options());
        steps.push(
            Step::new(Operation::SetViewOptions {
                name: new.name.clone(),
                materialized: false,
                set,
                reset,
            })
            .consumes([Key::Table(new.name.clone())]),
        );
    }
    comments(
        &new.name,
        false,
        (Some(&old.comment), Some(&old.columns)),
        (&new.comment, &new.columns),
        steps,
    );
}

/// The options to set and to reset to go from `old` to `new`.
fn option_changes(
    old: &[(String, String)],
    new: &[(String, String)],
) -> (Vec<(String, String)>, Vec<String>) {
    let set: Vec<(String, String)> =
        new.iter().filter(|option| !old.contains(option)).cloned().collect();
    let reset: Vec<String> = old
        .iter()
        .filter(|(name, _)| !new.iter().any(|(other, _)| other == name))
        .map(|(name, _)| name.clone())
        .collect();
    (set, reset)
}

/// A materialized view's columns as a table's, for its indexes (their
/// types are not modelled and not needed: an index names them).
fn as_table(view: &MaterializedView) -> Table {
    let mut table = Table::new(view.name.clone());
    table.columns =
        view.columns.iter().map(|column| Column::new(column.name.clone(), SqlType::Text)).collect();
    table.indexes = view.indexes.clone();
    table
}

fn create_materialized_view(
    to: &Schema,
    view: &MaterializedView,
    rebuilt: bool,
    steps: &mut Vec<Step>,
) {
    let mut created = view.clone();
    created.comment = None;
    created.indexes.clear();
    for column in &mut created.columns {
        column.comment = None;
    }
    let again = rebuilt && !view.with_no_data;
    let mut step = Step::new(Operation::CreateMaterializedView { view: created, again })
        .produces([Key::Table(view.name.clone())])
        .consumes([Key::Schema(view.name.schema.clone())])
        .consumes(uses_keys(to, &view.depends_on));
    if again {
        step = step.hazard(Hazard::BlockingLock);
    }
    steps.push(step);
    let table = as_table(view);
    for index in &view.indexes {
        steps.push(indexes::create_index(to, &table, index, false));
    }
    comments(&view.name, true, (None, None), (&view.comment, &view.columns), steps);
}

fn alter_materialized_view(
    from: &Schema,
    to: &Schema,
    old: &MaterializedView,
    new: &MaterializedView,
    steps: &mut Vec<Step>,
) {
    if old.with != new.with {
        let (set, reset) = option_changes(&old.with, &new.with);
        steps.push(
            Step::new(Operation::SetViewOptions {
                name: new.name.clone(),
                materialized: true,
                set,
                reset,
            })
            .consumes([Key::Table(new.name.clone())]),
        );
    }
    if old.with_no_data != new.with_no_data {
        let mut step = Step::new(Operation::RefreshMaterializedView {
            name: new.name.clone(),
            with_data: !new.with_no_data,
        })
        .hazard(Hazard::BlockingLock)
        .consumes([Key::Table(new.name.clone())]);
        if new.with_no_data {
            // Emptied, it cannot be queried until refreshed again.
            step = step.hazard(Hazard::DataLoss);
        }
        steps.push(step);
    }
    indexes::diff_table(
        (from, to),
        (&as_table(old), &as_table(new)),
        &|_| false,
        &|_| false,
        steps,
    );
    comments(
        &new.name,
        true,
        (Some(&old.comment), Some(&old.columns)),
        (&new.comment, &new.columns),
        steps,
    );
}

/// `ALTER [MATERIALIZED] VIEW old RENAME TO new`, as a hint asks.
pub(crate) fn rename_view(old: &QualifiedName, new: &str, materialized: bool) -> Step {
    Step::new(Operation::RenameView { old: old.clone(), new: new.to_owned(), materialized })
        .removes([Key::Table(old.clone())])
        .produces([Key::Table(QualifiedName::new(old.schema.clone(), new))])
}

/// `VIEW` or `MATERIALIZED VIEW`.
fn kind(materialized: bool) -> &'static str {
    if materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    }
}

impl Family for Views {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::CreateView(view) => format!("create view {}", view.name),
            Operation::DropView(view) => format!("drop view {}", view.name),
            Operation::ReplaceView { to, .. } => format!("replace view {}", to.name),
            Operation::SetViewOptions { name, materialized: false, .. } => {
                format!("set options of view {name}")
            }
            Operation::SetViewOptions { name, materialized: true, .. } => {
                format!("set storage parameters of materialized view {name}")
            }
            Operation::CreateMaterializedView { view, .. } => {
                format!("create materialized view {}", view.name)
            }
            Operation::DropMaterializedView(view) => {
                format!("drop materialized view {}", view.name)
            }
            Operation::RefreshMaterializedView { name, with_data: true } => {
                format!("refresh materialized view {name}")
            }
            Operation::RefreshMaterializedView { name, with_data: false } => {
                format!("empty materialized view {name} (WITH NO DATA)")
            }
            Operation::RenameView { old, new, materialized } => {
                let what = if *materialized { "materialized view" } else { "view" };
                format!("rename {what} {old} to {}", quote_ident(new))
            }
            Operation::CommentView { name, materialized, .. } => {
                let what = if *materialized { "materialized view" } else { "view" };
                format!("comment on {what} {name}")
            }
            other => super::not_mine("views", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::DropView(_) | Operation::DropMaterializedView(_) => Phase::DropViews,
            Operation::RenameView { .. } => Phase::Renames,
            Operation::CommentView { .. } => Phase::TableComments,
            _ => Phase::CreateViews,
        }
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::CreateView(view) => vec![view.create_sql(false)],
            Operation::ReplaceView { to, .. } => vec![to.create_sql(true)],
            Operation::DropView(view) => vec![format!("DROP VIEW {};", view.name)],
            Operation::SetViewOptions { name, materialized, set, reset } => {
                let mut statements = Vec::new();
                if !set.is_empty() {
                    statements.push(format!(
                        "ALTER {} {name} SET ({});",
                        kind(*materialized),
                        parameter_list(set)
                    ));
                }
                if !reset.is_empty() {
                    let names: Vec<String> = reset.iter().map(|name| quote_ident(name)).collect();
                    statements.push(format!(
                        "ALTER {} {name} RESET ({});",
                        kind(*materialized),
                        names.join(", ")
                    ));
                }
                statements
            }
            Operation::CreateMaterializedView { view, .. } => vec![view.create_sql()],
            Operation::DropMaterializedView(view) => {
                vec![format!("DROP MATERIALIZED VIEW {};", view.name)]
            }
            Operation::RefreshMaterializedView { name, with_data } => {
                let no_data = if *with_data { "" } else { " WITH NO DATA" };
                vec![format!("REFRESH MATERIALIZED VIEW {name}{no_data};")]
            }
            Operation::RenameView { old, new, materialized } => {
                vec![format!("ALTER {} {old} RENAME TO {};", kind(*materialized), quote_ident(new))]
            }
            Operation::CommentView { name, materialized, comment } => {
                let text = comment.as_deref().map_or_else(|| "NULL".to_owned(), quote_literal);
                vec![format!("COMMENT ON {} {name} IS {text};", kind(*materialized))]
            }
            other => super::not_mine("views", other),
        }
    }

    fn note(&self, operation: &Operation) -> Option<String> {
        match operation {
            Operation::CreateMaterializedView { again: true, .. } => Some(
                "-- runs the query to fill the materialized view again; it is locked \
                 (ACCESS EXCLUSIVE) until the migration commits"
                    .to_owned(),
            ),
            Operation::RefreshMaterializedView { with_data: true, .. } => Some(
                "-- runs the query again to fill the materialized view; readers wait until it is \
                 done"
                    .to_owned(),
            ),
            Operation::RefreshMaterializedView { with_data: false, .. } => Some(
                "-- empties the materialized view (WITH NO DATA, as declared): it cannot be \
                 queried until REFRESH MATERIALIZED VIEW fills it again"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}
