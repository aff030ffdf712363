/*
 * errors.c - misuse of the smtrust C ABI: every case must give its documented status code and
 * a readable message, and never crash the process.
 *
 * Usage: errors ENCRYPTED_KEY_PEM PASSWORD
 *
 * Covers NULL pointers everywhere, short buffers (untouched, *written = length needed), freed
 * and foreign handles, unknown enumeration values, data in the wrong format, wrong lengths,
 * wrong passwords, the last-error message (two-call pattern, per thread) and status names.
 */
#include "check.h"

#include <pthread.h>

static const uint8_t ABC[] = "abc";

/* The message of the most recent call, in a static buffer. */
static const char *last_error(void) {
  static char message[1024];
  size_t written = 0;
  if (smtrust_last_error(message, sizeof message, &written) != SMTRUST_STATUS_OK) {
    return "(smtrust_last_error failed)";
  }
  return message;
}

static void versions(void) {
  uint32_t abi = 0;
  size_t needed = 0, written = 0;
  char version[32];
  EXPECT_OK(smtrust_abi_version(&abi));
  EXPECT(abi == SMTRUST_ABI_VERSION);
  EXPECT_STATUS(smtrust_abi_version(NULL), SMTRUST_STATUS_NULL_POINTER);
  EXPECT_OK(smtrust_version(NULL, 0, &needed));
  EXPECT(needed >= 6 && needed <= sizeof version);
  EXPECT_OK(smtrust_version(version, sizeof version, &written));
  EXPECT(written == needed && version[written - 1] == '\0' && strlen(version) == written - 1);
  EXPECT_STATUS(smtrust_version(NULL, 0, NULL), SMTRUST_STATUS_NULL_POINTER);
  EXPECT(strcmp(status_name(SMTRUST_STATUS_SM4_BAD_PADDING), "SMTRUST_STATUS_SM4_BAD_PADDING") == 0);
  /* Unknown status codes, as from a newer header, are refused. */
  char name[64];
  EXPECT_STATUS(smtrust_status_name(1, name, sizeof name, &written),
                SMTRUST_STATUS_INVALID_PARAMETER);
  EXPECT_STATUS(smtrust_status_name(UINT32_MAX, name, sizeof name, &written),
                SMTRUST_STATUS_INVALID_PARAMETER);
}

static void buffers(void) {
  uint8_t digest[32];
  size_t written = 12345;
  /* NULL with a non-zero length is refused, and the message names the parameter. */
  EXPECT_STATUS(smtrust_sm3_hash(NULL, 3, digest, sizeof digest, &written),
                SMTRUST_STATUS_NULL_POINTER);
  EXPECT(written == 12345);
  EXPECT(strstr(last_error(), "`data`") != NULL);
  /* NULL with length 0 is the empty input. */
  EXPECT_OK(smtrust_sm3_hash(NULL, 0, digest, sizeof digest, &written));
  EXPECT(written == 32 && digest[0] == 0x1a); /* SM3("") = 1ab21d83... */
  /* The length query. */
  EXPECT_OK(smtrust_sm3_hash(ABC, 3, NULL, 0, &written));
  EXPECT(written == 32);
  /* A short buffer is left untouched and *written says what is needed. */
  memset(digest, 0xaa, sizeof digest);
  written = 0;
  EXPECT_STATUS(smtrust_sm3_hash(ABC, 3, digest, 31, &written), SMTRUST_STATUS_BUFFER_TOO_SMALL);
  EXPECT(written == 32);
  for (size_t i = 0; i < sizeof digest; i++) EXPECT(digest[i] == 0xaa);
  EXPECT(strstr(last_error(), "31 bytes, but 32 are needed") != NULL);
  /* No place for the length. */
  EXPECT_STATUS(smtrust_sm3_hash(ABC, 3, digest, sizeof digest, NULL),
                SMTRUST_STATUS_NULL_POINTER);
  /* A success clears the message. */
  EXPECT_OK(smtrust_sm3_hash(ABC, 3, digest, sizeof digest, &written));
  EXPECT(strcmp(last_error(), "") == 0);
  /* HMAC: a tag of the wrong length or content is a mismatch. */
  uint8_t tag[32];
  EXPECT_OK(smtrust_sm3_hmac(ABC, 3, ABC, 3, tag, sizeof tag, &written));
  EXPECT_OK(smtrust_sm3_hmac_verify(ABC, 3, ABC, 3, tag, sizeof tag));
  EXPECT_STATUS(smtrust_sm3_hmac_verify(ABC, 3, ABC, 3, tag, 31), SMTRUST_STATUS_SM3_MAC_MISMATCH);
  tag[5] ^= 0x40;
  EXPECT_STATUS(smtrust_sm3_hmac_verify(ABC, 3, ABC, 3, tag, sizeof tag),
                SMTRUST_STATUS_SM3_MAC_MISMATCH);
  EXPECT_STATUS(smtrust_sm3_hmac_verify(ABC, 3, ABC, 3, NULL, 32), SMTRUST_STATUS_NULL_POINTER);
}

static void handles(void) {
  smtrust_sm2_secret_key *key = NULL;
  smtrust_sm2_public_key *public_key = NULL;
  uint8_t sig[72];
  size_t written = 0;
  int not_a_handle = 42;

  EXPECT_STATUS(smtrust_sm2_secret_key_generate(NULL), SMTRUST_STATUS_NULL_POINTER);
  EXPECT_OK(smtrust_sm2_secret_key_generate(&key));
  EXPECT_OK(smtrust_sm2_secret_key_public_key(key, &public_key));
  EXPECT_STATUS(smtrust_sm2_secret_key_public_key(key, NULL), SMTRUST_STATUS_NULL_POINTER);

  /* NULL handles. */
  EXPECT_STATUS(smtrust_sm2_sign(NULL, NULL, 0, ABC, 3, SMTRUST_SM2_SIGNATURE_FORMAT_DER, sig,
                                 sizeof sig, &written),
                SMTRUST_STATUS_NULL_POINTER);
  EXPECT_STATUS(smtrust_sm2_verify(NULL, NULL, 0, ABC, 3, SMTRUST_SM2_SIGNATURE_FORMAT_DER, sig,
                                   8),
                SMTRUST_STATUS_NULL_POINTER);
  /* A handle of the other type, and a pointer that was never a handle. */
  EXPECT_STATUS(smtrust_sm2_sign((const smtrust_sm2_secret_key *)public_key, NULL, 0, ABC, 3,
                                 SMTRUST_SM2_SIGNATURE_FORMAT_DER, sig, sizeof sig, &written),
                SMTRUST_STATUS_INVALID_HANDLE);
  EXPECT(strstr(last_error(), "smtrust_sm2_secret_key") != NULL);
  EXPECT_STATUS(smtrust_sm2_public_key_free((smtrust_sm2_public_key *)key),
                SMTRUST_STATUS_INVALID_HANDLE);
  EXPECT_STATUS(smtrust_sm2_secret_key_export((const smtrust_sm2_secret_key *)&not_a_handle,
                                              SMTRUST_SM2_PRIVATE_KEY_FORMAT_RAW, NULL, 0,
                                              &written),
                SMTRUST_STATUS_INVALID_HANDLE);

  /* Unknown enumeration values: zero, one past the end, and all bits set. */
  static const uint32_t unknown[] = {0, 3, 0xffffffffu};
  for (size_t i = 0; i < 3; i++) {
    EXPECT_STATUS(smtrust_sm2_sign(key, NULL, 0, ABC, 3, unknown[i], sig, sizeof sig, &written),
                  SMTRUST_STATUS_INVALID_PARAMETER);
  }
  EXPECT_STATUS(smtrust_sm2_encrypt(public_key, ABC, 3, 6, sig, sizeof sig, &written),
                SMTRUST_STATUS_INVALID_PARAMETER);
  EXPECT_STATUS(smtrust_sm2_secret_key_export(key, 0, NULL, 0, &written),
                SMTRUST_STATUS_INVALID_PARAMETER);
  EXPECT_STATUS(smtrust_sm2_public_key_export(public_key, 5, NULL, 0, &written),
                SMTRUST_STATUS_INVALID_PARAMETER);
  EXPECT(strstr(last_error(), "smtrust_sm2_public_key_format") != NULL);

  /* A signature buffer too short for the signature: nothing is signed into it. */
  EXPECT_STATUS(smtrust_sm2_sign(key, NULL, 0, ABC, 3, SMTRUST_SM2_SIGNATURE_FORMAT_RAW, sig, 63,
                                 &written),
                SMTRUST_STATUS_BUFFER_TOO_SMALL);
  EXPECT(written == 64);
  /* An ID of 8192 bytes does not fit ENTL. */
  uint8_t *long_id = calloc(8192, 1);
  EXPECT(long_id != NULL);
  EXPECT_STATUS(smtrust_sm2_sign(key, long_id, 8192, ABC, 3, SMTRUST_SM2_SIGNATURE_FORMAT_RAW, sig,
                                 sizeof sig, &written),
                SMTRUST_STATUS_SM2_ID_TOO_LONG);
  free(long_id);
  /* SM2 cannot encrypt an empty message. */
  EXPECT_STATUS(smtrust_sm2_encrypt(public_key, NULL, 0, SMTRUST_SM2_CIPHERTEXT_FORMAT_DER, NULL,
                                    0, &written),
                SMTRUST_STATUS_SM2_EMPTY_PLAINTEXT);

  /* Freed handles are detected, and freeing twice is refused, not a double free. */
  EXPECT_OK(smtrust_sm2_secret_key_free(key));
  EXPECT_STATUS(smtrust_sm2_sign(key, NULL, 0, ABC, 3, SMTRUST_SM2_SIGNATURE_FORMAT_DER, sig,
                                 sizeof sig, &written),
                SMTRUST_STATUS_INVALID_HANDLE);
  EXPECT_STATUS(smtrust_sm2_secret_key_free(key), SMTRUST_STATUS_INVALID_HANDLE);
  EXPECT_OK(smtrust_sm2_public_key_free(public_key));
  EXPECT_STATUS(smtrust_sm2_encrypt(public_key, ABC, 3, SMTRUST_SM2_CIPHERTEXT_FORMAT_DER, NULL, 0,
                                    &written),
                SMTRUST_STATUS_INVALID_HANDLE);
  EXPECT_STATUS(smtrust_sm2_public_key_free(public_key), SMTRUST_STATUS_INVALID_HANDLE);
  EXPECT_OK(smtrust_sm2_secret_key_free(NULL));
  EXPECT_OK(smtrust_sm2_public_key_free(NULL));
}

static void wrong_formats(const char *encrypted_pem_path, const char *password) {
  smtrust_sm2_secret_key *key = NULL, *again = NULL;
  smtrust_sm2_public_key *public_key = NULL;
  uint8_t der[256], sig[72], ct[256];
  size_t der_len = 0, sig_len = 0, ct_len = 0, written = 0;

  EXPECT_OK(smtrust_sm2_secret_key_generate(&key));
  EXPECT_OK(smtrust_sm2_secret_key_public_key(key, &public_key));
  EXPECT_OK(smtrust_sm2_secret_key_export(key, SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_DER, der,
                                          sizeof der, &der_len));
  /* DER read as SEC1, as PEM, as a raw scalar, as a public key. */
  EXPECT_STATUS(smtrust_sm2_secret_key_import(der, der_len, SMTRUST_SM2_PRIVATE_KEY_FORMAT_SEC1_DER,
                                              &again),
                SMTRUST_STATUS_SM2_INVALID_KEY);
  EXPECT_STATUS(smtrust_sm2_secret_key_import(der, der_len, SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_PEM,
                                              &again),
                SMTRUST_STATUS_SM2_INVALID_KEY);
  EXPECT_STATUS(smtrust_sm2_secret_key_import(der, der_len, SMTRUST_SM2_PRIVATE_KEY_FORMAT_RAW,
                                              &again),
                SMTRUST_STATUS_SM2_INVALID_KEY);
  EXPECT_STATUS(smtrust_sm2_public_key_import(der, der_len, SMTRUST_SM2_PUBLIC_KEY_FORMAT_SPKI_DER,
                                              &public_key),
                SMTRUST_STATUS_SM2_INVALID_KEY);
  EXPECT(again == NULL); /* out-parameters are written only on success */
  /* The scalar n - 1 is outside [1, n - 2]. */
  static const uint8_t n_minus_1[32] = {
      0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
      0x72, 0x03, 0xdf, 0x6b, 0x21, 0xc6, 0x05, 0x2b, 0x53, 0xbb, 0xf4, 0x09, 0x39, 0xd5, 0x41, 0x22};
  EXPECT_STATUS(smtrust_sm2_secret_key_import(n_minus_1, 32, SMTRUST_SM2_PRIVATE_KEY_FORMAT_RAW,
                                              &again),
                SMTRUST_STATUS_SM2_INVALID_KEY);

  /* A raw signature read as DER, a DER one as raw. */
  EXPECT_OK(smtrust_sm2_sign(key, NULL, 0, ABC, 3, SMTRUST_SM2_SIGNATURE_FORMAT_RAW, sig,
                             sizeof sig, &sig_len));
  EXPECT_STATUS(smtrust_sm2_verify(public_key, NULL, 0, ABC, 3, SMTRUST_SM2_SIGNATURE_FORMAT_DER,
                                   sig, sig_len),
                SMTRUST_STATUS_SM2_INVALID_SIGNATURE_ENCODING);
  EXPECT_STATUS(smtrust_sm2_signature_convert(sig, 63, SMTRUST_SM2_SIGNATURE_FORMAT_RAW,
                                              SMTRUST_SM2_SIGNATURE_FORMAT_DER, der, sizeof der,
                                              &written),
                SMTRUST_STATUS_SM2_INVALID_SIGNATURE_ENCODING);

  /* A C1C3C2 ciphertext read as DER, and one too short for any layout. */
  EXPECT_OK(smtrust_sm2_encrypt(public_key, ABC, 3, SMTRUST_SM2_CIPHERTEXT_FORMAT_C1C3C2, ct,
                                sizeof ct, &ct_len));
  EXPECT_STATUS(smtrust_sm2_decrypt(key, ct, ct_len, SMTRUST_SM2_CIPHERTEXT_FORMAT_DER, NULL, 0,
                                    &written),
                SMTRUST_STATUS_SM2_INVALID_CIPHERTEXT_ENCODING);
  EXPECT_STATUS(smtrust_sm2_ciphertext_convert(ct, 96, SMTRUST_SM2_CIPHERTEXT_FORMAT_C1C3C2,
                                               SMTRUST_SM2_CIPHERTEXT_FORMAT_DER, NULL, 0,
                                               &written),
                SMTRUST_STATUS_SM2_INVALID_CIPHERTEXT_ENCODING);
  /* The same bytes under another key: decryption fails, opaquely. */
  EXPECT_OK(smtrust_sm2_secret_key_generate(&again));
  EXPECT_STATUS(smtrust_sm2_decrypt(again, ct, ct_len, SMTRUST_SM2_CIPHERTEXT_FORMAT_C1C3C2, NULL,
                                    0, &written),
                SMTRUST_STATUS_SM2_DECRYPTION_FAILED);
  EXPECT(strcmp(last_error(), "SM2 decryption failed") == 0);
  EXPECT_OK(smtrust_sm2_secret_key_free(again));
  again = NULL;

  /* An encrypted PKCS#8 key: right password, wrong password, wrong format value. */
  FILE *file = fopen(encrypted_pem_path, "rb");
  uint8_t pem[4096];
  size_t pem_len = 0;
  EXPECT(file != NULL);
  if (file != NULL) {
    pem_len = fread(pem, 1, sizeof pem, file);
    fclose(file);
  }
  EXPECT_OK(smtrust_sm2_secret_key_import_encrypted(pem, pem_len,
                                                    SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_PEM,
                                                    (const uint8_t *)password, strlen(password),
                                                    &again));
  EXPECT_OK(smtrust_sm2_secret_key_free(again));
  again = NULL;
  EXPECT_STATUS(smtrust_sm2_secret_key_import_encrypted(pem, pem_len,
                                                        SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_PEM,
                                                        (const uint8_t *)"wrong", 5, &again),
                SMTRUST_STATUS_SM2_KEY_DECRYPTION_FAILED);
  EXPECT_STATUS(smtrust_sm2_secret_key_import_encrypted(pem, pem_len,
                                                        SMTRUST_SM2_PRIVATE_KEY_FORMAT_SEC1_PEM,
                                                        (const uint8_t *)password,
                                                        strlen(password), &again),
                SMTRUST_STATUS_INVALID_PARAMETER);
  /* Export: zero iterations, an unknown protection, a format that cannot carry a password. */
  EXPECT_STATUS(smtrust_sm2_secret_key_export_encrypted(key, SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_PEM,
                                                        SMTRUST_SM2_KEY_PROTECTION_SM4_CBC_HMAC_SM3,
                                                        0, ABC, 3, NULL, 0, &written),
                SMTRUST_STATUS_INVALID_PARAMETER);
  EXPECT_STATUS(smtrust_sm2_secret_key_export_encrypted(key, SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_PEM,
                                                        4, 1000, ABC, 3, NULL, 0, &written),
                SMTRUST_STATUS_INVALID_PARAMETER);
  EXPECT_STATUS(smtrust_sm2_secret_key_export_encrypted(key, SMTRUST_SM2_PRIVATE_KEY_FORMAT_RAW,
                                                        SMTRUST_SM2_KEY_PROTECTION_SM4_CBC_HMAC_SM3,
                                                        1000, ABC, 3, NULL, 0, &written),
                SMTRUST_STATUS_INVALID_PARAMETER);
  /* The encrypted PEM is not an unencrypted key. */
  EXPECT_STATUS(smtrust_sm2_secret_key_import(pem, pem_len, SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_PEM,
                                              &again),
                SMTRUST_STATUS_SM2_INVALID_KEY);
  EXPECT(again == NULL);

  EXPECT_OK(smtrust_sm2_public_key_free(public_key));
  EXPECT_OK(smtrust_sm2_secret_key_free(key));
}

static void sm4_misuse(void) {
  static const uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  static const uint8_t iv[16] = {0};
  uint8_t out[64], sealed[64];
  size_t written = 0, sealed_len = 0;

  EXPECT_STATUS(smtrust_sm4_cbc_encrypt(key, 15, iv, 16, SMTRUST_SM4_PADDING_PKCS7, ABC, 3, out,
                                        sizeof out, &written),
                SMTRUST_STATUS_SM4_INVALID_LENGTH);
  EXPECT_STATUS(smtrust_sm4_ctr_encrypt(key, 16, iv, 8, ABC, 3, out, sizeof out, &written),
                SMTRUST_STATUS_SM4_INVALID_LENGTH);
  EXPECT_STATUS(smtrust_sm4_cbc_encrypt(key, 16, iv, 16, 7, ABC, 3, out, sizeof out, &written),
                SMTRUST_STATUS_INVALID_PARAMETER);
  EXPECT_STATUS(smtrust_sm4_cbc_encrypt(key, 16, iv, 16, SMTRUST_SM4_PADDING_NONE, ABC, 3, out,
                                        sizeof out, &written),
                SMTRUST_STATUS_SM4_NOT_BLOCK_ALIGNED);
  EXPECT_STATUS(smtrust_sm4_cbc_decrypt(key, 16, iv, 16, SMTRUST_SM4_PADDING_PKCS7, ABC, 3, out,
                                        sizeof out, &written),
                SMTRUST_STATUS_SM4_NOT_BLOCK_ALIGNED);
  /* A garbled last block gives the one padding error. */
  EXPECT_OK(smtrust_sm4_cbc_encrypt(key, 16, iv, 16, SMTRUST_SM4_PADDING_PKCS7, ABC, 3, sealed,
                                    sizeof sealed, &sealed_len));
  EXPECT(sealed_len == 16);
  sealed[15] ^= 0x01;
  EXPECT_STATUS(smtrust_sm4_cbc_decrypt(key, 16, iv, 16, SMTRUST_SM4_PADDING_PKCS7, sealed,
                                        sealed_len, out, sizeof out, &written),
                SMTRUST_STATUS_SM4_BAD_PADDING);
  /* GCM: wrong nonce length, flipped tag, too short for a tag. */
  EXPECT_STATUS(smtrust_sm4_gcm_encrypt(key, 16, iv, 16, NULL, 0, ABC, 3, out, sizeof out,
                                        &written),
                SMTRUST_STATUS_SM4_INVALID_LENGTH);
  EXPECT_OK(smtrust_sm4_gcm_encrypt(key, 16, iv, 12, ABC, 3, ABC, 3, sealed, sizeof sealed,
                                    &sealed_len));
  EXPECT(sealed_len == 19);
  EXPECT_OK(smtrust_sm4_gcm_decrypt(key, 16, iv, 12, ABC, 3, sealed, sealed_len, out, sizeof out,
                                    &written));
  EXPECT(same_bytes(out, written, ABC, 3));
  EXPECT_STATUS(smtrust_sm4_gcm_decrypt(key, 16, iv, 12, NULL, 0, sealed, sealed_len, out,
                                        sizeof out, &written),
                SMTRUST_STATUS_SM4_AUTHENTICATION_FAILED);
  sealed[sealed_len - 1] ^= 0x80;
  EXPECT_STATUS(smtrust_sm4_gcm_decrypt(key, 16, iv, 12, ABC, 3, sealed, sealed_len, out,
                                        sizeof out, &written),
                SMTRUST_STATUS_SM4_AUTHENTICATION_FAILED);
  EXPECT_STATUS(smtrust_sm4_gcm_decrypt(key, 16, iv, 12, ABC, 3, sealed, 15, out, sizeof out,
                                        &written),
                SMTRUST_STATUS_SM4_AUTHENTICATION_FAILED);
  EXPECT_STATUS(smtrust_sm4_gcm_decrypt(key, 16, NULL, 12, ABC, 3, sealed, 15, out, sizeof out,
                                        &written),
                SMTRUST_STATUS_NULL_POINTER);
}

/* Each thread has its own last error. */
static void *fail_in_thread(void *arg) {
  (void)arg;
  size_t written = 0;
  smtrust_status status = smtrust_sm3_hash(NULL, 1, NULL, 0, &written);
  int ok = status == SMTRUST_STATUS_NULL_POINTER && strstr(last_error(), "`data`") != NULL;
  return ok ? arg : NULL;
}

static void threads(void) {
  EXPECT_STATUS(smtrust_sm3_hash(ABC, 3, NULL, 0, NULL), SMTRUST_STATUS_NULL_POINTER);
  pthread_t thread;
  void *result = NULL;
  static int token = 1;
  EXPECT(pthread_create(&thread, NULL, fail_in_thread, &token) == 0);
  EXPECT(pthread_join(thread, &result) == 0);
  EXPECT(result == &token);
  /* This thread's message is still its own. */
  EXPECT(strstr(last_error(), "`written`") != NULL);
}

#define EXPECT_NULL(call) EXPECT_STATUS(call, SMTRUST_STATUS_NULL_POINTER)

/* Every pointer parameter of every function, NULL in turn (with a non-zero length where the
 * parameter has one): each call gives SMTRUST_STATUS_NULL_POINTER and writes nothing. */
static void null_everywhere(void) {
  static const uint8_t key16[16] = {0};
  smtrust_sm2_secret_key *key = NULL, *key_out = NULL;
  smtrust_sm2_public_key *public_key = NULL, *public_out = NULL;
  uint8_t buf[256];
  size_t written = 0;
  char text[64];
  memset(buf, 0, sizeof buf);
  EXPECT_OK(smtrust_sm2_secret_key_generate(&key));
  EXPECT_OK(smtrust_sm2_secret_key_public_key(key, &public_key));

  EXPECT_NULL(smtrust_version(text, sizeof text, NULL));
  EXPECT_NULL(smtrust_status_name(0, text, sizeof text, NULL));
  EXPECT_NULL(smtrust_last_error(text, sizeof text, NULL));

  EXPECT_NULL(smtrust_sm3_hmac(NULL, 3, ABC, 3, buf, sizeof buf, &written));
  EXPECT_NULL(smtrust_sm3_hmac(ABC, 3, NULL, 3, buf, sizeof buf, &written));
  EXPECT_NULL(smtrust_sm3_hmac(ABC, 3, ABC, 3, buf, sizeof buf, NULL));
  EXPECT_NULL(smtrust_sm3_hmac_verify(NULL, 3, ABC, 3, buf, 32));
  EXPECT_NULL(smtrust_sm3_hmac_verify(ABC, 3, NULL, 3, buf, 32));

  EXPECT_NULL(smtrust_sm4_cbc_encrypt(NULL, 16, key16, 16, SMTRUST_SM4_PADDING_PKCS7, ABC, 3, buf,
                                      sizeof buf, &written));
  EXPECT_NULL(smtrust_sm4_cbc_encrypt(key16, 16, NULL, 16, SMTRUST_SM4_PADDING_PKCS7, ABC, 3, buf,
                                      sizeof buf, &written));
  EXPECT_NULL(smtrust_sm4_cbc_encrypt(key16, 16, key16, 16, SMTRUST_SM4_PADDING_PKCS7, NULL, 3,
                                      buf, sizeof buf, &written));
  EXPECT_NULL(smtrust_sm4_cbc_encrypt(key16, 16, key16, 16, SMTRUST_SM4_PADDING_PKCS7, ABC, 3, buf,
                                      sizeof buf, NULL));
  EXPECT_NULL(smtrust_sm4_cbc_decrypt(NULL, 16, key16, 16, SMTRUST_SM4_PADDING_PKCS7, key16, 16,
                                      buf, sizeof buf, &written));
  EXPECT_NULL(smtrust_sm4_cbc_decrypt(key16, 16, NULL, 16, SMTRUST_SM4_PADDING_PKCS7, key16, 16,
                                      buf, sizeof buf, &written));
  EXPECT_NULL(smtrust_sm4_cbc_decrypt(key16, 16, key16, 16, SMTRUST_SM4_PADDING_PKCS7, NULL, 16,
                                      buf, sizeof buf, &written));
  EXPECT_NULL(smtrust_sm4_cbc_decrypt(key16, 16, key16, 16, SMTRUST_SM4_PADDING_PKCS7, key16, 16,
                                      buf, sizeof buf, NULL));
  EXPECT_NULL(smtrust_sm4_ctr_encrypt(NULL, 16, key16, 16, ABC, 3, buf, sizeof buf, &written));
  EXPECT_NULL(smtrust_sm4_ctr_encrypt(key16, 16, NULL, 16, ABC, 3, buf, sizeof buf, &written));
  EXPECT_NULL(smtrust_sm4_ctr_encrypt(key16, 16, key16, 16, NULL, 3, buf, sizeof buf, &written));
  EXPECT_NULL(smtrust_sm4_ctr_encrypt(key16, 16, key16, 16, ABC, 3, buf, sizeof buf, NULL));
  EXPECT_NULL(smtrust_sm4_ctr_decrypt(NULL, 16, key16, 16, ABC, 3, buf, sizeof buf, &written));
  EXPECT_NULL(smtrust_sm4_ctr_decrypt(key16, 16, NULL, 16, ABC, 3, buf, sizeof buf, &written));
  EXPECT_NULL(smtrust_sm4_ctr_decrypt(key16, 16, key16, 16, NULL, 3, buf, sizeof buf, &written));
  EXPECT_NULL(smtrust_sm4_ctr_decrypt(key16, 16, key16, 16, ABC, 3, buf, sizeof buf, NULL));
  EXPECT_NULL(smtrust_sm4_gcm_encrypt(NULL, 16, key16, 12, ABC, 3, ABC, 3, buf, sizeof buf,
                                      &written));
  EXPECT_NULL(smtrust_sm4_gcm_encrypt(key16, 16, NULL, 12, ABC, 3, ABC, 3, buf, sizeof buf,
                                      &written));
  EXPECT_NULL(smtrust_sm4_gcm_encrypt(key16, 16, key16, 12, NULL, 3, ABC, 3, buf, sizeof buf,
                                      &written));
  EXPECT_NULL(smtrust_sm4_gcm_encrypt(key16, 16, key16, 12, ABC, 3, NULL, 3, buf, sizeof buf,
                                      &written));
  EXPECT_NULL(smtrust_sm4_gcm_encrypt(key16, 16, key16, 12, ABC, 3, ABC, 3, buf, sizeof buf,
                                      NULL));
  EXPECT_NULL(smtrust_sm4_gcm_decrypt(NULL, 16, key16, 12, ABC, 3, key16, 16, buf, sizeof buf,
                                      &written));
  EXPECT_NULL(smtrust_sm4_gcm_decrypt(key16, 16, key16, 12, NULL, 3, key16, 16, buf, sizeof buf,
                                      &written));
  EXPECT_NULL(smtrust_sm4_gcm_decrypt(key16, 16, key16, 12, ABC, 3, NULL, 16, buf, sizeof buf,
                                      &written));
  EXPECT_NULL(smtrust_sm4_gcm_decrypt(key16, 16, key16, 12, ABC, 3, key16, 16, buf, sizeof buf,
                                      NULL));

  EXPECT_NULL(smtrust_sm2_secret_key_import(NULL, 32, SMTRUST_SM2_PRIVATE_KEY_FORMAT_RAW,
                                            &key_out));
  EXPECT_NULL(smtrust_sm2_secret_key_import(key16, 16, SMTRUST_SM2_PRIVATE_KEY_FORMAT_RAW, NULL));
  EXPECT_NULL(smtrust_sm2_secret_key_import_encrypted(NULL, 16,
                                                      SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_DER,
                                                      ABC, 3, &key_out));
  EXPECT_NULL(smtrust_sm2_secret_key_import_encrypted(key16, 16,
                                                      SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_DER,
                                                      NULL, 3, &key_out));
  EXPECT_NULL(smtrust_sm2_secret_key_import_encrypted(key16, 16,
                                                      SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_DER,
                                                      ABC, 3, NULL));
  EXPECT_NULL(smtrust_sm2_secret_key_export(NULL, SMTRUST_SM2_PRIVATE_KEY_FORMAT_RAW, buf,
                                            sizeof buf, &written));
  EXPECT_NULL(smtrust_sm2_secret_key_export(key, SMTRUST_SM2_PRIVATE_KEY_FORMAT_RAW, buf,
                                            sizeof buf, NULL));
  EXPECT_NULL(smtrust_sm2_secret_key_export_encrypted(
      NULL, SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_DER, SMTRUST_SM2_KEY_PROTECTION_SM4_CBC_HMAC_SM3,
      1000, ABC, 3, buf, sizeof buf, &written));
  EXPECT_NULL(smtrust_sm2_secret_key_export_encrypted(
      key, SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_DER, SMTRUST_SM2_KEY_PROTECTION_SM4_CBC_HMAC_SM3,
      1000, NULL, 3, buf, sizeof buf, &written));
  EXPECT_NULL(smtrust_sm2_secret_key_export_encrypted(
      key, SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_DER, SMTRUST_SM2_KEY_PROTECTION_SM4_CBC_HMAC_SM3,
      1000, ABC, 3, buf, sizeof buf, NULL));
  EXPECT_NULL(smtrust_sm2_secret_key_public_key(NULL, &public_out));
  EXPECT_NULL(smtrust_sm2_public_key_import(NULL, 65,
                                            SMTRUST_SM2_PUBLIC_KEY_FORMAT_POINT_UNCOMPRESSED,
                                            &public_out));
  EXPECT_NULL(smtrust_sm2_public_key_import(key16, 16, SMTRUST_SM2_PUBLIC_KEY_FORMAT_SPKI_DER,
                                            NULL));
  EXPECT_NULL(smtrust_sm2_public_key_export(NULL, SMTRUST_SM2_PUBLIC_KEY_FORMAT_SPKI_DER, buf,
                                            sizeof buf, &written));
  EXPECT_NULL(smtrust_sm2_public_key_export(public_key, SMTRUST_SM2_PUBLIC_KEY_FORMAT_SPKI_DER,
                                            buf, sizeof buf, NULL));

  EXPECT_NULL(smtrust_sm2_sign(key, NULL, 16, ABC, 3, SMTRUST_SM2_SIGNATURE_FORMAT_RAW, buf,
                               sizeof buf, &written));
  EXPECT_NULL(smtrust_sm2_sign(key, NULL, 0, NULL, 3, SMTRUST_SM2_SIGNATURE_FORMAT_RAW, buf,
                               sizeof buf, &written));
  EXPECT_NULL(smtrust_sm2_sign(key, NULL, 0, ABC, 3, SMTRUST_SM2_SIGNATURE_FORMAT_RAW, buf,
                               sizeof buf, NULL));
  EXPECT_NULL(smtrust_sm2_verify(public_key, NULL, 16, ABC, 3, SMTRUST_SM2_SIGNATURE_FORMAT_RAW,
                                 buf, 64));
  EXPECT_NULL(smtrust_sm2_verify(public_key, NULL, 0, NULL, 3, SMTRUST_SM2_SIGNATURE_FORMAT_RAW,
                                 buf, 64));
  EXPECT_NULL(smtrust_sm2_verify(public_key, NULL, 0, ABC, 3, SMTRUST_SM2_SIGNATURE_FORMAT_RAW,
                                 NULL, 64));
  EXPECT_NULL(smtrust_sm2_signature_convert(NULL, 64, SMTRUST_SM2_SIGNATURE_FORMAT_RAW,
                                            SMTRUST_SM2_SIGNATURE_FORMAT_DER, buf, sizeof buf,
                                            &written));
  EXPECT_NULL(smtrust_sm2_signature_convert(buf, 64, SMTRUST_SM2_SIGNATURE_FORMAT_RAW,
                                            SMTRUST_SM2_SIGNATURE_FORMAT_DER, buf + 64, 72, NULL));
  EXPECT_NULL(smtrust_sm2_encrypt(NULL, ABC, 3, SMTRUST_SM2_CIPHERTEXT_FORMAT_DER, buf, sizeof buf,
                                  &written));
  EXPECT_NULL(smtrust_sm2_encrypt(public_key, NULL, 3, SMTRUST_SM2_CIPHERTEXT_FORMAT_DER, buf,
                                  sizeof buf, &written));
  EXPECT_NULL(smtrust_sm2_encrypt(public_key, ABC, 3, SMTRUST_SM2_CIPHERTEXT_FORMAT_DER, buf,
                                  sizeof buf, NULL));
  EXPECT_NULL(smtrust_sm2_decrypt(NULL, buf, 120, SMTRUST_SM2_CIPHERTEXT_FORMAT_DER, buf,
                                  sizeof buf, &written));
  EXPECT_NULL(smtrust_sm2_decrypt(key, NULL, 120, SMTRUST_SM2_CIPHERTEXT_FORMAT_DER, buf,
                                  sizeof buf, &written));
  EXPECT_NULL(smtrust_sm2_decrypt(key, buf, 120, SMTRUST_SM2_CIPHERTEXT_FORMAT_DER, buf + 120, 120,
                                  NULL));
  EXPECT_NULL(smtrust_sm2_ciphertext_convert(NULL, 120, SMTRUST_SM2_CIPHERTEXT_FORMAT_DER,
                                             SMTRUST_SM2_CIPHERTEXT_FORMAT_C1C3C2, buf, sizeof buf,
                                             &written));
  EXPECT_NULL(smtrust_sm2_ciphertext_convert(buf, 120, SMTRUST_SM2_CIPHERTEXT_FORMAT_DER,
                                             SMTRUST_SM2_CIPHERTEXT_FORMAT_C1C3C2, buf + 120, 120,
                                             NULL));
  EXPECT(key_out == NULL && public_out == NULL);
  EXPECT_OK(smtrust_sm2_public_key_free(public_key));
  EXPECT_OK(smtrust_sm2_secret_key_free(key));
}

/* One key used by several threads at once: handles are immutable, so this is allowed. */
#define SIGNING_THREADS 4

static void *sign_in_thread(void *arg) {
  const smtrust_sm2_secret_key *key = arg;
  smtrust_sm2_public_key *public_key = NULL;
  uint8_t sig[72];
  size_t sig_len = 0;
  int ok = smtrust_sm2_secret_key_public_key(key, &public_key) == SMTRUST_STATUS_OK;
  for (int i = 0; ok && i < 8; i++) {
    ok = smtrust_sm2_sign(key, NULL, 0, ABC, 3, SMTRUST_SM2_SIGNATURE_FORMAT_DER, sig, sizeof sig,
                          &sig_len) == SMTRUST_STATUS_OK &&
         smtrust_sm2_verify(public_key, NULL, 0, ABC, 3, SMTRUST_SM2_SIGNATURE_FORMAT_DER, sig,
                            sig_len) == SMTRUST_STATUS_OK;
  }
  ok = smtrust_sm2_public_key_free(public_key) == SMTRUST_STATUS_OK && ok;
  return ok ? arg : NULL;
}

static void shared_handle(void) {
  smtrust_sm2_secret_key *key = NULL;
  pthread_t threads[SIGNING_THREADS];
  EXPECT_OK(smtrust_sm2_secret_key_generate(&key));
  for (int i = 0; i < SIGNING_THREADS; i++) {
    EXPECT(pthread_create(&threads[i], NULL, sign_in_thread, key) == 0);
  }
  for (int i = 0; i < SIGNING_THREADS; i++) {
    void *result = NULL;
    EXPECT(pthread_join(threads[i], &result) == 0);
    EXPECT(result == key);
  }
  EXPECT_OK(smtrust_sm2_secret_key_free(key));
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s ENCRYPTED_KEY_PEM PASSWORD\n", argv[0]);
    return 2;
  }
  versions();
  buffers();
  handles();
  wrong_formats(argv[1], argv[2]);
  sm4_misuse();
  threads();
  null_everywhere();
  shared_handle();
  printf("errors: %d failures\n", failures);
  return failures == 0 ? 0 : 1;
}
