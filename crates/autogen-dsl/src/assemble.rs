//! Declarations → schema. The models are written out as the SQL a person
//! would write for them (`CREATE TYPE`, `CREATE DOMAIN`, `CREATE TABLE`,
//! `ALTER TABLE … ADD FOREIGN KEY`, `CREATE INDEX`, `COMMENT ON`) and read
//! by autogen-sql, so
//! a model and the same table in SQL give the same schema by construction:
//! one reading of types, defaults, checks and PostgreSQL's names for
//! unnamed constraints and indexes. What the SQL reader reports is traced
//! back to the model line that wrote it.

use std::fmt;

use autogen_diff::Hints;
use autogen_schema::{quote_ident, quote_literal, QualifiedName, Schema};

use crate::def::{
    CompositeDef, Declarations, DomainDef, EnumDef, FieldDef, IdentityDef, ModelDef, Place,
    RustType,
};
use crate::names;
use crate::types;

/// A mistake in the declarations: what, and where when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file the declaration came from, when read from one.
    pub file: Option<String>,
    pub place: Option<Place>,
    pub message: String,
}

impl fmt::Display for Problem {
    /// `file:line:col: error: message`, as compilers print it.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.place) {
            (Some(file), Some(place)) => {
                write!(formatter, "{file}:{}:{}: error: {}", place.line, place.column, self.message)
            }
            (Some(file), None) => write!(formatter, "{file}: error: {}", self.message),
            (None, _) => write!(formatter, "error: {}", self.message),
        }
    }
}

impl Problem {
    /// The problem as rustc shows an error: the message, then where, then
    /// the line of `source` (the file's text) with a caret under the column.
    pub fn render(&self, source: Option<&str>) -> String {
        let mut text = format!("error: {}\n", self.message);
        let (Some(file), Some(place)) = (&self.file, self.place) else {
            if let Some(file) = &self.file {
                text.push_str(&format!(" --> {file}\n"));
            }
            return text;
        };
        let number = place.line.to_string();
        let gutter = " ".repeat(number.len());
        text.push_str(&format!("{gutter}--> {file}:{}:{}\n", place.line, place.column));
        let line = source.and_then(|source| {
            source.lines().nth(usize::try_from(place.line).ok()?.checked_sub(1)?)
        });
        if let Some(line) = line {
            let indent: String = line
                .chars()
                .take(usize::try_from(place.column).unwrap_or(1).saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            text.push_str(&format!("{gutter} |\n{number} | {line}\n{gutter} | {indent}^\n"));
        }
        text
    }
}

/// What assembling gives: the schema, the renames, and the SQL it was
/// read from (for `autogen inspect` and for messages).
#[derive(Debug, Clone)]
pub struct Assembled {
    pub schema: Schema,
    /// The renames the declarations name (`renamed_from`), as the diff's
    /// hints.
    pub renames: Hints,
    pub sql: String,
}

/// Declarations whose models came from `file` (for messages).
#[derive(Debug, Clone, Copy)]
struct Origin<'a> {
    file: Option<&'a str>,
    place: Option<Place>,
}

/// The SQL being written, each line with the declaration it came from.
#[derive(Default)]
struct Script<'a> {
    lines: Vec<(String, Origin<'a>)>,
}

impl<'a> Script<'a> {
    fn line(&mut self, text: String, origin: Origin<'a>) {
        self.lines.push((text, origin));
    }

    fn text(&self) -> String {
        let mut text = String::new();
        for (line, _) in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        text
    }
}

/// The schema the declarations describe, or every mistake found in them.
pub fn assemble(declarations: &Declarations) -> Result<Assembled, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut script = Script::default();
    let mut renames = Hints::default();

    let enums: Vec<(&EnumDef, QualifiedName)> =
        declarations.enums.iter().map(|item| (item, names::enum_name(item))).collect();
    let domains: Vec<(&DomainDef, QualifiedName)> =
        declarations.domains.iter().map(|item| (item, names::domain_name(item))).collect();
    let composites: Vec<(&CompositeDef, QualifiedName)> =
        declarations.composites.iter().map(|item| (item, names::composite_name(item))).collect();
    let tables: Vec<(&ModelDef, QualifiedName)> =
        declarations.models.iter().map(|model| (model, names::table_name(model))).collect();
    let user_types: Vec<UserType<'_>> = domains
        .iter()
        .map(|(item, name)| UserType::Domain(item, name))
        .chain(composites.iter().map(|(item, name)| UserType::Composite(item, name)))
        .collect();
    duplicates(&enums, &user_types, &tables, &mut problems);

    // pgvector's types need the extension.
    let vector = |rust_type: &RustType, sql_type: Option<&str>| {
        types::type_of("", rust_type, sql_type, None, &[])
            .is_ok_and(|(sql, _)| types::is_vector(&sql))
    };
    let uses_vector = declarations.models.iter().any(|model| {
        model.fields.iter().any(|field| {
            types::column_type(field, &[]).is_ok_and(|(sql, _)| types::is_vector(&sql))
        })
    }) || declarations
        .domains
        .iter()
        .any(|item| vector(&item.rust_type, item.sql_type.as_deref()))
        || declarations.composites.iter().any(|item| {
            item.attributes
                .iter()
                .any(|attribute| vector(&attribute.rust_type, attribute.sql_type.as_deref()))
        });
    let none = Origin { file: None, place: None };
    if uses_vector {
        script.line("CREATE EXTENSION IF NOT EXISTS vector;".to_owned(), none);
    }
    let mut schemas: Vec<&str> = enums
        .iter()
        .map(|(_, name)| name.schema.as_str())
        .chain(user_types.iter().map(|declared| declared.name().schema.as_str()))
        .chain(tables.iter().map(|(_, name)| name.schema.as_str()))
        .filter(|schema| *schema != "public")
        .collect();
    schemas.sort();
    schemas.dedup();
    for schema in schemas {
        script.line(format!("CREATE SCHEMA IF NOT EXISTS {};", quote_ident(schema)), none);
    }

    for (item, name) in &enums {
        let origin = Origin { file: item.file.as_deref(), place: item.place };
        let mut labels = Vec::new();
        for variant in &item.variants {
            let label = names::label(item, variant);
            if let Some(old) = &variant.renamed_from {
                renames.enum_values.push((enum_before(item, name), old.clone(), label.clone()));
            }
            labels.push(quote_literal(&label));
        }
        if let Some(old) = &item.renamed_from {
            renames.enums.push((QualifiedName::new(&name.schema, old), name.name.clone()));
        }
        script.line(
            format!("CREATE TYPE {} AS ENUM ({});", qualified(name), labels.join(", ")),
            origin,
        );
    }

    for (item, name) in &domains {
        if let Some(old) = &item.renamed_from {
            renames.domains.push((QualifiedName::new(&name.schema, old), name.name.clone()));
        }
    }
    for (item, name) in &composites {
        let before = match &item.renamed_from {
            Some(old) => {
                let before = QualifiedName::new(&name.schema, old);
                renames.composites.push((before.clone(), name.name.clone()));
                before
            }
            None => name.clone(),
        };
        for attribute in &item.attributes {
            if let Some(old) = &attribute.renamed_from {
                let new = names::attribute_name(attribute);
                renames.attributes.push((before.clone(), old.clone(), new));
            }
        }
    }

    // What a field's Rust type may name: the declared types.
    let named_types: Vec<(String, String)> = enums
        .iter()
        .map(|(item, name)| (item.rust_name.clone(), qualified(name)))
        .chain(
            user_types
                .iter()
                .map(|declared| (declared.rust_name().to_owned(), qualified(declared.name()))),
        )
        .collect();
    for declared in in_dependency_order(&user_types, &mut problems) {
        match declared {
            UserType::Domain(item, name) => {
                domain(item, name, &named_types, &mut script, &mut problems)
            }
            UserType::Composite(item, name) => {
                composite(item, name, &named_types, &mut script, &mut problems)
            }
        }
    }

    let mut after_tables = Script::default();
    for (model, name) in &tables {
        let file = model.file.as_deref();
        table(
            model,
            name,
            file,
            &named_types,
            &tables,
            &mut script,
            &mut after_tables,
            &mut renames,
            &mut problems,
        );
    }
    script.lines.append(&mut after_tables.lines);

    if !problems.is_empty() {
        return Err(problems);
    }
    let sql = script.text();
    let parsed = autogen_sql::parse(&[autogen_sql::Source {
        name: "<models>".to_owned(),
        text: sql.clone(),
    }]);
    // The first error only: later ones are mostly about what it left out.
    let first = parsed.diagnostics.into_iter().find(|d| d.severity == autogen_sql::Severity::Error);
    if let Some(diagnostic) = first {
        let line = usize::try_from(diagnostic.location.line).unwrap_or(0);
        let origin = script.lines.get(line.wrapping_sub(1)).map_or(none, |(_, origin)| *origin);
        problems.push(Problem {
            file: origin.file.map(str::to_owned),
            place: origin.place,
            message: diagnostic.message,
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Assembled { schema: parsed.schema, renames, sql })
}

/// The enum's name before a rename, for value renames given with it.
fn enum_before(item: &EnumDef, name: &QualifiedName) -> QualifiedName {
    match &item.renamed_from {
        Some(old) => QualifiedName::new(&name.schema, old),
        None => name.clone(),
    }
}

/// ` INCLUDE (a, b) WITH (k = v)` of an index or exclusion constraint
/// (each left out when empty).
fn include_and_with(include: &[String], with: &[(String, String)]) -> String {
    let mut sql = String::new();
    if !include.is_empty() {
        let listed: Vec<String> = include.iter().map(|column| quote_ident(column)).collect();
        sql.push_str(&format!(" INCLUDE ({})", listed.join(", ")));
    }
    if !with.is_empty() {
        let listed: Vec<String> =
            with.iter().map(|(key, value)| format!("{key} = {value}")).collect();
        sql.push_str(&format!(" WITH ({})", listed.join(", ")));
    }
    sql
}

fn qualified(name: &QualifiedName) -> String {
    format!("{}.{}", quote_ident(&name.schema), quote_ident(&name.name))
}

/// A domain or a composite type, which may hold one another.
#[derive(Clone, Copy)]
enum UserType<'a> {
    Domain(&'a DomainDef, &'a QualifiedName),
    Composite(&'a CompositeDef, &'a QualifiedName),
}

impl<'a> UserType<'a> {
    fn rust_name(&self) -> &'a str {
        match self {
            UserType::Domain(item, _) => &item.rust_name,
            UserType::Composite(item, _) => &item.rust_name,
        }
    }

    fn name(&self) -> &'a QualifiedName {
        match self {
            UserType::Domain(_, name) | UserType::Composite(_, name) => name,
        }
    }

    fn origin(&self) -> (Option<&'a String>, Option<Place>) {
        match self {
            UserType::Domain(item, _) => (item.file.as_ref(), item.place),
            UserType::Composite(item, _) => (item.file.as_ref(), item.place),
        }
    }

    /// The types it is made of: each a Rust type, or the `sql_type` that
    /// says it instead.
    fn parts(&self) -> Vec<(&'a RustType, Option<&'a str>)> {
        match self {
            UserType::Domain(item, _) => vec![(&item.rust_type, item.sql_type.as_deref())],
            UserType::Composite(item, _) => item
                .attributes
                .iter()
                .map(|attribute| (&attribute.rust_type, attribute.sql_type.as_deref()))
                .collect(),
        }
    }

    /// Whether one of its parts is `other` (or an array of it), by Rust
    /// name or by the SQL name a `sql_type` gives.
    fn holds(&self, other: &UserType<'_>) -> bool {
        self.parts().into_iter().any(|(rust_type, sql_type)| match sql_type {
            Some(sql_type) => {
                let base = sql_type.trim().trim_end_matches("[]").trim();
                let name = other.name();
                (name.schema == names::DEFAULT_SCHEMA && base == name.name)
                    || base == format!("{}.{}", name.schema, name.name)
            }
            None => named_in(rust_type) == Some(other.rust_name()),
        })
    }
}

/// The name a Rust type is known by, under `Option` and `Vec`.
fn named_in(rust_type: &RustType) -> Option<&str> {
    match rust_type {
        RustType::Option(inner) | RustType::Vec(inner) => named_in(inner),
        RustType::Path { name, .. } => Some(name),
        RustType::Other(_) => None,
    }
}

/// Domains and composite types, each after the ones it holds (in the order
/// declared otherwise); a type that holds itself, directly or not, is a
/// problem.
fn in_dependency_order<'a>(
    user_types: &[UserType<'a>],
    problems: &mut Vec<Problem>,
) -> Vec<UserType<'a>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Visit {
        Not,
        Under,
        Done,
    }
    fn visit<'a>(
        index: usize,
        user_types: &[UserType<'a>],
        visits: &mut [Visit],
        ordered: &mut Vec<UserType<'a>>,
        problems: &mut Vec<Problem>,
    ) {
        visits[index] = Visit::Under;
        let declared = user_types[index];
        for (part, held) in user_types.iter().enumerate() {
            if !declared.holds(held) {
                continue;
            }
            match visits[part] {
                Visit::Done => {}
                Visit::Not => visit(part, user_types, visits, ordered, problems),
                Visit::Under => {
                    let (file, place) = declared.origin();
                    let message = if part == index {
                        format!("`{}` holds itself: a type cannot contain itself", held.rust_name())
                    } else {
                        format!(
                            "`{}` holds `{}`, which holds it back: a type cannot contain itself",
                            declared.rust_name(),
                            held.rust_name()
                        )
                    };
                    problems.push(Problem { file: file.cloned(), place, message });
                }
            }
        }
        visits[index] = Visit::Done;
        ordered.push(declared);
    }
    let mut visits = vec![Visit::Not; user_types.len()];
    let mut ordered = Vec::new();
    for index in 0..user_types.len() {
        if visits[index] == Visit::Not {
            visit(index, user_types, &mut visits, &mut ordered, problems);
        }
    }
    ordered
}

/// `CREATE DOMAIN` for a newtype, and its comment.
fn domain<'a>(
    item: &'a DomainDef,
    name: &QualifiedName,
    named_types: &[(String, String)],
    script: &mut Script<'a>,
    problems: &mut Vec<Problem>,
) {
    let origin =
        |place: Option<Place>| Origin { file: item.file.as_deref(), place: place.or(item.place) };
    let base = match types::type_of(
        &item.rust_name,
        &item.rust_type,
        item.sql_type.as_deref(),
        None,
        named_types,
    ) {
        Ok((base, _)) => base,
        Err(message) => {
            problems.push(Problem { file: item.file.clone(), place: item.place, message });
            return;
        }
    };
    let mut text = format!("CREATE DOMAIN {} AS {base}", qualified(name));
    if let Some(collation) = &item.collation {
        text.push_str(&format!(" COLLATE {}", quote_ident(collation)));
    }
    if let Some(default) = &item.default {
        text.push_str(&format!(" DEFAULT ({default})"));
    }
    if item.not_null {
        text.push_str(" NOT NULL");
    }
    script.line(format!("{text};"), origin(None));
    // Each check a statement of its own, so that what the SQL reader says
    // about it points at the attribute (an unnamed one is named as in
    // `CREATE DOMAIN`: `<domain>_check`, numbered past the others).
    for check in &item.checks {
        script.line(
            format!(
                "ALTER DOMAIN {} ADD {}CHECK ({});",
                qualified(name),
                constraint_name(check.name.as_deref()),
                check.expression
            ),
            origin(check.place),
        );
    }
    if let Some(comment) = &item.comment {
        script.line(
            format!("COMMENT ON DOMAIN {} IS {};", qualified(name), quote_literal(comment)),
            origin(None),
        );
    }
}

/// `CREATE TYPE … AS (…)` for a composite struct, and its comment.
fn composite<'a>(
    item: &'a CompositeDef,
    name: &QualifiedName,
    named_types: &[(String, String)],
    script: &mut Script<'a>,
    problems: &mut Vec<Problem>,
) {
    let origin =
        |place: Option<Place>| Origin { file: item.file.as_deref(), place: place.or(item.place) };
    let mut attributes = Vec::new();
    for attribute in &item.attributes {
        let sql_type = match types::type_of(
            &attribute.rust_name,
            &attribute.rust_type,
            attribute.sql_type.as_deref(),
            None,
            named_types,
        ) {
            Ok((sql_type, _)) => sql_type,
            Err(message) => {
                problems.push(Problem {
                    file: item.file.clone(),
                    place: attribute.place.or(item.place),
                    message,
                });
                continue;
            }
        };
        let mut text = format!("{} {sql_type}", quote_ident(&names::attribute_name(attribute)));
        if let Some(collation) = &attribute.collation {
            text.push_str(&format!(" COLLATE {}", quote_ident(collation)));
        }
        attributes.push((text, attribute.place));
    }
    if attributes.is_empty() {
        script.line(format!("CREATE TYPE {} AS ();", qualified(name)), origin(None));
    } else {
        script.line(format!("CREATE TYPE {} AS (", qualified(name)), origin(None));
        let count = attributes.len();
        for (index, (text, place)) in attributes.into_iter().enumerate() {
            let comma = if index + 1 < count { "," } else { "" };
            script.line(format!("    {text}{comma}"), origin(place));
        }
        script.line(");".to_owned(), origin(None));
    }
    if let Some(comment) = &item.comment {
        script.line(
            format!("COMMENT ON TYPE {} IS {};", qualified(name), quote_literal(comment)),
            origin(None),
        );
    }
}

/// Two models for one table, two declarations for one type, or a type
/// named as a table (whose row is a type of that name too).
fn duplicates(
    enums: &[(&EnumDef, QualifiedName)],
    user_types: &[UserType<'_>],
    tables: &[(&ModelDef, QualifiedName)],
    problems: &mut Vec<Problem>,
) {
    for (index, (model, name)) in tables.iter().enumerate() {
        if let Some((other, _)) = tables[..index].iter().find(|(_, other)| other == name) {
            problems.push(Problem {
                file: model.file.clone(),
                place: model.place,
                message: format!(
                    "`{}` and `{}` are both the table {name}; give one another name with #[autogen(table = \"…\")]",
                    other.rust_name, model.rust_name
                ),
            });
        }
    }
    // (Rust name, type, file, place) of every declared type.
    let declared: Vec<(&str, &QualifiedName, Option<&String>, Option<Place>)> = enums
        .iter()
        .map(|(item, name)| (item.rust_name.as_str(), name, item.file.as_ref(), item.place))
        .chain(user_types.iter().map(|declared| {
            let (file, place) = declared.origin();
            (declared.rust_name(), declared.name(), file, place)
        }))
        .collect();
    for (index, (rust_name, name, file, place)) in declared.iter().enumerate() {
        let message = if let Some((other, ..)) =
            declared[..index].iter().find(|(_, other, ..)| other == name)
        {
            format!(
                "`{other}` and `{rust_name}` are both the type {name}; give one another name with #[autogen(name = \"…\")]"
            )
        } else if let Some((model, _)) = tables.iter().find(|(_, table)| table == *name) {
            format!(
                "`{rust_name}` is the type {name}, and so is the table of `{}` (a table's row is a type); give one another name with #[autogen(name = \"…\")]",
                model.rust_name
            )
        } else {
            continue;
        };
        problems.push(Problem { file: (*file).cloned(), place: *place, message });
    }
}

/// Writes one model's table: its `CREATE TABLE` into `script`; its foreign
/// keys, indexes and comments into `after` (once every table exists).
#[allow(clippy::too_many_arguments)]
fn table<'a>(
    model: &'a ModelDef,
    name: &QualifiedName,
    file: Option<&'a str>,
    named_types: &[(String, String)],
    tables: &[(&ModelDef, QualifiedName)],
    script: &mut Script<'a>,
    after: &mut Script<'a>,
    renames: &mut Hints,
    problems: &mut Vec<Problem>,
) {
    let at = |place: Option<Place>| Origin { file, place: place.or(model.place) };
    let problem = |place: Option<Place>, message: String| Problem {
        file: file.map(str::to_owned),
        place: place.or(model.place),
        message,
    };
    let table_sql = qualified(name);
    let before = match &model.renamed_from {
        Some(old) => {
            renames.tables.push((QualifiedName::new(&name.schema, old), name.name.clone()));
            QualifiedName::new(&name.schema, old)
        }
        None => name.clone(),
    };
    let columns: Vec<&FieldDef> = model.fields.iter().collect();
    let column_names: Vec<String> = columns.iter().map(|field| names::column_name(field)).collect();
    let known = |column: &str| column_names.iter().any(|name| name == column);
    let unknown = |place: Option<Place>, column: &str, what: &str| {
        (!known(column)).then(|| {
            problem(
                place,
                format!(
                    "{what} names the column `{column}`, which `{}` does not have (its columns: {})",
                    model.rust_name,
                    column_names.join(", ")
                ),
            )
        })
    };

    script.line(format!("CREATE TABLE {table_sql} ("), at(model.place));
    let mut parts: Vec<(String, Option<Place>)> = Vec::new();
    let mut primary_key: Vec<String> = model.primary_key.clone();
    for column in &model.primary_key {
        problems.extend(unknown(model.place, column, "primary_key"));
    }
    for (field, column) in columns.iter().zip(&column_names) {
        let (sql_type, nullable) = match types::column_type(field, named_types) {
            Ok(found) => found,
            Err(message) => {
                problems.push(problem(field.place, message));
                continue;
            }
        };
        if field.primary_key {
            if !model.primary_key.is_empty() {
                problems.push(problem(
                    field.place,
                    format!(
                        "`{}` is marked primary_key, and the struct names its primary key too; keep one",
                        field.rust_name
                    ),
                ));
            }
            primary_key.push(column.clone());
        }
        let mut text = format!("{} {sql_type}", quote_ident(column));
        if let Some(collation) = &field.collation {
            text.push_str(&format!(" COLLATE {}", quote_ident(collation)));
        }
        match field.identity {
            Some(IdentityDef::Always) => text.push_str(" GENERATED ALWAYS AS IDENTITY"),
            Some(IdentityDef::ByDefault) => text.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
            None => {}
        }
        if !nullable {
            text.push_str(" NOT NULL");
        }
        if let Some(default) = &field.default {
            // In parentheses: a column default takes PostgreSQL's
            // restricted grammar (no AND, IS, IN or COLLATE at its top),
            // and a model's default is any expression.
            text.push_str(&format!(" DEFAULT ({default})"));
        }
        if let Some(generated) = &field.generated {
            text.push_str(&format!(" GENERATED ALWAYS AS ({generated}) STORED"));
        }
        if field.unique {
            text.push_str(" UNIQUE");
        }
        if let Some(check) = &field.check {
            text.push_str(&format!(" CHECK ({check})"));
        }
        parts.push((text, field.place));
        if let Some(old) = &field.renamed_from {
            renames.columns.push((before.clone(), old.clone(), column.clone()));
        }
        if let Some(reference) = &field.references {
            match resolve_reference(reference, name, tables) {
                Ok((target, target_columns)) => {
                    let mut sql = format!(
                        "ALTER TABLE {table_sql} ADD FOREIGN KEY ({}) REFERENCES {target} ({})",
                        quote_ident(column),
                        target_columns.join(", ")
                    );
                    push_actions(
                        &mut sql,
                        field.on_delete.as_deref(),
                        field.on_update.as_deref(),
                        false,
                    );
                    after.line(format!("{sql};"), at(field.place));
                }
                Err(message) => problems.push(problem(field.place, message)),
            }
        } else if field.on_delete.is_some() || field.on_update.is_some() {
            problems.push(problem(
                field.place,
                format!("`{}` has on_delete/on_update but no references", field.rust_name),
            ));
        }
        if field.index {
            after.line(
                format!("CREATE INDEX ON {table_sql} ({});", quote_ident(column)),
                at(field.place),
            );
        }
        if let Some(comment) = &field.comment {
            after.line(
                format!(
                    "COMMENT ON COLUMN {table_sql}.{} IS {};",
                    quote_ident(column),
                    quote_literal(comment)
                ),
                at(field.place),
            );
        }
    }
    if !primary_key.is_empty() {
        let listed: Vec<String> = primary_key.iter().map(|column| quote_ident(column)).collect();
        parts.push((format!("PRIMARY KEY ({})", listed.join(", ")), model.place));
    }
    for unique in &model.uniques {
        for column in &unique.columns {
            problems.extend(unknown(unique.place, column, "unique"));
        }
        let listed: Vec<String> = unique.columns.iter().map(|column| quote_ident(column)).collect();
        let nulls = if unique.nulls_not_distinct { " NULLS NOT DISTINCT" } else { "" };
        parts.push((
            format!(
                "{}UNIQUE{nulls} ({})",
                constraint_name(unique.name.as_deref()),
                listed.join(", ")
            ),
            unique.place,
        ));
    }
    for check in &model.checks {
        parts.push((
            format!("{}CHECK ({})", constraint_name(check.name.as_deref()), check.expression),
            check.place,
        ));
    }
    for exclusion in &model.exclusions {
        for column in &exclusion.include {
            problems.extend(unknown(exclusion.place, column, "exclude"));
        }
        let mut sql = format!("{}EXCLUDE", constraint_name(exclusion.name.as_deref()));
        if let Some(method) = &exclusion.method {
            sql.push_str(&format!(" USING {}", quote_ident(method)));
        }
        sql.push_str(&format!(" ({})", exclusion.elements));
        sql.push_str(&include_and_with(&exclusion.include, &exclusion.with));
        if let Some(predicate) = &exclusion.predicate {
            sql.push_str(&format!(" WHERE ({predicate})"));
        }
        if exclusion.initially_deferred {
            sql.push_str(" DEFERRABLE INITIALLY DEFERRED");
        } else if exclusion.deferrable {
            sql.push_str(" DEFERRABLE");
        }
        // A statement of its own, so that what the SQL reader says about
        // it points at the attribute.
        after.line(format!("ALTER TABLE {table_sql} ADD {sql};"), at(exclusion.place));
    }
    let count = parts.len();
    for (index, (text, place)) in parts.into_iter().enumerate() {
        let comma = if index + 1 < count { "," } else { "" };
        script.line(format!("    {text}{comma}"), at(place));
    }
    script.line(");".to_owned(), at(model.place));

    for foreign_key in &model.foreign_keys {
        for column in &foreign_key.columns {
            problems.extend(unknown(foreign_key.place, column, "foreign_key"));
        }
        match resolve_reference(&foreign_key.references, name, tables) {
            Ok((target, target_columns)) => {
                if target_columns.len() != foreign_key.columns.len() {
                    problems.push(problem(
                        foreign_key.place,
                        format!(
                            "foreign_key has {} column(s) and references {} ({})",
                            foreign_key.columns.len(),
                            target_columns.len(),
                            foreign_key.references
                        ),
                    ));
                    continue;
                }
                let listed: Vec<String> =
                    foreign_key.columns.iter().map(|column| quote_ident(column)).collect();
                let mut sql = format!(
                    "ALTER TABLE {table_sql} ADD {}FOREIGN KEY ({}) REFERENCES {target} ({})",
                    constraint_name(foreign_key.name.as_deref()),
                    listed.join(", "),
                    target_columns.join(", ")
                );
                push_actions(
                    &mut sql,
                    foreign_key.on_delete.as_deref(),
                    foreign_key.on_update.as_deref(),
                    foreign_key.deferrable,
                );
                after.line(format!("{sql};"), at(foreign_key.place));
            }
            Err(message) => problems.push(problem(foreign_key.place, message)),
        }
    }
    for index in &model.indexes {
        for column in index.columns.iter().chain(&index.include) {
            problems.extend(unknown(index.place, column, "index"));
        }
        let keys = match (&index.keys, index.columns.is_empty()) {
            (Some(keys), true) => keys.clone(),
            (None, false) => index
                .columns
                .iter()
                .map(|column| match &index.opclass {
                    Some(opclass) => format!("{} {opclass}", quote_ident(column)),
                    None => quote_ident(column),
                })
                .collect::<Vec<_>>()
                .join(", "),
            _ => {
                problems.push(problem(
                    index.place,
                    "an index takes its keys from columns(…) or keys = \"…\", one of the two"
                        .to_owned(),
                ));
                continue;
            }
        };
        let mut sql = format!("CREATE {}INDEX", if index.unique { "UNIQUE " } else { "" });
        if let Some(index_name) = &index.name {
            sql.push_str(&format!(" {}", quote_ident(index_name)));
            if let Some(old) = &index.renamed_from {
                renames.indexes.push((QualifiedName::new(&name.schema, old), index_name.clone()));
            }
        }
        sql.push_str(&format!(" ON {table_sql}"));
        if let Some(method) = &index.method {
            sql.push_str(&format!(" USING {method}"));
        }
        sql.push_str(&format!(" ({keys})"));
        sql.push_str(&include_and_with(&index.include, &index.with));
        if let Some(predicate) = &index.predicate {
            sql.push_str(&format!(" WHERE {predicate}"));
        }
        after.line(format!("{sql};"), at(index.place));
    }
    if let Some(comment) = &model.comment {
        after.line(
            format!("COMMENT ON TABLE {table_sql} IS {};", quote_literal(comment)),
            at(model.place),
        );
    }
}

fn constraint_name(name: Option<&str>) -> String {
    name.map(|name| format!("CONSTRAINT {} ", quote_ident(name))).unwrap_or_default()
}

fn push_actions(
    sql: &mut String,
    on_delete: Option<&str>,
    on_update: Option<&str>,
    deferrable: bool,
) {
    if let Some(action) = on_delete {
        sql.push_str(&format!(" ON DELETE {}", names::action(action)));
    }
    if let Some(action) = on_update {
        sql.push_str(&format!(" ON UPDATE {}", names::action(action)));
    }
    if deferrable {
        sql.push_str(" DEFERRABLE");
    }
}

/// `users.id`, `app.users.id` or `orders(id, region)` → the referenced
/// table (quoted) and its columns (quoted), checked against the models.
fn resolve_reference(
    reference: &str,
    from: &QualifiedName,
    tables: &[(&ModelDef, QualifiedName)],
) -> Result<(String, Vec<String>), String> {
    let reference = reference.trim();
    let (table_part, columns): (&str, Vec<String>) = match reference.split_once('(') {
        Some((table, rest)) => {
            let inside = rest.strip_suffix(')').ok_or_else(|| {
                format!("references = \"{reference}\": expected `table(column, …)`")
            })?;
            (table.trim(), inside.split(',').map(|column| column.trim().to_owned()).collect())
        }
        None => match reference.rsplit_once('.') {
            Some((table, column)) => (table, vec![column.trim().to_owned()]),
            None => {
                return Err(format!(
                    "references = \"{reference}\": expected `table.column` (or `schema.table.column`, `table(a, b)`)"
                ))
            }
        },
    };
    let (schema, table) = match table_part.rsplit_once('.') {
        Some((schema, table)) => (Some(schema), table),
        None => (None, table_part),
    };
    let candidates: Vec<&(&ModelDef, QualifiedName)> = tables
        .iter()
        .filter(|(_, name)| name.name == table && schema.is_none_or(|schema| name.schema == schema))
        .collect();
    let found = match candidates.as_slice() {
        [one] => *one,
        [] => {
            let mut known: Vec<String> = tables.iter().map(|(_, name)| name.to_string()).collect();
            known.sort();
            return Err(format!(
                "references = \"{reference}\": no model has the table `{table_part}` (the models' tables: {})",
                known.join(", ")
            ));
        }
        several => match several.iter().find(|(_, name)| name.schema == from.schema) {
            Some(same_schema) => *same_schema,
            None => {
                return Err(format!(
                    "references = \"{reference}\": several models have a table `{table}`; name its schema (`schema.{table}.column`)"
                ))
            }
        },
    };
    let (model, name) = found;
    let model_columns: Vec<String> = model.fields.iter().map(names::column_name).collect();
    for column in &columns {
        if !model_columns.contains(column) {
            return Err(format!(
                "references = \"{reference}\": `{}` has no column `{column}` (its columns: {})",
                model.rust_name,
                model_columns.join(", ")
            ));
        }
    }
    Ok((qualified(name), columns.iter().map(|column| quote_ident(column)).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_render_as_rustc_shows_errors() {
        let problem = Problem {
            file: Some("src/models.rs".into()),
            place: Some(Place { line: 2, column: 15 }),
            message: "unknown field attribute `primary_kye`".into(),
        };
        let source = "pub struct User {\n    #[autogen(primary_kye)]\n}\n";
        assert_eq!(
            problem.render(Some(source)),
            "error: unknown field attribute `primary_kye`\n --> src/models.rs:2:15\n  |\n2 |     #[autogen(primary_kye)]\n  |               ^\n"
        );
        assert_eq!(
            problem.to_string(),
            "src/models.rs:2:15: error: unknown field attribute `primary_kye`"
        );
    }
}
