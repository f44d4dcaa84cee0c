//! Payload intake: whatever the user pasted (JSON, a JS object literal, a form body, a URL, a raw
//! HTTP request, a plain-text answer) becomes one span-keeping tree plus the kind of message it is.

pub mod form;
pub mod json;

use std::fmt;
use std::sync::Arc;

use crate::error::ToolError;
use crate::message::Msg;
use crate::msg;
use crate::source::{SourceFile, Span};
use json::{Member, Node, NotJson, Value};

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

/// How the text was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Json,
    /// Read, but not JSON: see [`Payload::not_json`].
    JsLiteral,
    FormBody,
    Url,
    HttpRequest,
    PlainText,
}

impl Form {
    /// How the text was written, for people.
    #[must_use]
    pub fn describe(self) -> Msg {
        match self {
            Self::Json => Msg::new("JSON", "JSON"),
            Self::JsLiteral => Msg::new("a JavaScript object literal", "JavaScript 对象字面量"),
            Self::FormBody => Msg::new("a form-urlencoded body", "表单（form-urlencoded）"),
            Self::Url => Msg::new("a URL with a query string", "带查询参数的 URL"),
            Self::HttpRequest => Msg::new("a raw HTTP request", "原始 HTTP 请求"),
            Self::PlainText => Msg::new("plain text", "纯文本"),
        }
    }
}

/// Why the payload was taken to be of its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KindSource {
    Flag,
    FileName,
    Fields(&'static str),
    /// A guess, in English and Chinese: plain text can only be an answer, but not which one.
    Guess(&'static str, &'static str),
}

/// The fields arrived wrapped in something other than an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wrapping {
    /// A string literal holding JSON (e.g. `JSON.stringify(orderInfo)`); the span is the literal.
    String(Span),
    /// An array around the object.
    Array(Span),
    /// Under a key such as `orderInfo`, in a pasted call; the fields are read from its value.
    Key(String),
}

#[derive(Debug, Clone)]
pub struct Payload {
    pub source: Arc<SourceFile>,
    pub form: Form,
    /// The first thing in the text that is not JSON, for JSON-like forms.
    pub not_json: Option<NotJson>,
    pub kind: Kind,
    pub kind_source: KindSource,
    /// The message: an object for everything but plain-text answers, which are a string node.
    pub root: Node,
    /// Query parameters of the request URL, when the fields came in the body.
    pub query: Vec<Member>,
    pub wrapping: Option<Wrapping>,
}

impl Payload {
    /// A text that is no payload form at all, as the answer rules see it: plain text of `kind`.
    /// `None` when the text is blank.
    #[must_use]
    pub fn plain_text(source: &Arc<SourceFile>, kind: Kind) -> Option<Self> {
        let text = source.text.as_str();
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        let lead = text.len() - text.trim_start().len();
        Some(Self {
            source: Arc::clone(source),
            form: Form::PlainText,
            not_json: None,
            kind,
            kind_source: KindSource::Flag,
            root: Node {
                span: Span::new(lead, lead + trimmed.len()),
                value: Value::Str(trimmed.into()),
            },
            query: Vec::new(),
            wrapping: None,
        })
    }

    /// The member `key` of the message.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Member> {
        self.root.get(key)
    }

    /// The string value of `key`, when it is present and a string or number.
    #[must_use]
    pub fn text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|m| m.value.scalar_text())
    }
}

/// `s.contains(char::is_whitespace)`, with a byte scan first: only a byte that could start
/// whitespace (ASCII space and controls, or a multi-byte character) costs a character check.
fn has_whitespace(s: &str) -> bool {
    // Chunks without an early exit inside compile to vector compares; control characters pass
    // the coarse test too and are settled by the exact one.
    s.as_bytes().chunks(32).any(|c| {
        c.iter()
            .fold(0u8, |any, &b| any | u8::from(!(0x21..0x80).contains(&b)))
            != 0
    }) && s.contains(char::is_whitespace)
}

/// Reads a payload. `kind` forces the kind; otherwise it is told from the file name or the fields.
pub fn read(source: &Arc<SourceFile>, kind: Option<Kind>) -> Result<Payload, ToolError> {
    let text = source.text.as_str();
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(
            ToolError::in_file(&source.name, msg!("the payload is empty", "报文为空")).help(msg!(
                "paste the orderInfo, the callback body or your answer",
                "请粘贴 orderInfo、回调请求体或你的应答"
            )),
        );
    }
    let lead = text.len() - text.trim_start().len();
    let first = trimmed.as_bytes()[0];
    let mut query = Vec::new();

    let (form, not_json, root) = if let Some(req) = form::parse_http(text) {
        let (path_q, qstart) = match req.target.find('?') {
            Some(i) => (&req.target[i + 1..], req.target_start + i + 1),
            None => ("", req.target_start),
        };
        let q = form::parse_form(path_q, qstart);
        let body = req.body.trim();
        let is_json = req.content_type.is_some_and(|c| c.contains("json")) || body.starts_with('{');
        let root = if body.is_empty() {
            q
        } else {
            query = into_members(q);
            let blead = req.body.len() - req.body.trim_start().len();
            if is_json {
                let p = json_at(source, body, req.body_start + blead)?;
                p.root
            } else {
                form::parse_form(req.body, req.body_start)
            }
        };
        (Form::HttpRequest, None, root)
    } else if matches!(first, b'{' | b'[' | b'"' | b'\'')
        || trimmed.starts_with("//")
        || trimmed.starts_with("/*")
    {
        let p = json_at(source, trimmed, lead)?;
        let form = if p.not_json.is_some() {
            Form::JsLiteral
        } else {
            Form::Json
        };
        (form, p.not_json, p.root)
    } else if trimmed.starts_with("http://")
        || trimmed.starts_with("https://")
        || first == b'/'
        || first == b'?'
    {
        let q = trimmed.find('?').map_or("", |i| &trimmed[i + 1..]);
        let qstart = lead + trimmed.find('?').map_or(trimmed.len(), |i| i + 1);
        let q = q.split('#').next().unwrap_or("");
        (Form::Url, None, form::parse_form(q, qstart))
    } else if let Some(found) = embedded_object(trimmed, lead) {
        found
    } else if trimmed.contains('=') && !has_whitespace(trimmed) || looks_like_kv_lines(trimmed) {
        (Form::FormBody, None, form::parse_form(trimmed, lead))
    } else {
        let span = Span::new(lead, lead + trimmed.len());
        (
            Form::PlainText,
            None,
            Node {
                span,
                value: Value::Str(trimmed.into()),
            },
        )
    };

    let (root, wrapping) = unwrap(source, root)?;
    let (kind, kind_source) = match kind {
        Some(k) => (k, KindSource::Flag),
        None => match kind_from_name(&source.name) {
            Some(k) => (k, KindSource::FileName),
            None => detect(&root).ok_or_else(|| {
                let (form, fields) = (form.describe(), field_list(&root));
                ToolError::in_file(
                    &source.name,
                    Msg::new(
                        format!(
                            "cannot tell what kind of message this is ({} with fields {fields})",
                            form.en
                        ),
                        format!("无法判断这是哪种报文（{}，字段：{fields}）", form.zh),
                    ),
                )
                .help({
                    let kinds = Kind::ALL.map(Kind::as_str).join(", ");
                    msg!(
                        "name the kind: one of {kinds}",
                        "请指明报文类型，可选：{kinds}"
                    )
                })
            })?,
        },
    };
    Ok(Payload {
        source: Arc::clone(source),
        form,
        not_json,
        kind,
        kind_source,
        root,
        query,
        wrapping,
    })
}

fn into_members(n: Node) -> Vec<Member> {
    match n.value {
        Value::Object(m) => m,
        _ => Vec::new(),
    }
}

fn field_list(root: &Node) -> String {
    // Long keys are cut: a pasted key or signature is not a field name worth repeating.
    let keys: Vec<String> = root
        .members()
        .iter()
        .map(|m| {
            let k: String = m.key.chars().take(12).collect();
            if k.len() < m.key.len() {
                format!("{k}…")
            } else {
                k
            }
        })
        .take(8)
        .collect();
    if keys.is_empty() {
        "none".into()
    } else {
        keys.join(", ")
    }
}

fn looks_like_kv_lines(t: &str) -> bool {
    let lines: Vec<&str> = t.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.len() > 1
        && lines.iter().all(|l| {
            l.split_once('=')
                .is_some_and(|(k, _)| !k.trim().is_empty() && !k.trim().contains(' '))
        })
}

/// Parses a JSON-like text that starts at byte `base` of the source.
fn json_at(source: &Arc<SourceFile>, text: &str, base: usize) -> Result<json::Parsed, ToolError> {
    match json::parse(text) {
        Ok(mut p) => {
            p.root.shift(base);
            if let Some(nj) = &mut p.not_json {
                nj.span = nj.span.offset(base);
            }
            Ok(p)
        }
        Err(e) => Err(ToolError::at(
            source,
            e.span.offset(base),
            Msg::new(
                format!("expected {}", e.expected.en),
                format!("应为{}", e.expected.zh),
            ),
            Msg::new(
                format!(
                    "cannot read the payload: expected {}, found {}",
                    e.expected.en, e.found.en
                ),
                format!(
                    "无法读取报文：此处应为{}，实际是{}",
                    e.expected.zh, e.found.zh
                ),
            ),
        )
        .help(msg!(
            "paste JSON, a JavaScript object literal, a form body, a URL or a raw HTTP request",
            "请粘贴 JSON、JavaScript 对象字面量、表单请求体、URL 或原始 HTTP 请求"
        ))),
    }
}

/// Code around an object, such as `swan.requestPolymerPayment({orderInfo: {...}})` or
/// `const orderInfo = {...};`: read the outermost braces.
fn embedded_object(trimmed: &str, lead: usize) -> Option<(Form, Option<NotJson>, Node)> {
    let first = trimmed.find('{')?;
    let mut candidates = vec![first];
    if let Some(i) = trimmed.find("orderInfo")
        && let Some(j) = trimmed[i..].find('{')
    {
        candidates.push(i + j);
    }
    candidates.into_iter().find_map(|open| {
        let close = matching_brace(trimmed, open)?;
        let mut p = json::parse(&trimmed[open..=close]).ok()?;
        p.root.shift(lead + open);
        let nj = NotJson {
            span: Span::new(lead, lead + open),
            what: json::NotJsonKind::CodeAround,
        };
        Some((Form::JsLiteral, Some(nj), p.root))
    })
}

/// The `}` closing the `{` at `open`, skipping quoted strings.
fn matching_brace(text: &str, open: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut quote = None;
    let mut i = open;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(_) if c == b'\\' => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'"' | b'\'' | b'`' => quote = Some(c),
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// Looks through wrappers: a JSON string holding the object, an array around it, or a pasted
/// call `{orderInfo: {...}}`.
fn unwrap(source: &Arc<SourceFile>, root: Node) -> Result<(Node, Option<Wrapping>), ToolError> {
    match &root.value {
        Value::Str(s) if s.trim_start().starts_with('{') => {
            let raw = source.slice(root.span);
            let Some((decoded, map)) = json::decode_with_map(raw) else {
                return Ok((root, None));
            };
            let Ok(mut p) = json::parse(&decoded) else {
                return Ok((root, None));
            };
            let base = root.span.start;
            p.root.remap(&|s: Span| {
                Span::new(
                    base + map[s.start],
                    base + map[s.end.min(map.len() - 1)].max(map[s.start] + 1),
                )
            });
            Ok((p.root, Some(Wrapping::String(root.span))))
        }
        Value::Array(items) if items.first().is_some_and(Node::is_object) => {
            let span = root.span;
            let first = items[0].clone();
            Ok((first, Some(Wrapping::Array(span))))
        }
        Value::Object(members)
            if members.len() <= 3
                && members.iter().any(|m| m.key == "orderInfo")
                && !members
                    .iter()
                    .any(|m| m.key == "dealId" || m.key == "appKey") =>
        {
            let m = root
                .get("orderInfo")
                .map(|m| m.value.clone())
                .unwrap_or(root.clone());
            let (inner, w) = unwrap(source, m)?;
            Ok((inner, w.or(Some(Wrapping::Key("orderInfo".into())))))
        }
        _ => Ok((root, None)),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(name: &str, t: &str) -> Payload {
        read(&SourceFile::new(name, t), None).unwrap()
    }

    #[test]
    fn every_paste_form_is_read() {
        let p = read_str("x", r#"{"dealId":"1","tpOrderId":"2"}"#);
        assert_eq!((p.form, p.kind), (Form::Json, Kind::Order));
        let p = read_str("x", "{dealId: '1', tpOrderId: '2',}");
        assert_eq!((p.form, p.kind), (Form::JsLiteral, Kind::Order));
        let p = read_str("x", "orderId=1&userId=2&totalMoney=1&status=2");
        assert_eq!((p.form, p.kind), (Form::FormBody, Kind::Notify));
        let p = read_str(
            "x",
            "https://dianshang.baidu.com/q?appId=1&appKey=M&orderId=3&siteId=4&sign=x",
        );
        assert_eq!((p.form, p.kind), (Form::Url, Kind::OrderQuery));
        let p = read_str(
            "x",
            "POST /cb?shop=1 HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nrefundStatus=1&orderId=2",
        );
        assert_eq!((p.form, p.kind), (Form::HttpRequest, Kind::RefundNotify));
        assert_eq!(p.query[0].key, "shop");
        let p = read_str("x", "success\n");
        assert_eq!((p.form, p.kind), (Form::PlainText, Kind::NotifyResponse));
    }

    #[test]
    fn wrappers_are_seen_through() {
        let t = r#""{\"dealId\":\"470\",\"appKey\":\"MMM\"}""#;
        let p = read_str("x", t);
        assert!(matches!(p.wrapping, Some(Wrapping::String(_))));
        let d = p.get("dealId").unwrap();
        assert_eq!(p.source.slice(d.value.span), r#"\"470\""#);
        let p = read_str(
            "x",
            "swan.requestPolymerPayment({orderInfo: {dealId: '1', tpOrderId: 'a'}, success() {}})",
        );
        assert_eq!(p.kind, Kind::Order);
        assert_eq!(p.text("dealId"), Some("1"));
    }

    #[test]
    fn file_names_name_kinds() {
        assert_eq!(
            kind_from_name("a/refund-audit-response.json"),
            Some(Kind::RefundAuditResponse)
        );
        assert_eq!(
            kind_from_name("notify_response-plain.txt"),
            Some(Kind::NotifyResponse)
        );
        assert_eq!(kind_from_name("orders.csv"), None);
    }

    #[test]
    fn unreadable_text_says_where() {
        let e = read(
            &SourceFile::new("p.json", "{\n  \"a\": 1,\n  \"b\" 2\n}"),
            None,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("p.json:3:7: cannot read the payload: expected `:`"),
            "{e}"
        );
    }
}
