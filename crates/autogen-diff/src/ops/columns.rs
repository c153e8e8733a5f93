//! Columns: added (in declared order), dropped, their type changed (with
//! `USING` where no assignment cast exists; a pgvector kind or dimension
//! change as one step with its indexes), identity, nullability and default
//! changed in place; a changed generation expression replaces the column,
//! and so does a type change of a column a generated column is computed
//! from (PostgreSQL refuses it under the generated column): dropped before
//! the change with what PostgreSQL drops along, added and built again
//! after ([`replaced_columns`], [`without_dependents`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use autogen_schema::ddl::{column_settings_sql, index_sql, sequence_options_sql, Renderer};
use autogen_schema::expression::mentions_column;
use autogen_schema::{quote_ident, Column, Index, QualifiedName, ReplicaIdentity, SqlType, Table};

use super::comments::comment_column;
use super::indexes::{drop_index_sql, index_column_keys, index_name};
use super::sequences::{sequence_option_changes, setval_past_rows};
use super::Family;
use crate::operation::{
    collation_keys, column_key, columns_mentioned, index_key, type_keys, Hazard, Key, Operation,
    Step,
};
use crate::order::Phase;

/// `ALTER TABLE … ADD COLUMN`, `DROP COLUMN`, `ALTER COLUMN …`.
pub(super) struct Columns;

/// The pgvector columns of a kept table whose kind or dimensions change:
/// their indexes are dropped and built again in the same step (see
/// `alter_vector_column`), not by the index comparison.
pub(crate) fn rebuilt_vector_columns<'t>(old: &Table, new: &'t Table) -> BTreeSet<&'t str> {
    new.columns
        .iter()
        .filter(|column| {
            old.column(&column.name).is_some_and(|before| {
                vector_type_change(&before.data_type, &column.data_type)
                    && !structural_change(before, column)
            })
        })
        .map(|column| column.name.as_str())
        .collect()
}

/// The columns of a kept table that are dropped and added again rather
/// than altered: those whose generation expression changes or whose
/// sequence moves to another schema ([`structural_change`]), and the
/// generated columns computed from a column whose type or collation
/// changes.
pub(crate) fn replaced_columns(old: &Table, new: &Table) -> BTreeSet<String> {
    let retyped: Vec<&str> = (old.columns.iter())
        .filter(|before| {
            new.column(&before.name).is_some_and(|after| {
                before.data_type != after.data_type || before.collation != after.collation
            })
        })
        .map(|column| column.name.as_str())
        .collect();
    (old.columns.iter())
        .filter(|before| {
            new.column(&before.name).is_some_and(|after| {
                structural_change(before, after)
                    || before.generated.as_deref().is_some_and(|expression| {
                        retyped.iter().any(|column| mentions_column(expression, column))
                    })
            })
        })
        .map(|column| column.name.clone())
        .collect()
}

/// `table` without what PostgreSQL drops along with the `columns` (the
/// constraints, indexes and extended statistics that use one, a `CLUSTER
/// ON` or `REPLICA IDENTITY USING INDEX` naming such an index), so that the
/// comparison builds them again; and for each column, the keys of what
/// dropping it takes along (its step removes them: what is built again
/// waits for it, and their comments are set again).
pub(crate) fn without_dependents(
    table: &Table,
    columns: &BTreeSet<String>,
) -> (Table, BTreeMap<String, Vec<Key>>) {
    let mut kept = table.clone();
    let mut taken: BTreeMap<String, Vec<Key>> = BTreeMap::new();
    let name = &table.name;
    for column in columns {
        let keys = taken.entry(column.clone()).or_default();
        let uses = |list: &[String]| list.iter().any(|used| used == column);
        if let Some(key) = &kept.primary_key {
            if uses(&key.columns) || uses(&key.include) {
                keys.push(Key::Constraint(name.clone(), key.name.clone()));
                keys.push(index_key(name, &key.name));
                kept.primary_key = None;
            }
        }
        kept.unique_constraints.retain(|unique| {
            let used = uses(&unique.columns) || uses(&unique.include);
            if used {
                keys.push(Key::Constraint(name.clone(), unique.name.clone()));
                keys.push(index_key(name, &unique.name));
            }
            !used
        });
        kept.check_constraints.retain(|check| {
            let used = mentions_column(&check.expression, column);
            if used {
                keys.push(Key::Constraint(name.clone(), check.name.clone()));
            }
            !used
        });
        kept.foreign_keys.retain(|key| {
            let used = uses(&key.columns);
            if used {
                keys.push(Key::Constraint(name.clone(), key.name.clone()));
            }
            !used
        });
        kept.exclusion_constraints.retain(|exclusion| {
            let used = exclusion.uses_column(column);
            if used {
                keys.push(Key::Constraint(name.clone(), exclusion.name.clone()));
                keys.push(index_key(name, &exclusion.name));
            }
            !used
        });
        kept.indexes.retain(|index| {
            let used = index.uses_column(column);
            if used {
                keys.push(index_key(name, &index.name));
            }
            !used
        });
        kept.statistics.retain(|statistics| {
            let used = statistics.uses_column(column);
            if used {
                keys.push(super::statistics::statistics_key(statistics));
            }
            !used
        });
    }
    let has_index = |index: &String| {
        let all = (kept.primary_key.iter().map(|key| &key.name))
            .chain(kept.unique_constraints.iter().map(|unique| &unique.name))
            .chain(kept.exclusion_constraints.iter().map(|exclusion| &exclusion.name))
            .chain(kept.indexes.iter().map(|index| &index.name))
            .collect::<Vec<_>>();
        all.contains(&index)
    };
    if kept.cluster_on.as_ref().is_some_and(|index| !has_index(index)) {
        kept.cluster_on = None;
    }
    if let ReplicaIdentity::Index(index) = &kept.replica_identity {
        if !has_index(index) {
            kept.replica_identity = ReplicaIdentity::Default;
        }
    }
    (kept, taken)
}

/// The columns of `table` that `column`'s generation expression reads.
fn generation_inputs<'t>(table: &'t Table, column: &Column) -> Vec<&'t str> {
    let Some(expression) = &column.generated else { return Vec::new() };
    let mut inputs = columns_mentioned(table, expression);
    inputs.retain(|input| *input != column.name);
    inputs
}

/// The types of the columns `column`'s generation expression reads
/// ([`Key::ColumnType`]).
fn generation_input_types(table: &Table, column: &Column) -> Vec<Key> {
    (generation_inputs(table, column).into_iter())
        .map(|input| Key::ColumnType(table.name.clone(), input.to_owned()))
        .collect()
}

/// A column of a kept table added: a generated column after the columns
/// it is computed from.
fn add_kept_tables_column(table: &Table, column: &Column) -> Step {
    add_column(&table.name, column).consumes(
        (generation_inputs(table, column).into_iter()).map(|input| column_key(&table.name, input)),
    )
}

/// A column of a kept table dropped: a generated column before the
/// columns it is computed from (PostgreSQL refuses the other order).
fn drop_kept_tables_column(table: &Table, column: &Column) -> Step {
    drop_column(&table.name, column).releases(
        generation_inputs(table, column).into_iter().map(|input| column_key(&table.name, input)),
    )
}

/// The columns of a kept table: added, altered, dropped; the `replaced`
/// ones ([`replaced_columns`]) dropped, with the keys `taken` says their
/// drop takes along, and added again.
pub(crate) fn diff_table(
    (old, new): (&Table, &Table),
    rebuilt: &BTreeSet<&str>,
    (replaced, taken): (&BTreeSet<String>, &BTreeMap<String, Vec<Key>>),
    steps: &mut Vec<Step>,
) {
    let name = &new.name;
    let feeds_replaced = |column: &str| {
        replaced.iter().filter_map(|replaced| old.column(replaced)).any(|replaced| {
            replaced.generated.as_deref().is_some_and(|text| mentions_column(text, column))
        })
    };
    for (position, column) in new.columns.iter().enumerate() {
        match old.column(&column.name) {
            None => {
                // Added columns go on in declared order: each after the one
                // before it, when that one is added too.
                let previous = position.checked_sub(1).map(|previous| &new.columns[previous].name);
                steps.push(
                    add_kept_tables_column(new, column)
                        .consumes(previous.map(|previous| column_key(name, previous))),
                );
                if column.comment.is_some() {
                    steps.push(comment_column(name, &column.name, &column.comment));
                }
            }
            Some(before) if rebuilt.contains(column.name.as_str()) => {
                let on_column = |index: &&Index| index.uses_column(&column.name);
                let dropped = old.indexes.iter().filter(on_column).cloned().collect();
                let created = new.indexes.iter().filter(on_column).cloned().collect();
                steps.push(alter_vector_column((old, new), before, column, dropped, created));
                alter_column_besides_type(name, before, column, steps);
            }
            Some(before) if replaced.contains(&column.name) => {
                let mut dropped = drop_kept_tables_column(old, before)
                    .removes(taken.get(&column.name).into_iter().flatten().cloned())
                    .releases(generation_input_types(old, before));
                if before.generated.is_some() && column.generated.is_some() {
                    // Computed again from the rows when it is added back.
                    dropped.hazards.retain(|hazard| *hazard != Hazard::DataLoss);
                }
                steps.push(dropped);
                steps.push(
                    add_kept_tables_column(new, column)
                        .consumes(generation_input_types(new, column)),
                );
                if column.comment.is_some() {
                    steps.push(comment_column(name, &column.name, &column.comment));
                }
            }
            Some(before) => {
                let dependents_wait = feeds_replaced(&column.name)
                    || super::triggers::read_by_triggers_or_policies(old, &column.name);
                alter_column(name, before, column, dependents_wait, steps)
            }
        }
    }
    for column in &old.columns {
        if new.column(&column.name).is_none() {
            steps.push(drop_kept_tables_column(old, column));
        }
    }
}

pub(crate) fn add_column(table: &QualifiedName, column: &Column) -> Step {
    let mut step = Step::new(Operation::AddColumn { table: table.clone(), column: column.clone() })
        .produces([column_key(table, &column.name)])
        .consumes([Key::Table(table.clone())])
        .consumes(type_keys(&column.data_type))
        .consumes(collation_keys(column.collation.as_ref()))
        .consumes(sequence_keys(column));
    if !column.nullable
        && column.default.is_none()
        && column.identity.is_none()
        && column.generated.is_none()
    {
        step = step.hazard(Hazard::MayFailOnData);
    }
    if column.generated.is_some() || column.identity.is_some() {
        step = step.hazard(Hazard::TableRewrite);
    }
    step
}

/// Built-in functions PostgreSQL marks volatile that defaults call: a
/// column added with such a default is filled row by row, rewriting the
/// table (a stable or immutable one is stored once, for every row).
const VOLATILE_BUILTINS: &[&str] = &[
    "random",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "txid_current",
    "setseed",
];

/// Adding a column whose default calls a volatile function — a built-in
/// one, or one of `to` not marked `STABLE` or `IMMUTABLE` — rewrites the
/// table: the `AddColumn` steps get [`Hazard::TableRewrite`].
pub(crate) fn mark_volatile_defaults(to: &autogen_schema::Schema, steps: &mut [Step]) {
    for step in steps {
        let Operation::AddColumn { column, .. } = &step.operation else { continue };
        let Some(default) = &column.default else { continue };
        let volatile = autogen_schema::expression::functions_called(default).iter().any(|called| {
            let builtin = matches!(called.schema.as_str(), "public" | "pg_catalog")
                && VOLATILE_BUILTINS.contains(&called.name.as_str());
            let declared = (to.functions.values())
                .filter(|function| function.name == *called)
                .any(|function| function.volatility == autogen_schema::Volatility::Volatile);
            builtin || declared
        });
        if volatile && !step.hazards.contains(&Hazard::TableRewrite) {
            step.hazards.push(Hazard::TableRewrite);
        }
    }
}

/// `SET NOT NULL` on a column a valid check `(c IS NOT NULL)` kept by
/// the plan already proves: PostgreSQL skips the scan (what an online
/// plan does through such a check), so the step neither blocks for long
/// nor fails on rows.
pub(crate) fn unmark_proven_not_null(
    (from, to): (&autogen_schema::Schema, &autogen_schema::Schema),
    steps: &mut [Step],
) {
    let proving = |table: &autogen_schema::Table, column: &str| {
        let column = autogen_schema::quote_ident(column);
        let wanted = [format!("({column} IS NOT NULL)"), format!("{column} IS NOT NULL")];
        table
            .check_constraints
            .iter()
            .filter(|check| !check.not_valid && wanted.contains(&check.expression))
            .map(|check| check.name.clone())
            .collect::<Vec<_>>()
    };
    for step in steps {
        let Operation::SetNullable { table, column, nullable: false } = &step.operation else {
            continue;
        };
        let (Some(old), Some(new)) = (from.tables.get(table), to.tables.get(table)) else {
            continue;
        };
        // Kept: in both, so not dropped before the step.
        let kept = proving(old, column).iter().any(|name| proving(new, column).contains(name));
        if kept {
            step.hazards
                .retain(|hazard| !matches!(hazard, Hazard::BlockingLock | Hazard::MayFailOnData));
        }
    }
}

pub(crate) fn drop_column(table: &QualifiedName, column: &Column) -> Step {
    Step::new(Operation::DropColumn { table: table.clone(), column: column.clone() })
        .hazard(Hazard::DataLoss)
        .removes([column_key(table, &column.name)])
        .releases(type_keys(&column.data_type))
        .releases(collation_keys(column.collation.as_ref()))
        .releases(sequence_keys(column))
}

/// Whether the column is replaced rather than altered: its generation
/// expression changed, or its sequence moved to another schema.
pub(crate) fn structural_change(old: &Column, new: &Column) -> bool {
    fn schema_of(column: &Column) -> Option<&String> {
        column
            .identity
            .as_ref()
            .map(|identity| &identity.sequence_name.schema)
            .or(column.owned_sequence.as_ref().map(|sequence| &sequence.name.schema))
    }
    old.generated != new.generated
        || matches!((schema_of(old), schema_of(new)), (Some(old), Some(new)) if old != new)
}

/// The keys of the sequences a column needs: the one it owns, if any, and
/// those its default calls (`nextval('s'::regclass)`); and of the routines
/// its default and generation expression call.
pub(crate) fn sequence_keys(column: &Column) -> Vec<Key> {
    let mut names: Vec<QualifiedName> = column
        .default
        .as_deref()
        .map(autogen_schema::expression::sequences_used)
        .unwrap_or_default();
    names.extend(column.owned_sequence.as_ref().map(|sequence| sequence.name.clone()));
    names.sort();
    names.dedup();
    let mut keys: Vec<Key> = names.into_iter().map(Key::Sequence).collect();
    keys.extend(super::functions::column_routine_keys(column));
    keys
}

/// `old`'s default as it prints once its sequence carries `new`'s name:
/// `nextval('users_id_seq'::regclass)` follows a rename of the sequence.
fn default_after_renames(old: &Column, new: &Column) -> Option<String> {
    let default = old.default.clone()?;
    match (&old.owned_sequence, &new.owned_sequence) {
        (Some(before), Some(after)) if before.name != after.name => {
            Some(autogen_schema::expression::rename_sequence(&default, &before.name, &after.name))
        }
        _ => Some(default),
    }
}

/// A type change to or from a pgvector type (kind or dimensions).
pub(crate) fn vector_type_change(from: &SqlType, to: &SqlType) -> bool {
    from != to && (matches!(from, SqlType::Vector { .. }) || matches!(to, SqlType::Vector { .. }))
}

/// The compound step for a pgvector column's new kind or dimensions: the
/// indexes on it dropped, `ALTER COLUMN … TYPE`, the indexes (as declared
/// now) created again. Rows already there hold values of the old size, so
/// the change fails unless they are NULL: the plan says so.
fn alter_vector_column(
    (old_table, new_table): (&Table, &Table),
    old: &Column,
    new: &Column,
    dropped: Vec<Index>,
    created: Vec<Index>,
) -> Step {
    let table = &new_table.name;
    let mut step = Step::new(Operation::AlterVectorColumn {
        table: table.clone(),
        from: old.clone(),
        to: new.clone(),
        using: needs_using(&old.data_type, &new.data_type),
        dropped: dropped.clone(),
        created: created.clone(),
    })
    .hazard(Hazard::TableRewrite)
    .hazard(Hazard::BlockingLock)
    .hazard(Hazard::MayFailOnData)
    .consumes([Key::Table(table.clone()), column_key(table, &new.name)])
    .consumes(type_keys(&new.data_type))
    .releases(type_keys(&old.data_type));
    for index in &dropped {
        step = step.releases(index_column_keys(old_table, index));
        if !created.iter().any(|created| created.name == index.name) {
            step = step.removes([index_key(table, &index.name)]);
        }
    }
    for index in &created {
        step = step
            .produces([index_key(table, &index.name)])
            .consumes(index_column_keys(new_table, index));
    }
    step
}

/// A column kept in place (not replaced); `feeds_replaced`: a replaced
/// generated column is computed from it, or a trigger or a policy reads
/// it, so a type change waits for their drop and comes before they are
/// added again ([`Key::ColumnType`]).
fn alter_column(
    table: &QualifiedName,
    old: &Column,
    new: &Column,
    feeds_replaced: bool,
    steps: &mut Vec<Step>,
) {
    super::sequences::diff_column(table, old, new, steps);
    let type_changed = old.data_type != new.data_type || old.collation != new.collation;
    if type_changed {
        let using = needs_using(&old.data_type, &new.data_type);
        let mut step = Step::new(Operation::AlterColumnType {
            table: table.clone(),
            from: old.clone(),
            to: new.clone(),
            using,
        })
        .consumes([Key::Table(table.clone()), column_key(table, &new.name)])
        .consumes(type_keys(&new.data_type))
        .consumes(collation_keys(new.collation.as_ref()))
        .consumes(sequence_keys(new))
        .releases(type_keys(&old.data_type))
        .releases(collation_keys(old.collation.as_ref()))
        .releases(sequence_keys(old));
        if feeds_replaced {
            let own_type = Key::ColumnType(table.clone(), new.name.clone());
            step = step.removes([own_type.clone()]).produces([own_type]);
        }
        if !binary_compatible(&old.data_type, &new.data_type) {
            step = step.hazard(Hazard::TableRewrite).hazard(Hazard::BlockingLock);
        }
        if using || narrows(&old.data_type, &new.data_type) {
            step = step.hazard(Hazard::MayFailOnData);
        }
        if loses_data(&old.data_type, &new.data_type) {
            step = step.hazard(Hazard::DataLoss);
        }
        steps.push(step);
    }
    alter_column_besides_type(table, old, new, steps);
}

/// The changes of a column other than its type: identity, nullability,
/// default (unless a type change sets it again), comment.
fn alter_column_besides_type(
    table: &QualifiedName,
    old: &Column,
    new: &Column,
    steps: &mut Vec<Step>,
) {
    let type_changed = old.data_type != new.data_type || old.collation != new.collation;
    let identity_changed = match (&old.identity, &new.identity) {
        (Some(before), Some(after)) => {
            before.generation != after.generation || before.options != after.options
        }
        (before, after) => before.is_some() != after.is_some(),
    };
    if identity_changed {
        let mut step = Step::new(Operation::AlterIdentity {
            table: table.clone(),
            column: new.name.clone(),
            from: old.identity.as_deref().cloned(),
            to: new.identity.as_deref().cloned(),
            nullable: new.nullable,
        })
        .consumes([column_key(table, &new.name)])
        .produces(
            new.identity
                .iter()
                .filter(|_| old.identity.is_none())
                .map(|identity| Key::Sequence(identity.sequence_name.clone())),
        )
        .removes(
            old.identity
                .iter()
                .filter(|_| new.identity.is_none())
                .map(|identity| Key::Sequence(identity.sequence_name.clone())),
        );
        if old.identity.is_none() && old.nullable {
            // SET NOT NULL first: a scan, and rows with NULL refuse it.
            step = step.hazard(Hazard::BlockingLock).hazard(Hazard::MayFailOnData);
        }
        steps.push(step);
    }
    // Adding or dropping an identity sets NOT NULL itself.
    let identity_sets_nullable =
        identity_changed && (old.identity.is_none() || new.identity.is_none());
    if old.nullable != new.nullable && !identity_sets_nullable {
        let mut step = Step::new(Operation::SetNullable {
            table: table.clone(),
            column: new.name.clone(),
            nullable: new.nullable,
        })
        .consumes([column_key(table, &new.name)]);
        let not_null = Key::NotNull(table.clone(), new.name.clone());
        if new.nullable {
            step = step.removes([not_null]);
        } else {
            step = step.produces([not_null]);
            step = step.hazard(Hazard::BlockingLock).hazard(Hazard::MayFailOnData);
        }
        steps.push(step);
    }
    // A type change sets the default again itself.
    if default_after_renames(old, new) != new.default
        && !(type_changed && (old.default.is_some() || new.default.is_some()))
    {
        steps.push(
            Step::new(Operation::SetDefault {
                table: table.clone(),
                column: new.name.clone(),
                default: new.default.clone(),
            })
            .consumes([column_key(table, &new.name)])
            .consumes(type_keys(&new.data_type))
            .consumes(sequence_keys(new))
            .releases(sequence_keys(old)),
        );
    }
    if old.comment != new.comment {
        steps.push(comment_column(table, &new.name, &new.comment));
    }
    super::storage::diff_column(table, old, new, type_changed, steps);
}

/// Whether `ALTER COLUMN … TYPE` needs `USING column::type`: PostgreSQL
/// converts without one only where an assignment cast exists (numbers
/// among themselves, anything to a string type, timestamps with and
/// without time zone, the same type with other modifiers).
pub(crate) fn needs_using(from: &SqlType, to: &SqlType) -> bool {
    use SqlType::*;
    let numeric = |data_type: &SqlType| {
        matches!(data_type, SmallInt | Integer | BigInt | Real | DoublePrecision | Numeric { .. })
    };
    let string = |data_type: &SqlType| matches!(data_type, Text | Varchar { .. } | Char { .. });
    let same_kind = std::mem::discriminant(from) == std::mem::discriminant(to);
    let vectors = matches!((from, to), (Vector { kind: a, .. }, Vector { kind: b, .. }) if a == b);
    !(string(to)
        || (numeric(from) && numeric(to))
        || (matches!(from, Timestamp { .. } | Date) && matches!(to, Timestamp { .. }))
        || (same_kind
            && !matches!(from, UserDefined { .. } | Array { .. } | Builtin { .. } | Vector { .. }))
        || vectors
        || from == to)
}

/// Whether the change needs no rewrite: a longer or unbounded varchar, or
/// varchar to text.
fn binary_compatible(from: &SqlType, to: &SqlType) -> bool {
    use SqlType::*;
    match (from, to) {
        (Varchar { length: Some(old) }, Varchar { length: Some(new) }) => new >= old,
        (Varchar { .. }, Varchar { length: None }) | (Varchar { .. }, Text) => true,
        (Text, Varchar { length: None }) => true,
        (Numeric { .. }, Numeric { precision: None, scale: None }) => true,
        _ => from == to,
    }
}

/// Whether values may not fit the new type (a shorter varchar, a smaller
/// integer, fewer vector dimensions).
pub(crate) fn narrows(from: &SqlType, to: &SqlType) -> bool {
    use SqlType::*;
    match (from, to) {
        (Varchar { length: old }, Varchar { length: Some(new) }) => {
            old.is_none_or(|old| old > *new)
        }
        (Text, Varchar { length: Some(_) } | Char { .. }) => true,
        (BigInt, Integer | SmallInt) | (Integer, SmallInt) => true,
        (Vector { .. }, Vector { .. }) => from != to,
        (Numeric { .. }, SmallInt | Integer | BigInt) => true,
        _ => false,
    }
}

/// Whether values may come out changed without an error: rounded to a
/// smaller scale, to an integer or to a float of less precision, cut to a
/// coarser time precision, or a timestamp cut to its date.
pub(crate) fn loses_data(from: &SqlType, to: &SqlType) -> bool {
    use SqlType::*;
    let integer = |data_type: &SqlType| matches!(data_type, SmallInt | Integer | BigInt);
    let finer = |old: &Option<u32>, new: &Option<u32>| old.unwrap_or(6) > new.unwrap_or(6);
    match (from, to) {
        (Numeric { scale: old, .. }, Numeric { scale: Some(new), .. }) => {
            old.is_none_or(|old| old > *new)
        }
        (Numeric { .. } | Real | DoublePrecision, to) if integer(to) => true,
        (Numeric { .. } | DoublePrecision, Real) | (Numeric { .. }, DoublePrecision) => true,
        (Time { precision: old, .. }, Time { precision: new, .. })
        | (Timestamp { precision: old, .. }, Timestamp { precision: new, .. }) => finer(old, new),
        (Interval { fields: old_fields, precision: old }, Interval { fields, precision: new }) => {
            finer(old, new) || (fields.is_some() && fields != old_fields)
        }
        (Timestamp { .. }, Date | Time { .. }) => true,
        _ => false,
    }
}

/// `table.column`, the column's name quoted where PostgreSQL needs it.
pub(crate) fn column_name(table: &QualifiedName, column: &str) -> String {
    format!("{table}.{}", quote_ident(column))
}

impl Family for Columns {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::AddColumn { table, column } => {
                format!("add column {}", column_name(table, &column.name))
            }
            Operation::DropColumn { table, column } => {
                format!("drop column {}", column_name(table, &column.name))
            }
            Operation::AlterColumnType { table, to, .. } => {
                format!(
                    "change type of column {} to {}",
                    column_name(table, &to.name),
                    to.data_type
                )
            }
            Operation::AlterVectorColumn { table, to, created, .. } => {
                let text = format!(
                    "change type of column {} to {}",
                    column_name(table, &to.name),
                    to.data_type
                );
                if created.is_empty() {
                    return text;
                }
                let names: Vec<String> = created
                    .iter()
                    .map(|created| index_name(table, &created.name).to_string())
                    .collect();
                format!("{text}, building index {} again", names.join(", "))
            }
            Operation::AlterIdentity { table, column, to, .. } => match to {
                Some(_) => format!("set identity of column {}", column_name(table, column)),
                None => format!("drop identity of column {}", column_name(table, column)),
            },
            Operation::SetNullable { table, column, nullable } => {
                let what = if *nullable { "drop not null" } else { "set not null" };
                format!("{what} on column {}", column_name(table, column))
            }
            Operation::SetDefault { table, column, default } => match default {
                Some(_) => format!("set default of column {}", column_name(table, column)),
                None => format!("drop default of column {}", column_name(table, column)),
            },
            other => super::not_mine("columns", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::AddColumn { .. } => Phase::AddColumns,
            Operation::DropColumn { .. } => Phase::DropColumns,
            Operation::AlterColumnType { .. } | Operation::AlterVectorColumn { .. } => {
                Phase::AlterColumns
            }
            Operation::SetDefault { .. } => Phase::Defaults,
            _ => Phase::ColumnSettings,
        }
    }

    fn sql(&self, operation: &Operation, renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::AddColumn { table, column } => {
                let mut statements = vec![format!(
                    "ALTER TABLE {table} ADD COLUMN {};",
                    renderer.column_sql(&Table::new(table.clone()), column)
                )];
                statements.extend(column_settings_sql(table, column));
                statements
            }
            Operation::DropColumn { table, column } => {
                vec![format!("ALTER TABLE {table} DROP COLUMN {};", quote_ident(&column.name))]
            }
            Operation::AlterColumnType { table, from, to, using } => {
                alter_type_sql(renderer, table, from, to, *using)
            }
            Operation::AlterVectorColumn { table, from, to, using, dropped, created } => {
                let mut statements: Vec<String> =
                    dropped.iter().map(|index| drop_index_sql(table, index)).collect();
                statements.extend(alter_type_sql(renderer, table, from, to, *using));
                statements
                    .extend(created.iter().map(|index| format!("{};", index_sql(table, index))));
                statements
            }
            Operation::AlterIdentity { table, column, from, to, nullable } => {
                alter_identity_sql(table, column, from.as_ref(), to.as_ref(), *nullable)
            }
            Operation::SetNullable { table, column, nullable } => {
                let change = if *nullable { "DROP NOT NULL" } else { "SET NOT NULL" };
                vec![format!("ALTER TABLE {table} ALTER COLUMN {} {change};", quote_ident(column))]
            }
            Operation::SetDefault { table, column, default } => {
                let change = match default {
                    Some(default) => format!("SET DEFAULT {default}"),
                    None => "DROP DEFAULT".to_owned(),
                };
                vec![format!("ALTER TABLE {table} ALTER COLUMN {} {change};", quote_ident(column))]
            }
            other => super::not_mine("columns", other),
        }
    }

    fn expressions<'o>(&self, operation: &'o Operation) -> Vec<&'o str> {
        match operation {
            Operation::AddColumn { column, .. } => {
                column.default.iter().chain(&column.generated).map(String::as_str).collect()
            }
            Operation::AlterColumnType { to, .. } => {
                to.default.iter().map(String::as_str).collect()
            }
            Operation::AlterVectorColumn { to, created, .. } => (to.default.iter())
                .map(String::as_str)
                .chain(created.iter().flat_map(super::indexes::index_expressions))
                .collect(),
            Operation::SetDefault { default, .. } => default.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }

    fn note(&self, operation: &Operation) -> Option<String> {
        let Operation::AlterVectorColumn { from, to, .. } = operation else { return None };
        match (&from.data_type, &to.data_type) {
            (
                SqlType::Vector { dimensions: Some(old), .. },
                SqlType::Vector { dimensions: Some(new), .. },
            ) if old != new => Some(format!(
                "-- fails unless every {} is NULL: values of {old} dimensions do not fit {}; set them to NULL or embed them again first",
                autogen_schema::one_line(&quote_ident(&to.name)),
                to.data_type
            )),
            _ => None,
        }
    }

    fn comes_back_empty(&self, operation: &Operation, dropped_by: &[Step]) -> bool {
        // What the up migration dropped with its data comes back empty; a
        // generated column is computed again from the rows.
        let Operation::AddColumn { table, column } = operation else { return false };
        column.generated.is_none()
            && dropped_by.iter().any(|dropped| {
            matches!(&dropped.operation, Operation::DropColumn { table: t, column: c } if t == table && c.name == column.name)
        })
    }
}

/// `ADD GENERATED … AS IDENTITY` (NOT NULL set first, the sequence moved
/// past the rows), `DROP IDENTITY` (NOT NULL dropped after when the column
/// is nullable now), or `SET GENERATED` and `SET` sequence options.
fn alter_identity_sql(
    table: &QualifiedName,
    column: &str,
    from: Option<&autogen_schema::Identity>,
    to: Option<&autogen_schema::Identity>,
    nullable: bool,
) -> Vec<String> {
    let column = quote_ident(column);
    let alter = format!("ALTER TABLE {table} ALTER COLUMN {column}");
    let generation = |identity: &autogen_schema::Identity| match identity.generation {
        autogen_schema::IdentityGeneration::Always => "ALWAYS",
        autogen_schema::IdentityGeneration::ByDefault => "BY DEFAULT",
    };
    match (from, to) {
        (None, Some(identity)) => {
            let mut sql = format!("{alter} ADD GENERATED {} AS IDENTITY", generation(identity));
            let options = sequence_options_sql(&identity.options);
            if !options.is_empty() {
                let _ = write!(sql, " ({options})");
            }
            let mut statements = vec![format!("{alter} SET NOT NULL;"), format!("{sql};")];
            statements.extend(setval_past_rows(
                table,
                &column,
                &identity.sequence_name,
                &identity.options,
            ));
            statements
        }
        (Some(_), None) => {
            let mut statements = vec![format!("{alter} DROP IDENTITY;")];
            if nullable {
                statements.push(format!("{alter} DROP NOT NULL;"));
            }
            statements
        }
        (Some(old), Some(new)) => {
            let mut changes = Vec::new();
            if old.generation != new.generation {
                changes.push(format!("SET GENERATED {}", generation(new)));
            }
            if old.options != new.options {
                changes.extend(
                    sequence_option_changes(&new.options)
                        .into_iter()
                        .map(|change| format!("SET {change}")),
                );
            }
            vec![format!("{alter} {};", changes.join(" "))]
        }
        (None, None) => Vec::new(),
    }
}

/// `ALTER COLUMN … TYPE`, the default dropped before and set after.
fn alter_type_sql(
    renderer: &Renderer<'_>,
    table: &QualifiedName,
    from: &Column,
    to: &Column,
    using: bool,
) -> Vec<String> {
    let column = quote_ident(&to.name);
    let mut statements = Vec::new();
    if from.default.is_some() {
        statements.push(format!("ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT;"));
    }
    let new_type = renderer.type_sql(&to.data_type);
    let mut sql = format!("ALTER TABLE {table} ALTER COLUMN {column} TYPE {new_type}");
    if let Some(collation) = &to.collation {
        let _ = write!(sql, " COLLATE {}", visible(collation));
    }
    if using {
        let _ = write!(sql, " USING {}", using_cast(&column, &from.data_type, &new_type));
    }
    sql.push(';');
    statements.push(sql);
    if let Some(default) = &to.default {
        statements
            .push(format!("ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {default};"));
    }
    // The new type's storage and the default compression come with it:
    // the column's own are set again.
    let settings = Column { statistics_target: None, ..to.clone() };
    statements.extend(column_settings_sql(table, &settings));
    statements
}

/// `column::type`, through `text` when the old type is an enum (there is
/// no cast from one enum to another).
fn using_cast(column: &str, from: &SqlType, new_type: &str) -> String {
    let enum_like = |data_type: &SqlType| match data_type {
        SqlType::UserDefined { .. } => true,
        SqlType::Array { element, .. } => matches!(**element, SqlType::UserDefined { .. }),
        _ => false,
    };
    if enum_like(from) {
        let text = if matches!(from, SqlType::Array { .. }) { "text[]" } else { "text" };
        format!("{column}::{text}::{new_type}")
    } else {
        format!("{column}::{new_type}")
    }
}

/// A collation name as PostgreSQL shows it: unqualified in `pg_catalog`.
fn visible(name: &QualifiedName) -> String {
    if name.schema == "pg_catalog" {
        quote_ident(&name.name)
    } else {
        name.to_string()
    }
}
