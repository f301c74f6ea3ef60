//! Inline modules with attributes at a file's top level, found by the
//! nesting guard's pass (`depth.rs`): `#[cfg(test)] mod tests { .. }`.
//!
//! A run that leaves test code out steps over a test module without
//! reading it (`parse::skip_test_module`), but the parser still turns its
//! text into tokens first, and test modules are a tenth to a fifth of the
//! bytes of many workspaces (rust-analyzer's, ripgrep's, bevy's). So the
//! pass lists where each attributed module's attributes and body are; the
//! run reads the attributes as the parser would (`cfg::is_test_only`) and
//! blanks the body of a test-only one, braces kept: what is left is a test
//! module with nothing in it, stepped over as before, over the same bytes.

use std::ops::Range;

/// One `#[..] pub(..) mod name { .. }` at a file's top level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributedModule {
    /// From the first attribute's `#` to the last one's `]`.
    pub attributes: Range<u32>,
    /// Between the body's braces.
    pub body: Range<u32>,
}

/// A token of the file's top level, as the pass meets it.
pub enum Token<'a> {
    /// `#`.
    Pound,
    /// An open delimiter, which opens a group inside the top level.
    Open(u8),
    /// A close delimiter that closes such a group.
    Close(u8),
    Word(&'a [u8]),
    /// Any other token: a literal, a punctuation.
    Other,
}

#[derive(Clone, Copy)]
enum State {
    Idle,
    /// A `#` at `start`, where the attributes start.
    Pound {
        start: usize,
    },
    InAttribute {
        start: usize,
    },
    /// After attributes that end at `end`.
    Attributed {
        start: usize,
        end: usize,
    },
    /// After `pub`; `pub(..)` when `restricted`.
    Visible {
        start: usize,
        end: usize,
        restricted: bool,
    },
    InVisibility {
        start: usize,
        end: usize,
    },
    Mod {
        start: usize,
        end: usize,
    },
    Named {
        start: usize,
        end: usize,
    },
    Body {
        start: usize,
        end: usize,
        open: usize,
    },
}

/// Follows the top-level tokens of one file and lists its attributed
/// inline modules.
pub struct Finder {
    state: State,
    found: Vec<AttributedModule>,
}

impl Default for Finder {
    fn default() -> Finder {
        Finder {
            state: State::Idle,
            found: Vec::new(),
        }
    }
}

impl Finder {
    /// The top-level token at byte `at`.
    pub fn token(&mut self, at: usize, token: Token) {
        use State::*;
        self.state = match (self.state, token) {
            (Attributed { start, .. }, Token::Pound) => Pound { start },
            (_, Token::Pound) => Pound { start: at },
            (Pound { start }, Token::Open(b'[')) => InAttribute { start },
            (InAttribute { start }, Token::Close(b']')) => Attributed { start, end: at + 1 },
            (Attributed { start, end }, Token::Word(b"pub")) => Visible {
                start,
                end,
                restricted: false,
            },
            (
                Visible {
                    start,
                    end,
                    restricted: false,
                },
                Token::Open(b'('),
            ) => InVisibility { start, end },
            (InVisibility { start, end }, Token::Close(b')')) => Visible {
                start,
                end,
                restricted: true,
            },
            (Attributed { start, end } | Visible { start, end, .. }, Token::Word(b"mod")) => {
                Mod { start, end }
            }
            (Mod { start, end }, Token::Word(_)) => Named { start, end },
            (Named { start, end }, Token::Open(b'{')) => Body {
                start,
                end,
                open: at + 1,
            },
            (Body { start, end, open }, Token::Close(b'}')) => {
                self.found.push(AttributedModule {
                    attributes: offset(start)..offset(end),
                    body: offset(open)..offset(at),
                });
                Idle
            }
            _ => Idle,
        };
    }

    /// The modules found, in text order.
    pub fn finish(self) -> Vec<AttributedModule> {
        self.found
    }
}

/// Files read are far under 4 GB (`read::MAX_FILE_BYTES`).
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The bodies of the test-only modules among `modules` of `text`, to
/// blank in a run that leaves test code out: those whose attributes
/// parse and say so, and whose body is all ASCII (blanking a character of
/// several bytes would move the columns after it on its line).
pub fn test_only_bodies(text: &str, modules: &[AttributedModule]) -> Vec<Range<u32>> {
    use syn::parse::Parser;
    modules
        .iter()
        .filter(|m| {
            let attributes = &text[m.attributes.start as usize..m.attributes.end as usize];
            let parsed = syn::Attribute::parse_outer.parse_str(attributes);
            parsed.is_ok_and(|attrs| super::cfg::is_test_only(&attrs))
                && text.as_bytes()[m.body.start as usize..m.body.end as usize].is_ascii()
        })
        .map(|m| m.body.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::source::depth::scan;

    /// The attributes and bodies of the attributed modules `scan` finds.
    fn found(text: &str) -> Vec<(&str, &str)> {
        let range = |r: &std::ops::Range<u32>| &text[r.start as usize..r.end as usize];
        scan(text)
            .attributed_modules
            .iter()
            .map(|m| (range(&m.attributes), range(&m.body)))
            .collect()
    }

    #[test]
    fn top_level_modules_with_attributes_are_found() {
        assert_eq!(
            found("fn a() {}\n#[cfg(test)]\n/// doc\n#[path = \"x\"] pub(crate) mod tests { fn b() {} }"),
            [("#[cfg(test)]\n/// doc\n#[path = \"x\"]", " fn b() {} ")]
        );
        assert_eq!(found("#[cfg(test)] mod t {}"), [("#[cfg(test)]", "")]);
        // Not an outer attribute, not a module, not at the top level.
        assert!(found("#![cfg(test)] mod t {}").is_empty());
        assert!(found("#[cfg(test)] fn t() {} mod u {}").is_empty());
        assert!(found("#[cfg(test)] mod t;").is_empty());
        assert!(found("mod a { #[cfg(test)] mod t {} }").is_empty());
        // Delimiters that do not match: no group is sure, none is listed.
        assert!(found("fn f() { a::b(); }\n#[cfg(test)] mod t { fn g() { (1]; } }").is_empty());
    }

    #[test]
    fn only_test_modules_with_ascii_bodies_are_blanked() {
        let text = "#[cfg(test)] mod a { x }\n#[cfg(all(test, unix))] mod b { y }\n\
                    #[cfg(unix)] mod c { z }\n#[cfg(test)] mod d { \"é\" }\n#[cfg(test mod e { w }";
        let bodies = super::test_only_bodies(text, &scan(text).attributed_modules);
        let texts: Vec<&str> = (bodies.iter())
            .map(|r| &text[r.start as usize..r.end as usize])
            .collect();
        assert_eq!(texts, [" x ", " y "]);
    }
}
