//! Turns one parsed file into [`ModuleCode`]: declarations (with the
//! namespaces they occupy), imports and raw references, module by module
//! (inline modules get their own code).
//!
//! Runs on the parsing thread: syn's trees are not `Send`, so everything the
//! later phases need is copied out here as plain data.

use std::ops::Range;

use proc_macro2::{Span, TokenStream};
use syn::{Item, UseTree, Visibility};

use super::cfg::is_test_only;
use super::code::{
    ExternCrate, Glob, Import, ItemDecl, ModDecl, ModuleCode, Namespace, Namespaces, Position,
    RawPath, RawRef, Segments,
};
use super::tokens::item_macro_contents;
use super::visitor::RefVisitor;
use super::Via;
use crate::location::{self, LineIndex};

/// What extraction needs to know about the run.
#[derive(Debug, Clone, Copy)]
pub struct ExtractOptions {
    pub include_tests: bool,
}

/// Extracts the code of the module whose items these are.
/// `lines` is the file's: every span is located as it is copied out, so the
/// text is not needed afterwards.
pub fn module_code(items: &[Item], options: ExtractOptions, lines: &LineIndex) -> ModuleCode {
    let mut code = ModuleCode::default();
    for item in items {
        extract_item(item, options, lines, &mut code);
    }
    code
}

/// Adds one item's code to its module's `code`.
pub fn extract_item(
    item: &Item,
    options: ExtractOptions,
    lines: &LineIndex,
    code: &mut ModuleCode,
) {
    if !options.include_tests && is_test_only(item_attrs(item)) {
        code.skipped
            .push(syn::spanned::Spanned::span(item).byte_range());
        return;
    }
    match item {
        Item::Mod(m) => {
            code.children.push(ModDecl {
                name: unraw(&m.ident),
                path_attr: path_attr(&m.attrs),
                cfg_paths: cfg_paths(&m.attrs),
                is_pub: is_pub(&m.vis),
                inline: m
                    .content
                    .as_ref()
                    .map(|(_, items)| module_code(items, options, lines)),
                name_span: locate(lines, m.ident.span(), m.ident.span()),
            });
        }
        Item::Use(u) => use_item(u, lines, code),
        Item::ExternCrate(e) => {
            let krate = unraw(&e.ident);
            let name = e
                .rename
                .as_ref()
                .map(|(_, r)| unraw(r))
                .unwrap_or_else(|| krate.clone());
            if krate != "self" {
                code.refs.push(RawRef {
                    path: RawPath {
                        leading_colon: true,
                        segments: Segments::from_iter([&krate]),
                    },
                    via: Via::Use,
                    position: Position::Import,
                    span: locate(lines, e.ident.span(), e.ident.span()),
                });
            }
            if name != "_" {
                code.extern_crates.push(ExternCrate {
                    name,
                    krate,
                    is_pub: is_pub(&e.vis),
                });
            }
        }
        Item::Macro(m) if m.mac.path.is_ident("macro_rules") => {
            // A macro's body is a template resolved where it expands; only
            // its name is declared here.
            if let Some(ident) = &m.ident {
                code.declare(
                    unraw(ident),
                    ItemDecl::new(Namespaces::of(Namespace::Macro), false),
                );
            }
        }
        Item::Macro(m) => {
            let mut visitor = RefVisitor::new(&mut code.refs, lines);
            visitor.macro_path(&m.mac.path);
            for attr in &m.attrs {
                syn::visit::Visit::visit_attribute(&mut visitor, attr);
            }
            // `cfg_rt! { mod x; }`, `cfg_if! { if #[cfg(..)] { mod a; } }`:
            // whatever parses as items is walked as items, the rest is
            // scanned for paths.
            let contents = item_macro_contents(m.mac.tokens.clone());
            for item in &contents.items {
                extract_item(item, options, lines, code);
            }
            let mut visitor = RefVisitor::new(&mut code.refs, lines);
            for piece in contents.rest {
                visitor.macro_tokens(piece);
            }
        }
        _ => {
            if let Some((name, decl)) = declared_name(item) {
                code.declare(name, decl);
            }
            if let Item::ForeignMod(foreign) = item {
                for (name, decl) in foreign.items.iter().filter_map(foreign_name) {
                    code.declare(name, decl);
                }
            }
            let mut visitor = RefVisitor::new(&mut code.refs, lines);
            visitor.include_tests = options.include_tests;
            syn::visit::Visit::visit_item(&mut visitor, item);
        }
    }
}

/// Records a `use` item's bindings and one reference per leaf.
pub fn use_item(item: &syn::ItemUse, lines: &LineIndex, code: &mut ModuleCode) {
    let mut walk = UseWalk {
        code,
        lines,
        is_pub: is_pub(&item.vis),
        leading_colon: item.leading_colon.is_some(),
    };
    walk.tree(&item.tree, &mut Vec::new(), None);
}

/// Walks a use tree, recording one reference per leaf and the bindings.
struct UseWalk<'a> {
    code: &'a mut ModuleCode,
    lines: &'a LineIndex<'a>,
    is_pub: bool,
    leading_colon: bool,
}

impl UseWalk<'_> {
    fn tree(&mut self, tree: &UseTree, prefix: &mut Vec<String>, start: Option<Span>) {
        match tree {
            UseTree::Path(p) => {
                let start = start.unwrap_or_else(|| p.ident.span());
                prefix.push(unraw(&p.ident));
                self.tree(&p.tree, prefix, Some(start));
                prefix.pop();
            }
            UseTree::Name(n) => {
                let name = unraw(&n.ident);
                let start = start.unwrap_or_else(|| n.ident.span());
                let path = self.leaf_path(prefix, &name);
                let binding = if name == "self" {
                    prefix.last().cloned()
                } else {
                    Some(name)
                };
                self.leaf(path, binding, locate(self.lines, start, n.ident.span()));
            }
            UseTree::Rename(r) => {
                let name = unraw(&r.ident);
                let start = start.unwrap_or_else(|| r.ident.span());
                let path = self.leaf_path(prefix, &name);
                let binding = unraw(&r.rename);
                let binding = (binding != "_").then_some(binding);
                self.leaf(path, binding, locate(self.lines, start, r.ident.span()));
            }
            UseTree::Glob(g) => {
                let path = RawPath {
                    leading_colon: self.leading_colon,
                    segments: prefix.iter().collect(),
                };
                if !prefix.is_empty() {
                    let start = start.unwrap_or(g.star_token.span);
                    self.code.refs.push(RawRef {
                        path: path.clone(),
                        via: Via::Use,
                        // What a glob imports from is a module (or an enum).
                        position: Position::Type,
                        span: locate(self.lines, start, g.star_token.span),
                    });
                }
                self.code.globs.push(Glob {
                    path,
                    is_pub: self.is_pub,
                });
            }
            UseTree::Group(g) => {
                for item in &g.items {
                    self.tree(item, prefix, None);
                }
            }
        }
    }

    fn leaf_path(&self, prefix: &[String], name: &str) -> RawPath {
        let name = (name != "self").then_some(name);
        RawPath {
            leading_colon: self.leading_colon,
            segments: prefix.iter().map(String::as_str).chain(name).collect(),
        }
    }

    fn leaf(&mut self, path: RawPath, binding: Option<String>, span: location::Span) {
        if path.segments.is_empty() {
            return;
        }
        if let Some(name) = binding {
            self.code.imports.push(Import {
                name,
                path: path.clone(),
                is_pub: self.is_pub,
            });
        }
        self.code.refs.push(RawRef {
            path,
            via: Via::Use,
            position: Position::Import,
            span,
        });
    }
}

/// Where the tokens from `start` to `end` are: from the parser's lines and
/// columns where the text is ASCII (a byte offset from proc_macro2 costs a
/// search and a count of characters, for every reference), from byte
/// offsets otherwise.
pub fn locate(lines: &LineIndex, start: Span, end: Span) -> location::Span {
    let (from, to) = (start.start(), end.end());
    lines
        .span_between((from.line, from.column), (to.line, to.column))
        .unwrap_or_else(|| lines.span(span_bytes(start, end)))
}

pub fn span_bytes(start: Span, end: Span) -> Range<usize> {
    let start = start.byte_range().start;
    let end = end.byte_range().end.max(start);
    start..end
}

pub fn unraw(ident: &syn::Ident) -> String {
    let name = ident.to_string();
    match name.strip_prefix("r#") {
        Some(rest) => rest.to_string(),
        // Most names: the one allocation `to_string` made.
        None => name,
    }
}

/// `r#type` → `type`.
pub fn unraw_str(ident: &str) -> String {
    ident.strip_prefix("r#").unwrap_or(ident).to_string()
}

fn is_pub(vis: &Visibility) -> bool {
    !matches!(vis, Visibility::Inherited)
}

fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| match &attr.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// The `path = ".."` values of `#[cfg_attr(predicate, path = "..")]`.
fn cfg_paths(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg_attr"))
        .filter_map(|attr| {
            attr.parse_args_with(
                syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
            )
            .ok()
        })
        .flat_map(|metas| metas.into_iter().skip(1))
        .filter_map(|meta| match meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The name an item declares in its module, with the namespaces it
/// occupies and whether it is visible to other modules.
pub fn declared_name(item: &Item) -> Option<(String, ItemDecl)> {
    let types = Namespaces::of(Namespace::Type);
    let values = Namespaces::of(Namespace::Value);
    let (ident, vis, namespaces) = match item {
        Item::Const(i) => (&i.ident, &i.vis, values),
        Item::Enum(i) => (&i.ident, &i.vis, types),
        Item::Fn(i) => (&i.sig.ident, &i.vis, values),
        Item::Static(i) => (&i.ident, &i.vis, values),
        // A tuple or unit struct is also its own constructor.
        Item::Struct(i) => match i.fields {
            syn::Fields::Named(_) => (&i.ident, &i.vis, types),
            _ => (&i.ident, &i.vis, types.with(Namespace::Value)),
        },
        Item::Trait(i) => (&i.ident, &i.vis, types),
        Item::TraitAlias(i) => (&i.ident, &i.vis, types),
        Item::Type(i) => (&i.ident, &i.vis, types),
        Item::Union(i) => (&i.ident, &i.vis, types),
        _ => return None,
    };
    Some((unraw(ident), ItemDecl::new(namespaces, is_pub(vis))))
}

/// What an item of an `extern { .. }` block declares in the module.
fn foreign_name(item: &syn::ForeignItem) -> Option<(String, ItemDecl)> {
    let (ident, vis, ns) = match item {
        syn::ForeignItem::Fn(i) => (&i.sig.ident, &i.vis, Namespace::Value),
        syn::ForeignItem::Static(i) => (&i.ident, &i.vis, Namespace::Value),
        syn::ForeignItem::Type(i) => (&i.ident, &i.vis, Namespace::Type),
        _ => return None,
    };
    Some((unraw(ident), ItemDecl::new(Namespaces::of(ns), is_pub(vis))))
}

pub fn item_attrs(item: &Item) -> &[syn::Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// Parses `tokens` as a whole list of items. Leading inner attributes are
/// allowed: tokio's `feature! { #![unix] mod symlink; }` passes its cfg that
/// way.
pub fn parse_items(tokens: TokenStream) -> Option<Vec<Item>> {
    struct Items(Vec<Item>);
    impl syn::parse::Parse for Items {
        fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
            syn::Attribute::parse_inner(input)?;
            let mut items = Vec::new();
            while !input.is_empty() {
                items.push(input.parse()?);
            }
            Ok(Items(items))
        }
    }
    syn::parse2::<Items>(tokens).ok().map(|i| i.0)
}
