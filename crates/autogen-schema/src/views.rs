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
