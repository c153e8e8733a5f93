//! Applying DDL statements to a [`Schema`] in memory: what PostgreSQL would
//! do to its catalog, down to the names it chooses for unnamed objects.
//! Declared schema files and migration scripts go through the same code:
//! parsing a schema is replaying it onto an empty one.

mod triggers;

use std::collections::BTreeMap;

use autogen_schema::storage::{has_toast_table, needs_toast_table, type_storage, Layout};
use autogen_schema::CommentTarget as On;
use autogen_schema::{naming, ReplicaIdentity, Statistics, StatisticsKind, Storage};
use autogen_schema::{
    Attribute, CheckConstraint, Collation, CollationProvider, CollationUser, Column, CompositeType,
    Deferrable, Dependency, Domain, DomainCheck, EnumType, ExclusionConstraint, ExclusionElement,
    Extension, ForeignKey, Identity, Index, IndexKey, IndexMethod, IndexTarget, OperatorClass,
    OwnedSequence, PrimaryKey, QualifiedName, Reference, Schema, Sequence, SequenceOptions,
    SqlType, Table, UniqueConstraint, UnmodelledObject,
};

use crate::ddl::{
    self, AlterCollation, AlterDomain, AlterStatistics, AlterTable, AlterType, AttributeAction,
    CollationDefinition, ColumnChange, ColumnDef, CommentTarget, Constraint, ConstraintKind,
    CreateIndex, CreateStatistics, Ddl, DropKind, IndexElement, Name, TableElement,
};
use crate::expr::{self, Relations as _, Scope};
use crate::names::{constraint_names, NameIndex};
use crate::references::References;
use crate::types::column_type;
use sqlparser::ast::Expr;

mod partitions;
mod privileges;
mod routines;
mod views;

/// The state of a replay: the schema so far (sequences no column owns
/// included), the search path.
#[derive(Debug, Clone)]
pub struct Builder {
    pub schema: Schema,
    search_path: Vec<String>,
    /// The search path `SET search_path` (not LOCAL) left, to return to at
    /// the end of a script.
    session_search_path: Vec<String>,
    /// The names the tables take; every change to a table marks it here.
    names: NameIndex,
    /// The tables the running statement changed, as they were before it
    /// (`None`: the table did not exist): what a failing statement puts
    /// back, so that it changes nothing without the schema being copied
    /// for every statement.
    undo: BTreeMap<QualifiedName, Option<Table>>,
    /// Relations the model does not describe, what they are (`views`,
    /// `partitions`…) and what they depend on: statements about them are
    /// left out with a warning.
    unmodelled: BTreeMap<QualifiedName, Outside>,
    /// Routines left out (created with what the model does not describe):
    /// statements about them are left out too.
    unmodelled_routines: std::collections::BTreeSet<QualifiedName>,
    /// The views the running statement changed, as they were before it.
    view_undo: views::Undo,
    /// What partitions and children hold as their parents' (left out of
    /// the model, as the catalog readers leave it out).
    inherited: partitions::Inherited,
}

/// A relation the model does not describe.
#[derive(Debug, Clone, PartialEq)]
struct Outside {
    /// As the reader's warning says it: `views`, `partitioned tables` …
    what: String,
    depends_on: Vec<Dependency>,
}

impl expr::Relations for Builder {
    /// Whether a relation (table, index, sequence, or one the model does
    /// not describe) called `name` exists in `schema`: what
    /// `ChooseRelationName` checks and a `regclass` literal finds.
    fn relation_exists(&self, schema: &str, name: &str) -> bool {
        let qualified = QualifiedName::new(schema, name);
        self.schema.tables.contains_key(&qualified)
            || self.schema.sequences.contains_key(&qualified)
            || self.schema.composites.contains_key(&qualified)
            || self.unmodelled.contains_key(&qualified)
            || self.view_relation_exists(&qualified)
            || self.names.relation_taken(&self.schema.tables, &qualified)
            || self.inherited_relation(&qualified)
    }
}

/// What applying one statement says besides its effect.
pub type Outcome = Result<Vec<String>, Refusal>;

/// Why a statement was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// PostgreSQL would refuse it too.
    Error(String),
    /// It is about a relation the model does not describe.
    LeftOut(String),
}

/// What a statement may change besides tables, put aside before it runs.
struct Aside {
    schemas: std::collections::BTreeSet<String>,
    extensions: BTreeMap<String, Extension>,
    enums: BTreeMap<QualifiedName, EnumType>,
    domains: BTreeMap<QualifiedName, Domain>,
    composites: BTreeMap<QualifiedName, CompositeType>,
    collations: BTreeMap<QualifiedName, Collation>,
    search_path: Vec<String>,
    session_search_path: Vec<String>,
    sequences: BTreeMap<QualifiedName, Sequence>,
    unmodelled: BTreeMap<QualifiedName, Outside>,
}

impl Builder {
    /// Starts from `schema` (an empty schema has `public`, as a new
    /// database does).
    pub fn new(mut schema: Schema) -> Self {
        if schema.schemas.is_empty() {
            schema.schemas.insert("public".to_owned());
        }
        let unmodelled = std::mem::take(&mut schema.unmodelled.objects)
            .into_iter()
            .filter(|object| object.relation)
            .map(|object| {
                let name = QualifiedName::new(object.schema, object.name);
                (name, Outside { what: object.kind, depends_on: object.depends_on })
            })
            .collect();
        Self {
            names: NameIndex::new(&schema.tables),
            schema,
            search_path: vec!["public".to_owned()],
            session_search_path: vec!["public".to_owned()],
            undo: BTreeMap::new(),
            unmodelled,
            unmodelled_routines: Default::default(),
            view_undo: views::Undo::default(),
            inherited: Default::default(),
        }
    }

    /// The schema, with constraints and indexes in canonical order, and
    /// the relations it holds that the model does not describe.
    pub fn finish(mut self) -> Schema {
        for table in self.schema.tables.values_mut() {
            table.sort();
            // What it has from its parents, by the names given it.
            if !table.parents().is_empty() {
                let mut from_parents = (self.inherited.remove(&table.name))
                    .unwrap_or_else(|| autogen_schema::Table::new(table.name.clone()));
                from_parents.sort();
                table.from_parents = autogen_schema::partitions::FromParents::known(from_parents);
            }
        }
        self.schema.unmodelled.objects = self
            .unmodelled
            .into_iter()
            .map(|(name, outside)| UnmodelledObject {
                kind: one_of(&outside.what),
                schema: name.schema,
                name: name.name,
                relation: true,
                depends_on: outside.depends_on,
            })
            .collect();
        self.schema
    }

    /// A script ended: its transaction's `SET LOCAL` ends with it.
    pub fn end_script(&mut self) {
        self.search_path = self.session_search_path.clone();
    }

    /// Applies one statement. On error nothing of it is applied; the `Ok`
    /// value holds warnings (an expression autogen cannot be sure of).
    pub fn apply(&mut self, statement: &Ddl) -> Outcome {
        if let Some(message) = self.about_unmodelled(statement) {
            return Err(Refusal::LeftOut(message));
        }
        if let Some(message) = self.routine_left_out(statement) {
            return Err(Refusal::LeftOut(message));
        }
        // Routines change with the statements that may change them.
        let changes_routines = self.may_change_routines(statement);
        let routines_aside = changes_routines
            .then(|| (self.schema.functions.clone(), self.schema.aggregates.clone()));
        // The statements of a schema file change only tables: nothing else
        // is put aside for them.
        let tables_only = matches!(
            statement,
            Ddl::CreateTable { .. }
                | Ddl::CreateIndex(_)
                | Ddl::AttachIndex { .. }
                | Ddl::AlterTable { .. }
                | Ddl::AlterIndexRename { .. }
                | Ddl::Comment { .. }
                | Ddl::CreateStatistics(_)
                | Ddl::AlterStatistics { .. }
                | Ddl::Cluster { .. }
                | Ddl::Trigger(_)
                | Ddl::Policy(_)
                | Ddl::Privileges(_)
                | Ddl::Nothing
        );
        let aside = (!tables_only).then(|| Aside {
            schemas: self.schema.schemas.clone(),
            extensions: self.schema.extensions.clone(),
            enums: self.schema.enums.clone(),
            domains: self.schema.domains.clone(),
            composites: self.schema.composites.clone(),
            collations: self.schema.collations.clone(),
            search_path: self.search_path.clone(),
            session_search_path: self.session_search_path.clone(),
            sequences: self.schema.sequences.clone(),
            unmodelled: self.unmodelled.clone(),
        });
        // Comments change with what they describe (renamed, dropped): kept
        // aside whenever there are any.
        let comments_aside = (!self.schema.comments.is_empty()
            || matches!(statement, Ddl::Comment { .. }))
        .then(|| self.schema.comments.clone());
        let inherited_aside = (!self.inherited.is_empty()).then(|| self.inherited.clone());
        #[cfg(debug_assertions)]
        let before = self.clone();
        let mut warnings = Vec::new();
        let result = self.apply_in_place(statement, &mut warnings);
        match result {
            Ok(()) => {
                // A comment goes with its object.
                self.schema.forget_orphan_comments();
                // What named a dropped index goes with it.
                for name in std::mem::take(&mut self.undo).into_keys() {
                    if let Some(table) = self.schema.tables.get_mut(&name) {
                        table.forget_dropped_indexes();
                    }
                }
                self.names.catch_up(&self.schema.tables);
                self.keep_view_changes();
            }
            Err(_) => {
                self.inherited = inherited_aside.unwrap_or_default();
                self.undo_view_changes();
                for (name, table) in std::mem::take(&mut self.undo) {
                    match table {
                        Some(table) => self.schema.tables.insert(name, table),
                        None => self.schema.tables.remove(&name),
                    };
                }
                self.names.forget_changes();
                if let Some(comments) = comments_aside {
                    self.schema.comments = comments;
                }
                if let Some((functions, aggregates)) = routines_aside {
                    self.schema.functions = functions;
                    self.schema.aggregates = aggregates;
                }
                if let Some(aside) = aside {
                    self.schema.schemas = aside.schemas;
                    self.schema.extensions = aside.extensions;
                    self.schema.enums = aside.enums;
                    self.schema.domains = aside.domains;
                    self.schema.composites = aside.composites;
                    self.schema.collations = aside.collations;
                    self.search_path = aside.search_path;
                    self.session_search_path = aside.session_search_path;
                    self.schema.sequences = aside.sequences;
                    self.unmodelled = aside.unmodelled;
                }
            }
        }
        #[cfg(debug_assertions)]
        {
            let unchanged = |builder: &Self| {
                (&builder.schema.schemas, &builder.schema.extensions, &builder.schema.enums)
                    == (&before.schema.schemas, &before.schema.extensions, &before.schema.enums)
                    && builder.schema.domains == before.schema.domains
                    && builder.schema.composites == before.schema.composites
                    && builder.schema.collations == before.schema.collations
                    && (&builder.search_path, &builder.session_search_path)
                        == (&before.search_path, &before.session_search_path)
                    && builder.schema.sequences == before.schema.sequences
                    && builder.unmodelled == before.unmodelled
            };
            let routines_unchanged = self.schema.functions == before.schema.functions
                && self.schema.aggregates == before.schema.aggregates;
            if result.is_err() || !changes_routines {
                assert!(routines_unchanged, "a statement changed routines it should not have");
            }
            if result.is_err() {
                assert!(unchanged(self), "a failing statement changed more than tables");
                assert!(
                    self.schema.tables == before.schema.tables,
                    "a failing statement changed a table"
                );
                assert!(
                    self.schema.views == before.schema.views
                        && self.schema.materialized_views == before.schema.materialized_views,
                    "a failing statement changed a view"
                );
            } else if tables_only {
                assert!(unchanged(self), "a statement said to change only tables changed more");
            }
        }
        result.map(|()| warnings).map_err(Refusal::Error)
    }

    /// Why `statement` is about a relation the model does not describe
    /// (an index on a materialized view, a constraint on a partitioned
    /// table, a comment on a view), if it is.
    fn about_unmodelled(&self, statement: &Ddl) -> Option<String> {
        if let Ddl::AlterView { action: ddl::AlterView::Unmodelled(what), .. } = statement {
            return Some(format!("autogen does not model {what} yet; left out"));
        }
        let target = match statement {
            Ddl::CreateIndex(index) => &index.table,
            Ddl::CreateStatistics(statistics) => &statistics.table,
            Ddl::Cluster { table, .. } => table,
            Ddl::AlterTable { name, .. } => name,
            Ddl::Comment { target: CommentTarget::Table, name, .. } => name,
            Ddl::Comment { target: CommentTarget::Column, name, .. } => {
                &Name(name.0[..name.0.len().saturating_sub(1)].to_vec())
            }
            Ddl::Comment { target: CommentTarget::Constraint { on, domain: false }, .. } => on,
            Ddl::Comment {
                target: CommentTarget::Trigger { on } | CommentTarget::Policy { on },
                ..
            } => on,
            Ddl::Comment { target, name, .. } => return self.comment_left_out(target, name),
            Ddl::Trigger(
                ddl::TriggerStatement::Create(ddl::CreateTrigger { table, .. })
                | ddl::TriggerStatement::Rename { table, .. }
                | ddl::TriggerStatement::Drop { table, .. },
            ) => table,
            Ddl::Policy(
                ddl::PolicyStatement::Create(ddl::CreatePolicy { table, .. })
                | ddl::PolicyStatement::Alter { table, .. }
                | ddl::PolicyStatement::Rename { table, .. }
                | ddl::PolicyStatement::Drop { table, .. },
            ) => table,
            _ => return None,
        };
        if self.find_table(target).is_some() {
            return None;
        }
        let about_trigger_or_policy = matches!(
            statement,
            Ddl::Trigger(_)
                | Ddl::Policy(_)
                | Ddl::Comment {
                    target: CommentTarget::Trigger { .. } | CommentTarget::Policy { .. },
                    ..
                }
        );
        // A trigger of a view is the view's; a trigger of a materialized
        // view or a policy of either is refused as PostgreSQL refuses it.
        if about_trigger_or_policy && self.find_view(target).is_some() {
            return None;
        }
        let found = self.lookup(target, |qualified| self.unmodelled.contains_key(qualified))?;
        Some(format!(
            "`{found}` is not modelled by autogen yet ({}); left out",
            self.unmodelled[&found].what
        ))
    }

    fn apply_in_place(
        &mut self,
        statement: &Ddl,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        match statement {
            Ddl::Nothing => Ok(()),
            Ddl::Privileges(statement) => self.apply_privileges(statement),
            Ddl::CreateView(statement) => self.create_view(statement),
            Ddl::AlterView { name, if_exists, materialized, action } => {
                self.alter_view(name, *if_exists, *materialized, action)
            }
            Ddl::RefreshMaterializedView { name, with_data } => self.refresh(name, *with_data),
            Ddl::SetAside { name, what, attached, references } => {
                let mut depends_on = self.dependencies(references);
                let qualified = match self.find_table(name) {
                    Some(table) if *attached => {
                        let attached = self.remove_table(&table);
                        depends_on.extend(self.table_dependencies(&attached));
                        table
                    }
                    _ => self.new_name(name)?,
                };
                depends_on.sort();
                depends_on.dedup();
                self.unmodelled.insert(qualified, Outside { what: what.clone(), depends_on });
                Ok(())
            }
            Ddl::DropSetAside { names } => {
                for name in names {
                    if let Some(found) =
                        self.lookup(name, |qualified| self.unmodelled.contains_key(qualified))
                    {
                        self.unmodelled.remove(&found);
                    }
                }
                Ok(())
            }
            Ddl::SetSearchPath { schemas, local } => {
                // `$user` names a schema only when one is called like the
                // role; autogen's sessions have none.
                let schemas: Vec<String> =
                    schemas.iter().filter(|schema| *schema != "$user").cloned().collect();
                if !local {
                    self.session_search_path = schemas.clone();
                }
                self.search_path = schemas;
                Ok(())
            }
            Ddl::CreateSchema { name, if_not_exists } => {
                if !self.schema.schemas.insert(name.clone()) && !if_not_exists {
                    return Err(format!("schema `{name}` already exists"));
                }
                Ok(())
            }
            Ddl::AlterExtensionUpdate { name, version } => {
                let Some(extension) = self.schema.extensions.get_mut(name) else {
                    return Err(format!("extension `{name}` does not exist"));
                };
                extension.version = version.clone();
                Ok(())
            }
            Ddl::CreateExtension { name, if_not_exists, schema, version } => {
                if self.schema.extensions.contains_key(name) {
                    return match if_not_exists {
                        true => Ok(()),
                        false => Err(format!("extension `{name}` already exists")),
                    };
                }
                let schema = match schema {
                    Some(schema) => self.existing_schema(schema)?,
                    None => self.creation_schema()?,
                };
                self.schema.add_extension(Extension {
                    name: name.clone(),
                    schema,
                    version: version.clone(),
                });
                Ok(())
            }
            Ddl::CreateEnum { name, labels } => {
                let name = self.new_name(name)?;
                if self.schema.enums.contains_key(&name) {
                    return Err(format!("type `{name}` already exists"));
                }
                for (index, label) in labels.iter().enumerate() {
                    if labels[..index].contains(label) {
                        return Err(format!("enum label `{label}` is given twice"));
                    }
                }
                self.schema.add_enum(EnumType { name, labels: labels.clone() });
                Ok(())
            }
            Ddl::CreateDomain { name, data_type, collation, default, not_null, checks } => {
                let name = self.new_name(name)?;
                if self.type_exists(&name) {
                    return Err(format!("type `{name}` already exists"));
                }
                let (data_type, serial) = self.resolve_type(data_type)?;
                if let Some(serial) = serial {
                    return Err(format!("type `{serial}` does not exist"));
                }
                let mut domain = Domain {
                    name,
                    data_type,
                    collation: self.collation(collation.as_ref())?,
                    default: None,
                    not_null: *not_null == Some(true),
                    checks: Vec::new(),
                };
                if let Some(default) = default {
                    domain.default = Some(self.domain_default(&domain, default)?);
                }
                for (check_name, expression) in checks {
                    self.add_domain_check(&mut domain, check_name.as_deref(), expression, false)?;
                }
                self.schema.add_domain(domain);
                Ok(())
            }
            Ddl::AlterDomain { name, action } => self.alter_domain(name, action),
            Ddl::CreateCollation { name, if_not_exists, definition } => {
                self.create_collation(name, *if_not_exists, definition)
            }
            Ddl::AlterCollation { name, action } => self.alter_collation(name, action),
            Ddl::CreateComposite { name, attributes } => {
                let name = self.new_name(name)?;
                if self.type_exists(&name) {
                    return Err(format!("type `{name}` already exists"));
                }
                let mut composite = CompositeType { name, attributes: Vec::new() };
                for definition in attributes {
                    if composite.attribute(&definition.name).is_some() {
                        return Err(format!(
                            "column `{}` specified more than once",
                            definition.name
                        ));
                    }
                    composite.attributes.push(self.attribute(definition)?);
                }
                self.schema.add_composite(composite);
                Ok(())
            }
            Ddl::CreateTable {
                name,
                if_not_exists,
                unlogged,
                elements,
                with,
                partition_by,
                partition_of,
                inherits,
            } => {
                let name = self.new_name(name)?;
                if self.relation_exists(&name.schema, &name.name) {
                    if *if_not_exists && self.schema.tables.contains_key(&name) {
                        return Ok(());
                    }
                    return Err(format!("relation `{name}` already exists"));
                }
                let (with, toast_with) = crate::parameters::sort_out(with)?;
                match partition_of {
                    Some(of) => {
                        self.create_partition(name.clone(), *unlogged, elements, of, warnings)?
                    }
                    None if !inherits.is_empty() => self.create_inheriting(
                        name.clone(),
                        *unlogged,
                        elements,
                        inherits,
                        warnings,
                    )?,
                    None => self.create_table(name.clone(), *unlogged, elements, warnings)?,
                }
                if let Some(spec) = partition_by {
                    self.set_partition_by(&name, spec, warnings)?;
                }
                // Without a TOAST table PostgreSQL keeps no `toast.` parameter.
                let toasted = needs_toast_table(self.table(&name), &self.schema.enums);
                let table = self.table_mut(&name);
                table.with = with;
                table.with.sort();
                if toasted {
                    table.toast_with = toast_with;
                    table.toast_with.sort();
                }
                Ok(())
            }
            Ddl::CreateStatistics(statistics) => self.create_statistics(statistics, warnings),
            Ddl::AlterStatistics { name, if_exists, action } => {
                self.alter_statistics(name, *if_exists, action, warnings)
            }
            Ddl::Cluster { table, index } => {
                let Some(table_name) = self.find_table(table) else {
                    return Err(format!("relation `{table}` does not exist"));
                };
                self.cluster_on(&table_name, index)
            }
            Ddl::CreateIndex(index) => {
                let table = self.find_table(&index.table);
                let before = table.as_ref().map_or(0, |table| self.table(table).indexes.len());
                self.create_index(index, warnings)?;
                if let Some(table) = table {
                    self.created_index_reaches_partitions(index, &table, before);
                }
                Ok(())
            }
            Ddl::CreateSequence { name, if_not_exists, unlogged, options } => {
                let name = self.new_name(name)?;
                if *unlogged {
                    warnings.push(format!(
                        "autogen does not model a sequence's persistence: `{name}` is read as \
                         logged (one a column of an unlogged table owns is unlogged with it)"
                    ));
                }
                if self.relation_exists(&name.schema, &name.name) {
                    if *if_not_exists {
                        return Ok(());
                    }
                    return Err(format!("relation `{name}` already exists"));
                }
                let data_type = match &options.data_type {
                    Some(data_type) => self.sequence_type(data_type)?,
                    None => SqlType::BigInt,
                };
                let written = options;
                let options = sequence_options(&data_type, &SequenceOptions::default(), written)?;
                self.schema.add_sequence(Sequence { name: name.clone(), data_type, options });
                if let Some(owner) = &written.owned_by {
                    self.own_sequence(&name, owner.as_ref())?;
                }
                Ok(())
            }
            Ddl::AlterSequence { name, if_exists, options } => {
                self.alter_sequence(name, *if_exists, options)
            }
            Ddl::AlterSequenceRename { name, if_exists, new_name } => {
                self.rename_sequence(name, *if_exists, new_name)
            }
            Ddl::AttachIndex { index, partition_index } => {
                self.attach_index(index, partition_index)
            }
            Ddl::AlterTable { name, if_exists, only, actions } => {
                let Some(mut table_name) = self.find_table(name) else {
                    if let Some(result) = self.alter_table_on_view(name, actions) {
                        return result;
                    }
                    return match if_exists {
                        true => Ok(()),
                        false => Err(format!("relation `{name}` does not exist")),
                    };
                };
                for action in actions {
                    table_name =
                        self.alter_table_and_children(table_name, *only, action, warnings)?;
                }
                Ok(())
            }
            Ddl::AlterType { name, action } => self.alter_type(name, action),
            Ddl::AlterIndexRename { name, if_exists, new_name } => {
                let Some((table, index)) = self.find_index(name) else {
                    if let Some((view, index)) = self.find_materialized_index(name) {
                        return self.rename_materialized_index(&view, &index, new_name);
                    }
                    return match if_exists {
                        true => Ok(()),
                        false => Err(format!("index `{name}` does not exist")),
                    };
                };
                self.rename_index(&table, &index, new_name)
            }
            Ddl::Drop {
                kind: kind @ (DropKind::View | DropKind::MaterializedView),
                if_exists,
                names,
                cascade,
            } => self.drop_views(*kind, *if_exists, names, *cascade),
            Ddl::Drop { kind, if_exists, names, cascade } => {
                for name in names {
                    self.drop(*kind, *if_exists, name, *cascade)?;
                }
                Ok(())
            }
            Ddl::Comment { target, name, comment } => self.comment(target, name, comment),
            Ddl::CreateFunction(_)
            | Ddl::CreateAggregate(_)
            | Ddl::AlterRoutine { .. }
            | Ddl::DropRoutines { .. }
            | Ddl::CommentRoutine { .. } => self.apply_routine(statement, warnings),
            Ddl::Trigger(statement) => self.trigger_statement(statement, warnings),
            Ddl::Policy(statement) => self.policy_statement(statement, warnings),
        }
    }

    // ----- names -------------------------------------------------------

    /// The schema objects are created in: the first schema of the search
    /// path that exists.
    fn creation_schema(&self) -> Result<String, String> {
        self.search_path
            .iter()
            .find(|schema| self.schema.schemas.contains(*schema))
            .cloned()
            .ok_or_else(|| {
                "no schema has been selected to create in (the search_path is empty \
                 or names no existing schema); qualify the name"
                    .to_owned()
            })
    }

    fn existing_schema(&self, schema: &str) -> Result<String, String> {
        if self.schema.schemas.contains(schema) {
            Ok(schema.to_owned())
        } else {
            Err(format!("schema `{schema}` does not exist"))
        }
    }

    /// The qualified name a new object called `name` gets.
    fn new_name(&self, name: &Name) -> Result<QualifiedName, String> {
        let schema = match name.schema() {
            Some(schema) => self.existing_schema(schema)?,
            None => self.creation_schema()?,
        };
        if name.0.len() > 2 {
            return Err(format!("`{name}`: cross-database references are not implemented"));
        }
        Ok(QualifiedName::new(schema, name.object()))
    }

    /// Looks a table up through the search path.
    fn find_table(&self, name: &Name) -> Option<QualifiedName> {
        self.lookup(name, |qualified| self.schema.tables.contains_key(qualified))
    }

    fn lookup(
        &self,
        name: &Name,
        mut exists: impl FnMut(&QualifiedName) -> bool,
    ) -> Option<QualifiedName> {
        match name.schema() {
            Some(schema) => {
                let qualified = QualifiedName::new(schema, name.object());
                exists(&qualified).then_some(qualified)
            }
            None => self
                .search_path
                .iter()
                .map(|schema| QualifiedName::new(schema.clone(), name.object()))
                .find(|qualified| exists(qualified)),
        }
    }

    fn table(&self, name: &QualifiedName) -> &Table {
        &self.schema.tables[name]
    }

    /// Every change to a table goes through here first: the table is
    /// marked for the name index and kept as it was, for a failure.
    fn touch(&mut self, name: &QualifiedName) {
        self.names.mark(name);
        if !self.undo.contains_key(name) {
            self.undo.insert(name.clone(), self.schema.tables.get(name).cloned());
        }
    }

    fn table_mut(&mut self, name: &QualifiedName) -> &mut Table {
        self.touch(name);
        self.schema.tables.get_mut(name).expect("a table found before")
    }

    fn insert_table(&mut self, table: Table) {
        self.touch(&table.name);
        self.schema.add_table(table);
    }

    fn remove_table(&mut self, name: &QualifiedName) -> Table {
        self.touch(name);
        self.schema.tables.remove(name).expect("a table found before")
    }

    /// Applies `change` to every table, touching those it changes
    /// (renames reach into foreign keys, defaults and expressions).
    fn change_every_table(&mut self, mut change: impl FnMut(&mut Table)) {
        let names: Vec<QualifiedName> = self.schema.tables.keys().cloned().collect();
        for name in names {
            let mut table = self.schema.tables[&name].clone();
            change(&mut table);
            if table != self.schema.tables[&name] {
                *self.table_mut(&name) = table;
            }
        }
    }

    /// Whether a constraint called `name` exists in `schema`: what
    /// `ChooseConstraintName` checks.
    fn constraint_exists(&self, schema: &str, name: &str) -> bool {
        self.names.constraint_taken(&self.schema.tables, &QualifiedName::new(schema, name))
    }

    /// Where an unqualified type called `name` lives: an enum on the search
    /// path, an extension's type, or else the first schema of the path.
    fn type_schema(&self, name: &str) -> String {
        for schema in &self.search_path {
            let qualified = QualifiedName::new(schema.clone(), name);
            if self.schema.enums.contains_key(&qualified)
                || self.schema.domains.contains_key(&qualified)
                || self.schema.composites.contains_key(&qualified)
            {
                return schema.clone();
            }
        }
        if let Some(extension) = extension_of_type(name) {
            if let Some(extension) = self.schema.extensions.get(extension) {
                return extension.schema.clone();
            }
        }
        self.creation_schema().unwrap_or_else(|_| "public".to_owned())
    }

    fn resolve_type(
        &self,
        data_type: &sqlparser::ast::DataType,
    ) -> Result<(SqlType, Option<&'static str>), String> {
        let resolved = column_type(data_type, &|name: &str| self.type_schema(name))?;
        self.check_type_exists(&resolved.data_type)?;
        Ok((resolved.data_type, resolved.serial))
    }

    fn check_type_exists(&self, data_type: &SqlType) -> Result<(), String> {
        match data_type.element() {
            SqlType::Vector { kind, .. } if self.schema.vector_extension().is_none() => {
                Err(format!(
                    "type `{}` does not exist: it comes with `CREATE EXTENSION vector`",
                    kind.type_name()
                ))
            }
            _ => Ok(()),
        }
    }

    fn sequence_type(&self, data_type: &sqlparser::ast::DataType) -> Result<SqlType, String> {
        let (data_type, _) = self.resolve_type(data_type)?;
        match data_type {
            SqlType::SmallInt | SqlType::Integer | SqlType::BigInt => Ok(data_type),
            other => Err(format!("sequence type must be smallint, integer or bigint, not {other}")),
        }
    }

    fn scope<'a>(&'a self, columns: &'a [Column]) -> Scope<'a> {
        Scope {
            schema: &self.schema,
            columns,
            search_path: &self.search_path,
            relations: self,
            domain_value: None,
        }
    }

    // ----- tables --------------------------------------------------------

    fn create_table(
        &mut self,
        name: QualifiedName,
        unlogged: bool,
        elements: &[TableElement],
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let mut table = Table::new(name.clone());
        table.unlogged = unlogged;
        let mut constraints = Vec::new();
        let mut pending = Vec::new();
        for element in elements {
            match element {
                TableElement::Column(definition) => {
                    if table.column(&definition.name).is_some() {
                        return Err(format!(
                            "column `{}` is given more than once in `{name}`",
                            definition.name
                        ));
                    }
                    let column = self.new_column(&table, definition)?;
                    table.columns.push(column);
                    // Borrowed, not cloned: a clone of a deep expression
                    // costs stack per level.
                    constraints.extend(definition.constraints.iter());
                    pending.push(definition);
                }
                TableElement::Constraint(constraint) => constraints.push(constraint),
            }
        }
        // Defaults and generation expressions see every column's type.
        for definition in pending {
            self.column_expressions(&mut table, definition, warnings)?;
        }
        self.insert_table(table);
        self.add_constraints_in_order(&name, constraints, warnings)?;
        Ok(())
    }

    /// A column from its definition: type, nullability, collation, identity
    /// and serial sequence (defaults come later, once every column is known).
    fn new_column(&self, table: &Table, definition: &ColumnDef) -> Result<Column, String> {
        let (data_type, serial) = self.resolve_type(&definition.data_type)?;
        let mut column = Column::new(definition.name.clone(), data_type.clone());
        column.nullable = definition.not_null != Some(true);
        column.collation = self.collation(definition.collation.as_ref())?;
        let sequence_taken = |candidate: &str| {
            self.relation_exists(&table.name.schema, candidate)
                || table.columns.iter().any(|other| {
                    let owned = other.owned_sequence.as_ref().map(|sequence| &sequence.name.name);
                    let identity =
                        other.identity.as_ref().map(|identity| &identity.sequence_name.name);
                    owned.map(String::as_str) == Some(candidate)
                        || identity.map(String::as_str) == Some(candidate)
                })
        };
        if serial.is_some() {
            let sequence_name = QualifiedName::new(
                table.name.schema.clone(),
                naming::sequence_name(&table.name.name, &column.name, sequence_taken),
            );
            column.nullable = false;
            column.default = Some(nextval(&sequence_name));
            column.owned_sequence = Some(Box::new(OwnedSequence {
                name: sequence_name,
                data_type: data_type.clone(),
                options: SequenceOptions::default(),
            }));
        }
        if let Some((generation, options)) = &definition.identity {
            let sequence_name = match &options.sequence_name {
                Some(name) => self.new_name(name)?,
                None => QualifiedName::new(
                    table.name.schema.clone(),
                    naming::sequence_name(&table.name.name, &column.name, sequence_taken),
                ),
            };
            column.nullable = false;
            column.identity = Some(Box::new(Identity {
                generation: *generation,
                sequence_name,
                options: sequence_options(&data_type, &SequenceOptions::default(), options)?,
            }));
        }
        if definition.not_null == Some(false) && column.identity.is_some() {
            return Err(format!("identity column `{}` cannot be NULL", column.name));
        }
        if let Some(storage) = definition.storage {
            column.storage = self.column_storage(&column, storage, &mut Vec::new())?;
        }
        if let Some(compression) = &definition.compression {
            column.compression = self.column_compression(&column, compression.as_deref())?;
        }
        Ok(column)
    }

    /// What `SET STORAGE storage` (`None`: `DEFAULT`) leaves in the
    /// column's model: nothing when it is the type's default. PostgreSQL
    /// refuses any but `PLAIN` for a type that cannot be toasted.
    fn column_storage(
        &self,
        column: &Column,
        storage: Option<Storage>,
        warnings: &mut Vec<String>,
    ) -> Result<Option<Storage>, String> {
        let Some(storage) = storage else { return Ok(None) };
        match type_storage(&column.data_type, &self.schema.enums) {
            Some((Storage::Plain, _)) if storage != Storage::Plain => {
                Err(format!("column data type {} can only have storage PLAIN", column.data_type))
            }
            Some((default, _)) => Ok((storage != default).then_some(storage)),
            None => {
                warnings.push(format!(
                    "autogen does not know the default storage of type {}: `SET STORAGE {}` is \
                     kept, and differs from the catalog if it is that default",
                    column.data_type,
                    storage.sql()
                ));
                Ok(Some(storage))
            }
        }
    }

    /// What `SET COMPRESSION method` (`None`: `DEFAULT`) leaves in the
    /// column's model. PostgreSQL refuses a method for a type that cannot
    /// be toasted, and any method but `pglz` and `lz4`.
    fn column_compression(
        &self,
        column: &Column,
        method: Option<&str>,
    ) -> Result<Option<String>, String> {
        let Some(method) = method else { return Ok(None) };
        if !matches!(method, "pglz" | "lz4") {
            return Err(format!("invalid compression method \"{method}\""));
        }
        if let Some((Storage::Plain, _)) = type_storage(&column.data_type, &self.schema.enums) {
            return Err(format!(
                "column data type {} does not support compression",
                column.data_type
            ));
        }
        Ok(Some(method.to_owned()))
    }

    fn column_expressions(
        &self,
        table: &mut Table,
        definition: &ColumnDef,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let position =
            table.columns.iter().position(|column| column.name == definition.name).expect("added");
        let data_type = table.columns[position].data_type.clone();
        if let Some(default) = &definition.default {
            if table.columns[position].default.is_some()
                || table.columns[position].identity.is_some()
            {
                return Err(format!(
                    "column `{}` cannot have a default and be serial or identity",
                    definition.name
                ));
            }
            let canonical =
                expr::default_expression(default, &self.scope(&table.columns), &data_type)?;
            warnings.extend(canonical.uncertain);
            table.columns[position].default = not_null_constant(canonical.text);
        }
        if let Some(generated) = &definition.generated {
            let canonical =
                expr::generated_expression(generated, &self.scope(&table.columns), &data_type)?;
            warnings.extend(canonical.uncertain);
            table.columns[position].generated = Some(canonical.text);
        }
        Ok(())
    }

    fn add_constraint(
        &mut self,
        table_name: &QualifiedName,
        constraint: &Constraint,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let schema = table_name.schema.clone();
        if let Some(name) = &constraint.name {
            if constraint_names(self.table(table_name)).any(|existing| existing == name) {
                return Err(format!(
                    "constraint `{name}` for relation `{table_name}` already exists"
                ));
            }
        }
        let check_columns = |table: &Table, columns: &[String]| -> Result<(), String> {
            for column in columns {
                if table.column(column).is_none() {
                    return Err(format!(
                        "column `{column}` named in a key does not exist in `{table_name}`"
                    ));
                }
            }
            Ok(())
        };
        match &constraint.kind {
            ConstraintKind::Unsupported(what) => {
                return Err(format!("autogen does not model {what}"));
            }
            ConstraintKind::UsingIndex { index, primary } => {
                let table = self.table(table_name);
                let Some(found) = table.indexes.iter().find(|candidate| &candidate.name == index)
                else {
                    return Err(format!("index `{index}` does not exist on `{table_name}`"));
                };
                let columns: Option<Vec<String>> = found
                    .keys
                    .iter()
                    .map(|key| match (&key.target, key.descending, &key.opclass, &key.collation) {
                        (IndexTarget::Column(column), false, None, None) => Some(column.clone()),
                        _ => None,
                    })
                    .collect();
                let usable =
                    found.unique && found.method == IndexMethod::Btree && found.predicate.is_none();
                let (Some(columns), true) = (columns, usable) else {
                    return Err(format!(
                        "index `{index}` cannot back a constraint: it must be a unique btree index on plain columns, without WHERE"
                    ));
                };
                let found = found.clone();
                let name = constraint.name.clone().unwrap_or_else(|| index.clone());
                if name != *index {
                    self.check_relation_name_free(&schema, &name)?;
                }
                let table = self.table_mut(table_name);
                // The index takes the constraint's name; CLUSTER ON and
                // REPLICA IDENTITY follow it.
                table.rename_index(index, &name);
                table.indexes.retain(|candidate| candidate.name != name);
                if *primary {
                    if table.primary_key.is_some() {
                        return Err(format!(
                            "multiple primary keys for table `{table_name}` are not allowed"
                        ));
                    }
                    for column in table.columns.iter_mut() {
                        if columns.contains(&column.name) {
                            column.nullable = false;
                        }
                    }
                    table.primary_key = Some(PrimaryKey {
                        name,
                        columns,
                        include: found.include,
                        with: found.with,
                        deferrable: constraint.deferrable,
                    });
                } else {
                    table.unique_constraints.push(UniqueConstraint {
                        name,
                        columns,
                        include: found.include,
                        with: found.with,
                        nulls_not_distinct: found.nulls_not_distinct,
                        deferrable: constraint.deferrable,
                    });
                }
            }
            ConstraintKind::PrimaryKey { columns, include, with } => {
                let table = self.table(table_name);
                check_columns(table, columns)?;
                check_columns(table, include)?;
                if table.primary_key.is_some() {
                    return Err(format!(
                        "multiple primary keys for table `{table_name}` are not allowed"
                    ));
                }
                let name = match &constraint.name {
                    Some(name) => name.clone(),
                    None => naming::primary_key_name(&table_name.name, |candidate| {
                        self.relation_exists(&schema, candidate)
                            || self.constraint_exists(&schema, candidate)
                    }),
                };
                self.check_relation_name_free(&schema, &name)?;
                let table = self.table_mut(table_name);
                for column in table.columns.iter_mut() {
                    if columns.contains(&column.name) {
                        column.nullable = false;
                    }
                }
                table.primary_key = Some(PrimaryKey {
                    name,
                    columns: columns.clone(),
                    include: include.clone(),
                    with: with.clone(),
                    deferrable: constraint.deferrable,
                });
            }
            ConstraintKind::Unique { columns, include, with, nulls_not_distinct } => {
                let table = self.table(table_name);
                check_columns(table, columns)?;
                check_columns(table, include)?;
                let name = match &constraint.name {
                    Some(name) => name.clone(),
                    None => {
                        let all: Vec<&String> = columns.iter().chain(include).collect();
                        naming::unique_constraint_name(&table_name.name, &all, |candidate| {
                            self.relation_exists(&schema, candidate)
                                || self.constraint_exists(&schema, candidate)
                        })
                    }
                };
                self.check_relation_name_free(&schema, &name)?;
                self.table_mut(table_name).unique_constraints.push(UniqueConstraint {
                    name,
                    columns: columns.clone(),
                    include: include.clone(),
                    with: with.clone(),
                    nulls_not_distinct: *nulls_not_distinct,
                    deferrable: constraint.deferrable,
                });
            }
            ConstraintKind::Exclusion { method, elements, include, with, predicate } => {
                // Without USING, btree (`DEFAULT_INDEX_TYPE`), as for CREATE INDEX.
                let method = IndexMethod::from_name(method.as_deref().unwrap_or("btree"));
                if matches!(
                    method,
                    IndexMethod::Gin | IndexMethod::Brin | IndexMethod::Hnsw | IndexMethod::Ivfflat
                ) {
                    return Err(format!(
                        "access method `{}` does not support exclusion constraints",
                        method.name()
                    ));
                }
                if constraint.not_valid {
                    return Err("exclusion constraints cannot be marked NOT VALID".to_owned());
                }
                let table = self.table(table_name);
                let (keys, mut key_names) = self.index_keys(
                    table,
                    &method,
                    elements.iter().map(|element| &element.element),
                    warnings,
                )?;
                check_columns(table, include)?;
                key_names.extend(include.iter().cloned());
                let predicate = match predicate {
                    None => None,
                    Some(predicate) => {
                        let scope = self.scope(&table.columns);
                        let canonical = expr::check_expression(predicate, &scope)?;
                        warnings.extend(canonical.uncertain);
                        Some(canonical.text)
                    }
                };
                let name = match &constraint.name {
                    Some(name) => name.clone(),
                    None => {
                        naming::exclusion_constraint_name(&table_name.name, &key_names, |name| {
                            self.relation_exists(&schema, name)
                                || self.constraint_exists(&schema, name)
                        })
                    }
                };
                self.check_relation_name_free(&schema, &name)?;
                let elements = (keys.into_iter().zip(elements))
                    .map(|(key, element)| ExclusionElement {
                        key,
                        operator: element.operator.clone(),
                    })
                    .collect();
                self.table_mut(table_name).exclusion_constraints.push(ExclusionConstraint {
                    name,
                    method,
                    elements,
                    include: include.clone(),
                    with: with.clone(),
                    predicate,
                    deferrable: constraint.deferrable,
                });
            }
            ConstraintKind::Check { expression, no_inherit } => {
                let table = self.table(table_name);
                let canonical = expr::check_expression(expression, &self.scope(&table.columns))?;
                warnings.extend(canonical.uncertain);
                let name = match &constraint.name {
                    Some(name) => name.clone(),
                    None => {
                        let only_column = match canonical.columns.as_slice() {
                            [column] => Some(column.as_str()),
                            _ => None,
                        };
                        naming::check_constraint_name(&table_name.name, only_column, |candidate| {
                            self.constraint_exists(&schema, candidate)
                        })
                    }
                };
                self.table_mut(table_name).check_constraints.push(CheckConstraint {
                    name,
                    expression: canonical.text,
                    no_inherit: *no_inherit,
                    not_valid: constraint.not_valid,
                });
            }
            ConstraintKind::ForeignKey {
                columns,
                table: referenced,
                referenced_columns,
                match_type,
                on_delete,
                on_update,
            } => {
                check_columns(self.table(table_name), columns)?;
                let Some(referenced_table) = self.find_table(referenced) else {
                    return Err(format!("relation `{referenced}` does not exist"));
                };
                let referenced_columns = if referenced_columns.is_empty() {
                    match &self.table(&referenced_table).primary_key {
                        Some(key) => key.columns.clone(),
                        None => {
                            return Err(format!(
                                "there is no primary key for referenced table `{referenced_table}`"
                            ))
                        }
                    }
                } else {
                    let target = self.table(&referenced_table);
                    for column in referenced_columns {
                        if target.column(column).is_none() {
                            return Err(format!(
                                "column `{column}` referenced in foreign key does not exist in `{referenced_table}`"
                            ));
                        }
                    }
                    referenced_columns.clone()
                };
                if referenced_columns.len() != columns.len() {
                    return Err(
                        "number of referencing and referenced columns for foreign key disagree"
                            .to_owned(),
                    );
                }
                if !self.table(table_name).unlogged && self.table(&referenced_table).unlogged {
                    return Err(
                        "constraints on permanent tables may reference only permanent tables"
                            .to_owned(),
                    );
                }
                let name = match &constraint.name {
                    Some(name) => name.clone(),
                    None => naming::foreign_key_name(&table_name.name, columns, |candidate| {
                        self.constraint_exists(&schema, candidate)
                    }),
                };
                self.table_mut(table_name).foreign_keys.push(ForeignKey {
                    name,
                    columns: columns.clone(),
                    referenced_table,
                    referenced_columns,
                    match_type: *match_type,
                    on_delete: *on_delete,
                    on_update: *on_update,
                    deferrable: constraint.deferrable,
                    not_valid: constraint.not_valid,
                });
            }
        }
        if constraint.deferrable != Deferrable::NotDeferrable
            && matches!(constraint.kind, ConstraintKind::Check { .. })
        {
            return Err("check constraints cannot be marked DEFERRABLE".to_owned());
        }
        Ok(())
    }

    fn check_relation_name_free(&self, schema: &str, name: &str) -> Result<(), String> {
        if self.relation_exists(schema, name) {
            return Err(format!("relation `{name}` already exists in schema `{schema}`"));
        }
        Ok(())
    }

    fn alter_table(
        &mut self,
        table_name: QualifiedName,
        action: &AlterTable,
        warnings: &mut Vec<String>,
    ) -> Result<QualifiedName, String> {
        let missing_column =
            |column: &str| format!("column `{column}` does not exist in `{table_name}`");
        match action {
            AlterTable::Nothing => {}
            AlterTable::SetUnlogged(unlogged) => self.set_unlogged(&table_name, *unlogged)?,
            AlterTable::SetParameters(parameters) => {
                let (with, toast_with) = crate::parameters::sort_out(parameters)?;
                let had_toast_table = self.had_toast_table(&table_name);
                let table = self.table_mut(&table_name);
                let set = |list: &mut Vec<(String, String)>, new: Vec<(String, String)>| {
                    for (name, value) in new {
                        match list.iter_mut().find(|(existing, _)| *existing == name) {
                            Some(existing) => existing.1 = value,
                            None => list.push((name, value)),
                        }
                    }
                    list.sort();
                };
                set(&mut table.with, with);
                if had_toast_table {
                    set(&mut table.toast_with, toast_with);
                }
            }
            AlterTable::ResetParameters(names) => {
                let (names, toast_names) = crate::parameters::sort_out_names(names)?;
                let table = self.table_mut(&table_name);
                table.with.retain(|(name, _)| !names.contains(name));
                table.toast_with.retain(|(name, _)| !toast_names.contains(name));
            }
            AlterTable::ReplicaIdentity(identity) => {
                if let ReplicaIdentity::Index(index) = identity {
                    self.check_replica_identity_index(&table_name, index)?;
                }
                self.table_mut(&table_name).replica_identity = identity.clone();
            }
            AlterTable::ClusterOn(Some(index)) => self.cluster_on(&table_name, index)?,
            AlterTable::ClusterOn(None) => self.table_mut(&table_name).cluster_on = None,
            AlterTable::TriggerEnabled { trigger, enabled } => {
                self.set_trigger_enabled(&table_name, trigger, *enabled)?;
            }
            AlterTable::RowSecurity { enable, force } => {
                let table = self.table_mut(&table_name);
                if let Some(enable) = enable {
                    table.row_security = *enable;
                }
                if let Some(force) = force {
                    table.force_row_security = *force;
                }
            }
            AlterTable::AddColumn { if_not_exists, column: definition } => {
                if self.table(&table_name).column(&definition.name).is_some() {
                    if *if_not_exists {
                        return Ok(table_name);
                    }
                    return Err(format!(
                        "column `{}` of relation `{table_name}` already exists",
                        definition.name
                    ));
                }
                let mut table = self.table(&table_name).clone();
                let column = self.new_column(&table, definition)?;
                table.columns.push(column);
                self.column_expressions(&mut table, definition, warnings)?;
                self.insert_table(table);
                for constraint in &definition.constraints {
                    self.add_constraint(&table_name, constraint, warnings)?;
                }
            }
            AlterTable::DropColumn { if_exists, name, cascade } => {
                if self.table(&table_name).column(name).is_none() {
                    if *if_exists {
                        return Ok(table_name);
                    }
                    return Err(missing_column(name));
                }
                self.drop_column(&table_name, name, *cascade)?;
            }
            AlterTable::AlterColumn { name, change } => {
                if self.table(&table_name).column(name).is_none() {
                    return Err(missing_column(name));
                }
                self.alter_column(&table_name, name, change, warnings)?;
            }
            AlterTable::AddConstraint(constraint) => {
                self.add_constraint(&table_name, constraint, warnings)?;
            }
            AlterTable::AttachPartition { partition, bound } => {
                self.attach_partition(&table_name, partition, bound, warnings)?;
            }
            AlterTable::DetachPartition(partition) => {
                self.detach_partition(&table_name, partition)?;
            }
            AlterTable::Inherit(parent) => self.inherit(&table_name, parent)?,
            AlterTable::NoInherit(parent) => self.no_inherit(&table_name, parent)?,
            AlterTable::DropConstraint { if_exists, name, cascade } => {
                if !constraint_names(self.table(&table_name)).any(|existing| existing == name) {
                    if *if_exists {
                        return Ok(table_name);
                    }
                    return Err(format!(
                        "constraint `{name}` of relation `{table_name}` does not exist"
                    ));
                }
                self.drop_constraint(&table_name, name, *cascade)?;
            }
            AlterTable::ValidateConstraint(name) => {
                let table = self.table_mut(&table_name);
                if let Some(check) = table.check_constraints.iter_mut().find(|c| &c.name == name) {
                    check.not_valid = false;
                } else if let Some(key) = table.foreign_keys.iter_mut().find(|c| &c.name == name) {
                    key.not_valid = false;
                } else if !constraint_names(table).any(|existing| existing == name) {
                    return Err(format!(
                        "constraint `{name}` of relation `{table_name}` does not exist"
                    ));
                }
            }
            AlterTable::RenameColumn { old, new } => {
                self.rename_column(&table_name, old, new)?;
            }
            AlterTable::RenameConstraint { old, new } => {
                self.rename_constraint(&table_name, old, new)?;
            }
            AlterTable::RenameTo(new) => {
                let new_name = QualifiedName::new(table_name.schema.clone(), new.clone());
                self.check_relation_name_free(&table_name.schema, new)?;
                self.move_table(&table_name, new_name.clone());
                return Ok(new_name);
            }
            AlterTable::SetSchema(schema) => {
                let schema = self.existing_schema(schema)?;
                let new_name = QualifiedName::new(schema.clone(), table_name.name.clone());
                if self.schema.tables.contains_key(&new_name) {
                    return Err(format!("relation `{new_name}` already exists"));
                }
                self.move_table(&table_name, new_name.clone());
                // Owned sequences move with the table.
                let table = self.table_mut(&new_name);
                for column in &mut table.columns {
                    if let Some(sequence) = &mut column.owned_sequence {
                        sequence.name.schema = schema.clone();
                        column.default = Some(nextval(&sequence.name));
                    }
                    if let Some(identity) = &mut column.identity {
                        identity.sequence_name.schema = schema.clone();
                    }
                }
                return Ok(new_name);
            }
        }
        Ok(table_name)
    }

    /// `SET LOGGED` / `SET UNLOGGED`, refused as PostgreSQL refuses it
    /// when a foreign key would link a permanent table to an unlogged one.
    fn set_unlogged(&mut self, table_name: &QualifiedName, unlogged: bool) -> Result<(), String> {
        let table = self.table(table_name);
        let other = |name: &QualifiedName| name != table_name;
        if unlogged {
            let referenced_by_permanent = self.schema.tables.values().any(|referencing| {
                other(&referencing.name)
                    && !referencing.unlogged
                    && referencing
                        .foreign_keys
                        .iter()
                        .any(|key| &key.referenced_table == table_name)
            });
            if referenced_by_permanent {
                return Err(format!(
                    "could not change table `{table_name}` to unlogged because it is referenced by a permanent table"
                ));
            }
        } else {
            let references_unlogged = table.foreign_keys.iter().any(|key| {
                other(&key.referenced_table) && self.table(&key.referenced_table).unlogged
            });
            if references_unlogged {
                return Err(format!(
                    "could not change table `{table_name}` to logged because it references an unlogged table"
                ));
            }
        }
        self.table_mut(table_name).unlogged = unlogged;
        Ok(())
    }

    /// Whether the table had a TOAST table when the running statement
    /// began: `ALTER TABLE` makes one, when needed, after its actions, so
    /// a `toast.` parameter set in the same statement is lost.
    fn had_toast_table(&self, table_name: &QualifiedName) -> bool {
        let before = match self.undo.get(table_name) {
            Some(Some(table)) => table,
            _ => self.table(table_name),
        };
        has_toast_table(before, &self.schema.enums)
    }

    /// `REPLICA IDENTITY USING INDEX index`: a unique, immediate index of
    /// the table on plain, `NOT NULL` columns, without `WHERE`.
    fn check_replica_identity_index(
        &self,
        table_name: &QualifiedName,
        index: &str,
    ) -> Result<(), String> {
        let table = self.table(table_name);
        let (columns, unique, immediate) =
            if let Some(key) = table.primary_key.as_ref().filter(|key| key.name == index) {
                (key.columns.clone(), true, key.deferrable == Deferrable::NotDeferrable)
            } else if let Some(unique) =
                table.unique_constraints.iter().find(|unique| unique.name == index)
            {
                (unique.columns.clone(), true, unique.deferrable == Deferrable::NotDeferrable)
            } else if let Some(found) = table.indexes.iter().find(|found| found.name == index) {
                if found.predicate.is_some() {
                    return Err(format!("cannot use partial index `{index}` as replica identity"));
                }
                let mut columns = Vec::new();
                for key in &found.keys {
                    match &key.target {
                        IndexTarget::Column(column) => columns.push(column.clone()),
                        IndexTarget::Expression(_) => {
                            return Err(format!(
                                "cannot use expression index `{index}` as replica identity"
                            ))
                        }
                    }
                }
                (columns, found.unique, true)
            } else {
                return Err(format!("`{index}` is not an index for table `{table_name}`"));
            };
        if !unique {
            return Err(format!("cannot use non-unique index `{index}` as replica identity"));
        }
        if !immediate {
            return Err(format!("cannot use non-immediate index `{index}` as replica identity"));
        }
        for column in columns {
            if table.column(&column).is_some_and(|found| found.nullable) {
                return Err(format!(
                    "index `{index}` cannot be used as replica identity because column `{column}` is nullable"
                ));
            }
        }
        Ok(())
    }

    /// `ALTER TABLE … CLUSTER ON index` (and `CLUSTER t USING index`): an
    /// index of the table whose access method can cluster, without
    /// `WHERE`.
    fn cluster_on(&mut self, table_name: &QualifiedName, index: &str) -> Result<(), String> {
        let table = self.table(table_name);
        if let Some(found) = table.indexes.iter().find(|found| found.name == index) {
            let clusterable = matches!(
                found.method,
                IndexMethod::Btree | IndexMethod::Gist | IndexMethod::Other(_)
            );
            if !clusterable {
                return Err(format!(
                    "cannot cluster on index `{index}` because access method does not support clustering"
                ));
            }
            if found.predicate.is_some() {
                return Err(format!("cannot cluster on partial index `{index}`"));
            }
        } else if !table.index_names().any(|name| name == index) {
            return Err(format!("`{index}` is not an index for table `{table_name}`"));
        }
        self.table_mut(table_name).cluster_on = Some(index.to_owned());
        Ok(())
    }

    /// Renames or moves a table, updating foreign keys that reference it.
    fn move_table(&mut self, old: &QualifiedName, new: QualifiedName) {
        let _ = self.follow(crate::query::Change::Relation { old, new: &new });
        let mut table = self.remove_table(old);
        // Its constraints' comments follow it, and its indexes' follow
        // them to a new schema.
        self.schema.move_table_comments(old, &new);
        for index in table.index_names() {
            let index_in = |schema: &str| On::Index(QualifiedName::new(schema, index));
            self.schema.move_comment(&index_in(&old.schema), index_in(&new.schema));
        }
        table.name = new.clone();
        self.insert_table(table);
        // Its row type follows it, and the routines that use it.
        self.schema.rename_type_in_routines(old, &new);
        self.change_every_table(|table| {
            for key in &mut table.foreign_keys {
                if &key.referenced_table == old {
                    key.referenced_table = new.clone();
                }
            }
            table.rename_referenced_table(old, &new);
            // Its partitions and children name it.
            if let Some(of) = &mut table.partition_of {
                if &of.parent == old {
                    of.parent = new.clone();
                }
            }
            for parent in &mut table.inherits {
                if parent == old {
                    *parent = new.clone();
                }
            }
        });
        if let Some(mut inherited) = self.inherited.remove(old) {
            inherited.name = new.clone();
            self.inherited.insert(new.clone(), inherited);
        }
    }

    fn alter_column(
        &mut self,
        table_name: &QualifiedName,
        name: &str,
        change: &ColumnChange,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let mut table = self.table(table_name).clone();
        let position = table.columns.iter().position(|column| column.name == name).expect("found");
        match change {
            ColumnChange::Nothing => {}
            ColumnChange::SetNotNull => table.columns[position].nullable = false,
            ColumnChange::DropNotNull => {
                let column = &table.columns[position];
                if table.primary_key.as_ref().is_some_and(|key| key.columns.contains(&column.name))
                {
                    return Err(format!("column `{name}` is in a primary key"));
                }
                if column.identity.is_some() {
                    return Err(format!(
                        "column `{name}` of relation `{table_name}` is an identity column"
                    ));
                }
                if let Some(index) = table.replica_identity.index() {
                    if table.index_key_columns(index).iter().any(|key| key == name) {
                        return Err(format!(
                            "column `{name}` is in index `{index}` used as replica identity"
                        ));
                    }
                }
                table.columns[position].nullable = true;
            }
            ColumnChange::SetDefault(expression) => {
                if table.columns[position].identity.is_some() {
                    return Err(format!(
                        "column `{name}` of relation `{table_name}` is an identity column"
                    ));
                }
                let data_type = table.columns[position].data_type.clone();
                let canonical =
                    expr::default_expression(expression, &self.scope(&table.columns), &data_type)?;
                warnings.extend(canonical.uncertain);
                table.columns[position].default = not_null_constant(canonical.text);
            }
            ColumnChange::DropDefault => table.columns[position].default = None,
            ColumnChange::Type { data_type, collation, using: _ } => {
                self.refuse_retype_under_views(table_name, name)?;
                if let Some(reader) = self.readers_of_column(table_name, name).first() {
                    let kind = reader.split(' ').next().unwrap_or_default();
                    return Err(format!(
                        "cannot alter type of a column used in a {kind} definition: {reader} \
                         on `{table_name}` depends on column `{name}`"
                    ));
                }
                let (data_type, serial) = self.resolve_type(data_type)?;
                if serial.is_some() {
                    return Err(
                        "type `serial` does not exist (it is only a CREATE TABLE shorthand)"
                            .to_owned(),
                    );
                }
                let collation = self.collation(collation.as_ref())?;
                let column = &mut table.columns[position];
                column.data_type = data_type.clone();
                column.collation = collation;
                // The new type's storage, and the default compression.
                column.storage = None;
                column.compression = None;
                // A rewrite to a row that needs no TOAST table makes none.
                let fixed = matches!(
                    type_storage(&data_type, &self.schema.enums),
                    Some((_, Layout::Fixed { .. }))
                );
                if fixed && !needs_toast_table(&table, &self.schema.enums) {
                    table.toast_with.clear();
                }
                // Statistics on the column are built again, without their
                // target (PostgreSQL 16 to 18).
                for statistics in &mut table.statistics {
                    if statistics.uses_column(name) {
                        statistics.target = None;
                    }
                }
                // The default is cast to the new type behind an implicit cast
                // PostgreSQL does not print: its text stays. Checks and
                // index expressions are read again from their printed form,
                // as PostgreSQL rebuilds them.
                self.reread_expressions(&mut table, name, warnings)?;
            }
            ColumnChange::AddIdentity(generation, options) => {
                let column = &table.columns[position];
                if column.identity.is_some() {
                    return Err(format!(
                        "column `{name}` of relation `{table_name}` is already an identity column"
                    ));
                }
                if column.default.is_some() {
                    return Err(format!(
                        "column `{name}` of relation `{table_name}` already has a default value"
                    ));
                }
                let sequence_name = match &options.sequence_name {
                    Some(sequence) => self.new_name(sequence)?,
                    None => QualifiedName::new(
                        table_name.schema.clone(),
                        naming::sequence_name(&table_name.name, name, |candidate| {
                            self.relation_exists(&table_name.schema, candidate)
                        }),
                    ),
                };
                let data_type = column.data_type.clone();
                let column = &mut table.columns[position];
                column.nullable = false;
                column.identity = Some(Box::new(Identity {
                    generation: *generation,
                    sequence_name,
                    options: sequence_options(&data_type, &SequenceOptions::default(), options)?,
                }));
            }
            ColumnChange::SetIdentity(generation, options) => {
                let data_type = table.columns[position].data_type.clone();
                let Some(identity) = &mut table.columns[position].identity else {
                    return Err(format!(
                        "column `{name}` of relation `{table_name}` is not an identity column"
                    ));
                };
                if let Some(generation) = generation {
                    identity.generation = *generation;
                }
                identity.options = sequence_options(&data_type, &identity.options, options)?;
            }
            ColumnChange::DropIdentity { if_exists } => {
                if table.columns[position].identity.take().is_none() && !if_exists {
                    return Err(format!(
                        "column `{name}` of relation `{table_name}` is not an identity column"
                    ));
                }
            }
            ColumnChange::DropExpression { if_exists } => {
                if table.columns[position].generated.take().is_none() && !if_exists {
                    return Err(format!(
                        "column `{name}` of relation `{table_name}` is not a generated column"
                    ));
                }
            }
            ColumnChange::SetStorage(storage) => {
                let storage = self.column_storage(&table.columns[position], *storage, warnings)?;
                table.columns[position].storage = storage;
            }
            ColumnChange::SetCompression(method) => {
                let compression =
                    self.column_compression(&table.columns[position], method.as_deref())?;
                table.columns[position].compression = compression;
            }
            ColumnChange::SetStatistics(target) => {
                table.columns[position].statistics_target = statistics_target(*target, warnings)?;
            }
        }
        self.insert_table(table);
        Ok(())
    }

    /// Reads again the checks, index expressions and predicates that
    /// mention `column`, after its type changed.
    fn reread_expressions(
        &self,
        table: &mut Table,
        column: &str,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let columns = table.columns.clone();
        let scope = self.scope(&columns);
        for check in &mut table.check_constraints {
            if expr::mentions_column(&check.expression, column) {
                let canonical = expr::reread(&check.expression, &scope, expr::Kind::Check)?;
                warnings.extend(canonical.uncertain);
                check.expression = canonical.text;
            }
        }
        let mut reread = |text: &mut String, kind: expr::Kind| -> Result<(), String> {
            if expr::mentions_column(text, column) {
                let canonical = expr::reread(text, &scope, kind)?;
                warnings.extend(canonical.uncertain);
                *text = canonical.text;
            }
            Ok(())
        };
        let exclusion_indexes = table.exclusion_constraints.iter_mut().map(|exclusion| {
            let keys = exclusion.elements.iter_mut().map(|element| &mut element.key);
            (keys.collect::<Vec<_>>(), &mut exclusion.predicate)
        });
        let plain_indexes = table
            .indexes
            .iter_mut()
            .map(|index| (index.keys.iter_mut().collect(), &mut index.predicate));
        for (keys, predicate) in plain_indexes.chain(exclusion_indexes) {
            for key in keys {
                if let IndexTarget::Expression(expression) = &mut key.target {
                    reread(expression, expr::Kind::Index)?;
                }
            }
            if let Some(predicate) = predicate {
                reread(predicate, expr::Kind::Check)?;
            }
        }
        for statistics in &mut table.statistics {
            for expression in &mut statistics.expressions {
                if expr::mentions_column(expression, column) {
                    let canonical = expr::reread(expression, &scope, expr::Kind::Statistics)?;
                    warnings.extend(canonical.uncertain);
                    *expression = canonical.text;
                }
            }
        }
        Ok(())
    }

    fn drop_column(
        &mut self,
        table_name: &QualifiedName,
        name: &str,
        cascade: bool,
    ) -> Result<(), String> {
        self.drop_views_reading_column(table_name, name, cascade)?;
        let mentions = |columns: &[String]| columns.iter().any(|column| column == name);
        // Foreign keys elsewhere that reference this column.
        let referencing: Vec<(QualifiedName, String)> = self
            .schema
            .tables
            .values()
            .flat_map(|table| {
                table
                    .foreign_keys
                    .iter()
                    .filter(|key| {
                        &key.referenced_table == table_name
                            && key.referenced_columns.iter().any(|column| column == name)
                    })
                    .map(|key| (table.name.clone(), key.name.clone()))
            })
            .filter(|(table, _)| table != table_name)
            .collect();
        if !referencing.is_empty() && !cascade {
            let (table, key) = &referencing[0];
            return Err(format!(
                "cannot drop column `{name}` of `{table_name}`: constraint `{key}` on `{table}` depends on it (use CASCADE)"
            ));
        }
        for (table, key) in referencing {
            self.table_mut(&table).foreign_keys.retain(|existing| existing.name != key);
        }
        // Triggers and policies that read it: refused, or dropped along.
        let readers = self.readers_of_column(table_name, name);
        if let (Some(reader), false) = (readers.first(), cascade) {
            return Err(format!(
                "cannot drop column `{name}` of `{table_name}`: {reader} depends on it (use CASCADE)"
            ));
        }
        let table = self.table_mut(table_name);
        table.triggers.retain(|trigger| !trigger.reads_column(name));
        table.policies.retain(|policy| !policy.reads_column(name));
        let position = table.columns.iter().position(|column| column.name == name).expect("found");
        table.columns.remove(position);
        // Constraints and indexes on the column go with it.
        if table
            .primary_key
            .as_ref()
            .is_some_and(|key| mentions(&key.columns) || mentions(&key.include))
        {
            table.primary_key = None;
        }
        table
            .unique_constraints
            .retain(|unique| !mentions(&unique.columns) && !mentions(&unique.include));
        table.foreign_keys.retain(|key| {
            let references_it =
                key.referenced_table == *table_name && mentions(&key.referenced_columns);
            !mentions(&key.columns) && !references_it
        });
        table.check_constraints.retain(|check| !expr::mentions_column(&check.expression, name));
        table.exclusion_constraints.retain(|exclusion| !exclusion.uses_column(name));
        table.indexes.retain(|index| !index.uses_column(name));
        table.statistics.retain(|statistics| !statistics.uses_column(name));
        let dependent_generated = table
            .columns
            .iter()
            .find(|column| {
                column
                    .generated
                    .as_deref()
                    .is_some_and(|generated| expr::mentions_column(generated, name))
            })
            .map(|column| column.name.clone());
        if let Some(generated) = dependent_generated {
            if !cascade {
                return Err(format!(
                    "cannot drop column `{name}` of `{table_name}`: generated column `{generated}` depends on it (use CASCADE)"
                ));
            }
            table.columns.retain(|column| {
                !column
                    .generated
                    .as_deref()
                    .is_some_and(|generated| expr::mentions_column(generated, name))
            });
        }
        Ok(())
    }

    fn drop_constraint(
        &mut self,
        table_name: &QualifiedName,
        name: &str,
        cascade: bool,
    ) -> Result<(), String> {
        let table = self.table(table_name);
        let backs_index = table.primary_key.as_ref().is_some_and(|key| key.name == name)
            || table.unique_constraints.iter().any(|unique| unique.name == name);
        if backs_index {
            // Foreign keys that rely on this key's index.
            let columns: Vec<String> = match &table.primary_key {
                Some(key) if key.name == name => key.columns.clone(),
                _ => table
                    .unique_constraints
                    .iter()
                    .find(|unique| unique.name == name)
                    .map(|unique| unique.columns.clone())
                    .unwrap_or_default(),
            };
            let dependents: Vec<(QualifiedName, String)> = self
                .schema
                .tables
                .values()
                .flat_map(|other| {
                    other
                        .foreign_keys
                        .iter()
                        .filter(|key| {
                            &key.referenced_table == table_name
                                && same_set(&key.referenced_columns, &columns)
                        })
                        .map(|key| (other.name.clone(), key.name.clone()))
                })
                .collect();
            if let Some((other, key)) = dependents.first() {
                if !cascade {
                    return Err(format!(
                        "cannot drop constraint `{name}` on `{table_name}`: constraint `{key}` on `{other}` depends on it (use CASCADE)"
                    ));
                }
            }
            for (other, key) in dependents {
                self.table_mut(&other).foreign_keys.retain(|existing| existing.name != key);
            }
        }
        let table = self.table_mut(table_name);
        if table.primary_key.as_ref().is_some_and(|key| key.name == name) {
            table.primary_key = None;
        }
        table.unique_constraints.retain(|unique| unique.name != name);
        table.check_constraints.retain(|check| check.name != name);
        table.foreign_keys.retain(|key| key.name != name);
        table.exclusion_constraints.retain(|exclusion| exclusion.name != name);
        Ok(())
    }

    fn rename_column(
        &mut self,
        table_name: &QualifiedName,
        old: &str,
        new: &str,
    ) -> Result<(), String> {
        let table = self.table(table_name);
        if table.column(old).is_none() {
            return Err(format!("column `{old}` does not exist in `{table_name}`"));
        }
        if table.column(new).is_some() {
            return Err(format!("column `{new}` of relation `{table_name}` already exists"));
        }
        self.follow(crate::query::Change::Column { relation: table_name, old, new })?;
        self.table_mut(table_name)
            .rename_column(old, new, |expression| expr::rename_column(expression, old, new));
        let rename = |columns: &mut Vec<String>| {
            for column in columns.iter_mut().filter(|column| *column == old) {
                *column = new.to_owned();
            }
        };
        self.change_every_table(|other| {
            for key in &mut other.foreign_keys {
                if &key.referenced_table == table_name {
                    rename(&mut key.referenced_columns);
                }
            }
        });
        Ok(())
    }

    fn rename_constraint(
        &mut self,
        table_name: &QualifiedName,
        old: &str,
        new: &str,
    ) -> Result<(), String> {
        let table = self.table(table_name);
        if !constraint_names(table).any(|existing| existing == old) {
            return Err(format!("constraint `{old}` of relation `{table_name}` does not exist"));
        }
        if constraint_names(table).any(|existing| existing == new) {
            return Err(format!("constraint `{new}` for relation `{table_name}` already exists"));
        }
        self.move_constraint_comments(table_name, old, new);
        let table = self.table_mut(table_name);
        // A key's index is renamed with it.
        if table.index_names().any(|index| index == old) {
            table.rename_index(old, new);
        }
        for check in &mut table.check_constraints {
            if check.name == old {
                check.name = new.to_owned();
            }
        }
        for key in &mut table.foreign_keys {
            if key.name == old {
                key.name = new.to_owned();
            }
        }
        Ok(())
    }

    // ----- indexes -------------------------------------------------------

    fn create_index(
        &mut self,
        statement: &CreateIndex,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let Some(table_name) = self.find_table(&statement.table) else {
            if let Some(result) = self.create_materialized_index(statement, warnings) {
                return result;
            }
            return Err(format!("relation `{}` does not exist", statement.table));
        };
        let table = self.table(&table_name);
        if let Some(index) = self.index_on(table, statement, warnings, |_| Ok(()))? {
            self.table_mut(&table_name).indexes.push(index);
        }
        Ok(())
    }

    /// The index `statement` makes on `table` (a table, or a materialized
    /// view read as one), or `None` when `IF NOT EXISTS` finds its name
    /// taken. `keys_read` may refuse the keys before the predicate is read.
    fn index_on(
        &self,
        table: &Table,
        statement: &CreateIndex,
        warnings: &mut Vec<String>,
        keys_read: impl Fn(&[IndexKey]) -> Result<(), String>,
    ) -> Result<Option<Index>, String> {
        let table_name = &table.name;
        let method = IndexMethod::from_name(statement.method.as_deref().unwrap_or("btree"));
        let (keys, mut key_names) =
            self.index_keys(table, &method, statement.keys.iter(), warnings)?;
        for column in &statement.include {
            if table.column(column).is_none() {
                return Err(format!("column `{column}` does not exist in `{table_name}`"));
            }
            key_names.push(column.clone());
        }
        keys_read(&keys)?;
        let predicate = match &statement.predicate {
            None => None,
            Some(predicate) => {
                let canonical = expr::check_expression(predicate, &self.scope(&table.columns))?;
                warnings.extend(canonical.uncertain);
                Some(canonical.text)
            }
        };
        let schema = table_name.schema.clone();
        let name = match &statement.name {
            Some(name) => {
                if self.relation_exists(&schema, name) {
                    if statement.if_not_exists {
                        return Ok(None);
                    }
                    return Err(format!("relation `{name}` already exists in schema `{schema}`"));
                }
                name.clone()
            }
            None => naming::index_name(&table_name.name, &key_names, |candidate| {
                self.relation_exists(&schema, candidate)
            }),
        };
        Ok(Some(Index {
            name,
            unique: statement.unique,
            method,
            keys,
            include: statement.include.clone(),
            predicate,
            with: statement.with.clone(),
            nulls_not_distinct: statement.nulls_not_distinct,
            invalid: false,
        }))
    }

    /// The keys of an index (or of the index behind an exclusion
    /// constraint) on `table`, as the catalog has them, and the names
    /// PostgreSQL gives its columns (`ChooseIndexColumnNames`' input).
    fn index_keys<'e>(
        &self,
        table: &Table,
        method: &IndexMethod,
        elements: impl Iterator<Item = &'e IndexElement>,
        warnings: &mut Vec<String>,
    ) -> Result<(Vec<IndexKey>, Vec<String>), String> {
        let table_name = &table.name;
        let mut keys = Vec::new();
        let mut key_names = Vec::new();
        for element in elements {
            let scope = self.scope(&table.columns);
            let (expression, stripped) = expr::strip_key_collation(&element.expression);
            let stripped = match stripped {
                Some(parts) => self.collation(Some(&Name(parts)))?,
                None => None,
            };
            let (target, figured_name, key_type) = match expr::plain_column(expression) {
                Some(column) => {
                    let Some(found) = table.column(&column) else {
                        return Err(format!("column `{column}` does not exist in `{table_name}`"));
                    };
                    (IndexTarget::Column(column.clone()), column, Some(found.data_type.clone()))
                }
                None => {
                    let canonical = expr::index_expression(expression, &scope)?;
                    warnings.extend(canonical.uncertain);
                    (
                        IndexTarget::Expression(canonical.text),
                        canonical.figured_name,
                        canonical.data_type,
                    )
                }
            };
            // Printed where it is not the key's own: the column's, or for
            // an expression the one it derives from the columns it names
            // (an implicit collation other than the default wins; two
            // conflict, and then it has none).
            let own_collation = match &target {
                IndexTarget::Column(column) => {
                    table.column(column).and_then(|c| c.collation.clone())
                }
                IndexTarget::Expression(text) => {
                    let mut derived: Vec<&QualifiedName> = (table.columns.iter())
                        .filter(|column| {
                            autogen_schema::expression::mentions_column(text, &column.name)
                        })
                        .filter_map(|column| column.collation.as_ref())
                        .collect();
                    derived.sort();
                    derived.dedup();
                    match derived.as_slice() {
                        [only] => Some((*only).clone()),
                        _ => None,
                    }
                }
            };
            let written = match &element.collation {
                Some(_) => self.collation(element.collation.as_ref())?,
                None => stripped,
            };
            let collation = written.filter(|collation| Some(collation) != own_collation.as_ref());
            let opclass = match &element.opclass {
                None => None,
                Some(opclass) => {
                    let name = self.opclass_name(opclass);
                    let is_default = element.opclass_params.is_empty()
                        && key_type.as_ref().is_some_and(|key_type| {
                            default_opclass(method, key_type)
                                .is_some_and(|default| default == name.name)
                        });
                    (!is_default)
                        .then(|| OperatorClass { name, params: element.opclass_params.clone() })
                }
            };
            let descending = element.descending.unwrap_or(false);
            keys.push(IndexKey {
                target,
                collation,
                opclass,
                descending,
                nulls_first: element.nulls_first.unwrap_or(descending),
            });
            key_names.push(figured_name);
        }
        Ok((keys, key_names))
    }

    fn opclass_name(&self, name: &Name) -> QualifiedName {
        if let Some(schema) = name.schema() {
            return QualifiedName::new(schema, name.object());
        }
        let object = name.object();
        let extension = if ["vector_", "halfvec_", "sparsevec_", "bit_hamming", "bit_jaccard"]
            .iter()
            .any(|prefix| object.starts_with(prefix))
        {
            Some("vector")
        } else if object.ends_with("_trgm_ops") {
            Some("pg_trgm")
        } else if object.starts_with("gist_") {
            // btree_gist's classes: gist_int4_ops, gist_text_ops, …
            Some("btree_gist")
        } else {
            None
        };
        let schema = extension
            .and_then(|extension| self.schema.extensions.get(extension))
            .map_or_else(|| "pg_catalog".to_owned(), |extension| extension.schema.clone());
        QualifiedName::new(schema, object)
    }

    fn find_index(&self, name: &Name) -> Option<(QualifiedName, String)> {
        let mut found = None;
        self.lookup(name, |qualified| {
            found = (self.names.index_table(&self.schema.tables, qualified))
                .map(|table| (table, qualified.name.clone()));
            found.is_some()
        });
        found
    }

    fn rename_index(
        &mut self,
        table_name: &QualifiedName,
        old: &str,
        new: &str,
    ) -> Result<(), String> {
        self.check_relation_name_free(&table_name.schema, new)?;
        self.move_constraint_comments(table_name, old, new);
        // Renaming a constraint's index renames the constraint too.
        self.table_mut(table_name).rename_index(old, new);
        Ok(())
    }

    /// The comments of constraint or index `old` of `table_name` (one
    /// renames the other when it backs it) moved to their new name.
    fn move_constraint_comments(&mut self, table_name: &QualifiedName, old: &str, new: &str) {
        let table = self.table(table_name);
        let is_constraint = table.has_constraint(old);
        let is_index = table.index_names().any(|index| index == old);
        let schema = &table_name.schema;
        if is_constraint {
            let constraint =
                |name: &str| On::Constraint { table: table_name.clone(), name: name.to_owned() };
            self.schema.move_comment(&constraint(old), constraint(new));
        }
        if is_index {
            let index = |name: &str| On::Index(QualifiedName::new(schema.clone(), name));
            self.schema.move_comment(&index(old), index(new));
        }
    }

    // ----- extended statistics --------------------------------------------

    /// The table holding the statistics object `name` (looked up through
    /// the search path) and its qualified name.
    fn find_statistics(&self, name: &Name) -> Option<(QualifiedName, QualifiedName)> {
        let holder = |qualified: &QualifiedName| {
            (self.schema.tables.values())
                .find(|table| table.statistics.iter().any(|found| &found.name == qualified))
                .map(|table| table.name.clone())
        };
        let found = self.lookup(name, |qualified| holder(qualified).is_some())?;
        Some((holder(&found).expect("found"), found))
    }

    fn statistics_name_taken(&self, name: &QualifiedName) -> bool {
        (self.schema.tables.values())
            .any(|table| table.statistics.iter().any(|found| &found.name == name))
    }

    /// `CREATE STATISTICS`: two to eight columns or expressions, or one
    /// expression (which takes no kinds); unnamed, the table's name, its
    /// elements' and `stat`, in the table's schema.
    fn create_statistics(
        &mut self,
        statement: &CreateStatistics,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let Some(table_name) = self.find_table(&statement.table) else {
            return Err(format!("relation `{}` does not exist", statement.table));
        };
        let table = self.table(&table_name);
        let (mut columns, mut expressions, mut element_names) =
            (Vec::new(), Vec::new(), Vec::new());
        for element in &statement.elements {
            match expr::plain_column(element) {
                Some(column) => {
                    if table.column(&column).is_none() {
                        return Err(format!("column `{column}` does not exist in `{table_name}`"));
                    }
                    if columns.contains(&column) {
                        return Err("duplicate column name in statistics definition".to_owned());
                    }
                    element_names.push(column.clone());
                    columns.push(column);
                }
                None => {
                    let canonical =
                        expr::statistics_expression(element, &self.scope(&table.columns))?;
                    warnings.extend(canonical.uncertain);
                    if expressions.contains(&canonical.text) {
                        return Err("duplicate expression in statistics definition".to_owned());
                    }
                    element_names.push("expr".to_owned());
                    expressions.push(canonical.text);
                }
            }
        }
        let single_expression = columns.is_empty() && expressions.len() == 1;
        if !single_expression && columns.len() + expressions.len() < 2 {
            return Err("extended statistics require at least 2 columns".to_owned());
        }
        if columns.len() + expressions.len() > 8 {
            return Err("cannot have more than 8 columns in statistics".to_owned());
        }
        let kinds = match (&statement.kinds, single_expression) {
            (Some(_), true) => {
                return Err("when building statistics on a single expression, statistics kinds may not be specified".to_owned())
            }
            (None, true) => Vec::new(),
            (None, false) => StatisticsKind::ALL.to_vec(),
            (Some(written), false) => {
                for kind in written {
                    if StatisticsKind::from_code(kind).is_none() || kind.len() == 1 {
                        return Err(format!("unrecognized statistics kind `{kind}`"));
                    }
                }
                (StatisticsKind::ALL.into_iter())
                    .filter(|kind| written.iter().any(|word| word == kind.name()))
                    .collect()
            }
        };
        let name = match &statement.name {
            Some(name) => {
                let name = self.new_name(name)?;
                if self.statistics_name_taken(&name) {
                    if statement.if_not_exists {
                        return Ok(());
                    }
                    return Err(format!("statistics object `{name}` already exists"));
                }
                name
            }
            None => {
                let schema = table_name.schema.clone();
                let chosen =
                    naming::statistics_name(&table_name.name, &element_names, |candidate| {
                        self.statistics_name_taken(&QualifiedName::new(schema.clone(), candidate))
                    });
                QualifiedName::new(schema, chosen)
            }
        };
        columns.sort();
        let statistics = Statistics { name, kinds, columns, expressions, target: None };
        let table = self.table_mut(&table_name);
        table.statistics.push(statistics);
        table.statistics.sort_by(|left, right| left.name.cmp(&right.name));
        Ok(())
    }

    /// `ALTER STATISTICS name SET STATISTICS n | RENAME TO | SET SCHEMA`.
    fn alter_statistics(
        &mut self,
        name: &Name,
        if_exists: bool,
        action: &AlterStatistics,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let Some((table_name, found)) = self.find_statistics(name) else {
            return match if_exists {
                true => Ok(()),
                false => Err(format!("statistics object `{name}` does not exist")),
            };
        };
        let renamed = match action {
            AlterStatistics::SetTarget(target) => {
                let target = statistics_target(*target, warnings)?;
                let table = self.table_mut(&table_name);
                for statistics in table.statistics.iter_mut().filter(|s| s.name == found) {
                    statistics.target = target;
                }
                return Ok(());
            }
            AlterStatistics::RenameTo(new) => QualifiedName::new(found.schema.clone(), new.clone()),
            AlterStatistics::SetSchema(schema) => {
                QualifiedName::new(self.existing_schema(schema)?, found.name.clone())
            }
        };
        if self.statistics_name_taken(&renamed) {
            return Err(format!(
                "statistics object `{}` already exists in schema `{}`",
                renamed.name, renamed.schema
            ));
        }
        let table = self.table_mut(&table_name);
        for statistics in table.statistics.iter_mut().filter(|s| s.name == found) {
            statistics.name = renamed.clone();
        }
        table.statistics.sort_by(|left, right| left.name.cmp(&right.name));
        Ok(())
    }

    // ----- domains -------------------------------------------------------

    /// Whether a type called `name` exists: an enum, a domain, or the row
    /// type of a relation.
    fn type_exists(&self, name: &QualifiedName) -> bool {
        self.schema.enums.contains_key(name)
            || self.schema.domains.contains_key(name)
            || self.relation_exists(&name.schema, &name.name)
    }

    /// A domain's `DEFAULT`, typed as its base type.
    fn domain_default(&self, domain: &Domain, default: &Expr) -> Result<String, String> {
        let canonical = expr::default_expression(default, &self.scope(&[]), &domain.data_type)?;
        Ok(canonical.text)
    }

    /// `[CONSTRAINT name] CHECK (expression)` added to `domain`: `VALUE` is
    /// the value checked; an unnamed check takes PostgreSQL's name
    /// (`domain_check`, numbered past any constraint of the schema).
    fn add_domain_check(
        &self,
        domain: &mut Domain,
        name: Option<&str>,
        expression: &Expr,
        not_valid: bool,
    ) -> Result<(), String> {
        let mut scope = self.scope(&[]);
        scope.domain_value = Some(domain.data_type.clone());
        let canonical = expr::check_expression(expression, &scope)?;
        let name = match name {
            Some(name) => {
                if domain.checks.iter().any(|check| check.name == name) {
                    return Err(format!(
                        "constraint `{name}` for domain `{}` already exists",
                        domain.name
                    ));
                }
                name.to_owned()
            }
            None => {
                let schema = domain.name.schema.clone();
                let taken = |candidate: &str| {
                    self.constraint_exists(&schema, candidate)
                        || domain.checks.iter().any(|check| check.name == candidate)
                        || self.schema.domains.values().any(|other| {
                            other.name.schema == schema
                                && other.checks.iter().any(|check| check.name == candidate)
                        })
                };
                naming::check_constraint_name(&domain.name.name, None, taken)
            }
        };
        domain.checks.push(DomainCheck { name, expression: canonical.text, not_valid });
        domain.checks.sort_by(|left, right| left.name.cmp(&right.name));
        Ok(())
    }

    fn alter_domain(&mut self, name: &Name, action: &AlterDomain) -> Result<(), String> {
        let Some(domain_name) =
            self.lookup(name, |qualified| self.schema.domains.contains_key(qualified))
        else {
            return Err(format!("type `{name}` does not exist"));
        };
        let mut domain = self.schema.domains[&domain_name].clone();
        let missing = |constraint: &str| {
            format!("constraint `{constraint}` of domain `{domain_name}` does not exist")
        };
        match action {
            AlterDomain::Nothing => {}
            AlterDomain::SetDefault(default) => {
                domain.default = Some(self.domain_default(&domain, default)?);
            }
            AlterDomain::DropDefault => domain.default = None,
            AlterDomain::SetNotNull => domain.not_null = true,
            AlterDomain::DropNotNull => domain.not_null = false,
            AlterDomain::AddCheck { name, expression, not_valid } => {
                self.add_domain_check(&mut domain, name.as_deref(), expression, *not_valid)?;
            }
            AlterDomain::DropConstraint { name, if_exists } => {
                let before = domain.checks.len();
                domain.checks.retain(|check| check.name != *name);
                if domain.checks.len() == before && !if_exists {
                    return Err(missing(name));
                }
            }
            AlterDomain::RenameConstraint { old, new } => {
                if domain.checks.iter().any(|check| check.name == *new) {
                    return Err(format!(
                        "constraint `{new}` for domain `{domain_name}` already exists"
                    ));
                }
                let Some(check) = domain.checks.iter_mut().find(|check| check.name == *old) else {
                    return Err(missing(old));
                };
                check.name = new.clone();
                let on = |name: &str| On::DomainConstraint {
                    domain: domain_name.clone(),
                    name: name.to_owned(),
                };
                self.schema.move_comment(&on(old), on(new));
                domain.checks.sort_by(|left, right| left.name.cmp(&right.name));
            }
            AlterDomain::ValidateConstraint(constraint) => {
                let Some(check) = domain.checks.iter_mut().find(|check| check.name == *constraint)
                else {
                    return Err(missing(constraint));
                };
                check.not_valid = false;
            }
            AlterDomain::Rename(new) => {
                let new_name = QualifiedName::new(domain_name.schema.clone(), new.clone());
                if self.type_exists(&new_name) {
                    return Err(format!("type `{new_name}` already exists"));
                }
                self.schema.domains.remove(&domain_name);
                domain.name = new_name.clone();
                self.rename_type_everywhere(&domain_name, &new_name);
                self.schema.add_domain(domain);
                return Ok(());
            }
        }
        self.schema.add_domain(domain);
        Ok(())
    }

    /// Type `old` called `new` wherever the schema uses it: columns (arrays
    /// too), domains over it, expressions that cast to it
    /// ([`Schema::rename_type`]). The tables it changes are touched first.
    fn rename_type_everywhere(&mut self, old: &QualifiedName, new: &QualifiedName) {
        let _ = self.follow(crate::query::Change::Type { old, new });
        self.change_every_table(|table| table.rename_type(old, new));
        self.schema.rename_type(old, new);
    }

    /// The columns of type `used` (or arrays of it), as (table, column).
    fn columns_of_type(&self, used: &SqlType) -> Vec<(QualifiedName, String)> {
        self.schema
            .tables
            .values()
            .flat_map(|table| {
                table
                    .columns
                    .iter()
                    .filter(|column| column.data_type.element() == used)
                    .map(|column| (table.name.clone(), column.name.clone()))
            })
            .collect()
    }

    /// The domains over type `used` (or arrays of it).
    fn domains_over(&self, used: &SqlType) -> Vec<QualifiedName> {
        self.schema
            .domains
            .values()
            .filter(|domain| domain.data_type.element() == used)
            .map(|domain| domain.name.clone())
            .collect()
    }

    /// What uses type `type_name` before `DROP TYPE`/`DROP DOMAIN`: its
    /// columns and the domains over it refuse the drop, or with `CASCADE`
    /// go first (as PostgreSQL does).
    fn drop_users_of_type(
        &mut self,
        type_name: &QualifiedName,
        cascade: bool,
    ) -> Result<(), String> {
        self.drop_routines_using_type(type_name, cascade)?;
        self.drop_views_casting_to(type_name, cascade)?;
        let used = SqlType::UserDefined { name: type_name.clone() };
        let columns = self.columns_of_type(&used);
        let domains = self.domains_over(&used);
        if !cascade {
            if let Some((table, column)) = columns.first() {
                return Err(format!(
                    "cannot drop type `{type_name}`: column `{column}` of `{table}` uses it (use CASCADE)"
                ));
            }
            if let Some(domain) = domains.first() {
                return Err(format!(
                    "cannot drop type `{type_name}`: domain `{domain}` uses it (use CASCADE)"
                ));
            }
        }
        for (table, column) in columns {
            self.drop_column(&table, &column, true)?;
        }
        for domain in domains {
            self.drop(DropKind::Domain, true, &Name(vec![domain.schema, domain.name]), true)?;
        }
        Ok(())
    }

    // ----- collations ----------------------------------------------------

    /// The collation `COLLATE name` names, as the catalog names it: the
    /// built-in ones (and any unqualified name no collation of the model
    /// on the search path has) in `pg_catalog`; `None` for `"default"`,
    /// the type's own.
    fn collation(&self, name: Option<&Name>) -> Result<Option<QualifiedName>, String> {
        let Some(name) = name else { return Ok(None) };
        if name.0.len() > 2 {
            return Err(format!("`{name}`: cross-database references are not implemented"));
        }
        let found = match name.schema() {
            Some("pg_catalog") => QualifiedName::new("pg_catalog", name.object()),
            Some(schema) => {
                let qualified = QualifiedName::new(schema, name.object());
                if !self.schema.collations.contains_key(&qualified) {
                    return Err(format!("collation `{name}` does not exist"));
                }
                qualified
            }
            None if BUILT_IN_COLLATIONS.contains(&name.object()) => {
                QualifiedName::new("pg_catalog", name.object())
            }
            None => self
                .lookup(name, |qualified| self.schema.collations.contains_key(qualified))
                .unwrap_or_else(|| QualifiedName::new("pg_catalog", name.object())),
        };
        Ok((found != QualifiedName::new("pg_catalog", "default")).then_some(found))
    }

    /// `CREATE COLLATION`. Out of line: `apply_in_place`'s frame is under
    /// every expression a statement reads (`tests/deep_input.rs`, on a
    /// 2 MiB stack), and stays small.
    #[inline(never)]
    fn create_collation(
        &mut self,
        name: &Name,
        if_not_exists: bool,
        definition: &CollationDefinition,
    ) -> Result<(), String> {
        let name = self.new_name(name)?;
        if self.schema.collations.contains_key(&name) {
            return match if_not_exists {
                true => Ok(()),
                false => Err(format!("collation `{name}` already exists")),
            };
        }
        let mut collation = match definition {
            CollationDefinition::From(from) => self.copied_collation(from)?,
            CollationDefinition::Options(options) => collation_from_options(options)?,
        };
        collation.name = name;
        self.schema.add_collation(collation);
        Ok(())
    }

    /// The options `CREATE COLLATION … FROM existing` copies: a collation
    /// of the model, or `"C"` / `"POSIX"` (every server's); the options of
    /// the others (the operating system's, ICU's) are not known offline.
    fn copied_collation(&self, from: &Name) -> Result<Collation, String> {
        if let Some(found) = (from.schema() != Some("pg_catalog"))
            .then(|| self.lookup(from, |qualified| self.schema.collations.contains_key(qualified)))
            .flatten()
        {
            return Ok(self.schema.collations[&found].clone());
        }
        let built_in = matches!(from.schema(), None | Some("pg_catalog"));
        match from.object() {
            "C" | "POSIX" if built_in => Ok(Collation {
                name: QualifiedName::new("", ""),
                provider: CollationProvider::Libc,
                locale: None,
                lc_collate: Some(from.object().to_owned()),
                lc_ctype: Some(from.object().to_owned()),
                nondeterministic: false,
                rules: None,
            }),
            "default" if built_in => Err("collation `default` cannot be copied".to_owned()),
            _ if !built_in => Err(format!("collation `{from}` does not exist")),
            _ => Err(format!(
                "autogen cannot tell what collation `{from}` is (it comes with the server's \
                 operating system or ICU): write its options out, `CREATE COLLATION … \
                 (provider = …, locale = …)`"
            )),
        }
    }

    fn find_collation(&self, name: &Name) -> Result<QualifiedName, String> {
        self.lookup(name, |qualified| self.schema.collations.contains_key(qualified))
            .ok_or_else(|| format!("collation `{name}` does not exist"))
    }

    /// `ALTER COLLATION … RENAME TO` / `SET SCHEMA`: everything that uses
    /// it follows (PostgreSQL refers to it by oid).
    fn alter_collation(&mut self, name: &Name, action: &AlterCollation) -> Result<(), String> {
        let old = self.find_collation(name)?;
        let new = match action {
            AlterCollation::Nothing => return Ok(()),
            AlterCollation::RenameTo(new) => QualifiedName::new(old.schema.clone(), new.clone()),
            AlterCollation::SetSchema(schema) => {
                QualifiedName::new(self.existing_schema(schema)?, old.name.clone())
            }
        };
        if new == old {
            return Ok(());
        }
        if self.schema.collations.contains_key(&new) {
            return Err(format!(
                "collation `{}` already exists in schema `{}`",
                new.name, new.schema
            ));
        }
        self.change_every_table(|table| table.rename_collation(&old, &new));
        self.schema.rename_collation(&old, &new);
        Ok(())
    }

    /// `DROP COLLATION`: refused while something uses it, unless
    /// `CASCADE`, which drops the columns, domains and attributes that do
    /// (an index or constraint that does is left to be dropped first).
    fn drop_collation(&mut self, name: &QualifiedName, cascade: bool) -> Result<(), String> {
        let users = self.schema.collation_users(name);
        if let (Some(user), false) = (users.first(), cascade) {
            return Err(format!("cannot drop collation `{name}`: {user} uses it (use CASCADE)"));
        }
        for user in users {
            match user {
                CollationUser::Column(table, column) => {
                    if self.schema.tables.get(&table).is_some_and(|t| t.column(&column).is_some()) {
                        self.drop_column(&table, &column, true)?;
                    }
                }
                CollationUser::Domain(domain) => {
                    self.drop(
                        DropKind::Domain,
                        true,
                        &Name(vec![domain.schema, domain.name]),
                        true,
                    )?;
                }
                CollationUser::Attribute(composite, attribute) => {
                    if let Some(found) = self.schema.composites.get_mut(&composite) {
                        found.attributes.retain(|kept| kept.name != attribute);
                    }
                }
                CollationUser::Table(..) => {
                    return Err(format!(
                        "autogen does not follow DROP COLLATION … CASCADE to {user}; drop it first"
                    ));
                }
            }
        }
        self.schema.collations.remove(name);
        Ok(())
    }

    /// `DROP TYPE` of a composite type: refused while a column, a domain
    /// or another type's attribute uses it, unless `CASCADE`, which drops
    /// them.
    fn drop_composite(&mut self, type_name: &QualifiedName, cascade: bool) -> Result<(), String> {
        self.drop_routines_using_type(type_name, cascade)?;
        let used = SqlType::UserDefined { name: type_name.clone() };
        let columns = self.columns_of_type(&used);
        let domains = self.domains_over(&used);
        let attributes: Vec<(QualifiedName, String)> = self
            .schema
            .composites
            .values()
            .flat_map(|composite| {
                composite
                    .attributes
                    .iter()
                    .filter(|attribute| attribute.data_type.element() == &used)
                    .map(|attribute| (composite.name.clone(), attribute.name.clone()))
            })
            .collect();
        if !cascade {
            let user =
                (columns.iter().map(|(table, column)| format!("column `{column}` of `{table}`")))
                    .chain(domains.iter().map(|domain| format!("domain `{domain}`")))
                    .chain(attributes.iter().map(|(composite, attribute)| {
                        format!("attribute `{attribute}` of `{composite}`")
                    }))
                    .next();
            if let Some(user) = user {
                return Err(format!(
                    "cannot drop type `{type_name}`: {user} uses it (use CASCADE)"
                ));
            }
        }
        for (table, column) in columns {
            self.drop_column(&table, &column, true)?;
        }
        for domain in domains {
            self.drop(DropKind::Domain, true, &Name(vec![domain.schema, domain.name]), true)?;
        }
        for (composite, attribute) in attributes {
            if let Some(found) = self.schema.composites.get_mut(&composite) {
                found.attributes.retain(|kept| kept.name != attribute);
            }
        }
        self.schema.composites.remove(type_name);
        Ok(())
    }

    // ----- what the model does not describe -------------------------------

    /// The modelled objects a set-aside statement's references name: the
    /// tables a view reads and the columns of theirs it names (every one
    /// for `*`), with their enum types; the types, foreign keys, sequences
    /// and parents a table declares. Names that resolve to nothing
    /// modelled are not dependencies.
    fn dependencies(&self, references: &References) -> Vec<Dependency> {
        let hard = |on: Reference| Dependency { on, blocks_drop: true };
        let mut found = Vec::new();
        for relation in &references.relations {
            let Some(name) = self.find_table(relation) else { continue };
            let table = &self.schema.tables[&name];
            found.push(hard(Reference::Table(name.clone())));
            for column in &table.columns {
                if references.star || references.columns.contains(&column.name) {
                    found.push(hard(Reference::Column(name.clone(), column.name.clone())));
                    found.extend(self.type_dependency(&column.data_type).map(hard));
                }
            }
        }
        for type_name in &references.types {
            if let Some(found_type) =
                self.lookup(type_name, |qualified| self.schema.enums.contains_key(qualified))
            {
                found.push(hard(Reference::Type(found_type)));
            }
        }
        for (referenced, columns) in &references.foreign_keys {
            let Some(name) = self.find_table(referenced) else { continue };
            let table = &self.schema.tables[&name];
            let key_columns: Vec<String> = match (columns.is_empty(), &table.primary_key) {
                (true, Some(key)) => key.columns.clone(),
                _ => columns.clone(),
            };
            found.extend(
                key_columns
                    .iter()
                    .map(|column| hard(Reference::Column(name.clone(), column.clone()))),
            );
            if let Some(index) = key_index(table, &key_columns) {
                found.push(hard(Reference::Index(QualifiedName::new(name.schema.clone(), index))));
            }
        }
        for sequence in &references.sequences {
            let Ok(written) = ddl::parse_name(sequence) else { continue };
            let sequence = self.lookup(&written, |qualified| {
                self.schema.sequences.contains_key(qualified) || self.owner_of(qualified).is_some()
            });
            found.extend(sequence.map(|sequence| hard(Reference::Sequence(sequence))));
        }
        for parent in &references.parents {
            if let Some(name) = self.find_table(parent) {
                found.push(hard(Reference::Table(name)));
            }
        }
        found.extend(self.routine_dependencies(&references.functions));
        found
    }

    /// What a table that becomes a partition depends on: its columns'
    /// enum types, the sequences its defaults call, what its foreign keys
    /// reference.
    fn table_dependencies(&self, table: &Table) -> Vec<Dependency> {
        let hard = |on: Reference| Dependency { on, blocks_drop: true };
        let mut found = Vec::new();
        for column in &table.columns {
            found.extend(self.type_dependency(&column.data_type).map(hard));
            if let Some(default) = &column.default {
                found.extend(
                    autogen_schema::expression::sequences_used(default)
                        .into_iter()
                        .map(|sequence| hard(Reference::Sequence(sequence))),
                );
            }
        }
        for key in &table.foreign_keys {
            found.extend(key.referenced_columns.iter().map(|column| {
                hard(Reference::Column(key.referenced_table.clone(), column.clone()))
            }));
        }
        found
    }

    /// The enum a column type is (or is an array of), as a reference.
    fn type_dependency(&self, data_type: &SqlType) -> Option<Reference> {
        match data_type {
            SqlType::UserDefined { name } if self.schema.enums.contains_key(name) => {
                Some(Reference::Type(name.clone()))
            }
            SqlType::Array { element, .. } => self.type_dependency(element),
            _ => None,
        }
    }

    // ----- sequences -----------------------------------------------------

    fn alter_sequence(
        &mut self,
        name: &Name,
        if_exists: bool,
        options: &ddl::SequenceOptions,
    ) -> Result<(), String> {
        let free = self.lookup(name, |qualified| self.schema.sequences.contains_key(qualified));
        if let Some(qualified) = free {
            let data_type = options
                .data_type
                .as_ref()
                .map(|data_type| self.sequence_type(data_type))
                .transpose()?;
            let sequence = self.schema.sequences.get_mut(&qualified).expect("found");
            if let Some(data_type) = data_type {
                sequence.data_type = data_type;
            }
            sequence.options = sequence_options(&sequence.data_type, &sequence.options, options)?;
            if let Some(owner) = &options.owned_by {
                self.own_sequence(&qualified, owner.as_ref())?;
            }
            return Ok(());
        }
        // A sequence owned by a column already.
        let owned = self.lookup(name, |qualified| self.owner_of(qualified).is_some());
        let Some(qualified) = owned else {
            return match if_exists {
                true => Ok(()),
                false => Err(format!("relation `{name}` does not exist")),
            };
        };
        let (table_name, column_name) = self.owner_of(&qualified).expect("found");
        let table = self.table_mut(&table_name);
        let column =
            table.columns.iter_mut().find(|column| column.name == column_name).expect("found");
        if let Some(sequence) = &mut column.owned_sequence {
            let data_type = sequence.data_type.clone();
            sequence.options = sequence_options(&data_type, &sequence.options, options)?;
            if let Some(owner) = &options.owned_by {
                // Re-owned or disowned: it is no column's, for now.
                let sequence = column.owned_sequence.take().expect("owned");
                self.schema.add_sequence(Sequence {
                    name: sequence.name.clone(),
                    data_type: sequence.data_type,
                    options: sequence.options,
                });
                if let Some(owner) = owner {
                    self.own_sequence(&sequence.name, Some(owner))?;
                }
            }
        } else if let Some(identity) = &mut column.identity {
            let data_type = column.data_type.clone();
            identity.options = sequence_options(&data_type, &identity.options, options)?;
        }
        Ok(())
    }

    /// `ALTER SEQUENCE … RENAME TO`: defaults that call it print the new
    /// name.
    fn rename_sequence(
        &mut self,
        name: &Name,
        if_exists: bool,
        new_name: &str,
    ) -> Result<(), String> {
        let free = self.lookup(name, |qualified| self.schema.sequences.contains_key(qualified));
        let owned = self.lookup(name, |qualified| self.owner_of(qualified).is_some());
        let Some(old) = free.clone().or(owned) else {
            return match if_exists {
                true => Ok(()),
                false => Err(format!("relation `{name}` does not exist")),
            };
        };
        self.check_relation_name_free(&old.schema, new_name)?;
        let new = QualifiedName::new(old.schema.clone(), new_name);
        if free.is_some() {
            let mut sequence = self.schema.sequences.remove(&old).expect("found");
            sequence.name = new.clone();
            self.schema.add_sequence(sequence);
            self.schema.move_comment(&On::Sequence(old.clone()), On::Sequence(new.clone()));
        }
        self.change_every_table(|table| {
            for column in &mut table.columns {
                if let Some(sequence) = &mut column.owned_sequence {
                    if sequence.name == old {
                        sequence.name = new.clone();
                    }
                }
                if let Some(identity) = &mut column.identity {
                    if identity.sequence_name == old {
                        identity.sequence_name = new.clone();
                    }
                }
                if let Some(default) = &mut column.default {
                    *default = autogen_schema::expression::rename_sequence(default, &old, &new);
                }
            }
        });
        Ok(())
    }

    /// `DROP SEQUENCE s` of a sequence no column owns: refused while a
    /// column's default calls it, unless `CASCADE`, which drops those
    /// defaults (as PostgreSQL does).
    fn drop_sequence_no_column_owns(
        &mut self,
        sequence: &QualifiedName,
        cascade: bool,
    ) -> Result<(), String> {
        let uses = |column: &Column| {
            column.default.as_deref().is_some_and(|default| {
                autogen_schema::expression::sequences_used(default).contains(sequence)
            })
        };
        let users: Vec<QualifiedName> = self
            .schema
            .tables
            .values()
            .filter(|table| table.columns.iter().any(uses))
            .map(|table| table.name.clone())
            .collect();
        if let Some(table) = users.first() {
            if !cascade {
                return Err(format!(
                    "cannot drop sequence `{sequence}` because a default of `{table}` uses it \
                     (use CASCADE)"
                ));
            }
        }
        for table in users {
            for column in &mut self.table_mut(&table).columns {
                if uses(column) {
                    column.default = None;
                }
            }
        }
        self.schema.sequences.remove(sequence);
        Ok(())
    }

    /// The column that owns sequence `name`, if any.
    fn owner_of(&self, name: &QualifiedName) -> Option<(QualifiedName, String)> {
        self.names.sequence_owner(&self.schema.tables, name)
    }

    /// `ALTER SEQUENCE s OWNED BY t.c`: the sequence becomes the column's.
    fn own_sequence(
        &mut self,
        sequence: &QualifiedName,
        owner: Option<&Name>,
    ) -> Result<(), String> {
        let Some(owner) = owner else {
            return Ok(());
        };
        let (table, column) = match owner.0.as_slice() {
            [table, column] => (Name(vec![table.clone()]), column.clone()),
            [schema, table, column] => (Name(vec![schema.clone(), table.clone()]), column.clone()),
            _ => return Err(format!("`OWNED BY {owner}`: name the table and the column")),
        };
        let Some(table_name) = self.find_table(&table) else {
            return Err(format!("relation `{table}` does not exist"));
        };
        if table_name.schema != sequence.schema {
            return Err("a sequence must be in the same schema as the table it is owned by".into());
        }
        let free = self.schema.sequences.get(sequence).expect("a free sequence").clone();
        let table = self.table_mut(&table_name);
        let Some(column) = table.columns.iter_mut().find(|candidate| candidate.name == column)
        else {
            return Err(format!("column `{column}` does not exist in `{table_name}`"));
        };
        if column.owned_sequence.is_some() || column.identity.is_some() {
            return Err(format!("column `{}` already owns a sequence", column.name));
        }
        column.owned_sequence = Some(Box::new(OwnedSequence {
            name: free.name,
            options: free.options,
            data_type: free.data_type,
        }));
        self.schema.sequences.remove(sequence);
        Ok(())
    }

    // ----- types, drops, comments ----------------------------------------

    /// An attribute of a composite type from its definition.
    fn attribute(&self, definition: &ddl::AttributeDef) -> Result<Attribute, String> {
        let (data_type, serial) = self.resolve_type(&definition.data_type)?;
        if let Some(serial) = serial {
            return Err(format!("type `{serial}` does not exist"));
        }
        Ok(Attribute {
            name: definition.name.clone(),
            data_type,
            collation: self.collation(definition.collation.as_ref())?,
        })
    }

    fn alter_composite(
        &mut self,
        type_name: &QualifiedName,
        action: &AlterType,
    ) -> Result<(), String> {
        let mut composite = self.schema.composites[type_name].clone();
        match action {
            AlterType::Nothing => {}
            AlterType::Attributes(actions) => {
                for action in actions {
                    match action {
                        AttributeAction::Add(definition) => {
                            if composite.attribute(&definition.name).is_some() {
                                return Err(format!(
                                    "column `{}` of relation `{type_name}` already exists",
                                    definition.name
                                ));
                            }
                            composite.attributes.push(self.attribute(definition)?);
                        }
                        AttributeAction::Drop { name, if_exists } => {
                            let before = composite.attributes.len();
                            composite.attributes.retain(|attribute| attribute.name != *name);
                            if before == composite.attributes.len() && !if_exists {
                                return Err(format!(
                                    "column `{name}` of relation `{type_name}` does not exist"
                                ));
                            }
                        }
                        AttributeAction::SetType(definition) => {
                            let attribute = self.attribute(definition)?;
                            let Some(found) = composite
                                .attributes
                                .iter_mut()
                                .find(|found| found.name == definition.name)
                            else {
                                return Err(format!(
                                    "column `{}` of relation `{type_name}` does not exist",
                                    definition.name
                                ));
                            };
                            *found = attribute;
                        }
                    }
                }
            }
            AlterType::RenameAttribute { old, new } => {
                if composite.attribute(new).is_some() {
                    return Err(format!("column `{new}` of relation `{type_name}` already exists"));
                }
                let Some(found) =
                    composite.attributes.iter_mut().find(|attribute| attribute.name == *old)
                else {
                    return Err(format!("column `{old}` does not exist"));
                };
                found.name = new.clone();
            }
            AlterType::RenameTo(new) | AlterType::SetSchema(new) => {
                let new_name = match action {
                    AlterType::RenameTo(_) => QualifiedName::new(type_name.schema.clone(), new),
                    _ => QualifiedName::new(self.existing_schema(new)?, type_name.name.clone()),
                };
                if self.type_exists(&new_name) {
                    return Err(format!("type `{new_name}` already exists"));
                }
                self.schema.composites.remove(type_name);
                composite.name = new_name.clone();
                self.rename_type_everywhere(type_name, &new_name);
            }
            AlterType::AddValue { .. } | AlterType::RenameValue { .. } => {
                return Err(format!("`{type_name}` is not an enum"));
            }
        }
        self.schema.add_composite(composite);
        Ok(())
    }

    fn alter_type(&mut self, name: &Name, action: &AlterType) -> Result<(), String> {
        if let Some(type_name) =
            self.lookup(name, |qualified| self.schema.composites.contains_key(qualified))
        {
            return self.alter_composite(&type_name, action);
        }
        let Some(type_name) =
            self.lookup(name, |qualified| self.schema.enums.contains_key(qualified))
        else {
            return Err(format!("type `{name}` does not exist"));
        };
        if matches!(action, AlterType::Attributes(_) | AlterType::RenameAttribute { .. }) {
            return Err(format!("`{type_name}` is not a composite type"));
        }
        let enum_type = self.schema.enums.get_mut(&type_name).expect("found");
        match action {
            AlterType::Nothing => {}
            AlterType::AddValue { if_not_exists, label, before } => {
                if enum_type.labels.contains(label) {
                    if *if_not_exists {
                        return Ok(());
                    }
                    return Err(format!("enum label `{label}` already exists in `{type_name}`"));
                }
                let position = match before {
                    None => enum_type.labels.len(),
                    Some((before, neighbour)) => {
                        let Some(position) = enum_type.labels.iter().position(|l| l == neighbour)
                        else {
                            return Err(format!(
                                "`{neighbour}` is not an existing enum label of `{type_name}`"
                            ));
                        };
                        if *before {
                            position
                        } else {
                            position + 1
                        }
                    }
                };
                enum_type.labels.insert(position, label.clone());
            }
            AlterType::RenameValue { old, new } => {
                if enum_type.labels.contains(new) {
                    return Err(format!("enum label `{new}` already exists in `{type_name}`"));
                }
                let Some(label) = enum_type.labels.iter_mut().find(|label| *label == old) else {
                    return Err(format!("`{old}` is not an existing enum label of `{type_name}`"));
                };
                *label = new.clone();
                let (old, new) = (old.clone(), new.clone());
                self.rewrite_enum_literals(&type_name, &old, &new);
            }
            AlterType::RenameTo(new) => {
                let new_name = QualifiedName::new(type_name.schema.clone(), new.clone());
                self.move_enum(&type_name, new_name)?;
            }
            AlterType::SetSchema(schema) => {
                let schema = self.existing_schema(schema)?;
                let new_name = QualifiedName::new(schema, type_name.name.clone());
                self.move_enum(&type_name, new_name)?;
            }
            AlterType::Attributes(_) | AlterType::RenameAttribute { .. } => {
                unreachable!("refused above")
            }
        }
        Ok(())
    }

    fn move_enum(&mut self, old: &QualifiedName, new: QualifiedName) -> Result<(), String> {
        if self.schema.enums.contains_key(&new) {
            return Err(format!("type `{new}` already exists"));
        }
        let mut enum_type = self.schema.enums.remove(old).expect("found");
        enum_type.name = new.clone();
        self.schema.add_enum(enum_type);
        self.rename_type_everywhere(old, &new);
        Ok(())
    }

    /// What PostgreSQL does on `ALTER TYPE … RENAME VALUE`: every
    /// expression comparing with the label (of tables and domains) follows.
    fn rewrite_enum_literals(&mut self, type_name: &QualifiedName, old: &str, new: &str) {
        let rename = |text: &str| expr::rename_enum_label(text, type_name, old, new);
        self.change_every_table(|table| table.change_expressions(rename));
        for domain in self.schema.domains.values_mut() {
            domain.change_expressions(rename);
        }
    }

    fn drop(
        &mut self,
        kind: DropKind,
        if_exists: bool,
        name: &Name,
        cascade: bool,
    ) -> Result<(), String> {
        let missing = |what: &str| -> Result<(), String> {
            match if_exists {
                true => Ok(()),
                false => Err(format!("{what} `{name}` does not exist")),
            }
        };
        match kind {
            DropKind::Table => {
                let outside =
                    self.lookup(name, |qualified| self.unmodelled.contains_key(qualified));
                if let (None, Some(outside)) = (self.find_table(name), outside) {
                    // A partitioned, inherited or foreign table: gone.
                    self.unmodelled.remove(&outside);
                    return Ok(());
                }
                let Some(table_name) = self.find_table(name) else {
                    if let Some(view) = self.find_view(name) {
                        return Err(format!(
                            "`{view}` is not a table; use DROP VIEW or DROP MATERIALIZED VIEW"
                        ));
                    }
                    return missing("table");
                };
                self.drop_views_reading(&table_name, cascade, "table")?;
                let dependents: Vec<(QualifiedName, String)> = self
                    .schema
                    .tables
                    .values()
                    .filter(|other| other.name != table_name)
                    .flat_map(|other| {
                        other
                            .foreign_keys
                            .iter()
                            .filter(|key| key.referenced_table == table_name)
                            .map(|key| (other.name.clone(), key.name.clone()))
                    })
                    .collect();
                if let Some((other, key)) = dependents.first() {
                    if !cascade {
                        return Err(format!(
                            "cannot drop table `{table_name}`: constraint `{key}` on `{other}` depends on it (use CASCADE)"
                        ));
                    }
                }
                self.drop_routines_using_type(&table_name, cascade)?;
                self.drop_partitions_and_children(&table_name, cascade)?;
                for (other, key) in dependents {
                    self.table_mut(&other).foreign_keys.retain(|existing| existing.name != key);
                }
                // Its triggers and policies go with it, and constraint
                // triggers of other tables `FROM` it.
                self.remove_table(&table_name);
                self.inherited.remove(&table_name);
                self.forget_triggers_from(&table_name);
            }
            DropKind::Index => {
                let Some((table_name, index)) = self.find_index(name) else {
                    if let Some((view, index)) = self.find_materialized_index(name) {
                        self.drop_materialized_index(&view, &index);
                        return Ok(());
                    }
                    return missing("index");
                };
                let table = self.table_mut(&table_name);
                let before = table.indexes.len();
                table.indexes.retain(|existing| existing.name != index);
                if table.indexes.len() == before {
                    return Err(format!(
                        "cannot drop index `{index}`: constraint `{index}` on `{table_name}` requires it (drop the constraint)"
                    ));
                }
            }
            DropKind::Type => {
                if let Some(type_name) =
                    self.lookup(name, |q| self.schema.composites.contains_key(q))
                {
                    return self.drop_composite(&type_name, cascade);
                }
                let Some(type_name) = self.lookup(name, |q| self.schema.enums.contains_key(q))
                else {
                    return missing("type");
                };
                self.drop_users_of_type(&type_name, cascade)?;
                self.schema.enums.remove(&type_name);
            }
            DropKind::Domain => {
                let Some(domain_name) = self.lookup(name, |q| self.schema.domains.contains_key(q))
                else {
                    return missing("type");
                };
                self.drop_users_of_type(&domain_name, cascade)?;
                self.schema.domains.remove(&domain_name);
            }
            DropKind::Extension => {
                let extension = name.object().to_owned();
                if !self.schema.extensions.contains_key(&extension) {
                    return missing("extension");
                }
                if extension == "vector" {
                    let users: Vec<(QualifiedName, String)> = self
                        .schema
                        .tables
                        .values()
                        .flat_map(|table| {
                            table
                                .columns
                                .iter()
                                .filter(|column| {
                                    matches!(column.data_type.element(), SqlType::Vector { .. })
                                })
                                .map(|column| (table.name.clone(), column.name.clone()))
                        })
                        .collect();
                    if let Some((table, column)) = users.first() {
                        if !cascade {
                            return Err(format!(
                                "cannot drop extension `vector`: column `{column}` of `{table}` uses it (use CASCADE)"
                            ));
                        }
                    }
                    for (table, column) in users {
                        self.drop_column(&table, &column, true)?;
                    }
                }
                self.schema.extensions.remove(&extension);
            }
            DropKind::Collation => {
                let Some(collation) = self.lookup(name, |q| self.schema.collations.contains_key(q))
                else {
                    return missing("collation");
                };
                self.drop_collation(&collation, cascade)?;
            }
            DropKind::View | DropKind::MaterializedView => {
                return self.drop_views(kind, if_exists, std::slice::from_ref(name), cascade);
            }
            DropKind::Statistics => {
                let Some((table_name, found)) = self.find_statistics(name) else {
                    return missing("statistics object");
                };
                self.table_mut(&table_name)
                    .statistics
                    .retain(|statistics| statistics.name != found);
            }
            DropKind::Schema => {
                let schema = name.object().to_owned();
                if !self.schema.schemas.contains(&schema) {
                    return missing("schema");
                }
                let holds_statistics = |table: &Table| {
                    table.statistics.iter().any(|statistics| statistics.name.schema == schema)
                };
                let statistics_tables: Vec<QualifiedName> = (self.schema.tables.values())
                    .filter(|table| holds_statistics(table))
                    .map(|table| table.name.clone())
                    .collect();
                let has_objects = !statistics_tables.is_empty()
                    || self.schema_has_views(&schema)
                    || !in_schema(&self.schema.tables, &schema).is_empty()
                    || !in_schema(&self.schema.enums, &schema).is_empty()
                    || !in_schema(&self.schema.domains, &schema).is_empty()
                    || !in_schema(&self.schema.composites, &schema).is_empty()
                    || !in_schema(&self.schema.collations, &schema).is_empty()
                    || !in_schema(&self.schema.sequences, &schema).is_empty()
                    || self.schema.extensions.values().any(|extension| extension.schema == schema)
                    || self.has_routines_in(&schema);
                if has_objects && !cascade {
                    return Err(format!(
                        "cannot drop schema `{schema}` because other objects depend on it (use CASCADE)"
                    ));
                }
                self.drop_routines_in_schema(&schema)?;
                self.drop_views_in_schema(&schema)?;
                let tables = in_schema(&self.schema.tables, &schema);
                for table in statistics_tables {
                    (self.table_mut(&table).statistics)
                        .retain(|statistics| statistics.name.schema != schema);
                }
                for table in tables {
                    self.drop(DropKind::Table, true, &Name(vec![table.schema, table.name]), true)?;
                }
                let domains = in_schema(&self.schema.domains, &schema);
                for domain in domains {
                    // Gone already when a domain it was over went first.
                    if self.schema.domains.contains_key(&domain) {
                        self.drop(
                            DropKind::Domain,
                            true,
                            &Name(vec![domain.schema, domain.name]),
                            true,
                        )?;
                    }
                }
                let composites = in_schema(&self.schema.composites, &schema);
                for composite in composites {
                    if self.schema.composites.contains_key(&composite) {
                        self.drop_composite(&composite, true)?;
                    }
                }
                let enums = in_schema(&self.schema.enums, &schema);
                for enum_name in enums {
                    self.drop(
                        DropKind::Type,
                        true,
                        &Name(vec![enum_name.schema, enum_name.name]),
                        true,
                    )?;
                }
                let extensions: Vec<String> = self
                    .schema
                    .extensions
                    .values()
                    .filter(|extension| extension.schema == schema)
                    .map(|extension| extension.name.clone())
                    .collect();
                for extension in extensions {
                    self.drop(DropKind::Extension, true, &Name(vec![extension]), true)?;
                }
                let collations = in_schema(&self.schema.collations, &schema);
                for collation in collations {
                    self.drop_collation(&collation, true)?;
                }
                self.schema.sequences.retain(|sequence, _| sequence.schema != schema);
                self.schema.schemas.remove(&schema);
            }
            DropKind::Sequence => {
                if let Some(qualified) =
                    self.lookup(name, |q| self.schema.sequences.contains_key(q))
                {
                    self.drop_sequence_no_column_owns(&qualified, cascade)?;
                    return Ok(());
                }
                let Some(qualified) = self.lookup(name, |q| self.owner_of(q).is_some()) else {
                    return missing("sequence");
                };
                let (table_name, column_name) = self.owner_of(&qualified).expect("found");
                let table = self.table_mut(&table_name);
                let column =
                    table.columns.iter_mut().find(|c| c.name == column_name).expect("found");
                if column.identity.is_some() {
                    return Err(format!(
                        "cannot drop sequence `{qualified}`: column `{column_name}` of `{table_name}` is an identity column"
                    ));
                }
                let uses_default = column.default.as_deref() == Some(nextval(&qualified).as_str());
                if uses_default && !cascade {
                    return Err(format!(
                        "cannot drop sequence `{qualified}`: the default of `{table_name}`.`{column_name}` uses it (use CASCADE)"
                    ));
                }
                if uses_default {
                    column.default = None;
                }
                column.owned_sequence = None;
            }
        }
        Ok(())
    }

    fn comment(
        &mut self,
        target: &CommentTarget,
        name: &Name,
        comment: &Option<String>,
    ) -> Result<(), String> {
        let comment = comment.clone().filter(|comment| !comment.is_empty());
        let on = match target {
            CommentTarget::Trigger { on } => {
                return self.comment_on_trigger_or_policy(true, on, name, comment);
            }
            CommentTarget::Policy { on } => {
                return self.comment_on_trigger_or_policy(false, on, name, comment);
            }
            CommentTarget::Table => {
                let Some(table_name) = self.find_table(name) else {
                    if let Some(result) = self.comment_view_column(name, None, comment) {
                        return result;
                    }
                    return Err(format!("relation `{name}` does not exist"));
                };
                self.table_mut(&table_name).comment = comment;
                return Ok(());
            }
            CommentTarget::Column => {
                let mut parts = name.0.clone();
                let Some(column) = parts.pop().filter(|_| !parts.is_empty()) else {
                    return Err(format!(
                        "`COMMENT ON COLUMN {name}`: name the table and the column"
                    ));
                };
                let table = Name(parts);
                let Some(table_name) = self.find_table(&table) else {
                    if let Some(result) = self.comment_view_column(&table, Some(&column), comment) {
                        return result;
                    }
                    return Err(format!("relation `{table}` does not exist"));
                };
                let table = self.table_mut(&table_name);
                let Some(found) = table.columns.iter_mut().find(|c| c.name == column) else {
                    return Err(format!("column `{column}` does not exist in `{table_name}`"));
                };
                found.comment = comment;
                return Ok(());
            }
            CommentTarget::Schema | CommentTarget::Extension if name.0.len() > 1 => {
                return Err(format!(
                    "`{name}`: a {} name takes no qualification",
                    match target {
                        CommentTarget::Schema => "schema",
                        _ => "extension",
                    }
                ));
            }
            CommentTarget::Schema => On::Schema(self.existing_schema(name.object())?),
            CommentTarget::Extension => {
                let extension = name.object().to_owned();
                if !self.schema.extensions.contains_key(&extension) {
                    return Err(format!("extension `{extension}` does not exist"));
                }
                On::Extension(extension)
            }
            CommentTarget::Type | CommentTarget::Domain => {
                let found = self.lookup(name, |qualified| match target {
                    CommentTarget::Domain => self.schema.domains.contains_key(qualified),
                    _ => self.type_exists(qualified),
                });
                match found {
                    Some(type_name) => On::Type(type_name),
                    None if *target == CommentTarget::Domain && self.find_type(name).is_some() => {
                        return Err(format!("`{name}` is not a domain"));
                    }
                    None => return Err(format!("type `{name}` does not exist")),
                }
            }
            CommentTarget::Sequence => {
                match self.lookup(name, |qualified| self.schema.sequences.contains_key(qualified)) {
                    Some(sequence) => On::Sequence(sequence),
                    None if self.find_table(name).is_some() => {
                        return Err(format!("`{name}` is not a sequence"));
                    }
                    None => return Err(format!("relation `{name}` does not exist")),
                }
            }
            CommentTarget::Collation => On::Collation(self.find_collation(name)?),
            CommentTarget::View => return self.comment_view(name, false, comment),
            CommentTarget::MaterializedView => return self.comment_view(name, true, comment),
            CommentTarget::Index => match self.find_index(name) {
                Some((table, index)) => On::Index(QualifiedName::new(table.schema, index)),
                None if self.find_materialized_index(name).is_some() => {
                    let (view, index) = self.find_materialized_index(name).expect("found");
                    On::Index(QualifiedName::new(view.schema, index))
                }
                None if self.find_table(name).is_some() => {
                    return Err(format!("`{name}` is not an index"));
                }
                None => return Err(format!("relation `{name}` does not exist")),
            },
            CommentTarget::Constraint { on, domain: false } => {
                let Some(table_name) = self.find_table(on) else {
                    return Err(format!("relation `{on}` does not exist"));
                };
                let constraint = name.object().to_owned();
                if !self.table(&table_name).has_constraint(&constraint) {
                    return Err(format!(
                        "constraint `{constraint}` for table `{table_name}` does not exist"
                    ));
                }
                On::Constraint { table: table_name, name: constraint }
            }
            CommentTarget::Constraint { on, domain: true } => {
                let Some(domain_name) =
                    self.lookup(on, |qualified| self.schema.domains.contains_key(qualified))
                else {
                    return match self.find_type(on) {
                        Some(_) => Err(format!("`{on}` is not a domain")),
                        None => Err(format!("type `{on}` does not exist")),
                    };
                };
                let constraint = name.object().to_owned();
                let domain = &self.schema.domains[&domain_name];
                if !domain.checks.iter().any(|check| check.name == constraint) {
                    return Err(format!(
                        "constraint `{constraint}` for domain `{domain_name}` does not exist"
                    ));
                }
                On::DomainConstraint { domain: domain_name, name: constraint }
            }
        };
        self.schema.set_comment(on, comment);
        Ok(())
    }

    /// A type the model holds called `name` (through the search path).
    fn find_type(&self, name: &Name) -> Option<QualifiedName> {
        self.lookup(name, |qualified| self.type_exists(qualified))
    }

    /// Why a `COMMENT ON` is about an object the model does not describe,
    /// if it is: a relation, type or sequence set aside (a view, a range
    /// type), a sequence a column owns, an index the model does not hold
    /// while some relation is set aside (its index may be one).
    fn comment_left_out(&self, target: &CommentTarget, name: &Name) -> Option<String> {
        let set_aside = |name: &Name| {
            let found = self.lookup(name, |qualified| self.unmodelled.contains_key(qualified))?;
            Some(format!(
                "`{found}` is not modelled by autogen yet ({}); its comment is left out",
                self.unmodelled[&found].what
            ))
        };
        match target {
            CommentTarget::Type | CommentTarget::Domain | CommentTarget::Sequence
                if self
                    .lookup(name, |qualified| {
                        self.type_exists(qualified) || self.schema.sequences.contains_key(qualified)
                    })
                    .is_none() =>
            {
                if let Some(owned) =
                    self.lookup(name, |qualified| self.owner_of(qualified).is_some())
                {
                    return Some(format!(
                        "comments on a sequence a column owns (`{owned}`) are not modelled by \
                         autogen yet; left out"
                    ));
                }
                set_aside(name)
            }
            CommentTarget::Index if self.find_index(name).is_none() => {
                set_aside(name).or_else(|| {
                    (!self.unmodelled.is_empty() && self.find_table(name).is_none()).then(|| {
                        format!(
                            "index `{name}` is not one autogen models (it may be on a relation \
                             autogen does not model yet); its comment is left out"
                        )
                    })
                })
            }
            CommentTarget::Constraint { on, domain: true } => set_aside(on),
            _ => None,
        }
    }
}

/// What `SET STATISTICS target` leaves in the model (`None`: `DEFAULT`
/// or -1): PostgreSQL refuses less than -1 and lowers more than 10000,
/// with a warning.
fn statistics_target(
    target: Option<i64>,
    warnings: &mut Vec<String>,
) -> Result<Option<i32>, String> {
    match target {
        None | Some(-1) => Ok(None),
        Some(target) if target < -1 => Err(format!("statistics target {target} is too low")),
        Some(target) if target > 10000 => {
            warnings.push("lowering statistics target to 10000".to_owned());
            Ok(Some(10000))
        }
        Some(target) => Ok(Some(i32::try_from(target).expect("within 0..=10000"))),
    }
}

fn same_set(left: &[String], right: &[String]) -> bool {
    left.len() == right.len() && left.iter().all(|column| right.contains(column))
}

/// A default that is just `NULL` is no default: PostgreSQL stores none.
fn not_null_constant(text: String) -> Option<String> {
    (text != "NULL" && !text.starts_with("NULL::")).then_some(text)
}

/// `nextval('seq'::regclass)` as `pg_get_expr` prints it.
fn nextval(sequence: &QualifiedName) -> String {
    format!(
        "nextval({}::regclass)",
        autogen_schema::quote_literal(&autogen_schema::sequence_reference(sequence))
    )
}

/// The collations every server has in `pg_catalog` (those of the
/// operating system and ICU vary): an unqualified name finds them before
/// any schema of the search path.
const BUILT_IN_COLLATIONS: &[&str] =
    &["default", "C", "POSIX", "ucs_basic", "unicode", "pg_c_utf8", "pg_unicode_fast"];

/// A collation from `CREATE COLLATION`'s options, checked as PostgreSQL
/// checks them (`DefineCollation`); its name is the caller's.
fn collation_from_options(options: &[(String, String)]) -> Result<Collation, String> {
    let mut said: BTreeMap<&str, &str> = BTreeMap::new();
    for (option, value) in options {
        let known = ["provider", "locale", "lc_collate", "lc_ctype", "deterministic", "rules"];
        if !known.contains(&option.as_str()) && option != "version" {
            return Err(format!("collation attribute `{option}` not recognized"));
        }
        if said.insert(option, value).is_some() {
            return Err(format!("conflicting or redundant options: `{option}` is given twice"));
        }
    }
    let locale = said.get("locale").map(|value| (*value).to_owned());
    if locale.is_some() && (said.contains_key("lc_collate") || said.contains_key("lc_ctype")) {
        return Err(
            "conflicting or redundant options: `locale` with `lc_collate` or `lc_ctype`".to_owned()
        );
    }
    let provider = match said.get("provider") {
        None => CollationProvider::Libc,
        Some(value) => CollationProvider::from_code(value)
            .filter(|_| value.len() > 1)
            .ok_or_else(|| format!("unrecognized collation provider: {value}"))?,
    };
    let deterministic = match said.get("deterministic").map(|value| value.to_ascii_lowercase()) {
        None => true,
        Some(value) => match value.as_str() {
            "true" | "on" | "1" => true,
            "false" | "off" | "0" => false,
            _ => return Err(format!("deterministic requires a Boolean value, not `{value}`")),
        },
    };
    let rules = said.get("rules").map(|value| (*value).to_owned());
    let mut collation = Collation {
        name: QualifiedName::new("", ""),
        provider,
        locale: None,
        lc_collate: None,
        lc_ctype: None,
        nondeterministic: !deterministic,
        rules: rules.filter(|rules| !rules.is_empty()),
    };
    if provider == CollationProvider::Libc {
        let part = |option: &str| said.get(option).map(|value| (*value).to_owned());
        collation.lc_collate = part("lc_collate").or_else(|| locale.clone());
        collation.lc_ctype = part("lc_ctype").or_else(|| locale.clone());
        for (option, value) in
            [("lc_collate", &collation.lc_collate), ("lc_ctype", &collation.lc_ctype)]
        {
            if value.is_none() {
                return Err(format!("parameter `{option}` must be specified"));
            }
        }
    } else {
        if locale.is_none() {
            return Err("parameter `locale` must be specified".to_owned());
        }
        collation.locale = locale;
    }
    if !deterministic && provider != CollationProvider::Icu {
        return Err("nondeterministic collations are not supported with this provider".to_owned());
    }
    if said.contains_key("rules") && provider != CollationProvider::Icu {
        return Err("ICU rules cannot be specified unless locale provider is ICU".to_owned());
    }
    Ok(collation)
}

/// The extension a well-known type comes from.
fn extension_of_type(name: &str) -> Option<&'static str> {
    Some(match name {
        "citext" => "citext",
        "hstore" => "hstore",
        "ltree" | "lquery" | "ltxtquery" => "ltree",
        "cube" => "cube",
        "geometry" | "geography" | "box2d" | "box3d" => "postgis",
        "isbn" | "isbn13" | "ean13" | "issn" | "ismn" | "upc" => "isn",
        _ => return None,
    })
}

/// The default operator class of `method` for `data_type`, where autogen
/// knows it (the written class is kept otherwise).
fn default_opclass(method: &IndexMethod, data_type: &SqlType) -> Option<&'static str> {
    match (method, data_type) {
        (IndexMethod::Btree | IndexMethod::Hash, SqlType::Integer) => Some("int4_ops"),
        (IndexMethod::Btree | IndexMethod::Hash, SqlType::BigInt) => Some("int8_ops"),
        (IndexMethod::Btree | IndexMethod::Hash, SqlType::SmallInt) => Some("int2_ops"),
        (IndexMethod::Btree | IndexMethod::Hash, SqlType::Text | SqlType::Varchar { .. }) => {
            Some("text_ops")
        }
        (IndexMethod::Btree | IndexMethod::Hash, SqlType::Uuid) => Some("uuid_ops"),
        (IndexMethod::Gin, SqlType::Jsonb) => Some("jsonb_ops"),
        (IndexMethod::Gin, SqlType::Array { .. }) => Some("array_ops"),
        (IndexMethod::Gin, SqlType::Builtin { name }) if name == "tsvector" => Some("tsvector_ops"),
        (IndexMethod::Gist, SqlType::Builtin { name }) if name == "tsvector" => {
            Some("tsvector_ops")
        }
        (IndexMethod::Gist | IndexMethod::Spgist, SqlType::Builtin { name })
            if name.ends_with("multirange") =>
        {
            Some("multirange_ops")
        }
        (IndexMethod::Gist | IndexMethod::Spgist, SqlType::Builtin { name })
            if name.ends_with("range") =>
        {
            Some("range_ops")
        }
        // btree_gist's defaults, for the scalar keys of exclusion constraints.
        (IndexMethod::Gist, SqlType::Integer) => Some("gist_int4_ops"),
        (IndexMethod::Gist, SqlType::BigInt) => Some("gist_int8_ops"),
        (IndexMethod::Gist, SqlType::SmallInt) => Some("gist_int2_ops"),
        (IndexMethod::Gist, SqlType::Text | SqlType::Varchar { .. }) => Some("gist_text_ops"),
        (IndexMethod::Gist, SqlType::Uuid) => Some("gist_uuid_ops"),
        (IndexMethod::Ivfflat, SqlType::Vector { kind, .. }) => Some(match kind {
            autogen_schema::VectorKind::Vector => "vector_l2_ops",
            _ => return None,
        }),
        _ => None,
    }
}

/// Sequence options from what is written, over `base`, relative to the
/// defaults for `data_type` (as [`SequenceOptions::from_catalog`] stores
/// them).
fn sequence_options(
    data_type: &SqlType,
    base: &SequenceOptions,
    written: &ddl::SequenceOptions,
) -> Result<SequenceOptions, String> {
    let (type_min, type_max) = data_type.integer_bounds().unwrap_or((i64::MIN, i64::MAX));
    let increment = written.increment.or(base.increment).unwrap_or(1);
    if increment == 0 {
        return Err("INCREMENT must not be zero".to_owned());
    }
    let ascending = increment > 0;
    let min_value = match written.min_value {
        Some(Some(value)) => value,
        Some(None) => {
            if ascending {
                1
            } else {
                type_min
            }
        }
        None => base.min_value.unwrap_or(if ascending { 1 } else { type_min }),
    };
    let max_value = match written.max_value {
        Some(Some(value)) => value,
        Some(None) => {
            if ascending {
                type_max
            } else {
                -1
            }
        }
        None => base.max_value.unwrap_or(if ascending { type_max } else { -1 }),
    };
    let start =
        written.start.or(base.start).unwrap_or(if ascending { min_value } else { max_value });
    let cache = written.cache.or(base.cache).unwrap_or(1);
    // PostgreSQL's checks, in its order and words.
    if !(type_min..=type_max).contains(&min_value) {
        return Err(format!(
            "MINVALUE ({min_value}) is out of range for sequence data type {data_type}"
        ));
    }
    if !(type_min..=type_max).contains(&max_value) {
        return Err(format!(
            "MAXVALUE ({max_value}) is out of range for sequence data type {data_type}"
        ));
    }
    if min_value >= max_value {
        return Err(format!("MINVALUE ({min_value}) must be less than MAXVALUE ({max_value})"));
    }
    if start < min_value {
        return Err(format!("START value ({start}) cannot be less than MINVALUE ({min_value})"));
    }
    if start > max_value {
        return Err(format!("START value ({start}) cannot be greater than MAXVALUE ({max_value})"));
    }
    if cache < 1 {
        return Err(format!("CACHE ({cache}) must be greater than zero"));
    }
    let cycle = written.cycle.unwrap_or(base.cycle);
    Ok(SequenceOptions::from_catalog(
        data_type, start, increment, min_value, max_value, cache, cycle,
    ))
}

/// The primary key or unique constraint (its index) on exactly `columns`.
fn key_index(table: &Table, columns: &[String]) -> Option<String> {
    if let Some(key) = table.primary_key.as_ref().filter(|key| key.columns == columns) {
        return Some(key.name.clone());
    }
    table
        .unique_constraints
        .iter()
        .find(|unique| unique.columns == columns)
        .map(|unique| unique.name.clone())
}

/// One object of a kind the reader names in the plural (`views` → `view`).
/// The names of `objects` (tables, types, sequences, collations…) in
/// schema `schema`: what `DROP SCHEMA … CASCADE` takes along.
fn in_schema<T>(objects: &BTreeMap<QualifiedName, T>, schema: &str) -> Vec<QualifiedName> {
    objects.keys().filter(|name| name.schema == schema).cloned().collect()
}

fn one_of(what: &str) -> String {
    match what {
        "views" => "view",
        "materialized views" => "materialized view",
        "partitions" => "partition",
        "partitioned tables" => "partitioned table",
        "foreign tables" => "foreign table",
        other => other,
    }
    .to_owned()
}
