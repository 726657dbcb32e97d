/* Gets a SendSecure API token, the first step of every integration.
 *
 * usage: get_user_token [ENDPOINT [ACCOUNT [USERNAME [PASSWORD]]]]
 * Missing arguments come from SS_ENDPOINT, SS_ACCOUNT, SS_USERNAME, SS_PASSWORD, SS_OTP
 * (defaults: the emulator's demo account on http://127.0.0.1:8080). */
#include "common.h"

int main(int argc, char **argv) {
    const char *endpoint = argc > 1 ? argv[1] : setting("SS_ENDPOINT", "http://127.0.0.1:8080");
    const char *account = argc > 2 ? argv[2] : setting("SS_ACCOUNT", "acme");
    const char *username = argc > 3 ? argv[3] : setting("SS_USERNAME", "demo");
    const char *password = argc > 4 ? argv[4] : setting("SS_PASSWORD", "demo-password");
    const char *otp = getenv("SS_OTP");

    ss_user_token *token = NULL;
    ss_result rc = ss_get_user_token(account, username, password, "example-device", "libsendsecure example",
                                     NULL /* application type: "libsendsecure" */, endpoint, otp,
                                     NULL /* default options */, &token);
    if (rc != SS_OK) {
        if (rc == SS_ERR_AUTH) {
            fprintf(stderr, "login refused, SendSecure code %lld\n", (long long)ss_last_error_api_code());
        }
        return report_failure("ss_get_user_token", rc);
    }
    printf("token: %s\nuser id: %lld\n", ss_user_token_token(token), (long long)ss_user_token_user_id(token));
    ss_user_token_free(token);
    return 0;
}
