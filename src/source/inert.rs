//! Blocks of function bodies (and functions' parameters) that can hold no
//! reference, found by the nesting guard's pass over a file (`depth.rs`)
//! and blanked out of the text syn reads, as doc comments are (`docs.rs`).
//!
//! A reference is spelled with `::` (a path of two or more segments, or
//! one with a leading `::`), after `#` (an attribute's path), before a
//! macro's `!`, or in a `use` or `extern crate` item. A `{ .. }` group inside
//! a function body whose text has none of these, no `mod` or `macro_rules`,
//! and no byte outside ASCII, yields no reference, and what it declares is
//! local to the block: no fact of the file depends on its insides. In a
//! block that is kept, a statement ending in `;` is such text too, unless
//! it declares an item the statements after it may name (`struct S;`
//! before `S::new()`). So are the insides of parentheses right after an
//! operand (a call's arguments, a tuple struct's fields: `f(a, b.c())`),
//! which parse as well empty; not other parentheses, some of which must
//! hold something (`pub(crate)`, `dyn (Trait)`, `T: A + (B)`). So are a
//! macro call's tokens, whole (`format!("{x}", y)`), never a part of
//! them: a macro may read its tokens any way it likes. What a macro in a
//! body declares (`thread_local!(static X: ..)`) is not local to a group,
//! but no fact holds it: extraction names a block's items from its item
//! statements only, never from macro calls. So are a function's
//! parameters, anywhere (`fn f(&self, n: u8) -> u8;` in a trait): its
//! first parentheses outside the generics' `<..>`, which parse as well
//! empty and bind nothing a path may start from. syn then
//! need not parse them: a whole body in nearly half of rust-analyzer's
//! functions (`{ self.len == 0 }`), and blocks, statements and arguments
//! in many more (`if x { return None; }`, `let n = a.len() + 1;`,
//! `crate::log::write(&buf, n)`).
//!
//! Each byte inside such a block or statement but `\n` becomes a space:
//! every other byte, line and column stays where it was (text with a
//! non-ASCII byte is left alone, as blanking a character of several bytes
//! would move the columns after it on its line). A syntax error inside
//! blanked text is not reported: nothing inside it is checked either way.

use std::ops::Range;

use super::depth::MAX_NESTING;

/// Follows the tokens of one file and lists its inert blocks.
pub struct InertBlocks {
    /// The open delimiter groups, the file's own first.
    groups: Vec<Group>,
    signature: Signature,
    /// The next group opened holds an attribute's or a macro's tokens.
    seal_next: bool,
    /// The next group opened holds a macro's tokens.
    macro_next: bool,
    /// The last token was `::`: a `{` right after it is a `use` group.
    after_path_separator: bool,
    /// In a `use` item, until its `;`: a group opened there is a `use`
    /// tree's (`use {a, b};`).
    in_use: bool,
    /// The last token was `pub`: a `(` right after it is a visibility's
    /// (`pub(crate)`), which cannot be empty.
    after_pub: bool,
    /// The insides of the inert blocks closed so far, in text order, none
    /// inside another.
    found: Vec<Range<u32>>,
    /// A delimiter closed what it does not match (the text does not
    /// parse, and is left whole for the parser to say where), or the
    /// nesting went deeper than the guard lets through (the file is not
    /// parsed, and its groups are not kept).
    given_up: bool,
}

#[derive(Clone, Copy)]
struct Group {
    /// The close delimiter that matches the open one.
    closer: u8,
    /// The byte just after the open delimiter.
    inside: u32,
    /// The group is a function body or lies inside one.
    in_body: bool,
    /// The group holds an attribute's or a macro's tokens, or lies inside
    /// such a group: left as it is.
    sealed: bool,
    /// A group that is blanked if it turns out clean: a block, a call's
    /// parentheses, a macro call's tokens.
    candidate: bool,
    /// Something that may be or hold a reference was seen inside.
    dirty: bool,
    /// An item was declared inside.
    declares: bool,
    /// Where the statement being read starts: after the open delimiter
    /// or the last `;`.
    statement: u32,
    /// The statement holds what may be a reference, or declares an item
    /// the statements after it may name.
    statement_kept: bool,
}

/// Where the tokens are in a function's signature: after `fn`, a name
/// starts one, the first `(` outside its generics' `<..>` holds its
/// parameters, and the first `{` outside its parentheses and brackets
/// opens its body (a `;` there ends a function without one).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Signature {
    None,
    AfterFn,
    /// After a function's name, before its parameters, in a signature
    /// whose delimiters are closed at `at` open groups; `angle` generic
    /// brackets are open.
    Named {
        at: usize,
        angle: usize,
    },
    /// Past a function's parameters, in a signature whose delimiters are
    /// closed at this many open groups.
    At(usize),
}

impl Signature {
    /// How many groups are open around the signature's own delimiters.
    fn level(self) -> Option<usize> {
        match self {
            Signature::Named { at, .. } | Signature::At(at) => Some(at),
            Signature::None | Signature::AfterFn => None,
        }
    }
}

impl Default for InertBlocks {
    fn default() -> InertBlocks {
        InertBlocks {
            groups: vec![Group {
                closer: 0,
                inside: 0,
                in_body: false,
                sealed: false,
                candidate: false,
                dirty: false,
                declares: false,
                statement: 0,
                statement_kept: false,
            }],
            signature: Signature::None,
            seal_next: false,
            macro_next: false,
            after_path_separator: false,
            in_use: false,
            after_pub: false,
            found: Vec::new(),
            given_up: false,
        }
    }
}

impl InertBlocks {
    /// Whether the groups were given up on: delimiters that do not match,
    /// or nesting deeper than the guard lets through.
    pub fn given_up(&self) -> bool {
        self.given_up
    }

    /// The inert blocks' insides, in text order.
    pub fn finish(self) -> Vec<Range<u32>> {
        if self.given_up {
            return Vec::new();
        }
        self.found
    }

    fn top(&mut self) -> &mut Group {
        self.groups.last_mut().expect("the file's group")
    }

    /// Marks the innermost group and its statement as holding what may be
    /// a reference.
    fn dirty(&mut self) {
        let top = self.top();
        top.dirty = true;
        top.statement_kept = true;
    }

    /// Whether the bytes of a token or comment matter: only inside a body,
    /// in a group or a statement still clean (a statement kept for the item
    /// it declares may still make its group dirty).
    fn watching(&self) -> bool {
        let top = self.groups.last().expect("the file's group");
        top.in_body && !(top.dirty && top.statement_kept)
    }

    /// Lists a range to blank, in place of the ranges inside it; one that
    /// goes on from the last (the next clean statement) extends it, so the
    /// list stays short beside the text.
    fn blank(&mut self, range: Range<u32>) {
        while self.found.last().is_some_and(|b| b.start >= range.start) {
            self.found.pop();
        }
        match self.found.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => self.found.push(range),
        }
    }

    /// A word: a keyword, a name or a number; `raw` for the name of a raw
    /// identifier (`r#fn`), which is never a keyword.
    pub fn word(&mut self, word: &[u8], raw: bool) {
        let keyword: &[u8] = if raw { b"" } else { word };
        self.after_path_separator = false;
        self.after_pub = keyword == b"pub";
        // `macro_rules! name { .. }`: a definition, not a call.
        self.macro_next = false;
        self.signature = match self.signature {
            Signature::AfterFn => Signature::Named {
                at: self.groups.len(),
                angle: 0,
            },
            Signature::None if keyword == b"fn" => Signature::AfterFn,
            other => other,
        };
        self.in_use |= keyword == b"use";
        if self.watching() {
            if !word.is_ascii() || matches!(keyword, b"use" | b"extern" | b"mod" | b"macro_rules") {
                self.dirty();
            } else if matches!(
                keyword,
                b"fn"
                    | b"struct"
                    | b"enum"
                    | b"union"
                    | b"trait"
                    | b"type"
                    | b"impl"
                    | b"const"
                    | b"static"
            ) {
                let top = self.top();
                top.declares = true;
                top.statement_kept = true;
            }
        }
    }

    /// A literal (string, character) or a lifetime.
    pub fn literal(&mut self, bytes: &[u8]) {
        self.punct();
        if self.watching() && !bytes.is_ascii() {
            self.dirty();
        }
    }

    /// A comment: nothing to the parser, but a non-ASCII one counts.
    pub fn comment(&mut self, bytes: &[u8]) {
        if self.watching() && !bytes.is_ascii() {
            self.dirty();
        }
    }

    /// `::`.
    pub fn path_separator(&mut self) {
        self.punct();
        self.after_path_separator = true;
        self.dirty();
    }

    /// `#`: an attribute follows.
    pub fn pound(&mut self) {
        self.punct();
        self.seal_next = true;
        self.dirty();
    }

    /// A `!` after an operand that is not `!=`: a macro's.
    pub fn macro_bang(&mut self) {
        self.punct();
        self.seal_next = true;
        self.macro_next = true;
        self.dirty();
    }

    /// `;` at byte `at`: ends a statement, or a function without a body.
    /// A statement of a block kept is blanked when it is clean and declares
    /// nothing: the statements left parse as they did.
    pub fn semicolon(&mut self, at: usize) {
        if self.signature.level() == Some(self.groups.len()) {
            self.signature = Signature::None;
        }
        self.punct();
        self.seal_next = false;
        self.macro_next = false;
        self.in_use = false;
        let top = *self.groups.last().expect("the file's group");
        if top.candidate && !top.sealed && top.closer == b'}' && !top.statement_kept {
            self.blank(top.statement..offset(at + 1));
        }
        let top = self.top();
        top.statement = offset(at + 1);
        top.statement_kept = false;
    }

    /// Any other token.
    pub fn punct(&mut self) {
        self.after_path_separator = false;
        self.after_pub = false;
        if self.signature == Signature::AfterFn {
            self.signature = Signature::None;
        }
    }

    /// A `<` (`open`) or `>` that is not part of `->` or `=>`: in a
    /// signature before its parameters, its generics open or close.
    pub fn angle(&mut self, open: bool) {
        let level = self.groups.len();
        if let Signature::Named { at, angle } = &mut self.signature {
            if *at == level {
                *angle = if open {
                    *angle + 1
                } else {
                    angle.saturating_sub(1)
                };
            }
        }
    }

    /// An open delimiter at byte `at`, right after an operand or not.
    pub fn open(&mut self, at: usize, delimiter: u8, after_operand: bool) {
        if self.given_up || self.groups.len() > MAX_NESTING {
            self.given_up = true;
            return;
        }
        let parent = *self.groups.last().expect("the file's group");
        let level = self.groups.len();
        let body = delimiter == b'{' && self.signature.level() == Some(level);
        // A function's parameters: what they name is written with `::` or
        // in an attribute as anywhere, and emptied they parse as they did
        // (`fn f() -> T`). They are watched as a body's insides are.
        let parameters = delimiter == b'('
            && self.signature
                == Signature::Named {
                    at: level,
                    angle: 0,
                };
        if parameters {
            self.signature = Signature::At(level);
        }
        if body || self.signature == Signature::AfterFn {
            self.signature = Signature::None;
        }
        let in_body = parent.in_body || body || parameters;
        let sealed = parent.sealed || self.seal_next || self.in_use;
        self.groups.push(Group {
            closer: match delimiter {
                b'(' => b')',
                b'[' => b']',
                _ => b'}',
            },
            inside: offset(at + 1),
            in_body,
            sealed,
            // A macro's tokens with nothing in them that may be a
            // reference go whole (`format!("{x}", y)`): what is left is
            // a call with no arguments.
            candidate: in_body
                && !self.after_path_separator
                && (self.macro_next && !parent.sealed && !self.in_use
                    || !sealed
                        && match delimiter {
                            b'{' => true,
                            // A call's or a tuple pattern's parentheses (`f(..)`,
                            // `Some(..)`): empty, they parse as they did. Not
                            // others: `dyn (Trait)` or `+ (?Sized)` cannot be empty.
                            b'(' => (after_operand || parameters) && !self.after_pub,
                            _ => false,
                        }),
            dirty: false,
            declares: false,
            statement: offset(at + 1),
            statement_kept: false,
        });
        self.seal_next = false;
        self.macro_next = false;
        self.after_path_separator = false;
        self.after_pub = false;
    }

    /// A close delimiter at byte `at`.
    pub fn close(&mut self, at: usize, delimiter: u8) {
        self.seal_next = false;
        self.macro_next = false;
        self.after_path_separator = false;
        self.after_pub = false;
        if self.given_up || self.groups.len() < 2 {
            self.given_up = true;
            return;
        }
        let group = self.groups.pop().expect("an open group");
        self.given_up |= group.closer != delimiter;
        if let Some(depth) = self.signature.level() {
            if self.groups.len() < depth {
                self.signature = Signature::None;
            }
        }
        if group.candidate && !group.dirty && group.inside < offset(at) {
            // The blocks and statements inside this one go with it.
            self.blank(group.inside..offset(at));
        }
        let top = self.top();
        top.dirty |= group.dirty;
        top.declares |= group.declares;
        top.statement_kept |= group.dirty || group.declares;
    }
}

/// Files read are far under 4 GB (`read::MAX_FILE_BYTES`).
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use crate::source::depth::{scan, MAX_NESTING};

    /// The insides of the blocks `scan` finds inert, as text.
    fn inert(text: &str) -> Vec<&str> {
        scan(text)
            .inert_blocks
            .iter()
            .map(|b| &text[b.start as usize..b.end as usize])
            .collect()
    }

    #[test]
    fn a_body_without_paths_macros_or_attributes_is_inert() {
        assert_eq!(
            inert("fn a() -> bool { self.len == 0 }"),
            [" self.len == 0 "]
        );
        assert_eq!(
            inert("impl A { pub fn b<T>(&self, t: T) where T: B { let x = t; x } }"),
            ["&self, t: T", " let x = t; x "]
        );
        // The biggest block only, not the blocks inside it.
        assert_eq!(
            inert("fn c() { if x { y } else { z } }"),
            [" if x { y } else { z } "]
        );
    }

    #[test]
    fn what_may_hold_a_reference_keeps_a_block_but_not_the_clean_blocks_inside_it() {
        assert_eq!(
            inert("fn a() { crate::b::c(); if x { return None; } }"),
            [" return None; "]
        );
        assert!(inert("fn a() { ::b(); }").is_empty());
        assert!(inert("fn a() { #[allow(x)] let y = 1; }").is_empty());
        assert!(inert("fn a() { use b; }").is_empty());
        assert!(inert("fn a() { extern crate b; }").is_empty());
        // A module in a body is none of the tree's: its insides may go.
        assert_eq!(inert("fn a() { mod b { c } }"), [" c "]);
        assert!(inert("fn a() { macro_rules! m { () => {} } }").is_empty());
        // A macro's tokens go whole or not at all: never a group or a
        // statement inside them.
        assert_eq!(
            inert("fn a() { println!(\"{}\", { x }); }"),
            ["\"{}\", { x }"]
        );
        assert_eq!(inert("fn a() { m! { b { c } } }"), [" b { c } "]);
        assert!(inert("fn a() { m! { b { c } d::e; } }").is_empty());
        assert!(inert("fn a() { m!(x; y!(z)); }").is_empty());
        assert!(inert("fn a() { m!(#[x] y); }").is_empty());
        assert!(inert("fn a() { macro_rules! m { ($x:expr) => { $x } } }").is_empty());
        // A `use` group is never blanked, even in a block kept.
        assert_eq!(inert("fn a() { use b::{c}; { d } }"), [" d "]);
        assert_eq!(inert("fn a() { use {b, c}; { d } }"), [" d "]);
        // Negation and `!=` are no macro.
        assert_eq!(
            inert("fn a() { if !x && y != z { w } }"),
            [" if !x && y != z { w } "]
        );
    }

    #[test]
    fn the_clean_statements_of_a_block_kept_are_blanked_but_local_items() {
        assert_eq!(
            inert("fn a() { let x = 1; crate::b::c(); let y = 2; y }"),
            [" let x = 1;", " let y = 2;"]
        );
        // Clean statements in a row are one range.
        assert_eq!(
            inert("fn a() { let x = 1; x += 1; crate::b::c(); }"),
            [" let x = 1; x += 1;"]
        );
        // A block statement without `;` goes with the statement after it.
        assert_eq!(
            inert("fn a() { crate::b(); if x { y(); } let z = 2; z }"),
            [" if x { y(); } let z = 2;"]
        );
        // An item the other statements may name stays.
        assert!(inert("fn a() { struct S; S::new(); }").is_empty());
        assert_eq!(inert("fn a() { const N: u8 = { 1 }; N::x(); }"), [" 1 "]);
        assert_eq!(inert("fn a() { fn b() { c } b::d(); }"), [" c "]);
        // What may be a reference after an item, in the same statement,
        // keeps the block.
        assert_eq!(inert("fn a() { fn g() { x } use b; }"), [" x "]);
        assert!(inert("fn a() { struct S {} let s = \"é\"; }").is_empty());
    }

    #[test]
    fn the_clean_arguments_of_a_call_kept_are_blanked() {
        assert_eq!(inert("fn a() { crate::b::c(x, y.z(1)); }"), ["x, y.z(1)"]);
        assert_eq!(
            inert("fn a() { let s = crate::S(v); match t { crate::E::F(x) => g(x, 2) } }"),
            ["v", "x", "x, 2"]
        );
        // Arguments that hold a path stay; clean ones inside them go.
        assert_eq!(inert("fn a() { f(crate::b(x)); }"), ["x"]);
        // Parentheses that cannot be empty, or that follow no operand
        // (a bound's, a tuple's), stay: `pub()`, `dyn ()` do not parse.
        assert!(inert("fn a() { pub(crate) fn b() {} b::c(); }").is_empty());
        assert!(inert("fn a() { let f: &dyn (Fn()) = crate::g; }").is_empty());
        assert!(inert("fn a() { fn b<T: A + (B)>() {} b::c(); }").is_empty());
        assert_eq!(
            inert("fn a() { crate::b((x, y), crate::C + (z)); }"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn only_function_bodies_and_ascii_text_are_blanked() {
        assert!(
            inert("struct A { x: u8 } enum B { C } impl D { const E: u8 = { 1 }; }").is_empty()
        );
        assert!(inert("type F = fn(u8) -> u8; const G: u8 = { 1 };").is_empty());
        assert!(inert("fn a() { let s = \"é\"; }").is_empty());
        assert!(inert("fn a() { // é\n}").is_empty());
        assert_eq!(
            inert("fn a() { /* :: # ! use */ x }"),
            [" /* :: # ! use */ x "]
        );
        assert_eq!(
            inert("fn a() { \"::\"; '#'; r\"!\" }"),
            [" \"::\"; '#'; r\"!\" "]
        );
    }

    #[test]
    fn a_functions_clean_parameters_are_blanked_wherever_it_is() {
        assert_eq!(inert("trait A { fn b(); fn c(&self) -> u8; }"), ["&self"]);
        // The first parentheses outside the generics, never a bound's.
        assert_eq!(
            inert("fn f<F: Fn(u8), T: (Clone)>(f: F, t: T) -> (u8, u8) { a::b() }"),
            ["f: F, t: T"]
        );
        assert_eq!(inert("fn f<T: Tr<A = B>>(t: T) {}"), ["t: T"]);
        assert!(inert("type F = fn(u8) -> u8; fn g(x: a::B) {}").is_empty());
        assert!(inert("fn f(#[cfg(x)] y: u8) {} fn g(é: u8) {}").is_empty());
        // Inside parameters that are kept, a call-like group is blanked.
        assert_eq!(inert("fn f(x: impl Fn(u8) -> a::B) {}"), ["u8"]);
        assert!(inert("macro_rules! m { () => { fn f(x: u8) {} } }").is_empty());
        // A raw identifier is a name, never the keyword it spells.
        assert!(inert("struct S<'a> { r#fn: u8, x: [u8; 2], y: &'a dyn (Send) }").is_empty());
    }

    #[test]
    fn a_text_whose_delimiters_do_not_match_is_left_whole() {
        assert!(inert("fn a() { x } fn b() { foo(1, ], 2) }").is_empty());
        assert!(inert("fn a() { x } }").is_empty());
    }

    #[test]
    fn a_text_nested_deeper_than_the_guard_lets_through_keeps_no_groups() {
        let deep = format!("fn a() {{ x }} fn b() {}", "(".repeat(MAX_NESTING + 2));
        assert!(inert(&deep).is_empty());
    }
}
