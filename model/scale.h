#pragma once
// The range of values mdnviz trains on, and the column statistics behind the standardisation,
// computed so that no finite column overflows or underflows on the way.
//
// Supported: every value within +-kMaxMagnitude, and each column either constant or with a
// standard deviation of at least kMinSpread. Inside that range the network sees standardised values (mean 0, spread 1) and every
// reported figure fits in a double: the MSE in squared data units stays below 1e200 times the
// standardised loss, 1/sigma of a density above 1e-100. Beyond it the data are refused with a
// reason, never trained to NaN or to nonsense.

#include "dataset.h"

#include <string>
#include <vector>

namespace mdn {

constexpr double kMaxMagnitude = 1e100;
constexpr double kMinSpread = 1e-100;

// Mean and population standard deviation of a column, exact for any finite values: the sums
// run over values divided by the largest magnitude, so 1e-300 and 1e300 alike neither underflow
// nor overflow. An empty column gives 0 and 0.
struct ColumnMoments {
    double mean = 0.0, sd = 0.0, maxAbs = 0.0;
};
ColumnMoments columnMoments(const std::vector<double> &v);

// A number as the messages write it: 4 significant digits ("0.005", "3.4e+153").
std::string formatNumber(double v);

// True when `d` can be trained on. Otherwise false and `why` says which column is out of range,
// what it holds and which range is supported, in one line (e.g. "the y values reach 3e+153;
// mdnviz trains on values within +-1e+100"). `spread` false checks magnitudes only (data that
// is scored, not trained on, may be a single point).
bool checkScale(const Dataset &d, std::string &why, bool spread = true);
// The same from the moments of the two columns of finite values.
bool checkScale(const ColumnMoments &x, const ColumnMoments &y, std::string &why, bool spread = true);

} // namespace mdn
