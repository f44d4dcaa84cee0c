//! `bdpay.toml`: the merchant's settings, read with spans so that config errors and findings
//! about the config point at the exact entry. The `[keys]` entries are resolved in `keys`, the
//! `[lint]` table in `lint`.

mod keys;
mod lint;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::error::ToolError;
use crate::message::Msg;
use crate::msg;
use crate::source::{SourceFile, Span};
pub use keys::{
    FileProblem, KeyMaterial, KeyOrigin, KeyResolver, Keys, MAX_KEY_FILE, NoFiles, ServerLanguage,
};
use keys::{RawKeys, load_key};
pub use lint::{Ignore, Lint, glob};
use lint::{RawLint, resolve_lint};

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

/// bdpay.toml: the merchant's Baidu cashier (百度收银台) setup, for bdpay-doctor.
#[derive(Debug, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "bdpay.toml")]
struct Raw {
    #[serde(default)]
    merchant: Merchant,
    #[serde(default)]
    keys: RawKeys,
    #[schemars(with = "Option<Callbacks>")]
    callbacks: Option<Spanned<Callbacks>>,
    #[schemars(with = "Option<TestOrders>")]
    test: Option<Spanned<TestOrders>>,
    #[serde(default)]
    lint: RawLint,
}

/// `[merchant]`: the identifiers from 支付管理 › 服务详情.
#[derive(Debug, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Merchant {
    /// The payment service's appKey (服务详情), `MMM...` style.
    #[schemars(with = "Option<Id>")]
    pub app_key: Option<Spanned<Id>>,
    /// The 百度收银台凭证 (dealId) from 服务详情.
    #[schemars(with = "Option<Id>")]
    pub deal_id: Option<Spanned<Id>>,
    /// The smart program's appId (order queries).
    #[schemars(with = "Option<Id>")]
    pub app_id: Option<Spanned<Id>>,
    /// The smart program's own 32-character `AppKey`, so the two can be told apart.
    #[schemars(with = "Option<Id>")]
    pub smart_app_key: Option<Spanned<Id>>,
}

/// An identifier written as a string or a bare integer.
#[derive(Debug, Deserialize, Clone, PartialEq, Eq, schemars::JsonSchema)]
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

/// `[callbacks]`: the three URLs set in 支付管理 › 服务详情.
#[derive(Debug, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Callbacks {
    /// 支付回调地址 (pay notify).
    #[schemars(with = "Option<String>")]
    pub pay_notify: Option<Spanned<String>>,
    /// 退款审核地址 (refund audit).
    #[schemars(with = "Option<String>")]
    pub refund_audit: Option<Spanned<String>>,
    /// 退款回调地址 (refund notify).
    #[schemars(with = "Option<String>")]
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

/// `[test]`: the test orders planned before go-live.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestOrders {
    /// Amounts in fen of the orders the merchant will test with.
    #[schemars(with = "Vec<i64>")]
    pub amounts: Spanned<Vec<Spanned<i64>>>,
}

/// The JSON Schema of bdpay.toml (for Taplo / Even Better TOML: `#:schema` in the file).
#[must_use]
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Raw)).unwrap_or_default()
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
    // An amount written in yuan where fen are expected: say it in fen terms.
    if let Some(rest) = en.strip_prefix("invalid type: floating point `")
        && let Some((value, tail)) = rest.split_once('`')
        && tail.contains("expected i64")
        && let Ok(yuan) = value.parse::<f64>()
    {
        let fen = (yuan * 100.0).round();
        return msg!(
            "amounts are whole numbers of fen (分), not yuan: {value} looks like yuan; {value} yuan is {fen} fen",
            "金额以分为单位，必须是整数，不是元：{value} 像是按元填写的；{value} 元是 {fen} 分"
        );
    }
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::finding::Level;

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
        let e = parse("[test]\namounts = [0.1, 10]\n").unwrap_err();
        assert!(e.message.en.contains("0.1 yuan is 10 fen"), "{e}");
        assert!(e.message.zh.contains("0.1 元是 10 分"), "{e}");
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
