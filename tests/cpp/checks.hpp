// The checks of the C++ tests (tests/cpp/test_*.cpp, one program each): every failed check is
// printed with the test's file and line, and the counts end the run ("N passed, M failed").
// A test defines CHECKS_FILE (its file name) before including this.
#pragma once

#include <iostream>
#include <sstream>
#include <string>

#ifndef CHECKS_FILE
#error "define CHECKS_FILE before including checks.hpp"
#endif

namespace checks {

inline int passed = 0;
inline int failed = 0;

inline bool check(bool ok, const char *what, int line, const std::string &detail = {}) {
    if (ok) {
        passed++;
    } else {
        failed++;
        std::cerr << CHECKS_FILE ":" << line << ": FAILED: " << what;
        if (!detail.empty()) std::cerr << " (" << detail << ")";
        std::cerr << "\n";
    }
    return ok;
}

template <class Got, class Want>
bool check_eq(const Got &got, const Want &want, const char *what, int line) {
    std::ostringstream detail;
    detail << "got " << got << ", expected " << want;
    return check(got == want, what, line, detail.str());
}

}  // namespace checks

#define CHECK(cond) checks::check((cond), #cond, __LINE__)
#define CHECK_EQ(got, want) checks::check_eq((got), (want), #got " == " #want, __LINE__)
