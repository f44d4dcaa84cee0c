//! nginx's `\xHH` escapes (`$request_body` in an access log): decoding them with a map back
//! to the paste, and a payload copied out of an access log by itself.

use memchr::{memchr, memmem};

use super::{Envelope, Opened, Out};
use crate::source::Span;

/// The paste with `\xHH` escapes decoded, and the offset in the paste of each byte.
pub(super) struct View {
    pub(super) text: String,
    pub(super) from: Vec<usize>,
}

/// Decodes nginx's `\xHH` escapes (a `\\` is left as it is, escape and all).
pub(super) fn decode_hex_escapes(t: &str) -> View {
    let b = t.as_bytes();
    let mut out = Out::default();
    out.bytes.reserve(b.len());
    out.from.reserve(b.len() + 1);
    let mut i = 0;
    while let Some(k) = memchr(b'\\', &b[i..]) {
        let at = i + k;
        out.copy(&b[i..at], i);
        if let Some(byte) = hex_escape(b, at) {
            out.push(byte, at);
            i = at + 4;
        } else {
            let n = if b.get(at + 1) == Some(&b'\\') { 2 } else { 1 };
            out.copy(&b[at..at + n], at);
            i = at + n;
        }
    }
    out.copy(&b[i..], i);
    let (text, from) = out.finish(b.len());
    View { text, from }
}

/// The byte of a `\xHH` escape at `at`.
fn hex_escape(b: &[u8], at: usize) -> Option<u8> {
    if b.get(at) != Some(&b'\\') || b.get(at + 1) != Some(&b'x') {
        return None;
    }
    Some(hex(*b.get(at + 2)?)? << 4 | hex(*b.get(at + 3)?)?)
}

pub(super) fn has_hex_escape(b: &[u8]) -> bool {
    let mut i = 0;
    while let Some(k) = memchr(b'\\', &b[i..]) {
        let at = i + k;
        if hex_escape(b, at).is_some() {
            return true;
        }
        i = at + if b.get(at + 1) == Some(&b'\\') { 2 } else { 1 };
    }
    false
}

pub(super) const fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// A payload copied out of an access log by itself: `{\x22orderId\x22:…}` (no raw `"`), or a
/// form body with `\xHH` escapes; with the field's quotes or without.
pub(super) fn bare_nginx(t: &str) -> Option<Opened> {
    let b = t.as_bytes();
    if !has_hex_escape(b) {
        return None;
    }
    let quoted = b.len() >= 2 && b[0] == b'"' && b[b.len() - 1] == b'"';
    let (s, e) = if quoted {
        (1, b.len() - 1)
    } else {
        (0, b.len())
    };
    let inner = &b[s..e];
    let json = matches!(inner.first(), Some(b'{' | b'['))
        && !inner.contains(&b'"')
        && memmem::find(inner, b"\\x22").is_some();
    let form = !json
        && inner.contains(&b'=')
        && !inner.iter().any(u8::is_ascii_whitespace)
        && !inner.contains(&b'"');
    if !json && !form {
        return None;
    }
    let view = decode_hex_escapes(&t[s..e]);
    Some(Opened {
        envelope: Envelope::NginxEscaped {
            prefix: Span::new(0, s),
        },
        text: view.text,
        map: view.from.into_iter().map(|i| i + s).collect(),
    })
}

#[cfg(test)]
mod tests {
    use crate::payload::paste::envelope::Envelope;
    use crate::payload::paste::envelope::tests::{opened, prefix, src_of};
    use crate::source::Span;

    #[test]
    fn nginx_access_log_bodies() {
        // Not escaped: a log line.
        let paste = r#"1.2.3.4 - - [02/Mar/2024:10:11:12 +0800] "POST /pay/notify HTTP/1.1" 200 52 "-" "Go-http-client/1.1" "userId=1&orderId=2&rsaSign=abc%2B""#;
        let (source, o) = opened(paste);
        assert_eq!(o.text, "userId=1&orderId=2&rsaSign=abc%2B");
        assert!(matches!(o.envelope, Envelope::LogLine { .. }));
        assert!(prefix(&source, &o).ends_with("\"Go-http-client/1.1\" \""));
        // JSON with `\x22` quotes and UTF-8 in escapes.
        let paste = r#"1.2.3.4 - - [02/Mar/2024:10:11:12 +0800] "POST /pay/notify HTTP/1.1" 200 52 "-" "curl/8.0" "{\x22orderId\x22:\x221\x22,\x22dealTitle\x22:\x22\xE4\xB8\xAD\x22}""#;
        let (source, o) = opened(paste);
        assert_eq!(o.text, r#"{"orderId":"1","dealTitle":"中"}"#);
        assert!(matches!(o.envelope, Envelope::NginxEscaped { .. }));
        assert_eq!(src_of(&source, &o, "orderId"), "orderId");
        assert_eq!(src_of(&source, &o, "\"1\""), r"\x221\x22");
        assert_eq!(src_of(&source, &o, "中"), r"\xE4\xB8\xAD");
        // A form body with escapes, unquoted at the end of the line.
        let paste = r"2024/05/12 10:21:33 [info] body: orderId=1&rsaSign=abc\x2Bdef\x3D";
        let (source, o) = opened(paste);
        assert_eq!(o.text, "orderId=1&rsaSign=abc+def=");
        assert!(matches!(o.envelope, Envelope::NginxEscaped { .. }));
        assert_eq!(src_of(&source, &o, "abc+def="), r"abc\x2Bdef\x3D");
    }

    #[test]
    fn bare_nginx_escapes() {
        let (source, o) = opened(r"{\x22orderId\x22:\x221\x22,\x22note\x22:\x22a\x5C\x22b\x22}");
        assert_eq!(o.text, r#"{"orderId":"1","note":"a\"b"}"#);
        assert_eq!(
            o.envelope,
            Envelope::NginxEscaped {
                prefix: Span::new(2, 2)
            }
        );
        assert_eq!(src_of(&source, &o, "orderId"), "orderId");
        let (source, o) = opened(r#""orderId=1&rsaSign=abc\x2B\xE4\xB8\xAD""#);
        assert_eq!(o.text, "orderId=1&rsaSign=abc+中");
        assert_eq!(src_of(&source, &o, "abc+中"), r"abc\x2B\xE4\xB8\xAD");
        // Bytes that are not UTF-8 (a GBK body) become U+FFFD.
        let (_, o) = opened(r"a=\xB2\xE2&b=1");
        assert_eq!(o.text, "a=\u{FFFD}\u{FFFD}&b=1");
    }
}
