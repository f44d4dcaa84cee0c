//! Words for people. Every word the tool prints is a `Msg`: English and Chinese from the moment
//! it is built, so that no English fragment is ever glued into a Chinese sentence and the output
//! language can be chosen (or switched, in the browser page) after the work is done.
//!
//! Build one with `msg!("en {x}", "中文 {x}")`; both strings are format strings with the same
//! arguments captured. Text that is the same in both languages (a field name, a quoted value, a
//! canonical string) is `Msg::same`.

use serde::{Deserialize, Serialize};

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// Picks the value for this language.
    #[must_use]
    pub fn pick<T>(self, en: T, zh: T) -> T {
        match self {
            Self::En => en,
            Self::Zh => zh,
        }
    }

    /// `en` or `zh`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Zh => "zh",
        }
    }
}

/// A text in English and Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Msg {
    pub en: String,
    pub zh: String,
}

/// Builds a [`Msg`] from two format strings: `msg!("{n} fields", "{n} 个字段")`.
///
/// After a `;`, names bound to messages take each language's text in its string:
/// `msg!("{key} is too small", "{key}太短"; key = role.name())`.
#[macro_export]
macro_rules! msg {
    ($en:literal, $zh:literal; $($name:ident = $m:expr),+ $(,)?) => {{
        let en = { $(let $name = &($m).en;)+ ::std::format!($en) };
        let zh = { $(let $name = &($m).zh;)+ ::std::format!($zh) };
        $crate::message::Msg { en, zh }
    }};
    ($en:literal, $zh:literal $(,)?) => {
        $crate::message::Msg {
            en: ::std::format!($en),
            zh: ::std::format!($zh),
        }
    };
    ($en:literal, $zh:literal, $($arg:tt)+) => {
        $crate::message::Msg {
            en: ::std::format!($en, $($arg)+),
            zh: ::std::format!($zh, $($arg)+),
        }
    };
}

impl Msg {
    #[must_use]
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Self {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// Text that reads the same in both languages: an identifier, a value, a code.
    #[must_use]
    pub fn same(text: impl Into<String>) -> Self {
        let t = text.into();
        Self {
            en: t.clone(),
            zh: t,
        }
    }

    /// The text in `lang`.
    #[must_use]
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.en.is_empty() && self.zh.is_empty()
    }

    /// Appends another message, language by language.
    pub fn push(&mut self, other: &Self) {
        self.en.push_str(&other.en);
        self.zh.push_str(&other.zh);
    }

    /// Appends text that is the same in both languages.
    pub fn push_same(&mut self, text: &str) {
        self.en.push_str(text);
        self.zh.push_str(text);
    }

    /// Both texts changed by the same function (shortening, masking).
    #[must_use]
    pub fn map(self, f: impl Fn(String) -> String) -> Self {
        Self {
            en: f(self.en),
            zh: f(self.zh),
        }
    }

    /// Messages joined with a separator of each language.
    #[must_use]
    pub fn join(parts: &[Self], sep: &Self) -> Self {
        let mut out = Self::default();
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                out.push(sep);
            }
            out.push(p);
        }
        out
    }

    /// This message followed by `other`.
    #[must_use]
    pub fn then(mut self, other: &Self) -> Self {
        self.push(other);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_both_languages_with_the_same_arguments() {
        let n = 3;
        let field = "tpOrderId";
        let m = msg!("{n} fields, first {field}", "{n} 个字段，第一个 {field}");
        assert_eq!(m.get(Lang::En), "3 fields, first tpOrderId");
        assert_eq!(m.get(Lang::Zh), "3 个字段，第一个 tpOrderId");
        let joined = Msg::join(&[m.clone(), Msg::same("x")], &msg!("; ", "；"));
        assert_eq!(joined.zh, "3 个字段，第一个 tpOrderId；x");
        assert_eq!(msg!("{} and {}", "{}和{}", 1, 2).zh, "1和2");
        let key = msg!("the platform public key", "平台公钥");
        let m = msg!("{key} is {n} bits", "{key}只有 {n} 位"; key = key);
        assert_eq!(
            (m.en.as_str(), m.zh.as_str()),
            ("the platform public key is 3 bits", "平台公钥只有 3 位")
        );
    }
}
