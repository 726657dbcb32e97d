/* The measuring program of the libsendsecure benchmark (driven by bench/run.sh).
 *
 * usage: ss_bench COMMAND ARGS...
 *   upload FILE                        ss_submit_safebox of one attachment (as examples/c does)
 *   download GUID DOCUMENT_ID PATH     ss_download_document into PATH
 *   submit-many N SIZE CONCURRENCY DIR [cold]
 *                                      ss_submit_safebox of N attachments of SIZE bytes (files
 *                                      DIR/att-NN.dat, created when missing, untimed) with
 *                                      ss_client_options.upload_concurrency = CONCURRENCY (0 =
 *                                      the library's default); unless "cold", one untimed call
 *                                      first does the service discovery and opens a connection
 *   calls N GUID [settings]            one untimed call, then N timed info calls on one client
 *                                      (ss_get_enterprise_settings calls with "settings")
 *   threads T N GUID                   T pthreads sharing one const ss_client *, N info calls each
 *   first-call                         ss_client_new + the first ss_get_enterprise_settings
 *                                      (needs SS_TOKEN: no login before)
 *   run CMD ARGS...                    runs CMD (the curl baselines) and reports its wall time,
 *                                      CPU and peak RSS (getrusage(RUSAGE_CHILDREN)), with microsecond CPU
 *                                      resolution (GNU time prints CPU in 10 ms steps)
 *
 * Every command prints `key=value` lines on stdout: wall seconds (CLOCK_MONOTONIC) of the
 * measured part, CPU seconds user+sys (getrusage(RUSAGE_SELF): every thread of the process,
 * the library's I/O threads included) of the same part, and the peak RSS in KiB (ru_maxrss).
 *
 * Settings come from the environment: SS_ENDPOINT (required), SS_ACCOUNT (acme), SS_TOKEN and
 * SS_USER_ID (else a login with SS_USERNAME / SS_PASSWORD), SS_USER_EMAIL (demo@acme.example);
 * SS_BENCH_NO_PROGRESS=1 makes `upload` pass no progress callback (for diagnosis).
 *
 * The "info call" is ss_get_safebox_info(client, guid, NULL, ...): every section. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "sendsecure.h"

static const char *setting(const char *name, const char *fallback) {
    const char *value = getenv(name);
    return (value != NULL && value[0] != '\0') ? value : fallback;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec / 1e6;
}

static long maxrss_kib(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int fail(const char *what, ss_result rc) {
    char message[1024];
    ss_last_error_message(message, sizeof message);
    fprintf(stderr, "ss_bench: %s failed: %s (%u): %s\n", what, ss_result_str(rc), (unsigned)rc, message);
    if (ss_last_error_http_status() != 0) {
        char body[1024];
        ss_last_error_body(body, sizeof body);
        fprintf(stderr, "  HTTP %d: %s\n", ss_last_error_http_status(), body);
    }
    return 1;
}

/* A client for the settings of the environment; upload_concurrency 0 keeps the default. */
static ss_result make_client(uint32_t upload_concurrency, ss_client **out) {
    const char *endpoint = getenv("SS_ENDPOINT");
    const char *account = setting("SS_ACCOUNT", "acme");
    const char *token = getenv("SS_TOKEN");
    ss_user_token *login = NULL;
    ss_client_options options;
    ss_result rc;

    if (endpoint == NULL) {
        fprintf(stderr, "ss_bench: SS_ENDPOINT is not set\n");
        return SS_ERR_INVALID_ARGUMENT;
    }
    ss_client_options_init(&options);
    if (upload_concurrency > 0) options.upload_concurrency = upload_concurrency;
    if (token != NULL && token[0] != '\0') {
        options.user_id = strtoll(setting("SS_USER_ID", "0"), NULL, 10);
        return ss_client_new(token, account, endpoint, &options, out);
    }
    rc = ss_get_user_token(account, setting("SS_USERNAME", "demo"), setting("SS_PASSWORD", "demo-password"), "bench",
                           "bench", "bench", endpoint, NULL, NULL, &login);
    if (rc != SS_OK) return rc;
    options.user_id = ss_user_token_user_id(login);
    rc = ss_client_new(ss_user_token_token(login), account, endpoint, &options, out);
    ss_user_token_free(login);
    return rc;
}

/* The call measured by `calls` and `threads`. */
#define INFO_CALL_NAME "ss_get_safebox_info"
static ss_result info_call(const ss_client *client, const char *guid) {
    ss_safebox_info *info = NULL;
    ss_result rc = ss_get_safebox_info(client, guid, NULL, &info); /* NULL: every section */
    ss_safebox_info_free(info);
    return rc;
}

/* A SafeBox for the demo account with one recipient, as in examples/c/submit_safebox.c. */
static ss_result make_safebox(ss_safebox **out) {
    ss_recipient *recipient = NULL;
    ss_result rc = ss_safebox_new(setting("SS_USER_EMAIL", "demo@acme.example"), out);
    if (rc != SS_OK) return rc;
    rc = ss_safebox_set_subject(*out, "libsendsecure benchmark");
    if (rc == SS_OK) rc = ss_safebox_set_message(*out, "Benchmark upload.");
    if (rc == SS_OK) rc = ss_safebox_add_recipient(*out, "john.smith@example.com", &recipient);
    if (rc == SS_OK) rc = ss_recipient_add_contact_method(recipient, "+15145550000", SS_DESTINATION_CELL);
    return rc;
}

/* A cheap progress callback, as a real program would pass one. */
static int count_progress(void *user_data, const ss_progress *p) {
    (void)p;
    ++*(uint64_t *)user_data;
    return 0;
}

static void print_common(double wall, double cpu) {
    printf("wall_s=%.6f\ncpu_s=%.6f\nmaxrss_kib=%ld\n", wall, cpu, maxrss_kib());
}

static int cmd_upload(int argc, char **argv) {
    ss_client *client = NULL;
    ss_safebox *safebox = NULL;
    ss_safebox_response *response = NULL;
    uint64_t reports = 0;
    struct stat st;
    int status = 1;
    ss_result rc;

    if (argc != 1) {
        fprintf(stderr, "usage: ss_bench upload FILE\n");
        return 2;
    }
    if (stat(argv[0], &st) != 0) {
        fprintf(stderr, "ss_bench: %s: %s\n", argv[0], strerror(errno));
        return 1;
    }
    rc = make_client(0, &client);
    if (rc != SS_OK) return fail("creating the client", rc);
    rc = make_safebox(&safebox);
    if (rc == SS_OK) rc = ss_safebox_add_attachment_file(safebox, argv[0], NULL, NULL);
    if (rc != SS_OK) { fail("building the SafeBox", rc); goto done; }

    /* SS_BENCH_NO_PROGRESS=1: no progress callback (to see what the progress reports cost) */
    ss_progress_cb progress = getenv("SS_BENCH_NO_PROGRESS") != NULL ? NULL : count_progress;
    double cpu0 = cpu_s(), t0 = now_s();
    rc = ss_submit_safebox(client, safebox, progress, &reports, &response);
    double wall = now_s() - t0, cpu = cpu_s() - cpu0;
    if (rc != SS_OK) { fail("ss_submit_safebox", rc); goto done; }
    print_common(wall, cpu);
    printf("bytes=%lld\nprogress_reports=%" PRIu64 "\nguid=%s\n", (long long)st.st_size, reports,
           ss_safebox_response_guid(response));
    status = 0;
done:
    ss_safebox_response_free(response);
    ss_safebox_free(safebox);
    ss_client_free(client);
    return status;
}

static int cmd_download(int argc, char **argv) {
    ss_client *client = NULL;
    uint64_t reports = 0;
    struct stat st;
    ss_result rc;

    if (argc != 3) {
        fprintf(stderr, "usage: ss_bench download GUID DOCUMENT_ID PATH\n");
        return 2;
    }
    rc = make_client(0, &client);
    if (rc != SS_OK) return fail("creating the client", rc);
    double cpu0 = cpu_s(), t0 = now_s();
    rc = ss_download_document(client, argv[0], argv[1], setting("SS_USER_EMAIL", "demo@acme.example"), argv[2],
                              count_progress, &reports);
    double wall = now_s() - t0, cpu = cpu_s() - cpu0;
    ss_client_free(client);
    if (rc != SS_OK) return fail("ss_download_document", rc);
    if (stat(argv[2], &st) != 0) {
        fprintf(stderr, "ss_bench: %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    print_common(wall, cpu);
    printf("bytes=%lld\nprogress_reports=%" PRIu64 "\n", (long long)st.st_size, reports);
    return 0;
}

/* Creates `path` with `size` bytes (a repeated pattern) unless it already has that size. */
static int ensure_file(const char *path, long long size) {
    struct stat st;
    if (stat(path, &st) == 0 && st.st_size == size) return 0;
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "ss_bench: %s: %s\n", path, strerror(errno));
        return 1;
    }
    static unsigned char block[65536];
    for (size_t i = 0; i < sizeof block; i++) block[i] = (unsigned char)(i * 131u + 7u);
    for (long long left = size; left > 0;) {
        size_t n = left < (long long)sizeof block ? (size_t)left : sizeof block;
        if (fwrite(block, 1, n, f) != n) {
            fclose(f);
            fprintf(stderr, "ss_bench: writing %s failed\n", path);
            return 1;
        }
        left -= (long long)n;
    }
    return fclose(f) == 0 ? 0 : 1;
}

static int cmd_submit_many(int argc, char **argv) {
    ss_client *client = NULL;
    ss_safebox *safebox = NULL;
    ss_safebox_response *response = NULL;
    ss_client_options defaults;
    uint64_t reports = 0;
    int status = 1;
    ss_result rc;

    if (argc != 4 && !(argc == 5 && strcmp(argv[4], "cold") == 0)) {
        fprintf(stderr, "usage: ss_bench submit-many N SIZE CONCURRENCY DIR [cold]\n");
        return 2;
    }
    int n = atoi(argv[0]);
    long long size = atoll(argv[1]);
    uint32_t concurrency = (uint32_t)strtoul(argv[2], NULL, 10);
    int warm = argc == 4;
    ss_client_options_init(&defaults);

    rc = make_client(concurrency, &client);
    if (rc != SS_OK) return fail("creating the client", rc);
    rc = make_safebox(&safebox);
    if (rc != SS_OK) { fail("building the SafeBox", rc); goto done; }
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/att-%02d.dat", argv[3], i);
        if (ensure_file(path, size) != 0) goto done;
        rc = ss_safebox_add_attachment_file(safebox, path, NULL, NULL);
        if (rc != SS_OK) { fail(path, rc); goto done; }
    }
    if (warm) { /* service discovery and one connection, as an application already running has */
        ss_enterprise_settings *settings = NULL;
        rc = ss_get_enterprise_settings(client, &settings);
        ss_enterprise_settings_free(settings);
        if (rc != SS_OK) { fail("warm-up call", rc); goto done; }
    }

    double cpu0 = cpu_s(), t0 = now_s();
    rc = ss_submit_safebox(client, safebox, count_progress, &reports, &response);
    double wall = now_s() - t0, cpu = cpu_s() - cpu0;
    if (rc != SS_OK) { fail("ss_submit_safebox", rc); goto done; }
    print_common(wall, cpu);
    printf("attachments=%d\nattachment_bytes=%lld\nconcurrency=%u\nwarm=%d\nguid=%s\n", n, size,
           concurrency > 0 ? concurrency : defaults.upload_concurrency, warm, ss_safebox_response_guid(response));
    status = 0;
done:
    ss_safebox_response_free(response);
    ss_safebox_free(safebox);
    ss_client_free(client);
    return status;
}

static ss_result settings_call(const ss_client *client, const char *guid) {
    ss_enterprise_settings *settings = NULL;
    (void)guid;
    ss_result rc = ss_get_enterprise_settings(client, &settings);
    ss_enterprise_settings_free(settings);
    return rc;
}

/* calls N GUID [settings]: "settings" measures ss_get_enterprise_settings (a 444-byte answer)
 * instead of the info call, to tell the cost of a round trip from the cost of decoding. */
static int cmd_calls(int argc, char **argv) {
    ss_client *client = NULL;
    ss_result rc;

    if (argc != 2 && !(argc == 3 && strcmp(argv[2], "settings") == 0)) {
        fprintf(stderr, "usage: ss_bench calls N GUID [settings]\n");
        return 2;
    }
    ss_result (*one)(const ss_client *, const char *) = argc == 3 ? settings_call : info_call;
    const char *name = argc == 3 ? "ss_get_enterprise_settings" : INFO_CALL_NAME;
    long n = atol(argv[0]);
    rc = make_client(0, &client);
    if (rc != SS_OK) return fail("creating the client", rc);
    rc = one(client, argv[1]); /* discovery and the connection: not part of a call's cost */
    if (rc != SS_OK) { ss_client_free(client); return fail(name, rc); }
    double cpu0 = cpu_s(), t0 = now_s();
    for (long i = 0; i < n; i++) {
        rc = one(client, argv[1]);
        if (rc != SS_OK) { ss_client_free(client); return fail(name, rc); }
    }
    double wall = now_s() - t0, cpu = cpu_s() - cpu0;
    ss_client_free(client);
    print_common(wall, cpu);
    printf("calls=%ld\nper_call_us=%.3f\ninfo_call=%s\n", n, wall / (double)n * 1e6, name);
    return 0;
}

struct worker {
    pthread_t thread;
    const ss_client *client;
    const char *guid;
    long calls;
    long errors;
    ss_result first_error;
    pthread_barrier_t *start;
};

static void *work(void *arg) {
    struct worker *w = arg;
    pthread_barrier_wait(w->start);
    for (long i = 0; i < w->calls; i++) {
        ss_result rc = info_call(w->client, w->guid);
        if (rc != SS_OK) {
            if (w->errors++ == 0) w->first_error = rc;
        }
    }
    return NULL;
}

static int cmd_threads(int argc, char **argv) {
    ss_client *client = NULL;
    pthread_barrier_t start;
    ss_result rc;

    if (argc != 3) {
        fprintf(stderr, "usage: ss_bench threads T N GUID\n");
        return 2;
    }
    int t = atoi(argv[0]);
    long n = atol(argv[1]);
    if (t < 1) return 2;
    struct worker *workers = calloc((size_t)t, sizeof *workers);
    if (workers == NULL) return 1;
    rc = make_client(0, &client);
    if (rc != SS_OK) { free(workers); return fail("creating the client", rc); }
    rc = info_call(client, argv[2]);
    if (rc != SS_OK) { ss_client_free(client); free(workers); return fail("first " INFO_CALL_NAME, rc); }

    pthread_barrier_init(&start, NULL, (unsigned)t + 1);
    for (int i = 0; i < t; i++) {
        workers[i] = (struct worker){.client = client, .guid = argv[2], .calls = n, .start = &start};
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0) {
            fprintf(stderr, "ss_bench: pthread_create failed\n");
            exit(1); /* the barrier cannot be released: give up */
        }
    }
    double cpu0 = cpu_s(), t0 = now_s();
    pthread_barrier_wait(&start);
    for (int i = 0; i < t; i++) pthread_join(workers[i].thread, NULL);
    double wall = now_s() - t0, cpu = cpu_s() - cpu0;
    pthread_barrier_destroy(&start);
    ss_client_free(client);

    long errors = 0;
    ss_result first_error = SS_OK;
    for (int i = 0; i < t; i++) {
        if (workers[i].errors > 0 && first_error == SS_OK) first_error = workers[i].first_error;
        errors += workers[i].errors;
    }
    free(workers);
    print_common(wall, cpu);
    printf("threads=%d\ncalls=%ld\nerrors=%ld\ncalls_per_s=%.1f\ninfo_call=%s\n", t, (long)t * n, errors,
           (double)t * (double)n / wall, INFO_CALL_NAME);
    if (errors > 0) {
        fprintf(stderr, "ss_bench: %ld calls failed, the first with %s\n", errors, ss_result_str(first_error));
        return 1;
    }
    return 0;
}

static int cmd_first_call(int argc, char **argv) {
    ss_client *client = NULL;
    ss_enterprise_settings *settings = NULL;
    (void)argv;
    if (argc != 0) {
        fprintf(stderr, "usage: ss_bench first-call\n");
        return 2;
    }
    if (getenv("SS_TOKEN") == NULL || getenv("SS_TOKEN")[0] == '\0') {
        fprintf(stderr, "ss_bench: first-call needs SS_TOKEN (a login would be the first call)\n");
        return 2;
    }
    double cpu0 = cpu_s(), t0 = now_s();
    ss_result rc = make_client(0, &client);
    double t_new = now_s();
    if (rc != SS_OK) return fail("ss_client_new", rc);
    rc = ss_get_enterprise_settings(client, &settings);
    double t_first = now_s(), cpu = cpu_s() - cpu0;
    ss_enterprise_settings_free(settings);
    settings = NULL;
    if (rc != SS_OK) { ss_client_free(client); return fail("ss_get_enterprise_settings", rc); }
    rc = ss_get_enterprise_settings(client, &settings);
    double t_second = now_s();
    ss_enterprise_settings_free(settings);
    ss_client_free(client);
    if (rc != SS_OK) return fail("second ss_get_enterprise_settings", rc);
    print_common(t_first - t0, cpu);
    printf("client_new_s=%.6f\nfirst_call_s=%.6f\nsecond_call_s=%.6f\n", t_new - t0, t_first - t_new,
           t_second - t_first);
    return 0;
}

static int cmd_run(int argc, char **argv) {
    if (argc < 1) {
        fprintf(stderr, "usage: ss_bench run CMD ARGS...\n");
        return 2;
    }
    fflush(stdout);
    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "ss_bench: fork: %s\n", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "ss_bench: %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int wstatus;
    struct rusage ru; /* the only child of this process: RUSAGE_CHILDREN is its usage */
    while (waitpid(pid, &wstatus, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "ss_bench: waitpid: %s\n", strerror(errno));
            return 1;
        }
    }
    double wall = now_s() - t0;
    getrusage(RUSAGE_CHILDREN, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                 (double)ru.ru_stime.tv_usec / 1e6;
    if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
        fprintf(stderr, "ss_bench: %s failed (%s %d)\n", argv[0], WIFEXITED(wstatus) ? "exit status" : "signal",
                WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : WTERMSIG(wstatus));
        return 1;
    }
    printf("wall_s=%.6f\ncpu_s=%.6f\nmaxrss_kib=%ld\n", wall, cpu, ru.ru_maxrss);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s upload|download|submit-many|calls|threads|first-call|run ARGS...\n", argv[0]);
        return 2;
    }
    const char *cmd = argv[1];
    int status;
    if (strcmp(cmd, "upload") == 0) status = cmd_upload(argc - 2, argv + 2);
    else if (strcmp(cmd, "download") == 0) status = cmd_download(argc - 2, argv + 2);
    else if (strcmp(cmd, "submit-many") == 0) status = cmd_submit_many(argc - 2, argv + 2);
    else if (strcmp(cmd, "calls") == 0) status = cmd_calls(argc - 2, argv + 2);
    else if (strcmp(cmd, "threads") == 0) status = cmd_threads(argc - 2, argv + 2);
    else if (strcmp(cmd, "first-call") == 0) status = cmd_first_call(argc - 2, argv + 2);
    else if (strcmp(cmd, "run") == 0) status = cmd_run(argc - 2, argv + 2);
    else {
        fprintf(stderr, "ss_bench: unknown command %s\n", cmd);
        status = 2;
    }
    fflush(stdout);
    return status;
}
