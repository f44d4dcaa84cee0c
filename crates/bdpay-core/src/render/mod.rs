//! Every byte the tool prints leaves through here: human (miette graphical), JSON, SARIF 2.1.0
//! and GitHub workflow annotations, for findings and for the tool's own errors.

use miette::{GraphicalReportHandler, GraphicalTheme};
use serde_json::json;

pub mod ci;
mod human;
mod machine;
mod probes;
pub mod schema;
mod tools;

use human::human;
use machine::{data, error_json, github, json_report, prop, sarif, sarif_fatal};

pub use human::{human_error, human_finding};
pub use machine::{finding_json, shorten_signature};
pub use probes::{human_probes, json_probes};
pub use tools::{key_inspection, key_match, signed, target_arg, verified};

use crate::error::ToolError;
use crate::finding::{Finding, Summary};
use crate::message::Lang;
use crate::payload::Payload;

/// Output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
    Sarif,
    Github,
    /// One JSON object per line: each finding, then `{"summary": ...}`.
    Ndjson,
    /// JUnit XML: a test suite per input, a failing test case per finding.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
}

/// How to print.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub format: Format,
    pub color: bool,
    pub lang: Lang,
    pub width: usize,
    /// Print signatures in full in machine-readable output (`--show-secrets`).
    pub show_secrets: bool,
}

impl Style {
    /// A style without colour, 100 columns wide, signatures shortened in machine output.
    #[must_use]
    pub const fn plain(format: Format, lang: Lang) -> Self {
        Self {
            format,
            color: false,
            lang,
            width: 100,
            show_secrets: false,
        }
    }

    fn handler(&self) -> GraphicalReportHandler {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        GraphicalReportHandler::new_themed(theme)
            .with_width(self.width)
            .with_links(false)
            .with_break_words(false)
            .with_word_separator(textwrap::WordSeparator::Custom(break_points))
            .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
    }
}

/// Where wrapped text may break: after spaces, after each `&` (a canonical string or a form
/// body wraps between its fields, never inside a name or value, so it can be copied whole), and
/// between CJK characters, which have no spaces.
fn break_points(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    use textwrap::core::Word;
    let mut words = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = i + c.len_utf8();
        if c == ' ' {
            while let Some(&(_, ' ')) = chars.peek() {
                chars.next();
            }
            let end = chars.peek().map_or(line.len(), |&(j, _)| j);
            words.push(Word::from(&line[start..end]));
            start = end;
        } else if c == '&' || c >= '\u{2E80}' {
            words.push(Word::from(&line[start..end]));
            start = end;
        }
    }
    if start < line.len() {
        words.push(Word::from(&line[start..]));
    }
    Box::new(words.into_iter())
}

/// What was read, for the report header.
pub struct Inputs<'a> {
    pub payloads: &'a [Payload],
    /// What became of each payload's signature, in the order of `payloads` (may be empty when
    /// the caller did not check them, as `audit` does not per line).
    pub signatures: &'a [crate::rules::Signature],
    pub config: Option<&'a str>,
    pub errors: &'a [ToolError],
    pub probes: &'a [crate::probe::Probe],
    /// Code files the scanner read (`scan`, `check --scan`).
    pub scanned: usize,
}

/// Renders a whole run.
#[must_use]
pub fn report(findings: &[Finding], inputs: &Inputs<'_>, style: &Style, verbose: bool) -> String {
    match style.format {
        Format::Human => human(findings, inputs, style, verbose),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&json_report(
                findings,
                inputs,
                style.lang,
                style.show_secrets,
            ))
            .unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Sarif => {
            let mut s = serde_json::to_string_pretty(&sarif(findings, inputs, style.lang))
                .unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Github => github(findings, inputs, style.lang),
        Format::Junit => ci::junit(findings, inputs, style.lang),
        Format::Gitlab => ci::gitlab(findings, inputs, style.lang),
        Format::Ndjson => {
            let mut s = String::new();
            for f in findings {
                s.push_str(&finding_json(f, style.lang).to_string());
                s.push('\n');
            }
            s.push_str(&json!({"summary": Summary::of(findings)}).to_string());
            s.push('\n');
            s
        }
    }
}

/// A tool error alone (exit 2), in the chosen format.
#[must_use]
pub fn error(e: &ToolError, style: &Style) -> String {
    match style.format {
        Format::Human => human_error(e, style),
        Format::Github => {
            let mut loc = String::new();
            if let Some(f) = &e.file {
                loc.push_str(&format!(" file={}", prop(f)));
            }
            if let Some(l) = e.line {
                loc.push_str(&format!(",line={l}"));
            }
            if let Some(c) = e.column {
                loc.push_str(&format!(",col={c}"));
            }
            format!("::error{loc}::{}\n", data(e.message.get(style.lang)))
        }
        Format::Sarif => {
            let mut s =
                serde_json::to_string_pretty(&sarif_fatal(e, style.lang)).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Junit => ci::junit_error(e, style.lang),
        Format::Gitlab => ci::gitlab_error(e, style.lang),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(
                &json!({"version": 1, "error": error_json(e, style.lang)}),
            )
            .unwrap_or_default();
            s.push('\n');
            s
        }
        // One object on one line, as every other ndjson line.
        Format::Ndjson => {
            let mut s = json!({"version": 1, "error": error_json(e, style.lang)}).to_string();
            s.push('\n');
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::shorten_signature;

    #[test]
    fn signatures_are_cut_to_their_ends() {
        let sig = "A".repeat(100) + "wxyz";
        let t = format!("POST / HTTP/1.1\r\n\r\norderId=1&rsaSign={sig}&x=1");
        assert_eq!(
            shorten_signature(&t),
            "POST / HTTP/1.1\r\n\r\norderId=1&rsaSign=AAAAAAAA…wxyz&x=1"
        );
        assert_eq!(shorten_signature("a=1&sign=short"), "a=1&sign=short");
    }
}
