//! The conventions of a command-line tool people already know from ruff, cargo and ripgrep:
//! where the config is found, colour, width, completions, the man page, --version, help headings,
//! and no option whose shown default is quietly replaced.

mod common;

use common::{bin, output, tempdir};

const ANSI: &str = "\u{1b}[";

fn demo_args() -> [&'static str; 3] {
    ["check", "--select", "RSP"]
}

#[test]
fn the_config_is_found_upward_to_the_repository_root_and_by_bdpay_config() {
    let repo = tempdir("conv-config");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("app/pay")).unwrap();
    std::fs::write(
        repo.join("bdpay.toml"),
        "[merchant]\napp_key = \"YOUR_APP_KEY\"\n",
    )
    .unwrap();
    // From two levels down, the repository's config is linted (it has no callbacks: CBU001).
    let mut c = bin();
    c.current_dir(repo.join("app/pay"))
        .args(["check", "--format", "json"]);
    let (code, out, err) = output(&mut c);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("CBU001") && out.contains("\"../../bdpay.toml\""),
        "{out}"
    );
    // BDPAY_CONFIG wins over the search.
    let other = repo.join("other.toml");
    std::fs::write(&other, "[merchant]\napp_key = \"MMMabc\"\n").unwrap();
    let mut c = bin();
    c.current_dir(repo.join("app/pay"))
        .env("BDPAY_CONFIG", &other)
        .args(["check", "--format", "json"]);
    let (_, out, _) = output(&mut c);
    assert!(
        out.contains("other.toml") && !out.contains("../../bdpay.toml"),
        "{out}"
    );
    // The search stops at the repository root: a config above it is not this project's.
    let outer = tempdir("conv-outer");
    std::fs::write(
        outer.join("bdpay.toml"),
        "[merchant]\napp_key = \"YOUR_APP_KEY\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(outer.join("repo/.git")).unwrap();
    let mut c = bin();
    c.current_dir(outer.join("repo")).args(["check"]);
    let (code, out, err) = output(&mut c);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("nothing to check"), "{err}");
}

#[test]
fn colour_follows_color_no_color_force_color_and_clicolor_force() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = bin();
        c.env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR")
            .env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            c.env(k, v);
        }
        c.args(args).args(demo_args()).arg("fixtures/demo/payloads");
        output(&mut c).1
    };
    // A pipe is not coloured by default...
    assert!(!run(&[], &[]).contains(ANSI));
    // ...unless forced, as CI logs want.
    assert!(run(&[], &[("FORCE_COLOR", "1")]).contains(ANSI));
    assert!(run(&[], &[("CLICOLOR_FORCE", "1")]).contains(ANSI));
    assert!(!run(&[], &[("FORCE_COLOR", "0")]).contains(ANSI));
    assert!(run(&["--color", "always"], &[]).contains(ANSI));
    // NO_COLOR and --color never win.
    assert!(!run(&[], &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]).contains(ANSI));
    assert!(!run(&["--color", "never"], &[("FORCE_COLOR", "1")]).contains(ANSI));
    assert!(!run(&["--no-color"], &[("CLICOLOR_FORCE", "1")]).contains(ANSI));
}

#[test]
fn the_width_is_the_terminals_when_columns_is_not_exported() {
    // A real terminal (a pty from util-linux `script`) of 72 columns, COLUMNS unset.
    let exe = assert_cmd::cargo::cargo_bin("bdpay-doctor");
    let cmd = format!(
        "stty rows 40 cols 72; env -u COLUMNS NO_COLOR=1 {} check --select KEY --config fixtures/demo/bdpay.toml",
        exe.display()
    );
    let o = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .output()
        .expect("util-linux script runs a command in a pty");
    let text = String::from_utf8_lossy(&o.stdout);
    let prose: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with('⚠') || l.trim_start().starts_with('│'))
        .collect();
    assert!(!prose.is_empty(), "{text}");
    for l in &prose {
        assert!(
            l.trim_end().chars().count() <= 72,
            "wider than the terminal: {l:?}\n{text}"
        );
    }
}

#[test]
fn completions_and_the_man_page_come_from_the_parser() {
    for (shell, needle) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef bdpay-doctor"),
        ("fish", "complete -c bdpay-doctor"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, out, _) = output(bin().args(["completions", shell]));
        assert_eq!(code, 0);
        assert!(out.contains(needle), "{shell}");
        assert!(
            out.contains("diagnose") && out.contains("their-string"),
            "{shell}"
        );
    }
    let (code, out, _) = output(bin().arg("man"));
    assert_eq!(code, 0);
    assert!(
        out.contains(".TH bdpay-doctor 1") && out.contains("diagnose"),
        "{out}"
    );
}

#[test]
fn version_names_the_commit_when_built_from_git() {
    let (code, out, _) = output(bin().arg("--version"));
    assert_eq!(code, 0);
    let v = out.trim();
    assert!(v.starts_with("bdpay-doctor 0.1.0"), "{v}");
    if std::path::Path::new(".git").exists() {
        let inner = v.split_once(" (").map(|(_, r)| r.trim_end_matches(')'));
        let hash = inner.and_then(|r| r.split(['-', ' ']).next()).unwrap_or("");
        assert!(
            hash.len() == 9 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "a git build names its commit: {v}"
        );
    }
}

#[test]
fn help_groups_options_under_headings() {
    let (_, out, _) = output(bin().args(["check", "-h"]));
    for heading in ["Rule selection:", "Output:", "Network:", "Input:"] {
        assert!(out.contains(heading), "{heading}\n{out}");
    }
}

#[test]
fn simulate_refuses_a_run_count_it_would_not_honour() {
    let key = "fixtures/keys/platform-test.pkcs8.pem";
    let (code, _, err) = output(bin().args([
        "simulate",
        "notify",
        "--platform-key",
        key,
        "--url",
        "http://127.0.0.1:9/notify",
        "--runs",
        "5",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("exactly twice"), "{err}");
}

#[test]
fn each_subcommands_help_lists_only_the_options_that_apply() {
    let help = |args: &[&str]| output(bin().args(args)).1;
    let convert = help(&["keys", "convert", "-h"]);
    for absent in ["--fail-on", "--format", "--show-secrets"] {
        assert!(
            !convert.contains(absent),
            "keys convert: {absent}\n{convert}"
        );
    }
    assert!(
        convert.contains("--max-size") && convert.contains("--lang"),
        "{convert}"
    );
    let init = help(&["init", "-h"]);
    assert!(
        !init.contains("--format") && !init.contains("--max-size"),
        "{init}"
    );
    let explain = help(&["explain", "-h"]);
    assert!(
        explain.contains("--format") && !explain.contains("--fail-on"),
        "{explain}"
    );
    let check = help(&["check", "-h"]);
    for present in [
        "--format",
        "--fail-on",
        "--show-secrets",
        "--max-size",
        "--lang",
        "--color",
    ] {
        assert!(check.contains(present), "check: {present}");
    }
}

#[test]
fn output_options_work_before_and_after_the_subcommand_and_after_wins() {
    let run = |args: &[&str]| output(bin().args(args)).1;
    let before = run(&["--format", "json", "rules"]);
    let after = run(&["rules", "--format", "json"]);
    assert!(before.trim_start().starts_with('['), "{before}");
    assert_eq!(before, after);
    // The subcommand's own value wins over the root's.
    let both = run(&[
        "--format",
        "json",
        "check",
        "--format",
        "github",
        "fixtures/demo/payloads/order.js",
    ]);
    assert!(both.starts_with("::"), "{both}");
    // --fail-on after the subcommand sets the exit code.
    let (code, _, _) = output(bin().args([
        "check",
        "--fail-on",
        "never",
        "fixtures/demo/payloads/order.js",
    ]));
    assert_eq!(code, 0);
}
