//! Extended statistics (`CREATE STATISTICS`), which belong to their
//! table: created, dropped, changed by a drop and a create; a target
//! alone is set in place (`ALTER STATISTICS … SET STATISTICS`), a name
//! alone renamed (`ALTER STATISTICS … RENAME TO`). They are
//! definitions only — the next `ANALYZE` computes them — so none of these
//! steps scans, rewrites or loses data.

use autogen_schema::ddl::{create_statistics_sql, statistics_target_sql, Renderer};
use autogen_schema::{quote_ident, Schema, Statistics, Table};

use super::Family;
use crate::operation::{column_key, expression_keys, Key, Operation, Step};
use crate::order::Phase;

/// `CREATE STATISTICS`, `DROP STATISTICS`, `ALTER STATISTICS … SET
/// STATISTICS`.
pub(super) struct ExtendedStatistics;

/// The statistics of a table: all of them for a new table (`old` is
/// `None`), the differences for a kept one. `retyped` says which columns
/// the plan changes the type of: PostgreSQL builds the statistics on them
/// again, without their target, which is then set again.
pub(crate) fn diff_table(
    (from, to): (&Schema, &Schema),
    (old, new): (Option<&Table>, &Table),
    retyped: &dyn Fn(&str) -> bool,
    steps: &mut Vec<Step>,
) {
    let renamed = renames(old, new);
    for statistics in &new.statistics {
        let before = old.and_then(|old| old.statistics.iter().find(|s| s.name == statistics.name));
        match before {
            None => match renamed.iter().find(|(_, created)| created == &statistics) {
                Some((dropped, _)) => steps.push(
                    Step::new(Operation::RenameStatistics {
                        table: new.name.clone(),
                        old: dropped.name.clone(),
                        new: statistics.name.name.clone(),
                    })
                    .removes([Key::Statistics(dropped.name.clone())])
                    .produces([Key::Statistics(statistics.name.clone())]),
                ),
                None => steps.push(create_statistics(to, new, statistics)),
            },
            Some(before) if before == statistics => {
                let target_lost = statistics.target.is_some()
                    && (new.columns.iter()).any(|column| {
                        retyped(&column.name) && statistics.uses_column(&column.name)
                    });
                if target_lost {
                    steps.push(set_target(new, statistics));
                }
            }
            Some(before)
                if Statistics { target: statistics.target, ..before.clone() } == *statistics =>
            {
                steps.push(set_target(new, statistics));
            }
            Some(before) => {
                steps.push(drop_statistics(from, old.expect("found in old"), before));
                steps.push(create_statistics(to, new, statistics));
            }
        }
    }
    let Some(old) = old else { return };
    for statistics in &old.statistics {
        let renamed = renamed.iter().any(|(dropped, _)| dropped == &statistics);
        if !renamed && !new.statistics.iter().any(|kept| kept.name == statistics.name) {
            steps.push(drop_statistics(from, old, statistics));
        }
    }
}

/// The statistics of a kept table that go (no statistics of their name in
/// `new`) paired with ones that come, in the same schema, equal but for
/// their name: renames, each used once.
fn renames<'t>(old: Option<&'t Table>, new: &'t Table) -> Vec<(&'t Statistics, &'t Statistics)> {
    let Some(old) = old else { return Vec::new() };
    let gone = |statistics: &&Statistics| !new.statistics.iter().any(|s| s.name == statistics.name);
    let came = |statistics: &&Statistics| !old.statistics.iter().any(|s| s.name == statistics.name);
    let mut pairs: Vec<(&Statistics, &Statistics)> = Vec::new();
    for created in new.statistics.iter().filter(came) {
        let same = old.statistics.iter().filter(gone).find(|dropped| {
            dropped.name.schema == created.name.schema
                && !pairs.iter().any(|(taken, _)| taken == dropped)
                && Statistics { name: created.name.clone(), ..(*dropped).clone() } == *created
        });
        if let Some(dropped) = same {
            pairs.push((dropped, created));
        }
    }
    pairs
}

/// The keys of the columns statistics are on, expressions included.
fn statistics_keys(schema: &Schema, table: &Table, statistics: &Statistics) -> Vec<Key> {
    let mut keys: Vec<Key> =
        statistics.columns.iter().map(|column| column_key(&table.name, column)).collect();
    keys.extend(expression_keys(schema, table, statistics.expressions.iter().map(String::as_str)));
    keys
}

pub(crate) fn create_statistics(to: &Schema, table: &Table, statistics: &Statistics) -> Step {
    Step::new(Operation::CreateStatistics {
        table: table.name.clone(),
        statistics: statistics.clone(),
    })
    .produces([Key::Statistics(statistics.name.clone())])
    .consumes([Key::Table(table.name.clone()), Key::Schema(statistics.name.schema.clone())])
    .consumes(statistics_keys(to, table, statistics))
}

fn drop_statistics(from: &Schema, table: &Table, statistics: &Statistics) -> Step {
    Step::new(Operation::DropStatistics {
        table: table.name.clone(),
        statistics: statistics.clone(),
    })
    .removes([Key::Statistics(statistics.name.clone())])
    .releases([Key::Schema(statistics.name.schema.clone())])
    .releases(statistics_keys(from, table, statistics))
}

fn set_target(table: &Table, statistics: &Statistics) -> Step {
    Step::new(Operation::SetStatisticsTarget {
        table: table.name.clone(),
        name: statistics.name.clone(),
        target: statistics.target,
    })
    .consumes([Key::Statistics(statistics.name.clone())])
    .consumes(statistics.columns.iter().map(|column| column_key(&table.name, column)))
}

/// The key statistics going with their table remove.
pub(crate) fn statistics_key(statistics: &Statistics) -> Key {
    Key::Statistics(statistics.name.clone())
}

impl Family for ExtendedStatistics {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::CreateStatistics { statistics, .. } => {
                format!("create statistics {}", statistics.name)
            }
            Operation::DropStatistics { statistics, .. } => {
                format!("drop statistics {}", statistics.name)
            }
            Operation::SetStatisticsTarget { name, .. } => {
                format!("set statistics target of {name}")
            }
            Operation::RenameStatistics { old, new, .. } => {
                format!("rename statistics {old} to {}", quote_ident(new))
            }
            other => super::not_mine("statistics", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::DropStatistics { .. } => Phase::DropStatistics,
            Operation::RenameStatistics { .. } => Phase::Renames,
            _ => Phase::CreateStatistics,
        }
    }

    fn expressions<'o>(&self, operation: &'o Operation) -> Vec<&'o str> {
        match operation {
            Operation::CreateStatistics { statistics, .. } => {
                statistics.expressions.iter().map(String::as_str).collect()
            }
            _ => Vec::new(),
        }
    }

    fn sql(&self, operation: &Operation, _renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::CreateStatistics { table, statistics } => {
                create_statistics_sql(table, statistics)
            }
            Operation::DropStatistics { statistics, .. } => {
                vec![format!("DROP STATISTICS {};", statistics.name)]
            }
            Operation::SetStatisticsTarget { name, target, .. } => {
                vec![statistics_target_sql(name, *target)]
            }
            Operation::RenameStatistics { old, new, .. } => {
                vec![format!("ALTER STATISTICS {old} RENAME TO {};", quote_ident(new))]
            }
            other => super::not_mine("statistics", other),
        }
    }
}
