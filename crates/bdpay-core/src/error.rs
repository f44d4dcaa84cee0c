//! The tool's own errors (exit code 2): unreadable input, invalid config, bad arguments. They
//! render like findings, with the place they occurred, but they are not findings: no rule
//! produced them. The place is data (file, line, column, snippet), never part of the message,
//! and a message names no command-line flag: the shell adds those hints.

use std::sync::Arc;

use crate::message::{Lang, Msg};
use crate::source::{SourceFile, Span};

#[derive(Debug, Clone)]
pub struct ToolError {
    pub message: Msg,
    pub help: Option<Box<Msg>>,
    /// The input it concerns (a file name, `<stdin>`), when it concerns one.
    pub file: Option<String>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
    /// The text around the place, for a snippet.
    pub snippet: Option<Box<Snippet>>,
}

/// The text an error points into.
#[derive(Debug, Clone)]
pub struct Snippet {
    pub source: Arc<SourceFile>,
    pub span: Span,
    pub label: Msg,
}

impl ToolError {
    /// An error about no input in particular.
    #[must_use]
    pub fn new(message: Msg) -> Self {
        Self {
            message,
            help: None,
            file: None,
            line: None,
            column: None,
            snippet: None,
        }
    }

    /// An error about a whole input: a file that cannot be read, a key file, a directory.
    #[must_use]
    pub fn in_file(file: impl Into<String>, message: Msg) -> Self {
        Self {
            file: Some(file.into()),
            ..Self::new(message)
        }
    }

    /// An error at a place in a text, with a label on it.
    #[must_use]
    pub fn at(src: &Arc<SourceFile>, span: Span, label: Msg, message: Msg) -> Self {
        let (line, column) = src.line_col(span.start);
        Self {
            file: Some(src.name.clone()),
            line: Some(line),
            column: Some(column),
            snippet: Some(Box::new(Snippet {
                source: Arc::clone(src),
                span,
                label,
            })),
            ..Self::new(message)
        }
    }

    /// The same error about `file`, when it names none yet.
    #[must_use]
    pub fn with_file(mut self, file: impl Into<String>) -> Self {
        if self.file.is_none() {
            self.file = Some(file.into());
        }
        self
    }

    /// The same error on a line of its file (a line of an orders file, of a log).
    #[must_use]
    pub fn on_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    #[must_use]
    pub fn help(mut self, help: Msg) -> Self {
        self.help = Some(Box::new(help));
        self
    }

    /// `file:line:col`, `file:line` or `file`, as far as the place is known.
    #[must_use]
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_deref()?;
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.to_owned(),
        })
    }

    /// The message in `lang`, after its location: `bdpay.toml:3:1: invalid config: …`.
    #[must_use]
    pub fn text(&self, lang: Lang) -> String {
        match self.location() {
            Some(loc) => format!("{loc}: {}", self.message.get(lang)),
            None => self.message.get(lang).to_owned(),
        }
    }
}

/// An error as plain text in English, for test failures and logs that have no language.
impl std::fmt::Display for ToolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for ToolError {}
