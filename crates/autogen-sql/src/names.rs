//! Which names the tables of a schema take, kept up to date as statements
//! change tables, so that choosing a name for an unnamed object or finding
//! an index or a sequence by name costs a map lookup, not a pass over every
//! table (a 5,000-table file names some 20,000 objects).
//!
//! Tables a statement changes are marked. While the statement runs, the
//! marked tables are looked at directly and the index answers for the
//! others; when it ends, the index takes the marked tables in again. Debug
//! builds then check the index against one built afresh from all tables,
//! so a change that is not marked fails the tests.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use autogen_schema::{QualifiedName, Table};

/// A relation a table brings with it besides itself.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Relation {
    /// An index: a plain one, or the one behind a primary key, unique or
    /// exclusion constraint (which has the constraint's name).
    Index,
    /// The sequence of a serial or identity column.
    Sequence { column: String },
}

/// Calls `visit(schema, name, column)` for each relation `table` brings
/// with it (`column` is the column owning a sequence, `None` for indexes)
/// until it returns true; says whether it did.
fn any_relation(table: &Table, mut visit: impl FnMut(&str, &str, Option<&str>) -> bool) -> bool {
    let schema = table.name.schema.as_str();
    let indexes = (table.primary_key.iter().map(|key| key.name.as_str()))
        .chain(table.unique_constraints.iter().map(|unique| unique.name.as_str()))
        .chain(table.exclusion_constraints.iter().map(|exclusion| exclusion.name.as_str()))
        .chain(table.indexes.iter().map(|index| index.name.as_str()));
    for index in indexes {
        if visit(schema, index, None) {
            return true;
        }
    }
    table.columns.iter().any(|column| {
        let owned = column.owned_sequence.as_ref().map(|sequence| &sequence.name);
        let identity = column.identity.as_ref().map(|identity| &identity.sequence_name);
        owned
            .into_iter()
            .chain(identity)
            .any(|sequence| visit(&sequence.schema, &sequence.name, Some(&column.name)))
    })
}

/// Every constraint name of a table.
pub(crate) fn constraint_names(table: &Table) -> impl Iterator<Item = &str> {
    table
        .primary_key
        .iter()
        .map(|key| key.name.as_str())
        .chain(table.unique_constraints.iter().map(|unique| unique.name.as_str()))
        .chain(table.check_constraints.iter().map(|check| check.name.as_str()))
        .chain(table.foreign_keys.iter().map(|key| key.name.as_str()))
        .chain(table.exclusion_constraints.iter().map(|exclusion| exclusion.name.as_str()))
}

/// The names one table takes.
#[derive(Debug, Clone, PartialEq, Default)]
struct TableNames {
    relations: Vec<(QualifiedName, Relation)>,
    constraints: Vec<QualifiedName>,
}

impl TableNames {
    fn of(table: &Table) -> Self {
        let mut relations = Vec::new();
        any_relation(table, |schema, name, column| {
            let what = match column {
                Some(column) => Relation::Sequence { column: column.to_owned() },
                None => Relation::Index,
            };
            relations.push((QualifiedName::new(schema, name), what));
            false
        });
        let in_schema = |name: &str| QualifiedName::new(table.name.schema.clone(), name);
        Self { relations, constraints: constraint_names(table).map(in_schema).collect() }
    }
}

/// The names all tables take, by name.
#[derive(Debug, Clone, Default)]
pub(crate) struct NameIndex {
    /// Tables changed by the statement running, not yet taken in.
    changed: BTreeSet<QualifiedName>,
    by_table: HashMap<QualifiedName, TableNames>,
    /// Relation name → the tables (and what of theirs) that take it.
    relations: HashMap<QualifiedName, Vec<(QualifiedName, Relation)>>,
    /// Constraint name (in its table's schema) → how many tables use it.
    constraints: HashMap<QualifiedName, usize>,
}

impl NameIndex {
    /// The index of `tables`.
    pub(crate) fn new(tables: &BTreeMap<QualifiedName, Table>) -> Self {
        let mut index = Self::default();
        for (name, table) in tables {
            index.update(name, TableNames::of(table));
        }
        index
    }

    /// Table `name` was created, changed or dropped.
    pub(crate) fn mark(&mut self, name: &QualifiedName) {
        if !self.changed.contains(name) {
            self.changed.insert(name.clone());
        }
    }

    /// The statement that changed the marked tables failed: they are back
    /// as the index has them.
    pub(crate) fn forget_changes(&mut self) {
        self.changed.clear();
    }

    /// Takes in the tables marked since the last call (a statement ended).
    pub(crate) fn catch_up(&mut self, tables: &BTreeMap<QualifiedName, Table>) {
        for name in std::mem::take(&mut self.changed) {
            let names = tables.get(&name).map(TableNames::of).unwrap_or_default();
            self.update(&name, names);
        }
        #[cfg(debug_assertions)]
        {
            let fresh = Self::new(tables);
            assert_eq!(self.sorted(), fresh.sorted(), "a changed table was not marked");
        }
    }

    /// Replaces what table `name` took by `names`, touching only what
    /// differs (a new index adds one name, not all of the table's).
    fn update(&mut self, name: &QualifiedName, names: TableNames) {
        let old = self.by_table.remove(name).unwrap_or_default();
        let (gone, added) = difference(&old.relations, &names.relations);
        for (relation, what) in gone {
            if let Some(owners) = self.relations.get_mut(relation) {
                if let Some(position) =
                    owners.iter().position(|owner| owner.0 == *name && owner.1 == *what)
                {
                    owners.remove(position);
                }
                if owners.is_empty() {
                    self.relations.remove(relation);
                }
            }
        }
        for (relation, what) in added {
            let owners = self.relations.entry(relation.clone()).or_default();
            owners.push((name.clone(), what.clone()));
        }
        let (gone, added) = difference(&old.constraints, &names.constraints);
        for constraint in gone {
            if let Some(count) = self.constraints.get_mut(constraint) {
                *count -= 1;
                if *count == 0 {
                    self.constraints.remove(constraint);
                }
            }
        }
        for constraint in added {
            *self.constraints.entry(constraint.clone()).or_default() += 1;
        }
        if names != TableNames::default() {
            self.by_table.insert(name.clone(), names);
        }
    }

    /// The index in a form two indexes built in different orders compare
    /// equal in.
    #[cfg(debug_assertions)]
    #[allow(clippy::type_complexity)]
    fn sorted(
        &self,
    ) -> (BTreeMap<&QualifiedName, Vec<&(QualifiedName, Relation)>>, BTreeMap<&QualifiedName, usize>)
    {
        let relations = self.relations.iter().map(|(relation, owners)| {
            let mut owners: Vec<_> = owners.iter().collect();
            owners.sort();
            (relation, owners)
        });
        let constraints = self.constraints.iter().map(|(name, count)| (name, *count));
        (relations.collect(), constraints.collect())
    }

    /// The tables the running statement changed, as they are now.
    fn changed_tables<'t>(
        &'t self,
        tables: &'t BTreeMap<QualifiedName, Table>,
    ) -> impl Iterator<Item = &'t Table> {
        self.changed.iter().filter_map(|name| tables.get(name))
    }

    /// What the index holds of relation `name` from unchanged tables.
    fn indexed(&self, name: &QualifiedName) -> impl Iterator<Item = &(QualifiedName, Relation)> {
        let owners = self.relations.get(name).into_iter().flatten();
        owners.filter(|(table, _)| !self.changed.contains(table))
    }

    /// Whether some table's index or sequence is called `name`.
    pub(crate) fn relation_taken(
        &self,
        tables: &BTreeMap<QualifiedName, Table>,
        name: &QualifiedName,
    ) -> bool {
        self.indexed(name).next().is_some()
            || self.changed_tables(tables).any(|table| {
                any_relation(table, |schema, relation, _| {
                    schema == name.schema && relation == name.name
                })
            })
    }

    /// Whether some table in `name`'s schema has a constraint so called.
    pub(crate) fn constraint_taken(
        &self,
        tables: &BTreeMap<QualifiedName, Table>,
        name: &QualifiedName,
    ) -> bool {
        let stale: usize = (self.changed.iter().filter_map(|table| self.by_table.get(table)))
            .map(|names| names.constraints.iter().filter(|taken| *taken == name).count())
            .sum();
        self.constraints.get(name).is_some_and(|count| *count > stale)
            || self.changed_tables(tables).any(|table| {
                table.name.schema == name.schema
                    && constraint_names(table).any(|constraint| constraint == name.name)
            })
    }

    /// The table with index `name` (plain, or behind a constraint).
    pub(crate) fn index_table(
        &self,
        tables: &BTreeMap<QualifiedName, Table>,
        name: &QualifiedName,
    ) -> Option<QualifiedName> {
        let changed = self.changed_tables(tables).find(|table| {
            any_relation(table, |schema, relation, column| {
                column.is_none() && schema == name.schema && relation == name.name
            })
        });
        changed.map(|table| table.name.clone()).or_else(|| {
            self.indexed(name)
                .find(|(_, what)| *what == Relation::Index)
                .map(|(table, _)| table.clone())
        })
    }

    /// The table and column that own sequence `name`.
    pub(crate) fn sequence_owner(
        &self,
        tables: &BTreeMap<QualifiedName, Table>,
        name: &QualifiedName,
    ) -> Option<(QualifiedName, String)> {
        let found = self.changed_tables(tables).find_map(|table| {
            let mut owner = None;
            any_relation(table, |schema, relation, column| {
                if schema == name.schema && relation == name.name {
                    owner = column.map(|column| (table.name.clone(), column.to_owned()));
                }
                owner.is_some()
            });
            owner
        });
        found.or_else(|| {
            self.indexed(name).find_map(|(table, what)| match what {
                Relation::Sequence { column } => Some((table.clone(), column.clone())),
                Relation::Index => None,
            })
        })
    }
}

/// What of `old` is not in `new`, and what of `new` is not in `old`, each
/// entry counted as often as it occurs (the lists are short).
fn difference<'l, T: PartialEq>(old: &'l [T], new: &'l [T]) -> (Vec<&'l T>, Vec<&'l T>) {
    let mut unmatched = vec![true; new.len()];
    let mut gone = Vec::new();
    for entry in old {
        match (0..new.len()).find(|&index| unmatched[index] && new[index] == *entry) {
            Some(index) => unmatched[index] = false,
            None => gone.push(entry),
        }
    }
    let added = new.iter().zip(unmatched).filter(|(_, unmatched)| *unmatched);
    (gone, added.map(|(entry, _)| entry).collect())
}
