/* Handles in use by a running call, against sendsecure-emulator: a callback of ss_submit_safebox,
 * ss_upload_attachments, ss_send_reply or a download may call libsendsecure's non-blocking
 * functions, but the SafeBox (its recipients), the reply and the client that the call works on
 * refuse every change with SS_ERR_INVALID_STATE, and freeing one of them from the callback
 * frees it when the call returns. The call goes on as if nothing had happened: what it uploads
 * is what the handle held when it started.
 *
 * Run by tests/c_api.rs like every tests/c/test_*.c (shared, static, valgrind, ASan, C++): an
 * attachment added under the upload's feet used to corrupt the heap (invalid writes under
 * valgrind) while the call returned SS_OK. */
#include "support.h"

#define IN_USE "in use by a running call"

static unsigned g_serial; /* makes subjects unique within one emulator */

/* What a callback does to the handles of its own call, once. */
typedef struct {
    ss_safebox *safebox;
    ss_recipient *recipient;
    ss_reply *reply;
    ss_client *client;
    int free_safebox;
    int free_reply;
    int free_client;
    int acted;
    size_t count_seen; /* the attachment count read from the callback */
    int calls;
} meddler;

/* A meddler with the handles of its call (NULL for none), freeing them instead of changing
 * them when `free_them`. */
static void meddler_init(meddler *m, ss_safebox *sb, ss_recipient *recipient, ss_reply *reply, ss_client *client,
                         int free_them) {
    memset(m, 0, sizeof *m);
    m->safebox = sb;
    m->recipient = recipient;
    m->reply = reply;
    m->client = client;
    m->free_safebox = free_them && sb != NULL;
    m->free_reply = free_them && reply != NULL;
    m->free_client = free_them && client != NULL;
}

/* Every change of a SafeBox in use (and of its recipient), each refused with its reason. */
static void change_safebox(meddler *m) {
    ss_safebox *sb = m->safebox;
    CHECK_ERR(ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, "late.txt", NULL), SS_ERR_INVALID_STATE,
              "`safebox` is " IN_USE);
    CHECK_ERR(ss_safebox_add_attachment_file(sb, g_file, NULL, "late.pdf"), SS_ERR_INVALID_STATE, IN_USE);
    int fd = open(g_file, O_RDONLY);
    CHECK_ERR(ss_safebox_add_attachment_fd(sb, fd, "late.raw", NULL), SS_ERR_INVALID_STATE, IN_USE);
    if (fd >= 0) close(fd);
    CHECK_ERR(ss_safebox_add_attachment_stream(sb, on_read, NULL, 10, "late.dat", NULL), SS_ERR_INVALID_STATE, IN_USE);
    CHECK_ERR(ss_safebox_set_subject(sb, "changed"), SS_ERR_INVALID_STATE, IN_USE);
    CHECK_ERR(ss_safebox_set_message(sb, "changed"), SS_ERR_INVALID_STATE, IN_USE);
    ss_recipient *added = NULL;
    CHECK_ERR(ss_safebox_add_recipient(sb, "late@example.com", &added), SS_ERR_INVALID_STATE, IN_USE);
    CHECK(added == NULL);
    char *json = NULL;
    CHECK_ERR(ss_safebox_to_json(sb, &json), SS_ERR_INVALID_STATE, IN_USE);
    CHECK(json == NULL);
    if (m->recipient != NULL) {
        CHECK_ERR(ss_recipient_set_first_name(m->recipient, "Late"), SS_ERR_INVALID_STATE, "`recipient` is " IN_USE);
        CHECK_ERR(ss_recipient_add_contact_method(m->recipient, "+15145550000", SS_DESTINATION_CELL),
                  SS_ERR_INVALID_STATE, IN_USE);
    }
    /* Reading is allowed. */
    m->count_seen = ss_safebox_attachment_count(sb);
}

static void change_reply(meddler *m) {
    ss_reply *r = m->reply;
    CHECK_ERR(ss_reply_add_attachment_bytes(r, g_bytes, BYTES_SIZE, "late.txt", NULL), SS_ERR_INVALID_STATE,
              "`reply` is " IN_USE);
    CHECK_ERR(ss_reply_add_attachment_file(r, g_file, NULL, "late.pdf"), SS_ERR_INVALID_STATE, IN_USE);
    CHECK_ERR(ss_reply_add_attachment_stream_rewindable(r, on_read, NULL, NULL, 10, "late.dat", NULL),
              SS_ERR_INVALID_STATE, IN_USE);
    CHECK_ERR(ss_reply_set_message(r, "changed"), SS_ERR_INVALID_STATE, IN_USE);
    CHECK_ERR(ss_reply_set_consent(r, true), SS_ERR_INVALID_STATE, IN_USE);
    m->count_seen = ss_reply_attachment_count(r);
}

/* Does what `m` asks, at the first callback of the call. */
static void meddle(meddler *m) {
    m->calls++;
    if (m->acted) return;
    m->acted = 1;
    if (m->safebox != NULL && !m->free_safebox) change_safebox(m);
    if (m->reply != NULL && !m->free_reply) change_reply(m);
    /* Another handle, not in use, is changed and freed as usual. */
    ss_safebox *other = NULL;
    CHECK_RC(ss_safebox_new(USER_EMAIL, &other), SS_OK);
    CHECK_RC(ss_safebox_add_attachment_bytes(other, g_bytes, 10, "other.txt", NULL), SS_OK);
    ss_safebox_free(other);
    if (m->free_safebox) ss_safebox_free(m->safebox);
    if (m->free_reply) ss_reply_free(m->reply);
    if (m->free_client) ss_client_free(m->client);
}

static int meddling_progress(void *user_data, const ss_progress *p) {
    (void)p;
    meddle((meddler *)user_data);
    return 0;
}

static int64_t meddling_write(void *user_data, const uint8_t *buf, size_t len) {
    (void)buf;
    meddle((meddler *)user_data);
    return (int64_t)len;
}

/* A SafeBox with a unique subject, a recipient and two attachments. */
static ss_safebox *two_attachments(ss_recipient **recipient, char *subject, size_t subject_len) {
    ss_safebox *sb = NULL;
    snprintf(subject, subject_len, "in-use-%ld-%u", (long)getpid(), ++g_serial);
    CHECK_RC(ss_safebox_new(USER_EMAIL, &sb), SS_OK);
    CHECK_RC(ss_safebox_set_subject(sb, subject), SS_OK);
    CHECK_RC(ss_safebox_set_message(sb, "in use"), SS_OK);
    CHECK_RC(ss_safebox_add_recipient(sb, "guest@example.com", recipient), SS_OK);
    CHECK_RC(ss_safebox_add_attachment_file(sb, g_file, NULL, "report.pdf"), SS_OK);
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, "notes.txt", NULL), SS_OK);
    return sb;
}

/* The SafeBox's info JSON from the emulator (`body` of `len` bytes). */
static int safebox_json(const char *guid, char *body, size_t len) {
    char path[128];
    snprintf(path, sizeof path, "safeboxes/%s", guid);
    return control("GET", path, NULL, body, len) == 200;
}

/* Submits `sb` with `m` meddling from its progress callback; the new SafeBox's GUID goes to
 * `guid`. Whether the submit succeeded. */
static int submit_meddled(const ss_client *client, ss_safebox *sb, meddler *m, char *guid, size_t guid_len) {
    ss_safebox_response *response = NULL;
    guid[0] = '\0';
    int ok = CHECK_RC(ss_submit_safebox(client, sb, meddling_progress, m, &response), SS_OK);
    CHECK(m->acted && m->calls > 1);
    if (CHECK(response != NULL)) snprintf(guid, guid_len, "%s", ss_safebox_response_guid(response));
    ss_safebox_response_free(response);
    return ok && guid[0] != '\0';
}

static void test_safebox_refuses_changes_during_submit(const ss_client *client) {
    char subject[64];
    ss_recipient *recipient = NULL;
    ss_safebox *sb = two_attachments(&recipient, subject, sizeof subject);
    meddler m;
    meddler_init(&m, sb, recipient, NULL, NULL, 0);
    char guid[64];
    int submitted = submit_meddled(client, sb, &m, guid, sizeof guid);
    CHECK(m.count_seen == 2);
    /* What was sent is what the SafeBox held when the call started. */
    static char body[1 << 15];
    if (submitted && CHECK(safebox_json(guid, body, sizeof body))) {
        CHECK(contains(body, subject));
        CHECK(contains(body, "\"name\":\"report.pdf\",\"size\":307200"));
        CHECK(contains(body, "\"name\":\"notes.txt\",\"size\":5000"));
        CHECK(!contains(body, "late"));
        CHECK(!contains(body, "changed"));
    }
    /* Once the call has returned, the SafeBox can be changed again. */
    CHECK(ss_safebox_attachment_count(sb) == 2);
    CHECK_RC(ss_safebox_set_subject(sb, "after"), SS_OK);
    CHECK_RC(ss_recipient_set_first_name(recipient, "After"), SS_OK);
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, 10, "after.txt", NULL), SS_OK);
    CHECK(ss_safebox_attachment_count(sb) == 3);
    ss_safebox_free(sb);
}

static void test_safebox_refuses_changes_during_upload(const ss_client *client) {
    char subject[64];
    ss_recipient *recipient = NULL;
    ss_safebox *sb = two_attachments(&recipient, subject, sizeof subject);
    CHECK_RC(ss_initialize_safebox(client, sb), SS_OK);
    meddler m;
    meddler_init(&m, sb, recipient, NULL, NULL, 0);
    CHECK_RC(ss_upload_attachments(client, sb, meddling_progress, &m), SS_OK);
    CHECK(m.acted && m.count_seen == 2);
    CHECK(ss_safebox_attachment_count(sb) == 2);
    /* The rest of the submit (the commit, with the default security profile). */
    ss_safebox_response *response = NULL;
    CHECK_RC(ss_submit_safebox(client, sb, NULL, NULL, &response), SS_OK);
    static char body[1 << 15];
    if (CHECK(response != NULL) && CHECK(safebox_json(ss_safebox_response_guid(response), body, sizeof body)))
        CHECK(contains(body, "\"documents\":[{") && !contains(body, "late"));
    ss_safebox_response_free(response);
    ss_safebox_free(sb);
}

static void test_safebox_freed_from_its_callback(const ss_client *client) {
    char subject[64];
    ss_safebox *sb = two_attachments(NULL, subject, sizeof subject);
    meddler m;
    meddler_init(&m, sb, NULL, NULL, NULL, 1);
    /* The call completes with the SafeBox it started with; the SafeBox is freed when it returns
     * (valgrind and ASan see neither a leak nor a use after free). */
    char guid[64];
    static char body[1 << 15];
    if (submit_meddled(client, sb, &m, guid, sizeof guid) && CHECK(safebox_json(guid, body, sizeof body)))
        CHECK(contains(body, subject) && contains(body, "\"name\":\"notes.txt\",\"size\":5000"));
}

static void test_reply_refuses_changes(const ss_client *client) {
    char subject[64];
    ss_safebox *sb = two_attachments(NULL, subject, sizeof subject);
    ss_safebox_response *response = NULL;
    CHECK_RC(ss_submit_safebox(client, sb, NULL, NULL, &response), SS_OK);
    ss_safebox_free(sb);
    if (response == NULL) return;
    char guid[64];
    snprintf(guid, sizeof guid, "%s", ss_safebox_response_guid(response));
    ss_safebox_response_free(response);

    ss_reply *reply = NULL;
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK_RC(ss_reply_set_message(reply, "the reply"), SS_OK);
    CHECK_RC(ss_reply_add_attachment_bytes(reply, g_bytes, BYTES_SIZE, "reply.txt", NULL), SS_OK);
    meddler m;
    meddler_init(&m, NULL, NULL, reply, NULL, 0);
    CHECK_RC(ss_send_reply(client, guid, reply, meddling_progress, &m), SS_OK);
    CHECK(m.acted && m.count_seen == 1);
    CHECK(ss_reply_attachment_count(reply) == 1);
    ss_reply_free(reply);
    static char body[1 << 15];
    if (CHECK(safebox_json(guid, body, sizeof body))) {
        CHECK(contains(body, "\"message_count\":2"));
        CHECK(contains(body, "\"name\":\"reply.txt\",\"size\":5000"));
        CHECK(!contains(body, "late"));
    }

    /* A reply freed from its own callback is freed when the call returns. */
    CHECK_RC(ss_reply_new(&reply), SS_OK);
    CHECK_RC(ss_reply_set_message(reply, "freed reply"), SS_OK);
    CHECK_RC(ss_reply_add_attachment_bytes(reply, g_bytes, BYTES_SIZE, "freed.txt", NULL), SS_OK);
    meddler_init(&m, NULL, NULL, reply, NULL, 1);
    CHECK_RC(ss_send_reply(client, guid, reply, meddling_progress, &m), SS_OK);
    CHECK(m.acted);
    if (CHECK(safebox_json(guid, body, sizeof body)))
        CHECK(contains(body, "\"message_count\":3") && contains(body, "\"name\":\"freed.txt\",\"size\":5000"));
}

/* A client freed from a callback of one of its calls is freed when that call returns. */
static void test_client_freed_from_its_callback(const char *token, int64_t user_id) {
    ss_client *client = client_for(token, user_id, 0);
    char subject[64];
    ss_safebox *sb = two_attachments(NULL, subject, sizeof subject);
    meddler m;
    meddler_init(&m, NULL, NULL, NULL, client, 1);
    char guid[64];
    submit_meddled(client, sb, &m, guid, sizeof guid);
    ss_safebox_free(sb);

    /* The same from a download's write callback. */
    client = client_for(token, user_id, 0);
    meddler_init(&m, NULL, NULL, NULL, client, 1);
    CHECK_RC(ss_download_audit_record_to(client, guid, meddling_write, &m, NULL, NULL), SS_OK);
    CHECK(m.acted);
}

int main(void) {
    if (!support_setup()) return 2;
    ss_user_token *token = demo_token();
    ss_client *client = client_for(ss_user_token_token(token), ss_user_token_user_id(token), 0);
    if (client != NULL) {
        test_safebox_refuses_changes_during_submit(client);
        test_safebox_refuses_changes_during_upload(client);
        test_safebox_freed_from_its_callback(client);
        test_reply_refuses_changes(client);
        test_client_freed_from_its_callback(ss_user_token_token(token), ss_user_token_user_id(token));
    }
    ss_client_free(client);
    ss_user_token_free(token);
    support_cleanup();
    return check_summary();
}
