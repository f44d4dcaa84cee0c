//! PHP `var_export` (and PHP array literals, which read the same).

use memchr::memchr2;

use super::{is_php_number, php_node, single_quoted};
use crate::msg;
use crate::payload::json::{MAX_DEPTH, Node, Value};
use crate::payload::paste::dumps::escape::escape;
use crate::payload::paste::dumps::{Cur, Res, fail, member, too_deep};
use crate::source::Span;

pub(in crate::payload::paste::dumps) fn ve_header(s: &[u8]) -> bool {
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

pub(in crate::payload::paste::dumps) fn ve_value(c: &mut Cur, depth: usize) -> Res<Node> {
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

#[cfg(test)]
mod tests {
    use crate::payload::Form;
    use crate::payload::json::Value;
    use crate::payload::paste::dumps::tests::{BIZ, VAR_EXPORT_ANSWER, at, has, num, read_ok, s};

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
}
