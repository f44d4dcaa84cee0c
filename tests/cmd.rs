//! The command surface as data: every `tests/cmd/<case>.toml` gives the arguments, the standard
//! input and the exit status of one run of the binary; what it prints (stdout, then stderr) is
//! snapshotted as `tests/snapshots/cmd__<case>.snap`. Add a case by adding a file; a case whose
//! output changes shows up in review like any snapshot. Runs in English unless the case says
//! `--lang zh`, with colour off, whatever the machine's locale.

mod common;

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    args: Vec<String>,
    #[serde(default)]
    stdin: Option<String>,
    status: i32,
}

#[test]
fn every_case_runs_as_recorded() {
    let mut names: Vec<_> = std::fs::read_dir("tests/cmd")
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 15, "the case files went missing");
    let mut failures = Vec::new();
    for path in names {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let case: Case = toml::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut c = common::bin();
        c.args(&case.args).env("COLUMNS", "100");
        c.write_stdin(case.stdin.clone().unwrap_or_default());
        let (status, out, err) = common::output(&mut c);
        if status != case.status {
            failures.push(format!(
                "{name}: exit {status}, expected {}\n{out}{err}",
                case.status
            ));
        }
        let mut shown = format!("$ bdpay-doctor {}\n", case.args.join(" "));
        shown.push_str(&format!("exit: {status}\n--- stdout\n{out}"));
        if !err.is_empty() {
            shown.push_str(&format!("--- stderr\n{err}"));
        }
        // Every case is checked even when one differs: insta collects the mismatches.
        insta::with_settings!({prepend_module_to_snapshot => true}, {
            let r = std::panic::catch_unwind(|| insta::assert_snapshot!(name.clone(), shown));
            if r.is_err() {
                failures.push(format!("{name}: output differs from its snapshot"));
            }
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
