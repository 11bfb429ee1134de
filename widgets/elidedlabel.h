#pragma once
// A one-line label that shows as much of its text as fits, ending in "…", whatever width the
// layout gives it now or later; the whole text in its tooltip when it is cut. Unlike a status
// bar's own message, elided once when shown, it never runs into the widgets beside it after the
// window shrinks or they grow.

#include <QString>
#include <QWidget>

class QTimer;

namespace mdnviz {

class ElidedLabel : public QWidget {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    QString text() const { return m_text; }
    // Line breaks become spaces. A timeout > 0 clears the text that many ms later.
    void setText(const QString &text, int timeoutMs = 0);
    void clear() { setText(QString()); }
    // The text as drawn at the current width.
    QString shownText() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateToolTip();

    QString m_text;
    QTimer *m_clear = nullptr;
};

} // namespace mdnviz
