//! A file's text as the diagnostics quote it, with its line starts.
//!
//! miette finds a snippet's lines by walking the text from its first byte,
//! for every snippet: a file quoted a thousand times (a cycle's edges, a
//! module with many violations) was read a thousand times over. Here each
//! snippet is read from the first line it shows, with miette's own reading,
//! and the lines and bytes before it added back, so the result is the one
//! miette makes from the whole text (a test compares them).

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

#[derive(Debug, Clone)]
pub struct LinedText {
    text: Arc<str>,
    /// Where each line starts, as miette counts lines: after `\n`, after
    /// `\r\n`, and after a `\r` alone.
    line_starts: Arc<[usize]>,
}

impl LinedText {
    pub fn new(text: Arc<str>) -> LinedText {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut at = 0;
        while at < bytes.len() {
            match bytes[at] {
                b'\r' if bytes.get(at + 1) == Some(&b'\n') => {
                    at += 1;
                    line_starts.push(at + 1);
                }
                b'\r' | b'\n' => line_starts.push(at + 1),
                _ => {}
            }
            at += 1;
        }
        LinedText {
            text,
            line_starts: line_starts.into(),
        }
    }

    pub fn text(&self) -> &Arc<str> {
        &self.text
    }
}

impl SourceCode for LinedText {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // miette stops reading one byte before a span of no length (its
        // end is its offset less one): that byte's line counts as the span's.
        let from = match span.len() {
            0 => span.offset().saturating_sub(1),
            _ => span.offset(),
        };
        let line = (self.line_starts)
            .partition_point(|&start| start <= from)
            .saturating_sub(1);
        // The first line the snippet shows: miette reads from its start as
        // it would have read from the text's.
        let first = line.saturating_sub(context_lines_before);
        let base = self.line_starts[first];
        let within = SourceSpan::new((span.offset() - base).into(), span.len());
        let read =
            self.text[base..].read_span(&within, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new(
            read.data(),
            SourceSpan::new((read.span().offset() + base).into(), read.span().len()),
            read.line() + first,
            read.column(),
            read.line_count() + first,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a snippet read says: its text, span, first line and column, and
    /// miette's line count.
    fn said(contents: &dyn SpanContents) -> (Vec<u8>, SourceSpan, usize, usize, usize) {
        (
            contents.data().to_vec(),
            *contents.span(),
            contents.line(),
            contents.column(),
            contents.line_count(),
        )
    }

    #[test]
    fn every_snippet_reads_as_miette_reads_it_from_the_whole_text() {
        let texts = [
            "",
            "x",
            "use a::b;\nfn f() { c::d(); }\n\nmod m { e::f!(); }\n",
            "a\r\nb::c\r\n\r\nd\re\n\rf::g é ü\nlast",
            "\n\n\n  x::y  \n\n",
            "no newline at the end::x",
        ];
        for text in texts {
            let lined = LinedText::new(Arc::from(text));
            for offset in 0..=text.len() {
                for len in [0, 1, 3, 12] {
                    for (before, after) in [(0, 0), (1, 1), (2, 0), (0, 2), (3, 3)] {
                        let span = SourceSpan::new(offset.into(), len);
                        let whole = text.read_span(&span, before, after);
                        let ours = lined.read_span(&span, before, after);
                        match (whole, ours) {
                            (Ok(whole), Ok(ours)) => assert_eq!(
                                said(&*ours),
                                said(&*whole),
                                "{text:?} at {offset}+{len}, context {before}/{after}"
                            ),
                            (Err(_), Err(_)) => {}
                            (whole, ours) => panic!(
                                "{text:?} at {offset}+{len}: whole {:?}, ours {:?}",
                                whole.is_ok(),
                                ours.is_ok()
                            ),
                        }
                    }
                }
            }
        }
    }
}
