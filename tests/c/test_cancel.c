/* Cancelling calls from another thread with ss_client_cancel, against sendsecure-emulator: a
 * 1 GiB upload stopped in the middle (the time from the cancel to the call's return is measured
 * and printed), a call waiting for a slow server, a cancel from inside the call's own callback,
 * and the client working normally afterwards.
 *
 * Run by tests/c_api.rs like every tests/c/test_*.c (shared, static, valgrind, C++). */
#include "support.h"

#include <time.h>

/* The upload: a stream of 1 GiB produced on the fly (nothing of that size is ever stored). */
#define HUGE_SIZE (1024ull * 1024ull * 1024ull)
/* Cancel once this much was sent. */
#define CANCEL_AFTER (8ull * 1024ull * 1024ull)

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A call run on its own thread, and what it returned when. */
typedef struct {
    const ss_client *client;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    uint64_t sent;               /* bytes reported by the progress callback */
    int finished;
    ss_result result;
    double returned_at;          /* now_ms() when the call returned */
    char message[512];           /* its last error message */
    uint64_t produced;           /* bytes the read callback produced */
    int cancel_from_callback;    /* call ss_client_cancel from the first report */
    ss_result cancel_in_callback;
    int reports_after_cancel;
    int cancelled;
} call_job;

static void job_init(call_job *job, const ss_client *client) {
    memset(job, 0, sizeof *job);
    job->client = client;
    pthread_mutex_init(&job->lock, NULL);
    pthread_cond_init(&job->changed, NULL);
}

static void job_destroy(call_job *job) {
    pthread_mutex_destroy(&job->lock);
    pthread_cond_destroy(&job->changed);
}

static int64_t produce(void *user_data, uint8_t *buf, size_t len) {
    call_job *job = (call_job *)user_data;
    uint64_t left = HUGE_SIZE - job->produced;
    size_t n = left < len ? (size_t)left : len;
    for (size_t i = 0; i < n; i++) buf[i] = (uint8_t)((job->produced + i) * 31u);
    job->produced += n;
    return (int64_t)n;
}

static int report(void *user_data, const ss_progress *p) {
    call_job *job = (call_job *)user_data;
    if (job->cancelled) job->reports_after_cancel++;
    if (job->cancel_from_callback && !job->cancelled) {
        job->cancel_in_callback = ss_client_cancel(job->client);
        job->cancelled = 1;
    }
    pthread_mutex_lock(&job->lock);
    job->sent = p->bytes_sent;
    pthread_cond_broadcast(&job->changed);
    pthread_mutex_unlock(&job->lock);
    return 0;
}

static void finish(call_job *job, ss_result result) {
    double at = now_ms();
    char message[512];
    ss_last_error_message(message, sizeof message);
    pthread_mutex_lock(&job->lock);
    job->result = result;
    job->returned_at = at;
    snprintf(job->message, sizeof job->message, "%s", message);
    job->finished = 1;
    pthread_cond_broadcast(&job->changed);
    pthread_mutex_unlock(&job->lock);
}

static void *huge_upload(void *arg) {
    call_job *job = (call_job *)arg;
    ss_safebox *sb = new_safebox(USER_EMAIL);
    ss_safebox_response *response = NULL;
    ss_result rc = ss_safebox_add_attachment_stream(sb, produce, job, HUGE_SIZE, "huge.dat", NULL);
    if (rc == SS_OK) rc = ss_submit_safebox(job->client, sb, report, job, &response);
    finish(job, rc);
    ss_safebox_response_free(response);
    ss_safebox_free(sb);
    return NULL;
}

static void *slow_read(void *arg) {
    call_job *job = (call_job *)arg;
    ss_enterprise_settings *settings = NULL;
    ss_result rc = ss_get_enterprise_settings(job->client, &settings);
    finish(job, rc);
    ss_enterprise_settings_free(settings);
    return NULL;
}

/* Waits until the job sent `bytes` or finished; returns whether it is still running. */
static int wait_for_bytes(call_job *job, uint64_t bytes) {
    pthread_mutex_lock(&job->lock);
    while (!job->finished && job->sent < bytes) pthread_cond_wait(&job->changed, &job->lock);
    int running = !job->finished;
    pthread_mutex_unlock(&job->lock);
    return running;
}

static void test_arguments(const ss_client *client) {
    CHECK_ERR(ss_client_cancel(NULL), SS_ERR_NULL_ARGUMENT, "`client`");
    CHECK_STR(ss_result_str(SS_ERR_CANCELLED), "cancelled");
    /* Nothing runs: nothing happens, and the next call is not affected. */
    CHECK_RC(ss_client_cancel(client), SS_OK);
    ss_enterprise_settings *settings = NULL;
    CHECK_RC(ss_get_enterprise_settings(client, &settings), SS_OK);
    ss_enterprise_settings_free(settings);
}

static void test_cancel_upload(const ss_client *client) {
    call_job job;
    job_init(&job, client);
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, huge_upload, &job) == 0);
    int running = wait_for_bytes(&job, CANCEL_AFTER);
    CHECK(running);
    double cancelled_at = now_ms();
    CHECK_RC(ss_client_cancel(client), SS_OK);
    CHECK(pthread_join(thread, NULL) == 0);
    double latency = job.returned_at - cancelled_at;
    printf("cancel of a 1 GiB upload after %.1f MiB: the call returned %.1f ms after ss_client_cancel\n",
           (double)job.sent / 1048576.0, latency);
    CHECK(job.result == SS_ERR_CANCELLED);
    CHECK(contains(job.message, "cancelled"));
    CHECK(job.sent < HUGE_SIZE);
    /* Generous: 100 ms is the target, valgrind slows everything down. */
    CHECK(latency >= 0 && latency < 2000);
    job_destroy(&job);

    /* The client works as before. */
    ss_enterprise_settings *settings = NULL;
    CHECK_RC(ss_get_enterprise_settings(client, &settings), SS_OK);
    ss_enterprise_settings_free(settings);
}

static void test_cancel_waiting_call(const ss_client *client) {
    CHECK(set_latency(5000));
    call_job job;
    job_init(&job, client);
    pthread_t thread;
    double started = now_ms();
    CHECK(pthread_create(&thread, NULL, slow_read, &job) == 0);
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
    double cancelled_at = now_ms();
    CHECK_RC(ss_client_cancel(client), SS_OK);
    CHECK(pthread_join(thread, NULL) == 0);
    printf("cancel of a call waiting for a server 5 s late: returned %.1f ms after ss_client_cancel\n",
           job.returned_at - cancelled_at);
    CHECK(job.result == SS_ERR_CANCELLED);
    CHECK(job.returned_at - started < 4000); /* well before the server's answer */
    job_destroy(&job);
    clear_faults(); /* also removes the latency */
}

static void test_cancel_from_own_callback(const ss_client *client) {
    call_job job;
    job_init(&job, client);
    job.cancel_from_callback = 1;
    huge_upload(&job); /* on this thread */
    CHECK(job.cancel_in_callback == SS_OK);
    CHECK(job.result == SS_ERR_CANCELLED);
    CHECK(job.reports_after_cancel <= 1);
    CHECK(job.sent < HUGE_SIZE);
    job_destroy(&job);
}

int main(void) {
    if (!support_setup()) return 2;
    ss_user_token *token = demo_token();
    ss_client *client = client_for(ss_user_token_token(token), ss_user_token_user_id(token), 1);
    if (client != NULL) {
        test_arguments(client);
        test_cancel_upload(client);
        test_cancel_waiting_call(client);
        test_cancel_from_own_callback(client);
        test_arguments(client);
    }
    ss_client_free(client);
    ss_user_token_free(token);
    support_cleanup();
    return check_summary();
}
