//! A payload in a log line, or on the lines that go on with a log entry whose own line is only
//! a prefix (`notify body:` and the JSON below it): the lines of the paste, after nginx's
//! escapes are decoded, and which of them start log entries.

mod logfmt;
mod payload;
mod prefix;

use memchr::memchr;

use super::nginx::{View, decode_hex_escapes, has_hex_escape};
use super::{Envelope, Opened};
use crate::source::{Span, floor_char_boundary};
use logfmt::{logfmt, logfmt_key};
use payload::{end_of, scan};
use prefix::log_start;

/// A payload after a log prefix: in the first log line that holds one, or starting a line
/// below a log line that is only a prefix (`notify body:` and the JSON below it).
pub(super) fn log_line(t: &str) -> Option<Opened> {
    let first = &t[..memchr(b'\n', t.as_bytes()).unwrap_or(t.len())];
    if !log_start(first.trim_end_matches('\r').as_bytes()) {
        return None;
    }
    let view = decode_hex_escapes(t);
    let v = view.text.as_str();
    let lines = raw_lines(t.as_bytes(), &view);
    let is_log: Vec<bool> = lines
        .iter()
        .enumerate()
        .map(|(k, &(s, e))| k == 0 || log_start(&v.as_bytes()[s..e]))
        .collect();
    // Where the entry of each line ends: at the next log line.
    let mut next = vec![v.len(); lines.len()];
    for k in (0..lines.len().saturating_sub(1)).rev() {
        next[k] = if is_log[k + 1] {
            lines[k + 1].0
        } else {
            next[k + 1]
        };
    }
    let b = v.as_bytes();
    for (k, &(ls, le)) in lines.iter().enumerate() {
        if is_log[k] {
            if let Some(found) = in_log_line(v, ls, le, next[k]) {
                return Some(opened_from_view(t, &view, &found));
            }
            continue;
        }
        // A line that goes on with the entry of a log line without a payload (`notify body:`
        // and the JSON below it, a logged request's headers and then its body): a payload
        // that starts the line.
        let p = ls + (le - ls - v[ls..le].trim_start().len());
        if let Some(c) = scan(b, p, le)
            && c.start == p
        {
            let e = end_of(v, &c, le, next[k]);
            return Some(opened_from_view(t, &view, &region(v, p, e)));
        }
    }
    None
}

/// The lines of the paste, as ranges of the view (without `\r\n`). A line break decoded from
/// `\x0A` is not one: it is part of the payload.
fn raw_lines(raw: &[u8], view: &View) -> Vec<(usize, usize)> {
    let v = view.text.as_bytes();
    let mut lines = Vec::new();
    let mut s = 0;
    for k in memchr::memchr_iter(b'\n', v) {
        if raw[view.from[k]] == b'\n' {
            let e = if k > s && v[k - 1] == b'\r' { k - 1 } else { k };
            lines.push((s, e));
            s = k + 1;
        }
    }
    let e = if v.len() > s && v[v.len() - 1] == b'\r' {
        v.len() - 1
    } else {
        v.len()
    };
    lines.push((s, e));
    lines
}

/// A payload's text and, for each byte and the end, its index in the view.
type Found = (String, Vec<usize>);

fn region(v: &str, s: usize, e: usize) -> Found {
    (v[s..e].to_owned(), (s..=e).collect())
}

fn opened_from_view(t: &str, view: &View, (text, idx): &Found) -> Opened {
    let map: Vec<usize> = idx.iter().map(|&i| view.from[i]).collect();
    let (first, end) = (map[0], map[map.len() - 1]);
    let prefix = Span::new(0, t[..floor_char_boundary(t, first)].trim_end().len());
    let envelope = if has_hex_escape(&t.as_bytes()[first..end.max(first)]) {
        Envelope::NginxEscaped { prefix }
    } else {
        Envelope::LogLine { prefix }
    };
    Opened {
        envelope,
        text: text.clone(),
        map,
    }
}

/// The payload in the log line `ls..le` of the view; `limit` is where the entry ends, for a
/// payload whose brackets never close.
fn in_log_line(v: &str, ls: usize, le: usize, limit: usize) -> Option<Found> {
    let b = v.as_bytes();
    if logfmt_key(&b[ls..le])
        && let Some(found) = logfmt(v, ls, le)
    {
        return Some(found);
    }
    let c = scan(b, ls, le)?;
    let e = end_of(v, &c, le, limit);
    Some(region(v, c.start, e))
}

#[cfg(test)]
mod tests {
    use crate::payload::paste::envelope::tests::{opened, prefix, src_of};

    #[test]
    fn multi_line_logs() {
        // The first line holds the payload; the next entry is not part of it.
        let paste = "[2024-05-12 10:21:33] local.INFO: notify {\"orderId\":\"1\"} []\n[2024-05-12 10:21:34] local.INFO: answered {\"errno\":0}";
        let (_, o) = opened(paste);
        assert_eq!(o.text, r#"{"orderId":"1"}"#);
        // A line without a payload before it.
        let paste =
            "2024-05-12 10:21:33 INFO start\n2024-05-12 10:21:33 INFO body: {\"orderId\":\"1\"}";
        let (_, o) = opened(paste);
        assert_eq!(o.text, r#"{"orderId":"1"}"#);
        // JSON over several lines, starting on the prefix line or the line after it.
        let paste = "2024-05-12 10:21:33.123 INFO [main] c.x.Pay - notify body: {\n  \"orderId\": \"1\",\n  \"status\": \"2\"\n}\n2024-05-12 10:21:34.000 INFO [main] c.x.Pay - done";
        let (source, o) = opened(paste);
        assert_eq!(o.text, "{\n  \"orderId\": \"1\",\n  \"status\": \"2\"\n}");
        assert_eq!(src_of(&source, &o, "status"), "status");
        let paste = "2024-05-12 10:21:33.123 INFO [main] c.x.Pay - notify body:\r\n{\r\n  \"orderId\": \"1\"\r\n}\r\n";
        let (source, o) = opened(paste);
        assert_eq!(o.text, "{\r\n  \"orderId\": \"1\"\r\n}");
        assert_eq!(
            prefix(&source, &o),
            "2024-05-12 10:21:33.123 INFO [main] c.x.Pay - notify body:"
        );
        // A logged request: headers, a blank line, the body.
        let paste = "2024-05-12 10:21:33 DEBUG POST /notify HTTP/1.1\nHost: x\nCookie: a=1&b=2\n\norderId=1&status=2\n\tat com.x.Pay(Pay.java:1)";
        let (_, o) = opened(paste);
        assert_eq!(o.text, "orderId=1&status=2");
        // print_r over several lines, after a Monolog prefix.
        let paste = "[2024-05-12 10:21:33] local.INFO: Array\n(\n    [appKey] => MMM\n    [bizInfo] => Array\n        (\n            [a] => 1\n        )\n\n)\n [] []";
        let (_, o) = opened(paste);
        assert!(
            o.text.starts_with("Array\n(") && o.text.ends_with("        )\n\n)"),
            "{:?}",
            o.text
        );
        let (_, o) = opened(
            "[2024-05-12 10:21:33] local.INFO: array(1) {\n  [\"appKey\"]=>\n  string(3) \"MMM\"\n}\n",
        );
        assert!(o.text.starts_with("array(1) {") && o.text.ends_with('}'));
    }
}
