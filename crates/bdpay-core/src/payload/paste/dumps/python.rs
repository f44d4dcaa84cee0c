//! Python: `repr` of a dict, pprint's, Django's `<QueryDict: {…}>`, `OrderedDict([(k, v)])`.

use memchr::memchr2;

use super::escape::escape;
use super::{Cur, Nest, Res, fail, member, too_deep};
use crate::msg;
use crate::payload::json::{MAX_DEPTH, Member, Node, Value};
use crate::source::Span;

pub(super) fn py_root(s: &[u8]) -> bool {
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

pub(super) fn py_value(c: &mut Cur, depth: usize) -> Res<Node> {
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
    use crate::payload::Form;
    use crate::payload::json::Value;
    use crate::payload::paste::dumps::tests::{BASE, BIZ, at, has, keys, num, read_ok, s};
    use crate::source::Span;

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
}
