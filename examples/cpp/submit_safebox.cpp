// Creates a SafeBox with a recipient, a message and attachments, showing upload progress: the
// quick start of the SendSecure SDKs, in C++ with include/sendsecure.hpp (the C++ twin of
// examples/c/submit_safebox.c).
//
// usage: submit_safebox FILE...
// Settings come from the environment: SS_ENDPOINT, SS_ACCOUNT, SS_USERNAME, SS_PASSWORD, SS_OTP,
// SS_USER_EMAIL (the SafeBox owner), SS_RECIPIENT, SS_RECIPIENT_PHONE (defaults: the emulator's
// demo account on http://127.0.0.1:8080).
//
// Build against an installed libsendsecure (scripts/install.sh; docs/install.md):
//   c++ -std=c++17 submit_safebox.cpp $(pkg-config --cflags --libs sendsecure) -o submit_safebox
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "sendsecure.hpp"

namespace {

// The value of environment variable `name`, or `fallback`.
std::string setting(const char *name, const char *fallback) {
    const char *value = std::getenv(name);
    return value != nullptr && value[0] != '\0' ? value : fallback;
}

// Draws a progress bar on stderr, redrawn only when something visible changes.
class progress_bar {
public:
    bool operator()(const sendsecure::progress &p) {
        const int width = 30;
        double done = p.bytes_total ? static_cast<double>(p.bytes_sent) / static_cast<double>(p.bytes_total) : 1.0;
        int percent = static_cast<int>(done * 100) + 1000 * static_cast<int>(p.attachment_index);
        bool last = p.bytes_sent == p.bytes_total;  // the last report (bytes never go backwards)
        if (percent == last_percent_ && !last) return true;
        last_percent_ = percent;
        std::string bar(static_cast<std::size_t>(done * width), '#');
        bar.resize(width, ' ');
        std::fprintf(stderr, "\r[%s] %3d%%  %.1f/%.1f MiB  (file %zu of %zu)", bar.c_str(), static_cast<int>(done * 100),
                     static_cast<double>(p.bytes_sent) / 1048576.0, static_cast<double>(p.bytes_total) / 1048576.0,
                     p.attachment_index + 1, p.attachment_count);
        if (last) std::fputc('\n', stderr);
        return true;  // false would stop the upload
    }

private:
    int last_percent_ = -1;
};

}  // namespace

int main(int argc, char **argv) {
    if (argc < 2) {
        std::cerr << "usage: " << argv[0] << " FILE...\n";
        return 2;
    }
    const std::string endpoint = setting("SS_ENDPOINT", "http://127.0.0.1:8080");
    const std::string account = setting("SS_ACCOUNT", "acme");
    const std::string user_email = setting("SS_USER_EMAIL", "demo@acme.example");
    try {
        sendsecure::login_options login;
        login.one_time_password = setting("SS_OTP", "");
        sendsecure::user_token token =
            sendsecure::get_user_token(account, setting("SS_USERNAME", "demo"), setting("SS_PASSWORD", "demo-password"),
                                       "example-device", "libsendsecure example", endpoint, login);
        sendsecure::client client(token, account, endpoint);  // options.user_id from the token

        sendsecure::safebox safebox(user_email);
        safebox.set_subject("Documents from libsendsecure").set_message("Here are the documents we discussed.");
        safebox.add_recipient(setting("SS_RECIPIENT", "john.smith@example.com"))
            .set_first_name("John")
            .set_last_name("Smith")
            .add_contact_method(setting("SS_RECIPIENT_PHONE", "+15145550000"), sendsecure::destination::cell);
        for (int i = 1; i < argc; i++) safebox.add_attachment_file(argv[i]);

        // No security profile set: the enterprise's default is used.
        sendsecure::safebox_response response = client.submit_safebox(safebox, progress_bar());
        std::cout << "SafeBox GUID: " << response.guid() << "\n";
        std::cout << "Preview URL: " << response.preview_url() << "\n";
        return 0;
    } catch (const sendsecure::error &e) {
        std::cerr << "\nfailed: " << e.code_name() << " (" << e.code() << "): " << e.what() << "\n";
        if (e.http_status() != 0) std::cerr << "  HTTP " << e.http_status() << ": " << e.body() << "\n";
        return 1;
    }
}
