//! orderInfo rules: the object passed to swan.requestPolymerPayment, its fields, their names and
//! types, and the identifiers that must match the merchant's payment service.

use std::sync::Arc;

use super::{Ctx, Sink, near_miss};
use crate::config::{self, Config, Id};
use crate::finding::Diagnostic;
use crate::message::Msg;
use crate::msg;
use crate::payload::json::{Member, Node, Value};
use crate::payload::{Kind, Payload, Wrapping};
use crate::source::{SourceFile, Span};

/// The orderInfo fields the platform reads.
pub const ORDER_FIELDS: [&str; 8] = [
    "dealId",
    "appKey",
    "totalAmount",
    "tpOrderId",
    "dealTitle",
    "signFieldsRange",
    "rsaSign",
    "bizInfo",
];
const TPDATA_FIELDS: [&str; 7] = [
    "appKey",
    "dealId",
    "tpOrderId",
    "rsaSign",
    "totalAmount",
    "returnData",
    "displayData",
];
const ANSWER_FIELDS: [&str; 3] = ["errno", "msg", "data"];
const ANSWER_DATA_FIELDS: [&str; 4] = ["isConsumed", "isErrorOrder", "auditStatus", "calculateRes"];
/// Kinds that carry the merchant's payment appKey.
const APPKEY_KINDS: [Kind; 4] = [
    Kind::Order,
    Kind::RefundApply,
    Kind::CancelConsumption,
    Kind::OrderQuery,
];

fn orderinfo_not_object_diag(source: &Arc<SourceFile>, span: Span, array: bool) -> Diagnostic {
    let message = if array {
        msg!(
            "orderInfo is an array, not an object",
            "orderInfo 是数组，不是对象"
        )
    } else {
        msg!(
            "orderInfo is a string holding JSON, not an object",
            "orderInfo 是存放 JSON 的字符串，不是对象"
        )
    };
    Diagnostic::new(source, span, message).label(msg!("not an object", "不是对象"))
}

fn orderinfo_field_empty_diag(source: &Arc<SourceFile>, span: Span, field: &str) -> Diagnostic {
    Diagnostic::new(source, span, msg!("{field} is empty", "{field} 为空"))
        .label(msg!("empty", "值为空"))
}

fn orderinfo_missing_field_diag(source: &Arc<SourceFile>, span: Span, field: &str) -> Diagnostic {
    let extra = if field == "bizInfo" {
        msg!(
            " (the API page requires it, though the parameter table calls it optional)",
            "（接口说明要求必填，参数表却标为可选）"
        )
    } else {
        Msg::default()
    };
    Diagnostic::new(
        source,
        span,
        msg!(
            "orderInfo has no {field}{extra}",
            "orderInfo 缺少 {field}{extra}";
            extra = extra
        ),
    )
    .label(msg!("{field} missing", "缺少 {field}"))
}

/// Where a misspelt key sits. The Chinese names end with 中, ready for 的.
fn orderinfo_place() -> Msg {
    msg!("orderInfo", "orderInfo 中")
}

fn tpdata_place() -> Msg {
    msg!("bizInfo.tpData", "bizInfo.tpData 中")
}

fn answer_place() -> Msg {
    msg!("the answer", "应答中")
}

fn answer_data_place() -> Msg {
    msg!("the answer's data", "应答的 data 中")
}

fn field_name_case_diag(
    source: &Arc<SourceFile>,
    place: &Msg,
    key: &Member,
    right: &str,
) -> Diagnostic {
    let name = &key.key;
    Diagnostic::new(
        source,
        key.key_span,
        msg!(
            "{place} has `{name}`, which the platform does not read",
            "{place}的 `{name}` 不会被平台读取";
            place = place
        ),
    )
    .label(msg!("did you mean `{right}`?", "是想写 `{right}` 吗？"))
}

fn sign_fields_range_not_1_diag(source: &Arc<SourceFile>, span: Span, v: &str) -> Diagnostic {
    let mut r = Diagnostic::new(
        source,
        span,
        msg!(
            "signFieldsRange is {v:?}, not \"1\"",
            "signFieldsRange 为 {v:?}，应为 \"1\""
        ),
    )
    .label(msg!("must be \"1\"", "必须为 \"1\""));
    if v.trim() == "0" {
        r = r.help(msg!(
            "set \"1\" and sign appKey, dealId, totalAmount and tpOrderId; 0 is the legacy 3-field set without totalAmount",
            "改为 \"1\"，并对 appKey、dealId、totalAmount、tpOrderId 签名；0 是旧的三字段签名（不含 totalAmount）"
        ));
    }
    r
}

fn value_not_string_diag(source: &Arc<SourceFile>, m: &Member) -> Diagnostic {
    let (key, ty) = (&m.key, m.value.type_msg());
    let mut r = Diagnostic::new(
        source,
        m.value.span,
        msg!(
            "{key} is {ty}, not a string",
            "{key} 是{ty}，不是字符串";
            ty = ty
        ),
    )
    .label(ty);
    if let Value::Num(n) = &m.value.value
        && n.bytes().all(|b| b.is_ascii_digit())
    {
        r = r.help(msg!(
            "send it as the string \"{n}\"",
            "改为以字符串 \"{n}\" 传递"
        ));
    }
    r
}

fn appkey_is_smartapp_key_diag(source: &Arc<SourceFile>, span: Span, v: &str) -> Diagnostic {
    Diagnostic::new(
        source,
        span,
        msg!(
            "appKey {v:?} is the smart program's AppKey, not the payment service's",
            "appKey {v:?} 是小程序的 AppKey，不是支付服务的 appKey"
        ),
    )
    .label(msg!("smart program AppKey", "小程序 AppKey"))
}

/// A payload value (`v`, at `span`) that differs from the config entry `entry_name`.
fn mismatch_diag(
    source: &Arc<SourceFile>,
    span: Span,
    field: &str,
    v: &str,
    cfg: &Config,
    entry: &toml::Spanned<Id>,
    entry_name: &str,
) -> Diagnostic {
    let want = id_text(entry);
    let hint = if v.trim() == want {
        msg!(" (it has surrounding spaces)", "（前后有空格）")
    } else {
        Msg::default()
    };
    let file = &cfg.source.name;
    Diagnostic::new(
        source,
        span,
        msg!(
            "{field} {v:?} differs from the config's {entry_name} {want:?}{hint}",
            "{field} {v:?} 与配置中的 {entry_name} {want:?} 不一致{hint}";
            hint = hint
        ),
    )
    .label(msg!("this {field}", "此处的 {field}"))
    .related(
        &cfg.source,
        config::span(entry),
        msg!("configured here", "在此配置"),
        msg!(
            "{entry_name} is set in {file}",
            "{entry_name} 配置在 {file} 中"
        ),
    )
}

/// ORD001
pub fn orderinfo_not_object(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload_of(&[Kind::Order]) else {
        return;
    };
    let (span, array) = match &p.wrapping {
        Some(Wrapping::String(span)) => (*span, false),
        Some(Wrapping::Array(span)) => (*span, true),
        _ => return,
    };
    sink.report(orderinfo_not_object_diag(&p.source, span, array));
}

/// ORD009: the code around a pasted orderInfo calls `requestPayment` on `swan`, or on a
/// framework object whose Baidu build some shims turn into `swan.requestPayment`.
pub fn request_payment_not_cashier(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload_of(&[Kind::Order]) else {
        return;
    };
    let Some(around) = p
        .not_json
        .filter(|n| n.what == crate::payload::json::NotJsonKind::CodeAround)
    else {
        return;
    };
    let code = p.source.slice(around.span);
    let Some((at, receiver)) = payment_call(code) else {
        return;
    };
    let start = around.span.start + at;
    let span = Span::new(start, start + "requestPayment".len());
    sink.report(request_payment_not_cashier_diag(&p.source, span, receiver));
}

/// The last `X.requestPayment(` call in `code` whose receiver is not uni-app's (which maps it to
/// the cashier): where `requestPayment` starts, and the receiver as written.
fn payment_call(code: &str) -> Option<(usize, &str)> {
    const NAME: &str = "requestPayment";
    code.rmatch_indices(NAME).find_map(|(at, _)| {
        let rest = code[at + NAME.len()..].trim_start();
        if !rest.starts_with('(') {
            return None;
        }
        let before = code[..at].trim_end().strip_suffix('.')?.trim_end();
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '.'))
            .map_or(0, |i| i + 1);
        let receiver = &before[start..];
        let shim = matches!(
            receiver,
            "swan" | "Taro" | "taro" | "React.api" | "ReactWX.api"
        );
        shim.then_some((at, receiver))
    })
}

fn request_payment_not_cashier_diag(
    source: &Arc<SourceFile>,
    span: Span,
    receiver: &str,
) -> Diagnostic {
    let d = if receiver == "swan" {
        Diagnostic::new(
            source,
            span,
            msg!(
                "the cashier's orderInfo is passed to swan.requestPayment, which is not the Baidu cashier",
                "收银台的 orderInfo 传给了 swan.requestPayment，它不是百度收银台"
            ),
        )
    } else {
        Diagnostic::new(
            source,
            span,
            msg!(
                "{receiver}.requestPayment becomes swan.requestPayment in the Baidu build of older framework versions, which is not the Baidu cashier",
                "旧版框架在百度端会把 {receiver}.requestPayment 变成 swan.requestPayment，它不是百度收银台"
            ),
        )
    };
    d.label(msg!(
        "not swan.requestPolymerPayment",
        "不是 swan.requestPolymerPayment"
    ))
    .help(msg!(
        "its fail callback gets null instead of an error: call swan.requestPolymerPayment in the Baidu build",
        "它的 fail 回调拿到的是 null 而不是错误信息：在百度端调用 swan.requestPolymerPayment"
    ))
}

/// ORD002
pub fn orderinfo_missing_field(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload_of(&[Kind::Order]) else {
        return;
    };
    if !p.root.is_object() {
        return;
    }
    let start = Span::new(p.root.span.start, p.root.span.start + 1);
    // rsaSign, missing or empty, is the signature rules' finding (sign-missing).
    for field in ORDER_FIELDS.into_iter().filter(|f| *f != "rsaSign") {
        match p.get(field) {
            Some(m) if m.value.as_str().is_some_and(|s| s.trim().is_empty()) => {
                sink.report(orderinfo_field_empty_diag(&p.source, m.value.span, field));
            }
            Some(_) => {}
            // A misspelt key is field-name-case's finding, not a missing field.
            None if super::near_member(&p.root, field).is_some() => {}
            None => sink.report(orderinfo_missing_field_diag(&p.source, start, field)),
        }
    }
}

/// ORD003
pub fn field_name_case(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload else { return };
    let mut check = |node: &Node, known: &[&str], place: Msg| {
        for m in node.members() {
            if let Some(right) = near_miss(&m.key, known) {
                sink.report(field_name_case_diag(&p.source, &place, m, right));
            }
        }
    };
    match p.kind {
        Kind::Order => {
            check(&p.root, &ORDER_FIELDS, orderinfo_place());
            if let Some(tp) = super::bizinfo::tp_data(p) {
                check(&tp, &TPDATA_FIELDS, tpdata_place());
            }
        }
        k if k.is_response() => {
            check(&p.root, &ANSWER_FIELDS, answer_place());
            if let Some(d) = p.get("data") {
                check(&d.value, &ANSWER_DATA_FIELDS, answer_data_place());
            }
        }
        _ => {}
    }
}

/// ORD004
pub fn sign_fields_range_not_1(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload_of(&[Kind::Order]) else {
        return;
    };
    let Some(m) = p.get("signFieldsRange") else {
        return;
    };
    let Some(v) = m.value.scalar_text() else {
        return;
    };
    if v.trim() == "1" {
        return;
    }
    sink.report(sign_fields_range_not_1_diag(&p.source, m.value.span, v));
}

/// ORD005
pub fn value_not_string(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload_of(&[Kind::Order]) else {
        return;
    };
    for m in p.root.members() {
        if m.key == "bizInfo" || matches!(m.value.value, Value::Str(_)) {
            continue;
        }
        sink.report(value_not_string_diag(&p.source, m));
    }
}

/// Whether `v` looks like a smart program `AppKey`: 32 ASCII letters and digits.
fn smart_program_shaped(v: &str) -> bool {
    v.len() == 32 && v.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn id_text(id: &toml::Spanned<Id>) -> String {
    id.get_ref().to_string()
}

/// ORD006
pub fn appkey_is_smartapp_key(ctx: &Ctx<'_>, sink: &mut Sink) {
    let smart = ctx
        .config
        .and_then(|c| c.merchant.smart_app_key.as_ref())
        .map(id_text);
    let is_smart = |v: &str| smart.as_deref() == Some(v) || smart_program_shaped(v);
    if let Some(c) = ctx.config_only() {
        let Some(k) = &c.merchant.app_key else { return };
        let v = id_text(k);
        if is_smart(&v) {
            sink.report(appkey_is_smartapp_key_diag(&c.source, config::span(k), &v));
        }
        return;
    }
    let Some(p) = ctx.payload_of(&APPKEY_KINDS) else {
        return;
    };
    let Some(m) = p.get("appKey") else { return };
    let Some(v) = m.value.scalar_text() else {
        return;
    };
    if is_smart(v) {
        sink.report(appkey_is_smartapp_key_diag(&p.source, m.value.span, v));
    }
}

/// Reports a payload value that differs from the config entry.
fn mismatch(
    ctx: &Ctx<'_>,
    sink: &mut Sink,
    p: &Payload,
    field: &str,
    entry: &toml::Spanned<Id>,
    entry_name: &str,
) {
    let Some(m) = p.get(field) else { return };
    let Some(v) = m.value.scalar_text() else {
        return;
    };
    if v == id_text(entry) {
        return;
    }
    let Some(cfg) = ctx.config else { return };
    sink.report(mismatch_diag(
        &p.source,
        m.value.span,
        field,
        v,
        cfg,
        entry,
        entry_name,
    ));
}

/// ORD007
pub fn appkey_mismatch(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload_of(&APPKEY_KINDS) else {
        return;
    };
    let Some(entry) = ctx.config.and_then(|c| c.merchant.app_key.as_ref()) else {
        return;
    };
    // The smart program's AppKey has a rule of its own.
    let smart = ctx
        .config
        .and_then(|c| c.merchant.smart_app_key.as_ref())
        .map(id_text);
    if p.text("appKey")
        .is_some_and(|v| smart.as_deref() == Some(v) || smart_program_shaped(v))
    {
        return;
    }
    mismatch(ctx, sink, p, "appKey", entry, "merchant.app_key");
}

/// ORD008
pub fn dealid_mismatch(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload_of(&[Kind::Order, Kind::Notify]) else {
        return;
    };
    let Some(entry) = ctx.config.and_then(|c| c.merchant.deal_id.as_ref()) else {
        return;
    };
    mismatch(ctx, sink, p, "dealId", entry, "merchant.deal_id");
}
