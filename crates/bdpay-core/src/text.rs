//! Shortening what messages quote from the input, so that a pasted 1 MB value stays one line of
//! output.

/// A quoted value longer than this (bytes) is shortened in messages.
const QUOTE_SHOWN: usize = 60;
/// Messages are cut at this length (bytes) whatever they hold.
const MESSAGE_MAX: usize = 2000;

/// Shortens what a message quotes from the input: every `"…"` (as `{:?}` writes it) longer than
/// 60 bytes keeps its first 60 and says how long it was; then the whole message is cut at 2000
/// bytes. `None` when nothing had to change. A pasted 1 MB value stays a line in the output.
#[must_use]
pub fn shorten(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while let Some(q) = memchr::memchr(b'"', &b[i..]).map(|q| i + q) {
        // The closing quote: the next one not escaped by a backslash.
        let mut j = q + 1;
        let close = loop {
            match b.get(j) {
                None => break None,
                Some(b'\\') => j += 2,
                Some(b'"') => break Some(j),
                Some(_) => j += 1,
            }
        };
        let Some(close) = close else { break };
        let inner = &text[q + 1..close];
        if inner.len() > QUOTE_SHOWN {
            let keep = crate::source::floor_char_boundary(inner, QUOTE_SHOWN);
            // Do not cut an escape such as `\u{4e2d}` or `\"` in two.
            let keep = inner[..keep]
                .rfind('\\')
                .filter(|&k| keep - k < 10)
                .unwrap_or(keep);
            out.push_str(&text[copied..=q]);
            out.push_str(&inner[..keep]);
            out.push_str(&format!("…\" ({} bytes)", inner.len()));
            copied = close + 1;
        }
        i = close + 1;
    }
    if copied == 0 && text.len() <= MESSAGE_MAX {
        return None;
    }
    out.push_str(&text[copied..]);
    if out.len() > MESSAGE_MAX {
        let cut = crate::source::floor_char_boundary(&out, MESSAGE_MAX);
        let total = out.len();
        out.truncate(cut);
        out.push_str(&format!(
            "… (message cut at {MESSAGE_MAX} of {total} bytes)"
        ));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quotes_are_shortened() {
        assert_eq!(shorten("appKey \"abc\" is wrong"), None);
        let long = "x".repeat(500);
        let m = format!("the answer is plain text {long:?}, not JSON");
        let s = shorten(&m).unwrap();
        assert!(s.len() < 120, "{s}");
        assert!(
            s.starts_with("the answer is plain text \"xxx")
                && s.ends_with("…\" (500 bytes), not JSON")
        );
        // Escaped quotes inside a value do not end it.
        let tricky = format!("{:?} then {:?}", format!("a\"b{long}"), "short");
        let s = shorten(&tricky).unwrap();
        assert!(s.ends_with(" then \"short\""), "{s}");
        // Chinese is cut on a character boundary; an unclosed quote is left alone.
        let zh = format!("{:?}", "中".repeat(100));
        assert!(shorten(&zh).unwrap().len() < 100);
        assert_eq!(shorten("say \"hi"), None);
        // Whatever it holds, a message ends at 2000 bytes.
        let huge = "word ".repeat(1000);
        let s = shorten(&huge).unwrap();
        assert!(s.len() < MESSAGE_MAX + 60 && s.ends_with("of 5000 bytes)"));
    }
}
