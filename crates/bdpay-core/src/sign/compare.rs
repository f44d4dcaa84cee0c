//! A signed string against the canonical one, field by field: what differs, in which value,
//! and which rule names that kind of mistake. A value runs until `&name=` of a field the
//! payload knows, so values may hold `&` and `=` (a URL-encoded returnData, a JSON bizInfo).

use super::forensics;
use super::visible;
use crate::message::Msg;
use crate::msg;
use crate::source::Span;

/// One field of a string: its name, its value, and the span of the whole `name=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub value: String,
    pub span: Span,
}

/// How one string differs from the canonical one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// Fields signed that the canonical string does not have.
    Extra(Vec<String>),
    /// The URL's query parameters, which the platform never signs.
    FromQuery(Vec<String>),
    /// Fields the canonical string has and the signed one lacks.
    Missing(Vec<String>),
    /// Empty fields left out: they must stay in.
    EmptyDropped(Vec<String>),
    /// A value URL-encoded before signing (the raw value is the canonical one's).
    Encoded {
        name: String,
        theirs: String,
        raw: String,
    },
    /// A value with other whitespace around it.
    Whitespace {
        name: String,
        theirs: String,
        ours: String,
    },
    /// A value that differs otherwise.
    Altered {
        name: String,
        theirs: String,
        ours: String,
    },
    /// The same fields in another order.
    Order,
    /// Nothing above, but the bytes differ (encoding, invisible characters).
    Bytes,
}

impl Difference {
    /// The rule that names this kind of mistake.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Extra(_) | Self::FromQuery(_) | Self::Missing(_) => "SIG007",
            Self::EmptyDropped(_) => "SIG010",
            Self::Encoded { .. } => "SIG009",
            Self::Whitespace { .. } | Self::Altered { .. } => "SIG011",
            Self::Order => "SIG008",
            Self::Bytes => "SIG012",
        }
    }

    /// The difference in a short phrase, saying which side each value is from.
    #[must_use]
    pub fn describe(&self) -> Msg {
        match self {
            Self::FromQuery(n) => {
                let list = n.join(", ");
                msg!(
                    "query parameters of the URL included (they are never signed): {list}",
                    "包含了 URL 的查询参数（它们从不参与签名）：{list}"
                )
            }
            Self::Extra(n) => {
                let list = n.join(", ");
                msg!("extra: {list}", "多出的字段：{list}")
            }
            Self::EmptyDropped(n) => {
                let list = n.join(", ");
                msg!(
                    "empty values dropped (they must stay in): {list}",
                    "丢掉了空值字段（空值也必须参与签名）：{list}"
                )
            }
            Self::Missing(n) => {
                let list = n.join(", ");
                msg!("missing: {list}", "缺少的字段：{list}")
            }
            Self::Encoded { name, theirs, raw } => msg!(
                "{name} is URL-encoded ({theirs:?}); sign the raw value {raw:?}",
                "{name} 被 URL 编码了（{theirs:?}）；应对原始值 {raw:?} 签名"
            ),
            Self::Whitespace { name, theirs, ours } => {
                let (t, o) = (visible(theirs), visible(ours));
                msg!(
                    "{name} has different surrounding whitespace: {t:?} instead of {o:?}",
                    "{name} 两端的空白不同：是 {t:?}，应为 {o:?}"
                )
            }
            Self::Altered { name, theirs, ours } => {
                let (t, o) = (visible(theirs), visible(ours));
                msg!(
                    "{name}: {t:?} instead of {o:?}",
                    "{name}：是 {t:?}，应为 {o:?}"
                )
            }
            Self::Order => msg!(
                "order: the fields are not in byte order",
                "顺序：字段没有按字节序排列"
            ),
            Self::Bytes => msg!(
                "the strings differ in their bytes (encoding or invisible characters)",
                "两个字符串的字节不同（编码或不可见字符）"
            ),
        }
    }
}

/// Splits `name=value&name=value…` where a value runs until `&name=` of a `known` field (or,
/// with no known name ahead, to the end); a text that starts with no known name starts with
/// whatever precedes its first `=`.
#[must_use]
pub fn split_known(s: &str, known: &[&str]) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut start = 0;
    while start < s.len() {
        let rest = &s[start..];
        let (name, after) = match rest.find('=') {
            Some(eq) => (&rest[..eq], start + eq + 1),
            None => (rest, s.len()),
        };
        // The next `&known=` after the value's start ends the value.
        let end = known_boundary(s, after, known).unwrap_or(s.len());
        let value = s.get(after..end).unwrap_or("");
        parts.push(Part {
            name: name.to_owned(),
            value: value.to_owned(),
            span: Span::new(start, end),
        });
        start = end + 1;
    }
    parts
}

/// The offset of the next `&` followed by `name=` of a known field, from `from`.
fn known_boundary(s: &str, from: usize, known: &[&str]) -> Option<usize> {
    let mut at = from;
    while let Some(i) = s.get(at..)?.find('&') {
        let amp = at + i;
        let tail = &s[amp + 1..];
        if known
            .iter()
            .any(|k| tail.strip_prefix(k).is_some_and(|t| t.starts_with('=')))
        {
            return Some(amp);
        }
        at = amp + 1;
    }
    None
}

/// How `theirs` differs from `expected`, each difference with the span in `theirs` it is
/// about (the whole string for order and bytes). Both strings are split with the same names.
#[must_use]
pub fn compare(
    theirs: &str,
    expected: &str,
    known: &[&str],
    query: &[&str],
) -> Vec<(Difference, Span)> {
    let (a, b) = (split_known(theirs, known), split_known(expected, known));
    let whole = Span::new(0, theirs.len());
    let mut out = Vec::new();
    let only_in = |x: &[Part], y: &[Part]| -> Vec<String> {
        x.iter()
            .filter(|p| !y.iter().any(|q| q.name == p.name))
            .map(|p| p.name.clone())
            .collect()
    };
    let span_of = |names: &[String]| {
        a.iter()
            .find(|p| names.contains(&p.name))
            .map_or(whole, |p| p.span)
    };
    let (from_query, extra): (Vec<String>, Vec<String>) = only_in(&a, &b)
        .into_iter()
        .partition(|k| query.contains(&k.as_str()));
    if !from_query.is_empty() {
        let sp = span_of(&from_query);
        out.push((Difference::FromQuery(from_query), sp));
    }
    if !extra.is_empty() {
        let sp = span_of(&extra);
        out.push((Difference::Extra(extra), sp));
    }
    let (empty, missing): (Vec<String>, Vec<String>) = only_in(&b, &a)
        .into_iter()
        .partition(|k| b.iter().any(|q| &q.name == k && q.value.is_empty()));
    if !empty.is_empty() {
        out.push((Difference::EmptyDropped(empty), whole));
    }
    if !missing.is_empty() {
        out.push((Difference::Missing(missing), whole));
    }
    for p in &a {
        let Some(q) = b.iter().find(|q| q.name == p.name) else {
            continue;
        };
        if p.value == q.value {
            continue;
        }
        let (name, theirs, ours) = (p.name.clone(), p.value.clone(), q.value.clone());
        let d = if theirs == forensics::form_encode(&ours)
            || theirs == forensics::rfc3986_encode(&ours)
        {
            Difference::Encoded {
                name,
                theirs,
                raw: ours,
            }
        } else if theirs.trim() == ours.trim() {
            Difference::Whitespace { name, theirs, ours }
        } else {
            Difference::Altered { name, theirs, ours }
        };
        out.push((d, p.span));
    }
    let common = |x: &[Part], y: &[Part]| -> Vec<String> {
        x.iter()
            .filter(|p| y.iter().any(|q| q.name == p.name))
            .map(|p| p.name.clone())
            .collect()
    };
    if common(&a, &b) != common(&b, &a) {
        out.push((Difference::Order, whole));
    }
    if out.is_empty() && theirs != expected {
        out.push((Difference::Bytes, whole));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_may_hold_ampersands_and_equals_signs() {
        let known = ["a", "b", "c"];
        let p = split_known("a=1&b=x&y=z&c=", &known);
        assert_eq!(
            p.iter()
                .map(|p| (p.name.as_str(), p.value.as_str()))
                .collect::<Vec<_>>(),
            [("a", "1"), ("b", "x&y=z"), ("c", "")]
        );
        // The minimal case: the same string is the same, with no phantom field.
        assert!(compare("a=1&b=x%26y%3Dz&c=", "a=1&b=x%26y%3Dz&c=", &known, &[]).is_empty());
        // A value with `&` and `=` against its URL-encoded form is an encoding, not a field.
        let d = compare("a=1&b=x%26y%3Dz&c=", "a=1&b=x&y=z&c=", &known, &[]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(matches!(&d[0].0, Difference::Encoded { name, .. } if name == "b"));
        assert_eq!(d[0].0.code(), "SIG009");
        // The raw string with `&y=z` in b's value differs from the encoded canonical one.
        let d = compare("a=1&b=x&y=z&c=", "a=1&b=x%26y%3Dz&c=", &known, &[]);
        assert!(
            d.iter()
                .any(|(x, _)| matches!(x, Difference::Altered { name, .. } if name == "b")),
            "{d:?}"
        );
    }

    #[test]
    fn each_kind_of_difference_has_its_rule() {
        let known = [
            "appKey",
            "dealId",
            "tpOrderId",
            "totalAmount",
            "dealTitle",
            "shop",
        ];
        let exp = "appKey=M&dealId=1&totalAmount=100&tpOrderId=T";
        let codes = |t: &str| {
            compare(t, exp, &known, &["shop"])
                .into_iter()
                .map(|(d, _)| d.code())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes("appKey=M&dealId=1&dealTitle=x&totalAmount=100&tpOrderId=T"),
            ["SIG007"]
        );
        assert_eq!(
            codes("appKey=M&dealId=1&totalAmount=100&tpOrderId=T&shop=1"),
            ["SIG007"]
        );
        assert_eq!(codes("appKey=M&dealId=1&tpOrderId=T"), ["SIG007"]);
        assert_eq!(
            codes("dealId=1&appKey=M&totalAmount=100&tpOrderId=T"),
            ["SIG008"]
        );
        assert_eq!(
            codes("appKey=M&dealId=1&totalAmount=1.00&tpOrderId=T"),
            ["SIG011"]
        );
        assert_eq!(
            codes("appKey=M&dealId=1&totalAmount=100&tpOrderId=T "),
            ["SIG011"]
        );
    }
}
