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
        let text = self.display_text();
        let inner = text.read_span(span, context_lines_before, context_lines_after)?;
        let line = inner.line() + self.first_line;
        // Columns are characters, as everywhere else in the output (miette counts bytes).
        let at = floor_char_boundary(text, inner.span().offset().min(text.len()));
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..at].chars().count();
        Ok(placed(&self.name, &*inner, line, column))
    }
}

/// Contents read from a text, under the file's name and at the file's line and column.
fn placed<'a>(
    name: &str,
    inner: &dyn miette::SpanContents<'a>,
    line: usize,
    column: usize,
) -> Box<dyn miette::SpanContents<'a> + 'a> {
    Box::new(miette::MietteSpanContents::new_named(
        name.to_owned(),
        inner.data(),
        *inner.span(),
        line,
        column,
        inner.line_count(),
    ))
}

/// Lines longer than this (in bytes) are not shown whole in a snippet.
const LONG_LINE: usize = 240;
/// How much of a long line a snippet shows around its label, on each side (bytes).
const AROUND: usize = 60;
/// How much of a long label span a snippet shows (bytes).
const SPAN_SHOWN: usize = 120;

/// A snippet's view of a text whose lines are too long to show whole (a minified JSON line, a
/// 1 MB value): the part of the primary label's line around it, with `…` where it was cut. Line
/// and column numbers stay those of the whole text.
pub struct Window {
    name: String,
    text: String,
    /// 0-based line of the window in the file.
    line: usize,
    /// Byte offsets in the source of the window's first byte and of the byte after its last,
    /// and the length of the `…` before it.
    from: usize,
    to: usize,
    lead: usize,
    /// Characters of the line cut before the window.
    cut: usize,
}

impl Window {
    /// A window for a snippet labelling `spans` (the primary first), or `None` when every line
    /// the snippet would show (with one line of context) is short enough to show whole.
    #[must_use]
    pub fn around(src: &SourceFile, spans: &[Span]) -> Option<Self> {
        let text = src.display_text();
        let primary = *spans.first()?;
        let line_of = |at: usize| {
            let at = floor_char_boundary(text, at.min(text.len()));
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            (start, end)
        };
        let long = spans.iter().any(|s| {
            let (a, _) = line_of(s.start);
            let (_, b) = line_of(s.end);
            // The lines of the span and one line of context on each side.
            let (pa, _) = line_of(a.saturating_sub(1));
            let (_, nb) = line_of((b + 1).min(text.len()));
            text[pa..nb].split('\n').any(|l| l.len() > LONG_LINE)
        });
        if !long {
            return None;
        }
        let (ls, le) = line_of(primary.start);
        let start = floor_char_boundary(text, primary.start.min(le));
        let end = floor_char_boundary(text, primary.end.clamp(start, le).min(start + SPAN_SHOWN));
        let from = floor_char_boundary(text, start.saturating_sub(AROUND).max(ls));
        let to = floor_char_boundary(text, (end + AROUND).min(le));
        let lead = if from > ls { "…" } else { "" };
        let tail = if to < le { "…" } else { "" };
        Some(Self {
            name: src.name.clone(),
            text: format!("{lead}{}{tail}", &text[from..to]),
            line: text[..ls].bytes().filter(|&b| b == b'\n').count() + src.first_line,
            from,
            to,
            lead: lead.len(),
            cut: text[ls..from].chars().count(),
        })
    }

    /// A span of the source in the window's coordinates, cut to what the window shows; `None`
    /// when it lies outside.
    #[must_use]
    pub fn map(&self, span: Span) -> Option<Span> {
        if span.start < self.from || span.start > self.to {
            return None;
        }
        let start = floor_char_boundary(&self.text, span.start - self.from + self.lead);
        let end = span.end.clamp(span.start, self.to) - self.from + self.lead;
        let end = floor_char_boundary(&self.text, end.min(start + SPAN_SHOWN));
        Some(Span::new(start, end.max(start)))
    }
}

impl miette::SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        // The window is one line: context widens a span to the whole of it.
        let inner = self.text.read_span(span, before, after)?;
        // In characters: those cut are added back and the `…` taken out.
        let at = floor_char_boundary(&self.text, inner.span().offset().min(self.text.len()));
        let shown = self.text[..at].chars().count();
        let column = (shown + self.cut).saturating_sub(usize::from(self.lead > 0));
        Ok(placed(&self.name, &*inner, self.line, column))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_windowed_around_the_label() {
        let value = "x".repeat(10_000);
        let text = format!("{{\"a\": 1,\n\"errno\": 1, \"msg\": \"{value}\", \"z\": 2}}\n");
        let f = SourceFile::new("t.json", text.clone());
        let errno = text.find("1, \"msg").unwrap();
        let w = Window::around(&f, &[Span::new(errno, errno + 1)]).unwrap();
        assert!(w.text.len() < 200 && w.text.ends_with('…') && !w.text.starts_with('…'));
        let m = w.map(Span::new(errno, errno + 1)).unwrap();
        assert_eq!(&w.text[m.start..m.end], "1");
        // The long value itself: shown cut, and its label stays inside the window.
        let v = text.find("xxx").unwrap();
        let w = Window::around(&f, &[Span::new(v, v + value.len())]).unwrap();
        let m = w.map(Span::new(v, v + value.len())).unwrap();
        assert!(m.end <= w.text.len() && m.len() <= SPAN_SHOWN);
        assert!(w.text.ends_with('…'));
        // A label at the end of the long line: cut before, not after.
        let z = text.find("\"z\"").unwrap();
        let wz = Window::around(&f, &[Span::new(z, z + 3)]).unwrap();
        assert!(wz.text.starts_with('…') && !wz.text.ends_with('…'));
        let mz = wz.map(Span::new(z, z + 3)).unwrap();
        assert_eq!(&wz.text[mz.start..mz.end], "\"z\"");
        let c = miette::SourceCode::read_span(&wz, &(mz.start, mz.len()).into(), 0, 0).unwrap();
        assert_eq!((c.line() + 1, c.column() + 1), f.line_col(z));
        // Line and column stay those of the file.
        let c = miette::SourceCode::read_span(&w, &(m.start, m.len()).into(), 0, 0).unwrap();
        assert_eq!((c.line() + 1, c.column() + 1), f.line_col(v));
        // A span far from the primary one is not shown.
        assert!(w.map(Span::new(0, 1)).is_none());
        // Short lines are shown whole.
        let short = SourceFile::new("s.json", "{\"errno\": 1}");
        assert!(Window::around(&short, &[Span::new(10, 11)]).is_none());
    }

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let f = SourceFile::new("t", "ab\n中文x\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(9), (2, 3));
        assert_eq!(f.line_col(100), (3, 1));
    }
}
