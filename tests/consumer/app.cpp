// The C++ wrapper from an installed libsendsecure, built by tests/consumers.rs with CMake
// (find_package(sendsecure), target sendsecure::sendsecure, C++17). Logs in to the emulator
// (SS_TEST_URL), reads the default security profile and prints "consumer++ ok VERSION NAME".
#include <cstdlib>
#include <iostream>

#include <sendsecure.hpp>

int main() {
    const char *url = std::getenv("SS_TEST_URL");
    if (url == nullptr) return 2;
    try {
        sendsecure::client client(sendsecure::get_user_token("acme", "demo", "demo-password", "consumer", "consumer", url),
                                  "acme", url);
        sendsecure::security_profile profile = client.get_default_security_profile("demo@acme.example");
        std::cout << "consumer++ ok " << sendsecure::library_version() << " " << profile.name() << "\n";
        return 0;
    } catch (const sendsecure::error &e) {
        std::cerr << "failed: " << e.what() << "\n";
        return 1;
    }
}
