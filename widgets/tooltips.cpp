#include "tooltips.h"

#include <QApplication>
#include <QTextDocument>
#include <QHelpEvent>
#include <QToolTip>
#include <QWidget>

namespace mdnviz {

QString wrappedToolTip(const QString &text)
{
    if (text.size() <= kWrapToolTipAfter || Qt::mightBeRichText(text))
        return text;
    return QStringLiteral("<p>%1</p>").arg(text.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
}

void WrappingToolTips::install()
{
    static WrappingToolTips *filter = nullptr;
    if (!filter && qApp) {
        filter = new WrappingToolTips(qApp);
        qApp->installEventFilter(filter);
    }
}

bool WrappingToolTips::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::ToolTip || !watched->isWidgetType())
        return false;
    auto *widget = static_cast<QWidget *>(watched);
    const QString text = widget->toolTip();
    const QString wrapped = wrappedToolTip(text);
    if (wrapped == text)
        return false;
    auto *help = static_cast<QHelpEvent *>(event);
    QToolTip::showText(help->globalPos(), wrapped, widget, QRect(), widget->toolTipDuration());
    return true;
}

} // namespace mdnviz
