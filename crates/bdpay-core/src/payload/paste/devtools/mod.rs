//! What merchants copy out of the browser devtools' console: the expanded view of an object,
//! read into the same span-keeping tree as JSON, and the collapsed preview, recognised so that
//! it can be refused where devtools cut it.
//!
//! The expanded view is one `name: value` row per field, under an optional preview line; an
//! expanded object's rows follow its own row, and a prototype row ends each object:
//!
//! ```text
//! {appKey: 'MMMabc', dealId: '470193086', …}
//! appKey: "MMMabc"
//! bizInfo: "{\"tpData\":{\"appKey\":\"MMMabc\"}}"
//! dealId: "470193086"
//! [[Prototype]]: Object
//! ```
//!
//! - Chrome (and the Chromium-based Baidu and WeChat devtools) quotes strings as JSON, leaves an
//!   expanded object's own row empty after the colon (`bizInfo:`), shows arrays as `Array(2)`, and
//!   writes `[[Prototype]]: Object` (`__proto__: Object` in older versions). Its previews quote
//!   strings with `'` and show nested objects as `{…}`.
//! - Firefox writes `Object { appKey: "MMMabc", … }` and `<prototype>: Object { … }`.
//! - Safari writes `Object` or `{appKey: "MMMabc"}` and `Object Prototype`.
//!
//! A copy keeps the indentation or loses it. With indentation, it says which rows belong to which
//! object. Without it, an object's rows follow its row and its prototype row closes it.
//! The first line of the pasted text has lost its indentation to trimming; it is taken to be as
//! indented as the least indented row.
//!
//! This module splits the paste into lines and reads it; `rows` reads each row's
//! `name: value`, `tree` nests the rows into objects, and `preview` reads the preview line
//! and walks a preview to find its cut.

mod preview;
mod rows;
mod tree;

use crate::payload::json::{Node, ParseError};
use crate::source::Span;
use preview::{head, scan};
use rows::{Row, row};
use tree::{Frame, build, columns};

/// The expanded view: `None` when the text is not one; `Some(Err)` when it is one but cannot be read.
///
/// It is one when it has a row after its first line and every row reads as a devtools row
/// (`name: value` with a value as devtools shows it: quoted strings, numbers, `true`, `null`, an
/// object). Rows that devtools adds but that are no data (prototypes, internal slots such as
/// `[[Target]]`, accessors, functions, an array's `length`) are left out. When the text also has
/// a sign that only devtools gives (a preview line, a prototype row, a `▶` marker, `(...)`, a
/// cut `{…}`), a row that cannot be read makes it `Some(Err)` rather than `None`.
#[must_use]
pub fn read(text: &str, base: usize) -> Option<Result<Node, ParseError>> {
    let lines = lines(text);
    if lines.len() < 2 {
        return None;
    }
    let head = match row(&lines[0]) {
        Ok(_) => None,
        Err(_) => head(lines[0].text, lines[0].at),
    };
    let body = &lines[usize::from(head.is_some())..];
    let rows: Vec<Result<Row, ParseError>> = body.iter().map(row).collect();
    // A preview line followed by something else (JSON lines, a log) is no expanded view.
    if (head.is_some() && !matches!(rows.first(), Some(Ok(_))))
        || !rows.iter().any(|r| matches!(r, Ok(Row::Member { .. })))
    {
        return None;
    }
    let devtools_only = head.as_ref().is_some_and(|h| h.braces)
        || lines.iter().any(|l| l.marker.is_some())
        || rows.iter().flatten().any(Row::devtools_only);
    let refuse = |e: ParseError| {
        devtools_only.then(|| {
            Err(ParseError {
                span: e.span.offset(base),
                ..e
            })
        })
    };
    let rows = match rows.into_iter().collect::<Result<Vec<_>, _>>() {
        Ok(rows) => rows,
        Err(e) => return refuse(e),
    };
    let first_trimmed = head.is_none();
    let array = head.is_some_and(|h| h.array);
    let attempt = |inline| {
        let cols = columns(body, first_trimmed, inline);
        build(body, &rows, cols, Frame::new(array, 0, None))
    };
    // Markers stand in the indentation of their row (in a gutter) or before its name; the
    // first reading that fits is taken.
    let mut read = attempt(false);
    if read.is_err() && body.iter().any(|l| l.marker.is_some()) {
        read = attempt(true).or(read);
    }
    match read {
        Ok(mut node) => {
            node.span = Span::new(0, text.len());
            node.shift(base);
            Some(Ok(node))
        }
        Err(e) => refuse(e),
    }
}

/// The collapsed preview (`{appKey: 'MMMabc', dealId: '470193086', …}` or `Object`, with `…`
/// where devtools cut it): `Some(span of the first …)` when the text is a preview that was cut,
/// so the caller can refuse it with a message that says how to copy the whole object.
///
/// A cut is a `…` outside quotes (a field left out, a nested `{…}`), in a string that the text
/// ends inside (`'470…`), or in a string of exactly 50 or 100 characters (UTF-16 units), the
/// lengths Firefox and Chrome shorten long strings to. A bare `Object` or `Array(2)` is all cut:
/// its span is the word. The preview may follow the console's source link (`VM12:1`) and a
/// label (`orderInfo`). A preview without a cut is JSON's or a JS literal's: `None`.
#[must_use]
pub fn cut_preview(text: &str, base: usize) -> Option<Span> {
    if text.contains('\n') {
        return None;
    }
    let line = lines(text).into_iter().next()?;
    let head = head(line.text, line.at)?;
    if !head.braces {
        return (!head.labelled).then(|| head.value.offset(base));
    }
    let cut = scan(&text[head.body.start..head.body.end]).cut?;
    let at = base + head.body.start + cut;
    Some(Span::new(at, at + ELLIPSIS.len_utf8()))
}

const ELLIPSIS: char = '…';

/// The triangles in front of expandable rows, when a copy keeps them.
const MARKERS: [char; 7] = ['▶', '▼', '►', '▸', '▾', '▷', '▽'];

/// One non-blank line of the paste.
struct Line<'a> {
    /// The line without its indentation, markers and trailing white space.
    text: &'a str,
    /// Where `text` starts in the paste.
    at: usize,
    /// Characters before `text`, markers included.
    col: usize,
    /// Characters before the first marker, when there is one.
    marker: Option<usize>,
}

impl Line<'_> {
    fn span(&self) -> Span {
        Span::new(self.at, self.at + self.text.len())
    }
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for raw in text.split('\n') {
        let line_start = start;
        start += raw.len() + 1;
        let (mut col, mut marker) = (0, None);
        let mut rest = raw;
        while let Some(c) = rest.chars().next() {
            if MARKERS.contains(&c) {
                marker.get_or_insert(col);
            } else if !c.is_whitespace() {
                break;
            }
            col += 1;
            rest = &rest[c.len_utf8()..];
        }
        let content = rest.trim_end();
        if !content.is_empty() {
            out.push(Line {
                text: content,
                at: line_start + raw.len() - rest.len(),
                col,
                marker,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
