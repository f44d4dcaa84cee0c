//! The words of a command line after the shell's quoting: a POSIX shell's (quotes, `$'…'`,
//! backslash continuations) or cmd.exe's (`^` escapes, then the C runtime's `"` rules).

use memchr::memchr;

use crate::msg;
use crate::payload::json::ParseError;
use crate::payload::paste::envelope::{Out, c_escape, error, skip_spaces};
use crate::source::Span;

/// One word of the command after quoting, each byte with the offset it came from.
pub(super) struct Word {
    pub(super) out: Out,
    /// The offset after the word's last byte (before a closing quote).
    pub(super) last: usize,
    /// The word in the paste, quotes included.
    pub(super) span: Span,
}

impl Word {
    /// The word from byte `j` on: the value in `-d'a=1'`.
    pub(super) fn tail(&self, j: usize) -> Self {
        let mut out = Out::default();
        out.append(&self.out, j..self.out.bytes.len());
        let start = out.from.first().copied().unwrap_or(self.last);
        Self {
            out,
            last: self.last,
            span: Span::new(start, self.span.end),
        }
    }
}

fn unterminated(at: usize, quote: char) -> ParseError {
    error(
        Span::new(at, at + 1),
        msg!(
            "the closing `{quote}` of the quote that starts here",
            "此处开始的引号的结束 `{quote}`"
        ),
        msg!("the end of the text", "文本结尾"),
    )
}

/// The words of a POSIX shell command from `i` to the end of the command: a line break (unless
/// the next line goes on with an option, as when the `\` was lost), `|`, `;`, `<`, `>`, `&&`.
pub(super) fn posix_words(t: &str, mut i: usize) -> Result<Vec<Word>, ParseError> {
    let b = t.as_bytes();
    let mut words = Vec::new();
    loop {
        i = skip_blanks(b, i);
        let Some(&c) = b.get(i) else { break };
        match c {
            b'\n' | b'\r' => {
                let next = skip_spaces(b, i + newline_len(b, i).max(1));
                if b.get(next) != Some(&b'-') {
                    break;
                }
                i = next;
            }
            b'#' => i = memchr(b'\n', &b[i..]).map_or(b.len(), |k| i + k),
            b'|' | b';' | b'<' | b'>' => break,
            b'&' if ends_command(b, i) => break,
            _ => {
                let w = posix_word(b, i)?;
                i = w.span.end;
                words.push(w);
            }
        }
    }
    Ok(words)
}

fn posix_word(b: &[u8], start: usize) -> Result<Word, ParseError> {
    let mut out = Out::default();
    let mut last = start;
    let mut i = start;
    while let Some(&c) = b.get(i) {
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | b'|' | b';' | b'<' | b'>' => break,
            b'&' if ends_command(b, i) => break,
            b'\\' => {
                let nl = newline_len(b, i + 1);
                if nl > 0 {
                    i += 1 + nl;
                } else if i + 1 < b.len() {
                    let n = utf8_len(b[i + 1]).min(b.len() - i - 1);
                    out.expand(&b[i + 1..i + 1 + n], i);
                    i += 1 + n;
                    last = i;
                } else {
                    out.push(b'\\', i);
                    i += 1;
                    last = i;
                }
            }
            b'\'' => {
                let close = memchr(b'\'', &b[i + 1..]).ok_or_else(|| unterminated(i, '\''))?;
                out.copy(&b[i + 1..i + 1 + close], i + 1);
                last = i + 1 + close;
                i = last + 1;
            }
            b'"' => i = double_quoted(b, i, &mut out, &mut last)?,
            b'$' if b.get(i + 1) == Some(&b'"') => {
                i = double_quoted(b, i + 1, &mut out, &mut last)?;
            }
            b'$' if b.get(i + 1) == Some(&b'\'') => {
                i = ansi_c(b, i + 1, &mut out, &mut last)?;
            }
            _ => {
                out.push(c, i);
                i += 1;
                last = i;
            }
        }
    }
    Ok(Word {
        out,
        last,
        span: Span::new(start, i),
    })
}

/// `"…"` from the quote at `q`: `\"` `\\` `\$` `` \` `` are escapes, a backslash-newline is
/// dropped, any other backslash stays. Returns the offset after the closing quote.
fn double_quoted(b: &[u8], q: usize, out: &mut Out, last: &mut usize) -> Result<usize, ParseError> {
    let mut i = q + 1;
    loop {
        let Some(&c) = b.get(i) else {
            return Err(unterminated(q, '"'));
        };
        match c {
            b'"' => {
                *last = i;
                return Ok(i + 1);
            }
            b'\\' => match b.get(i + 1) {
                Some(&e @ (b'"' | b'\\' | b'$' | b'`')) => {
                    out.push(e, i);
                    i += 2;
                }
                _ if newline_len(b, i + 1) > 0 => i += 1 + newline_len(b, i + 1),
                _ => {
                    out.push(b'\\', i);
                    i += 1;
                }
            },
            _ => {
                out.push(c, i);
                i += 1;
            }
        }
    }
}

/// Bash's ANSI-C quoting `$'…'` from the quote at `q`. Returns the offset after the closing quote.
fn ansi_c(b: &[u8], q: usize, out: &mut Out, last: &mut usize) -> Result<usize, ParseError> {
    let mut i = q + 1;
    loop {
        let Some(&c) = b.get(i) else {
            return Err(unterminated(q, '\''));
        };
        match c {
            b'\'' => {
                *last = i;
                return Ok(i + 1);
            }
            b'\\' => {
                if let Some(e) = c_escape(&b[i + 1..]) {
                    out.expand(&e.bytes[..e.len], i);
                    i += 1 + e.took;
                } else {
                    out.push(b'\\', i);
                    i += 1;
                }
            }
            _ => {
                out.push(c, i);
                i += 1;
            }
        }
    }
}

/// The words of a cmd.exe command from `i`. Two parsers read such a line: cmd.exe takes `^` as
/// an escape (and a line continuation) and ends the command at a line break or `&` `|` `<` `>`
/// outside quotes; then curl's C runtime splits the arguments (`"` quotes, `\"` a quote, `""` a
/// quote inside quotes). Quotes are not checked: the C runtime accepts an open one.
pub(super) fn cmd_words(t: &str, mut i: usize) -> Vec<Word> {
    let b = t.as_bytes();
    let mut s: Vec<(u8, usize)> = Vec::with_capacity(b.len() - i);
    let mut quoted = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'^' if !quoted => {
                let nl = newline_len(b, i + 1);
                if nl > 0 {
                    i += 1 + nl;
                    // Chrome writes a line break inside the data as `^`, two line breaks.
                    let nl2 = newline_len(b, i);
                    if nl2 > 0 {
                        s.push((b'\n', i));
                        i += nl2;
                    }
                } else if let Some(&n) = b.get(i + 1) {
                    // The character maps to its caret, where its escape starts.
                    s.push((n, i));
                    i += 2;
                } else {
                    i += 1;
                }
            }
            b'\r' | b'\n' => {
                let nl = newline_len(b, i);
                if nl == 0 {
                    s.push((b' ', i));
                    i += 1;
                    continue;
                }
                let next = skip_spaces(b, i + nl);
                if b.get(next) != Some(&b'-') {
                    break;
                }
                s.push((b' ', i));
                i = next;
            }
            b'"' => {
                quoted = !quoted;
                s.push((c, i));
                i += 1;
            }
            b'|' | b'<' | b'>' if !quoted => break,
            b'&' if !quoted && ends_command(b, i) => break,
            _ => {
                s.push((c, i));
                i += 1;
            }
        }
    }
    let mut words = Vec::new();
    let mut k = 0;
    while k < s.len() {
        if matches!(s[k].0, b' ' | b'\t') {
            k += 1;
            continue;
        }
        let start = s[k].1;
        let mut out = Out::default();
        let mut last = start;
        let mut in_quotes = false;
        while k < s.len() {
            let (c, at) = s[k];
            if !in_quotes && matches!(c, b' ' | b'\t') {
                break;
            }
            if c == b'\\' {
                let n = s[k..].iter().take_while(|x| x.0 == b'\\').count();
                if s.get(k + n).is_some_and(|x| x.0 == b'"') {
                    for j in 0..n / 2 {
                        out.push(b'\\', s[k + 2 * j].1);
                    }
                    if n % 2 == 1 {
                        out.push(b'"', s[k + n - 1].1);
                        last = s[k + n].1 + 1;
                        k += n + 1;
                    } else {
                        k += n;
                    }
                } else {
                    for x in &s[k..k + n] {
                        out.push(b'\\', x.1);
                    }
                    last = s[k + n - 1].1 + 1;
                    k += n;
                }
            } else if c == b'"' {
                if in_quotes && s.get(k + 1).is_some_and(|x| x.0 == b'"') {
                    out.push(b'"', at);
                    last = s[k + 1].1 + 1;
                    k += 2;
                } else {
                    in_quotes = !in_quotes;
                    last = at;
                    k += 1;
                }
            } else {
                out.push(c, at);
                last = at + 1;
                k += 1;
            }
        }
        let end = s[k - 1].1 + 1;
        words.push(Word {
            out,
            last,
            span: Span::new(start, end),
        });
    }
    words
}

/// Whether the `&` at `i` ends the command (`&&`, or a lone `&`); inside a word, as in an unquoted
/// URL `?a=1&b=2`, it is taken as written.
fn ends_command(b: &[u8], i: usize) -> bool {
    matches!(
        b.get(i + 1),
        None | Some(b'&' | b' ' | b'\t' | b'\r' | b'\n')
    )
}

/// Spaces, tabs and backslash-newline continuations from `i`.
pub(super) fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    loop {
        match b.get(i) {
            Some(b' ' | b'\t') => i += 1,
            Some(b'\r') if newline_len(b, i) == 0 => i += 1,
            Some(b'\\') if newline_len(b, i + 1) > 0 => i += 1 + newline_len(b, i + 1),
            _ => return i,
        }
    }
}

/// The length of a line break at `i`: 1 for `\n`, 2 for `\r\n`, else 0.
fn newline_len(b: &[u8], i: usize) -> usize {
    match (b.get(i), b.get(i + 1)) {
        (Some(b'\n'), _) => 1,
        (Some(b'\r'), Some(b'\n')) => 2,
        _ => 0,
    }
}

/// The length of the UTF-8 sequence a byte starts (1 for a byte that starts none).
const fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use crate::payload::paste::envelope::tests::{curl_url, open_src, opened, src_of};

    #[test]
    fn curl_continuations_and_quotes() {
        let paste = "curl -sS -X POST \\\n  'https://shop.example/notify' \\\r\n  -H \"Content-Type: application/json\" \\\n  --data-raw '{\n  \"tpOrderId\": \"A1\"\n}'";
        let (source, o) = opened(paste);
        assert_eq!(o.text, "{\n  \"tpOrderId\": \"A1\"\n}");
        assert_eq!(curl_url(&o), Some("https://shop.example/notify"));
        assert_eq!(src_of(&source, &o, "tpOrderId"), "tpOrderId");

        let paste = r#"curl http://x/notify -d "{\"dealId\":\"470\",\"note\":\"\$5 \\ ok \n\"}""#;
        let (source, o) = opened(paste);
        assert_eq!(o.text, r#"{"dealId":"470","note":"$5 \ ok \n"}"#);
        assert_eq!(src_of(&source, &o, "\"470\""), r#"\"470\""#);
        assert_eq!(src_of(&source, &o, "dealId"), "dealId");
    }

    #[test]
    fn curl_ansi_c_quotes() {
        let paste =
            r"curl localhost:8080/notify --data $'orderId=1&dealTitle=it\'s\x20ok\u4e2d&x=\101'";
        let (source, o) = opened(paste);
        assert_eq!(o.text, "orderId=1&dealTitle=it's ok中&x=A");
        assert_eq!(src_of(&source, &o, "it's"), r"it\'s");
        assert_eq!(src_of(&source, &o, "中"), r"\u4e2d");
        let (_, o) = open_src(r"curl x.example -d $'a=\xff'");
        assert_eq!(o.unwrap().unwrap().text, "a=\u{FFFD}");
    }

    #[test]
    fn curl_command_ends_at_its_line() {
        let (_, o) = opened("$ curl -s http://x.example/n -d 'a=1&b=2' | jq .\n{\"errno\":0}");
        assert_eq!(o.text, "a=1&b=2");
        let (_, o) =
            opened("curl http://x.example/n -d 'a=1&b=2'\n{\"errno\":0,\"msg\":\"success\"}");
        assert_eq!(o.text, "a=1&b=2");
        // A lost `\`: the next line goes on with an option.
        let (_, o) =
            opened("curl http://x.example/n\n  -d 'a=1' # the body\n  -d b=2 && echo done");
        assert_eq!(o.text, "a=1&b=2");
    }

    #[test]
    fn curl_windows_cmd() {
        // Chrome's "Copy as cURL (cmd)".
        let paste = "curl \"https://x.example/notify\" ^\r\n  -H \"content-type: application/json\" ^\r\n  --data-raw ^\"^{^\\^\"orderId^\\^\":^\\^\"1^\\^\"^}^\" ^\r\n  --compressed";
        let (source, o) = opened(paste);
        assert_eq!(o.text, r#"{"orderId":"1"}"#);
        assert_eq!(curl_url(&o), Some("https://x.example/notify"));
        assert_eq!(src_of(&source, &o, "orderId"), "orderId");
        // Hand-written for cmd: `\"` inside "…".
        let (_, o) = opened("curl.exe -d \"{\\\"a\\\":\\\"x y\\\"}\" ^\n http://x.example");
        assert_eq!(o.text, r#"{"a":"x y"}"#);
    }
}
