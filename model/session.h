#pragma once
// A training session: one dataset, its split into training and held-out points, the Bayes floor
// where the generator is known, and any number of runs (models) trained side by side on it. The
// window's worker and the headless command line both drive one of these, so that the same
// settings give the same models in both, bit for bit. Plain C++: no Qt.

#include "dataset.h"
#include "losshistory.h"
#include "snapshot.h"
#include "trainer.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mdn {

struct SessionOptions {
    // Held out of training to measure generalisation, drawn with splitSeed; 0 = none.
    double validationPercent = 20.0;
    std::uint64_t splitSeed = 1;
    // The generator of the data, when it is known: its density gives the lowest NLL any model can
    // reach on the held-out points (when the data have the generator's shape: fitsGenerator).
    std::optional<GeneratorSpec> generator;
    // Score the held-out points on a schedule that depends on the data's sizes alone, not on
    // measured times (see validationDue), so that the same run scores the same epochs, and so
    // keeps the same best weights, on any machine and under any load. The comparisons of the
    // command line (--sweep, --auto) use it.
    bool reproducibleSchedule = false;
};

// What one run has done, in memory bounded however long it trains: the training loss of each of
// its last kRecentEpochs (at least) epochs, and of the whole run at a stride that doubles as it
// grows (LossHistory), in data units; the held-out loss at the epochs where it was scored.
class RunHistory {
public:
    static constexpr std::size_t kRecentEpochs = std::size_t(1) << 16;
    // Points of the whole-run overview.
    static constexpr std::size_t kOverviewPoints = 8192;

    RunHistory() = default;

    // Records epoch lastEpoch() + 1.
    void add(double loss);
    // The epochs after `epoch` were undone (a rollback).
    void rollBackTo(long epoch);
    long lastEpoch() const { return m_recentFirst + long(m_recent.size()) - 1; }
    // The first epoch whose loss is kept whatever the stride.
    long firstRecentEpoch() const { return m_recentFirst; }
    // The training loss of `epoch`; NaN when it is not kept.
    double loss(long epoch) const;
    const LossHistory &overview() const { return m_overview; }

    struct Point {
        long epoch = 0;
        double value = 0.0;
    };
    std::vector<Point> validation; // ascending epochs
    double seconds = 0.0;          // spent training (not validating)

    // The same training losses (the held-out ones are scored on a schedule that follows the
    // measured costs, and the time spent differs from run to run).
    bool operator==(const RunHistory &o) const;

    // The whole history as plain data, for session files.
    struct Saved {
        std::vector<double> recent; // epochs recentFirst, recentFirst + 1, ...
        long recentFirst = 1;
        LossHistory::Saved overview;
        std::vector<Point> validation;
        double seconds = 0.0;
    };
    Saved saved() const;
    // Rebuilds a history that goes on exactly as the saved one would. Throws
    // std::invalid_argument, with the reason, for a state add() and rollBackTo() cannot reach:
    // recentFirst below 1, 2 kRecentEpochs recent losses or more, a non-finite loss, an overview
    // of another capacity or that is not valid (see LossHistory), held-out losses at negative or
    // unordered epochs or after the last epoch, or a time that is negative or not finite.
    explicit RunHistory(const Saved &saved);

private:
    std::vector<double> m_recent; // epochs m_recentFirst, m_recentFirst + 1, ...
    long m_recentFirst = 1;
    LossHistory m_overview{kOverviewPoints};
};

class Session {
public:
    // Above kLargeData training points a full-batch run trains on mini-batches of kLargeDataBatch
    // instead, so that an epoch on a million points does not take seconds.
    static constexpr std::size_t kLargeData = 50'000;
    static constexpr std::size_t kLargeDataBatch = 4096;
    // The batch a run asking for `requested` (0 = full batch) trains with on `trainPoints`.
    static std::size_t batchFor(std::size_t requested, std::size_t trainPoints);

    // Splits the data and builds a trainer per config (batch as batchFor says). *stop, when it
    // turns true, cuts the Bayes-floor integral short (the floor is then NaN). Throws
    // std::invalid_argument when the data cannot be trained on or a config is bad.
    Session(std::shared_ptr<const Dataset> data, const SessionOptions &options,
            const std::vector<TrainConfig> &runs, const std::atomic<bool> *stop = nullptr);

    const Dataset &data() const { return *m_data; }
    std::shared_ptr<const Dataset> sharedData() const { return m_data; }
    const Dataset &trainingData() const { return m_train; }
    const Dataset &validationData() const { return m_validation; }
    const SessionOptions &options() const { return m_options; }
    // NaN for data of unknown origin or without held-out points; -inf for a noiseless generator.
    double bayesNll() const { return m_bayes; }

    std::size_t runCount() const { return m_runs.size(); }
    // A run more, of `config` (batch as batchFor says), on the same data and split; it starts at
    // epoch 0, and train() brings it up to the others first (see epoch()). Returns its index.
    // Throws std::invalid_argument for a config the data cannot be trained with.
    std::size_t addRun(TrainConfig config);
    // Drops a run (the later ones move up by one; a shown run stays shown). Throws
    // std::out_of_range for an index past the runs, std::invalid_argument for the last run.
    void removeRun(std::size_t run);
    const Trainer &trainer(std::size_t run) const { return *m_runs[run].trainer; }
    const RunHistory &history(std::size_t run) const { return m_runs[run].history; }
    // The first run of a kind, or none.
    std::optional<std::size_t> firstRun(ModelKind kind) const;

    // Epochs every run has completed (runs move in lockstep; a stopped one may be part way into
    // the next epoch, and a rolled-back one behind it).
    long epoch() const;
    // A run stopped by repeated numerical faults.
    bool failed() const;

    // Called after every kept epoch of a run, on the thread that trains it (see train).
    using EpochObserver = std::function<void(std::size_t run, const Trainer &trainer)>;
    void setEpochObserver(EpochObserver observer) { m_observer = std::move(observer); }

    // Trains every run until all have `epochs` more epochs than epoch() had. Stops early when
    // *stop turns true (a run then stops between two blocks of its batch and resumes there on
    // the next call), when the time budget (if > 0) is spent, or when a run fails. The held-out
    // points are scored on a schedule as the runs go (see validationDue).
    // With several runs and cores: for a fixed number of epochs (no budget) each run trains to
    // the end on a thread of its own; with a budget, runs with long epochs train side by side and
    // meet after every epoch, short ones take turns epoch by epoch, so that a stop or the end of
    // the budget leaves no run more than one epoch ahead of another. Returns the epochs gained by
    // epoch().
    long train(long epochs, std::chrono::nanoseconds budget = std::chrono::nanoseconds(0),
               const std::atomic<bool> *stop = nullptr);

    // Scores every run on the held-out points now, unless they already were at this epoch
    // (paused between scheduled evaluations). Nothing is recorded when *stop cuts it short.
    void validateNow(const std::atomic<bool> *stop = nullptr);

    // The epochs after `afterEpoch` up to epoch() whose losses are kept, with the losses of the
    // shown MSE and MDN runs (see shownRun), and their held-out losses where they were scored: every
    // epoch of the recent ones (see RunHistory), the overview's stride before them.
    std::vector<LossPoint> lossPoints(long afterEpoch) const;

    // One run's losses at the epochs after `afterEpoch` up to its own epoch, as lossPoints keeps
    // them, with its held-out losses where they were scored (epoch 0 included for afterEpoch < 0).
    std::vector<RunLossPoint> runLossPoints(std::size_t run, long afterEpoch) const;

    // The latest held-out losses of the shown MSE and MDN runs (NaN where none).
    double latestValidation(ModelKind kind) const;

    // Each run keeps the weights it had at its lowest held-out loss (NLL for an MDN, MSE for the
    // MSE net) among the scorings so far (see validationDue; a train() call that reaches its
    // target also scores its last epoch): the epoch (-1 when no scoring gave a finite loss),
    // the loss, and the model with those weights. bestPredictor throws std::logic_error when
    // there is none. They are part of the state (see State::best).
    long bestEpoch(std::size_t run) const { return m_runs[run].bestEpoch; }
    double bestValidation(std::size_t run) const { return m_runs[run].bestValidation; }
    Predictor bestPredictor(std::size_t run) const;
    // Puts the run's best weights back into its trainer (early stopping after the fact): its
    // answers, loss() and predictor() are then those of the best epoch; its epoch, last training
    // loss and optimiser stay. False when there are none.
    bool restoreBest(std::size_t run);

    // The run of each kind that snapshot(), lossPoints() and latestValidation() describe: the
    // first of its kind unless showRun chose another.
    std::optional<std::size_t> shownRun(ModelKind kind) const;
    void showRun(std::size_t run);

    // What the views draw: the shown MSE and MDN runs' curves, samples, mixture and health over
    // the data's x range (one input and one target; otherwise only the figures), the latest
    // losses and held-out losses. `losses` is left empty: see lossPoints. With
    // request.preferBest, a shown run that has best weights is drawn with them (its held-out loss
    // is then the best one); with request.runViews, every MDN run's view (RunView; its losses
    // are left empty: see runLossPoints).
    Snapshot snapshot(const SnapshotRequest &request) const;

    // Every run's state and history: a session built the same way and restored continues
    // bit-identically.
    // The weights of a run's best held-out loss (epoch -1: none).
    struct BestWeights {
        long epoch = -1;
        double validation = std::numeric_limits<double>::quiet_NaN();
        Eigen::VectorXf parameters;
    };
    struct State {
        std::vector<TrainerState> trainers;
        std::vector<RunHistory> histories;
        // Per run, or empty (a state saved without them: the runs know no best weights until
        // they are scored again).
        std::vector<BestWeights> best;
    };
    State state() const;
    // Throws std::invalid_argument when the state does not fit (another number of runs, or a
    // run of another shape, best weights of another size or after the run's epoch, or with a
    // held-out loss that is not finite); the session is then unchanged.
    void restore(const State &state);

private:
    struct Run {
        std::unique_ptr<Trainer> trainer;
        RunHistory history;
        double epochCostNs = 0.0;      // smoothed cost of one epoch
        double validationCostNs = 0.0; // of the last evaluation
        // The weights at the lowest held-out loss scored so far.
        Eigen::VectorXf bestParameters;
        long bestEpoch = -1;
        double bestValidation = std::numeric_limits<double>::quiet_NaN();
    };
    bool validationDue(const Run &run, long epoch) const;
    std::vector<RunView> runViews(const SnapshotRequest &request) const;
    static void keptEpochs(const RunHistory &history, long afterEpoch, long last, std::vector<long> &out);
    void trainRun(std::size_t index, long target, const std::atomic<bool> *stop);
    void validate(Run &run, long epoch, const std::atomic<bool> *stop);
    long finishTrain(long first, long target, const std::atomic<bool> *stop);

    std::shared_ptr<const Dataset> m_data;
    SessionOptions m_options;
    Dataset m_train, m_validation;
    double m_bayes;
    std::vector<Run> m_runs;
    EpochObserver m_observer;
    std::optional<std::size_t> m_shownMse, m_shownMdn;
};

} // namespace mdn
