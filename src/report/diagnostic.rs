//! A miette diagnostic built from plain data, so every format-agnostic
//! finding (violation, warning, policy error) renders the same way.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, NamedSource, Severity};

use super::lined_text::LinedText;

#[derive(Debug)]
pub struct Report {
    pub message: String,
    pub code: String,
    pub severity: Severity,
    pub help: Option<String>,
    pub source: Option<NamedSource<LinedText>>,
    pub labels: Vec<LabeledSpan>,
    pub related: Vec<Report>,
}

impl Report {
    pub fn new(severity: Severity, code: impl Into<String>, message: impl Into<String>) -> Report {
        Report {
            message: message.into(),
            code: code.into(),
            severity,
            help: None,
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = _>>)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        (!self.related.is_empty()).then(|| {
            Box::new(self.related.iter().map(|r| r as &dyn Diagnostic))
                as Box<dyn Iterator<Item = _>>
        })
    }
}

/// Renders diagnostics as text, with or without colour, at a fixed width.
pub struct Renderer {
    handler: miette::GraphicalReportHandler,
}

impl Renderer {
    pub fn new(style: &super::Style) -> Renderer {
        let theme = if style.color {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        let handler = miette::GraphicalReportHandler::new_themed(theme)
            .with_width(style.width)
            .with_links(false)
            .without_syntax_highlighting();
        Renderer { handler }
    }

    pub fn render(&self, report: &Report) -> String {
        let mut out = String::new();
        self.handler
            .render_report(&mut out, report)
            .expect("rendering into a String cannot fail");
        out
    }
}
