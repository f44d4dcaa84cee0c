//! The audit benchmark: `cargo bench --profile dist --bench audit`. Generates a log of valid pay notifies
//! signed with a test platform key (cached under target/bench-data; `BDPAY_BENCH_LINES` sets the
//! count, 1,000,000 by default), then audits it with the bench's binary: five one-core audits
//! interleaved with six runs of `openssl speed rsa1024` (each audit against the mean of the
//! OpenSSL runs around it, per CPU-second as OpenSSL measures and on the wall clock, and the
//! median of the five ratios), then one audit on all cores for the speed-up; peak memory of the
//! audit process.

#![allow(clippy::print_stdout, clippy::disallowed_macros)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use std::time::{Duration, Instant};

const KEY: &str = "fixtures/keys/platform-test.pkcs8.pem";

fn main() {
    let n: usize = std::env::var("BDPAY_BENCH_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = PathBuf::from("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join(format!("notify-{n}.log"));
    if !log.exists() {
        println!(
            "generating {n} signed notifies into {} (once; cached)…",
            log.display()
        );
        let t = Instant::now();
        generate(&log, n);
        println!("  generated in {:.1} s", t.elapsed().as_secs_f64());
    }
    let cfg = dir.join("bdpay.toml");
    std::fs::write(
        &cfg,
        format!(
            "[keys]\nplatform_public_key = \"{}\"\n",
            std::fs::canonicalize("fixtures/keys/platform-test.pub.pem")
                .unwrap()
                .display()
        ),
    )
    .unwrap();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!("audit of {n} distinct valid pay notifies (1024-bit platform key):");
    // The machine is noisy: OpenSSL and the one-core audit alternate, OpenSSL first and last
    // (six runs around five audits), and each audit is compared with the mean of the OpenSSL
    // runs just before and just after it; the median of the five ratios is the figure. The
    // figure is per core, as `openssl speed` measures: verifications per second of user CPU
    // time against lines per second of the audit's CPU time (all its threads, user and
    // system). Wall-clock rates on both sides are printed too: on this shared machine the
    // hypervisor's stolen time lands in one side's window and not the other's.
    let mut cpu_ratios = Vec::new();
    let mut wall_ratios = Vec::new();
    let mut one_core = Vec::new();
    let mut one_core_cpu = Vec::new();
    let mut peak_one = 0;
    let mut before = common::openssl_speed(2);
    let show = |s: Option<common::Speed>| {
        s.map_or_else(
            || "n/a".to_owned(),
            |s| format!("{:.0} ({:.0} wall)", s.verify_cpu, s.verify_wall),
        )
    };
    for pair in 1..=5 {
        let (elapsed, cpu, peak, out) = run_audit(&cfg, &log, 1);
        let after = common::openssl_speed(2);
        check_valid(&out, n);
        let wall_rate = n as f64 / elapsed.as_secs_f64();
        let cpu_rate = n as f64 / cpu.as_secs_f64();
        one_core.push(wall_rate);
        one_core_cpu.push(cpu_rate);
        peak_one = peak_one.max(peak);
        let mean = before.zip(after).map(|(b, a)| {
            (
                f64::midpoint(b.verify_cpu, a.verify_cpu),
                f64::midpoint(b.verify_wall, a.verify_wall),
            )
        });
        let ratios = mean.map(|(c, w)| (cpu_rate / c, wall_rate / w));
        println!(
            "  pair {pair}: audit --jobs 1 {:.2} s, CPU {:.2} s: {cpu_rate:.0} lines per CPU-second ({wall_rate:.0} wall); openssl speed rsa1024 verify/s before {}, after {}{}",
            elapsed.as_secs_f64(),
            cpu.as_secs_f64(),
            show(before),
            show(after),
            ratios.map_or_else(String::new, |(c, w)| format!(
                ": {:.1} % of their mean ({:.1} % wall)",
                100.0 * c,
                100.0 * w
            ))
        );
        if let Some((c, w)) = ratios {
            cpu_ratios.push(c);
            wall_ratios.push(w);
        }
        before = after;
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied()
    };
    let one = median(one_core).unwrap_or(0.0);
    let one_cpu = median(one_core_cpu).unwrap_or(0.0);
    match median(cpu_ratios).zip(median(wall_ratios)) {
        Some((c, w)) => println!(
            "  median per-core ratio over the five pairs: {:.1} % (target ≥ 70 %), wall clock {:.1} %; median {one_cpu:.0} lines per CPU-second, {one:.0} lines/s on one core",
            100.0 * c,
            100.0 * w
        ),
        None => println!(
            "  no openssl in PATH: no ratio; median {one_cpu:.0} lines per CPU-second, {one:.0} lines/s on one core"
        ),
    }
    println!(
        "  peak memory, --jobs 1: {:.1} MB (target < 64 MB)",
        peak_one as f64 / 1024.0
    );
    if cores > 1 {
        let (elapsed, _, peak, out) = run_audit(&cfg, &log, cores);
        check_valid(&out, n);
        let rate = n as f64 / elapsed.as_secs_f64();
        println!(
            "  --jobs {cores}: {:.2} s, {rate:.0} lines/s, {:.2}x the one-core median (target ≥ 1.7x on 2 cores), peak memory {:.1} MB (target < 64 MB)",
            elapsed.as_secs_f64(),
            rate / one,
            peak as f64 / 1024.0
        );
    }
}

/// Every line of the generated log must verify, or the figures measure something else.
fn check_valid(out: &str, n: usize) {
    let v: serde_json::Value = serde_json::from_str(out).unwrap_or_default();
    let valid = v["audit"]["signatures"]["valid"].as_u64().unwrap_or(0);
    assert_eq!(valid as usize, n, "every line must verify: {out}");
}

/// Signs `n` distinct notifies with the test platform key on every core, with the same signer
/// `sign` and `simulate` use (the rsa crate's SHA1withRSA, identical to OpenSSL's).
fn generate(path: &Path, n: usize) {
    let key = bdpay_core::keys::read(&std::fs::read(KEY).unwrap()).unwrap();
    let signer = key.private.unwrap();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = n.div_ceil(cores);
    let parts: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..cores)
            .map(|c| {
                let signer = &signer;
                s.spawn(move || {
                    let mut out = Vec::with_capacity(chunk * 560);
                    for i in (c * chunk)..((c + 1) * chunk).min(n) {
                        line(i, signer, &mut out);
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for p in parts {
        f.write_all(&p).unwrap();
    }
}

fn line(i: usize, signer: &rsa::PrivateKey, out: &mut Vec<u8>) {
    let money = 100 + i % 50_000;
    let fields = [
        ("count", "1".to_owned()),
        ("dealId", "470193086".into()),
        ("giftCardMoney", "0".into()),
        ("hbBalanceMoney", "0".into()),
        ("hbMoney", "0".into()),
        ("orderId", format!("{}", 3_000_000_000u64 + i as u64)),
        ("partnerId", "6000001".into()),
        ("payMoney", money.to_string()),
        ("payTime", format!("{}", 1_764_000_000 + i)),
        ("payType", "1117".into()),
        ("promoDetail", String::new()),
        ("promoMoney", "0".into()),
        ("returnData", String::new()),
        ("status", "2".into()),
        ("totalMoney", money.to_string()),
        ("tpOrderId", format!("T{i:09}")),
        ("unitPrice", money.to_string()),
        (
            "userId",
            format!("{}", 3_269_234_686_470u64 + (i % 100_000) as u64),
        ),
    ];
    let canonical: String = fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let sig = bdpay_core::sign::sign(signer, canonical.as_bytes()).unwrap();
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", bdpay_core::sign::forensics::form_encode(v)))
        .chain(std::iter::once(format!(
            "rsaSign={}",
            bdpay_core::sign::forensics::form_encode(&sig)
        )))
        .collect();
    out.extend_from_slice(body.join("&").as_bytes());
    out.push(b'\n');
}

/// Runs the benchmark's binary (built with the bench's profile: `dist` for the README's figures); returns wall time, CPU time (all threads), peak RSS in KiB (polled
/// from /proc) and stdout.
fn run_audit(cfg: &Path, log: &Path, jobs: usize) -> (Duration, Duration, u64, String) {
    let bin = env!("CARGO_BIN_EXE_bdpay-doctor");
    let t = Instant::now();
    let mut child = Command::new(bin)
        .args([
            "audit",
            "--format",
            "json",
            "--max-findings",
            "10",
            "--jobs",
            &jobs.to_string(),
            "--config",
        ])
        .arg(cfg)
        .arg(log)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let mut cpu = 0;
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    loop {
        if let Ok(text) = std::fs::read_to_string(&status)
            && let Some(kb) = text
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        {
            peak = peak.max(kb);
        }
        // An exited child stays a zombie until reaped, and its stat then holds the final CPU
        // times of all its threads.
        if let Some((state, ticks)) = cpu_ticks(child.id())
            && state == 'Z'
        {
            cpu = ticks;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let elapsed = t.elapsed();
    // Linux reports CPU times in clock ticks of 1/100 s.
    let cpu = Duration::from_millis(cpu * 10);
    (elapsed, cpu, peak, reader.join().unwrap())
}

/// The process state and its user + system CPU time in clock ticks, from /proc/PID/stat.
fn cpu_ticks(pid: u32) -> Option<(char, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let state = f.first()?.chars().next()?;
    let utime: u64 = f.get(11)?.parse().ok()?;
    let stime: u64 = f.get(12)?.parse().ok()?;
    Some((state, utime + stime))
}
