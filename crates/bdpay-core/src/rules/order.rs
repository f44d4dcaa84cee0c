//! orderInfo rules: the object passed to swan.requestPolymerPayment, its fields, their names and
//! types, and the identifiers that must match the merchant's payment service.

use super::{Ctx, Sink, near_miss};
use crate::config::{self, Id};
use crate::finding::Report;
use crate::message::Msg;
use crate::payload::json::{Member, Value};
use crate::payload::{Kind, Payload, Wrapping};
use crate::source::Span;

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

/// ORD001
pub fn orderinfo_not_object(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload_of(&[Kind::Order]) else {
        return;
    };
    let (span, en, zh) = match &p.wrapping {
        Some(Wrapping::String(span)) => (
            *span,
            "orderInfo is a string holding JSON, not an object",
            "orderInfo 是存放 JSON 的字符串，不是对象",
        ),
        Some(Wrapping::Array(span)) => (
            *span,
            "orderInfo is an array, not an object",
            "orderInfo 是数组，不是对象",
        ),
        _ => return,
    };
    sink.report(
        Report::new(&p.source, span, ctx.t(en.into(), zh.into()))
            .label(ctx.t("not an object".into(), "不是对象".into())),
    );
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
            Some(m) if m.value.as_str().is_some_and(|s| s.trim().is_empty()) => sink.report(
                Report::new(
                    &p.source,
                    m.value.span,
                    ctx.t(format!("{field} is empty"), format!("{field} 为空")),
                )
                .label(ctx.t("empty".into(), "空值".into())),
            ),
            Some(_) => {}
            // A misspelt key is field-name-case's finding, not a missing field.
            None if super::near_member(&p.root, field).is_some() => {}
            None => {
                let extra = if field == "bizInfo" {
                    ctx.t(
                        " (the API page requires it, though the parameter table calls it optional)"
                            .into(),
                        "（接口说明要求必填，参数表却标为可选）".into(),
                    )
                } else {
                    Msg::default()
                };
                sink.report(
                    Report::new(
                        &p.source,
                        start,
                        ctx.t(
                            format!("orderInfo has no {field}{}", extra.en),
                            format!("orderInfo 缺少 {field}{}", extra.zh),
                        ),
                    )
                    .label(ctx.t(format!("{field} missing"), format!("缺少 {field}"))),
                );
            }
        }
    }
}

/// ORD003
pub fn field_name_case(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload else { return };
    let mut check = |members: &[Member], known: &[&str], what: &str| {
        for m in members {
            let Some(right) = near_miss(&m.key, known) else {
                continue;
            };
            let key = &m.key;
            sink.report(
                Report::new(
                    &p.source,
                    m.key_span,
                    ctx.t(
                        format!("{what} has `{key}`, which the platform does not read"),
                        format!("{what} 中的 `{key}` 不会被平台读取"),
                    ),
                )
                .label(ctx.t(
                    format!("did you mean `{right}`?"),
                    format!("应为 `{right}`？"),
                )),
            );
        }
    };
    match p.kind {
        Kind::Order => {
            check(p.root.members(), &ORDER_FIELDS, "orderInfo");
            if let Some(tp) = super::bizinfo::tp_data(p) {
                check(tp.members(), &TPDATA_FIELDS, "bizInfo.tpData");
            }
        }
        k if k.is_response() => {
            check(p.root.members(), &ANSWER_FIELDS, "the answer");
            if let Some(d) = p.get("data") {
                check(d.value.members(), &ANSWER_DATA_FIELDS, "the answer's data");
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
    let legacy = v.trim() == "0";
    let mut r = Report::new(
        &p.source,
        m.value.span,
        ctx.t(
            format!("signFieldsRange is {v:?}, not \"1\""),
            format!("signFieldsRange 为 {v:?}，应为 \"1\""),
        ),
    )
    .label(ctx.t("must be \"1\"".into(), "必须为 \"1\"".into()));
    if legacy {
        r = r.help(ctx.t(
            "set \"1\" and sign appKey, dealId, totalAmount and tpOrderId; 0 is the legacy 3-field set without totalAmount".into(),
            "改为 \"1\"，并对 appKey、dealId、totalAmount、tpOrderId 签名；0 是旧的三字段签名（不含 totalAmount）".into(),
        ));
    }
    sink.report(r);
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
        let ty = m.value.type_name();
        let mut r = Report::new(
            &p.source,
            m.value.span,
            ctx.t(
                format!("{} is {ty}, not a string", m.key),
                format!("{} 是{}，不是字符串", m.key, super::bizinfo::zh_type(ty)),
            ),
        )
        .label(ctx.t(ty.to_string(), super::bizinfo::zh_type(ty).into()));
        if let Value::Num(n) = &m.value.value
            && n.bytes().all(|b| b.is_ascii_digit())
        {
            r = r.help(ctx.t(
                format!("send it as the string \"{n}\""),
                format!("改为字符串 \"{n}\""),
            ));
        }
        sink.report(r);
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
    let msg = |ctx: &Ctx<'_>, v: &str| {
        ctx.t(
            format!("appKey {v:?} is the smart program's AppKey, not the payment service's"),
            format!("appKey {v:?} 是小程序的 AppKey，不是支付服务的 appKey"),
        )
    };
    if let Some(c) = ctx.config_only() {
        let Some(k) = &c.merchant.app_key else { return };
        let v = id_text(k);
        if is_smart(&v) {
            sink.report(
                Report::new(&c.source, config::span(k), msg(ctx, &v))
                    .label(ctx.t("smart program AppKey".into(), "小程序 AppKey".into())),
            );
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
        sink.report(
            Report::new(&p.source, m.value.span, msg(ctx, v))
                .label(ctx.t("smart program AppKey".into(), "小程序 AppKey".into())),
        );
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
    let want = id_text(entry);
    if v == want {
        return;
    }
    let Some(cfg) = ctx.config else { return };
    let hint = if v.trim() == want {
        ctx.t(
            " (it has surrounding spaces)".into(),
            "（前后有空格）".into(),
        )
    } else {
        Msg::default()
    };
    let r = Report::new(
        &p.source,
        m.value.span,
        ctx.t(
            format!(
                "{field} {v:?} differs from the config's {entry_name} {want:?}{}",
                hint.en
            ),
            format!(
                "{field} {v:?} 与配置中的 {entry_name} {want:?} 不一致{}",
                hint.zh
            ),
        ),
    )
    .label(ctx.t(format!("this {field}"), format!("此处的 {field}")))
    .related(
        &cfg.source,
        config::span(entry),
        ctx.t("configured here".into(), "配置于此".into()),
        ctx.t(
            format!("{entry_name} is set in {}", cfg.source.name),
            format!("{entry_name} 配置于 {}", cfg.source.name),
        ),
    );
    sink.report(r);
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
