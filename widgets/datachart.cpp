#include "datachart.h"

#include "legendfit.h"

#include "axisformat.h"
#include "cachedchartview.h"
#include "colormap.h"
#include "densityitem.h"
#include "scatterlayer.h"

#include <QChart>
#include <QGraphicsEllipseItem>
#include <QGraphicsLayout>
#include <QGraphicsSimpleTextItem>
#include <QImage>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mdnviz {

namespace {

QColor withAlpha(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

// A round marker as an image. Scatter series with a light marker paint that image at each point;
// without one they keep a graphics item per point and, in Qt 6.4, restyle them in quadratic time
// whenever the point count changes, which makes 20,000 points take seconds. Drawn at twice the
// marker size so that it stays round on high-density screens.
QImage markerImage(const QColor &colour, qreal size)
{
    const int side = qMax(2, qRound(2 * size));
    QImage image(side, side, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(colour);
    painter.drawEllipse(QRectF(0, 0, side, side));
    return image;
}

QString countText(qsizetype n)
{
    return QLocale(QLocale::English, QLocale::UnitedStates).toString(qlonglong(n));
}

} // namespace

// Blue data, orange curve, magenta samples: three hues far apart, which stay distinct for the
// common red-green colour deficiencies too.
QColor DataChart::dataColor()
{
    return QColor(31, 119, 180);
}

QColor DataChart::mseColor()
{
    return QColor(230, 85, 13);
}

QColor DataChart::sampleColor()
{
    return QColor(214, 39, 160);
}

// The data slightly translucent so that dense regions read darker; the samples strongly so,
// because there are many of them on top of the data.
int DataChart::dataAlpha()
{
    return 170;
}

int DataChart::sampleAlpha()
{
    return 90;
}

// The mixture's summaries in near-black, so that they read on the density's greens and stay
// apart from the three colours of the data, the samples and the MSE curve.
QColor DataChart::meanColor()
{
    return QColor(40, 40, 40);
}

QColor DataChart::modeColor()
{
    return QColor(90, 20, 60);
}

DataChart::DataChart(QWidget *parent)
    : QChartView(parent), m_sliceX(std::numeric_limits<double>::quiet_NaN())
{
    setRenderHint(QPainter::Antialiasing);
    setRenderHint(QPainter::SmoothPixmapTransform); // the markers are scaled images
    ignoreViewActivation(scene());
    setMinimumSize(320, 240);
    // Laid out anew (on screen or for an export of another size): the legend's names refit.
    connect(chart(), &QGraphicsWidget::geometryChanged, this, [this] {
        const int tier = m_legendTier;
        fitLegend();
        if (tier != m_legendTier)
            chart()->legend()->layout()->invalidate();
    });

    QChart *c = chart();
    c->setTitle(tr("Data & fits"));
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setAnimationOptions(QChart::NoAnimation);

    m_data = new QScatterSeries;
    m_data->setName(tr("data"));
    m_data->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    m_data->setMarkerSize(5.0);
    m_data->setColor(withAlpha(dataColor(), dataAlpha()));
    m_data->setPen(Qt::NoPen);
    m_data->setLightMarker(markerImage(m_data->color(), m_data->markerSize()));

    // Drawn above the data, below the curve: the curve must stay readable through a cloud of
    // samples, and the samples are translucent so the data shows through them.
    m_samples = new QScatterSeries;
    m_samples->setName(tr("MDN samples"));
    m_samples->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    m_samples->setMarkerSize(5.0);
    m_samples->setColor(withAlpha(sampleColor(), sampleAlpha()));
    m_samples->setPen(Qt::NoPen);
    m_samples->setLightMarker(markerImage(m_samples->color(), m_samples->markerSize()));

    m_mse = new QLineSeries;
    m_mse->setName(tr("MSE net prediction"));
    QPen pen(mseColor(), 3.0);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    m_mse->setPen(pen);

    m_mean = new QLineSeries;
    m_mean->setName(tr("MDN mean E[y|x]"));
    QPen meanPen(meanColor(), 2.0, Qt::DashLine);
    meanPen.setCapStyle(Qt::FlatCap);
    m_mean->setPen(meanPen);

    // The mode jumps from branch to branch, so it is drawn as dots rather than a line that
    // would join the branches with vertical strokes.
    m_mode = new QScatterSeries;
    m_mode->setName(tr("MDN mode (approx.)"));
    m_mode->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    m_mode->setMarkerSize(4.0);
    m_mode->setColor(modeColor());
    m_mode->setPen(Qt::NoPen);
    m_mode->setLightMarker(markerImage(m_mode->color(), m_mode->markerSize()));

    m_slice = new QLineSeries;
    m_slice->setName(tr("slice"));
    m_slice->setPen(QPen(QColor(60, 60, 60), 1.5, Qt::DotLine));

    c->addSeries(m_data);
    c->addSeries(m_samples);
    c->addSeries(m_mse);
    c->addSeries(m_mean);
    c->addSeries(m_mode);
    c->addSeries(m_slice);
    // The bands are painted by the density item; this empty series only gives them a legend
    // entry, in the first component's colour.
    m_bandsKey = new QLineSeries;
    m_bandsKey->setName(tr("component bands μ_k ± σ_k"));
    QColor bandColour = componentColour(0);
    bandColour.setAlpha(110);
    m_bandsKey->setPen(QPen(bandColour, 8.0));
    c->addSeries(m_bandsKey);

    m_axisX = new QValueAxis;
    m_axisX->setTitleText(QStringLiteral("x"));
    m_axisY = new QValueAxis;
    m_axisY->setTitleText(QStringLiteral("y"));
    c->addAxis(m_axisX, Qt::AlignBottom);
    c->addAxis(m_axisY, Qt::AlignLeft);
    for (QXYSeries *s : {static_cast<QXYSeries *>(m_data), static_cast<QXYSeries *>(m_samples),
                         static_cast<QXYSeries *>(m_mse), static_cast<QXYSeries *>(m_mean),
                         static_cast<QXYSeries *>(m_mode), static_cast<QXYSeries *>(m_slice),
                         static_cast<QXYSeries *>(m_bandsKey)}) {
        s->attachAxis(m_axisX);
        s->attachAxis(m_axisY);
    }
    m_density = new DensityItem(c, m_data);
    // The samples' layer is made second, so that it stacks above the data's.
    m_dataLayer = new ScatterLayer(c, m_data);
    m_sampleLayer = new ScatterLayer(c, m_samples);
    // Ranges are set only after the series are attached: attaching may refit the axes.
    fitAxes();
    updateLegendMarkers();
    updateMargins();
    // The tick density follows the plot's size in pixels, on screen and in exports alike.
    connect(c, &QChart::plotAreaChanged, this, &DataChart::fitAxes);
    m_hint = new QGraphicsSimpleTextItem(c);
    QFont hintFont = font();
    hintFont.setPointSizeF(hintFont.pointSizeF() * 1.4);
    m_hint->setFont(hintFont);
    m_hint->setBrush(QColor(40, 40, 40));
    m_hint->setZValue(1000); // above the series
    m_hint->hide();
    connect(c, &QChart::plotAreaChanged, this, &DataChart::placeHint);
}

void DataChart::setDataset(const mdn::Dataset &data)
{
    // The columns' own names where the file gave them ("x" and "y" otherwise).
    m_axisX->setTitleText(QString::fromStdString(data.inputName(0)));
    m_axisY->setTitleText(QString::fromStdString(data.targetName(0)));
    const std::size_t n = std::min(data.x.size(), data.y.size());
    double xMin = std::numeric_limits<double>::infinity(), xMax = -xMin;
    double yMin = xMin, yMax = -xMin;
    std::size_t finite = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = data.x[i], y = data.y[i];
        if (!std::isfinite(x) || !std::isfinite(y))
            continue;
        ++finite;
        xMin = std::min(xMin, x);
        xMax = std::max(xMax, x);
        yMin = std::min(yMin, y);
        yMax = std::max(yMax, y);
    }

    // An even stride over the file order: deterministic, and it keeps the shape of the cloud
    // (the generators emit points in random order; files sorted by x are thinned evenly in x).
    const std::size_t shown = std::min<std::size_t>(finite, maxShownPoints);
    QList<QPointF> points;
    points.reserve(qsizetype(shown));
    if (shown > 0) {
        std::size_t next = 0, taken = 0, seen = 0;
        for (std::size_t i = 0; i < n && taken < shown; ++i) {
            const double x = data.x[i], y = data.y[i];
            if (!std::isfinite(x) || !std::isfinite(y))
                continue;
            if (seen == next) {
                points.append(QPointF(x, y));
                ++taken;
                // Index of the next point to take: floor(taken * finite / shown), in integers.
                next = std::size_t((unsigned long long)taken * finite / shown);
            }
            ++seen;
        }
    }
    m_dataLayer->setPoints(points);

    if (finite > std::size_t(points.size()))
        m_dataNames = QStringList{tr("data (%1 of %2 shown)").arg(countText(points.size()), countText(qsizetype(finite))),
                                  tr("data (%1)").arg(countText(qsizetype(finite))), tr("data")};
    else
        m_dataNames = QStringList{tr("data (%1 points)").arg(countText(points.size())),
                                  tr("data (%1)").arg(countText(points.size())), tr("data")};
    fitLegend();

    if (finite == 0 || m_drawMode) {
        // While drawing, the plane stays where the strokes were drawn (growing only to take in
        // points drawn at its edge); without points (cleared to be drawn afresh) it stays too.
        xMin = std::min(xMin, m_xMin);
        xMax = std::max(xMax, m_xMax);
        yMin = std::min(yMin, m_yMin);
        yMax = std::max(yMax, m_yMax);
    }
    m_xMin = xMin;
    m_xMax = xMax;
    m_yMin = yMin;
    m_yMax = yMax;
    fitAxes();
    updateLegendMarkers();
}

const QList<QPointF> &DataChart::dataPoints() const { return m_dataLayer->points(); }

const QList<QPointF> &DataChart::samplePoints() const { return m_sampleLayer->points(); }

void DataChart::setSnapshot(const mdn::Snapshot &snapshot)
{
    QList<QPointF> curve;
    const std::size_t nc = std::min(snapshot.gridX.size(), snapshot.mseCurve.size());
    curve.reserve(qsizetype(nc));
    for (std::size_t i = 0; i < nc; ++i) {
        const double x = snapshot.gridX[i], y = snapshot.mseCurve[i];
        if (std::isfinite(x) && std::isfinite(y))
            curve.append(QPointF(x, y));
    }
    m_mse->replace(curve);

    QList<QPointF> samples;
    const std::size_t ns = std::min(snapshot.sampleX.size(), snapshot.sampleY.size());
    samples.reserve(qsizetype(ns));
    for (std::size_t i = 0; i < ns; ++i) {
        const double x = snapshot.sampleX[i], y = snapshot.sampleY[i];
        if (std::isfinite(x) && std::isfinite(y))
            samples.append(QPointF(x, y));
    }
    m_sampleLayer->setPoints(samples);

    QList<QPointF> mean, mode;
    const std::size_t nm = std::min({snapshot.gridX.size(), snapshot.meanCurve.size(), snapshot.modeCurve.size()});
    mean.reserve(qsizetype(nm));
    mode.reserve(qsizetype(nm));
    for (std::size_t i = 0; i < nm; ++i) {
        const double x = snapshot.gridX[i];
        if (std::isfinite(x) && std::isfinite(snapshot.meanCurve[i]))
            mean.append(QPointF(x, snapshot.meanCurve[i]));
        if (std::isfinite(x) && std::isfinite(snapshot.modeCurve[i]))
            mode.append(QPointF(x, snapshot.modeCurve[i]));
    }
    m_mean->replace(m_overlays.mean ? mean : QList<QPointF>());
    m_mode->replace(m_overlays.mode ? mode : QList<QPointF>());
    m_meanPoints = mean;
    m_modePoints = mode;

    m_density->setGrid(snapshot.density);
    m_density->setBands(snapshot.gridX, snapshot.mixture);
    updateLegendMarkers();
    updateMargins();
}

void DataChart::setSubject(const QString &subject)
{
    if (subject == m_subject)
        return;
    m_subject = subject;
    updateTitle();
}

void DataChart::updateTitle()
{
    QString title = height() < 330 ? QString() : tr("Data & fits");
    if (!title.isEmpty() && !m_subject.isEmpty())
        title += QStringLiteral(" — ") + m_subject;
    if (chart()->title() != title)
        chart()->setTitle(title);
}

void DataChart::setHint(const QString &text)
{
    m_hint->setText(text);
    m_hint->setVisible(!text.isEmpty());
    placeHint();
}

QString DataChart::hint() const { return m_hint->isVisible() ? m_hint->text() : QString(); }

void DataChart::placeHint()
{
    const QRectF area = chart()->plotArea();
    const QRectF box = m_hint->boundingRect();
    // Centred along the top of the plot, above the data (whose range has padding there).
    m_hint->setPos(area.center().x() - box.width() / 2.0, area.top() + 4.0);
}

void DataChart::clearFits()
{
    m_mse->clear();
    m_sampleLayer->clear();
    m_mean->clear();
    m_mode->clear();
    m_meanPoints.clear();
    m_modePoints.clear();
    m_density->clear();
    updateLegendMarkers();
    updateMargins();
}

void DataChart::setOverlays(const Overlays &overlays)
{
    m_overlays = overlays;
    m_data->setVisible(overlays.data);
    m_samples->setVisible(overlays.samples);
    m_density->setDensityShown(overlays.density);
    m_density->setLogScale(overlays.logScale);
    m_density->setBandsShown(overlays.bands);
    m_mean->replace(overlays.mean ? m_meanPoints : QList<QPointF>());
    m_mode->replace(overlays.mode ? m_modePoints : QList<QPointF>());
    updateLegendMarkers();
    updateMargins();
}

void DataChart::setSliceX(double x)
{
    m_sliceX = x;
    updateSliceLine();
}

void DataChart::updateSliceLine()
{
    if (!std::isfinite(m_sliceX)) {
        m_slice->clear();
    } else {
        // From axis end to axis end, so that it spans the plot whatever the range.
        m_slice->replace({QPointF(m_sliceX, m_axisY->min()), QPointF(m_sliceX, m_axisY->max())});
    }
    updateLegendMarkers();
}

void DataChart::updateMargins()
{
    // The colour bar sits right of the plot; without a density the plot takes that room back.
    QMargins m = chart()->margins();
    const int right = m_overlays.density && m_density->hasDensity() ? DensityItem::kBarReserve : m.left();
    if (m.right() != right) {
        m.setRight(right);
        chart()->setMargins(m);
    }
}

double DataChart::xAtViewportPos(const QPoint &pos) const
{
    const QPointF scenePos = mapToScene(pos);
    const QPointF chartPos = chart()->mapFromScene(scenePos);
    if (!chart()->plotArea().contains(chartPos))
        return std::numeric_limits<double>::quiet_NaN();
    return chart()->mapToValue(chartPos, m_data).x();
}

// In a small window every line of height goes to the plot: the tab already names the chart.
void DataChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    updateTitle();
    const int tier = m_legendTier;
    fitLegend();
    if (tier != m_legendTier)
        chart()->legend()->layout()->invalidate();
}

QPointF DataChart::valueAtViewportPos(const QPoint &pos) const
{
    const QPointF chartPos = chart()->mapFromScene(mapToScene(pos));
    if (!chart()->plotArea().contains(chartPos))
        return QPointF(qQNaN(), qQNaN());
    return chart()->mapToValue(chartPos, m_data);
}

QPoint DataChart::viewportPosOf(QPointF value) const
{
    return mapFromScene(chart()->mapToScene(chart()->mapToPosition(value, m_data)));
}

void DataChart::setBrushRadius(double fraction) { m_brushRadius = fraction; }

// The brush's outline around the cursor: an ellipse of the brush's radii in the plot's pixels.
void DataChart::moveBrushOutline(const QPoint &pos)
{
    if (!m_brushOutline) {
        m_brushOutline = new QGraphicsEllipseItem(chart());
        m_brushOutline->setPen(QPen(QColor(20, 20, 20, 220), 1.5, Qt::DashLine));
        m_brushOutline->setZValue(100);
    }
    const QPointF at = chart()->mapFromScene(mapToScene(pos));
    const QRectF area = chart()->plotArea();
    const bool show = m_drawMode && area.contains(at);
    m_brushOutline->setVisible(show);
    if (!show)
        return;
    const double rx = m_brushRadius * area.width(), ry = m_brushRadius * area.height();
    m_brushOutline->setRect(QRectF(at.x() - rx, at.y() - ry, 2 * rx, 2 * ry));
}

void DataChart::leaveEvent(QEvent *event)
{
    if (m_brushOutline)
        m_brushOutline->setVisible(false);
    QChartView::leaveEvent(event);
}

void DataChart::setDrawMode(bool on)
{
    m_drawMode = on;
    viewport()->setMouseTracking(on); // the brush's outline follows the cursor
    if (!on && m_brushOutline)
        m_brushOutline->setVisible(false);
    viewport()->setCursor(on ? Qt::CrossCursor : Qt::ArrowCursor);
    if (!on && m_stroking) {
        m_stroking = false;
        emit strokeFinished();
    }
}

void DataChart::showDrawnPoints(const QList<QPointF> &points)
{
    m_dataLayer->setPoints(points.size() > maxShownPoints ? points.first(maxShownPoints) : points);
}

void DataChart::mousePressEvent(QMouseEvent *event)
{
    if (m_drawMode) {
        const QPoint pos = event->position().toPoint();
        const QPointF value = valueAtViewportPos(pos);
        const bool erase = event->button() == Qt::RightButton ||
                           (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier));
        if ((event->button() == Qt::LeftButton || erase) && std::isfinite(value.x())) {
            m_stroking = true;
            m_erasing = erase;
            m_lastBrushPos = pos;
            emit brushAt(value, erase);
        }
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
    if (event->button() == Qt::LeftButton) {
        const double x = xAtViewportPos(event->position().toPoint());
        if (std::isfinite(x))
            emit sliceRequested(x);
    }
}

void DataChart::mouseMoveEvent(QMouseEvent *event)
{
    if (m_drawMode) {
        event->accept();
        moveBrushOutline(event->position().toPoint());
        if (!m_stroking)
            return;
        // A fast drag moves many pixels between two events: the brush goes down at even steps
        // along the way, so a stroke's points follow its length, not the rate of mouse events.
        const QPoint pos = event->position().toPoint();
        const QPointF from = m_lastBrushPos, to = pos;
        const double length = std::hypot(to.x() - from.x(), to.y() - from.y());
        const int steps = int(length / kBrushStepPx);
        for (int i = 1; i <= steps; ++i) {
            const QPointF p = from + (to - from) * (double(i * kBrushStepPx) / length);
            const QPointF value = valueAtViewportPos(p.toPoint());
            if (std::isfinite(value.x()))
                emit brushAt(value, m_erasing);
            m_lastBrushPos = p.toPoint();
        }
        return;
    }
    QChartView::mouseMoveEvent(event);
    if (event->buttons() & Qt::LeftButton) {
        const double x = xAtViewportPos(event->position().toPoint());
        if (std::isfinite(x))
            emit sliceRequested(x);
    }
}

void DataChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_drawMode) {
        event->accept();
        if (m_stroking) {
            m_stroking = false;
            emit strokeFinished();
        }
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

void DataChart::fitAxes()
{
    // Only the data decide the ranges: samples far out are clipped rather than squeezing the
    // data into a corner, and the view does not jump around while the models train.
    const QRectF area = chart()->plotArea();
    AxisOptions x, y;
    x.maxTicks = ticksForLength(area.width(), 70.0);
    y.maxTicks = ticksForLength(area.height(), 32.0);
    applyTicks(m_axisX, niceAxis(m_xMin, m_xMax, x));
    applyTicks(m_axisY, niceAxis(m_yMin, m_yMax, y));
    if (m_slice && std::isfinite(m_sliceX))
        updateSliceLine();
}

void DataChart::updateLegendMarkers()
{
    // An empty series in the legend would promise something the plot does not show.
    bool changed = false;
    for (QXYSeries *s : {static_cast<QXYSeries *>(m_data), static_cast<QXYSeries *>(m_samples),
                         static_cast<QXYSeries *>(m_mse), static_cast<QXYSeries *>(m_mean),
                         static_cast<QXYSeries *>(m_mode), static_cast<QXYSeries *>(m_slice),
        static_cast<QXYSeries *>(m_bandsKey)}) {
        // The slice cursor explains itself; the legend has enough entries.
        const qsizetype count = s == m_data ? m_dataLayer->count() : s == m_samples ? m_sampleLayer->count() : s->count();
        bool show = count > 0 && s != m_slice && s->isVisible();
        if (s == m_bandsKey)
            show = m_overlays.bands && m_density->hasBands();
        const auto markers = chart()->legend()->markers(s);
        for (QLegendMarker *m : markers) {
            changed = changed || m->isVisible() != show;
            m->setVisible(show);
        }
    }
    const int tier = m_legendTier;
    fitLegend();
    // Qt Charts 6.4 keeps the legend's old size when markers appear: without a new layout a
    // new entry shows as a swatch without its text.
    if (changed || tier != m_legendTier)
        chart()->legend()->layout()->invalidate();
}

// As long a name for each entry as the chart's width lets every shown entry keep.
void DataChart::fitLegend()
{
    m_legendTier = fitLegendNames(chart(), {{m_data, m_dataNames},
                                            {m_samples, {tr("MDN samples"), tr("samples")}},
                                            {m_mse, {tr("MSE net prediction"), tr("MSE net"), tr("MSE")}},
                                            {m_mean, {tr("MDN mean E[y|x]"), tr("mean"), tr("mean")}},
                                            {m_mode, {tr("MDN mode (approx.)"), tr("mode")}},
                                            {m_bandsKey, {tr("component bands μ_k ± σ_k"), tr("bands μ_k ± σ_k"),
                                                          tr("bands")}}});
}

} // namespace mdnviz
