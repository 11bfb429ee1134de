#pragma once
// Reading and writing (x, y) datasets as CSV files.
//
// Users load their own files, so the reader is strict and precise: every refusal names the line
// (as a text editor counts it) and, where it is about one field, the field number, and says what
// was wrong. It streams, so memory is bounded by the parsed data plus one chunk, and never by a
// single huge line. The writer replaces the target atomically.

#include "dataset.h"

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
// bit-identical. Atomic: a temporary file in the same directory is written, checked, flushed,
// fsynced and renamed over the target; on failure the target is untouched, no temporary file is
// left, and err names the file and the OS reason. Refuses non-finite values, mismatched x/y
// lengths and an empty dataset (which readCsv would refuse). The temporary file is hidden and named
// ".<name>.mdnviz-tmp-<pid>-<n>"; a writer killed mid-save (kill -9, power loss) leaves it behind,
// and the next successful writeCsv into the same folder removes such files whose process is gone.
bool writeCsv(const std::string &path, const Dataset &data, std::string &err);

// Checks, before anything is written, that `path` can be replaced: a file name (not empty, not
// ending in '/'), a symbolic link is followed to its target (the target is replaced and the link
// kept), the target's folder exists, and the target either does not exist or is a regular file
// that may be written: a read-only file is refused, never silently replaced. On success
// `resolved` is the path that will actually be replaced; on failure err says why in one line.
// Every writer below runs this check first.
bool checkOutputTarget(const std::string &path, std::string &resolved, std::string &err);

// Replaces the file at `path` with `bytes` exactly as writeCsv does (temporary file, every write,
// fsync, close and rename checked; on failure the old file untouched and err naming the step, the
// file and the OS reason). Every file the application writes goes through here or writeCsv.
bool writeFileAtomically(const std::string &path, std::string_view bytes, std::string &err);

// Strict number parser for one field (already unquoted and trimmed): optional sign, digits,
// optional '.', optional exponent ("1", "-2.5", ".5", "5.", "+1e-3"). Refuses empty text,
// nan/inf literals (any case), hex, values beyond the range of double ("1e400"; values too small
// for a double round to zero as usual), trailing garbage and a decimal comma. On failure `why`
// says what was wrong.
bool parseNumber(std::string_view field, double &out, std::string &why);

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

    bool failed() const { return failed_; }
    const CsvError &error() const { return err_; }
    std::size_t rows() const { return x_.size(); }
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

    std::string name_;
    CsvLimits limits_;
    std::uint64_t expectedBytes_;
    CsvError err_;
    bool failed_ = false;

    std::string partial_;        // the start of a line whose end has not been fed yet
    bool pendingCR_ = false;     // the last piece ended in CR: a leading LF belongs to it
    std::uint64_t consumed_ = 0; // bytes up to the end of the last complete line
    std::size_t lineNo_ = 0;     // physical lines seen, i.e. the number of the current line
    char delimiter_ = 0;         // chosen on the first non-blank line
    std::size_t delimiterLine_ = 0;
    bool sawContent_ = false;    // a non-blank line has been seen (so later ones are no header)
    bool sawHeader_ = false;
    bool reserved_ = false;
    std::vector<double> x_, y_;
};

} // namespace mdn
