#include "options.h"

#include "figures.h"
#include "presetstore.h"
#include "sweepcli.h"

#include <QCommandLineParser>

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace mdnviz {

namespace {

struct OptionName {
    const char *name;
    const char *help;
    const char *value; // nullptr for a flag
};

// The options only the command line has; every setting of the window comes from
// mdn::settingsTable() (see addOptions).
const OptionName kOptions[] = {
    {"headless", "Train without a window and exit (0 on success).", nullptr},
    {"data", "Load a CSV file instead of a built-in dataset: (x, y) pairs, or any numeric columns "
             "(see --inputs and --targets).", "file"},
    {"session", "Open a saved session (data, settings and models) instead of --data or --dataset. "
                "With --headless its settings are the run's and --epochs E trains E more epochs "
                "(none without --epochs), bit for bit as if it had never stopped.", "file"},
    {"save-session", "With --headless: after training, write the whole session (data, settings, "
                     "models and their training state) to this file, for --session or "
                     "File > Open Session.", "file"},
    {"inputs", "The input columns of a --data file: header names or 1-based numbers, comma-separated "
               "(default: every column but the last, or the columns --targets leaves).", "COLS"},
    {"targets", "The target columns of a --data file, as --inputs (default: the last column, or the "
                "columns --inputs leaves).", "COLS"},
    {"model", "Which models to train: mse, mdn or both (default both).", "mse|mdn|both"},
    {"eval", "Score the trained models on another CSV file with the same columns.", "file"},
    {"predict", "Write each model's answer as CSV, one row per point of the --eval file (without "
                "--eval: per held-out point): its inputs, the MSE net's prediction (mse_ columns) and "
                "the mean of the MDN's most probable component (mdn_ columns).", "file"},
    {"report", "Write the metrics as JSON to this file.", "file"},
    {"save-data", "Write the dataset as CSV to this file.", "file"},
    {"export-samples", "Write MDN samples as CSV: S samples at each of 200 evenly spaced x (for "
                       "several inputs: at 200 of the data's input points).", "file"},
    {"export-png", "After training, render the Data & fits chart into this PNG file.", "file"},
    {"export-dir", "After training, render every chart into this folder, one file each (--format).", "dir"},
    {"size", "Pixel size of exported charts (default 1600x1000).", "WxH"},
    {"target", "Data with several inputs: the input point the figures are drawn at (the workspace's "
               "target; the mixture parameters along the first input through it), one value per input, "
               "comma-separated (default: the data's medians).", "X1,X2,..."},
    {"preset", "Start from the named preset's settings (see --list-presets); the options given "
               "explicitly apply on top of it.", "NAME"},
    {"list-presets", "Print each preset's name and title, tab-separated, and exit.", nullptr},
    {"max-rows", "Refuse CSV files with more than N data rows (default 50000000).", "N"},
};

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

} // namespace

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "mdnviz: watch a mixture density network learn a multi-valued function.\n"
        "Without --headless it opens the window; the options then set its initial values."));
    parser.addHelpOption();
    parser.addVersionOption();
    // The settings' own defaults, said once (the noise's help says its own).
    const mdn::Settings defaults;
    for (const mdn::SettingSpec &spec : mdn::settingsTable()) {
        if (!spec.option)
            continue;
        QString help = QString::fromUtf8(spec.help);
        if (std::strcmp(spec.key, "noise") != 0)
            help.insert(help.size() - 1, QStringLiteral(" (default %1)").arg(QString::fromStdString(spec.get(defaults))));
        parser.addOption(QCommandLineOption(QLatin1String(spec.option), help, QLatin1String(spec.valueName)));
    }
    for (const OptionName &o : kOptions) {
        if (o.value)
            parser.addOption(QCommandLineOption(QLatin1String(o.name), QLatin1String(o.help),
                                                QLatin1String(o.value)));
        else
            parser.addOption(QCommandLineOption(QLatin1String(o.name), QLatin1String(o.help)));
    }
    parser.addOptions(figureOptions());
    parser.addOptions(sweepOptions());
}

std::optional<Options> readOptions(const QCommandLineParser &p, QString &error)
{
    Options o;
    o.headless = p.isSet(QStringLiteral("headless"));
    if (!p.positionalArguments().isEmpty()) {
        error = QStringLiteral("unexpected argument '%1' (see --help)").arg(p.positionalArguments().first());
        return std::nullopt;
    }
    // An empty file name (`--data ""`, often an unset shell variable) would otherwise mean "none".
    for (const OptionName &option : kOptions) {
        const QLatin1String name(option.name);
        if (option.value && (std::strcmp(option.value, "file") == 0 || std::strcmp(option.value, "dir") == 0) &&
            p.isSet(name) && p.value(name).isEmpty()) {
            error = QStringLiteral("--%1: the %2 name is empty")
                        .arg(name, std::strcmp(option.value, "dir") == 0 ? QStringLiteral("folder")
                                                                           : QStringLiteral("file"));
            return std::nullopt;
        }
    }
    // Every setting the window has, read by the one table: its range, its parsing, its default.
    mdn::Settings &settings = o.settings;
    const bool preset = p.isSet(QStringLiteral("preset"));
    if (preset) {
        const QString name = p.value(QStringLiteral("preset"));
        const std::optional<mdn::Preset> found = findPreset(name);
        if (!found) {
            error = QStringLiteral("--preset %1: no such preset; the presets are %2")
                        .arg(name, presetNames().join(QStringLiteral(", ")));
            return std::nullopt;
        }
        try {
            settings = mdn::applyPreset(settings, *found);
        } catch (const std::invalid_argument &e) {
            error = QStringLiteral("--preset %1: %2").arg(name, QString::fromStdString(e.what()));
            return std::nullopt;
        }
        o.presetName = name;
    }
    for (const mdn::SettingSpec &spec : mdn::settingsTable()) {
        if (!spec.option || !p.isSet(QLatin1String(spec.option)))
            continue;
        const QString value = p.value(QLatin1String(spec.option));
        std::string why;
        if (!spec.set(settings, value.trimmed().toStdString(), why)) {
            error = QStringLiteral("--%1 %2: %3").arg(QLatin1String(spec.option), value, QString::fromStdString(why));
            return std::nullopt;
        }
    }
    // A generator brings its own noise unless --noise says otherwise (as choosing it in the dock);
    // a preset's generator comes with the preset's noise and points.
    const bool ownDefaults = !preset || p.isSet(QStringLiteral("dataset"));
    if (ownDefaults && !p.isSet(QStringLiteral("noise")))
        settings.noise = mdn::defaultNoise(settings.generator);
    // And its own number of points unless --points says otherwise.
    if (ownDefaults && !p.isSet(QStringLiteral("points")))
        settings.points = int(mdn::defaultPoints(settings.generator));
    o.generator = settings.generatorSpec();
    o.mse = settings.modelConfig(mdn::ModelKind::Mse);
    o.mdn = settings.modelConfig(mdn::ModelKind::Mdn);
    o.epochs = settings.epochLimit;
    o.validationPercent = settings.validationPercent;
    o.samplesPerX = settings.samplesPerX;
    o.piTemperature = settings.piTemperature;
    o.sigmaTemperature = settings.sigmaTemperature;
    o.dataFile = p.value(QStringLiteral("data"));
    o.dataGenerated = o.dataFile.isEmpty();
    o.sessionFile = p.value(QStringLiteral("session"));
    o.saveSessionFile = p.value(QStringLiteral("save-session"));
    o.epochsGiven = p.isSet(QStringLiteral("epochs"));
    if (!o.sessionFile.isEmpty()) {
        // A session brings its own data and settings: two sources would leave one ignored.
        for (const char *name : {"data", "dataset", "inputs", "targets", "model", "sweep", "auto"})
            if (p.isSet(QLatin1String(name))) {
                error = QStringLiteral("--%1 cannot be combined with --session: the session file holds "
                                       "the data, the settings and the models")
                            .arg(QLatin1String(name));
                return std::nullopt;
            }
        if (o.headless)
            for (const mdn::SettingSpec &spec : mdn::settingsTable())
                if (spec.option && std::strcmp(spec.option, "epochs") != 0 && p.isSet(QLatin1String(spec.option))) {
                    error = QStringLiteral("--%1 cannot be combined with --session: the session's settings are "
                                           "the run's (only --epochs, the epochs to train on, is taken)")
                                .arg(QLatin1String(spec.option));
                    return std::nullopt;
                }
    }
    if (p.isSet(QStringLiteral("model"))) {
        o.modelSelection = p.value(QStringLiteral("model"));
        if (o.modelSelection != QLatin1String("mse") && o.modelSelection != QLatin1String("mdn") &&
            o.modelSelection != QLatin1String("both")) {
            error = QStringLiteral("--model %1: expected mse, mdn or both").arg(o.modelSelection);
            return std::nullopt;
        }
    }
    if (!readNumber<std::size_t>(p, "max-rows", 1, 2'000'000'000, o.maxRows, error))
        return std::nullopt;
    // Columns of a --data file, comma-separated names or numbers.
    const auto columns = [&p](const char *name) {
        std::vector<std::string> out;
        if (p.isSet(QLatin1String(name)))
            for (const QString &c : p.value(QLatin1String(name)).split(QLatin1Char(',')))
                out.push_back(c.trimmed().toStdString());
        return out;
    };
    o.columns.inputs = columns("inputs");
    o.columns.targets = columns("targets");
    for (const char *name : {"inputs", "targets"}) {
        if (p.isSet(QLatin1String(name)) && o.dataFile.isEmpty()) {
            error = QStringLiteral("--%1 chooses columns of a --data file; there is none").arg(QLatin1String(name));
            return std::nullopt;
        }
        for (const std::string &c : name[0] == 'i' ? o.columns.inputs : o.columns.targets)
            if (c.empty()) {
                error = QStringLiteral("--%1 %2: a column name is empty").arg(QLatin1String(name), p.value(QLatin1String(name)));
                return std::nullopt;
            }
    }
    o.evalFile = p.value(QStringLiteral("eval"));
    o.reportFile = p.value(QStringLiteral("report"));
    o.predictFile = p.value(QStringLiteral("predict"));
    if (p.isSet(QStringLiteral("target"))) {
        const QString text = p.value(QStringLiteral("target"));
        for (const QString &part : text.split(QLatin1Char(','))) {
            bool ok = false;
            const double v = part.trimmed().toDouble(&ok);
            if (!ok || !std::isfinite(v)) {
                error = QStringLiteral("--target %1: expected numbers separated by commas, e.g. 0.5,0.6").arg(text);
                return std::nullopt;
            }
            o.target.push_back(v);
        }
    }
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
    if (!readSweepOptions(p, o, error))
        return std::nullopt;
    return o;
}

mdn::SessionOptions sessionOptionsOf(const Options &o)
{
    mdn::SessionOptions s;
    s.validationPercent = o.validationPercent;
    s.splitSeed = o.generator.seed;
    if (o.dataGenerated)
        s.generator = o.generator;
    return s;
}

std::vector<mdn::TrainConfig> runsOf(const Options &o)
{
    if (o.sweep || o.autoSearch)
        return sweepSessionRuns(o);
    std::vector<mdn::TrainConfig> runs;
    if (o.trainsMse())
        runs.push_back(o.mse);
    if (o.trainsMdn())
        runs.push_back(o.mdn);
    return runs;
}

} // namespace mdnviz
