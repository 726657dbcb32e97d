/* The C API of libsendsecure from C, against sendsecure-emulator: following existing SafeBoxes.
 * The SafeBox list in pages and through the iterator (filters, page sizes, the end of the list),
 * one SafeBox's details and their sections, its participants, messages, documents and events,
 * the free-form JSON parts (security options, download activity, user settings), participants
 * added and changed with `ss_contact_edit`, the user's favorites, the recipient search and the
 * consent message groups.
 *
 * Run by tests/c_api.rs like every tests/c/test_*.c (shared and static library, valgrind, C++17).
 *
 * Every value is checked against what this program set up (subjects, e-mails, names, phone
 * numbers, document contents and sizes, SHA-256 of known data) or what the emulator's demo
 * configuration holds; every change is read back; every pointer argument is given as NULL and
 * every string argument as invalid UTF-8; out-of-range indexes, unknown GUIDs and ids (404),
 * someone else's SafeBox or favorites (403), validation refusals (400), and injected server
 * errors and malformed answers are checked too. */
#include "support.h"

#include <time.h>

#define UNKNOWN_GUID "0123456789abcdef0123456789abcdef"
/* SHA-256 of "abc" (FIPS 180-2, appendix B.1). */
#define ABC_SHA256 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define GUEST_PHONE "+15145550000"
/* The demo configuration (emulator/demo.toml). */
#define DEMO_USER_ID 1
#define BOB_USER_ID 2
#define SEEDED_FAVORITE "john.smith@example.com"
#define CONSENT_EN "I consent to the exchange of this information."
#define CONSENT_FR "Je consens \xc3\xa0 l'\xc3\xa9" "change de ces informations."

/* A tag unique to this run, in subjects and e-mails, so that searches find only what this run
 * made even when the emulator is shared. Lower-case letters and digits. */
static char g_tag[64];

/* ---------------------------------------------------------------------------------------------
 * Helpers */

static int is_hex(const char *s, size_t len) {
    if (s == NULL || strlen(s) != len) return 0;
    for (const char *p = s; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
    }
    return 1;
}

/* Milliseconds since the epoch of an ISO 8601 UTC timestamp with milliseconds
 * ("2017-05-24T14:45:35.062Z"), or -1 when `s` is not one. */
static long long iso_ms(const char *s) {
    int y, mo, d, h, mi, sec, ms;
    char z;
    if (s == NULL || strlen(s) != 24) return -1;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &y, &mo, &d, &h, &mi, &sec, &ms, &z) != 8 || z != 'Z') return -1;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return -1;
    /* Days from the civil date (H. Hinnant's algorithm). */
    int yy = y - (mo <= 2 ? 1 : 0);
    int era = yy / 400;
    int yoe = yy - era * 400;
    int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long long days = (long long)era * 146097 + doe - 719468;
    return (((days * 24 + h) * 60 + mi) * 60 + sec) * 1000LL + ms;
}

/* Whether an ISO timestamp is within an hour of this machine's clock (the emulator's clock is the
 * wall clock; this program never moves it). */
static int recent(const char *s) {
    long long ms = iso_ms(s);
    long long now = (long long)time(NULL) * 1000LL;
    return ms >= 0 && ms > now - 3600000LL && ms < now + 3600000LL;
}

/* Logs in as `username` and makes a client with `user_id` in its options (0 for none). */
static ss_client *login(const char *username, const char *password, int64_t user_id) {
    ss_user_token *token = NULL;
    CHECK_RC(ss_get_user_token(ACCOUNT, username, password, DEVICE_ID, DEVICE_NAME, NULL, g_url, NULL, NULL, &token),
             SS_OK);
    ss_client *client = token ? client_for(ss_user_token_token(token), user_id, 0) : NULL;
    ss_user_token_free(token);
    return client;
}

/* Creates a SafeBox of the demo user: `subject`, the message "Message of {subject}", profile
 * `profile`, 3 days, one guest `guest` (Gina Guest of Guest Co) with the cell phone GUEST_PHONE
 * (none when `phone` is 0), and with `docs` the documents abc.txt ("abc") and notes.dat
 * (BYTES_SIZE bytes). Writes the GUID to `guid`; returns whether it worked. */
static int submit_box(const ss_client *client, const char *subject, const char *guest, int phone, int64_t profile,
                      int docs, char *guid, size_t guid_len) {
    guid[0] = '\0';
    ss_safebox *sb = NULL;
    if (!CHECK_RC(ss_safebox_new(USER_EMAIL, &sb), SS_OK)) return 0;
    char message[256];
    snprintf(message, sizeof message, "Message of %s", subject);
    CHECK_RC(ss_safebox_set_subject(sb, subject), SS_OK);
    CHECK_RC(ss_safebox_set_message(sb, message), SS_OK);
    CHECK_RC(ss_safebox_set_security_profile_id(sb, profile), SS_OK);
    CHECK_RC(ss_safebox_set_expiration(sb, 3, "days"), SS_OK);
    ss_recipient *r = NULL;
    CHECK_RC(ss_safebox_add_recipient(sb, guest, &r), SS_OK);
    CHECK_RC(ss_recipient_set_first_name(r, "Gina"), SS_OK);
    CHECK_RC(ss_recipient_set_last_name(r, "Guest"), SS_OK);
    CHECK_RC(ss_recipient_set_company_name(r, "Guest Co"), SS_OK);
    if (phone) CHECK_RC(ss_recipient_add_contact_method(r, GUEST_PHONE, SS_DESTINATION_CELL), SS_OK);
    if (docs) {
        CHECK_RC(ss_safebox_add_attachment_bytes(sb, (const uint8_t *)"abc", 3, "abc.txt", "text/plain"), SS_OK);
        CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, "notes.dat", NULL), SS_OK);
    }
    ss_safebox_response *response = NULL;
    int ok = CHECK_RC(ss_submit_safebox(client, sb, NULL, NULL, &response), SS_OK);
    const char *made = ss_safebox_response_guid(response);
    ok = ok && CHECK(is_hex(made, 32));
    if (ok) snprintf(guid, guid_len, "%s", made);
    ss_safebox_response_free(response);
    ss_safebox_free(sb);
    return ok;
}

static const ss_participant *participant_in_list(const ss_participant_list *list, const char *email) {
    for (size_t i = 0; i < ss_participant_list_count(list); i++) {
        const ss_participant *p = ss_participant_list_at(list, i);
        const char *e = ss_participant_email(p);
        if (e != NULL && strcmp(e, email) == 0) return p;
    }
    return NULL;
}

static const ss_participant *participant_in_info(const ss_safebox_info *info, const char *email) {
    for (size_t i = 0; i < ss_safebox_info_participant_count(info); i++) {
        const ss_participant *p = ss_safebox_info_participant_at(info, i);
        const char *e = ss_participant_email(p);
        if (e != NULL && strcmp(e, email) == 0) return p;
    }
    return NULL;
}

static const ss_contact_method *participant_method(const ss_participant *p, const char *destination) {
    for (size_t i = 0; i < ss_participant_contact_method_count(p); i++) {
        const ss_contact_method *m = ss_participant_contact_method_at(p, i);
        const char *d = ss_contact_method_destination(m);
        if (d != NULL && strcmp(d, destination) == 0) return m;
    }
    return NULL;
}

static const ss_favorite *favorite_in_list(const ss_favorite_list *list, const char *email) {
    for (size_t i = 0; i < ss_favorite_list_count(list); i++) {
        const ss_favorite *f = ss_favorite_list_at(list, i);
        const char *e = ss_favorite_email(f);
        if (e != NULL && strcmp(e, email) == 0) return f;
    }
    return NULL;
}

static const ss_contact_method *favorite_method(const ss_favorite *f, const char *destination) {
    for (size_t i = 0; i < ss_favorite_contact_method_count(f); i++) {
        const ss_contact_method *m = ss_favorite_contact_method_at(f, i);
        const char *d = ss_contact_method_destination(m);
        if (d != NULL && strcmp(d, destination) == 0) return m;
    }
    return NULL;
}

static const ss_recipient_match *match_in_list(const ss_recipient_match_list *list, const char *email) {
    for (size_t i = 0; i < ss_recipient_match_list_count(list); i++) {
        const ss_recipient_match *m = ss_recipient_match_list_at(list, i);
        const char *e = ss_recipient_match_email(m);
        if (e != NULL && strcmp(e, email) == 0) return m;
    }
    return NULL;
}

/* How many requests the emulator has served (its control API's own are not counted), or -1. */
static long long requests_served(void) {
    char body[512];
    if (control("GET", "stats", NULL, body, sizeof body) != 200) return -1;
    const char *at = strstr(body, "\"requests\":");
    return at ? strtoll(at + strlen("\"requests\":"), NULL, 10) : -1;
}

/* The integer after `"key":` in a JSON text, or -1. */
static long long json_int(const char *json, const char *key) {
    char needle[128];
    snprintf(needle, sizeof needle, "\"%s\":", key);
    const char *at = json ? strstr(json, needle) : NULL;
    if (at == NULL) return -1;
    at += strlen(needle);
    if (*at < '0' || *at > '9') return -1;
    return strtoll(at, NULL, 10);
}

/* ---------------------------------------------------------------------------------------------
 * Functions that need no server */

static void test_null_handles(void) {
    /* Frees of NULL are no-ops. */
    ss_safebox_info_free(NULL);
    ss_safebox_page_free(NULL);
    ss_safebox_iter_free(NULL);
    ss_participant_free(NULL);
    ss_participant_list_free(NULL);
    ss_message_list_free(NULL);
    ss_event_list_free(NULL);
    ss_favorite_free(NULL);
    ss_favorite_list_free(NULL);
    ss_recipient_match_list_free(NULL);
    ss_consent_group_free(NULL);
    ss_contact_edit_free(NULL);
    CHECK(1);

    /* Accessors of NULL give their documented NULL / 0 / false. */
    CHECK(ss_safebox_info_guid(NULL) == NULL);
    CHECK(ss_safebox_info_status(NULL) == NULL);
    CHECK(ss_safebox_info_subject(NULL) == NULL);
    CHECK(ss_safebox_info_expiration(NULL) == NULL);
    CHECK(ss_safebox_info_created_at(NULL) == NULL);
    CHECK(ss_safebox_info_updated_at(NULL) == NULL);
    CHECK(ss_safebox_info_latest_activity(NULL) == NULL);
    CHECK(ss_safebox_info_closed_at(NULL) == NULL);
    CHECK(ss_safebox_info_content_deleted_at(NULL) == NULL);
    CHECK(ss_safebox_info_security_profile_name(NULL) == NULL);
    CHECK(ss_safebox_info_unread_count(NULL) == 0);
    CHECK(ss_safebox_info_user_id(NULL) == 0);
    CHECK(ss_safebox_info_participant_count(NULL) == 0);
    CHECK(ss_safebox_info_participant_at(NULL, 0) == NULL);
    CHECK(ss_safebox_info_message_count(NULL) == 0);
    CHECK(ss_safebox_info_message_at(NULL, 0) == NULL);
    CHECK(ss_safebox_info_event_count(NULL) == 0);
    CHECK(ss_safebox_info_event_at(NULL, 0) == NULL);
    CHECK(ss_safebox_info_security_options_json(NULL) == NULL);
    CHECK(ss_safebox_info_download_activity_json(NULL) == NULL);
    CHECK(ss_safebox_info_to_json(NULL) == NULL);
    CHECK(ss_safebox_page_count(NULL) == 0);
    CHECK(ss_safebox_page_total(NULL) == 0);
    CHECK(!ss_safebox_page_has_next(NULL));
    CHECK(ss_safebox_page_at(NULL, 0) == NULL);

    CHECK(ss_participant_list_count(NULL) == 0);
    CHECK(ss_participant_list_at(NULL, 0) == NULL);
    CHECK(ss_participant_id(NULL) == NULL);
    CHECK(ss_participant_email(NULL) == NULL);
    CHECK(ss_participant_first_name(NULL) == NULL);
    CHECK(ss_participant_last_name(NULL) == NULL);
    CHECK(ss_participant_type(NULL) == NULL);
    CHECK(ss_participant_role(NULL) == NULL);
    CHECK(ss_participant_company_name(NULL) == NULL);
    CHECK(!ss_participant_locked(NULL));
    CHECK(!ss_participant_privileged(NULL));
    CHECK(ss_participant_message_read_count(NULL) == 0);
    CHECK(ss_participant_message_total_count(NULL) == 0);
    CHECK(ss_participant_contact_method_count(NULL) == 0);
    CHECK(ss_participant_contact_method_at(NULL, 0) == NULL);
    CHECK(ss_participant_to_json(NULL) == NULL);
    CHECK(ss_contact_method_id(NULL) == 0);
    CHECK(ss_contact_method_destination(NULL) == NULL);
    CHECK(ss_contact_method_type(NULL) == NULL);

    CHECK(ss_message_list_count(NULL) == 0);
    CHECK(ss_message_list_at(NULL, 0) == NULL);
    CHECK(ss_message_id(NULL) == 0);
    CHECK(ss_message_note(NULL) == NULL);
    CHECK(!ss_message_read(NULL));
    CHECK(ss_message_author_id(NULL) == NULL);
    CHECK(ss_message_author_type(NULL) == NULL);
    CHECK(ss_message_created_at(NULL) == NULL);
    CHECK(ss_message_document_count(NULL) == 0);
    CHECK(ss_message_document_at(NULL, 0) == NULL);
    CHECK(ss_message_to_json(NULL) == NULL);
    CHECK(ss_document_id(NULL) == NULL);
    CHECK(ss_document_name(NULL) == NULL);
    CHECK(ss_document_sha(NULL) == NULL);
    CHECK(ss_document_size(NULL) == 0);
    CHECK(ss_document_url(NULL) == NULL);

    CHECK(ss_event_list_count(NULL) == 0);
    CHECK(ss_event_list_at(NULL, 0) == NULL);
    CHECK(ss_event_type(NULL) == NULL);
    CHECK(ss_event_date(NULL) == NULL);
    CHECK(ss_event_message(NULL) == NULL);
    CHECK(ss_event_metadata_json(NULL) == NULL);

    CHECK(ss_favorite_list_count(NULL) == 0);
    CHECK(ss_favorite_list_at(NULL, 0) == NULL);
    CHECK(ss_favorite_id(NULL) == 0);
    CHECK(ss_favorite_email(NULL) == NULL);
    CHECK(ss_favorite_first_name(NULL) == NULL);
    CHECK(ss_favorite_last_name(NULL) == NULL);
    CHECK(ss_favorite_company_name(NULL) == NULL);
    CHECK(ss_favorite_order_number(NULL) == 0);
    CHECK(!ss_favorite_always_promote(NULL));
    CHECK(ss_favorite_contact_method_count(NULL) == 0);
    CHECK(ss_favorite_contact_method_at(NULL, 0) == NULL);
    CHECK(ss_favorite_to_json(NULL) == NULL);

    CHECK(ss_recipient_match_list_count(NULL) == 0);
    CHECK(ss_recipient_match_list_at(NULL, 0) == NULL);
    CHECK(ss_recipient_match_id(NULL) == 0);
    CHECK(ss_recipient_match_type(NULL) == NULL);
    CHECK(ss_recipient_match_email(NULL) == NULL);
    CHECK(ss_recipient_match_first_name(NULL) == NULL);
    CHECK(ss_recipient_match_last_name(NULL) == NULL);
    CHECK(ss_recipient_match_company_name(NULL) == NULL);

    CHECK(ss_consent_group_id(NULL) == 0);
    CHECK(ss_consent_group_name(NULL) == NULL);
    CHECK(ss_consent_group_message_count(NULL) == 0);
    CHECK(ss_consent_group_message_locale_at(NULL, 0) == NULL);
    CHECK(ss_consent_group_message_text_at(NULL, 0) == NULL);
}

/* The contact edit builder's own checks (nothing is sent). */
static void test_contact_edit(void) {
    CHECK_ERR(ss_contact_edit_new(NULL), SS_ERR_NULL_ARGUMENT, "`out_edit`");
    ss_contact_edit *edit = NULL;
    CHECK_RC(ss_contact_edit_new(&edit), SS_OK);
    CHECK(edit != NULL);

    CHECK_RC(ss_contact_edit_set_email(edit, "someone@example.com"), SS_OK);
    CHECK_RC(ss_contact_edit_set_first_name(edit, "Ren\xc3\xa9"), SS_OK);
    CHECK_RC(ss_contact_edit_set_last_name(edit, "Last"), SS_OK);
    CHECK_RC(ss_contact_edit_set_company_name(edit, "Company"), SS_OK);
    CHECK_RC(ss_contact_edit_set_locked(edit, true), SS_OK);
    CHECK_RC(ss_contact_edit_set_locked(edit, false), SS_OK);
    CHECK_RC(ss_contact_edit_set_order_number(edit, 3), SS_OK);
    CHECK_RC(ss_contact_edit_set_order_number(edit, -1), SS_OK);
    CHECK_RC(ss_contact_edit_set_privileged(edit, true), SS_OK);
    CHECK_RC(ss_contact_edit_set_privileged(edit, false), SS_OK);
    CHECK_RC(ss_contact_edit_set_always_promote(edit, true), SS_OK);
    CHECK_RC(ss_contact_edit_set_always_promote(edit, false), SS_OK);
    /* NULL unsets a text. */
    CHECK_RC(ss_contact_edit_set_email(edit, NULL), SS_OK);
    CHECK_RC(ss_contact_edit_set_first_name(edit, NULL), SS_OK);
    CHECK_RC(ss_contact_edit_set_last_name(edit, NULL), SS_OK);
    CHECK_RC(ss_contact_edit_set_company_name(edit, NULL), SS_OK);

    CHECK_ERR(ss_contact_edit_set_email(NULL, "a@b.c"), SS_ERR_NULL_ARGUMENT, "`edit`");
    CHECK_ERR(ss_contact_edit_set_first_name(NULL, "x"), SS_ERR_NULL_ARGUMENT, "`edit`");
    CHECK_ERR(ss_contact_edit_set_last_name(NULL, "x"), SS_ERR_NULL_ARGUMENT, "`edit`");
    CHECK_ERR(ss_contact_edit_set_company_name(NULL, "x"), SS_ERR_NULL_ARGUMENT, "`edit`");
    CHECK_ERR(ss_contact_edit_set_locked(NULL, true), SS_ERR_NULL_ARGUMENT, "`edit`");
    CHECK_ERR(ss_contact_edit_set_order_number(NULL, 1), SS_ERR_NULL_ARGUMENT, "`edit`");
    CHECK_ERR(ss_contact_edit_set_privileged(NULL, true), SS_ERR_NULL_ARGUMENT, "`edit`");
    CHECK_ERR(ss_contact_edit_set_always_promote(NULL, true), SS_ERR_NULL_ARGUMENT, "`edit`");
    CHECK_ERR(ss_contact_edit_set_email(edit, BAD_UTF8), SS_ERR_INVALID_UTF8, "`value`");
    CHECK_ERR(ss_contact_edit_set_first_name(edit, BAD_UTF8), SS_ERR_INVALID_UTF8, "`value`");
    CHECK_ERR(ss_contact_edit_set_last_name(edit, BAD_UTF8), SS_ERR_INVALID_UTF8, "`value`");
    CHECK_ERR(ss_contact_edit_set_company_name(edit, BAD_UTF8), SS_ERR_INVALID_UTF8, "`value`");

    /* Phone numbers: every kind; refusals. */
    CHECK_RC(ss_contact_edit_add_contact_method(edit, "514-555-0001", SS_DESTINATION_HOME), SS_OK);
    CHECK_RC(ss_contact_edit_add_contact_method(edit, "514-555-0002", SS_DESTINATION_CELL), SS_OK);
    CHECK_RC(ss_contact_edit_add_contact_method(edit, "514-555-0003", SS_DESTINATION_OFFICE), SS_OK);
    CHECK_RC(ss_contact_edit_add_contact_method(edit, "514-555-0004", SS_DESTINATION_OTHER), SS_OK);
    CHECK_ERR(ss_contact_edit_add_contact_method(NULL, "514-555-0001", SS_DESTINATION_HOME), SS_ERR_NULL_ARGUMENT,
              "`edit`");
    CHECK_ERR(ss_contact_edit_add_contact_method(edit, NULL, SS_DESTINATION_HOME), SS_ERR_NULL_ARGUMENT,
              "`destination`");
    CHECK_ERR(ss_contact_edit_add_contact_method(edit, BAD_UTF8, SS_DESTINATION_HOME), SS_ERR_INVALID_UTF8,
              "`destination`");
    CHECK_ERR(ss_contact_edit_add_contact_method(edit, "", SS_DESTINATION_HOME), SS_ERR_INVALID_ARGUMENT, "empty");
    CHECK_ERR(ss_contact_edit_add_contact_method(edit, "   ", SS_DESTINATION_CELL), SS_ERR_INVALID_ARGUMENT, "empty");
    CHECK_ERR(ss_contact_edit_add_contact_method(edit, "514-555-0005", 4), SS_ERR_INVALID_ARGUMENT, "4");
    CHECK_ERR(ss_contact_edit_add_contact_method(edit, "514-555-0005", 0xFFFFFFFFu), SS_ERR_INVALID_ARGUMENT,
              "4294967295");

    CHECK_RC(ss_contact_edit_remove_contact_method(edit, 1), SS_OK);
    CHECK_RC(ss_contact_edit_remove_contact_method(edit, INT64_MAX), SS_OK);
    CHECK_ERR(ss_contact_edit_remove_contact_method(NULL, 1), SS_ERR_NULL_ARGUMENT, "`edit`");
    CHECK_ERR(ss_contact_edit_remove_contact_method(edit, 0), SS_ERR_INVALID_ARGUMENT, "positive");
    CHECK_ERR(ss_contact_edit_remove_contact_method(edit, -7), SS_ERR_INVALID_ARGUMENT, "-7");
    CHECK_ERR(ss_contact_edit_remove_contact_method(edit, INT64_MIN), SS_ERR_INVALID_ARGUMENT, "positive");
    ss_contact_edit_free(edit);
}

/* ---------------------------------------------------------------------------------------------
 * One SafeBox's details */

/* ss_get_safebox_info without sections (every section). */
static ss_result info_all(const ss_client *client, const char *guid, ss_safebox_info **out_info) {
    return ss_get_safebox_info(client, guid, NULL, out_info);
}

/* The refusals every read of one SafeBox shares: 404, 403, an empty GUID, NULL and invalid UTF-8
 * arguments, an injected 500, a malformed answer and an answer without its part. `fn(client,
 * guid, &out)`; `type` its out type; `path` the request path the faults match; `shape` a JSON
 * answer without the expected part and `shape_needle` what the message then names. */
#define CHECK_READ_REFUSALS(fn, type, free_fn, out_name, path, shape, shape_needle)                          \
    do {                                                                                                     \
        type *none_ = NULL;                                                                                  \
        CHECK_ERR(fn(client, UNKNOWN_GUID, &none_), SS_ERR_HTTP_STATUS, "404");                              \
        CHECK(ss_last_error_http_status() == 404);                                                           \
        CHECK_ERR(fn(bob, guid, &none_), SS_ERR_HTTP_STATUS, "Access denied");                               \
        CHECK(ss_last_error_http_status() == 403);                                                           \
        CHECK_ERR(fn(client, "", &none_), SS_ERR_INVALID_ARGUMENT, "SafeBox GUID cannot be null");           \
        CHECK_ERR(fn(client, "  ", &none_), SS_ERR_INVALID_ARGUMENT, "SafeBox GUID cannot be null");         \
        CHECK_ERR(fn(NULL, guid, &none_), SS_ERR_NULL_ARGUMENT, "`client`");                                 \
        CHECK_ERR(fn(client, NULL, &none_), SS_ERR_NULL_ARGUMENT, "`guid`");                                 \
        CHECK_ERR(fn(client, BAD_UTF8, &none_), SS_ERR_INVALID_UTF8, "`guid`");                              \
        CHECK_ERR(fn(client, guid, NULL), SS_ERR_NULL_ARGUMENT, out_name);                                   \
        CHECK(inject("GET", path, 500, NULL, NULL));                                                         \
        CHECK_ERR(fn(client, guid, &none_), SS_ERR_HTTP_STATUS, "500");                                      \
        CHECK(ss_last_error_http_status() == 500);                                                           \
        CHECK(inject("GET", path, 200, NULL, "{not json"));                                                  \
        CHECK_ERR(fn(client, guid, &none_), SS_ERR_DECODE, "JSON");                                          \
        CHECK(ss_last_error_http_status() == 0);                                                             \
        CHECK(inject("GET", path, 200, shape, NULL));                                                        \
        CHECK_ERR(fn(client, guid, &none_), SS_ERR_DECODE, shape_needle);                                    \
        CHECK(none_ == NULL);                                                                                \
        free_fn(none_);                                                                                      \
    } while (0)

/* Details of the main SafeBox: `subject`, guest `guest` with GUEST_PHONE, abc.txt and notes.dat. */
static void test_safebox_info(const ss_client *client, const ss_client *bob, const char *guid, const char *subject,
                              const char *guest) {
    ss_safebox_info *info = NULL;
    CHECK_RC(ss_get_safebox_info(client, guid, NULL, &info), SS_OK);
    CHECK(info != NULL);
    CHECK_STR(ss_safebox_info_guid(info), guid);
    CHECK_STR(ss_safebox_info_status(info), "in_progress");
    CHECK_STR(ss_safebox_info_subject(info), subject);
    CHECK_STR(ss_safebox_info_security_profile_name(info), "Default");
    CHECK(ss_safebox_info_user_id(info) == DEMO_USER_ID);
    CHECK(ss_safebox_info_unread_count(info) == 0);
    CHECK(ss_safebox_info_closed_at(info) == NULL);
    CHECK(ss_safebox_info_content_deleted_at(info) == NULL);
    const char *created = ss_safebox_info_created_at(info);
    CHECK(recent(created));
    CHECK(recent(ss_safebox_info_updated_at(info)));
    CHECK(recent(ss_safebox_info_latest_activity(info)));
    CHECK(iso_ms(ss_safebox_info_updated_at(info)) >= iso_ms(created));
    /* Made with an expiration of 3 days. */
    CHECK(iso_ms(ss_safebox_info_expiration(info)) - iso_ms(created) == 3LL * 86400 * 1000);
    const char *json = ss_safebox_info_to_json(info);
    CHECK(contains(json, guid));
    CHECK(contains(json, "\"user_email\":\"" USER_EMAIL "\""));
    CHECK(contains(json, "\"status\":\"in_progress\""));

    /* Participants: the guest and the owner, with the E29 read counters. */
    CHECK(ss_safebox_info_participant_count(info) == 2);
    CHECK(ss_safebox_info_participant_at(info, 2) == NULL);
    CHECK(ss_safebox_info_participant_at(info, SIZE_MAX) == NULL);
    const ss_participant *g = participant_in_info(info, guest);
    const ss_participant *owner = participant_in_info(info, USER_EMAIL);
    CHECK(g != NULL && owner != NULL);
    CHECK(is_hex(ss_participant_id(g), 32));
    CHECK_STR(ss_participant_first_name(g), "Gina");
    CHECK_STR(ss_participant_last_name(g), "Guest");
    CHECK_STR(ss_participant_company_name(g), "Guest Co");
    CHECK_STR(ss_participant_type(g), "guest");
    CHECK_STR(ss_participant_role(g), "guest");
    CHECK(!ss_participant_locked(g));
    CHECK(!ss_participant_privileged(g));
    CHECK(ss_participant_message_read_count(g) == 0);
    CHECK(ss_participant_message_total_count(g) == 1);
    CHECK(ss_participant_contact_method_count(g) == 1);
    const ss_contact_method *phone = ss_participant_contact_method_at(g, 0);
    CHECK_STR(ss_contact_method_destination(phone), GUEST_PHONE);
    CHECK_STR(ss_contact_method_type(phone), "cell_phone");
    CHECK(ss_contact_method_id(phone) > 0);
    CHECK(ss_participant_contact_method_at(g, 1) == NULL);
    CHECK(ss_participant_contact_method_at(g, SIZE_MAX) == NULL);
    CHECK(contains(ss_participant_to_json(g), guest));
    CHECK(contains(ss_participant_to_json(g), "\"company_name\":\"Guest Co\""));
    CHECK_STR(ss_participant_id(owner), "1");
    CHECK_STR(ss_participant_first_name(owner), "Demo");
    CHECK_STR(ss_participant_last_name(owner), "User");
    CHECK_STR(ss_participant_company_name(owner), "");
    CHECK_STR(ss_participant_type(owner), "user");
    CHECK_STR(ss_participant_role(owner), "owner");
    CHECK(!ss_participant_locked(owner));
    CHECK(ss_participant_message_read_count(owner) == 1); /* the owner's own message */
    CHECK(ss_participant_message_total_count(owner) == 1);
    CHECK(ss_participant_contact_method_count(owner) == 0);
    CHECK(ss_participant_contact_method_at(owner, 0) == NULL);
    CHECK(contains(ss_participant_to_json(owner), "\"role\":\"owner\""));

    /* The message and its documents. */
    CHECK(ss_safebox_info_message_count(info) == 1);
    CHECK(ss_safebox_info_message_at(info, 1) == NULL);
    CHECK(ss_safebox_info_message_at(info, SIZE_MAX) == NULL);
    const ss_message *m = ss_safebox_info_message_at(info, 0);
    char note[256];
    snprintf(note, sizeof note, "Message of %s", subject);
    CHECK_STR(ss_message_note(m), note);
    CHECK(ss_message_id(m) > 0);
    CHECK(ss_message_read(m));
    CHECK_STR(ss_message_author_id(m), "1");
    CHECK_STR(ss_message_author_type(m), "user");
    CHECK(recent(ss_message_created_at(m)));
    CHECK(contains(ss_message_to_json(m), note));
    CHECK(json_int(ss_message_to_json(m), "id") == ss_message_id(m));
    CHECK(ss_message_document_count(m) == 2);
    CHECK(ss_message_document_at(m, 2) == NULL);
    CHECK(ss_message_document_at(m, SIZE_MAX) == NULL);
    int abc = 0, notes = 0;
    for (size_t i = 0; i < ss_message_document_count(m); i++) {
        const ss_document *d = ss_message_document_at(m, i);
        const char *name = ss_document_name(d);
        const char *id = ss_document_id(d);
        CHECK(is_hex(id, 32));
        CHECK(contains(ss_document_url(d), guid));
        CHECK(contains(ss_document_url(d), id));
        CHECK(ss_document_url(d) != NULL && strncmp(ss_document_url(d), g_url, strlen(g_url)) == 0);
        if (name != NULL && strcmp(name, "abc.txt") == 0) {
            abc++;
            CHECK(ss_document_size(d) == 3);
            CHECK_STR(ss_document_sha(d), ABC_SHA256);
            CHECK(contains(ss_safebox_info_download_activity_json(info), id));
        } else if (name != NULL && strcmp(name, "notes.dat") == 0) {
            notes++;
            CHECK(ss_document_size(d) == BYTES_SIZE);
            CHECK(is_hex(ss_document_sha(d), 64));
            CHECK(strcmp(ss_document_sha(d), ABC_SHA256) != 0);
        }
    }
    CHECK(abc == 1 && notes == 1);
    CHECK(stored_size(guid, 3) && stored_size(guid, BYTES_SIZE));

    /* The creation event. */
    CHECK(ss_safebox_info_event_count(info) == 1);
    CHECK(ss_safebox_info_event_at(info, 1) == NULL);
    CHECK(ss_safebox_info_event_at(info, SIZE_MAX) == NULL);
    const ss_event *e = ss_safebox_info_event_at(info, 0);
    CHECK_STR(ss_event_type(e), "safebox_created_owner");
    CHECK(recent(ss_event_date(e)));
    CHECK(contains(ss_event_message(e), USER_EMAIL));
    CHECK(contains(ss_event_message(e), guest));
    CHECK(contains(ss_event_message(e), "2 attachment"));
    CHECK(contains(ss_event_metadata_json(e), guest));
    CHECK(json_int(ss_event_metadata_json(e), "attachment_count") == 2);

    /* The JSON sections. */
    const char *options = ss_safebox_info_security_options_json(info);
    CHECK(contains(options, "\"allow_manual_close\":true"));
    CHECK(contains(options, "\"expiration_unit\":\"days\""));
    CHECK(json_int(options, "expiration_value") == 3);
    const char *activity = ss_safebox_info_download_activity_json(info);
    CHECK(contains(activity, "\"guests\""));
    CHECK(contains(activity, "\"owner\""));
    CHECK(contains(activity, ss_participant_id(g)));
    CHECK(contains(activity, "\"downloaded_bytes\":0"));
    CHECK(!contains(activity, "\"downloaded_bytes\":3"));
    ss_safebox_info_free(info);

    /* Some sections only (names trimmed, repeats ignored); the others read as empty. */
    info = NULL;
    CHECK_RC(ss_get_safebox_info(client, guid, " messages , event_history,messages", &info), SS_OK);
    CHECK_STR(ss_safebox_info_guid(info), guid);
    CHECK_STR(ss_safebox_info_subject(info), subject);
    CHECK(ss_safebox_info_message_count(info) == 1);
    CHECK(ss_message_document_count(ss_safebox_info_message_at(info, 0)) == 2);
    CHECK(ss_safebox_info_event_count(info) == 1);
    CHECK(ss_safebox_info_participant_count(info) == 0);
    CHECK(ss_safebox_info_participant_at(info, 0) == NULL);
    CHECK(ss_safebox_info_security_options_json(info) == NULL);
    CHECK(ss_safebox_info_download_activity_json(info) == NULL);
    ss_safebox_info_free(info);
    info = NULL;
    CHECK_RC(ss_get_safebox_info(client, guid, "participants,security_options,download_activity", &info), SS_OK);
    CHECK(ss_safebox_info_participant_count(info) == 2);
    CHECK(ss_safebox_info_message_count(info) == 0);
    CHECK(ss_safebox_info_message_at(info, 0) == NULL);
    CHECK(ss_safebox_info_event_count(info) == 0);
    CHECK(ss_safebox_info_event_at(info, 0) == NULL);
    CHECK(contains(ss_safebox_info_security_options_json(info), "\"allow_manual_close\":true"));
    CHECK(contains(ss_safebox_info_download_activity_json(info), "\"guests\""));
    ss_safebox_info_free(info);

    /* Section names refused before anything is sent. */
    info = NULL;
    const char *bad_sections[] = {"messages,bogus", "", "messages,", "MESSAGES", " , "};
    for (size_t i = 0; i < sizeof bad_sections / sizeof bad_sections[0]; i++)
        CHECK_ERR(ss_get_safebox_info(client, guid, bad_sections[i], &info), SS_ERR_INVALID_ARGUMENT,
                  "unknown section");
    CHECK_ERR(ss_get_safebox_info(client, guid, BAD_UTF8, &info), SS_ERR_INVALID_UTF8, "`sections`");
    CHECK(info == NULL);

    char path[128];
    snprintf(path, sizeof path, "/api/v2/safeboxes/%s", guid);
    CHECK_READ_REFUSALS(info_all, ss_safebox_info, ss_safebox_info_free, "`out_info`", path, "{\"nope\":1}",
                        "safebox");
    /* Answers of the wrong shape are decode errors, not a SafeBox with an empty GUID. */
    CHECK(inject("GET", path, 200, "{\"safebox\":42}", NULL));
    CHECK_ERR(ss_get_safebox_info(client, guid, NULL, &info), SS_ERR_DECODE, "`safebox`");
    CHECK(inject("GET", path, 200, "{\"safebox\":{\"status\":\"closed\",\"subject\":\"x\"}}", NULL));
    CHECK_ERR(ss_get_safebox_info(client, guid, NULL, &info), SS_ERR_DECODE, "has no `guid`");
    CHECK(inject("GET", path, 200, "{\"safebox\":{\"guid\":\"" UNKNOWN_GUID "\",\"participants\":[1,\"x\"]}}", NULL));
    CHECK_ERR(ss_get_safebox_info(client, guid, "participants", &info), SS_ERR_DECODE,
              "participant 1 of the `safebox` of the SafeBox answer is not an object");
    CHECK(info == NULL);
    CHECK_ERR(ss_get_safebox_info(client, UNKNOWN_GUID, "messages", &info), SS_ERR_HTTP_STATUS, "404");
    CHECK(info == NULL);
}

/* The separate reads of one SafeBox: participants, messages, events, options, download activity. */
static void test_safebox_parts(const ss_client *client, const ss_client *bob, const char *guid, const char *subject,
                               const char *guest) {
    ss_participant_list *participants = NULL;
    CHECK_RC(ss_get_safebox_participants(client, guid, &participants), SS_OK);
    CHECK(ss_participant_list_count(participants) == 2);
    CHECK(ss_participant_list_at(participants, 2) == NULL);
    CHECK(ss_participant_list_at(participants, SIZE_MAX) == NULL);
    const ss_participant *g = participant_in_list(participants, guest);
    const ss_participant *owner = participant_in_list(participants, USER_EMAIL);
    CHECK(g != NULL && owner != NULL);
    CHECK_STR(ss_participant_first_name(g), "Gina");
    CHECK_STR(ss_participant_last_name(g), "Guest");
    CHECK_STR(ss_participant_company_name(g), "Guest Co");
    CHECK_STR(ss_participant_type(g), "guest");
    CHECK(ss_participant_contact_method_count(g) == 1);
    CHECK_STR(ss_contact_method_type(participant_method(g, GUEST_PHONE)), "cell_phone");
    CHECK_STR(ss_participant_id(owner), "1");
    CHECK_STR(ss_participant_role(owner), "owner");
    /* The same participants as in the details. */
    ss_safebox_info *info = NULL;
    CHECK_RC(ss_get_safebox_info(client, guid, "participants", &info), SS_OK);
    const ss_participant *same = participant_in_info(info, guest);
    CHECK_STR(ss_participant_id(same), ss_participant_id(g));
    CHECK(ss_contact_method_id(participant_method(same, GUEST_PHONE)) ==
          ss_contact_method_id(participant_method(g, GUEST_PHONE)));
    ss_safebox_info_free(info);
    ss_participant_list_free(participants);

    ss_message_list *messages = NULL;
    CHECK_RC(ss_get_safebox_messages(client, guid, &messages), SS_OK);
    CHECK(ss_message_list_count(messages) == 1);
    CHECK(ss_message_list_at(messages, 1) == NULL);
    CHECK(ss_message_list_at(messages, SIZE_MAX) == NULL);
    const ss_message *m = ss_message_list_at(messages, 0);
    char note[256];
    snprintf(note, sizeof note, "Message of %s", subject);
    CHECK_STR(ss_message_note(m), note);
    CHECK_STR(ss_message_author_type(m), "user");
    CHECK(ss_message_document_count(m) == 2);
    uint64_t total = 0;
    for (size_t i = 0; i < ss_message_document_count(m); i++) total += ss_document_size(ss_message_document_at(m, i));
    CHECK(total == 3 + BYTES_SIZE);
    ss_message_list_free(messages);

    ss_event_list *events = NULL;
    CHECK_RC(ss_get_safebox_event_history(client, guid, &events), SS_OK);
    CHECK(ss_event_list_count(events) == 1);
    CHECK(ss_event_list_at(events, 1) == NULL);
    CHECK(ss_event_list_at(events, SIZE_MAX) == NULL);
    CHECK_STR(ss_event_type(ss_event_list_at(events, 0)), "safebox_created_owner");
    CHECK(contains(ss_event_message(ss_event_list_at(events, 0)), guest));
    ss_event_list_free(events);

    char *json = NULL;
    CHECK_RC(ss_get_safebox_security_options(client, guid, &json), SS_OK);
    CHECK(contains(json, "\"allow_manual_close\":true"));
    CHECK(json_int(json, "expiration_value") == 3);
    CHECK(!contains(json, "\"security_options\"")); /* unwrapped */
    ss_string_free(json);
    json = NULL;
    CHECK_RC(ss_get_safebox_download_activity(client, guid, &json), SS_OK);
    CHECK(contains(json, "\"guests\""));
    CHECK(contains(json, "\"owner\""));
    CHECK(contains(json, "\"downloaded_bytes\":0"));
    CHECK(!contains(json, "\"download_activity\"")); /* unwrapped */
    ss_string_free(json);

    char base[128], path[160];
    snprintf(base, sizeof base, "/api/v2/safeboxes/%s", guid);
    snprintf(path, sizeof path, "%s/participants", base);
    CHECK_READ_REFUSALS(ss_get_safebox_participants, ss_participant_list, ss_participant_list_free, "`out_list`", path,
                        "{\"participants\":3}", "participants");
    /* Items of the wrong shape are decode errors, not empty participants. */
    ss_participant_list *no_list = NULL;
    CHECK(inject("GET", path, 200, "{\"participants\":[1,\"x\"]}", NULL));
    CHECK_ERR(ss_get_safebox_participants(client, guid, &no_list), SS_ERR_DECODE,
              "participant 1 of the participant list answer is not an object");
    CHECK(inject("GET", path, 200, "{\"participants\":[{\"email\":\"a@example.com\"}]}", NULL));
    CHECK_ERR(ss_get_safebox_participants(client, guid, &no_list), SS_ERR_DECODE, "has no `id`");
    CHECK(no_list == NULL);
    snprintf(path, sizeof path, "%s/messages", base);
    CHECK_READ_REFUSALS(ss_get_safebox_messages, ss_message_list, ss_message_list_free, "`out_list`", path,
                        "{\"messages\":{}}", "messages");
    snprintf(path, sizeof path, "%s/event_history", base);
    CHECK_READ_REFUSALS(ss_get_safebox_event_history, ss_event_list, ss_event_list_free, "`out_list`", path,
                        "{\"event_history\":\"x\"}", "event_history");
    snprintf(path, sizeof path, "%s/security_options", base);
    CHECK_READ_REFUSALS(ss_get_safebox_security_options, char, ss_string_free, "`out_json`", path, "{\"other\":1}",
                        "security_options");
    snprintf(path, sizeof path, "%s/download_activity", base);
    CHECK_READ_REFUSALS(ss_get_safebox_download_activity, char, ss_string_free, "`out_json`", path, "[]",
                        "download_activity");
}

/* The read state of the message and of the SafeBox, changed and read back. */
static void test_read_state(const ss_client *client, const char *guid) {
    ss_message_list *messages = NULL;
    CHECK_RC(ss_get_safebox_messages(client, guid, &messages), SS_OK);
    int64_t id = ss_message_id(ss_message_list_at(messages, 0));
    CHECK(ss_message_read(ss_message_list_at(messages, 0)));
    ss_message_list_free(messages);

    CHECK_RC(ss_mark_message_unread(client, guid, id), SS_OK);
    messages = NULL;
    CHECK_RC(ss_get_safebox_messages(client, guid, &messages), SS_OK);
    CHECK(ss_message_id(ss_message_list_at(messages, 0)) == id);
    CHECK(!ss_message_read(ss_message_list_at(messages, 0)));
    CHECK(contains(ss_message_to_json(ss_message_list_at(messages, 0)), "\"read\":false"));
    ss_message_list_free(messages);
    ss_safebox_info *info = NULL;
    CHECK_RC(ss_get_safebox_info(client, guid, "participants,messages", &info), SS_OK);
    CHECK(ss_safebox_info_unread_count(info) == 1);
    CHECK(!ss_message_read(ss_safebox_info_message_at(info, 0)));
    CHECK(ss_participant_message_read_count(participant_in_info(info, USER_EMAIL)) == 0);
    CHECK(ss_participant_message_total_count(participant_in_info(info, USER_EMAIL)) == 1);
    ss_safebox_info_free(info);

    CHECK_RC(ss_mark_message_read(client, guid, id), SS_OK);
    info = NULL;
    CHECK_RC(ss_get_safebox_info(client, guid, "participants,messages", &info), SS_OK);
    CHECK(ss_safebox_info_unread_count(info) == 0);
    CHECK(ss_message_read(ss_safebox_info_message_at(info, 0)));
    CHECK(ss_participant_message_read_count(participant_in_info(info, USER_EMAIL)) == 1);
    ss_safebox_info_free(info);
}

/* ---------------------------------------------------------------------------------------------
 * Participants */

static void test_participants(const ss_client *client, const ss_client *bob, const char *guid, const char *guest) {
    char email[128], taken[128];
    snprintf(email, sizeof email, "nina.%s@example.org", g_tag);
    snprintf(taken, sizeof taken, "%s", guest);

    /* Create: every field, two phones, locked. */
    ss_contact_edit *edit = NULL;
    CHECK_RC(ss_contact_edit_new(&edit), SS_OK);
    CHECK_RC(ss_contact_edit_set_email(edit, email), SS_OK);
    CHECK_RC(ss_contact_edit_set_first_name(edit, "Nina"), SS_OK);
    CHECK_RC(ss_contact_edit_set_last_name(edit, "N\xc3\xa9w"), SS_OK);
    CHECK_RC(ss_contact_edit_set_company_name(edit, "NewCo"), SS_OK);
    CHECK_RC(ss_contact_edit_set_locked(edit, true), SS_OK);
    CHECK_RC(ss_contact_edit_set_privileged(edit, true), SS_OK);
    CHECK_RC(ss_contact_edit_set_always_promote(edit, false), SS_OK); /* participants ignore it */
    CHECK_RC(ss_contact_edit_add_contact_method(edit, "+15145551001", SS_DESTINATION_CELL), SS_OK);
    CHECK_RC(ss_contact_edit_add_contact_method(edit, "514-555-1002", SS_DESTINATION_HOME), SS_OK);
    ss_participant *p = NULL;
    CHECK_RC(ss_create_participant(client, guid, edit, &p), SS_OK);
    CHECK(p != NULL);
    CHECK_STR(ss_participant_email(p), email);
    CHECK_STR(ss_participant_first_name(p), "Nina");
    CHECK_STR(ss_participant_last_name(p), "N\xc3\xa9w");
    CHECK_STR(ss_participant_company_name(p), "NewCo");
    CHECK_STR(ss_participant_type(p), "guest");
    CHECK_STR(ss_participant_role(p), "guest");
    CHECK(ss_participant_locked(p));
    CHECK(ss_participant_privileged(p));
    CHECK(is_hex(ss_participant_id(p), 32));
    CHECK(ss_participant_contact_method_count(p) == 2);
    const ss_contact_method *cell = participant_method(p, "+15145551001");
    const ss_contact_method *home = participant_method(p, "514-555-1002");
    CHECK_STR(ss_contact_method_type(cell), "cell_phone");
    CHECK_STR(ss_contact_method_type(home), "home_phone");
    CHECK(ss_contact_method_id(cell) > 0 && ss_contact_method_id(home) > 0);
    CHECK(ss_contact_method_id(cell) != ss_contact_method_id(home));
    CHECK(ss_participant_contact_method_at(p, 2) == NULL);
    CHECK(contains(ss_participant_to_json(p), email));
    char id[64];
    snprintf(id, sizeof id, "%s", ss_participant_id(p) ? ss_participant_id(p) : "");
    int64_t cell_id = ss_contact_method_id(cell), home_id = ss_contact_method_id(home);
    ss_participant_free(p);

    /* Read back: in the list, in the details, and as an event. */
    ss_participant_list *list = NULL;
    CHECK_RC(ss_get_safebox_participants(client, guid, &list), SS_OK);
    CHECK(ss_participant_list_count(list) == 3);
    const ss_participant *listed = participant_in_list(list, email);
    CHECK_STR(ss_participant_id(listed), id);
    CHECK_STR(ss_participant_first_name(listed), "Nina");
    CHECK(ss_participant_locked(listed));
    CHECK(ss_participant_privileged(listed));
    CHECK(ss_participant_contact_method_count(listed) == 2);
    ss_participant_list_free(list);
    ss_event_list *events = NULL;
    CHECK_RC(ss_get_safebox_event_history(client, guid, &events), SS_OK);
    size_t n = ss_event_list_count(events);
    CHECK(n == 2);
    const ss_event *added = ss_event_list_at(events, n > 0 ? n - 1 : 0);
    CHECK_STR(ss_event_type(added), "participant_added");
    CHECK(contains(ss_event_message(added), email));
    CHECK(contains(ss_event_metadata_json(added), email));
    ss_event_list_free(events);

    /* The edit was not changed: creating again is refused for the e-mail (400). */
    p = NULL;
    char body[2048];
    CHECK_ERR(ss_create_participant(client, guid, edit, &p), SS_ERR_HTTP_STATUS, "has already been taken");
    CHECK(ss_last_error_http_status() == 400);
    CHECK(ss_last_error_body(body, sizeof body) > 0 && contains(body, "\"attributes\"") && contains(body, "email"));
    CHECK(p == NULL);
    ss_contact_edit_free(edit);

    /* Update: a new first name, unlocked, the home phone removed and an office phone added; the
     * unset fields stay. */
    edit = NULL;
    CHECK_RC(ss_contact_edit_new(&edit), SS_OK);
    CHECK_RC(ss_contact_edit_set_first_name(edit, "Nora"), SS_OK);
    CHECK_RC(ss_contact_edit_set_locked(edit, false), SS_OK);
    CHECK_RC(ss_contact_edit_remove_contact_method(edit, home_id), SS_OK);
    CHECK_RC(ss_contact_edit_add_contact_method(edit, "514-555-1003", SS_DESTINATION_OFFICE), SS_OK);
    CHECK_RC(ss_contact_edit_set_order_number(edit, 9), SS_OK); /* participants ignore it */
    CHECK_RC(ss_contact_edit_set_privileged(edit, false), SS_OK);
    CHECK_RC(ss_update_participant(client, guid, id, edit, &p), SS_OK);
    CHECK_STR(ss_participant_id(p), id);
    CHECK_STR(ss_participant_email(p), email);
    CHECK_STR(ss_participant_first_name(p), "Nora");
    CHECK_STR(ss_participant_last_name(p), "N\xc3\xa9w");
    CHECK_STR(ss_participant_company_name(p), "NewCo");
    CHECK(!ss_participant_locked(p));
    CHECK(!ss_participant_privileged(p));
    CHECK(ss_participant_contact_method_count(p) == 2);
    CHECK(participant_method(p, "514-555-1002") == NULL);
    CHECK(ss_contact_method_id(participant_method(p, "+15145551001")) == cell_id);
    const ss_contact_method *office = participant_method(p, "514-555-1003");
    CHECK_STR(ss_contact_method_type(office), "office_phone");
    int64_t office_id = ss_contact_method_id(office);
    CHECK(office_id > 0 && office_id != cell_id && office_id != home_id);
    ss_participant_free(p);
    p = NULL;
    ss_contact_edit_free(edit);

    /* Lock the first guest, change its last name and add another kind of phone. */
    list = NULL;
    CHECK_RC(ss_get_safebox_participants(client, guid, &list), SS_OK);
    char guest_id[64];
    snprintf(guest_id, sizeof guest_id, "%s", ss_participant_id(participant_in_list(list, taken)) ?
                                                  ss_participant_id(participant_in_list(list, taken)) : "");
    ss_participant_list_free(list);
    edit = NULL;
    CHECK_RC(ss_contact_edit_new(&edit), SS_OK);
    CHECK_RC(ss_contact_edit_set_locked(edit, true), SS_OK);
    CHECK_RC(ss_contact_edit_set_last_name(edit, "Locked"), SS_OK);
    CHECK_RC(ss_contact_edit_add_contact_method(edit, "514-555-1004", SS_DESTINATION_OTHER), SS_OK);
    CHECK_RC(ss_update_participant(client, guid, guest_id, edit, &p), SS_OK);
    CHECK(ss_participant_locked(p));
    CHECK_STR(ss_participant_last_name(p), "Locked");
    CHECK_STR(ss_participant_first_name(p), "Gina");
    CHECK_STR(ss_contact_method_type(participant_method(p, "514-555-1004")), "other_phone");
    ss_participant_free(p);
    p = NULL;
    ss_contact_edit_free(edit);

    /* Read back in the details. */
    ss_safebox_info *info = NULL;
    CHECK_RC(ss_get_safebox_info(client, guid, "participants", &info), SS_OK);
    CHECK(ss_safebox_info_participant_count(info) == 3);
    const ss_participant *nora = participant_in_info(info, email);
    CHECK_STR(ss_participant_first_name(nora), "Nora");
    CHECK(!ss_participant_locked(nora));
    CHECK(ss_participant_contact_method_count(nora) == 2);
    CHECK(participant_method(nora, "514-555-1003") != NULL);
    CHECK(participant_method(nora, "514-555-1002") == NULL);
    const ss_participant *gina = participant_in_info(info, taken);
    CHECK(ss_participant_locked(gina));
    CHECK_STR(ss_participant_last_name(gina), "Locked");
    CHECK(ss_participant_contact_method_count(gina) == 2);
    ss_safebox_info_free(info);

    /* Delete phones by id; none (NULL with count 0) changes nothing. */
    int64_t ids[1];
    ids[0] = cell_id;
    CHECK_RC(ss_delete_participant_contact_methods(client, guid, id, ids, 1, &p), SS_OK);
    CHECK(ss_participant_contact_method_count(p) == 1);
    CHECK(ss_contact_method_id(ss_participant_contact_method_at(p, 0)) == office_id);
    CHECK_STR(ss_contact_method_destination(ss_participant_contact_method_at(p, 0)), "514-555-1003");
    CHECK_STR(ss_participant_first_name(p), "Nora");
    ss_participant_free(p);
    p = NULL;
    CHECK_RC(ss_delete_participant_contact_methods(client, guid, id, NULL, 0, &p), SS_OK);
    CHECK(ss_participant_contact_method_count(p) == 1);
    CHECK_STR(ss_participant_email(p), email);
    ss_participant_free(p);
    p = NULL;
    list = NULL;
    CHECK_RC(ss_get_safebox_participants(client, guid, &list), SS_OK);
    listed = participant_in_list(list, email);
    CHECK(ss_participant_contact_method_count(listed) == 1);
    CHECK(participant_method(listed, "+15145551001") == NULL);
    ss_participant_list_free(list);
    /* A phone it no longer has: 400. */
    CHECK_ERR(ss_delete_participant_contact_methods(client, guid, id, ids, 1, &p), SS_ERR_HTTP_STATUS,
              "contact_methods");
    CHECK(ss_last_error_http_status() == 400);

    /* Refusals of create. */
    ss_contact_edit *empty = NULL;
    CHECK_RC(ss_contact_edit_new(&empty), SS_OK);
    CHECK_ERR(ss_create_participant(client, guid, empty, &p), SS_ERR_INVALID_ARGUMENT, "Participant email cannot be null");
    CHECK_RC(ss_contact_edit_set_email(empty, "   "), SS_OK);
    CHECK_ERR(ss_create_participant(client, guid, empty, &p), SS_ERR_INVALID_ARGUMENT, "Participant email cannot be null");
    CHECK_RC(ss_contact_edit_set_email(empty, "not-an-email"), SS_OK);
    CHECK_ERR(ss_create_participant(client, guid, empty, &p), SS_ERR_HTTP_STATUS, "is invalid");
    CHECK(ss_last_error_http_status() == 400);
    CHECK_RC(ss_contact_edit_set_email(empty, "x.y@example.org"), SS_OK);
    CHECK_RC(ss_contact_edit_set_email(empty, NULL), SS_OK); /* unset again */
    CHECK_ERR(ss_create_participant(client, guid, empty, &p), SS_ERR_INVALID_ARGUMENT, "Participant email cannot be null");
    CHECK_RC(ss_contact_edit_set_email(empty, "other@example.org"), SS_OK);
    CHECK_ERR(ss_create_participant(client, UNKNOWN_GUID, empty, &p), SS_ERR_HTTP_STATUS, "404");
    CHECK(ss_last_error_http_status() == 404);
    CHECK_ERR(ss_create_participant(bob, guid, empty, &p), SS_ERR_HTTP_STATUS, "Access denied");
    CHECK(ss_last_error_http_status() == 403);
    CHECK_ERR(ss_create_participant(client, "", empty, &p), SS_ERR_INVALID_ARGUMENT, "SafeBox GUID cannot be null");
    CHECK_ERR(ss_create_participant(NULL, guid, empty, &p), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_create_participant(client, NULL, empty, &p), SS_ERR_NULL_ARGUMENT, "`guid`");
    CHECK_ERR(ss_create_participant(client, guid, NULL, &p), SS_ERR_NULL_ARGUMENT, "`edit`");
    CHECK_ERR(ss_create_participant(client, guid, empty, NULL), SS_ERR_NULL_ARGUMENT, "`out_participant`");
    CHECK_ERR(ss_create_participant(client, BAD_UTF8, empty, &p), SS_ERR_INVALID_UTF8, "`guid`");
    char path[160];
    snprintf(path, sizeof path, "/api/v2/safeboxes/%s/participants", guid);
    CHECK(inject("POST", path, 500, NULL, NULL));
    CHECK_ERR(ss_create_participant(client, guid, empty, &p), SS_ERR_HTTP_STATUS, "500");
    CHECK(ss_last_error_http_status() == 500);
    CHECK(inject("POST", path, 200, NULL, "{not json"));
    CHECK_ERR(ss_create_participant(client, guid, empty, &p), SS_ERR_DECODE, NULL);
    /* Answers of the wrong shape: decode errors, not a participant with an empty id and e-mail. */
    CHECK(inject("POST", path, 200, "{}", NULL));
    CHECK_ERR(ss_create_participant(client, guid, empty, &p), SS_ERR_DECODE, "the participant answer has no `id`");
    CHECK(inject("POST", path, 200, "[true]", NULL));
    CHECK_ERR(ss_create_participant(client, guid, empty, &p), SS_ERR_DECODE,
              "the participant answer is not an object");
    CHECK(p == NULL);
    /* None of those was added. */
    list = NULL;
    CHECK_RC(ss_get_safebox_participants(client, guid, &list), SS_OK);
    CHECK(ss_participant_list_count(list) == 3);
    CHECK(participant_in_list(list, "other@example.org") == NULL);
    ss_participant_list_free(list);

    ss_contact_edit_free(empty);

    /* Refusals of update and of deleting phones (nothing reaches the participant). */
    ss_contact_edit *noop = NULL;
    CHECK_RC(ss_contact_edit_new(&noop), SS_OK);
    CHECK_RC(ss_contact_edit_set_first_name(noop, "Ignored"), SS_OK);
    CHECK_ERR(ss_update_participant(client, guid, UNKNOWN_GUID, noop, &p), SS_ERR_HTTP_STATUS, "404");
    CHECK(ss_last_error_http_status() == 404);
    CHECK_ERR(ss_update_participant(client, guid, "1", noop, &p), SS_ERR_HTTP_STATUS, "404"); /* the owner */
    CHECK_ERR(ss_update_participant(client, UNKNOWN_GUID, id, noop, &p), SS_ERR_HTTP_STATUS, "404");
    CHECK_ERR(ss_update_participant(bob, guid, id, noop, &p), SS_ERR_HTTP_STATUS, "Access denied");
    CHECK(ss_last_error_http_status() == 403);
    ss_contact_edit *bad_phone = NULL;
    CHECK_RC(ss_contact_edit_new(&bad_phone), SS_OK);
    CHECK_RC(ss_contact_edit_remove_contact_method(bad_phone, 999999999), SS_OK); /* not one of its phones */
    CHECK_ERR(ss_update_participant(client, guid, id, bad_phone, &p), SS_ERR_HTTP_STATUS, "contact_methods");
    CHECK(ss_last_error_http_status() == 400);
    ss_contact_edit_free(bad_phone);
    CHECK_ERR(ss_update_participant(client, "", id, noop, &p), SS_ERR_INVALID_ARGUMENT, "SafeBox GUID cannot be null");
    CHECK_ERR(ss_update_participant(client, guid, "", noop, &p), SS_ERR_INVALID_ARGUMENT,
              "Participant id cannot be null");
    CHECK_ERR(ss_update_participant(client, guid, " ", noop, &p), SS_ERR_INVALID_ARGUMENT,
              "Participant id cannot be null");
    CHECK_ERR(ss_update_participant(NULL, guid, id, noop, &p), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_update_participant(client, NULL, id, noop, &p), SS_ERR_NULL_ARGUMENT, "`guid`");
    CHECK_ERR(ss_update_participant(client, guid, NULL, noop, &p), SS_ERR_NULL_ARGUMENT, "`participant_id`");
    CHECK_ERR(ss_update_participant(client, guid, id, NULL, &p), SS_ERR_NULL_ARGUMENT, "`edit`");
    CHECK_ERR(ss_update_participant(client, guid, id, noop, NULL), SS_ERR_NULL_ARGUMENT, "`out_participant`");
    CHECK_ERR(ss_update_participant(client, BAD_UTF8, id, noop, &p), SS_ERR_INVALID_UTF8, "`guid`");
    CHECK_ERR(ss_update_participant(client, guid, BAD_UTF8, noop, &p), SS_ERR_INVALID_UTF8, "`participant_id`");
    snprintf(path, sizeof path, "/api/v2/safeboxes/%s/participants/%s", guid, id);
    CHECK(inject("PATCH", path, 500, NULL, NULL));
    CHECK_ERR(ss_update_participant(client, guid, id, noop, &p), SS_ERR_HTTP_STATUS, "500");
    CHECK(inject("PATCH", path, 200, NULL, "{not json"));
    CHECK_ERR(ss_update_participant(client, guid, id, noop, &p), SS_ERR_DECODE, NULL);
    CHECK(inject("PATCH", path, 200, "{}", NULL));
    CHECK_ERR(ss_update_participant(client, guid, id, noop, &p), SS_ERR_DECODE, "the participant answer has no `id`");
    CHECK(inject("PATCH", path, 200, "{\"id\":\"0123456789abcdef0123456789abcdef\"}", NULL));
    CHECK_ERR(ss_update_participant(client, guid, id, noop, &p), SS_ERR_DECODE, "has no `email`");
    CHECK(p == NULL);
    ss_contact_edit_free(noop);

    CHECK_ERR(ss_delete_participant_contact_methods(client, guid, id, NULL, 1, &p), SS_ERR_NULL_ARGUMENT, "`ids`");
    CHECK_ERR(ss_delete_participant_contact_methods(client, guid, UNKNOWN_GUID, NULL, 0, &p), SS_ERR_HTTP_STATUS,
              "404");
    CHECK_ERR(ss_delete_participant_contact_methods(client, UNKNOWN_GUID, id, NULL, 0, &p), SS_ERR_HTTP_STATUS, "404");
    CHECK_ERR(ss_delete_participant_contact_methods(bob, guid, id, NULL, 0, &p), SS_ERR_HTTP_STATUS, "Access denied");
    CHECK(ss_last_error_http_status() == 403);
    CHECK_ERR(ss_delete_participant_contact_methods(client, "", id, NULL, 0, &p), SS_ERR_INVALID_ARGUMENT,
              "SafeBox GUID cannot be null");
    CHECK_ERR(ss_delete_participant_contact_methods(client, guid, "", NULL, 0, &p), SS_ERR_INVALID_ARGUMENT,
              "Participant id cannot be null");
    CHECK_ERR(ss_delete_participant_contact_methods(NULL, guid, id, NULL, 0, &p), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_delete_participant_contact_methods(client, NULL, id, NULL, 0, &p), SS_ERR_NULL_ARGUMENT, "`guid`");
    CHECK_ERR(ss_delete_participant_contact_methods(client, guid, NULL, NULL, 0, &p), SS_ERR_NULL_ARGUMENT,
              "`participant_id`");
    CHECK_ERR(ss_delete_participant_contact_methods(client, guid, id, NULL, 0, NULL), SS_ERR_NULL_ARGUMENT,
              "`out_participant`");
    CHECK_ERR(ss_delete_participant_contact_methods(client, BAD_UTF8, id, NULL, 0, &p), SS_ERR_INVALID_UTF8, "`guid`");
    CHECK_ERR(ss_delete_participant_contact_methods(client, guid, BAD_UTF8, NULL, 0, &p), SS_ERR_INVALID_UTF8,
              "`participant_id`");
    CHECK(inject("PATCH", path, 500, NULL, NULL));
    CHECK_ERR(ss_delete_participant_contact_methods(client, guid, id, NULL, 0, &p), SS_ERR_HTTP_STATUS, "500");
    CHECK(inject("PATCH", path, 200, NULL, "{not json"));
    CHECK_ERR(ss_delete_participant_contact_methods(client, guid, id, NULL, 0, &p), SS_ERR_DECODE, NULL);
    CHECK(inject("PATCH", path, 200, "[true]", NULL));
    CHECK_ERR(ss_delete_participant_contact_methods(client, guid, id, NULL, 0, &p), SS_ERR_DECODE,
              "the participant answer is not an object");
    CHECK(p == NULL);

    /* Nothing changed through the refusals. */
    list = NULL;
    CHECK_RC(ss_get_safebox_participants(client, guid, &list), SS_OK);
    listed = participant_in_list(list, email);
    CHECK_STR(ss_participant_first_name(listed), "Nora");
    CHECK(ss_participant_contact_method_count(listed) == 1);
    CHECK_STR(ss_participant_email(participant_in_list(list, taken)), taken);
    ss_participant_list_free(list);
}

/* A SafeBox of the "locked-down" profile: guests need a phone; its consent group. */
static void test_locked_down(const ss_client *client) {
    char subject[128], guest[128], guid[64];
    snprintf(subject, sizeof subject, "Locked %s", g_tag);
    snprintf(guest, sizeof guest, "locked.%s@example.com", g_tag);
    if (!submit_box(client, subject, guest, 1, 20, 0, guid, sizeof guid)) return;

    char *options = NULL;
    CHECK_RC(ss_get_safebox_security_options(client, guid, &options), SS_OK);
    CHECK(contains(options, "\"allow_email\":false"));
    CHECK(contains(options, "\"allow_manual_close\":false"));
    long long consent_id = json_int(options, "consent_group_id");
    CHECK(consent_id == 1);
    ss_string_free(options);
    ss_safebox_info *info = NULL;
    CHECK_RC(ss_get_safebox_info(client, guid, "security_options", &info), SS_OK);
    CHECK_STR(ss_safebox_info_security_profile_name(info), "locked-down");
    CHECK(json_int(ss_safebox_info_security_options_json(info), "consent_group_id") == 1);
    ss_safebox_info_free(info);

    ss_consent_group *group = NULL;
    CHECK_RC(ss_get_consent_group_messages(client, consent_id, &group), SS_OK);
    CHECK(ss_consent_group_id(group) == 1);
    CHECK_STR(ss_consent_group_name(group), "Default");
    ss_consent_group_free(group);

    /* A guest without a phone is refused (400); with one it is added. */
    char email[128];
    snprintf(email, sizeof email, "phone.%s@example.com", g_tag);
    ss_contact_edit *edit = NULL;
    CHECK_RC(ss_contact_edit_new(&edit), SS_OK);
    CHECK_RC(ss_contact_edit_set_email(edit, email), SS_OK);
    ss_participant *p = NULL;
    CHECK_ERR(ss_create_participant(client, guid, edit, &p), SS_ERR_HTTP_STATUS, "contact_methods");
    CHECK(ss_last_error_http_status() == 400);
    CHECK(p == NULL);
    CHECK_RC(ss_contact_edit_add_contact_method(edit, "+15145552000", SS_DESTINATION_CELL), SS_OK);
    CHECK_RC(ss_create_participant(client, guid, edit, &p), SS_OK);
    CHECK(ss_participant_contact_method_count(p) == 1);
    int64_t ids[1];
    ids[0] = ss_contact_method_id(ss_participant_contact_method_at(p, 0));
    char id[64];
    snprintf(id, sizeof id, "%s", ss_participant_id(p) ? ss_participant_id(p) : "");
    ss_participant_free(p);
    p = NULL;
    ss_contact_edit_free(edit);
    /* Its only phone cannot be removed. */
    CHECK_ERR(ss_delete_participant_contact_methods(client, guid, id, ids, 1, &p), SS_ERR_HTTP_STATUS,
              "contact_methods");
    CHECK(ss_last_error_http_status() == 400);
    edit = NULL;
    CHECK_RC(ss_contact_edit_new(&edit), SS_OK);
    CHECK_RC(ss_contact_edit_remove_contact_method(edit, ids[0]), SS_OK);
    CHECK_ERR(ss_update_participant(client, guid, id, edit, &p), SS_ERR_HTTP_STATUS, "cannot be blank");
    CHECK(p == NULL);
    ss_contact_edit_free(edit);
    ss_participant_list *list = NULL;
    CHECK_RC(ss_get_safebox_participants(client, guid, &list), SS_OK);
    CHECK(ss_participant_list_count(list) == 3);
    CHECK(ss_participant_contact_method_count(participant_in_list(list, email)) == 1);
    ss_participant_list_free(list);
}

/* ---------------------------------------------------------------------------------------------
 * The SafeBox list */

enum { PAGED = 5 };

/* Index of `guid` in `guids`, or -1. */
static int index_of(char guids[][64], int n, const char *guid) {
    for (int i = 0; guid != NULL && i < n; i++)
        if (strcmp(guids[i], guid) == 0) return i;
    return -1;
}

/* Marks each SafeBox of `page` in `seen` (counts); returns how many were not ours. */
static int mark_page(const ss_safebox_page *page, char guids[][64], int *seen) {
    int strangers = 0;
    for (size_t i = 0; i < ss_safebox_page_count(page); i++) {
        int at = index_of(guids, PAGED, ss_safebox_info_guid(ss_safebox_page_at(page, i)));
        if (at < 0)
            strangers++;
        else
            seen[at]++;
    }
    return strangers;
}

static int all_once(const int *seen) {
    for (int i = 0; i < PAGED; i++)
        if (seen[i] != 1) return 0;
    return 1;
}

static void test_pages(const ss_client *client, const ss_client *bob) {
    char term[96];
    snprintf(term, sizeof term, "Paged %s", g_tag);
    char guids[PAGED][64];
    char subjects[PAGED][128];
    for (int i = 0; i < PAGED; i++) {
        char guest[128];
        snprintf(subjects[i], sizeof subjects[i], "%s #%d", term, i);
        snprintf(guest, sizeof guest, "paged%d.%s@example.com", i, g_tag);
        if (!submit_box(client, subjects[i], guest, 0, 1, 0, guids[i], sizeof guids[i])) return;
    }

    /* Pages of two: 2 + 2 + 1, every SafeBox once, the total on each page. */
    int seen[PAGED];
    memset(seen, 0, sizeof seen);
    ss_safebox_page *first = NULL, *second = NULL, *third = NULL;
    CHECK_RC(ss_get_safeboxes(client, NULL, term, 2, 0, &first), SS_OK);
    CHECK(ss_safebox_page_count(first) == 2);
    CHECK(ss_safebox_page_total(first) == PAGED);
    CHECK(ss_safebox_page_has_next(first));
    CHECK(ss_safebox_page_at(first, 2) == NULL);
    CHECK(ss_safebox_page_at(first, SIZE_MAX) == NULL);
    CHECK(mark_page(first, guids, seen) == 0);
    const ss_safebox_info *item = ss_safebox_page_at(first, 0);
    int at = index_of(guids, PAGED, ss_safebox_info_guid(item));
    CHECK(at >= 0);
    if (at >= 0) CHECK_STR(ss_safebox_info_subject(item), subjects[at]);
    CHECK_STR(ss_safebox_info_status(item), "in_progress");
    CHECK_STR(ss_safebox_info_security_profile_name(item), "Default");
    CHECK(ss_safebox_info_user_id(item) == DEMO_USER_ID);
    CHECK(ss_safebox_info_unread_count(item) == 0);
    CHECK(ss_safebox_info_closed_at(item) == NULL);
    CHECK(recent(ss_safebox_info_created_at(item)));
    CHECK(iso_ms(ss_safebox_info_expiration(item)) - iso_ms(ss_safebox_info_created_at(item)) == 3LL * 86400 * 1000);
    CHECK(contains(ss_safebox_info_to_json(item), term));
    CHECK(ss_safebox_info_message_count(item) == 0); /* a summary */
    CHECK(ss_safebox_info_security_options_json(item) == NULL);
    CHECK_RC(ss_get_next_safebox_page(client, first, &second), SS_OK);
    CHECK(ss_safebox_page_count(second) == 2);
    CHECK(ss_safebox_page_total(second) == PAGED);
    CHECK(ss_safebox_page_has_next(second));
    CHECK(mark_page(second, guids, seen) == 0);
    CHECK_RC(ss_get_next_safebox_page(client, second, &third), SS_OK);
    CHECK(ss_safebox_page_count(third) == 1);
    CHECK(ss_safebox_page_total(third) == PAGED);
    CHECK(!ss_safebox_page_has_next(third));
    CHECK(ss_safebox_page_at(third, 1) == NULL);
    CHECK(mark_page(third, guids, seen) == 0);
    CHECK(all_once(seen));
    /* After the last page: SS_OK and NULL, written over what was there. */
    static char marker;
    ss_safebox_page *after = (ss_safebox_page *)(void *)&marker;
    long long served = requests_served();
    CHECK(served > 0);
    CHECK_RC(ss_get_next_safebox_page(client, third, &after), SS_OK);
    CHECK(after == NULL);
    CHECK(requests_served() == served); /* nothing was sent */
    /* The first page is still usable after following it. */
    CHECK(ss_safebox_page_count(first) == 2);

    /* Asking for page 2 directly gives the SafeBoxes of the followed link; past the end, none. */
    ss_safebox_page *direct = NULL;
    CHECK_RC(ss_get_safeboxes(client, NULL, term, 2, 2, &direct), SS_OK);
    CHECK(ss_safebox_page_count(direct) == 2);
    for (size_t i = 0; i < ss_safebox_page_count(direct) && i < ss_safebox_page_count(second); i++)
        CHECK_STR(ss_safebox_info_guid(ss_safebox_page_at(direct, i)),
                  ss_safebox_info_guid(ss_safebox_page_at(second, i)));
    ss_safebox_page_free(direct);
    direct = NULL;
    CHECK_RC(ss_get_safeboxes(client, NULL, term, 2, 3, &direct), SS_OK);
    CHECK(ss_safebox_page_count(direct) == 1);
    CHECK(!ss_safebox_page_has_next(direct));
    ss_safebox_page_free(direct);
    direct = NULL;
    CHECK_RC(ss_get_safeboxes(client, NULL, term, 2, 9, &direct), SS_OK);
    CHECK(ss_safebox_page_count(direct) == 0);
    CHECK(ss_safebox_page_total(direct) == PAGED);
    CHECK(!ss_safebox_page_has_next(direct));
    CHECK(ss_safebox_page_at(direct, 0) == NULL);
    ss_safebox_page_free(direct);
    /* One page holds them all with the server's default, and with 1000. */
    direct = NULL;
    CHECK_RC(ss_get_safeboxes(client, NULL, term, 0, 0, &direct), SS_OK);
    CHECK(ss_safebox_page_count(direct) == PAGED);
    CHECK(!ss_safebox_page_has_next(direct));
    ss_safebox_page_free(direct);
    direct = NULL;
    CHECK_RC(ss_get_safeboxes(client, NULL, term, 1000, 1, &direct), SS_OK);
    CHECK(ss_safebox_page_count(direct) == PAGED);
    ss_safebox_page_free(direct);
    direct = NULL;
    /* The unfiltered list holds them too (and maybe more). */
    CHECK_RC(ss_get_safeboxes(client, NULL, NULL, 1000, 0, &direct), SS_OK);
    memset(seen, 0, sizeof seen);
    mark_page(direct, guids, seen);
    CHECK(all_once(seen));
    CHECK(ss_safebox_page_total(direct) >= PAGED);
    ss_safebox_page_free(direct);
    direct = NULL;
    /* One SafeBox by its subject. */
    CHECK_RC(ss_get_safeboxes(client, "in_progress", subjects[3], 0, 0, &direct), SS_OK);
    CHECK(ss_safebox_page_count(direct) == 1);
    CHECK(ss_safebox_page_total(direct) == 1);
    CHECK_STR(ss_safebox_info_guid(ss_safebox_page_at(direct, 0)), guids[3]);
    ss_safebox_page_free(direct);
    direct = NULL;
    /* Bob sees none of them. */
    CHECK_RC(ss_get_safeboxes(bob, NULL, term, 0, 0, &direct), SS_OK);
    CHECK(ss_safebox_page_count(direct) == 0);
    CHECK(ss_safebox_page_total(direct) == 0);
    ss_safebox_page_free(direct);
    direct = NULL;

    /* A page's follow-up refused or malformed: the error, nothing written; the page stays. */
    ss_safebox_page *next = NULL;
    CHECK(inject("GET", "/api/v2/safeboxes", 500, NULL, NULL));
    CHECK_ERR(ss_get_next_safebox_page(client, first, &next), SS_ERR_HTTP_STATUS, "500");
    CHECK(ss_last_error_http_status() == 500);
    CHECK(inject("GET", "/api/v2/safeboxes", 200, NULL, "{not json"));
    CHECK_ERR(ss_get_next_safebox_page(client, first, &next), SS_ERR_DECODE, NULL);
    CHECK(inject("GET", "/api/v2/safeboxes", 200, "[1,2,3]", NULL));
    CHECK_ERR(ss_get_next_safebox_page(client, first, &next), SS_ERR_DECODE, "the SafeBox list answer is not an object");
    CHECK(next == NULL);
    CHECK_ERR(ss_get_next_safebox_page(NULL, first, &next), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_get_next_safebox_page(client, NULL, &next), SS_ERR_NULL_ARGUMENT, "`page`");
    CHECK_ERR(ss_get_next_safebox_page(client, first, NULL), SS_ERR_NULL_ARGUMENT, "`out_next`");
    CHECK(next == NULL);
    CHECK_RC(ss_get_next_safebox_page(client, first, &next), SS_OK);
    CHECK_STR(ss_safebox_info_guid(ss_safebox_page_at(next, 0)), ss_safebox_info_guid(ss_safebox_page_at(second, 0)));
    ss_safebox_page_free(next);
    ss_safebox_page_free(first);
    ss_safebox_page_free(second);
    ss_safebox_page_free(third);

    /* A next-page link to another host is not followed. */
    ss_safebox_page *page = NULL;
    CHECK(inject("GET", "/api/v2/safeboxes", 200,
                 "{\"count\":3,\"previous_page_url\":null,\"next_page_url\":\"http://elsewhere.example/api/v2/"
                 "safeboxes?page=2\",\"safeboxes\":[{\"safebox\":{\"guid\":\"" UNKNOWN_GUID "\",\"subject\":\"far\","
                 "\"status\":\"closed\",\"user_id\":1}}]}",
                 NULL));
    CHECK_RC(ss_get_safeboxes(client, NULL, NULL, 0, 0, &page), SS_OK);
    CHECK(ss_safebox_page_count(page) == 1);
    CHECK(ss_safebox_page_total(page) == 3);
    CHECK(ss_safebox_page_has_next(page));
    CHECK_STR(ss_safebox_info_guid(ss_safebox_page_at(page, 0)), UNKNOWN_GUID);
    CHECK_STR(ss_safebox_info_subject(ss_safebox_page_at(page, 0)), "far");
    CHECK_STR(ss_safebox_info_status(ss_safebox_page_at(page, 0)), "closed");
    next = NULL;
    CHECK_ERR(ss_get_next_safebox_page(client, page, &next), SS_ERR_DECODE, "another host");
    CHECK(next == NULL);
    ss_safebox_page_free(page);
    page = NULL;
    /* A SafeBox without a subject. */
    CHECK(inject("GET", "/api/v2/safeboxes", 200,
                 "{\"count\":1,\"next_page_url\":null,\"safeboxes\":[{\"safebox\":{\"guid\":\"" UNKNOWN_GUID
                 "\",\"subject\":null,\"status\":\"in_progress\"}}]}",
                 NULL));
    CHECK_RC(ss_get_safeboxes(client, NULL, NULL, 0, 0, &page), SS_OK);
    CHECK(ss_safebox_page_count(page) == 1);
    CHECK(ss_safebox_info_subject(ss_safebox_page_at(page, 0)) == NULL);
    CHECK(!ss_safebox_page_has_next(page));
    ss_safebox_page_free(page);
    page = NULL;

    /* Refusals of the list. */
    CHECK_ERR(ss_get_safeboxes(client, "sleeping", NULL, 0, 0, &page), SS_ERR_HTTP_STATUS, "sleeping");
    CHECK(ss_last_error_http_status() == 400);
    CHECK_ERR(ss_get_safeboxes(client, NULL, NULL, 1001, 0, &page), SS_ERR_INVALID_ARGUMENT, "per_page");
    CHECK_ERR(ss_get_safeboxes(client, NULL, NULL, UINT32_MAX, 0, &page), SS_ERR_INVALID_ARGUMENT, "per_page");
    CHECK_ERR(ss_get_safeboxes(NULL, NULL, NULL, 0, 0, &page), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_get_safeboxes(client, NULL, NULL, 0, 0, NULL), SS_ERR_NULL_ARGUMENT, "`out_page`");
    CHECK_ERR(ss_get_safeboxes(client, BAD_UTF8, NULL, 0, 0, &page), SS_ERR_INVALID_UTF8, "`status`");
    CHECK_ERR(ss_get_safeboxes(client, NULL, BAD_UTF8, 0, 0, &page), SS_ERR_INVALID_UTF8, "`search`");
    CHECK(inject("GET", "/api/v2/safeboxes", 500, NULL, NULL));
    CHECK_ERR(ss_get_safeboxes(client, NULL, term, 0, 0, &page), SS_ERR_HTTP_STATUS, "500");
    CHECK(ss_last_error_http_status() == 500);
    CHECK(inject("GET", "/api/v2/safeboxes", 401, "{\"message\":\"Session expired\"}", NULL));
    CHECK_ERR(ss_get_safeboxes(client, NULL, term, 0, 0, &page), SS_ERR_HTTP_STATUS, "Session expired");
    CHECK(inject("GET", "/api/v2/safeboxes", 200, NULL, "{not json"));
    CHECK_ERR(ss_get_safeboxes(client, NULL, term, 0, 0, &page), SS_ERR_DECODE, NULL);
    /* Answers of the wrong shape: decode errors, not an empty page with total 0. */
    CHECK(inject("GET", "/api/v2/safeboxes", 200, "[1,2,3]", NULL));
    CHECK_ERR(ss_get_safeboxes(client, NULL, term, 0, 0, &page), SS_ERR_DECODE,
              "the SafeBox list answer is not an object");
    CHECK(inject("GET", "/api/v2/safeboxes", 200, "{\"safeboxes\":{\"a\":1}}", NULL));
    CHECK_ERR(ss_get_safeboxes(client, NULL, term, 0, 0, &page), SS_ERR_DECODE, "`safeboxes`");
    CHECK(inject("GET", "/api/v2/safeboxes", 200, "{\"count\":1,\"safeboxes\":[{\"safebox\":{\"subject\":\"x\"}}]}", NULL));
    CHECK_ERR(ss_get_safeboxes(client, NULL, term, 0, 0, &page), SS_ERR_DECODE,
              "SafeBox 1 of the SafeBox list answer has no `guid`");
    CHECK(page == NULL);

    /* The iterator: every SafeBox once across pages of two, then NULL for good. Nothing is sent
     * before the first step, and nothing after the end. */
    ss_safebox_iter *iter = NULL;
    served = requests_served();
    CHECK_RC(ss_safebox_iter_new(client, NULL, term, 2, &iter), SS_OK);
    CHECK(requests_served() == served);
    memset(seen, 0, sizeof seen);
    int strangers = 0, steps = 0;
    const ss_safebox_info *info = NULL;
    while (steps < 20) {
        if (!CHECK_RC(ss_safebox_iter_next(iter, &info), SS_OK) || info == NULL) break;
        steps++;
        int i = index_of(guids, PAGED, ss_safebox_info_guid(info));
        if (i < 0) {
            strangers++;
            continue;
        }
        seen[i]++;
        CHECK_STR(ss_safebox_info_subject(info), subjects[i]);
        CHECK(ss_safebox_info_user_id(info) == DEMO_USER_ID);
    }
    CHECK(steps == PAGED);
    CHECK(strangers == 0);
    CHECK(all_once(seen));
    CHECK(requests_served() == served + 3); /* three pages */
    info = (const ss_safebox_info *)(const void *)&marker;
    CHECK_RC(ss_safebox_iter_next(iter, &info), SS_OK);
    CHECK(info == NULL);
    info = (const ss_safebox_info *)(const void *)&marker;
    CHECK_RC(ss_safebox_iter_next(iter, &info), SS_OK);
    CHECK(info == NULL);
    CHECK(requests_served() == served + 3);
    ss_safebox_iter_free(iter);

    /* A failed page fetch leaves the iterator where it was: calling again continues. */
    iter = NULL;
    CHECK_RC(ss_safebox_iter_new(client, NULL, term, 2, &iter), SS_OK);
    memset(seen, 0, sizeof seen);
    const ss_safebox_info *prev = NULL;
    for (int i = 0; i < 2; i++) {
        CHECK_RC(ss_safebox_iter_next(iter, &prev), SS_OK);
        at = index_of(guids, PAGED, ss_safebox_info_guid(prev));
        if (at >= 0) seen[at]++;
    }
    info = prev;
    /* (500: a 503 would be retried.) */
    CHECK(inject("GET", "/api/v2/safeboxes", 500, NULL, NULL));
    CHECK_ERR(ss_safebox_iter_next(iter, &info), SS_ERR_HTTP_STATUS, "500");
    CHECK(info == prev); /* left as it was */
    CHECK(inject("GET", "/api/v2/safeboxes", 200, NULL, "{not json"));
    CHECK_ERR(ss_safebox_iter_next(iter, &info), SS_ERR_DECODE, NULL);
    CHECK(info == prev);
    steps = 2;
    while (steps < 20) {
        if (!CHECK_RC(ss_safebox_iter_next(iter, &info), SS_OK) || info == NULL) break;
        steps++;
        at = index_of(guids, PAGED, ss_safebox_info_guid(info));
        if (at >= 0) seen[at]++;
    }
    CHECK(steps == PAGED);
    CHECK(all_once(seen));
    ss_safebox_iter_free(iter);

    /* The server's default page size: one page. An iterator outlives the client it came from. */
    ss_client *other = login("demo", "demo-password", 0);
    iter = NULL;
    CHECK_RC(ss_safebox_iter_new(other, "in_progress", subjects[4], 0, &iter), SS_OK);
    ss_client_free(other);
    info = NULL;
    CHECK_RC(ss_safebox_iter_next(iter, &info), SS_OK);
    CHECK_STR(ss_safebox_info_guid(info), guids[4]);
    CHECK_STR(ss_safebox_info_subject(info), subjects[4]);
    CHECK_RC(ss_safebox_iter_next(iter, &info), SS_OK);
    CHECK(info == NULL);
    ss_safebox_iter_free(iter);
    /* An iterator never used is freed. */
    iter = NULL;
    CHECK_RC(ss_safebox_iter_new(client, NULL, NULL, 0, &iter), SS_OK);
    ss_safebox_iter_free(iter);
    /* An empty page ends the walk even when it names a next one. */
    iter = NULL;
    CHECK_RC(ss_safebox_iter_new(client, NULL, NULL, 0, &iter), SS_OK);
    CHECK(inject("GET", "/api/v2/safeboxes", 200,
                 "{\"count\":9,\"next_page_url\":\"api/v2/safeboxes?page=2\",\"safeboxes\":[]}", NULL));
    info = (const ss_safebox_info *)(const void *)&marker;
    CHECK_RC(ss_safebox_iter_next(iter, &info), SS_OK);
    CHECK(info == NULL);
    ss_safebox_iter_free(iter);
    /* A non-empty page whose next_page_url names itself: page 2 is read once, then the repeat is
     * refused (SS_ERR_DECODE, nothing sent) instead of walking forever; again on later calls. */
    iter = NULL;
    CHECK_RC(ss_safebox_iter_new(client, NULL, NULL, 0, &iter), SS_OK);
    const char *looping = "{\"count\":50,\"next_page_url\":\"api/v2/safeboxes?page=2\",\"safeboxes\":[{\"safebox\":"
                          "{\"guid\":\"" UNKNOWN_GUID "\",\"status\":\"in_progress\"}}]}";
    CHECK(inject("GET", "/api/v2/safeboxes", 200, looping, NULL));
    CHECK(inject("GET", "/api/v2/safeboxes", 200, looping, NULL));
    CHECK(inject("GET", "/api/v2/safeboxes", 200, looping, NULL)); /* would be a third read */
    ss_result rc = SS_OK;
    steps = 0;
    while (steps < 100) {
        info = NULL;
        rc = ss_safebox_iter_next(iter, &info);
        if (rc != SS_OK || info == NULL) break;
        CHECK_STR(ss_safebox_info_guid(info), UNKNOWN_GUID);
        steps++;
    }
    CHECK(steps == 2);
    CHECK_ERR(rc, SS_ERR_DECODE, "the server's next_page_url repeats a page already read: api/v2/safeboxes?page=2");
    served = requests_served();
    prev = info;
    CHECK_ERR(ss_safebox_iter_next(iter, &info), SS_ERR_DECODE, "repeats a page already read");
    CHECK(info == prev);
    CHECK(requests_served() == served);
    ss_safebox_iter_free(iter);
    clear_faults();

    /* Status filters: one closed, one unread; combinations. */
    CHECK_RC(ss_close_safebox(client, guids[1]), SS_OK);
    CHECK_RC(ss_mark_as_unread(client, guids[2]), SS_OK);
    page = NULL;
    CHECK_RC(ss_get_safeboxes(client, "closed", term, 0, 0, &page), SS_OK);
    CHECK(ss_safebox_page_count(page) == 1);
    CHECK(ss_safebox_page_total(page) == 1);
    item = ss_safebox_page_at(page, 0);
    CHECK_STR(ss_safebox_info_guid(item), guids[1]);
    CHECK_STR(ss_safebox_info_status(item), "closed");
    CHECK(recent(ss_safebox_info_closed_at(item)));
    CHECK(iso_ms(ss_safebox_info_closed_at(item)) >= iso_ms(ss_safebox_info_created_at(item)));
    CHECK(ss_safebox_info_content_deleted_at(item) == NULL);
    ss_safebox_page_free(page);
    page = NULL;
    CHECK_RC(ss_get_safeboxes(client, "in_progress", term, 0, 0, &page), SS_OK);
    CHECK(ss_safebox_page_total(page) == PAGED - 1);
    CHECK(ss_safebox_page_count(page) == PAGED - 1);
    for (size_t i = 0; i < ss_safebox_page_count(page); i++) {
        CHECK_STR(ss_safebox_info_status(ss_safebox_page_at(page, i)), "in_progress");
        CHECK(strcmp(ss_safebox_info_guid(ss_safebox_page_at(page, i)), guids[1]) != 0);
    }
    ss_safebox_page_free(page);
    page = NULL;
    CHECK_RC(ss_get_safeboxes(client, "in_progress,closed", term, 0, 0, &page), SS_OK);
    CHECK(ss_safebox_page_total(page) == PAGED);
    ss_safebox_page_free(page);
    page = NULL;
    CHECK_RC(ss_get_safeboxes(client, "unread", term, 0, 0, &page), SS_OK);
    CHECK(ss_safebox_page_count(page) == 1);
    CHECK_STR(ss_safebox_info_guid(ss_safebox_page_at(page, 0)), guids[2]);
    CHECK(ss_safebox_info_unread_count(ss_safebox_page_at(page, 0)) == 1);
    ss_safebox_page_free(page);
    page = NULL;
    CHECK_RC(ss_get_safeboxes(client, "closed,unread", term, 0, 0, &page), SS_OK);
    CHECK(ss_safebox_page_count(page) == 0);
    CHECK(ss_safebox_page_total(page) == 0);
    ss_safebox_page_free(page);
    page = NULL;
    iter = NULL;
    CHECK_RC(ss_safebox_iter_new(client, "closed", term, 1, &iter), SS_OK);
    info = NULL;
    CHECK_RC(ss_safebox_iter_next(iter, &info), SS_OK);
    CHECK_STR(ss_safebox_info_guid(info), guids[1]);
    CHECK_STR(ss_safebox_info_status(info), "closed");
    CHECK_RC(ss_safebox_iter_next(iter, &info), SS_OK);
    CHECK(info == NULL);
    ss_safebox_iter_free(iter);

    /* The closed SafeBox: in the details; participants can no longer be added or changed. */
    ss_safebox_info *details = NULL;
    CHECK_RC(ss_get_safebox_info(client, guids[1], NULL, &details), SS_OK);
    CHECK_STR(ss_safebox_info_status(details), "closed");
    CHECK(recent(ss_safebox_info_closed_at(details)));
    CHECK(ss_safebox_info_content_deleted_at(details) == NULL);
    size_t events = ss_safebox_info_event_count(details);
    CHECK(events == 2);
    CHECK_STR(ss_event_type(ss_safebox_info_event_at(details, events > 0 ? events - 1 : 0)), "safebox_closed_owner");
    char closed_guest[128];
    snprintf(closed_guest, sizeof closed_guest, "paged1.%s@example.com", g_tag);
    const ss_participant *g = participant_in_info(details, closed_guest);
    char guest_id[64];
    snprintf(guest_id, sizeof guest_id, "%s", ss_participant_id(g) ? ss_participant_id(g) : "");
    ss_safebox_info_free(details);
    ss_contact_edit *edit = NULL;
    CHECK_RC(ss_contact_edit_new(&edit), SS_OK);
    CHECK_RC(ss_contact_edit_set_email(edit, "late@example.org"), SS_OK);
    ss_participant *p = NULL;
    CHECK_ERR(ss_create_participant(client, guids[1], edit, &p), SS_ERR_HTTP_STATUS, "Unable to add the participant.");
    CHECK(ss_last_error_http_status() == 400);
    CHECK_ERR(ss_update_participant(client, guids[1], guest_id, edit, &p), SS_ERR_HTTP_STATUS,
              "Unable to update the participant.");
    CHECK(p == NULL);
    ss_contact_edit_free(edit);
    /* Its content deleted. */
    CHECK_RC(ss_delete_safebox_content(client, guids[1]), SS_OK);
    details = NULL;
    CHECK_RC(ss_get_safebox_info(client, guids[1], "messages", &details), SS_OK);
    CHECK_STR(ss_safebox_info_status(details), "content_deleted");
    CHECK(recent(ss_safebox_info_content_deleted_at(details)));
    CHECK(iso_ms(ss_safebox_info_content_deleted_at(details)) >= iso_ms(ss_safebox_info_closed_at(details)));
    ss_safebox_info_free(details);
    page = NULL;
    CHECK_RC(ss_get_safeboxes(client, "content_deleted", term, 0, 0, &page), SS_OK);
    CHECK(ss_safebox_page_count(page) == 1);
    CHECK_STR(ss_safebox_info_guid(ss_safebox_page_at(page, 0)), guids[1]);
    ss_safebox_page_free(page);

    /* Refusals of the iterator. */
    iter = NULL;
    CHECK_ERR(ss_safebox_iter_new(client, NULL, NULL, 1001, &iter), SS_ERR_INVALID_ARGUMENT, "per_page");
    CHECK_ERR(ss_safebox_iter_new(NULL, NULL, NULL, 0, &iter), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_safebox_iter_new(client, NULL, NULL, 0, NULL), SS_ERR_NULL_ARGUMENT, "`out_iter`");
    CHECK_ERR(ss_safebox_iter_new(client, BAD_UTF8, NULL, 0, &iter), SS_ERR_INVALID_UTF8, "`status`");
    CHECK_ERR(ss_safebox_iter_new(client, NULL, BAD_UTF8, 0, &iter), SS_ERR_INVALID_UTF8, "`search`");
    CHECK(iter == NULL);
    info = NULL;
    CHECK_ERR(ss_safebox_iter_next(NULL, &info), SS_ERR_NULL_ARGUMENT, "`iter`");
    CHECK_RC(ss_safebox_iter_new(client, "sleeping", NULL, 0, &iter), SS_OK); /* checked by the server */
    CHECK_ERR(ss_safebox_iter_next(iter, NULL), SS_ERR_NULL_ARGUMENT, "`out_info`");
    CHECK_ERR(ss_safebox_iter_next(iter, &info), SS_ERR_HTTP_STATUS, "sleeping");
    CHECK(ss_last_error_http_status() == 400);
    CHECK_ERR(ss_safebox_iter_next(iter, &info), SS_ERR_HTTP_STATUS, "sleeping"); /* retried, refused again */
    CHECK(info == NULL);
    ss_safebox_iter_free(iter);
}

/* ---------------------------------------------------------------------------------------------
 * Favorites, the recipient search, consent groups, user settings */

static void test_favorites(const ss_client *client, const ss_client *anonymous, const ss_client *bob_as_demo,
                           const ss_client *bob) {
    /* The seeded favorite of the demo configuration. */
    ss_favorite_list *list = NULL;
    CHECK_RC(ss_get_favorites(client, &list), SS_OK);
    size_t before = ss_favorite_list_count(list);
    CHECK(before >= 1);
    CHECK(ss_favorite_list_at(list, before) == NULL);
    CHECK(ss_favorite_list_at(list, SIZE_MAX) == NULL);
    const ss_favorite *john = favorite_in_list(list, SEEDED_FAVORITE);
    CHECK(john != NULL);
    CHECK_STR(ss_favorite_first_name(john), "John");
    CHECK_STR(ss_favorite_last_name(john), "Smith");
    CHECK_STR(ss_favorite_company_name(john), "Example Corp");
    CHECK(ss_favorite_order_number(john) == 1);
    CHECK(ss_favorite_id(john) > 0);
    CHECK(ss_favorite_contact_method_count(john) == 1);
    CHECK_STR(ss_contact_method_destination(ss_favorite_contact_method_at(john, 0)), "+15145550000");
    CHECK_STR(ss_contact_method_type(ss_favorite_contact_method_at(john, 0)), "cell_phone");
    CHECK(ss_contact_method_id(ss_favorite_contact_method_at(john, 0)) > 0);
    CHECK(ss_favorite_contact_method_at(john, 1) == NULL);
    CHECK(ss_favorite_contact_method_at(john, SIZE_MAX) == NULL);
    CHECK(contains(ss_favorite_to_json(john), "\"email\":\"" SEEDED_FAVORITE "\""));
    int64_t john_id = ss_favorite_id(john);
    ss_favorite_list_free(list);

    /* Create: every field and two phones. */
    char email[128];
    snprintf(email, sizeof email, "zed.%s@example.org", g_tag);
    ss_contact_edit *edit = NULL;
    CHECK_RC(ss_contact_edit_new(&edit), SS_OK);
    CHECK_RC(ss_contact_edit_set_email(edit, email), SS_OK);
    CHECK_RC(ss_contact_edit_set_first_name(edit, "Zed"), SS_OK);
    CHECK_RC(ss_contact_edit_set_last_name(edit, "Follow"), SS_OK);
    CHECK_RC(ss_contact_edit_set_company_name(edit, "Follow Inc"), SS_OK);
    CHECK_RC(ss_contact_edit_set_order_number(edit, 7), SS_OK);
    CHECK_RC(ss_contact_edit_set_locked(edit, true), SS_OK); /* favorites ignore it */
    CHECK_RC(ss_contact_edit_set_privileged(edit, true), SS_OK); /* favorites ignore it */
    CHECK_RC(ss_contact_edit_set_always_promote(edit, true), SS_OK);
    CHECK_RC(ss_contact_edit_add_contact_method(edit, "+15145551111", SS_DESTINATION_HOME), SS_OK);
    CHECK_RC(ss_contact_edit_add_contact_method(edit, "514-555-2222", SS_DESTINATION_OFFICE), SS_OK);
    ss_favorite *f = NULL;
    CHECK_RC(ss_create_favorite(client, edit, &f), SS_OK);
    CHECK(f != NULL);
    CHECK_STR(ss_favorite_email(f), email);
    CHECK_STR(ss_favorite_first_name(f), "Zed");
    CHECK_STR(ss_favorite_last_name(f), "Follow");
    CHECK_STR(ss_favorite_company_name(f), "Follow Inc");
    CHECK(ss_favorite_order_number(f) == 7);
    CHECK(ss_favorite_always_promote(f));
    int64_t id = ss_favorite_id(f);
    CHECK(id > 0 && id != john_id);
    CHECK(ss_favorite_contact_method_count(f) == 2);
    const ss_contact_method *home = favorite_method(f, "+15145551111");
    const ss_contact_method *office = favorite_method(f, "514-555-2222");
    CHECK_STR(ss_contact_method_type(home), "home_phone");
    CHECK_STR(ss_contact_method_type(office), "office_phone");
    int64_t home_id = ss_contact_method_id(home), office_id = ss_contact_method_id(office);
    CHECK(home_id > 0 && office_id > 0 && home_id != office_id);
    CHECK(ss_favorite_contact_method_at(f, 2) == NULL);
    CHECK(contains(ss_favorite_to_json(f), email));
    CHECK(json_int(ss_favorite_to_json(f), "order_number") == 7);
    ss_favorite_free(f);
    f = NULL;
    ss_contact_edit_free(edit);

    /* Read back in the list. */
    list = NULL;
    CHECK_RC(ss_get_favorites(client, &list), SS_OK);
    CHECK(ss_favorite_list_count(list) == before + 1);
    const ss_favorite *listed = favorite_in_list(list, email);
    CHECK(ss_favorite_id(listed) == id);
    CHECK_STR(ss_favorite_first_name(listed), "Zed");
    CHECK_STR(ss_favorite_company_name(listed), "Follow Inc");
    CHECK(ss_favorite_order_number(listed) == 7);
    CHECK(ss_favorite_always_promote(listed));
    CHECK(ss_favorite_contact_method_count(listed) == 2);
    CHECK(ss_contact_method_id(favorite_method(listed, "+15145551111")) == home_id);
    CHECK(favorite_in_list(list, SEEDED_FAVORITE) != NULL);
    ss_favorite_list_free(list);

    /* Found by the recipient search, with its id. */
    ss_recipient_match_list *found = NULL;
    CHECK_RC(ss_search_recipient(client, g_tag, &found), SS_OK);
    CHECK(ss_recipient_match_list_count(found) == 1);
    const ss_recipient_match *m = ss_recipient_match_list_at(found, 0);
    CHECK(ss_recipient_match_id(m) == id);
    CHECK_STR(ss_recipient_match_type(m), "favorite");
    CHECK_STR(ss_recipient_match_email(m), email);
    CHECK_STR(ss_recipient_match_first_name(m), "Zed");
    CHECK_STR(ss_recipient_match_last_name(m), "Follow");
    CHECK_STR(ss_recipient_match_company_name(m), "Follow Inc");
    CHECK(ss_recipient_match_list_at(found, 1) == NULL);
    ss_recipient_match_list_free(found);

    /* Update: a new first name and order, the home phone removed, an "other" phone added; the
     * unset fields stay. */
    edit = NULL;
    CHECK_RC(ss_contact_edit_new(&edit), SS_OK);
    CHECK_RC(ss_contact_edit_set_first_name(edit, "Zo\xc3\xa9"), SS_OK);
    CHECK_RC(ss_contact_edit_set_order_number(edit, 5), SS_OK);
    CHECK_RC(ss_contact_edit_set_always_promote(edit, false), SS_OK);
    CHECK_RC(ss_contact_edit_remove_contact_method(edit, home_id), SS_OK);
    CHECK_RC(ss_contact_edit_add_contact_method(edit, "+15145553333", SS_DESTINATION_OTHER), SS_OK);
    CHECK_RC(ss_update_favorite(client, id, edit, &f), SS_OK);
    CHECK(ss_favorite_id(f) == id);
    CHECK_STR(ss_favorite_email(f), email);
    CHECK_STR(ss_favorite_first_name(f), "Zo\xc3\xa9");
    CHECK_STR(ss_favorite_last_name(f), "Follow");
    CHECK_STR(ss_favorite_company_name(f), "Follow Inc");
    CHECK(ss_favorite_order_number(f) == 5);
    CHECK(!ss_favorite_always_promote(f));
    CHECK(ss_favorite_contact_method_count(f) == 2);
    CHECK(favorite_method(f, "+15145551111") == NULL);
    CHECK(ss_contact_method_id(favorite_method(f, "514-555-2222")) == office_id);
    const ss_contact_method *other = favorite_method(f, "+15145553333");
    CHECK_STR(ss_contact_method_type(other), "other_phone");
    int64_t other_id = ss_contact_method_id(other);
    CHECK(other_id > 0 && other_id != home_id && other_id != office_id);
    ss_favorite_free(f);
    f = NULL;
    /* The same edit again: the removed phone is unknown now (400), nothing changes. */
    char body[2048];
    CHECK_ERR(ss_update_favorite(client, id, edit, &f), SS_ERR_HTTP_STATUS, "contact_methods");
    CHECK(ss_last_error_http_status() == 400);
    CHECK(ss_last_error_body(body, sizeof body) > 0 && contains(body, "\"attributes\""));
    CHECK(f == NULL);
    ss_contact_edit_free(edit);
    /* Another e-mail and names, read back in the list. */
    edit = NULL;
    char renamed[128];
    snprintf(renamed, sizeof renamed, "zoe.%s@example.org", g_tag);
    CHECK_RC(ss_contact_edit_new(&edit), SS_OK);
    CHECK_RC(ss_contact_edit_set_email(edit, renamed), SS_OK);
    CHECK_RC(ss_contact_edit_set_last_name(edit, "Renamed"), SS_OK);
    CHECK_RC(ss_contact_edit_set_company_name(edit, ""), SS_OK);
    CHECK_RC(ss_update_favorite(client, id, edit, &f), SS_OK);
    CHECK_STR(ss_favorite_email(f), renamed);
    ss_favorite_free(f);
    f = NULL;
    ss_contact_edit_free(edit);
    list = NULL;
    CHECK_RC(ss_get_favorites(client, &list), SS_OK);
    CHECK(ss_favorite_list_count(list) == before + 1);
    CHECK(favorite_in_list(list, email) == NULL);
    listed = favorite_in_list(list, renamed);
    CHECK(ss_favorite_id(listed) == id);
    CHECK_STR(ss_favorite_first_name(listed), "Zo\xc3\xa9");
    CHECK_STR(ss_favorite_last_name(listed), "Renamed");
    CHECK_STR(ss_favorite_company_name(listed), "");
    CHECK(ss_favorite_order_number(listed) == 5);
    CHECK(!ss_favorite_always_promote(listed));
    CHECK(ss_favorite_contact_method_count(listed) == 2);
    ss_favorite_list_free(list);

    /* Delete phones by id; none (NULL with count 0) changes nothing. */
    int64_t ids[2];
    ids[0] = office_id;
    CHECK_RC(ss_delete_favorite_contact_methods(client, id, ids, 1, &f), SS_OK);
    CHECK(ss_favorite_id(f) == id);
    CHECK(ss_favorite_contact_method_count(f) == 1);
    CHECK(ss_contact_method_id(ss_favorite_contact_method_at(f, 0)) == other_id);
    CHECK_STR(ss_favorite_last_name(f), "Renamed");
    ss_favorite_free(f);
    f = NULL;
    CHECK_RC(ss_delete_favorite_contact_methods(client, id, NULL, 0, &f), SS_OK);
    CHECK(ss_favorite_contact_method_count(f) == 1);
    ss_favorite_free(f);
    f = NULL;
    CHECK_ERR(ss_delete_favorite_contact_methods(client, id, ids, 1, &f), SS_ERR_HTTP_STATUS, "contact_methods");
    CHECK(ss_last_error_http_status() == 400);
    ids[0] = other_id;
    ids[1] = other_id + 1000000;
    CHECK_ERR(ss_delete_favorite_contact_methods(client, id, ids, 2, &f), SS_ERR_HTTP_STATUS, "contact_methods");
    CHECK(f == NULL);
    CHECK_RC(ss_delete_favorite_contact_methods(client, id, ids, 1, &f), SS_OK);
    CHECK(ss_favorite_contact_method_count(f) == 0);
    CHECK(ss_favorite_contact_method_at(f, 0) == NULL);
    ss_favorite_free(f);
    f = NULL;
    list = NULL;
    CHECK_RC(ss_get_favorites(client, &list), SS_OK);
    CHECK(ss_favorite_contact_method_count(favorite_in_list(list, renamed)) == 0);
    ss_favorite_list_free(list);

    /* Refusals of create. */
    edit = NULL;
    CHECK_RC(ss_contact_edit_new(&edit), SS_OK);
    CHECK_ERR(ss_create_favorite(client, edit, &f), SS_ERR_INVALID_ARGUMENT, "Favorite email cannot be null");
    CHECK_RC(ss_contact_edit_set_email(edit, " "), SS_OK);
    CHECK_ERR(ss_create_favorite(client, edit, &f), SS_ERR_INVALID_ARGUMENT, "Favorite email cannot be null");
    CHECK_RC(ss_contact_edit_set_email(edit, "not-an-email"), SS_OK);
    CHECK_ERR(ss_create_favorite(client, edit, &f), SS_ERR_HTTP_STATUS, "is invalid");
    CHECK(ss_last_error_http_status() == 400);
    CHECK(ss_last_error_body(body, sizeof body) > 0 && contains(body, "email"));
    CHECK_RC(ss_contact_edit_set_email(edit, "refused@example.org"), SS_OK);
    CHECK_ERR(ss_create_favorite(anonymous, edit, &f), SS_ERR_INVALID_ARGUMENT, "User id");
    CHECK_ERR(ss_create_favorite(bob_as_demo, edit, &f), SS_ERR_HTTP_STATUS, "Access denied");
    CHECK(ss_last_error_http_status() == 403);
    CHECK_ERR(ss_create_favorite(NULL, edit, &f), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_create_favorite(client, NULL, &f), SS_ERR_NULL_ARGUMENT, "`edit`");
    CHECK_ERR(ss_create_favorite(client, edit, NULL), SS_ERR_NULL_ARGUMENT, "`out_favorite`");
    const char *favorites_path = "/api/v2/enterprises/acme/users/1/favorites";
    CHECK(inject("POST", favorites_path, 500, NULL, NULL));
    CHECK_ERR(ss_create_favorite(client, edit, &f), SS_ERR_HTTP_STATUS, "500");
    CHECK(ss_last_error_http_status() == 500);
    CHECK(inject("POST", favorites_path, 200, NULL, "{not json"));
    CHECK_ERR(ss_create_favorite(client, edit, &f), SS_ERR_DECODE, NULL);
    /* Answers of the wrong shape: decode errors, not a favorite with id 0. */
    CHECK(inject("POST", favorites_path, 200, "\"text\"", NULL));
    CHECK_ERR(ss_create_favorite(client, edit, &f), SS_ERR_DECODE, "the favorite answer is not an object");
    CHECK(inject("POST", favorites_path, 200, "{\"email\":\"refused@example.org\"}", NULL));
    CHECK_ERR(ss_create_favorite(client, edit, &f), SS_ERR_DECODE, "the favorite answer has no `id`");
    CHECK(f == NULL);

    /* Refusals of update, delete phones and delete. */
    char one[160];
    snprintf(one, sizeof one, "%s/%lld", favorites_path, (long long)id);
    CHECK_ERR(ss_update_favorite(client, 999999999, edit, &f), SS_ERR_HTTP_STATUS, "404");
    CHECK(ss_last_error_http_status() == 404);
    CHECK_ERR(ss_update_favorite(client, 0, edit, &f), SS_ERR_INVALID_ARGUMENT, "Favorite id");
    CHECK_ERR(ss_update_favorite(client, -3, edit, &f), SS_ERR_INVALID_ARGUMENT, "Favorite id");
    CHECK_ERR(ss_update_favorite(anonymous, id, edit, &f), SS_ERR_INVALID_ARGUMENT, "User id");
    CHECK_ERR(ss_update_favorite(bob_as_demo, id, edit, &f), SS_ERR_HTTP_STATUS, "Access denied");
    CHECK_ERR(ss_update_favorite(bob, id, edit, &f), SS_ERR_HTTP_STATUS, "404"); /* not one of bob's */
    CHECK_ERR(ss_update_favorite(NULL, id, edit, &f), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_update_favorite(client, id, NULL, &f), SS_ERR_NULL_ARGUMENT, "`edit`");
    CHECK_ERR(ss_update_favorite(client, id, edit, NULL), SS_ERR_NULL_ARGUMENT, "`out_favorite`");
    CHECK(inject("PATCH", one, 500, NULL, NULL));
    CHECK_ERR(ss_update_favorite(client, id, edit, &f), SS_ERR_HTTP_STATUS, "500");
    CHECK(inject("PATCH", one, 200, NULL, "{not json"));
    CHECK_ERR(ss_update_favorite(client, id, edit, &f), SS_ERR_DECODE, NULL);
    CHECK(inject("PATCH", one, 200, NULL, "null"));
    CHECK_ERR(ss_update_favorite(client, id, edit, &f), SS_ERR_DECODE, "the favorite answer is not an object (found null)");
    CHECK(f == NULL);
    ss_contact_edit_free(edit);

    CHECK_ERR(ss_delete_favorite_contact_methods(client, 999999999, NULL, 0, &f), SS_ERR_HTTP_STATUS, "404");
    CHECK_ERR(ss_delete_favorite_contact_methods(client, 0, NULL, 0, &f), SS_ERR_INVALID_ARGUMENT, "Favorite id");
    CHECK_ERR(ss_delete_favorite_contact_methods(client, id, NULL, 3, &f), SS_ERR_NULL_ARGUMENT, "`ids`");
    CHECK_ERR(ss_delete_favorite_contact_methods(anonymous, id, NULL, 0, &f), SS_ERR_INVALID_ARGUMENT, "User id");
    CHECK_ERR(ss_delete_favorite_contact_methods(bob_as_demo, id, NULL, 0, &f), SS_ERR_HTTP_STATUS, "Access denied");
    CHECK_ERR(ss_delete_favorite_contact_methods(NULL, id, NULL, 0, &f), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_delete_favorite_contact_methods(client, id, NULL, 0, NULL), SS_ERR_NULL_ARGUMENT, "`out_favorite`");
    CHECK(inject("PATCH", one, 500, NULL, NULL));
    CHECK_ERR(ss_delete_favorite_contact_methods(client, id, NULL, 0, &f), SS_ERR_HTTP_STATUS, "500");
    CHECK(inject("PATCH", one, 200, NULL, "{not json"));
    CHECK_ERR(ss_delete_favorite_contact_methods(client, id, NULL, 0, &f), SS_ERR_DECODE, NULL);
    CHECK(inject("PATCH", one, 200, "[1]", NULL));
    CHECK_ERR(ss_delete_favorite_contact_methods(client, id, NULL, 0, &f), SS_ERR_DECODE,
              "the favorite answer is not an object");
    CHECK(f == NULL);

    CHECK_ERR(ss_delete_favorite(client, 0), SS_ERR_INVALID_ARGUMENT, "Favorite id");
    CHECK_ERR(ss_delete_favorite(client, -1), SS_ERR_INVALID_ARGUMENT, "Favorite id");
    CHECK_ERR(ss_delete_favorite(anonymous, id), SS_ERR_INVALID_ARGUMENT, "User id");
    CHECK_ERR(ss_delete_favorite(bob_as_demo, id), SS_ERR_HTTP_STATUS, "Access denied");
    CHECK(ss_last_error_http_status() == 403);
    CHECK_ERR(ss_delete_favorite(bob, id), SS_ERR_HTTP_STATUS, "404");
    CHECK_ERR(ss_delete_favorite(NULL, id), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK(inject("DELETE", one, 500, NULL, NULL));
    CHECK_ERR(ss_delete_favorite(client, id), SS_ERR_HTTP_STATUS, "500");

    /* The lists of the others: none for want of a user id, 403 for someone else's, bob's own. */
    list = NULL;
    CHECK_ERR(ss_get_favorites(anonymous, &list), SS_ERR_INVALID_ARGUMENT, "User id");
    CHECK_ERR(ss_get_favorites(bob_as_demo, &list), SS_ERR_HTTP_STATUS, "Access denied");
    CHECK(ss_last_error_http_status() == 403);
    CHECK_ERR(ss_get_favorites(NULL, &list), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_get_favorites(client, NULL), SS_ERR_NULL_ARGUMENT, "`out_list`");
    CHECK(inject("GET", favorites_path, 500, NULL, NULL));
    CHECK_ERR(ss_get_favorites(client, &list), SS_ERR_HTTP_STATUS, "500");
    CHECK(inject("GET", favorites_path, 200, NULL, "{not json"));
    CHECK_ERR(ss_get_favorites(client, &list), SS_ERR_DECODE, NULL);
    CHECK(inject("GET", favorites_path, 200, "{\"favorites\":{}}", NULL));
    CHECK_ERR(ss_get_favorites(client, &list), SS_ERR_DECODE, "favorites");
    CHECK(inject("GET", favorites_path, 200, "{\"favorites\":[{\"first_name\":\"No\"},7]}", NULL));
    CHECK_ERR(ss_get_favorites(client, &list), SS_ERR_DECODE, "favorite 1 of the favorite list answer has neither");
    CHECK(list == NULL);
    CHECK_RC(ss_get_favorites(bob, &list), SS_OK);
    CHECK(favorite_in_list(list, renamed) == NULL);
    CHECK(favorite_in_list(list, SEEDED_FAVORITE) == NULL);
    ss_favorite_list_free(list);

    /* Delete: gone from the list and the search; deleting again is 404. */
    CHECK_RC(ss_delete_favorite(client, id), SS_OK);
    list = NULL;
    CHECK_RC(ss_get_favorites(client, &list), SS_OK);
    CHECK(ss_favorite_list_count(list) == before);
    CHECK(favorite_in_list(list, renamed) == NULL);
    CHECK(favorite_in_list(list, SEEDED_FAVORITE) != NULL);
    for (size_t i = 0; i < ss_favorite_list_count(list); i++) CHECK(ss_favorite_id(ss_favorite_list_at(list, i)) != id);
    ss_favorite_list_free(list);
    CHECK_ERR(ss_delete_favorite(client, id), SS_ERR_HTTP_STATUS, "404");
    CHECK(ss_last_error_http_status() == 404);
    found = NULL;
    CHECK_RC(ss_search_recipient(client, g_tag, &found), SS_OK);
    CHECK(ss_recipient_match_list_count(found) == 0);
    CHECK(ss_recipient_match_list_at(found, 0) == NULL);
    ss_recipient_match_list_free(found);
}

static void test_search(const ss_client *client, const ss_client *bob) {
    /* The account's users (the demo configuration). */
    ss_recipient_match_list *found = NULL;
    CHECK_RC(ss_search_recipient(client, "acme.example", &found), SS_OK);
    CHECK(ss_recipient_match_list_count(found) == 3);
    CHECK(ss_recipient_match_list_at(found, 3) == NULL);
    CHECK(ss_recipient_match_list_at(found, SIZE_MAX) == NULL);
    const ss_recipient_match *demo = match_in_list(found, USER_EMAIL);
    CHECK(ss_recipient_match_id(demo) == DEMO_USER_ID);
    CHECK_STR(ss_recipient_match_type(demo), "user");
    CHECK_STR(ss_recipient_match_first_name(demo), "Demo");
    CHECK_STR(ss_recipient_match_last_name(demo), "User");
    CHECK_STR(ss_recipient_match_company_name(demo), "");
    const ss_recipient_match *b = match_in_list(found, BOB_EMAIL);
    CHECK(ss_recipient_match_id(b) == BOB_USER_ID);
    CHECK_STR(ss_recipient_match_type(b), "user");
    CHECK_STR(ss_recipient_match_first_name(b), "Bob");
    CHECK_STR(ss_recipient_match_last_name(b), "Other");
    const ss_recipient_match *carol = match_in_list(found, "carol@acme.example");
    CHECK(ss_recipient_match_id(carol) == 3);
    CHECK_STR(ss_recipient_match_last_name(carol), "Otp");
    ss_recipient_match_list_free(found);

    /* The seeded favorite, by its last name in another case; bob does not have it. */
    ss_favorite_list *favorites = NULL;
    CHECK_RC(ss_get_favorites(client, &favorites), SS_OK);
    int64_t john_id = ss_favorite_id(favorite_in_list(favorites, SEEDED_FAVORITE));
    ss_favorite_list_free(favorites);
    found = NULL;
    CHECK_RC(ss_search_recipient(client, "SMITH", &found), SS_OK);
    const ss_recipient_match *john = match_in_list(found, SEEDED_FAVORITE);
    CHECK(john != NULL);
    CHECK(ss_recipient_match_id(john) == john_id);
    CHECK_STR(ss_recipient_match_type(john), "favorite");
    CHECK_STR(ss_recipient_match_first_name(john), "John");
    CHECK_STR(ss_recipient_match_last_name(john), "Smith");
    CHECK_STR(ss_recipient_match_company_name(john), "Example Corp");
    ss_recipient_match_list_free(found);
    found = NULL;
    CHECK_RC(ss_search_recipient(bob, "smith", &found), SS_OK);
    CHECK(match_in_list(found, SEEDED_FAVORITE) == NULL);
    ss_recipient_match_list_free(found);
    /* Nothing found. */
    found = NULL;
    CHECK_RC(ss_search_recipient(client, "no-such-person-anywhere", &found), SS_OK);
    CHECK(ss_recipient_match_list_count(found) == 0);
    ss_recipient_match_list_free(found);

    found = NULL;
    CHECK_ERR(ss_search_recipient(client, "", &found), SS_ERR_INVALID_ARGUMENT, "Search term cannot be null");
    CHECK_ERR(ss_search_recipient(client, " \t", &found), SS_ERR_INVALID_ARGUMENT, "Search term cannot be null");
    CHECK_ERR(ss_search_recipient(NULL, "john", &found), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_search_recipient(client, NULL, &found), SS_ERR_NULL_ARGUMENT, "`term`");
    CHECK_ERR(ss_search_recipient(client, "john", NULL), SS_ERR_NULL_ARGUMENT, "`out_list`");
    CHECK_ERR(ss_search_recipient(client, BAD_UTF8, &found), SS_ERR_INVALID_UTF8, "`term`");
    CHECK(inject("GET", "/api/v2/recipients/autocomplete", 500, NULL, NULL));
    CHECK_ERR(ss_search_recipient(client, "john", &found), SS_ERR_HTTP_STATUS, "500");
    CHECK(ss_last_error_http_status() == 500);
    CHECK(inject("GET", "/api/v2/recipients/autocomplete", 200, NULL, "{not json"));
    CHECK_ERR(ss_search_recipient(client, "john", &found), SS_ERR_DECODE, NULL);
    CHECK(inject("GET", "/api/v2/recipients/autocomplete", 200, "{\"results\":5}", NULL));
    CHECK_ERR(ss_search_recipient(client, "john", &found), SS_ERR_DECODE, "results");
    CHECK(inject("GET", "/api/v2/recipients/autocomplete", 200, "{\"results\":[{\"id\":1,\"type\":\"user\"}]}", NULL));
    CHECK_ERR(ss_search_recipient(client, "john", &found), SS_ERR_DECODE, "result 1 of the recipient search answer has no `email`");
    CHECK(found == NULL);
}

static void test_consent_group(const ss_client *client, const ss_client *anonymous) {
    ss_consent_group *group = NULL;
    CHECK_RC(ss_get_consent_group_messages(client, 1, &group), SS_OK);
    CHECK(group != NULL);
    CHECK(ss_consent_group_id(group) == 1);
    CHECK_STR(ss_consent_group_name(group), "Default");
    size_t n = ss_consent_group_message_count(group);
    CHECK(n == 2);
    int en = 0, fr = 0;
    for (size_t i = 0; i < n; i++) {
        const char *locale = ss_consent_group_message_locale_at(group, i);
        const char *text = ss_consent_group_message_text_at(group, i);
        if (locale != NULL && strcmp(locale, "en") == 0) en += CHECK_STR(text, CONSENT_EN);
        if (locale != NULL && strcmp(locale, "fr") == 0) fr += CHECK_STR(text, CONSENT_FR);
    }
    CHECK(en == 1 && fr == 1);
    CHECK(ss_consent_group_message_locale_at(group, n) == NULL);
    CHECK(ss_consent_group_message_text_at(group, n) == NULL);
    CHECK(ss_consent_group_message_locale_at(group, SIZE_MAX) == NULL);
    CHECK(ss_consent_group_message_text_at(group, SIZE_MAX) == NULL);
    ss_consent_group_free(group);

    /* No user id needed. */
    group = NULL;
    CHECK_RC(ss_get_consent_group_messages(anonymous, 1, &group), SS_OK);
    CHECK_STR(ss_consent_group_name(group), "Default");
    ss_consent_group_free(group);

    /* An answer with no consent texts. */
    const char *path = "/api/v2/enterprises/acme/consent_message_groups";
    group = NULL;
    CHECK(inject("GET", path, 200, "{\"consent_message_group\":{\"id\":5,\"name\":\"Empty\",\"consent_messages\":[]}}",
                 NULL));
    CHECK_RC(ss_get_consent_group_messages(client, 5, &group), SS_OK);
    CHECK(ss_consent_group_id(group) == 5);
    CHECK_STR(ss_consent_group_name(group), "Empty");
    CHECK(ss_consent_group_message_count(group) == 0);
    CHECK(ss_consent_group_message_locale_at(group, 0) == NULL);
    CHECK(ss_consent_group_message_text_at(group, 0) == NULL);
    ss_consent_group_free(group);

    group = NULL;
    CHECK_ERR(ss_get_consent_group_messages(client, 99, &group), SS_ERR_HTTP_STATUS, "404");
    CHECK(ss_last_error_http_status() == 404);
    CHECK_ERR(ss_get_consent_group_messages(client, -1, &group), SS_ERR_HTTP_STATUS, "404");
    CHECK_ERR(ss_get_consent_group_messages(NULL, 1, &group), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_get_consent_group_messages(client, 1, NULL), SS_ERR_NULL_ARGUMENT, "`out_group`");
    CHECK(inject("GET", path, 500, NULL, NULL));
    CHECK_ERR(ss_get_consent_group_messages(client, 1, &group), SS_ERR_HTTP_STATUS, "500");
    CHECK(inject("GET", path, 403, "{\"message\":\"Access denied\"}", NULL));
    CHECK_ERR(ss_get_consent_group_messages(client, 1, &group), SS_ERR_HTTP_STATUS, "Access denied");
    CHECK(ss_last_error_http_status() == 403);
    CHECK(inject("GET", path, 200, NULL, "{not json"));
    CHECK_ERR(ss_get_consent_group_messages(client, 1, &group), SS_ERR_DECODE, NULL);
    CHECK(inject("GET", path, 200, "{\"group\":{}}", NULL));
    CHECK_ERR(ss_get_consent_group_messages(client, 1, &group), SS_ERR_DECODE, "consent_message_group");
    /* Answers of the wrong shape: decode errors, not a group with id 0. */
    CHECK(inject("GET", path, 200, "{\"consent_message_group\":5}", NULL));
    CHECK_ERR(ss_get_consent_group_messages(client, 1, &group), SS_ERR_DECODE, "`consent_message_group`");
    CHECK(inject("GET", path, 200, "{\"consent_message_group\":{\"name\":\"Default\"}}", NULL));
    CHECK_ERR(ss_get_consent_group_messages(client, 1, &group), SS_ERR_DECODE, "has no `id`");
    CHECK(group == NULL);
}

static void test_user_settings(const ss_client *client, const ss_client *anonymous, const ss_client *bob_as_demo) {
    char *json = NULL;
    CHECK_RC(ss_get_user_settings(client, &json), SS_OK);
    CHECK(contains(json, "\"default_filter\":\"everything\""));
    CHECK(contains(json, "\"secure_link\""));
    CHECK(contains(json, "\"mark_as_read\""));
    ss_string_free(json);
    json = NULL;
    CHECK_ERR(ss_get_user_settings(anonymous, &json), SS_ERR_INVALID_ARGUMENT, "User id");
    CHECK_ERR(ss_get_user_settings(bob_as_demo, &json), SS_ERR_HTTP_STATUS, "Access denied");
    CHECK(ss_last_error_http_status() == 403);
    CHECK_ERR(ss_get_user_settings(NULL, &json), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_get_user_settings(client, NULL), SS_ERR_NULL_ARGUMENT, "`out_json`");
    const char *path = "/api/v2/enterprises/acme/users/1/settings";
    CHECK(inject("GET", path, 500, NULL, NULL));
    CHECK_ERR(ss_get_user_settings(client, &json), SS_ERR_HTTP_STATUS, "500");
    CHECK(ss_last_error_http_status() == 500);
    CHECK(inject("GET", path, 200, NULL, "{not json"));
    CHECK_ERR(ss_get_user_settings(client, &json), SS_ERR_DECODE, NULL);
    CHECK(inject("GET", path, 200, "[1,2]", NULL));
    CHECK_ERR(ss_get_user_settings(client, &json), SS_ERR_DECODE, "the user settings answer is not an object");
    CHECK(json == NULL);
    /* Free-form: handed over as the server sent it. */
    CHECK(inject("GET", path, 200, "{\"default_filter\":\"unread\",\"extra\":[1,2]}", NULL));
    CHECK_RC(ss_get_user_settings(client, &json), SS_OK);
    CHECK(contains(json, "\"default_filter\":\"unread\""));
    CHECK(contains(json, "\"extra\":[1,2]"));
    ss_string_free(json);
}

int main(void) {
    if (!support_setup()) return 2;
    snprintf(g_tag, sizeof g_tag, "t%ldx%ld", (long)getpid(), (long)time(NULL));

    test_null_handles();
    test_contact_edit();

    ss_client *client = login("demo", "demo-password", DEMO_USER_ID);
    ss_client *anonymous = login("demo", "demo-password", 0); /* no user id */
    ss_client *bob = login("bob", "bob-password", BOB_USER_ID);
    ss_client *bob_as_demo = login("bob", "bob-password", DEMO_USER_ID); /* asks for demo's user data */
    char subject[128], guest[128], guid[64];
    snprintf(subject, sizeof subject, "Follow-up %s caf\xc3\xa9", g_tag);
    snprintf(guest, sizeof guest, "gina.%s@example.com", g_tag);
    if (client != NULL && anonymous != NULL && bob != NULL && bob_as_demo != NULL &&
        submit_box(client, subject, guest, 1, 1, 1, guid, sizeof guid)) {
        test_safebox_info(client, bob, guid, subject, guest);
        clear_faults();
        test_safebox_parts(client, bob, guid, subject, guest);
        clear_faults();
        test_read_state(client, guid);
        test_participants(client, bob, guid, guest);
        clear_faults();
        test_locked_down(client);
        test_pages(client, bob);
        clear_faults();
        test_favorites(client, anonymous, bob_as_demo, bob);
        clear_faults();
        test_search(client, bob);
        clear_faults();
        test_consent_group(client, anonymous);
        clear_faults();
        test_user_settings(client, anonymous, bob_as_demo);
        clear_faults();
    } else {
        CHECK(guid[0] != '\0'); /* could not log in or create the SafeBox the tests need */
    }
    ss_client_free(client);
    ss_client_free(anonymous);
    ss_client_free(bob);
    ss_client_free(bob_as_demo);

    support_cleanup();
    return check_summary();
}
