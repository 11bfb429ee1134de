#pragma once
// Every setting a person can set, in one place: the value the window hands to its training worker
// and the command line trains with, and the table that describes each setting once (its key,
// its command-line option, its range, its help) for every front end: the dock, the stored
// preferences, the command line, and files that keep settings. Plain C++: no Qt.

#include "dataset.h"
#include "optimizer.h"
#include "session.h"
#include "trainer.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mdn {

struct Settings {
    // Data: a generator, or a file (fromFile with filePath).
    Generator generator = Generator::InverseSinusoid;
    bool fromFile = false;
    std::string filePath; // in the file system's encoding
    int points = int(kDefaultPoints);
    double noise = 1.0;
    std::uint64_t seed = 1;

    // Models.
    int mseHidden = 20;
    int mdnHidden = 24;
    int mixtures = 10;
    OptimizerKind optimizer = OptimizerKind::Adam;
    double learningRate = 0.01;
    int batch = 0;          // 0 = full batch
    long epochLimit = 3000; // training pauses there (the command line trains this many); 0 = no limit

    // Held out of training to measure generalisation, drawn with the seed; 0 = none.
    int validationPercent = 20;

    // Views: none of these retrains anything.
    int samplesPerX = 10;
    double piTemperature = 1.0;    // sampling temperature of the mixing weights
    double sigmaTemperature = 1.0; // sampling temperature of the widths (variance scale)
    bool showData = true;          // the data points
    bool showSamples = true;       // the MDN's samples
    bool showDensity = true;       // p(y|x) as a colour image behind the data
    bool densityLogScale = true;   // colour by log p: faint branches stay visible
    bool showMean = false;         // E[y|x]
    bool showMode = true;          // Bishop's approximate conditional mode
    bool showBands = false;        // mu_k +- sigma_k of each component, shaded by pi_k

    // Above kLargeData training points, "full batch" trains on mini-batches of kLargeDataBatch
    // (the rule is the session's: see Session::batchFor).
    static constexpr std::size_t kLargeData = Session::kLargeData;
    static constexpr std::size_t kLargeDataBatch = Session::kLargeDataBatch;
    // The points held out of `points` for validation, and the batch size training uses.
    std::size_t validationPointsOf(std::size_t points) const;
    std::size_t batchFor(std::size_t trainPoints) const;

    bool operator==(const Settings &o) const;
    bool operator!=(const Settings &o) const { return !(*this == o); }
    // True when going from `before` to this needs new models (weights reset), false when the
    // change only affects data generation or the views.
    bool needsModelReset(const Settings &before) const;
    bool needsNewData(const Settings &before) const;

    // The generator the data come from (points, noise, seed), whether or not it is used.
    GeneratorSpec generatorSpec() const;
    // The training session these settings describe: its split and floor, and its runs (the MSE
    // net, then the MDN).
    SessionOptions sessionOptions() const;
    TrainConfig modelConfig(ModelKind kind) const;
    std::vector<TrainConfig> modelConfigs() const;
};

// One setting, described once.
struct SettingSpec {
    enum class Type { Bool, Integer, Real, Choice, Text };
    const char *key;     // stored preferences and settings files: "mixtures"
    const char *option;  // command-line option ("mixtures"), or null when there is none
    const char *valueName; // in --help: "K"
    const char *help;    // one sentence, for --help and the dock's tooltip
    Type type;
    double min = 0, max = 0;      // the command line's and files' range (Integer, Real)
    double interactiveMax = 0;    // the window's controls stop here (the window keeps memory and
                                  // redraws in bounds); 0: max
    std::vector<std::string> choices; // Choice: the names it takes
    std::function<std::string(const Settings &)> get; // the value as text, exact
    // Parses `text` into the setting; false with `why` (one line) when it is not a valid value.
    std::function<bool(Settings &, const std::string &text, std::string &why)> set;

    double windowMax() const { return interactiveMax > 0 ? interactiveMax : max; }
};

// Every setting, in the dock's order.
const std::vector<SettingSpec> &settingsTable();
// The spec of `key` (e.g. "learningRate"); throws std::out_of_range for an unknown key.
const SettingSpec &settingSpec(const std::string &key);
// The spec whose command-line option is `option` (e.g. "lr"), or null.
const SettingSpec *settingForOption(const std::string &option);

} // namespace mdn

namespace mdnviz {
using Settings = mdn::Settings;
} // namespace mdnviz
