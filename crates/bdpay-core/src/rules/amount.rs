//! Amount rules: every amount is a positive integer number of fen, and test orders are large and
//! numerous enough for money to reach 企业资产.

use std::sync::Arc;

use super::{Ctx, Sink};
use crate::config;
use crate::finding::Diagnostic;
use crate::message::Msg;
use crate::msg;
use crate::payload::Kind;
use crate::payload::json::Node;
use crate::source::{SourceFile, Span};

/// What a fault says after the amount: `totalAmount "1.00" has a decimal point …`.
fn fault_msg(fault: Fault) -> Msg {
    match fault {
        Fault::Spaces => msg!("has spaces around it", "前后带有空格"),
        Fault::Zero => msg!("is zero", "为零"),
        Fault::LeadingZeros => msg!("has leading zeros", "有前导零"),
        Fault::Negative => msg!("is negative", "为负数"),
        Fault::PlusSign => msg!("has a plus sign", "带有加号"),
        Fault::NotNumber => msg!("is not a number", "不是数字"),
        Fault::Exponent => msg!("is written with an exponent", "使用了科学计数法"),
        Fault::FloatArtefact => msg!(
            "is a floating-point artefact of yuan × 100",
            "是“元 × 100”产生的浮点误差"
        ),
        Fault::DecimalPoint => msg!(
            "has a decimal point (amounts are whole fen; this looks like yuan)",
            "带有小数点（金额以分为单位且为整数，此值像是以元为单位）"
        ),
        Fault::Fraction => msg!("is not a whole number of fen", "不是整数分"),
    }
}

/// `what` (a field name) is `raw`, which is wrong as `judged` says.
fn amount_not_integer_fen_diag(
    source: &Arc<SourceFile>,
    span: Span,
    what: &str,
    raw: &str,
    judged: &Judgement,
) -> Diagnostic {
    let mut r = Diagnostic::new(
        source,
        span,
        msg!(
            "{what} {raw:?} {fault}",
            "{what} {raw:?} {fault}";
            fault = fault_msg(judged.fault)
        ),
    )
    .label(msg!(
        "not an integer amount in fen",
        "不是以分为单位的整数金额"
    ));
    if let Some(s) = &judged.suggest {
        r = r.help(msg!(
            "send a whole number of fen, e.g. \"{s}\"; compute amounts in integer fen, or round (Math.round) — never truncate",
            "以整数分传递，例如 \"{s}\"；金额用整数分计算，或四舍五入（Math.round），不要直接截断"
        ));
    }
    r
}

fn test_amount_too_small_diag(source: &Arc<SourceFile>, span: Span, v: i64) -> Diagnostic {
    Diagnostic::new(
        source,
        span,
        msg!(
            "test order of {v} fen is under 10 fen (0.1 yuan)",
            "测试订单金额 {v} 分，低于 10 分（0.1 元）"
        ),
    )
    .label(msg!("commission takes all of it", "会被佣金全部扣掉"))
}

fn test_orders_too_few_diag(source: &Arc<SourceFile>, span: Span, amounts: &[i64]) -> Diagnostic {
    let list = if amounts.is_empty() {
        msg!("none", "无")
    } else {
        Msg::same(
            amounts
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    Diagnostic::new(
        source,
        span,
        msg!(
            "no two test orders have the same amount (fen: {list})",
            "没有两笔金额相同的测试订单（现有金额，单位为分：{list}）";
            list = list
        ),
    )
    .label(msg!("test amounts", "测试金额"))
}

/// What is wrong with an amount as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Spaces,
    Zero,
    LeadingZeros,
    Negative,
    PlusSign,
    NotNumber,
    Exponent,
    FloatArtefact,
    DecimalPoint,
    Fraction,
}

/// A fault and the value to send instead, when there is one.
struct Judgement {
    fault: Fault,
    suggest: Option<String>,
}

/// Judges an amount as written (string or number).
fn judge(raw: &str) -> Option<Judgement> {
    let f = |fault: Fault, suggest: Option<String>| Some(Judgement { fault, suggest });
    if raw.is_empty() {
        return None;
    }
    let t = raw.trim();
    if t != raw {
        return f(Fault::Spaces, (!t.is_empty()).then(|| t.to_owned()));
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        if t.bytes().all(|b| b == b'0') {
            return f(Fault::Zero, None);
        }
        if t.starts_with('0') {
            return f(Fault::LeadingZeros, Some(t.trim_start_matches('0').into()));
        }
        return None;
    }
    if t.starts_with('-') {
        return f(Fault::Negative, None);
    }
    if let Some(rest) = t.strip_prefix('+') {
        return f(
            Fault::PlusSign,
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
        return f(Fault::NotNumber, None);
    };
    if t.contains(['e', 'E']) {
        return f(
            Fault::Exponent,
            (x.fract() == 0.0 && (1.0..1e15).contains(&x)).then(|| format!("{x:.0}")),
        );
    }
    let frac = t.split_once('.').map_or("", |(_, b)| b);
    if frac.len() >= 6 {
        // yuan * 100 in floating point: 28.999999999999996, 1989.9999999999998.
        let rounded = x.round();
        return f(Fault::FloatArtefact, Some(format!("{rounded:.0}")));
    }
    if frac.bytes().all(|b| b == b'0') {
        return f(Fault::DecimalPoint, Some(format!("{:.0}", x * 100.0)));
    }
    f(Fault::Fraction, None)
}

fn report_amount(ctx: &Ctx<'_>, sink: &mut Sink, what: &str, node: &Node) {
    let Some(p) = ctx.payload else { return };
    let Some(raw) = node.scalar_text() else {
        return;
    };
    let Some(judged) = judge(raw) else { return };
    sink.report(amount_not_integer_fen_diag(
        &p.source, node.span, what, raw, &judged,
    ));
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
        sink.report(test_amount_too_small_diag(&c.source, config::span(a), v));
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
    sink.report(test_orders_too_few_diag(
        &c.source,
        config::span(&test.get_ref().amounts),
        &amounts,
    ));
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
