/*
 * record_roundtrip.c - signed real-name verification records through the smtrust C ABI.
 *
 * Usage: record_roundtrip INSTITUTION_KEY_PEM INSTITUTION_CERT INTERMEDIATE_CERT ROOT_CERT
 *
 * The qualified institution signs a phone three-factor check record (DOMAIN.md §2.2) given as
 * JSON; the registration system verifies it with the pinned institution key and with the
 * certificate path, reads the JSON view, and sees each kind of damage refused with its own
 * status: another key, a changed byte, a truncated record, an expired path, a missing
 * intermediate, bad JSON, short buffers, a freed key handle.
 *
 * Every buffer and handle is freed on every path, so valgrind and LeakSanitizer see no leak.
 */
#include "check.h"

/* 2030-06-01T00:00:00Z, when the interop PKI is valid; 2100-01-01, when it has expired. */
#define AT_2030 1906502400ULL
#define AT_2100 4102444800ULL

static const char RECORD[] =
    "{\"biz_serial_no\": \"SH-2026-000123\", \"record_id\": \"R-0001\", \"attempt_no\": 1,"
    " \"subject_kind\": \"natural_person\", \"role\": \"legal_representative\","
    " \"factors\": [\"name\", \"id_number\", \"mobile\"],"
    " \"institution\": \"Example Qualified Institution\", \"request_id\": \"req-8842\","
    " \"result\": \"match\", \"raw_code\": \"0\", \"raw_message\": \"consistent\","
    " \"requested_at\": 1764115200, \"responded_at\": 1764115201, \"operator\": \"registrar-17\"}";

typedef struct {
  uint8_t *bytes;
  size_t len;
} buffer;

static buffer read_file(const char *path) {
  buffer b = {NULL, 0};
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    perror(path);
    exit(2);
  }
  uint8_t chunk[4096];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, file)) > 0) {
    uint8_t *grown = realloc(b.bytes, b.len + got);
    if (grown == NULL) {
      exit(2);
    }
    b.bytes = grown;
    memcpy(b.bytes + b.len, chunk, got);
    b.len += got;
  }
  fclose(file);
  return b;
}

/* The position of `needle` in `b`, or -1. */
static long find(const buffer *b, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= b->len; i++) {
    if (memcmp(b->bytes + i, needle, n) == 0) return (long)i;
  }
  return -1;
}

typedef struct {
  const smtrust_sm2_public_key *pinned;
  const buffer *anchors;
  const buffer *intermediates;
  unsigned long long at;
} verify_with;

static smtrust_status verify(const buffer *signed_record, verify_with how, char *view,
                             size_t view_len, size_t *written) {
  static const buffer none = {NULL, 0};
  const buffer *anchors = how.anchors ? how.anchors : &none;
  const buffer *intermediates = how.intermediates ? how.intermediates : &none;
  return smtrust_record_verify(signed_record->bytes, signed_record->len, how.pinned,
                               anchors->bytes, anchors->len, intermediates->bytes,
                               intermediates->len, NULL, 0, how.at, SMTRUST_CERT_USAGE_SIGNING, 0,
                               view, view_len, written);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s INSTITUTION_KEY_PEM INSTITUTION_CERT INTERMEDIATE ROOT\n", argv[0]);
    return 2;
  }
  buffer key_pem = read_file(argv[1]), cert = read_file(argv[2]), int_cert = read_file(argv[3]),
         root = read_file(argv[4]);
  buffer signed_record = {NULL, 0}, damaged = {NULL, 0};
  smtrust_sm2_secret_key *key = NULL;
  smtrust_sm2_public_key *pub = NULL, *stranger_pub = NULL;
  smtrust_sm2_secret_key *stranger = NULL;
  char *view = NULL;
  size_t max_len = 0, needed = 0, written = 0;
  const uint8_t *json = (const uint8_t *)RECORD;

  EXPECT_OK(smtrust_sm2_secret_key_import(key_pem.bytes, key_pem.len,
                                          SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_PEM, &key));
  EXPECT_OK(smtrust_sm2_secret_key_public_key(key, &pub));
  if (key == NULL || pub == NULL) goto cleanup;

  /* Sign: the first call answers an upper bound (the signature's length varies). */
  EXPECT_OK(smtrust_record_sign(key, cert.bytes, cert.len, json, strlen(RECORD), NULL, 0,
                                &max_len));
  signed_record.bytes = malloc(max_len);
  if (signed_record.bytes == NULL) goto cleanup;
  EXPECT_OK(smtrust_record_sign(key, cert.bytes, cert.len, json, strlen(RECORD),
                                signed_record.bytes, max_len, &signed_record.len));
  EXPECT(signed_record.len > 0 && signed_record.len <= max_len);

  /* Verify with the pinned key, two-call, and read the view. */
  verify_with pinned = {pub, NULL, NULL, AT_2030};
  EXPECT_OK(verify(&signed_record, pinned, NULL, 0, &needed));
  view = malloc(needed);
  if (view == NULL) goto cleanup;
  EXPECT_OK(verify(&signed_record, pinned, view, needed, &written));
  EXPECT(written == needed && strlen(view) == written - 1);
  EXPECT(strstr(view, "\"biz_serial_no\":\"SH-2026-000123\"") != NULL);
  EXPECT(strstr(view, "\"check\":\"phone 3-factor\"") != NULL);
  EXPECT(strstr(view, "\"result\":\"match\"") != NULL);
  EXPECT(strstr(view, "\"requested_at\":\"2025-11-26T00:00:00Z\"") != NULL);

  /* A short buffer: refused, untouched, *written = the length needed. */
  {
    char small[16] = "untouched";
    size_t asked = 0;
    EXPECT_STATUS(verify(&signed_record, pinned, small, sizeof small, &asked),
                  SMTRUST_STATUS_BUFFER_TOO_SMALL);
    EXPECT(asked == needed && strcmp(small, "untouched") == 0);
  }

  /* The institution certificate's path: valid in 2030, expired in 2100, and unknown
   * without the intermediate (RFC 5280 §6). */
  verify_with chain = {NULL, &root, &int_cert, AT_2030};
  EXPECT_OK(verify(&signed_record, chain, view, needed, &written));
  chain.at = AT_2100;
  EXPECT_STATUS(verify(&signed_record, chain, view, needed, &written),
                SMTRUST_STATUS_CERT_EXPIRED);
  verify_with no_intermediate = {NULL, &root, NULL, AT_2030};
  EXPECT_STATUS(verify(&signed_record, no_intermediate, view, needed, &written),
                SMTRUST_STATUS_CERT_UNKNOWN_ISSUER);

  /* Another institution's key. */
  EXPECT_OK(smtrust_sm2_secret_key_generate(&stranger));
  EXPECT_OK(smtrust_sm2_secret_key_public_key(stranger, &stranger_pub));
  verify_with wrong = {stranger_pub, NULL, NULL, AT_2030};
  EXPECT_STATUS(verify(&signed_record, wrong, view, needed, &written),
                SMTRUST_STATUS_RECORD_KEY_MISMATCH);
  /* A freed handle is refused, not read. */
  EXPECT_OK(smtrust_sm2_public_key_free(stranger_pub));
  EXPECT_STATUS(verify(&signed_record, wrong, view, needed, &written),
                SMTRUST_STATUS_INVALID_HANDLE);
  stranger_pub = NULL;
  /* Signing under a certificate that is not the key's. */
  EXPECT_STATUS(smtrust_record_sign(stranger, cert.bytes, cert.len, json, strlen(RECORD), NULL,
                                    0, &needed),
                SMTRUST_STATUS_RECORD_KEY_MISMATCH);

  /* One changed byte in the serial number: the signature no longer verifies. */
  damaged.bytes = malloc(signed_record.len);
  if (damaged.bytes == NULL) goto cleanup;
  memcpy(damaged.bytes, signed_record.bytes, signed_record.len);
  damaged.len = signed_record.len;
  long at = find(&damaged, "SH-2026-000123");
  EXPECT(at >= 0);
  if (at >= 0) {
    damaged.bytes[at + 13] = '4';
    EXPECT_STATUS(verify(&damaged, pinned, view, needed, &written),
                  SMTRUST_STATUS_RECORD_BAD_SIGNATURE);
  }
  damaged.len = signed_record.len - 1;
  EXPECT_STATUS(verify(&damaged, pinned, view, needed, &written), SMTRUST_STATUS_RECORD_MALFORMED);

  /* Input errors. */
  EXPECT_STATUS(smtrust_record_sign(key, cert.bytes, cert.len, json, strlen(RECORD) - 1, NULL, 0,
                                    &needed),
                SMTRUST_STATUS_RECORD_INVALID);
  EXPECT_STATUS(smtrust_record_sign(key, cert.bytes, cert.len, NULL, 5, NULL, 0, &needed),
                SMTRUST_STATUS_NULL_POINTER);
  EXPECT_STATUS(smtrust_record_sign(key, cert.bytes, cert.len, json, strlen(RECORD), NULL, 0, NULL),
                SMTRUST_STATUS_NULL_POINTER);
  EXPECT_STATUS(smtrust_record_verify(signed_record.bytes, signed_record.len, pub, NULL, 0, NULL,
                                      0, NULL, 0, AT_2030, 99, 0, view, needed, &written),
                SMTRUST_STATUS_INVALID_PARAMETER);

cleanup:
  free(view);
  free(damaged.bytes);
  free(signed_record.bytes);
  EXPECT_OK(smtrust_sm2_public_key_free(stranger_pub));
  EXPECT_OK(smtrust_sm2_secret_key_free(stranger));
  EXPECT_OK(smtrust_sm2_public_key_free(pub));
  EXPECT_OK(smtrust_sm2_secret_key_free(key));
  free(key_pem.bytes);
  free(cert.bytes);
  free(int_cert.bytes);
  free(root.bytes);
  printf("record_roundtrip: %d failures\n", failures);
  return failures == 0 ? 0 : 1;
}
