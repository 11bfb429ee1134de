#include "predictor.h"

#include "mdn.h"
#include "rng.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace mdn {

const char *modelName(ModelKind k) { return k == ModelKind::Mse ? "mse" : "mdn"; }

Predictor::Predictor(ModelKind kind, int mixtures, double sigmaFloor, const Standardiser &standardiser,
                     const Net &net)
    : m_kind(kind), m_mixtures(mixtures), m_sigmaFloor(sigmaFloor), m_std(standardiser), m_net(net)
{
}

Predictor::Net::Matrix Predictor::outputs(const Eigen::MatrixXd &X) const
{
    if (X.rows() != inputDims())
        throw std::invalid_argument("the query has " + std::to_string(X.rows()) +
                                    " input rows; the model takes " + std::to_string(inputDims()));
    Net::Matrix Xs(X.rows(), X.cols());
    for (Eigen::Index c = 0; c < X.rows(); ++c)
        Xs.row(c) = ((X.row(c).array() - m_std.xMean[std::size_t(c)]) / m_std.xScale[std::size_t(c)])
                        .cast<float>()
                        .matrix();
    Net::Workspace ws;
    return m_net.forward(Xs, ws);
}

Mixture Predictor::mixtureAt(const Eigen::MatrixXd &X, double piTemperature, double sigmaTemperature) const
{
    if (m_kind != ModelKind::Mdn)
        throw std::logic_error("a mixture needs a mixture density network");
    const int D = targetDims();
    Mixture m;
    m.dims = D;
    mixtureParameters<float>(outputs(X), m_mixtures, D, float(m_sigmaFloor), piTemperature, sigmaTemperature,
                             m.pi, m.mu, m.sigma);
    for (int k = 0; k < m_mixtures; ++k)
        for (int d = 0; d < D; ++d) {
            const Eigen::Index r = Eigen::Index(k) * D + d;
            m.mu.row(r) = m.mu.row(r) * m_std.yScale[std::size_t(d)] + m_std.yMean[std::size_t(d)];
            m.sigma.row(r) *= m_std.yScale[std::size_t(d)];
        }
    return m;
}

Eigen::MatrixXd Predictor::predictAt(const Eigen::MatrixXd &X) const
{
    const int D = targetDims();
    Eigen::MatrixXd y(D, X.cols());
    if (m_kind == ModelKind::Mse) {
        const Net::Matrix out = outputs(X);
        for (int d = 0; d < D; ++d)
            y.row(d) = (out.col(d).cast<double>().array() * m_std.yScale[std::size_t(d)] +
                        m_std.yMean[std::size_t(d)])
                           .matrix()
                           .transpose();
        return y;
    }
    const Mixture m = mixtureAt(X);
    for (Eigen::Index j = 0; j < X.cols(); ++j)
        for (int d = 0; d < D; ++d)
            y(d, j) = m.mixtureMean(j, d);
    return y;
}

Eigen::MatrixXd Predictor::likeliestAt(const Eigen::MatrixXd &X) const
{
    if (m_kind == ModelKind::Mse)
        return predictAt(X);
    const Mixture m = mixtureAt(X);
    const int D = m.dims;
    Eigen::MatrixXd y(D, X.cols());
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
        Eigen::Index best = 0;
        m.pi.col(j).maxCoeff(&best);
        for (int d = 0; d < D; ++d)
            y(d, j) = m.mean(best, j, d);
    }
    return y;
}

Eigen::MatrixXd Predictor::sampleAt(const Eigen::MatrixXd &X, int perX, std::uint64_t seed,
                                    double piTemperature, double sigmaTemperature) const
{
    const Mixture m = mixtureAt(X, piTemperature, sigmaTemperature);
    const int D = m.dims;
    const int per = std::max(perX, 0);
    Rng rng(seed);
    Eigen::MatrixXd out(D, X.cols() * per);
    for (Eigen::Index j = 0; j < X.cols(); ++j)
        for (int s = 0; s < per; ++s) {
            // Pick a component by the cumulative pi, then draw from its gaussian.
            const double u = rng.uniform();
            double acc = 0.0;
            int k = 0;
            for (; k + 1 < m.components(); ++k) {
                acc += m.pi(k, j);
                if (u < acc)
                    break;
            }
            for (int d = 0; d < D; ++d)
                out(d, j * per + s) = m.mean(k, j, d) + m.width(k, j, d) * rng.normal();
        }
    return out;
}

} // namespace mdn
