//! The probe and the simulator against real servers on 127.0.0.1 started here (HTTP with
//! scripted behaviours, TLS with a CA made in the test, DNS over UDP). Each network rule's
//! fixtures are scenarios: `fixtures/rules/PRB*/{bad,good}/*.scenario.toml`. No packet leaves
//! loopback: names resolve through the test DNS server, `public.test` resolves to a public
//! address but is connected to loopback with `connect_to`, and `private.test` (10.0.0.5) is
//! never connected to.

mod common;
mod support;

use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::time::Duration;

use bdpay_core::finding::Finding;
use bdpay_core::message::Lang;
use bdpay_core::payload::Kind;
use bdpay_core::probe::{Probe, Target};
use bdpay_core::registry;
use bdpay_core::rules::{self, Settings};
use bdpay_core::source::{SourceFile, Span};
use bdpay_doctor::probe::{self, Options};
use serde::Deserialize;
use support::{Answer, Behaviour, CertCase, Server};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(clippy::struct_excessive_bools)]
struct Scenario {
    #[serde(default = "notify")]
    kind: String,
    behaviour: String,
    delay_ms: Option<u64>,
    tls: Option<String>,
    host: Option<String>,
    #[serde(default = "yes")]
    allow_private: bool,
    #[serde(default = "three")]
    runs: usize,
    #[serde(default = "five")]
    timeout_s: f64,
    #[serde(default)]
    simulate: bool,
    #[serde(default)]
    refused: bool,
    #[serde(default)]
    clean: bool,
}

fn notify() -> String {
    "notify".into()
}
const fn yes() -> bool {
    true
}
const fn three() -> usize {
    3
}
const fn five() -> f64 {
    5.0
}

fn behaviour(s: &Scenario) -> Behaviour {
    match s.behaviour.as_str() {
        "correct" => Behaviour::Correct,
        "accept-any" => Behaviour::AcceptAny,
        "delay" => Behaviour::Delay(s.delay_ms.expect("delay_ms")),
        "never-answer" => Behaviour::NeverAnswer,
        "close" => Behaviour::Close,
        "invalid-json" => Behaviour::InvalidJson,
        "plain-success" => Behaviour::PlainSuccess,
        "errno1" => Behaviour::Errno1,
        "is-consumed-1" => Behaviour::IsConsumed1,
        "redirect" => Behaviour::Redirect,
        "status-500" => Behaviour::Status500,
        "different-second-time" => Behaviour::DifferentSecondTime,
        "accept-never-read" => Behaviour::AcceptNeverRead,
        "stall-after-headers" => Behaviour::StallAfterHeaders,
        "endless-body" => Behaviour::EndlessBody,
        "huge-content-length" => Behaviour::HugeContentLength,
        "invalid-utf8" => Behaviour::InvalidUtf8,
        "big-json" => Behaviour::BigJson,
        other => panic!("unknown behaviour {other}"),
    }
}

fn kind(s: &str) -> Kind {
    match s {
        "refund-audit" => Kind::RefundAudit,
        "refund-notify" => Kind::RefundNotify,
        _ => Kind::Notify,
    }
}

/// The public address `public.test` resolves to; never connected to (`connect_to` wins).
const PUBLIC: Ipv4Addr = Ipv4Addr::new(93, 184, 216, 34);

fn dns() -> Server {
    support::dns_server(&[
        ("ok.test", Answer::A(Ipv4Addr::LOCALHOST)),
        ("public.test", Answer::A(PUBLIC)),
        ("private.test", Answer::A(Ipv4Addr::new(10, 0, 0, 5))),
        ("missing.test", Answer::NxDomain),
    ])
}

/// Runs a scenario: its servers, the probe (or simulation), and the probe and answer rules.
fn run(s: &Scenario) -> (Probe, Vec<Finding>) {
    let dns = dns();
    let host = s.host.clone().unwrap_or_else(|| "127.0.0.1".into());
    assert!(
        !(host == "private.test" && s.allow_private),
        "a scenario must never connect to a private address"
    );
    let b = behaviour(s);
    let (server, ca) = match s.tls.as_deref() {
        None => (Some(support::http_server(b)), None),
        Some(c) => {
            let case = match c {
                "valid" => CertCase::Valid,
                "expired" => CertCase::Expired,
                "wrong-host" => CertCase::WrongHost,
                "expiring" => CertCase::Expiring10Days,
                other => panic!("unknown tls case {other}"),
            };
            let (srv, ca) = support::tls_server(b, case);
            (Some(srv), Some(ca))
        }
    };
    let addr = if s.refused {
        // A port nobody listens on: bind, note it, close.
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let a = l.local_addr().unwrap();
        drop(l);
        a
    } else {
        server.as_ref().unwrap().addr
    };
    let k = kind(&s.kind);
    let path = match k {
        Kind::RefundAudit => "/refund-audit",
        Kind::RefundNotify => "/refund-notify",
        _ => "/notify",
    };
    let scheme = if s.tls.is_some() { "https" } else { "http" };
    let url = format!("{scheme}://{host}:{}{path}", addr.port());
    let ca_certs = ca.map(|pem| pem_der(&pem)).into_iter().collect();
    let opts = Options {
        runs: if s.simulate { 2 } else { s.runs },
        timeout: Duration::from_secs_f64(s.timeout_s),
        budget: Duration::from_secs(30),
        dns_server: Some(dns.addr),
        allow_private: s.allow_private,
        ca_certs,
        connect_to: (host == "public.test").then_some(addr),
    };
    let target = Target {
        kind: k,
        url: url.clone(),
        name: url.clone(),
        span: Span::new(0, url.len()),
        source: SourceFile::new("<scenario>", url),
    };
    let p = if s.simulate {
        let key =
            bdpay_core::keys::read(&std::fs::read(support::PLATFORM_PRIVATE).unwrap()).unwrap();
        let mut fields = probe::fields_now(k);
        fields.retain(|(k, _)| k != "rsaSign");
        probe::command::sign_fields(&mut fields, key.private.as_ref().unwrap()).unwrap();
        probe::send(target, &bdpay_core::probe::form_body(&fields), &opts, true)
    } else {
        probe::probe(target, &opts)
    };
    if host == "private.test" {
        assert!(
            p.runs.iter().all(|r| r.phases.connect.is_none()),
            "connected to a private address"
        );
    }
    let findings = lint(std::slice::from_ref(&p));
    drop(server);
    (p, findings)
}

fn lint(probes: &[Probe]) -> Vec<Finding> {
    let answers = bdpay_doctor::answers::answers(probes);
    let settings = Settings {
        only: Some(
            registry::all()
                .iter()
                .filter(|r| r.code.starts_with("PRB") || r.code.starts_with("RSP"))
                .map(|r| r.code.clone())
                .collect(),
        ),
        levels: std::collections::BTreeMap::default(),
        key: None,
        orders: None,
    };
    let mut f = rules::lint_run(None, &answers, probes, &settings);
    bdpay_doctor::answers::filter_rejections(&mut f, probes);
    f
}

fn pem_der(pem: &str) -> Vec<u8> {
    use base64::Engine as _;
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap()
}

fn scenarios(dir: &Path) -> Vec<(String, Scenario)> {
    let mut v: Vec<(String, Scenario)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".scenario.toml"))
        .map(|p| {
            let s: Scenario = toml::from_str(&std::fs::read_to_string(&p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.display().to_string(), s)
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

fn codes(f: &[Finding]) -> Vec<&str> {
    f.iter().map(|f| f.rule.code.as_str()).collect()
}

/// A network rule's fixture directory, `fixtures/rules/<code>-<name>`.
fn rule_dir(rule: &registry::RuleMeta) -> std::path::PathBuf {
    std::fs::read_dir("fixtures/rules")
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name().unwrap().to_string_lossy() == format!("{}-{}", rule.code, rule.name)
        })
        .unwrap_or_else(|| panic!("no fixtures for {}", rule.code))
}

fn network_rules() -> impl Iterator<Item = &'static registry::RuleMeta> {
    registry::all().iter().filter(|r| r.code.starts_with("PRB"))
}

#[test]
fn every_network_rule_fires_on_its_bad_scenarios_and_not_on_its_good_ones() {
    let mut failures = Vec::new();
    for rule in network_rules() {
        let dir = rule_dir(rule);
        for (name, s) in scenarios(&dir.join("bad")) {
            let (_, f) = run(&s);
            if !codes(&f).contains(&rule.code.as_str()) {
                failures.push(format!(
                    "{name}: expected {}, got {:?}",
                    rule.code,
                    codes(&f)
                ));
            }
        }
        for (name, s) in scenarios(&dir.join("good")) {
            let (_, f) = run(&s);
            if codes(&f).contains(&rule.code.as_str()) || (s.clean && !f.is_empty()) {
                failures.push(format!(
                    "{name}: expected {}, got {:?}: {:?}",
                    if s.clean {
                        "nothing"
                    } else {
                        "no finding of this rule"
                    },
                    codes(&f),
                    f.iter().map(|f| &f.diagnostic.message).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `--lang zh` says the whole probe path in Chinese: for every network rule's bad scenario, the
/// probe section (addresses, certificate, run bars and their legend, the figures, failures) and
/// every finding, as printed; no run of English words may remain outside quoted values,
/// identifiers and the request as sent.
#[test]
fn every_network_rule_bad_scenario_is_reported_in_chinese() {
    use bdpay_core::render::{Format, Style, human_finding, human_probes, json_probes};
    let style = Style {
        format: Format::Human,
        color: false,
        lang: Lang::Zh,
        width: 400,
        show_secrets: false,
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in network_rules() {
        for (name, s) in scenarios(&rule_dir(rule).join("bad")) {
            let (p, findings) = run(&s);
            assert!(
                codes(&findings).contains(&rule.code.as_str()),
                "{name}: expected {}, got {:?}",
                rule.code,
                codes(&findings)
            );
            let mut text = human_probes(std::slice::from_ref(&p), Lang::Zh);
            for f in &findings {
                text.push_str(&human_finding(f, &style));
            }
            // The JSON probe section too, value by value, as its reader shows it.
            let mut texts = vec![text];
            strings(
                &json_probes(std::slice::from_ref(&p), Lang::Zh, false),
                &mut texts,
            );
            for text in &texts {
                for run in common::english_runs(text) {
                    failures.push(format!("{name}: {run}"));
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 12, "only {checked} scenarios");
    assert!(
        failures.is_empty(),
        "{} English runs in Chinese probe output:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_english_probe_section_keeps_its_layout() {
    let (p, _) = run(&scenario(
        "host = \"public.test\"\nrefused = true\nbehaviour = \"correct\"\nruns = 1\n",
    ));
    let text = bdpay_core::render::human_probes(std::slice::from_ref(&p), Lang::En);
    let lines: Vec<&str> = text.lines().collect();
    let run = lines.iter().find(|l| l.starts_with("  run 1  ")).unwrap();
    assert!(
        run.starts_with(&format!("  run 1  {}│ resolve ", " ".repeat(40)))
            && run.ends_with("  ✗ connection refused"),
        "{text}"
    );
    for line in [
        "  addresses  93.184.216.34",
        "         r resolve  c connect  t tls  █ processing  ▒ transfer   │ = 2 s limit",
        "  phase             min    median       p95       max",
    ] {
        assert!(lines.contains(&line), "{line:?} in:\n{text}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("  resolve    ") && l.ends_with(" ms")),
        "{text}"
    );
}

/// Every string in a JSON document.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

fn scenario(toml_text: &str) -> Scenario {
    toml::from_str(toml_text).unwrap()
}

#[test]
fn live_answers_run_through_the_answer_rules() {
    let (_, f) = run(&scenario(
        "host = \"public.test\"\nbehaviour = \"invalid-json\"\n",
    ));
    assert!(codes(&f).contains(&"RSP001"), "{:?}", codes(&f));
    let (_, f) = run(&scenario(
        "host = \"public.test\"\nbehaviour = \"is-consumed-1\"\n",
    ));
    assert!(
        codes(&f).contains(&"RSP007") && codes(&f).contains(&"PRB010"),
        "{:?}",
        codes(&f)
    );
    // errno 1 to a forged callback is the right answer: no answer-content findings.
    let (_, f) = run(&scenario(
        "host = \"public.test\"\nbehaviour = \"errno1\"\n",
    ));
    assert!(f.is_empty(), "{:?}", codes(&f));
    // ...but to a validly signed one it is wrong.
    let (_, f) = run(&scenario(
        "host = \"public.test\"\nsimulate = true\nbehaviour = \"errno1\"\n",
    ));
    assert!(codes(&f).contains(&"RSP004"), "{:?}", codes(&f));
}

#[test]
fn the_request_is_shaped_like_the_platforms_and_shown() {
    let (p, _) = run(&scenario(
        "host = \"public.test\"\nbehaviour = \"correct\"\nruns = 1\n",
    ));
    assert!(
        p.request
            .starts_with("POST /notify HTTP/1.1\r\nHost: public.test:")
    );
    assert!(
        p.request
            .contains("Content-Type: application/x-www-form-urlencoded")
    );
    assert!(p.request.contains("tpOrderId=bdpay-doctor-probe-"));
    assert!(p.request.contains("&rsaSign="));
    assert_eq!(p.addresses, vec![std::net::IpAddr::V4(PUBLIC)]);
}

#[test]
fn phases_are_timed_and_tls_is_reported() {
    let (p, _) = run(&scenario(
        "tls = \"valid\"\nbehaviour = \"delay\"\ndelay_ms = 300\nruns = 2\n",
    ));
    let [min, median, _, max] = p.stats("processing").unwrap();
    assert!(min >= Duration::from_millis(300), "{min:?}");
    assert!(median < Duration::from_millis(300 + 100), "{median:?}");
    assert!(max < Duration::from_millis(500), "{max:?}");
    assert!(p.stats("tls").is_some() && p.stats("connect").is_some());
    let c = p.cert.as_ref().unwrap();
    assert!(c.days_left > 30, "{c:?}");
}

#[test]
fn cli_probe_and_simulate_end_to_end() {
    use assert_cmd::Command;
    let dns = dns();
    let srv = support::http_server(Behaviour::Correct);
    let url = format!("http://public.test:{}/notify", srv.addr.port());
    let via_test_dns = |c: &mut Command| {
        c.args([
            "--dns-server",
            &dns.addr.to_string(),
            "--connect-to",
            &srv.addr.to_string(),
        ]);
    };
    let mut c = common::bin();
    c.args(["probe", "--runs", "2", "--format", "json", &url]);
    via_test_dns(&mut c);
    let o = c.output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["probes"][0]["runs"].as_array().unwrap().len(), 2);
    assert!(v["probes"][0]["runs"][0]["phases_ms"]["processing"].is_f64());
    // Machine-readable output shortens signatures unless --show-secrets.
    let request = v["probes"][0]["request"].as_str().unwrap();
    assert!(
        request.contains("&rsaSign=") && request.contains('…'),
        "{request}"
    );
    let mut c = common::bin();
    c.args([
        "probe",
        "--runs",
        "1",
        "--format",
        "json",
        "--show-secrets",
        &url,
    ]);
    via_test_dns(&mut c);
    let full: serde_json::Value = serde_json::from_slice(&c.output().unwrap().stdout).unwrap();
    assert!(!full["probes"][0]["request"].as_str().unwrap().contains('…'));
    // simulate: a validly signed callback is accepted twice; the dry run sends nothing.
    let mut c = common::bin();
    c.args([
        "simulate",
        "notify",
        "--url",
        &url,
        "--platform-key",
        "fixtures/keys/platform-test.pkcs8.pem",
        "--set",
        "totalMoney=100",
    ]);
    via_test_dns(&mut c);
    let o = c.output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("HTTP 200") && out.contains("totalMoney=100"),
        "{out}"
    );
    let before = srv.connections();
    let mut c = common::bin();
    c.args([
        "simulate",
        "notify",
        "--dry-run",
        "--url",
        &url,
        "--platform-key",
        "fixtures/keys/platform-test.pkcs8.pem",
    ]);
    let o = c.output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.starts_with("POST /notify HTTP/1.1") && out.contains("curl -sS -X POST"),
        "{out}"
    );
    assert_eq!(srv.connections(), before);
    // A private address is refused without --allow-private, in every format.
    for format in ["human", "json", "sarif", "github"] {
        let mut c = common::bin();
        c.args([
            "probe",
            "--format",
            format,
            "--dns-server",
            &dns.addr.to_string(),
            "http://private.test/notify",
        ]);
        let o = c.output().unwrap();
        assert_eq!(o.status.code(), Some(1));
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("PRB002"), "{format}: {out}");
    }
}

#[test]
fn probe_on_the_demo_config_and_check_with_probe() {
    // pay.example.com resolves (in the test DNS) to loopback; every connection goes to the
    // local server whatever the address, so 10.0.3.7 is never contacted.
    let dns = support::dns_server(&[("pay.example.com", Answer::A(Ipv4Addr::LOCALHOST))]);
    let srv = support::http_server(Behaviour::Correct);
    let net = [
        "--dns-server".to_owned(),
        dns.addr.to_string(),
        "--connect-to".to_owned(),
        srv.addr.to_string(),
        "--allow-private".to_owned(),
        "--runs".to_owned(),
        "2".to_owned(),
        "--timeout".to_owned(),
        "1".to_owned(),
    ];
    let o = common::bin()
        .args([
            "probe",
            "--format",
            "json",
            "--config",
            "fixtures/demo/bdpay.toml",
        ])
        .args(&net)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let probes = v["probes"].as_array().unwrap();
    assert_eq!(probes.len(), 3);
    // The demo's https URLs meet a plain-HTTP server (the handshake never completes), its
    // loopback and 10.0.3.7 addresses are private, and /baidu/refund-notify is not a path the
    // local server knows.
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    for c in ["PRB002", "PRB004", "PRB009"] {
        assert!(codes.contains(&c), "{c}: {codes:?}");
    }
    assert_eq!(probes[2]["runs"][0]["status"], 404);
    // check --probe adds the probe findings to the static ones; without --probe no connection.
    let before = srv.connections();
    let o = common::bin()
        .args([
            "check",
            "--format",
            "json",
            "--config",
            "fixtures/demo/bdpay.toml",
            "fixtures/demo",
        ])
        .output()
        .unwrap();
    assert_eq!(srv.connections(), before);
    let plain: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let o = common::bin()
        .args([
            "check",
            "--probe",
            "--format",
            "json",
            "--config",
            "fixtures/demo/bdpay.toml",
            "fixtures/demo",
        ])
        .args(&net)
        .output()
        .unwrap();
    assert!(srv.connections() > before);
    let probed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let n = |v: &serde_json::Value| v["diagnostics"].as_array().unwrap().len();
    assert!(n(&probed) > n(&plain));
    assert_eq!(probed["probes"].as_array().unwrap().len(), 3);
}

#[test]
fn simulate_builds_a_callback_from_the_order_that_the_platform_key_verifies() {
    let o = common::bin()
        .args([
            "simulate",
            "notify",
            "--dry-run",
            "--url",
            "https://pay.example.com/n",
            "--platform-key",
            "fixtures/keys/platform-test.pkcs8.pem",
            "--order",
            "fixtures/rules/ORD004-sign-fields-range-not-1/good/order.json",
            "--set",
            "userId=42",
        ])
        .output()
        .unwrap();
    let out = String::from_utf8(o.stdout).unwrap();
    let body = out
        .split("\r\n\r\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n# the same with curl").next())
        .unwrap();
    for field in [
        "tpOrderId=3028903626",
        "totalMoney=11300",
        "userId=42",
        "dealId=470193086",
    ] {
        assert!(body.contains(field), "{field}: {body}");
    }
    let dir = common::tempdir("sim");
    let f = dir.join("notify.form");
    std::fs::write(&f, body).unwrap();
    let o = common::bin()
        .args(["verify", "--key", "fixtures/keys/platform-test.pub.pem"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}
