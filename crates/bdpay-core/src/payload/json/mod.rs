//! A span-keeping reader for JSON and for the JavaScript object literals people copy from
//! devtools or code (single quotes, unquoted keys, trailing commas, comments). It records the
//! first thing that is not JSON, so rules can say "this is a JS literal, not JSON" and point at it.
//!
//! This module holds the tree the reader builds; `parser` reads the text.

mod parser;

use smol_str::SmolStr;

use crate::message::Msg;
use crate::msg;
use crate::source::Span;
pub use parser::{decode_with_map, is_json_number, parse};

/// Nesting deeper than this is refused rather than risking the stack: a payload nests a few
/// levels, and a debug build or a WebAssembly stack spends kilobytes a level.
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The whole value token, quotes and brackets included.
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Object(Vec<Member>),
    Array(Vec<Node>),
    /// A decoded string.
    Str(SmolStr),
    /// A number, as written.
    Num(SmolStr),
    Bool(bool),
    Null,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: SmolStr,
    pub key_span: Span,
    pub value: Node,
}

/// The first place where the text stops being JSON, and what was found there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotJson {
    pub span: Span,
    pub what: NotJsonKind,
}

/// JavaScript that JSON does not allow, the first of which the answer and bizInfo rules name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotJsonKind {
    TrailingSemicolon,
    ByteOrderMark,
    Comment,
    Undefined,
    JsNumber,
    UnquotedKey,
    SingleQuoted,
    TemplateString,
    NonJsonNumber,
    ControlCharacter,
    NonJsonEscape,
    TrailingComma,
    CodeAround,
}

impl NotJsonKind {
    /// What it is, for people.
    #[must_use]
    pub fn describe(self) -> Msg {
        match self {
            Self::TrailingSemicolon => msg!("a trailing semicolon", "末尾的分号"),
            Self::ByteOrderMark => msg!("a byte order mark", "字节序标记（BOM）"),
            Self::Comment => msg!("a comment", "注释"),
            Self::Undefined => msg!("`undefined`", "`undefined`"),
            Self::JsNumber => msg!("a JavaScript number", "JavaScript 特有的数值"),
            Self::UnquotedKey => msg!("an unquoted key", "没有引号的键"),
            Self::SingleQuoted => msg!("a single-quoted string", "单引号字符串"),
            Self::TemplateString => msg!("a template string", "模板字符串（反引号）"),
            Self::NonJsonNumber => msg!("a number JSON does not allow", "JSON 不允许的数字写法"),
            Self::ControlCharacter => msg!(
                "a raw control character in a string",
                "字符串中未转义的控制字符"
            ),
            Self::TrailingComma => msg!("a trailing comma", "末尾多余的逗号"),
            Self::NonJsonEscape => msg!("an escape JSON does not allow", "JSON 不允许的转义"),
            Self::CodeAround => msg!("code around the object", "对象外面的代码"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Where reading stopped.
    pub span: Span,
    pub expected: Msg,
    pub found: Msg,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "expected {}, found {}", self.expected.en, self.found.en)
    }
}

#[derive(Debug)]
pub struct Parsed {
    pub root: Node,
    pub not_json: Option<NotJson>,
}

impl Node {
    /// The member named `key`; the last one when a key is repeated, as JavaScript,
    /// PHP and most JSON libraries take it.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Member> {
        match &self.value {
            Value::Object(m) => m.iter().rev().find(|m| m.key == key),
            _ => None,
        }
    }

    #[must_use]
    pub fn members(&self) -> &[Member] {
        match &self.value {
            Value::Object(m) => m,
            _ => &[],
        }
    }

    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    #[must_use]
    pub const fn is_object(&self) -> bool {
        matches!(self.value, Value::Object(_))
    }

    /// The value as the text a platform would compare: strings decoded, numbers as written.
    #[must_use]
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) | Value::Num(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the value's type, for messages.
    #[must_use]
    pub const fn type_name(&self) -> &'static str {
        match self.value {
            Value::Object(_) => "an object",
            Value::Array(_) => "an array",
            Value::Str(_) => "a string",
            Value::Num(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Null => "null",
        }
    }

    /// The value's type in both languages.
    #[must_use]
    pub fn type_msg(&self) -> Msg {
        let zh = match self.value {
            Value::Object(_) => "对象",
            Value::Array(_) => "数组",
            Value::Str(_) => "字符串",
            Value::Num(_) => "数字",
            Value::Bool(_) => "布尔值",
            Value::Null => "空值 null",
        };
        Msg::new(self.type_name(), zh)
    }

    /// Shifts every span by `by` bytes.
    pub fn shift(&mut self, by: usize) {
        self.span = self.span.offset(by);
        match &mut self.value {
            Value::Object(members) => {
                for m in members {
                    m.key_span = m.key_span.offset(by);
                    m.value.shift(by);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|n| n.shift(by)),
            _ => {}
        }
    }

    /// Maps every span through `f`.
    pub fn remap(&mut self, f: &impl Fn(Span) -> Span) {
        self.span = f(self.span);
        match &mut self.value {
            Value::Object(members) => {
                for m in members {
                    m.key_span = f(m.key_span);
                    m.value.remap(f);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|n| n.remap(f)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_json_keeps_spans() {
        let t = r#"{"a": "x\"y", "b": [1, 2.5e3]}"#;
        let p = parse(t).unwrap();
        assert!(p.not_json.is_none());
        let a = p.root.get("a").unwrap();
        assert_eq!(&t[a.key_span.start..a.key_span.end], "\"a\"");
        assert_eq!(&t[a.value.span.start..a.value.span.end], r#""x\"y""#);
        assert_eq!(a.value.as_str(), Some("x\"y"));
    }

    #[test]
    fn js_literal_is_read_and_flagged() {
        let t = "{dealId: '470193086', tpOrderId: \"1\", // c\n}";
        let p = parse(t).unwrap();
        let nj = p.not_json.unwrap();
        assert_eq!(nj.what, NotJsonKind::UnquotedKey);
        assert_eq!(
            p.root.get("dealId").unwrap().value.as_str(),
            Some("470193086")
        );
    }

    #[test]
    fn errors_say_where_reading_stopped() {
        let e = parse(r#"{"a": 1 "b": 2}"#).unwrap_err();
        assert_eq!(e.expected.en, "`,` or `}`");
        assert_eq!(e.span.start, 8);
        let e = parse(r#"{"a": "open"#).unwrap_err();
        assert!(e.expected.en.contains("closing quote"));
        let e = parse("{a: someVar}").unwrap_err();
        assert!(e.found.en.contains("someVar"));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let t = "[".repeat(10_000);
        assert!(parse(&t).unwrap_err().expected.en.contains("levels"));
        let ok = format!("{}{}", "[".repeat(60), "]".repeat(60));
        assert!(parse(&ok).is_ok());
        // Objects cost more stack a level than arrays: deep ones are refused too.
        let t = "{\"a\": ".repeat(2000);
        assert!(parse(&t).unwrap_err().expected.en.contains("levels"));
    }

    #[test]
    fn decode_map_points_back_into_the_literal() {
        let raw = r#""{\"tpData\":{\"a\":\"中\"}}""#;
        let (s, map) = decode_with_map(raw).unwrap();
        assert_eq!(s, r#"{"tpData":{"a":"中"}}"#);
        assert_eq!(map.len(), s.len() + 1);
        let i = s.find("tpData").unwrap();
        assert_eq!(&raw[map[i]..map[i] + 6], "tpData");
    }

    #[test]
    fn json_number_grammar() {
        for ok in ["0", "-1", "1.5", "1e3", "28.999999999999996", "-0.0E+1"] {
            assert!(is_json_number(ok), "{ok}");
        }
        for bad in ["01", "1.", ".5", "+1", "0x10", "1e", "--1", ""] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }
}
