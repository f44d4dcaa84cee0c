//! Signature forensics over combined mistakes, with payloads built the way failing client code
//! builds them: values URL-encoded with `&` and `=` inside, fields inserted in the code's own
//! order, amounts in yuan or as floats, SHA-256, signatures under the wrong name, callbacks
//! changed after the platform signed them. Each case asserts every mistake is named, as its own
//! finding, and that "the string to sign" in the help is built from the corrected values.
//!
//! `BDPAY_DUMP_CASES=DIR` also writes each case (payload, key, expected codes) to DIR, so the
//! same cases can be run through any build of the CLI (the closing note's before/after count).

mod common;

use base64::Engine as _;
use bdpay_core::payload::Kind;
use bdpay_core::sign::forensics::form_encode;
use bdpay_core::sign::{self, forensics::rfc3986_encode};
use bdpay_core::{Options, keys};

const MERCHANT: &str = "fixtures/keys/test-1024.pkcs1.pem";
const MERCHANT_PUB: &str = "fixtures/keys/test-1024.pub.pem";
const PLATFORM: &str = "fixtures/keys/platform-test.pkcs8.pem";
const PLATFORM_PUB: &str = "fixtures/keys/platform-test.pub.pem";

fn private(path: &str) -> rsa::PrivateKey {
    keys::read(&std::fs::read(path).unwrap())
        .unwrap()
        .private
        .unwrap()
}

fn sha1_sig(path: &str, s: &[u8]) -> String {
    sign::sign(&private(path), s).unwrap()
}

fn sha256_sig(path: &str, s: &[u8]) -> String {
    let sig = private(path).pkcs1v15_sign::<rsa::sha2::Sha256>(s).unwrap();
    base64::engine::general_purpose::STANDARD.encode(sig)
}

/// What the engine says of one payload: the SIG codes in order, and each SIG finding's message
/// and help (English).
struct Seen {
    codes: Vec<String>,
    messages: Vec<String>,
    helps: Vec<String>,
    all_codes: Vec<String>,
}

fn run(case: &str, name: &str, text: &str, key: &str, kind: Option<Kind>, want: &[&str]) -> Seen {
    if let Ok(dir) = std::env::var("BDPAY_DUMP_CASES") {
        let dir = std::path::Path::new(&dir).join(case);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), text).unwrap();
        std::fs::write(
            dir.join("case.txt"),
            format!(
                "key={key}\nkind={}\nwant={}\n",
                kind.map_or("", Kind::as_str),
                want.join(",")
            ),
        )
        .unwrap();
    }
    let options = Options {
        kind,
        key: Some((key.to_owned(), std::fs::read(key).unwrap())),
        ..Options::default()
    };
    let d = bdpay_core::diagnose(name, text, None, &options).unwrap();
    let all_codes: Vec<String> = d.findings.iter().map(|f| f.rule.code.clone()).collect();
    let sig: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.rule.code.starts_with("SIG"))
        .collect();
    let seen = Seen {
        codes: sig.iter().map(|f| f.rule.code.clone()).collect(),
        messages: sig
            .iter()
            .map(|f| f.diagnostic.message.en.clone())
            .collect(),
        helps: sig
            .iter()
            .map(|f| {
                f.diagnostic
                    .help
                    .as_ref()
                    .map(|h| h.en.clone())
                    .unwrap_or_default()
            })
            .collect(),
        all_codes,
    };
    // Every word of the findings exists in Chinese too.
    for f in sig {
        let help = f.diagnostic.help.as_ref().map_or("", |h| h.zh.as_str());
        for text in [f.diagnostic.message.zh.as_str(), help] {
            let runs = common::english_runs(text);
            assert!(
                runs.is_empty(),
                "{case}: English in Chinese: {runs:?}\n{text}"
            );
        }
    }
    let mut got = seen.codes.clone();
    got.sort();
    let mut want: Vec<String> = want.iter().map(|s| (*s).to_owned()).collect();
    want.sort();
    assert_eq!(
        got, want,
        "{case}: SIG codes\nmessages: {:#?}\nhelps: {:#?}",
        seen.messages, seen.helps
    );
    seen
}

fn order_json(fields: &[(&str, &str)], sig: &str) -> String {
    let mut m = serde_json::Map::new();
    for (k, v) in fields {
        m.insert((*k).to_owned(), serde_json::Value::String((*v).to_owned()));
    }
    m.insert(
        "rsaSign".to_owned(),
        serde_json::Value::String(sig.to_owned()),
    );
    serde_json::to_string_pretty(&serde_json::Value::Object(m)).unwrap()
}

fn joined(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The order fields as a merchant's code would insert them (not sorted), with the rest.
const ORDER: &[(&str, &str)] = &[
    ("tpOrderId", "3028903626"),
    ("dealTitle", "百度小程序Demo"),
    ("totalAmount", "11300"),
    ("appKey", "MMMabc"),
    ("dealId", "470193086"),
    ("signFieldsRange", "1"),
    (
        "bizInfo",
        r#"{"tpData":{"appKey":"MMMabc","dealId":"470193086","tpOrderId":"3028903626","totalAmount":"11300"}}"#,
    ),
];

fn with(
    fields: &[(&'static str, &'static str)],
    name: &str,
    value: &'static str,
) -> Vec<(&'static str, &'static str)> {
    fields
        .iter()
        .map(|&(k, v)| if k == name { (k, value) } else { (k, v) })
        .collect()
}

fn without(
    fields: &[(&'static str, &'static str)],
    name: &str,
) -> Vec<(&'static str, &'static str)> {
    fields.iter().copied().filter(|(k, _)| *k != name).collect()
}

#[test]
fn four_fields_signed_without_sign_fields_range_agrees_with_ord002() {
    let fields = without(ORDER, "signFieldsRange");
    let four = "appKey=MMMabc&dealId=470193086&totalAmount=11300&tpOrderId=3028903626";
    let text = order_json(&fields, &sha1_sig(MERCHANT, four.as_bytes()));
    let s = run(
        "range-missing",
        "order.json",
        &text,
        MERCHANT_PUB,
        None,
        &["SIG007"],
    );
    assert!(
        s.all_codes.contains(&"ORD002".to_owned()),
        "{:?}",
        s.all_codes
    );
    assert!(
        s.messages[0].contains("no signFieldsRange"),
        "{}",
        s.messages[0]
    );
    // The fix is ORD002's (add the range), and the string to sign is the four fields.
    assert!(
        s.helps[0].contains("add signFieldsRange: '1'"),
        "{}",
        s.helps[0]
    );
    assert!(
        s.helps[0].contains(&format!("the string to sign: {four}")),
        "{}",
        s.helps[0]
    );
}

#[test]
fn amounts_sent_in_one_unit_and_signed_in_the_other() {
    // Sent in yuan (0.01), signed in fen (1): the payload is what must change.
    let fields = with(ORDER, "totalAmount", "0.01");
    let signed = "appKey=MMMabc&dealId=470193086&totalAmount=1&tpOrderId=3028903626";
    let text = order_json(&fields, &sha1_sig(MERCHANT, signed.as_bytes()));
    let s = run(
        "sent-yuan-signed-fen",
        "order.json",
        &text,
        MERCHANT_PUB,
        None,
        &["SIG011"],
    );
    assert!(
        s.messages[0].contains("0.01 (yuan) in the payload"),
        "{}",
        s.messages[0]
    );
    assert!(
        s.helps[0].contains("send totalAmount in fen, 1"),
        "{}",
        s.helps[0]
    );
    assert!(
        s.helps[0].contains(&format!("the string to sign: {signed}")),
        "{}",
        s.helps[0]
    );
    // Sent in fen (1), signed in yuan (0.01).
    let fields = with(ORDER, "totalAmount", "1");
    let signed = "appKey=MMMabc&dealId=470193086&totalAmount=0.01&tpOrderId=3028903626";
    let text = order_json(&fields, &sha1_sig(MERCHANT, signed.as_bytes()));
    let s = run(
        "sent-fen-signed-yuan",
        "order.json",
        &text,
        MERCHANT_PUB,
        None,
        &["SIG011"],
    );
    assert!(
        s.messages[0].contains("signed in yuan (0.01) instead of fen (1)"),
        "{}",
        s.messages[0]
    );
    // PHP/JS yuan × 100 without rounding: 19.9 * 100 = 1989.9999999999998.
    let fields = with(ORDER, "totalAmount", "1990");
    let signed =
        "appKey=MMMabc&dealId=470193086&totalAmount=1989.9999999999998&tpOrderId=3028903626";
    let text = order_json(&fields, &sha1_sig(MERCHANT, signed.as_bytes()));
    let s = run(
        "float-amount",
        "order.json",
        &text,
        MERCHANT_PUB,
        None,
        &["SIG011"],
    );
    assert!(
        s.messages[0].contains("float 1989.9999999999998"),
        "{}",
        s.messages[0]
    );
}

/// A refund request as form body, with values holding `&`, `=` and spaces.
const REFUND: &[(&str, &str)] = &[
    ("appKey", "MMMabc"),
    ("applyRefundMoney", "100"),
    ("bizRefundBatchId", "R-1"),
    ("orderId", "2645985458"),
    ("refundReason", "用户 申请退款 a&b=c"),
    ("refundType", "1"),
    ("tpOrderId", "3028903626"),
    ("userId", "3269234686470"),
];

fn form(fields: &[(&str, &str)], sig_name: &str, sig: &str) -> String {
    let mut s = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", form_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    s.push_str(&format!("&{sig_name}={}", form_encode(sig)));
    s
}

#[test]
fn refund_signed_url_encoded_and_sent_as_sign_names_both() {
    for (style, enc) in [
        ("form", form_encode as fn(&str) -> String),
        ("rfc3986", rfc3986_encode),
    ] {
        let encoded: Vec<(String, String)> = REFUND
            .iter()
            .map(|(k, v)| ((*k).to_owned(), enc(v)))
            .collect();
        let signed = sign::join(&encoded);
        let text = form(REFUND, "sign", &sha1_sig(MERCHANT, signed.as_bytes()));
        let s = run(
            &format!("refund-sign-encoded-{style}"),
            "refund.form",
            &text,
            MERCHANT_PUB,
            Some(Kind::RefundApply),
            &["SIG001", "SIG009"],
        );
        let i = s.codes.iter().position(|c| c == "SIG001").unwrap();
        assert!(s.messages[i].contains("under `sign`"), "{}", s.messages[i]);
        // The raw values are the string to sign: `&` and `=` inside refundReason stay as they are.
        let j = s.codes.iter().position(|c| c == "SIG009").unwrap();
        assert!(
            s.helps[j].contains(&format!("the string to sign: {}", joined(REFUND))),
            "{}",
            s.helps[j]
        );
        assert!(s.helps[j].contains("all 2 mistakes"), "{}", s.helps[j]);
    }
}

/// Every order of the four fields, as a merchant's code may insert them.
fn permutations(v: &[&'static str]) -> Vec<Vec<&'static str>> {
    if v.len() <= 1 {
        return vec![v.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..v.len() {
        let mut rest = v.to_vec();
        let first = rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, first);
            out.push(p);
        }
    }
    out
}

#[test]
fn every_insertion_order_of_the_order_fields_is_named() {
    let value = |k: &str| ORDER.iter().find(|(n, _)| *n == k).unwrap().1;
    let mut named = 0;
    for order in permutations(&["appKey", "dealId", "totalAmount", "tpOrderId"]) {
        let signed: Vec<(&str, &str)> = order.iter().map(|k| (*k, value(k))).collect();
        let text = order_json(ORDER, &sha1_sig(MERCHANT, joined(&signed).as_bytes()));
        let sorted = order == ["appKey", "dealId", "totalAmount", "tpOrderId"];
        let want: &[&str] = if sorted { &[] } else { &["SIG008"] };
        let case = format!("order-{}", order.join("-"));
        let s = run(&case, "order.json", &text, MERCHANT_PUB, None, want);
        if !sorted {
            named += 1;
            assert!(
                s.helps[0].contains("sort the fields by name"),
                "{}",
                s.helps[0]
            );
        }
    }
    assert_eq!(named, 23);
}

#[test]
fn sha256_with_a_second_mistake_names_both() {
    // Empty values dropped, then SHA-256: switching to SHA-1 alone would still fail.
    let fields = with(REFUND, "bizRefundBatchId", "");
    let dropped: Vec<(&str, &str)> = fields
        .iter()
        .copied()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let text = form(
        &fields,
        "rsaSign",
        &sha256_sig(MERCHANT, joined(&dropped).as_bytes()),
    );
    let s = run(
        "sha256-empties-dropped",
        "refund.form",
        &text,
        MERCHANT_PUB,
        Some(Kind::RefundApply),
        &["SIG006", "SIG010"],
    );
    let j = s.codes.iter().position(|c| c == "SIG010").unwrap();
    assert!(
        s.helps[j].contains("the SHA-256 of the signed string"),
        "{}",
        s.helps[j]
    );
    // MD5withRSA (old Java code) over the fields in the code's own order.
    let md5 = private(MERCHANT)
        .pkcs1v15_sign::<md5::Md5>(
            b"dealId=470193086&appKey=MMMabc&totalAmount=11300&tpOrderId=3028903626",
        )
        .unwrap();
    let text = order_json(
        ORDER,
        &base64::engine::general_purpose::STANDARD.encode(md5),
    );
    let s = run(
        "md5-unsorted",
        "order.json",
        &text,
        MERCHANT_PUB,
        None,
        &["SIG006", "SIG008"],
    );
    assert!(
        s.messages.iter().any(|m| m.contains("uses MD5")),
        "{:?}",
        s.messages
    );
    // The legacy three fields, then SHA-256.
    let text = order_json(
        ORDER,
        &sha256_sig(
            MERCHANT,
            b"appKey=MMMabc&dealId=470193086&tpOrderId=3028903626",
        ),
    );
    run(
        "sha256-legacy",
        "order.json",
        &text,
        MERCHANT_PUB,
        None,
        &["SIG006", "SIG007"],
    );
}

#[test]
fn a_field_the_order_carries_signed_too_is_named_even_when_its_value_holds_ampersands() {
    let mut fields = ORDER.to_vec();
    fields.push(("notifyUrl", "https://shop.example/notify?from=swan&v=2"));
    let signed = "appKey=MMMabc&dealId=470193086&notifyUrl=https://shop.example/notify?from=swan&v=2&totalAmount=11300&tpOrderId=3028903626";
    let text = order_json(&fields, &sha1_sig(MERCHANT, signed.as_bytes()));
    let s = run(
        "extra-notifyurl",
        "order.json",
        &text,
        MERCHANT_PUB,
        None,
        &["SIG007"],
    );
    assert!(
        s.messages[0].contains("extra fields were signed: notifyUrl"),
        "{}",
        s.messages[0]
    );
    assert!(s.helps[0].contains("leave notifyUrl out"), "{}", s.helps[0]);
}

#[test]
fn three_mistakes_at_once_are_each_named() {
    // The Go demo's `dealID`, the code's own insertion order, and yuan × 100 as a float.
    let fields = with(ORDER, "totalAmount", "1990");
    let signed =
        "tpOrderId=3028903626&totalAmount=1989.9999999999998&appKey=MMMabc&dealID=470193086";
    let text = order_json(&fields, &sha1_sig(MERCHANT, signed.as_bytes()));
    let s = run(
        "three-dealid-order-float",
        "order.json",
        &text,
        MERCHANT_PUB,
        None,
        &["SIG007", "SIG008", "SIG011"],
    );
    for h in &s.helps {
        assert!(h.contains("all 3 mistakes"), "{h}");
        assert!(
            h.contains("the string to sign: appKey=MMMabc&dealId=470193086&totalAmount=1990&tpOrderId=3028903626"),
            "{h}"
        );
    }
    // dealTitle signed too, the amount in yuan, and the string as GBK bytes.
    let signed = "appKey=MMMabc&dealId=470193086&dealTitle=百度小程序Demo&totalAmount=113.00&tpOrderId=3028903626";
    let gbk = encoding_rs::GBK.encode(signed).0.into_owned();
    let text = order_json(ORDER, &sha1_sig(MERCHANT, &gbk));
    run(
        "three-dealtitle-yuan-gbk",
        "order.json",
        &text,
        MERCHANT_PUB,
        None,
        &["SIG007", "SIG011", "SIG011"],
    );
    // bizInfo.tpData's amount signed (it disagrees with orderInfo's) in the code's order.
    let fields = with(
        ORDER,
        "bizInfo",
        r#"{"tpData":{"appKey":"MMMabc","dealId":"470193086","tpOrderId":"3028903626","totalAmount":"11000"}}"#,
    );
    let signed = "dealId=470193086&appKey=MMMabc&tpOrderId=3028903626&totalAmount=11000";
    let text = order_json(&fields, &sha1_sig(MERCHANT, signed.as_bytes()));
    let s = run(
        "tpdata-amount-unsorted",
        "order.json",
        &text,
        MERCHANT_PUB,
        None,
        &["SIG008", "SIG011"],
    );
    let i = s.codes.iter().position(|c| c == "SIG011").unwrap();
    assert!(
        s.messages[i].contains("bizInfo.tpData's value (11000)"),
        "{}",
        s.messages[i]
    );
}

/// A platform-signed body, signed with the test platform key, as a form.
fn platform_form(fields: &[(&str, &str)], signed_fields: &[(&str, &str)]) -> String {
    let mut sorted = signed_fields.to_vec();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    form(
        fields,
        "rsaSign",
        &sha1_sig(PLATFORM, joined(&sorted).as_bytes()),
    )
}

#[test]
fn callbacks_changed_after_signing_are_tampering_for_all_three_kinds() {
    // Pay notify: the real platform-signed vector with totalMoney changed from 1 to 100.
    let real = std::fs::read_to_string("fixtures/vectors/notify-demo.form").unwrap();
    let tampered = real.replace("totalMoney=1&", "totalMoney=100&");
    assert_ne!(tampered, real);
    let s = run(
        "notify-tampered",
        "notify.form",
        &tampered,
        "fixtures/vectors/platform-demo.pub.pem",
        Some(Kind::Notify),
        &["SIG011"],
    );
    assert!(
        s.messages[0].contains("changed after the platform signed it"),
        "{}",
        s.messages[0]
    );
    assert!(!s.messages[0].contains("yuan"), "{}", s.messages[0]);
    // Two changes on the way: empty fields dropped and the amount rewritten.
    let both = tampered
        .replace("&promoDetail=", "")
        .replace("&returnData=", "");
    run(
        "notify-tampered-and-dropped",
        "notify.form",
        &both,
        "fixtures/vectors/platform-demo.pub.pem",
        Some(Kind::Notify),
        &["SIG010", "SIG011"],
    );
    // Refund audit: applyRefundMoney a hundred times what the platform signed.
    let audit = [
        ("applyRefundMoney", "100"),
        ("orderId", "2645985458"),
        ("refundBatchId", "152713835"),
        ("tpOrderId", "3028903626"),
        ("userId", "3269234686470"),
    ];
    let text = platform_form(&with(&audit, "applyRefundMoney", "10000"), &audit);
    let s = run(
        "refund-audit-tampered",
        "refund-audit.form",
        &text,
        PLATFORM_PUB,
        Some(Kind::RefundAudit),
        &["SIG011"],
    );
    assert!(
        s.messages[0].contains("applyRefundMoney=100; this body says applyRefundMoney=10000"),
        "{}",
        s.messages[0]
    );
    // Refund notify: refundStatus rewritten, a change no pattern names: still tampering, with
    // the key proven right, never "wrong key" or a mistake of the platform's.
    let notify = [
        ("orderId", "2645985458"),
        ("refundBatchId", "152713835"),
        ("refundStatus", "2"),
        ("tpOrderId", "3028903626"),
        ("userId", "3269234686470"),
    ];
    let text = platform_form(&with(&notify, "refundStatus", "1"), &notify);
    let s = run(
        "refund-notify-tampered",
        "refund-notify.form",
        &text,
        PLATFORM_PUB,
        Some(Kind::RefundNotify),
        &["SIG012"],
    );
    assert!(
        s.messages[0].contains("not what the platform signed"),
        "{}",
        s.messages[0]
    );
    assert!(
        s.messages[0].contains("the key is right"),
        "{}",
        s.messages[0]
    );
}
