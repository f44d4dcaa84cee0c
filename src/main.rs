//! Thin entry point: parse arguments, run, exit with the run's code.

fn main() -> std::process::ExitCode {
    bdpay_doctor::main_with_args(std::env::args_os())
}

/// mimalloc instead of the system allocator: `audit` allocates a few dozen small strings per
/// line on every core, and glibc's malloc was a seventh of its time.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
