//! The code scanner's speed: `cargo bench --bench scan`. A corpus of source files (every SRC
//! fixture, bad and good, copied many times under distinct names) is scanned with every rule;
//! the baseline, measured in the same run and interleaved with it, is reading and parsing the
//! same files with tree-sitter and no queries. Each scan is a whole run: it compiles the queries
//! of the languages present (seven here) before it scans; that start-up cost is measured per
//! language and taken out for the rate on a large tree, where it is paid once.

#![allow(clippy::print_stdout, clippy::disallowed_macros)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn corpus(dir: &Path, copies: usize) -> (usize, u64) {
    let mut sources = Vec::new();
    for rule in std::fs::read_dir("fixtures/rules")
        .unwrap()
        .filter_map(Result::ok)
    {
        if !rule.file_name().to_string_lossy().starts_with("SRC") {
            continue;
        }
        for side in ["bad", "good"] {
            for f in std::fs::read_dir(rule.path().join(side))
                .unwrap()
                .filter_map(Result::ok)
            {
                sources.push(f.path());
            }
        }
    }
    let (mut n, mut bytes) = (0, 0);
    for i in 0..copies {
        let sub = dir.join(format!("m{i:03}"));
        std::fs::create_dir_all(&sub).unwrap();
        for (j, src) in sources.iter().enumerate() {
            let name = format!("f{j:03}-{}", src.file_name().unwrap().to_string_lossy());
            let text = std::fs::read(src).unwrap();
            bytes += text.len() as u64;
            std::fs::write(sub.join(name), text).unwrap();
            n += 1;
        }
    }
    (n, bytes)
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for sub in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        for f in std::fs::read_dir(sub.path())
            .unwrap()
            .filter_map(Result::ok)
        {
            out.push(f.path());
        }
    }
    out
}

fn main() {
    let dir = std::env::temp_dir().join(format!("bdpay-scan-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (n, bytes) = corpus(&dir, 40);
    let paths = files(&dir);
    let parse_only = || {
        for p in &paths {
            let lang = bdpay_scan::Lang::of_path(p).unwrap();
            let text = bdpay_scan::decode(std::fs::read(p).unwrap()).unwrap();
            let tree = bdpay_scan::scan::parse(lang, &text).unwrap();
            std::hint::black_box(tree.root_node().child_count());
        }
    };
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let scan = |jobs: usize| {
        let s = bdpay_scan::scan_paths_with(std::slice::from_ref(&dir), None, 1 << 20, Some(jobs))
            .unwrap();
        assert_eq!(s.file_count(), n);
        std::hint::black_box(s.hits.len());
    };
    parse_only();
    scan(1);
    let (mut base, mut one, mut all) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = Instant::now();
        parse_only();
        base.push(t.elapsed());
        let t = Instant::now();
        scan(1);
        one.push(t.elapsed());
        let t = Instant::now();
        scan(cores);
        all.push(t.elapsed());
    }
    let (base, one, all) = (median(base), median(one), median(all));
    let rules = bdpay_scan::check::specs().len();
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!(
        "scan corpus: {n} files, {} KiB (every SRC fixture x 40), 5 interleaved rounds, medians",
        bytes / 1024
    );
    println!(
        "  baseline, read + parse only, 1 thread:    {:>8.1} ms  {:>8.0} files/s",
        base.as_secs_f64() * 1e3,
        rate(base)
    );
    println!(
        "  scan, a whole run, {rules} rules, 1 thread:   {:>8.1} ms  {:>8.0} files/s  ({:.2}x the baseline's time)",
        one.as_secs_f64() * 1e3,
        rate(one),
        one.as_secs_f64() / base.as_secs_f64()
    );
    println!(
        "  scan, a whole run, {cores} threads:            {:>8.1} ms  {:>8.0} files/s  ({:.2}x faster than 1 thread)",
        all.as_secs_f64() * 1e3,
        rate(all),
        one.as_secs_f64() / all.as_secs_f64()
    );
    println!(
        "start-up: compiling each language's queries (once per run, for the languages present)"
    );
    let mut compile = Duration::ZERO;
    for lang in bdpay_scan::Lang::ALL {
        let t = median(
            (0..5)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(
                        bdpay_scan::check::compile(lang, None).unwrap().checks.len(),
                    );
                    t.elapsed()
                })
                .collect(),
        );
        compile += t;
        println!("  {:<11} {:>7.2} ms", lang.name(), t.as_secs_f64() * 1e3);
    }
    let steady = one.saturating_sub(compile);
    println!(
        "  all seven   {:>7.2} ms; without it, 1 thread scans {:.0} files/s ({:.2}x the baseline's time)",
        compile.as_secs_f64() * 1e3,
        rate(steady),
        steady.as_secs_f64() / base.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
