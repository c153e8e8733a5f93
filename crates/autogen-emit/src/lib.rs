//! A [`Plan`] as SQL: one statement (or a few) per step, in the plan's
//! order, each preceded by a comment naming its hazards; and a migration's
//! up and down text. Returns strings, never writes files.
//!
//! Statements are rendered by hand with `autogen-schema`'s renderer — the
//! same text `autogen inspect` prints — rather than with sea-query, which
//! quotes every identifier: a migration quotes only where PostgreSQL needs
//! it, in one style from the first line to the last.

use std::fmt::Write as _;

use autogen_diff::{Hints, Operation, Plan, Step};
use autogen_schema::ddl::{
    check_sql, foreign_key_sql, index_sql, primary_key_sql, sequence_options_sql, unique_sql,
    Renderer,
};
use autogen_schema::{quote_ident, quote_literal, QualifiedName, Schema, SqlType, Table};

/// Up and down SQL of the change from one schema to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub up: String,
    pub down: String,
}

/// The migration from `from` to `to`: up is the plan from `from` to `to`;
/// down is the plan back, so applying up then down returns to `from`.
pub fn migration(from: &Schema, to: &Schema, hints: &Hints) -> Migration {
    let up = autogen_diff::diff(from, to, hints);
    let down = autogen_diff::diff(to, from, &hints.reversed());
    let restores = |step: &Step| {
        match &step.operation {
        // What the up migration dropped with its data comes back empty.
        Operation::AddColumn { table, column } => up.steps.iter().any(|dropped| {
            matches!(&dropped.operation, Operation::DropColumn { table: t, column: c } if t == table && c.name == column.name)
        }),
        Operation::CreateTable(table) => up
            .steps
            .iter()
            .any(|dropped| matches!(&dropped.operation, Operation::DropTable(t) if t.name == table.name)),
        _ => false,
    }
    };
    Migration { up: plan_sql(&up, to), down: render(&down, from, &restores) }
}

/// Where a script commits the enum values it added before it uses them
/// (see [`plan_sql`]); `autogen revision` writes the parts either side as
/// migrations of their own.
pub const COMMIT_POINT: &str =
    "\n-- The enum values added above must be committed before they are used.\nCOMMIT;\nBEGIN;\n";

/// The statements of `plan` (whose target schema is `target`), with a
/// hazard comment above each step that has hazards. Empty when there is
/// nothing to do.
///
/// An enum value added by `ALTER TYPE … ADD VALUE` cannot be used in the
/// transaction that added it: when a later step uses one (a default, a
/// check), the script commits before that step and goes on in a new
/// transaction, saying so (`COMMIT; BEGIN;` works under sqlx's
/// per-migration transaction and under `psql --single-transaction`).
pub fn plan_sql(plan: &Plan, target: &Schema) -> String {
    render(plan, target, &|_| false)
}

/// [`plan_sql`], with a note above the steps `restores` says bring back
/// an object whose data the up migration dropped.
fn render(plan: &Plan, target: &Schema, restores: &dyn Fn(&Step) -> bool) -> String {
    let renderer = Renderer::for_schema(target);
    let mut script = String::new();
    // Values added since the last commit, as literals of their type.
    let mut uncommitted: Vec<(String, String)> = Vec::new();
    for step in &plan.steps {
        let statements = step_sql(&renderer, step);
        let uses_new_value = uncommitted.iter().any(|(literal, type_name)| {
            statements.iter().any(|statement| {
                statement.contains(&format!("{literal}::{type_name}"))
                    || statement.contains(&format!("{literal}::{}", unqualified(type_name)))
            })
        });
        if uses_new_value {
            script.push_str(COMMIT_POINT);
            uncommitted.clear();
        }
        if let Operation::AddEnumValue { name, label, .. } = &step.operation {
            let literal = autogen_schema::portable_literals(&quote_literal(label)).into_owned();
            uncommitted.push((literal, name.to_string()));
        }
        if !script.is_empty() {
            script.push('\n');
        }
        if !step.hazards.is_empty() {
            let names: Vec<&str> = step.hazards.iter().map(|hazard| hazard.name()).collect();
            let _ = writeln!(script, "-- hazard: {}", names.join(", "));
        }
        if let Some(note) = note(step) {
            script.push_str(&note);
            script.push('\n');
        }
        if restores(step) {
            script.push_str(
                "-- cannot restore data: dropped by the up migration, this comes back empty\n",
            );
        }
        for statement in statements {
            script.push_str(&statement);
            script.push('\n');
        }
    }
    script
}

/// `public.mood` → `mood`: defaults print a type on the search path bare.
fn unqualified(type_name: &str) -> &str {
    type_name.rsplit_once('.').map_or(type_name, |(_, name)| name)
}

/// The statements of one step, each ending in `;`. String literals read
/// the same under any `standard_conforming_strings`
/// ([`autogen_schema::portable_literals`]).
pub fn step_sql(renderer: &Renderer<'_>, step: &Step) -> Vec<String> {
    let mut statements = operation_sql(renderer, step);
    for statement in &mut statements {
        if let std::borrow::Cow::Owned(portable) = autogen_schema::portable_literals(statement) {
            *statement = portable;
        }
    }
    statements
}

fn operation_sql(renderer: &Renderer<'_>, step: &Step) -> Vec<String> {
    match &step.operation {
        Operation::CreateSchema(name) => vec![format!("CREATE SCHEMA {};", quote_ident(name))],
        Operation::DropSchema(name) => vec![format!("DROP SCHEMA {};", quote_ident(name))],
        Operation::CreateExtension(extension) => vec![format!(
            "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {};",
            quote_ident(&extension.name),
            quote_ident(&extension.schema)
        )],
        Operation::DropExtension(extension) => {
            vec![format!("DROP EXTENSION {};", quote_ident(&extension.name))]
        }
        Operation::CreateEnum(enum_type) => {
            let labels: Vec<String> =
                enum_type.labels.iter().map(|label| quote_literal(label)).collect();
            vec![format!("CREATE TYPE {} AS ENUM ({});", enum_type.name, labels.join(", "))]
        }
        Operation::DropEnum(enum_type) => vec![format!("DROP TYPE {};", enum_type.name)],
        Operation::AddEnumValue { name, label, position } => {
            let place = match position {
                autogen_diff::EnumPosition::Last => String::new(),
                autogen_diff::EnumPosition::Before(other) => {
                    format!(" BEFORE {}", quote_literal(other))
                }
                autogen_diff::EnumPosition::After(other) => {
                    format!(" AFTER {}", quote_literal(other))
                }
            };
            vec![format!("ALTER TYPE {name} ADD VALUE {}{place};", quote_literal(label))]
        }
        Operation::SwapEnum { from, to, columns } => {
            let old_name = QualifiedName::new(
                from.name.schema.clone(),
                autogen_schema::naming::truncate_identifier(&format!(
                    "{}__autogen_old",
                    from.name.name
                )),
            );
            let labels: Vec<String> = to.labels.iter().map(|label| quote_literal(label)).collect();
            let mut statements = vec![
                format!("ALTER TYPE {} RENAME TO {};", from.name, quote_ident(&old_name.name)),
                format!("CREATE TYPE {} AS ENUM ({});", to.name, labels.join(", ")),
            ];
            for swapped in columns {
                let (table, column) = (&swapped.table, quote_ident(&swapped.column));
                if swapped.default_before.is_some() {
                    statements
                        .push(format!("ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT;"));
                }
                let (text, new_type) = match swapped.array {
                    true => ("text[]", format!("{}[]", to.name)),
                    false => ("text", to.name.to_string()),
                };
                statements.push(format!(
                    "ALTER TABLE {table} ALTER COLUMN {column} TYPE {new_type} USING {column}::{text}::{new_type};"
                ));
                if let Some(default) = &swapped.default_after {
                    statements.push(format!(
                        "ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {default};"
                    ));
                }
            }
            statements.push(format!("DROP TYPE {old_name};"));
            statements
        }
        Operation::CreateTable(table) => vec![renderer.create_table(table)],
        Operation::DropTable(table) => vec![format!("DROP TABLE {};", table.name)],
        Operation::AddColumn { table, column } => vec![format!(
            "ALTER TABLE {table} ADD COLUMN {};",
            renderer.column_sql(&Table::new(table.clone()), column)
        )],
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
            statements.extend(created.iter().map(|index| format!("{};", index_sql(table, index))));
            statements
        }
        Operation::AlterIdentity { table, column, from, to, nullable } => {
            let column = quote_ident(column);
            let alter = format!("ALTER TABLE {table} ALTER COLUMN {column}");
            let generation = |identity: &autogen_schema::Identity| match identity.generation {
                autogen_schema::IdentityGeneration::Always => "ALWAYS",
                autogen_schema::IdentityGeneration::ByDefault => "BY DEFAULT",
            };
            match (from, to) {
                (None, Some(identity)) => {
                    let mut sql =
                        format!("{alter} ADD GENERATED {} AS IDENTITY", generation(identity));
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
                    if *nullable {
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
        Operation::RenameConstraint { table, old, new, .. } => vec![format!(
            "ALTER TABLE {table} RENAME CONSTRAINT {} TO {};",
            quote_ident(old),
            quote_ident(new)
        )],
        Operation::RenameSequence { old, new, .. } => {
            vec![format!("ALTER SEQUENCE {old} RENAME TO {};", quote_ident(new))]
        }
        Operation::CreateOwnedSequence { table, column, sequence } => {
            let column = quote_ident(column);
            let mut create = format!("CREATE SEQUENCE {} AS {}", sequence.name, sequence.data_type);
            let options = sequence_options_sql(&sequence.options);
            if !options.is_empty() {
                let _ = write!(create, " {options}");
            }
            let _ = write!(create, " OWNED BY {table}.{column};");
            let mut statements = vec![create];
            statements.extend(setval_past_rows(table, &column, &sequence.name, &sequence.options));
            statements
        }
        Operation::AlterOwnedSequence { from, to } => {
            let mut changes = Vec::new();
            if from.data_type != to.data_type {
                changes.push(format!("AS {}", to.data_type));
            }
            if from.options != to.options {
                changes.extend(sequence_option_changes(&to.options));
            }
            vec![format!("ALTER SEQUENCE {} {};", to.name, changes.join(" "))]
        }
        Operation::DropOwnedSequence { sequence, .. } => {
            vec![format!("DROP SEQUENCE {};", sequence.name)]
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
        Operation::CommentTable { table, comment } => {
            vec![format!("COMMENT ON TABLE {table} IS {};", comment_text(comment))]
        }
        Operation::CommentColumn { table, column, comment } => vec![format!(
            "COMMENT ON COLUMN {table}.{} IS {};",
            quote_ident(column),
            comment_text(comment)
        )],
        Operation::AddPrimaryKey { table, key } => {
            vec![format!("ALTER TABLE {table} ADD {};", primary_key_sql(key))]
        }
        Operation::AddUnique { table, unique } => {
            vec![format!("ALTER TABLE {table} ADD {};", unique_sql(unique))]
        }
        Operation::AddCheck { table, check } => {
            vec![format!("ALTER TABLE {table} ADD {};", check_sql(check))]
        }
        Operation::AddForeignKey { table, key } => {
            vec![format!("ALTER TABLE {table} ADD {};", foreign_key_sql(key))]
        }
        Operation::ValidateConstraint { table, name } => {
            vec![format!("ALTER TABLE {table} VALIDATE CONSTRAINT {};", quote_ident(name))]
        }
        Operation::DropConstraint { table, name, .. } => {
            vec![format!("ALTER TABLE {table} DROP CONSTRAINT {};", quote_ident(name))]
        }
        Operation::CreateIndex { table, index } => vec![format!("{};", index_sql(table, index))],
        Operation::DropIndex { table, index } => vec![drop_index_sql(table, index)],
        Operation::RenameTable { old, new } => {
            vec![format!("ALTER TABLE {old} RENAME TO {};", quote_ident(new))]
        }
        Operation::RenameColumn { table, old, new } => vec![format!(
            "ALTER TABLE {table} RENAME COLUMN {} TO {};",
            quote_ident(old),
            quote_ident(new)
        )],
        Operation::RenameEnum { old, new } => {
            vec![format!("ALTER TYPE {old} RENAME TO {};", quote_ident(new))]
        }
        Operation::RenameEnumValue { name, old, new } => vec![format!(
            "ALTER TYPE {name} RENAME VALUE {} TO {};",
            quote_literal(old),
            quote_literal(new)
        )],
        Operation::RenameIndex { table, old, new } => vec![format!(
            "ALTER INDEX {} RENAME TO {};",
            QualifiedName::new(table.schema.clone(), old.clone()),
            quote_ident(new)
        )],
    }
}

/// `column::type`, through `text` when both sides are enums (there is no
/// cast from one enum to another).
/// A new sequence for a column that has rows: it goes on past the largest
/// value, so the next insert does not collide with a row already there.
/// Ascending sequences only (a descending one is left where it starts).
fn setval_past_rows(
    table: &QualifiedName,
    column: &str,
    sequence: &QualifiedName,
    options: &autogen_schema::SequenceOptions,
) -> Option<String> {
    if options.increment.unwrap_or(1) < 0 {
        return None;
    }
    let start = options.start.or(options.min_value).unwrap_or(1);
    Some(format!(
        "SELECT setval({}, GREATEST(COALESCE(MAX({column}) + 1, {start}), {start}), false) FROM {table};",
        quote_literal(&sequence.to_string())
    ))
}

/// `ALTER COLUMN … TYPE`, the default dropped before and set after.
fn alter_type_sql(
    renderer: &Renderer<'_>,
    table: &QualifiedName,
    from: &autogen_schema::Column,
    to: &autogen_schema::Column,
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
    statements
}

fn drop_index_sql(table: &QualifiedName, index: &autogen_schema::Index) -> String {
    format!("DROP INDEX {};", QualifiedName::new(table.schema.clone(), index.name.clone()))
}

/// A sentence for the reviewer above a step whose hazard needs more than
/// its name: what makes it fail.
fn note(step: &Step) -> Option<String> {
    match &step.operation {
        Operation::AlterVectorColumn { from, to, .. } => match (&from.data_type, &to.data_type) {
            (
                SqlType::Vector { dimensions: Some(old), .. },
                SqlType::Vector { dimensions: Some(new), .. },
            ) if old != new => Some(format!(
                "-- fails unless every {} is NULL: values of {old} dimensions do not fit {}; set them to NULL or embed them again first",
                autogen_schema::one_line(&quote_ident(&to.name)),
                to.data_type
            )),
            _ => None,
        },
        _ => None,
    }
}

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

fn comment_text(comment: &Option<String>) -> String {
    comment.as_deref().map_or_else(|| "NULL".to_owned(), quote_literal)
}

/// A collation name as PostgreSQL shows it: unqualified in `pg_catalog`.
fn visible(name: &QualifiedName) -> String {
    if name.schema == "pg_catalog" {
        quote_ident(&name.name)
    } else {
        name.to_string()
    }
}

/// Every option of a sequence, set to what `options` says (defaults said
/// explicitly, so that an option dropped from the declaration goes back to
/// its default), as `ALTER SEQUENCE` writes them; an identity column's
/// `ALTER COLUMN` puts `SET` before each.
fn sequence_option_changes(options: &autogen_schema::SequenceOptions) -> Vec<String> {
    let increment = options.increment.unwrap_or(1);
    let mut changes = vec![format!("INCREMENT BY {increment}")];
    changes.push(match options.min_value {
        Some(min) => format!("MINVALUE {min}"),
        None => "NO MINVALUE".to_owned(),
    });
    changes.push(match options.max_value {
        Some(max) => format!("MAXVALUE {max}"),
        None => "NO MAXVALUE".to_owned(),
    });
    let default_start = if increment > 0 {
        options.min_value.unwrap_or(1)
    } else {
        options.max_value.unwrap_or(-1)
    };
    changes.push(format!("START WITH {}", options.start.unwrap_or(default_start)));
    changes.push(format!("CACHE {}", options.cache.unwrap_or(1)));
    changes.push(if options.cycle { "CYCLE".to_owned() } else { "NO CYCLE".to_owned() });
    changes
}
