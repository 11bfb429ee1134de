#pragma once
// The two training losses: mean squared error for the plain regression net, and the mixture
// density network's mean negative log-likelihood with Bishop's closed-form gradients.
//
// MDN output layout, one row per observation (3K columns):
//   columns [0, K)   a_k  mixing logits        pi_k    = softmax(a)_k
//   columns [K, 2K)  mu_k means                (raw)
//   columns [2K, 3K) s_k  width parameters     sigma_k = floor + exp(min(s_k, kMaxLogSigma))
// The floor is smooth (added, not clamped), so the gradient never vanishes at the floor.
// Each column holds one quantity for the whole batch, so every pass below is a contiguous,
// vectorised sweep over N values; the sums over components are element-wise accumulations.

#include <Eigen/Core>

#include <algorithm>
#include <cmath>

namespace mdn {

constexpr double kLogSqrt2Pi = 0.91893853320467274178; // log(sqrt(2 pi))
// exp of more than this overflows nothing in float but is no meaningful width in standardised units.
constexpr double kMaxLogSigma = 30.0;

template <typename S>
using Matrix = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
template <typename S>
using RowVector = Eigen::Matrix<S, 1, Eigen::Dynamic>;
template <typename S>
using Array = Eigen::Array<S, Eigen::Dynamic, Eigen::Dynamic>;
template <typename S>
using RowArray = Eigen::Array<S, 1, Eigen::Dynamic>;

// Mean squared error over a batch and its gradient.
//   L = 1/N sum_n (y_n - t_n)^2,   dL/dy_n = 2 (y_n - t_n) / N
// Y, T: N x 1. dY (optional): N x 1.
template <typename S>
S mseLoss(const Matrix<S> &Y, const Eigen::Ref<const Matrix<S>> &T, Matrix<S> *dY)
{
    const S n = S(Y.rows());
    if (dY) {
        dY->resize(Y.rows(), Y.cols());
        dY->array() = Y.array() - T.array();
        const S loss = dY->squaredNorm() / n;
        *dY *= S(2) / n;
        return loss;
    }
    return (Y - T).squaredNorm() / n;
}

// Scratch columns of the MDN loss, reused between calls (N x K and N x 1).
template <typename S>
struct MdnWorkspace {
    Array<S> expA, sigma, z, logJoint;
    Eigen::Array<S, Eigen::Dynamic, 1> aMax, aSum, jMax, jSum;
};

// Mean negative log-likelihood of targets T (N x 1) under the mixtures Z (N x 3K), and its
// gradient dZ (N x 3K) when dZ is not null. With log N_k = -z_k^2/2 - log sigma_k - log sqrt(2 pi),
// z_k = (t - mu_k) / sigma_k and posteriors gamma_k = pi_k N_k / sum_j pi_j N_j (Bishop 1994):
//   L        = -1/N sum_n logsumexp_k(log pi_k + log N_k)
//   dL/da_k  = (pi_k - gamma_k) / N
//   dL/dmu_k = gamma_k (mu_k - t) / sigma_k^2 / N          = -gamma_k z_k / sigma_k / N
//   dL/ds_k  = gamma_k (1 - z_k^2) (sigma_k - floor) / sigma_k / N
// (the last is Bishop's d/dlog sigma times dlog sigma/ds = exp(s)/sigma for the floored width).
// Both log-sum-exps subtract their maximum over k, so no finite input overflows or gives NaN.
template <typename S>
S mdnLoss(const Matrix<S> &Z, const Eigen::Ref<const Matrix<S>> &T, int K, S sigmaFloor,
          Matrix<S> *dZ, MdnWorkspace<S> &ws)
{
    const Eigen::Index n = Z.rows();
    const auto a = [&](int k) { return Z.col(k).array(); };
    const auto mu = [&](int k) { return Z.col(K + k).array(); };
    const auto s = [&](int k) { return Z.col(2 * K + k).array(); };
    const auto t = T.col(0).array();
    ws.expA.resize(n, K);
    ws.sigma.resize(n, K);
    ws.z.resize(n, K);
    ws.logJoint.resize(n, K);

    // log pi_k = a_k - max(a) - log sum_j exp(a_j - max(a))
    ws.aMax = a(0);
    for (int k = 1; k < K; ++k)
        ws.aMax = ws.aMax.max(a(k));
    ws.aSum.setZero(n);
    for (int k = 0; k < K; ++k) {
        ws.expA.col(k) = (a(k) - ws.aMax).exp();
        ws.aSum += ws.expA.col(k);
    }
    ws.aMax += ws.aSum.log(); // now the log-normaliser: log pi_k = a_k - aMax

    // log(pi_k N_k), and its maximum over k.
    for (int k = 0; k < K; ++k) {
        ws.sigma.col(k) = s(k).min(S(kMaxLogSigma)).exp() + sigmaFloor;
        ws.z.col(k) = (t - mu(k)) / ws.sigma.col(k);
        ws.logJoint.col(k) = a(k) - ws.aMax - S(0.5) * ws.z.col(k).square() -
                             ws.sigma.col(k).log() - S(kLogSqrt2Pi);
        if (k == 0)
            ws.jMax = ws.logJoint.col(0);
        else
            ws.jMax = ws.jMax.max(ws.logJoint.col(k));
    }
    ws.jSum.setZero(n);
    for (int k = 0; k < K; ++k) {
        ws.logJoint.col(k) = (ws.logJoint.col(k) - ws.jMax).exp(); // unnormalised posteriors
        ws.jSum += ws.logJoint.col(k);
    }
    // Sum of the per-point log-likelihoods, accumulated in double: a float sum of 10^6 terms drifts.
    const double total = (ws.jMax + ws.jSum.log()).template cast<double>().sum();
    const S loss = S(-total / double(n));

    if (dZ) {
        dZ->resize(n, 3 * K);
        const S inv = S(1) / S(n);
        ws.jSum = ws.jSum.inverse() * inv;  // 1 / (N sum_j)
        ws.aSum = ws.aSum.inverse() * inv;  // 1 / (N sum_j exp(a_j - max))
        for (int k = 0; k < K; ++k) {
            const auto gammaN = ws.logJoint.col(k) * ws.jSum; // gamma_k / N
            const auto z = ws.z.col(k);
            const auto sigma = ws.sigma.col(k);
            dZ->col(k).array() = ws.expA.col(k) * ws.aSum - gammaN;
            dZ->col(K + k).array() = -gammaN * z / sigma;
            dZ->col(2 * K + k).array() = gammaN * (S(1) - z.square()) * (S(1) - sigmaFloor / sigma);
        }
    }
    return loss;
}

// The mixture parameters of one batch of MDN outputs, with sampling temperatures applied:
// pi ~ pi^(1/piTemperature) renormalised (temperature 0: the largest pi only), and
// sigma * sqrt(sigmaTemperature) (the variance scales with the temperature).
template <typename S>
void mixtureParameters(const Matrix<S> &Z, int K, S sigmaFloor, double piTemperature,
                       double sigmaTemperature, Array<double> &pi, Array<double> &mu,
                       Array<double> &sigma)
{
    const Eigen::Index n = Z.rows();
    pi.resize(K, n);
    mu = Z.middleCols(K, K).transpose().template cast<double>().array();
    sigma = (Z.rightCols(K).transpose().template cast<double>().array().min(kMaxLogSigma).exp() +
             double(sigmaFloor)) *
            std::sqrt(std::max(sigmaTemperature, 0.0));
    const Array<double> a = Z.leftCols(K).transpose().template cast<double>().array();
    for (Eigen::Index j = 0; j < n; ++j) {
        Eigen::Index best = 0;
        const double m = a.col(j).maxCoeff(&best);
        if (piTemperature <= 1e-6) {
            pi.col(j).setZero();
            pi(best, j) = 1.0;
            continue;
        }
        pi.col(j) = ((a.col(j) - m) / piTemperature).exp();
        pi.col(j) /= pi.col(j).sum();
    }
}

} // namespace mdn
