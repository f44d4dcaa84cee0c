//! Language print-outs of the fields, as merchants paste them from their server's output: PHP
//! `print_r`, `var_dump` (with Xdebug's text and HTML variants) and `var_export`, Java
//! `Map.toString()` (and the Lombok, IntelliJ and record `toString()`s), Go `fmt` `%v` / `%+v`,
//! and Python `repr` of a dict (with Django's `QueryDict` and the `OrderedDict` / `MultiDict`
//! pair lists). Each becomes the JSON reader's span-keeping tree.
//!
//! Spans are absolute: the root spans the print-out, a key's span covers the key as written
//! (without its quotes or brackets), a value's span the value as written: a quoted string with its
//! quotes, a typed scalar without its type wrapper (`1` of `int(1)`, `true` of `bool(true)`), a
//! nested array from its header (`Array`, `array(1) {`, `map[`) to its closing bracket.
//!
//! PHP arrays follow `json_encode`: keys `0..n` in order (and the empty array) make an
//! [`Value::Array`], any other keys an [`Value::Object`]; PHP objects are always objects.
//!
//! Unquoted values (print_r, Java, Go) are ambiguous where a value holds what looks like the next
//! key (` [b] => `, `, b=`, ` b:`): they are cut there. Brackets a value opens are respected, so
//! JSON inside a value (`bizInfo={"tpData":{…}}`) stays whole.
//!
//! Nesting recurses through small functions only (headers, scalars and messages are read by
//! functions that return before the recursion goes on), so that [`MAX_DEPTH`] levels fit the
//! stack of a test thread in a debug build.

use memchr::{memchr, memchr2, memmem, memrchr};
use smol_str::SmolStr;

use crate::message::Msg;
use crate::msg;
use crate::payload::Form;
use crate::payload::json::{self, MAX_DEPTH, Member, Node, ParseError, Value};
use crate::source::{Span, floor_char_boundary};

type Res<T> = Result<T, ParseError>;

/// Reads a language print-out of an array, map, dict or struct.
///
/// `None` when the text is none of these print-outs (decided cheaply from its first lines);
/// `Some(Err)` when it is one but cannot be read (the span says where reading stopped).
#[must_use]
pub fn read(text: &str, base: usize) -> Option<Result<(Form, Node), ParseError>> {
    let (start, which) = detect(text)?;
    let mut c = Cur {
        t: text,
        s: text.as_bytes(),
        pos: start,
        base,
        flat: false,
        trials: 4 * text.len() + 4096,
    };
    let root = match which {
        Which::PrintR => print_r_root(&mut c),
        Which::VarDump => vd_value(&mut c, 0),
        Which::XdebugHtml => xh_value(&mut c, 0),
        Which::VarExport => ve_value(&mut c, 0),
        Which::Java => jv_obj(&mut c, 0),
        Which::Go | Which::GoStruct => go_obj(&mut c, 0),
        Which::Python => py_value(&mut c, 0),
    }
    .and_then(|n| {
        c.ws();
        // `echo print_r($params);` prints print_r's return value after the array.
        if which == Which::PrintR && c.rest() == b"1" {
            c.pos += 1;
        }
        if c.pos < c.s.len() {
            return fail(&c, || msg!("the end of the print-out", "输出的结尾"));
        }
        if n.is_object() || matches!(n.value, Value::Array(_)) {
            Ok(n)
        } else {
            Err(ParseError {
                span: n.span,
                expected: msg!("an array, map or dict", "数组、Map 或 dict"),
                found: n.type_msg(),
            })
        }
    });
    // `{Key:1}` and `{'a': 1, b: 2}` may be JavaScript: the JSON reader takes what it can read.
    let js = match which {
        Which::GoStruct => true,
        Which::Python => root.is_err() && text.starts_with('{'),
        _ => false,
    };
    if js && shallow(text) && json::parse(text).is_ok() {
        return None;
    }
    Some(root.map(|n| (which.form(), n)))
}

/// Whether brackets nest at most a few levels: no literal a person writes nests deeper, and
/// deeper text is not worth handing to the JSON reader a second time.
fn shallow(text: &str) -> bool {
    let mut depth = 0usize;
    for &b in text.as_bytes() {
        match b {
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > 32 {
                    return false;
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    PrintR,
    VarDump,
    XdebugHtml,
    VarExport,
    Java,
    Go,
    /// `{Key:…}` / `&{Key:…}`, which a JavaScript literal could also be.
    GoStruct,
    Python,
}

impl Which {
    const fn form(self) -> Form {
        match self {
            Self::PrintR => Form::PhpPrintR,
            Self::VarDump | Self::XdebugHtml => Form::PhpVarDump,
            Self::VarExport => Form::PhpVarExport,
            Self::Java => Form::JavaMap,
            Self::Go | Self::GoStruct => Form::GoMap,
            Self::Python => Form::PythonDict,
        }
    }
}

/// Which print-out the text starts with, and where (after Xdebug's `file.php:12:` line).
fn detect(t: &str) -> Option<(usize, Which)> {
    let s = t.as_bytes();
    let at = xdebug_location(t);
    if at > 0 {
        return if vd_header(s, at) {
            Some((at, Which::VarDump))
        } else if xh_header(s, at) {
            Some((at, Which::XdebugHtml))
        } else {
            None
        };
    }
    if pr_open(s, 0).is_some() {
        Some((0, Which::PrintR))
    } else if vd_header(s, 0) {
        Some((0, Which::VarDump))
    } else if xh_header(s, 0) {
        Some((0, Which::XdebugHtml))
    } else if ve_header(s) {
        Some((0, Which::VarExport))
    } else if let Some(which) = go_root(s) {
        Some((0, which))
    } else if py_root(s) {
        Some((0, Which::Python))
    } else if jv_root(s) {
        Some((0, Which::Java))
    } else {
        None
    }
}

/// Where the print-out starts after Xdebug's first line `/var/www/pay.php:12:`; 0 when there is none.
fn xdebug_location(t: &str) -> usize {
    let Some(nl) = memchr(b'\n', t.as_bytes()) else {
        return 0;
    };
    let first = t[..nl].trim_end().as_bytes();
    let Some(body) = first.strip_suffix(b":") else {
        return 0;
    };
    let digits = body.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || body.len() < digits + 2 || body[body.len() - digits - 1] != b':' {
        return 0;
    }
    let rest = &t[nl + 1..];
    nl + 1 + (rest.len() - rest.trim_start().len())
}

// ---------------------------------------------------------------------------------------------
// The cursor shared by the readers.

struct Cur<'a> {
    t: &'a str,
    s: &'a [u8],
    pos: usize,
    base: usize,
    /// Set once an unquoted value's brackets were found not to balance: later values are then
    /// cut without counting brackets, so a bad paste costs one extra pass, not one per value.
    flat: bool,
    /// Bytes that nested readings which came to nothing may still read: a value that looks like
    /// a nested map is read as one on trial, and when too much was read in vain (every value of
    /// `map[a:[ a:[ …` opens a slice that never closes), the values after are read as text.
    trials: usize,
}

impl<'a> Cur<'a> {
    const fn span(&self, a: usize, b: usize) -> Span {
        Span::new(self.base + a, self.base + b)
    }

    fn node(&self, a: usize, b: usize, value: Value) -> Node {
        Node {
            span: self.span(a, b),
            value,
        }
    }

    fn str_node(&self, a: usize, b: usize) -> Node {
        self.node(a, b, Value::Str(self.t[a..b].into()))
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn rest(&self) -> &'a [u8] {
        self.s.get(self.pos..).unwrap_or_default()
    }

    fn at(&self, lit: &str) -> bool {
        self.rest().starts_with(lit.as_bytes())
    }

    fn eat(&mut self, lit: &str) -> bool {
        let yes = self.at(lit);
        if yes {
            self.pos += lit.len();
        }
        yes
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    fn err(&self, expected: Msg) -> ParseError {
        error_at(self.t, self.pos, self.base, expected)
    }

    fn expect(&mut self, lit: &str) -> Res<()> {
        if self.eat(lit) {
            Ok(())
        } else {
            fail(self, || Msg::same(format!("`{lit}`")))
        }
    }

    /// A run of ASCII digits (with an optional `-`) at the cursor, as text.
    fn integer(&mut self) -> Option<&'a str> {
        let start = self.pos;
        self.eat("-");
        let n = self
            .rest()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if n == 0 {
            self.pos = start;
            return None;
        }
        self.pos += n;
        Some(&self.t[start..self.pos])
    }

    /// The text up to `close` on this line (not included), the cursor after `close`.
    fn until_on_line(&mut self, close: u8) -> Option<(usize, usize)> {
        let from = self.pos;
        let i = from + memchr2(close, b'\n', self.rest())?;
        if self.s[i] != close {
            return None;
        }
        self.pos = i + 1;
        Some((from, i))
    }

    /// A nested reading tried from `from` came to nothing at `to`.
    fn tried(&mut self, from: usize, to: usize) {
        self.trials = self.trials.saturating_sub(to.saturating_sub(from) + 1);
    }

    /// Whether a line break lies between `a` and `b`.
    fn newline_between(&self, a: usize, b: usize) -> bool {
        memchr(b'\n', &self.s[a..b]).is_some()
    }
}

/// Reading stopped at the cursor, where `expected` was not found. Out of line, so that the
/// message is built in its own stack frame, not in that of a reader that recurses.
#[cold]
#[inline(never)]
fn fail<T>(c: &Cur, expected: impl FnOnce() -> Msg) -> Res<T> {
    Err(c.err(expected()))
}

/// Reading ran to the end of the text looking for `expected`.
#[cold]
#[inline(never)]
fn fail_at_end<T>(c: &Cur, expected: impl FnOnce() -> Msg) -> Res<T> {
    Err(ParseError {
        span: c.span(c.s.len(), c.s.len()),
        expected: expected(),
        found: end_of_text(),
    })
}

#[cold]
#[inline(never)]
fn too_deep<T>(c: &Cur) -> Res<T> {
    Err(ParseError {
        span: c.span(c.pos, c.pos),
        expected: msg!(
            "at most {MAX_DEPTH} levels of nesting",
            "最多 {MAX_DEPTH} 层嵌套"
        ),
        found: msg!("deeper nesting", "更深的嵌套"),
    })
}

/// Whether an error is the end of the text: a nested reading that failed so cannot be saved
/// by reading the text another way.
fn at_text_end(c: &Cur, e: &ParseError) -> bool {
    e.span.start == c.base + c.s.len()
}

fn end_of_text() -> Msg {
    msg!("the end of the text", "文本结尾")
}

fn error_at(t: &str, pos: usize, base: usize, expected: Msg) -> ParseError {
    let pos = floor_char_boundary(t, pos);
    let rest = &t[pos..];
    let (len, found) = match rest.chars().next() {
        None => (0, end_of_text()),
        Some(ch) => {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .take(24)
                .collect();
            if word.chars().count() > 1 {
                (word.len(), Msg::same(format!("`{word}`")))
            } else {
                (ch.len_utf8(), Msg::same(format!("{ch:?}")))
            }
        }
    };
    ParseError {
        span: Span::new(base + pos, base + pos + len),
        expected,
        found,
    }
}

/// The index of the `\n` ending the line of `at`, or the text's end.
fn line_end(s: &[u8], at: usize) -> usize {
    let at = at.min(s.len());
    memchr(b'\n', &s[at..]).map_or(s.len(), |i| at + i)
}

/// Columns before `at` on its line.
fn indent_of(s: &[u8], at: usize) -> usize {
    at - memrchr(b'\n', &s[..at]).map_or(0, |i| i + 1)
}

fn member(key: &str, key_span: Span, value: Node) -> Member {
    Member {
        key: SmolStr::new(key),
        key_span,
        value,
    }
}

/// A PHP array as `json_encode` writes it: a list when its keys are `0..n` in order; an object
/// (`stdClass`, a class) is always an object.
fn php_node(span: Span, members: Vec<Member>, object: bool) -> Node {
    let list = !object
        && members.iter().enumerate().all(|(i, m)| {
            let k = m.key.as_bytes();
            k.iter().all(u8::is_ascii_digit)
                && (k == b"0" || k.first() != Some(&b'0'))
                && m.key.parse::<usize>() == Ok(i)
        });
    let value = if list {
        Value::Array(members.into_iter().map(|m| m.value).collect())
    } else {
        Value::Object(members)
    };
    Node { span, value }
}

/// `s[at..]` with `key` then `sep` at its start, where a key is an identifier: a letter, `_`
/// or `$`, then letters, digits, `_`, `$`, `.` or `-`. Separators between unquoted values are
/// found with it, so a value holding `, 2=free` or ` 10:11:12` is not cut there.
fn ident_then(s: &[u8], at: usize, sep: u8) -> bool {
    let Some(&first) = s.get(at) else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == b'_' || first == b'$') {
        return false;
    }
    let n = s[at..]
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.' | b'-'))
        .count();
    s.get(at + n) == Some(&sep)
}

/// Brackets and, inside them, double-quoted strings of an unquoted value, so that a separator
/// inside `{"a":1, "b":2}` does not end it.
#[derive(Default)]
struct Nest {
    depth: usize,
    in_str: bool,
}

impl Nest {
    /// Steps over the byte at `i` (which the caller found is no separator); the next index.
    fn step(&mut self, s: &[u8], i: usize) -> usize {
        let b = s[i];
        if self.in_str {
            match b {
                b'\\' => return i + 2,
                b'"' => self.in_str = false,
                _ => {}
            }
            return i + 1;
        }
        match b {
            b'[' => {
                if let Some(end) = jvm_array_ref(s, i) {
                    return end;
                }
                self.depth += 1;
            }
            b'{' | b'(' => self.depth += 1,
            b'}' | b')' | b']' => self.depth = self.depth.saturating_sub(1),
            b'"' if self.depth > 0 => self.in_str = true,
            _ => {}
        }
        i + 1
    }

    const fn top(&self) -> bool {
        self.depth == 0 && !self.in_str
    }
}

/// Where an unquoted value starting at `from` ends: the first index outside brackets where
/// `ends` says so; if the brackets never balance, the first index where it says so at all.
fn unquoted_end(c: &mut Cur, from: usize, ends: impl Fn(&[u8], usize) -> bool) -> Option<usize> {
    let s = c.s;
    if !c.flat {
        let mut nest = Nest::default();
        let mut i = from;
        while i < s.len() {
            if nest.top() && ends(s, i) {
                return Some(i);
            }
            i = nest.step(s, i);
        }
        c.flat = true;
    }
    (from..s.len()).find(|&i| ends(s, i))
}

/// The end of a JVM array's default `toString()` (`[Ljava.lang.String;@6d06d69c`, `[I@1b6d3586`)
/// starting at `i`: a request's parameter map prints its values so, with an unbalanced `[`.
fn jvm_array_ref(s: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    while s.get(j) == Some(&b'[') {
        j += 1;
    }
    match *s.get(j)? {
        b'L' => {
            let end = (j + 256).min(s.len());
            let semi = s[j..end].iter().position(|&b| b == b';')?;
            if s[j + 1..j + semi]
                .iter()
                .any(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'$')))
            {
                return None;
            }
            j += semi + 1;
        }
        b'Z' | b'B' | b'C' | b'S' | b'I' | b'J' | b'F' | b'D' => j += 1,
        _ => return None,
    }
    if s.get(j) != Some(&b'@') {
        return None;
    }
    let hex = s[j + 1..]
        .iter()
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    (hex > 0).then_some(j + 1 + hex)
}

/// Appends code point `v` (a byte, for a bytes literal) to a decoded string.
fn push_code(c: &Cur, out: &mut Vec<u8>, v: u32, bytes: bool) -> Res<()> {
    if bytes && v < 256 {
        out.push(v as u8);
        return Ok(());
    }
    let Some(ch) = char::from_u32(v) else {
        return fail(c, || {
            msg!(
                "an escape naming a Unicode character",
                "表示 Unicode 字符的转义"
            )
        });
    };
    out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
    Ok(())
}

/// `min..=max` hexadecimal digits at the cursor, as a number.
fn hex_digits(c: &mut Cur, min: usize, max: usize) -> Res<u32> {
    let n = c
        .rest()
        .iter()
        .take(max)
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    if n < min {
        return fail(c, || {
            msg!(
                "{min} hexadecimal digits after the backslash",
                "反斜杠后的 {min} 位十六进制数字"
            )
        });
    }
    let v = u32::from_str_radix(&c.t[c.pos..c.pos + n], 16).unwrap_or(0xFFFD);
    c.pos += n;
    Ok(v)
}

/// Decodes an escape after a backslash (the cursor after the backslash) into `out`: PHP
/// double-quoted strings and Python literals share most of them. `bytes` makes `\xNN` a byte.
fn escape(c: &mut Cur, out: &mut Vec<u8>, python: bool, bytes: bool) -> Res<()> {
    let Some(e) = c.peek() else {
        return Ok(());
    };
    let simple = match e {
        b'n' => Some(b'\n'),
        b't' => Some(b'\t'),
        b'r' => Some(b'\r'),
        b'v' => Some(0x0B),
        b'f' => Some(0x0C),
        b'\\' => Some(b'\\'),
        b'"' => Some(b'"'),
        b'\'' if python => Some(b'\''),
        b'$' if !python => Some(b'$'),
        b'e' if !python => Some(0x1B),
        b'a' if python => Some(0x07),
        b'b' if python => Some(0x08),
        _ => None,
    };
    if let Some(b) = simple {
        out.push(b);
        c.pos += 1;
        return Ok(());
    }
    match e {
        b'0'..=b'7' => {
            let n = c
                .rest()
                .iter()
                .take(3)
                .take_while(|b| (b'0'..=b'7').contains(b))
                .count();
            let v = u32::from_str_radix(&c.t[c.pos..c.pos + n], 8).unwrap_or(0);
            c.pos += n;
            push_code(c, out, v & 0xFF, bytes)
        }
        b'x' => {
            c.pos += 1;
            let v = hex_digits(c, if python { 2 } else { 1 }, 2)?;
            push_code(c, out, v, bytes)
        }
        b'u' if python && !bytes => {
            c.pos += 1;
            let v = hex_digits(c, 4, 4)?;
            push_code(c, out, v, false)
        }
        b'U' if python && !bytes => {
            c.pos += 1;
            let v = hex_digits(c, 8, 8)?;
            push_code(c, out, v, false)
        }
        b'u' if !python && c.rest().get(1) == Some(&b'{') => {
            c.pos += 2;
            let v = hex_digits(c, 1, 6)?;
            c.expect("}")?;
            push_code(c, out, v, false)
        }
        b'\n' if python => {
            c.pos += 1;
            Ok(())
        }
        _ => {
            // Not an escape: the backslash stays, and the character is copied as it is.
            out.push(b'\\');
            Ok(())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// PHP print_r

/// Where a `print_r` array or object header at `at` opens its `(`, and whether it is an object:
/// `Array`, `stdClass Object`, `App\Order Object`, `Suit Enum` / `Suit Enum:string`, then `(`
/// followed by a key or the closing `)`.
fn pr_open(s: &[u8], at: usize) -> Option<(usize, bool)> {
    let r = s.get(at..)?;
    let (mut i, object) = if r.starts_with(b"Array") {
        (at + 5, false)
    } else {
        let name = r
            .iter()
            .take(256)
            .take_while(|&&b| {
                !b.is_ascii_whitespace()
                    && !matches!(
                        b,
                        b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'=' | b'"' | b'\'' | b'<'
                    )
            })
            .count();
        let mut i = at + name;
        if name == 0 || s.get(i) != Some(&b' ') {
            return None;
        }
        i += 1;
        if s[i..].starts_with(b"Object") {
            i += 6;
        } else if s[i..].starts_with(b"Enum") {
            i += 4;
            if s.get(i) == Some(&b':') {
                i += 1 + s[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
            }
        } else {
            return None;
        }
        (i, true)
    };
    while s.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    if s.get(i) != Some(&b'(') {
        return None;
    }
    let paren = i;
    i += 1;
    while s.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    matches!(s.get(i), Some(b'[' | b')')).then_some((paren, object))
}

fn print_r_root(c: &mut Cur) -> Res<Node> {
    let start = c.pos;
    let Some((paren, object)) = pr_open(c.s, start) else {
        return fail(c, || msg!("`Array (`", "`Array (`"));
    };
    pr_array(c, start, paren, object, 0)
}

/// An array or object from its header at `start` and its `(` at `paren`. Printed with line
/// breaks, a value runs to the end of its line (and over the lines after it that neither hold a
/// key nor close the array); printed on one line (HTML drops the line breaks), to the next
/// ` [key] => ` or ` )`.
fn pr_array(c: &mut Cur, start: usize, paren: usize, object: bool, depth: usize) -> Res<Node> {
    if depth > MAX_DEPTH {
        return too_deep(c);
    }
    c.pos = paren + 1;
    c.spaces();
    let lines = matches!(c.peek(), Some(b'\n' | b'\r'));
    let mut members = Vec::new();
    while let Some((key, key_span)) = pr_key(c, lines, object)? {
        let value = pr_value(c, lines, depth)?;
        members.push(Member {
            key,
            key_span,
            value,
        });
    }
    Ok(php_node(c.span(start, c.pos), members, object))
}

/// The next `[key] =>`, the cursor after it; `None` after the array's closing `)`.
#[inline(never)]
fn pr_key(c: &mut Cur, lines: bool, object: bool) -> Res<Option<(SmolStr, Span)>> {
    c.ws();
    match c.peek() {
        Some(b')') => {
            c.pos += 1;
            return Ok(None);
        }
        Some(b'[') => {}
        None => {
            return fail(c, || {
                msg!(
                    "`)` closing the array opened at `(`",
                    "与 `(` 配对、结束数组的 `)`"
                )
            });
        }
        _ => return fail(c, || msg!("`[key] => value` or `)`", "`[键] => 值` 或 `)`")),
    }
    let from = c.pos + 1;
    let limit = if lines {
        line_end(c.s, from)
    } else {
        c.s.len()
    };
    let Some(rel) = memmem::find(&c.s[from..limit], b"] =>") else {
        return fail(c, || {
            msg!("a key written `[key] =>`", "形如 `[键] =>` 的键")
        });
    };
    let raw = &c.t[from..from + rel];
    let key = if object { pr_property(raw) } else { raw };
    c.pos = from + rel + 4;
    Ok(Some((key.into(), c.span(from, from + key.len()))))
}

/// An object property's name without the visibility print_r adds: `secret:protected`,
/// `secret:App\Order:private`.
fn pr_property(raw: &str) -> &str {
    if let Some(n) = raw.strip_suffix(":protected") {
        n
    } else if let Some(n) = raw.strip_suffix(":private") {
        n.rfind(':').map_or(n, |i| &n[..i])
    } else {
        raw
    }
}

fn pr_value(c: &mut Cur, lines: bool, depth: usize) -> Res<Node> {
    let after = c.pos;
    if lines {
        c.spaces();
    } else {
        c.ws();
    }
    let v = c.pos;
    if let Some((paren, object)) = pr_open(c.s, v) {
        return pr_array(c, v, paren, object, depth + 1);
    }
    Ok(if lines {
        pr_scalar_lines(c, v)
    } else {
        pr_scalar_inline(c, after)
    })
}

/// A value printed with line breaks: this line, and the lines after it that neither hold a key
/// nor close the array (a value holding line breaks, such as a PEM key).
#[inline(never)]
fn pr_scalar_lines(c: &mut Cur, v: usize) -> Node {
    let mut end = line_end(c.s, v);
    while end < c.s.len() {
        let next = end + 1;
        let next_end = line_end(c.s, next);
        let line = c.s[next..next_end].trim_ascii();
        if line == b")" || (line.starts_with(b"[") && memmem::find(line, b"] =>").is_some()) {
            break;
        }
        end = next_end;
    }
    c.pos = end;
    trimmed_str(c, v, end)
}

/// A value printed on one line: up to white space before `[key] =>` or a lone `)`.
#[inline(never)]
fn pr_scalar_inline(c: &mut Cur, after: usize) -> Node {
    let s = c.s;
    let mut i = after;
    let end = loop {
        let Some(w) = s[i..].iter().position(u8::is_ascii_whitespace) else {
            break s.len();
        };
        let ws = i + w;
        let mut j = ws;
        while j < s.len() && s[j].is_ascii_whitespace() {
            j += 1;
        }
        if j == s.len()
            || (s[j] == b')' && s.get(j + 1).is_none_or(u8::is_ascii_whitespace))
            || (s[j] == b'[' && pr_key_ahead(s, j))
        {
            break ws;
        }
        i = j;
    };
    c.pos = end.max(after);
    trimmed_str(c, after, c.pos)
}

/// A string value from the text between `a` and `b`, white space trimmed.
fn trimmed_str(c: &Cur, a: usize, b: usize) -> Node {
    let raw = &c.t[a..b];
    let value = raw.trim_ascii();
    let vs = a + (raw.len() - raw.trim_ascii_start().len());
    c.node(vs, vs + value.len(), Value::Str(value.into()))
}

/// Whether `[key] =>` starts at `j` (a key of at most 256 bytes, holding no `[`).
fn pr_key_ahead(s: &[u8], j: usize) -> bool {
    let end = (j + 258).min(s.len());
    for k in j + 1..end {
        match s[k] {
            b'[' | b'\n' => return false,
            b']' => return s[k + 1..].starts_with(b" =>"),
            _ => {}
        }
    }
    false
}

// ---------------------------------------------------------------------------------------------
// PHP var_dump, and Xdebug's text variant (`'key' =>`, `class Foo#1 (2) {`)

fn vd_header(s: &[u8], at: usize) -> bool {
    let r = &s[at..];
    if let Some(rest) = r.strip_prefix(b"array(") {
        let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let brace = rest[n..]
            .strip_prefix(b")")
            .is_some_and(|t| t.trim_ascii_start().starts_with(b"{"));
        return n > 0 && brace;
    }
    let name_then = |rest: &[u8], stop: &[u8]| {
        let line = &rest[..line_end(rest, 0)];
        memmem::find(line, stop).is_some_and(|i| i > 0)
    };
    if let Some(rest) = r.strip_prefix(b"object(") {
        return name_then(rest, b")#");
    }
    if let Some(rest) = r.strip_prefix(b"class ") {
        return name_then(rest, b"#") && memchr(b'{', &rest[..line_end(rest, 0)]).is_some();
    }
    false
}

fn vd_value(c: &mut Cur, depth: usize) -> Res<Node> {
    if depth > MAX_DEPTH {
        return too_deep(c);
    }
    c.eat("&");
    let start = c.pos;
    match vd_open(c)? {
        Some(object) => vd_members(c, start, object, depth),
        None => vd_scalar(c, start),
    }
}

/// Reads `array(3) {`, `object(stdClass)#1 (3) {` or Xdebug's `class stdClass#1 (3) {`:
/// whether it is an object; `None` (the cursor unmoved) for anything else.
#[inline(never)]
fn vd_open(c: &mut Cur) -> Res<Option<bool>> {
    let start = c.pos;
    let object = if c.eat("array(") {
        if c.integer().is_none() {
            return fail(c, || msg!("the element count", "元素个数"));
        }
        false
    } else if c.eat("object(") || c.eat("class ") {
        let stop = if c.s[start] == b'o' { b')' } else { b'#' };
        if c.until_on_line(stop).is_none() {
            return fail(c, || msg!("the class name", "类名"));
        }
        if stop == b')' {
            c.expect("#")?;
        }
        if c.integer().is_none() {
            return fail(c, || msg!("the object id", "对象编号"));
        }
        c.ws();
        c.expect("(")?;
        if c.integer().is_none() {
            return fail(c, || msg!("the property count", "属性个数"));
        }
        true
    } else {
        return Ok(None);
    };
    c.expect(")")?;
    c.ws();
    c.expect("{")?;
    Ok(Some(object))
}

#[inline(never)]
fn vd_scalar(c: &mut Cur, start: usize) -> Res<Node> {
    if c.eat("string(") {
        return vd_string(c);
    }
    for (word, typ) in [
        ("int(", 0),
        ("float(", 0),
        ("double(", 0),
        ("bool(", 1),
        ("enum(", 2),
        ("uninitialized(", 3),
    ] {
        if !c.eat(word) {
            continue;
        }
        let Some((a, b)) = c.until_on_line(b')') else {
            return fail(c, || msg!("`)`", "`)`"));
        };
        let inner = &c.t[a..b];
        let value = match typ {
            0 if is_php_number(inner) => Value::Num(inner.into()),
            1 if inner == "true" || inner == "false" => Value::Bool(inner == "true"),
            2 => Value::Str(inner.into()),
            3 => return Ok(c.node(start, c.pos, Value::Null)),
            _ => {
                c.pos = a;
                return if typ == 1 {
                    fail(c, || msg!("`true` or `false`", "`true` 或 `false`"))
                } else {
                    fail(c, || msg!("a number", "数字"))
                };
            }
        };
        return Ok(c.node(a, b, value));
    }
    if c.eat("NULL") {
        return Ok(c.node(start, c.pos, Value::Null));
    }
    if c.eat("*RECURSION*") {
        return Ok(c.str_node(start, c.pos));
    }
    if c.eat("resource(") {
        // resource(5) of type (stream)
        c.until_on_line(b')');
        if c.eat(" of type (") {
            c.until_on_line(b')');
        }
        return Ok(c.str_node(start, c.pos));
    }
    fail(c, || {
        msg!(
            "a value such as `string(6) \"…\"`, `int(1)`, `NULL` or `array(1) {{`",
            "值，如 `string(6) \"…\"`、`int(1)`、`NULL` 或 `array(1) {{`"
        )
    })
}

/// An integer or float as PHP prints it: `1`, `-0.5`, `1.0E+25`, `INF`, `NAN`.
fn is_php_number(t: &str) -> bool {
    let u = t.trim_start_matches('-');
    matches!(u, "INF" | "NAN")
        || (u.bytes().next().is_some_and(|b| b.is_ascii_digit())
            && t.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')))
}

fn vd_members(c: &mut Cur, start: usize, object: bool, depth: usize) -> Res<Node> {
    let mut members = Vec::new();
    while let Some((key, key_span)) = vd_key(c)? {
        let value = vd_value(c, depth + 1)?;
        members.push(Member {
            key,
            key_span,
            value,
        });
    }
    Ok(php_node(c.span(start, c.pos), members, object))
}

/// The next key and its `=>`, the cursor at the value; `None` after the closing `}`.
#[inline(never)]
fn vd_key(c: &mut Cur) -> Res<Option<(SmolStr, Span)>> {
    loop {
        c.ws();
        match c.peek() {
            Some(b'}') => {
                c.pos += 1;
                return Ok(None);
            }
            None => return fail(c, || msg!("`}}` closing the array", "结束数组的 `}}`")),
            _ => {}
        }
        // Xdebug's `...` where it stopped printing (and the `...` people type for the rest).
        if !c.eat("...") {
            break;
        }
    }
    let key = vd_key_name(c)?;
    c.ws();
    if !c.eat("=>") {
        return fail(c, || msg!("`=>` after the key", "键后面的 `=>`"));
    }
    c.ws();
    Ok(Some(key))
}

fn vd_key_name(c: &mut Cur) -> Res<(SmolStr, Span)> {
    let bad = || {
        msg!(
            "a key such as `[\"appKey\"]=>`, `[0]=>` or `'appKey' =>`",
            "键，如 `[\"appKey\"]=>`、`[0]=>` 或 `'appKey' =>`"
        )
    };
    if c.at("[\"") {
        // The key is printed raw: it ends at the first `]=>`.
        let from = c.pos + 2;
        let Some(rel) = memmem::find(&c.s[from..], b"]=>") else {
            return fail(c, bad);
        };
        let inner = &c.t[from..from + rel];
        let name = inner
            .strip_suffix('"')
            .or_else(|| inner.strip_suffix("\":protected"))
            .or_else(|| {
                let n = inner.strip_suffix(":private")?;
                n.rfind("\":\"").map(|i| &n[..i])
            });
        let Some(name) = name else {
            return fail(c, bad);
        };
        c.pos = from + rel + 1;
        return Ok((name.into(), c.span(from, from + name.len())));
    }
    if c.eat("[") {
        let from = c.pos;
        let Some(n) = c.integer() else {
            return fail(c, bad);
        };
        let key = (n.into(), c.span(from, c.pos));
        c.expect("]")?;
        return Ok(key);
    }
    if c.peek() == Some(b'\'') {
        let (key, from, to) = single_quoted(c, true)?;
        return Ok((key.into(), c.span(from, to)));
    }
    // Xdebug: `public $name =>`, `protected static $name =>`
    for vis in ["public ", "protected ", "private "] {
        if c.eat(vis) {
            c.eat("static ");
            c.eat("readonly ");
            c.expect("$")?;
            let from = c.pos;
            let n = c
                .rest()
                .iter()
                .take_while(|b| !b.is_ascii_whitespace())
                .count();
            c.pos += n;
            return Ok((c.t[from..c.pos].into(), c.span(from, c.pos)));
        }
    }
    fail(c, bad)
}

/// A PHP single-quoted string at the cursor: the text, where its inside starts and ends.
fn single_quoted(c: &mut Cur, escapes: bool) -> Res<(String, usize, usize)> {
    c.pos += 1;
    let from = c.pos;
    let mut out = String::new();
    let mut chunk = from;
    loop {
        let Some(i) = memchr2(b'\'', b'\\', c.rest()).map(|i| c.pos + i) else {
            c.pos = c.s.len();
            return fail(c, || msg!("the closing `'`", "结束的 `'`"));
        };
        if c.s[i] == b'\'' {
            out.push_str(&c.t[chunk..i]);
            c.pos = i + 1;
            return Ok((out, from, i));
        }
        if escapes && matches!(c.s.get(i + 1), Some(b'\'' | b'\\')) {
            out.push_str(&c.t[chunk..i]);
            chunk = i + 1;
            c.pos = i + 2;
        } else {
            c.pos = i + 1;
        }
    }
}

/// `string(N) "…"`: the declared byte length finds the closing quote, so that a string holding
/// quotes or line breaks is read whole; when the length does not fit (the paste was edited or
/// Xdebug cut the string), the first quote that ends a line or comes before the next key.
fn vd_string(c: &mut Cur) -> Res<Node> {
    let n = c.integer().and_then(|n| n.parse::<usize>().ok());
    c.expect(")")?;
    c.ws();
    let open = c.pos;
    c.expect("\"")?;
    let q = c.pos;
    let s = c.s;
    let fits = n
        .and_then(|n| q.checked_add(n))
        .filter(|&e| s.get(e) == Some(&b'"'));
    let close = fits.or_else(|| {
        let mut i = q;
        while let Some(rel) = memchr(b'"', &s[i..]) {
            let e = i + rel;
            let mut j = e + 1;
            while j < s.len() && matches!(s[j], b' ' | b'\t') {
                j += 1;
            }
            if j == s.len()
                || matches!(s[j], b'\r' | b'\n' | b'[' | b'}' | b'\'')
                || s[j..].starts_with(b"...")
            {
                return Some(e);
            }
            i = e + 1;
        }
        None
    });
    let Some(close) = close else {
        let len = n.map_or_else(String::new, |n| n.to_string());
        return fail_at_end(c, || {
            msg!(
                "the closing `\"` of a string of {len} bytes",
                "{len} 字节字符串的结束引号 `\"`"
            )
        });
    };
    c.pos = close + 1;
    Ok(c.node(open, close + 1, Value::Str(c.t[q..close].into())))
}

// ---------------------------------------------------------------------------------------------
// Xdebug's HTML var_dump, copied from the page:
// `array (size=2)` / `'appKey' => string 'MMMabc' (length=6)` / `'n' => int 1`

fn xh_header(s: &[u8], at: usize) -> bool {
    let r = &s[at..];
    if r.starts_with(b"array (size=") {
        return true;
    }
    r.strip_prefix(b"object(").is_some_and(|rest| {
        let line = &rest[..line_end(rest, 0)];
        memmem::find(line, b")[").is_some_and(|i| i > 0)
    })
}

fn xh_value(c: &mut Cur, depth: usize) -> Res<Node> {
    if depth > MAX_DEPTH {
        return too_deep(c);
    }
    let start = c.pos;
    match xh_open(c)? {
        XhOpen::Array(n) => xh_array(c, start, n, depth),
        XhOpen::Object => xh_object(c, start, depth),
        XhOpen::None => xh_scalar(c, start),
    }
}

/// What a value of Xdebug's HTML var_dump starts with.
enum XhOpen {
    /// `array (size=N)`
    Array(usize),
    /// `object(stdClass)[1]`
    Object,
    /// Anything else (the cursor unmoved).
    None,
}

#[inline(never)]
fn xh_open(c: &mut Cur) -> Res<XhOpen> {
    if c.eat("array (size=") {
        let Some(n) = c.integer().and_then(|n| n.parse::<usize>().ok()) else {
            return fail(c, || msg!("the element count", "元素个数"));
        };
        c.expect(")")?;
        return Ok(XhOpen::Array(n));
    }
    if c.eat("object(") {
        if c.until_on_line(b')').is_none() {
            return fail(c, || msg!("the class name", "类名"));
        }
        c.expect("[")?;
        if c.integer().is_none() {
            return fail(c, || msg!("the object id", "对象编号"));
        }
        c.expect("]")?;
        return Ok(XhOpen::Object);
    }
    Ok(XhOpen::None)
}

#[inline(never)]
fn xh_scalar(c: &mut Cur, start: usize) -> Res<Node> {
    if c.eat("string '") {
        let q = c.pos;
        let Some(close) = memmem::find(c.rest(), b"' (length=").map(|i| q + i) else {
            return fail_at_end(c, || {
                msg!(
                    "the closing `' (length=N)` of the string",
                    "字符串结尾的 `' (length=N)`"
                )
            });
        };
        c.pos = close + 10;
        if c.integer().is_none() {
            return fail(c, || msg!("the string's length", "字符串长度"));
        }
        c.expect(")")?;
        return Ok(c.node(q - 1, close + 1, Value::Str(c.t[q..close].into())));
    }
    for word in ["int ", "float ", "double "] {
        if c.eat(word) {
            let from = c.pos;
            let n = c
                .rest()
                .iter()
                .take_while(|b| !b.is_ascii_whitespace())
                .count();
            let raw = &c.t[from..from + n];
            if !is_php_number(raw) {
                return fail(c, || msg!("a number", "数字"));
            }
            c.pos += n;
            return Ok(c.node(from, c.pos, Value::Num(raw.into())));
        }
    }
    if c.eat("boolean ") || c.eat("bool ") {
        let from = c.pos;
        for (word, b) in [("true", true), ("false", false)] {
            if c.eat(word) {
                return Ok(c.node(from, c.pos, Value::Bool(b)));
            }
        }
        return fail(c, || msg!("`true` or `false`", "`true` 或 `false`"));
    }
    if c.eat("null") || c.eat("*uninitialized*") {
        return Ok(c.node(start, c.pos, Value::Null));
    }
    if c.eat("*RECURSION*") {
        return Ok(c.str_node(start, c.pos));
    }
    if c.eat("resource(") || c.eat("enum(") {
        if c.until_on_line(b')').is_none() {
            return fail(c, || msg!("`)`", "`)`"));
        }
        return Ok(c.str_node(start, c.pos));
    }
    fail(c, || {
        msg!(
            "a value such as `string 'x' (length=1)`, `int 1`, `null` or `array (size=1)`",
            "值，如 `string 'x' (length=1)`、`int 1`、`null` 或 `array (size=1)`"
        )
    })
}

/// An array whose header said how many elements follow (Xdebug writes `empty` for none and
/// `more elements...` where it stopped).
fn xh_array(c: &mut Cur, start: usize, n: usize, depth: usize) -> Res<Node> {
    let mut members = Vec::new();
    let mut end = xh_empty(c, n);
    while members.len() < n {
        let Some((key, key_span)) = xh_key(c, None, n)? else {
            end = c.pos;
            break;
        };
        let value = xh_value(c, depth + 1)?;
        end = c.pos;
        members.push(Member {
            key,
            key_span,
            value,
        });
    }
    c.pos = end;
    Ok(php_node(c.span(start, end), members, false))
}

/// Where an array of `n` elements ends if it is empty: after Xdebug's `empty`.
fn xh_empty(c: &mut Cur, n: usize) -> usize {
    let save = c.pos;
    c.ws();
    let end = if n == 0 && c.eat("empty") {
        c.pos
    } else {
        save
    };
    c.pos = save;
    end
}

/// An object: its properties are the lines after it indented deeper than its header.
fn xh_object(c: &mut Cur, start: usize, depth: usize) -> Res<Node> {
    let indent = indent_of(c.s, start);
    let mut members = Vec::new();
    let mut end = c.pos;
    while let Some((key, key_span)) = xh_key(c, Some(indent), 0)? {
        let value = xh_value(c, depth + 1)?;
        end = c.pos;
        members.push(Member {
            key,
            key_span,
            value,
        });
    }
    c.pos = end.max(c.pos);
    Ok(c.node(start, c.pos, Value::Object(members)))
}

/// The next `'appKey' =>` (printed raw: it ends at `' =>` on its line) or `0 =>`, the cursor at
/// the value. For an object (`indent` its header's), `None` when the next line is not indented
/// deeper; for an array of `n`, `None` at `more elements...`.
#[inline(never)]
fn xh_key(c: &mut Cur, indent: Option<usize>, n: usize) -> Res<Option<(SmolStr, Span)>> {
    let save = c.pos;
    c.ws();
    if let Some(indent) = indent {
        if c.at_end() || !c.newline_between(save, c.pos) || indent_of(c.s, c.pos) <= indent {
            c.pos = save;
            return Ok(None);
        }
        for vis in ["public ", "protected ", "private "] {
            if c.eat(vis) {
                break;
            }
        }
    }
    if c.eat("more elements...") || c.eat("...") {
        return Ok(None);
    }
    if c.at_end() {
        return fail(c, || {
            msg!(
                "{n} elements, as the array's size says",
                "数组大小所说的 {n} 个元素"
            )
        });
    }
    let from = c.pos;
    let mut key = None;
    if c.peek() == Some(b'\'') {
        let found = memmem::find(&c.s[from + 1..], b"' =>").map(|rel| from + 1 + rel);
        if let Some(q) = found.filter(|&q| !c.newline_between(from, q)) {
            c.pos = q + 1;
            key = Some((c.t[from + 1..q].into(), c.span(from + 1, q)));
        }
    } else if let Some(n) = c.integer() {
        key = Some((n.into(), c.span(from, c.pos)));
    }
    let Some(key) = key else {
        return fail(c, || {
            msg!(
                "a key such as `'appKey' =>` or `0 =>`",
                "键，如 `'appKey' =>` 或 `0 =>`"
            )
        });
    };
    c.spaces();
    c.expect("=>")?;
    c.ws();
    Ok(Some(key))
}

// ---------------------------------------------------------------------------------------------
// PHP var_export (and PHP array literals, which read the same)

fn ve_header(s: &[u8]) -> bool {
    if let Some(rest) = s.strip_prefix(b"array") {
        return rest.trim_ascii_start().starts_with(b"(");
    }
    if let Some(rest) = s.strip_prefix(b"(object)") {
        return rest.trim_ascii_start().starts_with(b"array");
    }
    let name = s
        .iter()
        .take(256)
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'\\'))
        .count();
    name > 0 && s[name..].starts_with(b"::__set_state(")
}

/// How an array opened: its closing bracket, whether it is an object, and whether it is the
/// argument of `__set_state(` (which closes after it).
#[derive(Clone, Copy)]
struct VeOpen {
    close: u8,
    object: bool,
    set_state: bool,
}

fn ve_value(c: &mut Cur, depth: usize) -> Res<Node> {
    if depth > MAX_DEPTH {
        return too_deep(c);
    }
    let start = c.pos;
    let Some(open) = ve_open(c)? else {
        return ve_scalar(c, start);
    };
    let n = ve_entries(c, start, open, depth);
    if open.set_state {
        return n.and_then(|n| ve_set_state_end(c, start, n));
    }
    n
}

/// The `)` closing `__set_state(`: the object then spans the call.
#[inline(never)]
fn ve_set_state_end(c: &mut Cur, start: usize, mut n: Node) -> Res<Node> {
    c.ws();
    c.expect(")")?;
    n.span = c.span(start, c.pos);
    Ok(n)
}

/// Reads `array (`, `[`, `(object) array(` or `\App\Order::__set_state(array(`; `None` (the
/// cursor unmoved) for anything else.
#[inline(never)]
fn ve_open(c: &mut Cur) -> Res<Option<VeOpen>> {
    let start = c.pos;
    let mut open = VeOpen {
        close: b')',
        object: false,
        set_state: false,
    };
    if c.eat("(") {
        c.ws();
        c.expect("object")?;
        c.ws();
        c.expect(")")?;
        c.ws();
        open.object = true;
    } else if c.peek() != Some(b'[') && !c.at("array") {
        let n = c
            .rest()
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'\\'))
            .count();
        c.pos += n;
        if n == 0 || !c.eat("::__set_state(") {
            c.pos = start;
            return Ok(None);
        }
        c.ws();
        open.object = true;
        open.set_state = true;
    }
    if c.eat("[") {
        open.close = b']';
        return Ok(Some(open));
    }
    if !c.eat("array") {
        if open.object {
            return fail(c, || msg!("`array (`", "`array (`"));
        }
        c.pos = start;
        return Ok(None);
    }
    c.ws();
    c.expect("(")?;
    Ok(Some(open))
}

#[inline(never)]
fn ve_scalar(c: &mut Cur, start: usize) -> Res<Node> {
    let bad = || {
        msg!(
            "a value such as `'text'`, `1`, `NULL`, `true` or `array (`",
            "值，如 `'text'`、`1`、`NULL`、`true` 或 `array (`"
        )
    };
    if matches!(c.peek(), Some(b'\'' | b'"')) {
        let (text, _, _) = ve_string(c)?;
        return Ok(c.node(start, c.pos, Value::Str(text.into())));
    }
    let n = c
        .rest()
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'\\' | b'-' | b'+' | b'.'))
        .count();
    let word = &c.t[start..start + n];
    if is_php_number(word) {
        c.pos += n;
        return Ok(c.node(start, c.pos, Value::Num(word.into())));
    }
    let n = word
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'\\'))
        .count();
    let word = &word[..n];
    c.pos += n;
    let value = if word.eq_ignore_ascii_case("null") {
        Value::Null
    } else if word.eq_ignore_ascii_case("true") || word.eq_ignore_ascii_case("false") {
        Value::Bool(word.eq_ignore_ascii_case("true"))
    } else if n > 0 && c.eat("::") {
        // An enum case: \App\Status::Paid
        let m = c
            .rest()
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        c.pos += m;
        Value::Str(c.t[start..c.pos].into())
    } else {
        c.pos = start;
        return fail(c, bad);
    };
    Ok(c.node(start, c.pos, value))
}

fn ve_entries(c: &mut Cur, start: usize, open: VeOpen, depth: usize) -> Res<Node> {
    let mut members = Vec::new();
    let mut next: i64 = 0;
    while let Some((key, item)) = ve_key(c, open.close)? {
        let value = ve_value(c, depth + 1)?;
        let (key, key_span) = key.unwrap_or_else(|| (next.to_string(), c.span(item, item)));
        if let Ok(i) = key.parse::<i64>() {
            next = next.max(i.saturating_add(1));
        }
        members.push(member(&key, key_span, value));
        ve_after(c, open.close)?;
    }
    Ok(php_node(c.span(start, c.pos), members, open.object))
}

/// The next key and `=>` (`None` for an element written without a key) and where the element
/// starts, the cursor at the value; `None` after the array's closing bracket.
#[inline(never)]
#[allow(clippy::type_complexity)]
fn ve_key(c: &mut Cur, close: u8) -> Res<Option<(Option<(String, Span)>, usize)>> {
    c.ws();
    if c.peek() == Some(close) {
        c.pos += 1;
        return Ok(None);
    }
    if c.at_end() {
        let close = close as char;
        return fail(c, || {
            msg!("`{close}` closing the array", "结束数组的 `{close}`")
        });
    }
    let save = c.pos;
    let key = match c.peek() {
        Some(b'\'' | b'"') => {
            let (k, a, b) = ve_string(c)?;
            Some((k, c.span(a, b)))
        }
        Some(b'-' | b'0'..=b'9') => c.integer().map(|n| (n.to_owned(), c.span(save, c.pos))),
        _ => None,
    };
    c.ws();
    if key.is_some() && c.eat("=>") {
        c.ws();
        return Ok(Some((key, save)));
    }
    c.pos = save;
    Ok(Some((None, save)))
}

/// `,` or the closing bracket after an element.
#[inline(never)]
fn ve_after(c: &mut Cur, close: u8) -> Res<()> {
    c.ws();
    match c.peek() {
        Some(b',') => c.pos += 1,
        Some(b) if b == close => {}
        _ => {
            let close = close as char;
            return fail(c, || msg!("`,` or `{close}`", "`,` 或 `{close}`"));
        }
    }
    Ok(())
}

/// A PHP string, with the `'a' . "\0" . 'b'` concatenation var_export writes for NUL bytes:
/// the text and where its inside starts and ends.
fn ve_string(c: &mut Cur) -> Res<(String, usize, usize)> {
    let (mut text, from, mut to) = ve_one_string(c)?;
    loop {
        let save = c.pos;
        c.ws();
        if c.eat(".") {
            c.ws();
            if matches!(c.peek(), Some(b'\'' | b'"')) {
                let (more, _, end) = ve_one_string(c)?;
                text.push_str(&more);
                to = end;
                continue;
            }
        }
        c.pos = save;
        return Ok((text, from, to));
    }
}

fn ve_one_string(c: &mut Cur) -> Res<(String, usize, usize)> {
    if c.peek() == Some(b'\'') {
        return single_quoted(c, true);
    }
    c.pos += 1;
    let from = c.pos;
    let mut out = Vec::new();
    loop {
        let Some(i) = memchr2(b'"', b'\\', c.rest()).map(|i| c.pos + i) else {
            c.pos = c.s.len();
            return fail(c, || msg!("the closing `\"`", "结束的 `\"`"));
        };
        out.extend_from_slice(&c.s[c.pos..i]);
        c.pos = i + 1;
        if c.s[i] == b'"' {
            return Ok((String::from_utf8_lossy(&out).into_owned(), from, i));
        }
        escape(c, &mut out, false, false)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Java: `Map.toString()` `{k=v, k=v}`, Lombok / Kotlin `Name(k=v)`, IntelliJ `Name{k='v'}`,
// records `Name[k=v]`. Values are unquoted: a value runs to the next `, key=` or the closing
// bracket outside the brackets it opens.

/// Where the members of an object opening at `at` start, and its closing bracket.
fn jv_open(s: &[u8], at: usize) -> Option<(usize, u8)> {
    let r = s.get(at..)?;
    let first = *r.first()?;
    if first == b'{' {
        return Some((at + 1, b'}'));
    }
    if !(first.is_ascii_alphabetic() || first == b'_' || first == b'$') {
        return None;
    }
    let n = r
        .iter()
        .take(256)
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.'))
        .count();
    let close = match r.get(n)? {
        b'(' => b')',
        b'{' => b'}',
        b'[' => b']',
        _ => return None,
    };
    Some((at + n + 1, close))
}

/// A key as Java prints it: anything up to `=` but separators and brackets.
fn jv_key_len(s: &[u8], at: usize) -> usize {
    s[at.min(s.len())..]
        .iter()
        .take_while(|&&b| {
            !b.is_ascii_whitespace()
                && !matches!(
                    b,
                    b'=' | b',' | b'{' | b'}' | b'(' | b')' | b'[' | b']' | b'\'' | b'"'
                )
        })
        .count()
}

/// Whether an object starts at `at`: its opening, then its closing or a key and `=`.
fn jv_obj_start(s: &[u8], at: usize) -> bool {
    jv_open(s, at).is_some_and(|(after, close)| {
        let k = jv_key_len(s, after);
        s.get(after) == Some(&close) || (k > 0 && s.get(after + k) == Some(&b'='))
    })
}

fn jv_root(s: &[u8]) -> bool {
    // `dict(a=1)` is Python code, not a print-out.
    !s.starts_with(b"dict(")
        && jv_open(s, 0).is_some_and(|(after, close)| {
            let k = jv_key_len(s, after);
            s.get(after) != Some(&close) && k > 0 && s.get(after + k) == Some(&b'=')
        })
}

/// Whether a value ends at `i`: the closing bracket, or `, key=`.
fn jv_end_at(s: &[u8], i: usize, close: u8) -> bool {
    s.get(i) == Some(&close) || (s[i..].starts_with(b", ") && ident_then(s, i + 2, b'='))
}

fn jv_obj(c: &mut Cur, depth: usize) -> Res<Node> {
    if depth > MAX_DEPTH {
        return too_deep(c);
    }
    let start = c.pos;
    let Some((after, close)) = jv_open(c.s, start) else {
        return fail(c, || msg!("`{{`", "`{{`"));
    };
    c.pos = after;
    let mut members = Vec::new();
    while let Some((k, n)) = jv_key(c, close, members.is_empty())? {
        let value = jv_value(c, close, depth)?;
        members.push(member(&c.t[k..k + n], c.span(k, k + n), value));
    }
    Ok(c.node(start, c.pos, Value::Object(members)))
}

/// The next key (where it starts, its length) and its `=`, the cursor at the value; `None`
/// after the closing bracket.
#[inline(never)]
fn jv_key(c: &mut Cur, close: u8, first: bool) -> Res<Option<(usize, usize)>> {
    if c.peek() == Some(close) {
        c.pos += 1;
        return Ok(None);
    }
    if !first && !c.eat(", ") {
        let close = close as char;
        return fail(c, || msg!("`, ` or `{close}`", "`, ` 或 `{close}`"));
    }
    let k = c.pos;
    let n = jv_key_len(c.s, k);
    if n == 0 || c.s.get(k + n) != Some(&b'=') {
        return fail(c, || msg!("a key followed by `=`", "键和其后的 `=`"));
    }
    c.pos = k + n + 1;
    Ok(Some((k, n)))
}

fn jv_value(c: &mut Cur, close: u8, depth: usize) -> Res<Node> {
    let v = c.pos;
    // A nested map or object, when what follows it ends the value; else the text is a value
    // such as JSON (`{"tpData":…}`).
    if c.trials > 0 && jv_obj_start(c.s, v) {
        match jv_obj(c, depth + 1) {
            Ok(n) if c.pos < c.s.len() && jv_end_at(c.s, c.pos, close) => return Ok(n),
            Err(e) if at_text_end(c, &e) => return Err(e),
            Err(e) => c.tried(v, e.span.start - c.base),
            Ok(_) => c.tried(v, c.pos),
        }
        c.pos = v;
    }
    jv_scalar(c, v, close)
}

#[inline(never)]
fn jv_scalar(c: &mut Cur, v: usize, close: u8) -> Res<Node> {
    let Some(end) = unquoted_end(c, v, |s, i| jv_end_at(s, i, close)) else {
        let close = close as char;
        return fail_at_end(c, || {
            msg!(
                "`, ` or `{close}` after the value",
                "值后面的 `, ` 或 `{close}`"
            )
        });
    };
    c.pos = end;
    let raw = &c.t[v..end];
    // IntelliJ's toString() quotes strings: `appKey='MMMabc'`.
    let text = if raw.len() >= 2 && raw.starts_with('\'') && raw.ends_with('\'') {
        &raw[1..raw.len() - 1]
    } else {
        raw
    };
    Ok(c.node(v, end, Value::Str(text.into())))
}

// ---------------------------------------------------------------------------------------------
// Go: `%v` of a map `map[k:v k:v]`, `%+v` of a struct `{Key:v Key:v}` / `&{…}`, slices `[a b]`.

/// Where the members of a map or struct opening at `at` start, and its closing bracket.
fn go_open(s: &[u8], at: usize) -> Option<(usize, u8)> {
    let r = s.get(at..)?;
    let amp = usize::from(r.first() == Some(&b'&'));
    if r[amp..].starts_with(b"map[") {
        Some((at + amp + 4, b']'))
    } else if r.get(amp) == Some(&b'{') {
        Some((at + amp + 1, b'}'))
    } else {
        None
    }
}

/// A key as Go prints it: anything up to `:` but white space and brackets.
fn go_key_len(s: &[u8], at: usize) -> usize {
    s[at.min(s.len())..]
        .iter()
        .take_while(|&&b| {
            !b.is_ascii_whitespace() && !matches!(b, b':' | b'[' | b']' | b'{' | b'}' | b'"')
        })
        .count()
}

fn go_obj_start(s: &[u8], at: usize) -> bool {
    go_open(s, at).is_some_and(|(after, close)| {
        let k = go_key_len(s, after);
        s.get(after) == Some(&close) || (k > 0 && s.get(after + k) == Some(&b':'))
    })
}

fn go_root(s: &[u8]) -> Option<Which> {
    let (after, close) = go_open(s, 0)?;
    if close == b']' {
        return go_obj_start(s, 0).then_some(Which::Go);
    }
    // A struct: `{AppKey:MMMabc …}`: an exported field, and after its `:` a value, not the
    // space a JavaScript literal has (`{AppKey: 1}`), unless the value is empty.
    if !s.get(after).is_some_and(u8::is_ascii_uppercase) || !ident_then(s, after, b':') {
        return None;
    }
    let next = after + go_key_len(s, after) + 1;
    let ok = match s.get(next) {
        Some(b' ') => ident_then(s, next + 1, b':'),
        Some(_) => true,
        None => false,
    };
    ok.then_some(Which::GoStruct)
}

/// Whether an unquoted value ends at `i`: the closing bracket, or white space then `key:`.
fn go_end_at(s: &[u8], i: usize, close: u8) -> bool {
    match s.get(i) {
        Some(&b) if b == close => true,
        Some(b) if b.is_ascii_whitespace() && (i == 0 || !s[i - 1].is_ascii_whitespace()) => {
            let j = i + s[i..]
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
            ident_then(s, j, b':')
        }
        _ => false,
    }
}

fn go_obj(c: &mut Cur, depth: usize) -> Res<Node> {
    if depth > MAX_DEPTH {
        return too_deep(c);
    }
    let start = c.pos;
    let Some((after, close)) = go_open(c.s, start) else {
        return fail(c, || msg!("`map[`", "`map[`"));
    };
    c.pos = after;
    let mut members = Vec::new();
    while let Some((k, n)) = go_key(c, close, members.is_empty())? {
        let value = go_value(c, close, depth)?;
        members.push(member(&c.t[k..k + n], c.span(k, k + n), value));
    }
    Ok(c.node(start, c.pos, Value::Object(members)))
}

/// The next key (where it starts, its length) and its `:`, the cursor at the value; `None`
/// after the closing bracket.
#[inline(never)]
fn go_key(c: &mut Cur, close: u8, first: bool) -> Res<Option<(usize, usize)>> {
    if !first && c.peek() != Some(close) {
        let before = c.pos;
        c.ws();
        if c.pos == before {
            let close = close as char;
            return fail(c, || msg!("a space or `{close}`", "空格或 `{close}`"));
        }
    }
    if c.peek() == Some(close) {
        c.pos += 1;
        return Ok(None);
    }
    let k = c.pos;
    let n = go_key_len(c.s, k);
    if n == 0 || c.s.get(k + n) != Some(&b':') {
        let close = close as char;
        return fail(c, || {
            msg!(
                "a key followed by `:`, or `{close}`",
                "键和其后的 `:`，或 `{close}`"
            )
        });
    }
    c.pos = k + n + 1;
    Ok(Some((k, n)))
}

fn go_value(c: &mut Cur, close: u8, depth: usize) -> Res<Node> {
    let v = c.pos;
    if let Some(n) = go_nested(c, depth, |s, i| go_end_at(s, i, close))? {
        return Ok(n);
    }
    go_scalar(c, v, close)
}

/// A nested map, struct or slice at the cursor, when what follows it ends the value; `None`
/// (the cursor unmoved) when there is none, or it does not end there (so it is text).
fn go_nested(c: &mut Cur, depth: usize, ends: impl Fn(&[u8], usize) -> bool) -> Res<Option<Node>> {
    let v = c.pos;
    let r = if c.trials == 0 {
        return Ok(None);
    } else if go_obj_start(c.s, v) {
        go_obj(c, depth + 1)
    } else if c.peek() == Some(b'[') && !go_json_like(c.s, v) {
        go_slice(c, depth + 1)
    } else {
        return Ok(None);
    };
    match r {
        Ok(n) if c.pos < c.s.len() && ends(c.s, c.pos) => return Ok(Some(n)),
        Err(e) if at_text_end(c, &e) => return Err(e),
        Err(e) => c.tried(v, e.span.start - c.base),
        Ok(_) => c.tried(v, c.pos),
    }
    c.pos = v;
    Ok(None)
}

#[inline(never)]
fn go_scalar(c: &mut Cur, v: usize, close: u8) -> Res<Node> {
    let Some(end) = unquoted_end(c, v, |s, i| go_end_at(s, i, close)) else {
        let close = close as char;
        return fail_at_end(c, || {
            msg!("`{close}` closing the map", "结束 map 的 `{close}`")
        });
    };
    c.pos = end;
    Ok(c.str_node(v, end))
}

/// A value that starts like a JSON array (`["a"…`, `[{"a"…`): a string, not a Go slice.
fn go_json_like(s: &[u8], v: usize) -> bool {
    let j = v + s[v..].iter().take_while(|&&b| b == b'[').count();
    match s.get(j) {
        Some(b'"') => true,
        Some(b'{') => s.get(j + 1) == Some(&b'"'),
        _ => false,
    }
}

/// Whether a slice element ends at `i`.
fn go_elem_end(s: &[u8], i: usize) -> bool {
    s[i] == b']' || s[i].is_ascii_whitespace()
}

/// `[a b c]`: elements split at white space.
fn go_slice(c: &mut Cur, depth: usize) -> Res<Node> {
    if depth > MAX_DEPTH {
        return too_deep(c);
    }
    let start = c.pos;
    c.pos += 1;
    let mut items = Vec::new();
    while go_slice_next(c)? {
        match go_nested(c, depth, go_elem_end)? {
            Some(n) => items.push(n),
            None => items.push(go_elem(c)),
        }
    }
    Ok(c.node(start, c.pos, Value::Array(items)))
}

/// Whether another element follows (the cursor at it); false after the closing `]`.
#[inline(never)]
fn go_slice_next(c: &mut Cur) -> Res<bool> {
    c.ws();
    match c.peek() {
        Some(b']') => {
            c.pos += 1;
            Ok(false)
        }
        None => fail(c, || msg!("`]` closing the slice", "结束切片的 `]`")),
        _ => Ok(true),
    }
}

#[inline(never)]
fn go_elem(c: &mut Cur) -> Node {
    let e = c.pos;
    let end = unquoted_end(c, e, go_elem_end).unwrap_or(c.s.len());
    c.pos = end;
    c.str_node(e, end)
}

// ---------------------------------------------------------------------------------------------
// Python: `repr` of a dict, pprint's, Django's `<QueryDict: {…}>`, `OrderedDict([(k, v)])`.

fn py_root(s: &[u8]) -> bool {
    if let Some(rest) = s.strip_prefix(b"{") {
        let p = py_str_prefix(rest, 0).unwrap_or(0);
        return rest.get(p) == Some(&b'\'');
    }
    s.starts_with(b"<QueryDict: {")
        || [
            &b"OrderedDict("[..],
            b"ImmutableMultiDict(",
            b"MultiDict(",
            b"CombinedMultiDict(",
        ]
        .iter()
        .any(|p| s.starts_with(p))
}

/// The length of a string prefix (`u`, `b`, `r`, `rb`…) before a quote at `at`.
fn py_str_prefix(s: &[u8], at: usize) -> Option<usize> {
    let n = s[at.min(s.len())..]
        .iter()
        .take(3)
        .take_while(|b| matches!(b, b'u' | b'U' | b'b' | b'B' | b'r' | b'R'))
        .count();
    (n <= 2 && matches!(s.get(at + n), Some(b'\'' | b'"'))).then_some(n)
}

fn py_value(c: &mut Cur, depth: usize) -> Res<Node> {
    if depth > MAX_DEPTH {
        return too_deep(c);
    }
    c.ws();
    match c.peek() {
        Some(b'{') => py_dict(c, depth),
        Some(b'[') => py_seq(c, b']', depth),
        Some(b'(') => py_seq(c, b')', depth),
        Some(b'<') if c.at("<QueryDict:") => py_query_dict(c, depth),
        _ => match py_scalar(c)? {
            Ok(n) => Ok(n),
            Err((start, name)) => py_call(c, start, name, depth),
        },
    }
}

/// A string, number, `True`, `None`, `<…>`; or, for `name(`, where the name starts and
/// the name, the cursor at its `(`.
#[inline(never)]
fn py_scalar<'a>(c: &mut Cur<'a>) -> Res<Result<Node, (usize, &'a str)>> {
    let start = c.pos;
    let bad = || {
        msg!(
            "a value such as `'text'`, `1`, `None`, `True` or `{{`",
            "值，如 `'text'`、`1`、`None`、`True` 或 `{{`"
        )
    };
    if py_str_prefix(c.s, start).is_some() {
        let (text, _, _) = py_string(c)?;
        return Ok(Ok(c.node(start, c.pos, Value::Str(text.into()))));
    }
    if c.peek() == Some(b'<') {
        // Another object's repr, kept as text: `<object object at 0x7f…>`.
        let Some((_, end)) = c.until_on_line(b'>') else {
            return fail(c, || msg!("`>`", "`>`"));
        };
        return Ok(Ok(c.str_node(start, end + 1)));
    }
    let n = c
        .rest()
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.' | b'_'))
        .count();
    let word = &c.t[start..start + n];
    let unsigned = word.trim_start_matches(['-', '+']);
    let value = if unsigned
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || b == b'.')
        || (unsigned.len() < word.len() && matches!(unsigned, "inf" | "nan"))
    {
        Value::Num(word.into())
    } else {
        match word {
            "True" => Value::Bool(true),
            "False" => Value::Bool(false),
            "None" => Value::Null,
            "inf" | "nan" => Value::Num(word.into()),
            _ if n > 0 && c.s.get(start + n) == Some(&b'(') && !word.starts_with(['-', '+']) => {
                c.pos += n;
                return Ok(Err((start, word)));
            }
            _ => return fail(c, bad),
        }
    };
    c.pos += n;
    Ok(Ok(c.node(start, c.pos, value)))
}

/// A Python string literal at the cursor: its text, where its inside starts and ends.
fn py_string(c: &mut Cur) -> Res<(String, usize, usize)> {
    let p = py_str_prefix(c.s, c.pos).unwrap_or(0);
    let prefix = &c.s[c.pos..c.pos + p];
    let raw = prefix.iter().any(|b| matches!(b, b'r' | b'R'));
    let bytes = prefix.iter().any(|b| matches!(b, b'b' | b'B'));
    c.pos += p;
    let quote = c.s[c.pos];
    c.pos += 1;
    let from = c.pos;
    let mut out = Vec::new();
    loop {
        let Some(i) = memchr2(quote, b'\\', c.rest()).map(|i| c.pos + i) else {
            c.pos = c.s.len();
            let q = quote as char;
            return fail(c, || msg!("the closing `{q}`", "结束的 `{q}`"));
        };
        out.extend_from_slice(&c.s[c.pos..i]);
        c.pos = i + 1;
        if c.s[i] == quote {
            return Ok((String::from_utf8_lossy(&out).into_owned(), from, i));
        }
        if raw {
            out.push(b'\\');
            if let Some(&b) = c.s.get(c.pos).filter(|&&b| b == quote || b == b'\\') {
                out.push(b);
                c.pos += 1;
            }
        } else {
            escape(c, &mut out, true, bytes)?;
        }
    }
}

/// A dict key: a string (its span the inside), or a number, `True`, `None` as written.
#[inline(never)]
fn py_key(c: &mut Cur) -> Res<(String, Span)> {
    c.ws();
    if py_str_prefix(c.s, c.pos).is_some() {
        let (k, a, b) = py_string(c)?;
        return Ok((k, c.span(a, b)));
    }
    match py_scalar(c)? {
        Ok(n) => {
            let (a, b) = (n.span.start - c.base, n.span.end - c.base);
            Ok((c.t[a..b].to_owned(), n.span))
        }
        Err((start, _)) => {
            c.pos = start;
            fail(c, || msg!("a dict key", "dict 的键"))
        }
    }
}

fn py_dict(c: &mut Cur, depth: usize) -> Res<Node> {
    if depth > MAX_DEPTH {
        return too_deep(c);
    }
    let start = c.pos;
    c.pos += 1;
    let mut members = Vec::new();
    while py_next(c, b'}', !members.is_empty())? {
        let (key, key_span) = py_dict_key(c)?;
        let value = py_value(c, depth + 1)?;
        members.push(member(&key, key_span, value));
    }
    Ok(c.node(start, c.pos, Value::Object(members)))
}

/// Whether another element follows (after the `,` that follows the previous one, when `more`);
/// false after the closing bracket.
#[inline(never)]
fn py_next(c: &mut Cur, close: u8, more: bool) -> Res<bool> {
    c.ws();
    if more && !c.eat(",") && c.peek() != Some(close) {
        let close = close as char;
        return fail(c, || msg!("`,` or `{close}`", "`,` 或 `{close}`"));
    }
    c.ws();
    if c.peek() == Some(close) {
        c.pos += 1;
        return Ok(false);
    }
    if c.at_end() {
        let close = close as char;
        return fail(c, || msg!("`{close}`", "`{close}`"));
    }
    Ok(true)
}

/// A dict key and its `:`.
#[inline(never)]
fn py_dict_key(c: &mut Cur) -> Res<(String, Span)> {
    let key = py_key(c)?;
    c.ws();
    if !c.eat(":") {
        return fail(c, || msg!("`:` after the key", "键后面的 `:`"));
    }
    Ok(key)
}

/// A list `[…]` or a tuple `(…)`.
fn py_seq(c: &mut Cur, close: u8, depth: usize) -> Res<Node> {
    if depth > MAX_DEPTH {
        return too_deep(c);
    }
    let start = c.pos;
    c.pos += 1;
    let mut items = Vec::new();
    while py_next(c, close, !items.is_empty())? {
        items.push(py_value(c, depth + 1)?);
    }
    Ok(c.node(start, c.pos, Value::Array(items)))
}

/// `<QueryDict: {…}>`: Django's request.POST.
fn py_query_dict(c: &mut Cur, depth: usize) -> Res<Node> {
    let start = c.pos;
    c.pos += "<QueryDict:".len();
    c.ws();
    if c.peek() != Some(b'{') {
        return fail(c, || msg!("`{{`", "`{{`"));
    }
    let mut n = py_dict(c, depth + 1)?;
    c.ws();
    c.expect(">")?;
    n.span = c.span(start, c.pos);
    Ok(n)
}

/// `Decimal('0.01')`, `OrderedDict([('a', 1)])` / `OrderedDict({'a': 1})`, or another call kept
/// as text (`datetime.datetime(2024, 3, 2, 10, 11)`); the cursor at the `(` after `name`.
fn py_call(c: &mut Cur, start: usize, name: &str, depth: usize) -> Res<Node> {
    if depth > MAX_DEPTH {
        return too_deep(c);
    }
    c.pos += 1;
    c.ws();
    let dict = name.ends_with("Dict") || name.ends_with("dict");
    let value = match c.peek() {
        Some(b'{') if dict => py_dict(c, depth + 1)?.value,
        Some(b'[') if dict => Value::Object(py_pairs(c, depth + 1)?),
        Some(b')') if dict => Value::Object(Vec::new()),
        _ => return py_call_text(c, start, name),
    };
    c.ws();
    c.expect(")")?;
    Ok(c.node(start, c.pos, value))
}

/// A call kept as text, balanced to its `)` (strings skipped); `Decimal('1.00')` a number.
#[inline(never)]
fn py_call_text(c: &mut Cur, start: usize, name: &str) -> Res<Node> {
    if name == "Decimal" && py_str_prefix(c.s, c.pos).is_some() {
        let (text, _, _) = py_string(c)?;
        c.ws();
        c.expect(")")?;
        return Ok(c.node(start, c.pos, Value::Num(text.into())));
    }
    let mut nest = Nest {
        depth: 1,
        in_str: false,
    };
    let s = c.s;
    let mut i = c.pos;
    while i < s.len() && nest.depth > 0 {
        if matches!(s[i], b'\'' | b'"') {
            c.pos = i;
            py_string(c)?;
            i = c.pos;
            continue;
        }
        i = nest.step(s, i);
    }
    if nest.depth > 0 {
        c.pos = s.len();
        return fail(c, || msg!("`)` closing `{name}(`", "结束 `{name}(` 的 `)`"));
    }
    c.pos = i;
    Ok(c.str_node(start, i))
}

/// `[('a', 1), ('b', 2)]` as members.
fn py_pairs(c: &mut Cur, depth: usize) -> Res<Vec<Member>> {
    if depth > MAX_DEPTH {
        return too_deep(c);
    }
    c.pos += 1;
    let mut members = Vec::new();
    while py_next(c, b']', !members.is_empty())? {
        c.expect("(")?;
        let (key, key_span) = py_key(c)?;
        c.ws();
        c.expect(",")?;
        let value = py_value(c, depth + 1)?;
        c.ws();
        c.expect(")")?;
        members.push(member(&key, key_span, value));
    }
    Ok(members)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the print-out sits in the pasted source: every span must be shifted by it.
    const BASE: usize = 1000;

    fn read_ok(text: &str) -> (Form, Node) {
        match read(text, BASE) {
            Some(Ok(x)) => {
                spans_hold(text, &x.1);
                x
            }
            Some(Err(e)) => panic!("{e} at {:?} in {text:?}", e.span),
            None => panic!("not taken for a print-out: {text:?}"),
        }
    }

    fn read_err(text: &str) -> ParseError {
        match read(text, BASE) {
            Some(Err(e)) => {
                assert!(e.span.start >= BASE && e.span.end <= BASE + text.len());
                assert!(!e.expected.en.is_empty() && !e.expected.zh.is_empty());
                assert!(!e.found.en.is_empty() && !e.found.zh.is_empty());
                e
            }
            other => panic!("expected an error for {text:?}, got {other:?}"),
        }
    }

    fn at(text: &str, span: Span) -> &str {
        &text[span.start - BASE..span.end - BASE]
    }

    /// Every span lies in the text, on character boundaries, children inside their parent.
    fn spans_hold(text: &str, n: &Node) {
        let _ = at(text, n.span);
        match &n.value {
            Value::Object(ms) => {
                for m in ms {
                    let _ = at(text, m.key_span);
                    assert!(n.span.start <= m.key_span.start && m.key_span.end <= n.span.end);
                    assert!(n.span.start <= m.value.span.start && m.value.span.end <= n.span.end);
                    spans_hold(text, &m.value);
                }
            }
            Value::Array(items) => {
                for i in items {
                    assert!(n.span.start <= i.span.start && i.span.end <= n.span.end);
                    spans_hold(text, i);
                }
            }
            _ => {}
        }
    }

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    fn num(v: &str) -> Value {
        Value::Num(v.into())
    }

    /// `key` holds `value`, its key span shows the key and its value span `written`.
    #[track_caller]
    fn has(text: &str, n: &Node, key: &str, value: &Value, written: &str) {
        let m = n.get(key).unwrap_or_else(|| panic!("no `{key}` in {n:?}"));
        assert_eq!(at(text, m.key_span), key, "key span of {key}");
        assert_eq!(&m.value.value, value, "value of {key}");
        assert_eq!(at(text, m.value.span), written, "value span of {key}");
    }

    fn keys(n: &Node) -> Vec<&str> {
        n.members().iter().map(|m| m.key.as_str()).collect()
    }

    const BIZ: &str = r#"{"tpData":{"appKey":"MMMabc","dealId":"470193086","tpOrderId":"T1","totalAmount":"1","returnData":{"a":"x, y=z b:c"}}}"#;

    // -- PHP print_r ------------------------------------------------------------------------

    fn print_r_order() -> String {
        format!(
            "Array\n(\n    [dealId] => 470193086\n    [appKey] => MMMabc\n    [totalAmount] => 1\n    \
             [tpOrderId] => T1\n    [dealTitle] => 测试商品 x 1 = 1 & more\n    [signFieldsRange] => 1\n    \
             [rsaSign] => Yx2b+/abc==\n    [bizInfo] => {BIZ}\n    [returnData] => \n)\n"
        )
        .trim()
        .to_owned()
    }

    const PRINT_R_ANSWER: &str = "Array\n(\n    [errno] => 0\n    [msg] => success\n    [data] => Array\n        (\n            [isConsumed] => 2\n        )\n\n)";

    #[test]
    fn print_r_order_info() {
        let t = print_r_order();
        let (form, root) = read_ok(&t);
        assert_eq!(form, Form::PhpPrintR);
        assert_eq!(root.span, Span::new(BASE, BASE + t.len()));
        assert_eq!(
            keys(&root),
            [
                "dealId",
                "appKey",
                "totalAmount",
                "tpOrderId",
                "dealTitle",
                "signFieldsRange",
                "rsaSign",
                "bizInfo",
                "returnData"
            ]
        );
        has(&t, &root, "dealId", &s("470193086"), "470193086");
        has(
            &t,
            &root,
            "dealTitle",
            &s("测试商品 x 1 = 1 & more"),
            "测试商品 x 1 = 1 & more",
        );
        has(&t, &root, "bizInfo", &s(BIZ), BIZ);
        let empty = root.get("returnData").unwrap();
        assert_eq!(empty.value.value, s(""));
        assert!(empty.value.span.is_empty());
    }

    #[test]
    fn print_r_answer_and_crlf() {
        for t in [
            PRINT_R_ANSWER.to_owned(),
            PRINT_R_ANSWER.replace('\n', "\r\n"),
        ] {
            let (_, root) = read_ok(&t);
            has(&t, &root, "errno", &s("0"), "0");
            has(&t, &root, "msg", &s("success"), "success");
            let data = &root.get("data").unwrap().value;
            assert!(at(&t, data.span).starts_with("Array") && at(&t, data.span).ends_with(')'));
            has(&t, data, "isConsumed", &s("2"), "2");
        }
    }

    #[test]
    fn print_r_on_one_line() {
        // print_r in an HTML page, copied from the browser: the line breaks are gone.
        let t = format!(
            "Array ( [appKey] => MMMabc [dealTitle] => a (b) [c] d [bizInfo] => {BIZ} [data] => Array ( [isConsumed] => 2 ) [empty] => [last] => x )"
        );
        let (form, root) = read_ok(&t);
        assert_eq!(form, Form::PhpPrintR);
        has(&t, &root, "appKey", &s("MMMabc"), "MMMabc");
        has(&t, &root, "dealTitle", &s("a (b) [c] d"), "a (b) [c] d");
        has(&t, &root, "bizInfo", &s(BIZ), BIZ);
        has(
            &t,
            &root.get("data").unwrap().value,
            "isConsumed",
            &s("2"),
            "2",
        );
        assert_eq!(root.get("empty").unwrap().value.value, s(""));
        has(&t, &root, "last", &s("x"), "x");
    }

    #[test]
    fn print_r_objects_lists_and_long_values() {
        let t = "stdClass Object\n(\n    [appKey] => MMMabc\n    [secret:protected] => k\n    \
                 [key:App\\Pay:private] => -----BEGIN KEY-----\nAAAA\nBBBB\n-----END KEY-----\n    \
                 [list] => Array\n        (\n            [0] => a\n            [1] => b\n        )\n\n    \
                 [none] => Array\n        (\n        )\n\n    [status] => App\\Status Enum:int\n        (\n            [name] => Paid\n            [value] => 2\n        )\n\n)";
        let (_, root) = read_ok(t);
        assert!(root.is_object());
        has(t, &root, "secret", &s("k"), "k");
        // `echo print_r($params);` adds print_r's return value.
        let echoed = format!("{t}\n1");
        let (_, again) = read_ok(&echoed);
        assert_eq!(again.span, root.span);
        let pem = "-----BEGIN KEY-----\nAAAA\nBBBB\n-----END KEY-----";
        has(t, &root, "key", &s(pem), pem);
        let Value::Array(list) = &root.get("list").unwrap().value.value else {
            panic!("a list is an array")
        };
        assert_eq!(
            list.iter().map(|n| at(t, n.span)).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(
            root.get("none").unwrap().value.value,
            Value::Array(Vec::new())
        );
        has(t, &root.get("status").unwrap().value, "value", &s("2"), "2");
    }

    // -- PHP var_dump -----------------------------------------------------------------------

    fn vd_str(v: &str) -> String {
        format!("string({}) \"{v}\"", v.len())
    }

    fn var_dump_order() -> String {
        let title = "He said \"hi\"\n\"]=>\nint(1)";
        format!(
            "array(6) {{\n  [\"dealId\"]=>\n  {}\n  [\"appKey\"]=>\n  {}\n  [\"totalAmount\"]=>\n  int(1)\n  \
             [\"dealTitle\"]=>\n  {}\n  [\"bizInfo\"]=>\n  {}\n  [\"price\"]=>\n  float(0.01)\n}}",
            vd_str("470193086"),
            vd_str("MMMabc"),
            vd_str(title),
            vd_str(BIZ)
        )
    }

    const VAR_DUMP_ANSWER: &str = "array(3) {\n  [\"errno\"]=>\n  int(0)\n  [\"msg\"]=>\n  string(7) \"success\"\n  [\"data\"]=>\n  array(1) {\n    [\"isConsumed\"]=>\n    int(2)\n  }\n}";

    #[test]
    fn var_dump_order_info() {
        let t = var_dump_order();
        let (form, root) = read_ok(&t);
        assert_eq!(form, Form::PhpVarDump);
        assert_eq!(root.span, Span::new(BASE, BASE + t.len()));
        has(&t, &root, "dealId", &s("470193086"), "\"470193086\"");
        has(&t, &root, "totalAmount", &num("1"), "1");
        // The declared length reads a string holding quotes, line breaks and what looks like a key.
        let title = "He said \"hi\"\n\"]=>\nint(1)";
        has(&t, &root, "dealTitle", &s(title), &format!("\"{title}\""));
        has(&t, &root, "bizInfo", &s(BIZ), &format!("\"{BIZ}\""));
        has(&t, &root, "price", &num("0.01"), "0.01");
        assert_eq!(root.members().len(), 6);
    }

    #[test]
    fn var_dump_answer_types_and_objects() {
        let (_, root) = read_ok(VAR_DUMP_ANSWER);
        let t = VAR_DUMP_ANSWER;
        has(t, &root, "errno", &num("0"), "0");
        has(t, &root, "msg", &s("success"), "\"success\"");
        has(
            t,
            &root.get("data").unwrap().value,
            "isConsumed",
            &num("2"),
            "2",
        );
        let t = "object(stdClass)#1 (5) {\n  [\"ok\"]=>\n  bool(true)\n  [\"x\"]=>\n  NULL\n  [\"p\":protected]=>\n  \
                 int(-3)\n  [\"q\":\"App\\Pay\":private]=>\n  float(1.0E+25)\n  [\"l\"]=>\n  array(2) {\n    [0]=>\n    \
                 string(1) \"a\"\n    [1]=>\n    string(0) \"\"\n  }\n}";
        let (_, root) = read_ok(t);
        assert!(root.is_object());
        has(t, &root, "ok", &Value::Bool(true), "true");
        has(t, &root, "x", &Value::Null, "NULL");
        has(t, &root, "p", &num("-3"), "-3");
        has(t, &root, "q", &num("1.0E+25"), "1.0E+25");
        let Value::Array(l) = &root.get("l").unwrap().value.value else {
            panic!("keys 0, 1 make a list")
        };
        assert_eq!(l[1].value, s(""));
        assert_eq!(at(t, l[1].span), "\"\"");
    }

    #[test]
    fn var_dump_on_one_line_and_cut_short() {
        // paste-forms.md: the HTML page's var_dump, and `...` for what was left out.
        let t = r#"array(3) { ["appKey"]=> string(6) "MMMxyz" ["dealId"]=> string(9) "410000001" ... }"#;
        let (_, root) = read_ok(t);
        has(t, &root, "dealId", &s("410000001"), "\"410000001\"");
        // A length that does not fit (the value was edited after printing).
        let t = "array(1) {\n  [\"appKey\"]=>\n  string(3) \"MMMabc\"\n}";
        let (_, root) = read_ok(t);
        has(t, &root, "appKey", &s("MMMabc"), "\"MMMabc\"");
    }

    #[test]
    fn xdebug_text_and_html() {
        let t = "/var/www/pay/notify.php:12:\narray(3) {\n  'errno' =>\n  int(0)\n  'msg' =>\n  string(7) \"success\"\n  \
                 'data' =>\n  class stdClass#2 (1) {\n    public $isConsumed =>\n    int(2)\n  }\n}";
        let (form, root) = read_ok(t);
        assert_eq!(form, Form::PhpVarDump);
        assert!(at(t, root.span).starts_with("array(3)"));
        has(t, &root, "msg", &s("success"), "\"success\"");
        has(
            t,
            &root.get("data").unwrap().value,
            "isConsumed",
            &num("2"),
            "2",
        );

        let t = "/var/www/pay/notify.php:12:\narray (size=5)\n  'errno' => int 0\n  'msg' => string 'it's ok' (length=7)\n  \
                 'data' => \n    array (size=1)\n      'isConsumed' => int 2\n  'extra' => \n    object(stdClass)[3]\n      \
                 public 'a' => float 0.01\n      protected 'b' => boolean true\n  'n' => null";
        let (form, root) = read_ok(t);
        assert_eq!(form, Form::PhpVarDump);
        has(t, &root, "errno", &num("0"), "0");
        has(t, &root, "msg", &s("it's ok"), "'it's ok'");
        has(
            t,
            &root.get("data").unwrap().value,
            "isConsumed",
            &num("2"),
            "2",
        );
        let extra = &root.get("extra").unwrap().value;
        has(t, extra, "a", &num("0.01"), "0.01");
        has(t, extra, "b", &Value::Bool(true), "true");
        has(t, &root, "n", &Value::Null, "null");
        assert_eq!(root.members().len(), 5);
        let t = "array (size=3)\n  0 => string 'a' (length=1)\n  1 => string 'b' (length=1)\n  more elements...";
        let (_, root) = read_ok(t);
        assert!(matches!(root.value, Value::Array(ref l) if l.len() == 2));
    }

    // -- PHP var_export ---------------------------------------------------------------------

    const VAR_EXPORT_ANSWER: &str = "array (\n  'errno' => 0,\n  'msg' => 'success',\n  'data' => \n  array (\n    'isConsumed' => 2,\n  ),\n)";

    #[test]
    fn var_export_order_info_and_answer() {
        let t = format!(
            "array (\n  'dealId' => '470193086',\n  'appKey' => 'MMMabc',\n  'totalAmount' => 1,\n  \
             'dealTitle' => 'it\\'s a \\\\ test',\n  'bizInfo' => '{BIZ}',\n  'price' => 0.01,\n  'x' => NULL,\n  \
             'ok' => true,\n  'nul' => 'a' . \"\\0\" . 'b',\n  5 => 'five',\n)"
        );
        let (form, root) = read_ok(&t);
        assert_eq!(form, Form::PhpVarExport);
        has(&t, &root, "dealId", &s("470193086"), "'470193086'");
        has(&t, &root, "totalAmount", &num("1"), "1");
        let m = root.get("dealTitle").unwrap();
        assert_eq!(m.value.value, s("it's a \\ test"));
        assert_eq!(at(&t, m.value.span), "'it\\'s a \\\\ test'");
        has(&t, &root, "bizInfo", &s(BIZ), &format!("'{BIZ}'"));
        has(&t, &root, "x", &Value::Null, "NULL");
        has(&t, &root, "ok", &Value::Bool(true), "true");
        has(&t, &root, "nul", &s("a\0b"), "'a' . \"\\0\" . 'b'");
        has(&t, &root, "5", &s("five"), "'five'");

        let (_, root) = read_ok(VAR_EXPORT_ANSWER);
        let t = VAR_EXPORT_ANSWER;
        has(t, &root, "errno", &num("0"), "0");
        has(t, &root, "msg", &s("success"), "'success'");
        has(
            t,
            &root.get("data").unwrap().value,
            "isConsumed",
            &num("2"),
            "2",
        );
    }

    #[test]
    fn var_export_variants() {
        // paste-forms.md's one-line form.
        let t = "array ( 'appKey' => 'MMMxyz', 'dealId' => '410000001', )";
        let (_, root) = read_ok(t);
        has(t, &root, "appKey", &s("MMMxyz"), "'MMMxyz'");
        // `json_encode` makes the empty array `[]`: the answer's data is then no object.
        let t = "array (\n  'errno' => 0,\n  'data' => \n  array (\n  ),\n  'obj' => \n  (object) array(\n     'a' => 1,\n  ),\n  \
                 'st' => \n  \\App\\Resp::__set_state(array(\n     'b' => 2,\n  )),\n  'l' => array('x', 'y'),\n)";
        let (_, root) = read_ok(t);
        assert_eq!(
            root.get("data").unwrap().value.value,
            Value::Array(Vec::new())
        );
        has(t, &root.get("obj").unwrap().value, "a", &num("1"), "1");
        let st = &root.get("st").unwrap().value;
        assert!(
            at(t, st.span).starts_with("\\App\\Resp::__set_state(")
                && at(t, st.span).ends_with("))")
        );
        has(t, st, "b", &num("2"), "2");
        assert!(matches!(root.get("l").unwrap().value.value, Value::Array(ref l) if l.len() == 2));
        // A PHP array literal from code reads the same.
        let t = "array(\"appKey\" => \"MMM\\x41\", 'n' => -1.5)";
        let (_, root) = read_ok(t);
        has(t, &root, "appKey", &s("MMMA"), "\"MMM\\x41\"");
        has(t, &root, "n", &num("-1.5"), "-1.5");
    }

    // -- Java -------------------------------------------------------------------------------

    #[test]
    fn java_map_order_info_and_answer() {
        let t = format!(
            "{{appKey=MMMabc, bizInfo={BIZ}, dealId=470193086, dealTitle=T-shirt, size M (red), a=b, \
             rsaSign=abc+/==, returnData=, totalAmount=1, tpOrderId=T1}}"
        );
        let (form, root) = read_ok(&t);
        assert_eq!(form, Form::JavaMap);
        has(&t, &root, "bizInfo", &s(BIZ), BIZ);
        has(
            &t,
            &root,
            "dealTitle",
            &s("T-shirt, size M (red)"),
            "T-shirt, size M (red)",
        );
        has(&t, &root, "rsaSign", &s("abc+/=="), "abc+/==");
        has(&t, &root, "tpOrderId", &s("T1"), "T1");
        let empty = &root.get("returnData").unwrap().value;
        assert_eq!((empty.value.clone(), empty.span.len()), (s(""), 0));
        assert_eq!(root.members().len(), 9);

        let t = "{errno=0, msg=success, data={isConsumed=2}}";
        let (_, root) = read_ok(t);
        has(t, &root, "errno", &s("0"), "0");
        let data = &root.get("data").unwrap().value;
        assert_eq!(at(t, data.span), "{isConsumed=2}");
        has(t, data, "isConsumed", &s("2"), "2");
        let t = "{errno=0, msg=success, data={}}";
        let (_, root) = read_ok(t);
        assert_eq!(
            root.get("data").unwrap().value.value,
            Value::Object(Vec::new())
        );
    }

    #[test]
    fn java_to_strings() {
        // request.getParameterMap(): arrays print as `[Ljava.lang.String;@…`.
        let t = "{userId=[Ljava.lang.String;@6d06d69c, orderId=[Ljava.lang.String;@7852e922}";
        let (_, root) = read_ok(t);
        has(
            t,
            &root,
            "orderId",
            &s("[Ljava.lang.String;@7852e922"),
            "[Ljava.lang.String;@7852e922",
        );
        // Lombok / Kotlin, IntelliJ and records.
        let t = "NotifyResponse(errno=0, msg=success, data=Data(isConsumed=2))";
        let (form, root) = read_ok(t);
        assert_eq!(form, Form::JavaMap);
        has(
            t,
            &root.get("data").unwrap().value,
            "isConsumed",
            &s("2"),
            "2",
        );
        let t = "OrderInfo{appKey='MMM, abc', dealId=470193086, note=null}";
        let (_, root) = read_ok(t);
        has(t, &root, "appKey", &s("MMM, abc"), "'MMM, abc'");
        has(t, &root, "note", &s("null"), "null");
        let t = "Resp[errno=0, list=[a, b], data={isConsumed=2}]";
        let (_, root) = read_ok(t);
        has(t, &root, "list", &s("[a, b]"), "[a, b]");
        has(
            t,
            &root.get("data").unwrap().value,
            "isConsumed",
            &s("2"),
            "2",
        );
    }

    // -- Go ---------------------------------------------------------------------------------

    #[test]
    fn go_map_order_info_and_answer() {
        let t = format!(
            "map[appKey:MMMabc bizInfo:{BIZ} dealId:4.70193086e+08 dealTitle:T-shirt size M payTime:2024-03-02 10:11:12 +0800 CST \
             returnData: rsaSign:abc+/== totalAmount:1 tpOrderId:T1]"
        );
        let (form, root) = read_ok(&t);
        assert_eq!(form, Form::GoMap);
        has(&t, &root, "bizInfo", &s(BIZ), BIZ);
        has(&t, &root, "dealId", &s("4.70193086e+08"), "4.70193086e+08");
        has(
            &t,
            &root,
            "dealTitle",
            &s("T-shirt size M"),
            "T-shirt size M",
        );
        has(
            &t,
            &root,
            "payTime",
            &s("2024-03-02 10:11:12 +0800 CST"),
            "2024-03-02 10:11:12 +0800 CST",
        );
        assert_eq!(root.get("returnData").unwrap().value.value, s(""));
        has(&t, &root, "tpOrderId", &s("T1"), "T1");

        let t = "map[data:map[isConsumed:2] errno:0 msg:success]";
        let (_, root) = read_ok(t);
        let data = &root.get("data").unwrap().value;
        assert_eq!(at(t, data.span), "map[isConsumed:2]");
        has(t, data, "isConsumed", &s("2"), "2");
        has(t, &root, "msg", &s("success"), "success");
    }

    #[test]
    fn go_structs_and_slices() {
        let t = "&{Errno:0 Msg:success Data:{IsConsumed:2} Ptr:0xc000012345 Err:<nil>}";
        let (form, root) = read_ok(t);
        assert_eq!(form, Form::GoMap);
        has(t, &root, "Msg", &s("success"), "success");
        has(
            t,
            &root.get("Data").unwrap().value,
            "IsConsumed",
            &s("2"),
            "2",
        );
        has(t, &root, "Err", &s("<nil>"), "<nil>");
        // paste-forms.md: the key stays as written.
        let t = "{AppKey:MMMxyz DealID:410000001}";
        let (_, root) = read_ok(t);
        has(t, &root, "DealID", &s("410000001"), "410000001");
        // url.Values / r.Form
        let t = "map[appKey:[MMMabc] list:[a b [c d]] json:[\"a\",\"b\"] none:[]]";
        let (_, root) = read_ok(t);
        let Value::Array(v) = &root.get("appKey").unwrap().value.value else {
            panic!("a slice is an array")
        };
        assert_eq!(at(t, v[0].span), "MMMabc");
        let Value::Array(l) = &root.get("list").unwrap().value.value else {
            panic!("a slice is an array")
        };
        assert_eq!(l.len(), 3);
        assert!(matches!(l[2].value, Value::Array(_)));
        has(t, &root, "json", &s("[\"a\",\"b\"]"), "[\"a\",\"b\"]");
        assert_eq!(
            root.get("none").unwrap().value.value,
            Value::Array(Vec::new())
        );
    }

    // -- Python -----------------------------------------------------------------------------

    #[test]
    fn python_dict_order_info_and_answer() {
        let t = format!(
            "{{'dealId': 470193086, 'appKey': 'MMMabc', 'totalAmount': '1', 'dealTitle': \"it's \\\\ 中\\n\\x41\\u4e2d\", \
             'bizInfo': '{BIZ}', 'ok': True, 'x': None, 'f': 0.01, 'l': ['a', ('b', 1)], 'd': Decimal('1.00'), \
             u'py2': u'old', 'at': datetime.datetime(2024, 3, 2, 10, 11)}}"
        );
        let (form, root) = read_ok(&t);
        assert_eq!(form, Form::PythonDict);
        has(&t, &root, "dealId", &num("470193086"), "470193086");
        has(&t, &root, "appKey", &s("MMMabc"), "'MMMabc'");
        let m = root.get("dealTitle").unwrap();
        assert_eq!(m.value.value, s("it's \\ 中\nA中"));
        assert_eq!(at(&t, m.value.span), "\"it's \\\\ 中\\n\\x41\\u4e2d\"");
        has(&t, &root, "bizInfo", &s(BIZ), &format!("'{BIZ}'"));
        has(&t, &root, "ok", &Value::Bool(true), "True");
        has(&t, &root, "x", &Value::Null, "None");
        has(&t, &root, "f", &num("0.01"), "0.01");
        has(&t, &root, "d", &num("1.00"), "Decimal('1.00')");
        has(&t, &root, "py2", &s("old"), "u'old'");
        has(
            &t,
            &root,
            "at",
            &s("datetime.datetime(2024, 3, 2, 10, 11)"),
            "datetime.datetime(2024, 3, 2, 10, 11)",
        );
        assert!(matches!(root.get("l").unwrap().value.value, Value::Array(ref l) if l.len() == 2));

        let t = "{'errno': 0, 'msg': 'success', 'data': {'isConsumed': 2}}";
        let (_, root) = read_ok(t);
        has(t, &root, "errno", &num("0"), "0");
        has(
            t,
            &root.get("data").unwrap().value,
            "isConsumed",
            &num("2"),
            "2",
        );
        // pprint breaks long dicts over lines.
        let t = "{'appKey': 'MMMabc',\n 'bizInfo': '{\"tpData\": {}}',\n 'dealId': '470193086'}";
        let (_, root) = read_ok(t);
        has(t, &root, "dealId", &s("470193086"), "'470193086'");
    }

    #[test]
    fn python_framework_dicts() {
        let t = "<QueryDict: {'userId': ['1'], 'orderId': ['2']}>";
        let (form, root) = read_ok(t);
        assert_eq!(form, Form::PythonDict);
        assert_eq!(root.span, Span::new(BASE, BASE + t.len()));
        assert_eq!(keys(&root), ["userId", "orderId"]);
        let t = "OrderedDict([('errno', 0), ('msg', 'success'), ('data', OrderedDict([('isConsumed', 2)]))])";
        let (_, root) = read_ok(t);
        has(t, &root, "msg", &s("success"), "'success'");
        has(
            t,
            &root.get("data").unwrap().value,
            "isConsumed",
            &num("2"),
            "2",
        );
        let t = "ImmutableMultiDict([('userId', '1'), ('rsaSign', 'a+b/c==')])";
        let (_, root) = read_ok(t);
        has(t, &root, "rsaSign", &s("a+b/c=="), "'a+b/c=='");
    }

    // -- What is not a print-out, and what is a broken one ------------------------------------

    #[test]
    fn near_misses_are_left_to_the_other_readers() {
        for t in [
            r#"{"a":1}"#,
            r#"{"errno":0,"msg":"success","data":{"isConsumed":2}}"#,
            "{a: 1}",
            "{dealId: '410000001', appKey: 'MMMxyz', totalAmount: '100', tpOrderId: 'A1', bizInfo: {…}, …}",
            "{AppKey: 1}",
            "{AppKey:1}",
            "{'a': 1, b: 2}",
            "{}",
            "[1, 2]",
            "a=1&b=2",
            "userId=1&orderId=2&rsaSign=abc%2B",
            "success",
            "Array of fields (see below)",
            "Array",
            "The array(3) was empty",
            "map of fields",
            "dict(a=1, b=2)",
            "swan.requestPolymerPayment({orderInfo: {dealId: '1'}})",
            "java.lang.IllegalStateException: bad sign\n\tat com.x.PayController.notify(PayController.java:42)\n\tat sun.reflect.X(Unknown Source)",
            "Exception in thread \"main\" java.lang.NullPointerException\n\tat Foo.main(Foo.java:3)",
            "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\n    x = {'a': 1}\nKeyError: 'b'",
            "PHP Fatal error:  Uncaught Error: Call to undefined function foo() in /var/www/a.php:3",
            "2024-03-02 10:11:12.345 INFO [http-nio-8080-exec-3] c.x.PayController - notify params: {a=1}",
            "https://shop.example/notify?a=1",
            "",
        ] {
            assert!(read(t, BASE).is_none(), "taken: {t:?}");
        }
    }

    #[test]
    fn truncated_print_outs_say_where_reading_stopped() {
        let cut = |t: &str, n: usize| t[..t.len() - n].trim_end().to_owned();
        let cases = [
            cut(&print_r_order(), 2),
            cut(PRINT_R_ANSWER, 15),
            cut(&var_dump_order(), 2),
            cut(VAR_DUMP_ANSWER, 6),
            cut(VAR_EXPORT_ANSWER, 2),
            "{errno=0, msg=success, data={isConsumed=2".into(),
            "{errno=0, msg=succ".into(),
            "map[data:map[isConsumed:2] errno:0".into(),
            "{'errno': 0, 'msg': 'succ".into(),
            "{'errno': 0, 'data': {'isConsumed': 2".into(),
        ];
        for t in &cases {
            let e = read_err(t);
            assert_eq!(e.span.start, BASE + t.len(), "{t:?}: {e}");
            assert_eq!(e.found.en, "the end of the text", "{t:?}");
        }
        // A cut inside a var_dump string: the declared length runs past the end.
        let t = "array(1) {\n  [\"rsaSign\"]=>\n  string(172) \"abc";
        let e = read_err(t);
        assert!(e.expected.en.contains("172 bytes"), "{e}");
        // Something that is no value says so, and where.
        let t = "array(2) {\n  [\"a\"]=>\n  int(1)\n  [\"b\"]=>\n  mystery\n}";
        let e = read_err(t);
        assert_eq!(at(t, e.span), "mystery");
        assert!(e.found.en.contains("mystery") && e.expected.zh.contains("值"));
        let t = "{'a': 1} trailing words";
        let e = read_err(t);
        assert_eq!(at(t, e.span), "trailing");
    }

    // -- Robustness ---------------------------------------------------------------------------

    fn samples() -> Vec<String> {
        vec![
            print_r_order(),
            PRINT_R_ANSWER.into(),
            "Array ( [a] => 1 [b] => Array ( [c] => 2 ) )".into(),
            var_dump_order(),
            VAR_DUMP_ANSWER.into(),
            "/x.php:1:\narray (size=2)\n  'a' => string 'x' (length=1)\n  'o' => \n    object(stdClass)[1]\n      public 'b' => int 1".into(),
            VAR_EXPORT_ANSWER.into(),
            format!("{{a=[I@1f, b={BIZ}, c=X(d=1), e='q'}}"),
            format!("map[a:[x y] b:{BIZ} c:&{{D:1}}]"),
            "{'a': b'\\xe4\\xb8\\xad', 'b': r'\\d', 'c': OrderedDict({'d': (1,)})}".into(),
        ]
    }

    #[test]
    fn no_prefix_or_mutation_panics() {
        for t in samples() {
            for (i, _) in t.char_indices() {
                let _ = read(&t[..i], BASE);
                let _ = read(t[..i].trim(), BASE);
            }
            // Bytes replaced by characters that matter to some reader.
            let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
            let swaps = [
                '"', '\'', '\\', '[', ']', '{', '}', '(', ')', '=', ':', ',', ' ', '\n', '中',
            ];
            for _ in 0..400 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let mut chars: Vec<char> = t.chars().collect();
                let at = (seed as usize) % chars.len();
                chars[at] = swaps[(seed >> 32) as usize % swaps.len()];
                let m: String = chars.into_iter().collect();
                if let Some(Ok((_, n))) = read(&m, BASE) {
                    spans_hold(&m, &n);
                }
            }
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        for (open, n) in [
            ("Array\n(\n    [a] => ", 2000),
            ("array(1) {\n[\"a\"]=>\n", 2000),
            ("array (size=1)\n 'a' => \n", 2000),
            ("array (\n'a' => ", 2000),
            ("{a=", 2000),
            ("map[a:", 2000),
            ("{'a': ", 2000),
        ] {
            let t = open.repeat(n);
            assert!(matches!(read(&t, BASE), Some(Err(_))), "{open}");
        }
        let t = format!("{}1{}", "{'a': ".repeat(60), "}".repeat(60));
        assert!(matches!(read(&t, BASE), Some(Ok(_))));
    }

    #[test]
    fn long_inputs_stay_linear() {
        // Unbalanced brackets in every value, long runs of white space, unclosed strings.
        let n = 20_000;
        let mut cases = vec![
            format!("{{{}z=1}}", "a=[, ".repeat(n)),
            format!("{{{}z=1", "a={b=(, ".repeat(n)),
            format!("map[{}z:1]", "a:[ ".repeat(n)),
            format!("map[a:{}x]", " ".repeat(n * 10)),
            format!("Array ( [a] => {} )", "[b ".repeat(n)),
            format!("Array\n(\n{}\n)", "    [a] => x\n  y\n".repeat(n)),
            format!("{{'a': '{}", "x".repeat(n * 10)),
            format!("array(1) {{ [\"a\"]=> string(1) \"{}", "\" x".repeat(n)),
        ];
        // One-line print-outs (HTML drops the line breaks).
        cases.push(format!(
            "array({n}) {{ {}}}",
            "[0]=> int(1) [\"b\"]=> bool(true) ".repeat(n)
        ));
        cases.push(format!(
            "array (size={n}) {}",
            "'a' => int 1 0 => null ".repeat(n)
        ));
        cases.push(format!("{{{}}}", "a=1, ".repeat(n) + "b=2"));
        for t in &cases {
            let start = std::time::Instant::now();
            let _ = read(t, BASE);
            assert!(start.elapsed().as_secs() < 5, "slow on {}", &t[..40]);
        }
        let (_, root) = read_ok(cases.last().unwrap());
        assert_eq!(root.members().len(), n + 1);
    }
}
