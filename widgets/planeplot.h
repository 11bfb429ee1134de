#pragma once
// The pieces of a two-dimensional plot painted by hand, for views that must repaint on every
// mouse move (Qt Charts relays out its whole scene instead): two value axes with nice ticks and
// the map between data and pixels, a scatter of many points kept as an image, a legend and a
// colour bar. They copy the look of the Qt Charts views beside them (fonts, greys, the density
// colour bar), so the painted views do not stand out.

#include "axisformat.h"
#include "colormap.h"

#include <QColor>
#include <QFont>
#include <QImage>
#include <QPen>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <vector>

QT_BEGIN_NAMESPACE
class QPainter;
class QPainterPath;
class QPolygonF;
QT_END_NAMESPACE

namespace mdnviz {

struct PlaneRange {
    double xLo = -1.0, xHi = 1.0, yLo = -1.0, yHi = 1.0;

    bool operator==(const PlaneRange &o) const
    {
        return xLo == o.xLo && xHi == o.xHi && yLo == o.yLo && yHi == o.yHi;
    }
    bool operator!=(const PlaneRange &o) const { return !(*this == o); }
    // Grows to hold (x, y); non-finite coordinates are ignored.
    void include(double x, double y);
    bool valid() const { return xHi > xLo && yHi > yLo; }
    // The empty range that include() grows from.
    static PlaneRange none();
};

// Fonts and colours of the charts' light theme.
struct PlotStyle {
    QFont labelFont;   // tick labels, legend, messages
    QFont titleFont;   // axis titles
    QFont headingFont; // the plot's title
    QColor text = QColor(64, 64, 68);
    QColor grid = QColor(226, 226, 226);
    QColor axisLine = QColor(214, 214, 214);

    static PlotStyle standard();
};

// Two value axes around a plot rectangle, in layout units (the figure's size / scale).
class PlaneFrame {
public:
    // Lays the plot out in `area`, with tick labels and axis titles left of and below it, over
    // `want` (widened to whole ticks, or, with `equalAspect`, to one scale on both axes so that
    // shapes keep their proportions; the plot then takes the whole area and the range grows
    // along one axis). Empty titles take no room.
    void layout(const QRectF &area, const PlaneRange &want, bool equalAspect, const QString &xTitle,
                const QString &yTitle, const PlotStyle &style);

    // The range exactly as wanted, the ticks the nice values inside it (not widened to whole
    // ticks): for small plots, where a whole tick more can waste a third of the plot. Takes
    // effect at the next layout; not with equalAspect.
    void setTightRange(bool tight) { m_tight = tight; }
    // Without tick labels (and their room): the plot takes the whole area, the grid stays; for
    // plots too small for labels to be read. Takes effect at the next layout.
    void setTickLabels(bool shown) { m_tickLabels = shown; }

    const QRectF &plot() const { return m_plot; }
    const PlaneRange &range() const { return m_range; }
    QPointF toPixel(double x, double y) const;
    QPointF toPixel(QPointF value) const { return toPixel(value.x(), value.y()); }
    QPointF toValue(QPointF pixel) const;

    // The plot's background and grid lines; then, above the content, the frame, the ticks, their
    // labels and the axis titles.
    void paintBackground(QPainter *painter, const PlotStyle &style) const;
    void paintAxes(QPainter *painter, const PlotStyle &style) const;

    // Values of the ticks along each axis.
    const std::vector<double> &xTicks() const { return m_xTicks; }
    const std::vector<double> &yTicks() const { return m_yTicks; }

private:
    void placeTicks(const PlotStyle &style);

    QRectF m_area, m_plot;
    bool m_tight = false;
    bool m_tickLabels = true;
    PlaneRange m_range;
    std::vector<double> m_xTicks, m_yTicks;
    int m_xDecimals = 1, m_yDecimals = 1;
    QString m_xTitle, m_yTitle;
};

// A tick value as its label: `decimals` digits, never "-0.0".
QString tickLabel(double value, int decimals);

// Many points as one translucent image of the plot rectangle, redrawn only when the plot's pixel
// size, its range or the points change: painting it is one image blit however many points.
class ScatterImage {
public:
    void setPoints(std::vector<QPointF> points); // data units; non-finite points are dropped
    std::size_t size() const { return m_points.size(); }
    void setColour(const QColor &colour);

    // Draws the points of `frame`'s range into its plot rectangle, at `pixelRatio` image pixels
    // per layout unit.
    void paint(QPainter *painter, const PlaneFrame &frame, double pixelRatio) const;
    // The image for a plot of `pixels` showing `range` (rebuilt if either changed).
    const QImage &image(QSize pixels, const PlaneRange &range, double pixelRatio) const;

    // Marker radius in layout units.
    static constexpr double kRadius = 1.5;

private:
    std::vector<QPointF> m_points;
    QColor m_colour = QColor(31, 119, 180);
    mutable QImage m_image;
    mutable QSize m_pixels;
    mutable PlaneRange m_range;
    mutable double m_ratio = 0.0;
};

// Shapes cut to a plot rectangle. The painter's clip does that, except in SVG, whose engine
// ignores clipping (Qt 6.4): there a shape that crosses the rectangle is drawn as its fill and its
// pen's outline, each intersected with the rectangle. Uses the painter's pen and brush; sets the
// clip for its lifetime.
class ClippedPainter {
public:
    ClippedPainter(QPainter *painter, const QRectF &clip);
    ~ClippedPainter();
    ClippedPainter(const ClippedPainter &) = delete;
    ClippedPainter &operator=(const ClippedPainter &) = delete;

    void drawPath(const QPainterPath &path);
    void drawPolyline(const QPolygonF &line);
    void drawPolygon(const QPolygonF &polygon);
    void drawLine(QPointF from, QPointF to);
    void drawEllipse(const QRectF &bounds);
    void drawEllipse(QPointF centre, double rx, double ry);
    void drawRect(const QRectF &rect);

private:
    QPainter *m_painter;
    QRectF m_clip;
    bool m_cut; // the engine ignores the clip
};

// One legend entry: a line (pen), a marker (brush, optional edge pen) or both.
struct LegendEntry {
    enum class Shape { Line, Circle, Square, Diamond, Ring, Swatch };
    QString text;
    Shape shape = Shape::Line;
    QPen pen = QPen(Qt::NoPen);
    QBrush brush = QBrush(Qt::NoBrush);
};

// Height of the legend for `entries` laid out in rows of at most `width`.
double legendHeight(const std::vector<LegendEntry> &entries, double width, const PlotStyle &style);
// The entries in centred rows across `area`, wrapping where a row is full.
void paintLegend(QPainter *painter, const std::vector<LegendEntry> &entries, const QRectF &area,
                 const PlotStyle &style);
// A legend symbol of `shape` centred on `centre`, `size` across.
void paintSymbol(QPainter *painter, LegendEntry::Shape shape, QPointF centre, double size,
                 const QPen &pen, const QBrush &brush);

// Room the colour bar and its labels take to the right of a plot.
constexpr double kColourBarReserve = 92.0;
// The density colour bar of `scale`, right of `plot`, titled `title` (as the data chart's).
void paintColourBar(QPainter *painter, const QRectF &plot, const DensityScale &scale,
                    const QString &title, const PlotStyle &style);

// A line of text centred along the top of `plot`, on a translucent white box.
void paintMessage(QPainter *painter, const QRectF &plot, const QString &text,
                  const PlotStyle &style);

} // namespace mdnviz
