//! PHP `var_dump`, and Xdebug's text variant (`'key' =>`, `class Foo#1 (2) {`).

use memchr::{memchr, memmem};
use smol_str::SmolStr;

use super::{is_php_number, php_node, single_quoted};
use crate::msg;
use crate::payload::json::{MAX_DEPTH, Member, Node, Value};
use crate::payload::paste::dumps::{Cur, Res, fail, fail_at_end, line_end, too_deep};
use crate::source::Span;

pub(in crate::payload::paste::dumps) fn vd_header(s: &[u8], at: usize) -> bool {
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

pub(in crate::payload::paste::dumps) fn vd_value(c: &mut Cur, depth: usize) -> Res<Node> {
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

#[cfg(test)]
mod tests {
    use crate::payload::Form;
    use crate::payload::json::Value;
    use crate::payload::paste::dumps::tests::{
        BASE, BIZ, VAR_DUMP_ANSWER, at, has, num, read_ok, s, var_dump_order,
    };
    use crate::source::Span;

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
}
