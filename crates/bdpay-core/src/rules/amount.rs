//! Amount rules: every amount is a positive integer number of fen, and test orders are large and
//! numerous enough for money to reach 企业资产.

use super::{Ctx, Sink};
use crate::config;
use crate::finding::Report;
use crate::payload::Kind;
use crate::payload::json::Node;

/// What is wrong with an amount, in both languages, and a suggested value.
struct Fault {
    en: String,
    zh: String,
    suggest: Option<String>,
}

/// Judges an amount as written (string or number).
fn judge(raw: &str) -> Option<Fault> {
    let f = |en: &str, zh: &str, suggest: Option<String>| {
        Some(Fault {
            en: en.into(),
            zh: zh.into(),
            suggest,
        })
    };
    if raw.is_empty() {
        return None;
    }
    let t = raw.trim();
    if t != raw {
        return f(
            "has spaces around it",
            "前后带有空格",
            (!t.is_empty()).then(|| t.to_owned()),
        );
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        if t.bytes().all(|b| b == b'0') {
            return f("is zero", "为零", None);
        }
        if t.starts_with('0') {
            return f(
                "has leading zeros",
                "有前导零",
                Some(t.trim_start_matches('0').into()),
            );
        }
        return None;
    }
    if t.starts_with('-') {
        return f("is negative", "为负数", None);
    }
    if let Some(rest) = t.strip_prefix('+') {
        return f(
            "has a plus sign",
            "带有加号",
            rest.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| rest.to_owned()),
        );
    }
    // Only digits, one point and an exponent are numbers here; f64 would also take NaN and inf.
    let numeric = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && t.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || b == b'.');
    let Some(x) = t.parse::<f64>().ok().filter(|_| numeric) else {
        return f("is not a number", "不是数字", None);
    };
    if t.contains(['e', 'E']) {
        return f(
            "is written with an exponent",
            "使用了科学计数法",
            (x.fract() == 0.0 && (1.0..1e15).contains(&x)).then(|| format!("{x:.0}")),
        );
    }
    let frac = t.split_once('.').map_or("", |(_, b)| b);
    if frac.len() >= 6 {
        // yuan * 100 in floating point: 28.999999999999996, 1989.9999999999998.
        let rounded = x.round();
        return f(
            "is a floating-point artefact of yuan × 100",
            "是元 × 100 的浮点误差",
            Some(format!("{rounded:.0}")),
        );
    }
    if frac.bytes().all(|b| b == b'0') {
        return f(
            "has a decimal point (amounts are whole fen; this looks like yuan)",
            "带有小数点（金额单位为分，此值像是以元为单位）",
            Some(format!("{:.0}", x * 100.0)),
        );
    }
    f("is not a whole number of fen", "不是整数分", None)
}

fn report_amount(ctx: &Ctx<'_>, sink: &mut Sink, what: &str, node: &Node) {
    let Some(p) = ctx.payload else { return };
    let Some(raw) = node.scalar_text() else {
        return;
    };
    let Some(fault) = judge(raw) else { return };
    let mut r = Report::new(
        &p.source,
        node.span,
        ctx.t(
            format!("{what} {raw:?} {}", fault.en),
            format!("{what} {raw:?} {}", fault.zh),
        ),
    )
    .label(ctx.t(
        "not an integer amount in fen".into(),
        "不是以分为单位的整数".into(),
    ));
    if let Some(s) = fault.suggest {
        r = r.help(ctx.t(
            format!("send a whole number of fen, e.g. \"{s}\"; compute amounts in integer fen, or round (Math.round) — never truncate"),
            format!("以整数分传递，例如 \"{s}\"；用整数分计算金额，或四舍五入（Math.round），不要截断"),
        ));
    }
    sink.report(r);
}

/// AMT001
pub fn amount_not_integer_fen(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload else { return };
    match p.kind {
        Kind::Order => {
            if let Some(m) = p.get("totalAmount") {
                report_amount(ctx, sink, "totalAmount", &m.value);
            }
            if let Some(m) =
                super::bizinfo::tp_data(p).and_then(|tp| tp.get("totalAmount").cloned())
            {
                report_amount(ctx, sink, "bizInfo.tpData.totalAmount", &m.value);
            }
        }
        Kind::RefundApply => {
            if let Some(m) = p.get("applyRefundMoney") {
                report_amount(ctx, sink, "applyRefundMoney", &m.value);
            }
        }
        _ => {}
    }
}

/// The smallest test amount that leaves money after commission (0.1 yuan).
const MIN_TEST_FEN: i64 = 10;

/// AMT002
pub fn test_amount_too_small(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(c) = ctx.config_only() else { return };
    let Some(test) = &c.test else { return };
    for a in test.get_ref().amounts.get_ref() {
        let v = *a.get_ref();
        if v >= MIN_TEST_FEN {
            continue;
        }
        sink.report(
            Report::new(
                &c.source,
                config::span(a),
                ctx.t(
                    format!("test order of {v} fen is under 10 fen (0.1 yuan)"),
                    format!("测试订单金额 {v} 分低于 10 分（0.1 元）"),
                ),
            )
            .label(ctx.t("commission takes all of it".into(), "全部被扣作佣金".into())),
        );
    }
}

/// AMT003
pub fn test_orders_too_few(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(c) = ctx.config_only() else { return };
    let Some(test) = &c.test else { return };
    let amounts: Vec<i64> = test
        .get_ref()
        .amounts
        .get_ref()
        .iter()
        .map(|a| *a.get_ref())
        .collect();
    let repeated = amounts
        .iter()
        .any(|a| amounts.iter().filter(|b| *b == a).count() >= 2);
    if repeated {
        return;
    }
    let list = if amounts.is_empty() {
        "none".to_owned()
    } else {
        amounts
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    sink.report(
        Report::new(
            &c.source,
            config::span(&test.get_ref().amounts),
            ctx.t(
                format!("no two test orders have the same amount (fen: {list})"),
                format!("没有两笔金额相同的测试订单（分：{list}）"),
            ),
        )
        .label(ctx.t("test amounts".into(), "测试金额".into())),
    );
}

#[cfg(test)]
mod tests {
    use super::judge;

    #[test]
    fn amounts() {
        for ok in ["1", "100", "11300"] {
            assert!(judge(ok).is_none(), "{ok}");
        }
        for (bad, suggest) in [
            ("1.00", Some("100")),
            ("3990.00", Some("399000")),
            ("28.999999999999996", Some("29")),
            ("1e3", Some("1000")),
            ("11.3", None),
            ("-1", None),
            ("0", None),
            (" 100", Some("100")),
            ("abc", None),
            ("NaN", None),
            ("Infinity", None),
            ("+100", Some("100")),
        ] {
            let f = judge(bad).unwrap_or_else(|| panic!("{bad}"));
            assert_eq!(f.suggest.as_deref(), suggest, "{bad}");
        }
    }
}
