#include "trainer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace mdn {


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

std::string describeDifferences(const TrainConfig &reference, const TrainConfig &run)
{
    if (run.kind != reference.kind)
        return run.kind == ModelKind::Mse ? "MSE net" : "MDN";
    const auto number = [](double v) {
        std::ostringstream o;
        o << v; // shortest of %g: 0.003, 1e-05
        return o.str();
    };
    std::vector<std::string> parts;
    if (run.kind == ModelKind::Mdn && run.mixtures != reference.mixtures)
        parts.push_back("K = " + std::to_string(run.mixtures));
    if (run.hidden != reference.hidden) {
        std::string h;
        for (std::size_t i = 0; i < run.hidden.size(); ++i)
            h += (i ? "\u00d7" : "") + std::to_string(run.hidden[i]);
        parts.push_back("H = " + (h.empty() ? std::string("none") : h));
    }
    if (run.optimizer.kind != reference.optimizer.kind) {
        static const char *const names[] = {"Adam", "RMSProp", "SGD"};
        const int k = int(run.optimizer.kind);
        parts.push_back(k >= 0 && k < 3 ? names[k] : optimizerName(run.optimizer.kind));
    }
    if (run.optimizer.learningRate != reference.optimizer.learningRate)
        parts.push_back("lr = " + number(run.optimizer.learningRate));
    if (run.batch != reference.batch)
        parts.push_back(run.batch == 0 ? std::string("full batch") : "batch " + std::to_string(run.batch));
    if (run.seed != reference.seed)
        parts.push_back("seed " + std::to_string(run.seed));
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i)
        out += (i ? ", " : "") + parts[i];
    return out;
}

Trainer::Trainer(const Dataset &train, const TrainConfig &config)
    : m_config(config), m_optimizer(config.optimizer), m_rng(config.seed),
      m_lastLoss(std::numeric_limits<double>::quiet_NaN())
{
    if (train.empty())
        throw std::invalid_argument("the dataset has no points");
    if (!train.shapeValid())
        throw std::invalid_argument("the dataset's input and target columns differ in length");
    const std::size_t din = std::size_t(train.inputDims), dout = std::size_t(train.targetDims);
    for (std::size_t i = 0; i < train.size(); ++i) {
        bool finite = true;
        for (std::size_t c = 0; c < din; ++c)
            finite = finite && std::isfinite(train.x[i * din + c]);
        for (std::size_t c = 0; c < dout; ++c)
            finite = finite && std::isfinite(train.y[i * dout + c]);
        if (!finite)
            throw std::invalid_argument("the dataset has a non-finite value at point " +
                                        std::to_string(i + 1));
    }
    // The moments once: at millions of points each pass over the data counts (an interrupt waits).
    const std::vector<ColumnMoments> xMoments = inputMoments(train), yMoments = targetMoments(train);
    std::string why;
    for (std::size_t c = 0; c < din; ++c)
        if (!checkScale(xMoments[c], yMoments[0], why))
            throw std::invalid_argument(why);
    for (std::size_t c = 1; c < dout; ++c)
        if (!checkScale(xMoments[0], yMoments[c], why))
            throw std::invalid_argument(why);
    if (config.kind == ModelKind::Mdn && config.mixtures < 1)
        throw std::invalid_argument("an MDN needs at least one mixture component");
    if (!(config.optimizer.learningRate > 0.0) || !std::isfinite(config.optimizer.learningRate))
        throw std::invalid_argument("the learning rate must be a positive number");

    m_std = Standardiser::fit(xMoments, yMoments);
    const Eigen::Index n = Eigen::Index(train.size());
    m_X.resize(Eigen::Index(din), n);
    m_T.resize(n, Eigen::Index(dout));
    for (Eigen::Index i = 0; i < n; ++i) {
        for (std::size_t c = 0; c < din; ++c)
            m_X(Eigen::Index(c), i) =
                float((train.x[std::size_t(i) * din + c] - m_std.xMean[c]) / m_std.xScale[c]);
        for (std::size_t c = 0; c < dout; ++c)
            m_T(i, Eigen::Index(c)) =
                float((train.y[std::size_t(i) * dout + c] - m_std.yMean[c]) / m_std.yScale[c]);
    }
    if (config.kind == ModelKind::Mse && dout > 1) {
        m_targetScale2.resize(Eigen::Index(dout));
        for (std::size_t c = 0; c < dout; ++c)
            m_targetScale2[Eigen::Index(c)] = m_std.yScale[c] * m_std.yScale[c];
    }
    m_order.resize(train.size());
    std::iota(m_order.begin(), m_order.end(), std::size_t(0));

    const int outputs = config.kind == ModelKind::Mdn ? mdnOutputs(config.mixtures, int(dout)) : int(dout);
    m_net = Net(int(din), config.hidden, outputs);
    m_block = std::clamp(Eigen::Index(kBlockWork / double(m_net.parameterCount())), kMinBlock, kBlock);
    m_net.initialise(m_rng, config.initGain, config.outputGain);
    // The initial weights are the first place to roll back to; their loss is not known yet.
    checkpoint(std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity());
}

double Trainer::toDataUnits(double l) const
{
    // NLL: p_data(y) = p_std((y - m) / s) / s, so each point's NLL grows by log s.
    // MSE: squared residuals scale with s^2.
    // (The MSE of several targets weighs each column by its own scale: see lossAndGradient.)
    return m_config.kind == ModelKind::Mdn ? l + m_std.logJacobian()
                                           : l * m_std.yScale[0] * m_std.yScale[0];
}

void Trainer::requireMdn(const char *what) const
{
    if (m_config.kind != ModelKind::Mdn)
        throw std::logic_error(std::string(what) + " needs a mixture density network");
}

void Trainer::requireOneDimensional(const char *what) const
{
    if (inputDims() != 1)
        throw std::logic_error(std::string(what) + " at x values needs a model with one input");
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
    m_stepDataLoss = 0.0;
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
        // dOut = 2 (y - t) / len: each column's squared residuals are |dOut_d|^2 len^2 / 4.
        const double blockDataLoss =
            m_targetScale2.size() > 0
                ? (p.dOut.colwise().squaredNorm().template cast<double>().array() * m_targetScale2.array())
                          .sum() *
                      double(len) / 4.0
                : toDataUnits(blockLoss);
        if (len == n) {
            m_net.backward(Xb, p.dOut, p.net, grad);
            m_stepDataLoss = blockDataLoss;
            return blockLoss;
        }
        const float share = float(double(len) / double(n));
        m_stepDataLoss += blockDataLoss * double(share);
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

void Trainer::checkpoint(double loss, double dataLoss)
{
    m_goodParams = m_net.parameters();
    m_goodOptimizer = m_optimizer;
    m_goodEpoch = m_epoch;
    m_goodLoss = loss;
    m_goodDataLoss = dataLoss;
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
            checkpoint(loss, m_stepDataLoss);
        return true;
    }

    m_faultInStep = true;
    m_net.parameters() = m_goodParams;
    m_optimizer = m_goodOptimizer;
    m_epoch = m_goodEpoch;
    m_lastLoss = std::isfinite(m_goodLoss) ? m_goodDataLoss : std::numeric_limits<double>::quiet_NaN();
    // The epoch in progress is abandoned: the next one starts afresh.
    m_cursor = 0;
    m_epochOpen = false;
    m_epochSum = m_epochDataSum = 0.0;
    ++m_halvings;
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

// A fresh order for a mini-batch epoch; the permuted copy keeps every mini-batch contiguous.
void Trainer::shuffle()
{
    for (std::size_t i = m_order.size() - 1; i > 0; --i)
        std::swap(m_order[i], m_order[m_rng.below(i + 1)]);
    copyInOrder();
}

// The training data in m_order, into m_scratchX/T.
void Trainer::copyInOrder()
{
    const Eigen::Index n = m_X.cols();
    m_scratchX.resize(m_X.rows(), n);
    m_scratchT.resize(n, m_T.cols());
    for (Eigen::Index i = 0; i < n; ++i) {
        const Eigen::Index j = Eigen::Index(m_order[std::size_t(i)]);
        m_scratchX.col(i) = m_X.col(j);
        m_scratchT.row(i) = m_T.row(j);
    }
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
        if (batch == n) {
            const double loss = stepBatch(m_X, m_T, true);
            m_epochSum = loss * double(n);
            m_epochDataSum = m_stepDataLoss * double(n);
        } else {
            if (!m_epochOpen) {
                shuffle();
                m_epochOpen = true;
                m_epochSum = m_epochDataSum = 0.0;
            }
            // A stopped step changes nothing and leaves the cursor on its batch; a stop between
            // batches leaves the epoch part way, to be resumed by the next call.
            while (Eigen::Index(m_cursor) < n && !m_faultInStep) {
                const Eigen::Index start = Eigen::Index(m_cursor);
                const Eigen::Index len = std::min(batch, n - start);
                const double loss = stepBatch(m_scratchX.middleCols(start, len),
                                              m_scratchT.middleRows(start, len), start == 0);
                if (m_stoppedInStep || m_faultInStep)
                    break;
                m_epochSum += loss * double(len);
                m_epochDataSum += m_stepDataLoss * double(len);
                m_cursor += std::size_t(len);
                if (stopRequested() && Eigen::Index(m_cursor) < n) {
                    m_stoppedInStep = true;
                    break;
                }
            }
        }
        if (m_stoppedInStep)
            break; // an interrupted epoch is not counted (yet)
        if (m_faultInStep) {
            // The epoch was rolled back: it does not count, and its loss is not reported.
            if (onEpoch && !onEpoch(m_epoch, m_lastLoss))
                break;
            continue;
        }
        m_cursor = 0;
        m_epochOpen = false;
        ++m_epoch;
        m_lastLoss = m_epochDataSum / double(n);
        if (onEpoch && !onEpoch(m_epoch, m_lastLoss))
            break;
    }
    m_stop = nullptr;
    return std::max(0L, m_epoch - first);
}

TrainerState Trainer::state() const
{
    TrainerState s;
    s.epoch = m_epoch;
    s.lastLoss = m_lastLoss;
    s.gradientNorm = m_gradNorm;
    s.failed = m_failed;
    s.parameters = m_net.parameters();
    s.optimizer = m_optimizer.state();
    s.rng = m_rng.state();
    s.order = m_order;
    s.batchCursor = m_cursor;
    s.epochOpen = m_epochOpen;
    s.epochLoss = m_epochSum;
    s.epochDataLoss = m_epochDataSum;
    s.checkpointParameters = m_goodParams;
    s.checkpointOptimizer = m_goodOptimizer.state();
    s.checkpointEpoch = m_goodEpoch;
    s.checkpointLoss = m_goodLoss;
    s.checkpointDataLoss = m_goodDataLoss;
    s.learningRateHalvings = m_halvings;
    s.faults = m_faults;
    return s;
}

void Trainer::restore(const TrainerState &s)
{
    const Eigen::Index p = m_net.parameterCount();
    const auto momentsFit = [p](const Optimizer<float>::State &o) {
        return (o.m.size() == 0 || o.m.size() == p) && (o.v.size() == 0 || o.v.size() == p);
    };
    if (s.parameters.size() != p || s.checkpointParameters.size() != p || s.order.size() != m_order.size() ||
        s.batchCursor >= std::max<std::size_t>(m_order.size(), 1) || !momentsFit(s.optimizer) ||
        !momentsFit(s.checkpointOptimizer))
        throw std::invalid_argument("the saved training state does not fit this model and data");
    std::vector<bool> seen(m_order.size(), false);
    for (std::size_t i : s.order) {
        if (i >= seen.size() || seen[i])
            throw std::invalid_argument("the saved training state's point order is not a permutation");
        seen[i] = true;
    }
    m_epoch = s.epoch;
    m_lastLoss = s.lastLoss;
    m_gradNorm = s.gradientNorm;
    m_failed = s.failed;
    m_net.parameters() = s.parameters;
    m_optimizer.restore(s.optimizer);
    m_rng.restore(s.rng);
    m_order = s.order;
    m_cursor = s.batchCursor;
    m_epochOpen = s.epochOpen;
    m_epochSum = s.epochLoss;
    m_epochDataSum = s.epochDataLoss;
    m_goodParams = s.checkpointParameters;
    m_goodOptimizer.restore(s.checkpointOptimizer);
    m_goodEpoch = s.checkpointEpoch;
    m_goodLoss = s.checkpointLoss;
    m_goodDataLoss = s.checkpointDataLoss;
    m_halvings = s.learningRateHalvings;
    m_faults = s.faults;
    if (m_epochOpen)
        copyInOrder(); // the permuted copy of the epoch in progress, rebuilt from its order
}

void Trainer::restoreParameters(const Eigen::VectorXf &parameters)
{
    if (parameters.size() != m_net.parameterCount())
        throw std::invalid_argument("the weights do not fit this model: " + std::to_string(parameters.size()) +
                                    " values for " + std::to_string(m_net.parameterCount()) + " parameters");
    m_net.parameters() = parameters;
}

Predictor Trainer::predictor() const
{
    Predictor p(m_config.kind, m_config.mixtures, m_config.sigmaFloor, m_std, m_net);
    p.epoch = m_epoch;
    return p;
}

Trainer::Matrix Trainer::outputs(const Eigen::MatrixXd &X) const { return predictor().outputs(X); }

Trainer::Matrix Trainer::outputs(const std::vector<double> &xs) const
{
    requireOneDimensional("a query");
    return outputs(Eigen::MatrixXd(Eigen::Map<const Eigen::RowVectorXd>(xs.data(), Eigen::Index(xs.size()))));
}

// In blocks, like training: one pass over a large validation set in a single piece would page in
// tens of megabytes of fresh outputs and run several times slower. The network runs in float as
// in training; the loss in double, in data units for the MSE, so that a point far from the
// training data's range (a target 1e20 standard deviations away) overflows nothing.
double Trainer::loss(const Dataset &d, const std::atomic<bool> *stop) const
{
    if (d.empty())
        return std::numeric_limits<double>::quiet_NaN();
    if (d.inputDims != inputDims() || d.targetDims != targetDims() || !d.shapeValid())
        throw std::invalid_argument("the data to score has " + std::to_string(d.inputDims) + " inputs and " +
                                    std::to_string(d.targetDims) + " targets; the model has " +
                                    std::to_string(inputDims()) + " and " + std::to_string(targetDims()));
    const std::size_t din = std::size_t(inputDims()), dout = std::size_t(targetDims());
    const Eigen::Index n = Eigen::Index(d.size());
    const Eigen::Index block = std::min(n, m_block);
    Matrix X(Eigen::Index(din), block);
    mdn::Matrix<double> T(block, Eigen::Index(dout));
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
            for (std::size_t c = 0; c < din; ++c)
                X(Eigen::Index(c), i) = float((d.x[j * din + c] - m_std.xMean[c]) / m_std.xScale[c]);
            for (std::size_t c = 0; c < dout; ++c)
                T(i, Eigen::Index(c)) = (d.y[j * dout + c] - m_std.yMean[c]) / m_std.yScale[c];
        }
        out = m_net.forward(X.leftCols(m), ws).cast<double>();
        if (m_config.kind == ModelKind::Mse) {
            // Residuals in data units, each squared term divided by n before it is summed.
            for (std::size_t c = 0; c < dout; ++c) {
                const double w = m_std.yScale[c] / std::sqrt(double(n));
                sum += ((out.col(Eigen::Index(c)).array() - T.col(Eigen::Index(c)).head(m).array()) * w)
                           .square()
                           .sum();
            }
        } else {
            sum += mdnLoss<double>(out, T.topRows(m), m_config.mixtures, m_config.sigmaFloor,
                                   nullptr, mdnWs) *
                   (double(m) / double(n));
        }
    }
    return m_config.kind == ModelKind::Mse ? sum : sum + m_std.logJacobian();
}

Mixture Trainer::mixtureAt(const Eigen::MatrixXd &X, double piTemperature, double sigmaTemperature) const
{
    requireMdn("a mixture");
    return predictor().mixtureAt(X, piTemperature, sigmaTemperature);
}

Mixture Trainer::mixture(const std::vector<double> &xs, double piTemperature,
                         double sigmaTemperature) const
{
    requireOneDimensional("a mixture");
    return mixtureAt(Eigen::MatrixXd(Eigen::Map<const Eigen::RowVectorXd>(xs.data(), Eigen::Index(xs.size()))),
                   piTemperature, sigmaTemperature);
}

Eigen::MatrixXd Trainer::predictAt(const Eigen::MatrixXd &X) const { return predictor().predictAt(X); }

std::vector<double> Trainer::predict(const std::vector<double> &xs) const
{
    requireOneDimensional("a prediction");
    const Eigen::MatrixXd y =
        predictAt(Eigen::MatrixXd(Eigen::Map<const Eigen::RowVectorXd>(xs.data(), Eigen::Index(xs.size()))));
    return std::vector<double>(y.row(0).data(), y.row(0).data() + y.cols());
}

Eigen::MatrixXd Trainer::sampleAt(const Eigen::MatrixXd &X, int perX, std::uint64_t seed,
                                double piTemperature, double sigmaTemperature) const
{
    requireMdn("sampling");
    return predictor().sampleAt(X, perX, seed, piTemperature, sigmaTemperature);
}

std::vector<std::pair<double, double>> Trainer::sample(const std::vector<double> &xs, int perX,
                                                       std::uint64_t seed, double piTemperature,
                                                       double sigmaTemperature) const
{
    requireOneDimensional("sampling");
    const Eigen::MatrixXd y =
        sampleAt(Eigen::MatrixXd(Eigen::Map<const Eigen::RowVectorXd>(xs.data(), Eigen::Index(xs.size()))),
               perX, seed, piTemperature, sigmaTemperature);
    const int per = std::max(perX, 0);
    std::vector<std::pair<double, double>> out;
    out.reserve(std::size_t(y.cols()));
    for (Eigen::Index c = 0; c < y.cols(); ++c)
        out.emplace_back(xs[std::size_t(c / per)], y(0, c));
    return out;
}

} // namespace mdn
