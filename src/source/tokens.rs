//! Macro invocations seen as tokens: item-position macros reparsed as items,
//! and path-like token runs (`crate::billing::total`) in macro arguments.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

use super::code::RawPath;
use super::extract::{parse_items, span_bytes, unraw_str};

/// The body of an item-position macro, split into what parses as items and
/// the pieces of tokens that do not, each to be scanned on its own (joining
/// them could make a path out of tokens that were never next to each
/// other).
pub struct MacroContents {
    pub items: Vec<syn::Item>,
    pub rest: Vec<TokenStream>,
}

/// Parses the whole body as items, or failing that, each brace group in it
/// (recursively), so `cfg_if! { if #[cfg(a)] { mod x; } else { mod y; } }`
/// yields both modules.
///
/// A failed attempt costs the size of the group tried, nested groups
/// included, and each nested group is tried again: nested n deep, that is n
/// times the body. So attempts draw on a budget of a few times the body's
/// size; once it is spent, groups are only scanned for paths (a `mod` that
/// deep in a macro is then not seen; nothing is reported wrongly).
pub fn item_macro_contents(tokens: TokenStream) -> MacroContents {
    let mut contents = MacroContents {
        items: Vec::new(),
        rest: Vec::new(),
    };
    let size = stream_bytes(&tokens);
    let mut budget = PARSE_BUDGET_FACTOR * size + PARSE_BUDGET_BASE;
    split_contents(tokens, size, &mut budget, &mut contents);
    contents.rest.retain(|piece| !piece.is_empty());
    contents
}

/// Parse attempts may cover this many times a macro body's bytes...
const PARSE_BUDGET_FACTOR: usize = 4;
/// ...plus this many, so small bodies always get every attempt.
const PARSE_BUDGET_BASE: usize = 64 * 1024;

fn split_contents(
    tokens: TokenStream,
    size: usize,
    budget: &mut usize,
    contents: &mut MacroContents,
) {
    if size <= *budget {
        *budget -= size;
        if let Some(items) = parse_items(tokens.clone()) {
            contents.items.extend(items);
            return;
        }
    }
    let mut piece = TokenStream::new();
    for token in tokens {
        match token {
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                contents.rest.push(std::mem::take(&mut piece));
                let inner = group.stream();
                let size = span_len(group.span());
                split_contents(inner, size, budget, contents);
            }
            other => piece.extend([other]),
        }
    }
    contents.rest.push(piece);
}

/// The bytes a token stream spans in its file (its tokens are contiguous
/// source text).
fn stream_bytes(tokens: &TokenStream) -> usize {
    let mut iter = tokens.clone().into_iter();
    let Some(first) = iter.next() else {
        return 0;
    };
    let last = iter.last().unwrap_or_else(|| first.clone());
    span_bytes(first.span(), last.span()).len()
}

fn span_len(span: proc_macro2::Span) -> usize {
    span.byte_range().len()
}

/// A path-like run of tokens and the spans of its first and last token.
pub struct PathRun {
    pub path: RawPath,
    pub first: proc_macro2::Span,
    pub last: proc_macro2::Span,
}

/// Every maximal `a::b::c` or `::a` run in `tokens` (nested groups
/// included).
pub fn path_runs(tokens: TokenStream) -> Vec<PathRun> {
    let mut runs = Vec::new();
    collect_runs(tokens, &mut runs);
    runs
}

fn collect_runs(tokens: TokenStream, runs: &mut Vec<PathRun>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        if let TokenTree::Group(group) = &tokens[i] {
            collect_runs(group.stream(), runs);
            i += 1;
            continue;
        }
        // `$crate::x`, `$var::x` and `'label` are templates or lifetimes.
        let after_sigil = i > 0
            && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == '$' || p.as_char() == '\'');
        // A `::` starts a path only where no path or type precedes it
        // (`Vec::<u8>::new` continues a turbofish, it is not `::new`).
        let leading_colon = is_path_sep(&tokens, i)
            && !matches!(
                i.checked_sub(1).map(|p| &tokens[p]),
                Some(TokenTree::Ident(_) | TokenTree::Group(_))
            )
            && !matches!(i.checked_sub(1).map(|p| &tokens[p]), Some(TokenTree::Punct(p)) if p.as_char() == '>' || (p.as_char() == ':' && p.spacing() == Spacing::Joint));
        let first = if leading_colon { i + 2 } else { i };
        // An ident right after `::` continues a path that did not start
        // here (`$crate::x`, `<T>::x`): not a fresh run.
        let mid_path = !leading_colon && i >= 2 && is_path_sep(&tokens, i - 2);
        let (Some(TokenTree::Ident(_)), false, false) = (tokens.get(first), after_sigil, mid_path)
        else {
            i += 1;
            continue;
        };
        // The run's last ident: every third token from the first, while
        // `::` and an ident follow.
        let mut end = first;
        while is_path_sep(&tokens, end + 1)
            && matches!(tokens.get(end + 3), Some(TokenTree::Ident(_)))
        {
            end += 3;
        }
        // Most runs are a lone ident (`x` in `println!("{}", x)`): only a
        // path is spelled out.
        if end > first || leading_colon {
            let segments = (first..=end).step_by(3).filter_map(|j| match &tokens[j] {
                TokenTree::Ident(ident) => Some(unraw_str(&ident.to_string())),
                _ => None,
            });
            runs.push(PathRun {
                path: RawPath {
                    leading_colon,
                    segments: segments.collect(),
                },
                first: tokens[i].span(),
                last: tokens[end].span(),
            });
        }
        i = end + 1;
    }
}

/// Whether tokens `i` and `i + 1` form `::`.
fn is_path_sep(tokens: &[TokenTree], i: usize) -> bool {
    matches!(
        (tokens.get(i), tokens.get(i + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(src: &str) -> Vec<String> {
        let tokens: TokenStream = src.parse().unwrap();
        path_runs(tokens)
            .into_iter()
            .map(|run| {
                let p = run.path;
                let joined = p.segments.joined().to_string();
                if p.leading_colon {
                    format!("::{joined}")
                } else {
                    joined
                }
            })
            .collect()
    }

    #[test]
    fn finds_path_runs_in_macro_arguments() {
        assert_eq!(
            runs(r#""{}", crate::billing::total(x)"#),
            ["crate::billing::total"]
        );
        assert_eq!(
            runs("v = ::sqlx::query(a::b) => { c::d }"),
            ["::sqlx::query", "a::b", "c::d"]
        );
        assert_eq!(runs(r#""crate::not::a::path" foo"#), Vec::<String>::new());
        assert_eq!(runs("$crate::x::y"), Vec::<String>::new());
        assert_eq!(runs("Vec::<u8>::new()"), Vec::<String>::new());
        assert_eq!(
            runs("std::collections::HashMap::<K, V>::new()"),
            ["std::collections::HashMap"]
        );
    }

    #[test]
    fn pieces_around_brace_groups_are_scanned_apart() {
        let tokens: TokenStream = "lazy foo { ::b::c }".parse().unwrap();
        let pieces = item_macro_contents(tokens).rest;
        let found: Vec<String> = pieces
            .into_iter()
            .flat_map(path_runs)
            .map(|run| run.path.segments.joined().to_string())
            .collect();
        assert_eq!(found, ["b::c"]);
    }

    #[test]
    fn reparses_brace_groups_as_items() {
        let tokens: TokenStream = "if #[cfg(unix)] { mod a; } else { mod b; }"
            .parse()
            .unwrap();
        let contents = item_macro_contents(tokens);
        assert_eq!(contents.items.len(), 2);
    }
}
