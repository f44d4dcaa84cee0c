//! `audit` over a log of callbacks: NDJSON records and raw bodies, gzip, broken lines, orders,
//! duplicates, forged signatures, and every output format.

use serde_json::Value;

mod common;
use common::bin;

fn audit(extra: &[&str], file: &str) -> (i32, String) {
    let o = bin()
        .args([
            "audit",
            "--config",
            "fixtures/audit/bdpay.toml",
            "--orders",
            "fixtures/audit/orders.csv",
        ])
        .args(extra)
        .arg(file)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8(o.stdout).unwrap(),
    )
}

#[test]
fn plain_and_gzip_logs_give_the_same_audit() {
    let (code, plain) = audit(&["--format", "json"], "fixtures/audit/callbacks.ndjson");
    assert_eq!(code, 1);
    let (_, gz) = audit(&["--format", "json"], "fixtures/audit/callbacks.ndjson.gz");
    let a: Value = serde_json::from_str(&plain).unwrap();
    let b: Value = serde_json::from_str(&gz).unwrap();
    assert_eq!(
        a["diagnostics"].as_array().unwrap().len(),
        b["diagnostics"].as_array().unwrap().len()
    );
    let s = &a["audit"];
    assert_eq!(s["lines"], 14);
    assert_eq!(s["kinds"]["notify"], 12);
    assert_eq!(s["signatures"]["valid"], 11);
    assert_eq!(s["signatures"]["failed"], 1);
    assert_eq!(s["duplicates"], 1);
    assert_eq!(s["unreadable"]["count"], 2);
    let lines: Vec<&str> = s["unreadable"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["line"].as_str().unwrap())
        .collect();
    assert_eq!(
        lines,
        [
            "fixtures/audit/callbacks.ndjson:13",
            "fixtures/audit/callbacks.ndjson:14"
        ]
    );
    assert_eq!(s["first_seen"], "1764000000");
    let codes: Vec<(&str, u64)> = a["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    for want in [
        ("AUD003", 9),
        ("RSP001", 9),
        ("SIG005", 10),
        ("AUD001", 10),
        ("AUD002", 11),
    ] {
        assert!(codes.contains(&want), "{want:?} in {codes:?}");
    }
}

#[test]
fn ndjson_streams_every_finding_then_the_summary() {
    let (code, out) = audit(&["--format", "ndjson"], "fixtures/audit/callbacks.ndjson");
    assert_eq!(code, 1);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (last, findings) = lines.split_last().unwrap();
    assert!(findings.iter().all(|f| f["code"].is_string()));
    assert_eq!(last["audit"]["lines"], 14);
    assert_eq!(
        last["summary"]["errors"].as_u64().unwrap() as usize,
        findings.iter().filter(|f| f["severity"] == "error").count()
    );
}

#[test]
fn human_report_has_the_summary_table_and_one_core_matches_two() {
    let (_, out) = audit(&["--jobs", "1"], "fixtures/audit/callbacks.ndjson");
    assert!(out.contains("audit: 14 lines"), "{out}");
    assert!(out.contains("signatures   11 valid · 1 failed"), "{out}");
    assert!(out.contains("fixtures/audit/callbacks.ndjson:13:"), "{out}");
    let (_, one) = audit(
        &["--jobs", "1", "--format", "ndjson"],
        "fixtures/audit/callbacks.ndjson",
    );
    let (_, two) = audit(
        &["--jobs", "2", "--format", "ndjson"],
        "fixtures/audit/callbacks.ndjson",
    );
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.contains("\"audit\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        strip(&one),
        strip(&two),
        "findings come out in line order whatever the threads"
    );
    let (_, gh) = audit(&["--format", "github"], "fixtures/audit/callbacks.ndjson");
    assert!(
        gh.contains("::error file=fixtures/audit/callbacks.ndjson,line=10,"),
        "{gh}"
    );
}

#[test]
fn stdin_and_missing_files() {
    let text = std::fs::read("fixtures/audit/callbacks.ndjson.gz").unwrap();
    let o = bin()
        .args([
            "audit",
            "--format",
            "json",
            "--config",
            "fixtures/audit/bdpay.toml",
            "-",
        ])
        .write_stdin(text)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["audit"]["lines"], 14);
    let o = bin().args(["audit", "no-such.log"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such.log: cannot read"));
}

#[test]
fn many_batches_come_out_in_line_order_on_any_number_of_workers() {
    // 2,800 lines (the fixture 200 times): several batches, repeated deliveries across them.
    let dir = common::tempdir("audit-batches");
    let log = dir.join("big.ndjson");
    let one = std::fs::read_to_string("fixtures/audit/callbacks.ndjson").unwrap();
    std::fs::write(&log, one.repeat(200)).unwrap();
    let run = |jobs: &str| {
        audit(
            &["--format", "ndjson", "--jobs", jobs],
            log.to_str().unwrap(),
        )
    };
    let (code1, one_worker) = run("1");
    let (code3, three_workers) = run("3");
    assert_eq!((code1, code3), (1, 1));
    let lines: Vec<&str> = one_worker.lines().collect();
    let other: Vec<&str> = three_workers.lines().collect();
    assert!(lines.len() > 2000, "{} findings", lines.len());
    // The same findings in the same order; the summaries differ only in threads and timing.
    assert_eq!(lines.len(), other.len());
    let n = lines.len() - 1;
    assert!(
        lines[..n] == other[..n],
        "findings differ between 1 and 3 workers"
    );
    let summary = |l: &str| {
        let mut v: Value = serde_json::from_str(l).unwrap();
        for k in ["threads", "seconds", "lines_per_second", "elapsed", "rate"] {
            if let Some(o) = v["audit"].as_object_mut() {
                o.remove(k);
            }
        }
        v
    };
    assert_eq!(summary(lines[n]), summary(other[n]));
    // Findings are in line order.
    let places: Vec<u64> = lines
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v["line"].as_u64())
        .collect();
    assert!(places.windows(2).all(|w| w[0] <= w[1]), "not in line order");
    // A missing file after a readable one ends the run with the error (exit 2), promptly: the
    // workers stop reading and nothing waits on them.
    let o = bin()
        .args([
            "audit",
            "--format",
            "json",
            "--config",
            "fixtures/audit/bdpay.toml",
        ])
        .arg(&log)
        .arg(dir.join("missing.log"))
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    // The error names the file as data, apart from its message.
    let v: serde_json::Value = serde_json::from_str(&said).expect("one JSON document");
    assert!(
        v["error"]["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("missing.log")),
        "{said}"
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("cannot read")),
        "{said}"
    );
}
