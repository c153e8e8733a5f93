//! A table whose partitioning changes — plain to partitioned, partitioned
//! to plain, or partitioned by other keys — which PostgreSQL cannot do in
//! place: the table is set aside under another name, the new one is
//! created (with its partitions) under its name, the rows are moved over,
//! and the one set aside is dropped.
//!
//! [`set_aside`] renames, before anything else in the plan, the table (and
//! what of its old family — partitions, indexes, identity sequences,
//! extended statistics — has a name the new schema uses) and returns
//! `from` as it is after that, so the rest of the comparison sees a table
//! to create and one to drop: foreign keys to it are dropped and added
//! again, views over it follow the rename and are replaced to read the
//! new table, a sequence a column owns changes owner ([`super::sequences`]).
//! [`move_rows`] then adds the step that moves the rows, after the new
//! table and its partitions exist and before the old ones are dropped;
//! what checks or reads the rows (foreign keys, triggers, indexes of the
//! new table, materialized views over it) comes after it.

use std::borrow::Cow;
use std::collections::BTreeSet;

use autogen_schema::ddl::Renderer;
use autogen_schema::{
    expression, naming, quote_ident, quote_literal, QualifiedName, Schema, SqlType, Table,
};

use super::grants::GrantObject;
use super::Family;
use crate::hints::Hints;
use crate::operation::{column_keys, Hazard, Key, Operation, Step};
use crate::order::Phase;

/// `INSERT INTO new … SELECT … FROM set_aside`, identity sequences carried on.
pub(super) struct Moves;

/// A table set aside: its rows go to the table of `to` with its name.
#[derive(Debug, Clone)]
pub(crate) struct SetAside {
    /// The table's name, the new table's.
    pub table: QualifiedName,
    /// Its name while set aside.
    pub aside: QualifiedName,
}

impl SetAside {
    /// The table set aside and its partitions, in `from` after
    /// [`set_aside`].
    pub(crate) fn old_family(&self, from: &Schema) -> Vec<QualifiedName> {
        descendants(from, &self.aside)
    }

    /// The new table and its partitions.
    pub(crate) fn new_family(&self, to: &Schema) -> Vec<QualifiedName> {
        descendants(to, &self.table)
    }
}

/// Why the partitioning of kept table `name` cannot change by moving its
/// rows into a new table; `None` when it can.
pub(crate) fn why_not_moved(from: &Schema, to: &Schema, name: &QualifiedName) -> Option<String> {
    let (old, new) = (from.tables.get(name)?, to.tables.get(name)?);
    if old.partition_of.is_some() || new.partition_of.is_some() {
        return Some(format!(
            "{name} is a partition, whose rows its parent holds: change its partitioning by \
             hand (detach it, move its rows into a new partition, drop the old one)"
        ));
    }
    let inherits = |schema: &Schema| {
        schema.tables.values().any(|table| table.inherits.contains(name))
            || !schema.tables[name].inherits.is_empty()
    };
    if inherits(from) || inherits(to) {
        return Some(format!(
            "{name} has inheritance parents or children, which a partitioned table cannot \
             have: take it out of its inheritance tree first"
        ));
    }
    for schema in [from, to] {
        if let Some(user) = row_type_user(schema, name) {
            return Some(format!(
                "{user} uses the row type of {name}, which would go with the table set aside: \
                 change it by hand around this migration"
            ));
        }
    }
    None
}

/// What in `schema` uses the row type of table `name` (a column, an
/// attribute, a domain, a routine's argument or result).
fn row_type_user(schema: &Schema, name: &QualifiedName) -> Option<String> {
    let is_row = |data_type: &SqlType| matches!(data_type.element(), SqlType::UserDefined { name: used } if used == name);
    for table in schema.tables.values() {
        if let Some(column) = table.columns.iter().find(|column| is_row(&column.data_type)) {
            return Some(format!("column {}.{}", table.name, quote_ident(&column.name)));
        }
    }
    for composite in schema.composites.values() {
        if composite.attributes.iter().any(|attribute| is_row(&attribute.data_type)) {
            return Some(format!("type {}", composite.name));
        }
    }
    if let Some(domain) = schema.domains.values().find(|domain| is_row(&domain.data_type)) {
        return Some(format!("domain {}", domain.name));
    }
    for function in schema.functions.values() {
        let returns = match &function.returns {
            Some(autogen_schema::Returns::Type { data_type, .. }) => is_row(data_type),
            Some(autogen_schema::Returns::Table(columns)) => {
                columns.iter().any(|(_, data_type)| is_row(data_type))
            }
            None => false,
        };
        if returns || function.arguments.iter().any(|argument| is_row(&argument.data_type)) {
            return Some(format!("function {}", function.identity()));
        }
    }
    None
}

/// The kept tables whose partitioning changes and can be moved, set aside:
/// the rename steps (to run first, after the hinted ones), `from` after
/// them, and what was set aside.
pub(crate) fn set_aside<'s>(
    from: Cow<'s, Schema>,
    to: &Schema,
) -> (Vec<Step>, Cow<'s, Schema>, Vec<SetAside>) {
    let changed: Vec<QualifiedName> = (to.tables.iter())
        .filter(|(name, new)| {
            from.tables.get(*name).is_some_and(|old| old.partition_by != new.partition_by)
        })
        .map(|(name, _)| name.clone())
        .filter(|name| why_not_moved(&from, to, name).is_none())
        .collect();
    if changed.is_empty() {
        return (Vec::new(), from, Vec::new());
    }
    let mut taken = relation_names(&from);
    taken.extend(relation_names(to));
    let in_to = relation_names(to);
    let statistics_in_to: BTreeSet<QualifiedName> = (to.tables.values())
        .flat_map(|table| &table.statistics)
        .map(|statistics| statistics.name.clone())
        .collect();
    let mut aside_name = |name: &QualifiedName| {
        let chosen = naming::choose_name(&name.name, None, "autogen_old", |candidate| {
            taken.contains(&QualifiedName::new(name.schema.clone(), candidate))
        });
        let chosen = QualifiedName::new(name.schema.clone(), chosen);
        taken.insert(chosen.clone());
        chosen
    };
    let mut hints = Hints::default();
    let mut sequences = Vec::new();
    let mut statistics = Vec::new();
    let mut moved = Vec::new();
    for name in changed {
        let family = descendants(&from, &name);
        for member in &family {
            let table = &from.tables[member];
            let aside = aside_name(member);
            if *member == name {
                moved.push(SetAside { table: name.clone(), aside: aside.clone() });
            }
            if *member == name || in_to.contains(member) {
                hints.tables.push((member.clone(), aside.name));
            }
            for index in index_names(table) {
                let index = QualifiedName::new(member.schema.clone(), index);
                if in_to.contains(&index) {
                    let aside = aside_name(&index);
                    hints.indexes.push((index, aside.name));
                }
            }
            for column in &table.columns {
                let Some(identity) = &column.identity else { continue };
                if in_to.contains(&identity.sequence_name) {
                    let aside = aside_name(&identity.sequence_name);
                    sequences.push((identity.sequence_name.clone(), aside));
                }
            }
            for object in &table.statistics {
                if statistics_in_to.contains(&object.name) {
                    statistics.push((
                        member.clone(),
                        object.name.clone(),
                        aside_name(&object.name),
                    ));
                }
            }
        }
    }
    let (mut steps, renamed) = hints.apply(&from);
    let mut schema = renamed.into_owned();
    // What reads a table set aside by oid — a SQL-standard body, another
    // table's policy — prints its new name (views follow in `apply`): the
    // plan replaces them to read the new table.
    for (old, aside) in &hints.tables {
        let follow = |text: &mut String| {
            if expression::mentions_relation(text, old) {
                *text = expression::rename_relation(text, old, aside);
            }
        };
        for function in schema.functions.values_mut() {
            if let autogen_schema::Body::Standard(body) = &mut function.body {
                follow(&mut body.text);
            }
        }
        for table in schema.tables.values_mut() {
            for policy in &mut table.policies {
                for text in [&mut policy.using, &mut policy.with_check].into_iter().flatten() {
                    follow(&mut text.text);
                }
            }
        }
    }
    for (old, new) in sequences {
        for table in schema.tables.values_mut() {
            for column in &mut table.columns {
                if let Some(identity) = column.identity.as_mut().filter(|i| i.sequence_name == old)
                {
                    identity.sequence_name = new.clone();
                }
            }
        }
        steps.push(Step::new(Operation::RenameSequence { old, new: new.name }));
    }
    for (table_name, old, new) in statistics {
        let table_name = renamed_table(&hints, &table_name);
        let table = schema.tables.get_mut(&table_name).expect("a table of the family");
        for object in table.statistics.iter_mut().filter(|object| object.name == old) {
            object.name = new.clone();
        }
        steps.push(Step::new(Operation::RenameStatistics {
            table: table_name.clone(),
            old,
            new: new.name,
        }));
    }
    (steps, Cow::Owned(schema), moved)
}

/// A routine's SQL-standard body (`BEGIN ATOMIC … END`, `RETURN …`), in
/// whichever form its source gave it.
fn standard_body(function: &autogen_schema::Function) -> Option<&str> {
    match &function.body {
        autogen_schema::Body::Standard(body) => Some(&body.text),
        _ => None,
    }
}

/// `name` as `hints` renames it.
fn renamed_table(hints: &Hints, name: &QualifiedName) -> QualifiedName {
    (hints.tables.iter())
        .find(|(old, _)| old == name)
        .map_or_else(|| name.clone(), |(_, new)| QualifiedName::new(name.schema.clone(), new))
}

/// Table `name` and every partition under it, at any level.
fn descendants(schema: &Schema, name: &QualifiedName) -> Vec<QualifiedName> {
    let mut family = vec![name.clone()];
    let mut next = 0;
    while next < family.len() {
        let parent = family[next].clone();
        for table in schema.tables.values() {
            if table.partition_of.as_ref().is_some_and(|of| of.parent == parent) {
                family.push(table.name.clone());
            }
        }
        next += 1;
    }
    family
}

/// The names of a table's indexes, its constraints' among them.
fn index_names(table: &Table) -> Vec<&String> {
    (table.primary_key.iter().map(|key| &key.name))
        .chain(table.unique_constraints.iter().map(|unique| &unique.name))
        .chain(table.exclusion_constraints.iter().map(|exclusion| &exclusion.name))
        .chain(table.indexes.iter().map(|index| &index.name))
        .collect()
}

/// Every name in `schema`'s relation and type namespaces: tables (and
/// their row types), views, indexes, sequences, types.
pub(crate) fn relation_names(schema: &Schema) -> BTreeSet<QualifiedName> {
    let mut names = BTreeSet::new();
    for table in schema.tables.values() {
        names.insert(table.name.clone());
        for index in index_names(table) {
            names.insert(QualifiedName::new(table.name.schema.clone(), index));
        }
        for column in &table.columns {
            names.extend(column.identity.iter().map(|identity| identity.sequence_name.clone()));
            names.extend(column.owned_sequence.iter().map(|sequence| sequence.name.clone()));
        }
    }
    for view in schema.views.keys() {
        names.insert(view.clone());
    }
    for view in schema.materialized_views.values() {
        names.insert(view.name.clone());
        for index in &view.indexes {
            names.insert(QualifiedName::new(view.name.schema.clone(), &index.name));
        }
    }
    names.extend(schema.sequences.keys().cloned());
    names.extend(schema.enums.keys().cloned());
    names.extend(schema.composites.keys().cloned());
    names.extend(schema.domains.keys().cloned());
    names
}

/// The steps that move the rows of each table set aside into the new one,
/// and what must wait for them: foreign keys to and from the new table
/// and its partitions (checked on the rows), its triggers (which would fire
/// on the move), row-level security and policies (which could refuse
/// rows), its indexes (built once, on the rows) and materialized views
/// over it. The old tables' drops lose no data when every column
/// finds its place in the new table. What was granted on the table is
/// granted again on the new one.
pub(crate) fn move_rows(moved: &[SetAside], from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    for set_aside in moved {
        let (Some(old), Some(new)) =
            (from.tables.get(&set_aside.aside), to.tables.get(&set_aside.table))
        else {
            continue;
        };
        let carried: Vec<&autogen_schema::Column> = (old.columns.iter())
            .filter(|column| {
                new.column(&column.name).is_some_and(|target| target.generated.is_none())
            })
            .collect();
        let columns: Vec<String> = carried.iter().map(|column| column.name.clone()).collect();
        let overriding = carried.iter().any(|column| {
            new.column(&column.name).and_then(|target| target.identity.as_ref()).is_some_and(
                |identity| identity.generation == autogen_schema::IdentityGeneration::Always,
            )
        });
        let sequences = (carried.iter())
            .filter_map(|column| {
                let before = column.identity.as_ref()?;
                let after = new.column(&column.name)?.identity.as_ref()?;
                Some((before.sequence_name.clone(), after.sequence_name.clone()))
            })
            .collect();
        let old_family = set_aside.old_family(from);
        let new_family = set_aside.new_family(to);
        let name = &set_aside.table;
        let step = Step::new(Operation::MoveRows {
            from: set_aside.aside.clone(),
            to: name.clone(),
            columns: columns.clone(),
            overriding,
            sequences,
        })
        .hazard(Hazard::BlockingLock)
        .hazard(Hazard::MayFailOnData)
        .produces([Key::Rows(name.clone())])
        .consumes([Key::Table(name.clone()), Key::Table(set_aside.aside.clone())])
        .consumes(column_keys(name, columns.iter()))
        .consumes(new_family.iter().skip(1).map(|member| Key::PartitionOf(member.clone())))
        .releases(old_family.iter().map(|member| Key::Table(member.clone())));
        // A column generated in the new table is computed again there.
        let all_carried = old.columns.iter().all(|column| {
            new.column(&column.name)
                .is_some_and(|target| columns.contains(&column.name) || target.generated.is_some())
        });
        let is_new_member = |table: &QualifiedName| new_family.contains(table);
        let reads = |text: &str| new_family.iter().any(|m| expression::mentions_relation(text, m));
        let reads_aside =
            |text: &str| old_family.iter().any(|m| expression::mentions_relation(text, m));
        let policy_reads = |policy: &autogen_schema::Policy, reads: &dyn Fn(&str) -> bool| {
            [&policy.using, &policy.with_check].into_iter().flatten().any(|text| reads(&text.text))
        };
        for step in steps.iter_mut() {
            // What reads the table by oid moves from the one set aside to
            // the new one: after it exists, before the old one goes.
            let (reads_new, reads_old) = match &step.operation {
                Operation::CreateFunction { function, .. } => {
                    (standard_body(function).is_some_and(reads), false)
                }
                Operation::DropFunction(function) => {
                    (false, standard_body(function).is_some_and(reads_aside))
                }
                Operation::CreatePolicy { policy, .. } => (policy_reads(policy, &reads), false),
                Operation::AlterPolicy { from, to, .. } => {
                    (policy_reads(to, &reads), policy_reads(from, &reads_aside))
                }
                Operation::DropPolicy { policy, .. } => (false, policy_reads(policy, &reads_aside)),
                _ => (false, false),
            };
            if reads_new {
                step.consumes.push(Key::Table(name.clone()));
                step.releases.push(Key::Table(set_aside.aside.clone()));
            }
            if reads_old {
                step.releases.push(Key::Table(set_aside.aside.clone()));
            }
            let waits = match &step.operation {
                Operation::DropTable(table) => {
                    if all_carried && old_family.contains(&table.name) {
                        step.hazards.retain(|hazard| *hazard != Hazard::DataLoss);
                    }
                    false
                }
                Operation::AddForeignKey { table, key } => {
                    is_new_member(table) || is_new_member(&key.referenced_table)
                }
                Operation::CreateTrigger { table, .. }
                | Operation::CreateIndex { table, .. }
                | Operation::SetRowSecurity { table, .. }
                | Operation::ForceRowSecurity { table, .. }
                | Operation::CreatePolicy { table, .. } => is_new_member(table),
                Operation::CreateMaterializedView { view, .. } => {
                    new_family.iter().any(|member| view.depends_on.reads_relation(member))
                }
                _ => false,
            };
            if waits {
                step.consumes.push(Key::Rows(name.clone()));
            }
        }
        steps.push(step);
        // What was granted on it (it comes back with the defaults).
        let on = autogen_schema::GrantedOn::Relation;
        if let Some(grants) = super::grants::kept(on, &old.grants, Some(&new.grants)) {
            let restore = Operation::RestoreGrants { on: GrantObject::Table(name.clone()), grants };
            steps.push(Step::new(restore).consumes([Key::Table(name.clone())]));
        }
    }
}

impl Family for Moves {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::MoveRows { from, to, .. } => format!("move the rows of {from} into {to}"),
            other => super::not_mine("moves", other),
        }
    }

    fn phase(&self, _operation: &Operation) -> Phase {
        Phase::MoveRows
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        let Operation::MoveRows { from, to, columns, overriding, sequences } = operation else {
            super::not_mine("moves", operation)
        };
        let list: Vec<String> = columns.iter().map(|column| quote_ident(column)).collect();
        let list = list.join(", ");
        let overriding = if *overriding { " OVERRIDING SYSTEM VALUE" } else { "" };
        let mut statements =
            vec![format!("INSERT INTO {to} ({list}){overriding} SELECT {list} FROM {from};")];
        for (before, after) in sequences {
            statements.push(format!(
                "SELECT setval({}, last_value, is_called) FROM {before};",
                quote_literal(&after.to_string())
            ));
        }
        statements
    }

    fn note(&self, operation: &Operation) -> Option<String> {
        let Operation::MoveRows { from, to, .. } = operation else { return None };
        Some(
            autogen_schema::one_line(&format!(
            "-- PostgreSQL cannot change a table's partitioning in place: {to} was set aside as \
             {from} and created anew; this copies every row over (both tables stay locked until \
             the migration commits) and fails if a row does not fit the new table (no partition \
             for it, a constraint it breaks)"
        ))
            .into_owned(),
        )
    }
}
