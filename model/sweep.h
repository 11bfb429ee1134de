#pragma once
// Comparing models side by side: a sweep trains one run per value of a setting (and per model
// seed) in one session, so that every run sees the same data and the same split, and the
// held-out points say which value does best; the automatic choice (--auto) is a small sweep over
// the MDN's size, chosen by its best held-out NLL. Plain C++: no Qt.

#include "session.h"
#include "settings.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mdn {

struct SweepSpec {
    std::string parameter;           // the command-line name: "mixtures", "lr", ...
    std::vector<std::string> values; // as given, in order
    int seeds = 1;                   // each value trained with the model seeds seed, seed + 1, ...
};

// The settings a sweep can vary, by their command-line names: mixtures, hidden, mse-hidden, lr,
// batch, seed, optimizer.
const std::vector<std::string> &sweepableParameters();
// At most this many values, and this many seeds per value.
constexpr std::size_t kMaxSweepValues = 64;
constexpr int kMaxSweepSeeds = 100;

// Reads "NAME=V1,V2,...": NAME one of sweepableParameters(), each value one the settings table
// takes for that setting, no value twice. On failure false with `why` (one line).
bool parseSweep(const std::string &text, SweepSpec &out, std::string &why);

// The model a sweep varies: the MSE net for mse-hidden, else the MDN.
ModelKind sweepKind(const SweepSpec &spec);

struct SweepRun {
    std::string value;  // as given
    std::uint64_t seed; // the model's (weights, batch order); the data and split keep base.seed
    TrainConfig config;
};
// One run per (value, seed), value-major: `base` with the value set, the model seed base.seed + s
// (for a sweep of the seed itself, value + s), s = 0 .. seeds - 1. Values must have passed
// parseSweep.
std::vector<SweepRun> sweepRuns(const Settings &base, const SweepSpec &spec);

// What one run of a sweep reached: losses in data units (NLL in nats for an MDN, MSE for the MSE
// net), the held-out one at its last epoch and at its best scored epoch.
struct SweepRow {
    std::string value;
    std::uint64_t seed = 0;
    double trainLoss = 0.0, validation = 0.0;
    long bestEpoch = -1;
    double bestValidation = 0.0;
    long epochs = 0;
    double seconds = 0.0;
};
// The rows of the session's runs first .. first + runs.size() - 1, which were built from `runs`.
std::vector<SweepRow> sweepRows(const Session &session, const std::vector<SweepRun> &runs,
                                std::size_t first = 0);

// Over the seeds of one value: the held-out loss at the last epoch (mean, min, max), the best
// held-out loss and the training loss (means). NaN where no seed has a finite one.
struct SweepSummary {
    std::string value;
    std::size_t runs = 0;
    double meanValidation = 0.0, minValidation = 0.0, maxValidation = 0.0;
    double meanBestValidation = 0.0, minBestValidation = 0.0, maxBestValidation = 0.0;
    double meanTrainLoss = 0.0;
};
std::vector<SweepSummary> summariseSweep(const std::vector<SweepRow> &rows, const std::vector<std::string> &values);

// The row with the lowest held-out loss at its last epoch (bestValidation: at its best epoch);
// ties go to the earlier row; none when no row has a finite one.
std::optional<std::size_t> bestRow(const std::vector<SweepRow> &rows, bool byBestValidation);

// The table as CSV: a header, then one line per row.
std::string sweepCsv(const std::string &parameter, const std::vector<SweepRow> &rows);

// A run of a comparison in the window, as what it changes of the settings: command-line names of
// sweepableParameters() (not mse-hidden) and values, set in order, so that the run follows the
// settings when they change ("K = 3" stays K = 3 at a new learning rate).
using RunChange = std::vector<std::pair<std::string, std::string>>;
// The MDN of `base` with `change` applied; false with `why` (one line) for a name or a value the
// settings refuse.
bool applyChange(const Settings &base, const RunChange &change, TrainConfig &out, std::string &why);
// What turns `reference` into `run` (mixtures, hidden, optimizer, lr, batch, seed; one hidden
// layer, as the settings have), for a run that is rebuilt later from other settings.
RunChange changeBetween(const TrainConfig &reference, const TrainConfig &run);

// --auto: the MDN sizes tried, mixtures x hidden units, every other setting as in `base`.
extern const int kAutoMixtures[5];
extern const int kAutoHidden[2];
std::vector<TrainConfig> autoCandidates(const Settings &base);
// The same as changes of the settings.
std::vector<RunChange> autoChanges();

} // namespace mdn
