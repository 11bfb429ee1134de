#pragma once
// Reading and writing (x, y) datasets as CSV files.
//
// Users load their own files, so the reader is strict and precise: every refusal names the line
// (as a text editor counts it) and, where it is about one field, the field number, and says what
// was wrong. It streams, so memory is bounded by the parsed data plus one chunk, and never by a
// single huge line. The writer replaces the target atomically (safewrite.h).

#include "dataset.h"
#include "numparse.h"
#include "safewrite.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mdn {

struct CsvLimits {
    std::size_t maxRows = 50'000'000;   // data rows
    std::size_t maxLineBytes = 1 << 20; // one line, in bytes (1 MiB), line end excluded
    // Fields counted before refusing a row as "too many columns".
    std::size_t maxColumns = 64;
};

struct CsvError {
    std::string file; // the path or name given
    // 1-based; 0 when the error is not about a line (open failure, empty file).
    std::size_t line = 0;
    std::size_t column = 0; // 1-based field number; 0 when not about a field
    std::string message;    // what was wrong and, where useful, what to do

    // "file:line:column: message" / "file:line: message" / "file: message"; without a file name
    // the "file:" part is left out.
    std::string toString() const;
};

// Parses CSV text of (x, y) pairs. On failure returns false, fills err and leaves `out` untouched.
// On success out.name is `name`.
bool parseCsv(std::string_view text, const std::string &name, Dataset &out, CsvError &err,
              const CsvLimits &limits = {});

// Reads a regular file, streaming in chunks. progress(bytesRead, totalBytes) may be null; cancel
// may be null, and when it becomes true the read stops with err.message "cancelled". On failure
// `out` is untouched; on success out.name is the file's base name.
bool readCsv(const std::string &path, Dataset &out, CsvError &err, const CsvLimits &limits = {},
             const std::function<void(std::uint64_t, std::uint64_t)> &progress = nullptr,
             const std::atomic<bool> *cancel = nullptr);

// Writes an "x,y" header, then one row per point in the shortest form that parses back
// bit-identical. Atomic (safewrite.h): on failure the target is untouched, no temporary file is
// left, and err names the file and the OS reason. Refuses non-finite values, mismatched x/y
// lengths and an empty dataset (which readCsv would refuse).
bool writeCsv(const std::string &path, const Dataset &data, std::string &err);

// The incremental parser behind parseCsv and readCsv: feed the text in pieces of any size (a line,
// a UTF-8 sequence or a CRLF may be split across pieces), then call finish(). The outcome does not
// depend on how the text was split.
class CsvStreamParser {
public:
    // expectedBytes, when known, lets the parser reserve memory for the rows up front.
    explicit CsvStreamParser(std::string name, const CsvLimits &limits = {},
                             std::uint64_t expectedBytes = 0);

    // Returns false once an error has been found; later calls do nothing and return false.
    bool feed(std::string_view piece);
    // Ends the input (a final line without a line end is parsed here). True when the text held at
    // least one data row and no error.
    bool finish();

    bool failed() const { return m_failed; }
    const CsvError &error() const { return m_err; }
    std::size_t rows() const { return m_x.size(); }
    // Moves the parsed points into `out` (name included) after a successful finish().
    void moveInto(Dataset &out);

private:
    struct Field {
        std::string_view text; // content: unquoted, surrounding spaces removed
    };

    bool line(std::string_view text);
    bool splitRow(std::string_view text, std::size_t lineOffset, Field (&fields)[2],
                  std::size_t &count);
    bool checkByte(std::string_view text, std::size_t &pos, std::size_t lineOffset,
                   std::size_t field);
    bool checkHeader(const Field (&fields)[2], bool &isHeader);
    bool addRow(const Field (&fields)[2]);
    std::string delimiterHint(std::string_view field) const;
    bool lineTooLong();
    bool fail(std::size_t line, std::size_t column, std::string message);
    void reserveFromEstimate();

    std::string m_name;
    CsvLimits m_limits;
    std::uint64_t m_expectedBytes;
    CsvError m_err;
    bool m_failed = false;

    std::string m_partial;        // the start of a line whose end has not been fed yet
    bool m_pendingCR = false;     // the last piece ended in CR: a leading LF belongs to it
    std::uint64_t m_consumed = 0; // bytes up to the end of the last complete line
    std::size_t m_lineNo = 0;     // physical lines seen, i.e. the number of the current line
    char m_delimiter = 0;         // chosen on the first non-blank line
    std::size_t m_delimiterLine = 0;
    bool m_sawContent = false;    // a non-blank line has been seen (so later ones are no header)
    bool m_sawHeader = false;
    bool m_reserved = false;
    std::vector<double> m_x, m_y;
};

} // namespace mdn
