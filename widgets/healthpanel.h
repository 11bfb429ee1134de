#pragma once
// One line under the charts on the MDN's training health: its smallest width, how many
// components it uses, its gradient norm and the numerical faults recovered so far, so that a
// collapsing component shows before it spoils the loss.

#include "snapshot.h"

#include <QStringList>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace mdnviz {

class HealthPanel : public QWidget {
    Q_OBJECT
public:
    explicit HealthPanel(QWidget *parent = nullptr);

    // `ySpan` is the data's y range, the scale a width is judged against.
    void setSnapshot(const mdn::Snapshot &snapshot, double ySpan);
    void clear();
    // The numerical faults of the models being trained, newest last, listed in the faults'
    // tooltip.
    void setFaultEvents(const QStringList &events);
    // Short labels ("σ min", "in use") when the full ones do not fit the width.
    bool isCompact() const { return m_compact; }

    QLabel *minSigmaLabel() const { return m_minSigma; }
    QLabel *componentsLabel() const { return m_components; }
    QLabel *gradientLabel() const { return m_gradient; }
    QLabel *faultsLabel() const { return m_faults; }

    // A width below this fraction of the y range is flagged: no generator here has noise that
    // fine, so such a component is fitting single points.
    static constexpr double kCollapseFraction = 0.001;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void showTexts();

    QLabel *m_minSigma = nullptr;
    QLabel *m_components = nullptr;
    QLabel *m_gradient = nullptr;
    QLabel *m_faults = nullptr;
    QString m_faultsTip;
    struct Texts {
        QString full, compact;
    } m_texts[4]; // of the four labels above
    bool m_compact = false;
};

} // namespace mdnviz
