#include "mixturechart.h"

#include "axisformat.h"
#include "cachedchartview.h"
#include "chartexport.h"
#include "colormap.h"

#include <QChart>
#include <QChartView>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTimer>
#include <QLogValueAxis>
#include <QPainter>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mdnviz {

namespace {

// The widest y tick label the plot areas leave room for ("-0.0001", "1e-05", "-12.5").
const QString kWidestLabel = QStringLiteral("-0.0001");

// The pause between the charts of a hidden mixture brought to the front: each is repainted
// before the next takes its curves, so that input and timers get their turn between.
constexpr int kCatchUpGapMs = 4;

} // namespace

MixtureChart::MixtureChart(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    const QString titles[3] = {tr("Mixing weights π_k(x)"), tr("Means μ_k(x)"),
                               tr("Widths σ_k(x)")};
    const QString axisTitles[3] = {tr("π"), tr("μ (y units)"), tr("σ (log)")};
    for (int p = 0; p < 3; ++p) {
        // The charts are often brought back to the front unchanged (tab switches while
        // training is paused): each then copies its last picture.
        auto *view = new CachedChartView;
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumSize(320, 140);
        QChart *c = view->chart();
        c->setTitle(titles[p]);
        c->setAnimationOptions(QChart::NoAnimation);
        c->setMargins(QMargins(0, 0, 0, 0));
        // One legend for the three charts, under the last, so that the plot areas above stay
        // the same height.
        c->legend()->setVisible(p == Sigma);
        c->legend()->setAlignment(Qt::AlignBottom);
        // Placed by layoutPlotArea: with a fixed plot area Qt Charts 6.4 stops laying it out.
        c->legend()->detachFromChart();
        m_x[p] = new QValueAxis;
        m_x[p]->setTitleText(p == Sigma ? QStringLiteral("x") : QString());
        c->addAxis(m_x[p], Qt::AlignBottom);
        m_views[p] = view;
        layout->addWidget(view, p == Sigma ? 5 : 4);
        // The plot area is set from the chart's size alone (layoutPlotArea), never from its
        // labels: new tick labels cannot move it, so drawing never feeds back into layout.
        connect(c, &QGraphicsWidget::geometryChanged, this, [this, p] { layoutPlotArea(Part(p)); });
        connect(c, &QChart::plotAreaChanged, this, &MixtureChart::updateAxes);
    }
    m_piAxis = new QValueAxis;
    m_muAxis = new QValueAxis;
    m_sigmaAxis = new QLogValueAxis;
    m_sigmaAxis->setBase(10.0);
    m_sigmaAxis->setLabelFormat(QStringLiteral("%g"));
    // No minor grid: the widths span decades and the dashed lines would crowd out the curves.
    m_sigmaAxis->setMinorTickCount(0);
    m_piAxis->setTitleText(axisTitles[Pi]);
    m_muAxis->setTitleText(axisTitles[Mu]);
    m_sigmaAxis->setTitleText(axisTitles[Sigma]);
    chart(Pi)->addAxis(m_piAxis, Qt::AlignLeft);
    chart(Mu)->addAxis(m_muAxis, Qt::AlignLeft);
    chart(Sigma)->addAxis(m_sigmaAxis, Qt::AlignLeft);
    updateAxes();
}

QChart *MixtureChart::chart(Part part) const { return m_views[part]->chart(); }
QChartView *MixtureChart::chartView(Part part) const { return m_views[part]; }
QList<QChart *> MixtureChart::charts() const { return {chart(Pi), chart(Mu), chart(Sigma)}; }

void MixtureChart::setComponents(int k)
{
    if (k == components())
        return;
    QAbstractAxis *yAxes[3] = {m_piAxis, m_muAxis, m_sigmaAxis};
    for (int p = 0; p < 3; ++p) {
        for (QLineSeries *s : std::as_const(m_series[p])) {
            chart(Part(p))->removeSeries(s);
            delete s;
        }
        m_series[p].clear();
        for (int i = 0; i < k; ++i) {
            auto *s = new QLineSeries;
            s->setName(QString::number(i + 1));
            s->setPen(QPen(componentColour(i), 2.0));
            chart(Part(p))->addSeries(s);
            s->attachAxis(m_x[p]);
            s->attachAxis(yAxes[p]);
            m_series[p].append(s);
        }
    }
    if (k > 0)
        m_series[Sigma].first()->setName(tr("component 1"));
    // The legend's height may have changed, and with it the room above it.
    chart(Sigma)->legend()->layout()->invalidate();
    layoutPlotArea(Sigma);
    invalidatePictures();
}

void MixtureChart::setSnapshot(const mdn::Snapshot &s)
{
    for (Part part : {Pi, Mu, Sigma})
        setSnapshotPart(s, part);
}

void MixtureChart::setSnapshotPart(const mdn::Snapshot &s, Part part)
{
    if (!isVisible() && window() != this && window()->isVisible()) {
        if (!m_deferred)
            m_deferred.emplace();
        m_deferred->gridX = s.gridX;
        m_deferred->mixture = s.mixture;
        m_deferred->pathThrough = s.pathThrough;
        return;
    }
    m_deferred.reset();
    apply(s, part);
}

void MixtureChart::applyDeferred()
{
    if (!m_deferred)
        return;
    const mdn::Snapshot s = std::move(*m_deferred);
    m_deferred.reset();
    for (Part part : {Pi, Mu, Sigma})
        apply(s, part);
}

// One chart of the kept mixture, then the next after a pause; hidden again meanwhile, the
// mixture is kept for the next showing.
void MixtureChart::applyDeferredFrom(Part part)
{
    if (!m_deferred || !isVisible())
        return;
    const mdn::Snapshot s = *m_deferred;
    if (part == Sigma)
        m_deferred.reset();
    apply(s, part);
    if (part != Sigma)
        QTimer::singleShot(kCatchUpGapMs, this, [this, part] { applyDeferredFrom(Part(part + 1)); });
}

void MixtureChart::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Once the charts have their shown sizes (the axes' ticks follow the plot areas), and once
    // the tab has been drawn as it was (from the kept pictures): one chart at a time.
    if (m_deferred)
        QTimer::singleShot(kCatchUpGapMs, this, [this] { applyDeferredFrom(Pi); });
}

void MixtureChart::invalidatePictures()
{
    for (CachedChartView *view : m_views)
        if (view)
            view->invalidatePicture();
}

void MixtureChart::apply(const mdn::Snapshot &s, Part part)
{
    const mdn::Mixture &m = s.mixture;
    const Eigen::Index n = std::min<Eigen::Index>(m.points(), Eigen::Index(s.gridX.size()));
    if (n < 2) {
        clear();
        return;
    }
    setComponents(m.components());
    // Several inputs: the path the mixture was taken along, in the x axis's title.
    QString along;
    for (std::size_t c = 1; c < s.pathThrough.size() && c < std::size_t(m_inputNames.size()); ++c)
        along += (along.isEmpty() ? QString() : QStringLiteral(", ")) +
                 QStringLiteral("%1 = %2").arg(m_inputNames[qsizetype(c)]).arg(s.pathThrough[c], 0, 'g', 3);
    if (part == Sigma)
        m_x[Sigma]->setTitleText(along.isEmpty() ? m_inputNames.value(0, QStringLiteral("x"))
                                                 : tr("%1, along %2").arg(m_inputNames.value(0), along));
    m_xLo = s.gridX.front();
    m_xHi = s.gridX[std::size_t(n - 1)];
    if (part == Mu) {
        m_muLo = std::numeric_limits<double>::infinity();
        m_muHi = -m_muLo;
    } else if (part == Sigma) {
        m_sigmaLo = std::numeric_limits<double>::infinity();
        m_sigmaHi = -m_sigmaLo;
    }
    for (int k = 0; k < m.components(); ++k) {
        QList<QPointF> points;
        points.reserve(n);
        for (Eigen::Index j = 0; j < n; ++j) {
            const double x = s.gridX[std::size_t(j)];
            if (part == Pi) {
                const double p = m.pi(k, j);
                if (std::isfinite(p))
                    points.append(QPointF(x, p));
            } else if (part == Mu) {
                const double u = m.mean(k, j);
                if (std::isfinite(u)) {
                    points.append(QPointF(x, u));
                    m_muLo = std::min(m_muLo, u);
                    m_muHi = std::max(m_muHi, u);
                }
            } else {
                const double w = m.width(k, j);
                if (std::isfinite(w) && w > 0.0) {
                    points.append(QPointF(x, w));
                    // The range holds every width drawn: a curve clipped at the top would hide
                    // where an unused component's width goes.
                    m_sigmaLo = std::min(m_sigmaLo, w);
                    m_sigmaHi = std::max(m_sigmaHi, w);
                }
            }
        }
        m_series[part][k]->replace(points);
    }
    updateAxes();
    m_views[part]->invalidatePicture();
}

void MixtureChart::setColumnNames(const QStringList &inputs, const QStringList &targets)
{
    m_inputNames = inputs.isEmpty() ? QStringList{QStringLiteral("x")} : inputs;
    m_x[Sigma]->setTitleText(m_inputNames.first());
    // Several targets: the means and widths are those of the first.
    const QString target = targets.size() > 1 ? targets.first() : QString();
    m_muAxis->setTitleText(target.isEmpty() ? tr("μ (y units)") : tr("μ (%1)").arg(target));
    m_sigmaAxis->setTitleText(target.isEmpty() ? tr("σ (log)") : tr("σ (%1, log)").arg(target));
    invalidatePictures();
}

void MixtureChart::clear()
{
    m_deferred.reset();
    for (auto &list : m_series)
        for (QLineSeries *s : std::as_const(list))
            s->clear();
    m_muLo = m_sigmaLo = std::numeric_limits<double>::infinity();
    m_muHi = m_sigmaHi = -m_muLo;
    updateAxes();
    invalidatePictures();
}

void MixtureChart::followXAxis(const QValueAxis *axis)
{
    if (m_followed)
        disconnect(m_followed, nullptr, this, nullptr);
    m_followed = axis;
    if (axis) {
        connect(axis, &QValueAxis::rangeChanged, this, &MixtureChart::updateAxes);
        connect(axis, &QValueAxis::tickIntervalChanged, this, &MixtureChart::updateAxes);
        connect(axis, &QObject::destroyed, this, [this] { m_followed = nullptr; });
    }
    updateAxes();
}

void MixtureChart::updateAxes()
{
    for (int p = 0; p < 3; ++p) {
        if (m_followed) {
            AxisTicks t;
            t.min = m_followed->min();
            t.max = m_followed->max();
            t.step = m_followed->tickInterval();
            t.anchor = m_followed->tickAnchor();
            t.decimals = decimalsForStep(t.step);
            applyTicks(m_x[p], t);
            continue;
        }
        AxisOptions o;
        o.padding = 0.0;
        o.maxTicks = ticksForLength(chart(Part(p))->plotArea().width(), 70.0);
        applyTicks(m_x[p], niceAxis(m_xLo, m_xHi, o));
    }
    AxisOptions piOptions;
    piOptions.padding = 0.0;
    piOptions.maxTicks = std::min(6, ticksForLength(chart(Pi)->plotArea().height(), 28.0, 6));
    applyTicks(m_piAxis, niceAxis(0.0, 1.0, piOptions));

    AxisOptions muOptions;
    muOptions.maxTicks = std::min(7, ticksForLength(chart(Mu)->plotArea().height(), 28.0, 6));
    if (m_muLo <= m_muHi)
        applyTicks(m_muAxis, niceAxis(m_muLo, m_muHi, muOptions));
    else
        applyTicks(m_muAxis, niceAxis(-1.0, 1.0, muOptions));

    // Whole decades around the widths, at least two: a collapsing width drops by decades.
    double lo = 0.1, hi = 10.0;
    if (m_sigmaLo <= m_sigmaHi) {
        lo = std::pow(10.0, std::floor(std::log10(m_sigmaLo)));
        hi = std::pow(10.0, std::ceil(std::log10(m_sigmaHi)));
        if (hi / lo < 100.0)
            lo = hi / 100.0;
    }
    // A hair beyond the decades, so that the end labels are not lost to rounding.
    m_sigmaAxis->setRange(lo * 0.999, hi * 1.001);
}

// The three plot areas start and end at the same pixels, so that one x is one vertical line
// through all three charts, as the comparison needs: the left edge leaves room for a fixed label
// width, whatever the labels of the moment are. Qt Charts' own layout would size it from the
// current labels, which change with the ticks, which follow the plot area: a loop.
QRectF MixtureChart::plotAreaFor(Part part, QSizeF size) const
{
    const QChart *c = chart(part);
    const QFontMetricsF labels(m_muAxis->labelsFont());
    const QFontMetricsF axisTitle(m_muAxis->titleFont());
    const QFontMetricsF title(c->titleFont());
    const double left = 8.0 + axisTitle.height() + 8.0 + labels.horizontalAdvance(kWidestLabel) + 8.0;
    const double right = 20.0;
    const double top = 4.0 + title.height() + 8.0;
    double bottom = 6.0 + labels.height() + 6.0;
    if (part == Sigma) {
        bottom += axisTitle.height() + 4.0;
        bottom += c->legend()->effectiveSizeHint(Qt::PreferredSize).height() + 2.0;
    }
    const QRectF area(left, top, size.width() - left - right, size.height() - top - bottom);
    return area.isValid() ? area : QRectF();
}

void MixtureChart::layoutPlotArea(Part part)
{
    QChart *c = chart(part);
    const QRectF area = plotAreaFor(part, c->size());
    if (area.isValid() && area != c->plotArea()) {
        c->setPlotArea(area);
        // The title is centred by the chart's own layout, which a fixed plot area does not
        // run again by itself.
        c->layout()->invalidate();
    }
    if (part == Sigma && area.isValid()) {
        const double h = c->legend()->effectiveSizeHint(Qt::PreferredSize).height();
        const QRectF legend(area.left(), c->size().height() - h - 2.0, area.width(), h);
        if (c->legend()->geometry() != legend)
            c->legend()->setGeometry(legend);
    }
}

QImage MixtureChart::render(QSize pixelSize)
{
    return renderFigure([this](QPainter *painter, QSizeF size, double scale) { paint(painter, size, scale); },
                        pixelSize);
}

void MixtureChart::paint(QPainter *painter, QSizeF size, double scale)
{
    if (size.isEmpty())
        return;
    applyDeferred();
    // The same proportions as on screen: the last chart carries the x title and the legend.
    const double h = size.height();
    const double top = std::floor(h * 4 / 13), middle = std::floor(h * 4 / 13);
    const double heights[3] = {top, middle, h - top - middle};
    // Each at its figure size while it is drawn (its plot area follows from the size alone),
    // then put back as it was.
    QSizeF old[3];
    for (int p = 0; p < 3; ++p) {
        QChart *c = chart(Part(p));
        old[p] = c->size();
        c->resize(QSizeF(size.width(), heights[p]) / scale);
        if (c->layout())
            c->layout()->activate();
    }
    double y = 0;
    for (int p = 0; p < 3; ++p) {
        painter->save();
        painter->translate(0, y);
        paintChart(painter, chart(Part(p)), QSizeF(size.width(), heights[p]), scale);
        painter->restore();
        y += heights[p];
    }
    for (int p = 0; p < 3; ++p)
        chart(Part(p))->resize(old[p]);
    invalidatePictures();
}

} // namespace mdnviz
