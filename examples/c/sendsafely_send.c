/* Sends files in a SendSafely package: each encrypted on this machine and uploaded with a
 * progress bar, a recipient, a secure message, then the secure link printed: the quick start of
 * the SendSafely SDKs, in C.
 *
 * usage: sendsafely_send [-r RECIPIENT]... [-m MESSAGE] FILE...
 * Settings come from the environment: SS_SENDSAFELY_HOST, SS_SENDSAFELY_API_KEY,
 * SS_SENDSAFELY_API_SECRET (defaults: the emulator's demo organisation on
 * http://127.0.0.1:8080, `sendsecure-emulator --service sendsafely`). The secure link holds the
 * package's keycode: whoever has it reads the files. */
#include <string.h>
#include "common.h"

/* Draws a progress bar on stderr; returning non-zero would stop the upload (a later call with
 * the same upload resumes it). */
static int show_progress(void *user_data, const ss_progress *p) {
    int *last_percent = user_data;
    const int width = 30;
    double done = p->bytes_total ? (double)p->bytes_sent / (double)p->bytes_total : 1.0;
    int percent = (int)(done * 100);
    if (percent == *last_percent) return 0; /* redraw only when something visible changes */
    *last_percent = percent;
    fprintf(stderr, "\r[");
    for (int i = 0; i < width; i++) fputc(i < (int)(done * width) ? '#' : ' ', stderr);
    fprintf(stderr, "] %3d%%  %.1f/%.1f MiB  (file %zu of %zu)", percent, p->bytes_sent / 1048576.0,
            p->bytes_total / 1048576.0, p->attachment_index + 1, p->attachment_count);
    if (p->bytes_sent == p->bytes_total) fputc('\n', stderr);
    return 0;
}

int main(int argc, char **argv) {
    const char *message = NULL;
    const char *recipients[16];
    size_t recipient_count = 0;
    int first_file = 1;
    while (first_file + 1 < argc && argv[first_file][0] == '-') {
        if (strcmp(argv[first_file], "-r") == 0 && recipient_count < 16) {
            recipients[recipient_count++] = argv[first_file + 1];
        } else if (strcmp(argv[first_file], "-m") == 0) {
            message = argv[first_file + 1];
        } else {
            break;
        }
        first_file += 2;
    }
    if (first_file >= argc || argv[first_file][0] == '-') {
        fprintf(stderr, "usage: %s [-r RECIPIENT]... [-m MESSAGE] FILE...\n", argv[0]);
        return 2;
    }

    int status = 1;
    ss_sendsafely_client *client = NULL;
    ss_sendsafely_package *package = NULL;
    ss_sendsafely_recipient_outcomes *outcomes = NULL;
    ss_sendsafely_upload *upload = NULL;
    ss_sendsafely_uploaded_list *uploaded = NULL;
    ss_sendsafely_finalized *finalized = NULL;
    ss_result rc = ss_sendsafely_client_new(setting("SS_SENDSAFELY_HOST", "http://127.0.0.1:8080"),
                                            setting("SS_SENDSAFELY_API_KEY", "demo-api-key"),
                                            setting("SS_SENDSAFELY_API_SECRET", "demo-api-secret"), NULL, &client);
    if (rc != SS_OK) return report_failure("ss_sendsafely_client_new", rc);

    rc = ss_sendsafely_create_package(client, &package);
    if (rc != SS_OK) { report_failure("ss_sendsafely_create_package", rc); goto done; }
    const char *package_id = ss_sendsafely_package_id(package);

    if (recipient_count > 0) {
        rc = ss_sendsafely_add_recipients(client, package_id, recipients, recipient_count, &outcomes);
        if (rc != SS_OK) { report_failure("ss_sendsafely_add_recipients", rc); goto done; }
        for (size_t i = 0; i < ss_sendsafely_recipient_outcomes_count(outcomes); i++) {
            const ss_sendsafely_recipient_outcome *o = ss_sendsafely_recipient_outcomes_at(outcomes, i);
            if (ss_sendsafely_recipient_outcome_recipient(o) == NULL)
                fprintf(stderr, "recipient %s refused: %s %s\n", ss_sendsafely_recipient_outcome_email(o),
                        ss_sendsafely_recipient_outcome_code(o), ss_sendsafely_recipient_outcome_message(o));
        }
    }

    rc = ss_sendsafely_upload_new(&upload);
    for (int i = first_file; rc == SS_OK && i < argc; i++) rc = ss_sendsafely_upload_add_path(upload, argv[i], NULL, NULL);
    if (rc != SS_OK) { report_failure("ss_sendsafely_upload_add_path", rc); goto done; }
    int last_percent = -1;
    rc = ss_sendsafely_upload_files(client, package, upload, show_progress, &last_percent, &uploaded);
    if (rc != SS_OK) { report_failure("ss_sendsafely_upload_files", rc); goto done; }
    for (size_t i = 0; i < ss_sendsafely_uploaded_list_count(uploaded); i++) {
        const ss_sendsafely_uploaded_file *f = ss_sendsafely_uploaded_list_file(uploaded, i);
        fprintf(stderr, "uploaded %s (%llu bytes, file %s)\n", ss_sendsafely_uploaded_file_name(f),
                (unsigned long long)ss_sendsafely_uploaded_file_size(f), ss_sendsafely_uploaded_file_id(f));
    }

    if (message != NULL) {
        rc = ss_sendsafely_put_message(client, package, message);
        if (rc != SS_OK) { report_failure("ss_sendsafely_put_message", rc); goto done; }
    }
    rc = ss_sendsafely_finalize_package(client, package, &finalized);
    if (rc != SS_OK) { report_failure("ss_sendsafely_finalize_package", rc); goto done; }
    if (ss_sendsafely_finalized_needs_approval(finalized))
        fprintf(stderr, "the package waits for an approver before it reaches its recipients\n");
    printf("%s\n", ss_sendsafely_finalized_secure_link(finalized));
    status = 0;

done:
    ss_sendsafely_finalized_free(finalized);
    ss_sendsafely_uploaded_list_free(uploaded);
    ss_sendsafely_upload_free(upload);
    ss_sendsafely_recipient_outcomes_free(outcomes);
    ss_sendsafely_package_free(package);
    ss_sendsafely_client_free(client);
    return status;
}
