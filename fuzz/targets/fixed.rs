//! The fixed keys and messages the targets verify and decrypt with, taken from
//! test-vectors/.

/// `sm2-sign-001` of test-vectors/interop/sm2_sign.json: public key.
pub const SIGN_001_PUBLIC_KEY: &str = "04435ff3b44bb2c53d7fd9e0afd8e546cf9677c5108a88c4a45362d4f8715c95361c410c898d0e9a34c8656fe681f0c85ef04602ea6743b217fc589c0f13231823";

/// `sm2-sign-001`: the message ("message digest").
pub const SIGN_001_MESSAGE: &str = "6d65737361676520646967657374";

/// `sm2-enc-001` of test-vectors/interop/sm2_encrypt.json: secret key.
pub const ENC_001_SECRET_KEY: &str =
    "3ec0e58926a1ef04aaef85826646f2003cb61ea2d3937e2cdb5d178992281a0a";

/// The `leaf-good` certificate of test-vectors/interop/pki (the real-name institution).
pub const LEAF_GOOD_CERTIFICATE: &[u8] =
    include_bytes!("../../test-vectors/interop/pki/std/leaf-good.der");

/// The root of test-vectors/interop/pki/std.
pub const STD_ROOT_CERTIFICATE: &[u8] =
    include_bytes!("../../test-vectors/interop/pki/std/root.der");

/// The name of the ledger log the checkpoint and bundle seeds were signed for.
pub const LOG_NAME: &str = "smtrust.example/fuzz";

/// The ledger log's secret key bytes (every byte 7, as in tests/trace_ledger.rs).
pub const LOG_SECRET_KEY: [u8; 32] = [7; 32];

/// Decodes a hex constant of this file.
pub fn hex(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap()
}
