#pragma once
// The command line: options shared by the window and the headless trainer, and the headless run.

#include "animationexport.h"
#include "chartexport.h"
#include "csv.h"
#include "dataset.h"
#include "session.h"
#include "settings.h"
#include "trainer.h"

#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>

class QCommandLineParser;

namespace mdnviz {

// Everything the command line can set. The window takes its initial settings from it too.
struct Options {
    bool headless = false;
    // The settings the window has too (mdn::settingsTable); the fields below that repeat them
    // (generator, models, epochs, validation, sampling) are derived from it by readOptions.
    mdn::Settings settings;
    mdn::CsvColumns columns; // --inputs / --targets of the --data file (and --eval)
    mdn::GeneratorSpec generator;
    QString dataFile;       // CSV instead of a generator
    QString modelSelection = QStringLiteral("both"); // mse | mdn | both
    long epochs = 3000;
    mdn::TrainConfig mse = mdn::defaultConfig(mdn::ModelKind::Mse);
    mdn::TrainConfig mdn = mdn::defaultConfig(mdn::ModelKind::Mdn);
    QString evalFile, reportFile, saveDataFile, exportSamplesFile, exportPng, exportDir;
    double validationPercent = 20.0; // held out of training, drawn with the seed; 0 = none
    int samplesPerX = 10;
    double piTemperature = 1.0, sigmaTemperature = 1.0;
    QSize exportSize{1600, 1000};
    // Figures (app/figures.h).
    QString exportSvg, exportPdf, exportAnimation;
    ExportFormat exportDirFormat = ExportFormat::Png;
    int animationFrames = kDefaultAnimationFrames, animationFps = kDefaultAnimationFps;
    QSize animationSize = kDefaultAnimationSize;
    std::size_t maxRows = 50'000'000; // CsvLimits::maxRows of every CSV file read

    bool trainsMse() const { return modelSelection != QLatin1String("mdn"); }
    bool trainsMdn() const { return modelSelection != QLatin1String("mse"); }
};

// The session a headless run trains: its options (split, generator) and its runs (the MSE net
// and/or the MDN, in that order).
mdn::SessionOptions sessionOptionsOf(const Options &options);
std::vector<mdn::TrainConfig> runsOf(const Options &options);

// Declares every option on the parser (with --help and --version).
void addOptions(QCommandLineParser &parser);
// Reads the parsed options; on a bad value returns nullopt and sets error to one line.
std::optional<Options> readOptions(const QCommandLineParser &parser, QString &error);

// Makes SIGINT, SIGTERM and SIGHUP stop a headless run (see runHeadless) and ignores SIGPIPE.
// runHeadless calls it; main calls it first thing too, so that a signal during start-up counts.
void catchInterrupts();

// Trains without a window as the options say; prints a summary on stdout. Returns the exit code
// (0 on success, 1 with a one-line message on stderr on any error). SIGINT, SIGTERM or SIGHUP
// stop loading, preparing, both training threads and the validation passes; the outputs asked
// for are then written for the epochs done, and the code is 128 + the signal.
int runHeadless(const Options &options);

} // namespace mdnviz
