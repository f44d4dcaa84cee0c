//! `audit`: a month of callbacks, one per line (form bodies, URLs, JSON, or NDJSON records with
//! the raw request and the merchant's answer; gzip read transparently), verified and linted on
//! every core with flat memory: workers sharing one engine take numbered batches of lines from a
//! shared source as they need them (nothing is read ahead), and an aggregator puts their results
//! back in line order and keeps counts, not lines.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use crate::error::ToolError;
use crate::finding::Finding;
use crate::payload;
use crate::rules::{Engine, Extra};
use crate::sign::forensics::Cause;
use crate::source::SourceFile;

/// Lines longer than this are counted as unreadable (and skipped without being held in memory).
pub const MAX_LINE: usize = 1024 * 1024;
/// Lines per batch handed to a worker.
const BATCH: usize = 512;

/// The merchant's own orders: tpOrderId → totalAmount in fen.
#[derive(Debug, Default)]
pub struct Orders {
    pub amounts: HashMap<String, i64>,
    /// Where they came from, for messages.
    pub source: String,
}

impl Orders {
    /// Reads a CSV (`tpOrderId,totalAmount`, header optional) or NDJSON file of orders.
    pub fn load(path: &str, max: u64) -> Result<Self, ToolError> {
        let src = crate::input::read_text(path, max.max(512 * 1024 * 1024))?;
        Self::parse(&src.text, path)
    }

    /// Parses orders text.
    pub fn parse(text: &str, name: &str) -> Result<Self, ToolError> {
        let mut amounts = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |why: &str| ToolError::new(format!("{name}:{}: {why}", i + 1));
            let (id, amount) = if line.starts_with('{') {
                let v: serde_json::Value =
                    serde_json::from_str(line).map_err(|e| bad(&format!("not JSON: {e}")))?;
                let id = v["tpOrderId"]
                    .as_str()
                    .map(str::to_owned)
                    .or_else(|| v["tpOrderId"].as_i64().map(|n| n.to_string()))
                    .ok_or_else(|| bad("no tpOrderId"))?;
                let amount = v["totalAmount"]
                    .as_i64()
                    .or_else(|| {
                        v["totalAmount"]
                            .as_str()
                            .and_then(|s| s.trim().parse().ok())
                    })
                    .ok_or_else(|| bad("totalAmount is not an integer number of fen"))?;
                (id, amount)
            } else {
                let mut cols = line.split(',').map(|c| c.trim().trim_matches('"'));
                let id = cols.next().unwrap_or("").to_owned();
                let amount = cols.next().unwrap_or("");
                match amount.parse::<i64>() {
                    Ok(a) => (id, a),
                    Err(_) if i == 0 => continue, // a header line
                    Err(_) => return Err(bad("expected tpOrderId,totalAmount (fen)")),
                }
            };
            amounts.insert(id, amount);
        }
        Ok(Self {
            amounts,
            source: name.to_owned(),
        })
    }
}

/// The key that identifies a delivery: `refundBatchId` for refund callbacks, else `orderId`,
/// found by a cheap scan of the line (form or JSON) without parsing it.
#[must_use]
pub fn delivery_key(line: &str) -> Option<String> {
    delivery_parts(line).map(|(kind, field, v)| format!("{kind}:{field}={v}"))
}

/// [`delivery_key`] in parts (kind, field, value), borrowed from the line.
fn delivery_parts(line: &str) -> Option<(&'static str, &'static str, &str)> {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    // Built once: a finder's set-up costs more than one search of a callback line.
    static FIELDS: LazyLock<[(&str, Finder<'static>); 2]> =
        LazyLock::new(|| ["refundBatchId", "orderId"].map(|f| (f, Finder::new(f))));
    static REFUND_STATUS: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("refundStatus"));
    for &(field, ref finder) in FIELDS.iter() {
        if let Some(v) = scan(line, field, finder) {
            // The answer to a refund callback and a pay notify of the same order differ.
            let kind = if REFUND_STATUS.find(line.as_bytes()).is_some() {
                "refund-notify"
            } else if field == "refundBatchId" {
                "refund-audit"
            } else {
                "notify"
            };
            return Some((kind, field, v));
        }
    }
    None
}

fn scan<'l>(line: &'l str, field: &str, finder: &memchr::memmem::Finder<'_>) -> Option<&'l str> {
    let bytes = line.as_bytes();
    for at in finder.find_iter(bytes) {
        let before = at.checked_sub(1).map(|j| bytes[j]);
        let after = &line[at + field.len()..];
        if matches!(
            before,
            None | Some(b'&' | b'?' | b'"' | b'\'' | b'{' | b',' | b' ')
        ) {
            if let Some(v) = after.strip_prefix('=') {
                let end = v.find(['&', '"', ' ', '\\']).unwrap_or(v.len());
                return Some(&v[..end]);
            }
            let v = after.trim_start_matches(['"', '\\']).trim_start();
            if let Some(v) = v.strip_prefix(':') {
                let v = v.trim_start().trim_start_matches(['"', '\\']);
                let end = v.find(['"', ',', '}', '\\']).unwrap_or(v.len());
                return Some(v[..end].trim());
            }
        }
    }
    None
}

/// Remembers where each delivery was first seen: 64-bit hashes and line numbers only (13 bytes
/// a table slot, so a million distinct deliveries stay under 30 MB).
#[derive(Default)]
pub struct Duplicates {
    /// The 64-bit hash as two u32 halves: 12-byte entries instead of 16 (u64 alignment).
    seen: HashMap<[u32; 2], u32, std::hash::BuildHasherDefault<Prehashed>>,
}

/// The keys are already FNV-1a hashes: use them as they are.
#[derive(Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// FNV-1a, 64-bit, over the parts as if they were one string.
fn fnv1a(parts: &[&str]) -> u64 {
    parts
        .iter()
        .flat_map(|p| p.bytes())
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}

impl Duplicates {
    /// The line where this delivery was first seen, when it was. The key is the concatenation
    /// of `parts`.
    pub fn check(&mut self, parts: &[&str], line: u32) -> Option<u32> {
        let h = fnv1a(parts);
        let h = [(h >> 32) as u32, h as u32];
        if let Some(&first) = self.seen.get(&h) {
            Some(first)
        } else {
            self.seen.insert(h, line);
            None
        }
    }
}

/// One line, read.
struct Line {
    file: Arc<str>,
    no: u32,
    text: Result<String, String>,
    duplicate_of: Option<u32>,
}

/// Counts kept while auditing.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub lines: u64,
    pub kinds: BTreeMap<&'static str, u64>,
    pub rules: BTreeMap<String, u64>,
    pub signatures_valid: u64,
    pub signatures_failed: u64,
    pub signatures_unchecked: u64,
    pub duplicates: u64,
    /// (file:line, why) of the first unreadable lines, and how many in all.
    pub unreadable: Vec<(String, String)>,
    pub unreadable_count: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

impl Stats {
    fn merge(&mut self, o: Self) {
        self.lines += o.lines;
        for (k, v) in o.kinds {
            *self.kinds.entry(k).or_default() += v;
        }
        for (k, v) in o.rules {
            *self.rules.entry(k).or_default() += v;
        }
        self.signatures_valid += o.signatures_valid;
        self.signatures_failed += o.signatures_failed;
        self.signatures_unchecked += o.signatures_unchecked;
        self.duplicates += o.duplicates;
        self.unreadable_count += o.unreadable_count;
        for u in o.unreadable {
            if self.unreadable.len() < 100 {
                self.unreadable.push(u);
            }
        }
        self.seen(o.first_seen.as_deref());
        self.seen(o.last_seen.as_deref());
    }

    /// Widens the first..last range to `t`. The bounds keep their buffers: a log in time order
    /// moves `last_seen` on every line without allocating.
    fn seen(&mut self, t: Option<&str>) {
        let Some(t) = t else { return };
        match &mut self.first_seen {
            Some(f) if !earlier(t, f) => {}
            Some(f) => t.clone_into(f),
            None => self.first_seen = Some(t.to_owned()),
        }
        match &mut self.last_seen {
            Some(l) if !earlier(l, t) => {}
            Some(l) => t.clone_into(l),
            None => self.last_seen = Some(t.to_owned()),
        }
    }
}

/// Timestamps compare as numbers when both are (unix seconds), else as text (ISO 8601).
fn earlier(a: &str, b: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if digits(a) && digits(b) {
        // Whole numbers without parsing: a shorter one is smaller, as leading zeros are rare
        // enough in timestamps to go through the slow path below.
        if !a.starts_with('0') && !b.starts_with('0') {
            return (a.len(), a) < (b.len(), b);
        }
    }
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x < y,
        _ => a < b,
    }
}

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
        let spawn_failed =
            |e: std::io::Error| ToolError::new(format!("cannot start a thread: {e}"));
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
        Err(_) => Err(ToolError::new("a worker thread failed while reading")),
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

/// One record: a payload, or an NDJSON object carrying the request and the answer.
fn audit_line(engine: &Engine<'_>, line: Line, stats: &mut Stats, out: &mut Vec<Finding>) {
    stats.lines += 1;
    let place = || format!("{}:{}", line.file, line.no);
    let text = match line.text {
        Ok(t) => t,
        Err(why) => {
            stats.unreadable_count += 1;
            stats.unreadable.push((place(), why));
            return;
        }
    };
    let (request, response, received) = match record(&text) {
        Some(r) => r,
        None => (text, None, None),
    };
    let src = SourceFile::at_line(line.file.to_string(), request, line.no as usize);
    let p = match payload::read(&src, None) {
        Ok(p) if p.form == payload::Form::PlainText => {
            stats.unreadable_count += 1;
            stats
                .unreadable
                .push((place(), "plain text, not a callback".into()));
            return;
        }
        Ok(p) => p,
        Err(e) => {
            stats.unreadable_count += 1;
            let why = e
                .message
                .strip_prefix(&format!("{}:", line.file))
                .unwrap_or(&e.message);
            stats.unreadable.push((place(), why.trim().to_owned()));
            return;
        }
    };
    *stats.kinds.entry(p.kind.as_str()).or_default() += 1;
    stats.seen(received.as_deref().or_else(|| p.text("payTime")));
    let mut payloads = vec![p];
    let mut extras = vec![Extra {
        duplicate_of: line.duplicate_of.map(|l| format!("{}:{l}", line.file)),
    }];
    if line.duplicate_of.is_some() {
        stats.duplicates += 1;
    }
    if let Some(answer) = response {
        let kind = crate::probe::answer_kind(payloads[0].kind);
        let asrc = SourceFile::at_line(format!("{} (answer)", line.file), answer, line.no as usize);
        if let Some(a) = payload::read(&asrc, Some(kind))
            .ok()
            .or_else(|| payload::Payload::plain_text(&asrc, kind))
        {
            payloads.push(a);
            extras.push(Extra::default());
        }
    }
    let verification = crate::rules::verify_payload(&payloads[0], &engine.ring);
    match &verification {
        Some(v) if v.key.is_some() => {
            if v.diagnosis.cause == Cause::Valid {
                stats.signatures_valid += 1;
            } else {
                stats.signatures_failed += 1;
            }
        }
        _ => stats.signatures_unchecked += 1,
    }
    // The answer carries no signature: one check for the request serves the whole line.
    let verifications = [verification, None];
    for f in engine.lint_verified(
        &payloads,
        &verifications[..payloads.len()],
        &extras,
        &[],
        false,
    ) {
        *stats
            .rules
            .entry(format!("{} {}", f.rule.code, f.rule.name))
            .or_default() += 1;
        out.push(f);
    }
}

/// An NDJSON record: `{"request": "...", "response": "...", "received_at": "..."}`.
#[must_use]
pub fn record(line: &str) -> Option<(String, Option<String>, Option<String>)> {
    use serde_json::value::RawValue;
    /// The fields are kept as raw JSON: no map or string is built for what is not used.
    #[derive(serde::Deserialize)]
    struct Record<'a> {
        #[serde(borrow)]
        request: Option<&'a RawValue>,
        #[serde(borrow)]
        response: Option<&'a RawValue>,
        #[serde(borrow)]
        received_at: Option<&'a RawValue>,
        #[serde(borrow)]
        time: Option<&'a RawValue>,
    }
    let t = line.trim_start();
    if !t.starts_with('{') || memchr::memmem::find(t.as_bytes(), b"\"request\"").is_none() {
        return None;
    }
    let r: Record<'_> = serde_json::from_str(t).ok()?;
    // A string is decoded; anything else (an object, a number) is its JSON text.
    let as_text = |x: &RawValue| -> Option<String> {
        let raw = x.get();
        match raw {
            "null" => None,
            _ if raw.starts_with('"') => serde_json::from_str::<std::borrow::Cow<'_, str>>(raw)
                .ok()
                .map(std::borrow::Cow::into_owned),
            _ => Some(raw.to_owned()),
        }
    };
    let request = as_text(r.request?)?;
    let response = r.response.and_then(as_text);
    let received = r
        .received_at
        .and_then(as_text)
        .or_else(|| r.time.and_then(as_text));
    Some((request, response, received))
}

/// The input files, read a batch at a time by whichever worker needs one: batches are numbered
/// in file order and repeated deliveries are found in that order.
struct Source<'f> {
    files: std::slice::Iter<'f, String>,
    /// The file being read: its name, reader and last line number.
    current: Option<(Arc<str>, Box<dyn BufRead + Send>, u32)>,
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
                        self.current = Some((name, r, 0));
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
        let Some((name, r, no)) = &mut self.current else {
            return Ok(None);
        };
        loop {
            // Each line is read into its own buffer, which becomes the line's String without
            // a copy; sized from the line before, it is rarely grown.
            let mut buf = Vec::with_capacity(self.last);
            let (n, too_long) = read_line(r.as_mut(), &mut buf)
                .map_err(|e| ToolError::new(format!("{name}: cannot read after line {no}: {e}")))?;
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
                Err(format!("longer than {MAX_LINE} bytes"))
            } else {
                String::from_utf8(buf).map_err(|e| {
                    format!(
                        "not UTF-8 (byte {} of the line)",
                        e.utf8_error().valid_up_to() + 1
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
                            .check(&[name, "\u{0}", kind, ":", field, "=", v], no)
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

/// A log file (or `-` for stdin), gzip or not.
fn open(f: &str) -> Result<Box<dyn BufRead + Send>, ToolError> {
    let raw: Box<dyn Read + Send> = if f == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(
            std::fs::File::open(f).map_err(|e| ToolError::new(format!("{f}: cannot read: {e}")))?,
        )
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

/// The end of an audit: counts, throughput and what was left out.
pub struct Report<'a> {
    pub stats: &'a Stats,
    pub counts: crate::finding::Summary,
    /// Findings printed (the rest were counted).
    pub shown: usize,
    pub elapsed: std::time::Duration,
    pub jobs: usize,
}

impl Report<'_> {
    fn rate(&self) -> f64 {
        self.stats.lines as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The summary table.
    #[must_use]
    pub fn human(&self, lang: crate::registry::Lang) -> String {
        use std::fmt::Write as _;
        let s = self.stats;
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{} {} lines in {:.2} s ({:.0} lines/s, {} threads)",
            lang.pick("audit:", "审计："),
            s.lines,
            self.elapsed.as_secs_f64(),
            self.rate(),
            self.jobs
        );
        let kinds: Vec<String> = s.kinds.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let _ = writeln!(
            o,
            "  kinds        {}",
            if kinds.is_empty() {
                "-".into()
            } else {
                kinds.join(" · ")
            }
        );
        let _ = writeln!(
            o,
            "  signatures   {} valid · {} failed · {} not checked (no key)",
            s.signatures_valid, s.signatures_failed, s.signatures_unchecked
        );
        if s.duplicates > 0 {
            let _ = writeln!(o, "  duplicates   {} repeated deliveries", s.duplicates);
        }
        if let (Some(a), Some(b)) = (&s.first_seen, &s.last_seen) {
            let _ = writeln!(o, "  first/last   {a} … {b}");
        }
        if !s.rules.is_empty() {
            let _ = writeln!(o, "  findings by rule");
            for (r, n) in &s.rules {
                let _ = writeln!(o, "    {n:>9}  {r}");
            }
        }
        if s.unreadable_count > 0 {
            let _ = writeln!(o, "  unreadable   {} lines", s.unreadable_count);
            for (place, why) in &s.unreadable {
                let _ = writeln!(o, "    {place}: {why}");
            }
            if s.unreadable_count > s.unreadable.len() as u64 {
                let _ = writeln!(
                    o,
                    "    … and {} more",
                    s.unreadable_count - s.unreadable.len() as u64
                );
            }
        }
        let total = self.counts.errors + self.counts.warnings + self.counts.infos;
        if total > self.shown {
            let _ = writeln!(
                o,
                "  {} of {total} findings shown (--max-findings; --format ndjson streams all)",
                self.shown
            );
        }
        let _ = writeln!(
            o,
            "{} {} errors, {} warnings, {} info",
            if self.counts.errors > 0 { "✗" } else { "✓" },
            self.counts.errors,
            self.counts.warnings,
            self.counts.infos
        );
        o
    }

    /// The same in JSON.
    #[must_use]
    pub fn json(&self) -> serde_json::Value {
        let s = self.stats;
        serde_json::json!({
            "lines": s.lines,
            "seconds": self.elapsed.as_secs_f64(),
            "lines_per_second": self.rate(),
            "threads": self.jobs,
            "kinds": s.kinds,
            "rules": s.rules,
            "signatures": {"valid": s.signatures_valid, "failed": s.signatures_failed, "unchecked": s.signatures_unchecked},
            "duplicates": s.duplicates,
            "first_seen": s.first_seen,
            "last_seen": s.last_seen,
            "unreadable": {
                "count": s.unreadable_count,
                "lines": s.unreadable.iter().map(|(p, w)| serde_json::json!({"line": p, "why": w})).collect::<Vec<_>>(),
            },
            "findings_shown": self.shown,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_keys_from_forms_and_json() {
        assert_eq!(
            delivery_key("a=1&orderId=99&x=2").as_deref(),
            Some("notify:orderId=99")
        );
        assert_eq!(
            delivery_key(r#"{"request":"refundBatchId=7&orderId=1&refundStatus=1"}"#).as_deref(),
            Some("refund-notify:refundBatchId=7")
        );
        assert_eq!(
            delivery_key(r#"{"orderId": "12", "x": 1}"#).as_deref(),
            Some("notify:orderId=12")
        );
        assert_eq!(delivery_key("tpOrderId=5"), None);
    }

    #[test]
    fn records_carry_request_answer_and_time() {
        let (req, resp, at) = record(
            r#"{"request":"a=1&b=2","response":"{\"errno\":0}","received_at":"2026-11-01"}"#,
        )
        .unwrap();
        assert_eq!(
            (req.as_str(), resp.as_deref(), at.as_deref()),
            ("a=1&b=2", Some(r#"{"errno":0}"#), Some("2026-11-01"))
        );
        // An object request is kept as its JSON text; null and missing fields are absent.
        let (req, resp, at) =
            record(r#"{"request": {"orderId": 1}, "response": null, "time": 1764000000}"#).unwrap();
        assert_eq!(req, r#"{"orderId": 1}"#);
        assert_eq!((resp, at.as_deref()), (None, Some("1764000000")));
        assert!(record(r#"{"other": 1}"#).is_none());
        assert!(record("request=1").is_none());
        assert!(record(r#"{"request": "unterminated"#).is_none());
    }

    #[test]
    fn timestamps_compare_as_numbers_or_text() {
        assert!(earlier("999", "1000"));
        assert!(!earlier("1000", "999"));
        assert!(!earlier("1764000000", "1764000000"));
        assert!(earlier("0999", "1000"));
        assert!(earlier("1764000000.5", "1764000001"));
        assert!(earlier("2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"));
        let mut s = Stats::default();
        for t in ["1764000005", "1764000001", "1764000009", "1764000003"] {
            s.seen(Some(t));
        }
        assert_eq!(s.first_seen.as_deref(), Some("1764000001"));
        assert_eq!(s.last_seen.as_deref(), Some("1764000009"));
    }

    #[test]
    fn orders_from_csv_and_ndjson() {
        let o = Orders::parse("tpOrderId,totalAmount\n\"a\",100\nb, 200\n", "o.csv").unwrap();
        assert_eq!(o.amounts.get("a"), Some(&100));
        assert_eq!(o.amounts.get("b"), Some(&200));
        let o = Orders::parse(
            "{\"tpOrderId\":\"c\",\"totalAmount\":\"300\"}\n",
            "o.ndjson",
        )
        .unwrap();
        assert_eq!(o.amounts.get("c"), Some(&300));
        assert!(Orders::parse("a,1\nb,x\n", "o.csv").is_err());
    }

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
