// Session files: a saved and reopened session trains on bit-identically, every part comes back
// exactly, a reader outside mdnviz (scripts/session-density.py) finds the same density, and
// damaged or crafted files are refused with a reason.

#include "sessionfile.h"

#include "dataset.h"
#include "mdn.h"
#include "session.h"
#include "settings.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest/QTest>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

using namespace mdn;
using namespace mdnviz;

namespace {

std::shared_ptr<const Dataset> inverseData(std::size_t points, std::uint64_t seed = 1)
{
    GeneratorSpec g;
    g.points = points;
    g.seed = seed;
    return std::make_shared<const Dataset>(generate(g));
}

// Three inputs and two targets, with column names.
std::shared_ptr<const Dataset> wideData(std::size_t points)
{
    auto d = std::make_shared<Dataset>();
    d->inputDims = 3;
    d->targetDims = 2;
    d->inputNames = {"a", "b", "c"};
    d->targetNames = {"u", "v"};
    d->name = "wide.csv";
    Rng rng(7);
    for (std::size_t i = 0; i < points; ++i) {
        const double x[3] = {rng.uniform(-1, 1), rng.uniform(0, 5), rng.normal()};
        const double y[2] = {std::sin(3 * x[0]) + 0.1 * rng.normal(), x[1] * x[2] + rng.normal()};
        d->addPoint(x, y);
    }
    return d;
}

TrainConfig config(ModelKind kind, int hidden, int mixtures = 3)
{
    TrainConfig c = defaultConfig(kind);
    c.hidden = {hidden};
    c.mixtures = mixtures;
    return c;
}

SessionOptions withGenerator(std::size_t points)
{
    SessionOptions o;
    GeneratorSpec g;
    g.points = points;
    o.generator = g;
    return o;
}

bool sameBits(const Eigen::VectorXf &a, const Eigen::VectorXf &b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), std::size_t(a.size()) * sizeof(float)) == 0;
}

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool sameOptimizer(const Optimizer<float>::State &a, const Optimizer<float>::State &b)
{
    return a.step == b.step && sameBits(a.m, b.m) && sameBits(a.v, b.v) && a.config.kind == b.config.kind &&
           sameBits(a.config.learningRate, b.config.learningRate) && sameBits(a.config.beta1, b.config.beta1) &&
           sameBits(a.config.beta2, b.config.beta2) && sameBits(a.config.epsilon, b.config.epsilon) &&
           sameBits(a.config.weightDecay, b.config.weightDecay);
}

// Every field of two trainer states, bit for bit.
void compareStates(const TrainerState &a, const TrainerState &b)
{
    QCOMPARE(a.epoch, b.epoch);
    QVERIFY(sameBits(a.lastLoss, b.lastLoss));
    QVERIFY(sameBits(a.gradientNorm, b.gradientNorm));
    QCOMPARE(a.failed, b.failed);
    QVERIFY(sameBits(a.parameters, b.parameters));
    QVERIFY(sameOptimizer(a.optimizer, b.optimizer));
    for (int i = 0; i < 4; ++i)
        QCOMPARE(a.rng.s[i], b.rng.s[i]);
    QVERIFY(sameBits(a.rng.spare, b.rng.spare));
    QCOMPARE(a.rng.hasSpare, b.rng.hasSpare);
    QVERIFY(a.order == b.order);
    QCOMPARE(a.epochOpen, b.epochOpen);
    QCOMPARE(a.batchCursor, b.batchCursor);
    QVERIFY(sameBits(a.epochLoss, b.epochLoss));
    QVERIFY(sameBits(a.epochDataLoss, b.epochDataLoss));
    QVERIFY(sameBits(a.checkpointParameters, b.checkpointParameters));
    QVERIFY(sameOptimizer(a.checkpointOptimizer, b.checkpointOptimizer));
    QCOMPARE(a.checkpointEpoch, b.checkpointEpoch);
    QVERIFY(sameBits(a.checkpointLoss, b.checkpointLoss));
    QVERIFY(sameBits(a.checkpointDataLoss, b.checkpointDataLoss));
    QCOMPARE(a.learningRateHalvings, b.learningRateHalvings);
    QCOMPARE(a.faults.size(), b.faults.size());
}

// Sets the value at a path of object keys and array indices ("runs", "0", "config", "kind").
QJsonValue setAt(const QJsonValue &node, const QStringList &path, const QJsonValue &value)
{
    if (path.isEmpty())
        return value;
    const QStringList rest = path.mid(1);
    if (node.isArray()) {
        QJsonArray a = node.toArray();
        const int i = path.front().toInt();
        a[i] = setAt(a[i], rest, value);
        return a;
    }
    QJsonObject o = node.toObject();
    o[path.front()] = setAt(o.value(path.front()), rest, value);
    return o;
}

QJsonValue valueAt(QJsonValue node, const QStringList &path)
{
    for (const QString &key : path)
        node = node.isArray() ? node.toArray().at(key.toInt()) : node.toObject().value(key);
    return node;
}

QByteArray document(const QJsonObject &root, bool reseal = true)
{
    return reseal ? sealSession(root) : QJsonDocument(root).toJson();
}

QString base64Of(const QByteArray &bytes) { return QString::fromLatin1(bytes.toBase64()); }

template <typename T>
QByteArray littleEndianBytes(T value)
{
    QByteArray b(sizeof(T), Qt::Uninitialized);
    qToLittleEndian(value, b.data());
    return b;
}

// The mixture of an MDN trainer evaluated in double precision from its float32 weights (what
// scripts/session-density.py computes), in data units; Trainer::mixtureAt evaluates in float32.
Mixture doublePrecisionMixture(const Trainer &t, const Eigen::MatrixXd &X)
{
    const Standardiser &st = t.standardiser();
    Eigen::MatrixXd Xs(X.rows(), X.cols());
    for (Eigen::Index c = 0; c < X.rows(); ++c)
        Xs.row(c) = (X.row(c).array() - st.xMean[std::size_t(c)]) / st.xScale[std::size_t(c)];
    const Mlp<double> net = t.net().cast<double>();
    Mlp<double>::Workspace ws;
    const int K = t.config().mixtures, D = t.targetDims();
    Mixture m;
    m.dims = D;
    mixtureParameters<double>(net.forward(Xs, ws), K, D, t.config().sigmaFloor, 1.0, 1.0, m.pi, m.mu, m.sigma);
    for (int k = 0; k < K; ++k)
        for (int d = 0; d < D; ++d) {
            const Eigen::Index r = Eigen::Index(k) * D + d;
            m.mu.row(r) = m.mu.row(r) * st.yScale[std::size_t(d)] + st.yMean[std::size_t(d)];
            m.sigma.row(r) *= st.yScale[std::size_t(d)];
        }
    return m;
}

double density(const Mixture &m, Eigen::Index column, double y)
{
    double p = 0.0;
    for (int k = 0; k < m.components(); ++k)
        p += m.pi(k, column) * gaussianPdf(y, m.mean(k, column), m.width(k, column));
    return p;
}

// A python3 that has numpy, or empty.
QString pythonWithNumpy()
{
    for (const QString &candidate : {QStringLiteral("python3"), QStringLiteral("/usr/bin/python3")}) {
        QProcess p;
        p.start(candidate, {"-c", "import numpy"});
        if (p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            return candidate;
    }
    return {};
}

} // namespace

class TestSessionFile : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void jsonNumbersRoundTripExactly();
    void aReopenedSessionTrainsOnBitIdentically();
    void severalRunsAndDimensionsComeBackExactly();
    void theNumpyReaderFindsTheSameDensity();
    void badFilesAreRefused_data();
    void badFilesAreRefused();
    void bitFlipsAreRefused();
    void oversizedFilesAreRefusedUnread();
    void aFailedWriteKeepsTheOldFile();

private:
    QByteArray save(const Session &s, const QJsonObject &view = {});

    QTemporaryDir m_dir;
    QByteArray m_small;        // one input, 60 points, an MSE and an MDN run, 5 epochs
    QJsonObject m_smallRoot;
    QJsonObject m_otherPoints; // the "data" of the same problem with 80 points
    QJsonObject m_otherDims;   // the "data" of 60 points with 3 inputs and 2 targets
    QJsonObject m_otherValues; // the "data" of 60 other points
};

QByteArray TestSessionFile::save(const Session &s, const QJsonObject &view)
{
    const QString path = m_dir.filePath("save.mdnsession");
    QString error;
    if (!writeSessionFile(path, s, Settings(), view, &error))
        qFatal("%s", qPrintable(error));
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot reopen %s", qPrintable(path));
    return f.readAll();
}

void TestSessionFile::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const std::vector<TrainConfig> runs = {config(ModelKind::Mse, 4), config(ModelKind::Mdn, 4, 2)};
    SessionOptions options;
    options.validationPercent = 20;
    Session small(inverseData(60), options, runs);
    small.train(5);
    m_small = save(small);
    m_smallRoot = QJsonDocument::fromJson(m_small).object();
    QVERIFY(!m_smallRoot.isEmpty());

    const auto dataOf = [&](std::shared_ptr<const Dataset> d, const std::vector<TrainConfig> &r) {
        Session s(std::move(d), options, r);
        return QJsonDocument::fromJson(save(s)).object().value("data").toObject();
    };
    m_otherPoints = dataOf(inverseData(80), runs);
    m_otherDims = dataOf(wideData(60), runs);
    m_otherValues = dataOf(inverseData(60, 2), runs);
}

void TestSessionFile::jsonNumbersRoundTripExactly()
{
    // The writer stores doubles as JSON numbers: Qt must write the shortest text that reads back
    // to the same bits, for any double.
    std::vector<double> values = {0.1, 1.0 / 3.0, 2.0 / 3.0, 1e-300, 4.9406564584124654e-324,
                                  std::numeric_limits<double>::max(), std::numeric_limits<double>::min(),
                                  std::nextafter(1.0, 2.0), 9007199254740993.0, 1e22, 123456789012345678.0,
                                  -2.5e-8, 3.0};
    Rng rng(3);
    for (int i = 0; i < 20000; ++i) {
        std::uint64_t bits = rng.next();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        if (std::isfinite(d))
            values.push_back(d);
        values.push_back(rng.normal() * std::pow(10.0, rng.uniform(-30, 30)));
    }
    QJsonArray a;
    for (double d : values)
        a.append(d);
    const QJsonArray back = QJsonDocument::fromJson(QJsonDocument(a).toJson(QJsonDocument::Compact)).array();
    QCOMPARE(back.size(), a.size());
    for (qsizetype i = 0; i < back.size(); ++i)
        if (!sameBits(back.at(i).toDouble(), values[std::size_t(i)]))
            QFAIL(qPrintable(QStringLiteral("%1 came back as %2").arg(values[std::size_t(i)], 0, 'g', 17)
                                 .arg(back.at(i).toDouble(), 0, 'g', 17)));
}

void TestSessionFile::aReopenedSessionTrainsOnBitIdentically()
{
    // An MSE net, an MDN (full batch, Adam) and an MDN on mini-batches with RMSProp.
    std::vector<TrainConfig> runs = {defaultConfig(ModelKind::Mse), defaultConfig(ModelKind::Mdn),
                                     defaultConfig(ModelKind::Mdn)};
    runs[2].batch = 64;
    runs[2].optimizer = optimizerDefaults(OptimizerKind::RMSProp, 0.003);
    runs[2].seed = 5;
    const auto data = inverseData(1000);

    Session straight(data, withGenerator(1000), runs);
    QCOMPARE(straight.train(3000), 3000L);

    Session first(data, withGenerator(1000), runs);
    QCOMPARE(first.train(1000), 1000L);
    const QJsonObject view{{"tab", "density"}, {"target", 0}};
    save(first, view);
    QString error;
    const std::optional<SessionFile> file = readSessionFile(m_dir.filePath("save.mdnsession"), &error);
    QVERIFY2(file, qPrintable(error));
    QCOMPARE(file->view, view);
    const std::unique_ptr<Session> resumed = makeSession(*file, &error);
    QVERIFY2(resumed, qPrintable(error));
    QCOMPARE(resumed->epoch(), 1000L);
    QCOMPARE(resumed->train(2000), 2000L);

    for (std::size_t i = 0; i < runs.size(); ++i) {
        QVERIFY(sameBits(resumed->trainer(i).net().parameters(), straight.trainer(i).net().parameters()));
        QVERIFY(resumed->history(i) == straight.history(i));
        QVERIFY(sameBits(resumed->trainer(i).lastLoss(), straight.trainer(i).lastLoss()));
        compareStates(resumed->trainer(i).state(), straight.trainer(i).state());
    }
}

void TestSessionFile::severalRunsAndDimensionsComeBackExactly()
{
    std::vector<TrainConfig> runs = {config(ModelKind::Mdn, 8, 1), config(ModelKind::Mdn, 6, 5),
                                     config(ModelKind::Mse, 5)};
    runs[1].hidden = {6, 7};
    runs[1].batch = 32; // mini-batches: the order and the cursor are part of the state
    SessionOptions options;
    options.validationPercent = 25;
    options.splitSeed = 0xfedcba9876543210ULL;
    Session s(wideData(300), options, runs);
    s.train(40);
    Settings settings;
    settings.mixtures = 5;
    settings.learningRate = 0.0123456789;
    settings.seed = 0xffffffffffffULL;
    settings.filePath = "wide data/ünïcode.csv";
    const QString path = m_dir.filePath("wide.mdnsession");
    QString error;
    QVERIFY2(writeSessionFile(path, s, settings, {{"tab", 2}}, &error), qPrintable(error));
    const std::optional<SessionFile> file = readSessionFile(path, &error);
    QVERIFY2(file, qPrintable(error));

    QVERIFY(file->settings == settings);
    QCOMPARE(file->settings.filePath, settings.filePath);
    const Dataset &d = *file->data, &o = s.data();
    QVERIFY(d.x == o.x && d.y == o.y);
    QCOMPARE(d.inputDims, 3);
    QCOMPARE(d.targetDims, 2);
    QVERIFY(d.inputNames == o.inputNames && d.targetNames == o.targetNames);
    QCOMPARE(d.name, o.name);
    QCOMPARE(file->options.splitSeed, options.splitSeed);
    QVERIFY(!file->options.generator);
    QCOMPARE(file->runs.size(), std::size_t(3));
    QVERIFY(file->runs[1].hidden == runs[1].hidden);
    QCOMPARE(file->runs[1].mixtures, 5);
    QCOMPARE(file->runs[2].kind, ModelKind::Mse);
    const Session::State state = s.state();
    for (std::size_t i = 0; i < runs.size(); ++i) {
        compareStates(file->state.trainers[i], state.trainers[i]);
        QVERIFY(file->state.histories[i] == state.histories[i]);
        QCOMPARE(file->state.histories[i].validation.size(), state.histories[i].validation.size());
    }
    const std::unique_ptr<Session> again = makeSession(*file, &error);
    QVERIFY2(again, qPrintable(error));
    // Each run's best weights come back: the same epoch, loss and answers.
    for (std::size_t i = 0; i < runs.size(); ++i) {
        QVERIFY(s.bestEpoch(i) >= 0);
        QCOMPARE(again->bestEpoch(i), s.bestEpoch(i));
        QCOMPARE(again->bestValidation(i), s.bestValidation(i));
        const Dataset &v = s.validationData();
        Eigen::MatrixXd X(v.inputDims, Eigen::Index(v.size()));
        for (std::size_t j = 0; j < v.size(); ++j)
            for (int c = 0; c < v.inputDims; ++c)
                X(c, Eigen::Index(j)) = v.input(j, c);
        QVERIFY(again->bestPredictor(i).predictAt(X) == s.bestPredictor(i).predictAt(X));
    }
    // And a file written from the reopened session is the same file.
    const QString second = m_dir.filePath("wide2.mdnsession");
    QVERIFY2(writeSessionFile(second, *again, file->settings, file->view, &error), qPrintable(error));
    QFile a(path), b(second);
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    QJsonObject ja = QJsonDocument::fromJson(a.readAll()).object(), jb = QJsonDocument::fromJson(b.readAll()).object();
    // Only the time spent differs: the reopened session has not trained (its seconds are the same).
    QCOMPARE(ja, jb);
}

void TestSessionFile::theNumpyReaderFindsTheSameDensity()
{
    const QString python = pythonWithNumpy();
    if (python.isEmpty())
        QSKIP("no python3 with numpy here (scripts/deps installs python3-numpy)");
    TrainConfig mdnConfig = defaultConfig(ModelKind::Mdn);
    Session s(inverseData(1000), withGenerator(1000), {defaultConfig(ModelKind::Mse), mdnConfig});
    s.train(300);
    save(s);
    // At every x, targets where the mixture has most of its mass: each likely component's mean,
    // and half a width and a width and a half away from it.
    const Trainer &t = s.trainer(*s.firstRun(ModelKind::Mdn));
    const std::vector<double> xs = {-8.0, -2.5, 0.0, 1.0, 7.5};
    Eigen::MatrixXd X(1, Eigen::Index(xs.size()));
    for (std::size_t j = 0; j < xs.size(); ++j)
        X(0, Eigen::Index(j)) = xs[j];
    const Mixture m = t.mixtureAt(X);
    std::vector<double> ys;
    for (Eigen::Index j = 0; j < X.cols(); ++j)
        for (int k = 0; k < m.components(); ++k)
            if (m.pi(k, j) > 0.05)
                for (double z : {0.0, 0.5, -1.5})
                    ys.push_back(m.mean(k, j) + z * m.width(k, j));
    QStringList args = {QStringLiteral(MDNVIZ_SOURCE_DIR "/scripts/session-density.py"), m_dir.filePath("save.mdnsession"),
                        "--x"};
    for (double x : xs)
        args << QString::number(x, 'g', 17);
    args << "--y";
    for (double y : ys)
        args << QString::number(y, 'g', 17);
    QProcess p;
    p.start(python, args);
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), qsizetype(xs.size() * ys.size()));

    // The script evaluates the network in double precision: against the same evaluation here it
    // agrees to rounding; against mdnviz's own float32 evaluation, to float32's precision.
    const Mixture exact = doublePrecisionMixture(t, X);
    double worstExact = 0.0, worstFloat = 0.0;
    for (std::size_t j = 0; j < xs.size(); ++j)
        for (std::size_t i = 0; i < ys.size(); ++i) {
            const QStringList f = lines[qsizetype(j * ys.size() + i)].split(' ');
            QCOMPARE(f.size(), qsizetype(3));
            QCOMPARE(f[0].toDouble(), xs[j]);
            QCOMPARE(f[1].toDouble(), ys[i]);
            const double q = f[2].toDouble();
            const double p = density(exact, Eigen::Index(j), ys[i]), pf = density(m, Eigen::Index(j), ys[i]);
            QVERIFY(p > 0.0 && pf > 0.0);
            worstExact = std::max(worstExact, std::abs(q - p) / p);
            worstFloat = std::max(worstFloat, std::abs(q - pf) / pf);
        }
    qInfo("numpy reader vs mdnviz: largest relative difference %.3g (double precision), %.3g (float32)",
          worstExact, worstFloat);
    QVERIFY2(worstExact < 1e-6, qPrintable(QStringLiteral("relative difference %1").arg(worstExact)));
    QVERIFY2(worstFloat < 1e-3, qPrintable(QStringLiteral("relative difference %1").arg(worstFloat)));
}

void TestSessionFile::badFilesAreRefused_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("atRestore"); // refused by makeSession, not by the reader

    const QJsonObject root = m_smallRoot;
    const auto edit = [&](const QString &path, const QJsonValue &v, bool reseal = true) {
        return document(setAt(root, path.split('.'), v).toObject(), reseal);
    };
    const auto row = [](const char *name, const QByteArray &bytes, const QString &reason, bool atRestore = false) {
        QTest::newRow(name) << bytes << reason << atRestore;
    };
    const QString params = "runs.1.state.parameters.base64";
    const QString b64 = valueAt(root, params.split('.')).toString();

    row("empty", {}, "not valid JSON");
    row("not JSON", "GIF89a\x01\x02", "not valid JSON");
    row("truncated", m_small.left(m_small.size() / 2), "not valid JSON");
    row("truncated at the end", m_small.left(m_small.size() - 3), "not valid JSON");
    row("JSON array", "[1, 2, 3]", "not an object");
    row("another format", edit("format", "mdnviz-settings"), "not a session file");
    row("newer version", edit("version", 2), "version 2 is not supported; this mdnviz reads version 1");
    row("edited without its checksum", edit("view", QJsonObject{{"tab", 1}}, false), "checksum");
    row("missing data", document([&] { QJsonObject r = root; r.remove("data"); return r; }()), "data: missing");
    row("10^12 x 10^12 matrix", edit("data.x.shape", QJsonArray{1e12, 1e12}), "more than 2^40");
    row("10^12 points declared",
        edit("data", setAt(setAt(root["data"], {"points"}, 1e12), {"x", "shape"}, QJsonArray{1e12, 1}).toObject()),
        "outside 1 .. 4294967295");
    row("4e9 points declared",
        edit("data", setAt(setAt(setAt(root["data"], {"points"}, 4e9), {"x", "shape"}, QJsonArray{4e9, 1}),
                           {"y", "shape"}, QJsonArray{4e9, 1}).toObject()),
        "characters; 4000000000 values of 8 bytes need");
    row("base64 longer than declared", edit(params, b64 + "AAAA"), "characters;");
    row("base64 shorter than declared", edit(params, b64.left(b64.size() - 4)), "characters;");
    row("base64 with bad characters", edit(params, "!!!!" + b64.mid(4)), "not valid base64");
    row("wrong dtype", edit("runs.1.state.parameters.dtype", "float64"), "expected float32");
    row("NaN weight",
        edit(params, base64Of(littleEndianBytes(std::numeric_limits<float>::quiet_NaN()) +
                              QByteArray::fromBase64(b64.toLatin1()).mid(4))),
        "parameters: value 0 is not a finite number");
    row("infinite data value",
        edit("data.y.base64",
             base64Of(littleEndianBytes(std::numeric_limits<double>::infinity()) +
                      QByteArray::fromBase64(valueAt(root, {"data", "y", "base64"}).toString().toLatin1()).mid(8))),
        "data.y: value 0 is not a finite number");
    row("negative epoch", edit("runs.0.state.epoch", -3), "runs[0].state.epoch: -3 is outside");
    row("fractional epoch", edit("runs.0.state.epoch", 2.5), "expected a whole number");
    row("epoch as text", edit("runs.0.state.epoch", "5"), "expected a whole number");
    row("unknown model kind", edit("runs.0.config.kind", "gan"), "unknown model kind 'gan'");
    row("setting out of range", edit("settings.mixtures", "1000"), "settings.mixtures: expected a whole number from 1 to 256");
    row("unknown setting", edit("settings.colour", "blue"), "settings.colour: unknown setting");
    row("learning rate zero", edit("runs.1.config.optimizer.learningRate", 0), "learningRate: 0 is outside");
    row("epsilon zero", edit("runs.1.state.optimizer.config.epsilon", 0), "epsilon: 0 is outside");
    row("beta2 of 1", edit("runs.1.config.optimizer.beta2", 1), "beta2: must be below 1");
    row("sigma floor zero", edit("runs.1.config.sigmaFloor", 0), "sigmaFloor: 0 is outside");
    row("no runs", edit("runs", QJsonArray{}), "at least one run");
    row("data with other dimensions than its runs", edit("data", m_otherDims),
        "(the data do not match the run)");
    row("more points than the runs' order", edit("data", m_otherPoints),
        "runs[0].state.order.shape: [48] does not fit: expected [64]");
    row("order not a permutation",
        edit("runs.0.state.order.base64", QString(QByteArray(48 * 4, '\0').toBase64())), "not a permutation");
    row("batch cursor past the points", edit("runs.0.state.batchCursor", 48), "batchCursor: 48 is outside 0 .. 47");
    row("all-zero generator state",
        edit("runs.0.state.rng.s", QJsonArray{"0", "0", "0", "0"}), "all-zero generator state");
    row("seed not hex", edit("runs.0.config.seed", "xyz"), "expected up to 16 hex digits");
    row("history from epoch 0", edit("runs.0.history.recentFirst", 0), "recentFirst: 0 is outside");
    row("overview of another capacity", edit("runs.0.history.overview.capacity", 100),
        "the overview's capacity is 100; it must be 8192");
    row("validation percent 150", edit("options.validationPercent", 150), "validationPercent: 150 is outside 0 .. 90");
    row("unknown generator", edit("options.generator.name", "spiral"), "expected sinusoid");
    row("view not an object", edit("view", 3), "view: expected an object");
    row("other data of the same shape", edit("data", m_otherValues),
        "run 1 was trained on other data or another split", true);
    row("history at another epoch than its run", edit("runs.1.state.epoch", 4),
        "run 2's loss history ends at epoch 5 but the run is at epoch 4", true);
    row("best weights after the last epoch", edit("runs.1.best.epoch", 6),
        "run 2's best weights are of epoch 6, after its last epoch 5", true);
    row("best weights' loss not finite", edit("runs.1.best.validation", "nan"),
        "runs[1].best.validation: expected a finite number", false);
}

void TestSessionFile::badFilesAreRefused()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reason);
    QFETCH(bool, atRestore);
    const QString path = m_dir.filePath("bad.mdnsession");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
    f.close();
    QString error;
    const std::optional<SessionFile> file = readSessionFile(path, &error);
    if (atRestore) {
        QVERIFY2(file, qPrintable(error));
        QVERIFY(!makeSession(*file, &error));
    } else {
        QVERIFY(!file);
        QVERIFY2(error.startsWith("cannot read session '" + path + "': "), qPrintable(error));
    }
    QVERIFY2(error.contains(reason), qPrintable(error));
    QVERIFY2(!error.contains('\n'), qPrintable(error));
}

void TestSessionFile::bitFlipsAreRefused()
{
    // The checksum is the documented one: SHA-256 of the bytes with its own digits set to "0".
    const QByteArray digits = m_smallRoot.value("sha256").toString().toLatin1();
    QCOMPARE(digits.size(), qsizetype(64));
    QByteArray zeroed = m_small;
    zeroed.replace(m_small.indexOf(digits), 64, QByteArray(64, '0'));
    QCOMPARE(QCryptographicHash::hash(zeroed, QCryptographicHash::Sha256).toHex(), digits);

    // Any flipped bit, whether it breaks the JSON, a base64 array, a number or a name, is refused.
    Rng rng(11);
    for (int i = 0; i < 200; ++i) {
        QByteArray bytes = m_small;
        const qsizetype at = qsizetype(rng.below(std::uint64_t(bytes.size())));
        bytes[at] = char(bytes[at] ^ (1 << rng.below(8)));
        QString error;
        QVERIFY2(!decodeSession(bytes, &error), qPrintable(QStringLiteral("byte %1").arg(at)));
        QVERIFY(!error.isEmpty());
    }
}

void TestSessionFile::oversizedFilesAreRefusedUnread()
{
    // A sparse file of 5 GiB: refused from its size, before a byte is read.
    const QString path = m_dir.filePath("huge.mdnsession");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    if (!f.resize(qint64(5) << 30))
        QSKIP("this file system cannot hold a sparse 5 GiB file");
    f.close();
    QString error;
    QVERIFY(!readSessionFile(path, &error));
    QVERIFY2(error.contains("session files of more than 4294967296 are refused"), qPrintable(error));
    QFile::remove(path);
    QVERIFY(!readSessionFile(m_dir.filePath("missing.mdnsession"), &error));
    QVERIFY2(error.contains("missing.mdnsession': no such file"), qPrintable(error));
}

void TestSessionFile::aFailedWriteKeepsTheOldFile()
{
    Session s(inverseData(60), SessionOptions(), {config(ModelKind::Mdn, 4, 2)});
    const QString path = m_dir.filePath("missing-folder/x.mdnsession");
    QString error;
    QVERIFY(!writeSessionFile(path, s, Settings(), {}, &error));
    QVERIFY2(error.contains("x.mdnsession"), qPrintable(error));
    // Over an existing file: the old content stays when the new one cannot be written.
    const QString ro = m_dir.filePath("readonly.mdnsession");
    QVERIFY(writeSessionFile(ro, s, Settings(), {}, &error));
    QVERIFY(QFile::setPermissions(ro, QFile::ReadOwner));
    s.train(2);
    if (QFile(ro).open(QIODevice::ReadWrite))
        QSKIP("running as a user who may write read-only files");
    QVERIFY(!writeSessionFile(ro, s, Settings(), {}, &error));
    QVERIFY2(error.contains("readonly.mdnsession"), qPrintable(error));
    QString readError;
    const std::optional<SessionFile> old = readSessionFile(ro, &readError);
    QVERIFY2(old, qPrintable(readError));
    QCOMPARE(old->state.trainers[0].epoch, 0L);
}

QTEST_MAIN(TestSessionFile)
#include "tst_sessionfile.moc"
