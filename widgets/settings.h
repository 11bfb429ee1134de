#pragma once
// Every setting the dock edits, as one value the window hands to the training worker.

#include "dataset.h"
#include "optimizer.h"
#include "session.h"

#include <QString>

namespace mdnviz {

struct Settings {
    // Data: a generator, or a file (fromFile with filePath).
    mdn::Generator generator = mdn::Generator::InverseSinusoid;
    bool fromFile = false;
    QString filePath;
    int points = int(mdn::kDefaultPoints);
    double noise = 1.0;
    quint64 seed = 1;

    // Models.
    int mseHidden = 20;
    int mdnHidden = 24;
    int mixtures = 10;
    mdn::OptimizerKind optimizer = mdn::OptimizerKind::Adam;
    double learningRate = 0.01;
    int batch = 0;          // 0 = full batch
    long epochLimit = 3000; // training pauses there; 0 = no limit

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

    // Above kLargeData training points, "full batch" trains on mini-batches of kLargeDataBatch,
    // so that an epoch on a million points does not take seconds.
    // (The rule is the session's: see mdn::Session::batchFor.)
    static constexpr std::size_t kLargeData = mdn::Session::kLargeData;
    static constexpr std::size_t kLargeDataBatch = mdn::Session::kLargeDataBatch;
    // The points held out of `points` for validation, and the batch size training uses.
    std::size_t validationPointsOf(std::size_t points) const;
    std::size_t batchFor(std::size_t trainPoints) const;

    bool operator==(const Settings &o) const;
    bool operator!=(const Settings &o) const { return !(*this == o); }
    // True when going from `before` to this needs new models (weights reset), false when the
    // change only affects data generation or the views.
    bool needsModelReset(const Settings &before) const;
    bool needsNewData(const Settings &before) const;
};

} // namespace mdnviz
