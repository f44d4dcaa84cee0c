//! Go: `%v` of a map `map[k:v k:v]`, `%+v` of a struct `{Key:v Key:v}` / `&{…}`, slices `[a b]`.

use super::{
    Cur, Res, Which, at_text_end, fail, fail_at_end, ident_then, member, too_deep, unquoted_end,
};
use crate::msg;
use crate::payload::json::{MAX_DEPTH, Node, Value};

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

pub(super) fn go_root(s: &[u8]) -> Option<Which> {
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

pub(super) fn go_obj(c: &mut Cur, depth: usize) -> Res<Node> {
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

#[cfg(test)]
mod tests {
    use crate::payload::Form;
    use crate::payload::json::Value;
    use crate::payload::paste::dumps::tests::{BIZ, at, has, read_ok, s};

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
}
