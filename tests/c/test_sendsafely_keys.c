/* SendSafely trusted-device keys from C, against the emulator's SendSafely service: a key pair
 * generated and registered, read back from what a program stores, refusals of a wrapped keycode
 * (none wrapped to the key, another user's key, an unknown package), revocation, every NULL and
 * invalid UTF-8 argument, and no private key in an error. A keycode really wrapped to the key
 * needs a finalized package, which this program cannot make yet:
 * tests/sendsafely_ffi_keys.rs unwraps one through these same functions.
 *
 * Environment: SS_TEST_SENDSAFELY_URL, the SendSafely emulator (demo organisation). */
#include "support.h"

static ss_sendsafely_client *g_demo;
static ss_sendsafely_client *g_bob;

static char *copy(const char *s) {
    return s != NULL ? strdup(s) : NULL;
}

static void test_generate_register_and_rebuild(void) {
    ss_sendsafely_trusted_key *key = NULL;
    CHECK_RC(ss_sendsafely_add_trusted_key(g_demo, "C tests laptop", &key), SS_OK);
    const char *id = ss_sendsafely_trusted_key_id(key);
    CHECK(id != NULL && id[0] != '\0');
    CHECK(contains(ss_sendsafely_trusted_key_public_key(key), "-----BEGIN PGP PUBLIC KEY BLOCK-----"));
    CHECK(contains(ss_sendsafely_trusted_key_private_key(key), "-----BEGIN PGP PRIVATE KEY BLOCK-----"));
    CHECK(!contains(ss_sendsafely_trusted_key_public_key(key), "PRIVATE"));

    /* What a program stores (id, private key) gives the same key back, public half included. */
    char *stored_id = copy(id);
    char *stored_private = copy(ss_sendsafely_trusted_key_private_key(key));
    ss_sendsafely_trusted_key *again = NULL;
    CHECK_RC(ss_sendsafely_trusted_key_new(stored_id, stored_private, &again), SS_OK);
    CHECK_STR(ss_sendsafely_trusted_key_id(again), id);
    CHECK_STR(ss_sendsafely_trusted_key_public_key(again), ss_sendsafely_trusted_key_public_key(key));
    CHECK_STR(ss_sendsafely_trusted_key_private_key(again), stored_private);
    ss_sendsafely_trusted_key_free(again);

    /* A second key gets another id. */
    ss_sendsafely_trusted_key *second = NULL;
    CHECK_RC(ss_sendsafely_add_trusted_key(g_demo, "", &second), SS_OK);
    CHECK(strcmp(ss_sendsafely_trusted_key_id(second), id) != 0);
    CHECK(strcmp(ss_sendsafely_trusted_key_public_key(second), ss_sendsafely_trusted_key_public_key(key)) != 0);

    /* Texts that are no private key are refused, and the error never shows the key. */
    again = NULL;
    CHECK_ERR(ss_sendsafely_trusted_key_new(stored_id, "not a key", &again), SS_ERR_INVALID_ARGUMENT, "secret key");
    CHECK_ERR(ss_sendsafely_trusted_key_new(stored_id, ss_sendsafely_trusted_key_public_key(key), &again),
              SS_ERR_INVALID_ARGUMENT, "secret key");
    CHECK_ERR(ss_sendsafely_trusted_key_new("", stored_private, &again), SS_ERR_INVALID_ARGUMENT, "key id");
    size_t len = strlen(stored_private);
    char *cut = copy(stored_private);
    cut[len / 2] = '\0';
    CHECK_ERR(ss_sendsafely_trusted_key_new(stored_id, cut, &again), SS_ERR_INVALID_ARGUMENT, NULL);
    char message[4096];
    ss_last_error_message(message, sizeof message);
    char body_line[80];
    snprintf(body_line, sizeof body_line, "%.60s", stored_private + 100); /* a line of the key's body */
    CHECK(!contains(message, body_line));
    CHECK(again == NULL);
    free(cut);

    /* Revoked: gone for the server (a second revocation is refused), the handle still frees. */
    CHECK_RC(ss_sendsafely_revoke_trusted_key(g_demo, ss_sendsafely_trusted_key_id(second)), SS_OK);
    CHECK_API(ss_sendsafely_revoke_trusted_key(g_demo, ss_sendsafely_trusted_key_id(second)), "FAIL");
    ss_sendsafely_trusted_key_free(second);
    /* Only its owner revokes a key. */
    CHECK_API(ss_sendsafely_revoke_trusted_key(g_bob, id), "FAIL");
    CHECK_RC(ss_sendsafely_revoke_trusted_key(g_demo, id), SS_OK);
    CHECK_API(ss_sendsafely_revoke_trusted_key(g_demo, "key-unknown"), "FAIL");
    CHECK_ERR(ss_sendsafely_revoke_trusted_key(g_demo, ""), SS_ERR_INVALID_ARGUMENT, "key id");

    free(stored_id);
    free(stored_private);
    ss_sendsafely_trusted_key_free(key);
}

static void test_keycode_refusals(void) {
    ss_sendsafely_trusted_key *key = NULL, *bobs = NULL;
    CHECK_RC(ss_sendsafely_add_trusted_key(g_demo, "C tests desktop", &key), SS_OK);
    CHECK_RC(ss_sendsafely_add_trusted_key(g_bob, "bob's", &bobs), SS_OK);
    ss_sendsafely_package *package = NULL;
    CHECK_RC(ss_sendsafely_create_package(g_demo, &package), SS_OK);
    const char *pid = ss_sendsafely_package_id(package);

    /* Not finalized: nothing is wrapped to the key yet. */
    ss_sendsafely_secret *keycode = NULL;
    CHECK_API(ss_sendsafely_get_package_keycode(g_demo, pid, key, &keycode), "FAIL");
    CHECK(keycode == NULL);
    /* Another user's key, an unknown package, a package of someone else. */
    CHECK_API(ss_sendsafely_get_package_keycode(g_demo, pid, bobs, &keycode), "FAIL");
    CHECK_API(ss_sendsafely_get_package_keycode(g_demo, "NO-SUCH-PKG", key, &keycode), "UNKNOWN_PACKAGE");
    CHECK_API(ss_sendsafely_get_package_keycode(g_bob, pid, bobs, &keycode), "DENIED");
    CHECK_ERR(ss_sendsafely_get_package_keycode(g_demo, "", key, &keycode), SS_ERR_INVALID_ARGUMENT, "package id");
    CHECK(keycode == NULL);

    /* Revoked, then asked again: refused as well. */
    CHECK_RC(ss_sendsafely_revoke_trusted_key(g_demo, ss_sendsafely_trusted_key_id(key)), SS_OK);
    CHECK_API(ss_sendsafely_get_package_keycode(g_demo, pid, key, &keycode), "FAIL");
    CHECK(keycode == NULL);

    CHECK_RC(ss_sendsafely_revoke_trusted_key(g_bob, ss_sendsafely_trusted_key_id(bobs)), SS_OK);
    ss_sendsafely_package_free(package);
    ss_sendsafely_trusted_key_free(key);
    ss_sendsafely_trusted_key_free(bobs);
}

static void test_arguments(void) {
    ss_sendsafely_trusted_key *key = NULL;
    CHECK_ERR(ss_sendsafely_add_trusted_key(NULL, "d", &key), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_add_trusted_key(g_demo, NULL, &key), SS_ERR_NULL_ARGUMENT, "description");
    CHECK_ERR(ss_sendsafely_add_trusted_key(g_demo, "d", NULL), SS_ERR_NULL_ARGUMENT, "out_key");
    CHECK_ERR(ss_sendsafely_add_trusted_key(g_demo, BAD_UTF8, &key), SS_ERR_INVALID_UTF8, "description");
    CHECK(key == NULL);

    CHECK_ERR(ss_sendsafely_trusted_key_new(NULL, "k", &key), SS_ERR_NULL_ARGUMENT, "key_id");
    CHECK_ERR(ss_sendsafely_trusted_key_new("id", NULL, &key), SS_ERR_NULL_ARGUMENT, "private_key");
    CHECK_ERR(ss_sendsafely_trusted_key_new("id", "k", NULL), SS_ERR_NULL_ARGUMENT, "out_key");
    CHECK_ERR(ss_sendsafely_trusted_key_new(BAD_UTF8, "k", &key), SS_ERR_INVALID_UTF8, "key_id");
    CHECK_ERR(ss_sendsafely_trusted_key_new("id", BAD_UTF8, &key), SS_ERR_INVALID_UTF8, "private_key");
    CHECK(key == NULL);

    CHECK_RC(ss_sendsafely_add_trusted_key(g_demo, "arguments", &key), SS_OK);
    ss_sendsafely_secret *keycode = NULL;
    CHECK_ERR(ss_sendsafely_get_package_keycode(NULL, "p", key, &keycode), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_get_package_keycode(g_demo, NULL, key, &keycode), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_get_package_keycode(g_demo, "p", NULL, &keycode), SS_ERR_NULL_ARGUMENT, "key");
    CHECK_ERR(ss_sendsafely_get_package_keycode(g_demo, "p", key, NULL), SS_ERR_NULL_ARGUMENT, "out_keycode");
    CHECK_ERR(ss_sendsafely_get_package_keycode(g_demo, BAD_UTF8, key, &keycode), SS_ERR_INVALID_UTF8, "package_id");
    CHECK(keycode == NULL);

    CHECK_ERR(ss_sendsafely_revoke_trusted_key(NULL, "k"), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_revoke_trusted_key(g_demo, NULL), SS_ERR_NULL_ARGUMENT, "key_id");
    CHECK_ERR(ss_sendsafely_revoke_trusted_key(g_demo, BAD_UTF8), SS_ERR_INVALID_UTF8, "key_id");
    CHECK_RC(ss_sendsafely_revoke_trusted_key(g_demo, ss_sendsafely_trusted_key_id(key)), SS_OK);
    ss_sendsafely_trusted_key_free(key);

    /* NULL handles give the getters' defaults; the frees take NULL. */
    CHECK(ss_sendsafely_trusted_key_id(NULL) == NULL);
    CHECK(ss_sendsafely_trusted_key_public_key(NULL) == NULL);
    CHECK(ss_sendsafely_trusted_key_private_key(NULL) == NULL);
    CHECK(ss_sendsafely_secret_text(NULL) == NULL);
    ss_sendsafely_trusted_key_free(NULL);
    ss_sendsafely_secret_free(NULL);
}

int main(void) {
    const char *url = getenv("SS_TEST_SENDSAFELY_URL");
    if (url == NULL || url[0] == '\0') {
        fprintf(stderr, "set SS_TEST_SENDSAFELY_URL to the SendSafely emulator's URL\n");
        return 2;
    }
    g_demo = sendsafely_client("demo-api-key", "demo-api-secret");
    g_bob = sendsafely_client("bob-api-key", "bob-api-secret");
    if (g_demo == NULL || g_bob == NULL) return check_summary();
    test_generate_register_and_rebuild();
    test_keycode_refusals();
    test_arguments();
    ss_sendsafely_client_free(g_bob);
    ss_sendsafely_client_free(g_demo);
    return check_summary();
}
