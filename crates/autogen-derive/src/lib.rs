//! `#[derive(Model)]`, `#[derive(PgEnum)]`, `#[derive(PgDomain)]` and
//! `#[derive(PgComposite)]`. Each reads the item with
//! autogen-dsl's reader — the one the CLI uses on source files — and embed
//! what it read in the program as JSON, so the definitions a program has at
//! run time are the ones `autogen diff` reads from the same file. A mistake
//! is a compile error on the offending tokens, with the CLI's message.

use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, DeriveInput};

/// A struct with named fields is a table; `#[autogen(…)]` on the struct
/// and its fields says the rest (docs/dsl.md).
#[proc_macro_derive(Model, attributes(autogen))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match autogen_dsl::parse::model(&input) {
        Ok(definition) => implement(
            &input,
            &definition_json(&definition),
            quote!(Model),
            quote!(ModelDef),
            quote!(models),
        ),
        Err(error) => error.to_compile_error().into(),
    }
}

/// A fieldless enum is an enum type; `#[autogen(…)]` on the enum and its
/// variants says the rest (docs/dsl.md).
#[proc_macro_derive(PgEnum, attributes(autogen))]
pub fn derive_pg_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match autogen_dsl::parse::pg_enum(&input) {
        Ok(definition) => implement(
            &input,
            &definition_json(&definition),
            quote!(PgEnum),
            quote!(EnumDef),
            quote!(enums),
        ),
        Err(error) => error.to_compile_error().into(),
    }
}

/// A newtype (`struct Year(i32);`) is a domain over the inner type;
/// `#[autogen(…)]` on the struct says the rest (docs/dsl.md).
#[proc_macro_derive(PgDomain, attributes(autogen))]
pub fn derive_pg_domain(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match autogen_dsl::parse::pg_domain(&input) {
        Ok(definition) => implement(
            &input,
            &definition_json(&definition),
            quote!(PgDomain),
            quote!(DomainDef),
            quote!(domains),
        ),
        Err(error) => error.to_compile_error().into(),
    }
}

/// A struct with named fields is a composite type, one attribute per
/// field; `#[autogen(…)]` on the struct and its fields says the rest
/// (docs/dsl.md).
#[proc_macro_derive(PgComposite, attributes(autogen))]
pub fn derive_pg_composite(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match autogen_dsl::parse::pg_composite(&input) {
        Ok(definition) => implement(
            &input,
            &definition_json(&definition),
            quote!(PgComposite),
            quote!(CompositeDef),
            quote!(composites),
        ),
        Err(error) => error.to_compile_error().into(),
    }
}

/// The definition as JSON, without the places (they say where the reader
/// found things in a file, which a program has no use for).
fn definition_json<T: serde::Serialize>(definition: &T) -> String {
    let mut value = serde_json::to_value(definition).expect("definitions are plain data");
    strip_places(&mut value);
    value.to_string()
}

fn strip_places(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(place) = map.get_mut("place") {
                *place = serde_json::Value::Null;
            }
            for inner in map.values_mut() {
                strip_places(inner);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_places),
        _ => {}
    }
}

fn implement(
    input: &DeriveInput,
    json: &str,
    trait_name: proc_macro2::TokenStream,
    definition: proc_macro2::TokenStream,
    list: proc_macro2::TokenStream,
) -> TokenStream {
    let name = &input.ident;
    let (impl_generics, type_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        impl #impl_generics ::autogen::#trait_name for #name #type_generics #where_clause {
            fn definition() -> ::autogen::#definition {
                ::autogen::__private::definition(#json)
            }
        }

        impl #impl_generics ::autogen::Declare for #name #type_generics #where_clause {
            fn declare(declarations: &mut ::autogen::Declarations) {
                declarations.#list.push(<Self as ::autogen::#trait_name>::definition());
            }
        }
    }
    .into()
}
