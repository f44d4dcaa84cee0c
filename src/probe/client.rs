//! The probe's HTTP/1.1 client: resolve with hickory-resolver, connect with a deadline, a rustls
//! handshake timed on its own, then the request, time to first byte, and the rest of the answer.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;

use bdpay_core::message::Msg;
use bdpay_core::msg;
use bdpay_core::probe::{CertInfo, Failure, MAX_BODY, Run, TlsProblem, private_reason};

use super::Options;
use super::http::Reader;
use super::tls::{cert_info, tls_config, tls_failure};

/// One client per probe command: a resolver on a small runtime, and a TLS configuration.
pub struct Client {
    runtime: Option<tokio::runtime::Runtime>,
    resolver: Result<TokioResolver, Msg>,
    tls: Result<Arc<rustls::ClientConfig>, Msg>,
}

impl Client {
    #[must_use]
    pub fn new(opts: &Options) -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .ok();
        let resolver = build_resolver(opts);
        Self {
            runtime,
            resolver,
            tls: tls_config(&opts.ca_certs).map(Arc::new),
        }
    }

    /// One run: the phases, the answer, the addresses and the certificate.
    pub fn run(
        &self,
        url: &url::Url,
        request: &str,
        opts: &Options,
    ) -> (Run, Vec<IpAddr>, Option<CertInfo>) {
        let mut run = Run::default();
        let host = url
            .host_str()
            .unwrap_or("")
            .trim_matches(['[', ']'])
            .to_owned();
        let port = url.port_or_known_default().unwrap_or(80);
        // resolve
        let t = Instant::now();
        let addrs = match host.parse::<IpAddr>() {
            Ok(ip) => vec![ip],
            Err(_) => match self.resolve(&host, opts.timeout) {
                Ok(a) if !a.is_empty() => a,
                Ok(_) => {
                    run.failure = Some(Failure::Dns(msg!(
                        "{host} has no A or AAAA records",
                        "{host} 没有 A 或 AAAA 记录"
                    )));
                    return (run, Vec::new(), None);
                }
                Err(e) => {
                    run.failure = Some(Failure::Dns(e));
                    return (run, Vec::new(), None);
                }
            },
        };
        run.phases.resolve = Some(t.elapsed());
        let private: Vec<(IpAddr, _)> = addrs
            .iter()
            .filter_map(|ip| private_reason(*ip).map(|r| (*ip, r)))
            .collect();
        if !private.is_empty() {
            run.failure = Some(Failure::Private(private));
            if !opts.allow_private && opts.connect_to.is_none() {
                return (run, addrs, None);
            }
            run.failure = None;
        }
        // connect
        let deadline = Instant::now() + opts.timeout;
        let t = Instant::now();
        let mut last = None;
        let mut sock = None;
        let dests: Vec<SocketAddr> = match opts.connect_to {
            Some(a) => vec![a],
            None => addrs.iter().map(|ip| SocketAddr::new(*ip, port)).collect(),
        };
        for dest in &dests {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match TcpStream::connect_timeout(dest, left) {
                Ok(s) => {
                    sock = Some(s);
                    break;
                }
                Err(e) => last = Some(io_reason(&e)),
            }
        }
        let Some(sock) = sock else {
            run.failure = Some(Failure::Connect(
                last.unwrap_or_else(|| msg!("timed out", "连接超时")),
            ));
            return (run, addrs, None);
        };
        run.phases.connect = Some(t.elapsed());
        let _ = sock.set_nodelay(true);
        // tls
        let mut cert = None;
        let mut stream: Box<dyn ReadWrite> = if url.scheme() == "https" {
            let t = Instant::now();
            match self.handshake(sock, &host, deadline) {
                Ok((s, c)) => {
                    run.phases.tls = Some(t.elapsed());
                    cert = c;
                    s
                }
                Err(f) => {
                    run.failure = Some(f);
                    return (run, addrs, None);
                }
            }
        } else {
            Box::new(sock)
        };
        // request, processing (time to first byte), transfer
        if stream
            .write_all(request.as_bytes())
            .and_then(|()| stream.flush())
            .is_err()
        {
            run.failure = Some(Failure::Closed("processing"));
            return (run, addrs, cert);
        }
        let sent = Instant::now();
        let mut answer = Reader::default();
        let mut chunk = [0u8; 8192];
        let mut first_byte = None;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                run.failure = Some(Failure::Timeout(if first_byte.is_some() {
                    "transfer"
                } else {
                    "processing"
                }));
                break;
            }
            stream.set_timeout(left);
            match stream.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    if first_byte.is_none() {
                        first_byte = Some(Instant::now());
                        run.phases.processing = Some(sent.elapsed());
                    }
                    if answer.push(&chunk[..n]) {
                        break;
                    }
                    if answer.len() > MAX_BODY + 64 * 1024 {
                        let mb = MAX_BODY >> 20;
                        run.broken = Some(msg!(
                            "the answer is larger than {mb} MB; only the first {mb} MB were read",
                            "应答超过 {mb} MB，只读取了前 {mb} MB"
                        ));
                        break;
                    }
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    run.failure = Some(Failure::Timeout(if first_byte.is_some() {
                        "transfer"
                    } else {
                        "processing"
                    }));
                    break;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => {
                    if answer.len() == 0 {
                        run.failure = Some(Failure::Closed("processing"));
                    }
                    break;
                }
            }
        }
        if let Some(fb) = first_byte {
            run.phases.transfer = Some(fb.elapsed());
        }
        if answer.len() == 0 {
            if run.failure.is_none() {
                run.failure = Some(Failure::Closed("processing"));
            }
            return (run, addrs, cert);
        }
        if run.broken.is_none() && run.failure.is_none() {
            run.broken = answer.short();
        }
        match answer.answer() {
            Ok(a) => {
                let (status, location, body) = (a.status, a.location, a.body);
                if run.broken.is_none() && !a.utf8 {
                    run.broken = Some(msg!(
                        "the answer is not valid UTF-8 (the platform reads UTF-8 JSON)",
                        "应答不是有效的 UTF-8（平台按 UTF-8 读取 JSON）"
                    ));
                }
                run.status = Some(status);
                run.location = location;
                // With a transfer timeout, headers and part of the body arrived: keep both.
                run.body = Some(body);
            }
            Err(e) => {
                if run.failure.is_none() {
                    run.failure = Some(Failure::BadHttp(e));
                }
            }
        }
        (run, addrs, cert)
    }

    fn resolve(&self, host: &str, timeout: Duration) -> Result<Vec<IpAddr>, Msg> {
        let resolver = self.resolver.as_ref().map_err(Clone::clone)?;
        let Some(rt) = &self.runtime else {
            return Err(msg!("no runtime for DNS", "没有可用于域名解析的运行时"));
        };
        let host = host.to_owned();
        rt.block_on(async {
            match tokio::time::timeout(timeout, resolver.lookup_ip(host.as_str())).await {
                Ok(Ok(l)) => Ok(l.iter().collect()),
                Ok(Err(e)) => Err(dns_reason(&host, &e.to_string())),
                Err(_) => Err(msg!(
                    "no DNS answer for {host} within {timeout:?}",
                    "{timeout:?} 内没有收到 {host} 的 DNS 应答"
                )),
            }
        })
    }

    fn handshake(
        &self,
        mut sock: TcpStream,
        host: &str,
        deadline: Instant,
    ) -> Result<(Box<dyn ReadWrite>, Option<CertInfo>), Failure> {
        let name = rustls::pki_types::ServerName::try_from(host.to_owned()).map_err(|e| {
            Failure::Tls(
                TlsProblem::Other,
                msg!("{e}", "{host} 不是有效的 TLS 主机名（「{e}」）"),
            )
        })?;
        let config = self
            .tls
            .as_ref()
            .map_err(|e| Failure::Tls(TlsProblem::Other, e.clone()))?;
        let mut conn = rustls::ClientConnection::new(Arc::clone(config), name).map_err(|e| {
            Failure::Tls(
                TlsProblem::Other,
                msg!("{e}", "无法开始 TLS 握手（「{e}」）"),
            )
        })?;
        while conn.is_handshaking() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Failure::Tls(
                    TlsProblem::Other,
                    msg!("the handshake timed out", "握手超时"),
                ));
            }
            let _ = sock.set_read_timeout(Some(left));
            let _ = sock.set_write_timeout(Some(left));
            if let Err(e) = conn.complete_io(&mut sock) {
                return Err(tls_failure(&e));
            }
        }
        if conn.protocol_version().is_some_and(|v| {
            !matches!(
                v,
                rustls::ProtocolVersion::TLSv1_2 | rustls::ProtocolVersion::TLSv1_3
            )
        }) {
            return Err(Failure::Tls(
                TlsProblem::OldVersion,
                msg!("TLS below 1.2", "TLS 版本低于 1.2"),
            ));
        }
        let cert = conn
            .peer_certificates()
            .and_then(|c| c.first())
            .and_then(|c| cert_info(c.as_ref()));
        Ok((Box::new(rustls::StreamOwned::new(conn, sock)), cert))
    }
}

fn build_resolver(opts: &Options) -> Result<TokioResolver, Msg> {
    let mut ropts = ResolverOpts::default();
    ropts.timeout = opts.timeout.min(Duration::from_secs(5));
    ropts.attempts = 1;
    let builder = match opts.dns_server {
        Some(addr) => {
            let mut conn = ConnectionConfig::udp();
            conn.port = addr.port();
            let ns = NameServerConfig::new(addr.ip(), true, vec![conn]);
            let config = ResolverConfig::from_parts(None, Vec::new(), vec![ns]);
            TokioResolver::builder_with_config(config, TokioRuntimeProvider::default())
        }
        None => TokioResolver::builder_tokio().map_err(|e| {
            msg!(
                "cannot read the system DNS configuration: {e}",
                "无法读取系统的 DNS 配置（「{e}」）"
            )
        })?,
    };
    builder
        .with_options(ropts)
        .build()
        .map_err(|e| msg!("cannot set up DNS: {e}", "无法初始化域名解析（「{e}」）"))
}

fn dns_reason(host: &str, e: &str) -> Msg {
    let lower = e.to_ascii_lowercase();
    if lower.contains("nxdomain") || lower.contains("no record") || lower.contains("no records") {
        msg!(
            "{host} does not exist (NXDOMAIN)",
            "{host} 不存在（NXDOMAIN）"
        )
    } else {
        msg!("{host} did not resolve: {e}", "{host} 无法解析（「{e}」）")
    }
}

/// Why a connection failed, in words: the common cases as sentences, anything else as the
/// system's own text, quoted.
pub(super) fn io_reason(e: &std::io::Error) -> Msg {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused => msg!(
            "connection refused",
            "连接被拒绝（该端口没有服务在监听，或被防火墙拒绝）"
        ),
        K::ConnectionReset => msg!("connection reset", "连接被对方重置"),
        K::ConnectionAborted => msg!("connection aborted", "连接被中止"),
        K::TimedOut | K::WouldBlock => msg!("timed out", "连接超时"),
        K::HostUnreachable | K::NetworkUnreachable => {
            msg!("no route to the host", "没有到达该主机的路由")
        }
        K::NetworkDown => msg!("the network is down", "本机网络不可用"),
        K::AddrNotAvailable => msg!(
            "the address cannot be used from this machine ({e})",
            "本机无法使用该地址（「{e}」）"
        ),
        K::PermissionDenied => msg!(
            "not permitted to connect ({e})",
            "没有建立连接的权限（「{e}」）"
        ),
        _ => msg!("{e}", "连接失败（「{e}」）"),
    }
}

/// A stream with a read timeout, plain or TLS.
trait ReadWrite: Read + Write {
    fn set_timeout(&mut self, t: Duration);
}

impl ReadWrite for TcpStream {
    fn set_timeout(&mut self, t: Duration) {
        let _ = self.set_read_timeout(Some(t.max(Duration::from_millis(1))));
    }
}

impl ReadWrite for rustls::StreamOwned<rustls::ClientConnection, TcpStream> {
    fn set_timeout(&mut self, t: Duration) {
        let _ = self
            .sock
            .set_read_timeout(Some(t.max(Duration::from_millis(1))));
    }
}
