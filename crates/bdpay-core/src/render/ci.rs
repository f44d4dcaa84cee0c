//! Formats for CI systems that are not GitHub: JUnit XML (Jenkins, GitLab test reports, Azure
//! Pipelines, CircleCI) and GitLab Code Quality JSON (merge request widgets).

use serde_json::{Value as J, json};
use sha1::{Digest as _, Sha1};

use super::Inputs;
use crate::error::ToolError;
use crate::finding::{Finding, Severity};
use crate::message::Lang;

/// Text as XML 1.0 character data or attribute value: the five special characters escaped and
/// the characters XML cannot hold (most C0 controls) replaced by U+FFFD.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: a test suite per input (config and payloads), a failing test case per finding, an
/// erroring one per input that could not be read, a passing one for an input without findings.
#[must_use]
pub fn junit(findings: &[Finding], inputs: &Inputs<'_>, lang: Lang) -> String {
    // Inputs in the order read, then any file only the findings name (a key file).
    let mut files: Vec<String> = inputs.config.map(str::to_owned).into_iter().collect();
    files.extend(inputs.payloads.iter().map(|p| p.source.name.clone()));
    for f in findings {
        if !files.contains(&f.diagnostic.source.name) {
            files.push(f.diagnostic.source.name.clone());
        }
    }
    for e in inputs.errors {
        let name = e.file.clone().unwrap_or_default();
        if !files.contains(&name) {
            files.push(name);
        }
    }
    let mut suites = String::new();
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for file in &files {
        let mine: Vec<&Finding> = findings
            .iter()
            .filter(|f| &f.diagnostic.source.name == file)
            .collect();
        let errs: Vec<&ToolError> = inputs
            .errors
            .iter()
            .filter(|e| e.file.as_deref().unwrap_or_default() == file)
            .collect();
        let mut cases = String::new();
        for f in &mine {
            let (line, col) = f.line_col();
            let message = f.diagnostic.message.get(lang);
            let body = format!("{file}:{line}:{col}: {message}\n{}", f.help(lang));
            cases.push_str(&format!(
                "    <testcase name=\"{code} {name}\" classname=\"{cls}\" file=\"{cls}\" line=\"{line}\">\n      <failure type=\"{sev}\" message=\"{msg}\">{body}</failure>\n    </testcase>\n",
                code = xml(&f.rule.code),
                name = xml(&f.rule.name),
                cls = xml(file),
                sev = f.severity.as_str(),
                msg = xml(message),
                body = xml(&body),
            ));
        }
        for e in &errs {
            let message = e.message.get(lang);
            cases.push_str(&format!(
                "    <testcase name=\"read\" classname=\"{cls}\" file=\"{cls}\">\n      <error type=\"input\" message=\"{msg}\">{msg}</error>\n    </testcase>\n",
                cls = xml(file),
                msg = xml(message),
            ));
        }
        if mine.is_empty() && errs.is_empty() {
            cases.push_str(&format!(
                "    <testcase name=\"bdpay-doctor\" classname=\"{cls}\" file=\"{cls}\"/>\n",
                cls = xml(file)
            ));
        }
        let n = mine.len() + errs.len() + usize::from(mine.is_empty() && errs.is_empty());
        tests += n;
        failures += mine.len();
        errors += errs.len();
        suites.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{}\" errors=\"{}\">\n{cases}  </testsuite>\n",
            xml(file),
            mine.len(),
            errs.len()
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"bdpay-doctor\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{suites}</testsuites>\n"
    )
}

/// A tool error alone (exit 2) as JUnit: one erroring test case.
#[must_use]
pub fn junit_error(e: &ToolError, lang: Lang) -> String {
    let file = e.file.as_deref().unwrap_or("bdpay-doctor");
    let msg = xml(e.message.get(lang));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"bdpay-doctor\" tests=\"1\" failures=\"0\" errors=\"1\">\n  <testsuite name=\"{f}\" tests=\"1\" failures=\"0\" errors=\"1\">\n    <testcase name=\"bdpay-doctor\" classname=\"{f}\">\n      <error type=\"input\" message=\"{msg}\">{msg}</error>\n    </testcase>\n  </testsuite>\n</testsuites>\n",
        f = xml(file)
    )
}

/// GitLab's severities: blocker, critical, major, minor, info.
const fn gitlab_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// A fingerprint that stays the same while the finding does: code, file, place and message.
fn fingerprint(parts: &[&str]) -> String {
    let mut h = Sha1::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize()
        .iter()
        .fold(String::with_capacity(40), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// GitLab Code Quality: a JSON array of issues.
#[must_use]
pub fn gitlab(findings: &[Finding], inputs: &Inputs<'_>, lang: Lang) -> String {
    let mut issues: Vec<J> = findings
        .iter()
        .map(|f| {
            let (line, _) = f.line_col();
            let message = f.diagnostic.message.get(lang);
            let span = format!("{}+{}", f.diagnostic.span.start, f.diagnostic.span.len());
            json!({
                "type": "issue",
                "check_name": f.rule.code,
                "description": format!("{} {}: {message}", f.rule.code, f.rule.name),
                "content": {"body": f.help(lang)},
                "categories": ["Bug Risk"],
                "severity": gitlab_severity(f.severity),
                "fingerprint": fingerprint(&[&f.rule.code, &f.diagnostic.source.name, &span, message]),
                "location": {"path": f.diagnostic.source.name, "lines": {"begin": line}},
            })
        })
        .collect();
    issues.extend(inputs.errors.iter().map(|e| gitlab_error_issue(e, lang)));
    let mut s = serde_json::to_string_pretty(&J::Array(issues)).unwrap_or_default();
    s.push('\n');
    s
}

fn gitlab_error_issue(e: &ToolError, lang: Lang) -> J {
    let message = e.message.get(lang);
    let path = e.file.clone().unwrap_or_else(|| "bdpay-doctor".to_owned());
    json!({
        "type": "issue",
        "check_name": "bdpay-doctor",
        "description": message,
        "categories": ["Bug Risk"],
        "severity": "blocker",
        "fingerprint": fingerprint(&["error", &path, message]),
        "location": {"path": path, "lines": {"begin": e.line.unwrap_or(1)}},
    })
}

/// A tool error alone (exit 2) as GitLab Code Quality: one blocker issue.
#[must_use]
pub fn gitlab_error(e: &ToolError, lang: Lang) -> String {
    let mut s = serde_json::to_string_pretty(&J::Array(vec![gitlab_error_issue(e, lang)]))
        .unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn xml_escapes_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            xml("a<b>&\"'\u{1}\u{b}c\n"),
            "a&lt;b&gt;&amp;&quot;&apos;\u{FFFD}\u{FFFD}c\n"
        );
    }
}
