//! The test servers of tests/support answer as their behaviours say.

mod support;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream, UdpSocket};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bdpay_core::keys;
use bdpay_core::payload::{self, Kind};
use bdpay_core::sign;
use bdpay_core::source::SourceFile;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName};
use support::{Answer, Behaviour, CertCase, Server};

const T: Duration = Duration::from_secs(5);

/// A form body with these fields, signed with the platform test key as the platform would.
fn signed(fields: &str, kind: Kind) -> String {
    let p = payload::read(&SourceFile::new("notify.form", fields), Some(kind)).unwrap();
    let canonical = sign::plan(&p).unwrap().canonical();
    let key = keys::read(&std::fs::read(support::PLATFORM_PRIVATE).unwrap()).unwrap();
    let sig = sign::sign(key.private.as_ref().unwrap(), canonical.as_bytes()).unwrap();
    let sig = sig
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    format!("{fields}&rsaSign={sig}")
}

const NOTIFY: &str = "userId=3269234686470&orderId=2645985458&unitPrice=11300&count=1&totalMoney=11300&payMoney=11300&dealId=470193086&payTime=1764040000&status=2&tpOrderId=3028903626&returnData=";
const REFUND_AUDIT: &str = "orderId=2645985458&userId=3269234686470&tpOrderId=3028903626&refundBatchId=152713835&applyRefundMoney=1300&bizRefundBatchId=1001";

fn request(path: &str, body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Writes a request over `s` and reads the whole answer.
fn exchange(s: &mut (impl Read + Write), req: &str) -> String {
    s.write_all(req.as_bytes()).unwrap();
    s.flush().unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect_timeout(&addr, T).unwrap();
    s.set_read_timeout(Some(T)).unwrap();
    s.set_write_timeout(Some(T)).unwrap();
    s
}

fn post(server: &Server, path: &str, body: &str) -> String {
    exchange(&mut connect(server.addr), &request(path, body))
}

/// Status line and body of an answer, checking the framing headers.
fn split(answer: &str) -> (&str, &str) {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let status = head.lines().next().unwrap();
    assert!(status.starts_with("HTTP/1.1 "), "{answer}");
    assert!(head.contains("\r\nConnection: close"), "{answer}");
    assert!(
        head.contains(&format!("\r\nContent-Length: {}", body.len())),
        "{answer}"
    );
    (status, body)
}

#[test]
fn correct_verifies_the_signature_for_each_kind() {
    let server = support::http_server(Behaviour::Correct);
    let notify = signed(NOTIFY, Kind::Notify);
    let answer = post(&server, "/notify", &notify);
    let (status, body) = split(&answer);
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(answer.contains("Content-Type: application/json"));
    assert_eq!(
        body,
        r#"{"errno":0,"msg":"success","data":{"isConsumed":2}}"#
    );

    let audit = signed(REFUND_AUDIT, Kind::RefundAudit);
    let answer = post(&server, "/refund-audit?from=test", &audit);
    assert_eq!(
        split(&answer).1,
        r#"{"errno":0,"msg":"success","data":{"auditStatus":1,"calculateRes":{"refundPayMoney":1300}}}"#
    );

    let refund = signed(REFUND_AUDIT, Kind::RefundNotify);
    let answer = post(&server, "/refund-notify", &refund);
    assert_eq!(split(&answer).1, r#"{"errno":0,"msg":"success","data":{}}"#);

    // A changed field, and no signature at all, fail verification.
    let failed = r#"{"errno":1,"msg":"signature verification failed","data":{}}"#;
    let tampered = notify.replace("payMoney=11300", "payMoney=1");
    assert_eq!(split(&post(&server, "/notify", &tampered)).1, failed);
    assert_eq!(split(&post(&server, "/notify", NOTIFY)).1, failed);
    assert_eq!(split(&post(&server, "/notify", "")).1, failed);

    // Unknown path.
    assert!(post(&server, "/other", &notify).starts_with("HTTP/1.1 404 "));

    let requests = server.requests();
    assert_eq!(requests.len(), 7);
    assert!(requests[0].starts_with("POST /notify HTTP/1.1\r\n"));
    assert!(requests[0].ends_with(&format!("\r\n\r\n{notify}")));
    assert_eq!(server.connections(), 7);
}

#[test]
fn accept_any_answers_success_whatever_the_signature() {
    let server = support::http_server(Behaviour::AcceptAny);
    assert_eq!(
        split(&post(&server, "/notify", "rsaSign=bogus")).1,
        r#"{"errno":0,"msg":"success","data":{"isConsumed":2}}"#
    );
    assert_eq!(
        split(&post(
            &server,
            "/refund-audit",
            "applyRefundMoney=25&rsaSign=x"
        ))
        .1,
        r#"{"errno":0,"msg":"success","data":{"auditStatus":1,"calculateRes":{"refundPayMoney":25}}}"#
    );
    assert_eq!(
        split(&post(&server, "/refund-audit", "applyRefundMoney=1.5")).1,
        r#"{"errno":0,"msg":"success","data":{"auditStatus":1,"calculateRes":{"refundPayMoney":0}}}"#
    );
    assert!(post(&server, "/", "").starts_with("HTTP/1.1 404 "));
}

#[test]
fn body_arriving_in_pieces_is_read_to_content_length() {
    let server = support::http_server(Behaviour::AcceptAny);
    let mut s = connect(server.addr);
    let req = request("/refund-notify", "a=1&b=2");
    let (first, rest) = req.split_at(20);
    s.write_all(first.as_bytes()).unwrap();
    s.flush().unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let answer = exchange(&mut s, rest);
    assert_eq!(split(&answer).1, r#"{"errno":0,"msg":"success","data":{}}"#);
    assert_eq!(server.requests(), vec![req]);
}

#[test]
fn fixed_answers() {
    let cases: [(Behaviour, &str, &str, &str); 5] = [
        (
            Behaviour::InvalidJson,
            "HTTP/1.1 200 OK",
            "application/json",
            r#"{"errno":0,"#,
        ),
        (
            Behaviour::PlainSuccess,
            "HTTP/1.1 200 OK",
            "text/plain",
            "success",
        ),
        (
            Behaviour::Errno1,
            "HTTP/1.1 200 OK",
            "application/json",
            r#"{"errno":1,"msg":"fail","data":{}}"#,
        ),
        (
            Behaviour::IsConsumed1,
            "HTTP/1.1 200 OK",
            "application/json",
            r#"{"errno":0,"msg":"success","data":{"isConsumed":1}}"#,
        ),
        (
            Behaviour::Status500,
            "HTTP/1.1 500 Internal Server Error",
            "text/html",
            "",
        ),
    ];
    for (b, want_status, ctype, want_body) in cases {
        let server = support::http_server(b);
        let answer = post(&server, "/notify", &signed(NOTIFY, Kind::Notify));
        let (status, body) = split(&answer);
        assert_eq!(status, want_status, "{b:?}");
        assert!(
            answer.contains(&format!("\r\nContent-Type: {ctype}\r\n")),
            "{b:?}: {answer}"
        );
        if b == Behaviour::Status500 {
            assert!(body.starts_with("<html>"), "{answer}");
        } else {
            assert_eq!(body, want_body, "{b:?}");
        }
    }
    let server = support::http_server(Behaviour::Redirect);
    let answer = post(&server, "/notify", "x=1");
    assert_eq!(split(&answer).0, "HTTP/1.1 302 Found");
    assert!(answer.contains("\r\nLocation: https://pay.example.com/final\r\n"));
}

#[test]
fn different_second_time() {
    let server = support::http_server(Behaviour::DifferentSecondTime);
    let body = signed(NOTIFY, Kind::Notify);
    assert_eq!(
        split(&post(&server, "/notify", &body)).1,
        r#"{"errno":0,"msg":"success","data":{"isConsumed":2}}"#
    );
    for _ in 0..2 {
        assert_eq!(
            split(&post(&server, "/notify", &body)).1,
            r#"{"errno":1,"msg":"order already processed","data":{}}"#
        );
    }
    assert_eq!(server.connections(), 3);
}

#[test]
fn delay_waits_then_answers_like_correct() {
    let server = support::http_server(Behaviour::Delay(150));
    let start = Instant::now();
    let answer = post(&server, "/notify", &signed(NOTIFY, Kind::Notify));
    assert!(start.elapsed() >= Duration::from_millis(150));
    assert_eq!(
        split(&answer).1,
        r#"{"errno":0,"msg":"success","data":{"isConsumed":2}}"#
    );
    assert_eq!(
        split(&post(&server, "/notify", NOTIFY)).1,
        r#"{"errno":1,"msg":"signature verification failed","data":{}}"#
    );
}

#[test]
fn never_answer_holds_the_socket_until_dropped() {
    let server = support::http_server(Behaviour::NeverAnswer);
    let mut s = connect(server.addr);
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    s.write_all(request("/notify", "a=1").as_bytes()).unwrap();
    let mut buf = [0u8; 16];
    let e = s.read(&mut buf).unwrap_err();
    assert!(
        matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
        "{e}"
    );
    assert_eq!(server.requests().len(), 1);
    let addr = server.addr;
    drop(server);
    // Released: the client sees the end of the stream, and nothing accepts any more.
    s.set_read_timeout(Some(T)).unwrap();
    assert_eq!(s.read(&mut buf).unwrap(), 0);
    assert!(TcpStream::connect_timeout(&addr, T).is_err());
}

#[test]
fn close_reads_then_closes() {
    let server = support::http_server(Behaviour::Close);
    assert_eq!(post(&server, "/notify", "a=1"), "");
    assert_eq!(server.requests().len(), 1);
    assert!(server.requests()[0].ends_with("\r\n\r\na=1"));
}

fn tls_client(
    ca_pem: &str,
    addr: SocketAddr,
    name: &str,
) -> rustls::StreamOwned<rustls::ClientConnection, TcpStream> {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(ca_pem.as_bytes()).unwrap())
        .unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let conn = rustls::ClientConnection::new(
        Arc::new(config),
        ServerName::try_from(name.to_owned()).unwrap(),
    )
    .unwrap();
    rustls::StreamOwned::new(conn, connect(addr))
}

/// The handshake's outcome.
fn handshake(ca_pem: &str, addr: SocketAddr, name: &str) -> Result<(), rustls::Error> {
    let mut c = tls_client(ca_pem, addr, name);
    while c.conn.is_handshaking() {
        c.conn.complete_io(&mut c.sock).map_err(|e| {
            e.into_inner()
                .and_then(|e| e.downcast::<rustls::Error>().ok())
                .map_or_else(|| rustls::Error::General("io".into()), |e| *e)
        })?;
    }
    Ok(())
}

#[test]
fn tls_valid_certificate_serves_requests() {
    let (server, ca) = support::tls_server(Behaviour::Correct, CertCase::Valid);
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"));
    for name in ["localhost", "127.0.0.1"] {
        let mut c = tls_client(&ca, server.addr, name);
        let answer = exchange(&mut c, &request("/notify", &signed(NOTIFY, Kind::Notify)));
        assert_eq!(
            split(&answer).1,
            r#"{"errno":0,"msg":"success","data":{"isConsumed":2}}"#,
            "{name}"
        );
    }
    assert_eq!(server.requests().len(), 2);
    assert!(server.requests()[0].starts_with("POST /notify HTTP/1.1\r\n"));
}

#[test]
fn tls_expired_and_wrong_host_fail_verification() {
    use rustls::CertificateError as C;
    let (server, ca) = support::tls_server(Behaviour::AcceptAny, CertCase::Expired);
    let e = handshake(&ca, server.addr, "localhost").unwrap_err();
    assert!(
        matches!(
            e,
            rustls::Error::InvalidCertificate(C::Expired | C::ExpiredContext { .. })
        ),
        "{e:?}"
    );
    // A failed handshake ends only its own connection.
    assert!(handshake(&ca, server.addr, "localhost").is_err());
    assert_eq!(server.connections(), 2);
    assert!(server.requests().is_empty());

    let (server, ca) = support::tls_server(Behaviour::AcceptAny, CertCase::WrongHost);
    let e = handshake(&ca, server.addr, "localhost").unwrap_err();
    assert!(
        matches!(
            e,
            rustls::Error::InvalidCertificate(
                C::NotValidForName | C::NotValidForNameContext { .. }
            )
        ),
        "{e:?}"
    );
    handshake(&ca, server.addr, "other.test").unwrap();

    let (server, ca) = support::tls_server(Behaviour::AcceptAny, CertCase::Expiring10Days);
    handshake(&ca, server.addr, "localhost").unwrap();
}

/// A DNS query for `name` of type `qtype`, with id 0x1234 and RD.
fn query(name: &str, qtype: u16) -> Vec<u8> {
    let mut q = vec![0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    for label in name.trim_end_matches('.').split('.') {
        q.push(label.len() as u8);
        q.extend_from_slice(label.as_bytes());
    }
    q.push(0);
    q.extend_from_slice(&qtype.to_be_bytes());
    q.extend_from_slice(&[0, 1]);
    q
}

/// Sends a query and returns (rcode, A addresses).
fn resolve(server: &Server, name: &str, qtype: u16) -> (u8, Vec<Ipv4Addr>) {
    let s = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    s.set_read_timeout(Some(T)).unwrap();
    let q = query(name, qtype);
    s.send_to(&q, server.addr).unwrap();
    let mut buf = [0u8; 1500];
    let (n, _) = s.recv_from(&mut buf).unwrap();
    let r = &buf[..n];
    assert_eq!(&r[..2], &[0x12, 0x34]);
    assert_eq!(r[2] & 0x80, 0x80, "QR");
    assert_eq!(&r[4..6], &[0, 1], "one question");
    assert_eq!(&r[12..q.len()], &q[12..], "question echoed");
    let ancount = usize::from(u16::from_be_bytes([r[6], r[7]]));
    let mut addrs = Vec::new();
    let mut i = q.len();
    for _ in 0..ancount {
        // Pointer name, type, class, TTL, rdlength, rdata.
        assert_eq!(&r[i..i + 4], &[0xc0, 0x0c, 0, 1]);
        assert_eq!(&r[i + 10..i + 12], &[0, 4]);
        addrs.push(Ipv4Addr::new(r[i + 12], r[i + 13], r[i + 14], r[i + 15]));
        i += 16;
    }
    assert_eq!(i, n);
    (r[3] & 0x0f, addrs)
}

#[test]
fn dns_answers_mapped_names_and_nxdomain() {
    let server = support::dns_server(&[
        ("pay.example.com", Answer::A(Ipv4Addr::LOCALHOST)),
        ("two.example.com.", Answer::A(Ipv4Addr::new(203, 0, 113, 7))),
        ("two.example.com", Answer::A(Ipv4Addr::new(198, 51, 100, 8))),
        ("gone.example.com", Answer::NxDomain),
    ]);
    assert_eq!(
        resolve(&server, "Pay.Example.COM.", 1),
        (0, vec![Ipv4Addr::LOCALHOST])
    );
    assert_eq!(
        resolve(&server, "two.example.com", 1),
        (
            0,
            vec![
                Ipv4Addr::new(203, 0, 113, 7),
                Ipv4Addr::new(198, 51, 100, 8)
            ]
        )
    );
    assert_eq!(resolve(&server, "pay.example.com", 28), (0, vec![]));
    assert_eq!(resolve(&server, "gone.example.com", 1), (3, vec![]));
    assert_eq!(resolve(&server, "unknown.example.com", 1), (3, vec![]));
    assert_eq!(resolve(&server, "unknown.example.com", 28), (3, vec![]));
    assert_eq!(server.connections(), 6);
    assert_eq!(
        server.requests(),
        [
            "pay.example.com",
            "two.example.com",
            "pay.example.com",
            "gone.example.com",
            "unknown.example.com",
            "unknown.example.com"
        ]
    );
}
