//! `audit`: reads the log files (gzip transparently, `-` for stdin) and audits their lines on
//! every core with flat memory: workers sharing one engine take numbered batches of lines from a
//! shared source as they need them (nothing is read ahead), and an aggregator puts their results
//! back in line order and keeps counts, not lines.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use bdpay_core::audit::{Duplicates, Line, MAX_LINE, Stats, audit_line, delivery_parts};
use bdpay_core::error::ToolError;
use bdpay_core::finding::Finding;
use bdpay_core::message::Msg;
use bdpay_core::msg;
use bdpay_core::rules::Engine;

/// Lines per batch handed to a worker.
const BATCH: usize = 512;

/// What a batch produced.
struct Done {
    seq: u64,
    findings: Vec<Finding>,
    stats: Stats,
}

/// Where findings go as they are produced, in line order.
pub trait Output {
    fn finding(&mut self, f: Finding);
    fn progress(&mut self, _lines: u64) {}
}

/// Audits every line of `files` (`-` for stdin) with `jobs` workers.
pub fn run(
    files: &[String],
    engine: &Engine<'_>,
    jobs: usize,
    out: &mut dyn Output,
) -> Result<Stats, ToolError> {
    let jobs = jobs.max(1);
    // No reader thread: workers take turns reading the next batch from the shared source, so
    // `--jobs N` runs N threads that both read and check (plus this one, which only puts the
    // results in line order).
    let source = std::sync::Mutex::new(Source::new(files));
    let (done_tx, done_rx) = sync_channel::<Done>(jobs * 2);
    let stats = std::thread::scope(|s| -> Result<Stats, ToolError> {
        let spawn_failed = |e: std::io::Error| {
            ToolError::new(msg!("cannot start a thread: {e}", "无法启动线程：{e}"))
        };
        for i in 0..jobs {
            let done_tx = done_tx.clone();
            let source = &source;
            // Named: a profile or a debugger tells the workers apart. If one cannot start,
            // returning drops the last sender once the others finish the input.
            std::thread::Builder::new()
                .name(format!("audit-worker-{i}"))
                .spawn_scoped(s, move || worker(engine, source, &done_tx))
                .map_err(spawn_failed)?;
        }
        drop(done_tx);
        Ok(aggregate(&done_rx, out))
    })?;
    match source.into_inner() {
        Ok(src) => src.error.map_or(Ok(stats), Err),
        Err(_) => Err(ToolError::new(msg!(
            "a worker thread failed while reading",
            "读取时一个工作线程出错"
        ))),
    }
}

fn aggregate(rx: &Receiver<Done>, out: &mut dyn Output) -> Stats {
    let mut stats = Stats::default();
    let mut next = 0u64;
    let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
    for d in rx {
        pending.insert(d.seq, d);
        while let Some(d) = pending.remove(&next) {
            stats.merge(d.stats);
            for f in d.findings {
                out.finding(f);
            }
            out.progress(stats.lines);
            next += 1;
        }
    }
    stats
}

fn worker(engine: &Engine<'_>, source: &std::sync::Mutex<Source<'_>>, tx: &SyncSender<Done>) {
    loop {
        let batch = {
            let Ok(mut src) = source.lock() else { return };
            src.next_batch()
        };
        let Some((seq, lines)) = batch else { return };
        let mut stats = Stats::default();
        let mut findings = Vec::new();
        for line in lines {
            audit_line(engine, line, &mut stats, &mut findings);
        }
        if tx
            .send(Done {
                seq,
                findings,
                stats,
            })
            .is_err()
        {
            return;
        }
    }
}

/// The input files, read a batch at a time by whichever worker needs one: batches are numbered
/// in file order and repeated deliveries are found in that order.
struct Source<'f> {
    files: std::slice::Iter<'f, String>,
    /// The file being read.
    current: Option<Current>,
    dups: Duplicates,
    seq: u64,
    /// Length of the last line read, to size the next line's buffer.
    last: usize,
    /// Why reading stopped early; the lines read before it are audited.
    error: Option<ToolError>,
}

impl<'f> Source<'f> {
    fn new(files: &'f [String]) -> Self {
        Self {
            files: files.iter(),
            current: None,
            dups: Duplicates::default(),
            seq: 0,
            last: 256,
            error: None,
        }
    }

    /// The next batch of lines with its number, or `None` at the end of the input (or after
    /// an error, kept in `error`).
    fn next_batch(&mut self) -> Option<(u64, Vec<Line>)> {
        if self.error.is_some() {
            return None;
        }
        let mut batch = Vec::with_capacity(BATCH);
        while batch.len() < BATCH {
            if self.current.is_none() {
                let Some(f) = self.files.next() else { break };
                match open(f) {
                    Ok(r) => {
                        let name: Arc<str> =
                            Arc::from(if f == "-" { "<stdin>" } else { f.as_str() });
                        let prefix = Duplicates::prefix(&[&name, "\u{0}"]);
                        self.current = Some(Current {
                            name,
                            reader: r,
                            no: 0,
                            prefix,
                        });
                    }
                    Err(e) => {
                        self.error = Some(e);
                        break;
                    }
                }
            }
            match self.next_line() {
                Ok(Some(line)) => batch.push(line),
                Ok(None) => self.current = None,
                Err(e) => {
                    self.error = Some(e);
                    break;
                }
            }
        }
        if batch.is_empty() {
            return None;
        }
        self.seq += 1;
        Some((self.seq - 1, batch))
    }

    /// The next non-blank line of the current file, `None` at its end.
    fn next_line(&mut self) -> Result<Option<Line>, ToolError> {
        let Some(Current {
            name,
            reader: r,
            no,
            prefix,
        }) = &mut self.current
        else {
            return Ok(None);
        };
        loop {
            // Each line is read into its own buffer, which becomes the line's String without
            // a copy; sized from the line before, it is rarely grown.
            let mut buf = Vec::with_capacity(self.last);
            let (n, too_long) = read_line(r.as_mut(), &mut buf).map_err(|e| {
                let why = crate::input::io_reason(&e);
                ToolError::in_file(
                    name.to_string(),
                    Msg::new(
                        format!("cannot read after line {no}: {}", why.en),
                        format!("第 {no} 行之后无法读取：{}", why.zh),
                    ),
                )
            })?;
            if n == 0 {
                return Ok(None);
            }
            self.last = n.min(MAX_LINE) + 1;
            *no += 1;
            while buf.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
                buf.pop();
            }
            if !too_long && buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let text = if too_long {
                Err(msg!("longer than {MAX_LINE} bytes", "超过 {MAX_LINE} 字节"))
            } else {
                String::from_utf8(buf).map_err(|e| {
                    let at = e.utf8_error().valid_up_to() + 1;
                    msg!(
                        "not UTF-8 (byte {at} of the line)",
                        "不是 UTF-8（该行第 {at} 个字节）"
                    )
                })
            };
            let no = *no;
            let duplicate_of =
                text.as_ref()
                    .ok()
                    .and_then(|t| delivery_parts(t))
                    .and_then(|(kind, field, v)| {
                        self.dups
                            .check_after(*prefix, &[kind, ":", field, "=", v], no)
                    });
            return Ok(Some(Line {
                file: Arc::clone(name),
                no,
                text,
                duplicate_of,
            }));
        }
    }
}

/// The file being read: its name, reader, last line number and the hash state of its name for
/// the repeated-delivery keys.
struct Current {
    name: Arc<str>,
    reader: Box<dyn BufRead + Send>,
    no: u32,
    prefix: u64,
}

/// A log file (or `-` for stdin), gzip or not.
fn open(f: &str) -> Result<Box<dyn BufRead + Send>, ToolError> {
    let raw: Box<dyn Read + Send> = if f == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(f).map_err(|e| crate::input::cannot_read(f, &e))?)
    };
    let mut r = BufReader::with_capacity(256 * 1024, raw);
    let gz = r.fill_buf().is_ok_and(|b| b.starts_with(&[0x1f, 0x8b]));
    Ok(if gz {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            flate2::bufread::MultiGzDecoder::new(r),
        ))
    } else {
        Box::new(r)
    })
}

/// Reads one line into `buf`, keeping at most `MAX_LINE` bytes; returns bytes consumed and
/// whether the line was cut.
fn read_line(r: &mut dyn BufRead, buf: &mut Vec<u8>) -> std::io::Result<(usize, bool)> {
    let mut total = 0;
    let mut cut = false;
    loop {
        let avail = r.fill_buf()?;
        if avail.is_empty() {
            return Ok((total, cut));
        }
        let (take, done) = match memchr::memchr(b'\n', avail) {
            Some(i) => (i + 1, true),
            None => (avail.len(), false),
        };
        let room = MAX_LINE.saturating_sub(buf.len());
        if take > room {
            cut = true;
        }
        buf.extend_from_slice(&avail[..take.min(room)]);
        r.consume(take);
        total += take;
        if done {
            return Ok((total, cut));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_not_held() {
        let text = format!("{}\nnext\n", "x".repeat(MAX_LINE + 10));
        let mut r = std::io::Cursor::new(text.into_bytes());
        let mut buf = Vec::new();
        let (n, cut) = read_line(&mut r, &mut buf).unwrap();
        assert!(cut && n == MAX_LINE + 11 && buf.len() == MAX_LINE);
        buf.clear();
        assert_eq!(read_line(&mut r, &mut buf).unwrap(), (5, false));
    }
}
