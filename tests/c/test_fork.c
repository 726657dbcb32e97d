/* fork() after the library has run calls, against sendsecure-emulator: the child makes its own
 * login, client and calls (a fresh runtime), gets SS_ERR_INVALID_STATE from the client it
 * inherited and frees it without harm, while the parent goes on with its calls on the same
 * client, undisturbed. Several rounds: a child used to hang in its first call and the parent to
 * die of SIGSEGV in the I/O driver in 3 runs out of 4.
 *
 * The parent waits for each child at most CHILD_LIMIT_S seconds, then kills it: a hang fails
 * the test instead of hanging it. Run by tests/c_api.rs like every tests/c/test_*.c (shared,
 * static, valgrind, ASan, C++). */
#include "support.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#define ROUNDS 4
#define CHILD_LIMIT_S 60
#define FORKED "created before this process was forked"

static int settings_ok(const ss_client *client) {
    ss_enterprise_settings *settings = NULL;
    int ok = CHECK_RC(ss_get_enterprise_settings(client, &settings), SS_OK);
    ok = ok && CHECK(ss_enterprise_settings_default_security_profile_id(settings) > 0);
    ss_enterprise_settings_free(settings);
    return ok;
}

static int submit_ok(const ss_client *client, const char *name) {
    ss_safebox *sb = new_safebox(USER_EMAIL);
    CHECK_RC(ss_safebox_add_attachment_bytes(sb, g_bytes, BYTES_SIZE, name, NULL), SS_OK);
    ss_safebox_response *response = NULL;
    int ok = CHECK_RC(ss_submit_safebox(client, sb, NULL, NULL, &response), SS_OK);
    ok = ok && CHECK(stored_size(ss_safebox_response_guid(response), BYTES_SIZE));
    ss_safebox_response_free(response);
    ss_safebox_free(sb);
    return ok;
}

/* What a child does; its exit status is 0 when every check passed. */
static int child(ss_client *inherited) {
    int failed = checks_failed;
    /* The inherited client's connections belong to the parent: refused, clearly. */
    ss_enterprise_settings *settings = NULL;
    CHECK_ERR(ss_get_enterprise_settings(inherited, &settings), SS_ERR_INVALID_STATE, FORKED);
    CHECK(settings == NULL);
    CHECK_ERR(ss_client_cancel(inherited), SS_ERR_INVALID_STATE, FORKED);
    /* Its own login and client work. */
    ss_user_token *token = demo_token();
    ss_client *own = client_for(ss_user_token_token(token), ss_user_token_user_id(token), 0);
    if (own != NULL) {
        settings_ok(own);
        submit_ok(own, "child.txt");
        CHECK_RC(ss_client_cancel(own), SS_OK);
    }
    ss_client_free(own);
    ss_user_token_free(token);
    /* Freeing the inherited client neither hangs nor touches the parent's connections. */
    ss_client_free(inherited);
    return checks_failed == failed ? 0 : 1;
}

/* Ends a child with `status`. Through exec: in the child, what only the parent's I/O threads
 * referenced (those threads are not copied by fork) would look lost to valgrind's leak check at
 * exit, though the parent frees it; the parent's run checks the library's memory. */
static void end_child(int status) {
    fflush(stderr);
    execl("/bin/sh", "sh", "-c", status == 0 ? "exit 0" : "exit 1", (char *)NULL);
    _exit(status);
}

/* Waits for `pid` at most CHILD_LIMIT_S seconds (then kills it); its exit status, or -1 when it
 * was killed or died of a signal. */
static int wait_child(pid_t pid) {
    struct timespec tick = {0, 10 * 1000 * 1000};
    for (long waited_ms = 0; waited_ms < CHILD_LIMIT_S * 1000L; waited_ms += 10) {
        int status = 0;
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            if (WIFEXITED(status)) return WEXITSTATUS(status);
            fprintf(stderr, "child %ld died of signal %d\n", (long)pid, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
            return -1;
        }
        if (done < 0) return -1;
        nanosleep(&tick, NULL);
    }
    fprintf(stderr, "child %ld still running after %d s: killed\n", (long)pid, CHILD_LIMIT_S);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

static void test_fork_rounds(ss_client *client) {
    /* The library has run calls: its I/O threads exist and the client holds connections. */
    settings_ok(client);
    submit_ok(client, "before-fork.txt");
    for (int round = 0; round < ROUNDS; round++) {
        fflush(stdout);
        fflush(stderr);
        pid_t pid = fork();
        if (!CHECK(pid >= 0)) return;
        if (pid == 0) end_child(child(client));
        /* The parent keeps working meanwhile, with the same client. */
        CHECK(settings_ok(client));
        CHECK(submit_ok(client, "parent.txt"));
        int status = wait_child(pid);
        if (!CHECK(status == 0)) {
            fprintf(stderr, "round %d: the child exited with %d\n", round, status);
            if (status < 0) return;
        }
        CHECK(settings_ok(client));
    }
}

/* A child that does not use the library at all, and one forked before any call (no runtime
 * yet in the child's copy either way). */
static void test_fork_without_calls(void) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (!CHECK(pid >= 0)) return;
    if (pid == 0) end_child(0);
    CHECK(wait_child(pid) == 0);
}

int main(void) {
    if (!support_setup()) return 2;
    test_fork_without_calls();
    ss_user_token *token = demo_token();
    ss_client *client = client_for(ss_user_token_token(token), ss_user_token_user_id(token), 0);
    if (client != NULL) test_fork_rounds(client);
    ss_client_free(client);
    ss_user_token_free(token);
    support_cleanup();
    return check_summary();
}
