#pragma once
// The strict number parser of the CSV reader, and the quoting of refused text in its messages.

#include <cstddef>
#include <string>
#include <string_view>

namespace mdn {

// Strict number parser for one field (already unquoted and trimmed): optional sign, digits,
// optional '.', optional exponent ("1", "-2.5", ".5", "5.", "+1e-3"). Refuses empty text,
// nan/inf literals (any case), hex, values beyond the range of double ("1e400"; values too small
// for a double round to zero as usual), trailing garbage and a decimal comma. On failure `why`
// says what was wrong and `out` is untouched.
bool parseNumber(std::string_view field, double &out, std::string &why);

// What scanNumber made of a field. Everything but NotANumber and Empty looks like a number (a
// CSV header is a line of NotANumber fields).
enum class NumberStatus { Ok, Empty, NotANumber, NonFinite, Hex, DecimalComma, OutOfRange };

// parseNumber without the message: `out` is set only for Ok. The CSV parser's hot path.
NumberStatus scanNumber(std::string_view field, double &out);

// The message parseNumber gives for `status` (empty for Ok).
std::string describeNumber(NumberStatus status, std::string_view field);

// Length of the well-formed UTF-8 sequence starting at s[pos] (Unicode table 3-7: no overlong
// forms, no surrogates, nothing above U+10FFFF), or 0 when it is not one.
std::size_t utf8SequenceLength(std::string_view s, std::size_t pos);

// `text` for an error message, in single quotes: at most 40 bytes, cut on a character boundary
// (then "..." follows), with control characters and bytes that are not UTF-8 shown as \xNN and a
// byte order mark as \uFEFF, so that the message stays printable.
std::string quotedText(std::string_view text);

} // namespace mdn
