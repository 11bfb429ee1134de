#include "losschart.h"

#include "legendfit.h"

#include "axisformat.h"
#include "cachedchartview.h"
#include "datachart.h"

#include <QChart>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mdnviz {

void LossChart::Trace::add(const QPointF &p)
{
    if (tailProvisional)
        points.removeLast();
    const bool permanent = seen % stride == 0;
    ++seen;
    points.append(p);
    tailProvisional = !permanent;
    if (points.size() <= maxPoints)
        return;

    // Over budget: keep every other permanent point (those at multiples of twice the stride) and
    // draw new values half as often from now on, so the line keeps an even density.
    if (tailProvisional)
        points.removeLast();
    const bool newestKept = permanent && (points.size() - 1) % 2 == 0;
    qsizetype out = 0;
    for (qsizetype i = 0; i < points.size(); i += 2)
        points[out++] = points[i];
    points.resize(out);
    stride *= 2;
    tailProvisional = !newestKept;
    if (tailProvisional)
        points.append(p);
}

LossChart::LossChart(QWidget *parent)
    : QChartView(parent), m_bayes(std::numeric_limits<double>::quiet_NaN())
{
    setRenderHint(QPainter::Antialiasing);
    ignoreViewActivation(scene());
    setMinimumSize(250, 200);

    QChart *c = chart();
    c->setTitle(tr("Loss"));
    // Laid out anew (on screen or for an export of another size): the legend's names refit.
    connect(c, &QGraphicsWidget::geometryChanged, this, [this] {
        if (fitLegend())
            chart()->legend()->layout()->invalidate();
    });
    c->legend()->setAlignment(Qt::AlignBottom);
    // Each entry drawn as a piece of its line: solid train, dashed validation.
    c->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    c->setAnimationOptions(QChart::NoAnimation);

    m_mse = new QLineSeries;
    m_mse->setName(tr("MSE train"));
    m_mse->setPen(QPen(DataChart::mseColor(), 2.0));
    m_nll = new QLineSeries;
    m_nll->setName(tr("NLL train"));
    m_nll->setPen(QPen(DataChart::sampleColor(), 2.0));
    m_validationMse = new QLineSeries;
    m_validationMse->setName(tr("MSE validation"));
    m_validationMse->setPen(QPen(DataChart::mseColor().darker(115), 2.0, Qt::DashLine));
    m_validationNll = new QLineSeries;
    m_validationNll->setName(tr("NLL validation"));
    m_validationNll->setPen(QPen(DataChart::sampleColor().darker(130), 2.0, Qt::DashLine));
    m_bayesLine = new QLineSeries;
    m_bayesLine->setName(tr("Bayes NLL"));
    m_bayesLine->setPen(QPen(QColor(60, 60, 60), 1.5, Qt::DashDotLine));
    c->addSeries(m_mse);
    c->addSeries(m_nll);
    c->addSeries(m_validationMse);
    c->addSeries(m_validationNll);
    c->addSeries(m_bayesLine);

    m_axisEpoch = new QValueAxis;
    m_axisEpoch->setTitleText(tr("epoch"));
    m_axisMse = new QLogValueAxis;
    m_axisMse->setTitleText(tr("MSE"));
    m_axisMse->setBase(10.0);
    m_axisMse->setLabelFormat(QStringLiteral("%g"));
    m_axisMse->setMinorTickCount(-1); // the default minor ticks of a log axis: 2..9 per decade
    m_axisNll = new QValueAxis;
    m_axisNll->setTitleText(tr("NLL (nats)"));

    // Each y axis in its series' colour, so that two scales on one plot can be told apart.
    m_axisMse->setTitleBrush(DataChart::mseColor());
    m_axisMse->setLabelsColor(DataChart::mseColor());
    m_axisMse->setLinePenColor(DataChart::mseColor());
    m_axisNll->setTitleBrush(DataChart::sampleColor());
    m_axisNll->setLabelsColor(DataChart::sampleColor());
    m_axisNll->setLinePenColor(DataChart::sampleColor());
    // One set of horizontal grid lines is enough; two would not line up.
    m_axisNll->setGridLineVisible(false);

    c->addAxis(m_axisEpoch, Qt::AlignBottom);
    c->addAxis(m_axisMse, Qt::AlignLeft);
    c->addAxis(m_axisNll, Qt::AlignRight);
    m_mse->attachAxis(m_axisEpoch);
    m_mse->attachAxis(m_axisMse);
    m_nll->attachAxis(m_axisEpoch);
    m_nll->attachAxis(m_axisNll);
    m_validationMse->attachAxis(m_axisEpoch);
    m_validationMse->attachAxis(m_axisMse);
    for (QLineSeries *s : {m_validationNll, m_bayesLine}) {
        s->attachAxis(m_axisEpoch);
        s->attachAxis(m_axisNll);
    }
    clear();
    // The tick density follows the plot's size in pixels, on screen and in exports alike.
    connect(c, &QChart::plotAreaChanged, this, &LossChart::updateAxes);
}

void LossChart::appendLosses(const std::vector<mdn::LossPoint> &losses)
{
    if (losses.empty())
        return;
    for (const mdn::LossPoint &l : losses) {
        const double epoch = double(l.epoch);
        if (std::isfinite(l.mse) && l.mse > 0.0)
            m_mseTrace.add(QPointF(epoch, l.mse));
        if (std::isfinite(l.nll))
            m_nllTrace.add(QPointF(epoch, l.nll));
        if (std::isfinite(l.validationMse) && l.validationMse > 0.0)
            m_validationMseTrace.add(QPointF(epoch, l.validationMse));
        if (std::isfinite(l.validationNll))
            m_validationNllTrace.add(QPointF(epoch, l.validationNll));
    }
    updateSeries();
    updateAxes();
}

void LossChart::clear()
{
    m_mseTrace.reset();
    m_nllTrace.reset();
    m_validationMseTrace.reset();
    m_validationNllTrace.reset();
    updateSeries();
    updateAxes();
}

// Narrow, the legend's entries take short names (their line styles still tell train from
// validation) rather than being cut to "M..."; short, the title gives its line to the plot.
void LossChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    if (fitLegend())
        chart()->legend()->layout()->invalidate();
    const QString title = height() < 200 ? QString() : tr("Loss");
    if (chart()->title() != title)
        chart()->setTitle(title);
}

// The longest names that let every shown entry fit; true when a name changed.
bool LossChart::fitLegend()
{
    if (!m_bayesLine)
        return false; // still being built
    const bool noFloor = std::isinf(m_bayes) && m_bayes < 0.0;
    QStringList before;
    for (QLineSeries *s : {m_mse, m_nll, m_validationMse, m_validationNll, m_bayesLine})
        before << s->name();
    fitLegendNames(chart(), {{m_mse, {tr("MSE train"), tr("MSE")}},
                             {m_nll, {tr("NLL train"), tr("NLL")}},
                             {m_validationMse, {tr("MSE validation"), tr("MSE val."), tr("val.")}},
                             {m_validationNll, {tr("NLL validation"), tr("NLL val."), tr("val.")}},
                             {m_bayesLine, noFloor ? QStringList{tr("Bayes NLL: none (noise-free data)"),
                                                                 tr("Bayes: none"), tr("no floor")}
                                                   : QStringList{tr("Bayes NLL"), tr("Bayes")}}});
    QStringList after;
    for (QLineSeries *s : {m_mse, m_nll, m_validationMse, m_validationNll, m_bayesLine})
        after << s->name();
    return before != after;
}

void LossChart::setHistory(const History &h)
{
    m_mseTrace = h.mse;
    m_nllTrace = h.nll;
    m_validationMseTrace = h.validationMse;
    m_validationNllTrace = h.validationNll;
    updateSeries();
    updateAxes();
}

void LossChart::updateSeries()
{
    m_mse->replace(m_mseTrace.points);
    m_nll->replace(m_nllTrace.points);
    m_validationMse->replace(m_validationMseTrace.points);
    m_validationNll->replace(m_validationNllTrace.points);
    // A model that is not trained has no line; its legend entry would only confuse. Markers
    // change here only, never from the plot-area handler: a legend changed in the middle of a
    // layout pass is not laid out again and loses its entries.
    // Noise-free data have no finite floor: the legend says so, and no line is drawn.
    const bool noFloor = std::isinf(m_bayes) && m_bayes < 0.0;
    const bool bayes = (std::isfinite(m_bayes) || noFloor) && !m_nllTrace.points.isEmpty();
    bool changed = false;
    for (QLineSeries *s : {m_mse, m_nll, m_validationMse, m_validationNll, m_bayesLine}) {
        const bool show = s == m_bayesLine ? bayes : s->count() > 0;
        const auto markers = chart()->legend()->markers(s);
        for (QLegendMarker *m : markers) {
            changed = changed || m->isVisible() != show;
            m->setVisible(show);
        }
    }
    changed = fitLegend() || changed;
    // Qt Charts 6.4 keeps the legend's old size when markers appear: a legend laid out empty
    // (after a reset) would stay a few pixels wide and show one marker without its text.
    if (changed)
        chart()->legend()->layout()->invalidate();
}

void LossChart::setBayesNll(double nll)
{
    m_bayes = nll;
    updateAxes();
    updateSeries();
}

void LossChart::updateAxes()
{
    double lastEpoch = 0.0;
    for (const Trace *t : {&m_mseTrace, &m_nllTrace, &m_validationMseTrace, &m_validationNllTrace})
        if (!t->points.isEmpty())
            lastEpoch = std::max(lastEpoch, t->points.last().x());
    const QRectF area = chart()->plotArea();
    AxisOptions epoch;
    epoch.padding = 0.0;
    epoch.padLow = false;
    epoch.integerSteps = true;
    epoch.maxTicks = ticksForLength(area.width(), 90.0, 7); // labels get wide: 1000000
    applyTicks(m_axisEpoch, niceAxis(0.0, std::max(lastEpoch, 10.0), epoch));

    // Log axis: whole decades around the data, at least one decade.
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const Trace *t : {&m_mseTrace, &m_validationMseTrace})
        for (const QPointF &p : std::as_const(t->points)) {
            lo = std::min(lo, p.y());
            hi = std::max(hi, p.y());
        }
    if (!(lo <= hi)) {
        lo = 0.1;
        hi = 10.0;
    }
    double dLo = std::floor(std::log10(lo));
    double dHi = std::ceil(std::log10(hi));
    if (dHi <= dLo)
        dHi = dLo + 1.0;
    // A hair beyond the decades: a label exactly at an end is lost to rounding, and a one-decade
    // axis would keep a single label.
    m_axisMse->setRange(std::pow(10.0, dLo) * 0.999, std::pow(10.0, dHi) * 1.001);

    lo = std::numeric_limits<double>::infinity();
    hi = -lo;
    for (const Trace *t : {&m_nllTrace, &m_validationNllTrace})
        for (const QPointF &p : std::as_const(t->points)) {
            lo = std::min(lo, p.y());
            hi = std::max(hi, p.y());
        }
    if (std::isfinite(m_bayes) && lo <= hi) {
        lo = std::min(lo, m_bayes);
        hi = std::max(hi, m_bayes);
    }
    if (!(lo <= hi)) {
        lo = 0.0;
        hi = 2.0;
    }
    AxisOptions nllOptions;
    nllOptions.maxTicks = ticksForLength(area.height(), 32.0, 8);
    applyTicks(m_axisNll, niceAxis(lo, hi, nllOptions));

    // The Bayes line spans the epochs drawn; it waits for the first loss so that it does not
    // stretch an empty chart.
    const bool bayes = std::isfinite(m_bayes) && !m_nllTrace.points.isEmpty();
    const QList<QPointF> line = bayes ? QList<QPointF>{QPointF(m_axisEpoch->min(), m_bayes),
                                                       QPointF(m_axisEpoch->max(), m_bayes)}
                                      : QList<QPointF>();
    if (m_bayesLine->points() != line)
        m_bayesLine->replace(line);
}

} // namespace mdnviz
