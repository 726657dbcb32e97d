/* Downloads a SendSafely package from its secure link: every file, decrypted, into a directory,
 * with a progress line on standard error; prints the paths written and the secure message.
 *
 *   sendsafely_download LINK [DIR]
 *
 * DIR (default: the current directory) must exist; files already there under the same names are
 * replaced. The portal and the credentials come from SS_SENDSAFELY_HOST (default
 * http://127.0.0.1:8080, the emulator), SS_SENDSAFELY_API_KEY and SS_SENDSAFELY_API_SECRET
 * (default: the emulator's demo user). Exit status 0 when every file was written, 1 otherwise
 * (a file that does not decrypt, as with a wrong keycode or an altered segment, is never
 * written). */
#include <stdint.h>
#include <stdio.h>
#include "common.h"

/* One progress line per report, rewritten in place: which file, how far. */
static int show_progress(void *user_data, const ss_progress *p) {
    const ss_sendsafely_package_info *info = (const ss_sendsafely_package_info *)user_data;
    const char *name = ss_sendsafely_file_name(ss_sendsafely_package_info_file(info, p->attachment_index));
    unsigned percent = p->attachment_bytes_total > 0
                           ? (unsigned)(p->attachment_bytes_sent * 100 / p->attachment_bytes_total)
                           : 100u;
    fprintf(stderr, "\rfile %zu/%zu %s: %llu/%llu bytes (%u%%)%s", p->attachment_index + 1, p->attachment_count,
            name ? name : "?", (unsigned long long)p->attachment_bytes_sent,
            (unsigned long long)p->attachment_bytes_total, percent,
            p->attachment_bytes_sent == p->attachment_bytes_total ? "\n" : "");
    return 0; /* non-zero would stop the download */
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s LINK [DIR]\n", argv[0]);
        return 2;
    }
    const char *link = argv[1];
    const char *dir = argc > 2 ? argv[2] : ".";
    ss_sendsafely_client *client = NULL;
    ss_result rc = ss_sendsafely_client_new(setting("SS_SENDSAFELY_HOST", "http://127.0.0.1:8080"),
                                            setting("SS_SENDSAFELY_API_KEY", "demo-api-key"),
                                            setting("SS_SENDSAFELY_API_SECRET", "demo-api-secret"), NULL, &client);
    if (rc != SS_OK) return report_failure("ss_sendsafely_client_new", rc);

    ss_sendsafely_received *received = NULL;
    rc = ss_sendsafely_open_link(client, link, &received);
    if (rc != SS_OK) {
        report_failure("ss_sendsafely_open_link", rc);
        ss_sendsafely_client_free(client);
        return 1;
    }
    const ss_sendsafely_package_info *info = ss_sendsafely_received_info(received);
    printf("package %s from %s: %zu file(s)\n", ss_sendsafely_package_info_id(info),
           ss_sendsafely_package_info_sender(info), ss_sendsafely_package_info_file_count(info));

    ss_sendsafely_downloaded *downloaded = NULL;
    rc = ss_sendsafely_download_package(client, received, dir, show_progress, (void *)info, &downloaded);
    if (rc == SS_OK) {
        for (size_t i = 0; i < ss_sendsafely_downloaded_file_count(downloaded); i++)
            printf("saved %s\n", ss_sendsafely_downloaded_file_path(downloaded, i));
        const char *message = ss_sendsafely_downloaded_message(downloaded);
        if (message[0] != '\0') printf("message:\n%s\n", message);
    } else {
        fprintf(stderr, "\n");
        report_failure("ss_sendsafely_download_package", rc);
    }
    ss_sendsafely_downloaded_free(downloaded); /* wipes the message */
    ss_sendsafely_received_free(received);     /* wipes the keycode */
    ss_sendsafely_client_free(client);
    return rc == SS_OK ? 0 : 1;
}
