#include "robotarm.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace mdn::arm {

Point endEffector(const Angles &a)
{
    const double s = a.theta1 + a.theta2;
    return {kL1 * std::cos(a.theta1) - kL2 * std::cos(s), kL1 * std::sin(a.theta1) - kL2 * std::sin(s)};
}

Point elbow(const Angles &a) { return {kL1 * std::cos(a.theta1), kL1 * std::sin(a.theta1)}; }

bool inJointBox(const Angles &a)
{
    return a.theta1 >= kTheta1Lo && a.theta1 <= kTheta1Hi && a.theta2 >= kTheta2Lo && a.theta2 <= kTheta2Hi;
}

std::vector<Angles> inverse(const Point &p)
{
    // |p|^2 = L1^2 + L2^2 - 2 L1 L2 cos(theta2): theta2 = pi +- acos(...) fixes the elbow.
    const double r2 = p.x * p.x + p.y * p.y;
    const double c = (kL1 * kL1 + kL2 * kL2 - r2) / (2.0 * kL1 * kL2);
    std::vector<Angles> out;
    if (!(c >= -1.0 - 1e-12 && c <= 1.0 + 1e-12))
        return out;
    const double alpha = std::acos(std::clamp(c, -1.0, 1.0)); // in [0, pi]
    for (const double theta2 : {alpha, 2.0 * kPi - alpha}) {
        // p = A (cos t1, sin t1) + B (sin t1, -cos t1) rotated: solve for theta1.
        const double a = kL1 - kL2 * std::cos(theta2);
        const double b = kL2 * std::sin(theta2);
        // x = a cos t1 + b sin t1, y = a sin t1 - b cos t1  =>  t1 = atan2(y, x) + atan2(b, a)
        double theta1 = std::atan2(p.y, p.x) + std::atan2(b, a);
        while (theta1 > kPi)
            theta1 -= 2.0 * kPi;
        while (theta1 <= -kPi)
            theta1 += 2.0 * kPi;
        const Angles s{theta1, theta2};
        if (inJointBox(s) && !(out.size() == 1 && std::abs(out[0].theta2 - theta2) < 1e-12))
            out.push_back(s);
    }
    return out;
}

namespace {

// Grid nodes whose exponent lies this far above the smallest one are left out: e^-30 ~ 1e-13.
constexpr double kCut = 30.0;
// A step of theta1 moves the end effector by at most |f| <= L1 + L2 = 1 times the step, one of
// theta2 by L2 times it: steps that move it by a third of sd put three nodes on each sd of the
// gaussian, where Simpson's rule is far more accurate than the figures need (see logIntegral).
constexpr double kNodesPerSd = 3.0;

void requireNoise(double sd)
{
    if (!(sd > 0.0) || !std::isfinite(sd))
        throw std::invalid_argument("the arm's true density needs a positive, finite noise SD (got " +
                                    std::to_string(sd) + ")");
}

void requireArmData(const Dataset &data)
{
    if (data.inputDims != 2 || data.targetDims != 2 || !data.shapeValid())
        throw std::invalid_argument("robot-arm data have two inputs and two targets (got " +
                                    std::to_string(data.inputDims) + " and " +
                                    std::to_string(data.targetDims) + ")");
}

// Simpson's rule on [lo, hi] with an even number n of intervals, n >= 64, each at most `step`.
struct SimpsonGrid {
    double lo = 0.0, h = 0.0;
    std::int64_t n = 0;

    SimpsonGrid(double from, double to, double step) : lo(from)
    {
        n = std::max<std::int64_t>(64, std::int64_t(std::ceil((to - from) / step)));
        n += n % 2;
        h = (to - from) / double(n);
    }
    double node(std::int64_t i) const { return lo + h * double(i); }
    double weight(std::int64_t i) const
    {
        return h / 3.0 * (i == 0 || i == n ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0));
    }
    // The nodes within [a, b], widened by one node each side and clamped to the grid.
    void indices(double a, double b, std::int64_t &first, std::int64_t &last) const
    {
        const double fa = std::floor((a - lo) / h) - 1.0, fb = std::ceil((b - lo) / h) + 1.0;
        first = std::int64_t(std::clamp(fa, 0.0, double(n)));
        last = std::int64_t(std::clamp(fb, 0.0, double(n)));
    }
};

// The link lengths give |f(theta)|^2 = L1^2 + L2^2 - 2 L1 L2 cos(theta2): the end effector's
// distance from the shoulder depends on theta2 alone, and theta1 turns it about the shoulder.
double reachOf(double theta2) { return std::sqrt(kL1 * kL1 + kL2 * kL2 - 2.0 * kL1 * kL2 * std::cos(theta2)); }

// log of the integral over the joint box of exp(-|x - f(theta)|^2 / (2 sd^2)) dtheta.
//
// In polar form f(theta) = r(theta2) (cos(theta1 + b(theta2)), sin(theta1 + b(theta2))), so with
// x = |x| (cos psi, sin psi) the exponent is
//   e(theta) = (|x|^2 + r^2 - 2 |x| r cos(theta1 + b - psi)) / (2 sd^2).
// Only the theta2 columns whose radius r lies near |x| matter, and in each column only a window
// of theta1 about psi - b: the sum runs over those nodes alone, relative to the smallest
// exponent m (so that a point far out of reach neither underflows nor costs more). Simpson's rule
// in both directions: with three nodes per sd of the gaussian, the error in the interior is
// exponentially small and at the box's edges, where the gaussian is cut, of order (step/sd)^4.
// Measured against grids five times finer (and the cut at e^-40): log Z moves by at most 7e-5
// (a point at a corner of the box, sd 0.02), the mean over 10,000 points (the Bayes floor) by
// under 3e-7 nats, for sd 0.005 to 0.2.
double logIntegral(double sd, const Point &x)
{
    const double h1 = std::clamp(sd / kNodesPerSd, 1e-9, (kTheta1Hi - kTheta1Lo) / 64.0);
    const double h2 = std::clamp(sd / (kNodesPerSd * kL2), 1e-9, (kTheta2Hi - kTheta2Lo) / 64.0);
    const SimpsonGrid g1(kTheta1Lo, kTheta1Hi, h1), g2(kTheta2Lo, kTheta2Hi, h2);
    const double twoVar = 2.0 * sd * sd;
    const double nx = std::hypot(x.x, x.y), psi = std::atan2(x.y, x.x);
    const double rMin = reachOf(kTheta2Lo), rMax = reachOf(kPi); // r over the box's theta2

    // Columns: r within w of |x|, w from the radial part alone, a lower bound of every exponent.
    const double radial = nx < rMin ? rMin - nx : (nx > rMax ? nx - rMax : 0.0);
    const double w = std::sqrt(radial * radial + twoVar * kCut);
    // theta2 = acos(c(r)) on [pi/2, pi] and its mirror on [pi, 3pi/2]; c decreases with r.
    const auto theta2Of = [](double r) {
        const double c = (kL1 * kL1 + kL2 * kL2 - r * r) / (2.0 * kL1 * kL2);
        return std::acos(std::clamp(c, -1.0, 1.0));
    };
    const double a = std::max(theta2Of(std::max(nx - w, rMin)), kTheta2Lo);
    const double b = theta2Of(std::min(nx + w, rMax));
    std::int64_t j0, j1, k0, k1;
    g2.indices(a, b, j0, j1);
    g2.indices(2.0 * kPi - b, std::min(2.0 * kPi - a, kTheta2Hi), k0, k1);
    k0 = std::max(k0, j1 + 1);

    struct Column {
        std::int64_t j;
        double r, centre, least; // centre: psi - b(theta2) near the box; least: its smallest exponent
    };
    std::vector<Column> columns;
    columns.reserve(std::size_t(std::max<std::int64_t>(0, j1 - j0 + 1) + std::max<std::int64_t>(0, k1 - k0 + 1)));
    double m = std::numeric_limits<double>::infinity();
    const double mid = 0.5 * (kTheta1Lo + kTheta1Hi);
    const auto addColumn = [&](std::int64_t j) {
        const double t2 = g2.node(j);
        const double vx = kL1 - kL2 * std::cos(t2), vy = -kL2 * std::sin(t2);
        const double r = std::hypot(vx, vy);
        double c = psi - std::atan2(vy, vx);
        c -= 2.0 * kPi * std::round((c - mid) / (2.0 * kPi));
        const double u = std::clamp(c, kTheta1Lo, kTheta1Hi) - c;
        const double least = ((nx - r) * (nx - r) + 2.0 * nx * r * (1.0 - std::cos(u))) / twoVar;
        m = std::min(m, least);
        columns.push_back({j, r, c, least});
    };
    for (std::int64_t j = j0; j <= j1; ++j)
        addColumn(j);
    for (std::int64_t j = k0; j <= k1; ++j)
        addColumn(j);

    double sum = 0.0;
    Eigen::ArrayXd exponent, weight;
    for (const Column &col : columns) {
        if (col.least - m > kCut)
            continue;
        // The theta1 window: 2 |x| r (1 - cos u) <= 2 sd^2 (m + kCut) - (|x| - r)^2.
        const double budget = twoVar * (m + kCut) - (nx - col.r) * (nx - col.r);
        const double scale = 2.0 * nx * col.r;
        std::int64_t i0 = 0, i1 = g1.n;
        // (A window wider than pi less the box's width could wrap round onto the box's far side.)
        if (scale > 0.0 && budget < scale * (1.0 - std::cos(kPi - (kTheta1Hi - kTheta1Lo)))) {
            const double half = std::acos(1.0 - budget / scale);
            g1.indices(col.centre - half, col.centre + half, i0, i1);
        }
        // e - m = ((|x| - r)^2 + 4 |x| r sin^2(u / 2)) / (2 sd^2) - m, in this form free of the
        // cancellation of |x|^2 + r^2 - 2 |x| r cos u when sd is small. sin(u / 2) along the
        // window by rotation (a few roundings over the window), the exponentials in one sweep.
        const Eigen::Index len = Eigen::Index(i1 - i0 + 1);
        exponent.resize(len);
        weight.resize(len);
        const double radial2 = (nx - col.r) * (nx - col.r) / twoVar - m, k = 2.0 * scale / twoVar;
        const double half0 = 0.5 * (g1.node(i0) - col.centre), dc = std::cos(0.5 * g1.h), ds = std::sin(0.5 * g1.h);
        double sn = std::sin(half0), cs = std::cos(half0);
        for (Eigen::Index q = 0; q < len; ++q) {
            exponent[q] = -(radial2 + k * sn * sn);
            weight[q] = g1.weight(i0 + q);
            const double next = sn * dc + cs * ds;
            cs = cs * dc - sn * ds;
            sn = next;
        }
        sum += g2.weight(col.j) * (weight * exponent.exp()).sum();
    }
    return std::log(sum) - m;
}

double logGaussian2(double sd, const Point &x, const Point &mean)
{
    const double dx = x.x - mean.x, dy = x.y - mean.y;
    return -std::log(2.0 * kPi * sd * sd) - (dx * dx + dy * dy) / (2.0 * sd * sd);
}

} // namespace

double logEvidence(double sd, const Point &x)
{
    requireNoise(sd);
    return logIntegral(sd, x) - std::log(2.0 * kPi * sd * sd);
}

std::vector<double> conditionalDensity(double sd, const Point &x, const std::vector<Angles> &thetas)
{
    const double logZ = logEvidence(sd, x);
    std::vector<double> p(thetas.size(), 0.0);
    for (std::size_t i = 0; i < thetas.size(); ++i)
        if (inJointBox(thetas[i]))
            p[i] = std::exp(logGaussian2(sd, x, endEffector(thetas[i])) - logZ);
    return p;
}

namespace {

// The mean over the data's points of perPoint(i); NaN for no data or when *stop turns true
// (checked every 256 points).
template <typename PerPoint>
double meanOverPoints(const Dataset &data, const std::atomic<bool> *stop, PerPoint perPoint)
{
    if (data.empty())
        return std::numeric_limits<double>::quiet_NaN();
    double sum = 0.0;
    for (std::size_t i = 0; i < data.size(); ++i) {
        if (i % 256 == 0 && stop && stop->load(std::memory_order_relaxed))
            return std::numeric_limits<double>::quiet_NaN();
        sum += perPoint(i);
    }
    return sum / double(data.size());
}

} // namespace

double inverseBayesNll(double sd, const Dataset &data, const std::atomic<bool> *stop)
{
    requireNoise(sd);
    requireArmData(data);
    return meanOverPoints(data, stop, [&](std::size_t i) {
        const Point x{data.input(i, 0), data.input(i, 1)};
        const Angles t{data.target(i, 0), data.target(i, 1)};
        if (!inJointBox(t))
            return std::numeric_limits<double>::infinity(); // angles the arm cannot take
        // -log p = -log N(x; f, sd^2) + log Z: the gaussian's normaliser cancels.
        const Point f = endEffector(t);
        const double dx = x.x - f.x, dy = x.y - f.y;
        return (dx * dx + dy * dy) / (2.0 * sd * sd) + logIntegral(sd, x);
    });
}

double forwardBayesNll(double sd, const Dataset &data, const std::atomic<bool> *stop)
{
    requireNoise(sd);
    requireArmData(data);
    return meanOverPoints(data, stop, [&](std::size_t i) {
        const Point f = endEffector({data.input(i, 0), data.input(i, 1)});
        return -logGaussian2(sd, {data.target(i, 0), data.target(i, 1)}, f);
    });
}

double positionRmse(const Dataset &data, const Eigen::MatrixXd &predictedAngles)
{
    requireArmData(data);
    if (data.empty())
        throw std::invalid_argument("no points to measure the arm's position error on");
    if (predictedAngles.rows() != 2 || predictedAngles.cols() != Eigen::Index(data.size()))
        throw std::invalid_argument("expected 2 x " + std::to_string(data.size()) +
                                    " predicted angles, got " + std::to_string(predictedAngles.rows()) +
                                    " x " + std::to_string(predictedAngles.cols()));
    double sum = 0.0;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const Point f = endEffector({predictedAngles(0, Eigen::Index(i)), predictedAngles(1, Eigen::Index(i))});
        const double dx = data.input(i, 0) - f.x, dy = data.input(i, 1) - f.y;
        sum += dx * dx + dy * dy;
    }
    return std::sqrt(sum / double(data.size()));
}

} // namespace mdn::arm
