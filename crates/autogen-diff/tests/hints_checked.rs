//! Rename hints are checked against both schemas: a source that is not in
//! the current schema, a target that is not in the declared one, and hints
//! that rename in a circle are errors naming the hint and the nearest names
//! that exist; a hint an earlier migration already carried out is fine.

use autogen_diff::Hints;
use autogen_schema::Schema;

fn schema(sql: &str) -> Schema {
    let parsed = autogen_sql::parse(&[autogen_sql::Source {
        name: "schema.sql".to_owned(),
        text: sql.to_owned(),
    }]);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    parsed.schema
}

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
    hints(toml).check(&schema(CURRENT), &schema(DECLARED)).err().unwrap_or_default()
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
    let after = schema(DECLARED);
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
