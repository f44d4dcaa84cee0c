//! The `probe` and `simulate` commands, and `check --probe`: targets from the config or the
//! command line, the requests, and the lint of what came back.

use std::sync::Arc;
use std::time::Duration;

use crate::cli::{CallbackKind, ProbeOptions, SimulateArgs};
use crate::probe::{self, Options};
use bdpay_core::config::Config;
use bdpay_core::error::ToolError;
use bdpay_core::msg;
use bdpay_core::payload::Kind;
use bdpay_core::probe::{Probe, Target};
use bdpay_core::source::{SourceFile, Span};

/// Requests per URL when `--runs` is not given.
const DEFAULT_RUNS: u16 = 5;

/// Probe options from the command line.
pub fn options(o: &ProbeOptions, max: u64) -> Result<Options, ToolError> {
    if !(o.timeout > 0.0 && o.timeout <= 60.0) {
        return Err(ToolError::new(msg!(
            "--timeout must be between 0 and 60 seconds",
            "--timeout 必须在 0 到 60 秒之间"
        )));
    }
    let mut ca_certs = Vec::new();
    for path in &o.ca_cert {
        let p = path.to_string_lossy();
        let bytes = crate::input::read_bytes(&p, max)?;
        let ders = pem_certificates(&bytes);
        if ders.is_empty() {
            return Err(ToolError::in_file(
                p,
                msg!(
                    "no certificate found (expected PEM or DER)",
                    "没有找到证书（应为 PEM 或 DER）"
                ),
            ));
        }
        ca_certs.extend(ders);
    }
    let timeout = Duration::from_secs_f64(o.timeout);
    Ok(Options {
        runs: usize::from(o.runs.unwrap_or(DEFAULT_RUNS)),
        timeout,
        budget: (timeout * u32::from(o.runs.unwrap_or(DEFAULT_RUNS))).min(Duration::from_mins(2))
            + Duration::from_secs(1),
        dns_server: o.dns_server,
        allow_private: o.allow_private,
        ca_certs,
        connect_to: o.connect_to,
    })
}

/// Certificates in PEM (every CERTIFICATE block) or one DER certificate.
fn pem_certificates(bytes: &[u8]) -> Vec<Vec<u8>> {
    use base64::Engine as _;
    let Ok(text) = std::str::from_utf8(bytes) else {
        return vec![bytes.to_vec()];
    };
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("-----BEGIN CERTIFICATE-----") {
        let after = &rest[i + 27..];
        let Some(j) = after.find("-----END CERTIFICATE-----") else {
            break;
        };
        let b64: String = after[..j].chars().filter(|c| !c.is_whitespace()).collect();
        if let Ok(d) = base64::engine::general_purpose::STANDARD.decode(b64) {
            out.push(d);
        }
        rest = &after[j..];
    }
    out
}

/// The config's three callback URLs as probe targets.
#[must_use]
pub fn config_targets(c: &Config) -> Vec<Target> {
    c.callback_urls()
        .map(|(name, v)| Target {
            kind: match name {
                "refund_audit" => Kind::RefundAudit,
                "refund_notify" => Kind::RefundNotify,
                _ => Kind::Notify,
            },
            url: v.get_ref().trim().to_owned(),
            name: format!("callbacks.{name}"),
            source: Arc::clone(&c.source),
            span: bdpay_core::config::span(v),
        })
        .collect()
}

/// URLs from the command line as targets.
#[must_use]
pub fn url_targets(urls: &[String], kind: CallbackKind) -> Vec<Target> {
    urls.iter()
        .map(|u| {
            let src = SourceFile::new("<command line>", u.clone());
            Target {
                kind: kind.kind(),
                url: u.clone(),
                name: u.clone(),
                span: Span::new(0, u.len()),
                source: src,
            }
        })
        .collect()
}

/// Runs the probes, one target after another.
#[must_use]
pub fn run_probes(targets: Vec<Target>, opts: &Options) -> Vec<Probe> {
    targets.into_iter().map(|t| probe::probe(t, opts)).collect()
}

/// The callback `simulate` sends: realistic fields, the order's values, the config's dealId,
/// and `--set` overrides, signed with the platform key.
pub fn simulated_fields(
    a: &SimulateArgs,
    config: Option<&Config>,
    max: u64,
) -> Result<Vec<(String, String)>, ToolError> {
    let kind = a.callback.kind();
    let mut fields = probe::fields_now(kind);
    fields.retain(|(k, _)| k != "rsaSign");
    let mut set = |k: &str, v: String| {
        if let Some(f) = fields.iter_mut().find(|(x, _)| x == k) {
            f.1 = v;
        } else {
            fields.push((k.to_owned(), v));
        }
    };
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    set(
        "orderId",
        format!("{}", 2_000_000_000 + stamp % 1_000_000_000),
    );
    set(
        "userId",
        format!("{}", 3_000_000_000_000u64 + stamp % 1_000_000),
    );
    if kind != Kind::Notify {
        set(
            "refundBatchId",
            format!("{}", 4_000_000_000u64 + stamp % 1_000_000),
        );
    }
    if let Some(d) = config.and_then(|c| c.merchant.deal_id.as_ref())
        && kind == Kind::Notify
    {
        set("dealId", d.get_ref().to_string());
    }
    if let Some(path) = &a.order {
        let src = crate::input::read_text(path, max)?;
        let order = bdpay_core::payload::read(&src, Some(Kind::Order))?;
        if let Some(tp) = order.text("tpOrderId") {
            set("tpOrderId", tp.to_owned());
        }
        if let (Some(amount), true) = (order.text("totalAmount"), kind == Kind::Notify) {
            for k in ["unitPrice", "totalMoney", "payMoney"] {
                set(k, amount.to_owned());
            }
        }
        if let (Some(amount), true) = (order.text("totalAmount"), kind == Kind::RefundAudit) {
            set("applyRefundMoney", amount.to_owned());
        }
        if let (Some(d), true) = (order.text("dealId"), kind == Kind::Notify) {
            set("dealId", d.to_owned());
        }
    } else {
        set("tpOrderId", format!("bdpay-doctor-sim-{stamp}"));
    }
    for kv in &a.set {
        let Some((k, v)) = kv.split_once('=') else {
            return Err(ToolError::new(msg!(
                "--set {kv}: expected K=V",
                "--set {kv}：格式应为 K=V"
            )));
        };
        set(k.trim(), v.to_owned());
    }
    Ok(fields)
}

/// Signs the callback fields with the platform key: every field but rsaSign, byte order.
pub fn sign_fields(
    fields: &mut Vec<(String, String)>,
    key: &rsa::PrivateKey,
) -> Result<(), ToolError> {
    let mut sorted: Vec<(String, String)> = fields.clone();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let sig = bdpay_core::sign::sign(key, bdpay_core::sign::join(&sorted).as_bytes())
        .map_err(|e| ToolError::new(msg!("cannot sign: {e}", "无法签名：{e}")))?;
    fields.push(("rsaSign".into(), sig));
    Ok(())
}

/// `curl` equivalent of a request.
#[must_use]
pub fn curl(url: &str, body: &str) -> String {
    format!(
        "curl -sS -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data-raw '{}' '{}'\n",
        body.replace('\'', "'\\''"),
        url.replace('\'', "'\\''")
    )
}
