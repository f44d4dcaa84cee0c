//! Running the checks over one file: parse, match, filter, suppress, report.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use bdpay_core::finding::Diagnostic;
use bdpay_core::message::Msg;
use bdpay_core::rules::source::SourceHit;
use bdpay_core::source::{SourceFile, Span};
use tree_sitter::{Node, Parser, QueryCursor, StreamingIterator, Tree};

use crate::check::{BadQuery, Cache, Compiled};
use crate::lang::{Lang, enclosing_function};

/// A file could not be parsed at all (tree-sitter gave up); with partial syntax errors the tree
/// is still searched, as editors do.
#[derive(Debug)]
pub struct Unparsed;

/// Parses `text` as `lang`.
///
/// # Errors
/// When the parser returns no tree.
pub fn parse(lang: Lang, text: &str) -> Result<Tree, Unparsed> {
    let mut p = Parser::new();
    p.set_language(&lang.grammar()).map_err(|_| Unparsed)?;
    p.parse(text, None).ok_or(Unparsed)
}

/// What a scan of one file found: hits to report, hits its comments suppressed, and answers
/// written as JSON strings, read as payloads for the answer rules.
#[derive(Debug, Default)]
pub struct FileScan {
    pub hits: Vec<SourceHit>,
    pub suppressed: usize,
    /// Each answer literal read as a payload over a copy of the file blanked outside the literal,
    /// so its spans are the file's own: findings are shown on `source` (the file itself).
    pub answers: Vec<bdpay_core::payload::Payload>,
    /// Keys written as string literals, for the key rules.
    pub keys: Vec<bdpay_core::keys::ring::CodeKey>,
    /// The file with its private keys masked, when it holds any: every hit and key points at it,
    /// so no report can show the key.
    pub masked: Option<Arc<SourceFile>>,
}

/// Scans one file's text.
///
/// # Errors
/// When a query does not compile for this language.
pub fn scan(source: &Arc<SourceFile>, lang: Lang, cache: &Cache) -> Result<FileScan, BadQuery> {
    let text = source.text.as_str();
    let Ok(tree) = parse(lang, text) else {
        return Ok(FileScan::default());
    };
    let ignores = suppressions(text);
    let mut out = FileScan {
        answers: answers(lang, &tree, source),
        keys: crate::keys::find(lang, &tree, source),
        ..FileScan::default()
    };
    let mut seen = HashSet::new();
    let all = cache.get(lang)?;
    // Checks whose file context is absent are skipped; the rest share one walk of the tree.
    let live: Vec<bool> = all
        .checks
        .iter()
        .map(|c| c.file_has.as_ref().is_none_or(|r| r.is_match(text)))
        .collect();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(&all.query, tree.root_node(), text.as_bytes());
    while let Some(m) = matches.next() {
        let k = all.pattern_check[m.pattern_index];
        if !live[k] {
            continue;
        }
        let check = &all.checks[k];
        let Some(node) = m
            .captures()
            .iter()
            .find(|c| c.index == check.report)
            .map(|c| c.node)
        else {
            continue;
        };
        let captures: Vec<(&str, Node<'_>)> = m
            .captures()
            .iter()
            .map(|c| (all.query.capture_names()[c.index as usize], c.node))
            .collect();
        let checked = check
            .spec
            .text_of
            .as_deref()
            .and_then(|name| captures.iter().find(|(n, _)| *n == name))
            .map_or(node, |(_, n)| *n);
        let checked_text = checked.utf8_text(text.as_bytes()).unwrap_or("");
        if check
            .text_matches
            .as_ref()
            .is_some_and(|r| !r.is_match(checked_text))
            || check
                .text_lacks
                .as_ref()
                .is_some_and(|r| r.is_match(checked_text))
        {
            continue;
        }
        let Some(function) = passes(check, lang, node, text) else {
            continue;
        };
        let span = Span::new(node.start_byte(), node.end_byte());
        if check.spec.outside_keys
            && out
                .keys
                .iter()
                .any(|k| k.span.start <= span.start && span.end <= k.span.end)
        {
            continue;
        }
        if !seen.insert((check.code, span.start, span.end)) {
            continue;
        }
        let line = node.start_position().row;
        match ignores.covering(line, check.code) {
            Some(Ignore { reason: true, .. }) => out.suppressed += 1,
            Some(Ignore { reason: false, .. }) => {
                let mut d = diagnostic(source, check, span, &captures, function, text);
                let help = d.help.take().unwrap_or_default();
                d.help = Some(Msg::new(
                    format!(
                        "{}; the ignore comment above is not applied: it needs a reason after `ignore[{}]`",
                        help.en, check.code
                    ),
                    format!(
                        "{}；上方的忽略注释没有生效：`ignore[{}]` 后面需要写明原因",
                        help.zh, check.code
                    ),
                ));
                out.hits.push(SourceHit {
                    code: check.code,
                    diagnostic: d,
                });
            }
            None => out.hits.push(SourceHit {
                code: check.code,
                diagnostic: diagnostic(source, check, span, &captures, function, text),
            }),
        }
    }
    if let Some(masked) = crate::keys::mask(text, &out.keys) {
        let masked = SourceFile::new(source.name.clone(), masked);
        for h in &mut out.hits {
            h.diagnostic.source = Arc::clone(&masked);
        }
        for k in &mut out.keys {
            k.source = Arc::clone(&masked);
        }
        out.masked = Some(masked);
    }
    Ok(out)
}

/// Answers written as JSON string literals (`'{"errno":0,"msg":"success","data":{...}}'`), read
/// as payloads. Only literals whose text is the value (no escapes) are read: their bytes are the
/// answer's, so every span stays the file's.
fn answers(lang: Lang, tree: &Tree, source: &Arc<SourceFile>) -> Vec<bdpay_core::payload::Payload> {
    let text = source.text.as_str();
    let mut out = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(n) = stack.pop() {
        // String literals only; PHP heredocs are not read for answers.
        if lang.is_string(n.kind(), false) {
            let raw = &text[n.start_byte()..n.end_byte()];
            if let (Some(open), Some(close)) = (raw.find('{'), raw.rfind('}'))
                && open < close
                && !raw[open..=close].contains('\\')
                && raw[open..=close].contains("\"errno\"")
            {
                let (start, end) = (n.start_byte() + open, n.start_byte() + close + 1);
                let blank: String = text
                    .char_indices()
                    .map(|(i, c)| {
                        if (start..end).contains(&i) || c == '\n' {
                            c.to_string()
                        } else {
                            " ".repeat(c.len_utf8())
                        }
                    })
                    .collect();
                let copy = SourceFile::new(source.name.clone(), blank);
                if let Ok(p) = bdpay_core::payload::read(&copy, None)
                    && p.kind.is_response()
                {
                    out.push(p);
                }
            }
            continue;
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
    out
}

/// The filters a query cannot say; the enclosing function's name when they pass.
fn passes<'t>(check: &Compiled, lang: Lang, node: Node<'t>, text: &'t str) -> Option<&'t str> {
    let enclosing = enclosing_function(lang, node, text);
    let name = enclosing.map_or("", |(_, n)| n);
    let body = enclosing
        .and_then(|(f, _)| f.utf8_text(text.as_bytes()).ok())
        .unwrap_or(text);
    if let Some(r) = &check.in_function
        && !r.is_match(name)
    {
        return None;
    }
    if check
        .not_in_function
        .as_ref()
        .is_some_and(|r| r.is_match(name))
    {
        return None;
    }
    if check
        .function_has
        .as_ref()
        .is_some_and(|r| !r.is_match(body))
    {
        return None;
    }
    if check
        .function_lacks
        .as_ref()
        .is_some_and(|r| r.is_match(body))
    {
        return None;
    }
    if let Some(r) = &check.followed_by {
        let from = enclosing.map_or(0, |(f, _)| f.start_byte());
        let after = node.end_byte().saturating_sub(from);
        if !body.get(after..).is_some_and(|rest| r.is_match(rest)) {
            return None;
        }
    }
    if let Some(r) = &check.line_matches {
        let start = text[..node.start_byte()].rfind('\n').map_or(0, |i| i + 1);
        let end = text[node.start_byte()..]
            .find('\n')
            .map_or(text.len(), |i| node.start_byte() + i);
        // The code of the line, without a trailing comment (`// not an amount`).
        let line = &text[start..end];
        let code = [" //", "\t//", " #"]
            .iter()
            .filter_map(|m| line.find(m))
            .min()
            .map_or(line, |i| &line[..i]);
        if !r.is_match(code) {
            return None;
        }
    }
    if let Some(r) = &check.not_under_condition {
        let mut child = node;
        while let Some(p) = child.parent() {
            let in_then = p
                .child_by_field_name("consequence")
                .is_some_and(|c| c.id() == child.id());
            if in_then
                && p.child_by_field_name("condition")
                    .and_then(|c| c.utf8_text(text.as_bytes()).ok())
                    .is_some_and(|t| r.is_match(t))
            {
                return None;
            }
            child = p;
        }
    }
    if let Some(r) = &check.not_inside_call {
        let mut n = node.parent();
        while let Some(p) = n {
            if lang.is_function(p.kind()) {
                break;
            }
            let callee = p
                .child_by_field_name("function")
                .or_else(|| p.child_by_field_name("name"))
                .filter(|_| p.kind().contains("call") || p.kind() == "method_invocation");
            if let Some(c) = callee
                && c.id() != node.id()
                && c.utf8_text(text.as_bytes()).is_ok_and(|t| r.is_match(t))
            {
                return None;
            }
            n = p.parent();
        }
    }
    Some(name)
}

/// The finding, its message and label with the captures' text filled in.
fn diagnostic(
    source: &Arc<SourceFile>,
    check: &Compiled,
    span: Span,
    captures: &[(&str, Node<'_>)],
    function: &str,
    text: &str,
) -> Diagnostic {
    let fill = |s: &str| {
        let mut out = s.replace(
            "{function}",
            if function.is_empty() { "?" } else { function },
        );
        for (name, node) in captures {
            let t = node.utf8_text(text.as_bytes()).unwrap_or("");
            let t = t.lines().next().unwrap_or("");
            let t: String = t.chars().take(60).collect();
            out = out.replace(&format!("{{{name}}}"), &t);
        }
        out
    };
    let m = |x: &Msg| Msg::new(fill(&x.en), fill(&x.zh));
    Diagnostic::new(source, span, m(&check.spec.message))
        .label(m(&check.spec.label))
        .help(m(&check.spec.fix))
}

/// An inline suppression: the codes (or family prefixes) it names, and whether it gives a reason.
#[derive(Debug, Clone)]
struct Ignore {
    codes: Vec<String>,
    reason: bool,
}

#[derive(Debug, Default)]
struct Ignores(BTreeMap<usize, Ignore>);

impl Ignores {
    /// The suppression on `line` or the line above that names `code`.
    fn covering(&self, line: usize, code: &str) -> Option<&Ignore> {
        let names = |i: &&Ignore| {
            i.codes
                .iter()
                .any(|c| c.eq_ignore_ascii_case(code) || code.starts_with(&c.to_ascii_uppercase()))
        };
        self.0.get(&line).filter(names).or_else(|| {
            line.checked_sub(1)
                .and_then(|l| self.0.get(&l))
                .filter(names)
        })
    }
}

/// `bdpay-doctor: ignore[SRC003,SRC004] reason` in any comment syntax (`//`, `#`, `/* */`).
fn suppressions(text: &str) -> Ignores {
    const MARK: &str = "bdpay-doctor: ignore[";
    let mut out = BTreeMap::new();
    for (row, line) in text.lines().enumerate() {
        let Some(at) = line.find(MARK) else {
            continue;
        };
        let before = &line[..at];
        if !(before.contains("//")
            || before.contains('#')
            || before.contains("/*")
            || before.trim_start().starts_with('*'))
        {
            continue;
        }
        let rest = &line[at + MARK.len()..];
        let Some(close) = rest.find(']') else {
            continue;
        };
        let codes = rest[..close]
            .split(',')
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
        let reason = rest[close + 1..]
            .trim()
            .trim_end_matches("*/")
            .trim_end_matches("-->")
            .trim();
        out.insert(
            row,
            Ignore {
                codes,
                reason: reason.chars().filter(|c| c.is_alphanumeric()).count() >= 3,
            },
        );
    }
    Ignores(out)
}

#[cfg(test)]
mod tests {
    use super::suppressions;

    #[test]
    fn suppressions_need_a_comment_and_read_their_reason() {
        let t = "a // bdpay-doctor: ignore[SRC003] the Baidu path signs four fields\n\
                 # bdpay-doctor: ignore[SRC001,SRC002]\n\
                 s = 'bdpay-doctor: ignore[SRC004] in a string'\n";
        let i = suppressions(t);
        assert!(i.covering(0, "SRC003").is_some_and(|x| x.reason));
        assert!(
            i.covering(1, "SRC003").is_some(),
            "the line below is covered"
        );
        assert!(i.covering(1, "SRC002").is_some_and(|x| !x.reason));
        assert!(i.covering(2, "SRC004").is_none(), "not in a comment");
        assert!(i.covering(5, "SRC003").is_none());
    }
}
