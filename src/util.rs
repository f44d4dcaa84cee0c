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
    fn globs() {
        assert!(glob_match("fixtures/**", "fixtures/a/b.json"));
        assert!(glob_match("**/*.json", "a/b/c.json"));
        assert!(glob_match("*.json", "c.json"));
        assert!(!glob_match("*.json", "a/c.json"));
        assert!(glob_match("a/?.txt", "./a/b.txt"));
    }
}
