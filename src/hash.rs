//! A hash that never changes between versions or platforms, because what it gives is stored
//! on disk: index bucket numbers, the keys of layout profiles.

/// FNV-1a over the bytes.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    #[test]
    fn it_is_fnv_1a() {
        // The published FNV-1a 64 test vectors.
        assert_eq!(super::stable_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::stable_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(super::stable_hash(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
