//! Envelopes around a payload: a curl command line, a log line, nginx's `\xHH`-escaped
//! `$request_body`. [`open`] takes the payload out and keeps, for every byte of it, the byte of
//! the paste it came from, so that what the payload readers find points into what was pasted.
//!
//! Everything here reads bytes and cuts only next to ASCII bytes, so no cut splits a character,
//! and every scan moves forward: reading is linear in the size of the paste.
//!
//! `curl` opens a curl command line, `log` a log line and `nginx` decodes nginx's escapes;
//! this module holds what they share: the bytes taken out with the offsets they came from,
//! C-style backslash escapes (`$'…'`, logfmt values) and runs of blanks.

mod curl;
mod log;
mod nginx;

use crate::payload::json::ParseError;
use crate::source::Span;
use curl::{curl, curl_start};
use log::log_line;
use nginx::{bare_nginx, hex};

/// What was around the payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Envelope {
    /// A curl command line; the payload is its request body (`-d`, `--data`, `--data-raw`,
    /// `--data-binary`, `--data-urlencode` — several joined with `&` as curl does, `@file` refused),
    /// or the URL's query string when there is no body.
    Curl { url: Option<String> },
    /// A log line: the payload follows a prefix (timestamps, levels, logger names, request ids,
    /// `key=` labels …); `prefix` spans it.
    LogLine { prefix: Span },
    /// The same with nginx's `\xHH` escapes (`$request_body` in an access log), decoded.
    NginxEscaped { prefix: Span },
}

/// The payload's text inside its envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub envelope: Envelope,
    /// The inner text to read as a payload.
    pub text: String,
    /// `map[i]` is the byte offset in the pasted source of byte `i` of `text`, with one more
    /// entry for the end (so a span `a..b` of `text` maps to `map[a]..map[b]`).
    pub map: Vec<usize>,
}

/// `None` when the text is not in an envelope; `Some(Err)` when it is one that cannot be
/// opened (a curl whose body is `@file`, an unterminated quote), with the place.
///
/// `text` is the paste trimmed and `base` its offset in the source; the map, the prefix and
/// error spans are offsets in the source. A byte that an escape or an encoding stands for maps to
/// the start of that escape (`\"`, `\x22`, `$'\n'`) or of the character it encodes (`%E4%B8%AD`).
#[must_use]
pub fn open(text: &str, base: usize) -> Option<Result<Opened, ParseError>> {
    let found = if let Some(word) = curl_start(text) {
        curl(text, word)?
    } else {
        Ok(log_line(text).or_else(|| bare_nginx(text))?)
    };
    Some(match found {
        Ok(mut o) => {
            o.map.iter_mut().for_each(|m| *m += base);
            if let Envelope::LogLine { prefix } | Envelope::NginxEscaped { prefix } =
                &mut o.envelope
            {
                *prefix = prefix.offset(base);
            }
            Ok(o)
        }
        Err(mut e) => {
            e.span = e.span.offset(base);
            Err(e)
        }
    })
}

/// Bytes taken out of the paste, each with the offset it came from.
#[derive(Default)]
struct Out {
    bytes: Vec<u8>,
    from: Vec<usize>,
}

impl Out {
    fn push(&mut self, b: u8, at: usize) {
        self.bytes.push(b);
        self.from.push(at);
    }

    /// Bytes as they stand in the paste from offset `at`.
    fn copy(&mut self, bytes: &[u8], at: usize) {
        self.bytes.extend_from_slice(bytes);
        self.from.extend(at..at + bytes.len());
    }

    /// The bytes one escape at `at` stands for.
    fn expand(&mut self, bytes: &[u8], at: usize) {
        self.bytes.extend_from_slice(bytes);
        self.from.extend(std::iter::repeat_n(at, bytes.len()));
    }

    /// Bytes `range` of another `Out`, with their offsets.
    fn append(&mut self, other: &Self, range: std::ops::Range<usize>) {
        self.bytes.extend_from_slice(&other.bytes[range.clone()]);
        self.from.extend_from_slice(&other.from[range]);
    }

    /// The text and its map; `end` is the offset after the last byte taken. Bytes that are not
    /// UTF-8 become U+FFFD, which maps to where they came from.
    fn finish(self, end: usize) -> (String, Vec<usize>) {
        let Self { bytes, mut from } = self;
        match String::from_utf8(bytes) {
            Ok(text) => {
                from.push(end);
                (text, from)
            }
            Err(e) => {
                let bytes = e.into_bytes();
                let mut text = String::with_capacity(bytes.len() + 8);
                let mut map = Vec::with_capacity(bytes.len() + 9);
                let mut i = 0;
                for chunk in bytes.utf8_chunks() {
                    text.push_str(chunk.valid());
                    map.extend_from_slice(&from[i..i + chunk.valid().len()]);
                    i += chunk.valid().len();
                    if !chunk.invalid().is_empty() {
                        text.push('\u{FFFD}');
                        map.extend([from[i]; 3]);
                        i += chunk.invalid().len();
                    }
                }
                map.push(end);
                (text, map)
            }
        }
    }
}

fn error(span: Span, expected: crate::message::Msg, found: crate::message::Msg) -> ParseError {
    ParseError {
        span,
        expected,
        found,
    }
}

/// The bytes a C-style backslash escape stands for (`$'…'`, a logfmt value).
struct Esc {
    bytes: [u8; 4],
    len: usize,
    /// Bytes taken after the backslash.
    took: usize,
}

fn c_escape(rest: &[u8]) -> Option<Esc> {
    let one = |b: u8, took: usize| {
        Some(Esc {
            bytes: [b, 0, 0, 0],
            len: 1,
            took,
        })
    };
    match *rest.first()? {
        b'a' => one(7, 1),
        b'b' => one(8, 1),
        b'e' | b'E' => one(27, 1),
        b'f' => one(12, 1),
        b'n' => one(b'\n', 1),
        b'r' => one(b'\r', 1),
        b't' => one(b'\t', 1),
        b'v' => one(11, 1),
        c @ (b'\\' | b'\'' | b'"' | b'?') => one(c, 1),
        b'x' => {
            let (v, n) = hex_digits(&rest[1..], 2);
            if n == 0 { None } else { one(v as u8, 1 + n) }
        }
        c @ (b'u' | b'U') => {
            let (v, n) = hex_digits(&rest[1..], if c == b'u' { 4 } else { 8 });
            if n == 0 {
                return None;
            }
            let mut bytes = [0; 4];
            let len = char::from_u32(v)
                .unwrap_or('\u{FFFD}')
                .encode_utf8(&mut bytes)
                .len();
            Some(Esc {
                bytes,
                len,
                took: 1 + n,
            })
        }
        b'0'..=b'7' => {
            let n = rest
                .iter()
                .take(3)
                .take_while(|c| matches!(c, b'0'..=b'7'))
                .count();
            let v = rest[..n]
                .iter()
                .fold(0u32, |v, &c| v * 8 + u32::from(c - b'0'));
            one(v as u8, n)
        }
        b'c' => one(*rest.get(1)? & 0x1F, 2),
        _ => None,
    }
}

fn hex_digits(b: &[u8], max: usize) -> (u32, usize) {
    let n = b
        .iter()
        .take(max)
        .take_while(|c| c.is_ascii_hexdigit())
        .count();
    let v = b[..n]
        .iter()
        .fold(0u32, |v, &c| v * 16 + u32::from(hex(c).unwrap_or(0)));
    (v, n)
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests;
