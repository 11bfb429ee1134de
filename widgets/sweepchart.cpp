#include "sweepchart.h"

#include "axisformat.h"
#include "cachedchartview.h"
#include "datachart.h"

#include <QCategoryAxis>
#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mdnviz {

namespace {

// Half the width of an error bar's caps, in categories.
constexpr double kCap = 0.08;

} // namespace

SweepChart::SweepChart(QWidget *parent)
    : QChartView(parent), m_bayes(std::numeric_limits<double>::quiet_NaN())
{
    setRenderHint(QPainter::Antialiasing);
    ignoreViewActivation(scene());
    setMinimumSize(320, 200);

    QChart *c = chart();
    c->setTitle(tr("Sweep"));
    c->legend()->setAlignment(Qt::AlignBottom);
    c->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    c->setAnimationOptions(QChart::NoAnimation);

    m_validation = new QLineSeries;
    m_validation->setName(tr("held-out, last epoch"));
    m_validation->setPen(QPen(DataChart::sampleColor().darker(130), 2.0));
    m_validationMarkers = new QScatterSeries;
    m_validationMarkers->setMarkerSize(9.0);
    m_validationMarkers->setColor(DataChart::sampleColor().darker(130));
    m_validationMarkers->setBorderColor(Qt::white);
    m_best = new QLineSeries;
    m_best->setName(tr("held-out, best epoch"));
    m_best->setPen(QPen(QColor(30, 130, 90), 2.0, Qt::DotLine));
    m_train = new QLineSeries;
    m_train->setName(tr("train"));
    m_train->setPen(QPen(DataChart::sampleColor().lighter(125), 2.0, Qt::DashLine));
    m_bayesLine = new QLineSeries;
    m_bayesLine->setName(tr("Bayes NLL"));
    m_bayesLine->setPen(QPen(QColor(60, 60, 60), 1.5, Qt::DashDotLine));

    m_axisX = new QCategoryAxis;
    // Each value's label sits under its point, not between two boundaries.
    m_axisX->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_axisY = new QValueAxis;
    c->addAxis(m_axisX, Qt::AlignBottom);
    c->addAxis(m_axisY, Qt::AlignLeft);
    for (QXYSeries *s : std::initializer_list<QXYSeries *>{m_train, m_best, m_validation, m_validationMarkers, m_bayesLine}) {
        c->addSeries(s);
        s->attachAxis(m_axisX);
        s->attachAxis(m_axisY);
    }
    c->legend()->markers(m_validationMarkers).first()->setVisible(false);
    connect(c, &QChart::plotAreaChanged, this, &SweepChart::updateAxes);
    setValues(QString(), QString(), {});
}

void SweepChart::setValues(const QString &parameter, const QString &loss, const QList<Value> &values)
{
    m_values = values;
    m_axisX->setTitleText(parameter);
    m_axisY->setTitleText(loss);
    QChart *c = chart();
    for (QLineSeries *bar : m_bars) {
        c->removeSeries(bar);
        delete bar;
    }
    m_bars.clear();
    QList<QPointF> validation, train, best;
    for (qsizetype i = 0; i < values.size(); ++i) {
        const Value &v = values[i];
        const double x = double(i);
        if (std::isfinite(v.validation))
            validation.append({x, v.validation});
        if (std::isfinite(v.train))
            train.append({x, v.train});
        if (std::isfinite(v.best))
            best.append({x, v.best});
        if (v.runs > 1 && std::isfinite(v.validationMin) && std::isfinite(v.validationMax)) {
            auto *bar = new QLineSeries;
            bar->setPen(QPen(DataChart::sampleColor().darker(160), 1.5));
            bar->replace({{x - kCap, v.validationMin}, {x + kCap, v.validationMin}, {x, v.validationMin},
                          {x, v.validationMax}, {x - kCap, v.validationMax}, {x + kCap, v.validationMax}});
            c->addSeries(bar);
            bar->attachAxis(m_axisX);
            bar->attachAxis(m_axisY);
            c->legend()->markers(bar).first()->setVisible(false);
            m_bars.append(bar);
        }
    }
    m_validation->replace(validation);
    m_validationMarkers->replace(validation);
    m_train->replace(train);
    m_best->replace(best);
    if (!m_bars.isEmpty())
        m_validation->setName(tr("held-out, last epoch (mean; bars: min to max over seeds)"));
    else
        m_validation->setName(tr("held-out, last epoch"));

    // The categories: one label per value at its position.
    for (const QString &label : m_axisX->categoriesLabels())
        m_axisX->remove(label);
    for (qsizetype i = 0; i < values.size(); ++i)
        m_axisX->append(values[i].label, double(i));
    m_axisX->setStartValue(-0.5);
    m_axisX->setRange(-0.5, std::max<double>(double(values.size()) - 0.5, 0.5));
    setBayesNll(m_bayes);
}

void SweepChart::setBayesNll(double nll)
{
    m_bayes = nll;
    if (std::isfinite(nll) && !m_values.isEmpty())
        m_bayesLine->replace({{-0.5, nll}, {double(m_values.size()) - 0.5, nll}});
    else
        m_bayesLine->clear();
    m_bayesLine->setVisible(std::isfinite(nll));
    updateAxes();
}

void SweepChart::updateAxes()
{
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    const auto take = [&](double v) {
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    };
    for (const Value &v : m_values) {
        take(v.validation);
        take(v.train);
        take(v.best);
        if (v.runs > 1) {
            take(v.validationMin);
            take(v.validationMax);
        }
    }
    take(m_bayes);
    if (!std::isfinite(lo)) {
        lo = 0.0;
        hi = 1.0;
    }
    AxisOptions options;
    options.maxTicks = ticksForLength(chart()->plotArea().height(), 40.0);
    applyTicks(m_axisY, niceAxis(lo, hi, options));
}

} // namespace mdnviz
