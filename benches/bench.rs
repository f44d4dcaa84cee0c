//! Benchmarks that print figures: `cargo bench`. Each figure is the median of repeated runs on
//! this machine, printed next to its target and, where one exists, the OpenSSL baseline.

#![allow(clippy::print_stdout, clippy::disallowed_macros)]

use std::process::Command;

mod common;
use std::time::{Duration, Instant};

use bdpay_core::keys;
use bdpay_core::payload;
use bdpay_core::sign::{self, forensics};
use bdpay_core::source::SourceFile;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    f();
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let key = keys::read(&std::fs::read("fixtures/keys/test-1024.pkcs1.pem").unwrap()).unwrap();
    let private = key.private.as_ref().unwrap();
    let public = key.public_key().unwrap();
    let fast = bdpay_core::fastrsa::PublicKey::from_rsa(&public).unwrap();
    let canon = "appKey=MMMabc&dealId=470193086&totalAmount=11300&tpOrderId=3028903626";

    // Forensics. The largest search: an orderInfo carrying eight fields beyond the signed four
    // (extra-field sets one and two at a time), Chinese text (GBK tried), an amount (yuan,
    // float and truncated forms), signed over a string no combination of three mistakes makes.
    // The baseline, measured in the same run: the same payload with a valid signature (read,
    // plan, one RSA operation, one hash).
    let order = |sig: &str| {
        format!(
            r#"{{"dealId":"470193086","appKey":"MMMabc","totalAmount":"1990","tpOrderId":"3028903626","dealTitle":"百度小程序 Demo 年卡","signFieldsRange":"1","rsaSign":"{sig}","bizInfo":"{{\"tpData\":{{\"appKey\":\"MMMabc\",\"dealId\":\"470193086\",\"tpOrderId\":\"3028903626\",\"totalAmount\":\"1900\"}}}}","notifyUrl":"https://shop.example/notify?a=1&b=2","returnUrl":"/pages/pay/done?id=1","userId":"3269234686470","openId":"k3j4h5","extra":"优惠 券","channel":"swan"}}"#
        )
    };
    let diagnose = |text: &str| {
        let p = payload::read(&SourceFile::new("order.json", text), None).unwrap();
        let plan = sign::plan(&p).unwrap();
        forensics::diagnose(&p, &plan, &fast, &[])
    };
    let valid = order(
        &sign::sign(
            private,
            b"appKey=MMMabc&dealId=470193086&totalAmount=1990&tpOrderId=3028903626",
        )
        .unwrap(),
    );
    let baseline = time(200, || assert!(diagnose(&valid).is_valid()));
    let unknown = order(&sign::sign(private, b"nothing the merchant would sign").unwrap());
    let worst = time(50, || {
        assert_eq!(diagnose(&unknown).cause(), &forensics::Cause::Unknown);
    });
    // Three mistakes found: dealID, the code's insertion order, yuan x 100 as a float.
    let three = order(
        &sign::sign(
            private,
            b"tpOrderId=3028903626&totalAmount=1989.9999999999998&appKey=MMMabc&dealID=470193086",
        )
        .unwrap(),
    );
    let found3 = time(50, || assert_eq!(diagnose(&three).faults.len(), 3));
    let legacy = order(
        &sign::sign(
            private,
            b"appKey=MMMabc&dealId=470193086&tpOrderId=3028903626",
        )
        .unwrap(),
    );
    let found1 = time(200, || {
        assert!(matches!(
            diagnose(&legacy).cause(),
            forensics::Cause::FieldsWrong { .. }
        ));
    });
    // Every order of six fields (720), each with the value mistakes: a six-field refund request
    // with an empty value and text that URL-encoding changes.
    let refund = |sig: &str| {
        format!(
            "appKey=MMMabc&applyRefundMoney=100&bizRefundBatchId=&orderId=2645985458&refundReason=%E7%94%A8%E6%88%B7+%E7%94%B3%E8%AF%B7&tpOrderId=3028903626&rsaSign={}",
            forensics::form_encode(sig)
        )
    };
    let refund_unknown = refund(&sign::sign(private, b"nothing the merchant would sign").unwrap());
    let perms = time(50, || {
        let p = payload::read(
            &SourceFile::new("refund.form", refund_unknown.as_str()),
            Some(payload::Kind::RefundApply),
        )
        .unwrap();
        let plan = sign::plan(&p).unwrap();
        assert_eq!(
            forensics::diagnose(&p, &plan, &fast, &[]).cause(),
            &forensics::Cause::Unknown
        );
    });
    println!("forensics, 1024-bit key, one failing signature (target < 50 ms):");
    println!(
        "  baseline, a valid signature (no search):        {}",
        ms(baseline)
    );
    println!(
        "  one mistake found (legacy 3-field set):         {}",
        ms(found1)
    );
    println!(
        "  three mistakes found (dealID, order, float):    {}",
        ms(found3)
    );
    println!(
        "  no cause, 6-field refund (every order x values): {}",
        ms(perms)
    );
    println!(
        "  no cause, orderInfo with 12 fields (extra sets): {}",
        ms(worst)
    );

    // Sign and verify throughput with the rsa crate.
    let n = 2000;
    let sig = base64_decode(&sign::sign(private, canon.as_bytes()).unwrap());
    let t = Instant::now();
    for _ in 0..n {
        assert!(sign::verify(&public, canon.as_bytes(), &sig));
    }
    let verify_rate = f64::from(n) / t.elapsed().as_secs_f64();
    let t = Instant::now();
    for _ in 0..200 {
        sign::sign(private, canon.as_bytes()).unwrap();
    }
    let sign_rate = 200.0 / t.elapsed().as_secs_f64();
    println!("rsa crate, 1024-bit, one core:");
    println!("  verify: {verify_rate:.0}/s   sign: {sign_rate:.0}/s");
    // Wall clock on both sides: these loops are timed with `Instant`.
    if let Some(o) = common::openssl_speed(1) {
        println!(
            "  openssl speed rsa1024 baseline: verify {:.0}/s ({:.0} per CPU-second)   sign {:.0}/s",
            o.verify_wall, o.verify_cpu, o.sign_wall
        );
    }

    // Probe accuracy: a loopback server that waits 300 ms before answering.
    let addr = delayed_server(Duration::from_millis(300));
    let url = format!("http://{addr}/notify");
    let target = bdpay_core::probe::Target {
        kind: bdpay_core::payload::Kind::Notify,
        url: url.clone(),
        name: url.clone(),
        span: bdpay_core::source::Span::new(0, url.len()),
        source: SourceFile::new("<bench>", url),
    };
    let opts = bdpay_doctor::probe::Options {
        runs: 20,
        allow_private: true,
        ..bdpay_doctor::probe::Options::default()
    };
    let p = bdpay_doctor::probe::probe(target, &opts);
    let [min, median, p95, max] = p.stats("processing").unwrap();
    println!(
        "probe processing against a 300 ms server, 20 runs (target: median within 300 ms + 15 ms):"
    );
    println!(
        "  min {}  median {}  p95 {}  max {}",
        ms(min),
        ms(median),
        ms(p95),
        ms(max)
    );

    // `check` on the demo, cold process (the release binary when built by `cargo bench`).
    let bin = env!("CARGO_BIN_EXE_bdpay-doctor");
    let cold = time(30, || {
        let o = Command::new(bin)
            .args([
                "check",
                "--config",
                "fixtures/demo/bdpay.toml",
                "fixtures/demo",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1));
    });
    println!(
        "check on the demo, cold process (target < 20 ms): {}",
        ms(cold)
    );

    fastrsa_verify(&public, private, canon);
}

/// Verifications per second, one core: SHA-1 of the canonical string and the RSA check, with
/// `fastrsa` and with the rsa crate, against `openssl speed rsa1024`.
fn fastrsa_verify(public: &rsa::PublicKey, private: &rsa::PrivateKey, canon: &str) {
    use sha1::{Digest as _, Sha1};
    let fast = bdpay_core::fastrsa::PublicKey::from_rsa(public).unwrap();
    let sig = base64_decode(&sign::sign(private, canon.as_bytes()).unwrap());
    let n = 20_000;
    let t = time(7, || {
        for _ in 0..n {
            let digest: [u8; 20] = Sha1::digest(std::hint::black_box(canon).as_bytes()).into();
            assert!(fast.verify_sha1(&digest, std::hint::black_box(&sig)));
        }
    });
    let fast_rate = f64::from(n) / t.as_secs_f64();
    let t = time(5, || {
        for _ in 0..500 {
            assert!(sign::verify(public, canon.as_bytes(), &sig));
        }
    });
    let crate_rate = 500.0 / t.as_secs_f64();
    println!(
        "fastrsa verify 1024-bit, one core: {fast_rate:.0}/s (rsa crate {crate_rate:.0}/s; target ≥ 70 % of openssl speed)"
    );
    if let Some(o) = common::openssl_speed(1) {
        println!(
            "  openssl speed rsa1024 verify {:.0}/s (wall clock, as this loop): fastrsa is {:.0} % of it",
            o.verify_wall,
            100.0 * fast_rate / o.verify_wall
        );
    }
}

/// A loopback server answering every request after `delay`.
fn delayed_server(delay: Duration) -> std::net::SocketAddr {
    use std::io::{Read, Write};
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in l.incoming().take(100) {
            let Ok(mut s) = s else { continue };
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while let Ok(n) = s.read(&mut chunk) {
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf);
                    if let Some(h) = text.find("\r\n\r\n") {
                        let len = text[..h]
                            .lines()
                            .find_map(|l| l.strip_prefix("Content-Length: "))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        if buf.len() >= h + 4 + len {
                            break;
                        }
                    }
                }
                std::thread::sleep(delay);
                let body = r#"{"errno":1,"msg":"signature verification failed","data":{}}"#;
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    addr
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}
