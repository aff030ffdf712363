/*
 * check.h - small helpers shared by the C examples: status checks with the library's own
 * message, hex decoding, and reading the vector file the Rust test writes.
 *
 * Vector file: one case per line, fields separated by single spaces; "-" is a field that
 * does not apply and "." is the empty byte string.
 */
#ifndef SMTRUST_EXAMPLE_CHECK_H
#define SMTRUST_EXAMPLE_CHECK_H

#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smtrust.h"

static int failures = 0;

/* Prints the library's message for the most recent call on this thread. */
static inline void print_last_error(void) {
  size_t needed = 0;
  if (smtrust_last_error(NULL, 0, &needed) != SMTRUST_STATUS_OK) {
    fprintf(stderr, "  (smtrust_last_error failed)\n");
    return;
  }
  char *message = malloc(needed);
  if (message == NULL) {
    return;
  }
  size_t written = 0;
  if (smtrust_last_error(message, needed, &written) == SMTRUST_STATUS_OK) {
    fprintf(stderr, "  last error: %s\n", message);
  }
  free(message);
}

/* The header name of a status code, in one of four static buffers (so that two names can be
 * printed in one call). */
static inline const char *status_name(smtrust_status status) {
  static char names[4][96];
  static unsigned next = 0;
  char *name = names[next++ % 4];
  size_t written = 0;
  if (smtrust_status_name(status, name, sizeof names[0], &written) != SMTRUST_STATUS_OK) {
    snprintf(name, sizeof names[0], "unknown status %u", (unsigned)status);
  }
  return name;
}

static inline void fail(const char *file, int line, const char *format, ...) {
  va_list args;
  va_start(args, format);
  fprintf(stderr, "%s:%d: ", file, line);
  vfprintf(stderr, format, args);
  fprintf(stderr, "\n");
  va_end(args);
  failures++;
}

/* Requires that `call` returns `expected`. */
#define EXPECT_STATUS(call, expected)                                                      \
  do {                                                                                     \
    smtrust_status got_ = (call);                                                          \
    smtrust_status want_ = (expected);                                                     \
    if (got_ != want_) {                                                                   \
      print_last_error(); /* before any other call replaces the message */                 \
      fail(__FILE__, __LINE__, "%s gave %s, expected %s", #call, status_name(got_),        \
           status_name(want_));                                                            \
    }                                                                                      \
  } while (0)

#define EXPECT_OK(call) EXPECT_STATUS(call, SMTRUST_STATUS_OK)

#define EXPECT(condition)                                                                  \
  do {                                                                                     \
    if (!(condition)) {                                                                    \
      fail(__FILE__, __LINE__, "expected %s", #condition);                                 \
    }                                                                                      \
  } while (0)

/* A byte string decoded from a vector field; `present` is 0 for "-". */
typedef struct {
  uint8_t *bytes;
  size_t len;
  int present;
} field;

static inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes a hex field ("." empty, "-" absent). Exits on malformed input. */
static inline field decode_field(const char *text) {
  field out = {NULL, 0, 1};
  if (strcmp(text, "-") == 0) {
    out.present = 0;
    return out;
  }
  if (strcmp(text, ".") == 0) {
    out.bytes = malloc(1);
    return out;
  }
  size_t hex_len = strlen(text);
  if (hex_len % 2 != 0) {
    fprintf(stderr, "odd-length hex field: %s\n", text);
    exit(2);
  }
  out.len = hex_len / 2;
  out.bytes = malloc(out.len);
  for (size_t i = 0; i < out.len; i++) {
    int high = hex_value(text[2 * i]);
    int low = hex_value(text[2 * i + 1]);
    if (high < 0 || low < 0 || out.bytes == NULL) {
      fprintf(stderr, "bad hex field: %s\n", text);
      exit(2);
    }
    out.bytes[i] = (uint8_t)(high * 16 + low);
  }
  return out;
}

static inline void free_field(field *f) {
  free(f->bytes);
  f->bytes = NULL;
}

static inline int same_bytes(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len) {
  return a_len == b_len && (a_len == 0 || memcmp(a, b, a_len) == 0);
}

#define MAX_FIELDS 16

/* Splits `line` in place into at most MAX_FIELDS space-separated fields. */
static inline size_t split_fields(char *line, char **fields) {
  size_t count = 0;
  char *save = NULL;
  for (char *token = strtok_r(line, " \n", &save); token != NULL && count < MAX_FIELDS;
       token = strtok_r(NULL, " \n", &save)) {
    fields[count++] = token;
  }
  return count;
}

/* Looks up a status code by its header name (codes are below 2000; see smtrust_status). */
static inline smtrust_status status_by_name(const char *name) {
  static char names[2000][64];
  static int loaded = 0;
  if (!loaded) {
    for (uint32_t code = 0; code < 2000; code++) {
      size_t written = 0;
      if (smtrust_status_name(code, names[code], sizeof names[code], &written) !=
          SMTRUST_STATUS_OK) {
        names[code][0] = '\0';
      }
    }
    loaded = 1;
  }
  for (uint32_t code = 0; code < 2000; code++) {
    if (strcmp(names[code], name) == 0) {
      return code;
    }
  }
  fprintf(stderr, "unknown status name %s\n", name);
  exit(2);
}

#endif
