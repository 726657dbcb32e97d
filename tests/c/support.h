/* What the C test programs share: the emulator (its URL, its control API over a tiny HTTP
 * client), the attachment data, a logged-in client, and the progress and read callbacks that
 * record what the library reported. Header-only: functions are `static inline` so that a test
 * program may leave some unused under -Wall -Werror.
 *
 * Environment: SS_TEST_URL, the emulator's base URL (http://127.0.0.1:PORT, control API on);
 * SS_TEST_TMPDIR, where to write attachment files (default /tmp); SS_TEST_VERBOSE, print the
 * message of every expected failure. */
#ifndef SS_TEST_SUPPORT_H
#define SS_TEST_SUPPORT_H

#if !defined(__cplusplus) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "sendsecure.h"
#include "check.h"


/* Not valid UTF-8. */
#define BAD_UTF8 "\xff\xfe"

#define ACCOUNT "acme"
#define USER_EMAIL "demo@acme.example"
#define BOB_EMAIL "bob@acme.example"
#define DEVICE_ID "c-api-tests"
#define DEVICE_NAME "libsendsecure C tests"

/* Attachment sizes: a file of two upload blocks (256 KiB each), bytes, and a stream. */
#define FILE_SIZE (300u * 1024u)
#define BYTES_SIZE 5000u
#define STREAM_SIZE 70000u
#define FD_OFFSET 1000

static const char *g_url;          /* the emulator */
static char g_host[256];
static char g_port[16];
static char g_dir[512];            /* temporary directory of the attachment files */
static char g_file[600];           /* FILE_SIZE bytes: report.pdf */
static unsigned char g_bytes[BYTES_SIZE];
static unsigned char g_stream_data[STREAM_SIZE];

/* ---------------------------------------------------------------------------------------------
 * The emulator's control API, over a raw HTTP/1.1 connection (no dependency). */

/* Sends one request to `/_emulator/{path}`; returns the HTTP status (-1 when unreachable) and
 * copies the response body into `body` (may be NULL). */
static inline int control(const char *method, const char *path, const char *json, char *body, size_t body_len) {
    static char response[1 << 16];
    struct addrinfo hints;
    struct addrinfo *addr = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(g_host, g_port, &hints, &addr) != 0) return -1;
    int fd = socket(addr->ai_family, addr->ai_socktype, addr->ai_protocol);
    if (fd < 0 || connect(fd, addr->ai_addr, addr->ai_addrlen) != 0) {
        if (fd >= 0) close(fd);
        freeaddrinfo(addr);
        return -1;
    }
    freeaddrinfo(addr);
    char request[2048];
    int n = snprintf(request, sizeof request,
                     "%s /_emulator/%s HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                     method, path, g_host, g_port, json ? strlen(json) : (size_t)0, json ? json : "");
    for (int sent = 0; n > 0 && sent < n;) {
        ssize_t w = write(fd, request + sent, (size_t)(n - sent));
        if (w <= 0) break;
        sent += (int)w;
    }
    size_t got = 0;
    ssize_t r;
    while (got + 1 < sizeof response && (r = read(fd, response + got, sizeof response - 1 - got)) > 0) got += (size_t)r;
    response[got] = '\0';
    close(fd);
    int status = -1;
    if (sscanf(response, "HTTP/1.%*d %d", &status) != 1) return -1;
    const char *start = strstr(response, "\r\n\r\n");
    if (body != NULL && body_len > 0) snprintf(body, body_len, "%s", start ? start + 4 : "");
    return status;
}

/* Adds a fault: answer the next `method` request under `path` with `status` and `body_json`
 * (JSON) or `body_text` (any text without quotes). */
static inline int inject(const char *method, const char *path, int status, const char *body_json, const char *body_text) {
    char rule[1024];
    snprintf(rule, sizeof rule, "{\"kind\":\"respond\",\"method\":\"%s\",\"path\":\"%s\",\"status\":%d,\"count\":1%s%s%s%s%s}",
             method, path, status, body_json ? ",\"body\":" : "", body_json ? body_json : "",
             body_text ? ",\"body_text\":\"" : "", body_text ? body_text : "", body_text ? "\"" : "");
    int http = control("POST", "faults", rule, NULL, 0);
    return http >= 200 && http < 300;
}

/* Makes the emulator answer every request `ms` late (0: on time again); whether it took it.
 * Used around a stop in the middle of an upload, so that no upload can be complete before the
 * stop is handled, however busy the machine. */
static inline int set_latency(int ms) {
    char json[64];
    snprintf(json, sizeof json, "{\"ms\":%d}", ms);
    return control("PUT", "latency", json, NULL, 0) / 100 == 2;
}

static inline void clear_faults(void) {
    int status = control("DELETE", "faults", NULL, NULL, 0);
    CHECK(status >= 200 && status < 300);
}

/* ---------------------------------------------------------------------------------------------
 * Helpers */

static inline int write_file(const char *path, const unsigned char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (f == NULL) return 0;
    size_t n = fwrite(data, 1, len, f);
    return fclose(f) == 0 && n == len;
}

static inline void fill(unsigned char *data, size_t len, uint32_t seed) {
    for (size_t i = 0; i < len; i++) {
        seed = seed * 1103515245u + 12345u;
        data[i] = (unsigned char)(seed >> 16);
    }
}

/* Logs in as the demo user. */
static inline ss_user_token *demo_token(void) {
    ss_user_token *token = NULL;
    CHECK_RC(ss_get_user_token(ACCOUNT, "demo", "demo-password", DEVICE_ID, DEVICE_NAME, NULL, g_url, NULL, NULL, &token),
             SS_OK);
    return token;
}

/* A client for `token_text` on the demo account (NULL on failure); `concurrency` 0 for the
 * default number of parallel uploads. */
static inline ss_client *client_for(const char *token_text, int64_t user_id, uint32_t concurrency) {
    ss_client_options options;
    ss_client_options_init(&options);
    options.user_id = user_id;
    if (concurrency > 0) options.upload_concurrency = concurrency;
    ss_client *client = NULL;
    CHECK_RC(ss_client_new(token_text, ACCOUNT, g_url, &options, &client), SS_OK);
    return client;
}

/* A SafeBox of the demo user with one recipient and a message. */
static inline ss_safebox *new_safebox(const char *owner) {
    ss_safebox *sb = NULL;
    CHECK_RC(ss_safebox_new(owner, &sb), SS_OK);
    CHECK_RC(ss_safebox_set_subject(sb, "C API test"), SS_OK);
    CHECK_RC(ss_safebox_set_message(sb, "Hello from the C tests."), SS_OK);
    CHECK_RC(ss_safebox_add_recipient(sb, "guest@example.com", NULL), SS_OK);
    return sb;
}

/* ---------------------------------------------------------------------------------------------
 * Callbacks */

/* What a progress callback saw. */
#define MAX_REPORTED 8
typedef struct {
    pthread_t caller;            /* the thread that made the call */
    int calls;
    int wrong_thread;            /* reports on another thread */
    int non_monotone;            /* bytes_sent going down */
    int inconsistent;            /* fields out of range or changing totals */
    uint64_t last_sent, last_total;
    size_t last_index, last_count;
    uint64_t last_attachment_sent, last_attachment_total;
    uint64_t attachment_sent[MAX_REPORTED], attachment_total[MAX_REPORTED]; /* per attachment */
    int sequential;              /* uploads one after the other: indexes never go back */
    int abort_at_call;           /* return non-zero from this call on (0: never) */
    int abort_after_bytes;       /* return non-zero once some bytes were sent */
    const ss_client *client;     /* when set: re-enter the library from the first report */
    int reentered;
    ss_result reentry_settings, reentry_profiles, reentry_token;
    int reentry_outs_untouched;
    char reentry_message[512];
} progress_log;

static inline void progress_log_init(progress_log *log) {
    memset(log, 0, sizeof *log);
    log->caller = pthread_self();
}

/* Calls blocking functions from inside a callback: each must refuse with SS_ERR_INVALID_STATE. */
static inline void reenter(const ss_client *client, ss_result *settings_rc, ss_result *profiles_rc, ss_result *token_rc,
                    int *outs_untouched, char *message, size_t message_len) {
    ss_enterprise_settings *settings = NULL;
    ss_security_profile_list *list = NULL;
    ss_user_token *token = NULL;
    *settings_rc = ss_get_enterprise_settings(client, &settings);
    *profiles_rc = ss_get_security_profiles(client, USER_EMAIL, &list);
    *token_rc = ss_get_user_token(ACCOUNT, "demo", "demo-password", DEVICE_ID, DEVICE_NAME, NULL, g_url, NULL, NULL, &token);
    ss_last_error_message(message, message_len);
    *outs_untouched = settings == NULL && list == NULL && token == NULL;
    ss_enterprise_settings_free(settings);
    ss_security_profile_list_free(list);
    ss_user_token_free(token);
}

static inline int on_progress(void *user_data, const ss_progress *p) {
    progress_log *log = (progress_log *)user_data;
    log->calls++;
    if (!pthread_equal(pthread_self(), log->caller)) log->wrong_thread++;
    if (p == NULL) {
        log->inconsistent++;
        return 0;
    }
    if (log->calls > 1 && p->bytes_sent < log->last_sent) log->non_monotone++;
    if (p->attachment_index >= p->attachment_count || p->attachment_bytes_sent > p->attachment_bytes_total ||
        p->bytes_sent > p->bytes_total)
        log->inconsistent++;
    if (log->calls > 1 && (p->bytes_total != log->last_total || p->attachment_count != log->last_count))
        log->inconsistent++;
    if (log->sequential && log->calls > 1 && p->attachment_index < log->last_index) log->inconsistent++;
    if (p->attachment_index < MAX_REPORTED) {
        /* Each attachment's own count never goes down either, and its size never changes. */
        if (p->attachment_bytes_sent < log->attachment_sent[p->attachment_index]) log->non_monotone++;
        if (log->attachment_total[p->attachment_index] != 0 &&
            log->attachment_total[p->attachment_index] != p->attachment_bytes_total)
            log->inconsistent++;
        log->attachment_sent[p->attachment_index] = p->attachment_bytes_sent;
        log->attachment_total[p->attachment_index] = p->attachment_bytes_total;
    }
    log->last_sent = p->bytes_sent;
    log->last_total = p->bytes_total;
    log->last_index = p->attachment_index;
    log->last_count = p->attachment_count;
    log->last_attachment_sent = p->attachment_bytes_sent;
    log->last_attachment_total = p->attachment_bytes_total;
    if (log->client != NULL && !log->reentered) {
        log->reentered = 1;
        reenter(log->client, &log->reentry_settings, &log->reentry_profiles, &log->reentry_token,
                &log->reentry_outs_untouched, log->reentry_message, sizeof log->reentry_message);
    }
    if (log->abort_at_call > 0 && log->calls >= log->abort_at_call) return 1;
    if (log->abort_after_bytes && p->bytes_sent > 0) return 1;
    return 0;
}

/* Checks a completed upload's reports: all on the caller's thread, bytes_sent never going down,
 * the last report at the total, every attachment reported up to its size. A failure also prints
 * the caller's line and what the reports were. */
#define check_progress(log, total, count) check_progress_at((log), (total), (count), __FILE__, __LINE__)
static inline void check_progress_at(const progress_log *log, uint64_t total, size_t count, const char *file,
                                     int line) {
    int failed = checks_failed;
    CHECK(log->calls >= (int)count);
    CHECK(log->wrong_thread == 0);
    CHECK(log->non_monotone == 0);
    CHECK(log->inconsistent == 0);
    CHECK(log->last_total == total);
    CHECK(log->last_sent == total);
    CHECK(log->last_count == count);
    CHECK(log->last_attachment_sent == log->last_attachment_total);
    if (log->sequential) CHECK(log->last_index + 1 == count);
    uint64_t sum = 0;
    for (size_t i = 0; i < count && i < MAX_REPORTED; i++) {
        CHECK(log->attachment_sent[i] == log->attachment_total[i]);
        sum += log->attachment_total[i];
    }
    CHECK(count > MAX_REPORTED || sum == total);
    if (checks_failed != failed)
        fprintf(stderr,
                "%s:%d: check_progress(total %" PRIu64 ", count %zu) failed: %d reports, last: %" PRIu64 "/%" PRIu64
                " bytes, attachment %zu of %zu (%" PRIu64 "/%" PRIu64 ")\n",
                file, line, total, count, log->calls, log->last_sent, log->last_total, log->last_index,
                log->last_count, log->last_attachment_sent, log->last_attachment_total);
}

/* A stream attachment's source. */
typedef struct {
    const unsigned char *data;
    size_t size;
    size_t pos;
    int fail;                    /* return -1 once `pos` reaches `fail_at` */
    size_t fail_at;
    int overreport;              /* claim len + 1 bytes (more than asked) */
    pthread_t caller;
    int calls;
    int wrong_thread;
    const ss_client *client;     /* when set: re-enter the library from the first read */
    int reentered;
    ss_result reentry_settings, reentry_profiles, reentry_token;
    int reentry_outs_untouched;
    char reentry_message[512];
} stream_source;

static inline void stream_init(stream_source *s, const unsigned char *data, size_t size) {
    memset(s, 0, sizeof *s);
    s->data = data;
    s->size = size;
    s->caller = pthread_self();
}

static inline int64_t on_read(void *user_data, uint8_t *buf, size_t len) {
    stream_source *s = (stream_source *)user_data;
    s->calls++;
    if (!pthread_equal(pthread_self(), s->caller)) s->wrong_thread++;
    if (s->client != NULL && !s->reentered) {
        s->reentered = 1;
        reenter(s->client, &s->reentry_settings, &s->reentry_profiles, &s->reentry_token, &s->reentry_outs_untouched,
                s->reentry_message, sizeof s->reentry_message);
    }
    if (s->fail && s->pos >= s->fail_at) return -1;
    if (s->overreport) return (int64_t)len + 1;
    size_t n = s->size - s->pos;
    if (n > len) n = len;
    if (s->fail && s->pos + n > s->fail_at) n = s->fail_at - s->pos;
    memcpy(buf, s->data + s->pos, n);
    s->pos += n;
    return (int64_t)n;
}

/* Whether the emulator stored a document of `size` bytes in SafeBox `guid`. */
static inline int stored_size(const char *guid, unsigned size) {
    static char body[1 << 15];
    char path[128];
    char needle[64];
    snprintf(path, sizeof path, "safeboxes/%s", guid);
    snprintf(needle, sizeof needle, "\"size\":%u", size);
    return control("GET", path, NULL, body, sizeof body) == 200 && contains(body, needle);
}

/* Reads the environment, writes the attachment files and checks the control API answers;
 * 0 (with a message) when the tests cannot run. */
static inline int support_setup(void) {
    g_url = getenv("SS_TEST_URL");
    if (g_url == NULL || g_url[0] == '\0') {
        fprintf(stderr, "set SS_TEST_URL to the emulator's URL (http://127.0.0.1:PORT)\n");
        return 0;
    }
    const char *host = strstr(g_url, "://");
    host = host ? host + 3 : g_url;
    const char *colon = strchr(host, ':');
    if (colon == NULL || (size_t)(colon - host) >= sizeof g_host) {
        fprintf(stderr, "SS_TEST_URL must be http://HOST:PORT, not %s\n", g_url);
        return 0;
    }
    memcpy(g_host, host, (size_t)(colon - host));
    g_host[colon - host] = '\0';
    snprintf(g_port, sizeof g_port, "%.*s", (int)strcspn(colon + 1, "/"), colon + 1);

    const char *tmp = getenv("SS_TEST_TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/ss-c-test-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(g_dir) == NULL) {
        fprintf(stderr, "mkdtemp %s: %s\n", g_dir, strerror(errno));
        return 0;
    }
    static unsigned char file_data[FILE_SIZE];
    fill(file_data, sizeof file_data, 1);
    fill(g_bytes, sizeof g_bytes, 2);
    fill(g_stream_data, sizeof g_stream_data, 3);
    snprintf(g_file, sizeof g_file, "%s/report.pdf", g_dir);
    if (!write_file(g_file, file_data, sizeof file_data)) {
        fprintf(stderr, "cannot write %s\n", g_file);
        return 0;
    }
    if (control("DELETE", "faults", NULL, NULL, 0) != 204) {
        fprintf(stderr, "the emulator's control API does not answer at %s\n", g_url);
        return 0;
    }
    return 1;
}

/* Removes the attachment files. */
static inline void support_cleanup(void) {
    unlink(g_file);
    rmdir(g_dir);
}

/* ---------------------------------------------------------------------------------------------
 * SendSafely (workspaces and trusted-device keys): clients of the SendSafely emulator and the
 * service's code of a refusal. */

/* A SendSafely client of `api_key` on SS_TEST_SENDSAFELY_URL (NULL on failure). */
static inline ss_sendsafely_client *sendsafely_client(const char *api_key, const char *api_secret) {
    ss_sendsafely_client *client = NULL;
    CHECK_RC(ss_sendsafely_client_new(getenv("SS_TEST_SENDSAFELY_URL"), api_key, api_secret, NULL, &client), SS_OK);
    return client;
}

/* Checks that the last error's service code is `want` (e.g. "INVALID_INPUT"). */
static inline int check_api_code_at(const char *want, const char *file, int line) {
    char code[64];
    ss_last_error_api_code_name(code, sizeof code);
    return check_str(code, want, "ss_last_error_api_code_name", file, line);
}

/* `expr` must fail with SS_ERR_API and the service's code `name`. */
#define CHECK_API(expr, name)                                                                                   \
    do {                                                                                                        \
        if (CHECK_ERR((expr), SS_ERR_API, NULL)) check_api_code_at((name), __FILE__, __LINE__);                 \
    } while (0)

#endif
