//! `explain` as rendered: every platform code's causes in the order to check them, with the
//! rules that check each, in English and Chinese; and a rule's documentation page. Snapshots
//! show the wording in review; the assertions beside them catch structural regressions.

use bdpay_core::message::Lang;
use bdpay_core::render::{Format, Style};
use bdpay_core::{explain, registry};

fn both(query: &str) -> String {
    let en = explain(query, &Style::plain(Format::Human, Lang::En)).unwrap();
    let zh = explain(query, &Style::plain(Format::Human, Lang::Zh)).unwrap();
    format!("{en}\n---- zh ----\n{zh}")
}

#[test]
fn every_platform_code_is_explained_in_both_languages() {
    for code in bdpay_core::explain::platform_codes() {
        let id = &code.ids[0];
        let text = both(id);
        // Every rule a cause names is a real rule, shown with its code.
        for step in &code.cause {
            for r in &step.rules {
                if let Some(rule) = registry::find(r) {
                    assert!(text.contains(&rule.code), "{id}: {} not shown", rule.code);
                }
            }
        }
        let name = format!(
            "platform_code_{}",
            id.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect::<String>()
        );
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn a_rule_page_has_its_sections_in_both_languages() {
    let text = both("ORD004");
    for heading in [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "Use instead:",
    ] {
        assert!(text.contains(heading), "{heading}");
    }
    assert!(text.contains("---- zh ----"));
    insta::assert_snapshot!("rule_ORD004", text);
}

#[test]
fn json_explanations_parse() {
    for code in bdpay_core::explain::platform_codes() {
        let out = explain(&code.ids[0], &Style::plain(Format::Json, Lang::Zh)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(v.is_object(), "{out}");
    }
}

#[test]
fn symptoms_and_field_names_find_their_entry() {
    let plain = Style::plain(Format::Human, Lang::En);
    for (query, heading) in [
        ("收不到回调", "callbacks never arrive"),
        ("回调没收到", "callbacks never arrive"),
        ("我们一直收不到回调怎么办", "callbacks never arrive"),
        ("callback not received", "callbacks never arrive"),
        ("isConsumed", "never reaches 企业资产"),
        ("钱没到企业资产", "never reaches 企业资产"),
        ("验签", "verification failed"),
        ("回调验签不通过", "verification failed"),
        ("退款审核", "refund audit fails"),
        ("沙箱", "there is no sandbox"),
    ] {
        let out = explain(query, &plain).unwrap_or_else(|e| panic!("{query}: {e}"));
        assert!(
            out.lines().next().unwrap().contains(heading),
            "{query}: {out}"
        );
    }
    // Every rule a symptom names exists.
    for s in bdpay_core::explain::symptoms() {
        for step in &s.cause {
            for r in &step.rules {
                assert!(registry::find(r).is_some(), "{}: no rule {r}", s.ids[0]);
            }
        }
        insta::assert_snapshot!(
            format!(
                "symptom_{}",
                s.title
                    .en
                    .split_whitespace()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join("_")
                    .replace([',', ':'], "")
            ),
            both(&s.ids[0])
        );
    }
}

#[test]
fn explain_without_a_query_lists_what_it_knows() {
    let out = bdpay_core::explain::index(Lang::Zh, Format::Human);
    assert!(
        out.contains("收不到回调") && out.contains("errCode:6"),
        "{out}"
    );
}

#[test]
fn every_code_of_the_payment_docs_tables_is_known() {
    // The client fail codes per OS, the cashier's results, the platform errno values and the
    // gateway codes, as the payment docs' tables list them (shared reference, protocol §3, §5).
    let listed = [
        "errCode:6",
        "android:1001",
        "ios:202",
        "ios:10002",
        "ios:10005",
        "cashier:1",
        "cashier:2",
        "cashier:5",
        "10000",
        "10001",
        "10002",
        "10003",
        "930",
        "970",
        "4010001",
        "4010002",
        "4010003",
        "4010004",
        "4010006",
        "4010007",
        "5010001",
        "5010002",
        "5010003",
        "5010004",
        "5010005",
        "6010007",
        "6010008",
        "7010001",
    ];
    let missing: Vec<&str> = listed
        .iter()
        .copied()
        .filter(|id| {
            let (_, hits) = bdpay_core::explain::search(id);
            !hits
                .first()
                .is_some_and(|h| h.exact && matches!(h.entry, bdpay_core::explain::Entry::Code(_)))
        })
        .collect();
    assert!(missing.is_empty(), "not explained: {missing:?}");
    // The catalogue holds exactly these codes: a new one is added to the list above too.
    assert_eq!(
        bdpay_core::explain::platform_codes().len(),
        listed.len() + 1,
        "the payment docs' codes, and 商品不存在"
    );
    // 10002 is two codes: the errno says the iOS meaning too.
    let text = both("10002");
    assert!(text.contains("ios:10002"), "{text}");
}

/// What merchants type or paste, and the entry that must come first: error objects, codes in
/// every spelling, loader messages of each language, symptoms in both languages.
const QUERIES: &[(&str, &str)] = &[
    // Error objects and codes as the client and the server print them.
    (r#"{"errCode":6,"errMsg":"请求签名错误"}"#, "errCode:6"),
    (
        "{errCode: 6, errMsg: 'requestPolymerPayment:fail 请求签名错误'}",
        "errCode:6",
    ),
    ("errCode:6 请求签名错误", "errCode:6"),
    ("错误码是6", "errCode:6"),
    ("错误码：６", "errCode:6"),
    ("errcode 6", "errCode:6"),
    ("调起收银台提示请求签名错误", "errCode:6"),
    (
        "request signature error when opening the cashier",
        "errCode:6",
    ),
    ("10003错误", "10003"),
    ("取消核销返回10003", "10003"),
    (r#"{"errno":10003,"msg":"系统错误"}"#, "10003"),
    ("系统错误，已消费订单不允许退款", "10002"),
    ("errno 10002", "10002"),
    ("iOS 10002", "ios:10002"),
    ("ios 返回 10005", "ios:10005"),
    ("安卓报1001", "android:1001"),
    ("iOS 202 解析失败", "ios:202"),
    (r#"{"errno":10000,"msg":"sign error"}"#, "10000"),
    ("退款接口返回930", "930"),
    ("970 接口权限校验失败", "970"),
    ("4010004 必传参数缺失", "4010004"),
    ("网关返回 5010003", "5010003"),
    ("错误码 7010001", "7010001"),
    ("商品不存在", "商品不存在"),
    // Loader errors, as the libraries print them.
    (
        "RSA私钥格式不正确，请检查是否正确配置了PKCS8格式的私钥",
        "InvalidKeySpecException",
    ),
    (
        "java.security.spec.InvalidKeySpecException: java.security.InvalidKeyException: IOException : algid parse error, not a sequence",
        "InvalidKeySpecException",
    ),
    (
        "java.lang.IllegalArgumentException: Illegal base64 character 2d",
        "InvalidKeySpecException",
    ),
    (
        "openssl_sign(): supplied key param cannot be coerced into a private key",
        "openssl_pkey_get_private",
    ),
    (
        "error:0906D06C:PEM routines:PEM_read_bio:no start line",
        "openssl_pkey_get_private",
    ),
    (
        "x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)",
        "x509: failed to parse private key",
    ),
    ("decode pem failed", "x509: failed to parse private key"),
    (
        "asn1: structure error: tags don't match",
        "x509: failed to parse private key",
    ),
    (
        "Error: error:0909006C:PEM routines:get_name:no start line",
        "PEM routines:get_name:no start line",
    ),
    (
        "error:1E08010C:DECODER routines::unsupported",
        "PEM routines:get_name:no start line",
    ),
    (
        "ValueError: Could not deserialize key data.",
        "Could not deserialize key data",
    ),
    (
        "ValueError: RSA key format is not supported",
        "Could not deserialize key data",
    ),
    // Symptoms, in Chinese.
    ("回调收不到", "收不到回调"),
    ("支付成功了为什么没有收到支付回调？", "收不到回调"),
    ("支付成功订单状态没变", "订单状态没变"),
    ("用户付款成功了但是我们订单还是未支付", "订单状态没变"),
    ("钱没到企业资产", "已付款"),
    ("订单显示已付款为什么企业资产没有变化", "已付款"),
    ("订单一直是已付款状态", "已付款"),
    ("退款审核失败", "退款审核失败"),
    ("退款审核返回参数后为什么会审核失败", "退款审核失败"),
    ("申请退款后没有收到退款通知", "收不到退款回调"),
    ("沙箱", "沙箱"),
    ("测试金额多少合适", "沙箱"),
    ("有没有沙箱环境", "沙箱"),
    ("验签失败", "验签失败"),
    ("回调验签一直不通过", "验签失败"),
    ("部分退款", "部分退款"),
    ("怎么只退一部分金额", "部分退款"),
    ("财务列表不显示", "财务列表不显示"),
    ("财务列表订单全部都不显示怎么办", "财务列表不显示"),
    ("审核被驳回提示银行划付失败怎么办", "银行划付失败"),
    (
        "百度小程序调用 requestPayment 没反应 fail 返回 null",
        "swan.requestPayment",
    ),
    ("开发者公钥怎么填", "密钥生成"),
    // Symptoms, in English.
    ("callbacks never arrive", "收不到回调"),
    ("I never receive the pay notify", "收不到回调"),
    ("payment succeeded but order not updated", "订单状态没变"),
    ("money not in company assets", "已付款"),
    ("signature verification failed on the callback", "验签失败"),
    ("refund audit fails", "退款审核失败"),
    ("refund notify never arrives", "收不到退款回调"),
    ("is there a sandbox", "沙箱"),
    ("partial refund", "部分退款"),
    // A rule, by its code inside a sentence or by what it checks.
    ("SIG009 是什么意思", "SIG009"),
    // The payload rule and the code rule are both the answer.
    ("values url encoded before signing", "SIG009|SRC001"),
    ("isConsumed 应该返回几", "已付款"),
];

#[test]
fn phrasings_rank_their_entry_first() {
    let mut wrong = Vec::new();
    for (query, want) in QUERIES {
        let (_, hits) = bdpay_core::explain::search(query);
        let got = hits.first().map(|h| h.entry.id());
        if !got.is_some_and(|g| want.split('|').any(|w| w == g)) {
            let others: Vec<&str> = hits.iter().map(|h| h.entry.id()).collect();
            wrong.push(format!("{query:?}: want {want}, got {others:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} ranked wrong:\n{}",
        wrong.len(),
        QUERIES.len(),
        wrong.join("\n")
    );
    assert!(QUERIES.len() >= 60);
}

#[test]
fn unrelated_text_matches_nothing() {
    for query in [
        "hello world",
        "天气怎么样",
        "ORD0041",
        "123",
        "the quick brown fox",
    ] {
        let (_, hits) = bdpay_core::explain::search(query);
        assert!(
            hits.is_empty(),
            "{query:?}: {:?}",
            hits.iter().map(|h| h.entry.id()).collect::<Vec<_>>()
        );
        assert!(explain(query, &Style::plain(Format::Human, Lang::En)).is_err());
    }
}

#[test]
fn search_output_names_the_close_entries_and_json_ranks_them() {
    let human = explain(
        "回调收不到 验签失败",
        &Style::plain(Format::Human, Lang::En),
    )
    .unwrap();
    assert!(human.contains("Also close"), "{human}");
    let json = explain(r#"{"errCode":6}"#, &Style::plain(Format::Json, Lang::En)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["read_as"]["codes"][0], "6", "{json}");
    assert_eq!(v["matches"][0]["id"], "errCode:6", "{json}");
    assert_eq!(v["matches"][0]["kind"], "platform-code", "{json}");
    assert!(v["matches"][0]["score"].as_f64().is_some(), "{json}");
    let exact = explain("SIG009", &Style::plain(Format::Json, Lang::En)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&exact).unwrap();
    assert_eq!(v["matches"][0]["exact"], true, "{exact}");
    assert_eq!(v["matches"].as_array().map(Vec::len), Some(1), "{exact}");
}

#[test]
fn every_rule_is_reachable_from_a_symptom_or_a_code() {
    let named: std::collections::HashSet<&str> = bdpay_core::explain::symptoms()
        .iter()
        .chain(bdpay_core::explain::platform_codes())
        .flat_map(|c| &c.cause)
        .flat_map(|s| &s.rules)
        .filter_map(|r| registry::find(r).map(|m| m.code.as_str()))
        .collect();
    let unreached: Vec<&str> = registry::all()
        .iter()
        .map(|r| r.code.as_str())
        .filter(|c| !named.contains(c))
        .collect();
    assert!(
        unreached.is_empty(),
        "no symptom or code leads to {unreached:?}"
    );
}

#[test]
fn long_or_random_text_is_refused_or_unmatched_and_never_echoed_whole() {
    let style = Style::plain(Format::Human, Lang::En);
    // A log is not a query: refused with what to do instead.
    let log = "userId=1&orderId=2&rsaSign=abc\n".repeat(3000);
    let e = explain(&log, &style).unwrap_err().to_string();
    assert!(e.contains("at most 64 KiB"), "{e}");
    // Random base64 holds `xss` and digits somewhere, but no phrasing or code as a word.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let noise: String = (0..20_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            alphabet[(x % 64) as usize] as char
        })
        .collect();
    let noise = format!("{noise}xss{noise}");
    let e = explain(&noise, &style).unwrap_err().to_string();
    assert!(
        e.len() < 300,
        "the error quotes the query's start only: {e}"
    );
}
