/* A program using an installed libsendsecure, built by tests/consumers.rs with pkg-config and
 * with CMake (find_package(sendsecure)), linked shared and static. It checks that the header
 * and the library it runs with have the same version, logs in to the emulator (SS_TEST_URL),
 * reads the enterprise settings and creates a SafeBox; prints "consumer ok VERSION GUID". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sendsecure.h>

static int fail(const char *what, ss_result rc) {
    char message[512];
    ss_last_error_message(message, sizeof message);
    fprintf(stderr, "%s failed: %s: %s\n", what, ss_result_str(rc), message);
    return 1;
}

int main(void) {
    const char *url = getenv("SS_TEST_URL");
    ss_user_token *token = NULL;
    ss_client *client = NULL;
    ss_enterprise_settings *settings = NULL;
    ss_safebox *safebox = NULL;
    ss_recipient *recipient = NULL;
    ss_safebox_response *response = NULL;
    ss_client_options options;
    ss_result rc;
    int status = 1;

    if (url == NULL) {
        fprintf(stderr, "SS_TEST_URL is not set\n");
        return 2;
    }
    if (strcmp(ss_version(), SS_VERSION_STRING) != 0) {
        fprintf(stderr, "header %s, library %s\n", SS_VERSION_STRING, ss_version());
        return 1;
    }
    rc = ss_get_user_token("acme", "demo", "demo-password", "consumer", "consumer test", NULL, url, NULL, NULL,
                           &token);
    if (rc != SS_OK) return fail("ss_get_user_token", rc);
    ss_client_options_init(&options);
    options.user_id = ss_user_token_user_id(token);
    rc = ss_client_new(ss_user_token_token(token), "acme", url, &options, &client);
    if (rc != SS_OK) { fail("ss_client_new", rc); goto done; }
    rc = ss_get_enterprise_settings(client, &settings);
    if (rc != SS_OK) { fail("ss_get_enterprise_settings", rc); goto done; }
    if (ss_enterprise_settings_default_security_profile_id(settings) <= 0) {
        fprintf(stderr, "no default security profile\n");
        goto done;
    }
    rc = ss_safebox_new("demo@acme.example", &safebox);
    if (rc == SS_OK) rc = ss_safebox_set_message(safebox, "from an installed libsendsecure");
    if (rc == SS_OK) rc = ss_safebox_add_recipient(safebox, "john.smith@example.com", &recipient);
    if (rc == SS_OK) rc = ss_recipient_add_contact_method(recipient, "+15145550000", SS_DESTINATION_CELL);
    if (rc == SS_OK) rc = ss_safebox_add_attachment_bytes(safebox, (const uint8_t *)"hello\n", 6, "hello.txt", NULL);
    if (rc == SS_OK) rc = ss_submit_safebox(client, safebox, NULL, NULL, &response);
    if (rc != SS_OK) { fail("creating a SafeBox", rc); goto done; }
    printf("consumer ok %s %s\n", ss_version(), ss_safebox_response_guid(response));
    status = 0;

done:
    ss_safebox_response_free(response);
    ss_safebox_free(safebox);
    ss_enterprise_settings_free(settings);
    ss_client_free(client);
    ss_user_token_free(token);
    return status;
}
