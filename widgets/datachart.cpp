#include "datachart.h"

#include "axisformat.h"

#include <QChart>
#include <QImage>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QPainter>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

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

DataChart::DataChart(QWidget *parent) : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    setRenderHint(QPainter::SmoothPixmapTransform); // the markers are scaled images
    setMinimumSize(320, 240);

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

    c->addSeries(m_data);
    c->addSeries(m_samples);
    c->addSeries(m_mse);

    m_axisX = new QValueAxis;
    m_axisX->setTitleText(QStringLiteral("x"));
    m_axisY = new QValueAxis;
    m_axisY->setTitleText(QStringLiteral("y"));
    c->addAxis(m_axisX, Qt::AlignBottom);
    c->addAxis(m_axisY, Qt::AlignLeft);
    for (QXYSeries *s : {static_cast<QXYSeries *>(m_data), static_cast<QXYSeries *>(m_samples),
                         static_cast<QXYSeries *>(m_mse)}) {
        s->attachAxis(m_axisX);
        s->attachAxis(m_axisY);
    }
    // Ranges are set only after the series are attached: attaching may refit the axes.
    fitAxes();
    updateLegendMarkers();
    // The tick density follows the plot's size in pixels, on screen and in exports alike.
    connect(c, &QChart::plotAreaChanged, this, &DataChart::fitAxes);
}

void DataChart::setDataset(const mdn::Dataset &data)
{
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
    m_data->replace(points);

    if (finite > std::size_t(points.size()))
        m_data->setName(tr("data (%1 of %2 shown)")
                            .arg(countText(points.size()), countText(qsizetype(finite))));
    else
        m_data->setName(tr("data (%1 points)").arg(countText(points.size())));

    if (finite == 0) {
        xMin = yMin = -1.0;
        xMax = yMax = 1.0;
    }
    m_xMin = xMin;
    m_xMax = xMax;
    m_yMin = yMin;
    m_yMax = yMax;
    fitAxes();
    updateLegendMarkers();
}

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
    m_samples->replace(samples);
    updateLegendMarkers();
}

void DataChart::clearFits()
{
    m_mse->clear();
    m_samples->clear();
    updateLegendMarkers();
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
}

void DataChart::updateLegendMarkers()
{
    // An empty series in the legend would promise something the plot does not show.
    for (QXYSeries *s : {static_cast<QXYSeries *>(m_data), static_cast<QXYSeries *>(m_samples),
                         static_cast<QXYSeries *>(m_mse)}) {
        const bool show = s->count() > 0;
        const auto markers = chart()->legend()->markers(s);
        for (QLegendMarker *m : markers)
            m->setVisible(show);
    }
}
