//! The execution glue: `engine`, `execute` (and `execute_reference`, the reference executor kept for differential
//! tests), and the private `glue` module: a table per object type and per interface or union, handed to the
//! runtime's `glue_object!` and `glue_abstract!` macros, which expand it when the user's crate compiles. The module
//! is written as text, one field a line (it never goes through syn and prettyplease).

use std::fmt::Write as _;

use apollo_compiler::ast::Type;
use proc_macro2::{Literal, TokenStream, TokenTree};
use quote::quote;

use crate::model::{Abstract, Field, Model, Object};

/// `engine`, `execute` and `execute_reference`.
pub(super) fn api(model: &Model) -> TokenStream {
    let runtime = &model.runtime;
    let source_name = &model.contract.source_name;
    let query = model
        .query
        .as_deref()
        .and_then(|q| model.object(q))
        .map(|o| &o.glue_ident);
    let mutation = model
        .mutation
        .as_deref()
        .and_then(|m| model.object(m))
        .map(|o| &o.glue_ident);
    let has_mutation = mutation.is_some();
    let mutation_marker = match mutation {
        Some(ident) => quote!(glue::#ident),
        None => quote!(#runtime::exec::NoRoot),
    };
    let signature = quote! {
        resolvers: &R,
        engine: &#runtime::engine::Engine,
        prepared: &#runtime::engine::Prepared,
        operation_name: ::std::option::Option<&str>,
        variables: &#runtime::response::JsonMap,
    };
    quote! {
        /// The operation engine of this schema: parses, validates (against [`PUBLIC_SDL`]) and caches
    /// operations.
        pub fn engine(limits: #runtime::engine::Limits) -> #runtime::engine::Engine {
            #runtime::engine::Engine::new(PUBLIC_SDL, #source_name, limits)
        }

        /// Executes the chosen operation of a prepared document with `resolvers`.
        pub async fn execute<R: Resolvers>(#signature) -> #runtime::response::Response {
            #runtime::exec::execute::<R, glue::#query, #mutation_marker>(
                resolvers, engine, prepared, operation_name, variables, &glue::SCHEMA,
            ).await
        }

        /// Executes like [`execute`], through the reference executor (apollo-compiler's resolvers)
        /// only: what `execute` falls back to where its fast executor does not reach
        /// (introspection). Kept callable for the differential tests, which check that both answer
        /// alike; not for production use.
        #[doc(hidden)]
        pub async fn execute_reference<R: Resolvers>(#signature) -> #runtime::response::Response {
            #runtime::exec::execute_reference::<R, glue::#query, #mutation_marker>(
                resolvers, engine, prepared, operation_name, variables, #has_mutation,
            ).await
        }
    }
}

/// The `glue` module, as text.
pub(super) fn module_text(model: &Model) -> String {
    let runtime = text(&model.runtime);
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("#[allow(deprecated)]\nmod glue {\n    #[allow(unused_imports)]\n");
    let _ = writeln!(
        out,
        "    use {runtime}::exec::{{Boxed, Leaf, List, Opt, Plain}};"
    );
    let _ = writeln!(
        out,
        "    pub(super) static SCHEMA: {runtime}::exec::SchemaTable = {runtime}::exec::SchemaTable {{"
    );
    out.push_str("        objects: &[\n");
    for object in &model.objects {
        let _ = writeln!(out, "            {}::TABLE,", object.glue_ident);
    }
    let _ = writeln!(
        out,
        "        ],\n        has_mutation: {},\n    }};",
        model
            .mutation
            .as_deref()
            .and_then(|m| model.object(m))
            .is_some()
    );
    for (id, object) in model.objects.iter().enumerate() {
        object_glue(model, &runtime, id, object, &mut out);
    }
    for a in &model.abstracts {
        abstract_glue(model, &runtime, a, &mut out);
    }
    out.push_str("}\n");
    wrap_lines(&out, super::MAX_LINE)
}

/// Lines longer than `width` broken after a comma (a macro's tokens do not care where lines break), the rest of
/// the line indented one step further.
fn wrap_lines(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let pad = " ".repeat(indent + 4);
        let mut current = line.to_owned();
        while current.len() > width {
            let Some(cut) = current[..width]
                .rfind(", ")
                .map(|at| at + 1)
                .or_else(|| current[..width].rfind(" => "))
                .filter(|&at| at > pad.len())
            else {
                break;
            };
            out.push_str(&current[..cut]);
            out.push('\n');
            current = format!("{pad}{}", current[cut..].trim_start());
        }
        out.push_str(&current);
        out.push('\n');
    }
    out
}

fn object_glue(model: &Model, runtime: &str, id: usize, object: &Object, out: &mut String) {
    let sup = quote!(super::);
    let name = &object.name;
    let value = if object.is_root {
        "()".to_owned()
    } else {
        text(&model.output_type(&named(name), &sup))
    };
    let data = if object.data_fields.is_empty() {
        String::new()
    } else {
        format!(" => {}", text(&model.object_struct(name, &sup)))
    };
    let _ = writeln!(
        out,
        "    {runtime}::glue_object! {{\n        {} = {id} {}:\n            {value}{data},\n            \
         super::Resolvers {{",
        object.glue_ident,
        Literal::string(name),
    );
    let fields = object.data_fields.iter().chain(&object.resolver_fields);
    for (index, field) in fields.enumerate() {
        let spec = if index < object.data_fields.len() {
            data_field(model, field)
        } else {
            resolver_field(model, object, field)
        };
        let _ = writeln!(
            out,
            "            {index} {} {spec}",
            Literal::string(&field.name)
        );
    }
    out.push_str("        }\n    }\n");
}

/// A plain field: a leaf written as it is, or a held object completed (through `Boxed` where it is boxed).
fn data_field(model: &Model, field: &Field) -> String {
    if model.is_leaf(field.ty.inner_named_type()) {
        return format!("data({}, {})", field.ident, shape(model, &field.ty));
    }
    let mut shape = shape(model, &field.ty);
    if field.boxed {
        let named = named_shape(model, field.ty.inner_named_type(), field.ty.is_non_null());
        shape = shape.replacen(&named, &format!("Boxed<{named}>"), 1);
    }
    format!("nested({}, {shape})", field.ident)
}

fn resolver_field(model: &Model, object: &Object, field: &Field) -> String {
    let (Some(trait_ident), Some(accessor)) =
        (object.trait_ident.as_ref(), object.accessor.as_ref())
    else {
        return String::new();
    };
    let parent = if object.is_root { "root" } else { "parent" };
    let args = field
        .args_ident
        .as_ref()
        .map(|a| format!("super::{a}"))
        .unwrap_or_default();
    let kind = if model.is_leaf(field.ty.inner_named_type()) {
        "leaf"
    } else {
        "object"
    };
    format!(
        "{kind}({accessor}, super::{trait_ident}, {}, {parent}, ({args}), {})",
        field.ident,
        shape(model, &field.ty)
    )
}

fn abstract_glue(model: &Model, runtime: &str, a: &Abstract, out: &mut String) {
    let _ = writeln!(
        out,
        "    {runtime}::glue_abstract! {{\n        {}: super::{}, super::Resolvers {{",
        a.glue_ident, a.ident
    );
    for member in &a.members {
        if let Some(target) = model.object(member) {
            let _ = writeln!(
                out,
                "            super::{}::{} => {},",
                a.ident, target.ident, target.glue_ident
            );
        }
    }
    out.push_str("        }\n    }\n");
}

/// The shape of a value of `ty` (see `runtime::exec::shape`): `Opt` for a nullable position, `List`, and at the
/// bottom `Plain` or `Leaf` (a leaf that may be null where it must not) or the marker of an object or abstract type.
fn shape(model: &Model, ty: &Type) -> String {
    match ty {
        Type::NonNullNamed(name) => named_shape(model, name, true),
        Type::Named(name) => format!("Opt<{}>", named_shape(model, name, false)),
        Type::NonNullList(item) => format!("List<{}>", shape(model, item)),
        Type::List(item) => format!("Opt<List<{}>>", shape(model, item)),
    }
}

fn named_shape(model: &Model, name: &str, non_null: bool) -> String {
    if model.is_leaf(name) {
        if non_null && model.leaf_may_be_null(name) {
            "Leaf".to_owned()
        } else {
            "Plain".to_owned()
        }
    } else if let Some(object) = model.object(name) {
        object.glue_ident.to_string()
    } else if let Some(a) = model.abstract_type(name) {
        a.glue_ident.to_string()
    } else {
        // Nothing else can be an output type in a valid schema.
        "Plain".to_owned()
    }
}

fn named(name: &str) -> Type {
    Type::NonNullNamed(apollo_compiler::Name::new_unchecked(name))
}

/// A path or type as Rust text: tokens joined, with a space only where two words would otherwise merge.
fn text(tokens: &TokenStream) -> String {
    fn write(tokens: &TokenStream, out: &mut String) {
        for token in tokens.clone() {
            match token {
                TokenTree::Group(group) => {
                    let (open, close) = match group.delimiter() {
                        proc_macro2::Delimiter::Parenthesis => ("(", ")"),
                        proc_macro2::Delimiter::Brace => ("{", "}"),
                        proc_macro2::Delimiter::Bracket => ("[", "]"),
                        proc_macro2::Delimiter::None => ("", ""),
                    };
                    out.push_str(open);
                    write(&group.stream(), out);
                    out.push_str(close);
                }
                TokenTree::Punct(punct) => {
                    out.push(punct.as_char());
                    if punct.as_char() == ',' {
                        out.push(' ');
                    }
                }
                word => {
                    if out.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                        out.push(' ');
                    }
                    let _ = write!(out, "{word}");
                }
            }
        }
    }
    let mut out = String::new();
    write(tokens, &mut out);
    out
}
