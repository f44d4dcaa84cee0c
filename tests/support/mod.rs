//! Loopback test servers for the probe: plain HTTP, HTTPS with a CA made in the test, and DNS
//! over UDP. Every server binds 127.0.0.1 port 0, runs on std threads, and stops when its
//! handle is dropped or, at the latest, `CAP` after it started.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use bdpay_core::payload::{self, Kind};
use bdpay_core::source::SourceFile;
use bdpay_core::{keys, sign};

/// The longest any server lives, dropped or not.
pub const CAP: Duration = Duration::from_mins(1);
/// Read and write timeout of each connection.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest request read (head and body).
const MAX_REQUEST: usize = 1 << 20;
/// The key that verifies `rsaSign` for `Correct` and `Delay`.
pub const PLATFORM_PUB: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/keys/platform-test.pub.pem"
);
/// The private half, for tests that sign bodies.
pub const PLATFORM_PRIVATE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/keys/platform-test.pkcs8.pem"
);

/// How an HTTP(S) server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Verifies `rsaSign` with the platform test key: the success answer when it verifies,
    /// `{"errno":1,"msg":"signature verification failed","data":{}}` otherwise.
    Correct,
    /// The success answer whatever the signature.
    AcceptAny,
    /// Like `Correct`, after waiting this many milliseconds before writing anything.
    Delay(u64),
    /// Reads the request and never answers; the socket stays open until the server stops.
    NeverAnswer,
    /// Reads the request and closes without writing.
    Close,
    /// 200 with the truncated JSON `{"errno":0,`.
    InvalidJson,
    /// 200 text/plain `success`.
    PlainSuccess,
    /// 200 `{"errno":1,"msg":"fail","data":{}}`.
    Errno1,
    /// 200 `{"errno":0,"msg":"success","data":{"isConsumed":1}}`.
    IsConsumed1,
    /// 302 to https://pay.example.com/final.
    Redirect,
    /// 500 with a small HTML body.
    Status500,
    /// The success answer the first time, then `{"errno":1,"msg":"order already processed",...}`.
    DifferentSecondTime,
    /// Accepts the connection and never reads the request.
    AcceptNeverRead,
    /// Sends the status line and headers (Content-Length 100), then stalls.
    StallAfterHeaders,
    /// Sends 200 without a length and then body bytes until the client goes (capped at 64 MB).
    EndlessBody,
    /// Announces a 2 GB Content-Length, sends a few bytes and closes.
    HugeContentLength,
    /// 200 with a body that is not UTF-8.
    InvalidUtf8,
    /// 200 with a 10 MB JSON answer.
    BigJson,
}

/// A running server. Dropping it stops it.
pub struct Server {
    /// The TCP address (HTTP, HTTPS) or UDP address (DNS).
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

/// What a server's threads share.
struct Shared {
    requests: Mutex<Vec<String>>,
    connections: AtomicUsize,
    /// Complete HTTP requests answered or refused, in arrival order (for `DifferentSecondTime`).
    served: AtomicUsize,
    stopped: Mutex<bool>,
    stop: Condvar,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            requests: Mutex::new(Vec::new()),
            connections: AtomicUsize::new(0),
            served: AtomicUsize::new(0),
            stopped: Mutex::new(false),
            stop: Condvar::new(),
        })
    }

    fn is_stopped(&self) -> bool {
        *lock(&self.stopped)
    }

    fn set_stopped(&self) {
        *lock(&self.stopped) = true;
        self.stop.notify_all();
    }

    /// Waits until the server stops or `timeout` passes; true when it stopped.
    fn wait_stopped(&self, timeout: Duration) -> bool {
        let guard = lock(&self.stopped);
        let (guard, _) = self
            .stop
            .wait_timeout_while(guard, timeout, |stopped| !*stopped)
            .unwrap_or_else(PoisonError::into_inner);
        *guard
    }

    fn record(&self, request: String) {
        lock(&self.requests).push(request);
    }
}

impl Server {
    /// Raw requests received so far: request line, headers and body as text (lossy UTF-8).
    /// For the DNS server, the queried names (lowercase, without the trailing dot).
    #[must_use]
    pub fn requests(&self) -> Vec<String> {
        lock(&self.shared.requests).clone()
    }

    /// TCP connections accepted so far (DNS: datagrams received).
    #[must_use]
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Starts the watchdog that stops the server at `CAP`, and runs `wake` once it stops so the
    /// blocked accept or receive returns.
    fn start(
        addr: SocketAddr,
        shared: Arc<Shared>,
        main: JoinHandle<()>,
        wake: fn(SocketAddr),
    ) -> Self {
        let s = Arc::clone(&shared);
        let guard = std::thread::spawn(move || {
            s.wait_stopped(CAP);
            s.set_stopped();
            wake(addr);
        });
        Self {
            addr,
            shared,
            threads: vec![guard, main],
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.set_stopped();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn wake_tcp(addr: SocketAddr) {
    let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
}

fn wake_udp(addr: SocketAddr) {
    if let Ok(s) = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)) {
        let _ = s.send_to(&[], addr);
    }
}

/// Accepts connections until the server stops, each handled on its own thread.
fn accept_loop(
    listener: &TcpListener,
    shared: &Arc<Shared>,
    handle: impl Fn(TcpStream, Arc<Shared>) + Send + Sync + 'static,
) {
    let handle = Arc::new(handle);
    loop {
        let accepted = listener.accept();
        if shared.is_stopped() {
            break;
        }
        match accepted {
            Ok((stream, _)) => {
                shared.connections.fetch_add(1, Ordering::SeqCst);
                let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
                let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
                let h = Arc::clone(&handle);
                let s = Arc::clone(shared);
                std::thread::spawn(move || h(stream, s));
            }
            // Out of descriptors and the like: wait a moment rather than spin.
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

fn listen() -> TcpListener {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0")
}

/// A plain HTTP server.
#[must_use]
pub fn http_server(b: Behaviour) -> Server {
    let listener = listen();
    let addr = listener.local_addr().expect("local_addr");
    let shared = Shared::new();
    let s = Arc::clone(&shared);
    let main = std::thread::spawn(move || {
        accept_loop(&listener, &s, move |mut stream, shared| {
            if serve(&mut stream, &shared, b) {
                let _ = stream.flush();
                let _ = stream.shutdown(Shutdown::Write);
            }
        });
    });
    Server::start(addr, shared, main, wake_tcp)
}

/// Which certificate the TLS server shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertCase {
    /// Valid from yesterday for a year, for `localhost` and 127.0.0.1.
    Valid,
    /// Valid from 30 days ago until yesterday.
    Expired,
    /// Valid, for `other.test` only.
    WrongHost,
    /// Valid, ending 10 days and 1 hour from now (10 whole days left).
    Expiring10Days,
}

/// A TLS server with a certificate from a CA made in the test. Certificates name `localhost`
/// and IP 127.0.0.1 (WrongHost: only `other.test`). Returns the server and the CA certificate
/// in PEM.
#[must_use]
pub fn tls_server(b: Behaviour, cert: CertCase) -> (Server, String) {
    let (config, ca_pem) = tls_config(cert);
    let listener = listen();
    let addr = listener.local_addr().expect("local_addr");
    let shared = Shared::new();
    let s = Arc::clone(&shared);
    let main = std::thread::spawn(move || {
        accept_loop(&listener, &s, move |stream, shared| {
            // A failed handshake shows up as a read error in `serve`: the thread just ends.
            let Ok(conn) = rustls::ServerConnection::new(Arc::clone(&config)) else {
                return;
            };
            let mut tls = rustls::StreamOwned::new(conn, stream);
            if serve(&mut tls, &shared, b) {
                tls.conn.send_close_notify();
                let _ = tls.flush();
                let _ = tls.sock.shutdown(Shutdown::Write);
            }
        });
    });
    (Server::start(addr, shared, main, wake_tcp), ca_pem)
}

const DAY: Duration = Duration::from_hours(24);

/// Makes the CA and the server certificate, and the server config showing it.
fn tls_config(case: CertCase) -> (Arc<rustls::ServerConfig>, String) {
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose,
        IsCa, KeyPair, KeyUsagePurpose,
    };
    // rcgen's `OffsetDateTime` plus a std Duration: no direct `time` dependency needed.
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970");
    let now = rcgen::date_time_ymd(1970, 1, 1) + Duration::from_secs(since_epoch.as_secs());

    let mut ca = CertificateParams::default();
    ca.distinguished_name = rcgen::DistinguishedName::new();
    ca.distinguished_name
        .push(DnType::CommonName, "bdpay-doctor test CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    ca.not_before = now - 2 * DAY;
    ca.not_after = now + 3650 * DAY;
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().expect("CA key"))
        .expect("CA certificate");

    let names: Vec<String> = match case {
        CertCase::WrongHost => vec!["other.test".into()],
        _ => vec!["localhost".into(), "127.0.0.1".into()],
    };
    let mut leaf = CertificateParams::new(names).expect("names");
    leaf.distinguished_name = rcgen::DistinguishedName::new();
    leaf.distinguished_name
        .push(DnType::CommonName, "bdpay-doctor test server");
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.use_authority_key_identifier_extension = true;
    (leaf.not_before, leaf.not_after) = match case {
        CertCase::Valid | CertCase::WrongHost => (now - DAY, now + 365 * DAY),
        CertCase::Expired => (now - 30 * DAY, now - DAY),
        CertCase::Expiring10Days => (now - DAY, now + 10 * DAY + Duration::from_hours(1)),
    };
    let leaf_key = KeyPair::generate().expect("server key");
    let leaf_cert = leaf.signed_by(&leaf_key, &ca).expect("server certificate");

    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(&[&rustls::version::TLS12, &rustls::version::TLS13])
    .expect("protocol versions")
    .with_no_client_auth()
    .with_single_cert(vec![leaf_cert.der().clone()], key)
    .expect("server config");
    (Arc::new(config), ca.pem())
}

/// Reads one request and answers it as `b` says. True when an answer was written (the caller
/// then closes the write side); false when the connection should just end.
fn serve(stream: &mut (impl Read + Write), shared: &Shared, b: Behaviour) -> bool {
    if b == Behaviour::AcceptNeverRead {
        shared.wait_stopped(CAP);
        return false;
    }
    let (raw, complete) = read_request(stream);
    if !raw.is_empty() {
        shared.record(String::from_utf8_lossy(&raw).into_owned());
    }
    if !complete {
        return false;
    }
    let nth = shared.served.fetch_add(1, Ordering::SeqCst);
    let response = match b {
        Behaviour::NeverAnswer => {
            shared.wait_stopped(CAP);
            return false;
        }
        Behaviour::Close => return false,
        Behaviour::StallAfterHeaders => {
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n",
            );
            let _ = stream.flush();
            shared.wait_stopped(CAP);
            return false;
        }
        Behaviour::EndlessBody => {
            if stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n")
                .is_err()
            {
                return false;
            }
            let chunk = vec![b'x'; 64 * 1024];
            for _ in 0..1024 {
                if stream.write_all(&chunk).is_err() {
                    break;
                }
            }
            return false;
        }
        Behaviour::HugeContentLength => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2147483648\r\n\r\n{\"errno\":0,");
            return false;
        }
        Behaviour::InvalidUtf8 => {
            let body: &[u8] = b"{\"errno\":0,\"msg\":\"\xff\xfe\",\"data\":{\"isConsumed\":2}}";
            let mut r = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).into_bytes();
            r.extend_from_slice(body);
            return stream.write_all(&r).is_ok();
        }
        Behaviour::BigJson => {
            let body = format!(
                "{{\"errno\":0,\"msg\":\"{}\",\"data\":{{\"isConsumed\":2}}}}",
                "x".repeat(10 << 20)
            );
            let r = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            return stream.write_all(r.as_bytes()).is_ok();
        }
        Behaviour::Delay(ms) => {
            if shared.wait_stopped(Duration::from_millis(ms)) {
                return false;
            }
            answer(Behaviour::Correct, &raw, nth)
        }
        b => answer(b, &raw, nth),
    };
    stream.write_all(&response).is_ok()
}

/// Reads headers up to CRLFCRLF, then exactly Content-Length body bytes. Returns what was read
/// and whether the request is complete.
fn read_request(stream: &mut impl Read) -> (Vec<u8>, bool) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut want: Option<usize> = None;
    loop {
        if let Some(total) = want {
            if buf.len() >= total {
                buf.truncate(total);
                return (buf, true);
            }
        } else if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]);
            let total = end + 4 + content_length(&head);
            if total > MAX_REQUEST {
                return (buf, false);
            }
            want = Some(total);
            continue;
        }
        if buf.len() >= MAX_REQUEST {
            return (buf, false);
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return (buf, false),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn content_length(head: &str) -> usize {
    head.lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0)
}

/// The path of the request target, without query, scheme or authority.
fn request_path(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let target = text
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("");
    let target = match target.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => target,
    };
    target.split(['?', '#']).next().unwrap_or("").to_owned()
}

fn body_of(raw: &[u8]) -> &[u8] {
    find(raw, b"\r\n\r\n").map_or(&[][..], |i| &raw[i + 4..])
}

/// The kind a callback path carries.
fn kind_of(path: &str) -> Option<Kind> {
    match path {
        "/notify" => Some(Kind::Notify),
        "/refund-audit" => Some(Kind::RefundAudit),
        "/refund-notify" => Some(Kind::RefundNotify),
        _ => None,
    }
}

/// `applyRefundMoney` of a form body as an integer, or 0.
fn apply_refund_money(body: &[u8]) -> i64 {
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "applyRefundMoney")
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0)
}

fn success(kind: Kind, body: &[u8]) -> String {
    match kind {
        Kind::RefundAudit => format!(
            r#"{{"errno":0,"msg":"success","data":{{"auditStatus":1,"calculateRes":{{"refundPayMoney":{}}}}}}}"#,
            apply_refund_money(body)
        ),
        Kind::RefundNotify => r#"{"errno":0,"msg":"success","data":{}}"#.to_owned(),
        _ => r#"{"errno":0,"msg":"success","data":{"isConsumed":2}}"#.to_owned(),
    }
}

/// Whether the form body carries a valid platform signature, read as the tool reads it.
pub fn signature_valid(body: &[u8], kind: Kind) -> bool {
    let Ok(text) = std::str::from_utf8(body) else {
        return false;
    };
    let Ok(p) = payload::read(&SourceFile::new("notify.form", text), Some(kind)) else {
        return false;
    };
    let Some(plan) = sign::plan(&p) else {
        return false;
    };
    let Some(sig) = p
        .text(plan.sig_field)
        .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
    else {
        return false;
    };
    let Some(pk) = std::fs::read(PLATFORM_PUB)
        .ok()
        .and_then(|pem| keys::read(&pem).ok())
        .and_then(|k| k.public_key())
    else {
        return false;
    };
    sign::verify(&pk, plan.canonical().as_bytes(), &sig)
}

/// The HTTP response bytes for a complete request.
fn answer(b: Behaviour, raw: &[u8], nth: usize) -> Vec<u8> {
    const JSON: &str = "application/json";
    let body = body_of(raw);
    let kind = kind_of(&request_path(raw));
    let needs_kind = matches!(
        b,
        Behaviour::Correct | Behaviour::AcceptAny | Behaviour::DifferentSecondTime
    );
    let (status, ctype, text, extra): (&str, &str, String, &str) = match (b, kind) {
        (_, None) if needs_kind => ("404 Not Found", "text/plain", "not found".to_owned(), ""),
        (Behaviour::Correct, Some(k)) => {
            if signature_valid(body, k) {
                ("200 OK", JSON, success(k, body), "")
            } else {
                (
                    "200 OK",
                    JSON,
                    r#"{"errno":1,"msg":"signature verification failed","data":{}}"#.to_owned(),
                    "",
                )
            }
        }
        (Behaviour::DifferentSecondTime, Some(_)) if nth > 0 => (
            "200 OK",
            JSON,
            r#"{"errno":1,"msg":"order already processed","data":{}}"#.to_owned(),
            "",
        ),
        (Behaviour::AcceptAny | Behaviour::DifferentSecondTime, Some(k)) => {
            ("200 OK", JSON, success(k, body), "")
        }
        (Behaviour::InvalidJson, _) => ("200 OK", JSON, r#"{"errno":0,"#.to_owned(), ""),
        (Behaviour::PlainSuccess, _) => ("200 OK", "text/plain", "success".to_owned(), ""),
        (Behaviour::Errno1, _) => (
            "200 OK",
            JSON,
            r#"{"errno":1,"msg":"fail","data":{}}"#.to_owned(),
            "",
        ),
        (Behaviour::IsConsumed1, _) => (
            "200 OK",
            JSON,
            r#"{"errno":0,"msg":"success","data":{"isConsumed":1}}"#.to_owned(),
            "",
        ),
        (Behaviour::Redirect, _) => (
            "302 Found",
            "text/plain",
            String::new(),
            "Location: https://pay.example.com/final\r\n",
        ),
        (Behaviour::Status500, _) => (
            "500 Internal Server Error",
            "text/html",
            "<html><body><h1>500 Internal Server Error</h1></body></html>".to_owned(),
            "",
        ),
        // Delay, NeverAnswer and Close are handled before an answer is asked for.
        _ => unreachable!("no answer for {b:?}"),
    };
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{text}",
        text.len()
    )
    .into_bytes()
}

/// What a DNS server answers for a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    A(Ipv4Addr),
    NxDomain,
}

/// A UDP DNS server answering A queries for the given names (case-insensitive, with or without
/// trailing dot; a name listed several times gets every address). AAAA and other types for
/// known names: NOERROR with no answers; unknown names and `NxDomain`: NXDOMAIN.
#[must_use]
pub fn dns_server(map: &[(&str, Answer)]) -> Server {
    let map: Vec<(String, Answer)> = map.iter().map(|(n, a)| (normalize(n), *a)).collect();
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0 (udp)");
    let addr = socket.local_addr().expect("local_addr");
    let shared = Shared::new();
    let s = Arc::clone(&shared);
    let main = std::thread::spawn(move || {
        let mut buf = [0u8; 1500];
        loop {
            let received = socket.recv_from(&mut buf);
            if s.is_stopped() {
                break;
            }
            let Ok((n, peer)) = received else {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            s.connections.fetch_add(1, Ordering::SeqCst);
            if let Some((reply, name)) = dns_reply(&buf[..n], &map) {
                if let Some(name) = name {
                    s.record(name);
                }
                let _ = socket.send_to(&reply, peer);
            }
        }
    });
    Server::start(addr, shared, main, wake_udp)
}

fn normalize(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// The reply to a query and the name it asked for; None when it is too short to answer.
fn dns_reply(q: &[u8], map: &[(String, Answer)]) -> Option<(Vec<u8>, Option<String>)> {
    if q.len() < 12 || q[2] & 0x80 != 0 {
        return None;
    }
    let header = |rcode: u8, qd: u16, an: u16| {
        let mut h = Vec::with_capacity(512);
        h.extend_from_slice(&q[..2]);
        // QR, the query's opcode and RD; AA; RA.
        h.push(0x80 | (q[2] & 0x79) | 0x04);
        h.push(0x80 | rcode);
        h.extend_from_slice(&qd.to_be_bytes());
        h.extend_from_slice(&an.to_be_bytes());
        h.extend_from_slice(&[0, 0, 0, 0]);
        h
    };
    let qdcount = u16::from_be_bytes([q[4], q[5]]);
    let parsed = if qdcount == 1 {
        parse_question(q)
    } else {
        None
    };
    let Some((name, qtype, end)) = parsed else {
        return Some((header(1, 0, 0), None));
    };
    let key = normalize(&name);
    let entries: Vec<Answer> = map
        .iter()
        .filter(|(n, _)| *n == key)
        .map(|(_, a)| *a)
        .collect();
    let question = &q[12..end];
    let addrs: Vec<Ipv4Addr> = entries
        .iter()
        .filter_map(|a| match a {
            Answer::A(ip) => Some(*ip),
            Answer::NxDomain => None,
        })
        .collect();
    let nx = entries.is_empty() || entries.contains(&Answer::NxDomain);
    let mut reply = if nx {
        header(3, 1, 0)
    } else if qtype == 1 {
        header(0, 1, addrs.len() as u16)
    } else {
        header(0, 1, 0)
    };
    reply.extend_from_slice(question);
    if !nx && qtype == 1 {
        for ip in addrs {
            // Name by pointer to the question, A, IN, TTL 60, 4 bytes.
            reply.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
            reply.extend_from_slice(&ip.octets());
        }
    }
    Some((reply, Some(key)))
}

/// The question's name, type, and where the question ends.
fn parse_question(q: &[u8]) -> Option<(String, u16, usize)> {
    let mut i = 12;
    let mut labels = Vec::new();
    loop {
        let len = usize::from(*q.get(i)?);
        i += 1;
        if len == 0 {
            break;
        }
        if len > 63 {
            return None;
        }
        labels.push(String::from_utf8_lossy(q.get(i..i + len)?).into_owned());
        i += len;
    }
    let qtype = u16::from_be_bytes([*q.get(i)?, *q.get(i + 1)?]);
    q.get(i + 2..i + 4)?;
    Some((labels.join("."), qtype, i + 4))
}
