#pragma once
// A gaussian mixture per input point, in data units, and the two helpers every consumer of one
// needs: the gaussian density and the mixture's mean.

#include <Eigen/Core>

#include <cmath>

namespace mdn {

constexpr double kLogSqrt2Pi = 0.91893853320467274178; // log(sqrt(2 pi))

// The density of N(mu, sigma^2) at y; 0 for a width that is not positive.
inline double gaussianPdf(double y, double mu, double sigma)
{
    if (!(sigma > 0.0))
        return 0.0;
    const double z = (y - mu) / sigma;
    return std::exp(-0.5 * z * z - kLogSqrt2Pi) / sigma;
}

// K components over `dims` target dimensions with diagonal covariances, one column per input
// point: pi is K x n; mu and sigma are (K dims) x n, row k dims + d for component k's dimension d.
struct Mixture {
    Eigen::ArrayXXd pi, mu, sigma;
    int dims = 1;

    int components() const { return int(pi.rows()); }
    Eigen::Index points() const { return pi.cols(); }
    double mean(Eigen::Index k, Eigen::Index column, int d = 0) const { return mu(k * dims + d, column); }
    double width(Eigen::Index k, Eigen::Index column, int d = 0) const { return sigma(k * dims + d, column); }
    // E[y_d | x] = sum_k pi_k mu_kd at one column.
    double mixtureMean(Eigen::Index column, int d = 0) const
    {
        double m = 0.0;
        for (int k = 0; k < components(); ++k)
            m += pi(k, column) * mean(k, column, d);
        return m;
    }
};

} // namespace mdn
