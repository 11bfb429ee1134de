#include "axisformat.h"

#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mdnviz {

namespace {

// A sliver of a step: far above the rounding error of summing a few dozen steps, far below
// anything a label with decimalsForStep(step) digits or a pixel can show.
constexpr double kAnchorOffset = 1e-9;
constexpr double kMaxOvershoot = 1e-6;

struct Candidate {
    AxisTicks ticks;
    double score = std::numeric_limits<double>::infinity();
};

} // namespace

QString AxisTicks::labelFormat() const
{
    return QStringLiteral("%.%1f").arg(decimals);
}

int decimalsForStep(double step)
{
    if (!(step > 0.0) || !std::isfinite(step))
        return 0;
    for (int d = 0; d < 40; ++d) {
        const double scaled = step * std::pow(10.0, d);
        if (std::abs(scaled - std::round(scaled)) <= 1e-9 * scaled)
            return d;
    }
    return 40;
}

AxisTicks niceAxis(double lo, double hi, const AxisOptions &options)
{
    if (!std::isfinite(lo) || !std::isfinite(hi)) {
        lo = 0.0;
        hi = 1.0;
    }
    if (lo > hi)
        std::swap(lo, hi);
    // Below this magnitude values are taken as zero: labels would need more digits than printf
    // can sensibly give, and no real measurement lives there.
    constexpr double kTiny = 1e-20;
    const double magnitude = std::max(std::abs(lo), std::abs(hi));
    double span = hi - lo;
    if (span <= 1e-12 * magnitude || magnitude < kTiny) {
        // A single value: centre a small range on it.
        const double half = magnitude < kTiny ? 1.0 : 0.1 * magnitude;
        if (options.padLow) {
            lo -= half;
            hi += half;
        } else {
            hi += 2 * half;
        }
        span = hi - lo;
    }
    const double pad = std::max(0.0, options.padding) * span;
    const double wantLo = options.padLow ? lo - pad : lo;
    const double wantHi = hi + pad;
    const int maxTicks = std::max(2, options.maxTicks);
    const int minTicks = std::clamp(options.minTicks, 2, maxTicks);

    const double rough = (wantHi - wantLo) / double(maxTicks - 1);
    const int e0 = int(std::floor(std::log10(rough)));
    static const double mantissas[] = {1.0, 2.0, 2.5, 5.0};

    Candidate best;
    for (int e = e0 - 1; e <= e0 + 2; ++e) {
        for (double m : mantissas) {
            const double step = m * std::pow(10.0, e);
            if (options.integerSteps && (step < 1.0 || step != std::round(step)))
                continue;
            // Whole steps covering the wanted range; the data range itself must stay inside even
            // when rounding in the division or multiplication nudges a bound the wrong way.
            double kLo = std::floor(wantLo / step);
            double kHi = std::ceil(wantHi / step);
            while (kLo * step > lo)
                kLo -= 1.0;
            while (kHi * step < hi)
                kHi += 1.0;
            const double n = kHi - kLo + 1.0;
            if (n > 1000.0)
                continue;
            const double axisSpan = (kHi - kLo) * step;
            // Prefer the tightest fit; 2.5 steps give labels an extra digit ("7.5", "10.0"), so
            // they must fit clearly better to win.
            double score = (axisSpan - (wantHi - wantLo)) / axisSpan;
            if (n < minTicks)
                score += 1.0 + (minTicks - n);
            if (n > maxTicks)
                score += 1.0 + (n - maxTicks);
            if (m == 2.5)
                score += 0.15;
            if (score < best.score) {
                best.score = score;
                AxisTicks &t = best.ticks;
                t.step = step;
                t.min = kLo * step;
                t.max = kHi * step;
                t.tickCount = int(n);
            }
        }
    }

    AxisTicks t = best.ticks;
    t.decimals = decimalsForStep(t.step);
    t.anchor = t.min + kAnchorOffset * t.step;
    // The last tick is reached by summation too, so leave room for its rounding error; the
    // overshoot scales with the magnitude of the bounds because that error does.
    const double extent = std::max(std::abs(t.min), std::abs(t.max));
    t.max += kMaxOvershoot * t.step + 64 * std::numeric_limits<double>::epsilon() * extent;
    return t;
}

QStringList dynamicTickLabels(double min, double max, double anchor, double interval,
                              const QString &format)
{
    // Mirrors ChartAxisElement::createValueLabels for QValueAxis::TicksDynamic.
    QStringList labels;
    if (!(max > min) || !(interval > 0.0))
        return labels;
    const QByteArray fmt = format.toLatin1();
    const double ticksFromAnchor = (anchor - min) / interval;
    const double firstMajorTick = anchor - std::floor(ticksFromAnchor) * interval;
    double value = firstMajorTick;
    while (value <= max && labels.size() < 10000) {
        labels << QString::asprintf(fmt.constData(), value);
        value += interval;
    }
    return labels;
}

QStringList tickLabels(const AxisTicks &ticks)
{
    return dynamicTickLabels(ticks.min, ticks.max, ticks.anchor, ticks.step, ticks.labelFormat());
}

int ticksForLength(double pixels, double spacing, int fallback)
{
    if (!(pixels > 0.0) || !(spacing > 0.0))
        return fallback;
    return std::clamp(int(pixels / spacing) + 1, 3, 15);
}

void applyTicks(QValueAxis *axis, const AxisTicks &ticks)
{
    // Never pass through a state with a tiny interval over a huge range (millions of ticks):
    // a finer interval comes after the range has shrunk, a coarser one before it grows.
    const bool finer = ticks.step < axis->tickInterval();
    axis->setTickType(QValueAxis::TicksDynamic);
    if (finer)
        axis->setRange(ticks.min, ticks.max);
    axis->setTickInterval(ticks.step);
    axis->setTickAnchor(ticks.anchor);
    axis->setLabelFormat(ticks.labelFormat());
    if (!finer)
        axis->setRange(ticks.min, ticks.max);
}

} // namespace mdnviz
