#include "snapshot.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace mdn {

std::vector<double> linspace(double lo, double hi, int n)
{
    std::vector<double> v(std::size_t(std::max(n, 0)));
    for (int i = 0; i < n; ++i)
        v[std::size_t(i)] = n > 1 ? lo + (hi - lo) * double(i) / double(n - 1) : lo;
    return v;
}

namespace {

double median(std::vector<double> v)
{
    const auto mid = v.begin() + std::ptrdiff_t(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

Eigen::MatrixXd row(const std::vector<double> &xs)
{
    return Eigen::Map<const Eigen::RowVectorXd>(xs.data(), Eigen::Index(xs.size()));
}

void fillPath(Snapshot &out, const Predictor *mdn, const Dataset &data, const SnapshotRequest &request)
{
    if (!mdn)
        return;
    const std::vector<double> first = data.inputColumn(0);
    const auto [lo, hi] = std::minmax_element(first.begin(), first.end());
    out.gridX = linspace(*lo, *hi, request.gridPoints);
    out.pathThrough.assign(std::size_t(data.inputDims), 0.0);
    for (int c = 1; c < data.inputDims; ++c)
        out.pathThrough[std::size_t(c)] = request.pathThrough.size() == std::size_t(data.inputDims) &&
                                                  std::isfinite(request.pathThrough[std::size_t(c)])
                                              ? request.pathThrough[std::size_t(c)]
                                              : median(data.inputColumn(c));
    Eigen::MatrixXd X(data.inputDims, Eigen::Index(out.gridX.size()));
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
        X(0, j) = out.gridX[std::size_t(j)];
        for (int c = 1; c < data.inputDims; ++c)
            X(c, j) = out.pathThrough[std::size_t(c)];
    }
    out.mixture = mdn->mixtureAt(X);
    // The health of the fit where the data are: at up to 512 of its points, evenly spread.
    const std::size_t n = std::min<std::size_t>(512, data.size());
    Eigen::MatrixXd at(data.inputDims, Eigen::Index(n));
    for (std::size_t j = 0; j < n; ++j)
        for (int c = 0; c < data.inputDims; ++c)
            at(c, Eigen::Index(j)) = data.input(j * data.size() / n, c);
    const MixtureHealth health = mixtureHealth(mdn->mixtureAt(at), 0.01);
    out.minSigma = health.minSigma;
    out.effectiveComponents = health.effectiveComponents;
}

} // namespace

void fillSnapshot(Snapshot &out, const Trainer *mse, const Trainer *mdn, const Dataset &data,
                  const SnapshotRequest &request)
{
    const std::optional<Predictor> msePredictor = mse ? std::optional<Predictor>(mse->predictor()) : std::nullopt;
    const std::optional<Predictor> mdnPredictor = mdn ? std::optional<Predictor>(mdn->predictor()) : std::nullopt;
    fillSnapshot(out, msePredictor ? &*msePredictor : nullptr, mdnPredictor ? &*mdnPredictor : nullptr, data,
                 request);
    if (mse)
        out.mseFaults = mse->faults().size();
    if (mdn) {
        out.gradientNorm = mdn->gradientNorm();
        out.mdnFaults = mdn->faults().size();
    }
}

void fillSnapshot(Snapshot &out, const Predictor *mse, const Predictor *mdn, const Dataset &data,
                  const SnapshotRequest &request)
{
    out.gridX.clear();
    out.mseCurve.clear();
    out.sampleX.clear();
    out.sampleY.clear();
    out.mixture = Mixture();
    out.meanCurve.clear();
    out.modeCurve.clear();
    out.density = DensityGrid();
    out.sliceX.clear();
    out.sliceMixture = Mixture();
    out.pathThrough.clear();
    if (data.empty() || request.gridPoints < 2)
        return;
    // The curves are drawn over one input and one target; other data get the mixture along a
    // path and the figures.
    if (!data.oneDimensional()) {
        fillPath(out, mdn, data, request);
        return;
    }
    const auto [lo, hi] = std::minmax_element(data.x.begin(), data.x.end());
    out.gridX = linspace(*lo, *hi, request.gridPoints);
    if (mse) {
        const Eigen::MatrixXd y = mse->predictAt(row(out.gridX));
        out.mseCurve.assign(y.data(), y.data() + y.cols());
    }
    if (!mdn)
        return;

    // The views show the mixture as trained; the temperatures only change how it is sampled.
    out.mixture = mdn->mixtureAt(row(out.gridX));
    out.meanCurve = mixtureMean(out.mixture);
    out.modeCurve = mixtureMode(out.mixture);
    // Components below 1% weight everywhere take no part in the fit; their widths mean nothing.
    const MixtureHealth health = mixtureHealth(out.mixture, 0.01);
    out.minSigma = health.minSigma;
    out.effectiveComponents = health.effectiveComponents;

    const int perX = std::max(request.samplesPerX, 0);
    const Eigen::MatrixXd samples = mdn->sampleAt(row(out.gridX), perX, request.sampleSeed,
                                                  request.piTemperature, request.sigmaTemperature);
    out.sampleX.reserve(std::size_t(samples.cols()));
    out.sampleY.reserve(std::size_t(samples.cols()));
    for (Eigen::Index c = 0; c < samples.cols(); ++c) {
        out.sampleX.push_back(out.gridX[std::size_t(c / perX)]);
        out.sampleY.push_back(samples(0, c));
    }

    if (request.densityColumns >= 2 && request.densityRows >= 1) {
        const auto [yLo, yHi] = std::minmax_element(data.y.begin(), data.y.end());
        // A degenerate range (one x, or one y) still gets a grid one unit wide.
        const double xSpan = *hi > *lo ? *hi - *lo : 1.0, ySpan = *yHi > *yLo ? *yHi - *yLo : 1.0;
        const double m = std::max(request.densityMargin, 0.0);
        const double x0 = *lo - m * xSpan, x1 = *hi + m * xSpan;
        const std::vector<double> xs = linspace(x0, x1, request.densityColumns);
        const Mixture wide = mdn->mixtureAt(row(xs));
        out.density = densityGrid(wide, x0, x1, *yLo - m * ySpan, *yHi + m * ySpan, request.densityRows);
        // The slice's columns: the margins' from the density grid, the data range's from gridX.
        std::vector<std::pair<const Mixture *, Eigen::Index>> columns;
        for (std::size_t j = 0; j < xs.size() && xs[j] < out.gridX.front(); ++j)
            columns.emplace_back(&wide, Eigen::Index(j)), out.sliceX.push_back(xs[j]);
        for (std::size_t j = 0; j < out.gridX.size(); ++j)
            columns.emplace_back(&out.mixture, Eigen::Index(j)), out.sliceX.push_back(out.gridX[j]);
        for (std::size_t j = 0; j < xs.size(); ++j)
            if (xs[j] > out.gridX.back())
                columns.emplace_back(&wide, Eigen::Index(j)), out.sliceX.push_back(xs[j]);
        Mixture &sm = out.sliceMixture;
        sm.dims = wide.dims;
        sm.pi.resize(wide.pi.rows(), Eigen::Index(columns.size()));
        sm.mu.resize(wide.mu.rows(), Eigen::Index(columns.size()));
        sm.sigma.resize(wide.sigma.rows(), Eigen::Index(columns.size()));
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const auto &[from, j] = columns[c];
            sm.pi.col(Eigen::Index(c)) = from->pi.col(j);
            sm.mu.col(Eigen::Index(c)) = from->mu.col(j);
            sm.sigma.col(Eigen::Index(c)) = from->sigma.col(j);
        }
    } else {
        out.sliceX = out.gridX;
        out.sliceMixture = out.mixture;
    }
}

} // namespace mdn
