#include "worker.h"

#include "sessionfile.h"

#include <QMetaObject>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mdnviz {

namespace {

// How long one slice trains before the worker's event loop runs again.
constexpr qint64 kSliceNs = 20'000'000;

} // namespace

TrainingWorker::TrainingWorker(QObject *parent) : QObject(parent) {}

TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::interrupt() { m_interrupt.store(true); }

void TrainingWorker::swapRun(Run &run)
{
    std::swap(m_settings, run.settings);
    std::swap(m_session, run.session);
    std::swap(m_faultsReported, run.faultsReported);
    std::swap(m_shownEpoch, run.shownEpoch);
    std::swap(m_compare, run.compare);
    std::swap(m_compareRuns, run.compareRuns);
    m_runSent.clear(); // every curve goes out again
    m_autoPending = false;
    if (m_session)
        m_data = m_session->sharedData();
}

void TrainingWorker::configure(const Settings &settings, const mdn::Dataset &data)
{
    // `settings` and `data` may be m_settings and the session's data themselves (reset): the new
    // run takes its copies before the old one moves.
    const Settings newSettings = settings;
    std::shared_ptr<const mdn::Dataset> newData =
        m_data && &data == m_data.get() ? m_data : std::make_shared<const mdn::Dataset>(data);
    const std::vector<mdn::RunChange> compare = m_compare; // the new models are compared alike
    if (m_session && m_session->epoch() > 0) {
        m_undo = std::make_unique<Run>();
        swapRun(*m_undo);
    } else {
        m_undo.reset();
    }
    m_compare = compare;
    m_compareRuns.clear();
    m_settings = newSettings;
    m_data = std::move(newData);
    m_session.reset();
    m_shownEpoch = 0;
    m_faultsReported = 0;
    m_epochsPerSecond = 0.0;
    try {
        m_session = std::make_unique<mdn::Session>(m_data, m_settings.sessionOptions(),
                                                   m_settings.modelConfigs());
    } catch (const std::exception &e) {
        m_session.reset();
        setRunning(false);
        emit message(tr("Cannot train on this data: %1").arg(QString::fromUtf8(e.what())));
    }
    m_runSent.clear();
    m_autoPending = false;
    if (m_session) {
        buildComparison();
        const mdn::Trainer &mdnModel = m_session->trainer(*m_session->firstRun(mdn::ModelKind::Mdn));
        if (mdnModel.config().batch != std::size_t(m_settings.batch))
            emit message(tr("%L1 points: training on mini-batches of %L2")
                             .arg(m_session->trainingData().size())
                             .arg(mdnModel.config().batch));
        // The validation curves start where the models do: at the untrained epoch 0.
        m_shownEpoch = -1;
        m_session->validateNow(&m_interrupt);
    }
    emit undoAvailable(m_undo != nullptr, m_undo && m_undo->session ? m_undo->session->epoch() : 0);
    emitProgress();
}

void TrainingWorker::adopt(const Settings &settings, std::unique_ptr<mdn::Session> session)
{
    if (!session)
        return;
    setRunning(false);
    if (m_session && m_session->epoch() > 0) {
        m_undo = std::make_unique<Run>();
        swapRun(*m_undo);
    } else {
        m_undo.reset();
    }
    m_settings = settings;
    m_session = std::move(session);
    m_data = m_session->sharedData();
    // The file's MDN runs beyond the settings' own are its comparison.
    m_compare.clear();
    m_compareRuns.clear();
    m_runSent.clear();
    m_autoPending = false;
    if (const std::optional<std::size_t> reference = m_session->firstRun(mdn::ModelKind::Mdn)) {
        const mdn::TrainConfig &ref = m_session->trainer(*reference).config();
        for (std::size_t r = 0; r < m_session->runCount(); ++r)
            if (r != *reference && m_session->trainer(r).config().kind == mdn::ModelKind::Mdn) {
                m_compare.push_back(mdn::changeBetween(ref, m_session->trainer(r).config()));
                m_compareRuns.push_back(r);
            }
    }
    // The faults of the restored runs were reported when they happened; only new ones are news.
    m_faultsReported = 0;
    for (std::size_t r = 0; r < m_session->runCount(); ++r)
        m_faultsReported += m_session->trainer(r).faults().size();
    m_epochsPerSecond = 0.0;
    m_shownEpoch = -1; // the whole history goes out with the next progress
    emit undoAvailable(m_undo != nullptr, m_undo && m_undo->session ? m_undo->session->epoch() : 0);
    emitProgress();
}

QByteArray TrainingWorker::encodeSession(const QJsonObject &view, QString *error) const
{
    if (!m_session) {
        if (error)
            *error = tr("there is no session to save: the data were refused");
        return {};
    }
    try {
        return mdnviz::encodeSession(*m_session, m_settings, view);
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return {};
    }
}

void TrainingWorker::buildComparison()
{
    const std::vector<mdn::RunChange> changes = std::move(m_compare);
    m_compare.clear();
    m_compareRuns.clear();
    for (const mdn::RunChange &c : changes)
        addRun(c);
}

// Adds the run of `change` unless the session has one like it; false when it does or when the
// settings refuse the change.
bool TrainingWorker::addRun(const mdn::RunChange &change)
{
    mdn::TrainConfig config;
    std::string why;
    if (!mdn::applyChange(m_settings, change, config, why)) {
        emit message(tr("Cannot compare: %1").arg(QString::fromStdString(why)));
        return false;
    }
    config.batch = mdn::Session::batchFor(config.batch, m_session->trainingData().size());
    std::size_t mdnRuns = 0;
    for (std::size_t r = 0; r < m_session->runCount(); ++r) {
        const mdn::TrainConfig &c = m_session->trainer(r).config();
        if (c.kind != mdn::ModelKind::Mdn)
            continue;
        ++mdnRuns;
        if (mdn::describeDifferences(c, config).empty())
            return false; // the same model twice would say nothing
    }
    if (mdnRuns >= kMaxRuns) {
        emit message(tr("At most %1 runs are compared at once").arg(kMaxRuns));
        return false;
    }
    try {
        m_compareRuns.push_back(m_session->addRun(config));
        m_compare.push_back(change);
    } catch (const std::exception &e) {
        emit message(tr("Cannot compare: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    return true;
}

void TrainingWorker::addRuns(const std::vector<mdn::RunChange> &changes)
{
    if (!m_session)
        return;
    std::size_t added = 0;
    for (const mdn::RunChange &c : changes)
        added += addRun(c) ? 1 : 0;
    if (added < changes.size())
        emit message(tr("%1 of %2 runs added: the others are compared already").arg(added).arg(changes.size()));
    if (!m_running)
        emitProgress();
}

void TrainingWorker::removeRun(std::size_t run)
{
    const auto at = std::find(m_compareRuns.begin(), m_compareRuns.end(), run);
    if (!m_session || at == m_compareRuns.end())
        return;
    const std::size_t k = std::size_t(at - m_compareRuns.begin());
    m_session->removeRun(run);
    m_compare.erase(m_compare.begin() + std::ptrdiff_t(k));
    m_compareRuns.erase(at);
    for (std::size_t &r : m_compareRuns)
        if (r > run)
            --r;
    // The runs after it move up one index: their curves go out again under their new ones.
    if (run < m_runSent.size())
        m_runSent.resize(run);
    // The shown run may have changed: its whole history goes out again.
    m_shownEpoch = -1;
    if (!m_running)
        emitProgress();
}

void TrainingWorker::clearComparison()
{
    while (!m_compareRuns.empty())
        removeRun(m_compareRuns.back());
    m_autoPending = false;
}

void TrainingWorker::showRun(std::size_t run)
{
    if (!m_session || run >= m_session->runCount())
        return;
    m_session->showRun(run);
    m_shownEpoch = -1; // the shown run's whole history goes out with the next progress
    emitProgress();
}

void TrainingWorker::setWeights(Weights weights)
{
    m_weights = weights;
    if (!m_running)
        emitProgress();
}

bool TrainingWorker::preferBest() const
{
    return m_weights == Weights::Best || (m_weights == Weights::BestWhenStopped && !m_running);
}

void TrainingWorker::startAuto()
{
    if (!m_session)
        return;
    clearComparison();
    for (const mdn::RunChange &c : mdn::autoChanges())
        addRun(c);
    m_autoTarget = m_settings.epochLimit > 0 ? m_settings.epochLimit : std::max(3000L, epoch());
    m_autoPending = true;
    emit message(tr("Auto: %1 MDN sizes train to epoch %L2; the best held-out NLL is chosen")
                     .arg(m_compareRuns.size() + 1)
                     .arg(m_autoTarget));
    if (m_running) {
        emitProgress();
        return;
    }
    start();
    if (!m_running) // nothing to train (a failed run): choose among what there is
        finishAuto();
}

void TrainingWorker::finishAuto()
{
    m_autoPending = false;
    if (!m_session)
        return;
    std::optional<std::size_t> best;
    for (std::size_t r = 0; r < m_session->runCount(); ++r) {
        if (m_session->trainer(r).config().kind != mdn::ModelKind::Mdn ||
            !std::isfinite(m_session->bestValidation(r)))
            continue;
        if (!best || m_session->bestValidation(r) < m_session->bestValidation(*best))
            best = r;
    }
    if (!best) {
        emit message(tr("Auto: no run has a held-out NLL to choose by (no validation points?)"));
        return;
    }
    m_session->showRun(*best);
    m_shownEpoch = -1;
    const mdn::TrainConfig &c = m_session->trainer(*best).config();
    emit message(tr("Auto chose K = %1, H = %2: held-out NLL %3 at epoch %L4")
                     .arg(c.mixtures)
                     .arg(c.hidden.empty() ? 0 : c.hidden.front())
                     .arg(m_session->bestValidation(*best), 0, 'f', 3)
                     .arg(m_session->bestEpoch(*best)));
    emit autoChosen(*best);
}

void TrainingWorker::undo()
{
    if (!m_undo)
        return;
    setRunning(false);
    swapRun(*m_undo);
    m_undo.reset();
    m_epochsPerSecond = 0.0;
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

void TrainingWorker::setPathThrough(std::vector<double> inputs)
{
    m_pathThrough = std::move(inputs);
    if (!m_running)
        emitProgress();
}

void TrainingWorker::start()
{
    m_interrupt.store(false);
    if (!m_session)
        return;
    if (m_settings.epochLimit > 0 && epoch() >= m_settings.epochLimit) {
        emit message(tr("Epoch limit %L1 reached: raise it in Settings or press Reset")
                         .arg(m_settings.epochLimit));
        return;
    }
    if (m_session->failed()) {
        emit message(tr("Training stopped after repeated numerical faults: press Reset"));
        return;
    }
    setRunning(true);
    m_sinceProgress.start();
    m_rateClock.start();
    m_rateEpochs = epoch();
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
    if (m_running || !m_session)
        return;
    m_interrupt.store(false);
    trainEpochs(1, nullptr, 0);
    emitProgress();
}

void TrainingWorker::reset()
{
    const bool wasRunning = m_running;
    setRunning(false);
    if (!m_data)
        return;
    const std::shared_ptr<const mdn::Dataset> data = m_data; // kept alive across configure
    configure(m_settings, *data);
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

// Trains up to `epochs` epochs of every model, stopping when the time budget (if > 0) is spent.
void TrainingWorker::trainEpochs(long epochs, const std::atomic<bool> *stop, qint64 budgetNs)
{
    m_session->train(epochs, std::chrono::nanoseconds(budgetNs), stop);
    reportNewFaults();
}

void TrainingWorker::reportNewFaults()
{
    std::vector<const mdn::FaultEvent *> all;
    for (std::size_t r = 0; r < m_session->runCount(); ++r)
        for (const mdn::FaultEvent &f : m_session->trainer(r).faults())
            all.push_back(&f);
    for (std::size_t i = m_faultsReported; i < all.size(); ++i) {
        const QString text = QString::fromStdString(all[i]->message);
        emit message(tr("Numerical fault: %1").arg(text));
        emit fault(tr("epoch %L1: %2").arg(all[i]->epoch).arg(text));
    }
    m_faultsReported = all.size();
}

void TrainingWorker::runSlice()
{
    m_sliceQueued = false;
    if (!m_running || !m_session)
        return;
    long budget = std::numeric_limits<long>::max();
    if (m_settings.epochLimit > 0)
        budget = m_settings.epochLimit - epoch();
    if (m_autoPending)
        budget = std::min(budget, m_autoTarget - epoch());
    if (budget > 0)
        trainEpochs(budget, &m_interrupt, kSliceNs);

    if (m_interrupt.load()) {
        // Pause or shutdown asked for it; the queued pause() (if any) emits the final progress.
        setRunning(false);
        return;
    }
    if (m_session->failed()) {
        setRunning(false);
        emit message(tr("Training stopped after repeated numerical faults (see above): press Reset"));
        emitProgress();
        return;
    }
    if (m_autoPending && epoch() >= m_autoTarget) {
        setRunning(false);
        finishAuto();
        emitProgress();
        return;
    }
    if (m_settings.epochLimit > 0 && epoch() >= m_settings.epochLimit) {
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
    if (!m_session) {
        mdn::Snapshot s;
        s.running = m_running;
        m_sinceProgress.restart();
        emit progress(s);
        return;
    }
    // Paused between scheduled evaluations: the status line gives the current epoch's.
    if (!m_running)
        m_session->validateNow(&m_interrupt);
    mdn::SnapshotRequest r;
    r.samplesPerX = m_settings.samplesPerX;
    r.sampleSeed = m_settings.seed + 1;
    r.piTemperature = m_settings.piTemperature;
    r.sigmaTemperature = m_settings.sigmaTemperature;
    r.pathThrough = m_pathThrough;
    r.preferBest = preferBest();
    r.runViews = true;
    mdn::Snapshot s = m_session->snapshot(r);
    // Each run's losses since its last progress (all of them for a run new to the views).
    m_runSent.resize(m_session->runCount(), -1);
    for (mdn::RunView &v : s.runs) {
        long &sent = m_runSent[v.run];
        v.lossesRestart = sent < 0;
        v.losses = m_session->runLossPoints(v.run, sent);
        if (!v.losses.empty())
            sent = v.losses.back().epoch;
    }
    s.running = m_running;
    const long e = s.epoch;
    if (m_running && m_rateClock.isValid() && m_rateClock.elapsed() > 0) {
        m_epochsPerSecond = double(e - m_rateEpochs) * 1e9 / double(m_rateClock.nsecsElapsed());
        if (m_rateClock.elapsed() > 1000) { // a rate over about the last second
            m_rateClock.restart();
            m_rateEpochs = e;
        }
    }
    s.epochsPerSecond = m_epochsPerSecond;
    // The epochs not sent yet, each once (after a rollback, those trained again past the last
    // one sent). Paused, the current epoch was scored above before it goes out.
    s.lossesRestart = m_shownEpoch < 0;
    s.losses = m_session->lossPoints(m_shownEpoch);
    if (!s.losses.empty())
        m_shownEpoch = s.losses.back().epoch;
    m_sinceProgress.restart();
    emit progress(s);
}

} // namespace mdnviz
