#pragma once
// The training worker: owns the training session (mdn::Session: the data, the split, the models
// and their histories), lives in its own QThread, and trains it in short time slices so that its
// queued slots (pause, step, reset, new settings) run between slices. Progress goes to the GUI as
// value snapshots, at most ~30 per second however fast training runs.

#include "dataset.h"
#include "session.h"
#include "settings.h"
#include "snapshot.h"
#include "sweep.h"
#include "trainer.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>

#include <vector>

#include <atomic>
#include <memory>

namespace mdnviz {

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    explicit TrainingWorker(QObject *parent = nullptr);
    ~TrainingWorker() override;

    // Thread-safe: makes a running slice return at the next mini-batch and stops the run (used
    // before closing, and by pause so that it takes effect even in the middle of a long epoch).
    void interrupt();

    // The session being trained (null before the first configure or for data it refused). Only
    // for reading while the worker's thread is idle (paused, or before start).
    const mdn::Session *session() const { return m_session.get(); }

    // The session file's bytes (sessionfile.h) of the session as it stands, with `view`; empty
    // with a one-line reason in *error when there is no session or it cannot be stored. Runs on
    // the worker's thread (the window calls it with a BlockingQueuedConnection): between two
    // slices the session is whole, and training goes on after.
    QByteArray encodeSession(const QJsonObject &view, QString *error) const;

    // The minimum interval between two progress signals.
    static constexpr int kProgressIntervalMs = 33;
    // See Settings::batchFor.
    static constexpr std::size_t kLargeData = Settings::kLargeData;
    static constexpr std::size_t kLargeDataBatch = Settings::kLargeDataBatch;

    // A session restored from a file (makeSession) with its settings replaces the current one,
    // paused, as configure does (undo() brings the replaced one back); the next progress
    // carries the restored session's whole loss history.
    // Call it on the worker's thread (in a lambda: the session is moved in).
    void adopt(const mdnviz::Settings &settings, std::unique_ptr<mdn::Session> session);

    // Which weights the views draw a run with: its latest, its best held-out (early stopping),
    // or the best once training stops (the latest while it runs).
    enum class Weights { Latest, Best, BestWhenStopped };

    // Comparisons, called on the worker's thread (the window queues lambdas). Runs more, each the
    // MDN of the settings with a change (sweep.h): they train with the others on the same data
    // and split, starting from epoch 0 (the session brings them up to the others first), and
    // they are rebuilt with the models on every reset or change of settings. A change that gives
    // a run the session has already is skipped. At most kMaxRuns MDN runs.
    static constexpr std::size_t kMaxRuns = 24;
    void addRuns(const std::vector<mdn::RunChange> &changes);
    // Drops a run added by addRuns (by its index in the session); the settings' own stay.
    void removeRun(std::size_t run);
    void clearComparison();
    // The run the views show (its index in the session). Its whole loss history goes out with
    // the next progress (the loss chart is cleared for it).
    void showRun(std::size_t run);
    void setWeights(Weights weights);
    // The automatic choice: the MDN sizes of --auto added as runs (mdn::autoChanges), trained to
    // the epoch limit (3,000 epochs without one); then the run of the lowest best held-out NLL is
    // the one shown, with its best weights, and a message says which and why.
    void startAuto();

public slots:
    // New data and settings: the models are rebuilt from scratch (epoch 0). Trained models are
    // kept, with their data and settings, until the next configure or reset: undo() brings them
    // back.
    void configure(const mdnviz::Settings &settings, const mdn::Dataset &data);
    // Settings that do not need new models (samples per x, epoch limit).
    void setViewSettings(int samplesPerX, long epochLimit);
    // The sampling temperatures of the MDN's samples (1 = as trained); no retraining.
    void setSamplingTemperatures(double piTemperature, double sigmaTemperature);
    // Data with several inputs: the inputs the mixture's path holds fixed (see
    // mdn::SnapshotRequest::pathThrough); empty for the data's medians.
    void setPathThrough(std::vector<double> inputs);
    void start();
    void pause();
    void step();
    void reset();
    // Back to the models, data and settings before the last configure or reset, paused; nothing
    // when there are none (see undoAvailable).
    void undo();

signals:
    void progress(const mdn::Snapshot &snapshot);
    // The automatic choice is made: `run` (its index in the session) is shown.
    void autoChosen(std::size_t run);
    void runningChanged(bool running);
    // The session file's bytes asked for by a queued call of encodeSession's (empty with a
    // reason in `error`), for the window to write to `path`.
    void sessionEncoded(const QString &path, const QByteArray &bytes, const QString &error);
    // One line for the status bar (faults, limits, resets).
    void message(const QString &text);
    // A numerical fault recovered (or not) during training, for the window's list of them.
    void fault(const QString &text);
    // After each configure, reset and undo: whether undo() has trained models to bring back,
    // and their epoch.
    void undoAvailable(bool available, long epoch);

private:
    // What a configure replaces: enough to carry on training where it was.
    struct Run {
        Settings settings;
        std::unique_ptr<mdn::Session> session;
        std::size_t faultsReported = 0;
        long shownEpoch = 0;
        std::vector<mdn::RunChange> compare;
        std::vector<std::size_t> compareRuns;
    };
    // Builds the comparison's runs into the new session; drops (with a message) those the
    // settings now refuse.
    void buildComparison();
    bool addRun(const mdn::RunChange &change);
    void finishAuto();
    bool preferBest() const;
    void swapRun(Run &run);

    void runSlice();
    void trainEpochs(long epochs, const std::atomic<bool> *stop, qint64 budgetNs);
    void emitProgress();
    void setRunning(bool running);
    void reportNewFaults();
    long epoch() const { return m_session ? m_session->epoch() : 0; }

    Settings m_settings;
    std::vector<double> m_pathThrough;
    std::shared_ptr<const mdn::Dataset> m_data; // every point, shared with the session
    std::unique_ptr<mdn::Session> m_session;
    std::unique_ptr<Run> m_undo; // the trained run before the last configure
    long m_shownEpoch = 0;       // the last epoch whose losses went out in a snapshot
    bool m_running = false;
    bool m_sliceQueued = false;
    std::atomic<bool> m_interrupt{false};
    std::size_t m_faultsReported = 0;
    // The comparison: each added run's change, and its index in the session.
    std::vector<mdn::RunChange> m_compare;
    std::vector<std::size_t> m_compareRuns;
    // Per run of the session: the last epoch whose losses went out (-1: none yet, the next
    // progress sends the whole history with lossesRestart).
    std::vector<long> m_runSent;
    Weights m_weights = Weights::BestWhenStopped;
    bool m_autoPending = false; // training for the automatic choice
    long m_autoTarget = 0;
    QElapsedTimer m_sinceProgress;
    QElapsedTimer m_rateClock;
    long m_rateEpochs = 0;
    double m_epochsPerSecond = 0.0;
};

} // namespace mdnviz

Q_DECLARE_METATYPE(mdn::Snapshot)
