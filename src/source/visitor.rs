//! The syn visitor that collects every multi-segment path of an item:
//! types, expressions, patterns, bounds, impl headers, attributes, derives,
//! macro paths and path-like runs in macro arguments, each with the
//! position it is written in (which namespace its last segment asks for).
//!
//! It knows the names that cannot be resolved at module level (generic
//! parameters, `Self`, items and imports local to a block) and drops or
//! rewrites paths that start with them, so nothing local is mistaken for a
//! module.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Attribute, Generics, Item, Meta, Path, QSelf, Stmt, Token};

use super::cfg::is_test_only;
use super::code::{ModuleCode, Position, RawPath, RawRef};
use super::extract::{locate, unraw};
use super::tokens::path_runs;
use super::Via;
use crate::location::{LineIndex, Span};

/// Attributes whose arguments are never paths into code.
const INERT_ATTRIBUTES: [&str; 12] = [
    "allow",
    "warn",
    "deny",
    "forbid",
    "expect",
    "cfg",
    "doc",
    "path",
    "repr",
    "inline",
    "must_use",
    "deprecated",
];

pub struct RefVisitor<'a> {
    refs: &'a mut Vec<RawRef>,
    /// The file's lines: each reference kept is located at once.
    lines: &'a LineIndex<'a>,
    pub include_tests: bool,
    /// Generic parameters in scope, innermost last.
    generics: Vec<BTreeSet<String>>,
    /// Names declared inside enclosing blocks, innermost last.
    blocks: Vec<BlockScope>,
}

#[derive(Default)]
struct BlockScope {
    /// Items declared in the block: paths through them are local.
    locals: BTreeSet<String>,
    /// `use` bindings in the block: paths through them are rewritten.
    imports: BTreeMap<String, RawPath>,
    /// A glob import in the block may shadow any name: paths that do not
    /// start from `crate`, `self`, `super` or `::` are then skipped.
    has_glob: bool,
}

impl<'a> RefVisitor<'a> {
    pub fn new(refs: &'a mut Vec<RawRef>, lines: &'a LineIndex<'a>) -> RefVisitor<'a> {
        RefVisitor {
            refs,
            lines,
            include_tests: false,
            generics: Vec::new(),
            blocks: Vec::new(),
        }
    }

    /// Records `path` if it has more than one segment (or a leading `::`);
    /// `position` is what its last segment asks for.
    fn path(&mut self, path: &Path, via: Via, position: Position) {
        self.path_prefix(path, path.segments.len(), via, position);
    }

    /// Records the first `len` segments of `path`.
    fn path_prefix(&mut self, path: &Path, len: usize, via: Via, position: Position) {
        if len == 0 || (len < 2 && path.leading_colon.is_none()) {
            return;
        }
        let segments = path.segments.iter().take(len).map(|s| unraw(&s.ident));
        let start = path
            .leading_colon
            .map(|c| c.spans[0])
            .unwrap_or_else(|| path.segments[0].ident.span());
        let end = path.segments[len - 1].ident.span();
        self.push(
            RawPath {
                leading_colon: path.leading_colon.is_some(),
                segments: segments.collect(),
            },
            via,
            position,
            locate(self.lines, start, end),
        );
    }

    pub fn macro_path(&mut self, path: &Path) {
        self.path(path, Via::Macro, Position::Macro);
    }

    /// Path-like runs in macro arguments: their position is unknown.
    pub fn macro_tokens(&mut self, tokens: TokenStream) {
        for run in path_runs(tokens) {
            let span = locate(self.lines, run.first, run.last);
            self.push(run.path, Via::Macro, Position::Unknown, span);
        }
    }

    /// Adds a reference unless its first segment is local; rewrites it when
    /// the first segment is a block-local import.
    fn push(&mut self, mut path: RawPath, via: Via, position: Position, span: Span) {
        if !path.leading_colon {
            let first = path.segments.first().unwrap_or_default();
            if first == "Self" || self.generics.iter().any(|g| g.contains(first)) {
                return;
            }
            let keyword = matches!(first, "crate" | "self" | "super");
            for scope in self.blocks.iter().rev() {
                if keyword {
                    break;
                }
                if scope.locals.contains(first) {
                    return;
                }
                if let Some(import) = scope.imports.get(first) {
                    let segments = import.segments.iter().chain(path.segments.iter().skip(1));
                    path = RawPath {
                        leading_colon: import.leading_colon,
                        segments: segments.collect(),
                    };
                    break;
                }
                if scope.has_glob {
                    return;
                }
            }
        }
        self.refs.push(RawRef {
            path,
            via,
            position,
            span,
        });
    }

    fn qualified(&mut self, qself: &Option<QSelf>, path: &Path, position: Position) {
        match qself {
            // `<T as a::Trait>::Item` mentions `a::Trait`; `<T>::x` nothing.
            Some(q) => {
                self.visit_type(&q.ty);
                self.path_prefix(path, q.position, Via::Path, Position::Type);
            }
            None => self.path(path, Via::Path, position),
        }
        for segment in &path.segments {
            self.visit_path_arguments(&segment.arguments);
        }
    }

    fn with_generics(&mut self, generics: &Generics, f: impl FnOnce(&mut Self)) {
        let names = generics
            .params
            .iter()
            .filter_map(|p| match p {
                syn::GenericParam::Type(t) => Some(unraw(&t.ident)),
                syn::GenericParam::Const(c) => Some(unraw(&c.ident)),
                syn::GenericParam::Lifetime(_) => None,
            })
            .collect();
        self.generics.push(names);
        f(self);
        self.generics.pop();
    }

    fn skipped(&self, attrs: &[Attribute]) -> bool {
        !self.include_tests && is_test_only(attrs)
    }
}

impl<'ast> Visit<'ast> for RefVisitor<'_> {
    /// Paths not met through a more precise visit below sit in bounds and
    /// impl headers: type positions.
    fn visit_path(&mut self, path: &'ast Path) {
        self.path(path, Via::Path, Position::Type);
        for segment in &path.segments {
            self.visit_path_arguments(&segment.arguments);
        }
    }

    fn visit_type_path(&mut self, node: &'ast syn::TypePath) {
        self.qualified(&node.qself, &node.path, Position::Type);
    }

    fn visit_expr_path(&mut self, node: &'ast syn::ExprPath) {
        for attr in &node.attrs {
            self.visit_attribute(attr);
        }
        self.qualified(&node.qself, &node.path, Position::Value);
    }

    fn visit_expr_struct(&mut self, node: &'ast syn::ExprStruct) {
        for attr in &node.attrs {
            self.visit_attribute(attr);
        }
        self.qualified(&node.qself, &node.path, Position::Type);
        for field in &node.fields {
            self.visit_field_value(field);
        }
        if let Some(rest) = &node.rest {
            self.visit_expr(rest);
        }
    }

    fn visit_pat_struct(&mut self, node: &'ast syn::PatStruct) {
        for attr in &node.attrs {
            self.visit_attribute(attr);
        }
        self.qualified(&node.qself, &node.path, Position::Type);
        for field in &node.fields {
            self.visit_field_pat(field);
        }
    }

    fn visit_pat_tuple_struct(&mut self, node: &'ast syn::PatTupleStruct) {
        for attr in &node.attrs {
            self.visit_attribute(attr);
        }
        self.qualified(&node.qself, &node.path, Position::Value);
        for elem in &node.elems {
            self.visit_pat(elem);
        }
    }

    fn visit_attribute(&mut self, attr: &'ast Attribute) {
        let path = attr.path();
        if INERT_ATTRIBUTES.iter().any(|name| path.is_ident(name)) {
            return;
        }
        self.path(path, Via::Path, Position::Macro);
        if path.is_ident("derive") {
            if let Ok(derived) =
                attr.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
            {
                for derived in &derived {
                    self.path(derived, Via::Path, Position::Macro);
                }
            }
        } else if let Meta::List(list) = &attr.meta {
            self.macro_tokens(list.tokens.clone());
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if mac.path.is_ident("macro_rules") {
            return;
        }
        self.macro_path(&mac.path);
        self.macro_tokens(mac.tokens.clone());
    }

    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_item(&mut self, item: &'ast Item) {
        if !self.skipped(super::extract::item_attrs(item)) {
            visit::visit_item(self, item);
        }
    }

    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        let attrs = match item {
            syn::ImplItem::Const(i) => &i.attrs,
            syn::ImplItem::Fn(i) => &i.attrs,
            syn::ImplItem::Type(i) => &i.attrs,
            syn::ImplItem::Macro(i) => &i.attrs,
            _ => return visit::visit_impl_item(self, item),
        };
        if !self.skipped(attrs) {
            visit::visit_impl_item(self, item);
        }
    }

    fn visit_trait_item(&mut self, item: &'ast syn::TraitItem) {
        let attrs = match item {
            syn::TraitItem::Const(i) => &i.attrs,
            syn::TraitItem::Fn(i) => &i.attrs,
            syn::TraitItem::Type(i) => &i.attrs,
            syn::TraitItem::Macro(i) => &i.attrs,
            _ => return visit::visit_trait_item(self, item),
        };
        if !self.skipped(attrs) {
            visit::visit_trait_item(self, item);
        }
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        let mut scope = BlockScope::default();
        let mut use_refs = Vec::new();
        for stmt in &block.stmts {
            let Stmt::Item(item) = stmt else { continue };
            if self.skipped(super::extract::item_attrs(item)) {
                continue;
            }
            match item {
                Item::Use(u) => {
                    // Walk the use tree as a module would; its bindings go
                    // in the block scope, its references are checked
                    // against that scope below.
                    let mut code = ModuleCode::default();
                    super::extract::use_item(u, self.lines, &mut code);
                    use_refs.append(&mut code.refs);
                    for import in code.imports {
                        scope.imports.insert(import.name, import.path);
                    }
                    scope.has_glob |= !code.globs.is_empty();
                }
                Item::Mod(m) => {
                    scope.locals.insert(unraw(&m.ident));
                }
                other => {
                    if let Some((name, _)) = super::extract::declared_name(other) {
                        scope.locals.insert(name);
                    }
                }
            }
        }
        self.blocks.push(scope);
        for reference in use_refs {
            self.push(
                reference.path,
                reference.via,
                reference.position,
                reference.span,
            );
        }
        visit::visit_block(self, block);
        self.blocks.pop();
    }

    fn visit_item_mod(&mut self, _: &'ast syn::ItemMod) {
        // A module inside a function body: its `self::` and `super::` are
        // relative to a module the tree does not have, so its paths cannot
        // be resolved for sure. Skipped.
    }

    fn visit_item_use(&mut self, _: &'ast syn::ItemUse) {
        // Block-level uses are handled in `visit_block`, module-level ones
        // by extraction.
    }

    fn visit_item_fn(&mut self, node: &'ast syn::ItemFn) {
        self.with_generics(&node.sig.generics, |v| visit::visit_item_fn(v, node));
    }
    fn visit_item_struct(&mut self, node: &'ast syn::ItemStruct) {
        self.with_generics(&node.generics, |v| visit::visit_item_struct(v, node));
    }
    fn visit_item_enum(&mut self, node: &'ast syn::ItemEnum) {
        self.with_generics(&node.generics, |v| visit::visit_item_enum(v, node));
    }
    fn visit_item_union(&mut self, node: &'ast syn::ItemUnion) {
        self.with_generics(&node.generics, |v| visit::visit_item_union(v, node));
    }
    fn visit_item_trait(&mut self, node: &'ast syn::ItemTrait) {
        self.with_generics(&node.generics, |v| visit::visit_item_trait(v, node));
    }
    fn visit_item_impl(&mut self, node: &'ast syn::ItemImpl) {
        self.with_generics(&node.generics, |v| visit::visit_item_impl(v, node));
    }
    fn visit_item_type(&mut self, node: &'ast syn::ItemType) {
        self.with_generics(&node.generics, |v| visit::visit_item_type(v, node));
    }
    fn visit_impl_item_fn(&mut self, node: &'ast syn::ImplItemFn) {
        self.with_generics(&node.sig.generics, |v| visit::visit_impl_item_fn(v, node));
    }
    fn visit_impl_item_type(&mut self, node: &'ast syn::ImplItemType) {
        self.with_generics(&node.generics, |v| visit::visit_impl_item_type(v, node));
    }
    fn visit_trait_item_fn(&mut self, node: &'ast syn::TraitItemFn) {
        self.with_generics(&node.sig.generics, |v| visit::visit_trait_item_fn(v, node));
    }
    fn visit_trait_item_type(&mut self, node: &'ast syn::TraitItemType) {
        self.with_generics(&node.generics, |v| visit::visit_trait_item_type(v, node));
    }
    fn visit_foreign_item_fn(&mut self, node: &'ast syn::ForeignItemFn) {
        self.with_generics(&node.sig.generics, |v| {
            visit::visit_foreign_item_fn(v, node)
        });
    }
}
