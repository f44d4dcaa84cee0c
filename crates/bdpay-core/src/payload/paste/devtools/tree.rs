//! The rows nested into objects and arrays, by their indentation or, without it, by their
//! prototype rows; and the value of a row whose own rows do not follow it.

use smol_str::SmolStr;

use super::preview::scan;
use super::rows::{Cell, Row, is_digits, shown};
use super::{ELLIPSIS, Line};
use crate::message::Msg;
use crate::msg;
use crate::payload::json::{self, Member, Node, ParseError, Value};
use crate::source::Span;

/// Each row's column: that of its name, or with `inline`, that of its marker. All 0 when the
/// copy lost its indentation (the rows other than the trimmed first line, markers aside, share
/// one column).
pub(super) fn columns(body: &[Line], first_trimmed: bool, inline: bool) -> Vec<usize> {
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
pub(super) struct Frame {
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
    pub(super) const fn new(array: bool, start: usize, owner: Option<(SmolStr, Span)>) -> Self {
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

pub(super) fn build(
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
