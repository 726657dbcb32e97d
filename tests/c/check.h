/* Minimal checks for the libsendsecure C tests: every check counts as passed or failed, a failure
 * prints its file:line and what was expected, and the program ends with "N passed, M failed".
 * Valid C11 and C++17. Checks are not thread-safe: make them from one thread at a time. */
#ifndef SS_TEST_CHECK_H
#define SS_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sendsecure.h"

static int checks_passed;
static int checks_failed;

/* Counts one check; prints it when it failed. Returns whether it passed. */
static inline int check_true(int ok, const char *what, const char *file, int line) {
    if (ok) {
        checks_passed++;
        return 1;
    }
    checks_failed++;
    fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what);
    return 0;
}

#define CHECK(cond) check_true((cond) ? 1 : 0, #cond, __FILE__, __LINE__)

/* Compares two strings, NULL included (NULL equals only NULL). */
static inline int check_str(const char *got, const char *want, const char *what, const char *file, int line) {
    int ok = (got == NULL || want == NULL) ? got == want : strcmp(got, want) == 0;
    if (ok) {
        checks_passed++;
        return 1;
    }
    checks_failed++;
    fprintf(stderr, "%s:%d: FAILED: %s: got %s%s%s, expected %s%s%s\n", file, line, what, got ? "\"" : "",
            got ? got : "NULL", got ? "\"" : "", want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
    return 0;
}

#define CHECK_STR(got, want) check_str((got), (want), #got, __FILE__, __LINE__)

/* Whether `text` (may be NULL) contains `needle`. */
static inline int contains(const char *text, const char *needle) {
    return text != NULL && needle != NULL && strstr(text, needle) != NULL;
}

/* Whether the message is readable: printable text (UTF-8 allowed), no control characters. */
static inline int readable(const char *text) {
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) return 0;
    }
    return 1;
}

/* Checks a call's result against the documented one, and this thread's last error with it:
 * after success the last error is cleared (code SS_OK, empty message); after a failure it has
 * the same code and a non-empty, readable message that contains `needle` (unless NULL). */
static inline int check_result(ss_result got, ss_result want, const char *needle, const char *expr, const char *file,
                        int line) {
    char message[4096];
    size_t length = ss_last_error_message(message, sizeof message);
    ss_result code = ss_last_error_code();
    const char *why = NULL;
    if (got != want) {
        why = "wrong result";
    } else if (want == SS_OK) {
        if (code != SS_OK || length != 0 || message[0] != '\0') why = "the last error was not cleared by the success";
    } else if (code != want) {
        why = "ss_last_error_code() is not the result";
    } else if (length == 0 || message[0] == '\0') {
        why = "empty ss_last_error_message()";
    } else if (length != strlen(message) && length < sizeof message) {
        why = "ss_last_error_message() returned a length that is not the message's";
    } else if (!readable(message)) {
        why = "the message has control characters";
    } else if (want != SS_ERR_PANIC && contains(message, "panic")) {
        why = "the message reports a panic";
    } else if (needle != NULL && !contains(message, needle)) {
        why = "the message lacks the expected text";
    }
    if (why == NULL) {
        checks_passed++;
        if (want != SS_OK && getenv("SS_TEST_VERBOSE") != NULL)
            fprintf(stderr, "  ok %s -> %s: %s\n", expr, ss_result_str(got), message);
        return 1;
    }
    checks_failed++;
    fprintf(stderr, "%s:%d: FAILED: %s: %s: got %u (%s), expected %u (%s); last error %u: \"%s\"%s%s%s\n", file, line,
            expr, why, (unsigned)got, ss_result_str(got), (unsigned)want, ss_result_str(want), (unsigned)code, message,
            needle ? " (expected text: \"" : "", needle ? needle : "", needle ? "\")" : "");
    return 0;
}

/* `expr` must return `want`; the last error must agree (see check_result). */
#define CHECK_RC(expr, want) check_result((expr), (want), NULL, #expr, __FILE__, __LINE__)
/* `expr` must fail with `want`, its message containing `needle`. */
#define CHECK_ERR(expr, want, needle) check_result((expr), (want), (needle), #expr, __FILE__, __LINE__)

/* Prints the totals; the exit status of the test program. */
static inline int check_summary(void) {
    printf("%d passed, %d failed\n", checks_passed, checks_failed);
    fflush(stdout);
    return checks_failed > 0 ? 1 : 0;
}

#endif
