/* The C API of libsendsecure from C, against sendsecure-emulator: the library's basics (versions,
 * results, last error, options), logging in, the client, enterprise settings, security profiles,
 * and creating SafeBoxes (builder, step by step, one call, errors, threads).
 *
 * Run by tests/c_api.rs like every tests/c/test_*.c: built with -Wall -Wextra -Werror against
 * include/sendsecure.h, linked against the shared and the static library, run under valgrind,
 * and compiled as C++17. Between them, the programs call every function of the header.
 *
 * Covers success paths, every pointer argument given as NULL, invalid UTF-8 in every string
 * argument, missing files, aborting and failing callbacks, server errors 400/401/403/404/500 and
 * malformed answers (injected through the emulator's control API, see support.h), the last-error
 * functions, and the thread of the callbacks. */
#include "support.h"

/* ---------------------------------------------------------------------------------------------
 * Functions that need no server */

static void test_version_and_result_strings(void) {
    CHECK_STR(ss_version(), SS_VERSION_STRING);
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", SS_VERSION_MAJOR, SS_VERSION_MINOR, SS_VERSION_PATCH);
    CHECK_STR(ss_version(), expected);

    const char *unknown = ss_result_str(0xFFFFFFFFu);
    CHECK_STR(unknown, "unknown result code");
    CHECK_STR(ss_result_str(19), "unknown result code");
    CHECK_STR(ss_result_str(1000), "unknown result code");
    const uint32_t codes[] = {SS_OK, SS_ERR_NULL_ARGUMENT, SS_ERR_INVALID_UTF8, SS_ERR_INVALID_ARGUMENT,
                              SS_ERR_INVALID_STATE, SS_ERR_PANIC, SS_ERR_RUNTIME, SS_ERR_CONNECT, SS_ERR_TIMEOUT,
                              SS_ERR_HTTP_STATUS, SS_ERR_AUTH, SS_ERR_DECODE, SS_ERR_IO,
                              SS_ERR_ABORTED_BY_CALLBACK, SS_ERR_OUT_OF_RANGE, SS_ERR_CANCELLED, SS_ERR_TLS,
                              SS_ERR_API, SS_ERR_CRYPTO};
    const size_t n = sizeof codes / sizeof codes[0];
    CHECK(n == 19);
    for (size_t i = 0; i < n; i++) {
        const char *s = ss_result_str(codes[i]);
        CHECK(codes[i] == (uint32_t)i); /* never renumbered */
        CHECK(s != NULL && s[0] != '\0');
        CHECK(s != NULL && strcmp(s, "unknown result code") != 0);
        for (size_t j = 0; j < i; j++) CHECK(s != NULL && strcmp(s, ss_result_str(codes[j])) != 0);
    }
    CHECK_STR(ss_result_str(SS_OK), "success");
}

static void test_options_init(void) {
    ss_client_options_init(NULL); /* no-op */
    ss_client_options options;
    memset(&options, 0xAB, sizeof options);
    ss_client_options_init(&options);
    CHECK(options.struct_size == sizeof(ss_client_options));
    CHECK(options.connect_timeout_ms == 30000);
    CHECK(options.request_timeout_ms == 120000);
    CHECK(options.user_id == 0);
    CHECK(options.locale == NULL);
    CHECK(options.ca_file == NULL);
    CHECK(options.upload_concurrency == 8);
}

static void test_null_handles(void) {
    /* Frees of NULL are no-ops. */
    ss_client_free(NULL);
    ss_user_token_free(NULL);
    ss_enterprise_settings_free(NULL);
    ss_security_profile_list_free(NULL);
    ss_security_profile_free(NULL);
    ss_safebox_free(NULL);
    ss_safebox_response_free(NULL);
    ss_string_free(NULL);
    CHECK(1);

    /* Accessors of NULL give their documented NULL / 0 / -1. */
    CHECK(ss_user_token_token(NULL) == NULL);
    CHECK(ss_user_token_user_id(NULL) == 0);
    CHECK(ss_enterprise_settings_default_security_profile_id(NULL) == 0);
    CHECK(ss_enterprise_settings_max_file_size(NULL) == -1);
    CHECK(ss_enterprise_settings_extension_filter_mode(NULL) == NULL);
    CHECK(ss_enterprise_settings_extension_count(NULL) == 0);
    CHECK(ss_enterprise_settings_extension_at(NULL, 0) == NULL);
    CHECK(ss_enterprise_settings_to_json(NULL) == NULL);
    CHECK(ss_security_profile_list_count(NULL) == 0);
    CHECK(ss_security_profile_list_at(NULL, 0) == NULL);
    CHECK(ss_security_profile_id(NULL) == 0);
    CHECK(ss_security_profile_name(NULL) == NULL);
    CHECK(ss_security_profile_description(NULL) == NULL);
    CHECK(ss_security_profile_to_json(NULL) == NULL);
    CHECK(ss_safebox_attachment_count(NULL) == 0);
    CHECK(ss_safebox_guid(NULL) == NULL);
    CHECK(ss_safebox_response_guid(NULL) == NULL);
    CHECK(ss_safebox_response_preview_url(NULL) == NULL);
    CHECK(ss_safebox_response_encryption_key(NULL) == NULL);
    CHECK(ss_safebox_response_to_json(NULL) == NULL);
}

/* The last-error functions: snprintf semantics, reading does not clear, success clears. */
static void test_last_error(void) {
    /* Nothing failed yet on this thread. */
    CHECK(ss_last_error_code() == SS_OK);
    CHECK(ss_last_error_message(NULL, 0) == 0);
    CHECK(ss_last_error_body(NULL, 0) == 0);
    CHECK(ss_last_error_http_status() == 0);
    CHECK(ss_last_error_api_code() == 0);

    ss_safebox *sb = NULL;
    CHECK_ERR(ss_safebox_new(NULL, &sb), SS_ERR_NULL_ARGUMENT, "`user_email`");
    CHECK(sb == NULL);
    size_t n = ss_last_error_message(NULL, 0);
    CHECK(n > 4);
    char full[256];
    CHECK(ss_last_error_message(full, sizeof full) == n);
    CHECK(strlen(full) == n);

    char buf[16];
    memset(buf, '#', sizeof buf);
    CHECK(ss_last_error_message(buf, 0) == n); /* len 0: the length, nothing written */
    CHECK(buf[0] == '#');
    CHECK(ss_last_error_message(NULL, 10) == n); /* NULL buffer: nothing written */
    CHECK(ss_last_error_message(buf, 5) == n);   /* truncated and NUL-terminated */
    CHECK(strlen(buf) == 4);
    CHECK(memcmp(buf, full, 4) == 0);
    CHECK(buf[5] == '#' && buf[15] == '#');      /* nothing written past len */
    memset(buf, '#', sizeof buf);
    CHECK(ss_last_error_message(buf, 1) == n);
    CHECK(buf[0] == '\0' && buf[1] == '#');
    char exact[256];
    CHECK(ss_last_error_message(exact, n + 1) == n); /* exactly enough room */
    CHECK(strcmp(exact, full) == 0);
    CHECK(ss_last_error_message(exact, n) == n);     /* one byte short */
    CHECK(strlen(exact) == n - 1);

    /* Reading does not clear; no HTTP details for a local error. */
    CHECK(ss_last_error_code() == SS_ERR_NULL_ARGUMENT);
    CHECK(ss_last_error_message(NULL, 0) == n);
    CHECK(ss_last_error_http_status() == 0);
    CHECK(ss_last_error_api_code() == 0);
    CHECK(ss_last_error_body(NULL, 0) == 0);

    /* A success clears it. */
    CHECK_RC(ss_safebox_new(USER_EMAIL, &sb), SS_OK);
    CHECK(ss_last_error_code() == SS_OK);
    CHECK(ss_last_error_message(NULL, 0) == 0);
    memset(buf, '#', sizeof buf);
    CHECK(ss_last_error_message(buf, sizeof buf) == 0);
    CHECK(buf[0] == '\0');
    ss_safebox_free(sb);
}

/* ---------------------------------------------------------------------------------------------
 * Logging in */

static void test_get_user_token(void) {
    ss_user_token *token = NULL;
    CHECK_RC(ss_get_user_token(ACCOUNT, "demo", "demo-password", DEVICE_ID, DEVICE_NAME, NULL, g_url, NULL, NULL, &token),
             SS_OK);
    CHECK(token != NULL);
    const char *text = ss_user_token_token(token);
    CHECK(text != NULL && strncmp(text, "USER|", 5) == 0);
    CHECK(ss_user_token_user_id(token) == 1);

    /* The same values give the same token; options and application_type are accepted. */
    ss_client_options options;
    ss_client_options_init(&options);
    options.request_timeout_ms = 60000;
    options.locale = "fr";
    ss_user_token *again = NULL;
    CHECK_RC(ss_get_user_token(ACCOUNT, "demo", "demo-password", DEVICE_ID, DEVICE_NAME, "c-tests", g_url, NULL, &options,
                               &again),
             SS_OK);
    CHECK_STR(ss_user_token_token(again), text);
    ss_user_token_free(again);

    /* Refused logins: 401 with SendSecure's code; the password never shows. */
    ss_user_token *none = NULL;
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "wrong-Secret-42", DEVICE_ID, DEVICE_NAME, NULL, g_url, NULL, NULL, &none),
              SS_ERR_AUTH, "102");
    CHECK(none == NULL);
    CHECK(ss_last_error_api_code() == 102);
    CHECK(ss_last_error_http_status() == 401);
    char message[1024];
    char body[1024];
    ss_last_error_message(message, sizeof message);
    CHECK(!contains(message, "wrong-Secret-42"));
    CHECK(ss_last_error_body(body, sizeof body) > 0);
    CHECK(contains(body, "102"));
    CHECK(!contains(body, "wrong-Secret-42"));

    CHECK_ERR(ss_get_user_token(ACCOUNT, "carol", "carol-password", DEVICE_ID, DEVICE_NAME, NULL, g_url, NULL, NULL, &none),
              SS_ERR_AUTH, "106");
    CHECK(ss_last_error_api_code() == 106);
    CHECK(ss_last_error_http_status() == 401);
    CHECK(none == NULL);
    CHECK_ERR(ss_get_user_token(ACCOUNT, "carol", "carol-password", DEVICE_ID, DEVICE_NAME, NULL, g_url, "000000", NULL,
                                &none),
              SS_ERR_AUTH, NULL);
    CHECK(ss_last_error_api_code() == 102);
    ss_user_token *carol = NULL;
    CHECK_RC(ss_get_user_token(ACCOUNT, "carol", "carol-password", DEVICE_ID, DEVICE_NAME, NULL, g_url, "123456", NULL,
                               &carol),
             SS_OK);
    CHECK(ss_user_token_user_id(carol) == 3);
    CHECK(ss_last_error_api_code() == 0);
    ss_user_token_free(carol);

    /* 400: a missing parameter (code 104). */
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "demo-password", " ", DEVICE_NAME, NULL, g_url, NULL, NULL, &none),
              SS_ERR_AUTH, "104");
    CHECK(ss_last_error_api_code() == 104);
    CHECK(ss_last_error_http_status() == 400);

    /* 404: an unknown account (its discovery fails). */
    CHECK_ERR(ss_get_user_token("no-such-account", "demo", "demo-password", DEVICE_ID, DEVICE_NAME, NULL, g_url, NULL, NULL,
                                &none),
              SS_ERR_HTTP_STATUS, "404");
    CHECK(ss_last_error_http_status() == 404);
    CHECK(ss_last_error_api_code() == 0);
    CHECK(none == NULL);

    /* Injected server errors and a malformed answer. */
    CHECK(inject("POST", "/api/user_token", 500, NULL, NULL));
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "demo-password", DEVICE_ID, DEVICE_NAME, NULL, g_url, NULL, NULL, &none),
              SS_ERR_HTTP_STATUS, "500");
    CHECK(ss_last_error_http_status() == 500);
    CHECK(inject("POST", "/api/user_token", 401, "{\"message\":\"Session expired\"}", NULL));
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "demo-password", DEVICE_ID, DEVICE_NAME, NULL, g_url, NULL, NULL, &none),
              SS_ERR_HTTP_STATUS, "Session expired");
    CHECK(ss_last_error_http_status() == 401);
    CHECK(inject("POST", "/api/user_token", 200, NULL, "{not json"));
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "demo-password", DEVICE_ID, DEVICE_NAME, NULL, g_url, NULL, NULL, &none),
              SS_ERR_DECODE, NULL);
    CHECK(ss_last_error_http_status() == 0);
    CHECK(inject("POST", "/api/user_token", 200, "{\"result\":true}", NULL));
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "demo-password", DEVICE_ID, DEVICE_NAME, NULL, g_url, NULL, NULL, &none),
              SS_ERR_DECODE, "token");
    CHECK(none == NULL);

    /* A time limit: the answer is delayed past request_timeout_ms. */
    CHECK(control("POST", "faults", "{\"kind\":\"delay\",\"method\":\"POST\",\"path\":\"/api/user_token\",\"delay_ms\":3000}",
                  NULL, 0) == 200);
    options.request_timeout_ms = 300;
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "demo-password", DEVICE_ID, DEVICE_NAME, NULL, g_url, NULL, &options,
                                &none),
              SS_ERR_TIMEOUT, NULL);
    options.request_timeout_ms = 120000;

    /* Nothing listens there. */
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "demo-password", DEVICE_ID, DEVICE_NAME, NULL, "http://127.0.0.1:1", NULL,
                                NULL, &none),
              SS_ERR_CONNECT, NULL);

    /* Arguments refused before anything is sent. */
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "pw", "d", "n", NULL, g_url, NULL, NULL, NULL), SS_ERR_NULL_ARGUMENT,
              "`out_token`");
    CHECK_ERR(ss_get_user_token(NULL, "demo", "pw", "d", "n", NULL, g_url, NULL, NULL, &none), SS_ERR_NULL_ARGUMENT,
              "`enterprise_account`");
    CHECK_ERR(ss_get_user_token(ACCOUNT, NULL, "pw", "d", "n", NULL, g_url, NULL, NULL, &none), SS_ERR_NULL_ARGUMENT,
              "`username`");
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", NULL, "d", "n", NULL, g_url, NULL, NULL, &none), SS_ERR_NULL_ARGUMENT,
              "`password`");
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "pw", NULL, "n", NULL, g_url, NULL, NULL, &none), SS_ERR_NULL_ARGUMENT,
              "`device_id`");
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "pw", "d", NULL, NULL, g_url, NULL, NULL, &none), SS_ERR_NULL_ARGUMENT,
              "`device_name`");
    CHECK_ERR(ss_get_user_token(BAD_UTF8, "demo", "pw", "d", "n", NULL, g_url, NULL, NULL, &none), SS_ERR_INVALID_UTF8,
              "`enterprise_account`");
    CHECK_ERR(ss_get_user_token(ACCOUNT, BAD_UTF8, "pw", "d", "n", NULL, g_url, NULL, NULL, &none), SS_ERR_INVALID_UTF8,
              "`username`");
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", BAD_UTF8, "d", "n", NULL, g_url, NULL, NULL, &none), SS_ERR_INVALID_UTF8,
              "`password`");
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "pw", BAD_UTF8, "n", NULL, g_url, NULL, NULL, &none), SS_ERR_INVALID_UTF8,
              "`device_id`");
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "pw", "d", BAD_UTF8, NULL, g_url, NULL, NULL, &none), SS_ERR_INVALID_UTF8,
              "`device_name`");
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "pw", "d", "n", BAD_UTF8, g_url, NULL, NULL, &none), SS_ERR_INVALID_UTF8,
              "`application_type`");
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "pw", "d", "n", NULL, BAD_UTF8, NULL, NULL, &none), SS_ERR_INVALID_UTF8,
              "`endpoint`");
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "pw", "d", "n", NULL, g_url, BAD_UTF8, NULL, &none), SS_ERR_INVALID_UTF8,
              "`one_time_password`");
    options.locale = BAD_UTF8;
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "pw", "d", "n", NULL, g_url, NULL, &options, &none), SS_ERR_INVALID_UTF8,
              "`options->locale`");
    options.locale = NULL;
    options.ca_file = BAD_UTF8;
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "pw", "d", "n", NULL, g_url, NULL, &options, &none), SS_ERR_INVALID_UTF8,
              "`options->ca_file`");
    options.ca_file = "/nonexistent/ca.pem";
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "pw", "d", "n", NULL, g_url, NULL, &options, &none), SS_ERR_IO,
              "/nonexistent/ca.pem");
    options.ca_file = NULL;
    options.struct_size = 0;
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "pw", "d", "n", NULL, g_url, NULL, &options, &none),
              SS_ERR_INVALID_ARGUMENT, "struct_size");
    CHECK_ERR(ss_get_user_token("", "demo", "pw", "d", "n", NULL, g_url, NULL, NULL, &none), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK_ERR(ss_get_user_token(ACCOUNT, "", "pw", "d", "n", NULL, g_url, NULL, NULL, &none), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK_ERR(ss_get_user_token(ACCOUNT, "demo", "pw", "d", "n", NULL, "not a url", NULL, NULL, &none),
              SS_ERR_INVALID_ARGUMENT, "endpoint");
    CHECK(none == NULL);

    /* The token stays usable after all those failures. */
    CHECK(strncmp(ss_user_token_token(token), "USER|", 5) == 0);
    ss_user_token_free(token);
}

/* ---------------------------------------------------------------------------------------------
 * Clients */

static void test_client_new(const ss_user_token *token) {
    const char *text = ss_user_token_token(token);
    ss_client *client = NULL;

    /* Without options, and with the default endpoint (nothing is sent yet). */
    CHECK_RC(ss_client_new(text, ACCOUNT, g_url, NULL, &client), SS_OK);
    CHECK(client != NULL);
    ss_client_free(client);
    client = NULL;
    CHECK_RC(ss_client_new(text, ACCOUNT, NULL, NULL, &client), SS_OK);
    ss_client_free(client);
    client = NULL;

    /* With every option; and with an older, shorter options struct. */
    ss_client_options options;
    ss_client_options_init(&options);
    options.connect_timeout_ms = 5000;
    options.request_timeout_ms = 0;
    options.user_id = ss_user_token_user_id(token);
    options.locale = "fr";
    CHECK_RC(ss_client_new(text, ACCOUNT, g_url, &options, &client), SS_OK);
    ss_enterprise_settings *settings = NULL;
    CHECK_RC(ss_get_enterprise_settings(client, &settings), SS_OK);
    ss_enterprise_settings_free(settings);
    ss_client_free(client);
    client = NULL;
    options.struct_size = (uint32_t)offsetof(ss_client_options, user_id);
    options.locale = BAD_UTF8; /* not covered by struct_size: never read */
    CHECK_RC(ss_client_new(text, ACCOUNT, g_url, &options, &client), SS_OK);
    ss_client_free(client);
    client = NULL;

    /* struct_size not set. */
    ss_client_options_init(&options);
    options.struct_size = 0;
    CHECK_ERR(ss_client_new(text, ACCOUNT, g_url, &options, &client), SS_ERR_INVALID_ARGUMENT, "struct_size");
    CHECK(client == NULL);

    ss_client_options_init(&options);
    CHECK_ERR(ss_client_new(text, ACCOUNT, g_url, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`out_client`");
    CHECK_ERR(ss_client_new(NULL, ACCOUNT, g_url, NULL, &client), SS_ERR_NULL_ARGUMENT, "`api_token`");
    CHECK_ERR(ss_client_new(text, NULL, g_url, NULL, &client), SS_ERR_NULL_ARGUMENT, "`enterprise_account`");
    CHECK_ERR(ss_client_new(BAD_UTF8, ACCOUNT, g_url, NULL, &client), SS_ERR_INVALID_UTF8, "`api_token`");
    CHECK_ERR(ss_client_new(text, BAD_UTF8, g_url, NULL, &client), SS_ERR_INVALID_UTF8, "`enterprise_account`");
    CHECK_ERR(ss_client_new(text, ACCOUNT, BAD_UTF8, NULL, &client), SS_ERR_INVALID_UTF8, "`endpoint`");
    options.locale = BAD_UTF8;
    CHECK_ERR(ss_client_new(text, ACCOUNT, g_url, &options, &client), SS_ERR_INVALID_UTF8, "`options->locale`");
    options.locale = NULL;
    options.ca_file = BAD_UTF8;
    CHECK_ERR(ss_client_new(text, ACCOUNT, g_url, &options, &client), SS_ERR_INVALID_UTF8, "`options->ca_file`");
    options.ca_file = "/nonexistent/ca.pem";
    CHECK_ERR(ss_client_new(text, ACCOUNT, g_url, &options, &client), SS_ERR_IO, "/nonexistent/ca.pem");
    options.ca_file = NULL;
    CHECK_ERR(ss_client_new("", ACCOUNT, g_url, NULL, &client), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK_ERR(ss_client_new(text, " ", g_url, NULL, &client), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK_ERR(ss_client_new(text, ACCOUNT, "ftp://example.com", NULL, &client), SS_ERR_INVALID_ARGUMENT, "endpoint");
    CHECK(client == NULL);
    /* The message never contains the token. */
    char message[1024];
    CHECK_ERR(ss_client_new(text, ACCOUNT, "no url", NULL, &client), SS_ERR_INVALID_ARGUMENT, NULL);
    ss_last_error_message(message, sizeof message);
    CHECK(!contains(message, text + 5));
}

/* ---------------------------------------------------------------------------------------------
 * Enterprise settings */

static void test_enterprise_settings(const ss_client *client) {
    ss_enterprise_settings *settings = NULL;
    CHECK_RC(ss_get_enterprise_settings(client, &settings), SS_OK);
    CHECK(settings != NULL);
    CHECK(ss_enterprise_settings_default_security_profile_id(settings) == 1);
    CHECK(ss_enterprise_settings_max_file_size(settings) == -1);
    CHECK_STR(ss_enterprise_settings_extension_filter_mode(settings), "forbid");
    size_t count = ss_enterprise_settings_extension_count(settings);
    CHECK(count == 3);
    int bat = 0, bin = 0, exe = 0;
    for (size_t i = 0; i < count; i++) {
        const char *ext = ss_enterprise_settings_extension_at(settings, i);
        CHECK(ext != NULL);
        if (ext == NULL) continue;
        bat += strcmp(ext, "bat") == 0;
        bin += strcmp(ext, "bin") == 0;
        exe += strcmp(ext, "exe") == 0;
    }
    CHECK(bat == 1 && bin == 1 && exe == 1);
    CHECK(ss_enterprise_settings_extension_at(settings, count) == NULL);
    CHECK(ss_enterprise_settings_extension_at(settings, SIZE_MAX) == NULL);
    CHECK(contains(ss_enterprise_settings_to_json(settings), "\"extension_filter\""));
    CHECK(contains(ss_enterprise_settings_to_json(settings), "\"default_security_profile_id\""));
    ss_enterprise_settings_free(settings);

    /* Other values the server may send: an allow list, a size limit, no default profile. */
    CHECK(inject("GET", "/api/v2/enterprises", 200,
                 "{\"default_security_profile_id\":null,\"max_file_size_value\":100,\"max_file_size_unit\":\"MB\","
                 "\"extension_filter\":{\"mode\":\"allow\",\"list\":[\"pdf\"]}}",
                 NULL));
    CHECK_RC(ss_get_enterprise_settings(client, &settings), SS_OK);
    CHECK(ss_enterprise_settings_default_security_profile_id(settings) == 0);
    CHECK(ss_enterprise_settings_max_file_size(settings) == 100 * 1024 * 1024);
    CHECK_STR(ss_enterprise_settings_extension_filter_mode(settings), "allow");
    CHECK(ss_enterprise_settings_extension_count(settings) == 1);
    CHECK_STR(ss_enterprise_settings_extension_at(settings, 0), "pdf");
    CHECK(ss_enterprise_settings_extension_at(settings, 1) == NULL);
    ss_enterprise_settings_free(settings);
    CHECK(inject("GET", "/api/v2/enterprises", 200,
                 "{\"default_security_profile_id\":1,\"max_file_size_value\":9223372036854775807,"
                 "\"max_file_size_unit\":\"GB\"}",
                 NULL));
    CHECK_RC(ss_get_enterprise_settings(client, &settings), SS_OK);
    CHECK(ss_enterprise_settings_max_file_size(settings) == INT64_MAX); /* saturates */
    CHECK(ss_enterprise_settings_extension_count(settings) == 0);
    CHECK(ss_enterprise_settings_extension_at(settings, 0) == NULL);
    CHECK(ss_enterprise_settings_extension_filter_mode(settings) != NULL);
    ss_enterprise_settings_free(settings);

    ss_enterprise_settings *none = NULL;
    CHECK_ERR(ss_get_enterprise_settings(NULL, &none), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_get_enterprise_settings(client, NULL), SS_ERR_NULL_ARGUMENT, "`out_settings`");

    /* Server errors, with their status and body. */
    char body[1024];
    CHECK(inject("GET", "/api/v2/enterprises", 500, NULL, NULL));
    CHECK_ERR(ss_get_enterprise_settings(client, &none), SS_ERR_HTTP_STATUS, "500");
    CHECK(ss_last_error_http_status() == 500);
    CHECK(ss_last_error_api_code() == 0);
    CHECK(inject("GET", "/api/v2/enterprises", 401, "{\"message\":\"Invalid token\"}", NULL));
    CHECK_ERR(ss_get_enterprise_settings(client, &none), SS_ERR_HTTP_STATUS, "Invalid token");
    CHECK(ss_last_error_http_status() == 401);
    CHECK(inject("GET", "/api/v2/enterprises", 404, NULL, NULL));
    CHECK_ERR(ss_get_enterprise_settings(client, &none), SS_ERR_HTTP_STATUS, "404");
    CHECK(ss_last_error_http_status() == 404);
    CHECK(inject("GET", "/api/v2/enterprises", 400,
                 "{\"error\":\"Some entered values are incorrect.\",\"attributes\":{\"locale\":[\"is invalid\"]}}", NULL));
    CHECK_ERR(ss_get_enterprise_settings(client, &none), SS_ERR_HTTP_STATUS, "Some entered values are incorrect.");
    CHECK(ss_last_error_http_status() == 400);
    size_t n = ss_last_error_body(NULL, 0);
    CHECK(n > 0);
    CHECK(ss_last_error_body(body, sizeof body) == n);
    CHECK(contains(body, "\"attributes\""));
    CHECK(ss_last_error_body(body, 8) == n); /* truncated like snprintf */
    CHECK(strlen(body) == 7);
    CHECK(ss_last_error_body(NULL, 8) == n);
    body[0] = '#';
    CHECK(ss_last_error_body(body, 0) == n && body[0] == '#');
    CHECK(inject("GET", "/api/v2/enterprises", 200, NULL, "{not json"));
    CHECK_ERR(ss_get_enterprise_settings(client, &none), SS_ERR_DECODE, NULL);
    CHECK(ss_last_error_http_status() == 0);
    CHECK(ss_last_error_body(NULL, 0) == 0);
    CHECK(inject("GET", "/api/v2/enterprises", 200, "[1,2,3]", NULL));
    CHECK_ERR(ss_get_enterprise_settings(client, &none), SS_ERR_DECODE, NULL);
    CHECK(none == NULL);

    /* 403: a token the server does not know. */
    ss_client *stranger = client_for("USER|not-a-real-token", 1, 0);
    CHECK_ERR(ss_get_enterprise_settings(stranger, &none), SS_ERR_HTTP_STATUS, "Access denied");
    CHECK(ss_last_error_http_status() == 403);
    CHECK(ss_last_error_body(body, sizeof body) > 0);
    CHECK(contains(body, "Access denied"));
    ss_client_free(stranger);

    /* A success clears everything. */
    CHECK_RC(ss_get_enterprise_settings(client, &settings), SS_OK);
    CHECK(ss_last_error_http_status() == 0);
    CHECK(ss_last_error_body(NULL, 0) == 0);
    ss_enterprise_settings_free(settings);
}

/* ---------------------------------------------------------------------------------------------
 * Security profiles */

static void test_security_profiles(const ss_client *client) {
    ss_security_profile_list *list = NULL;
    CHECK_RC(ss_get_security_profiles(client, USER_EMAIL, &list), SS_OK);
    size_t count = ss_security_profile_list_count(list);
    CHECK(count == 3);
    int found = 0;
    for (size_t i = 0; i < count; i++) {
        const ss_security_profile *p = ss_security_profile_list_at(list, i);
        CHECK(p != NULL);
        if (p == NULL) continue;
        int64_t id = ss_security_profile_id(p);
        const char *name = ss_security_profile_name(p);
        CHECK(ss_security_profile_description(p) != NULL);
        CHECK(contains(ss_security_profile_to_json(p), "\"reply_enabled\""));
        if (id == 1) found += CHECK_STR(name, "Default");
        if (id == 10) found += CHECK_STR(name, "email-only");
        if (id == 20) found += CHECK_STR(name, "locked-down");
    }
    CHECK(found == 3);
    CHECK(ss_security_profile_list_at(list, count) == NULL);
    CHECK(ss_security_profile_list_at(list, SIZE_MAX) == NULL);
    ss_security_profile_list_free(list);

    ss_security_profile *profile = NULL;
    CHECK_RC(ss_get_default_security_profile(client, USER_EMAIL, &profile), SS_OK);
    CHECK(ss_security_profile_id(profile) == 1);
    CHECK_STR(ss_security_profile_name(profile), "Default");
    CHECK(ss_security_profile_description(profile) != NULL);
    CHECK(contains(ss_security_profile_to_json(profile), "\"modifiable\""));
    ss_security_profile_free(profile);

    ss_security_profile_list *no_list = NULL;
    ss_security_profile *no_profile = NULL;
    /* 403: an e-mail outside the account. */
    CHECK_ERR(ss_get_security_profiles(client, "stranger@elsewhere.example", &no_list), SS_ERR_HTTP_STATUS,
              "Access denied");
    CHECK(ss_last_error_http_status() == 403);
    CHECK_ERR(ss_get_default_security_profile(client, "stranger@elsewhere.example", &no_profile), SS_ERR_HTTP_STATUS,
              "Access denied");
    CHECK(ss_last_error_http_status() == 403);
    /* Server errors and malformed answers. */
    CHECK(inject("GET", "/api/v2/enterprises", 500, NULL, NULL));
    CHECK_ERR(ss_get_security_profiles(client, USER_EMAIL, &no_list), SS_ERR_HTTP_STATUS, "500");
    CHECK(inject("GET", "/api/v2/enterprises", 200, NULL, "{not json"));
    CHECK_ERR(ss_get_security_profiles(client, USER_EMAIL, &no_list), SS_ERR_DECODE, NULL);
    CHECK(inject("GET", "/api/v2/enterprises", 200, "{\"profiles\":[]}", NULL));
    CHECK_ERR(ss_get_security_profiles(client, USER_EMAIL, &no_list), SS_ERR_DECODE, "security_profiles");
    CHECK(inject("GET", "/api/v2/enterprises", 500, NULL, NULL));
    CHECK_ERR(ss_get_default_security_profile(client, USER_EMAIL, &no_profile), SS_ERR_HTTP_STATUS, "500");
    CHECK(inject("GET", "/api/v2/enterprises", 200, NULL, "{not json"));
    CHECK_ERR(ss_get_default_security_profile(client, USER_EMAIL, &no_profile), SS_ERR_DECODE, NULL);
    /* No default profile. */
    CHECK(inject("GET", "/api/v2/enterprises", 200, "{\"default_security_profile_id\":null}", NULL));
    CHECK_ERR(ss_get_default_security_profile(client, USER_EMAIL, &no_profile), SS_ERR_INVALID_ARGUMENT,
              "No Security Profile configured");

    CHECK_ERR(ss_get_security_profiles(NULL, USER_EMAIL, &no_list), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_get_security_profiles(client, NULL, &no_list), SS_ERR_NULL_ARGUMENT, "`user_email`");
    CHECK_ERR(ss_get_security_profiles(client, USER_EMAIL, NULL), SS_ERR_NULL_ARGUMENT, "`out_list`");
    CHECK_ERR(ss_get_security_profiles(client, BAD_UTF8, &no_list), SS_ERR_INVALID_UTF8, "`user_email`");
    CHECK_ERR(ss_get_security_profiles(client, "", &no_list), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK_ERR(ss_get_default_security_profile(NULL, USER_EMAIL, &no_profile), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_get_default_security_profile(client, NULL, &no_profile), SS_ERR_NULL_ARGUMENT, "`user_email`");
    CHECK_ERR(ss_get_default_security_profile(client, USER_EMAIL, NULL), SS_ERR_NULL_ARGUMENT, "`out_profile`");
    CHECK_ERR(ss_get_default_security_profile(client, BAD_UTF8, &no_profile), SS_ERR_INVALID_UTF8, "`user_email`");
    CHECK(no_list == NULL && no_profile == NULL);
    ss_security_profile_list_free(no_list);
    ss_security_profile_free(no_profile);
}

/* ---------------------------------------------------------------------------------------------
 * Building a SafeBox (no server) */

static void test_safebox_builder(void) {
    ss_safebox *none = NULL;
    CHECK_ERR(ss_safebox_new(USER_EMAIL, NULL), SS_ERR_NULL_ARGUMENT, "`out_safebox`");
    CHECK_ERR(ss_safebox_new(NULL, &none), SS_ERR_NULL_ARGUMENT, "`user_email`");
    CHECK_ERR(ss_safebox_new(BAD_UTF8, &none), SS_ERR_INVALID_UTF8, "`user_email`");
    CHECK_ERR(ss_safebox_new(" ", &none), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK(none == NULL);

    ss_safebox *sb = NULL;
    CHECK_RC(ss_safebox_new(USER_EMAIL, &sb), SS_OK);
    CHECK(ss_safebox_guid(sb) == NULL);
    CHECK(ss_safebox_attachment_count(sb) == 0);

    /* Text setters: copied, NULL clears, NULL handle and bad UTF-8 refused. */
    CHECK_RC(ss_safebox_set_subject(sb, "Subject: caf\xc3\xa9"), SS_OK);
    CHECK_RC(ss_safebox_set_message(sb, "Message body"), SS_OK);
    CHECK_ERR(ss_safebox_set_subject(NULL, "x"), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_set_message(NULL, "x"), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_set_subject(sb, BAD_UTF8), SS_ERR_INVALID_UTF8, "`value`");
    CHECK_ERR(ss_safebox_set_message(sb, BAD_UTF8), SS_ERR_INVALID_UTF8, "`value`");
    CHECK_RC(ss_safebox_set_notification_language(sb, "fr"), SS_OK);
    CHECK_ERR(ss_safebox_set_notification_language(NULL, "fr"), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_set_notification_language(sb, NULL), SS_ERR_NULL_ARGUMENT, "`language`");
    CHECK_ERR(ss_safebox_set_notification_language(sb, BAD_UTF8), SS_ERR_INVALID_UTF8, "`language`");

    /* Profile and boolean options. */
    CHECK_RC(ss_safebox_set_security_profile_id(sb, 1), SS_OK);
    CHECK_ERR(ss_safebox_set_security_profile_id(NULL, 1), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_RC(ss_safebox_set_email_notification_enabled(sb, false), SS_OK);
    CHECK_RC(ss_safebox_set_reply_enabled(sb, true), SS_OK);
    CHECK_RC(ss_safebox_set_group_replies(sb, false), SS_OK);
    CHECK_RC(ss_safebox_set_encrypt_message(sb, true), SS_OK);
    CHECK_RC(ss_safebox_set_double_encryption(sb, false), SS_OK);
    CHECK_ERR(ss_safebox_set_email_notification_enabled(NULL, true), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_set_reply_enabled(NULL, true), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_set_group_replies(NULL, true), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_set_encrypt_message(NULL, true), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_set_double_encryption(NULL, true), SS_ERR_NULL_ARGUMENT, "`safebox`");

    /* Expiration and retention. */
    CHECK_RC(ss_safebox_set_expiration(sb, 3, "days"), SS_OK);
    CHECK_ERR(ss_safebox_set_expiration(NULL, 3, "days"), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_set_expiration(sb, 3, NULL), SS_ERR_NULL_ARGUMENT, "`unit`");
    CHECK_ERR(ss_safebox_set_expiration(sb, 3, BAD_UTF8), SS_ERR_INVALID_UTF8, "`unit`");
    CHECK_ERR(ss_safebox_set_expiration(sb, 3, "fortnights"), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK_ERR(ss_safebox_set_expiration(sb, 0, "days"), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK_RC(ss_safebox_set_retention(sb, "retain_at_expiration", 2, "years"), SS_OK);
    CHECK_RC(ss_safebox_set_retention(sb, "discard_at_expiration", 0, NULL), SS_OK);
    CHECK_ERR(ss_safebox_set_retention(NULL, "do_not_discard", 0, NULL), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_set_retention(sb, NULL, 0, NULL), SS_ERR_NULL_ARGUMENT, "`retention_type`");
    CHECK_ERR(ss_safebox_set_retention(sb, BAD_UTF8, 0, NULL), SS_ERR_INVALID_UTF8, "`retention_type`");
    CHECK_ERR(ss_safebox_set_retention(sb, "retain_at_expiration", 2, BAD_UTF8), SS_ERR_INVALID_UTF8, "`unit`");
    CHECK_ERR(ss_safebox_set_retention(sb, "keep_forever", 0, NULL), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK_ERR(ss_safebox_set_retention(sb, "retain_at_expiration", 2, "centuries"), SS_ERR_INVALID_ARGUMENT, NULL);

    /* Recipients. */
    ss_recipient *r = NULL;
    CHECK_RC(ss_safebox_add_recipient(sb, "john.smith@example.com", &r), SS_OK);
    CHECK(r != NULL);
    CHECK_RC(ss_safebox_add_recipient(sb, "second@example.com", NULL), SS_OK); /* out_recipient is optional */
    ss_recipient *no_r = NULL;
    CHECK_ERR(ss_safebox_add_recipient(NULL, "x@example.com", &no_r), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_add_recipient(sb, NULL, &no_r), SS_ERR_NULL_ARGUMENT, "`email`");
    CHECK_ERR(ss_safebox_add_recipient(sb, BAD_UTF8, &no_r), SS_ERR_INVALID_UTF8, "`email`");
    CHECK_ERR(ss_safebox_add_recipient(sb, "", &no_r), SS_ERR_INVALID_ARGUMENT, "Participant email cannot be null");
    CHECK(no_r == NULL);
    CHECK_RC(ss_recipient_set_first_name(r, "John"), SS_OK);
    CHECK_RC(ss_recipient_set_last_name(r, "Smith"), SS_OK);
    CHECK_RC(ss_recipient_set_company_name(r, "Acme"), SS_OK);
    CHECK_ERR(ss_recipient_set_first_name(NULL, "x"), SS_ERR_NULL_ARGUMENT, "`recipient`");
    CHECK_ERR(ss_recipient_set_last_name(NULL, "x"), SS_ERR_NULL_ARGUMENT, "`recipient`");
    CHECK_ERR(ss_recipient_set_company_name(NULL, "x"), SS_ERR_NULL_ARGUMENT, "`recipient`");
    CHECK_ERR(ss_recipient_set_first_name(r, BAD_UTF8), SS_ERR_INVALID_UTF8, "`value`");
    CHECK_ERR(ss_recipient_set_last_name(r, BAD_UTF8), SS_ERR_INVALID_UTF8, "`value`");
    CHECK_ERR(ss_recipient_set_company_name(r, BAD_UTF8), SS_ERR_INVALID_UTF8, "`value`");
    CHECK_RC(ss_recipient_add_contact_method(r, "+15145550000", SS_DESTINATION_CELL), SS_OK);
    CHECK_RC(ss_recipient_add_contact_method(r, "514-555-0001", SS_DESTINATION_HOME), SS_OK);
    CHECK_RC(ss_recipient_add_contact_method(r, "514-555-0002", SS_DESTINATION_OFFICE), SS_OK);
    CHECK_RC(ss_recipient_add_contact_method(r, "514-555-0003", SS_DESTINATION_OTHER), SS_OK);
    CHECK_ERR(ss_recipient_add_contact_method(NULL, "+15145550000", SS_DESTINATION_CELL), SS_ERR_NULL_ARGUMENT,
              "`recipient`");
    CHECK_ERR(ss_recipient_add_contact_method(r, NULL, SS_DESTINATION_CELL), SS_ERR_NULL_ARGUMENT, "`destination`");
    CHECK_ERR(ss_recipient_add_contact_method(r, BAD_UTF8, SS_DESTINATION_CELL), SS_ERR_INVALID_UTF8, "`destination`");
    CHECK_ERR(ss_recipient_add_contact_method(r, "", SS_DESTINATION_CELL), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK_ERR(ss_recipient_add_contact_method(r, "+15145550000", 99), SS_ERR_INVALID_ARGUMENT, "99");

    /* Attachments: a file, bytes, a stream. */
    CHECK_RC(ss_safebox_add_attachment_file(sb, g_file, NULL, NULL), SS_OK);
    CHECK_RC(ss_safebox_add_attachment_file(sb, g_file, "application/x-test", "renamed.txt"), SS_OK);
    char missing[700];
    snprintf(missing, sizeof missing, "%s/missing.pdf", g_dir);
    CHECK_ERR(ss_safebox_add_attachment_file(sb, missing, NULL, NULL), SS_ERR_IO, "missing.pdf");
    CHECK_ERR(ss_safebox_add_attachment_file(sb, g_dir, NULL, NULL), SS_ERR_IO, NULL); /* not a regular file */
    CHECK_ERR(ss_safebox_add_attachment_file(NULL, g_file, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_add_attachment_file(sb, NULL, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`path`");
    CHECK_ERR(ss_safebox_add_attachment_file(sb, BAD_UTF8, NULL, NULL), SS_ERR_INVALID_UTF8, "`path`");
    CHECK_ERR(ss_safebox_add_attachment_file(sb, g_file, BAD_UTF8, NULL), SS_ERR_INVALID_UTF8, "`content_type`");
    CHECK_ERR(ss_safebox_add_attachment_file(sb, g_file, NULL, BAD_UTF8), SS_ERR_INVALID_UTF8, "`file_name`");

    CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, "notes.txt", NULL), SS_OK);
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, NULL, 0, "empty.txt", "text/plain"), SS_OK);
    CHECK_ERR(ss_safebox_add_attachment_bytes(NULL, g_bytes, 1, "a.txt", NULL), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_add_attachment_bytes(sb, NULL, 1, "a.txt", NULL), SS_ERR_NULL_ARGUMENT, "`data`");
    CHECK_ERR(ss_safebox_add_attachment_bytes(sb, g_bytes, 1, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`file_name`");
    CHECK_ERR(ss_safebox_add_attachment_bytes(sb, g_bytes, 1, BAD_UTF8, NULL), SS_ERR_INVALID_UTF8, "`file_name`");
    CHECK_ERR(ss_safebox_add_attachment_bytes(sb, g_bytes, 1, "a.txt", BAD_UTF8), SS_ERR_INVALID_UTF8, "`content_type`");
    CHECK_ERR(ss_safebox_add_attachment_bytes(sb, g_bytes, 1, "", NULL), SS_ERR_INVALID_ARGUMENT, NULL);

    /* An open descriptor: duplicated, so it may be closed at once. */
    int fd = open(g_file, O_RDONLY);
    CHECK(fd >= 0);
    CHECK_RC(ss_safebox_add_attachment_fd(sb, fd, "from-fd.pdf", NULL), SS_OK);
    CHECK(close(fd) == 0);
    fd = open(g_file, O_RDONLY);
    CHECK_ERR(ss_safebox_add_attachment_fd(NULL, fd, "a.pdf", NULL), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_add_attachment_fd(sb, fd, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`file_name`");
    CHECK_ERR(ss_safebox_add_attachment_fd(sb, fd, BAD_UTF8, NULL), SS_ERR_INVALID_UTF8, "`file_name`");
    CHECK_ERR(ss_safebox_add_attachment_fd(sb, fd, "a.pdf", BAD_UTF8), SS_ERR_INVALID_UTF8, "`content_type`");
    CHECK_ERR(ss_safebox_add_attachment_fd(sb, fd, "", NULL), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK(close(fd) == 0);
    CHECK_ERR(ss_safebox_add_attachment_fd(sb, -1, "a.pdf", NULL), SS_ERR_IO, "`fd`");
    CHECK_ERR(ss_safebox_add_attachment_fd(sb, 1000000, "closed.pdf", NULL), SS_ERR_IO, "`fd`"); /* not open */
    int pipe_fds[2];
    CHECK(pipe(pipe_fds) == 0);
    CHECK_ERR(ss_safebox_add_attachment_fd(sb, pipe_fds[0], "pipe.txt", NULL), SS_ERR_IO, NULL); /* cannot seek */
    close(pipe_fds[0]);
    close(pipe_fds[1]);

    stream_source src;
    stream_init(&src, g_stream_data, STREAM_SIZE);
    CHECK_RC(ss_safebox_add_attachment_stream(sb, on_read, &src, STREAM_SIZE, "stream.dat", NULL), SS_OK);
    CHECK_RC(ss_safebox_add_attachment_stream(sb, on_read, NULL, 0, "nothing.dat", "application/octet-stream"), SS_OK);
    CHECK_ERR(ss_safebox_add_attachment_stream(NULL, on_read, &src, 1, "s.dat", NULL), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_add_attachment_stream(sb, NULL, &src, 1, "s.dat", NULL), SS_ERR_NULL_ARGUMENT, "`read`");
    CHECK_ERR(ss_safebox_add_attachment_stream(sb, on_read, &src, 1, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`file_name`");
    CHECK_ERR(ss_safebox_add_attachment_stream(sb, on_read, &src, 1, BAD_UTF8, NULL), SS_ERR_INVALID_UTF8, "`file_name`");
    CHECK_ERR(ss_safebox_add_attachment_stream(sb, on_read, &src, 1, "s.dat", BAD_UTF8), SS_ERR_INVALID_UTF8,
              "`content_type`");
    CHECK_ERR(ss_safebox_add_attachment_stream(sb, on_read, &src, 1, "", NULL), SS_ERR_INVALID_ARGUMENT, NULL);
    CHECK(ss_safebox_attachment_count(sb) == 7);
    CHECK(src.calls == 0); /* streams are read when uploaded, not before */

    /* The commit JSON as it stands; a string the caller frees. */
    char *json = NULL;
    CHECK_RC(ss_safebox_to_json(sb, &json), SS_OK);
    CHECK(contains(json, "\"safebox\""));
    CHECK(contains(json, "Subject: caf\xc3\xa9"));
    CHECK(contains(json, "john.smith@example.com"));
    CHECK(contains(json, "second@example.com"));
    CHECK(contains(json, "\"first_name\":\"John\""));
    CHECK(contains(json, "Acme"));
    CHECK(contains(json, "+15145550000"));
    CHECK(contains(json, "cell_phone"));
    CHECK(contains(json, "\"notification_language\":\"fr\""));
    CHECK(contains(json, "\"security_profile_id\":1"));
    CHECK(contains(json, "\"reply_enabled\":true"));
    CHECK(contains(json, "\"double_encryption\":false"));
    CHECK(contains(json, "\"expiration_unit\":\"days\""));
    CHECK(contains(json, "discard_at_expiration"));
    ss_string_free(json);
    json = NULL;
    /* NULL clears a text value. */
    CHECK_RC(ss_safebox_set_subject(sb, NULL), SS_OK);
    CHECK_RC(ss_safebox_set_message(sb, NULL), SS_OK);
    CHECK_RC(ss_recipient_set_first_name(r, NULL), SS_OK);
    CHECK_RC(ss_recipient_set_last_name(r, NULL), SS_OK);
    CHECK_RC(ss_recipient_set_company_name(r, NULL), SS_OK);
    CHECK_RC(ss_safebox_to_json(sb, &json), SS_OK);
    CHECK(!contains(json, "Subject: caf\xc3\xa9"));
    CHECK(!contains(json, "Message body"));
    CHECK(!contains(json, "John"));
    CHECK(!contains(json, "Smith"));
    CHECK(!contains(json, "Acme"));
    ss_string_free(json);
    char *no_json = NULL;
    CHECK_ERR(ss_safebox_to_json(NULL, &no_json), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_safebox_to_json(sb, NULL), SS_ERR_NULL_ARGUMENT, "`out_json`");
    CHECK(no_json == NULL);

    /* Freed with its recipients and attachments, never uploaded. */
    ss_safebox_free(sb);
}


/* Initialize, upload (aborted, then with progress), commit: on the main thread. */
static void test_step_by_step(const ss_client *client) {
    ss_safebox *sb = new_safebox(USER_EMAIL);
    ss_recipient *r = NULL;
    CHECK_RC(ss_safebox_add_recipient(sb, "john.smith@example.com", &r), SS_OK);
    CHECK_RC(ss_recipient_set_first_name(r, "John"), SS_OK);
    CHECK_RC(ss_recipient_add_contact_method(r, "+15145550000", SS_DESTINATION_CELL), SS_OK);
    CHECK_RC(ss_safebox_set_security_profile_id(sb, 1), SS_OK);
    CHECK_RC(ss_safebox_set_notification_language(sb, "fr"), SS_OK);
    CHECK_RC(ss_safebox_set_email_notification_enabled(sb, false), SS_OK);
    CHECK_RC(ss_safebox_set_reply_enabled(sb, true), SS_OK);
    CHECK_RC(ss_safebox_set_group_replies(sb, true), SS_OK);
    CHECK_RC(ss_safebox_set_encrypt_message(sb, true), SS_OK);
    CHECK_RC(ss_safebox_set_double_encryption(sb, true), SS_OK);
    CHECK_RC(ss_safebox_set_expiration(sb, 3, "days"), SS_OK);
    CHECK_RC(ss_safebox_set_retention(sb, "retain_at_expiration", 1, "months"), SS_OK);
    CHECK_RC(ss_safebox_add_attachment_file(sb, g_file, NULL, NULL), SS_OK);
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, "notes.txt", "text/plain"), SS_OK);
    stream_source src;
    stream_init(&src, g_stream_data, STREAM_SIZE);
    CHECK_RC(ss_safebox_add_attachment_stream(sb, on_read, &src, STREAM_SIZE, "stream.dat", NULL), SS_OK);
    const uint64_t total = FILE_SIZE + BYTES_SIZE + STREAM_SIZE;

    /* Out of order. */
    ss_safebox_response *response = NULL;
    CHECK_ERR(ss_upload_attachments(client, sb, NULL, NULL), SS_ERR_INVALID_STATE, "initialize");
    CHECK_ERR(ss_commit_safebox(client, sb, &response), SS_ERR_INVALID_ARGUMENT, "SafeBox GUID cannot be null");
    CHECK(response == NULL);

    /* Initialize: a GUID; twice is refused. */
    CHECK_ERR(ss_initialize_safebox(NULL, sb), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_initialize_safebox(client, NULL), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_RC(ss_initialize_safebox(client, sb), SS_OK);
    const char *guid = ss_safebox_guid(sb);
    CHECK(guid != NULL && strlen(guid) == 32);
    char saved_guid[64];
    snprintf(saved_guid, sizeof saved_guid, "%s", guid ? guid : "");
    CHECK_ERR(ss_initialize_safebox(client, sb), SS_ERR_INVALID_STATE, "already");
    CHECK_ERR(ss_commit_safebox(client, sb, &response), SS_ERR_INVALID_STATE, "has not been uploaded");

    /* An aborting progress callback, at the first report and in the middle of a file. The
     * server answers uploads 300 ms late meanwhile, so that none of them (the small ones
     * especially) can be complete before the stop, even on a busy machine. */
    CHECK(set_latency(300));
    progress_log log;
    progress_log_init(&log);
    log.abort_at_call = 1;
    CHECK_ERR(ss_upload_attachments(client, sb, on_progress, &log), SS_ERR_ABORTED_BY_CALLBACK, "callback");
    CHECK(log.calls == 1);
    progress_log_init(&log);
    log.abort_after_bytes = 1;
    CHECK_ERR(ss_upload_attachments(client, sb, on_progress, &log), SS_ERR_ABORTED_BY_CALLBACK, "callback");
    CHECK(log.wrong_thread == 0);
    CHECK(log.last_sent > 0 && log.last_sent < total);
    CHECK(set_latency(0));

    CHECK_ERR(ss_upload_attachments(NULL, sb, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_upload_attachments(client, NULL, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`safebox`");

    /* The upload: progress on this thread, monotone, ending at the total; callbacks that call
     * blocking functions are refused with SS_ERR_INVALID_STATE. */
    progress_log_init(&log);
    log.client = client;
    stream_init(&src, g_stream_data, STREAM_SIZE);
    src.client = client;
    CHECK_RC(ss_upload_attachments(client, sb, on_progress, &log), SS_OK);
    check_progress(&log, total, 3);
    CHECK(log.calls >= 5); /* a report before each attachment and after every block */
    CHECK(log.reentered == 1);
    CHECK(log.reentry_settings == SS_ERR_INVALID_STATE);
    CHECK(log.reentry_profiles == SS_ERR_INVALID_STATE);
    CHECK(log.reentry_token == SS_ERR_INVALID_STATE);
    CHECK(log.reentry_outs_untouched);
    CHECK(contains(log.reentry_message, "callback"));
    CHECK(src.wrong_thread == 0);
    CHECK(src.pos == STREAM_SIZE);
    CHECK(src.reentered == 1);
    CHECK(src.reentry_settings == SS_ERR_INVALID_STATE);
    CHECK(src.reentry_profiles == SS_ERR_INVALID_STATE);
    CHECK(src.reentry_token == SS_ERR_INVALID_STATE);
    CHECK(src.reentry_outs_untouched);

    /* Nothing left to upload. */
    progress_log_init(&log);
    CHECK_RC(ss_upload_attachments(client, sb, on_progress, &log), SS_OK);
    CHECK(log.calls == 0);

    /* Commit. */
    CHECK_ERR(ss_commit_safebox(NULL, sb, &response), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_commit_safebox(client, NULL, &response), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_commit_safebox(client, sb, NULL), SS_ERR_NULL_ARGUMENT, "`out_response`");
    /* A commit answered 500 is checked (the SafeBox was not created) and sent again: a server
     * that keeps failing exhausts the retries (see test_reliability.c for the rest). */
    CHECK(control("POST", "faults",
                  "{\"kind\":\"respond\",\"method\":\"POST\",\"path\":\"/api/v2/safeboxes\",\"status\":500,\"count\":0}",
                  NULL, 0) == 200);
    CHECK_ERR(ss_commit_safebox(client, sb, &response), SS_ERR_HTTP_STATUS, "500");
    CHECK(ss_last_error_http_status() == 500);
    CHECK(response == NULL);
    clear_faults();
    CHECK_RC(ss_commit_safebox(client, sb, &response), SS_OK); /* the SafeBox kept its state */
    CHECK(response != NULL);
    CHECK_STR(ss_safebox_response_guid(response), saved_guid);
    const char *preview = ss_safebox_response_preview_url(response);
    CHECK(preview != NULL && strncmp(preview, "http", 4) == 0);
    const char *key = ss_safebox_response_encryption_key(response); /* double encryption */
    CHECK(key != NULL && key[0] != '\0');
    CHECK(contains(ss_safebox_response_to_json(response), saved_guid));
    CHECK(stored_size(saved_guid, FILE_SIZE));
    CHECK(stored_size(saved_guid, BYTES_SIZE));
    CHECK(stored_size(saved_guid, STREAM_SIZE));
    ss_safebox_response_free(response);
    response = NULL;

    /* Committing twice: 400 with the server's validation body. */
    CHECK_ERR(ss_commit_safebox(client, sb, &response), SS_ERR_HTTP_STATUS, "400");
    CHECK(ss_last_error_http_status() == 400);
    char body[1024];
    CHECK(ss_last_error_body(body, sizeof body) > 0);
    CHECK(contains(body, "\"attributes\""));
    CHECK(response == NULL);
    ss_safebox_free(sb);
}

/* Refusals while creating SafeBoxes. */
static void test_creation_errors(const ss_client *client) {
    ss_safebox_response *response = NULL;
    char body[2048];

    /* 400: a forbidden extension. */
    ss_safebox *sb = new_safebox(USER_EMAIL);
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, 100, "setup.exe", NULL), SS_OK);
    CHECK_RC(ss_initialize_safebox(client, sb), SS_OK);
    CHECK_ERR(ss_upload_attachments(client, sb, NULL, NULL), SS_ERR_HTTP_STATUS, "400");
    CHECK(ss_last_error_http_status() == 400);
    CHECK(ss_last_error_body(body, sizeof body) > 0);
    CHECK(contains(body, "\"attributes\""));
    CHECK_ERR(ss_submit_safebox(client, sb, NULL, NULL, &response), SS_ERR_HTTP_STATUS, "400");
    ss_safebox_free(sb);

    /* A file that disappeared before its upload. */
    char gone[700];
    snprintf(gone, sizeof gone, "%s/gone.txt", g_dir);
    CHECK(write_file(gone, g_bytes, 10));
    sb = new_safebox(USER_EMAIL);
    CHECK_RC(ss_safebox_add_attachment_file(sb, gone, NULL, NULL), SS_OK);
    CHECK(unlink(gone) == 0);
    CHECK_ERR(ss_submit_safebox(client, sb, NULL, NULL, &response), SS_ERR_IO, "gone.txt");
    CHECK(ss_safebox_guid(sb) != NULL); /* initialized before the upload failed */
    ss_safebox_free(sb);

    /* A read callback that fails: SS_ERR_IO; the SafeBox can be retried with the stream restarted. */
    sb = new_safebox(USER_EMAIL);
    stream_source src;
    stream_init(&src, g_stream_data, STREAM_SIZE);
    src.fail = 1;
    src.fail_at = 1000;
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, "first.txt", NULL), SS_OK);
    CHECK_RC(ss_safebox_add_attachment_stream(sb, on_read, &src, STREAM_SIZE, "broken.dat", NULL), SS_OK);
    CHECK_RC(ss_initialize_safebox(client, sb), SS_OK);
    CHECK_ERR(ss_upload_attachments(client, sb, NULL, NULL), SS_ERR_IO, "read callback");
    CHECK(src.wrong_thread == 0);
    src.fail_at = 0; /* fails at once */
    src.pos = 0;
    CHECK_ERR(ss_upload_attachments(client, sb, NULL, NULL), SS_ERR_IO, "read callback");
    stream_init(&src, g_stream_data, STREAM_SIZE);
    progress_log log;
    progress_log_init(&log);
    CHECK_RC(ss_submit_safebox(client, sb, on_progress, &log, &response), SS_OK);
    /* Uploads run in parallel: first.txt may have been uploaded by the failed calls, or cancelled. */
    if (log.last_count == 1)
        check_progress(&log, STREAM_SIZE, 1);
    else
        check_progress(&log, BYTES_SIZE + STREAM_SIZE, 2);
    CHECK(src.pos == STREAM_SIZE);
    CHECK(response != NULL && ss_safebox_response_encryption_key(response) == NULL);
    const char *guid = ss_safebox_response_guid(response);
    CHECK(guid != NULL && stored_size(guid, STREAM_SIZE) && stored_size(guid, BYTES_SIZE));
    ss_safebox_response_free(response);
    response = NULL;
    ss_safebox_free(sb);

    /* A descriptor attachment aborted in the middle: repeating the call sends it whole. */
    sb = new_safebox(USER_EMAIL);
    int fd = open(g_file, O_RDONLY);
    CHECK(fd >= 0);
    CHECK_RC(ss_safebox_add_attachment_fd(sb, fd, "fd-retry.pdf", NULL), SS_OK);
    progress_log_init(&log);
    log.abort_after_bytes = 1;
    CHECK(set_latency(300));
    CHECK_ERR(ss_submit_safebox(client, sb, on_progress, &log, &response), SS_ERR_ABORTED_BY_CALLBACK, NULL);
    CHECK(set_latency(0));
    CHECK(log.last_sent > 0 && log.last_sent < FILE_SIZE);
    progress_log_init(&log);
    CHECK_RC(ss_submit_safebox(client, sb, on_progress, &log, &response), SS_OK);
    check_progress(&log, FILE_SIZE, 1);
    CHECK(response != NULL && stored_size(ss_safebox_response_guid(response), FILE_SIZE));
    ss_safebox_response_free(response);
    response = NULL;
    ss_safebox_free(sb);
    CHECK(close(fd) == 0); /* still ours: the library used a duplicate */

    /* A stream shorter than its declared size. */
    sb = new_safebox(USER_EMAIL);
    stream_init(&src, g_stream_data, 100);
    CHECK_RC(ss_safebox_add_attachment_stream(sb, on_read, &src, 200, "short.dat", NULL), SS_OK);
    CHECK_ERR(ss_submit_safebox(client, sb, NULL, NULL, &response), SS_ERR_IO, "declared");
    CHECK(response == NULL);
    ss_safebox_free(sb);
    /* Longer than declared. */
    sb = new_safebox(USER_EMAIL);
    stream_init(&src, g_stream_data, 200);
    CHECK_RC(ss_safebox_add_attachment_stream(sb, on_read, &src, 100, "long.dat", NULL), SS_OK);
    CHECK_ERR(ss_submit_safebox(client, sb, NULL, NULL, &response), SS_ERR_IO, "declared");
    ss_safebox_free(sb);
    /* A read callback claiming more bytes than it was asked for. */
    sb = new_safebox(USER_EMAIL);
    stream_init(&src, g_stream_data, 200);
    src.overreport = 1;
    CHECK_RC(ss_safebox_add_attachment_stream(sb, on_read, &src, 200, "liar.dat", NULL), SS_OK);
    CHECK_ERR(ss_submit_safebox(client, sb, NULL, NULL, &response), SS_ERR_IO, "read callback");
    CHECK(response == NULL);
    ss_safebox_free(sb);

    /* 400: commit validation (profile 10 does not let double encryption be changed). */
    sb = new_safebox(USER_EMAIL);
    CHECK_RC(ss_safebox_set_security_profile_id(sb, 10), SS_OK);
    CHECK_RC(ss_safebox_set_double_encryption(sb, false), SS_OK);
    CHECK_ERR(ss_submit_safebox(client, sb, NULL, NULL, &response), SS_ERR_HTTP_STATUS, "double_encryption");
    CHECK(ss_last_error_http_status() == 400);
    CHECK(ss_last_error_body(body, sizeof body) > 0);
    CHECK(contains(body, "\"attributes\""));
    CHECK(contains(body, "double_encryption"));
    /* 400: an unknown profile. */
    CHECK_RC(ss_safebox_set_security_profile_id(sb, 999), SS_OK);
    CHECK_ERR(ss_commit_safebox(client, sb, &response), SS_ERR_HTTP_STATUS, "400");
    CHECK(ss_last_error_http_status() == 400);
    /* Malformed and unexpected commit answers. */
    CHECK_RC(ss_safebox_set_security_profile_id(sb, 1), SS_OK);
    CHECK(inject("POST", "/api/v2/safeboxes", 200, NULL, "{not json"));
    CHECK_ERR(ss_commit_safebox(client, sb, &response), SS_ERR_DECODE, NULL);
    CHECK(inject("POST", "/api/v2/safeboxes", 200, "{\"unexpected\":true}", NULL));
    CHECK_ERR(ss_commit_safebox(client, sb, &response), SS_ERR_DECODE, NULL);
    CHECK(inject("POST", "/api/v2/safeboxes", 404, NULL, NULL));
    CHECK_ERR(ss_commit_safebox(client, sb, &response), SS_ERR_HTTP_STATUS, "404");
    CHECK(ss_last_error_http_status() == 404);
    CHECK(response == NULL);
    ss_safebox_free(sb);

    /* Client-side checks. */
    sb = NULL;
    CHECK_RC(ss_safebox_new(USER_EMAIL, &sb), SS_OK);
    CHECK_RC(ss_safebox_set_message(sb, "nobody to send to"), SS_OK);
    CHECK_ERR(ss_submit_safebox(client, sb, NULL, NULL, &response), SS_ERR_INVALID_ARGUMENT,
              "Participants cannot be empty");
    CHECK(ss_safebox_guid(sb) == NULL); /* refused before anything was sent */
    CHECK_RC(ss_initialize_safebox(client, sb), SS_OK);
    CHECK_ERR(ss_commit_safebox(client, sb, &response), SS_ERR_INVALID_ARGUMENT, "Participants cannot be empty");
    CHECK_RC(ss_safebox_add_recipient(sb, "guest@example.com", NULL), SS_OK);
    CHECK_ERR(ss_commit_safebox(client, sb, &response), SS_ERR_INVALID_ARGUMENT, "No Security Profile configured");
    CHECK(response == NULL);
    ss_safebox_free(sb);

    /* 403: a SafeBox for another user. */
    sb = new_safebox(BOB_EMAIL);
    CHECK_ERR(ss_initialize_safebox(client, sb), SS_ERR_HTTP_STATUS, "Access denied");
    CHECK(ss_last_error_http_status() == 403);
    CHECK(ss_safebox_guid(sb) == NULL);
    /* 500, 404 and malformed answers to initialize. */
    ss_safebox_free(sb);
    sb = new_safebox(USER_EMAIL);
    CHECK(inject("GET", "/api/v2/safeboxes/new", 500, NULL, NULL));
    CHECK_ERR(ss_initialize_safebox(client, sb), SS_ERR_HTTP_STATUS, "500");
    CHECK(ss_last_error_http_status() == 500);
    CHECK(inject("GET", "/api/v2/safeboxes/new", 404, NULL, NULL));
    CHECK_ERR(ss_initialize_safebox(client, sb), SS_ERR_HTTP_STATUS, "404");
    CHECK(inject("GET", "/api/v2/safeboxes/new", 200, NULL, "{not json"));
    CHECK_ERR(ss_initialize_safebox(client, sb), SS_ERR_DECODE, NULL);
    CHECK(inject("GET", "/api/v2/safeboxes/new", 200, "{\"guid\":42}", NULL));
    CHECK_ERR(ss_initialize_safebox(client, sb), SS_ERR_DECODE, "guid");
    CHECK(ss_safebox_guid(sb) == NULL);
    CHECK_RC(ss_initialize_safebox(client, sb), SS_OK);
    ss_safebox_free(sb);

    /* NULL arguments of submit. */
    sb = new_safebox(USER_EMAIL);
    CHECK_ERR(ss_submit_safebox(NULL, sb, NULL, NULL, &response), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_ERR(ss_submit_safebox(client, NULL, NULL, NULL, &response), SS_ERR_NULL_ARGUMENT, "`safebox`");
    CHECK_ERR(ss_submit_safebox(client, sb, NULL, NULL, NULL), SS_ERR_NULL_ARGUMENT, "`out_response`");
    CHECK(ss_safebox_guid(sb) == NULL);
    /* An aborting callback in submit. */
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, "abort.txt", NULL), SS_OK);
    progress_log abort_log;
    progress_log_init(&abort_log);
    abort_log.abort_at_call = 1;
    CHECK_ERR(ss_submit_safebox(client, sb, on_progress, &abort_log, &response), SS_ERR_ABORTED_BY_CALLBACK, NULL);
    CHECK(response == NULL);
    /* Then without progress callback: the enterprise's default profile is used. */
    CHECK_RC(ss_submit_safebox(client, sb, NULL, NULL, &response), SS_OK);
    CHECK(response != NULL && stored_size(ss_safebox_response_guid(response), BYTES_SIZE));
    ss_safebox_response_free(response);
    ss_safebox_free(sb);
}

/* ---------------------------------------------------------------------------------------------
 * Threads */

typedef struct {
    const ss_client *client;
    pthread_t self;
    ss_safebox_response *response;
} submit_job;

/* Submits a SafeBox from another thread: its callbacks run on that thread, and its last error is
 * its own. Checks run while the main thread waits in pthread_join. */
static void *submit_in_thread(void *arg) {
    submit_job *job = (submit_job *)arg;
    job->self = pthread_self();
    CHECK(ss_last_error_code() == SS_OK); /* the main thread's last error is not this one's */
    CHECK(ss_last_error_message(NULL, 0) == 0);
    ss_safebox *sb = new_safebox(USER_EMAIL);
    CHECK_RC(ss_safebox_add_attachment_file(sb, g_file, NULL, "threaded.pdf"), SS_OK);
    stream_source src;
    stream_init(&src, g_stream_data, STREAM_SIZE);
    CHECK_RC(ss_safebox_add_attachment_stream(sb, on_read, &src, STREAM_SIZE, "threaded.dat", NULL), SS_OK);
    int fd = open(g_file, O_RDONLY); /* read from its offset: FD_OFFSET bytes skipped */
    CHECK(fd >= 0 && lseek(fd, FD_OFFSET, SEEK_SET) == FD_OFFSET);
    CHECK_RC(ss_safebox_add_attachment_fd(sb, fd, "threaded-fd.pdf", "application/pdf"), SS_OK);
    CHECK(close(fd) == 0);
    progress_log log;
    progress_log_init(&log);
    log.sequential = 1; /* the job's client uploads one attachment at a time */
    CHECK_RC(ss_submit_safebox(job->client, sb, on_progress, &log, &job->response), SS_OK);
    check_progress(&log, FILE_SIZE + STREAM_SIZE + (FILE_SIZE - FD_OFFSET), 3);
    CHECK(src.wrong_thread == 0 && src.calls > 0);
    CHECK(src.pos == STREAM_SIZE);
    CHECK_ERR(ss_safebox_set_subject(NULL, "x"), SS_ERR_NULL_ARGUMENT, "`safebox`"); /* leaves an error here */
    ss_safebox_free(sb);
    return NULL;
}

typedef struct {
    const ss_client *client;
    ss_result settings, profiles, default_profile;
    int64_t default_id;
    size_t profile_count;
    int build_failures;
    ss_result submit;
    progress_log log;
    stream_source src;
    int stored;
} read_job;

/* One client used by several threads at once: reads, and a submit with callbacks (no CHECK
 * here: the counters are not thread-safe; the main thread checks the results). */
static void *read_in_thread(void *arg) {
    read_job *job = (read_job *)arg;
    ss_safebox *sb = NULL;
    ss_safebox_response *response = NULL;
    job->build_failures += ss_safebox_new(USER_EMAIL, &sb) != SS_OK;
    job->build_failures += ss_safebox_add_recipient(sb, "guest@example.com", NULL) != SS_OK;
    stream_init(&job->src, g_stream_data, STREAM_SIZE);
    job->build_failures +=
        ss_safebox_add_attachment_stream(sb, on_read, &job->src, STREAM_SIZE, "parallel.dat", NULL) != SS_OK;
    job->build_failures += ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, "parallel.txt", NULL) != SS_OK;
    progress_log_init(&job->log);
    job->submit = ss_submit_safebox(job->client, sb, on_progress, &job->log, &response);
    job->stored = response != NULL && ss_safebox_response_guid(response) != NULL;
    ss_safebox_response_free(response);
    ss_safebox_free(sb);
    ss_enterprise_settings *settings = NULL;
    ss_security_profile_list *list = NULL;
    ss_security_profile *profile = NULL;
    job->settings = ss_get_enterprise_settings(job->client, &settings);
    job->profiles = ss_get_security_profiles(job->client, USER_EMAIL, &list);
    job->default_profile = ss_get_default_security_profile(job->client, USER_EMAIL, &profile);
    job->default_id = ss_security_profile_id(profile);
    job->profile_count = ss_security_profile_list_count(list);
    ss_enterprise_settings_free(settings);
    ss_security_profile_list_free(list);
    ss_security_profile_free(profile);
    return NULL;
}

static void test_threads(const ss_client *client, const ss_user_token *token) {
    submit_job job;
    memset(&job, 0, sizeof job);
    ss_client *sequential = client_for(ss_user_token_token(token), ss_user_token_user_id(token), 1);
    job.client = sequential;
    /* This thread's error stays while another thread succeeds and fails. */
    ss_safebox *none = NULL;
    CHECK_ERR(ss_safebox_new(BAD_UTF8, &none), SS_ERR_INVALID_UTF8, NULL);
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, submit_in_thread, &job) == 0);
    CHECK(pthread_join(thread, NULL) == 0);
    CHECK(!pthread_equal(job.self, pthread_self()));
    CHECK(ss_last_error_code() == SS_ERR_INVALID_UTF8);
    CHECK(job.response != NULL && stored_size(ss_safebox_response_guid(job.response), FILE_SIZE));
    CHECK(job.response != NULL && stored_size(ss_safebox_response_guid(job.response), FILE_SIZE - FD_OFFSET));
    CHECK(job.response != NULL && stored_size(ss_safebox_response_guid(job.response), STREAM_SIZE));
    ss_safebox_response_free(job.response);
    ss_client_free(sequential);

    enum { READERS = 4 };
    read_job jobs[READERS];
    pthread_t threads[READERS];
    for (int i = 0; i < READERS; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].client = client;
        CHECK(pthread_create(&threads[i], NULL, read_in_thread, &jobs[i]) == 0);
    }
    for (int i = 0; i < READERS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(jobs[i].settings == SS_OK);
        CHECK(jobs[i].profiles == SS_OK);
        CHECK(jobs[i].default_profile == SS_OK);
        CHECK(jobs[i].default_id == 1);
        CHECK(jobs[i].profile_count == 3);
        CHECK(jobs[i].build_failures == 0);
        CHECK(jobs[i].submit == SS_OK);
        CHECK(jobs[i].stored);
        check_progress(&jobs[i].log, STREAM_SIZE + BYTES_SIZE, 2);
        CHECK(jobs[i].src.wrong_thread == 0 && jobs[i].src.pos == STREAM_SIZE);
    }
}


int main(void) {
    if (!support_setup()) return 2;

    test_version_and_result_strings();
    test_options_init();
    test_null_handles();
    test_last_error();
    test_get_user_token();
    clear_faults();

    ss_user_token *token = demo_token();
    test_client_new(token);
    ss_client *client = client_for(ss_user_token_token(token), ss_user_token_user_id(token), 0);
    if (client != NULL) {
        test_enterprise_settings(client);
        clear_faults();
        test_security_profiles(client);
        clear_faults();
        test_safebox_builder();
        test_step_by_step(client);
        clear_faults();
        test_creation_errors(client);
        clear_faults();
        test_threads(client, token);
    }
    ss_client_free(client);
    ss_user_token_free(token);

    support_cleanup();
    return check_summary();
}
