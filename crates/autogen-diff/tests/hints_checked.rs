//! Rename hints are checked against both schemas: a source that is not in
//! the current schema, a target that is not in the declared one, and hints
//! that rename in a circle are errors naming the hint and the nearest names
//! that exist; a hint an earlier migration already carried out is fine.

mod common;

use common::clean_schema;

use autogen_diff::Hints;

fn hints(toml: &str) -> Hints {
    Hints::from_toml(toml).unwrap()
}

const CURRENT: &str = "CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE users (id int PRIMARY KEY, mail text, name text, feeling mood);
CREATE INDEX users_mail_idx ON users (mail);
CREATE SEQUENCE order_numbers;
CREATE TABLE logs (at date);";

const DECLARED: &str = "CREATE TYPE feeling AS ENUM ('blue', 'happy');
CREATE TABLE accounts (id int PRIMARY KEY, email text, name text, feeling feeling);
CREATE INDEX accounts_email_idx ON accounts (email);
CREATE SEQUENCE invoice_numbers;
CREATE TABLE journal (at date);";

fn problems(toml: &str) -> Vec<String> {
    hints(toml).check(&clean_schema(CURRENT), &clean_schema(DECLARED)).err().unwrap_or_default()
}

#[test]
fn hints_that_name_what_is_there_pass() {
    let all = r#"
[tables]
"users" = "accounts"
"logs" = "journal"
[columns]
"users.mail" = "email"
[enums]
"mood" = "feeling"
[enum_values]
"mood.sad" = "blue"
[indexes]
"users_mail_idx" = "accounts_email_idx"
[sequences]
"order_numbers" = "invoice_numbers"
"#;
    assert_eq!(problems(all), Vec::<String>::new());
    // After the migration that made them, the same hints name targets the
    // current schema has: passed over, not errors.
    let after = clean_schema(DECLARED);
    assert_eq!(hints(all).check(&after, &after), Ok(()));
}

#[test]
fn a_typo_in_a_target_is_an_error_with_the_nearest_names() {
    assert_eq!(
        problems("[columns]\n\"users.mail\" = \"emial\"\n[tables]\n\"users\" = \"accounts\""),
        vec![
            "[columns] \"public.users.mail\" = \"emial\": there is no column public.accounts.emial in the declared schema; the nearest: email"
        ]
    );
    assert_eq!(
        problems("[tables]\n\"logs\" = \"jurnal\""),
        vec![
            "[tables] \"public.logs\" = \"jurnal\": there is no table public.jurnal in the declared schema; the nearest: public.journal"
        ]
    );
}

#[test]
fn a_typo_in_a_source_is_an_error_with_the_nearest_names() {
    assert_eq!(
        problems("[columns]\n\"users.mial\" = \"email\"\n[tables]\n\"users\" = \"accounts\""),
        vec![
            "[columns] \"public.users.mial\" = \"email\": there is no column public.users.mial in the current schema; the nearest: mail, id"
        ]
    );
    assert_eq!(
        problems("[enum_values]\n\"mood.sda\" = \"blue\"\n[enums]\n\"mood\" = \"feeling\""),
        vec![
            "[enum_values] \"public.mood.sda\" = \"blue\": there is no value sda in public.mood in the current schema; the nearest: sad"
        ]
    );
    assert_eq!(
        problems("[indexes]\n\"users_mial_idx\" = \"accounts_email_idx\""),
        vec![
            "[indexes] \"public.users_mial_idx\" = \"accounts_email_idx\": there is no index public.users_mial_idx in the current schema; the nearest: public.users_mail_idx"
        ]
    );
    assert_eq!(
        problems("[columns]\n\"usrs.mail\" = \"email\""),
        vec![
            "[columns] \"public.usrs.mail\" = \"email\": there is no table public.usrs in the current schema; the nearest: public.users"
        ]
    );
}

#[test]
fn hints_that_rename_in_a_circle_are_an_error() {
    let found = problems("[columns]\n\"users.mail\" = \"name\"\n\"users.name\" = \"mail\"");
    assert!(
        found.iter().any(|problem| problem.starts_with(
            "[columns] hints rename in a circle (\"public.users.mail\" → \"public.users.name\" → \"public.users.mail\")"
        )),
        "{found:?}"
    );
}

#[test]
fn a_hint_onto_a_name_already_taken_is_an_error() {
    assert_eq!(
        problems("[columns]\n\"users.mail\" = \"name\""),
        vec!["[columns] \"public.users.mail\" = \"name\": the current schema has both public.users.mail and public.users.name: there is nothing to rename to"]
    );
}

#[test]
fn a_sequence_hint_is_checked_like_the_others() {
    assert_eq!(
        problems("[sequences]\n\"order_number\" = \"invoice_numbers\"\n"),
        [
            r#"[sequences] "public.order_number" = "invoice_numbers": there is no sequence public.order_number in the current schema; the nearest: public.order_numbers"#
        ]
    );
    assert_eq!(
        problems("[sequences]\n\"order_numbers\" = \"invoice_number\"\n"),
        [
            r#"[sequences] "public.order_numbers" = "invoice_number": there is no sequence public.invoice_number in the declared schema; the nearest: public.invoice_numbers"#
        ]
    );
}

#[test]
fn a_collation_hint_is_checked_like_the_others() {
    let current = clean_schema(
        "CREATE COLLATION bytewise (provider = libc, locale = 'C');
CREATE TABLE words (w text COLLATE bytewise);",
    );
    let declared = clean_schema(
        "CREATE COLLATION byte_order (provider = libc, locale = 'C');
CREATE TABLE words (w text COLLATE byte_order);",
    );
    let check = |toml: &str| hints(toml).check(&current, &declared).err().unwrap_or_default();
    assert_eq!(check("[collations]\n\"bytewise\" = \"byte_order\"\n"), Vec::<String>::new());
    assert_eq!(
        check("[collations]\n\"bytwise\" = \"byte_order\"\n"),
        [
            r#"[collations] "public.bytwise" = "byte_order": there is no collation public.bytwise in the current schema; the nearest: public.bytewise"#
        ]
    );
    assert_eq!(
        check("[collations]\n\"bytewise\" = \"byte_ordr\"\n"),
        [
            r#"[collations] "public.bytewise" = "byte_ordr": there is no collation public.byte_ordr in the declared schema; the nearest: public.byte_order"#
        ]
    );
}

#[test]
fn a_function_hint_is_checked_like_the_others() {
    let current = clean_schema(
        "CREATE FUNCTION calc_total(a numeric) RETURNS numeric LANGUAGE sql AS 'SELECT a';
CREATE FUNCTION calc_total(a integer) RETURNS integer LANGUAGE sql AS 'SELECT a';",
    );
    let declared = clean_schema(
        "CREATE FUNCTION total(a numeric) RETURNS numeric LANGUAGE sql AS 'SELECT a';
CREATE FUNCTION total(a integer) RETURNS integer LANGUAGE sql AS 'SELECT a';",
    );
    let check = |toml: &str| hints(toml).check(&current, &declared).err().unwrap_or_default();
    assert_eq!(check("[functions]\n\"calc_total\" = \"total\"\n"), Vec::<String>::new());
    assert_eq!(
        check("[functions]\n\"calc_totl\" = \"total\"\n"),
        [
            r#"[functions] "public.calc_totl" = "total": there is no function public.calc_totl in the current schema; the nearest: public.calc_total"#
        ]
    );
    assert_eq!(
        check("[functions]\n\"calc_total\" = \"totl\"\n"),
        [
            r#"[functions] "public.calc_total" = "totl": there is no function public.totl in the declared schema; the nearest: public.total"#
        ]
    );
    // Every overload is renamed.
    let plan = autogen_diff::diff(
        &current,
        &declared,
        &hints("[functions]\n\"calc_total\" = \"total\"\n"),
    );
    let described: Vec<String> = plan.steps.iter().map(|step| step.operation.describe()).collect();
    assert_eq!(
        described,
        [
            "rename function public.calc_total(integer) to total",
            "rename function public.calc_total(numeric) to total"
        ]
    );
}

#[test]
fn a_view_hint_is_checked_like_the_others() {
    let current = clean_schema(
        "CREATE TABLE users (id int PRIMARY KEY, active boolean);
CREATE VIEW active_users AS SELECT id FROM users WHERE active;
CREATE MATERIALIZED VIEW user_ids AS SELECT id FROM users;",
    );
    let declared = clean_schema(
        "CREATE TABLE users (id int PRIMARY KEY, active boolean);
CREATE VIEW current_users AS SELECT id FROM users WHERE active;
CREATE MATERIALIZED VIEW all_user_ids AS SELECT id FROM users;",
    );
    let check = |toml: &str| hints(toml).check(&current, &declared).err().unwrap_or_default();
    assert_eq!(
        check("[views]\n\"active_users\" = \"current_users\"\n\"user_ids\" = \"all_user_ids\"\n"),
        Vec::<String>::new()
    );
    assert_eq!(
        check("[views]\n\"activ_users\" = \"current_users\"\n"),
        [
            r#"[views] "public.activ_users" = "current_users": there is no view public.activ_users in the current schema; the nearest: public.active_users"#
        ]
    );
    assert_eq!(
        check("[views]\n\"user_ids\" = \"all_users_ids\"\n"),
        [
            r#"[views] "public.user_ids" = "all_users_ids": there is no view public.all_users_ids in the declared schema; the nearest: public.all_user_ids"#
        ]
    );
}

const TYPES_CURRENT: &str = "CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TYPE address AS (street text, zip text);
CREATE DOMAIN amount AS integer CHECK (VALUE > 0);
CREATE TABLE orders (id int PRIMARY KEY, total amount, sent_to address);";

const TYPES_DECLARED: &str = "CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TYPE postal_address AS (street text, postcode text);
CREATE DOMAIN positive_amount AS integer CHECK (VALUE > 0);
CREATE TABLE orders (id int PRIMARY KEY, total positive_amount, sent_to postal_address);";

fn type_problems(toml: &str) -> Vec<String> {
    hints(toml)
        .check(&clean_schema(TYPES_CURRENT), &clean_schema(TYPES_DECLARED))
        .err()
        .unwrap_or_default()
}

#[test]
fn composite_attribute_and_domain_hints_that_name_what_is_there_pass() {
    // The attribute is named by its type's old name.
    let all = r#"
[composites]
"address" = "postal_address"
[attributes]
"address.zip" = "postcode"
[domains]
"public.amount" = "positive_amount"
"#;
    assert_eq!(type_problems(all), Vec::<String>::new());
    let after = clean_schema(TYPES_DECLARED);
    assert_eq!(hints(all).check(&after, &after), Ok(()));
}

#[test]
fn a_typo_in_a_type_hint_is_an_error_with_the_nearest_names() {
    assert_eq!(
        type_problems("[domains]\n\"amuont\" = \"positive_amount\""),
        [
            r#"[domains] "public.amuont" = "positive_amount": there is no domain public.amuont in the current schema; the nearest: public.amount"#
        ]
    );
    assert_eq!(
        type_problems("[composites]\n\"address\" = \"postal_adress\""),
        [
            r#"[composites] "public.address" = "postal_adress": there is no composite type public.postal_adress in the declared schema; the nearest: public.postal_address"#
        ]
    );
    assert_eq!(
        type_problems(
            "[composites]\n\"address\" = \"postal_address\"\n[attributes]\n\"address.zpi\" = \"postcode\""
        ),
        [
            r#"[attributes] "public.address.zpi" = "postcode": there is no attribute public.address.zpi in the current schema; the nearest: zip"#
        ]
    );
    // Named by the type's new name: there is no such type yet.
    assert_eq!(
        type_problems(
            "[composites]\n\"address\" = \"postal_address\"\n[attributes]\n\"postal_address.zip\" = \"postcode\""
        ),
        [
            r#"[attributes] "public.postal_address.zip" = "postcode": there is no composite type public.postal_address in the current schema; the nearest: public.address"#
        ]
    );
}

#[test]
fn a_type_hint_under_another_kind_s_section_says_where_it_goes() {
    assert_eq!(
        type_problems("[domains]\n\"address\" = \"postal_address\""),
        [
            r#"[domains] "public.address" = "postal_address": public.address is a composite type: its hint goes under [composites]"#
        ]
    );
    assert_eq!(
        type_problems("[composites]\n\"mood\" = \"feeling\""),
        [
            r#"[composites] "public.mood" = "feeling": public.mood is an enum type: its hint goes under [enums]"#
        ]
    );
    assert_eq!(
        type_problems("[enums]\n\"amount\" = \"positive_amount\""),
        [
            r#"[enums] "public.amount" = "positive_amount": public.amount is a domain: its hint goes under [domains]"#
        ]
    );
}

#[test]
fn a_type_hint_onto_the_name_of_another_type_is_an_error() {
    // Enums, composite types and domains share one namespace.
    assert_eq!(
        type_problems("[domains]\n\"amount\" = \"mood\""),
        [
            r#"[domains] "public.amount" = "mood": the current schema has an enum type public.mood: there is nothing to rename to"#
        ]
    );
}

#[test]
fn type_hints_that_rename_in_a_circle_are_an_error() {
    let found = type_problems("[domains]\n\"amount\" = \"sum\"\n\"sum\" = \"amount\"");
    assert!(
        found.iter().any(|problem| problem.starts_with(
            "[domains] hints rename in a circle (\"public.amount\" → \"public.sum\" → \"public.amount\")"
        )),
        "{found:?}"
    );
}
