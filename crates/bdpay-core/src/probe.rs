//! What a probe of a callback URL learnt, as data: the target, each run's phases (named as
//! blackbox_exporter names them: resolve, connect, tls, processing, transfer), failures, the
//! certificate and the answer; and the callback a probe sends. The network client that fills it
//! in is the shell's; the probe rules and the renderers read it here.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;

use crate::message::Msg;
use crate::msg;
use crate::payload::{self, Kind, Payload};
use crate::rules::callback::{Unreachable, ipv4_reason, ipv6_reason};
use crate::source::{SourceFile, Span};

/// The platform's limit for answering a callback.
pub const LIMIT: Duration = Duration::from_secs(2);
/// Median above this leaves no headroom for the platform's own latency.
pub const HEADROOM: Duration = Duration::from_secs(1);
/// Most bytes of an answer read.
pub const MAX_BODY: usize = 1024 * 1024;

/// A URL to probe and where it was named.
#[derive(Debug, Clone)]
pub struct Target {
    /// The callback kind: notify, refund-audit or refund-notify.
    pub kind: Kind,
    pub url: String,
    /// `callbacks.pay_notify`, or the URL when given on the command line.
    pub name: String,
    pub source: Arc<SourceFile>,
    pub span: Span,
}

/// The phases of one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Phases {
    pub resolve: Option<Duration>,
    pub connect: Option<Duration>,
    pub tls: Option<Duration>,
    pub processing: Option<Duration>,
    pub transfer: Option<Duration>,
}

impl Phases {
    pub const NAMES: [&'static str; 5] = ["resolve", "connect", "tls", "processing", "transfer"];

    #[must_use]
    pub fn get(&self, name: &str) -> Option<Duration> {
        match name {
            "resolve" => self.resolve,
            "connect" => self.connect,
            "tls" => self.tls,
            "processing" => self.processing,
            "transfer" => self.transfer,
            _ => None,
        }
    }

    #[must_use]
    pub fn total(&self) -> Duration {
        Self::NAMES.iter().filter_map(|n| self.get(n)).sum()
    }

    /// A phase's name for people: the identifier in English (as blackbox_exporter and the JSON
    /// output name it), words in Chinese. `total` is the sum of the phases.
    #[must_use]
    pub fn label(name: &str) -> Msg {
        match name {
            "resolve" => msg!("resolve", "域名解析"),
            "connect" => msg!("connect", "建立连接"),
            "tls" => msg!("tls", "TLS 握手"),
            "processing" => msg!("processing", "服务端处理"),
            "transfer" => msg!("transfer", "应答传输"),
            "total" => msg!("total", "合计"),
            other => Msg::same(other),
        }
    }

    /// The phase that took the most time.
    #[must_use]
    pub fn slowest(&self) -> (&'static str, Duration) {
        Self::NAMES
            .iter()
            .filter_map(|n| self.get(n).map(|d| (*n, d)))
            .max_by_key(|(_, d)| *d)
            .unwrap_or(("resolve", Duration::ZERO))
    }
}

/// Why a run did not get an HTTP answer. The texts are for people, in both languages; a
/// library's own error text appears in them quoted, framed by words of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Dns(Msg),
    Private(Vec<(IpAddr, Unreachable)>),
    Connect(Msg),
    Tls(TlsProblem, Msg),
    /// No answer within the timeout; the phase it was in (one of [`Phases::NAMES`]).
    Timeout(&'static str),
    /// The server closed the connection without an answer; the phase it was in.
    Closed(&'static str),
    BadHttp(Msg),
}

/// What is wrong with the TLS handshake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsProblem {
    Expired,
    WrongHost,
    Untrusted,
    OldVersion,
    Other,
}

/// One run.
#[derive(Debug, Clone, Default)]
pub struct Run {
    pub phases: Phases,
    pub status: Option<u16>,
    pub location: Option<String>,
    pub body: Option<String>,
    pub failure: Option<Failure>,
    /// Why the answer could not be read whole, when it could not.
    pub broken: Option<Msg>,
}

/// The server certificate's expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    /// `YYYY-MM-DD HH:MM:SS UTC`.
    pub not_after: String,
    pub days_left: i64,
}

/// Everything learnt about one URL.
#[derive(Debug)]
pub struct Probe {
    pub target: Target,
    /// The exact request sent.
    pub request: String,
    pub addresses: Vec<IpAddr>,
    pub runs: Vec<Run>,
    pub cert: Option<CertInfo>,
    /// The first HTTP 200 answer, read as the callback's answer kind.
    pub answer: Option<Payload>,
    /// The answer says success (errno 0, or a plain `success`) to a callback that cannot verify.
    pub accepted_forged: bool,
    /// Whether the request carried a valid signature (`simulate`) or a throwaway one (`probe`).
    pub signed_validly: bool,
}

impl Probe {
    /// Runs that got an HTTP answer.
    pub fn answered(&self) -> impl Iterator<Item = &Run> {
        self.runs.iter().filter(|r| r.status.is_some())
    }

    /// Min, median, p95 and max of a phase over the runs that measured it.
    #[must_use]
    pub fn stats(&self, phase: &str) -> Option<[Duration; 4]> {
        let mut v: Vec<Duration> = self
            .runs
            .iter()
            .filter_map(|r| r.phases.get(phase))
            .collect();
        stats(&mut v)
    }

    /// The same for the total time of answered runs.
    #[must_use]
    pub fn total_stats(&self) -> Option<[Duration; 4]> {
        let mut v: Vec<Duration> = self.answered().map(|r| r.phases.total()).collect();
        stats(&mut v)
    }
}

fn stats(v: &mut [Duration]) -> Option<[Duration; 4]> {
    if v.is_empty() {
        return None;
    }
    v.sort();
    let pick = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    Some([v[0], pick(0.5), pick(0.95), v[v.len() - 1]])
}

/// The response kind answering a callback kind.
#[must_use]
pub const fn answer_kind(kind: Kind) -> Kind {
    match kind {
        Kind::RefundAudit => Kind::RefundAuditResponse,
        Kind::RefundNotify => Kind::RefundNotifyResponse,
        _ => Kind::NotifyResponse,
    }
}

/// Why an address is not reachable from the internet.
#[must_use]
pub fn private_reason(ip: IpAddr) -> Option<Unreachable> {
    match ip {
        IpAddr::V4(v4) => ipv4_reason(v4),
        IpAddr::V6(v6) => ipv6_reason(v6),
    }
}

/// An address that is not reachable from the internet, with what kind of address it is:
/// `10.0.0.5 (a private address)`.
#[must_use]
pub fn describe_private(ip: IpAddr, why: Unreachable) -> Msg {
    msg!("{ip} ({why})", "{ip}（{why}）"; why = why.describe())
}

/// The body of a probe callback of `kind`: realistic fields for an order that cannot exist,
/// signed with random bytes so that no key verifies it.
#[must_use]
/// `stamp` is the current unix time and `junk` random bytes for the signature (the caller has the
/// clock and the random source).
pub fn probe_fields(kind: Kind, stamp: u64, junk: &[u8]) -> Vec<(String, String)> {
    let tp = format!("bdpay-doctor-probe-{stamp}");
    let f = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    let stamp = stamp.to_string();
    let mut fields = match kind {
        Kind::RefundAudit => f(&[
            ("orderId", "1"),
            ("userId", "1"),
            ("tpOrderId", &tp),
            ("refundBatchId", "1"),
            ("applyRefundMoney", "1"),
        ]),
        Kind::RefundNotify => f(&[
            ("userId", "1"),
            ("orderId", "1"),
            ("tpOrderId", &tp),
            ("refundBatchId", "1"),
            ("refundStatus", "1"),
        ]),
        _ => f(&[
            ("userId", "1"),
            ("orderId", "1"),
            ("unitPrice", "1"),
            ("count", "1"),
            ("totalMoney", "1"),
            ("payMoney", "1"),
            ("promoMoney", "0"),
            ("hbMoney", "0"),
            ("hbBalanceMoney", "0"),
            ("giftCardMoney", "0"),
            ("dealId", "1"),
            ("payTime", &stamp),
            ("promoDetail", ""),
            ("payType", "1117"),
            ("partnerId", "0"),
            ("status", "2"),
            ("tpOrderId", &tp),
            ("returnData", ""),
        ]),
    };
    fields.push((
        "rsaSign".into(),
        base64::engine::general_purpose::STANDARD.encode(junk),
    ));
    fields
}

/// A form body from fields, URL-encoded for transport.
#[must_use]
pub fn form_body(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::sign::forensics::form_encode(k),
                crate::sign::forensics::form_encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The POST the platform would send.
#[must_use]
pub fn request_text(url: &url::Url, body: &str) -> String {
    let host = url.host_str().unwrap_or("");
    let host = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_owned(),
    };
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: bdpay-doctor-probe/{}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nAccept: */*\r\nConnection: close\r\n\r\n{body}",
        env!("CARGO_PKG_VERSION"),
        body.len()
    )
}

/// Reads the first 200 answer as the callback's answer and decides whether it accepted.
pub fn judge_answer(p: &mut Probe) {
    let Some(run) = p.runs.iter().find(|r| r.status == Some(200)) else {
        return;
    };
    let body = run.body.clone().unwrap_or_default();
    let name = format!("<answer of {}>", p.target.url);
    let src = SourceFile::new(name, body);
    let kind = answer_kind(p.target.kind);
    if let Ok(a) = payload::read(&src, Some(kind)) {
        p.accepted_forged = !p.signed_validly && says_success(&a);
        p.answer = Some(a);
    } else {
        // Unreadable as any payload: keep it as plain text so the answer rules still see it.
        p.answer = Payload::plain_text(&src, kind);
    }
}

/// Whether an answer means success: errno 0 (as a number or string), or plain `success`/`ok`.
#[must_use]
pub fn says_success(a: &Payload) -> bool {
    match &a.root.value {
        payload::json::Value::Str(s) => {
            let s = s.trim().to_ascii_lowercase();
            s == "success" || s == "ok" || s.starts_with("{\"errno\":0")
        }
        _ => a
            .get("errno")
            .and_then(|m| m.value.scalar_text())
            .is_some_and(|v| v.trim() == "0"),
    }
}

/// Whether the answer reports an error (errno not 0): a handler rejecting the callback.
#[must_use]
pub fn says_error(a: &Payload) -> bool {
    a.get("errno")
        .and_then(|m| m.value.scalar_text())
        .is_some_and(|v| v.trim() != "0")
}
