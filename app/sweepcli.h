#pragma once
// Comparing models on the command line: --sweep NAME=V1,V2,... (with --sweep-seeds N and
// --sweep-csv FILE) trains one run per value and seed in one session and reports each, and
// --auto chooses the MDN's size by the held-out points (mdn::autoCandidates, early-stopped at
// each run's best held-out NLL). A sweep trains only the swept model: the MDN, or the MSE net
// for mse-hidden; --auto trains the MSE net once beside its candidates.

#include "session.h"
#include "sweep.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>
#include <vector>

class QCommandLineOption;
class QCommandLineParser;
class QTextStream;

namespace mdnviz {

struct Options;

// The options, in the order --help lists them.
QList<QCommandLineOption> sweepOptions();
// Reads them into `o` (after the settings, --model and the figure options); on a bad value or a
// combination that means nothing returns false and sets error to one line.
bool readSweepOptions(const QCommandLineParser &parser, Options &o, QString &error);

// The session's runs for a sweep (value-major, then seed) or --auto (the MSE net when trained,
// then the candidates).
std::vector<mdn::TrainConfig> sweepSessionRuns(const Options &o);
// The sweep's chart in --export-dir: "sweep.png" (or the --format's suffix).
QString sweepChartFileName(const Options &o);

// What a trained sweep or --auto comes to: a row per compared run, the run the report's model
// fields describe (a sweep: the lowest held-out loss at the last epoch; --auto: the lowest
// best held-out NLL, with its best weights put back), and the report's "sweep" or "auto" part.
struct SweepOutcome {
    QString key; // "sweep" or "auto"
    std::vector<mdn::SweepRow> rows;
    std::vector<mdn::SweepSummary> summaries; // a sweep's, one per value
    std::optional<std::size_t> chosen;        // index into rows
    QJsonObject json;
};
// Shows the chosen run in the session (Session::showRun) and, for --auto, restores its best
// weights.
SweepOutcome finishSweep(const Options &o, mdn::Session &session);
// The comparison on stdout, a line per value (a sweep) or candidate (--auto).
void printSweep(QTextStream &out, const Options &o, const SweepOutcome &outcome);
// --sweep-csv and the sweep chart in --export-dir; false with error set on failure.
bool writeSweepFiles(const Options &o, const mdn::Session &session, const SweepOutcome &outcome,
                     QString &error);

} // namespace mdnviz
