/* The SendSafely client from C, against sendsecure-emulator's SendSafely service: creating a
 * client (argument checks), signed requests that read the user, refused credentials reported
 * with their code, status and body and never the secret, cancel and free.
 *
 * Environment: SS_TEST_SENDSAFELY_URL, the SendSafely emulator (demo organisation).
 * Run by tests/c_api.rs like every tests/c/test_*.c (shared, static, valgrind, C++). */
#include "support.h"

#define DEMO_KEY "demo-api-key"
#define DEMO_SECRET "demo-api-secret"
#define WRONG_SECRET "wrong-secret-27182818"

static const char *g_sendsafely;

static void test_client_arguments(void) {
    ss_sendsafely_client *client = NULL;
    CHECK_ERR(ss_sendsafely_client_new(NULL, DEMO_KEY, DEMO_SECRET, NULL, &client), SS_ERR_NULL_ARGUMENT, "host");
    CHECK_ERR(ss_sendsafely_client_new(g_sendsafely, NULL, DEMO_SECRET, NULL, &client), SS_ERR_NULL_ARGUMENT,
              "api_key");
    CHECK_ERR(ss_sendsafely_client_new(g_sendsafely, DEMO_KEY, NULL, NULL, &client), SS_ERR_NULL_ARGUMENT,
              "api_secret");
    CHECK_ERR(ss_sendsafely_client_new(g_sendsafely, DEMO_KEY, DEMO_SECRET, NULL, NULL), SS_ERR_NULL_ARGUMENT,
              "out_client");
    CHECK_ERR(ss_sendsafely_client_new(BAD_UTF8, DEMO_KEY, DEMO_SECRET, NULL, &client), SS_ERR_INVALID_UTF8, "host");
    CHECK_ERR(ss_sendsafely_client_new(g_sendsafely, "", DEMO_SECRET, NULL, &client), SS_ERR_INVALID_ARGUMENT,
              "API key");
    CHECK_ERR(ss_sendsafely_client_new(g_sendsafely, DEMO_KEY, "", NULL, &client), SS_ERR_INVALID_ARGUMENT,
              "API secret");
    CHECK_ERR(ss_sendsafely_client_new("https://acme.example/portal", DEMO_KEY, DEMO_SECRET, NULL, &client),
              SS_ERR_INVALID_ARGUMENT, "without a path");
    CHECK_ERR(ss_sendsafely_client_new("http://acme.example", DEMO_KEY, DEMO_SECRET, NULL, &client),
              SS_ERR_INVALID_ARGUMENT, "plain http");
    CHECK(client == NULL);

    ss_client_options options;
    ss_client_options_init(&options);
    CHECK(options.transfer_concurrency == 0);
    CHECK(options.crypto_threads == 0);
    options.transfer_concurrency = 2;
    options.crypto_threads = 1;
    CHECK_RC(ss_sendsafely_client_new(g_sendsafely, DEMO_KEY, DEMO_SECRET, &options, &client), SS_OK);
    CHECK(client != NULL);
    CHECK_RC(ss_sendsafely_client_cancel(client), SS_OK); /* nothing runs: nothing happens */
    CHECK_ERR(ss_sendsafely_client_cancel(NULL), SS_ERR_NULL_ARGUMENT, "client");
    ss_sendsafely_client_free(client);
    ss_sendsafely_client_free(NULL);
}

static void test_user(void) {
    ss_sendsafely_client *client = NULL;
    CHECK_RC(ss_sendsafely_client_new(g_sendsafely, DEMO_KEY, DEMO_SECRET, NULL, &client), SS_OK);
    ss_sendsafely_user *user = NULL;
    CHECK_ERR(ss_sendsafely_get_user(NULL, &user), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_get_user(client, NULL), SS_ERR_NULL_ARGUMENT, "out_user");
    CHECK_RC(ss_sendsafely_get_user(client, &user), SS_OK);
    CHECK_STR(ss_sendsafely_user_email(user), USER_EMAIL);
    CHECK(ss_sendsafely_user_id(user) != NULL && ss_sendsafely_user_id(user)[0] != '\0');
    CHECK(ss_sendsafely_user_first_name(user) != NULL);
    CHECK(ss_sendsafely_user_last_name(user) != NULL);
    CHECK(ss_sendsafely_user_package_life(user) >= 0);
    ss_sendsafely_user_free(user);
    /* NULL handles give the getters' defaults. */
    CHECK(ss_sendsafely_user_email(NULL) == NULL);
    CHECK(ss_sendsafely_user_id(NULL) == NULL);
    CHECK(ss_sendsafely_user_first_name(NULL) == NULL);
    CHECK(ss_sendsafely_user_last_name(NULL) == NULL);
    CHECK(ss_sendsafely_user_package_life(NULL) == 0);
    ss_sendsafely_user_free(NULL);
    ss_sendsafely_client_free(client);
}

static void test_refused_credentials(void) {
    ss_sendsafely_client *client = NULL;
    CHECK_RC(ss_sendsafely_client_new(g_sendsafely, DEMO_KEY, WRONG_SECRET, NULL, &client), SS_OK);
    ss_sendsafely_user *user = NULL;
    CHECK_ERR(ss_sendsafely_get_user(client, &user), SS_ERR_AUTH, "refused");
    CHECK(user == NULL);
    char code[64];
    size_t length = ss_last_error_api_code_name(code, sizeof code);
    CHECK_STR(code, "AUTHENTICATION_FAILED");
    CHECK(length == strlen("AUTHENTICATION_FAILED"));
    CHECK(ss_last_error_api_code() == 0); /* a named code, not a number */
    CHECK(ss_last_error_http_status() == 200);
    char body[1024];
    ss_last_error_body(body, sizeof body);
    CHECK(contains(body, "\"AUTHENTICATION_FAILED\""));
    char message[1024];
    ss_last_error_message(message, sizeof message);
    CHECK(!contains(message, WRONG_SECRET));
    CHECK(!contains(body, WRONG_SECRET));
    /* A success clears the code's name. */
    ss_sendsafely_client_free(client);
    CHECK_RC(ss_sendsafely_client_new(g_sendsafely, DEMO_KEY, DEMO_SECRET, NULL, &client), SS_OK);
    CHECK(ss_last_error_api_code_name(code, sizeof code) == 0);
    ss_sendsafely_client_free(client);
}

int main(void) {
    g_sendsafely = getenv("SS_TEST_SENDSAFELY_URL");
    if (g_sendsafely == NULL || g_sendsafely[0] == '\0') {
        fprintf(stderr, "set SS_TEST_SENDSAFELY_URL to the SendSafely emulator's URL\n");
        return 2;
    }
    test_client_arguments();
    test_user();
    test_refused_credentials();
    return check_summary();
}
