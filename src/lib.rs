//! bdpay-doctor: a linter and diagnostics tool for Baidu Smart Program cashier (百度收银台)
//! integrations. `main_with_args` is the whole program; the modules are its parts.

pub mod answers;
#[cfg(feature = "native")]
pub mod audit;
pub mod cli;
pub mod cmd;
pub mod help_zh;
pub mod host;
pub mod input;
#[cfg(feature = "native")]
pub mod probe;
pub mod term;
mod usage;
mod walk;

use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _};

use bdpay_core::render::{self, Format, Style};
use cli::Cli;

/// Runs the program with these arguments and returns its exit code.
pub fn main_with_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    ExitCode::from(run(args))
}

/// Runs the program with these arguments (the first is the program's name): 0 clean, 1 findings
/// at or above `--fail-on`, 2 an error.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let (lang, format) = usage::asked(&args);
    // Parsed as `Cli::try_parse_from` does, by a command whose help is in the language asked.
    let parsed = help_zh::command(lang)
        .try_get_matches_from(&args)
        .and_then(|mut m| {
            Cli::from_arg_matches_mut(&mut m).map_err(|e| e.format(&mut Cli::command()))
        });
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            // Help (in the language asked) and version are clap's; an English usage error keeps
            // clap's own text and usage line; anything else is the tool's error in the language
            // and format asked.
            if !e.use_stderr() || (lang == bdpay_core::message::Lang::En && format == Format::Human)
            {
                let _ = e.print();
            } else {
                let style = Style {
                    format,
                    color: false,
                    lang,
                    width: terminal_width(),
                    show_secrets: false,
                };
                let s = render::error(&usage::error(&e), &style);
                if format == Format::Human {
                    term::err(&s);
                } else {
                    term::out(&s);
                }
            }
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let global = cli.global();
    term::set_lang(global.lang());
    let style = Style {
        format: global.format.into(),
        color: global.colour(term::stdout_is_terminal()),
        lang: global.lang(),
        width: terminal_width(),
        show_secrets: global.show_secrets,
    };
    match cmd::run(&cli.command, &global, &style) {
        Ok(code) => code,
        Err(e) => {
            let s = render::error(&e, &style);
            if style.format == Format::Human {
                term::err(&s);
            } else {
                term::out(&s);
            }
            2
        }
    }
}

/// `COLUMNS` when set (as shells set it for scripts that ask), else the terminal's width, else 100.
fn terminal_width() -> usize {
    host::env("COLUMNS")
        .and_then(|c| c.parse().ok())
        .or_else(host::terminal_columns)
        .map_or(100, |c: usize| c.clamp(60, 200))
}

/// The version `--version` prints: the package's, and the commit it was built from when built
/// from a git checkout.
pub const VERSION: &str = env!("BDPAY_VERSION");
