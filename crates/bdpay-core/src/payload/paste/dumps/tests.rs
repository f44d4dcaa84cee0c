//! Tests across the print-outs (what is none, what is cut or broken, robustness), and the
//! helpers and samples the readers' own tests share.

use super::read;
use crate::payload::Form;
use crate::payload::json::{Node, ParseError, Value};
use crate::source::Span;

/// Where the print-out sits in the pasted source: every span must be shifted by it.
pub(super) const BASE: usize = 1000;

pub(super) fn read_ok(text: &str) -> (Form, Node) {
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

pub(super) fn at(text: &str, span: Span) -> &str {
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

pub(super) fn s(v: &str) -> Value {
    Value::Str(v.into())
}

pub(super) fn num(v: &str) -> Value {
    Value::Num(v.into())
}

/// `key` holds `value`, its key span shows the key and its value span `written`.
#[track_caller]
pub(super) fn has(text: &str, n: &Node, key: &str, value: &Value, written: &str) {
    let m = n.get(key).unwrap_or_else(|| panic!("no `{key}` in {n:?}"));
    assert_eq!(at(text, m.key_span), key, "key span of {key}");
    assert_eq!(&m.value.value, value, "value of {key}");
    assert_eq!(at(text, m.value.span), written, "value span of {key}");
}

pub(super) fn keys(n: &Node) -> Vec<&str> {
    n.members().iter().map(|m| m.key.as_str()).collect()
}

pub(super) const BIZ: &str = r#"{"tpData":{"appKey":"MMMabc","dealId":"470193086","tpOrderId":"T1","totalAmount":"1","returnData":{"a":"x, y=z b:c"}}}"#;

pub(super) fn print_r_order() -> String {
    format!(
        "Array\n(\n    [dealId] => 470193086\n    [appKey] => MMMabc\n    [totalAmount] => 1\n    \
             [tpOrderId] => T1\n    [dealTitle] => 测试商品 x 1 = 1 & more\n    [signFieldsRange] => 1\n    \
             [rsaSign] => Yx2b+/abc==\n    [bizInfo] => {BIZ}\n    [returnData] => \n)\n"
    )
    .trim()
    .to_owned()
}

pub(super) const PRINT_R_ANSWER: &str = "Array\n(\n    [errno] => 0\n    [msg] => success\n    [data] => Array\n        (\n            [isConsumed] => 2\n        )\n\n)";

fn vd_str(v: &str) -> String {
    format!("string({}) \"{v}\"", v.len())
}

pub(super) fn var_dump_order() -> String {
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

pub(super) const VAR_DUMP_ANSWER: &str = "array(3) {\n  [\"errno\"]=>\n  int(0)\n  [\"msg\"]=>\n  string(7) \"success\"\n  [\"data\"]=>\n  array(1) {\n    [\"isConsumed\"]=>\n    int(2)\n  }\n}";

pub(super) const VAR_EXPORT_ANSWER: &str = "array (\n  'errno' => 0,\n  'msg' => 'success',\n  'data' => \n  array (\n    'isConsumed' => 2,\n  ),\n)";

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
