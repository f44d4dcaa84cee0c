//! `scan --dump FILE`: a file's syntax tree as the queries see it, for rule authors: one node
//! per line with its field name, kind, position and, for leaves, its text.

use std::fmt::Write as _;

use tree_sitter::Node;

use crate::lang::Lang;
use crate::scan::{Unparsed, parse};

/// The tree of `text` read as `lang`.
///
/// # Errors
/// When the parser returns no tree.
pub fn dump(lang: Lang, text: &str) -> Result<String, Unparsed> {
    let tree = parse(lang, text)?;
    let mut out = String::new();
    walk(tree.root_node(), None, 0, text, &mut out);
    Ok(out)
}

fn walk(node: Node<'_>, field: Option<&str>, depth: usize, text: &str, out: &mut String) {
    if !node.is_named() {
        return;
    }
    let s = node.start_position();
    let e = node.end_position();
    let _ = write!(
        out,
        "{:indent$}{}{} [{}:{}-{}:{}]",
        "",
        field.map(|f| format!("{f}: ")).unwrap_or_default(),
        node.kind(),
        s.row + 1,
        s.column + 1,
        e.row + 1,
        e.column + 1,
        indent = depth * 2
    );
    if node.named_child_count() == 0 {
        let t = node.utf8_text(text.as_bytes()).unwrap_or("");
        let t: String = t.chars().take(60).collect();
        let _ = write!(out, " {t:?}");
    }
    out.push('\n');
    let mut cursor = node.walk();
    for (i, child) in node.children(&mut cursor).enumerate() {
        let f = u32::try_from(i)
            .ok()
            .and_then(|i| node.field_name_for_child(i));
        walk(child, f, depth + 1, text, out);
    }
}
