#pragma once
// Help > What am I looking at?: what each curve, cloud and number of the window means, with the
// sources the demo follows. A tool window beside the charts, so that both can be read at once.

#include <QDialog>

class QTextBrowser;

namespace mdnviz {

class HelpPanel : public QDialog {
    Q_OBJECT
public:
    explicit HelpPanel(QWidget *parent = nullptr);

    QTextBrowser *browser() const { return m_browser; }

private:
    QTextBrowser *m_browser = nullptr;
};

} // namespace mdnviz
