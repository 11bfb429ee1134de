#pragma once
// What the views show of an MDN's mixture beyond its samples (as in Bishop, PRML fig. 5.21): the
// conditional mean and mode, the density p(y|x) on a grid, the mixture at one x, and statistics
// that warn of a collapsing component. Pure functions of mdn::Mixture (column j belongs to one x,
// data units; of a mixture over several targets, its first dimension), so that they can be
// tested without a trained net or a GUI.

#include "dataset.h"
#include "mixture.h"

#include <cstddef>
#include <vector>

namespace mdn {

// E[y|x] = sum_k pi_k mu_k, one value per column.
std::vector<double> mixtureMean(const Mixture &m);

// The component with the largest pi_k / sigma_k per column: the tallest peak of pi_k N_k (the
// common factor 1/sqrt(2 pi) left out). Ties go to the lower index.
std::vector<int> dominantComponent(const Mixture &m);

// Bishop's approximate conditional mode: mu of the dominant component, one value per column.
std::vector<double> mixtureMode(const Mixture &m);

// p(y|x) on a grid of cells. Column j is column j of the mixture, evaluated at
//   x_j = xLo + (xHi - xLo) j / (cols - 1)                      (the caller's x grid)
// row i is the cell [yLo + i dy, yLo + (i + 1) dy), dy = (yHi - yLo) / rows.
// A cell holds the mean density over the cell, i.e. the mixture's mass in it divided by dy:
//   value(i, j) = sum_k pi_k [Phi((b - mu_k)/sigma_k) - Phi((a - mu_k)/sigma_k)] / dy
// so a component narrower than a cell shows as one bright cell instead of falling between two
// sample points, and sum_i value(i, j) dy is the mixture's mass inside [yLo, yHi] (1 when the
// range is wide enough). Components two or more cells wide take the midpoint rule instead,
// dy N(cell centre), several times cheaper: over the whole line it is exact to far below float
// precision; a range edge that cuts such a component costs O(dy^2) of mass in the edge cell.
struct DensityGrid {
    double xLo = 0.0, xHi = 0.0; // x of the first and the last column
    double yLo = 0.0, yHi = 0.0; // lower edge of row 0, upper edge of row rows - 1
    int rows = 0, cols = 0;
    std::vector<float> values;   // rows x cols, row-major, row 0 at yLo

    bool empty() const { return values.empty(); }
    double rowHeight() const { return rows > 0 ? (yHi - yLo) / rows : 0.0; }
    float at(int row, int col) const { return values[std::size_t(row) * std::size_t(cols) + std::size_t(col)]; }
};

DensityGrid densityGrid(const Mixture &m, double xLo, double xHi, double yLo, double yHi, int rows);

// The mixture of one column at every y of `ys`: the density p(y|x) and each weighted component
// pi_k N(y; mu_k, sigma_k) (components[k][i] at ys[i]).
struct MixtureSlice {
    std::vector<double> total;
    std::vector<std::vector<double>> components;
};
MixtureSlice mixtureSlice(const Mixture &m, std::ptrdiff_t column, const std::vector<double> &ys);

// The y values of the observations with |x - xCentre| <= halfWidth, as a histogram density over
// `bins` equal bins of [yLo, yHi]: count / (points in the window * bin width), so that it is on
// the scale of p(y|x). Points outside [yLo, yHi] count in the normaliser, not in a bin.
// *windowCount (if given) receives the number of observations in the x window.
std::vector<double> localHistogram(const Dataset &d, double xCentre, double halfWidth, double yLo,
                                   double yHi, int bins, std::size_t *windowCount = nullptr);

// Early signs of trouble in a mixture over an x grid.
struct MixtureHealth {
    // The smallest sigma_k (data units) among the components that carry weight at their x
    // (pi_k >= piThreshold): a component closing in on single points shows here first.
    double minSigma = 0.0;
    // exp(entropy) of the mean mixing weights over the grid, pibar_k = 1/n sum_j pi_k(x_j):
    // the number of components in use (K when all are used equally, 1 when one takes all).
    double effectiveComponents = 0.0;
};
MixtureHealth mixtureHealth(const Mixture &m, double piThreshold = 1e-3);

} // namespace mdn
