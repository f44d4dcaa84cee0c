//! Audit rules: callbacks checked against the merchant's own orders (`audit --orders`) and
//! against each other (repeated deliveries).

use super::{Ctx, Sink};
use crate::finding::Report;
use crate::payload::Kind;

const CALLBACKS: [Kind; 3] = [Kind::Notify, Kind::RefundAudit, Kind::RefundNotify];

/// AUD001
pub fn callback_order_unknown(ctx: &Ctx<'_>, sink: &mut Sink) {
    let (Some(p), Some(orders)) = (ctx.payload_of(&CALLBACKS), ctx.orders) else {
        return;
    };
    let Some(m) = p.get("tpOrderId") else { return };
    let Some(id) = m.value.scalar_text() else {
        return;
    };
    if orders.amounts.contains_key(id) {
        return;
    }
    sink.report(
        Report::new(
            &p.source,
            m.value.span,
            ctx.t(
                format!(
                    "tpOrderId {id:?} is not one of your orders ({})",
                    orders.source
                ),
                format!("tpOrderId {id:?} 不在你的订单中（{}）", orders.source),
            ),
        )
        .label(ctx.t("unknown order".into(), "未知订单".into())),
    );
}

/// AUD002
pub fn callback_amount_mismatch(ctx: &Ctx<'_>, sink: &mut Sink) {
    let (Some(p), Some(orders)) = (ctx.payload_of(&[Kind::Notify]), ctx.orders) else {
        return;
    };
    let Some(want) = p.text("tpOrderId").and_then(|id| orders.amounts.get(id)) else {
        return;
    };
    let Some(m) = p.get("totalMoney") else { return };
    let Some(got) = m.value.scalar_text() else {
        return;
    };
    if got.trim().parse::<i64>().ok() == Some(*want) {
        return;
    }
    sink.report(
        Report::new(
            &p.source,
            m.value.span,
            ctx.t(
                format!("totalMoney {got:?} differs from the order's totalAmount {want} fen"),
                format!("totalMoney {got:?} 与订单金额 {want} 分不一致"),
            ),
        )
        .label(ctx.t("amount differs".into(), "金额不一致".into())),
    );
}

/// AUD003
pub fn callback_duplicate(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload_of(&CALLBACKS) else {
        return;
    };
    let Some(first) = &ctx.extra.duplicate_of else {
        return;
    };
    let field = if p.kind == Kind::Notify {
        "orderId"
    } else {
        "refundBatchId"
    };
    let Some(m) = p.get(field) else { return };
    let id = m.value.scalar_text().unwrap_or("");
    sink.report(
        Report::new(
            &p.source,
            m.value.span,
            ctx.t(
                format!("{field} {id} was already delivered at {first}: the platform retried it"),
                format!("{field} {id} 已在 {first} 送达过：这是平台的重试"),
            ),
        )
        .label(ctx.t("repeated delivery".into(), "重复送达".into())),
    );
}
