//! Answer rules: the merchant's answers to the platform's callbacks. The platform only counts a
//! callback as handled when the answer is JSON with `errno` 0, a `msg`, and the `data` the
//! callback kind asks for.

use super::{Ctx, Sink};
use crate::finding::Report;
use crate::payload::json::{Member, Node, Value, is_json_number};
use crate::payload::{Form, Kind, Payload, Wrapping};
use crate::source::Span;

/// The answer, when the payload is one and reads as an object.
fn answer<'p>(ctx: &Ctx<'p>, kinds: &[Kind]) -> Option<&'p Payload> {
    ctx.payload_of(kinds).filter(|p| p.root.is_object())
}

const ANSWERS: [Kind; 3] = [
    Kind::NotifyResponse,
    Kind::RefundAuditResponse,
    Kind::RefundNotifyResponse,
];

/// The answer the platform expects for a kind.
fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::RefundAuditResponse => {
            r#"{"errno":0,"msg":"success","data":{"auditStatus":1,"calculateRes":{"refundPayMoney":100}}}"#
        }
        Kind::RefundNotifyResponse => r#"{"errno":0,"msg":"success","data":{}}"#,
        _ => r#"{"errno":0,"msg":"success","data":{"isConsumed":2}}"#,
    }
}

fn start(p: &Payload) -> Span {
    Span::new(p.root.span.start, p.root.span.start + 1)
}

/// An integer as JSON writes it, or `None`.
fn int(n: &Node) -> Option<i64> {
    match &n.value {
        Value::Num(s) if is_json_number(s) && !s.contains(['.', 'e', 'E']) => s.parse().ok(),
        _ => None,
    }
}

/// RSP001
pub fn response_not_json(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload_of(&ANSWERS) else {
        return;
    };
    let wrapped = match &p.wrapping {
        Some(Wrapping::String(span)) => Some((
            *span,
            "the answer is a JSON string that holds JSON (encoded twice), not a JSON object",
            "应答是存放 JSON 的字符串（被编码了两次），不是 JSON 对象",
        )),
        Some(Wrapping::Array(span)) => Some((
            *span,
            "the answer is a JSON array, not a JSON object",
            "应答是 JSON 数组，不是 JSON 对象",
        )),
        _ => None,
    };
    let (span, en, zh) = if let Some((span, en, zh)) = wrapped {
        (span, en.to_owned(), zh.to_owned())
    } else {
        match (p.form, &p.root.value) {
            (Form::PlainText, Value::Str(s)) => (
                p.root.span,
                format!("the answer is plain text {s:?}, not JSON"),
                format!("应答是纯文本 {s:?}，不是 JSON"),
            ),
            (Form::JsLiteral, _) => {
                let nj = p.not_json.map_or(p.root.span, |n| n.span);
                let what = p.not_json.map(|n| n.what.describe()).unwrap_or_default();
                (
                    nj,
                    format!(
                        "the answer is a JavaScript object literal, not JSON: it has {}",
                        what.en
                    ),
                    format!("应答是 JavaScript 对象字面量，不是 JSON：含有{}", what.zh),
                )
            }
            (Form::FormBody | Form::Url | Form::HttpRequest, _) => (
                p.root.span,
                format!("the answer is {}, not JSON", p.form.describe().en),
                format!("应答是{}，不是 JSON", p.form.describe().zh),
            ),
            (_, Value::Object(_)) => return,
            (_, _) => (
                p.root.span,
                format!(
                    "the answer is JSON {}, not a JSON object",
                    p.root.type_name()
                ),
                format!(
                    "应答是 JSON {}，不是 JSON 对象",
                    super::bizinfo::zh_type(p.root.type_name())
                ),
            ),
        }
    };
    sink.report(
        Report::new(&p.source, span, ctx.t(en, zh))
            .label(ctx.t("not a JSON object".into(), "不是 JSON 对象".into()))
            .help(ctx.t(
                format!("answer exactly {}", expected(p.kind)),
                format!("应答应为 {}", expected(p.kind)),
            )),
    );
}

/// RSP002
pub fn response_errno_missing(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &ANSWERS) else {
        return;
    };
    if p.get("errno").is_some() || super::near_member(&p.root, "errno").is_some() {
        return;
    }
    sink.report(
        Report::new(
            &p.source,
            start(p),
            ctx.t("the answer has no errno".into(), "应答缺少 errno".into()),
        )
        .label(ctx.t("errno missing".into(), "缺少 errno".into())),
    );
}

/// RSP003
pub fn response_errno_not_integer(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &ANSWERS) else {
        return;
    };
    let Some(m) = p.get("errno") else { return };
    if int(&m.value).is_some() {
        return;
    }
    let shown = p.source.slice(m.value.span).to_owned();
    sink.report(
        Report::new(
            &p.source,
            m.value.span,
            ctx.t(
                format!("errno is {shown}, not the integer 0"),
                format!("errno 为 {shown}，不是整数 0"),
            ),
        )
        .label(ctx.t(
            m.value.type_name().into(),
            super::bizinfo::zh_type(m.value.type_name()).into(),
        )),
    );
}

/// RSP004
pub fn response_errno_not_zero(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &ANSWERS) else {
        return;
    };
    let Some(m) = p.get("errno") else { return };
    let Some(n) = int(&m.value) else { return };
    if n == 0 {
        return;
    }
    sink.report(
        Report::new(
            &p.source,
            m.value.span,
            ctx.t(
                format!("errno is {n}: the platform counts the callback as failed and calls again"),
                format!("errno 为 {n}：平台视为回调失败并重试"),
            ),
        )
        .label(ctx.t("not 0".into(), "不为 0".into())),
    );
}

/// RSP005
pub fn response_msg_missing(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &ANSWERS) else {
        return;
    };
    let (span, en, zh) = match p.get("msg") {
        Some(Member {
            value: Node {
                value: Value::Str(_),
                ..
            },
            ..
        }) => return,
        Some(m) => (
            m.value.span,
            format!("msg is {}, not a string", m.value.type_name()),
            format!(
                "msg 是{}，不是字符串",
                super::bizinfo::zh_type(m.value.type_name())
            ),
        ),
        None => match p.get("message") {
            Some(m) => (
                m.key_span,
                "the answer has `message` instead of `msg`".to_owned(),
                "应答使用了 `message` 而不是 `msg`".to_owned(),
            ),
            None if super::near_member(&p.root, "msg").is_some() => return,
            None => (
                start(p),
                "the answer has no msg".to_owned(),
                "应答缺少 msg".to_owned(),
            ),
        },
    };
    sink.report(Report::new(&p.source, span, ctx.t(en, zh)).label(ctx.t(
        "expected \"msg\": \"success\"".into(),
        "应为 \"msg\": \"success\"".into(),
    )));
}

/// RSP006
pub fn response_data_wrong_type(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &ANSWERS) else {
        return;
    };
    let (span, en, zh) = match p.get("data") {
        Some(m) if m.value.is_object() => return,
        Some(m) => (
            m.value.span,
            format!("data is {}, not an object", m.value.type_name()),
            format!(
                "data 是{}，不是对象",
                super::bizinfo::zh_type(m.value.type_name())
            ),
        ),
        None if super::near_member(&p.root, "data").is_some() => return,
        None => (
            start(p),
            "the answer has no data object".to_owned(),
            "应答缺少 data 对象".to_owned(),
        ),
    };
    sink.report(
        Report::new(&p.source, span, ctx.t(en, zh))
            .label(ctx.t("data must be an object".into(), "data 必须是对象".into()))
            .help(ctx.t(
                format!("answer {}", expected(p.kind)),
                format!("应答应为 {}", expected(p.kind)),
            )),
    );
}

/// `data.<key>` of an answer, and where to point when it is absent.
fn data_field<'p>(p: &'p Payload, key: &str) -> (Option<&'p Member>, Span) {
    match p.get("data") {
        Some(d) if d.value.is_object() => (
            d.value.get(key),
            Span::new(d.value.span.start, d.value.span.start + 1),
        ),
        Some(d) => (None, d.value.span),
        None => (None, start(p)),
    }
}

/// RSP007
pub fn notify_is_consumed_not_2(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &[Kind::NotifyResponse]) else {
        return;
    };
    let (m, at) = data_field(p, "isConsumed");
    let (span, en, zh) = match m {
        Some(m) if int(&m.value) == Some(2) => return,
        Some(m) => {
            let shown = p.source.slice(m.value.span).to_owned();
            let (en, zh) = if int(&m.value) == Some(1) {
                (
                    "isConsumed is 1 (未消费): the order stays 已付款 and its money never reaches 企业资产".to_owned(),
                    "isConsumed 为 1（未消费）：订单停留在已付款，资金不会进入企业资产".to_owned(),
                )
            } else {
                (
                    format!("isConsumed is {shown}, not the integer 2"),
                    format!("isConsumed 为 {shown}，不是整数 2"),
                )
            };
            (m.value.span, en, zh)
        }
        None => {
            if let Some(top) = p.get("isConsumed") {
                (
                    top.key_span,
                    "isConsumed is at the top level; the platform reads data.isConsumed".to_owned(),
                    "isConsumed 位于顶层；平台读取的是 data.isConsumed".to_owned(),
                )
            } else {
                (
                    at,
                    "the answer has no data.isConsumed: the platform treats the order as abnormal and refunds it".to_owned(),
                    "应答缺少 data.isConsumed：平台按异常订单处理并退款".to_owned(),
                )
            }
        }
    };
    sink.report(
        Report::new(&p.source, span, ctx.t(en, zh))
            .label(ctx.t("must be 2 (已消费)".into(), "必须为 2（已消费）".into())),
    );
}

/// RSP008
pub fn notify_error_order(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &[Kind::NotifyResponse]) else {
        return;
    };
    let (Some(m), _) = data_field(p, "isErrorOrder") else {
        return;
    };
    if m.value.scalar_text() != Some("1") {
        return;
    }
    sink.report(
        Report::new(
            &p.source,
            m.value.span,
            ctx.t(
                "isErrorOrder is 1: the platform will refund this order (abnormal refund)".into(),
                "isErrorOrder 为 1：平台将对该订单发起异常退款".into(),
            ),
        )
        .label(ctx.t("asks for a refund".into(), "请求退款".into())),
    );
}

/// RSP009
pub fn refund_audit_status_invalid(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &[Kind::RefundAuditResponse]) else {
        return;
    };
    let (m, at) = data_field(p, "auditStatus");
    let (span, en, zh) = match m {
        Some(m) if matches!(int(&m.value), Some(1..=3)) => return,
        Some(m) => {
            let shown = p.source.slice(m.value.span).to_owned();
            (
                m.value.span,
                format!("auditStatus is {shown}, not 1, 2 or 3"),
                format!("auditStatus 为 {shown}，不是 1、2 或 3"),
            )
        }
        None => (
            at,
            "the answer has no data.auditStatus".to_owned(),
            "应答缺少 data.auditStatus".to_owned(),
        ),
    };
    sink.report(Report::new(&p.source, span, ctx.t(en, zh)).label(ctx.t(
        "1 approve, 2 reject, 3 undecided".into(),
        "1 同意，2 拒绝，3 暂不确定".into(),
    )));
}

/// RSP010
pub fn refund_audit_pending(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &[Kind::RefundAuditResponse]) else {
        return;
    };
    let (Some(m), _) = data_field(p, "auditStatus") else {
        return;
    };
    if int(&m.value) != Some(3) {
        return;
    }
    sink.report(
        Report::new(
            &p.source,
            m.value.span,
            ctx.t(
                "auditStatus 3 leaves the refund undecided: the platform asks again every 5 minutes and the user waits".into(),
                "auditStatus 3 表示暂不确定：平台每 5 分钟重试一次，用户一直拿不到退款".into(),
            ),
        )
        .label(ctx.t("undecided".into(), "暂不确定".into())),
    );
}

/// RSP011
pub fn refund_pay_money_not_integer_fen(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &[Kind::RefundAuditResponse]) else {
        return;
    };
    let (Some(calc), _) = data_field(p, "calculateRes") else {
        return;
    };
    let Some(m) = calc.value.get("refundPayMoney") else {
        return;
    };
    if int(&m.value).is_some_and(|n| n >= 0) {
        return;
    }
    let shown = p.source.slice(m.value.span).to_owned();
    let mut r = Report::new(
        &p.source,
        m.value.span,
        ctx.t(
            format!("refundPayMoney is {shown}, not an integer number of fen"),
            format!("refundPayMoney 为 {shown}，不是以分为单位的整数"),
        ),
    )
    .label(ctx.t(
        "integer fen, no decimal point".into(),
        "整数分，不带小数点".into(),
    ));
    let digits = m.value.scalar_text().unwrap_or("").trim();
    if let Ok(x) = digits.parse::<f64>() {
        let (en, zh) = if !(0.0..1e13).contains(&x) {
            (None, None)
        } else if x.fract() == 0.0 && !digits.contains('.') {
            (
                Some(format!("answer the JSON integer {x:.0} (no quotes)")),
                Some(format!("应答 JSON 整数 {x:.0}（不加引号）")),
            )
        } else {
            let fen = (x * 100.0).round();
            (
                Some(format!(
                    "answer a JSON integer in fen: {fen:.0} if {digits} is yuan"
                )),
                Some(format!(
                    "应答以分为单位的 JSON 整数：若 {digits} 是元，应为 {fen:.0}"
                )),
            )
        };
        if let (Some(en), Some(zh)) = (en, zh) {
            r = r.help(ctx.t(en, zh));
        }
    }
    sink.report(r);
}

/// RSP012
pub fn refund_audit_shape(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &[Kind::RefundAuditResponse]) else {
        return;
    };
    let Some(data) = p.get("data").filter(|d| d.value.is_object()) else {
        if let Some(top) = p.get("calculateRes") {
            sink.report(
                Report::new(
                    &p.source,
                    top.key_span,
                    ctx.t(
                        "calculateRes is at the top level; the platform reads data.calculateRes"
                            .into(),
                        "calculateRes 位于顶层；平台读取的是 data.calculateRes".into(),
                    ),
                )
                .label(ctx.t("outside data".into(), "不在 data 中".into())),
            );
        }
        return;
    };
    let d = &data.value;
    if d.get("calculateRes").is_none()
        && let Some(top) = p.get("calculateRes")
    {
        sink.report(
            Report::new(
                &p.source,
                top.key_span,
                ctx.t(
                    "calculateRes is beside data; the platform reads data.calculateRes".into(),
                    "calculateRes 与 data 并列；平台读取的是 data.calculateRes".into(),
                ),
            )
            .label(ctx.t("outside data".into(), "不在 data 中".into())),
        );
        return;
    }
    let snake = |n: &Node, key: &str| {
        n.members()
            .iter()
            .find(|m| m.key == key)
            .map(|m| m.key_span)
    };
    let (span, en, zh) = match d.get("calculateRes") {
        None => match snake(d, "calculate_res") {
            Some(s) => (
                s,
                "calculate_res is snake_case; the platform reads calculateRes".to_owned(),
                "calculate_res 是下划线命名；平台读取的是 calculateRes".to_owned(),
            ),
            None => (
                Span::new(d.span.start, d.span.start + 1),
                "the answer has no data.calculateRes (required even when rejecting)".to_owned(),
                "应答缺少 data.calculateRes（拒绝退款时也必须提供）".to_owned(),
            ),
        },
        Some(c) if c.value.get("refundPayMoney").is_some() => return,
        Some(c) => match snake(&c.value, "refund_pay_money") {
            Some(s) => (
                s,
                "refund_pay_money is snake_case; the platform reads refundPayMoney".to_owned(),
                "refund_pay_money 是下划线命名；平台读取的是 refundPayMoney".to_owned(),
            ),
            None => (
                c.value.span,
                "calculateRes has no refundPayMoney".to_owned(),
                "calculateRes 缺少 refundPayMoney".to_owned(),
            ),
        },
    };
    sink.report(
        Report::new(&p.source, span, ctx.t(en, zh))
            .label(ctx.t(
                "expected calculateRes.refundPayMoney".into(),
                "应为 calculateRes.refundPayMoney".into(),
            ))
            .help(ctx.t(
                format!("answer {}", expected(p.kind)),
                format!("应答应为 {}", expected(p.kind)),
            )),
    );
}
