/* Receiving SendSafely packages from C, against sendsecure-emulator's SendSafely service: a
 * package opened from its secure link (or its id and keycode), its information, a file
 * downloaded to a path and to a write callback (the bytes the sender encrypted), progress, a stop
 * from the progress callback, a failing write callback, a wrong keycode, an altered segment and a
 * size that is not the declared one (errors, nothing written), the secure message, a whole
 * package to a directory, the package lists page by page, and every NULL and bad UTF-8 argument.
 *
 * Environment: SS_TEST_SENDSAFELY_URL (the SendSafely emulator, control API on) and the packages
 * tests/c_api.rs sends first (tests/support/sendsafely_seed.rs): SS_TEST_SS_LINK,
 * SS_TEST_SS_PACKAGE_ID, SS_TEST_SS_MESSAGE, SS_TEST_SS_TAMPERED_LINK, SS_TEST_SS_OPEN_ID,
 * SS_TEST_SS_BADSIZE_LINK. Run by tests/c_api.rs like every tests/c/test_*.c. */
#include "support.h"

#include <dirent.h>

#define DEMO_KEY "demo-api-key"
#define DEMO_SECRET "demo-api-secret"
/* A well-formed keycode that is not the package's. */
#define WRONG_KEYCODE "AkdW1dOL9kL2a8x_8T0mGXTKIx0qJrhPJmbpzDwF-nQ"
#define REPORT_SIZE 2500u
#define NOTES_SIZE 10u
#define SEGMENT 1000u

static const char *g_sendsafely;
static const char *g_link, *g_package_id, *g_message, *g_tampered_link, *g_open_id, *g_badsize_link;

/* Byte `i` of a seeded file (tests/support/sendsafely_seed.rs computes the same). */
static unsigned char content_byte(size_t i, uint32_t seed) {
    return (unsigned char)((uint32_t)i * 7u + ((uint32_t)i >> 8) + seed * 13u);
}

/* Whether `data` is the seeded file of `size` bytes made with `seed`. */
static int is_content(const unsigned char *data, size_t len, size_t size, uint32_t seed) {
    if (len != size) return 0;
    for (size_t i = 0; i < len; i++)
        if (data[i] != content_byte(i, seed)) return 0;
    return 1;
}

/* Reads a whole file into `buf`; its length, or -1. */
static long read_file(const char *path, unsigned char *buf, size_t cap) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return -1;
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return (long)n;
}

/* How many entries (besides . and ..) a directory holds; -1 when it cannot be read. */
static int entries(const char *dir) {
    DIR *d = opendir(dir);
    if (d == NULL) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    closedir(d);
    return n;
}

/* Removes a directory's files (one level), then the directory. */
static void remove_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (d == NULL) return;
    struct dirent *e;
    char path[1200];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* A new empty directory under the test's temporary directory. */
static void new_dir(char *out, size_t len, const char *name) {
    snprintf(out, len, "%s/%s", g_dir, name);
    CHECK(mkdir(out, 0700) == 0);
}

static ss_sendsafely_client *client_of(const char *key, const char *secret) {
    ss_sendsafely_client *client = NULL;
    CHECK_RC(ss_sendsafely_client_new(g_sendsafely, key, secret, NULL, &client), SS_OK);
    return client;
}

static ss_sendsafely_received *open_link(const ss_sendsafely_client *client, const char *link) {
    ss_sendsafely_received *received = NULL;
    CHECK_RC(ss_sendsafely_open_link(client, link, &received), SS_OK);
    return received;
}

/* The id of file `index` of an opened package. */
static const char *file_id(const ss_sendsafely_received *received, size_t index) {
    return ss_sendsafely_file_id(ss_sendsafely_package_info_file(ss_sendsafely_received_info(received), index));
}

/* A write callback's sink: the bytes received, on which thread, and when to fail. */
typedef struct {
    unsigned char data[8192];
    size_t len;
    int calls;
    int wrong_thread;
    int overflow;
    int fail;          /* return -1 from the first call */
    pthread_t caller;
} sink;

static void sink_init(sink *s) {
    memset(s, 0, sizeof *s);
    s->caller = pthread_self();
}

static int64_t on_write(void *user_data, const uint8_t *buf, size_t len) {
    sink *s = (sink *)user_data;
    s->calls++;
    if (!pthread_equal(pthread_self(), s->caller)) s->wrong_thread++;
    if (s->fail) return -1;
    if (s->len + len > sizeof s->data) {
        s->overflow++;
        return -1;
    }
    memcpy(s->data + s->len, buf, len);
    s->len += len;
    return (int64_t)len;
}

/* A progress callback that frees the opened package it is given on its first report: the
 * library must keep it until the download returns. */
typedef struct {
    ss_sendsafely_received *received;
    int calls;
} freeing_progress;

static int free_on_first_report(void *user_data, const ss_progress *p) {
    freeing_progress *f = (freeing_progress *)user_data;
    (void)p;
    if (f->calls++ == 0) {
        ss_sendsafely_received_free(f->received);
        f->received = NULL;
    }
    return 0;
}

/* What a whole package's progress reports said: the files in turn. */
typedef struct {
    int calls;
    size_t max_index;
    size_t count;
    int index_went_back;
    int bytes_went_back;
    uint64_t last_bytes;
    size_t last_index;
} package_progress;

static int on_package_progress(void *user_data, const ss_progress *p) {
    package_progress *log = (package_progress *)user_data;
    if (log->calls > 0) {
        if (p->attachment_index < log->last_index) log->index_went_back++;
        if (p->attachment_index == log->last_index && p->attachment_bytes_sent < log->last_bytes)
            log->bytes_went_back++;
    }
    log->calls++;
    log->count = p->attachment_count;
    if (p->attachment_index > log->max_index) log->max_index = p->attachment_index;
    log->last_index = p->attachment_index;
    log->last_bytes = p->attachment_bytes_sent;
    return 0;
}

static void test_open_and_info(void) {
    ss_sendsafely_client *client = client_of(DEMO_KEY, DEMO_SECRET);
    ss_sendsafely_received *received = open_link(client, g_link);
    const ss_sendsafely_package_info *info = ss_sendsafely_received_info(received);
    CHECK(info != NULL);
    CHECK_STR(ss_sendsafely_package_info_id(info), g_package_id);
    CHECK(ss_sendsafely_package_info_contains_message(info));
    CHECK(ss_sendsafely_package_info_file_count(info) == 2);
    const ss_sendsafely_file *report = ss_sendsafely_package_info_file(info, 0);
    CHECK_STR(ss_sendsafely_file_name(report), "report.pdf");
    CHECK(ss_sendsafely_file_size(report) == REPORT_SIZE);
    CHECK(ss_sendsafely_file_parts(report) == 3);
    CHECK_STR(ss_sendsafely_file_name(ss_sendsafely_package_info_file(info, 1)), "../notes:1.txt");
    CHECK(ss_sendsafely_package_info_recipient_count(info) == 1);
    CHECK_STR(ss_sendsafely_recipient_email(ss_sendsafely_package_info_recipient(info, 0)), BOB_EMAIL);
    /* The rest of the information of a finalized package. */
    CHECK(ss_sendsafely_package_info_code(info) != NULL && ss_sendsafely_package_info_code(info)[0] != '\0');
    CHECK(contains(g_link, ss_sendsafely_package_info_code(info)));
    CHECK_STR(ss_sendsafely_package_info_sender(info), USER_EMAIL);
    CHECK(ss_sendsafely_package_info_state(info) != NULL);
    CHECK(ss_sendsafely_package_info_state_number(info) >= -1);
    CHECK(ss_sendsafely_package_info_life(info) >= -1);
    CHECK(ss_sendsafely_package_info_label(info) != NULL);
    CHECK(ss_sendsafely_package_info_description(info) != NULL);
    CHECK(!ss_sendsafely_package_info_is_workspace(info));
    CHECK(ss_sendsafely_package_info_root_directory_id(info) != NULL);
    CHECK(ss_sendsafely_package_info_timestamp(info) != NULL);
    CHECK(ss_sendsafely_package_info_parent_id(info) != NULL);
    /* Finalized: its link without the keycode. */
    CHECK(ss_sendsafely_package_info_url(info) != NULL && !contains(ss_sendsafely_package_info_url(info), "keyCode"));
    CHECK(!ss_sendsafely_package_info_needs_approval(info));
    (void)ss_sendsafely_package_info_allow_reply_all(info);
    CHECK(!ss_sendsafely_package_info_is_archived(info));
    CHECK(ss_sendsafely_package_info_directory_count(info) == 0);
    CHECK(ss_sendsafely_package_info_directory(info, 0) == NULL);
    CHECK(ss_sendsafely_package_info_file(info, 2) == NULL);
    CHECK(ss_sendsafely_file_uploaded(report));
    CHECK(ss_sendsafely_file_created_by(report) != NULL);
    CHECK(ss_sendsafely_file_uploaded_at(report) != NULL);
    CHECK(ss_sendsafely_file_directory_id(report) == NULL); /* not a Workspace's */
    const ss_sendsafely_recipient *bob = ss_sendsafely_package_info_recipient(info, 0);
    CHECK(ss_sendsafely_recipient_id(bob) != NULL && ss_sendsafely_recipient_id(bob)[0] != '\0');
    CHECK(ss_sendsafely_recipient_full_name(bob) != NULL);
    CHECK(ss_sendsafely_recipient_role(bob) != NULL); /* the emulator says VIEWER */
    CHECK(!ss_sendsafely_recipient_needs_approval(bob));
    CHECK(!ss_sendsafely_recipient_sms_auth(bob));
    CHECK(ss_sendsafely_recipient_phone_count(bob) == 0);
    CHECK(ss_sendsafely_recipient_phone_number(bob, 0) == NULL);
    CHECK(ss_sendsafely_recipient_phone_country_code(bob, 0) == 0);
    CHECK(ss_sendsafely_package_info_recipient(info, 1) == NULL);
    /* NULL items give the getters' defaults. */
    CHECK(ss_sendsafely_directory_id(NULL) == NULL);
    CHECK(ss_sendsafely_directory_name(NULL) == NULL);
    CHECK(ss_sendsafely_directory_parent_id(NULL) == NULL);
    CHECK(ss_sendsafely_file_id(NULL) == NULL && ss_sendsafely_file_size(NULL) == 0);
    CHECK(ss_sendsafely_package_info_file_count(NULL) == 0);
    /* The same package by its id and keycode (the link's fragment). */
    const char *keycode = strstr(g_link, "keyCode=");
    CHECK(keycode != NULL);
    ss_sendsafely_received *by_id = NULL;
    if (keycode != NULL) {
        CHECK_RC(ss_sendsafely_open_package(client, g_package_id, keycode + strlen("keyCode="), &by_id), SS_OK);
        CHECK_STR(ss_sendsafely_package_info_id(ss_sendsafely_received_info(by_id)), g_package_id);
        CHECK_STR(file_id(by_id, 0), file_id(received, 0));
    }
    /* An unknown package: the server's code. */
    ss_sendsafely_received *unknown = NULL;
    CHECK_ERR(ss_sendsafely_open_package(client, "ZZZZ-ZZZZ", WRONG_KEYCODE, &unknown), SS_ERR_API, NULL);
    CHECK(unknown == NULL);
    char code[64];
    ss_last_error_api_code_name(code, sizeof code);
    CHECK(code[0] != '\0');
    /* A link whose keycode is missing is refused here, without quoting the link. */
    char no_key[1024];
    snprintf(no_key, sizeof no_key, "%.*s", (int)(keycode ? keycode - g_link : 0), g_link);
    CHECK_ERR(ss_sendsafely_open_link(client, no_key, &unknown), SS_ERR_INVALID_ARGUMENT, "keyCode");
    CHECK_ERR(ss_sendsafely_open_link(client, "https://acme.example/receive/", &unknown), SS_ERR_INVALID_ARGUMENT,
              "packageCode");
    char message[1024];
    CHECK_ERR(ss_sendsafely_open_link(client, "https://h.example/receive/?packageCode=abc#keyCode=", &unknown),
              SS_ERR_INVALID_ARGUMENT, NULL);
    ss_last_error_message(message, sizeof message);
    CHECK(unknown == NULL);
    ss_sendsafely_received_free(by_id);
    ss_sendsafely_received_free(received);
    ss_sendsafely_client_free(client);
}

static void test_download_to_path_and_callback(void) {
    ss_sendsafely_client *client = client_of(DEMO_KEY, DEMO_SECRET);
    ss_sendsafely_received *received = open_link(client, g_link);
    char dir[700], path[800];
    new_dir(dir, sizeof dir, "to-path");
    snprintf(path, sizeof path, "%s/report.pdf", dir);
    progress_log log;
    progress_log_init(&log);
    CHECK_RC(ss_sendsafely_download_file(client, received, file_id(received, 0), path, on_progress, &log), SS_OK);
    static unsigned char got[8192];
    long n = read_file(path, got, sizeof got);
    CHECK(is_content(got, n < 0 ? 0 : (size_t)n, REPORT_SIZE, 1));
    /* One report before the first segment, one per segment; never going down; on this thread. */
    CHECK(log.calls == 4);
    check_progress(&log, REPORT_SIZE, 1);
    CHECK(entries(dir) == 1); /* no partial file left */
    /* Without a progress callback, and the small file. */
    snprintf(path, sizeof path, "%s/notes.txt", dir);
    CHECK_RC(ss_sendsafely_download_file(client, received, file_id(received, 1), path, NULL, NULL), SS_OK);
    n = read_file(path, got, sizeof got);
    CHECK(is_content(got, n < 0 ? 0 : (size_t)n, NOTES_SIZE, 2));

    /* The same bytes through a write callback. */
    sink s;
    sink_init(&s);
    progress_log_init(&log);
    CHECK_RC(ss_sendsafely_download_file_to(client, received, file_id(received, 0), on_write, &s, on_progress, &log),
             SS_OK);
    CHECK(is_content(s.data, s.len, REPORT_SIZE, 1));
    CHECK(s.wrong_thread == 0 && s.overflow == 0 && s.calls >= 1);
    check_progress(&log, REPORT_SIZE, 1);

    /* A progress callback that frees the package: it lives until the download returns. */
    ss_sendsafely_received *doomed = open_link(client, g_link);
    freeing_progress f = {doomed, 0};
    sink_init(&s);
    CHECK_RC(ss_sendsafely_download_file_to(client, doomed, file_id(doomed, 0), on_write, &s, free_on_first_report, &f),
             SS_OK);
    CHECK(f.received == NULL && f.calls == 4);
    CHECK(is_content(s.data, s.len, REPORT_SIZE, 1));

    remove_dir(dir);
    ss_sendsafely_received_free(received);
    ss_sendsafely_client_free(client);
}

static void test_stops_and_failures_write_nothing(void) {
    ss_sendsafely_client *client = client_of(DEMO_KEY, DEMO_SECRET);
    ss_sendsafely_received *received = open_link(client, g_link);
    char dir[700], path[800];
    new_dir(dir, sizeof dir, "failures");
    snprintf(path, sizeof path, "%s/out.bin", dir);

    /* Stopped by the progress callback after the first segment: no file, no partial file. */
    progress_log log;
    progress_log_init(&log);
    log.abort_at_call = 2;
    CHECK_ERR(ss_sendsafely_download_file(client, received, file_id(received, 0), path, on_progress, &log),
              SS_ERR_ABORTED_BY_CALLBACK, NULL);
    CHECK(log.calls == 2);
    CHECK(entries(dir) == 0);
    /* A write callback that fails. */
    sink s;
    sink_init(&s);
    s.fail = 1;
    CHECK_ERR(ss_sendsafely_download_file_to(client, received, file_id(received, 0), on_write, &s, NULL, NULL),
              SS_ERR_IO, "write callback");
    CHECK(s.calls == 1);
    /* A file id the package does not have. */
    CHECK(ss_sendsafely_download_file(client, received, "no-such-file", path, NULL, NULL) != SS_OK);
    CHECK(entries(dir) == 0);
    /* An expired segment URL (403): an error, nothing written. */
    CHECK(control("POST", "faults", "{\"match\":{\"kind\":\"storage-get\"},\"action\":\"expire_url\"}", NULL, 0) / 100 ==
          2);
    CHECK_ERR(ss_sendsafely_download_file(client, received, file_id(received, 0), path, NULL, NULL),
              SS_ERR_HTTP_STATUS, NULL);
    CHECK(ss_last_error_http_status() == 403);
    CHECK(entries(dir) == 0);
    clear_faults();

    /* A wrong keycode of a finalized package: the server refuses its checksum. */
    ss_sendsafely_received *wrong = NULL;
    CHECK_RC(ss_sendsafely_open_package(client, g_package_id, WRONG_KEYCODE, &wrong), SS_OK);
    CHECK_ERR(ss_sendsafely_download_file(client, wrong, file_id(wrong, 0), path, NULL, NULL), SS_ERR_API, NULL);
    char code[64];
    ss_last_error_api_code_name(code, sizeof code);
    CHECK_STR(code, "FAIL");
    CHECK(entries(dir) == 0);
    ss_sendsafely_message *message = NULL;
    CHECK_ERR(ss_sendsafely_read_message(client, wrong, &message), SS_ERR_API, NULL);
    CHECK(message == NULL);
    ss_sendsafely_received_free(wrong);
    /* A wrong keycode the server does not check (not finalized): the segments do not decrypt. */
    CHECK_RC(ss_sendsafely_open_package(client, g_open_id, WRONG_KEYCODE, &wrong), SS_OK);
    CHECK_ERR(ss_sendsafely_download_file(client, wrong, file_id(wrong, 0), path, NULL, NULL), SS_ERR_CRYPTO,
              "segment 1");
    CHECK(entries(dir) == 0);
    sink_init(&s);
    CHECK_ERR(ss_sendsafely_download_file_to(client, wrong, file_id(wrong, 0), on_write, &s, NULL, NULL), SS_ERR_CRYPTO,
              NULL);
    CHECK(s.len == 0 && s.calls == 0);
    ss_sendsafely_received_free(wrong);

    /* An altered second segment: no file, and nothing of it through a write callback. */
    ss_sendsafely_received *tampered = open_link(client, g_tampered_link);
    CHECK_ERR(ss_sendsafely_download_file(client, tampered, file_id(tampered, 0), path, NULL, NULL), SS_ERR_CRYPTO,
              "segment 2");
    CHECK(entries(dir) == 0);
    sink_init(&s);
    CHECK_ERR(ss_sendsafely_download_file_to(client, tampered, file_id(tampered, 0), on_write, &s, NULL, NULL),
              SS_ERR_CRYPTO, NULL);
    /* At most the first segment (buffered, it may not have been handed over), never a byte of
     * the altered one. */
    CHECK(s.len <= SEGMENT && is_content(s.data, s.len, s.len, 3));
    ss_sendsafely_received_free(tampered);

    /* Segments holding another size than the declared one: refused, the file removed. */
    ss_sendsafely_received *badsize = open_link(client, g_badsize_link);
    CHECK_ERR(ss_sendsafely_download_file(client, badsize, file_id(badsize, 0), path, NULL, NULL), SS_ERR_DECODE,
              "fileSize");
    CHECK(entries(dir) == 0);
    ss_sendsafely_received_free(badsize);

    remove_dir(dir);
    ss_sendsafely_received_free(received);
    ss_sendsafely_client_free(client);
}

static void test_message_and_whole_package(void) {
    /* Bob, the recipient. */
    ss_sendsafely_client *client = client_of("bob-api-key", "bob-api-secret");
    ss_sendsafely_received *received = open_link(client, g_link);
    ss_sendsafely_message *message = NULL;
    CHECK_RC(ss_sendsafely_read_message(client, received, &message), SS_OK);
    CHECK_STR(ss_sendsafely_message_text(message), g_message);
    ss_sendsafely_message_free(message);

    char dir[700];
    new_dir(dir, sizeof dir, "package");
    package_progress log;
    memset(&log, 0, sizeof log);
    ss_sendsafely_downloaded *downloaded = NULL;
    CHECK_RC(ss_sendsafely_download_package(client, received, dir, on_package_progress, &log, &downloaded), SS_OK);
    CHECK(ss_sendsafely_downloaded_file_count(downloaded) == 2);
    char want[800];
    snprintf(want, sizeof want, "%s/report.pdf", dir);
    CHECK_STR(ss_sendsafely_downloaded_file_path(downloaded, 0), want);
    snprintf(want, sizeof want, "%s/.._notes_1.txt", dir); /* the name made safe */
    CHECK_STR(ss_sendsafely_downloaded_file_path(downloaded, 1), want);
    CHECK(ss_sendsafely_downloaded_file_path(downloaded, 2) == NULL);
    CHECK_STR(ss_sendsafely_downloaded_message(downloaded), g_message);
    static unsigned char got[8192];
    long n = read_file(ss_sendsafely_downloaded_file_path(downloaded, 0), got, sizeof got);
    CHECK(is_content(got, n < 0 ? 0 : (size_t)n, REPORT_SIZE, 1));
    n = read_file(ss_sendsafely_downloaded_file_path(downloaded, 1), got, sizeof got);
    CHECK(is_content(got, n < 0 ? 0 : (size_t)n, NOTES_SIZE, 2));
    CHECK(entries(dir) == 2);
    /* Each file in turn: 4 reports for the first (3 segments), 2 for the second. */
    CHECK(log.calls == 6 && log.count == 2 && log.max_index == 1);
    CHECK(log.index_went_back == 0 && log.bytes_went_back == 0);
    ss_sendsafely_downloaded_free(downloaded);
    /* Into a directory that does not exist: SS_ERR_IO. */
    char missing[800];
    snprintf(missing, sizeof missing, "%s/missing", dir);
    downloaded = NULL;
    CHECK_ERR(ss_sendsafely_download_package(client, received, missing, NULL, NULL, &downloaded), SS_ERR_IO, NULL);
    CHECK(downloaded == NULL);
    remove_dir(dir);
    ss_sendsafely_received_free(received);
    ss_sendsafely_client_free(client);
}

/* Every package id of a list, page by page (`page_size` each); how many pages. */
static int list_all(const ss_sendsafely_client *client, uint32_t list, uint64_t page_size, char ids[][32], int max,
                    int *count) {
    int pages = 0;
    *count = 0;
    for (int64_t row = 0; row >= 0 && pages < 50;) {
        ss_sendsafely_package_page *page = NULL;
        if (!CHECK_RC(ss_sendsafely_list_packages(client, list, (uint64_t)row, page_size, &page), SS_OK)) break;
        pages++;
        size_t n = ss_sendsafely_package_page_count(page);
        CHECK(n <= page_size);
        for (size_t i = 0; i < n && *count < max; i++) {
            const ss_sendsafely_package_summary *s = ss_sendsafely_package_page_package(page, i);
            snprintf(ids[*count], 32, "%s", ss_sendsafely_package_summary_id(s));
            (*count)++;
        }
        CHECK(ss_sendsafely_package_page_package(page, n) == NULL);
        int64_t next = ss_sendsafely_package_page_next_row_index(page);
        CHECK(next < 0 || next == row + (int64_t)n);
        row = next;
        ss_sendsafely_package_page_free(page);
    }
    return pages;
}

static int has_id(char ids[][32], int count, const char *id) {
    for (int i = 0; i < count; i++)
        if (strcmp(ids[i], id) == 0) return 1;
    return 0;
}

static void test_lists(void) {
    ss_sendsafely_client *demo = client_of(DEMO_KEY, DEMO_SECRET);
    static char ids[64][32];
    int count = 0;
    /* Demo sent four packages: pages of 3 make two pages, each package once. */
    int pages = list_all(demo, SS_SENDSAFELY_LIST_SENT, 3, ids, 64, &count);
    CHECK(count == 4);
    CHECK(pages == 2);
    CHECK(has_id(ids, count, g_package_id));
    CHECK(has_id(ids, count, g_open_id));
    for (int i = 0; i < count; i++)
        for (int j = i + 1; j < count; j++) CHECK(strcmp(ids[i], ids[j]) != 0);
    /* The summary of the full package. */
    ss_sendsafely_package_page *page = NULL;
    CHECK_RC(ss_sendsafely_list_packages(demo, SS_SENDSAFELY_LIST_SENT, 0, 100, &page), SS_OK);
    const ss_sendsafely_package_summary *full = NULL;
    for (size_t i = 0; i < ss_sendsafely_package_page_count(page); i++) {
        const ss_sendsafely_package_summary *s = ss_sendsafely_package_page_package(page, i);
        if (strcmp(ss_sendsafely_package_summary_id(s), g_package_id) == 0) full = s;
    }
    CHECK(full != NULL);
    CHECK(ss_sendsafely_package_page_next_row_index(page) == -1);
    CHECK(ss_sendsafely_package_summary_code(full) != NULL);
    CHECK(ss_sendsafely_package_summary_sender(full) != NULL);
    CHECK(ss_sendsafely_package_summary_state(full) != NULL);
    CHECK(ss_sendsafely_package_summary_state_number(full) >= -1);
    CHECK(ss_sendsafely_package_summary_timestamp(full) != NULL);
    CHECK(ss_sendsafely_package_summary_label(full) != NULL);
    CHECK(!ss_sendsafely_package_summary_is_workspace(full));
    size_t recipients = ss_sendsafely_package_summary_recipient_count(full);
    int bob = 0;
    for (size_t i = 0; i < recipients; i++) bob |= strcmp(ss_sendsafely_package_summary_recipient(full, i), BOB_EMAIL) == 0;
    CHECK(recipients == 0 || bob);
    CHECK(ss_sendsafely_package_summary_recipient(full, recipients) == NULL);
    size_t names = ss_sendsafely_package_summary_file_name_count(full);
    int report = 0;
    for (size_t i = 0; i < names; i++) report |= strcmp(ss_sendsafely_package_summary_file_name(full, i), "report.pdf") == 0;
    CHECK(names == 0 || report);
    CHECK(ss_sendsafely_package_summary_file_name(full, names) == NULL);
    ss_sendsafely_package_page_free(page);
    /* Bob received the full package. */
    ss_sendsafely_client *bob_client = client_of("bob-api-key", "bob-api-secret");
    list_all(bob_client, SS_SENDSAFELY_LIST_RECEIVED, 100, ids, 64, &count);
    CHECK(has_id(ids, count, g_package_id));
    list_all(demo, SS_SENDSAFELY_LIST_ARCHIVED, 10, ids, 64, &count);
    CHECK(!has_id(ids, count, g_package_id));
    /* Refused before anything is sent. */
    page = NULL;
    CHECK_ERR(ss_sendsafely_list_packages(demo, 7, 0, 10, &page), SS_ERR_INVALID_ARGUMENT, "ss_sendsafely_list");
    CHECK_ERR(ss_sendsafely_list_packages(demo, SS_SENDSAFELY_LIST_SENT, 0, 0, &page), SS_ERR_INVALID_ARGUMENT,
              "1 to 100");
    CHECK_ERR(ss_sendsafely_list_packages(demo, SS_SENDSAFELY_LIST_SENT, 0, 101, &page), SS_ERR_INVALID_ARGUMENT,
              "1 to 100");
    CHECK(page == NULL);
    ss_sendsafely_client_free(bob_client);
    ss_sendsafely_client_free(demo);
}

static void test_arguments(void) {
    ss_sendsafely_client *client = client_of(DEMO_KEY, DEMO_SECRET);
    ss_sendsafely_received *received = open_link(client, g_link);
    const char *fid = file_id(received, 0);
    char path[800];
    snprintf(path, sizeof path, "%s/never.bin", g_dir);
    ss_sendsafely_received *r = NULL;
    CHECK_ERR(ss_sendsafely_open_link(NULL, g_link, &r), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_open_link(client, NULL, &r), SS_ERR_NULL_ARGUMENT, "link");
    CHECK_ERR(ss_sendsafely_open_link(client, g_link, NULL), SS_ERR_NULL_ARGUMENT, "out_received");
    CHECK_ERR(ss_sendsafely_open_link(client, BAD_UTF8, &r), SS_ERR_INVALID_UTF8, "link");
    CHECK_ERR(ss_sendsafely_open_package(NULL, g_package_id, WRONG_KEYCODE, &r), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_open_package(client, NULL, WRONG_KEYCODE, &r), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_open_package(client, g_package_id, NULL, &r), SS_ERR_NULL_ARGUMENT, "keycode");
    CHECK_ERR(ss_sendsafely_open_package(client, g_package_id, WRONG_KEYCODE, NULL), SS_ERR_NULL_ARGUMENT,
              "out_received");
    CHECK_ERR(ss_sendsafely_open_package(client, BAD_UTF8, WRONG_KEYCODE, &r), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_open_package(client, g_package_id, BAD_UTF8, &r), SS_ERR_INVALID_UTF8, "keycode");
    CHECK_ERR(ss_sendsafely_open_package(client, "", WRONG_KEYCODE, &r), SS_ERR_INVALID_ARGUMENT, "package id");
    CHECK_ERR(ss_sendsafely_open_package(client, g_package_id, "", &r), SS_ERR_INVALID_ARGUMENT, "keycode");
    CHECK(r == NULL);

    CHECK_ERR(ss_sendsafely_download_file(NULL, received, fid, path, NULL, NULL), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_download_file(client, NULL, fid, path, NULL, NULL), SS_ERR_NULL_ARGUMENT, "received");
    CHECK_ERR(ss_sendsafely_download_file(client, received, NULL, path, NULL, NULL), SS_ERR_NULL_ARGUMENT, "file_id");
    CHECK_ERR(ss_sendsafely_download_file(client, received, fid, NULL, NULL, NULL), SS_ERR_NULL_ARGUMENT, "path");
    CHECK_ERR(ss_sendsafely_download_file(client, received, BAD_UTF8, path, NULL, NULL), SS_ERR_INVALID_UTF8,
              "file_id");
    CHECK_ERR(ss_sendsafely_download_file(client, received, fid, BAD_UTF8, NULL, NULL), SS_ERR_INVALID_UTF8, "path");
    CHECK_ERR(ss_sendsafely_download_file(client, received, fid, "", NULL, NULL), SS_ERR_INVALID_ARGUMENT, "path");
    CHECK_ERR(ss_sendsafely_download_file(client, received, "", path, NULL, NULL), SS_ERR_INVALID_ARGUMENT, "file id");
    sink s;
    sink_init(&s);
    CHECK_ERR(ss_sendsafely_download_file_to(NULL, received, fid, on_write, &s, NULL, NULL), SS_ERR_NULL_ARGUMENT,
              "client");
    CHECK_ERR(ss_sendsafely_download_file_to(client, NULL, fid, on_write, &s, NULL, NULL), SS_ERR_NULL_ARGUMENT,
              "received");
    CHECK_ERR(ss_sendsafely_download_file_to(client, received, NULL, on_write, &s, NULL, NULL), SS_ERR_NULL_ARGUMENT,
              "file_id");
    CHECK_ERR(ss_sendsafely_download_file_to(client, received, fid, NULL, &s, NULL, NULL), SS_ERR_NULL_ARGUMENT,
              "write");
    CHECK_ERR(ss_sendsafely_download_file_to(client, received, BAD_UTF8, on_write, &s, NULL, NULL),
              SS_ERR_INVALID_UTF8, "file_id");
    CHECK(s.calls == 0);
    ss_sendsafely_downloaded *d = NULL;
    CHECK_ERR(ss_sendsafely_download_package(NULL, received, g_dir, NULL, NULL, &d), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_download_package(client, NULL, g_dir, NULL, NULL, &d), SS_ERR_NULL_ARGUMENT, "received");
    CHECK_ERR(ss_sendsafely_download_package(client, received, NULL, NULL, NULL, &d), SS_ERR_NULL_ARGUMENT,
              "directory");
    CHECK_ERR(ss_sendsafely_download_package(client, received, g_dir, NULL, NULL, NULL), SS_ERR_NULL_ARGUMENT,
              "out_downloaded");
    CHECK_ERR(ss_sendsafely_download_package(client, received, BAD_UTF8, NULL, NULL, &d), SS_ERR_INVALID_UTF8,
              "directory");
    CHECK_ERR(ss_sendsafely_download_package(client, received, "", NULL, NULL, &d), SS_ERR_INVALID_ARGUMENT,
              "directory");
    CHECK(d == NULL);
    ss_sendsafely_message *m = NULL;
    CHECK_ERR(ss_sendsafely_read_message(NULL, received, &m), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_read_message(client, NULL, &m), SS_ERR_NULL_ARGUMENT, "received");
    CHECK_ERR(ss_sendsafely_read_message(client, received, NULL), SS_ERR_NULL_ARGUMENT, "out_message");
    CHECK(m == NULL);
    ss_sendsafely_package_page *page = NULL;
    CHECK_ERR(ss_sendsafely_list_packages(NULL, SS_SENDSAFELY_LIST_SENT, 0, 10, &page), SS_ERR_NULL_ARGUMENT,
              "client");
    CHECK_ERR(ss_sendsafely_list_packages(client, SS_SENDSAFELY_LIST_SENT, 0, 10, NULL), SS_ERR_NULL_ARGUMENT,
              "out_page");
    CHECK(page == NULL);
    CHECK(entries(g_dir) == 1); /* only support.h's report.pdf */

    /* NULL handles give the getters' defaults; freeing NULL does nothing. */
    CHECK(ss_sendsafely_received_info(NULL) == NULL);
    CHECK(ss_sendsafely_message_text(NULL) == NULL);
    CHECK(ss_sendsafely_downloaded_file_count(NULL) == 0);
    CHECK(ss_sendsafely_downloaded_file_path(NULL, 0) == NULL);
    CHECK(ss_sendsafely_downloaded_message(NULL) == NULL);
    CHECK(ss_sendsafely_package_page_count(NULL) == 0);
    CHECK(ss_sendsafely_package_page_package(NULL, 0) == NULL);
    CHECK(ss_sendsafely_package_page_next_row_index(NULL) == -1);
    CHECK(ss_sendsafely_package_summary_id(NULL) == NULL);
    CHECK(ss_sendsafely_package_summary_code(NULL) == NULL);
    CHECK(ss_sendsafely_package_summary_sender(NULL) == NULL);
    CHECK(ss_sendsafely_package_summary_state(NULL) == NULL);
    CHECK(ss_sendsafely_package_summary_state_number(NULL) == -1);
    CHECK(ss_sendsafely_package_summary_timestamp(NULL) == NULL);
    CHECK(ss_sendsafely_package_summary_label(NULL) == NULL);
    CHECK(!ss_sendsafely_package_summary_is_workspace(NULL));
    CHECK(ss_sendsafely_package_summary_recipient_count(NULL) == 0);
    CHECK(ss_sendsafely_package_summary_recipient(NULL, 0) == NULL);
    CHECK(ss_sendsafely_package_summary_file_name_count(NULL) == 0);
    CHECK(ss_sendsafely_package_summary_file_name(NULL, 0) == NULL);
    ss_sendsafely_received_free(NULL);
    ss_sendsafely_message_free(NULL);
    ss_sendsafely_downloaded_free(NULL);
    ss_sendsafely_package_page_free(NULL);

    ss_sendsafely_received_free(received);
    ss_sendsafely_client_free(client);
}

/* Reads a required environment variable; NULL (with a message) when unset. */
static const char *need(const char *name) {
    const char *value = getenv(name);
    if (value == NULL || value[0] == '\0') {
        fprintf(stderr, "set %s (tests/c_api.rs sends the packages and sets it)\n", name);
        return NULL;
    }
    return value;
}

int main(void) {
    g_sendsafely = need("SS_TEST_SENDSAFELY_URL");
    g_link = need("SS_TEST_SS_LINK");
    g_package_id = need("SS_TEST_SS_PACKAGE_ID");
    g_message = need("SS_TEST_SS_MESSAGE");
    g_tampered_link = need("SS_TEST_SS_TAMPERED_LINK");
    g_open_id = need("SS_TEST_SS_OPEN_ID");
    g_badsize_link = need("SS_TEST_SS_BADSIZE_LINK");
    if (!g_sendsafely || !g_link || !g_package_id || !g_message || !g_tampered_link || !g_open_id || !g_badsize_link)
        return 2;
    /* support.h's control API and temporary directory, on the SendSafely emulator. */
    setenv("SS_TEST_URL", g_sendsafely, 1);
    if (!support_setup()) return 2;
    test_open_and_info();
    test_download_to_path_and_callback();
    test_stops_and_failures_write_nothing();
    test_message_and_whole_package();
    test_lists();
    test_arguments();
    support_cleanup();
    return check_summary();
}
