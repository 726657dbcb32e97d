/* SendSafely Workspaces from C, against the emulator's SendSafely service: directories created,
 * read, renamed, moved and deleted, each checked by reading the tree back (directory
 * information, package information); the service's refusals with their codes (unknown
 * directory, file or recipient, a package that is no Workspace, an unknown package, another
 * user's Workspace); collaborator roles; the activity log page by page; every NULL and
 * invalid UTF-8 argument; a file uploaded into a directory and moved to another, read back
 * from both (tests/sendsafely_ffi_workspaces.rs reads a collaborator's role back too).
 *
 * Environment: SS_TEST_SENDSAFELY_URL, the SendSafely emulator (demo organisation). */
#include "support.h"

static ss_sendsafely_client *g_demo;
static ss_sendsafely_client *g_bob;

/* A new Workspace of demo's: its id and root directory id (both to free). */
static void new_workspace(char **id, char **root) {
    ss_sendsafely_package *ws = NULL;
    CHECK_RC(ss_sendsafely_create_workspace(g_demo, &ws), SS_OK);
    ss_sendsafely_package_info *info = NULL;
    CHECK_RC(ss_sendsafely_get_package_info(g_demo, ss_sendsafely_package_id(ws), &info), SS_OK);
    CHECK(ss_sendsafely_package_info_is_workspace(info));
    *id = strdup(ss_sendsafely_package_id(ws));
    *root = strdup(ss_sendsafely_package_info_root_directory_id(info));
    CHECK(*root != NULL && (*root)[0] != '\0');
    ss_sendsafely_package_info_free(info);
    ss_sendsafely_package_free(ws);
}

/* The subdirectory of `dir` named `name`, or NULL. */
static const ss_sendsafely_directory *subdirectory(const ss_sendsafely_directory_info *dir, const char *name) {
    for (size_t i = 0; i < ss_sendsafely_directory_info_subdirectory_count(dir); i++) {
        const ss_sendsafely_directory *d = ss_sendsafely_directory_info_subdirectory(dir, i);
        if (strcmp(ss_sendsafely_directory_name(d), name) == 0) return d;
    }
    return NULL;
}

/* The parent id of directory `id` as the package information lists it ("?" when absent). */
static const char *listed_parent(const ss_sendsafely_package_info *info, const char *id) {
    for (size_t i = 0; i < ss_sendsafely_package_info_directory_count(info); i++) {
        const ss_sendsafely_directory *d = ss_sendsafely_package_info_directory(info, i);
        if (strcmp(ss_sendsafely_directory_id(d), id) == 0) return ss_sendsafely_directory_parent_id(d);
    }
    return "?";
}

static void test_directory_tree(void) {
    char *ws = NULL, *root = NULL;
    new_workspace(&ws, &root);

    char *reports = NULL, *year = NULL;
    CHECK_RC(ss_sendsafely_create_directory(g_demo, ws, root, "Reports", &reports), SS_OK);
    CHECK(reports != NULL && reports[0] != '\0');
    CHECK_RC(ss_sendsafely_create_directory(g_demo, ws, reports, "2026", &year), SS_OK);
    CHECK(year != NULL && strcmp(year, reports) != 0);

    /* The root, read back: its one subdirectory, no parent, no file. */
    ss_sendsafely_directory_info *dir = NULL;
    CHECK_RC(ss_sendsafely_get_directory(g_demo, ws, root, &dir), SS_OK);
    CHECK_STR(ss_sendsafely_directory_info_id(dir), root);
    CHECK(ss_sendsafely_directory_info_parent_id(dir) == NULL);
    CHECK(ss_sendsafely_directory_info_name(dir) != NULL);
    CHECK(ss_sendsafely_directory_info_created(dir) != NULL && ss_sendsafely_directory_info_created(dir)[0] != '\0');
    CHECK(ss_sendsafely_directory_info_subdirectory_count(dir) == 1);
    const ss_sendsafely_directory *sub = ss_sendsafely_directory_info_subdirectory(dir, 0);
    CHECK_STR(ss_sendsafely_directory_id(sub), reports);
    CHECK_STR(ss_sendsafely_directory_name(sub), "Reports");
    CHECK_STR(ss_sendsafely_directory_parent_id(sub), root);
    CHECK(ss_sendsafely_directory_info_subdirectory(dir, 1) == NULL);
    CHECK(ss_sendsafely_directory_info_file_count(dir) == 0);
    CHECK(ss_sendsafely_directory_info_file(dir, 0) == NULL);
    ss_sendsafely_directory_info_free(dir);

    /* Renamed: its own view has the new name, its parent and its child. */
    CHECK_RC(ss_sendsafely_rename_directory(g_demo, ws, reports, "Finance"), SS_OK);
    CHECK_RC(ss_sendsafely_get_directory(g_demo, ws, reports, &dir), SS_OK);
    CHECK_STR(ss_sendsafely_directory_info_name(dir), "Finance");
    CHECK_STR(ss_sendsafely_directory_info_parent_id(dir), root);
    CHECK(ss_sendsafely_directory_info_subdirectory_count(dir) == 1);
    CHECK_STR(ss_sendsafely_directory_id(ss_sendsafely_directory_info_subdirectory(dir, 0)), year);
    CHECK_STR(ss_sendsafely_directory_parent_id(ss_sendsafely_directory_info_subdirectory(dir, 0)), reports);
    ss_sendsafely_directory_info_free(dir);

    /* 2026 moved up to the root: the root lists both, Finance none, the package agrees. */
    CHECK_RC(ss_sendsafely_move_directory(g_demo, ws, year, root), SS_OK);
    CHECK_RC(ss_sendsafely_get_directory(g_demo, ws, root, &dir), SS_OK);
    CHECK(ss_sendsafely_directory_info_subdirectory_count(dir) == 2);
    CHECK(subdirectory(dir, "Finance") != NULL);
    CHECK(subdirectory(dir, "2026") != NULL && strcmp(ss_sendsafely_directory_id(subdirectory(dir, "2026")), year) == 0);
    ss_sendsafely_directory_info_free(dir);
    CHECK_RC(ss_sendsafely_get_directory(g_demo, ws, reports, &dir), SS_OK);
    CHECK(ss_sendsafely_directory_info_subdirectory_count(dir) == 0);
    ss_sendsafely_directory_info_free(dir);
    ss_sendsafely_package_info *info = NULL;
    CHECK_RC(ss_sendsafely_get_package_info(g_demo, ws, &info), SS_OK);
    CHECK(ss_sendsafely_package_info_directory_count(info) == 2);
    CHECK_STR(listed_parent(info, year), root);
    CHECK_STR(listed_parent(info, reports), root);
    ss_sendsafely_package_info_free(info);

    /* The root renamed too; nothing moves into itself; the root neither moves nor goes. */
    CHECK_RC(ss_sendsafely_rename_directory(g_demo, ws, root, "Top"), SS_OK);
    CHECK_RC(ss_sendsafely_get_directory(g_demo, ws, root, &dir), SS_OK);
    CHECK_STR(ss_sendsafely_directory_info_name(dir), "Top");
    ss_sendsafely_directory_info_free(dir);
    CHECK_API(ss_sendsafely_move_directory(g_demo, ws, root, year), "FAIL");
    CHECK_API(ss_sendsafely_move_directory(g_demo, ws, year, year), "FAIL");
    CHECK_API(ss_sendsafely_delete_directory(g_demo, ws, root), "FAIL");

    /* Deleted with its subtree: 2026 moved in first, both gone after. */
    CHECK_RC(ss_sendsafely_move_directory(g_demo, ws, year, reports), SS_OK);
    CHECK_RC(ss_sendsafely_delete_directory(g_demo, ws, reports), SS_OK);
    dir = NULL;
    CHECK_API(ss_sendsafely_get_directory(g_demo, ws, reports, &dir), "INVALID_INPUT");
    CHECK(dir == NULL);
    CHECK_API(ss_sendsafely_get_directory(g_demo, ws, year, &dir), "INVALID_INPUT");
    CHECK_RC(ss_sendsafely_get_package_info(g_demo, ws, &info), SS_OK);
    CHECK(ss_sendsafely_package_info_directory_count(info) == 0);
    ss_sendsafely_package_info_free(info);
    CHECK_RC(ss_sendsafely_get_directory(g_demo, ws, root, &dir), SS_OK);
    CHECK(ss_sendsafely_directory_info_subdirectory_count(dir) == 0);
    ss_sendsafely_directory_info_free(dir);

    /* Unknown directories and files. */
    char *none = NULL;
    CHECK_API(ss_sendsafely_create_directory(g_demo, ws, reports, "x", &none), "INVALID_INPUT");
    CHECK(none == NULL);
    CHECK_API(ss_sendsafely_rename_directory(g_demo, ws, reports, "x"), "INVALID_INPUT");
    CHECK_API(ss_sendsafely_move_directory(g_demo, ws, reports, root), "INVALID_INPUT");
    CHECK_API(ss_sendsafely_move_directory(g_demo, ws, root, reports), "INVALID_INPUT");
    CHECK_API(ss_sendsafely_delete_directory(g_demo, ws, reports), "INVALID_INPUT");
    CHECK_API(ss_sendsafely_move_file(g_demo, ws, "file-unknown", root), "INVALID_INPUT");

    /* Names the server would refuse are refused here. */
    CHECK_ERR(ss_sendsafely_create_directory(g_demo, ws, root, "a/b", &none), SS_ERR_INVALID_ARGUMENT, "/");
    CHECK_ERR(ss_sendsafely_create_directory(g_demo, ws, root, "  ", &none), SS_ERR_INVALID_ARGUMENT, "empty");
    CHECK_ERR(ss_sendsafely_create_directory(g_demo, ws, root, "tab\there", &none), SS_ERR_INVALID_ARGUMENT, "control");
    CHECK_ERR(ss_sendsafely_rename_directory(g_demo, ws, root, ""), SS_ERR_INVALID_ARGUMENT, "empty");
    CHECK_ERR(ss_sendsafely_get_directory(g_demo, ws, "", &dir), SS_ERR_INVALID_ARGUMENT, "directory id");
    CHECK_ERR(ss_sendsafely_get_directory(g_demo, "", root, &dir), SS_ERR_INVALID_ARGUMENT, "package id");
    CHECK(none == NULL);

    free(reports);
    free(year);
    free(root);
    free(ws);
}

static void test_wrong_packages(void) {
    char *ws = NULL, *root = NULL;
    new_workspace(&ws, &root);
    char *none = NULL;
    ss_sendsafely_directory_info *dir = NULL;

    /* A package that is no Workspace has no directories. */
    ss_sendsafely_package *plain = NULL;
    CHECK_RC(ss_sendsafely_create_package(g_demo, &plain), SS_OK);
    const char *pid = ss_sendsafely_package_id(plain);
    CHECK_API(ss_sendsafely_get_directory(g_demo, pid, root, &dir), "FAIL");
    CHECK_API(ss_sendsafely_create_directory(g_demo, pid, root, "x", &none), "FAIL");
    CHECK_API(ss_sendsafely_move_file(g_demo, pid, "file-unknown", root), "FAIL");
    ss_sendsafely_package_free(plain);

    /* An unknown package. */
    CHECK_API(ss_sendsafely_get_directory(g_demo, "NO-SUCH-PKG", root, &dir), "UNKNOWN_PACKAGE");
    CHECK_API(ss_sendsafely_create_directory(g_demo, "NO-SUCH-PKG", root, "x", &none), "UNKNOWN_PACKAGE");
    CHECK_API(ss_sendsafely_rename_directory(g_demo, "NO-SUCH-PKG", root, "x"), "UNKNOWN_PACKAGE");
    CHECK_API(ss_sendsafely_move_directory(g_demo, "NO-SUCH-PKG", root, root), "UNKNOWN_PACKAGE");
    CHECK_API(ss_sendsafely_delete_directory(g_demo, "NO-SUCH-PKG", root), "UNKNOWN_PACKAGE");
    CHECK_API(ss_sendsafely_move_file(g_demo, "NO-SUCH-PKG", "f", root), "UNKNOWN_PACKAGE");
    CHECK_API(ss_sendsafely_update_recipient_role(g_demo, "NO-SUCH-PKG", "r", "VIEWER"), "UNKNOWN_PACKAGE");
    ss_sendsafely_activity_page *page = NULL;
    CHECK_API(ss_sendsafely_get_activity_log(g_demo, "NO-SUCH-PKG", 0, &page), "UNKNOWN_PACKAGE");
    CHECK(page == NULL);

    /* Another user's Workspace: bob may change nothing, nor read it. */
    CHECK_API(ss_sendsafely_create_directory(g_bob, ws, root, "x", &none), "DENIED");
    CHECK_API(ss_sendsafely_rename_directory(g_bob, ws, root, "x"), "DENIED");
    CHECK_API(ss_sendsafely_delete_directory(g_bob, ws, root), "DENIED");
    CHECK_API(ss_sendsafely_update_recipient_role(g_bob, ws, "r", "VIEWER"), "DENIED");
    CHECK_API(ss_sendsafely_get_directory(g_bob, ws, root, &dir), "DENIED");
    CHECK(none == NULL && dir == NULL);
    /* Nothing changed. */
    CHECK_RC(ss_sendsafely_get_directory(g_demo, ws, root, &dir), SS_OK);
    CHECK(ss_sendsafely_directory_info_subdirectory_count(dir) == 0);
    CHECK(strcmp(ss_sendsafely_directory_info_name(dir), "x") != 0);
    ss_sendsafely_directory_info_free(dir);

    free(root);
    free(ws);
}

static void test_roles(void) {
    char *ws = NULL, *root = NULL;
    new_workspace(&ws, &root);
    CHECK_API(ss_sendsafely_update_recipient_role(g_demo, ws, "rcpt-unknown", "MANAGER"), "INVALID_RECIPIENT");
    CHECK_ERR(ss_sendsafely_update_recipient_role(g_demo, ws, "rcpt-unknown", "ADMIN"), SS_ERR_INVALID_ARGUMENT,
              "VIEWER, CONTRIBUTOR, MANAGER, OWNER");
    CHECK_ERR(ss_sendsafely_update_recipient_role(g_demo, ws, "rcpt-unknown", "viewer"), SS_ERR_INVALID_ARGUMENT,
              "role");
    CHECK_ERR(ss_sendsafely_update_recipient_role(g_demo, ws, "", "VIEWER"), SS_ERR_INVALID_ARGUMENT, "recipient id");
    free(root);
    free(ws);
}

/* Reads the whole activity log page by page; answers how many records, checking each page. */
static size_t read_log(const char *ws, const char **newest_action, char *newest_details, size_t details_len,
                       int *saw_renamed, int *saw_moved, int *saw_deleted) {
    size_t total = 0;
    uint64_t row = 0;
    for (int pages = 0; pages < 10; pages++) {
        ss_sendsafely_activity_page *page = NULL;
        if (!CHECK_RC(ss_sendsafely_get_activity_log(g_demo, ws, row, &page), SS_OK)) break;
        size_t count = ss_sendsafely_activity_page_count(page);
        CHECK(count <= 10);
        CHECK(ss_sendsafely_activity_page_next_row_index(page) == row + count);
        CHECK(ss_sendsafely_activity_page_record(page, count) == NULL);
        for (size_t i = 0; i < count; i++) {
            const ss_sendsafely_activity_record *r = ss_sendsafely_activity_page_record(page, i);
            const char *action = ss_sendsafely_activity_record_action(r);
            CHECK_STR(ss_sendsafely_activity_record_user_email(r), USER_EMAIL);
            CHECK(ss_sendsafely_activity_record_timestamp(r)[0] != '\0');
            CHECK(ss_sendsafely_activity_record_details(r) != NULL);
            if (total == 0 && i == 0) {
                *newest_action = strcmp(action, "DIRECTORY_CREATED") == 0 ? "DIRECTORY_CREATED" : "other";
                snprintf(newest_details, details_len, "%s", ss_sendsafely_activity_record_details(r));
            }
            *saw_renamed |= strcmp(action, "DIRECTORY_RENAMED") == 0;
            *saw_moved |= strcmp(action, "DIRECTORY_MOVED") == 0;
            *saw_deleted |= strcmp(action, "DIRECTORY_DELETED") == 0;
        }
        total += count;
        row = ss_sendsafely_activity_page_next_row_index(page);
        int last = ss_sendsafely_activity_page_is_last(page);
        CHECK(last == (count < 10));
        ss_sendsafely_activity_page_free(page);
        if (last) break;
    }
    return total;
}

static void test_activity_log(void) {
    char *ws = NULL, *root = NULL;
    new_workspace(&ws, &root);
    char *a = NULL, *b = NULL;
    CHECK_RC(ss_sendsafely_create_directory(g_demo, ws, root, "A", &a), SS_OK);
    CHECK_RC(ss_sendsafely_create_directory(g_demo, ws, root, "B", &b), SS_OK);
    CHECK_RC(ss_sendsafely_rename_directory(g_demo, ws, a, "A2"), SS_OK);
    CHECK_RC(ss_sendsafely_move_directory(g_demo, ws, b, a), SS_OK);
    CHECK_RC(ss_sendsafely_delete_directory(g_demo, ws, a), SS_OK);
    /* 2 + 3 events so far; 17 more directories make 22: pages of 10, 10 and 2. */
    for (int n = 0; n < 17; n++) {
        char name[16], *id = NULL;
        snprintf(name, sizeof name, "d%d", n);
        CHECK_RC(ss_sendsafely_create_directory(g_demo, ws, root, name, &id), SS_OK);
        ss_string_free(id);
    }
    const char *newest = NULL;
    char details[64] = "";
    int renamed = 0, moved = 0, deleted = 0;
    CHECK(read_log(ws, &newest, details, sizeof details, &renamed, &moved, &deleted) == 22);
    CHECK_STR(newest, "DIRECTORY_CREATED");
    CHECK_STR(details, "d16");
    CHECK(renamed && moved && deleted);

    /* Past the end: an empty last page. */
    ss_sendsafely_activity_page *page = NULL;
    CHECK_RC(ss_sendsafely_get_activity_log(g_demo, ws, 1000, &page), SS_OK);
    CHECK(ss_sendsafely_activity_page_count(page) == 0);
    CHECK(ss_sendsafely_activity_page_is_last(page));
    CHECK(ss_sendsafely_activity_page_record(page, 0) == NULL);
    ss_sendsafely_activity_page_free(page);
    /* The second page starts with the 11th newest record: d6. */
    CHECK_RC(ss_sendsafely_get_activity_log(g_demo, ws, 10, &page), SS_OK);
    CHECK(ss_sendsafely_activity_page_count(page) == 10);
    CHECK(!ss_sendsafely_activity_page_is_last(page));
    CHECK_STR(ss_sendsafely_activity_record_details(ss_sendsafely_activity_page_record(page, 0)), "d6");
    ss_sendsafely_activity_page_free(page);

    ss_string_free(a);
    ss_string_free(b);
    free(root);
    free(ws);
}

static void test_arguments(void) {
    char *ws = NULL, *root = NULL;
    new_workspace(&ws, &root);
    char *id = NULL;
    ss_sendsafely_directory_info *dir = NULL;
    ss_sendsafely_activity_page *page = NULL;

    CHECK_ERR(ss_sendsafely_create_directory(NULL, ws, root, "x", &id), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_create_directory(g_demo, NULL, root, "x", &id), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_create_directory(g_demo, ws, NULL, "x", &id), SS_ERR_NULL_ARGUMENT, "parent_id");
    CHECK_ERR(ss_sendsafely_create_directory(g_demo, ws, root, NULL, &id), SS_ERR_NULL_ARGUMENT, "name");
    CHECK_ERR(ss_sendsafely_create_directory(g_demo, ws, root, "x", NULL), SS_ERR_NULL_ARGUMENT, "out_directory_id");
    CHECK_ERR(ss_sendsafely_create_directory(g_demo, BAD_UTF8, root, "x", &id), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_create_directory(g_demo, ws, BAD_UTF8, "x", &id), SS_ERR_INVALID_UTF8, "parent_id");
    CHECK_ERR(ss_sendsafely_create_directory(g_demo, ws, root, BAD_UTF8, &id), SS_ERR_INVALID_UTF8, "name");
    CHECK(id == NULL);

    CHECK_ERR(ss_sendsafely_get_directory(NULL, ws, root, &dir), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_get_directory(g_demo, NULL, root, &dir), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_get_directory(g_demo, ws, NULL, &dir), SS_ERR_NULL_ARGUMENT, "directory_id");
    CHECK_ERR(ss_sendsafely_get_directory(g_demo, ws, root, NULL), SS_ERR_NULL_ARGUMENT, "out_directory");
    CHECK_ERR(ss_sendsafely_get_directory(g_demo, BAD_UTF8, root, &dir), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_get_directory(g_demo, ws, BAD_UTF8, &dir), SS_ERR_INVALID_UTF8, "directory_id");
    CHECK(dir == NULL);

    CHECK_ERR(ss_sendsafely_rename_directory(NULL, ws, root, "x"), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_rename_directory(g_demo, NULL, root, "x"), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_rename_directory(g_demo, ws, NULL, "x"), SS_ERR_NULL_ARGUMENT, "directory_id");
    CHECK_ERR(ss_sendsafely_rename_directory(g_demo, ws, root, NULL), SS_ERR_NULL_ARGUMENT, "name");
    CHECK_ERR(ss_sendsafely_rename_directory(g_demo, BAD_UTF8, root, "x"), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_rename_directory(g_demo, ws, BAD_UTF8, "x"), SS_ERR_INVALID_UTF8, "directory_id");
    CHECK_ERR(ss_sendsafely_rename_directory(g_demo, ws, root, BAD_UTF8), SS_ERR_INVALID_UTF8, "name");

    CHECK_ERR(ss_sendsafely_move_directory(NULL, ws, root, root), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_move_directory(g_demo, NULL, root, root), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_move_directory(g_demo, ws, NULL, root), SS_ERR_NULL_ARGUMENT, "directory_id");
    CHECK_ERR(ss_sendsafely_move_directory(g_demo, ws, root, NULL), SS_ERR_NULL_ARGUMENT, "target_id");
    CHECK_ERR(ss_sendsafely_move_directory(g_demo, BAD_UTF8, root, root), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_move_directory(g_demo, ws, BAD_UTF8, root), SS_ERR_INVALID_UTF8, "directory_id");
    CHECK_ERR(ss_sendsafely_move_directory(g_demo, ws, root, BAD_UTF8), SS_ERR_INVALID_UTF8, "target_id");

    CHECK_ERR(ss_sendsafely_delete_directory(NULL, ws, root), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_delete_directory(g_demo, NULL, root), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_delete_directory(g_demo, ws, NULL), SS_ERR_NULL_ARGUMENT, "directory_id");
    CHECK_ERR(ss_sendsafely_delete_directory(g_demo, BAD_UTF8, root), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_delete_directory(g_demo, ws, BAD_UTF8), SS_ERR_INVALID_UTF8, "directory_id");

    CHECK_ERR(ss_sendsafely_move_file(NULL, ws, "f", root), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_move_file(g_demo, NULL, "f", root), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_move_file(g_demo, ws, NULL, root), SS_ERR_NULL_ARGUMENT, "file_id");
    CHECK_ERR(ss_sendsafely_move_file(g_demo, ws, "f", NULL), SS_ERR_NULL_ARGUMENT, "target_id");
    CHECK_ERR(ss_sendsafely_move_file(g_demo, BAD_UTF8, "f", root), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_move_file(g_demo, ws, BAD_UTF8, root), SS_ERR_INVALID_UTF8, "file_id");
    CHECK_ERR(ss_sendsafely_move_file(g_demo, ws, "f", BAD_UTF8), SS_ERR_INVALID_UTF8, "target_id");
    CHECK_ERR(ss_sendsafely_move_file(g_demo, ws, "", root), SS_ERR_INVALID_ARGUMENT, "file id");

    CHECK_ERR(ss_sendsafely_update_recipient_role(NULL, ws, "r", "VIEWER"), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_update_recipient_role(g_demo, NULL, "r", "VIEWER"), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_update_recipient_role(g_demo, ws, NULL, "VIEWER"), SS_ERR_NULL_ARGUMENT, "recipient_id");
    CHECK_ERR(ss_sendsafely_update_recipient_role(g_demo, ws, "r", NULL), SS_ERR_NULL_ARGUMENT, "role");
    CHECK_ERR(ss_sendsafely_update_recipient_role(g_demo, BAD_UTF8, "r", "VIEWER"), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_update_recipient_role(g_demo, ws, BAD_UTF8, "VIEWER"), SS_ERR_INVALID_UTF8,
              "recipient_id");
    CHECK_ERR(ss_sendsafely_update_recipient_role(g_demo, ws, "r", BAD_UTF8), SS_ERR_INVALID_UTF8, "role");

    CHECK_ERR(ss_sendsafely_get_activity_log(NULL, ws, 0, &page), SS_ERR_NULL_ARGUMENT, "client");
    CHECK_ERR(ss_sendsafely_get_activity_log(g_demo, NULL, 0, &page), SS_ERR_NULL_ARGUMENT, "package_id");
    CHECK_ERR(ss_sendsafely_get_activity_log(g_demo, ws, 0, NULL), SS_ERR_NULL_ARGUMENT, "out_page");
    CHECK_ERR(ss_sendsafely_get_activity_log(g_demo, BAD_UTF8, 0, &page), SS_ERR_INVALID_UTF8, "package_id");
    CHECK_ERR(ss_sendsafely_get_activity_log(g_demo, "", 0, &page), SS_ERR_INVALID_ARGUMENT, "package id");
    CHECK(page == NULL);

    /* NULL handles give the getters' defaults; the frees take NULL. */
    CHECK(ss_sendsafely_directory_info_id(NULL) == NULL);
    CHECK(ss_sendsafely_directory_info_name(NULL) == NULL);
    CHECK(ss_sendsafely_directory_info_parent_id(NULL) == NULL);
    CHECK(ss_sendsafely_directory_info_created(NULL) == NULL);
    CHECK(ss_sendsafely_directory_info_subdirectory_count(NULL) == 0);
    CHECK(ss_sendsafely_directory_info_subdirectory(NULL, 0) == NULL);
    CHECK(ss_sendsafely_directory_info_file_count(NULL) == 0);
    CHECK(ss_sendsafely_directory_info_file(NULL, 0) == NULL);
    CHECK(ss_sendsafely_activity_page_count(NULL) == 0);
    CHECK(ss_sendsafely_activity_page_record(NULL, 0) == NULL);
    CHECK(ss_sendsafely_activity_page_next_row_index(NULL) == 0);
    CHECK(ss_sendsafely_activity_page_is_last(NULL));
    CHECK(ss_sendsafely_activity_record_timestamp(NULL) == NULL);
    CHECK(ss_sendsafely_activity_record_user_email(NULL) == NULL);
    CHECK(ss_sendsafely_activity_record_action(NULL) == NULL);
    CHECK(ss_sendsafely_activity_record_details(NULL) == NULL);
    /* The files a directory lists (a real one: tests/sendsafely_ffi_workspaces.rs). */
    CHECK(ss_sendsafely_file_id(NULL) == NULL);
    CHECK(ss_sendsafely_file_name(NULL) == NULL);
    CHECK(ss_sendsafely_file_size(NULL) == 0);
    CHECK(ss_sendsafely_file_parts(NULL) == 0);
    CHECK(!ss_sendsafely_file_uploaded(NULL));
    CHECK(ss_sendsafely_file_created_by(NULL) == NULL);
    CHECK(ss_sendsafely_file_uploaded_at(NULL) == NULL);
    CHECK(ss_sendsafely_file_directory_id(NULL) == NULL);
    ss_sendsafely_directory_info_free(NULL);
    ss_sendsafely_activity_page_free(NULL);

    free(root);
    free(ws);
}

/* A file uploaded into one directory, then moved to another: each directory lists it where it
 * is, with its fields. */
static void test_file_move(void) {
    ss_sendsafely_package *ws = NULL;
    CHECK_RC(ss_sendsafely_create_workspace(g_demo, &ws), SS_OK);
    const char *id = ss_sendsafely_package_id(ws);
    ss_sendsafely_package_info *info = NULL;
    CHECK_RC(ss_sendsafely_get_package_info(g_demo, id, &info), SS_OK);
    const char *root = ss_sendsafely_package_info_root_directory_id(info);
    char *from = NULL, *to = NULL;
    CHECK_RC(ss_sendsafely_create_directory(g_demo, id, root, "Inbox", &from), SS_OK);
    CHECK_RC(ss_sendsafely_create_directory(g_demo, id, root, "Archive", &to), SS_OK);

    static const char text[] = "minutes of the meeting";
    ss_sendsafely_upload *upload = NULL;
    CHECK_RC(ss_sendsafely_upload_new(&upload), SS_OK);
    CHECK_RC(ss_sendsafely_upload_add_bytes(upload, (const uint8_t *)text, sizeof text - 1, "minutes.txt", from), SS_OK);
    ss_sendsafely_uploaded_list *uploaded = NULL;
    CHECK_RC(ss_sendsafely_upload_files(g_demo, ws, upload, NULL, NULL, &uploaded), SS_OK);
    CHECK(ss_sendsafely_uploaded_list_count(uploaded) == 1);
    const char *file_id = ss_sendsafely_uploaded_file_id(ss_sendsafely_uploaded_list_file(uploaded, 0));
    CHECK(file_id != NULL && file_id[0] != '\0');

    ss_sendsafely_directory_info *dir = NULL;
    CHECK_RC(ss_sendsafely_get_directory(g_demo, id, from, &dir), SS_OK);
    CHECK(ss_sendsafely_directory_info_file_count(dir) == 1);
    const ss_sendsafely_file *f = ss_sendsafely_directory_info_file(dir, 0);
    CHECK_STR(ss_sendsafely_file_id(f), file_id);
    CHECK_STR(ss_sendsafely_file_name(f), "minutes.txt");
    CHECK(ss_sendsafely_file_size(f) == sizeof text - 1 && ss_sendsafely_file_parts(f) == 1);
    CHECK(ss_sendsafely_file_uploaded(f));
    CHECK_STR(ss_sendsafely_file_directory_id(f), from);
    ss_sendsafely_directory_info_free(dir);

    CHECK_RC(ss_sendsafely_move_file(g_demo, id, file_id, to), SS_OK);
    dir = NULL;
    CHECK_RC(ss_sendsafely_get_directory(g_demo, id, from, &dir), SS_OK);
    CHECK(ss_sendsafely_directory_info_file_count(dir) == 0);
    ss_sendsafely_directory_info_free(dir);
    dir = NULL;
    CHECK_RC(ss_sendsafely_get_directory(g_demo, id, to, &dir), SS_OK);
    CHECK(ss_sendsafely_directory_info_file_count(dir) == 1);
    CHECK_STR(ss_sendsafely_file_id(ss_sendsafely_directory_info_file(dir, 0)), file_id);
    CHECK_STR(ss_sendsafely_file_directory_id(ss_sendsafely_directory_info_file(dir, 0)), to);
    ss_sendsafely_directory_info_free(dir);

    ss_sendsafely_uploaded_list_free(uploaded);
    ss_sendsafely_upload_free(upload);
    ss_string_free(from);
    ss_string_free(to);
    ss_sendsafely_package_info_free(info);
    ss_sendsafely_package_free(ws);
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
    test_directory_tree();
    test_wrong_packages();
    test_file_move();
    test_roles();
    test_activity_log();
    test_arguments();
    ss_sendsafely_client_free(g_bob);
    ss_sendsafely_client_free(g_demo);
    return check_summary();
}
