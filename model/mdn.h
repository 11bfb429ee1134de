#pragma once
// The two training losses: mean squared error for the plain regression net, and the mixture
// density network's mean negative log-likelihood with Bishop's closed-form gradients.
//
// MDN output layout, one row per observation, for K components over D target dimensions with
// diagonal covariances (K + 2KD columns):
//   columns [0, K)             a_k     mixing logits     pi_k       = softmax(a)_k
//   columns [K, K + KD)        mu_kd   means (raw)       column K + k D + d
//   columns [K + KD, K + 2KD)  s_kd    width parameters  sigma_kd   = floor + exp(min(s_kd, kMaxLogSigma))
// With D = 1 this is (a, mu, s), K columns each. The floor is smooth (added, not clamped), so the
// gradient never vanishes at the floor. Each column holds one quantity for the whole batch, so
// every pass below is a contiguous, vectorised sweep over N values; the sums over components and
// dimensions are element-wise accumulations.

#include "mixture.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>

namespace mdn {

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

// Mean squared error over a batch and its gradient, summed over the D output columns.
//   L = 1/N sum_n |y_n - t_n|^2,   dL/dy_n = 2 (y_n - t_n) / N
// Y, T: N x D. dY (optional): N x D.
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

// The number of network outputs of an MDN with K components over D target dimensions.
constexpr int mdnOutputs(int K, int D) { return K + 2 * K * D; }

// Scratch columns of the MDN loss, reused between calls (N x KD, N x K and N x 1).
template <typename S>
struct MdnWorkspace {
    Array<S> expA, sigma, z, logJoint;
    Eigen::Array<S, Eigen::Dynamic, 1> aMax, aSum, jMax, jSum;
};

// Mean negative log-likelihood of targets T (N x D) under the mixtures Z (N x (K + 2KD)), and its
// gradient dZ (same shape) when dZ is not null. Each component is a product of D independent
// gaussians: with z_kd = (t_d - mu_kd) / sigma_kd,
//   log N_k = sum_d (-z_kd^2/2 - log sigma_kd) - D log sqrt(2 pi),
// and posteriors gamma_k = pi_k N_k / sum_j pi_j N_j (Bishop 1994, section 5, generalised):
//   L         = -1/N sum_n logsumexp_k(log pi_k + log N_k)
//   dL/da_k   = (pi_k - gamma_k) / N
//   dL/dmu_kd = gamma_k (mu_kd - t_d) / sigma_kd^2 / N      = -gamma_k z_kd / sigma_kd / N
//   dL/ds_kd  = gamma_k (1 - z_kd^2) (sigma_kd - floor) / sigma_kd / N
// (the last is Bishop's d/dlog sigma times dlog sigma/ds = exp(s)/sigma for the floored width).
// Both log-sum-exps subtract their maximum over k, so no finite input overflows or gives NaN.
template <typename S>
S mdnLoss(const Matrix<S> &Z, const Eigen::Ref<const Matrix<S>> &T, int K, S sigmaFloor,
          Matrix<S> *dZ, MdnWorkspace<S> &ws)
{
    const Eigen::Index n = Z.rows();
    const int D = int(T.cols());
    const int KD = K * D;
    const auto a = [&](int k) { return Z.col(k).array(); };
    const auto mu = [&](int c) { return Z.col(K + c).array(); };
    const auto s = [&](int c) { return Z.col(K + KD + c).array(); };
    ws.expA.resize(n, K);
    ws.sigma.resize(n, KD);
    ws.z.resize(n, KD);
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
    const S logNorm = S(D * kLogSqrt2Pi);
    for (int k = 0; k < K; ++k) {
        for (int d = 0; d < D; ++d) {
            const int c = k * D + d;
            ws.sigma.col(c) = s(c).min(S(kMaxLogSigma)).exp() + sigmaFloor;
            ws.z.col(c) = (T.col(d).array() - mu(c)) / ws.sigma.col(c);
            if (d == 0)
                ws.logJoint.col(k) = a(k) - ws.aMax - S(0.5) * ws.z.col(c).square() -
                                     ws.sigma.col(c).log() - logNorm;
            else
                ws.logJoint.col(k) -= S(0.5) * ws.z.col(c).square() + ws.sigma.col(c).log();
        }
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
        dZ->resize(n, mdnOutputs(K, D));
        const S inv = S(1) / S(n);
        ws.jSum = ws.jSum.inverse() * inv;  // 1 / (N sum_j)
        ws.aSum = ws.aSum.inverse() * inv;  // 1 / (N sum_j exp(a_j - max))
        for (int k = 0; k < K; ++k) {
            const auto gammaN = ws.logJoint.col(k) * ws.jSum; // gamma_k / N
            dZ->col(k).array() = ws.expA.col(k) * ws.aSum - gammaN;
            for (int d = 0; d < D; ++d) {
                const int c = k * D + d;
                const auto z = ws.z.col(c);
                const auto sigma = ws.sigma.col(c);
                dZ->col(K + c).array() = -gammaN * z / sigma;
                dZ->col(K + KD + c).array() =
                    gammaN * (S(1) - z.square()) * (S(1) - sigmaFloor / sigma);
            }
        }
    }
    return loss;
}

// The mixture parameters of one batch of MDN outputs over D target dimensions, with sampling
// temperatures applied: pi ~ pi^(1/piTemperature) renormalised (temperature 0: the largest pi
// only), and sigma * sqrt(sigmaTemperature) (the variance scales with the temperature).
// pi: K x n; mu, sigma: KD x n, row k D + d for component k's dimension d.
template <typename S>
void mixtureParameters(const Matrix<S> &Z, int K, int D, S sigmaFloor, double piTemperature,
                       double sigmaTemperature, Array<double> &pi, Array<double> &mu,
                       Array<double> &sigma)
{
    const Eigen::Index n = Z.rows();
    const int KD = K * D;
    pi.resize(K, n);
    mu = Z.middleCols(K, KD).transpose().template cast<double>().array();
    sigma = (Z.middleCols(K + KD, KD).transpose().template cast<double>().array().min(kMaxLogSigma).exp() +
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
