//! Callback URL rules: the three URLs in `[callbacks]` must exist, be reachable from the
//! internet, use https, and carry no query string the signature does not cover.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use toml::Spanned;
use url::{Host, Url};

use std::sync::Arc;

use super::{Ctx, Sink};
use crate::config::{self, Config};
use crate::finding::Diagnostic;
use crate::message::Msg;
use crate::msg;
use crate::source::{SourceFile, Span};

fn callbacks_section_missing_diag(source: &Arc<SourceFile>) -> Diagnostic {
    Diagnostic::new(
        source,
        Span::new(0, 0),
        msg!(
            "the config has no [callbacks] section: no callback URL can be checked",
            "配置中没有 [callbacks] 一节：无法检查任何回调地址"
        ),
    )
    .label(msg!("add [callbacks]", "添加 [callbacks]"))
}

/// What is wrong with a `[callbacks]` entry.
enum UrlFault<'a> {
    NotSet,
    Empty,
    /// Not an absolute http(s) URL; the value, trimmed.
    NotUrl(&'a str),
}

fn callback_url_missing_diag(
    source: &Arc<SourceFile>,
    span: Span,
    name: &str,
    fault: &UrlFault<'_>,
) -> Diagnostic {
    let message = match fault {
        UrlFault::NotSet => msg!("callbacks.{name} is not set", "未配置 callbacks.{name}"),
        UrlFault::Empty => msg!("callbacks.{name} is empty", "callbacks.{name} 为空"),
        UrlFault::NotUrl(s) => msg!(
            "callbacks.{name} {s:?} is not an absolute http(s) URL",
            "callbacks.{name} {s:?} 不是完整的 http(s) 地址"
        ),
    };
    Diagnostic::new(source, span, message).label(msg!("{name} missing", "缺少 {name}"))
}

fn callback_url_not_public_diag(
    source: &Arc<SourceFile>,
    span: Span,
    name: &str,
    host: &Host<&str>,
    why: Unreachable,
) -> Diagnostic {
    Diagnostic::new(
        source,
        span,
        msg!(
            "callbacks.{name} points at {why} ({host}): the platform cannot reach it from the internet",
            "callbacks.{name} 指向{why}（{host}）：平台无法从公网访问";
            why = why.describe()
        ),
    )
    .label(msg!("not reachable from the internet", "公网不可达"))
}

fn callback_url_not_https_diag(source: &Arc<SourceFile>, span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(
        source,
        span,
        msg!(
            "callbacks.{name} uses plain http",
            "callbacks.{name} 使用的是明文 http"
        ),
    )
    .label(Msg::same("http://"))
}

fn callback_url_query_params_diag(
    source: &Arc<SourceFile>,
    span: Span,
    name: &str,
    query: &str,
) -> Diagnostic {
    Diagnostic::new(
        source,
        span,
        msg!(
            "callbacks.{name} has query parameters ({query}) that the platform's signature does not cover",
            "callbacks.{name} 带有查询参数（{query}），平台的签名不覆盖这些参数"
        ),
    )
    .label(msg!("not signed", "不参与签名"))
}

/// Each configured callback with its parsed URL (when it parses as http or https).
fn urls(c: &Config) -> Vec<(&'static str, &Spanned<String>, Url)> {
    c.callback_urls()
        .filter_map(|(name, v)| {
            let u = Url::parse(v.get_ref().trim()).ok()?;
            matches!(u.scheme(), "http" | "https").then_some((name, v, u))
        })
        .collect()
}

/// CBU001
pub fn callback_url_missing(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(c) = ctx.config_only() else { return };
    let Some(cb) = &c.callbacks else {
        sink.report(callbacks_section_missing_diag(&c.source));
        return;
    };
    let table = config::span(cb);
    let table = Span::new(table.start, table.start);
    for (name, v) in cb.get_ref().entries() {
        let (span, fault) = match v {
            None => (table, UrlFault::NotSet),
            Some(v) => {
                let s = v.get_ref().trim();
                let ok = Url::parse(s)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
                if ok.is_some() {
                    continue;
                }
                if s.is_empty() {
                    (config::span(v), UrlFault::Empty)
                } else {
                    (config::span(v), UrlFault::NotUrl(s))
                }
            }
        };
        sink.report(callback_url_missing_diag(&c.source, span, name, &fault));
    }
}

/// Why an address or host cannot be reached from the internet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreachable {
    Localhost,
    BareHostName,
    IntranetDomain,
    Loopback,
    Private,
    UniqueLocal,
    LinkLocal,
    CarrierNat,
    NotRoutable,
}

impl Unreachable {
    /// What kind of address it is, for people.
    #[must_use]
    pub fn describe(self) -> Msg {
        match self {
            Self::Localhost => msg!("localhost", "本机地址"),
            Self::BareHostName => msg!("a bare intranet host name", "内网主机名"),
            Self::IntranetDomain => msg!("an intranet domain", "内网域名"),
            Self::Loopback => msg!("a loopback address", "回环地址"),
            Self::Private => msg!("a private address", "内网地址"),
            Self::UniqueLocal => msg!("a unique local (private) address", "唯一本地（内网）地址"),
            Self::LinkLocal => msg!("a link-local address", "链路本地地址"),
            Self::CarrierNat => msg!("a carrier-grade NAT address", "运营商 NAT 地址"),
            Self::NotRoutable => msg!(
                "an address that is not routable on the internet",
                "公网上不可路由的地址"
            ),
        }
    }
}

/// Why a host cannot be reached from the internet, if it cannot.
fn not_public(host: &Host<&str>) -> Option<Unreachable> {
    match host {
        Host::Ipv4(ip) => ipv4_reason(*ip),
        Host::Ipv6(ip) => ipv6_reason(*ip),
        Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            if d == "localhost" || d.ends_with(".localhost") {
                Some(Unreachable::Localhost)
            } else if !d.contains('.') {
                Some(Unreachable::BareHostName)
            } else if [
                ".local",
                ".internal",
                ".lan",
                ".intranet",
                ".corp",
                ".home.arpa",
            ]
            .iter()
            .any(|s| d.ends_with(s))
            {
                Some(Unreachable::IntranetDomain)
            } else {
                d.parse::<IpAddr>().ok().and_then(|ip| match ip {
                    IpAddr::V4(v4) => ipv4_reason(v4),
                    IpAddr::V6(v6) => ipv6_reason(v6),
                })
            }
        }
    }
}

/// Why an IPv4 address is not reachable from the internet.
#[must_use]
pub fn ipv4_reason(ip: Ipv4Addr) -> Option<Unreachable> {
    let o = ip.octets();
    if ip.is_loopback() {
        Some(Unreachable::Loopback)
    } else if ip.is_private() {
        Some(Unreachable::Private)
    } else if ip.is_link_local() {
        Some(Unreachable::LinkLocal)
    } else if o[0] == 100 && (64..128).contains(&o[1]) {
        Some(Unreachable::CarrierNat)
    } else if ip.is_unspecified() || ip.is_broadcast() || ip.is_documentation() || o[0] >= 224 {
        Some(Unreachable::NotRoutable)
    } else {
        None
    }
}

/// Why an IPv6 address is not reachable from the internet.
#[must_use]
pub fn ipv6_reason(ip: Ipv6Addr) -> Option<Unreachable> {
    let s = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        return ipv4_reason(v4);
    }
    if ip.is_loopback() {
        Some(Unreachable::Loopback)
    } else if (s[0] & 0xfe00) == 0xfc00 {
        Some(Unreachable::UniqueLocal)
    } else if (s[0] & 0xffc0) == 0xfe80 {
        Some(Unreachable::LinkLocal)
    } else if ip.is_unspecified() || ip.is_multicast() || s[0] == 0x2001 && s[1] == 0x0db8 {
        Some(Unreachable::NotRoutable)
    } else {
        None
    }
}

/// CBU002
pub fn callback_url_not_public(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(c) = ctx.config_only() else { return };
    for (name, v, u) in urls(c) {
        let Some(host) = u.host() else { continue };
        let Some(why) = not_public(&host) else {
            continue;
        };
        sink.report(callback_url_not_public_diag(
            &c.source,
            config::span(v),
            name,
            &host,
            why,
        ));
    }
}

/// CBU003
pub fn callback_url_not_https(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(c) = ctx.config_only() else { return };
    for (name, v, u) in urls(c) {
        if u.scheme() != "http" {
            continue;
        }
        sink.report(callback_url_not_https_diag(
            &c.source,
            config::span(v),
            name,
        ));
    }
}

/// CBU004
pub fn callback_url_query_params(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(c) = ctx.config_only() else { return };
    for (name, v, u) in urls(c) {
        let Some(q) = u.query().filter(|q| !q.is_empty()) else {
            continue;
        };
        // Point at the query string inside the TOML string when it can be found there.
        let span = config::span(v);
        let at = c
            .source
            .slice(span)
            .find(&format!("?{q}"))
            .map_or(span, |i| {
                Span::new(span.start + i, span.start + i + q.len() + 1)
            });
        sink.report(callback_url_query_params_diag(&c.source, at, name, q));
    }
}
