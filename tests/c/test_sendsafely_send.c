/* Sending a SendSafely package from C, against sendsecure-emulator's SendSafely service: the
 * package's settings, recipients one by one and in bulk with a phone number, files from a path,
 * a descriptor, bytes and a stream with one progress callback, a secure message, finalize and
 * its link; a stop from the progress callback and the resumes (same handle, rewound stream,
 * another "process" from the ids kept); deletions; every NULL and invalid argument. What the
 * server stored is checked through its control API (decrypted with the keycode: SHA-256).
 *
 * Environment: SS_TEST_SENDSAFELY_URL, the SendSafely emulator (demo organisation, control API).
 * Run by tests/c_api.rs like every tests/c/test_*.c (shared, static, valgrind, C++). */
#include "support.h"

#define DEMO_KEY "demo-api-key"
#define DEMO_SECRET "demo-api-secret"
#define SEGMENT 2621440u

static const char *g_sendsafely;

/* ---------------------------------------------------------------------------------------------
 * SHA-256 (FIPS 180-4), to compare what the server decrypts with what was sent. */

typedef struct {
    uint32_t h[8];
    uint64_t length;
    unsigned char block[64];
    size_t used;
} sha256_ctx;

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(sha256_ctx *c, const unsigned char *p) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3], e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
        h = g, g = f, f = e, e = d + t1, d = cc, cc = b, b = a, a = t1 + t2;
    }
    c->h[0] += a, c->h[1] += b, c->h[2] += cc, c->h[3] += d, c->h[4] += e, c->h[5] += f, c->h[6] += g, c->h[7] += h;
}

static void sha256_hex(const unsigned char *data, size_t len, char out[65]) {
    sha256_ctx c = {{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19},
                    0, {0}, 0};
    c.length = (uint64_t)len * 8;
    size_t i = 0;
    for (; i + 64 <= len; i += 64) sha256_block(&c, data + i);
    unsigned char tail[128];
    size_t rest = len - i;
    memset(tail, 0, sizeof tail);
    memcpy(tail, data + i, rest);
    tail[rest] = 0x80;
    size_t blocks = rest + 9 > 64 ? 2 : 1;
    for (int k = 0; k < 8; k++) tail[blocks * 64 - 1 - k] = (unsigned char)(c.length >> (8 * k));
    for (size_t b = 0; b < blocks; b++) sha256_block(&c, tail + 64 * b);
    for (int k = 0; k < 8; k++) snprintf(out + 8 * k, 9, "%08x", c.h[k]);
}

/* ---------------------------------------------------------------------------------------------
 * Helpers. */

static ss_sendsafely_client *new_client(uint32_t concurrency) {
    ss_client_options options;
    ss_client_options_init(&options);
    options.transfer_concurrency = concurrency;
    options.crypto_threads = concurrency ? 1 : 0;
    ss_sendsafely_client *client = NULL;
    CHECK_RC(ss_sendsafely_client_new(g_sendsafely, DEMO_KEY, DEMO_SECRET, &options, &client), SS_OK);
    return client;
}

/* Tells the emulator the package's keycode, so that it decrypts what it stores. */
static void tell_keycode(const ss_sendsafely_package *package) {
    char path[128], json[256];
    snprintf(path, sizeof path, "packages/%s/keycode", ss_sendsafely_package_id(package));
    snprintf(json, sizeof json, "{\"keycode\":\"%s\"}", ss_sendsafely_package_keycode(package));
    int status = control("POST", path, json, NULL, 0);
    CHECK(status == 200);
}

/* The emulator's record of a package (its files' parts stored and decrypted digests). */
static const char *record(const char *package_id) {
    static char body[1 << 16];
    char path[128];
    snprintf(path, sizeof path, "packages/%s", package_id);
    if (control("GET", path, NULL, body, sizeof body) != 200) body[0] = '\0';
    return body;
}

/* Whether the server decrypts a stored file to `len` bytes of `data` (its SHA-256). */
static int stored_plaintext(const char *package_id, const unsigned char *data, size_t len) {
    char digest[65], needle[96];
    sha256_hex(data, len, digest);
    snprintf(needle, sizeof needle, "\"sha256\":\"%s\"", digest);
    return contains(record(package_id), needle);
}

/* Whether the server stored part `part` of file `file_id` (its record lists it). */
static int part_stored(const char *package_id, const char *file_id, uint64_t part) {
    const char *body = record(package_id);
    const char *file = strstr(body, file_id);
    if (file == NULL) return 0;
    const char *stored = strstr(file, "\"stored\":[");
    if (stored == NULL) return 0;
    const char *end = strchr(stored, ']');
    char needle[48];
    snprintf(needle, sizeof needle, "\"part\":%" PRIu64 ",", part);
    const char *found = strstr(stored, needle);
    if (found == NULL) {
        snprintf(needle, sizeof needle, "\"part\":%" PRIu64 "}", part);
        found = strstr(stored, needle);
    }
    return found != NULL && end != NULL && found < end;
}

/* A rewindable stream over `stream_source` (support.h). */
typedef struct {
    stream_source source;
    int rewinds;
    int fail_rewind;
} rewindable;

static int on_rewind(void *user_data) {
    rewindable *r = (rewindable *)user_data;
    r->rewinds++;
    if (r->fail_rewind) return -1;
    r->source.pos = 0;
    return 0;
}

static int64_t on_rewindable_read(void *user_data, uint8_t *buf, size_t len) {
    return on_read(&((rewindable *)user_data)->source, buf, len);
}

static unsigned char *pattern(size_t len, uint32_t seed) {
    unsigned char *data = (unsigned char *)malloc(len ? len : 1);
    fill(data, len, seed);
    return data;
}

/* ---------------------------------------------------------------------------------------------
 * The whole send flow. */

static void test_send_flow(void) {
    ss_sendsafely_client *client = new_client(0);
    ss_sendsafely_package *package = NULL;
    CHECK_RC(ss_sendsafely_create_package(client, &package), SS_OK);
    const char *pid = ss_sendsafely_package_id(package);

    CHECK_RC(ss_sendsafely_update_package_life(client, pid, 7), SS_OK);
    CHECK_RC(ss_sendsafely_update_package_label(client, pid, "Q3 report"), SS_OK);

    ss_sendsafely_recipient *bob = NULL;
    CHECK_RC(ss_sendsafely_add_recipient(client, pid, BOB_EMAIL, &bob), SS_OK);
    CHECK_STR(ss_sendsafely_recipient_email(bob), BOB_EMAIL);
    CHECK(ss_sendsafely_recipient_id(bob) != NULL && ss_sendsafely_recipient_id(bob)[0] != '\0');
    CHECK_RC(ss_sendsafely_update_recipient_phone(client, pid, ss_sendsafely_recipient_id(bob), "(555) 555-0100", "US"),
             SS_OK);
    CHECK_RC(ss_sendsafely_update_recipient_phone(client, pid, ss_sendsafely_recipient_id(bob), "+44 20 7946 0000",
                                                  "OTHER"),
             SS_OK);

    const char *emails[] = {"carol@acme.example", "not an address", "dave@acme.example"};
    ss_sendsafely_recipient_outcomes *outcomes = NULL;
    CHECK_RC(ss_sendsafely_add_recipients(client, pid, emails, 3, &outcomes), SS_OK);
    CHECK(ss_sendsafely_recipient_outcomes_count(outcomes) == 3);
    const ss_sendsafely_recipient_outcome *carol = NULL;
    const ss_sendsafely_recipient_outcome *refused = NULL;
    for (size_t i = 0; i < ss_sendsafely_recipient_outcomes_count(outcomes); i++) {
        const ss_sendsafely_recipient_outcome *o = ss_sendsafely_recipient_outcomes_at(outcomes, i);
        if (strcmp(ss_sendsafely_recipient_outcome_email(o), "carol@acme.example") == 0) carol = o;
        if (strcmp(ss_sendsafely_recipient_outcome_email(o), "not an address") == 0) refused = o;
    }
    CHECK(carol != NULL && refused != NULL);
    CHECK_STR(ss_sendsafely_recipient_outcome_code(carol), "SUCCESS");
    CHECK(ss_sendsafely_recipient_outcome_message(carol) != NULL);
    const ss_sendsafely_recipient *carol_r = ss_sendsafely_recipient_outcome_recipient(carol);
    CHECK(carol_r != NULL);
    CHECK_STR(ss_sendsafely_recipient_email(carol_r), "carol@acme.example");
    CHECK_STR(ss_sendsafely_recipient_outcome_code(refused), "INVALID_EMAIL");
    CHECK(contains(ss_sendsafely_recipient_outcome_message(refused), "not an address"));
    CHECK(ss_sendsafely_recipient_outcome_recipient(refused) == NULL);
    CHECK(ss_sendsafely_recipient_outcomes_at(outcomes, 3) == NULL);
    CHECK_RC(ss_sendsafely_remove_recipient(client, pid, ss_sendsafely_recipient_id(carol_r)), SS_OK);
    ss_sendsafely_recipient_outcomes_free(outcomes);

    /* Four files, four sources. */
    ss_sendsafely_upload *upload = NULL;
    CHECK_RC(ss_sendsafely_upload_new(&upload), SS_OK);
    CHECK_RC(ss_sendsafely_upload_add_path(upload, g_file, NULL, NULL), SS_OK);
    CHECK_RC(ss_sendsafely_upload_add_bytes(upload, g_bytes, BYTES_SIZE, "notes.txt", NULL), SS_OK);
    stream_source stream;
    stream_init(&stream, g_stream_data, STREAM_SIZE);
    CHECK_RC(ss_sendsafely_upload_add_stream(upload, on_read, NULL, &stream, STREAM_SIZE, "stream.bin", NULL), SS_OK);
    int fd = open(g_file, O_RDONLY);
    CHECK(fd >= 0);
    CHECK(lseek(fd, FD_OFFSET, SEEK_SET) == FD_OFFSET);
    CHECK_RC(ss_sendsafely_upload_add_fd(upload, fd, "tail.pdf", NULL), SS_OK);
    close(fd); /* the upload has its own descriptor */
    CHECK(ss_sendsafely_upload_file_count(upload) == 4);
    CHECK(ss_sendsafely_upload_file_id(upload, 0) == NULL); /* not registered yet */
    CHECK(!ss_sendsafely_upload_file_complete(upload, 0));

    progress_log log;
    progress_log_init(&log);
    log.sequential = 1;
    ss_sendsafely_uploaded_list *uploaded = NULL;
    CHECK_RC(ss_sendsafely_upload_files(client, package, upload, on_progress, &log, &uploaded), SS_OK);
    uint64_t total = FILE_SIZE + BYTES_SIZE + STREAM_SIZE + (FILE_SIZE - FD_OFFSET);
    check_progress(&log, total, 4);
    CHECK(stream.wrong_thread == 0 && stream.calls > 0);
    CHECK(ss_sendsafely_uploaded_list_count(uploaded) == 4);
    const char *names[] = {"report.pdf", "notes.txt", "stream.bin", "tail.pdf"};
    const uint64_t sizes[] = {FILE_SIZE, BYTES_SIZE, STREAM_SIZE, FILE_SIZE - FD_OFFSET};
    for (size_t i = 0; i < 4; i++) {
        const ss_sendsafely_uploaded_file *f = ss_sendsafely_uploaded_list_file(uploaded, i);
        CHECK_STR(ss_sendsafely_uploaded_file_name(f), names[i]);
        CHECK(ss_sendsafely_uploaded_file_size(f) == sizes[i]);
        CHECK(ss_sendsafely_uploaded_file_parts(f) == 1);
        CHECK_STR(ss_sendsafely_uploaded_file_id(f), ss_sendsafely_upload_file_id(upload, i));
        CHECK(ss_sendsafely_upload_file_complete(upload, i));
        CHECK(ss_sendsafely_upload_file_parts_done_count(upload, i) == 1);
        CHECK(ss_sendsafely_upload_file_part_done(upload, i, 0) == 1);
    }
    CHECK(ss_sendsafely_uploaded_list_file(uploaded, 4) == NULL);

    /* Calling again uploads nothing more: every file is complete. */
    ss_sendsafely_uploaded_list *again = NULL;
    progress_log_init(&log);
    CHECK_RC(ss_sendsafely_upload_files(client, package, upload, on_progress, &log, &again), SS_OK);
    CHECK(log.calls == 0);
    CHECK(ss_sendsafely_uploaded_list_count(again) == 4);
    ss_sendsafely_uploaded_list_free(again);

    CHECK_RC(ss_sendsafely_put_message(client, package, "The Q3 figures, as promised."), SS_OK);

    tell_keycode(package); /* the emulator then checks finalize's checksum */
    ss_sendsafely_finalized *finalized = NULL;
    CHECK_RC(ss_sendsafely_finalize_package(client, package, &finalized), SS_OK);
    const char *link = ss_sendsafely_finalized_secure_link(finalized);
    char fragment[128];
    snprintf(fragment, sizeof fragment, "#keyCode=%s", ss_sendsafely_package_keycode(package));
    CHECK(contains(link, fragment));
    CHECK(contains(link, ss_sendsafely_package_code(package)));
    CHECK(!ss_sendsafely_finalized_needs_approval(finalized));
    size_t wrapped = ss_sendsafely_finalized_wrapped_key_count(finalized);
    for (size_t i = 0; i < wrapped; i++) CHECK(ss_sendsafely_finalized_wrapped_key_id(finalized, i) != NULL);
    CHECK(ss_sendsafely_finalized_wrapped_key_id(finalized, wrapped) == NULL);
    size_t skipped = ss_sendsafely_finalized_skipped_key_count(finalized);
    for (size_t i = 0; i < skipped; i++) {
        CHECK(ss_sendsafely_finalized_skipped_key_id(finalized, i) != NULL);
        CHECK(ss_sendsafely_finalized_skipped_key_reason(finalized, i) != NULL);
    }
    CHECK(ss_sendsafely_finalized_skipped_key_id(finalized, skipped) == NULL);
    CHECK(ss_sendsafely_finalized_skipped_key_reason(finalized, skipped) == NULL);

    /* Read back: the settings, the recipients, the files, the message. */
    ss_sendsafely_package_info *info = NULL;
    CHECK_RC(ss_sendsafely_get_package_info(client, pid, &info), SS_OK);
    CHECK_STR(ss_sendsafely_package_info_label(info), "Q3 report");
    CHECK(ss_sendsafely_package_info_life(info) == 7);
    CHECK(ss_sendsafely_package_info_contains_message(info));
    CHECK(ss_sendsafely_package_info_url(info) != NULL);
    CHECK(ss_sendsafely_package_info_recipient_count(info) == 2); /* bob and dave */
    int bob_seen = 0;
    for (size_t i = 0; i < ss_sendsafely_package_info_recipient_count(info); i++) {
        const ss_sendsafely_recipient *r = ss_sendsafely_package_info_recipient(info, i);
        CHECK(strcmp(ss_sendsafely_recipient_email(r), "carol@acme.example") != 0);
        if (strcmp(ss_sendsafely_recipient_email(r), BOB_EMAIL) == 0) {
            bob_seen = 1;
            CHECK(ss_sendsafely_recipient_phone_count(r) >= 1);
            CHECK(ss_sendsafely_recipient_phone_country_code(r, 0) == 1 ||
                  ss_sendsafely_recipient_phone_country_code(r, 0) == 44);
        }
    }
    CHECK(bob_seen);
    CHECK(ss_sendsafely_package_info_file_count(info) == 4);
    for (size_t i = 0; i < ss_sendsafely_package_info_file_count(info); i++)
        CHECK(ss_sendsafely_file_uploaded(ss_sendsafely_package_info_file(info, i)));
    ss_sendsafely_package_info_free(info);

    /* The server decrypts every file to the bytes sent. */
    static unsigned char file_data[FILE_SIZE];
    fill(file_data, sizeof file_data, 1);
    CHECK(stored_plaintext(pid, file_data, FILE_SIZE));
    CHECK(stored_plaintext(pid, g_bytes, BYTES_SIZE));
    CHECK(stored_plaintext(pid, g_stream_data, STREAM_SIZE));
    CHECK(stored_plaintext(pid, file_data + FD_OFFSET, FILE_SIZE - FD_OFFSET));
    CHECK(contains(record(pid), "\"life\":7"));

    /* A finalized package keeps its files; it can be deleted. */
    CHECK_ERR(ss_sendsafely_delete_file(client, pid, ss_sendsafely_upload_file_id(upload, 1)), SS_ERR_API,
              "not in progress");
    CHECK_ERR(ss_sendsafely_delete_temporary_package(client, pid), SS_ERR_API, NULL);
    CHECK_RC(ss_sendsafely_delete_package(client, pid), SS_OK);
    info = NULL;
    CHECK_ERR(ss_sendsafely_get_package_info(client, pid, &info), SS_ERR_API, NULL);
    CHECK(info == NULL);

    ss_sendsafely_finalized_free(finalized);
    ss_sendsafely_uploaded_list_free(uploaded);
    ss_sendsafely_upload_free(upload);
    ss_sendsafely_recipient_free(bob);
    ss_sendsafely_package_free(package);

    /* A package never finalized goes with delete_temporary. */
    CHECK_RC(ss_sendsafely_create_package(client, &package), SS_OK);
    CHECK_RC(ss_sendsafely_delete_temporary_package(client, ss_sendsafely_package_id(package)), SS_OK);
    ss_sendsafely_package_free(package);
    ss_sendsafely_client_free(client);
}

/* ---------------------------------------------------------------------------------------------
 * A stop from the progress callback, then resumes. */

/* Stopped at the first report, then resumed with the same handle: the stream is rewound, the
 * part stored is not sent again, the reports go on from it to the total. */
static void test_stop_then_resume(void) {
    ss_sendsafely_client *client = new_client(1); /* one segment at a time */
    ss_sendsafely_package *package = NULL;
    CHECK_RC(ss_sendsafely_create_package(client, &package), SS_OK);
    const char *pid = ss_sendsafely_package_id(package);
    size_t size = 2 * SEGMENT + 1000; /* three parts */
    unsigned char *data = pattern(size, 7);
    rewindable stream;
    memset(&stream, 0, sizeof stream);
    stream_init(&stream.source, data, size);

    ss_sendsafely_upload *upload = NULL;
    CHECK_RC(ss_sendsafely_upload_new(&upload), SS_OK);
    CHECK_RC(ss_sendsafely_upload_add_stream(upload, on_rewindable_read, on_rewind, &stream, size, "big.bin", NULL),
             SS_OK);
    progress_log log;
    progress_log_init(&log);
    log.abort_at_call = 1;
    ss_sendsafely_uploaded_list *uploaded = NULL;
    /* Slow answers: the stop is handled while most parts are still to send. */
    CHECK(set_latency(100));
    CHECK_ERR(ss_sendsafely_upload_files(client, package, upload, on_progress, &log, &uploaded),
              SS_ERR_ABORTED_BY_CALLBACK, "stop");
    CHECK(set_latency(0));
    CHECK(uploaded == NULL);
    CHECK(log.calls == 1);
    CHECK(log.last_total == size);
    char fid[128]; /* the upload's strings change with its next call: a copy */
    CHECK(ss_sendsafely_upload_file_id(upload, 0) != NULL);
    snprintf(fid, sizeof fid, "%s", ss_sendsafely_upload_file_id(upload, 0));
    CHECK(!ss_sendsafely_upload_file_complete(upload, 0));
    size_t done = ss_sendsafely_upload_file_parts_done_count(upload, 0);
    CHECK(done >= 1 && done <= 3); /* parts stored before the stop was handled */
    for (size_t k = 0; k < done; k++) CHECK(part_stored(pid, fid, ss_sendsafely_upload_file_part_done(upload, 0, k)));
    CHECK(ss_sendsafely_upload_file_part_done(upload, 0, done) == 0);
    CHECK(contains(record(pid), "\"uploaded\":false"));

    progress_log_init(&log);
    CHECK_RC(ss_sendsafely_upload_files(client, package, upload, on_progress, &log, &uploaded), SS_OK);
    CHECK(stream.rewinds == 1);
    CHECK(stream.source.wrong_thread == 0);
    if (done < 3) check_progress(&log, size, 1);
    CHECK(log.calls == (int)(3 - done));
    CHECK(ss_sendsafely_upload_file_complete(upload, 0));
    CHECK(ss_sendsafely_upload_file_parts_done_count(upload, 0) == 3);
    CHECK_STR(ss_sendsafely_uploaded_file_id(ss_sendsafely_uploaded_list_file(uploaded, 0)), fid);
    CHECK(ss_sendsafely_uploaded_file_parts(ss_sendsafely_uploaded_list_file(uploaded, 0)) == 3);
    tell_keycode(package);
    CHECK(stored_plaintext(pid, data, size));
    ss_sendsafely_uploaded_list_free(uploaded);
    ss_sendsafely_upload_free(upload);
    ss_sendsafely_package_free(package);
    ss_sendsafely_client_free(client);
    free(data);
}

/* Stopped, then resumed as another process would: the package opened again from its id and
 * keycode, a new upload told the file's id and the parts stored. */
static void test_resume_elsewhere(void) {
    ss_sendsafely_client *client = new_client(1);
    ss_sendsafely_package *package = NULL;
    CHECK_RC(ss_sendsafely_create_package(client, &package), SS_OK);
    size_t size = SEGMENT + 5; /* two parts */
    unsigned char *data = pattern(size, 8);
    ss_sendsafely_upload *upload = NULL;
    CHECK_RC(ss_sendsafely_upload_new(&upload), SS_OK);
    CHECK_RC(ss_sendsafely_upload_add_bytes(upload, data, size, "kept.bin", NULL), SS_OK);
    progress_log log;
    progress_log_init(&log);
    log.abort_at_call = 1;
    ss_sendsafely_uploaded_list *uploaded = NULL;
    CHECK_ERR(ss_sendsafely_upload_files(client, package, upload, on_progress, &log, &uploaded),
              SS_ERR_ABORTED_BY_CALLBACK, NULL);

    /* What a program keeps: the package's id and keycode, the file's id and parts. */
    char pid[64], keycode[128], fid[128];
    uint64_t parts[4];
    size_t count = ss_sendsafely_upload_file_parts_done_count(upload, 0);
    CHECK(count >= 1 && count <= 2);
    for (size_t k = 0; k < count && k < 4; k++) parts[k] = ss_sendsafely_upload_file_part_done(upload, 0, k);
    snprintf(pid, sizeof pid, "%s", ss_sendsafely_package_id(package));
    snprintf(keycode, sizeof keycode, "%s", ss_sendsafely_package_keycode(package));
    snprintf(fid, sizeof fid, "%s", ss_sendsafely_upload_file_id(upload, 0));
    ss_sendsafely_upload_free(upload);
    ss_sendsafely_package_free(package);
    ss_sendsafely_client_free(client);

    client = new_client(1);
    package = NULL;
    CHECK_RC(ss_sendsafely_reopen_package(client, pid, keycode, &package), SS_OK);
    CHECK_STR(ss_sendsafely_package_id(package), pid);
    CHECK_STR(ss_sendsafely_package_keycode(package), keycode);
    CHECK(ss_sendsafely_package_code(package) != NULL && ss_sendsafely_package_code(package)[0] != '\0');
    CHECK_RC(ss_sendsafely_upload_new(&upload), SS_OK);
    CHECK_RC(ss_sendsafely_upload_add_bytes(upload, data, size, "kept.bin", NULL), SS_OK);
    CHECK_RC(ss_sendsafely_upload_resume_file(upload, 0, fid, parts, count), SS_OK);
    CHECK_STR(ss_sendsafely_upload_file_id(upload, 0), fid);
    CHECK(ss_sendsafely_upload_file_parts_done_count(upload, 0) == count);
    progress_log_init(&log);
    CHECK_RC(ss_sendsafely_upload_files(client, package, upload, on_progress, &log, &uploaded), SS_OK);
    CHECK(log.calls == (int)(2 - count));
    if (log.calls > 0) check_progress(&log, size, 1);
    CHECK(ss_sendsafely_upload_file_complete(upload, 0));
    ss_sendsafely_package_info *info = NULL;
    CHECK_RC(ss_sendsafely_get_package_info(client, pid, &info), SS_OK);
    CHECK(ss_sendsafely_package_info_file_count(info) == 1); /* not registered twice */
    CHECK(ss_sendsafely_file_uploaded(ss_sendsafely_package_info_file(info, 0)));
    ss_sendsafely_package_info_free(info);
    tell_keycode(package);
    CHECK(stored_plaintext(pid, data, size));

    /* Parts outside the file are refused by the call, a file out of range at once. */
    ss_sendsafely_upload *bad = NULL;
    CHECK_RC(ss_sendsafely_upload_new(&bad), SS_OK);
    CHECK_RC(ss_sendsafely_upload_add_bytes(bad, data, size, "kept.bin", NULL), SS_OK);
    uint64_t wrong[] = {3};
    CHECK_ERR(ss_sendsafely_upload_resume_file(bad, 1, fid, wrong, 1), SS_ERR_OUT_OF_RANGE, "no file 1");
    CHECK_RC(ss_sendsafely_upload_resume_file(bad, 0, fid, wrong, 1), SS_OK);
    ss_sendsafely_uploaded_list *none = NULL;
    CHECK_ERR(ss_sendsafely_upload_files(client, package, bad, NULL, NULL, &none), SS_ERR_INVALID_ARGUMENT, "part 3");
    CHECK(none == NULL);
    ss_sendsafely_upload_free(bad);

    ss_sendsafely_uploaded_list_free(uploaded);
    ss_sendsafely_upload_free(upload);
    ss_sendsafely_package_free(package);
    ss_sendsafely_client_free(client);
    free(data);
}

/* A stream without a rewind callback cannot be sent again; a failing rewind fails the call. */
static void test_streams_that_cannot_restart(void) {
    ss_sendsafely_client *client = new_client(1);
    ss_sendsafely_package *package = NULL;
    CHECK_RC(ss_sendsafely_create_package(client, &package), SS_OK);
    ss_sendsafely_upload *upload = NULL;
    CHECK_RC(ss_sendsafely_upload_new(&upload), SS_OK);
    stream_source plain;
    stream_init(&plain, g_stream_data, 1000);
    CHECK_RC(ss_sendsafely_upload_add_stream(upload, on_read, NULL, &plain, 1000, "once.bin", NULL), SS_OK);
    progress_log log;
    progress_log_init(&log);
    log.abort_at_call = 1;
    ss_sendsafely_uploaded_list *uploaded = NULL;
    CHECK_ERR(ss_sendsafely_upload_files(client, package, upload, on_progress, &log, &uploaded),
              SS_ERR_ABORTED_BY_CALLBACK, NULL);
    CHECK_ERR(ss_sendsafely_upload_files(client, package, upload, NULL, NULL, &uploaded), SS_ERR_INVALID_STATE,
              "rewind");
    ss_sendsafely_upload_free(upload);

    rewindable failing;
    memset(&failing, 0, sizeof failing);
    stream_init(&failing.source, g_stream_data, 1000);
    failing.fail_rewind = 1;
    CHECK_RC(ss_sendsafely_upload_new(&upload), SS_OK);
    CHECK_RC(ss_sendsafely_upload_add_stream(upload, on_rewindable_read, on_rewind, &failing, 1000, "r.bin", NULL),
             SS_OK);
    progress_log_init(&log);
    log.abort_at_call = 1;
    CHECK_ERR(ss_sendsafely_upload_files(client, package, upload, on_progress, &log, &uploaded),
              SS_ERR_ABORTED_BY_CALLBACK, NULL);
    CHECK_ERR(ss_sendsafely_upload_files(client, package, upload, NULL, NULL, &uploaded), SS_ERR_IO, "rewind");
    CHECK(failing.rewinds == 1);
    CHECK(uploaded == NULL);
    ss_sendsafely_upload_free(upload);
    ss_sendsafely_package_free(package);
    ss_sendsafely_client_free(client);
}

/* ---------------------------------------------------------------------------------------------
 * Refused input. */

/* Sources that do not give their size, or fail, or cannot be read. */
static void test_bad_sources(ss_sendsafely_client *client, ss_sendsafely_package *package) {
    struct {
        size_t have, claim;
        int fail;
        ss_result rc;
        const char *needle;
    } cases[] = {
        {500, 1000, 0, SS_ERR_INVALID_ARGUMENT, "ended before its 1000 bytes"},
        {1000, 500, 0, SS_ERR_INVALID_ARGUMENT, "more than its 500 bytes"},
        {1000, 1000, 1, SS_ERR_IO, "read callback"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ss_sendsafely_upload *upload = NULL;
        CHECK_RC(ss_sendsafely_upload_new(&upload), SS_OK);
        stream_source s;
        stream_init(&s, g_stream_data, cases[i].have);
        s.fail = cases[i].fail;
        s.fail_at = 100;
        CHECK_RC(ss_sendsafely_upload_add_stream(upload, on_read, NULL, &s, cases[i].claim, "s.bin", NULL), SS_OK);
        ss_sendsafely_uploaded_list *uploaded = NULL;
        CHECK_ERR(ss_sendsafely_upload_files(client, package, upload, NULL, NULL, &uploaded), cases[i].rc,
                  cases[i].needle);
        CHECK(uploaded == NULL);
        ss_sendsafely_upload_free(upload);
    }
    ss_sendsafely_upload *upload = NULL;
    CHECK_RC(ss_sendsafely_upload_new(&upload), SS_OK);
    char missing[700];
    snprintf(missing, sizeof missing, "%s/missing.bin", g_dir);
    CHECK_RC(ss_sendsafely_upload_add_path(upload, missing, NULL, NULL), SS_OK);
    ss_sendsafely_uploaded_list *uploaded = NULL;
    CHECK_ERR(ss_sendsafely_upload_files(client, package, upload, NULL, NULL, &uploaded), SS_ERR_IO, "missing.bin");
    ss_sendsafely_upload_free(upload);
    CHECK_RC(ss_sendsafely_upload_new(&upload), SS_OK);
    CHECK_RC(ss_sendsafely_upload_add_path(upload, g_dir, "dir", NULL), SS_OK);
    CHECK_ERR(ss_sendsafely_upload_files(client, package, upload, NULL, NULL, &uploaded), SS_ERR_INVALID_ARGUMENT,
              "not a regular file");
    ss_sendsafely_upload_free(upload);
}

static void test_arguments(void) {
    ss_sendsafely_client *client = new_client(0);
    ss_sendsafely_package *package = NULL;
    CHECK_RC(ss_sendsafely_create_package(client, &package), SS_OK);
    const char *pid = ss_sendsafely_package_id(package);

    /* Settings and deletions. */
    CHECK_ERR(ss_sendsafely_update_package_life(NULL, pid, 5), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_update_package_life(client, NULL, 5), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_update_package_life(client, BAD_UTF8, 5), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_update_package_life(client, pid, 0), SS_ERR_INVALID_ARGUMENT, "1 to 365");
    CHECK_ERR(ss_sendsafely_update_package_life(client, pid, 366), SS_ERR_INVALID_ARGUMENT, "1 to 365");
    CHECK_RC(ss_sendsafely_update_package_life(client, pid, 365), SS_OK);
    CHECK_ERR(ss_sendsafely_update_package_life(client, "", 5), SS_ERR_INVALID_ARGUMENT, "package id");
    CHECK_ERR(ss_sendsafely_update_package_life(client, "NOPE-NOPE", 5), SS_ERR_API, NULL);
    char code[64];
    ss_last_error_api_code_name(code, sizeof code);
    CHECK_STR(code, "UNKNOWN_PACKAGE");
    CHECK(ss_last_error_http_status() == 200);
    CHECK_ERR(ss_sendsafely_update_package_label(NULL, pid, "x"), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_update_package_label(client, NULL, "x"), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_update_package_label(client, pid, NULL), SS_ERR_NULL_ARGUMENT, "label");
    CHECK_ERR(ss_sendsafely_update_package_label(client, pid, BAD_UTF8), SS_ERR_INVALID_UTF8, "label");
    CHECK_ERR(ss_sendsafely_update_package_label(client, BAD_UTF8, "x"), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_update_package_label(client, "NOPE-NOPE", "x"), SS_ERR_API, NULL);
    CHECK_ERR(ss_sendsafely_delete_package(NULL, pid), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_delete_package(client, NULL), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_delete_package(client, BAD_UTF8), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_delete_package(client, "NOPE-NOPE"), SS_ERR_API, NULL);
    CHECK_ERR(ss_sendsafely_delete_temporary_package(NULL, pid), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_delete_temporary_package(client, NULL), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_delete_temporary_package(client, BAD_UTF8), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_delete_file(NULL, pid, "f"), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_delete_file(client, NULL, "f"), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_delete_file(client, pid, NULL), SS_ERR_NULL_ARGUMENT, "file_id");
    CHECK_ERR(ss_sendsafely_delete_file(client, pid, BAD_UTF8), SS_ERR_INVALID_UTF8, "file_id");
    CHECK_ERR(ss_sendsafely_delete_file(client, BAD_UTF8, "f"), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_delete_file(client, pid, ""), SS_ERR_INVALID_ARGUMENT, "file id");
    CHECK_ERR(ss_sendsafely_delete_file(client, pid, "no-such-file"), SS_ERR_API, NULL);

    /* Reopening. */
    ss_sendsafely_package *again = NULL;
    const char *keycode = ss_sendsafely_package_keycode(package);
    CHECK_ERR(ss_sendsafely_reopen_package(NULL, pid, keycode, &again), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_reopen_package(client, NULL, keycode, &again), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_reopen_package(client, pid, NULL, &again), SS_ERR_NULL_ARGUMENT, "keycode");
    CHECK_ERR(ss_sendsafely_reopen_package(client, pid, keycode, NULL), SS_ERR_NULL_ARGUMENT, "out_package");
    CHECK_ERR(ss_sendsafely_reopen_package(client, BAD_UTF8, keycode, &again), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_reopen_package(client, pid, BAD_UTF8, &again), SS_ERR_INVALID_UTF8, "keycode");
    CHECK_ERR(ss_sendsafely_reopen_package(client, pid, "", &again), SS_ERR_INVALID_ARGUMENT, "keycode");
    CHECK_ERR(ss_sendsafely_reopen_package(client, "NOPE-NOPE", keycode, &again), SS_ERR_API, NULL);
    CHECK(again == NULL);

    /* Recipients. */
    ss_sendsafely_recipient *r = NULL;
    CHECK_ERR(ss_sendsafely_add_recipient(NULL, pid, BOB_EMAIL, &r), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_add_recipient(client, NULL, BOB_EMAIL, &r), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_add_recipient(client, pid, NULL, &r), SS_ERR_NULL_ARGUMENT, "email");
    CHECK_ERR(ss_sendsafely_add_recipient(client, pid, BOB_EMAIL, NULL), SS_ERR_NULL_ARGUMENT, "out_recipient");
    CHECK_ERR(ss_sendsafely_add_recipient(client, BAD_UTF8, BOB_EMAIL, &r), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_add_recipient(client, pid, BAD_UTF8, &r), SS_ERR_INVALID_UTF8, "email");
    CHECK_ERR(ss_sendsafely_add_recipient(client, pid, " ", &r), SS_ERR_INVALID_ARGUMENT, "e-mail");
    CHECK_ERR(ss_sendsafely_add_recipient(client, pid, "nobody", &r), SS_ERR_API, "Invalid email");
    ss_last_error_api_code_name(code, sizeof code);
    CHECK_STR(code, "INVALID_EMAIL");
    CHECK_ERR(ss_sendsafely_add_recipient(client, "NOPE-NOPE", BOB_EMAIL, &r), SS_ERR_API, NULL);
    CHECK(r == NULL);
    const char *emails[] = {BOB_EMAIL, NULL};
    const char *bad_emails[] = {BOB_EMAIL, BAD_UTF8};
    ss_sendsafely_recipient_outcomes *outcomes = NULL;
    CHECK_ERR(ss_sendsafely_add_recipients(NULL, pid, emails, 1, &outcomes), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_add_recipients(client, NULL, emails, 1, &outcomes), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_add_recipients(client, pid, NULL, 1, &outcomes), SS_ERR_NULL_ARGUMENT, "emails");
    CHECK_ERR(ss_sendsafely_add_recipients(client, pid, emails, 2, &outcomes), SS_ERR_NULL_ARGUMENT, "emails[1]");
    CHECK_ERR(ss_sendsafely_add_recipients(client, pid, bad_emails, 2, &outcomes), SS_ERR_INVALID_UTF8, "emails[1]");
    CHECK_ERR(ss_sendsafely_add_recipients(client, BAD_UTF8, emails, 1, &outcomes), SS_ERR_INVALID_UTF8,
              "package_id");
    CHECK_ERR(ss_sendsafely_add_recipients(client, pid, emails, 1, NULL), SS_ERR_NULL_ARGUMENT, "out_outcomes");
    CHECK_ERR(ss_sendsafely_add_recipients(client, pid, NULL, 0, &outcomes), SS_ERR_INVALID_ARGUMENT, "no e-mail");
    CHECK_ERR(ss_sendsafely_add_recipients(client, "NOPE-NOPE", emails, 1, &outcomes), SS_ERR_API, NULL);
    CHECK(outcomes == NULL);
    CHECK(ss_sendsafely_recipient_outcomes_count(NULL) == 0);
    CHECK(ss_sendsafely_recipient_outcomes_at(NULL, 0) == NULL);
    CHECK(ss_sendsafely_recipient_outcome_email(NULL) == NULL);
    CHECK(ss_sendsafely_recipient_outcome_code(NULL) == NULL);
    CHECK(ss_sendsafely_recipient_outcome_message(NULL) == NULL);
    CHECK(ss_sendsafely_recipient_outcome_recipient(NULL) == NULL);
    ss_sendsafely_recipient_outcomes_free(NULL);

    CHECK_RC(ss_sendsafely_add_recipient(client, pid, BOB_EMAIL, &r), SS_OK);
    const char *rid = ss_sendsafely_recipient_id(r);
    CHECK_ERR(ss_sendsafely_update_recipient_phone(NULL, pid, rid, "5550100", "US"), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_update_recipient_phone(client, NULL, rid, "5550100", "US"), SS_ERR_NULL_ARGUMENT,
              "package_id");
    CHECK_ERR(ss_sendsafely_update_recipient_phone(client, pid, NULL, "5550100", "US"), SS_ERR_NULL_ARGUMENT,
              "recipient_id");
    CHECK_ERR(ss_sendsafely_update_recipient_phone(client, pid, rid, NULL, "US"), SS_ERR_NULL_ARGUMENT,
              "phone_number");
    CHECK_ERR(ss_sendsafely_update_recipient_phone(client, pid, rid, "5550100", NULL), SS_ERR_NULL_ARGUMENT,
              "country");
    CHECK_ERR(ss_sendsafely_update_recipient_phone(client, BAD_UTF8, rid, "5550100", "US"), SS_ERR_INVALID_UTF8,
              "package_id");
    CHECK_ERR(ss_sendsafely_update_recipient_phone(client, pid, BAD_UTF8, "5550100", "US"), SS_ERR_INVALID_UTF8,
              "recipient_id");
    CHECK_ERR(ss_sendsafely_update_recipient_phone(client, pid, rid, BAD_UTF8, "US"), SS_ERR_INVALID_UTF8,
              "phone_number");
    CHECK_ERR(ss_sendsafely_update_recipient_phone(client, pid, rid, "5550100", BAD_UTF8), SS_ERR_INVALID_UTF8,
              "country");
    CHECK_ERR(ss_sendsafely_update_recipient_phone(client, pid, rid, "no digits", "US"), SS_ERR_INVALID_ARGUMENT,
              "digit");
    CHECK_ERR(ss_sendsafely_update_recipient_phone(client, pid, rid, "5550100", "us"), SS_ERR_INVALID_ARGUMENT,
              "ISO-2");
    CHECK_ERR(ss_sendsafely_update_recipient_phone(client, pid, rid, "5550100", "OTHER"), SS_ERR_INVALID_ARGUMENT,
              "+");
    CHECK_ERR(ss_sendsafely_update_recipient_phone(client, pid, "rcp-none", "5550100", "US"), SS_ERR_API, NULL);
    CHECK_ERR(ss_sendsafely_remove_recipient(NULL, pid, rid), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_remove_recipient(client, NULL, rid), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_remove_recipient(client, pid, NULL), SS_ERR_NULL_ARGUMENT, "recipient_id");
    CHECK_ERR(ss_sendsafely_remove_recipient(client, BAD_UTF8, rid), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_remove_recipient(client, pid, BAD_UTF8), SS_ERR_INVALID_UTF8, "recipient_id");
    CHECK_ERR(ss_sendsafely_remove_recipient(client, pid, "rcp-none"), SS_ERR_API, NULL);
    CHECK_RC(ss_sendsafely_remove_recipient(client, pid, rid), SS_OK);
    ss_sendsafely_recipient_free(r);

    /* The upload handle. */
    ss_sendsafely_upload *upload = NULL;
    CHECK_ERR(ss_sendsafely_upload_new(NULL), SS_ERR_NULL_ARGUMENT, "out_upload");
    CHECK_RC(ss_sendsafely_upload_new(&upload), SS_OK);
    ss_sendsafely_uploaded_list *uploaded = NULL;
    CHECK_ERR(ss_sendsafely_upload_files(client, package, upload, NULL, NULL, &uploaded), SS_ERR_INVALID_ARGUMENT,
              "no file");
    CHECK_ERR(ss_sendsafely_upload_add_path(NULL, g_file, NULL, NULL), SS_ERR_NULL_ARGUMENT, "upload");
    CHECK_ERR(ss_sendsafely_upload_add_path(upload, NULL, NULL, NULL), SS_ERR_NULL_ARGUMENT, "path");
    CHECK_ERR(ss_sendsafely_upload_add_path(upload, BAD_UTF8, NULL, NULL), SS_ERR_INVALID_UTF8, "path");
    CHECK_ERR(ss_sendsafely_upload_add_path(upload, g_file, BAD_UTF8, NULL), SS_ERR_INVALID_UTF8, "name");
    CHECK_ERR(ss_sendsafely_upload_add_path(upload, g_file, NULL, BAD_UTF8), SS_ERR_INVALID_UTF8, "directory_id");
    CHECK_ERR(ss_sendsafely_upload_add_path(upload, g_file, " ", NULL), SS_ERR_INVALID_ARGUMENT, "name");
    CHECK_ERR(ss_sendsafely_upload_add_path(upload, "/", NULL, NULL), SS_ERR_INVALID_ARGUMENT, "no file name");
    CHECK_ERR(ss_sendsafely_upload_add_bytes(NULL, g_bytes, 1, "b", NULL), SS_ERR_NULL_ARGUMENT, "upload");
    CHECK_ERR(ss_sendsafely_upload_add_bytes(upload, NULL, 1, "b", NULL), SS_ERR_NULL_ARGUMENT, "data");
    CHECK_ERR(ss_sendsafely_upload_add_bytes(upload, g_bytes, 1, NULL, NULL), SS_ERR_NULL_ARGUMENT, "name");
    CHECK_ERR(ss_sendsafely_upload_add_bytes(upload, g_bytes, 1, BAD_UTF8, NULL), SS_ERR_INVALID_UTF8, "name");
    CHECK_ERR(ss_sendsafely_upload_add_bytes(upload, g_bytes, 1, "b", BAD_UTF8), SS_ERR_INVALID_UTF8,
              "directory_id");
    CHECK_ERR(ss_sendsafely_upload_add_fd(NULL, 0, "f", NULL), SS_ERR_NULL_ARGUMENT, "upload");
    CHECK_ERR(ss_sendsafely_upload_add_fd(upload, 0, NULL, NULL), SS_ERR_NULL_ARGUMENT, "name");
    CHECK_ERR(ss_sendsafely_upload_add_fd(upload, 0, BAD_UTF8, NULL), SS_ERR_INVALID_UTF8, "name");
    CHECK_ERR(ss_sendsafely_upload_add_fd(upload, -1, "f", NULL), SS_ERR_IO, "not a file descriptor");
    int dir_fd = open(g_dir, O_RDONLY);
    CHECK_ERR(ss_sendsafely_upload_add_fd(upload, dir_fd, "f", NULL), SS_ERR_INVALID_ARGUMENT, "not a regular file");
    close(dir_fd);
    int file_fd = open(g_file, O_RDONLY);
    CHECK_ERR(ss_sendsafely_upload_add_fd(upload, file_fd, "f", BAD_UTF8), SS_ERR_INVALID_UTF8, "directory_id");
    close(file_fd);
    stream_source s;
    stream_init(&s, g_stream_data, 10);
    CHECK_ERR(ss_sendsafely_upload_add_stream(NULL, on_read, NULL, &s, 10, "s", NULL), SS_ERR_NULL_ARGUMENT, "upload");
    CHECK_ERR(ss_sendsafely_upload_add_stream(upload, NULL, NULL, &s, 10, "s", NULL), SS_ERR_NULL_ARGUMENT, "read");
    CHECK_ERR(ss_sendsafely_upload_add_stream(upload, on_read, NULL, &s, 10, NULL, NULL), SS_ERR_NULL_ARGUMENT,
              "name");
    CHECK_ERR(ss_sendsafely_upload_add_stream(upload, on_read, NULL, &s, 10, BAD_UTF8, NULL), SS_ERR_INVALID_UTF8,
              "name");
    CHECK_ERR(ss_sendsafely_upload_add_stream(upload, on_read, NULL, &s, 10, "s", BAD_UTF8), SS_ERR_INVALID_UTF8,
              "directory_id");
    CHECK(ss_sendsafely_upload_file_count(upload) == 0); /* nothing was added */
    CHECK_RC(ss_sendsafely_upload_add_bytes(upload, NULL, 0, "empty.txt", NULL), SS_OK);
    uint64_t parts[] = {1};
    CHECK_ERR(ss_sendsafely_upload_resume_file(NULL, 0, "f", parts, 1), SS_ERR_NULL_ARGUMENT, "upload");
    CHECK_ERR(ss_sendsafely_upload_resume_file(upload, 0, NULL, parts, 1), SS_ERR_NULL_ARGUMENT, "file_id");
    CHECK_ERR(ss_sendsafely_upload_resume_file(upload, 0, BAD_UTF8, parts, 1), SS_ERR_INVALID_UTF8, "file_id");
    CHECK_ERR(ss_sendsafely_upload_resume_file(upload, 0, "f", NULL, 1), SS_ERR_NULL_ARGUMENT, "parts_done");
    CHECK_ERR(ss_sendsafely_upload_resume_file(upload, 0, " ", parts, 1), SS_ERR_INVALID_ARGUMENT, "file id");
    CHECK(ss_sendsafely_upload_file_id(upload, 0) == NULL); /* nothing was changed */

    CHECK_ERR(ss_sendsafely_upload_files(NULL, package, upload, NULL, NULL, &uploaded), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_upload_files(client, NULL, upload, NULL, NULL, &uploaded), SS_ERR_NULL_ARGUMENT,
              "package");
    CHECK_ERR(ss_sendsafely_upload_files(client, package, NULL, NULL, NULL, &uploaded), SS_ERR_NULL_ARGUMENT,
              "upload");
    CHECK_ERR(ss_sendsafely_upload_files(client, package, upload, NULL, NULL, NULL), SS_ERR_NULL_ARGUMENT,
              "out_uploaded");
    /* An empty file is one empty segment. */
    CHECK_RC(ss_sendsafely_upload_files(client, package, upload, NULL, NULL, &uploaded), SS_OK);
    CHECK(ss_sendsafely_uploaded_file_size(ss_sendsafely_uploaded_list_file(uploaded, 0)) == 0);
    CHECK(ss_sendsafely_uploaded_file_parts(ss_sendsafely_uploaded_list_file(uploaded, 0)) == 1);
    /* Deleting it. */
    CHECK_RC(ss_sendsafely_delete_file(client, pid, ss_sendsafely_upload_file_id(upload, 0)), SS_OK);
    ss_sendsafely_package_info *info = NULL;
    CHECK_RC(ss_sendsafely_get_package_info(client, pid, &info), SS_OK);
    CHECK(ss_sendsafely_package_info_file_count(info) == 0);
    ss_sendsafely_package_info_free(info);
    ss_sendsafely_uploaded_list_free(uploaded);
    uploaded = NULL;
    /* Its files are registered in the first package: another is refused. */
    ss_sendsafely_package *other = NULL;
    CHECK_RC(ss_sendsafely_create_package(client, &other), SS_OK);
    CHECK_ERR(ss_sendsafely_upload_files(client, other, upload, NULL, NULL, &uploaded), SS_ERR_INVALID_ARGUMENT,
              "was sent to package");
    ss_sendsafely_upload_free(upload);
    /* A package the server does not know. */
    CHECK_RC(ss_sendsafely_delete_temporary_package(client, ss_sendsafely_package_id(other)), SS_OK);
    CHECK_RC(ss_sendsafely_upload_new(&upload), SS_OK);
    CHECK_RC(ss_sendsafely_upload_add_bytes(upload, g_bytes, 10, "b.bin", NULL), SS_OK);
    CHECK_ERR(ss_sendsafely_upload_files(client, other, upload, NULL, NULL, &uploaded), SS_ERR_API, NULL);
    ss_last_error_api_code_name(code, sizeof code);
    CHECK_STR(code, "UNKNOWN_PACKAGE");
    CHECK(ss_sendsafely_upload_file_id(upload, 0) == NULL);
    ss_sendsafely_upload_free(upload);

    test_bad_sources(client, package);

    /* Getters of NULL handles give their defaults. */
    CHECK(ss_sendsafely_upload_file_count(NULL) == 0);
    CHECK(ss_sendsafely_upload_file_id(NULL, 0) == NULL);
    CHECK(!ss_sendsafely_upload_file_complete(NULL, 0));
    CHECK(ss_sendsafely_upload_file_parts_done_count(NULL, 0) == 0);
    CHECK(ss_sendsafely_upload_file_part_done(NULL, 0, 0) == 0);
    CHECK(ss_sendsafely_uploaded_list_count(NULL) == 0);
    CHECK(ss_sendsafely_uploaded_list_file(NULL, 0) == NULL);
    CHECK(ss_sendsafely_uploaded_file_id(NULL) == NULL);
    CHECK(ss_sendsafely_uploaded_file_name(NULL) == NULL);
    CHECK(ss_sendsafely_uploaded_file_size(NULL) == 0);
    CHECK(ss_sendsafely_uploaded_file_parts(NULL) == 0);
    ss_sendsafely_uploaded_list_free(NULL);
    ss_sendsafely_upload_free(NULL);

    /* The message and finalize. */
    CHECK_ERR(ss_sendsafely_put_message(NULL, package, "m"), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_put_message(client, NULL, "m"), SS_ERR_NULL_ARGUMENT, "package");
    CHECK_ERR(ss_sendsafely_put_message(client, package, NULL), SS_ERR_NULL_ARGUMENT, "message");
    CHECK_ERR(ss_sendsafely_put_message(client, package, BAD_UTF8), SS_ERR_INVALID_UTF8, "message");
    CHECK_RC(ss_sendsafely_put_message(client, package, ""), SS_OK);
    ss_sendsafely_finalized *finalized = NULL;
    CHECK_ERR(ss_sendsafely_finalize_package(NULL, package, &finalized), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_finalize_package(client, NULL, &finalized), SS_ERR_NULL_ARGUMENT, "package");
    CHECK_ERR(ss_sendsafely_finalize_package(client, package, NULL), SS_ERR_NULL_ARGUMENT, "out_finalized");
    /* The deleted package cannot be finalized. */
    CHECK_ERR(ss_sendsafely_put_message(client, other, "m"), SS_ERR_API, NULL);
    CHECK_ERR(ss_sendsafely_finalize_package(client, other, &finalized), SS_ERR_API, NULL);
    CHECK(finalized == NULL);
    CHECK(ss_sendsafely_finalized_secure_link(NULL) == NULL);
    CHECK(!ss_sendsafely_finalized_needs_approval(NULL));
    CHECK(ss_sendsafely_finalized_wrapped_key_count(NULL) == 0);
    CHECK(ss_sendsafely_finalized_wrapped_key_id(NULL, 0) == NULL);
    CHECK(ss_sendsafely_finalized_skipped_key_count(NULL) == 0);
    CHECK(ss_sendsafely_finalized_skipped_key_id(NULL, 0) == NULL);
    CHECK(ss_sendsafely_finalized_skipped_key_reason(NULL, 0) == NULL);
    ss_sendsafely_finalized_free(NULL);

    ss_sendsafely_package_free(other);
    ss_sendsafely_package_free(package);
    ss_sendsafely_client_free(client);
}

int main(void) {
    g_sendsafely = getenv("SS_TEST_SENDSAFELY_URL");
    if (g_sendsafely == NULL || g_sendsafely[0] == '\0') {
        fprintf(stderr, "set SS_TEST_SENDSAFELY_URL to the SendSafely emulator's URL\n");
        return 2;
    }
    /* support.h's files and control API, pointed at the SendSafely emulator. */
    if (setenv("SS_TEST_URL", g_sendsafely, 1) != 0 || !support_setup()) return 2;
    test_send_flow();
    test_stop_then_resume();
    test_resume_elsewhere();
    test_streams_that_cannot_restart();
    test_arguments();
    support_cleanup();
    return check_summary();
}
