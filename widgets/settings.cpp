#include "settings.h"

#include "session.h"

#include <algorithm>
#include <cmath>

namespace mdnviz {

std::size_t Settings::validationPointsOf(std::size_t n) const
{
    // As mdn::splitIndices rounds it: never the whole set.
    const auto held = std::size_t(std::llround(double(n) * double(validationPercent) / 100.0));
    return n == 0 ? 0 : std::min(held, n - 1);
}

std::size_t Settings::batchFor(std::size_t trainPoints) const
{
    return mdn::Session::batchFor(std::size_t(batch), trainPoints);
}

bool Settings::operator==(const Settings &o) const
{
    return generator == o.generator && fromFile == o.fromFile && filePath == o.filePath &&
           points == o.points && noise == o.noise && seed == o.seed && mseHidden == o.mseHidden &&
           mdnHidden == o.mdnHidden && mixtures == o.mixtures && optimizer == o.optimizer &&
           learningRate == o.learningRate && batch == o.batch && epochLimit == o.epochLimit &&
           validationPercent == o.validationPercent && samplesPerX == o.samplesPerX &&
           piTemperature == o.piTemperature && sigmaTemperature == o.sigmaTemperature &&
           showData == o.showData && showSamples == o.showSamples && showDensity == o.showDensity && densityLogScale == o.densityLogScale &&
           showMean == o.showMean && showMode == o.showMode && showBands == o.showBands;
}

bool Settings::needsNewData(const Settings &before) const
{
    return generator != before.generator || fromFile != before.fromFile ||
           filePath != before.filePath || points != before.points || noise != before.noise ||
           seed != before.seed;
}

bool Settings::needsModelReset(const Settings &before) const
{
    // New data means new standardisation and a new problem: the old weights mean nothing.
    // A learning-rate change resets too: continuing with a different rate would mix two runs
    // in one loss curve. Another validation share is another training set.
    return needsNewData(before) || mseHidden != before.mseHidden || mdnHidden != before.mdnHidden ||
           mixtures != before.mixtures || optimizer != before.optimizer ||
           learningRate != before.learningRate || batch != before.batch ||
           validationPercent != before.validationPercent;
}

} // namespace mdnviz
