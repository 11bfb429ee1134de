// The main window as a person drives it: training, closing mid-training, files in and out.

#include "cli.h"
#include "columnsdialog.h"
#include "comparedialogs.h"
#include "compareviews.h"
#include "datachart.h"
#include "armviews.h"
#include "elidedlabel.h"
#include "mixturechart.h"
#include "launchsettings.h"
#include "mainwindow.h"
#include "sessionfile.h"
#include "slicechart.h"
#include "losschart.h"
#include "settingsdock.h"

#include <QCommandLineParser>
#include <QSettings>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QComboBox>
#include <QChart>
#include <QAbstractAxis>
#include <QTabWidget>
#include <QStatusBar>
#include <QDialog>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QTextBrowser>
#include <QLineSeries>
#include <QMenu>
#include <QMenuBar>

#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QElapsedTimer>
#include <QtTest/QTest>
#include <QUndoStack>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <cstring>

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
    void aWiderFileTrainsOnTheChosenColumns();
    void columnsDialogNeedsAnInputAndATarget();
    void closingWhileTrainingStopsTheThreadPromptly();
    void malformedCsvKeepsTheDatasetAndNamesTheLine();
    void goodCsvReplacesTheDataset();
    void saveAndExportFromTheWindow();
    void changingModelSettingsWhileTrainingResets();
    void commandLineOverridesTheSavedSettings_data();
    void commandLineOverridesTheSavedSettings();
    void commandLineValuesAreNotSavedUnlessEdited();
    void helpPanelExplainsTheViews();
    void statusMessageNeverRunsIntoTheFigures();
    void robotArmTabFollowsTheDraggedTarget();
    void aSavedSessionOpensWhereItStopped();
    void aTruncatedSessionKeepsTheCurrentOne();
    void recentFilesOpenAgainAndForgetMissingOnes();
    void aStrokeAddsPointsAlongIt();
    void theEraserRemovesThePointsUnderIt();
    void undoAndRedoRestoreEachDataEdit();
    void trainingAfterAStrokeUsesTheDrawnPoints();
    void drawingIsOffForDataOfTwoInputs();
    void undoingAStrokeBringsBackTheTrainedModels();
    void comparedRunsAreShownOnAClick();
    void aSavedComparisonOpensAsItWas();
};

void TestMainWindow::trainingUpdatesTheWindow()
{
    MainWindow w(false);
    w.show();
    QSignalSpy shown(&w, &MainWindow::snapshotShown);
    w.train();
    QTRY_VERIFY(w.isTraining());
    QTRY_VERIFY_WITH_TIMEOUT(w.epoch() > 100, 5000 * MDNVIZ_TIME_SCALE);
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

// Bishop's robot arm: choosing it brings the Arm tab forward; a drag in the workspace moves the
// target, the joint view answers for it, the mixture's path runs through it, and once trained the
// MDN's likeliest arm reaches the target far more closely than the MSE net's. Other data hide the
// tab again.
void TestMainWindow::robotArmTabFollowsTheDraggedTarget()
{
    MainWindow w(false, nullptr, [](const Settings &stored) {
        Settings s = stored;
        s.generator = mdn::Generator::RobotArm;
        s.noise = 0.0;
        s.points = 2000;
        s.epochLimit = 1500;
        return s;
    });
    w.resize(1600, 1000);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.tabs()->isTabVisible(w.planesTab()));
    QCOMPARE(w.tabs()->currentIndex(), w.planesTab());
    WorkspaceView *workspace = w.workspaceView();
    QVERIFY(workspace->showArms() && w.jointView()->showArms());

    // A press and a drag in the plot carry the target; the joint view and the path follow.
    const QPointF from = workspace->positionOf(QPointF(0.5, 0.6)), to = workspace->positionOf(QPointF(0.7, 0.5));
    QTest::mousePress(workspace, Qt::LeftButton, {}, from.toPoint());
    QTest::mouseMove(workspace, to.toPoint());
    QTest::mouseRelease(workspace, Qt::LeftButton, {}, to.toPoint());
    const QPointF target = workspace->target();
    QVERIFY2(std::abs(target.x() - 0.7) < 0.02 && std::abs(target.y() - 0.5) < 0.02,
             qPrintable(QString("%1, %2").arg(target.x()).arg(target.y())));
    QCOMPARE(w.jointView()->target(), target);

    w.train();
    QTRY_VERIFY_WITH_TIMEOUT(!w.isTraining() && w.epoch() == 1500, 60000 * MDNVIZ_TIME_SCALE);
    QTRY_VERIFY(w.isIdle());
    const QPointF mdnReach = workspace->mdnReach(), mseReach = workspace->mseReach();
    const double mdnMiss = std::hypot(mdnReach.x() - target.x(), mdnReach.y() - target.y());
    const double mseMiss = std::hypot(mseReach.x() - target.x(), mseReach.y() - target.y());
    QVERIFY2(mdnMiss < 0.02 && mdnMiss < 0.5 * mseMiss, qPrintable(QString("MDN %1, MSE %2").arg(mdnMiss).arg(mseMiss)));
    QVERIFY(!w.jointView()->density().empty());
    // The mixture chart's x axis names the path through the target.
    w.tabs()->setCurrentWidget(w.mixtureChart());
    const auto pathTitle = [&] {
        return w.mixtureChart()->chart(MixtureChart::Sigma)->axes(Qt::Horizontal).first()->titleText();
    };
    QTRY_VERIFY2(pathTitle().contains("x2 = 0.5"), qPrintable(pathTitle()));

    // One input and one target again: no planes.
    auto *dataset = w.settingsDock()->findChild<QComboBox *>(QStringLiteral("dataset"));
    QVERIFY(dataset);
    dataset->setCurrentIndex(dataset->findText(QStringLiteral("Bishop"), Qt::MatchStartsWith));
    QTRY_COMPARE(w.settings().generator, mdn::Generator::Bishop);
    QTRY_VERIFY(!w.tabs()->isTabVisible(w.planesTab()));
    QCOMPARE(w.settings().points, 2000); // a number of points of the user's own choice stays
}

// A long message (a load error) shares the status bar with the permanent figures at any width:
// shown before the window shrinks, it is elided to the room left, never drawn under them.
void TestMainWindow::statusMessageNeverRunsIntoTheFigures()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("a-file-with-a-rather-long-name-to-make-the-message-long.csv");
    writeFile(path, "x,y\n1,2\n3,four\n5,6\n");
    MainWindow w(false);
    w.resize(1600, 1000);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy finished(&w, &MainWindow::loadFinished);
    w.openDataset(path);
    QTRY_COMPARE(finished.count(), 1);
    auto *message = w.findChild<mdnviz::ElidedLabel *>(QStringLiteral("statusMessage"));
    auto *figures = w.findChild<mdnviz::ElidedLabel *>(QStringLiteral("statusFigures"));
    QVERIFY(message && figures);
    QVERIFY(message->text().contains("four"));
    QTRY_VERIFY(!figures->text().isEmpty()); // "epoch 0 · untrained: ..." once the first snapshot is drawn
    // Wide, the figures are shown whole.
    w.resize(1600, 1000);
    QTest::qWait(50);
    QTRY_COMPARE(figures->shownText(), figures->text());
    for (const QSize size : {QSize(1600, 1000), QSize(900, 600), QSize(800, 600)}) {
        w.resize(size); // down to the window's minimum
        QTest::qWait(50);
        const QRect shown = message->geometry();
        QVERIFY2(shown.right() < figures->geometry().left(),
                 qPrintable(QString("%1x%2: message to %3, figures from %4")
                                .arg(size.width()).arg(size.height()).arg(shown.right()).arg(figures->geometry().left())));
        const int textWidth = message->fontMetrics().horizontalAdvance(message->shownText());
        QVERIFY(textWidth <= shown.width());
        // The figures stay inside the window, cut with "…" rather than clipped at its edge.
        QVERIFY(figures->geometry().right() <= w.statusBar()->width());
        QVERIFY(figures->fontMetrics().horizontalAdvance(figures->shownText()) <= figures->contentsRect().width());
        if (message->shownText() != message->text())
            QVERIFY(message->toolTip().contains("four"));
    }
}

// A file of five columns opened with two inputs and two targets chosen: the window trains the
// MDN on all four, plots the first input against the first target under their names, and keeps
// going after the load.
void TestMainWindow::aWiderFileTrainsOnTheChosenColumns()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("arm.csv");
    QByteArray csv = "theta1,theta2,note,x1,x2\n";
    for (int i = 0; i < 400; ++i) {
        const double t1 = 0.3 + 0.9 * (i % 20) / 19.0, t2 = 1.6 + 3.0 * (i / 20) / 19.0;
        csv += QByteArray::number(t1) + ',' + QByteArray::number(t2) + ",0," +
               QByteArray::number(0.8 * std::cos(t1) + 0.2 * std::cos(t1 + t2)) + ',' +
               QByteArray::number(0.8 * std::sin(t1) + 0.2 * std::sin(t1 + t2)) + '\n';
    }
    writeFile(path, csv);
    MainWindow w(false);
    QSignalSpy finished(&w, &MainWindow::loadFinished);
    w.openDataset(path, {{"x1", "x2"}, {"1", "theta2"}});
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(finished.at(0).at(0).toBool());
    QCOMPARE(w.dataset().inputDims, 2);
    QCOMPARE(w.dataset().targetDims, 2);
    QCOMPARE(w.dataset().size(), std::size_t(400));
    QCOMPARE(w.dataChart()->chart()->axes(Qt::Horizontal).first()->titleText(), QStringLiteral("x1"));
    QCOMPARE(w.dataChart()->chart()->axes(Qt::Vertical).first()->titleText(), QStringLiteral("theta1"));
    w.step();
    w.step();
    QTRY_VERIFY(w.epoch() >= 2);
}

void TestMainWindow::columnsDialogNeedsAnInputAndATarget()
{
    ColumnsDialog d(QStringLiteral("f.csv"), {"a", "b", "c", "d"});
    const QPushButton *ok = d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    // By default every column but the last is an input.
    QCOMPARE(d.columns().inputs, (std::vector<std::string>{"1", "2", "3"}));
    QCOMPARE(d.columns().targets, (std::vector<std::string>{"4"}));
    QVERIFY(ok->isEnabled());
    d.choose({1, 2}, {2, 4});
    QVERIFY(!ok->isEnabled()); // column 2 in both lists
    d.choose({}, {4});
    QVERIFY(!ok->isEnabled());
    d.choose({3}, {});
    QVERIFY(!ok->isEnabled());
    d.choose({1, 3}, {2, 4});
    QVERIFY(ok->isEnabled());
    QCOMPARE(d.columns().targets, (std::vector<std::string>{"2", "4"}));
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
    QCOMPARE(QFile::decodeName(w.settings().filePath.c_str()), path);
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
    QTRY_VERIFY_WITH_TIMEOUT(w.epoch() > 200, 5000 * MDNVIZ_TIME_SCALE);
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

namespace {

// The window's launch settings for `args` (after the program name) on top of the saved ones.
Settings launchSettings(const QStringList &args, const Settings &saved, QStringList *ignored = nullptr)
{
    QCommandLineParser parser;
    addOptions(parser);
    if (!parser.parse(QStringList{QStringLiteral("mdnviz")} + args))
        qFatal("%s", qPrintable(parser.errorText()));
    QString error;
    const std::optional<Options> options = readOptions(parser, error);
    if (!options)
        qFatal("%s", qPrintable(error));
    if (ignored)
        *ignored = headlessOnlyOptions(parser);
    return withCommandLine(saved, parser, *options);
}

} // namespace

void TestMainWindow::commandLineOverridesTheSavedSettings_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<Settings>("expected");
    Settings saved;
    saved.points = 1234;
    saved.mixtures = 7;
    saved.learningRate = 0.02;
    QTest::newRow("none") << QStringList() << saved;
    Settings bishop = saved;
    bishop.generator = mdn::Generator::Bishop;
    bishop.noise = mdn::defaultNoise(mdn::Generator::Bishop);
    bishop.mixtures = 3;
    QTest::newRow("bishop, K = 3") << QStringList{"--dataset", "bishop", "--mixtures", "3"} << bishop;
    Settings big = saved;
    big.points = 20000;
    QTest::newRow("points") << QStringList{"--points", "20000"} << big;
    Settings models = saved;
    models.mdnHidden = 5;
    models.mseHidden = 6;
    models.optimizer = mdn::OptimizerKind::RMSProp;
    models.learningRate = 0.003;
    models.batch = 64;
    models.epochLimit = 500;
    models.validationPercent = 10;
    models.seed = 9;
    models.samplesPerX = 3;
    models.piTemperature = 0.5;
    models.sigmaTemperature = 2.0;
    QTest::newRow("every model and view option")
        << QStringList{"--hidden", "5", "--mse-hidden", "6", "--optimizer", "rmsprop", "--lr", "0.003",
                       "--batch", "64", "--epochs", "500", "--validation", "10", "--seed", "9",
                       "--samples-per-x", "3", "--pi-temperature", "0.5", "--sigma-temperature", "2"}
        << models;
}

void TestMainWindow::commandLineOverridesTheSavedSettings()
{
    QFETCH(QStringList, args);
    QFETCH(Settings, expected);
    Settings saved;
    saved.points = 1234;
    saved.mixtures = 7;
    saved.learningRate = 0.02;
    QCOMPARE(launchSettings(args, saved), expected);

    // The window opens with them: data and models as asked.
    MainWindow w(false);
    QStringList ignored;
    w.applyLaunchSettings(launchSettings(args + QStringList{"--report", "r.json"}, saved, &ignored), ignored);
    QCOMPARE(w.settings(), expected);
    QCOMPARE(w.settingsDock()->settings(), expected);
    QCOMPARE(w.dataset().size(), std::size_t(expected.points));
    QVERIFY(ignored.contains(QStringLiteral("--report")));
    // The models for them are built and drawn (untrained: the hint to press Train).
    w.show();
    QTRY_VERIFY(!w.dataChart()->hint().isEmpty());
    w.step();
    QTRY_COMPARE(w.epoch(), 1L);

    // As main() opens it: the launch values are the first ones, so the data and the models are
    // made once, with them (the saved settings' data are never generated).
    int launches = 0;
    MainWindow launched(false, nullptr, [&](const Settings &stored) {
        ++launches;
        Settings s = launchSettings(args, saved);
        s.showBands = stored.showBands;
        return s;
    });
    QCOMPARE(launches, 1);
    QCOMPARE(launched.settings(), expected);
    QCOMPARE(launched.dataset().size(), std::size_t(expected.points));
    QCOMPARE(launched.dataset().name, std::string(mdn::generatorName(expected.generator)));
    launched.step();
    QTRY_COMPARE(launched.epoch(), 1L);
}

void TestMainWindow::commandLineValuesAreNotSavedUnlessEdited()
{
    {
        QSettings stored;
        stored.clear();
        stored.setValue(QStringLiteral("settings/mixtures"), 7);
    }
    {
        MainWindow w;
        QCOMPARE(w.settings().mixtures, 7);
        w.applyLaunchSettings(launchSettings({"--mixtures", "3"}, w.settings()));
        QCOMPARE(w.settings().mixtures, 3);
        w.close();
    }
    QCOMPARE(QSettings().value(QStringLiteral("settings/mixtures")).toInt(), 7);
    {
        MainWindow w;
        w.applyLaunchSettings(launchSettings({"--mixtures", "3"}, w.settings()));
        // Edited in the window: the user's own from now on.
        w.settingsDock()->findChild<QSpinBox *>(QStringLiteral("mixtures"))->setValue(4);
        QCOMPARE(w.settings().mixtures, 4);
        w.close();
    }
    QCOMPARE(QSettings().value(QStringLiteral("settings/mixtures")).toInt(), 4);
    QSettings().clear();
}

void TestMainWindow::helpPanelExplainsTheViews()
{
    MainWindow w(false);
    w.show();
    w.showHelp();
    auto *help = w.findChild<QDialog *>(QStringLiteral("helpPanel"));
    QVERIFY(help);
    QTRY_VERIFY(help->isVisible());
    const QString text = help->findChild<QTextBrowser *>()->toPlainText();
    for (const char *term : {"mean squared error", "samples", "density", "mode", "gap", "Bishop", "Ha"})
        QVERIFY2(text.contains(QLatin1String(term), Qt::CaseInsensitive), term);
}

namespace {

// A small session that trains quickly: the inverse sinusoid, 400 points, the epoch limit given.
MainWindow::LaunchSettings smallSession(long epochs)
{
    return [epochs](const Settings &stored) {
        Settings s = stored;
        s.generator = mdn::Generator::InverseSinusoid;
        s.points = 400;
        s.epochLimit = epochs;
        return s;
    };
}

// Every run's weights and optimiser moments and its training losses, bit for bit (the held-out
// evaluations may fall on other epochs: they follow the clock, and never change the weights).
void compareSessionFiles(const QString &a, const QString &b)
{
    QString error;
    const std::optional<SessionFile> x = readSessionFile(a, &error);
    QVERIFY2(x, qPrintable(error));
    const std::optional<SessionFile> y = readSessionFile(b, &error);
    QVERIFY2(y, qPrintable(error));
    QCOMPARE(x->state.trainers.size(), y->state.trainers.size());
    QVERIFY(!x->state.trainers.empty());
    const auto same = [](const Eigen::VectorXf &u, const Eigen::VectorXf &v) {
        return u.size() == v.size() && std::memcmp(u.data(), v.data(), std::size_t(u.size()) * sizeof(float)) == 0;
    };
    for (std::size_t i = 0; i < x->state.trainers.size(); ++i) {
        const mdn::TrainerState &u = x->state.trainers[i], &v = y->state.trainers[i];
        QCOMPARE(u.epoch, v.epoch);
        QVERIFY(same(u.parameters, v.parameters));
        QVERIFY(same(u.optimizer.m, v.optimizer.m) && same(u.optimizer.v, v.optimizer.v));
        QVERIFY(std::memcmp(&u.lastLoss, &v.lastLoss, sizeof(double)) == 0);
    }
    const std::unique_ptr<mdn::Session> sx = makeSession(*x, &error), sy = makeSession(*y, &error);
    QVERIFY2(sx && sy, qPrintable(error));
    const std::vector<mdn::LossPoint> lx = sx->lossPoints(-1), ly = sy->lossPoints(-1);
    QCOMPARE(lx.size(), ly.size());
    for (std::size_t i = 0; i < lx.size(); ++i) {
        QCOMPARE(lx[i].epoch, ly[i].epoch);
        QVERIFY(std::memcmp(&lx[i].mse, &ly[i].mse, sizeof(double)) == 0);
        QVERIFY(std::memcmp(&lx[i].nll, &ly[i].nll, sizeof(double)) == 0);
    }
}

} // namespace

// Trained 300 epochs, saved, and opened in another window: the same epoch, data, settings,
// weights, loss curves and view; 200 more epochs in both windows end bit-identically.
void TestMainWindow::aSavedSessionOpensWhereItStopped()
{
    QTemporaryDir dir;
    MainWindow a(false, nullptr, smallSession(300));
    a.train();
    QTRY_VERIFY_WITH_TIMEOUT(!a.isTraining() && a.epoch() == 300, 60000 * MDNVIZ_TIME_SCALE);
    QTRY_VERIFY(a.isIdle());
    a.tabs()->setCurrentIndex(1);
    const double sliceX = a.dataset().x[7];
    a.sliceChart()->setSliceX(sliceX);
    const QString saved = dir.filePath("a.mdnsession");
    QString error;
    QVERIFY2(a.saveSession(saved, &error), qPrintable(error));

    MainWindow b(false); // the default generator and settings until the session opens
    QTRY_VERIFY(b.isIdle());
    QSignalSpy opened(&b, &MainWindow::sessionOpened);
    b.openSession(saved);
    QTRY_COMPARE(opened.count(), 1);
    QVERIFY2(opened.at(0).at(0).toBool(), qPrintable(b.lastError()));
    QTRY_VERIFY(b.epoch() == 300 && b.isIdle());
    QVERIFY(b.dataset().x == a.dataset().x && b.dataset().y == a.dataset().y);
    QVERIFY(b.settings() == a.settings());
    QCOMPARE(b.tabs()->currentIndex(), 1);
    QCOMPARE(b.sliceChart()->sliceX(), a.sliceChart()->sliceX()); // on the slice grid
    // The loss curves from the saved history, to the last epoch, ending where a's do.
    const QList<QPointF> curveA = a.lossChart()->nllSeries()->points(), curveB = b.lossChart()->nllSeries()->points();
    QVERIFY2(curveB.size() > 100, qPrintable(QString::number(curveB.size())));
    QCOMPARE(curveB.back().x(), 300.0);
    QVERIFY(curveB.back() == curveA.back());
    // The menu's save, which does not wait for the worker.
    const QString reopened = dir.filePath("b.mdnsession");
    QSignalSpy savedSpy(&b, &MainWindow::sessionSaved);
    b.saveSessionInBackground(reopened);
    QTRY_COMPARE(savedSpy.count(), 1);
    QVERIFY2(savedSpy.at(0).at(0).toBool(), qPrintable(b.lastError()));
    QCOMPARE(savedSpy.at(0).at(1).toString(), reopened);
    compareSessionFiles(saved, reopened);
    if (QTest::currentTestFailed())
        return;

    // 200 more in both.
    for (MainWindow *w : {&a, &b}) {
        Settings s = w->settings();
        s.epochLimit = 500;
        w->applySettings(s);
        w->train();
    }
    QTRY_VERIFY_WITH_TIMEOUT(!a.isTraining() && a.epoch() == 500 && !b.isTraining() && b.epoch() == 500,
                             60000 * MDNVIZ_TIME_SCALE);
    QTRY_VERIFY(a.isIdle() && b.isIdle());
    QVERIFY2(a.saveSession(saved, &error), qPrintable(error));
    QVERIFY2(b.saveSession(reopened, &error), qPrintable(error));
    compareSessionFiles(saved, reopened);
}

// A session file cut short is refused with its name and the reason; the window keeps its data,
// settings and trained models.
void TestMainWindow::aTruncatedSessionKeepsTheCurrentOne()
{
    QTemporaryDir dir;
    MainWindow w(false, nullptr, smallSession(50));
    w.train();
    QTRY_VERIFY_WITH_TIMEOUT(!w.isTraining() && w.epoch() == 50, 60000 * MDNVIZ_TIME_SCALE);
    QTRY_VERIFY(w.isIdle());
    const QString good = dir.filePath("good.mdnsession"), cut = dir.filePath("cut.mdnsession");
    QString error;
    QVERIFY2(w.saveSession(good, &error), qPrintable(error));
    QFile f(good);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    writeFile(cut, bytes.left(bytes.size() - 100));

    const std::vector<double> before = w.dataset().x;
    const Settings settings = w.settings();
    QSignalSpy opened(&w, &MainWindow::sessionOpened);
    w.openSession(cut);
    QTRY_COMPARE(opened.count(), 1);
    QCOMPARE(opened.at(0).at(0).toBool(), false);
    QVERIFY2(w.lastError().contains("cut.mdnsession") && w.lastError().contains("current one is kept"),
             qPrintable(w.lastError()));
    QVERIFY(w.dataset().x == before);
    QVERIFY(w.settings() == settings);
    QVERIFY(!w.canUndo());
    // The models are the trained ones still: another epoch goes on from 50.
    w.step();
    QTRY_COMPARE(w.epoch(), 51L);
}

// File ▸ Recent lists the sessions (and datasets) opened, newest first; a file gone since is
// dropped from the list with a message when chosen.
void TestMainWindow::recentFilesOpenAgainAndForgetMissingOnes()
{
    QTemporaryDir dir;
    QSettings().remove(QStringLiteral("window/recent"));
    MainWindow w(false, nullptr, smallSession(20));
    w.train();
    QTRY_VERIFY_WITH_TIMEOUT(!w.isTraining() && w.epoch() == 20, 60000 * MDNVIZ_TIME_SCALE);
    const QString first = dir.filePath("first.mdnsession"), second = dir.filePath("second.mdnsession");
    QString error;
    QVERIFY2(w.saveSession(first, &error) && w.saveSession(second, &error), qPrintable(error));
    QSignalSpy opened(&w, &MainWindow::sessionOpened);
    w.openSession(first);
    QTRY_COMPARE(opened.count(), 1);
    QTRY_VERIFY(w.canUndo()); // the trained models the session replaced
    w.openSession(second);
    QTRY_COMPARE(opened.count(), 2);
    QCOMPARE(w.recentFiles(), (QStringList{"session:" + second, "session:" + first}));

    QMenu *recent = nullptr;
    for (QMenu *m : w.menuBar()->findChildren<QMenu *>())
        if (m->title() == QLatin1String("&Recent"))
            recent = m;
    QVERIFY(recent);
    QCOMPARE(recent->actions().size(), 2);
    QVERIFY(QFile::remove(first));
    recent->actions().at(1)->trigger();
    QTRY_COMPARE(w.recentFiles(), QStringList{"session:" + second});
    QCOMPARE(recent->actions().size(), 1);
    QVERIFY(w.statusBar()->findChild<ElidedLabel *>()->text().contains("first.mdnsession"));
    recent->actions().at(0)->trigger(); // opens again
    QTRY_COMPARE(opened.count(), 3);
    QVERIFY(opened.at(2).at(0).toBool());
    QTRY_VERIFY(w.epoch() == 20 && w.isIdle());
    QCOMPARE(w.recentFiles().size(), 1);
    QSettings().remove(QStringLiteral("window/recent"));
}

namespace {

// A window of 400 generated points, shown, with drawing on.
MainWindow::LaunchSettings drawingSession()
{
    return [](const Settings &stored) {
        Settings s = stored;
        s.generator = mdn::Generator::InverseSinusoid;
        s.points = 400;
        s.epochLimit = 0;
        return s;
    };
}

// A point of the data chart's plot at fractions (fx, fy) of its axes' ranges.
QPointF atFraction(const DataChart *chart, double fx, double fy)
{
    return QPointF(chart->axisX()->min() + fx * (chart->axisX()->max() - chart->axisX()->min()),
                   chart->axisY()->min() + fy * (chart->axisY()->max() - chart->axisY()->min()));
}

// A stroke in the data chart from `from` to `to` (data coordinates), in ten moves.
void drawStroke(DataChart *chart, QPointF from, QPointF to, Qt::MouseButton button = Qt::LeftButton,
                Qt::KeyboardModifiers modifiers = {})
{
    const QPoint a = chart->viewportPosOf(from), b = chart->viewportPosOf(to);
    QTest::mousePress(chart->viewport(), button, modifiers, a);
    for (int i = 1; i <= 10; ++i)
        QTest::mouseMove(chart->viewport(), a + (b - a) * i / 10);
    QTest::mouseRelease(chart->viewport(), button, modifiers, b);
}

// The distance of p from the segment ab, in units of the brush's radii (rx, ry).
double brushDistance(QPointF p, QPointF a, QPointF b, double rx, double ry)
{
    const QPointF pn(p.x() / rx, p.y() / ry), an(a.x() / rx, a.y() / ry), bn(b.x() / rx, b.y() / ry);
    const QPointF ab = bn - an;
    const double len2 = QPointF::dotProduct(ab, ab);
    const double t = len2 > 0 ? std::clamp(QPointF::dotProduct(pn - an, ab) / len2, 0.0, 1.0) : 0.0;
    const QPointF d = pn - (an + t * ab);
    return std::hypot(d.x(), d.y());
}

bool sameData(const mdn::Dataset &a, const mdn::Dataset &b) { return a.x == b.x && a.y == b.y; }

} // namespace

// Draw mode: a drag across the data chart adds a few dozen points around its path, as one new
// dataset ("drawn", like a file's data: no generator), at once on the chart; the slice cursor
// stays where it was.
void TestMainWindow::aStrokeAddsPointsAlongIt()
{
    MainWindow w(false, nullptr, drawingSession());
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.drawAction()->isEnabled());
    w.dataChart()->setFocus();
    QTest::keyClick(&w, Qt::Key_D);
    QVERIFY(w.isDrawing() && w.dataChart()->drawMode());
    DataChart *chart = w.dataChart();
    const mdn::Dataset before = w.dataset();
    const double slice = chart->sliceX();
    const double rx = w.brushRadiusFraction() * (chart->axisX()->max() - chart->axisX()->min());
    const double ry = w.brushRadiusFraction() * (chart->axisY()->max() - chart->axisY()->min());
    const QPointF from = atFraction(chart, 0.2, 0.3), to = atFraction(chart, 0.7, 0.6);
    const double xLo = chart->axisX()->min(), xHi = chart->axisX()->max();
    QSignalSpy changed(&w, &MainWindow::datasetChanged);
    drawStroke(chart, from, to);
    QCOMPARE(changed.count(), 1); // one new dataset for the whole stroke
    // The plane stays where the stroke was drawn.
    QCOMPARE(chart->axisX()->min(), xLo);
    QCOMPARE(chart->axisX()->max(), xHi);
    const mdn::Dataset &after = w.dataset();
    const std::size_t added = after.size() - before.size();
    QVERIFY2(added >= 20 && added <= 80, qPrintable(QString::number(added)));
    QVERIFY(std::equal(before.x.begin(), before.x.end(), after.x.begin()));
    // The brush scatters with half its radius as standard deviation: 4 radii is 8 of them.
    for (std::size_t i = before.size(); i < after.size(); ++i)
        QVERIFY2(brushDistance(QPointF(after.x[i], after.y[i]), from, to, rx, ry) < 4.0,
                 qPrintable(QString("%1, %2").arg(after.x[i]).arg(after.y[i])));
    QCOMPARE(chart->dataPoints().size(), qsizetype(after.size()));
    QCOMPARE(chart->sliceX(), slice);
    QVERIFY(w.settings().fromFile && w.settings().filePath.empty());
    QCOMPARE(after.name, std::string("drawn"));
    QVERIFY(w.canUndo());
    QCOMPARE(w.undoStack()->undoText(), QStringLiteral("Stroke"));
    // Out of draw mode a click moves the slice again.
    QTest::keyClick(&w, Qt::Key_D);
    QVERIFY(!chart->drawMode());
    QTest::mouseClick(chart->viewport(), Qt::LeftButton, {}, chart->viewportPosOf(atFraction(chart, 0.8, 0.5)));
    QVERIFY(chart->sliceX() != slice);
}

// A right drag (or a Shift+left one) takes the points within the brush's radius of its path and
// leaves the others as they were, in their order.
void TestMainWindow::theEraserRemovesThePointsUnderIt()
{
    MainWindow w(false, nullptr, drawingSession());
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.setDrawing(true);
    DataChart *chart = w.dataChart();
    for (const bool shift : {false, true}) {
        const mdn::Dataset before = w.dataset();
        const double rx = w.brushRadiusFraction() * (chart->axisX()->max() - chart->axisX()->min());
        const double ry = w.brushRadiusFraction() * (chart->axisY()->max() - chart->axisY()->min());
        const QPointF from = atFraction(chart, 0.1, shift ? 0.2 : 0.5), to = atFraction(chart, 0.9, shift ? 0.3 : 0.5);
        drawStroke(chart, from, to, shift ? Qt::LeftButton : Qt::RightButton,
                   shift ? Qt::ShiftModifier : Qt::NoModifier);
        const mdn::Dataset &after = w.dataset();
        QVERIFY2(after.size() < before.size(), qPrintable(QString::number(after.size())));
        // The brush stopped every 12 pixels along the way: whatever lay within 0.9 radii of the
        // path is gone, whatever lay beyond 1.1 is kept, in order.
        std::vector<double> keptX, keptY;
        for (std::size_t i = 0; i < before.size(); ++i) {
            const double d = brushDistance(QPointF(before.x[i], before.y[i]), from, to, rx, ry);
            if (d > 1.1) {
                keptX.push_back(before.x[i]);
                keptY.push_back(before.y[i]);
            }
        }
        std::size_t k = 0;
        for (std::size_t i = 0; i < after.size(); ++i) {
            const double d = brushDistance(QPointF(after.x[i], after.y[i]), from, to, rx, ry);
            QVERIFY2(d >= 0.9, qPrintable(QString::number(d)));
            if (d > 1.1) {
                QVERIFY(k < keptX.size());
                QCOMPARE(after.x[i], keptX[k]);
                QCOMPARE(after.y[i], keptY[k]);
                ++k;
            }
        }
        QCOMPARE(k, keptX.size());
        QCOMPARE(w.undoStack()->undoText(), QStringLiteral("Erase"));
    }
}

// Each data edit (a stroke, an eraser stroke, Clear, Regenerate, an opened file) is one step of
// Edit ▸ Undo that brings back the data exactly, and Redo does it again.
void TestMainWindow::undoAndRedoRestoreEachDataEdit()
{
    QTemporaryDir dir;
    const QString csv = dir.filePath("pairs.csv");
    writeFile(csv, "x,y\n0,1\n1,3\n2,5.5\n3,7\n4,9.25\n");
    MainWindow w(false, nullptr, drawingSession());
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.setDrawing(true);
    DataChart *chart = w.dataChart();
    std::vector<mdn::Dataset> states{w.dataset()};
    std::vector<Settings> settings{w.settings()};
    const auto remember = [&] {
        states.push_back(w.dataset());
        settings.push_back(w.settings());
        QVERIFY(!sameData(states[states.size() - 2], states.back()));
    };
    drawStroke(chart, atFraction(chart, 0.2, 0.8), atFraction(chart, 0.5, 0.9));
    remember();
    drawStroke(chart, atFraction(chart, 0.1, 0.5), atFraction(chart, 0.9, 0.5), Qt::RightButton);
    remember();
    w.clearData();
    QVERIFY(w.dataset().empty());
    remember();
    drawStroke(chart, atFraction(chart, 0.3, 0.3), atFraction(chart, 0.6, 0.4));
    remember();
    w.regenerate(); // drawn data give way to the generator's
    QVERIFY(!w.settings().fromFile);
    remember();
    QCOMPARE(w.dataset().size(), std::size_t(400));
    QSignalSpy loaded(&w, &MainWindow::loadFinished);
    w.openDataset(csv);
    QTRY_COMPARE(loaded.count(), 1);
    QVERIFY(loaded.at(0).at(0).toBool());
    remember();
    QCOMPARE(w.dataset().size(), std::size_t(5));
    const QStringList texts{"Stroke", "Erase", "Clear", "Stroke", "Regenerate", "Open pairs.csv"};
    for (int i = int(states.size()) - 1; i > 0; --i) {
        QCOMPARE(w.undoStack()->undoText(), texts.at(i - 1));
        w.undo();
        QVERIFY2(sameData(w.dataset(), states[std::size_t(i - 1)]), qPrintable(QString::number(i)));
        QCOMPARE(w.settings(), settings[std::size_t(i - 1)]);
        QCOMPARE(chart->dataPoints().size(), qsizetype(std::min<std::size_t>(w.dataset().size(), DataChart::maxShownPoints)));
    }
    QVERIFY(!w.canUndo());
    for (std::size_t i = 1; i < states.size(); ++i) {
        w.redo();
        QVERIFY2(sameData(w.dataset(), states[i]), qPrintable(QString::number(i)));
        QCOMPARE(w.settings(), settings[i]);
    }
    QVERIFY(!w.undoStack()->canRedo());
}

// Training after a stroke trains on the data as drawn: from an empty chart (nothing to train
// on, and training waits) to the stroke's points.
void TestMainWindow::trainingAfterAStrokeUsesTheDrawnPoints()
{
    QTemporaryDir dir;
    MainWindow w(false, nullptr, drawingSession());
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.clearData();
    QVERIFY(w.isDrawing());
    QVERIFY(w.dataset().empty());
    w.train(); // nothing to train on: it waits, and says so
    QTest::qWait(100);
    QVERIFY(!w.isTraining());
    const auto *message = w.statusBar()->findChild<ElidedLabel *>(QStringLiteral("statusMessage"));
    QVERIFY(message);
    QVERIFY2(message->text().contains("training waits for at least two"), qPrintable(message->text()));
    DataChart *chart = w.dataChart();
    QSignalSpy changed(&w, &MainWindow::datasetChanged);
    drawStroke(chart, atFraction(chart, 0.1, 0.2), atFraction(chart, 0.5, 0.8));
    drawStroke(chart, atFraction(chart, 0.5, 0.8), atFraction(chart, 0.9, 0.3));
    QCOMPARE(changed.count(), 2);
    QVERIFY(w.dataset().size() >= 40);
    Settings limit = w.settings();
    limit.epochLimit = 30;
    w.applySettings(limit);
    w.train();
    QTRY_VERIFY_WITH_TIMEOUT(!w.isTraining() && w.epoch() == 30, 60000 * MDNVIZ_TIME_SCALE);
    QTRY_VERIFY(w.isIdle());
    const QString path = dir.filePath("drawn.mdnsession");
    QString error;
    QVERIFY2(w.saveSession(path, &error), qPrintable(error));
    const std::optional<SessionFile> file = readSessionFile(path, &error);
    QVERIFY2(file, qPrintable(error));
    QVERIFY(sameData(*file->data, w.dataset()));
    // Saved as a dataset, the drawn points read back as they are.
    const QString csv = dir.filePath("drawn.csv");
    QVERIFY2(w.saveDataset(csv, &error), qPrintable(error));
    mdn::Dataset read;
    mdn::CsvError csvError;
    QVERIFY(mdn::readCsv(csv.toStdString(), read, csvError));
    QCOMPARE(read.size(), w.dataset().size());
}

// Data of two inputs and two targets cannot be drawn on the chart's plane: Draw and Clear are
// off, and say why.
void TestMainWindow::drawingIsOffForDataOfTwoInputs()
{
    MainWindow w(false, nullptr, [](const Settings &stored) {
        Settings s = stored;
        s.generator = mdn::Generator::RobotArm;
        s.points = 500;
        return s;
    });
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(!w.drawAction()->isEnabled());
    QVERIFY2(w.drawAction()->toolTip().contains("drawing needs one input and one target"),
             qPrintable(w.drawAction()->toolTip()));
    QTest::keyClick(&w, Qt::Key_D);
    QVERIFY(!w.isDrawing() && !w.dataChart()->drawMode());
    const mdn::Dataset before = w.dataset();
    w.clearData();
    QVERIFY(sameData(w.dataset(), before));
    // Back to data of one input: drawing is on offer again.
    Settings s = w.settings();
    s.generator = mdn::Generator::Bishop;
    w.applySettings(s);
    QTRY_VERIFY(w.dataset().oneDimensional());
    QVERIFY(w.drawAction()->isEnabled());
}

// A stroke over trained models replaces them; undoing it straight away brings them back with
// their data, where they were; undone after a later change, its data come back with new models.
void TestMainWindow::undoingAStrokeBringsBackTheTrainedModels()
{
    MainWindow w(false, nullptr, smallSession(40));
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.train();
    QTRY_VERIFY_WITH_TIMEOUT(!w.isTraining() && w.epoch() == 40, 60000 * MDNVIZ_TIME_SCALE);
    QTRY_VERIFY(w.isIdle());
    const mdn::Dataset trained = w.dataset();
    const int lossPoints = int(w.lossChart()->nllSeries()->count());
    w.setDrawing(true);
    DataChart *chart = w.dataChart();
    drawStroke(chart, atFraction(chart, 0.2, 0.2), atFraction(chart, 0.6, 0.3));
    QTRY_VERIFY(w.epoch() == 0 && w.isIdle());
    const mdn::Dataset drawn = w.dataset();
    w.undo();
    QTRY_COMPARE(w.epoch(), 40L);
    QVERIFY(sameData(w.dataset(), trained));
    QCOMPARE(int(w.lossChart()->nllSeries()->count()), lossPoints);
    w.step(); // the models go on from where they were
    QTRY_COMPARE(w.epoch(), 41L);

    w.redo();
    QVERIFY(sameData(w.dataset(), drawn));
    QTRY_VERIFY(w.epoch() == 0 && w.isIdle());
    w.resetModels(); // untrained models: nothing of them to undo, and no step for it
    QTRY_VERIFY(w.isIdle());
    QCOMPARE(w.undoStack()->undoText(), QStringLiteral("Stroke"));
    drawStroke(chart, atFraction(chart, 0.5, 0.7), atFraction(chart, 0.8, 0.8));
    w.undo();
    QVERIFY(sameData(w.dataset(), drawn));
    w.undo(); // the worker no longer holds the models of 41 epochs: the data come back alone
    QVERIFY(sameData(w.dataset(), trained));
    QTRY_VERIFY(w.epoch() == 0 && w.isIdle());
}

// Compare: runs added to the window train with the settings' own; a click on a run in the
// table makes it the one the other views show (its best weights once training stops); the
// dialogs answer with the runs they describe.
void TestMainWindow::comparedRunsAreShownOnAClick()
{
    MainWindow w(false);
    w.show();
    Settings s = w.settings();
    s.points = 400;
    s.epochLimit = 80;
    w.applySettings(s);
    w.addRuns({{{"mixtures", "3"}}, {{"hidden", "12"}}});
    QCOMPARE(w.tabs()->currentIndex(), w.compareTab());
    w.train();
    QTRY_VERIFY_WITH_TIMEOUT(w.epoch() == 80 && w.isIdle(), 30000 * MDNVIZ_TIME_SCALE);
    RunsTable *table = w.compareView()->table();
    QTRY_COMPARE(table->rowCount(), 3);
    QCOMPARE(table->item(1, RunsTable::RunColumn)->text(), QStringLiteral("K = 3"));
    QVERIFY(table->item(0, RunsTable::RunColumn)->font().bold());
    const std::size_t run = table->runOfRow(1);
    const double best = table->item(1, RunsTable::BestColumn)->text().replace(QChar(0x2212), '-').toDouble();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                      table->visualItemRect(table->item(1, RunsTable::ValidationColumn)).center());
    QTRY_VERIFY(table->item(1, RunsTable::RunColumn)->font().bold());
    QVERIFY(!table->item(0, RunsTable::RunColumn)->font().bold());
    QCOMPARE(table->runOfRow(1), run);
    // The status line and the loss chart speak of the clicked run: its best held-out NLL, its
    // whole loss history (the chart was cleared for it, not appended to).
    auto *figures = w.findChild<ElidedLabel *>(QStringLiteral("statusFigures"));
    QTRY_VERIFY2(figures->text().contains(QStringLiteral("validation NLL %1").arg(best, 0, 'f', 3)),
                 qPrintable(figures->text()));
    QTRY_COMPARE(w.lossChart()->nllSeries()->points().last().x(), 80.0);
    QCOMPARE(w.lossChart()->nllSeries()->points().first().x(), 1.0);
    for (int i = 1; i < w.lossChart()->nllSeries()->count(); ++i)
        QVERIFY(w.lossChart()->nllSeries()->at(i).x() > w.lossChart()->nllSeries()->at(i - 1).x());

    // Export All Charts adds the comparison's figures, each run in its colour.
    QTemporaryDir dir;
    QString error;
    QVERIFY2(w.exportAllCharts(dir.path(), QSize(1200, 750), &error), qPrintable(error));
    for (const char *name : {"compare-fits.png", "compare-losses.png"}) {
        const QImage image(dir.filePath(QLatin1String(name)));
        QCOMPARE(image.size(), QSize(1200, 750));
        bool found = false;
        const QColor k3 = runColour(1);
        for (int y = 0; y < image.height() && !found; ++y)
            for (int x = 0; x < image.width() && !found; ++x)
                found = image.pixelColor(x, y) == k3;
        QVERIFY2(found, name);
    }

    AddRunDialog add(s);
    QVERIFY(!add.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
    add.mixturesBox()->setValue(4);
    QVERIFY(add.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
    QVERIFY(add.change() == mdn::RunChange({{"mixtures", "4"}}));
    SweepDialog sweep(s);
    sweep.parameterBox()->setCurrentText(QStringLiteral("mixtures"));
    sweep.valuesEdit()->setText(QStringLiteral("2, 5"));
    sweep.seedsBox()->setValue(2);
    QCOMPARE(sweep.changes().size(), std::size_t(4));
    QVERIFY(sweep.changes()[1] == mdn::RunChange({{"mixtures", "2"}, {"seed", std::to_string(s.seed + 1)}}));
    sweep.valuesEdit()->setText(QStringLiteral("2, x"));
    QVERIFY(!sweep.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
    QVERIFY2(sweep.summaryLabel()->text().contains(QStringLiteral("x")), qPrintable(sweep.summaryLabel()->text()));
    w.clearComparison();
    QTRY_COMPARE(table->rowCount(), 1);
}

// A comparison saved in a session opens as it was (its runs, their labels, the run shown, its
// best weights) and stays a comparison across a reset.
void TestMainWindow::aSavedComparisonOpensAsItWas()
{
    QTemporaryDir dir;
    MainWindow a(false, nullptr, smallSession(120));
    a.addRuns({{{"mixtures", "3"}}, {{"hidden", "12"}}});
    a.train();
    QTRY_VERIFY_WITH_TIMEOUT(a.epoch() == 120 && a.isIdle(), 60000 * MDNVIZ_TIME_SCALE);
    RunsTable *tableA = a.compareView()->table();
    QTRY_COMPARE(tableA->rowCount(), 3);
    a.showRun(tableA->runOfRow(2));
    QTRY_VERIFY(tableA->item(2, RunsTable::RunColumn)->font().bold());
    const QString best = tableA->item(2, RunsTable::BestColumn)->text();
    const QString saved = dir.filePath("c.mdnsession");
    QString error;
    QVERIFY2(a.saveSession(saved, &error), qPrintable(error));

    MainWindow b(false);
    QTRY_VERIFY(b.isIdle());
    QSignalSpy opened(&b, &MainWindow::sessionOpened);
    b.openSession(saved);
    QTRY_COMPARE(opened.count(), 1);
    QVERIFY2(opened.at(0).at(0).toBool(), qPrintable(b.lastError()));
    RunsTable *tableB = b.compareView()->table();
    QTRY_VERIFY(b.epoch() == 120 && b.isIdle() && tableB->rowCount() == 3);
    QCOMPARE(tableB->item(1, RunsTable::RunColumn)->text(), QStringLiteral("K = 3"));
    QCOMPARE(tableB->item(2, RunsTable::RunColumn)->text(), QStringLiteral("H = 12"));
    // The best weights came back with the runs: the same best held-out NLL; the run shown too.
    QCOMPARE(tableB->item(2, RunsTable::BestColumn)->text(), best);
    QTRY_VERIFY(tableB->item(2, RunsTable::RunColumn)->font().bold());
    b.resetModels();
    QTRY_VERIFY(b.epoch() == 0 && b.isIdle());
    QTRY_COMPARE(tableB->rowCount(), 3);
    QCOMPARE(tableB->item(1, RunsTable::RunColumn)->text(), QStringLiteral("K = 3"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
