//! Machine-readable output: JSON, SARIF 2.1.0 and GitHub workflow annotations, for findings and
//! for the tool's own errors; signatures shortened unless asked otherwise.

use serde_json::{Value as J, json};

use super::{Format, Inputs, Style, error, json_probes, schema};
use crate::error::ToolError;
use crate::finding::{Finding, Severity, Summary};
use crate::message::Lang;
use crate::registry;

pub(super) fn json_report(
    findings: &[Finding],
    inputs: &Inputs<'_>,
    lang: Lang,
    show_secrets: bool,
) -> J {
    let report = schema::Report {
        version: 1,
        diagnostics: findings.iter().map(|f| finding_out(f, lang)).collect(),
        errors: inputs.errors.iter().map(|e| error_out(e, lang)).collect(),
        inputs: inputs
            .payloads
            .iter()
            .enumerate()
            .map(|(i, p)| schema::Input {
                file: p.source.name.clone(),
                form: p.describe_form().get(lang).to_owned(),
                kind: p.kind.as_str().to_owned(),
                signature: inputs.signatures.get(i).map(|s| signature_out(s, lang)),
            })
            .collect(),
        probes: json_probes(inputs.probes, lang, show_secrets),
        scanned_files: (inputs.scanned > 0).then_some(inputs.scanned),
        summary: Summary::of(findings),
    };
    serde_json::to_value(report).unwrap_or_default()
}

/// A payload's signature line: `status` (verified, failed, not-checked, none), the key and
/// fingerprint where known, and the line as people read it.
fn signature_out(sig: &crate::rules::Signature, lang: Lang) -> schema::SignatureLine {
    use crate::rules::Signature;
    let mut out = schema::SignatureLine {
        status: sig.status().to_owned(),
        text: sig.describe().get(lang).to_owned(),
        key: None,
        fingerprint: None,
    };
    match sig {
        Signature::Verified { key, fingerprint } => {
            out.key = Some(key.get(lang).to_owned());
            out.fingerprint = Some(fingerprint.clone());
        }
        Signature::Failed { key } => out.key = Some(key.get(lang).to_owned()),
        Signature::NotChecked { .. } | Signature::None => {}
    }
    out
}

fn finding_out(f: &Finding, lang: Lang) -> schema::Diagnostic {
    let (line, column) = f.line_col();
    schema::Diagnostic {
        code: f.rule.code.clone(),
        name: f.rule.name.clone(),
        severity: f.severity.as_str().to_owned(),
        message: f.diagnostic.message.get(lang).to_owned(),
        help: f.help(lang).to_owned(),
        file: f.diagnostic.source.name.clone(),
        line,
        column,
        span: schema::Span {
            offset: f.diagnostic.span.start,
            length: f.diagnostic.span.len(),
        },
        url: f.rule.url.clone(),
        faq: f.rule.faq.clone(),
    }
}

/// One finding as JSON (the `diagnostics` entries, and each line of ndjson).
#[must_use]
pub fn finding_json(f: &Finding, lang: Lang) -> J {
    serde_json::to_value(finding_out(f, lang)).unwrap_or_default()
}

fn error_out(e: &ToolError, lang: Lang) -> schema::Error {
    schema::Error {
        message: e.message.get(lang).to_owned(),
        help: e.help.as_ref().map(|h| h.get(lang).to_owned()),
        file: e.file.clone(),
        line: e.line,
        column: e.column,
        span: e.snippet.as_ref().map(|s| schema::Span {
            offset: s.span.start,
            length: s.span.len(),
        }),
    }
}

pub(super) fn error_json(e: &ToolError, lang: Lang) -> J {
    serde_json::to_value(error_out(e, lang)).unwrap_or_default()
}

pub(super) fn sarif(findings: &[Finding], inputs: &Inputs<'_>, lang: Lang) -> J {
    let rules = registry::all();
    let driver_rules: Vec<J> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary.get(lang)},
                "fullDescription": {"text": r.summary.get(lang)},
                "help": {"text": r.fix.get(lang), "markdown": r.doc.get(lang)},
                "helpUri": r.url,
                "defaultConfiguration": {"level": sarif_level(r.severity)},
                "properties": {"faq": r.faq},
            })
        })
        .collect();
    let results: Vec<J> = findings
        .iter()
        .map(|f| {
            let src = &f.diagnostic.source;
            let (sl, sc) = src.line_col(f.diagnostic.span.start);
            let (el, ec) = src.line_col(f.diagnostic.span.end);
            let index = rules.iter().position(|r| r.code == f.rule.code).unwrap_or(0);
            json!({
                "ruleId": f.rule.code,
                "ruleIndex": index,
                "level": sarif_level(f.severity),
                "message": {"text": format!("{} ({})", f.diagnostic.message.get(lang), f.help(lang))},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": sarif_uri(&src.name)},
                        "region": {
                            "startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec.max(sc + usize::from(el == sl)),
                            "charOffset": f.diagnostic.span.start, "charLength": f.diagnostic.span.len(),
                        }
                    }
                }],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "bdpay-doctor",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://smartprogram.baidu.com/docs/develop/function/payfaq/",
                "rules": driver_rules,
            }},
            "columnKind": "unicodeCodePoints",
            "artifacts": sarif_artifacts(inputs, lang),
            "invocations": [sarif_invocation(&inputs.errors.iter().collect::<Vec<_>>(), lang)],
            "results": results,
        }]
    })
}

/// The payloads read, each with how it was read and what became of its signature.
fn sarif_artifacts(inputs: &Inputs<'_>, lang: Lang) -> Vec<J> {
    inputs
        .payloads
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut props = json!({"form": p.form.describe().get(lang), "kind": p.kind.as_str()});
            if let Some(sig) = inputs.signatures.get(i) {
                props["signature"] =
                    serde_json::to_value(signature_out(sig, lang)).unwrap_or_default();
            }
            json!({"location": {"uri": sarif_uri(&p.source.name)}, "properties": props})
        })
        .collect()
}

/// The run's invocation: successful unless an input could not be read, each such error a
/// tool execution notification with its place.
fn sarif_invocation(errors: &[&ToolError], lang: Lang) -> J {
    let notes: Vec<J> = errors
        .iter()
        .map(|e| {
            let mut n = json!({
                "level": "error",
                "message": {"text": match &e.help {
                    Some(h) => format!("{} ({})", e.message.get(lang), h.get(lang)),
                    None => e.message.get(lang).to_owned(),
                }},
            });
            if let Some(file) = &e.file {
                let mut region = json!({});
                if let Some(l) = e.line {
                    region["startLine"] = json!(l);
                }
                if let Some(c) = e.column {
                    region["startColumn"] = json!(c);
                }
                let mut loc = json!({"artifactLocation": {"uri": sarif_uri(file)}});
                if region.as_object().is_some_and(|r| !r.is_empty()) {
                    loc["region"] = region;
                }
                n["locations"] = json!([{"physicalLocation": loc}]);
            }
            n
        })
        .collect();
    json!({"executionSuccessful": errors.is_empty(), "toolExecutionNotifications": notes})
}

/// A fatal error alone as a SARIF 2.1.0 log: no results, an unsuccessful invocation that says
/// why, so that code scanning uploads still read it.
#[must_use]
pub(super) fn sarif_fatal(e: &ToolError, lang: Lang) -> J {
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "bdpay-doctor",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://smartprogram.baidu.com/docs/develop/function/payfaq/",
            }},
            "invocations": [sarif_invocation(&[e], lang)],
            "results": [],
        }]
    })
}

const fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn sarif_uri(name: &str) -> String {
    let n = name.strip_prefix("./").unwrap_or(name).replace('\\', "/");
    n.replace('%', "%25").replace(' ', "%20")
}

pub(super) fn github(findings: &[Finding], inputs: &Inputs<'_>, lang: Lang) -> String {
    let mut s = String::new();
    for e in inputs.errors {
        s.push_str(&error(
            e,
            &Style {
                format: Format::Github,
                color: false,
                lang,
                width: 80,
                show_secrets: false,
            },
        ));
    }
    for (i, p) in inputs.payloads.iter().enumerate() {
        match inputs.signatures.get(i) {
            Some(crate::rules::Signature::None) | None => {}
            Some(sig) => s.push_str(&format!(
                "::notice file={},title=signature::{}\n",
                prop(&p.source.name),
                data(sig.describe().get(lang))
            )),
        }
    }
    for f in findings {
        let (l, c) = f.line_col();
        let (el, ec) = f.diagnostic.source.line_col(f.diagnostic.span.end);
        let kind = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        s.push_str(&format!(
            "::{kind} file={},line={l},col={c},endLine={el},endColumn={ec},title={}::{}\n",
            prop(&f.diagnostic.source.name),
            prop(&format!("{} {}", f.rule.code, f.rule.name)),
            data(&format!(
                "{} ({})",
                f.diagnostic.message.get(lang),
                f.help(lang)
            )),
        ));
    }
    s
}

/// Escapes a workflow-command message.
pub(super) fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value.
pub(super) fn prop(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `rsaSign=` and `sign=` values cut to their ends (`abcd…wxyz`), for machine-readable output
/// that may be stored or shared; `--show-secrets` keeps them whole.
#[must_use]
pub fn shorten_signature(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest
        .find("rsaSign=")
        .or_else(|| rest.find("&sign=").map(|j| j + 1))
    {
        let key_len = if rest[i..].starts_with("rsaSign=") {
            8
        } else {
            5
        };
        let start = i + key_len;
        let end = rest[start..]
            .find(['&', '\r', '\n', ' '])
            .map_or(rest.len(), |j| start + j);
        let value = &rest[start..end];
        out.push_str(&rest[..start]);
        if value.chars().count() > 16 {
            let head: String = value.chars().take(8).collect();
            let tail: String = value
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            out.push_str(&format!("{head}…{tail}"));
        } else {
            out.push_str(value);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
