//! What merchants copy out of the browser devtools' console: the expanded view of an object,
//! read into the same span-keeping tree as JSON, and the collapsed preview, recognised so that
//! it can be refused where devtools cut it.
//!
//! The expanded view is one `name: value` row per field, under an optional preview line; an
//! expanded object's rows follow its own row, and a prototype row ends each object:
//!
//! ```text
//! {appKey: 'MMMabc', dealId: '470193086', …}
//! appKey: "MMMabc"
//! bizInfo: "{\"tpData\":{\"appKey\":\"MMMabc\"}}"
//! dealId: "470193086"
//! [[Prototype]]: Object
//! ```
//!
//! - Chrome (and the Chromium-based Baidu and WeChat devtools) quotes strings as JSON, leaves an
//!   expanded object's own row empty after the colon (`bizInfo:`), shows arrays as `Array(2)`, and
//!   writes `[[Prototype]]: Object` (`__proto__: Object` in older versions). Its previews quote
//!   strings with `'` and show nested objects as `{…}`.
//! - Firefox writes `Object { appKey: "MMMabc", … }` and `<prototype>: Object { … }`.
//! - Safari writes `Object` or `{appKey: "MMMabc"}` and `Object Prototype`.
//!
//! A copy keeps the indentation or loses it. With indentation, it says which rows belong to which
//! object. Without it, an object's rows follow its row and its prototype row closes it.
//! The first line of the pasted text has lost its indentation to trimming; it is taken to be as
//! indented as the least indented row.

use smol_str::SmolStr;

use crate::message::Msg;
use crate::msg;
use crate::payload::json::{self, Member, Node, ParseError, Value};
use crate::source::Span;

/// The expanded view: `None` when the text is not one; `Some(Err)` when it is one but cannot be read.
///
/// It is one when it has a row after its first line and every row reads as a devtools row
/// (`name: value` with a value as devtools shows it: quoted strings, numbers, `true`, `null`, an
/// object). Rows that devtools adds but that are no data (prototypes, internal slots such as
/// `[[Target]]`, accessors, functions, an array's `length`) are left out. When the text also has
/// a sign that only devtools gives (a preview line, a prototype row, a `▶` marker, `(...)`, a
/// cut `{…}`), a row that cannot be read makes it `Some(Err)` rather than `None`.
#[must_use]
pub fn read(text: &str, base: usize) -> Option<Result<Node, ParseError>> {
    let lines = lines(text);
    if lines.len() < 2 {
        return None;
    }
    let head = match row(&lines[0]) {
        Ok(_) => None,
        Err(_) => head(lines[0].text, lines[0].at),
    };
    let body = &lines[usize::from(head.is_some())..];
    let rows: Vec<Result<Row, ParseError>> = body.iter().map(row).collect();
    // A preview line followed by something else (JSON lines, a log) is no expanded view.
    if (head.is_some() && !matches!(rows.first(), Some(Ok(_))))
        || !rows.iter().any(|r| matches!(r, Ok(Row::Member { .. })))
    {
        return None;
    }
    let devtools_only = head.as_ref().is_some_and(|h| h.braces)
        || lines.iter().any(|l| l.marker.is_some())
        || rows.iter().flatten().any(Row::devtools_only);
    let refuse = |e: ParseError| {
        devtools_only.then(|| {
            Err(ParseError {
                span: e.span.offset(base),
                ..e
            })
        })
    };
    let rows = match rows.into_iter().collect::<Result<Vec<_>, _>>() {
        Ok(rows) => rows,
        Err(e) => return refuse(e),
    };
    let first_trimmed = head.is_none();
    let array = head.is_some_and(|h| h.array);
    let attempt = |inline| {
        let cols = columns(body, first_trimmed, inline);
        build(body, &rows, cols, Frame::new(array, 0, None))
    };
    // Markers stand in the indentation of their row (in a gutter) or before its name; the
    // first reading that fits is taken.
    let mut read = attempt(false);
    if read.is_err() && body.iter().any(|l| l.marker.is_some()) {
        read = attempt(true).or(read);
    }
    match read {
        Ok(mut node) => {
            node.span = Span::new(0, text.len());
            node.shift(base);
            Some(Ok(node))
        }
        Err(e) => refuse(e),
    }
}

/// The collapsed preview (`{appKey: 'MMMabc', dealId: '470193086', …}` or `Object`, with `…`
/// where devtools cut it): `Some(span of the first …)` when the text is a preview that was cut,
/// so the caller can refuse it with a message that says how to copy the whole object.
///
/// A cut is a `…` outside quotes (a field left out, a nested `{…}`), in a string that the text
/// ends inside (`'470…`), or in a string of exactly 50 or 100 characters (UTF-16 units), the
/// lengths Firefox and Chrome shorten long strings to. A bare `Object` or `Array(2)` is all cut:
/// its span is the word. The preview may follow the console's source link (`VM12:1`) and a
/// label (`orderInfo`). A preview without a cut is JSON's or a JS literal's: `None`.
#[must_use]
pub fn cut_preview(text: &str, base: usize) -> Option<Span> {
    if text.contains('\n') {
        return None;
    }
    let line = lines(text).into_iter().next()?;
    let head = head(line.text, line.at)?;
    if !head.braces {
        return (!head.labelled).then(|| head.value.offset(base));
    }
    let cut = scan(&text[head.body.start..head.body.end]).cut?;
    let at = base + head.body.start + cut;
    Some(Span::new(at, at + ELLIPSIS.len_utf8()))
}

const ELLIPSIS: char = '…';

/// The lengths in UTF-16 units of a string that devtools shortened with a `…`: Firefox's
/// default crop, and V8's for strings in previews (50 + `…` + 49, or 99 + `…`).
const CUT_LENGTHS: [usize; 2] = [50, 100];

/// The triangles in front of expandable rows, when a copy keeps them.
const MARKERS: [char; 7] = ['▶', '▼', '►', '▸', '▾', '▷', '▽'];

/// One non-blank line of the paste.
struct Line<'a> {
    /// The line without its indentation, markers and trailing white space.
    text: &'a str,
    /// Where `text` starts in the paste.
    at: usize,
    /// Characters before `text`, markers included.
    col: usize,
    /// Characters before the first marker, when there is one.
    marker: Option<usize>,
}

impl Line<'_> {
    fn span(&self) -> Span {
        Span::new(self.at, self.at + self.text.len())
    }
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for raw in text.split('\n') {
        let line_start = start;
        start += raw.len() + 1;
        let (mut col, mut marker) = (0, None);
        let mut rest = raw;
        while let Some(c) = rest.chars().next() {
            if MARKERS.contains(&c) {
                marker.get_or_insert(col);
            } else if !c.is_whitespace() {
                break;
            }
            col += 1;
            rest = &rest[c.len_utf8()..];
        }
        let content = rest.trim_end();
        if !content.is_empty() {
            out.push(Line {
                text: content,
                at: line_start + raw.len() - rest.len(),
                col,
                marker,
            });
        }
    }
    out
}

/// The preview line above the rows (or the whole collapsed preview).
struct Head {
    array: bool,
    /// A preview in braces, rather than a bare `Object` or `Array(2)`.
    braces: bool,
    /// Whether a label (`orderInfo {…}`, a class name) comes first.
    labelled: bool,
    /// The preview, `Object {` or `(2) ` included.
    value: Span,
    /// The preview from its opening brace.
    body: Span,
}

/// Reads a preview line: the console's source link (`VM12:1`, `index.js:5`), at most one label,
/// then a preview that is whole (its braces close at its end) or cut.
fn head(t: &str, at: usize) -> Option<Head> {
    let mut rest = t;
    let mut labelled = false;
    for _ in 0..4 {
        let off = t.len() - rest.len();
        match cell(rest, at + off) {
            Some(Cell::Described { span, array, .. }) => {
                return Some(Head {
                    array,
                    braces: false,
                    labelled,
                    value: span,
                    body: span,
                });
            }
            Some(Cell::Preview {
                span,
                body,
                text,
                array,
            }) => {
                let s = scan(text);
                return (s.cut.is_some() || s.balanced).then_some(Head {
                    array,
                    braces: true,
                    labelled,
                    value: span,
                    body,
                });
            }
            _ => {}
        }
        let n = rest.find(char::is_whitespace)?;
        let token = &rest[..n];
        if !token.chars().all(|c| MARKERS.contains(&c)) && !is_source_link(token) {
            if labelled {
                return None;
            }
            labelled = true;
        }
        rest = rest[n..].trim_start();
    }
    None
}

/// `VM123:1`, `index.js:5`, `pay.js:3:14`, WeChat's `[sm]:12`: a name with letters, then a line.
fn is_source_link(token: &str) -> bool {
    token == "[sm]"
        || token.rsplit_once(':').is_some_and(|(name, line)| {
            is_digits(line) && name.bytes().any(|b| b.is_ascii_alphabetic())
        })
}

/// One row of the expanded view.
enum Row<'a> {
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
    fn devtools_only(&self) -> bool {
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
enum Cell<'a> {
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
    const fn start(&self) -> Option<usize> {
        match self {
            Self::Described { span, .. } | Self::Preview { span, .. } => Some(span.start),
            _ => None,
        }
    }

    const fn is_array(&self) -> bool {
        matches!(
            self,
            Self::Described { array: true, .. } | Self::Preview { array: true, .. }
        )
    }

    const fn can_open(&self) -> bool {
        matches!(
            self,
            Self::Empty | Self::Described { .. } | Self::Preview { .. }
        )
    }
}

fn row<'a>(line: &Line<'a>) -> Result<Row<'a>, ParseError> {
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

fn cell(v: &str, at: usize) -> Option<Cell<'_>> {
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

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$' || (!c.is_ascii() && c.is_alphanumeric())
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_name_char)
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// What was found, for a message: the start of `s`, quoted.
fn shown(s: &str) -> Msg {
    let short: String = s.chars().take(24).collect();
    let more = if short.len() < s.len() { "…" } else { "" };
    Msg::same(format!("`{short}{more}`"))
}

/// Each row's column: that of its name, or with `inline`, that of its marker. All 0 when the
/// copy lost its indentation (the rows other than the trimmed first line, markers aside, share
/// one column).
fn columns(body: &[Line], first_trimmed: bool, inline: bool) -> Vec<usize> {
    let mut plain = body
        .iter()
        .skip(usize::from(first_trimmed))
        .filter(|l| l.marker.is_none())
        .map(|l| l.col);
    let indented = plain.next().is_some_and(|c| plain.any(|d| d != c));
    if !indented {
        return vec![0; body.len()];
    }
    let mut cols: Vec<usize> = body
        .iter()
        .map(|l| l.marker.filter(|_| inline).unwrap_or(l.col))
        .collect();
    if first_trimmed {
        cols[0] = cols[1..].iter().copied().min().unwrap_or(0);
    }
    cols
}

/// An object (or array) whose rows are being read.
struct Frame {
    array: bool,
    /// The column of its rows, once the first is seen.
    col: Option<usize>,
    start: usize,
    end: usize,
    members: Vec<Member>,
    items: Vec<Node>,
    /// The row it is the value of; `None` for the root.
    owner: Option<(SmolStr, Span)>,
}

impl Frame {
    const fn new(array: bool, start: usize, owner: Option<(SmolStr, Span)>) -> Self {
        Self {
            array,
            col: None,
            start,
            end: start,
            members: Vec::new(),
            items: Vec::new(),
            owner,
        }
    }

    fn add(&mut self, key: SmolStr, key_span: Span, value: Node) {
        if !self.array {
            self.members.push(Member {
                key,
                key_span,
                value,
            });
        } else if is_digits(&key) {
            // An array's other rows (`length`) are not items.
            self.items.push(value);
        }
    }

    fn into_node(self) -> (Option<(SmolStr, Span)>, Node) {
        let value = if self.array {
            Value::Array(self.items)
        } else {
            Value::Object(self.members)
        };
        let span = Span::new(self.start, self.end);
        (self.owner, Node { span, value })
    }
}

/// Ends the innermost open object and adds it to the one around it.
fn close(open: &mut Vec<Frame>, root: &mut Frame) {
    let Some(frame) = open.pop() else {
        return;
    };
    let parent = open.last_mut().unwrap_or(root);
    parent.end = parent.end.max(frame.end);
    if let (Some((key, key_span)), node) = frame.into_node() {
        parent.add(key, key_span, node);
    }
}

fn build(
    lines: &[Line],
    rows: &[Row],
    cols: Vec<usize>,
    mut root: Frame,
) -> Result<Node, ParseError> {
    let indented = cols
        .first()
        .is_some_and(|&c0| cols.iter().any(|&c| c != c0));
    let mut open: Vec<Frame> = Vec::new();
    // Indented: the rows deeper than this belong to a row that is left out.
    let mut skip_deeper: Option<usize> = None;
    // Not indented: the root's prototype row has been read.
    let mut ended = false;
    let mut rows = lines.iter().zip(rows).zip(cols).peekable();
    while let Some(((line, row), col)) = rows.next() {
        let end = line.at + line.text.len();
        if indented && skip_deeper.is_some_and(|k| col > k) {
            open.last_mut().unwrap_or(&mut root).end = end;
            continue;
        }
        skip_deeper = None;
        if ended {
            // The root's prototype, expanded: functions and accessors.
            if matches!(row, Row::Proto | Row::Skip) {
                continue;
            }
            return Err(ParseError {
                span: line.span(),
                expected: msg!(
                    "the end of the object after its prototype row",
                    "原型行之后对象应已结束"
                ),
                found: shown(line.text),
            });
        }
        if indented {
            while open.last().is_some_and(|f| f.col.is_some_and(|c| col < c)) {
                close(&mut open, &mut root);
            }
            let top = open.last_mut().unwrap_or(&mut root);
            match top.col {
                None => top.col = Some(col),
                Some(c) if c != col => {
                    return Err(ParseError {
                        span: line.span(),
                        expected: msg!(
                            "a row indented like the rows before it",
                            "与前面各行缩进一致的一行"
                        ),
                        found: if col > c {
                            msg!("a row indented deeper", "缩进更深的一行")
                        } else {
                            msg!("a row indented less", "缩进更浅的一行")
                        },
                    });
                }
                Some(_) => {}
            }
        }
        let top = open.last_mut().unwrap_or(&mut root);
        top.end = end;
        match row {
            Row::Proto if !indented => {
                if open.is_empty() {
                    ended = true;
                } else {
                    close(&mut open, &mut root);
                }
            }
            Row::Proto | Row::Skip => skip_deeper = Some(col),
            Row::Member {
                key,
                key_span,
                cell,
            } => {
                let opens = cell.can_open()
                    && rows.peek().is_some_and(|((_, next), next_col)| {
                        if indented {
                            *next_col > col
                        } else {
                            flat_opens(cell, next)
                        }
                    });
                if opens {
                    let start = cell
                        .start()
                        .or_else(|| rows.peek().map(|((l, _), _)| l.at))
                        .unwrap_or(end);
                    let owner = Some((key.clone(), *key_span));
                    open.push(Frame::new(cell.is_array(), start, owner));
                } else {
                    let node = settle(key, *key_span, cell)?;
                    top.add(key.clone(), *key_span, node);
                }
            }
        }
    }
    while !open.is_empty() {
        close(&mut open, &mut root);
    }
    Ok(root.into_node().1)
}

/// Without indentation, whether the rows after `cell` are its own: always after an empty row or
/// `Object`; after `Array(2)`, when an index or `length` follows; after a preview, when the next
/// row is a field the preview shows.
fn flat_opens(cell: &Cell, next: &Row) -> bool {
    match (cell, next) {
        (Cell::Described { array: true, .. }, Row::Member { key, .. }) => {
            is_digits(key) || key == "length"
        }
        (Cell::Empty | Cell::Described { array: false, .. }, _)
        | (Cell::Described { array: true, .. }, Row::Proto) => true,
        (Cell::Preview { array: true, .. }, Row::Member { key, .. }) => key == "0",
        (Cell::Preview { text, .. }, Row::Member { key, .. }) => {
            scan(text).keys.iter().any(|&(a, b)| text[a..b] == *key)
        }
        _ => false,
    }
}

/// The value of a row whose own rows do not follow it.
fn settle(key: &str, key_span: Span, cell: &Cell) -> Result<Node, ParseError> {
    let unexpanded = || {
        msg!(
            "the rows of `{key}` under it (expand it in devtools, then copy again)",
            "`{key}` 下面的各行（请先在开发者工具中展开它，再复制）"
        )
    };
    match cell {
        Cell::Scalar(node) => Ok(node.clone()),
        Cell::Getter(span) => Err(ParseError {
            span: *span,
            expected: msg!(
                "the value of `{key}` (click `(...)` in devtools to show it, then copy again)",
                "`{key}` 的值（请先在开发者工具中点击 `(...)` 显示它，再复制）"
            ),
            found: Msg::same("`(...)`"),
        }),
        Cell::Empty | Cell::Function => Err(ParseError {
            span: key_span,
            expected: unexpanded(),
            found: msg!("no rows", "没有内容"),
        }),
        Cell::Described { span, text, .. } => Err(ParseError {
            span: *span,
            expected: unexpanded(),
            found: shown(text),
        }),
        Cell::Preview {
            span, body, text, ..
        } => {
            if let Some(cut) = scan(text).cut {
                let at = body.start + cut;
                return Err(ParseError {
                    span: Span::new(at, at + ELLIPSIS.len_utf8()),
                    expected: msg!(
                        "the whole value of `{key}` (expand it in devtools before copying, or right-click the object and use “Copy object”)",
                        "`{key}` 的完整值（请先在开发者工具中展开再复制，或右键点击对象并选择“Copy object”）"
                    ),
                    found: msg!("`…` where devtools cut it", "开发者工具截断处的 `…`"),
                });
            }
            let Ok(parsed) = json::parse(text) else {
                return Err(ParseError {
                    span: *span,
                    expected: unexpanded(),
                    found: shown(text),
                });
            };
            let mut node = parsed.root;
            node.shift(body.start);
            node.span = *span;
            Ok(node)
        }
    }
}

/// What a preview holds, as far as it is shown.
struct Scan {
    /// The first `…` that marks a cut.
    cut: Option<usize>,
    /// The fields of an object preview, as written (without quotes).
    keys: Vec<(usize, usize)>,
    /// Whether the opening brace is closed at the very end, and not before.
    balanced: bool,
}

/// Walks a preview (from its opening brace) once, skipping over quoted strings.
fn scan(p: &str) -> Scan {
    let b = p.as_bytes();
    let object = b.first() == Some(&b'{');
    let (mut depth, mut i) = (0usize, 0usize);
    let mut cut = None;
    let mut keys = Vec::new();
    let mut closed_at = None;
    // Right after the outer `{` or a `,` in it: a field name may come.
    let mut key_next = false;
    while i < b.len() {
        match b[i] {
            b'"' | b'\'' | b'`' => {
                let q = quoted(p, i);
                if cut.is_none()
                    && let Some(e) = q.ellipsis
                    && (!q.closed || CUT_LENGTHS.contains(&q.units))
                {
                    cut = Some(e);
                }
                if key_next && q.closed && p[q.end..].trim_start().starts_with(':') {
                    keys.push((i + 1, q.end - 1));
                }
                key_next = false;
                i = q.end;
                continue;
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                key_next = object && depth == 1;
            }
            b'}' | b']' | b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    closed_at.get_or_insert(i + 1);
                }
                key_next = false;
            }
            b',' => key_next = object && depth == 1,
            b' ' | b'\t' => {}
            _ => {
                let Some(ch) = p.get(i..).and_then(|r| r.chars().next()) else {
                    break;
                };
                if ch == ELLIPSIS {
                    cut.get_or_insert(i);
                } else if key_next && is_name_char(ch) {
                    let n = p[i..].find(|c| !is_name_char(c)).unwrap_or(p.len() - i);
                    if p[i + n..].trim_start().starts_with(':') {
                        keys.push((i, i + n));
                    }
                    key_next = false;
                    i += n;
                    continue;
                }
                key_next = false;
                i += ch.len_utf8();
                continue;
            }
        }
        i += 1;
    }
    Scan {
        cut,
        keys,
        balanced: closed_at == Some(p.len()),
    }
}

/// A quoted string in a preview.
struct Quoted {
    /// Just after the closing quote, or the end of the text.
    end: usize,
    closed: bool,
    /// Its length in UTF-16 units, escapes counted as the character they stand for.
    units: usize,
    /// The first `…` in it.
    ellipsis: Option<usize>,
}

/// Reads the string whose quote is at `i`.
fn quoted(p: &str, i: usize) -> Quoted {
    let b = p.as_bytes();
    let q = b[i];
    let mut j = i + 1;
    let (mut units, mut ellipsis) = (0, None);
    while j < b.len() {
        if b[j] == q {
            return Quoted {
                end: j + 1,
                closed: true,
                units,
                ellipsis,
            };
        }
        if b[j] == b'\\' {
            j += 1;
            if b.get(j) == Some(&b'u') {
                j += 1 + b[j + 1..]
                    .iter()
                    .take(4)
                    .take_while(|d| d.is_ascii_hexdigit())
                    .count();
            } else if let Some(ch) = p.get(j..).and_then(|r| r.chars().next()) {
                j += ch.len_utf8();
            }
            units += 1;
            continue;
        }
        let Some(ch) = p.get(j..).and_then(|r| r.chars().next()) else {
            break;
        };
        if ch == ELLIPSIS {
            ellipsis.get_or_insert(j);
        }
        units += ch.len_utf16();
        j += ch.len_utf8();
    }
    Quoted {
        end: b.len(),
        closed: false,
        units,
        ellipsis,
    }
}

/// Just after the closing quote of the string whose quote is at `i`.
fn string_end(s: &str, i: usize) -> Option<usize> {
    let q = quoted(s, i);
    q.closed.then_some(q.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: usize = 7;

    fn ok(text: &str) -> Node {
        read(text, BASE)
            .expect("an expanded view")
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn err(text: &str) -> ParseError {
        read(text, BASE)
            .expect("an expanded view")
            .expect_err("unreadable")
    }

    fn at(text: &str, span: Span) -> &str {
        &text[span.start - BASE..span.end - BASE]
    }

    fn keys(node: &Node) -> Vec<&str> {
        node.members().iter().map(|m| m.key.as_str()).collect()
    }

    /// Every key and value span in `node` points at what it holds.
    fn check_spans(text: &str, node: &Node) {
        for m in node.members() {
            assert_eq!(at(text, m.key_span), m.key.as_str());
            let written = at(text, m.value.span);
            match &m.value.value {
                Value::Str(s) => assert!(written.len() >= s.len().min(2), "{written}"),
                Value::Num(n) => assert!(written.starts_with(n.as_str()), "{written}"),
                Value::Bool(b) => assert_eq!(written, b.to_string()),
                Value::Object(_) | Value::Array(_) => check_spans(text, &m.value),
                Value::Null => assert!(matches!(written, "null" | "undefined")),
            }
        }
    }

    const CHROME: &str = r#"{appKey: 'MMMabc', dealId: '470193086', tpOrderId: '3028903626', …}
appKey: "MMMabc"
bizInfo: "{\"tpData\":{\"appKey\":\"MMMabc\"}}"
dealId: "470193086"
signFieldsRange: "1"
totalAmount: "1"
tpOrderId: "3028903626"
[[Prototype]]: Object"#;

    #[test]
    fn chrome_expanded_order_info() {
        let n = ok(CHROME);
        assert_eq!((n.span.start, n.span.end), (BASE, BASE + CHROME.len()));
        assert_eq!(
            keys(&n),
            [
                "appKey",
                "bizInfo",
                "dealId",
                "signFieldsRange",
                "totalAmount",
                "tpOrderId"
            ]
        );
        let biz = n.get("bizInfo").unwrap();
        assert_eq!(
            biz.value.as_str(),
            Some(r#"{"tpData":{"appKey":"MMMabc"}}"#)
        );
        assert_eq!(
            at(CHROME, biz.value.span),
            r#""{\"tpData\":{\"appKey\":\"MMMabc\"}}""#
        );
        let deal = n.get("dealId").unwrap();
        assert_eq!(at(CHROME, deal.key_span), "dealId");
        assert_eq!(at(CHROME, deal.value.span), "\"470193086\"");
        assert_eq!(deal.value.value, Value::Str("470193086".into()));
        check_spans(CHROME, &n);
    }

    #[test]
    fn chrome_without_preview_line_reads_the_same() {
        let rows = CHROME.split_once('\n').unwrap().1;
        let n = ok(rows);
        assert_eq!(keys(&n), keys(&ok(CHROME)));
        assert_eq!(n.get("totalAmount").unwrap().value.as_str(), Some("1"));
        check_spans(rows, &n);
        // Only the rows, no prototype row either.
        let bare = "appKey: \"MMMabc\"\ndealId: \"470193086\"\ntotalAmount: 100";
        let n = ok(bare);
        assert_eq!(
            n.get("totalAmount").unwrap().value.value,
            Value::Num("100".into())
        );
        check_spans(bare, &n);
    }

    #[test]
    fn chrome_nested_bizinfo_indented_with_markers() {
        let t = "▼ {appKey: 'MMMabc', bizInfo: {…}, dealId: '470193086', …}
    appKey: \"MMMabc\"
  ▼ bizInfo: {tpData: {…}}
      ▼ tpData:
          appKey: \"MMMabc\"
          dealId: \"470193086\"
        ▶ [[Prototype]]: Object
      ▶ [[Prototype]]: Object
    dealId: \"470193086\"
    totalAmount: 1
  ▶ [[Prototype]]: Object
      constructor: ƒ Object()
      hasOwnProperty: ƒ hasOwnProperty()";
        let n = ok(t);
        assert_eq!(keys(&n), ["appKey", "bizInfo", "dealId", "totalAmount"]);
        let biz = &n.get("bizInfo").unwrap().value;
        assert!(at(t, biz.span).starts_with("{tpData: {…}}"));
        let tp = &biz.get("tpData").unwrap().value;
        assert_eq!(keys(tp), ["appKey", "dealId"]);
        let deal = tp.get("dealId").unwrap();
        assert_eq!(at(t, deal.value.span), "\"470193086\"");
        assert_eq!(
            n.get("totalAmount").unwrap().value.value,
            Value::Num("1".into())
        );
        check_spans(t, &n);
    }

    #[test]
    fn chrome_nested_without_indentation_closes_on_prototype_rows() {
        let t = "{appKey: 'MMMabc', bizInfo: {…}, dealId: '470193086'}
appKey: \"MMMabc\"
bizInfo:
tpData: {appKey: 'MMMabc', dealId: '470193086'}
[[Prototype]]: Object
dealId: \"470193086\"
[[Prototype]]: Object";
        let n = ok(t);
        assert_eq!(keys(&n), ["appKey", "bizInfo", "dealId"]);
        let tp = &n.get("bizInfo").unwrap().value.get("tpData").unwrap().value;
        assert_eq!(tp.get("dealId").unwrap().value.as_str(), Some("470193086"));
        assert_eq!(at(t, tp.span), "{appKey: 'MMMabc', dealId: '470193086'}");
        check_spans(t, &n);
        // Older Chrome keeps the preview on an expanded row: its fields follow it.
        let old = "{appKey: 'MMMabc', bizInfo: {…}}
appKey: \"MMMabc\"
bizInfo: {tpData: {…}}
tpData: {appKey: 'MMMabc'}
__proto__: Object
__proto__: Object";
        let n = ok(old);
        assert_eq!(keys(&n), ["appKey", "bizInfo"]);
        let biz = &n.get("bizInfo").unwrap().value;
        assert_eq!(keys(biz), ["tpData"]);
        check_spans(old, &n);
    }

    #[test]
    fn firefox_expanded_view() {
        let t = r#"Object { appKey: "MMMabc", dealId: "470193086", tpOrderId: "3028903626", … }
    appKey: "MMMabc"
  ▼ bizInfo: Object { tpData: {…} }
      ▼ tpData: Object { appKey: "MMMabc", totalAmount: "1" }
          appKey: "MMMabc"
          totalAmount: "1"
        ▶ <prototype>: Object { … }
      ▶ <prototype>: Object { … }
    "data-x": 1
    dealId: "470193086"
    flag: true
    list: Array [ "a", "b" ]
    none: null
    gone: undefined
  ▶ <prototype>: Object { … }"#;
        let n = ok(t);
        assert_eq!(
            keys(&n),
            [
                "appKey", "bizInfo", "data-x", "dealId", "flag", "list", "none", "gone"
            ]
        );
        let x = n.get("data-x").unwrap();
        assert_eq!(at(t, x.key_span), "data-x");
        assert_eq!(x.value.value, Value::Num("1".into()));
        assert_eq!(n.get("flag").unwrap().value.value, Value::Bool(true));
        assert_eq!(n.get("none").unwrap().value.value, Value::Null);
        assert_eq!(n.get("gone").unwrap().value.value, Value::Null);
        let list = &n.get("list").unwrap().value;
        assert_eq!(at(t, list.span), r#"Array [ "a", "b" ]"#);
        assert!(matches!(&list.value, Value::Array(items) if items.len() == 2));
        let tp = &n.get("bizInfo").unwrap().value.get("tpData").unwrap().value;
        assert_eq!(tp.get("totalAmount").unwrap().value.as_str(), Some("1"));
        check_spans(t, &n);
    }

    #[test]
    fn safari_expanded_view() {
        let t = "Object\n  appKey: \"MMMabc\"\n  dealId: \"470193086\"\n  Object Prototype";
        let n = ok(t);
        assert_eq!(keys(&n), ["appKey", "dealId"]);
        check_spans(t, &n);
    }

    #[test]
    fn callback_answer_objects() {
        // What the merchant's handler answered, logged in the mini-program devtools.
        let t = "VM512:1 {errno: 0, msg: 'success', data: {…}}
data: {isConsumed: 2}
errno: 0
msg: \"success\"
[[Prototype]]: Object";
        let n = ok(t);
        let data = &n.get("data").unwrap().value;
        assert_eq!(at(t, data.span), "{isConsumed: 2}");
        let c = data.get("isConsumed").unwrap();
        assert_eq!(c.value.value, Value::Num("2".into()));
        assert_eq!(at(t, c.key_span), "isConsumed");
        assert_eq!(at(t, c.value.span), "2");
        assert_eq!(n.get("errno").unwrap().value.value, Value::Num("0".into()));
        // The fail callback of requestPolymerPayment, with its label.
        let t = "fail {errCode: 6, errMsg: 'requestPolymerPayment:fail 请求签名错误'}
errCode: 6
errMsg: \"requestPolymerPayment:fail 请求签名错误\"
success: ƒ success(res)
[[Prototype]]: Object";
        let n = ok(t);
        assert_eq!(keys(&n), ["errCode", "errMsg"]);
        let m = n.get("errMsg").unwrap();
        assert_eq!(
            at(t, m.value.span),
            "\"requestPolymerPayment:fail 请求签名错误\""
        );
        check_spans(t, &n);
    }

    #[test]
    fn arrays_windows_line_ends_and_quoted_values() {
        let t = "{list: Array(2), n: 10n, s: 'x'}\r\n  list: Array(2)\r\n    0: \"a\"\r\n    1: \"b\"\r\n    length: 2\r\n    [[Prototype]]: Array(0)\r\n  n: 10n\r\n  s: 'it\\'s'\r\n  [[Prototype]]: Object\r\n";
        let n = ok(t.trim());
        let list = &n.get("list").unwrap().value;
        let Value::Array(items) = &list.value else {
            panic!("{list:?}")
        };
        assert_eq!(
            items
                .iter()
                .map(|i| i.as_str().unwrap())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(at(t, items[1].span), "\"b\"");
        assert_eq!(n.get("n").unwrap().value.value, Value::Num("10".into()));
        assert_eq!(n.get("s").unwrap().value.as_str(), Some("it's"));
        check_spans(t, &n);
    }

    #[test]
    fn indentation_alone_nests_and_the_trimmed_first_row_is_placed() {
        // The reference example: rows indented under the preview line, all at one level.
        let t = "{dealId: '410000001', appKey: 'MMMxyz', totalAmount: '100', …}
  appKey: \"MMMxyz\"
  bizInfo: \"{\\\"tpData\\\":{\\\"appKey\\\":\\\"MMMxyz\\\"}}\"
  dealId: \"410000001\"
  [[Prototype]]: Object";
        let n = ok(t);
        assert_eq!(keys(&n), ["appKey", "bizInfo", "dealId"]);
        check_spans(t, &n);
        // Nested, collapsed inside, no markers.
        let t = "{appKey: 'MMMabc', bizInfo: {…}, …}
  appKey: \"MMMabc\"
  bizInfo: {tpData: {…}}
    tpData: {appKey: 'MMMabc', dealId: '470193086'}
    [[Prototype]]: Object
  dealId: \"470193086\"
  [[Prototype]]: Object";
        let n = ok(t);
        assert_eq!(keys(&n), ["appKey", "bizInfo", "dealId"]);
        let tp = &n.get("bizInfo").unwrap().value.get("tpData").unwrap().value;
        let d = tp.get("dealId").unwrap();
        assert_eq!(at(t, d.key_span), "dealId");
        assert_eq!(at(t, d.value.span), "'470193086'");
        // Rows only: the first row lost its indentation when the paste was trimmed.
        let t = "appKey: \"MMMabc\"
  bizInfo:
    tpData: {appKey: 'MMMabc'}
    [[Prototype]]: Object
  dealId: \"470193086\"";
        let n = ok(t);
        assert_eq!(keys(&n), ["appKey", "bizInfo", "dealId"]);
        assert_eq!(keys(&n.get("bizInfo").unwrap().value), ["tpData"]);
        // Markers before the names rather than in the indentation.
        let t = "▼ {appKey: 'MMMabc', bizInfo: {…}}
  appKey: \"MMMabc\"
  ▼ bizInfo:
    ▼ tpData:
      appKey: \"MMMabc\"
      ▶ [[Prototype]]: Object
    ▶ [[Prototype]]: Object
  ▶ [[Prototype]]: Object";
        let n = ok(t);
        assert_eq!(keys(&n), ["appKey", "bizInfo"]);
        let tp = &n.get("bizInfo").unwrap().value.get("tpData").unwrap().value;
        assert_eq!(keys(tp), ["appKey"]);
        check_spans(t, &n);
        // A collapsed array row next to its siblings, without indentation.
        let t = "{list: Array(2), n: 1}\nlist: (2) ['a', 'b']\nn: 1\n[[Prototype]]: Object";
        let n = ok(t);
        assert!(matches!(&n.get("list").unwrap().value.value, Value::Array(a) if a.len() == 2));
        assert_eq!(keys(&n), ["list", "n"]);
    }

    #[test]
    fn long_input_is_read_in_one_pass() {
        let mut t = String::from("{a0: '0', …}\n");
        for i in 0..20_000 {
            t.push_str(&format!(
                "  a{i}: \"{i}\"\n  b{i}:\n    c: {{d: 1}}\n    [[Prototype]]: Object\n"
            ));
        }
        t.push_str("  s: \"");
        t.push_str(&"x".repeat(1 << 20));
        t.push('"');
        let n = ok(&t);
        assert_eq!(n.members().len(), 40_001);
        let wide = format!("{{{}…", "a: '', ".repeat(100_000));
        assert!(cut_preview(&wide, 0).is_some());
        assert!(read(&format!("{wide}\n{}", "(\n".repeat(100_000)), 0).is_none());
    }

    #[test]
    fn unreadable_views_say_where() {
        // A nested object left collapsed: its preview was cut.
        let t = "{appKey: 'MMMabc', bizInfo: {…}}\nappKey: \"MMMabc\"\nbizInfo: {tpData: {…}}\n[[Prototype]]: Object";
        let e = err(t);
        assert_eq!(at(t, e.span), "…");
        assert_eq!(e.span.start - BASE, t.find("{…}}\n[[").unwrap() + 1);
        assert!(e.expected.en.contains("`bizInfo`"), "{}", e.expected.en);
        assert!(e.expected.zh.contains("展开"));
        // Vue's reactive objects: accessors devtools has not called.
        let t = "{__ob__: Observer}\nappKey: (...)\n__ob__: Observer {value: {…}, dep: Dep, vmCount: 0}\nget appKey: ƒ reactiveGetter()\nset appKey: ƒ reactiveSetter(newVal)\n[[Prototype]]: Object";
        let e = err(t);
        assert_eq!(at(t, e.span), "(...)");
        assert!(e.expected.en.contains("`appKey`"));
        // A value devtools would not show that way, in a view with a prototype row.
        let t = "appKey: MMMabc\ndealId: \"1\"\n[[Prototype]]: Object";
        let e = err(t);
        assert_eq!(at(t, e.span), "MMMabc");
        assert!(!e.found.zh.is_empty() && e.expected.zh.contains("字符串"));
        // An expanded row whose rows were not copied.
        let t = "{a: 1, b: {…}}\n  a: 1\n  b:";
        let e = err(t);
        assert_eq!(at(t, e.span), "b");
        // Rows indented out of line.
        let t = "{a: 1, b: 2}\n  a: 1\n      b: 2\n  [[Prototype]]: Object";
        let e = err(t);
        assert_eq!(at(t, e.span), "b: 2");
        assert_eq!(e.found.en, "a row indented deeper");
    }

    #[test]
    fn near_misses_are_not_claimed() {
        for t in [
            "{a: 1}",
            "{appKey: 'MMMabc', dealId: '470193086'}",
            "{\n  \"appKey\": \"MMMabc\",\n  \"dealId\": \"470193086\"\n}",
            "{\n  appKey: 'MMMabc',\n  dealId: '470193086',\n}",
            "\"appKey\": \"MMMabc\",\n\"dealId\": \"470193086\"",
            "{\"appKey\":\"x\",\"dealId\":\"1\"}\n{\"appKey\":\"y\",\"dealId\":\"2\"}",
            "appKey: MMMabc\ndealId: 470193086",
            "server:\n  host: localhost\n  port: 8080",
            "- appKey\n- dealId",
            "Note: the appKey is wrong\nExpected: \"MMMabc\"",
            "2024-03-02 10:11:12.345 INFO [main] c.x.PayController - params: {a: 1, …}\n2024-03-02 10:11:13.001 INFO done",
            "[2024-03-02 10:11:12] production.INFO: baidu notify {\"body\":\"userId=1\"} []\n[2024-03-02 10:11:13] production.INFO: ok",
            "TypeError: Cannot read properties of undefined (reading 'appKey')\n    at foo (file.js:1:2)\n    at bar (file.js:3:4)",
            "Content-Type: application/json\nHost: shop.example",
            "Array\n(\n    [appKey] => MMMabc\n)",
            "stdClass Object\n(\n    [appKey] => MMMabc\n)",
            "{'appKey': 'MMMabc', 'promoDetail': None}",
            "map[appKey:MMMabc dealId:470193086]",
            "userId=1&orderId=2\nstatus=2",
            "{appKey: 'MMMabc', …}",
            "appKey: \"MMMabc\"",
            "[[Prototype]]: Object\n[[Prototype]]: Object",
            "success",
            "",
        ] {
            assert!(read(t, BASE).is_none(), "{t:?}");
        }
    }

    #[test]
    fn cut_previews_point_at_the_cut() {
        let s = cut_preview("{…, dealTitle: '会员月卡', …}", BASE).unwrap();
        assert_eq!(s.start - BASE, 1);
        let t = "{appKey: 'MMMabc', dealId: '470…";
        assert_eq!(cut_preview(t, BASE).unwrap().start - BASE, 31);
        for t in [
            "{appKey: 'MMMabc', dealId: '470193086', tpOrderId: '3028903626', …}",
            "Object { appKey: \"MMMabc\", dealId: \"470193086\", … }",
            "▶ {appKey: 'MMMabc', bizInfo: {…}}",
            "VM12:1 orderInfo {appKey: 'MMMabc', …}",
            "index.js? [sm]:12 {appKey: 'MMMabc', …}",
            "(2) [{…}, {…}]",
            "orderInfo: {dealId: '470193086', appKey: 'MMMabc', totalAmount: '100', bizInfo: {…}, …}",
        ] {
            let s = cut_preview(t, BASE).unwrap_or_else(|| panic!("{t}"));
            assert_eq!(
                (s.start - BASE, at(t, s)),
                (t.find('…').unwrap(), "…"),
                "{t}"
            );
        }
        let s = cut_preview("Object", BASE).unwrap();
        assert_eq!(at("Object", s), "Object");
        // V8 shortens a long string to 100 characters around a `…`.
        let long = format!("{{rsaSign: '{}…{}'}}", "A".repeat(50), "B".repeat(49));
        let s = cut_preview(&long, BASE).unwrap();
        assert_eq!(s.start - BASE, 11 + 50);
        // Whole previews, JSON, and a `…` that is part of a short string are not cut.
        for t in [
            "{a: 1}",
            "{dealTitle: '会员…', appKey: 'MMMabc'}",
            "{\"dealTitle\": \"更多…\"}",
            "{appKey: 'MMMabc', dealId: '470",
            "2024-03-02 10:11:12 {a: 1, …}",
            "stdClass Object",
            "{appKey: 'MMMabc', …}\nappKey: \"MMMabc\"",
            "success",
            "…",
        ] {
            assert!(cut_preview(t, BASE).is_none(), "{t:?}");
        }
    }

    #[test]
    fn no_panics_on_cut_or_mangled_input() {
        let samples = [
            CHROME,
            "▼ {a: '中文…', b: {…}}\n    a: \"中文\\u4e2d\"\n  ▼ b:\n      c: (2) ['x', 'y']\n    ▶ [[Prototype]]: Object\n  ▶ [[Prototype]]: Object",
            "Object { a: \"\\\"…\", \"k\\u00e9y\": 1 }\n  a: \"\\\\\"\n  <prototype>: Object { … }",
        ];
        for s in samples {
            for (i, _) in s.char_indices() {
                for t in [&s[..i], &s[i..]] {
                    let t = t.trim();
                    let base = 3;
                    if let Some(Ok(n)) = read(t, base) {
                        assert!(n.span.end <= base + t.len());
                    }
                    if let Some(Err(e)) = read(t, base) {
                        assert!(e.span.start >= base && e.span.end <= base + t.len());
                    }
                    if let Some(sp) = cut_preview(t, base) {
                        assert!(t.is_char_boundary(sp.start - base));
                        assert!(t.is_char_boundary(sp.end - base));
                    }
                }
            }
        }
        for t in [
            "'",
            "\"\\",
            "a:\n'",
            "{'\\u12",
            "a: '\\",
            "(",
            "(1) [",
            "[[",
            "<",
            "a: \"\\u\"\nb: 1",
        ] {
            let _ = (read(t, 0), cut_preview(t, 0));
        }
    }
}
