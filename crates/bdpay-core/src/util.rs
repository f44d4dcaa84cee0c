//! Small helpers shared by rules and commands.

/// Levenshtein distance over chars.
#[must_use]
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Matches a path against a glob: `*` (within a segment), `**` (any segments), `?`.
#[must_use]
pub fn glob_match(pattern: &str, path: &str) -> bool {
    fn go(p: &[u8], s: &[u8]) -> bool {
        match p.first() {
            None => s.is_empty(),
            Some(b'*') if p.get(1) == Some(&b'*') => {
                let rest = p[2..].strip_prefix(b"/").unwrap_or(&p[2..]);
                if rest.is_empty() {
                    return true;
                }
                (0..=s.len()).any(|i| (i == 0 || s[i - 1] == b'/') && go(rest, &s[i..]))
                    || go(&p[2..], s)
            }
            Some(b'*') => (0..=s.len())
                .take_while(|&i| i == 0 || s[i - 1] != b'/')
                .any(|i| go(&p[1..], &s[i..])),
            Some(b'?') => !s.is_empty() && s[0] != b'/' && go(&p[1..], &s[1..]),
            Some(&c) => s.first() == Some(&c) && go(&p[1..], &s[1..]),
        }
    }
    let path = path.strip_prefix("./").unwrap_or(path);
    let pattern = pattern.strip_prefix("./").unwrap_or(pattern);
    go(pattern.as_bytes(), path.as_bytes())
}

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
    fn distances() {
        assert_eq!(edit_distance("dealID", "dealId"), 1);
        assert_eq!(edit_distance("deadId", "dealId"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

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

    #[test]
    fn globs() {
        assert!(glob_match("fixtures/**", "fixtures/a/b.json"));
        assert!(glob_match("**/*.json", "a/b/c.json"));
        assert!(glob_match("*.json", "c.json"));
        assert!(!glob_match("*.json", "a/c.json"));
        assert!(glob_match("a/?.txt", "./a/b.txt"));
    }
}
