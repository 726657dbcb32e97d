/* Shared helpers of the libsendsecure C examples: settings from arguments or environment, and
 * error reporting. */
#ifndef SS_EXAMPLE_COMMON_H
#define SS_EXAMPLE_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include "sendsecure.h"

/* The value of environment variable `name`, or `fallback`. */
static const char *setting(const char *name, const char *fallback) {
    const char *value = getenv(name);
    return (value != NULL && value[0] != '\0') ? value : fallback;
}

/* Prints what failed and why (result code, message, HTTP status and server body), returns 1. */
static int report_failure(const char *what, ss_result rc) {
    char message[1024];
    char body[1024];
    ss_last_error_message(message, sizeof message);
    fprintf(stderr, "%s failed: %s (%u): %s\n", what, ss_result_str(rc), (unsigned)rc, message);
    if (ss_last_error_http_status() != 0) {
        ss_last_error_body(body, sizeof body);
        fprintf(stderr, "  HTTP %d: %s\n", ss_last_error_http_status(), body);
    }
    return 1;
}

#endif
