//! Whether a line starts like a log line: a timestamp, a level, a client address, logfmt's
//! first pair, after bracketed labels.

use super::logfmt::logfmt_key;
use super::payload::is_word_byte;
use crate::payload::paste::envelope::skip_spaces;

/// Whether a line starts like a log line: a timestamp, a level, a client address (nginx),
/// logfmt's `time=`/`level=`, after up to three bracketed labels (`[main]`, `[req-8f3a]`).
pub(super) fn log_start(line: &[u8]) -> bool {
    let mut rest = line;
    for _ in 0..4 {
        if timestamp(rest) || level(rest, false) || ipv4(rest) || logfmt_key(rest) {
            return true;
        }
        if rest.first() != Some(&b'[') {
            return false;
        }
        let Some(close) = rest.iter().take(80).position(|&c| c == b']') else {
            return false;
        };
        let inner = rest[1..close].trim_ascii();
        if timestamp(inner) || level(inner, true) {
            return true;
        }
        rest = rest[close + 1..].trim_ascii_start();
    }
    false
}

fn digits(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
}

/// `10:21:33` at `i`.
fn clock(b: &[u8], i: usize) -> bool {
    let h = digits(b, i);
    (1..=2).contains(&h)
        && b.get(i + h) == Some(&b':')
        && digits(b, i + h + 1) == 2
        && b.get(i + h + 3) == Some(&b':')
        && digits(b, i + h + 4) >= 2
}

fn month(b: &[u8], i: usize) -> bool {
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    b.get(i..i + 3).is_some_and(|m| MONTHS.contains(&m))
}

/// `2024-05-12`, `2024/05/12 …`, `20240512 10:21:33`, `10:21:33.123`, `12-May-2024`,
/// `02/Mar/2024:…`, `05-12 10:21:33` (logcat), `May 12 10:21:33` (syslog), `I0512 10:21:33` (glog).
fn timestamp(b: &[u8]) -> bool {
    let n = digits(b, 0);
    if n == 4
        && let Some(&sep @ (b'-' | b'/' | b'.')) = b.get(4)
    {
        let m = digits(b, 5);
        return (1..=2).contains(&m)
            && b.get(5 + m) == Some(&sep)
            && (1..=2).contains(&digits(b, 6 + m));
    }
    if n == 8 && matches!(b.get(8), Some(b' ' | b'T')) && clock(b, 9) {
        return true;
    }
    if (1..=2).contains(&n) {
        if clock(b, 0) {
            return true;
        }
        let sep = |c: Option<&u8>| matches!(c, Some(b'-' | b'/' | b' '));
        if sep(b.get(n)) && month(b, n + 1) && sep(b.get(n + 4)) && digits(b, n + 5) == 4 {
            return true;
        }
        if matches!(b.get(n), Some(b'-' | b'/')) && digits(b, n + 1) == 2 {
            let k = skip_spaces(b, n + 3);
            return k > n + 3 && clock(b, k);
        }
    }
    if month(b, 0) && b.get(3) == Some(&b' ') {
        let k = skip_spaces(b, 4);
        let d = digits(b, k);
        return (1..=2).contains(&d) && b.get(k + d) == Some(&b' ') && clock(b, k + d + 1);
    }
    matches!(b.first(), Some(b'I' | b'W' | b'E' | b'F'))
        && digits(b, 1) == 4
        && b.get(5) == Some(&b' ')
        && clock(b, 6)
}

/// A level word (`INFO`, `WARN` …; any case inside brackets) ending at a non-word byte.
fn level(b: &[u8], any_case: bool) -> bool {
    const LEVELS: [&str; 14] = [
        "TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "ERR", "CRIT", "CRITICAL",
        "FATAL", "ALERT", "EMERG", "SEVERE",
    ];
    let n = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let word = &b[..n];
    n > 0
        && LEVELS.iter().any(|l| {
            if any_case {
                l.as_bytes().eq_ignore_ascii_case(word)
            } else {
                l.as_bytes() == word
            }
        })
        && b.get(n).is_none_or(|&c| !is_word_byte(c))
}

/// `1.2.3.4 ` (nginx's `$remote_addr`).
fn ipv4(b: &[u8]) -> bool {
    let mut i = 0;
    for part in 0..4 {
        let n = digits(b, i);
        if !(1..=3).contains(&n) {
            return false;
        }
        i += n;
        let want = if part == 3 { b' ' } else { b'.' };
        if b.get(i) != Some(&want) {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::log_start;

    #[test]
    fn log_prefixes_are_recognised() {
        for line in [
            "2024-05-12T10:21:33.123Z INFO x",
            "10:21:33.123 [main] INFO x",
            "[main] INFO x",
            "[INFO ] 2024-05-12 x",
            "12-May-2024 10:21:33.123 INFO x",
            "May 12 10:21:33 host app[1]: x",
            "05-12 10:21:33.123  1234  5678 I Pay: x",
            "I0512 10:21:33.123456 1 pay.go:1] x",
            "20240512 10:21:33 x",
            "[req-8f3a] [2024-05-12 10:21:33] x",
            "1.2.3.4 - - [02/Mar/2024:10:11:12 +0800] x",
            "WARNING:root:x",
            "time=2024 level=info msg=x",
        ] {
            assert!(log_start(line.as_bytes()), "{line}");
        }
        for line in [
            "Info about it",
            "time=1&level=2",
            "[nio] x",
            "2024 was a year",
            "ERRORS x",
        ] {
            assert!(!log_start(line.as_bytes()), "{line}");
        }
    }
}
