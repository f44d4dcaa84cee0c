//! `probe`: calls a callback URL the way the platform does and times each phase with the names
//! blackbox_exporter uses (resolve, connect, tls, processing, transfer). The HTTP/1.1 exchange is
//! written by hand over std sockets and rustls so that every phase is measured on its own; DNS
//! goes through hickory-resolver. The results are the core's `probe` data.

pub mod client;
pub mod command;
mod http;
mod tls;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bdpay_core::probe::{
    Failure, Probe, Run, Target, form_body, judge_answer, probe_fields, request_text,
};

/// How to probe.
#[derive(Debug, Clone)]
pub struct Options {
    pub runs: usize,
    /// Per request.
    pub timeout: Duration,
    /// All runs of one URL together.
    pub budget: Duration,
    pub dns_server: Option<SocketAddr>,
    pub allow_private: bool,
    /// Extra trusted roots (DER).
    pub ca_certs: Vec<Vec<u8>>,
    /// Connect here instead of the resolved address (the URL's host still names the server in
    /// Host and TLS), as curl's `--connect-to`: probe a staging server under the real name.
    pub connect_to: Option<SocketAddr>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            runs: 5,
            timeout: Duration::from_secs(5),
            budget: Duration::from_mins(1),
            dns_server: None,
            allow_private: false,
            ca_certs: Vec::new(),
            connect_to: None,
        }
    }
}

/// A probe callback's fields for `kind`: the current time and 128 random bytes as its signature.
#[must_use]
pub fn fields_now(kind: bdpay_core::payload::Kind) -> Vec<(String, String)> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut junk = [0u8; 128];
    let _ = getrandom::fill(&mut junk);
    probe_fields(kind, stamp, &junk)
}

/// Probes one target with a throwaway-signed callback.
#[must_use]
pub fn probe(target: Target, opts: &Options) -> Probe {
    let body = form_body(&fields_now(target.kind));
    send(target, &body, opts, false)
}

/// Sends `body` to the target `opts.runs` times and judges the answers.
#[must_use]
pub fn send(target: Target, body: &str, opts: &Options, signed_validly: bool) -> Probe {
    let mut probe = Probe {
        request: String::new(),
        addresses: Vec::new(),
        runs: Vec::new(),
        cert: None,
        answer: None,
        accepted_forged: false,
        signed_validly,
        target,
    };
    let url = match url::Url::parse(probe.target.url.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => u,
        _ => {
            probe.runs.push(Run {
                failure: Some(Failure::BadHttp({
                    let url = &probe.target.url;
                    bdpay_core::msg!(
                        "{url:?} is not an absolute http(s) URL",
                        "{url:?} 不是完整的 http(s) URL"
                    )
                })),
                ..Run::default()
            });
            return probe;
        }
    };
    probe.request = request_text(&url, body);
    let client = client::Client::new(opts);
    let started = Instant::now();
    for _ in 0..opts.runs.max(1) {
        if started.elapsed() >= opts.budget {
            break;
        }
        let (run, addrs, cert) = client.run(&url, &probe.request, opts);
        if probe.addresses.is_empty() {
            probe.addresses = addrs;
        }
        if probe.cert.is_none() {
            probe.cert = cert;
        }
        // Failures that repeat identically end the probe: DNS, private addresses, TLS.
        let stop = matches!(
            run.failure,
            Some(Failure::Dns(_) | Failure::Private(_) | Failure::Tls(..) | Failure::BadHttp(_))
        );
        probe.runs.push(run);
        if stop {
            break;
        }
    }
    judge_answer(&mut probe);
    probe
}
