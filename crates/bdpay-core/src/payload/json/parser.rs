//! The reader itself: a byte-position parser over the text that builds the span-keeping tree,
//! notes the first thing that is not JSON, and says where reading stopped when it must.

use super::{MAX_DEPTH, Member, Node, NotJson, NotJsonKind, ParseError, Parsed, Value};
use crate::message::Msg;
use crate::msg;
use crate::source::Span;

fn end_of_text() -> Msg {
    msg!("the end of the text", "文本结尾")
}

/// Parses one JSON value or JavaScript object literal filling the whole text (surrounding
/// white space and a trailing `;` allowed).
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        pos: 0,
        not_json: None,
    };
    p.skip_ws()?;
    let root = p.value(0)?;
    p.skip_ws()?;
    if p.peek() == Some(b';') {
        p.mark(Span::new(p.pos, p.pos + 1), NotJsonKind::TrailingSemicolon);
        p.pos += 1;
        p.skip_ws()?;
    }
    if p.pos < p.s.len() {
        return Err(p.error(end_of_text()));
    }
    Ok(Parsed {
        root,
        not_json: p.not_json,
    })
}

/// Decodes a string literal (quotes included) and maps each byte of the decoded text to the
/// offset of the source byte it came from, plus one entry for the end.
#[must_use]
pub fn decode_with_map(raw: &str) -> Option<(String, Vec<usize>)> {
    let mut p = Parser {
        s: raw.as_bytes(),
        text: raw,
        pos: 0,
        not_json: None,
    };
    let mut map = Vec::with_capacity(raw.len());
    let s = p.string(Some(&mut map)).ok()?;
    map.push(p.pos - 1);
    Some((s, map))
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    not_json: Option<NotJson>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn mark(&mut self, span: Span, what: NotJsonKind) {
        if self.not_json.is_none() {
            self.not_json = Some(NotJson { span, what });
        }
    }

    fn found_here(&self) -> (Span, Msg) {
        let rest = &self.text[self.pos..];
        match rest.chars().next() {
            None => (Span::new(self.pos, self.pos), end_of_text()),
            Some(c) => {
                let word: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                    .take(24)
                    .collect();
                if word.chars().count() > 1 {
                    (
                        Span::new(self.pos, self.pos + word.len()),
                        Msg::same(format!("`{word}`")),
                    )
                } else {
                    (
                        Span::new(self.pos, self.pos + c.len_utf8()),
                        Msg::same(format!("{c:?}")),
                    )
                }
            }
        }
    }

    fn error(&self, expected: Msg) -> ParseError {
        let (span, found) = self.found_here();
        ParseError {
            span,
            expected,
            found,
        }
    }

    fn skip_ws(&mut self) -> Result<(), ParseError> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(0xEF) if self.s[self.pos..].starts_with(&[0xEF, 0xBB, 0xBF]) => {
                    self.mark(
                        Span::new(self.pos, self.pos + 3),
                        NotJsonKind::ByteOrderMark,
                    );
                    self.pos += 3;
                }
                Some(b'/') if self.s.get(self.pos + 1) == Some(&b'/') => {
                    let start = self.pos;
                    while !matches!(self.peek(), None | Some(b'\n')) {
                        self.pos += 1;
                    }
                    self.mark(Span::new(start, self.pos), NotJsonKind::Comment);
                }
                Some(b'/') if self.s.get(self.pos + 1) == Some(&b'*') => {
                    let start = self.pos;
                    let Some(end) = self.text[self.pos + 2..].find("*/") else {
                        self.pos = self.s.len();
                        return Err(ParseError {
                            span: Span::new(start, start + 2),
                            expected: msg!("`*/` closing this comment", "结束此注释的 `*/`"),
                            found: end_of_text(),
                        });
                    };
                    self.pos += 2 + end + 2;
                    self.mark(Span::new(start, self.pos), NotJsonKind::Comment);
                }
                _ => return Ok(()),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, ParseError> {
        if depth > MAX_DEPTH {
            return Err(ParseError {
                span: Span::new(self.pos, self.pos + 1),
                expected: msg!(
                    "at most {MAX_DEPTH} levels of nesting",
                    "最多 {MAX_DEPTH} 层嵌套"
                ),
                found: msg!("deeper nesting", "更深的嵌套"),
            });
        }
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"' | b'\'' | b'`') => Value::Str(self.string(None)?.into()),
            Some(b'-' | b'+' | b'.' | b'0'..=b'9') => self.number()?,
            Some(c) if c.is_ascii_alphabetic() || c == b'_' || c == b'$' => {
                let word = self.ident();
                let span = Span::new(start, self.pos);
                match word {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    "undefined" => {
                        self.mark(span, NotJsonKind::Undefined);
                        Value::Null
                    }
                    "NaN" | "Infinity" => {
                        self.mark(span, NotJsonKind::JsNumber);
                        Value::Num(word.into())
                    }
                    _ => {
                        self.pos = start;
                        return Err(ParseError {
                            span,
                            expected: msg!(
                                "a value (paste the values, not the code that computes them)",
                                "一个值（请粘贴值本身，而不是计算它的代码）"
                            ),
                            found: msg!("the name `{word}`", "名称 `{word}`"),
                        });
                    }
                }
            }
            _ => return Err(self.error(msg!("a value", "一个值"))),
        };
        Ok(Node {
            span: Span::new(start, self.pos),
            value,
        })
    }

    fn ident(&mut self) -> &'a str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80 {
                self.pos += 1;
            } else {
                break;
            }
        }
        let text = self.text;
        let end = crate::source::floor_char_boundary(text, self.pos);
        self.pos = end;
        &text[start..end]
    }

    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.pos += 1;
        let mut members = Vec::new();
        loop {
            self.skip_ws()?;
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                Some(b'"' | b'\'' | b'`') => {
                    let start = self.pos;
                    let key = self.string(None)?;
                    members.push(self.member_rest(key, Span::new(start, self.pos), depth)?);
                }
                Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80 => {
                    let start = self.pos;
                    let key = self.ident().to_owned();
                    let span = Span::new(start, self.pos);
                    self.mark(span, NotJsonKind::UnquotedKey);
                    members.push(self.member_rest(key, span, depth)?);
                }
                _ => return Err(self.error(msg!("a quoted key or `}}`", "带引号的键或 `}}`"))),
            }
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_ws()?;
                    if self.peek() == Some(b'}') {
                        self.mark(Span::new(comma, comma + 1), NotJsonKind::TrailingComma);
                    }
                }
                Some(b'}') => {}
                _ => return Err(self.error(msg!("`,` or `}}`", "`,` 或 `}}`"))),
            }
        }
    }

    fn member_rest(
        &mut self,
        key: String,
        key_span: Span,
        depth: usize,
    ) -> Result<Member, ParseError> {
        self.skip_ws()?;
        if self.peek() != Some(b':') {
            return Err(self.error(msg!("`:` after the key {key:?}", "键 {key:?} 后面的 `:`")));
        }
        self.pos += 1;
        self.skip_ws()?;
        let value = self.value(depth + 1)?;
        Ok(Member {
            key: key.into(),
            key_span,
            value,
        })
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_ws()?;
            if self.peek() == Some(b']') {
                self.pos += 1;
                return Ok(Value::Array(items));
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_ws()?;
                    if self.peek() == Some(b']') {
                        self.mark(Span::new(comma, comma + 1), NotJsonKind::TrailingComma);
                    }
                }
                Some(b']') => {}
                _ => return Err(self.error(msg!("`,` or `]`", "`,` 或 `]`"))),
            }
        }
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.') {
                self.pos += 1;
            } else {
                break;
            }
        }
        let raw = &self.text[start..self.pos];
        let span = Span::new(start, self.pos);
        if !is_json_number(raw) {
            if raw.parse::<f64>().is_ok()
                || raw.starts_with("0x")
                || raw.starts_with('.')
                || raw.starts_with('+')
            {
                self.mark(span, NotJsonKind::NonJsonNumber);
            } else {
                self.pos = start;
                return Err(ParseError {
                    span,
                    expected: msg!("a number", "一个数字"),
                    found: Msg::same(format!("`{raw}`")),
                });
            }
        }
        Ok(Value::Num(raw.into()))
    }

    /// Reads a quoted string at `pos`. With `map`, records for each decoded byte the source
    /// offset it came from.
    fn string(&mut self, mut map: Option<&mut Vec<usize>>) -> Result<String, ParseError> {
        let open = self.pos;
        let quote = self.s[open];
        if quote != b'"' {
            self.mark(
                Span::new(open, open + 1),
                if quote == b'`' {
                    NotJsonKind::TemplateString
                } else {
                    NotJsonKind::SingleQuoted
                },
            );
        }
        self.pos += 1;
        // Without escapes or control characters the string is its text: one copy, no
        // character loop (offsets map one to one, so a map is not needed either).
        if map.is_none()
            && let Some(n) = self.s[self.pos..]
                .iter()
                .position(|&b| b == quote || b == b'\\' || b < 0x20)
            && self.s[self.pos + n] == quote
        {
            let out = self.text[self.pos..self.pos + n].to_owned();
            self.pos += n + 1;
            return Ok(out);
        }
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(ParseError {
                    span: Span::new(open, open + 1),
                    expected: msg!(
                        "the closing quote of the string that starts here",
                        "此处开始的字符串的结束引号"
                    ),
                    found: end_of_text(),
                });
            };
            let at = self.pos;
            if c == quote {
                self.pos += 1;
                return Ok(out);
            }
            if c == b'\\' {
                let ch = self.escape(quote)?;
                push_mapped(&mut out, ch, at, map.as_deref_mut());
                continue;
            }
            if c < 0x20 {
                self.mark(Span::new(at, at + 1), NotJsonKind::ControlCharacter);
            }
            let ch = self.text[at..].chars().next().unwrap_or('\u{fffd}');
            self.pos += ch.len_utf8();
            push_mapped(&mut out, ch, at, map.as_deref_mut());
        }
    }

    fn escape(&mut self, quote: u8) -> Result<char, ParseError> {
        let at = self.pos;
        self.pos += 1;
        let Some(e) = self.peek() else {
            return Err(self.error(msg!("an escape after `\\`", "`\\` 后的转义字符")));
        };
        self.pos += 1;
        Ok(match e {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4(at)?;
                if (0xD800..0xDC00).contains(&hi) && self.s[self.pos..].starts_with(b"\\u") {
                    let save = self.pos;
                    self.pos += 2;
                    let lo = self.hex4(at)?;
                    if (0xDC00..0xE000).contains(&lo) {
                        let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        return Ok(char::from_u32(c).unwrap_or('\u{fffd}'));
                    }
                    self.pos = save;
                }
                char::from_u32(hi).unwrap_or('\u{fffd}')
            }
            _ => {
                self.mark(Span::new(at, self.pos), NotJsonKind::NonJsonEscape);
                if e == quote {
                    e as char
                } else if e == b'x' {
                    let digits = self.text.get(self.pos..self.pos + 2).unwrap_or("");
                    let v = u32::from_str_radix(digits, 16).map_err(|_| ParseError {
                        span: Span::new(at, self.pos),
                        expected: msg!("two hex digits after `\\x`", "`\\x` 后的两位十六进制数"),
                        found: Msg::same(format!("`{digits}`")),
                    })?;
                    self.pos += 2;
                    char::from_u32(v).unwrap_or('\u{fffd}')
                } else {
                    self.pos -= 1;
                    let ch = self.text[self.pos..].chars().next().unwrap_or('\u{fffd}');
                    self.pos += ch.len_utf8();
                    ch
                }
            }
        })
    }

    fn hex4(&mut self, esc_start: usize) -> Result<u32, ParseError> {
        let digits = self.text.get(self.pos..self.pos + 4).unwrap_or("");
        let v = u32::from_str_radix(digits, 16)
            .ok()
            .filter(|_| digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| ParseError {
                span: Span::new(esc_start, (self.pos + 4).min(self.s.len())),
                expected: msg!("four hex digits after `\\u`", "`\\u` 后的四位十六进制数"),
                found: Msg::same(format!("`{digits}`")),
            })?;
        self.pos += 4;
        Ok(v)
    }
}

fn push_mapped(out: &mut String, ch: char, at: usize, map: Option<&mut Vec<usize>>) {
    if let Some(map) = map {
        map.extend(std::iter::repeat_n(at, ch.len_utf8()));
    }
    out.push(ch);
}

/// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
#[must_use]
pub fn is_json_number(raw: &str) -> bool {
    let b = raw.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let s = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > s
    };
    if b.get(i) == Some(&b'0') {
        i += 1;
    } else if !digits(&mut i) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}
