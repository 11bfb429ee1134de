#include "scale.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mdn {

std::string formatNumber(double v)
{
    std::ostringstream s;
    s.precision(4);
    s << v;
    return s.str();
}

namespace {

bool allFinite(const std::vector<double> &v, const char *name, std::string &why)
{
    for (double e : v)
        if (!std::isfinite(e)) {
            why = std::string("the ") + name + " values include a non-finite value";
            return false;
        }
    return true;
}

bool checkColumn(const ColumnMoments &m, const char *name, bool spread, std::string &why)
{
    const std::string supported = "mdnviz trains on values within +-" + formatNumber(kMaxMagnitude) +
                                  " whose standard deviation is 0 (a constant column) or at least " +
                                  formatNumber(kMinSpread);
    if (m.maxAbs > kMaxMagnitude) {
        why = std::string("the ") + name + " values reach " + formatNumber(m.maxAbs) + "; " + supported;
        return false;
    }
    if (spread && m.sd > 0.0 && m.sd < kMinSpread) {
        why = std::string("the ") + name + " values vary by only " + formatNumber(m.sd) +
              " (standard deviation) around " + formatNumber(m.mean) + "; " + supported;
        return false;
    }
    return true;
}

} // namespace

ColumnMoments columnMoments(const std::vector<double> &v)
{
    ColumnMoments m;
    if (v.empty())
        return m;
    for (double e : v)
        m.maxAbs = std::max(m.maxAbs, std::abs(e));
    if (!(m.maxAbs > 0.0) || !std::isfinite(m.maxAbs))
        return m;
    const double n = double(v.size());
    // Everything in units of a power of two near the largest magnitude (exact, and no reciprocal
    // that a subnormal maximum would overflow): each term lies within [-2, 2].
    const int k = std::ilogb(m.maxAbs);
    // A multiplication by 2^-k is exact and faster, unless 2^-k itself overflows (k < -1022).
    const double factor = k > -1000 ? std::ldexp(1.0, -k) : 0.0;
    const auto unit = [k, factor](double e) { return factor > 0.0 ? e * factor : std::ldexp(e, -k); };
    double sum = 0.0;
    for (double e : v)
        sum += unit(e);
    const double mean = sum / n;
    double ss = 0.0, comp = 0.0;
    for (double e : v) {
        const double d = unit(e) - mean; // within [-4, 4]
        ss += d * d;
        comp += d;
    }
    // The second sum corrects the rounding of the mean (two-pass with compensation).
    const double var = std::max(0.0, (ss - comp * comp / n) / n);
    m.mean = std::ldexp(mean, k);
    m.sd = std::ldexp(std::sqrt(var), k);
    if (!(m.sd > 0.0))
        m.sd = 0.0;
    return m;
}

bool checkScale(const ColumnMoments &x, const ColumnMoments &y, std::string &why, bool spread)
{
    return checkColumn(x, "x", spread, why) && checkColumn(y, "y", spread, why);
}

bool checkScale(const Dataset &d, std::string &why, bool spread)
{
    if (d.oneDimensional())
        return allFinite(d.x, "x", why) && allFinite(d.y, "y", why) &&
               checkScale(columnMoments(d.x), columnMoments(d.y), why, spread);
    for (int c = 0; c < d.inputDims + d.targetDims; ++c) {
        const bool input = c < d.inputDims;
        const std::vector<double> v = input ? d.inputColumn(c) : d.targetColumn(c - d.inputDims);
        const std::string name = input ? d.inputName(c) : d.targetName(c - d.inputDims);
        if (!allFinite(v, name.c_str(), why) || !checkColumn(columnMoments(v), name.c_str(), spread, why))
            return false;
    }
    return true;
}

} // namespace mdn
