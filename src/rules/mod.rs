//! The rule engine: a hand-written table of checks, one plain function per rule, run over the
//! config and every payload. Rules report *what* and *where*; the engine stamps the rule's
//! identity and the configured severity, applies ignores and sorts.

pub mod amount;
pub mod bizinfo;
pub mod callback;
pub mod order;
pub mod response;

use std::collections::BTreeMap;

use crate::config::Config;
use crate::finding::{Finding, Level, Report};
use crate::payload::json::{Member, Node};
use crate::payload::{Kind, Payload};
use crate::registry::{self, Lang};

/// A rule: looks at the context and reports through the sink.
pub type Check = fn(&Ctx<'_>, &mut Sink);

/// Every rule's logic, by code, in catalogue order.
pub const CHECKS: &[(&str, Check)] = &[
    ("ORD001", order::orderinfo_not_object),
    ("ORD002", order::orderinfo_missing_field),
    ("ORD003", order::field_name_case),
    ("ORD004", order::sign_fields_range_not_1),
    ("ORD005", order::value_not_string),
    ("ORD006", order::appkey_is_smartapp_key),
    ("ORD007", order::appkey_mismatch),
    ("ORD008", order::dealid_mismatch),
    ("BIZ001", bizinfo::bizinfo_not_string),
    ("BIZ002", bizinfo::bizinfo_not_json),
    ("BIZ003", bizinfo::bizinfo_not_object),
    ("BIZ004", bizinfo::bizinfo_tpdata_mismatch),
    ("AMT001", amount::amount_not_integer_fen),
    ("AMT002", amount::test_amount_too_small),
    ("AMT003", amount::test_orders_too_few),
    ("RSP001", response::response_not_json),
    ("RSP002", response::response_errno_missing),
    ("RSP003", response::response_errno_not_integer),
    ("RSP004", response::response_errno_not_zero),
    ("RSP005", response::response_msg_missing),
    ("RSP006", response::response_data_wrong_type),
    ("RSP007", response::notify_is_consumed_not_2),
    ("RSP008", response::notify_error_order),
    ("RSP009", response::refund_audit_status_invalid),
    ("RSP010", response::refund_audit_pending),
    ("RSP011", response::refund_pay_money_not_integer_fen),
    ("RSP012", response::refund_audit_shape),
    ("CBU001", callback::callback_url_missing),
    ("CBU002", callback::callback_url_not_public),
    ("CBU003", callback::callback_url_not_https),
    ("CBU004", callback::callback_url_query_params),
];

/// What a rule sees. A rule runs once for the config (`payload` is `None`) and once per payload.
pub struct Ctx<'a> {
    pub payload: Option<&'a Payload>,
    pub config: Option<&'a Config>,
    pub lang: Lang,
}

impl<'a> Ctx<'a> {
    /// The message in the output language.
    #[must_use]
    pub fn t(&self, en: String, zh: String) -> String {
        self.lang.pick(en, zh)
    }

    /// The payload, when it is of one of `kinds`.
    #[must_use]
    pub fn payload_of(&self, kinds: &[Kind]) -> Option<&'a Payload> {
        self.payload.filter(|p| kinds.contains(&p.kind))
    }

    /// The config, when the rule runs on the config itself.
    #[must_use]
    pub fn config_only(&self) -> Option<&'a Config> {
        if self.payload.is_none() {
            self.config
        } else {
            None
        }
    }
}

/// Collects the reports of one rule.
#[derive(Default)]
pub struct Sink {
    reports: Vec<Report>,
}

impl Sink {
    pub fn report(&mut self, r: Report) {
        self.reports.push(r);
    }
}

/// Engine settings from the command line.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub lang: Lang,
    /// Run only these codes (tests, `--select`).
    pub only: Option<Vec<String>>,
    /// Severity overrides from the command line; they win over the config.
    pub levels: BTreeMap<&'static str, Level>,
}

/// Runs every enabled rule over the config and the payloads.
#[must_use]
pub fn lint(config: Option<&Config>, payloads: &[Payload], settings: &Settings) -> Vec<Finding> {
    let mut findings = Vec::new();
    for &(code, check) in CHECKS {
        if settings
            .only
            .as_ref()
            .is_some_and(|o| !o.iter().any(|c| c == code))
        {
            continue;
        }
        let Some(rule) = registry::find(code) else {
            continue;
        };
        let level = settings
            .levels
            .get(code)
            .or_else(|| config.and_then(|c| c.lint.severity.get(code)))
            .copied();
        let severity = match level {
            Some(l) => match l.severity() {
                Some(s) => s,
                None => continue,
            },
            None => rule.severity,
        };
        let mut sink = Sink::default();
        if config.is_some() {
            check(
                &Ctx {
                    payload: None,
                    config,
                    lang: settings.lang,
                },
                &mut sink,
            );
        }
        for p in payloads {
            check(
                &Ctx {
                    payload: Some(p),
                    config,
                    lang: settings.lang,
                },
                &mut sink,
            );
        }
        for report in sink.reports {
            if config.is_some_and(|c| c.lint.ignores(code, &report.source.name)) {
                continue;
            }
            findings.push(Finding {
                rule,
                severity,
                report,
            });
        }
    }
    findings.sort_by(|a, b| {
        (&a.report.source.name, a.report.span.start, &a.rule.code).cmp(&(
            &b.report.source.name,
            b.report.span.start,
            &b.rule.code,
        ))
    });
    findings
}

/// A known field whose name is close to `key`: the same letters in another case, or one or two
/// typos away (`dealID`, `deadId`, `dealld`).
#[must_use]
pub fn near_miss<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    if known.contains(&key) || key.contains('_') {
        return None;
    }
    known
        .iter()
        .find(|k| k.eq_ignore_ascii_case(key))
        .or_else(|| {
            let max = if key.len() <= 6 { 1 } else { 2 };
            known
                .iter()
                .map(|k| (crate::util::edit_distance(key, k), k))
                .filter(|(d, _)| *d <= max)
                .min_by_key(|(d, _)| *d)
                .map(|(_, k)| k)
        })
        .copied()
}

/// The member of `node` that is a near miss of `field`, if any.
#[must_use]
pub fn near_member<'n>(node: &'n Node, field: &str) -> Option<&'n Member> {
    node.members()
        .iter()
        .find(|m| m.key != field && near_miss(&m.key, &[field]).is_some())
}
