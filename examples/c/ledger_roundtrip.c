/*
 * ledger_roundtrip.c - the ledger through the C ABI: open an SQLite ledger with the log's
 * signing key, append entries, retrieve a serial as a regulator (logged first), read the
 * history as JSON, export the evidence bundle and verify it offline with the public key only,
 * check the whole log, and the documented status for each misuse.
 *
 * Usage: ledger_roundtrip DB_PATH   (the file must not exist yet)
 */
#include "check.h"

static const char LOG_NAME[] = "c.example/ledger";

static smtrust_status append(smtrust_ledger *ledger, const char *serial, uint32_t role,
                             uint32_t event, const char *field1, const char *field2,
                             uint64_t *leaf) {
  return smtrust_ledger_append(ledger, (const uint8_t *)serial, strlen(serial), role,
                               (const uint8_t *)"clerk-07", 8, 1780000000u, event,
                               (const uint8_t *)field1, strlen(field1),
                               (const uint8_t *)field2, strlen(field2), leaf);
}

static smtrust_status retrieve(smtrust_ledger *ledger, const char *serial, const char *reason,
                               smtrust_ledger_history **history) {
  return smtrust_ledger_retrieve(ledger, (const uint8_t *)serial, strlen(serial),
                                 (const uint8_t *)"samr-9", 6, (const uint8_t *)reason,
                                 strlen(reason), 1780000100u, history);
}

/* Reads the history's JSON with the two-call pattern; the caller frees it. */
static char *history_json(const smtrust_ledger_history *history) {
  size_t needed = 0;
  EXPECT_OK(smtrust_ledger_history_json(history, NULL, 0, &needed));
  char *json = malloc(needed);
  size_t written = 0;
  EXPECT_STATUS(smtrust_ledger_history_json(history, json, needed - 1, &written),
                SMTRUST_STATUS_BUFFER_TOO_SMALL);
  EXPECT(written == needed);
  EXPECT_OK(smtrust_ledger_history_json(history, json, needed, &written));
  EXPECT(written == needed && json[needed - 1] == '\0');
  return json;
}

/* Exports the history's bundle in `format`; the caller frees it. */
static uint8_t *bundle_of(const smtrust_ledger_history *history, uint32_t format, size_t *len) {
  EXPECT_OK(smtrust_ledger_history_bundle(history, format, NULL, 0, len));
  uint8_t *bundle = malloc(*len);
  EXPECT_OK(smtrust_ledger_history_bundle(history, format, bundle, *len, len));
  return bundle;
}

static smtrust_status verify_bundle(const uint8_t *bundle, size_t len,
                                    const smtrust_sm2_public_key *key, char **report) {
  size_t needed = 0;
  smtrust_status status = smtrust_evidence_bundle_verify(bundle, len, NULL, 0, key, NULL, 0,
                                                         &needed);
  if (status != SMTRUST_STATUS_OK) {
    return status;
  }
  *report = malloc(needed);
  return smtrust_evidence_bundle_verify(bundle, len, (const uint8_t *)LOG_NAME,
                                        strlen(LOG_NAME), key, *report, needed, &needed);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: ledger_roundtrip DB_PATH\n");
    return 2;
  }
  const char *path = argv[1];
  uint8_t scalar[32];
  memset(scalar, 5, sizeof scalar);
  smtrust_sm2_secret_key *log_key = NULL;
  EXPECT_OK(smtrust_sm2_secret_key_import(scalar, sizeof scalar,
                                          SMTRUST_SM2_PRIVATE_KEY_FORMAT_RAW, &log_key));
  smtrust_sm2_public_key *log_public = NULL;
  EXPECT_OK(smtrust_sm2_secret_key_public_key(log_key, &log_public));

  smtrust_ledger *ledger = NULL;
  EXPECT_OK(smtrust_ledger_open((const uint8_t *)path, strlen(path), (const uint8_t *)LOG_NAME,
                                strlen(LOG_NAME), log_key, &ledger));

  /* Appends: each returns its leaf once durable. */
  uint64_t leaf = 99;
  EXPECT_OK(append(ledger, "SH-C-1", SMTRUST_LEDGER_ROLE_INSTITUTION,
                   SMTRUST_LEDGER_EVENT_VERIFICATION_RECORDED, "signed-record-der", "", &leaf));
  EXPECT(leaf == 0);
  EXPECT_OK(append(ledger, "SH-C-2", SMTRUST_LEDGER_ROLE_REGISTRAR,
                   SMTRUST_LEDGER_EVENT_DECISION_MADE, "approved", "samr-online", &leaf));
  EXPECT(leaf == 1);
  EXPECT_OK(append(ledger, "SH-C-1", SMTRUST_LEDGER_ROLE_REGISTRAR,
                   SMTRUST_LEDGER_EVENT_SEAL_APPLIED, "digest-32-bytes-of-sm3-output!!", "cert",
                   &leaf));
  EXPECT(leaf == 2);

  /* The permission table: an auditor may not append (the refusal is recorded at leaf 3). */
  leaf = 99;
  EXPECT_STATUS(append(ledger, "SH-C-1", SMTRUST_LEDGER_ROLE_AUDITOR,
                       SMTRUST_LEDGER_EVENT_DECISION_MADE, "approved", "x", &leaf),
                SMTRUST_STATUS_LEDGER_ACCESS_DENIED);
  EXPECT(leaf == 99);
  EXPECT_STATUS(append(ledger, "SH C 1", SMTRUST_LEDGER_ROLE_REGISTRAR,
                       SMTRUST_LEDGER_EVENT_DECISION_MADE, "approved", "x", &leaf),
                SMTRUST_STATUS_LEDGER_INVALID_ENTRY);
  EXPECT_STATUS(append(ledger, "SH-C-1", 9, SMTRUST_LEDGER_EVENT_DECISION_MADE, "a", "b", &leaf),
                SMTRUST_STATUS_INVALID_PARAMETER);
  EXPECT_STATUS(append(ledger, "SH-C-1", SMTRUST_LEDGER_ROLE_REGISTRAR, 0, "a", "b", &leaf),
                SMTRUST_STATUS_INVALID_PARAMETER);
  EXPECT_STATUS(append(ledger, "SH-C-1", SMTRUST_LEDGER_ROLE_INSTITUTION,
                       SMTRUST_LEDGER_EVENT_VERIFICATION_RECORDED, "record", "extra", &leaf),
                SMTRUST_STATUS_INVALID_PARAMETER);
  EXPECT_STATUS(append(NULL, "SH-C-1", SMTRUST_LEDGER_ROLE_REGISTRAR,
                       SMTRUST_LEDGER_EVENT_DECISION_MADE, "a", "b", &leaf),
                SMTRUST_STATUS_NULL_POINTER);
  EXPECT_STATUS(append(ledger, "SH-C-1", SMTRUST_LEDGER_ROLE_REGISTRAR,
                       SMTRUST_LEDGER_EVENT_DECISION_MADE, "a", "b", NULL),
                SMTRUST_STATUS_NULL_POINTER);

  /* A retrieval needs a reason; with one, it is logged (leaf 4) before data is returned. */
  smtrust_ledger_history *history = NULL;
  EXPECT_STATUS(retrieve(ledger, "SH-C-1", "", &history), SMTRUST_STATUS_LEDGER_INVALID_ENTRY);
  EXPECT(history == NULL);
  EXPECT_OK(retrieve(ledger, "SH-C-1", "annual inspection", &history));
  char *json = history_json(history);
  EXPECT(strstr(json, "\"serial\":\"SH-C-1\"") != NULL);
  EXPECT(strstr(json, "\"kind\":\"retrieved\"") != NULL);
  EXPECT(strstr(json, "\"reason\":\"annual inspection\"") != NULL);
  EXPECT(strstr(json, "\"kind\":\"access_denied\"") != NULL);
  EXPECT(strstr(json, "\"size\":5") != NULL);
  free(json);

  /* The evidence bundle verifies offline with the public key alone, DER and PEM. */
  size_t der_len = 0;
  uint8_t *der = bundle_of(history, SMTRUST_BUNDLE_FORMAT_DER, &der_len);
  char *report = NULL;
  EXPECT_OK(verify_bundle(der, der_len, log_public, &report));
  EXPECT(report != NULL && strstr(report, "\"leaf\":4") != NULL);
  free(report);
  size_t pem_len = 0;
  uint8_t *pem = bundle_of(history, SMTRUST_BUNDLE_FORMAT_PEM, &pem_len);
  EXPECT(pem_len > 40 && memcmp(pem, "-----BEGIN SMTRUST EVIDENCE BUNDLE-----", 39) == 0);
  report = NULL;
  EXPECT_OK(verify_bundle(pem, pem_len, log_public, &report));
  free(report);
  free(pem);
  EXPECT_STATUS(smtrust_ledger_history_bundle(history, 3, NULL, 0, &pem_len),
                SMTRUST_STATUS_INVALID_PARAMETER);

  /* Another key, a truncated bundle: refused with their codes, nothing written. */
  uint8_t other_scalar[32];
  memset(other_scalar, 6, sizeof other_scalar);
  smtrust_sm2_secret_key *other_key = NULL;
  EXPECT_OK(smtrust_sm2_secret_key_import(other_scalar, sizeof other_scalar,
                                          SMTRUST_SM2_PRIVATE_KEY_FORMAT_RAW, &other_key));
  smtrust_sm2_public_key *other_public = NULL;
  EXPECT_OK(smtrust_sm2_secret_key_public_key(other_key, &other_public));
  report = NULL;
  EXPECT_STATUS(verify_bundle(der, der_len, other_public, &report),
                SMTRUST_STATUS_BUNDLE_INVALID);
  EXPECT(report == NULL);
  EXPECT_STATUS(verify_bundle(der, der_len - 1, log_public, &report),
                SMTRUST_STATUS_BUNDLE_MALFORMED);
  EXPECT_STATUS(verify_bundle(NULL, 5, log_public, &report), SMTRUST_STATUS_NULL_POINTER);
  free(der);

  /* The whole log checks; a second ledger on the same file under another name is refused. */
  EXPECT_OK(smtrust_ledger_verify(ledger));
  smtrust_ledger *wrong = NULL;
  EXPECT_STATUS(smtrust_ledger_open((const uint8_t *)path, strlen(path),
                                    (const uint8_t *)"other.example/log", 17, log_key, &wrong),
                SMTRUST_STATUS_LEDGER_WRONG_LOG);
  EXPECT(wrong == NULL);
  EXPECT_STATUS(smtrust_ledger_open((const uint8_t *)path, strlen(path),
                                    (const uint8_t *)LOG_NAME, strlen(LOG_NAME), other_key,
                                    &wrong),
                SMTRUST_STATUS_LEDGER_WRONG_LOG);

  /* Handles: the wrong type and a freed handle are refused, not read. */
  EXPECT_STATUS(smtrust_ledger_verify((const smtrust_ledger *)history),
                SMTRUST_STATUS_INVALID_HANDLE);
  EXPECT_OK(smtrust_ledger_history_free(history));
  EXPECT_STATUS(smtrust_ledger_history_json(history, NULL, 0, &pem_len),
                SMTRUST_STATUS_INVALID_HANDLE);
  EXPECT_OK(smtrust_ledger_free(ledger));
  EXPECT_STATUS(smtrust_ledger_verify(ledger), SMTRUST_STATUS_INVALID_HANDLE);
  EXPECT_STATUS(smtrust_ledger_free(ledger), SMTRUST_STATUS_INVALID_HANDLE);
  EXPECT_OK(smtrust_ledger_free(NULL));
  EXPECT_OK(smtrust_ledger_history_free(NULL));

  /* Reopened, the ledger continues where it was. */
  EXPECT_OK(smtrust_ledger_open((const uint8_t *)path, strlen(path), (const uint8_t *)LOG_NAME,
                                strlen(LOG_NAME), log_key, &ledger));
  EXPECT_OK(append(ledger, "SH-C-2", SMTRUST_LEDGER_ROLE_REGISTRAR,
                   SMTRUST_LEDGER_EVENT_DOCUMENT_SIGNED, "digest", "cert", &leaf));
  EXPECT(leaf == 5);
  EXPECT_OK(smtrust_ledger_verify(ledger));
  EXPECT_OK(smtrust_ledger_free(ledger));

  EXPECT_OK(smtrust_sm2_public_key_free(other_public));
  EXPECT_OK(smtrust_sm2_secret_key_free(other_key));
  EXPECT_OK(smtrust_sm2_public_key_free(log_public));
  EXPECT_OK(smtrust_sm2_secret_key_free(log_key));
  printf("ledger_roundtrip: %d failures\n", failures);
  return failures == 0 ? 0 : 1;
}
