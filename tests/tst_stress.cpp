// The training thread under a storm of requests: thousands of seeded random start / pause / step /
// reset / settings / dataset changes sent to the worker and to the window, and the window closed
// mid-training a hundred times. Nothing may crash, deadlock, destroy a running thread, or show a
// loss of a model that has been replaced: after a reset the first snapshot is epoch 0, and every
// later one continues from it. Bounded in time; the seed is printed so that a failure reproduces.

#include "dataset.h"
#include "losschart.h"
#include "mainwindow.h"
#include "settings.h"
#include "worker.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLineSeries>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest/QTest>

#include <atomic>
#include <cmath>

using namespace mdnviz;

namespace {

// Messages that mean a thread was misused; any of them fails the test.
std::atomic<int> g_threadWarnings{0};
QtMessageHandler g_previousHandler = nullptr;

void messageHandler(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    if (text.contains(QLatin1String("Destroyed while thread is still running")) ||
        text.contains(QLatin1String("different thread")) ||
        text.contains(QLatin1String("another thread")))
        ++g_threadWarnings;
    if (g_previousHandler)
        g_previousHandler(type, context, text);
}

quint32 seedFromEnvironment()
{
    bool ok = false;
    const quint32 seed = qEnvironmentVariable("MDNVIZ_STRESS_SEED").toUInt(&ok);
    return ok ? seed : 20241124u;
}

mdn::Dataset dataset(QRandomGenerator &rng)
{
    mdn::GeneratorSpec g;
    g.generator = mdn::allGenerators()[rng.bounded(3)];
    // Mostly small; now and then above TrainingWorker::kLargeData, which switches to mini-batches.
    g.points = rng.bounded(25) == 0 ? 60000 + rng.bounded(20000) : 20 + rng.bounded(2000);
    g.seed = rng.bounded(1000);
    return mdn::generate(g);
}

Settings randomSettings(QRandomGenerator &rng, Settings s)
{
    switch (rng.bounded(9)) {
    case 0: s.mixtures = 1 + int(rng.bounded(12)); break;
    case 1: s.mdnHidden = 1 + int(rng.bounded(40)); break;
    case 2: s.mseHidden = 1 + int(rng.bounded(40)); break;
    case 3: s.learningRate = std::pow(10.0, -4.0 + 5.0 * rng.generateDouble()); break; // up to 10
    case 4: s.batch = rng.bounded(3) == 0 ? 0 : 1 + int(rng.bounded(600)); break;
    case 5: s.optimizer = mdn::OptimizerKind(rng.bounded(3)); break;
    case 6: s.samplesPerX = 1 + int(rng.bounded(20)); break;
    case 7: s.epochLimit = rng.bounded(2) ? 0 : long(1 + rng.bounded(400)); break;
    case 8: s.seed = rng.bounded(100); break;
    }
    return s;
}

// Checks the worker's snapshot stream: between two configurations the epoch only moves by the
// epochs whose losses the snapshot carries, in order, all finite.
struct StreamChecker {
    long epoch = 0;
    long snapshots = 0;
    QStringList problems;

    void take(const mdn::Snapshot &s)
    {
        ++snapshots;
        if (problems.size() > 10)
            return;
        if (s.epoch == 0) {
            // At most the untrained models' validation losses.
            const bool validationOnly = s.losses.size() == 1 && s.losses[0].epoch == 0 &&
                                        std::isnan(s.losses[0].mse) && std::isnan(s.losses[0].nll);
            if (!s.losses.empty() && !validationOnly)
                problems << QStringLiteral("epoch 0 snapshot carries %1 losses").arg(s.losses.size());
            epoch = 0;
            return;
        }
        if (s.epoch - epoch != long(s.losses.size()))
            problems << QStringLiteral("epoch %1 -> %2 with %3 losses")
                            .arg(epoch)
                            .arg(s.epoch)
                            .arg(s.losses.size());
        long expected = epoch + 1;
        for (const mdn::LossPoint &p : s.losses) {
            if (p.epoch != expected++)
                problems << QStringLiteral("loss of epoch %1, expected %2").arg(p.epoch).arg(expected - 1);
            if (!std::isfinite(p.mse) || !std::isfinite(p.nll))
                problems << QStringLiteral("non-finite loss at epoch %1").arg(p.epoch);
        }
        epoch = s.epoch;
    }
};

// The loss chart is cleared whenever the models are replaced, so it must show one model's run:
// from epoch 1, rising strictly. A replaced model's losses drawn after a reset would start
// elsewhere or jump back.
QString chartProblem(const LossChart *chart)
{
    for (const QLineSeries *series : {chart->mseSeries(), chart->nllSeries()}) {
        const QList<QPointF> points = series->points();
        if (!points.isEmpty() && points.front().x() != 1.0)
            return QStringLiteral("loss chart starts at epoch %1").arg(points.front().x());
        for (int i = 1; i < points.size(); ++i)
            if (!(points[i].x() > points[i - 1].x()))
                return QStringLiteral("loss chart epochs go %1 -> %2")
                    .arg(points[i - 1].x())
                    .arg(points[i].x());
    }
    return QString();
}

} // namespace

class TestStress : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void workerUnderRandomRequests();
    void windowUnderRandomRequests();
    void closingWhileTrainingHundredTimes();

private:
    quint32 m_seed = 0;
    QTemporaryDir m_dir;
};

void TestStress::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qRegisterMetaType<mdn::Snapshot>("mdn::Snapshot");
    g_previousHandler = qInstallMessageHandler(messageHandler);
    m_seed = seedFromEnvironment();
    qInfo("seed %u (set MDNVIZ_STRESS_SEED to replay another)", m_seed);
}

void TestStress::cleanupTestCase()
{
    qInstallMessageHandler(g_previousHandler);
    QCOMPARE(g_threadWarnings.load(), 0);
}

void TestStress::workerUnderRandomRequests()
{
    QRandomGenerator rng(m_seed);
    QElapsedTimer clock;
    clock.start();
    long requests = 0, snapshots = 0, rounds = 0;
    qint64 worstJoinMs = 0;
    while (clock.elapsed() < 8000) {
        ++rounds;
        QThread thread;
        auto *worker = new TrainingWorker;
        worker->moveToThread(&thread);
        QObject::connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        StreamChecker checker;
        QObject context;
        QObject::connect(worker, &TrainingWorker::progress, &context,
                         [&checker](const mdn::Snapshot &s) { checker.take(s); });
        thread.start();
        Settings settings;
        settings.epochLimit = 0;
        const auto configure = [&](const Settings &s, const mdn::Dataset &d) {
            QMetaObject::invokeMethod(worker, [worker, s, d] { worker->configure(s, d); },
                                      Qt::QueuedConnection);
        };
        configure(settings, dataset(rng));
        const int steps = 50 + int(rng.bounded(150));
        for (int i = 0; i < steps && clock.elapsed() < 8000; ++i, ++requests) {
            switch (rng.bounded(8)) {
            case 0:
            case 1:
                QMetaObject::invokeMethod(worker, &TrainingWorker::start, Qt::QueuedConnection);
                break;
            case 2:
                worker->interrupt();
                QMetaObject::invokeMethod(worker, &TrainingWorker::pause, Qt::QueuedConnection);
                break;
            case 3:
                QMetaObject::invokeMethod(worker, &TrainingWorker::step, Qt::QueuedConnection);
                break;
            case 4:
                QMetaObject::invokeMethod(worker, &TrainingWorker::reset, Qt::QueuedConnection);
                break;
            case 5:
                settings = randomSettings(rng, settings);
                configure(settings, dataset(rng));
                break;
            case 6: {
                const int samples = 1 + int(rng.bounded(30));
                const long limit = rng.bounded(2) ? 0 : long(rng.bounded(500));
                QMetaObject::invokeMethod(worker, [worker, samples, limit] {
                    worker->setViewSettings(samples, limit);
                }, Qt::QueuedConnection);
                break;
            }
            case 7:
                settings = randomSettings(rng, settings);
                configure(settings, dataset(rng));
                QMetaObject::invokeMethod(worker, &TrainingWorker::start, Qt::QueuedConnection);
                break;
            }
            if (rng.bounded(3) == 0)
                QTest::qWait(int(rng.bounded(15)));
        }
        QTest::qWait(int(rng.bounded(30)));
        QElapsedTimer join;
        join.start();
        worker->interrupt();
        thread.quit();
        QVERIFY2(thread.wait(10000 * MDNVIZ_TIME_SCALE), "the worker thread did not stop in time");
        worstJoinMs = std::max(worstJoinMs, join.elapsed());
        QCoreApplication::processEvents(); // deliver what the worker sent before it stopped
        snapshots += checker.snapshots;
        QVERIFY2(checker.problems.isEmpty(),
                 qPrintable(QStringLiteral("seed %1 round %2: ").arg(m_seed).arg(rounds) +
                            checker.problems.join(QStringLiteral("; "))));
    }
    qInfo("worker: %ld requests in %ld rounds, %ld snapshots checked, worst join %lld ms",
          requests, rounds, snapshots, worstJoinMs);
}

void TestStress::windowUnderRandomRequests()
{
    QRandomGenerator rng(m_seed + 1);
    // Files to swap in: good ones and malformed ones (which must leave the dataset as it was).
    const QString good = m_dir.filePath(QStringLiteral("good.csv"));
    const QString bad = m_dir.filePath(QStringLiteral("bad.csv"));
    {
        QFile f(good);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("x,y\n");
        for (int i = 0; i < 500; ++i)
            f.write(QByteArray::number(i * 0.02) + ',' + QByteArray::number(std::sin(i * 0.02)) + '\n');
        QFile b(bad);
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write("x,y\n1,2\n3,nan\n");
    }
    const QStringList badPaths{bad, m_dir.path(), QStringLiteral("/dev/zero"),
                               m_dir.filePath(QStringLiteral("missing.csv"))};

    MainWindow w(false);
    w.show();
    // The window draws only the newest of the snapshots that arrived since it last drew (it
    // must not fall behind training), so after a request that replaces the models the first one
    // drawn may already be past epoch 0; the loss chart (checked after every request) shows
    // whether its losses are the new models' from epoch 1. From then on the epochs drawn only go
    // up until the next such request.
    bool expectZero = true, sawZero = false;
    long lastShown = -1;
    QStringList problems;
    connect(&w, &MainWindow::datasetChanged, this, [&] { expectZero = true; });
    connect(&w, &MainWindow::snapshotShown, this, [&](long epoch) {
        if (expectZero) {
            expectZero = false;
            sawZero = sawZero || epoch == 0;
        } else if (epoch < lastShown && problems.size() < 10) {
            problems << QStringLiteral("epoch went back from %1 to %2").arg(lastShown).arg(epoch);
        }
        lastShown = epoch;
    });

    QElapsedTimer clock;
    clock.start();
    long requests = 0, failedLoads = 0, goodLoads = 0;
    while (clock.elapsed() < 12000) {
        ++requests;
        switch (rng.bounded(9)) {
        case 0:
        case 1:
            w.train();
            break;
        case 2:
            w.pause();
            break;
        case 3:
            w.step();
            break;
        case 4:
            expectZero = true;
            w.resetModels();
            break;
        case 5:
        case 6: {
            Settings s = randomSettings(rng, w.settings());
            if (rng.bounded(4) == 0 && !w.settings().fromFile) {
                s.points = 20 + int(rng.bounded(4000)); // new data
                s.generator = mdn::allGenerators()[rng.bounded(3)];
            }
            if (s.needsModelReset(w.settings()))
                expectZero = true;
            w.applySettings(s);
            break;
        }
        case 7: {
            if (w.isLoading())
                break;
            const std::vector<double> before = w.dataset().x;
            const bool swapGood = rng.bounded(3) == 0;
            QSignalSpy finished(&w, &MainWindow::loadFinished);
            w.openDataset(swapGood ? good : badPaths[rng.bounded(badPaths.size())]);
            QVERIFY(finished.wait(10000));
            if (finished.at(0).at(0).toBool()) {
                ++goodLoads;
                QVERIFY(swapGood);
                QCOMPARE(w.dataset().size(), std::size_t(500));
            } else {
                ++failedLoads;
                QVERIFY(!swapGood);
                QVERIFY2(w.dataset().x == before, "a failed load changed the dataset");
            }
            break;
        }
        case 8:
            if (w.settings().fromFile) { // back to a generator
                Settings s = w.settings();
                s.fromFile = false;
                s.filePath.clear();
                w.applySettings(s);
            } else {
                w.regenerate();
            }
            break;
        }
        QTest::qWait(int(rng.bounded(25)));
        const QString chart = chartProblem(w.lossChart());
        if (!chart.isEmpty() && problems.size() < 10)
            problems << chart;
        QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("seed %1, request %2: ")
                                                    .arg(m_seed + 1)
                                                    .arg(requests) +
                                                problems.join(QStringLiteral("; "))));
    }
    if (!sawZero) {
        // Under load every drawing of a first snapshot may have been overtaken by the next
        // request; once more without one behind it, the new models are drawn from epoch 0.
        w.pause();
        expectZero = true;
        w.resetModels();
        QTRY_VERIFY_WITH_TIMEOUT(sawZero, 10000 * MDNVIZ_TIME_SCALE);
    }
    QElapsedTimer close;
    close.start();
    QVERIFY(w.close());
    QVERIFY(!w.isWorkerThreadRunning());
    qInfo("window: %ld requests (%ld good and %ld refused file loads), closed in %lld ms",
          requests, goodLoads, failedLoads, close.elapsed());
}

void TestStress::closingWhileTrainingHundredTimes()
{
    QRandomGenerator rng(m_seed + 2);
    qint64 worstMs = 0, totalMs = 0;
    long worstPoints = 0;
    for (int i = 0; i < 100; ++i) {
        MainWindow w(false);
        w.show();
        Settings s = w.settings();
        s.epochLimit = 0;
        // Every tenth window trains on 200,000 points, where one epoch takes many mini-batches.
        s.points = i % 10 == 9 ? 200000 : 200 + int(rng.bounded(3000));
        s.batch = rng.bounded(4) == 0 ? 32 : 0;
        w.applySettings(s);
        w.train();
        QTest::qWait(int(rng.bounded(150)));
        QElapsedTimer clock;
        clock.start();
        QVERIFY(w.close());
        const qint64 ms = clock.elapsed();
        QVERIFY(!w.isWorkerThreadRunning());
        totalMs += ms;
        if (ms > worstMs) {
            worstMs = ms;
            worstPoints = s.points;
        }
    }
    qInfo("closing while training, 100 windows: worst shutdown %lld ms (%ld points), mean %.1f ms",
          worstMs, worstPoints, double(totalMs) / 100.0);
    QVERIFY2(worstMs < 2000 * MDNVIZ_TIME_SCALE, qPrintable(QString::number(worstMs)));
}

QTEST_MAIN(TestStress)
#include "tst_stress.moc"
