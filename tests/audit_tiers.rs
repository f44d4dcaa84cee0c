//! `audit`'s two tiers give the same report as reading every line in full: the audit fixture
//! corpus and a generated log with every kind of fault, audited both ways, compared byte for
//! byte (counts, and every finding with its place, message and help). The log also proves the
//! first tier is used: every plain valid notify is taken by it and nothing else is.

use std::path::PathBuf;
use std::sync::Arc;

use bdpay_core::audit::{Line, Stats, audit_line, audit_line_full, first_tier};
use bdpay_core::config::{Config, NoFiles};
use bdpay_core::rules::{Engine, Settings};
use bdpay_core::sign::forensics::form_encode;
use bdpay_core::source::SourceFile;

const PLATFORM: &str = "fixtures/keys/platform-test.pkcs8.pem";
const OTHER: &str = "fixtures/keys/test-1024.pkcs1.pem";

fn private(path: &str) -> rsa::PrivateKey {
    bdpay_core::keys::read(&std::fs::read(path).unwrap())
        .unwrap()
        .private
        .unwrap()
}

/// A notify's fields in the platform's order.
fn notify(i: usize) -> Vec<(String, String)> {
    let money = (1000 + i).to_string();
    [
        ("userId", "3269234686470".to_owned()),
        ("orderId", (5000 + i).to_string()),
        ("unitPrice", money.clone()),
        ("count", "1".into()),
        ("totalMoney", money.clone()),
        ("payMoney", money),
        ("promoMoney", "0".into()),
        ("hbMoney", "0".into()),
        ("hbBalanceMoney", "0".into()),
        ("giftCardMoney", "0".into()),
        ("dealId", "470193086".into()),
        ("payTime", (1_764_000_000 + i).to_string()),
        ("promoDetail", String::new()),
        ("payType", "1117".into()),
        ("partnerId", "6000001".into()),
        ("status", "2".into()),
        ("tpOrderId", format!("T{i}")),
        ("returnData", String::new()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn canonical(fields: &[(String, String)]) -> String {
    let mut f: Vec<_> = fields.iter().filter(|(k, _)| k != "rsaSign").collect();
    f.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    f.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn sha1_sig(key: &rsa::PrivateKey, fields: &[(String, String)]) -> String {
    bdpay_core::sign::sign(key, canonical(fields).as_bytes()).unwrap()
}

fn body(fields: &[(String, String)], sig: Option<&str>) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", form_encode(v)))
        .chain(sig.map(|s| format!("rsaSign={}", form_encode(s))))
        .collect::<Vec<_>>()
        .join("&")
}

/// Every kind of line an audit meets, valid or not; `true` marks the plain valid notifies the
/// first tier must take.
fn log() -> Vec<(String, bool)> {
    let key = private(PLATFORM);
    let other = private(OTHER);
    let mut out = Vec::new();
    let valid = |i: usize| {
        let f = notify(i);
        body(&f, Some(&sha1_sig(&key, &f)))
    };
    // Plain valid notifies, in the platform's order and in another.
    for i in 0..5 {
        out.push((valid(i), true));
    }
    let mut f = notify(5);
    let s = sha1_sig(&key, &f);
    f.reverse();
    out.push((body(&f, Some(&s)), true));
    // Values that need decoding: returnData as encoded JSON, a promoDetail with spaces.
    let mut f = notify(6);
    f[17].1 = r#"{"from":"mini program","id":7}"#.into();
    f[12].1 = "summer sale".into();
    out.push((body(&f, Some(&sha1_sig(&key, &f))), true));
    // Characters the first tier's word scan stops at but which separate nothing (`*-._` kept
    // by the encoder, `~` written raw), a lower-case escape, and a raw `=` inside a value (the
    // value starts after the piece's first `=`).
    let mut f = notify(23);
    f[12].1 = "a-b.c_d*e~f".into();
    let b = body(&f, Some(&sha1_sig(&key, &f))).replace("%7E", "~");
    assert!(b.contains("promoDetail=a-b.c_d*e~f") && b.contains("%2B"));
    out.push((b.replacen("%2B", "%2b", 1), true));
    let mut f = notify(24);
    f[17].1 = "k=v==".into();
    let b = body(&f, Some(&sha1_sig(&key, &f))).replace("k%3Dv%3D%3D", "k=v==");
    assert!(b.contains("returnData=k=v==&"));
    out.push((b, true));
    // Another key, a value changed after signing, MD5withRSA.
    let f = notify(7);
    out.push((body(&f, Some(&sha1_sig(&other, &f))), false));
    let f = notify(8);
    let s = sha1_sig(&key, &f);
    let mut changed = f.clone();
    changed[5].1 = "1".into();
    out.push((body(&changed, Some(&s)), false));
    let f = notify(9);
    let md5 = key
        .pkcs1v15_sign::<md5::Md5>(canonical(&f).as_bytes())
        .unwrap();
    let md5 = base64_std(&md5);
    out.push((body(&f, Some(&md5)), false));
    // The signature damaged in transport: `+` as a space, URL-safe, encoded twice, empty, none.
    let f = notify(10);
    let s = sha1_sig(&key, &f);
    let b = body(&f, Some(&s));
    out.push((b.replace("%2B", "+"), false));
    out.push((
        body(&f, Some(&s.replace('+', "-").replace('/', "_"))),
        false,
    ));
    out.push((b.replace("%2B", "%252B"), false));
    out.push((body(&f, Some("")), false));
    out.push((body(&f, None), false));
    // Fields the first tier does not know, misspelt, repeated; a dealId not the config's.
    let mut f = notify(11);
    f.push(("foo".into(), "1".into()));
    out.push((body(&f, Some(&sha1_sig(&key, &f))), false));
    let mut f = notify(12);
    f[10].0 = "dealID".into();
    out.push((body(&f, Some(&sha1_sig(&key, &f))), false));
    let f = notify(13);
    out.push((
        format!("{}&status=2", body(&f, Some(&sha1_sig(&key, &f)))),
        false,
    ));
    let mut f = notify(14);
    f[10].1 = "999".into();
    out.push((body(&f, Some(&sha1_sig(&key, &f))), false));
    // A body decoded before it was logged (raw `+` in the signature, no escapes).
    let f = notify(15);
    let s = sha1_sig(&key, &f);
    if s.contains('+') {
        let raw = f
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .chain(std::iter::once(format!("rsaSign={s}")))
            .collect::<Vec<_>>()
            .join("&");
        out.push((raw, false));
    }
    // A refund notify, a record with its answer, a record with a time, spaces, junk.
    let refund: Vec<(String, String)> = [
        ("orderId", "5100"),
        ("userId", "3269234686470"),
        ("tpOrderId", "T100"),
        ("refundBatchId", "152713"),
        ("refundStatus", "1"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    out.push((body(&refund, Some(&sha1_sig(&key, &refund))), false));
    let v = valid(16);
    out.push((
        format!(
            r#"{{"request": "{v}", "response": "{{\"errno\":0,\"msg\":\"success\",\"data\":{{\"isConsumed\":1}}}}"}}"#
        ),
        false,
    ));
    let v = valid(17);
    out.push((
        format!(r#"{{"request": "{v}", "received_at": "2026-12-01T10:00:00+08:00"}}"#),
        true,
    ));
    out.push((format!("{} ", valid(18)).replace('&', " & "), false));
    out.push(("this is not a callback".into(), false));
    // Form edge cases: a trailing `&` (an empty piece the reader skips), an empty piece inside,
    // a piece with no `=`, a name that is empty.
    out.push((format!("{}&", valid(19)), true));
    out.push((valid(20).replacen('&', "&&", 1), false));
    out.push((format!("{}&status", valid(21)), false));
    out.push((format!("={}", valid(22)), false));
    out
}

fn base64_std(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn report(stats: &Stats, findings: &[bdpay_core::finding::Finding]) -> String {
    let mut s = format!("{stats:?}\n");
    for f in findings {
        let (line, col) = f.line_col();
        s.push_str(&format!(
            "{} {}:{line}:{col} {:?} {} | {} | {}\n",
            f.rule.code,
            f.diagnostic.source.name,
            f.diagnostic.span,
            f.diagnostic.message.en,
            f.diagnostic.label.en,
            f.help(bdpay_core::message::Lang::En)
        ));
    }
    s
}

fn audit(engine: &Engine<'_>, lines: &[String], tiers: bool) -> String {
    let file: Arc<str> = Arc::from("log.txt");
    let mut stats = Stats::default();
    let mut out = Vec::new();
    for (i, text) in lines.iter().enumerate() {
        let line = Line {
            file: Arc::clone(&file),
            no: u32::try_from(i + 1).unwrap(),
            text: Ok(text.clone()),
            // One repeat delivery: the first tier leaves repeats to the full reader.
            duplicate_of: (i == 3).then_some(1),
        };
        if tiers {
            audit_line(engine, line, &mut stats, &mut out);
        } else {
            audit_line_full(engine, line, &mut stats, &mut out);
        }
    }
    report(&stats, &out)
}

fn engine_parts(deal_id: bool) -> (Config, Settings) {
    let text = if deal_id {
        "[merchant]\ndeal_id = \"470193086\"\n"
    } else {
        "[merchant]\napp_key = \"MMMabc\"\n"
    };
    let config = Config::parse(
        SourceFile::new("bdpay.toml", text),
        PathBuf::from("."),
        &NoFiles,
    )
    .unwrap();
    let settings = Settings {
        key: Some((
            "platform-test.pub.pem".into(),
            std::fs::read("fixtures/keys/platform-test.pub.pem").unwrap(),
        )),
        ..Settings::default()
    };
    (config, settings)
}

#[test]
fn both_tiers_give_the_same_report_as_reading_every_line() {
    let generated = log();
    let mut lines: Vec<String> = generated.iter().map(|(l, _)| l.clone()).collect();
    let corpus = std::fs::read_to_string("fixtures/audit/callbacks.ndjson").unwrap();
    lines.extend(corpus.lines().map(str::to_owned));
    for deal_id in [true, false] {
        let (config, settings) = engine_parts(deal_id);
        let engine = Engine::new(Some(&config), &settings);
        let (tiered, full) = (audit(&engine, &lines, true), audit(&engine, &lines, false));
        assert_eq!(tiered, full, "deal_id in the config: {deal_id}");
        assert!(full.contains("SIG0"), "the log must hold faults: {full}");
    }
}

#[test]
fn the_first_tier_takes_exactly_the_plain_valid_notifies() {
    let (config, settings) = engine_parts(true);
    let engine = Engine::new(Some(&config), &settings);
    for (i, (line, plain)) in log().iter().enumerate() {
        let (request, received) = match bdpay_core::audit::record(line) {
            Some((request, None, received)) => (request, received),
            Some(_) => continue,
            None => (line.clone(), None),
        };
        let mut stats = Stats::default();
        assert_eq!(
            first_tier(&engine, &request, received.as_deref(), &mut stats),
            *plain,
            "line {i}: {line}"
        );
    }
    // With --orders every line goes to the full reader, which checks them against the orders.
    let orders =
        bdpay_core::audit::Orders::parse("tpOrderId,totalAmount\nT0,1000\n", "o.csv").unwrap();
    let settings = Settings {
        orders: Some(Arc::new(orders)),
        ..settings
    };
    let engine = Engine::new(Some(&config), &settings);
    let f = notify(0);
    let line = body(&f, Some(&sha1_sig(&private(PLATFORM), &f)));
    assert!(!first_tier(&engine, &line, None, &mut Stats::default()));
}
