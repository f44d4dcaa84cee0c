//! Every output format read back the way its consumer reads it: JSON and NDJSON parsed, SARIF's
//! required shape, JUnit as XML with counts that add up, GitLab Code Quality's required keys and
//! stable, unique fingerprints. The texts themselves are snapshotted in tests/cmd.

mod common;

use common::{bin, output};

const DEMO: [&str; 4] = [
    "check",
    "--config",
    "fixtures/demo/bdpay.toml",
    "fixtures/demo/payloads",
];

fn run(format: &str) -> (i32, String) {
    let (code, out, _) = output(bin().args(["--format", format]).args(DEMO));
    (code, out)
}

fn findings() -> usize {
    let (_, out) = run("json");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["diagnostics"].as_array().unwrap().len()
}

#[test]
fn junit_is_xml_whose_counts_add_up() {
    let (code, out) = run("junit");
    assert_eq!(code, 1);
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert_eq!(failures, findings());
    assert_eq!(
        root.attribute("failures"),
        Some(failures.to_string().as_str())
    );
    let cases = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    assert_eq!(root.attribute("tests"), Some(cases.to_string().as_str()));
    // A clean input is a passing test case, so every input is listed.
    let suites: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert!(
        suites.contains(&"fixtures/demo/payloads/refund-notify-response.json"),
        "{suites:?}"
    );
}

#[test]
fn gitlab_code_quality_has_the_required_keys_and_stable_unique_fingerprints() {
    let (code, out) = run("gitlab");
    assert_eq!(code, 1);
    let issues: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(issues.len(), findings());
    let mut prints = std::collections::HashSet::new();
    for i in &issues {
        assert!(i["description"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(i["check_name"].is_string());
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&i["severity"].as_str().unwrap())
        );
        assert!(i["location"]["path"].is_string());
        assert!(
            i["location"]["lines"]["begin"]
                .as_u64()
                .is_some_and(|l| l >= 1)
        );
        assert!(
            prints.insert(i["fingerprint"].as_str().unwrap().to_owned()),
            "{i}"
        );
    }
    // The same run gives the same fingerprints (GitLab compares them across pipelines).
    assert_eq!(run("gitlab").1, out);
}

#[test]
fn json_ndjson_and_sarif_parse() {
    let (_, out) = run("json");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], 1);
    let (_, out) = run("ndjson");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), findings() + 1);
    assert!(lines.last().unwrap()["summary"].is_object());
    let (_, out) = run("sarif");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(
        v["runs"][0]["results"].as_array().unwrap().len(),
        findings()
    );
}
