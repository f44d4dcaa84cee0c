//! The tool's own errors (exit code 2): unreadable input, invalid config, bad flags. They render
//! like findings, with the place they occurred, but they are not findings: no rule produced them.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, SourceCode};

use crate::source::{SourceFile, Span};

#[derive(Debug)]
pub struct ToolError {
    pub message: String,
    pub help: Option<String>,
    /// Where it occurred, when that is a place in a text.
    pub at: Option<(Arc<SourceFile>, Span, String)>,
}

impl ToolError {
    #[must_use]
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            help: None,
            at: None,
        }
    }

    #[must_use]
    pub fn at(
        src: &Arc<SourceFile>,
        span: Span,
        label: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            message: message.into(),
            help: None,
            at: Some((Arc::clone(src), span, label.into())),
        }
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line:col` of the place, or the file name alone.
    #[must_use]
    pub fn location(&self) -> Option<String> {
        self.at.as_ref().map(|(src, span, _)| {
            let (l, c) = src.line_col(span.start);
            format!("{}:{l}:{c}", src.name)
        })
    }
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ToolError {}

impl Diagnostic for ToolError {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.at
            .as_ref()
            .map(|(src, _, _)| src.as_ref() as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.at.as_ref().map(|(_, span, label)| {
            Box::new(std::iter::once(LabeledSpan::new_primary_with_span(
                Some(label.clone()),
                *span,
            ))) as Box<dyn Iterator<Item = LabeledSpan>>
        })
    }
}
