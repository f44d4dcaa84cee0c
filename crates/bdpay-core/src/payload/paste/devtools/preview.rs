//! The collapsed preview (`{appKey: 'MMMabc', …}`, `Object`): the preview line above the
//! rows, and one walk over a preview that finds where devtools cut it, its fields, and whether
//! it is whole.

use super::rows::{Cell, cell, is_digits, is_name_char};
use super::{ELLIPSIS, MARKERS};
use crate::source::Span;

/// The lengths in UTF-16 units of a string that devtools shortened with a `…`: Firefox's
/// default crop, and V8's for strings in previews (50 + `…` + 49, or 99 + `…`).
const CUT_LENGTHS: [usize; 2] = [50, 100];

/// The preview line above the rows (or the whole collapsed preview).
pub(super) struct Head {
    pub(super) array: bool,
    /// A preview in braces, rather than a bare `Object` or `Array(2)`.
    pub(super) braces: bool,
    /// Whether a label (`orderInfo {…}`, a class name) comes first.
    pub(super) labelled: bool,
    /// The preview, `Object {` or `(2) ` included.
    pub(super) value: Span,
    /// The preview from its opening brace.
    pub(super) body: Span,
}

/// Reads a preview line: the console's source link (`VM12:1`, `index.js:5`), at most one label,
/// then a preview that is whole (its braces close at its end) or cut.
pub(super) fn head(t: &str, at: usize) -> Option<Head> {
    let mut rest = t;
    let mut labelled = false;
    for _ in 0..4 {
        let off = t.len() - rest.len();
        match cell(rest, at + off) {
            Some(Cell::Described { span, array, .. }) => {
                return Some(Head {
                    array,
                    braces: false,
                    labelled,
                    value: span,
                    body: span,
                });
            }
            Some(Cell::Preview {
                span,
                body,
                text,
                array,
            }) => {
                let s = scan(text);
                return (s.cut.is_some() || s.balanced).then_some(Head {
                    array,
                    braces: true,
                    labelled,
                    value: span,
                    body,
                });
            }
            _ => {}
        }
        let n = rest.find(char::is_whitespace)?;
        let token = &rest[..n];
        if !token.chars().all(|c| MARKERS.contains(&c)) && !is_source_link(token) {
            if labelled {
                return None;
            }
            labelled = true;
        }
        rest = rest[n..].trim_start();
    }
    None
}

/// `VM123:1`, `index.js:5`, `pay.js:3:14`, WeChat's `[sm]:12`: a name with letters, then a line.
fn is_source_link(token: &str) -> bool {
    token == "[sm]"
        || token.rsplit_once(':').is_some_and(|(name, line)| {
            is_digits(line) && name.bytes().any(|b| b.is_ascii_alphabetic())
        })
}

/// What a preview holds, as far as it is shown.
pub(super) struct Scan {
    /// The first `…` that marks a cut.
    pub(super) cut: Option<usize>,
    /// The fields of an object preview, as written (without quotes).
    pub(super) keys: Vec<(usize, usize)>,
    /// Whether the opening brace is closed at the very end, and not before.
    balanced: bool,
}

/// Walks a preview (from its opening brace) once, skipping over quoted strings.
pub(super) fn scan(p: &str) -> Scan {
    let b = p.as_bytes();
    let object = b.first() == Some(&b'{');
    let (mut depth, mut i) = (0usize, 0usize);
    let mut cut = None;
    let mut keys = Vec::new();
    let mut closed_at = None;
    // Right after the outer `{` or a `,` in it: a field name may come.
    let mut key_next = false;
    while i < b.len() {
        match b[i] {
            b'"' | b'\'' | b'`' => {
                let q = quoted(p, i);
                if cut.is_none()
                    && let Some(e) = q.ellipsis
                    && (!q.closed || CUT_LENGTHS.contains(&q.units))
                {
                    cut = Some(e);
                }
                if key_next && q.closed && p[q.end..].trim_start().starts_with(':') {
                    keys.push((i + 1, q.end - 1));
                }
                key_next = false;
                i = q.end;
                continue;
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                key_next = object && depth == 1;
            }
            b'}' | b']' | b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    closed_at.get_or_insert(i + 1);
                }
                key_next = false;
            }
            b',' => key_next = object && depth == 1,
            b' ' | b'\t' => {}
            _ => {
                let Some(ch) = p.get(i..).and_then(|r| r.chars().next()) else {
                    break;
                };
                if ch == ELLIPSIS {
                    cut.get_or_insert(i);
                } else if key_next && is_name_char(ch) {
                    let n = p[i..].find(|c| !is_name_char(c)).unwrap_or(p.len() - i);
                    if p[i + n..].trim_start().starts_with(':') {
                        keys.push((i, i + n));
                    }
                    key_next = false;
                    i += n;
                    continue;
                }
                key_next = false;
                i += ch.len_utf8();
                continue;
            }
        }
        i += 1;
    }
    Scan {
        cut,
        keys,
        balanced: closed_at == Some(p.len()),
    }
}

/// A quoted string in a preview.
struct Quoted {
    /// Just after the closing quote, or the end of the text.
    end: usize,
    closed: bool,
    /// Its length in UTF-16 units, escapes counted as the character they stand for.
    units: usize,
    /// The first `…` in it.
    ellipsis: Option<usize>,
}

/// Reads the string whose quote is at `i`.
fn quoted(p: &str, i: usize) -> Quoted {
    let b = p.as_bytes();
    let q = b[i];
    let mut j = i + 1;
    let (mut units, mut ellipsis) = (0, None);
    while j < b.len() {
        if b[j] == q {
            return Quoted {
                end: j + 1,
                closed: true,
                units,
                ellipsis,
            };
        }
        if b[j] == b'\\' {
            j += 1;
            if b.get(j) == Some(&b'u') {
                j += 1 + b[j + 1..]
                    .iter()
                    .take(4)
                    .take_while(|d| d.is_ascii_hexdigit())
                    .count();
            } else if let Some(ch) = p.get(j..).and_then(|r| r.chars().next()) {
                j += ch.len_utf8();
            }
            units += 1;
            continue;
        }
        let Some(ch) = p.get(j..).and_then(|r| r.chars().next()) else {
            break;
        };
        if ch == ELLIPSIS {
            ellipsis.get_or_insert(j);
        }
        units += ch.len_utf16();
        j += ch.len_utf8();
    }
    Quoted {
        end: b.len(),
        closed: false,
        units,
        ellipsis,
    }
}

/// Just after the closing quote of the string whose quote is at `i`.
pub(super) fn string_end(s: &str, i: usize) -> Option<usize> {
    let q = quoted(s, i);
    q.closed.then_some(q.end)
}
