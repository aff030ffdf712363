/*
 * sign_verify.c - SM2 keys and signatures through the smtrust C ABI.
 *
 * Usage: sign_verify VECTORS
 *
 * 1. Checks every "sign" line of VECTORS (made by tests/ffi_c.rs from
 *    test-vectors/interop/sm2_sign.json): each signature encoding must give exactly the
 *    status the line names; valid cases are also re-signed and converted between encodings.
 * 2. Generates a key, moves it through every private and public key format, signs with
 *    the GM/T 0009 default ID and checks that the empty ID (OpenSSL 3's default) does not verify.
 *
 * Every handle is freed on every path (goto cleanup), so valgrind and LeakSanitizer see no leak.
 */
#include "check.h"

/* The GM/T 0009 default ID, as the header defines it. */
#define DEFAULT_ID ((const uint8_t *)SMTRUST_SM2_DEFAULT_ID)
#define DEFAULT_ID_LEN SMTRUST_SM2_DEFAULT_ID_LEN

/* Checks one vector line: fields as documented in tests/ffi_c.rs. */
static void check_sign_case(char **f) {
  const char *id_text = f[1];
  field pub = decode_field(f[2]), priv = decode_field(f[3]), id = decode_field(f[4]),
        msg = decode_field(f[5]), der = decode_field(f[6]), raw = decode_field(f[8]);
  smtrust_status want_der = der.present ? status_by_name(f[7]) : SMTRUST_STATUS_OK;
  smtrust_status want_raw = raw.present ? status_by_name(f[9]) : SMTRUST_STATUS_OK;
  smtrust_sm2_public_key *public_key = NULL;
  smtrust_sm2_secret_key *secret_key = NULL;
  uint8_t sig[72], converted[72];
  size_t sig_len = 0, converted_len = 0;

  smtrust_status imported = smtrust_sm2_public_key_import(
      pub.bytes, pub.len, SMTRUST_SM2_PUBLIC_KEY_FORMAT_POINT_UNCOMPRESSED, &public_key);
  if (imported != SMTRUST_STATUS_OK) {
    /* Only a key that is not on the curve may fail here, and then both forms expect it. */
    if (imported != want_der || imported != want_raw) {
      fail(__FILE__, __LINE__, "%s: public key import gave %s", id_text, status_name(imported));
    }
    goto cleanup;
  }
  if (der.present) {
    smtrust_status got = smtrust_sm2_verify(public_key, id.bytes, id.len, msg.bytes, msg.len,
                                            SMTRUST_SM2_SIGNATURE_FORMAT_DER, der.bytes, der.len);
    if (got != want_der) {
      fail(__FILE__, __LINE__, "%s (DER): %s, expected %s", id_text, status_name(got),
           status_name(want_der));
    }
  }
  if (raw.present) {
    smtrust_status got = smtrust_sm2_verify(public_key, id.bytes, id.len, msg.bytes, msg.len,
                                            SMTRUST_SM2_SIGNATURE_FORMAT_RAW, raw.bytes, raw.len);
    if (got != want_raw) {
      fail(__FILE__, __LINE__, "%s (raw): %s, expected %s", id_text, status_name(got),
           status_name(want_raw));
    }
  }
  if (want_der != SMTRUST_STATUS_OK || want_raw != SMTRUST_STATUS_OK) {
    goto cleanup;
  }
  /* Valid case: the encodings convert into each other byte for byte. */
  if (der.present && raw.present) {
    EXPECT_OK(smtrust_sm2_signature_convert(der.bytes, der.len, SMTRUST_SM2_SIGNATURE_FORMAT_DER,
                                            SMTRUST_SM2_SIGNATURE_FORMAT_RAW, converted,
                                            sizeof converted, &converted_len));
    EXPECT(same_bytes(converted, converted_len, raw.bytes, raw.len));
    EXPECT_OK(smtrust_sm2_signature_convert(raw.bytes, raw.len, SMTRUST_SM2_SIGNATURE_FORMAT_RAW,
                                            SMTRUST_SM2_SIGNATURE_FORMAT_DER, converted,
                                            sizeof converted, &converted_len));
    EXPECT(same_bytes(converted, converted_len, der.bytes, der.len));
  }
  /* The signer's key signs the same message under the same ID, and that verifies. */
  if (priv.present) {
    EXPECT_OK(smtrust_sm2_secret_key_import(priv.bytes, priv.len,
                                            SMTRUST_SM2_PRIVATE_KEY_FORMAT_RAW, &secret_key));
    if (secret_key != NULL) {
      EXPECT_OK(smtrust_sm2_sign(secret_key, id.bytes, id.len, msg.bytes, msg.len,
                                 SMTRUST_SM2_SIGNATURE_FORMAT_DER, sig, sizeof sig, &sig_len));
      EXPECT_OK(smtrust_sm2_verify(public_key, id.bytes, id.len, msg.bytes, msg.len,
                                   SMTRUST_SM2_SIGNATURE_FORMAT_DER, sig, sig_len));
    }
  }

cleanup:
  EXPECT_OK(smtrust_sm2_secret_key_free(secret_key));
  EXPECT_OK(smtrust_sm2_public_key_free(public_key));
  free_field(&pub);
  free_field(&priv);
  free_field(&id);
  free_field(&msg);
  free_field(&der);
  free_field(&raw);
}

/* Exports `key` as `format` with the two-call pattern; the caller frees *out. */
static int export_secret(const smtrust_sm2_secret_key *key, uint32_t format, uint8_t **out,
                         size_t *out_len) {
  size_t needed = 0;
  *out = NULL;
  if (smtrust_sm2_secret_key_export(key, format, NULL, 0, &needed) != SMTRUST_STATUS_OK) {
    return 0;
  }
  *out = malloc(needed);
  if (*out == NULL) {
    return 0;
  }
  return smtrust_sm2_secret_key_export(key, format, *out, needed, out_len) == SMTRUST_STATUS_OK;
}

/* A fresh key through every format, then sign and verify with explicit IDs. */
static void round_trip(void) {
  static const uint32_t private_formats[] = {
      SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_DER, SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_PEM,
      SMTRUST_SM2_PRIVATE_KEY_FORMAT_SEC1_DER, SMTRUST_SM2_PRIVATE_KEY_FORMAT_SEC1_PEM,
      SMTRUST_SM2_PRIVATE_KEY_FORMAT_RAW};
  static const uint32_t public_formats[] = {
      SMTRUST_SM2_PUBLIC_KEY_FORMAT_SPKI_DER, SMTRUST_SM2_PUBLIC_KEY_FORMAT_SPKI_PEM,
      SMTRUST_SM2_PUBLIC_KEY_FORMAT_POINT_UNCOMPRESSED,
      SMTRUST_SM2_PUBLIC_KEY_FORMAT_POINT_COMPRESSED};
  static const uint8_t msg[] = "registration form 2026-0001";
  smtrust_sm2_secret_key *key = NULL, *again = NULL;
  smtrust_sm2_public_key *public_key = NULL, *public_again = NULL;
  uint8_t *encoded = NULL;
  size_t encoded_len = 0;
  uint8_t point[65], point_again[65], sig[72];
  size_t point_len = 0, point_again_len = 0, sig_len = 0, needed = 0;

  EXPECT_OK(smtrust_sm2_secret_key_generate(&key));
  EXPECT_OK(smtrust_sm2_secret_key_public_key(key, &public_key));
  EXPECT_OK(smtrust_sm2_public_key_export(public_key,
                                          SMTRUST_SM2_PUBLIC_KEY_FORMAT_POINT_UNCOMPRESSED, point,
                                          sizeof point, &point_len));
  EXPECT(point_len == 65 && point[0] == 0x04);

  for (size_t i = 0; i < sizeof private_formats / sizeof private_formats[0]; i++) {
    EXPECT(export_secret(key, private_formats[i], &encoded, &encoded_len));
    EXPECT_OK(smtrust_sm2_secret_key_import(encoded, encoded_len, private_formats[i], &again));
    smtrust_sm2_public_key *derived = NULL;
    EXPECT_OK(smtrust_sm2_secret_key_public_key(again, &derived));
    EXPECT_OK(smtrust_sm2_public_key_export(derived,
                                            SMTRUST_SM2_PUBLIC_KEY_FORMAT_POINT_UNCOMPRESSED,
                                            point_again, sizeof point_again, &point_again_len));
    EXPECT(same_bytes(point, point_len, point_again, point_again_len));
    EXPECT_OK(smtrust_sm2_public_key_free(derived));
    EXPECT_OK(smtrust_sm2_secret_key_free(again));
    again = NULL;
    /* The library never keeps the caller's copy; wiping it is the caller's duty. */
    memset(encoded, 0, encoded_len);
    free(encoded);
    encoded = NULL;
  }

  /* Password-protected PKCS#8 under each protection, in DER and PEM, read back. */
  static const uint32_t protections[] = {SMTRUST_SM2_KEY_PROTECTION_SM4_CBC_HMAC_SM3,
                                         SMTRUST_SM2_KEY_PROTECTION_SM4_CBC_HMAC_SHA256,
                                         SMTRUST_SM2_KEY_PROTECTION_AES256_CBC_HMAC_SHA256};
  static const uint32_t pkcs8_formats[] = {SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_DER,
                                           SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_PEM};
  static const uint8_t password[] = "correct horse";
  for (size_t p = 0; p < 3; p++) {
    for (size_t f = 0; f < 2; f++) {
      EXPECT_OK(smtrust_sm2_secret_key_export_encrypted(key, pkcs8_formats[f], protections[p], 1000,
                                                        password, sizeof password - 1, NULL, 0,
                                                        &needed));
      encoded = malloc(needed);
      EXPECT(encoded != NULL);
      if (encoded == NULL) goto cleanup;
      EXPECT_OK(smtrust_sm2_secret_key_export_encrypted(key, pkcs8_formats[f], protections[p], 1000,
                                                        password, sizeof password - 1, encoded,
                                                        needed, &encoded_len));
      EXPECT(encoded_len == needed);
      EXPECT_OK(smtrust_sm2_secret_key_import_encrypted(encoded, encoded_len, pkcs8_formats[f],
                                                        password, sizeof password - 1, &again));
      smtrust_sm2_public_key *derived = NULL;
      EXPECT_OK(smtrust_sm2_secret_key_public_key(again, &derived));
      EXPECT_OK(smtrust_sm2_public_key_export(derived,
                                              SMTRUST_SM2_PUBLIC_KEY_FORMAT_POINT_UNCOMPRESSED,
                                              point_again, sizeof point_again, &point_again_len));
      EXPECT(same_bytes(point, point_len, point_again, point_again_len));
      EXPECT_OK(smtrust_sm2_public_key_free(derived));
      EXPECT_OK(smtrust_sm2_secret_key_free(again));
      again = NULL;
      free(encoded);
      encoded = NULL;
    }
  }

  for (size_t i = 0; i < sizeof public_formats / sizeof public_formats[0]; i++) {
    EXPECT_OK(smtrust_sm2_public_key_export(public_key, public_formats[i], NULL, 0, &needed));
    encoded = malloc(needed);
    EXPECT(encoded != NULL);
    if (encoded == NULL) goto cleanup;
    EXPECT_OK(smtrust_sm2_public_key_export(public_key, public_formats[i], encoded, needed,
                                            &encoded_len));
    EXPECT_OK(smtrust_sm2_public_key_import(encoded, encoded_len, public_formats[i],
                                            &public_again));
    EXPECT_OK(smtrust_sm2_public_key_export(public_again,
                                            SMTRUST_SM2_PUBLIC_KEY_FORMAT_POINT_UNCOMPRESSED,
                                            point_again, sizeof point_again, &point_again_len));
    EXPECT(same_bytes(point, point_len, point_again, point_again_len));
    EXPECT_OK(smtrust_sm2_public_key_free(public_again));
    public_again = NULL;
    free(encoded);
    encoded = NULL;
  }

  /* Sign with the default ID: the length query answers the longest DER signature. */
  EXPECT_OK(smtrust_sm2_sign(key, DEFAULT_ID, DEFAULT_ID_LEN, msg, sizeof msg - 1,
                             SMTRUST_SM2_SIGNATURE_FORMAT_DER, NULL, 0, &needed));
  EXPECT(needed == 72);
  EXPECT_OK(smtrust_sm2_sign(key, DEFAULT_ID, DEFAULT_ID_LEN, msg, sizeof msg - 1,
                             SMTRUST_SM2_SIGNATURE_FORMAT_DER, sig, sizeof sig, &sig_len));
  EXPECT(sig_len >= 8 && sig_len <= 72);
  EXPECT_OK(smtrust_sm2_verify(public_key, DEFAULT_ID, DEFAULT_ID_LEN, msg, sizeof msg - 1,
                               SMTRUST_SM2_SIGNATURE_FORMAT_DER, sig, sig_len));
  /* The same signature under the empty ID (OpenSSL 3's default) must not verify. */
  EXPECT_STATUS(smtrust_sm2_verify(public_key, NULL, 0, msg, sizeof msg - 1,
                                   SMTRUST_SM2_SIGNATURE_FORMAT_DER, sig, sig_len),
                SMTRUST_STATUS_SM2_BAD_SIGNATURE);
  /* Raw r||s is always 64 bytes. */
  EXPECT_OK(smtrust_sm2_sign(key, NULL, 0, msg, sizeof msg - 1, SMTRUST_SM2_SIGNATURE_FORMAT_RAW,
                             sig, sizeof sig, &sig_len));
  EXPECT(sig_len == 64);
  EXPECT_OK(smtrust_sm2_verify(public_key, NULL, 0, msg, sizeof msg - 1,
                               SMTRUST_SM2_SIGNATURE_FORMAT_RAW, sig, sig_len));
  /* A flipped bit in the message is caught. */
  uint8_t tampered[sizeof msg];
  memcpy(tampered, msg, sizeof msg);
  tampered[0] ^= 0x01;
  EXPECT_STATUS(smtrust_sm2_verify(public_key, NULL, 0, tampered, sizeof msg - 1,
                                   SMTRUST_SM2_SIGNATURE_FORMAT_RAW, sig, sig_len),
                SMTRUST_STATUS_SM2_BAD_SIGNATURE);

cleanup:
  free(encoded);
  EXPECT_OK(smtrust_sm2_public_key_free(public_again));
  EXPECT_OK(smtrust_sm2_public_key_free(public_key));
  EXPECT_OK(smtrust_sm2_secret_key_free(again));
  EXPECT_OK(smtrust_sm2_secret_key_free(key));
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s VECTORS\n", argv[0]);
    return 2;
  }
  FILE *vectors = fopen(argv[1], "r");
  if (vectors == NULL) {
    perror(argv[1]);
    return 2;
  }
  char *line = NULL;
  size_t capacity = 0;
  int cases = 0;
  while (getline(&line, &capacity, vectors) != -1) {
    char *fields[MAX_FIELDS];
    size_t count = split_fields(line, fields);
    if (count == 10 && strcmp(fields[0], "sign") == 0) {
      check_sign_case(fields);
      cases++;
    }
  }
  free(line);
  fclose(vectors);
  EXPECT(cases > 0);
  round_trip();
  printf("sign_verify: %d signature vectors, %d failures\n", cases, failures);
  return failures == 0 ? 0 : 1;
}
