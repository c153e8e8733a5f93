//! Triggers (triggers.sql) and row-level security policies (policies.sql)
//! of the tables in scope, read onto their tables, and the triggers of the
//! views in scope onto their views; those of ordinary tables the model
//! leaves out (partitions, inheriting tables) are reported as unmodelled.

use autogen_schema::{
    ConstraintTrigger, Policy, PolicyCommand, QualifiedName, Rewritten, Trigger, TriggerEnabled,
    TriggerTiming,
};
use sqlx::postgres::types::Oid;
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use super::views::Views;
use super::{qualified, Catalog};
use crate::rows::{fetch, get};
use crate::{Error, Unmodeled};

const TRIGGERS: &str = include_str!("../queries/triggers.sql");
const POLICIES: &str = include_str!("../queries/policies.sql");

/// `tgtype` bits (`pg_trigger.h`).
const ROW: i32 = 1;
const BEFORE: i32 = 2;
const INSERT: i32 = 4;
const DELETE: i32 = 8;
const UPDATE: i32 = 16;
const TRUNCATE: i32 = 32;
const INSTEAD: i32 = 64;

/// Reads the triggers and policies of the tables in scope onto `catalog`'s
/// tables.
pub(super) async fn read(
    connection: &mut PgConnection,
    namespaces: &[Oid],
    catalog: &mut Catalog,
    views: &mut Views,
) -> Result<(), Error> {
    for row in fetch(connection, "triggers.sql", sqlx::query(TRIGGERS).bind(namespaces)).await? {
        let table_oid = get::<Oid>(&row, "table_oid")?.0;
        if get::<String>(&row, "kind")? == "v" {
            let trigger = catalog.trigger(table_oid, &row)?;
            match views.view_mut(table_oid) {
                Some(view) => view.triggers.push(trigger),
                None => catalog.unmodeled.push(outside(&row, "trigger")?),
            }
            continue;
        }
        if !catalog.tables.contains_key(&table_oid) {
            catalog.unmodeled.push(outside(&row, "trigger")?);
            continue;
        }
        let trigger = catalog.trigger(table_oid, &row)?;
        catalog.table_mut(table_oid)?.triggers.push(trigger);
    }
    for row in fetch(connection, "policies.sql", sqlx::query(POLICIES).bind(namespaces)).await? {
        let table_oid = get::<Oid>(&row, "table_oid")?.0;
        if !catalog.tables.contains_key(&table_oid) {
            catalog.unmodeled.push(outside(&row, "policy")?);
            continue;
        }
        let policy = policy(&row)?;
        catalog.table_mut(table_oid)?.policies.push(policy);
    }
    Ok(())
}

/// A trigger or policy of an ordinary table the model leaves out, named as
/// unmodeled.sql names them (`table.name`).
fn outside(row: &PgRow, kind: &str) -> Result<Unmodeled, Error> {
    Ok(Unmodeled {
        kind: kind.to_owned(),
        schema: get(row, "table_schema")?,
        name: format!("{}.{}", get::<String>(row, "table_name")?, get::<String>(row, "name")?),
    })
}

impl Catalog {
    /// A row of triggers.sql on table `table_oid`.
    fn trigger(&self, table_oid: u32, row: &PgRow) -> Result<Trigger, Error> {
        let name: String = get(row, "name")?;
        let bits: i32 = get(row, "type")?;
        let timing = if bits & INSTEAD != 0 {
            TriggerTiming::InsteadOf
        } else if bits & BEFORE != 0 {
            TriggerTiming::Before
        } else {
            TriggerTiming::After
        };
        let columns: Vec<i16> = get::<Option<Vec<i16>>>(row, "columns")?.unwrap_or_default();
        let on_update = match bits & UPDATE != 0 {
            true => Some(self.column_names(table_oid, &columns)?),
            false => None,
        };
        let when = match get::<Option<String>>(row, "definition")? {
            None => None,
            Some(definition) => {
                Some(Rewritten::catalog(when_condition(&definition).ok_or_else(|| {
                    Error::Catalog {
                        message: format!(
                        "cannot read the WHEN condition of trigger {name} from its definition: \
                         {definition}"
                    ),
                    }
                })?))
            }
        };
        let count = usize::try_from(get::<i32>(row, "argument_count")?).unwrap_or(0);
        let arguments = arguments(&get::<Vec<u8>>(row, "arguments")?, count).ok_or_else(|| {
            Error::Catalog { message: format!("cannot read the arguments of trigger {name}") }
        })?;
        let constraint = match get::<bool>(row, "is_constraint")? {
            false => None,
            true => Some(ConstraintTrigger {
                deferrable: get(row, "deferrable")?,
                initially_deferred: get(row, "initially_deferred")?,
                from: match get::<Option<String>>(row, "from_name")? {
                    Some(_) => Some(qualified(row, "from_schema", "from_name")?),
                    None => None,
                },
            }),
        };
        let code: String = get(row, "enabled")?;
        let enabled = TriggerEnabled::from_code(&code).ok_or_else(|| Error::Catalog {
            message: format!("trigger {name} has unknown tgenabled `{code}`"),
        })?;
        Ok(Trigger {
            timing,
            on_insert: bits & INSERT != 0,
            on_update,
            on_delete: bits & DELETE != 0,
            on_truncate: bits & TRUNCATE != 0,
            for_each_row: bits & ROW != 0,
            when,
            function: QualifiedName::new(
                get::<String>(row, "function_schema")?,
                get::<String>(row, "function_name")?,
            ),
            arguments,
            old_table: get(row, "old_table")?,
            new_table: get(row, "new_table")?,
            constraint,
            enabled,
            comment: get(row, "comment")?,
            name,
        })
    }
}

/// A row of policies.sql.
fn policy(row: &PgRow) -> Result<Policy, Error> {
    let name: String = get(row, "name")?;
    let code: String = get(row, "command")?;
    let command = PolicyCommand::from_code(&code).ok_or_else(|| Error::Catalog {
        message: format!("policy {name} has unknown polcmd `{code}`"),
    })?;
    let mut roles: Vec<String> = get(row, "roles")?;
    roles.sort();
    Ok(Policy {
        restrictive: !get::<bool>(row, "permissive")?,
        command,
        roles,
        using: get::<Option<String>>(row, "using")?.map(Rewritten::catalog),
        with_check: get::<Option<String>>(row, "with_check")?.map(Rewritten::catalog),
        comment: get(row, "comment")?,
        name,
    })
}

/// `tgargs`: `count` strings, each ending in a NUL byte.
fn arguments(bytes: &[u8], count: usize) -> Option<Vec<String>> {
    let mut arguments: Vec<String> = Vec::with_capacity(count);
    let mut rest = bytes;
    for _ in 0..count {
        let end = rest.iter().position(|byte| *byte == 0)?;
        arguments.push(String::from_utf8(rest[..end].to_vec()).ok()?);
        rest = &rest[end + 1..];
    }
    Some(arguments)
}

/// The condition of `pg_get_triggerdef`'s `WHEN (condition)`: the text in
/// the parentheses after the first `WHEN` outside quotes (identifiers that
/// hold the word are quoted, and it is reserved), which the definition
/// prints after `FOR EACH …` and before `EXECUTE`.
fn when_condition(definition: &str) -> Option<String> {
    let bytes = definition.as_bytes();
    let mut at = 0;
    let mut start = None;
    while at < bytes.len() {
        match bytes[at] {
            quote @ (b'"' | b'\'') => at = closing_quote(bytes, at, quote) + 1,
            byte if byte.is_ascii_alphabetic() || byte == b'_' => {
                let word_start = at;
                while at < bytes.len()
                    && (bytes[at].is_ascii_alphanumeric() || matches!(bytes[at], b'_' | b'$'))
                {
                    at += 1;
                }
                if &definition[word_start..at] == "WHEN" {
                    start = Some(at);
                    break;
                }
            }
            _ => at += 1,
        }
    }
    let open = start? + definition[start?..].find('(')?;
    // The balanced group from `open`, quotes skipped.
    let mut depth = 0usize;
    let mut at = open;
    while at < bytes.len() {
        match bytes[at] {
            quote @ (b'"' | b'\'') => at = closing_quote(bytes, at, quote),
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(definition[open + 1..at].to_owned());
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// Where the quoted text opened by the `quote` at `open` ends (its closing
/// quote; a doubled quote is part of the text), or the end of `bytes`.
fn closing_quote(bytes: &[u8], open: usize, quote: u8) -> usize {
    let mut at = open + 1;
    while at < bytes.len() {
        if bytes[at] == quote {
            if bytes.get(at + 1) == Some(&quote) {
                at += 2;
                continue;
            }
            break;
        }
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_when_condition_is_read_from_the_definition() {
        let definition =
            "CREATE TRIGGER \"WHEN (x)\" BEFORE UPDATE OF \"when\" ON public.t FOR EACH ROW \
            WHEN (((new.status IS DISTINCT FROM old.status) AND (new.note <> ')'::text))) \
            EXECUTE FUNCTION touch('WHEN (', 'x')";
        assert_eq!(
            when_condition(definition).as_deref(),
            Some("((new.status IS DISTINCT FROM old.status) AND (new.note <> ')'::text))")
        );
        assert_eq!(
            when_condition("CREATE TRIGGER a AFTER UPDATE ON public.t FOR EACH STATEMENT WHEN (true) EXECUTE FUNCTION f()").as_deref(),
            Some("true")
        );
        assert_eq!(when_condition("CREATE TRIGGER a AFTER UPDATE ON t EXECUTE FUNCTION f()"), None);
    }

    #[test]
    fn arguments_are_the_nul_terminated_strings() {
        assert_eq!(arguments(b"x\0it's\0\0", 3), Some(vec!["x".into(), "it's".into(), "".into()]));
        assert_eq!(arguments(b"", 0), Some(vec![]));
        assert_eq!(arguments(b"x", 1), None);
    }
}
