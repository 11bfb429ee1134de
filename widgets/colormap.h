#pragma once
// The colours of the mixture views: a light sequential colormap for the density p(y|x), and one
// colour per mixture component, the same in every chart.

#include "inspect.h"

#include <QColor>
#include <QImage>

namespace mdnviz {

// The density colormap at t in [0, 1] (0 = no density, 1 = the highest). It runs from white
// through pale yellow and green to teal: the upper half of viridis, reversed so that lightness
// falls monotonically with density, and lightened towards white. Its hues stay clear of the
// data's blue, the samples' magenta and the MSE curve's orange, and its darkest colour is light
// enough that those read on top of it.
QColor densityColour(double t);

// Colour of mixture component k (0-based): the ten Tableau colours, then evenly spread hues.
QColor componentColour(int k);

// How density values map to t of densityColour.
struct DensityScale {
    bool log = true;
    double lo = 0.0; // t = 0 at and below (log: lo > 0)
    double hi = 1.0; // t = 1 at and above

    double position(double value) const; // t in [0, 1]
    // Decades shown by the log scale below the highest density.
    static constexpr double kLogDecades = 4.0;
    // The scale for a grid: linear 0 .. max, or log over kLogDecades decades below the max.
    static DensityScale forGrid(const mdn::DensityGrid &grid, bool log);
};

// The grid as an image, one pixel per cell: row 0 of the image is the top (the highest y),
// column j is grid column j. Transparent where t = 0, so the chart's background shows through.
QImage densityImage(const mdn::DensityGrid &grid, const DensityScale &scale);

} // namespace mdnviz
