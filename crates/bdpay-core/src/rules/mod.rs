//! The rule engine: a hand-written table of checks, one plain function per rule, run over the
//! config and every payload. Rules report *what* and *where*; the engine stamps the rule's
//! identity and the configured severity, applies ignores and sorts.

pub mod amount;
pub mod audit;
pub mod bizinfo;
pub mod callback;
pub mod config;
pub mod keys;
pub mod order;
pub mod probe;
pub mod refund;
pub mod response;
pub mod signature;
pub mod source;

use std::collections::BTreeMap;

use crate::config::Config;
use crate::finding::{Diagnostic, Finding, Level};
use crate::keys::ring::{Ring, Role};
use crate::message::Msg;
use crate::msg;
use crate::payload::json::{Member, Node};
use crate::payload::{Kind, Payload};
use crate::probe::Probe;
use crate::registry;
use crate::sign::forensics::{self, OtherKey, Verdict};
use crate::sign::{self, Plan, Signer};

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
    ("ORD009", order::request_payment_not_cashier),
    ("BIZ001", bizinfo::bizinfo_not_string),
    ("BIZ002", bizinfo::bizinfo_not_json),
    ("BIZ003", bizinfo::bizinfo_not_object),
    ("BIZ004", bizinfo::bizinfo_tpdata_mismatch),
    ("AMT001", amount::amount_not_integer_fen),
    ("AMT002", amount::test_amount_too_small),
    ("AMT003", amount::test_orders_too_few),
    ("REF001", refund::partial_refund_incomplete),
    ("REF002", refund::refund_exceeds_order),
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
    ("CFG001", config::config_placeholder),
    ("KEY001", keys::key_unreadable),
    ("KEY002", keys::key_header_mismatch),
    ("KEY003", keys::key_whitespace_damage),
    ("KEY004", keys::key_encrypted),
    ("KEY005", keys::key_wrong_kind),
    ("KEY006", keys::key_format_for_language),
    ("KEY007", keys::key_too_small),
    ("KEY008", keys::keypair_mismatch),
    ("KEY009", keys::platform_key_is_own_key),
    ("KEY010", keys::private_key_in_config),
    ("KEY011", keys::key_file_permissions),
    ("SIG001", signature::sign_missing),
    ("SIG002", signature::sign_malformed),
    ("SIG003", signature::sign_plus_became_space),
    ("SIG004", signature::sign_base64_urlsafe),
    ("SIG005", signature::sign_wrong_key),
    ("SIG006", signature::sign_hash_not_sha1),
    ("SIG007", signature::sign_fields_wrong),
    ("SIG008", signature::sign_string_unsorted),
    ("SIG009", signature::sign_values_url_encoded),
    ("SIG010", signature::sign_empty_values_dropped),
    ("SIG011", signature::sign_values_altered),
    ("SIG012", signature::sign_invalid),
    ("PRB001", probe::callback_dns_failed),
    ("PRB002", probe::callback_resolves_private),
    ("PRB003", probe::callback_connect_failed),
    ("PRB004", probe::callback_tls_invalid),
    ("PRB005", probe::callback_cert_expiring),
    ("PRB006", probe::callback_slow),
    ("PRB007", probe::callback_timeout),
    ("PRB008", probe::callback_redirect),
    ("PRB009", probe::callback_http_status),
    ("PRB010", probe::callback_accepts_forged),
    ("PRB011", probe::callback_not_idempotent),
    ("PRB012", probe::callback_answer_unreadable),
    ("AUD001", audit::callback_order_unknown),
    ("AUD002", audit::callback_amount_mismatch),
    ("AUD003", audit::callback_duplicate),
    ("SRC001", source::sign_values_url_encoded_in_code),
    ("SRC002", source::sign_hash_not_sha1_in_code),
    ("SRC003", source::verify_result_as_bool_in_code),
    ("SRC004", source::answer_plain_text_in_code),
    ("SRC005", source::is_consumed_not_2_in_code),
    ("SRC006", source::request_payment_in_code),
    ("SRC007", source::amount_float_in_code),
    ("SRC008", source::bizinfo_not_string_in_code),
    ("SRC009", source::sign_extra_fields_in_code),
    ("SRC010", source::skips_empty_values_in_code),
    ("SRC011", source::joins_unsorted_in_code),
    ("SRC012", source::reads_sign_not_rsasign_in_code),
    ("SRC013", source::writes_pem_header_in_code),
    ("SRC014", source::signs_without_total_in_code),
    ("SRC015", source::hard_codes_fields_in_code),
    ("SRC016", source::verifies_with_own_key_in_code),
];

/// What a rule sees. A rule runs once for the config (`payload` is `None`) and once per payload.
pub struct Ctx<'a> {
    pub payload: Option<&'a Payload>,
    pub config: Option<&'a Config>,
    /// The run's keys, read once.
    pub ring: &'a Ring,
    /// The payload's signature check, when it carries a signature.
    pub verification: Option<&'a Verification>,
    /// Live probes of callback URLs (`probe`, `check --probe`, `simulate`).
    pub probes: &'a [Probe],
    /// What the run knows about the payload beyond its text.
    pub extra: &'a Extra,
    /// The merchant's own orders (`audit --orders`).
    pub orders: Option<&'a crate::audit::Orders>,
    /// What the code scanner found in the merchant's code (`scan`, `check --scan`).
    pub hits: &'a [source::SourceHit],
}

/// A payload's signature check: what is signed, with which key, and the outcome.
pub struct Verification {
    pub plan: Plan,
    /// The key used; `None` when no key was given and only the signature's form was checked.
    pub key: Option<Role>,
    pub diagnosis: Verdict,
}

/// What became of a payload's signature: the line every report shows for each payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signature {
    /// The kind carries no signature (answers).
    None,
    /// Verified with this key (its role, and its SHA-256 fingerprint when known).
    Verified {
        key: Msg,
        fingerprint: Option<String>,
    },
    /// Does not verify with this key; the findings name the cause.
    Failed { key: Msg },
    /// No key to check it with (only its form was checked); `needs` says what would check it.
    NotChecked { needs: Msg },
}

impl Signature {
    /// The signature of `p` checked with the ring's keys.
    #[must_use]
    pub fn of(p: &Payload, ring: &Ring) -> Self {
        Self::from_verification(p, verify_payload(p, ring).as_ref(), ring)
    }

    /// The same from a verification already made (`None` when there was nothing to check with
    /// a key and the signature's form was fine).
    #[must_use]
    pub fn from_verification(p: &Payload, v: Option<&Verification>, ring: &Ring) -> Self {
        let not_checked = |signer| Self::NotChecked {
            needs: match signer {
                Signer::Merchant => msg!(
                    "[keys] developer_public_key or private_key in the config, or --key",
                    "配置 [keys] 中的 developer_public_key（开发者公钥）或 private_key（私钥），或 --key"
                ),
                Signer::Platform => msg!(
                    "[keys] platform_public_key in the config, or --key",
                    "配置 [keys] 中的 platform_public_key（平台公钥），或 --key"
                ),
            },
        };
        let Some(v) = v else {
            return sign::plan(p).map_or(Self::None, |plan| not_checked(plan.signer));
        };
        let Some(role) = v.key else {
            return not_checked(v.plan.signer);
        };
        let key = role.name();
        if v.diagnosis.is_valid() {
            let fingerprint = ring
                .get(role)
                .and_then(|e| e.read.as_ref().ok())
                .and_then(crate::keys::Key::fingerprint);
            Self::Verified { key, fingerprint }
        } else {
            Self::Failed { key }
        }
    }

    /// A stable name for machine-readable output.
    #[must_use]
    pub const fn status(&self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Verified { .. } => "verified",
            Self::Failed { .. } => "failed",
            Self::NotChecked { .. } => "not-checked",
        }
    }

    /// The signature line, for people.
    #[must_use]
    pub fn describe(&self) -> Msg {
        match self {
            Self::None => msg!(
                "no signature (this kind is not signed)",
                "无签名（此类报文不签名）"
            ),
            Self::Verified {
                key,
                fingerprint: Some(f),
            } => msg!(
                "✓ signature verified with {key} ({f})",
                "✓ 签名已用{key}验证通过（{f}）";
                key = key
            ),
            Self::Verified {
                key,
                fingerprint: None,
            } => msg!(
                "✓ signature verified with {key}",
                "✓ 签名已用{key}验证通过";
                key = key
            ),
            Self::Failed { key } => msg!(
                "✗ signature does not verify with {key}: see the SIG finding for the cause",
                "✗ 签名无法用{key}验证：原因见 SIG 类问题";
                key = key
            ),
            Self::NotChecked { needs } => msg!(
                "signature not checked: no key (give {needs} to check it)",
                "签名未验证：没有密钥（提供{needs}即可验签）";
                needs = needs
            ),
        }
    }
}

/// Checks a payload's signature with the ring's keys (or, with none, its form only).
#[must_use]
pub fn verify_payload(p: &Payload, ring: &Ring) -> Option<Verification> {
    let plan = sign::plan(p)?;
    let found = match plan.signer {
        Signer::Merchant => ring.merchant_public(),
        Signer::Platform => ring.platform_public(),
    };
    let (key, diagnosis) = match found {
        Some((role, key)) => {
            let others = ring.others(role);
            let others: Vec<OtherKey<'_>> = others
                .iter()
                .map(|(name, key)| OtherKey { name, key })
                .collect();
            (Some(role), forensics::diagnose(p, &plan, key, &others))
        }
        None => (None, forensics::syntax_only(p, &plan)?),
    };
    Some(Verification {
        plan,
        key,
        diagnosis,
    })
}

impl<'a> Ctx<'a> {
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
    reports: Vec<Diagnostic>,
}

impl Sink {
    pub fn report(&mut self, r: Diagnostic) {
        self.reports.push(r);
    }
}

/// Engine settings from the command line.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Run only these codes (tests, `--select`).
    pub only: Option<Vec<String>>,
    /// Severity overrides from the command line; they win over the config.
    pub levels: BTreeMap<&'static str, Level>,
    /// A key given with `--key`: its name and bytes.
    pub key: Option<(String, Vec<u8>)>,
    /// The merchant's orders, to check callbacks against (`audit --orders`).
    pub orders: Option<std::sync::Arc<crate::audit::Orders>>,
}

/// Runs every enabled rule over the config and the payloads.
#[must_use]
pub fn lint(config: Option<&Config>, payloads: &[Payload], settings: &Settings) -> Vec<Finding> {
    lint_run(config, payloads, &[], settings)
}

/// [`lint`], with the results of live probes.
#[must_use]
pub fn lint_run(
    config: Option<&Config>,
    payloads: &[Payload],
    probes: &[Probe],
    settings: &Settings,
) -> Vec<Finding> {
    let engine = Engine::new(config, settings);
    let mut findings = engine.lint(payloads, &[], probes, true);
    sort(&mut findings);
    findings
}

/// Masks private key material a message may quote from a pasted value, before any renderer
/// wraps it across lines where the output filter could no longer see it whole, and shortens
/// long quoted values.
fn mask(r: &mut crate::finding::Diagnostic) {
    let clean_one = |t: &mut String| {
        if let Some(m) = crate::redact::redact(t) {
            *t = m;
        }
        // A quoted pasted value is shortened: a 1 MB value stays one line of output.
        if let Some(m) = crate::text::shorten(t) {
            *t = m;
        }
    };
    let clean = |m: &mut Msg| {
        clean_one(&mut m.en);
        clean_one(&mut m.zh);
    };
    clean(&mut r.message);
    clean(&mut r.label);
    if let Some(h) = &mut r.help {
        clean(h);
    }
    for (_, l) in &mut r.labels {
        clean(l);
    }
    for rel in &mut r.related {
        clean(&mut rel.message);
        clean(&mut rel.label);
    }
}

/// Sorts findings by file, place and code.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            &a.diagnostic.source.name,
            a.diagnostic.span.start,
            &a.rule.code,
        )
            .cmp(&(
                &b.diagnostic.source.name,
                b.diagnostic.span.start,
                &b.rule.code,
            ))
    });
}

/// What a run knows about a payload beyond its text (set by `audit`).
#[derive(Debug, Clone, Default)]
pub struct Extra {
    /// Where the same callback (same orderId or refundBatchId) was delivered first.
    pub duplicate_of: Option<String>,
}

/// The rules of a run with their severities resolved, and its keys read, once: `audit` lints a
/// million lines with one engine.
pub struct Engine<'a> {
    config: Option<&'a Config>,
    settings: &'a Settings,
    pub ring: Ring,
    active: Vec<(
        &'static str,
        Check,
        &'static crate::registry::RuleMeta,
        crate::finding::Severity,
    )>,
}

impl<'a> Engine<'a> {
    /// `--their-string`: each way the merchant's own string differs from the canonical one, as
    /// a finding of its rule (SIG007–SIG012) on that string, so it is in the same report and
    /// counted in the exit code. Nothing when the payload signs nothing or the rule is allowed.
    #[must_use]
    pub fn their_string(&self, p: &Payload, theirs: &str) -> Vec<Finding> {
        let Some(plan) = sign::plan(p) else {
            return Vec::new();
        };
        let expected = plan.canonical();
        let query: Vec<&str> = p.query.iter().map(|m| m.key.as_str()).collect();
        let known = sign::known_names(p, &plan);
        let source = crate::source::SourceFile::new("<their string>", theirs);
        let canonical = sign::visible(&expected);
        sign::compare::compare(theirs, &expected, &known, &query)
            .into_iter()
            .filter_map(|(d, span)| {
                let &(_, _, rule, severity) = self.active.iter().find(|a| a.0 == d.code())?;
                let diagnostic = Diagnostic::new(&source, span, d.describe())
                    .label(msg!("in your string", "你的签名串"))
                    .help(msg!(
                        "the canonical string: {canonical}",
                        "正确的签名串：{canonical}"
                    ));
                Some(Finding {
                    rule,
                    severity,
                    diagnostic,
                })
            })
            .collect()
    }

    #[must_use]
    pub fn new(config: Option<&'a Config>, settings: &'a Settings) -> Self {
        let mut ring = config.map(Ring::from_config).unwrap_or_default();
        if let Some((name, bytes)) = &settings.key {
            ring.add_given(name, bytes);
        }
        let active = CHECKS
            .iter()
            .filter(|(code, _)| {
                settings
                    .only
                    .as_ref()
                    .is_none_or(|o| o.iter().any(|c| c == code))
            })
            .filter_map(|&(code, check)| {
                let rule = registry::find(code)?;
                let level = settings
                    .levels
                    .get(code)
                    .or_else(|| config.and_then(|c| c.lint.severity.get(code)))
                    .copied();
                let severity = match level {
                    Some(l) => l.severity()?,
                    None => rule.severity,
                };
                Some((code, check, rule, severity))
            })
            .collect();
        Self {
            config,
            settings,
            ring,
            active,
        }
    }

    /// Lints payloads (with their extras, when given) and probes; `with_config` also runs the
    /// rules on the config itself. Findings come out in rule order.
    #[must_use]
    pub fn lint(
        &self,
        payloads: &[Payload],
        extras: &[Extra],
        probes: &[Probe],
        with_config: bool,
    ) -> Vec<Finding> {
        let verifications: Vec<Option<Verification>> = payloads
            .iter()
            .map(|p| verify_payload(p, &self.ring))
            .collect();
        self.lint_verified(payloads, &verifications, extras, probes, with_config)
    }

    /// [`Engine::lint`] with the payloads' signature checks already made (one per payload).
    #[must_use]
    pub fn lint_verified(
        &self,
        payloads: &[Payload],
        verifications: &[Option<Verification>],
        extras: &[Extra],
        probes: &[Probe],
        with_config: bool,
    ) -> Vec<Finding> {
        let config = self.config;
        let none = Extra::default();
        let orders = self.settings.orders.as_deref();
        let config_ctx = (with_config && (config.is_some() || !probes.is_empty())).then_some(Ctx {
            payload: None,
            config,
            ring: &self.ring,
            verification: None,
            probes,
            extra: &none,
            orders,
            hits: &[],
        });
        // One context per payload, built once and shown to every rule.
        let ctxs: Vec<Ctx<'_>> = payloads
            .iter()
            .enumerate()
            .map(|(i, p)| Ctx {
                payload: Some(p),
                config,
                ring: &self.ring,
                verification: verifications.get(i).and_then(Option::as_ref),
                probes: &[],
                extra: extras.get(i).unwrap_or(&none),
                orders,
                hits: &[],
            })
            .collect();
        let mut findings = Vec::new();
        for &(code, check, rule, severity) in &self.active {
            let mut sink = Sink::default();
            for ctx in config_ctx.iter().chain(&ctxs) {
                check(ctx, &mut sink);
            }
            self.finish(code, rule, severity, sink, &mut findings);
        }
        findings
    }

    /// A rule's reports as findings: `[lint]` ignores applied, private key material masked.
    fn finish(
        &self,
        code: &str,
        rule: &'static crate::registry::RuleMeta,
        severity: crate::finding::Severity,
        sink: Sink,
        findings: &mut Vec<Finding>,
    ) {
        for mut report in sink.reports {
            if self
                .config
                .is_some_and(|c| c.lint.ignores(code, &report.source.name))
            {
                continue;
            }
            mask(&mut report);
            findings.push(Finding {
                rule,
                severity,
                diagnostic: report,
            });
        }
    }
}

impl Engine<'_> {
    /// The run's config, when it has one.
    #[must_use]
    pub(crate) const fn config(&self) -> Option<&Config> {
        self.config
    }

    /// Whether the run checks callbacks against the merchant's orders (`--orders`).
    #[must_use]
    pub(crate) fn has_orders(&self) -> bool {
        self.settings.orders.is_some()
    }

    /// The code scanner's hits as findings: the SRC rules forward them, so selection, severity,
    /// `[lint]` ignores and masking are those of every other rule.
    #[must_use]
    pub fn lint_hits(&self, hits: &[source::SourceHit]) -> Vec<Finding> {
        self.lint_family(registry::Family::Source, &self.ring, hits)
    }

    /// The key rules on keys written as string literals in code (`scan`), each key alone with
    /// its file's language: what a key is for is not known, so the rules relating two keys do
    /// not run on them.
    #[must_use]
    pub fn lint_code_keys(&self, keys: &[crate::keys::ring::CodeKey]) -> Vec<Finding> {
        keys.iter()
            .flat_map(|key| self.lint_family(registry::Family::Keys, &Ring::from_code(key), &[]))
            .collect()
    }

    /// One family's active rules, once, with no payload and no config: on the scanner's hits or
    /// on one key's ring.
    fn lint_family(
        &self,
        family: registry::Family,
        ring: &Ring,
        hits: &[source::SourceHit],
    ) -> Vec<Finding> {
        let none = Extra::default();
        let ctx = Ctx {
            payload: None,
            config: None,
            ring,
            verification: None,
            probes: &[],
            extra: &none,
            orders: None,
            hits,
        };
        let mut findings = Vec::new();
        for &(code, check, rule, severity) in &self.active {
            if rule.family() != family {
                continue;
            }
            let mut sink = Sink::default();
            check(&ctx, &mut sink);
            self.finish(code, rule, severity, sink, &mut findings);
        }
        findings
    }
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
                .map(|k| (crate::registry::edit_distance(key, k), k))
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
