// Writing datasets as CSV (reading is csv.cpp's).

#include "csv.h"

#include <charconv>
#include <cmath>
#include <string_view>
#include <utility>

namespace mdn {

namespace {

// The rows are handed to the file in pieces of about this size.
constexpr std::size_t kChunkBytes = std::size_t(1) << 20;
// The byte order mark, which reading drops at the start of a file.
constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool isSpaceOrTab(char c) { return c == ' ' || c == '\t'; }

void appendNumber(std::string &buffer, double value)
{
    char text[32]; // the shortest round-trip form of a double needs at most 24 characters
    const auto result = std::to_chars(text, text + sizeof text, value);
    buffer.append(text, result.ptr);
}

// What is wrong with a dataset whose shapeValid() is false.
std::string shapeProblem(const Dataset &data)
{
    const auto count = [](std::size_t n, const char *what) {
        return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
    };
    if (data.inputDims < 1 || data.targetDims < 1)
        return "the dataset has " + std::to_string(data.inputDims) + " input and " +
               std::to_string(data.targetDims) + " target columns; it needs at least one of each";
    const auto inputs = std::size_t(data.inputDims), targets = std::size_t(data.targetDims);
    if (data.x.size() % inputs != 0)
        return "x has " + count(data.x.size(), "value") + ", not a whole number of points of " +
               count(inputs, "input");
    if (data.y.size() != data.size() * targets) {
        if (data.oneDimensional())
            return "x has " + std::to_string(data.x.size()) + " values but y has " +
                   std::to_string(data.y.size());
        return "x holds " + count(data.size(), "point") + " of " + count(inputs, "input") +
               " but y has " + count(data.y.size(), "value") + " for " + count(targets, "target");
    }
    if (!data.inputNames.empty() && data.inputNames.size() != inputs)
        return "the dataset has " + count(data.inputNames.size(), "input name") + " for " +
               count(inputs, "input column");
    return "the dataset has " + count(data.targetNames.size(), "target name") + " for " +
           count(targets, "target column");
}

bool checkWritable(const Dataset &data, std::string &why)
{
    if (!data.shapeValid()) {
        why = shapeProblem(data);
        return false;
    }
    if (data.empty()) {
        why = "the dataset is empty (a CSV file without data rows could not be loaded again)";
        return false;
    }
    const std::size_t inputs = std::size_t(data.inputDims), targets = std::size_t(data.targetDims);
    for (std::size_t i = 0; i < data.size(); ++i) {
        const auto finite = [](const double *v, std::size_t n) {
            return std::all_of(v, v + n, [](double d) { return std::isfinite(d); });
        };
        if (!finite(&data.x[i * inputs], inputs) || !finite(&data.y[i * targets], targets)) {
            why = "point " + std::to_string(i + 1) +
                  " has a non-finite value; only finite numbers can be written";
            return false;
        }
    }
    return true;
}

// Why the reader would not give `name` back as a header name, or nothing.
std::string nameProblem(const std::string &name)
{
    if (name.find_first_of("\r\n") != std::string::npos)
        return "holds a line break";
    if (name.find('\0') != std::string::npos)
        return "holds a NUL byte";
    for (std::size_t pos = 0; pos < name.size();) {
        const std::size_t length = utf8SequenceLength(name, pos);
        if (length == 0)
            return "is not valid UTF-8";
        pos += length;
    }
    if (name.empty() || isSpaceOrTab(name.front()) || isSpaceOrTab(name.back()))
        return name.find_first_not_of(" \t") == std::string::npos
                   ? "is blank"
                   : "begins or ends with a space or a tab, which reading drops";
    double ignored = 0.0;
    if (scanNumber(name, ignored) != NumberStatus::NotANumber)
        return "looks like a number, so the header line would be read as data";
    return {};
}

// RFC 4180: a field holding the delimiter, a quote or a line break is quoted, its quotes doubled.
// The reader also takes ';' and a tab on the header line for the delimiter, and drops a byte
// order mark at the start of the file, so those are quoted too.
void appendName(std::string &buffer, const std::string &name)
{
    if (name.find_first_of(",;\t\"") == std::string::npos && name.compare(0, kBom.size(), kBom) != 0) {
        buffer += name;
        return;
    }
    buffer += '"';
    for (const char c : name) {
        if (c == '"')
            buffer += '"';
        buffer += c;
    }
    buffer += '"';
}

// The header line: the input names, then the target names.
bool csvHeader(const Dataset &data, std::string &header, std::string &why)
{
    header.clear();
    for (int c = 0; c < data.inputDims + data.targetDims; ++c) {
        const bool input = c < data.inputDims;
        const int column = input ? c : c - data.inputDims;
        const std::string name = input ? data.inputName(column) : data.targetName(column);
        const std::string problem = nameProblem(name);
        if (!problem.empty()) {
            why = "the name " + quotedText(name) + " of " + (input ? "input " : "target ") +
                  std::to_string(column + 1) + " " + problem + "; a CSV header could not keep it";
            return false;
        }
        if (c > 0)
            header += ',';
        appendName(header, name);
    }
    header += '\n';
    return true;
}

} // namespace

bool writeCsv(const std::string &path, const Dataset &data, WriteError &err)
{
    std::string header, why;
    if (!checkWritable(data, why) || !csvHeader(data, header, why)) {
        err = WriteError{path, "check", why, {}};
        return false;
    }
    const std::size_t inputs = std::size_t(data.inputDims), targets = std::size_t(data.targetDims);
    return replaceFileAtomically(
        path,
        [&](const ByteSink &write) {
            std::string buffer = std::move(header);
            buffer.reserve(kChunkBytes + 64 * (inputs + targets));
            const std::size_t points = data.size();
            for (std::size_t i = 0; i < points; ++i) {
                for (std::size_t c = 0; c < inputs; ++c) {
                    appendNumber(buffer, data.x[i * inputs + c]);
                    buffer += ',';
                }
                for (std::size_t c = 0; c < targets; ++c) {
                    appendNumber(buffer, data.y[i * targets + c]);
                    buffer += ',';
                }
                buffer.back() = '\n';
                if (buffer.size() >= kChunkBytes || i + 1 == points) {
                    if (!write(buffer.data(), buffer.size()))
                        return false;
                    buffer.clear();
                }
            }
            return true;
        },
        err);
}

bool writeCsv(const std::string &path, const Dataset &data, std::string &err)
{
    WriteError e;
    if (writeCsv(path, data, e))
        return true;
    err = e.toString();
    return false;
}

} // namespace mdn
