//! Refund request rules: what a partial refund needs, and refunds larger than their order.

use std::sync::Arc;

use super::{Ctx, Sink};
use crate::finding::Diagnostic;
use crate::msg;
use crate::payload::Kind;
use crate::source::{SourceFile, Span};

fn partial_refund_incomplete_diag(
    source: &Arc<SourceFile>,
    span: Span,
    has: &str,
    missing: &str,
) -> Diagnostic {
    Diagnostic::new(
        source,
        span,
        msg!(
            "the refund request has {has} but no {missing}: a partial refund needs both",
            "退款请求有 {has} 却没有 {missing}：部分退款两者都需要"
        ),
    )
    .label(msg!("{missing} missing", "缺少 {missing}"))
}

fn refund_exceeds_order_diag(
    source: &Arc<SourceFile>,
    span: Span,
    refund: i64,
    order: i64,
    from: &str,
) -> Diagnostic {
    Diagnostic::new(
        source,
        span,
        msg!(
            "applyRefundMoney {refund} is more than the order's amount {order} (fen, from {from})",
            "applyRefundMoney {refund} 超过了订单金额 {order}（分，来自 {from}）"
        ),
    )
    .label(msg!("above the order amount", "超过订单金额"))
}

/// A field that is present with a non-blank value.
fn given<'p>(
    p: &'p crate::payload::Payload,
    key: &str,
) -> Option<&'p crate::payload::json::Member> {
    p.get(key)
        .filter(|m| m.value.scalar_text().is_some_and(|t| !t.trim().is_empty()))
}

/// REF001
pub fn partial_refund_incomplete(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload_of(&[Kind::RefundApply]) else {
        return;
    };
    let money = given(p, "applyRefundMoney");
    let batch = given(p, "bizRefundBatchId");
    let (m, has, missing) = match (money, batch) {
        (Some(m), None) => (m, "applyRefundMoney", "bizRefundBatchId"),
        (None, Some(m)) => (m, "bizRefundBatchId", "applyRefundMoney"),
        _ => return,
    };
    let span = Span::new(m.key_span.start, m.value.span.end.max(m.key_span.end));
    sink.report(partial_refund_incomplete_diag(
        &p.source, span, has, missing,
    ));
}

/// REF002
pub fn refund_exceeds_order(ctx: &Ctx<'_>, sink: &mut Sink) {
    let (Some(p), Some(orders)) = (ctx.payload_of(&[Kind::RefundApply]), ctx.orders) else {
        return;
    };
    let Some(order) = p
        .text("tpOrderId")
        .and_then(|id| orders.amounts.get(id.trim()))
    else {
        return;
    };
    let Some(m) = given(p, "applyRefundMoney") else {
        return;
    };
    // Not an integer is amount-not-integer-fen's finding.
    let Some(refund) = m
        .value
        .scalar_text()
        .and_then(|t| t.trim().parse::<i64>().ok())
    else {
        return;
    };
    if refund > *order {
        sink.report(refund_exceeds_order_diag(
            &p.source,
            m.value.span,
            refund,
            *order,
            &orders.source,
        ));
    }
}
