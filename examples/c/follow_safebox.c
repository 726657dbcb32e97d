/* Follows up on a SafeBox: lists the user's open SafeBoxes (creating one when there is none, so
 * that it works on a fresh emulator), shows one with its messages and participants, replies
 * with an attachment, downloads its documents with a progress bar, and closes it.
 *
 * usage: follow_safebox [DOWNLOAD_DIR]     (an existing directory; default: the current one)
 * Settings come from the environment, as for submit_safebox: SS_ENDPOINT, SS_ACCOUNT,
 * SS_USERNAME, SS_PASSWORD, SS_OTP, SS_USER_EMAIL (the SafeBox owner), SS_RECIPIENT,
 * SS_RECIPIENT_PHONE (defaults: the emulator's demo account on http://127.0.0.1:8080).
 *
 * Build and run from the repository root:
 *   cargo build -p sendsecure -p sendsecure-emulator
 *   cc -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/follow_safebox.c -o target/follow_safebox \
 *      -Ltarget/debug -lsendsecure -Wl,-rpath,"$PWD/target/debug"
 *   target/debug/sendsecure-emulator --listen 127.0.0.1:8080 &
 *   target/follow_safebox /tmp
 */
#include <string.h>
#include "common.h"

/* A progress bar on stderr for one transfer; returning non-zero would stop it. */
struct bar {
    const char *label;
    int last_percent;
};

static int show_progress(void *user_data, const ss_progress *p) {
    struct bar *bar = user_data;
    const int width = 30;
    if (p->bytes_total == 0) { /* empty, or a size the server did not give */
        fprintf(stderr, "\r%-24.24s %.1f MiB", bar->label, p->bytes_sent / 1048576.0);
        return 0;
    }
    double done = (double)p->bytes_sent / (double)p->bytes_total;
    int percent = (int)(done * 100);
    if (percent == bar->last_percent) return 0; /* redraw only when something visible changes */
    bar->last_percent = percent;
    fprintf(stderr, "\r%-24.24s [", bar->label);
    for (int i = 0; i < width; i++) fputc(i < (int)(done * width) ? '#' : ' ', stderr);
    fprintf(stderr, "] %3d%%  %.1f/%.1f MiB", percent, p->bytes_sent / 1048576.0,
            p->bytes_total / 1048576.0);
    return 0;
}

/* Creates a SafeBox with a message and one attachment, and copies its GUID to `guid`. */
static ss_result create_safebox(const ss_client *client, const char *user_email, char *guid, size_t guid_len) {
    static const char notes[] = "Quarterly figures, as discussed.\n";
    ss_safebox *safebox = NULL;
    ss_recipient *recipient = NULL;
    ss_safebox_response *response = NULL;
    ss_result rc = ss_safebox_new(user_email, &safebox);
    if (rc == SS_OK) rc = ss_safebox_set_subject(safebox, "Follow-up from libsendsecure");
    if (rc == SS_OK) rc = ss_safebox_set_message(safebox, "Please review the attached notes.");
    if (rc == SS_OK) rc = ss_safebox_add_recipient(safebox, setting("SS_RECIPIENT", "john.smith@example.com"), &recipient);
    if (rc == SS_OK)
        rc = ss_recipient_add_contact_method(recipient, setting("SS_RECIPIENT_PHONE", "+15145550000"),
                                             SS_DESTINATION_CELL);
    if (rc == SS_OK)
        rc = ss_safebox_add_attachment_bytes(safebox, (const uint8_t *)notes, strlen(notes), "notes.txt", NULL);
    if (rc != SS_OK) {
        report_failure("building the SafeBox", rc);
    } else {
        rc = ss_submit_safebox(client, safebox, NULL, NULL, &response);
        if (rc != SS_OK) {
            report_failure("ss_submit_safebox", rc);
        } else {
            snprintf(guid, guid_len, "%s", ss_safebox_response_guid(response));
            printf("created SafeBox %s\n", guid);
        }
    }
    ss_safebox_response_free(response);
    ss_safebox_free(safebox);
    return rc;
}

static const char *or_none(const char *text) { return text != NULL && text[0] != '\0' ? text : "(none)"; }

/* Prints a SafeBox with its participants and messages. */
static void show_safebox(const ss_safebox_info *info) {
    printf("\nSafeBox %s\n  subject: %s\n  status:  %s\n  participants:\n", ss_safebox_info_guid(info),
           or_none(ss_safebox_info_subject(info)), ss_safebox_info_status(info));
    for (size_t i = 0; i < ss_safebox_info_participant_count(info); i++) {
        const ss_participant *p = ss_safebox_info_participant_at(info, i);
        printf("    %-6s %s\n", ss_participant_type(p), ss_participant_email(p));
    }
    printf("  messages:\n");
    for (size_t i = 0; i < ss_safebox_info_message_count(info); i++) {
        const ss_message *m = ss_safebox_info_message_at(info, i);
        printf("    #%zu: %s\n", i + 1, or_none(ss_message_note(m)));
        for (size_t j = 0; j < ss_message_document_count(m); j++) {
            const ss_document *d = ss_message_document_at(m, j);
            printf("        %s (%llu bytes)\n", ss_document_name(d), (unsigned long long)ss_document_size(d));
        }
    }
}

/* `dir`/`name`, with the characters that could leave `dir` replaced. */
static void local_path(char *out, size_t len, const char *dir, const char *name) {
    int n = snprintf(out, len, "%s/%s%s", dir, name[0] == '.' ? "_" : "", name);
    for (size_t i = strlen(dir) + 1; n > 0 && i < len && out[i] != '\0'; i++)
        if (out[i] == '/' || out[i] == '\\') out[i] = '_';
}

/* Downloads every document of the SafeBox into `dir`; returns the first failure. */
static ss_result download_all(const ss_client *client, const ss_safebox_info *info, const char *user_email,
                              const char *dir) {
    for (size_t i = 0; i < ss_safebox_info_message_count(info); i++) {
        const ss_message *m = ss_safebox_info_message_at(info, i);
        for (size_t j = 0; j < ss_message_document_count(m); j++) {
            const ss_document *d = ss_message_document_at(m, j);
            char path[4096];
            local_path(path, sizeof path, dir, ss_document_name(d));
            struct bar bar = {ss_document_name(d), -1};
            /* Written to PATH.part and renamed when complete: PATH is whole or absent. */
            ss_result rc = ss_download_document(client, ss_safebox_info_guid(info), ss_document_id(d), user_email,
                                                path, show_progress, &bar);
            fputc('\n', stderr);
            if (rc != SS_OK) {
                report_failure(ss_document_name(d), rc);
                return rc;
            }
            printf("saved %s\n", path);
        }
    }
    return SS_OK;
}

int main(int argc, char **argv) {
    const char *endpoint = setting("SS_ENDPOINT", "http://127.0.0.1:8080");
    const char *account = setting("SS_ACCOUNT", "acme");
    const char *user_email = setting("SS_USER_EMAIL", "demo@acme.example");
    const char *dir = argc > 1 ? argv[1] : ".";
    static const char answer[] = "Signed copy attached.\n";
    int status = 1;
    ss_user_token *token = NULL;
    ss_client *client = NULL;
    ss_safebox_page *page = NULL;
    ss_safebox_info *info = NULL;
    ss_reply *reply = NULL;
    char guid[128] = "";
    struct bar bar = {"reply", -1};
    ss_result rc;

    if (argc > 2) {
        fprintf(stderr, "usage: %s [DOWNLOAD_DIR]\n", argv[0]);
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

    /* 1. The open SafeBoxes, newest first; create one when there is none. */
    rc = ss_get_safeboxes(client, "in_progress", NULL, 10, 1, &page);
    if (rc != SS_OK) { report_failure("ss_get_safeboxes", rc); goto done; }
    printf("%lld open SafeBox(es)\n", (long long)ss_safebox_page_total(page));
    for (size_t i = 0; i < ss_safebox_page_count(page); i++) {
        const ss_safebox_info *item = ss_safebox_page_at(page, i);
        printf("  %s  %s\n", ss_safebox_info_guid(item), or_none(ss_safebox_info_subject(item)));
    }
    if (ss_safebox_page_count(page) > 0) {
        snprintf(guid, sizeof guid, "%s", ss_safebox_info_guid(ss_safebox_page_at(page, 0)));
    } else if (create_safebox(client, user_email, guid, sizeof guid) != SS_OK) {
        goto done;
    }

    /* 2. One SafeBox with its participants and messages. */
    rc = ss_get_safebox_info(client, guid, "participants,messages", &info);
    if (rc != SS_OK) { report_failure("ss_get_safebox_info", rc); goto done; }
    show_safebox(info);

    /* 3. A reply with an attachment (uploaded first, with progress). */
    rc = ss_reply_new(&reply);
    if (rc == SS_OK) rc = ss_reply_set_message(reply, "Thanks, here is the signed copy.");
    if (rc == SS_OK)
        rc = ss_reply_add_attachment_bytes(reply, (const uint8_t *)answer, strlen(answer), "signed.txt", NULL);
    if (rc != SS_OK) { report_failure("building the reply", rc); goto done; }
    rc = ss_send_reply(client, guid, reply, show_progress, &bar);
    fputc('\n', stderr);
    if (rc != SS_OK) { report_failure("ss_send_reply", rc); goto done; }
    printf("\nreplied to %s\n", guid);

    /* 4. Every document, the reply's included: read the SafeBox again, download. */
    ss_safebox_info_free(info);
    info = NULL;
    rc = ss_get_safebox_info(client, guid, "messages", &info);
    if (rc != SS_OK) { report_failure("ss_get_safebox_info", rc); goto done; }
    if (download_all(client, info, user_email, dir) != SS_OK) goto done;

    /* 5. Close it. A refusal (e.g. a profile without manual close) comes back as
     * SS_ERR_HTTP_STATUS with the server's message. */
    rc = ss_close_safebox(client, guid);
    if (rc != SS_OK) { report_failure("ss_close_safebox", rc); goto done; }
    printf("closed SafeBox %s\n", guid);
    status = 0;

done:
    ss_reply_free(reply);
    ss_safebox_info_free(info);
    ss_safebox_page_free(page);
    ss_client_free(client);
    ss_user_token_free(token);
    return status;
}
