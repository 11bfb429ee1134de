#pragma once
// Nice axis ranges and tick labels for the value axes of the charts.
//
// Qt Charts computes dynamic tick values by repeated addition (first tick, then += interval) and
// prints them with the axis' printf format, so a tick that should be 0 can come out as -2e-17 and
// read "-0.0". The ranges below avoid that: the tick anchor sits a billionth of a step above a
// tick, far below what any label or pixel can show but far above the rounding error of the sum,
// so the zero tick always evaluates to a tiny positive number.

#include <QString>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QValueAxis;
QT_END_NAMESPACE

namespace mdnviz {

struct AxisTicks {
    double min = 0.0; // axis range, a whole number of steps (plus a sliver on max)
    double max = 1.0;
    double step = 0.2;   // tick interval: 1, 2, 2.5 or 5 times a power of ten
    double anchor = 0.0; // tick anchor for QValueAxis::setTickAnchor
    int decimals = 1;    // digits after the point that the step needs
    int tickCount = 6;   // major ticks in [min, max]

    QString labelFormat() const; // e.g. "%.1f"
};

struct AxisOptions {
    double padding = 0.05;     // fraction of the data span added on each side (soft)
    bool padLow = true;        // false: the low end is the data minimum itself (e.g. epoch 0)
    bool integerSteps = false; // only steps that are whole numbers (counts, epochs)
    int minTicks = 4;
    int maxTicks = 9;
};

// The smallest range made of whole steps that holds [lo, hi] (always, even when the padding
// cannot be honoured) with a tick count within options' bounds where possible.
// Non-finite input gives [0, 1]; magnitudes below 1e-20 count as 0.
AxisTicks niceAxis(double lo, double hi, const AxisOptions &options = {});

// The printf precision that shows every multiple of `step` exactly (0 for steps >= 1 that are
// whole numbers, 2 for 0.25, ...), at most 40.
int decimalsForStep(double step);

// The labels a QValueAxis with TicksDynamic, the given range, anchor, interval and format shows,
// computed the way Qt Charts computes them (for tests and for sizing).
QStringList dynamicTickLabels(double min, double max, double anchor, double interval,
                              const QString &format);
QStringList tickLabels(const AxisTicks &ticks);

// How many major ticks fit on an axis `pixels` long with at least `spacing` pixels between them
// (3 to 15; `fallback` while the axis has no size yet).
int ticksForLength(double pixels, double spacing, int fallback = 9);

// Sets a value axis to the range, interval, anchor and label format of `ticks`.
void applyTicks(QValueAxis *axis, const AxisTicks &ticks);

} // namespace mdnviz
