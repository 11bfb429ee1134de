// The window as a person drives it in the first ten minutes, with real key, mouse and wheel
// events on the real widgets: train, switch tabs while training at 1,000 and 200,000 points,
// resize, scroll over the dock, change K mid-training, pause / step / reset / undo, open a
// malformed file, export. A watchdog on the GUI thread fails any scenario in which the event loop
// stalls for more than 250 ms (scaled for the sanitizer build).

#include "datachart.h"
#include "losschart.h"
#include "mainwindow.h"
#include "mixturechart.h"
#include "settingsdock.h"
#include "slicechart.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLineSeries>
#include <QMessageBox>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QValueAxis>
#include <QWheelEvent>
#include <QtTest/QTest>

#include <ctime>

using namespace mdnviz;

namespace {

constexpr qint64 kStallMs = 250 * MDNVIZ_TIME_SCALE;

// Ticks every 10 ms on the GUI thread and keeps the longest time the thread spent working
// between two ticks: how long the event loop was held up at worst. CPU time of the thread, not
// wall time: on a machine loaded by others the thread also waits for a core, which is no stall
// of the window's making (the wall-clock worst is kept for the message).
class Watchdog : public QObject {
public:
    Watchdog()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 busy = threadCpuMs() - m_cpuAtTick;
            m_worstBusyMs = std::max(m_worstBusyMs, busy);
            m_worstWallMs = std::max(m_worstWallMs, m_sinceTick.elapsed());
            m_sinceTick.restart();
            m_cpuAtTick += busy;
        });
        m_sinceTick.start();
        m_cpuAtTick = threadCpuMs();
        m_timer.start(10);
    }
    // No turn of the event loop was held up beyond the bound.
    bool ok() const { return m_worstBusyMs < kStallMs; }
    QString report() const
    {
        return QStringLiteral("the event loop was held up for %1 ms of work (%2 ms wall clock)")
            .arg(m_worstBusyMs)
            .arg(m_worstWallMs);
    }

private:
    static qint64 threadCpuMs()
    {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return qint64(t.tv_sec) * 1000 + t.tv_nsec / 1'000'000;
    }
    QTimer m_timer;
    QElapsedTimer m_sinceTick;
    qint64 m_cpuAtTick = 0;
    qint64 m_worstBusyMs = 0, m_worstWallMs = 0;
};

// The window at a size, shown and exposed; false if it never was.
bool showAt(MainWindow &w, QSize size = QSize(1600, 1000))
{
    w.resize(size);
    w.show();
    return QTest::qWaitForWindowExposed(&w);
}

void pauseTraining(MainWindow &w)
{
    QTest::keyClick(&w, Qt::Key_F6);
    QTRY_VERIFY(!w.isTraining());
}

void clickTab(MainWindow &w, int index)
{
    QTabBar *bar = w.tabs()->tabBar();
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(index).center());
    QCOMPARE(w.tabs()->currentIndex(), index);
}

// Turns the wheel over the middle of a control.
void wheel(QWidget *control, int notches)
{
    const QPointF local = control->rect().center();
    QWheelEvent event(local, control->mapToGlobal(local), QPoint(), QPoint(0, 120 * notches),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(control, &event);
}

QList<QRectF> mixturePlotAreas(MainWindow &w)
{
    QList<QRectF> areas;
    for (QChart *c : w.mixtureChart()->charts())
        areas << c->plotArea();
    return areas;
}

} // namespace

class TestWalkthrough : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void switchingTabsWhileTrainingNeverStalls_data();
    void switchingTabsWhileTrainingNeverStalls();
    void resizingKeepsThePlotAreasAlignedAndStill();
    void wheelOverTheDockChangesNothingWithoutFocus();
    void changingKWhileTrainingRestartsWithValidationFromEpochZero();
    void pauseStepResetAndUndo();
    void malformedFileAndExportKeepTheWork();
};

void TestWalkthrough::switchingTabsWhileTrainingNeverStalls_data()
{
    QTest::addColumn<int>("points");
    QTest::newRow("1,000 points") << 1000;
    QTest::newRow("200,000 points") << 200000;
}

void TestWalkthrough::switchingTabsWhileTrainingNeverStalls()
{
    QFETCH(int, points);
    MainWindow w(false);
    QVERIFY(showAt(w));
    Settings s = w.settings();
    s.points = points;
    s.epochLimit = 0;
    w.applySettings(s);
    QTRY_COMPARE(w.dataset().size(), std::size_t(points));

    Watchdog watchdog;
    QTest::keyClick(&w, Qt::Key_F5);
    // At 200,000 points the models are still being built when F5 arrives (seconds in a
    // sanitizer build).
    QTRY_VERIFY_WITH_TIMEOUT(w.isTraining(), 5000 * MDNVIZ_TIME_SCALE);
    QTRY_VERIFY_WITH_TIMEOUT(w.epoch() > 0, 10000 * MDNVIZ_TIME_SCALE);
    // The freeze came about half a second into training, on the Mixture tab: back and forth.
    for (int round = 0; round < 6; ++round) {
        const long before = w.epoch();
        clickTab(w, 1);
        QTest::qWait(250);
        clickTab(w, 0);
        QTRY_VERIFY_WITH_TIMEOUT(w.epoch() > before, 10000 * MDNVIZ_TIME_SCALE);
    }
    clickTab(w, 1);
    QTest::qWait(400);
    // The mixture charts settled: one plot area each, not moving while snapshots arrive.
    const QList<QRectF> settled = mixturePlotAreas(w);
    const long before = w.epoch();
    QTRY_VERIFY_WITH_TIMEOUT(w.epoch() > before, 10000 * MDNVIZ_TIME_SCALE);
    QTest::qWait(200);
    QCOMPARE(mixturePlotAreas(w), settled);
    QVERIFY2(watchdog.ok(), qPrintable(watchdog.report()));
    pauseTraining(w);
}

void TestWalkthrough::resizingKeepsThePlotAreasAlignedAndStill()
{
    MainWindow w(false);
    QVERIFY(showAt(w));
    Watchdog watchdog;
    QTest::keyClick(&w, Qt::Key_F5);
    QTRY_VERIFY_WITH_TIMEOUT(w.epoch() > 20, 5000 * MDNVIZ_TIME_SCALE);
    clickTab(w, 1);
    for (const QSize size : {QSize(1600, 1000), QSize(1200, 800), QSize(800, 600), QSize(1600, 1000)}) {
        w.resize(size);
        QTest::qWait(300);
        const QList<QRectF> areas = mixturePlotAreas(w);
        // One x is one vertical line through the three charts.
        for (const QRectF &a : areas) {
            QVERIFY2(a.width() > 100 && a.height() > 20, qPrintable(QStringLiteral("%1x%2").arg(a.width()).arg(a.height())));
            QCOMPARE(a.left(), areas.first().left());
            QCOMPARE(a.right(), areas.first().right());
        }
        QTest::qWait(200);
        QCOMPARE(mixturePlotAreas(w), areas);
        // One x at the same place on both tabs.
        auto *mixtureX = qobject_cast<QValueAxis *>(
            w.mixtureChart()->chart(MixtureChart::Pi)->axes(Qt::Horizontal).first());
        QCOMPARE(mixtureX->min(), w.dataChart()->axisX()->min());
        QCOMPARE(mixtureX->max(), w.dataChart()->axisX()->max());
        // The loss and slice charts keep a plot too; the slice's axis is no wider than its data
        // (within ±10.5) need.
        QVERIFY(w.lossChart()->chart()->plotArea().height() > 20);
        const auto *sliceY = qobject_cast<QValueAxis *>(w.sliceChart()->chart()->axes(Qt::Horizontal).first());
        QVERIFY2(sliceY->max() < 15.01 && sliceY->min() > -15.01,
                 qPrintable(QStringLiteral("%1..%2").arg(sliceY->min()).arg(sliceY->max())));
    }
    QVERIFY2(watchdog.ok(), qPrintable(watchdog.report()));
    pauseTraining(w);
}

void TestWalkthrough::wheelOverTheDockChangesNothingWithoutFocus()
{
    MainWindow w(false);
    QVERIFY(showAt(w));
    w.activateWindow();
    w.dataChart()->setFocus();
    const Settings before = w.settings();
    const auto spins = w.settingsDock()->findChildren<QAbstractSpinBox *>();
    const auto combos = w.settingsDock()->findChildren<QComboBox *>();
    QVERIFY(spins.size() >= 10);
    QVERIFY(combos.size() >= 2);
    QList<QWidget *> controls;
    for (QWidget *c : spins)
        controls << c;
    for (QWidget *c : combos)
        controls << c;
    for (QWidget *c : controls) {
        QVERIFY(!c->hasFocus());
        wheel(c, 3);
        wheel(c, -6);
        QApplication::processEvents();
        QVERIFY2(w.settings() == before, qPrintable(c->objectName()));
    }
    QCOMPARE(w.settingsDock()->settings(), before);

    // With focus (a click in it), the wheel is the control's again.
    auto *mixtures = w.settingsDock()->findChild<QSpinBox *>(QStringLiteral("mixtures"));
    QVERIFY(mixtures);
    mixtures->setFocus(Qt::MouseFocusReason);
    QVERIFY(mixtures->hasFocus());
    wheel(mixtures, 1);
    QTRY_COMPARE(w.settings().mixtures, before.mixtures + 1);
}

void TestWalkthrough::changingKWhileTrainingRestartsWithValidationFromEpochZero()
{
    MainWindow w(false);
    QVERIFY(showAt(w));
    Watchdog watchdog;
    QTest::keyClick(&w, Qt::Key_F5);
    QTRY_VERIFY_WITH_TIMEOUT(w.epoch() > 100, 5000 * MDNVIZ_TIME_SCALE);
    auto *mixtures = w.settingsDock()->findChild<QSpinBox *>(QStringLiteral("mixtures"));
    mixtures->setFocus(Qt::TabFocusReason);
    mixtures->selectAll();
    QTest::keyClicks(mixtures, QStringLiteral("4"));
    QTest::keyClick(mixtures, Qt::Key_Return);
    QTRY_COMPARE(w.settings().mixtures, 4);
    // Restarted, and still training.
    QTRY_VERIFY(w.epoch() > 30 && w.epoch() < 100000);
    QVERIFY(w.isTraining());
    // The dashed curves begin where the new models do.
    QLineSeries *validation = w.lossChart()->validationNllSeries();
    QTRY_VERIFY(validation->count() > 5);
    QCOMPARE(validation->at(0).x(), 0.0);
    QVERIFY(validation->at(5).x() <= 5.0);
    QVERIFY2(watchdog.ok(), qPrintable(watchdog.report()));
    pauseTraining(w);
}

void TestWalkthrough::pauseStepResetAndUndo()
{
    MainWindow w(false);
    QVERIFY(showAt(w, QSize(1280, 800)));
    // First launch: the data and an invitation, not random weights' samples.
    QTRY_VERIFY(!w.dataChart()->hint().isEmpty());
    QCOMPARE(w.dataChart()->samplePoints().size(), 0);
    QTest::keyClick(&w, Qt::Key_F7);
    QTRY_COMPARE(w.epoch(), 1L);
    QVERIFY(w.dataChart()->hint().isEmpty());
    QVERIFY(!w.dataChart()->samplePoints().isEmpty());
    QTest::keyClick(&w, Qt::Key_F5);
    QTRY_VERIFY_WITH_TIMEOUT(w.epoch() > 200, 5000 * MDNVIZ_TIME_SCALE);
    QTest::keyClick(&w, Qt::Key_F6);
    QTRY_VERIFY(w.isIdle());
    const long trained = w.epoch();
    QTest::keyClick(&w, Qt::Key_F7);
    QTRY_COMPARE(w.epoch(), trained + 1);
    QTRY_VERIFY(w.isIdle());
    const int lossPoints = int(w.lossChart()->nllSeries()->count());
    const Settings settings = w.settings();

    QTest::keyClick(&w, Qt::Key_F8);
    QTRY_COMPARE(w.epoch(), 0L);
    QTRY_VERIFY(w.canUndo());
    QTest::keyClick(&w, Qt::Key_Z, Qt::ControlModifier);
    QTRY_COMPARE(w.epoch(), trained + 1);
    QCOMPARE(int(w.lossChart()->nllSeries()->count()), lossPoints);
    QCOMPARE(w.settings(), settings);
    QVERIFY(!w.canUndo());
    // The models go on from where they were.
    QTest::keyClick(&w, Qt::Key_F7);
    QTRY_COMPARE(w.epoch(), trained + 2);

    // A new learning rate (a model reset) is undone with its setting.
    auto *rate = w.settingsDock()->findChild<QAbstractSpinBox *>(QStringLiteral("learningRate"));
    QVERIFY(rate);
    rate->setFocus(Qt::TabFocusReason);
    QTest::keyClick(rate, Qt::Key_Down);
    QTRY_VERIFY(w.settings().learningRate != settings.learningRate);
    QTRY_COMPARE(w.epoch(), 0L);
    QTRY_VERIFY(w.canUndo());
    w.dataChart()->setFocus();
    QTest::keyClick(&w, Qt::Key_Z, Qt::ControlModifier);
    QTRY_COMPARE(w.epoch(), trained + 2);
    QCOMPARE(w.settings().learningRate, settings.learningRate);
    QCOMPARE(w.settingsDock()->settings().learningRate, settings.learningRate);
}

void TestWalkthrough::malformedFileAndExportKeepTheWork()
{
    QTemporaryDir dir;
    const QString bad = dir.filePath(QStringLiteral("bad.csv"));
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("x,y\n1,2\n3,four\n");
    }
    MainWindow w(false);
    QVERIFY(showAt(w, QSize(1280, 800)));
    Watchdog watchdog;
    QTest::keyClick(&w, Qt::Key_F5);
    QTRY_VERIFY_WITH_TIMEOUT(w.epoch() > 50, 5000 * MDNVIZ_TIME_SCALE);
    const std::vector<double> before = w.dataset().x;
    QSignalSpy finished(&w, &MainWindow::loadFinished);
    w.openDataset(bad);
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(w.dataset().x == before);
    QVERIFY(w.lastError().contains(QStringLiteral("bad.csv:3")));
    // The message is window-modal and non-blocking: training goes on behind it.
    QMessageBox *box = w.findChild<QMessageBox *>();
    QVERIFY(box);
    const long during = w.epoch();
    QTRY_VERIFY(w.epoch() > during);
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY(!w.findChild<QMessageBox *>() || !w.findChild<QMessageBox *>()->isVisible());

    QString error;
    QVERIFY2(w.exportAllCharts(dir.filePath(QStringLiteral("charts")), QSize(800, 500), &error),
             qPrintable(error));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("charts/mixture-parameters.png"))));
    QVERIFY(w.isTraining());
    QVERIFY2(watchdog.ok(), qPrintable(watchdog.report()));
}

QTEST_MAIN(TestWalkthrough)
#include "tst_walkthrough.moc"
