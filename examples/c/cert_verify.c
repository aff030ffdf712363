/*
 * cert_verify.c - certificate paths and CMS SignedData through the smtrust C ABI.
 *
 * Usage: cert_verify VECTORS SIGNER_KEY_PEM SIGNER_CERT INTERMEDIATE_CERT ROOT_CERT
 *
 * 1. Checks every "cert" line of VECTORS (made by tests/ffi_c.rs from
 *    test-vectors/interop/pki/cases.json and the real seal certificates of
 *    test-vectors/seals): smtrust_cert_verify must give exactly the status the line names.
 *    Fields: cert ID LEAF INTERMEDIATES ANCHORS CRLS AT USAGE FLAGS SM2_ID_HEX STATUS, where
 *    INTERMEDIATES, ANCHORS and CRLS are comma-separated file lists ("-" for none) that are
 *    concatenated into one bundle, as a CA file would be.
 * 2. Signs a form as CMS SignedData with the signer's key and certificate, attached and
 *    detached, and verifies it with and without its certificate path, then checks that each
 *    kind of tampering gives its own status.
 *
 * Every buffer and handle is freed on every path, so valgrind and LeakSanitizer see no leak.
 */
#include "check.h"

/* 2030-06-01T00:00:00Z, the verification time of the interop PKI. */
#define AT_2030 1906502400ULL
/* 2010-01-01T00:00:00Z, before any certificate of the interop PKI was issued. */
#define AT_2010 1262304000ULL
/* 2100-01-01T00:00:00Z, after every certificate of the interop PKI has expired. */
#define AT_2100 4102444800ULL

typedef struct {
  uint8_t *bytes;
  size_t len;
} buffer;

static void free_buffer(buffer *b) {
  free(b->bytes);
  b->bytes = NULL;
  b->len = 0;
}

/* Appends the contents of `path` to `b`. Exits on I/O errors (the test's fault, not the
 * library's). */
static void append_file(buffer *b, const char *path) {
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    perror(path);
    exit(2);
  }
  uint8_t chunk[4096];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, file)) > 0) {
    uint8_t *grown = realloc(b->bytes, b->len + got);
    if (grown == NULL) {
      exit(2);
    }
    b->bytes = grown;
    memcpy(b->bytes + b->len, chunk, got);
    b->len += got;
  }
  fclose(file);
}

/* The files of a comma-separated list ("-" for none), one after another. */
static buffer read_list(const char *list) {
  buffer b = {NULL, 0};
  if (strcmp(list, "-") == 0) {
    return b;
  }
  char *copy = strdup(list);
  char *save = NULL;
  for (char *path = strtok_r(copy, ",", &save); path != NULL; path = strtok_r(NULL, ",", &save)) {
    append_file(&b, path);
  }
  free(copy);
  return b;
}

static uint32_t usage_by_name(const char *name) {
  if (strcmp(name, "any") == 0) return SMTRUST_CERT_USAGE_ANY;
  if (strcmp(name, "signing") == 0) return SMTRUST_CERT_USAGE_SIGNING;
  fprintf(stderr, "unknown usage %s\n", name);
  exit(2);
}

static void check_cert_case(char **f) {
  buffer leaf = read_list(f[2]), intermediates = read_list(f[3]), anchors = read_list(f[4]),
         crls = read_list(f[5]);
  unsigned long long at = strtoull(f[6], NULL, 10);
  uint32_t usage = usage_by_name(f[7]);
  uint32_t flags = (uint32_t)strtoul(f[8], NULL, 10);
  field id = decode_field(f[9]);
  smtrust_status want = status_by_name(f[10]);
  smtrust_status got =
      smtrust_cert_verify(leaf.bytes, leaf.len, intermediates.bytes, intermediates.len,
                          anchors.bytes, anchors.len, crls.bytes, crls.len, at, usage, flags,
                          id.bytes, id.len);
  if (got != want) {
    print_last_error();
    fail(__FILE__, __LINE__, "%s: %s, expected %s", f[1], status_name(got), status_name(want));
  } else if (got != SMTRUST_STATUS_OK) {
    /* A refusal always explains itself. */
    size_t needed = 0;
    EXPECT_OK(smtrust_last_error(NULL, 0, &needed));
    EXPECT(needed > 20);
  }
  free_field(&id);
  free_buffer(&leaf);
  free_buffer(&intermediates);
  free_buffer(&anchors);
  free_buffer(&crls);
}

/* Signs `content` with the two-call pattern; returns the DER (caller frees) or NULL. */
static uint8_t *cms_sign(const smtrust_sm2_secret_key *key, const buffer *cert,
                         const uint8_t *content, size_t content_len, uint32_t encapsulation,
                         size_t *len) {
  const uint8_t *id = (const uint8_t *)SMTRUST_SM2_DEFAULT_ID;
  size_t needed = 0;
  EXPECT_OK(smtrust_cms_sign(key, id, SMTRUST_SM2_DEFAULT_ID_LEN, cert->bytes, cert->len,
                             content, content_len, encapsulation, SMTRUST_CMS_OIDS_GM_T0010,
                             AT_2030 - 86400, NULL, 0, &needed));
  uint8_t *der = malloc(needed);
  if (der == NULL) {
    return NULL;
  }
  EXPECT_OK(smtrust_cms_sign(key, id, SMTRUST_SM2_DEFAULT_ID_LEN, cert->bytes, cert->len,
                             content, content_len, encapsulation, SMTRUST_CMS_OIDS_GM_T0010,
                             AT_2030 - 86400, der, needed, len));
  /* RFC 6979 signatures are deterministic: the length query was exact. */
  EXPECT(*len == needed);
  return der;
}

/* Verifies and returns the status; on success the report is checked to name the signer. */
static smtrust_status cms_verify(const uint8_t *der, size_t der_len, uint32_t encapsulation,
                                 const uint8_t *content, size_t content_len, const uint8_t *id,
                                 size_t id_len, const buffer *anchors, unsigned long long at) {
  char report[2048];
  size_t written = 0;
  smtrust_status status = smtrust_cms_verify(
      der, der_len, encapsulation, content, content_len, id, id_len, anchors->bytes, anchors->len,
      NULL, 0, at, SMTRUST_CERT_USAGE_SIGNING, 0, report, sizeof report, &written);
  if (status == SMTRUST_STATUS_OK) {
    EXPECT(written == strlen(report) + 1);
    EXPECT(strstr(report, "\"signers\":[{") != NULL);
    EXPECT(strstr(report, anchors->len > 0 ? "\"path_validated\":true"
                                            : "\"path_validated\":false") != NULL);
  }
  return status;
}

static void cms_round_trip(const char *key_path, const char *cert_path, const char *int_path,
                           const char *root_path) {
  static const uint8_t form[] = "company registration form SH-2026-000123";
  static const uint8_t other[] = "company registration form SH-2026-000124";
  const uint8_t *id = (const uint8_t *)SMTRUST_SM2_DEFAULT_ID;
  const size_t id_len = SMTRUST_SM2_DEFAULT_ID_LEN;
  buffer key_pem = read_list(key_path), cert = read_list(cert_path), int_cert = read_list(int_path);
  /* The SignedData carries only the signer's certificate, so the intermediate is trusted
   * directly beside the root. */
  char anchors_list[4096];
  snprintf(anchors_list, sizeof anchors_list, "%s,%s", root_path, int_path);
  buffer anchors = read_list(anchors_list), none = {NULL, 0};
  smtrust_sm2_secret_key *key = NULL, *int_key = NULL;
  uint8_t *attached = NULL, *detached = NULL;
  size_t attached_len = 0, detached_len = 0, needed = 0;

  EXPECT_OK(smtrust_sm2_secret_key_import(key_pem.bytes, key_pem.len,
                                          SMTRUST_SM2_PRIVATE_KEY_FORMAT_PKCS8_PEM, &key));
  if (key == NULL) goto cleanup;
  attached = cms_sign(key, &cert, form, sizeof form - 1, SMTRUST_CMS_ENCAPSULATION_ATTACHED,
                      &attached_len);
  detached = cms_sign(key, &cert, form, sizeof form - 1, SMTRUST_CMS_ENCAPSULATION_DETACHED,
                      &detached_len);
  if (attached == NULL || detached == NULL) goto cleanup;
  EXPECT(attached_len > detached_len + sizeof form - 1);

  /* Signatures only, then with the path (GM/T 0010 / RFC 5652 §5.4). */
  EXPECT_OK(cms_verify(attached, attached_len, SMTRUST_CMS_ENCAPSULATION_ATTACHED, NULL, 0, id,
                       id_len, &none, AT_2030));
  EXPECT_OK(cms_verify(attached, attached_len, SMTRUST_CMS_ENCAPSULATION_ATTACHED, NULL, 0, id,
                       id_len, &anchors, AT_2030));
  EXPECT_OK(cms_verify(detached, detached_len, SMTRUST_CMS_ENCAPSULATION_DETACHED, form,
                       sizeof form - 1, id, id_len, &anchors, AT_2030));

  /* Each failure has its own status. */
  EXPECT_STATUS(cms_verify(detached, detached_len, SMTRUST_CMS_ENCAPSULATION_DETACHED, other,
                           sizeof other - 1, id, id_len, &none, AT_2030),
                SMTRUST_STATUS_CMS_DIGEST_MISMATCH);
  EXPECT_STATUS(cms_verify(detached, detached_len, SMTRUST_CMS_ENCAPSULATION_ATTACHED, NULL, 0,
                           id, id_len, &none, AT_2030),
                SMTRUST_STATUS_CMS_CONTENT_MISMATCH);
  EXPECT_STATUS(cms_verify(attached, attached_len, SMTRUST_CMS_ENCAPSULATION_DETACHED, form,
                           sizeof form - 1, id, id_len, &none, AT_2030),
                SMTRUST_STATUS_CMS_CONTENT_MISMATCH);
  EXPECT_STATUS(cms_verify(attached, attached_len, SMTRUST_CMS_ENCAPSULATION_ATTACHED, form,
                           sizeof form - 1, id, id_len, &none, AT_2030),
                SMTRUST_STATUS_INVALID_PARAMETER);
  /* OpenSSL 3's empty ID is not the ID this was signed with. */
  EXPECT_STATUS(cms_verify(attached, attached_len, SMTRUST_CMS_ENCAPSULATION_ATTACHED, NULL, 0,
                           NULL, 0, &none, AT_2030),
                SMTRUST_STATUS_CMS_BAD_SIGNATURE);
  EXPECT_STATUS(cms_verify(attached, attached_len, SMTRUST_CMS_ENCAPSULATION_ATTACHED, NULL, 0,
                           id, id_len, &anchors, AT_2100),
                SMTRUST_STATUS_CERT_EXPIRED);
  EXPECT_STATUS(cms_verify(attached, attached_len, SMTRUST_CMS_ENCAPSULATION_ATTACHED, NULL, 0,
                           id, id_len, &int_cert, AT_2010),
                SMTRUST_STATUS_CERT_NOT_YET_VALID);
  EXPECT_STATUS(cms_verify(attached, attached_len - 1, SMTRUST_CMS_ENCAPSULATION_ATTACHED, NULL,
                           0, id, id_len, &none, AT_2030),
                SMTRUST_STATUS_CMS_MALFORMED);
  /* A signature byte flipped: the DER still reads, the signature does not verify. */
  attached[attached_len - 5] ^= 0x01;
  EXPECT_STATUS(cms_verify(attached, attached_len, SMTRUST_CMS_ENCAPSULATION_ATTACHED, NULL, 0,
                           id, id_len, &none, AT_2030),
                SMTRUST_STATUS_CMS_BAD_SIGNATURE);

  /* A short report buffer is refused and untouched; *written says what is needed. */
  {
    char small[8] = "unused";
    EXPECT_STATUS(smtrust_cms_verify(detached, detached_len, SMTRUST_CMS_ENCAPSULATION_DETACHED,
                                     form, sizeof form - 1, id, id_len, NULL, 0, NULL, 0, AT_2030,
                                     SMTRUST_CERT_USAGE_ANY, 0, small, sizeof small, &needed),
                  SMTRUST_STATUS_BUFFER_TOO_SMALL);
    EXPECT(needed > sizeof small && strcmp(small, "unused") == 0);
  }

  /* Signing with a key that is not the certificate's. */
  EXPECT_OK(smtrust_sm2_secret_key_generate(&int_key));
  EXPECT_STATUS(smtrust_cms_sign(int_key, id, id_len, cert.bytes, cert.len, form, sizeof form - 1,
                                 SMTRUST_CMS_ENCAPSULATION_ATTACHED, SMTRUST_CMS_OIDS_PKCS7,
                                 AT_2030, NULL, 0, &needed),
                SMTRUST_STATUS_CMS_KEY_MISMATCH);

cleanup:
  free(attached);
  free(detached);
  EXPECT_OK(smtrust_sm2_secret_key_free(int_key));
  EXPECT_OK(smtrust_sm2_secret_key_free(key));
  free_buffer(&key_pem);
  free_buffer(&cert);
  free_buffer(&int_cert);
  free_buffer(&anchors);
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s VECTORS SIGNER_KEY_PEM SIGNER_CERT INTERMEDIATE ROOT\n", argv[0]);
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
    if (count == 11 && strcmp(fields[0], "cert") == 0) {
      check_cert_case(fields);
      cases++;
    }
  }
  free(line);
  fclose(vectors);
  EXPECT(cases > 0);
  cms_round_trip(argv[2], argv[3], argv[4], argv[5]);
  printf("cert_verify: %d path cases, %d failures\n", cases, failures);
  return failures == 0 ? 0 : 1;
}
