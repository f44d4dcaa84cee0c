//! logfmt lines (`time=… level=info msg="…"`): the payload in the message or in another
//! value, unquoted.

use memchr::memchr;

use super::payload::{end_of, scan};
use super::{Found, region};
use crate::payload::paste::envelope::{Out, c_escape};

/// logfmt (`time=… level=info msg="…"`): the payload is in the msg value, or when the message is
/// only words, in another value (`body="…"`); without one, the message is the payload.
pub(super) fn logfmt(v: &str, ls: usize, le: usize) -> Option<Found> {
    let b = v.as_bytes();
    let pairs = logfmt_pairs(b, ls, le);
    let is = |i: usize, names: &[&str]| {
        let (ks, ke) = pairs[i].key;
        names.iter().any(|n| n.as_bytes() == &b[ks..ke])
    };
    let msg = (0..pairs.len()).find(|&i| is(i, &["msg", "message"]))?;
    let meta = [
        "time",
        "ts",
        "t",
        "timestamp",
        "level",
        "lvl",
        "severity",
        "caller",
        "logger",
    ];
    let order = std::iter::once(msg).chain((0..pairs.len()).filter(|&i| i != msg && !is(i, &meta)));
    let mut message = None;
    for i in order {
        let (text, idx) = logfmt_value(v, &pairs[i]);
        if let Some(c) = scan(text.as_bytes(), 0, text.len()) {
            let e = end_of(&text, &c, text.len(), text.len());
            return Some((text[c.start..e].to_owned(), idx[c.start..=e].to_vec()));
        }
        if i == msg {
            message = Some((text, idx));
        }
    }
    let (text, idx) = message?;
    let s = text.len() - text.trim_start().len();
    let e = text.trim_end().len();
    (s < e).then(|| (text[s..e].to_owned(), idx[s..=e].to_vec()))
}

struct Pair {
    key: (usize, usize),
    value: (usize, usize),
    quoted: bool,
}

fn logfmt_pairs(b: &[u8], ls: usize, le: usize) -> Vec<Pair> {
    let mut pairs = Vec::new();
    let mut i = ls;
    while i < le {
        while i < le && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let ks = i;
        while i < le && !b[i].is_ascii_whitespace() && b[i] != b'=' {
            i += 1;
        }
        if i >= le || b[i] != b'=' {
            continue;
        }
        let key = (ks, i);
        i += 1;
        if i < le && b[i] == b'"' {
            let vs = i + 1;
            let mut k = vs;
            while k < le && b[k] != b'"' {
                k += if b[k] == b'\\' { 2 } else { 1 };
            }
            let ve = k.min(le);
            pairs.push(Pair {
                key,
                value: (vs, ve),
                quoted: true,
            });
            i = ve + 1;
        } else {
            let vs = i;
            while i < le && !b[i].is_ascii_whitespace() {
                i += 1;
            }
            pairs.push(Pair {
                key,
                value: (vs, i),
                quoted: false,
            });
        }
    }
    pairs
}

/// A logfmt value, unquoted (Go's `%q` escapes), with the view index of each byte.
fn logfmt_value(v: &str, p: &Pair) -> Found {
    let (vs, ve) = p.value;
    if !p.quoted {
        return region(v, vs, ve);
    }
    let b = v.as_bytes();
    let mut out = Out::default();
    let mut i = vs;
    while i < ve {
        let k = memchr(b'\\', &b[i..ve]).map_or(ve, |k| i + k);
        out.copy(&b[i..k], i);
        i = k;
        if i < ve {
            if let Some(e) = c_escape(&b[i + 1..ve]) {
                out.expand(&e.bytes[..e.len], i);
                i += 1 + e.took;
            } else {
                out.push(b'\\', i);
                i += 1;
            }
        }
    }
    out.finish(ve)
}

/// logfmt's first pair: `time=`, `level=` … whose value is not a form body.
pub(super) fn logfmt_key(b: &[u8]) -> bool {
    const KEYS: [&[u8]; 7] = [
        b"time",
        b"ts",
        b"t",
        b"timestamp",
        b"level",
        b"lvl",
        b"severity",
    ];
    let Some(eq) = b.iter().take(10).position(|&c| c == b'=') else {
        return false;
    };
    let word = b
        .iter()
        .position(u8::is_ascii_whitespace)
        .unwrap_or(b.len());
    KEYS.contains(&&b[..eq]) && word < b.len() && !b[..word].contains(&b'&')
}

#[cfg(test)]
mod tests {
    use crate::payload::paste::envelope::tests::{opened, src_of};

    #[test]
    fn logfmt_payload_is_the_message() {
        let paste = r#"time="2024-05-12T10:21:33+08:00" level=info msg="notify {\"orderId\":\"1\",\"status\":\"2\"}""#;
        let (source, o) = opened(paste);
        assert_eq!(o.text, r#"{"orderId":"1","status":"2"}"#);
        assert_eq!(src_of(&source, &o, "orderId"), "orderId");
        assert_eq!(src_of(&source, &o, "\"1\""), r#"\"1\""#);
        let (_, o) = opened(r#"level=info msg="orderId=1&status=2" caller=pay.go:12"#);
        assert_eq!(o.text, "orderId=1&status=2");
        let (_, o) = opened(r#"ts=1715480493 level=info msg=notify body="{\"a\":1}""#);
        assert_eq!(o.text, r#"{"a":1}"#);
        let (_, o) = opened(r"level=info msg=orderId=1&status=2");
        assert_eq!(o.text, "orderId=1&status=2");
    }
}
