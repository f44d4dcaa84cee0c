//! Keeps rule data (`rules/*.toml`) and rule code (`src/rules/`) in step, as clippy's
//! `update_lints --check` does, without a generator.

use std::collections::HashSet;

use bdpay_core::registry::{self, Family};
use bdpay_core::rules::CHECKS;

#[test]
fn codes_and_names_are_unique_and_prefixed() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for r in registry::all() {
        assert!(codes.insert(&r.code), "duplicate code {}", r.code);
        assert!(names.insert(&r.name), "duplicate name {}", r.name);
        assert!(
            Family::ALL
                .iter()
                .any(|f| r.code.starts_with(f.prefix()) && r.code.len() == f.prefix().len() + 3),
            "{} has no family prefix",
            r.code
        );
        assert!(
            r.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{} is not kebab-case",
            r.name
        );
        assert!(
            !r.name.starts_with("no-") && !r.name.starts_with("disallow-"),
            "{}: name the fault, not the fix",
            r.name
        );
    }
}

#[test]
fn every_rule_has_code_and_every_check_has_data() {
    let data: Vec<&str> = registry::all().iter().map(|r| r.code.as_str()).collect();
    let code: Vec<&str> = CHECKS.iter().map(|(c, _)| *c).collect();
    assert_eq!(
        data, code,
        "rules/*.toml and rules::CHECKS must list the same codes in the same order"
    );
}

#[test]
fn every_doc_has_the_sections_in_both_languages() {
    for r in registry::all() {
        for h in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "Use instead:",
        ] {
            assert!(r.doc.en.contains(h), "{} doc.en lacks {h:?}", r.code);
        }
        for h in ["## 作用", "## 为什么不好？", "## 示例", "应改为："] {
            assert!(r.doc.zh.contains(h), "{} doc.zh lacks {h:?}", r.code);
        }
        for t in [
            &r.summary.en,
            &r.summary.zh,
            &r.fix.en,
            &r.fix.zh,
            &r.faq,
            &r.url,
        ] {
            assert!(!t.trim().is_empty(), "{} has an empty text", r.code);
        }
    }
}

#[test]
fn every_rule_has_bad_and_good_fixtures() {
    let dirs: Vec<String> = std::fs::read_dir("fixtures/rules")
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for r in registry::all() {
        let want = format!("{}-{}", r.code, r.name);
        assert!(dirs.contains(&want), "missing fixtures/rules/{want}");
        for side in ["bad", "good"] {
            let d = format!("fixtures/rules/{want}/{side}");
            let n = std::fs::read_dir(&d).map_or(0, std::iter::Iterator::count);
            assert!(n > 0, "{d} is missing or empty");
        }
    }
    for d in &dirs {
        assert!(
            registry::all()
                .iter()
                .any(|r| *d == format!("{}-{}", r.code, r.name)),
            "fixtures/rules/{d} names no rule"
        );
    }
}

#[test]
fn platform_codes_name_real_or_planned_rules() {
    // Rules the later issues add (keys, signatures, probes). Anything else must exist now.
    const PLANNED: &[&str] = &[
        "key-unreadable",
        "key-header-mismatch",
        "key-whitespace-damage",
        "key-format-for-language",
        "keypair-mismatch",
        "platform-key-is-own-key",
        "sign-missing",
        "sign-malformed",
        "sign-plus-became-space",
        "sign-base64-urlsafe",
        "sign-wrong-key",
        "sign-hash-not-sha1",
        "sign-fields-wrong",
        "sign-string-unsorted",
        "sign-values-url-encoded",
        "sign-empty-values-dropped",
        "sign-invalid",
        "callback-slow",
        "callback-timeout",
        "callback-connect-failed",
        "callback-dns-failed",
        "callback-resolves-private",
        "callback-tls-invalid",
        "callback-http-status",
        "callback-accepts-forged",
    ];
    for c in bdpay_core::explain::platform_codes() {
        assert!(!c.cause.is_empty() || !c.ids.is_empty());
        for cause in &c.cause {
            assert!(
                !cause.rules.is_empty() || cause.manual.is_some(),
                "{:?}: a cause with neither rules nor a manual check",
                c.ids
            );
            for r in &cause.rules {
                assert!(
                    registry::find(r).is_some() || PLANNED.contains(&r.as_str()),
                    "{:?} names unknown rule {r}",
                    c.ids
                );
            }
        }
    }
}

#[test]
fn code_list_snapshot() {
    let list: Vec<String> = registry::all()
        .iter()
        .map(|r| format!("{} {} {}", r.code, r.name, r.severity.as_str()))
        .collect();
    insta::assert_snapshot!(list.join("\n"));
}
