// libFuzzer target: the streaming parser fed the same bytes in pieces of fuzzer-chosen sizes must
// reach exactly the outcome of parsing them whole: same points (bit for bit), shape and column
// names, or the same error at the same line and column. The first byte seeds the piece sizes and
// picks a column selection; the rest is the text.

#include "csv.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace {

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *bytes, std::size_t size)
{
    if (size == 0)
        return 0;
    std::uint32_t state = bytes[0] * 2654435761u + 1u;
    const std::string_view text(reinterpret_cast<const char *>(bytes) + 1, size - 1);
    mdn::CsvLimits limits;
    limits.maxLineBytes = 256; // small enough that long lines cross piece boundaries often
    limits.maxRows = 64;
    mdn::CsvColumns columns;
    if (bytes[0] & 1)
        columns = {{"2"}, {"1", "x"}};
    else if (bytes[0] & 2)
        columns = {{}, {"y"}};

    mdn::Dataset whole;
    mdn::CsvError wholeErr;
    const bool wholeOk = mdn::parseCsv(text, "fuzz", whole, wholeErr, limits, columns);

    mdn::CsvStreamParser parser("fuzz", limits, 0, columns);
    bool ok = true;
    for (std::size_t pos = 0; ok && pos < text.size();) {
        state = state * 1664525u + 1013904223u;
        // Mostly tiny pieces (a CRLF or a UTF-8 sequence split), sometimes large ones.
        const std::size_t piece = (state >> 28) < 12 ? 1 + (state >> 24) % 4 : 1 + (state >> 16) % 512;
        ok = parser.feed(text.substr(pos, piece));
        pos += piece;
    }
    ok = ok && parser.finish();
    if (ok != wholeOk)
        std::abort();
    if (!ok) {
        const mdn::CsvError &e = parser.error();
        if (e.line != wholeErr.line || e.column != wholeErr.column || e.message != wholeErr.message)
            std::abort();
        return 0;
    }
    mdn::Dataset pieces;
    parser.moveInto(pieces);
    if (pieces.x.size() != whole.x.size() || pieces.y.size() != whole.y.size() ||
        pieces.inputDims != whole.inputDims || pieces.targetDims != whole.targetDims ||
        pieces.inputNames != whole.inputNames || pieces.targetNames != whole.targetNames)
        std::abort();
    for (std::size_t i = 0; i < whole.x.size(); ++i)
        if (!sameBits(pieces.x[i], whole.x[i]))
            std::abort();
    for (std::size_t i = 0; i < whole.y.size(); ++i)
        if (!sameBits(pieces.y[i], whole.y[i]))
            std::abort();
    return 0;
}
