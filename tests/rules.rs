//! Every rule against its fixtures, one test per rule so that one failing rule does not hide
//! the others: `fixtures/rules/<CODE>-<name>/bad` must make the rule fire (and only that rule,
//! when run alone), `good` must be clean with every rule on. The rendered human output of each
//! bad fixture is snapshotted. Fixtures are linted through the core's facade; key files are read
//! with the permission bits the fixture means (git keeps none), never by changing tracked files.
//! Network rules (PRB) run their scenarios against loopback servers in tests/probe.rs.

use std::path::{Path, PathBuf};

use bdpay_core::config::{Config, FileProblem, KeyResolver};
use bdpay_core::finding::Finding;
use bdpay_core::message::Lang;
use bdpay_core::render::{self, Format, Style};
use bdpay_core::source::SourceFile;
use bdpay_core::{Options, payload, registry};
use bdpay_doctor::input;

/// One test per rule; `every_rule_has_a_test` keeps the list complete.
macro_rules! rule_tests {
    ($($name:ident => $code:literal),* $(,)?) => {
        const TESTED: &[&str] = &[$($code),*];
        $(
            #[test]
            fn $name() {
                rule($code);
            }
        )*
    };
}

rule_tests!(
    amt001 => "AMT001",
    amt002 => "AMT002",
    amt003 => "AMT003",
    aud001 => "AUD001",
    aud002 => "AUD002",
    aud003 => "AUD003",
    biz001 => "BIZ001",
    biz002 => "BIZ002",
    biz003 => "BIZ003",
    biz004 => "BIZ004",
    cbu001 => "CBU001",
    cbu002 => "CBU002",
    cbu003 => "CBU003",
    cbu004 => "CBU004",
    cfg001 => "CFG001",
    key001 => "KEY001",
    key002 => "KEY002",
    key003 => "KEY003",
    key004 => "KEY004",
    key005 => "KEY005",
    key006 => "KEY006",
    key007 => "KEY007",
    key008 => "KEY008",
    key009 => "KEY009",
    key010 => "KEY010",
    key011 => "KEY011",
    ord001 => "ORD001",
    ord002 => "ORD002",
    ord003 => "ORD003",
    ord004 => "ORD004",
    ord005 => "ORD005",
    ord006 => "ORD006",
    ord007 => "ORD007",
    ord008 => "ORD008",
    ord009 => "ORD009",
    ref001 => "REF001",
    ref002 => "REF002",
    rsp001 => "RSP001",
    rsp002 => "RSP002",
    rsp003 => "RSP003",
    rsp004 => "RSP004",
    rsp005 => "RSP005",
    rsp006 => "RSP006",
    rsp007 => "RSP007",
    rsp008 => "RSP008",
    rsp009 => "RSP009",
    rsp010 => "RSP010",
    rsp011 => "RSP011",
    rsp012 => "RSP012",
    sig001 => "SIG001",
    sig002 => "SIG002",
    sig003 => "SIG003",
    sig004 => "SIG004",
    sig005 => "SIG005",
    sig006 => "SIG006",
    sig007 => "SIG007",
    sig008 => "SIG008",
    sig009 => "SIG009",
    sig010 => "SIG010",
    sig011 => "SIG011",
    sig012 => "SIG012",
    src001 => "SRC001",
    src002 => "SRC002",
    src003 => "SRC003",
    src004 => "SRC004",
    src005 => "SRC005",
    src006 => "SRC006",
    src007 => "SRC007",
    src008 => "SRC008",
    src009 => "SRC009",
    src010 => "SRC010",
    src011 => "SRC011",
    src012 => "SRC012",
    src013 => "SRC013",
    src014 => "SRC014",
    src015 => "SRC015",
    src016 => "SRC016",
);

#[test]
fn every_rule_has_a_test() {
    for r in registry::all() {
        let network = r.family() == registry::Family::Probe;
        assert!(
            network || TESTED.contains(&r.code.as_str()),
            "{} has no test in tests/rules.rs: add it to rule_tests!",
            r.code
        );
    }
}

/// Lints the rule's bad fixture with the rule alone and its good fixture with every rule.
fn rule(code: &str) {
    let dir = fixture_dir(code);
    let mut failures = Vec::new();
    let bad = lint_dir(&dir, "bad", Some(code));
    if bad.is_empty() {
        failures.push(format!("{code}: bad fixture raised nothing"));
    }
    if let Some(f) = bad.iter().find(|f| f.rule.code != code) {
        failures.push(format!("{code}: bad fixture raised {}", f.rule.code));
    }
    // Good fixtures are clean with every rule on, not just this one.
    for f in lint_dir(&dir, "good", None) {
        failures.push(format!(
            "{code}: good fixture raised {} {}: {}",
            f.rule.code, f.rule.name, f.diagnostic.message.en
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    insta::assert_snapshot!(code.to_owned(), render(&bad));
}

fn fixture_dir(code: &str) -> PathBuf {
    std::fs::read_dir("fixtures/rules")
        .expect("fixtures/rules")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{code}-")))
        })
        .unwrap_or_else(|| panic!("no fixtures/rules/{code}-* directory"))
}

/// Key files as the fixture means them: git keeps no permission bits, so private key files
/// are taken to be readable by all in bad fixtures and owner-only in good ones, without
/// touching the tracked files' modes.
struct FixtureKeys {
    mode: u32,
}

impl KeyResolver for FixtureKeys {
    fn env(&self, var: &str) -> Option<String> {
        std::env::var(var).ok()
    }

    fn file(&self, path: &Path) -> Result<(Vec<u8>, Option<u32>), FileProblem> {
        std::fs::read(path)
            .map(|b| (b, Some(self.mode)))
            .map_err(|e| FileProblem::Other(e.to_string()))
    }
}

/// Lints one side of a fixture: its bdpay.toml (if any) and every payload file in it, as one
/// log in file-name order (the audit rules see repeated deliveries and the orders file).
fn lint_dir(rule_dir: &Path, side: &str, only: Option<&str>) -> Vec<Finding> {
    let dir = rule_dir.join(side);
    // Code rules: the fixture side is a tree of source files for the scanner.
    if rule_dir
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("SRC"))
    {
        return scan_dir(&dir, only);
    }
    let keys = FixtureKeys {
        mode: if only.is_some() { 0o644 } else { 0o600 },
    };
    let cfg_path = dir.join("bdpay.toml");
    let config = cfg_path.exists().then(|| {
        let name = cfg_path.to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&cfg_path).unwrap();
        Config::parse(SourceFile::new(&name, text), dir.clone(), &keys)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    });
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
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
    let orders = dir.join("orders.csv");
    let orders = orders.exists().then(|| {
        std::sync::Arc::new(
            input::load_orders(orders.to_str().unwrap(), input::DEFAULT_MAX_SIZE).unwrap(),
        )
    });
    let options = Options {
        only: only.map(|c| vec![c.to_owned()]),
        orders,
        as_log: true,
        ..Options::default()
    };
    bdpay_core::check(config.as_ref(), payloads, &options).findings
}

/// Scans a fixture side with the SRC rules (only `only`, or all of them).
fn scan_dir(dir: &Path, only: Option<&str>) -> Vec<Finding> {
    let codes: Vec<String> = registry::all()
        .iter()
        .filter(|r| r.family() == registry::Family::Source)
        .map(|r| r.code.clone())
        .filter(|c| only.is_none_or(|o| o == c))
        .collect();
    let scanned = bdpay_scan::scan_paths(&[dir.to_path_buf()], Some(codes.clone()), 1 << 20)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    assert!(scanned.errors.is_empty(), "{:?}", scanned.errors);
    let settings = bdpay_core::rules::Settings {
        only: Some(codes),
        ..Default::default()
    };
    let mut findings = bdpay_core::rules::Engine::new(None, &settings).lint_hits(&scanned.hits);
    bdpay_core::rules::sort(&mut findings);
    findings
}

/// Every code rule has bad and good fixtures in each language its queries cover, and each
/// bad file of a language raises the rule.
#[test]
fn every_code_rule_has_fixtures_in_each_language_it_covers() {
    let mut failures = Vec::new();
    for (code, checks) in bdpay_scan::check::specs() {
        let dir = fixture_dir(code);
        let langs: std::collections::BTreeSet<&str> = checks
            .iter()
            .flat_map(|c| c.langs.iter().map(String::as_str))
            // TypeScript's grammars share the JavaScript queries and fixtures.
            .map(|l| {
                if l == "tsx" || l == "typescript" {
                    "javascript"
                } else {
                    l
                }
            })
            .collect();
        for side in ["bad", "good"] {
            let present: std::collections::BTreeSet<&str> = std::fs::read_dir(dir.join(side))
                .unwrap()
                .filter_map(Result::ok)
                .filter_map(|e| bdpay_scan::Lang::of_path(&e.path()))
                .map(|l| match l.name() {
                    "tsx" | "typescript" => "javascript",
                    n => n,
                })
                .collect();
            for l in &langs {
                if !present.contains(l) {
                    failures.push(format!("{code}: no {side} fixture in {l}"));
                }
            }
        }
        let bad = scan_dir(&dir.join("bad"), Some(code));
        for entry in std::fs::read_dir(dir.join("bad"))
            .unwrap()
            .filter_map(Result::ok)
        {
            let name = entry.path().to_string_lossy().into_owned();
            if !bad.iter().any(|f| f.diagnostic.source.name == name) {
                failures.push(format!("{code}: {name} raised nothing"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn render(findings: &[Finding]) -> String {
    let style = Style {
        width: 80,
        ..Style::plain(Format::Human, Lang::En)
    };
    findings
        .iter()
        .map(|f| render::human_finding(f, &style))
        .collect::<Vec<_>>()
        .join("\n")
}
