// Writing session files, reading them from disk, and rebuilding the session. The checks of the
// content are in sessionread.cpp.

#include "sessionfile.h"

#include "safewrite.h"
#include "split.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QCryptographicHash>
#include <QtEndian>

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace mdnviz {

namespace {

// Doubles are JSON numbers (Qt writes the shortest text that reads back to the same bits);
// the values JSON has no number for are strings.
QJsonValue number(double v)
{
    if (std::isnan(v))
        return QStringLiteral("nan");
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    if (v == 0.0 && std::signbit(v))
        return QStringLiteral("-0");
    return v;
}

// 64-bit seeds and generator states do not fit a JSON number exactly: 16 hex digits.
QJsonValue hex(std::uint64_t v) { return QStringLiteral("%1").arg(qulonglong(v), 16, 16, QLatin1Char('0')); }

template <typename T, typename U>
QByteArray littleEndian(const U *values, std::size_t n)
{
    static_assert(sizeof(T) == sizeof(U));
    QByteArray bytes(qsizetype(n * sizeof(T)), Qt::Uninitialized);
    char *out = bytes.data();
    for (std::size_t i = 0; i < n; ++i) {
        T bits;
        std::memcpy(&bits, &values[i], sizeof(T));
        qToLittleEndian(bits, out + i * sizeof(T));
    }
    return bytes;
}

// {"dtype", "shape", "base64"}: a packed little-endian array, row-major over its shape.
QJsonObject array(const char *dtype, const QJsonArray &shape, const QByteArray &bytes)
{
    return {{"dtype", QLatin1String(dtype)}, {"shape", shape}, {"base64", QString::fromLatin1(bytes.toBase64())}};
}

QJsonObject float64s(const std::vector<double> &v, const QJsonArray &shape)
{
    return array("float64", shape, littleEndian<quint64>(v.data(), v.size()));
}

QJsonObject float64s(const std::vector<double> &v) { return float64s(v, {qint64(v.size())}); }

QJsonObject float32s(const Eigen::VectorXf &v)
{
    return array("float32", {qint64(v.size())}, littleEndian<quint32>(v.data(), std::size_t(v.size())));
}

QJsonObject int64s(const std::vector<long> &v)
{
    std::vector<qint64> w(v.begin(), v.end());
    return array("int64", {qint64(w.size())}, littleEndian<quint64>(w.data(), w.size()));
}

QJsonObject uint32s(const std::vector<std::size_t> &v)
{
    std::vector<quint32> w(v.size());
    for (std::size_t i = 0; i < v.size(); ++i)
        w[i] = quint32(v[i]);
    return array("uint32", {qint64(w.size())}, littleEndian<quint32>(w.data(), w.size()));
}

QJsonArray numbers(const std::vector<double> &v)
{
    QJsonArray a;
    for (double d : v)
        a.append(number(d));
    return a;
}

QJsonArray strings(const std::vector<std::string> &v)
{
    QJsonArray a;
    for (const std::string &s : v)
        a.append(QString::fromStdString(s));
    return a;
}

QJsonObject optimizerConfig(const mdn::OptimizerConfig &c)
{
    return {{"kind", mdn::optimizerName(c.kind)}, {"learningRate", number(c.learningRate)},
            {"beta1", number(c.beta1)},           {"beta2", number(c.beta2)},
            {"epsilon", number(c.epsilon)},       {"weightDecay", number(c.weightDecay)}};
}

QJsonObject optimizerState(const mdn::Optimizer<float>::State &s)
{
    return {{"config", optimizerConfig(s.config)}, {"step", qint64(s.step)}, {"m", float32s(s.m)},
            {"v", float32s(s.v)}};
}

QJsonObject config(const mdn::TrainConfig &c)
{
    QJsonArray hidden;
    for (int h : c.hidden)
        hidden.append(h);
    return {{"kind", mdn::modelName(c.kind)},
            {"hidden", hidden},
            {"mixtures", c.mixtures},
            {"optimizer", optimizerConfig(c.optimizer)},
            {"batch", qint64(c.batch)},
            {"seed", hex(c.seed)},
            {"sigmaFloor", number(c.sigmaFloor)},
            {"initGain", number(c.initGain)},
            {"outputGain", number(c.outputGain)},
            {"maxRecoveries", c.maxRecoveries},
            {"checkpointEvery", c.checkpointEvery}};
}

// What a reader outside mdnviz needs to evaluate the network (see scripts/session-density.py).
QJsonObject architecture(const mdn::Trainer &t)
{
    const mdn::Trainer::Net &net = t.net();
    QJsonArray sizes;
    for (int s : net.sizes())
        sizes.append(s);
    const mdn::Standardiser &st = t.standardiser();
    QJsonObject a{{"layerSizes", sizes},
                  {"hiddenActivation", "tanh"},
                  {"outputActivation", "linear"},
                  {"parameterLayout", "for each layer l: W_l (sizes[l+1] x sizes[l], column-major), then b_l "
                                      "(sizes[l+1]); hidden = tanh(W x + b), output = W h + b"},
                  {"parameterCount", qint64(net.parameterCount())},
                  {"inputDims", t.inputDims()},
                  {"targetDims", t.targetDims()},
                  {"standardiser", QJsonObject{{"xMean", numbers(st.xMean)}, {"xScale", numbers(st.xScale)},
                                               {"yMean", numbers(st.yMean)}, {"yScale", numbers(st.yScale)}}},
                  {"inputTransform", "x_std = (x - xMean) / xScale; mdnviz rounds it to float32 and evaluates in float32"}};
    if (t.config().kind == mdn::ModelKind::Mdn) {
        a["mixtures"] = t.config().mixtures;
        a["sigmaFloor"] = number(t.config().sigmaFloor);
        a["maxLogSigma"] = mdn::kMaxLogSigma;
        a["outputLayout"] = "K logits a, then K*D means mu (component k, dimension d at K + k*D + d), then "
                            "K*D width parameters s; pi = softmax(a), sigma = sigmaFloor + exp(min(s, maxLogSigma)), "
                            "in standardised units: y = mu * yScale + yMean, sigma * yScale";
    } else {
        a["outputLayout"] = "D predictions in standardised units: y = out * yScale + yMean";
    }
    return a;
}

QJsonObject trainerState(const mdn::TrainerState &s)
{
    const mdn::Rng::State &r = s.rng;
    QJsonArray faults;
    for (const mdn::FaultEvent &f : s.faults)
        faults.append(QJsonObject{{"epoch", qint64(f.epoch)}, {"message", QString::fromStdString(f.message)}});
    return {{"epoch", qint64(s.epoch)},
            {"lastLoss", number(s.lastLoss)},
            {"gradientNorm", number(s.gradientNorm)},
            {"failed", s.failed},
            {"parameters", float32s(s.parameters)},
            {"optimizer", optimizerState(s.optimizer)},
            {"rng", QJsonObject{{"s", QJsonArray{hex(r.s[0]), hex(r.s[1]), hex(r.s[2]), hex(r.s[3])}},
                                {"spare", number(r.spare)},
                                {"hasSpare", r.hasSpare}}},
            {"order", uint32s(s.order)},
            {"epochOpen", s.epochOpen},
            {"batchCursor", qint64(s.batchCursor)},
            {"epochLoss", number(s.epochLoss)},
            {"epochDataLoss", number(s.epochDataLoss)},
            {"checkpointParameters", float32s(s.checkpointParameters)},
            {"checkpointOptimizer", optimizerState(s.checkpointOptimizer)},
            {"checkpointEpoch", qint64(s.checkpointEpoch)},
            {"checkpointLoss", number(s.checkpointLoss)},
            {"checkpointDataLoss", number(s.checkpointDataLoss)},
            {"learningRateHalvings", s.learningRateHalvings},
            {"faults", faults}};
}

template <typename P>
QJsonObject points(const std::vector<P> &ps)
{
    std::vector<long> epochs;
    std::vector<double> values;
    for (const P &p : ps) {
        epochs.push_back(p.epoch);
        values.push_back(p.value);
    }
    return {{"epochs", int64s(epochs)}, {"values", float64s(values)}};
}

QJsonObject history(const mdn::RunHistory &h)
{
    const mdn::RunHistory::Saved s = h.saved();
    QJsonObject overview{{"capacity", qint64(s.overview.capacity)},
                         {"stride", qint64(s.overview.stride)},
                         {"kept", points(s.overview.kept)}};
    if (s.overview.hasLatest)
        overview["latest"] = QJsonObject{{"epoch", qint64(s.overview.latest.epoch)},
                                         {"value", number(s.overview.latest.value)}};
    return {{"recentFirst", qint64(s.recentFirst)},
            {"recent", float64s(s.recent)},
            {"overview", overview},
            {"validation", points(s.validation)},
            {"seconds", number(s.seconds)}};
}

QJsonObject dataset(const mdn::Dataset &d)
{
    const qint64 n = qint64(d.size());
    return {{"name", QString::fromStdString(d.name)},
            {"points", n},
            {"inputDims", d.inputDims},
            {"targetDims", d.targetDims},
            {"inputNames", strings(d.inputNames)},
            {"targetNames", strings(d.targetNames)},
            {"x", float64s(d.x, {n, d.inputDims})},
            {"y", float64s(d.y, {n, d.targetDims})}};
}

QJsonObject sessionOptions(const mdn::SessionOptions &o)
{
    QJsonObject j{{"validationPercent", number(o.validationPercent)}, {"splitSeed", hex(o.splitSeed)}};
    if (o.generator)
        j["generator"] = QJsonObject{{"name", mdn::generatorName(o.generator->generator)},
                                     {"points", qint64(o.generator->points)},
                                     {"noise", number(o.generator->noise)},
                                     {"seed", hex(o.generator->seed)}};
    return j;
}

} // namespace

namespace {

constexpr qsizetype kChecksumDigits = 64;

// Where the digits of the root's "sha256": "<digits>" member start in the bytes, or -1.
qsizetype checksumOffset(const QByteArray &bytes, const QByteArray &digits)
{
    const QByteArray key = QByteArrayLiteral("\"sha256\"");
    for (qsizetype at = bytes.indexOf(key); at >= 0; at = bytes.indexOf(key, at + 1)) {
        qsizetype i = at + key.size();
        while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t'))
            ++i;
        if (i >= bytes.size() || bytes[i] != ':')
            continue;
        ++i;
        while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t'))
            ++i;
        if (i < bytes.size() && bytes[i] == '"' && bytes.mid(i + 1, kChecksumDigits) == digits &&
            bytes.size() > i + 1 + kChecksumDigits && bytes[i + 1 + kChecksumDigits] == '"')
            return i + 1;
    }
    return -1;
}

QByteArray checksumOf(const QByteArray &bytes, qsizetype offset)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArrayView(bytes).first(offset));
    hash.addData(QByteArray(kChecksumDigits, '0'));
    hash.addData(QByteArrayView(bytes).sliced(offset + kChecksumDigits));
    return hash.result().toHex();
}

} // namespace

QByteArray sealSession(QJsonObject root)
{
    const QByteArray zeros(kChecksumDigits, '0');
    root["sha256"] = QString::fromLatin1(zeros);
    QByteArray bytes = QJsonDocument(root).toJson(QJsonDocument::Indented);
    const qsizetype offset = checksumOffset(bytes, zeros);
    Q_ASSERT(offset >= 0); // Qt writes the member as "sha256": "<digits>"
    bytes.replace(offset, kChecksumDigits, checksumOf(bytes, offset));
    return bytes;
}

bool sessionChecksumMatches(const QByteArray &bytes, const QString &digits)
{
    const QByteArray d = digits.toLatin1();
    if (digits.size() != kChecksumDigits || d.toLower() != d)
        return false;
    const qsizetype offset = checksumOffset(bytes, d);
    return offset >= 0 && checksumOf(bytes, offset) == d;
}

QByteArray encodeSession(const mdn::Session &session, const mdn::Settings &settings, const QJsonObject &view)
{
    if (session.data().size() > std::numeric_limits<quint32>::max())
        throw std::invalid_argument("a session file holds at most 4294967295 points");
    QJsonObject settingsJson;
    for (const mdn::SettingSpec &spec : mdn::settingsTable())
        settingsJson[QLatin1String(spec.key)] = QString::fromStdString(spec.get(settings));
    const mdn::Session::State state = session.state();
    QJsonArray runs;
    for (std::size_t i = 0; i < session.runCount(); ++i) {
        const mdn::Trainer &t = session.trainer(i);
        QJsonObject run{{"config", config(t.config())},
                        {"architecture", architecture(t)},
                        {"state", trainerState(state.trainers[i])},
                        {"history", history(state.histories[i])}};
        // The weights of its best held-out loss (early stopping), when it has been scored.
        const mdn::Session::BestWeights &best = state.best[i];
        if (best.epoch >= 0)
            run.insert(QStringLiteral("best"), QJsonObject{{"epoch", qint64(best.epoch)},
                                                          {"validation", number(best.validation)},
                                                          {"parameters", float32s(best.parameters)}});
        runs.append(run);
    }
    QJsonObject root{{"format", kSessionFormat},
                           {"version", kSessionVersion},
                           {"application", "mdnviz " MDNVIZ_VERSION},
                           {"settings", settingsJson},
                           {"data", dataset(session.data())},
                           {"options", sessionOptions(session.options())},
                           {"runs", runs},
                           {"view", view}};
    return sealSession(root);
}

bool writeSessionFile(const QString &path, const mdn::Session &session, const mdn::Settings &settings,
                      const QJsonObject &view, QString *error)
{
    QByteArray bytes;
    try {
        bytes = encodeSession(session, settings, view);
    } catch (const std::exception &e) {
        if (error)
            *error = QStringLiteral("cannot write '%1': %2").arg(path, QString::fromStdString(e.what()));
        return false;
    }
    std::string why;
    if (!mdn::writeFileAtomically(QFile::encodeName(path).toStdString(),
                                  std::string_view(bytes.constData(), std::size_t(bytes.size())), why)) {
        if (error)
            *error = QString::fromStdString(why);
        return false;
    }
    return true;
}

std::optional<SessionFile> readSessionFile(const QString &path, QString *error)
{
    const auto fail = [&](const QString &why) {
        if (error)
            *error = QStringLiteral("cannot read session '%1': %2").arg(path, why);
        return std::nullopt;
    };
    const QFileInfo info(path);
    if (!info.exists())
        return fail(QStringLiteral("no such file"));
    if (!info.isFile())
        return fail(QStringLiteral("not a regular file"));
    if (info.size() > kMaxSessionFileBytes)
        return fail(QStringLiteral("the file has %1 bytes; session files of more than %2 are refused")
                        .arg(info.size())
                        .arg(kMaxSessionFileBytes));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(file.errorString());
    // One byte more than measured (read() sizes its buffer to what it is asked for): a file
    // that grew since is refused rather than read without a bound.
    const QByteArray bytes = file.read(info.size() + 1);
    if (file.error() != QFileDevice::NoError)
        return fail(file.errorString());
    if (bytes.size() > info.size())
        return fail(QStringLiteral("the file changed while it was read"));
    QString why;
    std::optional<SessionFile> s = decodeSession(bytes, &why);
    if (!s)
        return fail(why);
    return s;
}

std::unique_ptr<mdn::Session> makeSession(const SessionFile &file, QString *error)
{
    const auto fail = [&](const QString &why) {
        if (error)
            *error = QStringLiteral("cannot restore the session: %1").arg(why);
        return nullptr;
    };
    if (file.state.trainers.size() != file.runs.size() || file.state.histories.size() != file.runs.size() ||
        file.standardisers.size() != file.runs.size())
        return fail(QStringLiteral("the runs, their states and histories differ in number"));
    std::unique_ptr<mdn::Session> session;
    try {
        session = std::make_unique<mdn::Session>(file.data, file.options, file.runs);
    } catch (const std::exception &e) {
        return fail(QString::fromStdString(e.what()));
    }
    for (std::size_t i = 0; i < file.runs.size(); ++i) {
        // The standardisation is computed from the training split: another one means other data,
        // or another split, than the runs were trained on.
        const mdn::Standardiser &have = session->trainer(i).standardiser(), &saved = file.standardisers[i];
        if (have.xMean != saved.xMean || have.xScale != saved.xScale || have.yMean != saved.yMean ||
            have.yScale != saved.yScale)
            return fail(QStringLiteral("run %1 was trained on other data or another split "
                                       "(its standardisation differs)")
                            .arg(i + 1));
        if (file.state.histories[i].lastEpoch() != file.state.trainers[i].epoch)
            return fail(QStringLiteral("run %1's loss history ends at epoch %2 but the run is at epoch %3")
                            .arg(i + 1)
                            .arg(file.state.histories[i].lastEpoch())
                            .arg(file.state.trainers[i].epoch));
    }
    try {
        session->restore(file.state);
    } catch (const std::exception &e) {
        return fail(QString::fromStdString(e.what()));
    }
    return session;
}

} // namespace mdnviz
