#include "csv.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstring>
#include <memory>
#include <system_error>
#include <utility>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mdn {

namespace {

// Big enough that per-read overhead vanishes, small enough to stay cache- and memory-friendly.
constexpr std::size_t kChunkBytes = std::size_t(1) << 20;
// Error messages quote at most this many bytes of the offending text.
constexpr std::size_t kQuoteBytes = 40;
// For helpers that take the delimiter: text where none applies (inside quotes).
constexpr char kNoDelimiter = '\0';

std::string osReason(int error) { return std::generic_category().message(error); }

bool isSpace(char c, char delimiter) { return c == ' ' || (c == '\t' && delimiter != '\t'); }

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// ---------------------------------------------------------------------------------------------
// UTF-8

bool inRange(unsigned char c, unsigned lo, unsigned hi) { return c >= lo && c <= hi; }

// Length of the well-formed UTF-8 sequence starting at s[pos] (Unicode table 3-7: no overlong
// forms, no surrogates, nothing above U+10FFFF), or 0 when it is not one.
std::size_t utf8SequenceLength(std::string_view s, std::size_t pos)
{
    const auto at = [&](std::size_t i) -> unsigned char {
        return pos + i < s.size() ? static_cast<unsigned char>(s[pos + i]) : 0;
    };
    const unsigned char c = at(0);
    if (c < 0x80)
        return 1;
    unsigned lo = 0x80, hi = 0xBF; // allowed range of the second byte
    std::size_t length = 0;
    if (inRange(c, 0xC2, 0xDF)) {
        length = 2;
    } else if (inRange(c, 0xE0, 0xEF)) {
        length = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (inRange(c, 0xF0, 0xF4)) {
        length = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (!inRange(at(1), lo, hi))
        return 0;
    for (std::size_t i = 2; i < length; ++i)
        if (!inRange(at(i), 0x80, 0xBF))
            return 0;
    return length;
}

// The text for an error message: at most kQuoteBytes bytes, cut on a character boundary, with
// control characters and bytes that are not UTF-8 shown as \xNN so the message stays printable.
std::string quoted(std::string_view text)
{
    static const char hex[] = "0123456789ABCDEF";
    std::string out = "'";
    std::size_t pos = 0;
    while (pos < text.size() && pos < kQuoteBytes) {
        const auto c = static_cast<unsigned char>(text[pos]);
        const std::size_t length = utf8SequenceLength(text, pos);
        if (length == 3 && text.compare(pos, 3, "\xEF\xBB\xBF") == 0) {
            out += "\\uFEFF"; // a byte order mark is invisible when printed
            pos += length;
        } else if (c < 0x20 || c == 0x7F || length == 0) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
            ++pos;
        } else {
            out.append(text, pos, length);
            pos += length;
        }
    }
    if (pos < text.size())
        out += "...";
    out += '\'';
    return out;
}

// ---------------------------------------------------------------------------------------------
// Numbers

enum class NumberStatus { Ok, Empty, NotANumber, NonFinite, Hex, DecimalComma, OutOfRange };

bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::size_t skipDigits(std::string_view s, std::size_t pos)
{
    while (pos < s.size() && isDigit(s[pos]))
        ++pos;
    return pos;
}

// [+-]? (digits ('.' digits?)? | '.' digits) ([eE] [+-]? digits)?  with `point` as the separator.
bool matchesNumberGrammar(std::string_view s, char point)
{
    std::size_t pos = 0;
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-'))
        ++pos;
    const std::size_t intStart = pos;
    pos = skipDigits(s, pos);
    std::size_t mantissaDigits = pos - intStart;
    if (pos < s.size() && s[pos] == point) {
        const std::size_t fracStart = ++pos;
        pos = skipDigits(s, pos);
        mantissaDigits += pos - fracStart;
    }
    if (mantissaDigits == 0)
        return false;
    if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
        ++pos;
        if (pos < s.size() && (s[pos] == '+' || s[pos] == '-'))
            ++pos;
        const std::size_t expStart = pos;
        pos = skipDigits(s, pos);
        if (pos == expStart)
            return false;
    }
    return pos == s.size();
}

// For a grammatical number that from_chars found out of range: true when it is too small for a
// double rather than too large. The decimal order of magnitude of the value decides; overflow
// needs an order above 300 and underflow one below -300, so the sign is enough.
bool isUnderflow(std::string_view s)
{
    std::size_t pos = (s[0] == '+' || s[0] == '-') ? 1 : 0;
    while (pos < s.size() && s[pos] == '0')
        ++pos;
    long long order = 0;
    const std::size_t intStart = pos;
    pos = skipDigits(s, pos);
    order = static_cast<long long>(pos - intStart);
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        if (order == 0) { // 0.000ddd: each leading zero lowers the order
            const std::size_t zeros = pos;
            while (pos < s.size() && s[pos] == '0')
                ++pos;
            order = -static_cast<long long>(pos - zeros);
        }
        pos = skipDigits(s, pos);
    }
    long long exponent = 0;
    if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
        ++pos;
        const bool negative = pos < s.size() && s[pos] == '-';
        if (pos < s.size() && (s[pos] == '+' || s[pos] == '-'))
            ++pos;
        for (; pos < s.size(); ++pos) // saturate: only the sign of the sum matters
            exponent = std::min<long long>(exponent * 10 + (s[pos] - '0'), 1'000'000'000);
        if (negative)
            exponent = -exponent;
    }
    return order + exponent <= 0;
}

bool equalsIgnoringCase(std::string_view s, std::string_view lower)
{
    if (s.size() != lower.size())
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c != lower[i])
            return false;
    }
    return true;
}

std::string_view withoutSign(std::string_view s)
{
    if (!s.empty() && (s[0] == '+' || s[0] == '-'))
        s.remove_prefix(1);
    return s;
}

// nan, inf, infinity in any case and with a sign, and the C library's "nan(payload)".
bool isNonFiniteLiteral(std::string_view s)
{
    s = withoutSign(s);
    if (equalsIgnoringCase(s, "nan") || equalsIgnoringCase(s, "inf") ||
        equalsIgnoringCase(s, "infinity"))
        return true;
    return s.size() >= 5 && equalsIgnoringCase(s.substr(0, 4), "nan(") && s.back() == ')';
}

bool isHexLiteral(std::string_view s)
{
    s = withoutSign(s);
    return s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

NumberStatus scanNumber(std::string_view s, double &out)
{
    if (s.empty())
        return NumberStatus::Empty;
    if (matchesNumberGrammar(s, '.')) {
        // from_chars refuses a leading '+', which the grammar allows.
        const char *first = s.data() + (s[0] == '+' ? 1 : 0);
        const char *last = s.data() + s.size();
        double value = 0.0;
        const auto [ptr, ec] = std::from_chars(first, last, value);
        if (ec == std::errc() && ptr == last) {
            out = value;
            return NumberStatus::Ok;
        }
        if (ec == std::errc::result_out_of_range) {
            if (!isUnderflow(s))
                return NumberStatus::OutOfRange;
            // Too small for a double: the nearest double is a zero, as strtod would give.
            out = s[0] == '-' ? -0.0 : 0.0;
            return NumberStatus::Ok;
        }
        return NumberStatus::NotANumber;
    }
    if (isNonFiniteLiteral(s))
        return NumberStatus::NonFinite;
    if (isHexLiteral(s))
        return NumberStatus::Hex;
    // A digit on both sides: "1," is more likely a stray delimiter than a decimal comma.
    const std::size_t comma = s.find(',');
    if (comma != std::string_view::npos && s.find(',', comma + 1) == std::string_view::npos &&
        comma > 0 && isDigit(s[comma - 1]) && comma + 1 < s.size() && isDigit(s[comma + 1]) &&
        matchesNumberGrammar(s, ','))
        return NumberStatus::DecimalComma;
    return NumberStatus::NotANumber;
}

std::string describe(NumberStatus status, std::string_view s)
{
    switch (status) {
    case NumberStatus::Ok:
        return {};
    case NumberStatus::Empty:
        return "empty cell; every row needs a number for both x and y";
    case NumberStatus::NonFinite:
        return "non-finite value " + quoted(s) + "; only finite numbers are accepted";
    case NumberStatus::Hex:
        return "hexadecimal number " + quoted(s) + " is not accepted; write it in decimal";
    case NumberStatus::OutOfRange:
        return quoted(s) + " is out of range for a double (largest magnitude about 1.8e308)";
    case NumberStatus::DecimalComma: {
        std::string fixed(s);
        std::replace(fixed.begin(), fixed.end(), ',', '.');
        return quoted(s) + " uses a decimal comma; use '.' as the decimal separator, as in " +
               quoted(fixed);
    }
    case NumberStatus::NotANumber:
        break;
    }
    if (startsWith(s, "\xEF\xBB\xBF"))
        return "not a number: " + quoted(s) +
               " starts with a byte order mark, which is only allowed at the start of the file";
    return "not a number: " + quoted(s);
}

// ---------------------------------------------------------------------------------------------
// Lines

bool isBlank(std::string_view line)
{
    return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// ';' when the line has a semicolon outside quotes, else a tab when it has one, else ','.
char detectDelimiter(std::string_view line)
{
    bool inQuotes = false, tab = false;
    for (const char c : line) {
        if (c == '"')
            inQuotes = !inQuotes; // an escaped "" toggles twice, which is right
        else if (!inQuotes && c == ';')
            return ';';
        else if (!inQuotes && c == '\t')
            tab = true;
    }
    return tab ? '\t' : ',';
}

// Removes the spaces around a field, and tabs too unless the tab is the delimiter.
std::string_view trim(std::string_view s, char delimiter)
{
    while (!s.empty() && isSpace(s.front(), delimiter))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back(), delimiter))
        s.remove_suffix(1);
    return s;
}

std::size_t findLineEnd(const char *data, std::size_t pos, std::size_t size)
{
    while (pos < size && data[pos] != '\n' && data[pos] != '\r')
        ++pos;
    return pos;
}

std::string baseName(const std::string &path)
{
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Public helpers

std::string CsvError::toString() const
{
    std::string s = file;
    if (line > 0) {
        s += (s.empty() ? "" : ":") + std::to_string(line);
        if (column > 0)
            s += ":" + std::to_string(column);
    }
    if (!s.empty())
        s += ": ";
    return s + message;
}

bool parseNumber(std::string_view field, double &out, std::string &why)
{
    double value = 0.0;
    const NumberStatus status = scanNumber(field, value);
    if (status != NumberStatus::Ok) {
        why = describe(status, field);
        return false;
    }
    out = value;
    return true;
}

// ---------------------------------------------------------------------------------------------
// CsvStreamParser

CsvStreamParser::CsvStreamParser(std::string name, const CsvLimits &limits,
                                 std::uint64_t expectedBytes)
    : name_(std::move(name)), limits_(limits), expectedBytes_(expectedBytes)
{
    // A row has two fields, so a smaller column limit would refuse every valid row.
    limits_.maxColumns = std::max<std::size_t>(limits_.maxColumns, 2);
}

bool CsvStreamParser::fail(std::size_t line, std::size_t column, std::string message)
{
    failed_ = true;
    err_ = CsvError{name_, line, column, std::move(message)};
    return false;
}

bool CsvStreamParser::lineTooLong()
{
    partial_.clear();
    partial_.shrink_to_fit();
    return fail(lineNo_ + 1, 0,
                "line longer than " + std::to_string(limits_.maxLineBytes) +
                    " bytes; is this really a CSV file of (x, y) rows?");
}

bool CsvStreamParser::feed(std::string_view piece)
{
    if (failed_)
        return false;
    const char *data = piece.data();
    const std::size_t size = piece.size();
    std::size_t pos = 0;
    if (pendingCR_ && size > 0) {
        pendingCR_ = false;
        if (data[0] == '\n') { // the LF of a CRLF split across pieces
            pos = 1;
            ++consumed_;
        }
    }
    while (pos < size) {
        const std::size_t end = findLineEnd(data, pos, size);
        const std::size_t length = partial_.size() + (end - pos);
        if (length > limits_.maxLineBytes)
            return lineTooLong(); // refused before buffering it, however long it gets
        if (end == size) {
            partial_.append(data + pos, size - pos);
            return true;
        }
        bool ok;
        if (partial_.empty()) {
            ok = line(std::string_view(data + pos, end - pos)); // the common case: no copy
        } else {
            partial_.append(data + pos, end - pos);
            ok = line(partial_);
            partial_.clear();
        }
        std::size_t next = end + 1;
        if (data[end] == '\r') {
            if (next == size)
                pendingCR_ = true;
            else if (data[next] == '\n')
                ++next;
        }
        consumed_ += length + (next - end);
        pos = next;
        if (!ok)
            return false;
    }
    return true;
}

bool CsvStreamParser::finish()
{
    if (failed_)
        return false;
    pendingCR_ = false;
    if (!partial_.empty()) { // a last line without a line end
        const bool ok = line(partial_);
        partial_.clear();
        if (!ok)
            return false;
    }
    if (x_.empty()) {
        const char *why = sawHeader_    ? "no data rows: the file has only a header line"
                          : lineNo_ > 0 ? "no data rows: the file has only blank lines"
                                        : "no data rows: the file is empty";
        return fail(0, 0, why);
    }
    return true;
}

void CsvStreamParser::moveInto(Dataset &out)
{
    // The estimate may have over-reserved; give back what is clearly unused.
    if (x_.capacity() > x_.size() + x_.size() / 4 + 1024) {
        x_.shrink_to_fit();
        y_.shrink_to_fit();
    }
    out.x.swap(x_);
    out.y.swap(y_);
    out.name = name_;
    x_.clear();
    y_.clear();
}

// One physical line, without its line end.
bool CsvStreamParser::line(std::string_view text)
{
    ++lineNo_;
    std::size_t offset = 0; // bytes removed from the start, for byte positions in messages
    if (lineNo_ == 1) {
        if (startsWith(text, "\xEF\xBB\xBF")) {
            text.remove_prefix(3);
            offset = 3;
        } else if (startsWith(text, "\xFF\xFE") || startsWith(text, "\xFE\xFF")) {
            return fail(1, 0,
                        "invalid UTF-8: the file is UTF-16 encoded (it starts with a UTF-16 byte "
                        "order mark); save it as UTF-8");
        }
    }
    if (isBlank(text))
        return true;
    if (delimiter_ == 0) {
        delimiter_ = detectDelimiter(text);
        delimiterLine_ = lineNo_;
    }

    Field fields[2];
    std::size_t count = 0;
    if (!splitRow(text, offset, fields, count))
        return false;
    if (count != 2)
        return fail(lineNo_, count < 2 ? count + 1 : 3,
                    "expected 2 fields (x, y), found " + std::to_string(count));

    if (!sawContent_) {
        sawContent_ = true;
        bool isHeader = false;
        if (!checkHeader(fields, isHeader))
            return false;
        if (isHeader) {
            sawHeader_ = true;
            return true;
        }
    }
    return addRow(fields);
}

// A header is a first line of two texts. A line with any number-like field (a number, nan, 1e400,
// "1,5", ...) is taken as data, so that a mistake in it gets reported as such.
bool CsvStreamParser::checkHeader(const Field (&fields)[2], bool &isHeader)
{
    double ignored = 0.0;
    NumberStatus status[2];
    for (std::size_t i = 0; i < 2; ++i)
        status[i] = scanNumber(fields[i].text, ignored);
    const auto text = NumberStatus::NotANumber, empty = NumberStatus::Empty;
    isHeader = status[0] == text && status[1] == text;
    // One name and one empty cell is a header with a name missing: say that, rather than
    // calling the name "not a number".
    for (std::size_t i = 0; i < 2; ++i)
        if (status[i] == empty && status[1 - i] == text)
            return fail(lineNo_, i + 1,
                        "empty cell in the header line; name both columns (e.g. x,y) or remove "
                        "the header");
    return true;
}

// Validates a NUL or non-ASCII byte at text[pos] and steps over its UTF-8 sequence.
bool CsvStreamParser::checkByte(std::string_view text, std::size_t &pos, std::size_t lineOffset,
                                std::size_t field)
{
    const auto c = static_cast<unsigned char>(text[pos]);
    const std::string where = " at byte " + std::to_string(lineOffset + pos + 1) + " of the line";
    if (c == 0)
        return fail(lineNo_, field,
                    "NUL byte" + where +
                        "; this looks like a binary or UTF-16 file, not UTF-8 CSV text");
    const std::size_t length = utf8SequenceLength(text, pos);
    if (length == 0) {
        static const char hex[] = "0123456789ABCDEF";
        return fail(lineNo_, field,
                    std::string("invalid UTF-8 (byte 0x") + hex[c >> 4] + hex[c & 15] + where +
                        "); the file may use another encoding such as Latin-1: save it as UTF-8");
    }
    pos += length;
    return true;
}

// Splits one non-blank line into fields, keeping the first two. Fails on encoding errors, quote
// errors and too many fields; `count` is the number of fields otherwise.
bool CsvStreamParser::splitRow(std::string_view text, std::size_t lineOffset, Field (&fields)[2],
                               std::size_t &count)
{
    const char delimiter = delimiter_;
    const std::size_t size = text.size();
    std::size_t pos = 0;
    for (std::size_t field = 1;; ++field) {
        if (field > limits_.maxColumns) // counting stops here, so hostile rows cost little
            return fail(lineNo_, field,
                        "more than " + std::to_string(limits_.maxColumns) +
                            " fields; expected 2 fields (x, y)");
        while (pos < size && isSpace(text[pos], delimiter))
            ++pos;
        std::string_view content;
        if (pos < size && text[pos] == '"') {
            const std::size_t start = ++pos;
            for (;;) {
                if (pos == size)
                    return fail(lineNo_, field,
                                "unterminated quoted field starting on line " +
                                    std::to_string(lineNo_) +
                                    "; a quoted field must close with '\"' on the same line");
                const auto c = static_cast<unsigned char>(text[pos]);
                if (c == '"') {
                    if (pos + 1 < size && text[pos + 1] == '"') {
                        pos += 2; // an escaped quote
                        continue;
                    }
                    break;
                }
                if (c == 0 || c >= 0x80) {
                    if (!checkByte(text, pos, lineOffset, field))
                        return false;
                } else {
                    ++pos;
                }
            }
            // Inside quotes no character is a delimiter, so spaces and tabs are both trimmed.
            content = trim(text.substr(start, pos - start), kNoDelimiter);
            ++pos; // the closing quote
            while (pos < size && isSpace(text[pos], delimiter))
                ++pos;
            if (pos < size && text[pos] != delimiter)
                return fail(lineNo_, field,
                            "unexpected text after the closing quote: " +
                                quoted(text.substr(pos, text.find(delimiter, pos) - pos)));
        } else {
            const std::size_t start = pos;
            while (pos < size) {
                const auto c = static_cast<unsigned char>(text[pos]);
                if (c == static_cast<unsigned char>(delimiter))
                    break;
                if (c == '"')
                    return fail(lineNo_, field,
                                "quote character '\"' inside an unquoted field; quote the whole "
                                "field or remove the quote");
                if (c == 0 || c >= 0x80) {
                    if (!checkByte(text, pos, lineOffset, field))
                        return false;
                } else {
                    ++pos;
                }
            }
            content = trim(text.substr(start, pos - start), delimiter);
        }
        if (field <= 2)
            fields[field - 1].text = content;
        if (pos == size) {
            count = field;
            return true;
        }
        ++pos; // the delimiter
    }
}

// Text like "1 ,2" in a field usually means the delimiter detected from the first line is not
// the one the file uses; say which one was chosen and why.
std::string CsvStreamParser::delimiterHint(std::string_view field) const
{
    if (field.find_first_of(",;\t") == std::string_view::npos)
        return {};
    const char *name = delimiter_ == ';' ? "';'" : delimiter_ == '\t' ? "a tab" : "','";
    return std::string("; the delimiter is ") + name + ", detected from line " +
           std::to_string(delimiterLine_) +
           " (';' if it has one outside quotes, else a tab if it has one, else ',')";
}

bool CsvStreamParser::addRow(const Field (&fields)[2])
{
    double value[2] = {0.0, 0.0};
    for (std::size_t i = 0; i < 2; ++i) {
        const NumberStatus status = scanNumber(fields[i].text, value[i]);
        if (status == NumberStatus::NotANumber)
            return fail(lineNo_, i + 1,
                        describe(status, fields[i].text) + delimiterHint(fields[i].text));
        if (status != NumberStatus::Ok)
            return fail(lineNo_, i + 1, describe(status, fields[i].text));
    }
    if (x_.size() >= limits_.maxRows)
        return fail(lineNo_, 0, "more than " + std::to_string(limits_.maxRows) + " data rows");
    if (!reserved_ && x_.size() == 1024)
        reserveFromEstimate();
    x_.push_back(value[0]);
    y_.push_back(value[1]);
    return true;
}

// Once the first rows show the bytes per row, reserve for the whole input: one allocation instead
// of repeated doubling, which would also briefly need 1.5x the final memory while copying.
void CsvStreamParser::reserveFromEstimate()
{
    reserved_ = true;
    if (expectedBytes_ == 0 || consumed_ == 0)
        return;
    const double bytesPerRow = double(consumed_) / double(x_.size());
    const double estimate = double(expectedBytes_) / bytesPerRow * 1.02 + 64.0;
    // A row takes at least 4 bytes ("1,2\n"), which bounds the estimate by the input size.
    const double cap = std::min(double(limits_.maxRows), double(expectedBytes_) / 4.0 + 64.0);
    const auto rows = static_cast<std::size_t>(std::min(estimate, cap));
    if (rows > x_.size()) {
        x_.reserve(rows);
        y_.reserve(rows);
    }
}

// ---------------------------------------------------------------------------------------------
// Whole-text and file entry points

bool parseCsv(std::string_view text, const std::string &name, Dataset &out, CsvError &err,
              const CsvLimits &limits)
{
    CsvStreamParser parser(name, limits, text.size());
    if (!parser.feed(text) || !parser.finish()) {
        err = parser.error();
        return false;
    }
    parser.moveInto(out);
    return true;
}

namespace {

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }
    FileDescriptor(const FileDescriptor &) = delete;
    FileDescriptor &operator=(const FileDescriptor &) = delete;
    int get() const { return fd_; }
    // Closes now and reports the result: for written files close() can be the first to see an
    // error (NFS, quotas).
    int close()
    {
        const int result = ::close(fd_);
        fd_ = -1;
        return result;
    }

private:
    int fd_;
};

const char *fileKind(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISFIFO(mode))
        return "a pipe (FIFO)";
    if (S_ISSOCK(mode))
        return "a socket";
    return "a special file";
}

// Refuses anything but a regular file; directories get the OS's own wording.
bool checkRegular(mode_t mode, std::string &why)
{
    if (S_ISREG(mode))
        return true;
    if (S_ISDIR(mode))
        why = "cannot read: " + osReason(EISDIR);
    else
        why = std::string("not a regular file (it is ") + fileKind(mode) + ")";
    return false;
}

ssize_t readSome(int fd, char *buffer, std::size_t size)
{
    for (;;) {
        const ssize_t got = ::read(fd, buffer, size);
        if (got >= 0 || errno != EINTR)
            return got;
    }
}

} // namespace

bool readCsv(const std::string &path, Dataset &out, CsvError &err, const CsvLimits &limits,
             const std::function<void(std::uint64_t, std::uint64_t)> &progress,
             const std::atomic<bool> *cancel)
{
    const auto failWith = [&](std::string message) {
        err = CsvError{path, 0, 0, std::move(message)};
        return false;
    };
    std::string why;
    // stat() before open(): opening a FIFO would block, and opening some devices has effects.
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0)
        return failWith("cannot open: " + osReason(errno));
    if (!checkRegular(info.st_mode, why))
        return failWith(why);
    // O_NONBLOCK (no effect on regular files) keeps a file swapped in since stat() from blocking.
    FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (file.get() < 0)
        return failWith("cannot open: " + osReason(errno));
    if (::fstat(file.get(), &info) != 0)
        return failWith("cannot read: " + osReason(errno));
    if (!checkRegular(info.st_mode, why))
        return failWith(why);

    const auto total = static_cast<std::uint64_t>(info.st_size);
    CsvStreamParser parser(path, limits, total);
    const std::unique_ptr<char[]> buffer(new char[kChunkBytes]);
    std::uint64_t done = 0;
    for (;;) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return failWith("cancelled");
        const ssize_t got = readSome(file.get(), buffer.get(), kChunkBytes);
        if (got < 0)
            return failWith("read error: " + osReason(errno));
        if (got == 0)
            break;
        done += static_cast<std::uint64_t>(got);
        if (!parser.feed(std::string_view(buffer.get(), static_cast<std::size_t>(got)))) {
            err = parser.error();
            return false;
        }
        if (progress)
            progress(done, std::max(total, done)); // a growing file must not exceed 100 %
    }
    // A writer still at work could have left a half-written last line that parses as a wrong
    // number; refuse rather than load something the file no longer holds.
    if (::fstat(file.get(), &info) == 0 && static_cast<std::uint64_t>(info.st_size) != done)
        return failWith("the file changed while it was being read (" + std::to_string(done) +
                        " bytes read, now " + std::to_string(info.st_size) +
                        " bytes); try again once it is complete");
    if (!parser.finish()) {
        err = parser.error();
        return false;
    }
    parser.moveInto(out);
    out.name = baseName(path);
    return true;
}

// ---------------------------------------------------------------------------------------------
// Writing

namespace {

bool writeAll(int fd, const char *data, std::size_t size)
{
    while (size > 0) {
        const ssize_t written = ::write(fd, data, size);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += written;
        size -= static_cast<std::size_t>(written);
    }
    return true;
}

void appendNumber(std::string &buffer, double value)
{
    char text[32]; // the shortest round-trip form of a double needs at most 24 characters
    const auto result = std::to_chars(text, text + sizeof text, value);
    buffer.append(text, result.ptr);
}

// Temporary files are named ".<target name><kTemporaryMarker><pid>-<n>": hidden, next to their
// target, and recognisable with their writer's process id, so that the leftovers of a writer that
// was killed (kill -9, power loss) can be told from the files of a save still at work.
constexpr std::string_view kTemporaryMarker = ".mdnviz-tmp-";
// A long target name is shortened in the temporary name, which must stay under NAME_MAX (255).
constexpr std::size_t kTemporaryBaseBytes = 180;

// When this process started, near enough: a temporary file older than that is not from one of
// its own saves, nor from any save that began after it.
const std::chrono::system_clock::time_point kProcessStart = std::chrono::system_clock::now();

std::string directoryOf(const std::string &path)
{
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

// Creates a new, unique file next to `path` with the usual permissions (0666 minus umask).
int createTemporary(const std::string &path, std::string &temporary)
{
    static std::atomic<unsigned> counter{0};
    const std::string dir = directoryOf(path);
    std::string base = path.substr(dir.size());
    if (base.size() > kTemporaryBaseBytes) {
        std::size_t cut = kTemporaryBaseBytes;
        while (cut > 0 && (static_cast<unsigned char>(base[cut]) & 0xC0) == 0x80)
            --cut; // not inside a UTF-8 sequence
        base.resize(cut);
    }
    for (int attempt = 0; attempt < 100; ++attempt) {
        temporary = dir + "." + base + std::string(kTemporaryMarker) + std::to_string(::getpid()) +
                    "-" + std::to_string(counter.fetch_add(1));
        const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

// The writer's process id in a temporary file's name, or 0 when the name is not one of ours.
pid_t temporaryOwner(std::string_view name)
{
    const std::size_t at = name.rfind(kTemporaryMarker);
    if (name.size() < 2 || name[0] != '.' || at == std::string_view::npos || at == 0)
        return 0;
    std::string_view rest = name.substr(at + kTemporaryMarker.size());
    const std::size_t dash = rest.find('-');
    if (dash == 0 || dash == std::string_view::npos || dash > 9 || dash + 1 == rest.size())
        return 0;
    for (std::size_t i = 0; i < rest.size(); ++i)
        if (i != dash && !isDigit(rest[i]))
            return 0;
    pid_t pid = 0;
    for (std::size_t i = 0; i < dash; ++i)
        pid = pid * 10 + (rest[i] - '0');
    return pid;
}

// Removes the temporary files a killed writer left in `dir`: those whose writer process no
// longer exists and which are older than this process. A file whose writer is alive (another
// instance saving right now) or cannot be checked (another user's process) stays. Best effort:
// the save itself has succeeded whatever happens here.
void removeStaleTemporaries(const std::string &dir)
{
    DIR *listing = ::opendir(dir.empty() ? "." : dir.c_str());
    if (!listing)
        return;
    const int dirFd = ::dirfd(listing);
    const pid_t self = ::getpid();
    while (const dirent *entry = ::readdir(listing)) {
        const pid_t owner = temporaryOwner(entry->d_name);
        if (owner <= 0 || owner == self) // kill(0, ...) would mean our own process group
            continue;
        if (::kill(owner, 0) == 0 || errno != ESRCH)
            continue;
        struct stat info {};
        if (::fstatat(dirFd, entry->d_name, &info, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(info.st_mode))
            continue;
        const auto modified = std::chrono::system_clock::time_point(
            std::chrono::duration_cast<std::chrono::system_clock::duration>(
                std::chrono::seconds(info.st_mtim.tv_sec) +
                std::chrono::nanoseconds(info.st_mtim.tv_nsec)));
        if (modified < kProcessStart)
            ::unlinkat(dirFd, entry->d_name, 0);
    }
    ::closedir(listing);
}

// Best effort: makes the rename itself durable. The data is already safe when this fails.
void syncDirectoryOf(const std::string &path)
{
    const std::size_t slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

bool checkWritable(const Dataset &data, std::string &why)
{
    if (data.x.size() != data.y.size()) {
        why = "x has " + std::to_string(data.x.size()) + " values but y has " +
              std::to_string(data.y.size());
        return false;
    }
    if (data.x.empty()) {
        why = "the dataset is empty (a CSV file without data rows could not be loaded again)";
        return false;
    }
    for (std::size_t i = 0; i < data.x.size(); ++i) {
        if (!std::isfinite(data.x[i]) || !std::isfinite(data.y[i])) {
            why = "point " + std::to_string(i + 1) +
                  " has a non-finite value; only finite numbers can be written";
            return false;
        }
    }
    return true;
}

} // namespace

namespace {

// Follows symbolic links (relative targets from the link's folder) until a path that is not one;
// false after 40 links, as the kernel's ELOOP.
bool followLinks(std::string &path)
{
    for (int hops = 0; hops < 40; ++hops) {
        struct stat info {};
        if (::lstat(path.c_str(), &info) != 0 || !S_ISLNK(info.st_mode))
            return true;
        std::string target(std::size_t(PATH_MAX), '\0');
        const ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
        if (n < 0)
            return true; // vanished meanwhile: treated as a new file
        target.resize(std::size_t(n));
        path = !target.empty() && target[0] == '/' ? target : directoryOf(path) + target;
    }
    return false;
}

} // namespace

bool checkOutputTarget(const std::string &path, std::string &resolved, std::string &err)
{
    const std::string prefix = "cannot write '" + path + "': ";
    if (path.empty() || path.back() == '/') {
        err = prefix + "not a file name";
        return false;
    }
    resolved = path;
    if (!followLinks(resolved)) {
        err = prefix + "too many levels of symbolic links";
        return false;
    }
    const std::string via = resolved == path ? std::string() : " (the target of the link, '" + resolved + "')";
    const std::string dir = directoryOf(resolved);
    struct stat folder {};
    const bool found = ::stat(dir.empty() ? "." : dir.c_str(), &folder) == 0;
    if (!found || !S_ISDIR(folder.st_mode)) {
        err = prefix + "the folder '" + (dir.empty() ? std::string(".") : dir) + "'" + via + ": " +
              osReason(found ? ENOTDIR : errno);
        return false;
    }
    struct stat existing {};
    if (::stat(resolved.c_str(), &existing) != 0)
        return true; // a new file
    if (!S_ISREG(existing.st_mode)) {
        err = prefix + "it is " + fileKind(existing.st_mode) + via + ", not a regular file";
        return false;
    }
    // Root may write anything, so the mode bits are asked as well as access().
    if ((existing.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0 || ::access(resolved.c_str(), W_OK) != 0) {
        err = prefix + "the file" + via + " is read-only; mdnviz does not replace a read-only file " +
              "(make it writable, or choose another name)";
        return false;
    }
    return true;
}

namespace {

// The atomic replacement behind every writer: produce(write) hands the content to write(data,
// size), which appends it to a temporary file next to `path` and returns false on an error;
// produce returns false to give up. Then fsync, close and rename over `path`, each checked. On
// any failure `path` is untouched, the temporary file is removed and err says which step failed
// on which file, and why. Afterwards the temporary files of killed writers are removed.
bool replaceAtomically(const std::string &path,
                       const std::function<bool(const std::function<bool(const char *, std::size_t)> &)> &produce,
                       std::string &err)
{
    const std::string prefix = "cannot write '" + path + "': ";
    std::string target;
    if (!checkOutputTarget(path, target, err))
        return false;
    struct stat existing {};
    const bool exists = ::stat(target.c_str(), &existing) == 0;
    std::string temporary;
    FileDescriptor file(createTemporary(target, temporary));
    if (file.get() < 0) {
        const std::string reason = osReason(errno);
        err = prefix + "cannot create a temporary file '" + temporary + "': " + reason;
        return false;
    }
    // Every failure from here on removes the temporary file; the target was never touched.
    const auto failWith = [&](const char *step, const char *rest = "") {
        const std::string reason = osReason(errno); // before anything else can change errno
        err = prefix + step + " '" + temporary + "'" + rest + " failed: " + reason;
        if (file.get() >= 0)
            file.close();
        ::unlink(temporary.c_str());
        return false;
    };
    // Replacing a file keeps its permissions, as editors do.
    if (exists)
        ::fchmod(file.get(), existing.st_mode & 07777);

    if (!produce([&](const char *data, std::size_t size) { return writeAll(file.get(), data, size); }))
        return failWith("writing");
    if (::fsync(file.get()) != 0)
        return failWith("fsync of");
    if (file.close() != 0)
        return failWith("closing");
    if (::rename(temporary.c_str(), target.c_str()) != 0)
        return failWith("renaming", " over it");
    syncDirectoryOf(target);
    removeStaleTemporaries(directoryOf(target));
    return true;
}

} // namespace

bool writeCsv(const std::string &path, const Dataset &data, std::string &err)
{
    std::string why;
    if (!checkWritable(data, why)) {
        err = "cannot write '" + path + "': " + why;
        return false;
    }
    return replaceAtomically(
        path,
        [&data](const std::function<bool(const char *, std::size_t)> &write) {
            std::string buffer = "x,y\n";
            buffer.reserve(kChunkBytes + 64);
            for (std::size_t i = 0; i < data.x.size(); ++i) {
                appendNumber(buffer, data.x[i]);
                buffer += ',';
                appendNumber(buffer, data.y[i]);
                buffer += '\n';
                if (buffer.size() >= kChunkBytes || i + 1 == data.x.size()) {
                    if (!write(buffer.data(), buffer.size()))
                        return false;
                    buffer.clear();
                }
            }
            return true;
        },
        err);
}

bool writeFileAtomically(const std::string &path, std::string_view bytes, std::string &err)
{
    return replaceAtomically(
        path,
        [bytes](const std::function<bool(const char *, std::size_t)> &write) {
            return write(bytes.data(), bytes.size());
        },
        err);
}

} // namespace mdn
