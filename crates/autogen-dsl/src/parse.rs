//! Rust source → declarations, with syn. [`model`], [`pg_enum`],
//! [`pg_domain`] and [`pg_composite`] read one derive input (what the
//! derive macros see); [`file`] finds every struct and enum that derives
//! `Model`, `PgEnum`, `PgDomain` or `PgComposite` in a source file, inline
//! modules included, without compiling it. Mistakes are `syn::Error`s on
//! the offending tokens: compile errors in the derive, `file:line:col`
//! messages in the CLI.

use proc_macro2::Span;
use syn::ext::IdentExt as _;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{Attribute, Data, DeriveInput, Fields, Lit, LitStr};

use crate::assemble::Problem;
use crate::def::{
    AttributeDef, CheckDef, CompositeDef, Declarations, DomainDef, EnumDef, ExclusionDef, FieldDef,
    ForeignKeyDef, IdentityDef, IndexDef, ModelDef, Place, RustType, UniqueDef, VariantDef,
};
use crate::names;
use crate::sqltext::{self, Kind};

const STRUCT_ATTRIBUTES: &str = "table, schema, comment, renamed_from, primary_key(…), unique(…), check, foreign_key(…), index(…), exclude(…)";
const FIELD_ATTRIBUTES: &str = "name, sql_type, dimension, primary_key, identity, unique, default, generated, check, references, on_delete, on_update, index, collation, renamed_from, comment, skip";
const ENUM_ATTRIBUTES: &str = "name, schema, rename_all, renamed_from";
const VARIANT_ATTRIBUTES: &str = "label, renamed_from";
const DOMAIN_ATTRIBUTES: &str =
    "name, schema, sql_type, default, not_null, collation, check, comment, renamed_from";
const COMPOSITE_ATTRIBUTES: &str = "name, schema, comment, renamed_from";
const COMPOSITE_FIELD_ATTRIBUTES: &str = "name, sql_type, collation, renamed_from";
/// What a struct may derive (an enum derives PgEnum).
const STRUCT_DERIVES: &[&str] = &["Model", "PgDomain", "PgComposite"];

/// Where a span starts, when the tokens came from a file.
fn place(span: Span) -> Option<Place> {
    let start = span.start();
    (start.line > 0).then(|| Place { line: start.line as u64, column: start.column as u64 + 1 })
}

/// Adds `error` to the errors found so far.
fn keep(errors: &mut Option<syn::Error>, error: syn::Error) {
    match errors {
        Some(existing) => existing.combine(error),
        None => *errors = Some(error),
    }
}

fn finish<T>(value: T, errors: Option<syn::Error>) -> syn::Result<T> {
    match errors {
        Some(error) => Err(error),
        None => Ok(value),
    }
}

/// The `#[autogen(…)]` attributes of an item.
fn ours(attributes: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attributes.iter().filter(|attribute| attribute.path().is_ident("autogen"))
}

/// The doc comment of an item, one line per `///` line.
fn doc(attributes: &[Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for attribute in attributes {
        if !attribute.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(value) = &attribute.meta {
            if let syn::Expr::Lit(syn::ExprLit { lit: Lit::Str(text), .. }) = &value.value {
                let text = text.value();
                lines.push(text.strip_prefix(' ').unwrap_or(&text).trim_end().to_owned());
            }
        }
    }
    let text = lines.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// A string value: `key = "…"` (numbers and booleans are taken as written).
fn text(meta: &ParseNestedMeta<'_>) -> syn::Result<String> {
    let literal: Lit = meta.value()?.parse()?;
    Ok(match literal {
        Lit::Str(text) => text.value(),
        Lit::Int(number) => number.base10_digits().to_owned(),
        Lit::Float(number) => number.base10_digits().to_owned(),
        Lit::Bool(flag) => flag.value.to_string(),
        other => return Err(syn::Error::new(other.span(), "expected a string")),
    })
}

/// SQL text of `kind`, checked.
fn sql(meta: &ParseNestedMeta<'_>, kind: Kind) -> syn::Result<String> {
    let value = meta.value()?;
    let literal: LitStr = value.parse()?;
    let text = literal.value();
    if text.trim().is_empty() {
        return Err(syn::Error::new(literal.span(), "expected SQL text, not an empty string"));
    }
    sqltext::check(kind, &text).map_err(|message| syn::Error::new(literal.span(), message))?;
    Ok(text)
}

/// `columns(a, b)`: the names in the parentheses.
fn names_in(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<String>> {
    let mut names = Vec::new();
    meta.parse_nested_meta(|inner| {
        match inner.path.get_ident() {
            Some(ident) => names.push(ident.unraw().to_string()),
            None => return Err(inner.error("expected a column name")),
        }
        Ok(())
    })?;
    Ok(names)
}

fn key(meta: &ParseNestedMeta<'_>) -> String {
    meta.path.get_ident().map(|ident| ident.unraw().to_string()).unwrap_or_default()
}

fn unknown(meta: &ParseNestedMeta<'_>, what: &str, known: &str) -> syn::Error {
    let name = meta.path.get_ident().map(ToString::to_string).unwrap_or_else(|| "?".to_owned());
    meta.error(format!("unknown {what} attribute `{name}`; the {what} attributes are {known}"))
}

fn action(meta: &ParseNestedMeta<'_>) -> syn::Result<String> {
    let value = meta.value()?;
    let literal: LitStr = value.parse()?;
    let action = literal.value();
    if !names::is_action(&action) {
        return Err(syn::Error::new(
            literal.span(),
            format!("unknown action `{action}`; expected cascade, restrict, set_null, set_default or no_action"),
        ));
    }
    Ok(action)
}

/// A struct with `#[derive(Model)]`.
pub fn model(input: &DeriveInput) -> syn::Result<ModelDef> {
    let mut errors = None;
    let mut model = ModelDef {
        rust_name: input.ident.unraw().to_string(),
        comment: doc(&input.attrs),
        place: place(input.ident.span()),
        ..Default::default()
    };
    each_meta(&input.attrs, &mut errors, |meta| {
        let at = place(meta.path.span());
        match key(&meta).as_str() {
            "table" => model.table = Some(text(&meta)?),
            "schema" => model.schema = Some(text(&meta)?),
            "comment" => model.comment = Some(text(&meta)?),
            "renamed_from" => model.renamed_from = Some(text(&meta)?),
            "primary_key" => model.primary_key = names_in(&meta)?,
            "unique" => {
                let mut unique = UniqueDef { place: at, ..Default::default() };
                meta.parse_nested_meta(|inner| {
                    match key(&inner).as_str() {
                        "name" if inner.input.peek(syn::Token![=]) => {
                            unique.name = Some(text(&inner)?)
                        }
                        "columns" => unique.columns.extend(names_in(&inner)?),
                        "nulls_not_distinct" => unique.nulls_not_distinct = true,
                        column
                            if !column.is_empty()
                                && (inner.input.is_empty() || inner.input.peek(syn::Token![,])) =>
                        {
                            unique.columns.push(column.to_owned())
                        }
                        _ => {
                            return Err(inner.error(
                                "expected a column, columns(…), name = \"…\" or nulls_not_distinct",
                            ))
                        }
                    }
                    Ok(())
                })?;
                if unique.columns.is_empty() {
                    return Err(meta.error("unique(…) names no column"));
                }
                model.uniques.push(unique);
            }
            "check" => model.checks.push(check(&meta, at)?),
            "foreign_key" => {
                let mut foreign_key = ForeignKeyDef { place: at, ..Default::default() };
                meta.parse_nested_meta(|inner| {
                        match key(&inner).as_str() {
                            "name" => foreign_key.name = Some(text(&inner)?),
                            "columns" => foreign_key.columns = names_in(&inner)?,
                            "references" => foreign_key.references = text(&inner)?,
                            "on_delete" => foreign_key.on_delete = Some(action(&inner)?),
                            "on_update" => foreign_key.on_update = Some(action(&inner)?),
                            "deferrable" => foreign_key.deferrable = true,
                            _ => return Err(inner.error("expected columns(…), references = \"…\", name, on_delete, on_update or deferrable")),
                        }
                        Ok(())
                    })?;
                if foreign_key.columns.is_empty() || foreign_key.references.is_empty() {
                    return Err(meta.error(
                        "foreign_key(…) needs columns(…) and references = \"table(column, …)\"",
                    ));
                }
                model.foreign_keys.push(foreign_key);
            }
            "index" => model.indexes.push(index(&meta, at)?),
            "exclude" => model.exclusions.push(exclusion(&meta, at)?),
            _ => return Err(unknown(&meta, "struct", STRUCT_ATTRIBUTES)),
        }
        Ok(())
    });
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) => fields.named.iter().collect::<Vec<_>>(),
            _ => {
                keep(
                    &mut errors,
                    syn::Error::new(input.ident.span(), "a Model is a struct with named fields"),
                );
                Vec::new()
            }
        },
        _ => {
            keep(
                &mut errors,
                syn::Error::new(
                    input.ident.span(),
                    "Model derives on a struct; an enum type derives PgEnum",
                ),
            );
            Vec::new()
        }
    };
    for field in fields {
        match self::field(field) {
            Ok(Some(read)) => model.fields.push(read),
            Ok(None) => {}
            Err(error) => keep(&mut errors, error),
        }
    }
    if let Some(field) = model.fields.iter().find(|field| field.primary_key) {
        if !model.primary_key.is_empty() {
            let span = input.ident.span();
            keep(
                &mut errors,
                syn::Error::new(span, format!("`{}` is marked primary_key and the struct names primary_key(…) too; keep one", field.rust_name)),
            );
        }
    }
    finish(model, errors)
}

/// `check = "…"` or `check(name = "…", expr = "…")`, on a model or a
/// domain.
fn check(meta: &ParseNestedMeta<'_>, at: Option<Place>) -> syn::Result<CheckDef> {
    let mut check = CheckDef { place: at, ..Default::default() };
    if meta.input.peek(syn::Token![=]) {
        check.expression = sql(meta, Kind::Expression)?;
        return Ok(check);
    }
    meta.parse_nested_meta(|inner| {
        match key(&inner).as_str() {
            "name" => check.name = Some(text(&inner)?),
            "expr" => check.expression = sql(&inner, Kind::Expression)?,
            _ => return Err(inner.error("expected name = \"…\" or expr = \"…\"")),
        }
        Ok(())
    })?;
    if check.expression.is_empty() {
        return Err(meta.error("check(…) needs expr = \"…\""));
    }
    Ok(check)
}

/// `index(…)` on a struct.
fn index(meta: &ParseNestedMeta<'_>, at: Option<Place>) -> syn::Result<IndexDef> {
    let mut index = IndexDef { place: at, ..Default::default() };
    meta.parse_nested_meta(|inner| {
        match key(&inner).as_str() {
            "name" => index.name = Some(text(&inner)?),
            "unique" => index.unique = true,
            "method" => index.method = Some(text(&inner)?),
            "columns" => index.columns = names_in(&inner)?,
            "keys" => index.keys = Some(sql(&inner, Kind::IndexKeys)?),
            "opclass" => index.opclass = Some(text(&inner)?),
            "include" => index.include = names_in(&inner)?,
            "where" => index.predicate = Some(sql(&inner, Kind::Expression)?),
            "renamed_from" => index.renamed_from = Some(text(&inner)?),
            "with" => {
                inner.parse_nested_meta(|parameter| {
                    let name = key(&parameter);
                    let value = text(&parameter)?;
                    index.with.push((name, value));
                    Ok(())
                })?;
            }
            _ => return Err(inner.error("unknown index option; the options are name, unique, method, columns(…), keys, opclass, include(…), where, with(…), renamed_from")),
        }
        Ok(())
    })?;
    if index.columns.is_empty() == index.keys.is_none() {
        return Err(
            meta.error("an index takes its keys from columns(…) or keys = \"…\", one of the two")
        );
    }
    if index.opclass.is_some() && index.keys.is_some() {
        return Err(meta.error(
            "opclass goes with columns(…); with keys = \"…\", write the operator class in the keys",
        ));
    }
    if index.renamed_from.is_some() && index.name.is_none() {
        return Err(meta.error("renamed_from needs the index's name = \"…\""));
    }
    Ok(index)
}

/// `exclude(…)` on a struct: an exclusion constraint.
fn exclusion(meta: &ParseNestedMeta<'_>, at: Option<Place>) -> syn::Result<ExclusionDef> {
    let mut exclusion = ExclusionDef { place: at, ..Default::default() };
    meta.parse_nested_meta(|inner| {
        match key(&inner).as_str() {
            "name" => exclusion.name = Some(text(&inner)?),
            "using" => exclusion.method = Some(text(&inner)?),
            "elements" => {
                let value: LitStr = inner.value()?.parse()?;
                exclusion.elements = value.value();
                if exclusion.elements.trim().is_empty() {
                    return Err(syn::Error::new(value.span(), "expected `key WITH operator, …`, not an empty string"));
                }
            }
            "include" => exclusion.include = names_in(&inner)?,
            "with" => {
                inner.parse_nested_meta(|parameter| {
                    let name = key(&parameter);
                    let value = text(&parameter)?;
                    exclusion.with.push((name, value));
                    Ok(())
                })?;
            }
            "where" => exclusion.predicate = Some(sql(&inner, Kind::Expression)?),
            "deferrable" => exclusion.deferrable = true,
            "initially_deferred" => exclusion.initially_deferred = true,
            _ => return Err(inner.error("unknown exclude option; the options are name, using, elements, include(…), with(…), where, deferrable, initially_deferred")),
        }
        Ok(())
    })?;
    if exclusion.elements.is_empty() {
        return Err(meta.error("exclude(…) needs elements = \"key WITH operator, …\""));
    }
    Ok(exclusion)
}

/// A field; `None` when it says `skip`.
fn field(field: &syn::Field) -> syn::Result<Option<FieldDef>> {
    let Some(ident) = &field.ident else {
        return Err(syn::Error::new(field.span(), "a Model is a struct with named fields"));
    };
    let mut errors = None;
    let mut read = FieldDef {
        rust_name: ident.unraw().to_string(),
        rust_type: rust_type(&field.ty),
        comment: doc(&field.attrs),
        place: place(ident.span()),
        ..Default::default()
    };
    let mut skip = false;
    let mut set: Vec<(String, Span)> = Vec::new();
    each_meta(&field.attrs, &mut errors, |meta| {
        let name = key(&meta);
        set.push((name.clone(), meta.path.span()));
        match name.as_str() {
            "name" => read.name = Some(text(&meta)?),
            "sql_type" => read.sql_type = Some(sql(&meta, Kind::Type)?),
            "dimension" => {
                let literal: syn::LitInt = meta.value()?.parse()?;
                read.dimension = Some(literal.base10_parse()?);
            }
            "primary_key" => read.primary_key = true,
            "identity" => {
                read.identity = Some(if meta.input.peek(syn::Token![=]) {
                    let value: LitStr = meta.value()?.parse()?;
                    match value.value().as_str() {
                        "always" => IdentityDef::Always,
                        "by_default" => IdentityDef::ByDefault,
                        other => {
                            return Err(syn::Error::new(
                                value.span(),
                                format!("identity is `always` or `by_default`, not `{other}`"),
                            ))
                        }
                    }
                } else {
                    IdentityDef::Always
                })
            }
            "unique" => read.unique = true,
            "default" => read.default = Some(sql(&meta, Kind::Expression)?),
            "generated" => read.generated = Some(sql(&meta, Kind::Expression)?),
            "check" => read.check = Some(sql(&meta, Kind::Expression)?),
            "references" => read.references = Some(text(&meta)?),
            "on_delete" => read.on_delete = Some(action(&meta)?),
            "on_update" => read.on_update = Some(action(&meta)?),
            "index" => read.index = true,
            "collation" => read.collation = Some(text(&meta)?),
            "renamed_from" => read.renamed_from = Some(text(&meta)?),
            "comment" => read.comment = Some(text(&meta)?),
            "skip" => skip = true,
            _ => return Err(unknown(&meta, "field", FIELD_ATTRIBUTES)),
        }
        Ok(())
    });
    let span_of = |name: &str| set.iter().find(|(key, _)| key == name).map(|(_, span)| *span);
    let mut conflict = |first: &str, second: &str, why: &str| {
        if let (Some(_), Some(span)) = (span_of(first), span_of(second)) {
            keep(
                &mut errors,
                syn::Error::new(span, format!("`{second}` conflicts with `{first}`: {why}")),
            );
        }
    };
    conflict("identity", "default", "an identity column takes its values from its sequence");
    conflict("identity", "generated", "a column is an identity or generated, not both");
    conflict("default", "generated", "a generated column has no default");
    conflict("sql_type", "dimension", "the dimension goes in the sql_type (`vector(1536)`)");
    if let Some((name, span)) = set.iter().find(|(key, _)| skip && key != "skip") {
        keep(
            &mut errors,
            syn::Error::new(
                *span,
                format!("`{name}` on a skipped field: a field marked skip is not a column"),
            ),
        );
    }
    if read.primary_key && matches!(read.rust_type, RustType::Option(_)) {
        keep(
            &mut errors,
            syn::Error::new(field.ty.span(), "a primary key column cannot be NULL: not Option<…>"),
        );
    }
    if (read.on_delete.is_some() || read.on_update.is_some()) && read.references.is_none() {
        let span = span_of("on_delete").or(span_of("on_update")).unwrap_or_else(|| ident.span());
        keep(
            &mut errors,
            syn::Error::new(span, "on_delete / on_update go with references = \"table.column\""),
        );
    }
    if read.sql_type.is_none() && !skip {
        if let Some(kind) = vector_without_dimension(&read.rust_type) {
            if read.dimension.is_none() {
                keep(
                    &mut errors,
                    syn::Error::new(
                        field.ty.span(),
                        format!("a {kind} column needs its dimension: #[autogen(dimension = 1536)], or autogen::{kind}<1536>"),
                    ),
                );
            }
        }
    }
    if skip {
        return finish(None, errors);
    }
    finish(Some(read), errors)
}

/// The pgvector type of a field without a const dimension, if it is one.
fn vector_without_dimension(rust_type: &RustType) -> Option<&str> {
    match rust_type {
        RustType::Option(inner) | RustType::Vec(inner) => vector_without_dimension(inner),
        RustType::Path { name, constant: None, .. }
            if matches!(name.as_str(), "Vector" | "HalfVector" | "SparseVector") =>
        {
            Some(name)
        }
        _ => None,
    }
}

/// A syn type reduced to a [`RustType`].
fn rust_type(ty: &syn::Type) -> RustType {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return RustType::Other(String::new());
            };
            let name = last.ident.to_string();
            let mut arguments = Vec::new();
            let mut constant = None;
            if let syn::PathArguments::AngleBracketed(generic) = &last.arguments {
                for argument in &generic.args {
                    match argument {
                        syn::GenericArgument::Type(inner) => arguments.push(rust_type(inner)),
                        syn::GenericArgument::Const(syn::Expr::Lit(syn::ExprLit {
                            lit: Lit::Int(number),
                            ..
                        })) => {
                            constant = constant.or(number.base10_parse().ok());
                        }
                        _ => {}
                    }
                }
            }
            match (name.as_str(), arguments.as_slice()) {
                ("Option", [inner]) => RustType::Option(Box::new(inner.clone())),
                ("Vec", [inner]) => RustType::Vec(Box::new(inner.clone())),
                _ => {
                    let written: Vec<String> = path
                        .path
                        .segments
                        .iter()
                        .map(|segment| segment.ident.to_string())
                        .collect();
                    RustType::Path { name, path: written.join("::"), arguments, constant }
                }
            }
        }
        syn::Type::Reference(reference) => rust_type(&reference.elem),
        syn::Type::Group(group) => rust_type(&group.elem),
        syn::Type::Paren(paren) => rust_type(&paren.elem),
        other => RustType::Other(quote::ToTokens::to_token_stream(other).to_string()),
    }
}

/// Reads each `name` or `name = value` of the `#[autogen(…)]` attributes in
/// `attributes` with `read`; a mistake is kept in `errors` and reading goes
/// on with the next attribute, so one compile shows them all.
fn each_meta(
    attributes: &[Attribute],
    errors: &mut Option<syn::Error>,
    mut read: impl FnMut(syn::meta::ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    for attribute in ours(attributes) {
        if let Err(error) = attribute.parse_nested_meta(&mut read) {
            keep(errors, error);
        }
    }
}

/// An enum with `#[derive(PgEnum)]`.
pub fn pg_enum(input: &DeriveInput) -> syn::Result<EnumDef> {
    let mut errors = None;
    let mut item = EnumDef {
        rust_name: input.ident.unraw().to_string(),
        place: place(input.ident.span()),
        ..Default::default()
    };
    each_meta(&input.attrs, &mut errors, |meta| {
        match key(&meta).as_str() {
            "name" => item.name = Some(text(&meta)?),
            "schema" => item.schema = Some(text(&meta)?),
            "renamed_from" => item.renamed_from = Some(text(&meta)?),
            "rename_all" => {
                let value: LitStr = meta.value()?.parse()?;
                if names::rename(&item.rust_name, &value.value()).is_none() {
                    return Err(syn::Error::new(
                        value.span(),
                        format!(
                            "unknown rename_all rule `{}`; the rules are {}",
                            value.value(),
                            names::RENAME_ALL.join(", ")
                        ),
                    ));
                }
                item.rename_all = Some(value.value());
            }
            _ => return Err(unknown(&meta, "enum", ENUM_ATTRIBUTES)),
        }
        Ok(())
    });
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(
            input.ident.span(),
            "PgEnum derives on an enum; a table derives Model",
        ));
    };
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            keep(
                &mut errors,
                syn::Error::new(
                    variant.ident.span(),
                    "a PgEnum variant carries no data: one label each",
                ),
            );
            continue;
        }
        let mut read = VariantDef {
            rust_name: variant.ident.unraw().to_string(),
            place: place(variant.ident.span()),
            ..Default::default()
        };
        each_meta(&variant.attrs, &mut errors, |meta| {
            match key(&meta).as_str() {
                "label" => read.label = Some(text(&meta)?),
                "renamed_from" => read.renamed_from = Some(text(&meta)?),
                _ => return Err(unknown(&meta, "variant", VARIANT_ATTRIBUTES)),
            }
            Ok(())
        });
        item.variants.push(read);
    }
    let labels: Vec<String> =
        item.variants.iter().map(|variant| names::label(&item, variant)).collect();
    for (index, label) in labels.iter().enumerate() {
        if labels[..index].contains(label) {
            keep(
                &mut errors,
                syn::Error::new(
                    data.variants[index].ident.span(),
                    format!("two variants have the label `{label}`"),
                ),
            );
        }
    }
    if item.variants.is_empty() && errors.is_none() {
        keep(&mut errors, syn::Error::new(input.ident.span(), "a PgEnum has at least one variant"));
    }
    finish(item, errors)
}

/// A newtype with `#[derive(PgDomain)]`: `struct Year(i32);`.
pub fn pg_domain(input: &DeriveInput) -> syn::Result<DomainDef> {
    let mut errors = None;
    let mut item = DomainDef {
        rust_name: input.ident.unraw().to_string(),
        comment: doc(&input.attrs),
        place: place(input.ident.span()),
        ..Default::default()
    };
    each_meta(&input.attrs, &mut errors, |meta| {
        let at = place(meta.path.span());
        match key(&meta).as_str() {
            "name" => item.name = Some(text(&meta)?),
            "schema" => item.schema = Some(text(&meta)?),
            "sql_type" => item.sql_type = Some(sql(&meta, Kind::Type)?),
            "default" => item.default = Some(sql(&meta, Kind::Expression)?),
            "not_null" => item.not_null = true,
            "collation" => item.collation = Some(text(&meta)?),
            "check" => item.checks.push(check(&meta, at)?),
            "comment" => item.comment = Some(text(&meta)?),
            "renamed_from" => item.renamed_from = Some(text(&meta)?),
            _ => return Err(unknown(&meta, "domain", DOMAIN_ATTRIBUTES)),
        }
        Ok(())
    });
    let inner = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => fields.unnamed.first(),
            _ => None,
        },
        _ => {
            return Err(syn::Error::new(
                input.ident.span(),
                "PgDomain derives on a newtype struct (`struct Year(i32);`); an enum type derives PgEnum",
            ))
        }
    };
    let Some(inner) = inner else {
        keep(
            &mut errors,
            syn::Error::new(
                input.ident.span(),
                "a PgDomain is a newtype, a struct with one unnamed field: `struct Year(i32);` (a composite type derives PgComposite)",
            ),
        );
        return finish(item, errors);
    };
    item.rust_type = rust_type(&inner.ty);
    if let Some(attribute) = ours(&inner.attrs).next() {
        keep(
            &mut errors,
            syn::Error::new(attribute.span(), "a PgDomain's attributes go on the struct"),
        );
    }
    if matches!(item.rust_type, RustType::Option(_)) {
        keep(
            &mut errors,
            syn::Error::new(
                inner.ty.span(),
                "a domain's base type is not Option<…>: a domain takes NULL unless it says not_null",
            ),
        );
    }
    if item.sql_type.is_none() {
        if let Some(kind) = vector_without_dimension(&item.rust_type) {
            keep(
                &mut errors,
                syn::Error::new(
                    inner.ty.span(),
                    format!("a {kind} domain needs its dimension: autogen::{kind}<1536>, or sql_type = \"…\""),
                ),
            );
        }
    }
    finish(item, errors)
}

/// A struct with `#[derive(PgComposite)]`: its fields are the attributes.
pub fn pg_composite(input: &DeriveInput) -> syn::Result<CompositeDef> {
    let mut errors = None;
    let mut item = CompositeDef {
        rust_name: input.ident.unraw().to_string(),
        comment: doc(&input.attrs),
        place: place(input.ident.span()),
        ..Default::default()
    };
    each_meta(&input.attrs, &mut errors, |meta| {
        match key(&meta).as_str() {
            "name" => item.name = Some(text(&meta)?),
            "schema" => item.schema = Some(text(&meta)?),
            "comment" => item.comment = Some(text(&meta)?),
            "renamed_from" => item.renamed_from = Some(text(&meta)?),
            _ => return Err(unknown(&meta, "composite", COMPOSITE_ATTRIBUTES)),
        }
        Ok(())
    });
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) => fields.named.iter().collect::<Vec<_>>(),
            _ => {
                keep(
                    &mut errors,
                    syn::Error::new(
                        input.ident.span(),
                        "a PgComposite is a struct with named fields, one per attribute (a newtype over one type derives PgDomain)",
                    ),
                );
                Vec::new()
            }
        },
        _ => {
            return Err(syn::Error::new(
                input.ident.span(),
                "PgComposite derives on a struct with named fields; an enum type derives PgEnum",
            ))
        }
    };
    for field in fields {
        match composite_attribute(field) {
            Ok(read) => {
                let name = names::attribute_name(&read);
                if item.attributes.iter().any(|other| names::attribute_name(other) == name) {
                    keep(
                        &mut errors,
                        syn::Error::new(
                            field.span(),
                            format!("two fields are the attribute `{name}`"),
                        ),
                    );
                }
                item.attributes.push(read);
            }
            Err(error) => keep(&mut errors, error),
        }
    }
    finish(item, errors)
}

/// A field of a composite.
fn composite_attribute(field: &syn::Field) -> syn::Result<AttributeDef> {
    let Some(ident) = &field.ident else {
        return Err(syn::Error::new(field.span(), "a PgComposite is a struct with named fields"));
    };
    let mut errors = None;
    let mut read = AttributeDef {
        rust_name: ident.unraw().to_string(),
        rust_type: rust_type(&field.ty),
        place: place(ident.span()),
        ..Default::default()
    };
    each_meta(&field.attrs, &mut errors, |meta| {
        match key(&meta).as_str() {
            "name" => read.name = Some(text(&meta)?),
            "sql_type" => read.sql_type = Some(sql(&meta, Kind::Type)?),
            "collation" => read.collation = Some(text(&meta)?),
            "renamed_from" => read.renamed_from = Some(text(&meta)?),
            _ => return Err(unknown(&meta, "composite field", COMPOSITE_FIELD_ATTRIBUTES)),
        }
        Ok(())
    });
    if read.sql_type.is_none() {
        if let Some(kind) = vector_without_dimension(&read.rust_type) {
            keep(
                &mut errors,
                syn::Error::new(
                    field.ty.span(),
                    format!("a {kind} attribute needs its dimension: autogen::{kind}<1536>, or sql_type = \"…\""),
                ),
            );
        }
    }
    finish(read, errors)
}

/// Whether an item derives `name` (`#[derive(Model)]`,
/// `#[derive(autogen::Model)]`).
fn derives(attributes: &[Attribute], name: &str) -> bool {
    attributes.iter().filter(|attribute| attribute.path().is_ident("derive")).any(|attribute| {
        let mut found = false;
        let _ = attribute.parse_nested_meta(|meta| {
            if meta.path.segments.last().is_some_and(|segment| segment.ident == name) {
                found = true;
            }
            Ok(())
        });
        found
    })
}

/// Every model, enum, domain and composite of a Rust source file (`file` names it in
/// messages), or every mistake in them.
pub fn file(text: &str, file: &str) -> Result<Declarations, Vec<Problem>> {
    let problem = |error: &syn::Error| Problem {
        file: Some(file.to_owned()),
        place: place(error.span()),
        message: error.to_string(),
    };
    let parsed = syn::parse_file(text).map_err(|error| vec![problem(&error)])?;
    let mut declarations = Declarations::default();
    let mut problems = Vec::new();
    let mut items: Vec<&syn::Item> = parsed.items.iter().collect();
    while let Some(item) = items.pop() {
        let (input, kinds): (DeriveInput, &[&str]) = match item {
            syn::Item::Mod(module) => {
                if let Some((_, inner)) = &module.content {
                    items.extend(inner.iter());
                }
                continue;
            }
            syn::Item::Struct(item)
                if STRUCT_DERIVES.iter().any(|kind| derives(&item.attrs, kind)) =>
            {
                (DeriveInput::from(item.clone()), STRUCT_DERIVES)
            }
            syn::Item::Enum(item) if derives(&item.attrs, "PgEnum") => {
                (DeriveInput::from(item.clone()), &["PgEnum"])
            }
            _ => continue,
        };
        let file_name = Some(file.to_owned());
        for kind in kinds.iter().filter(|kind| derives(&input.attrs, kind)) {
            let read = match *kind {
                "Model" => model(&input).map(|model| {
                    declarations.models.push(ModelDef { file: file_name.clone(), ..model })
                }),
                "PgDomain" => pg_domain(&input).map(|item| {
                    declarations.domains.push(DomainDef { file: file_name.clone(), ..item })
                }),
                "PgComposite" => pg_composite(&input).map(|item| {
                    declarations.composites.push(CompositeDef { file: file_name.clone(), ..item })
                }),
                _ => pg_enum(&input).map(|item| {
                    declarations.enums.push(EnumDef { file: file_name.clone(), ..item })
                }),
            };
            if let Err(error) = read {
                problems.extend(error.into_iter().map(|error| problem(&error)));
            }
        }
    }
    // In the order of the file.
    declarations.models.sort_by_key(|model| model.place.map(|place| (place.line, place.column)));
    declarations.enums.sort_by_key(|item| item.place.map(|place| (place.line, place.column)));
    declarations.domains.sort_by_key(|item| item.place.map(|place| (place.line, place.column)));
    declarations.composites.sort_by_key(|item| item.place.map(|place| (place.line, place.column)));
    problems.sort_by_key(|problem| problem.place.map(|place| (place.line, place.column)));
    if problems.is_empty() {
        Ok(declarations)
    } else {
        Err(problems)
    }
}
