// What a hostile or careless user does to the headless trainer, class by class, through the real
// binary: signals at any size, runs of a hundred million epochs, a closed stdout, data at the ends
// of the double range, figures that must agree between stdout and the report, options that clash
// or cannot work, a noiseless generator, read-only and symlinked outputs.

#include "headless.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest/QTest>

#include <cfloat>
#include <csignal>

#include <sys/stat.h>
#include <unistd.h>

namespace {

QJsonObject readJson(const QString &path)
{
    return QJsonDocument::fromJson(headless::readFile(path)).object();
}

// The inverse sinusoid's shape with the columns mapped by fx and fy, as a CSV file.
QByteArray table(int rows, const std::function<double(int, double)> &fx,
                 const std::function<double(int, double)> &fy)
{
    QByteArray text = "x,y\n";
    for (int i = 0; i < rows; ++i) {
        const double t = -10.5 + 21.0 * i / (rows - 1);
        const double x = 7.0 * std::sin(0.75 * t) + 0.5 * t + std::cos(37.0 * i);
        text += QByteArray::number(fx(i, x), 'g', 17) + ',' + QByteArray::number(fy(i, t), 'g', 17) + '\n';
    }
    return text;
}

const auto same = [](int, double v) { return v; };

// The number printed after `label` on stdout ("NLL 1.23"), or "n/a".
QString printed(const QByteArray &out, const QString &label)
{
    const QRegularExpression re(QRegularExpression::escape(label) + QStringLiteral(" (\\S+)"));
    const QRegularExpressionMatch m = re.match(QString::fromUtf8(out));
    return m.hasMatch() ? m.captured(1).remove(QLatin1Char(',')) : QString();
}

// Printed and reported agree: a number printed (to 5 digits) where the report has that number,
// "n/a" where it has null.
bool agrees(const QString &text, const QJsonValue &v)
{
    if (v.isNull())
        return text == QLatin1String("n/a");
    bool ok = false;
    const double p = text.toDouble(&ok);
    return ok && v.isDouble() && std::abs(p - v.toDouble()) <= 1e-4 * std::max(1.0, std::abs(v.toDouble()));
}

} // namespace

class TestAdversary : public QObject {
    Q_OBJECT
private slots:
    void init();

    void signalsStopAnyRunWithinASecond_data();
    void signalsStopAnyRunWithinASecond();
    void aHundredMillionEpochsFitInBoundedMemory();
    void aClosedStdoutLosesNoFile();
    void dataBeyondTheRangeIsRefused_data();
    void dataBeyondTheRangeIsRefused();
    void dataInsideTheRangeTrainsCorrectly_data();
    void dataInsideTheRangeTrainsCorrectly();
    void printedFiguresMatchTheReport_data();
    void printedFiguresMatchTheReport();
    void badOptionsAreRefusedBeforeAnyWork_data();
    void badOptionsAreRefusedBeforeAnyWork();
    void noBayesFloorWithoutNoise_data();
    void noBayesFloorWithoutNoise();
    void readOnlyOutputIsNotReplaced();
    void symlinkedOutputIsWrittenThrough();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestAdversary::init() { m_dir = std::make_unique<QTemporaryDir>(); }

void TestAdversary::signalsStopAnyRunWithinASecond_data()
{
    QTest::addColumn<int>("signo");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("afterMs");
    // A full-batch step over 100,000 points of a 2,048 x 128 MDN takes many seconds in one piece.
    const QStringList big{"--points", "100000", "--hidden", "2048", "--mixtures", "128"};
    QTest::newRow("SIGINT in a big step") << int(SIGINT) << big << 2500;
    QTest::newRow("SIGTERM in a big step") << int(SIGTERM) << big << 2500;
    QTest::newRow("SIGHUP in a big step") << int(SIGHUP) << big << 2500;
    QTest::newRow("SIGTERM in mini-batches") << int(SIGTERM) << big + QStringList{"--batch", "50000"} << 2500;
    // Generating ten million points, then the split and the Bayes floor.
    QTest::newRow("SIGTERM while generating") << int(SIGTERM) << QStringList{"--points", "10000000"} << 300;
    QTest::newRow("SIGHUP while preparing") << int(SIGHUP) << QStringList{"--points", "10000000"} << 1200;
}

// Every interrupt ends the run soon, with the code a shell expects (128 + the signal), a report
// marked interrupted, and no temporary file left.
void TestAdversary::signalsStopAnyRunWithinASecond()
{
    QFETCH(int, signo);
    QFETCH(QStringList, args);
    QFETCH(int, afterMs);
    const QString report = path("r.json");
    QElapsedTimer sinceSignal;
    const headless::Run r = headless::run(
        QStringList{"--headless", "--epochs", "100000000", "--report", report} + args, 120000,
        headless::environment(), headless::binary(), [&](QProcess &p) {
            QThread::msleep(ulong(afterMs * MDNVIZ_TIME_SCALE));
            sinceSignal.start();
            ::kill(pid_t(p.processId()), signo);
        });
    const qint64 latency = sinceSignal.elapsed();
    qInfo("signal %d to exit: %lld ms", signo, latency);
    QVERIFY2(!r.crashed && !r.timedOut && !r.sanitizerSpoke(), qPrintable(r.describe()));
    QCOMPARE(r.exitCode, 128 + signo);
    QVERIFY2(latency < 2000 * MDNVIZ_TIME_SCALE, qPrintable(r.describe()));
    QCOMPARE(readJson(report)["interrupted"].toBool(), true);
    QCOMPARE(headless::entries(m_dir->path()), QStringList{"r.json"});
}

// The loss curve kept for the charts does not grow with the epochs: under a 200 MiB limit on the
// data segment, a run asked for 1e8 epochs trains until interrupted and draws its chart.
void TestAdversary::aHundredMillionEpochsFitInBoundedMemory()
{
    if (MDNVIZ_TIME_SCALE != 1)
        QSKIP("the sanitizers reserve their shadow memory in the data segment");
    if (!QFileInfo::exists(QStringLiteral("/usr/bin/prlimit")))
        QSKIP("needs prlimit (util-linux)");
    const QString png = path("fit.png");
    const headless::Run r = headless::run(
        {"--data=" + QString::number(200 << 20), headless::binary(), "--headless", "--points", "1",
         "--epochs", "100000000", "--export-png", png, "--size", "200x150"},
        60000, headless::environment(), QStringLiteral("/usr/bin/prlimit"), [](QProcess &p) {
            QThread::msleep(1500);
            ::kill(pid_t(p.processId()), SIGINT);
        });
    QVERIFY2(!r.crashed && !r.timedOut && !r.sanitizerSpoke(), qPrintable(r.describe()));
    QCOMPARE(r.exitCode, 130);
    QVERIFY(QFileInfo(png).size() > 0);
}

// `mdnviz ... | head`: the pipe closes early; the files are written all the same.
void TestAdversary::aClosedStdoutLosesNoFile()
{
    const QString report = path("r.json");
    // A real pipe into a reader that is gone at once; env restores SIGPIPE's default, which the
    // test runner may have set to "ignore". The shell exits with mdnviz's own code.
    const headless::Run r = headless::run(
        {"-c", "\"$@\" | true; exit ${PIPESTATUS[0]}", "sh", "/usr/bin/env", "--default-signal=PIPE",
         headless::binary(), "--headless", "--epochs", "20", "--report", report},
        120000, headless::environment(), QStringLiteral("/bin/bash"));
    QVERIFY2(r.endedCleanly() && !r.sanitizerSpoke(), qPrintable(r.describe()));
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(readJson(report)["mdn"].toObject()["epochs"].toInt(), 20);
}

void TestAdversary::dataBeyondTheRangeIsRefused_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("column");
    QTest::newRow("y x 1e153") << table(200, same, [](int, double v) { return v * 1e153; }) << "y";
    QTest::newRow("y x 1e300") << table(200, same, [](int, double v) { return v * 1e300; }) << "y";
    QTest::newRow("x x 1e250") << table(200, [](int, double v) { return v * 1e250; }, same) << "x";
    QTest::newRow("one y of 1e300") << table(200, same, [](int i, double v) { return i == 77 ? 1e300 : v; }) << "y";
    QTest::newRow("x from 1e-300 to 1e300")
        << table(200, [](int i, double) { return std::pow(10.0, -300.0 + 600.0 * i / 199); }, same) << "x";
    QTest::newRow("y near the double maximum") << table(200, same, [](int, double v) { return v / 11.0 * DBL_MAX; }) << "y";
    QTest::newRow("y x 1e-200") << table(200, same, [](int, double v) { return v * 1e-200; }) << "y";
    QTest::newRow("x x 1e-150") << table(200, [](int, double v) { return v * 1e-150; }, same) << "x";
}

// Refused before training, in one line that names the column and the supported range.
void TestAdversary::dataBeyondTheRangeIsRefused()
{
    QFETCH(QByteArray, csv);
    QFETCH(QString, column);
    const QString data = path("data.csv"), report = path("r.json");
    QVERIFY(headless::writeFile(data, csv));
    const headless::Run r = headless::run({"--headless", "--data", data, "--report", report, "--epochs", "50"});
    QVERIFY2(r.endedCleanly() && !r.sanitizerSpoke(), qPrintable(r.describe()));
    QCOMPARE(r.exitCode, 1);
    const QList<QByteArray> lines = r.err.trimmed().split('\n');
    const QString last = QString::fromUtf8(lines.last());
    QVERIFY2(last.contains(QStringLiteral("the %1 values").arg(column)) && last.contains("1e+100"),
             qPrintable(last));
    QVERIFY(!QFileInfo::exists(report));
}

void TestAdversary::dataInsideTheRangeTrainsCorrectly_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<double>("yScale");
    QTest::newRow("y x 1e90") << table(400, same, [](int, double v) { return v * 1e90; }) << 1e90;
    QTest::newRow("y x 1e-90") << table(400, same, [](int, double v) { return v * 1e-90; }) << 1e-90;
    QTest::newRow("x x 1e-90") << table(400, [](int, double v) { return v * 1e-90; }, same) << 1.0;
    QTest::newRow("x x 1e95, y x 1e-95")
        << table(400, [](int, double v) { return v * 1e95; }, [](int, double v) { return v * 1e-95; }) << 1e-95;
}

// Trained in their own units: finite figures, samples on the data's scale, and the model has
// used x (its samples differ across x as the data do).
void TestAdversary::dataInsideTheRangeTrainsCorrectly()
{
    QFETCH(QByteArray, csv);
    QFETCH(double, yScale);
    const QString data = path("data.csv"), report = path("r.json"), samples = path("s.csv");
    QVERIFY(headless::writeFile(data, csv));
    const headless::Run r = headless::run({"--headless", "--data", data, "--report", report,
                                           "--export-samples", samples, "--epochs", "300"});
    QVERIFY2(r.exitCode == 0 && !r.sanitizerSpoke(), qPrintable(r.describe()));
    const QJsonObject o = readJson(report);
    QVERIFY2(headless::nullMembers(o).isEmpty(), qPrintable(headless::nullMembers(o).join(' ')));
    QCOMPARE(o["faults"].toObject()["count"].toInt(), 0);
    // The same network trains on the unscaled data: its NLL is the scaled one minus log(scale).
    QVERIFY(o["mdn"].toObject()["train_nll"].toDouble() - std::log(yScale) < 2.5);

    const QList<QByteArray> rows = headless::readFile(samples).trimmed().split('\n');
    QVERIFY(rows.size() > 1000);
    double lo = INFINITY, hi = -INFINITY, firstX = 0, lastX = 0, firstMean = 0, lastMean = 0;
    int first = 0, last = 0;
    for (int i = 1; i < rows.size(); ++i) {
        const QList<QByteArray> f = rows[i].split(',');
        const double x = f[0].toDouble(), y = f[1].toDouble() / yScale;
        QVERIFY(std::isfinite(x) && std::isfinite(y));
        lo = std::min(lo, y);
        hi = std::max(hi, y);
        if (i == 1)
            firstX = x;
        if (x == firstX)
            firstMean += y, ++first;
        lastX = x;
    }
    for (int i = rows.size() - 1; i > 0 && rows[i].split(',')[0].toDouble() == lastX; --i)
        lastMean += rows[i].split(',')[1].toDouble() / yScale, ++last;
    // The data's y span -10.5..10.5 in its own units.
    QVERIFY2(lo > -30 && hi < 30 && hi - lo > 5, qPrintable(QStringLiteral("%1..%2").arg(lo).arg(hi)));
    // x matters: at the two ends of x the inverse sinusoid's y differ by about 10.
    QVERIFY2(std::abs(lastMean / last - firstMean / first) > 3,
             qPrintable(QStringLiteral("%1 vs %2").arg(firstMean / first).arg(lastMean / last)));
}

void TestAdversary::printedFiguresMatchTheReport_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("eval");
    QTest::addColumn<long>("keptEpochs"); // -1: as many as asked
    QTest::newRow("eval target 1e20") << QStringList{"--epochs", "50"} << QByteArray("x,y\n1,1e20\n2,3\n") << -1L;
    QTest::newRow("eval target -1e60") << QStringList{"--epochs", "50"} << QByteArray("x,y\n0,-1e60\n") << -1L;
    QTest::newRow("no epochs") << QStringList{"--epochs", "0"} << QByteArray() << 0L;
    QTest::newRow("lr 1e12: every epoch rolled back") << QStringList{"--epochs", "40", "--lr", "1e12"} << QByteArray() << 0L;
}

// Each figure on stdout is the report's, and where the report has null stdout says "n/a";
// epochs count only the epochs kept.
void TestAdversary::printedFiguresMatchTheReport()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, eval);
    QFETCH(long, keptEpochs);
    const QString report = path("r.json"), evalFile = path("eval.csv");
    QStringList all = QStringList{"--headless", "--report", report} + args;
    if (!eval.isEmpty()) {
        QVERIFY(headless::writeFile(evalFile, eval));
        all << "--eval" << evalFile;
    }
    const headless::Run r = headless::run(all);
    QVERIFY2(r.exitCode == 0 && !r.sanitizerSpoke(), qPrintable(r.describe()));
    static const QRegularExpression nonFinite(QStringLiteral("\\b(nan|inf|infinity)\\b"),
                                              QRegularExpression::CaseInsensitiveOption);
    QVERIFY2(!nonFinite.match(QString::fromUtf8(r.out)).hasMatch(), r.out.constData());
    const QJsonObject o = readJson(report);
    const QJsonObject mse = o["mse"].toObject(), mdnReport = o["mdn"].toObject();
    QVERIFY2(agrees(printed(r.out, "train MSE"), mse["train_loss"]), r.out.constData());
    QVERIFY2(agrees(printed(r.out, "train NLL"), mdnReport["train_nll"]), r.out.constData());
    QVERIFY2(agrees(printed(r.out, ", NLL"), mdnReport["validation_nll"]), r.out.constData());
    if (!eval.isEmpty()) {
        const QString evalLine = QString::fromUtf8(r.out.mid(r.out.indexOf("eval:")));
        QVERIFY2(agrees(printed(evalLine.toUtf8(), "MSE"), o["eval"].toObject()["mse_loss"]), r.out.constData());
        QVERIFY2(agrees(printed(evalLine.toUtf8(), "NLL"), o["eval"].toObject()["mdn_nll"]), r.out.constData());
        QVERIFY2(o["eval"].toObject()["mdn_nll"].isDouble(), "a finite NLL of an extreme target");
    }
    const long asked = args[args.indexOf("--epochs") + 1].toLong();
    for (const QJsonObject &m : {mse, mdnReport})
        QCOMPARE(long(m["epochs"].toInteger()), keptEpochs < 0 ? asked : keptEpochs);
    QVERIFY2(r.out.contains(QStringLiteral("mdn: %1 epochs").arg(mdnReport["epochs"].toInteger()).toUtf8()),
             r.out.constData());
}

void TestAdversary::badOptionsAreRefusedBeforeAnyWork_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("phrase");
    const QString in = QStringLiteral("in.csv"); // relative to the test folder, made in the test
    QTest::newRow("empty --data") << QStringList{"--data", ""} << "--data";
    QTest::newRow("empty --report") << QStringList{"--report", ""} << "--report";
    QTest::newRow("empty --export-dir") << QStringList{"--export-dir="} << "--export-dir";
    QTest::newRow("report in a missing folder") << QStringList{"--report", "nodir/r.json"} << "--report";
    QTest::newRow("png in a missing folder") << QStringList{"--export-png", "no/such/fit.png"} << "--export-png";
    QTest::newRow("report over the data") << QStringList{"--data", in, "--report", in} << "destroy the input";
    QTest::newRow("samples over the data") << QStringList{"--data", in, "--export-samples", in} << "destroy the input";
    QTest::newRow("save-data over the data") << QStringList{"--data", in, "--save-data", in} << "destroy the input";
    QTest::newRow("png over the eval file, another spelling")
        << QStringList{"--eval", in, "--export-png", "sub/../in.csv"} << "destroy the input";
    QTest::newRow("report through a symlink to the data")
        << QStringList{"--data", in, "--report", "link.json"} << "destroy the input";
    QTest::newRow("two outputs, one file") << QStringList{"--report", "a.out", "--save-data", "./a.out"} << "overwrite";
    QTest::newRow("png inside the export folder")
        << QStringList{"--export-dir", "charts", "--export-png", "charts/loss.png"} << "overwrite";
    QTest::newRow("svg over the data") << QStringList{"--data", in, "--export-svg", in} << "destroy the input";
    QTest::newRow("empty --export-animation") << QStringList{"--export-animation", ""} << "--export-animation";
    QTest::newRow("pdf and svg, one file") << QStringList{"--export-pdf", "f.pdf", "--export-svg", "./f.pdf"} << "overwrite";
    QTest::newRow("animation inside the svg export folder")
        << QStringList{"--export-dir", "charts", "--format=svg", "--export-animation", "charts/loss.svg"} << "overwrite";
    QTest::newRow("samples without an MDN") << QStringList{"--model", "mse", "--export-samples", "s.csv"} << "MDN";
    QTest::newRow("report over a folder") << QStringList{"--report", "sub"} << "not a regular file";
}

// Refused at once (no training: the run asks for 1e8 epochs), in one line naming the option,
// with the input untouched and nothing written.
void TestAdversary::badOptionsAreRefusedBeforeAnyWork()
{
    QFETCH(QStringList, args);
    QFETCH(QString, phrase);
    QVERIFY(QDir(m_dir->path()).mkdir("sub"));
    QVERIFY(QDir(m_dir->path()).mkdir("charts"));
    const QByteArray csv = table(50, same, same);
    QVERIFY(headless::writeFile(path("in.csv"), csv));
    QVERIFY(QFile::link(path("in.csv"), path("link.json")));
    const QStringList before = headless::entries(m_dir->path());
    for (QString &a : args)
        if (!a.isEmpty() && !a.startsWith("--") && a != "mse")
            a = path(a);
    QElapsedTimer clock;
    clock.start();
    const headless::Run r = headless::run(QStringList{"--headless", "--epochs", "100000000"} + args, 30000);
    QVERIFY2(r.endedCleanly() && !r.sanitizerSpoke(), qPrintable(r.describe()));
    QCOMPARE(r.exitCode, 1);
    const QList<QByteArray> lines = r.err.trimmed().split('\n');
    QVERIFY2(QString::fromUtf8(lines.last()).contains(phrase), r.err.constData());
    QVERIFY2(QString::fromUtf8(lines.last()).startsWith("mdnviz: error: "), r.err.constData());
    QCOMPARE(headless::readFile(path("in.csv")), csv);
    QCOMPARE(headless::entries(m_dir->path()), before);
    QVERIFY(QFileInfo(path("link.json")).isSymLink());
}

void TestAdversary::noBayesFloorWithoutNoise_data()
{
    QTest::addColumn<QString>("dataset");
    QTest::newRow("sinusoid") << "sinusoid";
    QTest::newRow("inverse-sinusoid") << "inverse-sinusoid";
    QTest::newRow("bishop") << "bishop";
}

// A noiseless generator's density is a spike: there is no finite floor to report, and no gap.
void TestAdversary::noBayesFloorWithoutNoise()
{
    QFETCH(QString, dataset);
    const QString report = path("r.json");
    const headless::Run r = headless::run(
        {"--headless", "--dataset", dataset, "--noise", "0", "--epochs", "30", "--report", report});
    QVERIFY2(r.exitCode == 0 && !r.sanitizerSpoke(), qPrintable(r.describe()));
    const QJsonObject m = readJson(report)["mdn"].toObject();
    QVERIFY(m.contains("validation_nll"));
    QVERIFY2(!m.contains("bayes_nll") && !m.contains("bayes_gap"), headless::readFile(report).constData());
    QVERIFY2(r.out.contains("Bayes-optimal: none"), r.out.constData());
}

// A read-only file is not the tool's to replace: refused before the run, left as it was.
void TestAdversary::readOnlyOutputIsNotReplaced()
{
    const QString report = path("r.json");
    QVERIFY(headless::writeFile(report, "precious\n"));
    QVERIFY(::chmod(QFile::encodeName(report).constData(), 0444) == 0);
    const headless::Run r = headless::run({"--headless", "--epochs", "100000000", "--report", report}, 30000);
    QVERIFY2(r.endedCleanly(), qPrintable(r.describe()));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("read-only"), r.err.constData());
    QCOMPARE(headless::readFile(report), QByteArray("precious\n"));
    QCOMPARE(headless::entries(m_dir->path()), QStringList{"r.json"});
}

// An output that is a symbolic link is written through: the link stays, its target is replaced
// (atomically, in the target's folder), and the target's permissions are kept.
void TestAdversary::symlinkedOutputIsWrittenThrough()
{
    QVERIFY(QDir(m_dir->path()).mkdir("real"));
    const QString target = path("real/report.json"), link = path("r.json"), samplesLink = path("s.csv");
    QVERIFY(headless::writeFile(target, "old\n"));
    QVERIFY(::chmod(QFile::encodeName(target).constData(), 0640) == 0);
    QVERIFY(QFile::link(QStringLiteral("real/report.json"), link)); // relative, as ln -s makes them
    QVERIFY(QFile::link(path("real/samples.csv"), samplesLink));    // dangling: created
    const headless::Run r = headless::run(
        {"--headless", "--epochs", "20", "--report", link, "--export-samples", samplesLink});
    QVERIFY2(r.exitCode == 0 && !r.sanitizerSpoke(), qPrintable(r.describe()));
    QVERIFY(QFileInfo(link).isSymLink() && QFileInfo(samplesLink).isSymLink());
    QCOMPARE(readJson(target)["mdn"].toObject()["epochs"].toInt(), 20);
    QVERIFY(headless::readFile(path("real/samples.csv")).startsWith("x,y\n"));
    struct stat info {};
    QVERIFY(::stat(QFile::encodeName(target).constData(), &info) == 0);
    QCOMPARE(info.st_mode & 07777, mode_t(0640));
    QCOMPARE(headless::entries(path("real")), (QStringList{"report.json", "samples.csv"}));
}

QTEST_MAIN(TestAdversary)
#include "tst_adversary.moc"
