#pragma once
// What the views need of the models at one moment, as plain copyable values: the training thread
// fills one and hands it over; nothing in it points into a model that is still changing.

#include "dataset.h"
#include "inspect.h"
#include "trainer.h"

#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace mdn {

// One epoch's losses, data units; NaN where a model is not trained or, for the validation
// losses, where the validation set was not evaluated at that epoch.
struct LossPoint {
    long epoch = 0;
    double mse = std::numeric_limits<double>::quiet_NaN();
    double nll = std::numeric_limits<double>::quiet_NaN();
    double validationMse = std::numeric_limits<double>::quiet_NaN();
    double validationNll = std::numeric_limits<double>::quiet_NaN();
};

// One epoch of one run, data units: the training loss (NaN where the history keeps no value for
// that epoch) and the held-out loss (NaN where it was not scored).
struct RunLossPoint {
    long epoch = 0;
    double train = std::numeric_limits<double>::quiet_NaN();
    double validation = std::numeric_limits<double>::quiet_NaN();
};

// One MDN run of a session as the comparison views show it.
struct RunView {
    std::size_t run = 0;  // its index in the session
    TrainConfig config;   // as it trains (batch as the session chose it)
    // What differs from the session's first MDN run (the settings as set), e.g. "K = 3, H = 12";
    // empty for that run itself.
    std::string label;
    long epoch = 0;
    double trainLoss = std::numeric_limits<double>::quiet_NaN();  // last epoch, nats per point
    double validation = std::numeric_limits<double>::quiet_NaN(); // latest held-out NLL
    long bestEpoch = -1;  // the scored epoch of lowest held-out NLL (-1: none yet)
    double bestValidation = std::numeric_limits<double>::quiet_NaN();
    double seconds = 0.0; // spent training
    bool failed = false;  // stopped by repeated numerical faults
    bool shown = false;   // the run the other views show
    bool best = false;    // its samples (and, when shown, the other views) use its best weights
    // Samples of its mixture, first input against first target (data units): samplesPerX at each
    // of a grid over x for one input and one target; otherwise one at each of up to 400 of the
    // held-out points' inputs.
    std::vector<double> sampleX, sampleY;
    // Its losses at the epochs since the previous snapshot, in order; with lossesRestart they
    // replace every loss sent before (a new run, or one trained again from the start).
    std::vector<RunLossPoint> losses;
    bool lossesRestart = false;
};

struct Snapshot {
    long epoch = 0;                 // epochs completed (both models step together)
    double mseLoss = std::numeric_limits<double>::quiet_NaN(); // last epoch, data units
    double mdnLoss = std::numeric_limits<double>::quiet_NaN(); // nats per point
    double epochsPerSecond = 0.0;
    bool running = false;

    std::vector<LossPoint> losses;  // the epochs since the previous snapshot, in order
    // The losses replace every one sent before (new models, or another run shown).
    bool lossesRestart = false;

    // Generalisation: the latest losses on the held-out points, and the lowest NLL any model can
    // expect there (the generator's own density; NaN for data from a file or without validation).
    double validationMse = std::numeric_limits<double>::quiet_NaN();
    double validationNll = std::numeric_limits<double>::quiet_NaN();
    double bayesNll = std::numeric_limits<double>::quiet_NaN();
    std::size_t trainPoints = 0, validationPoints = 0;

    std::vector<double> gridX;      // evenly spaced over the data's x range (the first input's)
    // Several inputs: the inputs held fixed along the path gridX runs on (see
    // SnapshotRequest::pathThrough; the first value is unused); empty for one input.
    std::vector<double> pathThrough;
    std::vector<double> mseCurve;   // the MSE net's prediction at gridX (empty without MSE)
    std::vector<double> sampleX, sampleY; // MDN samples (with the request's temperatures)
    Mixture mixture;                // the MDN's pi, mu, sigma at gridX as trained (temperature 1)
    std::vector<double> meanCurve;  // E[y|x] at gridX
    std::vector<double> modeCurve;  // the approximate mode at gridX (see mixtureMode)
    DensityGrid density;            // p(y|x) over the data's range plus a margin on every side
    // The mixture wherever the data chart shows x: at gridX inside the data's range and at the
    // density's columns in the margins beyond it (ascending x), so that the slice view can show
    // the model's extrapolation too.
    std::vector<double> sliceX;
    Mixture sliceMixture;

    // The two models as they were, to be asked about any input the views choose (a target the
    // user drags) without waiting for the training thread; null where there is no such model.
    std::shared_ptr<const Predictor> msePredictor, mdnPredictor;

    // Every MDN run of the session, in its order (the comparison views); see RunView.
    std::vector<RunView> runs;
    // The shown runs' views come from their best weights (SnapshotRequest::preferBest and a best
    // epoch known).
    bool showingBest = false;

    // Training health of the MDN.
    double minSigma = std::numeric_limits<double>::quiet_NaN(); // data units, pi_k >= 0.01
    double effectiveComponents = std::numeric_limits<double>::quiet_NaN();
    double gradientNorm = std::numeric_limits<double>::quiet_NaN(); // standardised units
    std::size_t mdnFaults = 0, mseFaults = 0; // recovered numerical faults so far
};

} // namespace mdn

namespace mdn {

// What to draw, besides the models themselves.
struct SnapshotRequest {
    int gridPoints = 200;
    int samplesPerX = 10;
    std::uint64_t sampleSeed = 1;
    double piTemperature = 1.0;     // applied to the samples only
    double sigmaTemperature = 1.0;
    // The density grid: columns over x, rows over y (0 for none), over the data's range widened
    // by densityMargin times its span on every side, so that it covers a chart's padded axes.
    // Data with several inputs: the mixture is drawn along a path through input space, the first
    // input over its range with the others held at these values (one per input; the first is
    // ignored). Empty: at their medians.
    std::vector<double> pathThrough;
    // The shown runs are drawn with the weights of their best held-out loss where they have them
    // (early stopping), else as they are now.
    bool preferBest = false;
    // Fill Snapshot::runs (with samples); the worker adds their losses.
    bool runViews = false;
    int densityColumns = 320;
    int densityRows = 320;
    double densityMargin = 0.25;
};

// Fills the curves, samples, mixture, density grid and the MDN's health statistics of `out`
// from the models (either may be null) over the x range of `data`. Data with several inputs or
// targets get the mixture along a path (gridX, pathThrough; see SnapshotRequest) and the health
// statistics over up to 512 of the data's points; no curves, samples or density. Leaves the
// losses, the validation fields and the history alone.
void fillSnapshot(Snapshot &out, const Trainer *mse, const Trainer *mdn, const Dataset &data,
                  const SnapshotRequest &request);
// The same from frozen models (the gradient norm and the fault counts, which only a trainer
// knows, are left alone).
void fillSnapshot(Snapshot &out, const Predictor *mse, const Predictor *mdn, const Dataset &data,
                  const SnapshotRequest &request);

// The evenly spaced x values of a grid of `n` points over [lo, hi] (n >= 2).
std::vector<double> linspace(double lo, double hi, int n);

} // namespace mdn
