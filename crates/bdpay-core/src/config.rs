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
            let msg = e.message().trim().to_owned();
            let (l, c) = source.line_col(span.start);
            ToolError::at(
                &source,
                span,
                first_line(&msg),
                format!("{}:{l}:{c}: invalid config: {}", source.name, first_line(&msg)),
            )
            .help("see the config reference in the README, or run `bdpay-doctor init` for a commented starter file")
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
            let (l, c) = source.line_col(span.start);
            return Err(ToolError::at(
                source,
                ig.reason.as_ref().map_or(span, span_of),
                "this ignore has no reason",
                format!("{}:{l}:{c}: invalid config: an ignore needs a `reason`", source.name),
            )
            .help("say why the finding does not apply, e.g. reason = \"staging endpoint, not used by the platform\""));
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
    let (l, c) = source.line_col(span.start);
    let mut e = ToolError::at(
        source,
        span,
        "no such rule",
        format!(
            "{}:{l}:{c}: invalid config: unknown rule `{name}`",
            source.name
        ),
    );
    e = match crate::registry::nearest(name) {
        Some(n) => e.help(format!(
            "did you mean `{n}`? `bdpay-doctor rules` lists every rule"
        )),
        None => e.help("`bdpay-doctor rules` lists every rule"),
    };
    e
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
    let err = |label: &str, msg: String| {
        let (l, c) = source.line_col(span.start);
        ToolError::at(
            source,
            span,
            label,
            format!("{}:{l}:{c}: {msg}", source.name),
        )
    };
    if value.is_empty() {
        return Err(
            err("empty", "invalid config: the key entry is empty".into())
                .help("give a path, `env:VARIABLE`, or the key itself; or remove the entry"),
        );
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
                "empty variable",
                format!("the environment variable {var} is empty"),
            )),
            None => Err(err(
                "variable not set",
                format!("the environment variable {var} is not set"),
            )
            .help(format!(
                "export {var} before running, or point the entry at a key file"
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
        Ok((bytes, _)) if bytes.len() as u64 > MAX_KEY_FILE => Err(err(
            "not a key",
            format!(
                "{} is {} bytes: too large for a key file",
                path.display(),
                bytes.len()
            ),
        )),
        Ok((bytes, mode)) => Ok(Some(KeyMaterial {
            // Keys are ASCII; anything else is for the key rules to explain, not an error here.
            text: String::from_utf8_lossy(&bytes).into_owned(),
            origin: KeyOrigin::File(path),
            span,
            mode,
        })),
        Err(problem) => {
            let why = match problem {
                FileProblem::NotFound => "no such file".to_owned(),
                FileProblem::PermissionDenied => "permission denied".to_owned(),
                FileProblem::TooLarge(n) => format!("{n} bytes: too large for a key file"),
                FileProblem::Unavailable => "files cannot be read here".to_owned(),
                FileProblem::Other(e) => e,
            };
            Err(err(
                "cannot read this key file",
                format!("cannot read key file {}: {why}", path.display()),
            )
            .help("paths are relative to the directory of the config file"))
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
            e.message.starts_with("bdpay.toml:3:1: invalid config"),
            "{}",
            e.message
        );
        let e = parse("[test]\namounts = [\"1\"]\n").unwrap_err();
        assert!(e.message.starts_with("bdpay.toml:2:"), "{}", e.message);
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
        assert!(e.message.contains("reason"));
        let e = parse("[lint.severity]\ncallback-url-not-http = \"off\"\n").unwrap_err();
        assert!(e.help.unwrap().contains("callback-url-not-https"));
    }

    #[test]
    fn key_entries_report_missing_files_and_variables() {
        let e = parse("[keys]\nprivate_key = \"nope.pem\"\n").unwrap_err();
        assert!(e.message.contains("no such file"), "{}", e.message);
        let e = parse("[keys]\nprivate_key = \"env:BDPAY_DOCTOR_SURELY_UNSET\"\n").unwrap_err();
        assert!(e.message.contains("not set"));
        let e = parse("[keys]\nprivate_key = \"env:SET_BUT_EMPTY\"\n").unwrap_err();
        assert!(e.message.contains("is empty"), "{}", e.message);
        let k = format!("[keys]\nprivate_key = \"{}\"\n", "A".repeat(200));
        assert_eq!(
            parse(&k).unwrap().keys.private_key.unwrap().origin,
            KeyOrigin::Inline
        );
    }
}
