// libFuzzer target: mdn::parseCsv on arbitrary bytes, with the default limits and with tiny ones
// and with a few column selections (chosen by the first byte) so that every limit and every
// selection rule is reached. Beyond "no crash, no sanitizer report", it checks the documented
// contract: a success holds at least one point of finite values in a consistent shape, with the
// selected number of columns; a refusal leaves the output untouched and says where and why.

#include "csv.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

const mdn::CsvColumns kSelections[] = {
    {},                   // the default
    {{"2"}, {"1"}},       // by number, swapped
    {{"x"}, {"y"}},       // by the names of a usual header
    {{}, {"1"}},          // targets only
    {{"1", "2"}, {"2"}},  // a column in both lists
    {{"3", "1"}, {"2"}},  // three columns, reordered
    {{"1"}, {}},          // inputs only
    {{"a", "b"}, {"c"}},  // names most files lack
};

bool allFinite(const std::vector<double> &v)
{
    for (const double d : v)
        if (!std::isfinite(d))
            return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *bytes, std::size_t size)
{
    mdn::CsvLimits limits;
    mdn::CsvColumns columns;
    std::string_view text(reinterpret_cast<const char *>(bytes), size);
    if (!text.empty() && (static_cast<unsigned char>(text[0]) & 1)) {
        const auto b = static_cast<unsigned char>(text[0]);
        limits.maxRows = 1 + b % 8;
        limits.maxLineBytes = 1 + b % 64;
        limits.maxColumns = 1 + b % 5;
        columns = kSelections[(b >> 5) % (sizeof kSelections / sizeof kSelections[0])];
        text.remove_prefix(1);
    }
    mdn::Dataset out;
    out.x = {42.0};
    out.y = {-42.0};
    out.name = "before";
    mdn::CsvError err;
    if (mdn::parseCsv(text, "fuzz.csv", out, err, limits, columns)) {
        if (!out.shapeValid() || out.empty() || out.size() > limits.maxRows)
            std::abort();
        if (!allFinite(out.x) || !allFinite(out.y))
            std::abort();
        // The selection decides the shape when both lists are given.
        if (!columns.inputs.empty() && !columns.targets.empty() &&
            (std::size_t(out.inputDims) != columns.inputs.size() ||
             std::size_t(out.targetDims) != columns.targets.size()))
            std::abort();
        if (columns.inputs.empty() && columns.targets.empty() && out.targetDims != 1)
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
