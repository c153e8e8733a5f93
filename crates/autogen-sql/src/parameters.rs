//! Table storage parameters (`WITH (…)`, `ALTER TABLE … SET (…)`) as
//! PostgreSQL checks them (`reloptions.c`, versions 15 to 18): which names
//! a table takes, which its TOAST table takes (`toast.name`), and the
//! values each accepts. What PostgreSQL refuses is refused here, at the
//! statement; what it accepts is kept as written.

/// The values a parameter takes.
#[derive(Debug, Clone, Copy)]
enum Value {
    Boolean,
    /// An integer (PostgreSQL rounds a fraction), within bounds.
    Integer(i64, i64),
    /// A floating-point number, within bounds.
    Real(f64, f64),
    /// `vacuum_index_cleanup`: `auto` or a boolean.
    AutoOrBoolean,
}

/// Whether a parameter is the table's only, or its TOAST table's too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Applies {
    Table,
    Both,
}

const INT_MAX: i64 = i32::MAX as i64;

/// The parameters of a table (`heap`) and of its TOAST table.
const PARAMETERS: &[(&str, Applies, Value)] = &[
    ("fillfactor", Applies::Table, Value::Integer(10, 100)),
    ("toast_tuple_target", Applies::Table, Value::Integer(128, 8160)),
    ("parallel_workers", Applies::Table, Value::Integer(0, 1024)),
    ("user_catalog_table", Applies::Table, Value::Boolean),
    ("autovacuum_analyze_threshold", Applies::Table, Value::Integer(0, INT_MAX)),
    ("autovacuum_analyze_scale_factor", Applies::Table, Value::Real(0.0, 100.0)),
    ("autovacuum_enabled", Applies::Both, Value::Boolean),
    ("autovacuum_vacuum_threshold", Applies::Both, Value::Integer(0, INT_MAX)),
    ("autovacuum_vacuum_max_threshold", Applies::Both, Value::Integer(-1, INT_MAX)),
    ("autovacuum_vacuum_insert_threshold", Applies::Both, Value::Integer(-1, INT_MAX)),
    ("autovacuum_vacuum_cost_limit", Applies::Both, Value::Integer(1, 10000)),
    ("autovacuum_freeze_min_age", Applies::Both, Value::Integer(0, 1_000_000_000)),
    ("autovacuum_freeze_max_age", Applies::Both, Value::Integer(100_000, 2_000_000_000)),
    ("autovacuum_freeze_table_age", Applies::Both, Value::Integer(0, 2_000_000_000)),
    ("autovacuum_multixact_freeze_min_age", Applies::Both, Value::Integer(0, 1_000_000_000)),
    ("autovacuum_multixact_freeze_max_age", Applies::Both, Value::Integer(10_000, 2_000_000_000)),
    ("autovacuum_multixact_freeze_table_age", Applies::Both, Value::Integer(0, 2_000_000_000)),
    ("log_autovacuum_min_duration", Applies::Both, Value::Integer(-1, INT_MAX)),
    ("autovacuum_vacuum_cost_delay", Applies::Both, Value::Real(0.0, 100.0)),
    ("autovacuum_vacuum_scale_factor", Applies::Both, Value::Real(0.0, 100.0)),
    ("autovacuum_vacuum_insert_scale_factor", Applies::Both, Value::Real(0.0, 100.0)),
    ("vacuum_max_eager_freeze_failure_rate", Applies::Both, Value::Real(0.0, 1.0)),
    ("vacuum_index_cleanup", Applies::Both, Value::AutoOrBoolean),
    ("vacuum_truncate", Applies::Both, Value::Boolean),
];

/// Storage parameters as written, sorted out: the table's, its TOAST
/// table's (without the prefix), each checked; `oids=false` is accepted
/// and kept nowhere, as PostgreSQL does.
pub(crate) type Sorted = (Vec<(String, String)>, Vec<(String, String)>);

/// Checks `parameters` (`name` or `toast.name`, with their values) and
/// sorts them into the table's and its TOAST table's.
pub(crate) fn sort_out(parameters: &[(String, String)]) -> Result<Sorted, String> {
    let (mut table, mut toast) = (Vec::new(), Vec::new());
    for (index, (name, value)) in parameters.iter().enumerate() {
        if parameters[..index].iter().any(|(earlier, _)| earlier == name) {
            return Err(format!("parameter \"{name}\" specified more than once"));
        }
        let (for_toast, bare) = split(name)?;
        if !for_toast && bare == "oids" {
            if parse_boolean(value) == Some(false) {
                continue;
            }
            return Err("tables declared WITH OIDS are not supported".to_owned());
        }
        check(bare, value, for_toast)?;
        let list = if for_toast { &mut toast } else { &mut table };
        list.push((bare.to_owned(), value.clone()));
    }
    Ok((table, toast))
}

/// The names of `RESET (…)`, sorted into the table's and its TOAST
/// table's. PostgreSQL checks only the namespace.
pub(crate) fn sort_out_names(names: &[String]) -> Result<(Vec<String>, Vec<String>), String> {
    let (mut table, mut toast) = (Vec::new(), Vec::new());
    for name in names {
        let (for_toast, bare) = split(name)?;
        if for_toast { &mut toast } else { &mut table }.push(bare.to_owned());
    }
    Ok((table, toast))
}

/// `toast.name` → (true, `name`); `name` → (false, `name`).
fn split(name: &str) -> Result<(bool, &str), String> {
    match name.split_once('.') {
        None => Ok((false, name)),
        Some(("toast", bare)) if !bare.contains('.') => Ok((true, bare)),
        Some((namespace, _)) => Err(format!("unrecognized parameter namespace \"{namespace}\"")),
    }
}

fn check(name: &str, value: &str, for_toast: bool) -> Result<(), String> {
    let Some((_, _, kind)) = PARAMETERS
        .iter()
        .find(|(known, applies, _)| *known == name && (!for_toast || *applies == Applies::Both))
    else {
        return Err(format!("unrecognized parameter \"{name}\""));
    };
    let out_of_bounds = |low: &dyn std::fmt::Display, high: &dyn std::fmt::Display| {
        format!(
            "value {value} out of bounds for option \"{name}\" (valid values are between \"{low}\" and \"{high}\")"
        )
    };
    match kind {
        Value::Boolean => parse_boolean(value)
            .map(|_| ())
            .ok_or_else(|| format!("invalid value for boolean option \"{name}\": {value}")),
        Value::AutoOrBoolean => {
            if value.eq_ignore_ascii_case("auto") || parse_boolean(value).is_some() {
                Ok(())
            } else {
                Err(format!("invalid value for enum option \"{name}\": {value}"))
            }
        }
        Value::Integer(low, high) => {
            let number = parse_integer(value)
                .ok_or_else(|| format!("invalid value for integer option \"{name}\": {value}"))?;
            if number < *low || number > *high {
                return Err(out_of_bounds(low, high));
            }
            Ok(())
        }
        Value::Real(low, high) => {
            let number =
                value.trim().parse::<f64>().ok().filter(|number| number.is_finite()).ok_or_else(
                    || format!("invalid value for floating point option \"{name}\": {value}"),
                )?;
            if number < *low || number > *high {
                return Err(out_of_bounds(low, high));
            }
            Ok(())
        }
    }
}

/// `parse_bool`: `true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0`, and
/// their unambiguous prefixes, in any case.
pub(crate) fn parse_boolean(value: &str) -> Option<bool> {
    let value = value.trim().to_ascii_lowercase();
    let prefix_of = |word: &str, least: usize| value.len() >= least && word.starts_with(&value);
    if prefix_of("true", 1) || prefix_of("yes", 1) || value == "on" || value == "1" {
        Some(true)
    } else if prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) || value == "0" {
        Some(false)
    } else {
        None
    }
}

/// `parse_int` without units: decimal, `0x` hexadecimal, or a number with
/// a fraction or an exponent, rounded.
fn parse_integer(value: &str) -> Option<i64> {
    let value = value.trim();
    let (negative, digits) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value.strip_prefix('+').unwrap_or(value)),
    };
    let magnitude = match digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        Some(hex) => i64::from_str_radix(hex, 16).ok()?,
        None => match digits.parse::<i64>() {
            Ok(number) => number,
            Err(_) => {
                let number = digits.parse::<f64>().ok().filter(|number| number.is_finite())?;
                number.round() as i64
            }
        },
    };
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(parameters: &[(&str, &str)]) -> Vec<(String, String)> {
        parameters.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()
    }

    #[test]
    fn parameters_are_sorted_out_and_checked_as_postgresql_checks_them() {
        let (table, toast) = sort_out(&pairs(&[
            ("fillfactor", "70"),
            ("toast.autovacuum_enabled", "false"),
            ("oids", "false"),
            ("autovacuum_vacuum_scale_factor", "0.10"),
        ]))
        .unwrap();
        assert_eq!(
            table,
            pairs(&[("fillfactor", "70"), ("autovacuum_vacuum_scale_factor", "0.10")])
        );
        assert_eq!(toast, pairs(&[("autovacuum_enabled", "false")]));
        for (parameters, message) in [
            (&[("fillfactor", "9")][..], "value 9 out of bounds for option \"fillfactor\""),
            (&[("foo", "1")][..], "unrecognized parameter \"foo\""),
            (&[("toast.fillfactor", "50")][..], "unrecognized parameter \"fillfactor\""),
            (&[("foo.bar", "2")][..], "unrecognized parameter namespace \"foo\""),
            (&[("fillfactor", "70"), ("fillfactor", "80")][..], "specified more than once"),
            (&[("oids", "true")][..], "WITH OIDS"),
            (&[("autovacuum_enabled", "maybe")][..], "invalid value for boolean option"),
        ] {
            let error = sort_out(&pairs(parameters)).unwrap_err();
            assert!(error.contains(message), "{parameters:?}: {error}");
        }
        for value in ["70.5", "0x20", "1e2"] {
            assert!(sort_out(&pairs(&[("fillfactor", value)])).is_ok(), "{value}");
        }
        assert!(sort_out(&pairs(&[("vacuum_index_cleanup", "auto")])).is_ok());
        assert!(sort_out(&pairs(&[("autovacuum_enabled", "t")])).is_ok());
    }
}
