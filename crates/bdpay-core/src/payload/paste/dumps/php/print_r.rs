//! PHP `print_r`: `Array ( [key] => value )` and `Foo Object ( … )`, printed with line breaks
//! or on one line (as HTML shows it).

use memchr::memmem;
use smol_str::SmolStr;

use super::php_node;
use crate::msg;
use crate::payload::json::{MAX_DEPTH, Member, Node, Value};
use crate::payload::paste::dumps::{Cur, Res, fail, line_end, too_deep};
use crate::source::Span;

/// Where a `print_r` array or object header at `at` opens its `(`, and whether it is an object:
/// `Array`, `stdClass Object`, `App\Order Object`, `Suit Enum` / `Suit Enum:string`, then `(`
/// followed by a key or the closing `)`.
pub(in crate::payload::paste::dumps) fn pr_open(s: &[u8], at: usize) -> Option<(usize, bool)> {
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

pub(in crate::payload::paste::dumps) fn print_r_root(c: &mut Cur) -> Res<Node> {
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

#[cfg(test)]
mod tests {
    use crate::payload::Form;
    use crate::payload::json::Value;
    use crate::payload::paste::dumps::tests::{
        BASE, BIZ, PRINT_R_ANSWER, at, has, keys, print_r_order, read_ok, s,
    };
    use crate::source::Span;

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
}
