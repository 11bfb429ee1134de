#include "csv.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mdn {

namespace {

// Big enough that per-read overhead vanishes, small enough to stay cache- and memory-friendly.
constexpr std::size_t kChunkBytes = std::size_t(1) << 20;
// readCsvHeader reads only the first lines: smaller pieces.
constexpr std::size_t kHeaderChunkBytes = std::size_t(64) << 10;
// For helpers that take the delimiter: text where none applies (inside quotes).
constexpr char kNoDelimiter = '\0';
// The byte order mark, allowed (and skipped) at the start of the file.
constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string osReason(int error) { return std::generic_category().message(error); }

bool isSpace(char c, char delimiter) { return c == ' ' || (c == '\t' && delimiter != '\t'); }

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

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

// The first '\n' or '\r' at or after pos, or size. Eight bytes at a time where the platform is
// little-endian: a byte b of a word w equals c when (w ^ c*ones) has a zero byte there, and
// (v - ones) & ~v & highs flags the lowest zero byte of v exactly (higher flags may be false,
// which the lowest-bit count ignores).
std::size_t findLineEnd(const char *data, std::size_t pos, std::size_t size)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    while (size - pos >= 8) {
        std::uint64_t word;
        std::memcpy(&word, data + pos, sizeof word);
        const std::uint64_t lf = word ^ (ones * '\n'), cr = word ^ (ones * '\r');
        const std::uint64_t hits = (((lf - ones) & ~lf) | ((cr - ones) & ~cr)) & highs;
        if (hits != 0)
            return pos + std::size_t(__builtin_ctzll(hits) / 8);
        pos += 8;
    }
#endif
    while (pos < size && data[pos] != '\n' && data[pos] != '\r')
        ++pos;
    return pos;
}

std::string baseName(const std::string &path)
{
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A header field's text: only a quoted field can hold a quote, written twice ("").
std::string unescapeQuotes(std::string_view field)
{
    std::string out(field);
    std::size_t at = 0;
    while ((at = out.find("\"\"", at)) != std::string::npos)
        out.erase(at++, 1);
    return out;
}

// "1 field" / "3 fields".
std::string fieldCount(std::size_t n)
{
    return std::to_string(n) + (n == 1 ? " field" : " fields");
}

} // namespace

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

// ---------------------------------------------------------------------------------------------
// CsvStreamParser: lines

CsvStreamParser::CsvStreamParser(std::string name, const CsvLimits &limits,
                                 std::uint64_t expectedBytes, CsvColumns columns)
    : m_name(std::move(name)), m_limits(limits), m_expectedBytes(expectedBytes),
      m_selection(std::move(columns))
{
    // A row has at least two fields, so a smaller column limit would refuse every valid row.
    m_limits.maxColumns = std::max<std::size_t>(m_limits.maxColumns, 2);
}

bool CsvStreamParser::fail(std::size_t line, std::size_t column, std::string message)
{
    m_failed = true;
    m_err = CsvError{m_name, line, column, std::move(message)};
    return false;
}

bool CsvStreamParser::lineTooLong()
{
    m_partial.clear();
    m_partial.shrink_to_fit();
    return fail(m_lineNo + 1, 0,
                "line longer than " + std::to_string(m_limits.maxLineBytes) +
                    " bytes; is this really a CSV file of numeric rows?");
}

bool CsvStreamParser::feed(std::string_view piece)
{
    if (m_failed)
        return false;
    const char *data = piece.data();
    const std::size_t size = piece.size();
    std::size_t pos = 0;
    if (m_pendingCR && size > 0) {
        m_pendingCR = false;
        if (data[0] == '\n') { // the LF of a CRLF split across pieces
            pos = 1;
            ++m_consumed;
        }
    }
    while (pos < size) {
        const std::size_t end = findLineEnd(data, pos, size);
        const std::size_t length = m_partial.size() + (end - pos);
        if (length > m_limits.maxLineBytes)
            return lineTooLong(); // refused before buffering it, however long it gets
        if (end == size) {
            m_partial.append(data + pos, size - pos);
            return true;
        }
        bool ok;
        if (m_partial.empty()) {
            ok = line(std::string_view(data + pos, end - pos)); // the common case: no copy
        } else {
            m_partial.append(data + pos, end - pos);
            ok = line(m_partial);
            m_partial.clear();
        }
        std::size_t next = end + 1;
        if (data[end] == '\r') {
            if (next == size)
                m_pendingCR = true;
            else if (data[next] == '\n')
                ++next;
        }
        m_consumed += length + (next - end);
        pos = next;
        if (!ok)
            return false;
        if (m_done)
            return true;
    }
    return true;
}

bool CsvStreamParser::finish()
{
    if (m_failed)
        return false;
    m_pendingCR = false;
    if (!m_partial.empty()) { // a last line without a line end
        const bool ok = line(m_partial);
        m_partial.clear();
        if (!ok)
            return false;
    }
    if (m_rows == 0) {
        const char *why = m_sawHeader    ? "no data rows: the file has only a header line"
                          : m_lineNo > 0 ? "no data rows: the file has only blank lines"
                                         : "no data rows: the file is empty";
        return fail(0, 0, why);
    }
    return true;
}

void CsvStreamParser::moveInto(Dataset &out)
{
    // The estimate may have over-reserved; give back what is clearly unused.
    if (m_x.capacity() > m_x.size() + m_x.size() / 4 + 1024) {
        m_x.shrink_to_fit();
        m_y.shrink_to_fit();
    }
    out.x.swap(m_x);
    out.y.swap(m_y);
    out.inputDims = int(m_inputColumns.size());
    out.targetDims = int(m_targetColumns.size());
    out.inputNames.clear();
    out.targetNames.clear();
    if (!m_header.empty()) {
        for (const std::size_t c : m_inputColumns)
            out.inputNames.push_back(m_header[c]);
        for (const std::size_t c : m_targetColumns)
            out.targetNames.push_back(m_header[c]);
    }
    out.name = m_name;
    m_x.clear();
    m_y.clear();
    m_rows = 0;
}

// One physical line, without its line end.
bool CsvStreamParser::line(std::string_view text)
{
    ++m_lineNo;
    std::size_t offset = 0; // bytes removed from the start, for byte positions in messages
    if (m_lineNo == 1) {
        if (startsWith(text, kBom)) {
            text.remove_prefix(kBom.size());
            offset = kBom.size();
        } else if (startsWith(text, "\xFF\xFE") || startsWith(text, "\xFE\xFF")) {
            return fail(1, 0,
                        "invalid UTF-8: the file is UTF-16 encoded (it starts with a UTF-16 byte "
                        "order mark); save it as UTF-8");
        }
    }
    if (isBlank(text))
        return true;
    if (m_delimiter == 0) {
        m_delimiter = detectDelimiter(text);
        m_delimiterLine = m_lineNo;
    }

    std::size_t count = 0;
    if (!splitRow(text, offset, count))
        return false;
    if (m_columns == 0) {
        bool isHeader = false;
        if (!firstRow(count, isHeader))
            return false;
        if (isHeader || m_done)
            return true;
    } else if (count != m_columns) {
        return fail(m_lineNo, std::min(count, m_columns) + 1,
                    "expected " + fieldCount(m_columns) + " (as on line " +
                        std::to_string(m_columnsLine) + "), found " + std::to_string(count));
    }
    return addRow();
}

// The first non-blank line sets the number of columns and may be the header; then the selected
// columns are looked up.
bool CsvStreamParser::firstRow(std::size_t count, bool &isHeader)
{
    if (count < 2)
        return fail(m_lineNo, count + 1,
                    "expected at least 2 fields (an input and a target), found " +
                        std::to_string(count));
    if (!checkHeader(count, isHeader))
        return false;
    m_columns = count;
    m_columnsLine = m_lineNo;
    if (isHeader) {
        m_sawHeader = true;
        m_header.reserve(count);
        for (std::size_t i = 0; i < count; ++i)
            m_header.push_back(unescapeQuotes(m_fields[i]));
    }
    if (m_headerOnly) {
        m_done = true;
        return true;
    }
    m_values.assign(count, 0.0);
    return selectColumns();
}

// A header is a first line of texts. A line with any number-like field (a number, nan, 1e400,
// "1,5", ...) is taken as data, so that a mistake in it gets reported as such.
bool CsvStreamParser::checkHeader(std::size_t count, bool &isHeader)
{
    double ignored = 0.0;
    bool anyText = false;
    std::size_t firstEmpty = 0;
    isHeader = false;
    for (std::size_t i = 0; i < count; ++i) {
        const NumberStatus status = scanNumber(m_fields[i], ignored);
        if (status == NumberStatus::Empty) {
            if (firstEmpty == 0)
                firstEmpty = i + 1;
        } else if (status == NumberStatus::NotANumber) {
            anyText = true;
        } else {
            return true; // number-like: data
        }
    }
    if (!anyText)
        return true; // only empty cells: data, refused as such
    // Names and empty cells is a header with a name missing: say that, rather than calling the
    // names "not a number".
    if (firstEmpty > 0)
        return fail(m_lineNo, firstEmpty,
                    "empty cell in the header line; name every column (e.g. x,y) or remove the "
                    "header");
    isHeader = true;
    return true;
}

// Validates a NUL or non-ASCII byte at text[pos]: the length of its UTF-8 sequence, or 0 after
// failing. (pos by value: the byte loops that call this keep theirs in a register.)
std::size_t CsvStreamParser::checkByte(std::string_view text, std::size_t pos,
                                       std::size_t lineOffset, std::size_t field)
{
    const auto c = static_cast<unsigned char>(text[pos]);
    const auto where = [&] {
        return " at byte " + std::to_string(lineOffset + pos + 1) + " of the line";
    };
    if (c == 0) {
        fail(m_lineNo, field,
             "NUL byte" + where() + "; this looks like a binary or UTF-16 file, not UTF-8 CSV text");
        return 0;
    }
    const std::size_t length = utf8SequenceLength(text, pos);
    if (length == 0) {
        static const char hex[] = "0123456789ABCDEF";
        fail(m_lineNo, field,
             std::string("invalid UTF-8 (byte 0x") + hex[c >> 4] + hex[c & 15] + where() +
                 "); the file may use another encoding such as Latin-1: save it as UTF-8");
    }
    return length;
}

// Splits one non-blank line into m_fields. Fails on encoding errors, quote errors and too many
// fields; `count` is the number of fields otherwise.
bool CsvStreamParser::splitRow(std::string_view text, std::size_t lineOffset, std::size_t &count)
{
    const char delimiter = m_delimiter;
    const std::size_t size = text.size();
    std::string_view *fields = m_fields.data();
    std::size_t fieldsSize = m_fields.size();
    std::size_t pos = 0;
    for (std::size_t field = 1;; ++field) {
        if (field > m_limits.maxColumns) // counting stops here, so hostile rows cost little
            return fail(m_lineNo, field,
                        "more than " + std::to_string(m_limits.maxColumns) + " fields" +
                            (m_columns > 0
                                 ? "; expected " + fieldCount(m_columns) + " (as on line " +
                                       std::to_string(m_columnsLine) + ")"
                                 : std::string()));
        while (pos < size && isSpace(text[pos], delimiter))
            ++pos;
        std::string_view content;
        if (pos < size && text[pos] == '"') {
            const std::size_t start = ++pos;
            for (;;) {
                if (pos == size)
                    return fail(m_lineNo, field,
                                "unterminated quoted field starting on line " +
                                    std::to_string(m_lineNo) +
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
                    const std::size_t length = checkByte(text, pos, lineOffset, field);
                    if (length == 0)
                        return false;
                    pos += length;
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
                return fail(m_lineNo, field,
                            "unexpected text after the closing quote: " +
                                quotedText(text.substr(pos, text.find(delimiter, pos) - pos)));
        } else {
            const std::size_t start = pos;
            while (pos < size) {
                const auto c = static_cast<unsigned char>(text[pos]);
                if (c == static_cast<unsigned char>(delimiter))
                    break;
                if (c == '"')
                    return fail(m_lineNo, field,
                                "quote character '\"' inside an unquoted field; quote the whole "
                                "field or remove the quote");
                if (c == 0 || c >= 0x80) {
                    const std::size_t length = checkByte(text, pos, lineOffset, field);
                    if (length == 0)
                        return false;
                    pos += length;
                } else {
                    ++pos;
                }
            }
            content = trim(text.substr(start, pos - start), delimiter);
        }
        if (field > fieldsSize) { // grows over the first rows only
            m_fields.resize(field);
            fields = m_fields.data();
            fieldsSize = m_fields.size();
        }
        fields[field - 1] = content;
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
    const char *name = m_delimiter == ';' ? "';'" : m_delimiter == '\t' ? "a tab" : "','";
    return std::string("; the delimiter is ") + name + ", detected from line " +
           std::to_string(m_delimiterLine) +
           " (';' if it has one outside quotes, else a tab if it has one, else ',')";
}

// Every field must be a number, used or not; then the selected ones make the point.
bool CsvStreamParser::addRow()
{
    const std::size_t n = m_columns;
    const std::string_view *fields = m_fields.data();
    double *values = m_values.data();
    for (std::size_t i = 0; i < n; ++i) {
        const NumberStatus status = scanNumber(fields[i], values[i]);
        if (status == NumberStatus::Ok)
            continue;
        std::string message = describeNumber(status, fields[i]);
        if (status == NumberStatus::NotANumber)
            message += delimiterHint(fields[i]);
        return fail(m_lineNo, i + 1, std::move(message));
    }
    if (m_rows >= m_limits.maxRows)
        return fail(m_lineNo, 0, "more than " + std::to_string(m_limits.maxRows) + " data rows");
    if (!m_reserved && m_rows == 1024)
        reserveFromEstimate();
    if (m_inputColumns.size() == 1 && m_targetColumns.size() == 1) { // the usual (x, y)
        m_x.push_back(values[m_inputColumns[0]]);
        m_y.push_back(values[m_targetColumns[0]]);
    } else {
        for (const std::size_t c : m_inputColumns)
            m_x.push_back(values[c]);
        for (const std::size_t c : m_targetColumns)
            m_y.push_back(values[c]);
    }
    ++m_rows;
    return true;
}

// Once the first rows show the bytes per row, reserve for the whole input: one allocation instead
// of repeated doubling, which would also briefly need 1.5x the final memory while copying.
void CsvStreamParser::reserveFromEstimate()
{
    m_reserved = true;
    if (m_expectedBytes == 0 || m_consumed == 0)
        return;
    const double bytesPerRow = double(m_consumed) / double(m_rows);
    const double estimate = double(m_expectedBytes) / bytesPerRow * 1.02 + 64.0;
    // A row takes at least 2 bytes per field ("1,2\n"), which bounds the estimate by the input.
    const double cap =
        std::min(double(m_limits.maxRows), double(m_expectedBytes) / double(2 * m_columns) + 64.0);
    const auto rows = static_cast<std::size_t>(std::min(estimate, cap));
    if (rows > m_rows) {
        m_x.reserve(rows * m_inputColumns.size());
        m_y.reserve(rows * m_targetColumns.size());
    }
}

// ---------------------------------------------------------------------------------------------
// CsvStreamParser: the column selection

// "'speed' (column 2)" with a header, "column 2" without.
std::string CsvStreamParser::columnLabel(std::size_t column) const
{
    const std::string number = "column " + std::to_string(column + 1);
    return m_header.empty() ? number : quotedText(m_header[column]) + " (" + number + ")";
}

// What the file offers, for messages about a column it does not have.
std::string CsvStreamParser::columnList() const
{
    const std::string range = "1 to " + std::to_string(m_columns);
    if (m_header.empty())
        return "the file has no header line, so its " + std::to_string(m_columns) +
               " columns are chosen by number, " + range;
    std::string list = "the columns are ";
    for (std::size_t c = 0; c < m_header.size(); ++c)
        list += (c > 0 ? ", " : "") + quotedText(m_header[c]);
    return list + " (or their numbers, " + range + ")";
}

// One entry of the selection: a header name, else a 1-based column number.
bool CsvStreamParser::resolveColumn(const std::string &entry, const char *role, std::size_t &column)
{
    const std::string_view wanted = trim(entry, kNoDelimiter);
    std::size_t matches = 0;
    for (std::size_t c = 0; c < m_header.size(); ++c) {
        if (m_header[c] == wanted) {
            if (matches++ > 0)
                return fail(0, 0,
                            "column name " + quotedText(wanted) + " (asked for the " + role +
                                ") is ambiguous: columns " + std::to_string(column + 1) + " and " +
                                std::to_string(c + 1) +
                                " have that name; choose the column by its number");
            column = c;
        }
    }
    if (matches == 1)
        return true;
    // A header name is never number-like, so a number can only mean a position.
    std::size_t number = 0;
    const char *end = wanted.data() + wanted.size();
    const auto [ptr, ec] = std::from_chars(wanted.data(), end, number);
    const bool isNumber = !wanted.empty() && ec == std::errc() && ptr == end;
    if (isNumber && number >= 1 && number <= m_columns) {
        column = number - 1;
        return true;
    }
    const bool allDigits =
        !wanted.empty() &&
        std::all_of(wanted.begin(), wanted.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    const std::string asked = allDigits ? std::string(wanted) : quotedText(wanted);
    return fail(0, 0, "no column " + asked + " (asked for the " + role + "); " + columnList());
}

// Turns the selection into column positions, once the first line has told the columns.
bool CsvStreamParser::selectColumns()
{
    const std::size_t n = m_columns;
    m_inputColumns.clear();
    m_targetColumns.clear();
    if (m_selection.inputs.empty() && m_selection.targets.empty()) {
        for (std::size_t c = 0; c + 1 < n; ++c)
            m_inputColumns.push_back(c);
        m_targetColumns.push_back(n - 1);
        return true;
    }
    enum Role : char { Unused, Input, Target };
    std::vector<char> role(n, Unused);
    const auto resolveAll = [&](const std::vector<std::string> &entries, Role as,
                                std::vector<std::size_t> &into) {
        const char *name = as == Input ? "inputs" : "targets";
        for (const std::string &entry : entries) {
            std::size_t c = 0;
            if (!resolveColumn(entry, name, c))
                return false;
            if (role[c] != Unused)
                return fail(0, 0,
                            columnLabel(c) + " is selected " +
                                (role[c] == as ? std::string("twice as ") +
                                                     (as == Input ? "an input" : "a target")
                                               : std::string("both as an input and as a target")) +
                                "; each column can be used once");
            role[c] = as;
            into.push_back(c);
        }
        return true;
    };
    if (!resolveAll(m_selection.inputs, Input, m_inputColumns) ||
        !resolveAll(m_selection.targets, Target, m_targetColumns))
        return false;
    // An empty list gets every column the other does not name.
    const auto rest = [&](std::vector<std::size_t> &into, const char *name, const char *other) {
        for (std::size_t c = 0; c < n; ++c)
            if (role[c] == Unused)
                into.push_back(c);
        if (into.empty())
            return fail(0, 0,
                        std::string("no column is left for the ") + name + ": the " + other +
                            " take all " + std::to_string(n) + " columns");
        return true;
    };
    if (m_inputColumns.empty())
        return rest(m_inputColumns, "inputs", "targets");
    if (m_targetColumns.empty())
        return rest(m_targetColumns, "targets", "inputs");
    return true;
}

// ---------------------------------------------------------------------------------------------
// Whole-text and file entry points

bool parseCsv(std::string_view text, const std::string &name, Dataset &out, CsvError &err,
              const CsvLimits &limits, const CsvColumns &columns)
{
    CsvStreamParser parser(name, limits, text.size(), columns);
    if (!parser.feed(text) || !parser.finish()) {
        err = parser.error();
        return false;
    }
    parser.moveInto(out);
    return true;
}

namespace {

// Closes the descriptor it holds when it goes.
struct InputFile {
    int fd = -1;
    InputFile() = default;
    InputFile(const InputFile &) = delete;
    InputFile &operator=(const InputFile &) = delete;
    ~InputFile()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

// Refuses anything but a regular file; directories get the OS's own wording.
bool checkRegular(mode_t mode, std::string &why)
{
    if (S_ISREG(mode))
        return true;
    if (S_ISDIR(mode))
        why = "cannot read: " + osReason(EISDIR);
    else
        why = std::string("not a regular file (it is ") + fileKindName(mode) + ")";
    return false;
}

// Opens a regular file for reading; `info` is its fstat(). On failure `why` says what went wrong.
bool openRegular(const std::string &path, InputFile &file, struct stat &info, std::string &why)
{
    // stat() before open(): opening a FIFO would block, and opening some devices has effects.
    if (::stat(path.c_str(), &info) != 0) {
        why = "cannot open: " + osReason(errno);
        return false;
    }
    if (!checkRegular(info.st_mode, why))
        return false;
    // O_NONBLOCK (no effect on regular files) keeps a file swapped in since stat() from blocking.
    file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (file.fd < 0) {
        why = "cannot open: " + osReason(errno);
        return false;
    }
    if (::fstat(file.fd, &info) != 0) {
        why = "cannot read: " + osReason(errno);
        return false;
    }
    return checkRegular(info.st_mode, why);
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
             const std::atomic<bool> *cancel, const CsvColumns &columns)
{
    const auto failWith = [&](std::string message) {
        err = CsvError{path, 0, 0, std::move(message)};
        return false;
    };
    InputFile file;
    struct stat info {};
    std::string why;
    if (!openRegular(path, file, info, why))
        return failWith(why);

    const auto total = static_cast<std::uint64_t>(info.st_size);
    CsvStreamParser parser(path, limits, total, columns);
    const std::unique_ptr<char[]> buffer(new char[kChunkBytes]);
    std::uint64_t done = 0;
    for (;;) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return failWith("cancelled");
        const ssize_t got = readSome(file.fd, buffer.get(), kChunkBytes);
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
    if (::fstat(file.fd, &info) == 0 && static_cast<std::uint64_t>(info.st_size) != done)
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

bool readCsvHeader(const std::string &path, std::vector<std::string> &names, CsvError &err)
{
    const auto failWith = [&](std::string message) {
        err = CsvError{path, 0, 0, std::move(message)};
        return false;
    };
    InputFile file;
    struct stat info {};
    std::string why;
    if (!openRegular(path, file, info, why))
        return failWith(why);

    CsvStreamParser parser(path);
    parser.m_headerOnly = true; // the parser stops after the first non-blank line
    const std::unique_ptr<char[]> buffer(new char[kHeaderChunkBytes]);
    std::uint64_t done = 0;
    while (!parser.m_done) {
        const ssize_t got = readSome(file.fd, buffer.get(), kHeaderChunkBytes);
        if (got < 0)
            return failWith("read error: " + osReason(errno));
        done += static_cast<std::uint64_t>(got);
        // At the end, a line break completes a last line that has none.
        const bool ok = got == 0 ? parser.feed("\n")
                                 : parser.feed(std::string_view(buffer.get(), std::size_t(got)));
        if (!ok) {
            err = parser.error();
            return false;
        }
        if (got == 0)
            break;
    }
    if (!parser.m_done)
        return failWith(done > 0 ? "no columns: the file has only blank lines"
                                 : "no columns: the file is empty");
    names = parser.header();
    if (names.empty())
        for (std::size_t c = 0; c < parser.columns(); ++c)
            names.push_back(std::to_string(c + 1));
    return true;
}

} // namespace mdn
