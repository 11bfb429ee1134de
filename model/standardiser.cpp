#include "standardiser.h"

#include <cmath>

namespace mdn {

namespace {

// A constant column has no spread to divide by: it keeps its units.
double scaleOf(const ColumnMoments &m) { return m.sd > 0.0 ? m.sd : 1.0; }

} // namespace

std::vector<ColumnMoments> inputMoments(const Dataset &d)
{
    if (d.inputDims == 1)
        return {columnMoments(d.x)};
    std::vector<ColumnMoments> m;
    for (int c = 0; c < d.inputDims; ++c)
        m.push_back(columnMoments(d.inputColumn(c)));
    return m;
}

std::vector<ColumnMoments> targetMoments(const Dataset &d)
{
    if (d.targetDims == 1)
        return {columnMoments(d.y)};
    std::vector<ColumnMoments> m;
    for (int c = 0; c < d.targetDims; ++c)
        m.push_back(columnMoments(d.targetColumn(c)));
    return m;
}

Standardiser Standardiser::fit(const Dataset &d) { return fit(inputMoments(d), targetMoments(d)); }

Standardiser Standardiser::fit(const std::vector<ColumnMoments> &x, const std::vector<ColumnMoments> &y)
{
    Standardiser s;
    for (const ColumnMoments &m : x) {
        s.xMean.push_back(m.mean);
        s.xScale.push_back(scaleOf(m));
    }
    for (const ColumnMoments &m : y) {
        s.yMean.push_back(m.mean);
        s.yScale.push_back(scaleOf(m));
    }
    return s;
}

double Standardiser::logJacobian() const
{
    double j = 0.0;
    for (double s : yScale)
        j += std::log(s);
    return j;
}

} // namespace mdn
