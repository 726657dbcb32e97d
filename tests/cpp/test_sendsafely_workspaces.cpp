// Tests of include/sendsecure.hpp's SendSafely Workspaces and trusted-device keys against the
// emulator's SendSafely service, run by tests/consumers.rs under AddressSanitizer +
// UndefinedBehaviorSanitizer (every handle freed by its RAII owner). Prints every
// failed check and ends with "N passed, M failed"; exits non-zero when a check failed.
//
// Environment: SS_TEST_SENDSAFELY_URL, the SendSafely emulator (demo organisation).
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "sendsecure.hpp"

#define CHECKS_FILE "test_sendsafely_workspaces.cpp"
#include "checks.hpp"

namespace ss = sendsecure;
namespace sf = sendsecure::sendsafely;

namespace {

using checks::check;
using checks::failed;
using checks::passed;

// Runs `f`, expecting a sendsecure::error with `code` (and, when given, the service's code).
template <class F>
void expect_error(F &&f, ss_result code, const char *api_code_name, const char *what, int line) {
    try {
        f();
        check(false, what, line, "nothing was thrown");
    } catch (const ss::error &e) {
        std::ostringstream detail;
        detail << e.code_name() << " " << e.api_code_name() << ": " << e.what();
        check(e.code() == code && (api_code_name == nullptr || e.api_code_name() == api_code_name), what, line,
              detail.str());
    }
}
#define EXPECT_ERROR(expr, code, name) expect_error([&] { (void)(expr); }, (code), (name), #expr, __LINE__)

std::string client_host() {
    const char *host = std::getenv("SS_TEST_SENDSAFELY_URL");
    return host ? host : "";
}

struct workspace {
    std::string id;
    std::string root;
};

// A new Workspace of the client's user, and its root directory read from its information.
workspace new_workspace(const sf::client &client) {
    sf::package p = sf::package::create_workspace(client);
    sf::package_info info = client.get_package_info(p.id());
    CHECK(info.view().is_workspace());
    return {std::string(p.id()), std::string(info.view().root_directory_id())};
}

void test_directories(const sf::client &client) {
    workspace ws = new_workspace(client);
    std::string reports = client.create_directory(ws.id, ws.root, "Reports");
    std::string year = client.create_directory(ws.id, reports, "2026");
    CHECK(!reports.empty() && reports != year);

    sf::directory root = client.get_directory(ws.id, ws.root);
    CHECK_EQ(root.id(), ws.root);
    CHECK(root.is_root());
    CHECK(root.parent_id().empty());
    CHECK(!root.created().empty());
    std::vector<sf::subdirectory> subs = root.subdirectories();
    CHECK(subs.size() == 1 && subs[0].id == reports && subs[0].name == "Reports");
    CHECK(root.files().empty());

    client.rename_directory(ws.id, reports, "Finance");
    sf::directory finance = client.get_directory(ws.id, reports);
    CHECK_EQ(finance.name(), "Finance");
    CHECK_EQ(finance.parent_id(), ws.root);
    CHECK(!finance.is_root());
    CHECK(finance.subdirectories().size() == 1 && finance.subdirectories()[0].id == year);

    client.move_directory(ws.id, year, ws.root);
    CHECK(client.get_directory(ws.id, ws.root).subdirectories().size() == 2);
    CHECK(client.get_directory(ws.id, reports).subdirectories().empty());

    client.delete_directory(ws.id, reports);
    EXPECT_ERROR(client.get_directory(ws.id, reports), SS_ERR_API, "INVALID_INPUT");
    CHECK(client.get_directory(ws.id, ws.root).subdirectories().size() == 1);

    EXPECT_ERROR(client.create_directory(ws.id, ws.root, "a/b"), SS_ERR_INVALID_ARGUMENT, nullptr);
    EXPECT_ERROR(client.delete_directory(ws.id, ws.root), SS_ERR_API, "FAIL");
    EXPECT_ERROR(client.move_file(ws.id, "file-unknown", ws.root), SS_ERR_API, "INVALID_INPUT");
    EXPECT_ERROR(client.get_directory("NO-SUCH-PKG", ws.root), SS_ERR_API, "UNKNOWN_PACKAGE");
    EXPECT_ERROR(client.create_directory("NO-SUCH-PKG", ws.root, "x"), SS_ERR_API, "UNKNOWN_PACKAGE");
    EXPECT_ERROR(client.rename_directory("NO-SUCH-PKG", ws.root, "x"), SS_ERR_API, "UNKNOWN_PACKAGE");
    EXPECT_ERROR(client.move_directory(ws.id, ws.root, year), SS_ERR_API, "FAIL");
    EXPECT_ERROR(client.move_directory(ws.id, year, year), SS_ERR_API, "FAIL");
    EXPECT_ERROR(client.get_activity_log("NO-SUCH-PKG"), SS_ERR_API, "UNKNOWN_PACKAGE");
    EXPECT_ERROR(client.get_directory(ws.id, ""), SS_ERR_INVALID_ARGUMENT, nullptr);
    {
        sf::client bob(client_host(), "bob-api-key", "bob-api-secret");
        EXPECT_ERROR(bob.create_directory(ws.id, ws.root, "x"), SS_ERR_API, "DENIED");
        EXPECT_ERROR(bob.get_directory(ws.id, ws.root), SS_ERR_API, "DENIED");
        EXPECT_ERROR(bob.delete_directory(ws.id, year), SS_ERR_API, "DENIED");
    }
    EXPECT_ERROR(client.update_recipient_role(ws.id, "rcpt-unknown", "MANAGER"), SS_ERR_API, "INVALID_RECIPIENT");
    EXPECT_ERROR(client.update_recipient_role(ws.id, "rcpt-unknown", "ADMIN"), SS_ERR_INVALID_ARGUMENT, nullptr);

    // The log: 2 created, renamed, moved, deleted; 8 more make 13 (two pages).
    for (int n = 0; n < 8; n++) client.create_directory(ws.id, ws.root, "d" + std::to_string(n));
    std::vector<sf::activity_record> log = client.get_whole_activity_log(ws.id);
    CHECK(log.size() == 13);
    if (!log.empty()) {
        CHECK_EQ(log.front().action, "DIRECTORY_CREATED");
        CHECK_EQ(log.front().details, "d7");
        CHECK_EQ(log.front().user_email, "demo@acme.example");
        CHECK_EQ(log.back().details, "Reports");
    }
    for (const sf::activity_record &r : log) {
        CHECK_EQ(r.user_email, "demo@acme.example");
        CHECK(!r.timestamp.empty() && !r.action.empty());
    }
    sf::activity_page first = client.get_activity_log(ws.id);
    CHECK(first.records.size() == 10 && !first.last && first.next_row_index == 10);
    sf::activity_page second = client.get_activity_log(ws.id, first.next_row_index);
    CHECK(second.records.size() == 3 && second.last && second.next_row_index == 13);
}

// A file uploaded into a directory is listed by that directory with its fields.
void test_directory_files(const sf::client &client) {
    sf::package p = sf::package::create_workspace(client);
    std::string root(client.get_package_info(p.id()).view().root_directory_id());
    std::string docs = client.create_directory(std::string(p.id()), root, "Docs");
    const std::string text = "two segments would need more; one is enough here";
    sf::upload files;
    files.add_bytes(text.data(), text.size(), "notes.txt", docs);
    p.upload_files(client, files);
    sf::directory listed = client.get_directory(std::string(p.id()), docs);
    CHECK(listed.files().size() == 1);
    sf::file_view f = listed.files()[0];
    CHECK_EQ(f.name(), "notes.txt");
    CHECK(f.size() == text.size() && f.parts() == 1 && f.uploaded());
    CHECK_EQ(f.directory_id(), docs);
    CHECK_EQ(f.created_by(), "demo@acme.example");
    CHECK(client.get_directory(std::string(p.id()), root).files().empty());
}

void test_keys(const sf::client &client) {
    sf::trusted_key key = client.add_trusted_key("C++ tests");
    CHECK(!key.id().empty());
    CHECK(key.public_key().find("BEGIN PGP PUBLIC KEY BLOCK") != std::string_view::npos);
    CHECK(key.private_key().find("BEGIN PGP PRIVATE KEY BLOCK") != std::string_view::npos);

    sf::trusted_key stored(key.id(), key.private_key());
    CHECK(stored.id() == key.id());
    CHECK(stored.public_key() == key.public_key());

    workspace ws = new_workspace(client);
    EXPECT_ERROR(client.get_package_keycode(ws.id, stored), SS_ERR_API, "FAIL");
    EXPECT_ERROR(sf::trusted_key(key.id(), "not a key"), SS_ERR_INVALID_ARGUMENT, nullptr);

    client.revoke_trusted_key(key.id());
    EXPECT_ERROR(client.revoke_trusted_key(key.id()), SS_ERR_API, "FAIL");
    EXPECT_ERROR(client.get_package_keycode(ws.id, key), SS_ERR_API, "FAIL");

    // A moved-from key is refused, not dereferenced.
    sf::trusted_key taken = std::move(stored);
    EXPECT_ERROR(client.get_package_keycode(ws.id, stored), SS_ERR_NULL_ARGUMENT, nullptr);
    CHECK(taken.id() == key.id());
}

}  // namespace

int main() {
    const char *host = std::getenv("SS_TEST_SENDSAFELY_URL");
    if (host == nullptr || host[0] == '\0') {
        std::fprintf(stderr, "set SS_TEST_SENDSAFELY_URL to the SendSafely emulator's URL\n");
        return 2;
    }
    auto run = [](const char *name, auto &&test) {
        try {
            test();
        } catch (const ss::error &e) {
            check(false, name, __LINE__, std::string(e.code_name()) + " " + e.api_code_name() + ": " + e.what());
        }
    };
    sf::client client(host, "demo-api-key", "demo-api-secret");
    run("directories", [&] { test_directories(client); });
    run("directory files", [&] { test_directory_files(client); });
    run("keys", [&] { test_keys(client); });
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
