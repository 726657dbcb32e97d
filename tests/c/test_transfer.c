/* The C API of libsendsecure from C, against sendsecure-emulator: replying to a SafeBox (the
 * reply builder and ss_send_reply), the actions on an existing SafeBox (add time, close, delete
 * content, mark read or unread, archive, follow), and getting documents back (document and audit
 * record URLs, downloads to a file or to a write callback).
 *
 * Run by tests/c_api.rs like every tests/c/test_*.c (see test_api.c): -Wall -Wextra -Werror,
 * shared and static library, valgrind, C++17.
 *
 * Every expected value comes from what the test set up (attachment bytes, names, sizes, the
 * amount of time added) or from the spec (statuses, refusal messages). The state the public API
 * does not show (archive tag, follow flag, stored documents) is read through the emulator's
 * control API. */
#include "support.h"

#include <time.h>

#define UNKNOWN_GUID "0123456789abcdef0123456789abcdef"
#define GUEST_EMAIL "guest@example.com"
/* "résumé-日本.txt" in UTF-8. */
#define UTF8_NAME "r\xc3\xa9sum\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac.txt"
#define BLOCK (256u * 1024u)

static unsigned char *g_file_data;  /* the bytes of g_file (FILE_SIZE) */
static unsigned g_serial;           /* makes subjects unique within one emulator */

/* ---------------------------------------------------------------------------------------------
 * Helpers */

static int exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

/* The whole content of a file (malloc'ed, caller frees), or NULL. */
static unsigned char *read_all(const char *path, size_t *len) {
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 4096, n = 0;
    unsigned char *data = (unsigned char *)malloc(cap);
    while (data != NULL) {
        if (n == cap) {
            unsigned char *bigger = (unsigned char *)realloc(data, cap * 2);
            if (bigger == NULL) {
                free(data);
                data = NULL;
                break;
            }
            data = bigger;
            cap *= 2;
        }
        size_t r = fread(data + n, 1, cap - n, f);
        if (r == 0) break;
        n += r;
    }
    fclose(f);
    *len = n;
    return data;
}

/* Whether the file at `path` holds exactly `len` bytes equal to `data`. */
static int file_equals(const char *path, const unsigned char *data, size_t len) {
    size_t n = 0;
    unsigned char *got = read_all(path, &n);
    int same = got != NULL && n == len && (len == 0 || memcmp(got, data, len) == 0);
    free(got);
    return same;
}

static void in_dir(char *out, size_t len, const char *name) {
    snprintf(out, len, "%s/%s", g_dir, name);
}

/* `<path>.part`, where a download writes before renaming. */
static void part_of(char *out, size_t len, const char *path) {
    snprintf(out, len, "%s.part", path);
}

/* Nothing at `path` nor at `<path>.part`. */
static int nothing_at(const char *path) {
    char part[1024];
    part_of(part, sizeof part, path);
    return !exists(path) && !exists(part);
}

/* The emulator's view of a SafeBox (control API): whether its JSON contains `needle`. */
static int state_has(const char *guid, const char *needle) {
    static char body[1 << 15];
    char path[128];
    snprintf(path, sizeof path, "safeboxes/%s", guid);
    return control("GET", path, NULL, body, sizeof body) == 200 && contains(body, needle);
}

/* The number of uploaded bytes the emulator received so far. */
static unsigned long long uploaded_bytes(void) {
    char body[512];
    if (control("GET", "stats", NULL, body, sizeof body) != 200) return 0;
    const char *p = strstr(body, "\"upload_bytes\":");
    return p ? strtoull(p + strlen("\"upload_bytes\":"), NULL, 10) : 0;
}

/* The upload byte count once it stopped moving: an upload stopped earlier against a slowed
 * server (see set_latency) may still be read by the emulator for a moment. */
static unsigned long long settled_uploaded_bytes(void) {
    unsigned long long last = uploaded_bytes();
    for (int i = 0; i < 20; i++) {
        struct timespec pause = {0, 400 * 1000 * 1000}; /* more than the 300 ms latency */
        nanosleep(&pause, NULL);
        unsigned long long now = uploaded_bytes();
        if (now == last) break;
        last = now;
    }
    return last;
}

/* Submits `sb` (then frees it) and copies the new SafeBox's GUID into `guid`. */
static int submit(const ss_client *client, ss_safebox *sb, char *guid, size_t len) {
    ss_safebox_response *response = NULL;
    int ok = CHECK_RC(ss_submit_safebox(client, sb, NULL, NULL, &response), SS_OK);
    const char *g = ss_safebox_response_guid(response);
    ok = CHECK(g != NULL && strlen(g) == 32) && ok;
    snprintf(guid, len, "%s", g ? g : "");
    ss_safebox_response_free(response);
    ss_safebox_free(sb);
    return ok;
}

/* A SafeBox of the demo user (default profile) with a unique subject copied into `subject`. */
static int plain_safebox(const ss_client *client, char *guid, size_t guid_len, char *subject, size_t subject_len) {
    char local[64];
    if (subject == NULL) {
        subject = local;
        subject_len = sizeof local;
    }
    snprintf(subject, subject_len, "transfer-%ld-%u", (long)getpid(), ++g_serial);
    ss_safebox *sb = new_safebox(USER_EMAIL);
    CHECK_RC(ss_safebox_set_subject(sb, subject), SS_OK);
    return submit(client, sb, guid, guid_len);
}

static ss_safebox_info *info_of(const ss_client *client, const char *guid) {
    ss_safebox_info *info = NULL;
    CHECK_RC(ss_get_safebox_info(client, guid, "messages", &info), SS_OK);
    return info;
}

static ss_message_list *messages_of(const ss_client *client, const char *guid) {
    ss_message_list *list = NULL;
    CHECK_RC(ss_get_safebox_messages(client, guid, &list), SS_OK);
    return list;
}

/* The document named `name` in any message of `list`, or NULL. */
static const ss_document *find_document(const ss_message_list *list, const char *name) {
    for (size_t i = 0; i < ss_message_list_count(list); i++) {
        const ss_message *m = ss_message_list_at(list, i);
        for (size_t j = 0; j < ss_message_document_count(m); j++) {
            const ss_document *d = ss_message_document_at(m, j);
            const char *n = ss_document_name(d);
            if (n != NULL && strcmp(n, name) == 0) return d;
        }
    }
    return NULL;
}

/* Whether the SafeBox list filtered by `status` and `search` shows `guid`. */
static int listed(const ss_client *client, const char *status, const char *search, const char *guid) {
    ss_safebox_page *page = NULL;
    int found = 0;
    if (!CHECK_RC(ss_get_safeboxes(client, status, search, 100, 1, &page), SS_OK)) return -1;
    for (size_t i = 0; i < ss_safebox_page_count(page); i++) {
        const char *g = ss_safebox_info_guid(ss_safebox_page_at(page, i));
        if (g != NULL && strcmp(g, guid) == 0) found = 1;
    }
    ss_safebox_page_free(page);
    return found;
}

/* ISO 8601 UTC times as the API writes them: 2017-05-24T14:45:35.062Z. */
typedef struct {
    int y, mo, d, h, mi, s, ms;
} iso_time;

static int parse_iso(const char *text, iso_time *t) {
    char z = 0;
    memset(t, 0, sizeof *t);
    return text != NULL &&
           sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &t->y, &t->mo, &t->d, &t->h, &t->mi, &t->s, &t->ms, &z) == 8 &&
           z == 'Z';
}

static int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + doe - 719468;
}

static int64_t epoch_ms(const iso_time *t) {
    return ((days_from_civil(t->y, t->mo, t->d) * 86400 + t->h * 3600 + t->mi * 60 + t->s) * 1000) + t->ms;
}

static int days_in_month(int y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* Milliseconds from `from` to `to` (both ISO 8601); INT64_MIN when either is malformed. */
static int64_t span_ms(const char *from, const char *to) {
    iso_time a, b;
    if (!parse_iso(from, &a) || !parse_iso(to, &b)) return INT64_MIN;
    return epoch_ms(&b) - epoch_ms(&a);
}

/* Whether `to` is `from` plus one calendar month (the day clamped to the month's length). */
static int one_month_later(const char *from, const char *to) {
    iso_time a, b;
    if (!parse_iso(from, &a) || !parse_iso(to, &b)) return 0;
    int y = a.mo == 12 ? a.y + 1 : a.y;
    int m = a.mo == 12 ? 1 : a.mo + 1;
    int d = a.d < days_in_month(y, m) ? a.d : days_in_month(y, m);
    return b.y == y && b.mo == m && b.d == d && b.h == a.h && b.mi == a.mi && b.s == a.s && b.ms == a.ms;
}

/* A write callback's sink: collects the bytes, records the calls. */
typedef struct {
    unsigned char *data;
    size_t len, cap;
    pthread_t caller;
    int calls;
    int wrong_thread;
    size_t max_block;
    int fail_at_call;  /* return -1 from this call on (0: never) */
    int short_at_call; /* return one byte less than given at this call (0: never) */
} sink;

static void sink_init(sink *s) {
    memset(s, 0, sizeof *s);
    s->caller = pthread_self();
}

static void sink_free(sink *s) {
    free(s->data);
    s->data = NULL;
    s->len = s->cap = 0;
}

static int64_t on_write(void *user_data, const uint8_t *buf, size_t len) {
    sink *s = (sink *)user_data;
    s->calls++;
    if (!pthread_equal(pthread_self(), s->caller)) s->wrong_thread++;
    if (len > s->max_block) s->max_block = len;
    if (s->fail_at_call > 0 && s->calls >= s->fail_at_call) return -1;
    if (s->len + len > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + len) cap *= 2;
        unsigned char *bigger = (unsigned char *)realloc(s->data, cap);
        if (bigger == NULL) return -1;
        s->data = bigger;
        s->cap = cap;
    }
    if (len > 0) memcpy(s->data + s->len, buf, len);
    s->len += len;
    if (s->short_at_call > 0 && s->calls == s->short_at_call) return (int64_t)len - 1;
    return (int64_t)len;
}

static int sink_equals(const sink *s, const unsigned char *data, size_t len) {
    return s->len == len && (len == 0 || memcmp(s->data, data, len) == 0);
}

/* Checks a completed download's progress reports: on the caller's thread, never going down,
 * the last at the document's size. */
static void check_download_progress(const progress_log *log, uint64_t size) {
    check_progress(log, size, 1);
    CHECK(log->last_index == 0);
}

/* ---------------------------------------------------------------------------------------------
 * The reply builder (nothing sent) */

static void test_reply_builder(void) {
    CHECK_ERR(ss_reply_new(NULL), SS_ERR_NULL_ARGUMENT, "`out_reply`");
    ss_reply_free(NULL); /* no-op */
    CHECK(ss_reply_attachment_count(NULL) == 0);

    ss_reply *reply = NULL;
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK(reply != NULL);
    CHECK(ss_reply_attachment_count(reply) == 0);

    /* Message and consent. */
    CHECK_RC(ss_reply_set_message(reply, "A reply"), SS_OK);
    CHECK_RC(ss_reply_set_message(reply, NULL), SS_OK); /* clears it */
    CHECK_RC(ss_reply_set_message(reply, "R\xc3\xa9ponse \xe2\x9c\x93"), SS_OK);
    CHECK_ERR(ss_reply_set_message(reply, BAD_UTF8), SS_ERR_INVALID_UTF8, "`text`");
    CHECK_ERR(ss_reply_set_message(NULL, "x"), SS_ERR_NULL_ARGUMENT, "`reply`");
    CHECK_RC(ss_reply_set_consent(reply, true), SS_OK);
    CHECK_RC(ss_reply_set_consent(reply, false), SS_OK);
    CHECK_ERR(ss_reply_set_consent(NULL, true), SS_ERR_NULL_ARGUMENT, "`reply`");

    /* Files. */
    size_t count = 0;
    CHECK_RC(ss_reply_add_attachment_file(reply, g_file, NULL, NULL), SS_OK);
    CHECK(ss_reply_attachment_count(reply) == ++count);
    CHECK_RC(ss_reply_add_attachment_file(reply, g_file, "application/pdf", "renamed.pdf"), SS_OK);
    CHECK(ss_reply_attachment_count(reply) == ++count);
    CHECK_RC(ss_reply_add_attachment_file(reply, g_file, NULL, UTF8_NAME), SS_OK);
    CHECK(ss_reply_attachment_count(reply) == ++count);
    CHECK_ERR(ss_reply_add_attachment_file(NULL, g_file, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`reply`");
    CHECK_ERR(ss_reply_add_attachment_file(reply, NULL, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`path`");
    CHECK_ERR(ss_reply_add_attachment_file(reply, BAD_UTF8, NULL, NULL), SS_ERR_INVALID_UTF8, "`path`");
    CHECK_ERR(ss_reply_add_attachment_file(reply, g_file, BAD_UTF8, NULL), SS_ERR_INVALID_UTF8, "`content_type`");
    CHECK_ERR(ss_reply_add_attachment_file(reply, g_file, NULL, BAD_UTF8), SS_ERR_INVALID_UTF8, "`file_name`");
    char missing[700];
    in_dir(missing, sizeof missing, "no-such-file.txt");
    CHECK_ERR(ss_reply_add_attachment_file(reply, missing, NULL, NULL), SS_ERR_IO, "no-such-file.txt");
    CHECK_ERR(ss_reply_add_attachment_file(reply, g_dir, NULL, NULL), SS_ERR_IO, "not a regular file");
    CHECK(ss_reply_attachment_count(reply) == count); /* failures add nothing */

    /* Bytes. */
    CHECK_RC(ss_reply_add_attachment_bytes(reply, g_bytes, BYTES_SIZE, "bytes.txt", NULL), SS_OK);
    CHECK(ss_reply_attachment_count(reply) == ++count);
    CHECK_RC(ss_reply_add_attachment_bytes(reply, NULL, 0, "empty.txt", "text/plain"), SS_OK);
    CHECK(ss_reply_attachment_count(reply) == ++count);
    CHECK_ERR(ss_reply_add_attachment_bytes(NULL, g_bytes, 1, "b.txt", NULL), SS_ERR_NULL_ARGUMENT, "`reply`");
    CHECK_ERR(ss_reply_add_attachment_bytes(reply, NULL, 1, "b.txt", NULL), SS_ERR_NULL_ARGUMENT, "`data`");
    CHECK_ERR(ss_reply_add_attachment_bytes(reply, g_bytes, 1, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`file_name`");
    CHECK_ERR(ss_reply_add_attachment_bytes(reply, g_bytes, 1, BAD_UTF8, NULL), SS_ERR_INVALID_UTF8, "`file_name`");
    CHECK_ERR(ss_reply_add_attachment_bytes(reply, g_bytes, 1, "b.txt", BAD_UTF8), SS_ERR_INVALID_UTF8,
              "`content_type`");
    CHECK_ERR(ss_reply_add_attachment_bytes(reply, g_bytes, 1, "", NULL), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK(ss_reply_attachment_count(reply) == count);

    /* A descriptor, at an offset; the caller's descriptor may be closed at once. */
    int fd = open(g_file, O_RDONLY);
    CHECK(fd >= 0 && lseek(fd, FD_OFFSET, SEEK_SET) == FD_OFFSET);
    CHECK_RC(ss_reply_add_attachment_fd(reply, fd, "fd.raw", NULL), SS_OK);
    CHECK(ss_reply_attachment_count(reply) == ++count);
    CHECK_RC(ss_reply_add_attachment_fd(reply, fd, "fd.pdf", "application/pdf"), SS_OK);
    CHECK(ss_reply_attachment_count(reply) == ++count);
    CHECK_ERR(ss_reply_add_attachment_fd(NULL, fd, "fd.raw", NULL), SS_ERR_NULL_ARGUMENT, "`reply`");
    CHECK_ERR(ss_reply_add_attachment_fd(reply, fd, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`file_name`");
    CHECK_ERR(ss_reply_add_attachment_fd(reply, fd, BAD_UTF8, NULL), SS_ERR_INVALID_UTF8, "`file_name`");
    CHECK_ERR(ss_reply_add_attachment_fd(reply, fd, "fd.raw", BAD_UTF8), SS_ERR_INVALID_UTF8, "`content_type`");
    CHECK_ERR(ss_reply_add_attachment_fd(reply, fd, "", NULL), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK(close(fd) == 0);
    CHECK_ERR(ss_reply_add_attachment_fd(reply, -1, "bad.raw", NULL), SS_ERR_IO, "-1");
    CHECK_ERR(ss_reply_add_attachment_fd(reply, fd, "closed.raw", NULL), SS_ERR_IO, NULL); /* closed now */
    CHECK(ss_reply_attachment_count(reply) == count);

    /* A stream. */
    stream_source src;
    stream_init(&src, g_stream_data, STREAM_SIZE);
    CHECK_RC(ss_reply_add_attachment_stream(reply, on_read, &src, STREAM_SIZE, "stream.dat", NULL), SS_OK);
    CHECK(ss_reply_attachment_count(reply) == ++count);
    CHECK_RC(ss_reply_add_attachment_stream(reply, on_read, NULL, 0, "empty-stream.dat", "application/octet-stream"),
             SS_OK);
    CHECK(ss_reply_attachment_count(reply) == ++count);
    CHECK_ERR(ss_reply_add_attachment_stream(NULL, on_read, &src, 1, "s.dat", NULL), SS_ERR_NULL_ARGUMENT, "`reply`");
    CHECK_ERR(ss_reply_add_attachment_stream(reply, NULL, &src, 1, "s.dat", NULL), SS_ERR_NULL_ARGUMENT, "`read`");
    CHECK_ERR(ss_reply_add_attachment_stream(reply, on_read, &src, 1, NULL, NULL), SS_ERR_NULL_ARGUMENT,
              "`file_name`");
    CHECK_ERR(ss_reply_add_attachment_stream(reply, on_read, &src, 1, BAD_UTF8, NULL), SS_ERR_INVALID_UTF8,
              "`file_name`");
    CHECK_ERR(ss_reply_add_attachment_stream(reply, on_read, &src, 1, "s.dat", BAD_UTF8), SS_ERR_INVALID_UTF8,
              "`content_type`");
    CHECK_ERR(ss_reply_add_attachment_stream(reply, on_read, &src, 1, "", NULL), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK(ss_reply_attachment_count(reply) == count);
    CHECK(src.calls == 0); /* nothing is read before the reply is sent */

    ss_reply_free(reply);
}

/* ---------------------------------------------------------------------------------------------
 * Sending replies */

static void test_send_reply(const ss_client *client) {
    char guid[64];
    if (!plain_safebox(client, guid, sizeof guid, NULL, 0)) return;

    /* A message with the four kinds of attachments. */
    const char *text = "Here are the files. R\xc3\xa9ponse \xe2\x9c\x93";
    ss_reply *reply = NULL;
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK_RC(ss_reply_set_message(reply, text), SS_OK);
    CHECK_RC(ss_reply_add_attachment_file(reply, g_file, NULL, "reply-report.pdf"), SS_OK);
    CHECK_RC(ss_reply_add_attachment_bytes(reply, g_bytes, BYTES_SIZE, UTF8_NAME, NULL), SS_OK);
    int fd = open(g_file, O_RDONLY);
    CHECK(fd >= 0 && lseek(fd, FD_OFFSET, SEEK_SET) == FD_OFFSET);
    CHECK_RC(ss_reply_add_attachment_fd(reply, fd, "reply-fd.raw", NULL), SS_OK);
    CHECK(close(fd) == 0);
    stream_source src;
    stream_init(&src, g_stream_data, STREAM_SIZE);
    CHECK_RC(ss_reply_add_attachment_stream(reply, on_read, &src, STREAM_SIZE, "reply-stream.dat", NULL), SS_OK);
    CHECK(ss_reply_attachment_count(reply) == 4);
    progress_log log;
    progress_log_init(&log);
    CHECK_RC(ss_send_reply(client, guid, reply, on_progress, &log), SS_OK);
    check_progress(&log, FILE_SIZE + BYTES_SIZE + (FILE_SIZE - FD_OFFSET) + STREAM_SIZE, 4);
    CHECK(src.calls > 0 && src.wrong_thread == 0);
    CHECK(src.pos == STREAM_SIZE);
    CHECK(ss_reply_attachment_count(reply) == 4);
    ss_reply_free(reply);

    /* Read back: the SafeBox's first message, then the reply with its documents. */
    ss_message_list *list = messages_of(client, guid);
    CHECK(ss_message_list_count(list) == 2);
    const ss_message *first = ss_message_list_at(list, 0);
    CHECK_STR(ss_message_note(first), "Hello from the C tests.");
    CHECK(ss_message_document_count(first) == 0);
    const ss_message *m = ss_message_list_at(list, 1);
    CHECK_STR(ss_message_note(m), text);
    CHECK_STR(ss_message_author_type(m), "user");
    CHECK(ss_message_id(m) > 0 && ss_message_id(m) != ss_message_id(first));
    CHECK(ss_message_document_count(m) == 4);
    const char *names[4] = {"reply-report.pdf", UTF8_NAME, "reply-fd.raw", "reply-stream.dat"};
    const uint64_t sizes[4] = {FILE_SIZE, BYTES_SIZE, FILE_SIZE - FD_OFFSET, STREAM_SIZE};
    for (size_t i = 0; i < 4; i++) {
        const ss_document *d = find_document(list, names[i]);
        CHECK(d != NULL);
        CHECK(ss_document_size(d) == sizes[i]);
        CHECK(d != NULL && ss_document_id(d) != NULL && strlen(ss_document_id(d)) > 0);
        CHECK(d != NULL && ss_document_sha(d) != NULL && strlen(ss_document_sha(d)) == 64);
        CHECK(stored_size(guid, (unsigned)sizes[i]));
    }
    /* The documents' bytes are the attachments' (downloads are tested below; here the reply). */
    const ss_document *fd_doc = find_document(list, "reply-fd.raw");
    sink s;
    sink_init(&s);
    CHECK_RC(ss_download_document_to(client, guid, ss_document_id(fd_doc), USER_EMAIL, on_write, &s, NULL, NULL), SS_OK);
    CHECK(sink_equals(&s, g_file_data + FD_OFFSET, FILE_SIZE - FD_OFFSET));
    sink_free(&s);
    sink_init(&s);
    CHECK_RC(ss_download_document_to(client, guid, ss_document_id(find_document(list, "reply-stream.dat")), USER_EMAIL,
                                     on_write, &s, NULL, NULL),
             SS_OK);
    CHECK(sink_equals(&s, g_stream_data, STREAM_SIZE));
    sink_free(&s);
    sink_init(&s);
    CHECK_RC(ss_download_document_to(client, guid, ss_document_id(find_document(list, UTF8_NAME)), USER_EMAIL, on_write,
                                     &s, NULL, NULL),
             SS_OK);
    CHECK(sink_equals(&s, g_bytes, BYTES_SIZE));
    sink_free(&s);
    ss_message_list_free(list);

    /* A message alone, without progress callback. */
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK_RC(ss_reply_set_message(reply, "Just words."), SS_OK);
    CHECK_RC(ss_send_reply(client, guid, reply, NULL, NULL), SS_OK);
    ss_reply_free(reply);
    /* Attachments alone, no message. */
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK_RC(ss_reply_add_attachment_bytes(reply, g_bytes, 10, "ten.raw", NULL), SS_OK);
    progress_log_init(&log);
    CHECK_RC(ss_send_reply(client, guid, reply, on_progress, &log), SS_OK);
    check_progress(&log, 10, 1);
    ss_reply_free(reply);
    list = messages_of(client, guid);
    CHECK(ss_message_list_count(list) == 4);
    CHECK_STR(ss_message_note(ss_message_list_at(list, 2)), "Just words.");
    CHECK(ss_message_document_count(ss_message_list_at(list, 2)) == 0);
    CHECK(ss_message_document_count(ss_message_list_at(list, 3)) == 1);
    CHECK(ss_document_size(find_document(list, "ten.raw")) == 10);
    ss_message_list_free(list);

    /* Nothing to send: refused before anything is sent. */
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK_ERR(ss_send_reply(client, guid, reply, NULL, NULL), SS_ERR_INVALID_ARGUMENT,
              "Reply message cannot be empty without attachments");
    CHECK_RC(ss_reply_set_message(reply, "   "), SS_OK);
    CHECK_ERR(ss_send_reply(client, guid, reply, NULL, NULL), SS_ERR_INVALID_ARGUMENT,
              "Reply message cannot be empty without attachments");
    CHECK_RC(ss_reply_set_message(reply, "x"), SS_OK);
    CHECK_ERR(ss_send_reply(client, "", reply, NULL, NULL), SS_ERR_INVALID_ARGUMENT, "GUID");
    CHECK_ERR(ss_send_reply(client, " ", reply, NULL, NULL), SS_ERR_INVALID_ARGUMENT, "GUID");
    CHECK_ERR(ss_send_reply(NULL, guid, reply, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_send_reply(client, NULL, reply, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`guid`");
    CHECK_ERR(ss_send_reply(client, BAD_UTF8, reply, NULL, NULL), SS_ERR_INVALID_UTF8, "`guid`");
    CHECK_ERR(ss_send_reply(client, guid, NULL, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`reply`");
    ss_reply_free(reply);
    list = messages_of(client, guid);
    CHECK(ss_message_list_count(list) == 4); /* nothing was posted */
    ss_message_list_free(list);
}

static void test_reply_aborts_and_retries(const ss_client *client) {
    char guid[64];
    if (!plain_safebox(client, guid, sizeof guid, NULL, 0)) return;
    ss_message_list *list = NULL;

    /* Stopped by the progress callback in the middle of a file: nothing is posted; sending again
     * uploads it whole. */
    ss_reply *reply = NULL;
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK_RC(ss_reply_set_message(reply, "after an abort"), SS_OK);
    CHECK_RC(ss_reply_add_attachment_file(reply, g_file, NULL, "aborted.pdf"), SS_OK);
    progress_log log;
    progress_log_init(&log);
    log.abort_after_bytes = 1;
    CHECK(set_latency(300));
    CHECK_ERR(ss_send_reply(client, guid, reply, on_progress, &log), SS_ERR_ABORTED_BY_CALLBACK, "progress");
    CHECK(set_latency(0));
    CHECK(log.wrong_thread == 0);
    CHECK(log.last_sent > 0 && log.last_sent < FILE_SIZE);
    list = messages_of(client, guid);
    CHECK(ss_message_list_count(list) == 1);
    ss_message_list_free(list);
    /* Stopped at the very first report. */
    progress_log_init(&log);
    log.abort_at_call = 1;
    CHECK_ERR(ss_send_reply(client, guid, reply, on_progress, &log), SS_ERR_ABORTED_BY_CALLBACK, NULL);
    CHECK(log.calls == 1);
    progress_log_init(&log);
    CHECK_RC(ss_send_reply(client, guid, reply, on_progress, &log), SS_OK);
    check_progress(&log, FILE_SIZE, 1);
    ss_reply_free(reply);
    list = messages_of(client, guid);
    CHECK(ss_message_list_count(list) == 2);
    CHECK_STR(ss_message_note(ss_message_list_at(list, 1)), "after an abort");
    CHECK(ss_document_size(find_document(list, "aborted.pdf")) == FILE_SIZE);
    ss_message_list_free(list);

    /* A failed post keeps the uploaded attachments: the retry uploads nothing again. */
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK_RC(ss_reply_set_message(reply, "posted on the second try"), SS_OK);
    CHECK_RC(ss_reply_add_attachment_bytes(reply, g_bytes, BYTES_SIZE, "kept.txt", NULL), SS_OK);
    char path[160];
    snprintf(path, sizeof path, "/api/v2/safeboxes/%s/messages", guid);
    CHECK(inject("POST", path, 500, NULL, NULL));
    CHECK_ERR(ss_send_reply(client, guid, reply, NULL, NULL), SS_ERR_HTTP_STATUS, "500");
    CHECK(ss_last_error_http_status() == 500);
    unsigned long long before = settled_uploaded_bytes();
    CHECK(before >= BYTES_SIZE);
    CHECK_RC(ss_send_reply(client, guid, reply, NULL, NULL), SS_OK);
    CHECK(uploaded_bytes() == before);
    /* Once posted, the reply is spent: its documents belong to that message. */
    CHECK_ERR(ss_send_reply(client, guid, reply, NULL, NULL), SS_ERR_INVALID_STATE, "sent already");
    ss_reply_free(reply);
    list = messages_of(client, guid);
    CHECK(ss_message_list_count(list) == 3);
    CHECK_STR(ss_message_note(ss_message_list_at(list, 2)), "posted on the second try");
    CHECK(ss_message_document_count(ss_message_list_at(list, 2)) == 1);
    CHECK(ss_document_size(find_document(list, "kept.txt")) == BYTES_SIZE);
    ss_message_list_free(list);

    /* A read callback that fails: SS_ERR_IO; the stream restarted, the retry succeeds. */
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    stream_source src;
    stream_init(&src, g_stream_data, STREAM_SIZE);
    src.fail = 1;
    src.fail_at = 1000;
    CHECK_RC(ss_reply_add_attachment_stream(reply, on_read, &src, STREAM_SIZE, "broken.dat", NULL), SS_OK);
    CHECK_ERR(ss_send_reply(client, guid, reply, NULL, NULL), SS_ERR_IO, "read callback");
    CHECK(src.wrong_thread == 0);
    stream_init(&src, g_stream_data, STREAM_SIZE);
    progress_log_init(&log);
    CHECK_RC(ss_send_reply(client, guid, reply, on_progress, &log), SS_OK);
    check_progress(&log, STREAM_SIZE, 1);
    CHECK(src.pos == STREAM_SIZE && src.wrong_thread == 0);
    ss_reply_free(reply);
    CHECK(stored_size(guid, STREAM_SIZE));

    /* A file removed after it was added. */
    char gone[700];
    in_dir(gone, sizeof gone, "gone.txt");
    CHECK(write_file(gone, g_bytes, 100));
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK_RC(ss_reply_add_attachment_file(reply, gone, NULL, NULL), SS_OK);
    CHECK(unlink(gone) == 0);
    CHECK_ERR(ss_send_reply(client, guid, reply, NULL, NULL), SS_ERR_IO, "gone.txt");
    ss_reply_free(reply);
    /* A stream shorter than declared. */
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    stream_init(&src, g_stream_data, 100);
    CHECK_RC(ss_reply_add_attachment_stream(reply, on_read, &src, 200, "short.dat", NULL), SS_OK);
    CHECK_ERR(ss_send_reply(client, guid, reply, NULL, NULL), SS_ERR_IO, "declared");
    ss_reply_free(reply);

    list = messages_of(client, guid);
    CHECK(ss_message_list_count(list) == 4); /* the stream reply only */
    ss_message_list_free(list);
}

/* Consent: a SafeBox of the "locked-down" profile (20) asks for it before a reply. */
static void test_reply_consent(const ss_client *client) {
    ss_safebox *sb = NULL;
    ss_recipient *r = NULL;
    CHECK_RC(ss_safebox_new(USER_EMAIL, &sb), SS_OK);
    CHECK_RC(ss_safebox_set_subject(sb, "consent"), SS_OK);
    CHECK_RC(ss_safebox_set_message(sb, "Consent needed."), SS_OK);
    CHECK_RC(ss_safebox_set_security_profile_id(sb, 20), SS_OK);
    CHECK_RC(ss_safebox_add_recipient(sb, GUEST_EMAIL, &r), SS_OK);
    CHECK_RC(ss_recipient_add_contact_method(r, "+15145550000", SS_DESTINATION_CELL), SS_OK);
    char guid[64];
    if (!submit(client, sb, guid, sizeof guid)) return;

    ss_reply *reply = NULL;
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK_RC(ss_reply_set_message(reply, "without consent"), SS_OK);
    CHECK_ERR(ss_send_reply(client, guid, reply, NULL, NULL), SS_ERR_HTTP_STATUS, "consent");
    CHECK(ss_last_error_http_status() == 400);
    CHECK_RC(ss_reply_set_consent(reply, false), SS_OK);
    CHECK_ERR(ss_send_reply(client, guid, reply, NULL, NULL), SS_ERR_HTTP_STATUS, "consent");
    CHECK_RC(ss_reply_set_consent(reply, true), SS_OK);
    CHECK_RC(ss_reply_set_message(reply, "with consent"), SS_OK);
    CHECK_RC(ss_send_reply(client, guid, reply, NULL, NULL), SS_OK);
    ss_reply_free(reply);
    ss_message_list *list = messages_of(client, guid);
    CHECK(ss_message_list_count(list) == 2);
    CHECK_STR(ss_message_note(ss_message_list_at(list, 1)), "with consent");
    ss_message_list_free(list);

    /* This profile does not allow a manual close nor a content deletion. */
    CHECK_ERR(ss_close_safebox(client, guid), SS_ERR_HTTP_STATUS, "Unable to close the SafeBox.");
    CHECK(ss_last_error_http_status() == 400);
    CHECK_ERR(ss_delete_safebox_content(client, guid), SS_ERR_HTTP_STATUS, "Unable to delete the SafeBox content.");
    CHECK(state_has(guid, "\"status\":\"in_progress\""));
}

/* ---------------------------------------------------------------------------------------------
 * Actions */

static void test_add_time(const ss_client *client) {
    char guid[64];
    if (!plain_safebox(client, guid, sizeof guid, NULL, 0)) return;
    ss_safebox_info *info = info_of(client, guid);
    char before[64];
    snprintf(before, sizeof before, "%s", ss_safebox_info_expiration(info) ? ss_safebox_info_expiration(info) : "");
    ss_safebox_info_free(info);
    iso_time t;
    CHECK(parse_iso(before, &t));

    struct {
        int64_t value;
        const char *unit;
        int64_t ms; /* 0: a calendar month */
    } steps[] = {{2, "days", 2 * 86400000LL}, {3, "hours", 3 * 3600000LL}, {1, "weeks", 7 * 86400000LL}, {1, "months", 0}};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        char *expiration = NULL;
        CHECK_RC(ss_add_time(client, guid, steps[i].value, steps[i].unit, &expiration), SS_OK);
        CHECK(expiration != NULL);
        if (steps[i].ms != 0)
            CHECK(span_ms(before, expiration) == steps[i].ms);
        else
            CHECK(one_month_later(before, expiration));
        info = info_of(client, guid);
        CHECK_STR(ss_safebox_info_expiration(info), expiration);
        ss_safebox_info_free(info);
        if (expiration != NULL) snprintf(before, sizeof before, "%s", expiration);
        ss_string_free(expiration);
    }
    /* Without out-parameter. */
    CHECK_RC(ss_add_time(client, guid, 1, "hours", NULL), SS_OK);
    info = info_of(client, guid);
    CHECK(span_ms(before, ss_safebox_info_expiration(info)) == 3600000LL);
    ss_safebox_info_free(info);

    /* Invalid values and units, refused before anything is sent; the out-parameter untouched. */
    char *untouched = NULL;
    CHECK_ERR(ss_add_time(client, guid, 0, "days", &untouched), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK_ERR(ss_add_time(client, guid, -3, "days", &untouched), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK_ERR(ss_add_time(client, guid, INT64_MIN, "hours", &untouched), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK_ERR(ss_add_time(client, guid, 1, "years", &untouched), SS_ERR_INVALID_ARGUMENT, "unit");
    CHECK_ERR(ss_add_time(client, guid, 1, "fortnights", &untouched), SS_ERR_INVALID_ARGUMENT, "unit");
    CHECK_ERR(ss_add_time(client, guid, 1, "", &untouched), SS_ERR_INVALID_ARGUMENT, "unit");
    CHECK_ERR(ss_add_time(client, "", 1, "days", &untouched), SS_ERR_INVALID_ARGUMENT, "GUID");
    CHECK_ERR(ss_add_time(NULL, guid, 1, "days", &untouched), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_add_time(client, NULL, 1, "days", &untouched), SS_ERR_NULL_ARGUMENT, "`guid`");
    CHECK_ERR(ss_add_time(client, guid, 1, NULL, &untouched), SS_ERR_NULL_ARGUMENT, "`unit`");
    CHECK_ERR(ss_add_time(client, BAD_UTF8, 1, "days", &untouched), SS_ERR_INVALID_UTF8, "`guid`");
    CHECK_ERR(ss_add_time(client, guid, 1, BAD_UTF8, &untouched), SS_ERR_INVALID_UTF8, "`unit`");
    /* Values the server refuses (spec E18: 400 "Unable to extend the SafeBox duration."). */
    CHECK_ERR(ss_add_time(client, guid, INT64_MAX, "hours", &untouched), SS_ERR_HTTP_STATUS,
              "Unable to extend the SafeBox duration.");
    CHECK(ss_last_error_http_status() == 400);
    CHECK_ERR(ss_add_time(client, guid, INT64_MAX, "months", &untouched), SS_ERR_HTTP_STATUS,
              "Unable to extend the SafeBox duration.");
    CHECK(untouched == NULL);
    info = info_of(client, guid);
    CHECK(span_ms(before, ss_safebox_info_expiration(info)) == 3600000LL); /* unchanged */
    ss_safebox_info_free(info);

    /* A closed SafeBox cannot be extended. */
    CHECK_RC(ss_close_safebox(client, guid), SS_OK);
    CHECK_ERR(ss_add_time(client, guid, 1, "days", &untouched), SS_ERR_HTTP_STATUS,
              "Unable to extend the SafeBox duration.");
    CHECK(ss_last_error_http_status() == 400);
    char body[512];
    CHECK(ss_last_error_body(body, sizeof body) > 0 && contains(body, "\"result\":false"));
    CHECK(untouched == NULL);

    /* An answer without the new expiration. */
    char path[160];
    if (!plain_safebox(client, guid, sizeof guid, NULL, 0)) return;
    snprintf(path, sizeof path, "/api/v2/safeboxes/%s/add_time", guid);
    CHECK(inject("PATCH", path, 200, "{\"result\":true,\"message\":\"SafeBox duration successfully extended.\"}", NULL));
    CHECK_ERR(ss_add_time(client, guid, 1, "days", &untouched), SS_ERR_DECODE, "new_expiration");
    CHECK(untouched == NULL);
    /* py's fixture key `expiration` is accepted as well (spec E18). */
    CHECK(inject("PATCH", path, 200, "{\"result\":true,\"expiration\":\"2030-01-02T03:04:05.006Z\"}", NULL));
    CHECK_RC(ss_add_time(client, guid, 1, "days", &untouched), SS_OK);
    CHECK_STR(untouched, "2030-01-02T03:04:05.006Z");
    ss_string_free(untouched);
}

static int64_t unread_count(const ss_client *client, const char *guid) {
    ss_safebox_info *info = info_of(client, guid);
    int64_t n = ss_safebox_info_unread_count(info);
    ss_safebox_info_free(info);
    return n;
}

static void test_read_marks(const ss_client *client) {
    char guid[64];
    char subject[64];
    if (!plain_safebox(client, guid, sizeof guid, subject, sizeof subject)) return;
    ss_reply *reply = NULL;
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK_RC(ss_reply_set_message(reply, "second message"), SS_OK);
    CHECK_RC(ss_send_reply(client, guid, reply, NULL, NULL), SS_OK);
    ss_reply_free(reply);

    /* The owner has read the messages the owner wrote. */
    CHECK(unread_count(client, guid) == 0);
    CHECK(listed(client, "unread", subject, guid) == 0);
    CHECK(listed(client, NULL, subject, guid) == 1);

    CHECK_RC(ss_mark_as_unread(client, guid), SS_OK);
    CHECK(unread_count(client, guid) == 2);
    ss_message_list *list = messages_of(client, guid);
    CHECK(ss_message_list_count(list) == 2);
    CHECK(!ss_message_read(ss_message_list_at(list, 0)) && !ss_message_read(ss_message_list_at(list, 1)));
    int64_t first = ss_message_id(ss_message_list_at(list, 0));
    int64_t second = ss_message_id(ss_message_list_at(list, 1));
    ss_message_list_free(list);
    CHECK(listed(client, "unread", subject, guid) == 1);
    CHECK(listed(client, "in_progress,unread", subject, guid) == 1);
    CHECK_RC(ss_mark_as_unread(client, guid), SS_OK); /* again: no change */
    CHECK(unread_count(client, guid) == 2);

    /* One message at a time. */
    CHECK_RC(ss_mark_message_read(client, guid, second), SS_OK);
    CHECK(unread_count(client, guid) == 1);
    list = messages_of(client, guid);
    CHECK(!ss_message_read(ss_message_list_at(list, 0)));
    CHECK(ss_message_read(ss_message_list_at(list, 1)));
    ss_message_list_free(list);
    CHECK_RC(ss_mark_message_read(client, guid, first), SS_OK);
    CHECK(unread_count(client, guid) == 0);
    CHECK(listed(client, "unread", subject, guid) == 0);
    CHECK_RC(ss_mark_message_unread(client, guid, first), SS_OK);
    CHECK(unread_count(client, guid) == 1);
    list = messages_of(client, guid);
    CHECK(!ss_message_read(ss_message_list_at(list, 0)));
    CHECK(ss_message_read(ss_message_list_at(list, 1)));
    ss_message_list_free(list);
    CHECK(listed(client, "unread", subject, guid) == 1);

    CHECK_RC(ss_mark_as_read(client, guid), SS_OK);
    CHECK(unread_count(client, guid) == 0);
    list = messages_of(client, guid);
    CHECK(ss_message_read(ss_message_list_at(list, 0)) && ss_message_read(ss_message_list_at(list, 1)));
    ss_message_list_free(list);
    CHECK(listed(client, "unread", subject, guid) == 0);

    /* Message ids: refused before sending (< 1), or by the server (unknown). */
    CHECK_ERR(ss_mark_message_read(client, guid, 0), SS_ERR_INVALID_ARGUMENT, "Message");
    CHECK_ERR(ss_mark_message_read(client, guid, -1), SS_ERR_INVALID_ARGUMENT, "Message");
    CHECK_ERR(ss_mark_message_unread(client, guid, 0), SS_ERR_INVALID_ARGUMENT, "Message");
    CHECK_ERR(ss_mark_message_unread(client, guid, INT64_MIN), SS_ERR_INVALID_ARGUMENT, "Message");
    int64_t unknown = (first > second ? first : second) + 1000000;
    CHECK_ERR(ss_mark_message_read(client, guid, unknown), SS_ERR_HTTP_STATUS, "Unable to mark the message as read.");
    CHECK(ss_last_error_http_status() == 400);
    CHECK_ERR(ss_mark_message_unread(client, guid, unknown), SS_ERR_HTTP_STATUS, "Unable to mark the message as");
    CHECK(ss_last_error_http_status() == 400);
    CHECK(unread_count(client, guid) == 0);
}

static void test_archive_and_follow(const ss_client *client) {
    char guid[64];
    if (!plain_safebox(client, guid, sizeof guid, NULL, 0)) return;

    CHECK(state_has(guid, "\"tags\":[]"));
    CHECK_RC(ss_archive_safebox(client, guid, USER_EMAIL), SS_OK);
    CHECK(state_has(guid, "\"tags\":[\"archive\"]"));
    /* Twice: refused (spec E34). */
    CHECK_ERR(ss_archive_safebox(client, guid, USER_EMAIL), SS_ERR_HTTP_STATUS, "Unable to add Safebox to Archives");
    CHECK(ss_last_error_http_status() == 400);
    CHECK_RC(ss_unarchive_safebox(client, guid, USER_EMAIL), SS_OK);
    CHECK(state_has(guid, "\"tags\":[]"));
    CHECK_ERR(ss_unarchive_safebox(client, guid, USER_EMAIL), SS_ERR_HTTP_STATUS,
              "Unable to remove Safebox from Archives");
    CHECK(ss_last_error_http_status() == 400);
    /* The archive of someone else than the owner. */
    CHECK_ERR(ss_archive_safebox(client, guid, BOB_EMAIL), SS_ERR_HTTP_STATUS, "Unable to add Safebox to Archives");
    CHECK(state_has(guid, "\"tags\":[]"));
    /* The e-mail is checked before anything is sent. */
    CHECK_ERR(ss_archive_safebox(client, guid, ""), SS_ERR_INVALID_ARGUMENT, "email");
    CHECK_ERR(ss_unarchive_safebox(client, guid, " "), SS_ERR_INVALID_ARGUMENT, "email");
    CHECK_ERR(ss_archive_safebox(client, guid, NULL), SS_ERR_NULL_ARGUMENT, "`user_email`");
    CHECK_ERR(ss_unarchive_safebox(client, guid, NULL), SS_ERR_NULL_ARGUMENT, "`user_email`");
    CHECK_ERR(ss_archive_safebox(client, guid, BAD_UTF8), SS_ERR_INVALID_UTF8, "`user_email`");
    CHECK_ERR(ss_unarchive_safebox(client, guid, BAD_UTF8), SS_ERR_INVALID_UTF8, "`user_email`");

    /* New SafeBoxes are followed. */
    CHECK(state_has(guid, "\"followed\":true"));
    CHECK_RC(ss_unfollow_safebox(client, guid), SS_OK);
    CHECK(state_has(guid, "\"followed\":false"));
    CHECK_RC(ss_unfollow_safebox(client, guid), SS_OK);
    CHECK(state_has(guid, "\"followed\":false"));
    CHECK_RC(ss_follow_safebox(client, guid), SS_OK);
    CHECK(state_has(guid, "\"followed\":true"));
    CHECK_RC(ss_follow_safebox(client, guid), SS_OK);
    CHECK(state_has(guid, "\"followed\":true"));
}

static void test_close_and_delete(const ss_client *client) {
    char guid[64];
    char subject[64];
    ss_safebox *sb = new_safebox(USER_EMAIL);
    snprintf(subject, sizeof subject, "transfer-close-%ld-%u", (long)getpid(), ++g_serial);
    CHECK_RC(ss_safebox_set_subject(sb, subject), SS_OK);
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, "to-delete.txt", NULL), SS_OK);
    if (!submit(client, sb, guid, sizeof guid)) return;
    ss_message_list *list = messages_of(client, guid);
    const ss_document *doc = find_document(list, "to-delete.txt");
    char doc_id[64];
    snprintf(doc_id, sizeof doc_id, "%s", doc ? ss_document_id(doc) : "");
    ss_message_list_free(list);

    /* Deleting the content of an open SafeBox is refused. */
    CHECK_ERR(ss_delete_safebox_content(client, guid), SS_ERR_HTTP_STATUS, "Unable to delete the SafeBox content.");
    CHECK(ss_last_error_http_status() == 400);

    ss_safebox_info *info = info_of(client, guid);
    CHECK_STR(ss_safebox_info_status(info), "in_progress");
    CHECK(ss_safebox_info_closed_at(info) == NULL);
    ss_safebox_info_free(info);
    CHECK(listed(client, "in_progress", subject, guid) == 1);

    CHECK_RC(ss_close_safebox(client, guid), SS_OK);
    info = info_of(client, guid);
    CHECK_STR(ss_safebox_info_status(info), "closed");
    CHECK(ss_safebox_info_closed_at(info) != NULL);
    CHECK(ss_safebox_info_content_deleted_at(info) == NULL);
    ss_safebox_info_free(info);
    CHECK(state_has(guid, "\"status\":\"closed\""));
    CHECK(listed(client, "closed", subject, guid) == 1);
    CHECK(listed(client, "in_progress", subject, guid) == 0);
    /* Twice: refused (spec E19). */
    CHECK_ERR(ss_close_safebox(client, guid), SS_ERR_HTTP_STATUS, "Unable to close the SafeBox.");
    CHECK(ss_last_error_http_status() == 400);
    char body[512];
    CHECK(ss_last_error_body(body, sizeof body) > 0 && contains(body, "Unable to close the SafeBox."));
    /* Its documents can still be downloaded, but not replied to. */
    sink s;
    sink_init(&s);
    CHECK_RC(ss_download_document_to(client, guid, doc_id, USER_EMAIL, on_write, &s, NULL, NULL), SS_OK);
    CHECK(sink_equals(&s, g_bytes, BYTES_SIZE));
    sink_free(&s);
    ss_reply *reply = NULL;
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK_RC(ss_reply_set_message(reply, "too late"), SS_OK);
    CHECK_ERR(ss_send_reply(client, guid, reply, NULL, NULL), SS_ERR_HTTP_STATUS, "400");
    CHECK(ss_last_error_http_status() == 400);
    CHECK_RC(ss_reply_add_attachment_bytes(reply, g_bytes, 10, "late.raw", NULL), SS_OK);
    CHECK_ERR(ss_send_reply(client, guid, reply, NULL, NULL), SS_ERR_HTTP_STATUS, "400");
    ss_reply_free(reply);

    CHECK_RC(ss_delete_safebox_content(client, guid), SS_OK);
    info = info_of(client, guid);
    CHECK_STR(ss_safebox_info_status(info), "content_deleted");
    CHECK(ss_safebox_info_content_deleted_at(info) != NULL);
    ss_safebox_info_free(info);
    CHECK(state_has(guid, "\"status\":\"content_deleted\""));
    CHECK(state_has(guid, "\"stored\":false"));
    CHECK(!state_has(guid, "\"stored\":true"));
    CHECK(listed(client, "content_deleted", subject, guid) == 1);
    CHECK(listed(client, "closed", subject, guid) == 0);
    CHECK_ERR(ss_delete_safebox_content(client, guid), SS_ERR_HTTP_STATUS, "Unable to delete the SafeBox content.");
    CHECK_ERR(ss_close_safebox(client, guid), SS_ERR_HTTP_STATUS, "Unable to close the SafeBox.");
    /* Deleted content: no more marks (spec E21-E22) nor downloads. */
    CHECK_ERR(ss_mark_as_read(client, guid), SS_ERR_HTTP_STATUS, "Unable to mark the SafeBox as Read.");
    CHECK_ERR(ss_mark_as_unread(client, guid), SS_ERR_HTTP_STATUS, "Unable to mark the SafeBox as Unread.");
    char *url = NULL;
    CHECK_ERR(ss_get_document_url(client, guid, doc_id, USER_EMAIL, &url), SS_ERR_HTTP_STATUS, "400");
    CHECK(ss_last_error_http_status() == 400);
    CHECK(url == NULL);
    char target[700];
    in_dir(target, sizeof target, "deleted.txt");
    CHECK_ERR(ss_download_document(client, guid, doc_id, USER_EMAIL, target, NULL, NULL), SS_ERR_HTTP_STATUS, "400");
    CHECK(nothing_at(target));
    sink_init(&s);
    CHECK_ERR(ss_download_document_to(client, guid, doc_id, USER_EMAIL, on_write, &s, NULL, NULL), SS_ERR_HTTP_STATUS,
              "400");
    CHECK(s.calls == 0);
    sink_free(&s);
    /* The audit record stays. */
    sink_init(&s);
    CHECK_RC(ss_download_audit_record_to(client, guid, on_write, &s, NULL, NULL), SS_OK);
    CHECK(s.len > 5 && memcmp(s.data, "%PDF-", 5) == 0);
    sink_free(&s);
}

/* Refusals common to every call on a SafeBox: unknown GUID (404), a SafeBox of someone else
 * (403), injected server errors and malformed answers, and the argument checks. */

static char g_doc_id[64];      /* a document of the SafeBox under test */
static char g_target[700];     /* where the path downloads write */
static ss_reply *g_reply;      /* a reply with a message */
static sink g_sink;

static ss_result do_add_time(const ss_client *c, const char *g) { return ss_add_time(c, g, 1, "days", NULL); }
static ss_result do_close(const ss_client *c, const char *g) { return ss_close_safebox(c, g); }
static ss_result do_delete(const ss_client *c, const char *g) { return ss_delete_safebox_content(c, g); }
static ss_result do_read(const ss_client *c, const char *g) { return ss_mark_as_read(c, g); }
static ss_result do_unread(const ss_client *c, const char *g) { return ss_mark_as_unread(c, g); }
static ss_result do_message_read(const ss_client *c, const char *g) { return ss_mark_message_read(c, g, 1); }
static ss_result do_message_unread(const ss_client *c, const char *g) { return ss_mark_message_unread(c, g, 1); }
static ss_result do_archive(const ss_client *c, const char *g) { return ss_archive_safebox(c, g, USER_EMAIL); }
static ss_result do_unarchive(const ss_client *c, const char *g) { return ss_unarchive_safebox(c, g, USER_EMAIL); }
static ss_result do_follow(const ss_client *c, const char *g) { return ss_follow_safebox(c, g); }
static ss_result do_unfollow(const ss_client *c, const char *g) { return ss_unfollow_safebox(c, g); }
static ss_result do_reply(const ss_client *c, const char *g) { return ss_send_reply(c, g, g_reply, NULL, NULL); }
static ss_result do_document_url(const ss_client *c, const char *g) {
    char *url = NULL;
    ss_result rc = ss_get_document_url(c, g, g_doc_id, USER_EMAIL, &url);
    if (rc != SS_OK) CHECK(url == NULL);
    ss_string_free(url);
    return rc;
}
static ss_result do_download(const ss_client *c, const char *g) {
    return ss_download_document(c, g, g_doc_id, USER_EMAIL, g_target, NULL, NULL);
}
static ss_result do_download_to(const ss_client *c, const char *g) {
    return ss_download_document_to(c, g, g_doc_id, USER_EMAIL, on_write, &g_sink, NULL, NULL);
}
static ss_result do_audit_url(const ss_client *c, const char *g) {
    char *url = NULL;
    ss_result rc = ss_get_audit_record_url(c, g, &url);
    if (rc != SS_OK) CHECK(url == NULL);
    ss_string_free(url);
    return rc;
}
static ss_result do_audit(const ss_client *c, const char *g) { return ss_download_audit_record(c, g, g_target, NULL, NULL); }
static ss_result do_audit_to(const ss_client *c, const char *g) {
    return ss_download_audit_record_to(c, g, on_write, &g_sink, NULL, NULL);
}

typedef struct {
    const char *name;
    const char *method;  /* of the first request under /api/v2/safeboxes/GUID */
    const char *suffix;  /* its path after the GUID, without .json */
    int refused_at_200;  /* a {"result":false,...} with 200 is a refusal (actions) */
    ss_result (*run)(const ss_client *, const char *);
} guid_call;

static const guid_call g_calls[] = {
    {"ss_add_time", "PATCH", "/add_time", 1, do_add_time},
    {"ss_close_safebox", "PATCH", "/close", 1, do_close},
    {"ss_delete_safebox_content", "PATCH", "/delete_content", 1, do_delete},
    {"ss_mark_as_read", "PATCH", "/mark_as_read", 1, do_read},
    {"ss_mark_as_unread", "PATCH", "/mark_as_unread", 1, do_unread},
    {"ss_mark_message_read", "PATCH", "/messages/1/read", 1, do_message_read},
    {"ss_mark_message_unread", "PATCH", "/messages/1/unread", 1, do_message_unread},
    {"ss_archive_safebox", "POST", "/tag/archive", 1, do_archive},
    {"ss_unarchive_safebox", "POST", "/untag/archive", 1, do_unarchive},
    {"ss_follow_safebox", "PATCH", "/follow", 1, do_follow},
    {"ss_unfollow_safebox", "PATCH", "/unfollow", 1, do_unfollow},
    {"ss_send_reply", "POST", "/messages", 1, do_reply},
    {"ss_get_document_url", "GET", "/documents", 0, do_document_url},
    {"ss_download_document", "GET", "/documents", 0, do_download},
    {"ss_download_document_to", "GET", "/documents", 0, do_download_to},
    {"ss_get_audit_record_url", "GET", "/audit_record_pdf", 0, do_audit_url},
    {"ss_download_audit_record", "GET", "/audit_record_pdf", 0, do_audit},
    {"ss_download_audit_record_to", "GET", "/audit_record_pdf", 0, do_audit_to},
};
#define CALL_COUNT (sizeof g_calls / sizeof g_calls[0])

/* Runs a check for the call `c`, naming it when the check fails. */
#define FOR_CALL(c, check) \
    do {                   \
        if (!(check)) fprintf(stderr, "  (in %s)\n", (c)->name); \
    } while (0)

static void test_refusals(const ss_client *client, const ss_client *bob) {
    char guid[64];
    ss_safebox *sb = new_safebox(USER_EMAIL);
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, "refusals.txt", NULL), SS_OK);
    if (!submit(client, sb, guid, sizeof guid)) return;
    ss_message_list *list = messages_of(client, guid);
    const ss_document *doc = find_document(list, "refusals.txt");
    snprintf(g_doc_id, sizeof g_doc_id, "%s", doc ? ss_document_id(doc) : "");
    ss_message_list_free(list);
    in_dir(g_target, sizeof g_target, "refused.bin");
    CHECK_RC(ss_reply_new(&g_reply), SS_OK);
    CHECK_RC(ss_reply_set_message(g_reply, "a reply"), SS_OK);
    char body[1024];
    char path[256];

    for (size_t i = 0; i < CALL_COUNT; i++) {
        const guid_call *c = &g_calls[i];
        sink_init(&g_sink);
        /* 404: an unknown SafeBox; a GUID that tries to leave its path segment. */
        FOR_CALL(c, CHECK_ERR(c->run(client, UNKNOWN_GUID), SS_ERR_HTTP_STATUS, "404"));
        FOR_CALL(c, CHECK(ss_last_error_http_status() == 404));
        FOR_CALL(c, CHECK(ss_last_error_body(body, sizeof body) > 0 &&
                          contains(body, "The requested URL cannot be found.")));
        FOR_CALL(c, CHECK_ERR(c->run(client, "../safeboxes"), SS_ERR_HTTP_STATUS, "404"));
        /* 403: bob acting on demo's SafeBox. */
        FOR_CALL(c, CHECK_ERR(c->run(bob, guid), SS_ERR_HTTP_STATUS, "Access denied"));
        FOR_CALL(c, CHECK(ss_last_error_http_status() == 403));
        /* 500, with and without a body. */
        snprintf(path, sizeof path, "/api/v2/safeboxes/%s%s", guid, c->suffix);
        CHECK(inject(c->method, path, 500, NULL, NULL));
        FOR_CALL(c, CHECK_ERR(c->run(client, guid), SS_ERR_HTTP_STATUS, "500"));
        FOR_CALL(c, CHECK(ss_last_error_http_status() == 500));
        CHECK(inject(c->method, path, 500, NULL, "<html>Internal trouble</html>"));
        FOR_CALL(c, CHECK_ERR(c->run(client, guid), SS_ERR_HTTP_STATUS, "500"));
        FOR_CALL(c, CHECK(ss_last_error_body(body, sizeof body) > 0 && contains(body, "Internal trouble")));
        /* Malformed and unexpected answers. */
        CHECK(inject(c->method, path, 200, NULL, "{not json"));
        FOR_CALL(c, CHECK_ERR(c->run(client, guid), SS_ERR_DECODE, NULL));
        FOR_CALL(c, CHECK(ss_last_error_http_status() == 0));
        CHECK(inject(c->method, path, 200, NULL, "<html>ok</html>"));
        FOR_CALL(c, CHECK_ERR(c->run(client, guid), SS_ERR_DECODE, NULL));
        if (c->refused_at_200) {
            /* A refusal with 200 is a refusal all the same (its message and body kept). */
            CHECK(inject(c->method, path, 200, "{\"result\":false,\"message\":\"Refused by the test\"}", NULL));
            FOR_CALL(c, CHECK_ERR(c->run(client, guid), SS_ERR_HTTP_STATUS, "Refused by the test"));
            FOR_CALL(c, CHECK(ss_last_error_http_status() == 200));
            FOR_CALL(c, CHECK(ss_last_error_body(body, sizeof body) > 0 && contains(body, "Refused by the test")));
        } else {
            /* A URL answer without a URL, or with one that is not http(s). */
            CHECK(inject(c->method, path, 200, "{\"result\":true}", NULL));
            FOR_CALL(c, CHECK_ERR(c->run(client, guid), SS_ERR_DECODE, "url"));
            CHECK(inject(c->method, path, 200, "{\"url\":42}", NULL));
            FOR_CALL(c, CHECK_ERR(c->run(client, guid), SS_ERR_DECODE, "url"));
            if (c->run != do_document_url && c->run != do_audit_url) {
                CHECK(inject(c->method, path, 200, "{\"url\":\"ftp://127.0.0.1/file\"}", NULL));
                FOR_CALL(c, CHECK_ERR(c->run(client, guid), SS_ERR_DECODE, "http"));
            }
        }
        /* Arguments refused before anything is sent. */
        FOR_CALL(c, CHECK_ERR(c->run(NULL, guid), SS_ERR_NULL_ARGUMENT, "`client`"));
        FOR_CALL(c, CHECK_ERR(c->run(client, NULL), SS_ERR_NULL_ARGUMENT, "`guid`"));
        FOR_CALL(c, CHECK_ERR(c->run(client, BAD_UTF8), SS_ERR_INVALID_UTF8, "`guid`"));
        FOR_CALL(c, CHECK_ERR(c->run(client, ""), SS_ERR_INVALID_ARGUMENT, "SafeBox GUID cannot be null"));
        FOR_CALL(c, CHECK_ERR(c->run(client, "  "), SS_ERR_INVALID_ARGUMENT, "SafeBox GUID cannot be null"));
        /* No path download left anything; the write callbacks got nothing. */
        FOR_CALL(c, CHECK(nothing_at(g_target)));
        FOR_CALL(c, CHECK(g_sink.calls == 0));
        sink_free(&g_sink);
    }
    clear_faults();
    ss_reply_free(g_reply);
    g_reply = NULL;

    /* Nothing changed: the SafeBox is as it was created, its message not duplicated. */
    CHECK(state_has(guid, "\"status\":\"in_progress\""));
    CHECK(state_has(guid, "\"message_count\":1"));
    CHECK(state_has(guid, "\"followed\":true"));
    CHECK(state_has(guid, "\"tags\":[]"));
}

/* ---------------------------------------------------------------------------------------------
 * Downloads */

typedef struct {
    const char *name;
    const unsigned char *data;
    size_t size;
    char id[64];
} source_doc;

static void test_downloads(const ss_client *client) {
    static const unsigned char one = 0xA5;
    source_doc docs[] = {
        {"report.pdf", NULL, FILE_SIZE, ""},
        {"empty.txt", NULL, 0, ""},
        {"one.raw", &one, 1, ""},
        {UTF8_NAME, g_bytes, BYTES_SIZE, ""},
        {"stream.dat", g_stream_data, STREAM_SIZE, ""},
    };
    const size_t n = sizeof docs / sizeof docs[0];
    docs[0].data = g_file_data;
    ss_safebox *sb = new_safebox(USER_EMAIL);
    CHECK_RC(ss_safebox_add_attachment_file(sb, g_file, NULL, NULL), SS_OK);
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, NULL, 0, "empty.txt", NULL), SS_OK);
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, &one, 1, "one.raw", NULL), SS_OK);
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, UTF8_NAME, NULL), SS_OK);
    stream_source src;
    stream_init(&src, g_stream_data, STREAM_SIZE);
    CHECK_RC(ss_safebox_add_attachment_stream(sb, on_read, &src, STREAM_SIZE, "stream.dat", NULL), SS_OK);
    char guid[64];
    if (!submit(client, sb, guid, sizeof guid)) return;
    ss_message_list *list = messages_of(client, guid);
    for (size_t i = 0; i < n; i++) {
        const ss_document *d = find_document(list, docs[i].name);
        CHECK(d != NULL);
        CHECK(ss_document_size(d) == docs[i].size);
        snprintf(docs[i].id, sizeof docs[i].id, "%s", d ? ss_document_id(d) : "");
    }
    ss_message_list_free(list);

    /* Document URLs, for the owner and for the guest. */
    char *url = NULL;
    CHECK_RC(ss_get_document_url(client, guid, docs[0].id, USER_EMAIL, &url), SS_OK);
    CHECK(url != NULL && (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0));
    CHECK(url != NULL && !contains(url, "USER|")); /* a capability, not the token */
    char *again = NULL;
    CHECK_RC(ss_get_document_url(client, guid, docs[0].id, GUEST_EMAIL, &again), SS_OK);
    CHECK(again != NULL && strncmp(again, "http", 4) == 0);
    ss_string_free(again);
    ss_string_free(url);
    url = NULL;
    CHECK_ERR(ss_get_document_url(client, guid, docs[0].id, "stranger@example.com", &url), SS_ERR_HTTP_STATUS,
              "User email not found");
    CHECK(ss_last_error_http_status() == 400);
    CHECK_ERR(ss_get_document_url(client, guid, UNKNOWN_GUID, USER_EMAIL, &url), SS_ERR_HTTP_STATUS, "404");
    CHECK(url == NULL);
    CHECK_ERR(ss_get_document_url(client, guid, docs[0].id, USER_EMAIL, NULL), SS_ERR_NULL_ARGUMENT, "`out_url`");
    CHECK_ERR(ss_get_document_url(client, guid, NULL, USER_EMAIL, &url), SS_ERR_NULL_ARGUMENT, "`document_id`");
    CHECK_ERR(ss_get_document_url(client, guid, docs[0].id, NULL, &url), SS_ERR_NULL_ARGUMENT, "`user_email`");
    CHECK_ERR(ss_get_document_url(client, guid, BAD_UTF8, USER_EMAIL, &url), SS_ERR_INVALID_UTF8, "`document_id`");
    CHECK_ERR(ss_get_document_url(client, guid, docs[0].id, BAD_UTF8, &url), SS_ERR_INVALID_UTF8, "`user_email`");
    CHECK_ERR(ss_get_document_url(client, guid, "", USER_EMAIL, &url), SS_ERR_INVALID_ARGUMENT, "Document");
    CHECK_ERR(ss_get_document_url(client, guid, docs[0].id, "", &url), SS_ERR_INVALID_ARGUMENT, "email");
    CHECK(url == NULL);

    /* Every document to a path and to a write callback, with progress: byte-identical. */
    for (size_t i = 0; i < n; i++) {
        char target[700];
        char name[64];
        snprintf(name, sizeof name, "download-%u-%s", (unsigned)i, i == 3 ? UTF8_NAME : "copy");
        in_dir(target, sizeof target, name);
        progress_log log;
        progress_log_init(&log);
        CHECK_RC(ss_download_document(client, guid, docs[i].id, USER_EMAIL, target, on_progress, &log), SS_OK);
        CHECK(file_equals(target, docs[i].data, docs[i].size));
        check_download_progress(&log, docs[i].size);
        char part[1024];
        part_of(part, sizeof part, target);
        CHECK(!exists(part));
        /* Again over the existing file, without progress: replaced. */
        CHECK(write_file(target, (const unsigned char *)"old content that is longer than one byte", 40));
        CHECK_RC(ss_download_document(client, guid, docs[i].id, USER_EMAIL, target, NULL, NULL), SS_OK);
        CHECK(file_equals(target, docs[i].data, docs[i].size));
        CHECK(unlink(target) == 0);

        sink s;
        sink_init(&s);
        progress_log_init(&log);
        CHECK_RC(ss_download_document_to(client, guid, docs[i].id, USER_EMAIL, on_write, &s, on_progress, &log), SS_OK);
        CHECK(sink_equals(&s, docs[i].data, docs[i].size));
        CHECK(s.wrong_thread == 0);
        CHECK(s.max_block <= BLOCK);
        CHECK(docs[i].size == 0 || s.calls >= 1);
        check_download_progress(&log, docs[i].size);
        sink_free(&s);
        /* Without progress callback. */
        sink_init(&s);
        CHECK_RC(ss_download_document_to(client, guid, docs[i].id, GUEST_EMAIL, on_write, &s, NULL, NULL), SS_OK);
        CHECK(sink_equals(&s, docs[i].data, docs[i].size));
        sink_free(&s);
    }
    /* The downloads were recorded for the participants. */
    char *activity = NULL;
    CHECK_RC(ss_get_safebox_download_activity(client, guid, &activity), SS_OK);
    CHECK(contains(activity, docs[0].id));
    ss_string_free(activity);

    /* Stopped by the progress callback: no file at the path nor at <path>.part. */
    char target[700];
    in_dir(target, sizeof target, "aborted.pdf");
    progress_log log;
    progress_log_init(&log);
    log.abort_at_call = 1;
    CHECK_ERR(ss_download_document(client, guid, docs[0].id, USER_EMAIL, target, on_progress, &log),
              SS_ERR_ABORTED_BY_CALLBACK, "progress");
    CHECK(log.calls == 1 && log.wrong_thread == 0);
    CHECK(nothing_at(target));
    progress_log_init(&log);
    log.abort_after_bytes = 1; /* in the middle */
    CHECK_ERR(ss_download_document(client, guid, docs[0].id, USER_EMAIL, target, on_progress, &log),
              SS_ERR_ABORTED_BY_CALLBACK, NULL);
    CHECK(log.last_sent > 0 && log.wrong_thread == 0);
    CHECK(nothing_at(target));
    /* A stop asked at the first or at the last report of a small or empty document is obeyed
     * too, though the whole download may fit in one read: nothing is written at the path. Many
     * times, since a stop handled too late shows only now and then. */
    for (int round = 0; round < 20; round++) {
        for (size_t i = 1; i <= 2; i++) { /* empty.txt, one.raw */
            progress_log_init(&log);
            log.abort_at_call = round % 2 == 0 ? 1 : 2;
            ss_result rc = ss_download_document(client, guid, docs[i].id, USER_EMAIL, target, on_progress, &log);
            if (log.calls < log.abort_at_call) {
                CHECK_RC(rc, SS_OK); /* no report to stop at: the one-report case of an empty file */
                CHECK(unlink(target) == 0);
                continue;
            }
            CHECK_ERR(rc, SS_ERR_ABORTED_BY_CALLBACK, "progress");
            CHECK(log.calls == log.abort_at_call);
            CHECK(nothing_at(target));
            sink ws;
            sink_init(&ws);
            progress_log_init(&log);
            log.abort_at_call = round % 2 == 0 ? 1 : 2;
            rc = ss_download_document_to(client, guid, docs[i].id, USER_EMAIL, on_write, &ws, on_progress, &log);
            if (log.calls >= log.abort_at_call) CHECK_ERR(rc, SS_ERR_ABORTED_BY_CALLBACK, "progress");
            else CHECK_RC(rc, SS_OK);
            sink_free(&ws);
        }
    }
    /* A file already at the path stays as it was. */
    CHECK(write_file(target, g_bytes, 100));
    progress_log_init(&log);
    log.abort_after_bytes = 1;
    CHECK_ERR(ss_download_document(client, guid, docs[0].id, USER_EMAIL, target, on_progress, &log),
              SS_ERR_ABORTED_BY_CALLBACK, NULL);
    CHECK(file_equals(target, g_bytes, 100));
    char part[1024];
    part_of(part, sizeof part, target);
    CHECK(!exists(part));
    CHECK(unlink(target) == 0);
    /* To a write callback: what it got is the start of the document. */
    sink s;
    sink_init(&s);
    progress_log_init(&log);
    log.abort_after_bytes = 1;
    CHECK_ERR(ss_download_document_to(client, guid, docs[0].id, USER_EMAIL, on_write, &s, on_progress, &log),
              SS_ERR_ABORTED_BY_CALLBACK, NULL);
    CHECK(s.len < FILE_SIZE && (s.len == 0 || memcmp(s.data, g_file_data, s.len) == 0));
    CHECK(s.wrong_thread == 0 && log.wrong_thread == 0);
    sink_free(&s);
    sink_init(&s);
    progress_log_init(&log);
    log.abort_at_call = 1;
    CHECK_ERR(ss_download_document_to(client, guid, docs[3].id, USER_EMAIL, on_write, &s, on_progress, &log),
              SS_ERR_ABORTED_BY_CALLBACK, NULL);
    CHECK(s.calls == 0 && log.calls == 1);
    sink_free(&s);

    /* A write callback that fails, or takes less than it was given: SS_ERR_IO, and no more calls. */
    sink_init(&s);
    s.fail_at_call = 1;
    CHECK_ERR(ss_download_document_to(client, guid, docs[0].id, USER_EMAIL, on_write, &s, NULL, NULL), SS_ERR_IO,
              "write callback");
    CHECK(s.calls == 1 && s.wrong_thread == 0);
    sink_free(&s);
    sink_init(&s);
    s.fail_at_call = 2;
    CHECK_ERR(ss_download_document_to(client, guid, docs[0].id, USER_EMAIL, on_write, &s, NULL, NULL), SS_ERR_IO,
              "write callback");
    CHECK(s.calls == 2);
    CHECK(s.len > 0 && s.len < FILE_SIZE && memcmp(s.data, g_file_data, s.len) == 0);
    sink_free(&s);
    sink_init(&s);
    s.short_at_call = 1;
    CHECK_ERR(ss_download_document_to(client, guid, docs[2].id, USER_EMAIL, on_write, &s, NULL, NULL), SS_ERR_IO,
              "write callback");
    CHECK(s.calls == 1);
    sink_free(&s);

    /* Paths that cannot be written: SS_ERR_IO, nothing left. */
    char below_file[700];
    snprintf(below_file, sizeof below_file, "%s/below.bin", g_file); /* g_file is not a directory */
    CHECK_ERR(ss_download_document(client, guid, docs[2].id, USER_EMAIL, below_file, NULL, NULL), SS_ERR_IO, "below.bin");
    char no_dir[700];
    in_dir(no_dir, sizeof no_dir, "no-such-dir/file.bin");
    CHECK_ERR(ss_download_document(client, guid, docs[2].id, USER_EMAIL, no_dir, NULL, NULL), SS_ERR_IO, "no-such-dir");
    CHECK(nothing_at(no_dir));
    char sub[700];
    in_dir(sub, sizeof sub, "a-directory");
    CHECK(mkdir(sub, 0700) == 0);
    char inner[800];
    snprintf(inner, sizeof inner, "%s/keep", sub);
    CHECK(write_file(inner, g_bytes, 1));
    CHECK_ERR(ss_download_document(client, guid, docs[3].id, USER_EMAIL, sub, NULL, NULL), SS_ERR_IO, "a-directory");
    part_of(part, sizeof part, sub);
    CHECK(!exists(part));
    CHECK(file_equals(inner, g_bytes, 1));
    CHECK(unlink(inner) == 0 && rmdir(sub) == 0);

    /* A download server that fails, or a connection cut. */
    in_dir(target, sizeof target, "server-error.bin");
    CHECK(inject("GET", "/files", 500, NULL, NULL));
    CHECK_ERR(ss_download_document(client, guid, docs[0].id, USER_EMAIL, target, NULL, NULL), SS_ERR_HTTP_STATUS, "500");
    CHECK(ss_last_error_http_status() == 500);
    CHECK(nothing_at(target));
    CHECK(inject("GET", "/files", 404, NULL, NULL));
    sink_init(&s);
    CHECK_ERR(ss_download_document_to(client, guid, docs[0].id, USER_EMAIL, on_write, &s, NULL, NULL),
              SS_ERR_HTTP_STATUS, "404");
    CHECK(s.calls == 0);
    sink_free(&s);
    /* Every attempt cut (a single cut is retried: see test_reliability.c). */
    CHECK(control("POST", "faults", "{\"kind\":\"drop_connection\",\"method\":\"GET\",\"path\":\"/files\",\"count\":0}",
                  NULL, 0) == 200);
    CHECK_ERR(ss_download_document(client, guid, docs[0].id, USER_EMAIL, target, NULL, NULL), SS_ERR_CONNECT, NULL);
    CHECK(nothing_at(target));
    clear_faults();

    /* Argument checks. */
    CHECK_ERR(ss_download_document(client, guid, docs[0].id, USER_EMAIL, NULL, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`path`");
    CHECK_ERR(ss_download_document(client, guid, docs[0].id, USER_EMAIL, BAD_UTF8, NULL, NULL), SS_ERR_INVALID_UTF8,
              "`path`");
    CHECK_ERR(ss_download_document(client, guid, docs[0].id, USER_EMAIL, "", NULL, NULL), SS_ERR_INVALID_ARGUMENT,
              "`path`");
    CHECK_ERR(ss_download_document(client, guid, NULL, USER_EMAIL, target, NULL, NULL), SS_ERR_NULL_ARGUMENT,
              "`document_id`");
    CHECK_ERR(ss_download_document(client, guid, docs[0].id, NULL, target, NULL, NULL), SS_ERR_NULL_ARGUMENT,
              "`user_email`");
    CHECK_ERR(ss_download_document(client, guid, BAD_UTF8, USER_EMAIL, target, NULL, NULL), SS_ERR_INVALID_UTF8,
              "`document_id`");
    CHECK_ERR(ss_download_document(client, guid, docs[0].id, BAD_UTF8, target, NULL, NULL), SS_ERR_INVALID_UTF8,
              "`user_email`");
    CHECK_ERR(ss_download_document(client, guid, "", USER_EMAIL, target, NULL, NULL), SS_ERR_INVALID_ARGUMENT,
              "Document");
    CHECK_ERR(ss_download_document(client, guid, docs[0].id, "", target, NULL, NULL), SS_ERR_INVALID_ARGUMENT, "email");
    CHECK_ERR(ss_download_document(client, guid, docs[0].id, "stranger@example.com", target, NULL, NULL),
              SS_ERR_HTTP_STATUS, "User email not found");
    CHECK_ERR(ss_download_document(client, guid, UNKNOWN_GUID, USER_EMAIL, target, NULL, NULL), SS_ERR_HTTP_STATUS,
              "404");
    CHECK(nothing_at(target));
    sink_init(&s);
    CHECK_ERR(ss_download_document_to(client, guid, docs[0].id, USER_EMAIL, NULL, &s, NULL, NULL), SS_ERR_NULL_ARGUMENT,
              "`write`");
    CHECK_ERR(ss_download_document_to(client, guid, NULL, USER_EMAIL, on_write, &s, NULL, NULL), SS_ERR_NULL_ARGUMENT,
              "`document_id`");
    CHECK_ERR(ss_download_document_to(client, guid, docs[0].id, NULL, on_write, &s, NULL, NULL), SS_ERR_NULL_ARGUMENT,
              "`user_email`");
    CHECK_ERR(ss_download_document_to(client, guid, BAD_UTF8, USER_EMAIL, on_write, &s, NULL, NULL), SS_ERR_INVALID_UTF8,
              "`document_id`");
    CHECK_ERR(ss_download_document_to(client, guid, docs[0].id, BAD_UTF8, on_write, &s, NULL, NULL), SS_ERR_INVALID_UTF8,
              "`user_email`");
    CHECK_ERR(ss_download_document_to(client, guid, "", USER_EMAIL, on_write, &s, NULL, NULL), SS_ERR_INVALID_ARGUMENT,
              "Document");
    CHECK_ERR(ss_download_document_to(client, guid, docs[0].id, " ", on_write, &s, NULL, NULL), SS_ERR_INVALID_ARGUMENT,
              "email");
    CHECK_ERR(ss_download_document_to(client, guid, UNKNOWN_GUID, USER_EMAIL, on_write, &s, NULL, NULL),
              SS_ERR_HTTP_STATUS, "404");
    CHECK(s.calls == 0);
    sink_free(&s);
}

static void test_audit_record(const ss_client *client) {
    char guid[64];
    if (!plain_safebox(client, guid, sizeof guid, NULL, 0)) return;
    CHECK_RC(ss_close_safebox(client, guid), SS_OK);

    char *url = NULL;
    CHECK_RC(ss_get_audit_record_url(client, guid, &url), SS_OK);
    CHECK(url != NULL && strncmp(url, "http", 4) == 0);
    CHECK(contains(url, ".pdf"));
    ss_string_free(url);
    url = NULL;
    CHECK_ERR(ss_get_audit_record_url(client, guid, NULL), SS_ERR_NULL_ARGUMENT, "`out_url`");

    /* To a path, with progress: a PDF about this SafeBox. */
    char target[700];
    in_dir(target, sizeof target, "audit.pdf");
    progress_log log;
    progress_log_init(&log);
    CHECK_RC(ss_download_audit_record(client, guid, target, on_progress, &log), SS_OK);
    size_t len = 0;
    unsigned char *pdf = read_all(target, &len);
    CHECK(pdf != NULL && len > 5 && memcmp(pdf, "%PDF-", 5) == 0);
    check_download_progress(&log, log.last_total);
    CHECK(log.last_sent == len);
    CHECK(log.last_total == 0 || log.last_total == len);
    char *text = (char *)malloc(len + 1);
    if (text != NULL && pdf != NULL) {
        memcpy(text, pdf, len);
        text[len] = '\0';
        for (size_t i = 0; i < len; i++)
            if (text[i] == '\0') text[i] = ' ';
        CHECK(contains(text, guid));
        CHECK(contains(text, "%%EOF"));
    }
    free(text);
    char part[1024];
    part_of(part, sizeof part, target);
    CHECK(!exists(part));
    /* Without progress, over the existing file. */
    CHECK(write_file(target, g_bytes, 10));
    CHECK_RC(ss_download_audit_record(client, guid, target, NULL, NULL), SS_OK);
    CHECK(pdf != NULL && file_equals(target, pdf, len));
    CHECK(unlink(target) == 0);

    /* To a write callback: the same bytes. */
    sink s;
    sink_init(&s);
    progress_log_init(&log);
    CHECK_RC(ss_download_audit_record_to(client, guid, on_write, &s, on_progress, &log), SS_OK);
    CHECK(pdf != NULL && sink_equals(&s, pdf, len));
    CHECK(s.wrong_thread == 0 && s.calls >= 1 && s.max_block <= BLOCK);
    CHECK(log.wrong_thread == 0 && log.calls >= 1 && log.last_sent == len);
    sink_free(&s);
    sink_init(&s);
    CHECK_RC(ss_download_audit_record_to(client, guid, on_write, &s, NULL, NULL), SS_OK);
    CHECK(pdf != NULL && sink_equals(&s, pdf, len));
    sink_free(&s);
    free(pdf);

    /* Stopped by progress (to a write callback only: to a path, a small download may finish
     * before the stop is read, see test_downloads); failing write callback; unwritable path. */
    sink_init(&s);
    progress_log_init(&log);
    log.abort_at_call = 1;
    CHECK_ERR(ss_download_audit_record_to(client, guid, on_write, &s, on_progress, &log), SS_ERR_ABORTED_BY_CALLBACK,
              NULL);
    CHECK(s.calls == 0);
    sink_free(&s);
    sink_init(&s);
    s.fail_at_call = 1;
    CHECK_ERR(ss_download_audit_record_to(client, guid, on_write, &s, NULL, NULL), SS_ERR_IO, "write callback");
    CHECK(s.calls == 1);
    sink_free(&s);
    char no_dir[700];
    in_dir(no_dir, sizeof no_dir, "missing-dir/audit.pdf");
    CHECK_ERR(ss_download_audit_record(client, guid, no_dir, NULL, NULL), SS_ERR_IO, "missing-dir");
    CHECK(nothing_at(no_dir));
    /* The PDF's server failing. */
    char path[128];
    snprintf(path, sizeof path, "/s/%s", guid);
    CHECK(inject("GET", path, 500, NULL, NULL));
    CHECK_ERR(ss_download_audit_record(client, guid, target, NULL, NULL), SS_ERR_HTTP_STATUS, "500");
    CHECK(nothing_at(target));

    /* Argument checks. */
    CHECK_ERR(ss_download_audit_record(client, guid, NULL, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`path`");
    CHECK_ERR(ss_download_audit_record(client, guid, BAD_UTF8, NULL, NULL), SS_ERR_INVALID_UTF8, "`path`");
    CHECK_ERR(ss_download_audit_record(client, guid, "", NULL, NULL), SS_ERR_INVALID_ARGUMENT, "`path`");
    CHECK_ERR(ss_download_audit_record_to(client, guid, NULL, NULL, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`write`");
}

/* ---------------------------------------------------------------------------------------------
 * A download from another thread: its callbacks run there. */

typedef struct {
    const ss_client *client;
    const char *guid;
    const char *doc_id;
    ss_result rc_path, rc_write;
    progress_log log;
    sink s;
    char target[700];
} download_job;

static void *download_in_thread(void *arg) {
    download_job *job = (download_job *)arg;
    progress_log_init(&job->log);
    sink_init(&job->s);
    job->rc_write = ss_download_document_to(job->client, job->guid, job->doc_id, USER_EMAIL, on_write, &job->s,
                                            on_progress, &job->log);
    job->rc_path = ss_download_document(job->client, job->guid, job->doc_id, USER_EMAIL, job->target, NULL, NULL);
    return NULL;
}

static void test_download_threads(const ss_client *client) {
    ss_safebox *sb = new_safebox(USER_EMAIL);
    CHECK_RC(ss_safebox_add_attachment_file(sb, g_file, NULL, "threaded.pdf"), SS_OK);
    char guid[64];
    if (!submit(client, sb, guid, sizeof guid)) return;
    ss_message_list *list = messages_of(client, guid);
    char doc_id[64];
    const ss_document *d = find_document(list, "threaded.pdf");
    snprintf(doc_id, sizeof doc_id, "%s", d ? ss_document_id(d) : "");
    ss_message_list_free(list);

    enum { JOBS = 3 };
    download_job jobs[JOBS];
    pthread_t threads[JOBS];
    for (int i = 0; i < JOBS; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].client = client;
        jobs[i].guid = guid;
        jobs[i].doc_id = doc_id;
        char name[32];
        snprintf(name, sizeof name, "threaded-%d.pdf", i);
        in_dir(jobs[i].target, sizeof jobs[i].target, name);
        CHECK(pthread_create(&threads[i], NULL, download_in_thread, &jobs[i]) == 0);
    }
    for (int i = 0; i < JOBS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(jobs[i].rc_write == SS_OK && jobs[i].rc_path == SS_OK);
        CHECK(sink_equals(&jobs[i].s, g_file_data, FILE_SIZE));
        CHECK(jobs[i].s.wrong_thread == 0 && jobs[i].s.calls > 0);
        check_download_progress(&jobs[i].log, FILE_SIZE);
        CHECK(!pthread_equal(jobs[i].log.caller, pthread_self()));
        CHECK(file_equals(jobs[i].target, g_file_data, FILE_SIZE));
        CHECK(unlink(jobs[i].target) == 0);
        sink_free(&jobs[i].s);
    }
}

/* Calling the library from inside a download's callbacks is refused. */
typedef struct {
    const ss_client *client;
    const char *guid;
    int calls;
    ss_result nested;
    char message[512];
} reentry;

static int64_t reenter_on_write(void *user_data, const uint8_t *buf, size_t len) {
    (void)buf;
    reentry *r = (reentry *)user_data;
    if (r->calls++ == 0) {
        r->nested = ss_close_safebox(r->client, r->guid);
        ss_last_error_message(r->message, sizeof r->message);
    }
    return (int64_t)len;
}

static void test_reentry(const ss_client *client) {
    char guid[64];
    ss_safebox *sb = new_safebox(USER_EMAIL);
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, "reentry.txt", NULL), SS_OK);
    if (!submit(client, sb, guid, sizeof guid)) return;
    ss_message_list *list = messages_of(client, guid);
    char doc_id[64];
    const ss_document *d = find_document(list, "reentry.txt");
    snprintf(doc_id, sizeof doc_id, "%s", d ? ss_document_id(d) : "");
    ss_message_list_free(list);

    reentry r;
    memset(&r, 0, sizeof r);
    r.client = client;
    r.guid = guid;
    CHECK_RC(ss_download_document_to(client, guid, doc_id, USER_EMAIL, reenter_on_write, &r, NULL, NULL), SS_OK);
    CHECK(r.calls >= 1);
    CHECK(r.nested == SS_ERR_INVALID_STATE);
    CHECK(contains(r.message, "callback"));
    CHECK(state_has(guid, "\"status\":\"in_progress\"")); /* the nested close did nothing */

    /* From a reply's progress callback (support.h's reenter). */
    ss_reply *reply = NULL;
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK_RC(ss_reply_add_attachment_bytes(reply, g_bytes, 100, "reentered.raw", NULL), SS_OK);
    progress_log log;
    progress_log_init(&log);
    log.client = client;
    CHECK_RC(ss_send_reply(client, guid, reply, on_progress, &log), SS_OK);
    CHECK(log.reentered);
    CHECK(log.reentry_settings == SS_ERR_INVALID_STATE);
    CHECK(log.reentry_profiles == SS_ERR_INVALID_STATE);
    CHECK(log.reentry_token == SS_ERR_INVALID_STATE);
    CHECK(log.reentry_outs_untouched);
    ss_reply_free(reply);
}

int main(void) {
    if (!support_setup()) return 2;
    size_t len = 0;
    g_file_data = read_all(g_file, &len);
    if (g_file_data == NULL || len != FILE_SIZE) {
        fprintf(stderr, "cannot read back %s\n", g_file);
        free(g_file_data);
        support_cleanup();
        return 2;
    }

    test_reply_builder();

    ss_user_token *token = demo_token();
    ss_client *client = client_for(ss_user_token_token(token), ss_user_token_user_id(token), 0);
    ss_user_token *bob_token = NULL;
    CHECK_RC(ss_get_user_token(ACCOUNT, "bob", "bob-password", DEVICE_ID, DEVICE_NAME, NULL, g_url, NULL, NULL,
                               &bob_token),
             SS_OK);
    ss_client *bob = client_for(ss_user_token_token(bob_token), ss_user_token_user_id(bob_token), 0);
    if (client != NULL && bob != NULL) {
        test_send_reply(client);
        clear_faults();
        test_reply_aborts_and_retries(client);
        clear_faults();
        test_reply_consent(client);
        test_add_time(client);
        clear_faults();
        test_read_marks(client);
        test_archive_and_follow(client);
        test_close_and_delete(client);
        test_refusals(client, bob);
        clear_faults();
        test_downloads(client);
        clear_faults();
        test_audit_record(client);
        clear_faults();
        test_download_threads(client);
        test_reentry(client);
    }
    ss_client_free(bob);
    ss_user_token_free(bob_token);
    ss_client_free(client);
    ss_user_token_free(token);
    free(g_file_data);

    support_cleanup();
    return check_summary();
}
