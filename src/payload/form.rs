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
    let sep = if !text.contains('&') && text.trim().contains('\n') {
        '\n'
    } else {
        '&'
    };
    let mut members = Vec::new();
    let mut pos = 0;
    for part in text.split(sep) {
        let start = pos;
        pos += part.len() + 1;
        let trimmed = part.trim_end_matches('\r');
        let lead = trimmed.len() - trimmed.trim_start().len();
        let piece = trimmed.trim();
        if piece.is_empty() {
            continue;
        }
        let pstart = base + start + lead;
        let (k, v, vstart) = match piece.find('=') {
            Some(eq) => (&piece[..eq], &piece[eq + 1..], pstart + eq + 1),
            None => (piece, "", pstart + piece.len()),
        };
        members.push(Member {
            key: decode_smol(k),
            key_span: Span::new(pstart, pstart + k.len()),
            value: Node {
                span: Span::new(vstart, vstart + v.len()),
                value: Value::Str(decode_smol(v)),
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
    } else {
        SmolStr::new(s)
    }
}

fn needs_decoding(s: &str) -> bool {
    s.bytes().any(|b| b == b'%' || b == b'+')
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
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() && hex(b[i + 1]).is_some() && hex(b[i + 2]).is_some() => {
                out.push(hex(b[i + 1]).unwrap_or(0) * 16 + hex(b[i + 2]).unwrap_or(0));
                i += 2;
            }
            c => out.push(c),
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
