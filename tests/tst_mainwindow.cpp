// The main window as a person drives it: training, closing mid-training, files in and out.

#include "datachart.h"
#include "mainwindow.h"
#include "settingsdock.h"

#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QElapsedTimer>
#include <QtTest/QTest>

using namespace mdnviz;

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void trainingUpdatesTheWindow();
    void closingWhileTrainingStopsTheThreadPromptly();
    void malformedCsvKeepsTheDatasetAndNamesTheLine();
    void goodCsvReplacesTheDataset();
    void saveAndExportFromTheWindow();
    void changingModelSettingsWhileTrainingResets();
};

void TestMainWindow::trainingUpdatesTheWindow()
{
    MainWindow w(false);
    w.show();
    QSignalSpy shown(&w, &MainWindow::snapshotShown);
    w.train();
    QTRY_VERIFY(w.isTraining());
    QTRY_VERIFY(w.epoch() > 100);
    w.pause();
    QTRY_VERIFY(!w.isTraining());
    QTRY_VERIFY(shown.count() >= 2);
    QCOMPARE(shown.last().at(0).toLongLong(), w.epoch());
}

void TestMainWindow::closingWhileTrainingStopsTheThreadPromptly()
{
    for (int i = 0; i < 5; ++i) {
        MainWindow w(false);
        w.show();
        w.train();
        QTRY_VERIFY(w.isTraining() && w.epoch() > 0);
        QTest::qWait(20 * i);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(w.close());
        QVERIFY(!w.isWorkerThreadRunning());
        QVERIFY2(clock.elapsed() < 1000 * MDNVIZ_TIME_SCALE, qPrintable(QString::number(clock.elapsed())));
    }
}

void TestMainWindow::malformedCsvKeepsTheDatasetAndNamesTheLine()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("bad.csv");
    writeFile(path, "x,y\n1,2\n3,four\n5,6\n");
    MainWindow w(false);
    const std::vector<double> before = w.dataset().x;
    QSignalSpy finished(&w, &MainWindow::loadFinished);
    w.openDataset(path);
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY(w.dataset().x == before);
    QVERIFY2(w.lastError().contains("bad.csv:3"), qPrintable(w.lastError()));
    QVERIFY(!w.settings().fromFile);
}

void TestMainWindow::goodCsvReplacesTheDataset()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("good.csv");
    writeFile(path, "x,y\r\n1,2\r\n3,4.5\r\n5,6e1\r\n");
    MainWindow w(false);
    QSignalSpy finished(&w, &MainWindow::loadFinished);
    w.openDataset(path);
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QCOMPARE(w.dataset().size(), std::size_t(3));
    QCOMPARE(w.dataset().y[2], 60.0);
    QVERIFY(w.settings().fromFile);
    QCOMPARE(w.settings().filePath, path);
}

void TestMainWindow::saveAndExportFromTheWindow()
{
    QTemporaryDir dir;
    MainWindow w(false);
    w.step();
    QTRY_VERIFY(w.epoch() == 1);
    QString error;
    QVERIFY2(w.saveDataset(dir.filePath("data.csv"), &error), qPrintable(error));
    QVERIFY(QFileInfo(dir.filePath("data.csv")).size() > 1000);
    QVERIFY(!w.saveDataset(dir.filePath("missing/data.csv"), &error));
    QVERIFY(error.contains("missing"));

    QVERIFY2(w.exportDataChart(dir.filePath("chart.png"), QSize(900, 600), &error), qPrintable(error));
    QCOMPARE(QImage(dir.filePath("chart.png")).size(), QSize(900, 600));
    QVERIFY2(w.exportAllCharts(dir.filePath("all"), QSize(640, 400), &error), qPrintable(error));
    QCOMPARE(QImage(dir.filePath("all/data-and-fits.png")).size(), QSize(640, 400));
    QCOMPARE(QImage(dir.filePath("all/loss.png")).size(), QSize(640, 400));
}

void TestMainWindow::changingModelSettingsWhileTrainingResets()
{
    MainWindow w(false);
    Settings s = w.settings();
    s.epochLimit = 0;
    w.applySettings(s);
    w.train();
    QTRY_VERIFY(w.epoch() > 200);
    QSignalSpy shown(&w, &MainWindow::snapshotShown);
    s.mixtures = 3;
    w.applySettings(s);
    // The models restart from epoch 0 with the new K and keep training.
    auto restarted = [&] {
        for (const QList<QVariant> &args : shown)
            if (args.at(0).toLongLong() == 0)
                return true;
        return false;
    };
    QTRY_VERIFY(restarted());
    QTRY_VERIFY(w.isTraining() && w.epoch() > 0);
    QCOMPARE(w.settings().mixtures, 3);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
