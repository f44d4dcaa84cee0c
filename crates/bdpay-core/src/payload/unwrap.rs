//! Finding the fields inside what surrounds them: code around an object, a JSON string holding
//! it, an array around it, or a pasted call that names it `orderInfo`.

use std::sync::Arc;

use super::json::{self, Node, NotJson, Value};
use super::{Form, Wrapping};
use crate::error::ToolError;
use crate::source::{SourceFile, Span};

/// Code around an object, such as `swan.requestPolymerPayment({orderInfo: {...}})` or
/// `const orderInfo = {...};`: read the outermost braces.
pub(super) fn embedded_object(trimmed: &str, lead: usize) -> Option<(Form, Option<NotJson>, Node)> {
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
pub(super) fn unwrap(
    source: &Arc<SourceFile>,
    root: Node,
) -> Result<(Node, Option<Wrapping>), ToolError> {
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
