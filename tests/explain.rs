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
        .filter(|id| bdpay_core::explain::find_code(id).is_none())
        .collect();
    assert!(missing.is_empty(), "not explained: {missing:?}");
    // 10002 is two codes: the errno says the iOS meaning too.
    let text = both("10002");
    assert!(text.contains("ios:10002"), "{text}");
}
