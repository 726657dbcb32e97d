/* The library's log (ss_set_log_callback), against sendsecure-emulator: off by default, one
 * debug line per request, retries at info level, the level filter, turning it off, and never a
 * token or a password in a record.
 *
 * Run by tests/c_api.rs like every tests/c/test_*.c (shared, static, valgrind, C++). */
#include "support.h"

#define MAX_LINES 512

/* The records received; the callback may run on the library's threads. */
typedef struct {
    pthread_mutex_t lock;
    int count;
    int dropped;
    int levels[MAX_LINES];
    char *lines[MAX_LINES];
} log_book;

static log_book g_book = {PTHREAD_MUTEX_INITIALIZER, 0, 0, {0}, {NULL}};

static void on_log(void *user_data, ss_log_level level, const char *message) {
    log_book *book = (log_book *)user_data;
    pthread_mutex_lock(&book->lock);
    if (book->count < MAX_LINES) {
        size_t n = strlen(message) + 1;
        char *copy = (char *)malloc(n);
        if (copy != NULL) memcpy(copy, message, n);
        book->levels[book->count] = (int)level;
        book->lines[book->count++] = copy;
    } else {
        book->dropped++;
    }
    pthread_mutex_unlock(&book->lock);
}

static void book_clear(void) {
    pthread_mutex_lock(&g_book.lock);
    for (int i = 0; i < g_book.count; i++) free(g_book.lines[i]);
    g_book.count = 0;
    g_book.dropped = 0;
    pthread_mutex_unlock(&g_book.lock);
}

/* How many records contain `needle` (at `level`, or any level when 0). */
static int book_count(const char *needle, int level) {
    int n = 0;
    pthread_mutex_lock(&g_book.lock);
    for (int i = 0; i < g_book.count; i++)
        if (contains(g_book.lines[i], needle) && (level == 0 || g_book.levels[i] == level)) n++;
    pthread_mutex_unlock(&g_book.lock);
    return n;
}

/* Whether every record is readable text. */
static int book_readable(void) {
    int ok = 1;
    pthread_mutex_lock(&g_book.lock);
    for (int i = 0; i < g_book.count; i++) ok = ok && g_book.lines[i] != NULL && readable(g_book.lines[i]);
    pthread_mutex_unlock(&g_book.lock);
    return ok;
}

static int book_size(void) {
    pthread_mutex_lock(&g_book.lock);
    int n = g_book.count;
    pthread_mutex_unlock(&g_book.lock);
    return n;
}

static void submit_one(const ss_client *client) {
    ss_safebox *sb = new_safebox(USER_EMAIL);
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, "logged.txt", NULL), SS_OK);
    ss_safebox_response *response = NULL;
    CHECK_RC(ss_submit_safebox(client, sb, NULL, NULL, &response), SS_OK);
    ss_safebox_response_free(response);
    ss_safebox_free(sb);
}

static void test_arguments(void) {
    CHECK_ERR(ss_set_log_callback(on_log, &g_book, 6), SS_ERR_INVALID_ARGUMENT, "max_level");
    CHECK_ERR(ss_set_log_callback(on_log, &g_book, 1000), SS_ERR_INVALID_ARGUMENT, "max_level");
    CHECK_RC(ss_set_log_callback(NULL, NULL, SS_LOG_DEBUG), SS_OK); /* off */
    CHECK_RC(ss_set_log_callback(NULL, NULL, SS_LOG_OFF), SS_OK);
}

static void test_off_by_default_and_off_again(void) {
    /* Nothing was set yet in this process: a login and a call log nothing. */
    ss_user_token *token = demo_token();
    ss_client *client = client_for(ss_user_token_token(token), ss_user_token_user_id(token), 0);
    ss_enterprise_settings *settings = NULL;
    CHECK_RC(ss_get_enterprise_settings(client, &settings), SS_OK);
    ss_enterprise_settings_free(settings);
    CHECK(book_size() == 0);

    /* On, then off: after the call that turns it off, nothing more arrives. */
    CHECK_RC(ss_set_log_callback(on_log, &g_book, SS_LOG_DEBUG), SS_OK);
    settings = NULL;
    CHECK_RC(ss_get_enterprise_settings(client, &settings), SS_OK);
    ss_enterprise_settings_free(settings);
    CHECK(book_count("GET /api/v2/enterprises/acme/settings", SS_LOG_DEBUG) >= 1);
    CHECK_RC(ss_set_log_callback(NULL, NULL, SS_LOG_DEBUG), SS_OK);
    int before = book_size();
    submit_one(client);
    CHECK(book_size() == before);
    book_clear();
    ss_client_free(client);
    ss_user_token_free(token);
}

static void test_records(void) {
    CHECK_RC(ss_set_log_callback(on_log, &g_book, SS_LOG_DEBUG), SS_OK);
    ss_user_token *token = demo_token();
    const char *secret = ss_user_token_token(token);
    ss_client *client = client_for(secret, ss_user_token_user_id(token), 0);
    /* A failed login: its password must not show either. */
    ss_user_token *refused = NULL;
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "not-the-password-42", DEVICE_ID, DEVICE_NAME, NULL, g_url, NULL,
                                NULL, &refused),
              SS_ERR_AUTH, NULL);
    submit_one(client);
    /* One debug line per request: method, path, status, time. */
    CHECK(book_count("POST /api/user_token -> 200", SS_LOG_DEBUG) >= 1);
    CHECK(book_count("POST /api/user_token -> 401", SS_LOG_DEBUG) >= 1);
    CHECK(book_count("GET /api/v2/safeboxes/new", SS_LOG_DEBUG) >= 1);
    CHECK(book_count("POST /api/v2/safeboxes", SS_LOG_DEBUG) >= 1);
    CHECK(book_count(" ms)", SS_LOG_DEBUG) >= 3);
    CHECK(book_count("uploaded an attachment of 5000 bytes", SS_LOG_DEBUG) == 1);
    CHECK(book_count("sendsecure::", 0) == book_size()); /* only the library's own records */
    /* A retried request shows at info level. */
    CHECK(inject("GET", "/api/v2/enterprises/acme/settings", 503, NULL, "busy"));
    ss_enterprise_settings *settings = NULL;
    CHECK_RC(ss_get_enterprise_settings(client, &settings), SS_OK);
    ss_enterprise_settings_free(settings);
    CHECK(book_count("-> 503", SS_LOG_DEBUG) == 1);
    CHECK(book_count("attempt 1 failed (HTTP 503): retrying in", SS_LOG_INFO) == 1);
    /* Never a secret, never a query string. */
    CHECK(book_size() > 5);
    CHECK(book_count(secret, 0) == 0);
    CHECK(book_count("demo-password", 0) == 0);
    CHECK(book_count("not-the-password-42", 0) == 0);
    CHECK(book_count("user_email=", 0) == 0);
    CHECK(book_count("?", 0) == 0);
    CHECK(book_readable());
    CHECK(g_book.dropped == 0);
    book_clear();

    /* The level filter: at info, the requests' lines are gone. */
    CHECK_RC(ss_set_log_callback(on_log, &g_book, SS_LOG_INFO), SS_OK);
    submit_one(client);
    CHECK(book_count("GET ", 0) == 0);
    CHECK(book_size() == 0);
    CHECK_RC(ss_set_log_callback(NULL, NULL, SS_LOG_OFF), SS_OK);
    book_clear();
    clear_faults();
    ss_client_free(client);
    ss_user_token_free(token);
}

/* A callback that changes the log setting from inside itself: turns it off, or hands over to
 * on_log. Records may come from several threads at once. */
typedef struct {
    pthread_mutex_t lock;
    int calls;
    int replace;            /* hand over to on_log instead of turning the log off */
    ss_result rc;           /* what ss_set_log_callback returned inside the callback */
} self_changer;

static void on_log_changing_itself(void *user_data, ss_log_level level, const char *message) {
    (void)level;
    (void)message;
    self_changer *s = (self_changer *)user_data;
    pthread_mutex_lock(&s->lock);
    int first = ++s->calls == 1;
    pthread_mutex_unlock(&s->lock);
    if (!first) return;
    ss_result rc = s->replace ? ss_set_log_callback(on_log, &g_book, SS_LOG_DEBUG)
                              : ss_set_log_callback(NULL, NULL, SS_LOG_OFF);
    pthread_mutex_lock(&s->lock);
    s->rc = rc;
    pthread_mutex_unlock(&s->lock);
}

static int changer_calls(self_changer *s) {
    pthread_mutex_lock(&s->lock);
    int n = s->calls;
    pthread_mutex_unlock(&s->lock);
    return n;
}

static void test_callback_changing_the_setting(void) {
    ss_user_token *token = demo_token();
    ss_client *client = client_for(ss_user_token_token(token), ss_user_token_user_id(token), 0);
    /* It used to deadlock (the callback waited for itself to return): a hang ends the program. */
    alarm(60);
    for (int replace = 0; replace <= 1; replace++) {
        self_changer s;
        memset(&s, 0, sizeof s);
        pthread_mutex_init(&s.lock, NULL);
        s.replace = replace;
        s.rc = SS_ERR_PANIC;
        book_clear();
        CHECK_RC(ss_set_log_callback(on_log_changing_itself, &s, SS_LOG_DEBUG), SS_OK);
        ss_enterprise_settings *settings = NULL;
        CHECK_RC(ss_get_enterprise_settings(client, &settings), SS_OK);
        ss_enterprise_settings_free(settings);
        CHECK(changer_calls(&s) >= 1);
        CHECK(s.rc == SS_OK);
        /* The library's records of a call are made before it returns: after that, the change
         * made from inside the callback holds. */
        int calls = changer_calls(&s);
        submit_one(client);
        CHECK(changer_calls(&s) == calls);
        if (replace)
            CHECK(book_count("POST /api/v2/safeboxes", SS_LOG_DEBUG) >= 1);
        else
            CHECK(book_size() == 0);
        CHECK_RC(ss_set_log_callback(NULL, NULL, SS_LOG_OFF), SS_OK);
        pthread_mutex_destroy(&s.lock);
    }
    alarm(0);
    book_clear();
    ss_client_free(client);
    ss_user_token_free(token);
}

int main(void) {
    if (!support_setup()) return 2;
    test_arguments();
    test_off_by_default_and_off_again();
    test_records();
    test_callback_changing_the_setting();
    support_cleanup();
    return check_summary();
}
