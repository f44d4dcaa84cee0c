//! Payload intake: whatever the user pasted (JSON, a JS object literal, a form body, a URL, a raw
//! HTTP request, a plain-text answer) becomes one span-keeping tree plus the kind of message it is.

pub mod form;
pub mod json;
mod kind;
pub mod paste;
mod sniff;
mod unwrap;

use std::sync::Arc;

use crate::error::ToolError;
use crate::message::Msg;
use crate::msg;
use crate::source::{SourceFile, Span};
use json::{Member, Node, NotJson, Value};
pub use kind::{Kind, KindSource, detect, kind_from_name};
use sniff::{
    has_whitespace, looks_like_answer, looks_like_form_line, looks_like_kv_lines, not_a_payload,
};
use unwrap::{embedded_object, unwrap};

/// How the text was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Json,
    /// Read, but not JSON: see [`Payload::not_json`].
    JsLiteral,
    FormBody,
    /// A form body a framework decoded before logging it (raw `+` in the signature, no `%`).
    FormBodyDecoded,
    Url,
    HttpRequest,
    PlainText,
    /// Chrome/Firefox devtools' expanded view of an object (`appKey: "…"` lines).
    Devtools,
    /// PHP `print_r` of an array.
    PhpPrintR,
    /// PHP `var_dump` of an array.
    PhpVarDump,
    /// PHP `var_export` of an array.
    PhpVarExport,
    /// Java `Map.toString()`: `{appKey=MMMabc, dealId=470193086}`.
    JavaMap,
    /// Go `fmt` `%v` / `%+v` of a map or struct: `map[appKey:MMMabc dealId:470193086]`.
    GoMap,
    /// Python `repr` of a dict: `{'appKey': 'MMMabc', 'n': None}`.
    PythonDict,
}

impl Payload {
    /// How the text was written, for people: its form, and the envelope it came in.
    #[must_use]
    pub fn describe_form(&self) -> Msg {
        use paste::envelope::Envelope;
        let form = self.form.describe();
        match &self.envelope {
            None => form,
            Some(Envelope::Curl { url: Some(u) }) => {
                msg!("{form} in a curl command to {u}", "curl 命令（发往 {u}）中的{form}"; form = form)
            }
            Some(Envelope::Curl { url: None }) => {
                msg!("{form} in a curl command", "curl 命令中的{form}"; form = form)
            }
            Some(Envelope::LogLine { prefix }) => {
                let p = self.source.slice(*prefix).trim().to_owned();
                let p = crate::text::shorten(&format!("{p:?}")).unwrap_or(format!("{p:?}"));
                msg!("{form} in a log line after {p}", "日志行中 {p} 之后的{form}"; form = form)
            }
            Some(Envelope::NginxEscaped { prefix }) => {
                let p = self.source.slice(*prefix).trim().to_owned();
                let p = crate::text::shorten(&format!("{p:?}")).unwrap_or(format!("{p:?}"));
                msg!(
                    "{form} with nginx \\xHH escapes decoded, in a log line after {p}",
                    "日志行中 {p} 之后、解码 nginx \\xHH 转义后的{form}";
                    form = form
                )
            }
        }
    }
}

impl Form {
    /// How the text was written, for people.
    #[must_use]
    pub fn describe(self) -> Msg {
        match self {
            Self::Json => Msg::new("JSON", "JSON"),
            Self::JsLiteral => Msg::new("a JavaScript object literal", "JavaScript 对象字面量"),
            Self::FormBody => Msg::new("a form-urlencoded body", "表单（form-urlencoded）"),
            Self::FormBodyDecoded => Msg::new(
                "a form body already decoded (no %-escapes, raw + in the signature kept)",
                "已解码的表单（没有 % 转义，签名中的 + 原样保留）",
            ),
            Self::Url => Msg::new("a URL with a query string", "带查询参数的 URL"),
            Self::HttpRequest => Msg::new("a raw HTTP request", "原始 HTTP 请求"),
            Self::PlainText => Msg::new("plain text", "纯文本"),
            Self::Devtools => Msg::new(
                "an object copied from the browser devtools",
                "从浏览器开发者工具复制的对象",
            ),
            Self::PhpPrintR => Msg::new("PHP print_r output", "PHP print_r 输出"),
            Self::PhpVarDump => Msg::new("PHP var_dump output", "PHP var_dump 输出"),
            Self::PhpVarExport => Msg::new("PHP var_export output", "PHP var_export 输出"),
            Self::JavaMap => Msg::new("a Java Map.toString()", "Java Map.toString() 输出"),
            Self::GoMap => Msg::new("Go fmt %v output", "Go fmt %v 输出"),
            Self::PythonDict => Msg::new("a Python dict", "Python dict 输出"),
        }
    }

    /// A language's or the browser's print-out of the fields, rather than the text as sent.
    #[must_use]
    pub const fn is_printout(self) -> bool {
        matches!(
            self,
            Self::Devtools
                | Self::PhpPrintR
                | Self::PhpVarDump
                | Self::PhpVarExport
                | Self::JavaMap
                | Self::GoMap
                | Self::PythonDict
        )
    }

    /// Whether the form says what type each value has (a JSON string or number, PHP's
    /// `int(1)`). Print-outs such as `print_r` or `Map.toString()` do not: their values are
    /// read as strings, and rules that judge a value's JSON type leave them alone.
    #[must_use]
    pub const fn keeps_types(self) -> bool {
        matches!(
            self,
            Self::Json
                | Self::JsLiteral
                | Self::Devtools
                | Self::PhpVarDump
                | Self::PhpVarExport
                | Self::PythonDict
        )
    }
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
    /// What the payload arrived in: a curl command, a log line.
    pub envelope: Option<paste::envelope::Envelope>,
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
            envelope: None,
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

/// Reads a payload. `kind` forces the kind; otherwise it is told from the fields or the file
/// name. A payload inside an envelope (a curl command, a log line) is read from inside it, its
/// spans mapped back into the pasted text.
pub fn read(source: &Arc<SourceFile>, kind: Option<Kind>) -> Result<Payload, ToolError> {
    let text = source.text.as_str();
    let trimmed = text.trim();
    let lead = text.len() - text.trim_start().len();
    match paste::envelope::open(trimmed, lead) {
        None => read_form(source, kind),
        Some(Err(e)) => Err(parse_failure(source, &e)),
        Some(Ok(opened)) => read_enveloped(source, kind, opened),
    }
}

/// The payload inside an envelope, read on its own and mapped back.
fn read_enveloped(
    source: &Arc<SourceFile>,
    kind: Option<Kind>,
    opened: paste::envelope::Opened,
) -> Result<Payload, ToolError> {
    let paste::envelope::Opened {
        envelope,
        text,
        map,
    } = opened;
    let last = map.len().saturating_sub(1);
    let to_source = |s: Span| {
        let a = map.get(s.start.min(last)).copied().unwrap_or(0);
        let b = map.get(s.end.min(last)).copied().unwrap_or(a);
        Span::new(a, b.max(a))
    };
    let inner = SourceFile::new(source.name.clone(), text);
    let mut p = match read_form(&inner, kind) {
        Ok(p) => p,
        Err(mut e) => {
            // The error points into the pasted text, with its place recomputed there.
            if let Some(sn) = e.snippet.as_mut()
                && Arc::ptr_eq(&sn.source, &inner)
            {
                sn.span = to_source(sn.span);
                sn.source = Arc::clone(source);
                let (l, c) = source.line_col(sn.span.start);
                e.line = Some(l);
                e.column = Some(c);
            }
            return Err(e);
        }
    };
    p.root.remap(&to_source);
    for m in &mut p.query {
        m.key_span = to_source(m.key_span);
        m.value.remap(&to_source);
    }
    if let Some(nj) = &mut p.not_json {
        nj.span = to_source(nj.span);
    }
    if let Some(Wrapping::String(sp) | Wrapping::Array(sp)) = &mut p.wrapping {
        *sp = to_source(*sp);
    }
    p.source = Arc::clone(source);
    p.envelope = Some(envelope);
    Ok(p)
}

/// A reader's failure as the tool's error, at its place.
fn parse_failure(source: &Arc<SourceFile>, e: &json::ParseError) -> ToolError {
    ToolError::at(
        source,
        e.span,
        msg!("expected {expected}", "应为{expected}"; expected = e.expected),
        msg!(
            "cannot read the payload: expected {expected}, found {found}",
            "无法读取报文：此处应为{expected}，实际是{found}";
            expected = e.expected, found = e.found
        ),
    )
}

/// Reads a payload written in one of the forms, with no envelope around it.
fn read_form(source: &Arc<SourceFile>, kind: Option<Kind>) -> Result<Payload, ToolError> {
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
                form::parse_form_as(req.body, req.body_start, !form::already_decoded(req.body))
            }
        };
        (Form::HttpRequest, None, root)
    } else if let Some(cut) = paste::devtools::cut_preview(trimmed, lead) {
        return Err(ToolError::at(
            source,
            cut,
            msg!("cut here by the devtools", "开发者工具在此处截断"),
            msg!(
                "this is the devtools' collapsed preview: the fields after … were cut",
                "这是开发者工具折叠后的预览：… 之后的字段被截掉了"
            ),
        )
        .help(msg!(
            "copy the whole object: right-click it in the console › Copy object, or run copy(orderInfo) in the console and paste",
            "请复制完整对象：在控制台中右键该对象 ›「Copy object」（复制对象），或在控制台运行 copy(orderInfo) 后粘贴"
        )));
    } else if let Some(read) = paste::dumps::read(trimmed, lead) {
        let (form, node) = read.map_err(|e| parse_failure(source, &e))?;
        (form, None, node)
    } else if let Some(read) = paste::devtools::read(trimmed, lead) {
        let node = read.map_err(|e| parse_failure(source, &e))?;
        (Form::Devtools, None, node)
    } else if matches!(first, b'{' | b'[' | b'"' | b'\'')
        || trimmed.starts_with("//")
        || trimmed.starts_with("/*")
    {
        match json_at(source, trimmed, lead) {
            Ok(p) => {
                let form = if p.not_json.is_some() {
                    Form::JsLiteral
                } else {
                    Form::Json
                };
                (form, p.not_json, p.root)
            }
            // A comment above code around the object (`// pay\nswan.requestPolymerPayment({…})`).
            Err(e) => match (first == b'/').then(|| embedded_object(trimmed, lead)) {
                Some(Some(found)) => found,
                _ => return Err(e),
            },
        }
    } else if trimmed.starts_with("http://")
        || trimmed.starts_with("https://")
        || first == b'/'
        || first == b'?'
    {
        let q = trimmed.find('?').map_or("", |i| &trimmed[i + 1..]);
        let qstart = lead + trimmed.find('?').map_or(trimmed.len(), |i| i + 1);
        let q = q.split('#').next().unwrap_or("");
        (Form::Url, None, form::parse_form(q, qstart))
    } else if let Some(found) = (!looks_like_form_line(trimmed))
        .then(|| embedded_object(trimmed, lead))
        .flatten()
    {
        // Code around an object; a form body whose value holds braces (`bizInfo={}`) is not.
        found
    } else if trimmed.contains('=') && !has_whitespace(trimmed)
        || looks_like_kv_lines(trimmed)
        || looks_like_form_line(trimmed)
    {
        if form::already_decoded(trimmed) {
            (
                Form::FormBodyDecoded,
                None,
                form::parse_form_as(trimmed, lead, false),
            )
        } else {
            (Form::FormBody, None, form::parse_form(trimmed, lead))
        }
    } else {
        // Plain text is taken as a callback answer only when it looks like one; anything else
        // is refused, never read as a payload with no fields and passed.
        let forced_answer = kind.is_some_and(Kind::is_response);
        if !looks_like_answer(trimmed, forced_answer) {
            return Err(not_a_payload(source, trimmed, lead));
        }
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
    if let Some(k) = kind
        && !k.is_response()
        && root.members().is_empty()
    {
        let (kind_name, form) = (k.describe(), form.describe());
        return Err(ToolError::at(
            source,
            Span::new(lead, lead + trimmed.len()),
            msg!("no fields here", "这里没有字段"),
            msg!(
                "no fields found for a {kind_name}: the text was read as {form}",
                "没有找到{kind_name}的字段：文本被读作{form}";
                kind_name = kind_name, form = form
            ),
        )
        .help(msg!(
            "paste the payload itself (JSON, a form body, a URL, a raw HTTP request, a print-out of the fields)",
            "请粘贴报文本身（JSON、表单请求体、URL、原始 HTTP 请求或字段的打印输出）"
        )));
    }
    let (kind, kind_source) = match kind {
        Some(k) => (k, KindSource::Flag),
        None => match (kind_from_name(&source.name), detect(&root)) {
            // Clear content beats the file name: an answer (errno, data) saved as
            // `notify_resp.json`, or a request saved under an answer's name.
            (Some(name), Some((k, KindSource::Fields(fields))))
                if name.is_response() != k.is_response() =>
            {
                (k, KindSource::FieldsOverName { fields, name })
            }
            (Some(k), _) => (k, KindSource::FileName),
            (None, found) => found.ok_or_else(|| {
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
        envelope: None,
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
