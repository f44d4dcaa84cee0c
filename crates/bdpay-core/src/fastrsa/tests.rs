//! Tests of the fast public operation against the rsa crate, the unrolled squares against the
//! row-wise ones, and verification of platform and locally made signatures.

use super::*;
use rsa::BoxedUint;
use sha1::{Digest as _, Sha1};

fn random(len: usize) -> Vec<u8> {
    let mut b = vec![0u8; len];
    getrandom::fill(&mut b).unwrap();
    b
}

fn read_public(path: &str) -> rsa::PublicKey {
    crate::keys::read(&std::fs::read(crate::fixture(path)).unwrap())
        .unwrap()
        .public_key()
        .unwrap()
}

/// `public_op` against the rsa crate on `count` random inputs below n.
fn compare(key: &rsa::PublicKey, count: usize) {
    let fast = PublicKey::from_rsa(key).unwrap();
    let k = key.size();
    assert_eq!(fast.size(), k);
    for i in 0..count {
        let mut sig = random(k);
        sig[0] = 0;
        // A few structured inputs besides random ones.
        match i {
            0 => sig.fill(0),
            1 => sig[k - 1] = 1,
            2 => sig[1..].fill(0xFF),
            _ => {}
        }
        let s = BoxedUint::from_be_slice(&sig, key.n_bits_precision()).unwrap();
        let m = rsa::hazmat::rsa_encrypt(key, &s).unwrap();
        let raw = m.to_be_bytes();
        let want = &raw[raw.len() - k..];
        assert!(raw[..raw.len() - k].iter().all(|&b| b == 0));
        assert_eq!(fast.public_op(&sig).unwrap(), want, "input {i}");
        congruence_matches(&fast, &sig, want);
    }
}

/// `verify_sha1`'s arithmetic (the exponentiation outside Montgomery form and the comparison
/// with C·F + digest·F) on any s: with C set up from s^e's own top bytes, the last 20 bytes
/// of s^e are the one digest that passes.
fn congruence_matches(fast: &PublicKey, sig: &[u8], em: &[u8]) {
    let (head, digest) = em.split_at(em.len() - 20);
    let digest: [u8; 20] = digest.try_into().unwrap();
    let c = [head, &[0; 20]].concat();
    let cs = [c.clone(), c];
    let e = fast.e.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b));
    let (rr, cf, df) = by_width!(
        fast.n.len(),
        |L, L2, _sqr| setup::<L, L2>(&fast.n, e, &cs),
        None
    )
    .unwrap();
    assert_eq!((&rr, &df), (&fast.rr, &fast.digest_f));
    let twin = PublicKey {
        sha1_cf: cf,
        ..fast.clone()
    };
    assert!(twin.verify_sha1(&digest, sig));
    for i in [0, 77, 159] {
        let mut bad = digest;
        bad[i / 8] ^= 1 << (i % 8);
        assert!(!twin.verify_sha1(&bad, sig), "digest bit {i}");
    }
    // s^e is no SHA-1 encoding (random, zero, one or n − 1 alike).
    assert!(!fast.verify_sha1(&digest, sig));
}

/// An rsa::PublicKey for any odd modulus (not a real key: the arithmetic does not care).
fn odd_modulus_key(bits: usize, e: u64) -> rsa::PublicKey {
    let mut n = random(bits.div_ceil(8));
    let spare = n.len() * 8 - bits;
    n[0] &= 0xFF >> spare;
    n[0] |= 0x80 >> spare;
    *n.last_mut().unwrap() |= 1;
    let n = BoxedUint::from_be_slice_vartime(&n);
    rsa::PublicKey::new_with_size_limits(n, BoxedUint::from(e), 256..=16384).unwrap()
}

#[test]
fn matches_rsa_crate_on_fixture_keys() {
    let mut paths: Vec<_> = ["fixtures/keys", "fixtures/vectors"]
        .iter()
        .flat_map(|d| std::fs::read_dir(crate::fixture(d)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pem"))
        .collect();
    paths.push(crate::fixture(
        "fixtures/rules/KEY007-key-too-small/bad/rsa_public_key.pem",
    ));
    assert!(paths.len() >= 8);
    for p in paths {
        let key = read_public(p.to_str().unwrap());
        compare(&key, 300);
    }
}

#[test]
fn matches_rsa_crate_on_a_generated_2048_bit_key() {
    let key = crate::keys::generate(&mut getrandom::SysRng, 2048)
        .unwrap()
        .to_public_key();
    assert_eq!(PublicKey::from_rsa(&key).unwrap().n.len(), 32);
    compare(&key, 200);
}

#[test]
fn matches_rsa_crate_on_padded_widths_and_other_exponents() {
    // 17, 33, 65 and 127 limbs run in 24, 48, 96 and 128; 512 and 4096 bits fit exactly.
    for (bits, e) in [
        (1032, 65537),
        (2049, 3),
        (4160, 65537),
        (8100, 17),
        (512, (1 << 33) - 1),
        (4096, 65537),
        (8192, 3),
        (1024, 5),
        (1536, 65537),
        (3072, 65537),
    ] {
        compare(&odd_modulus_key(bits, e), 20);
    }
}

#[test]
fn even_and_private_exponents_are_refused() {
    use rsa::traits::PrivateKeyParts as _;
    // A verifier, not a general modular exponentiation: an even e is no RSA public exponent,
    // and a private exponent (as long as n) is no public key. 2^64 - 1 is the largest allowed.
    let key = odd_modulus_key(1024, 3);
    let n = key.n_bytes();
    assert!(PublicKey::new(&n, &[4]).is_none());
    assert!(PublicKey::new(&n, &[1, 0, 0]).is_none());
    assert!(PublicKey::new(&n, &[0xFF; 8]).is_some());
    assert!(PublicKey::new(&n, &[1, 0, 0, 0, 0, 0, 0, 0, 1]).is_none());
    let private = crate::keys::read(
        &std::fs::read(crate::fixture("fixtures/keys/test-1024.pkcs1.pem")).unwrap(),
    )
    .unwrap()
    .private
    .unwrap();
    assert!(PublicKey::new(&private.n().to_be_bytes(), &private.d().to_be_bytes()).is_none());
}

/// Random values below n, and the ones that carry most.
fn samples<const L: usize>(n: &[u64; L]) -> Vec<[u64; L]> {
    let mut minus1 = *n;
    minus1[0] -= 1;
    let mut top = [0u64; L];
    top[L - 1] = n[L - 1] - 1;
    let mut v = vec![
        [0u64; L],
        minus1,
        top,
        std::array::from_fn(|i| u64::from(i == 0)),
    ];
    for _ in 0..200 {
        let b = random(8 * L);
        let mut x = [0u64; L];
        be_to_limbs(&b, &mut x);
        x[L - 1] %= n[L - 1];
        v.push(x);
    }
    v
}

fn check_unrolled<const L: usize, const L2: usize>(sqr: fn(&[u64; L], &[u64; L], u64) -> [u64; L]) {
    for all_ones in [false, true] {
        let mut n: [u64; L] = std::array::from_fn(|i| {
            let r = random(8);
            u64::from_le_bytes(r.try_into().unwrap()) | u64::from(i == 0)
        });
        n[L - 1] |= 1 << 63;
        if all_ones {
            n = [u64::MAX; L];
        }
        let n0 = neg_inv(n[0]);
        for a in samples(&n) {
            let want = mont_sqr::<L, L2>(&a, &n, n0);
            assert_eq!(sqr(&a, &n, n0), want);
            assert!(less(&want, &n));
            assert_eq!(mont_mul(&a, &a, &n, n0), want);
        }
    }
}

#[test]
fn unrolled_squares_match_row_squares() {
    check_unrolled::<8, 16>(sqr8);
    check_unrolled::<16, 32>(sqr16);
    check_unrolled::<32, 64>(sqr32);
}

#[test]
fn setup_values() {
    assert_eq!(neg_inv(1), u64::MAX);
    for n in [3u64, 0xFFFF_FFFF_FFFF_FFFF, 0x1234_5678_9ABC_DEF1, 65537] {
        assert_eq!(n.wrapping_mul(neg_inv(n)), u64::MAX);
    }
    // R² mod n against plain doubling all the way to 2^(128L).
    let key = read_public("fixtures/keys/test-1024.pub.pem");
    let fast = PublicKey::from_rsa(&key).unwrap();
    let n: [u64; 16] = fast.n.as_slice().try_into().unwrap();
    let mut x = [0u64; 16];
    x[0] = 1;
    for _ in 0..128 * 16 {
        let mut carry = 0u64;
        for limb in &mut x {
            let next = *limb >> 63;
            *limb = (*limb << 1) | carry;
            carry = next;
        }
        reduce_once(&mut x, carry, &n);
    }
    assert_eq!(fast.rr, x);
}

#[test]
fn rejects_bad_keys_and_inputs() {
    let key = read_public("fixtures/keys/test-1024.pub.pem");
    let (n, e) = (key.n_bytes(), key.e_bytes());
    assert!(PublicKey::new(&n, &e).is_some());
    let mut padded = vec![0u8; 5];
    padded.extend_from_slice(&n);
    assert_eq!(
        PublicKey::new(&padded, &[0, 0, 1, 0, 1]),
        PublicKey::new(&n, &e)
    );
    let mut even = n.to_vec();
    *even.last_mut().unwrap() &= 0xFE;
    assert!(PublicKey::new(&even, &e).is_none());
    assert!(PublicKey::new(&n, &[2]).is_none());
    assert!(PublicKey::new(&n, &[0, 1]).is_none());
    assert!(PublicKey::new(&n, &[]).is_none());
    assert!(PublicKey::new(&n, &n).is_none());
    assert!(PublicKey::new(&n[..63], &e).is_none()); // 504 bits
    assert!(PublicKey::new(&[0xFF; 1025], &e).is_none());
    assert!(PublicKey::new(&[], &e).is_none());

    let fast = PublicKey::new(&n, &e).unwrap();
    assert_eq!(fast.size(), 128);
    assert!(fast.public_op(&n).is_none()); // s = n
    assert!(fast.public_op(&[0xFF; 128]).is_none());
    assert!(fast.public_op(&[1; 127]).is_none());
    assert!(fast.public_op(&[1; 129]).is_none());
    assert!(fast.public_op(&[]).is_none());
    let mut out = [0u8; 127];
    assert!(!fast.public_op_into(&[1; 128], &mut out));
    let mut below = n.to_vec();
    *below.last_mut().unwrap() -= 1; // n - 1: (-1)^e = -1 = n - 1
    assert_eq!(fast.public_op(&below).unwrap(), below);
    assert_eq!(fast.public_op(&[0; 128]).unwrap(), [0; 128]);
    assert!(!fast.verify_sha1(&[0; 20], &[0; 128]));
    assert!(!fast.verify_sha1(&[0; 20], &[0; 127]));
}

#[test]
fn key_sizes() {
    let small = read_public("fixtures/rules/KEY007-key-too-small/bad/rsa_public_key.pem");
    assert_eq!(small.n().bit_width(), 512);
    for (key, k, limbs) in [
        (small, 64, 8),
        (read_public("fixtures/keys/test-1024.pub.pem"), 128, 16),
        (odd_modulus_key(2048, 65537), 256, 32),
        (odd_modulus_key(1032, 65537), 129, 24),
    ] {
        let fast = PublicKey::from_rsa(&key).unwrap();
        assert_eq!((fast.size(), fast.n.len()), (k, limbs));
    }
}

fn sha1(m: &[u8]) -> [u8; 20] {
    Sha1::digest(m).into()
}

#[test]
fn verifies_the_platform_vector() {
    let text =
        std::fs::read_to_string(crate::fixture("fixtures/vectors/notify-demo.form")).unwrap();
    let p =
        crate::payload::read(&crate::source::SourceFile::new("notify.form", text), None).unwrap();
    let plan = crate::sign::plan(&p).unwrap();
    let sig_text = crate::sign::value_text(&p, p.get(plan.sig_field).unwrap());
    let sig = crate::sign::forensics::b64(&sig_text).unwrap();
    let digest = sha1(plan.canonical().as_bytes());
    let platform = read_public("fixtures/vectors/platform-demo.pub.pem");
    assert!(crate::sign::verify(
        &platform,
        plan.canonical().as_bytes(),
        &sig
    ));
    let fast = PublicKey::from_rsa(&platform).unwrap();
    assert!(fast.verify_sha1(&digest, &sig));

    for i in [0, 7, 100, sig.len() * 8 - 1] {
        let mut bad = sig.clone();
        bad[i / 8] ^= 1 << (i % 8);
        assert!(!fast.verify_sha1(&digest, &bad), "signature bit {i}");
    }
    for i in [0, 80, 159] {
        let mut bad = digest;
        bad[i / 8] ^= 1 << (i % 8);
        assert!(!fast.verify_sha1(&bad, &sig), "digest bit {i}");
    }
    let other = PublicKey::from_rsa(&read_public("fixtures/keys/test-1024.pub.pem")).unwrap();
    assert!(!other.verify_sha1(&digest, &sig));
}

#[test]
fn verifies_signatures_made_by_sign() {
    let key = crate::keys::read(
        &std::fs::read(crate::fixture("fixtures/keys/test-1024.pkcs1.pem")).unwrap(),
    )
    .unwrap();
    let private = key.private.as_ref().unwrap();
    let fast = PublicKey::from_rsa(&key.public_key().unwrap()).unwrap();
    for msg in [
        "",
        "a=1",
        "appKey=MMMabc&dealId=470193086&tpOrderId=3028903626",
    ] {
        let sig = crate::sign::forensics::b64(&crate::sign::sign(private, msg.as_bytes()).unwrap())
            .unwrap();
        assert!(fast.verify_sha1(&sha1(msg.as_bytes()), &sig), "{msg:?}");
        assert!(!fast.verify_sha1(&sha1(b"something else"), &sig));
    }
    // SHA-256 DigestInfo over the same message: not a SHA-1 signature.
    let msg = b"a=1";
    let sig256 = private.pkcs1v15_sign::<rsa::sha2::Sha256>(msg).unwrap();
    assert!(!fast.verify_sha1(&sha1(msg), &sig256));
    // Its digest does not pass either, truncated.
    let d256 = rsa::sha2::Sha256::digest(msg);
    let mut truncated = [0u8; 20];
    truncated.copy_from_slice(&d256[12..]);
    assert!(!fast.verify_sha1(&truncated, &sig256));
}
