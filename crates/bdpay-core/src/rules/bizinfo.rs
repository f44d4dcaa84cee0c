//! bizInfo rules: orderInfo.bizInfo must be a string that holds a JSON object, and its tpData
//! must agree with orderInfo.

use super::{Ctx, Sink};
use crate::finding::Report;
use crate::message::Msg;
use crate::msg;
use crate::payload::json::{self, Member, Node, Value};
use crate::payload::{Kind, Payload};
use crate::source::Span;

/// bizInfo read from its string, with spans pointing into the pasted text.
pub struct BizInfo {
    pub root: Node,
    pub not_json: Option<json::NotJson>,
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
        Err(e) => {
            let why = msg!(
                "expected {expected}, found {found}",
                "此处应为{expected}，实际是{found}";
                expected = e.expected, found = e.found
            );
            Err((map_inner(p, value, e.span), why))
        }
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
    let ty = m.value.type_name();
    let mut r = Report::new(
        &p.source,
        m.value.span,
        ctx.t(
            format!("bizInfo is {ty}, not a string holding JSON"),
            format!("bizInfo 是{}，应为存放 JSON 的字符串", zh_type(ty)),
        ),
    )
    .label(ctx.t("not a string".into(), "不是字符串".into()));
    if m.value.is_object() {
        r = r.help(ctx.t(
            "wrap it: bizInfo: JSON.stringify({ tpData: { ... } })".into(),
            "用 JSON.stringify 包一层：bizInfo: JSON.stringify({ tpData: { ... } })".into(),
        ));
    }
    sink.report(r);
}

/// BIZ002
pub fn bizinfo_not_json(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some((p, m)) = member(ctx) else { return };
    let Some(parsed) = parse(p, &m.value) else {
        return;
    };
    let (span, en, zh) = match parsed {
        Err((span, why)) => (
            span,
            format!("bizInfo is not valid JSON: {}", why.en),
            format!("bizInfo 不是合法的 JSON：{}", why.zh),
        ),
        Ok(BizInfo {
            not_json: Some(nj), ..
        }) => (
            nj.span,
            format!(
                "bizInfo is not valid JSON: it has {}",
                nj.what.describe().en
            ),
            format!("bizInfo 不是合法的 JSON：含有{}", nj.what.describe().zh),
        ),
        Ok(_) => return,
    };
    sink.report(
        Report::new(&p.source, span, ctx.t(en, zh))
            .label(ctx.t(
                "JSON reading stops here".into(),
                "JSON 解析在此处失败".into(),
            ))
            .also(m.value.span, ctx.t("bizInfo".into(), "bizInfo".into())),
    );
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
    let (en, zh) = match &b.root.value {
        Value::Str(s) if json::parse(s).is_ok_and(|x| x.root.is_object()) => (
            "bizInfo is encoded twice: its JSON is a string that holds JSON again".to_owned(),
            "bizInfo 被编码了两次：JSON 内容本身又是一个字符串".to_owned(),
        ),
        _ => {
            let ty = b.root.type_name();
            (
                format!("bizInfo holds {ty}, not a JSON object"),
                format!("bizInfo 的内容是{}，不是 JSON 对象", zh_type(ty)),
            )
        }
    };
    sink.report(
        Report::new(&p.source, m.value.span, ctx.t(en, zh))
            .label(ctx.t("not an object".into(), "不是对象".into())),
    );
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
        sink.report(
            Report::new(
                &p.source,
                inner.value.span,
                ctx.t(
                    format!("bizInfo.tpData.{field} is {a:?} but orderInfo.{field} is {b:?}"),
                    format!("bizInfo.tpData.{field} 为 {a:?}，而 orderInfo.{field} 为 {b:?}"),
                ),
            )
            .label(ctx.t("tpData value".into(), "tpData 中的值".into()))
            .also(
                outer.value.span,
                ctx.t("orderInfo value".into(), "orderInfo 中的值".into()),
            ),
        );
    }
}

/// A Chinese name for a type name from [`Node::type_name`].
#[must_use]
pub fn zh_type(en: &str) -> &'static str {
    match en {
        "an object" => "对象",
        "an array" => "数组",
        "a string" => "字符串",
        "a number" => "数字",
        "a boolean" => "布尔值",
        _ => "null",
    }
}
