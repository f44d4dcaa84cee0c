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
//!
//! This module finds which print-out the text is and holds the cursor and the helpers the
//! readers share; the readers are in `php` (`print_r`, `var_dump` with Xdebug's variants,
//! `var_export`), `java`, `go` and `python`, and `escape` decodes the backslash escapes of
//! PHP's and Python's strings.

mod escape;
mod go;
mod java;
mod php;
mod python;

use memchr::{memchr, memchr2, memrchr};
use smol_str::SmolStr;

use crate::message::Msg;
use crate::msg;
use crate::payload::Form;
use crate::payload::json::{self, MAX_DEPTH, Member, Node, ParseError, Value};
use crate::source::{Span, floor_char_boundary};
use go::{go_obj, go_root};
use java::{jv_obj, jv_root};
use php::print_r::{pr_open, print_r_root};
use php::var_dump::{vd_header, vd_value};
use php::var_export::{ve_header, ve_value};
use php::xdebug::{xh_header, xh_value};
use python::{py_root, py_value};

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

#[cfg(test)]
mod tests;
