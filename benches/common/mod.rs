//! What both benchmarks share: the OpenSSL baseline measured in the same run.

use std::process::Command;

/// One run of `openssl speed -seconds N rsa1024` on one core, rates per second.
#[derive(Clone, Copy, Debug)]
#[allow(dead_code)] // each benchmark reads the rates it compares with
pub struct Speed {
    /// Signatures per second of wall-clock time.
    pub sign_wall: f64,
    /// Verifications per second of user CPU time: `openssl speed`'s own figure, the time the
    /// core was OpenSSL's.
    pub verify_cpu: f64,
    /// Verifications per second of wall-clock time: the run lasts N seconds of the clock (it
    /// is stopped by an alarm), so this counts the time the hypervisor gave others too.
    pub verify_wall: f64,
}

/// `openssl speed -seconds N rsa1024`, or `None` without openssl. Both rates come from the
/// run's own report, "Doing 1024 bits public rsa's for Ns: COUNT … in Ts" (T is user time).
#[must_use]
pub fn openssl_speed(seconds: u32) -> Option<Speed> {
    let o = Command::new("openssl")
        .args(["speed", "-seconds", &seconds.to_string(), "rsa1024"])
        .output()
        .ok()?;
    let err = String::from_utf8_lossy(&o.stderr);
    let doing = |kind: &str| -> Option<(f64, f64)> {
        let line = err
            .lines()
            .find(|l| l.starts_with(&format!("Doing 1024 bits {kind} rsa's")))?;
        // "Doing 1024 bits public rsa's for 2s: 372044 1024 bits public RSA's in 1.98s"
        let (_, counted) = line.split_once(": ")?;
        let count: f64 = counted.split_whitespace().next()?.parse().ok()?;
        let user: f64 = counted
            .rsplit_once(" in ")?
            .1
            .trim()
            .trim_end_matches('s')
            .parse()
            .ok()?;
        Some((count, user))
    };
    let (signs, _) = doing("private")?;
    let (verifies, verify_user) = doing("public")?;
    Some(Speed {
        sign_wall: signs / f64::from(seconds),
        verify_cpu: verifies / verify_user,
        verify_wall: verifies / f64::from(seconds),
    })
}
