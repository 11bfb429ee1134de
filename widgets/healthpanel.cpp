#include "healthpanel.h"

#include <QHBoxLayout>
#include <QLabel>

#include <cmath>

namespace mdnviz {

namespace {

QString number(double v, int precision = 3)
{
    return std::isfinite(v) ? QString::number(v, 'g', precision) : QStringLiteral("–");
}

QLabel *makeLabel(const char *name, const QString &tip)
{
    auto *label = new QLabel;
    label->setObjectName(QLatin1String(name));
    label->setToolTip(tip);
    label->setTextFormat(Qt::PlainText);
    return label;
}

} // namespace

HealthPanel::HealthPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 2, 8, 2);
    layout->setSpacing(24);
    auto *title = new QLabel(tr("<b>MDN health</b>"));
    layout->addWidget(title);
    m_minSigma = makeLabel("minSigma",
                           tr("The smallest width σ_k (y units) among the components that carry "
                              "weight (π_k ≥ 0.01) anywhere on the x grid. A width falling by "
                              "decades means a component is closing in on single points; it "
                              "turns red below 0.1% of the data's y range"));
    m_components = makeLabel("effectiveComponents",
                             tr("exp(entropy) of the mixing weights averaged over x: how many of "
                                "the K components the network really uses"));
    m_gradient = makeLabel("gradientNorm", tr("Euclidean norm of the MDN's last full gradient, in "
                                              "the standardised units it trains in"));
    m_faultsTip = tr("Numerical faults (non-finite or exploding loss) recovered so far by "
                     "rolling back and halving the learning rate, MDN and MSE net");
    m_faults = makeLabel("faults", QString());
    setFaultEvents({});
    for (QLabel *l : {m_minSigma, m_components, m_gradient, m_faults})
        layout->addWidget(l);
    layout->addStretch(1);
    clear();
}

void HealthPanel::setSnapshot(const mdn::Snapshot &s, double ySpan)
{
    const QString sigma = number(s.minSigma);
    m_texts[0] = {tr("smallest σ %1").arg(sigma), tr("σ min %1").arg(sigma)};
    const bool collapsing = std::isfinite(s.minSigma) && ySpan > 0.0 && s.minSigma < kCollapseFraction * ySpan;
    m_minSigma->setStyleSheet(collapsing ? QStringLiteral("color: #c0392b; font-weight: bold")
                                         : QString());
    const QString used = std::isfinite(s.effectiveComponents) ? QString::number(s.effectiveComponents, 'f', 1)
                                                              : QStringLiteral("–");
    // No mixture yet (untrained, or no MDN): nothing to count, not "of 0".
    const int k = s.mixture.components();
    if (k > 0)
        m_texts[1] = {tr("components in use %1 of %2").arg(used).arg(k), tr("in use %1/%2").arg(used).arg(k)};
    else
        m_texts[1] = {tr("components in use –"), tr("in use –")};
    const QString gradient = number(s.gradientNorm);
    m_texts[2] = {tr("gradient norm %1").arg(gradient), tr("|∇| %1").arg(gradient)};
    m_texts[3] = {tr("faults recovered %1 (MDN) · %2 (MSE)").arg(s.mdnFaults).arg(s.mseFaults),
                  tr("faults %1 · %2").arg(s.mdnFaults).arg(s.mseFaults)};
    m_faults->setStyleSheet(s.mdnFaults + s.mseFaults > 0 ? QStringLiteral("color: #c0392b")
                                                         : QString());
    showTexts();
}

void HealthPanel::showTexts()
{
    QLabel *labels[4] = {m_minSigma, m_components, m_gradient, m_faults};
    // Decided on the full texts' widths, so that the choice does not flip with the numbers.
    int full = 0;
    for (int i = 0; i < 4; ++i)
        full += labels[i]->fontMetrics().horizontalAdvance(m_texts[i].full) + 24;
    m_compact = full + 120 > width();
    for (int i = 0; i < 4; ++i)
        labels[i]->setText(m_compact ? m_texts[i].compact : m_texts[i].full);
}

void HealthPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    showTexts();
}

void HealthPanel::setFaultEvents(const QStringList &events)
{
    QString tip = QStringLiteral("<p>%1</p>").arg(m_faultsTip.toHtmlEscaped());
    if (events.isEmpty()) {
        tip += tr("<p>None so far.</p>");
    } else {
        tip += QStringLiteral("<p>");
        for (const QString &e : events)
            tip += e.toHtmlEscaped() + QStringLiteral("<br>");
        tip += QStringLiteral("</p>");
    }
    m_faults->setToolTip(tip);
}

void HealthPanel::clear()
{
    setSnapshot(mdn::Snapshot(), 0.0);
}

} // namespace mdnviz
