//! A cheap bound on how deep parsing a file will recurse, computed before
//! syn sees it: syn (and every tree walk after it) recurses once per level
//! of nesting, and a stack overflow aborts the process. Code nested deeper
//! than [`MAX_NESTING`] is a `parse-error` warning instead.
//!
//! The bound over-counts on purpose. It adds up, per delimiter group, the
//! delimiters around a point and the tokens that syn may recurse on without
//! a delimiter: since the last `;` or `,`, those whose operand swallows the
//! rest of the expression (`<` of generics, which `>` takes back, closure
//! bars, `=`, `..` and the keywords that chain: `else if`, `return`,
//! `break`, `move`, `let`, `dyn`, `impl`, `box`), and since the last operand,
//! prefix operators (`!`, `-`, `*`, `&`). Binary operators and pattern bars
//! (a token after an operand) are parsed in a loop, but each makes the
//! tree one level deeper for the walks and drops after it: they count one
//! level per 64 since the last `;` or `,`. `->` and `@` count in full
//! (return types and bindings nest), and so does the `*` of `*const` and
//! `*mut` pointers.
//!
//! Real code stays far below the limit: of the 15,593 files of tokio,
//! bevy, cargo, nushell, ripgrep, rust-analyzer and this project's
//! dependencies, the deepest scores 68 (syn's own tests), and the deepest
//! parser-torture fixture (rust-analyzer's `weird_exprs.rs`) 155.
//!
//! The same pass lists the comments it steps over ([`Scan::comments`]),
//! the blocks that can hold no reference ([`Scan::inert_blocks`]) and the
//! top-level modules with attributes ([`Scan::attributed_modules`]):
//! parsing blanks them out (`docs.rs`, `inert.rs`, and `attributed.rs` for
//! test modules when tests are left out) without a second pass.

use std::ops::Range;

use super::attributed::{self, AttributedModule};
use super::inert::InertBlocks;
use super::lexer::{
    block_comment_end, char_or_lifetime_len, line_end, quoted_end, raw_or_byte_string_end,
    starts_raw_or_byte_string,
};

/// The deepest nesting score parsed: six times the deepest file we found.
pub const MAX_NESTING: usize = 1_000;

/// Stack size of the threads that parse and walk syntax trees. Measured at
/// 990 levels, the hungriest construct (nested generics) takes about 50 KB
/// of stack per level in a debug build (about 3 KB in a release build), so
/// [`MAX_NESTING`] levels need about 50 MB: this leaves five times that.
/// It is only reserved, and touched only as deep as the code goes.
pub const PARSE_STACK_BYTES: usize = 256 * 1024 * 1024;

/// What the pass over a file's text finds before it is parsed.
#[derive(Debug)]
pub struct Scan {
    pub deepest: Nesting,
    /// In text order: every line doc comment, and the other comments that
    /// follow one with only blanks and comments between (what an item's
    /// doc comments may have after them). A text of plain comments lists
    /// none: the list stays small beside the text.
    pub comments: Vec<Comment>,
    /// The insides of the blocks of function bodies that can hold no
    /// reference, in text order (see `inert.rs`).
    pub inert_blocks: Vec<Range<u32>>,
    /// The top-level inline modules with attributes, in text order (see
    /// `attributed.rs`).
    pub attributed_modules: Vec<AttributedModule>,
}

/// A comment, by its bytes (a line comment's end at its newline). Files
/// read are far under 4 GB (`read::MAX_FILE_BYTES`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    start: u32,
    end: u32,
    pub kind: CommentKind,
}

impl Comment {
    fn new(bytes: Range<usize>, kind: CommentKind) -> Comment {
        let offset = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Comment {
            start: offset(bytes.start),
            end: offset(bytes.end),
            kind,
        }
    }

    pub fn bytes(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// What a comment is to the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentKind {
    /// `/// ..` (but `////`): an attribute of the item after it.
    OuterLineDoc,
    /// `//! ..`: an attribute of the module it is in.
    InnerLineDoc,
    /// `/** .. */` or `/*! .. */`: an attribute too.
    BlockDoc,
    /// Any other comment: nothing to the parser.
    Plain,
}

impl CommentKind {
    fn of_line(comment: &[u8]) -> CommentKind {
        match comment {
            [b'/', b'/', b'/', rest @ ..] if rest.first() != Some(&b'/') => {
                CommentKind::OuterLineDoc
            }
            [b'/', b'/', b'!', ..] => CommentKind::InnerLineDoc,
            _ => CommentKind::Plain,
        }
    }

    fn of_block(comment: &[u8]) -> CommentKind {
        match comment {
            [b'/', b'*', b'!', ..] => CommentKind::BlockDoc,
            // `/**/` and `/***..` are plain.
            [b'/', b'*', b'*', rest @ ..] if !matches!(rest.first(), Some(b'*' | b'/')) => {
                CommentKind::BlockDoc
            }
            _ => CommentKind::Plain,
        }
    }
}

/// How deep a file nests, and where it is deepest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nesting {
    pub score: usize,
    /// Byte offset of the token where the score was reached.
    pub at: usize,
}

struct Group {
    /// The score of the point where the group opened, plus one.
    base: usize,
    /// Tokens whose operand swallows the rest of the expression (closures,
    /// `return`, `=`, `..`, generics) since the group opened or its last
    /// `;` or `,`.
    run: usize,
    /// Prefix operators (`!`, `-`, `*`, `&`) since the last operand: their
    /// recursion ends with it.
    prefix: usize,
    /// Operators after an operand (`+`, `.`, `as`, a call's parentheses)
    /// since the last `;` or `,`: parsed in a loop, but each makes the tree
    /// one level deeper (`a + b + c` is `(a + b) + c`), and walking or
    /// dropping the tree recurses on that.
    links: usize,
}

/// Operator links that weigh as one level: a level of a left-leaning
/// binary tree costs a walk or a drop far less stack than a level of
/// parsing (measured: 400,000 `+` in one expression pass in a debug build,
/// 3,500,000 overflow 256 MB).
const LINKS_PER_LEVEL: usize = 64;

impl Group {
    fn score(&self) -> usize {
        self.base + self.run + self.prefix + self.links / LINKS_PER_LEVEL
    }

    /// A `;`, `,` or the end of a block: a new statement or element.
    fn separate(&mut self) {
        self.run = 0;
        self.prefix = 0;
        self.links = 0;
    }
}

/// The nesting score of a Rust source text (see the module's doc), and
/// its comments.
pub fn scan(text: &str) -> Scan {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    // Whether the last thing stepped over, blanks aside, was a listed
    // comment.
    let mut after_listed = false;
    let mut list = |comment: Comment, after_listed: &mut bool| {
        let doc = matches!(
            comment.kind,
            CommentKind::OuterLineDoc | CommentKind::InnerLineDoc
        );
        if doc || *after_listed {
            comments.push(comment);
            *after_listed = true;
        }
    };
    let mut groups = vec![Group {
        base: 0,
        run: 0,
        prefix: 0,
        links: 0,
    }];
    let mut deepest = Nesting { score: 0, at: 0 };
    let mut inert = InertBlocks::default();
    let mut modules = attributed::Finder::default();
    // Whether the last token ends an operand: then `-`, `*`, `&`, `|` and
    // `!` are binary operators, macro bangs or pattern bars, which syn
    // parses in a loop, not prefixes it recurses on.
    let mut after_operand = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        let mut step = 1;
        let mut chain = 0;
        let mut prefix = 0;
        let mut operand = Some(false);
        // A token of the top level that the module finder is not told of
        // below is another token to it.
        let top_level = groups.len() == 1;
        let mut told = false;
        if after_operand && is_link(b, next) {
            groups.last_mut().expect("a group").links += 1;
        }
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                // A run of blanks changes nothing: one step over all of it.
                i = run_end(bytes, i, BLANK);
                continue;
            }
            b'/' if next == Some(b'/') => {
                let end = line_end(bytes, i);
                let kind = CommentKind::of_line(&bytes[i..end]);
                list(Comment::new(i..end, kind), &mut after_listed);
                inert.comment(&bytes[i..end]);
                step = end - i;
                operand = None;
            }
            b'/' if next == Some(b'*') => {
                let end = block_comment_end(bytes, i);
                let kind = CommentKind::of_block(&bytes[i..end]);
                list(Comment::new(i..end, kind), &mut after_listed);
                inert.comment(&bytes[i..end]);
                step = end - i;
                operand = None;
            }
            b'"' => {
                step = quoted_end(bytes, i + 1) - i;
                operand = Some(true);
                inert.literal(&bytes[i..i + step]);
            }
            b'\'' => {
                step = char_or_lifetime_len(text, i);
                operand = Some(true);
                inert.literal(&bytes[i..(i + step).min(bytes.len())]);
            }
            b'r' | b'b' | b'c' if starts_raw_or_byte_string(bytes, i) => {
                step = raw_or_byte_string_end(bytes, i) - i;
                operand = Some(true);
                inert.literal(&bytes[i..i + step]);
            }
            b'(' | b'[' | b'{' => {
                if top_level {
                    modules.token(i, attributed::Token::Open(b));
                    told = true;
                }
                inert.open(i, b, after_operand);
                let base = groups.last().expect("the file's group").score() + 1;
                groups.push(Group {
                    base,
                    run: 0,
                    prefix: 0,
                    links: 0,
                });
            }
            b')' | b']' | b'}' => {
                if groups.len() == 2 {
                    modules.token(i, attributed::Token::Close(b));
                    told = true;
                }
                inert.close(i, b);
                operand = Some(true);
                if groups.len() > 1 {
                    groups.pop();
                }
                // An item or statement ends with its block, unless an
                // `else` carries the chain on.
                if b == b'}' && !text[i + 1..].trim_start().starts_with("else") {
                    groups.last_mut().expect("a group").separate();
                }
            }
            b';' => {
                inert.semicolon(i);
                groups.last_mut().expect("a group").separate();
            }
            b',' => {
                inert.punct();
                groups.last_mut().expect("a group").separate();
            }
            b':' if next == Some(b':') => {
                inert.path_separator();
                step = 2;
            }
            b'#' => {
                if top_level {
                    modules.token(i, attributed::Token::Pound);
                    told = true;
                }
                inert.pound();
            }
            // After an operand, and not `!=`: a macro's bang.
            b'!' if after_operand && next != Some(b'=') => inert.macro_bang(),
            b'<' => {
                inert.angle(true);
                chain = 1;
            }
            b'>' if !matches!(i.checked_sub(1).map(|p| bytes[p]), Some(b'-' | b'=')) => {
                inert.angle(false);
                let top = groups.last_mut().expect("a group");
                top.run = top.run.saturating_sub(1);
            }
            // `->` (return types nest: `fn() -> fn() -> T`) and `@`
            // (bindings nest: `a @ b @ c`).
            b'-' if next == Some(b'>') => {
                chain = 1;
                step = 2;
            }
            // `&&` and `||` are one token; a `|` or `||` that is not a
            // binary operator opens a closure.
            b'&' | b'|' if next == Some(b) => {
                step = 2;
                if !after_operand {
                    match b {
                        b'|' => chain = 1,
                        _ => prefix = 1,
                    }
                }
            }
            b'|' if !after_operand => chain = 1,
            b'!' | b'-' | b'*' | b'&' if !after_operand => prefix = 1,
            b'=' if !matches!(next, Some(b'=' | b'>'))
                && !matches!(
                    i.checked_sub(1).map(|p| bytes[p]),
                    Some(b'=' | b'!' | b'<' | b'>')
                ) =>
            {
                chain = 1
            }
            b'@' => chain = 1,
            // Postfix: what follows still follows an operand.
            b'?' => operand = Some(true),
            b'.' if next == Some(b'.') => {
                chain = 1;
                step = 2;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9' | 0x80.. => {
                let end = run_end(bytes, i, WORD);
                let word = &bytes[i..end];
                let kind = word_kind(word);
                // Right after a `#`: a raw identifier's name (`r#fn`); an
                // attribute's `#` is followed by `[` or `!`.
                let raw = i > 0 && bytes[i - 1] == b'#';
                if top_level {
                    modules.token(i, attributed::Token::Word(word));
                    told = true;
                }
                if kind == WordKind::Operand && !(after_operand && word == b"as") {
                    // A name or a number, code's most common token: it
                    // ends an operand and can only lower the score.
                    inert.word(word, raw);
                    groups.last_mut().expect("a group").prefix = 0;
                    after_listed = false;
                    after_operand = true;
                    i = end;
                    continue;
                }
                if after_operand && word == b"as" {
                    groups.last_mut().expect("a group").links += 1;
                }
                if kind == WordKind::Chaining {
                    chain = 1;
                }
                operand = Some(kind == WordKind::Operand);
                step = end - i;
                inert.word(word, raw);
            }
            _ => {}
        }
        let top = groups.last_mut().expect("a group");
        top.run += chain;
        top.prefix += prefix;
        let score = top.score();
        if let Some(operand) = operand {
            // A token (blanks and comments have no `operand`).
            if top_level && !told {
                modules.token(i, attributed::Token::Other);
            }
            after_listed = false;
            after_operand = operand;
            if operand {
                top.prefix = 0;
            }
        }
        if score > deepest.score {
            deepest = Nesting { score, at: i };
        }
        i += step.max(1);
    }
    Scan {
        deepest,
        comments,
        // Delimiters that do not match leave no group sure: the file is
        // parsed whole, for the parser to say where it goes wrong.
        attributed_modules: if inert.given_up() {
            Vec::new()
        } else {
            modules.finish()
        },
        inert_blocks: inert.finish(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum WordKind {
    /// A keyword whose operand swallows the rest of the expression.
    Chaining,
    /// A keyword after which an operator is a prefix.
    NotOperand,
    /// A name, a number or any other keyword.
    Operand,
}

fn word_kind(word: &[u8]) -> WordKind {
    match word {
        b"else" | b"return" | b"break" | b"move" | b"let" | b"dyn" | b"impl" | b"box"
        | b"yield" => WordKind::Chaining,
        b"in" | b"if" | b"match" | b"while" | b"for" | b"as" | b"mut" | b"const" | b"ref"
        | b"where" | b"unsafe" | b"async" | b"loop" => WordKind::NotOperand,
        _ => WordKind::Operand,
    }
}

/// Whether a byte after an operand is an operator that links it to more
/// (not a separator, a closing delimiter, a literal or a comment).
fn is_link(b: u8, next: Option<u8>) -> bool {
    b.is_ascii_punctuation()
        && !matches!(b, b',' | b';' | b')' | b']' | b'}' | b'"' | b'\'' | b'_')
        && !(b == b'/' && matches!(next, Some(b'/' | b'*')))
}

/// Byte classes for [`run_end`]: blanks, and the bytes of identifiers,
/// keywords and numbers (non-ASCII bytes included, so a run ends on a
/// character boundary).
const BLANK: u8 = 1;
const WORD: u8 = 2;
const CLASSES: [u8; 256] = {
    let mut classes = [0; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        classes[b] = if matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
            BLANK
        } else if byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80 {
            WORD
        } else {
            0
        };
        b += 1;
    }
    classes
};

/// The end of the run of `class` bytes starting at `i`.
fn run_end(bytes: &[u8], i: usize, class: u8) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| CLASSES[b as usize] != class)
        .map_or(bytes.len(), |n| i + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(text: &str) -> usize {
        scan(text).deepest.score
    }

    #[test]
    fn counts_delimiters_and_chains() {
        assert_eq!(score("fn a() {}"), 1);
        assert_eq!(score("fn a() { ((1)) }"), 3);
        assert_eq!(score("type T = Vec<Vec<Vec<u8>>>;"), 4);
        assert_eq!(score("fn f() { !!!!x; }"), 5);
        assert_eq!(score("fn f() { if a {} else if b {} else if c { x } }"), 4);
    }

    #[test]
    fn resets_at_separators_and_closing_angles() {
        assert_eq!(score("fn f(a: A<B>, b: C<D>, c: E<F>) {}"), 2);
        assert_eq!(score("fn f() { a(); b(); c(); d(); }"), 2);
        assert_eq!(score("fn f() -> u8 { x == y && z >= w }"), 2);
    }

    #[test]
    fn skips_strings_comments_and_chars() {
        assert_eq!(score(r#"const A: &str = "((((((("; // (((((("#), 1);
        assert_eq!(score("/* {{{{{{ /* ((( */ */ fn a() {}"), 1);
        assert_eq!(
            score(r##"const A: &str = r#"{{{{{"#; const B: char = '{';"##),
            1
        );
        assert_eq!(score("fn a<'a>(x: &'a u8) -> &'a u8 { b'(' ; x }"), 2);
    }

    #[test]
    fn binary_operators_and_pattern_bars_count_as_links_not_levels() {
        // 5,000 alternatives: a level per 64 bars, far from the limit.
        let alternatives = (0..5_000).map(|i| format!("'{i}'")).collect::<Vec<_>>();
        let pattern = format!(
            "fn f(c: char) -> bool {{ matches!(c, {}) }}",
            alternatives.join(" | ")
        );
        assert_eq!(score(&pattern), 3 + 5_000 / 64);
        // A prefix `-` after a binary one ends at its operand.
        let sum = format!("fn f() -> i64 {{ {} }}", vec!["a * -b"; 640].join(" - "));
        assert!((20..25).contains(&score(&sum)), "{}", score(&sum));
        assert_eq!(
            score("fn f() { x.map(|a, b| a | b); println!(\"{}\", !x) }"),
            3
        );
    }

    #[test]
    fn return_types_pointers_and_bindings_count_each_level() {
        assert_eq!(score("type T = fn() -> fn() -> fn() -> u8;"), 4);
        assert_eq!(score("type T = *const *const *mut u8;"), 4);
        assert_eq!(score("fn f() { let a @ b @ c = 1; }"), 5);
    }

    #[test]
    fn long_operator_chains_count_a_level_per_64_links() {
        let sum = format!("fn f() -> u32 {{ {} }}", vec!["1"; 6_401].join(" + "));
        assert_eq!(score(&sum), 2 + 100);
        let calls = format!("fn f() {{ x{}; }}", ".f()".repeat(640));
        assert!((21..25).contains(&score(&calls)), "{}", score(&calls));
        let casts = format!("fn f() {{ x{}; }}", " as u8".repeat(640));
        assert_eq!(score(&casts), 11);
    }

    #[test]
    fn prefix_chains_count_each_operator() {
        assert_eq!(score("fn f() { - - - -x; }"), 5);
        assert_eq!(score("fn f() { let _ = && && &x; }"), 6);
        assert_eq!(score("fn f() { let _ = || || || 1; }"), 6);
    }

    #[test]
    fn lists_doc_comments_and_the_comments_after_them_not_literals() {
        use CommentKind::*;
        let text = "/// a\n//// b\n//! c\n// d\n/** e */ /*! f */ /**/ /*** g */ /* h */\n\
                    const S: &str = \"/// not\"; const C: char = '/'; // i";
        let comments: Vec<_> = (scan(text).comments.iter())
            .map(|c| (&text[c.bytes()], c.kind))
            .collect();
        assert_eq!(
            comments,
            [
                ("/// a", OuterLineDoc),
                ("//// b", Plain),
                ("//! c", InnerLineDoc),
                ("// d", Plain),
                ("/** e */", BlockDoc),
                ("/*! f */", BlockDoc),
                ("/**/", Plain),
                ("/*** g */", Plain),
                ("/* h */", Plain),
            ]
        );
        // Plain comments are listed only after a doc comment.
        assert!(scan("// a\n/* b */\nfn f() {} // c\n").comments.is_empty());
    }

    #[test]
    fn deep_nesting_scores_its_depth() {
        let deep = format!("fn f() {{ {}1{} }}", "(".repeat(500), ")".repeat(500));
        assert_eq!(score(&deep), 501);
    }
}
