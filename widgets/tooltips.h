#pragma once
// Tooltips that wrap. Qt shows a plain-text tooltip on one line, however long: the settings'
// explanations ran off the screen. Rich text wraps at a readable width, so a long plain tooltip
// is shown as a paragraph instead.

#include <QObject>
#include <QString>

namespace mdnviz {

// Plain text longer than kWrapToolTipAfter characters, as an HTML paragraph (escaped, line breaks
// kept); anything else unchanged.
constexpr int kWrapToolTipAfter = 60;
QString wrappedToolTip(const QString &text);

// Shows every widget's long plain-text tooltip wrapped, for the whole application.
class WrappingToolTips : public QObject {
public:
    using QObject::QObject;
    static void install(); // once; on the application object

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};

} // namespace mdnviz
