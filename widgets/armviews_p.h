#pragma once
// What the two arm views share besides their header: the look of their figures and a few small
// helpers. Internal to armviews.cpp and jointview.cpp.

#include "datachart.h"
#include "planeplot.h"

#include <QColor>
#include <QFontMetricsF>
#include <QPaintEngine>
#include <QPainter>
#include <QPointF>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace mdnviz::armviews_detail {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline const QPointF kNoPoint(kNaN, kNaN);

// Outer margin of a figure, layout units.
constexpr double kOuter = 8.0;
// Headings take a line only where the view is tall enough (as the data chart's title).
constexpr double kHeadingMinHeight = 300.0;
// A legend that would take more of the height than this is left out: the plot comes first.
constexpr double kMaxLegendShare = 0.25;

inline bool finite(QPointF p)
{
    return std::isfinite(p.x()) && std::isfinite(p.y());
}

inline QColor withAlpha(QColor c, int alpha)
{
    c.setAlpha(std::clamp(alpha, 0, 255));
    return c;
}

// The near-black of the mixture's summaries in the data chart: the MDN's single answer.
inline QColor answerColour()
{
    return DataChart::meanColor();
}
inline QColor targetColour()
{
    return QColor(20, 20, 20);
}

// Not a static: its fonts must not outlive the application, and they follow its font.
inline PlotStyle plotStyle()
{
    return PlotStyle::standard();
}

// A figure's surroundings of its plot: a heading line where the view is tall enough, the legend
// along the bottom (left out when it would take more than kMaxLegendShare of the height).
// Returns the area left for the plot and its axes.
inline QRectF layoutAroundPlot(QSizeF size, std::vector<LegendEntry> &legend, QRectF &headingArea,
                               QRectF &legendArea)
{
    QRectF area(QPointF(kOuter, kOuter), size - QSizeF(2 * kOuter, 2 * kOuter));
    if (size.height() >= kHeadingMinHeight) {
        const double h = QFontMetricsF(plotStyle().headingFont).height() + 6.0;
        headingArea = QRectF(area.topLeft(), QSizeF(area.width(), h));
        area.setTop(area.top() + h);
    }
    double lh = legendHeight(legend, area.width(), plotStyle());
    if (lh > kMaxLegendShare * area.height()) {
        legend.clear();
        lh = 0.0;
    }
    legendArea = QRectF(area.left(), area.bottom() - lh, area.width(), lh);
    area.setBottom(area.bottom() - lh - 2.0);
    return area;
}

// Image pixels per layout unit for the scatter: the device's own pixels on screen and in PNGs;
// twice the figure's scale in vector files, where the image is all there is of the points.
inline double pixelRatio(const QPainter *painter, double scale)
{
    const QPaintEngine *engine = painter->paintEngine();
    if (engine && (engine->type() == QPaintEngine::SVG || engine->type() == QPaintEngine::Pdf))
        return 2.0 * scale;
    const double dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    return scale * std::max(1.0, dpr);
}

// Columns c0, c1 of a point-major array as points.
inline std::vector<QPointF> columnPairs(const std::vector<double> &values, int dims, std::size_t n)
{
    std::vector<QPointF> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        out.emplace_back(values[i * std::size_t(dims)], values[i * std::size_t(dims) + 1]);
    return out;
}

inline PlaneRange rangeOf(const std::vector<QPointF> &points)
{
    PlaneRange r = PlaneRange::none();
    for (const QPointF &p : points)
        if (finite(p))
            r.include(p.x(), p.y());
    return r;
}

inline QString heading(const QString &text, const QFont &font, double width)
{
    return QFontMetricsF(font).elidedText(text, Qt::ElideRight, width);
}

} // namespace mdnviz::armviews_detail
