// libFuzzer target: mdn::parseNumber, the strict field parser. An accepted field must give a
// finite value equal, bit for bit, to what strtod makes of the same text, and the value's
// shortest form must parse back to the same bits; a refused one must say why.

#include "csv.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *bytes, std::size_t size)
{
    const std::string field(reinterpret_cast<const char *>(bytes), size);
    double value = 0.0;
    std::string why;
    if (!mdn::parseNumber(field, value, why)) {
        if (why.empty())
            std::abort();
        return 0;
    }
    if (!std::isfinite(value))
        std::abort();
    if (field.find('\0') != std::string::npos)
        std::abort(); // no NUL byte is part of the number grammar
    char *end = nullptr;
    const double reference = std::strtod(field.c_str(), &end);
    if (end != field.c_str() + field.size())
        std::abort(); // accepted text that strtod does not read to the end
    if (std::isnormal(reference) && std::memcmp(&reference, &value, sizeof value) != 0)
        std::abort();
    char shortest[64];
    const auto r = std::to_chars(shortest, shortest + sizeof shortest, value);
    double back = 0.0;
    std::string whyBack;
    if (!mdn::parseNumber(std::string_view(shortest, std::size_t(r.ptr - shortest)), back, whyBack) ||
        std::memcmp(&back, &value, sizeof value) != 0)
        std::abort();
    return 0;
}
