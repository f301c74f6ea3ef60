//! One file from disk to [`ModuleCode`]: read safely, guard the nesting
//! depth, parse with syn and copy the code out, on a thread whose stack is
//! large enough for whatever passed the guard.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::cache::FactsCache;
use super::code::ModuleCode;
use super::depth::{scan, Scan, MAX_NESTING, PARSE_STACK_BYTES};
use super::docs;
use super::extract::{extract_item, ExtractOptions};
use super::read::read_source;
use super::seen::Stat;
use super::suppressions::FoundSuppression;
use super::Suppression;
use crate::location::{LineIndex, Location, Span};
use crate::warning::{Warning, WarningCode};

/// A source file, shared by the modules it holds. Its text is not kept:
/// everything extracted from it is located while it is read.
#[derive(Debug)]
pub struct SourceFile {
    /// Relative to the workspace root, `/`-separated.
    pub relative: Arc<str>,
    /// The hash of the text, when a cache needed it.
    pub content_hash: Option<[u8; 32]>,
}

impl SourceFile {
    /// The file `relative`, its content hash not known (yet).
    pub fn named(relative: Arc<str>) -> SourceFile {
        SourceFile {
            relative,
            content_hash: None,
        }
    }
}

pub struct ParsedFile {
    pub source: SourceFile,
    pub code: ModuleCode,
    pub warning: Option<Warning>,
    pub suppressions: Vec<Suppression>,
}

impl ParsedFile {
    /// A file not read (its warning is given where it was refused).
    pub fn unread(relative: Arc<str>) -> ParsedFile {
        ParsedFile {
            source: SourceFile::named(relative),
            code: ModuleCode::default(),
            warning: None,
            suppressions: Vec::new(),
        }
    }
}

/// The threads that parse: syn and the tree walks after it recurse once per
/// nesting level, and the guard lets through what this stack holds. One
/// pool per process: `check --watch` parses again every round, and a pool
/// built each time would reserve its stacks each time.
pub fn parsing_pool() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(PARSE_STACK_BYTES)
            .thread_name(|i| format!("boundaries-parse-{i}"))
            .build()
            .or_else(|_| {
                // Fewer threads, if the reservations did not fit.
                rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .stack_size(PARSE_STACK_BYTES)
                    .build()
            })
            .expect("a thread to parse on")
    })
}

/// Reads and parses one file (already known to lie inside the workspace)
/// on the current thread, and copies out its code. With a cache, a file
/// whose text was parsed before with the same settings is not parsed
/// again: its facts are read back.
pub fn parse_file(
    relative: Arc<str>,
    file: &Path,
    options: ExtractOptions,
    cache: Option<&FactsCache>,
) -> ParsedFile {
    if let Some((content, facts)) = cache.and_then(|c| c.unchanged(&relative, file)) {
        let source = SourceFile {
            relative,
            content_hash: Some(content),
        };
        return parsed(source, facts);
    }
    // What the file is before it is read: a change while it is read shows
    // in the next run's look at it.
    let read_at = std::time::SystemTime::now();
    let stat = cache.and_then(|_| Stat::of(file));
    let text = match read_source(file) {
        Ok(text) => normalise(text),
        Err(refused) => {
            let message = format!("cannot read {relative}: {refused}");
            return unparsed(SourceFile::named(relative), None, message);
        }
    };
    let source = SourceFile::named(relative);
    match cache {
        Some(cache) => {
            let hash = *blake3::hash(text.as_bytes()).as_bytes();
            kept(source, cache, stat, read_at, hash, || {
                file_facts(&text, options)
            })
        }
        // The text goes here: the facts are located already.
        None => parsed(source, packed(file_facts(&text, options))),
    }
}

/// A file's facts through the cache: read back if a run derived them from
/// the same text, else derived by `derive` and kept; and what this run saw
/// of the file noted for the next.
fn kept(
    mut source: SourceFile,
    cache: &FactsCache,
    stat: Option<Stat>,
    read_at: std::time::SystemTime,
    hash: [u8; 32],
    derive: impl FnOnce() -> FileFacts,
) -> ParsedFile {
    source.content_hash = Some(hash);
    if let Some(stat) = stat {
        cache
            .seen()
            .note_read(&source.relative, stat, read_at, hash);
    }
    parsed(source, cache.facts(&hash, derive))
}

/// A file read and parsed before the run knew its settings and cache
/// (`head_start.rs`): its facts, and what the cache needs of the read.
pub struct ReadAhead {
    stat: Option<Stat>,
    read_at: std::time::SystemTime,
    hash: [u8; 32],
    facts: FileFacts,
}

impl ReadAhead {
    /// Its `mod x;` declarations, to follow.
    pub fn children(&self) -> &[super::code::ModDecl] {
        &self.facts.code.children
    }
}

/// Reads and parses one file (already known to lie inside the workspace)
/// as [`parse_file`] would without a cache; `None` when it cannot be read
/// (the run reads it again and says why).
pub fn read_ahead(file: &Path, options: ExtractOptions) -> Option<ReadAhead> {
    let read_at = std::time::SystemTime::now();
    let stat = Stat::of(file);
    let text = normalise(read_source(file).ok()?);
    Some(ReadAhead {
        stat,
        read_at,
        hash: *blake3::hash(text.as_bytes()).as_bytes(),
        facts: file_facts(&text, options),
    })
}

/// What [`parse_file`] gives for a file read ahead with the run's
/// settings: the same facts, kept in the run's cache as a miss would be.
pub fn adopt(relative: Arc<str>, read: ReadAhead, cache: Option<&FactsCache>) -> ParsedFile {
    let source = SourceFile::named(relative);
    match cache {
        Some(cache) => kept(source, cache, read.stat, read.read_at, read.hash, || {
            read.facts
        }),
        None => parsed(source, packed(read.facts)),
    }
}

/// `facts` with their references encoded, as the cache keeps them.
fn packed(mut facts: FileFacts) -> FileFacts {
    super::kept_refs::encode(&mut facts.code);
    facts
}

/// Parses a file's text (see [`parse_file`]).
#[cfg(test)]
fn parse_text(relative: &str, text: &str, options: ExtractOptions) -> ParsedFile {
    let facts = file_facts(text, options);
    parsed(SourceFile::named(relative.into()), facts)
}

/// What one file's text yields, whatever the file is called: what the
/// cache keeps.
#[derive(Debug, Serialize, Deserialize)]
pub struct FileFacts {
    pub code: ModuleCode,
    pub problem: Option<ParseProblem>,
    /// Its suppression comments, but those inside test code that is not
    /// read (they would look unused) and those of a text too deep to
    /// parse.
    pub suppressions: Vec<FoundSuppression>,
}

/// Why a file's code could not be read, and where.
#[derive(Debug, Serialize, Deserialize)]
pub enum ParseProblem {
    /// Nested deeper than the parser's stack takes.
    TooDeep { at: Span },
    /// syn's error.
    Syntax { message: String, span: Span },
}

/// Parses a text into its facts: everything a run needs of the file, so
/// its text is not needed again.
pub(super) fn file_facts(text: &str, options: ExtractOptions) -> FileFacts {
    let scan = scan(text);
    let deepest = scan.deepest;
    if deepest.score > MAX_NESTING {
        let at = deepest.at;
        return FileFacts {
            code: ModuleCode::default(),
            problem: Some(ParseProblem::TooDeep {
                at: LineIndex::new(text).span(at..at + 1),
            }),
            suppressions: Vec::new(),
        };
    }
    // Bytes, lines and columns are the same in both texts (`docs.rs`).
    let parsed_text = docs::blanked(text, &scan.comments, &blanked_blocks(text, &scan, options));
    let (code, problem) = match parse_items_one_by_one(&parsed_text, options) {
        Ok(mut code) => {
            code.each_skipped_mut(&mut |range| {
                range.start = docs::doc_start(text, &scan.comments, range.start);
            });
            (code, None)
        }
        Err(err) => (
            ModuleCode::default(),
            Some(ParseProblem::Syntax {
                message: err.to_string(),
                span: LineIndex::new(text).span(err.span().byte_range()),
            }),
        ),
    };
    // Spans are plain numbers from here on; free this thread's source map.
    proc_macro2::extra::invalidate_current_thread_spans();
    let skipped = code.all_skipped();
    let suppressions = super::suppressions::find(text)
        .into_iter()
        .filter(|s| !skipped.iter().any(|r| r.contains(&s.start())))
        .collect();
    FileFacts {
        code,
        problem,
        suppressions,
    }
}

/// The groups of `text` whose insides syn need not read: its inert blocks
/// (`inert.rs`), and in a run that leaves test code out, the bodies of its
/// top-level test modules (`attributed.rs`), in text order.
fn blanked_blocks<'a>(
    text: &str,
    scan: &'a Scan,
    options: ExtractOptions,
) -> Cow<'a, [Range<u32>]> {
    if options.include_tests || scan.attributed_modules.is_empty() {
        return Cow::Borrowed(&scan.inert_blocks);
    }
    let tests = super::attributed::test_only_bodies(text, &scan.attributed_modules);
    if tests.is_empty() {
        return Cow::Borrowed(&scan.inert_blocks);
    }
    // The inert blocks inside a test module's body go with it.
    let outside = |block: &&Range<u32>| {
        !tests
            .iter()
            .any(|body| body.start <= block.start && block.end <= body.end)
    };
    let mut blocks: Vec<Range<u32>> = scan.inert_blocks.iter().filter(outside).cloned().collect();
    blocks.extend(tests);
    blocks.sort_by_key(|block| block.start);
    Cow::Owned(blocks)
}

/// A file's facts, with its warning and suppressions located in it.
fn parsed(source: SourceFile, facts: FileFacts) -> ParsedFile {
    let warning = facts.problem.map(|problem| {
        let (message, span) = match problem {
            ParseProblem::TooDeep { at } => (
                format!(
                    "cannot parse {}: code nested deeper than the {MAX_NESTING} levels parsed; \
                     its references are not checked",
                    source.relative
                ),
                at,
            ),
            ParseProblem::Syntax { message, span } => (
                format!(
                    "cannot parse {}: {message}; its references are not checked",
                    source.relative
                ),
                span,
            ),
        };
        Warning {
            location: Some(span.located(source.relative.clone())),
            code: WarningCode::ParseError,
            message,
        }
    });
    let suppressions = (facts.suppressions.iter())
        .map(|found| found.located(&source.relative))
        .collect();
    ParsedFile {
        suppressions,
        source,
        code: facts.code,
        warning,
    }
}

/// Parses a file's items one at a time, copying each one's code out before
/// the next is parsed: only one item's syntax tree is alive at once, so a
/// 10 MB file does not hold a 10 MB file's tree (about 50 bytes per byte of
/// source) beside its tokens.
fn parse_items_one_by_one(text: &str, options: ExtractOptions) -> syn::Result<ModuleCode> {
    let lines = LineIndex::new(text);
    let items = |input: syn::parse::ParseStream| {
        syn::Attribute::parse_inner(input)?;
        let mut code = ModuleCode::default();
        while !input.is_empty() {
            if !options.include_tests {
                if let Some(bytes) = skip_test_module(input) {
                    code.skipped.push(bytes);
                    continue;
                }
            }
            let item: syn::Item = input.parse()?;
            extract_item(&item, options, &lines, &mut code);
        }
        code.fit();
        Ok(code)
    };
    syn::parse::Parser::parse_str(items, text)
}

/// Steps over a test-only inline module (`#[cfg(test)] mod tests { .. }`)
/// without building its syntax tree, and returns the bytes it spans: its
/// code is left out of the run either way (`include-tests` is off), and
/// syn's tree of it would cost as much as the code checked. A syntax error
/// inside it is then not reported, as nothing inside it is checked.
/// Anything else (or anything odd) is left for syn to parse as usual.
fn skip_test_module(input: syn::parse::ParseStream) -> Option<std::ops::Range<usize>> {
    use syn::parse::discouraged::Speculative;
    if !input.peek(syn::Token![#]) {
        return None;
    }
    let ahead = input.fork();
    let attrs = ahead.call(syn::Attribute::parse_outer).ok()?;
    if !super::cfg::is_test_only(&attrs) {
        return None;
    }
    ahead.parse::<syn::Visibility>().ok()?;
    ahead.parse::<syn::Token![mod]>().ok()?;
    ahead.parse::<syn::Ident>().ok()?;
    if !ahead.peek(syn::token::Brace) {
        return None;
    }
    let body: proc_macro2::TokenTree = ahead.parse().ok()?;
    let start = attrs.first()?.pound_token.span.byte_range().start;
    let end = body.span().byte_range().end;
    input.advance_to(&ahead);
    Some(start..end)
}

fn unparsed(source: SourceFile, location: Option<Location>, message: String) -> ParsedFile {
    proc_macro2::extra::invalidate_current_thread_spans();
    ParsedFile {
        source,
        code: ModuleCode::default(),
        suppressions: Vec::new(),
        warning: Some(Warning {
            location,
            code: WarningCode::ParseError,
            message,
        }),
    }
}

/// Drops a byte-order mark and blanks a shebang line, keeping every other
/// byte where it was so spans index the text directly.
fn normalise(mut text: String) -> String {
    if let Some(stripped) = text.strip_prefix('\u{feff}') {
        text = stripped.to_string();
    }
    if text.starts_with("#!") && !text[2..].trim_start().starts_with('[') {
        let end = text.find('\n').unwrap_or(text.len());
        text.replace_range(..end, &" ".repeat(end));
    }
    text
}

#[cfg(test)]
mod tests {
    //! Property tests: no text, however broken, makes reading a file's code
    //! panic, and every location given stays inside the file.

    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    use super::*;
    use crate::source::tokens::{item_macro_contents, path_runs};

    /// Pieces of Rust that exercise modules, paths, macros, attributes,
    /// literals, comments and nesting.
    const PIECES: &[&str] = &[
        "mod",
        "m",
        "pub",
        "use",
        "crate",
        "super",
        "self",
        "::",
        "a",
        "b",
        "*",
        ";",
        ",",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        "<",
        ">",
        "fn",
        "f",
        "!",
        "#",
        "#[path = \"x.rs\"]",
        "#[cfg(test)]",
        "#[cfg_attr(unix, path = \"y.rs\")]",
        "cfg_if!",
        "macro_rules!",
        "=>",
        "$",
        "$crate",
        "'a",
        "'x'",
        "\"s\"",
        "r#\"r\"#",
        "b\"\\n\"",
        "/*",
        "*/",
        "//",
        "// boundaries: allow(r) why",
        "\n",
        " ",
        "é",
        "𝄞",
        "\u{feff}",
        "#!",
        "r#type",
        "1",
        "1.0",
        "let",
        "if",
        "else",
        "match",
        "impl",
        "struct",
        "S",
        "as",
        "extern",
        "=",
        "&",
        "|",
        "-",
        "..",
        "?",
        "async",
        "move",
        "where",
        "dyn",
        "'",
    ];

    fn soup() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 0..120)
            .prop_map(|pieces| pieces.join(" "))
    }

    /// Runs `test` on many inputs, on a thread with the parsing stack.
    fn check(strategy: impl Strategy<Value = String> + Send + 'static, test: fn(&str)) {
        std::thread::Builder::new()
            .stack_size(PARSE_STACK_BYTES)
            .spawn(move || {
                let mut runner = TestRunner::new(Config {
                    cases: 200,
                    failure_persistence: None,
                    ..Config::default()
                });
                runner
                    .run(&strategy, |text| {
                        test(&text);
                        Ok(())
                    })
                    .unwrap();
            })
            .unwrap()
            .join()
            .unwrap();
    }

    fn parse_anything(text: &str) {
        let options = ExtractOptions {
            include_tests: text.len().is_multiple_of(2),
        };
        let parsed = parse_text("a.rs", text, options);
        let len = text.len();
        if let Some(location) = parsed.warning.and_then(|w| w.location) {
            assert!(location.byte_start as usize <= len && location.line >= 1);
        }
        for suppression in &parsed.suppressions {
            assert!(suppression.location.byte_end as usize <= len);
        }
        for raw in &parsed.code.refs {
            assert!(raw.span.bytes().end <= len, "{:?} in {len} bytes", raw.span);
            let location = raw.span.located(parsed.source.relative.clone());
            assert!(location.line as usize <= text.lines().count().max(1));
            assert_eq!(
                location,
                Location::from_bytes("a.rs", text, raw.span.bytes())
            );
        }
        if let Ok(tokens) = text.parse::<proc_macro2::TokenStream>() {
            let contents = item_macro_contents(tokens.clone());
            for piece in contents.rest {
                path_runs(piece);
            }
            path_runs(tokens);
        }
    }

    #[test]
    fn random_rust_like_text_never_panics() {
        check(soup(), parse_anything);
    }

    #[test]
    fn random_text_never_panics() {
        check(any::<String>(), parse_anything);
    }

    #[test]
    fn wrapped_in_a_macro_or_a_module_random_text_never_panics() {
        check(
            soup().prop_map(|s| {
                format!("m! {{ {s} }}\nmod x {{ {s} }}\ncfg_if! {{ if #[cfg(a)] {{ {s} }} }}")
            }),
            parse_anything,
        );
    }
}

#[cfg(test)]
mod blanked_docs {
    //! Doc comments and inert blocks are blanked before parsing (`docs.rs`,
    //! `inert.rs`): the facts of a file must be those its own text gives,
    //! to the byte.

    use std::path::Path;

    use super::*;

    /// The facts of `text` as parsed with and without its blanks,
    /// debug-printed; `None` when the guard keeps it from the parser, or
    /// when its text has a syntax error inside a block blanked (which the
    /// blanked text then parses without: nothing there is checked).
    fn both(text: &str, options: ExtractOptions) -> Option<(String, String)> {
        let scan = scan(text);
        if scan.deepest.score > MAX_NESTING {
            return None;
        }
        let text = text.to_string();
        // A thread with the parsing threads' stack: fixtures nest deep.
        let parse = std::thread::Builder::new()
            .stack_size(PARSE_STACK_BYTES)
            .spawn(move || {
                let blanked = file_facts(&text, options);
                let plain = match parse_items_one_by_one(&text, options) {
                    Ok(code) => format!("{code:?}"),
                    Err(err) => {
                        let at = err.span().byte_range().start;
                        // An error inside a block, or at its `}` (input
                        // that ends too soon): not seen in the blanked
                        // text, which parses or fails further on.
                        let inside = |b: &std::ops::Range<u32>| {
                            (b.start as usize..=b.end as usize).contains(&at)
                        };
                        if blanked_blocks(&text, &scan, options).iter().any(inside) {
                            return None;
                        }
                        format!("error at {:?}", err.span().byte_range())
                    }
                };
                proc_macro2::extra::invalidate_current_thread_spans();
                let blanked = match blanked.problem {
                    None => format!("{:?}", blanked.code),
                    Some(ParseProblem::Syntax { span, .. }) => {
                        format!("error at {:?}", span.bytes())
                    }
                    Some(ParseProblem::TooDeep { .. }) => unreachable!("the guard passed it"),
                };
                Some((blanked, plain))
            })
            .expect("a parsing thread");
        parse.join().expect("parsing does not panic")
    }

    fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .filter(|p| !p.components().any(|c| c.as_os_str() == "target"))
            .collect()
    }

    /// Every `.rs` file of `src/` and `fixtures/`, and of the folders
    /// `BOUNDARIES_FACTS_CORPUS` lists (`:`-separated: real workspaces to
    /// compare on by hand, such as rust-analyzer's).
    #[test]
    fn every_file_of_the_repository_and_its_fixtures_has_the_same_facts() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = rust_files(&root.join("src"));
        files.extend(rust_files(&root.join("fixtures")));
        let fixtures = files.len();
        if let Some(corpus) = std::env::var_os("BOUNDARIES_FACTS_CORPUS") {
            for dir in std::env::split_paths(&corpus) {
                files.extend(rust_files(&dir));
            }
        }
        let mut compared = 0;
        for file in &files {
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            for include_tests in [false, true] {
                let options = ExtractOptions { include_tests };
                if let Some((blanked, plain)) = both(&text, options) {
                    assert!(
                        blanked == plain,
                        "{} (include-tests {include_tests})",
                        file.display()
                    );
                    compared += 1;
                }
            }
        }
        // The fixtures are there: hundreds of files, most with doc comments.
        assert!(compared > 1000, "{compared}");
        eprintln!(
            "{compared} comparisons over {} files ({fixtures} of the repository)",
            files.len()
        );
    }

    /// Each text's facts, with and without tests, are those of its own
    /// text.
    fn assert_same_facts(cases: &[&str]) {
        for case in cases {
            for include_tests in [false, true] {
                let (blanked, plain) =
                    both(case, ExtractOptions { include_tests }).expect("shallow");
                assert_eq!(blanked, plain, "{case:?} (include-tests {include_tests})");
            }
        }
    }

    #[test]
    fn blocks_and_statements_blanked_change_no_fact() {
        let cases = [
            "fn a() { use {b, c}; b::d(); }",
            "fn a() { use e::{f, g}; let h = 1; f::x(h) }",
            "fn a() { struct S; let t = S; S::new(t); }",
            "fn a() { fn g() {} use b::c; }",
            "fn a() { struct S {} use b; }",
            "fn a() { let m = match x { A => 1, _ => { 2 } }; crate::b::c(m); }",
            "fn a() { let f = |p, q| p + q; let v: Vec<u8, A> = w; crate::b(f, v); }",
            "fn a() { if x { return; } else { y(); } crate::b(); }",
            "fn a() { let s = S { p: 1, q: 2 }; crate::b(s); }",
            "fn a() { fn inner<T>(t: T) -> T { t } inner::<u8>(1); }",
            "fn a() { 'outer: loop { break 'outer; } crate::b(); }",
            "impl X { fn a(&self) -> bool { self.b == 0 } fn c() { crate::d(); } }",
            "trait T { fn a(&self) { let x = 1; } fn b(); }",
            "fn a() { let x = \"::\"; let y = '#'; crate::b(x, y); }",
            "fn a() { let v = [1; 4]; let t: [u8; 2] = [0, 1]; crate::b(v, t); }",
            "fn a() { m! { x { y } } let z = 1; crate::b(z); }",
            "fn a() { #[cfg(test)] let x = 1; let y = 2; crate::b(x, y); }",
            "fn a() {\r\n    let x = 1;\r\n    crate::b(x);\r\n}\r\n",
        ];
        assert_same_facts(&cases);
    }

    #[test]
    fn a_syntax_error_in_a_block_that_holds_no_reference_is_no_parse_error() {
        let no_tests = ExtractOptions {
            include_tests: false,
        };
        let text = "fn a() -> u32 { let x = 1 +; x }\nfn b() { crate::c::d(); }\n";
        let facts = file_facts(text, no_tests);
        assert!(facts.problem.is_none());
        assert_eq!(facts.code.refs.len(), 1, "{:?}", facts.code);
        // A syntax error where a reference could be is reported.
        let text = "fn a() -> u32 { let x = crate::c::d() +; x }\n";
        assert!(file_facts(text, no_tests).problem.is_some());
    }

    #[test]
    fn doc_comments_next_to_literals_code_and_test_only_items_change_no_fact() {
        let cases = [
            // Doc-like text inside literals is not a comment.
            "const A: &str = \"/// crate::a::b\"; const B: &str = r#\"//! x\"#; fn f() { crate::c::d(); }",
            "const C: char = '/'; /// doc\nfn g() { let _ = b'/'; crate::e::f(); }",
            "#[path = \"x///y.rs\"]\nmod m;",
            // Four slashes are a plain comment; a doc of nothing but `///`.
            "//// plain\n///\nfn h() { crate::a::b(); }",
            // Non-ASCII in doc comments, CRLF line ends.
            "/// é ü 漢字\r\n/// ok\r\npub fn i() { crate::a::b(); }\r\n",
            "//! inner é\n//! docs\nuse crate::a::b;\n",
            // Test-only items after doc comments, plain comments and an
            // inner doc in between.
            "/// Tests.\n// boundaries: allow(x)\n#[cfg(test)]\nmod tests { use crate::a::b; }\nfn j() {}",
            "mod m {\n    //! inner\n    #[cfg(test)]\n    mod t { use crate::a::b; }\n}",
            "/// one\n/* plain */\n/// two\n#[cfg(test)]\n/// three\nfn k() { crate::a::b(); }",
            "/** block */\n/// line\n#[cfg(test)]\nfn l() {}",
            // Doc comments in item-position macros and macro arguments.
            "cfg_net! {\n    /// docs\n    pub mod tcp;\n}\nfn m() { println!(\"{}\", /* c */ crate::a::b()); }",
        ];
        assert_same_facts(&cases);
    }
}
