//! The violations of `--format json`, written by hand: the same bytes
//! serde_json's pretty printer writes for each (a test compares the two on
//! every kind of field), several times faster. A report of tens of
//! thousands of violations spent most of its time in the printer's
//! indentation (two bytes at a time), its per-field state and its
//! byte-by-byte escaping, on one core after everything else was done.

use std::io::{self, Write};
use std::ops::Range;

use rustc_hash::FxHashMap;

use super::json::{JsonEdge, JsonViolation};

/// Before each field of a violation after the first: the list's elements
/// are indented 4 spaces, their fields 6.
const FIELD: &[u8] = b",\n      \"";
/// Before each field of a cycle's edge after the first.
const EDGE_FIELD: &[u8] = b",\n          \"";

/// Writes `v` as the report's list holds it, from its `{` to its `}`.
#[cfg(test)]
pub fn violation(out: &mut impl Write, v: &JsonViolation) -> io::Result<()> {
    violation_with(out, v, v.cycle.len(), |out, index| {
        cycle_edge(out, &v.cycle[index])
    })
}

/// [`violation`], with `v`'s cycle of `edges` edges (if it has one) written
/// by `edge`, each by its place in the cycle.
pub fn violation_with<W: Write>(
    out: &mut W,
    v: &JsonViolation,
    edges: usize,
    mut edge: impl FnMut(&mut W, usize) -> io::Result<()>,
) -> io::Result<()> {
    out.write_all(b"{\n      \"rule\": ")?;
    string(out, v.rule)?;
    key(out, FIELD, "kind")?;
    string(out, v.kind)?;
    key(out, FIELD, "severity")?;
    string(out, v.severity.as_str())?;
    key(out, FIELD, "from")?;
    string(out, v.from)?;
    key(out, FIELD, "to")?;
    string(out, v.to)?;
    key(out, FIELD, "path")?;
    string(out, v.path)?;
    key(out, FIELD, "via")?;
    string(out, v.via.as_str())?;
    key(out, FIELD, "file")?;
    string(out, v.file)?;
    key(out, FIELD, "line")?;
    number(out, v.line)?;
    key(out, FIELD, "column")?;
    number(out, v.column)?;
    key(out, FIELD, "end_line")?;
    number(out, v.end_line)?;
    key(out, FIELD, "end_column")?;
    number(out, v.end_column)?;
    key(out, FIELD, "message")?;
    string(out, v.message)?;
    key(out, FIELD, "reason")?;
    match v.reason {
        Some(reason) => string(out, reason)?,
        None => out.write_all(b"null")?,
    }
    key(out, FIELD, "baselined")?;
    out.write_all(if v.baselined { b"true" } else { b"false" })?;
    for (name, text) in [
        ("help", v.help),
        ("docs", v.docs),
        ("suggestion", v.suggestion),
    ] {
        if let Some(text) = text {
            key(out, FIELD, name)?;
            string(out, text)?;
        }
    }
    if let Some(owners) = v.owners {
        key(out, FIELD, "owners")?;
        nested(out, owners)?;
    }
    if edges > 0 {
        key(out, FIELD, "cycle")?;
        out.write_all(b"[")?;
        for index in 0..edges {
            out.write_all(if index == 0 { b"\n" } else { b",\n" })?;
            out.write_all(b"        ")?;
            edge(out, index)?;
        }
        out.write_all(b"\n      ]")?;
    }
    out.write_all(b"\n    }")
}

/// The text of each cycle edge written so far, by its reference: the
/// cycles of a tangle share most of their edges (a report of two hundred
/// cycles of a thousand edges each writes a few thousand distinct ones),
/// so each is made once and copied after.
#[derive(Default)]
pub struct EdgeTexts {
    text: Vec<u8>,
    written: FxHashMap<usize, Range<usize>>,
}

impl EdgeTexts {
    /// Writes the edge of `reference`, made by `edge` the first time.
    pub fn write<'a>(
        &mut self,
        out: &mut impl Write,
        reference: usize,
        edge: impl FnOnce() -> JsonEdge<'a>,
    ) -> io::Result<()> {
        let range = match self.written.get(&reference) {
            Some(range) => range.clone(),
            None => {
                let start = self.text.len();
                cycle_edge(&mut self.text, &edge())?;
                let range = start..self.text.len();
                self.written.insert(reference, range.clone());
                range
            }
        };
        out.write_all(&self.text[range])
    }
}

fn cycle_edge(out: &mut impl Write, edge: &JsonEdge) -> io::Result<()> {
    out.write_all(b"{\n          \"from\": ")?;
    string(out, edge.from)?;
    key(out, EDGE_FIELD, "to")?;
    string(out, edge.to)?;
    key(out, EDGE_FIELD, "path")?;
    string(out, edge.path)?;
    key(out, EDGE_FIELD, "via")?;
    string(out, edge.via.as_str())?;
    key(out, EDGE_FIELD, "file")?;
    string(out, edge.file)?;
    key(out, EDGE_FIELD, "line")?;
    number(out, edge.line)?;
    key(out, EDGE_FIELD, "column")?;
    number(out, edge.column)?;
    out.write_all(b"\n        }")
}

/// `,\n` and the indentation (`before`), then `"name": `.
fn key(out: &mut impl Write, before: &[u8], name: &str) -> io::Result<()> {
    out.write_all(before)?;
    out.write_all(name.as_bytes())?;
    out.write_all(b"\": ")
}

/// A JSON string: copied whole when nothing in it is escaped (paths and
/// messages, almost always), else as serde_json escapes it.
fn string(out: &mut impl Write, text: &str) -> io::Result<()> {
    if needs_escape(text.as_bytes()) {
        return serde_json::to_writer(out, text).map_err(io::Error::from);
    }
    out.write_all(b"\"")?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\"")
}

/// Whether serde_json escapes any byte of `bytes`: a control character,
/// `"` or `\`. Sixteen bytes at a time without an early exit inside, which
/// the compiler turns into vector compares.
fn needs_escape(bytes: &[u8]) -> bool {
    let escaped = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
    let mut chunks = bytes.chunks_exact(16);
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, &b| any | escaped(b)) {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| escaped(b))
}

fn number(out: &mut impl Write, mut n: u32) -> io::Result<()> {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.write_all(&digits[at..])
}

/// A value of a field, pretty-printed by serde_json and indented as deep as
/// the field: its lines after the first moved right by the field's 6
/// spaces (a JSON text holds no newline but between its tokens).
fn nested(out: &mut impl Write, value: &impl serde::Serialize) -> io::Result<()> {
    let text = serde_json::to_vec_pretty(value)?;
    let mut lines = text.split(|&b| b == b'\n');
    if let Some(first) = lines.next() {
        out.write_all(first)?;
    }
    for line in lines {
        out.write_all(b"\n      ")?;
        out.write_all(line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::owners::ViolationOwners;
    use crate::policy::Severity;
    use crate::source::Via;

    /// What serde_json writes for `v` as an element of the report's list:
    /// the element of a one-element list, in an object, as deep as the
    /// report's.
    fn by_serde(v: &JsonViolation) -> String {
        #[derive(serde::Serialize)]
        struct Report<'a> {
            violations: [&'a JsonViolation<'a>; 1],
        }
        let text = serde_json::to_string_pretty(&Report { violations: [v] }).unwrap();
        let text = text.strip_prefix("{\n  \"violations\": [\n    ").unwrap();
        text.strip_suffix("\n  ]\n}").unwrap().to_string()
    }

    fn by_hand(v: &JsonViolation) -> String {
        let mut out = Vec::new();
        violation(&mut out, v).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn edge(path: &'static str, line: u32) -> JsonEdge<'static> {
        JsonEdge {
            from: "shop::a",
            to: "shop::b",
            path,
            via: Via::Macro,
            file: "src/a.rs",
            line,
            column: 0,
        }
    }

    #[test]
    fn escapes_are_found_anywhere_in_a_long_text() {
        let plain = "shop::billing::invoice::Invoice::new".repeat(3);
        assert!(!needs_escape(plain.as_bytes()));
        for at in 0..plain.len() {
            for byte in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                let mut text = plain.clone().into_bytes();
                text[at] = byte;
                assert!(needs_escape(&text), "{byte} at {at}");
            }
        }
    }

    #[test]
    fn an_edge_written_again_is_copied_as_first_made() {
        let mut edges = EdgeTexts::default();
        let mut out = Vec::new();
        edges.write(&mut out, 7, || edge("shop::b::C", 10)).unwrap();
        edges
            .write(&mut out, 8, || edge("shop::a::\\D", 0))
            .unwrap();
        // Asked again, the edge of reference 7 is not made again.
        edges.write(&mut out, 7, || unreachable!()).unwrap();
        let mut made = Vec::new();
        for e in [
            edge("shop::b::C", 10),
            edge("shop::a::\\D", 0),
            edge("shop::b::C", 10),
        ] {
            cycle_edge(&mut made, &e).unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(made).unwrap()
        );
    }

    #[test]
    fn violations_are_written_as_serde_json_writes_them() {
        let owners = ViolationOwners {
            from: vec!["@team \"a\"".to_string(), "@b".to_string()],
            to: Vec::new(),
        };
        let plain = JsonViolation {
            rule: "no-db",
            kind: "forbidden",
            severity: Severity::Error,
            from: "shop::billing",
            to: "sqlx",
            path: "sqlx::query",
            via: Via::Use,
            file: "crates/shop/src/billing.rs",
            line: 1,
            column: 4,
            end_line: 12,
            end_column: 4_294_967_295,
            message: "`shop::billing` must not use `sqlx`",
            reason: None,
            baselined: false,
            help: None,
            docs: None,
            suggestion: None,
            owners: None,
            cycle: Vec::new(),
        };
        let everything = JsonViolation {
            rule: "tab\there \"quoted\" back\\slash",
            severity: Severity::Warn,
            via: Via::Manifest,
            message: "non-ASCII → é, a control \u{1} and a newline\n",
            reason: Some("because \u{7f}"),
            baselined: true,
            help: Some("use `a::B`"),
            docs: Some("https://example.com/\"docs\""),
            suggestion: Some("shop::a::B"),
            owners: Some(&owners),
            cycle: vec![edge("shop::b::C", 10), edge("shop::a::\\D", 0)],
            ..plain.clone()
        };
        let partly = JsonViolation {
            via: Via::Path,
            reason: Some(""),
            docs: Some("d"),
            cycle: vec![edge("x", 99)],
            ..plain.clone()
        };
        for v in [&plain, &everything, &partly] {
            assert_eq!(by_hand(v), by_serde(v));
        }
    }
}
