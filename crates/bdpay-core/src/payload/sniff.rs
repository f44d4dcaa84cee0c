//! Telling forms apart before reading: whitespace, form lines, answers that are plain text, and
//! the refusal of text that is no payload at all.

use std::sync::Arc;

use crate::error::ToolError;
use crate::msg;
use crate::source::{SourceFile, Span};
/// `s.contains(char::is_whitespace)`, with a byte scan first: only a byte that could start
/// whitespace (ASCII space and controls, or a multi-byte character) costs a character check.
pub(super) fn has_whitespace(s: &str) -> bool {
    // Chunks without an early exit inside compile to vector compares; control characters pass
    // the coarse test too and are settled by the exact one.
    s.as_bytes().chunks(32).any(|c| {
        c.iter()
            .fold(0u8, |any, &b| any | u8::from(!(0x21..0x80).contains(&b)))
            != 0
    }) && s.contains(char::is_whitespace)
}

/// Whether plain text can be a merchant's answer to a callback: a word that handlers answer
/// with (`success`, `fail`, `ok` …), an HTML error page, JSON-ish text with an answer's fields,
/// a framework's error page; or, when the kind says it is an answer, any single short line.
pub(super) fn looks_like_answer(t: &str, forced: bool) -> bool {
    const WORDS: [&str; 16] = [
        "success",
        "succeeded",
        "ok",
        "fail",
        "failed",
        "failure",
        "error",
        "true",
        "false",
        "null",
        "done",
        "received",
        "成功",
        "失败",
        "0",
        "1",
    ];
    let word = t
        .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace())
        .to_lowercase();
    let lower = t.to_ascii_lowercase();
    WORDS.contains(&word.as_str())
        || lower.starts_with('<')
        || lower.contains("<html")
        || lower.contains("<body")
        || (t.contains('{')
            && ["errno", "\"msg\"", "isconsumed", "\"data\""]
                .iter()
                .any(|k| lower.contains(k)))
        || lower.contains("whitelabel error page")
        || (forced && !t.contains('\n') && t.chars().count() <= 64)
}

/// Text that is none of the forms read: say what it looks like, what was expected, and where.
pub(super) fn not_a_payload(source: &Arc<SourceFile>, t: &str, lead: usize) -> ToolError {
    let first = t.lines().next().unwrap_or("");
    let span = Span::new(lead, lead + first.len());
    let stack = t.contains("Traceback (most recent call last)")
        || t.lines().any(|l| {
            let l = l.trim_start();
            (l.starts_with("at ") && l.contains('(') && l.contains(':'))
                || l.starts_with("Exception in thread")
                || l.starts_with("goroutine ")
                || l.starts_with("#0 ")
        });
    let (label, message) = if stack {
        (
            msg!("a stack trace", "这是调用栈"),
            msg!(
                "this is a stack trace, not a payload",
                "这是异常调用栈，不是报文"
            ),
        )
    } else {
        (
            msg!("not a payload form", "不是可识别的报文格式"),
            msg!(
                "cannot read this as a payload or an answer",
                "无法把这段文本读作报文或应答"
            ),
        )
    };
    ToolError::at(source, span, label, message).help(msg!(
        "paste one of: JSON or a JavaScript object ({{\"appKey\": …}}), a form body (userId=1&…), a URL with its query, a raw HTTP request, a curl command, a log line holding the payload, PHP print_r/var_dump/var_export, Java Map.toString(), Go %v, a Python dict, the devtools' expanded object; or the handler's answer (success, {{\"errno\":0,…}})",
        "请粘贴以下之一：JSON 或 JavaScript 对象（{{\"appKey\": …}}）、表单请求体（userId=1&…）、带查询参数的 URL、原始 HTTP 请求、curl 命令、含报文的日志行、PHP print_r/var_dump/var_export、Java Map.toString()、Go %v、Python dict、开发者工具中展开的对象；或回调的应答（success、{{\"errno\":0,…}}）"
    ))
}

/// One line of `key=value&key=value…` whose values hold spaces (a body logged after decoding,
/// `refundReason=不想要了 谢谢`): every part starts with a field name and `=`.
pub(super) fn looks_like_form_line(t: &str) -> bool {
    !t.contains('\n')
        && t.contains('&')
        && t.split('&').all(|part| {
            part.split_once('=').is_some_and(|(k, _)| {
                let k = k.trim();
                k.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && k.chars().all(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '[' | ']')
                    })
            })
        })
}

pub(super) fn looks_like_kv_lines(t: &str) -> bool {
    let lines: Vec<&str> = t.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.len() > 1
        && lines.iter().all(|l| {
            l.split_once('=')
                .is_some_and(|(k, _)| !k.trim().is_empty() && !k.trim().contains(' '))
        })
}
