// The training worker in its own thread: progress, throttling, pause, step, reset, limits.

#include "cli.h"
#include "dataset.h"
#include "launchsettings.h"
#include "settings.h"
#include "worker.h"

#include <QCommandLineParser>
#include <QRandomGenerator>

#include <QElapsedTimer>
#include <QSignalSpy>

#include <map>
#include <QThread>
#include <QtTest/QTest>

#include <algorithm>
#include <cmath>

using namespace mdnviz;

namespace {

mdn::Dataset inverseData(std::size_t n)
{
    mdn::GeneratorSpec g;
    g.points = n;
    return mdn::generate(g);
}

// The worker's signals, re-emitted in the test's thread: a QSignalSpy records in the thread
// that emits, and reading it here while the worker appends would race.
class Relay : public QObject {
    Q_OBJECT
signals:
    void progress(const mdn::Snapshot &snapshot);
    void runningChanged(bool running);
    void undoAvailable(bool available, long epoch);
    void autoChosen(std::size_t run);
};

// A worker in a running thread, joined on destruction.
struct Fixture {
    QThread thread;
    TrainingWorker *worker = new TrainingWorker;
    Relay relay;
    QSignalSpy progress{&relay, &Relay::progress};
    QSignalSpy running{&relay, &Relay::runningChanged};
    QSignalSpy undo{&relay, &Relay::undoAvailable};

    explicit Fixture(const Settings &s = Settings(), std::size_t points = 1000)
        : Fixture(s, inverseData(points))
    {
    }
    Fixture(const Settings &s, const mdn::Dataset &data)
    {
        qRegisterMetaType<mdn::Snapshot>("mdn::Snapshot");
        QObject::connect(worker, &TrainingWorker::progress, &relay, &Relay::progress, Qt::QueuedConnection);
        QObject::connect(worker, &TrainingWorker::runningChanged, &relay, &Relay::runningChanged,
                         Qt::QueuedConnection);
        QObject::connect(worker, &TrainingWorker::undoAvailable, &relay, &Relay::undoAvailable,
                         Qt::QueuedConnection);
        worker->moveToThread(&thread);
        QObject::connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        thread.start();
        QMetaObject::invokeMethod(worker, [w = worker, s, data] { w->configure(s, data); },
                                  Qt::QueuedConnection);
    }
    ~Fixture()
    {
        worker->interrupt();
        thread.quit();
        thread.wait();
    }
    void invoke(void (TrainingWorker::*slot)())
    {
        QMetaObject::invokeMethod(worker, slot, Qt::QueuedConnection);
    }
    mdn::Snapshot last() const { return progress.last().at(0).value<mdn::Snapshot>(); }
    bool isRunning() const { return !running.isEmpty() && running.last().at(0).toBool(); }
};

} // namespace

class TestWorker : public QObject {
    Q_OBJECT
private slots:
    void windowAndCommandLineTrainTheSameModels_data();
    void windowAndCommandLineTrainTheSameModels();
    void progressArrivesAndLossesFall();
    void progressIsThrottledWhileTrainingFlatOut();
    void pauseStopsTheEpochCounter();
    void stepTrainsExactlyOneEpoch();
    void resetReturnsToEpochZero();
    void epochLimitPausesTraining();
    void snapshotsCarryEveryEpochsLoss();
    void validationCurveStartsAtEpochZero_data();
    void validationCurveStartsAtEpochZero();
    void undoBringsBackTheTrainedModels();
    void comparedRunsTrainTogether();
    void autoShowsTheBestHeldOutRun();
};

void TestWorker::progressArrivesAndLossesFall()
{
    Fixture f;
    QTRY_COMPARE(f.progress.count(), 1); // configure shows the untrained models
    const mdn::Snapshot first = f.last();
    QCOMPARE(first.epoch, 0L);
    QCOMPARE(first.sampleX.size(), std::size_t(200 * 10));
    f.invoke(&TrainingWorker::start);
    QTRY_VERIFY_WITH_TIMEOUT(f.progress.count() > 1 && f.last().epoch >= 300, 20000);
    const mdn::Snapshot later = f.last();
    QVERIFY(later.running);
    QVERIFY(later.epochsPerSecond > 0);
    // Reference: the losses of the first epoch (epoch 0 has only the validation losses).
    mdn::LossPoint firstLoss;
    for (const QList<QVariant> &args : f.progress) {
        const auto s = args.at(0).value<mdn::Snapshot>();
        const auto it = std::find_if(s.losses.begin(), s.losses.end(),
                                     [](const mdn::LossPoint &p) { return p.epoch > 0; });
        if (it != s.losses.end()) {
            firstLoss = *it;
            break;
        }
    }
    QCOMPARE(firstLoss.epoch, 1L);
    QVERIFY2(later.mdnLoss < firstLoss.nll - 0.5, qPrintable(QString("%1 -> %2").arg(firstLoss.nll).arg(later.mdnLoss)));
    QVERIFY2(later.mseLoss < firstLoss.mse, qPrintable(QString("%1 -> %2").arg(firstLoss.mse).arg(later.mseLoss)));
}

void TestWorker::progressIsThrottledWhileTrainingFlatOut()
{
    Settings s;
    s.points = 100; // tiny epochs: thousands per second
    s.epochLimit = 0;
    Fixture f(s, 100);
    QTRY_COMPARE(f.progress.count(), 1);
    f.invoke(&TrainingWorker::start);
    QElapsedTimer clock;
    clock.start();
    QTest::qWait(1500); // observe a fixed window of flat-out training
    const qint64 ms = clock.elapsed();
    const int updates = f.progress.count() - 1;
    const long epochs = f.last().epoch;
    // At most one update per interval (plus the first), and many epochs per update.
    QVERIFY2(updates <= ms / TrainingWorker::kProgressIntervalMs + 2,
             qPrintable(QString("%1 updates in %2 ms").arg(updates).arg(ms)));
    QVERIFY2(updates >= 5, qPrintable(QString("%1 updates").arg(updates)));
    QVERIFY2(epochs > 10 * updates, qPrintable(QString("%1 epochs, %2 updates").arg(epochs).arg(updates)));
}

void TestWorker::pauseStopsTheEpochCounter()
{
    Settings s;
    s.epochLimit = 0;
    Fixture f(s);
    f.invoke(&TrainingWorker::start);
    QTRY_VERIFY(f.progress.count() > 1 && f.last().epoch > 50);
    f.worker->interrupt();
    f.invoke(&TrainingWorker::pause);
    QTRY_VERIFY(!f.isRunning());
    QTRY_VERIFY(!f.last().running); // pause's final snapshot has arrived
    const long paused = f.last().epoch;
    const int updates = f.progress.count();
    QTest::qWait(300); // the counter must not move while paused
    QCOMPARE(f.progress.count(), updates);
    // Train again: the counter moves on from where it stopped.
    f.invoke(&TrainingWorker::start);
    QTRY_VERIFY(f.last().epoch > paused);
}

void TestWorker::stepTrainsExactlyOneEpoch()
{
    Fixture f;
    QTRY_COMPARE(f.progress.count(), 1);
    f.invoke(&TrainingWorker::step);
    QTRY_COMPARE(f.progress.count(), 2);
    QCOMPARE(f.last().epoch, 1L);
    QCOMPARE(f.last().losses.size(), std::size_t(1));
    f.invoke(&TrainingWorker::step);
    QTRY_COMPARE(f.progress.count(), 3);
    QCOMPARE(f.last().epoch, 2L);
}

void TestWorker::resetReturnsToEpochZero()
{
    Fixture f;
    f.invoke(&TrainingWorker::start);
    QTRY_VERIFY(f.progress.count() > 1 && f.last().epoch > 20);
    const int before = f.progress.count();
    f.invoke(&TrainingWorker::reset);
    // The reset shows fresh models at epoch 0, then training goes on since it was running.
    auto sawEpochZero = [&] {
        for (int i = before; i < f.progress.count(); ++i)
            if (f.progress.at(i).at(0).value<mdn::Snapshot>().epoch == 0)
                return true;
        return false;
    };
    QTRY_VERIFY(sawEpochZero());
    QTRY_VERIFY(f.isRunning());
}

void TestWorker::epochLimitPausesTraining()
{
    Settings s;
    s.epochLimit = 120;
    Fixture f(s);
    f.invoke(&TrainingWorker::start);
    // It started, then stopped by itself at the limit.
    QTRY_VERIFY_WITH_TIMEOUT(f.running.count() == 2 && !f.isRunning(), 20000);
    QCOMPARE(f.running.first().at(0).toBool(), true);
    QTRY_COMPARE(f.last().epoch, 120L);
}

void TestWorker::snapshotsCarryEveryEpochsLoss()
{
    Settings s;
    s.epochLimit = 400;
    Fixture f(s);
    f.invoke(&TrainingWorker::start);
    QTRY_VERIFY_WITH_TIMEOUT(f.progress.count() > 1 && f.last().epoch == 400 && !f.isRunning(), 20000);
    // Epoch 0 carries the untrained models' validation losses only.
    long expected = 0;
    for (const QList<QVariant> &args : f.progress)
        for (const mdn::LossPoint &p : args.at(0).value<mdn::Snapshot>().losses) {
            QCOMPARE(p.epoch, expected++);
            QCOMPARE(std::isnan(p.nll), p.epoch == 0);
        }
    QCOMPARE(expected, 401L);
}

// The dashed curves begin at the untrained epoch 0 and have every one of the first epochs, then
// points at regular intervals, whatever the data size (before, small data sets had none at all
// and large ones started late).
void TestWorker::validationCurveStartsAtEpochZero_data()
{
    QTest::addColumn<int>("points");
    QTest::addColumn<long>("epochs");
    QTest::newRow("100 points") << 100 << 500L;
    QTest::newRow("4,000 points") << 4000 << 200L;
    QTest::newRow("70,000 points (mini-batches)") << 70000 << 20L;
}

void TestWorker::validationCurveStartsAtEpochZero()
{
    QFETCH(int, points);
    QFETCH(long, epochs);
    Settings s;
    s.epochLimit = epochs;
    Fixture f(s, std::size_t(points));
    f.invoke(&TrainingWorker::start);
    QTRY_VERIFY_WITH_TIMEOUT(f.progress.count() > 1 && f.last().epoch == epochs && !f.isRunning(), 60000);
    std::vector<long> validated;
    for (const QList<QVariant> &args : f.progress)
        for (const mdn::LossPoint &p : args.at(0).value<mdn::Snapshot>().losses)
            if (std::isfinite(p.validationNll) && std::isfinite(p.validationMse))
                validated.push_back(p.epoch);
    QVERIFY(validated.size() >= 17);
    for (long e = 0; e <= 16; ++e)
        QCOMPARE(validated[std::size_t(e)], e);
    long widest = 0;
    for (std::size_t i = 1; i < validated.size(); ++i)
        widest = std::max(widest, validated[i] - validated[i - 1]);
    QVERIFY2(widest <= std::max(1L, epochs / 10), qPrintable(QString::number(widest)));
    QCOMPARE(validated.back(), epochs); // paused at the limit: the last epoch is scored too
}

void TestWorker::undoBringsBackTheTrainedModels()
{
    Settings s;
    s.epochLimit = 150;
    Fixture f(s);
    QSignalSpy &undo = f.undo;
    QTRY_VERIFY(undo.count() == 1 && f.progress.count() == 1);
    QCOMPARE(undo.last().at(0).toBool(), false); // nothing trained yet
    f.invoke(&TrainingWorker::start);
    QTRY_VERIFY_WITH_TIMEOUT(f.last().epoch == 150 && !f.isRunning(), 20000);
    const mdn::Snapshot trained = f.last();
    f.invoke(&TrainingWorker::reset);
    QTRY_COMPARE(undo.count(), 2);
    QCOMPARE(undo.last().at(0).toBool(), true);
    QCOMPARE(undo.last().at(1).toLongLong(), 150LL);
    QTRY_COMPARE(f.last().epoch, 0L);
    f.invoke(&TrainingWorker::undo);
    QTRY_COMPARE(undo.count(), 3);
    QCOMPARE(undo.last().at(0).toBool(), false);
    QTRY_COMPARE(f.last().epoch, 150L);
    // The same models: the same mixture at the same x, and their settings (the epoch limit).
    const mdn::Snapshot restored = f.last();
    QVERIFY(restored.mixture.points() > 0 && trained.mixture.points() > 0);
    QCOMPARE(restored.mixture.mu(0, 0), trained.mixture.mu(0, 0));
    QCOMPARE(restored.mdnLoss, trained.mdnLoss);
    // A reset of untrained models has nothing to bring back.
    f.invoke(&TrainingWorker::reset);
    f.invoke(&TrainingWorker::reset);
    QTRY_COMPARE(undo.count(), 5);
    QCOMPARE(undo.last().at(0).toBool(), false);
    // Resets keep the settings: training stops at the same limit.
    f.invoke(&TrainingWorker::start);
    QTRY_VERIFY_WITH_TIMEOUT(f.last().epoch == 150 && !f.isRunning(), 20000);
}

void TestWorker::windowAndCommandLineTrainTheSameModels_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("full batch") << QStringList{"--points", "4000", "--seed", "3", "--mixtures", "5"};
    QTest::newRow("mini-batches, rmsprop, bishop")
        << QStringList{"--dataset", "bishop", "--points", "3000", "--batch", "64", "--optimizer", "rmsprop",
                       "--validation", "10", "--hidden", "16"};
}

// The same command line, trained by the headless trainer's session straight through and by the
// window's worker with pauses at arbitrary moments, gives the same weights after 500 epochs, bit
// for bit, and the same losses.
void TestWorker::windowAndCommandLineTrainTheSameModels()
{
    QFETCH(QStringList, arguments);
    QCommandLineParser parser;
    addOptions(parser);
    QVERIFY(parser.parse(QStringList{"mdnviz"} + arguments));
    QString error;
    const std::optional<Options> o = readOptions(parser, error);
    QVERIFY2(o, qPrintable(error));
    constexpr long kEpochs = 500;

    const mdn::Dataset data = mdn::generate(o->generator);
    mdn::Session headless(std::make_shared<const mdn::Dataset>(data), sessionOptionsOf(*o), runsOf(*o));
    QCOMPARE(headless.train(kEpochs), kEpochs);

    Settings s = withCommandLine(Settings(), parser, *o);
    s.epochLimit = kEpochs;
    Fixture f(s, data);
    QTRY_COMPARE(f.progress.count(), 1);
    int pauses = 0;
    while (f.last().epoch < kEpochs) {
        const long before = f.last().epoch;
        f.invoke(&TrainingWorker::start);
        QTest::qWait(int(QRandomGenerator::global()->bounded(1, 12)));
        f.worker->interrupt();
        f.invoke(&TrainingWorker::pause);
        QTRY_VERIFY(!f.isRunning() && !f.last().running);
        QTest::qWait(5); // the last snapshot of the pause
        if (f.last().epoch > before && f.last().epoch < kEpochs)
            ++pauses;
    }
    QVERIFY2(pauses >= 2, qPrintable(QString::number(pauses)));
    QCOMPARE(f.last().epoch, kEpochs);
    const mdn::Session *window = f.worker->session(); // idle: paused at the limit
    QVERIFY(window);
    QCOMPARE(window->runCount(), headless.runCount());
    for (std::size_t r = 0; r < headless.runCount(); ++r) {
        const mdn::TrainConfig &a = window->trainer(r).config(), &b = headless.trainer(r).config();
        QCOMPARE(a.hidden, b.hidden);
        QCOMPARE(a.mixtures, b.mixtures);
        QCOMPARE(a.seed, b.seed);
        QCOMPARE(int(a.optimizer.kind), int(b.optimizer.kind));
        QCOMPARE(a.optimizer.learningRate, b.optimizer.learningRate);
        QCOMPARE(a.optimizer.beta2, b.optimizer.beta2);
        QCOMPARE(window->trainingData().x, headless.trainingData().x);
        QCOMPARE(window->trainer(r).epoch(), kEpochs);
        QCOMPARE(window->trainer(r).config().batch, headless.trainer(r).config().batch);
        QVERIFY(window->trainer(r).net().parameters() == headless.trainer(r).net().parameters());
        QVERIFY(window->history(r) == headless.history(r));
    }
    QCOMPARE(f.last().mdnLoss, headless.trainer(1).lastLoss());
}

// Runs added to a session: the same data and split, trained with the others to the limit; each
// run's curve arrives once per epoch across the snapshots; a run shown in the views sends its
// whole history again; a run like one there already is not added twice.
void TestWorker::comparedRunsTrainTogether()
{
    Settings s;
    s.epochLimit = 60;
    Fixture f(s, inverseData(400));
    QTRY_COMPARE(f.progress.count(), 1);
    QMetaObject::invokeMethod(f.worker, [w = f.worker] {
        w->addRuns({{{"mixtures", "3"}}, {{"hidden", "12"}, {"seed", "4"}}, {{"mixtures", "3"}}, {{"mixtures", "10"}}});
    });
    QTRY_COMPARE(f.progress.count(), 2);
    const mdn::Snapshot added = f.last();
    QCOMPARE(added.runs.size(), std::size_t(3)); // the settings' own, K = 3, H = 12 (the rest are there)
    QCOMPARE(added.runs[0].label, std::string());
    QCOMPARE(added.runs[1].label, std::string("K = 3"));
    QCOMPARE(added.runs[2].label, std::string("H = 12, seed 4"));
    f.invoke(&TrainingWorker::start);
    QTRY_VERIFY_WITH_TIMEOUT(f.running.count() == 2 && !f.isRunning(), 60000);
    QTRY_COMPARE(f.last().epoch, 60L);
    std::map<std::size_t, std::vector<long>> epochs; // per run, every epoch received
    for (const QList<QVariant> &args : f.progress)
        for (const mdn::RunView &v : args.at(0).value<mdn::Snapshot>().runs) {
            if (v.lossesRestart)
                epochs[v.run].clear();
            for (const mdn::RunLossPoint &p : v.losses)
                epochs[v.run].push_back(p.epoch);
        }
    QCOMPARE(epochs.size(), std::size_t(3));
    for (const auto &[run, got] : epochs) {
        QCOMPARE(long(got.size()), 61L);
        for (std::size_t e = 0; e < got.size(); ++e)
            QCOMPARE(got[e], long(e));
    }
    const mdn::Snapshot trained = f.last();
    for (const mdn::RunView &v : trained.runs) {
        QCOMPARE(v.epoch, 60L);
        QVERIFY(std::isfinite(v.validation) && v.bestEpoch >= 0);
        QVERIFY(!v.sampleX.empty());
    }
    const int before = f.progress.count();
    QMetaObject::invokeMethod(f.worker, [w = f.worker, run = trained.runs[2].run] { w->showRun(run); });
    QTRY_VERIFY(f.progress.count() > before);
    const mdn::Snapshot shown = f.last();
    QVERIFY(shown.runs[2].shown && !shown.runs[0].shown);
    QVERIFY(shown.lossesRestart);
    QCOMPARE(shown.losses.front().epoch, 0L);
    QCOMPARE(shown.losses.back().epoch, 60L);
    // Stopped: the views show its best weights.
    QVERIFY(shown.showingBest);
    QCOMPARE(shown.validationNll, shown.runs[2].bestValidation);
    QCOMPARE(shown.mdnPredictor->epoch, shown.runs[2].bestEpoch);
    // A reset keeps the comparison, with new models.
    f.invoke(&TrainingWorker::reset);
    QTRY_VERIFY(f.last().epoch == 0 && f.last().runs.size() == 3);
    QCOMPARE(f.last().runs[1].label, std::string("K = 3"));
    QMetaObject::invokeMethod(f.worker, [w = f.worker] { w->clearComparison(); });
    QTRY_COMPARE(f.last().runs.size(), std::size_t(1));
}

// Auto: the MDN sizes trained side by side, then the run of the lowest best held-out NLL shown.
void TestWorker::autoShowsTheBestHeldOutRun()
{
    Settings s;
    s.epochLimit = 40;
    Fixture f(s, inverseData(300));
    QSignalSpy chosen(&f.relay, &Relay::autoChosen);
    QObject::connect(f.worker, &TrainingWorker::autoChosen, &f.relay, &Relay::autoChosen, Qt::QueuedConnection);
    QTRY_COMPARE(f.progress.count(), 1);
    QMetaObject::invokeMethod(f.worker, [w = f.worker] { w->startAuto(); });
    QTRY_COMPARE_WITH_TIMEOUT(chosen.count(), 1, 120000);
    QTRY_VERIFY(!f.isRunning() && f.last().runs.size() == 10 && f.last().epoch == 40);
    const mdn::Snapshot last = f.last();
    const std::size_t run = chosen.first().at(0).value<std::size_t>();
    double lowest = std::numeric_limits<double>::infinity();
    for (const mdn::RunView &v : last.runs)
        lowest = std::min(lowest, v.bestValidation);
    bool found = false;
    for (const mdn::RunView &v : last.runs)
        if (v.run == run) {
            found = true;
            QVERIFY(v.shown);
            QCOMPARE(v.bestValidation, lowest);
            QCOMPARE(last.validationNll, lowest);
        }
    QVERIFY(found);
}

QTEST_GUILESS_MAIN(TestWorker)
#include "tst_worker.moc"
