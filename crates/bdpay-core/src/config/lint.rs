//! The `[lint]` table: severity overrides and ignores, resolved to rule codes, and the globs
//! that say which payloads an ignore covers.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::span_of;
use crate::error::ToolError;
use crate::finding::Level;
use crate::msg;
use crate::source::{SourceFile, Span};

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLint {
    #[serde(default)]
    severity: BTreeMap<String, Spanned<Level>>,
    #[serde(default)]
    ignore: Vec<Spanned<RawIgnore>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    rule: Spanned<String>,
    #[serde(default)]
    paths: Vec<String>,
    reason: Option<Spanned<String>>,
}

/// `[lint]`: severity overrides and ignores, resolved to rule codes.
#[derive(Debug, Default, Clone)]
pub struct Lint {
    pub severity: BTreeMap<&'static str, Level>,
    pub ignore: Vec<Ignore>,
}

#[derive(Debug, Clone)]
pub struct Ignore {
    pub code: &'static str,
    /// Globs of payload paths; empty means everywhere.
    pub paths: Vec<String>,
    pub reason: String,
}

impl Lint {
    /// Whether findings of `code` in `file` are ignored.
    #[must_use]
    pub fn ignores(&self, code: &str, file: &str) -> bool {
        self.ignore.iter().any(|i| {
            i.code == code && (i.paths.is_empty() || i.paths.iter().any(|p| glob_match(p, file)))
        })
    }
}

pub(super) fn resolve_lint(source: &Arc<SourceFile>, raw: RawLint) -> Result<Lint, ToolError> {
    let mut lint = Lint::default();
    for (key, level) in raw.severity {
        let Some(rule) = crate::registry::find(&key) else {
            let at = source
                .text
                .find(&key)
                .map_or(span_of(&level), |i| Span::new(i, i + key.len()));
            return Err(unknown_rule(source, at, &key));
        };
        lint.severity.insert(rule.code.as_str(), *level.get_ref());
    }
    for ig in raw.ignore {
        let span = span_of(&ig);
        let ig = ig.into_inner();
        let Some(rule) = crate::registry::find(ig.rule.get_ref()) else {
            return Err(unknown_rule(source, span_of(&ig.rule), ig.rule.get_ref()));
        };
        let reason = ig
            .reason
            .as_ref()
            .map(|r| r.get_ref().trim().to_owned())
            .unwrap_or_default();
        if reason.is_empty() {
            return Err(ToolError::at(
                source,
                ig.reason.as_ref().map_or(span, span_of),
                msg!("this ignore has no reason", "此忽略项没有写理由"),
                msg!(
                    "invalid config: an ignore needs a `reason`",
                    "配置无效：忽略项必须写明 `reason`"
                ),
            )
            .help(msg!(
                "say why the finding does not apply, e.g. reason = \"staging endpoint, not used by the platform\"",
                "写明该问题为何不适用，例如 reason = \"测试环境地址，平台不会调用\""
            )));
        }
        lint.ignore.push(Ignore {
            code: rule.code.as_str(),
            paths: ig.paths,
            reason,
        });
    }
    Ok(lint)
}

fn unknown_rule(source: &Arc<SourceFile>, span: Span, name: &str) -> ToolError {
    let e = ToolError::at(
        source,
        span,
        msg!("no such rule", "没有这条规则"),
        msg!(
            "invalid config: unknown rule `{name}`",
            "配置无效：未知规则 `{name}`"
        ),
    );
    match crate::registry::nearest(name) {
        Some(n) => e.help(msg!(
            "did you mean `{n}`? the `rules` command lists every rule",
            "是否想写 `{n}`？`rules` 命令列出全部规则"
        )),
        None => e.help(msg!(
            "the `rules` command lists every rule",
            "`rules` 命令列出全部规则"
        )),
    }
}

/// Matches a path against a glob: `*` (within a segment), `**` (any segments), `?`.
#[must_use]
pub fn glob_match(pattern: &str, path: &str) -> bool {
    fn go(p: &[u8], s: &[u8]) -> bool {
        match p.first() {
            None => s.is_empty(),
            Some(b'*') if p.get(1) == Some(&b'*') => {
                let rest = p[2..].strip_prefix(b"/").unwrap_or(&p[2..]);
                if rest.is_empty() {
                    return true;
                }
                (0..=s.len()).any(|i| (i == 0 || s[i - 1] == b'/') && go(rest, &s[i..]))
                    || go(&p[2..], s)
            }
            Some(b'*') => (0..=s.len())
                .take_while(|&i| i == 0 || s[i - 1] != b'/')
                .any(|i| go(&p[1..], &s[i..])),
            Some(b'?') => !s.is_empty() && s[0] != b'/' && go(&p[1..], &s[1..]),
            Some(&c) => s.first() == Some(&c) && go(&p[1..], &s[1..]),
        }
    }
    let path = path.strip_prefix("./").unwrap_or(path);
    let pattern = pattern.strip_prefix("./").unwrap_or(pattern);
    go(pattern.as_bytes(), path.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("fixtures/**", "fixtures/a/b.json"));
        assert!(glob_match("**/*.json", "a/b/c.json"));
        assert!(glob_match("*.json", "c.json"));
        assert!(!glob_match("*.json", "a/c.json"));
        assert!(glob_match("a/?.txt", "./a/b.txt"));
    }
}
