/* libsendsecure for C++17: a header-only wrapper of the C API of sendsecure.h.
 *
 * - Every handle is an RAII type: move-only, the only owner of its C handle, freed by its
 *   destructor; `.get()` gives the raw handle for the C functions this header does not wrap.
 * - Strings go in as std::string_view (copied for the call) and come out as std::string_view
 *   when the C API lends them (valid as long as the object they came from, like
 *   std::string::c_str(); a NULL from C reads as empty) or std::string when it gives them.
 *   Optional arguments (endpoint, content type, filters, ...) are empty for "not set".
 * - Every failure throws sendsecure::error (a std::runtime_error) carrying the ss_result, the
 *   HTTP status and the server's body (ss_last_error_*).
 * - Callbacks are std::function. An exception thrown by one never crosses the C library: it is
 *   caught, the call is stopped (as if the callback had asked to stop), and the exception is
 *   rethrown to the caller once the C call has returned.
 * - Thread safety is the C API's: a `client` may be shared between threads (its methods are
 *   const); every other object is used by one thread at a time. Callbacks run on the calling
 *   thread and must not call libsendsecure (that throws an error with SS_ERR_INVALID_STATE).
 *
 * - The log (sendsecure::set_log_callback) is process-wide and its function runs on any thread;
 *   an exception it throws loses that record only.
 * See docs/install.md for building against it (pkg-config, CMake) and docs/c-api.md for the
 * rules of the underlying C API. */
#ifndef SENDSECURE_HPP
#define SENDSECURE_HPP

#if !defined(__cplusplus) || (__cplusplus < 201703L && !(defined(_MSVC_LANG) && _MSVC_LANG >= 201703L))
#error "sendsecure.hpp needs C++17 or later (sendsecure.h is the C API)"
#endif

#include "sendsecure.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sendsecure {

/* ------------------------------------------------------------------------------------------
 * Versions, errors */

/// The version of the header this program was compiled with.
inline constexpr int header_version_major = SS_VERSION_MAJOR;
inline constexpr int header_version_minor = SS_VERSION_MINOR;
inline constexpr int header_version_patch = SS_VERSION_PATCH;

/// The version of the library loaded at run time ("MAJOR.MINOR.PATCH").
inline std::string_view library_version() noexcept {
    const char *v = ss_version();
    return v ? std::string_view(v) : std::string_view();
}

/// A failed libsendsecure call: what() is the library's message; code() the ss_result;
/// http_status() and body() the server's answer when it refused (else 0 and empty);
/// api_code() SendSecure's code of a refused login (101-106, else 0); api_code_name() the
/// service's code as text (SendSafely's "UNKNOWN_PACKAGE", ...; else empty).
class error : public std::runtime_error {
public:
    error(ss_result code, const std::string &message, int http_status = 0, std::string body = {},
          std::int64_t api_code = 0, std::string api_code_name = {})
        : std::runtime_error(message), code_(code), http_status_(http_status), body_(std::move(body)),
          api_code_(api_code), api_code_name_(std::move(api_code_name)) {}

    /// The error of this thread's last failed libsendsecure call, which returned `code`.
    static error last(ss_result code) {
        std::string message = read(ss_last_error_message);
        if (message.empty()) message = name(code);
        return error(code, message, static_cast<int>(ss_last_error_http_status()), read(ss_last_error_body),
                     ss_last_error_api_code(), read(ss_last_error_api_code_name));
    }

    ss_result code() const noexcept { return code_; }
    /// The code's description, e.g. "HTTP error status" (ss_result_str).
    std::string_view code_name() const noexcept { return name(code_); }
    int http_status() const noexcept { return http_status_; }
    const std::string &body() const noexcept { return body_; }
    std::int64_t api_code() const noexcept { return api_code_; }
    const std::string &api_code_name() const noexcept { return api_code_name_; }

private:
    static std::string_view name(ss_result code) noexcept {
        const char *s = ss_result_str(static_cast<std::uint32_t>(code));
        return s ? std::string_view(s) : std::string_view();
    }
    static std::string read(std::size_t (*copy)(char *, std::size_t)) {
        std::size_t len = copy(nullptr, 0);
        std::string text(len, '\0');
        if (len > 0) {
            // Writes len bytes and the NUL, which std::string keeps at text[len].
            std::size_t again = copy(&text[0], len + 1);
            if (again < len) text.resize(again);
        }
        return text;
    }

    ss_result code_;
    int http_status_;
    std::string body_;
    std::int64_t api_code_;
    std::string api_code_name_;
};

/// Kinds of phone number of a recipient.
enum class destination : std::uint32_t {
    home = SS_DESTINATION_HOME,
    cell = SS_DESTINATION_CELL,
    office = SS_DESTINATION_OFFICE,
    other = SS_DESTINATION_OTHER,
};

/// Where a transfer stands (see ss_progress): the attachment, its bytes sent and size, and the
/// bytes sent and total of the whole call.
using progress = ss_progress;
/// Progress callback: return true to go on, false to stop the call (which then throws an error
/// with SS_ERR_ABORTED_BY_CALLBACK). Throwing also stops it, and the exception propagates.
using progress_fn = std::function<bool(const progress &)>;
/// Takes the next block of a download (at most 256 KiB). Throwing stops the download.
using write_fn = std::function<void(const std::uint8_t *data, std::size_t len)>;
/// Fills `buffer` with up to `len` bytes of a stream attachment and returns how many (0 at the
/// end). Throwing stops the upload.
using read_fn = std::function<std::size_t(std::uint8_t *buffer, std::size_t len)>;
/// Puts a stream attachment back at its first byte, before it is read again (a retry).
/// Throwing stops the upload.
using rewind_fn = std::function<void()>;

namespace detail {

inline std::string_view view(const char *s) noexcept { return s ? std::string_view(s) : std::string_view(); }

/// A NUL-terminated copy of `s`, for a C argument (valid until the end of the full expression).
inline std::string z(std::string_view s) { return std::string(s); }

/// The C string of `s`, or NULL when it is empty (the C API's "not set").
inline const char *or_null(const std::string &s) noexcept { return s.empty() ? nullptr : s.c_str(); }

inline void check(ss_result rc) {
    if (rc != SS_OK) throw error::last(rc);
}

template <class T, void (*Free)(T *)>
struct free_with {
    void operator()(T *p) const noexcept { Free(p); }
};

/// The owner of one C handle: move-only, frees it once.
template <class T, void (*Free)(T *)>
class owner {
public:
    /// The C handle (NULL after a move); stays owned by this object.
    T *get() const noexcept { return handle_.get(); }
    explicit operator bool() const noexcept { return handle_ != nullptr; }

protected:
    owner() = default;
    explicit owner(T *handle) noexcept : handle_(handle) {}
    /// Gives the C handle up: the caller frees it with the C function.
    T *release() noexcept { return handle_.release(); }
    /// The handle, or an error when it was moved from.
    T *live() const {
        if (!handle_) throw error(SS_ERR_INVALID_STATE, "sendsecure: use of a moved-from object");
        return handle_.get();
    }

private:
    std::unique_ptr<T, free_with<T, Free>> handle_;
};

/// A string the C API gave (char **): copied, then freed with ss_string_free.
inline std::string take(char *s) {
    std::unique_ptr<char, free_with<char, ss_string_free>> owned(s);
    return s ? std::string(s) : std::string();
}

/// The callbacks of one blocking C call and the first exception they threw.
class call {
public:
    /// `stream_error`: the slot of the stream attachments the call may read, cleared now.
    explicit call(const progress_fn &on_progress, const write_fn *on_write = nullptr,
                  std::exception_ptr *stream_error = nullptr) noexcept
        : progress_(on_progress ? &on_progress : nullptr), write_(on_write), stream_error_(stream_error) {
        if (stream_error_) *stream_error_ = nullptr;
    }
    call(const call &) = delete;
    call &operator=(const call &) = delete;

    ss_progress_cb progress_cb() const noexcept { return progress_ ? &call::progress_trampoline : nullptr; }
    ss_write_cb write_cb() const noexcept { return &call::write_trampoline; }
    void *data() noexcept { return this; }

    /// After the C call: rethrows a callback's exception, else throws for a failure.
    void finish(ss_result rc) {
        std::exception_ptr stream = stream_error_ ? std::exchange(*stream_error_, nullptr) : nullptr;
        if (error_) std::rethrow_exception(error_);
        if (stream) std::rethrow_exception(stream);
        check(rc);
    }

private:
    static int progress_trampoline(void *data, const ss_progress *p) noexcept {
        auto *self = static_cast<call *>(data);
        if (self->error_ || p == nullptr) return 1;
        try {
            return (*self->progress_)(*p) ? 0 : 1;
        } catch (...) {
            self->error_ = std::current_exception();
            return 1;
        }
    }
    static std::int64_t write_trampoline(void *data, const std::uint8_t *buf, std::size_t len) noexcept {
        auto *self = static_cast<call *>(data);
        if (self->error_ || self->write_ == nullptr || !*self->write_) return -1;
        try {
            (*self->write_)(buf, len);
            return static_cast<std::int64_t>(len);
        } catch (...) {
            self->error_ = std::current_exception();
            return -1;
        }
    }

    const progress_fn *progress_;
    const write_fn *write_;
    std::exception_ptr *stream_error_;
    std::exception_ptr error_;
};

/// The stream attachments of a SafeBox or a reply: their read functions (which must outlive
/// the C handle's use of them) and the first exception one of them threw.
class streams {
public:
    struct source {
        read_fn read;
        rewind_fn rewind;
        streams *owner;
    };

    /// Registers `read` (and `rewind`) as a source and gives it to `add`, the C function that
    /// adds the stream attachment; when that fails the source is dropped again and the error
    /// thrown.
    template <class Add>
    void add_stream(read_fn read, rewind_fn rewind, Add &&add) {
        sources_.push_back(std::make_unique<source>(source{std::move(read), std::move(rewind), this}));
        ss_result rc = add(sources_.back().get());
        if (rc != SS_OK) {
            error e = error::last(rc);
            sources_.pop_back();
            throw e;
        }
    }
    std::exception_ptr *stream_error() noexcept { return &error_; }

    static std::int64_t on_read(void *data, std::uint8_t *buf, std::size_t len) noexcept {
        auto *src = static_cast<source *>(data);
        if (src->owner->error_) return -1;
        try {
            std::size_t n = src->read(buf, len);
            if (n > len) throw std::length_error("sendsecure: a read function returned more than it was asked");
            return static_cast<std::int64_t>(n);
        } catch (...) {
            src->owner->error_ = std::current_exception();
            return -1;
        }
    }
    static int on_rewind(void *data) noexcept {
        auto *src = static_cast<source *>(data);
        if (src->owner->error_ || !src->rewind) return 1;
        try {
            src->rewind();
            return 0;
        } catch (...) {
            src->owner->error_ = std::current_exception();
            return 1;
        }
    }

private:
    std::vector<std::unique_ptr<source>> sources_;
    std::exception_ptr error_;
};

/// A view of the items of a C list (`Count` and `At`), each wrapped as `View`; iterable.
template <class Parent, class Item, class View, std::size_t (*Count)(const Parent *),
          const Item *(*At)(const Parent *, std::size_t)>
class items {
public:
    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = View;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = View;

        iterator() = default;
        iterator(const Parent *parent, std::size_t index) noexcept : parent_(parent), index_(index) {}
        View operator*() const noexcept { return View(At(parent_, index_)); }
        iterator &operator++() noexcept {
            ++index_;
            return *this;
        }
        iterator operator++(int) noexcept {
            iterator before = *this;
            ++index_;
            return before;
        }
        bool operator==(const iterator &o) const noexcept { return parent_ == o.parent_ && index_ == o.index_; }
        bool operator!=(const iterator &o) const noexcept { return !(*this == o); }

    private:
        const Parent *parent_ = nullptr;
        std::size_t index_ = 0;
    };

    explicit items(const Parent *parent) noexcept : parent_(parent) {}
    std::size_t size() const noexcept { return Count(parent_); }
    bool empty() const noexcept { return size() == 0; }
    /// The item at `index`; past the end, a view of nothing (its fields read empty / 0).
    View operator[](std::size_t index) const noexcept { return View(At(parent_, index)); }
    View at(std::size_t index) const {
        if (index >= size()) throw std::out_of_range("sendsecure: index out of range");
        return View(At(parent_, index));
    }
    iterator begin() const noexcept { return iterator(parent_, 0); }
    iterator end() const noexcept { return iterator(parent_, size()); }

private:
    const Parent *parent_;
};

}  // namespace detail

/* ------------------------------------------------------------------------------------------
 * Login and client */

/// Settings of a client or a login; unset fields keep the library's defaults.
struct client_options {
    /// The user's id (user_token::user_id()), needed by user-level calls; 0 when unknown.
    std::int64_t user_id = 0;
    std::optional<std::chrono::milliseconds> connect_timeout;  ///< default 30 s
    /// A whole API call, retries included (transfers excepted); default 120 s; zero: none.
    std::optional<std::chrono::milliseconds> request_timeout;
    /// A transfer with no byte moving that long fails; default 60 s; zero: none.
    std::optional<std::chrono::milliseconds> stall_timeout;
    std::optional<std::uint32_t> upload_concurrency;            ///< default 8; 1: one at a time
    std::optional<std::uint32_t> max_retries;                   ///< default 3; 0: never
    std::optional<std::chrono::milliseconds> retry_base_delay;  ///< default 250 ms, doubling
    std::optional<std::chrono::milliseconds> retry_max_delay;   ///< default 30 s
    std::string locale;                                         ///< empty: "en"
    std::string ca_file;  ///< a PEM file of extra certificate authorities; empty: none
    std::string client_cert_file;  ///< PEM client certificate for mutual TLS; empty: none
    std::string client_key_file;   ///< its private key, when not in client_cert_file
    /// Allow plain http:// to hosts other than loopback ones (credentials would travel in clear).
    bool allow_insecure_http = false;
    /// SendSafely: segments moving at the same time (default 4).
    std::optional<std::uint32_t> transfer_concurrency;
    /// SendSafely: segments encrypted or decrypted at the same time (default: one per core).
    std::optional<std::uint32_t> crypto_threads;

    /// The C options; its strings are borrowed from this object.
    ss_client_options to_c() const noexcept {
        ss_client_options o;
        ss_client_options_init(&o);
        auto ms = [](std::chrono::milliseconds d) {
            auto n = d.count();
            if (n < 0) return std::uint32_t{0};
            if (n > static_cast<std::chrono::milliseconds::rep>(std::numeric_limits<std::uint32_t>::max()))
                return std::numeric_limits<std::uint32_t>::max();
            return static_cast<std::uint32_t>(n);
        };
        o.user_id = user_id;
        if (connect_timeout) o.connect_timeout_ms = ms(*connect_timeout);
        if (request_timeout) o.request_timeout_ms = ms(*request_timeout);
        if (stall_timeout) o.stall_timeout_ms = ms(*stall_timeout);
        if (upload_concurrency) o.upload_concurrency = *upload_concurrency;
        if (max_retries) o.max_retries = *max_retries;
        if (retry_base_delay) o.retry_base_delay_ms = ms(*retry_base_delay);
        if (retry_max_delay) o.retry_max_delay_ms = ms(*retry_max_delay);
        if (!locale.empty()) o.locale = locale.c_str();
        if (!ca_file.empty()) o.ca_file = ca_file.c_str();
        if (!client_cert_file.empty()) o.client_cert_file = client_cert_file.c_str();
        if (!client_key_file.empty()) o.client_key_file = client_key_file.c_str();
        o.allow_insecure_http = allow_insecure_http;
        if (transfer_concurrency) o.transfer_concurrency = *transfer_concurrency;
        if (crypto_threads) o.crypto_threads = *crypto_threads;
        return o;
    }
};

/// The result of a login: an API token and the user's id.
class user_token : public detail::owner<ss_user_token, ss_user_token_free> {
public:
    explicit user_token(ss_user_token *adopt) noexcept : owner(adopt) {}
    /// The API token (`USER|…`), for a client.
    std::string_view token() const noexcept { return detail::view(ss_user_token_token(get())); }
    std::int64_t user_id() const noexcept { return ss_user_token_user_id(get()); }
    using owner::release;
};

/// The optional parts of a login.
struct login_options {
    std::string application_type;   ///< empty: "libsendsecure"
    std::string one_time_password;  ///< when the user's login needs one
    client_options options;         ///< the timeouts and ca_file apply
};

/// Gets an API token for a user (ss_get_user_token). `endpoint`: the portal URL, empty for the
/// public portal. Throws error (SS_ERR_AUTH with api_code() for a refused login, ...).
inline user_token get_user_token(std::string_view enterprise_account, std::string_view username,
                                 std::string_view password, std::string_view device_id,
                                 std::string_view device_name, std::string_view endpoint = {},
                                 const login_options &login = {}) {
    ss_client_options options = login.options.to_c();
    ss_user_token *token = nullptr;
    detail::check(ss_get_user_token(detail::z(enterprise_account).c_str(), detail::z(username).c_str(),
                                    detail::z(password).c_str(), detail::z(device_id).c_str(),
                                    detail::z(device_name).c_str(), detail::or_null(login.application_type),
                                    detail::or_null(detail::z(endpoint)),
                                    detail::or_null(login.one_time_password), &options, &token));
    return user_token(token);
}

/* ------------------------------------------------------------------------------------------
 * Enterprise settings and security profiles */

class enterprise_settings : public detail::owner<ss_enterprise_settings, ss_enterprise_settings_free> {
public:
    explicit enterprise_settings(ss_enterprise_settings *adopt) noexcept : owner(adopt) {}
    /// 0 when there is none.
    std::int64_t default_security_profile_id() const noexcept {
        return ss_enterprise_settings_default_security_profile_id(get());
    }
    /// In bytes; -1 when there is no limit.
    std::int64_t max_file_size() const noexcept { return ss_enterprise_settings_max_file_size(get()); }
    /// "allow" (only the extensions listed) or "forbid" (all but them).
    std::string_view extension_filter_mode() const noexcept {
        return detail::view(ss_enterprise_settings_extension_filter_mode(get()));
    }
    std::vector<std::string_view> extensions() const {
        std::vector<std::string_view> list;
        std::size_t n = ss_enterprise_settings_extension_count(get());
        list.reserve(n);
        for (std::size_t i = 0; i < n; i++) list.push_back(detail::view(ss_enterprise_settings_extension_at(get(), i)));
        return list;
    }
    std::string_view to_json() const noexcept { return detail::view(ss_enterprise_settings_to_json(get())); }
};

namespace detail {
template <class Self>
class security_profile_fields {
public:
    std::int64_t id() const noexcept { return ss_security_profile_id(p()); }
    std::string_view name() const noexcept { return view(ss_security_profile_name(p())); }
    std::string_view description() const noexcept { return view(ss_security_profile_description(p())); }
    /// Every setting as `{"value":…,"modifiable":…}`.
    std::string_view to_json() const noexcept { return view(ss_security_profile_to_json(p())); }

private:
    const ss_security_profile *p() const noexcept { return static_cast<const Self *>(this)->get(); }
};
}  // namespace detail

/// A security profile borrowed from a list: valid as long as the list.
class security_profile_view : public detail::security_profile_fields<security_profile_view> {
public:
    explicit security_profile_view(const ss_security_profile *p) noexcept : p_(p) {}
    const ss_security_profile *get() const noexcept { return p_; }

private:
    const ss_security_profile *p_;
};

/// A security profile of its own (get_default_security_profile).
class security_profile : public detail::owner<ss_security_profile, ss_security_profile_free>,
                         public detail::security_profile_fields<security_profile> {
public:
    explicit security_profile(ss_security_profile *adopt) noexcept : owner(adopt) {}
    using owner::get;
    using owner::release;
};

class security_profile_list : public detail::owner<ss_security_profile_list, ss_security_profile_list_free> {
public:
    using items_type = detail::items<ss_security_profile_list, ss_security_profile, security_profile_view,
                                     ss_security_profile_list_count, ss_security_profile_list_at>;
    explicit security_profile_list(ss_security_profile_list *adopt) noexcept : owner(adopt) {}
    items_type items() const noexcept { return items_type(get()); }
    std::size_t size() const noexcept { return items().size(); }
    security_profile_view operator[](std::size_t i) const noexcept { return items()[i]; }
    security_profile_view at(std::size_t i) const { return items().at(i); }
    items_type::iterator begin() const noexcept { return items().begin(); }
    items_type::iterator end() const noexcept { return items().end(); }
};

/* ------------------------------------------------------------------------------------------
 * Existing SafeBoxes: participants, messages, documents, events, SafeBox info, pages */

class contact_method_view {
public:
    explicit contact_method_view(const ss_contact_method *p) noexcept : p_(p) {}
    const ss_contact_method *get() const noexcept { return p_; }
    std::int64_t id() const noexcept { return ss_contact_method_id(p_); }
    std::string_view destination() const noexcept { return detail::view(ss_contact_method_destination(p_)); }
    /// "home_phone", "cell_phone", "office_phone" or "other_phone".
    std::string_view type() const noexcept { return detail::view(ss_contact_method_type(p_)); }

private:
    const ss_contact_method *p_;
};

namespace detail {
/// The fields of a participant, shared by the owned and the borrowed kinds.
template <class Self>
class participant_fields {
public:
    using contact_methods_type = items<ss_participant, ss_contact_method, contact_method_view,
                                       ss_participant_contact_method_count, ss_participant_contact_method_at>;
    std::string_view id() const noexcept { return view(ss_participant_id(p())); }
    std::string_view email() const noexcept { return view(ss_participant_email(p())); }
    std::string_view first_name() const noexcept { return view(ss_participant_first_name(p())); }
    std::string_view last_name() const noexcept { return view(ss_participant_last_name(p())); }
    /// "guest" or "user".
    std::string_view type() const noexcept { return view(ss_participant_type(p())); }
    /// "guest" or "owner".
    std::string_view role() const noexcept { return view(ss_participant_role(p())); }
    std::string_view company_name() const noexcept { return view(ss_participant_company_name(p())); }
    bool locked() const noexcept { return ss_participant_locked(p()); }
    bool privileged() const noexcept { return ss_participant_privileged(p()); }
    std::int64_t message_read_count() const noexcept { return ss_participant_message_read_count(p()); }
    std::int64_t message_total_count() const noexcept { return ss_participant_message_total_count(p()); }
    contact_methods_type contact_methods() const noexcept { return contact_methods_type(p()); }
    std::string_view to_json() const noexcept { return view(ss_participant_to_json(p())); }

private:
    const ss_participant *p() const noexcept { return static_cast<const Self *>(this)->get(); }
};
}  // namespace detail

/// A participant borrowed from a list or a SafeBox info: valid as long as it.
class participant_view : public detail::participant_fields<participant_view> {
public:
    explicit participant_view(const ss_participant *p) noexcept : p_(p) {}
    const ss_participant *get() const noexcept { return p_; }

private:
    const ss_participant *p_;
};

/// A participant of its own, as the server answered an edit (client::create_participant,
/// update_participant, delete_participant_contact_methods).
class participant : public detail::owner<ss_participant, ss_participant_free>,
                    public detail::participant_fields<participant> {
public:
    explicit participant(ss_participant *adopt) noexcept : owner(adopt) {}
    using owner::get;
    using owner::release;
};

/// A document of a message: valid as long as the message.
class document_view {
public:
    explicit document_view(const ss_document *p) noexcept : p_(p) {}
    const ss_document *get() const noexcept { return p_; }
    /// For client::download_document.
    std::string_view id() const noexcept { return detail::view(ss_document_id(p_)); }
    std::string_view name() const noexcept { return detail::view(ss_document_name(p_)); }
    /// SHA-256, hexadecimal.
    std::string_view sha() const noexcept { return detail::view(ss_document_sha(p_)); }
    std::uint64_t size() const noexcept { return ss_document_size(p_); }
    std::string_view url() const noexcept { return detail::view(ss_document_url(p_)); }

private:
    const ss_document *p_;
};

/// A message borrowed from a list or a SafeBox info: valid as long as it.
class message_view {
public:
    using documents_type =
        detail::items<ss_message, ss_document, document_view, ss_message_document_count, ss_message_document_at>;
    explicit message_view(const ss_message *p) noexcept : p_(p) {}
    const ss_message *get() const noexcept { return p_; }
    std::int64_t id() const noexcept { return ss_message_id(p_); }
    std::string_view note() const noexcept { return detail::view(ss_message_note(p_)); }
    bool read() const noexcept { return ss_message_read(p_); }
    std::string_view author_id() const noexcept { return detail::view(ss_message_author_id(p_)); }
    std::string_view author_type() const noexcept { return detail::view(ss_message_author_type(p_)); }
    std::string_view created_at() const noexcept { return detail::view(ss_message_created_at(p_)); }
    documents_type documents() const noexcept { return documents_type(p_); }
    std::string_view to_json() const noexcept { return detail::view(ss_message_to_json(p_)); }

private:
    const ss_message *p_;
};

/// An entry of an event history: valid as long as its list or SafeBox info.
class event_view {
public:
    explicit event_view(const ss_event *p) noexcept : p_(p) {}
    const ss_event *get() const noexcept { return p_; }
    std::string_view type() const noexcept { return detail::view(ss_event_type(p_)); }
    std::string_view date() const noexcept { return detail::view(ss_event_date(p_)); }
    std::string_view message() const noexcept { return detail::view(ss_event_message(p_)); }
    std::string_view metadata_json() const noexcept { return detail::view(ss_event_metadata_json(p_)); }

private:
    const ss_event *p_;
};

namespace detail {
/// The fields of an existing SafeBox, shared by the owned and the borrowed kinds.
template <class Self>
class safebox_info_fields {
public:
    using participants_type = items<ss_safebox_info, ss_participant, participant_view,
                                    ss_safebox_info_participant_count, ss_safebox_info_participant_at>;
    using messages_type =
        items<ss_safebox_info, ss_message, message_view, ss_safebox_info_message_count, ss_safebox_info_message_at>;
    using events_type =
        items<ss_safebox_info, ss_event, event_view, ss_safebox_info_event_count, ss_safebox_info_event_at>;

    std::string_view guid() const noexcept { return view(ss_safebox_info_guid(p())); }
    /// "in_progress", "closed" or "content_deleted".
    std::string_view status() const noexcept { return view(ss_safebox_info_status(p())); }
    std::string_view subject() const noexcept { return view(ss_safebox_info_subject(p())); }
    std::string_view expiration() const noexcept { return view(ss_safebox_info_expiration(p())); }
    std::string_view created_at() const noexcept { return view(ss_safebox_info_created_at(p())); }
    std::string_view updated_at() const noexcept { return view(ss_safebox_info_updated_at(p())); }
    std::string_view latest_activity() const noexcept { return view(ss_safebox_info_latest_activity(p())); }
    /// Empty while open.
    std::string_view closed_at() const noexcept { return view(ss_safebox_info_closed_at(p())); }
    std::string_view content_deleted_at() const noexcept { return view(ss_safebox_info_content_deleted_at(p())); }
    std::string_view security_profile_name() const noexcept {
        return view(ss_safebox_info_security_profile_name(p()));
    }
    std::int64_t unread_count() const noexcept { return ss_safebox_info_unread_count(p()); }
    std::int64_t user_id() const noexcept { return ss_safebox_info_user_id(p()); }
    /// Empty unless the "participants" section was asked for.
    participants_type participants() const noexcept { return participants_type(p()); }
    /// Empty unless the "messages" section was asked for.
    messages_type messages() const noexcept { return messages_type(p()); }
    /// Empty unless the "event_history" section was asked for.
    events_type events() const noexcept { return events_type(p()); }
    /// Empty unless the "security_options" section was asked for.
    std::string_view security_options_json() const noexcept {
        return view(ss_safebox_info_security_options_json(p()));
    }
    /// Empty unless the "download_activity" section was asked for.
    std::string_view download_activity_json() const noexcept {
        return view(ss_safebox_info_download_activity_json(p()));
    }
    std::string_view to_json() const noexcept { return view(ss_safebox_info_to_json(p())); }

private:
    const ss_safebox_info *p() const noexcept { return static_cast<const Self *>(this)->get(); }
};
}  // namespace detail

/// An existing SafeBox borrowed from a page (valid as long as the page) or an iterator (valid
/// until it moves on). It holds the list's summary only: no participants, messages nor events.
class safebox_info_view : public detail::safebox_info_fields<safebox_info_view> {
public:
    explicit safebox_info_view(const ss_safebox_info *p) noexcept : p_(p) {}
    const ss_safebox_info *get() const noexcept { return p_; }

private:
    const ss_safebox_info *p_;
};

/// An existing SafeBox with the sections asked for (client::get_safebox_info).
class safebox_info : public detail::owner<ss_safebox_info, ss_safebox_info_free>,
                     public detail::safebox_info_fields<safebox_info> {
public:
    explicit safebox_info(ss_safebox_info *adopt) noexcept : owner(adopt) {}
    using owner::get;
    using owner::release;
};

/// One page of the SafeBox list (client::get_safeboxes); iterable.
class safebox_page : public detail::owner<ss_safebox_page, ss_safebox_page_free> {
public:
    using items_type =
        detail::items<ss_safebox_page, ss_safebox_info, safebox_info_view, ss_safebox_page_count, ss_safebox_page_at>;
    explicit safebox_page(ss_safebox_page *adopt) noexcept : owner(adopt) {}
    /// How many SafeBoxes match the filters, in all pages.
    std::int64_t total() const noexcept { return ss_safebox_page_total(get()); }
    bool has_next() const noexcept { return ss_safebox_page_has_next(get()); }
    items_type items() const noexcept { return items_type(get()); }
    std::size_t size() const noexcept { return items().size(); }
    safebox_info_view operator[](std::size_t i) const noexcept { return items()[i]; }
    safebox_info_view at(std::size_t i) const { return items().at(i); }
    items_type::iterator begin() const noexcept { return items().begin(); }
    items_type::iterator end() const noexcept { return items().end(); }
    using owner::release;
};

/// Every SafeBox matching a filter, page after page (client::safeboxes): a single-pass range.
/// Each item is valid until the next one is fetched. Fetching a page may throw; after a
/// failure, iterating again retries the same page.
class safebox_iter : public detail::owner<ss_safebox_iter, ss_safebox_iter_free> {
public:
    explicit safebox_iter(ss_safebox_iter *adopt) noexcept : owner(adopt) {}

    /// The next SafeBox, or nullopt at the end.
    std::optional<safebox_info_view> next() {
        const ss_safebox_info *info = nullptr;
        detail::check(ss_safebox_iter_next(live(), &info));
        if (info == nullptr) return std::nullopt;
        return safebox_info_view(info);
    }

    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = safebox_info_view;
        using difference_type = std::ptrdiff_t;
        using pointer = const safebox_info_view *;
        using reference = const safebox_info_view &;

        iterator() = default;
        reference operator*() const noexcept { return *current_; }
        pointer operator->() const noexcept { return &*current_; }
        iterator &operator++() {
            current_ = iter_->next();
            return *this;
        }
        bool operator==(const iterator &o) const noexcept { return !current_ && !o.current_; }
        bool operator!=(const iterator &o) const noexcept { return !(*this == o); }

    private:
        friend class safebox_iter;
        iterator(safebox_iter *iter, std::optional<safebox_info_view> current) noexcept
            : iter_(iter), current_(current) {}
        safebox_iter *iter_ = nullptr;
        std::optional<safebox_info_view> current_;
    };

    /// Fetches the first SafeBox (or the next one, the range being single-pass).
    iterator begin() { return iterator(this, next()); }
    iterator end() noexcept { return iterator(); }
};

/// Participants of a SafeBox (client::get_safebox_participants); iterable.
class participant_list : public detail::owner<ss_participant_list, ss_participant_list_free> {
public:
    using items_type = detail::items<ss_participant_list, ss_participant, participant_view,
                                     ss_participant_list_count, ss_participant_list_at>;
    explicit participant_list(ss_participant_list *adopt) noexcept : owner(adopt) {}
    items_type items() const noexcept { return items_type(get()); }
    std::size_t size() const noexcept { return items().size(); }
    participant_view operator[](std::size_t i) const noexcept { return items()[i]; }
    items_type::iterator begin() const noexcept { return items().begin(); }
    items_type::iterator end() const noexcept { return items().end(); }
};

/// Messages of a SafeBox, oldest first (client::get_safebox_messages); iterable.
class message_list : public detail::owner<ss_message_list, ss_message_list_free> {
public:
    using items_type =
        detail::items<ss_message_list, ss_message, message_view, ss_message_list_count, ss_message_list_at>;
    explicit message_list(ss_message_list *adopt) noexcept : owner(adopt) {}
    items_type items() const noexcept { return items_type(get()); }
    std::size_t size() const noexcept { return items().size(); }
    message_view operator[](std::size_t i) const noexcept { return items()[i]; }
    items_type::iterator begin() const noexcept { return items().begin(); }
    items_type::iterator end() const noexcept { return items().end(); }
};

/// Event history of a SafeBox (client::get_safebox_event_history); iterable.
class event_list : public detail::owner<ss_event_list, ss_event_list_free> {
public:
    using items_type = detail::items<ss_event_list, ss_event, event_view, ss_event_list_count, ss_event_list_at>;
    explicit event_list(ss_event_list *adopt) noexcept : owner(adopt) {}
    items_type items() const noexcept { return items_type(get()); }
    std::size_t size() const noexcept { return items().size(); }
    event_view operator[](std::size_t i) const noexcept { return items()[i]; }
    items_type::iterator begin() const noexcept { return items().begin(); }
    items_type::iterator end() const noexcept { return items().end(); }
};

/* ------------------------------------------------------------------------------------------
 * Favorites, recipient search, consent texts, contact edits */

namespace detail {
/// The fields of a favorite, shared by the owned and the borrowed kinds.
template <class Self>
class favorite_fields {
public:
    using contact_methods_type = items<ss_favorite, ss_contact_method, contact_method_view,
                                       ss_favorite_contact_method_count, ss_favorite_contact_method_at>;
    std::int64_t id() const noexcept { return ss_favorite_id(p()); }
    std::string_view email() const noexcept { return view(ss_favorite_email(p())); }
    std::string_view first_name() const noexcept { return view(ss_favorite_first_name(p())); }
    std::string_view last_name() const noexcept { return view(ss_favorite_last_name(p())); }
    std::string_view company_name() const noexcept { return view(ss_favorite_company_name(p())); }
    std::int64_t order_number() const noexcept { return ss_favorite_order_number(p()); }
    bool always_promote() const noexcept { return ss_favorite_always_promote(p()); }
    contact_methods_type contact_methods() const noexcept { return contact_methods_type(p()); }
    std::string_view to_json() const noexcept { return view(ss_favorite_to_json(p())); }

private:
    const ss_favorite *p() const noexcept { return static_cast<const Self *>(this)->get(); }
};
}  // namespace detail

/// A favorite borrowed from a list: valid as long as the list.
class favorite_view : public detail::favorite_fields<favorite_view> {
public:
    explicit favorite_view(const ss_favorite *p) noexcept : p_(p) {}
    const ss_favorite *get() const noexcept { return p_; }

private:
    const ss_favorite *p_;
};

/// A favorite of its own, as the server answered an edit (client::create_favorite, ...).
class favorite : public detail::owner<ss_favorite, ss_favorite_free>, public detail::favorite_fields<favorite> {
public:
    explicit favorite(ss_favorite *adopt) noexcept : owner(adopt) {}
    using owner::get;
    using owner::release;
};

/// The user's favorites (client::get_favorites); iterable.
class favorite_list : public detail::owner<ss_favorite_list, ss_favorite_list_free> {
public:
    using items_type =
        detail::items<ss_favorite_list, ss_favorite, favorite_view, ss_favorite_list_count, ss_favorite_list_at>;
    explicit favorite_list(ss_favorite_list *adopt) noexcept : owner(adopt) {}
    items_type items() const noexcept { return items_type(get()); }
    std::size_t size() const noexcept { return items().size(); }
    favorite_view operator[](std::size_t i) const noexcept { return items()[i]; }
    items_type::iterator begin() const noexcept { return items().begin(); }
    items_type::iterator end() const noexcept { return items().end(); }
};

/// One answer of a recipient search, borrowed from its list.
class recipient_match_view {
public:
    explicit recipient_match_view(const ss_recipient_match *p) noexcept : p_(p) {}
    const ss_recipient_match *get() const noexcept { return p_; }
    std::int64_t id() const noexcept { return ss_recipient_match_id(p_); }
    /// "favorite" or "user".
    std::string_view type() const noexcept { return detail::view(ss_recipient_match_type(p_)); }
    std::string_view email() const noexcept { return detail::view(ss_recipient_match_email(p_)); }
    std::string_view first_name() const noexcept { return detail::view(ss_recipient_match_first_name(p_)); }
    std::string_view last_name() const noexcept { return detail::view(ss_recipient_match_last_name(p_)); }
    std::string_view company_name() const noexcept { return detail::view(ss_recipient_match_company_name(p_)); }

private:
    const ss_recipient_match *p_;
};

/// The answers of a recipient search (client::search_recipient); iterable.
class recipient_match_list : public detail::owner<ss_recipient_match_list, ss_recipient_match_list_free> {
public:
    using items_type = detail::items<ss_recipient_match_list, ss_recipient_match, recipient_match_view,
                                     ss_recipient_match_list_count, ss_recipient_match_list_at>;
    explicit recipient_match_list(ss_recipient_match_list *adopt) noexcept : owner(adopt) {}
    items_type items() const noexcept { return items_type(get()); }
    std::size_t size() const noexcept { return items().size(); }
    recipient_match_view operator[](std::size_t i) const noexcept { return items()[i]; }
    items_type::iterator begin() const noexcept { return items().begin(); }
    items_type::iterator end() const noexcept { return items().end(); }
};

/// A consent text in every locale (client::get_consent_group_messages).
class consent_group : public detail::owner<ss_consent_group, ss_consent_group_free> {
public:
    explicit consent_group(ss_consent_group *adopt) noexcept : owner(adopt) {}
    std::int64_t id() const noexcept { return ss_consent_group_id(get()); }
    std::string_view name() const noexcept { return detail::view(ss_consent_group_name(get())); }
    /// How many locales the text is in.
    std::size_t size() const noexcept { return ss_consent_group_message_count(get()); }
    /// The locale of text number `index` ("en", "fr"...); empty past the end.
    std::string_view locale(std::size_t index) const noexcept {
        return detail::view(ss_consent_group_message_locale_at(get(), index));
    }
    /// Text number `index`; empty past the end.
    std::string_view text(std::size_t index) const noexcept {
        return detail::view(ss_consent_group_message_text_at(get(), index));
    }
    /// The text in `wanted`, else empty.
    std::string_view text_in(std::string_view wanted) const noexcept {
        for (std::size_t i = 0; i < size(); i++) {
            if (locale(i) == wanted) return text(i);
        }
        return {};
    }
};

/// The fields to set on a participant or a favorite (client::create_participant,
/// update_participant, create_favorite, update_favorite); unset fields are left as they are.
class contact_edit : public detail::owner<ss_contact_edit, ss_contact_edit_free> {
public:
    contact_edit() : owner(create()) {}
    using owner::get;
    contact_edit &set_email(std::string_view value) {
        return done(ss_contact_edit_set_email(live(), detail::z(value).c_str()));
    }
    contact_edit &set_first_name(std::string_view value) {
        return done(ss_contact_edit_set_first_name(live(), detail::z(value).c_str()));
    }
    contact_edit &set_last_name(std::string_view value) {
        return done(ss_contact_edit_set_last_name(live(), detail::z(value).c_str()));
    }
    contact_edit &set_company_name(std::string_view value) {
        return done(ss_contact_edit_set_company_name(live(), detail::z(value).c_str()));
    }
    contact_edit &set_locked(bool locked) { return done(ss_contact_edit_set_locked(live(), locked)); }
    contact_edit &set_privileged(bool privileged) {
        return done(ss_contact_edit_set_privileged(live(), privileged));
    }
    contact_edit &set_always_promote(bool always_promote) {
        return done(ss_contact_edit_set_always_promote(live(), always_promote));
    }
    contact_edit &set_order_number(std::int64_t order_number) {
        return done(ss_contact_edit_set_order_number(live(), order_number));
    }
    contact_edit &add_contact_method(std::string_view phone, destination kind) {
        return done(ss_contact_edit_add_contact_method(live(), detail::z(phone).c_str(),
                                                       static_cast<std::uint32_t>(kind)));
    }
    /// Removes an existing contact method (by its id) with the edit.
    contact_edit &remove_contact_method(std::int64_t id) {
        return done(ss_contact_edit_remove_contact_method(live(), id));
    }

private:
    static ss_contact_edit *create() {
        ss_contact_edit *e = nullptr;
        detail::check(ss_contact_edit_new(&e));
        return e;
    }
    contact_edit &done(ss_result rc) {
        detail::check(rc);
        return *this;
    }
};

/* ------------------------------------------------------------------------------------------
 * Logging */

/// Receives the library's log records: level and one line (valid during the call). Called on
/// any thread, possibly several at once: it must be thread-safe and must not call the library.
using log_fn = std::function<void(ss_log_level level, std::string_view message)>;

namespace detail {
struct log_sink {
    static void on_record(void *data, ss_log_level level, const char *message) noexcept {
        try {
            (*static_cast<const log_fn *>(data))(level, view(message));
        } catch (...) {
            // An exception must not cross the C library: the record is lost.
        }
    }
    static std::mutex &lock() {
        static std::mutex m;
        return m;
    }
    static std::unique_ptr<log_fn> &current() {
        static std::unique_ptr<log_fn> f;
        return f;
    }
};
}  // namespace detail

/// Sends the library's log records up to `max_level` to `on_record` (process-wide), or turns
/// the log off when `on_record` is empty. The previous function is no longer running nor
/// called once this returns. Thread-safe.
inline void set_log_callback(log_fn on_record, ss_log_level max_level = SS_LOG_DEBUG) {
    std::lock_guard<std::mutex> guard(detail::log_sink::lock());
    std::unique_ptr<log_fn> next = on_record ? std::make_unique<log_fn>(std::move(on_record)) : nullptr;
    ss_result rc = next ? ss_set_log_callback(&detail::log_sink::on_record, next.get(), max_level)
                        : ss_set_log_callback(nullptr, nullptr, SS_LOG_OFF);
    detail::check(rc);
    detail::log_sink::current() = std::move(next);  // the previous one is freed: no longer called
}

/* ------------------------------------------------------------------------------------------
 * Building a SafeBox, replying */

/// A guest recipient of a SafeBox being built: borrowed from it, valid as long as it.
class recipient {
public:
    explicit recipient(ss_recipient *p) noexcept : p_(p) {}
    ss_recipient *get() const noexcept { return p_; }
    recipient &set_first_name(std::string_view value) {
        detail::check(ss_recipient_set_first_name(p_, detail::z(value).c_str()));
        return *this;
    }
    recipient &set_last_name(std::string_view value) {
        detail::check(ss_recipient_set_last_name(p_, detail::z(value).c_str()));
        return *this;
    }
    recipient &set_company_name(std::string_view value) {
        detail::check(ss_recipient_set_company_name(p_, detail::z(value).c_str()));
        return *this;
    }
    recipient &add_contact_method(std::string_view phone, destination kind) {
        detail::check(ss_recipient_add_contact_method(p_, detail::z(phone).c_str(), static_cast<std::uint32_t>(kind)));
        return *this;
    }

private:
    ss_recipient *p_;
};

class client;

/// A SafeBox being built, then created with client::submit_safebox. Setters return *this.
/// After a failed submit it keeps its GUID and uploaded attachments: submitting again sends
/// only the rest.
class safebox : private detail::streams, public detail::owner<ss_safebox, ss_safebox_free> {
    // (detail::streams comes first so that the C handle is freed before the read functions.)
public:
    /// An empty SafeBox owned by the user `user_email`.
    explicit safebox(std::string_view user_email) : owner(create(user_email)) {}

    safebox &set_subject(std::string_view value) { return done(ss_safebox_set_subject(live(), detail::z(value).c_str())); }
    safebox &set_message(std::string_view value) { return done(ss_safebox_set_message(live(), detail::z(value).c_str())); }
    safebox &set_notification_language(std::string_view language) {
        return done(ss_safebox_set_notification_language(live(), detail::z(language).c_str()));
    }
    /// 0: the enterprise's default (looked up by submit_safebox).
    safebox &set_security_profile_id(std::int64_t id) { return done(ss_safebox_set_security_profile_id(live(), id)); }
    safebox &set_email_notification_enabled(bool value) {
        return done(ss_safebox_set_email_notification_enabled(live(), value));
    }
    safebox &set_reply_enabled(bool value) { return done(ss_safebox_set_reply_enabled(live(), value)); }
    safebox &set_group_replies(bool value) { return done(ss_safebox_set_group_replies(live(), value)); }
    safebox &set_encrypt_message(bool value) { return done(ss_safebox_set_encrypt_message(live(), value)); }
    safebox &set_double_encryption(bool value) { return done(ss_safebox_set_double_encryption(live(), value)); }
    /// `unit`: "hours", "days", "weeks" or "months".
    safebox &set_expiration(std::int64_t value, std::string_view unit) {
        return done(ss_safebox_set_expiration(live(), value, detail::z(unit).c_str()));
    }
    /// `type`: "discard_at_expiration", "retain_at_expiration" (with `value` `unit`s) or
    /// "do_not_discard".
    safebox &set_retention(std::string_view type, std::int64_t value = 0, std::string_view unit = {}) {
        return done(ss_safebox_set_retention(live(), detail::z(type).c_str(), value, detail::or_null(detail::z(unit))));
    }

    /// Adds a guest; returns it to set its names and phone numbers.
    recipient add_recipient(std::string_view email) {
        ss_recipient *r = nullptr;
        detail::check(ss_safebox_add_recipient(live(), detail::z(email).c_str(), &r));
        return recipient(r);
    }

    /// A file from disk, read when uploaded. Empty `content_type`: guessed from the name; empty
    /// `file_name`: the path's last component.
    safebox &add_attachment_file(std::string_view path, std::string_view content_type = {},
                                 std::string_view file_name = {}) {
        return done(ss_safebox_add_attachment_file(live(), detail::z(path).c_str(),
                                                   detail::or_null(detail::z(content_type)),
                                                   detail::or_null(detail::z(file_name))));
    }
    /// An open file descriptor, read from its offset to its end when uploaded (duplicated: the
    /// caller keeps `fd`). Unix only.
    safebox &add_attachment_fd(int fd, std::string_view file_name, std::string_view content_type = {}) {
        return done(ss_safebox_add_attachment_fd(live(), fd, detail::z(file_name).c_str(),
                                                 detail::or_null(detail::z(content_type))));
    }
    /// Bytes from memory (copied).
    safebox &add_attachment_bytes(const void *data, std::size_t len, std::string_view file_name,
                                  std::string_view content_type = {}) {
        return done(ss_safebox_add_attachment_bytes(live(), static_cast<const std::uint8_t *>(data), len,
                                                    detail::z(file_name).c_str(),
                                                    detail::or_null(detail::z(content_type))));
    }
    safebox &add_attachment_bytes(std::string_view data, std::string_view file_name,
                                  std::string_view content_type = {}) {
        return add_attachment_bytes(data.data(), data.size(), file_name, content_type);
    }
    /// Exactly `size` bytes pulled through `read` when uploaded (kept by this SafeBox). The
    /// stream is read once: after a failed upload, a repeated submit reads on from where it
    /// stopped (use add_attachment_stream_rewindable for a stream that can restart).
    safebox &add_attachment_stream(read_fn read, std::uint64_t size, std::string_view file_name,
                                   std::string_view content_type = {}) {
        if (!read) throw error(SS_ERR_NULL_ARGUMENT, "sendsecure: empty read function");
        ss_safebox *sb = live();
        add_stream(std::move(read), {}, [&](source *src) {
            return ss_safebox_add_attachment_stream(sb, &streams::on_read, src, size, detail::z(file_name).c_str(),
                                                    detail::or_null(detail::z(content_type)));
        });
        return *this;
    }
    /// Like add_attachment_stream, for a stream that can restart: `rewind` is called before it
    /// is read again (a retry after a broken connection or a stall, or a repeated submit), so
    /// that a retry needs no action of the caller.
    safebox &add_attachment_stream_rewindable(read_fn read, rewind_fn rewind, std::uint64_t size,
                                              std::string_view file_name, std::string_view content_type = {}) {
        if (!read || !rewind) throw error(SS_ERR_NULL_ARGUMENT, "sendsecure: empty read or rewind function");
        ss_safebox *sb = live();
        add_stream(std::move(read), std::move(rewind), [&](source *src) {
            return ss_safebox_add_attachment_stream_rewindable(sb, &streams::on_read, &streams::on_rewind, src, size,
                                                               detail::z(file_name).c_str(),
                                                               detail::or_null(detail::z(content_type)));
        });
        return *this;
    }
    std::size_t attachment_count() const noexcept { return ss_safebox_attachment_count(get()); }
    /// The GUID once initialized (by submit_safebox or initialize_safebox), else empty.
    std::string_view guid() const noexcept { return detail::view(ss_safebox_guid(get())); }
    /// The JSON its commit would send.
    std::string to_json() const {
        char *json = nullptr;
        detail::check(ss_safebox_to_json(live(), &json));
        return detail::take(json);
    }

private:
    friend class client;
    static ss_safebox *create(std::string_view user_email) {
        ss_safebox *sb = nullptr;
        detail::check(ss_safebox_new(detail::z(user_email).c_str(), &sb));
        return sb;
    }
    safebox &done(ss_result rc) {
        detail::check(rc);
        return *this;
    }
};

/// What creating a SafeBox returns.
class safebox_response : public detail::owner<ss_safebox_response, ss_safebox_response_free> {
public:
    explicit safebox_response(ss_safebox_response *adopt) noexcept : owner(adopt) {}
    std::string_view guid() const noexcept { return detail::view(ss_safebox_response_guid(get())); }
    std::string_view preview_url() const noexcept { return detail::view(ss_safebox_response_preview_url(get())); }
    /// The participants' key (double encryption only; given once), else empty.
    std::string_view encryption_key() const noexcept {
        return detail::view(ss_safebox_response_encryption_key(get()));
    }
    std::string_view to_json() const noexcept { return detail::view(ss_safebox_response_to_json(get())); }
    /// True when the commit's answer was lost and the SafeBox was found by its GUID instead:
    /// then only guid() (and preview_url() when known) are set.
    bool recovered() const noexcept { return ss_safebox_response_recovered(get()); }
    using owner::release;
};

/// A reply to a SafeBox, sent with client::send_reply. Setters return *this.
class reply : private detail::streams, public detail::owner<ss_reply, ss_reply_free> {
public:
    reply() : owner(create()) {}
    reply &set_message(std::string_view text) { return done(ss_reply_set_message(live(), detail::z(text).c_str())); }
    /// Accepts the SafeBox's consent text (when its profile asks for consent).
    reply &set_consent(bool consent) { return done(ss_reply_set_consent(live(), consent)); }
    reply &add_attachment_file(std::string_view path, std::string_view content_type = {},
                               std::string_view file_name = {}) {
        return done(ss_reply_add_attachment_file(live(), detail::z(path).c_str(), detail::or_null(detail::z(content_type)),
                                                 detail::or_null(detail::z(file_name))));
    }
    reply &add_attachment_fd(int fd, std::string_view file_name, std::string_view content_type = {}) {
        return done(ss_reply_add_attachment_fd(live(), fd, detail::z(file_name).c_str(),
                                               detail::or_null(detail::z(content_type))));
    }
    reply &add_attachment_bytes(const void *data, std::size_t len, std::string_view file_name,
                                std::string_view content_type = {}) {
        return done(ss_reply_add_attachment_bytes(live(), static_cast<const std::uint8_t *>(data), len,
                                                  detail::z(file_name).c_str(), detail::or_null(detail::z(content_type))));
    }
    reply &add_attachment_bytes(std::string_view data, std::string_view file_name, std::string_view content_type = {}) {
        return add_attachment_bytes(data.data(), data.size(), file_name, content_type);
    }
    /// See safebox::add_attachment_stream.
    reply &add_attachment_stream(read_fn read, std::uint64_t size, std::string_view file_name,
                                 std::string_view content_type = {}) {
        if (!read) throw error(SS_ERR_NULL_ARGUMENT, "sendsecure: empty read function");
        ss_reply *r = live();
        add_stream(std::move(read), {}, [&](source *src) {
            return ss_reply_add_attachment_stream(r, &streams::on_read, src, size, detail::z(file_name).c_str(),
                                                  detail::or_null(detail::z(content_type)));
        });
        return *this;
    }
    /// See safebox::add_attachment_stream_rewindable.
    reply &add_attachment_stream_rewindable(read_fn read, rewind_fn rewind, std::uint64_t size,
                                            std::string_view file_name, std::string_view content_type = {}) {
        if (!read || !rewind) throw error(SS_ERR_NULL_ARGUMENT, "sendsecure: empty read or rewind function");
        ss_reply *r = live();
        add_stream(std::move(read), std::move(rewind), [&](source *src) {
            return ss_reply_add_attachment_stream_rewindable(r, &streams::on_read, &streams::on_rewind, src, size,
                                                             detail::z(file_name).c_str(),
                                                             detail::or_null(detail::z(content_type)));
        });
        return *this;
    }
    std::size_t attachment_count() const noexcept { return ss_reply_attachment_count(get()); }

private:
    friend class client;
    static ss_reply *create() {
        ss_reply *r = nullptr;
        detail::check(ss_reply_new(&r));
        return r;
    }
    reply &done(ss_result rc) {
        detail::check(rc);
        return *this;
    }
};

/* ------------------------------------------------------------------------------------------
 * The client */

/// A connection to the SendSecure API for one API token. Thread-safe: share one client.
class client : public detail::owner<ss_client, ss_client_free> {
public:
    /// `endpoint`: the portal URL, empty for the public portal. Nothing is sent yet.
    client(std::string_view api_token, std::string_view enterprise_account, std::string_view endpoint = {},
           const client_options &options = {})
        : owner(create(api_token, enterprise_account, endpoint, options)) {}
    /// A client for a login's token; `options.user_id` defaults to the token's user.
    client(const user_token &token, std::string_view enterprise_account, std::string_view endpoint = {},
           client_options options = {})
        : owner(create(token.token(), enterprise_account, endpoint, with_user(token, std::move(options)))) {}
    explicit client(ss_client *adopt) noexcept : owner(adopt) {}
    using owner::release;

    /// Stops the calls running on this client now, from any thread: each throws an error with
    /// SS_ERR_CANCELLED.
    void cancel() const { detail::check(ss_client_cancel(live())); }

    // Enterprise, user
    enterprise_settings get_enterprise_settings() const {
        ss_enterprise_settings *s = nullptr;
        detail::check(ss_get_enterprise_settings(live(), &s));
        return enterprise_settings(s);
    }
    security_profile_list get_security_profiles(std::string_view user_email) const {
        ss_security_profile_list *list = nullptr;
        detail::check(ss_get_security_profiles(live(), detail::z(user_email).c_str(), &list));
        return security_profile_list(list);
    }
    security_profile get_default_security_profile(std::string_view user_email) const {
        ss_security_profile *p = nullptr;
        detail::check(ss_get_default_security_profile(live(), detail::z(user_email).c_str(), &p));
        return security_profile(p);
    }
    /// The user's settings (JSON). Needs client_options::user_id.
    std::string get_user_settings() const {
        char *json = nullptr;
        detail::check(ss_get_user_settings(live(), &json));
        return detail::take(json);
    }

    // Creating a SafeBox
    /// Initializes (if needed), uploads the attachments with progress, uses the enterprise's
    /// default security profile when none is set, and commits.
    safebox_response submit_safebox(safebox &sb, const progress_fn &on_progress = {}) const {
        detail::call c(on_progress, nullptr, sb.stream_error());
        ss_safebox_response *r = nullptr;
        ss_result rc = ss_submit_safebox(live(), sb.live(), c.progress_cb(), c.data(), &r);
        safebox_response response(r);
        c.finish(rc);
        return response;
    }
    void initialize_safebox(safebox &sb) const { detail::check(ss_initialize_safebox(live(), sb.live())); }
    void upload_attachments(safebox &sb, const progress_fn &on_progress = {}) const {
        detail::call c(on_progress, nullptr, sb.stream_error());
        ss_result rc = ss_upload_attachments(live(), sb.live(), c.progress_cb(), c.data());
        c.finish(rc);
    }
    /// Commits exactly once; see safebox_response::recovered().
    safebox_response commit_safebox(safebox &sb) const {
        ss_safebox_response *r = nullptr;
        detail::check(ss_commit_safebox(live(), sb.live(), &r));
        return safebox_response(r);
    }

    // Listing and reading SafeBoxes
    /// One page of the caller's SafeBoxes, newest first. `status`: empty for all, or a
    /// comma-separated mix of "in_progress", "closed", "content_deleted", "unread"; `search`:
    /// empty or text; `per_page` 0: the server's default; `page` 1-based (0: the first).
    safebox_page get_safeboxes(std::string_view status = {}, std::string_view search = {}, std::uint32_t per_page = 0,
                               std::uint32_t page = 0) const {
        ss_safebox_page *p = nullptr;
        detail::check(ss_get_safeboxes(live(), detail::or_null(detail::z(status)), detail::or_null(detail::z(search)),
                                       per_page, page, &p));
        return safebox_page(p);
    }
    /// The page after `page`, or nullopt when it is the last one.
    std::optional<safebox_page> get_next_safebox_page(const safebox_page &page) const {
        ss_safebox_page *next = nullptr;
        detail::check(ss_get_next_safebox_page(live(), page.get(), &next));
        if (next == nullptr) return std::nullopt;
        return safebox_page(next);
    }
    /// Every SafeBox matching the filters (as for get_safeboxes), fetched page by page as the
    /// range is walked: `for (auto sb : client.safeboxes("in_progress")) ...`.
    safebox_iter safeboxes(std::string_view status = {}, std::string_view search = {},
                           std::uint32_t per_page = 0) const {
        ss_safebox_iter *it = nullptr;
        detail::check(ss_safebox_iter_new(live(), detail::or_null(detail::z(status)),
                                          detail::or_null(detail::z(search)), per_page, &it));
        return safebox_iter(it);
    }
    /// One SafeBox with the sections asked for: empty for all, or a comma-separated list of
    /// "participants", "messages", "security_options", "download_activity", "event_history".
    safebox_info get_safebox_info(std::string_view guid, std::string_view sections = {}) const {
        ss_safebox_info *info = nullptr;
        detail::check(ss_get_safebox_info(live(), detail::z(guid).c_str(), detail::or_null(detail::z(sections)), &info));
        return safebox_info(info);
    }
    participant_list get_safebox_participants(std::string_view guid) const {
        ss_participant_list *list = nullptr;
        detail::check(ss_get_safebox_participants(live(), detail::z(guid).c_str(), &list));
        return participant_list(list);
    }
    message_list get_safebox_messages(std::string_view guid) const {
        ss_message_list *list = nullptr;
        detail::check(ss_get_safebox_messages(live(), detail::z(guid).c_str(), &list));
        return message_list(list);
    }
    event_list get_safebox_event_history(std::string_view guid) const {
        ss_event_list *list = nullptr;
        detail::check(ss_get_safebox_event_history(live(), detail::z(guid).c_str(), &list));
        return event_list(list);
    }
    /// JSON, as the server sends it.
    std::string get_safebox_security_options(std::string_view guid) const {
        char *json = nullptr;
        detail::check(ss_get_safebox_security_options(live(), detail::z(guid).c_str(), &json));
        return detail::take(json);
    }
    /// JSON, as the server sends it.
    std::string get_safebox_download_activity(std::string_view guid) const {
        char *json = nullptr;
        detail::check(ss_get_safebox_download_activity(live(), detail::z(guid).c_str(), &json));
        return detail::take(json);
    }

    // Replying
    /// Uploads the reply's attachments (with progress), then posts it. A sent reply is spent.
    void send_reply(std::string_view guid, reply &r, const progress_fn &on_progress = {}) const {
        detail::call c(on_progress, nullptr, r.stream_error());
        ss_result rc = ss_send_reply(live(), detail::z(guid).c_str(), r.live(), c.progress_cb(), c.data());
        c.finish(rc);
    }

    // Downloading
    /// A download URL of a document for the participant `user_email` (a capability).
    std::string get_document_url(std::string_view guid, std::string_view document_id,
                                 std::string_view user_email) const {
        char *url = nullptr;
        detail::check(ss_get_document_url(live(), detail::z(guid).c_str(), detail::z(document_id).c_str(),
                                          detail::z(user_email).c_str(), &url));
        return detail::take(url);
    }
    /// Into the file `path`: written to a new file of an unpredictable name in its directory,
    /// renamed when complete.
    void download_document(std::string_view guid, std::string_view document_id, std::string_view user_email,
                           std::string_view path, const progress_fn &on_progress = {}) const {
        detail::call c(on_progress);
        ss_result rc = ss_download_document(live(), detail::z(guid).c_str(), detail::z(document_id).c_str(),
                                            detail::z(user_email).c_str(), detail::z(path).c_str(), c.progress_cb(),
                                            c.data());
        c.finish(rc);
    }
    /// Through `write`, block after block.
    void download_document_to(std::string_view guid, std::string_view document_id, std::string_view user_email,
                              const write_fn &write, const progress_fn &on_progress = {}) const {
        detail::call c(on_progress, &write);
        ss_result rc = ss_download_document_to(live(), detail::z(guid).c_str(), detail::z(document_id).c_str(),
                                               detail::z(user_email).c_str(), c.write_cb(), c.data(),
                                               c.progress_cb(), c.data());
        c.finish(rc);
    }
    std::string get_audit_record_url(std::string_view guid) const {
        char *url = nullptr;
        detail::check(ss_get_audit_record_url(live(), detail::z(guid).c_str(), &url));
        return detail::take(url);
    }
    /// The audit record PDF into the file `path` (like download_document).
    void download_audit_record(std::string_view guid, std::string_view path, const progress_fn &on_progress = {}) const {
        detail::call c(on_progress);
        ss_result rc = ss_download_audit_record(live(), detail::z(guid).c_str(), detail::z(path).c_str(),
                                                c.progress_cb(), c.data());
        c.finish(rc);
    }
    void download_audit_record_to(std::string_view guid, const write_fn &write,
                                  const progress_fn &on_progress = {}) const {
        detail::call c(on_progress, &write);
        ss_result rc = ss_download_audit_record_to(live(), detail::z(guid).c_str(), c.write_cb(), c.data(),
                                                   c.progress_cb(), c.data());
        c.finish(rc);
    }

    // Acting on a SafeBox
    /// Extends its life by `value` `unit`s ("hours", "days", "weeks", "months"); returns the new
    /// expiration (ISO 8601).
    std::string add_time(std::string_view guid, std::int64_t value, std::string_view unit) const {
        char *expiration = nullptr;
        detail::check(ss_add_time(live(), detail::z(guid).c_str(), value, detail::z(unit).c_str(), &expiration));
        return detail::take(expiration);
    }
    void close_safebox(std::string_view guid) const { detail::check(ss_close_safebox(live(), detail::z(guid).c_str())); }
    void delete_safebox_content(std::string_view guid) const {
        detail::check(ss_delete_safebox_content(live(), detail::z(guid).c_str()));
    }
    void mark_as_read(std::string_view guid) const { detail::check(ss_mark_as_read(live(), detail::z(guid).c_str())); }
    void mark_as_unread(std::string_view guid) const {
        detail::check(ss_mark_as_unread(live(), detail::z(guid).c_str()));
    }
    void mark_message_read(std::string_view guid, std::int64_t message_id) const {
        detail::check(ss_mark_message_read(live(), detail::z(guid).c_str(), message_id));
    }
    void mark_message_unread(std::string_view guid, std::int64_t message_id) const {
        detail::check(ss_mark_message_unread(live(), detail::z(guid).c_str(), message_id));
    }
    void archive_safebox(std::string_view guid, std::string_view user_email) const {
        detail::check(ss_archive_safebox(live(), detail::z(guid).c_str(), detail::z(user_email).c_str()));
    }
    void unarchive_safebox(std::string_view guid, std::string_view user_email) const {
        detail::check(ss_unarchive_safebox(live(), detail::z(guid).c_str(), detail::z(user_email).c_str()));
    }
    // Participants
    /// Adds a guest participant (the edit needs an e-mail).
    participant create_participant(std::string_view guid, const contact_edit &edit) const {
        ss_participant *p = nullptr;
        detail::check(ss_create_participant(live(), detail::z(guid).c_str(), edit.get(), &p));
        return participant(p);
    }
    participant update_participant(std::string_view guid, std::string_view participant_id,
                                    const contact_edit &edit) const {
        ss_participant *p = nullptr;
        detail::check(ss_update_participant(live(), detail::z(guid).c_str(), detail::z(participant_id).c_str(),
                                            edit.get(), &p));
        return participant(p);
    }
    participant delete_participant_contact_methods(std::string_view guid, std::string_view participant_id,
                                                   const std::vector<std::int64_t> &ids) const {
        ss_participant *p = nullptr;
        detail::check(ss_delete_participant_contact_methods(live(), detail::z(guid).c_str(),
                                                            detail::z(participant_id).c_str(), ids.data(),
                                                            ids.size(), &p));
        return participant(p);
    }
    /// People whose name or e-mail matches `term` (favorites and users of the enterprise).
    recipient_match_list search_recipient(std::string_view term) const {
        ss_recipient_match_list *list = nullptr;
        detail::check(ss_search_recipient(live(), detail::z(term).c_str(), &list));
        return recipient_match_list(list);
    }
    /// The consent text of a security profile's consent group, in every locale.
    consent_group get_consent_group_messages(std::int64_t consent_group_id) const {
        ss_consent_group *g = nullptr;
        detail::check(ss_get_consent_group_messages(live(), consent_group_id, &g));
        return consent_group(g);
    }

    // Favorites (need client_options::user_id)
    favorite_list get_favorites() const {
        ss_favorite_list *list = nullptr;
        detail::check(ss_get_favorites(live(), &list));
        return favorite_list(list);
    }
    /// Creates a favorite (the edit needs an e-mail).
    favorite create_favorite(const contact_edit &edit) const {
        ss_favorite *f = nullptr;
        detail::check(ss_create_favorite(live(), edit.get(), &f));
        return favorite(f);
    }
    favorite update_favorite(std::int64_t favorite_id, const contact_edit &edit) const {
        ss_favorite *f = nullptr;
        detail::check(ss_update_favorite(live(), favorite_id, edit.get(), &f));
        return favorite(f);
    }
    favorite delete_favorite_contact_methods(std::int64_t favorite_id, const std::vector<std::int64_t> &ids) const {
        ss_favorite *f = nullptr;
        detail::check(ss_delete_favorite_contact_methods(live(), favorite_id, ids.data(), ids.size(), &f));
        return favorite(f);
    }
    void delete_favorite(std::int64_t favorite_id) const { detail::check(ss_delete_favorite(live(), favorite_id)); }

    void follow_safebox(std::string_view guid) const {
        detail::check(ss_follow_safebox(live(), detail::z(guid).c_str()));
    }
    void unfollow_safebox(std::string_view guid) const {
        detail::check(ss_unfollow_safebox(live(), detail::z(guid).c_str()));
    }

private:
    static ss_client *create(std::string_view api_token, std::string_view enterprise_account,
                             std::string_view endpoint, const client_options &options) {
        ss_client_options o = options.to_c();
        ss_client *c = nullptr;
        detail::check(ss_client_new(detail::z(api_token).c_str(), detail::z(enterprise_account).c_str(),
                                    detail::or_null(detail::z(endpoint)), &o, &c));
        return c;
    }
    static client_options with_user(const user_token &token, client_options options) {
        if (options.user_id == 0) options.user_id = token.user_id();
        return options;
    }
};

namespace sendsafely {

/// The user a SendSafely API key belongs to.
class user : public detail::owner<ss_sendsafely_user, ss_sendsafely_user_free> {
public:
    explicit user(ss_sendsafely_user *adopt) noexcept : owner(adopt) {}
    std::string_view id() const noexcept { return detail::view(ss_sendsafely_user_id(get())); }
    std::string_view email() const noexcept { return detail::view(ss_sendsafely_user_email(get())); }
    std::string_view first_name() const noexcept { return detail::view(ss_sendsafely_user_first_name(get())); }
    std::string_view last_name() const noexcept { return detail::view(ss_sendsafely_user_last_name(get())); }
    /// Days; 0 when the server does not say.
    std::int64_t package_life() const noexcept { return ss_sendsafely_user_package_life(get()); }
};

/* Workspaces and trusted-device keys ------------------------------------------------------- */

/// A directory inside a Workspace directory.
struct subdirectory {
    std::string id;
    std::string name;
};

/// A file of a package or of a Workspace directory (ss_sendsafely_file), borrowed from the
/// object that lists it.
class file_view {
public:
    explicit file_view(const ss_sendsafely_file *f) noexcept : f_(f) {}
    std::string_view id() const noexcept { return detail::view(ss_sendsafely_file_id(f_)); }
    /// As the sender gave it (not made safe for a local path).
    std::string_view name() const noexcept { return detail::view(ss_sendsafely_file_name(f_)); }
    /// The plaintext size the server declares.
    std::uint64_t size() const noexcept { return ss_sendsafely_file_size(f_); }
    /// Segments.
    std::uint64_t parts() const noexcept { return ss_sendsafely_file_parts(f_); }
    /// Every segment stored.
    bool uploaded() const noexcept { return ss_sendsafely_file_uploaded(f_); }
    /// E-mail address; empty when the server does not say.
    std::string_view created_by() const noexcept { return detail::view(ss_sendsafely_file_created_by(f_)); }
    std::string_view uploaded_at() const noexcept { return detail::view(ss_sendsafely_file_uploaded_at(f_)); }
    /// The Workspace directory holding it; empty for a package's file.
    std::string_view directory_id() const noexcept { return detail::view(ss_sendsafely_file_directory_id(f_)); }

private:
    const ss_sendsafely_file *f_;
};

/// A Workspace directory (ss_sendsafely_directory_info): name, parent, subdirectories, files.
/// The API has no file versions. Immutable; readable from any thread.
class directory : public detail::owner<ss_sendsafely_directory_info, ss_sendsafely_directory_info_free> {
public:
    explicit directory(ss_sendsafely_directory_info *adopt) noexcept : owner(adopt) {}
    std::string_view id() const noexcept { return detail::view(ss_sendsafely_directory_info_id(get())); }
    std::string_view name() const noexcept { return detail::view(ss_sendsafely_directory_info_name(get())); }
    /// Empty for the Workspace's root.
    std::string_view parent_id() const noexcept { return detail::view(ss_sendsafely_directory_info_parent_id(get())); }
    bool is_root() const noexcept { return get() != nullptr && ss_sendsafely_directory_info_parent_id(get()) == nullptr; }
    std::string_view created() const noexcept { return detail::view(ss_sendsafely_directory_info_created(get())); }
    std::vector<subdirectory> subdirectories() const {
        std::vector<subdirectory> out;
        for (std::size_t i = 0; i < ss_sendsafely_directory_info_subdirectory_count(get()); i++) {
            const ss_sendsafely_directory *d = ss_sendsafely_directory_info_subdirectory(get(), i);
            out.push_back({std::string(detail::view(ss_sendsafely_directory_id(d))),
                           std::string(detail::view(ss_sendsafely_directory_name(d)))});
        }
        return out;
    }
    detail::items<ss_sendsafely_directory_info, ss_sendsafely_file, file_view,
                  ss_sendsafely_directory_info_file_count, ss_sendsafely_directory_info_file>
    files() const noexcept {
        return decltype(files())(get());
    }
};

/// One event of a Workspace's activity log.
struct activity_record {
    std::string timestamp;
    std::string user_email;
    std::string action;   ///< e.g. "DIRECTORY_CREATED", "FILE_MOVED"
    std::string details;  ///< what it was done to (a name, an id)
};

/// One page of a Workspace's activity log (up to ten records, newest first).
struct activity_page {
    std::vector<activity_record> records;
    std::uint64_t next_row_index = 0;  ///< where the next page starts
    bool last = true;                  ///< the log ends with this page
};

/// A secret text the library gave (an unwrapped keycode; ss_sendsafely_secret): wiped from
/// memory when destroyed. Copy it only where it stays secret.
class secret : public detail::owner<ss_sendsafely_secret, ss_sendsafely_secret_free> {
public:
    explicit secret(ss_sendsafely_secret *adopt) noexcept : owner(adopt) {}
    std::string_view text() const noexcept { return detail::view(ss_sendsafely_secret_text(get())); }
};

/// A trusted-device key (ss_sendsafely_trusted_key): id, public key, and the private key that
/// unwraps the keycodes senders wrapped to it (wiped when destroyed). To use it in a later run,
/// store id() and private_key() where only the user can read them (a file of mode 0600, the
/// system's keychain) and rebuild it with the (id, private key) constructor.
class trusted_key : public detail::owner<ss_sendsafely_trusted_key, ss_sendsafely_trusted_key_free> {
public:
    explicit trusted_key(ss_sendsafely_trusted_key *adopt) noexcept : owner(adopt) {}
    /// A registered key from what the program stored; nothing is sent (SS_ERR_INVALID_ARGUMENT
    /// when `private_key` is no OpenPGP private key with an encryption subkey).
    trusted_key(std::string_view id, std::string_view private_key) : owner(rebuild(id, private_key)) {}
    std::string_view id() const noexcept { return detail::view(ss_sendsafely_trusted_key_id(get())); }
    std::string_view public_key() const noexcept { return detail::view(ss_sendsafely_trusted_key_public_key(get())); }
    /// ASCII-armored OpenPGP without a password: a secret.
    std::string_view private_key() const noexcept { return detail::view(ss_sendsafely_trusted_key_private_key(get())); }

private:
    static ss_sendsafely_trusted_key *rebuild(std::string_view id, std::string_view private_key) {
        ss_sendsafely_trusted_key *k = nullptr;
        detail::check(ss_sendsafely_trusted_key_new(detail::z(id).c_str(), detail::z(private_key).c_str(), &k));
        return k;
    }
};

/* End of workspaces and trusted-device keys ------------------------------------------------ */
// ---- RECEIVE: opened packages, downloads, the message, the package lists ----

/// A package's information (borrowed from the object that holds it).
class package_info_view {
public:
    explicit package_info_view(const ss_sendsafely_package_info *i) noexcept : i_(i) {}
    std::string_view id() const noexcept { return detail::view(ss_sendsafely_package_info_id(i_)); }
    std::string_view code() const noexcept { return detail::view(ss_sendsafely_package_info_code(i_)); }
    std::string_view sender() const noexcept { return detail::view(ss_sendsafely_package_info_sender(i_)); }
    std::string_view label() const noexcept { return detail::view(ss_sendsafely_package_info_label(i_)); }
    bool contains_message() const noexcept { return ss_sendsafely_package_info_contains_message(i_); }
    /// E.g. "PACKAGE_STATE_IN_PROGRESS".
    std::string_view state() const noexcept { return detail::view(ss_sendsafely_package_info_state(i_)); }
    /// Days after finalize (0: forever), -1 when the server does not say.
    std::int64_t life() const noexcept { return ss_sendsafely_package_info_life(i_); }
    bool is_workspace() const noexcept { return ss_sendsafely_package_info_is_workspace(i_); }
    /// A Workspace's root directory; empty for a package.
    std::string_view root_directory_id() const noexcept {
        return detail::view(ss_sendsafely_package_info_root_directory_id(i_));
    }
    detail::items<ss_sendsafely_package_info, ss_sendsafely_file, file_view, ss_sendsafely_package_info_file_count,
                  ss_sendsafely_package_info_file>
    files() const noexcept {
        return decltype(files())(i_);
    }

private:
    const ss_sendsafely_package_info *i_;
};

/// A package's information as read from the server (ss_sendsafely_package_info). Move-only;
/// readable from any thread.
class package_info : public detail::owner<ss_sendsafely_package_info, ss_sendsafely_package_info_free> {
public:
    explicit package_info(ss_sendsafely_package_info *adopt) noexcept : owner(adopt) {}
    package_info_view view() const noexcept { return package_info_view(get()); }
};

/// A package opened for reading (from its link, or its id and keycode): what downloads and
/// read_message take. Its keycode is wiped when it is destroyed. Readable from any thread.
class received : public detail::owner<ss_sendsafely_received, ss_sendsafely_received_free> {
public:
    explicit received(ss_sendsafely_received *adopt) noexcept : owner(adopt) {}
    package_info_view info() const noexcept { return package_info_view(ss_sendsafely_received_info(get())); }
};

/// A decrypted secure message, wiped when destroyed.
class message : public detail::owner<ss_sendsafely_message, ss_sendsafely_message_free> {
public:
    explicit message(ss_sendsafely_message *adopt) noexcept : owner(adopt) {}
    /// Empty when the package has none.
    std::string_view text() const noexcept { return detail::view(ss_sendsafely_message_text(get())); }
};

/// What client::download_package wrote: a path per file (in the package's order) and the
/// message (wiped when destroyed).
class downloaded : public detail::owner<ss_sendsafely_downloaded, ss_sendsafely_downloaded_free> {
public:
    explicit downloaded(ss_sendsafely_downloaded *adopt) noexcept : owner(adopt) {}
    std::vector<std::string> paths() const {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < ss_sendsafely_downloaded_file_count(get()); i++)
            out.emplace_back(detail::view(ss_sendsafely_downloaded_file_path(get(), i)));
        return out;
    }
    std::string_view message() const noexcept { return detail::view(ss_sendsafely_downloaded_message(get())); }
};

/// Which packages client::list_packages lists.
enum class package_list : std::uint32_t {
    sent = SS_SENDSAFELY_LIST_SENT,
    received = SS_SENDSAFELY_LIST_RECEIVED,
    archived = SS_SENDSAFELY_LIST_ARCHIVED,
};

/// A package as a list shows it (borrowed from its page).
class package_summary_view {
public:
    explicit package_summary_view(const ss_sendsafely_package_summary *s) noexcept : s_(s) {}
    std::string_view id() const noexcept { return detail::view(ss_sendsafely_package_summary_id(s_)); }
    std::string_view code() const noexcept { return detail::view(ss_sendsafely_package_summary_code(s_)); }
    std::string_view sender() const noexcept { return detail::view(ss_sendsafely_package_summary_sender(s_)); }
    std::string_view state() const noexcept { return detail::view(ss_sendsafely_package_summary_state(s_)); }
    /// -1 when the list does not say.
    std::int64_t state_number() const noexcept { return ss_sendsafely_package_summary_state_number(s_); }
    std::string_view timestamp() const noexcept { return detail::view(ss_sendsafely_package_summary_timestamp(s_)); }
    std::string_view label() const noexcept { return detail::view(ss_sendsafely_package_summary_label(s_)); }
    bool is_workspace() const noexcept { return ss_sendsafely_package_summary_is_workspace(s_); }
    std::vector<std::string_view> recipients() const {
        std::vector<std::string_view> out;
        for (std::size_t i = 0; i < ss_sendsafely_package_summary_recipient_count(s_); i++)
            out.push_back(detail::view(ss_sendsafely_package_summary_recipient(s_, i)));
        return out;
    }
    std::vector<std::string_view> file_names() const {
        std::vector<std::string_view> out;
        for (std::size_t i = 0; i < ss_sendsafely_package_summary_file_name_count(s_); i++)
            out.push_back(detail::view(ss_sendsafely_package_summary_file_name(s_, i)));
        return out;
    }

private:
    const ss_sendsafely_package_summary *s_;
};

/// One page of a package list.
class package_page : public detail::owner<ss_sendsafely_package_page, ss_sendsafely_package_page_free> {
public:
    explicit package_page(ss_sendsafely_package_page *adopt) noexcept : owner(adopt) {}
    detail::items<ss_sendsafely_package_page, ss_sendsafely_package_summary, package_summary_view,
                  ss_sendsafely_package_page_count, ss_sendsafely_package_page_package>
    packages() const noexcept {
        return decltype(packages())(get());
    }
    /// The row index of the next page, -1 when this one is the last.
    std::int64_t next_row_index() const noexcept { return ss_sendsafely_package_page_next_row_index(get()); }
};

// ---- end RECEIVE ----

/// A SendSafely client (ss_sendsafely_client): every request signed with the API key and
/// secret. Thread-safe.
class client : public detail::owner<ss_sendsafely_client, ss_sendsafely_client_free> {
public:
    /// `host`: the portal's origin, e.g. "https://acme.sendsafely.com". Nothing is sent yet.
    client(std::string_view host, std::string_view api_key, std::string_view api_secret,
           const client_options &options = {})
        : owner(create(host, api_key, api_secret, options)) {}
    explicit client(ss_sendsafely_client *adopt) noexcept : owner(adopt) {}
    using owner::release;

    /// Stops the calls running on this client now, from any thread: each throws an error with
    /// SS_ERR_CANCELLED.
    void cancel() const { detail::check(ss_sendsafely_client_cancel(live())); }

    /// The user the key belongs to: also the check of the credentials (SS_ERR_AUTH when refused).
    sendsafely::user get_user() const {
        ss_sendsafely_user *u = nullptr;
        detail::check(ss_sendsafely_get_user(live(), &u));
        return sendsafely::user(u);
    }

    /* Workspaces and trusted-device keys ------------------------------------------------- */

    /// Creates the directory `name` in `parent_id` of the Workspace `package_id`: its id.
    std::string create_directory(std::string_view package_id, std::string_view parent_id,
                                 std::string_view name) const {
        char *id = nullptr;
        detail::check(ss_sendsafely_create_directory(live(), detail::z(package_id).c_str(),
                                                     detail::z(parent_id).c_str(), detail::z(name).c_str(), &id));
        return detail::take(id);
    }
    sendsafely::directory get_directory(std::string_view package_id, std::string_view directory_id) const {
        ss_sendsafely_directory_info *d = nullptr;
        detail::check(ss_sendsafely_get_directory(live(), detail::z(package_id).c_str(),
                                                  detail::z(directory_id).c_str(), &d));
        return sendsafely::directory(d);
    }
    void rename_directory(std::string_view package_id, std::string_view directory_id, std::string_view name) const {
        detail::check(ss_sendsafely_rename_directory(live(), detail::z(package_id).c_str(),
                                                     detail::z(directory_id).c_str(), detail::z(name).c_str()));
    }
    /// Moves `directory_id`, with everything in it, into `target_id`.
    void move_directory(std::string_view package_id, std::string_view directory_id,
                        std::string_view target_id) const {
        detail::check(ss_sendsafely_move_directory(live(), detail::z(package_id).c_str(),
                                                   detail::z(directory_id).c_str(), detail::z(target_id).c_str()));
    }
    /// Deletes a directory with its subdirectories and their files.
    void delete_directory(std::string_view package_id, std::string_view directory_id) const {
        detail::check(ss_sendsafely_delete_directory(live(), detail::z(package_id).c_str(),
                                                     detail::z(directory_id).c_str()));
    }
    void move_file(std::string_view package_id, std::string_view file_id, std::string_view target_id) const {
        detail::check(ss_sendsafely_move_file(live(), detail::z(package_id).c_str(), detail::z(file_id).c_str(),
                                              detail::z(target_id).c_str()));
    }
    /// `role`: "VIEWER", "CONTRIBUTOR", "MANAGER" or "OWNER".
    void update_recipient_role(std::string_view package_id, std::string_view recipient_id,
                               std::string_view role) const {
        detail::check(ss_sendsafely_update_recipient_role(live(), detail::z(package_id).c_str(),
                                                          detail::z(recipient_id).c_str(), detail::z(role).c_str()));
    }
    /// The page of the activity log that starts at `row_index` (0: the newest record).
    sendsafely::activity_page get_activity_log(std::string_view package_id, std::uint64_t row_index = 0) const {
        ss_sendsafely_activity_page *p = nullptr;
        detail::check(ss_sendsafely_get_activity_log(live(), detail::z(package_id).c_str(), row_index, &p));
        std::unique_ptr<ss_sendsafely_activity_page, detail::free_with<ss_sendsafely_activity_page,
                                                                       ss_sendsafely_activity_page_free>>
            page(p);
        sendsafely::activity_page out;
        for (std::size_t i = 0; i < ss_sendsafely_activity_page_count(p); i++) {
            const ss_sendsafely_activity_record *r = ss_sendsafely_activity_page_record(p, i);
            out.records.push_back({std::string(detail::view(ss_sendsafely_activity_record_timestamp(r))),
                                   std::string(detail::view(ss_sendsafely_activity_record_user_email(r))),
                                   std::string(detail::view(ss_sendsafely_activity_record_action(r))),
                                   std::string(detail::view(ss_sendsafely_activity_record_details(r)))});
        }
        out.next_row_index = ss_sendsafely_activity_page_next_row_index(p);
        out.last = ss_sendsafely_activity_page_is_last(p);
        return out;
    }
    /// The whole activity log, newest first (one call per ten records).
    std::vector<sendsafely::activity_record> get_whole_activity_log(std::string_view package_id) const {
        std::vector<sendsafely::activity_record> all;
        for (std::uint64_t row = 0;;) {
            sendsafely::activity_page page = get_activity_log(package_id, row);
            for (auto &r : page.records) all.push_back(std::move(r));
            if (page.last || page.next_row_index <= row) return all;
            row = page.next_row_index;
        }
    }

    /// Generates a key pair here and registers its public half for the user.
    sendsafely::trusted_key add_trusted_key(std::string_view description) const {
        ss_sendsafely_trusted_key *k = nullptr;
        detail::check(ss_sendsafely_add_trusted_key(live(), detail::z(description).c_str(), &k));
        return sendsafely::trusted_key(k);
    }
    /// The keycode of `package_id` its sender wrapped to `key`, unwrapped (SS_ERR_API "FAIL"
    /// when none is wrapped to it; SS_ERR_CRYPTO when the key does not open it).
    sendsafely::secret get_package_keycode(std::string_view package_id, const sendsafely::trusted_key &key) const {
        ss_sendsafely_secret *s = nullptr;
        detail::check(ss_sendsafely_get_package_keycode(live(), detail::z(package_id).c_str(), key.get(), &s));
        return sendsafely::secret(s);
    }
    void revoke_trusted_key(std::string_view key_id) const {
        detail::check(ss_sendsafely_revoke_trusted_key(live(), detail::z(key_id).c_str()));
    }

    /* End of workspaces and trusted-device keys ------------------------------------------ */
    // ---- RECEIVE ----
    /// What the server says of a package (S6), by its id or its code.
    sendsafely::package_info get_package_info(std::string_view package_id_or_code) const {
        ss_sendsafely_package_info *i = nullptr;
        detail::check(ss_sendsafely_get_package_info(live(), detail::z(package_id_or_code).c_str(), &i));
        return sendsafely::package_info(i);
    }
    /// Opens the package of a secure link (…?packageCode=…#keyCode=…).
    sendsafely::received open_link(std::string_view link) const {
        ss_sendsafely_received *r = nullptr;
        detail::check(ss_sendsafely_open_link(live(), detail::z(link).c_str(), &r));
        return sendsafely::received(r);
    }
    /// Opens a package by its id (or package code) and keycode.
    sendsafely::received open_package(std::string_view package_id, std::string_view keycode) const {
        ss_sendsafely_received *r = nullptr;
        detail::check(ss_sendsafely_open_package(live(), detail::z(package_id).c_str(), detail::z(keycode).c_str(), &r));
        return sendsafely::received(r);
    }
    /// File `file_id` decrypted into `path`: complete (every segment decrypted, the declared
    /// size) or not there at all.
    void download_file(const sendsafely::received &package, std::string_view file_id, std::string_view path,
                       const progress_fn &on_progress = {}) const {
        detail::call c(on_progress);
        ss_result rc = ss_sendsafely_download_file(live(), package.get(), detail::z(file_id).c_str(),
                                                   detail::z(path).c_str(), c.progress_cb(), c.data());
        c.finish(rc);
    }
    /// File `file_id` decrypted through `write`, block after block (each segment checked first).
    void download_file_to(const sendsafely::received &package, std::string_view file_id, const write_fn &write,
                          const progress_fn &on_progress = {}) const {
        detail::call c(on_progress, &write);
        ss_result rc = ss_sendsafely_download_file_to(live(), package.get(), detail::z(file_id).c_str(), c.write_cb(),
                                                      c.data(), c.progress_cb(), c.data());
        c.finish(rc);
    }
    /// Every file into the existing `directory` (names made safe), then the message.
    sendsafely::downloaded download_package(const sendsafely::received &package, std::string_view directory,
                                            const progress_fn &on_progress = {}) const {
        detail::call c(on_progress);
        ss_sendsafely_downloaded *d = nullptr;
        ss_result rc = ss_sendsafely_download_package(live(), package.get(), detail::z(directory).c_str(),
                                                      c.progress_cb(), c.data(), &d);
        sendsafely::downloaded owned(d);
        c.finish(rc);
        return owned;
    }
    /// The secure message, decrypted (empty text when there is none).
    sendsafely::message read_message(const sendsafely::received &package) const {
        ss_sendsafely_message *m = nullptr;
        detail::check(ss_sendsafely_read_message(live(), package.get(), &m));
        return sendsafely::message(m);
    }
    /// One page (1 to 100 packages) from `row_index` (0 first).
    sendsafely::package_page list_packages(package_list list, std::uint64_t row_index = 0,
                                           std::uint64_t page_size = 100) const {
        ss_sendsafely_package_page *p = nullptr;
        detail::check(ss_sendsafely_list_packages(live(), static_cast<std::uint32_t>(list), row_index, page_size, &p));
        return sendsafely::package_page(p);
    }
    // ---- end RECEIVE ----

private:
    static ss_sendsafely_client *create(std::string_view host, std::string_view api_key,
                                        std::string_view api_secret, const client_options &options) {
        ss_client_options o = options.to_c();
        ss_sendsafely_client *c = nullptr;
        detail::check(ss_sendsafely_client_new(detail::z(host).c_str(), detail::z(api_key).c_str(),
                                               detail::z(api_secret).c_str(), &o, &c));
        return c;
    }
};


/* ------------------------------------------------------------------------------------------
 * SendSafely SEND: packages, their settings and recipients, uploads, the message, finalize.
 * Every call takes the client it runs on (which must outlive the call); a package, an upload
 * and what they give are owned by the caller. */

/// A recipient added to a package (ss_sendsafely_recipient).
class recipient : public detail::owner<ss_sendsafely_recipient, ss_sendsafely_recipient_free> {
public:
    explicit recipient(ss_sendsafely_recipient *adopt) noexcept : owner(adopt) {}
    std::string_view id() const noexcept { return detail::view(ss_sendsafely_recipient_id(get())); }
    std::string_view email() const noexcept { return detail::view(ss_sendsafely_recipient_email(get())); }
};

/// What adding one address of several gave: the recipient's id when added, else the server's
/// code (e.g. "INVALID_EMAIL") and message.
struct recipient_outcome {
    std::string email;
    std::string code;
    std::string message;
    std::optional<std::string> recipient_id;
};

/// A file an upload stored.
struct uploaded_file {
    std::string id;
    std::string name;
    std::uint64_t size = 0;
    std::uint64_t parts = 0;
};

/// A public key finalize skipped, and why.
struct skipped_key {
    std::string id;
    std::string reason;
};

/// A finalized package (ss_sendsafely_finalized): its secure link (with the keycode: keep it
/// secret; wiped when this is destroyed) and what finalize did.
class finalized : public detail::owner<ss_sendsafely_finalized, ss_sendsafely_finalized_free> {
public:
    explicit finalized(ss_sendsafely_finalized *adopt) noexcept : owner(adopt) {}
    std::string_view secure_link() const noexcept { return detail::view(ss_sendsafely_finalized_secure_link(get())); }
    bool needs_approval() const noexcept { return ss_sendsafely_finalized_needs_approval(get()); }
    std::vector<std::string> wrapped_key_ids() const {
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < ss_sendsafely_finalized_wrapped_key_count(get()); i++)
            ids.emplace_back(detail::view(ss_sendsafely_finalized_wrapped_key_id(get(), i)));
        return ids;
    }
    std::vector<skipped_key> skipped_keys() const {
        std::vector<skipped_key> keys;
        for (std::size_t i = 0; i < ss_sendsafely_finalized_skipped_key_count(get()); i++)
            keys.push_back({std::string(detail::view(ss_sendsafely_finalized_skipped_key_id(get(), i))),
                            std::string(detail::view(ss_sendsafely_finalized_skipped_key_reason(get(), i)))});
        return keys;
    }
};

/// The files of an upload (ss_sendsafely_upload) and where each stands: after a stop or a
/// failure, upload_files with the same upload resumes. Move-only; used by one thread at a time.
class upload : private detail::streams, public detail::owner<ss_sendsafely_upload, ss_sendsafely_upload_free> {
    // (detail::streams comes first so that the C handle is freed before the read functions.)
public:
    upload() : owner(create()) {}

    /// The file at `path`; `name` empty: the path's file name. `directory_id`: a Workspace
    /// directory (empty: the package itself).
    upload &add_path(std::string_view path, std::string_view name = {}, std::string_view directory_id = {}) {
        std::string n(name), d(directory_id);
        detail::check(ss_sendsafely_upload_add_path(live(), detail::z(path).c_str(), detail::or_null(n),
                                                    detail::or_null(d)));
        return *this;
    }
    /// An open regular file, from its offset (the descriptor is duplicated, its offset untouched).
    upload &add_fd(int fd, std::string_view name, std::string_view directory_id = {}) {
        std::string d(directory_id);
        detail::check(ss_sendsafely_upload_add_fd(live(), fd, detail::z(name).c_str(), detail::or_null(d)));
        return *this;
    }
    /// A copy of `len` bytes.
    upload &add_bytes(const void *data, std::size_t len, std::string_view name, std::string_view directory_id = {}) {
        std::string d(directory_id);
        detail::check(ss_sendsafely_upload_add_bytes(live(), static_cast<const std::uint8_t *>(data), len,
                                                     detail::z(name).c_str(), detail::or_null(d)));
        return *this;
    }
    /// Exactly `size` bytes from `read`, called on the uploading thread; `rewind` (may be
    /// empty) restarts it for a later, resuming call (without it that call throws).
    upload &add_stream(read_fn read, std::uint64_t size, std::string_view name, rewind_fn rewind = {},
                       std::string_view directory_id = {}) {
        std::string d(directory_id);
        bool rewindable = static_cast<bool>(rewind);
        ss_sendsafely_upload *u = live();
        streams::add_stream(std::move(read), std::move(rewind), [&](source *src) {
            return ss_sendsafely_upload_add_stream(u, &streams::on_read, rewindable ? &streams::on_rewind : nullptr,
                                                   src, size, detail::z(name).c_str(), detail::or_null(d));
        });
        return *this;
    }

    std::size_t size() const noexcept { return ss_sendsafely_upload_file_count(get()); }
    /// The server's id of file `index`, empty before it was registered.
    std::string file_id(std::size_t index) const {
        return std::string(detail::view(ss_sendsafely_upload_file_id(get(), index)));
    }
    bool complete(std::size_t index) const noexcept { return ss_sendsafely_upload_file_complete(get(), index); }
    /// The parts (1 first) of file `index` known to be stored.
    std::vector<std::uint64_t> parts_done(std::size_t index) const {
        std::vector<std::uint64_t> parts;
        for (std::size_t k = 0; k < ss_sendsafely_upload_file_parts_done_count(get(), index); k++)
            parts.push_back(ss_sendsafely_upload_file_part_done(get(), index, k));
        return parts;
    }
    /// Says file `index` was registered elsewhere as `file_id` with `parts` stored (resuming in
    /// another process).
    upload &resume_file(std::size_t index, std::string_view file_id, const std::vector<std::uint64_t> &parts) {
        detail::check(ss_sendsafely_upload_resume_file(live(), index, detail::z(file_id).c_str(),
                                                       parts.empty() ? nullptr : parts.data(), parts.size()));
        return *this;
    }

private:
    friend class package;
    using streams::stream_error;
    static ss_sendsafely_upload *create() {
        ss_sendsafely_upload *u = nullptr;
        detail::check(ss_sendsafely_upload_new(&u));
        return u;
    }
};

/// A package made by this user (ss_sendsafely_package): its id, code and keycode (secret,
/// wiped when this is destroyed). Move-only; readable from any thread.
class package : public detail::owner<ss_sendsafely_package, ss_sendsafely_package_free> {
public:
    explicit package(ss_sendsafely_package *adopt) noexcept : owner(adopt) {}
    using owner::release;

    /// A new, empty package.
    static package create(const client &c) {
        ss_sendsafely_package *p = nullptr;
        detail::check(ss_sendsafely_create_package(c.get(), &p));
        return package(p);
    }
    /// A new, empty Workspace; its root directory is in its information.
    static package create_workspace(const client &c) {
        ss_sendsafely_package *p = nullptr;
        detail::check(ss_sendsafely_create_workspace(c.get(), &p));
        return package(p);
    }
    /// A package made earlier (maybe by another process), from its id and the keycode kept.
    static package reopen(const client &c, std::string_view id, std::string_view keycode) {
        ss_sendsafely_package *p = nullptr;
        detail::check(ss_sendsafely_reopen_package(c.get(), detail::z(id).c_str(), detail::z(keycode).c_str(), &p));
        return package(p);
    }

    std::string_view id() const noexcept { return detail::view(ss_sendsafely_package_id(get())); }
    std::string_view code() const noexcept { return detail::view(ss_sendsafely_package_code(get())); }
    std::string_view keycode() const noexcept { return detail::view(ss_sendsafely_package_keycode(get())); }

    /// Days (1 to 365) the package lives once finalized.
    void set_life(const client &c, std::int64_t days) const {
        detail::check(ss_sendsafely_update_package_life(c.get(), pid().c_str(), days));
    }
    void set_label(const client &c, std::string_view label) const {
        detail::check(ss_sendsafely_update_package_label(c.get(), pid().c_str(), detail::z(label).c_str()));
    }
    sendsafely::recipient add_recipient(const client &c, std::string_view email) const {
        ss_sendsafely_recipient *r = nullptr;
        detail::check(ss_sendsafely_add_recipient(c.get(), pid().c_str(), detail::z(email).c_str(), &r));
        return sendsafely::recipient(r);
    }
    /// Several at once: one outcome per address (a refused one does not refuse the others).
    std::vector<recipient_outcome> add_recipients(const client &c, const std::vector<std::string> &emails) const {
        std::vector<const char *> c_emails;
        for (const std::string &e : emails) c_emails.push_back(e.c_str());
        ss_sendsafely_recipient_outcomes *o = nullptr;
        detail::check(ss_sendsafely_add_recipients(c.get(), pid().c_str(), c_emails.data(), c_emails.size(), &o));
        std::unique_ptr<ss_sendsafely_recipient_outcomes,
                        detail::free_with<ss_sendsafely_recipient_outcomes, ss_sendsafely_recipient_outcomes_free>>
            owned(o);
        std::vector<recipient_outcome> outcomes;
        for (std::size_t i = 0; i < ss_sendsafely_recipient_outcomes_count(o); i++) {
            const ss_sendsafely_recipient_outcome *item = ss_sendsafely_recipient_outcomes_at(o, i);
            recipient_outcome out{std::string(detail::view(ss_sendsafely_recipient_outcome_email(item))),
                                  std::string(detail::view(ss_sendsafely_recipient_outcome_code(item))),
                                  std::string(detail::view(ss_sendsafely_recipient_outcome_message(item))),
                                  std::nullopt};
            if (const ss_sendsafely_recipient *r = ss_sendsafely_recipient_outcome_recipient(item))
                out.recipient_id = std::string(detail::view(ss_sendsafely_recipient_id(r)));
            outcomes.push_back(std::move(out));
        }
        return outcomes;
    }
    /// `country`: an upper-case ISO-2 code ("US"), or "OTHER" with a number starting with +.
    void set_recipient_phone(const client &c, std::string_view recipient_id, std::string_view number,
                             std::string_view country) const {
        detail::check(ss_sendsafely_update_recipient_phone(c.get(), pid().c_str(), detail::z(recipient_id).c_str(),
                                                           detail::z(number).c_str(), detail::z(country).c_str()));
    }
    void remove_recipient(const client &c, std::string_view recipient_id) const {
        detail::check(ss_sendsafely_remove_recipient(c.get(), pid().c_str(), detail::z(recipient_id).c_str()));
    }

    /// Encrypts and uploads the files of `files` (see ss_sendsafely_upload_files); after a stop
    /// (progress returned false: SS_ERR_ABORTED_BY_CALLBACK) or a failure, calling again with
    /// the same `files` resumes.
    std::vector<uploaded_file> upload_files(const client &c, upload &files, const progress_fn &on_progress = {}) const {
        detail::call call(on_progress, nullptr, files.stream_error());
        ss_sendsafely_uploaded_list *list = nullptr;
        ss_result rc = ss_sendsafely_upload_files(c.get(), live(), files.live(), call.progress_cb(), call.data(), &list);
        std::unique_ptr<ss_sendsafely_uploaded_list,
                        detail::free_with<ss_sendsafely_uploaded_list, ss_sendsafely_uploaded_list_free>>
            owned(list);
        call.finish(rc);
        std::vector<uploaded_file> stored;
        for (std::size_t i = 0; i < ss_sendsafely_uploaded_list_count(list); i++) {
            const ss_sendsafely_uploaded_file *f = ss_sendsafely_uploaded_list_file(list, i);
            stored.push_back({std::string(detail::view(ss_sendsafely_uploaded_file_id(f))),
                              std::string(detail::view(ss_sendsafely_uploaded_file_name(f))),
                              ss_sendsafely_uploaded_file_size(f), ss_sendsafely_uploaded_file_parts(f)});
        }
        return stored;
    }
    void delete_file(const client &c, std::string_view file_id) const {
        detail::check(ss_sendsafely_delete_file(c.get(), pid().c_str(), detail::z(file_id).c_str()));
    }
    /// The secure message (encrypted here); a second one replaces it.
    void put_message(const client &c, std::string_view text) const {
        detail::check(ss_sendsafely_put_message(c.get(), live(), detail::z(text).c_str()));
    }
    /// The keycode wrapped to the public keys, the checksum, the secure link.
    sendsafely::finalized finalize(const client &c) const {
        ss_sendsafely_finalized *f = nullptr;
        detail::check(ss_sendsafely_finalize_package(c.get(), live(), &f));
        return sendsafely::finalized(f);
    }
    /// Deletes the package (finalized or not).
    void remove(const client &c) const { detail::check(ss_sendsafely_delete_package(c.get(), pid().c_str())); }
    /// Deletes a package never finalized.
    void remove_temporary(const client &c) const {
        detail::check(ss_sendsafely_delete_temporary_package(c.get(), pid().c_str()));
    }

private:
    std::string pid() const { return std::string(detail::view(ss_sendsafely_package_id(live()))); }
};

}  // namespace sendsafely

}  // namespace sendsecure

#endif /* SENDSECURE_HPP */
