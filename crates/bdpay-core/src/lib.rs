//! The engine of bdpay-doctor: reads what merchants paste (payloads, configs, keys, callback
//! logs), runs the FAQ-derived rules, signs and verifies as the platform does, names the cause of
//! a failing signature and renders every report to a `String`.
//!
//! It does no IO: no files, environment, network, threads, clocks or terminal. The caller (the
//! CLI shell, the WASM binding) reads inputs, passes text and bytes in, and prints what comes out.
//!
//! The facade is four functions: [`diagnose`] one pasted text, [`check`] a config and payloads,
//! [`explain`] a code or a rule, [`render`] a report in any format and language. The modules
//! below are the parts, for callers that need more (the CLI's `audit` and `probe`).
//!
//! ```
//! use bdpay_core::{Options, diagnose, render};
//! use bdpay_core::message::Lang;
//! use bdpay_core::render::{Format, Style};
//!
//! // A merchant's callback answer, pasted as it was sent: plain text, not JSON.
//! let d = diagnose("answer.txt", "success", None, &Options::kind("notify-response")).unwrap();
//! assert_eq!(d.findings[0].rule.code, "RSP001");
//! let text = render(&d.report(), &Style::plain(Format::Human, Lang::Zh));
//! assert!(text.contains("不是 JSON"));
//! ```

pub mod audit;
pub mod config;
pub mod error;
pub mod explain;
pub mod fastrsa;
pub mod finding;
pub mod input;
pub mod keys;
pub mod message;
pub mod payload;
pub mod probe;
pub mod redact;
pub mod registry;
pub mod render;
pub mod rules;
pub mod sign;
pub mod source;
pub mod text;

use std::collections::BTreeMap;
use std::sync::Arc;

use config::Config;
use error::ToolError;
use finding::{Finding, Level};

use payload::{Kind, Payload};
use render::Style;

/// What a caller chooses for a run of [`diagnose`] or [`check`]. `Options::default()` runs every
/// rule at its configured severity.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The payload kind, instead of detecting it.
    pub kind: Option<Kind>,
    /// A key to verify signatures with (its name for messages, and its bytes in any form).
    pub key: Option<(String, Vec<u8>)>,
    /// Run only these rule codes.
    pub only: Option<Vec<String>>,
    /// Severity overrides by code; they win over the config.
    pub levels: BTreeMap<&'static str, Level>,
    /// The merchant's orders, to check callbacks against.
    pub orders: Option<Arc<audit::Orders>>,
    /// The payloads are a log of received callbacks, in order: repeated deliveries of one
    /// orderId or refundBatchId are reported.
    pub as_log: bool,
}

impl Options {
    /// Options that force a kind by its name (`order`, `notify`, `notify-response`, …); an
    /// unknown name forces nothing.
    #[must_use]
    pub fn kind(name: &str) -> Self {
        Self {
            kind: Kind::ALL.into_iter().find(|k| k.as_str() == name),
            ..Self::default()
        }
    }

    fn settings(&self) -> rules::Settings {
        rules::Settings {
            only: self.only.clone(),
            levels: self.levels.clone(),
            key: self.key.clone(),
            orders: self.orders.clone(),
        }
    }
}

/// What a run found, ready for [`render`].
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// The payloads read, for the header of a diagnosis.
    pub payloads: Vec<Payload>,
    /// What became of each payload's signature, in the order of `payloads`.
    pub signatures: Vec<Signature>,
    /// The config's name, when one was linted.
    pub config: Option<String>,
    /// Inputs that could not be read; the run goes on without them.
    pub errors: Vec<ToolError>,
    /// One pasted payload: the human report says how it was read.
    pub single: bool,
}

/// One pasted text, read and diagnosed.
#[derive(Debug)]
pub struct Diagnosis {
    /// How the text was read: its form, kind, and why that kind.
    pub payload: Payload,
    /// What became of its signature.
    pub signature: Signature,
    pub findings: Vec<Finding>,
}

pub use rules::Signature;

impl Diagnosis {
    /// The diagnosis as a report of one payload.
    #[must_use]
    pub fn report(&self) -> Report {
        Report {
            findings: self.findings.clone(),
            payloads: vec![self.payload.clone()],
            signatures: vec![self.signature.clone()],
            config: None,
            errors: Vec::new(),
            single: true,
        }
    }
}

/// Reads one pasted text (`name` is how messages call it: a file name, `<stdin>`), runs every
/// rule that bears on it, and verifies its signature with the key of `options` or the config's.
pub fn diagnose(
    name: &str,
    text: &str,
    config: Option<&Config>,
    options: &Options,
) -> Result<Diagnosis, ToolError> {
    let src = source::SourceFile::new(name, text);
    let p = payload::read(&src, options.kind)?;
    let settings = options.settings();
    let engine = rules::Engine::new(config, &settings);
    let verification = rules::verify_payload(&p, &engine.ring);
    let signature = Signature::from_verification(&p, verification.as_ref(), &engine.ring);
    let payloads = std::slice::from_ref(&p);
    let mut findings = engine.lint_verified(
        payloads,
        std::slice::from_ref(&verification),
        &[],
        &[],
        true,
    );
    rules::sort(&mut findings);
    Ok(Diagnosis {
        payload: p,
        signature,
        findings,
    })
}

/// Lints a config and payloads together, as `check` does.
#[must_use]
pub fn check(config: Option<&Config>, payloads: Vec<Payload>, options: &Options) -> Report {
    let settings = options.settings();
    let engine = rules::Engine::new(config, &settings);
    let extras: Vec<rules::Extra> = if options.as_log {
        let mut seen = audit::Duplicates::default();
        payloads
            .iter()
            .enumerate()
            .map(|(i, p)| rules::Extra {
                duplicate_of: audit::delivery_key(&p.source.text)
                    .and_then(|k| seen.check(&[&k], u32::try_from(i).unwrap_or(u32::MAX)))
                    .and_then(|first| payloads.get(first as usize))
                    .map(|first| first.source.name.clone()),
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut findings = engine.lint(&payloads, &extras, &[], true);
    rules::sort(&mut findings);
    let signatures = payloads
        .iter()
        .map(|p| Signature::of(p, &engine.ring))
        .collect();
    Report {
        findings,
        payloads,
        signatures,
        config: config.map(|c| c.source.name.clone()),
        errors: Vec::new(),
        single: false,
    }
}

/// A rule's documentation or a platform code's causes, in the language and format asked.
pub fn explain(query: &str, style: &Style) -> Result<String, ToolError> {
    explain::explain(query, style.lang, style.format)
}

/// A report in the style's format and language: human text, JSON, SARIF or GitHub annotations.
#[must_use]
pub fn render(report: &Report, style: &Style) -> String {
    let inputs = render::Inputs {
        payloads: &report.payloads,
        signatures: &report.signatures,
        config: report.config.as_deref(),
        errors: &report.errors,
        probes: &[],
        scanned: 0,
    };
    render::report(&report.findings, &inputs, style, report.single)
}

/// The starter config written by `init`, with its comments in English.
pub const STARTER_CONFIG: &str = include_str!("starter.toml");

/// The starter config with its comments in Chinese; the settings are the same.
pub const STARTER_CONFIG_ZH: &str = include_str!("starter.zh.toml");

/// The starter config for `lang`.
#[must_use]
pub const fn starter_config(lang: message::Lang) -> &'static str {
    match lang {
        message::Lang::En => STARTER_CONFIG,
        message::Lang::Zh => STARTER_CONFIG_ZH,
    }
}

/// A file of the repository's `fixtures/`, for the unit tests (cargo runs them in this crate's
/// directory).
#[cfg(test)]
fn fixture(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}
