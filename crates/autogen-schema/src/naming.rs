//! PostgreSQL's own names for what DDL leaves unnamed: `t_pkey`,
//! `t_a_key`, `t_a_b_idx`, `t_a_check`, `t_a_fkey`, `t_a_b_excl`,
//! `t_id_seq` — with the truncation to 63 bytes (cutting only at character
//! boundaries) and the collision suffixes (`t_a_idx1`) that
//! `makeObjectName`, `ChooseRelationName`, `ChooseConstraintName` and
//! `ChooseIndexColumnNames` apply. A source that reads unnamed DDL (SQL
//! files, Rust models) names objects with these functions so that its model
//! equals the catalog's.

/// `NAMEDATALEN`: identifiers hold at most `NAMEDATALEN - 1` bytes.
pub const NAMEDATALEN: usize = 64;

/// The longest identifier, in bytes.
pub const MAX_IDENTIFIER_BYTES: usize = NAMEDATALEN - 1;

/// `name` cut to at most `max_bytes` bytes without splitting a character
/// (`pg_mbcliplen`).
pub fn clip_to_bytes(name: &str, max_bytes: usize) -> &str {
    if name.len() <= max_bytes {
        return name;
    }
    let mut end = max_bytes;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// An identifier as PostgreSQL stores it: cut to 63 bytes
/// (`truncate_identifier`, which also warns with a NOTICE).
pub fn truncate_identifier(name: &str) -> &str {
    clip_to_bytes(name, MAX_IDENTIFIER_BYTES)
}

/// `makeObjectName(name1, name2, label)`: `name1_name2_label`, fitted into
/// 63 bytes by shortening the longer of `name1` and `name2` first.
pub fn make_object_name(name1: &str, name2: Option<&str>, label: Option<&str>) -> String {
    let mut overhead = 0;
    let mut name1_bytes = name1.len();
    let mut name2_bytes = 0;
    if let Some(name2) = name2 {
        name2_bytes = name2.len();
        overhead += 1;
    }
    if let Some(label) = label {
        overhead += label.len() + 1;
    }
    let available = MAX_IDENTIFIER_BYTES.saturating_sub(overhead);
    while name1_bytes + name2_bytes > available {
        if name1_bytes > name2_bytes {
            name1_bytes -= 1;
        } else {
            name2_bytes -= 1;
        }
    }
    let mut name = String::with_capacity(MAX_IDENTIFIER_BYTES);
    name.push_str(clip_to_bytes(name1, name1_bytes));
    if let Some(name2) = name2 {
        name.push('_');
        name.push_str(clip_to_bytes(name2, name2_bytes));
    }
    if let Some(label) = label {
        name.push('_');
        name.push_str(label);
    }
    name
}

/// `ChooseRelationName` / `ChooseConstraintName`: the first of
/// `name1_name2_label`, `name1_name2_label1`, `…label2`, … that `taken`
/// does not report as used. (PostgreSQL checks relation names in the schema
/// for indexes and sequences, and constraint names in the schema for
/// constraints; the caller's `taken` says which.)
pub fn choose_name(
    name1: &str,
    name2: Option<&str>,
    label: &str,
    taken: impl Fn(&str) -> bool,
) -> String {
    let mut pass = 0;
    let mut modified_label = label.to_owned();
    loop {
        let name = make_object_name(name1, name2, Some(&modified_label));
        if !taken(&name) {
            return name;
        }
        pass += 1;
        modified_label = format!("{label}{pass}");
    }
}

/// `ChooseIndexNameAddition` and `ChooseForeignKeyConstraintNameAddition`:
/// column names joined by `_`, stopping once 63 bytes are reached (the
/// result may be longer; `make_object_name` fits it).
pub fn name_addition(column_names: &[impl AsRef<str>]) -> String {
    let mut addition = String::new();
    for column in column_names {
        if !addition.is_empty() {
            addition.push('_');
        }
        addition.push_str(truncate_identifier(column.as_ref()));
        if addition.len() >= NAMEDATALEN {
            break;
        }
    }
    addition
}

/// `ChooseIndexColumnNames`: an index's column names (keys, then `INCLUDE`
/// columns; `expr` or the expression's figured name for expressions), made
/// unique by suffixes (`expr`, `expr1`, …).
pub fn index_column_names(original_names: &[impl AsRef<str>]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(original_names.len());
    for original in original_names {
        let original = original.as_ref();
        let mut candidate = original.to_owned();
        let mut suffix = 0;
        while names.contains(&candidate) {
            suffix += 1;
            let number = suffix.to_string();
            let kept = clip_to_bytes(original, MAX_IDENTIFIER_BYTES - number.len());
            candidate = format!("{kept}{number}");
        }
        names.push(candidate);
    }
    names
}

/// The name PostgreSQL gives an unnamed primary key: `table_pkey`.
pub fn primary_key_name(table: &str, taken: impl Fn(&str) -> bool) -> String {
    choose_name(table, None, "pkey", taken)
}

/// The name of an unnamed unique constraint: `table_columns_key`
/// (`INCLUDE` columns count).
pub fn unique_constraint_name(
    table: &str,
    index_columns: &[impl AsRef<str>],
    taken: impl Fn(&str) -> bool,
) -> String {
    let columns = index_column_names(index_columns);
    choose_name(table, Some(&name_addition(&columns)), "key", taken)
}

/// The name of an unnamed index: `table_columns_idx` (`INCLUDE` columns
/// count).
pub fn index_name(
    table: &str,
    index_columns: &[impl AsRef<str>],
    taken: impl Fn(&str) -> bool,
) -> String {
    let columns = index_column_names(index_columns);
    choose_name(table, Some(&name_addition(&columns)), "idx", taken)
}

/// The name an expression key gives an index (`FigureIndexColname`): its
/// function's, else `expr`.
pub fn expression_name(text: &str) -> String {
    match text.split_once('(') {
        Some((name, _)) if !name.is_empty() && !name.contains(' ') => {
            name.rsplit('.').next().unwrap_or(name).to_owned()
        }
        _ => "expr".to_owned(),
    }
}

/// The columns of an index as its name is made of: key columns (an
/// expression by [`expression_name`]), then `INCLUDE` columns.
pub fn index_name_columns(index: &crate::Index) -> Vec<String> {
    let mut columns: Vec<String> = (index.keys.iter())
        .map(|key| match &key.target {
            crate::IndexTarget::Column(column) => column.clone(),
            crate::IndexTarget::Expression(text) => expression_name(text),
        })
        .collect();
    columns.extend(index.include.iter().cloned());
    columns
}

/// The name of an unnamed exclusion constraint (and its index):
/// `table_columns_excl` — `ChooseIndexName` with exclusion operators;
/// `INCLUDE` columns count, expressions are `expr` or their figured name.
pub fn exclusion_constraint_name(
    table: &str,
    index_columns: &[impl AsRef<str>],
    taken: impl Fn(&str) -> bool,
) -> String {
    let columns = index_column_names(index_columns);
    choose_name(table, Some(&name_addition(&columns)), "excl", taken)
}

/// The name of an unnamed check constraint: `table_column_check` when the
/// expression refers to exactly one column, `table_check` otherwise.
pub fn check_constraint_name(
    table: &str,
    only_column: Option<&str>,
    taken: impl Fn(&str) -> bool,
) -> String {
    choose_name(table, only_column, "check", taken)
}

/// The name of an unnamed foreign key: `table_columns_fkey`.
pub fn foreign_key_name(
    table: &str,
    columns: &[impl AsRef<str>],
    taken: impl Fn(&str) -> bool,
) -> String {
    choose_name(table, Some(&name_addition(columns)), "fkey", taken)
}

/// The name `serial` and identity columns give their sequence when nothing
/// else holds it: `table_column_seq`, fitted into 63 bytes.
pub fn default_sequence_name(table: &str, column: &str) -> String {
    make_object_name(table, Some(column), Some("seq"))
}

/// The name of the sequence behind a `serial` or identity column:
/// `table_column_seq`.
pub fn sequence_name(table: &str, column: &str, taken: impl Fn(&str) -> bool) -> String {
    choose_name(table, Some(column), "seq", taken)
}

/// `ChooseExtendedStatisticName`: the name of unnamed statistics,
/// `table_elements_stat` — each element's column name in written order,
/// `expr` for an expression — numbered while `taken` (statistics names in
/// the table's schema) says it is used.
pub fn statistics_name(
    table: &str,
    elements: &[impl AsRef<str>],
    taken: impl Fn(&str) -> bool,
) -> String {
    choose_name(table, Some(&name_addition(elements)), "stat", taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn free(_: &str) -> bool {
        false
    }

    #[test]
    fn short_names_are_joined() {
        assert_eq!(primary_key_name("users", free), "users_pkey");
        assert_eq!(unique_constraint_name("users", &["email"], free), "users_email_key");
        assert_eq!(index_name("t", &["a", "b"], free), "t_a_b_idx");
        assert_eq!(statistics_name("t", &["expr", "c", "expr"], free), "t_expr_c_expr_stat");
        assert_eq!(statistics_name("t", &["a", "b"], |name| name == "t_a_b_stat"), "t_a_b_stat1");
        assert_eq!(check_constraint_name("t", None, free), "t_check");
        assert_eq!(foreign_key_name("t", &["a", "b"], free), "t_a_b_fkey");
        assert_eq!(exclusion_constraint_name("t", &["a", "tsrange"], free), "t_a_tsrange_excl");
        assert_eq!(sequence_name("t", "id", free), "t_id_seq");
    }

    #[test]
    fn collisions_get_numbered_labels() {
        let taken = |name: &str| name == "t_a_idx" || name == "t_a_idx1";
        assert_eq!(index_name("t", &["a"], taken), "t_a_idx2");
    }

    #[test]
    fn duplicate_index_columns_are_numbered() {
        assert_eq!(
            index_column_names(&["lower", "expr", "expr", "lower"]),
            ["lower", "expr", "expr1", "lower1"]
        );
        assert_eq!(
            index_name("t", &["lower", "expr", "expr", "lower"], free),
            "t_lower_expr_expr1_lower1_idx"
        );
    }

    #[test]
    fn long_names_shorten_the_longer_part_first_and_never_split_a_character() {
        let table = "a".repeat(62);
        let column = "b".repeat(48);
        let name = unique_constraint_name(&table, &[&column], free);
        assert_eq!(name, format!("{}_{}_key", "a".repeat(29), "b".repeat(29)));
        assert_eq!(name.len(), 63);

        let unicode_table = "ŧåbłé_wïŧħ_å_vërÿ_łøñg_ñåmé_ŧħåŧ_ïš_mültï";
        assert_eq!(
            primary_key_name(unicode_table, free),
            "ŧåbłé_wïŧħ_å_vërÿ_łøñg_ñåmé_ŧħåŧ_ïš__pkey"
        );
        assert!(clip_to_bytes("ŧå", 3) == "ŧ");
    }
}
