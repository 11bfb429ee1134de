#include "cli.h"

#include "chartexport.h"
#include "armviews.h"
#include "chartset.h"
#include "csv.h"
#include "datachart.h"
#include "figures.h"
#include "losschart.h"
#include "losshistory.h"
#include "mixturechart.h"
#include "presetstore.h"
#include "robotarm.h"
#include "scale.h"
#include "slicechart.h"
#include "session.h"
#include "sessionfile.h"
#include "split.h"
#include "sweepcli.h"

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
#include <cstring>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include <signal.h>
#include <sys/stat.h>

namespace mdnviz {

namespace {

// Set by SIGINT, SIGTERM or SIGHUP in headless mode: loading, generating, both training threads
// and the validation passes stop, and the report of what was done is still written. Lock-free
// atomics are safe to store from a handler.
std::atomic<bool> g_interrupted{false};
std::atomic<int> g_signal{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

extern "C" void onInterrupt(int signo)
{
    g_signal.store(signo, std::memory_order_relaxed);
    g_interrupted.store(true, std::memory_order_relaxed);
}

// Ctrl-C, `kill`/`timeout` (SIGTERM) and a closed terminal (SIGHUP) all end the run the same way.
// SA_RESETHAND: a second signal ends the process at once, as users expect when the first one
// seems slow to act (every file is written atomically, so that loses nothing already saved).
// A closed stdout (`mdnviz ... | head`) is no reason to lose the files: SIGPIPE is ignored and a
// failed write to stdout is not an error.
} // namespace

void catchInterrupts()
{
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    for (int signo : {SIGINT, SIGTERM, SIGHUP})
        ::sigaction(signo, &action, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
}

namespace {

// What shells report for a command ended by that signal: 130 for Ctrl-C, 143 for SIGTERM.
int interruptedExitCode() { return 128 + g_signal.load(); }

void printError(const QString &message)
{
    std::fprintf(stderr, "mdnviz: error: %s\n", qPrintable(message));
}

QJsonValue finiteOrNull(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(); }

// A figure as printed on stdout: the same value as in the report, and where the report has null
// (no epoch trained, not evaluated, not finite) the same word every time.
QString figure(double v, char format = 'g', int precision = 5)
{
    return std::isfinite(v) ? QString::number(v, format, precision) : QStringLiteral("n/a");
}

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

// Reads a CSV file and checks that its values are in the range mdnviz trains on (only their
// magnitude for data that is scored, not trained on).
bool loadCsv(const QString &path, const mdn::CsvColumns &columns, mdn::Dataset &out, QString &error,
             std::size_t maxRows, bool trainedOn)
{
    mdn::CsvError e;
    mdn::CsvLimits limits;
    limits.maxRows = maxRows;
    if (!mdn::readCsv(QFile::encodeName(path).toStdString(), out, e, limits, nullptr, &g_interrupted, columns)) {
        error = QString::fromStdString(e.toString());
        return false;
    }
    std::string why;
    if (!mdn::checkScale(out, why, trainedOn)) {
        error = QStringLiteral("%1: %2").arg(path, QString::fromStdString(why));
        return false;
    }
    return true;
}

// An option naming a file (or folder) the run reads or writes.
struct PathOption {
    QString option; // "--report"
    QString path;
};

// The figures of data with two inputs and two targets in --export-dir: the inputs' plane (the
// arm's workspace) and the targets' (its joint angles).
QString planeFileName(int which, ExportFormat format)
{
    return QLatin1String(which == 0 ? "workspace." : "joint-space.") + exportFormatName(format);
}

// Every file the run writes, with the option that names it, in one place: the checks before
// the run (folders, read-only files, clashes with the inputs and with each other) cover each.
QList<PathOption> outputPaths(const Options &o)
{
    QList<PathOption> out;
    const auto add = [&out](const char *option, const QString &path) {
        if (!path.isEmpty())
            out.push_back({QLatin1String(option), path});
    };
    add("--report", o.reportFile);
    add("--save-data", o.saveDataFile);
    add("--export-samples", o.exportSamplesFile);
    add("--predict", o.predictFile);
    add("--export-png", o.exportPng);
    add("--export-svg", o.exportSvg);
    add("--export-pdf", o.exportPdf);
    add("--export-animation", o.exportAnimation);
    add("--save-session", o.saveSessionFile);
    if (!o.exportDir.isEmpty())
        for (ChartKind chart : kAllCharts)
            add("--export-dir", QDir(o.exportDir).filePath(chartFileName(chart, o.exportDirFormat)));
    add("--sweep-csv", o.sweepCsvFile);
    if (!o.exportDir.isEmpty() && o.sweep)
        add("--export-dir", QDir(o.exportDir).filePath(sweepChartFileName(o)));
    if (!o.exportDir.isEmpty()) // written for data of two inputs and two targets only
        for (int which : {0, 1})
            add("--export-dir", QDir(o.exportDir).filePath(planeFileName(which, o.exportDirFormat)));
    return out;
}

QList<PathOption> inputPaths(const Options &o)
{
    QList<PathOption> in;
    if (!o.dataFile.isEmpty())
        in.push_back({QStringLiteral("--data"), o.dataFile});
    if (!o.sessionFile.isEmpty())
        in.push_back({QStringLiteral("--session"), o.sessionFile});
    if (!o.evalFile.isEmpty())
        in.push_back({QStringLiteral("--eval"), o.evalFile});
    return in;
}

// What identifies a file whatever path names it: device and inode when it exists (symbolic and
// hard links, "./" and ".." all lead to the same), else the canonical folder plus the name.
QString fileIdentity(const QString &path)
{
    struct stat info {};
    if (::stat(QFile::encodeName(path).constData(), &info) == 0)
        return QStringLiteral("inode:%1:%2").arg(quint64(info.st_dev)).arg(quint64(info.st_ino));
    const QFileInfo f(path);
    const QString folder = QFileInfo(f.absolutePath()).canonicalFilePath();
    return QStringLiteral("path:") + (folder.isEmpty() ? f.absoluteFilePath() : folder + '/' + f.fileName());
}

// The checks that need no work: each output can be written (its folder exists, it is no
// folder, not read-only), and no output is an input or another output. One line on failure.
bool checkPaths(const Options &o, QString &error)
{
    if (!o.exportDir.isEmpty() && QFileInfo::exists(o.exportDir) && !QFileInfo(o.exportDir).isDir()) {
        error = QStringLiteral("--export-dir %1: not a folder").arg(o.exportDir);
        return false;
    }
    std::map<QString, PathOption> seen;
    for (const PathOption &in : inputPaths(o))
        seen.emplace(fileIdentity(in.path), in);
    for (const PathOption &out : outputPaths(o)) {
        // A missing --export-dir is created, so its files cannot be checked before.
        const bool inNewFolder = out.option == QLatin1String("--export-dir") && !QFileInfo::exists(o.exportDir);
        std::string resolved, why;
        if (!inNewFolder && !mdn::checkOutputTarget(QFile::encodeName(out.path).toStdString(), resolved, why)) {
            error = QStringLiteral("%1: %2").arg(out.option, QString::fromStdString(why));
            return false;
        }
        const QString id = fileIdentity(inNewFolder ? out.path : QFile::decodeName(resolved.c_str()));
        const auto [at, added] = seen.emplace(id, out);
        if (!added) {
            const PathOption &other = at->second;
            const bool isInput = other.option == QLatin1String("--data") || other.option == QLatin1String("--eval") ||
                                 other.option == QLatin1String("--session");
            error = QStringLiteral("%1 %2 is the same file as %3 %4: %5")
                        .arg(out.option, out.path, other.option, other.path,
                             isInput ? QStringLiteral("writing it would destroy the input")
                                     : QStringLiteral("one output would overwrite the other"));
            return false;
        }
    }
    if (!o.predictFile.isEmpty() && o.evalFile.isEmpty() && !(o.validationPercent > 0)) {
        error = QStringLiteral("--predict: no points to answer for: give --eval FILE, or hold points out "
                               "(--validation above 0)");
        return false;
    }
    if (!o.exportSamplesFile.isEmpty() && !o.trainsMdn()) {
        error = QStringLiteral("--export-samples needs the MDN (--model mdn or both)");
        return false;
    }
    return true;
}

// A flag that turns true a fixed time after construction (or never, when destroyed before).
class Deadline {
public:
    explicit Deadline(std::chrono::milliseconds after)
        : m_thread([this, after] {
              std::unique_lock<std::mutex> lock(m_mutex);
              if (!m_done.wait_for(lock, after, [this] { return m_finished; }))
                  m_expired.store(true);
          })
    {
    }
    ~Deadline()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_finished = true;
        }
        m_done.notify_all();
        m_thread.join();
    }
    const std::atomic<bool> *flag() const { return &m_expired; }

private:
    std::atomic<bool> m_expired{false};
    std::mutex m_mutex;
    std::condition_variable m_done;
    bool m_finished = false;
    std::thread m_thread;
};

// After an interrupt the figures on the held-out and eval points are still worth having when
// they come quickly: their passes get this long, then stop (their figures are then null).
constexpr std::chrono::milliseconds kFiguresAfterInterrupt{300};

// The loss curves of the session's first MSE and MDN runs, as the loss chart takes them: every
// epoch up to kMaxLossPoints of them, then every k-th epoch, with every epoch whose held-out
// losses were scored.
constexpr long kMaxLossPoints = 8192;

std::vector<mdn::LossPoint> lossPoints(const mdn::Session &session)
{
    std::vector<mdn::LossPoint> all = session.lossPoints(-1);
    const long stride = std::max(1L, long(all.size()) / kMaxLossPoints + 1);
    if (stride == 1)
        return all;
    std::vector<mdn::LossPoint> kept;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const mdn::LossPoint &p = all[i];
        if (p.epoch % stride == 0 || i + 1 == all.size() || std::isfinite(p.validationNll) ||
            std::isfinite(p.validationMse))
            kept.push_back(p);
    }
    return kept;
}

// Renders the charts as the window shows them after training.
bool exportCharts(const Options &o, const mdn::Session &session, const HeadlessAnimation &animation,
                  QString &error)
{
    const mdn::Dataset &data = session.data();
    mdn::Snapshot s = session.snapshot(snapshotRequest(o));
    s.losses = lossPoints(session);

    DataChart dataChart;
    LossChart lossChart;
    MixtureChart mixtureChart;
    SliceChart sliceChart;
    ChartSet charts{&dataChart, &lossChart, &mixtureChart, &sliceChart};
    charts.applyView(Settings());
    charts.setDataset(data, o.dataGenerated ? std::optional(o.generator.generator) : std::nullopt,
                      o.generator.noise);
    charts.showSnapshot(s);
    if (!exportFigures(o, charts, error) || !animation.write(dataChart.overlays(), error))
        return false;
    if (o.exportDir.isEmpty() || data.inputDims < 2 || data.targetDims < 2)
        return true;
    // Two inputs and two targets: the workspace with the target (--target, else the medians) and
    // the arms the models give for it, and the joint-angle plane with the MDN's density there.
    WorkspaceView workspace;
    JointView joint;
    const bool arm = o.dataGenerated && o.generator.generator == mdn::Generator::RobotArm;
    workspace.setShowArms(arm);
    joint.setShowArms(arm);
    workspace.setData(data);
    joint.setData(data);
    if (o.target.size() >= 2) // else the data's medians
        workspace.setTarget(QPointF(o.target[0], o.target[1]));
    joint.setTarget(workspace.target());
    workspace.setSamplesPerTarget(std::max(o.samplesPerX, 0));
    workspace.setModels(s.msePredictor, s.mdnPredictor);
    joint.setModels(s.msePredictor, s.mdnPredictor);
    const QDir dir(o.exportDir);
    return exportFigure(workspace.figure(), dir.filePath(planeFileName(0, o.exportDirFormat)), o.exportSize,
                        o.exportDirFormat, &error) &&
           exportFigure(joint.figure(), dir.filePath(planeFileName(1, o.exportDirFormat)), o.exportSize,
                        o.exportDirFormat, &error);
}

QJsonObject modelReport(const mdn::Trainer &t, const mdn::RunHistory &r)
{
    QJsonObject o;
    o["hidden"] = t.config().hidden.front();
    o["optimizer"] = mdn::optimizerName(t.config().optimizer.kind);
    o["learning_rate"] = finiteOrNull(t.learningRate());
    o["batch"] = qint64(t.config().batch);
    o["epochs"] = qint64(t.epoch());
    o["seconds"] = r.seconds;
    o["epochs_per_second"] = finiteOrNull(r.seconds > 0 ? double(t.epoch()) / r.seconds : 0.0);
    o["stopped_by_faults"] = t.failed();
    return o;
}

// The arm's inverse problem: how far the end effector lands from where it was sent, with the
// angles a model gives (the MDN: its likeliest component's mean), RMS over the points of `d`.
double positionRmseOf(const mdn::Trainer &t, const mdn::Dataset &d)
{
    Eigen::MatrixXd X(2, Eigen::Index(d.size()));
    for (std::size_t j = 0; j < d.size(); ++j)
        for (int c = 0; c < 2; ++c)
            X(c, Eigen::Index(j)) = d.input(j, c);
    return mdn::arm::positionRmse(d, t.predictor().likeliestAt(X));
}

// The models' answers at every point of `d`, as a table: the point's inputs, then the MSE net's
// prediction ("mse_" + target name) and the mean of the MDN's most probable component ("mdn_"
// + target name) -- the one answer each gives where several may be right. In blocks, so that a
// large file needs no second copy of itself.
mdn::Dataset predictions(const mdn::Dataset &d, const mdn::Trainer *mse, const mdn::Trainer *mdnModel)
{
    std::vector<mdn::Predictor> models;
    mdn::Dataset out;
    out.name = "predictions";
    out.inputDims = d.inputDims;
    out.inputNames.clear();
    for (int c = 0; c < d.inputDims; ++c)
        out.inputNames.push_back(d.inputName(c));
    for (const mdn::Trainer *t : {mse, mdnModel}) {
        if (!t)
            continue;
        models.push_back(t->predictor());
        for (int c = 0; c < d.targetDims; ++c)
            out.targetNames.push_back(std::string(mdn::modelName(t->config().kind)) + "_" + d.targetName(c));
    }
    out.targetDims = int(out.targetNames.size());
    out.x.reserve(d.x.size());
    out.y.reserve(d.size() * out.targetNames.size());
    constexpr std::size_t kBlock = 4096;
    std::vector<double> row(out.targetNames.size());
    for (std::size_t start = 0; start < d.size(); start += kBlock) {
        const std::size_t n = std::min(kBlock, d.size() - start);
        Eigen::MatrixXd X(d.inputDims, Eigen::Index(n));
        for (std::size_t j = 0; j < n; ++j)
            for (int c = 0; c < d.inputDims; ++c)
                X(c, Eigen::Index(j)) = d.input(start + j, c);
        std::vector<Eigen::MatrixXd> answers;
        for (const mdn::Predictor &m : models)
            answers.push_back(m.likeliestAt(X));
        for (std::size_t j = 0; j < n; ++j) {
            std::size_t k = 0;
            for (const Eigen::MatrixXd &a : answers)
                for (int c = 0; c < d.targetDims; ++c)
                    row[k++] = a(c, Eigen::Index(j));
            out.addPoint(X.col(Eigen::Index(j)).data(), row.data());
        }
    }
    return out;
}

// A --session run: the session's data, settings and models are the run's; --epochs (if given)
// is how many more epochs to train. The settings saved again ask for the epoch reached.
void adoptSession(Options &o, const SessionFile &file, long epoch)
{
    o.settings = file.settings;
    o.dataGenerated = file.options.generator.has_value();
    o.dataFile.clear();
    o.generator = file.options.generator.value_or(file.settings.generatorSpec());
    bool mse = false, mdnModel = false;
    for (const mdn::TrainConfig &run : file.runs) {
        if (run.kind == mdn::ModelKind::Mse && !mse) {
            o.mse = run;
            mse = true;
        } else if (run.kind == mdn::ModelKind::Mdn && !mdnModel) {
            o.mdn = run;
            mdnModel = true;
        }
    }
    o.modelSelection = mse && mdnModel ? QStringLiteral("both") : mse ? QStringLiteral("mse") : QStringLiteral("mdn");
    o.epochs = o.epochsGiven ? o.epochs : 0;
    // (Within the setting's range, so that the file saved reads back.)
    o.settings.epochLimit = std::min(epoch + o.epochs, long(mdn::settingSpec("epochLimit").max));
    o.validationPercent = file.options.validationPercent;
    o.samplesPerX = file.settings.samplesPerX;
    o.piTemperature = file.settings.piTemperature;
    o.sigmaTemperature = file.settings.sigmaTemperature;
}

} // namespace

int runHeadless(const Options &given)
{
    QString error;
    catchInterrupts();
    if (!checkPaths(given, error)) {
        printError(error);
        return 1;
    }
    // A saved session instead of data: read and checked whole before anything is written.
    Options o = given;
    std::unique_ptr<mdn::Session> restored;
    if (!given.sessionFile.isEmpty()) {
        const std::optional<SessionFile> file = readSessionFile(given.sessionFile, &error);
        if (file) {
            restored = makeSession(*file, &error);
            if (!restored)
                error = QStringLiteral("%1: %2").arg(given.sessionFile, error);
        }
        if (!restored) {
            printError(error);
            return 1;
        }
        adoptSession(o, *file, restored->epoch());
        if (!checkPaths(o, error)) {
            printError(error);
            return 1;
        }
    }
    const long startEpoch = restored ? restored->epoch() : 0;

    QJsonObject report;
    report["epochs"] = qint64(o.epochs);
    if (!o.presetName.isEmpty()) {
        QJsonObject preset, values;
        preset["name"] = o.presetName;
        if (const std::optional<mdn::Preset> p = findPreset(o.presetName))
            for (const auto &[key, value] : p->values)
                values[QString::fromStdString(key)] = QString::fromStdString(value);
        preset["values"] = values;
        report["preset"] = preset;
    }
    QJsonObject ds;
    ds["source"] = restored ? o.sessionFile : o.dataGenerated ? QStringLiteral("generator") : o.dataFile;
    if (restored)
        report["start_epoch"] = qint64(startEpoch);
    if (o.dataGenerated) {
        ds["noise"] = o.generator.noise;
        ds["seed"] = qint64(o.generator.seed);
    }
    const auto writeReport = [&](const QJsonObject &r) {
        return o.reportFile.isEmpty() || writeText(o.reportFile, QJsonDocument(r).toJson(QJsonDocument::Indented), error);
    };

    mdn::Dataset data, evalData;
    const bool loaded = restored         ? true
                        : o.dataGenerated ? (data = mdn::generate(o.generator, &g_interrupted), true)
                                          : loadCsv(o.dataFile, o.columns, data, error, o.maxRows, true);
    // The data trained on: the session's, or those just made.
    const mdn::Dataset &known = restored ? restored->data() : data;
    if ((!loaded || (!o.evalFile.isEmpty() && !loadCsv(o.evalFile, o.columns, evalData, error, o.maxRows, false))) &&
        !g_interrupted.load()) {
        printError(error);
        return 1;
    }
    // The file to score must have the columns trained on.
    if (!o.evalFile.isEmpty() && !g_interrupted.load() &&
        (evalData.inputDims != known.inputDims || evalData.targetDims != known.targetDims)) {
        printError(QStringLiteral("%1: has %2 input and %3 target columns; the data trained on has %4 and %5")
                       .arg(o.evalFile)
                       .arg(evalData.inputDims)
                       .arg(evalData.targetDims)
                       .arg(known.inputDims)
                       .arg(known.targetDims));
        return 1;
    }
    if (!o.target.empty() && !g_interrupted.load() && o.target.size() != std::size_t(known.inputDims)) {
        printError(QStringLiteral("--target: %1 values given; the data have %2 inputs")
                       .arg(o.target.size())
                       .arg(known.inputDims));
        return 1;
    }
    // Interrupted before any model exists: the report says how far the run got (`stage`), and
    // nothing else is written.
    std::size_t points = known.size();
    const auto stopBeforeTraining = [&](const char *stage) {
        ds["points"] = qint64(points);
        report["dataset"] = ds;
        report["interrupted"] = true;
        report["stage"] = QLatin1String(stage);
        if (!writeReport(report)) {
            printError(error);
            return 1;
        }
        std::fprintf(stderr, "mdnviz: interrupted while %s; %s\n", stage,
                     o.reportFile.isEmpty() ? "nothing written" : "only the report written");
        return interruptedExitCode();
    };
    points = known.size();
    if (g_interrupted.load())
        return stopBeforeTraining("loading");
    ds["name"] = QString::fromStdString(known.name);
    ds["points"] = qint64(known.size());
    if (!known.oneDimensional()) {
        QJsonArray inputs, targets;
        for (int c = 0; c < known.inputDims; ++c)
            inputs.append(QString::fromStdString(known.inputName(c)));
        for (int c = 0; c < known.targetDims; ++c)
            targets.append(QString::fromStdString(known.targetName(c)));
        ds["inputs"] = inputs;
        ds["targets"] = targets;
    }
    if (!o.saveDataFile.isEmpty()) {
        std::string e;
        if (!mdn::writeCsv(QFile::encodeName(o.saveDataFile).toStdString(), known, e)) {
            printError(QString::fromStdString(e));
            return 1;
        }
    }

    // The session: the split (the models never train on the held-out points), the Bayes floor
    // for a generator (a file's density is unknown; -infinity for a noiseless generator, which
    // has no floor) and the models. Each step takes up to a few tenths of a second at 5,000,000
    // points: an interrupt is looked for after it.
    std::unique_ptr<mdn::Session> session = std::move(restored);
    mdn::SessionOptions sessionOptions = sessionOptionsOf(o);
    // Compared runs keep best weights that do not depend on the machine's load.
    sessionOptions.reproducibleSchedule = o.sweep || o.autoSearch;
    try {
        if (!session && !g_interrupted.load())
            session = std::make_unique<mdn::Session>(std::make_shared<const mdn::Dataset>(std::move(data)),
                                                     sessionOptions, runsOf(o), &g_interrupted);
    } catch (const std::exception &e) {
        printError(QString::fromUtf8(e.what()));
        return 1;
    }
    if (g_interrupted.load() || !session)
        return stopBeforeTraining("preparing");
    const mdn::Dataset &train = session->trainingData();
    const mdn::Dataset &validation = session->validationData();
    const double bayes = session->bayesNll();

    // The models train side by side, each on a core of its own.
    const bool keepLosses = wantsFigures(o);
    HeadlessAnimation animation(o, session->data());
    for (std::size_t r = 0; r < session->runCount(); ++r)
        animation.record(session->trainer(r));
    session->setEpochObserver([&animation](std::size_t, const mdn::Trainer &t) { animation.record(t); });
    session->train(o.epochs, std::chrono::nanoseconds(0), &g_interrupted);

    // A sweep or --auto: the run the report, the figures and --predict describe is the one the
    // held-out points chose (see sweepcli.h); otherwise the session's only run of each kind.
    std::optional<SweepOutcome> sweep;
    if (o.sweep || o.autoSearch)
        sweep = finishSweep(o, *session);
    const std::optional<std::size_t> mseRun = session->shownRun(mdn::ModelKind::Mse);
    const std::optional<std::size_t> mdnRun = session->shownRun(mdn::ModelKind::Mdn);
    const mdn::Trainer *mse = mseRun ? &session->trainer(*mseRun) : nullptr;
    const mdn::Trainer *mdnModel = mdnRun ? &session->trainer(*mdnRun) : nullptr;

    ds["train_points"] = qint64(train.size());
    ds["validation_points"] = qint64(validation.size());
    ds["validation_percent"] = o.validationPercent;
    report["dataset"] = ds;

    // Each figure once, where it cannot overflow (Trainer::loss works in double). An interrupt
    // stops these passes too; after one, they get kFiguresAfterInterrupt.
    std::optional<Deadline> deadline;
    if (g_interrupted.load())
        deadline.emplace(kFiguresAfterInterrupt);
    const std::atomic<bool> *stopFigures = deadline ? deadline->flag() : &g_interrupted;
    const auto lossOn = [stopFigures](const mdn::Trainer *t, const mdn::Dataset &d) {
        return t && !d.empty() ? t->loss(d, stopFigures) : std::nan("");
    };
    const double mseValidation = lossOn(mse, validation), nllValidation = lossOn(mdnModel, validation);
    const double mseEval = lossOn(mse, evalData), nllEval = lossOn(mdnModel, evalData);
    deadline.reset();
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

    // The robot arm's inverse problem is judged, as Bishop did, by where the answer puts the hand.
    const bool armInverse = o.dataGenerated && o.generator.generator == mdn::Generator::RobotArm;
    // stdout may be a closed pipe: what is written there is best effort, the files are not.
    QTextStream out(stdout);
    if (mse) {
        const mdn::RunHistory &h = session->history(*mseRun);
        QJsonObject m = modelReport(*mse, h);
        m["train_loss"] = finiteOrNull(mse->lastLoss());
        if (!validation.empty())
            m["validation_loss"] = finiteOrNull(mseValidation);
        if (armInverse && !validation.empty())
            m["position_rmse"] = finiteOrNull(positionRmseOf(*mse, validation));
        m["best_epoch"] = session->bestEpoch(*mseRun) >= 0 ? QJsonValue(qint64(session->bestEpoch(*mseRun))) : QJsonValue();
        m["best_validation_loss"] = finiteOrNull(session->bestValidation(*mseRun));
        report["mse"] = m;
        collectFaults(*mse);
        out << QStringLiteral("mse: %1 epochs in %2 s, train MSE %3\n")
                   .arg(mse->epoch())
                   .arg(h.seconds, 0, 'f', 3)
                   .arg(figure(mse->lastLoss()));
    }
    const bool noFloor = std::isinf(bayes) && bayes < 0;
    if (mdnModel) {
        const mdn::RunHistory &h = session->history(*mdnRun);
        QJsonObject m = modelReport(*mdnModel, h);
        m["mixtures"] = mdnModel->config().mixtures;
        // --auto keeps the chosen run's best weights: their training NLL, not the last epoch's.
        const double trainNll = o.autoSearch ? mdnModel->loss(session->trainingData()) : mdnModel->lastLoss();
        m["train_nll"] = finiteOrNull(trainNll);
        // Present only where they exist: no validation points, no known density (a file), or
        // no finite floor (a noiseless generator) leave them out.
        if (!validation.empty())
            m["validation_nll"] = finiteOrNull(nllValidation);
        if (!validation.empty() && std::isfinite(bayes)) {
            m["bayes_nll"] = bayes;
            m["bayes_gap"] = finiteOrNull(nllValidation - bayes);
        }
        if (armInverse && !validation.empty())
            m["position_rmse"] = finiteOrNull(positionRmseOf(*mdnModel, validation));
        m["best_epoch"] = session->bestEpoch(*mdnRun) >= 0 ? QJsonValue(qint64(session->bestEpoch(*mdnRun))) : QJsonValue();
        m["best_validation_nll"] = finiteOrNull(session->bestValidation(*mdnRun));
        report["mdn"] = m;
        collectFaults(*mdnModel);
        out << QStringLiteral("mdn: %1 epochs in %2 s (%3 epochs/s), train NLL %4 nats\n")
                   .arg(mdnModel->epoch())
                   .arg(h.seconds, 0, 'f', 3)
                   .arg(h.seconds > 0 ? double(mdnModel->epoch()) / h.seconds : 0.0, 0, 'f', 0)
                   .arg(figure(trainNll));
    }
    if (!validation.empty()) {
        out << QStringLiteral("validation: %1 points").arg(validation.size());
        if (mse)
            out << QStringLiteral(", MSE %1").arg(figure(mseValidation));
        if (mdnModel) {
            out << QStringLiteral(", NLL %1 nats").arg(figure(nllValidation));
            if (std::isfinite(bayes))
                out << QStringLiteral(" (Bayes-optimal %1, gap %2)")
                           .arg(figure(bayes), figure(nllValidation - bayes, 'f', 4));
            else if (noFloor)
                out << QStringLiteral(" (Bayes-optimal: none, the generator has no noise)");
        }
        out << "\n";
    }
    if (sweep) {
        report[sweep->key] = sweep->json;
        printSweep(out, o, *sweep);
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
            ev["mse_loss"] = finiteOrNull(mseEval);
        if (mdnModel)
            ev["mdn_nll"] = finiteOrNull(nllEval);
        report["eval"] = ev;
        out << QStringLiteral("eval: %1 points").arg(evalData.size());
        if (mse)
            out << QStringLiteral(", MSE %1").arg(figure(mseEval));
        if (mdnModel)
            out << QStringLiteral(", NLL %1 nats").arg(figure(nllEval));
        out << "\n";
    }
    if (armInverse && !validation.empty() && (mse || mdnModel)) {
        out << QStringLiteral("arm: the hand lands, RMS, from its target");
        if (mdnModel)
            out << QStringLiteral(" %1 with the MDN's likeliest angles").arg(figure(positionRmseOf(*mdnModel, validation)));
        if (mse)
            out << QStringLiteral("%1 %2 with the MSE net's")
                       .arg(mdnModel ? QStringLiteral(",") : QString(), figure(positionRmseOf(*mse, validation)));
        out << "\n";
    }
    out.flush();

    if (!o.exportSamplesFile.isEmpty()) {
        const mdn::Dataset &d = session->data();
        mdn::Dataset samples;
        samples.name = "samples";
        if (d.oneDimensional()) {
            // 200 x values over the data's range.
            const auto [lo, hi] = std::minmax_element(d.x.begin(), d.x.end());
            for (const auto &[x, y] : mdnModel->sample(mdn::linspace(*lo, *hi, 200), o.samplesPerX,
                                                       o.generator.seed + 1, o.piTemperature,
                                                       o.sigmaTemperature)) {
                samples.x.push_back(x);
                samples.y.push_back(y);
            }
        } else {
            // At up to 200 of the data's own input points, evenly spread through the file.
            samples.inputDims = d.inputDims;
            samples.targetDims = d.targetDims;
            samples.inputNames = d.inputNames;
            samples.targetNames = d.targetNames;
            const std::size_t n = std::min<std::size_t>(200, d.size());
            Eigen::MatrixXd X(d.inputDims, Eigen::Index(n));
            for (std::size_t j = 0; j < n; ++j)
                for (int c = 0; c < d.inputDims; ++c)
                    X(c, Eigen::Index(j)) = d.input(j * d.size() / n, c);
            const Eigen::MatrixXd Y = mdnModel->sampleAt(X, o.samplesPerX, o.generator.seed + 1,
                                                         o.piTemperature, o.sigmaTemperature);
            for (Eigen::Index c = 0; c < Y.cols(); ++c)
                samples.addPoint(X.col(c / std::max(o.samplesPerX, 1)).data(), Y.col(c).data());
        }
        std::string e;
        if (!mdn::writeCsv(QFile::encodeName(o.exportSamplesFile).toStdString(), samples, e)) {
            printError(QString::fromStdString(e));
            return 1;
        }
    }
    if (!o.predictFile.isEmpty()) {
        std::string e;
        if (!mdn::writeCsv(QFile::encodeName(o.predictFile).toStdString(),
                           predictions(o.evalFile.isEmpty() ? validation : evalData, mse, mdnModel), e)) {
            printError(QString::fromStdString(e));
            return 1;
        }
    }
    if (keepLosses && !exportCharts(o, *session, animation, error)) {
        printError(error);
        return 1;
    }
    if (sweep && !writeSweepFiles(o, *session, *sweep, error)) {
        printError(error);
        return 1;
    }
    if (!o.dataGenerated && !restored) { // the settings say where the data came from
        o.settings.fromFile = true;
        o.settings.filePath = QFile::encodeName(QFileInfo(o.dataFile).absoluteFilePath()).toStdString();
    }
    // The whole session, to go on with later (an interrupted one too: it goes on from where it was).
    if (!o.saveSessionFile.isEmpty() && !writeSessionFile(o.saveSessionFile, *session, o.settings, QJsonObject(), &error)) {
        printError(error);
        return 1;
    }
    if (!writeReport(report)) {
        printError(error);
        return 1;
    }
    if (interrupted) {
        std::fprintf(stderr, "mdnviz: interrupted: stopped after %ld epochs; outputs written\n",
                     std::max(mse ? mse->epoch() : 0L, mdnModel ? mdnModel->epoch() : 0L));
        return interruptedExitCode();
    }
    return 0;
}

} // namespace mdnviz
