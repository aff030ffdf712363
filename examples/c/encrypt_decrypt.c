/*
 * encrypt_decrypt.c - SM2 encryption, SM4 (CBC, CTR, GCM) and SM3 through the smtrust C ABI.
 *
 * Usage: encrypt_decrypt VECTORS
 *
 * Checks the "enc", "sm4", "sm3" and "hmac" lines of VECTORS (made by tests/ffi_c.rs from
 * test-vectors/interop/): every SM2 ciphertext layout decrypts to the plaintext and converts
 * into every other layout byte for byte, tampered ones give exactly the status the line names;
 * SM4 and SM3 results match the vectors. Then a fresh key encrypts in every layout.
 */
#include "check.h"

static const uint32_t LAYOUTS[5] = {
    SMTRUST_SM2_CIPHERTEXT_FORMAT_DER, SMTRUST_SM2_CIPHERTEXT_FORMAT_C1C3C2,
    SMTRUST_SM2_CIPHERTEXT_FORMAT_C1C2C3, SMTRUST_SM2_CIPHERTEXT_FORMAT_C1C3C2_NO_PREFIX,
    SMTRUST_SM2_CIPHERTEXT_FORMAT_C1C2C3_NO_PREFIX};

/* Fields: enc ID PRIVATE PLAINTEXT then five (CIPHERTEXT STATUS) pairs in LAYOUTS order. */
static void check_enc_case(char **f) {
  const char *id_text = f[1];
  field priv = decode_field(f[2]), plaintext = decode_field(f[3]);
  field forms[5];
  smtrust_status want[5];
  smtrust_sm2_secret_key *key = NULL;
  uint8_t *out = NULL;
  size_t out_len = 0, needed = 0;
  int valid = 1;
  for (int i = 0; i < 5; i++) {
    forms[i] = decode_field(f[4 + 2 * i]);
    want[i] = forms[i].present ? status_by_name(f[5 + 2 * i]) : SMTRUST_STATUS_OK;
    if (want[i] != SMTRUST_STATUS_OK) valid = 0;
  }
  EXPECT_OK(smtrust_sm2_secret_key_import(priv.bytes, priv.len, SMTRUST_SM2_PRIVATE_KEY_FORMAT_RAW,
                                          &key));
  for (int i = 0; i < 5; i++) {
    if (!forms[i].present) continue;
    smtrust_status got =
        smtrust_sm2_decrypt(key, forms[i].bytes, forms[i].len, LAYOUTS[i], NULL, 0, &needed);
    if (got != want[i]) {
      fail(__FILE__, __LINE__, "%s (layout %u): %s, expected %s", id_text, LAYOUTS[i],
           status_name(got), status_name(want[i]));
      continue;
    }
    if (got != SMTRUST_STATUS_OK) continue;
    out = malloc(needed + 1);
    EXPECT(out != NULL);
    if (out == NULL) continue;
    EXPECT_OK(smtrust_sm2_decrypt(key, forms[i].bytes, forms[i].len, LAYOUTS[i], out, needed,
                                  &out_len));
    EXPECT(same_bytes(out, out_len, plaintext.bytes, plaintext.len));
    free(out);
    out = NULL;
  }
  if (valid) {
    /* Every layout converts into every other exactly as the vector has it. */
    for (int from = 0; from < 5; from++) {
      for (int to = 0; to < 5; to++) {
        if (!forms[from].present || !forms[to].present) continue;
        size_t converted_len = 0;
        EXPECT_OK(smtrust_sm2_ciphertext_convert(forms[from].bytes, forms[from].len,
                                                 LAYOUTS[from], LAYOUTS[to], NULL, 0,
                                                 &converted_len));
        uint8_t *converted = malloc(converted_len);
        EXPECT(converted != NULL);
        if (converted == NULL) continue;
        EXPECT_OK(smtrust_sm2_ciphertext_convert(forms[from].bytes, forms[from].len,
                                                 LAYOUTS[from], LAYOUTS[to], converted,
                                                 converted_len, &converted_len));
        if (!same_bytes(converted, converted_len, forms[to].bytes, forms[to].len)) {
          fail(__FILE__, __LINE__, "%s: layout %u -> %u differs", id_text, LAYOUTS[from],
               LAYOUTS[to]);
        }
        free(converted);
      }
    }
  }
  EXPECT_OK(smtrust_sm2_secret_key_free(key));
  free_field(&priv);
  free_field(&plaintext);
  for (int i = 0; i < 5; i++) free_field(&forms[i]);
}

/* Fields: sm4 ID MODE PADDING KEY IV AAD PLAINTEXT CIPHERTEXT TAG STATUS. */
static void check_sm4_case(char **f) {
  const char *id_text = f[1], *mode = f[2], *padding_text = f[3];
  field key = decode_field(f[4]), iv = decode_field(f[5]), aad = decode_field(f[6]),
        plaintext = decode_field(f[7]), ciphertext = decode_field(f[8]), tag = decode_field(f[9]);
  smtrust_status want = status_by_name(f[10]);
  uint32_t padding = strcmp(padding_text, "pkcs7") == 0 ? SMTRUST_SM4_PADDING_PKCS7
                                                         : SMTRUST_SM4_PADDING_NONE;
  size_t sealed_len = ciphertext.len + (tag.present ? tag.len : 0);
  uint8_t *sealed = malloc(sealed_len + 1);
  uint8_t *out = malloc(sealed_len + 32);
  size_t out_len = 0;
  smtrust_status got = SMTRUST_STATUS_INTERNAL;
  if (sealed == NULL || out == NULL) {
    fail(__FILE__, __LINE__, "out of memory");
    goto cleanup;
  }
  if (ciphertext.len > 0) memcpy(sealed, ciphertext.bytes, ciphertext.len);
  if (tag.present && tag.len > 0) memcpy(sealed + ciphertext.len, tag.bytes, tag.len);

  if (strcmp(mode, "CBC") == 0) {
    got = smtrust_sm4_cbc_decrypt(key.bytes, key.len, iv.bytes, iv.len, padding, sealed,
                                  sealed_len, out, sealed_len + 32, &out_len);
  } else if (strcmp(mode, "CTR") == 0) {
    got = smtrust_sm4_ctr_decrypt(key.bytes, key.len, iv.bytes, iv.len, sealed, sealed_len, out,
                                  sealed_len + 32, &out_len);
  } else if (strcmp(mode, "GCM") == 0) {
    got = smtrust_sm4_gcm_decrypt(key.bytes, key.len, iv.bytes, iv.len, aad.bytes,
                                  aad.present ? aad.len : 0, sealed, sealed_len, out,
                                  sealed_len + 32, &out_len);
  } else {
    fail(__FILE__, __LINE__, "%s: unknown mode %s", id_text, mode);
    goto cleanup;
  }
  if (got != want) {
    fail(__FILE__, __LINE__, "%s: decryption gave %s, expected %s", id_text, status_name(got),
         status_name(want));
    goto cleanup;
  }
  if (want != SMTRUST_STATUS_OK) goto cleanup;
  EXPECT(same_bytes(out, out_len, plaintext.bytes, plaintext.len));
  /* Encryption reproduces the vector (with the tag for GCM). */
  if (strcmp(mode, "CBC") == 0) {
    EXPECT_OK(smtrust_sm4_cbc_encrypt(key.bytes, key.len, iv.bytes, iv.len, padding,
                                      plaintext.bytes, plaintext.len, out, sealed_len + 32,
                                      &out_len));
  } else if (strcmp(mode, "CTR") == 0) {
    EXPECT_OK(smtrust_sm4_ctr_encrypt(key.bytes, key.len, iv.bytes, iv.len, plaintext.bytes,
                                      plaintext.len, out, sealed_len + 32, &out_len));
  } else {
    EXPECT_OK(smtrust_sm4_gcm_encrypt(key.bytes, key.len, iv.bytes, iv.len, aad.bytes,
                                      aad.present ? aad.len : 0, plaintext.bytes, plaintext.len,
                                      out, sealed_len + 32, &out_len));
  }
  if (!same_bytes(out, out_len, sealed, sealed_len)) {
    fail(__FILE__, __LINE__, "%s: encryption differs from the vector", id_text);
  }

cleanup:
  free(sealed);
  free(out);
  free_field(&key);
  free_field(&iv);
  free_field(&aad);
  free_field(&plaintext);
  free_field(&ciphertext);
  free_field(&tag);
}

/* Fields: sm3 ID MSG DIGEST. */
static void check_sm3_case(char **f) {
  field msg = decode_field(f[2]), digest = decode_field(f[3]);
  uint8_t out[32];
  size_t out_len = 0;
  EXPECT_OK(smtrust_sm3_hash(msg.bytes, msg.len, out, sizeof out, &out_len));
  if (!same_bytes(out, out_len, digest.bytes, digest.len)) {
    fail(__FILE__, __LINE__, "%s: digest differs", f[1]);
  }
  free_field(&msg);
  free_field(&digest);
}

/* Fields: hmac ID KEY MSG MAC STATUS. */
static void check_hmac_case(char **f) {
  field key = decode_field(f[2]), msg = decode_field(f[3]), mac = decode_field(f[4]);
  smtrust_status want = status_by_name(f[5]);
  uint8_t out[32];
  size_t out_len = 0;
  smtrust_status got = smtrust_sm3_hmac_verify(key.bytes, key.len, msg.bytes, msg.len, mac.bytes,
                                               mac.len);
  if (got != want) {
    fail(__FILE__, __LINE__, "%s: verify gave %s, expected %s", f[1], status_name(got),
         status_name(want));
  }
  if (want == SMTRUST_STATUS_OK) {
    EXPECT_OK(smtrust_sm3_hmac(key.bytes, key.len, msg.bytes, msg.len, out, sizeof out, &out_len));
    EXPECT(same_bytes(out, out_len, mac.bytes, mac.len));
  }
  free_field(&key);
  free_field(&msg);
  free_field(&mac);
}

/* A fresh key encrypts an ID number in every layout; each decrypts to it. */
static void round_trip(void) {
  static const uint8_t id_number[] = "110101199003077777";
  const size_t msg_len = sizeof id_number - 1;
  smtrust_sm2_secret_key *key = NULL;
  smtrust_sm2_public_key *public_key = NULL;
  EXPECT_OK(smtrust_sm2_secret_key_generate(&key));
  EXPECT_OK(smtrust_sm2_secret_key_public_key(key, &public_key));
  for (int i = 0; i < 5; i++) {
    size_t bound = 0, ct_len = 0, pt_len = 0;
    EXPECT_OK(smtrust_sm2_encrypt(public_key, id_number, msg_len, LAYOUTS[i], NULL, 0, &bound));
    uint8_t *ct = malloc(bound);
    uint8_t plaintext[64];
    EXPECT(ct != NULL);
    if (ct == NULL) break;
    EXPECT_OK(smtrust_sm2_encrypt(public_key, id_number, msg_len, LAYOUTS[i], ct, bound, &ct_len));
    EXPECT(ct_len <= bound && ct_len >= 96 + msg_len);
    EXPECT_OK(smtrust_sm2_decrypt(key, ct, ct_len, LAYOUTS[i], plaintext, sizeof plaintext,
                                  &pt_len));
    EXPECT(same_bytes(plaintext, pt_len, id_number, msg_len));
    /* One flipped bit in the last byte (C3 or C2) and decryption fails, saying no more. */
    ct[ct_len - 1] ^= 0x01;
    EXPECT_STATUS(smtrust_sm2_decrypt(key, ct, ct_len, LAYOUTS[i], plaintext, sizeof plaintext,
                                      &pt_len),
                  SMTRUST_STATUS_SM2_DECRYPTION_FAILED);
    free(ct);
  }
  EXPECT_OK(smtrust_sm2_public_key_free(public_key));
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
  int sm2 = 0, sm4 = 0, sm3 = 0;
  while (getline(&line, &capacity, vectors) != -1) {
    char *fields[MAX_FIELDS];
    size_t count = split_fields(line, fields);
    if (count == 14 && strcmp(fields[0], "enc") == 0) {
      check_enc_case(fields);
      sm2++;
    } else if (count == 11 && strcmp(fields[0], "sm4") == 0) {
      check_sm4_case(fields);
      sm4++;
    } else if (count == 4 && strcmp(fields[0], "sm3") == 0) {
      check_sm3_case(fields);
      sm3++;
    } else if (count == 6 && strcmp(fields[0], "hmac") == 0) {
      check_hmac_case(fields);
      sm3++;
    }
  }
  free(line);
  fclose(vectors);
  EXPECT(sm2 > 0 && sm4 > 0 && sm3 > 0);
  round_trip();
  printf("encrypt_decrypt: %d SM2, %d SM4, %d SM3 vectors, %d failures\n", sm2, sm4, sm3,
         failures);
  return failures == 0 ? 0 : 1;
}
