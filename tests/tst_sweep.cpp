// Comparing models: a sweep's runs differ only in the swept setting and share the data and the
// split, bad sweeps are refused in one line, the report describes the run the held-out points
// chose, and --auto keeps its chosen run at its best epoch.

#include "headless.h"

#include "session.h"
#include "settings.h"
#include "sweep.h"
#include "sweepchart.h"

#include <QCategoryAxis>
#include <QLineSeries>
#include <QValueAxis>

#include <QTemporaryDir>
#include <QtTest/QTest>

#include <cmath>
#include <limits>

using namespace mdn;

namespace {

// Every field of two configs, by name, that differs.
QStringList differences(const TrainConfig &a, const TrainConfig &b)
{
    QStringList d;
    const auto check = [&d](bool same, const char *name) {
        if (!same)
            d << QLatin1String(name);
    };
    check(a.kind == b.kind, "kind");
    check(a.hidden == b.hidden, "hidden");
    check(a.mixtures == b.mixtures, "mixtures");
    check(a.optimizer.kind == b.optimizer.kind, "optimizer");
    check(a.optimizer.learningRate == b.optimizer.learningRate, "lr");
    check(a.optimizer.beta1 == b.optimizer.beta1 && a.optimizer.beta2 == b.optimizer.beta2 &&
              a.optimizer.epsilon == b.optimizer.epsilon,
          "optimizer constants");
    check(a.batch == b.batch, "batch");
    check(a.seed == b.seed, "seed");
    check(a.sigmaFloor == b.sigmaFloor && a.initGain == b.initGain && a.outputGain == b.outputGain &&
              a.maxRecoveries == b.maxRecoveries && a.checkpointEvery == b.checkpointEvery,
          "other");
    return d;
}

QJsonObject readReport(const QString &path)
{
    return QJsonDocument::fromJson(headless::readFile(path)).object();
}

} // namespace

class TestSweep : public QObject {
    Q_OBJECT
private slots:
    void runsDifferOnlyInTheSweptSetting_data();
    void runsDifferOnlyInTheSweptSetting();
    void badSweepsAreRefused_data();
    void badSweepsAreRefused();
    void summaryAndChoice();
    void headlessSweepReportsEveryRun();
    void headlessBadSweepIsOneLine_data();
    void headlessBadSweepIsOneLine();
    void autoChoosesTheBestByValidation();
    void chartDrawsEachValue();
};

void TestSweep::runsDifferOnlyInTheSweptSetting_data()
{
    QTest::addColumn<QString>("sweep");
    QTest::addColumn<QStringList>("differs"); // besides the seed, with several seeds
    QTest::newRow("mixtures") << "mixtures=1,3,24" << QStringList{"mixtures"};
    QTest::newRow("hidden") << "hidden=8,32" << QStringList{"hidden"};
    QTest::newRow("mse-hidden") << "mse-hidden=4,40" << QStringList{"hidden"};
    QTest::newRow("lr") << "lr=0.001,0.1" << QStringList{"lr"};
    QTest::newRow("batch") << "batch=0,64" << QStringList{"batch"};
    QTest::newRow("seed") << "seed=5,9" << QStringList{"seed"};
    QTest::newRow("optimizer") << "optimizer=adam,sgd" << QStringList{"optimizer"};
}

void TestSweep::runsDifferOnlyInTheSweptSetting()
{
    QFETCH(QString, sweep);
    QFETCH(QStringList, differs);
    SweepSpec spec;
    spec.seeds = 3;
    std::string why;
    QVERIFY2(parseSweep(sweep.toStdString(), spec, why), why.c_str());
    QCOMPARE(spec.seeds, 3);
    Settings base;
    base.seed = 7;
    const std::vector<SweepRun> runs = sweepRuns(base, spec);
    QCOMPARE(runs.size(), spec.values.size() * 3);
    const TrainConfig reference = base.modelConfig(sweepKind(spec));
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const SweepRun &r = runs[i];
        QCOMPARE(r.value, spec.values[i / 3]);
        // The model seed moves with the repeat; the first repeat of each value keeps the base's
        // (or, swept, the value itself).
        const std::uint64_t firstSeed = spec.parameter == "seed" ? std::stoull(r.value) : base.seed;
        QCOMPARE(r.seed, firstSeed + i % 3);
        QCOMPARE(r.config.seed, r.seed);
        QStringList d = differences(r.config, reference);
        d.removeAll(QStringLiteral("seed"));
        if (spec.parameter == "optimizer") // another optimiser may come with its own constants
            d.removeAll(QStringLiteral("optimizer constants"));
        QStringList expected = differs;
        expected.removeAll(QStringLiteral("seed"));
        // The first value may be the base's own (batch 0, adam): then nothing differs.
        if (!d.isEmpty())
            QCOMPARE(d, expected);
    }
    // Two values of a setting give two configs that differ in it alone.
    QStringList d = differences(runs.front().config, runs.back().config);
    d.removeAll(QStringLiteral("seed"));
    if (spec.parameter == "optimizer")
        d.removeAll(QStringLiteral("optimizer constants"));
    QStringList expected = differs;
    expected.removeAll(QStringLiteral("seed"));
    QCOMPARE(d, expected);
}

void TestSweep::badSweepsAreRefused_data()
{
    QTest::addColumn<QString>("sweep");
    QTest::addColumn<QString>("says");
    QTest::newRow("unknown name") << "colour=1,2" << "cannot be swept";
    QTest::newRow("a data setting") << "points=100,200" << "cannot be swept";
    QTest::newRow("no values") << "mixtures=" << "no values";
    QTest::newRow("no equals") << "mixtures" << "no values";
    QTest::newRow("out of range") << "mixtures=1,0" << "mixtures 0";
    QTest::newRow("not a number") << "lr=0.1,fast" << "lr fast";
    QTest::newRow("bad optimizer") << "optimizer=adam,lbfgs" << "expected adam, rmsprop or sgd";
    QTest::newRow("fraction") << "hidden=2.5" << "whole number";
    QTest::newRow("twice") << "lr=0.01,1e-2" << "given twice";
    QTest::newRow("empty value") << "mixtures=1,,3" << "empty";
    QTest::newRow("trailing comma") << "mixtures=1,3," << "empty";
}

void TestSweep::badSweepsAreRefused()
{
    QFETCH(QString, sweep);
    QFETCH(QString, says);
    SweepSpec spec;
    std::string why;
    QVERIFY(!parseSweep(sweep.toStdString(), spec, why));
    QVERIFY2(QString::fromStdString(why).contains(says), why.c_str());
    QVERIFY(why.find('\n') == std::string::npos);
}

void TestSweep::summaryAndChoice()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<SweepRow> rows(5);
    const char *values[] = {"1", "1", "3", "3", "5"};
    const double validation[] = {2.0, 1.0, 0.5, nan, 0.7};
    const double best[] = {1.5, 0.9, 0.6, 0.4, 0.45};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        rows[i].value = values[i];
        rows[i].validation = validation[i];
        rows[i].bestValidation = best[i];
        rows[i].trainLoss = 1.0;
    }
    const std::vector<SweepSummary> s = summariseSweep(rows, {"1", "3", "5"});
    QCOMPARE(s.size(), std::size_t(3));
    QCOMPARE(s[0].runs, std::size_t(2));
    QCOMPARE(s[0].meanValidation, 1.5);
    QCOMPARE(s[0].minValidation, 1.0);
    QCOMPARE(s[0].maxValidation, 2.0);
    // A NaN is left out of the spread, not spread through it.
    QCOMPARE(s[1].meanValidation, 0.5);
    QCOMPARE(s[1].meanBestValidation, 0.5);
    QCOMPARE(bestRow(rows, false).value(), std::size_t(2));
    QCOMPARE(bestRow(rows, true).value(), std::size_t(3));
    QVERIFY(!bestRow({}, true));
    const std::string csv = sweepCsv("mixtures", rows);
    QVERIFY(csv.rfind("mixtures,seed,train_loss,validation_loss,best_epoch,best_validation_loss", 0) == 0);
    QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), 6L);
    QVERIFY(csv.find("nan") == std::string::npos);
}

void TestSweep::headlessSweepReportsEveryRun()
{
    QTemporaryDir dir;
    const QString report = dir.filePath("r.json"), csv = dir.filePath("s.csv"), figures = dir.filePath("d");
    const headless::Run r = headless::run({"--headless", "--points", "600", "--epochs", "150", "--sweep",
                                           "mixtures=1,3,5", "--sweep-seeds", "2", "--report", report,
                                           "--sweep-csv", csv, "--export-dir", figures, "--size", "800x500"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    const QJsonObject j = readReport(report);
    const QJsonObject sweep = j["sweep"].toObject();
    QCOMPARE(sweep["parameter"].toString(), QStringLiteral("mixtures"));
    const QJsonArray runs = sweep["runs"].toArray();
    QCOMPARE(runs.size(), 6);
    double lowest = std::numeric_limits<double>::infinity();
    int lowestK = 0;
    for (qsizetype i = 0; i < runs.size(); ++i) {
        const QJsonObject run = runs[i].toObject();
        const int expectedK[] = {1, 3, 5};
        QCOMPARE(run["value"].toInt(), expectedK[i / 2]);
        QCOMPARE(run["seed"].toInt(), 1 + int(i % 2));
        QCOMPARE(run["epochs"].toInt(), 150);
        for (const char *key : {"train_nll", "validation_nll", "best_validation_nll", "seconds"})
            QVERIFY2(std::isfinite(run[key].toDouble()) && run[key].isDouble(), key);
        QVERIFY(run["best_validation_nll"].toDouble() <= run["validation_nll"].toDouble());
        if (run["validation_nll"].toDouble() < lowest) {
            lowest = run["validation_nll"].toDouble();
            lowestK = run["value"].toInt();
        }
    }
    QCOMPARE(sweep["summary"].toArray().size(), 3);
    const QJsonObject first = sweep["summary"].toArray()[0].toObject()["validation_nll"].toObject();
    QVERIFY(first["min"].toDouble() <= first["mean"].toDouble() && first["mean"].toDouble() <= first["max"].toDouble());
    // The report's MDN is the run with the lowest held-out NLL; no MSE net was trained.
    const QJsonObject mdnReport = j["mdn"].toObject();
    QCOMPARE(mdnReport["mixtures"].toInt(), lowestK);
    QCOMPARE(mdnReport["validation_nll"].toDouble(), lowest);
    QVERIFY(!j.contains("mse"));
    QVERIFY(mdnReport.contains("best_epoch") && mdnReport.contains("best_validation_nll"));
    QVERIFY(headless::firstNonFinite(j).isEmpty());
    const QList<QByteArray> lines = headless::readFile(csv).trimmed().split('\n');
    QCOMPARE(lines.size(), 7);
    QVERIFY(lines[0].startsWith("mixtures,seed,"));
    QVERIFY(QFileInfo::exists(QDir(figures).filePath("sweep.png")));
    QVERIFY(QFileInfo::exists(QDir(figures).filePath("loss.png")));
}

void TestSweep::headlessBadSweepIsOneLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("says");
    QTest::newRow("name") << QStringList{"--sweep", "colour=1,2"} << "--sweep colour=1,2: 'colour' cannot be swept";
    QTest::newRow("value") << QStringList{"--sweep", "mixtures=2,999"} << "--sweep mixtures=2,999: mixtures 999";
    QTest::newRow("seeds") << QStringList{"--sweep", "mixtures=2", "--sweep-seeds", "0"} << "--sweep-seeds 0";
    QTest::newRow("seeds alone") << QStringList{"--sweep-seeds", "3"} << "goes with --sweep";
    QTest::newRow("no mdn") << QStringList{"--sweep", "mixtures=2,3", "--model", "mse"} << "--model mse trains none";
    QTest::newRow("samples without mdn") << QStringList{"--sweep", "mse-hidden=4,8", "--export-samples", "/tmp/x.csv"}
                                         << "--export-samples needs the MDN";
    QTest::newRow("with auto") << QStringList{"--sweep", "mixtures=2,3", "--auto"} << "give one";
}

void TestSweep::headlessBadSweepIsOneLine()
{
    QFETCH(QStringList, args);
    QFETCH(QString, says);
    const headless::Run r = headless::run(QStringList{"--headless", "--epochs", "5"} + args);
    QCOMPARE(r.exitCode, 1);
    // One line of mdnviz's (the platform may add its own notes).
    QVERIFY2(r.err.count("mdnviz:") == 1 && r.err.mid(r.err.indexOf("mdnviz:")).count('\n') == 1, r.err.constData());
    QVERIFY2(QString::fromUtf8(r.err).contains(says), r.err.constData());
    QVERIFY(r.out.isEmpty());
}

void TestSweep::autoChoosesTheBestByValidation()
{
    QTemporaryDir dir;
    const QString report = dir.filePath("r.json"), predict = dir.filePath("p.csv");
    const headless::Run r = headless::run({"--headless", "--points", "600", "--epochs", "300", "--auto",
                                           "--report", report, "--predict", predict});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    const QJsonObject j = readReport(report);
    const QJsonObject a = j["auto"].toObject();
    const QJsonArray candidates = a["candidates"].toArray();
    QCOMPARE(candidates.size(), int(std::size(kAutoMixtures) * std::size(kAutoHidden)));
    double lowest = std::numeric_limits<double>::infinity();
    for (const QJsonValue &c : candidates)
        lowest = std::min(lowest, c.toObject()["best_validation_nll"].toDouble());
    const QJsonObject chosen = a["chosen"].toObject();
    QCOMPARE(chosen["validation_nll"].toDouble(), lowest);
    // The report's MDN is the chosen run at its best epoch's weights: scored again, the same NLL.
    const QJsonObject m = j["mdn"].toObject();
    QCOMPARE(m["mixtures"].toInt(), chosen["mixtures"].toInt());
    QCOMPARE(m["hidden"].toInt(), chosen["hidden"].toInt());
    QCOMPARE(m["validation_nll"].toDouble(), lowest);
    QCOMPARE(m["best_validation_nll"].toDouble(), lowest);
    QCOMPARE(m["best_epoch"].toInt(), chosen["best_epoch"].toInt());
    // Its training NLL too is that of the weights kept, not of the last epoch.
    QCOMPARE(m["train_nll"].toDouble(), chosen["train_nll"].toDouble());
    QVERIFY(j.contains("mse")); // trained once beside the candidates
    QVERIFY(headless::readFile(predict).startsWith("x,mse_y,mdn_y"));
}

// One point per value at its category, bars only for values trained with several seeds, NaN
// left out, the Bayes line only when finite, and an axis that holds every point drawn.
void TestSweep::chartDrawsEachValue()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    mdnviz::SweepChart chart;
    chart.resize(800, 500);
    chart.setValues(QStringLiteral("mixtures"), QStringLiteral("NLL (nats)"),
                    {{QStringLiteral("1"), 3, 2.7, 2.6, 2.8, 2.75, 2.65},
                     {QStringLiteral("5"), 1, 1.24, 1.24, 1.24, 1.3, 1.23},
                     {QStringLiteral("24"), 3, nan, nan, nan, 1.27, 1.229}});
    QCOMPARE(chart.validationSeries()->count(), 2);
    QCOMPARE(chart.validationSeries()->at(1), QPointF(1.0, 1.24));
    QCOMPARE(chart.trainSeries()->count(), 3);
    QCOMPARE(chart.bestSeries()->count(), 3);
    QCOMPARE(chart.errorBars().size(), 1);
    QCOMPARE(chart.valueAxis()->categoriesLabels(), (QStringList{"1", "5", "24"}));
    QVERIFY(!chart.bayesSeries()->isVisible());
    chart.setBayesNll(1.19);
    QVERIFY(chart.bayesSeries()->isVisible());
    QVERIFY(chart.lossAxis()->min() <= 1.19 && chart.lossAxis()->max() >= 2.8);
    // Values swept again replace the bars.
    chart.setValues(QStringLiteral("lr"), QStringLiteral("NLL (nats)"), {{QStringLiteral("0.01"), 2, 1.5, 1.4, 1.6, 1.3, 1.35}});
    QCOMPARE(chart.errorBars().size(), 1);
    QCOMPARE(chart.valueAxis()->categoriesLabels(), QStringList{"0.01"});
    QVERIFY(!mdnviz::renderFigure(chart.figure(), QSize(400, 250)).isNull());
}

QTEST_MAIN(TestSweep)
#include "tst_sweep.moc"
