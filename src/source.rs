//! Source texts and byte spans: every input the tool reads is kept whole so that findings can
//! point at the exact bytes, and line/column are computed from the same text.

use std::sync::Arc;

/// A byte range in a [`SourceFile`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    #[must_use]
    pub const fn len(self) -> usize {
        self.end - self.start
    }

    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.end == self.start
    }

    /// Shifts a span found in a sub-text back into the coordinates of the whole text.
    #[must_use]
    pub const fn offset(self, by: usize) -> Self {
        Self::new(self.start + by, self.end + by)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.start, s.len()).into()
    }
}

/// One input text: a payload, a config file, standard input.
#[derive(Debug)]
pub struct SourceFile {
    /// The name shown to the user: the path as given, or `<stdin>`.
    pub name: String,
    pub text: String,
    /// The text with private key material masked (same length), when it holds any; computed the
    /// first time the text is shown. Every snippet shown to the user is cut from this, never
    /// from `text`.
    redacted: std::sync::OnceLock<Option<String>>,
    /// Lines before this text in its file (a line of a log read on its own).
    first_line: usize,
}

impl SourceFile {
    #[must_use]
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Self::at_line(name, text, 1)
    }

    /// A text that starts at 1-based `line` of the file `name`.
    #[must_use]
    pub fn at_line(name: impl Into<String>, text: impl Into<String>, line: usize) -> Arc<Self> {
        let text = text.into();
        Arc::new(Self {
            name: name.into(),
            redacted: std::sync::OnceLock::new(),
            text,
            first_line: line.saturating_sub(1),
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    #[must_use]
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1 + self.first_line;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }

    /// The text to show: `text` with private keys masked.
    #[must_use]
    pub fn display_text(&self) -> &str {
        self.redacted
            .get_or_init(|| crate::redact::redact(&self.text))
            .as_deref()
            .unwrap_or(&self.text)
    }

    /// The text of a span, clamped to the source.
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        let end = floor_char_boundary(&self.text, span.end.min(self.text.len()));
        let start = floor_char_boundary(&self.text, span.start.min(end));
        &self.text[start..end]
    }
}

/// The largest char boundary not after `i`.
#[must_use]
pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner =
            self.display_text()
                .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let f = SourceFile::new("t", "ab\n中文x\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(9), (2, 3));
        assert_eq!(f.line_col(100), (3, 1));
    }
}
