//! Audit rules: callbacks checked against the merchant's own orders (`audit --orders`) and
//! against each other (repeated deliveries).

use std::sync::Arc;

use super::{Ctx, Sink};
use crate::finding::Diagnostic;
use crate::msg;
use crate::payload::Kind;
use crate::source::{SourceFile, Span};

/// `id` is not among the orders read from `orders` (where they came from).
fn callback_order_unknown_diag(
    source: &Arc<SourceFile>,
    span: Span,
    id: &str,
    orders: &str,
) -> Diagnostic {
    Diagnostic::new(
        source,
        span,
        msg!(
            "tpOrderId {id:?} is not one of your orders ({orders})",
            "tpOrderId {id:?} 不在你的订单中（{orders}）"
        ),
    )
    .label(msg!("unknown order", "未知订单"))
}

fn callback_amount_mismatch_diag(
    source: &Arc<SourceFile>,
    span: Span,
    got: &str,
    want: i64,
) -> Diagnostic {
    Diagnostic::new(
        source,
        span,
        msg!(
            "totalMoney {got:?} differs from the order's totalAmount {want} fen",
            "totalMoney {got:?} 与订单的 totalAmount（{want} 分）不一致"
        ),
    )
    .label(msg!("amount differs", "金额不一致"))
}

/// `field` `id` was delivered before, at `first` (a file and line).
fn callback_duplicate_diag(
    source: &Arc<SourceFile>,
    span: Span,
    field: &str,
    id: &str,
    first: &str,
) -> Diagnostic {
    Diagnostic::new(
        source,
        span,
        msg!(
            "{field} {id} was already delivered at {first}: the platform retried it",
            "{field} {id} 的回调已在 {first} 送达过：这是平台的重试"
        ),
    )
    .label(msg!("repeated delivery", "重复回调"))
}

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
    sink.report(callback_order_unknown_diag(
        &p.source,
        m.value.span,
        id,
        &orders.source,
    ));
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
    sink.report(callback_amount_mismatch_diag(
        &p.source,
        m.value.span,
        got,
        *want,
    ));
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
    sink.report(callback_duplicate_diag(
        &p.source,
        m.value.span,
        field,
        id,
        first,
    ));
}
