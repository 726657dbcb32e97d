// Tests of include/sendsecure.hpp against the emulator, run by tests/consumers.rs under
// AddressSanitizer + UndefinedBehaviorSanitizer (leak detection on: every handle a test creates
// must be freed by its RAII owner). Prints every failed check and ends with
// "N passed, M failed"; exits non-zero when a check failed.
//
// Environment: SS_TEST_URL, the emulator (http://127.0.0.1:PORT, demo account); SS_TEST_TMPDIR,
// a directory for attachment and download files.
//
// `test_wrapper --leak-on-purpose` leaks one SafeBox info and exits 0, so that the harness can
// check that the sanitizer does report a leaked handle (the control of the leak check).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sendsecure.hpp"

#define CHECKS_FILE "test_wrapper.cpp"
#include "checks.hpp"

namespace ss = sendsecure;

namespace {

using checks::check;
using checks::failed;
using checks::passed;

// Runs `f`, expecting a sendsecure::error; returns it (code SS_OK when nothing was thrown).
template <class F>
ss::error expect_error(F &&f) {
    try {
        f();
    } catch (const ss::error &e) {
        return e;
    }
    return ss::error(SS_OK, "nothing was thrown");
}

// An exception type of the test's own, thrown from callbacks.
struct callback_failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

const char *const ACCOUNT = "acme";
const char *const USER_EMAIL = "demo@acme.example";
const char *const RECIPIENT = "john.smith@example.com";

std::string env(const char *name, const char *fallback) {
    const char *value = std::getenv(name);
    return value && *value ? value : fallback;
}

std::string url() { return env("SS_TEST_URL", "http://127.0.0.1:8080"); }

// `text` made unique to this run, so that a search finds only this run's SafeBoxes.
std::string unique(const std::string &text) {
    static const std::string run = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
    return text + " " + run;
}

std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool exists(const std::string &path) { return std::ifstream(path).good(); }

// `size` bytes of a pattern that depends on `seed`.
std::string pattern(std::size_t size, unsigned seed) {
    std::string data(size, '\0');
    for (std::size_t i = 0; i < size; i++) data[i] = static_cast<char>((i * 31 + seed * 7 + i / 997) & 0xff);
    return data;
}

ss::client login(const std::string &user = "demo", const std::string &password = "demo-password") {
    ss::user_token token = ss::get_user_token(ACCOUNT, user, password, "cpp-tests", "C++ tests", url());
    return ss::client(token, ACCOUNT, url());
}

// Creates a SafeBox with a message and one small attachment; returns its GUID.
std::string create(const ss::client &client, const std::string &subject) {
    ss::safebox sb(USER_EMAIL);
    sb.set_subject(subject).set_message("created by the C++ tests");
    sb.add_recipient(RECIPIENT).add_contact_method("+15145550000", ss::destination::cell);
    sb.add_attachment_bytes("notes\n", "notes.txt");
    return std::string(client.submit_safebox(sb).guid());
}

std::size_t count_safeboxes(const ss::client &client, const std::string &search) {
    std::size_t n = 0;
    for (const auto &item : client.safeboxes({}, search)) {
        (void)item;
        n++;
    }
    return n;
}

// --------------------------------------------------------------------------------------------

void test_types() {
    static_assert(!std::is_copy_constructible_v<ss::client>, "handles are move-only");
    static_assert(!std::is_copy_assignable_v<ss::safebox>, "handles are move-only");
    static_assert(std::is_nothrow_move_constructible_v<ss::client>, "moves do not throw");
    static_assert(std::is_nothrow_move_assignable_v<ss::safebox_info>, "moves do not throw");
    static_assert(std::is_base_of_v<std::runtime_error, ss::error>, "error is a runtime_error");
    CHECK_EQ(ss::library_version(), std::string(SS_VERSION_STRING));
    CHECK_EQ(ss::header_version_major, SS_VERSION_MAJOR);
}

void test_login() {
    ss::user_token token = ss::get_user_token(ACCOUNT, "demo", "demo-password", "cpp-tests", "C++ tests", url());
    CHECK(token.token().substr(0, 5) == "USER|");
    CHECK(token.user_id() > 0);

    ss::error refused = expect_error(
        [] { (void)ss::get_user_token(ACCOUNT, "demo", "wrong-password", "cpp-tests", "C++ tests", url()); });
    CHECK_EQ(refused.code(), SS_ERR_AUTH);
    CHECK_EQ(refused.api_code(), 102);
    CHECK(std::string(refused.what()).size() > 0);
    CHECK(refused.code_name().size() > 0);

    // Catchable as a std::runtime_error too.
    bool caught = false;
    try {
        (void)ss::get_user_token("no-such-account", "demo", "demo-password", "cpp-tests", "C++ tests", url());
    } catch (const std::runtime_error &e) {
        caught = std::string(e.what()).size() > 0;
    }
    CHECK(caught);

    // An OTP user without the OTP: api code 106; with it: a token.
    ss::error otp = expect_error(
        [] { (void)ss::get_user_token(ACCOUNT, "carol", "carol-password", "cpp-tests", "C++ tests", url()); });
    CHECK_EQ(otp.api_code(), 106);
    ss::login_options with_otp;
    with_otp.one_time_password = "123456";
    CHECK(ss::get_user_token(ACCOUNT, "carol", "carol-password", "cpp-tests", "C++ tests", url(), with_otp).user_id() >
          0);
}

void test_enterprise(const ss::client &client) {
    ss::enterprise_settings settings = client.get_enterprise_settings();
    CHECK_EQ(settings.default_security_profile_id(), 1);
    CHECK_EQ(settings.extension_filter_mode(), "forbid");
    std::vector<std::string_view> extensions = settings.extensions();
    CHECK(std::find(extensions.begin(), extensions.end(), "exe") != extensions.end());
    CHECK(settings.to_json().find("default_security_profile_id") != std::string_view::npos);

    ss::security_profile_list profiles = client.get_security_profiles(USER_EMAIL);
    CHECK(profiles.size() >= 3);
    std::set<std::int64_t> ids;
    for (ss::security_profile_view p : profiles) {
        ids.insert(p.id());
        CHECK(!p.name().empty());
    }
    CHECK_EQ(ids.size(), profiles.size());
    CHECK(ids.count(1) == 1 && ids.count(10) == 1);
    bool out_of_range = false;
    try {
        (void)profiles.at(profiles.size());
    } catch (const std::out_of_range &) {
        out_of_range = true;
    }
    CHECK(out_of_range);

    ss::security_profile def = client.get_default_security_profile(USER_EMAIL);
    CHECK_EQ(def.id(), settings.default_security_profile_id());
    CHECK_EQ(def.name(), "Default");

    CHECK(client.get_user_settings().find('{') != std::string::npos);
    // An e-mail outside the account: 403, with the server's body.
    ss::error denied = expect_error([&] { (void)client.get_security_profiles("someone@elsewhere.example"); });
    CHECK_EQ(denied.code(), SS_ERR_HTTP_STATUS);
    CHECK_EQ(denied.http_status(), 403);
    CHECK(!denied.body().empty());
}

void test_not_found(const ss::client &client) {
    const std::string unknown = "0123456789abcdef0123456789abcdef";
    ss::error e = expect_error([&] { (void)client.get_safebox_info(unknown); });
    CHECK_EQ(e.code(), SS_ERR_HTTP_STATUS);
    CHECK_EQ(e.http_status(), 404);
    CHECK(!e.body().empty());
    CHECK(std::string(e.what()).size() > 0);
    ss::error messages = expect_error([&] { (void)client.get_safebox_messages(unknown); });
    CHECK_EQ(messages.http_status(), 404);
    ss::error close = expect_error([&] { client.close_safebox(unknown); });
    CHECK_EQ(close.http_status(), 404);
}

void test_invalid_arguments(const ss::client &client, const std::string &dir) {
    CHECK_EQ(expect_error([] { ss::safebox sb(""); }).code(), SS_ERR_INVALID_ARGUMENT);
    ss::safebox sb(USER_EMAIL);
    CHECK_EQ(expect_error([&] { (void)sb.add_recipient(""); }).code(), SS_ERR_INVALID_ARGUMENT);
    CHECK_EQ(expect_error([&] { sb.set_expiration(0, "days"); }).code(), SS_ERR_INVALID_ARGUMENT);
    CHECK_EQ(expect_error([&] { sb.add_attachment_file(dir + "/no-such-file"); }).code(), SS_ERR_IO);
    CHECK_EQ(expect_error([&] { sb.add_attachment_bytes("x", ""); }).code(), SS_ERR_INVALID_ARGUMENT);
    CHECK_EQ(expect_error([&] { sb.add_attachment_fd(-1, "x.txt"); }).code(), SS_ERR_IO);
    // A refused stream attachment keeps nothing.
    CHECK_EQ(expect_error([&] { sb.add_attachment_stream([](std::uint8_t *, std::size_t) { return std::size_t{0}; }, 1, ""); })
                 .code(),
             SS_ERR_INVALID_ARGUMENT);
    CHECK_EQ(sb.attachment_count(), 0u);
    // No recipient: refused before anything is committed, with the SDKs' message.
    sb.set_message("nobody to send to");
    ss::error empty = expect_error([&] { (void)client.submit_safebox(sb); });
    CHECK_EQ(empty.code(), SS_ERR_INVALID_ARGUMENT);
    CHECK(std::string(empty.what()).find("Participants cannot be empty") != std::string::npos);
    CHECK_EQ(expect_error([&] { (void)client.get_safebox_info(""); }).code(), SS_ERR_INVALID_ARGUMENT);
    CHECK_EQ(expect_error([&] { (void)client.get_safeboxes("no-such-status"); }).http_status(), 400);
}

struct submitted {
    std::string guid;
    std::string file_path, file_data, bytes_data, stream_data;
};

submitted test_submit(const ss::client &client, const std::string &dir) {
    submitted s;
    s.file_path = dir + "/report.pdf";
    s.file_data = pattern(300 * 1024, 1);  // two upload blocks
    std::ofstream(s.file_path, std::ios::binary) << s.file_data;
    s.bytes_data = pattern(5000, 2);
    s.stream_data = pattern(70000, 3);

    ss::safebox sb(USER_EMAIL);
    sb.set_subject("C++ submit").set_message("Here are the documents.").set_expiration(5, "days");
    ss::recipient r = sb.add_recipient(RECIPIENT);
    r.set_first_name("John").set_last_name("Smith").set_company_name("Example Corp");
    r.add_contact_method("+15145550000", ss::destination::cell);
    sb.add_attachment_file(s.file_path);
    sb.add_attachment_bytes(s.bytes_data, "data.dat", "application/octet-stream");
    std::size_t offset = 0;
    const std::string &stream = s.stream_data;
    sb.add_attachment_stream(
        [&offset, &stream](std::uint8_t *buf, std::size_t len) {
            std::size_t n = std::min(len, stream.size() - offset);
            std::copy(stream.begin() + static_cast<std::ptrdiff_t>(offset),
                      stream.begin() + static_cast<std::ptrdiff_t>(offset + n), buf);
            offset += n;
            return n;
        },
        stream.size(), "stream.txt");
    CHECK_EQ(sb.attachment_count(), 3u);
    CHECK(sb.guid().empty());
    CHECK(sb.to_json().find("C++ submit") != std::string::npos);

    std::vector<ss::progress> reports;
    ss::safebox_response response = client.submit_safebox(sb, [&](const ss::progress &p) {
        reports.push_back(p);
        return true;
    });
    s.guid = std::string(response.guid());
    CHECK_EQ(s.guid.size(), 32u);
    CHECK_EQ(sb.guid(), response.guid());
    CHECK(!response.preview_url().empty());
    CHECK(response.to_json().find(s.guid) != std::string_view::npos);

    // The progress callback was called, in order, up to the whole size.
    const std::uint64_t total = s.file_data.size() + s.bytes_data.size() + s.stream_data.size();
    CHECK(reports.size() >= 4);
    bool ordered = true;
    for (std::size_t i = 1; i < reports.size(); i++) ordered = ordered && reports[i].bytes_sent >= reports[i - 1].bytes_sent;
    CHECK(ordered);
    if (CHECK(!reports.empty())) {
        CHECK_EQ(reports.back().bytes_total, total);
        CHECK_EQ(reports.back().bytes_sent, total);
        CHECK_EQ(reports.back().attachment_count, 3u);
    }
    CHECK_EQ(offset, s.stream_data.size());

    // Read back with every section.
    ss::safebox_info info = client.get_safebox_info(s.guid);
    CHECK_EQ(info.guid(), s.guid);
    CHECK_EQ(info.subject(), "C++ submit");
    CHECK_EQ(info.status(), "in_progress");
    CHECK(info.closed_at().empty());
    CHECK(!info.security_options_json().empty());
    CHECK(!info.events().empty());
    bool john = false;
    for (ss::participant_view p : info.participants()) {
        if (p.email() == RECIPIENT) {
            john = p.first_name() == "John" && p.role() == "guest" && p.contact_methods().size() == 1 &&
                   p.contact_methods()[0].destination().find("5145550000") != std::string_view::npos;
        }
    }
    CHECK(john);
    if (CHECK_EQ(info.messages().size(), 1u)) {
        ss::message_view m = info.messages()[0];
        CHECK_EQ(m.note(), "Here are the documents.");
        std::set<std::string> names;
        std::uint64_t bytes = 0;
        for (ss::document_view d : m.documents()) {
            names.insert(std::string(d.name()));
            bytes += d.size();
            CHECK_EQ(d.sha().size(), 64u);
        }
        CHECK((names == std::set<std::string>{"report.pdf", "data.dat", "stream.txt"}));
        CHECK_EQ(bytes, total);
    }
    // Sections not asked for read as empty.
    ss::safebox_info summary = client.get_safebox_info(s.guid, "participants");
    CHECK(summary.messages().empty() && summary.events().empty() && summary.security_options_json().empty());
    CHECK(!summary.participants().empty());
    CHECK_EQ(client.get_safebox_participants(s.guid).size(), summary.participants().size());
    CHECK(!client.get_safebox_event_history(s.guid).items().empty());
    CHECK(client.get_safebox_security_options(s.guid).find('{') != std::string::npos);
    CHECK(client.get_safebox_download_activity(s.guid).find('{') != std::string::npos);
    return s;
}

void test_download(const ss::client &client, const submitted &s, const std::string &dir) {
    ss::message_list messages = client.get_safebox_messages(s.guid);
    if (!CHECK_EQ(messages.size(), 1u)) return;
    for (ss::document_view d : messages[0].documents()) {
        const std::string &want = d.name() == "report.pdf" ? s.file_data
                                  : d.name() == "data.dat" ? s.bytes_data
                                                           : s.stream_data;
        // To a file, with progress.
        const std::string path = dir + "/download-" + std::string(d.name());
        std::uint64_t last = 0;
        int calls = 0;
        client.download_document(s.guid, d.id(), USER_EMAIL, path, [&](const ss::progress &p) {
            last = p.bytes_sent;
            calls++;
            return true;
        });
        CHECK(read_file(path) == want);
        CHECK(calls >= 1);
        CHECK_EQ(last, want.size());
        // Through a write function.
        std::string received;
        client.download_document_to(s.guid, d.id(), USER_EMAIL, [&](const std::uint8_t *data, std::size_t len) {
            received.append(reinterpret_cast<const char *>(data), len);
        });
        CHECK(received == want);
    }
    CHECK(client.get_document_url(s.guid, messages[0].documents()[0].id(), USER_EMAIL).find("http") == 0);

    // A write function that throws: the download stops and its exception comes out.
    ss::document_view big = messages[0].documents()[0];
    for (ss::document_view d : messages[0].documents())
        if (d.size() > big.size()) big = d;
    int writes = 0;
    bool propagated = false;
    try {
        client.download_document_to(s.guid, big.id(), USER_EMAIL, [&](const std::uint8_t *, std::size_t) {
            writes++;
            throw callback_failure("disk full");
        });
    } catch (const callback_failure &e) {
        propagated = std::string(e.what()) == "disk full";
    }
    CHECK(propagated);
    CHECK_EQ(writes, 1);

    // A progress function that says stop: SS_ERR_ABORTED_BY_CALLBACK, and no file.
    const std::string stopped = dir + "/stopped.dat";
    ss::error aborted = expect_error([&] {
        client.download_document(s.guid, big.id(), USER_EMAIL, stopped, [](const ss::progress &) { return false; });
    });
    CHECK_EQ(aborted.code(), SS_ERR_ABORTED_BY_CALLBACK);
    CHECK(!exists(stopped) && !exists(stopped + ".part"));

    // The audit record.
    std::string pdf;
    client.download_audit_record_to(s.guid, [&](const std::uint8_t *data, std::size_t len) {
        pdf.append(reinterpret_cast<const char *>(data), len);
    });
    CHECK(pdf.compare(0, 5, "%PDF-") == 0);
}

void test_reply(const ss::client &client, const submitted &s) {
    ss::reply reply;
    const std::string answer = pattern(40000, 4);
    reply.set_message("Signed copy attached.").add_attachment_bytes(answer, "signed.dat");
    // And the SafeBox's file again, through a descriptor (closed at once: it is duplicated).
    int fd = ::open(s.file_path.c_str(), O_RDONLY);
    if (CHECK(fd >= 0)) {
        reply.add_attachment_fd(fd, "again.pdf");
        ::close(fd);
    }
    CHECK_EQ(reply.attachment_count(), 2u);
    int calls = 0;
    client.send_reply(s.guid, reply, [&](const ss::progress &) { return ++calls > 0; });
    CHECK(calls >= 1);
    ss::message_list messages = client.get_safebox_messages(s.guid);
    CHECK_EQ(messages.size(), 2u);
    if (messages.size() == 2) {
        CHECK_EQ(messages[1].note(), "Signed copy attached.");
        std::set<std::uint64_t> sizes;
        for (ss::document_view d : messages[1].documents()) sizes.insert(d.size());
        CHECK((sizes == std::set<std::uint64_t>{answer.size(), s.file_data.size()}));
    }
    // A sent reply is spent.
    CHECK_EQ(expect_error([&] { client.send_reply(s.guid, reply); }).code(), SS_ERR_INVALID_STATE);
    // A reply with nothing in it is refused before sending.
    ss::reply empty;
    CHECK_EQ(expect_error([&] { client.send_reply(s.guid, empty); }).code(), SS_ERR_INVALID_ARGUMENT);
}

// A user callback that throws stops the call, and its exception reaches the caller.
void test_callbacks_that_throw(const ss::client &client) {
    const std::string subject = unique("C++ throwing callback");
    ss::safebox sb(USER_EMAIL);
    sb.set_subject(subject).set_message("stopped by an exception");
    sb.add_recipient(RECIPIENT).add_contact_method("+15145550000", ss::destination::cell);
    const std::string big = pattern(3 * 1024 * 1024, 5);  // 12 blocks of 256 KiB
    sb.add_attachment_bytes(big, "big.dat");

    int calls = 0;
    int calls_after_throw = 0;
    bool thrown = false;
    bool propagated = false;
    try {
        (void)client.submit_safebox(sb, [&](const ss::progress &p) {
            calls++;
            if (thrown) calls_after_throw++;
            if (p.bytes_sent > 0 && !thrown) {
                thrown = true;
                throw callback_failure("user gave up");
            }
            return true;
        });
    } catch (const callback_failure &e) {
        propagated = std::string(e.what()) == "user gave up";
    } catch (const ss::error &e) {
        std::cerr << "unexpected sendsecure::error: " << e.what() << "\n";
    }
    CHECK(propagated);
    CHECK(thrown);
    CHECK_EQ(calls_after_throw, 0);
    // The SafeBox was initialized but not committed: it is not in the list.
    CHECK(!sb.guid().empty());
    CHECK_EQ(count_safeboxes(client, subject), 0u);
    // Submitting again completes it, uploading the whole attachment: the first upload was
    // cancelled part way.
    std::uint64_t retry_total = 0;
    ss::safebox_response done = client.submit_safebox(sb, [&](const ss::progress &p) {
        retry_total = p.bytes_total;
        return true;
    });
    CHECK_EQ(retry_total, big.size());
    CHECK_EQ(done.guid(), sb.guid());
    CHECK_EQ(count_safeboxes(client, subject), 1u);

    // Returning false stops it with SS_ERR_ABORTED_BY_CALLBACK.
    ss::safebox stop(USER_EMAIL);
    stop.set_message("stopped").add_recipient(RECIPIENT).add_contact_method("+15145550000", ss::destination::cell);
    stop.add_attachment_bytes(big, "big.dat");
    ss::error aborted = expect_error([&] { (void)client.submit_safebox(stop, [](const ss::progress &) { return false; }); });
    CHECK_EQ(aborted.code(), SS_ERR_ABORTED_BY_CALLBACK);

    // A callback calling the library gets an error (SS_ERR_INVALID_STATE) that propagates.
    ss::error nested = expect_error([&] {
        (void)client.submit_safebox(stop, [&](const ss::progress &) {
            (void)client.get_enterprise_settings();
            return true;
        });
    });
    CHECK_EQ(nested.code(), SS_ERR_INVALID_STATE);

    // A stream read function that throws: the upload stops, the exception comes out.
    ss::safebox streamed(USER_EMAIL);
    streamed.set_message("stream").add_recipient(RECIPIENT).add_contact_method("+15145550000", ss::destination::cell);
    int reads = 0;
    streamed.add_attachment_stream(
        [&](std::uint8_t *, std::size_t) -> std::size_t {
            reads++;
            throw callback_failure("source unreadable");
        },
        1000, "stream.dat");
    bool stream_propagated = false;
    try {
        (void)client.submit_safebox(streamed);
    } catch (const callback_failure &e) {
        stream_propagated = std::string(e.what()) == "source unreadable";
    }
    CHECK(stream_propagated);
    CHECK_EQ(reads, 1);

    // The same through a reply.
    const std::string guid(done.guid());
    ss::reply reply;
    reply.set_message("with a failing stream");
    reply.add_attachment_stream([](std::uint8_t *, std::size_t) -> std::size_t { throw callback_failure("reply stream"); },
                                10, "r.dat");
    bool reply_propagated = false;
    try {
        client.send_reply(guid, reply);
    } catch (const callback_failure &e) {
        reply_propagated = std::string(e.what()) == "reply stream";
    }
    CHECK(reply_propagated);
}

void test_iteration(const ss::client &client) {
    const std::string tag = unique("iteration-tag-cpp");
    std::set<std::string> created;
    for (int i = 0; i < 3; i++) created.insert(create(client, tag + " number " + std::to_string(i)));

    // Every SafeBox, one page of 1 at a time.
    std::set<std::string> seen;
    std::size_t n = 0;
    for (const ss::safebox_info_view &item : client.safeboxes({}, tag, 1)) {
        seen.insert(std::string(item.guid()));
        CHECK(item.subject().find(tag) == 0);
        n++;
    }
    CHECK_EQ(n, 3u);
    CHECK(seen == created);
    // The explicit form.
    ss::safebox_iter it = client.safeboxes("in_progress", tag, 2);
    std::size_t explicit_n = 0;
    while (auto item = it.next()) explicit_n += item->guid().empty() ? 0 : 1;
    CHECK_EQ(explicit_n, 3u);
    CHECK(!it.next().has_value());

    // Pages.
    ss::safebox_page first = client.get_safeboxes({}, tag, 2, 1);
    CHECK_EQ(first.size(), 2u);
    CHECK_EQ(first.total(), 3);
    CHECK(first.has_next());
    std::optional<ss::safebox_page> second = client.get_next_safebox_page(first);
    if (CHECK(second.has_value())) {
        CHECK_EQ(second->size(), 1u);
        CHECK(!second->has_next());
        std::set<std::string> paged;
        for (ss::safebox_info_view item : first) paged.insert(std::string(item.guid()));
        for (ss::safebox_info_view item : *second) paged.insert(std::string(item.guid()));
        CHECK(paged == created);
        CHECK(!client.get_next_safebox_page(*second).has_value());
    }

    // Acting on one of them: add time, close (twice: the server refuses, with its message).
    const std::string guid = *created.begin();
    CHECK(!client.add_time(guid, 2, "days").empty());
    client.mark_as_read(guid);
    client.close_safebox(guid);
    CHECK_EQ(client.get_safebox_info(guid, "participants").status(), "closed");
    ss::error again = expect_error([&] { client.close_safebox(guid); });
    CHECK_EQ(again.code(), SS_ERR_HTTP_STATUS);
    CHECK(again.http_status() >= 400 && again.http_status() < 500);
    CHECK(again.body().find("Unable to close the SafeBox.") != std::string::npos);
    CHECK_EQ(client.get_safeboxes("closed", tag).size(), 1u);
}

// Client options reach the library; a rewindable stream is restarted for a repeated submit.
void test_options_and_rewind(const ss::client &client) {
    // Plain http to a host that is not a loopback one is refused, unless allowed.
    ss::error insecure = expect_error([] { ss::client c("USER|token", ACCOUNT, "http://sendsecure.example.com"); });
    CHECK_EQ(insecure.code(), SS_ERR_INVALID_ARGUMENT);
    ss::client_options allow;
    allow.allow_insecure_http = true;
    allow.connect_timeout = std::chrono::seconds(5);
    allow.max_retries = 0;
    ss::client allowed("USER|token", ACCOUNT, "http://sendsecure.example.com", allow);
    CHECK(allowed.get() != nullptr);
    ss::client_options bad_ca;
    bad_ca.ca_file = "/no/such/ca.pem";
    CHECK_EQ(expect_error([&] { ss::client c("USER|token", ACCOUNT, url(), bad_ca); }).code(), SS_ERR_IO);

    // A stream read part way, stopped, then submitted again: rewound first, sent whole.
    const std::string data = pattern(600 * 1024, 6);
    std::size_t offset = 0;
    int rewinds = 0;
    ss::safebox sb(USER_EMAIL);
    sb.set_message("rewindable").add_recipient(RECIPIENT).add_contact_method("+15145550000", ss::destination::cell);
    sb.add_attachment_stream_rewindable(
        [&](std::uint8_t *buf, std::size_t len) {
            std::size_t n = std::min(len, data.size() - offset);
            std::copy(data.begin() + static_cast<std::ptrdiff_t>(offset),
                      data.begin() + static_cast<std::ptrdiff_t>(offset + n), buf);
            offset += n;
            return n;
        },
        [&] {
            rewinds++;
            offset = 0;
        },
        data.size(), "rewound.dat");
    ss::error stopped =
        expect_error([&] { (void)client.submit_safebox(sb, [](const ss::progress &p) { return p.bytes_sent == 0; }); });
    CHECK_EQ(stopped.code(), SS_ERR_ABORTED_BY_CALLBACK);
    CHECK_EQ(rewinds, 0);
    CHECK(offset > 0);
    ss::safebox_response response = client.submit_safebox(sb);
    CHECK(!response.recovered());
    CHECK_EQ(rewinds, 1);
    CHECK_EQ(offset, data.size());
    ss::message_list messages = client.get_safebox_messages(response.guid());
    if (CHECK_EQ(messages.size(), 1u) && CHECK_EQ(messages[0].documents().size(), 1u)) {
        std::string received;
        client.download_document_to(response.guid(), messages[0].documents()[0].id(), USER_EMAIL,
                                    [&](const std::uint8_t *p, std::size_t n) {
                                        received.append(reinterpret_cast<const char *>(p), n);
                                    });
        CHECK(received == data);
    }

    // A rewind function that throws: the exception comes out of the repeated submit.
    ss::safebox failing(USER_EMAIL);
    failing.set_message("rewind fails").add_recipient(RECIPIENT).add_contact_method("+15145550000",
                                                                                     ss::destination::cell);
    std::size_t read_so_far = 0;
    failing.add_attachment_stream_rewindable(
        [&](std::uint8_t *buf, std::size_t len) {
            std::size_t n = std::min(len, data.size() - read_so_far);
            std::fill(buf, buf + n, std::uint8_t{'r'});
            read_so_far += n;
            return n;
        },
        [] { throw callback_failure("cannot rewind"); }, data.size(), "failing.dat");
    CHECK_EQ(expect_error([&] { (void)client.submit_safebox(failing, [](const ss::progress &p) { return p.bytes_sent == 0; }); })
                 .code(),
             SS_ERR_ABORTED_BY_CALLBACK);
    bool rewind_propagated = false;
    try {
        (void)client.submit_safebox(failing);
    } catch (const callback_failure &e) {
        rewind_propagated = std::string(e.what()) == "cannot rewind";
    }
    CHECK(rewind_propagated);
}

// RAII: ownership moves, moved-from objects are empty, everything is freed (the leak check of
// the sanitizer at exit fails the run otherwise).
void test_raii(const ss::client &client, const submitted &s) {
    ss::safebox a(USER_EMAIL);
    ss_safebox *raw = a.get();
    ss::safebox b = std::move(a);
    CHECK(a.get() == nullptr && !a);
    CHECK(b.get() == raw && b);
    CHECK_EQ(expect_error([&] { a.set_subject("moved"); }).code(), SS_ERR_INVALID_STATE);
    b = ss::safebox(USER_EMAIL);  // frees the first one
    CHECK(b.get() != nullptr);

    ss::client moved = login();
    ss::client other = std::move(moved);
    CHECK(moved.get() == nullptr);
    CHECK_EQ(expect_error([&] { (void)moved.get_enterprise_settings(); }).code(), SS_ERR_INVALID_STATE);
    CHECK_EQ(other.get_enterprise_settings().default_security_profile_id(), 1);

    // Many objects of every kind made and dropped, streams included.
    for (int i = 0; i < 50; i++) {
        ss::safebox sb(USER_EMAIL);
        sb.add_recipient(RECIPIENT).set_first_name("x").add_contact_method("+15145550000", ss::destination::home);
        sb.add_attachment_bytes("abc", "a.txt");
        sb.add_attachment_stream([](std::uint8_t *, std::size_t) { return std::size_t{0}; }, 0, "empty.txt");
        std::string json = sb.to_json();
        ss::safebox_info info = client.get_safebox_info(s.guid, "messages");
        ss::safebox_page page = client.get_safeboxes({}, {}, 5);
        ss::safebox_iter it = client.safeboxes({}, {}, 2);
        (void)it.next();
        ss::security_profile_list profiles = client.get_security_profiles(USER_EMAIL);
        ss::reply reply;
        reply.add_attachment_bytes("x", "x.txt");
        CHECK(!json.empty() && info.messages().size() >= 1 && page.size() >= 1 && profiles.size() >= 1);
    }
}

// Participants of a SafeBox: added, edited, a phone removed, read back; a refusal as an error.
void test_participants(const ss::client &client, const std::string &guid) {
    const std::string email = "cpp." + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) +
                              "@example.com";
    ss::contact_edit edit;
    edit.set_email(email).set_first_name("Ada").set_company_name("C++ Inc").set_privileged(true);
    edit.add_contact_method("+15145553000", ss::destination::home).add_contact_method("+15145553001", ss::destination::office);
    ss::participant added = client.create_participant(guid, edit);
    CHECK_EQ(added.email(), email);
    CHECK_EQ(added.first_name(), std::string("Ada"));
    CHECK_EQ(added.company_name(), std::string("C++ Inc"));
    CHECK_EQ(added.type(), std::string("guest"));
    CHECK(added.privileged());
    CHECK(!added.id().empty());
    CHECK_EQ(added.contact_methods().size(), 2u);
    CHECK(added.to_json().find(email) != std::string_view::npos);
    std::int64_t home_id = 0;
    for (const auto &m : added.contact_methods()) {
        if (m.type() == "home_phone") home_id = m.id();
    }
    CHECK(home_id > 0);
    const std::string id(added.id());

    ss::contact_edit rename;
    rename.set_last_name("Lovelace").set_locked(true).set_privileged(false);
    ss::participant renamed = client.update_participant(guid, id, rename);
    CHECK(!renamed.privileged());
    CHECK_EQ(renamed.last_name(), std::string("Lovelace"));
    CHECK_EQ(renamed.first_name(), std::string("Ada"));
    CHECK(renamed.locked());

    ss::participant fewer = client.delete_participant_contact_methods(guid, id, {home_id});
    CHECK_EQ(fewer.contact_methods().size(), 1u);
    CHECK_EQ(fewer.contact_methods()[0].type(), std::string("office_phone"));

    bool listed = false;
    for (const auto &p : client.get_safebox_participants(guid)) {
        if (p.email() == email) {
            listed = true;
            CHECK_EQ(p.last_name(), std::string("Lovelace"));
            CHECK(!p.privileged());
            CHECK_EQ(p.contact_methods().size(), 1u);
        }
    }
    CHECK(listed);

    // Without an e-mail: refused by the library before any request.
    ss::contact_edit nameless;
    nameless.set_first_name("Nobody");
    ss::error e = expect_error([&] { client.create_participant(guid, nameless); });
    CHECK_EQ(e.code(), SS_ERR_INVALID_ARGUMENT);
    // Another participant id: not found.
    e = expect_error([&] { client.update_participant(guid, "no-such-participant", rename); });
    CHECK_EQ(e.code(), SS_ERR_HTTP_STATUS);
    CHECK_EQ(e.http_status(), 404);
}

// Favorites: created, found by the recipient search, edited, a phone removed, deleted.
void test_favorites(const ss::client &client) {
    const std::string tag = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const std::string email = "fav." + tag + "@example.com";
    const std::size_t before = client.get_favorites().size();
    ss::contact_edit edit;
    edit.set_email(email).set_first_name("Grace").set_last_name("Hopper" + tag).set_order_number(3);
    edit.set_always_promote(true);
    edit.add_contact_method("+15145554000", ss::destination::cell).add_contact_method("+15145554001", ss::destination::other);
    ss::favorite created = client.create_favorite(edit);
    const std::int64_t id = created.id();
    CHECK(id > 0);
    CHECK_EQ(created.email(), email);
    CHECK_EQ(created.order_number(), 3);
    CHECK(created.always_promote());
    CHECK_EQ(created.contact_methods().size(), 2u);
    CHECK(created.to_json().find(email) != std::string_view::npos);

    ss::favorite_list list = client.get_favorites();
    CHECK_EQ(list.size(), before + 1);
    bool listed = false;
    for (const auto &f : list) {
        if (f.id() == id) {
            listed = true;
            CHECK_EQ(f.first_name(), std::string("Grace"));
            CHECK(f.always_promote());
        }
    }
    CHECK(listed);

    ss::recipient_match_list found = client.search_recipient(tag);
    CHECK_EQ(found.size(), 1u);
    if (found.size() == 1) {
        CHECK_EQ(found[0].id(), id);
        CHECK_EQ(found[0].type(), std::string("favorite"));
        CHECK_EQ(found[0].email(), email);
        CHECK_EQ(found[0].first_name(), std::string("Grace"));
    }
    CHECK_EQ(client.search_recipient("no-such-person-anywhere-" + tag).size(), 0u);

    ss::contact_edit change;
    change.set_company_name("Navy").set_always_promote(false);
    ss::favorite changed = client.update_favorite(id, change);
    CHECK_EQ(changed.company_name(), std::string("Navy"));
    CHECK(!changed.always_promote());
    CHECK_EQ(changed.email(), email);
    std::int64_t cell_id = 0;
    for (const auto &m : changed.contact_methods()) {
        if (m.type() == "cell_phone") cell_id = m.id();
    }
    ss::favorite fewer = client.delete_favorite_contact_methods(id, {cell_id});
    CHECK_EQ(fewer.contact_methods().size(), 1u);
    CHECK_EQ(fewer.contact_methods()[0].type(), std::string("other_phone"));

    client.delete_favorite(id);
    CHECK_EQ(client.get_favorites().size(), before);
    ss::error e = expect_error([&] { client.delete_favorite(id); });
    CHECK_EQ(e.code(), SS_ERR_HTTP_STATUS);
    CHECK_EQ(e.http_status(), 404);
    e = expect_error([&] { client.update_favorite(0, change); });
    CHECK_EQ(e.code(), SS_ERR_INVALID_ARGUMENT);
}

void test_consent_group(const ss::client &client) {
    ss::consent_group group = client.get_consent_group_messages(1);
    CHECK_EQ(group.id(), 1);
    CHECK_EQ(group.name(), std::string("Default"));
    CHECK_EQ(group.size(), 2u);
    CHECK_EQ(group.text_in("en"), std::string("I consent to the exchange of this information."));
    CHECK(group.text_in("fr").find("Je consens") == 0);
    CHECK(group.text_in("xx").empty());
    CHECK(group.locale(2).empty() && group.text(2).empty());
    ss::error e = expect_error([&] { client.get_consent_group_messages(999); });
    CHECK_EQ(e.code(), SS_ERR_HTTP_STATUS);
    CHECK_EQ(e.http_status(), 404);
}

// The log callback: request lines at debug level, never the token nor the password; a
// function that throws loses its record only; off again, nothing more comes.
void test_log_callback() {
    std::vector<std::string> lines;
    std::mutex lock;
    // The callback writes to `lines`: it must not outlive them when a call below throws (it did,
    // and later records of other tests wrote to this dead frame).
    struct log_reset {
        ~log_reset() { ss::set_log_callback({}); }
    } reset;
    ss::set_log_callback(
        [&](ss_log_level level, std::string_view message) {
            std::lock_guard<std::mutex> guard(lock);
            if (level <= SS_LOG_DEBUG) lines.emplace_back(message);
        },
        SS_LOG_DEBUG);
    ss::user_token token = ss::get_user_token(ACCOUNT, "demo", "demo-password", "cpp-tests", "C++ tests", url());
    ss::client client(token, ACCOUNT, url());
    client.get_enterprise_settings();
    ss::set_log_callback([](ss_log_level, std::string_view) { throw callback_failure("from the log"); });
    client.get_enterprise_settings();
    ss::set_log_callback({});
    const std::size_t seen = lines.size();
    client.get_enterprise_settings();
    CHECK_EQ(lines.size(), seen);
    bool login_line = false, settings_line = false;
    for (const auto &line : lines) {
        if (line.find("POST /api/user_token") != std::string::npos) login_line = true;
        if (line.find("GET ") != std::string::npos && line.find("/settings") != std::string::npos) settings_line = true;
        CHECK(line.find(std::string(token.token())) == std::string::npos);
        CHECK(line.find("demo-password") == std::string::npos);
    }
    CHECK(login_line);
    CHECK(settings_line);
}

int leak_on_purpose() {
    ss::client client = login();
    std::string guid = create(client, "leaked on purpose");
    ss_safebox_info *leaked = client.get_safebox_info(guid).release();
    std::printf("leaked %p\n", static_cast<void *>(leaked));
    return 0;
}

}  // namespace

/// The SendSafely client: the user read with signed requests; refused credentials throw an
/// error with SS_ERR_AUTH and the code's name, never the secret.
void test_sendsafely() {
    const std::string host = env("SS_TEST_SENDSAFELY_URL", "");
    if (!check(!host.empty(), "SS_TEST_SENDSAFELY_URL is set", __LINE__)) return;
    ss::client_options options;
    options.transfer_concurrency = 2;
    ss::sendsafely::client client(host, "demo-api-key", "demo-api-secret", options);
    ss::sendsafely::user user = client.get_user();
    check(user.email() == "demo@acme.example", "sendsafely user email", __LINE__, std::string(user.email()));
    check(!user.id().empty(), "sendsafely user id", __LINE__);
    check(user.package_life() >= 0, "sendsafely package life", __LINE__);
    client.cancel();
    ss::sendsafely::client wrong(host, "demo-api-key", "not-the-secret-1618");
    try {
        wrong.get_user();
        check(false, "a wrong secret throws", __LINE__);
    } catch (const ss::error &e) {
        check(e.code() == SS_ERR_AUTH, "wrong secret: SS_ERR_AUTH", __LINE__, e.what());
        check(e.api_code_name() == "AUTHENTICATION_FAILED", "wrong secret: code name", __LINE__, e.api_code_name());
        check(e.http_status() == 200, "wrong secret: HTTP 200", __LINE__);
        check(e.body().find("AUTHENTICATION_FAILED") != std::string::npos, "wrong secret: body", __LINE__, e.body());
        check(std::string(e.what()).find("not-the-secret-1618") == std::string::npos, "secret not in message",
              __LINE__);
    }
    try {
        ss::sendsafely::client bad("https://acme.example/path", "k", "s");
        check(false, "a host with a path throws", __LINE__);
    } catch (const ss::error &e) {
        check(e.code() == SS_ERR_INVALID_ARGUMENT, "host with a path: SS_ERR_INVALID_ARGUMENT", __LINE__, e.what());
    }
}


/* SendSafely SEND: a package with its settings and recipients, files from bytes, a stream and a
 * path with progress, a stop then a resume with the same upload, a message, finalize. */
void test_sendsafely_send() {
    const std::string host = env("SS_TEST_SENDSAFELY_URL", "");
    if (!check(!host.empty(), "SS_TEST_SENDSAFELY_URL is set", __LINE__)) return;
    ss::client_options options;
    options.transfer_concurrency = 1;
    ss::sendsafely::client client(host, "demo-api-key", "demo-api-secret", options);
    ss::sendsafely::package package = ss::sendsafely::package::create(client);
    check(!package.id().empty() && package.keycode().size() > 20, "package id and keycode", __LINE__);
    package.set_life(client, 3);
    package.set_label(client, "C++ send");
    try {
        package.set_life(client, 400);
        check(false, "a life of 400 days throws", __LINE__);
    } catch (const ss::error &e) {
        check(e.code() == SS_ERR_INVALID_ARGUMENT, "life 400: SS_ERR_INVALID_ARGUMENT", __LINE__, e.what());
    }
    ss::sendsafely::recipient bob = package.add_recipient(client, "bob@acme.example");
    check(bob.email() == "bob@acme.example" && !bob.id().empty(), "recipient added", __LINE__);
    package.set_recipient_phone(client, bob.id(), "(555) 555-0100", "US");
    std::vector<ss::sendsafely::recipient_outcome> outcomes =
        package.add_recipients(client, {"carol@acme.example", "not an address"});
    check(outcomes.size() == 2, "two outcomes", __LINE__);
    for (const auto &o : outcomes) {
        if (o.email == "carol@acme.example") {
            check(o.code == "SUCCESS" && o.recipient_id.has_value(), "carol added", __LINE__, o.code);
            package.remove_recipient(client, *o.recipient_id);
        } else {
            check(o.code == "INVALID_EMAIL" && !o.recipient_id, "address refused", __LINE__, o.code);
        }
    }

    // Three parts from bytes (stopped after the first report, then resumed), a stream.
    std::vector<std::uint8_t> big(2 * 2621440 + 10);
    for (std::size_t i = 0; i < big.size(); i++) big[i] = static_cast<std::uint8_t>(i * 31 % 251);
    std::string text = "a stream of text";
    std::size_t pos = 0;
    int rewinds = 0;
    ss::sendsafely::upload files;
    files.add_bytes(big.data(), big.size(), "big.bin")
        .add_stream(
            [&](std::uint8_t *buf, std::size_t len) {
                std::size_t n = std::min(len, text.size() - pos);
                std::memcpy(buf, text.data() + pos, n);
                pos += n;
                return n;
            },
            text.size(), "text.txt", [&] { pos = 0, rewinds++; });
    check(files.size() == 2, "two files", __LINE__);
    try {
        package.upload_files(client, files, [](const ss::progress &) { return false; });
        check(false, "a stop throws", __LINE__);
    } catch (const ss::error &e) {
        check(e.code() == SS_ERR_ABORTED_BY_CALLBACK, "stop: SS_ERR_ABORTED_BY_CALLBACK", __LINE__, e.what());
    }
    check(!files.file_id(0).empty() && !files.complete(0), "registered, not complete", __LINE__);
    check(!files.parts_done(0).empty(), "parts stored before the stop", __LINE__);
    std::uint64_t last = 0, total = 0;
    bool monotonic = true;
    std::vector<ss::sendsafely::uploaded_file> stored =
        package.upload_files(client, files, [&](const ss::progress &p) {
            monotonic = monotonic && p.bytes_sent >= last;
            last = p.bytes_sent;
            total = p.bytes_total;
            return true;
        });
    check(monotonic && last == total && total == big.size() + text.size(), "progress to the total", __LINE__);
    check(stored.size() == 2 && stored[0].parts == 3 && stored[1].size == text.size(), "uploaded files", __LINE__);
    check(files.complete(0) && files.complete(1) && files.parts_done(0).size() == 3, "complete", __LINE__);
    check(rewinds == 0, "the stream was not read before the resume", __LINE__);

    // A stream read by a stopped call, without rewind: the next call throws.
    ss::sendsafely::upload once;
    std::size_t once_pos = 0;
    once.add_stream(
        [&](std::uint8_t *buf, std::size_t len) {
            std::size_t n = std::min(len, text.size() - once_pos);
            std::memcpy(buf, text.data() + once_pos, n);
            once_pos += n;
            return n;
        },
        text.size(), "once.txt");
    try {
        package.upload_files(client, once, [](const ss::progress &) { return false; });
    } catch (const ss::error &) {
    }
    try {
        package.upload_files(client, once);
        check(false, "a stream read again without rewind throws", __LINE__);
    } catch (const ss::error &e) {
        check(e.code() == SS_ERR_INVALID_STATE, "no rewind: SS_ERR_INVALID_STATE", __LINE__, e.what());
    }
    // A read function that throws: its exception comes out of upload_files.
    ss::sendsafely::upload failing;
    failing.add_stream([](std::uint8_t *, std::size_t) -> std::size_t { throw std::runtime_error("disk gone"); }, 5,
                       "f.txt");
    try {
        package.upload_files(client, failing);
        check(false, "a throwing read throws", __LINE__);
    } catch (const std::runtime_error &e) {
        check(std::string(e.what()) == "disk gone", "the read's exception", __LINE__, e.what());
    }
    // Files never completed would keep finalize from going through: deleted.
    check(!once.file_id(0).empty() && !failing.file_id(0).empty(), "the stopped files were registered", __LINE__);
    package.delete_file(client, once.file_id(0));
    package.delete_file(client, failing.file_id(0));
    package.delete_file(client, files.file_id(1));

    package.put_message(client, "From C++.");
    ss::sendsafely::finalized done = package.finalize(client);
    check(done.secure_link().find("#keyCode=" + std::string(package.keycode())) != std::string_view::npos,
          "the link holds the keycode", __LINE__, std::string(done.secure_link()));
    check(!done.needs_approval(), "no approval needed", __LINE__);
    check(done.wrapped_key_ids().size() + done.skipped_keys().size() < 100, "keys listed", __LINE__);

    // Reopened from its id and keycode (as another process would); then deleted.
    ss::sendsafely::package again =
        ss::sendsafely::package::reopen(client, std::string(package.id()), std::string(package.keycode()));
    check(again.code() == package.code(), "reopened: same code", __LINE__);
    again.remove(client);
    ss::sendsafely::package temporary = ss::sendsafely::package::create(client);
    temporary.remove_temporary(client);
    try {
        ss::sendsafely::package::reopen(client, "NOPE-NOPE", "k");
        check(false, "an unknown package throws", __LINE__);
    } catch (const ss::error &e) {
        check(e.code() == SS_ERR_API && e.api_code_name() == "UNKNOWN_PACKAGE", "unknown package", __LINE__,
              e.api_code_name());
    }
}
// ---- RECEIVE ----
/// Byte `i` of a seeded file (tests/support/sendsafely_seed.rs).
unsigned char seeded_byte(std::size_t i, std::uint32_t seed) {
    return static_cast<unsigned char>(static_cast<std::uint32_t>(i) * 7u + (static_cast<std::uint32_t>(i) >> 8) +
                                      seed * 13u);
}

bool is_seeded(const std::string &data, std::size_t size, std::uint32_t seed) {
    if (data.size() != size) return false;
    for (std::size_t i = 0; i < size; i++)
        if (static_cast<unsigned char>(data[i]) != seeded_byte(i, seed)) return false;
    return true;
}

std::string slurp(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// The packages tests/consumers.rs sent: opened from a link, a file to a path and through a
/// write function, the message, a whole package, errors thrown (a tampered segment, a stop, a
/// throwing write function), the lists page by page.
void test_sendsafely_receive(const std::string &dir) {
    const std::string host = env("SS_TEST_SENDSAFELY_URL", "");
    const std::string link = env("SS_TEST_SS_LINK", "");
    const std::string package_id = env("SS_TEST_SS_PACKAGE_ID", "");
    const std::string tampered_link = env("SS_TEST_SS_TAMPERED_LINK", "");
    if (!check(!host.empty() && !link.empty() && !tampered_link.empty(), "the seeded packages are given", __LINE__))
        return;
    ss::sendsafely::client client(host, "demo-api-key", "demo-api-secret");
    ss::sendsafely::received package = client.open_link(link);
    ss::sendsafely::package_info_view info = package.info();
    CHECK_EQ(info.id(), package_id);
    CHECK(info.contains_message());
    CHECK_EQ(info.files().size(), 2u);
    ss::sendsafely::file_view report = info.files()[0];
    CHECK_EQ(report.name(), "report.pdf");
    CHECK_EQ(report.size(), 2500u);
    const std::string id(report.id());

    const std::string path = dir + "/ss-receive-report.pdf";
    std::uint64_t last = 0;
    int reports = 0;
    client.download_file(package, id, path, [&](const ss::progress &p) {
        reports++;
        CHECK(p.bytes_sent >= last);
        last = p.bytes_sent;
        return true;
    });
    CHECK(is_seeded(slurp(path), 2500, 1));
    CHECK_EQ(reports, 4);
    CHECK_EQ(last, 2500u);
    std::remove(path.c_str());
    std::string written;
    client.download_file_to(package, id,
                            [&](const std::uint8_t *data, std::size_t len) { written.append(data, data + len); });
    CHECK(is_seeded(written, 2500, 1));

    CHECK_EQ(client.read_message(package).text(), env("SS_TEST_SS_MESSAGE", "?"));
    const std::string into = dir + "/ss-receive-package";
    CHECK(mkdir(into.c_str(), 0700) == 0);
    ss::sendsafely::downloaded all = client.download_package(package, into);
    std::vector<std::string> paths = all.paths();
    CHECK_EQ(paths.size(), 2u);
    if (paths.size() == 2) {
        CHECK_EQ(paths[1], into + "/.._notes_1.txt");
        CHECK(is_seeded(slurp(paths[0]), 2500, 1));
        CHECK(is_seeded(slurp(paths[1]), 10, 2));
        for (const std::string &p : paths) std::remove(p.c_str());
    }
    CHECK_EQ(all.message(), env("SS_TEST_SS_MESSAGE", "?"));
    rmdir(into.c_str());

    // Errors: a stop, a throwing write function (its exception comes back), a tampered segment.
    ss::error stopped = expect_error([&] { client.download_file(package, id, path, [](const ss::progress &) { return false; }); });
    CHECK_EQ(stopped.code(), SS_ERR_ABORTED_BY_CALLBACK);
    CHECK(slurp(path).empty());
    bool rethrown = false;
    try {
        client.download_file_to(package, id, [](const std::uint8_t *, std::size_t) { throw callback_failure("full"); });
    } catch (const callback_failure &) {
        rethrown = true;
    }
    CHECK(rethrown);
    ss::sendsafely::received tampered = client.open_link(tampered_link);
    ss::error bad = expect_error([&] { client.download_file(tampered, std::string(tampered.info().files()[0].id()), path); });
    CHECK_EQ(bad.code(), SS_ERR_CRYPTO);
    CHECK(slurp(path).empty());
    CHECK_EQ(expect_error([&] { client.open_link("https://acme.example/receive/"); }).code(), SS_ERR_INVALID_ARGUMENT);

    // The sent list, two packages a page: every seeded package once.
    std::set<std::string> ids;
    int pages = 0;
    for (std::int64_t row = 0; row >= 0 && pages < 20; pages++) {
        ss::sendsafely::package_page page =
            client.list_packages(ss::sendsafely::package_list::sent, static_cast<std::uint64_t>(row), 2);
        for (ss::sendsafely::package_summary_view s : page.packages()) ids.insert(std::string(s.id()));
        row = page.next_row_index();
    }
    CHECK_EQ(ids.size(), 4u);
    CHECK_EQ(pages, 2);
    CHECK(ids.count(package_id) == 1);
    ss::sendsafely::client bob(host, "bob-api-key", "bob-api-secret");
    ss::sendsafely::package_page received = bob.list_packages(ss::sendsafely::package_list::received);
    bool found = false;
    for (ss::sendsafely::package_summary_view s : received.packages()) found |= s.id() == package_id;
    CHECK(found);
}
// ---- end RECEIVE ----

int main(int argc, char **argv) {
    if (argc > 1 && std::string(argv[1]) == "--leak-on-purpose") return leak_on_purpose();
    const std::string dir = env("SS_TEST_TMPDIR", "/tmp");
    auto run = [](const char *name, auto &&test) {
        try {
            test();
        } catch (const ss::error &e) {
            check(false, name, __LINE__,
                  std::string("sendsecure::error ") + std::string(e.code_name()) + ": " + e.what() + " " + e.body());
        } catch (const std::exception &e) {
            check(false, name, __LINE__, std::string("exception: ") + e.what());
        }
    };
    run("types", [] { test_types(); });
    run("login", [] { test_login(); });
    run("log callback", [] { test_log_callback(); });
    run("sendsafely", [] { test_sendsafely(); });
    run("sendsafely send", [] { test_sendsafely_send(); });
    run("sendsafely receive", [&] { test_sendsafely_receive(dir); });  // RECEIVE
    try {
        ss::client client = login();
        run("enterprise", [&] { test_enterprise(client); });
        run("not found", [&] { test_not_found(client); });
        run("invalid arguments", [&] { test_invalid_arguments(client, dir); });
        submitted s;
        run("submit", [&] { s = test_submit(client, dir); });
        if (!s.guid.empty()) {
            run("download", [&] { test_download(client, s, dir); });
            run("reply", [&] { test_reply(client, s); });
            run("raii", [&] { test_raii(client, s); });
            run("participants", [&] { test_participants(client, s.guid); });
        } else {
            check(false, "submit gave a SafeBox", __LINE__);
        }
        run("callbacks that throw", [&] { test_callbacks_that_throw(client); });
        run("iteration", [&] { test_iteration(client); });
        run("options and rewind", [&] { test_options_and_rewind(client); });
        run("favorites", [&] { test_favorites(client); });
        run("consent group", [&] { test_consent_group(client); });
    } catch (const ss::error &e) {
        check(false, "login", __LINE__, e.what());
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
