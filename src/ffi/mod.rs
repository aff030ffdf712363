//! The C ABI of smtrust (feature `ffi`): SM2, SM3 and SM4 for C, C++, Java (JNI), Go (cgo) and
//! any language that can call C. The header is `include/smtrust.h`, generated from this module
//! by cbindgen; `docs/c-abi.md` shows how to compile and link against it.
//!
//! # Conventions
//!
//! - **Names.** Every symbol starts with `smtrust_`; a function on an object is
//!   `smtrust_<object>_<verb>` and takes the object first.
//! - **Status codes.** Every function returns a `smtrust_status` (a `uint32_t`):
//!   `SMTRUST_STATUS_OK` (0) or a failure class in numbered blocks (see [`Status`]). After any
//!   call, `smtrust_last_error` gives a full sentence for the most recent call on the calling
//!   thread, or the empty string if it succeeded.
//! - **Buffers.** An input is a pointer followed by its length; NULL is accepted only with
//!   length 0. Outputs use the two-call pattern: call with `out` NULL to learn the length in
//!   `*written`, then call again with a buffer at least that long; on success `*written` holds
//!   the length written. A buffer that is too short gives `SMTRUST_STATUS_BUFFER_TOO_SMALL`,
//!   nothing in it is touched, and `*written` holds the length needed. Where a result is
//!   randomised (signatures, SM2 ciphertexts) the first call answers the longest possible
//!   length. Text outputs (versions, names, messages) end in a NUL counted in the length;
//!   binary outputs, PEM included, have no NUL. Outputs must not overlap inputs.
//! - **Out-parameters** (`key_out`, `*written` apart from the two-call rule above) are written
//!   only on success.
//! - **Enumerations from C** (formats, padding) are passed as `uint32_t` and checked; a value
//!   the library does not know gives `SMTRUST_STATUS_INVALID_PARAMETER`. Every enumeration
//!   starts at 1, so a zeroed variable is never a valid choice.
//! - **Handles** (`smtrust_sm2_secret_key`, `smtrust_sm2_public_key`) are opaque; each is made
//!   by one function and released by exactly one `_free` call; `_free(NULL)` is fine. No other
//!   pointer changes owner across the boundary: the library never frees what the caller
//!   passes, and the caller never frees what the library returns except through `_free`. The
//!   library keeps a registry of live handles, so a freed or foreign handle is refused with
//!   `SMTRUST_STATUS_INVALID_HANDLE` instead of being read (see `handle.rs` for the limits).
//!   Handles never change after they are made, so they may be used from several threads at
//!   once; `_free` must not race with another use of the same handle.
//! - **Secrets** (private keys, SM4 keys, plaintexts) are wiped from the library's memory when
//!   a handle is freed or a call returns; copies in the caller's buffers are the caller's to
//!   wipe.
//! - **Safety.** Every entry point checks its pointers and lengths, catches panics (reported as
//!   `SMTRUST_STATUS_INTERNAL`) and never aborts the host process on bad input.
//! - **Randomness.** Key generation, signing and SM2 encryption draw from the operating
//!   system's generator (`getrandom`); this module is the one place in the crate that does.
//!
//! # ABI policy
//!
//! `SMTRUST_ABI_VERSION` names the ABI; `smtrust_abi_version` returns the loaded library's.
//! Within one ABI version, functions, status codes and enumeration values are only ever added,
//! never renumbered or removed; a retired code stays reserved. An incompatible change raises
//! the ABI version.

// The C functions take each buffer as a pointer and a length, so they have many parameters.
#![allow(clippy::too_many_arguments)]

mod boundary;
mod bundle;
mod certificates;
mod cms;
mod error;
mod formats;
mod handle;
mod ledger;
mod record_json;
mod records;
mod seal;
mod sm2_encrypt;
mod sm2_key_protection;
mod sm2_keys;
mod sm2_sign;
mod sm3_hash;
mod sm4_modes;
mod status;
mod version;

pub use certificates::{
    CertUsage, SMTRUST_CERT_VERIFY_CRL_CHECK_ALL, SMTRUST_CERT_VERIFY_CRL_REQUIRED,
    SMTRUST_CERT_VERIFY_LEGACY_ROOT_WITHOUT_KEY_CERT_SIGN, smtrust_cert_verify,
};
pub use cms::{CmsEncapsulation, CmsOidSet, smtrust_cms_sign, smtrust_cms_verify};
pub use error::Error;
pub use formats::{
    Sm2CiphertextFormat, Sm2KeyProtection, Sm2PrivateKeyFormat, Sm2PublicKeyFormat,
    Sm2SignatureFormat, Sm4Padding,
};
pub use ledger::{
    BundleFormat, HistoryHandle, LedgerEvent, LedgerHandle, LedgerRole,
    smtrust_evidence_bundle_verify, smtrust_ledger_append, smtrust_ledger_free,
    smtrust_ledger_history_bundle, smtrust_ledger_history_free, smtrust_ledger_history_json,
    smtrust_ledger_open, smtrust_ledger_retrieve, smtrust_ledger_verify,
};
pub use records::{smtrust_record_sign, smtrust_record_verify};
pub use seal::{
    SMTRUST_SEAL_VERDICT_INDETERMINATE, SMTRUST_SEAL_VERDICT_INVALID, SMTRUST_SEAL_VERDICT_VALID,
    smtrust_seal_verify,
};
pub use sm2_encrypt::{smtrust_sm2_ciphertext_convert, smtrust_sm2_decrypt, smtrust_sm2_encrypt};
pub use sm2_key_protection::{
    smtrust_sm2_secret_key_export_encrypted, smtrust_sm2_secret_key_import_encrypted,
    smtrust_sm2_secret_key_import_encrypted_with_limit,
};
pub use sm2_keys::{
    Sm2PublicKey, Sm2SecretKey, smtrust_sm2_public_key_export, smtrust_sm2_public_key_free,
    smtrust_sm2_public_key_import, smtrust_sm2_secret_key_export, smtrust_sm2_secret_key_free,
    smtrust_sm2_secret_key_generate, smtrust_sm2_secret_key_import,
    smtrust_sm2_secret_key_public_key,
};
pub use sm2_sign::{
    SMTRUST_SM2_DEFAULT_ID, SMTRUST_SM2_DEFAULT_ID_LEN, smtrust_sm2_sign,
    smtrust_sm2_signature_convert, smtrust_sm2_verify,
};
pub use sm3_hash::{smtrust_sm3_hash, smtrust_sm3_hmac, smtrust_sm3_hmac_verify};
pub use sm4_modes::{
    smtrust_sm4_cbc_decrypt, smtrust_sm4_cbc_encrypt, smtrust_sm4_ctr_decrypt,
    smtrust_sm4_ctr_encrypt, smtrust_sm4_gcm_decrypt, smtrust_sm4_gcm_encrypt,
};
pub use status::Status;
pub use version::{
    SMTRUST_ABI_VERSION, smtrust_abi_version, smtrust_last_error, smtrust_status_name,
    smtrust_version,
};
