//! `bdpay.toml`: the merchant's settings, read with spans so that config errors and findings
//! about the config point at the exact entry.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::error::ToolError;
use crate::finding::Level;
use crate::message::Msg;
use crate::msg;
use crate::source::{SourceFile, Span};

/// The name `check` looks for in the current directory when `--config` is not given.
pub const DEFAULT_NAME: &str = "bdpay.toml";

#[derive(Debug)]
pub struct Config {
    pub source: Arc<SourceFile>,
    /// Relative key paths are resolved from here.
    pub dir: PathBuf,
    pub merchant: Merchant,
    pub keys: Keys,
    pub callbacks: Option<Spanned<Callbacks>>,
    pub test: Option<Spanned<TestOrders>>,
    pub lint: Lint,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    merchant: Merchant,
    #[serde(default)]
    keys: RawKeys,
    callbacks: Option<Spanned<Callbacks>>,
    test: Option<Spanned<TestOrders>>,
    #[serde(default)]
    lint: RawLint,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Merchant {
    /// The payment service's appKey (服务详情), `MMM...` style.
    pub app_key: Option<Spanned<Id>>,
    pub deal_id: Option<Spanned<Id>>,
    pub app_id: Option<Spanned<Id>>,
    /// The smart program's own 32-character `AppKey`, so the two can be told apart.
    pub smart_app_key: Option<Spanned<Id>>,
}

/// An identifier written as a string or a bare integer.
#[derive(Debug, Deserialize, Clone, PartialEq, Eq)]
#[serde(untagged)]
pub enum Id {
    Str(String),
    Int(i64),
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Str(s) => f.write_str(s),
            Self::Int(i) => write!(f, "{i}"),
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawKeys {
    language: Option<Spanned<Language>>,
    private_key: Option<Spanned<String>>,
    developer_public_key: Option<Spanned<String>>,
    platform_public_key: Option<Spanned<String>>,
}

/// The language of the merchant's server code: decides which key forms load.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Java,
    Php,
    Go,
    Node,
    Python,
    Dotnet,
}

impl Language {
    pub const ALL: [Self; 6] = [
        Self::Java,
        Self::Php,
        Self::Go,
        Self::Node,
        Self::Python,
        Self::Dotnet,
    ];

    /// The name in the config and on the command line.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Java => "java",
            Self::Php => "php",
            Self::Go => "go",
            Self::Node => "node",
            Self::Python => "python",
            Self::Dotnet => "dotnet",
        }
    }
}

#[derive(Debug, Default)]
pub struct Keys {
    pub language: Option<Spanned<Language>>,
    pub private_key: Option<KeyMaterial>,
    pub developer_public_key: Option<KeyMaterial>,
    pub platform_public_key: Option<KeyMaterial>,
}

/// Where a key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOrigin {
    /// Written in the config itself.
    Inline,
    Env(String),
    File(PathBuf),
}

/// Key text read from a file, an environment variable or the config. `Debug` never shows it.
pub struct KeyMaterial {
    pub text: String,
    pub origin: KeyOrigin,
    /// The config entry that names it.
    pub span: Span,
    /// The permission bits of the key file, when the caller could read them.
    pub mode: Option<u32>,
}

/// How the caller reaches what a config's `[keys]` entries name: the core reads no file and no
/// environment variable itself. The CLI reads the file system and the environment; the browser
/// page and the npm package answer from what the user gave them.
pub trait KeyResolver {
    /// The value of an environment variable, `None` when it is not set.
    fn env(&self, var: &str) -> Option<String>;
    /// The bytes of a key file and its permission bits (`None` where the platform has none).
    fn file(&self, path: &Path) -> Result<(Vec<u8>, Option<u32>), FileProblem>;
}

/// Why a key file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    NotFound,
    PermissionDenied,
    /// Larger than any key file can be (its size in bytes).
    TooLarge(u64),
    /// Files cannot be reached here (the browser page, the npm API without a file system).
    Unavailable,
    /// Any other reason, as the system gave it.
    Other(String),
}

impl FileProblem {
    /// Why, for people.
    #[must_use]
    pub fn reason(&self) -> Msg {
        match self {
            Self::NotFound => msg!("no such file", "文件不存在"),
            Self::PermissionDenied => msg!("permission denied", "没有读取权限"),
            Self::TooLarge(n) => msg!(
                "{n} bytes: too large for a key file",
                "{n} 字节：不可能是密钥文件"
            ),
            Self::Unavailable => msg!(
                "files cannot be read here: paste the key itself",
                "此处无法读取文件：请直接粘贴密钥内容"
            ),
            Self::Other(e) => Msg::same(e.clone()),
        }
    }
}

/// Largest key file read: keys are a few KB, an 8192-bit PEM about 6.5 KB.
pub const MAX_KEY_FILE: u64 = 1024 * 1024;

/// A resolver for callers that have no file system and no environment: every reference fails
/// with a clear reason, and inline keys still work.
pub struct NoFiles;

impl KeyResolver for NoFiles {
    fn env(&self, _var: &str) -> Option<String> {
        None
    }
    fn file(&self, _path: &Path) -> Result<(Vec<u8>, Option<u32>), FileProblem> {
        Err(FileProblem::Unavailable)
    }
}

impl fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyMaterial")
            .field(
                "text",
                &format_args!("<{} bytes redacted>", self.text.len()),
            )
            .field("origin", &self.origin)
            .field("span", &self.span)
            .field("mode", &self.mode)
            .finish()
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Callbacks {
    pub pay_notify: Option<Spanned<String>>,
    pub refund_audit: Option<Spanned<String>>,
    pub refund_notify: Option<Spanned<String>>,
}

impl Callbacks {
    /// `(config key, URL)` for each of the three callbacks, in the platform's order.
    #[must_use]
    pub fn entries(&self) -> [(&'static str, Option<&Spanned<String>>); 3] {
        [
            ("pay_notify", self.pay_notify.as_ref()),
            ("refund_audit", self.refund_audit.as_ref()),
            ("refund_notify", self.refund_notify.as_ref()),
        ]
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestOrders {
    /// Amounts in fen of the orders the merchant will test with.
    pub amounts: Spanned<Vec<Spanned<i64>>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLint {
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
            i.code == code
                && (i.paths.is_empty() || i.paths.iter().any(|p| crate::util::glob_match(p, file)))
        })
    }
}

impl Config {
    /// The callback URLs that are set, with their config key, in the platform's order.
    pub fn callback_urls(&self) -> impl Iterator<Item = (&'static str, &Spanned<String>)> {
        self.callbacks
            .iter()
            .flat_map(|cb| cb.get_ref().entries())
            .filter_map(|(name, v)| Some((name, v?)))
    }

    /// Parses config text; key paths resolve from `dir` through `keys`.
    pub fn parse(
        source: Arc<SourceFile>,
        dir: PathBuf,
        keys: &dyn KeyResolver,
    ) -> Result<Self, ToolError> {
        let raw: Raw = toml::from_str(&source.text).map_err(|e| {
            let span = e
                .span()
                .map_or(Span::new(0, 0), |r| Span::new(r.start, r.end));
            let why = toml_reason(&first_line(e.message().trim()));
            ToolError::at(
                &source,
                span,
                why.clone(),
                Msg::new(
                    format!("invalid config: {}", why.en),
                    format!("配置无效：{}", why.zh),
                ),
            )
            .help(msg!(
                "see the config reference in the README, or write a commented starter file with `init`",
                "参考 README 中的配置说明，或用 `init` 生成一份带注释的配置模板"
            ))
        })?;
        let keys = Keys {
            language: raw.keys.language,
            private_key: load_key(&source, &dir, keys, raw.keys.private_key.as_ref())?,
            developer_public_key: load_key(
                &source,
                &dir,
                keys,
                raw.keys.developer_public_key.as_ref(),
            )?,
            platform_public_key: load_key(
                &source,
                &dir,
                keys,
                raw.keys.platform_public_key.as_ref(),
            )?,
        };
        let lint = resolve_lint(&source, raw.lint)?;
        Ok(Self {
            source,
            dir,
            merchant: raw.merchant,
            keys,
            callbacks: raw.callbacks,
            test: raw.test,
            lint,
        })
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_owned()
}

/// The TOML reader's reason in both languages: its common messages are translated, anything
/// else is kept as the library wrote it, quoted.
fn toml_reason(en: &str) -> Msg {
    let zh = if let Some(rest) = en.strip_prefix("unknown field ") {
        match rest.split_once(", expected ") {
            Some((field, expected)) => format!(
                "未知字段 {field}，应为以下之一：{}",
                expected.trim_start_matches("one of ")
            ),
            None => format!("未知字段 {rest}"),
        }
    } else if let Some(rest) = en.strip_prefix("missing field ") {
        format!("缺少字段 {rest}")
    } else if let Some(rest) = en.strip_prefix("invalid type: ") {
        match rest.split_once(", expected ") {
            Some((found, expected)) => format!("类型不对：实际是 {found}，应为 {expected}"),
            None => format!("类型不对：{rest}"),
        }
    } else if let Some(rest) = en.strip_prefix("unknown variant ") {
        match rest.split_once(", expected ") {
            Some((v, expected)) => format!(
                "取值 {v} 无效，应为以下之一：{}",
                expected.trim_start_matches("one of ")
            ),
            None => format!("取值无效：{rest}"),
        }
    } else if let Some(rest) = en.strip_prefix("duplicate key") {
        format!("重复的键{rest}")
    } else {
        format!("TOML 语法错误「{en}」")
    };
    Msg::new(en, zh)
}

fn span_of<T>(s: &Spanned<T>) -> Span {
    let r = s.span();
    Span::new(r.start, r.end)
}

/// The span of a spanned value, for findings.
#[must_use]
pub fn span<T>(s: &Spanned<T>) -> Span {
    span_of(s)
}

fn resolve_lint(source: &Arc<SourceFile>, raw: RawLint) -> Result<Lint, ToolError> {
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

/// Resolves a `[keys]` entry: `env:VAR`, inline key text, or a path relative to the config.
fn load_key(
    source: &Arc<SourceFile>,
    dir: &Path,
    resolver: &dyn KeyResolver,
    entry: Option<&Spanned<String>>,
) -> Result<Option<KeyMaterial>, ToolError> {
    let Some(entry) = entry else { return Ok(None) };
    let span = span_of(entry);
    let value = entry.get_ref().trim();
    let err = |label: Msg, msg: Msg| ToolError::at(source, span, label, msg);
    if value.is_empty() {
        return Err(err(
            msg!("empty", "为空"),
            msg!(
                "invalid config: the key entry is empty",
                "配置无效：密钥配置项为空"
            ),
        )
        .help(msg!(
            "give a path, `env:VARIABLE`, or the key itself; or remove the entry",
            "填写文件路径、`env:变量名` 或密钥本身；或删除该项"
        )));
    }
    if let Some(var) = value.strip_prefix("env:") {
        let var = var.trim();
        return match resolver.env(var) {
            Some(text) if !text.trim().is_empty() => Ok(Some(KeyMaterial {
                text,
                origin: KeyOrigin::Env(var.to_owned()),
                span,
                mode: None,
            })),
            Some(_) => Err(err(
                msg!("empty variable", "变量为空"),
                msg!(
                    "the environment variable {var} is empty",
                    "环境变量 {var} 为空"
                ),
            )),
            None => Err(err(
                msg!("variable not set", "变量未设置"),
                msg!(
                    "the environment variable {var} is not set",
                    "环境变量 {var} 未设置"
                ),
            )
            .help(msg!(
                "export {var} before running, or point the entry at a key file",
                "运行前先 export {var}，或让该项指向密钥文件"
            ))),
        };
    }
    if is_inline_key(value) {
        return Ok(Some(KeyMaterial {
            text: value.to_owned(),
            origin: KeyOrigin::Inline,
            span,
            mode: None,
        }));
    }
    let path = dir.join(value);
    match resolver.file(&path) {
        Ok((bytes, _)) if bytes.len() as u64 > MAX_KEY_FILE => {
            let (p, n) = (path.display(), bytes.len());
            Err(err(
                msg!("not a key", "不是密钥"),
                msg!(
                    "{p} is {n} bytes: too large for a key file",
                    "{p} 有 {n} 字节：不可能是密钥文件"
                ),
            ))
        }
        Ok((bytes, mode)) => Ok(Some(KeyMaterial {
            // Keys are ASCII; anything else is for the key rules to explain, not an error here.
            text: String::from_utf8_lossy(&bytes).into_owned(),
            origin: KeyOrigin::File(path),
            span,
            mode,
        })),
        Err(problem) => {
            let why = problem.reason();
            let p = path.display();
            Err(err(
                msg!("cannot read this key file", "无法读取此密钥文件"),
                Msg::new(
                    format!("cannot read key file {p}: {}", why.en),
                    format!("无法读取密钥文件 {p}：{}", why.zh),
                ),
            )
            .help(msg!(
                "paths are relative to the directory of the config file",
                "路径相对于配置文件所在目录"
            )))
        }
    }
}

/// A value that is the key itself rather than a path: PEM, or a long run of base64.
fn is_inline_key(v: &str) -> bool {
    v.contains("-----BEGIN")
        || (v.len() >= 100
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+/=\\n\r\n -_".contains(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Knows one variable and no file.
    struct Fake;
    impl KeyResolver for Fake {
        fn env(&self, var: &str) -> Option<String> {
            (var == "SET_BUT_EMPTY").then(String::new)
        }
        fn file(&self, _path: &Path) -> Result<(Vec<u8>, Option<u32>), FileProblem> {
            Err(FileProblem::NotFound)
        }
    }

    fn parse(t: &str) -> Result<Config, ToolError> {
        Config::parse(SourceFile::new("bdpay.toml", t), PathBuf::from("."), &Fake)
    }

    #[test]
    fn unknown_keys_point_at_the_line() {
        let e = parse("[merchant]\napp_key = \"M\"\ndeal_idd = \"1\"\n").unwrap_err();
        assert!(
            e.to_string().starts_with("bdpay.toml:3:1: invalid config"),
            "{e}"
        );
        let e = parse("[test]\namounts = [\"1\"]\n").unwrap_err();
        assert!(e.to_string().starts_with("bdpay.toml:2:"), "{e}");
    }

    #[test]
    fn ids_take_strings_and_integers() {
        let c = parse("[merchant]\ndeal_id = 470193086\napp_key = \"MMMabc\"\n").unwrap();
        assert_eq!(
            c.merchant.deal_id.unwrap().get_ref().to_string(),
            "470193086"
        );
    }

    #[test]
    fn lint_entries_resolve_and_need_reasons() {
        let c = parse("[lint.severity]\ncallback-url-not-https = \"off\"\nORD004 = \"warning\"\n[[lint.ignore]]\nrule = \"AMT002\"\npaths = [\"a/**\"]\nreason = \"x\"\n").unwrap();
        assert_eq!(c.lint.severity.get("CBU003"), Some(&Level::Off));
        assert!(c.lint.ignores("AMT002", "a/b.json"));
        assert!(!c.lint.ignores("AMT002", "b.json"));
        let e = parse("[[lint.ignore]]\nrule = \"AMT002\"\n").unwrap_err();
        assert!(e.message.en.contains("reason"));
        let e = parse("[lint.severity]\ncallback-url-not-http = \"off\"\n").unwrap_err();
        assert!(e.help.unwrap().en.contains("callback-url-not-https"));
    }

    #[test]
    fn key_entries_report_missing_files_and_variables() {
        let e = parse("[keys]\nprivate_key = \"nope.pem\"\n").unwrap_err();
        assert!(e.message.en.contains("no such file"), "{e}");
        let e = parse("[keys]\nprivate_key = \"env:BDPAY_DOCTOR_SURELY_UNSET\"\n").unwrap_err();
        assert!(e.message.en.contains("not set"));
        let e = parse("[keys]\nprivate_key = \"env:SET_BUT_EMPTY\"\n").unwrap_err();
        assert!(e.message.en.contains("is empty"), "{e}");
        let k = format!("[keys]\nprivate_key = \"{}\"\n", "A".repeat(200));
        assert_eq!(
            parse(&k).unwrap().keys.private_key.unwrap().origin,
            KeyOrigin::Inline
        );
    }
}
