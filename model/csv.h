#pragma once
// Reading and writing datasets as CSV files: rows of numeric columns, some of them the inputs of a
// point and some its targets.
//
// Users load their own files, so the reader is strict and precise: every refusal names the line
// (as a text editor counts it) and, where it is about one field, the field number, and says what
// was wrong. It streams, so memory is bounded by the parsed data plus one chunk, and never by a
// single huge line. The writer replaces the target atomically (safewrite.h).
//
// The format: one row per point, every row with the same number of fields (at least 2), separated
// by ',' or ';' or a tab (the first non-blank line decides: ';' if it has one outside quotes, else
// a tab if it has one, else ','). Fields may be quoted ("1.5"), spaces around them are ignored.
// An optional first line of names, none of them number-like, is the header. Every field of every
// data row must be a finite number, whether its column is used or not.

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

// Which columns of a file are the inputs and which the targets. Each entry is a header name
// ("speed") or a 1-based column number as text ("2"); the points keep the order given here.
//  - both lists empty (the default): with 2 columns the first is the input and the second the
//    target (x, y); with more, every column but the last is an input and the last is the target.
//  - one list empty: it gets every column the other list does not name, in file order.
//  - both given: columns named in neither are not loaded (but must still hold numbers).
// A name or number the file does not have, a column named twice, or a column in both lists is
// refused with a message naming the file and listing its columns.
struct CsvColumns {
    std::vector<std::string> inputs, targets;
};

struct CsvError {
    std::string file; // the path or name given
    // 1-based; 0 when the error is not about a line (open failure, empty file, column selection).
    std::size_t line = 0;
    std::size_t column = 0; // 1-based field number; 0 when not about a field
    std::string message;    // what was wrong and, where useful, what to do

    // "file:line:column: message" / "file:line: message" / "file: message"; without a file name
    // the "file:" part is left out.
    std::string toString() const;
};

// Parses CSV text. On failure returns false, fills err and leaves `out` untouched. On success
// `out` holds the selected columns (inputDims, targetDims, and the header's names when there is
// a header; no names otherwise) and out.name is `name`.
bool parseCsv(std::string_view text, const std::string &name, Dataset &out, CsvError &err,
              const CsvLimits &limits = {}, const CsvColumns &columns = {});

// Reads a regular file, streaming in chunks. progress(bytesRead, totalBytes) may be null; cancel
// may be null, and when it becomes true the read stops with err.message "cancelled". On failure
// `out` is untouched; on success out.name is the file's base name.
bool readCsv(const std::string &path, Dataset &out, CsvError &err, const CsvLimits &limits = {},
             const std::function<void(std::uint64_t, std::uint64_t)> &progress = nullptr,
             const std::atomic<bool> *cancel = nullptr, const CsvColumns &columns = {});

// The column names of a file, read from its first non-blank line only (so it is quick on any
// size): the header's names, or "1", "2", ... when that line is data. Fails, with err naming the
// file (and line), when the file cannot be read or that line is not a valid row (fewer than two
// fields, a quote or encoding error, a header with an empty name).
bool readCsvHeader(const std::string &path, std::vector<std::string> &names, CsvError &err);

// Writes a header of the dataset's column names (inputName(c), then targetName(c): "x,y" for an
// unnamed one-dimensional set), then one row per point, its inputs then its targets, in the
// shortest form that parses back bit-identical; names holding a delimiter, a quote, or a leading
// byte order mark are quoted (RFC 4180). Atomic (safewrite.h); on failure the target is untouched
// and err names the file and says why (step "check" for a refused dataset). Refuses what readCsv
// could not load back the same: a dataset whose shapeValid() is false, an empty one, non-finite
// values, and names that are empty after trimming, number-like, padded with spaces, or hold a line
// break, a NUL or invalid UTF-8.
bool writeCsv(const std::string &path, const Dataset &data, WriteError &err);
// The same, with err set to the error's toString().
bool writeCsv(const std::string &path, const Dataset &data, std::string &err);

// The incremental parser behind parseCsv and readCsv: feed the text in pieces of any size (a line,
// a UTF-8 sequence or a CRLF may be split across pieces), then call finish(). The outcome does not
// depend on how the text was split.
class CsvStreamParser {
public:
    // expectedBytes, when known, lets the parser reserve memory for the rows up front.
    explicit CsvStreamParser(std::string name, const CsvLimits &limits = {},
                             std::uint64_t expectedBytes = 0, CsvColumns columns = {});

    // Returns false once an error has been found; later calls do nothing and return false.
    bool feed(std::string_view piece);
    // Ends the input (a final line without a line end is parsed here). True when the text held at
    // least one data row and no error.
    bool finish();

    bool failed() const { return m_failed; }
    const CsvError &error() const { return m_err; }
    std::size_t rows() const { return m_rows; }
    // Fields per row: 0 until the first non-blank line has been parsed.
    std::size_t columns() const { return m_columns; }
    // The header's names, one per column; empty when the file has no header.
    const std::vector<std::string> &header() const { return m_header; }
    // Moves the parsed points into `out` (shape, names and name included) after a successful
    // finish().
    void moveInto(Dataset &out);

private:
    friend bool readCsvHeader(const std::string &, std::vector<std::string> &, CsvError &);

    bool line(std::string_view text);
    bool splitRow(std::string_view text, std::size_t lineOffset, std::size_t &count);
    std::size_t checkByte(std::string_view text, std::size_t pos, std::size_t lineOffset,
                          std::size_t field);
    bool checkHeader(std::size_t count, bool &isHeader);
    bool firstRow(std::size_t count, bool &isHeader);
    bool selectColumns();
    bool resolveColumn(const std::string &entry, const char *role, std::size_t &column);
    std::string columnList() const;
    std::string columnLabel(std::size_t column) const;
    bool addRow();
    std::string delimiterHint(std::string_view field) const;
    bool lineTooLong();
    bool fail(std::size_t line, std::size_t column, std::string message);
    void reserveFromEstimate();

    std::string m_name;
    CsvLimits m_limits;
    std::uint64_t m_expectedBytes;
    CsvColumns m_selection;
    CsvError m_err;
    bool m_failed = false;
    bool m_headerOnly = false; // readCsvHeader: stop after the first non-blank line
    bool m_done = false;       // headerOnly and that line has been seen

    std::string m_partial;        // the start of a line whose end has not been fed yet
    bool m_pendingCR = false;     // the last piece ended in CR: a leading LF belongs to it
    std::uint64_t m_consumed = 0; // bytes up to the end of the last complete line
    std::size_t m_lineNo = 0;     // physical lines seen, i.e. the number of the current line
    char m_delimiter = 0;         // chosen on the first non-blank line
    std::size_t m_delimiterLine = 0;
    std::size_t m_columns = 0;    // fields per row, from the first non-blank line
    std::size_t m_columnsLine = 0;
    bool m_sawHeader = false;
    bool m_reserved = false;

    std::vector<std::string> m_header;
    // The fields of the current row (unquoted, trimmed), then its values: reused row after row.
    std::vector<std::string_view> m_fields;
    std::vector<double> m_values;
    // 0-based column of each input and each target, in the order of the points.
    std::vector<std::size_t> m_inputColumns, m_targetColumns;
    std::size_t m_rows = 0;
    std::vector<double> m_x, m_y;
};

} // namespace mdn
