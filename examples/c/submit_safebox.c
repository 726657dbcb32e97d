/* Creates a SafeBox with a recipient, a message and attachments, showing upload progress:
 * the quick start of the SendSecure SDKs, in C.
 *
 * usage: submit_safebox FILE...
 * Settings come from the environment: SS_ENDPOINT, SS_ACCOUNT, SS_USERNAME, SS_PASSWORD,
 * SS_USER_EMAIL (the SafeBox owner), SS_RECIPIENT, SS_RECIPIENT_PHONE (defaults: the
 * emulator's demo account on http://127.0.0.1:8080). */
#include <string.h>
#include "common.h"

/* Draws a progress bar on stderr; returning non-zero would stop the upload. */
static int show_progress(void *user_data, const ss_progress *p) {
    int *last_percent = user_data;
    const int width = 30;
    double done = p->bytes_total ? (double)p->bytes_sent / (double)p->bytes_total : 1.0;
    int filled = (int)(done * width);
    int percent = (int)(done * 100) + 1000 * (int)p->attachment_index;
    if (percent == *last_percent) return 0; /* redraw only when something visible changes */
    *last_percent = percent;
    fprintf(stderr, "\r[");
    for (int i = 0; i < width; i++) fputc(i < filled ? '#' : ' ', stderr);
    fprintf(stderr, "] %3d%%  %.1f/%.1f MiB  (file %zu of %zu)", (int)(done * 100),
            p->bytes_sent / 1048576.0, p->bytes_total / 1048576.0, p->attachment_index + 1, p->attachment_count);
    if (p->bytes_sent == p->bytes_total && p->attachment_index + 1 == p->attachment_count) fputc('\n', stderr);
    return 0;
}

int main(int argc, char **argv) {
    const char *endpoint = setting("SS_ENDPOINT", "http://127.0.0.1:8080");
    const char *account = setting("SS_ACCOUNT", "acme");
    const char *user_email = setting("SS_USER_EMAIL", "demo@acme.example");
    int status = 1;
    ss_user_token *token = NULL;
    ss_client *client = NULL;
    ss_safebox *safebox = NULL;
    ss_safebox_response *response = NULL;
    ss_recipient *recipient = NULL;
    ss_result rc;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE...\n", argv[0]);
        return 2;
    }
    rc = ss_get_user_token(account, setting("SS_USERNAME", "demo"), setting("SS_PASSWORD", "demo-password"),
                           "example-device", "libsendsecure example", NULL, endpoint, getenv("SS_OTP"), NULL,
                           &token);
    if (rc != SS_OK) return report_failure("ss_get_user_token", rc);

    ss_client_options options;
    ss_client_options_init(&options);
    options.user_id = ss_user_token_user_id(token);
    rc = ss_client_new(ss_user_token_token(token), account, endpoint, &options, &client);
    if (rc != SS_OK) { report_failure("ss_client_new", rc); goto done; }

    rc = ss_safebox_new(user_email, &safebox);
    if (rc != SS_OK) { report_failure("ss_safebox_new", rc); goto done; }
    rc = ss_safebox_set_subject(safebox, "Documents from libsendsecure");
    if (rc == SS_OK) rc = ss_safebox_set_message(safebox, "Here are the documents we discussed.");
    if (rc == SS_OK) rc = ss_safebox_add_recipient(safebox, setting("SS_RECIPIENT", "john.smith@example.com"), &recipient);
    if (rc == SS_OK) rc = ss_recipient_set_first_name(recipient, "John");
    if (rc == SS_OK) rc = ss_recipient_set_last_name(recipient, "Smith");
    if (rc == SS_OK)
        rc = ss_recipient_add_contact_method(recipient, setting("SS_RECIPIENT_PHONE", "+15145550000"),
                                             SS_DESTINATION_CELL);
    if (rc != SS_OK) { report_failure("building the SafeBox", rc); goto done; }
    for (int i = 1; i < argc; i++) {
        rc = ss_safebox_add_attachment_file(safebox, argv[i], NULL, NULL);
        if (rc != SS_OK) { report_failure(argv[i], rc); goto done; }
    }

    /* No security profile set: the enterprise's default is used. */
    int last_percent = -1;
    rc = ss_submit_safebox(client, safebox, show_progress, &last_percent, &response);
    if (rc != SS_OK) { fputc('\n', stderr); report_failure("ss_submit_safebox", rc); goto done; }
    printf("SafeBox GUID: %s\n", ss_safebox_response_guid(response));
    printf("Preview URL: %s\n", ss_safebox_response_preview_url(response));
    status = 0;

done:
    ss_safebox_response_free(response);
    ss_safebox_free(safebox);
    ss_client_free(client);
    ss_user_token_free(token);
    return status;
}
