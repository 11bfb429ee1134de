#include "healthpanel.h"

#include <QHBoxLayout>
#include <QLabel>

#include <cmath>

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
    m_faults = makeLabel("faults",
                         tr("Numerical faults (non-finite or exploding loss) recovered so far by "
                            "rolling back and halving the learning rate, MDN and MSE net"));
    for (QLabel *l : {m_minSigma, m_components, m_gradient, m_faults})
        layout->addWidget(l);
    layout->addStretch(1);
    clear();
}

void HealthPanel::setSnapshot(const mdn::Snapshot &s, double ySpan)
{
    m_minSigma->setText(tr("smallest σ %1").arg(number(s.minSigma)));
    const bool collapsing = std::isfinite(s.minSigma) && ySpan > 0.0 && s.minSigma < kCollapseFraction * ySpan;
    m_minSigma->setStyleSheet(collapsing ? QStringLiteral("color: #c0392b; font-weight: bold")
                                         : QString());
    m_components->setText(tr("components in use %1 of %2")
                              .arg(std::isfinite(s.effectiveComponents)
                                       ? QString::number(s.effectiveComponents, 'f', 1)
                                       : QStringLiteral("–"))
                              .arg(s.mixture.components()));
    m_gradient->setText(tr("gradient norm %1").arg(number(s.gradientNorm)));
    m_faults->setText(tr("faults recovered %1 (MDN) · %2 (MSE)").arg(s.mdnFaults).arg(s.mseFaults));
    m_faults->setStyleSheet(s.mdnFaults + s.mseFaults > 0 ? QStringLiteral("color: #c0392b")
                                                         : QString());
}

void HealthPanel::clear()
{
    setSnapshot(mdn::Snapshot(), 0.0);
}
