//! PHP's print-outs: `print_r`, `var_dump` (with Xdebug's text and HTML variants) and
//! `var_export`; and what they share: arrays that become lists as `json_encode` makes them,
//! numbers as PHP prints them, single-quoted strings.

pub(super) mod print_r;
pub(super) mod var_dump;
pub(super) mod var_export;
pub(super) mod xdebug;

use memchr::memchr2;

use super::{Cur, Res, fail};
use crate::msg;
use crate::payload::json::{Member, Node, Value};
use crate::source::Span;

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

/// An integer or float as PHP prints it: `1`, `-0.5`, `1.0E+25`, `INF`, `NAN`.
fn is_php_number(t: &str) -> bool {
    let u = t.trim_start_matches('-');
    matches!(u, "INF" | "NAN")
        || (u.bytes().next().is_some_and(|b| b.is_ascii_digit())
            && t.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')))
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
