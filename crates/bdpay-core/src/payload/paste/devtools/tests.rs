//! Tests of the devtools reader: the browsers' expanded views, views it cannot read or does
//! not claim, cut previews, and robustness.

use super::{cut_preview, read};
use crate::payload::json::{Node, ParseError, Value};
use crate::source::Span;

const BASE: usize = 7;

fn ok(text: &str) -> Node {
    read(text, BASE)
        .expect("an expanded view")
        .unwrap_or_else(|e| panic!("{e}"))
}

fn err(text: &str) -> ParseError {
    read(text, BASE)
        .expect("an expanded view")
        .expect_err("unreadable")
}

fn at(text: &str, span: Span) -> &str {
    &text[span.start - BASE..span.end - BASE]
}

fn keys(node: &Node) -> Vec<&str> {
    node.members().iter().map(|m| m.key.as_str()).collect()
}

/// Every key and value span in `node` points at what it holds.
fn check_spans(text: &str, node: &Node) {
    for m in node.members() {
        assert_eq!(at(text, m.key_span), m.key.as_str());
        let written = at(text, m.value.span);
        match &m.value.value {
            Value::Str(s) => assert!(written.len() >= s.len().min(2), "{written}"),
            Value::Num(n) => assert!(written.starts_with(n.as_str()), "{written}"),
            Value::Bool(b) => assert_eq!(written, b.to_string()),
            Value::Object(_) | Value::Array(_) => check_spans(text, &m.value),
            Value::Null => assert!(matches!(written, "null" | "undefined")),
        }
    }
}

const CHROME: &str = r#"{appKey: 'MMMabc', dealId: '470193086', tpOrderId: '3028903626', …}
appKey: "MMMabc"
bizInfo: "{\"tpData\":{\"appKey\":\"MMMabc\"}}"
dealId: "470193086"
signFieldsRange: "1"
totalAmount: "1"
tpOrderId: "3028903626"
[[Prototype]]: Object"#;

#[test]
fn chrome_expanded_order_info() {
    let n = ok(CHROME);
    assert_eq!((n.span.start, n.span.end), (BASE, BASE + CHROME.len()));
    assert_eq!(
        keys(&n),
        [
            "appKey",
            "bizInfo",
            "dealId",
            "signFieldsRange",
            "totalAmount",
            "tpOrderId"
        ]
    );
    let biz = n.get("bizInfo").unwrap();
    assert_eq!(
        biz.value.as_str(),
        Some(r#"{"tpData":{"appKey":"MMMabc"}}"#)
    );
    assert_eq!(
        at(CHROME, biz.value.span),
        r#""{\"tpData\":{\"appKey\":\"MMMabc\"}}""#
    );
    let deal = n.get("dealId").unwrap();
    assert_eq!(at(CHROME, deal.key_span), "dealId");
    assert_eq!(at(CHROME, deal.value.span), "\"470193086\"");
    assert_eq!(deal.value.value, Value::Str("470193086".into()));
    check_spans(CHROME, &n);
}

#[test]
fn chrome_without_preview_line_reads_the_same() {
    let rows = CHROME.split_once('\n').unwrap().1;
    let n = ok(rows);
    assert_eq!(keys(&n), keys(&ok(CHROME)));
    assert_eq!(n.get("totalAmount").unwrap().value.as_str(), Some("1"));
    check_spans(rows, &n);
    // Only the rows, no prototype row either.
    let bare = "appKey: \"MMMabc\"\ndealId: \"470193086\"\ntotalAmount: 100";
    let n = ok(bare);
    assert_eq!(
        n.get("totalAmount").unwrap().value.value,
        Value::Num("100".into())
    );
    check_spans(bare, &n);
}

#[test]
fn chrome_nested_bizinfo_indented_with_markers() {
    let t = "▼ {appKey: 'MMMabc', bizInfo: {…}, dealId: '470193086', …}
    appKey: \"MMMabc\"
  ▼ bizInfo: {tpData: {…}}
      ▼ tpData:
          appKey: \"MMMabc\"
          dealId: \"470193086\"
        ▶ [[Prototype]]: Object
      ▶ [[Prototype]]: Object
    dealId: \"470193086\"
    totalAmount: 1
  ▶ [[Prototype]]: Object
      constructor: ƒ Object()
      hasOwnProperty: ƒ hasOwnProperty()";
    let n = ok(t);
    assert_eq!(keys(&n), ["appKey", "bizInfo", "dealId", "totalAmount"]);
    let biz = &n.get("bizInfo").unwrap().value;
    assert!(at(t, biz.span).starts_with("{tpData: {…}}"));
    let tp = &biz.get("tpData").unwrap().value;
    assert_eq!(keys(tp), ["appKey", "dealId"]);
    let deal = tp.get("dealId").unwrap();
    assert_eq!(at(t, deal.value.span), "\"470193086\"");
    assert_eq!(
        n.get("totalAmount").unwrap().value.value,
        Value::Num("1".into())
    );
    check_spans(t, &n);
}

#[test]
fn chrome_nested_without_indentation_closes_on_prototype_rows() {
    let t = "{appKey: 'MMMabc', bizInfo: {…}, dealId: '470193086'}
appKey: \"MMMabc\"
bizInfo:
tpData: {appKey: 'MMMabc', dealId: '470193086'}
[[Prototype]]: Object
dealId: \"470193086\"
[[Prototype]]: Object";
    let n = ok(t);
    assert_eq!(keys(&n), ["appKey", "bizInfo", "dealId"]);
    let tp = &n.get("bizInfo").unwrap().value.get("tpData").unwrap().value;
    assert_eq!(tp.get("dealId").unwrap().value.as_str(), Some("470193086"));
    assert_eq!(at(t, tp.span), "{appKey: 'MMMabc', dealId: '470193086'}");
    check_spans(t, &n);
    // Older Chrome keeps the preview on an expanded row: its fields follow it.
    let old = "{appKey: 'MMMabc', bizInfo: {…}}
appKey: \"MMMabc\"
bizInfo: {tpData: {…}}
tpData: {appKey: 'MMMabc'}
__proto__: Object
__proto__: Object";
    let n = ok(old);
    assert_eq!(keys(&n), ["appKey", "bizInfo"]);
    let biz = &n.get("bizInfo").unwrap().value;
    assert_eq!(keys(biz), ["tpData"]);
    check_spans(old, &n);
}

#[test]
fn firefox_expanded_view() {
    let t = r#"Object { appKey: "MMMabc", dealId: "470193086", tpOrderId: "3028903626", … }
    appKey: "MMMabc"
  ▼ bizInfo: Object { tpData: {…} }
      ▼ tpData: Object { appKey: "MMMabc", totalAmount: "1" }
          appKey: "MMMabc"
          totalAmount: "1"
        ▶ <prototype>: Object { … }
      ▶ <prototype>: Object { … }
    "data-x": 1
    dealId: "470193086"
    flag: true
    list: Array [ "a", "b" ]
    none: null
    gone: undefined
  ▶ <prototype>: Object { … }"#;
    let n = ok(t);
    assert_eq!(
        keys(&n),
        [
            "appKey", "bizInfo", "data-x", "dealId", "flag", "list", "none", "gone"
        ]
    );
    let x = n.get("data-x").unwrap();
    assert_eq!(at(t, x.key_span), "data-x");
    assert_eq!(x.value.value, Value::Num("1".into()));
    assert_eq!(n.get("flag").unwrap().value.value, Value::Bool(true));
    assert_eq!(n.get("none").unwrap().value.value, Value::Null);
    assert_eq!(n.get("gone").unwrap().value.value, Value::Null);
    let list = &n.get("list").unwrap().value;
    assert_eq!(at(t, list.span), r#"Array [ "a", "b" ]"#);
    assert!(matches!(&list.value, Value::Array(items) if items.len() == 2));
    let tp = &n.get("bizInfo").unwrap().value.get("tpData").unwrap().value;
    assert_eq!(tp.get("totalAmount").unwrap().value.as_str(), Some("1"));
    check_spans(t, &n);
}

#[test]
fn safari_expanded_view() {
    let t = "Object\n  appKey: \"MMMabc\"\n  dealId: \"470193086\"\n  Object Prototype";
    let n = ok(t);
    assert_eq!(keys(&n), ["appKey", "dealId"]);
    check_spans(t, &n);
}

#[test]
fn callback_answer_objects() {
    // What the merchant's handler answered, logged in the mini-program devtools.
    let t = "VM512:1 {errno: 0, msg: 'success', data: {…}}
data: {isConsumed: 2}
errno: 0
msg: \"success\"
[[Prototype]]: Object";
    let n = ok(t);
    let data = &n.get("data").unwrap().value;
    assert_eq!(at(t, data.span), "{isConsumed: 2}");
    let c = data.get("isConsumed").unwrap();
    assert_eq!(c.value.value, Value::Num("2".into()));
    assert_eq!(at(t, c.key_span), "isConsumed");
    assert_eq!(at(t, c.value.span), "2");
    assert_eq!(n.get("errno").unwrap().value.value, Value::Num("0".into()));
    // The fail callback of requestPolymerPayment, with its label.
    let t = "fail {errCode: 6, errMsg: 'requestPolymerPayment:fail 请求签名错误'}
errCode: 6
errMsg: \"requestPolymerPayment:fail 请求签名错误\"
success: ƒ success(res)
[[Prototype]]: Object";
    let n = ok(t);
    assert_eq!(keys(&n), ["errCode", "errMsg"]);
    let m = n.get("errMsg").unwrap();
    assert_eq!(
        at(t, m.value.span),
        "\"requestPolymerPayment:fail 请求签名错误\""
    );
    check_spans(t, &n);
}

#[test]
fn arrays_windows_line_ends_and_quoted_values() {
    let t = "{list: Array(2), n: 10n, s: 'x'}\r\n  list: Array(2)\r\n    0: \"a\"\r\n    1: \"b\"\r\n    length: 2\r\n    [[Prototype]]: Array(0)\r\n  n: 10n\r\n  s: 'it\\'s'\r\n  [[Prototype]]: Object\r\n";
    let n = ok(t.trim());
    let list = &n.get("list").unwrap().value;
    let Value::Array(items) = &list.value else {
        panic!("{list:?}")
    };
    assert_eq!(
        items
            .iter()
            .map(|i| i.as_str().unwrap())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(at(t, items[1].span), "\"b\"");
    assert_eq!(n.get("n").unwrap().value.value, Value::Num("10".into()));
    assert_eq!(n.get("s").unwrap().value.as_str(), Some("it's"));
    check_spans(t, &n);
}

#[test]
fn indentation_alone_nests_and_the_trimmed_first_row_is_placed() {
    // The reference example: rows indented under the preview line, all at one level.
    let t = "{dealId: '410000001', appKey: 'MMMxyz', totalAmount: '100', …}
  appKey: \"MMMxyz\"
  bizInfo: \"{\\\"tpData\\\":{\\\"appKey\\\":\\\"MMMxyz\\\"}}\"
  dealId: \"410000001\"
  [[Prototype]]: Object";
    let n = ok(t);
    assert_eq!(keys(&n), ["appKey", "bizInfo", "dealId"]);
    check_spans(t, &n);
    // Nested, collapsed inside, no markers.
    let t = "{appKey: 'MMMabc', bizInfo: {…}, …}
  appKey: \"MMMabc\"
  bizInfo: {tpData: {…}}
    tpData: {appKey: 'MMMabc', dealId: '470193086'}
    [[Prototype]]: Object
  dealId: \"470193086\"
  [[Prototype]]: Object";
    let n = ok(t);
    assert_eq!(keys(&n), ["appKey", "bizInfo", "dealId"]);
    let tp = &n.get("bizInfo").unwrap().value.get("tpData").unwrap().value;
    let d = tp.get("dealId").unwrap();
    assert_eq!(at(t, d.key_span), "dealId");
    assert_eq!(at(t, d.value.span), "'470193086'");
    // Rows only: the first row lost its indentation when the paste was trimmed.
    let t = "appKey: \"MMMabc\"
  bizInfo:
    tpData: {appKey: 'MMMabc'}
    [[Prototype]]: Object
  dealId: \"470193086\"";
    let n = ok(t);
    assert_eq!(keys(&n), ["appKey", "bizInfo", "dealId"]);
    assert_eq!(keys(&n.get("bizInfo").unwrap().value), ["tpData"]);
    // Markers before the names rather than in the indentation.
    let t = "▼ {appKey: 'MMMabc', bizInfo: {…}}
  appKey: \"MMMabc\"
  ▼ bizInfo:
    ▼ tpData:
      appKey: \"MMMabc\"
      ▶ [[Prototype]]: Object
    ▶ [[Prototype]]: Object
  ▶ [[Prototype]]: Object";
    let n = ok(t);
    assert_eq!(keys(&n), ["appKey", "bizInfo"]);
    let tp = &n.get("bizInfo").unwrap().value.get("tpData").unwrap().value;
    assert_eq!(keys(tp), ["appKey"]);
    check_spans(t, &n);
    // A collapsed array row next to its siblings, without indentation.
    let t = "{list: Array(2), n: 1}\nlist: (2) ['a', 'b']\nn: 1\n[[Prototype]]: Object";
    let n = ok(t);
    assert!(matches!(&n.get("list").unwrap().value.value, Value::Array(a) if a.len() == 2));
    assert_eq!(keys(&n), ["list", "n"]);
}

#[test]
fn long_input_is_read_in_one_pass() {
    let mut t = String::from("{a0: '0', …}\n");
    for i in 0..20_000 {
        t.push_str(&format!(
            "  a{i}: \"{i}\"\n  b{i}:\n    c: {{d: 1}}\n    [[Prototype]]: Object\n"
        ));
    }
    t.push_str("  s: \"");
    t.push_str(&"x".repeat(1 << 20));
    t.push('"');
    let n = ok(&t);
    assert_eq!(n.members().len(), 40_001);
    let wide = format!("{{{}…", "a: '', ".repeat(100_000));
    assert!(cut_preview(&wide, 0).is_some());
    assert!(read(&format!("{wide}\n{}", "(\n".repeat(100_000)), 0).is_none());
}

#[test]
fn unreadable_views_say_where() {
    // A nested object left collapsed: its preview was cut.
    let t = "{appKey: 'MMMabc', bizInfo: {…}}\nappKey: \"MMMabc\"\nbizInfo: {tpData: {…}}\n[[Prototype]]: Object";
    let e = err(t);
    assert_eq!(at(t, e.span), "…");
    assert_eq!(e.span.start - BASE, t.find("{…}}\n[[").unwrap() + 1);
    assert!(e.expected.en.contains("`bizInfo`"), "{}", e.expected.en);
    assert!(e.expected.zh.contains("展开"));
    // Vue's reactive objects: accessors devtools has not called.
    let t = "{__ob__: Observer}\nappKey: (...)\n__ob__: Observer {value: {…}, dep: Dep, vmCount: 0}\nget appKey: ƒ reactiveGetter()\nset appKey: ƒ reactiveSetter(newVal)\n[[Prototype]]: Object";
    let e = err(t);
    assert_eq!(at(t, e.span), "(...)");
    assert!(e.expected.en.contains("`appKey`"));
    // A value devtools would not show that way, in a view with a prototype row.
    let t = "appKey: MMMabc\ndealId: \"1\"\n[[Prototype]]: Object";
    let e = err(t);
    assert_eq!(at(t, e.span), "MMMabc");
    assert!(!e.found.zh.is_empty() && e.expected.zh.contains("字符串"));
    // An expanded row whose rows were not copied.
    let t = "{a: 1, b: {…}}\n  a: 1\n  b:";
    let e = err(t);
    assert_eq!(at(t, e.span), "b");
    // Rows indented out of line.
    let t = "{a: 1, b: 2}\n  a: 1\n      b: 2\n  [[Prototype]]: Object";
    let e = err(t);
    assert_eq!(at(t, e.span), "b: 2");
    assert_eq!(e.found.en, "a row indented deeper");
}

#[test]
fn near_misses_are_not_claimed() {
    for t in [
        "{a: 1}",
        "{appKey: 'MMMabc', dealId: '470193086'}",
        "{\n  \"appKey\": \"MMMabc\",\n  \"dealId\": \"470193086\"\n}",
        "{\n  appKey: 'MMMabc',\n  dealId: '470193086',\n}",
        "\"appKey\": \"MMMabc\",\n\"dealId\": \"470193086\"",
        "{\"appKey\":\"x\",\"dealId\":\"1\"}\n{\"appKey\":\"y\",\"dealId\":\"2\"}",
        "appKey: MMMabc\ndealId: 470193086",
        "server:\n  host: localhost\n  port: 8080",
        "- appKey\n- dealId",
        "Note: the appKey is wrong\nExpected: \"MMMabc\"",
        "2024-03-02 10:11:12.345 INFO [main] c.x.PayController - params: {a: 1, …}\n2024-03-02 10:11:13.001 INFO done",
        "[2024-03-02 10:11:12] production.INFO: baidu notify {\"body\":\"userId=1\"} []\n[2024-03-02 10:11:13] production.INFO: ok",
        "TypeError: Cannot read properties of undefined (reading 'appKey')\n    at foo (file.js:1:2)\n    at bar (file.js:3:4)",
        "Content-Type: application/json\nHost: shop.example",
        "Array\n(\n    [appKey] => MMMabc\n)",
        "stdClass Object\n(\n    [appKey] => MMMabc\n)",
        "{'appKey': 'MMMabc', 'promoDetail': None}",
        "map[appKey:MMMabc dealId:470193086]",
        "userId=1&orderId=2\nstatus=2",
        "{appKey: 'MMMabc', …}",
        "appKey: \"MMMabc\"",
        "[[Prototype]]: Object\n[[Prototype]]: Object",
        "success",
        "",
    ] {
        assert!(read(t, BASE).is_none(), "{t:?}");
    }
}

#[test]
fn cut_previews_point_at_the_cut() {
    let s = cut_preview("{…, dealTitle: '会员月卡', …}", BASE).unwrap();
    assert_eq!(s.start - BASE, 1);
    let t = "{appKey: 'MMMabc', dealId: '470…";
    assert_eq!(cut_preview(t, BASE).unwrap().start - BASE, 31);
    for t in [
        "{appKey: 'MMMabc', dealId: '470193086', tpOrderId: '3028903626', …}",
        "Object { appKey: \"MMMabc\", dealId: \"470193086\", … }",
        "▶ {appKey: 'MMMabc', bizInfo: {…}}",
        "VM12:1 orderInfo {appKey: 'MMMabc', …}",
        "index.js? [sm]:12 {appKey: 'MMMabc', …}",
        "(2) [{…}, {…}]",
        "orderInfo: {dealId: '470193086', appKey: 'MMMabc', totalAmount: '100', bizInfo: {…}, …}",
    ] {
        let s = cut_preview(t, BASE).unwrap_or_else(|| panic!("{t}"));
        assert_eq!(
            (s.start - BASE, at(t, s)),
            (t.find('…').unwrap(), "…"),
            "{t}"
        );
    }
    let s = cut_preview("Object", BASE).unwrap();
    assert_eq!(at("Object", s), "Object");
    // V8 shortens a long string to 100 characters around a `…`.
    let long = format!("{{rsaSign: '{}…{}'}}", "A".repeat(50), "B".repeat(49));
    let s = cut_preview(&long, BASE).unwrap();
    assert_eq!(s.start - BASE, 11 + 50);
    // Whole previews, JSON, and a `…` that is part of a short string are not cut.
    for t in [
        "{a: 1}",
        "{dealTitle: '会员…', appKey: 'MMMabc'}",
        "{\"dealTitle\": \"更多…\"}",
        "{appKey: 'MMMabc', dealId: '470",
        "2024-03-02 10:11:12 {a: 1, …}",
        "stdClass Object",
        "{appKey: 'MMMabc', …}\nappKey: \"MMMabc\"",
        "success",
        "…",
    ] {
        assert!(cut_preview(t, BASE).is_none(), "{t:?}");
    }
}

#[test]
fn no_panics_on_cut_or_mangled_input() {
    let samples = [
        CHROME,
        "▼ {a: '中文…', b: {…}}\n    a: \"中文\\u4e2d\"\n  ▼ b:\n      c: (2) ['x', 'y']\n    ▶ [[Prototype]]: Object\n  ▶ [[Prototype]]: Object",
        "Object { a: \"\\\"…\", \"k\\u00e9y\": 1 }\n  a: \"\\\\\"\n  <prototype>: Object { … }",
    ];
    for s in samples {
        for (i, _) in s.char_indices() {
            for t in [&s[..i], &s[i..]] {
                let t = t.trim();
                let base = 3;
                if let Some(Ok(n)) = read(t, base) {
                    assert!(n.span.end <= base + t.len());
                }
                if let Some(Err(e)) = read(t, base) {
                    assert!(e.span.start >= base && e.span.end <= base + t.len());
                }
                if let Some(sp) = cut_preview(t, base) {
                    assert!(t.is_char_boundary(sp.start - base));
                    assert!(t.is_char_boundary(sp.end - base));
                }
            }
        }
    }
    for t in [
        "'",
        "\"\\",
        "a:\n'",
        "{'\\u12",
        "a: '\\",
        "(",
        "(1) [",
        "[[",
        "<",
        "a: \"\\u\"\nb: 1",
    ] {
        let _ = (read(t, 0), cut_preview(t, 0));
    }
}
