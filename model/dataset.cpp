#include "dataset.h"

#include "mixture.h"
#include "rng.h"
#include "robotarm.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace mdn {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kHalfRange = 10.5; // x range of the sinusoid problem
constexpr double kMinNoise = 1e-9;  // densities of a noiseless generator are not defined

double bishopCurve(double t) { return t + 0.3 * std::sin(2.0 * kPi * t); }

double normalPdf(double z, double sd) { return gaussianPdf(z, 0.0, sd); }

// The hidden variable of the inverse problems on a fine grid, with the forward curve at each node,
// so that the normaliser of p(hidden | x) can be integrated for many x without recomputing it.
struct HiddenGrid {
    double lo = 0.0, step = 0.0;
    std::vector<double> curve;
};

HiddenGrid hiddenGrid(Generator g)
{
    HiddenGrid grid;
    const bool bishop = g == Generator::Bishop;
    const std::size_t n = bishop ? 200001 : 42001;
    grid.lo = bishop ? 0.0 : -kHalfRange;
    const double hi = bishop ? 1.0 : kHalfRange;
    grid.step = (hi - grid.lo) / double(n - 1);
    grid.curve.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double t = grid.lo + grid.step * double(i);
        grid.curve[i] = bishop ? bishopCurve(t) : sinusoidCurve(t);
    }
    return grid;
}

// Integral over the hidden variable t of likelihood(x | t) (trapezoid rule). The prior is uniform,
// so p(t | x) = likelihood(x | t) / this integral on the prior's support. One vectorised sweep
// over the grid: the tables of bayesNll call this thousands of times.
double evidence(Generator g, double noise, const HiddenGrid &grid, double x)
{
    const Eigen::Index n = Eigen::Index(grid.curve.size());
    const Eigen::Map<const Eigen::ArrayXd> curve(grid.curve.data(), n);
    const auto at = [&](Eigen::Index i) {
        const double r = x - grid.curve[std::size_t(i)];
        return g == Generator::Bishop ? (std::abs(r) <= noise ? 1.0 / (2.0 * noise) : 0.0)
                                      : normalPdf(r, noise);
    };
    double sum = 0.0;
    if (g == Generator::Bishop) {
        sum = double(((x - curve).abs() <= noise).count()) / (2.0 * noise);
    } else {
        const double k = -0.5 / (noise * noise);
        sum = ((x - curve).square() * k).exp().sum() / (noise * std::sqrt(2.0 * kPi));
    }
    sum -= 0.5 * (at(0) + at(n - 1));
    return std::max(sum, 0.0) * grid.step;
}

// Above this many points bayesNll tabulates the evidence instead of integrating it per point.
constexpr std::size_t kExactEvidencePoints = 2000;
// Table nodes per unit of noise.
constexpr double kNodesPerNoise = 64.0;

// The evidence z(x) on evenly spaced x nodes over the data's x range, read back by linear
// interpolation. Exact evidence costs one pass over the hidden grid (42,001 or 200,001 nodes)
// per point, minutes for a million points; the table costs one pass per node. z is the
// convolution of the curve's occupation with the noise density, so it is smooth on the scale of
// the noise: with nodes noise/64 apart, linear interpolation is off by about
// (h/noise)^2 / 8 ~ 3e-5 relative for gaussian noise (1e-4 nats at most, far below the spread of
// any NLL estimate); the uniform noise of Bishop's problem has kinks, where one node interval
// carries an O(h/noise) error.
struct EvidenceTable {
    double lo = 0.0, step = 0.0;
    std::vector<double> z;

    bool empty() const { return z.empty(); }
    double at(double x) const
    {
        const double u = (x - lo) / step;
        if (!(u >= 0.0))
            return z.front();
        const std::size_t i = std::min(std::size_t(u), z.size() - 2);
        const double f = std::min(u - double(i), 1.0);
        return z[i] + f * (z[i + 1] - z[i]);
    }
};

// An empty table when the points are few enough (or the table would not be cheaper).
EvidenceTable evidenceTable(Generator g, double noise, const HiddenGrid &grid, const Dataset &data,
                            const std::atomic<bool> *stop);

double likelihood(Generator g, double noise, double x, double t)
{
    if (g == Generator::Bishop) {
        if (t < 0.0 || t > 1.0)
            return 0.0;
        return std::abs(x - bishopCurve(t)) <= noise ? 1.0 / (2.0 * noise) : 0.0;
    }
    if (std::abs(t) > kHalfRange)
        return 0.0;
    return normalPdf(x - sinusoidCurve(t), noise);
}

// Stops, with an empty table, when *stop turns true.
EvidenceTable evidenceTable(Generator g, double noise, const HiddenGrid &grid, const Dataset &data,
                            const std::atomic<bool> *stop)
{
    EvidenceTable t;
    if (data.size() <= kExactEvidencePoints)
        return t;
    const auto [lo, hi] = std::minmax_element(data.x.begin(), data.x.end());
    const double span = *hi - *lo;
    const double wanted = std::ceil(span * kNodesPerNoise / noise) + 1.0;
    if (!std::isfinite(wanted) || wanted * 2.0 > double(data.size()))
        return t; // not cheaper than the exact integral per point
    const std::size_t nodes = std::max<std::size_t>(2, std::size_t(wanted));
    t.lo = *lo;
    t.step = span > 0.0 ? span / double(nodes - 1) : 1.0;
    t.z.resize(nodes);
    for (std::size_t i = 0; i < nodes; ++i) {
        if (i % 64 == 0 && stop && stop->load(std::memory_order_relaxed))
            return {};
        t.z[i] = evidence(g, noise, grid, t.lo + t.step * double(i));
    }
    return t;
}

} // namespace

bool Dataset::shapeValid() const
{
    if (inputDims < 1 || targetDims < 1 || x.size() % std::size_t(inputDims) != 0 ||
        y.size() != size() * std::size_t(targetDims))
        return false;
    return (inputNames.empty() || inputNames.size() == std::size_t(inputDims)) &&
           (targetNames.empty() || targetNames.size() == std::size_t(targetDims));
}

namespace {

std::vector<double> strided(const std::vector<double> &v, std::size_t n, int stride, int column)
{
    std::vector<double> out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = v[i * std::size_t(stride) + std::size_t(column)];
    return out;
}

std::string columnName(const std::vector<std::string> &names, int dims, int column, const char *stem)
{
    if (std::size_t(column) < names.size() && !names[std::size_t(column)].empty())
        return names[std::size_t(column)];
    return dims == 1 ? std::string(stem) : stem + std::to_string(column + 1);
}

} // namespace

std::vector<double> Dataset::inputColumn(int column) const
{
    return strided(x, size(), inputDims, column);
}

std::vector<double> Dataset::targetColumn(int column) const
{
    return strided(y, size(), targetDims, column);
}

std::string Dataset::inputName(int column) const { return columnName(inputNames, inputDims, column, "x"); }
std::string Dataset::targetName(int column) const { return columnName(targetNames, targetDims, column, "y"); }

Dataset Dataset::projection(int input, int target) const
{
    Dataset p;
    p.name = name;
    p.x = inputColumn(input);
    p.y = targetColumn(target);
    if (!inputNames.empty() || !targetNames.empty()) {
        p.inputNames = {inputName(input)};
        p.targetNames = {targetName(target)};
    }
    return p;
}

void Dataset::clearPoints()
{
    x.clear();
    y.clear();
}

void Dataset::addPoint(const double *inputs, const double *targets)
{
    x.insert(x.end(), inputs, inputs + inputDims);
    y.insert(y.end(), targets, targets + targetDims);
}

double sinusoidCurve(double t) { return 7.0 * std::sin(0.75 * t) + 0.5 * t; }

const char *generatorName(Generator g)
{
    switch (g) {
    case Generator::Sinusoid:
        return "sinusoid";
    case Generator::InverseSinusoid:
        return "inverse-sinusoid";
    case Generator::Bishop:
        return "bishop";
    case Generator::RobotArm:
        return "robot-arm";
    case Generator::RobotArmForward:
        return "robot-arm-forward";
    }
    return "?";
}

std::optional<Generator> generatorFromName(const std::string &name)
{
    for (Generator g : allGenerators())
        if (name == generatorName(g))
            return g;
    return std::nullopt;
}

std::vector<Generator> allGenerators()
{
    return {Generator::Sinusoid, Generator::InverseSinusoid, Generator::Bishop, Generator::RobotArm,
            Generator::RobotArmForward};
}

namespace {

bool isArm(Generator g) { return g == Generator::RobotArm || g == Generator::RobotArmForward; }

} // namespace

double defaultNoise(Generator g)
{
    if (isArm(g))
        return 0.0; // Bishop's arm data are noise-free
    return g == Generator::Bishop ? 0.1 : 1.0;
}

std::size_t defaultPoints(Generator g) { return isArm(g) ? 10'000 : kDefaultPoints; }

int generatorInputDims(Generator g) { return isArm(g) ? 2 : 1; }
int generatorTargetDims(Generator g) { return isArm(g) ? 2 : 1; }

bool fitsGenerator(Generator g, const Dataset &data)
{
    return data.inputDims == generatorInputDims(g) && data.targetDims == generatorTargetDims(g) &&
           data.shapeValid();
}

Dataset generate(const GeneratorSpec &spec, const std::atomic<bool> *stop)
{
    Rng rng(spec.seed);
    Dataset d;
    d.name = generatorName(spec.generator);
    d.inputDims = generatorInputDims(spec.generator);
    d.targetDims = generatorTargetDims(spec.generator);
    const bool arm = isArm(spec.generator);
    if (arm) {
        const bool forward = spec.generator == Generator::RobotArmForward;
        const std::vector<std::string> position{"x1", "x2"}, angles{"theta1", "theta2"};
        d.inputNames = forward ? angles : position;
        d.targetNames = forward ? position : angles;
    }
    // Reserved, not resized: zeroing 160 MB up front takes most of a second on a busy machine,
    // and a stop request would wait for it.
    d.x.reserve(spec.points * std::size_t(d.inputDims));
    d.y.reserve(spec.points * std::size_t(d.targetDims));
    for (std::size_t i = 0; i < spec.points; ++i) {
        if (i % 65536 == 0 && stop && stop->load(std::memory_order_relaxed))
            break;
        if (arm) {
            // Both normals are drawn at any noise, so that the angles do not depend on it.
            const arm::Angles t{rng.uniform(arm::kTheta1Lo, arm::kTheta1Hi),
                                rng.uniform(arm::kTheta2Lo, arm::kTheta2Hi)};
            const arm::Point f = arm::endEffector(t);
            const double p[2] = {f.x + spec.noise * rng.normal(), f.y + spec.noise * rng.normal()};
            const double a[2] = {t.theta1, t.theta2};
            if (spec.generator == Generator::RobotArm)
                d.addPoint(p, a);
            else
                d.addPoint(a, p);
        } else if (spec.generator == Generator::Bishop) {
            const double t = rng.uniform();
            d.x.push_back(bishopCurve(t) + rng.uniform(-spec.noise, spec.noise));
            d.y.push_back(t);
        } else {
            const double u = rng.uniform(-kHalfRange, kHalfRange);
            const double v = sinusoidCurve(u) + spec.noise * rng.normal();
            const bool inverse = spec.generator == Generator::InverseSinusoid;
            d.x.push_back(inverse ? v : u);
            d.y.push_back(inverse ? u : v);
        }
    }
    return d;
}

std::vector<double> trueConditionalDensity(Generator g, double noise, double x,
                                           const std::vector<double> &ys)
{
    if (isArm(g))
        return {};
    noise = std::max(noise, kMinNoise);
    std::vector<double> p(ys.size(), 0.0);
    if (g == Generator::Sinusoid) {
        for (std::size_t i = 0; i < ys.size(); ++i)
            p[i] = normalPdf(ys[i] - sinusoidCurve(x), noise);
        return p;
    }
    const HiddenGrid grid = hiddenGrid(g);
    const double z = evidence(g, noise, grid, x);
    if (!(z > 0.0))
        return p; // x lies outside the generator's support: every y has density 0
    for (std::size_t i = 0; i < ys.size(); ++i)
        p[i] = likelihood(g, noise, x, ys[i]) / z;
    return p;
}

double bayesNll(Generator g, double noise, const Dataset &data, const std::atomic<bool> *stop)
{
    if (!fitsGenerator(g, data))
        throw std::invalid_argument(std::string("data of ") + std::to_string(data.inputDims) +
                                    " input(s) and " + std::to_string(data.targetDims) +
                                    " target(s) do not fit the " + generatorName(g) + " generator");
    if (data.empty())
        return std::numeric_limits<double>::quiet_NaN();
    if (!(noise > 0.0))
        return -std::numeric_limits<double>::infinity();
    if (g == Generator::RobotArm)
        return arm::inverseBayesNll(noise, data, stop);
    if (g == Generator::RobotArmForward)
        return arm::forwardBayesNll(noise, data, stop);
    noise = std::max(noise, kMinNoise);
    const auto stopped = [stop](std::size_t i) {
        return i % 4096 == 0 && stop && stop->load(std::memory_order_relaxed);
    };
    double sum = 0.0;
    if (g == Generator::Sinusoid) {
        for (std::size_t i = 0; i < data.size(); ++i) {
            if (stopped(i))
                return std::numeric_limits<double>::quiet_NaN();
            sum -= std::log(normalPdf(data.y[i] - sinusoidCurve(data.x[i]), noise));
        }
        return sum / double(data.size());
    }
    const HiddenGrid grid = hiddenGrid(g);
    const EvidenceTable table = evidenceTable(g, noise, grid, data, stop);
    for (std::size_t i = 0; i < data.size(); ++i) {
        if (stopped(i))
            return std::numeric_limits<double>::quiet_NaN();
        double z = table.empty() ? 0.0 : table.at(data.x[i]);
        if (!(z > 0.0)) // no table, or an x at the edge of the support between two zero nodes
            z = evidence(g, noise, grid, data.x[i]);
        const double p = z > 0.0 ? likelihood(g, noise, data.x[i], data.y[i]) / z : 0.0;
        if (!(p > 0.0))
            return std::numeric_limits<double>::infinity(); // a point the generator cannot produce
        sum -= std::log(p);
    }
    return sum / double(data.size());
}

Range trueYRange(Generator g, double noise)
{
    switch (g) {
    case Generator::Sinusoid: {
        double lo = 0.0, hi = 0.0;
        for (int i = 0; i <= 2100; ++i) {
            const double f = sinusoidCurve(-kHalfRange + 0.01 * i);
            lo = std::min(lo, f);
            hi = std::max(hi, f);
        }
        return {lo - 4.0 * noise, hi + 4.0 * noise};
    }
    case Generator::InverseSinusoid:
        return {-kHalfRange, kHalfRange};
    case Generator::Bishop:
        return {0.0, 1.0};
    case Generator::RobotArm:
        return {arm::kTheta1Lo, arm::kTheta1Hi};
    case Generator::RobotArmForward: {
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (int i = 0; i <= 200; ++i)
            for (int j = 0; j <= 200; ++j) {
                const double x1 = arm::endEffector({arm::kTheta1Lo + (arm::kTheta1Hi - arm::kTheta1Lo) * i / 200.0,
                                                    arm::kTheta2Lo + (arm::kTheta2Hi - arm::kTheta2Lo) * j / 200.0})
                                      .x;
                lo = std::min(lo, x1);
                hi = std::max(hi, x1);
            }
        return {lo - 4.0 * noise, hi + 4.0 * noise};
    }
    }
    return {};
}

} // namespace mdn
