//! Fast RSA public operation (s^e mod n) with Montgomery multiplication on u64 limbs, for
//! verifying many signatures quickly. Public data only: not constant time, by design.
//!
//! The modulus is held in a fixed number of limbs (8, 16, 24, 32, 48, 64, 96 or 128: the
//! smallest that holds it), so the arithmetic runs on stack arrays whose length the compiler
//! knows: no allocation and no bounds checks in the hot path. A modulus between those sizes is
//! zero-padded to the next one, which Montgomery arithmetic allows (R = 2^(64·width) > n).
//!
//! Exponentiation is left to right over e's bits. For `public_op` the base enters Montgomery
//! form with one multiplication by R² mod n; the last multiplication by the base uses the base
//! as it is, which leaves the result in normal form (for e = 65537: 16 squarings and 2
//! multiplications). `verify_sha1`, the hot path of `audit`, never enters Montgomery form: it
//! runs on s as it is and compares s^e·R^(1−e) with the expected encoding times R^(1−e), kept
//! from setup but for the digest's 160 bits (16 squarings, 1 multiplication and a fifth).
//! Multiplication is row-wise (fused CIOS). Squaring, nearly all of the work, is column-wise
//! and fully unrolled for 8, 16 and 32 limbs (512-, 1024- and 2048-bit keys), row-wise with
//! half the cross products for the other widths. All arithmetic is u64 limbs with u128
//! products; no `unsafe`, no target features.

use rsa::traits::PublicKeyParts as _;

/// Limb counts with an array implementation; a modulus uses the smallest that holds it.
const WIDTHS: [usize; 8] = [8, 16, 24, 32, 48, 64, 96, 128];

/// DigestInfo for SHA-1 (RFC 8017 §9.2 note 1), followed by the 20-byte digest.
pub const SHA1_PREFIX: [u8; 15] = [
    0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
];

/// DigestInfo for SHA-1 without the NULL parameters, which some signers write and verifiers
/// accept (RFC 8017 §9.2 note 2).
pub const SHA1_PREFIX_NO_NULL: [u8; 13] = [
    0x30, 0x1f, 0x30, 0x07, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x04, 0x14,
];

/// `$body` for the limb count `$width`, with `$l` bound to it, `$l2` to twice it and `$sqr` to
/// that width's square (unrolled for 8, 16 and 32 limbs); `$other` for a width not in `WIDTHS`.
/// The one place that lists the widths' arithmetic, for setup, `public_op` and `verify_sha1`.
macro_rules! by_width {
    ($width:expr, |$l:ident, $l2:ident, $sqr:ident| $body:expr, $other:expr) => {
        match $width {
            8 => by_width!(@ 8, 16, sqr8, $l, $l2, $sqr, $body),
            16 => by_width!(@ 16, 32, sqr16, $l, $l2, $sqr, $body),
            24 => by_width!(@ 24, 48, mont_sqr::<24, 48>, $l, $l2, $sqr, $body),
            32 => by_width!(@ 32, 64, sqr32, $l, $l2, $sqr, $body),
            48 => by_width!(@ 48, 96, mont_sqr::<48, 96>, $l, $l2, $sqr, $body),
            64 => by_width!(@ 64, 128, mont_sqr::<64, 128>, $l, $l2, $sqr, $body),
            96 => by_width!(@ 96, 192, mont_sqr::<96, 192>, $l, $l2, $sqr, $body),
            128 => by_width!(@ 128, 256, mont_sqr::<128, 256>, $l, $l2, $sqr, $body),
            _ => $other,
        }
    };
    (@ $n:literal, $n2:literal, $f:expr, $l:ident, $l2:ident, $sqr:ident, $body:expr) => {{
        const $l: usize = $n;
        const $l2: usize = $n2;
        let $sqr = $f;
        $body
    }};
}

/// An RSA public key prepared for Montgomery arithmetic. Build it once per key and reuse it:
/// setup costs a little less than one public operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    /// n, little-endian u64 limbs, zero-padded to one of `WIDTHS`.
    n: Vec<u64>,
    /// -n^-1 mod 2^64.
    n0: u64,
    /// R² mod n, R = 2^(64·n.len()), little-endian limbs.
    rr: Vec<u64>,
    /// e, big-endian, no leading zero bytes, at least 3.
    e: Vec<u8>,
    /// Modulus length in bytes.
    k: usize,
    /// C·F mod n, C the SHA-1 encoded message with a zero digest and F = R^(1−e) mod n: what
    /// [`PublicKey::verify_sha1`] compares with, instead of leaving Montgomery form. One for
    /// each DigestInfo form: with the NULL parameters, and without (which some signers write).
    sha1_cf: [Vec<u64>; 2],
    /// 2^192·F mod n, to bring the 160-bit digest into the same form with a 3-limb reduction.
    digest_f: Vec<u64>,
}

impl PublicKey {
    /// From big-endian modulus and exponent bytes (leading zeros allowed). Moduli of 512 to
    /// 8192 bits, odd; an odd public exponent 3 ≤ e < 2^64 (OpenSSL's limit for public
    /// exponents). None otherwise: this is a verifier, not a general modular exponentiation.
    #[must_use]
    pub fn new(n: &[u8], e: &[u8]) -> Option<Self> {
        let n = trim(n);
        let e = trim(e);
        let bits = bit_len(n);
        if !(512..=8192).contains(&bits) || n.last().is_none_or(|b| b & 1 == 0) {
            return None;
        }
        // An odd e ≥ 3 of at most 64 bits: a private exponent is no public key.
        if e.is_empty() || (e.len() == 1 && e[0] < 3) || e.last().is_some_and(|b| b & 1 == 0) {
            return None;
        }
        if e.len() > 8 {
            return None;
        }
        let width = *WIDTHS.iter().find(|&&w| w * 64 >= bits)?;
        let mut limbs = vec![0u64; width];
        be_to_limbs(n, &mut limbs);
        let k = bits.div_ceil(8);
        let e_word = e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let c = [
            sha1_encoded(k, &SHA1_PREFIX, &[0; 20])?,
            sha1_encoded(k, &SHA1_PREFIX_NO_NULL, &[0; 20])?,
        ];
        let (rr, sha1_cf, digest_f) = by_width!(
            width,
            |L, L2, _sqr| setup::<L, L2>(&limbs, e_word, &c),
            None
        )?;
        Some(Self {
            n0: neg_inv(limbs[0]),
            n: limbs,
            rr,
            e: e.to_vec(),
            k,
            sha1_cf,
            digest_f,
        })
    }

    /// From an `rsa::PublicKey`.
    #[must_use]
    pub fn from_rsa(k: &rsa::PublicKey) -> Option<Self> {
        Self::new(&k.n_bytes(), &k.e_bytes())
    }

    /// Modulus size in bytes.
    #[must_use]
    pub fn size(&self) -> usize {
        self.k
    }

    /// s^e mod n as k big-endian bytes; None when sig.len() != k or s >= n.
    #[must_use]
    pub fn public_op(&self, sig: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0u8; self.k];
        self.public_op_into(sig, &mut out).then_some(out)
    }

    /// Same, writing into `out` (len k) to avoid allocation in hot loops; returns false when
    /// invalid (and leaves `out` unspecified).
    pub fn public_op_into(&self, sig: &[u8], out: &mut [u8]) -> bool {
        if sig.len() != self.k || out.len() != self.k {
            return false;
        }
        by_width!(
            self.n.len(),
            |L, _L2, sqr| self.op::<L>(sig, out, sqr),
            false
        )
    }

    /// Whether `sig` is a valid RSASSA-PKCS1-v1_5 SHA-1 signature of a message with SHA-1
    /// digest `digest`: s^e ≡ EM (mod n) with EM = 00 01 FF..FF 00 || DigestInfo(SHA-1) ||
    /// digest, the DigestInfo with or without its NULL parameters: at a key's size these are
    /// the two encodings of that digest.
    ///
    /// Cheaper than [`PublicKey::public_op`] and a comparison: the exponentiation starts from s
    /// as it is, read as the Montgomery form of s·R⁻¹, and so never enters Montgomery form
    /// (one multiplication fewer); it ends with s^e·R^(1−e), which is compared with
    /// EM·R^(1−e) = C·F + digest·F, the first term kept from setup and the second a
    /// 160-bit × n-bit product reduced by three limbs (about a fifth of a multiplication).
    #[must_use]
    pub fn verify_sha1(&self, digest: &[u8; 20], sig: &[u8]) -> bool {
        if sig.len() != self.k {
            return false;
        }
        by_width!(
            self.n.len(),
            |L, _L2, sqr| self.congruent::<L>(sig, digest, sqr),
            false
        )
    }

    /// s^e ≡ C + digest (mod n), with `L` limbs; see [`PublicKey::verify_sha1`].
    fn congruent<const L: usize>(
        &self,
        sig: &[u8],
        digest: &[u8; 20],
        sqr: impl Fn(&[u64; L], &[u64; L], u64) -> [u64; L],
    ) -> bool {
        let (Ok(n), Ok(df)) = (
            <&[u64; L]>::try_from(self.n.as_slice()),
            <&[u64; L]>::try_from(self.digest_f.as_slice()),
        ) else {
            return false;
        };
        let mut s = [0u64; L];
        be_to_limbs(sig, &mut s);
        if !less(&s, n) {
            return false;
        }
        let x = twisted_pow(&s, &self.e, n, self.n0, sqr);
        let mut h = [0u64; 3];
        be_to_limbs(digest, &mut h);
        let hf = times_digest(&h, df, n, self.n0);
        self.sha1_cf
            .iter()
            .any(|cf| <&[u64; L]>::try_from(cf.as_slice()).is_ok_and(|cf| x == add_mod(cf, &hf, n)))
    }

    /// s^e mod n with `L` limbs, squaring with `sqr`.
    fn op<const L: usize>(
        &self,
        sig: &[u8],
        out: &mut [u8],
        sqr: impl Fn(&[u64; L], &[u64; L], u64) -> [u64; L],
    ) -> bool {
        let (Ok(n), Ok(rr)) = (
            <&[u64; L]>::try_from(self.n.as_slice()),
            <&[u64; L]>::try_from(self.rr.as_slice()),
        ) else {
            return false;
        };
        let mut s = [0u64; L];
        be_to_limbs(sig, &mut s);
        if !less(&s, n) {
            return false;
        }
        let n0 = self.n0;
        let base = mont_mul(&s, rr, n, n0);
        let mut acc = base;
        // Bits of e below the top one, most significant first; the last is handled apart.
        let bits = bit_len(&self.e);
        for i in (1..bits - 1).rev() {
            acc = sqr(&acc, n, n0);
            if bit(&self.e, i) {
                acc = mont_mul(&acc, &base, n, n0);
            }
        }
        acc = sqr(&acc, n, n0);
        let result = if bit(&self.e, 0) {
            // acc·s·R⁻¹ with acc = x·R: x·s in normal form.
            mont_mul(&acc, &s, n, n0)
        } else {
            let mut one = [0u64; L];
            one[0] = 1;
            mont_mul(&acc, &one, n, n0)
        };
        limbs_to_be(&result, out);
        true
    }
}

/// s^e·R^(1−e) mod n: the exponentiation run on s as it is, as the Montgomery form of s·R⁻¹
/// (each square and multiplication keeps the form s^j·R^(1−j)).
fn twisted_pow<const L: usize>(
    s: &[u64; L],
    e: &[u8],
    n: &[u64; L],
    n0: u64,
    sqr: impl Fn(&[u64; L], &[u64; L], u64) -> [u64; L],
) -> [u64; L] {
    let mut acc = *s;
    for i in (0..bit_len(e) - 1).rev() {
        acc = sqr(&acc, n, n0);
        if bit(e, i) {
            acc = mont_mul(&acc, s, n, n0);
        }
    }
    acc
}

/// a + b mod n for a, b < n.
fn add_mod<const L: usize>(a: &[u64; L], b: &[u64; L], n: &[u64; L]) -> [u64; L] {
    let mut t = [0u64; L];
    let mut carry = false;
    for ((x, &y), z) in a.iter().zip(b).zip(&mut t) {
        let (v, c1) = x.overflowing_add(y);
        let (v, c2) = v.overflowing_add(u64::from(carry));
        *z = v;
        carry = c1 | c2;
    }
    reduce_once(&mut t, u64::from(carry), n);
    t
}

/// h·f·2^-192 mod n for a 3-limb h: a Montgomery product with three rows, not `L`.
fn times_digest<const L: usize>(h: &[u64; 3], f: &[u64; L], n: &[u64; L], n0: u64) -> [u64; L] {
    mont_rows(f, h, n, n0)
}

/// `b` without leading zero bytes.
fn trim(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    &b[start..]
}

/// Bit length of a trimmed big-endian number.
fn bit_len(b: &[u8]) -> usize {
    b.first()
        .map_or(0, |&top| b.len() * 8 - top.leading_zeros() as usize)
}

/// Bit `i` (0 = least significant) of big-endian `b`.
fn bit(b: &[u8], i: usize) -> bool {
    (b[b.len() - 1 - i / 8] >> (i % 8)) & 1 == 1
}

/// Big-endian bytes into little-endian limbs; `limbs` must hold them (higher limbs are zeroed).
fn be_to_limbs(b: &[u8], limbs: &mut [u64]) {
    limbs.fill(0);
    for (limb, chunk) in limbs.iter_mut().zip(b.rchunks(8)) {
        *limb = chunk.iter().fold(0, |acc, &x| (acc << 8) | u64::from(x));
    }
}

/// Little-endian limbs into big-endian bytes filling `out`; the value must fit.
fn limbs_to_be(limbs: &[u64], out: &mut [u8]) {
    for (chunk, limb) in out.rchunks_mut(8).zip(limbs) {
        let bytes = limb.to_be_bytes();
        chunk.copy_from_slice(&bytes[8 - chunk.len()..]);
    }
}

/// -n^-1 mod 2^64 for odd n, by Newton iteration (each step doubles the correct bits; n·n ≡ 1
/// mod 8 gives 3 to start).
fn neg_inv(n: u64) -> u64 {
    let mut inv = n;
    for _ in 0..5 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(n.wrapping_mul(inv)));
    }
    inv.wrapping_neg()
}

/// a < b.
#[inline]
fn less<const L: usize>(a: &[u64; L], b: &[u64; L]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// t -= n when top·2^(64L) + t ≥ n (the caller guarantees it is then < 2n).
#[inline]
fn reduce_once<const L: usize>(t: &mut [u64; L], top: u64, n: &[u64; L]) {
    if top == 0 && less(t, n) {
        return;
    }
    let mut borrow = false;
    for (x, &y) in t.iter_mut().zip(n) {
        let (d, b1) = x.overflowing_sub(y);
        let (d, b2) = d.overflowing_sub(u64::from(borrow));
        *x = d;
        borrow = b1 | b2;
    }
}

/// Montgomery product a·b·R⁻¹ mod n for a, b < n (fused CIOS: each row adds a·b\[i\] and m·n
/// in one pass and shifts down a limb).
#[inline]
fn mont_mul<const L: usize>(a: &[u64; L], b: &[u64; L], n: &[u64; L], n0: u64) -> [u64; L] {
    mont_rows(a, b, n, n0)
}

/// a·b·2^(−64B) mod n for a < n and any `B`-limb b: CIOS with one row per limb of b. The
/// running value stays below 2n for any number of rows, so one subtraction at the end.
#[inline]
fn mont_rows<const L: usize, const B: usize>(
    a: &[u64; L],
    b: &[u64; B],
    n: &[u64; L],
    n0: u64,
) -> [u64; L] {
    let mut t = [0u64; L];
    // t[L]: the running value stays below 2n < 2R, so this is 0 or 1.
    let mut top = 0u64;
    for &bi in b {
        let x = u128::from(t[0]) + u128::from(a[0]) * u128::from(bi);
        let mut c1 = (x >> 64) as u64;
        let m = (x as u64).wrapping_mul(n0);
        let y = u128::from(x as u64) + u128::from(m) * u128::from(n[0]);
        let mut c2 = (y >> 64) as u64;
        for j in 1..L {
            let x = u128::from(t[j]) + u128::from(a[j]) * u128::from(bi) + u128::from(c1);
            c1 = (x >> 64) as u64;
            let y = u128::from(x as u64) + u128::from(m) * u128::from(n[j]) + u128::from(c2);
            c2 = (y >> 64) as u64;
            t[j - 1] = y as u64;
        }
        let s = u128::from(top) + u128::from(c1) + u128::from(c2);
        t[L - 1] = s as u64;
        top = (s >> 64) as u64;
    }
    reduce_once(&mut t, top, n);
    t
}

/// Montgomery square a²·R⁻¹ mod n for a < n: the full square (cross products once, doubled,
/// plus the diagonal), then word-by-word Montgomery reduction. `L2` = 2·L.
#[inline]
fn mont_sqr<const L: usize, const L2: usize>(a: &[u64; L], n: &[u64; L], n0: u64) -> [u64; L] {
    const { assert!(L2 == 2 * L) };
    let mut p = [0u64; L2];
    // Cross products a[i]·a[j], i < j.
    for i in 0..L - 1 {
        let ai = u128::from(a[i]);
        let mut c = 0u64;
        for (pj, &aj) in p[2 * i + 1..i + L].iter_mut().zip(&a[i + 1..]) {
            let x = u128::from(*pj) + ai * u128::from(aj) + u128::from(c);
            *pj = x as u64;
            c = (x >> 64) as u64;
        }
        p[i + L] = c;
    }
    // Double them and add the squares a[i]².
    let mut shift = 0u64;
    let mut c = 0u64;
    for (i, &ai) in a.iter().enumerate() {
        let (lo, hi) = (p[2 * i], p[2 * i + 1]);
        let dlo = (lo << 1) | shift;
        let dhi = (hi << 1) | (lo >> 63);
        shift = hi >> 63;
        let sq = u128::from(ai) * u128::from(ai);
        let x = u128::from(dlo) + u128::from(sq as u64) + u128::from(c);
        p[2 * i] = x as u64;
        let y = u128::from(dhi) + (sq >> 64) + (x >> 64);
        p[2 * i + 1] = y as u64;
        c = (y >> 64) as u64;
    }
    // Reduce: add m·n·2^(64i) to clear limb i; `top` is the carry into limb i + L + 1.
    let mut top = 0u64;
    for i in 0..L {
        let m = p[i].wrapping_mul(n0);
        let mm = u128::from(m);
        let mut c = 0u64;
        for (pj, &nj) in p[i..i + L].iter_mut().zip(n) {
            let x = u128::from(*pj) + mm * u128::from(nj) + u128::from(c);
            *pj = x as u64;
            c = (x >> 64) as u64;
        }
        let x = u128::from(p[i + L]) + u128::from(c) + u128::from(top);
        p[i + L] = x as u64;
        top = (x >> 64) as u64;
    }
    let mut t: [u64; L] = std::array::from_fn(|i| p[L + i]);
    reduce_once(&mut t, top, n);
    t
}

/// A 192-bit accumulator for column-wise (product-scanning) arithmetic.
#[derive(Clone, Copy, Default)]
struct Acc(u64, u64, u64);

impl Acc {
    /// self += a·b.
    #[inline]
    fn mac(&mut self, a: u64, b: u64) {
        let p = u128::from(a) * u128::from(b);
        let (s0, c) = self.0.overflowing_add(p as u64);
        let (s1, c) = self.1.carrying_add((p >> 64) as u64, c);
        self.0 = s0;
        self.1 = s1;
        self.2 += u64::from(c);
    }

    /// self += 2·c.
    #[inline]
    fn add_doubled(&mut self, c: Self) {
        let (s0, k) = self.0.overflowing_add(c.0 << 1);
        let (s1, k) = self.1.carrying_add((c.1 << 1) | (c.0 >> 63), k);
        self.0 = s0;
        self.1 = s1;
        self.2 += ((c.2 << 1) | (c.1 >> 63)) + u64::from(k);
    }

    /// The low word, shifting the rest down.
    #[inline]
    fn shift(&mut self) -> u64 {
        let lo = self.0;
        *self = Self(self.1, self.2, 0);
        lo
    }
}

/// Column `I` of a² + m·n, the Montgomery square done column by column (FIPS, "finely
/// integrated product scanning"): the cross products a\[j\]·a\[I−j\] once and doubled, the square
/// a\[I/2\]², the m\[j\]·n\[I−j\]; below column L it then picks m\[I\] to clear the column's low
/// word, from column L on the word is the result's limb I − L. One instantiation per column
/// makes every trip count a constant, so the whole square unrolls: for the sizes that matter
/// this is about 30 % faster than the row-wise `mont_sqr`, which is latency-bound.
#[inline]
fn sqr_column<const I: usize, const L: usize>(
    a: &[u64; L],
    n: &[u64; L],
    n0: u64,
    m: &mut [u64; L],
    u: &mut [u64; L],
    acc: &mut Acc,
) {
    let lo = (I + 1).saturating_sub(L);
    let mut cross = Acc::default();
    for j in lo..I.div_ceil(2) {
        cross.mac(a[j], a[I - j]);
    }
    acc.add_doubled(cross);
    if I.is_multiple_of(2) {
        acc.mac(a[I / 2], a[I / 2]);
    }
    for j in lo..I.min(L) {
        acc.mac(m[j], n[I - j]);
    }
    if I < L {
        let mi = acc.0.wrapping_mul(n0);
        m[I] = mi;
        acc.mac(mi, n[0]);
        acc.shift();
    } else {
        u[I - L] = acc.shift();
    }
}

/// A Montgomery square for one limb count, unrolled column by column (the columns 0 to 2L − 2
/// are listed, as macros cannot count).
macro_rules! unrolled_sqr {
    ($name:ident, $l:literal, $($i:literal)*) => {
        /// Montgomery square a²·R⁻¹ mod n for a < n, column by column.
        fn $name(a: &[u64; $l], n: &[u64; $l], n0: u64) -> [u64; $l] {
            let mut m = [0u64; $l];
            let mut u = [0u64; $l];
            let mut acc = Acc::default();
            $( sqr_column::<$i, $l>(a, n, n0, &mut m, &mut u, &mut acc); )*
            u[$l - 1] = acc.shift();
            // The result is below 2n < 2R: what is left is its top bit.
            reduce_once(&mut u, acc.0, n);
            u
        }
    };
}

unrolled_sqr!(sqr8, 8, 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14);
unrolled_sqr!(sqr16, 16,
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30);
unrolled_sqr!(sqr32, 32,
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
    32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62);

/// What a key's arithmetic needs besides n: R² mod n, and for [`PublicKey::verify_sha1`]
/// C·F for each C in `cs` (the SHA-1 encodings with a zero digest) and 2^192·F mod n, with
/// F = R^(1−e) mod n. None if the limbs are not `L` long.
///
/// R² mod n: R mod n by doubling, doubled on to 2^L·R, then squared six times in Montgomery
/// form (2^L·R → 2^(64L)·R = R²). F·R is the Montgomery form of (R⁻¹)^(e−1), whose own form is
/// 1; a Montgomery product with F·R then multiplies by F.
fn setup<const L: usize, const L2: usize>(n: &[u64], e: u64, cs: &[Vec<u8>; 2]) -> Option<Setup> {
    let n: &[u64; L] = n.try_into().ok()?;
    let n0 = neg_inv(n[0]);
    let top = n.iter().rposition(|&x| x != 0)?;
    let bits = 64 * (top + 1) - n[top].leading_zeros() as usize;
    // x = 2^(bits-1) < n, then doubled to 2^(64L + L) mod n.
    let mut x = [0u64; L];
    x[(bits - 1) / 64] = 1 << ((bits - 1) % 64);
    for _ in 0..(64 * L + L) - (bits - 1) {
        let mut carry = 0u64;
        for limb in &mut x {
            let next = *limb >> 63;
            *limb = (*limb << 1) | carry;
            carry = next;
        }
        reduce_once(&mut x, carry, n);
    }
    for _ in 0..6 {
        x = mont_sqr::<L, L2>(&x, n, n0);
    }
    let rr = x;
    // (R⁻¹)^(e−1) in Montgomery form, square and multiply over the bits of e − 1 (e ≥ 3).
    let one: [u64; L] = std::array::from_fn(|i| u64::from(i == 0));
    let d = e - 1;
    let mut fr = one;
    for i in (0..d.ilog2()).rev() {
        fr = mont_sqr::<L, L2>(&fr, n, n0);
        if (d >> i) & 1 == 1 {
            fr = mont_mul(&fr, &one, n, n0);
        }
    }
    let times_f = |c: &[u8]| {
        let mut limbs = [0u64; L];
        be_to_limbs(c, &mut limbs);
        mont_mul(&limbs, &fr, n, n0).to_vec()
    };
    let mut two192 = [0u64; L];
    two192[3] = 1;
    Some((
        rr.to_vec(),
        [times_f(&cs[0]), times_f(&cs[1])],
        mont_mul(&two192, &fr, n, n0).to_vec(),
    ))
}

/// R² mod n, C·F mod n and 2^192·F mod n (see [`setup`]).
type Setup = (Vec<u64>, [Vec<u64>; 2], Vec<u64>);

/// The PKCS#1 v1.5 encoding of a SHA-1 digest for a k-byte modulus: 00 01 FF..FF 00 ||
/// `prefix` (a DigestInfo header) || digest. None when k is too small to hold it with 8 bytes
/// of padding.
fn sha1_encoded(k: usize, prefix: &[u8], digest: &[u8; 20]) -> Option<Vec<u8>> {
    let t_len = prefix.len() + digest.len();
    let pad = k.checked_sub(t_len + 3).filter(|&p| p >= 8)?;
    let mut em = Vec::with_capacity(k);
    em.extend_from_slice(&[0, 1]);
    em.resize(2 + pad, 0xFF);
    em.push(0);
    em.extend_from_slice(prefix);
    em.extend_from_slice(digest);
    Some(em)
}

#[cfg(test)]
mod tests;
