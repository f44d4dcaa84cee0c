//! Keys written as string literals in code (`"-----BEGIN PUBLIC KEY-----\n..."`, `"MIIEvQ..."`),
//! with their value as the language reads it, for the key rules: a header that does not match the
//! body, a body whose line breaks became the two characters `\n` in a PHP single-quoted string, a
//! private key committed with the code, a PKCS#1 key handed to Java's `PKCS8EncodedKeySpec`.

use std::sync::{Arc, OnceLock};

use bdpay_core::config::ServerLanguage;
use bdpay_core::keys::Structure;
use bdpay_core::keys::ring::CodeKey;
use bdpay_core::source::{SourceFile, Span};
use regex::Regex;
use tree_sitter::{Node, Tree};

use crate::lang::Lang;

/// The keys written in a file.
pub fn find(lang: Lang, tree: &Tree, source: &Arc<SourceFile>) -> Vec<CodeKey> {
    let text = source.text.as_str();
    let mut found = literals(lang, tree.root_node(), text);
    found.retain(|(_, value)| looks_like_key(value));
    if found.is_empty() {
        return Vec::new();
    }
    found.sort_by_key(|(span, _)| span.start);
    let (loads_private, loads_public) = loaders(lang, text);
    let in_test = is_test(&source.name);
    found
        .into_iter()
        .map(|(span, value)| CodeKey {
            source: Arc::clone(source),
            span,
            value,
            language: server_language(lang),
            loads_private: loads_private.clone(),
            loads_public: loads_public.clone(),
            in_test,
        })
        .collect()
}

/// Every outermost literal, or concatenation of literals only, under `root` with its value,
/// in no particular order.
fn literals(lang: Lang, root: Node<'_>, text: &str) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        let literal = is_literal(lang, n.kind());
        if literal || is_concat(lang, n, text) {
            if let Some(value) = value(lang, n, text) {
                out.push((Span::new(n.start_byte(), n.end_byte()), value));
                continue;
            }
            // A literal with an interpolation holds no literal inside it.
            if literal {
                continue;
            }
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
    out
}

/// The words of PEM lines, left readable.
const ARMOR_WORDS: &[&str] = &[
    "BEGIN",
    "END",
    "RSA",
    "PRIVATE",
    "PUBLIC",
    "KEY",
    "ENCRYPTED",
];

/// `text` with the base64 of every private key among `keys` masked (same length, so spans hold),
/// or `None` when none is private. The redaction of reports masks private keys it can recognise
/// in a line; a key split over concatenated literals (`"MIIC..." +` on each line) is recognised
/// only here, where the literal is known to be one key.
#[must_use]
pub fn mask(text: &str, keys: &[CodeKey]) -> Option<String> {
    static RUN: OnceLock<Regex> = OnceLock::new();
    let run =
        RUN.get_or_init(|| Regex::new(r"[A-Za-z0-9+/]{2,}=*").unwrap_or_else(|e| panic!("{e}")));
    let mut bytes = text.as_bytes().to_vec();
    let mut any = false;
    for k in keys {
        let private = match bdpay_core::keys::read(k.value.as_bytes()) {
            Ok(key) => key.structure.is_private(),
            Err(_) => k.value.contains("PRIVATE KEY"),
        };
        if !private {
            continue;
        }
        let Some(literal) = text.get(k.span.start..k.span.end) else {
            continue;
        };
        for m in run.find_iter(literal) {
            let word = m.as_str();
            if word.len() < 4 || ARMOR_WORDS.contains(&word) {
                continue;
            }
            // `\nMIIC...`: the escape's `n` is not key material.
            let skip = usize::from(m.start() > 0 && literal.as_bytes()[m.start() - 1] == b'\\');
            for b in &mut bytes[k.span.start + m.start() + skip..k.span.start + m.end()] {
                *b = b'*';
            }
            any = true;
        }
    }
    // Only ASCII bytes were replaced by ASCII.
    any.then(|| String::from_utf8(bytes).ok()).flatten()
}

/// A test file by the conventions of the six languages: `*_test.go`, `FooTest.java`,
/// `src/test/`, `test_*.py`, `*.spec.ts`, `__tests__/`, `testdata/`.
fn is_test(path: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(^|[/\\])(tests?|__tests__|testdata|spec)[/\\]|_test\.(go|py)$|Tests?\.java$|(^|[/\\])test_[^/\\]*\.py$|\.(test|spec)\.[jt]sx?$")
            .unwrap_or_else(|e| panic!("{e}"))
    })
    .is_match(path)
}

const fn server_language(lang: Lang) -> ServerLanguage {
    match lang {
        Lang::Php => ServerLanguage::Php,
        Lang::Java => ServerLanguage::Java,
        Lang::Go => ServerLanguage::Go,
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => ServerLanguage::Node,
        Lang::Python => ServerLanguage::Python,
    }
}

/// A literal that can hold a key: every string literal, PHP's heredoc and nowdoc included.
fn is_literal(lang: Lang, kind: &str) -> bool {
    lang.is_string(kind, true)
}

/// `a . b` (PHP), `a + b`, and Python's adjacent literals.
fn is_concat(lang: Lang, n: Node<'_>, text: &str) -> bool {
    let op = || {
        n.child_by_field_name("operator")
            .and_then(|o| o.utf8_text(text.as_bytes()).ok())
    };
    match (lang, n.kind()) {
        (Lang::Python, "concatenated_string") => true,
        (Lang::Php, "binary_expression") => op() == Some("."),
        (Lang::Python, "binary_operator") | (_, "binary_expression") => op() == Some("+"),
        _ => false,
    }
}

/// The value of a literal or of a concatenation of literals only, escapes undone as `lang`
/// does; `None` when any part is computed (a variable, an interpolation, a call).
fn value(lang: Lang, n: Node<'_>, text: &str) -> Option<String> {
    if is_literal(lang, n.kind()) {
        return literal(lang, n, text);
    }
    let mut out = String::new();
    let mut cursor = n.walk();
    for child in n.named_children(&mut cursor) {
        if child.kind() == "comment" {
            continue;
        }
        if !(is_literal(lang, child.kind()) || is_concat(lang, child, text)) {
            return None;
        }
        out.push_str(&value(lang, child, text)?);
    }
    Some(out)
}

/// How a literal's escapes are read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Escapes {
    /// Nothing is an escape (Go raw strings, Python raw strings, PHP nowdoc).
    None,
    /// PHP single quotes: only `\\` and `\'`.
    PhpSingle,
    /// C-like: `\n`, `\t`, `\\`, `\"`, `\uXXXX`, and a backslash before a line break joins lines.
    C,
}

fn literal(lang: Lang, n: Node<'_>, text: &str) -> Option<String> {
    let raw = n.utf8_text(text.as_bytes()).ok()?;
    // Interpolations make the value computed.
    let mut cursor = n.walk();
    if n.named_children(&mut cursor).any(|c| {
        matches!(
            c.kind(),
            "variable_name"
                | "interpolation"
                | "template_substitution"
                | "member_access_expression"
                | "subscript_expression"
                | "dynamic_variable_name"
        )
    }) {
        return None;
    }
    let (body, escapes) = match (lang, n.kind()) {
        (Lang::Php, "string") => (
            quoted(raw.trim_start_matches(['b', 'B']), 1)?,
            Escapes::PhpSingle,
        ),
        (Lang::Php, "encapsed_string") => {
            (quoted(raw.trim_start_matches(['b', 'B']), 1)?, Escapes::C)
        }
        (Lang::Php, "heredoc" | "nowdoc") => {
            let body = n
                .child_by_field_name("value")?
                .utf8_text(text.as_bytes())
                .ok()?;
            let body = body
                .strip_prefix("\r\n")
                .or_else(|| body.strip_prefix('\n'))
                .unwrap_or(body);
            let escapes = if n.kind() == "nowdoc" {
                Escapes::None
            } else {
                Escapes::C
            };
            (body.trim_end_matches([' ', '\t', '\r', '\n']), escapes)
        }
        (Lang::Java, _) if raw.starts_with("\"\"\"") => {
            return Some(unescape(&text_block(quoted(raw, 3)?), Escapes::C));
        }
        (Lang::Go, "raw_string_literal") => {
            // Go drops carriage returns from raw strings.
            return Some(quoted(raw, 1)?.replace('\r', ""));
        }
        (Lang::Python, _) => {
            let quote = raw.find(['\'', '"'])?;
            let prefix = &raw[..quote];
            if prefix.contains(['f', 'F']) && raw.contains('{') {
                return None;
            }
            let width = if raw[quote..].starts_with("\"\"\"") || raw[quote..].starts_with("'''") {
                3
            } else {
                1
            };
            let escapes = if prefix.contains(['r', 'R']) {
                Escapes::None
            } else {
                Escapes::C
            };
            (quoted(&raw[quote..], width)?, escapes)
        }
        _ => (quoted(raw, 1)?, Escapes::C),
    };
    Some(unescape(body, escapes))
}

/// `raw` without `width` delimiter characters at each end.
fn quoted(raw: &str, width: usize) -> Option<&str> {
    (raw.len() >= 2 * width).then(|| raw.get(width..raw.len() - width))?
}

/// A Java text block's lines without their shared indentation.
fn text_block(body: &str) -> String {
    let body = body.split_once('\n').map_or(body, |(_, rest)| rest);
    let indent = body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    body.lines()
        .map(|l| l.get(indent..).unwrap_or("").trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

fn unescape(body: &str, escapes: Escapes) -> String {
    if escapes == Escapes::None || !body.contains('\\') {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&next) = chars.peek() else {
            out.push('\\');
            break;
        };
        if escapes == Escapes::PhpSingle {
            if matches!(next, '\\' | '\'') {
                out.push(next);
                chars.next();
            } else {
                out.push('\\');
            }
            continue;
        }
        chars.next();
        match next {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            '\n' => {}
            '\\' | '"' | '\'' | '`' | '/' | '$' => out.push(next),
            _ => {
                out.push('\\');
                out.push(next);
            }
        }
    }
    out
}

/// Key material: a PEM block or a one-piece base64 DER (`MII…`) with a body long enough to be a
/// key, not a header written alone or an example in a comment.
fn looks_like_key(value: &str) -> bool {
    static ARMOR: OnceLock<Regex> = OnceLock::new();
    let armor = ARMOR.get_or_init(|| {
        Regex::new(r"-----(BEGIN|END) [A-Z0-9 ]+-----").unwrap_or_else(|e| panic!("{e}"))
    });
    let body = armor
        .replace_all(value, "")
        .bytes()
        .filter(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        .count();
    if body < 100 {
        return false;
    }
    if value.contains("-----BEGIN ") {
        return true;
    }
    let v = value.trim();
    v.starts_with("MI")
        && v.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(b, b'+' | b'/' | b'=' | b'\\' | b' ' | b'\n' | b'\r' | b'\t')
        })
}

/// A structure keys are loaded as, and the call that says so.
type Loader = (Structure, String);

/// The structure the file's code loads private and public keys as, when it says so with one
/// call only: Java's key specs and Go's x509 parsers. PHP, Node.js and Python read PKCS#1 and
/// PKCS#8 alike.
fn loaders(lang: Lang, text: &str) -> (Option<Loader>, Option<Loader>) {
    static RE: OnceLock<[Regex; 2]> = OnceLock::new();
    let [java_other, go_call] = RE.get_or_init(|| {
        [
            // Code that reads PKCS#1 itself (Bouncy Castle, a hand-made spec) is not judged.
            Regex::new(r"RSAPrivateCrtKeySpec|RSAPublicKeySpec|PEMParser|PEMKeyPair|org\.bouncycastle|RSAPrivateKey\.getInstance|PKCS1").unwrap_or_else(|e| panic!("{e}")),
            Regex::new(r"\bParse(PKCS1PrivateKey|PKCS8PrivateKey|PKIXPublicKey|PKCS1PublicKey)\b").unwrap_or_else(|e| panic!("{e}")),
        ]
    });
    let one = |calls: &[(&str, Structure)], present: &dyn Fn(&str) -> bool| {
        let used: Vec<_> = calls.iter().filter(|(c, _)| present(c)).collect();
        match used.as_slice() {
            [(call, s)] => Some((*s, (*call).to_owned())),
            _ => None,
        }
    };
    match lang {
        Lang::Java if !java_other.is_match(text) => (
            text.contains("PKCS8EncodedKeySpec")
                .then(|| (Structure::Pkcs8Private, "PKCS8EncodedKeySpec".to_owned())),
            text.contains("X509EncodedKeySpec")
                .then(|| (Structure::Spki, "X509EncodedKeySpec".to_owned())),
        ),
        Lang::Go => {
            let calls: Vec<&str> = go_call
                .captures_iter(text)
                .filter_map(|c| c.get(1).map(|m| m.as_str()))
                .collect();
            let present = |c: &str| calls.iter().any(|x| c.ends_with(x));
            (
                one(
                    &[
                        ("x509.ParsePKCS1PrivateKey", Structure::Pkcs1Private),
                        ("x509.ParsePKCS8PrivateKey", Structure::Pkcs8Private),
                    ],
                    &present,
                ),
                one(
                    &[
                        ("x509.ParsePKIXPublicKey", Structure::Spki),
                        ("x509.ParsePKCS1PublicKey", Structure::Pkcs1Public),
                    ],
                    &present,
                ),
            )
        }
        _ => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(lang: Lang, code: &str) -> Vec<String> {
        let tree = crate::scan::parse(lang, code).unwrap_or_else(|_| panic!("parse"));
        let mut out: Vec<String> = literals(lang, tree.root_node(), code)
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        out.sort();
        out
    }

    #[test]
    fn values_are_read_as_each_language_reads_them() {
        assert_eq!(
            values(Lang::Php, r#"<?php $a = 'x\ny\'' . "z\n";"#),
            ["x\\ny'z\n"]
        );
        assert_eq!(
            values(Lang::Php, "<?php $a = \"$v\\n\";"),
            Vec::<String>::new()
        );
        assert_eq!(
            values(
                Lang::Php,
                "<?php $a = <<<EOT\n  a\\tb\nEOT;\n$b = <<<'X'\nr\\n\nX;\n"
            ),
            ["  a\tb", "r\\n"]
        );
        assert_eq!(
            values(Lang::Python, "a = r'x\\n' \"y\\n\"\nb = f'{z}'\n"),
            ["x\\ny\n"]
        );
        assert_eq!(
            values(Lang::Go, "package m\nvar a = \"x\\n\" + `r\\n`\n"),
            ["x\nr\\n"]
        );
        assert_eq!(
            values(
                Lang::Java,
                "class A { String a = \"x\\n\" + \"y\"; String b = \"\"\"\n    ab\n      c\n    \"\"\"; }"
            ),
            ["ab\n  c\n", "x\ny"]
        );
        assert_eq!(
            values(Lang::JavaScript, "const a = 'x' + `y${q}`, b = `w\\\nv`;"),
            ["wv", "x"]
        );
    }

    #[test]
    fn test_files_are_known_by_each_languages_convention() {
        for t in [
            "core/sign_test.go",
            "src/test/java/pay/SignTest.java",
            "tests/test_sign.py",
            "pay/sign_test.py",
            "web/__tests__/pay.js",
            "src/pay.spec.ts",
            "lib/sign.test.js",
            "C:\\shop\\tests\\Sign.php",
        ] {
            assert!(is_test(t), "{t}");
        }
        for t in [
            "core/sign.go",
            "src/main/java/pay/Testimony.java",
            "contest/pay.py",
            "latest/sign.php",
        ] {
            assert!(!is_test(t), "{t}");
        }
    }

    #[test]
    fn key_material_needs_a_body() {
        let body = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA".repeat(3);
        assert!(looks_like_key(&body));
        assert!(looks_like_key(&format!(
            "-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----"
        )));
        assert!(!looks_like_key("-----BEGIN RSA PRIVATE KEY-----\n"));
        assert!(!looks_like_key(&format!("key: {body}")));
        assert!(!looks_like_key("MIIBIjANBgkq"));
    }

    #[test]
    fn loaders_are_read_only_when_one_call_says_so() {
        let go = "x509.ParsePKCS1PrivateKey(b); x509.ParsePKIXPublicKey(p)";
        let (private, public) = loaders(Lang::Go, go);
        assert_eq!(private.map(|p| p.0), Some(Structure::Pkcs1Private));
        assert_eq!(public.map(|p| p.0), Some(Structure::Spki));
        let both = "x509.ParsePKCS1PrivateKey(b); x509.ParsePKCS8PrivateKey(b)";
        assert!(loaders(Lang::Go, both).0.is_none());
        let java = "new PKCS8EncodedKeySpec(bytes)";
        assert_eq!(
            loaders(Lang::Java, java).0.map(|p| p.0),
            Some(Structure::Pkcs8Private)
        );
        let bc = "new PKCS8EncodedKeySpec(b); import org.bouncycastle.openssl.PEMParser;";
        assert!(loaders(Lang::Java, bc).0.is_none());
        assert!(loaders(Lang::Php, "openssl_pkey_get_private").0.is_none());
    }
}
