#include "worker.h"

#include "split.h"

#include <QMetaObject>

#include <cmath>
#include <limits>

namespace mdnviz {

namespace {

// How long one slice trains before the worker's event loop runs again.
constexpr qint64 kSliceNs = 20'000'000;

mdn::TrainConfig configFor(mdn::ModelKind kind, const Settings &s, std::size_t points)
{
    mdn::TrainConfig c = mdn::defaultConfig(kind);
    c.hidden = {kind == mdn::ModelKind::Mse ? s.mseHidden : s.mdnHidden};
    if (kind == mdn::ModelKind::Mdn)
        c.mixtures = s.mixtures;
    c.optimizer = mdn::optimizerDefaults(s.optimizer, s.learningRate);
    c.batch = s.batchFor(points);
    c.seed = s.seed;
    return c;
}

} // namespace

TrainingWorker::TrainingWorker(QObject *parent)
    : QObject(parent), m_bayesNll(std::nan("")), m_validationMse(std::nan("")),
      m_validationNll(std::nan(""))
{
}

TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::interrupt() { m_interrupt.store(true); }

void TrainingWorker::swapRun(Run &run)
{
    std::swap(m_settings, run.settings);
    std::swap(m_data, run.data);
    std::swap(m_train, run.train);
    std::swap(m_validation, run.validation);
    std::swap(m_bayesNll, run.bayesNll);
    std::swap(m_validatedEpoch, run.validatedEpoch);
    std::swap(m_validationMse, run.validationMse);
    std::swap(m_validationNll, run.validationNll);
    std::swap(m_mse, run.mse);
    std::swap(m_mdn, run.mdn);
    std::swap(m_faultsReported, run.faultsReported);
    std::swap(m_epoch, run.epoch);
}

void TrainingWorker::configure(const Settings &settings, const mdn::Dataset &data)
{
    // `settings` and `data` may be m_settings and m_data themselves (reset): the new run takes
    // copies before the old one moves.
    const Settings newSettings = settings;
    mdn::Dataset newData = data;
    if (m_mdn && m_epoch > 0) {
        m_undo = std::make_unique<Run>();
        swapRun(*m_undo);
    } else {
        m_undo.reset();
    }
    m_settings = newSettings;
    m_data = std::move(newData);
    m_mse.reset();
    m_mdn.reset();
    m_pending.clear();
    m_epoch = 0;
    m_faultsReported = 0;
    m_epochsPerSecond = 0.0;
    m_epochCostNs = 0.0;
    m_validatedEpoch = -1;
    m_validationMse = m_validationNll = m_bayesNll = std::nan("");
    const mdn::SplitIndices split = mdn::splitIndices(
        m_data.size(), double(m_settings.validationPercent), m_settings.seed);
    m_train = mdn::subset(m_data, split.train);
    m_validation = mdn::subset(m_data, split.validation);
    // The exact floor under the validation NLL, once per split (a file has no known density).
    if (!m_settings.fromFile && !m_validation.empty())
        m_bayesNll = mdn::bayesNll(m_settings.generator, m_settings.noise, m_validation);
    try {
        m_mse = std::make_unique<mdn::Trainer>(m_train, configFor(mdn::ModelKind::Mse, m_settings, m_train.size()));
        m_mdn = std::make_unique<mdn::Trainer>(m_train, configFor(mdn::ModelKind::Mdn, m_settings, m_train.size()));
    } catch (const std::exception &e) {
        m_mse.reset();
        m_mdn.reset();
        setRunning(false);
        emit message(tr("Cannot train on this data: %1").arg(QString::fromUtf8(e.what())));
    }
    if (m_mdn && m_mdn->config().batch != std::size_t(m_settings.batch))
        emit message(tr("%L1 points: training on mini-batches of %L2")
                         .arg(m_train.size())
                         .arg(m_mdn->config().batch));
    // The validation curves start where the models do: at the untrained epoch 0.
    if (m_mdn && !m_validation.empty()) {
        validate();
        mdn::LossPoint start{0, std::nan(""), std::nan("")};
        start.validationMse = m_validationMse;
        start.validationNll = m_validationNll;
        m_pending.push_back(start);
    }
    emit undoAvailable(m_undo != nullptr, m_undo ? m_undo->epoch : 0);
    emitProgress();
}

void TrainingWorker::undo()
{
    if (!m_undo)
        return;
    setRunning(false);
    swapRun(*m_undo);
    m_undo.reset();
    m_pending.clear();
    m_epochsPerSecond = 0.0;
    m_epochCostNs = 0.0;
    emit undoAvailable(false, 0);
    emitProgress();
}

void TrainingWorker::setViewSettings(int samplesPerX, long epochLimit)
{
    m_settings.samplesPerX = samplesPerX;
    m_settings.epochLimit = epochLimit;
    if (!m_running)
        emitProgress();
}

void TrainingWorker::setSamplingTemperatures(double piTemperature, double sigmaTemperature)
{
    m_settings.piTemperature = piTemperature;
    m_settings.sigmaTemperature = sigmaTemperature;
    if (!m_running)
        emitProgress();
}

void TrainingWorker::start()
{
    m_interrupt.store(false);
    if (!m_mdn)
        return;
    if (m_settings.epochLimit > 0 && m_epoch >= m_settings.epochLimit) {
        emit message(tr("Epoch limit %L1 reached: raise it in Settings or press Reset")
                         .arg(m_settings.epochLimit));
        return;
    }
    if (m_mdn->failed() || (m_mse && m_mse->failed())) {
        emit message(tr("Training stopped after repeated numerical faults: press Reset"));
        return;
    }
    setRunning(true);
    m_sinceProgress.start();
    m_rateClock.start();
    m_rateEpochs = m_epoch;
    if (!m_sliceQueued) {
        m_sliceQueued = true;
        QMetaObject::invokeMethod(this, &TrainingWorker::runSlice, Qt::QueuedConnection);
    }
}

void TrainingWorker::pause()
{
    m_interrupt.store(false);
    setRunning(false);
    emitProgress();
}

void TrainingWorker::step()
{
    if (m_running || !m_mdn)
        return;
    m_interrupt.store(false);
    trainEpochs(1, nullptr, 0);
    emitProgress();
}

void TrainingWorker::reset()
{
    const bool wasRunning = m_running;
    setRunning(false);
    configure(m_settings, m_data);
    if (wasRunning)
        start();
}

void TrainingWorker::setRunning(bool running)
{
    if (running == m_running)
        return;
    m_running = running;
    emit runningChanged(running);
}

// Trains up to `epochs` epochs of both models, stopping when the time budget (if > 0) is spent.
void TrainingWorker::trainEpochs(long epochs, const std::atomic<bool> *stop, qint64 budgetNs)
{
    QElapsedTimer clock;
    clock.start();
    for (long i = 0; i < epochs; ++i) {
        QElapsedTimer epochClock;
        epochClock.start();
        if (m_mdn->train(1, stop) != 1)
            break;
        if (m_mse && m_mse->train(1, stop) != 1)
            break;
        const double cost = double(epochClock.nsecsElapsed());
        m_epochCostNs = m_epochCostNs > 0.0 ? 0.9 * m_epochCostNs + 0.1 * cost : cost;
        ++m_epoch;
        mdn::LossPoint point{m_epoch, m_mse ? m_mse->lastLoss() : std::nan(""), m_mdn->lastLoss()};
        if (validationDue())
            validate();
        if (m_validatedEpoch == m_epoch) { // not when Pause stopped the pass
            point.validationMse = m_validationMse;
            point.validationNll = m_validationNll;
        }
        m_pending.push_back(point);
        if (m_mdn->failed() || (m_mse && m_mse->failed()))
            break;
        if (budgetNs > 0 && clock.nsecsElapsed() >= budgetNs)
            break;
    }
    reportNewFaults();
}

void TrainingWorker::reportNewFaults()
{
    std::vector<const mdn::FaultEvent *> all;
    for (const mdn::Trainer *t : {m_mse.get(), m_mdn.get()})
        if (t)
            for (const mdn::FaultEvent &f : t->faults())
                all.push_back(&f);
    for (std::size_t i = m_faultsReported; i < all.size(); ++i)
    {
        const QString text = QString::fromStdString(all[i]->message);
        emit message(tr("Numerical fault: %1").arg(text));
        emit fault(tr("epoch %L1: %2").arg(m_epoch).arg(text));
    }
    m_faultsReported = all.size();
}

void TrainingWorker::runSlice()
{
    m_sliceQueued = false;
    if (!m_running || !m_mdn)
        return;
    long budget = std::numeric_limits<long>::max();
    if (m_settings.epochLimit > 0)
        budget = m_settings.epochLimit - m_epoch;
    trainEpochs(budget, &m_interrupt, kSliceNs);

    if (m_interrupt.load()) {
        // Pause or shutdown asked for it; the queued pause() (if any) emits the final progress.
        setRunning(false);
        return;
    }
    if (m_mdn->failed() || (m_mse && m_mse->failed())) {
        setRunning(false);
        emit message(tr("Training stopped after repeated numerical faults (see above): press Reset"));
        emitProgress();
        return;
    }
    if (m_settings.epochLimit > 0 && m_epoch >= m_settings.epochLimit) {
        setRunning(false);
        emit message(tr("Reached the epoch limit (%L1)").arg(m_settings.epochLimit));
        emitProgress();
        return;
    }
    if (m_sinceProgress.elapsed() >= kProgressIntervalMs)
        emitProgress();
    m_sliceQueued = true;
    QMetaObject::invokeMethod(this, &TrainingWorker::runSlice, Qt::QueuedConnection);
}

void TrainingWorker::emitProgress()
{
    mdn::Snapshot s;
    s.epoch = m_epoch;
    s.running = m_running;
    if (m_running && m_rateClock.isValid() && m_rateClock.elapsed() > 0) {
        m_epochsPerSecond = double(m_epoch - m_rateEpochs) * 1e9 / double(m_rateClock.nsecsElapsed());
        if (m_rateClock.elapsed() > 1000) { // a rate over about the last second
            m_rateClock.restart();
            m_rateEpochs = m_epoch;
        }
    }
    s.epochsPerSecond = m_epochsPerSecond;
    if (m_mse)
        s.mseLoss = m_mse->lastLoss();
    if (m_mdn)
        s.mdnLoss = m_mdn->lastLoss();
    s.losses = std::move(m_pending);
    m_pending.clear();
    mdn::SnapshotRequest r;
    r.samplesPerX = m_settings.samplesPerX;
    r.sampleSeed = m_settings.seed + 1;
    r.piTemperature = m_settings.piTemperature;
    r.sigmaTemperature = m_settings.sigmaTemperature;
    mdn::fillSnapshot(s, m_mse.get(), m_mdn.get(), m_data, r);
    fillValidation(s);
    m_sinceProgress.restart();
    emit progress(s);
}

// The validation losses are evaluated on a schedule of epochs, so that the dashed curves are
// drawn from the first epoch on at any data size and training speed: every one of the first
// epochs, where the losses move most, then every k-th epoch, k the smallest power of two that
// keeps the evaluations to about a tenth of the training time, but never more than a
// sixteenth of the epochs so far, so that a short run still gets a curve (powers of two, so
// that the points stay evenly spaced as k grows).
bool TrainingWorker::validationDue() const
{
    constexpr long kEveryEpochUntil = 16;
    if (m_validation.empty())
        return false;
    if (m_epoch <= kEveryEpochUntil || m_validationCostNs <= 0 || m_epochCostNs <= 0.0)
        return true;
    long every = 1;
    while (double(m_validationCostNs) > 0.1 * double(every) * m_epochCostNs &&
           2 * every <= m_epoch / kEveryEpochUntil)
        every *= 2;
    return m_epoch % every == 0;
}

void TrainingWorker::validate()
{
    QElapsedTimer cost;
    cost.start();
    // A pass over many held-out points stops with Pause or a close like training does; the
    // epoch is then scored again when it is next shown.
    const double mse = m_mse ? m_mse->loss(m_validation, &m_interrupt) : std::nan("");
    const double nll = m_mdn->loss(m_validation, &m_interrupt);
    if (m_interrupt.load())
        return;
    m_validationMse = mse;
    m_validationNll = nll;
    m_validationCostNs = cost.nsecsElapsed();
    m_validatedEpoch = m_epoch;
}

void TrainingWorker::fillValidation(mdn::Snapshot &s)
{
    s.trainPoints = m_train.size();
    s.validationPoints = m_validation.size();
    s.bayesNll = m_bayesNll;
    if (m_validation.empty() || !m_mdn)
        return;
    // Paused between scheduled evaluations: the status line gives the current epoch's.
    if (!m_running && m_validatedEpoch != m_epoch) {
        validate();
        if (!s.losses.empty() && s.losses.back().epoch == m_epoch) {
            s.losses.back().validationMse = m_validationMse;
            s.losses.back().validationNll = m_validationNll;
        }
    }
    if (m_validatedEpoch >= 0) {
        s.validationMse = m_validationMse;
        s.validationNll = m_validationNll;
    }
}

} // namespace mdnviz
