//! bizInfo rules: orderInfo.bizInfo must be a string that holds a JSON object, and its tpData
//! must agree with orderInfo.

use std::sync::Arc;

use super::{Ctx, Sink};
use crate::finding::Diagnostic;
use crate::message::Msg;
use crate::msg;
use crate::payload::json::{self, Member, Node, NotJson, ParseError, Value};
use crate::payload::{Kind, Payload};
use crate::source::{SourceFile, Span};

fn bizinfo_not_string_diag(source: &Arc<SourceFile>, value: &Node) -> Diagnostic {
    let mut r = Diagnostic::new(
        source,
        value.span,
        msg!(
            "bizInfo is {ty}, not a string holding JSON",
            "bizInfo 是{ty}，应为存放 JSON 的字符串";
            ty = value.type_msg()
        ),
    )
    .label(msg!("not a string", "不是字符串"));
    if value.is_object() {
        r = r.help(msg!(
            "wrap it: bizInfo: JSON.stringify({{ tpData: {{ ... }} }})",
            "用 JSON.stringify 包一层：bizInfo: JSON.stringify({{ tpData: {{ ... }} }})"
        ));
    }
    r
}

/// Where and why reading bizInfo's string as JSON stopped.
fn parse_stopped(e: &ParseError) -> Msg {
    msg!(
        "expected {expected}, found {found}",
        "此处应为{expected}，实际是{found}";
        expected = e.expected, found = e.found
    )
}

/// bizInfo's JSON stops at `span` for the reason `why`.
fn bizinfo_not_json_diag(
    source: &Arc<SourceFile>,
    span: Span,
    why: &Msg,
    value_span: Span,
) -> Diagnostic {
    not_json_report(
        source,
        span,
        msg!(
            "bizInfo is not valid JSON: {why}",
            "bizInfo 不是合法的 JSON：{why}";
            why = why
        ),
        value_span,
    )
}

/// bizInfo's string reads, but as JavaScript that JSON does not allow.
fn bizinfo_js_literal_diag(source: &Arc<SourceFile>, nj: NotJson, value_span: Span) -> Diagnostic {
    not_json_report(
        source,
        nj.span,
        msg!(
            "bizInfo is not valid JSON: it has {what}",
            "bizInfo 不是合法的 JSON：含有{what}";
            what = nj.what.describe()
        ),
        value_span,
    )
}

fn not_json_report(
    source: &Arc<SourceFile>,
    span: Span,
    message: Msg,
    value_span: Span,
) -> Diagnostic {
    Diagnostic::new(source, span, message)
        .label(msg!("JSON reading stops here", "JSON 解析在此处失败"))
        .also(value_span, Msg::same("bizInfo"))
}

/// bizInfo's JSON is `holds` instead of an object; `twice` when that is a string of JSON again.
fn bizinfo_not_object_diag(
    source: &Arc<SourceFile>,
    span: Span,
    holds: &Node,
    twice: bool,
) -> Diagnostic {
    let message = if twice {
        msg!(
            "bizInfo is encoded twice: its JSON is a string that holds JSON again",
            "bizInfo 被编码了两次：其中的 JSON 是一个字符串，字符串里又是一层 JSON"
        )
    } else {
        msg!(
            "bizInfo holds {ty}, not a JSON object",
            "bizInfo 的内容是{ty}，不是 JSON 对象";
            ty = holds.type_msg()
        )
    };
    Diagnostic::new(source, span, message).label(msg!("not an object", "不是对象"))
}

/// tpData's `field` (`inner`: where, value) differs from orderInfo's (`outer`).
fn bizinfo_tpdata_mismatch_diag(
    source: &Arc<SourceFile>,
    field: &str,
    (inner, a): (Span, &str),
    (outer, b): (Span, &str),
) -> Diagnostic {
    Diagnostic::new(
        source,
        inner,
        msg!(
            "bizInfo.tpData.{field} is {a:?} but orderInfo.{field} is {b:?}",
            "bizInfo.tpData.{field} 为 {a:?}，而 orderInfo.{field} 为 {b:?}，两者不一致"
        ),
    )
    .label(msg!("tpData value", "tpData 中的值"))
    .also(outer, msg!("orderInfo value", "orderInfo 中的值"))
}

/// bizInfo read from its string, with spans pointing into the pasted text.
pub struct BizInfo {
    pub root: Node,
    pub not_json: Option<NotJson>,
}

/// The orderInfo's bizInfo member.
fn member<'p>(ctx: &Ctx<'p>) -> Option<(&'p Payload, &'p Member)> {
    let p = ctx.payload.filter(|p| p.kind == Kind::Order)?;
    Some((p, p.get("bizInfo")?))
}

/// Maps a span inside a string value back into the source: exact for JSON and JS string
/// literals, the whole value for other forms (percent-encoded form values).
fn map_inner(p: &Payload, value: &Node, inner: Span) -> Span {
    let raw = p.source.slice(value.span);
    if raw.starts_with(['"', '\'', '`'])
        && let Some((_, map)) = json::decode_with_map(raw)
    {
        let at = |i: usize| value.span.start + map[i.min(map.len() - 1)];
        let start = at(inner.start);
        return Span::new(
            start,
            at(inner.end).max(start + usize::from(!inner.is_empty())),
        );
    }
    value.span
}

/// Parses bizInfo's string. `Err` carries the place where reading stopped, mapped into the source.
#[must_use]
pub fn parse(p: &Payload, value: &Node) -> Option<Result<BizInfo, (Span, Msg)>> {
    let text = value.as_str()?;
    Some(match json::parse(text) {
        Ok(mut parsed) => {
            parsed.root.remap(&|s| map_inner(p, value, s));
            let not_json = parsed.not_json.map(|mut nj| {
                nj.span = map_inner(p, value, nj.span);
                nj
            });
            Ok(BizInfo {
                root: parsed.root,
                not_json,
            })
        }
        Err(e) => Err((map_inner(p, value, e.span), parse_stopped(&e))),
    })
}

/// bizInfo.tpData, when bizInfo reads as an object with a tpData object.
#[must_use]
pub fn tp_data(p: &Payload) -> Option<Node> {
    let biz = p.get("bizInfo")?;
    let Ok(b) = parse(p, &biz.value)? else {
        return None;
    };
    let tp = b.root.get("tpData")?;
    tp.value.is_object().then(|| tp.value.clone())
}

/// BIZ001
pub fn bizinfo_not_string(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some((p, m)) = member(ctx) else { return };
    if matches!(m.value.value, Value::Str(_)) {
        return;
    }
    sink.report(bizinfo_not_string_diag(&p.source, &m.value));
}

/// BIZ002
pub fn bizinfo_not_json(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some((p, m)) = member(ctx) else { return };
    let Some(parsed) = parse(p, &m.value) else {
        return;
    };
    let r = match parsed {
        Err((span, why)) => bizinfo_not_json_diag(&p.source, span, &why, m.value.span),
        Ok(BizInfo {
            not_json: Some(nj), ..
        }) => bizinfo_js_literal_diag(&p.source, nj, m.value.span),
        Ok(_) => return,
    };
    sink.report(r);
}

/// BIZ003
pub fn bizinfo_not_object(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some((p, m)) = member(ctx) else { return };
    let Some(Ok(b)) = parse(p, &m.value) else {
        return;
    };
    if b.root.is_object() {
        return;
    }
    let twice =
        matches!(&b.root.value, Value::Str(s) if json::parse(s).is_ok_and(|x| x.root.is_object()));
    sink.report(bizinfo_not_object_diag(
        &p.source,
        m.value.span,
        &b.root,
        twice,
    ));
}

const TP_FIELDS: [&str; 5] = ["appKey", "dealId", "tpOrderId", "totalAmount", "rsaSign"];

/// BIZ004
pub fn bizinfo_tpdata_mismatch(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(p) = ctx.payload_of(&[Kind::Order]) else {
        return;
    };
    let Some(tp) = tp_data(p) else { return };
    for field in TP_FIELDS {
        let (Some(inner), Some(outer)) = (tp.get(field), p.get(field)) else {
            continue;
        };
        let (Some(a), Some(b)) = (inner.value.scalar_text(), outer.value.scalar_text()) else {
            continue;
        };
        if a == b {
            continue;
        }
        sink.report(bizinfo_tpdata_mismatch_diag(
            &p.source,
            field,
            (inner.value.span, a),
            (outer.value.span, b),
        ));
    }
}
