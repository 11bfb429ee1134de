#include "elidedlabel.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyle>
#include <QStyleOption>
#include <QTimer>

#include <cmath>

namespace mdnviz {

ElidedLabel::ElidedLabel(QWidget *parent) : QWidget(parent), m_clear(new QTimer(this))
{
    m_clear->setSingleShot(true);
    connect(m_clear, &QTimer::timeout, this, &ElidedLabel::clear);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
}

void ElidedLabel::setText(const QString &text, int timeoutMs)
{
    m_text = QString(text).replace(QLatin1Char('\n'), QLatin1Char(' '));
    if (timeoutMs > 0 && !m_text.isEmpty())
        m_clear->start(timeoutMs);
    else
        m_clear->stop();
    updateToolTip();
    updateGeometry(); // a new width to ask the layout for
    update();
}

QString ElidedLabel::shownText() const
{
    return fontMetrics().elidedText(m_text, Qt::ElideRight, std::max(contentsRect().width(), 0));
}

QSize ElidedLabel::sizeHint() const
{
    // The exact width rounded up, and a pixel to spare: eliding measures in fractions of a
    // pixel, and a text given its rounded width would lose its last character to "…".
    const double width = QFontMetricsF(font()).horizontalAdvance(m_text);
    return QSize(m_text.isEmpty() ? 0 : int(std::ceil(width)) + 2, fontMetrics().height());
}

QSize ElidedLabel::minimumSizeHint() const { return QSize(0, fontMetrics().height()); }

void ElidedLabel::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(contentsRect(), Qt::AlignVCenter | Qt::AlignLeft, shownText());
}

void ElidedLabel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateToolTip();
}

void ElidedLabel::updateToolTip()
{
    // Rich text, so that a long message wraps in its tooltip instead of running off the screen.
    setToolTip(shownText() == m_text ? QString() : QStringLiteral("<p>%1</p>").arg(m_text.toHtmlEscaped()));
}

} // namespace mdnviz
