#include "planeplot.h"

#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mdnviz {

namespace {

constexpr double kTickLength = 4.0;
constexpr double kLabelGap = 3.0;

QString superscript(int n)
{
    static const QChar digits[] = {u'⁰', u'¹', u'²', u'³', u'⁴', u'⁵', u'⁶', u'⁷', u'⁸', u'⁹'};
    const QString s = QString::number(std::abs(n));
    QString out = n < 0 ? QStringLiteral("⁻") : QString();
    for (QChar c : s)
        out += digits[c.digitValue()];
    return out;
}

// Tick values: the multiples of `step` inside [lo, hi].
std::vector<double> multiples(double lo, double hi, double step)
{
    std::vector<double> out;
    if (!(step > 0.0) || !(hi > lo) || (hi - lo) / step > 1000.0)
        return out;
    const double first = std::ceil(lo / step - 1e-9), last = std::floor(hi / step + 1e-9);
    for (double k = first; k <= last; k += 1.0)
        out.push_back(k == 0.0 ? 0.0 : k * step);
    return out;
}

// The smallest step of 1, 2, 2.5 or 5 times a power of ten that is at least `least`.
double niceStep(double least)
{
    if (!(least > 0.0) || !std::isfinite(least))
        return 1.0;
    const double decade = std::pow(10.0, std::floor(std::log10(least)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * decade >= least * (1.0 - 1e-12))
            return m * decade;
    return 10.0 * decade;
}

} // namespace

void PlaneRange::include(double x, double y)
{
    if (std::isfinite(x)) {
        xLo = std::min(xLo, x);
        xHi = std::max(xHi, x);
    }
    if (std::isfinite(y)) {
        yLo = std::min(yLo, y);
        yHi = std::max(yHi, y);
    }
}

PlaneRange PlaneRange::none()
{
    const double inf = std::numeric_limits<double>::infinity();
    return {inf, -inf, inf, -inf};
}

PlotStyle PlotStyle::standard()
{
    // The light theme of Qt Charts: the application's font for labels and titles, the axis
    // titles bold, dark grey text, light grey grid lines.
    PlotStyle s;
    s.labelFont = QFont();
    s.titleFont = QFont();
    s.titleFont.setBold(true);
    s.headingFont = QFont();
    return s;
}

QString tickLabel(double value, int decimals)
{
    const QString s = QString::number(value, 'f', std::clamp(decimals, 0, 17));
    // A value that rounds to zero prints as "-0.0" when it is a hair below it.
    bool zero = true;
    for (QChar c : s)
        if (c.isDigit() && c != u'0')
            zero = false;
    return zero && s.startsWith(u'-') ? s.mid(1) : s;
}

void PlaneFrame::layout(const QRectF &area, const PlaneRange &want, bool equalAspect,
                        const QString &xTitle, const QString &yTitle, const PlotStyle &style)
{
    m_area = area;
    m_xTitle = xTitle;
    m_yTitle = yTitle;
    const QFontMetricsF label(style.labelFont), title(style.titleFont);
    const double top = label.height() / 2.0 + 2.0;
    const double bottom =
        kTickLength + kLabelGap + label.height() + (xTitle.isEmpty() ? 0.0 : title.height() + 4.0);
    const double right = std::ceil(label.horizontalAdvance(QStringLiteral("0.00")) / 2.0) + 4.0;
    const double yTitleRoom = yTitle.isEmpty() ? 0.0 : title.height() + 6.0;

    PlaneRange r = want;
    if (!std::isfinite(r.xLo) || !std::isfinite(r.xHi) || !(r.xHi > r.xLo))
        r.xLo = -1.0, r.xHi = 1.0;
    if (!std::isfinite(r.yLo) || !std::isfinite(r.yHi) || !(r.yHi > r.yLo))
        r.yLo = -1.0, r.yHi = 1.0;

    // The left margin depends on the widest y label, the labels on the plot's height and range:
    // a first pass with a typical width, a second with the labels it gave.
    double left =
        kTickLength + kLabelGap + label.horizontalAdvance(QStringLiteral("-0.00")) + yTitleRoom;
    for (int pass = 0; pass < 2; ++pass) {
        m_plot = m_tickLabels ? area.adjusted(left, top, -right, -bottom) : area.adjusted(1.0, 1.0, -1.0, -1.0);
        if (m_plot.width() < 8.0 || m_plot.height() < 8.0)
            m_plot = QRectF(area.center() - QPointF(4, 4), QSizeF(8, 8));
        AxisOptions xo, yo;
        // A tight range keeps its ticks inside: they may be closer (small plots).
        xo.maxTicks = ticksForLength(m_plot.width(), m_tight ? 40.0 : 70.0);
        yo.maxTicks = ticksForLength(m_plot.height(), m_tight ? 22.0 : 32.0);
        if (equalAspect) {
            // One data unit is as many pixels across as up: the range fills the plot along the
            // tighter axis and is centred along the other.
            const double pad = 0.05 * std::max(r.xHi - r.xLo, r.yHi - r.yLo);
            const double xs = r.xHi - r.xLo + 2 * pad, ys = r.yHi - r.yLo + 2 * pad;
            const double perUnit = std::min(m_plot.width() / xs, m_plot.height() / ys);
            const double cx = 0.5 * (r.xLo + r.xHi), cy = 0.5 * (r.yLo + r.yHi);
            const double hw = 0.5 * m_plot.width() / perUnit, hh = 0.5 * m_plot.height() / perUnit;
            m_range = {cx - hw, cx + hw, cy - hh, cy + hh};
            // One step on both axes keeps the grid square: the finest whose ticks leave room
            // for their labels along x.
            const double step = niceStep(50.0 / perUnit);
            m_xTicks = multiples(m_range.xLo, m_range.xHi, step);
            m_yTicks = multiples(m_range.yLo, m_range.yHi, step);
            m_xDecimals = m_yDecimals = decimalsForStep(step);
        } else {
            const AxisTicks tx = niceAxis(r.xLo, r.xHi, xo), ty = niceAxis(r.yLo, r.yHi, yo);
            // Tight: the wanted range with the 5% margin niceAxis gives it, so that points on
            // its edge stay inside the frame.
            const double px = 0.05 * (r.xHi - r.xLo), py = 0.05 * (r.yHi - r.yLo);
            m_range = m_tight ? PlaneRange{r.xLo - px, r.xHi + px, r.yLo - py, r.yHi + py}
                              : PlaneRange{tx.min, tx.min + std::round((tx.max - tx.min) / tx.step) * tx.step, ty.min,
                                           ty.min + std::round((ty.max - ty.min) / ty.step) * ty.step};
            m_xTicks = multiples(m_range.xLo, m_range.xHi, tx.step);
            m_yTicks = multiples(m_range.yLo, m_range.yHi, ty.step);
            m_xDecimals = tx.decimals;
            m_yDecimals = ty.decimals;
            if (m_tight) {
                // Steps that fit about as many ticks inside the range as its length holds, and
                // at least two (niceAxis's steps are for a range widened to them).
                const auto inside = [](double lo, double hi, int count, std::vector<double> &ticks) {
                    double step = 1.0;
                    for (int n = std::max(count, 2); n <= count + 6; ++n) {
                        step = niceStep((hi - lo) / double(n));
                        ticks = multiples(lo, hi, step);
                        if (ticks.size() >= 2)
                            break;
                    }
                    return decimalsForStep(step);
                };
                m_xDecimals = inside(m_range.xLo, m_range.xHi, xo.maxTicks, m_xTicks);
                m_yDecimals = inside(m_range.yLo, m_range.yHi, yo.maxTicks, m_yTicks);
            }
        }
        if (!m_tickLabels)
            break;
        double widest = 0.0;
        for (double v : m_yTicks)
            widest = std::max(widest, label.horizontalAdvance(tickLabel(v, m_yDecimals)));
        const double needed = kTickLength + kLabelGap + std::ceil(widest) + yTitleRoom + 2.0;
        if (std::abs(needed - left) < 0.5)
            break;
        left = needed;
    }
}

QPointF PlaneFrame::toPixel(double x, double y) const
{
    return {m_plot.left() + (x - m_range.xLo) / (m_range.xHi - m_range.xLo) * m_plot.width(),
            m_plot.bottom() - (y - m_range.yLo) / (m_range.yHi - m_range.yLo) * m_plot.height()};
}

QPointF PlaneFrame::toValue(QPointF pixel) const
{
    return {m_range.xLo +
                (pixel.x() - m_plot.left()) / m_plot.width() * (m_range.xHi - m_range.xLo),
            m_range.yLo +
                (m_plot.bottom() - pixel.y()) / m_plot.height() * (m_range.yHi - m_range.yLo)};
}

void PlaneFrame::paintBackground(QPainter *painter, const PlotStyle &style) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(QPen(style.grid, 1.0));
    for (double x : m_xTicks) {
        const double px = toPixel(x, 0.0).x();
        painter->drawLine(QPointF(px, m_plot.top()), QPointF(px, m_plot.bottom()));
    }
    for (double y : m_yTicks) {
        const double py = toPixel(0.0, y).y();
        painter->drawLine(QPointF(m_plot.left(), py), QPointF(m_plot.right(), py));
    }
    painter->restore();
}

void PlaneFrame::paintAxes(QPainter *painter, const PlotStyle &style) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(QPen(style.axisLine, 1.0));
    painter->drawLine(m_plot.bottomLeft(), m_plot.bottomRight());
    painter->drawLine(m_plot.bottomLeft(), m_plot.topLeft());
    if (!m_tickLabels) {
        painter->restore();
        return;
    }
    for (double x : m_xTicks) {
        const double px = toPixel(x, 0.0).x();
        painter->drawLine(QPointF(px, m_plot.bottom()), QPointF(px, m_plot.bottom() + kTickLength));
    }
    for (double y : m_yTicks) {
        const double py = toPixel(0.0, y).y();
        painter->drawLine(QPointF(m_plot.left() - kTickLength, py), QPointF(m_plot.left(), py));
    }

    painter->setRenderHint(QPainter::Antialiasing, true);
    const QFontMetricsF label(style.labelFont), title(style.titleFont);
    painter->setFont(style.labelFont);
    painter->setPen(style.text);
    const double labelTop = m_plot.bottom() + kTickLength + kLabelGap;
    for (double x : m_xTicks) {
        const double px = toPixel(x, 0.0).x();
        painter->drawText(QRectF(px - 50.0, labelTop, 100.0, label.height()), Qt::AlignCenter,
                          tickLabel(x, m_xDecimals));
    }
    for (double y : m_yTicks) {
        const double py = toPixel(0.0, y).y();
        painter->drawText(QRectF(m_area.left(), py - label.height() / 2.0,
                                 m_plot.left() - kTickLength - kLabelGap - m_area.left(),
                                 label.height()),
                          Qt::AlignRight | Qt::AlignVCenter, tickLabel(y, m_yDecimals));
    }
    painter->setFont(style.titleFont);
    if (!m_xTitle.isEmpty())
        painter->drawText(
            QRectF(m_plot.left(), labelTop + label.height() + 4.0, m_plot.width(), title.height()),
            Qt::AlignCenter, m_xTitle);
    if (!m_yTitle.isEmpty()) {
        painter->translate(m_area.left() + 2.0, m_plot.center().y());
        painter->rotate(-90.0);
        painter->drawText(QRectF(-m_plot.height() / 2.0, 0.0, m_plot.height(), title.height()),
                          Qt::AlignCenter, m_yTitle);
    }
    painter->restore();
}

void ScatterImage::setPoints(std::vector<QPointF> points)
{
    points.erase(std::remove_if(points.begin(), points.end(),
                                [](const QPointF &p) {
                                    return !std::isfinite(p.x()) || !std::isfinite(p.y());
                                }),
                 points.end());
    m_points = std::move(points);
    m_image = QImage();
}

void ScatterImage::setColour(const QColor &colour)
{
    m_colour = colour;
    m_image = QImage();
}

const QImage &ScatterImage::image(QSize pixels, const PlaneRange &range, double pixelRatio) const
{
    if (!m_image.isNull() && pixels == m_pixels && range == m_range && pixelRatio == m_ratio)
        return m_image;
    m_pixels = pixels;
    m_range = range;
    m_ratio = pixelRatio;
    const int w = std::max(1, pixels.width()), h = std::max(1, pixels.height());
    // Every point is a disc of one colour and the same alpha, so drawing them one over another
    // leaves alpha 1 - prod(1 - a c_i) (c_i: the disc's coverage of the pixel) and that colour:
    // the product is accumulated per pixel, which is much faster than a painter per point.
    std::vector<float> clear(std::size_t(w) * std::size_t(h), 1.0f);
    // Lighter points where there are many, so that the cloud keeps its shape rather than
    // turning into a solid block.
    const double n = double(std::max<std::size_t>(m_points.size(), 1));
    const float a = float(std::clamp(0.35 * std::sqrt(2000.0 / n), 0.035, 0.35));
    const double radius = std::max(0.75, kRadius * pixelRatio);
    const int reach = int(std::ceil(radius + 0.5));
    const double inner2 = (radius - 0.5) * (radius - 0.5), outer2 = (radius + 0.5) * (radius + 0.5);
    const float opaque = 1.0f - a;
    const double sx = w / (range.xHi - range.xLo), sy = h / (range.yHi - range.yLo);
    for (const QPointF &p : m_points) {
        const double px = (p.x() - range.xLo) * sx, py = (range.yHi - p.y()) * sy;
        if (!(px > -reach && px < w + reach && py > -reach && py < h + reach))
            continue;
        const int cx = int(std::floor(px)), cy = int(std::floor(py));
        for (int y = std::max(0, cy - reach); y <= std::min(h - 1, cy + reach); ++y) {
            const double dy = y + 0.5 - py;
            float *row = clear.data() + std::size_t(y) * std::size_t(w);
            for (int x = std::max(0, cx - reach); x <= std::min(w - 1, cx + reach); ++x) {
                const double dx = x + 0.5 - px, d2 = dx * dx + dy * dy;
                // Wholly inside the disc, or on its rim (where the square root is needed).
                if (d2 <= inner2)
                    row[x] *= opaque;
                else if (d2 < outer2)
                    row[x] *= 1.0f - a * float(radius + 0.5 - std::sqrt(d2));
            }
        }
    }
    m_image = QImage(w, h, QImage::Format_ARGB32_Premultiplied);
    const int r = m_colour.red(), g = m_colour.green(), b = m_colour.blue();
    for (int y = 0; y < h; ++y) {
        QRgb *line = reinterpret_cast<QRgb *>(m_image.scanLine(y));
        const float *row = clear.data() + std::size_t(y) * std::size_t(w);
        for (int x = 0; x < w; ++x) {
            const int alpha = int(std::lround(255.0f * (1.0f - row[x])));
            line[x] = qRgba(r * alpha / 255, g * alpha / 255, b * alpha / 255, alpha);
        }
    }
    return m_image;
}

void ScatterImage::paint(QPainter *painter, const PlaneFrame &frame, double pixelRatio) const
{
    if (m_points.empty())
        return;
    const QRectF plot = frame.plot();
    const QSize pixels(int(std::ceil(plot.width() * pixelRatio)),
                       int(std::ceil(plot.height() * pixelRatio)));
    const QImage &img = image(pixels, frame.range(), pixelRatio);
    // The image may be a fraction of a pixel larger than the plot: drawn at its own scale so
    // that one image pixel stays one device pixel.
    painter->drawImage(QRectF(plot.topLeft(), QSizeF(pixels) / pixelRatio), img);
}

ClippedPainter::ClippedPainter(QPainter *painter, const QRectF &clip)
    : m_painter(painter), m_clip(clip),
      m_cut(painter->paintEngine() && painter->paintEngine()->type() == QPaintEngine::SVG)
{
    m_painter->save();
    m_painter->setClipRect(clip);
}

ClippedPainter::~ClippedPainter()
{
    m_painter->restore();
}

void ClippedPainter::drawPath(const QPainterPath &path)
{
    const QPen pen = m_painter->pen();
    const double w = pen.style() == Qt::NoPen ? 0.0 : pen.widthF();
    if (!m_cut || m_clip.contains(path.controlPointRect().adjusted(-w, -w, w, w))) {
        m_painter->drawPath(path);
        return;
    }
    QPainterPath box;
    box.addRect(m_clip);
    const QBrush brush = m_painter->brush();
    m_painter->save();
    m_painter->setPen(Qt::NoPen);
    if (brush.style() != Qt::NoBrush)
        m_painter->drawPath(path.intersected(box));
    if (pen.style() != Qt::NoPen) {
        m_painter->setBrush(pen.brush());
        m_painter->drawPath(QPainterPathStroker(pen).createStroke(path).intersected(box));
    }
    m_painter->restore();
}

void ClippedPainter::drawPolyline(const QPolygonF &line)
{
    if (!m_cut) {
        m_painter->drawPolyline(line);
        return;
    }
    QPainterPath path;
    path.addPolygon(line);
    const QBrush brush = m_painter->brush();
    m_painter->setBrush(Qt::NoBrush); // a polyline has no inside
    drawPath(path);
    m_painter->setBrush(brush);
}

void ClippedPainter::drawPolygon(const QPolygonF &polygon)
{
    if (!m_cut) {
        m_painter->drawPolygon(polygon);
        return;
    }
    QPainterPath path;
    path.addPolygon(polygon);
    path.closeSubpath();
    drawPath(path);
}

void ClippedPainter::drawLine(QPointF from, QPointF to)
{
    drawPolyline(QPolygonF({from, to}));
}

void ClippedPainter::drawEllipse(const QRectF &bounds)
{
    if (!m_cut) {
        m_painter->drawEllipse(bounds);
        return;
    }
    QPainterPath path;
    path.addEllipse(bounds);
    drawPath(path);
}

void ClippedPainter::drawEllipse(QPointF centre, double rx, double ry)
{
    drawEllipse(QRectF(centre.x() - rx, centre.y() - ry, 2 * rx, 2 * ry));
}

void ClippedPainter::drawRect(const QRectF &rect)
{
    if (!m_cut) {
        m_painter->drawRect(rect);
        return;
    }
    QPainterPath path;
    path.addRect(rect);
    drawPath(path);
}

namespace {

constexpr double kSymbolWidth = 22.0;
constexpr double kSymbolGap = 5.0;
constexpr double kEntryGap = 16.0;

// The rows of the legend: the entries of each row.
std::vector<std::vector<std::size_t>> legendRows(const std::vector<LegendEntry> &entries,
                                                 double width, const QFontMetricsF &metrics,
                                                 std::vector<double> *rowWidths)
{
    std::vector<std::vector<std::size_t>> rows;
    double used = 0.0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const double w = kSymbolWidth + kSymbolGap + metrics.horizontalAdvance(entries[i].text);
        if (rows.empty() || (used + kEntryGap + w > width && !rows.back().empty())) {
            rows.emplace_back();
            if (rowWidths)
                rowWidths->push_back(0.0);
            used = -kEntryGap;
        }
        used += kEntryGap + w;
        rows.back().push_back(i);
        if (rowWidths)
            rowWidths->back() = used;
    }
    return rows;
}

} // namespace

double legendHeight(const std::vector<LegendEntry> &entries, double width, const PlotStyle &style)
{
    if (entries.empty())
        return 0.0;
    const QFontMetricsF metrics(style.labelFont);
    return double(legendRows(entries, width, metrics, nullptr).size()) * (metrics.height() + 4.0) +
           4.0;
}

void paintSymbol(QPainter *painter, LegendEntry::Shape shape, QPointF centre, double size,
                 const QPen &pen, const QBrush &brush)
{
    painter->save();
    painter->setPen(pen);
    painter->setBrush(brush);
    const double r = size / 2.0;
    switch (shape) {
    case LegendEntry::Shape::Line:
        painter->drawLine(centre - QPointF(kSymbolWidth / 2.0 - 2.0, 0.0),
                          centre + QPointF(kSymbolWidth / 2.0 - 2.0, 0.0));
        break;
    case LegendEntry::Shape::Circle:
    case LegendEntry::Shape::Ring:
        painter->drawEllipse(centre, r, r);
        break;
    case LegendEntry::Shape::Square:
        painter->drawRect(QRectF(centre - QPointF(r, r), QSizeF(size, size)));
        break;
    case LegendEntry::Shape::Diamond: {
        const double d = r * 1.3;
        painter->drawPolygon(QPolygonF({centre + QPointF(0, -d), centre + QPointF(d, 0),
                                        centre + QPointF(0, d), centre + QPointF(-d, 0)}));
        break;
    }
    case LegendEntry::Shape::Swatch:
        painter->drawRect(QRectF(centre - QPointF(kSymbolWidth / 2.0 - 3.0, r),
                                 QSizeF(kSymbolWidth - 6.0, size)));
        break;
    }
    painter->restore();
}

void paintLegend(QPainter *painter, const std::vector<LegendEntry> &entries, const QRectF &area,
                 const PlotStyle &style)
{
    const QFontMetricsF metrics(style.labelFont);
    std::vector<double> widths;
    const auto rows = legendRows(entries, area.width(), metrics, &widths);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setFont(style.labelFont);
    const double rowHeight = metrics.height() + 4.0;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        double x = area.center().x() - widths[r] / 2.0;
        const double y = area.top() + 4.0 + double(r) * rowHeight;
        for (std::size_t i : rows[r]) {
            const LegendEntry &e = entries[i];
            paintSymbol(painter, e.shape,
                        QPointF(x + kSymbolWidth / 2.0, y + rowHeight / 2.0 - 2.0), 9.0, e.pen,
                        e.brush);
            const double tw = metrics.horizontalAdvance(e.text);
            painter->setPen(style.text);
            painter->drawText(QRectF(x + kSymbolWidth + kSymbolGap, y, tw + 2.0, metrics.height()),
                              Qt::AlignLeft | Qt::AlignVCenter, e.text);
            x += kSymbolWidth + kSymbolGap + tw + kEntryGap;
        }
    }
    painter->restore();
}

void paintColourBar(QPainter *painter, const QRectF &plot, const DensityScale &scale,
                    const QString &title, const PlotStyle &style)
{
    const QFontMetricsF metrics(style.labelFont);
    const QRectF bar(plot.right() + 14, plot.top() + metrics.height() + 6, 12,
                     std::max(20.0, plot.height() - metrics.height() - 6));
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    QLinearGradient ramp(bar.bottomLeft(), bar.topLeft());
    for (int i = 0; i <= 16; ++i)
        ramp.setColorAt(i / 16.0, densityColour(i / 16.0));
    painter->fillRect(bar, ramp);
    painter->setPen(QPen(QColor(120, 120, 120), 0));
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(bar);
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setFont(style.labelFont);
    painter->setPen(style.text);
    painter->drawText(QRectF(bar.left() - 10, plot.top(), kColourBarReserve, metrics.height()),
                      Qt::AlignLeft | Qt::AlignVCenter, title);
    const auto tick = [&](double t, const QString &label) {
        const double y = bar.bottom() - t * bar.height();
        painter->drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 4, y));
        painter->drawText(QRectF(bar.right() + 6, y - metrics.height() / 2, kColourBarReserve - 30,
                                 metrics.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, label);
    };
    if (scale.log && scale.lo > 0.0 && scale.hi > scale.lo) {
        for (int d = int(std::ceil(std::log10(scale.lo) - 1e-9));
             d <= int(std::floor(std::log10(scale.hi) + 1e-9)); ++d)
            tick(scale.position(std::pow(10.0, d)), QStringLiteral("10") + superscript(d));
    } else if (scale.hi > 0.0) {
        const double step = std::pow(10.0, std::floor(std::log10(scale.hi / 4.0)));
        const double nice = scale.hi / step >= 20  ? 5 * step
                            : scale.hi / step >= 8 ? 2 * step
                                                   : step;
        const int decimals = std::max(0, -int(std::floor(std::log10(nice) + 1e-9)));
        for (double v = 0.0; v <= scale.hi * (1 + 1e-9); v += nice)
            tick(scale.position(v), QString::number(v, 'f', decimals));
    }
    painter->restore();
}

void paintMessage(QPainter *painter, const QRectF &plot, const QString &text,
                  const PlotStyle &style)
{
    if (text.isEmpty())
        return;
    const QFontMetricsF metrics(style.labelFont);
    const QString shown = metrics.elidedText(text, Qt::ElideRight, plot.width() - 16.0);
    const double w = metrics.horizontalAdvance(shown) + 12.0, h = metrics.height() + 6.0;
    const QRectF box(plot.center().x() - w / 2.0, plot.top() + 6.0, w, h);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setPen(QPen(QColor(190, 190, 190), 1.0));
    painter->setBrush(QColor(255, 255, 255, 225));
    painter->drawRoundedRect(box, 3.0, 3.0);
    painter->setFont(style.labelFont);
    painter->setPen(QColor(40, 40, 40));
    painter->drawText(box, Qt::AlignCenter, shown);
    painter->restore();
}

} // namespace mdnviz
