/* Timeouts, retries and the exactly-once commit from C, against sendsecure-emulator's fault
 * injection: the new ss_client_options fields and their defaults, rewindable stream attachments
 * (arguments; a stream whose upload is cut is rewound once, on the caller's thread, and stored
 * whole), plain streams not retried, a failing rewind callback, a stalled upload ending with
 * SS_ERR_TIMEOUT, a commit whose answer is lost ending as one SafeBox, a GET retried on 503.
 *
 * Run by tests/c_api.rs like every tests/c/test_*.c (see test_api.c): -Wall -Wextra -Werror,
 * shared and static library, valgrind, C++17. */
#include "support.h"

#include <stddef.h>
#include <time.h>

static unsigned g_serial; /* makes subjects unique within one emulator */

/* ---------------------------------------------------------------------------------------------
 * Helpers */

/* Seconds since an arbitrary start (monotonic). */
static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A rewindable stream: support.h's stream_source (first, so that on_read takes the same
 * user_data) and what its rewind callback saw. */
typedef struct {
    stream_source s;
    int rewinds;
    int rewind_wrong_thread;
    size_t pos_at_rewind;
    int fail_rewind; /* return this non-zero value instead of rewinding */
} rewindable;

static void rewindable_init(rewindable *r, const unsigned char *data, size_t size) {
    memset(r, 0, sizeof *r);
    stream_init(&r->s, data, size);
}

static int on_rewind(void *user_data) {
    rewindable *r = (rewindable *)user_data;
    r->rewinds++;
    if (!pthread_equal(pthread_self(), r->s.caller)) r->rewind_wrong_thread++;
    r->pos_at_rewind = r->s.pos;
    if (r->fail_rewind) return r->fail_rewind;
    r->s.pos = 0;
    return 0;
}

/* Adds a fault rule (JSON); whether the emulator took it. */
static int add_fault(const char *rule) {
    return control("POST", "faults", rule, NULL, 0) == 200;
}

/* Cuts the next upload after `after` bytes of its body. */
static int cut_next_upload(unsigned after) {
    char rule[160];
    snprintf(rule, sizeof rule, "{\"kind\":\"drop_upload\",\"path\":\"/xmss\",\"after_bytes\":%u}", after);
    return add_fault(rule);
}

/* A SafeBox with a subject of its own. */
static ss_safebox *fresh_safebox(void) {
    ss_safebox *sb = new_safebox(USER_EMAIL);
    char subject[64];
    snprintf(subject, sizeof subject, "reliability %u", ++g_serial);
    CHECK_RC(ss_safebox_set_subject(sb, subject), SS_OK);
    CHECK_RC(ss_safebox_set_security_profile_id(sb, 1), SS_OK); /* for the step-by-step commits */
    return sb;
}

/* Collects downloaded bytes. */
typedef struct {
    unsigned char *data;
    size_t len;
    size_t cap;
} buffer;

static int64_t on_write(void *user_data, const uint8_t *buf, size_t len) {
    buffer *b = (buffer *)user_data;
    if (b->len + len > b->cap) return -1;
    memcpy(b->data + b->len, buf, len);
    b->len += len;
    return (int64_t)len;
}

/* Downloads the one document of SafeBox `guid`'s first message and checks it is `data` (block
 * by block, 1 KiB at a time, so that a difference says where). */
static void check_stored_document(const ss_client *client, const char *guid, const unsigned char *data, size_t size) {
    ss_message_list *messages = NULL;
    if (!CHECK_RC(ss_get_safebox_messages(client, guid, &messages), SS_OK)) return;
    const ss_message *first = ss_message_list_at(messages, 0);
    CHECK(ss_message_document_count(first) == 1);
    const ss_document *document = ss_message_document_at(first, 0);
    CHECK(ss_document_size(document) == size);
    buffer b;
    b.cap = size;
    b.len = 0;
    b.data = (unsigned char *)malloc(size);
    CHECK(b.data != NULL);
    if (b.data != NULL && document != NULL) {
        CHECK_RC(ss_download_document_to(client, guid, ss_document_id(document), USER_EMAIL, on_write, &b, NULL, NULL),
                 SS_OK);
        CHECK(b.len == size);
        for (size_t at = 0; at < size; at += 1024) {
            size_t n = size - at < 1024 ? size - at : 1024;
            if (!CHECK(at + n <= b.len && memcmp(b.data + at, data + at, n) == 0)) {
                fprintf(stderr, "  the stored document differs in bytes %zu-%zu\n", at, at + n);
                break;
            }
        }
    }
    free(b.data);
    ss_message_list_free(messages);
}

/* ---------------------------------------------------------------------------------------------
 * Options */

static void test_options(const ss_user_token *token) {
    ss_client_options options;
    memset(&options, 0xab, sizeof options);
    ss_client_options_init(&options);
    CHECK(options.struct_size == sizeof(ss_client_options));
    CHECK(options.connect_timeout_ms == 30000);
    CHECK(options.request_timeout_ms == 120000);
    CHECK(options.stall_timeout_ms == 60000);
    CHECK(options.max_retries == 3);
    CHECK(options.retry_base_delay_ms == 250);
    CHECK(options.retry_max_delay_ms == 30000);
    CHECK(options.upload_concurrency == 8);
    CHECK(options.user_id == 0);
    CHECK(options.locale == NULL);
    CHECK(options.ca_file == NULL);
    ss_client_options_init(NULL); /* no-op */

    /* Any values, 0 included (no stall limit, no retry, no wait). */
    options.user_id = ss_user_token_user_id(token);
    options.stall_timeout_ms = 0;
    options.max_retries = 0;
    options.retry_base_delay_ms = 0;
    options.retry_max_delay_ms = 0;
    ss_client *client = NULL;
    CHECK_RC(ss_client_new(ss_user_token_token(token), ACCOUNT, g_url, &options, &client), SS_OK);
    CHECK(client != NULL);
    ss_enterprise_settings *settings = NULL;
    CHECK_RC(ss_get_enterprise_settings(client, &settings), SS_OK);
    ss_enterprise_settings_free(settings);
    ss_client_free(client);

    /* A program built before these fields (a smaller struct_size) gets their defaults. */
    ss_client_options_init(&options);
    options.struct_size = (uint32_t)offsetof(ss_client_options, stall_timeout_ms);
    options.stall_timeout_ms = 1; /* not read */
    client = NULL;
    CHECK_RC(ss_client_new(ss_user_token_token(token), ACCOUNT, g_url, &options, &client), SS_OK);
    ss_client_free(client);
}

/* ---------------------------------------------------------------------------------------------
 * Rewindable streams: arguments */

static void test_rewindable_arguments(void) {
    rewindable r;
    rewindable_init(&r, g_stream_data, STREAM_SIZE);
    ss_safebox *sb = new_safebox(USER_EMAIL);
    CHECK_ERR(ss_safebox_add_attachment_stream_rewindable(NULL, on_read, on_rewind, &r, STREAM_SIZE, "s.dat", NULL),
              SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_add_attachment_stream_rewindable(sb, NULL, on_rewind, &r, STREAM_SIZE, "s.dat", NULL),
              SS_ERR_NULL_ARGUMENT, "`read`");
    CHECK_ERR(ss_safebox_add_attachment_stream_rewindable(sb, on_read, NULL, &r, STREAM_SIZE, "s.dat", NULL),
              SS_ERR_NULL_ARGUMENT, "`rewind`");
    CHECK_ERR(ss_safebox_add_attachment_stream_rewindable(sb, on_read, on_rewind, &r, STREAM_SIZE, NULL, NULL),
              SS_ERR_NULL_ARGUMENT, "`file_name`");
    CHECK_ERR(ss_safebox_add_attachment_stream_rewindable(sb, on_read, on_rewind, &r, STREAM_SIZE, BAD_UTF8, NULL),
              SS_ERR_INVALID_UTF8, "`file_name`");
    CHECK_ERR(ss_safebox_add_attachment_stream_rewindable(sb, on_read, on_rewind, &r, STREAM_SIZE, "s.dat", BAD_UTF8),
              SS_ERR_INVALID_UTF8, "`content_type`");
    CHECK_ERR(ss_safebox_add_attachment_stream_rewindable(sb, on_read, on_rewind, &r, STREAM_SIZE, "", NULL),
              SS_ERR_INVALID_ARGUMENT, "empty");
    CHECK(ss_safebox_attachment_count(sb) == 0);
    CHECK_RC(ss_safebox_add_attachment_stream_rewindable(sb, on_read, on_rewind, &r, STREAM_SIZE, "s.dat",
                                                        "application/octet-stream"),
             SS_OK);
    CHECK(ss_safebox_attachment_count(sb) == 1);
    CHECK(r.s.calls == 0 && r.rewinds == 0); /* nothing is read before the upload */
    ss_safebox_free(sb);

    ss_reply *reply = NULL;
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK_ERR(ss_reply_add_attachment_stream_rewindable(NULL, on_read, on_rewind, &r, STREAM_SIZE, "s.dat", NULL),
              SS_ERR_NULL_ARGUMENT, "`reply`");
    CHECK_ERR(ss_reply_add_attachment_stream_rewindable(reply, NULL, on_rewind, &r, STREAM_SIZE, "s.dat", NULL),
              SS_ERR_NULL_ARGUMENT, "`read`");
    CHECK_ERR(ss_reply_add_attachment_stream_rewindable(reply, on_read, NULL, &r, STREAM_SIZE, "s.dat", NULL),
              SS_ERR_NULL_ARGUMENT, "`rewind`");
    CHECK_ERR(ss_reply_add_attachment_stream_rewindable(reply, on_read, on_rewind, &r, STREAM_SIZE, NULL, NULL),
              SS_ERR_NULL_ARGUMENT, "`file_name`");
    CHECK_ERR(ss_reply_add_attachment_stream_rewindable(reply, on_read, on_rewind, &r, STREAM_SIZE, BAD_UTF8, NULL),
              SS_ERR_INVALID_UTF8, "`file_name`");
    CHECK_ERR(ss_reply_add_attachment_stream_rewindable(reply, on_read, on_rewind, &r, STREAM_SIZE, "s.dat", BAD_UTF8),
              SS_ERR_INVALID_UTF8, "`content_type`");
    CHECK_ERR(ss_reply_add_attachment_stream_rewindable(reply, on_read, on_rewind, &r, STREAM_SIZE, "", NULL),
              SS_ERR_INVALID_ARGUMENT, "empty");
    CHECK(ss_reply_attachment_count(reply) == 0);
    CHECK_RC(ss_reply_add_attachment_stream_rewindable(reply, on_read, on_rewind, &r, STREAM_SIZE, "s.dat", NULL), SS_OK);
    CHECK(ss_reply_attachment_count(reply) == 1);
    ss_reply_free(reply);
}

/* ---------------------------------------------------------------------------------------------
 * Rewindable streams: retried */

/* A stream whose upload is cut is rewound once, on this thread, sent again and stored whole;
 * progress never goes back. Returns the new SafeBox's GUID (malloc'ed) for the reply test. */
static char *test_stream_retried(const ss_client *client) {
    rewindable r;
    rewindable_init(&r, g_stream_data, STREAM_SIZE);
    ss_safebox *sb = fresh_safebox();
    CHECK_RC(ss_safebox_add_attachment_stream_rewindable(sb, on_read, on_rewind, &r, STREAM_SIZE, "stream.dat", NULL),
             SS_OK);
    CHECK(cut_next_upload(20000));
    progress_log log;
    progress_log_init(&log);
    ss_safebox_response *response = NULL;
    CHECK_RC(ss_submit_safebox(client, sb, on_progress, &log, &response), SS_OK);
    CHECK(response != NULL);
    CHECK(r.rewinds == 1);
    CHECK(r.rewind_wrong_thread == 0);
    CHECK(r.s.wrong_thread == 0);
    CHECK(r.pos_at_rewind > 0 && r.pos_at_rewind <= STREAM_SIZE); /* it had been read */
    CHECK(r.s.pos == STREAM_SIZE);                                 /* then read whole again */
    check_progress(&log, STREAM_SIZE, 1);
    char *guid = NULL;
    if (response != NULL) {
        CHECK(!ss_safebox_response_recovered(response));
        const char *g = ss_safebox_response_guid(response);
        CHECK(stored_size(g, STREAM_SIZE));
        check_stored_document(client, g, g_stream_data, STREAM_SIZE);
        guid = strdup(g);
    }
    ss_safebox_response_free(response);

    /* Nothing left to upload: the stream is neither read nor rewound again. */
    int calls = r.s.calls;
    CHECK_RC(ss_upload_attachments(client, sb, NULL, NULL), SS_OK);
    CHECK(r.s.calls == calls && r.rewinds == 1);
    ss_safebox_free(sb);
    return guid;
}

/* The same for a reply's stream. */
static void test_reply_stream_retried(const ss_client *client, const char *guid) {
    rewindable r;
    rewindable_init(&r, g_stream_data, STREAM_SIZE);
    ss_reply *reply = NULL;
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK_RC(ss_reply_set_message(reply, "a retried stream"), SS_OK);
    CHECK_RC(ss_reply_add_attachment_stream_rewindable(reply, on_read, on_rewind, &r, STREAM_SIZE, "reply.dat", NULL),
             SS_OK);
    CHECK(cut_next_upload(30000));
    CHECK_RC(ss_send_reply(client, guid, reply, NULL, NULL), SS_OK);
    CHECK(r.rewinds == 1);
    CHECK(r.rewind_wrong_thread == 0);
    CHECK(r.s.wrong_thread == 0);
    CHECK(r.s.pos == STREAM_SIZE);
    ss_reply_free(reply);

    /* The reply's message holds the document, whole. */
    ss_message_list *messages = NULL;
    CHECK_RC(ss_get_safebox_messages(client, guid, &messages), SS_OK);
    CHECK(ss_message_list_count(messages) == 2);
    const ss_message *second = ss_message_list_at(messages, 1);
    CHECK(ss_message_document_count(second) == 1);
    CHECK(ss_document_size(ss_message_document_at(second, 0)) == STREAM_SIZE);
    ss_message_list_free(messages);
}

/* A plain stream is read once: its cut upload fails (no retry); restarted by hand, calling
 * again works. */
static void test_plain_stream_not_retried(const ss_client *client) {
    stream_source s;
    stream_init(&s, g_stream_data, STREAM_SIZE);
    ss_safebox *sb = fresh_safebox();
    CHECK_RC(ss_safebox_add_attachment_stream(sb, on_read, &s, STREAM_SIZE, "plain.dat", NULL), SS_OK);
    CHECK_RC(ss_initialize_safebox(client, sb), SS_OK);
    CHECK(cut_next_upload(20000));
    CHECK_ERR(ss_upload_attachments(client, sb, NULL, NULL), SS_ERR_CONNECT, NULL);
    CHECK(s.pos > 0);
    s.pos = 0;
    CHECK_RC(ss_upload_attachments(client, sb, NULL, NULL), SS_OK);
    ss_safebox_response *response = NULL;
    CHECK_RC(ss_commit_safebox(client, sb, &response), SS_OK);
    if (response != NULL) CHECK(stored_size(ss_safebox_response_guid(response), STREAM_SIZE));
    ss_safebox_response_free(response);
    ss_safebox_free(sb);
}

/* A rewind callback that fails ends the call with SS_ERR_IO; one that succeeds next time lets
 * a repeated call finish (after rewinding again: the stream was read). */
static void test_rewind_failure(const ss_client *client) {
    rewindable r;
    rewindable_init(&r, g_stream_data, STREAM_SIZE);
    r.fail_rewind = 5;
    ss_safebox *sb = fresh_safebox();
    CHECK_RC(ss_safebox_add_attachment_stream_rewindable(sb, on_read, on_rewind, &r, STREAM_SIZE, "r.dat", NULL),
             SS_OK);
    CHECK_RC(ss_initialize_safebox(client, sb), SS_OK);
    CHECK(cut_next_upload(20000));
    CHECK_ERR(ss_upload_attachments(client, sb, NULL, NULL), SS_ERR_IO, "rewind callback");
    CHECK(r.rewinds == 1);
    r.fail_rewind = 0;
    CHECK_RC(ss_upload_attachments(client, sb, NULL, NULL), SS_OK);
    CHECK(r.rewinds == 2);
    CHECK(r.rewind_wrong_thread == 0);
    ss_safebox_response *response = NULL;
    CHECK_RC(ss_commit_safebox(client, sb, &response), SS_OK);
    if (response != NULL) CHECK(stored_size(ss_safebox_response_guid(response), STREAM_SIZE));
    ss_safebox_response_free(response);
    ss_safebox_free(sb);
}

/* ---------------------------------------------------------------------------------------------
 * Timeouts */

/* An upload to a server that does not answer ends with SS_ERR_TIMEOUT after the stall timeout
 * (no retry here), not after the request timeout. */
static void test_stall_timeout(const ss_user_token *token) {
    ss_client_options options;
    ss_client_options_init(&options);
    options.user_id = ss_user_token_user_id(token);
    options.stall_timeout_ms = 500;
    options.max_retries = 0;
    ss_client *client = NULL;
    CHECK_RC(ss_client_new(ss_user_token_token(token), ACCOUNT, g_url, &options, &client), SS_OK);
    if (client == NULL) return;
    ss_safebox *sb = fresh_safebox();
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, "stall.dat", NULL), SS_OK);
    CHECK_RC(ss_initialize_safebox(client, sb), SS_OK);
    CHECK(add_fault("{\"kind\":\"delay\",\"path\":\"/xmss\",\"delay_ms\":5000}"));
    double start = now_seconds();
    CHECK_ERR(ss_upload_attachments(client, sb, NULL, NULL), SS_ERR_TIMEOUT, "stall timeout");
    double took = now_seconds() - start;
    CHECK(took >= 0.45);
    CHECK(took < 3.0);
    if (getenv("SS_TEST_VERBOSE") != NULL) fprintf(stderr, "  stalled upload failed after %.2f s\n", took);
    clear_faults();
    ss_safebox_free(sb);
    ss_client_free(client);
}

/* ---------------------------------------------------------------------------------------------
 * Exactly-once commit, retried GET */

static void test_lost_commit_answer(const ss_client *client) {
    ss_safebox *sb = fresh_safebox();
    CHECK_RC(ss_safebox_set_double_encryption(sb, true), SS_OK);
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, "lost.dat", NULL), SS_OK);
    /* The emulator commits, then closes the connection without answering. */
    CHECK(add_fault("{\"kind\":\"drop_response\",\"method\":\"POST\",\"path\":\"/api/v2/safeboxes\"}"));
    ss_safebox_response *response = NULL;
    CHECK_RC(ss_submit_safebox(client, sb, NULL, NULL, &response), SS_OK);
    CHECK(response != NULL);
    if (response != NULL) {
        CHECK(ss_safebox_response_recovered(response));
        CHECK_STR(ss_safebox_response_guid(response), ss_safebox_guid(sb));
        CHECK(ss_safebox_response_encryption_key(response) == NULL); /* only in the lost answer */
        CHECK(contains(ss_safebox_response_to_json(response), ss_safebox_guid(sb)));
        CHECK(stored_size(ss_safebox_response_guid(response), BYTES_SIZE));
    }
    ss_safebox_response_free(response);
    /* One SafeBox: committing again is refused as a commit of a committed SafeBox. */
    response = NULL;
    CHECK_ERR(ss_commit_safebox(client, sb, &response), SS_ERR_HTTP_STATUS, "already been committed");
    CHECK(response == NULL);
    CHECK(!ss_safebox_response_recovered(NULL));
    ss_safebox_free(sb);
}

static void test_get_retried(const ss_client *client) {
    CHECK(add_fault("{\"kind\":\"respond\",\"method\":\"GET\",\"path\":\"/api/v2/enterprises\",\"status\":503,\"count\":2}"));
    ss_enterprise_settings *settings = NULL;
    CHECK_RC(ss_get_enterprise_settings(client, &settings), SS_OK);
    CHECK(settings != NULL);
    ss_enterprise_settings_free(settings);
    /* Spent retries: the last answer, with the number of attempts. */
    CHECK(add_fault("{\"kind\":\"respond\",\"method\":\"GET\",\"path\":\"/api/v2/enterprises\",\"status\":503,\"count\":0}"));
    settings = NULL;
    CHECK_ERR(ss_get_enterprise_settings(client, &settings), SS_ERR_HTTP_STATUS, "attempts");
    CHECK(ss_last_error_http_status() == 503);
    CHECK(settings == NULL);
    clear_faults();
}

int main(void) {
    if (!support_setup()) return 2;
    ss_user_token *token = demo_token();
    if (token != NULL) {
        test_options(token);
        test_rewindable_arguments();
        /* Quick retries: the waits are not what these tests are about. */
        ss_client_options options;
        ss_client_options_init(&options);
        options.user_id = ss_user_token_user_id(token);
        options.retry_base_delay_ms = 20;
        ss_client *client = NULL;
        CHECK_RC(ss_client_new(ss_user_token_token(token), ACCOUNT, g_url, &options, &client), SS_OK);
        if (client != NULL) {
            char *guid = test_stream_retried(client);
            clear_faults();
            if (guid != NULL) test_reply_stream_retried(client, guid);
            free(guid);
            clear_faults();
            test_plain_stream_not_retried(client);
            clear_faults();
            test_rewind_failure(client);
            clear_faults();
            test_lost_commit_answer(client);
            clear_faults();
            test_get_retried(client);
        }
        ss_client_free(client);
        test_stall_timeout(token);
    }
    ss_user_token_free(token);
    support_cleanup();
    return check_summary();
}
