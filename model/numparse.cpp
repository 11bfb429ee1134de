#include "numparse.h"

#include <algorithm>
#include <charconv>
#include <system_error>

namespace mdn {

namespace {

// Error messages quote at most this many bytes of the offending text.
constexpr std::size_t kQuoteBytes = 40;

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool inRange(unsigned char c, unsigned lo, unsigned hi) { return c >= lo && c <= hi; }

// ---------------------------------------------------------------------------------------------
// Numbers

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

} // namespace

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

std::string describeNumber(NumberStatus status, std::string_view s)
{
    switch (status) {
    case NumberStatus::Ok:
        return {};
    case NumberStatus::Empty:
        return "empty cell; every row needs a number in every column";
    case NumberStatus::NonFinite:
        return "non-finite value " + quotedText(s) + "; only finite numbers are accepted";
    case NumberStatus::Hex:
        return "hexadecimal number " + quotedText(s) + " is not accepted; write it in decimal";
    case NumberStatus::OutOfRange:
        return quotedText(s) + " is out of range for a double (largest magnitude about 1.8e308)";
    case NumberStatus::DecimalComma: {
        std::string fixed(s);
        std::replace(fixed.begin(), fixed.end(), ',', '.');
        return quotedText(s) + " uses a decimal comma; use '.' as the decimal separator, as in " +
               quotedText(fixed);
    }
    case NumberStatus::NotANumber:
        break;
    }
    if (startsWith(s, "\xEF\xBB\xBF"))
        return "not a number: " + quotedText(s) +
               " starts with a byte order mark, which is only allowed at the start of the file";
    return "not a number: " + quotedText(s);
}

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

std::string quotedText(std::string_view text)
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

bool parseNumber(std::string_view field, double &out, std::string &why)
{
    double value = 0.0;
    const NumberStatus status = scanNumber(field, value);
    if (status != NumberStatus::Ok) {
        why = describeNumber(status, field);
        return false;
    }
    out = value;
    return true;
}

} // namespace mdn
