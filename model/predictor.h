#pragma once
// A trained model frozen for questions: its network and the standardisation of its data, copied
// out of a trainer. Cheap to copy and safe to share between threads (every query is const), so a
// view can ask it about any input the moment the user points there, while training goes on.

#include "mixture.h"
#include "mlp.h"
#include "standardiser.h"

#include <Eigen/Core>

#include <cstdint>

namespace mdn {

enum class ModelKind { Mse, Mdn };
const char *modelName(ModelKind k); // "mse", "mdn"

class Predictor {
public:
    using Net = Mlp<float>;

    Predictor(ModelKind kind, int mixtures, double sigmaFloor, const Standardiser &standardiser,
              const Net &net);

    ModelKind kind() const { return m_kind; }
    int mixtures() const { return m_mixtures; }
    int inputDims() const { return int(m_std.xMean.size()); }
    int targetDims() const { return int(m_std.yMean.size()); }
    long epoch = 0; // of the trainer it was copied from

    // Queries at inputs X (inputDims x n, data units). Throw std::invalid_argument for another
    // number of input rows.
    // MSE net: its prediction; MDN: the mixture's mean E[y|x]. targetDims x n, data units.
    Eigen::MatrixXd predictAt(const Eigen::MatrixXd &X) const;
    // MDN only (std::logic_error otherwise): the mixture at each column of X with sampling
    // temperatures (1 = as trained).
    Mixture mixtureAt(const Eigen::MatrixXd &X, double piTemperature = 1.0,
                      double sigmaTemperature = 1.0) const;
    // MDN: the mean of the most probable component (largest pi) at each column; MSE net: its
    // prediction. targetDims x n: the single answer a model gives where several are right.
    Eigen::MatrixXd likeliestAt(const Eigen::MatrixXd &X) const;
    // MDN only: `perX` samples at each column of X, targetDims x (n perX), column-major by input
    // point (the samples of column j of X are columns j perX .. j perX + perX - 1). Uses its own
    // rng seeded with `seed`.
    Eigen::MatrixXd sampleAt(const Eigen::MatrixXd &X, int perX, std::uint64_t seed,
                             double piTemperature = 1.0, double sigmaTemperature = 1.0) const;

    // The network's raw outputs at X (standardised units).
    Net::Matrix outputs(const Eigen::MatrixXd &X) const;

private:
    ModelKind m_kind;
    int m_mixtures;
    double m_sigmaFloor;
    Standardiser m_std;
    Net m_net;
};

} // namespace mdn
