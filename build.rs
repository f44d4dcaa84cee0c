//! Records the commit the binary is built from, for `--version`, when building from a git
//! checkout (a packaged crate has no `.git`: the version is then the package's alone).

// A build script talks to cargo through stdout: that is its protocol, not user output.
#![allow(clippy::disallowed_macros)]

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    println!("cargo:rerun-if-changed=.git/index");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let commit = std::path::Path::new(".git")
        .exists()
        .then(|| {
            let hash = git(&["rev-parse", "--short=9", "HEAD"])?;
            let date = git(&["log", "-1", "--format=%cs"])?;
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            let mark = if dirty { "-modified" } else { "" };
            Some(format!("{hash}{mark} {date}"))
        })
        .flatten();
    match commit {
        Some(c) => println!("cargo:rustc-env=BDPAY_VERSION={version} ({c})"),
        None => println!("cargo:rustc-env=BDPAY_VERSION={version}"),
    }
}
