//! Thin entry point: parse arguments, run, exit with the run's code.

fn main() -> std::process::ExitCode {
    bdpay_doctor::main_with_args(std::env::args_os())
}
