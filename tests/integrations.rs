//! The CI integrations run as their hosts run them: the GitHub Action's shell steps (with the
//! native binary standing in for `npx bdpay-doctor@VERSION`) and the pre-commit hooks' entries.

mod common;

use std::process::Command;

use common::tempdir;

/// The `run: |` blocks of action.yml, in order.
fn action_steps() -> Vec<String> {
    let text = std::fs::read_to_string("action.yml").unwrap();
    let mut steps = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(l) = lines.next() {
        if l.trim_end().ends_with("run: |") {
            let indent = l.len() - l.trim_start().len() + 2;
            let mut block = String::new();
            while let Some(n) = lines.peek() {
                if !n.trim().is_empty() && n.len() - n.trim_start().len() < indent {
                    break;
                }
                block.push_str(n.get(indent..).unwrap_or(""));
                block.push('\n');
                lines.next();
            }
            steps.push(block);
        }
    }
    steps
}

#[test]
fn the_actions_steps_write_sarif_and_fail_on_findings() {
    let exe = assert_cmd::cargo::cargo_bin("bdpay-doctor");
    let root = std::env::current_dir().unwrap();
    let steps = action_steps();
    assert_eq!(steps.len(), 2, "the SARIF step and the annotate step");
    let work = tempdir("action");
    let run = |script: &str| {
        let script = script.replace(
            "npx --yes \"bdpay-doctor@$BDPAY_VERSION\"",
            &format!("NO_COLOR=1 '{}'", exe.display()),
        );
        assert!(!script.contains("npx"), "{script}");
        Command::new("bash")
            .args(["-euo", "pipefail", "-c", &script])
            .current_dir(&*work)
            .env("BDPAY_VERSION", "0.1.0")
            .env("BDPAY_CONFIG_INPUT", root.join("fixtures/demo/bdpay.toml"))
            .env("BDPAY_PATHS", root.join("fixtures/demo/payloads"))
            .env("BDPAY_ARGS", "")
            .env("BDPAY_FAIL_ON", "error")
            .output()
            .unwrap()
    };
    let sarif = run(&steps[0]);
    assert!(
        sarif.status.success(),
        "{}",
        String::from_utf8_lossy(&sarif.stderr)
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(work.join("bdpay-doctor.sarif")).unwrap()).unwrap();
    assert!(!doc["runs"][0]["results"].as_array().unwrap().is_empty());
    let annotate = run(&steps[1]);
    assert_eq!(annotate.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&annotate.stdout).contains("::error file="));
}

#[test]
fn the_pre_commit_hooks_entries_lint_what_they_are_given() {
    let hooks = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let entries: Vec<&str> = hooks
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry: "))
        .collect();
    assert_eq!(entries, ["bdpay-doctor check", "bdpay-doctor check"]);
    let exe = assert_cmd::cargo::cargo_bin("bdpay-doctor");
    // The payload hook gets the staged file names; the demo order has findings.
    let o = Command::new(&exe)
        .args(["check", "fixtures/demo/payloads/order.js"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    // The config hook gets none and finds the config itself.
    let o = Command::new(&exe)
        .arg("check")
        .current_dir("fixtures/demo")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
