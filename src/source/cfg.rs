//! Which code only exists in test builds: items under a `cfg` predicate that
//! can only be true with `test`, and test functions.

use syn::punctuated::Punctuated;
use syn::{Attribute, Meta, Token};

/// Whether `attrs` make their item test-only: `#[cfg(test)]`,
/// `#[cfg(all(test, not(loom)))]`, `#[test]`, `#[tokio::test]`.
pub fn is_test_only(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let path = attr.path();
        if path.is_ident("cfg") {
            attr.parse_args::<Meta>()
                .map(|pred| implies_test(&pred))
                .unwrap_or(false)
        } else {
            matches!(attr.meta, Meta::Path(_))
                && path.segments.last().is_some_and(|s| s.ident == "test")
        }
    })
}

/// Whether the predicate can only hold when `test` does.
fn implies_test(pred: &Meta) -> bool {
    match pred {
        Meta::Path(path) => path.is_ident("test"),
        Meta::List(list) => {
            let Ok(args) = list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            else {
                return false;
            };
            if list.path.is_ident("all") {
                args.iter().any(implies_test)
            } else if list.path.is_ident("any") {
                !args.is_empty() && args.iter().all(implies_test)
            } else {
                false
            }
        }
        Meta::NameValue(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_only(src: &str) -> bool {
        let item: syn::ItemFn = syn::parse_str(&format!("{src} fn f() {{}}")).unwrap();
        is_test_only(&item.attrs)
    }

    #[test]
    fn recognises_test_only_predicates() {
        assert!(test_only("#[cfg(test)]"));
        assert!(test_only("#[cfg(all(test, not(loom)))]"));
        assert!(test_only("#[cfg(any(test, all(test, unix)))]"));
        assert!(test_only("#[test]"));
        assert!(test_only("#[tokio::test]"));
        assert!(!test_only("#[cfg(not(test))]"));
        assert!(!test_only("#[cfg(any(test, feature = \"x\"))]"));
        assert!(!test_only("#[cfg(feature = \"test\")]"));
        assert!(!test_only("#[cfg_attr(test, allow(unused))]"));
    }
}
