//! The languages the scanner reads: how a file is recognised, its grammar, and what a function
//! and a comment look like in it.

use std::path::Path;

use tree_sitter::{Language, Node};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Php,
    Java,
    Go,
    JavaScript,
    TypeScript,
    Tsx,
    Python,
}

impl Lang {
    /// Whether a node kind is a string literal: quoted strings, template and raw strings, and
    /// (`heredocs`) PHP's heredoc and nowdoc.
    #[must_use]
    pub fn is_string(self, kind: &str, heredocs: bool) -> bool {
        match self {
            Self::Php => {
                matches!(kind, "string" | "encapsed_string")
                    || (heredocs && matches!(kind, "heredoc" | "nowdoc"))
            }
            Self::Java => kind == "string_literal",
            Self::Go => matches!(kind, "interpreted_string_literal" | "raw_string_literal"),
            Self::JavaScript | Self::TypeScript | Self::Tsx => {
                matches!(kind, "string" | "template_string")
            }
            Self::Python => kind == "string",
        }
    }

    pub const ALL: [Self; 7] = [
        Self::Php,
        Self::Java,
        Self::Go,
        Self::JavaScript,
        Self::TypeScript,
        Self::Tsx,
        Self::Python,
    ];

    /// By file extension; `None` for files the scanner does not read.
    #[must_use]
    pub fn of_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "php" | "phtml" | "inc" => Self::Php,
            "java" => Self::Java,
            "go" => Self::Go,
            "js" | "mjs" | "cjs" | "jsx" | "swan" => Self::JavaScript,
            "ts" | "mts" | "cts" => Self::TypeScript,
            "tsx" => Self::Tsx,
            "py" => Self::Python,
            _ => return None,
        })
    }

    /// The name queries use in their `langs` list.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Php => "php",
            Self::Java => "java",
            Self::Go => "go",
            Self::JavaScript => "javascript",
            Self::TypeScript => "typescript",
            Self::Tsx => "tsx",
            Self::Python => "python",
        }
    }

    #[must_use]
    pub fn by_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.name() == name)
    }

    #[must_use]
    pub fn grammar(self) -> Language {
        match self {
            Self::Php => tree_sitter_php::LANGUAGE_PHP.into(),
            Self::Java => tree_sitter_java::LANGUAGE.into(),
            Self::Go => tree_sitter_go::LANGUAGE.into(),
            Self::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Self::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Self::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Self::Python => tree_sitter_python::LANGUAGE.into(),
        }
    }

    /// The comment a suppression is written in, for messages.
    #[must_use]
    pub const fn comment(self) -> &'static str {
        match self {
            Self::Python => "#",
            _ => "//",
        }
    }

    /// Node kinds that are functions or methods in this language.
    #[must_use]
    pub fn is_function(self, kind: &str) -> bool {
        match self {
            Self::Php => matches!(
                kind,
                "function_definition"
                    | "method_declaration"
                    | "anonymous_function"
                    | "arrow_function"
            ),
            Self::Java => matches!(
                kind,
                "method_declaration" | "constructor_declaration" | "lambda_expression"
            ),
            Self::Go => matches!(
                kind,
                "function_declaration" | "method_declaration" | "func_literal"
            ),
            Self::JavaScript | Self::TypeScript | Self::Tsx => matches!(
                kind,
                "function_declaration"
                    | "function_expression"
                    | "function"
                    | "generator_function_declaration"
                    | "method_definition"
                    | "arrow_function"
            ),
            Self::Python => matches!(kind, "function_definition" | "lambda"),
        }
    }
}

/// The innermost named function or method around `node`, with its name: its own `name` field,
/// or for an anonymous function the name it is assigned to (`const sign = (p) => ...`). A
/// callback passed to a call (`keys.map(k => ...)`) has no name and belongs to the function
/// around it.
#[must_use]
pub fn enclosing_function<'t>(
    lang: Lang,
    node: Node<'t>,
    text: &'t str,
) -> Option<(Node<'t>, &'t str)> {
    let mut n = node.parent();
    while let Some(f) = n {
        if lang.is_function(f.kind()) {
            let name = f
                .child_by_field_name("name")
                .or_else(|| {
                    let p = f.parent()?;
                    p.child_by_field_name("name")
                        .or_else(|| p.child_by_field_name("key"))
                        .or_else(|| p.child_by_field_name("left"))
                })
                .and_then(|n| n.utf8_text(text.as_bytes()).ok())
                .unwrap_or("");
            if !name.is_empty() {
                return Some((f, name));
            }
            // A handler passed to a router: named by its route (`app.post('/notify', ...)`).
            if let Some(route) = route_of(f, text) {
                return Some((f, route));
            }
        }
        n = f.parent();
    }
    None
}

/// The route a handler is registered for: the first string argument of the call `f` is passed to.
fn route_of<'t>(f: Node<'t>, text: &'t str) -> Option<&'t str> {
    let args = f
        .parent()
        .filter(|p| matches!(p.kind(), "arguments" | "argument_list"))?;
    let mut cursor = args.walk();
    let first = args.named_children(&mut cursor).next()?;
    if !matches!(
        first.kind(),
        "string" | "interpreted_string_literal" | "raw_string_literal" | "string_literal"
    ) {
        return None;
    }
    first.utf8_text(text.as_bytes()).ok()
}
