//! The SQL text of functions, procedures and aggregates: `CREATE [OR
//! REPLACE] FUNCTION`/`PROCEDURE` with every option the model holds,
//! `CREATE AGGREGATE`, and the statements that name a routine by its
//! signature (`DROP`, `ALTER … RENAME TO`, `COMMENT ON`). The layout is
//! pg_dump's: the signature and result on the first line, the language and
//! options on the next, each `SET` on a line of its own, then the body.

use std::fmt::Write as _;

use crate::ddl::Renderer;
use crate::ident::{quote_ident, quote_literal, QualifiedName};
use crate::routines::{
    Aggregate, Argument, Body, Function, Parallel, Returns, RoutineName, Volatility,
};

/// `schema.name(type, …)`: how `DROP`, `ALTER` and `COMMENT ON` name a
/// routine (its input types only).
pub fn routine_signature(name: &RoutineName, renderer: &Renderer<'_>) -> String {
    let types: Vec<String> =
        name.arguments.iter().map(|data_type| renderer.type_sql(data_type)).collect();
    format!("{}({})", name.name, types.join(", "))
}

/// `FUNCTION` or `PROCEDURE`.
pub fn routine_kind(function: &Function) -> &'static str {
    if function.procedure {
        "PROCEDURE"
    } else {
        "FUNCTION"
    }
}

/// `CREATE [OR REPLACE] FUNCTION …;` (or `PROCEDURE`).
pub fn create_function_sql(function: &Function, replace: bool, renderer: &Renderer<'_>) -> String {
    let mut sql = format!(
        "CREATE {}{} {}({})",
        if replace { "OR REPLACE " } else { "" },
        routine_kind(function),
        function.name,
        (function.arguments.iter())
            .map(|argument| argument_sql(argument, renderer))
            .collect::<Vec<_>>()
            .join(", ")
    );
    match &function.returns {
        Some(Returns::Type { data_type, setof }) => {
            let setof = if *setof { "SETOF " } else { "" };
            let _ = write!(sql, " RETURNS {setof}{}", renderer.type_sql(data_type));
        }
        Some(Returns::Table(columns)) => {
            let columns: Vec<String> = (columns.iter())
                .map(|(name, data_type)| {
                    format!("{} {}", quote_ident(name), renderer.type_sql(data_type))
                })
                .collect();
            let _ = write!(sql, " RETURNS TABLE({})", columns.join(", "));
        }
        None => {}
    }
    let mut options = vec![format!("LANGUAGE {}", quote_ident(&function.language))];
    if function.volatility != Volatility::Volatile {
        options.push(function.volatility.keyword().to_owned());
    }
    if function.strict {
        options.push("STRICT".to_owned());
    }
    if function.security_definer {
        options.push("SECURITY DEFINER".to_owned());
    }
    if function.leakproof {
        options.push("LEAKPROOF".to_owned());
    }
    if function.parallel != Parallel::Unsafe {
        options.push(format!("PARALLEL {}", function.parallel.keyword()));
    }
    if let Some(cost) = &function.cost {
        options.push(format!("COST {cost}"));
    }
    if let Some(rows) = &function.rows {
        options.push(format!("ROWS {rows}"));
    }
    let _ = write!(sql, "\n    {}", options.join(" "));
    for (name, value) in &function.settings {
        let _ = write!(sql, "\n    {}", setting_sql(name, value));
    }
    match &function.body {
        Body::Source(source) => {
            let _ = write!(sql, "\n    AS {}", dollar_quoted(source));
        }
        Body::Object { file, symbol } => {
            let _ = write!(sql, "\n    AS {}, {}", quote_literal(file), quote_literal(symbol));
        }
        Body::Standard(body) => {
            let _ = write!(sql, "\n    {}", body.sql());
        }
    }
    sql.push(';');
    sql
}

/// `[mode ]name type[ DEFAULT expression]`
fn argument_sql(argument: &Argument, renderer: &Renderer<'_>) -> String {
    let mut sql = String::new();
    if let Some(keyword) = argument.mode.keyword() {
        sql.push_str(keyword);
        sql.push(' ');
    }
    if let Some(name) = &argument.name {
        sql.push_str(&quote_ident(name));
        sql.push(' ');
    }
    sql.push_str(&renderer.type_sql(&argument.data_type));
    if let Some(default) = &argument.default {
        let _ = write!(sql, " DEFAULT {default}");
    }
    sql
}

/// `DROP FUNCTION schema.name(types);` (or `PROCEDURE`).
pub fn drop_function_sql(function: &Function, renderer: &Renderer<'_>) -> String {
    format!(
        "DROP {} {};",
        routine_kind(function),
        routine_signature(&function.identity(), renderer)
    )
}

/// `ALTER FUNCTION schema.name(types) RENAME TO new;` (or `PROCEDURE`).
pub fn rename_function_sql(function: &Function, new: &str, renderer: &Renderer<'_>) -> String {
    format!(
        "ALTER {} {} RENAME TO {};",
        routine_kind(function),
        routine_signature(&function.identity(), renderer),
        quote_ident(new)
    )
}

/// `COMMENT ON FUNCTION schema.name(types) IS …;` (or `PROCEDURE`; `IS
/// NULL` for `None`).
pub fn comment_function_sql(
    function: &Function,
    comment: Option<&str>,
    renderer: &Renderer<'_>,
) -> String {
    format!(
        "COMMENT ON {} {} IS {};",
        routine_kind(function),
        routine_signature(&function.identity(), renderer),
        comment.map_or_else(|| "NULL".to_owned(), quote_literal)
    )
}

/// `SET name TO value` as `pg_get_functiondef` writes a `proconfig`
/// entry: the elements of a list PostgreSQL quotes as identifiers
/// (`search_path`, `temp_tablespaces`, the `*_preload_libraries`) each a
/// literal, any other value one literal.
pub fn setting_sql(name: &str, value: &str) -> String {
    let value = if is_quoted_list_setting(name) {
        let elements: Vec<String> =
            list_elements(value).iter().map(|element| quote_literal(element)).collect();
        elements.join(", ")
    } else {
        quote_literal(value)
    };
    format!("SET {} TO {value}", quote_ident(name))
}

/// The settings whose list elements PostgreSQL stores as quoted
/// identifiers (`GUC_LIST_QUOTE`).
pub fn is_quoted_list_setting(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "search_path"
            | "temp_tablespaces"
            | "session_preload_libraries"
            | "shared_preload_libraries"
            | "local_preload_libraries"
    )
}

/// The elements of a stored list (`"$user", public`), each unquoted.
pub fn list_elements(value: &str) -> Vec<String> {
    let mut elements = Vec::new();
    let mut current = String::new();
    let mut chars = value.chars().peekable();
    let mut quoted = false;
    let mut any = false;
    while let Some(character) = chars.next() {
        match character {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                current.push('"');
            }
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ',' if !quoted => {
                elements.push(std::mem::take(&mut current).trim().to_owned());
                any = false;
            }
            ' ' if !quoted && current.is_empty() => {}
            other => {
                current.push(other);
                any = true;
            }
        }
    }
    if any || !current.is_empty() || !elements.is_empty() {
        elements.push(current.trim_end().to_owned());
    }
    elements
}

/// `$$text$$`, or `$function$…$function$` (a tag with a number when
/// needed) when the text would end the body early.
pub fn dollar_quoted(text: &str) -> String {
    let closes_at_end = |tag: &str| format!("{text}{tag}").find(tag) == Some(text.len());
    let mut tag = "$$".to_owned();
    let mut number = 0;
    while !closes_at_end(&tag) {
        tag = match number {
            0 => "$function$".to_owned(),
            n => format!("$function{n}$"),
        };
        number += 1;
    }
    format!("{tag}{text}{tag}")
}

/// `CREATE AGGREGATE schema.name(types) (SFUNC = …, STYPE = …, …);`
pub fn create_aggregate_sql(aggregate: &Aggregate, renderer: &Renderer<'_>) -> String {
    let mut options = vec![
        format!("SFUNC = {}", function_reference(&aggregate.state_function)),
        format!("STYPE = {}", renderer.type_sql(&aggregate.state_type)),
    ];
    if let Some(function) = &aggregate.final_function {
        options.push(format!("FINALFUNC = {}", function_reference(function)));
    }
    if let Some(function) = &aggregate.combine_function {
        options.push(format!("COMBINEFUNC = {}", function_reference(function)));
    }
    if let Some(condition) = &aggregate.initial_condition {
        options.push(format!("INITCOND = {}", quote_literal(condition)));
    }
    if let Some(operator) = &aggregate.sort_operator {
        options.push(format!("SORTOP = {operator}"));
    }
    if aggregate.parallel != Parallel::Unsafe {
        options.push(format!("PARALLEL = {}", aggregate.parallel.keyword()));
    }
    format!(
        "CREATE AGGREGATE {}({}) (\n    {}\n);",
        aggregate.name,
        aggregate_arguments_sql(aggregate, renderer),
        options.join(",\n    ")
    )
}

/// An aggregate's argument list: `*` without arguments, `direct ORDER BY
/// aggregated` for an ordered-set aggregate.
fn aggregate_arguments_sql(aggregate: &Aggregate, renderer: &Renderer<'_>) -> String {
    let types: Vec<String> =
        aggregate.arguments.iter().map(|data_type| renderer.type_sql(data_type)).collect();
    match aggregate.direct_arguments {
        None if types.is_empty() => "*".to_owned(),
        None => types.join(", "),
        Some(direct) => {
            let direct = (direct as usize).min(types.len());
            let (before, after) = types.split_at(direct);
            let before = if before.is_empty() { String::new() } else { before.join(", ") + " " };
            format!("{before}ORDER BY {}", after.join(", "))
        }
    }
}

/// How `DROP AGGREGATE` and `COMMENT ON AGGREGATE` name an aggregate.
fn aggregate_signature(aggregate: &Aggregate, renderer: &Renderer<'_>) -> String {
    format!("{}({})", aggregate.name, aggregate_arguments_sql(aggregate, renderer))
}

/// `DROP AGGREGATE schema.name(types);`
pub fn drop_aggregate_sql(aggregate: &Aggregate, renderer: &Renderer<'_>) -> String {
    format!("DROP AGGREGATE {};", aggregate_signature(aggregate, renderer))
}

/// `COMMENT ON AGGREGATE schema.name(types) IS …;`
pub fn comment_aggregate_sql(
    aggregate: &Aggregate,
    comment: Option<&str>,
    renderer: &Renderer<'_>,
) -> String {
    format!(
        "COMMENT ON AGGREGATE {} IS {};",
        aggregate_signature(aggregate, renderer),
        comment.map_or_else(|| "NULL".to_owned(), quote_literal)
    )
}

/// A support function as `CREATE AGGREGATE` names it: qualified (a
/// built-in in `pg_catalog`).
fn function_reference(name: &QualifiedName) -> String {
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_quoted_with_a_tag_they_do_not_hold() {
        assert_eq!(dollar_quoted("SELECT 1"), "$$SELECT 1$$");
        assert_eq!(dollar_quoted("SELECT '$$'"), "$function$SELECT '$$'$function$");
        // A body ending in `$` would run into `$$`.
        assert_eq!(dollar_quoted("SELECT a$"), "$function$SELECT a$$function$");
        assert_eq!(dollar_quoted("$$ $function$"), "$function1$$$ $function$$function1$");
    }

    #[test]
    fn list_settings_are_written_element_by_element() {
        assert_eq!(
            setting_sql("search_path", "\"$user\", public, \"My \"\"Schema\""),
            "SET search_path TO '$user', 'public', 'My \"Schema'"
        );
        assert_eq!(setting_sql("search_path", "\"\""), "SET search_path TO ''");
        assert_eq!(setting_sql("work_mem", "64MB"), "SET work_mem TO '64MB'");
        assert_eq!(setting_sql("DateStyle", "ISO, MDY"), "SET \"DateStyle\" TO 'ISO, MDY'");
    }
}
