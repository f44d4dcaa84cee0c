//! Rule metadata as data: one `rules/<family>.toml` per family, compiled in and parsed once.
//! The rule logic lives in `src/rules/`; `tests/registry.rs` keeps the two in step.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::finding::Severity;
use crate::message::Msg;

/// A rule family: one code prefix, one `rules/<name>.toml`, one `src/rules/<name>.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    Order,
    Bizinfo,
    Amount,
    Refund,
    Response,
    Callback,
    Config,
    Keys,
    Signature,
    Probe,
    Audit,
    Source,
}

impl Family {
    /// Every family, in catalogue order.
    pub const ALL: [Self; 12] = [
        Self::Order,
        Self::Bizinfo,
        Self::Amount,
        Self::Refund,
        Self::Response,
        Self::Callback,
        Self::Config,
        Self::Keys,
        Self::Signature,
        Self::Probe,
        Self::Audit,
        Self::Source,
    ];

    /// The code prefix: `ORD` in `ORD001`.
    #[must_use]
    pub const fn prefix(self) -> &'static str {
        match self {
            Self::Order => "ORD",
            Self::Bizinfo => "BIZ",
            Self::Amount => "AMT",
            Self::Refund => "REF",
            Self::Response => "RSP",
            Self::Callback => "CBU",
            Self::Config => "CFG",
            Self::Keys => "KEY",
            Self::Signature => "SIG",
            Self::Probe => "PRB",
            Self::Audit => "AUD",
            Self::Source => "SRC",
        }
    }

    /// The file stem of the family's metadata and code.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Order => "order",
            Self::Bizinfo => "bizinfo",
            Self::Amount => "amount",
            Self::Refund => "refund",
            Self::Response => "response",
            Self::Callback => "callback",
            Self::Config => "config",
            Self::Keys => "keys",
            Self::Signature => "signature",
            Self::Probe => "probe",
            Self::Audit => "audit",
            Self::Source => "source",
        }
    }

    /// The family's `rules/<name>.toml`, compiled in.
    #[must_use]
    pub const fn metadata(self) -> &'static str {
        match self {
            Self::Order => include_str!("../rules/order.toml"),
            Self::Bizinfo => include_str!("../rules/bizinfo.toml"),
            Self::Amount => include_str!("../rules/amount.toml"),
            Self::Refund => include_str!("../rules/refund.toml"),
            Self::Response => include_str!("../rules/response.toml"),
            Self::Callback => include_str!("../rules/callback.toml"),
            Self::Config => include_str!("../rules/config.toml"),
            Self::Keys => include_str!("../rules/keys.toml"),
            Self::Signature => include_str!("../rules/signature.toml"),
            Self::Probe => include_str!("../rules/probe.toml"),
            Self::Audit => include_str!("../rules/audit.toml"),
            Self::Source => include_str!("../rules/source.toml"),
        }
    }

    /// The family a code or a prefix belongs to: `SIG005` → `Signature`, `rsp` → `Response`.
    #[must_use]
    pub fn of(code: &str) -> Option<Self> {
        let p = code.get(..3)?;
        Self::ALL
            .into_iter()
            .find(|f| f.prefix().eq_ignore_ascii_case(p))
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
    pub summary: Msg,
    pub fix: Msg,
    pub doc: Msg,
    /// Phrasings in both languages that `explain` searches besides the code, name and summary:
    /// what a merchant or a library calls the mistake.
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl RuleMeta {
    /// The rule's family, from its code's prefix (`tests/registry.rs` checks every code has one).
    #[must_use]
    pub fn family(&self) -> Family {
        Family::of(&self.code).unwrap_or(Family::Order)
    }
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
        Family::ALL
            .iter()
            .flat_map(|f| {
                toml::from_str::<RuleFile>(f.metadata())
                    .unwrap_or_else(|e| panic!("rules/{}.toml: {e}", f.name()))
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
                edit_distance(&q.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars.
#[must_use]
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("dealID", "dealId"), 1);
        assert_eq!(edit_distance("deadId", "dealId"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
