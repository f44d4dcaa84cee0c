//! Probe rules: what a live call of a callback URL showed, from this machine, against the
//! platform's contract (reachable from the internet, valid TLS, HTTP 200 within 2 s, no
//! redirect, signatures checked, the same answer twice).

use std::time::Duration;

use super::{Ctx, Sink};
use crate::finding::Diagnostic;
use crate::message::Msg;
use crate::msg;
use crate::probe::{Failure, HEADROOM, LIMIT, Phases, Probe, Run, TlsProblem, describe_private};

fn ms(d: Duration) -> Msg {
    let n = d.as_millis();
    msg!("{n} ms", "{n} 毫秒")
}

fn report(sink: &mut Sink, p: &Probe, message: Msg, label: Msg) {
    sink.report(Diagnostic::new(&p.target.source, p.target.span, message).label(label));
}

fn failures(p: &Probe) -> impl Iterator<Item = &Failure> {
    p.runs.iter().filter_map(|r| r.failure.as_ref())
}

/// PRB001
pub fn callback_dns_failed(ctx: &Ctx<'_>, sink: &mut Sink) {
    for p in ctx.probes {
        let Some(Failure::Dns(why)) = failures(p).next() else {
            continue;
        };
        let name = &p.target.name;
        report(
            sink,
            p,
            msg!("{name}: {why}", "{name}：域名解析失败：{why}"; why = why),
            msg!("does not resolve", "无法解析"),
        );
    }
}

/// PRB002
pub fn callback_resolves_private(ctx: &Ctx<'_>, sink: &mut Sink) {
    for p in ctx.probes {
        let private: Vec<Msg> = p
            .addresses
            .iter()
            .filter_map(|ip| crate::probe::private_reason(*ip).map(|r| describe_private(*ip, r)))
            .collect();
        if private.is_empty() {
            continue;
        }
        let private = Msg::join(&private, &msg!(", ", "、"));
        let connected = p.runs.iter().any(|r| r.phases.connect.is_some());
        let tail = if connected {
            msg!(
                "; probed anyway because of --allow-private: it works from here, not from the internet",
                "；因 --allow-private 仍做了探测：本机可达不代表公网可达"
            )
        } else {
            msg!(
                "; not connected (pass --allow-private to probe it from here)",
                "；未建立连接（可用 --allow-private 在本机探测）"
            )
        };
        let name = &p.target.name;
        report(
            sink,
            p,
            msg!(
                "{name} resolves to {private}: the platform calls from the internet and cannot reach it{tail}",
                "{name} 解析到 {private}：平台从公网回调，无法访问{tail}";
                private = private, tail = tail
            ),
            msg!("not reachable from the internet", "公网不可达"),
        );
    }
}

/// PRB003
pub fn callback_connect_failed(ctx: &Ctx<'_>, sink: &mut Sink) {
    for p in ctx.probes {
        let why = failures(p).find_map(|f| match f {
            Failure::Connect(w) => Some(w.clone()),
            Failure::Closed(_) => Some(msg!(
                "the server closed the connection without answering",
                "服务器没有应答就关闭了连接"
            )),
            _ => None,
        });
        let Some(why) = why else { continue };
        let name = &p.target.name;
        report(
            sink,
            p,
            msg!(
                "{name}: {why}; firewalls, gateways and cloud security groups must let the platform in",
                "{name}：{why}；防火墙、网关和云安全组需放行平台的访问";
                why = why
            ),
            msg!("cannot connect", "无法连接"),
        );
    }
}

/// PRB004
pub fn callback_tls_invalid(ctx: &Ctx<'_>, sink: &mut Sink) {
    for p in ctx.probes {
        let Some(Failure::Tls(problem, why)) = failures(p).find(|f| matches!(f, Failure::Tls(..)))
        else {
            continue;
        };
        let hint = match problem {
            TlsProblem::Untrusted => msg!(
                " (a private test CA? pass --ca-cert FILE)",
                "（若是私有的测试 CA，可用 --ca-cert FILE 指定）"
            ),
            _ => Msg::default(),
        };
        let name = &p.target.name;
        report(
            sink,
            p,
            msg!(
                "{name}: the TLS handshake fails: {why}{hint}",
                "{name}：TLS 握手失败：{why}{hint}";
                why = why, hint = hint
            ),
            msg!("TLS fails", "TLS 握手失败"),
        );
    }
}

/// PRB005
pub fn callback_cert_expiring(ctx: &Ctx<'_>, sink: &mut Sink) {
    for p in ctx.probes {
        let Some(c) = &p.cert else { continue };
        if c.days_left >= 30 {
            continue;
        }
        let (name, days, until) = (&p.target.name, c.days_left.max(0), &c.not_after);
        report(
            sink,
            p,
            msg!(
                "{name}: the certificate expires in {days} days ({until})",
                "{name}：证书将在 {days} 天后过期（{until}）"
            ),
            msg!("certificate expiring", "证书即将过期"),
        );
    }
}

/// A run at or over the limit, or one that timed out: the phase that took the time.
fn over_limit(r: &Run) -> Option<(&'static str, Duration)> {
    if let Some(Failure::Timeout(phase)) = &r.failure {
        return Some((phase, r.phases.get(phase).unwrap_or_default()));
    }
    (r.status.is_some() && r.phases.total() >= LIMIT).then(|| r.phases.slowest())
}

/// PRB006
pub fn callback_slow(ctx: &Ctx<'_>, sink: &mut Sink) {
    for p in ctx.probes {
        if p.runs.iter().any(|r| over_limit(r).is_some()) {
            continue;
        }
        let Some([_, median, _, _]) = p.total_stats() else {
            continue;
        };
        if median <= HEADROOM {
            continue;
        }
        let slowest = p
            .answered()
            .map(|r| r.phases.slowest())
            .max_by_key(|(_, d)| *d)
            .map_or("processing", |(n, _)| n);
        let name = &p.target.name;
        report(
            sink,
            p,
            msg!(
                "{name}: the median answer takes {median} (mostly {slowest}); over 1 s leaves no headroom under the platform's 2 s limit",
                "{name}：应答中位耗时 {median}（主要在{slowest}阶段）；超过 1 秒，离平台 2 秒上限没有余量";
                median = ms(median), slowest = Phases::label(slowest)
            ),
            msg!("slow", "响应慢"),
        );
    }
}

/// PRB007
pub fn callback_timeout(ctx: &Ctx<'_>, sink: &mut Sink) {
    for p in ctx.probes {
        let worst = p
            .runs
            .iter()
            .enumerate()
            .filter_map(|(i, r)| over_limit(r).map(|x| (i, r, x)))
            .max_by_key(|(_, r, (_, d))| r.phases.total().max(*d));
        let Some((i, r, (phase, d))) = worst else {
            continue;
        };
        let (name, n) = (&p.target.name, i + 1);
        let message = if r.status.is_some() {
            msg!(
                "{name}: run {n} took {total} ({phase} {d}): at or over the platform's 2 s limit",
                "{name}：第 {n} 次请求耗时 {total}（{phase} {d}），达到或超过平台 2 秒上限";
                total = ms(r.phases.total()), phase = Phases::label(phase), d = ms(d)
            )
        } else {
            msg!(
                "{name}: run {n} got no answer within the timeout (stuck in {phase})",
                "{name}：第 {n} 次请求在超时时间内没有应答（卡在{phase}阶段）";
                phase = Phases::label(phase)
            )
        };
        report(
            sink,
            p,
            message,
            msg!("too slow for the platform", "超过平台时限"),
        );
    }
}

/// PRB008
pub fn callback_redirect(ctx: &Ctx<'_>, sink: &mut Sink) {
    for p in ctx.probes {
        let Some(r) = p.answered().find(|r| matches!(r.status, Some(300..=399))) else {
            continue;
        };
        let to = r
            .location
            .as_deref()
            .map_or_else(|| msg!("(no Location)", "（没有 Location）"), Msg::same);
        let (name, status) = (&p.target.name, r.status.unwrap_or(0));
        report(
            sink,
            p,
            msg!(
                "{name}: answers {status} redirecting to {to}; the platform does not follow redirects (neither does the probe)",
                "{name}：返回 {status} 跳转到 {to}；平台不跟随跳转（探测也不跟随）";
                to = to
            ),
            msg!("redirect", "跳转"),
        );
    }
}

/// PRB009
pub fn callback_http_status(ctx: &Ctx<'_>, sink: &mut Sink) {
    for p in ctx.probes {
        let Some(r) = p
            .answered()
            .find(|r| !matches!(r.status, Some(200 | 300..=399)))
        else {
            continue;
        };
        let status = r.status.unwrap_or(0);
        let body: String = r
            .body
            .as_deref()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_control())
            .take(80)
            .collect();
        let name = &p.target.name;
        report(
            sink,
            p,
            msg!(
                "{name}: answers HTTP {status}, not 200 ({body:?})",
                "{name}：HTTP 状态码为 {status}，不是 200（{body:?}）"
            ),
            msg!("not HTTP 200", "不是 HTTP 200"),
        );
    }
}

/// PRB010
pub fn callback_accepts_forged(ctx: &Ctx<'_>, sink: &mut Sink) {
    for p in ctx.probes {
        if !p.accepted_forged {
            continue;
        }
        let name = &p.target.name;
        report(
            sink,
            p,
            msg!(
                "{name}: answered success to a callback whose signature cannot verify: it does not check rsaSign, so anyone can mark orders paid",
                "{name}：对无法验签的回调返回了成功：没有校验 rsaSign，任何人都能把订单标记为已支付"
            ),
            msg!("accepts forged callbacks", "接受伪造回调"),
        );
    }
}

/// PRB011
pub fn callback_not_idempotent(ctx: &Ctx<'_>, sink: &mut Sink) {
    for p in ctx.probes {
        if !p.signed_validly {
            continue;
        }
        let answers: Vec<(Option<u16>, String)> = p
            .answered()
            .take(2)
            .map(|r| (r.status, normalize(r.body.as_deref().unwrap_or(""))))
            .collect();
        let [a, b] = answers.as_slice() else { continue };
        if a == b {
            continue;
        }
        let (name, first, second) = (&p.target.name, short(&a.1), short(&b.1));
        report(
            sink,
            p,
            msg!(
                "{name}: the same callback sent twice got different answers ({first} then {second}); the platform retries, and a repeat must get the same answer",
                "{name}：同一回调发送两次得到不同应答（{first} 与 {second}）；平台会重试，重复回调必须得到相同应答"
            ),
            msg!("not idempotent", "不满足幂等"),
        );
    }
}

/// JSON answers compared by value, so key order and spacing do not count.
fn normalize(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body.trim())
        .map_or_else(|_| body.trim().to_owned(), |v| v.to_string())
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(60).collect();
    if t.len() < s.len() {
        format!("{t}…")
    } else {
        t
    }
}

/// PRB012
pub fn callback_answer_unreadable(ctx: &Ctx<'_>, sink: &mut Sink) {
    for p in ctx.probes {
        let Some(why) = p.runs.iter().find_map(|r| r.broken.as_ref()) else {
            continue;
        };
        let name = &p.target.name;
        report(
            sink,
            p,
            msg!("{name}: {why}", "{name}：应答无法完整读取：{why}"; why = why),
            msg!("answer unreadable", "应答不完整"),
        );
    }
}
