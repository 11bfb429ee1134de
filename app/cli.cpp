#include "cli.h"

#include "chartexport.h"
#include "chartset.h"
#include "csv.h"
#include "datachart.h"
#include "figures.h"
#include "losschart.h"
#include "mixturechart.h"
#include "slicechart.h"
#include "split.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <thread>

#include <signal.h>

namespace mdnviz {

namespace {

struct OptionName {
    const char *name;
    const char *help;
    const char *value; // nullptr for a flag
};

const OptionName kOptions[] = {
    {"headless", "Train without a window and exit (0 on success).", nullptr},
    {"dataset", "Built-in dataset: sinusoid, inverse-sinusoid or bishop (default inverse-sinusoid).", "name"},
    {"data", "Load (x, y) pairs from a CSV file instead of a built-in dataset.", "file"},
    {"points", "Number of generated points (default 4000).", "N"},
    {"noise", "Noise of the generator: the standard deviation for the sinusoids (default 1.0), the "
              "uniform half-width for bishop (default 0.1).", "SD"},
    {"seed", "Random seed of the data, the weights and the samples (default 1).", "S"},
    {"model", "Which models to train: mse, mdn or both (default both).", "mse|mdn|both"},
    {"epochs", "Training epochs (default 3000).", "E"},
    {"mse-hidden", "Hidden tanh units of the MSE net (default 20).", "H"},
    {"hidden", "Hidden tanh units of the MDN (default 24).", "H"},
    {"mixtures", "Mixture components K of the MDN (default 10).", "K"},
    {"optimizer", "adam, rmsprop or sgd (default adam).", "name"},
    {"lr", "Learning rate (default 0.01; the data are standardised internally).", "LR"},
    {"batch", "Mini-batch size; 0 = full batch (default 0).", "B"},
    {"eval", "Score the trained models on the (x, y) pairs of another CSV file.", "file"},
    {"report", "Write the metrics as JSON to this file.", "file"},
    {"save-data", "Write the dataset as CSV to this file.", "file"},
    {"export-samples", "Write MDN samples as CSV: S samples at each of 200 evenly spaced x.", "file"},
    {"samples-per-x", "Samples drawn per x (default 10).", "S"},
    {"pi-temperature", "Sampling temperature of the mixing weights (default 1).", "T"},
    {"sigma-temperature", "Sampling temperature of the widths (default 1).", "T"},
    {"export-png", "After training, render the Data & fits chart into this PNG file.", "file"},
    {"export-dir", "After training, render every chart into this folder, one file each (--format).", "dir"},
    {"size", "Pixel size of exported charts (default 1600x1000).", "WxH"},
    {"validation", "Percentage of the data held out of training to measure generalisation, "
                   "drawn with the seed; 0 trains on every point (default 20).", "PERCENT"},
    {"max-rows", "Refuse CSV files with more than N data rows (default 50000000).", "N"},
};

// Set by SIGINT in headless mode: loading, both training threads and nothing else stop, and the
// report of what was done is still written. A lock-free atomic is safe to store from a handler.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void onInterrupt(int) { g_interrupted.store(true, std::memory_order_relaxed); }

// SA_RESETHAND: a second Ctrl-C ends the process at once, as users expect when the first one
// seems slow to act (every file is written atomically, so that loses nothing already saved).
void catchInterrupt()
{
    g_interrupted.store(false);
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    ::sigaction(SIGINT, &action, nullptr);
}

constexpr int kInterruptedExitCode = 128 + SIGINT; // 130, what shells report for Ctrl-C

void printError(const QString &message)
{
    std::fprintf(stderr, "mdnviz: error: %s\n", qPrintable(message));
}

template <typename T>
bool readNumber(const QCommandLineParser &p, const char *name, T lo, T hi, T &out, QString &error)
{
    if (!p.isSet(QLatin1String(name)))
        return true;
    const QString text = p.value(QLatin1String(name));
    bool ok = false;
    double v = text.toDouble(&ok);
    if (ok && std::is_integral<T>::value && v != std::floor(v))
        ok = false;
    if (!ok || !std::isfinite(v) || v < double(lo) || v > double(hi)) {
        error = QStringLiteral("--%1 %2: expected a %3 from %4 to %5")
                    .arg(QLatin1String(name), text,
                         std::is_integral<T>::value ? QStringLiteral("whole number")
                                                    : QStringLiteral("number"))
                    .arg(double(lo))
                    .arg(double(hi));
        return false;
    }
    out = T(v);
    return true;
}

QJsonValue finiteOrNull(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(); }

// Not QSaveFile: Qt 6.4's loses the error of a buffered write that fails at commit (disk full)
// and then renames the empty temporary file over the report, and it ignores a failed fsync.
bool writeText(const QString &path, const QByteArray &bytes, QString &error)
{
    std::string e;
    if (!mdn::writeFileAtomically(QFile::encodeName(path).toStdString(),
                                  std::string_view(bytes.constData(), std::size_t(bytes.size())), e)) {
        error = QString::fromStdString(e);
        return false;
    }
    return true;
}

bool loadCsv(const QString &path, mdn::Dataset &out, QString &error, std::size_t maxRows)
{
    mdn::CsvError e;
    mdn::CsvLimits limits;
    limits.maxRows = maxRows;
    if (!mdn::readCsv(path.toStdString(), out, e, limits, nullptr, &g_interrupted)) {
        error = QString::fromStdString(e.toString());
        return false;
    }
    return true;
}

struct RunResult {
    double seconds = 0.0;
    long epochs = 0;
    std::vector<double> losses; // per epoch, data units
    std::vector<double> validation; // per epoch with losses; NaN where not evaluated
};

RunResult timedTrain(mdn::Trainer &t, long epochs, bool keepLosses, const std::atomic<bool> *stop,
                     const mdn::Dataset *validation, HeadlessAnimation &animation)
{
    RunResult r;
    if (keepLosses)
        r.losses.reserve(std::size_t(std::min(epochs, 10'000'000L)));
    // The exported loss chart's validation curve: about 300 evaluations over the run, a few
    // percent of the training time.
    const long every = std::max(1L, epochs / 300);
    QElapsedTimer timer;
    timer.start();
    animation.record(t);
    r.epochs = t.train(epochs, stop, [&r, &t, keepLosses, validation, every, epochs, &animation](long epoch, double loss) {
        animation.record(t);
        if (keepLosses) {
            r.losses.push_back(loss);
            const bool due = validation && !validation->empty() && (epoch % every == 0 || epoch == epochs);
            r.validation.push_back(due ? t.loss(*validation) : std::nan(""));
        }
        return true;
    });
    r.seconds = double(timer.nsecsElapsed()) * 1e-9;
    return r;
}

// Renders the charts as the window shows them after training.
bool exportCharts(const Options &o, const mdn::Dataset &data, const mdn::Trainer *mse,
                  const mdn::Trainer *mdnModel, const RunResult &mseRun, const RunResult &mdnRun,
                  double bayes, const HeadlessAnimation &animation, QString &error)
{
    mdn::Snapshot s;
    const std::size_t epochs = std::max(mseRun.losses.size(), mdnRun.losses.size());
    s.losses.resize(epochs);
    for (std::size_t i = 0; i < epochs; ++i) {
        s.losses[i].epoch = long(i + 1);
        if (i < mseRun.losses.size())
            s.losses[i].mse = mseRun.losses[i];
        if (i < mdnRun.losses.size())
            s.losses[i].nll = mdnRun.losses[i];
        if (i < mseRun.validation.size())
            s.losses[i].validationMse = mseRun.validation[i];
        if (i < mdnRun.validation.size())
            s.losses[i].validationNll = mdnRun.validation[i];
    }
    s.bayesNll = bayes;
    mdn::fillSnapshot(s, mse, mdnModel, data, snapshotRequest(o));

    DataChart dataChart;
    LossChart lossChart;
    MixtureChart mixtureChart;
    SliceChart sliceChart;
    ChartSet charts{&dataChart, &lossChart, &mixtureChart, &sliceChart};
    charts.applyView(Settings());
    charts.setDataset(data, o.dataFile.isEmpty() ? std::optional(o.generator.generator) : std::nullopt,
                      o.generator.noise);
    charts.showSnapshot(s);
    return exportFigures(o, charts, error) && animation.write(dataChart.overlays(), error);
}

QJsonObject modelReport(const mdn::Trainer &t, const RunResult &r)
{
    QJsonObject o;
    o["hidden"] = t.config().hidden.front();
    o["optimizer"] = mdn::optimizerName(t.config().optimizer.kind);
    o["learning_rate"] = finiteOrNull(t.learningRate());
    o["batch"] = qint64(t.config().batch);
    o["epochs"] = qint64(r.epochs);
    o["seconds"] = r.seconds;
    o["epochs_per_second"] = finiteOrNull(r.seconds > 0 ? double(r.epochs) / r.seconds : 0.0);
    o["stopped_by_faults"] = t.failed();
    return o;
}

} // namespace

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "mdnviz: watch a mixture density network learn a multi-valued function.\n"
        "Without --headless it opens the window; the options then set its initial values."));
    parser.addHelpOption();
    parser.addVersionOption();
    for (const OptionName &o : kOptions) {
        if (o.value)
            parser.addOption(QCommandLineOption(QLatin1String(o.name), QLatin1String(o.help),
                                                QLatin1String(o.value)));
        else
            parser.addOption(QCommandLineOption(QLatin1String(o.name), QLatin1String(o.help)));
    }
    parser.addOptions(figureOptions());
}

std::optional<Options> readOptions(const QCommandLineParser &p, QString &error)
{
    Options o;
    o.headless = p.isSet(QStringLiteral("headless"));
    if (!p.positionalArguments().isEmpty()) {
        error = QStringLiteral("unexpected argument '%1' (see --help)").arg(p.positionalArguments().first());
        return std::nullopt;
    }
    if (p.isSet(QStringLiteral("dataset"))) {
        const auto g = mdn::generatorFromName(p.value(QStringLiteral("dataset")).toStdString());
        if (!g) {
            error = QStringLiteral("--dataset %1: expected sinusoid, inverse-sinusoid or bishop")
                        .arg(p.value(QStringLiteral("dataset")));
            return std::nullopt;
        }
        o.generator.generator = *g;
    }
    o.generator.noise = mdn::defaultNoise(o.generator.generator);
    o.dataFile = p.value(QStringLiteral("data"));
    if (p.isSet(QStringLiteral("model"))) {
        o.modelSelection = p.value(QStringLiteral("model"));
        if (o.modelSelection != QLatin1String("mse") && o.modelSelection != QLatin1String("mdn") &&
            o.modelSelection != QLatin1String("both")) {
            error = QStringLiteral("--model %1: expected mse, mdn or both").arg(o.modelSelection);
            return std::nullopt;
        }
    }
    if (p.isSet(QStringLiteral("optimizer"))) {
        const auto k = mdn::optimizerFromName(p.value(QStringLiteral("optimizer")).toStdString());
        if (!k) {
            error = QStringLiteral("--optimizer %1: expected adam, rmsprop or sgd")
                        .arg(p.value(QStringLiteral("optimizer")));
            return std::nullopt;
        }
        o.mse.optimizer.kind = o.mdn.optimizer.kind = *k;
    }
    std::size_t points = o.generator.points;
    int mseHidden = o.mse.hidden.front(), hidden = o.mdn.hidden.front();
    double lr = o.mdn.optimizer.learningRate;
    std::size_t batch = 0;
    std::uint64_t seed = o.generator.seed;
    const bool ok =
        readNumber<std::size_t>(p, "points", 1, 50'000'000, points, error) &&
        readNumber<double>(p, "noise", 0.0, 1e6, o.generator.noise, error) &&
        readNumber<std::uint64_t>(p, "seed", 0, 4'000'000'000'000'000ULL, seed, error) &&
        readNumber<long>(p, "epochs", 0, 100'000'000, o.epochs, error) &&
        readNumber<int>(p, "mse-hidden", 1, 4096, mseHidden, error) &&
        readNumber<int>(p, "hidden", 1, 4096, hidden, error) &&
        readNumber<int>(p, "mixtures", 1, 256, o.mdn.mixtures, error) &&
        readNumber<double>(p, "lr", 1e-12, 1e12, lr, error) &&
        readNumber<std::size_t>(p, "batch", 0, 50'000'000, batch, error) &&
        readNumber<int>(p, "samples-per-x", 1, 1000, o.samplesPerX, error) &&
        readNumber<double>(p, "pi-temperature", 0.0, 100.0, o.piTemperature, error) &&
        readNumber<double>(p, "sigma-temperature", 0.0, 100.0, o.sigmaTemperature, error) &&
        readNumber<std::size_t>(p, "max-rows", 1, 2'000'000'000, o.maxRows, error);
    if (!ok)
        return std::nullopt;
    o.generator.points = points;
    o.generator.seed = seed;
    o.mse.hidden = {mseHidden};
    o.mdn.hidden = {hidden};
    o.mse.optimizer = o.mdn.optimizer = mdn::optimizerDefaults(o.mdn.optimizer.kind, lr);
    o.mse.batch = o.mdn.batch = batch;
    o.mse.seed = o.mdn.seed = seed;
    if (!readNumber<double>(p, "validation", 0.0, 90.0, o.validationPercent, error))
        return std::nullopt;
    o.evalFile = p.value(QStringLiteral("eval"));
    o.reportFile = p.value(QStringLiteral("report"));
    o.saveDataFile = p.value(QStringLiteral("save-data"));
    o.exportSamplesFile = p.value(QStringLiteral("export-samples"));
    o.exportPng = p.value(QStringLiteral("export-png"));
    o.exportDir = p.value(QStringLiteral("export-dir"));
    if (p.isSet(QStringLiteral("size"))) {
        const QStringList wh = p.value(QStringLiteral("size")).split(QLatin1Char('x'));
        bool okW = false, okH = false;
        const int w = wh.size() == 2 ? wh[0].toInt(&okW) : 0;
        const int h = wh.size() == 2 ? wh[1].toInt(&okH) : 0;
        if (!okW || !okH || w < 16 || h < 16 || w > 16384 || h > 16384) {
            error = QStringLiteral("--size %1: expected WIDTHxHEIGHT, each from 16 to 16384, e.g. 1600x1000")
                        .arg(p.value(QStringLiteral("size")));
            return std::nullopt;
        }
        o.exportSize = QSize(w, h);
    }
    if (!readFigureOptions(p, o, error))
        return std::nullopt;
    return o;
}

int runHeadless(const Options &o)
{
    QString error;
    catchInterrupt();
    mdn::Dataset data;
    if (!o.dataFile.isEmpty()) {
        if (!loadCsv(o.dataFile, data, error, o.maxRows)) {
            printError(error);
            return g_interrupted.load() ? kInterruptedExitCode : 1;
        }
    } else {
        data = mdn::generate(o.generator);
    }
    mdn::Dataset evalData;
    if (!o.evalFile.isEmpty() && !loadCsv(o.evalFile, evalData, error, o.maxRows)) {
        printError(error);
        return g_interrupted.load() ? kInterruptedExitCode : 1;
    }
    if (!o.saveDataFile.isEmpty()) {
        std::string e;
        if (!mdn::writeCsv(o.saveDataFile.toStdString(), data, e)) {
            printError(QString::fromStdString(e));
            return 1;
        }
    }

    // The held-out points measure generalisation: the models never train on them.
    const mdn::SplitIndices split = mdn::splitIndices(data.size(), o.validationPercent, o.generator.seed);
    const mdn::Dataset train = mdn::subset(data, split.train);
    const mdn::Dataset validation = mdn::subset(data, split.validation);
    // The exact floor under the validation NLL, for a generator (a file's density is unknown).
    const double bayes = o.dataFile.isEmpty() && !validation.empty()
                             ? mdn::bayesNll(o.generator.generator, o.generator.noise, validation)
                             : std::nan("");

    std::optional<mdn::Trainer> mse, mdnModel;
    try {
        if (o.trainsMse())
            mse.emplace(train, o.mse);
        if (o.trainsMdn())
            mdnModel.emplace(train, o.mdn);
    } catch (const std::exception &e) {
        printError(QString::fromUtf8(e.what()));
        return 1;
    }

    // The two models are independent: train them on both cores at once.
    const bool keepLosses = wantsFigures(o);
    HeadlessAnimation animation(o, data);
    RunResult mseRun, mdnRun;
    std::thread mseThread;
    if (mse)
        mseThread = std::thread([&] { mseRun = timedTrain(*mse, o.epochs, keepLosses, &g_interrupted, &validation, animation); });
    if (mdnModel)
        mdnRun = timedTrain(*mdnModel, o.epochs, keepLosses, &g_interrupted, &validation, animation);
    if (mseThread.joinable())
        mseThread.join();

    QJsonObject report;
    QJsonObject ds;
    ds["name"] = QString::fromStdString(data.name);
    ds["source"] = o.dataFile.isEmpty() ? QStringLiteral("generator") : o.dataFile;
    ds["points"] = qint64(data.size());
    if (o.dataFile.isEmpty()) {
        ds["noise"] = o.generator.noise;
        ds["seed"] = qint64(o.generator.seed);
    }
    ds["train_points"] = qint64(train.size());
    ds["validation_points"] = qint64(validation.size());
    ds["validation_percent"] = o.validationPercent;
    report["dataset"] = ds;
    report["epochs"] = qint64(o.epochs);
    const bool interrupted = g_interrupted.load();
    report["interrupted"] = interrupted; // then mse.epochs and mdn.epochs say how far each got

    QJsonArray events;
    auto collectFaults = [&](const mdn::Trainer &t) {
        for (const mdn::FaultEvent &f : t.faults()) {
            QJsonObject e;
            e["model"] = mdn::modelName(t.config().kind);
            e["epoch"] = qint64(f.epoch);
            e["message"] = QString::fromStdString(f.message);
            events.append(e);
        }
    };

    QTextStream out(stdout);
    if (mse) {
        QJsonObject m = modelReport(*mse, mseRun);
        m["train_loss"] = finiteOrNull(mse->lastLoss());
        if (!validation.empty())
            m["validation_loss"] = finiteOrNull(mse->loss(validation));
        report["mse"] = m;
        collectFaults(*mse);
        out << QStringLiteral("mse: %1 epochs in %2 s, train MSE %3\n")
                   .arg(mseRun.epochs)
                   .arg(mseRun.seconds, 0, 'f', 3)
                   .arg(mse->lastLoss(), 0, 'g', 5);
    }
    if (mdnModel) {
        QJsonObject m = modelReport(*mdnModel, mdnRun);
        m["mixtures"] = mdnModel->config().mixtures;
        m["train_nll"] = finiteOrNull(mdnModel->lastLoss());
        // Present only where they exist: no validation points, or no known density (a file).
        if (!validation.empty())
            m["validation_nll"] = finiteOrNull(mdnModel->loss(validation));
        if (!validation.empty() && std::isfinite(bayes)) {
            m["bayes_nll"] = bayes;
            m["bayes_gap"] = finiteOrNull(mdnModel->loss(validation) - bayes);
        }
        report["mdn"] = m;
        collectFaults(*mdnModel);
        out << QStringLiteral("mdn: %1 epochs in %2 s (%3 epochs/s), train NLL %4 nats\n")
                   .arg(mdnRun.epochs)
                   .arg(mdnRun.seconds, 0, 'f', 3)
                   .arg(mdnRun.seconds > 0 ? mdnRun.epochs / mdnRun.seconds : 0.0, 0, 'f', 0)
                   .arg(mdnModel->lastLoss(), 0, 'g', 5);
    }
    if (!validation.empty()) {
        out << QStringLiteral("validation: %1 points").arg(validation.size());
        if (mse)
            out << QStringLiteral(", MSE %1").arg(mse->loss(validation), 0, 'g', 5);
        if (mdnModel) {
            const double nll = mdnModel->loss(validation);
            out << QStringLiteral(", NLL %1 nats").arg(nll, 0, 'g', 5);
            if (std::isfinite(bayes))
                out << QStringLiteral(" (Bayes-optimal %1, gap %2)").arg(bayes, 0, 'g', 5).arg(nll - bayes, 0, 'f', 4);
        }
        out << "\n";
    }
    QJsonObject faults;
    faults["count"] = events.size();
    faults["events"] = events;
    report["faults"] = faults;
    for (const QJsonValue &e : events)
        out << "fault: " << e.toObject()["message"].toString() << "\n";

    if (!o.evalFile.isEmpty()) {
        QJsonObject ev;
        ev["file"] = o.evalFile;
        ev["points"] = qint64(evalData.size());
        if (mse)
            ev["mse_loss"] = finiteOrNull(mse->loss(evalData));
        if (mdnModel)
            ev["mdn_nll"] = finiteOrNull(mdnModel->loss(evalData));
        report["eval"] = ev;
        out << QStringLiteral("eval: %1 points").arg(evalData.size());
        if (mse)
            out << QStringLiteral(", MSE %1").arg(ev["mse_loss"].toDouble(), 0, 'g', 5);
        if (mdnModel)
            out << QStringLiteral(", NLL %1 nats").arg(ev["mdn_nll"].toDouble(), 0, 'g', 5);
        out << "\n";
    }
    out.flush();

    if (!o.exportSamplesFile.isEmpty()) {
        if (!mdnModel) {
            printError(QStringLiteral("--export-samples needs the MDN (--model mdn or both)"));
            return 1;
        }
        const auto [lo, hi] = std::minmax_element(data.x.begin(), data.x.end());
        std::vector<double> xs(200);
        for (int i = 0; i < 200; ++i)
            xs[std::size_t(i)] = *lo + (*hi - *lo) * i / 199.0;
        mdn::Dataset samples;
        samples.name = "samples";
        for (const auto &[x, y] : mdnModel->sample(xs, o.samplesPerX, o.generator.seed + 1,
                                                   o.piTemperature, o.sigmaTemperature)) {
            samples.x.push_back(x);
            samples.y.push_back(y);
        }
        std::string e;
        if (!mdn::writeCsv(o.exportSamplesFile.toStdString(), samples, e)) {
            printError(QString::fromStdString(e));
            return 1;
        }
    }
    if (keepLosses && !exportCharts(o, data, mse ? &*mse : nullptr, mdnModel ? &*mdnModel : nullptr,
                                    mseRun, mdnRun, bayes, animation, error)) {
        printError(error);
        return 1;
    }
    if (!o.reportFile.isEmpty() &&
        !writeText(o.reportFile, QJsonDocument(report).toJson(QJsonDocument::Indented), error)) {
        printError(error);
        return 1;
    }
    if (interrupted) {
        std::fprintf(stderr, "mdnviz: interrupted: stopped after %ld epochs; outputs written\n",
                     std::max(mseRun.epochs, mdnRun.epochs));
        return kInterruptedExitCode;
    }
    return 0;
}

} // namespace mdnviz
