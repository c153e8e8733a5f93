//! Constraints: primary keys, unique, checks, foreign keys and exclusion
//! constraints — added, dropped, validated (`NOT VALID` declared valid), or
//! renamed when only the name changed; foreign keys cut around a key being
//! replaced.

use std::collections::BTreeSet;

use autogen_schema::ddl::{
    check_sql, exclusion_sql, foreign_key_sql, primary_key_sql, unique_sql, Renderer,
};
use autogen_schema::{
    quote_ident, ExclusionConstraint, ForeignKey, IndexMethod, IndexTarget, PrimaryKey,
    QualifiedName, Schema, SqlType, Table,
};

use super::indexes::index_column_keys;
use super::Family;
use crate::operation::{
    column_keys, expression_keys, index_key, ConstraintKind, Hazard, Key, Operation, Step,
};
use crate::order::Phase;

/// `ALTER TABLE … ADD CONSTRAINT`, `DROP CONSTRAINT`, `VALIDATE
/// CONSTRAINT`, `RENAME CONSTRAINT`.
pub(super) struct Constraints;

/// The constraints of a table that is kept; `through_swap` says which
/// check expressions compare with a literal of an enum being swapped (such
/// a check is dropped and added again around the swap).
pub(crate) fn diff_table(
    (from, to): (&Schema, &Schema),
    (old, new): (&Table, &Table),
    through_swap: &dyn Fn(&str) -> bool,
    steps: &mut Vec<Step>,
) {
    let name = &new.name;
    let key_renamed = match (&old.primary_key, &new.primary_key) {
        (Some(before), Some(after)) if before.name != after.name => {
            (PrimaryKey { name: after.name.clone(), ..before.clone() }) == *after
        }
        _ => false,
    };
    if key_renamed {
        let (before, after) = (old.primary_key.as_ref(), new.primary_key.as_ref());
        let (before, after) = (before.expect("renamed"), after.expect("renamed"));
        steps.push(rename_constraint(name, &before.name, &after.name, ConstraintKind::PrimaryKey));
    } else if old.primary_key != new.primary_key {
        if let Some(key) = &old.primary_key {
            steps.push(drop_constraint(
                name,
                &key.name,
                ConstraintKind::PrimaryKey,
                &key.columns,
                true,
            ));
        }
        if let Some(key) = &new.primary_key {
            steps.push(
                Step::new(Operation::AddPrimaryKey { table: name.clone(), key: key.clone() })
                    .hazard(Hazard::BlockingLock)
                    .hazard(Hazard::MayFailOnData)
                    .produces([
                        Key::Constraint(name.clone(), key.name.clone()),
                        index_key(name, &key.name),
                    ])
                    .consumes([Key::Table(name.clone())])
                    .consumes(column_keys(name, &key.columns)),
            );
        }
    }
    let renamed_uniques =
        renamed(&old.unique_constraints, &new.unique_constraints, |unique| &unique.name);
    for (before, after) in &renamed_uniques {
        steps.push(rename_constraint(name, before, after, ConstraintKind::Unique));
    }
    let renamed_checks =
        renamed(&old.check_constraints, &new.check_constraints, |check| &check.name);
    for (before, after) in &renamed_checks {
        steps.push(rename_constraint(name, before, after, ConstraintKind::Check));
    }
    let renamed_keys = renamed(&old.foreign_keys, &new.foreign_keys, |key| &key.name);
    for (before, after) in &renamed_keys {
        steps.push(rename_constraint(name, before, after, ConstraintKind::ForeignKey));
    }
    let is_renamed = |pairs: &[(String, String)], name: &str| {
        pairs.iter().any(|(before, after)| before == name || after == name)
    };
    for unique in &new.unique_constraints {
        if is_renamed(&renamed_uniques, &unique.name) {
            continue;
        }
        let before = old.unique_constraints.iter().find(|old| old.name == unique.name);
        if before == Some(unique) {
            continue;
        }
        if let Some(before) = before {
            steps.push(drop_constraint(
                name,
                &before.name,
                ConstraintKind::Unique,
                &before.columns,
                true,
            ));
        }
        steps.push(
            Step::new(Operation::AddUnique { table: name.clone(), unique: unique.clone() })
                .hazard(Hazard::BlockingLock)
                .hazard(Hazard::MayFailOnData)
                .produces([
                    Key::Constraint(name.clone(), unique.name.clone()),
                    index_key(name, &unique.name),
                ])
                .consumes([Key::Table(name.clone())])
                .consumes(column_keys(name, &unique.columns)),
        );
    }
    for unique in &old.unique_constraints {
        if !new.unique_constraints.iter().any(|new| new.name == unique.name)
            && !is_renamed(&renamed_uniques, &unique.name)
        {
            steps.push(drop_constraint(
                name,
                &unique.name,
                ConstraintKind::Unique,
                &unique.columns,
                true,
            ));
        }
    }
    for check in &new.check_constraints {
        if is_renamed(&renamed_checks, &check.name) {
            continue;
        }
        let before = old.check_constraints.iter().find(|old| old.name == check.name);
        let swap = through_swap(&check.expression);
        if before == Some(check) && !swap {
            continue;
        }
        if let Some(before) = before {
            if before.not_valid
                && !check.not_valid
                && before.expression == check.expression
                && !swap
            {
                steps.push(validate(name, &check.name));
                continue;
            }
            steps.push(drop_check(from, old, before));
        }
        steps.push(add_check(to, new, check, true));
    }
    for check in &old.check_constraints {
        if !new.check_constraints.iter().any(|new| new.name == check.name)
            && !is_renamed(&renamed_checks, &check.name)
        {
            steps.push(drop_check(from, old, check));
        }
    }
    for key in &new.foreign_keys {
        if is_renamed(&renamed_keys, &key.name) {
            continue;
        }
        let before = old.foreign_keys.iter().find(|old| old.name == key.name);
        if before == Some(key) {
            continue;
        }
        if let Some(before) = before {
            if before.not_valid
                && !key.not_valid
                && (ForeignKey { not_valid: false, ..before.clone() }) == *key
            {
                steps.push(validate(name, &key.name));
                continue;
            }
            steps.push(drop_foreign_key(from, name, before));
        }
        steps.push(add_foreign_key(to, name, key, true));
    }
    for key in &old.foreign_keys {
        if !new.foreign_keys.iter().any(|new| new.name == key.name)
            && !is_renamed(&renamed_keys, &key.name)
        {
            steps.push(drop_foreign_key(from, name, key));
        }
    }
    let renamed_exclusions =
        renamed(&old.exclusion_constraints, &new.exclusion_constraints, |exclusion| {
            &exclusion.name
        });
    for (before, after) in &renamed_exclusions {
        steps.push(rename_constraint(name, before, after, ConstraintKind::Exclusion));
    }
    for exclusion in &new.exclusion_constraints {
        if is_renamed(&renamed_exclusions, &exclusion.name) {
            continue;
        }
        let before = old.exclusion_constraints.iter().find(|old| old.name == exclusion.name);
        let swap = exclusion.expressions().any(through_swap);
        if before == Some(exclusion) && !swap {
            continue;
        }
        if let Some(before) = before {
            steps.push(drop_exclusion(from, old, before));
        }
        steps.push(add_exclusion(to, new, exclusion, true));
    }
    for exclusion in &old.exclusion_constraints {
        if !new.exclusion_constraints.iter().any(|new| new.name == exclusion.name)
            && !is_renamed(&renamed_exclusions, &exclusion.name)
        {
            steps.push(drop_exclusion(from, old, exclusion));
        }
    }
}

/// Constraints that differ only in name, as (old name, new name): each old
/// one gone from `new` paired with the first new one not in `old` that is
/// the same but for its name. Renamed, not dropped and added.
fn renamed<T: Clone + PartialEq + Named>(
    old: &[T],
    new: &[T],
    name: impl Fn(&T) -> &String,
) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for before in old.iter().filter(|before| !new.iter().any(|after| name(after) == name(before))) {
        let same = new.iter().find(|after| {
            !old.iter().any(|old| name(old) == name(after))
                && !pairs.iter().any(|(_, taken)| taken == name(after))
                && before.with_name(name(after)) == **after
        });
        if let Some(after) = same {
            pairs.push((name(before).clone(), name(after).clone()));
        }
    }
    pairs
}

/// A constraint (or index) that can be compared under another name.
pub(crate) trait Named: Sized {
    fn with_name(&self, name: &str) -> Self;
}

/// `Named` for structs whose `name` field is the name.
macro_rules! named_by_field {
    ($($kind:ty),+ $(,)?) => {$(
        impl Named for $kind {
            fn with_name(&self, name: &str) -> Self {
                Self { name: name.to_owned(), ..self.clone() }
            }
        }
    )+};
}

named_by_field!(
    autogen_schema::PrimaryKey,
    autogen_schema::Index,
    autogen_schema::UniqueConstraint,
    autogen_schema::CheckConstraint,
    ForeignKey,
    ExclusionConstraint,
);

/// `ALTER TABLE t RENAME CONSTRAINT old TO new` (a primary key's, unique or
/// exclusion constraint's index is renamed with it).
fn rename_constraint(table: &QualifiedName, old: &str, new: &str, kind: ConstraintKind) -> Step {
    let has_index = matches!(
        kind,
        ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclusion
    );
    let mut step = Step::new(Operation::RenameConstraint {
        table: table.clone(),
        old: old.to_owned(),
        new: new.to_owned(),
        kind,
    })
    .removes([Key::Constraint(table.clone(), old.to_owned())])
    .produces([Key::Constraint(table.clone(), new.to_owned())])
    .consumes([Key::Table(table.clone())]);
    if has_index {
        step = step.removes([index_key(table, old)]).produces([index_key(table, new)]);
    }
    step
}

fn drop_constraint(
    table: &QualifiedName,
    name: &str,
    kind: ConstraintKind,
    columns: &[String],
    has_index: bool,
) -> Step {
    let mut removes = vec![Key::Constraint(table.clone(), name.to_owned())];
    if has_index {
        removes.push(index_key(table, name));
    }
    Step::new(Operation::DropConstraint { table: table.clone(), name: name.to_owned(), kind })
        .removes(removes)
        .releases(column_keys(table, columns))
}

pub(crate) fn add_check(
    to: &Schema,
    table: &Table,
    check: &autogen_schema::CheckConstraint,
    existing: bool,
) -> Step {
    let name = &table.name;
    let mut step = Step::new(Operation::AddCheck { table: name.clone(), check: check.clone() })
        .produces([Key::Constraint(name.clone(), check.name.clone())])
        .consumes([Key::Table(name.clone())])
        .consumes(expression_keys(to, table, [check.expression.as_str()]));
    if existing && !check.not_valid {
        step = step.hazard(Hazard::BlockingLock).hazard(Hazard::MayFailOnData);
    }
    step
}

fn drop_check(from: &Schema, table: &Table, check: &autogen_schema::CheckConstraint) -> Step {
    drop_constraint(&table.name, &check.name, ConstraintKind::Check, &[], false)
        .releases(expression_keys(from, table, [check.expression.as_str()]))
}

/// `ADD CONSTRAINT … EXCLUDE …`: on a table that exists, PostgreSQL builds
/// the index under a lock that blocks writes and fails if two rows already
/// conflict.
pub(crate) fn add_exclusion(
    to: &Schema,
    table: &Table,
    exclusion: &ExclusionConstraint,
    existing: bool,
) -> Step {
    let name = &table.name;
    let mut step =
        Step::new(Operation::AddExclusion { table: name.clone(), exclusion: exclusion.clone() })
            .produces([
                Key::Constraint(name.clone(), exclusion.name.clone()),
                index_key(name, &exclusion.name),
            ])
            .consumes([Key::Table(name.clone())])
            .consumes(exclusion_keys(to, table, exclusion));
    if existing {
        step = step.hazard(Hazard::BlockingLock).hazard(Hazard::MayFailOnData);
    }
    step
}

fn drop_exclusion(from: &Schema, table: &Table, exclusion: &ExclusionConstraint) -> Step {
    drop_constraint(&table.name, &exclusion.name, ConstraintKind::Exclusion, &[], true)
        .releases(exclusion_keys(from, table, exclusion))
}

/// What an exclusion constraint of `table` needs: the columns its keys,
/// expressions, `INCLUDE` and predicate use, the enum types its
/// expressions cast to, and the extensions of its operator classes
/// ([`exclusion_extensions`]).
pub(crate) fn exclusion_keys(
    schema: &Schema,
    table: &Table,
    exclusion: &ExclusionConstraint,
) -> Vec<Key> {
    let mut keys = index_column_keys(table, &exclusion.index());
    keys.extend(expression_keys(schema, table, exclusion.expressions()));
    keys.extend(exclusion_extensions(table, exclusion).into_iter().map(Key::Extension));
    keys.sort();
    keys.dedup();
    keys
}

/// The extensions whose operator classes an exclusion constraint may use.
/// A default class is not stored, so for GiST the key's type tells:
/// core GiST indexes ranges, geometric types, network addresses and text
/// search; other scalars (`room_id WITH =`) need btree_gist — as does an
/// expression key, whose type is not known here. A named class comes from
/// btree_gist (`gist_…_ops`), pg_trgm (`…_trgm_ops`) or the core.
pub(crate) fn exclusion_extensions(table: &Table, exclusion: &ExclusionConstraint) -> Vec<String> {
    let mut extensions = Vec::new();
    for element in &exclusion.elements {
        let extension = match (&element.key.opclass, &exclusion.method) {
            (Some(opclass), _) if opclass.name.name.ends_with("_trgm_ops") => Some("pg_trgm"),
            (Some(opclass), _) if opclass.name.name.starts_with("gist_") => Some("btree_gist"),
            (Some(_), _) => None,
            (None, IndexMethod::Gist) => match &element.key.target {
                IndexTarget::Column(column) => table
                    .column(column)
                    .filter(|column| !core_gist_type(&column.data_type))
                    .map(|_| "btree_gist"),
                IndexTarget::Expression(_) => Some("btree_gist"),
            },
            (None, _) => None,
        };
        if let Some(extension) = extension.filter(|found| !extensions.iter().any(|e| e == found)) {
            extensions.push(extension.to_owned());
        }
    }
    extensions
}

/// Whether GiST has a default operator class for `data_type` without an
/// extension.
fn core_gist_type(data_type: &SqlType) -> bool {
    match data_type {
        SqlType::Builtin { name } => {
            name.ends_with("range")
                || matches!(
                    name.as_str(),
                    "box"
                        | "point"
                        | "polygon"
                        | "circle"
                        | "inet"
                        | "cidr"
                        | "tsvector"
                        | "tsquery"
                )
        }
        _ => false,
    }
}

pub(crate) fn add_foreign_key(
    to: &Schema,
    table: &QualifiedName,
    key: &ForeignKey,
    existing: bool,
) -> Step {
    let mut step = Step::new(Operation::AddForeignKey { table: table.clone(), key: key.clone() })
        .produces([Key::Constraint(table.clone(), key.name.clone())])
        .consumes([Key::Table(table.clone()), Key::Table(key.referenced_table.clone())])
        .consumes(column_keys(table, &key.columns))
        .consumes(column_keys(&key.referenced_table, &key.referenced_columns))
        .consumes(referenced_key(to, key));
    if existing && !key.not_valid {
        step = step.hazard(Hazard::BlockingLock).hazard(Hazard::MayFailOnData);
    }
    step
}

pub(crate) fn drop_foreign_key(from: &Schema, table: &QualifiedName, key: &ForeignKey) -> Step {
    drop_constraint(table, &key.name, ConstraintKind::ForeignKey, &key.columns, false)
        .releases([Key::Table(key.referenced_table.clone())])
        .releases(referenced_key(from, key))
}

/// The primary key, unique constraint or unique index a foreign key
/// relies on (the one on exactly its referenced columns).
pub(crate) fn referenced_key(schema: &Schema, key: &ForeignKey) -> Option<Key> {
    let table = schema.tables.get(&key.referenced_table)?;
    let wanted: BTreeSet<&String> = key.referenced_columns.iter().collect();
    let same = |columns: &[String]| columns.iter().collect::<BTreeSet<_>>() == wanted;
    let name = table
        .primary_key
        .iter()
        .filter(|primary| same(&primary.columns))
        .map(|primary| &primary.name)
        .chain(
            table
                .unique_constraints
                .iter()
                .filter(|unique| same(&unique.columns))
                .map(|unique| &unique.name),
        )
        .chain(
            table
                .indexes
                .iter()
                .filter(|index| index.unique && index.predicate.is_none())
                .filter(|index| {
                    let columns: Vec<String> = index
                        .keys
                        .iter()
                        .filter_map(|key| match &key.target {
                            autogen_schema::IndexTarget::Column(column) => Some(column.clone()),
                            autogen_schema::IndexTarget::Expression(_) => None,
                        })
                        .collect();
                    columns.len() == index.keys.len() && same(&columns)
                })
                .map(|index| &index.name),
        )
        .next()?;
    Some(index_key(&key.referenced_table, name))
}

/// A foreign key that does not change but relies on a key the plan drops
/// (a primary key replaced, a unique index rebuilt) is dropped before it
/// and added again after: PostgreSQL will not drop a key a foreign key
/// uses.
pub(crate) fn foreign_keys_on_replaced_keys(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    // A renamed key or index is still the same one to PostgreSQL.
    let removed: BTreeSet<Key> = steps
        .iter()
        .filter(|step| {
            !matches!(
                step.operation,
                Operation::RenameConstraint { .. } | Operation::RenameIndex { .. }
            )
        })
        .flat_map(|step| step.removes.iter().cloned())
        .collect();
    let touched: BTreeSet<(QualifiedName, String)> = steps
        .iter()
        .filter_map(|step| match &step.operation {
            Operation::DropConstraint { table, name, .. } => Some((table.clone(), name.clone())),
            Operation::AddForeignKey { table, key } => Some((table.clone(), key.name.clone())),
            Operation::DropTable(table) => Some((table.name.clone(), String::new())),
            _ => None,
        })
        .collect();
    // Only tables with a key removed can have foreign keys pointing at it.
    let losing: BTreeSet<&str> = (removed.iter())
        .filter_map(|key| match key {
            Key::Index(index) => Some(index.schema.as_str()),
            _ => None,
        })
        .collect();
    let mut extra = Vec::new();
    for (name, table) in &from.tables {
        let Some(new_table) = to.tables.get(name) else { continue };
        for key in &table.foreign_keys {
            if !losing.contains(key.referenced_table.schema.as_str())
                || touched.contains(&(name.clone(), key.name.clone()))
            {
                continue;
            }
            let Some(relied) = referenced_key(from, key) else { continue };
            if !removed.contains(&relied) {
                continue;
            }
            extra.push(drop_foreign_key(from, name, key));
            if let Some(kept) = new_table.foreign_keys.iter().find(|new| new.name == key.name) {
                extra.push(add_foreign_key(to, name, kept, true));
            }
        }
    }
    steps.extend(extra);
}

/// `VALIDATE CONSTRAINT`: rows are checked (writes go on meanwhile).
/// A primary key or unique constraint added where a unique index of its
/// name and definition goes (`to` has the constraint, `from` the index,
/// on a table that is not partitioned): the index becomes the
/// constraint's (`ADD CONSTRAINT … USING INDEX`) instead of being dropped
/// and built again — no build, no scan, nothing to fail (but the NOT NULL
/// a primary key sets on columns that lack it).
pub(crate) fn keys_from_indexes(from: &Schema, steps: &mut Vec<Step>) {
    let mut taken = Vec::new();
    for step in steps.iter_mut() {
        let (table, index, kind, columns, deferrable) = match &step.operation {
            Operation::AddPrimaryKey { table, key } => {
                (table, key.index(), ConstraintKind::PrimaryKey, &key.columns, key.deferrable)
            }
            Operation::AddUnique { table, unique } => {
                (table, unique.index(), ConstraintKind::Unique, &unique.columns, unique.deferrable)
            }
            _ => continue,
        };
        let Some(old) = from.tables.get(table).filter(|old| old.partition_by.is_none()) else {
            continue;
        };
        if !old.indexes.contains(&index) {
            continue;
        }
        let nullable = kind == ConstraintKind::PrimaryKey
            && columns.iter().any(|column| old.column(column).is_none_or(|column| column.nullable));
        taken.push((table.clone(), index.name.clone()));
        step.operation = Operation::AddKeyUsingIndex {
            table: table.clone(),
            name: index.name,
            kind,
            deferrable,
        };
        if !nullable {
            step.hazards.clear();
        }
    }
    steps.retain(|step| match &step.operation {
        Operation::DropIndex { table, index, .. } => {
            !taken.iter().any(|(on, name)| on == table && *name == index.name)
        }
        _ => true,
    });
}

fn validate(table: &QualifiedName, name: &str) -> Step {
    Step::new(Operation::ValidateConstraint { table: table.clone(), name: name.to_owned() })
        .hazard(Hazard::MayFailOnData)
        .consumes([Key::Constraint(table.clone(), name.to_owned())])
}

impl Family for Constraints {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::AddPrimaryKey { table, key } => {
                format!("add primary key {} on {table}", key.name)
            }
            Operation::AddUnique { table, unique } => {
                format!("add unique constraint {} on {table}", unique.name)
            }
            Operation::AddKeyUsingIndex { table, name, kind, .. } => {
                let what = match kind {
                    ConstraintKind::PrimaryKey => "primary key",
                    _ => "unique constraint",
                };
                format!("add {what} {name} on {table} using its index")
            }
            Operation::AddCheck { table, check } => {
                format!("add check constraint {} on {table}", check.name)
            }
            Operation::AddForeignKey { table, key } => {
                format!("add foreign key {} on {table}", key.name)
            }
            Operation::AddExclusion { table, exclusion } => {
                format!("add exclusion constraint {} on {table}", exclusion.name)
            }
            Operation::ValidateConstraint { table, name } => {
                format!("validate constraint {name} on {table}")
            }
            Operation::DropConstraint { table, name, .. } => {
                format!("drop constraint {name} on {table}")
            }
            Operation::RenameConstraint { table, old, new, .. } => {
                format!("rename constraint {} on {table} to {}", quote_ident(old), quote_ident(new))
            }
            other => super::not_mine("constraints", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::DropConstraint { kind: ConstraintKind::ForeignKey, .. } => {
                Phase::DropForeignKeys
            }
            Operation::DropConstraint { .. } => Phase::DropConstraints,
            Operation::AddPrimaryKey { .. }
            | Operation::AddKeyUsingIndex { kind: ConstraintKind::PrimaryKey, .. } => {
                Phase::AddPrimaryKeys
            }
            Operation::AddUnique { .. } | Operation::AddKeyUsingIndex { .. } => Phase::AddUniques,
            Operation::AddCheck { .. } => Phase::AddChecks,
            Operation::AddExclusion { .. } => Phase::AddExclusions,
            Operation::RenameConstraint { .. } => Phase::RenameIndexes,
            _ => Phase::ForeignKeys,
        }
    }

    fn note(&self, operation: &Operation) -> Option<String> {
        let Operation::AddExclusion { table, exclusion } = operation else { return None };
        Some(format!(
            "-- fails if two rows of {table} already conflict under {}; writes to {table} wait while its index is built",
            quote_ident(&exclusion.name)
        ))
    }

    fn expressions<'o>(&self, operation: &'o Operation) -> Vec<&'o str> {
        match operation {
            Operation::AddCheck { check, .. } => vec![check.expression.as_str()],
            Operation::AddExclusion { exclusion, .. } => exclusion.expressions().collect(),
            _ => Vec::new(),
        }
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::AddPrimaryKey { table, key } => {
                vec![format!("ALTER TABLE {table} ADD {};", primary_key_sql(key))]
            }
            Operation::AddUnique { table, unique } => {
                vec![format!("ALTER TABLE {table} ADD {};", unique_sql(unique))]
            }
            Operation::AddKeyUsingIndex { table, name, kind, deferrable } => {
                let what = match kind {
                    ConstraintKind::PrimaryKey => "PRIMARY KEY",
                    _ => "UNIQUE",
                };
                let name = quote_ident(name);
                let deferrable = autogen_schema::ddl::deferrable_sql(*deferrable);
                vec![format!(
                    "ALTER TABLE {table} ADD CONSTRAINT {name} {what} USING INDEX {name}{deferrable};"
                )]
            }
            Operation::AddCheck { table, check } => {
                vec![format!("ALTER TABLE {table} ADD {};", check_sql(check))]
            }
            Operation::AddForeignKey { table, key } => {
                vec![format!("ALTER TABLE {table} ADD {};", foreign_key_sql(key))]
            }
            Operation::AddExclusion { table, exclusion } => {
                vec![format!("ALTER TABLE {table} ADD {};", exclusion_sql(exclusion))]
            }
            Operation::ValidateConstraint { table, name } => {
                vec![format!("ALTER TABLE {table} VALIDATE CONSTRAINT {};", quote_ident(name))]
            }
            Operation::DropConstraint { table, name, .. } => {
                vec![format!("ALTER TABLE {table} DROP CONSTRAINT {};", quote_ident(name))]
            }
            Operation::RenameConstraint { table, old, new, .. } => vec![format!(
                "ALTER TABLE {table} RENAME CONSTRAINT {} TO {};",
                quote_ident(old),
                quote_ident(new)
            )],
            other => super::not_mine("constraints", other),
        }
    }
}
