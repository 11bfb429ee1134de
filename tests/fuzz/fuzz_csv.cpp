// libFuzzer target: mdn::parseCsv on arbitrary bytes, with the default limits and with tiny ones
// (chosen by the first byte) so that every limit is reached. Beyond "no crash, no sanitizer
// report", it checks the documented contract: a success holds at least one row of finite pairs,
// a refusal leaves the output untouched and says where and why.

#include "csv.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *bytes, std::size_t size)
{
    mdn::CsvLimits limits;
    std::string_view text(reinterpret_cast<const char *>(bytes), size);
    if (!text.empty() && (static_cast<unsigned char>(text[0]) & 1)) {
        limits.maxRows = 1 + static_cast<unsigned char>(text[0]) % 8;
        limits.maxLineBytes = 1 + static_cast<unsigned char>(text[0]) % 64;
        limits.maxColumns = 1 + static_cast<unsigned char>(text[0]) % 5;
        text.remove_prefix(1);
    }
    mdn::Dataset out;
    out.x = {42.0};
    out.y = {-42.0};
    out.name = "before";
    mdn::CsvError err;
    if (mdn::parseCsv(text, "fuzz.csv", out, err, limits)) {
        if (out.x.empty() || out.x.size() != out.y.size() || out.x.size() > limits.maxRows)
            std::abort();
        for (std::size_t i = 0; i < out.x.size(); ++i)
            if (!std::isfinite(out.x[i]) || !std::isfinite(out.y[i]))
                std::abort();
    } else {
        if (out.x.size() != 1 || out.x[0] != 42.0 || out.name != "before")
            std::abort(); // a refusal must not half-load
        if (err.message.empty() || err.file != "fuzz.csv" || (err.line == 0 && err.column != 0))
            std::abort();
        if (err.toString().find(err.message) == std::string::npos)
            std::abort();
    }
    return 0;
}
