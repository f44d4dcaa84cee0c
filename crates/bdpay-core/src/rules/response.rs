//! Answer rules: the merchant's answers to the platform's callbacks. The platform only counts a
//! callback as handled when the answer is JSON with `errno` 0, a `msg`, and the `data` the
//! callback kind asks for.

use super::{Ctx, Sink};
use crate::finding::Diagnostic;
use crate::message::Msg;
use crate::msg;
use crate::payload::json::{Member, Node, NotJsonKind, Value, is_json_number};
use crate::payload::{Form, Kind, Payload, Wrapping};
use crate::source::Span;

/// What an answer that is not a JSON object is instead.
enum NotObject<'a> {
    /// A JSON string holding JSON.
    EncodedTwice,
    Array,
    PlainText(&'a str),
    /// A JavaScript object literal, with the first thing JSON does not allow.
    JsLiteral(Option<NotJsonKind>),
    /// A form body, URL or HTTP request.
    Form(Form),
    /// JSON of another type.
    OtherJson(&'a Node),
}

fn response_not_json_diag(p: &Payload, span: Span, is: &NotObject<'_>) -> Diagnostic {
    let message = match is {
        NotObject::EncodedTwice => msg!(
            "the answer is a JSON string that holds JSON (encoded twice), not a JSON object",
            "应答是存放 JSON 的字符串（被编码了两次），不是 JSON 对象"
        ),
        NotObject::Array => msg!(
            "the answer is a JSON array, not a JSON object",
            "应答是 JSON 数组，不是 JSON 对象"
        ),
        NotObject::PlainText(s) => msg!(
            "the answer is plain text {s:?}, not JSON",
            "应答是纯文本 {s:?}，不是 JSON"
        ),
        NotObject::JsLiteral(what) => msg!(
            "the answer is a JavaScript object literal, not JSON: it has {what}",
            "应答是 JavaScript 对象字面量，不是 JSON：含有{what}";
            what = what.map(NotJsonKind::describe).unwrap_or_default()
        ),
        NotObject::Form(form) => msg!(
            "the answer is {form}, not JSON",
            "应答是{form}，不是 JSON";
            form = form.describe()
        ),
        NotObject::OtherJson(node) => msg!(
            "the answer is JSON {ty}, not a JSON object",
            "应答是 JSON {ty}，不是 JSON 对象";
            ty = node.type_msg()
        ),
    };
    let expected = expected(p.kind);
    Diagnostic::new(&p.source, span, message)
        .label(msg!("not a JSON object", "不是 JSON 对象"))
        .help(msg!(
            "answer exactly {expected}",
            "应答内容必须正好是 {expected}"
        ))
}

fn response_errno_missing_diag(p: &Payload) -> Diagnostic {
    Diagnostic::new(
        &p.source,
        start(p),
        msg!("the answer has no errno", "应答缺少 errno"),
    )
    .label(msg!("errno missing", "缺少 errno"))
}

/// `errno` is the value at `errno`, shown as written.
fn response_errno_not_integer_diag(p: &Payload, errno: &Node) -> Diagnostic {
    let shown = p.source.slice(errno.span);
    Diagnostic::new(
        &p.source,
        errno.span,
        msg!(
            "errno is {shown}, not the integer 0",
            "errno 为 {shown}，不是整数 0"
        ),
    )
    .label(errno.type_msg())
}

fn response_errno_not_zero_diag(p: &Payload, span: Span, n: i64) -> Diagnostic {
    Diagnostic::new(
        &p.source,
        span,
        msg!(
            "errno is {n}: the platform counts the callback as failed and calls again",
            "errno 为 {n}：平台视为回调失败并会重新回调"
        ),
    )
    .label(msg!("not 0", "不为 0"))
}

/// What is wrong with an answer's `msg`.
enum MsgFault<'a> {
    /// `msg` is there but not a string.
    NotString(&'a Node),
    /// The answer has `message` instead.
    Message,
    Missing,
}

fn response_msg_missing_diag(p: &Payload, span: Span, fault: &MsgFault<'_>) -> Diagnostic {
    let message = match fault {
        MsgFault::NotString(node) => msg!(
            "msg is {ty}, not a string",
            "msg 是{ty}，不是字符串";
            ty = node.type_msg()
        ),
        MsgFault::Message => msg!(
            "the answer has `message` instead of `msg`",
            "应答使用了 `message`，而不是 `msg`"
        ),
        MsgFault::Missing => msg!("the answer has no msg", "应答缺少 msg"),
    };
    Diagnostic::new(&p.source, span, message).label(msg!(
        "expected \"msg\": \"success\"",
        "应为 \"msg\": \"success\""
    ))
}

/// `data` is `found`, or missing when `None`.
fn response_data_wrong_type_diag(p: &Payload, span: Span, found: Option<&Node>) -> Diagnostic {
    let message = match found {
        Some(node) => msg!(
            "data is {ty}, not an object",
            "data 是{ty}，不是对象";
            ty = node.type_msg()
        ),
        None => msg!("the answer has no data object", "应答缺少 data 对象"),
    };
    Diagnostic::new(&p.source, span, message)
        .label(msg!("data must be an object", "data 必须是对象"))
        .help(answer_help(p.kind))
}

/// What is wrong with a pay notify answer's `data.isConsumed`.
enum ConsumedFault<'a> {
    /// 1, not consumed.
    One,
    /// Another value, as written.
    Other(&'a str),
    /// At the top level instead of in `data`.
    TopLevel,
    Missing,
}

fn notify_is_consumed_not_2_diag(p: &Payload, span: Span, fault: &ConsumedFault<'_>) -> Diagnostic {
    let message = match fault {
        ConsumedFault::One => msg!(
            "isConsumed is 1 (未消费): the order stays 已付款 and its money never reaches 企业资产",
            "isConsumed 为 1（未消费）：订单停留在已付款，资金不会进入企业资产"
        ),
        ConsumedFault::Other(shown) => msg!(
            "isConsumed is {shown}, not the integer 2",
            "isConsumed 为 {shown}，不是整数 2"
        ),
        ConsumedFault::TopLevel => msg!(
            "isConsumed is at the top level; the platform reads data.isConsumed",
            "isConsumed 位于顶层；平台读取的是 data.isConsumed"
        ),
        ConsumedFault::Missing => msg!(
            "the answer has no data.isConsumed: the platform treats the order as abnormal and refunds it",
            "应答缺少 data.isConsumed：平台会按异常订单处理并退款"
        ),
    };
    Diagnostic::new(&p.source, span, message)
        .label(msg!("must be 2 (已消费)", "必须为 2（已消费）"))
}

fn notify_error_order_diag(p: &Payload, span: Span) -> Diagnostic {
    Diagnostic::new(
        &p.source,
        span,
        msg!(
            "isErrorOrder is 1: the platform will refund this order (abnormal refund)",
            "isErrorOrder 为 1：平台将对该订单发起异常退款"
        ),
    )
    .label(msg!("asks for a refund", "要求退款"))
}

/// `data.auditStatus` is `shown` as written, or missing when `None`.
fn refund_audit_status_invalid_diag(p: &Payload, span: Span, shown: Option<&str>) -> Diagnostic {
    let message = match shown {
        Some(shown) => msg!(
            "auditStatus is {shown}, not 1, 2 or 3",
            "auditStatus 为 {shown}，不是 1、2 或 3"
        ),
        None => msg!(
            "the answer has no data.auditStatus",
            "应答缺少 data.auditStatus"
        ),
    };
    Diagnostic::new(&p.source, span, message).label(msg!(
        "1 approve, 2 reject, 3 undecided",
        "1 同意，2 拒绝，3 暂不确定"
    ))
}

fn refund_audit_pending_diag(p: &Payload, span: Span) -> Diagnostic {
    Diagnostic::new(
        &p.source,
        span,
        msg!(
            "auditStatus 3 leaves the refund undecided: the platform asks again every 5 minutes and the user waits",
            "auditStatus 为 3 表示暂不确定：平台每 5 分钟重新询问一次，用户只能一直等待退款"
        ),
    )
    .label(msg!("undecided", "暂不确定"))
}

/// `refundPayMoney` (the node) is not an integer number of fen.
fn refund_pay_money_not_integer_fen_diag(p: &Payload, money: &Node) -> Diagnostic {
    let shown = p.source.slice(money.span);
    let r = Diagnostic::new(
        &p.source,
        money.span,
        msg!(
            "refundPayMoney is {shown}, not an integer number of fen",
            "refundPayMoney 为 {shown}，不是以分为单位的整数"
        ),
    )
    .label(msg!("integer fen, no decimal point", "整数分，不带小数点"));
    match pay_money_help(money.scalar_text().unwrap_or("").trim()) {
        Some(help) => r.help(help),
        None => r,
    }
}

/// The integer to answer instead of `digits`, when it is a number in range.
fn pay_money_help(digits: &str) -> Option<Msg> {
    let x = digits.parse::<f64>().ok()?;
    if !(0.0..1e13).contains(&x) {
        None
    } else if x.fract() == 0.0 && !digits.contains('.') {
        Some(msg!(
            "answer the JSON integer {x:.0} (no quotes)",
            "改为 JSON 整数 {x:.0}（不加引号）"
        ))
    } else {
        let fen = (x * 100.0).round();
        Some(msg!(
            "answer a JSON integer in fen: {fen:.0} if {digits} is yuan",
            "改为以分为单位的 JSON 整数：若 {digits} 的单位是元，应为 {fen:.0}"
        ))
    }
}

/// What is wrong with the shape of a refund audit answer.
enum AuditShape {
    /// `calculateRes` at the top level, and no `data` object.
    CalculateResTopLevel,
    /// `calculateRes` beside a `data` object.
    CalculateResBeside,
    CalculateResSnake,
    CalculateResMissing,
    RefundPayMoneySnake,
    RefundPayMoneyMissing,
}

fn refund_audit_shape_diag(p: &Payload, span: Span, fault: &AuditShape) -> Diagnostic {
    let outside = |message: Msg| {
        Diagnostic::new(&p.source, span, message).label(msg!("outside data", "不在 data 中"))
    };
    let message = match fault {
        AuditShape::CalculateResTopLevel => {
            return outside(msg!(
                "calculateRes is at the top level; the platform reads data.calculateRes",
                "calculateRes 位于顶层；平台读取的是 data.calculateRes"
            ));
        }
        AuditShape::CalculateResBeside => {
            return outside(msg!(
                "calculateRes is beside data; the platform reads data.calculateRes",
                "calculateRes 与 data 并列；平台读取的是 data.calculateRes"
            ));
        }
        AuditShape::CalculateResSnake => msg!(
            "calculate_res is snake_case; the platform reads calculateRes",
            "calculate_res 是下划线命名；平台读取的是 calculateRes"
        ),
        AuditShape::CalculateResMissing => msg!(
            "the answer has no data.calculateRes (required even when rejecting)",
            "应答缺少 data.calculateRes（拒绝退款时也必须提供）"
        ),
        AuditShape::RefundPayMoneySnake => msg!(
            "refund_pay_money is snake_case; the platform reads refundPayMoney",
            "refund_pay_money 是下划线命名；平台读取的是 refundPayMoney"
        ),
        AuditShape::RefundPayMoneyMissing => msg!(
            "calculateRes has no refundPayMoney",
            "calculateRes 缺少 refundPayMoney"
        ),
    };
    Diagnostic::new(&p.source, span, message)
        .label(msg!(
            "expected calculateRes.refundPayMoney",
            "应为 calculateRes.refundPayMoney"
        ))
        .help(answer_help(p.kind))
}

/// Help: the answer the platform expects for a kind.
fn answer_help(kind: Kind) -> Msg {
    let expected = expected(kind);
    msg!("answer {expected}", "应答内容应为 {expected}")
}

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

/// [`int`] for a value of `p`: in a print-out that does not keep types (`print_r`,
/// `Map.toString()`), digits are the integer they print.
fn int_in(p: &Payload, n: &Node) -> Option<i64> {
    match &n.value {
        Value::Str(s)
            if !p.form.keeps_types()
                && !s.is_empty()
                && s.bytes().all(|b| b.is_ascii_digit() || b == b'-') =>
        {
            s.parse().ok()
        }
        _ => int(n),
    }
}

/// RSP001
pub fn response_not_json(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload_of(&ANSWERS) else {
        return;
    };
    // A print-out (print_r, Map.toString(), the devtools' view) shows the fields, not the
    // bytes that were sent: it says nothing about whether the answer was JSON.
    if p.form.is_printout() {
        return;
    }
    let (span, is) = match (&p.wrapping, p.form, &p.root.value) {
        (Some(Wrapping::String(span)), _, _) => (*span, NotObject::EncodedTwice),
        (Some(Wrapping::Array(span)), _, _) => (*span, NotObject::Array),
        (_, Form::PlainText, Value::Str(s)) => (p.root.span, NotObject::PlainText(s)),
        (_, Form::JsLiteral, _) => (
            p.not_json.map_or(p.root.span, |n| n.span),
            NotObject::JsLiteral(p.not_json.map(|n| n.what)),
        ),
        (_, Form::FormBody | Form::FormBodyDecoded | Form::Url | Form::HttpRequest, _) => {
            (p.root.span, NotObject::Form(p.form))
        }
        (_, _, Value::Object(_)) => return,
        (_, _, _) => (p.root.span, NotObject::OtherJson(&p.root)),
    };
    sink.report(response_not_json_diag(p, span, &is));
}

/// RSP002
pub fn response_errno_missing(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &ANSWERS) else {
        return;
    };
    if p.get("errno").is_some() || super::near_member(&p.root, "errno").is_some() {
        return;
    }
    sink.report(response_errno_missing_diag(p));
}

/// RSP003
pub fn response_errno_not_integer(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &ANSWERS) else {
        return;
    };
    let Some(m) = p.get("errno") else { return };
    // A print-out that does not keep types cannot tell a number from a string.
    if int_in(p, &m.value).is_some() || !p.form.keeps_types() {
        return;
    }
    sink.report(response_errno_not_integer_diag(p, &m.value));
}

/// RSP004
pub fn response_errno_not_zero(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &ANSWERS) else {
        return;
    };
    let Some(m) = p.get("errno") else { return };
    let Some(n) = int_in(p, &m.value) else { return };
    if n == 0 {
        return;
    }
    sink.report(response_errno_not_zero_diag(p, m.value.span, n));
}

/// RSP005
pub fn response_msg_missing(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &ANSWERS) else {
        return;
    };
    let (span, fault) = match p.get("msg") {
        Some(Member {
            value: Node {
                value: Value::Str(_),
                ..
            },
            ..
        }) => return,
        Some(m) => (m.value.span, MsgFault::NotString(&m.value)),
        None => match p.get("message") {
            Some(m) => (m.key_span, MsgFault::Message),
            None if super::near_member(&p.root, "msg").is_some() => return,
            None => (start(p), MsgFault::Missing),
        },
    };
    sink.report(response_msg_missing_diag(p, span, &fault));
}

/// RSP006
pub fn response_data_wrong_type(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &ANSWERS) else {
        return;
    };
    let (span, found) = match p.get("data") {
        Some(m) if m.value.is_object() => return,
        Some(m) => (m.value.span, Some(&m.value)),
        None if super::near_member(&p.root, "data").is_some() => return,
        None => (start(p), None),
    };
    sink.report(response_data_wrong_type_diag(p, span, found));
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
    let (span, fault) = match m {
        Some(m) if int_in(p, &m.value) == Some(2) => return,
        Some(m) if int_in(p, &m.value) == Some(1) => (m.value.span, ConsumedFault::One),
        Some(m) => (
            m.value.span,
            ConsumedFault::Other(p.source.slice(m.value.span)),
        ),
        None => match p.get("isConsumed") {
            Some(top) => (top.key_span, ConsumedFault::TopLevel),
            None => (at, ConsumedFault::Missing),
        },
    };
    sink.report(notify_is_consumed_not_2_diag(p, span, &fault));
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
    sink.report(notify_error_order_diag(p, m.value.span));
}

/// RSP009
pub fn refund_audit_status_invalid(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &[Kind::RefundAuditResponse]) else {
        return;
    };
    let (m, at) = data_field(p, "auditStatus");
    let (span, shown) = match m {
        Some(m) if matches!(int_in(p, &m.value), Some(1..=3)) => return,
        Some(m) => (m.value.span, Some(p.source.slice(m.value.span))),
        None => (at, None),
    };
    sink.report(refund_audit_status_invalid_diag(p, span, shown));
}

/// RSP010
pub fn refund_audit_pending(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &[Kind::RefundAuditResponse]) else {
        return;
    };
    let (Some(m), _) = data_field(p, "auditStatus") else {
        return;
    };
    if int_in(p, &m.value) != Some(3) {
        return;
    }
    sink.report(refund_audit_pending_diag(p, m.value.span));
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
    if int_in(p, &m.value).is_some_and(|n| n >= 0) {
        return;
    }
    sink.report(refund_pay_money_not_integer_fen_diag(p, &m.value));
}

/// RSP012
pub fn refund_audit_shape(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = answer(ctx, &[Kind::RefundAuditResponse]) else {
        return;
    };
    let Some(data) = p.get("data").filter(|d| d.value.is_object()) else {
        if let Some(top) = p.get("calculateRes") {
            sink.report(refund_audit_shape_diag(
                p,
                top.key_span,
                &AuditShape::CalculateResTopLevel,
            ));
        }
        return;
    };
    let d = &data.value;
    if d.get("calculateRes").is_none()
        && let Some(top) = p.get("calculateRes")
    {
        sink.report(refund_audit_shape_diag(
            p,
            top.key_span,
            &AuditShape::CalculateResBeside,
        ));
        return;
    }
    let snake = |n: &Node, key: &str| {
        n.members()
            .iter()
            .find(|m| m.key == key)
            .map(|m| m.key_span)
    };
    let (span, fault) = match d.get("calculateRes") {
        None => match snake(d, "calculate_res") {
            Some(s) => (s, AuditShape::CalculateResSnake),
            None => (
                Span::new(d.span.start, d.span.start + 1),
                AuditShape::CalculateResMissing,
            ),
        },
        Some(c) if c.value.get("refundPayMoney").is_some() => return,
        Some(c) => match snake(&c.value, "refund_pay_money") {
            Some(s) => (s, AuditShape::RefundPayMoneySnake),
            None => (c.value.span, AuditShape::RefundPayMoneyMissing),
        },
    };
    sink.report(refund_audit_shape_diag(p, span, &fault));
}
