#include "trainer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace mdn {

namespace {

// A constant column has no spread to divide by: it keeps its units.
double scaleOf(const ColumnMoments &m) { return m.sd > 0.0 ? m.sd : 1.0; }

} // namespace

const char *modelName(ModelKind k) { return k == ModelKind::Mse ? "mse" : "mdn"; }

TrainConfig defaultConfig(ModelKind kind)
{
    TrainConfig c;
    c.kind = kind;
    if (kind == ModelKind::Mse) {
        c.hidden = {20};
        c.mixtures = 0;
    }
    return c;
}

Standardiser Standardiser::fit(const Dataset &d) { return fit(columnMoments(d.x), columnMoments(d.y)); }

Standardiser Standardiser::fit(const ColumnMoments &x, const ColumnMoments &y)
{
    Standardiser s;
    s.xMean = x.mean;
    s.xScale = scaleOf(x);
    s.yMean = y.mean;
    s.yScale = scaleOf(y);
    return s;
}

Trainer::Trainer(const Dataset &train, const TrainConfig &config)
    : m_config(config), m_optimizer(config.optimizer), m_rng(config.seed),
      m_lastLoss(std::numeric_limits<double>::quiet_NaN())
{
    if (train.empty())
        throw std::invalid_argument("the dataset has no points");
    if (train.x.size() != train.y.size())
        throw std::invalid_argument("the dataset's x and y columns differ in length");
    for (std::size_t i = 0; i < train.size(); ++i)
        if (!std::isfinite(train.x[i]) || !std::isfinite(train.y[i]))
            throw std::invalid_argument("the dataset has a non-finite value at point " +
                                        std::to_string(i + 1));
    // The moments once: at millions of points each pass over the data counts (an interrupt waits).
    const ColumnMoments xMoments = columnMoments(train.x), yMoments = columnMoments(train.y);
    std::string why;
    if (!checkScale(xMoments, yMoments, why))
        throw std::invalid_argument(why);
    if (config.kind == ModelKind::Mdn && config.mixtures < 1)
        throw std::invalid_argument("an MDN needs at least one mixture component");
    if (!(config.optimizer.learningRate > 0.0) || !std::isfinite(config.optimizer.learningRate))
        throw std::invalid_argument("the learning rate must be a positive number");

    m_std = Standardiser::fit(xMoments, yMoments);
    const Eigen::Index n = Eigen::Index(train.size());
    m_X.resize(1, n);
    m_T.resize(n, 1);
    for (Eigen::Index i = 0; i < n; ++i) {
        m_X(0, i) = float((train.x[i] - m_std.xMean) / m_std.xScale);
        m_T(i, 0) = float((train.y[i] - m_std.yMean) / m_std.yScale);
    }
    m_order.resize(train.size());
    std::iota(m_order.begin(), m_order.end(), std::size_t(0));

    const int outputs = config.kind == ModelKind::Mdn ? 3 * config.mixtures : 1;
    m_net = Net(1, config.hidden, outputs);
    m_block = std::clamp(Eigen::Index(kBlockWork / double(m_net.parameterCount())), kMinBlock, kBlock);
    m_net.initialise(m_rng, config.initGain, config.outputGain);
    // The initial weights are the first place to roll back to; their loss is not known yet.
    checkpoint(std::numeric_limits<double>::infinity());
}

double Trainer::toDataUnits(double l) const
{
    // NLL: p_data(y) = p_std((y - m) / s) / s, so each point's NLL grows by log s.
    // MSE: squared residuals scale with s^2.
    return m_config.kind == ModelKind::Mdn ? l + std::log(m_std.yScale)
                                           : l * m_std.yScale * m_std.yScale;
}

void Trainer::requireMdn(const char *what) const
{
    if (m_config.kind != ModelKind::Mdn)
        throw std::logic_error(std::string(what) + " needs a mixture density network");
}

Trainer::Pass &Trainer::passFor(Eigen::Index size)
{
    for (Pass &p : m_passes)
        if (p.size == size)
            return p;
    Pass &p = m_passes[m_nextPass++ % m_passes.size()];
    p.size = size;
    return p;
}

// Mean loss over the batch (standardised units) and its gradient, over cache-sized blocks: the
// gradient of the mean is the sum of the block gradients weighted by their share of the batch.
double Trainer::lossAndGradient(const Eigen::Ref<const Matrix> &X, const Eigen::Ref<const Matrix> &T,
                                Net::Vector &grad)
{
    const Eigen::Index n = X.cols();
    double loss = 0.0;
    for (Eigen::Index start = 0; start < n; start += m_block) {
        if (stopRequested()) {
            m_stoppedInStep = true;
            return std::numeric_limits<double>::quiet_NaN();
        }
        const Eigen::Index len = std::min(m_block, n - start);
        Pass &p = passFor(len);
        const auto Xb = X.middleCols(start, len);
        const auto Tb = T.middleRows(start, len);
        const Matrix &out = m_net.forward(Xb, p.net);
        const double blockLoss =
            m_config.kind == ModelKind::Mdn
                ? double(mdnLoss<float>(out, Tb, m_config.mixtures, float(m_config.sigmaFloor),
                                        &p.dOut, p.mdn))
                : double(mseLoss<float>(out, Tb, &p.dOut));
        if (len == n) {
            m_net.backward(Xb, p.dOut, p.net, grad);
            return blockLoss;
        }
        const float share = float(double(len) / double(n));
        p.dOut *= share;
        m_net.backward(Xb, p.dOut, p.net, m_blockGrad);
        if (start == 0)
            grad = m_blockGrad;
        else
            grad += m_blockGrad;
        loss += blockLoss * double(share);
    }
    return loss;
}

double Trainer::stepBatch(const Eigen::Ref<const Matrix> &X, const Eigen::Ref<const Matrix> &T,
                          bool epochStart)
{
    const double loss = lossAndGradient(X, T, m_grad);
    if (m_stoppedInStep)
        return loss; // nothing was changed
    m_gradNorm = double(m_grad.norm());
    if (!guard(loss, m_epoch, epochStart))
        return std::numeric_limits<double>::quiet_NaN();
    m_optimizer.step(m_net.parameters(), m_grad);
    if (!m_net.parameters().allFinite()) {
        guard(std::numeric_limits<double>::infinity(), m_epoch, false);
        return std::numeric_limits<double>::quiet_NaN();
    }
    return loss;
}

void Trainer::checkpoint(double loss)
{
    m_goodParams = m_net.parameters();
    m_goodOptimizer = m_optimizer;
    m_goodEpoch = m_epoch;
    m_goodLoss = loss;
}

// Checks one step's loss (standardised units) and gradient. A non-finite value, or a loss that
// has climbed far above the last checkpoint's, is a divergence: the weights and the optimiser go
// back to the checkpoint, the learning rate halves, and the event is recorded. Returns false when
// the step must not be applied. A negative NLL is a valid density above 1, not a fault.
bool Trainer::guard(double loss, long epoch, bool epochStart)
{
    const bool finite = std::isfinite(loss) && std::isfinite(m_gradNorm);
    const bool exploded = finite && std::isfinite(m_goodLoss) &&
                          loss > m_goodLoss + 10.0 * std::max(1.0, std::abs(m_goodLoss));
    if (finite && !exploded) {
        // The weights that produced this loss become the checkpoint before the step moves them,
        // so a checkpoint's loss always belongs to its weights.
        if (epochStart && (!std::isfinite(m_goodLoss) || m_epoch - m_goodEpoch >= m_config.checkpointEvery))
            checkpoint(loss);
        return true;
    }

    m_faultInStep = true;
    m_net.parameters() = m_goodParams;
    m_optimizer = m_goodOptimizer;
    m_epoch = m_goodEpoch;
    m_lastLoss = std::isfinite(m_goodLoss) ? toDataUnits(m_goodLoss)
                                           : std::numeric_limits<double>::quiet_NaN();
    const double lr = learningRate() * 0.5;
    m_optimizer.setLearningRate(lr);
    m_goodOptimizer.setLearningRate(lr);
    const char *what = !std::isfinite(loss)     ? "non-finite loss"
                       : !std::isfinite(m_gradNorm) ? "non-finite gradient"
                                                    : "loss explosion";
    std::string message = std::string(what) + " at epoch " + std::to_string(epoch + 1) +
                          "; rolled back to epoch " + std::to_string(m_goodEpoch) +
                          "; learning rate now " + formatNumber(lr);
    if (int(m_faults.size()) + 1 >= m_config.maxRecoveries) {
        m_failed = true;
        message += "; stopped after " + std::to_string(m_faults.size() + 1) +
                   " faults (try a smaller learning rate)";
    }
    m_faults.push_back({epoch + 1, message});
    return false;
}

long Trainer::train(long epochs, const std::atomic<bool> *stop,
                    const std::function<bool(long, double)> &onEpoch)
{
    const Eigen::Index n = m_X.cols();
    const Eigen::Index batch =
        m_config.batch == 0 || Eigen::Index(m_config.batch) >= n ? n : Eigen::Index(m_config.batch);
    const long first = m_epoch;
    m_stop = stop;
    m_stoppedInStep = false;
    while (m_epoch - first < epochs && !m_failed && !stopRequested()) {
        m_faultInStep = false;
        double sum = 0.0;
        if (batch == n) {
            sum = stepBatch(m_X, m_T, true) * double(n);
        } else {
            // A fresh order each epoch; the permuted copy keeps every mini-batch contiguous.
            for (std::size_t i = m_order.size() - 1; i > 0; --i)
                std::swap(m_order[i], m_order[m_rng.below(i + 1)]);
            m_scratchX.resize(1, n);
            m_scratchT.resize(n, 1);
            for (Eigen::Index i = 0; i < n; ++i) {
                m_scratchX(0, i) = m_X(0, Eigen::Index(m_order[std::size_t(i)]));
                m_scratchT(i, 0) = m_T(Eigen::Index(m_order[std::size_t(i)]), 0);
            }
            for (Eigen::Index start = 0; start < n && !m_faultInStep && !m_stoppedInStep; start += batch) {
                const Eigen::Index len = std::min(batch, n - start);
                sum += stepBatch(m_scratchX.middleCols(start, len),
                                 m_scratchT.middleRows(start, len), start == 0) *
                       double(len);
                if (stopRequested())
                    m_stoppedInStep = start + len < n;
            }
        }
        if (m_stoppedInStep)
            break; // an interrupted epoch is not counted
        if (m_faultInStep) {
            // The epoch was rolled back: it does not count, and its loss is not reported.
            if (onEpoch && !onEpoch(m_epoch, m_lastLoss))
                break;
            continue;
        }
        ++m_epoch;
        const double meanLoss = sum / double(n);
        m_lastLoss = toDataUnits(meanLoss);
        if (onEpoch && !onEpoch(m_epoch, m_lastLoss))
            break;
    }
    m_stop = nullptr;
    return std::max(0L, m_epoch - first);
}

Trainer::Matrix Trainer::outputs(const std::vector<double> &xs) const
{
    Matrix X(1, Eigen::Index(xs.size()));
    for (std::size_t i = 0; i < xs.size(); ++i)
        X(0, Eigen::Index(i)) = float((xs[i] - m_std.xMean) / m_std.xScale);
    Net::Workspace ws;
    return m_net.forward(X, ws);
}

// In blocks, like training: one pass over a large validation set in a single piece would page in
// tens of megabytes of fresh outputs and run several times slower. The network runs in float as
// in training; the loss in double, in data units for the MSE, so that a point far from the
// training data's range (a target 1e20 standard deviations away) overflows nothing.
double Trainer::loss(const Dataset &d, const std::atomic<bool> *stop) const
{
    if (d.empty())
        return std::numeric_limits<double>::quiet_NaN();
    const Eigen::Index n = Eigen::Index(d.size());
    const Eigen::Index block = std::min(n, m_block);
    Matrix X(1, block);
    mdn::Matrix<double> T(block, 1);
    Net::Workspace ws;
    MdnWorkspace<double> mdnWs;
    mdn::Matrix<double> out;
    double sum = 0.0;
    for (Eigen::Index start = 0; start < n; start += block) {
        if (stop && stop->load(std::memory_order_relaxed))
            return std::numeric_limits<double>::quiet_NaN();
        const Eigen::Index m = std::min(block, n - start);
        for (Eigen::Index i = 0; i < m; ++i) {
            const std::size_t j = std::size_t(start + i);
            X(0, i) = float((d.x[j] - m_std.xMean) / m_std.xScale);
            T(i, 0) = (d.y[j] - m_std.yMean) / m_std.yScale;
        }
        out = m_net.forward(X.leftCols(m), ws).cast<double>();
        if (m_config.kind == ModelKind::Mse) {
            // Residuals in data units, each squared term divided by n before it is summed.
            const double w = m_std.yScale / std::sqrt(double(n));
            sum += ((out.col(0).array() - T.col(0).head(m).array()) * w).square().sum();
        } else {
            sum += mdnLoss<double>(out, T.topRows(m), m_config.mixtures, m_config.sigmaFloor,
                                   nullptr, mdnWs) *
                   (double(m) / double(n));
        }
    }
    return m_config.kind == ModelKind::Mse ? sum : sum + std::log(m_std.yScale);
}

Mixture Trainer::mixture(const std::vector<double> &xs, double piTemperature,
                         double sigmaTemperature) const
{
    requireMdn("a mixture");
    Mixture m;
    mixtureParameters<float>(outputs(xs), m_config.mixtures, float(m_config.sigmaFloor),
                             piTemperature, sigmaTemperature, m.pi, m.mu, m.sigma);
    m.mu = m.mu * m_std.yScale + m_std.yMean;
    m.sigma *= m_std.yScale;
    return m;
}

std::vector<double> Trainer::predict(const std::vector<double> &xs) const
{
    std::vector<double> y(xs.size());
    if (m_config.kind == ModelKind::Mse) {
        const Matrix out = outputs(xs);
        for (std::size_t i = 0; i < xs.size(); ++i)
            y[i] = double(out(Eigen::Index(i), 0)) * m_std.yScale + m_std.yMean;
        return y;
    }
    const Mixture m = mixture(xs);
    for (std::size_t i = 0; i < xs.size(); ++i)
        y[i] = (m.pi.col(Eigen::Index(i)) * m.mu.col(Eigen::Index(i))).sum();
    return y;
}

std::vector<std::pair<double, double>> Trainer::sample(const std::vector<double> &xs, int perX,
                                                       std::uint64_t seed, double piTemperature,
                                                       double sigmaTemperature) const
{
    const Mixture m = mixture(xs, piTemperature, sigmaTemperature);
    Rng rng(seed);
    std::vector<std::pair<double, double>> out;
    out.reserve(xs.size() * std::size_t(std::max(perX, 0)));
    for (std::size_t j = 0; j < xs.size(); ++j) {
        const Eigen::Index c = Eigen::Index(j);
        for (int s = 0; s < perX; ++s) {
            // Pick a component by the cumulative pi, then draw from its gaussian.
            const double u = rng.uniform();
            double acc = 0.0;
            int k = 0;
            for (; k + 1 < m.components(); ++k) {
                acc += m.pi(k, c);
                if (u < acc)
                    break;
            }
            out.emplace_back(xs[j], m.mu(k, c) + m.sigma(k, c) * rng.normal());
        }
    }
    return out;
}

Eigen::ArrayXXd Trainer::density(const std::vector<double> &xs, const std::vector<double> &ys) const
{
    const Mixture m = mixture(xs);
    Eigen::ArrayXXd p = Eigen::ArrayXXd::Zero(Eigen::Index(ys.size()), Eigen::Index(xs.size()));
    for (Eigen::Index j = 0; j < m.points(); ++j)
        for (int k = 0; k < m.components(); ++k) {
            const double sd = m.sigma(k, j);
            if (!(sd > 0.0))
                continue;
            const double w = m.pi(k, j) / sd * std::exp(-kLogSqrt2Pi);
            for (std::size_t i = 0; i < ys.size(); ++i) {
                const double z = (ys[i] - m.mu(k, j)) / sd;
                p(Eigen::Index(i), j) += w * std::exp(-0.5 * z * z);
            }
        }
    return p;
}

} // namespace mdn
