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

/// `[lint]`: severity overrides and ignores.
#[derive(Debug, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLint {
    /// A rule (code or name) → error, warning, info or off.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Level>")]
    severity: BTreeMap<String, Spanned<Level>>,
    /// Findings of a rule to ignore, with a reason, optionally only in some payload paths.
    #[serde(default)]
    #[schemars(with = "Vec<RawIgnore>")]
    ignore: Vec<Spanned<RawIgnore>>,
}

/// `[[lint.ignore]]`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    /// The rule's code or name.
    #[schemars(with = "String")]
    rule: Spanned<String>,
    /// Globs of payload paths (`*`, `**`, `?`, `[...]`, `{a,b}`); none means everywhere.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    paths: Vec<Spanned<String>>,
    /// Why the finding does not apply (required).
    #[schemars(with = "String")]
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
    /// Globs of payload paths as written; empty means everywhere.
    pub paths: Vec<String>,
    /// The same globs, compiled once.
    globs: globset::GlobSet,
    pub reason: String,
}

impl Lint {
    /// Whether findings of `code` in `file` are ignored.
    #[must_use]
    pub fn ignores(&self, code: &str, file: &str) -> bool {
        let file = file.strip_prefix("./").unwrap_or(file);
        self.ignore
            .iter()
            .any(|i| i.code == code && (i.paths.is_empty() || i.globs.is_match(file)))
    }
}

/// A glob as `[lint]` paths mean it: `*` and `?` stay within a path segment, `**` crosses them,
/// `[...]` and `{a,b}` as in gitignore and ruff (globset, which ruff uses).
pub fn glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    globset::GlobBuilder::new(pattern.strip_prefix("./").unwrap_or(pattern))
        .literal_separator(true)
        .backslash_escape(true)
        .build()
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
        let mut set = globset::GlobSetBuilder::new();
        for p in &ig.paths {
            let g = glob(p.get_ref()).map_err(|e| {
                let why = e.kind().to_string();
                ToolError::at(
                    source,
                    span_of(p),
                    msg!("not a valid glob: {why}", "不是有效的通配模式：{why}"),
                    msg!(
                        "invalid config: the ignore's path `{p}` is not a valid glob",
                        "配置无效：忽略项的路径 `{p}` 不是有效的通配模式";
                        p = crate::message::Msg::same(p.get_ref())
                    ),
                )
            })?;
            set.add(g);
        }
        let globs = set.build().map_err(|e| {
            ToolError::at(
                source,
                span,
                crate::message::Msg::same(e.to_string()),
                msg!(
                    "invalid config: the ignore's paths",
                    "配置无效：忽略项的路径"
                ),
            )
        })?;
        lint.ignore.push(Ignore {
            code: rule.code.as_str(),
            paths: ig.paths.into_iter().map(Spanned::into_inner).collect(),
            globs,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn glob_match(pattern: &str, path: &str) -> bool {
        glob(pattern)
            .unwrap()
            .compile_matcher()
            .is_match(path.strip_prefix("./").unwrap_or(path))
    }

    #[test]
    fn globs() {
        assert!(glob_match("fixtures/**", "fixtures/a/b.json"));
        assert!(glob_match("**/*.json", "a/b/c.json"));
        assert!(glob_match("*.json", "c.json"));
        assert!(!glob_match("*.json", "a/c.json"));
        assert!(glob_match("a/?.txt", "./a/b.txt"));
        assert!(glob_match(
            "payloads/{notify,refund}-*.form",
            "payloads/refund-1.form"
        ));
        assert!(glob_match("payloads/[nr]*.form", "payloads/notify.form"));
        assert!(!glob_match("payloads/[!nr]*.form", "payloads/notify.form"));
    }

    #[test]
    fn a_pathological_glob_is_linear() {
        // The hand-written matcher backtracked exponentially on this (~1 s for 60 characters);
        // globset compiles it to an automaton. Millions of times the old cost if exponential.
        let m = glob("*a*a*a*a*a*a*a*a*a*a*a*a*b")
            .unwrap()
            .compile_matcher();
        assert!(!m.is_match("a".repeat(4000)));
    }
}
