//! The kinds of message the tool knows, and how a payload's kind is told: from a name at the
//! start of its file name, or from the fields it has.

use std::fmt;

use super::json::{Node, Value};
use crate::message::Msg;
use crate::msg;

/// The messages the tool knows. `as_str` names are the `--kind` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// orderInfo for swan.requestPolymerPayment.
    Order,
    /// The platform's pay notify callback (通知支付状态).
    Notify,
    /// The merchant's answer to the pay notify.
    NotifyResponse,
    /// The platform's refund audit request (请求业务方退款审核).
    RefundAudit,
    /// The merchant's answer to the refund audit request.
    RefundAuditResponse,
    /// The platform's refund notify callback (通知退款状态).
    RefundNotify,
    /// The merchant's answer to the refund notify.
    RefundNotifyResponse,
    /// The merchant's refund request (nuomi.cashier.applyorderrefund).
    RefundApply,
    /// The merchant's cancel-consumption request (nuomi.cashier.syncorderstatus).
    CancelConsumption,
    /// The merchant's order query (queryorderdetail).
    OrderQuery,
}

impl Kind {
    pub const ALL: [Self; 10] = [
        Self::Order,
        Self::Notify,
        Self::NotifyResponse,
        Self::RefundAudit,
        Self::RefundAuditResponse,
        Self::RefundNotify,
        Self::RefundNotifyResponse,
        Self::RefundApply,
        Self::CancelConsumption,
        Self::OrderQuery,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Order => "order",
            Self::Notify => "notify",
            Self::NotifyResponse => "notify-response",
            Self::RefundAudit => "refund-audit",
            Self::RefundAuditResponse => "refund-audit-response",
            Self::RefundNotify => "refund-notify",
            Self::RefundNotifyResponse => "refund-notify-response",
            Self::RefundApply => "refund-apply",
            Self::CancelConsumption => "cancel-consumption",
            Self::OrderQuery => "order-query",
        }
    }

    /// What the message is, for people.
    #[must_use]
    pub fn describe(self) -> Msg {
        match self {
            Self::Order => Msg::new(
                "orderInfo for swan.requestPolymerPayment",
                "swan.requestPolymerPayment 的 orderInfo",
            ),
            Self::Notify => Msg::new(
                "pay notify callback (通知支付状态)",
                "支付结果通知（通知支付状态）",
            ),
            Self::NotifyResponse => Msg::new("answer to the pay notify", "对支付通知的应答"),
            Self::RefundAudit => Msg::new(
                "refund audit request (请求业务方退款审核)",
                "退款审核请求（请求业务方退款审核）",
            ),
            Self::RefundAuditResponse => {
                Msg::new("answer to the refund audit request", "对退款审核请求的应答")
            }
            Self::RefundNotify => Msg::new(
                "refund notify callback (通知退款状态)",
                "退款结果通知（通知退款状态）",
            ),
            Self::RefundNotifyResponse => {
                Msg::new("answer to the refund notify", "对退款通知的应答")
            }
            Self::RefundApply => Msg::new(
                "refund request (applyorderrefund)",
                "申请退款请求（applyorderrefund）",
            ),
            Self::CancelConsumption => Msg::new(
                "cancel-consumption request (syncorderstatus)",
                "取消核销请求（syncorderstatus）",
            ),
            Self::OrderQuery => Msg::new(
                "order query (queryorderdetail)",
                "订单查询（queryorderdetail）",
            ),
        }
    }

    #[must_use]
    pub const fn is_response(self) -> bool {
        matches!(
            self,
            Self::NotifyResponse | Self::RefundAuditResponse | Self::RefundNotifyResponse
        )
    }

    /// Signed by the platform (verify with the platform key) rather than by the merchant.
    #[must_use]
    pub const fn is_platform_signed(self) -> bool {
        matches!(self, Self::Notify | Self::RefundAudit | Self::RefundNotify)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the payload was taken to be of its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KindSource {
    Flag,
    FileName,
    Fields(&'static str),
    /// The fields say one kind and the file name another: the content wins.
    FieldsOverName {
        fields: &'static str,
        name: Kind,
    },
    /// A guess, in English and Chinese: plain text can only be an answer, but not which one.
    Guess(&'static str, &'static str),
}

impl KindSource {
    /// Why the payload was taken to be of its kind, for people.
    #[must_use]
    pub fn describe(&self) -> Msg {
        match self {
            Self::Flag => msg!("given with --kind", "由 --kind 指定"),
            Self::FileName => msg!("from the file name", "根据文件名"),
            Self::Fields(f) => msg!("from the fields: {f}", "根据字段：{f}"),
            Self::FieldsOverName { fields, name } => {
                let name = name.as_str();
                msg!(
                    "from the fields: {fields}; the file name says {name}, but the content wins",
                    "根据字段：{fields}；文件名看起来是 {name}，但以内容为准"
                )
            }
            Self::Guess(en, zh) => Msg::new(
                format!("a guess: {en}; pass --kind to be sure"),
                format!("推测：{zh}；可用 --kind 指定"),
            ),
        }
    }
}

/// A kind named at the start of the file name: `notify-response.txt`, `order_float.json`.
#[must_use]
pub fn kind_from_name(path: &str) -> Option<Kind> {
    let name = std::path::Path::new(path).file_name()?.to_str()?;
    let name = name.replace('_', "-").to_ascii_lowercase();
    let mut kinds = Kind::ALL;
    kinds.sort_by_key(|k| std::cmp::Reverse(k.as_str().len()));
    kinds.into_iter().find(|k| {
        name.strip_prefix(k.as_str())
            .is_some_and(|rest| rest.starts_with(['.', '-']))
    })
}

/// Tells the kind from the fields present.
#[must_use]
pub fn detect(root: &Node) -> Option<(Kind, KindSource)> {
    if let Value::Str(_) = root.value {
        return Some((
            Kind::NotifyResponse,
            KindSource::Guess(
                "plain text can only be an answer; taken as the pay notify answer",
                "纯文本只可能是应答；按支付通知的应答处理",
            ),
        ));
    }
    if !root.is_object() {
        return None;
    }
    let has = |k: &str| root.members().iter().any(|m| m.key.eq_ignore_ascii_case(k));
    let method = root
        .get("method")
        .and_then(|m| m.value.as_str())
        .unwrap_or("");
    let fields = |why| Some((Kind::Order, KindSource::Fields(why)));
    let k = |kind, why| Some((kind, KindSource::Fields(why)));
    if method.ends_with("applyorderrefund") {
        return k(Kind::RefundApply, "method=nuomi.cashier.applyorderrefund");
    }
    if method.ends_with("syncorderstatus") {
        return k(
            Kind::CancelConsumption,
            "method=nuomi.cashier.syncorderstatus",
        );
    }
    if ["errno", "msg", "message", "data", "errmsg"]
        .iter()
        .any(|k| has(k))
    {
        let data = root
            .members()
            .iter()
            .rev()
            .find(|m| m.key.eq_ignore_ascii_case("data"))
            .map(|m| &m.value);
        let dhas = |k: &str| {
            data.is_some_and(|d| d.members().iter().any(|m| m.key.eq_ignore_ascii_case(k)))
                || has(k)
        };
        if dhas("auditStatus")
            || dhas("calculateRes")
            || dhas("calculate_res")
            || dhas("refundPayMoney")
        {
            return k(Kind::RefundAuditResponse, "data.auditStatus / calculateRes");
        }
        if dhas("isConsumed") || dhas("isErrorOrder") {
            return k(Kind::NotifyResponse, "data.isConsumed");
        }
        if data.is_some_and(|d| d.is_object() && d.members().is_empty()) {
            return Some((
                Kind::RefundNotifyResponse,
                KindSource::Guess(
                    "an answer with empty data is the refund notify answer",
                    "data 为空的应答按退款通知的应答处理",
                ),
            ));
        }
        return Some((
            Kind::NotifyResponse,
            KindSource::Guess(
                "an answer without data fields; taken as the pay notify answer",
                "没有 data 字段的应答按支付通知的应答处理",
            ),
        ));
    }
    if has("siteId") {
        return k(Kind::OrderQuery, "siteId");
    }
    if has("refundStatus") {
        return k(Kind::RefundNotify, "refundStatus");
    }
    if (has("refundType") || has("refundReason") || has("bizRefundBatchId")) && has("appKey") {
        return k(Kind::RefundApply, "refundType / refundReason");
    }
    if has("refundBatchId") {
        return k(Kind::RefundAudit, "refundBatchId");
    }
    if has("type") && has("orderId") && has("userId") && !has("totalMoney") {
        return k(Kind::CancelConsumption, "type with orderId and userId");
    }
    if has("orderId") && (has("totalMoney") || has("payMoney") || has("status") || has("payTime")) {
        return k(Kind::Notify, "orderId with totalMoney / status");
    }
    let order_keys = [
        "totalAmount",
        "dealTitle",
        "signFieldsRange",
        "bizInfo",
        "tpOrderId",
        "dealId",
        "rsaSign",
    ];
    if order_keys.iter().any(|k| has(k)) || has("deadId") || has("dealld") {
        return fields("dealId / tpOrderId / totalAmount");
    }
    None
}
