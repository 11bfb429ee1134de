#include "inspect.h"

#include "mdn.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mdn {

namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;
// Beyond this many sigmas a gaussian's tail mass (~2e-19) is below anything a float cell shows.
constexpr double kTailSigmas = 9.0;
// Components at least this many cells wide are integrated by the midpoint rule.
constexpr double kMidpointSigmaCells = 2.0;

// Phi(z) = P(Z <= z) for a standard normal, accurate in both tails.
double normalCdf(double z) { return 0.5 * std::erfc(-z * kInvSqrt2); }

} // namespace

std::vector<double> mixtureMean(const Mixture &m)
{
    std::vector<double> mean(std::size_t(m.points()));
    for (Eigen::Index j = 0; j < m.points(); ++j)
        mean[std::size_t(j)] = m.mixtureMean(j);
    return mean;
}

std::vector<int> dominantComponent(const Mixture &m)
{
    std::vector<int> best(std::size_t(m.points()), 0);
    for (Eigen::Index j = 0; j < m.points(); ++j) {
        double top = -std::numeric_limits<double>::infinity();
        for (int k = 0; k < m.components(); ++k) {
            // Peak height of pi_k N_k is pi_k / (sigma_k sqrt(2 pi)); a zero width (temperature 0)
            // is an infinitely tall peak.
            const double s = m.width(k, j);
            const double h = s > 0.0 ? m.pi(k, j) / s
                                     : (m.pi(k, j) > 0.0 ? std::numeric_limits<double>::infinity() : 0.0);
            if (h > top) {
                top = h;
                best[std::size_t(j)] = k;
            }
        }
    }
    return best;
}

std::vector<double> mixtureMode(const Mixture &m)
{
    const std::vector<int> best = dominantComponent(m);
    std::vector<double> mode(best.size());
    for (std::size_t j = 0; j < best.size(); ++j)
        mode[j] = m.mean(best[j], Eigen::Index(j));
    return mode;
}

DensityGrid densityGrid(const Mixture &m, double xLo, double xHi, double yLo, double yHi, int rows)
{
    DensityGrid g;
    const int cols = int(m.points());
    if (rows < 1 || cols < 1 || !(yHi > yLo) || !std::isfinite(yLo) || !std::isfinite(yHi))
        return g;
    g.xLo = xLo;
    g.xHi = xHi;
    g.yLo = yLo;
    g.yHi = yHi;
    g.rows = rows;
    g.cols = cols;
    g.values.assign(std::size_t(rows) * std::size_t(cols), 0.0f);
    const double dy = (yHi - yLo) / rows;

    std::vector<double> mass(static_cast<std::size_t>(rows)); // the mass in each cell of one column
    for (int j = 0; j < cols; ++j) {
        std::fill(mass.begin(), mass.end(), 0.0);
        for (int k = 0; k < m.components(); ++k) {
            const double w = m.pi(k, j), mu = m.mean(k, j), s = m.width(k, j);
            if (!(w > 0.0) || !std::isfinite(mu) || !(s >= 0.0) || !std::isfinite(s))
                continue;
            if (s == 0.0) { // a point mass: all of it in the cell that holds mu
                const double r = std::floor((mu - yLo) / dy);
                if (r >= 0.0 && r < rows)
                    mass[std::size_t(r)] += w;
                continue;
            }
            // Only the cells within kTailSigmas of mu get mass; their edges are a, a + dy, ...
            // Clamped while still doubles: a diverged model's mu lies far outside int's range.
            const int first = int(std::clamp(std::floor((mu - kTailSigmas * s - yLo) / dy), 0.0, double(rows)));
            const int last = int(std::clamp(std::floor((mu + kTailSigmas * s - yLo) / dy), -1.0, double(rows - 1)));
            if (first > last)
                continue;
            if (s >= kMidpointSigmaCells * dy) {
                // Wide: mass ~ dy N(mid) (midpoint rule; its error for a gaussian sampled at
                // h <= sigma/2 is of order exp(-2 pi^2 sigma^2 / h^2), nil), at one exp a cell
                // instead of one erfc.
                const double scale = w * dy / s * std::exp(-kLogSqrt2Pi);
                for (int i = first; i <= last; ++i) {
                    const double z = (yLo + (i + 0.5) * dy - mu) / s;
                    mass[std::size_t(i)] += scale * std::exp(-0.5 * z * z);
                }
                continue;
            }
            double below = normalCdf((yLo + first * dy - mu) / s);
            for (int i = first; i <= last; ++i) {
                const double above = normalCdf((yLo + (i + 1) * dy - mu) / s);
                mass[std::size_t(i)] += w * (above - below);
                below = above;
            }
        }
        for (int i = 0; i < rows; ++i)
            g.values[std::size_t(i) * std::size_t(cols) + std::size_t(j)] = float(mass[std::size_t(i)] / dy);
    }
    return g;
}

MixtureSlice mixtureSlice(const Mixture &m, std::ptrdiff_t column, const std::vector<double> &ys)
{
    MixtureSlice out;
    out.total.assign(ys.size(), 0.0);
    if (column < 0 || column >= m.points())
        return out;
    const Eigen::Index j = Eigen::Index(column);
    out.components.assign(std::size_t(m.components()), std::vector<double>(ys.size(), 0.0));
    for (int k = 0; k < m.components(); ++k) {
        const double w = m.pi(k, j), mu = m.mean(k, j), s = m.width(k, j);
        if (!(s > 0.0))
            continue;
        for (std::size_t i = 0; i < ys.size(); ++i) {
            const double p = w * gaussianPdf(ys[i], mu, s);
            out.components[std::size_t(k)][i] = p;
            out.total[i] += p;
        }
    }
    return out;
}

std::vector<double> localHistogram(const Dataset &d, double xCentre, double halfWidth, double yLo,
                                   double yHi, int bins, std::size_t *windowCount)
{
    std::vector<double> h(std::size_t(std::max(bins, 0)), 0.0);
    std::size_t inWindow = 0;
    if (bins > 0 && yHi > yLo) {
        const double width = (yHi - yLo) / bins;
        for (std::size_t i = 0; i < std::min(d.x.size(), d.y.size()); ++i) {
            if (!(std::abs(d.x[i] - xCentre) <= halfWidth) || !std::isfinite(d.y[i]))
                continue;
            ++inWindow;
            const double b = std::floor((d.y[i] - yLo) / width);
            if (b >= 0.0 && b < bins)
                h[std::size_t(b)] += 1.0;
        }
        if (inWindow > 0)
            for (double &v : h)
                v /= double(inWindow) * width;
    }
    if (windowCount)
        *windowCount = inWindow;
    return h;
}

MixtureHealth mixtureHealth(const Mixture &m, double piThreshold)
{
    MixtureHealth h;
    const int K = m.components();
    const Eigen::Index n = m.points();
    if (K == 0 || n == 0)
        return h;
    double smallest = std::numeric_limits<double>::infinity();
    for (Eigen::Index j = 0; j < n; ++j)
        for (int k = 0; k < K; ++k)
            if (m.pi(k, j) >= piThreshold)
                for (int d = 0; d < m.dims; ++d)
                    smallest = std::min(smallest, m.width(k, j, d));
    h.minSigma = std::isfinite(smallest) ? smallest : m.sigma.minCoeff();
    // H(pibar) = -sum_k pibar_k log pibar_k
    const Eigen::ArrayXd pibar = m.pi.rowwise().mean();
    double entropy = 0.0;
    for (int k = 0; k < K; ++k)
        if (pibar(k) > 0.0)
            entropy -= pibar(k) * std::log(pibar(k));
    h.effectiveComponents = std::exp(entropy);
    return h;
}

} // namespace mdn
