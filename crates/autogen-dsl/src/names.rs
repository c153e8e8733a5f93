//! The names a model gets when its attributes give none: tables are the
//! struct's name in snake case, plural (`BlogPost` → `blog_posts`,
//! `Category` → `categories`, `Status` → `statuses`); enum types the enum's
//! name in snake case (`PostStatus` → `post_status`), and so are domains
//! and composite types; labels the variant's name under `rename_all`
//! (default `snake_case`); columns and attributes the field's name.

use autogen_schema::QualifiedName;
use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::def::{AttributeDef, CompositeDef, DomainDef, EnumDef, FieldDef, ModelDef, VariantDef};

/// The schema when none is given.
pub const DEFAULT_SCHEMA: &str = "public";

/// The `rename_all` values, as sqlx spells them.
pub const RENAME_ALL: &[&str] = &[
    "snake_case",
    "lowercase",
    "UPPERCASE",
    "SCREAMING_SNAKE_CASE",
    "kebab-case",
    "camelCase",
    "PascalCase",
];

/// The table of a model: `table = "…"` and `schema = "…"`, or the default.
pub fn table_name(model: &ModelDef) -> QualifiedName {
    let name = model.table.clone().unwrap_or_else(|| plural(&model.rust_name.to_snake_case()));
    QualifiedName::new(model.schema.as_deref().unwrap_or(DEFAULT_SCHEMA), &name)
}

/// The enum type of an enum: `name = "…"` and `schema = "…"`, or the
/// default.
pub fn enum_name(item: &EnumDef) -> QualifiedName {
    let name = item.name.clone().unwrap_or_else(|| item.rust_name.to_snake_case());
    QualifiedName::new(item.schema.as_deref().unwrap_or(DEFAULT_SCHEMA), &name)
}

/// The domain of a newtype: `name = "…"` and `schema = "…"`, or the
/// struct's name in snake case.
pub fn domain_name(item: &DomainDef) -> QualifiedName {
    let name = item.name.clone().unwrap_or_else(|| item.rust_name.to_snake_case());
    QualifiedName::new(item.schema.as_deref().unwrap_or(DEFAULT_SCHEMA), &name)
}

/// The composite type of a struct: `name = "…"` and `schema = "…"`, or
/// the struct's name in snake case.
pub fn composite_name(item: &CompositeDef) -> QualifiedName {
    let name = item.name.clone().unwrap_or_else(|| item.rust_name.to_snake_case());
    QualifiedName::new(item.schema.as_deref().unwrap_or(DEFAULT_SCHEMA), &name)
}

/// A composite field's attribute name.
pub fn attribute_name(attribute: &AttributeDef) -> String {
    attribute.name.clone().unwrap_or_else(|| attribute.rust_name.clone())
}

/// A field's column name.
pub fn column_name(field: &FieldDef) -> String {
    field.name.clone().unwrap_or_else(|| field.rust_name.clone())
}

/// A variant's label.
pub fn label(item: &EnumDef, variant: &VariantDef) -> String {
    if let Some(label) = &variant.label {
        return label.clone();
    }
    rename(&variant.rust_name, item.rename_all.as_deref().unwrap_or("snake_case"))
        .unwrap_or_else(|| variant.rust_name.clone())
}

/// `name` under a `rename_all` rule; `None` for an unknown rule.
pub fn rename(name: &str, rule: &str) -> Option<String> {
    Some(match rule {
        "snake_case" => name.to_snake_case(),
        "lowercase" => name.to_lowercase(),
        "UPPERCASE" => name.to_uppercase(),
        "SCREAMING_SNAKE_CASE" => name.to_shouty_snake_case(),
        "kebab-case" => name.to_kebab_case(),
        "camelCase" => name.to_lower_camel_case(),
        "PascalCase" => name.to_upper_camel_case(),
        _ => return None,
    })
}

/// An English plural of a snake-case name, on its last word: `-s`, `-x`,
/// `-z`, `-ch`, `-sh` take `-es`; a consonant and `-y` becomes `-ies`;
/// everything else takes `-s`.
pub fn plural(name: &str) -> String {
    let ends = |suffix: &str| name.ends_with(suffix);
    if ends("s") || ends("x") || ends("z") || ends("ch") || ends("sh") {
        format!("{name}es")
    } else if let Some(stem) = name.strip_suffix('y') {
        match stem.chars().last() {
            Some(before) if !"aeiou".contains(before) => format!("{stem}ies"),
            _ => format!("{name}s"),
        }
    } else {
        format!("{name}s")
    }
}

/// An `on_delete` / `on_update` value in SQL: `cascade`, `restrict`,
/// `set_null`, `set_default`, `no_action` (any case, spaces or `_`).
pub fn action(value: &str) -> String {
    value.trim().replace(['_', '-'], " ").to_uppercase()
}

/// Whether `value` is an action [`action`] knows.
pub fn is_action(value: &str) -> bool {
    matches!(
        action(value).as_str(),
        "CASCADE" | "RESTRICT" | "SET NULL" | "SET DEFAULT" | "NO ACTION"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_snake_case_plurals() {
        let table = |rust_name: &str| {
            table_name(&ModelDef { rust_name: rust_name.to_owned(), ..Default::default() }).name
        };
        assert_eq!(table("User"), "users");
        assert_eq!(table("BlogPost"), "blog_posts");
        assert_eq!(table("Category"), "categories");
        assert_eq!(table("Status"), "statuses");
        assert_eq!(table("Box"), "boxes");
        assert_eq!(table("Match"), "matches");
        assert_eq!(table("Day"), "days");
        assert_eq!(table("HTTPRequest"), "http_requests");
    }

    #[test]
    fn labels_follow_rename_all() {
        let item = |rule: Option<&str>| EnumDef {
            rust_name: "PostStatus".into(),
            rename_all: rule.map(str::to_owned),
            ..Default::default()
        };
        let variant = VariantDef { rust_name: "InReview".into(), ..Default::default() };
        assert_eq!(label(&item(None), &variant), "in_review");
        assert_eq!(label(&item(Some("lowercase")), &variant), "inreview");
        assert_eq!(label(&item(Some("SCREAMING_SNAKE_CASE")), &variant), "IN_REVIEW");
        assert_eq!(label(&item(Some("kebab-case")), &variant), "in-review");
        assert_eq!(enum_name(&item(None)).name, "post_status");
    }

    #[test]
    fn actions_read_as_sql() {
        assert_eq!(action("set_null"), "SET NULL");
        assert_eq!(action("Cascade"), "CASCADE");
        assert!(is_action("no action") && !is_action("explode"));
    }
}
