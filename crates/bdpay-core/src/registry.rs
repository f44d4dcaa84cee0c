//! Rule metadata as data: one `rules/<family>.toml` per family, compiled in and parsed once.
//! The rule logic lives in `src/rules/`; `tests/registry.rs` keeps the two in step.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::finding::Severity;

/// The families: code prefix and metadata text, in catalogue order.
pub const FAMILIES: &[(&str, &str, &str)] = &[
    ("ORD", "order", include_str!("../rules/order.toml")),
    ("BIZ", "bizinfo", include_str!("../rules/bizinfo.toml")),
    ("AMT", "amount", include_str!("../rules/amount.toml")),
    ("RSP", "response", include_str!("../rules/response.toml")),
    ("CBU", "callback", include_str!("../rules/callback.toml")),
    ("KEY", "keys", include_str!("../rules/keys.toml")),
    ("SIG", "signature", include_str!("../rules/signature.toml")),
    ("PRB", "probe", include_str!("../rules/probe.toml")),
    ("AUD", "audit", include_str!("../rules/audit.toml")),
];

/// Text in both languages.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    #[must_use]
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// Picks the text for this language.
    #[must_use]
    pub fn pick<T>(self, en: T, zh: T) -> T {
        match self {
            Self::En => en,
            Self::Zh => zh,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    /// The FAQ entry (or API doc section) the rule derives from.
    pub faq: String,
    /// The platform page the rule derives from.
    pub url: String,
    pub summary: Text,
    pub fix: Text,
    pub doc: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<RuleMeta>,
}

/// Every rule, in catalogue order.
///
/// # Panics
/// When a compiled-in rules file does not parse; `tests/registry.rs` makes that a test failure
/// rather than a user's.
#[must_use]
pub fn all() -> &'static [RuleMeta] {
    static RULES: OnceLock<Vec<RuleMeta>> = OnceLock::new();
    RULES.get_or_init(|| {
        FAMILIES
            .iter()
            .flat_map(|(_, family, text)| {
                toml::from_str::<RuleFile>(text)
                    .unwrap_or_else(|e| panic!("rules/{family}.toml: {e}"))
                    .rule
            })
            .collect()
    })
}

/// A rule by code (`ORD001`, any case) or name (`orderinfo-not-object`).
#[must_use]
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    let q = code_or_name.trim();
    all()
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(q) || r.name == q)
}

/// The closest code or name, for "did you mean".
#[must_use]
pub fn nearest(q: &str) -> Option<&'static str> {
    all()
        .iter()
        .flat_map(|r| [r.code.as_str(), r.name.as_str()])
        .map(|c| {
            (
                crate::util::edit_distance(&q.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
