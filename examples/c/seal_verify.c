/*
 * seal_verify.c - electronic seals and seal signatures verified through the smtrust C ABI.
 *
 * Usage: seal_verify SIGNED_VALUE DOCUMENT OTHER_DOCUMENT SEAL SEAL_ROOT_DER
 *
 * SIGNED_VALUE is a real GB/T 38540 v4 seal signature (SignedValue.dat of an OFD file) and
 * DOCUMENT the Signature.xml it signs; OTHER_DOCUMENT is any other file; SEAL a v4 seal
 * (.esl) whose maker certificate chains to the DER root SEAL_ROOT_DER, a root that lacks
 * keyCertSign (SEAL-SPEC D16). Checks the verdict and the check lines of the JSON report for:
 * the right document, another document, no document, the seal with its root, bytes that are
 * no seal; and the refusals: a trust anchor that is not a certificate, a short buffer.
 *
 * Every buffer is freed on every path, so valgrind and LeakSanitizer see no leak.
 */
#include "check.h"

/* 2020-10-12T11:14:03Z, when the ofdrw seal and its certificates are valid. */
#define AT_2020 1602501243ULL

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

/* One call of smtrust_seal_verify: the data, the document (NULL for none) and at most one
 * trust anchor. */
typedef struct {
  const buffer *data;
  const buffer *document;
  const buffer *anchor;
  unsigned long long at;
} seal_call;

static smtrust_status call(seal_call c, uint32_t *verdict, char *out, size_t out_len,
                           size_t *written) {
  const uint8_t *anchors[1] = {c.anchor ? c.anchor->bytes : NULL};
  size_t anchor_lens[1] = {c.anchor ? c.anchor->len : 0};
  return smtrust_seal_verify(c.data->bytes, c.data->len, c.document ? c.document->bytes : NULL,
                             c.document ? c.document->len : 0, anchors, anchor_lens,
                             c.anchor ? 1 : 0, c.at, verdict, out, out_len, written);
}

/* Verifies with the two-call pattern; returns the NUL-terminated report (to be freed) and
 * sets `*verdict`, or returns NULL after recording a failure. */
static char *report(seal_call c, uint32_t *verdict) {
  size_t needed = 0;
  *verdict = 0;
  EXPECT_OK(call(c, verdict, NULL, 0, &needed));
  if (needed == 0) {
    fail(__FILE__, __LINE__, "the length query answered 0");
    return NULL;
  }
  char *json = malloc(needed);
  if (json == NULL) {
    exit(2);
  }
  size_t written = 0;
  *verdict = 0;
  EXPECT_OK(call(c, verdict, json, needed, &written));
  EXPECT(written == needed);
  EXPECT(json[needed - 1] == '\0');
  EXPECT(strlen(json) + 1 == needed);
  return json;
}

/* Requires the report to begin with `prefix`. */
#define EXPECT_REPORT_STARTS(json, prefix)                                                 \
  do {                                                                                     \
    if ((json) != NULL && strncmp((json), (prefix), strlen(prefix)) != 0) {                \
      fail(__FILE__, __LINE__, "the report does not begin with %s:\n%s", (prefix), (json)); \
    }                                                                                      \
  } while (0)

/* Requires the report to contain `fragment`, e.g. "\"check\":\"signature\",\"status\":\"pass\"". */
#define EXPECT_IN_REPORT(json, fragment)                                                   \
  do {                                                                                     \
    if ((json) != NULL && strstr((json), (fragment)) == NULL) {                            \
      fail(__FILE__, __LINE__, "the report lacks %s:\n%s", (fragment), (json));            \
    }                                                                                      \
  } while (0)

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s SIGNED_VALUE DOCUMENT OTHER_DOCUMENT SEAL SEAL_ROOT_DER\n", argv[0]);
    return 2;
  }
  buffer signed_value = read_file(argv[1]), document = read_file(argv[2]),
         other = read_file(argv[3]), seal = read_file(argv[4]), root = read_file(argv[5]);
  static uint8_t GARBAGE[] = "garbage";
  static uint8_t EMPTY_SEQUENCE[] = {0x30, 0x00};
  buffer garbage = {GARBAGE, sizeof GARBAGE - 1};
  buffer not_a_certificate = {EMPTY_SEQUENCE, sizeof EMPTY_SEQUENCE};
  uint32_t verdict = 0;
  int cases = 0;

  /* The signed Signature.xml: the signature and dataHash (GB/T 38540 §8.2) pass; without a
   * trust anchor the chains are not checked, so the verdict is indeterminate. */
  char *json = report((seal_call){&signed_value, &document, NULL, 0}, &verdict);
  EXPECT(verdict == SMTRUST_SEAL_VERDICT_INDETERMINATE);
  EXPECT_REPORT_STARTS(json, "{\"verdict\":\"indeterminate\",");
  EXPECT_IN_REPORT(json, "{\"check\":\"signature\",\"status\":\"pass\"");
  EXPECT_IN_REPORT(json, "{\"check\":\"data_hash\",\"status\":\"pass\"");
  EXPECT_IN_REPORT(json, "{\"check\":\"signer_chain\",\"status\":\"not_checked\"");
  free(json);
  cases++;

  /* Another document: dataHash differs, the signature itself still verifies. */
  json = report((seal_call){&signed_value, &other, NULL, 0}, &verdict);
  EXPECT(verdict == SMTRUST_SEAL_VERDICT_INVALID);
  EXPECT_IN_REPORT(json, "{\"check\":\"data_hash\",\"status\":\"fail\"");
  EXPECT_IN_REPORT(json, "{\"check\":\"signature\",\"status\":\"pass\"");
  free(json);
  cases++;

  /* No document (NULL): dataHash is not checked. */
  json = report((seal_call){&signed_value, NULL, NULL, 0}, &verdict);
  EXPECT(verdict == SMTRUST_SEAL_VERDICT_INDETERMINATE);
  EXPECT_IN_REPORT(json, "{\"check\":\"data_hash\",\"status\":\"not_checked\"");
  free(json);
  cases++;

  /* The seal alone, with its root and a time: the maker's signature verifies, but the root
   * lacks keyCertSign (D16) and the C ABI accepts no such root, so the maker chain fails. */
  json = report((seal_call){&seal, NULL, &root, AT_2020}, &verdict);
  EXPECT(verdict == SMTRUST_SEAL_VERDICT_INVALID);
  EXPECT_IN_REPORT(json, "{\"check\":\"seal_maker_signature\",\"status\":\"pass\"");
  EXPECT_IN_REPORT(json, "{\"check\":\"seal_maker_chain\",\"status\":\"fail\"");
  EXPECT_IN_REPORT(json, "keyCertSign");
  free(json);
  cases++;

  /* Bytes that are neither a seal nor a seal signature: a report whose structure failed. */
  json = report((seal_call){&garbage, NULL, NULL, 0}, &verdict);
  EXPECT(verdict == SMTRUST_SEAL_VERDICT_INVALID);
  EXPECT_REPORT_STARTS(json, "{\"verdict\":\"invalid\","
                             "\"checks\":[{\"check\":\"structure\",\"status\":\"fail\"");
  free(json);
  cases++;

  /* A trust anchor that is not a certificate is refused, and `*verdict` is left alone. */
  size_t needed = 0;
  verdict = 0;
  EXPECT_STATUS(call((seal_call){&seal, NULL, &not_a_certificate, AT_2020}, &verdict, NULL, 0,
                     &needed),
                SMTRUST_STATUS_SEAL_INVALID_TRUST_ANCHOR);
  EXPECT(verdict == 0);
  cases++;

  /* A buffer one byte short is refused and left untouched; `*written` says what is needed. */
  EXPECT_OK(call((seal_call){&signed_value, &document, NULL, 0}, &verdict, NULL, 0, &needed));
  char *short_buffer = malloc(needed);
  if (short_buffer == NULL) {
    exit(2);
  }
  memset(short_buffer, 0x55, needed);
  size_t written = 0;
  verdict = 0;
  EXPECT_STATUS(call((seal_call){&signed_value, &document, NULL, 0}, &verdict, short_buffer,
                     needed - 1, &written),
                SMTRUST_STATUS_BUFFER_TOO_SMALL);
  EXPECT(written == needed);
  EXPECT(verdict == 0);
  for (size_t i = 0; i < needed; i++) {
    if (short_buffer[i] != 0x55) {
      fail(__FILE__, __LINE__, "byte %zu of the short buffer was written", i);
      break;
    }
  }
  free(short_buffer);
  cases++;

  free(signed_value.bytes);
  free(document.bytes);
  free(other.bytes);
  free(seal.bytes);
  free(root.bytes);
  printf("seal_verify: %d cases, %d failures\n", cases, failures);
  return failures == 0 ? 0 : 1;
}
