// The headless trainer under numerical and operational stress, run as users run it: a learning
// rate of 1e6, targets scaled by 1e12 or constant, and Ctrl-C in the middle of training. Nothing
// non-finite may reach the JSON report, the sample CSV, the charts or the console.

#include "headless.h"

#include "cli.h"
#include "csv.h"
#include "datachart.h"
#include "dataset.h"
#include "losschart.h"
#include "rng.h"
#include "scatterlayer.h"
#include "sessionfile.h"
#include "settings.h"
#include "snapshot.h"
#include "trainer.h"

#include <QCommandLineParser>
#include <QImage>
#include <QJsonArray>
#include <QLineSeries>
#include <QRegularExpression>
#include <QScatterSeries>
#include <QTemporaryDir>
#include <QThread>
#include <QValueAxis>
#include <QtTest/QTest>

#include <csignal>
#include <cstring>

using namespace mdnviz;

namespace {

// "nan", "inf", "infinity" as words, in any case: what printf and QString::number write for
// non-finite values.
bool mentionsNonFinite(const QByteArray &text)
{
    static const QRegularExpression word(QStringLiteral("\\b(nan|inf|infinity)\\b"),
                                         QRegularExpression::CaseInsensitiveOption);
    return word.match(QString::fromUtf8(text)).hasMatch();
}

mdn::Dataset hostile(const QString &kind)
{
    mdn::GeneratorSpec g;
    g.points = 1000;
    mdn::Dataset d = mdn::generate(g);
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (kind == QLatin1String("y x 1e12"))
            d.y[i] *= 1e12;
        else if (kind == QLatin1String("y x 1e-12"))
            d.y[i] *= 1e-12;
        else if (kind == QLatin1String("constant y"))
            d.y[i] = 42.0;
        else if (kind == QLatin1String("constant x"))
            d.x[i] = -3.0;
        else if (kind == QLatin1String("x and y x 1e12"))
            d.x[i] *= 1e12, d.y[i] *= 1e12;
        else if (kind == QLatin1String("y + 1e15"))
            d.y[i] += 1e15;
    }
    d.name = kind.toStdString();
    return d;
}

QStringList hostileKinds()
{
    return {QStringLiteral("y x 1e12"), QStringLiteral("y x 1e-12"), QStringLiteral("constant y"),
            QStringLiteral("constant x"), QStringLiteral("x and y x 1e12"),
            QStringLiteral("y + 1e15")};
}

template <typename Series>
bool allPointsFinite(const Series *s)
{
    for (const QPointF &p : s->points())
        if (!std::isfinite(p.x()) || !std::isfinite(p.y()))
            return false;
    return true;
}

bool axisFinite(const QValueAxis *a)
{
    return std::isfinite(a->min()) && std::isfinite(a->max()) && a->min() <= a->max();
}

// Checks a report written by the headless trainer: valid JSON, every number finite, no null
// (a non-finite loss would have been written as null) and the text free of nan/inf.
void checkReport(const QString &path, bool allowNullLosses = false)
{
    const QByteArray text = headless::readFile(path);
    QVERIFY2(!text.isEmpty(), qPrintable(path));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QVERIFY(doc.isObject());
    QVERIFY2(!mentionsNonFinite(text), text.constData());
    const QString bad = headless::firstNonFinite(doc.object());
    QVERIFY2(bad.isEmpty(), qPrintable(bad));
    if (!allowNullLosses) {
        const QStringList nulls = headless::nullMembers(doc.object());
        QVERIFY2(nulls.isEmpty(), qPrintable(nulls.join(", ") + "\n" + text));
    }
}

} // namespace

class TestHeadless : public QObject {
    Q_OBJECT
private slots:
    void trainsAndScoresAFourColumnFile();
    void robotArmReportsWhereTheHandLands();
    void settingsTableReadsTheCommandLine();
    void divergingTrainingEndsWithAFiniteReport_data();
    void divergingTrainingEndsWithAFiniteReport();
    void hostileTargetsKeepEveryOutputFinite_data();
    void hostileTargetsKeepEveryOutputFinite();
    void hostileTargetsKeepTheChartsFinite_data();
    void hostileTargetsKeepTheChartsFinite();
    void interruptStopsBothModelsAndWritesTheReport();
    void interruptWhileLoadingStopsTheRead();
    void aSavedSessionTrainsOnAsOneRun();
    void badSessionsAreRefusedInOneLine();

private:
    QTemporaryDir m_dir;
};

namespace {

// A two-link arm (links 0.8 and 0.2): joint angles (theta1, theta2) and the hand's position
// (x1, x2), with a distractor column; the inverse problem takes the hand to the angles.
QByteArray armCsv(int rows, std::uint64_t seed)
{
    mdn::Rng rng(seed);
    QByteArray csv = "theta1,theta2,note,x1,x2\n";
    for (int i = 0; i < rows; ++i) {
        const double t1 = rng.uniform(0.3, 1.2), t2 = rng.uniform(M_PI / 2, 3 * M_PI / 2);
        const double x1 = 0.8 * std::cos(t1) + 0.2 * std::cos(t1 + t2);
        const double x2 = 0.8 * std::sin(t1) + 0.2 * std::sin(t1 + t2);
        csv += QByteArray::number(t1, 'g', 17) + ',' + QByteArray::number(t2, 'g', 17) + ',' +
               QByteArray::number(i % 7) + ',' + QByteArray::number(x1, 'g', 17) + ',' +
               QByteArray::number(x2, 'g', 17) + '\n';
    }
    return csv;
}

} // namespace

// --inputs and --targets pick columns of a wider file by name or number; the MDN trains on two
// inputs and two targets, the held-out and eval figures are its NLL per point of the joint
// target, and the samples come back with the columns' names.
void TestHeadless::trainsAndScoresAFourColumnFile()
{
    const QString data = m_dir.filePath("arm.csv"), eval = m_dir.filePath("arm-eval.csv");
    QVERIFY(headless::writeFile(data, armCsv(3000, 1)));
    QVERIFY(headless::writeFile(eval, armCsv(1000, 2)));
    const QString report = m_dir.filePath("arm.json"), samples = m_dir.filePath("arm-samples.csv");
    const QString answers = m_dir.filePath("arm-predict.csv");
    const headless::Run r = headless::run({"--headless", "--data", data, "--inputs", "x1,5", "--targets",
                                           "theta1,2", "--eval", eval, "--epochs", "400", "--mixtures", "4",
                                           "--report", report, "--export-samples", samples, "--predict", answers});
    QVERIFY2(r.endedCleanly() && r.exitCode == 0, qPrintable(r.describe()));
    const QJsonObject o = QJsonDocument::fromJson(headless::readFile(report)).object();
    const QJsonObject ds = o["dataset"].toObject();
    QCOMPARE(ds["inputs"].toArray(), (QJsonArray{"x1", "x2"}));
    QCOMPARE(ds["targets"].toArray(), (QJsonArray{"theta1", "theta2"}));
    QCOMPARE(ds["points"].toInt(), 3000);
    const double trainNll = o["mdn"].toObject()["train_nll"].toDouble();
    const double validationNll = o["mdn"].toObject()["validation_nll"].toDouble();
    const double evalNll = o["eval"].toObject()["mdn_nll"].toDouble();
    // Two exact answers per hand position: far below a broad gaussian over the angles (about
    // +1 nat per angle here), and the fresh points score like the held-out ones.
    QVERIFY2(validationNll < -1.0 && std::abs(evalNll - validationNll) < 0.5,
             qPrintable(QString("train %1, validation %2, eval %3").arg(trainNll).arg(validationNll).arg(evalNll)));
    QVERIFY(!o["mdn"].toObject().contains("bayes_nll")); // a file: no known floor
    QVERIFY(o["eval"].toObject()["mse_loss"].toDouble() > 0.0);

    mdn::Dataset back;
    mdn::CsvError e;
    QVERIFY2(mdn::readCsv(samples.toStdString(), back, e, {}, nullptr, nullptr, {{"x1", "x2"}, {}}),
             e.toString().c_str());
    QCOMPARE(back.inputDims, 2);
    QCOMPARE(back.targetDims, 2);
    QCOMPARE(back.targetNames, (std::vector<std::string>{"theta1", "theta2"}));
    QCOMPARE(back.size(), std::size_t(200 * 10));

    // --predict: a row per eval point, its inputs and each model's one answer, under a header.
    // The MDN's (its likeliest component) puts the hand near where it was asked to go; the MSE
    // net's, an average of the two arms that reach there, misses by far more.
    mdn::Dataset asked, predicted;
    QVERIFY(mdn::readCsv(eval.toStdString(), asked, e, {}, nullptr, nullptr, {{"x1", "x2"}, {"theta1", "theta2"}}));
    QVERIFY2(mdn::readCsv(answers.toStdString(), predicted, e, {}, nullptr, nullptr,
                          {{"x1", "x2"}, {"mse_theta1", "mse_theta2", "mdn_theta1", "mdn_theta2"}}),
             e.toString().c_str());
    QCOMPARE(predicted.size(), asked.size());
    QCOMPARE(predicted.x, asked.x);
    const auto missBy = [&](int first) {
        double sum = 0.0;
        for (std::size_t i = 0; i < predicted.size(); ++i) {
            const double t1 = predicted.target(i, first), t2 = predicted.target(i, first + 1);
            sum += std::pow(0.8 * std::cos(t1) + 0.2 * std::cos(t1 + t2) - asked.input(i, 0), 2) +
                   std::pow(0.8 * std::sin(t1) + 0.2 * std::sin(t1 + t2) - asked.input(i, 1), 2);
        }
        return std::sqrt(sum / double(predicted.size()));
    };
    const double mseMiss = missBy(0), mdnMiss = missBy(2);
    qInfo("position RMSE on the eval points: MSE net %.4f, MDN %.4f", mseMiss, mdnMiss);
    QVERIFY2(mdnMiss < 0.5 * mseMiss, qPrintable(QString("MSE %1, MDN %2").arg(mseMiss).arg(mdnMiss)));

    // A column that is not there, and an eval file of another shape, are refused by name.
    const headless::Run bad = headless::run({"--headless", "--data", data, "--inputs", "x1,elbow"});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("elbow"), bad.err.constData());
    const QString narrow = m_dir.filePath("narrow.csv");
    QVERIFY(headless::writeFile(narrow, "x,y\n1,2\n3,4\n"));
    const headless::Run shape = headless::run({"--headless", "--data", data, "--inputs", "x1,x2", "--targets",
                                               "theta1,theta2", "--eval", narrow, "--epochs", "1"});
    QCOMPARE(shape.exitCode, 1);
    QVERIFY2(shape.err.contains("narrow.csv") && shape.err.contains("columns"), shape.err.constData());
}

// The robot arm judged as Bishop did: where the angles each model gives put the hand, on the
// held-out points; the workspace and joint-space figures drawn at --target; no Bayes floor for
// noise-free data, and a --target of the wrong length refused.
void TestHeadless::robotArmReportsWhereTheHandLands()
{
    const QString report = m_dir.filePath("robot-arm.json"), figures = m_dir.filePath("arm-figures");
    const headless::Run r = headless::run({"--headless", "--dataset", "robot-arm", "--points", "2000", "--epochs",
                                           "1500", "--report", report, "--export-dir", figures, "--size", "400x250",
                                           "--target", "0.7,0.5"});
    QVERIFY2(r.endedCleanly() && r.exitCode == 0, qPrintable(r.describe()));
    const QJsonObject o = QJsonDocument::fromJson(headless::readFile(report)).object();
    QCOMPARE(o["dataset"].toObject()["targets"].toArray(), (QJsonArray{"theta1", "theta2"}));
    const double mdnMiss = o["mdn"].toObject()["position_rmse"].toDouble(-1);
    const double mseMiss = o["mse"].toObject()["position_rmse"].toDouble(-1);
    QVERIFY2(mdnMiss > 0.0 && mdnMiss < 0.02 && mseMiss > 3.0 * mdnMiss,
             qPrintable(QString("MDN %1, MSE %2").arg(mdnMiss).arg(mseMiss)));
    QVERIFY(!o["mdn"].toObject().contains("bayes_nll")); // noise-free: no finite floor
    QVERIFY(r.out.contains("Bayes-optimal: none"));
    for (const char *name : {"workspace.png", "joint-space.png"}) {
        const QImage image(QDir(figures).filePath(QLatin1String(name)));
        QCOMPARE(image.size(), QSize(400, 250));
    }

    const headless::Run bad = headless::run({"--headless", "--dataset", "robot-arm", "--points", "100", "--target", "0.5"});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("--target") && bad.err.contains("2 inputs"), bad.err.constData());
}

// Every setting of the table is read from the command line with its range; a bad value names
// the option, the value and the range.
void TestHeadless::settingsTableReadsTheCommandLine()
{
    const auto parse = [](const QStringList &args, QString &error) {
        QCommandLineParser parser;
        mdnviz::addOptions(parser);
        if (!parser.parse(QStringList{"mdnviz"} + args)) {
            error = parser.errorText();
            return std::optional<mdnviz::Options>();
        }
        return mdnviz::readOptions(parser, error);
    };
    QString error;
    const auto o = parse({"--dataset", "bishop", "--mixtures", "3", "--lr", "0.003", "--seed",
                          "18446744073709551", "--epochs", "1e3", "--validation", "15"},
                         error);
    QVERIFY2(o, qPrintable(error));
    QCOMPARE(o->settings.generator, mdn::Generator::Bishop);
    QCOMPARE(o->generator.noise, 0.1); // bishop's own
    QCOMPARE(o->mdn.mixtures, 3);
    QCOMPARE(o->mdn.optimizer.learningRate, 0.003);
    QCOMPARE(o->mse.optimizer.learningRate, 0.003);
    QCOMPARE(o->generator.seed, std::uint64_t(18446744073709551ULL)); // every digit kept
    QCOMPARE(o->epochs, 1000L);
    QCOMPARE(o->validationPercent, 15.0);
    for (const auto &[args, phrase] :
         std::vector<std::pair<QStringList, QString>>{{{"--mixtures", "0"}, "--mixtures 0: expected a whole number from 1 to 256"},
                                                      {{"--points", "2.5"}, "--points 2.5: expected a whole number"},
                                                      {{"--lr", "fast"}, "--lr fast:"},
                                                      {{"--optimizer", "lbfgs"}, "--optimizer lbfgs: expected adam, rmsprop or sgd"},
                                                      {{"--inputs", "a"}, "--inputs chooses columns of a --data file"}}) {
        QString e;
        QVERIFY2(!parse(args, e), qPrintable(args.join(' ')));
        QVERIFY2(e.startsWith(phrase), qPrintable(e));
    }
    // The table's values go through text and back unchanged, and a setting's default is the
    // Settings default.
    mdn::Settings changed;
    changed.learningRate = 0.1 + 0.2;
    changed.seed = 12345678901234567ULL;
    changed.filePath = "/tmp/a b/c.csv";
    changed.showBands = true;
    for (const mdn::SettingSpec &spec : mdn::settingsTable()) {
        mdn::Settings copy;
        std::string why;
        QVERIFY2(spec.set(copy, spec.get(changed), why), spec.key);
        QCOMPARE(spec.get(copy), spec.get(changed));
    }
    mdn::Settings all;
    for (const mdn::SettingSpec &spec : mdn::settingsTable()) {
        std::string why;
        spec.set(all, spec.get(changed), why);
    }
    QVERIFY(all == changed);
}

void TestHeadless::divergingTrainingEndsWithAFiniteReport_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("adam") << QStringList{};
    QTest::newRow("sgd") << QStringList{"--optimizer", "sgd"};
    QTest::newRow("rmsprop") << QStringList{"--optimizer", "rmsprop"};
    QTest::newRow("adam, batch 64") << QStringList{"--batch", "64"};
    QTest::newRow("mdn only, K=1") << QStringList{"--model", "mdn", "--mixtures", "1"};
}

void TestHeadless::divergingTrainingEndsWithAFiniteReport()
{
    QFETCH(QStringList, args);
    const QString report = m_dir.filePath("lr1e6.json");
    const QString samples = m_dir.filePath("lr1e6-samples.csv");
    const QString charts = m_dir.filePath("lr1e6-charts");
    const headless::Run r = headless::run(
        QStringList{"--headless", "--lr", "1e6", "--epochs", "300", "--report", report,
                    "--export-samples", samples, "--export-dir", charts, "--size", "400x300"} +
        args);
    QVERIFY2(r.endedCleanly() && !r.sanitizerSpoke(), qPrintable(r.describe()));
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(!mentionsNonFinite(r.out), r.out.constData());
    checkReport(report);

    const QJsonObject o = QJsonDocument::fromJson(headless::readFile(report)).object();
    const QJsonObject faults = o["faults"].toObject();
    QVERIFY2(faults["count"].toInt() >= 1, qPrintable(headless::readFile(report)));
    QCOMPARE(faults["events"].toArray().size(), faults["count"].toInt());
    for (const QJsonValue &e : faults["events"].toArray()) {
        QVERIFY(e.toObject()["epoch"].toInt() >= 1);
        QVERIFY(e.toObject()["message"].toString().contains("rolled back to epoch"));
    }
    QVERIFY(r.out.contains("fault: "));
    // The rates were halved from 1e6 on every fault.
    for (const char *model : {"mse", "mdn"})
        if (o.contains(model))
            QVERIFY(o[model].toObject()["learning_rate"].toDouble() < 1e6);

    // The samples were written (the writer refuses non-finite values) and read back.
    mdn::Dataset back;
    mdn::CsvError e;
    QVERIFY2(mdn::readCsv(samples.toStdString(), back, e), e.toString().c_str());
    QCOMPARE(back.size(), std::size_t(200 * 10));
    QCOMPARE(QImage(charts + "/data-and-fits.png").size(), QSize(400, 300));
    QCOMPARE(QImage(charts + "/loss.png").size(), QSize(400, 300));
}

void TestHeadless::hostileTargetsKeepEveryOutputFinite_data()
{
    QTest::addColumn<QString>("kind");
    for (const QString &k : hostileKinds())
        QTest::newRow(qPrintable(k)) << k;
}

void TestHeadless::hostileTargetsKeepEveryOutputFinite()
{
    QFETCH(QString, kind);
    const QString data = m_dir.filePath("hostile.csv");
    std::string err;
    QVERIFY2(mdn::writeCsv(data.toStdString(), hostile(kind), err), err.c_str());
    const QString report = m_dir.filePath("hostile.json");
    const QString samples = m_dir.filePath("hostile-samples.csv");
    const QString charts = m_dir.filePath("hostile-charts");
    const headless::Run r = headless::run(
        {"--headless", "--data", data, "--eval", data, "--epochs", "400", "--report", report,
         "--export-samples", samples, "--export-dir", charts, "--size", "400x300"});
    QVERIFY2(r.endedCleanly() && !r.sanitizerSpoke(), qPrintable(r.describe()));
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(!mentionsNonFinite(r.out), r.out.constData());
    checkReport(report);
    mdn::Dataset back;
    mdn::CsvError e;
    QVERIFY2(mdn::readCsv(samples.toStdString(), back, e), e.toString().c_str());
    QCOMPARE(QImage(charts + "/data-and-fits.png").size(), QSize(400, 300));
    QCOMPARE(QImage(charts + "/loss.png").size(), QSize(400, 300));
}

void TestHeadless::hostileTargetsKeepTheChartsFinite_data() { hostileTargetsKeepEveryOutputFinite_data(); }

// The window's path: the worker's snapshot of models trained on hostile data, drawn by the charts.
void TestHeadless::hostileTargetsKeepTheChartsFinite()
{
    QFETCH(QString, kind);
    const mdn::Dataset d = hostile(kind);
    mdn::TrainConfig lr = mdn::defaultConfig(mdn::ModelKind::Mdn);
    for (const double rate : {0.01, 1e6}) {
        mdn::Trainer mse(d, mdn::defaultConfig(mdn::ModelKind::Mse));
        lr.optimizer.learningRate = rate;
        mdn::Trainer mdnModel(d, lr);
        mdn::Snapshot s;
        for (long epoch = 1; epoch <= 200; ++epoch) {
            mse.train(1);
            mdnModel.train(1);
            s.losses.push_back({epoch, mse.lastLoss(), mdnModel.lastLoss()});
        }
        mdn::fillSnapshot(s, &mse, &mdnModel, d, mdn::SnapshotRequest());
        for (const double v : s.mseCurve)
            QVERIFY(std::isfinite(v));
        for (std::size_t i = 0; i < s.sampleY.size(); ++i)
            QVERIFY2(std::isfinite(s.sampleX[i]) && std::isfinite(s.sampleY[i]),
                     qPrintable(QString::number(s.sampleY[i])));
        QVERIFY(s.mixture.pi.allFinite() && s.mixture.mu.allFinite() && s.mixture.sigma.allFinite());
        QVERIFY((s.mixture.sigma > 0).all());
        const mdn::MixtureSlice slice =
            mdn::mixtureSlice(mdnModel.mixture({d.x.front(), d.x.back()}), 1, {0.0, d.y[3]});
        for (const double v : slice.total)
            QVERIFY(std::isfinite(v));
        QVERIFY(mse.net().parameters().allFinite() && mdnModel.net().parameters().allFinite());

        DataChart dataChart;
        dataChart.setDataset(d);
        dataChart.setSnapshot(s);
        QVERIFY(allPointsFinite(dataChart.dataLayer()));
        QVERIFY(allPointsFinite(dataChart.mseSeries()));
        QVERIFY(allPointsFinite(dataChart.sampleLayer()));
        QVERIFY(axisFinite(dataChart.axisX()) && axisFinite(dataChart.axisY()));
        LossChart lossChart;
        lossChart.appendLosses(s.losses);
        QVERIFY(allPointsFinite(lossChart.mseSeries()));
        QVERIFY(allPointsFinite(lossChart.nllSeries()));
        QVERIFY(axisFinite(lossChart.epochAxis()) && axisFinite(lossChart.nllAxis()));
    }
}

void TestHeadless::interruptStopsBothModelsAndWritesTheReport()
{
    const QString report = m_dir.filePath("interrupted.json");
    const QString samples = m_dir.filePath("interrupted-samples.csv");
    QFile::remove(report);
    qint64 sentAt = 0;
    QElapsedTimer clock;
    const headless::Run r = headless::run(
        {"--headless", "--epochs", "100000000", "--points", "2000", "--report", report,
         "--export-samples", samples},
        60000, headless::environment(), headless::binary(), [&](QProcess &p) {
            QThread::msleep(1500); // well into training
            clock.start();
            ::kill(pid_t(p.processId()), SIGINT);
        });
    sentAt = clock.elapsed();
    // 130 = 128 + SIGINT, as a shell reports an interrupted command; it ended by itself.
    QVERIFY2(!r.crashed && !r.timedOut && !r.sanitizerSpoke(), qPrintable(r.describe()));
    QVERIFY2(r.exitCode == 130, qPrintable(r.describe()));
    QVERIFY2(r.err.contains("interrupted"), r.err.constData());
    qInfo("SIGINT to exit (report and samples written): %lld ms", sentAt);
    QVERIFY2(sentAt < 10000, qPrintable(QString::number(sentAt)));

    checkReport(report);
    const QJsonObject o = QJsonDocument::fromJson(headless::readFile(report)).object();
    QCOMPARE(o["interrupted"].toBool(), true);
    for (const char *model : {"mse", "mdn"}) {
        const qint64 epochs = o[model].toObject()["epochs"].toInteger();
        QVERIFY2(epochs > 0 && epochs < 100000000, qPrintable(QString::number(epochs)));
    }
    mdn::Dataset back;
    mdn::CsvError e;
    QVERIFY2(mdn::readCsv(samples.toStdString(), back, e), e.toString().c_str());
}

void TestHeadless::interruptWhileLoadingStopsTheRead()
{
    // About 150 MB of rows: reading takes long enough to be interrupted.
    const QString big = m_dir.filePath("big.csv");
    {
        QFile f(big);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray block;
        for (int i = 0; i < 100000; ++i)
            block += QByteArray::number(i) + ",0.123456789012\n";
        while (f.size() < (150 << 20))
            QVERIFY(f.write(block) == block.size());
    }
    const headless::Run r = headless::run(
        {"--headless", "--data", big, "--epochs", "0"}, 60000, headless::environment(),
        headless::binary(), [&](QProcess &p) {
            QThread::msleep(400);
            ::kill(pid_t(p.processId()), SIGINT);
        });
    QFile::remove(big);
    QVERIFY2(!r.crashed && !r.timedOut && !r.sanitizerSpoke(), qPrintable(r.describe()));
    // Either the read was cut short ("cancelled", 130), or it was already done and the run ended
    // normally or as interrupted; never a crash or a hang.
    if (r.err.contains("cancelled"))
        QCOMPARE(r.exitCode, 130);
    else
        QVERIFY2(r.exitCode == 0 || r.exitCode == 130, qPrintable(r.describe()));
}


namespace {

// What mdnviz itself printed on stderr (not Qt's notes about the environment).
QList<QByteArray> errorLines(const QByteArray &err)
{
    QList<QByteArray> lines;
    for (const QByteArray &line : err.split('\n'))
        if (line.startsWith("mdnviz:"))
            lines << line;
    return lines;
}

bool sameFloats(const Eigen::VectorXf &a, const Eigen::VectorXf &b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), std::size_t(a.size()) * sizeof(float)) == 0;
}

} // namespace

// 1,000 epochs saved with --save-session, then --session with --epochs 2000 saved again: the
// same losses and weights, bit for bit, as 3,000 epochs in one run.
void TestHeadless::aSavedSessionTrainsOnAsOneRun()
{
    const QString first = m_dir.filePath("first.mdnsession"), resumed = m_dir.filePath("resumed.mdnsession");
    const QString straight = m_dir.filePath("straight.mdnsession");
    const QString resumedReport = m_dir.filePath("resumed.json"), straightReport = m_dir.filePath("straight.json");
    const QStringList common = {"--headless", "--dataset", "inverse-sinusoid", "--points", "600", "--mixtures", "3"};
    headless::Run r = headless::run(common + QStringList{"--epochs", "1000", "--save-session", first});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    r = headless::run({"--headless", "--session", first, "--epochs", "2000", "--save-session", resumed, "--report",
                       resumedReport});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    r = headless::run(common + QStringList{"--epochs", "3000", "--save-session", straight, "--report", straightReport});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));

    const QJsonObject a = QJsonDocument::fromJson(headless::readFile(resumedReport)).object();
    const QJsonObject b = QJsonDocument::fromJson(headless::readFile(straightReport)).object();
    QCOMPARE(a["start_epoch"].toInt(), 1000);
    QCOMPARE(a["epochs"].toInt(), 2000);
    for (const char *model : {"mse", "mdn"})
        QCOMPARE(a[model].toObject()["epochs"].toInt(), 3000);
    // JSON numbers come back exactly: equal text is equal bits.
    for (const auto &[model, key] : {std::pair{"mse", "train_loss"}, {"mse", "validation_loss"},
                                     {"mdn", "train_nll"}, {"mdn", "validation_nll"}}) {
        const QJsonValue x = a[model].toObject()[key], y = b[model].toObject()[key];
        QVERIFY2(x.isDouble() && x.toDouble() == y.toDouble(),
                 qPrintable(QString("%1.%2: %3 resumed, %4 in one run")
                                .arg(model, key)
                                .arg(x.toDouble(), 0, 'g', 17)
                                .arg(y.toDouble(), 0, 'g', 17)));
    }

    QString error;
    const std::optional<SessionFile> x = readSessionFile(resumed, &error);
    QVERIFY2(x, qPrintable(error));
    const std::optional<SessionFile> y = readSessionFile(straight, &error);
    QVERIFY2(y, qPrintable(error));
    QCOMPARE(x->state.trainers.size(), std::size_t(2));
    QCOMPARE(x->state.trainers.size(), y->state.trainers.size());
    for (std::size_t i = 0; i < x->state.trainers.size(); ++i) {
        QCOMPARE(x->state.trainers[i].epoch, 3000L);
        QCOMPARE(y->state.trainers[i].epoch, 3000L);
        QVERIFY(sameFloats(x->state.trainers[i].parameters, y->state.trainers[i].parameters));
        QVERIFY(sameFloats(x->state.trainers[i].optimizer.m, y->state.trainers[i].optimizer.m));
        QVERIFY(x->state.histories[i] == y->state.histories[i]);
    }
    QCOMPARE(x->settings, y->settings); // the epochs reached, as if asked for at once
    QVERIFY(x->data->x == y->data->x && x->data->y == y->data->y);
}

// A damaged session file, or one combined with other data, ends the run at once with exit 1 and
// one line that names the file or the options and says why; nothing is written.
void TestHeadless::badSessionsAreRefusedInOneLine()
{
    const QString good = m_dir.filePath("good.mdnsession"), cut = m_dir.filePath("cut.mdnsession");
    const QString report = m_dir.filePath("refused.json");
    headless::Run r = headless::run({"--headless", "--points", "300", "--epochs", "20", "--save-session", good});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    const QByteArray bytes = headless::readFile(good);
    QVERIFY(headless::writeFile(cut, bytes.left(bytes.size() / 2)));

    r = headless::run({"--headless", "--session", cut, "--epochs", "10", "--report", report});
    QVERIFY2(r.endedCleanly() && r.exitCode == 1, qPrintable(r.describe()));
    QVERIFY2(errorLines(r.err).size() == 1 && errorLines(r.err).front().contains(cut.toUtf8()) &&
                 errorLines(r.err).front().contains("not valid JSON"),
             r.err.constData());
    QVERIFY(!QFile::exists(report));

    r = headless::run({"--headless", "--session", m_dir.filePath("missing.mdnsession")});
    QVERIFY2(r.exitCode == 1 && errorLines(r.err).size() == 1 && r.err.contains("missing.mdnsession"),
             qPrintable(r.describe()));

    for (const QStringList &extra : {QStringList{"--data", good}, QStringList{"--dataset", "bishop"},
                                     QStringList{"--mixtures", "4"}}) {
        r = headless::run(QStringList{"--headless", "--session", good} + extra);
        QVERIFY2(r.exitCode == 1 && errorLines(r.err).size() == 1 &&
                     r.err.contains(extra.first().toUtf8() + " cannot be combined with --session"),
                 qPrintable(r.describe()));
    }
    // The session is an input: saving over it is refused before anything runs.
    r = headless::run({"--headless", "--session", good, "--save-session", good});
    QVERIFY2(r.exitCode == 1 && r.err.contains("is the same file as --session"), qPrintable(r.describe()));
}

QTEST_MAIN(TestHeadless)
#include "tst_headless.moc"
