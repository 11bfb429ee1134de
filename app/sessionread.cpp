// Reading a session file's content as hostile input: every value is checked for its type and
// range, every declared size against the bytes that are there before anything is allocated, and
// the runs against the data, so that a damaged or crafted file is refused with one line saying
// where and why, never trusted into a crash or a huge allocation.

#include "sessionfile.h"

#include "split.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtEndian>

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace mdnviz {

namespace {

// A refusal: where in the file, and why.
struct Refusal {
    QString why;
};

[[noreturn]] void refuse(const QString &where, const QString &why) { throw Refusal{where + QStringLiteral(": ") + why}; }

// Text from the file, fit for a one-line message: at most 40 characters, no control characters.
QString shown(const QString &text)
{
    QString s = text.left(40);
    for (QChar &c : s)
        if (c.category() == QChar::Other_Control || c.category() == QChar::Separator_Line ||
            c.category() == QChar::Separator_Paragraph)
            c = QLatin1Char('?');
    return s;
}

QString at(const QString &where, const QString &key) { return where.isEmpty() ? key : where + '.' + key; }

QJsonValue member(const QJsonObject &o, const QString &where, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        refuse(at(where, key), QStringLiteral("missing"));
    return v;
}

QJsonObject object(const QJsonObject &o, const QString &where, const char *key)
{
    const QJsonValue v = member(o, where, key);
    if (!v.isObject())
        refuse(at(where, key), QStringLiteral("expected an object"));
    return v.toObject();
}

QJsonArray list(const QJsonObject &o, const QString &where, const char *key)
{
    const QJsonValue v = member(o, where, key);
    if (!v.isArray())
        refuse(at(where, key), QStringLiteral("expected an array"));
    return v.toArray();
}

QString text(const QJsonObject &o, const QString &where, const char *key)
{
    const QJsonValue v = member(o, where, key);
    if (!v.isString())
        refuse(at(where, key), QStringLiteral("expected a string"));
    return v.toString();
}

bool boolean(const QJsonObject &o, const QString &where, const char *key)
{
    const QJsonValue v = member(o, where, key);
    if (!v.isBool())
        refuse(at(where, key), QStringLiteral("expected true or false"));
    return v.toBool();
}

qint64 wholeValue(const QJsonValue &v, const QString &where, qint64 lo, qint64 hi)
{
    // toInteger gives its default for a number that is not a whole qint64: two defaults tell.
    if (!v.isDouble() || v.toInteger(0) != v.toInteger(1))
        refuse(where, QStringLiteral("expected a whole number"));
    const qint64 i = v.toInteger();
    if (i < lo || i > hi)
        refuse(where, QStringLiteral("%1 is outside %2 .. %3").arg(i).arg(lo).arg(hi));
    return i;
}

qint64 whole(const QJsonObject &o, const QString &where, const char *key, qint64 lo, qint64 hi)
{
    return wholeValue(member(o, where, key), at(where, key), lo, hi);
}

// A number, or one of the strings the writer uses for what JSON has no number for.
double realValue(const QJsonValue &v, const QString &where, bool finite)
{
    double d = 0.0;
    if (v.isDouble()) {
        d = v.toDouble();
    } else if (v.isString()) {
        const QString s = v.toString();
        if (s == QLatin1String("-0"))
            return -0.0;
        if (s == QLatin1String("nan"))
            d = std::numeric_limits<double>::quiet_NaN();
        else if (s == QLatin1String("inf"))
            d = std::numeric_limits<double>::infinity();
        else if (s == QLatin1String("-inf"))
            d = -std::numeric_limits<double>::infinity();
        else
            refuse(where, QStringLiteral("expected a number"));
    } else {
        refuse(where, QStringLiteral("expected a number"));
    }
    if (finite && !std::isfinite(d))
        refuse(where, QStringLiteral("expected a finite number"));
    return d;
}

double real(const QJsonObject &o, const QString &where, const char *key, double lo, double hi)
{
    const double d = realValue(member(o, where, key), at(where, key), true);
    if (!(d >= lo && d <= hi))
        refuse(at(where, key), QStringLiteral("%1 is outside %2 .. %3").arg(d).arg(lo).arg(hi));
    return d;
}

// Any double, NaN and infinities included (losses and norms that training itself may reach).
double anyReal(const QJsonObject &o, const QString &where, const char *key)
{
    return realValue(member(o, where, key), at(where, key), false);
}

std::uint64_t hex64(const QJsonObject &o, const QString &where, const char *key)
{
    const QJsonValue v = member(o, where, key);
    const QString s = v.toString();
    bool ok = false;
    const qulonglong u = s.toULongLong(&ok, 16);
    if (!v.isString() || s.isEmpty() || s.size() > 16 || !ok || s.startsWith('+') || s.startsWith('-'))
        refuse(at(where, key), QStringLiteral("expected up to 16 hex digits"));
    return u;
}

// A packed little-endian array {"dtype", "shape", "base64"}: its bytes, after checking that the
// shape is `expected` (when given) and that the base64 text has exactly the length the shape
// needs, before decoding anything.
QByteArray packed(const QJsonObject &o, const QString &where, const char *key, const char *dtype,
                  std::size_t itemBytes, std::optional<std::vector<qint64>> expected, std::size_t &count)
{
    const QJsonObject a = object(o, where, key);
    const QString here = at(where, key);
    if (text(a, here, "dtype") != QLatin1String(dtype))
        refuse(at(here, "dtype"), QStringLiteral("expected %1").arg(QLatin1String(dtype)));
    const QJsonArray shape = list(a, here, "shape");
    std::vector<qint64> dims;
    // At most 2^40 items (far above what a 4 GiB file can hold) so the product cannot overflow.
    constexpr qint64 kMaxItems = qint64(1) << 40;
    qint64 items = 1;
    for (const QJsonValue &d : shape) {
        const qint64 n = wholeValue(d, at(here, "shape"), 0, kMaxItems);
        if (n > 0 && items > kMaxItems / n)
            refuse(at(here, "shape"), QStringLiteral("declares more than 2^40 values"));
        items *= n;
        dims.push_back(n);
    }
    if (dims.empty())
        refuse(at(here, "shape"), QStringLiteral("expected at least one dimension"));
    if (expected && dims != *expected) {
        QStringList want;
        for (qint64 n : *expected)
            want << QString::number(n);
        QStringList have;
        for (qint64 n : dims)
            have << QString::number(n);
        refuse(at(here, "shape"), QStringLiteral("[%1] does not fit: expected [%2]").arg(have.join(','), want.join(',')));
    }
    const qint64 bytes = items * qint64(itemBytes);
    const qint64 encoded = (bytes + 2) / 3 * 4;
    const QJsonValue b64 = member(a, here, "base64");
    if (!b64.isString())
        refuse(at(here, "base64"), QStringLiteral("expected a string"));
    const QString s = b64.toString();
    if (qint64(s.size()) != encoded)
        refuse(at(here, "base64"), QStringLiteral("has %1 characters; %2 values of %3 bytes need %4")
                                       .arg(s.size())
                                       .arg(items)
                                       .arg(itemBytes)
                                       .arg(encoded));
    const QByteArray::FromBase64Result r =
        QByteArray::fromBase64Encoding(s.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!r || r.decoded.size() != bytes)
        refuse(at(here, "base64"), QStringLiteral("is not valid base64 of %1 bytes").arg(bytes));
    count = std::size_t(items);
    return r.decoded;
}

template <typename T, typename U>
std::vector<U> unpack(const QByteArray &bytes, std::size_t n)
{
    static_assert(sizeof(T) == sizeof(U));
    std::vector<U> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        const T bits = qFromLittleEndian<T>(bytes.constData() + i * sizeof(T));
        std::memcpy(&out[i], &bits, sizeof(T));
    }
    return out;
}

std::vector<double> float64s(const QJsonObject &o, const QString &where, const char *key,
                             std::optional<std::vector<qint64>> shape, bool finite)
{
    std::size_t n = 0;
    const QByteArray b = packed(o, where, key, "float64", 8, std::move(shape), n);
    std::vector<double> v = unpack<quint64, double>(b, n);
    if (finite)
        for (std::size_t i = 0; i < n; ++i)
            if (!std::isfinite(v[i]))
                refuse(at(where, key), QStringLiteral("value %1 is not a finite number").arg(i));
    return v;
}

// Weights and moments: empty or `size` finite values (`allowEmpty`), float32.
Eigen::VectorXf float32s(const QJsonObject &o, const QString &where, const char *key, qint64 size,
                         bool allowEmpty)
{
    std::size_t n = 0;
    const QJsonObject a = object(o, where, key);
    const QJsonArray shape = a.value(QLatin1String("shape")).toArray();
    const bool empty = allowEmpty && shape.size() == 1 && shape.at(0).toInteger(-1) == 0;
    const QByteArray b = packed(o, where, key, "float32", 4, std::vector<qint64>{empty ? 0 : size}, n);
    const std::vector<float> v = unpack<quint32, float>(b, n);
    Eigen::VectorXf out(static_cast<Eigen::Index>(n));
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(v[i]))
            refuse(at(where, key), QStringLiteral("value %1 is not a finite number").arg(i));
        out[Eigen::Index(i)] = v[i];
    }
    return out;
}

mdn::OptimizerConfig optimizerConfig(const QJsonObject &o, const QString &where)
{
    mdn::OptimizerConfig c;
    const std::optional<mdn::OptimizerKind> kind = mdn::optimizerFromName(text(o, where, "kind").toStdString());
    if (!kind)
        refuse(at(where, "kind"), QStringLiteral("expected adam, rmsprop or sgd"));
    c.kind = *kind;
    // The optimiser divides by 1 - beta^t and by sqrt(v) + epsilon, in float: a beta of 1 or an
    // epsilon that is 0 in float divides by zero. Halvings take the learning rate below the
    // settings' smallest.
    c.learningRate = real(o, where, "learningRate", 1e-30, 1e12);
    c.beta1 = real(o, where, "beta1", 0.0, 1.0);
    c.beta2 = real(o, where, "beta2", 0.0, 1.0);
    for (const auto &[beta, key] : {std::pair{c.beta1, "beta1"}, std::pair{c.beta2, "beta2"}})
        if (beta >= 1.0)
            refuse(at(where, key), QStringLiteral("must be below 1"));
    c.epsilon = real(o, where, "epsilon", 1e-30, 1.0);
    c.weightDecay = real(o, where, "weightDecay", 0.0, 1e6);
    return c;
}

mdn::Optimizer<float>::State optimizerState(const QJsonObject &o, const QString &where, qint64 parameters)
{
    mdn::Optimizer<float>::State s;
    s.config = optimizerConfig(object(o, where, "config"), at(where, "config"));
    s.step = long(whole(o, where, "step", 0, std::numeric_limits<qint64>::max() / 4));
    s.m = float32s(o, where, "m", parameters, true);
    s.v = float32s(o, where, "v", parameters, true);
    return s;
}

mdn::TrainConfig trainConfig(const QJsonObject &o, const QString &where)
{
    mdn::TrainConfig c;
    const QString kind = text(o, where, "kind");
    if (kind == QLatin1String("mse"))
        c.kind = mdn::ModelKind::Mse;
    else if (kind == QLatin1String("mdn"))
        c.kind = mdn::ModelKind::Mdn;
    else
        refuse(at(where, "kind"), QStringLiteral("unknown model kind '%1' (expected mse or mdn)").arg(shown(kind)));
    // The ranges of the settings table, which every front end already enforces.
    const QJsonArray hidden = list(o, where, "hidden");
    if (hidden.size() > 16)
        refuse(at(where, "hidden"), QStringLiteral("%1 hidden layers; at most 16 are supported").arg(hidden.size()));
    c.hidden.clear();
    for (const QJsonValue &h : hidden)
        c.hidden.push_back(int(wholeValue(h, at(where, "hidden"), 1, 4096)));
    c.mixtures = int(whole(o, where, "mixtures", c.kind == mdn::ModelKind::Mdn ? 1 : 0, 256));
    c.optimizer = optimizerConfig(object(o, where, "optimizer"), at(where, "optimizer"));
    c.batch = std::size_t(whole(o, where, "batch", 0, std::numeric_limits<quint32>::max()));
    c.seed = hex64(o, where, "seed");
    // A width of 0 (a floor of 0 and exp(s) underflowing) would divide by zero.
    c.sigmaFloor = real(o, where, "sigmaFloor", 1e-30, 1e6);
    c.initGain = real(o, where, "initGain", 0.0, 1e6);
    c.outputGain = real(o, where, "outputGain", 0.0, 1e6);
    c.maxRecoveries = int(whole(o, where, "maxRecoveries", 0, 1'000'000));
    c.checkpointEvery = int(whole(o, where, "checkpointEvery", 1, 1'000'000'000));
    return c;
}

// The weights of the network a config builds on data of these dimensions (see Mlp).
qint64 parameterCount(const mdn::TrainConfig &c, int inputDims, int targetDims)
{
    std::vector<qint64> sizes{inputDims};
    for (int h : c.hidden)
        sizes.push_back(h);
    sizes.push_back(c.kind == mdn::ModelKind::Mdn ? qint64(c.mixtures) * (1 + 2 * qint64(targetDims)) : targetDims);
    qint64 n = 0;
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l)
        n += sizes[l + 1] * sizes[l] + sizes[l + 1];
    return n;
}

mdn::TrainerState trainerState(const QJsonObject &o, const QString &where, qint64 parameters,
                               std::size_t trainPoints)
{
    mdn::TrainerState s;
    s.epoch = long(whole(o, where, "epoch", 0, std::numeric_limits<qint64>::max() / 4));
    s.lastLoss = anyReal(o, where, "lastLoss");
    s.gradientNorm = anyReal(o, where, "gradientNorm");
    s.failed = boolean(o, where, "failed");
    s.parameters = float32s(o, where, "parameters", parameters, false);
    s.optimizer = optimizerState(object(o, where, "optimizer"), at(where, "optimizer"), parameters);

    const QJsonObject rng = object(o, where, "rng");
    const QString rngAt = at(where, "rng");
    const QJsonArray words = list(rng, rngAt, "s");
    if (words.size() != 4)
        refuse(at(rngAt, "s"), QStringLiteral("expected 4 words"));
    bool zero = true;
    for (int i = 0; i < 4; ++i) {
        s.rng.s[i] = hex64(QJsonObject{{"s", words.at(i)}}, rngAt, "s");
        zero = zero && s.rng.s[i] == 0;
    }
    if (zero)
        refuse(at(rngAt, "s"), QStringLiteral("an all-zero generator state never changes"));
    s.rng.spare = realValue(member(rng, rngAt, "spare"), at(rngAt, "spare"), true);
    s.rng.hasSpare = boolean(rng, rngAt, "hasSpare");

    std::size_t n = 0;
    const QByteArray order = packed(o, where, "order", "uint32", 4, std::vector<qint64>{qint64(trainPoints)}, n);
    const std::vector<quint32> indices = unpack<quint32, quint32>(order, n);
    std::vector<bool> seen(n, false);
    s.order.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (indices[i] >= n || seen[indices[i]])
            refuse(at(where, "order"), QStringLiteral("is not a permutation of the %1 training points").arg(n));
        seen[indices[i]] = true;
        s.order[i] = indices[i];
    }
    s.epochOpen = boolean(o, where, "epochOpen");
    s.batchCursor = std::size_t(whole(o, where, "batchCursor", 0, qint64(std::max<std::size_t>(n, 1)) - 1));
    s.epochLoss = anyReal(o, where, "epochLoss");
    s.epochDataLoss = anyReal(o, where, "epochDataLoss");
    s.checkpointParameters = float32s(o, where, "checkpointParameters", parameters, false);
    s.checkpointOptimizer =
        optimizerState(object(o, where, "checkpointOptimizer"), at(where, "checkpointOptimizer"), parameters);
    s.checkpointEpoch = long(whole(o, where, "checkpointEpoch", 0, s.epoch));
    s.checkpointLoss = anyReal(o, where, "checkpointLoss");
    s.checkpointDataLoss = anyReal(o, where, "checkpointDataLoss");
    s.learningRateHalvings = int(whole(o, where, "learningRateHalvings", 0, 1'000'000));
    for (const QJsonValue &f : list(o, where, "faults")) {
        if (!f.isObject())
            refuse(at(where, "faults"), QStringLiteral("expected objects"));
        const QJsonObject fo = f.toObject();
        s.faults.push_back({long(whole(fo, at(where, "faults"), "epoch", 0, std::numeric_limits<qint64>::max() / 4)),
                            text(fo, at(where, "faults"), "message").toStdString()});
    }
    return s;
}

template <typename P>
std::vector<P> points(const QJsonObject &o, const QString &where, bool finite)
{
    std::size_t n = 0;
    const QByteArray epochs = packed(o, where, "epochs", "int64", 8, std::nullopt, n);
    const std::vector<qint64> e = unpack<quint64, qint64>(epochs, n);
    const std::vector<double> v = float64s(o, where, "values", std::vector<qint64>{qint64(n)}, finite);
    std::vector<P> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (e[i] < 0 || e[i] > std::numeric_limits<qint64>::max() / 4)
            refuse(at(where, "epochs"), QStringLiteral("epoch %1 is out of range").arg(e[i]));
        out[i].epoch = long(e[i]);
        out[i].value = v[i];
    }
    return out;
}

mdn::RunHistory runHistory(const QJsonObject &o, const QString &where)
{
    mdn::RunHistory::Saved s;
    s.recentFirst = long(whole(o, where, "recentFirst", 1, std::numeric_limits<qint64>::max() / 4));
    s.recent = float64s(o, where, "recent", std::nullopt, true);
    const QJsonObject ov = object(o, where, "overview");
    const QString ovAt = at(where, "overview");
    s.overview.capacity = std::size_t(whole(ov, ovAt, "capacity", 2, qint64(mdn::LossHistory::kMaxCapacity)));
    s.overview.stride = long(whole(ov, ovAt, "stride", 1, qint64(1) << 60));
    s.overview.kept = points<mdn::LossHistory::Point>(object(ov, ovAt, "kept"), at(ovAt, "kept"), true);
    if (ov.contains(QLatin1String("latest"))) {
        const QJsonObject latest = object(ov, ovAt, "latest");
        s.overview.hasLatest = true;
        s.overview.latest.epoch = long(whole(latest, at(ovAt, "latest"), "epoch", 0, std::numeric_limits<qint64>::max() / 4));
        s.overview.latest.value = real(latest, at(ovAt, "latest"), "value", -std::numeric_limits<double>::max(),
                                       std::numeric_limits<double>::max());
    }
    s.validation = points<mdn::RunHistory::Point>(object(o, where, "validation"), at(where, "validation"), false);
    s.seconds = real(o, where, "seconds", 0.0, std::numeric_limits<double>::max());
    try {
        return mdn::RunHistory(s);
    } catch (const std::invalid_argument &e) {
        refuse(where, QString::fromStdString(e.what()));
    }
}

std::vector<std::string> names(const QJsonObject &o, const QString &where, const char *key, int dims)
{
    std::vector<std::string> out;
    const QJsonArray a = list(o, where, key);
    if (!a.isEmpty() && a.size() != dims)
        refuse(at(where, key), QStringLiteral("%1 names for %2 columns").arg(a.size()).arg(dims));
    for (const QJsonValue &v : a) {
        if (!v.isString())
            refuse(at(where, key), QStringLiteral("expected strings"));
        out.push_back(v.toString().toStdString());
    }
    return out;
}

std::shared_ptr<const mdn::Dataset> dataset(const QJsonObject &o, const QString &where)
{
    auto d = std::make_shared<mdn::Dataset>();
    d->name = text(o, where, "name").toStdString();
    const qint64 n = whole(o, where, "points", 1, std::numeric_limits<quint32>::max());
    d->inputDims = int(whole(o, where, "inputDims", 1, 1 << 20));
    d->targetDims = int(whole(o, where, "targetDims", 1, 1 << 20));
    d->inputNames = names(o, where, "inputNames", d->inputDims);
    d->targetNames = names(o, where, "targetNames", d->targetDims);
    d->x = float64s(o, where, "x", std::vector<qint64>{n, d->inputDims}, true);
    d->y = float64s(o, where, "y", std::vector<qint64>{n, d->targetDims}, true);
    return d;
}

mdn::SessionOptions sessionOptions(const QJsonObject &o, const QString &where)
{
    mdn::SessionOptions s;
    s.validationPercent = real(o, where, "validationPercent", 0.0, 90.0);
    s.splitSeed = hex64(o, where, "splitSeed");
    if (o.contains(QLatin1String("generator"))) {
        const QJsonObject g = object(o, where, "generator");
        const QString gAt = at(where, "generator");
        mdn::GeneratorSpec spec;
        const std::optional<mdn::Generator> kind = mdn::generatorFromName(text(g, gAt, "name").toStdString());
        if (!kind)
            refuse(at(gAt, "name"), QStringLiteral("expected sinusoid, inverse-sinusoid or bishop"));
        spec.generator = *kind;
        spec.points = std::size_t(whole(g, gAt, "points", 1, 50'000'000));
        spec.noise = real(g, gAt, "noise", 0.0, 1e6);
        spec.seed = hex64(g, gAt, "seed");
        s.generator = spec;
    }
    return s;
}

mdn::Settings settings(const QJsonObject &o, const QString &where)
{
    mdn::Settings s;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const std::string key = it.key().toStdString();
        const mdn::SettingSpec *spec = nullptr;
        for (const mdn::SettingSpec &candidate : mdn::settingsTable())
            if (key == candidate.key)
                spec = &candidate;
        const QString here = at(where, shown(it.key()));
        if (!spec)
            refuse(here, QStringLiteral("unknown setting"));
        if (!it.value().isString())
            refuse(here, QStringLiteral("expected the value as a string"));
        std::string why;
        if (!spec->set(s, it.value().toString().toStdString(), why))
            refuse(here, QString::fromStdString(why));
    }
    return s;
}

std::vector<double> numberList(const QJsonObject &o, const QString &where, const char *key, int size)
{
    const QJsonArray a = list(o, where, key);
    if (a.size() != size)
        refuse(at(where, key), QStringLiteral("expected %1 numbers").arg(size));
    std::vector<double> out;
    for (const QJsonValue &v : a)
        out.push_back(realValue(v, at(where, key), true));
    return out;
}

mdn::Standardiser standardiser(const QJsonObject &architecture, const QString &where, const mdn::Dataset &d)
{
    const QJsonObject o = object(architecture, where, "standardiser");
    const QString here = at(where, "standardiser");
    mdn::Standardiser s;
    s.xMean = numberList(o, here, "xMean", d.inputDims);
    s.xScale = numberList(o, here, "xScale", d.inputDims);
    s.yMean = numberList(o, here, "yMean", d.targetDims);
    s.yScale = numberList(o, here, "yScale", d.targetDims);
    return s;
}

SessionFile decode(const QByteArray &bytes, bool verifyChecksum)
{
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parse);
    if (parse.error != QJsonParseError::NoError)
        throw Refusal{QStringLiteral("not a session file: not valid JSON (%1 at byte %2)")
                          .arg(parse.errorString())
                          .arg(parse.offset)};
    if (!doc.isObject())
        throw Refusal{QStringLiteral("not a session file: the JSON is not an object")};
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("format")).toString() != QLatin1String(kSessionFormat))
        throw Refusal{QStringLiteral("not a session file: \"format\" is not \"%1\"").arg(QLatin1String(kSessionFormat))};
    const QJsonValue version = root.value(QLatin1String("version"));
    if (!version.isDouble() || version.toDouble() != kSessionVersion)
        throw Refusal{QStringLiteral("session file version %1 is not supported; this mdnviz reads version %2")
                          .arg(version.isDouble() ? QString::number(version.toDouble())
                                                  : QStringLiteral("(missing)"))
                          .arg(kSessionVersion)};
    if (verifyChecksum && !sessionChecksumMatches(bytes, root.value(QLatin1String("sha256")).toString()))
        throw Refusal{QStringLiteral("the file is damaged or was edited: its checksum (sha256) does not match")};

    SessionFile f;
    f.settings = settings(object(root, {}, "settings"), QStringLiteral("settings"));
    f.data = dataset(object(root, {}, "data"), QStringLiteral("data"));
    f.options = sessionOptions(object(root, {}, "options"), QStringLiteral("options"));
    const mdn::Dataset &d = *f.data;
    const std::size_t trainPoints =
        mdn::splitIndices(d.size(), f.options.validationPercent, f.options.splitSeed).train.size();
    const QJsonArray runs = list(root, {}, "runs");
    if (runs.isEmpty())
        refuse(QStringLiteral("runs"), QStringLiteral("a session needs at least one run"));
    for (qsizetype i = 0; i < runs.size(); ++i) {
        const QString where = QStringLiteral("runs[%1]").arg(i);
        if (!runs.at(i).isObject())
            refuse(where, QStringLiteral("expected an object"));
        const QJsonObject run = runs.at(i).toObject();
        mdn::TrainConfig c = trainConfig(object(run, where, "config"), at(where, "config"));
        const qint64 parameters = parameterCount(c, d.inputDims, d.targetDims);
        const QJsonObject architecture = object(run, where, "architecture");
        const qint64 declared = whole(architecture, at(where, "architecture"), "parameterCount", 0,
                                      std::numeric_limits<qint64>::max());
        if (declared != parameters)
            refuse(at(where, "architecture"),
                   QStringLiteral("%1 parameters, but this config on %2 inputs and %3 targets has %4 "
                                  "(the data do not match the run)")
                       .arg(declared)
                       .arg(d.inputDims)
                       .arg(d.targetDims)
                       .arg(parameters));
        f.standardisers.push_back(standardiser(architecture, at(where, "architecture"), d));
        f.state.trainers.push_back(trainerState(object(run, where, "state"), at(where, "state"), parameters, trainPoints));
        f.state.histories.push_back(runHistory(object(run, where, "history"), at(where, "history")));
        // Optional: files written before runs kept their best weights have none.
        mdn::Session::BestWeights best;
        if (run.contains(QLatin1String("best"))) {
            const QJsonObject b = object(run, where, "best");
            const QString here = at(where, "best");
            // (Its epoch against the run's: when the session is restored.)
            best.epoch = long(whole(b, here, "epoch", 0, std::numeric_limits<long>::max()));
            best.validation = anyReal(b, here, "validation");
            if (!std::isfinite(best.validation))
                refuse(at(here, "validation"), QStringLiteral("expected a finite number"));
            best.parameters = float32s(b, here, "parameters", parameters, false);
        }
        f.state.best.push_back(std::move(best));
        f.runs.push_back(std::move(c));
    }
    const QJsonValue view = root.value(QLatin1String("view"));
    if (!view.isUndefined() && !view.isObject())
        refuse(QStringLiteral("view"), QStringLiteral("expected an object"));
    f.view = view.toObject();
    return f;
}

} // namespace

std::optional<SessionFile> decodeSession(const QByteArray &bytes, QString *error, bool verifyChecksum)
{
    try {
        return decode(bytes, verifyChecksum);
    } catch (const Refusal &r) {
        if (error)
            *error = r.why;
    } catch (const std::bad_alloc &) {
        if (error)
            *error = QStringLiteral("not enough memory to read it");
    }
    return std::nullopt;
}

} // namespace mdnviz
