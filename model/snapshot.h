#pragma once
// What the views need of the models at one moment, as plain copyable values: the training thread
// fills one and hands it over; nothing in it points into a model that is still changing.

#include "dataset.h"
#include "trainer.h"

#include <limits>
#include <vector>

namespace mdn {

// One epoch's losses, data units; NaN where a model is not trained.
struct LossPoint {
    long epoch = 0;
    double mse = std::numeric_limits<double>::quiet_NaN();
    double nll = std::numeric_limits<double>::quiet_NaN();
};

struct Snapshot {
    long epoch = 0;                 // epochs completed (both models step together)
    double mseLoss = std::numeric_limits<double>::quiet_NaN(); // last epoch, data units
    double mdnLoss = std::numeric_limits<double>::quiet_NaN(); // nats per point
    double epochsPerSecond = 0.0;
    bool running = false;

    std::vector<LossPoint> losses;  // the epochs since the previous snapshot, in order

    std::vector<double> gridX;      // evenly spaced over the data's x range
    std::vector<double> mseCurve;   // the MSE net's prediction at gridX (empty without MSE)
    std::vector<double> sampleX, sampleY; // MDN samples, samplesPerX at each gridX
    Mixture mixture;                // the MDN's pi, mu, sigma at gridX (empty without MDN)
};

} // namespace mdn

namespace mdn {

// What to draw, besides the models themselves.
struct SnapshotRequest {
    int gridPoints = 200;
    int samplesPerX = 10;
    std::uint64_t sampleSeed = 1;
    double piTemperature = 1.0;
    double sigmaTemperature = 1.0;
};

// Fills the curves, samples and mixture of `out` from the models (either may be null) over the
// x range of `data`. Leaves the loss fields and history alone.
void fillSnapshot(Snapshot &out, const Trainer *mse, const Trainer *mdn, const Dataset &data,
                  const SnapshotRequest &request);

} // namespace mdn
