//! Views and materialized views (`pg_class` with `relkind` `v` and `m`),
//! and [`Rewritten`]: text PostgreSQL does not keep as written.
//!
//! PostgreSQL parses a view's query (and a policy's expressions, a
//! SQL-standard function body) and prints it again from the parse tree
//! (`pg_get_viewdef`): the text a catalog gives is PostgreSQL's, not the
//! author's. A source that reads SQL cannot print PostgreSQL's form of an
//! arbitrary query, so a [`Rewritten`] says which form its text is in, and
//! two texts are compared only in the same form — the diff refuses to guess
//! across forms; the caller first asks PostgreSQL for the canonical form of
//! the written side (docs/ARCHITECTURE.md, "Canonical forms").

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::ident::QualifiedName;
use crate::model::Index;
use crate::triggers::Trigger;

/// Text PostgreSQL rewrites, with the form it is in. Two are equal when
/// their text and form are: [`Rewritten::written`] does not count.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rewritten {
    pub text: String,
    pub form: TextForm,
    /// The normalised text a SQL source wrote, kept when PostgreSQL's text
    /// took its place ([`crate::Schema::adopt_catalog_texts`]): migrations
    /// are written with it, so that replaying them gives what the source
    /// says and `check` compares like with like offline.
    #[serde(skip)]
    pub written: Option<String>,
}

impl Rewritten {
    /// Text as a catalog printed it.
    pub fn catalog(text: impl Into<String>) -> Self {
        Self { text: text.into(), form: TextForm::Catalog, written: None }
    }

    /// Text as a SQL source wrote it, already normalised.
    pub fn normalised(text: impl Into<String>) -> Self {
        Self { text: text.into(), form: TextForm::Normalised, written: None }
    }

    /// The text to write into SQL: as the source wrote it where known.
    pub fn sql(&self) -> &str {
        self.written.as_deref().unwrap_or(&self.text)
    }
}

impl PartialEq for Rewritten {
    fn eq(&self, other: &Self) -> bool {
        (&self.text, self.form) == (&other.text, other.form)
    }
}

impl Eq for Rewritten {}

impl std::hash::Hash for Rewritten {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
        self.form.hash(state);
    }
}

impl PartialOrd for Rewritten {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rewritten {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (&self.text, self.form).cmp(&(&other.text, other.form))
    }
}

/// Which form a [`Rewritten`] text is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextForm {
    /// PostgreSQL's own (`pg_get_viewdef(oid, true)` with `search_path =
    /// public`, `pg_get_expr`, `pg_get_function_sqlbody`): what a catalog
    /// gives, and what a written text becomes once PostgreSQL has read it.
    Catalog,
    /// The parsed, normalised form of SQL as written (keywords, spacing,
    /// case of unquoted names and needless quotes do not count): what the
    /// SQL and Rust-model sources give.
    Normalised,
}

/// `CREATE VIEW`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct View {
    pub name: QualifiedName,
    /// The output columns' names, in order (`pg_attribute`), and their
    /// comments.
    pub columns: Vec<ViewColumn>,
    pub query: Rewritten,
    /// `WITH (security_barrier)`: `Some(false)` only when written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_barrier: Option<bool>,
    /// `WITH (security_invoker)` (PostgreSQL 15+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_invoker: Option<bool>,
    /// `WITH [LOCAL | CASCADED] CHECK OPTION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_option: Option<CheckOption>,
    /// `INSTEAD OF` (and statement) triggers on the view, in name order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// What the query reads: never compared, never in JSON.
    #[serde(skip)]
    pub depends_on: ViewDependencies,
    /// The privileges granted on it (`relacl`): never compared, never in
    /// JSON — kept across a rebuild ([`crate::privileges`]).
    #[serde(skip)]
    pub grants: crate::privileges::Grants,
}

/// A view's or materialized view's output column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ViewColumn {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `WITH … CHECK OPTION`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckOption {
    Local,
    Cascaded,
}

/// `CREATE MATERIALIZED VIEW`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MaterializedView {
    pub name: QualifiedName,
    pub columns: Vec<ViewColumn>,
    pub query: Rewritten,
    /// `WITH NO DATA` (`relispopulated = false`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub with_no_data: bool,
    /// Storage parameters, as a table's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<(String, String)>,
    /// Its indexes, in name order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// What the query reads: never compared, never in JSON.
    #[serde(skip)]
    pub depends_on: ViewDependencies,
    /// The privileges granted on it (`relacl`): never compared, never in
    /// JSON — kept across a rebuild ([`crate::privileges`]).
    #[serde(skip)]
    pub grants: crate::privileges::Grants,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// Where a [`Rewritten`] text is in a schema.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TextPlace {
    /// A view's query.
    View(QualifiedName),
    /// A materialized view's query.
    MaterializedView(QualifiedName),
    /// A table's or view's trigger's `WHEN`.
    TriggerWhen { relation: QualifiedName, trigger: String },
    /// A policy's `USING`.
    PolicyUsing { table: QualifiedName, policy: String },
    /// A policy's `WITH CHECK`.
    PolicyCheck { table: QualifiedName, policy: String },
    /// A SQL-standard function body.
    Body(crate::routines::RoutineName),
    /// A partition's bound (`FOR VALUES …`).
    PartitionBound(QualifiedName),
}

impl std::fmt::Display for TextPlace {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TextPlace::View(name) => write!(formatter, "the query of view {name}"),
            TextPlace::MaterializedView(name) => {
                write!(formatter, "the query of materialized view {name}")
            }
            TextPlace::TriggerWhen { relation, trigger } => write!(
                formatter,
                "the WHEN of trigger {} on {relation}",
                crate::quote_ident(trigger)
            ),
            TextPlace::PolicyUsing { table, policy } => {
                write!(formatter, "the USING of policy {} on {table}", crate::quote_ident(policy))
            }
            TextPlace::PolicyCheck { table, policy } => write!(
                formatter,
                "the WITH CHECK of policy {} on {table}",
                crate::quote_ident(policy)
            ),
            TextPlace::Body(routine) => write!(formatter, "the body of function {}", routine.name),
            TextPlace::PartitionBound(name) => write!(formatter, "the bound of partition {name}"),
        }
    }
}

impl crate::Schema {
    /// Every [`Rewritten`] text of the schema, with its place.
    pub fn rewritten_texts(&self) -> Vec<(TextPlace, &Rewritten)> {
        let mut texts = Vec::new();
        for view in self.views.values() {
            texts.push((TextPlace::View(view.name.clone()), &view.query));
            for trigger in &view.triggers {
                if let Some(when) = &trigger.when {
                    let place = TextPlace::TriggerWhen {
                        relation: view.name.clone(),
                        trigger: trigger.name.clone(),
                    };
                    texts.push((place, when));
                }
            }
        }
        for view in self.materialized_views.values() {
            texts.push((TextPlace::MaterializedView(view.name.clone()), &view.query));
        }
        for table in self.tables.values() {
            if let Some(crate::PartitionOf {
                bound: crate::PartitionBound::Values(values), ..
            }) = &table.partition_of
            {
                texts.push((TextPlace::PartitionBound(table.name.clone()), values));
            }
            for trigger in &table.triggers {
                if let Some(when) = &trigger.when {
                    let place = TextPlace::TriggerWhen {
                        relation: table.name.clone(),
                        trigger: trigger.name.clone(),
                    };
                    texts.push((place, when));
                }
            }
            for policy in &table.policies {
                let (table, name) = (table.name.clone(), policy.name.clone());
                if let Some(using) = &policy.using {
                    let place =
                        TextPlace::PolicyUsing { table: table.clone(), policy: name.clone() };
                    texts.push((place, using));
                }
                if let Some(check) = &policy.with_check {
                    texts.push((TextPlace::PolicyCheck { table, policy: name }, check));
                }
            }
        }
        for (name, function) in &self.functions {
            if let crate::routines::Body::Standard(body) = &function.body {
                texts.push((TextPlace::Body(name.clone()), body));
            }
        }
        texts
    }

    /// The text at `place`, to change.
    pub fn rewritten_mut(&mut self, place: &TextPlace) -> Option<&mut Rewritten> {
        match place {
            TextPlace::View(name) => self.views.get_mut(name).map(|view| &mut view.query),
            TextPlace::MaterializedView(name) => {
                self.materialized_views.get_mut(name).map(|view| &mut view.query)
            }
            TextPlace::TriggerWhen { relation, trigger } => {
                let triggers = match self.tables.get_mut(relation) {
                    Some(table) => &mut table.triggers,
                    None => &mut self.views.get_mut(relation)?.triggers,
                };
                triggers.iter_mut().find(|found| &found.name == trigger)?.when.as_mut()
            }
            TextPlace::PolicyUsing { table, policy } => self
                .tables
                .get_mut(table)?
                .policies
                .iter_mut()
                .find(|found| &found.name == policy)?
                .using
                .as_mut(),
            TextPlace::PolicyCheck { table, policy } => self
                .tables
                .get_mut(table)?
                .policies
                .iter_mut()
                .find(|found| &found.name == policy)?
                .with_check
                .as_mut(),
            TextPlace::Body(name) => match &mut self.functions.get_mut(name)?.body {
                crate::routines::Body::Standard(body) => Some(body),
                _ => None,
            },
            TextPlace::PartitionBound(name) => {
                match &mut self.tables.get_mut(name)?.partition_of.as_mut()?.bound {
                    crate::PartitionBound::Values(values) => Some(values),
                    crate::PartitionBound::Default => None,
                }
            }
        }
    }

    /// Whether some text of the schema is in the normalised form of a SQL
    /// source, which only PostgreSQL can turn into its own.
    pub fn has_normalised_texts(&self) -> bool {
        self.rewritten_texts().iter().any(|(_, text)| text.form == TextForm::Normalised)
    }

    /// Takes PostgreSQL's text for every normalised text of the schema from
    /// `applied` — the catalog of a database the schema was just built in
    /// (`autogen_introspect::introspect_after`) — where the same place
    /// holds a catalog text. Returns the places left normalised (gone from
    /// `applied`, or not PostgreSQL's there).
    pub fn adopt_catalog_texts(&mut self, applied: &crate::Schema) -> Vec<TextPlace> {
        let theirs: std::collections::BTreeMap<TextPlace, &Rewritten> =
            applied.rewritten_texts().into_iter().collect();
        let places: Vec<TextPlace> = self
            .rewritten_texts()
            .into_iter()
            .filter(|(_, text)| text.form == TextForm::Normalised)
            .map(|(place, _)| place)
            .collect();
        let mut left = Vec::new();
        for place in places {
            match theirs.get(&place) {
                Some(text) if text.form == TextForm::Catalog => {
                    if let Some(mine) = self.rewritten_mut(&place) {
                        let written = std::mem::take(&mut mine.text);
                        *mine = Rewritten::catalog(text.text.clone());
                        mine.written = Some(written);
                    }
                }
                _ => left.push(place),
            }
        }
        left
    }
}

/// What a view's or materialized view's query reads, and what its source
/// knows of the text besides the text itself. Not part of the view's value:
/// two views that differ only here compare equal, and JSON leaves it out.
/// A catalog fills it from `pg_depend` (the view's rewrite rule); the SQL
/// reader from the names the query resolves to.
#[derive(Debug, Clone, Default)]
pub struct ViewDependencies {
    /// What the query reads, in order, each once.
    pub on: Vec<Uses>,
    /// The text does not name the output columns as the view does (a
    /// column list was written that the query's aliases do not say): its
    /// `CREATE` writes the column list.
    pub column_list: bool,
    /// PostgreSQL has changed the text since it was read (a hinted rename
    /// of something it reads, which the catalog prints under the new
    /// name): the text here is not the database's, and the plan creates
    /// the view again.
    pub stale: bool,
    /// The output columns' types, in order, where known (a catalog knows
    /// each; the SQL reader those it is sure of): `CREATE OR REPLACE VIEW`
    /// cannot change one.
    pub column_types: Vec<Option<crate::SqlType>>,
}

crate::never_compared!(ViewDependencies);

impl ViewDependencies {
    /// Adds `uses` unless it is there.
    pub fn add(&mut self, uses: Uses) {
        if let Err(position) = self.on.binary_search(&uses) {
            self.on.insert(position, uses);
        }
    }

    /// Whether the query reads relation `name` (any of its columns, or the
    /// whole row).
    pub fn reads_relation(&self, name: &QualifiedName) -> bool {
        self.on.iter().any(|uses| match uses {
            Uses::Relation(relation) | Uses::Column(relation, _) => relation == name,
            _ => false,
        })
    }

    /// Whether the query reads column `column` of relation `relation`.
    pub fn reads_column(&self, relation: &QualifiedName, column: &str) -> bool {
        self.on.iter().any(
            |uses| matches!(uses, Uses::Column(name, used) if name == relation && used == column),
        )
    }

    /// Every name `rename` changes (`None`: kept), in order again.
    pub fn rename(&mut self, rename: impl Fn(&Uses) -> Option<Uses>) {
        let mut changed = false;
        for uses in &mut self.on {
            if let Some(renamed) = rename(uses) {
                *uses = renamed;
                changed = true;
            }
        }
        if changed {
            self.on.sort();
            self.on.dedup();
        }
    }
}

/// One thing a view's query reads, by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Uses {
    /// A table, view or materialized view (any of its columns, a whole row,
    /// or none: `SELECT count(*) FROM t`).
    Relation(QualifiedName),
    /// A column of a table, view or materialized view.
    Column(QualifiedName, String),
    /// A type (an enum, domain or composite type) the query casts to.
    Type(QualifiedName),
    /// A function or aggregate the query calls, by name (every overload).
    Function(QualifiedName),
    /// A sequence named by a `regclass` constant (`nextval('s')`).
    Sequence(QualifiedName),
}

/// A view's text as the catalog prints it (`pg_get_viewdef(oid, true)`),
/// in the form [`Rewritten::catalog`] keeps: without the leading and
/// trailing white space and the final `;` PostgreSQL adds, so that it reads
/// as the query of `CREATE VIEW … AS` and compares whatever the spacing
/// around it.
pub fn catalog_query(printed: &str) -> String {
    let trimmed = printed.trim();
    trimmed.strip_suffix(';').unwrap_or(trimmed).trim_end().to_owned()
}

impl View {
    /// A view called `name` with `query`, no options, no comments.
    pub fn new(name: QualifiedName, columns: Vec<ViewColumn>, query: Rewritten) -> Self {
        Self {
            name,
            columns,
            query,
            security_barrier: None,
            security_invoker: None,
            check_option: None,
            triggers: Vec::new(),
            comment: None,
            depends_on: ViewDependencies::default(),
            grants: crate::privileges::Grants::default(),
        }
    }

    /// `CREATE [OR REPLACE] VIEW name [(columns)] [WITH (options)] AS query
    /// [WITH LOCAL | CASCADED CHECK OPTION];`
    pub fn create_sql(&self, or_replace: bool) -> String {
        let mut sql = String::from("CREATE ");
        if or_replace {
            sql.push_str("OR REPLACE ");
        }
        let _ = write!(sql, "VIEW {}", self.name);
        if self.depends_on.column_list {
            let _ = write!(sql, " ({})", column_names(&self.columns));
        }
        let options = self.options();
        if !options.is_empty() {
            let _ = write!(sql, " WITH ({})", crate::ddl::parameter_list(&options));
        }
        let _ = write!(sql, " AS\n{}", self.query.sql());
        match self.check_option {
            Some(CheckOption::Local) => sql.push_str("\n  WITH LOCAL CHECK OPTION"),
            Some(CheckOption::Cascaded) => sql.push_str("\n  WITH CASCADED CHECK OPTION"),
            None => {}
        }
        sql.push(';');
        sql
    }

    /// The view's options as `reloptions` holds them (but `check_option`,
    /// which `CREATE VIEW` says at the end), in name order.
    pub fn options(&self) -> Vec<(String, String)> {
        let mut options = Vec::new();
        if let Some(barrier) = self.security_barrier {
            options.push(("security_barrier".to_owned(), barrier.to_string()));
        }
        if let Some(invoker) = self.security_invoker {
            options.push(("security_invoker".to_owned(), invoker.to_string()));
        }
        options
    }

    /// Every option `reloptions` holds, `check_option` included, in name
    /// order: what `ALTER VIEW … SET (…)` writes.
    pub fn all_options(&self) -> Vec<(String, String)> {
        let mut options = Vec::new();
        if let Some(check) = self.check_option {
            options.push(("check_option".to_owned(), check.keyword().to_owned()));
        }
        options.extend(self.options());
        options
    }

    /// The output column called `name`.
    pub fn column(&self, name: &str) -> Option<&ViewColumn> {
        self.columns.iter().find(|column| column.name == name)
    }
}

impl CheckOption {
    /// `local` or `cascaded`, as `reloptions` holds it.
    pub fn keyword(self) -> &'static str {
        match self {
            CheckOption::Local => "local",
            CheckOption::Cascaded => "cascaded",
        }
    }
}

impl MaterializedView {
    /// A materialized view called `name` with `query`, populated.
    pub fn new(name: QualifiedName, columns: Vec<ViewColumn>, query: Rewritten) -> Self {
        Self {
            name,
            columns,
            query,
            with_no_data: false,
            with: Vec::new(),
            indexes: Vec::new(),
            comment: None,
            depends_on: ViewDependencies::default(),
            grants: crate::privileges::Grants::default(),
        }
    }

    /// `CREATE MATERIALIZED VIEW name [(columns)] [WITH (parameters)] AS
    /// query [WITH NO DATA];` (its indexes are statements of their own).
    pub fn create_sql(&self) -> String {
        let mut sql = format!("CREATE MATERIALIZED VIEW {}", self.name);
        if self.depends_on.column_list {
            let _ = write!(sql, " ({})", column_names(&self.columns));
        }
        if !self.with.is_empty() {
            let _ = write!(sql, " WITH ({})", crate::ddl::parameter_list(&self.with));
        }
        let _ = write!(sql, " AS\n{}", self.query.sql());
        if self.with_no_data {
            sql.push_str("\n  WITH NO DATA");
        }
        sql.push(';');
        sql
    }

    /// The output column called `name`.
    pub fn column(&self, name: &str) -> Option<&ViewColumn> {
        self.columns.iter().find(|column| column.name == name)
    }

    /// The index called `name`.
    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.iter().find(|index| index.name == name)
    }
}

/// The names of `columns`, quoted where needed, comma-separated.
fn column_names(columns: &[ViewColumn]) -> String {
    let names: Vec<String> =
        columns.iter().map(|column| crate::quote_ident(&column.name)).collect();
    names.join(", ")
}

impl crate::Schema {
    /// The output columns of the table, view or materialized view called
    /// `name`, in order.
    pub fn relation_columns(&self, name: &QualifiedName) -> Option<Vec<String>> {
        let names = |columns: &[ViewColumn]| columns.iter().map(|c| c.name.clone()).collect();
        if let Some(table) = self.tables.get(name) {
            return Some(table.columns.iter().map(|column| column.name.clone()).collect());
        }
        if let Some(view) = self.views.get(name) {
            return Some(names(&view.columns));
        }
        self.materialized_views.get(name).map(|view| names(&view.columns))
    }

    /// Whether a view or a materialized view is called `name`.
    pub fn has_view(&self, name: &QualifiedName) -> bool {
        self.views.contains_key(name) || self.materialized_views.contains_key(name)
    }

    /// What the view or materialized view called `name` reads.
    pub fn view_dependencies(&self, name: &QualifiedName) -> Option<&ViewDependencies> {
        match self.views.get(name) {
            Some(view) => Some(&view.depends_on),
            None => self.materialized_views.get(name).map(|view| &view.depends_on),
        }
    }

    /// Every view and materialized view, with what each reads.
    pub fn all_view_dependencies(
        &self,
    ) -> impl Iterator<Item = (&QualifiedName, &ViewDependencies)> {
        (self.views.iter().map(|(name, view)| (name, &view.depends_on)))
            .chain(self.materialized_views.iter().map(|(name, view)| (name, &view.depends_on)))
    }

    /// The views and materialized views that read what `reads` says,
    /// directly or through other views, each after every view it reads
    /// (creation order; drops go the other way).
    pub fn views_depending(&self, reads: impl Fn(&ViewDependencies) -> bool) -> Vec<QualifiedName> {
        let mut found: Vec<QualifiedName> = Vec::new();
        let mut pending: Vec<QualifiedName> = (self.all_view_dependencies())
            .filter(|(_, dependencies)| reads(dependencies))
            .map(|(name, _)| name.clone())
            .collect();
        while let Some(name) = pending.pop() {
            if found.contains(&name) {
                continue;
            }
            found.push(name.clone());
            for (other, dependencies) in self.all_view_dependencies() {
                if dependencies.reads_relation(&name) && !found.contains(other) {
                    pending.push(other.clone());
                }
            }
        }
        self.in_creation_order(found)
    }

    /// `names` (views and materialized views) each after every one of them
    /// it reads; ties in name order.
    pub fn in_creation_order(&self, mut names: Vec<QualifiedName>) -> Vec<QualifiedName> {
        names.sort();
        names.dedup();
        let mut ordered: Vec<QualifiedName> = Vec::with_capacity(names.len());
        while ordered.len() < names.len() {
            let before = ordered.len();
            for name in &names {
                if ordered.contains(name) {
                    continue;
                }
                let waits = self.view_dependencies(name).is_some_and(|dependencies| {
                    names.iter().any(|other| {
                        other != name
                            && !ordered.contains(other)
                            && dependencies.reads_relation(other)
                    })
                });
                if !waits {
                    ordered.push(name.clone());
                }
            }
            if ordered.len() == before {
                // A cycle (which PostgreSQL does not allow): the rest in
                // name order rather than lost.
                let rest: Vec<QualifiedName> =
                    names.iter().filter(|name| !ordered.contains(name)).cloned().collect();
                ordered.extend(rest);
                break;
            }
        }
        ordered
    }

    /// Relation `old` called `new` in what every view reads (PostgreSQL
    /// follows a rename by oid); the views that read it marked stale, as
    /// their text here still says the old name.
    pub fn follow_relation_rename(&mut self, old: &QualifiedName, new: &QualifiedName) {
        self.each_view_dependencies(|dependencies| {
            if dependencies.reads_relation(old) {
                dependencies.stale = true;
                dependencies.rename(|uses| match uses {
                    Uses::Relation(name) if name == old => Some(Uses::Relation(new.clone())),
                    Uses::Column(name, column) if name == old => {
                        Some(Uses::Column(new.clone(), column.clone()))
                    }
                    _ => None,
                });
            }
        });
    }

    /// Column `old` of `relation` called `new` in what every view reads;
    /// the views that read it marked stale.
    pub fn follow_column_rename(&mut self, relation: &QualifiedName, old: &str, new: &str) {
        self.each_view_dependencies(|dependencies| {
            if dependencies.reads_column(relation, old) {
                dependencies.stale = true;
                dependencies.rename(|uses| match uses {
                    Uses::Column(name, column) if name == relation && column == old => {
                        Some(Uses::Column(name.clone(), new.to_owned()))
                    }
                    _ => None,
                });
            }
        });
    }

    /// Type `old` called `new` in what every view reads; the views that
    /// cast to it marked stale.
    pub fn follow_type_rename(&mut self, old: &QualifiedName, new: &QualifiedName) {
        self.each_view_dependencies(|dependencies| {
            for data_type in dependencies.column_types.iter_mut().flatten() {
                data_type.rename_type(old, new);
            }
            if dependencies.on.contains(&Uses::Type(old.clone())) {
                dependencies.stale = true;
                dependencies.rename(|uses| match uses {
                    Uses::Type(name) if name == old => Some(Uses::Type(new.clone())),
                    _ => None,
                });
            }
        });
    }

    fn each_view_dependencies(&mut self, mut change: impl FnMut(&mut ViewDependencies)) {
        for view in self.views.values_mut() {
            change(&mut view.depends_on);
        }
        for view in self.materialized_views.values_mut() {
            change(&mut view.depends_on);
        }
    }
}
