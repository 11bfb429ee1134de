#include "scatterlayer.h"

#include "chartexport.h"

#include <QAbstractAxis>
#include <QChart>
#include <QPaintEngine>
#include <QPainter>
#include <QScatterSeries>
#include <QValueAxis>

#include <cmath>

namespace mdnviz {

ScatterLayer::ScatterLayer(QChart *chart, QScatterSeries *style)
    : QGraphicsObject(chart), m_chart(chart), m_style(style)
{
    // Above the grid and the axes, below the series (Qt Charts stacks the axes at 3 and series
    // at 4): the curves stay on top of the points. Layers made later stack above earlier ones.
    setZValue(3.9);
    setFlag(QGraphicsItem::ItemIgnoresParentOpacity);
    setAcceptedMouseButtons(Qt::NoButton);
    setVisible(style->isVisible());
    connect(style, &QAbstractSeries::visibleChanged, this, [this] { setVisible(m_style->isVisible()); });
    connect(style, &QXYSeries::colorChanged, this, [this] { update(); });
    for (QAbstractAxis *axis : style->attachedAxes())
        if (auto *valueAxis = qobject_cast<QValueAxis *>(axis))
            connect(valueAxis, &QValueAxis::rangeChanged, this, [this] { update(); });
    connect(chart, &QChart::plotAreaChanged, this, &ScatterLayer::onPlotAreaChanged);
    onPlotAreaChanged();
}

bool ScatterLayer::Key::operator==(const Key &o) const
{
    return area == o.area && valueTopLeft == o.valueTopLeft && valueBottomRight == o.valueBottomRight &&
           scale == o.scale && phase == o.phase && colour == o.colour && markerSize == o.markerSize;
}

void ScatterLayer::setPoints(const QList<QPointF> &points)
{
    m_points = points;
    m_pointsChanged = true;
    update();
}

void ScatterLayer::clear()
{
    if (m_points.isEmpty())
        return;
    m_points.clear();
    m_pointsChanged = true;
    update();
}

void ScatterLayer::onPlotAreaChanged()
{
    prepareGeometryChange();
    // Markers centred inside the plot area reach out by their radius.
    const qreal reach = m_style->markerSize();
    m_bounds = m_chart->plotArea().adjusted(-reach, -reach, reach, reach);
    update();
}

QRectF ScatterLayer::boundingRect() const { return m_bounds; }

QList<QPointF> ScatterLayer::positions(const QRectF &area) const
{
    // The value axes are linear: two corners of the plot area give the map for every point.
    const QPointF v0 = m_chart->mapToValue(area.topLeft(), m_style);
    const QPointF v1 = m_chart->mapToValue(area.bottomRight(), m_style);
    const double sx = area.width() / (v1.x() - v0.x());
    const double sy = area.height() / (v1.y() - v0.y());
    QList<QPointF> out;
    if (!std::isfinite(sx) || !std::isfinite(sy))
        return out;
    out.reserve(m_points.size());
    // As Qt Charts does, markers whose point lies outside the plot area are left out.
    for (const QPointF &p : m_points) {
        const QPointF pos(area.left() + (p.x() - v0.x()) * sx, area.top() + (p.y() - v0.y()) * sy);
        if (area.contains(pos))
            out.append(pos);
    }
    return out;
}

void ScatterLayer::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const QRectF area = m_chart->plotArea();
    if (area.isEmpty() || m_points.isEmpty())
        return;
    const QPaintEngine *engine = painter->paintEngine();
    const bool vector = engine && (engine->type() == QPaintEngine::SVG || engine->type() == QPaintEngine::Pdf);
    // The device transform holds the screen's pixel ratio and an export's enlargement.
    const QTransform t = painter->deviceTransform();
    if (vector || t.type() > QTransform::TxScale || t.m11() <= 0.0 || !qFuzzyCompare(t.m11(), t.m22())) {
        paintVector(painter, area);
        return;
    }
    Key key;
    key.area = area;
    key.valueTopLeft = m_chart->mapToValue(area.topLeft(), m_style);
    key.valueBottomRight = m_chart->mapToValue(area.bottomRight(), m_style);
    key.scale = t.m11();
    const QPointF device = t.map(area.topLeft());
    const QPointF origin(std::floor(device.x()), std::floor(device.y()));
    key.phase = device - origin;
    key.colour = m_style->color();
    key.markerSize = m_style->markerSize();
    if (m_pointsChanged || !(key == m_key))
        rebuildImage(key);
    painter->save();
    // One image pixel on one device pixel: no resampling.
    painter->setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter->drawImage(t.inverted().map(origin), m_image);
    painter->restore();
}

void ScatterLayer::rebuildImage(const Key &key)
{
    m_key = key;
    m_pointsChanged = false;
    const double s = key.scale;
    const QSize size(int(std::ceil(key.phase.x() + key.area.width() * s)),
                     int(std::ceil(key.phase.y() + key.area.height() * s)));
    if (m_image.size() != size)
        m_image = QImage(size, QImage::Format_ARGB32_Premultiplied);
    m_image.setDevicePixelRatio(1.0); // painted in device pixels
    m_image.fill(Qt::transparent);

    // One marker drawn once, antialiased, at the device's pixel size; then copied to each point
    // at the nearest whole pixel.
    const double d = key.markerSize * s;
    const int side = int(std::ceil(d)) + 2;
    QImage sprite(side, side, QImage::Format_ARGB32_Premultiplied);
    sprite.fill(Qt::transparent);
    {
        QPainter p(&sprite);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(key.colour);
        p.drawEllipse(QRectF((side - d) / 2.0, (side - d) / 2.0, d, d));
    }
    QPainter p(&m_image);
    const double half = side / 2.0;
    for (const QPointF &pos : positions(key.area)) {
        const QPointF at = (pos - key.area.topLeft()) * s + key.phase;
        p.drawImage(QPoint(int(std::lround(at.x() - half)), int(std::lround(at.y() - half))), sprite);
    }
    p.end();
    m_image.setDevicePixelRatio(s);
}

void ScatterLayer::paintVector(QPainter *painter, const QRectF &area) const
{
    // A vector file of more markers gets an evenly spread subset of kMaxVectorMarkers of them,
    // so that it stays a reasonable size.
    QList<QPointF> all = positions(area);
    const qsizetype n = all.size();
    const qsizetype shown = std::min<qsizetype>(n, kMaxVectorMarkers);
    const double r = m_style->markerSize() / 2.0;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setClipRect(area);
    painter->setPen(Qt::NoPen);
    painter->setBrush(m_style->color());
    for (qsizetype i = 0; i < shown; ++i)
        painter->drawEllipse(all[qsizetype(double(i) * double(n) / double(shown))], r, r);
    painter->restore();
}

} // namespace mdnviz
