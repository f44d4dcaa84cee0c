//! `audit`, line by line: a month of callbacks, one per line (form bodies, URLs, JSON, or NDJSON
//! records with the raw request and the merchant's answer), each verified and linted by
//! `audit_line`; the repeated-delivery table, the merchant's orders and the counts that make the
//! summary. The caller reads the lines and runs the workers (the CLI on every core).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::error::ToolError;
use crate::finding::Finding;
use crate::message::{Lang, Msg};
use crate::msg;
use crate::payload::{self, form};
use crate::rules::{Engine, Extra};
use crate::source::SourceFile;

/// Lines longer than this are counted as unreadable (and skipped without being held in memory).
pub const MAX_LINE: usize = 1024 * 1024;

/// The merchant's own orders: tpOrderId → totalAmount in fen.
#[derive(Debug, Default)]
pub struct Orders {
    pub amounts: HashMap<String, i64>,
    /// Where they came from, for messages.
    pub source: String,
}

impl Orders {
    /// Parses orders text: NDJSON records `{"tpOrderId", "totalAmount"}`, or CSV (RFC 4180:
    /// quoted fields, commas and quotes inside them) whose header names the two columns in any
    /// order (`tpOrderId`/`tp_order_id`, `totalAmount`/`total_amount`, any case), or without a
    /// header the first two columns. Amounts are integer fen; `#` starts a comment line.
    pub fn parse(text: &str, name: &str) -> Result<Self, ToolError> {
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'));
        let amounts = if first.is_some_and(|l| l.starts_with('{')) {
            Self::ndjson(text, name)?
        } else {
            Self::csv(text, name)?
        };
        Ok(Self {
            amounts,
            source: name.to_owned(),
        })
    }

    fn ndjson(text: &str, name: &str) -> Result<HashMap<String, i64>, ToolError> {
        let mut amounts = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |why: Msg| ToolError::in_file(name, why).on_line(i + 1);
            let v: serde_json::Value = serde_json::from_str(line)
                .map_err(|e| bad(msg!("not JSON: {e}", "不是 JSON：{e}")))?;
            let id = v["tpOrderId"]
                .as_str()
                .map(str::to_owned)
                .or_else(|| v["tpOrderId"].as_i64().map(|n| n.to_string()))
                .ok_or_else(|| bad(msg!("no tpOrderId", "缺少 tpOrderId")))?;
            let amount = v["totalAmount"]
                .as_i64()
                .or_else(|| {
                    v["totalAmount"]
                        .as_str()
                        .and_then(|s| s.trim().parse().ok())
                })
                .ok_or_else(|| bad(not_fen()))?;
            amounts.insert(id, amount);
        }
        Ok(amounts)
    }

    fn csv(text: &str, name: &str) -> Result<HashMap<String, i64>, ToolError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .comment(Some(b'#'))
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let key = |h: &str| h.to_ascii_lowercase().replace(['_', '-', ' '], "");
        let mut columns: Option<(usize, usize)> = None;
        let mut amounts = HashMap::new();
        for (n, record) in reader.records().enumerate() {
            let line = |r: &csv::StringRecord| r.position().map_or(n + 1, |p| p.line() as usize);
            let record = record.map_err(|e| {
                let at = e.position().map_or(n + 1, |p| p.line() as usize);
                ToolError::in_file(name, msg!("not CSV: {e}", "不是 CSV：{e}")).on_line(at)
            })?;
            if record.iter().all(str::is_empty) {
                continue;
            }
            let (id_col, amount_col) = if let Some(c) = columns {
                c
            } else {
                // A header names the columns; without one, the first two are meant.
                let names: Vec<String> = record.iter().map(key).collect();
                let id = names.iter().position(|h| h == "tporderid");
                let amount = names.iter().position(|h| h == "totalamount");
                if let (Some(i), Some(a)) = (id, amount) {
                    columns = Some((i, a));
                    continue;
                }
                if record.get(1).is_some_and(|a| a.parse::<i64>().is_err()) {
                    return Err(ToolError::in_file(
                        name,
                        msg!(
                            "the header does not name tpOrderId and totalAmount columns",
                            "表头中没有 tpOrderId 和 totalAmount 列"
                        ),
                    )
                    .on_line(line(&record)));
                }
                columns = Some((0, 1));
                (0, 1)
            };
            let bad = |why: Msg| ToolError::in_file(name, why).on_line(line(&record));
            let id = record
                .get(id_col)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| bad(msg!("no tpOrderId", "缺少 tpOrderId")))?;
            let amount = record
                .get(amount_col)
                .and_then(|a| a.parse::<i64>().ok())
                .ok_or_else(|| bad(not_fen()))?;
            amounts.insert(id.to_owned(), amount);
        }
        Ok(amounts)
    }
}

fn not_fen() -> Msg {
    msg!(
        "totalAmount is not an integer number of fen",
        "totalAmount 不是以分为单位的整数"
    )
}

/// The key that identifies a delivery: `refundBatchId` for refund callbacks, else `orderId`,
/// found by a cheap scan of the line (form or JSON) without parsing it.
#[must_use]
pub fn delivery_key(line: &str) -> Option<String> {
    delivery_parts(line).map(|(kind, field, v)| format!("{kind}:{field}={v}"))
}

/// [`delivery_key`] in parts (kind, field, value), borrowed from the line.
pub fn delivery_parts(line: &str) -> Option<(&'static str, &'static str, &str)> {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    // Built once: a finder's set-up costs more than one search of a callback line.
    static FIELDS: LazyLock<[(&str, Finder<'static>); 2]> =
        LazyLock::new(|| ["refundBatchId", "orderId"].map(|f| (f, Finder::new(f))));
    static REFUND_STATUS: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("refundStatus"));
    static REFUND: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("refund"));
    // Most lines are pay notifies: one search shows neither refund field is there.
    let refund = REFUND.find(line.as_bytes()).is_some();
    let fields = if refund { &FIELDS[..] } else { &FIELDS[1..] };
    for &(field, ref finder) in fields {
        if let Some(v) = scan(line, field, finder) {
            // The answer to a refund callback and a pay notify of the same order differ.
            let kind = if refund && REFUND_STATUS.find(line.as_bytes()).is_some() {
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

/// FNV-1a's starting state.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a, 64-bit, from `state` over the parts as if they were one string.
fn fnv1a(state: u64, parts: &[&str]) -> u64 {
    parts.iter().flat_map(|p| p.bytes()).fold(state, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl Duplicates {
    /// The line where this delivery was first seen, when it was. The key is the concatenation
    /// of `parts`.
    pub fn check(&mut self, parts: &[&str], line: u32) -> Option<u32> {
        self.check_after(FNV_OFFSET, parts, line)
    }

    /// The hash state after the first parts of keys that all start the same (a reader's file
    /// name), so that each line hashes only its own parts with [`Duplicates::check_after`].
    #[must_use]
    pub fn prefix(parts: &[&str]) -> u64 {
        fnv1a(FNV_OFFSET, parts)
    }

    /// [`Duplicates::check`] of the key `prefix`'s parts followed by `parts`.
    pub fn check_after(&mut self, prefix: u64, parts: &[&str], line: u32) -> Option<u32> {
        use std::collections::hash_map::Entry;
        let h = fnv1a(prefix, parts);
        // One probe of the table (a cache miss once it is large), not a lookup then an insert.
        match self.seen.entry([(h >> 32) as u32, h as u32]) {
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(slot) => {
                slot.insert(line);
                None
            }
        }
    }
}

/// One line of a log, as the caller read it.
pub struct Line {
    /// The file's name, shared by its lines.
    pub file: Arc<str>,
    /// 1-based line number.
    pub no: u32,
    /// The line's text, or why it could not be read (too long, not UTF-8).
    pub text: Result<String, Msg>,
    /// The line of the same file with the first delivery of this orderId/refundBatchId.
    pub duplicate_of: Option<u32>,
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
    pub unreadable: Vec<(String, Msg)>,
    pub unreadable_count: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

impl Stats {
    /// Adds the counts of another batch (batches are merged in line order).
    pub fn merge(&mut self, o: Self) {
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

/// Whether timestamp `a` is before `b`, as instants: unix seconds or milliseconds, RFC 3339 with
/// any offset (`+08:00` and `Z` alike), or a date and time without one, taken as China time
/// (UTC+8, the platform's). Text that is none of these compares as text.
fn earlier(a: &str, b: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if digits(a) && digits(b) && a.len() == b.len() {
        // Same-length whole numbers in the same unit: no parsing on the hot path.
        return a < b;
    }
    match (instant(a), instant(b)) {
        (Some(x), Some(y)) => x < y,
        _ => a < b,
    }
}

/// A timestamp as an instant.
fn instant(s: &str) -> Option<jiff::Timestamp> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        // Milliseconds from 2001-09-09 on have 13 digits; seconds have 10 until 2286.
        return if s.len() >= 13 {
            jiff::Timestamp::from_millisecond(n).ok()
        } else {
            jiff::Timestamp::from_second(n).ok()
        };
    }
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Some(t);
    }
    let china = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    let civil = s.parse::<jiff::civil::DateTime>().ok().or_else(|| {
        s.parse::<jiff::civil::Date>()
            .ok()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    })?;
    china.to_timestamp(civil).ok()
}

/// One record: a payload, or an NDJSON object carrying the request and the answer. A plain pay
/// notify that verifies is counted by the first tier ([`first_tier`]); every other line is read
/// in full.
pub fn audit_line(engine: &Engine<'_>, line: Line, stats: &mut Stats, out: &mut Vec<Finding>) {
    audit_line_as(engine, line, stats, out, true);
}

/// [`audit_line`] with every line read in full: the reference the first tier is tested against.
pub fn audit_line_full(engine: &Engine<'_>, line: Line, stats: &mut Stats, out: &mut Vec<Finding>) {
    audit_line_as(engine, line, stats, out, false);
}

#[allow(clippy::needless_pass_by_value)] // the line's text moves into the payload
fn audit_line_as(
    engine: &Engine<'_>,
    line: Line,
    stats: &mut Stats,
    out: &mut Vec<Finding>,
    tiers: bool,
) {
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
    if tiers
        && response.is_none()
        && line.duplicate_of.is_none()
        && first_tier(engine, &request, received.as_deref(), stats)
    {
        return;
    }
    let src = SourceFile::at_line(line.file.to_string(), request, line.no as usize);
    let p = match payload::read(&src, None) {
        Ok(p) if p.form == payload::Form::PlainText => {
            stats.unreadable_count += 1;
            stats.unreadable.push((
                place(),
                msg!("plain text, not a callback", "纯文本，不是回调"),
            ));
            return;
        }
        Ok(p) => p,
        Err(e) => {
            stats.unreadable_count += 1;
            stats.unreadable.push((place(), e.message));
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
            if v.diagnosis.is_valid() {
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

/// The pay notify's fields, in byte order (the order they are signed in), and `rsaSign`.
const NOTIFY_FIELDS: [&str; 19] = [
    "count",
    "dealId",
    "giftCardMoney",
    "hbBalanceMoney",
    "hbMoney",
    "orderId",
    "partnerId",
    "payMoney",
    "payTime",
    "payType",
    "promoDetail",
    "promoMoney",
    "returnData",
    "rsaSign",
    "status",
    "totalMoney",
    "tpOrderId",
    "unitPrice",
    "userId",
];

/// Whether every byte is one of a plain form line's: `A-Za-z0-9._~*%+&=-`. Comparisons only, no
/// early exit inside a block of 32, so the compiler checks a block with vector instructions.
#[allow(clippy::needless_bitwise_bool)] // branch-free on purpose: that is what vectorises
fn form_bytes_only(bytes: &[u8]) -> bool {
    const fn ok(c: u8) -> bool {
        (c.wrapping_sub(b'a') < 26)
            | (c.wrapping_sub(b'A') < 26)
            | (c.wrapping_sub(b'0') < 10)
            | (c == b'.')
            | (c == b'_')
            | (c == b'~')
            | (c == b'*')
            | (c == b'%')
            | (c == b'+')
            | (c == b'&')
            | (c == b'=')
            | (c == b'-')
    }
    let blocks = bytes.chunks_exact(32);
    let rest = blocks.remainder();
    blocks
        .into_iter()
        .all(|b| b.iter().fold(true, |all, &c| all & ok(c)))
        && rest.iter().all(|&c| ok(c))
}

/// Indices into [`NOTIFY_FIELDS`] the first tier reads by name.
const DEAL_ID: usize = 1;
const ORDER_ID: usize = 5;
const PAY_TIME: usize = 8;
const RSA_SIGN: usize = 13;
/// totalMoney, payMoney, status, payTime: one of them with orderId makes a notify.
const AMOUNT_OR_STATUS: [usize; 4] = [15, 7, 14, 8];

/// The index of a notify field in [`NOTIFY_FIELDS`], the hot path's only lookup: a `match` on
/// the bytes, which the compiler turns into a length switch and word comparisons (no call to
/// `memcmp` per candidate). A unit test checks it against the table.
fn notify_field(name: &[u8]) -> Option<usize> {
    Some(match name {
        b"count" => 0,
        b"dealId" => 1,
        b"giftCardMoney" => 2,
        b"hbBalanceMoney" => 3,
        b"hbMoney" => 4,
        b"orderId" => 5,
        b"partnerId" => 6,
        b"payMoney" => 7,
        b"payTime" => 8,
        b"payType" => 9,
        b"promoDetail" => 10,
        b"promoMoney" => 11,
        b"returnData" => 12,
        b"rsaSign" => 13,
        b"status" => 14,
        b"totalMoney" => 15,
        b"tpOrderId" => 16,
        b"unitPrice" => 17,
        b"userId" => 18,
        _ => return None,
    })
}

/// The first tier of `audit`: a pay notify written as a plain form body whose signature
/// verifies and on which no rule can report is counted here (`true`), from slices of the line, without
/// the span-keeping payload; every other line (`false`) is read in full by [`audit_line`].
///
/// A line is plain when it holds only form characters (`A-Za-z0-9._~*%+&=-`), is not a body a
/// framework decoded before logging, and is `name=value` pairs of the notify's own fields, each
/// once, with `orderId`, `rsaSign` and one of totalMoney/payMoney/status/payTime: then the full
/// reader takes it as a form body of kind `notify` with the same decoded values
/// (`form::percent_decode`). The rules that can report on such a line, with no answer, no
/// `--orders` and not a repeat delivery, are the signature rules (none when it verifies with no
/// repair) and ORD008 (its dealId against the config's); the others are about orders, refunds,
/// answers, repeats or `--orders`. `tests/audit_tiers.rs` audits a log with every fault both ways
/// and compares the reports byte for byte.
pub fn first_tier(
    engine: &Engine<'_>,
    request: &str,
    received: Option<&str>,
    stats: &mut Stats,
) -> bool {
    if engine.has_orders() || request.is_empty() {
        return false;
    }
    // Only form characters (checked 32 bytes at a time), then `name=value` pieces between `&`s,
    // each name a notify field seen once.
    let bytes = request.as_bytes();
    if !form_bytes_only(bytes) {
        return false;
    }
    let Some(Plain { slots, percent }) = plain_pieces(request) else {
        return false;
    };
    // A body a framework decoded before logging (no `%`, a raw `+` in the signature) is read
    // as written by the full reader (`form::already_decoded`), not decoded.
    if !percent && slots[RSA_SIGN].is_some_and(|v| v.text.contains('+')) {
        return false;
    }
    let (Some(_), Some(signature)) = (slots[ORDER_ID], slots[RSA_SIGN]) else {
        return false;
    };
    if !AMOUNT_OR_STATUS.iter().any(|&i| slots[i].is_some()) {
        return false;
    }
    // ORD008 reports a dealId other than the config's.
    if let Some(want) = engine.config().and_then(|c| c.merchant.deal_id.as_ref())
        && slots[DEAL_ID].is_some_and(|v| v.decoded() != want.get_ref().to_string())
    {
        return false;
    }
    let Some((_, key)) = engine.ring.platform_public() else {
        return false;
    };
    let mut canonical = String::with_capacity(request.len());
    for (i, (name, value)) in NOTIFY_FIELDS.iter().zip(slots).enumerate() {
        let Some(value) = value.filter(|_| i != RSA_SIGN) else {
            continue;
        };
        if !canonical.is_empty() {
            canonical.push('&');
        }
        canonical.push_str(name);
        canonical.push('=');
        canonical.push_str(&value.decoded());
    }
    if !crate::sign::forensics::verifies_plainly(key, canonical.as_bytes(), &signature.decoded()) {
        return false;
    }
    *stats
        .kinds
        .entry(payload::Kind::Notify.as_str())
        .or_default() += 1;
    let pay_time = slots[PAY_TIME].map(Value::decoded);
    stats.seen(received.or(pay_time.as_deref()));
    stats.signatures_valid += 1;
    true
}

/// A value of a plain line, as written, and whether it has a `%` or `+` to decode.
#[derive(Clone, Copy)]
struct Value<'a> {
    text: &'a str,
    escaped: bool,
}

impl<'a> Value<'a> {
    /// Decoded as the full reader decodes it (`form::percent_decode`).
    fn decoded(self) -> std::borrow::Cow<'a, str> {
        if self.escaped {
            std::borrow::Cow::Owned(form::percent_decode(self.text))
        } else {
            std::borrow::Cow::Borrowed(self.text)
        }
    }
}

/// A plain line's pieces by field, and whether it has a `%` anywhere.
struct Plain<'a> {
    slots: [Option<Value<'a>>; NOTIFY_FIELDS.len()],
    percent: bool,
}

/// A line of form characters read as `name=value` pieces between `&`s, each name a notify
/// field seen once; None otherwise. The value starts after the piece's first `=`, as in the
/// full reader; a piece without `=` or with an empty name, or an empty piece between two `&`s,
/// makes the line not plain. A trailing `&` leaves an empty last piece, which the full reader
/// skips too. A value with `%` is decoded, and every value is when the line has a `+`
/// (decoding finds nothing where there is nothing).
///
/// One pass, 8 bytes at a time: each word gives the positions of its bytes below `0` (`%`, `&`,
/// `+` and the rarer `*`, `-`, `.`) and of its `=` as a bit mask ([`bytes_below`],
/// [`bytes_eq`]), walked with `trailing_zeros`. A form line has a separator every few bytes,
/// too often for `memchr3`, which stops at each. The line must hold only form characters
/// (`form_bytes_only`), as the first tier checks before.
fn plain_pieces(line: &str) -> Option<Plain<'_>> {
    let bytes = line.as_bytes();
    let mut walk = Walk {
        line,
        plain: Plain {
            slots: [None; NOTIFY_FIELDS.len()],
            percent: false,
        },
        start: 0,
        eq: None,
        escaped: false,
        plus: false,
    };
    let words = bytes.chunks_exact(8);
    let tail = words.remainder();
    // The last word padded with letters, which are no separator.
    let mut last = [b'a'; 8];
    last[..tail.len()].copy_from_slice(tail);
    let words = words.map(|w| {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        b
    });
    for (i, word) in words.chain(std::iter::once(last)).enumerate() {
        let w = u64::from_le_bytes(word);
        // Of the form characters, `%`, `&`, `*`, `+`, `-` and `.` are below `0`.
        let mut hits = bytes_below(w, b'0') | bytes_eq(w, b'=');
        while hits != 0 {
            let at = i * 8 + (hits.trailing_zeros() / 8) as usize;
            hits &= hits - 1;
            walk.step(at)?;
        }
    }
    walk.end()?;
    let plus = walk.plus;
    let mut plain = walk.plain;
    if plus {
        for v in plain.slots.iter_mut().flatten() {
            v.escaped = true;
        }
    }
    Some(plain)
}

/// The high bit of each byte of `w` below `c` (≤ 0x80), for bytes below 0x80: with the high
/// bit set first, subtracting `c` from a byte borrows from no other.
const fn bytes_below(w: u64, c: u8) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    !((w | HIGH).wrapping_sub(0x0101_0101_0101_0101 * c as u64)) & HIGH
}

/// The high bit of each byte of `w` equal to `c`, exactly (no borrow runs between bytes:
/// (x & 0x7F) + 0x7F stays within its byte).
const fn bytes_eq(w: u64, c: u8) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = w ^ (0x0101_0101_0101_0101 * c as u64);
    !((x & !HIGH).wrapping_add(!HIGH) | x) & HIGH
}

/// [`plain_pieces`]' state between separators.
struct Walk<'a> {
    line: &'a str,
    plain: Plain<'a>,
    /// Where the current piece starts.
    start: usize,
    /// The piece's first `=`.
    eq: Option<usize>,
    /// Whether the piece's value has a `%`.
    escaped: bool,
    /// Whether the line has a `+`.
    plus: bool,
}

impl Walk<'_> {
    /// A separator at `at`: None when the line is not plain.
    fn step(&mut self, at: usize) -> Option<()> {
        match self.line.as_bytes()[at] {
            b'=' => {
                self.eq.get_or_insert(at);
            }
            b'%' => {
                // In a name it makes the name unknown, so the line is not plain anyway.
                self.plain.percent = true;
                self.escaped = true;
            }
            b'+' => self.plus = true,
            b'&' => self.piece(at)?,
            _ => {}
        }
        Some(())
    }

    /// The end of the line: the last piece, unless a trailing `&` left it empty.
    fn end(&mut self) -> Option<()> {
        let len = self.line.len();
        if self.start == len && len > 0 {
            return Some(());
        }
        self.piece(len)
    }

    /// The piece from `start` to `at`.
    fn piece(&mut self, at: usize) -> Option<()> {
        let e = self.eq?;
        let k = notify_field(&self.line.as_bytes()[self.start..e])?;
        let value = Value {
            text: &self.line[e + 1..at],
            escaped: self.escaped,
        };
        if self.plain.slots[k].replace(value).is_some() {
            return None;
        }
        self.start = at + 1;
        self.eq = None;
        self.escaped = false;
        Some(())
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

/// The end of an audit: counts, throughput and what was left out.
pub struct Outcome<'a> {
    pub stats: &'a Stats,
    pub counts: crate::finding::Summary,
    /// Findings printed (the rest were counted).
    pub shown: usize,
    pub elapsed: std::time::Duration,
    pub jobs: usize,
}

impl Outcome<'_> {
    fn rate(&self) -> f64 {
        self.stats.lines as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The summary table.
    #[must_use]
    pub fn human(&self, lang: Lang) -> String {
        let s = self.stats;
        let mut o = String::new();
        let mut line = |m: Msg| {
            o.push_str(m.get(lang));
            o.push('\n');
        };
        let (lines, secs, rate, jobs) =
            (s.lines, self.elapsed.as_secs_f64(), self.rate(), self.jobs);
        line(msg!(
            "audit: {lines} lines in {secs:.2} s ({rate:.0} lines/s, {jobs} threads)",
            "审计：{lines} 行，用时 {secs:.2} 秒（每秒 {rate:.0} 行，{jobs} 个线程）"
        ));
        let kinds: Vec<String> = s.kinds.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let kinds = if kinds.is_empty() {
            "-".to_owned()
        } else {
            kinds.join(" · ")
        };
        line(msg!("  kinds        {kinds}", "  报文类型     {kinds}"));
        let (valid, failed, unchecked) = (
            s.signatures_valid,
            s.signatures_failed,
            s.signatures_unchecked,
        );
        line(msg!(
            "  signatures   {valid} valid · {failed} failed · {unchecked} not checked (no key)",
            "  签名         {valid} 个验签通过 · {failed} 个失败 · {unchecked} 个未验（没有密钥）"
        ));
        if s.duplicates > 0 {
            let d = s.duplicates;
            line(msg!(
                "  duplicates   {d} repeated deliveries",
                "  重复推送     {d} 次"
            ));
        }
        if let (Some(a), Some(b)) = (&s.first_seen, &s.last_seen) {
            line(msg!("  first/last   {a} … {b}", "  最早/最晚    {a} … {b}"));
        }
        if !s.rules.is_empty() {
            line(msg!("  findings by rule", "  按规则统计的问题"));
            for (r, n) in &s.rules {
                line(Msg::same(format!("    {n:>9}  {r}")));
            }
        }
        if s.unreadable_count > 0 {
            let n = s.unreadable_count;
            line(msg!("  unreadable   {n} lines", "  无法读取     {n} 行"));
            for (place, why) in &s.unreadable {
                line(Msg::new(
                    format!("    {place}: {}", why.en),
                    format!("    {place}：{}", why.zh),
                ));
            }
            if n > s.unreadable.len() as u64 {
                let more = n - s.unreadable.len() as u64;
                line(msg!("    … and {more} more", "    … 另有 {more} 行"));
            }
        }
        let total = self.counts.errors + self.counts.warnings + self.counts.infos;
        if total > self.shown {
            let shown = self.shown;
            line(msg!(
                "  {shown} of {total} findings shown; the counts above include them all",
                "  共 {total} 个问题，显示了 {shown} 个；上面的统计包含全部"
            ));
        }
        let (e, w, i) = (self.counts.errors, self.counts.warnings, self.counts.infos);
        let mark = crate::finding::Summary::mark(&self.counts);
        line(msg!(
            "{mark} {e} errors, {w} warnings, {i} info",
            "{mark} {e} 个错误，{w} 个警告，{i} 个提示"
        ));
        o
    }

    /// The same in JSON.
    #[must_use]
    pub fn json(&self, lang: Lang) -> serde_json::Value {
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
                "lines": s.unreadable.iter().map(|(p, w)| serde_json::json!({"line": p, "why": w.get(lang)})).collect::<Vec<_>>(),
            },
            "findings_shown": self.shown,
        })
    }
}

/// Why [`first_tier`] may count a plain valid notify without running each rule: every rule of the
/// catalogue, with the reason it cannot report on such a line or the check the tier makes for it.
/// A rule added to the catalogue fails the test until it is placed here.
#[cfg(test)]
const FIRST_TIER_RULES: &[(&str, &str)] = &[
    ("ORD001", "orderInfo only"),
    ("ORD002", "orderInfo only"),
    ("ORD003", "orders and answers only"),
    ("ORD004", "orderInfo only"),
    ("ORD005", "orderInfo only"),
    ("ORD006", "orders and requests only"),
    ("ORD007", "orders and requests only"),
    ("ORD008", "checked: the dealId equals the config's"),
    ("ORD009", "orderInfo only"),
    ("BIZ001", "orderInfo only"),
    ("BIZ002", "orderInfo only"),
    ("BIZ003", "orderInfo only"),
    ("BIZ004", "orderInfo only"),
    ("AMT001", "orderInfo and refund requests only"),
    ("AMT002", "the config only"),
    ("AMT003", "the config only"),
    ("REF001", "refund requests only"),
    ("REF002", "refund requests only"),
    ("RSP001", "answers: a line with one is read in full"),
    ("RSP002", "answers: a line with one is read in full"),
    ("RSP003", "answers: a line with one is read in full"),
    ("RSP004", "answers: a line with one is read in full"),
    ("RSP005", "answers: a line with one is read in full"),
    ("RSP006", "answers: a line with one is read in full"),
    ("RSP007", "answers: a line with one is read in full"),
    ("RSP008", "answers: a line with one is read in full"),
    ("RSP009", "answers: a line with one is read in full"),
    ("RSP010", "answers: a line with one is read in full"),
    ("RSP011", "answers: a line with one is read in full"),
    ("RSP012", "answers: a line with one is read in full"),
    ("CBU001", "the config only"),
    ("CBU002", "the config only"),
    ("CBU003", "the config only"),
    ("CBU004", "the config only"),
    ("CFG001", "the config only"),
    ("KEY001", "the config only"),
    ("KEY002", "the config only"),
    ("KEY003", "the config only"),
    ("KEY004", "the config only"),
    ("KEY005", "the config only"),
    ("KEY006", "the config only"),
    ("KEY007", "the config only"),
    ("KEY008", "the config only"),
    ("KEY009", "the config only"),
    ("KEY010", "the config only"),
    ("KEY011", "the config only"),
    ("SIG001", "checked: the signature verifies with no repair"),
    ("SIG002", "checked: the signature verifies with no repair"),
    ("SIG003", "checked: the signature verifies with no repair"),
    ("SIG004", "checked: the signature verifies with no repair"),
    ("SIG005", "checked: the signature verifies with no repair"),
    ("SIG006", "checked: the signature verifies with no repair"),
    ("SIG007", "checked: the signature verifies with no repair"),
    ("SIG008", "checked: the signature verifies with no repair"),
    ("SIG009", "checked: the signature verifies with no repair"),
    ("SIG010", "checked: the signature verifies with no repair"),
    ("SIG011", "checked: the signature verifies with no repair"),
    ("SIG012", "checked: the signature verifies with no repair"),
    ("PRB001", "probes only"),
    ("PRB002", "probes only"),
    ("PRB003", "probes only"),
    ("PRB004", "probes only"),
    ("PRB005", "probes only"),
    ("PRB006", "probes only"),
    ("PRB007", "probes only"),
    ("PRB008", "probes only"),
    ("PRB009", "probes only"),
    ("PRB010", "probes only"),
    ("PRB011", "probes only"),
    ("PRB012", "probes only"),
    ("AUD001", "checked: no --orders"),
    ("AUD002", "checked: no --orders"),
    ("AUD003", "checked: not a repeat delivery"),
    ("SRC001", "the code scanner only"),
    ("SRC002", "the code scanner only"),
    ("SRC003", "the code scanner only"),
    ("SRC004", "the code scanner only"),
    ("SRC005", "the code scanner only"),
    ("SRC006", "the code scanner only"),
    ("SRC007", "the code scanner only"),
    ("SRC008", "the code scanner only"),
    ("SRC009", "the code scanner only"),
    ("SRC010", "the code scanner only"),
    ("SRC011", "the code scanner only"),
    ("SRC012", "the code scanner only"),
    ("SRC013", "the code scanner only"),
    ("SRC014", "the code scanner only"),
    ("SRC015", "the code scanner only"),
    ("SRC016", "the code scanner only"),
];

#[cfg(test)]
mod tests {
    #[test]
    fn form_bytes_are_exactly_the_plain_set() {
        for c in 0..=255u8 {
            let plain = c.is_ascii_alphanumeric() || b"._~*%+&=-".contains(&c);
            // Alone, and at each place of a 32-byte block and of the remainder.
            for len in [1, 31, 32, 33, 70] {
                for at in [0, len / 2, len - 1] {
                    let mut v = vec![b'a'; len];
                    v[at] = c;
                    assert_eq!(
                        super::form_bytes_only(&v),
                        plain,
                        "{c:#04x} at {at} of {len}"
                    );
                }
            }
        }
    }

    /// The pieces as a list: (field, value as written, escaped), or None.
    fn pieces(line: &str) -> Option<Vec<(&'static str, &str, bool)>> {
        let p = super::plain_pieces(line)?;
        Some(
            super::NOTIFY_FIELDS
                .iter()
                .zip(p.slots)
                .filter_map(|(n, v)| v.map(|v| (*n, v.text, v.escaped)))
                .collect(),
        )
    }

    #[test]
    fn bytes_below_marks_exactly_the_lower_bytes() {
        for other in 0..0x80u8 {
            for at in 0..8 {
                for c in [b'0', other, 0x80] {
                    let mut word = [other; 8];
                    word[at] = c.wrapping_sub(1) & 0x7F;
                    let want = word
                        .iter()
                        .enumerate()
                        .fold(0u64, |m, (i, &b)| m | (u64::from(b < b'0') << (8 * i + 7)));
                    assert_eq!(
                        super::bytes_below(u64::from_le_bytes(word), b'0'),
                        want,
                        "{other} {at} {c}"
                    );
                }
            }
        }
    }

    #[test]
    fn bytes_eq_marks_exactly_the_equal_bytes() {
        for c in [b'&', b'=', b'%', b'+'] {
            for other in 0..=255u8 {
                for at in 0..8 {
                    // The byte at `at`, every other byte `other` and the one before it c ± 1.
                    let mut word = [other; 8];
                    word[at] = c;
                    if at > 0 {
                        word[at - 1] = c.wrapping_add(1);
                    }
                    let want = word
                        .iter()
                        .enumerate()
                        .fold(0u64, |m, (i, &b)| m | (u64::from(b == c) << (8 * i + 7)));
                    assert_eq!(
                        super::bytes_eq(u64::from_le_bytes(word), c),
                        want,
                        "{c} {other} {at}"
                    );
                }
            }
        }
    }

    #[test]
    fn plain_pieces_split_as_the_full_reader() {
        assert_eq!(
            pieces("orderId=1&rsaSign=a%2Bb=&status=2"),
            Some(vec![
                ("orderId", "1", false),
                ("rsaSign", "a%2Bb=", true),
                ("status", "2", false)
            ])
        );
        // The value starts after the first `=`; a trailing `&` ends the line.
        assert_eq!(
            pieces("rsaSign=ab==&orderId==1&"),
            Some(vec![("orderId", "=1", false), ("rsaSign", "ab==", false)])
        );
        // A `+` anywhere: every value is decoded (finding nothing where there is nothing).
        assert_eq!(
            pieces("count=1&payType=a+b"),
            Some(vec![("count", "1", true), ("payType", "a+b", true)])
        );
        assert_eq!(pieces("count=").map(|v| v.len()), Some(1));
        // Separators in every place of a word and of the padded last one.
        for pad in 0..9 {
            let line = format!("userId={}&count=1&payMoney=1%32-.*", "7".repeat(pad));
            let seven = "7".repeat(pad);
            assert_eq!(
                pieces(&line),
                Some(vec![
                    ("count", "1", false),
                    ("payMoney", "1%32-.*", true),
                    ("userId", seven.as_str(), false)
                ]),
                "{line}"
            );
        }
        assert!(super::plain_pieces("orderId=1&rsaSign=x%41").is_some_and(|p| p.percent));
        assert!(super::plain_pieces("orderId=1&rsaSign=x").is_some_and(|p| !p.percent));
        for not_plain in [
            "&orderId=1",
            "orderId=1&&status=2",
            "orderId=1&status",
            "orderId=1&=2",
            "orderId=1&orderId=2",
            "order%49d=1",
            "orderId=1&sign=2",
            "&",
            "=1",
        ] {
            assert!(pieces(not_plain).is_none(), "{not_plain}");
        }
    }

    #[test]
    fn notify_fields_are_indexed_in_byte_order() {
        for (i, name) in super::NOTIFY_FIELDS.iter().enumerate() {
            assert_eq!(super::notify_field(name.as_bytes()), Some(i), "{name}");
        }
        assert!(
            super::NOTIFY_FIELDS
                .windows(2)
                .all(|w| w[0].as_bytes() < w[1].as_bytes())
        );
        for other in ["dealID", "", "sign", "orderId ", "rsaSig", "refundBatchId"] {
            assert_eq!(super::notify_field(other.as_bytes()), None, "{other}");
        }
        let name = |i: usize| super::NOTIFY_FIELDS[i];
        assert_eq!(
            [
                super::DEAL_ID,
                super::ORDER_ID,
                super::PAY_TIME,
                super::RSA_SIGN
            ]
            .map(name),
            ["dealId", "orderId", "payTime", "rsaSign"]
        );
        assert_eq!(
            super::AMOUNT_OR_STATUS.map(name),
            ["totalMoney", "payMoney", "status", "payTime"]
        );
    }

    /// Every rule of the catalogue says why the first tier may skip it; a new rule must be
    /// placed in [`super::FIRST_TIER_RULES`] before the tier can be trusted with it.
    #[test]
    fn every_rule_is_placed_for_the_first_tier() {
        let placed: Vec<&str> = super::FIRST_TIER_RULES.iter().map(|(c, _)| *c).collect();
        let rules: Vec<&str> = crate::registry::all()
            .iter()
            .map(|r| r.code.as_str())
            .collect();
        assert_eq!(placed, rules);
    }

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
        // Lines that name a refund take the slower search: each field in turn.
        for (line, key) in [
            ("orderId=1&refundBatchId=7", "refund-audit:refundBatchId=7"),
            ("orderId=1&refundStatus=2", "refund-notify:orderId=1"),
            ("orderId=1&returnData=refund", "notify:orderId=1"),
            (
                "refundBatchId=8&refundStatus=1",
                "refund-notify:refundBatchId=8",
            ),
        ] {
            assert_eq!(delivery_key(line).as_deref(), Some(key), "{line}");
        }
    }

    #[test]
    fn a_hashed_prefix_gives_the_same_keys() {
        let mut whole = Duplicates::default();
        let mut split = Duplicates::default();
        let prefix = Duplicates::prefix(&["app.log", "\u{0}"]);
        for (no, id) in [(1, "7"), (2, "8"), (3, "7"), (4, "77"), (5, "8")] {
            let first = whole.check(&["app.log", "\u{0}", "notify:orderId=", id], no);
            assert_eq!(
                split.check_after(prefix, &["notify", ":", "orderId", "=", id], no),
                first
            );
            assert_eq!(first, [None, None, Some(1), None, Some(2)][no as usize - 1]);
        }
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
    fn timestamps_compare_as_instants() {
        // The same instant in two offsets, and a later one written in UTC.
        assert!(!earlier(
            "2026-11-01T10:00:00+08:00",
            "2026-11-01T02:00:00Z"
        ));
        assert!(!earlier(
            "2026-11-01T02:00:00Z",
            "2026-11-01T10:00:00+08:00"
        ));
        // Text order says the opposite of time order here.
        assert!(earlier("2026-11-01T09:00:00+08:00", "2026-11-01T02:00:00Z"));
        // Seconds against milliseconds, and a time without an offset (China time).
        assert!(earlier("1764000000", "1764000000500"));
        assert!(earlier("2026-11-01 09:59:59", "2026-11-01T02:00:00Z"));
        assert!(earlier("999", "1000"));
    }

    #[test]
    fn csv_orders_by_header_name_with_quoted_fields() {
        // Columns in another order, named in snake_case, an id holding a comma and a quote.
        let text = "# exported from the shop\nstatus,total_amount,tp_order_id\npaid,1990,\"T-1,\"\"a\"\"\"\n\npaid, 500 ,T2\n";
        let o = Orders::parse(text, "o.csv").unwrap();
        assert_eq!(o.amounts.get("T-1,\"a\""), Some(&1990));
        assert_eq!(o.amounts.get("T2"), Some(&500));
        // A bad amount names its line, counting the comment.
        let e = Orders::parse("tpOrderId,totalAmount\nT1,19.90\n", "o.csv").unwrap_err();
        assert_eq!(e.line, Some(2));
        // A header that names neither column is refused, not read as data.
        assert!(Orders::parse("order,amount\nT1,100\n", "o.csv").is_err());
    }
}
