//! Java: `Map.toString()` `{k=v, k=v}`, Lombok / Kotlin `Name(k=v)`, IntelliJ `Name{k='v'}`,
//! records `Name[k=v]`. Values are unquoted: a value runs to the next `, key=` or the closing
//! bracket outside the brackets it opens.

use super::{Cur, Res, at_text_end, fail, fail_at_end, ident_then, member, too_deep, unquoted_end};
use crate::msg;
use crate::payload::json::{MAX_DEPTH, Node, Value};

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

pub(super) fn jv_root(s: &[u8]) -> bool {
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

pub(super) fn jv_obj(c: &mut Cur, depth: usize) -> Res<Node> {
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

#[cfg(test)]
mod tests {
    use crate::payload::Form;
    use crate::payload::json::Value;
    use crate::payload::paste::dumps::tests::{BIZ, at, has, read_ok, s};

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
}
