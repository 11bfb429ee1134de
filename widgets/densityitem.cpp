#include "densityitem.h"

#include "planeplot.h"

#include <QAbstractAxis>
#include <QAbstractSeries>
#include <QChart>
#include <QPaintEngine>
#include <QPainter>
#include <QPolygonF>

#include <algorithm>
#include <cmath>

namespace mdnviz {

namespace {

// Bands of components lighter than this at both ends of a grid interval are not drawn: a
// component without weight has a mean and a width that mean nothing.
constexpr double kBandMinPi = 0.02;
// Alpha of a band where pi_k = 1.
constexpr double kBandAlpha = 110.0;

} // namespace

// The component bands, drawn above the series (the data's points would hide them), below the
// legend: Qt Charts stacks series at 4 and the legend at 5.
class DensityItem::BandsLayer : public QGraphicsItem {
public:
    BandsLayer(QChart *chart, const DensityItem *owner) : QGraphicsItem(chart), m_owner(owner)
    {
        setZValue(4.5);
        setFlag(QGraphicsItem::ItemIgnoresParentOpacity);
        setAcceptedMouseButtons(Qt::NoButton);
    }
    void setBounds(const QRectF &bounds)
    {
        prepareGeometryChange();
        m_bounds = bounds;
    }
    QRectF boundingRect() const override { return m_bounds; }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        if (!m_owner->m_bandsShown || m_owner->m_bands.points() < 2 || m_bounds.isEmpty())
            return;
        painter->save();
        painter->setClipRect(m_bounds);
        m_owner->paintBands(painter);
        painter->restore();
    }

private:
    const DensityItem *m_owner;
    QRectF m_bounds;
};

DensityItem::DensityItem(QChart *chart, QAbstractSeries *reference)
    : QGraphicsObject(chart), m_chart(chart), m_reference(reference),
      m_bandsLayer(new BandsLayer(chart, this))
{
    // Above the plot area's background, below the grid lines and the series (Qt Charts stacks
    // its plot area at 0, shades at 1, the grid at 2 and series from 4).
    setZValue(1.5);
    setFlag(QGraphicsItem::ItemIgnoresParentOpacity);
    setAcceptedMouseButtons(Qt::NoButton);
    connect(chart, &QChart::plotAreaChanged, this, &DensityItem::onPlotAreaChanged);
    onPlotAreaChanged();
}

DensityItem::~DensityItem() = default; // the bands layer is the chart's child, as this item is

void DensityItem::setGrid(const mdn::DensityGrid &grid)
{
    m_grid = grid;
    rebuildImage();
}

void DensityItem::setLogScale(bool log)
{
    if (log == m_log)
        return;
    m_log = log;
    rebuildImage();
}

void DensityItem::setDensityShown(bool shown)
{
    m_densityShown = shown;
    update();
}

void DensityItem::setBands(const std::vector<double> &xs, const mdn::Mixture &m)
{
    m_bandX = xs;
    m_bands = m;
    if (m_bandsShown)
        m_bandsLayer->update();
}

void DensityItem::setBandsShown(bool shown)
{
    m_bandsShown = shown;
    m_bandsLayer->update();
}

void DensityItem::clear()
{
    m_grid = mdn::DensityGrid();
    m_image = QImage();
    m_bandX.clear();
    m_bands = mdn::Mixture();
    update();
    m_bandsLayer->update();
}

void DensityItem::rebuildImage()
{
    m_scale = DensityScale::forGrid(m_grid, m_log);
    m_image = densityImage(m_grid, m_scale);
    update();
}

void DensityItem::onPlotAreaChanged()
{
    prepareGeometryChange();
    m_bounds = m_chart->plotArea().adjusted(0, -24, kBarReserve, 24);
    m_bandsLayer->setBounds(m_chart->plotArea());
    update();
    m_bandsLayer->update();
}

QRectF DensityItem::boundingRect() const { return m_bounds; }

void DensityItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const QRectF area = m_chart->plotArea();
    if (area.isEmpty())
        return;
    const bool density = m_densityShown && !m_image.isNull();
    if (density) {
        painter->save();
        painter->setClipRect(area);
        // Column j is centred on its x, so the image reaches half a column beyond the end
        // columns; rows are cells whose edges are yLo .. yHi.
        const double dx = m_grid.cols > 1 ? (m_grid.xHi - m_grid.xLo) / (m_grid.cols - 1) : 1.0;
        const QPointF topLeft = m_chart->mapToPosition(QPointF(m_grid.xLo - dx / 2, m_grid.yHi), m_reference);
        const QPointF bottomRight = m_chart->mapToPosition(QPointF(m_grid.xHi + dx / 2, m_grid.yLo), m_reference);
        painter->setRenderHint(QPainter::SmoothPixmapTransform);
        const QRectF target(topLeft, bottomRight);
        if (painter->paintEngine() && painter->paintEngine()->type() == QPaintEngine::SVG) {
            // QSvgGenerator ignores both the clip and a source rectangle: it gets the whole
            // pixels of the image that lie inside the plot area, cut out.
            const double sx = m_image.width() / target.width(), sy = m_image.height() / target.height();
            const QRectF inside = target.intersected(area);
            const QRect pixels = QRect(QPoint(int(std::ceil((inside.left() - target.left()) * sx)),
                                              int(std::ceil((inside.top() - target.top()) * sy))),
                                       QPoint(int(std::floor((inside.right() - target.left()) * sx)) - 1,
                                              int(std::floor((inside.bottom() - target.top()) * sy)) - 1))
                                     .intersected(m_image.rect());
            if (!pixels.isEmpty())
                painter->drawImage(QRectF(target.left() + pixels.left() / sx, target.top() + pixels.top() / sy,
                                          pixels.width() / sx, pixels.height() / sy),
                                   m_image.copy(pixels));
        } else {
            painter->drawImage(target, m_image);
        }
        painter->restore();
    }
    if (density)
        paintColourBar(painter);
}

void DensityItem::paintBands(QPainter *painter) const
{
    // One quadrilateral per component and grid interval, from mu - sigma to mu + sigma, its
    // opacity following pi_k. Not antialiased: neighbouring quads share edges, and antialiased
    // translucent edges would show as seams.
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(Qt::NoPen);
    // SVG export ignores the clip: the quads are cut to the plot area there.
    const bool clipToArea = painter->paintEngine() && painter->paintEngine()->type() == QPaintEngine::SVG;
    const QPolygonF area(m_chart->plotArea());
    const Eigen::Index n = std::min<Eigen::Index>(m_bands.points(), Eigen::Index(m_bandX.size()));
    for (int k = 0; k < m_bands.components(); ++k) {
        QColor c = componentColour(k);
        for (Eigen::Index j = 0; j + 1 < n; ++j) {
            const double p0 = m_bands.pi(k, j), p1 = m_bands.pi(k, j + 1);
            if (std::max(p0, p1) < kBandMinPi)
                continue;
            const auto at = [&](Eigen::Index i, double sign) {
                return m_chart->mapToPosition(
                    QPointF(m_bandX[std::size_t(i)], m_bands.mu(k, i) + sign * m_bands.sigma(k, i)),
                    m_reference);
            };
            c.setAlpha(int(std::lround(kBandAlpha * std::clamp(0.5 * (p0 + p1), 0.0, 1.0))) + 20);
            painter->setBrush(c);
            const QPolygonF quad({at(j, -1), at(j + 1, -1), at(j + 1, 1), at(j, 1)});
            painter->drawPolygon(clipToArea ? quad.intersected(area) : quad);
        }
    }
}

void DensityItem::paintColourBar(QPainter *painter) const
{
    // In the chart's own label font and colour, right of its plot area.
    const QList<QAbstractAxis *> axes = m_chart->axes(Qt::Vertical);
    PlotStyle style = PlotStyle::standard();
    style.labelFont = axes.isEmpty() ? m_chart->font() : axes.first()->labelsFont();
    style.text = axes.isEmpty() ? QColor(Qt::black) : axes.first()->labelsColor();
    mdnviz::paintColourBar(painter, m_chart->plotArea(), m_scale, QStringLiteral("p(y|x)"), style);
}

QGraphicsItem *DensityItem::bandsItem() const { return m_bandsLayer; }

} // namespace mdnviz
