//! One row of the expanded view: its name, and its value as devtools shows it (a scalar, an
//! object's description or preview, an accessor); rows that are no data are told apart.

use smol_str::SmolStr;

use super::Line;
use super::preview::{scan, string_end};
use crate::message::Msg;
use crate::msg;
use crate::payload::json::{self, Node, ParseError, Value};
use crate::source::Span;

/// One row of the expanded view.
pub(super) enum Row<'a> {
    /// `[[Prototype]]: Object`, `__proto__: Object`, `<prototype>: Object { … }`,
    /// `Object Prototype`: the last row of an object.
    Proto,
    /// A row that is no data: an internal slot, an accessor, a function, Safari's `No Properties`.
    Skip,
    Member {
        key: SmolStr,
        key_span: Span,
        cell: Cell<'a>,
    },
}

impl Row<'_> {
    /// Whether only devtools writes such a row: a prototype, `(...)`, a cut preview.
    pub(super) fn devtools_only(&self) -> bool {
        match self {
            Self::Proto => true,
            Self::Skip => false,
            Self::Member { cell, .. } => match cell {
                Cell::Getter(_) => true,
                Cell::Preview { text, .. } => scan(text).cut.is_some(),
                _ => false,
            },
        }
    }
}

/// A row's value.
pub(super) enum Cell<'a> {
    Scalar(Node),
    /// Nothing after the colon: Chrome's row for an object it shows expanded.
    Empty,
    /// `Object`, `Array(2)`: what devtools shows for a value whose rows follow, or are hidden.
    Described {
        span: Span,
        text: &'a str,
        array: bool,
    },
    /// `{a: 1, …}`, `(2) ['a', 'b']`, `Object { a: 1 }`, `Array [ 1 ]`, `Foo {a: 1}`: `span` is
    /// the whole value, `body` and `text` the part from the opening brace.
    Preview {
        span: Span,
        body: Span,
        text: &'a str,
        array: bool,
    },
    /// `(...)`: an accessor devtools has not called.
    Getter(Span),
    Function,
}

impl Cell<'_> {
    pub(super) const fn start(&self) -> Option<usize> {
        match self {
            Self::Described { span, .. } | Self::Preview { span, .. } => Some(span.start),
            _ => None,
        }
    }

    pub(super) const fn is_array(&self) -> bool {
        matches!(
            self,
            Self::Described { array: true, .. } | Self::Preview { array: true, .. }
        )
    }

    pub(super) const fn can_open(&self) -> bool {
        matches!(
            self,
            Self::Empty | Self::Described { .. } | Self::Preview { .. }
        )
    }
}

pub(super) fn row<'a>(line: &Line<'a>) -> Result<Row<'a>, ParseError> {
    let (t, at) = (line.text, line.at);
    let not_a_row = || ParseError {
        span: line.span(),
        expected: msg!("a `name: value` row", "`名称: 值` 形式的一行"),
        found: shown(t),
    };
    if t == "No Properties" {
        return Ok(Row::Skip);
    }
    if t.strip_suffix(" Prototype").is_some_and(is_name) {
        return Ok(Row::Proto);
    }
    // Internal slots (`[[Prototype]]`, `[[Target]]`) and Firefox's own rows (`<prototype>`,
    // `<get appKey()>`).
    for (open, close, proto) in [("[[", "]]:", "Prototype"), ("<", ">:", "prototype")] {
        if let Some(inner) = t.strip_prefix(open) {
            let Some(end) = inner.find(close) else {
                return Err(not_a_row());
            };
            let value = inner[end + close.len()..].trim();
            return Ok(if &inner[..end] == proto && value != "(...)" {
                Row::Proto
            } else {
                Row::Skip
            });
        }
    }
    // Accessors, as Vue's reactive objects show every field: `get appKey: ƒ reactiveGetter()`.
    if let Some(rest) = t.strip_prefix("get ").or_else(|| t.strip_prefix("set "))
        && let Some((name, v)) = rest.split_once(':')
        && is_name(name)
        && is_function(v.trim())
    {
        return Ok(Row::Skip);
    }
    let quoted = t.starts_with(['"', '\'']);
    let (key, key_span, colon) = if quoted {
        let end = string_end(t, 0).ok_or_else(not_a_row)?;
        let Ok(Value::Str(key)) = json::parse(&t[..end]).map(|p| p.root.value) else {
            return Err(not_a_row());
        };
        (key, Span::new(at + 1, at + end - 1), end)
    } else {
        let n = t.find(|c| !is_name_char(c)).unwrap_or(t.len());
        if n == 0 {
            return Err(not_a_row());
        }
        (SmolStr::new(&t[..n]), Span::new(at, at + n), n)
    };
    let Some(after) = t[colon..].strip_prefix(':') else {
        return Err(not_a_row());
    };
    let v = after.trim_start();
    let v_at = at + t.len() - v.len();
    if !quoted && key == "__proto__" {
        return Ok(if v == "(...)" { Row::Skip } else { Row::Proto });
    }
    match cell(v, v_at) {
        Some(Cell::Function) => Ok(Row::Skip),
        Some(cell) => Ok(Row::Member {
            key,
            key_span,
            cell,
        }),
        None => Err(ParseError {
            span: Span::new(v_at, v_at + v.len()),
            expected: msg!(
                "a value as devtools shows it: a quoted string, a number, `true`, `false`, `null` or an object",
                "开发者工具显示的值：带引号的字符串、数字、`true`、`false`、`null` 或对象"
            ),
            found: shown(v),
        }),
    }
}

pub(super) fn cell(v: &str, at: usize) -> Option<Cell<'_>> {
    let span = Span::new(at, at + v.len());
    let scalar = |value| Some(Cell::Scalar(Node { span, value }));
    match v {
        "" => return Some(Cell::Empty),
        "true" => return scalar(Value::Bool(true)),
        "false" => return scalar(Value::Bool(false)),
        "null" | "undefined" => return scalar(Value::Null),
        "NaN" | "Infinity" | "-Infinity" => return scalar(Value::Num(v.into())),
        "(...)" => return Some(Cell::Getter(span)),
        "Object" => {
            return Some(Cell::Described {
                span,
                text: v,
                array: false,
            });
        }
        _ => {}
    }
    if v.starts_with(['"', '\'', '`']) {
        if string_end(v, 0)? != v.len() {
            return None;
        }
        let Value::Str(s) = json::parse(v).ok()?.root.value else {
            return None;
        };
        return scalar(Value::Str(s));
    }
    if json::is_json_number(v) {
        return scalar(Value::Num(v.into()));
    }
    // A BigInt: `10n`.
    if let Some(n) = v.strip_suffix('n')
        && is_digits(n.strip_prefix('-').unwrap_or(n))
    {
        return scalar(Value::Num(n.into()));
    }
    if is_function(v) {
        return Some(Cell::Function);
    }
    if v.strip_prefix("Array(")
        .and_then(|r| r.strip_suffix(')'))
        .is_some_and(is_digits)
    {
        return Some(Cell::Described {
            span,
            text: v,
            array: true,
        });
    }
    let open = preview_start(v)?;
    Some(Cell::Preview {
        span,
        body: Span::new(at + open, at + v.len()),
        text: &v[open..],
        array: v.as_bytes()[open] == b'[',
    })
}

/// Where the braces of a preview start: `{…}`, `[…]`, `(2) […]`, `Object { … }`, `Array [ … ]`,
/// `Foo {…}` (an instance of a class).
fn preview_start(v: &str) -> Option<usize> {
    let b = v.as_bytes();
    let open = match b.first()? {
        b'{' | b'[' => 0,
        b'(' => {
            let close = v.find(") [")?;
            if !is_digits(&v[1..close]) {
                return None;
            }
            close + 2
        }
        c if c.is_ascii_uppercase() => {
            let n = v.find(' ')?;
            if !is_name(&v[..n]) {
                return None;
            }
            n + 1
        }
        _ => return None,
    };
    matches!(b.get(open), Some(b'{' | b'[')).then_some(open)
}

/// `ƒ success(res)` (Chrome), `function success(res)` (Firefox), `async ƒ`, `class Foo`,
/// `(res) => {…}`.
fn is_function(v: &str) -> bool {
    let v = v.strip_prefix("async ").unwrap_or(v);
    v.starts_with('ƒ')
        || (v.starts_with("function") && matches!(v.as_bytes().get(8), Some(b' ' | b'(' | b'*')))
        || v.starts_with("class ")
        || v.find(" =>").is_some_and(|i| {
            let params = &v[..i];
            is_name(params) || (params.starts_with('(') && params.ends_with(')'))
        })
}

pub(super) fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$' || (!c.is_ascii() && c.is_alphanumeric())
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_name_char)
}

pub(super) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// What was found, for a message: the start of `s`, quoted.
pub(super) fn shown(s: &str) -> Msg {
    let short: String = s.chars().take(24).collect();
    let more = if short.len() < s.len() { "…" } else { "" };
    Msg::same(format!("`{short}{more}`"))
}
