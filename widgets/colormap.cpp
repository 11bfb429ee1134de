#include "colormap.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace mdnviz {

namespace {

struct Stop {
    double t;
    int r, g, b;
};

// viridis at 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, after white.
constexpr std::array<Stop, 7> kStops = {{
    {0.00, 255, 255, 255},
    {0.12, 253, 231, 37},
    {0.30, 189, 223, 38},
    {0.48, 122, 209, 81},
    {0.66, 68, 191, 112},
    {0.84, 34, 168, 132},
    {1.00, 33, 145, 140},
}};

// Share of the colormap's colour in the final one; the rest is white. Light enough for the
// translucent data and samples drawn on top to keep their contrast.
constexpr double kStrength = 0.6;

} // namespace

QColor densityColour(double t)
{
    t = std::isfinite(t) ? std::clamp(t, 0.0, 1.0) : 0.0;
    std::size_t i = 1;
    while (i + 1 < kStops.size() && t > kStops[i].t)
        ++i;
    const Stop &a = kStops[i - 1], &b = kStops[i];
    const double f = (t - a.t) / (b.t - a.t);
    const auto mix = [&](int ca, int cb) {
        const double c = ca + f * (cb - ca);
        return int(std::lround(255.0 - kStrength * (255.0 - c)));
    };
    return QColor(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b));
}

QColor componentColour(int k)
{
    static const QColor tableau[] = {
        QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),  QColor(214, 39, 40),
        QColor(148, 103, 189), QColor(140, 86, 75), QColor(227, 119, 194), QColor(127, 127, 127),
        QColor(188, 189, 34), QColor(23, 190, 207)};
    if (k >= 0 && k < 10)
        return tableau[k];
    // Golden-angle steps around the hue circle keep neighbours apart for any count.
    return QColor::fromHsvF(std::fmod(0.13 + 0.381966 * k, 1.0), 0.65, 0.8);
}

double DensityScale::position(double value) const
{
    if (!(value > 0.0) || !std::isfinite(value))
        return 0.0;
    if (log) {
        if (!(lo > 0.0) || !(hi > lo))
            return 0.0;
        return std::clamp(std::log(value / lo) / std::log(hi / lo), 0.0, 1.0);
    }
    return hi > lo ? std::clamp((value - lo) / (hi - lo), 0.0, 1.0) : 0.0;
}

DensityScale DensityScale::forGrid(const mdn::DensityGrid &grid, bool log)
{
    DensityScale s;
    s.log = log;
    float top = 0.0f;
    for (float v : grid.values)
        if (std::isfinite(v))
            top = std::max(top, v);
    s.hi = top > 0.0f ? double(top) : 1.0;
    s.lo = log ? s.hi * std::pow(10.0, -kLogDecades) : 0.0;
    return s;
}

QImage densityImage(const mdn::DensityGrid &grid, const DensityScale &scale)
{
    if (grid.empty())
        return QImage();
    // Not premultiplied, with white where transparent: a PDF viewer that interpolates colour
    // and alpha apart would otherwise draw a grey seam along the density's edge.
    QImage image(grid.cols, grid.rows, QImage::Format_ARGB32);
    // The 256 colours of the ramp once, rather than an interpolation per pixel.
    std::array<QRgb, 256> lut;
    for (int i = 0; i < 256; ++i)
        lut[std::size_t(i)] = densityColour(i / 255.0).rgb();
    lut[0] = qRgba(255, 255, 255, 0);
    for (int row = 0; row < grid.rows; ++row) {
        QRgb *line = reinterpret_cast<QRgb *>(image.scanLine(grid.rows - 1 - row));
        for (int col = 0; col < grid.cols; ++col) {
            const double t = scale.position(double(grid.at(row, col)));
            line[col] = lut[std::size_t(std::lround(t * 255.0))];
        }
    }
    return image;
}

} // namespace mdnviz
