//! Every rule against its fixtures: `fixtures/rules/<CODE>-<name>/bad` must make the rule fire
//! (and only that rule, when run alone), `good` must be clean with every rule on. The rendered
//! human output of each bad fixture is snapshotted.

use std::path::{Path, PathBuf};

use bdpay_core::finding::Finding;
use bdpay_core::message::Lang;
use bdpay_core::payload;
use bdpay_core::registry;
use bdpay_core::render::{self, Format, Style};
use bdpay_core::rules::{self, Settings};
use bdpay_doctor::input;

fn fixture_dir(code: &str) -> PathBuf {
    let root = Path::new("fixtures/rules");
    let found = std::fs::read_dir(root)
        .expect("fixtures/rules")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{code}-")))
        });
    found.unwrap_or_else(|| panic!("no fixtures/rules/{code}-* directory"))
}

/// Git keeps no permission bits: private key files are made owner-only in good fixtures and
/// readable by all in bad ones, so key-file-permissions judges what the fixture means.
fn set_key_modes(dir: &Path, mode: u32) {
    #[cfg(unix)]
    for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        use std::os::unix::fs::PermissionsExt as _;
        let p = e.path();
        if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("pem" | "key" | "der")
        ) {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    }
    #[cfg(not(unix))]
    let _ = (dir, mode);
}

/// Lints one fixture directory: its bdpay.toml (if any) and every payload file in it.
fn lint_dir(dir: &Path, only: Option<&str>) -> Vec<Finding> {
    set_key_modes(dir, if only.is_some() { 0o644 } else { 0o600 });
    let cfg_path = dir.join("bdpay.toml");
    let config = cfg_path.exists().then(|| {
        input::load_config(cfg_path.to_str().unwrap(), input::DEFAULT_MAX_SIZE)
            .unwrap_or_else(|e| panic!("{}: {e}", cfg_path.display()))
    });
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n != "bdpay.toml") && p.is_file())
        .collect();
    files.sort();
    files.retain(|p| {
        !matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("pem" | "key" | "md" | "toml" | "csv")
        )
    });
    let payloads: Vec<_> = files
        .iter()
        .map(|p| {
            let src = input::read_text(p.to_str().unwrap(), input::DEFAULT_MAX_SIZE)
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            payload::read(&src, None).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        })
        .collect();
    // Audit context: the dir's orders.csv, and repeated deliveries among its payloads in order.
    let orders = dir.join("orders.csv");
    let orders = orders.exists().then(|| {
        std::sync::Arc::new(
            input::load_orders(orders.to_str().unwrap(), input::DEFAULT_MAX_SIZE).unwrap(),
        )
    });
    let mut dups = bdpay_core::audit::Duplicates::default();
    let extras: Vec<rules::Extra> = payloads
        .iter()
        .enumerate()
        .map(|(i, p)| rules::Extra {
            duplicate_of: bdpay_core::audit::delivery_key(&p.source.text)
                .and_then(|k| dups.check(&[&k], u32::try_from(i).unwrap()))
                .map(|first| files[first as usize].display().to_string()),
        })
        .collect();
    let settings = Settings {
        lang: Lang::En,
        only: only.map(|c| vec![c.to_owned()]),
        levels: std::collections::BTreeMap::default(),
        key: None,
        orders,
    };
    let engine = rules::Engine::new(config.as_ref(), &settings);
    let mut f = engine.lint(&payloads, &extras, &[], true);
    rules::sort(&mut f);
    f
}

/// A fixture side made of probe scenarios rather than payloads.
fn is_scenario(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| {
        d.any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".scenario.toml")))
    })
}

fn render(findings: &[Finding]) -> String {
    let style = Style {
        format: Format::Human,
        color: false,
        lang: Lang::En,
        width: 80,
        show_secrets: false,
    };
    findings
        .iter()
        .map(|f| render::human_finding(f, &style))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_rule_fires_on_bad_and_is_silent_on_good() {
    let mut failures = Vec::new();
    for rule in registry::all() {
        let dir = fixture_dir(&rule.code);
        // Network rules run their scenarios against loopback servers in tests/probe.rs.
        if is_scenario(&dir.join("bad")) {
            continue;
        }
        let bad = lint_dir(&dir.join("bad"), Some(&rule.code));
        if bad.is_empty() {
            failures.push(format!("{}: bad fixture raised nothing", rule.code));
        }
        if let Some(f) = bad.iter().find(|f| f.rule.code != rule.code) {
            failures.push(format!("{}: bad fixture raised {}", rule.code, f.rule.code));
        }
        // Good fixtures are clean with every rule on, not just this one.
        let good = lint_dir(&dir.join("good"), None);
        for f in &good {
            failures.push(format!(
                "{}: good fixture raised {} {}: {}",
                rule.code, f.rule.code, f.rule.name, f.report.message.en
            ));
        }
        if !bad.is_empty() {
            insta::assert_snapshot!(rule.code.clone(), render(&bad));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
