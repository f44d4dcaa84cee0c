//! Form bodies (`a=1&b=2`), URLs with a query string, and raw HTTP requests, read into the same
//! span-keeping tree as JSON: every field is a string member whose spans cover the raw,
//! still-encoded text.

use super::json::{Member, Node, Value};
use crate::source::Span;
use smol_str::SmolStr;

/// A parsed `application/x-www-form-urlencoded` text starting at byte `base` of the source.
/// Fields are separated by `&` (or, for pasted `k=v` lines, by line breaks).
#[must_use]
pub fn parse_form(text: &str, base: usize) -> Node {
    parse_form_as(text, base, true)
}

/// A form body that a framework decoded before it was logged: no `%` escapes anywhere, and a
/// signature with raw `+` (which a sent body would carry as `%2B`). Its values are taken as
/// written: decoding them again would turn the signature's `+` into spaces.
#[must_use]
pub fn already_decoded(text: &str) -> bool {
    !text.contains('%')
        && text.split(['&', '\n']).any(|kv| {
            kv.split_once('=')
                .is_some_and(|(k, v)| matches!(k.trim(), "rsaSign" | "sign") && v.contains('+'))
        })
}

/// [`parse_form`], percent-decoding the keys and values (`decode`) or keeping them as written.
#[must_use]
pub fn parse_form_as(text: &str, base: usize, decode: bool) -> Node {
    let bytes = text.as_bytes();
    let sep = if !bytes.contains(&b'&') && text.trim().as_bytes().contains(&b'\n') {
        b'\n'
    } else {
        b'&'
    };
    let mut members = Vec::with_capacity(memchr::memchr_iter(sep, bytes).count() + 1);
    // One pass over the bytes: `&` (or a line break) and `=` are ASCII, so every cut falls on a
    // character boundary.
    let mut start = 0;
    while start <= bytes.len() {
        let end = memchr::memchr(sep, &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let part = &text[start..end];
        let pos = start;
        start = end + 1;
        let trimmed = part.trim_end_matches('\r');
        let lead = trimmed.len() - trimmed.trim_start().len();
        let piece = trimmed.trim();
        if piece.is_empty() {
            continue;
        }
        let pstart = base + pos + lead;
        let (k, v, vstart) = match memchr::memchr(b'=', piece.as_bytes()) {
            Some(eq) => (&piece[..eq], &piece[eq + 1..], pstart + eq + 1),
            None => (piece, "", pstart + piece.len()),
        };
        let text_of = |s: &str| {
            if decode {
                decode_smol(s)
            } else {
                SmolStr::new(s)
            }
        };
        members.push(Member {
            key: text_of(k),
            key_span: Span::new(pstart, pstart + k.len()),
            value: Node {
                span: Span::new(vstart, vstart + v.len()),
                value: Value::Str(text_of(v)),
            },
        });
    }
    Node {
        span: Span::new(base, base + text.len()),
        value: Value::Object(members),
    }
}

/// [`percent_decode`] into a field: without escapes, short text is kept inline (no allocation).
fn decode_smol(s: &str) -> SmolStr {
    if needs_decoding(s) {
        percent_decode(s).into()
    } else if s.len() <= SmolStr::INLINE_CAP {
        // Most names and values: copied without the other checks of SmolStr::new.
        SmolStr::new_inline(s)
    } else {
        SmolStr::new(s)
    }
}

/// [`percent_decode`], borrowing `s` when it has nothing to decode.
#[must_use]
pub fn decoded(s: &str) -> std::borrow::Cow<'_, str> {
    if needs_decoding(s) {
        std::borrow::Cow::Owned(percent_decode(s))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

fn needs_decoding(s: &str) -> bool {
    memchr::memchr2(b'%', b'+', s.as_bytes()).is_some()
}

/// Decodes `+` and `%XX` as a form decoder does. Invalid escapes stay as written; bytes that are
/// not UTF-8 after decoding become U+FFFD.
#[must_use]
pub fn percent_decode(s: &str) -> String {
    if !needs_decoding(s) {
        return s.to_owned();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        // Copy the run up to the next escape in one go.
        let run = memchr::memchr2(b'%', b'+', &b[i..]).unwrap_or(b.len() - i);
        out.extend_from_slice(&b[i..i + run]);
        i += run;
        match b.get(i) {
            Some(b'+') => out.push(b' '),
            Some(b'%') => match (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            _ => break,
        }
        i += 1;
    }
    // One copy: the decoded bytes become the String unless they are not UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

const fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// A raw HTTP request split into its parts, with byte offsets into the text.
#[derive(Debug)]
pub struct HttpRequest<'a> {
    pub method: &'a str,
    pub target: &'a str,
    pub target_start: usize,
    pub content_type: Option<&'a str>,
    pub body: &'a str,
    pub body_start: usize,
}

/// Reads `METHOD target HTTP/x.y`, headers, a blank line and the body.
#[must_use]
pub fn parse_http(text: &str) -> Option<HttpRequest<'_>> {
    // A request line starts with a method in capitals and a space: anything else is not one,
    // and a long form body is not scanned for its first line break.
    let method_len = text.bytes().take_while(u8::is_ascii_uppercase).count();
    if method_len == 0 || text.as_bytes().get(method_len) != Some(&b' ') {
        return None;
    }
    let line_end = text.find('\n').unwrap_or(text.len());
    let first = text[..line_end].trim_end_matches('\r');
    let mut words = first.split(' ');
    let method = words.next()?;
    let target = words.next()?;
    let version = words.next()?;
    if !method.bytes().all(|b| b.is_ascii_uppercase())
        || method.is_empty()
        || !version.starts_with("HTTP/")
        || words.next().is_some()
    {
        return None;
    }
    let target_start = method.len() + 1;
    let mut content_type = None;
    let mut pos = (line_end + 1).min(text.len());
    let mut body_start = text.len();
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end_matches('\r');
        if line.is_empty() {
            body_start = (end + 1).min(text.len());
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-type")
        {
            content_type = Some(value.trim());
        }
        pos = end + 1;
    }
    Some(HttpRequest {
        method,
        target,
        target_start,
        content_type,
        body: &text[body_start..],
        body_start,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_spans_cover_raw_values() {
        let t = "a=1&rsaSign=ab%2Bc%3D&empty=&x+y=%E4%B8%AD";
        let n = parse_form(t, 0);
        let s = n.get("rsaSign").unwrap();
        assert_eq!(s.value.as_str(), Some("ab+c="));
        assert_eq!(&t[s.value.span.start..s.value.span.end], "ab%2Bc%3D");
        assert_eq!(n.get("empty").unwrap().value.as_str(), Some(""));
        assert_eq!(n.get("x y").unwrap().value.as_str(), Some("中"));
    }

    #[test]
    fn plus_in_form_is_a_space() {
        assert_eq!(percent_decode("a+b%2B%zz%"), "a b+%zz%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%41%4"), "A%4");
        assert_eq!(percent_decode("%%41+"), "%A ");
        assert_eq!(percent_decode("%E4%B8%AD%e6%96%87"), "中文");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
        assert_eq!(percent_decode("plain"), "plain");
    }

    #[test]
    fn not_a_request_line() {
        assert!(parse_http("a=1&b=2\nGET / HTTP/1.1").is_none());
        assert!(parse_http("GET").is_none());
        assert!(parse_http("get / HTTP/1.1").is_none());
        assert!(parse_http("GET / HTTP/1.1\r\n\r\n").is_some());
    }

    #[test]
    fn http_request_parts() {
        let t = "POST /notify?src=bd HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\na=1";
        let r = parse_http(t).unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(r.target, "/notify?src=bd");
        assert_eq!(r.body, "a=1");
        assert_eq!(&t[r.body_start..], "a=1");
        assert!(parse_http("success").is_none());
    }
}
