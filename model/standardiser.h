#pragma once
// The affine map between data units and the standardised units a network trains in: per column,
// mean 0 and spread 1 (a constant column keeps its units).

#include "dataset.h"
#include "scale.h"

#include <vector>

namespace mdn {

struct Standardiser {
    std::vector<double> xMean, xScale; // one per input column
    std::vector<double> yMean, yScale; // one per target column

    static Standardiser fit(const Dataset &d);
    static Standardiser fit(const std::vector<ColumnMoments> &x, const std::vector<ColumnMoments> &y);

    // log |det| of the map from standardised to data units of the targets, sum_d log yScale_d:
    // a density in data units is the standardised one divided by exp of it.
    double logJacobian() const;
};

// The moments of every input and every target column of `d`.
std::vector<ColumnMoments> inputMoments(const Dataset &d);
std::vector<ColumnMoments> targetMoments(const Dataset &d);

} // namespace mdn
