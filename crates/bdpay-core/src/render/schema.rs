//! The JSON output's types: `--format json` and `ndjson` are these serialized, and
//! `bdpay-doctor schema output|ndjson` prints the JSON Schemas generated from them, so the
//! documented shape is the one written.

use schemars::JsonSchema;
use serde::Serialize;

use crate::finding::Summary;

/// A place in the input: byte offset and length.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Span {
    pub offset: usize,
    pub length: usize,
}

/// One finding.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Diagnostic {
    /// The rule's stable code, e.g. `SIG007`.
    pub code: String,
    /// The rule's name, e.g. `sign-fields-wrong`.
    pub name: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    pub message: String,
    /// The change that fixes it (the occurrence's own, else the rule's).
    pub help: String,
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub span: Span,
    /// The platform's documentation page the rule derives from.
    pub url: String,
    /// The FAQ entry the rule derives from (支付常见问题 › …).
    pub faq: String,
}

/// An input that could not be read, or the run's fatal error.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Error {
    pub message: String,
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// What became of a payload's signature.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SignatureLine {
    /// `verified`, `failed`, `not-checked` or `none`.
    pub status: String,
    /// The line as people read it.
    pub text: String,
    /// The key it was checked with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The verifying key's SHA-256 fingerprint, when verified (null when unknown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<Option<String>>,
}

/// A payload read: its form and kind.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Input {
    pub file: String,
    pub form: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureLine>,
}

/// The report of a run (`check`, `diagnose`, `probe`, `simulate`).
#[derive(Debug, Serialize, JsonSchema)]
pub struct Report {
    /// The format's version: 1.
    pub version: u32,
    pub diagnostics: Vec<Diagnostic>,
    /// Inputs that could not be read; the run went on without them (exit 2).
    pub errors: Vec<Error>,
    pub inputs: Vec<Input>,
    /// Live probes of callback URLs: request, addresses, certificate, phases in milliseconds.
    pub probes: serde_json::Value,
    /// Source files the code scanner read (`scan`, `check --scan`); absent when none was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scanned_files: Option<usize>,
    pub summary: Summary,
}

/// A run that stopped on an error (exit 2).
#[derive(Debug, Serialize, JsonSchema)]
pub struct Fatal {
    pub version: u32,
    pub error: Error,
}

/// `--format json`: a report, or the error that stopped the run.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(title = "bdpay-doctor --format json")]
pub enum Document {
    Report(Report),
    Fatal(Fatal),
}

/// The last line of `--format ndjson`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SummaryLine {
    pub summary: Summary,
}

/// One line of `--format ndjson`: a finding, the closing summary, or the error that stopped
/// the run.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(title = "bdpay-doctor --format ndjson (one line)")]
pub enum NdjsonLine {
    Diagnostic(Diagnostic),
    Summary(SummaryLine),
    Fatal(Fatal),
}

/// The JSON Schema of `--format json`.
#[must_use]
pub fn output() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Document)).unwrap_or_default()
}

/// The JSON Schema of one `--format ndjson` line.
#[must_use]
pub fn ndjson() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(NdjsonLine)).unwrap_or_default()
}
