#pragma once
// The command line's options: the settings the window has too (mdn::settingsTable) and those only
// a headless run has, declared on a parser and read back checked.

#include "animationexport.h"
#include "chartexport.h"
#include "csv.h"
#include "dataset.h"
#include "session.h"
#include "settings.h"
#include "sweep.h"
#include "trainer.h"

#include <QSize>
#include <QString>

#include <optional>

class QCommandLineParser;

namespace mdnviz {

// Everything the command line can set. The window takes its initial settings from it too.
struct Options {
    bool headless = false;
    // The settings the window has too (mdn::settingsTable); the fields below that repeat them
    // (generator, models, epochs, validation, sampling) are derived from it by readOptions.
    mdn::Settings settings;
    // --preset: its values were set before the options given explicitly (empty: none).
    QString presetName;
    mdn::CsvColumns columns; // --inputs / --targets of the --data file (and --eval)
    mdn::GeneratorSpec generator = mdn::Settings().generatorSpec();
    QString dataFile;       // CSV instead of a generator
    // --session: a saved session (sessionfile.h) instead of --data or a generator; its data,
    // settings and models are the run's, and --epochs trains that many more epochs (none without).
    QString sessionFile;
    bool epochsGiven = false; // --epochs is on the command line
    // The data come from a generator (not --data, not a session of a CSV file's data).
    bool dataGenerated = true;
    QString modelSelection = QStringLiteral("both"); // mse | mdn | both
    long epochs = mdn::Settings().epochLimit;
    mdn::TrainConfig mse = mdn::Settings().modelConfig(mdn::ModelKind::Mse);
    mdn::TrainConfig mdn = mdn::Settings().modelConfig(mdn::ModelKind::Mdn);
    QString evalFile, reportFile, saveDataFile, exportSamplesFile, exportPng, exportDir;
    QString saveSessionFile; // --save-session: the whole session after training (sessionfile.h)
    QString predictFile; // --predict: the models' answers at the --eval (else held-out) points
    std::vector<double> target; // --target: one value per input (empty: the data's medians)
    // Held out of training, drawn with the seed; 0 = none.
    double validationPercent = mdn::Settings().validationPercent;
    int samplesPerX = mdn::Settings().samplesPerX;
    double piTemperature = mdn::Settings().piTemperature, sigmaTemperature = mdn::Settings().sigmaTemperature;
    QSize exportSize{1600, 1000};
    // Figures (app/figures.h).
    QString exportSvg, exportPdf, exportAnimation;
    ExportFormat exportDirFormat = ExportFormat::Png;
    int animationFrames = kDefaultAnimationFrames, animationFps = kDefaultAnimationFps;
    QSize animationSize = kDefaultAnimationSize;
    std::size_t maxRows = 50'000'000; // CsvLimits::maxRows of every CSV file read
    // Comparing models (app/sweepcli.h): --sweep NAME=V1,... with --sweep-seeds, its table as
    // CSV, or --auto (the MDN's size chosen by the held-out points).
    std::optional<mdn::SweepSpec> sweep;
    QString sweepCsvFile;
    bool autoSearch = false;

    bool trainsMse() const { return modelSelection != QLatin1String("mdn"); }
    bool trainsMdn() const { return modelSelection != QLatin1String("mse"); }
};

// The session a headless run trains: its options (split, generator) and its runs (the MSE net
// and/or the MDN, in that order; for a sweep or --auto, those of sweepSessionRuns).
mdn::SessionOptions sessionOptionsOf(const Options &options);
std::vector<mdn::TrainConfig> runsOf(const Options &options);

// Declares every option on the parser (with --help and --version).
void addOptions(QCommandLineParser &parser);
// Reads the parsed options; on a bad value returns nullopt and sets error to one line.
std::optional<Options> readOptions(const QCommandLineParser &parser, QString &error);

} // namespace mdnviz
