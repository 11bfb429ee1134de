#include "slicechart.h"

#include "legendfit.h"

#include "axisformat.h"
#include "colormap.h"
#include "datachart.h"
#include "inspect.h"

#include <QAreaSeries>
#include <QChart>
#include <QFontMetricsF>
#include <QScopeGuard>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mdnviz {

namespace {

// Points of the model's and the true density across the y range.
constexpr int kCurvePoints = 400;

} // namespace

SliceChart::SliceChart(QWidget *parent)
    : QChartView(parent), m_x(std::numeric_limits<double>::quiet_NaN())
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(230, 240);
    QChart *c = chart();
    c->setAnimationOptions(QChart::NoAnimation);
    c->legend()->setAlignment(Qt::AlignBottom);
    connect(c, &QGraphicsWidget::geometryChanged, this, [this] {
        updateTitle();
        fitLegend();
    });

    m_histogramLine = new QLineSeries(this);
    m_histogram = new QAreaSeries(m_histogramLine);
    QColor fill = DataChart::dataColor();
    fill.setAlpha(70);
    m_histogram->setBrush(fill);
    m_histogram->setPen(QPen(DataChart::dataColor(), 1.0));

    m_true = new QLineSeries;
    m_true->setName(tr("true"));
    m_true->setPen(QPen(QColor(40, 40, 40), 2.0, Qt::DashLine));

    m_mixture = new QLineSeries;
    m_mixture->setName(tr("MDN"));
    m_mixture->setPen(QPen(DataChart::sampleColor(), 2.5));

    c->addSeries(m_histogram);
    c->addSeries(m_true);
    c->addSeries(m_mixture);

    m_axisY = new QValueAxis;
    m_axisY->setTitleText(QStringLiteral("y"));
    m_axisDensity = new QValueAxis;
    m_axisDensity->setTitleText(tr("density"));
    c->addAxis(m_axisY, Qt::AlignBottom);
    c->addAxis(m_axisDensity, Qt::AlignLeft);
    for (QAbstractSeries *s : {static_cast<QAbstractSeries *>(m_histogram),
                               static_cast<QAbstractSeries *>(m_true),
                               static_cast<QAbstractSeries *>(m_mixture)}) {
        s->attachAxis(m_axisY);
        s->attachAxis(m_axisDensity);
    }
    updateData();
    connect(c, &QChart::plotAreaChanged, this, &SliceChart::updateAxes);
}

void SliceChart::setDataset(const mdn::Dataset &data, std::optional<mdn::Generator> generator,
                            double noise)
{
    m_data = data;
    m_generator = generator;
    m_noise = noise;
    m_axisY->setTitleText(QString::fromStdString(data.targetName(0)));
    double xLo = std::numeric_limits<double>::infinity(), xHi = -xLo, yLo = xLo, yHi = -xLo;
    for (std::size_t i = 0; i < std::min(data.x.size(), data.y.size()); ++i) {
        if (!std::isfinite(data.x[i]) || !std::isfinite(data.y[i]))
            continue;
        xLo = std::min(xLo, data.x[i]);
        xHi = std::max(xHi, data.x[i]);
        yLo = std::min(yLo, data.y[i]);
        yHi = std::max(yHi, data.y[i]);
    }
    if (!(xLo <= xHi)) {
        xLo = yLo = -1.0;
        xHi = yHi = 1.0;
    }
    m_xLo = xLo;
    m_xHi = xHi;
    m_yLo = yLo;
    m_yHi = yHi;
    clearModel();
    m_x = 0.5 * (xLo + xHi);
    updateData();
    emit sliceMoved(m_x);
}

void SliceChart::setSnapshot(const mdn::Snapshot &snapshot)
{
    const bool first = m_gridX.empty();
    // The mixture over every x the data chart shows, the extrapolation beyond the data included.
    const bool wide = !snapshot.sliceX.empty();
    m_gridX = wide ? snapshot.sliceX : snapshot.gridX;
    m_model = wide ? snapshot.sliceMixture : snapshot.mixture;
    if (first && !m_gridX.empty())
        setSliceX(m_x); // snap the requested x to the grid
    else
        updateModel();
}

void SliceChart::clearModel()
{
    m_gridX.clear();
    m_model = mdn::Mixture();
    updateModel();
}

void SliceChart::setSliceX(double x)
{
    if (!std::isfinite(x))
        return;
    // Within the data's range, or the model's where it reaches further (its extrapolation).
    const double lo = m_gridX.empty() ? m_xLo : std::min(m_xLo, m_gridX.front());
    const double hi = m_gridX.empty() ? m_xHi : std::max(m_xHi, m_gridX.back());
    x = std::clamp(x, lo, hi);
    if (!m_gridX.empty()) {
        // The mixture is known on the grid: show the nearest column (0.5% of the range away at
        // most), so that the slice is exactly what the other views draw at that x.
        const auto it = std::lower_bound(m_gridX.begin(), m_gridX.end(), x);
        std::size_t j = std::size_t(it - m_gridX.begin());
        if (j == m_gridX.size() || (j > 0 && x - m_gridX[j - 1] < *it - x))
            j = j > 0 ? j - 1 : 0;
        x = m_gridX[j];
    }
    const bool moved = x != m_x;
    m_x = x;
    updateData();
    if (moved)
        emit sliceMoved(m_x);
}

// The title says what the histogram holds (the legend has no room for it in a narrow pane), as
// fully as the chart's width allows: Qt Charts would cut it off with "...".
void SliceChart::updateTitle()
{
    if (!std::isfinite(m_x)) {
        chart()->setTitle(tr("Slice"));
        return;
    }
    const QString x = QString::number(m_x, 'g', 3);
    const QString halfWidth = QString::number(kWindow * (m_xHi - m_xLo), 'g', 2);
    const QFontMetricsF metrics(chart()->titleFont());
    // Qt Charts elides the title to the chart's width less its margins and the layout's.
    const QMarginsF layout = chart()->layout() ? [&] {
        qreal l = 0, t = 0, r = 0, b = 0;
        chart()->layout()->getContentsMargins(&l, &t, &r, &b);
        return QMarginsF(l, t, r, b);
    }() : QMarginsF();
    const double room = chart()->size().width() - chart()->margins().left() - chart()->margins().right() -
                        layout.left() - layout.right() - 8.0;
    QString title;
    for (const QString &candidate : {tr("Slice at x = %1 (data within ±%2)").arg(x, halfWidth),
                                     tr("x = %1 (data ±%2)").arg(x, halfWidth), tr("x = %1").arg(x)}) {
        title = candidate;
        if (metrics.horizontalAdvance(candidate) <= room)
            break;
    }
    if (chart()->title() != title)
        chart()->setTitle(title);
}

void SliceChart::updateData()
{
    updateTitle();
    const double span = m_yHi - m_yLo > 0.0 ? m_yHi - m_yLo : 1.0;
    const double lo = m_yLo - 0.05 * span, hi = m_yHi + 0.05 * span;

    // The histogram: about 1.5 points a bin, 24 to 80 bins. The branches are narrow in y (a few
    // tenths of the range of 20 for the inverse sinusoid), so coarser bins would flatten them
    // to a third of their height; finer bins are noisier but show where the mass is.
    const double half = kWindow * (m_xHi - m_xLo);
    std::size_t count = 0;
    mdn::localHistogram(m_data, m_x, half, lo, hi, 1, &count);
    const int bins = std::clamp(int(std::lround(double(count) / 1.5)), 24, 80);
    const std::vector<double> h = mdn::localHistogram(m_data, m_x, half, lo, hi, bins, &m_windowCount);
    QList<QPointF> steps;
    steps.reserve(2 * bins + 2);
    const double width = (hi - lo) / bins;
    m_dataPeak = 0.0;
    if (m_windowCount > 0) {
        steps.append(QPointF(lo, 0.0));
        for (int b = 0; b < bins; ++b) {
            steps.append(QPointF(lo + b * width, h[std::size_t(b)]));
            steps.append(QPointF(lo + (b + 1) * width, h[std::size_t(b)]));
            m_dataPeak = std::max(m_dataPeak, h[std::size_t(b)]);
        }
        steps.append(QPointF(hi, 0.0));
    }
    m_histogramLine->replace(steps);

    // The true density: the generator's own, integrated over its hidden variable.
    QList<QPointF> truth;
    if (m_generator) {
        const std::vector<double> ys = mdn::linspace(lo, hi, kCurvePoints);
        const std::vector<double> p = mdn::trueConditionalDensity(*m_generator, m_noise, m_x, ys);
        truth.reserve(kCurvePoints);
        // Empty for a generator with more than one input or target (the robot arm).
        for (int i = 0; i < kCurvePoints && p.size() == ys.size(); ++i) {
            truth.append(QPointF(ys[std::size_t(i)], p[std::size_t(i)]));
            m_dataPeak = std::max(m_dataPeak, p[std::size_t(i)]);
        }
    }
    m_true->replace(truth);
    updateModel();
}

void SliceChart::updateModel()
{
    const double span = m_yHi - m_yLo > 0.0 ? m_yHi - m_yLo : 1.0;
    const double lo = m_yLo - 0.05 * span, hi = m_yHi + 0.05 * span;
    const int k = m_model.components();
    while (m_components.size() > k) {
        QLineSeries *s = m_components.takeLast();
        chart()->removeSeries(s);
        delete s;
    }
    while (m_components.size() < k) {
        auto *s = new QLineSeries;
        s->setPen(QPen(componentColour(int(m_components.size())), 1.2));
        chart()->addSeries(s);
        s->attachAxis(m_axisY);
        s->attachAxis(m_axisDensity);
        m_components.append(s);
    }
    m_modelPeak = 0.0;
    QList<QPointF> total;
    const auto it = std::find(m_gridX.begin(), m_gridX.end(), m_x);
    if (k > 0 && it != m_gridX.end()) {
        const std::vector<double> ys = mdn::linspace(lo, hi, kCurvePoints);
        const mdn::MixtureSlice slice = mdn::mixtureSlice(m_model, it - m_gridX.begin(), ys);
        total.reserve(kCurvePoints);
        for (int i = 0; i < kCurvePoints; ++i) {
            total.append(QPointF(ys[std::size_t(i)], slice.total[std::size_t(i)]));
            m_modelPeak = std::max(m_modelPeak, slice.total[std::size_t(i)]);
        }
        for (int c = 0; c < k; ++c) {
            QList<QPointF> part;
            part.reserve(kCurvePoints);
            for (int i = 0; i < kCurvePoints; ++i)
                part.append(QPointF(ys[std::size_t(i)], slice.components[std::size_t(c)][std::size_t(i)]));
            m_components[c]->replace(part);
        }
    } else {
        for (QLineSeries *s : std::as_const(m_components))
            s->clear();
    }
    m_mixture->replace(total);
    updateAxes();
    updateLegend();
}

void SliceChart::updateAxes()
{
    // New ticks change the labels' widths, and with them the plot area, which asks for ticks
    // again: at some widths the two never settle and the calls nest until the stack overflows.
    // The ticks are chosen once per change from outside; a change they cause themselves is left.
    if (m_updatingAxes)
        return;
    m_updatingAxes = true;
    const auto done = qScopeGuard([this] { m_updatingAxes = false; });
    const QRectF area = chart()->plotArea();
    AxisOptions y;
    y.padding = 0.0;
    const double span = m_yHi - m_yLo > 0.0 ? m_yHi - m_yLo : 1.0;
    // As many ticks as the labels leave room for: with too few, the step and with it the range
    // grow (data within ±10.5 shown on -20..20).
    const QFontMetricsF labels(m_axisY->labelsFont());
    const double reach = std::max(std::abs(m_yLo), std::abs(m_yHi)) + 0.05 * span;
    const double widest = labels.horizontalAdvance(QString::number(-std::ceil(reach), 'g', 4));
    y.maxTicks = ticksForLength(area.width(), std::max(30.0, widest + 12.0));
    applyTicks(m_axisY, niceAxis(m_yLo - 0.05 * span, m_yHi + 0.05 * span, y));
    AxisOptions d;
    d.padLow = false;
    d.maxTicks = ticksForLength(area.height(), 32.0);
    // A very sharp model (a collapsed component) would flatten everything else: the scale
    // follows the data's densities and lets a much taller model peak run off the top.
    double top = std::max(m_dataPeak, m_modelPeak);
    if (m_dataPeak > 0.0)
        top = std::min(top, 3.0 * m_dataPeak);
    applyTicks(m_axisDensity, niceAxis(0.0, top > 0.0 ? top : 1.0, d));
}

void SliceChart::updateLegend()
{
    // One entry for all the components, none for series without points.
    const auto markers = chart()->legend()->markers();
    for (QLegendMarker *m : markers) {
        auto *xy = qobject_cast<QXYSeries *>(m->series());
        bool show = true;
        if (xy)
            show = xy->count() > 0 && (!m_components.contains(xy) || xy == m_components.first());
        else if (m->series() == m_histogram)
            show = m_windowCount > 0;
        m->setVisible(show); // also lays the legend out again after a name change
    }
    fitLegend();
}

// As long a name for each entry as the chart's width lets every shown entry keep.
void SliceChart::fitLegend()
{
    QList<LegendNames> entries{{m_histogram, {tr("data (%Ln)", nullptr, int(m_windowCount)), tr("data")}},
                               {m_true, {tr("true")}},
                               {m_mixture, {tr("MDN")}}};
    if (!m_components.isEmpty())
        entries.append({m_components.first(), {tr("π_k N_k"), tr("π_k")}});
    fitLegendNames(chart(), entries);
}

} // namespace mdnviz
