//! Identifier quoting and qualified names, exactly as PostgreSQL's
//! `quote_ident` decides.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A schema-qualified object name (`schema.name`). Both parts are stored as
/// PostgreSQL stores them (case-folded already, never quoted).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct QualifiedName {
    /// `pg_namespace.nspname`
    pub schema: String,
    /// `pg_class.relname`, `pg_type.typname`, …
    pub name: String,
}

impl QualifiedName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        Self { schema: schema.into(), name: name.into() }
    }
}

impl fmt::Display for QualifiedName {
    /// Always qualified, each part quoted only where PostgreSQL needs it.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}.{}", quote_ident(&self.schema), quote_ident(&self.name))
    }
}

/// Quotes `identifier` exactly when PostgreSQL needs it: when it is not all
/// lower-case ASCII letters, digits and underscores starting with a letter or
/// underscore, or when it is a keyword that is not unreserved.
pub fn quote_ident(identifier: &str) -> String {
    if needs_quoting(identifier) {
        let mut quoted = String::with_capacity(identifier.len() + 2);
        quoted.push('"');
        for character in identifier.chars() {
            if character == '"' {
                quoted.push('"');
            }
            quoted.push(character);
        }
        quoted.push('"');
        quoted
    } else {
        identifier.to_owned()
    }
}

/// Whether `identifier` must be written in double quotes.
pub fn needs_quoting(identifier: &str) -> bool {
    let mut characters = identifier.chars();
    let starts_well = matches!(characters.next(), Some('a'..='z' | '_'));
    let rest_is_plain =
        characters.all(|character| matches!(character, 'a'..='z' | '0'..='9' | '_'));
    !(starts_well && rest_is_plain) || is_quoted_keyword(identifier)
}

/// Quotes a string as an SQL literal (`'it''s'`). Backslashes are plain with
/// `standard_conforming_strings` on (the default since PostgreSQL 9.1).
pub fn quote_literal(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('\'');
    for character in value.chars() {
        if character == '\'' {
            quoted.push('\'');
        }
        quoted.push(character);
    }
    quoted.push('\'');
    quoted
}

fn is_quoted_keyword(identifier: &str) -> bool {
    QUOTED_KEYWORDS.binary_search(&identifier).is_ok()
}

/// Keywords of the categories reserved, column-name and type/function-name
/// (`pg_get_keywords()` where `catcode <> 'U'`), PostgreSQL 15 to 18 together:
/// a word that is one in any supported version is quoted. Sorted.
const QUOTED_KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "merge_action",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_list_is_sorted_for_binary_search() {
        assert!(QUOTED_KEYWORDS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn plain_names_stay_bare() {
        assert_eq!(quote_ident("users"), "users");
        assert_eq!(quote_ident("_private2"), "_private2");
        // unreserved keywords need no quotes
        assert_eq!(quote_ident("name"), "name");
        assert_eq!(quote_ident("comment"), "comment");
    }

    #[test]
    fn names_postgres_would_misread_are_quoted() {
        assert_eq!(quote_ident("User"), "\"User\"");
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("order items"), "\"order items\"");
        assert_eq!(quote_ident("weird\"name"), "\"weird\"\"name\"");
        assert_eq!(quote_ident("café"), "\"café\"");
        assert_eq!(quote_ident("1abc"), "\"1abc\"");
        assert_eq!(quote_ident("a$b"), "\"a$b\"");
        assert_eq!(quote_ident(""), "\"\"");
    }

    #[test]
    fn literals_double_their_quotes() {
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal("a\\b"), "'a\\b'");
    }

    #[test]
    fn qualified_names_display_quoted_parts() {
        let name = QualifiedName::new("Sales Dept", "order");
        assert_eq!(name.to_string(), "\"Sales Dept\".\"order\"");
    }
}
