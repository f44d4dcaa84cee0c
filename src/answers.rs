//! The answers probes brought back, as payloads for the answer rules: shared by `check --probe`,
//! `probe` and `simulate`, and compiled in every build (the probes themselves are native only).

use bdpay_core::finding::Finding;
use bdpay_core::payload::Payload;
use bdpay_core::probe::Probe;

/// Answer rules that apply to a handler's rejection of a callback it cannot verify: only the
/// answer's shape, not the success contents.
const SHAPE_RULES: [&str; 4] = ["RSP001", "RSP002", "RSP003", "RSP005"];

/// The answers to lint: each probe's first 200 answer.
#[must_use]
pub fn answers(probes: &[Probe]) -> Vec<Payload> {
    probes.iter().filter_map(|p| p.answer.clone()).collect()
}

/// Drops findings about the contents of answers that rightly rejected a forged callback.
pub fn filter_rejections(findings: &mut Vec<Finding>, probes: &[Probe]) {
    let rejected: Vec<&str> = probes
        .iter()
        .filter(|p| !p.signed_validly)
        .filter_map(|p| p.answer.as_ref())
        .filter(|a| bdpay_core::probe::says_error(a))
        .map(|a| a.source.name.as_str())
        .collect();
    findings.retain(|f| {
        !rejected.contains(&f.diagnostic.source.name.as_str())
            || SHAPE_RULES.contains(&f.rule.code.as_str())
    });
}
