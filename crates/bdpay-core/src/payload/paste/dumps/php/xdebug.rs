//! Xdebug's HTML `var_dump`, copied from the page: `array (size=2)` /
//! `'appKey' => string 'MMMabc' (length=6)` / `'n' => int 1`.

use memchr::memmem;
use smol_str::SmolStr;

use super::{is_php_number, php_node};
use crate::msg;
use crate::payload::json::{MAX_DEPTH, Member, Node, Value};
use crate::payload::paste::dumps::{Cur, Res, fail, fail_at_end, indent_of, line_end, too_deep};
use crate::source::Span;

pub(in crate::payload::paste::dumps) fn xh_header(s: &[u8], at: usize) -> bool {
    let r = &s[at..];
    if r.starts_with(b"array (size=") {
        return true;
    }
    r.strip_prefix(b"object(").is_some_and(|rest| {
        let line = &rest[..line_end(rest, 0)];
        memmem::find(line, b")[").is_some_and(|i| i > 0)
    })
}

pub(in crate::payload::paste::dumps) fn xh_value(c: &mut Cur, depth: usize) -> Res<Node> {
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

#[cfg(test)]
mod tests {
    use crate::payload::Form;
    use crate::payload::json::Value;
    use crate::payload::paste::dumps::tests::{at, has, num, read_ok, s};

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
}
