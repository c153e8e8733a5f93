//! The schema model: plain data, ordered collections, serde for JSON.
//!
//! Every source (a live catalog, SQL files, Rust models, a JSON snapshot)
//! produces a [`Schema`]; two schemas are compared with `==`. Names are stored
//! as PostgreSQL stores them and expressions as PostgreSQL prints them
//! (`pg_get_expr`, `pg_get_constraintdef`, `pg_get_indexdef`), so equal
//! schemas compare equal whatever their source.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::ident::QualifiedName;
use crate::routines::{Aggregate, Function, RoutineName};
use crate::triggers::{Policy, Trigger};
use crate::types::SqlType;
use crate::views::{MaterializedView, View};

/// A whole database schema: the namespaces, extensions, enums and tables
/// autogen manages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Schema {
    /// `pg_namespace.nspname` of every schema in scope, `public` included.
    pub schemas: BTreeSet<String>,
    /// `pg_extension`, by extension name.
    #[serde(with = "keyed")]
    pub extensions: BTreeMap<String, Extension>,
    /// `pg_type` rows with `typtype = 'e'` and their `pg_enum` labels.
    #[serde(with = "keyed")]
    pub enums: BTreeMap<QualifiedName, EnumType>,
    /// `pg_class` rows with `relkind = 'r'`.
    #[serde(with = "keyed")]
    pub tables: BTreeMap<QualifiedName, Table>,
    /// `pg_class` rows with `relkind = 'S'` that no column owns (owned
    /// sequences are their column's: [`Column::owned_sequence`],
    /// [`Identity`]).
    #[serde(default, with = "keyed", skip_serializing_if = "BTreeMap::is_empty")]
    pub sequences: BTreeMap<QualifiedName, Sequence>,
    /// `pg_type` rows with `typtype = 'c'` of a standalone composite type
    /// (`pg_class.relkind = 'c'`) and their attributes.
    #[serde(default, with = "keyed", skip_serializing_if = "BTreeMap::is_empty")]
    pub composites: BTreeMap<QualifiedName, CompositeType>,
    /// `pg_type` rows with `typtype = 'd'` and their `pg_constraint` checks.
    #[serde(default, with = "keyed", skip_serializing_if = "BTreeMap::is_empty")]
    pub domains: BTreeMap<QualifiedName, Domain>,
    /// `pg_collation` rows of the schemas in scope (`CREATE COLLATION`).
    #[serde(default, with = "keyed", skip_serializing_if = "BTreeMap::is_empty")]
    pub collations: BTreeMap<QualifiedName, Collation>,
    /// `pg_proc` rows with `prokind` `f` or `p`, by name and input types.
    #[serde(default, with = "keyed", skip_serializing_if = "BTreeMap::is_empty")]
    pub functions: BTreeMap<RoutineName, Function>,
    /// `pg_proc` rows with `prokind = 'a'` and their `pg_aggregate` rows.
    #[serde(default, with = "keyed", skip_serializing_if = "BTreeMap::is_empty")]
    pub aggregates: BTreeMap<RoutineName, Aggregate>,
    /// `pg_class` rows with `relkind = 'v'`.
    #[serde(default, with = "keyed", skip_serializing_if = "BTreeMap::is_empty")]
    pub views: BTreeMap<QualifiedName, View>,
    /// `pg_class` rows with `relkind = 'm'`.
    #[serde(default, with = "keyed", skip_serializing_if = "BTreeMap::is_empty")]
    pub materialized_views: BTreeMap<QualifiedName, MaterializedView>,
    /// `pg_description` of the schemas, extensions, types, sequences,
    /// indexes and constraints above (tables and columns keep theirs), by
    /// what each describes; PostgreSQL's own comments left out
    /// ([`crate::comments`]).
    #[serde(
        default,
        with = "crate::comments::as_list",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub comments: BTreeMap<crate::comments::CommentTarget, String>,
    /// What the source holds that the model does not describe, with what
    /// it depends on: never compared, never in JSON.
    #[serde(skip)]
    pub unmodelled: crate::unmodelled::Unmodelled,
}

impl Schema {
    /// Adds a table, keyed by its name.
    pub fn add_table(&mut self, table: Table) {
        self.tables.insert(table.name.clone(), table);
    }

    /// Adds an enum type, keyed by its name.
    pub fn add_enum(&mut self, enum_type: EnumType) {
        self.enums.insert(enum_type.name.clone(), enum_type);
    }

    /// Adds a composite type, keyed by its name.
    pub fn add_composite(&mut self, composite: CompositeType) {
        self.composites.insert(composite.name.clone(), composite);
    }

    /// Adds a domain, keyed by its name.
    pub fn add_domain(&mut self, domain: Domain) {
        self.domains.insert(domain.name.clone(), domain);
    }

    /// Adds a collation, keyed by its name.
    pub fn add_collation(&mut self, collation: Collation) {
        self.collations.insert(collation.name.clone(), collation);
    }

    /// The type a column of `data_type` holds values of: a domain's base
    /// type (through domains over domains), or `data_type` itself.
    pub fn base_type<'t>(&'t self, data_type: &'t SqlType) -> &'t SqlType {
        let mut current = data_type;
        for _ in 0..self.domains.len() {
            match current {
                SqlType::UserDefined { name } => match self.domains.get(name) {
                    Some(domain) => current = &domain.data_type,
                    None => break,
                },
                _ => break,
            }
        }
        current
    }

    /// Type `old` called `new` wherever the schema uses it, as PostgreSQL
    /// follows a type's rename (it refers to the type by oid): its comment
    /// and its checks' comments, domains over it (their defaults and
    /// checks too), attributes of composite types and every table
    /// ([`Table::rename_type`]). The type's own entry (an enum, composite
    /// type or domain) is the caller's to move.
    pub fn rename_type(&mut self, old: &QualifiedName, new: &QualifiedName) {
        use crate::comments::CommentTarget;
        self.move_comment(&CommentTarget::Type(old.clone()), CommentTarget::Type(new.clone()));
        self.move_domain_comments(old, new);
        for domain in self.domains.values_mut() {
            domain.data_type.rename_type(old, new);
            domain.change_expressions(|text| crate::expression::rename_type(text, old, new));
        }
        for composite in self.composites.values_mut() {
            for attribute in &mut composite.attributes {
                attribute.data_type.rename_type(old, new);
            }
        }
        for table in self.tables.values_mut() {
            table.rename_type(old, new);
        }
        self.rename_type_in_routines(old, new);
    }

    /// Keeps only what lives in `schemas`, names or globs (`tenant_*`; see
    /// [`crate::glob_matches`]), everything when empty: the schemas a
    /// project manages, as reading a database with only those
    /// in scope gives (comments on what is left out go with it).
    pub fn retain_schemas(&mut self, schemas: &[String]) {
        if schemas.is_empty() {
            return;
        }
        let keep = |name: &str| schemas.iter().any(|wanted| crate::glob_matches(wanted, name));
        self.schemas.retain(|name| keep(name));
        self.tables.retain(|name, _| keep(&name.schema));
        self.enums.retain(|name, _| keep(&name.schema));
        self.sequences.retain(|name, _| keep(&name.schema));
        self.domains.retain(|name, _| keep(&name.schema));
        self.composites.retain(|name, _| keep(&name.schema));
        self.collations.retain(|name, _| keep(&name.schema));
        self.functions.retain(|name, _| keep(&name.name.schema));
        self.aggregates.retain(|name, _| keep(&name.name.schema));
        self.views.retain(|name, _| keep(&name.schema));
        self.materialized_views.retain(|name, _| keep(&name.schema));
        self.extensions.retain(|_, extension| keep(&extension.schema));
        self.forget_orphan_comments();
    }

    /// Adds a sequence no column owns, keyed by its name.
    pub fn add_sequence(&mut self, sequence: Sequence) {
        self.sequences.insert(sequence.name.clone(), sequence);
    }

    /// Adds an extension, keyed by its name.
    pub fn add_extension(&mut self, extension: Extension) {
        self.extensions.insert(extension.name.clone(), extension);
    }

    /// The extension that provides pgvector's types, if installed.
    pub fn vector_extension(&self) -> Option<&Extension> {
        self.extensions.get("vector")
    }
}

/// `CREATE EXTENSION name WITH SCHEMA schema VERSION version`
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Extension {
    /// `pg_extension.extname`
    pub name: String,
    /// `pg_extension.extnamespace`: where its objects live.
    pub schema: String,
    /// `pg_extension.extversion`; `None` when the source does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// `CREATE TYPE name AS ENUM ('label', …)`
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EnumType {
    /// `pg_type.typnamespace`, `pg_type.typname`
    pub name: QualifiedName,
    /// `pg_enum.enumlabel` in `enumsortorder` order.
    pub labels: Vec<String>,
}

/// `CREATE TABLE name (columns…, constraints…)` with its indexes and comment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Table {
    /// `pg_class.relnamespace`, `pg_class.relname`
    pub name: QualifiedName,
    /// Live columns of `pg_attribute` in `attnum` order.
    pub columns: Vec<Column>,
    /// `pg_constraint` with `contype = 'p'`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    /// `pg_constraint` with `contype = 'u'`, ordered by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unique_constraints: Vec<UniqueConstraint>,
    /// `pg_constraint` with `contype = 'c'`, ordered by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub check_constraints: Vec<CheckConstraint>,
    /// `pg_constraint` with `contype = 'f'`, ordered by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    /// `pg_constraint` with `contype = 'x'`, ordered by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusion_constraints: Vec<ExclusionConstraint>,
    /// `pg_index` rows that do not back a constraint, ordered by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// `COMMENT ON TABLE` (`pg_description`)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// `pg_class.relpersistence = 'u'`: `CREATE UNLOGGED TABLE`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unlogged: bool,
    /// `pg_class.reloptions`: storage parameters (`WITH (fillfactor=70)`),
    /// names in lower case, values as PostgreSQL keeps their text, in
    /// name order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<(String, String)>,
    /// The TOAST table's `reloptions` (`WITH (toast.autovacuum_enabled=false)`),
    /// without the `toast.` prefix, in name order. PostgreSQL keeps them
    /// only while the table has a TOAST table
    /// ([`crate::storage::has_toast_table`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub toast_with: Vec<(String, String)>,
    /// `pg_class.relreplident`, with the index (`pg_index.indisreplident`)
    /// for `USING INDEX`.
    #[serde(default, skip_serializing_if = "ReplicaIdentity::is_default")]
    pub replica_identity: ReplicaIdentity,
    /// The index `CLUSTER` orders by (`pg_index.indisclustered`): a plain
    /// index or the index of a primary key or unique constraint, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_on: Option<String>,
    /// `pg_statistic_ext` rows on the table (`CREATE STATISTICS`), in name
    /// order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statistics: Vec<Statistics>,
    /// `pg_trigger` rows of the table that are not internal, in name order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    /// `relrowsecurity`: `ENABLE ROW LEVEL SECURITY`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub row_security: bool,
    /// `relforcerowsecurity`: `FORCE ROW LEVEL SECURITY`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub force_row_security: bool,
    /// `pg_policy` rows of the table, in name order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<Policy>,
    /// `PARTITION BY …`: a partitioned table (`relkind = 'p'`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_by: Option<crate::PartitionBy>,
    /// `PARTITION OF parent …`: a partition (`relispartition`), with its
    /// bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<crate::PartitionOf>,
    /// `INHERITS (parents)`: `pg_inherits` of a table that is not a
    /// partition, in `inhseqno` order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inherits: Vec<QualifiedName>,
    /// The privileges granted on it (`relacl`; column privileges aside):
    /// never compared, never in JSON — kept when the plan sets the table
    /// aside and creates it anew ([`crate::privileges`]).
    #[serde(skip)]
    pub grants: crate::privileges::Grants,
    /// What it has from its parents, under the database's names: never
    /// compared, never in JSON ([`crate::partitions::FromParents`]).
    #[serde(skip)]
    pub from_parents: crate::partitions::FromParents,
}

impl Table {
    /// An empty table called `name`.
    pub fn new(name: QualifiedName) -> Self {
        Self {
            name,
            columns: Vec::new(),
            primary_key: None,
            unique_constraints: Vec::new(),
            check_constraints: Vec::new(),
            foreign_keys: Vec::new(),
            exclusion_constraints: Vec::new(),
            indexes: Vec::new(),
            comment: None,
            unlogged: false,
            with: Vec::new(),
            toast_with: Vec::new(),
            replica_identity: ReplicaIdentity::Default,
            cluster_on: None,
            statistics: Vec::new(),
            triggers: Vec::new(),
            row_security: false,
            force_row_security: false,
            policies: Vec::new(),
            partition_by: None,
            partition_of: None,
            inherits: Vec::new(),
            grants: Default::default(),
            from_parents: Default::default(),
        }
    }

    /// The tables it has columns and constraints from: its partition
    /// parent, or the tables it inherits from.
    pub fn parents(&self) -> Vec<&QualifiedName> {
        match &self.partition_of {
            Some(partition_of) => vec![&partition_of.parent],
            None => self.inherits.iter().collect(),
        }
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|column| column.name == name)
    }

    /// Column `old` called `new` wherever this table names it: the column,
    /// primary key, unique, foreign key, exclusion constraint and index
    /// column lists (`INCLUDE` too), a trigger's `UPDATE OF` and its
    /// `WHEN` (`new.c`, `old.c`); expressions (generated columns, checks,
    /// index and exclusion keys and predicates, policies) go through
    /// `in_expression`. Foreign keys of other tables that reference this
    /// one are the caller's.
    pub fn rename_column(&mut self, old: &str, new: &str, in_expression: impl Fn(&str) -> String) {
        let rename = |columns: &mut Vec<String>| {
            for column in columns.iter_mut().filter(|column| *column == old) {
                *column = new.to_owned();
            }
        };
        for column in &mut self.columns {
            if column.name == old {
                column.name = new.to_owned();
            }
            if let Some(generated) = &mut column.generated {
                *generated = in_expression(generated);
            }
        }
        if let Some(key) = &mut self.primary_key {
            rename(&mut key.columns);
            rename(&mut key.include);
        }
        for unique in &mut self.unique_constraints {
            rename(&mut unique.columns);
            rename(&mut unique.include);
        }
        for check in &mut self.check_constraints {
            check.expression = in_expression(&check.expression);
        }
        for key in &mut self.foreign_keys {
            rename(&mut key.columns);
        }
        let rename_key = |key: &mut IndexKey| match &mut key.target {
            IndexTarget::Column(column) if column == old => *column = new.to_owned(),
            IndexTarget::Expression(expression) => *expression = in_expression(expression),
            IndexTarget::Column(_) => {}
        };
        for exclusion in &mut self.exclusion_constraints {
            for element in &mut exclusion.elements {
                rename_key(&mut element.key);
            }
            rename(&mut exclusion.include);
            if let Some(predicate) = &mut exclusion.predicate {
                *predicate = in_expression(predicate);
            }
        }
        for index in &mut self.indexes {
            index.keys.iter_mut().for_each(rename_key);
            rename(&mut index.include);
            if let Some(predicate) = &mut index.predicate {
                *predicate = in_expression(predicate);
            }
        }
        for statistics in &mut self.statistics {
            rename(&mut statistics.columns);
            statistics.columns.sort();
            for expression in &mut statistics.expressions {
                *expression = in_expression(expression);
            }
        }
        for trigger in &mut self.triggers {
            trigger.rename_column(old, new);
        }
        for policy in &mut self.policies {
            policy.change_expressions(&in_expression);
        }
    }

    /// Type `old` called `new` in this table: its columns of the type
    /// (arrays too) and the casts to it in its expressions
    /// ([`Table::change_expressions`]).
    pub fn rename_type(&mut self, old: &QualifiedName, new: &QualifiedName) {
        for column in &mut self.columns {
            column.data_type.rename_type(old, new);
        }
        self.change_expressions(|expression| crate::expression::rename_type(expression, old, new));
    }

    /// Every printed expression of the table (defaults, generated columns,
    /// checks, index and exclusion constraint expressions and predicates,
    /// triggers' `WHEN`, policies' `USING` and `WITH CHECK`) made
    /// `change(expression)`.
    pub fn change_expressions(&mut self, mut change: impl FnMut(&str) -> String) {
        for column in &mut self.columns {
            if let Some(default) = &mut column.default {
                *default = change(default);
            }
            if let Some(generated) = &mut column.generated {
                *generated = change(generated);
            }
        }
        for check in &mut self.check_constraints {
            check.expression = change(&check.expression);
        }
        for exclusion in &mut self.exclusion_constraints {
            for element in &mut exclusion.elements {
                if let IndexTarget::Expression(expression) = &mut element.key.target {
                    *expression = change(expression);
                }
            }
            if let Some(predicate) = &mut exclusion.predicate {
                *predicate = change(predicate);
            }
        }
        for index in &mut self.indexes {
            for key in &mut index.keys {
                if let IndexTarget::Expression(expression) = &mut key.target {
                    *expression = change(expression);
                }
            }
            if let Some(predicate) = &mut index.predicate {
                *predicate = change(predicate);
            }
        }
        for statistics in &mut self.statistics {
            for expression in &mut statistics.expressions {
                *expression = change(expression);
            }
        }
        for when in self.triggers.iter_mut().filter_map(|trigger| trigger.when.as_mut()) {
            crate::triggers::change_text(when, &mut change);
        }
        for policy in &mut self.policies {
            policy.change_expressions(&mut change);
        }
    }

    /// Puts constraints, indexes, storage parameters, statistics, triggers
    /// and policies in name order, the canonical order.
    pub fn sort(&mut self) {
        self.unique_constraints.sort_by(|left, right| left.name.cmp(&right.name));
        self.check_constraints.sort_by(|left, right| left.name.cmp(&right.name));
        self.foreign_keys.sort_by(|left, right| left.name.cmp(&right.name));
        self.exclusion_constraints.sort_by(|left, right| left.name.cmp(&right.name));
        self.indexes.sort_by(|left, right| left.name.cmp(&right.name));
        self.with.sort();
        self.toast_with.sort();
        self.statistics.sort_by(|left, right| left.name.cmp(&right.name));
        for statistics in &mut self.statistics {
            statistics.columns.sort();
        }
        self.triggers.sort_by(|left, right| left.name.cmp(&right.name));
        self.policies.sort_by(|left, right| left.name.cmp(&right.name));
    }

    /// Whether the table has a constraint (of any kind) called `name`.
    pub fn has_constraint(&self, name: &str) -> bool {
        self.primary_key.iter().any(|key| key.name == name)
            || self.unique_constraints.iter().any(|unique| unique.name == name)
            || self.check_constraints.iter().any(|check| check.name == name)
            || self.foreign_keys.iter().any(|key| key.name == name)
            || self.exclusion_constraints.iter().any(|exclusion| exclusion.name == name)
    }

    /// The names of every index of the table: its plain indexes and those
    /// of its primary key and unique constraints.
    pub fn index_names(&self) -> impl Iterator<Item = &str> {
        (self.primary_key.iter().map(|key| key.name.as_str()))
            .chain(self.unique_constraints.iter().map(|unique| unique.name.as_str()))
            .chain(self.exclusion_constraints.iter().map(|exclusion| exclusion.name.as_str()))
            .chain(self.indexes.iter().map(|index| index.name.as_str()))
    }

    /// The key columns of index `index` (a primary key's, a unique
    /// constraint's, or a plain index's column keys; expressions left out).
    pub fn index_key_columns(&self, index: &str) -> Vec<String> {
        if let Some(key) = self.primary_key.as_ref().filter(|key| key.name == index) {
            return key.columns.clone();
        }
        if let Some(unique) = self.unique_constraints.iter().find(|unique| unique.name == index) {
            return unique.columns.clone();
        }
        (self.indexes.iter().filter(|found| found.name == index))
            .flat_map(|found| &found.keys)
            .filter_map(|key| match &key.target {
                IndexTarget::Column(column) => Some(column.clone()),
                IndexTarget::Expression(_) => None,
            })
            .collect()
    }

    /// Index `old` (a plain index, or a primary key's or unique
    /// constraint's, which takes the constraint's name along) called `new`,
    /// and so wherever the table names it: `CLUSTER ON`, `REPLICA
    /// IDENTITY USING INDEX`.
    pub fn rename_index(&mut self, old: &str, new: &str) {
        if let Some(key) = self.primary_key.as_mut().filter(|key| key.name == old) {
            key.name = new.to_owned();
        }
        for unique in self.unique_constraints.iter_mut().filter(|unique| unique.name == old) {
            unique.name = new.to_owned();
        }
        for index in self.indexes.iter_mut().filter(|index| index.name == old) {
            index.name = new.to_owned();
        }
        // Renaming a constraint's index renames the constraint.
        for exclusion in self.exclusion_constraints.iter_mut().filter(|e| e.name == old) {
            exclusion.name = new.to_owned();
        }
        if self.cluster_on.as_deref() == Some(old) {
            self.cluster_on = Some(new.to_owned());
        }
        if let ReplicaIdentity::Index(index) = &mut self.replica_identity {
            if index == old {
                *index = new.to_owned();
            }
        }
    }

    /// What goes with a dropped index: `CLUSTER ON` it is forgotten, and a
    /// `REPLICA IDENTITY USING INDEX` it behaves as `NOTHING` (as
    /// PostgreSQL documents; the catalog keeps `relreplident = 'i'` with no
    /// index, which the catalog reader reads as `NOTHING` too).
    pub fn forget_dropped_indexes(&mut self) {
        let exists = |name: Option<&str>| {
            name.is_none_or(|name| self.index_names().any(|index| index == name))
        };
        let (cluster_kept, identity_kept) =
            (exists(self.cluster_on.as_deref()), exists(self.replica_identity.index()));
        if !cluster_kept {
            self.cluster_on = None;
        }
        if !identity_kept {
            self.replica_identity = ReplicaIdentity::Nothing;
        }
    }
}

/// `REPLICA IDENTITY { DEFAULT | NOTHING | FULL | USING INDEX index }`:
/// what logical decoding writes of an updated or deleted row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplicaIdentity {
    /// `d`: the primary key's columns (the default).
    #[default]
    Default,
    /// `n`: nothing.
    Nothing,
    /// `f`: the whole row.
    Full,
    /// `i`: the columns of this unique index (`pg_index.indisreplident`),
    /// by name.
    Index(String),
}

impl ReplicaIdentity {
    /// Whether this is PostgreSQL's default (`DEFAULT`).
    pub fn is_default(&self) -> bool {
        *self == ReplicaIdentity::Default
    }

    /// The words after `REPLICA IDENTITY`.
    pub fn sql(&self) -> String {
        match self {
            ReplicaIdentity::Default => "DEFAULT".to_owned(),
            ReplicaIdentity::Nothing => "NOTHING".to_owned(),
            ReplicaIdentity::Full => "FULL".to_owned(),
            ReplicaIdentity::Index(index) => {
                format!("USING INDEX {}", crate::ident::quote_ident(index))
            }
        }
    }

    /// The index it uses, if any.
    pub fn index(&self) -> Option<&str> {
        match self {
            ReplicaIdentity::Index(index) => Some(index),
            _ => None,
        }
    }
}

/// `CREATE STATISTICS name [(kinds)] ON columns, (expressions) FROM table`:
/// extended statistics, which belong to their table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Statistics {
    /// `pg_statistic_ext.stxnamespace`, `stxname` (any schema, by default
    /// the table's).
    pub name: QualifiedName,
    /// `stxkind` but `e` (built for expressions whatever is asked), in the
    /// order PostgreSQL prints them; empty for statistics on a single
    /// expression, which take no kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<StatisticsKind>,
    /// `stxkeys`, in name order (PostgreSQL keeps them in column order,
    /// which says nothing more).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// `pg_get_statisticsobjdef_expressions`: each expression as
    /// `pg_get_expr` prints it, in written order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expressions: Vec<String>,
    /// `stxstattarget` when set (`ALTER STATISTICS … SET STATISTICS n`);
    /// `None` for the default (-1, or NULL from PostgreSQL 17).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<i32>,
}

impl Statistics {
    /// Whether the statistics depend on column `name`, as a key or in an
    /// expression: PostgreSQL drops them with it.
    pub fn uses_column(&self, name: &str) -> bool {
        self.columns.iter().any(|column| column == name)
            || self
                .expressions
                .iter()
                .any(|expression| crate::expression::mentions_column(expression, name))
    }
}

/// A kind of extended statistics (`stxkind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatisticsKind {
    /// `d`: n-distinct counts.
    Ndistinct,
    /// `f`: functional dependencies.
    Dependencies,
    /// `m`: most common values.
    Mcv,
}

impl StatisticsKind {
    /// Every kind, in the order PostgreSQL prints them: what statistics on
    /// columns get when no kind is written.
    pub const ALL: [StatisticsKind; 3] =
        [StatisticsKind::Ndistinct, StatisticsKind::Dependencies, StatisticsKind::Mcv];

    /// The word `CREATE STATISTICS` takes.
    pub fn name(self) -> &'static str {
        match self {
            StatisticsKind::Ndistinct => "ndistinct",
            StatisticsKind::Dependencies => "dependencies",
            StatisticsKind::Mcv => "mcv",
        }
    }

    /// The kind for a `stxkind` letter or the word; `None` for others
    /// (`e`, built for expressions).
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "d" | "ndistinct" => Some(StatisticsKind::Ndistinct),
            "f" | "dependencies" => Some(StatisticsKind::Dependencies),
            "m" | "mcv" => Some(StatisticsKind::Mcv),
            _ => None,
        }
    }
}

/// `SET STORAGE`: how a column's values are kept (`pg_attribute.attstorage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Storage {
    /// `p`: inline, uncompressed.
    Plain,
    /// `e`: out of line, uncompressed.
    External,
    /// `x`: compressed, then out of line.
    Extended,
    /// `m`: compressed, out of line only as a last resort.
    Main,
}

impl Storage {
    /// The word `SET STORAGE` takes.
    pub fn sql(self) -> &'static str {
        match self {
            Storage::Plain => "PLAIN",
            Storage::External => "EXTERNAL",
            Storage::Extended => "EXTENDED",
            Storage::Main => "MAIN",
        }
    }

    /// The storage for a `typstorage` / `attstorage` letter or its word.
    pub fn from_code(code: &str) -> Option<Self> {
        match code.to_ascii_lowercase().as_str() {
            "p" | "plain" => Some(Storage::Plain),
            "e" | "external" => Some(Storage::External),
            "x" | "extended" => Some(Storage::Extended),
            "m" | "main" => Some(Storage::Main),
            _ => None,
        }
    }
}

/// One column: `name type [COLLATE c] [NOT NULL] [DEFAULT e | GENERATED …]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Column {
    /// `pg_attribute.attname`
    pub name: String,
    /// `pg_attribute.atttypid` and `atttypmod` (and `attndims` for arrays).
    pub data_type: SqlType,
    /// `NOT pg_attribute.attnotnull` (primary-key columns are never nullable).
    pub nullable: bool,
    /// `pg_get_expr(pg_attrdef.adbin)` for a plain default; a serial column's
    /// default is its `nextval('…'::regclass)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `pg_attribute.attidentity` with its sequence. Boxed, as is
    /// `owned_sequence`: most columns have neither, and a column inline
    /// with both took 560 bytes rather than 248 (a database of 60,000
    /// columns: 19 MB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Box<Identity>>,
    /// `GENERATED ALWAYS AS (expr) STORED`: `pg_get_expr(adbin)` when
    /// `attgenerated = 's'`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    /// `pg_attribute.attcollation` when it differs from the type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<QualifiedName>,
    /// The sequence this column owns through `ALTER SEQUENCE … OWNED BY`
    /// (`pg_depend` deptype `a`): what `serial` creates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_sequence: Option<Box<OwnedSequence>>,
    /// `COMMENT ON COLUMN` (`pg_description`)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// `pg_attribute.attstorage` when it differs from the type's
    /// `typstorage` (`SET STORAGE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Storage>,
    /// `pg_attribute.attcompression`: `pglz` or `lz4`; `None` for
    /// `default_toast_compression`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression: Option<String>,
    /// `pg_attribute.attstattarget` when set (`SET STATISTICS n`); `None`
    /// for the default (-1, or NULL from PostgreSQL 17).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics_target: Option<i32>,
    /// A column of a table that inherits, which it has only from its
    /// parents (`attislocal = false`): never compared, never in JSON —
    /// `CREATE TABLE … INHERITS` leaves it out, as pg_dump does
    /// ([`crate::partitions::InheritedOnly`]).
    #[serde(skip)]
    pub inherited_only: crate::partitions::InheritedOnly,
}

impl Column {
    /// A nullable column with nothing but a name and a type.
    pub fn new(name: impl Into<String>, data_type: SqlType) -> Self {
        Self {
            name: name.into(),
            data_type,
            nullable: true,
            default: None,
            identity: None,
            generated: None,
            collation: None,
            owned_sequence: None,
            comment: None,
            storage: None,
            compression: None,
            statistics_target: None,
            inherited_only: Default::default(),
        }
    }

    /// `Some("serial")` (or `smallserial`, `bigserial`) when this column is
    /// exactly what that shorthand creates: an integer column, `NOT NULL`,
    /// defaulting to `nextval` of a sequence it owns, of its own type, named
    /// as `serial` names it (`<table>_<column>_seq`), with default options.
    pub fn serial_spelling(&self, table: &QualifiedName) -> Option<&'static str> {
        let spelling = self.data_type.serial_spelling()?;
        let sequence = self.owned_sequence.as_ref()?;
        let expected_name = crate::naming::default_sequence_name(&table.name, &self.name);
        let expected_default = format!(
            "nextval({}::regclass)",
            crate::ident::quote_literal(&sequence_reference(&sequence.name))
        );
        let is_serial = !self.nullable
            && sequence.name.schema == table.schema
            && sequence.name.name == expected_name
            && sequence.data_type == self.data_type
            && sequence.options == SequenceOptions::default()
            && self.default.as_deref() == Some(expected_default.as_str());
        is_serial.then_some(spelling)
    }
}

/// How `regclass` prints a sequence in a `nextval` default: bare when its
/// schema is on the default search path (`public`), qualified otherwise.
pub fn sequence_reference(sequence: &QualifiedName) -> String {
    if sequence.schema == "public" {
        crate::ident::quote_ident(&sequence.name)
    } else {
        sequence.to_string()
    }
}

/// `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY [ ( sequence options ) ]`
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Identity {
    /// `pg_attribute.attidentity`: `a` always, `d` by default.
    pub generation: IdentityGeneration,
    /// The implicit sequence (`pg_depend` deptype `i`).
    pub sequence_name: QualifiedName,
    /// Its options (`pg_sequence`), relative to the column type's defaults.
    #[serde(default, skip_serializing_if = "SequenceOptions::is_default")]
    pub options: SequenceOptions,
}

/// Whether an identity column accepts explicit values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityGeneration {
    /// `GENERATED ALWAYS`
    Always,
    /// `GENERATED BY DEFAULT`
    ByDefault,
}

/// A sequence owned by a column (`CREATE SEQUENCE … ; ALTER SEQUENCE … OWNED
/// BY table.column`), as `serial` creates it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OwnedSequence {
    /// `pg_class.relname` of the sequence.
    pub name: QualifiedName,
    /// `pg_sequence.seqtypid`: `smallint`, `integer` or `bigint`.
    pub data_type: SqlType,
    /// `pg_sequence` options, relative to `data_type`'s defaults.
    #[serde(default, skip_serializing_if = "SequenceOptions::is_default")]
    pub options: SequenceOptions,
}

/// `CREATE TYPE name AS (attribute type [COLLATE c], …)`
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CompositeType {
    /// `pg_type.typnamespace`, `pg_type.typname`
    pub name: QualifiedName,
    /// `pg_attribute` of its `typrelid`, in `attnum` order.
    pub attributes: Vec<Attribute>,
}

impl CompositeType {
    /// The attribute called `name`.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|attribute| attribute.name == name)
    }
}

/// An attribute of a composite type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Attribute {
    pub name: String,
    pub data_type: SqlType,
    /// `attcollation` when it is not the type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<QualifiedName>,
}

/// `CREATE DOMAIN name AS type [COLLATE c] [DEFAULT expression] [NOT NULL]
/// [CONSTRAINT name CHECK (expression)]…`
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Domain {
    /// `pg_type.typnamespace`, `pg_type.typname`
    pub name: QualifiedName,
    /// The base type (`typbasetype`, `typtypmod`, `typndims`).
    pub data_type: SqlType,
    /// `typcollation` when it is not the base type's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<QualifiedName>,
    /// `pg_get_expr(typdefaultbin)`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `typnotnull`
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null: bool,
    /// `pg_constraint` rows with `contypid` the domain and `contype = 'c'`,
    /// ordered by name; `VALUE` in their expressions is the value checked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<DomainCheck>,
}

impl Domain {
    /// The domain's printed expressions (its default and its checks) made
    /// `change(expression)`.
    pub fn change_expressions(&mut self, mut change: impl FnMut(&str) -> String) {
        if let Some(default) = &mut self.default {
            *default = change(default);
        }
        for check in &mut self.checks {
            check.expression = change(&check.expression);
        }
    }
}

/// `CONSTRAINT name CHECK (expression) [NOT VALID]` of a domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DomainCheck {
    pub name: String,
    /// As `pg_get_expr(conbin, 0)` prints it: `(VALUE > 0)`.
    pub expression: String,
    /// `NOT convalidated`
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_valid: bool,
}

/// `CREATE COLLATION name (provider = p, locale = 'l' | lc_collate = 'a',
/// lc_ctype = 'b', deterministic = false, rules = 'r')`. A collation
/// copied with `FROM` is the options it copied. Its version
/// (`collversion`) is the library's, not the schema's: not modelled.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Collation {
    /// `pg_collation.collnamespace`, `pg_collation.collname`
    pub name: QualifiedName,
    /// `collprovider`
    pub provider: CollationProvider,
    /// The ICU or builtin locale (`colliculocale` on 15 and 16, `colllocale`
    /// from 17); `None` for libc.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// `collcollate` of a libc collation (`LC_COLLATE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lc_collate: Option<String>,
    /// `collctype` of a libc collation (`LC_CTYPE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lc_ctype: Option<String>,
    /// `NOT collisdeterministic`: `deterministic = false` (ICU only).
    #[serde(default, skip_serializing_if = "is_false")]
    pub nondeterministic: bool,
    /// `collicurules` (ICU, PostgreSQL 16 and later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<String>,
}

/// Which library a collation comes from (`pg_collation.collprovider`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollationProvider {
    /// `c`: the C library's locales.
    Libc,
    /// `i`: ICU.
    Icu,
    /// `b`: PostgreSQL's own (17 and later).
    Builtin,
}

impl CollationProvider {
    /// The word `CREATE COLLATION … (provider = …)` takes.
    pub fn name(self) -> &'static str {
        match self {
            CollationProvider::Libc => "libc",
            CollationProvider::Icu => "icu",
            CollationProvider::Builtin => "builtin",
        }
    }

    /// The provider for its `collprovider` letter or its word.
    pub fn from_code(code: &str) -> Option<Self> {
        match code.to_ascii_lowercase().as_str() {
            "c" | "libc" => Some(CollationProvider::Libc),
            "i" | "icu" => Some(CollationProvider::Icu),
            "b" | "builtin" => Some(CollationProvider::Builtin),
            _ => None,
        }
    }
}

/// `CREATE SEQUENCE name AS type …`: a sequence no column owns.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Sequence {
    /// `pg_class.relnamespace`, `pg_class.relname`
    pub name: QualifiedName,
    /// `pg_sequence.seqtypid`: `smallint`, `integer` or `bigint`.
    pub data_type: SqlType,
    /// `pg_sequence` options, relative to `data_type`'s defaults.
    #[serde(default, skip_serializing_if = "SequenceOptions::is_default")]
    pub options: SequenceOptions,
}

/// Sequence options (`pg_sequence`). `None` is PostgreSQL's default for the
/// sequence's type and direction, so equal sequences compare equal however
/// they were written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SequenceOptions {
    /// `START WITH` (`seqstart`)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    /// `INCREMENT BY` (`seqincrement`)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub increment: Option<i64>,
    /// `MINVALUE` (`seqmin`)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<i64>,
    /// `MAXVALUE` (`seqmax`)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<i64>,
    /// `CACHE` (`seqcache`)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<i64>,
    /// `CYCLE` (`seqcycle`)
    #[serde(default, skip_serializing_if = "is_false")]
    pub cycle: bool,
}

impl SequenceOptions {
    /// Canonical options from the catalog's full values: every value equal to
    /// the default for `data_type` becomes `None`.
    pub fn from_catalog(
        data_type: &SqlType,
        start: i64,
        increment: i64,
        min_value: i64,
        max_value: i64,
        cache: i64,
        cycle: bool,
    ) -> Self {
        let (type_min, type_max) = data_type.integer_bounds().unwrap_or((i64::MIN, i64::MAX));
        let ascending = increment > 0;
        let default_min = if ascending { 1 } else { type_min };
        let default_max = if ascending { type_max } else { -1 };
        let default_start = if ascending { min_value } else { max_value };
        let unless = |value: i64, default: i64| (value != default).then_some(value);
        Self {
            start: unless(start, default_start),
            increment: unless(increment, 1),
            min_value: unless(min_value, default_min),
            max_value: unless(max_value, default_max),
            cache: unless(cache, 1),
            cycle,
        }
    }

    /// Whether every option is PostgreSQL's default.
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// `[CONSTRAINT name] PRIMARY KEY (columns) [INCLUDE (…)] [WITH (…)] [DEFERRABLE …]`
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PrimaryKey {
    /// `pg_constraint.conname`
    pub name: String,
    /// `pg_constraint.conkey`, in key order.
    pub columns: Vec<String>,
    /// Non-key columns of the backing index (`INCLUDE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Storage parameters of the backing index (`WITH (fillfactor = 90)`),
    /// in stored order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<(String, String)>,
    /// `condeferrable`, `condeferred`
    #[serde(default, skip_serializing_if = "is_not_deferrable")]
    pub deferrable: Deferrable,
}

/// `[CONSTRAINT name] UNIQUE [NULLS NOT DISTINCT] (columns) [INCLUDE (…)] [WITH (…)] [DEFERRABLE …]`
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UniqueConstraint {
    /// `pg_constraint.conname`
    pub name: String,
    /// `pg_constraint.conkey`, in key order.
    pub columns: Vec<String>,
    /// Non-key columns of the backing index (`INCLUDE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Storage parameters of the backing index, in stored order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<(String, String)>,
    /// `pg_index.indnullsnotdistinct` of the backing index.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    /// `condeferrable`, `condeferred`
    #[serde(default, skip_serializing_if = "is_not_deferrable")]
    pub deferrable: Deferrable,
}

/// `[CONSTRAINT name] CHECK (expression) [NO INHERIT] [NOT VALID]`
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CheckConstraint {
    /// `pg_constraint.conname`
    pub name: String,
    /// `pg_get_expr(conbin, conrelid)`, e.g. `(price > (0)::numeric)`.
    pub expression: String,
    /// `connoinherit`
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_inherit: bool,
    /// `NOT convalidated`: added `NOT VALID` and not validated since.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_valid: bool,
}

/// `[CONSTRAINT name] FOREIGN KEY (columns) REFERENCES table (columns) …`
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ForeignKey {
    /// `pg_constraint.conname`
    pub name: String,
    /// `pg_constraint.conkey`
    pub columns: Vec<String>,
    /// `pg_constraint.confrelid`
    pub referenced_table: QualifiedName,
    /// `pg_constraint.confkey`
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referenced_columns: Vec<String>,
    /// `confmatchtype`
    pub match_type: MatchType,
    /// `confdeltype`
    pub on_delete: ReferentialAction,
    /// `confupdtype`
    pub on_update: ReferentialAction,
    /// `condeferrable`, `condeferred`
    #[serde(default, skip_serializing_if = "is_not_deferrable")]
    pub deferrable: Deferrable,
    /// `NOT convalidated`
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_valid: bool,
}

/// `[CONSTRAINT name] EXCLUDE [USING method] (element WITH operator, …)
/// [INCLUDE (…)] [WITH (…)] [WHERE (predicate)] [DEFERRABLE …]`
///
/// Stored in parts, each as the catalog gives it: the backing index's
/// method, keys, `INCLUDE` columns, storage parameters and predicate read
/// as an [`Index`]'s are (so its keys are [`IndexKey`]s, with an operator
/// class only where it is not the default), and the operators of
/// `conexclop` as `pg_get_constraintdef` prints them. Two spellings of one
/// constraint compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ExclusionConstraint {
    /// `pg_constraint.conname` (and its index's `pg_class.relname`).
    pub name: String,
    /// `pg_am.amname` of the backing index (`btree` when `USING` is not
    /// written, as for `CREATE INDEX`; `gist` in practice).
    pub method: IndexMethod,
    /// One per key of the backing index, in key order.
    pub elements: Vec<ExclusionElement>,
    /// Non-key columns of the backing index (`INCLUDE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Storage parameters of the backing index, in stored order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<(String, String)>,
    /// `pg_get_expr(indpred, indrelid)` of the backing index, e.g.
    /// `(NOT cancelled)`; written `WHERE (…)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// `condeferrable`, `condeferred`
    #[serde(default, skip_serializing_if = "is_not_deferrable")]
    pub deferrable: Deferrable,
}

/// The unique index PostgreSQL builds for a primary key or unique
/// constraint (same name): B-tree, the columns in ascending order — the
/// index `ADD CONSTRAINT … USING INDEX` takes.
fn key_index(
    name: &str,
    columns: &[String],
    include: &[String],
    with: &[(String, String)],
    nulls_not_distinct: bool,
) -> Index {
    Index {
        name: name.to_owned(),
        unique: true,
        method: IndexMethod::Btree,
        keys: columns
            .iter()
            .map(|column| IndexKey {
                target: IndexTarget::Column(column.clone()),
                collation: None,
                opclass: None,
                descending: false,
                nulls_first: false,
            })
            .collect(),
        include: include.to_vec(),
        predicate: None,
        with: with.to_vec(),
        nulls_not_distinct,
        invalid: false,
    }
}

impl PrimaryKey {
    /// The unique index PostgreSQL builds for the key.
    pub fn index(&self) -> Index {
        key_index(&self.name, &self.columns, &self.include, &self.with, false)
    }
}

impl UniqueConstraint {
    /// The unique index PostgreSQL builds for the constraint.
    pub fn index(&self) -> Index {
        key_index(&self.name, &self.columns, &self.include, &self.with, self.nulls_not_distinct)
    }
}

impl ExclusionConstraint {
    /// The index PostgreSQL builds for the constraint (same name, not
    /// unique): what it depends on is what the constraint depends on.
    pub fn index(&self) -> Index {
        Index {
            name: self.name.clone(),
            unique: false,
            method: self.method.clone(),
            keys: self.elements.iter().map(|element| element.key.clone()).collect(),
            include: self.include.clone(),
            predicate: self.predicate.clone(),
            with: self.with.clone(),
            nulls_not_distinct: false,
            invalid: false,
        }
    }

    /// Whether the constraint depends on column `name` (see
    /// [`Index::uses_column`]): PostgreSQL drops it with the column.
    pub fn uses_column(&self, name: &str) -> bool {
        self.index().uses_column(name)
    }

    /// The key expressions and the predicate, as printed.
    pub fn expressions(&self) -> impl Iterator<Item = &str> {
        self.elements
            .iter()
            .filter_map(|element| match &element.key.target {
                IndexTarget::Expression(expression) => Some(expression.as_str()),
                IndexTarget::Column(_) => None,
            })
            .chain(self.predicate.as_deref())
    }
}

/// `column | (expression) [COLLATE c] [opclass] [ASC | DESC] [NULLS …]
/// WITH operator`: one element of an exclusion constraint.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ExclusionElement {
    /// The key of the backing index, as an index key is stored.
    pub key: IndexKey,
    /// `conexclop` as `pg_get_constraintdef` prints it with
    /// `search_path = public`: `=`, `&&`, or `OPERATOR(schema.op)` for an
    /// operator not visible there.
    pub operator: String,
}

/// `MATCH { SIMPLE | FULL | PARTIAL }`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchType {
    /// `MATCH SIMPLE` (`s`, the default)
    Simple,
    /// `MATCH FULL` (`f`)
    Full,
    /// `MATCH PARTIAL` (`p`, not implemented by PostgreSQL)
    Partial,
}

/// `ON DELETE` / `ON UPDATE` actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferentialAction {
    /// `NO ACTION` (`a`, the default)
    NoAction,
    /// `RESTRICT` (`r`)
    Restrict,
    /// `CASCADE` (`c`)
    Cascade,
    /// `SET NULL` (`n`)
    SetNull,
    /// `SET DEFAULT` (`d`)
    SetDefault,
}

impl ReferentialAction {
    /// The SQL words of the action.
    pub fn sql(self) -> &'static str {
        match self {
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// `[NOT] DEFERRABLE [INITIALLY { IMMEDIATE | DEFERRED }]`
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Deferrable {
    /// `NOT DEFERRABLE` (the default)
    #[default]
    NotDeferrable,
    /// `DEFERRABLE INITIALLY IMMEDIATE`
    InitiallyImmediate,
    /// `DEFERRABLE INITIALLY DEFERRED`
    InitiallyDeferred,
}

/// `CREATE [UNIQUE] INDEX name ON table USING method (keys) [INCLUDE (…)]
/// [NULLS NOT DISTINCT] [WITH (…)] [WHERE predicate]` — an index that does
/// not back a constraint.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Index {
    /// `pg_class.relname` of the index.
    pub name: String,
    /// `pg_index.indisunique`
    #[serde(default, skip_serializing_if = "is_false")]
    pub unique: bool,
    /// `pg_am.amname`
    pub method: IndexMethod,
    /// The first `indnkeyatts` entries of `indkey` / `indexprs`.
    pub keys: Vec<IndexKey>,
    /// The remaining entries of `indkey` (`INCLUDE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// `pg_get_expr(indpred, indrelid)`, e.g. `(deleted_at IS NULL)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// `pg_class.reloptions` of the index, in stored order:
    /// `WITH (m = 16, ef_construction = 64)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<(String, String)>,
    /// `pg_index.indnullsnotdistinct`
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    /// `NOT pg_index.indisvalid`: left by a concurrent build that did not
    /// finish (no query uses it). Never declared: such an index differs
    /// from the one declared, and is built again.
    #[serde(default, skip_serializing_if = "is_false")]
    pub invalid: bool,
}

impl Index {
    /// Whether the index depends on column `name`: as a key, in a key
    /// expression, as an `INCLUDE` column or in its predicate — what makes
    /// PostgreSQL drop it with the column.
    pub fn uses_column(&self, name: &str) -> bool {
        self.keys.iter().any(|key| match &key.target {
            IndexTarget::Column(column) => column == name,
            IndexTarget::Expression(expression) => {
                crate::expression::mentions_column(expression, name)
            }
        }) || self.include.iter().any(|column| column == name)
            || self
                .predicate
                .as_deref()
                .is_some_and(|predicate| crate::expression::mentions_column(predicate, name))
    }

    /// The table's columns the index depends on (see [`Index::uses_column`]).
    pub fn columns_used<'t>(&self, table: &'t Table) -> Vec<&'t str> {
        table
            .columns
            .iter()
            .filter(|column| self.uses_column(&column.name))
            .map(|column| column.name.as_str())
            .collect()
    }
}

/// `pg_am.amname` of an index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexMethod {
    Btree,
    Hash,
    Gin,
    Gist,
    Brin,
    Spgist,
    /// pgvector's hierarchical navigable small worlds
    Hnsw,
    /// pgvector's inverted file with flat compression
    Ivfflat,
    /// An access method from another extension (e.g. `bloom`).
    Other(String),
}

impl IndexMethod {
    /// The method for `pg_am.amname`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "btree" => IndexMethod::Btree,
            "hash" => IndexMethod::Hash,
            "gin" => IndexMethod::Gin,
            "gist" => IndexMethod::Gist,
            "brin" => IndexMethod::Brin,
            "spgist" => IndexMethod::Spgist,
            "hnsw" => IndexMethod::Hnsw,
            "ivfflat" => IndexMethod::Ivfflat,
            other => IndexMethod::Other(other.to_owned()),
        }
    }

    /// `pg_am.amname`
    pub fn name(&self) -> &str {
        match self {
            IndexMethod::Btree => "btree",
            IndexMethod::Hash => "hash",
            IndexMethod::Gin => "gin",
            IndexMethod::Gist => "gist",
            IndexMethod::Brin => "brin",
            IndexMethod::Spgist => "spgist",
            IndexMethod::Hnsw => "hnsw",
            IndexMethod::Ivfflat => "ivfflat",
            IndexMethod::Other(name) => name,
        }
    }
}

/// One key of an index: `column | (expression) [COLLATE c] [opclass [(params)]]
/// [DESC] [NULLS { FIRST | LAST }]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IndexKey {
    /// What is indexed.
    pub target: IndexTarget,
    /// `indcollation` when `pg_get_indexdef` prints it (not the column's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<QualifiedName>,
    /// `indclass` when `pg_get_indexdef` prints it (not the type's default
    /// for the method). pgvector's HNSW classes are never defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<OperatorClass>,
    /// `indoption` bit 0: `DESC`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub descending: bool,
    /// `indoption` bit 1: nulls sort first. Stored resolved: `false` for a
    /// plain ascending key, `true` for a plain `DESC` key.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_first: bool,
}

/// A plain column or an expression, as `pg_get_indexdef(index, key, false)`
/// prints it (`lower(email)`, `((a + b))`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexTarget {
    Column(String),
    Expression(String),
}

/// An operator class with its parameters (`pg_opclass`, and the index
/// attribute's `attoptions`): `vector_cosine_ops`, `gist_trgm_ops(siglen = 32)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OperatorClass {
    /// `pg_opclass.opcnamespace`, `pg_opclass.opcname`
    pub name: QualifiedName,
    /// `pg_attribute.attoptions` of the index column, in stored order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<(String, String)>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_not_deferrable(value: &Deferrable) -> bool {
    *value == Deferrable::NotDeferrable
}

/// Serializes a map keyed by a value's own name as the list of its values,
/// and rebuilds the map from such a list.
mod keyed {
    use std::collections::BTreeMap;

    use serde::de::Deserializer;
    use serde::ser::Serializer;
    use serde::{Deserialize, Serialize};

    use super::{Collation, CompositeType, Domain, EnumType, Extension, Sequence, Table};
    use crate::ident::QualifiedName;
    use crate::routines::{Aggregate, Function, RoutineName};
    use crate::views::{MaterializedView, View};

    impl Keyed for Function {
        type Key = RoutineName;
        fn key(&self) -> RoutineName {
            self.identity()
        }
    }

    impl Keyed for Aggregate {
        type Key = RoutineName;
        fn key(&self) -> RoutineName {
            self.identity()
        }
    }

    impl Keyed for View {
        type Key = QualifiedName;
        fn key(&self) -> QualifiedName {
            self.name.clone()
        }
    }

    impl Keyed for MaterializedView {
        type Key = QualifiedName;
        fn key(&self) -> QualifiedName {
            self.name.clone()
        }
    }

    pub(super) trait Keyed {
        type Key: Ord;
        fn key(&self) -> Self::Key;
    }

    impl Keyed for Extension {
        type Key = String;
        fn key(&self) -> String {
            self.name.clone()
        }
    }

    impl Keyed for EnumType {
        type Key = QualifiedName;
        fn key(&self) -> QualifiedName {
            self.name.clone()
        }
    }

    impl Keyed for CompositeType {
        type Key = QualifiedName;
        fn key(&self) -> QualifiedName {
            self.name.clone()
        }
    }

    impl Keyed for Domain {
        type Key = QualifiedName;
        fn key(&self) -> QualifiedName {
            self.name.clone()
        }
    }

    impl Keyed for Collation {
        type Key = QualifiedName;
        fn key(&self) -> QualifiedName {
            self.name.clone()
        }
    }

    impl Keyed for Sequence {
        type Key = QualifiedName;
        fn key(&self) -> QualifiedName {
            self.name.clone()
        }
    }

    impl Keyed for Table {
        type Key = QualifiedName;
        fn key(&self) -> QualifiedName {
            self.name.clone()
        }
    }

    pub(super) fn serialize<K, V, S>(map: &BTreeMap<K, V>, serializer: S) -> Result<S::Ok, S::Error>
    where
        V: Serialize,
        S: Serializer,
    {
        serializer.collect_seq(map.values())
    }

    pub(super) fn deserialize<'de, V, D>(deserializer: D) -> Result<BTreeMap<V::Key, V>, D::Error>
    where
        V: Keyed + Deserialize<'de>,
        D: Deserializer<'de>,
    {
        let values = Vec::<V>::deserialize(deserializer)?;
        Ok(values.into_iter().map(|value| (value.key(), value)).collect())
    }
}
