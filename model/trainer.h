#pragma once
// Training one model (the MSE regression net or the MDN) on one dataset: standardisation, the
// epoch loop with mini-batches, the divergence guard, and every query the views need, answered in
// the data's own units. Plain C++: a GUI listens through the epoch callback and the stop flag.

#include "dataset.h"
#include "mdn.h"
#include "mixture.h"
#include "mlp.h"
#include "optimizer.h"
#include "predictor.h"
#include "rng.h"
#include "scale.h"
#include "standardiser.h"

#include <Eigen/Core>

#include <array>
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mdn {


struct TrainConfig {
    ModelKind kind = ModelKind::Mdn;
    std::vector<int> hidden = {24};
    int mixtures = 10;             // K, MDN only
    OptimizerConfig optimizer;
    std::size_t batch = 0;         // 0 or >= N: full batch
    std::uint64_t seed = 1;        // weights and mini-batch order
    double sigmaFloor = 1e-3;      // smallest sigma, in standardised target units
    double initGain = 0.7;         // hidden weights ~ N(0, (gain/sqrt(fan_in))^2), first biases N(0, gain^2)
    double outputGain = 0.5;       // output weights ~ N(0, (outputGain/sqrt(fan_in))^2)
    int maxRecoveries = 32;        // divergence recoveries before training stops
    int checkpointEvery = 20;      // epochs between rollback checkpoints
};

// The defaults of each model, chosen by measurement on the inverse sinusoid (see README).
TrainConfig defaultConfig(ModelKind kind);

// What `run` changes of `reference`, in the settings a person sets, for a title: "K = 3",
// "H = 12×12", "RMSProp", "lr = 0.003", "batch 64" / "full batch", "seed 2", joined by ", ";
// "MSE net" for a run of the other kind; empty when they differ in none of those.
std::string describeDifferences(const TrainConfig &reference, const TrainConfig &run);

// One recovered (or final) numerical fault.
struct FaultEvent {
    long epoch = 0;
    std::string message; // e.g. "non-finite loss at epoch 12; rolled back to epoch 0; learning rate now 0.005"
};

// Everything that makes a trainer continue exactly where it was: restore() on a trainer built
// for the same data and config continues bit-identically (see Trainer::state).
struct TrainerState {
    long epoch = 0;
    double lastLoss = 0.0;
    double gradientNorm = 0.0;
    bool failed = false;
    Eigen::VectorXf parameters;
    Optimizer<float>::State optimizer;
    Rng::State rng;
    // The current epoch's order of the training points (drawn when epochOpen), the start of its
    // next mini-batch and the loss summed over its batches so far (standardised and data units).
    std::vector<std::size_t> order;
    bool epochOpen = false;
    std::size_t batchCursor = 0;
    double epochLoss = 0.0, epochDataLoss = 0.0;
    // The divergence guard's checkpoint, and the learning-rate halvings so far.
    Eigen::VectorXf checkpointParameters;
    Optimizer<float>::State checkpointOptimizer;
    long checkpointEpoch = 0;
    double checkpointLoss = 0.0, checkpointDataLoss = 0.0;
    int learningRateHalvings = 0;
    std::vector<FaultEvent> faults;
};

class Trainer {
public:
    using Net = Mlp<float>;
    // Batches longer than this are processed in blocks of this many points, so that a block's
    // activations and gradients stay in the core's cache; the result is the same full-batch step.
    static constexpr Eigen::Index kBlock = 2048;
    // A block's work, in points x parameters: bigger networks take shorter blocks (down to
    // kMinBlock points), so that the stop flag, read between blocks, is never far away (about
    // 0.1 s for 4,096 hidden units and 256 components on one core).
    static constexpr double kBlockWork = 2048.0 * 16384.0;
    static constexpr Eigen::Index kMinBlock = 64;

    // Trains on the dataset's inputDims inputs and targetDims targets. Throws
    // std::invalid_argument for an empty dataset, a malformed one, non-finite values, values out
    // of the supported range (see scale.h), or a bad config.
    Trainer(const Dataset &train, const TrainConfig &config);

    const TrainConfig &config() const { return m_config; }
    const Standardiser &standardiser() const { return m_std; }
    const Net &net() const { return m_net; }
    int inputDims() const { return int(m_X.rows()); }
    int targetDims() const { return int(m_T.cols()); }
    long epoch() const { return m_epoch; }
    double learningRate() const { return m_optimizer.config().learningRate; }

    // Runs until `epochs` more epochs are kept (an epoch undone by a rollback does not count).
    // Stops early when *stop turns true (checked between blocks of a batch: a step that is
    // stopped is not applied, so the weights and the optimiser stay as they were before it; a
    // mini-batch epoch stopped between two batches resumes at the next batch on the next call),
    // when onEpoch returns false, or when the divergence guard gives up (see failed()).
    // onEpoch also runs after a rollback, with the epoch rolled back to. Returns the number of
    // epochs gained, at least 0.
    long train(long epochs, const std::atomic<bool> *stop = nullptr,
               const std::function<bool(long epoch, double loss)> &onEpoch = {});
    // True when a mini-batch epoch was stopped part way (its order drawn, maybe some of its
    // batches applied): the next train() call finishes it first.
    bool midEpoch() const { return m_epochOpen; }

    // Mean loss of the last completed epoch, in data units (MSE: squared units summed over the
    // target columns; MDN: nats per point of the joint target, including the Jacobian of the
    // standardisation). After a rollback, the loss of the weights rolled back to; NaN when no
    // kept epoch has one.
    double lastLoss() const { return m_lastLoss; }
    // Loss of the current model on any dataset of the same shape, in data units, evaluated in
    // double precision (points far outside the training data's range overflow nothing there).
    // NaN when *stop turns true before the pass is over (checked between blocks), or for an
    // empty dataset. Throws std::invalid_argument for a dataset of another shape.
    double loss(const Dataset &d, const std::atomic<bool> *stop = nullptr) const;
    // Points per block of a pass (see kBlockWork).
    Eigen::Index blockSize() const { return m_block; }
    // Euclidean norm of the last full gradient (standardised units).
    double gradientNorm() const { return m_gradNorm; }

    bool failed() const { return m_failed; }
    const std::vector<FaultEvent> &faults() const { return m_faults; }

    // The whole training state, and its restoration into a trainer built for the same data and
    // config (throws std::invalid_argument when the sizes do not fit).
    TrainerState state() const;
    void restore(const TrainerState &state);
    // The network's weights (standardised units), and setting them alone: the model then answers
    // with them, the epoch and the optimiser's moments stay as they were (for a model kept at
    // earlier weights after training; training on from there is not what the moments expect).
    // Throws std::invalid_argument for a vector of another length.
    const Eigen::VectorXf &parameters() const { return m_net.parameters(); }
    void restoreParameters(const Eigen::VectorXf &parameters);

    // The model as it is now, frozen for questions from any thread (see Predictor).
    Predictor predictor() const;

    // Queries at inputs X (inputDims x n, data units), as the predictor answers them.
    // MSE net: its prediction; MDN: the mixture's mean E[y|x]. targetDims x n, data units.
    Eigen::MatrixXd predictAt(const Eigen::MatrixXd &X) const;
    // MDN only: the mixture at each column of X with sampling temperatures (1 = as trained).
    Mixture mixtureAt(const Eigen::MatrixXd &X, double piTemperature = 1.0,
                    double sigmaTemperature = 1.0) const;
    // MDN only: `perX` samples at each column of X, targetDims x (n perX), column-major by input
    // point (the samples of column j of X are columns j perX .. j perX + perX - 1). Uses its own
    // rng seeded with `seed`.
    Eigen::MatrixXd sampleAt(const Eigen::MatrixXd &X, int perX, std::uint64_t seed,
                           double piTemperature = 1.0, double sigmaTemperature = 1.0) const;

    // The same for one input and one target, at the x values `xs`.
    std::vector<double> predict(const std::vector<double> &xs) const;
    Mixture mixture(const std::vector<double> &xs, double piTemperature = 1.0,
                    double sigmaTemperature = 1.0) const;
    // (x, y) pairs, x-major.
    std::vector<std::pair<double, double>> sample(const std::vector<double> &xs, int perX,
                                                  std::uint64_t seed, double piTemperature = 1.0,
                                                  double sigmaTemperature = 1.0) const;

private:
    using Matrix = Net::Matrix;
    // The buffers of one forward/backward pass over `size` points.
    struct Pass {
        Eigen::Index size = -1;
        Net::Workspace net;
        MdnWorkspace<float> mdn;
        Matrix dOut;
    };

    double stepBatch(const Eigen::Ref<const Matrix> &X, const Eigen::Ref<const Matrix> &T,
                     bool epochStart);
    bool stopRequested() const { return m_stop && m_stop->load(std::memory_order_relaxed); }
    double lossAndGradient(const Eigen::Ref<const Matrix> &X, const Eigen::Ref<const Matrix> &T,
                           Net::Vector &grad);
    Pass &passFor(Eigen::Index size);
    bool guard(double loss, long epoch, bool epochStart);
    void checkpoint(double loss, double dataLoss);
    void shuffle();
    void copyInOrder();
    Matrix outputs(const Eigen::MatrixXd &X) const;
    Matrix outputs(const std::vector<double> &xs) const;
    double toDataUnits(double standardisedLoss) const;
    void requireMdn(const char *what) const;
    void requireOneDimensional(const char *what) const;

    TrainConfig m_config;
    Standardiser m_std;
    Net m_net;
    Eigen::Index m_block = kBlock;
    const std::atomic<bool> *m_stop = nullptr; // while train() runs
    bool m_stoppedInStep = false;
    Optimizer<float> m_optimizer;
    Rng m_rng;
    Matrix m_X, m_T;   // standardised training data: inputs D_in x N, targets N x D_out
    // Squared target scales when the MSE net has several targets: its loss in data units weighs
    // each column's squared residuals by its own scale (empty otherwise).
    Eigen::RowVectorXd m_targetScale2;
    std::vector<std::size_t> m_order;
    Matrix m_scratchX, m_scratchT; // the training data in m_order (mini-batches)
    std::size_t m_cursor = 0;      // next mini-batch of the current epoch
    bool m_epochOpen = false;      // the current epoch's order is drawn (m_scratchX/T hold it)
    double m_epochSum = 0.0, m_epochDataSum = 0.0;
    double m_stepDataLoss = 0.0;   // the last lossAndGradient's loss in data units
    // A pass per batch length in use (block, mini-batch, remainder), so that no length
    // reallocates another's buffers.
    std::array<Pass, 3> m_passes;
    std::size_t m_nextPass = 0;
    Net::Vector m_grad, m_blockGrad;

    // Divergence guard state.
    Net::Vector m_goodParams;
    Optimizer<float> m_goodOptimizer;
    long m_goodEpoch = 0;
    double m_goodLoss = 0.0; // +inf: the checkpoint's loss is not known yet
    double m_goodDataLoss = 0.0;
    int m_halvings = 0;
    bool m_faultInStep = false;

    long m_epoch = 0;
    double m_lastLoss;
    double m_gradNorm = 0.0;
    bool m_failed = false;
    std::vector<FaultEvent> m_faults;
};

} // namespace mdn
