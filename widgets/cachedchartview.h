#pragma once
// A chart view that keeps its last picture. Shown again without a change of its chart (its tab
// brought back to the front, the window uncovered) it copies that picture instead of drawing the
// chart again, which for a chart of many curves costs several milliseconds.

#include <QChartView>
#include <QPixmap>

QT_BEGIN_NAMESPACE
class QGraphicsScene;
QT_END_NAMESPACE

namespace mdnviz {

// A graphics view tells its scene that the window was activated or deactivated whenever the
// view is shown or hidden, and a chart answers by redrawing itself whole: a tab switch drew each
// chart twice, and a picture kept by a hidden CachedChartView went stale for nothing. Charts look
// the same either way, so their scene does not hear of it (it stays inactive: no keyboard focus
// for its items, which charts do not take).
void ignoreViewActivation(QGraphicsScene *scene);

class CachedChartView : public QChartView {
public:
    explicit CachedChartView(QWidget *parent = nullptr);

    // The chart has changed: the next paint draws it anew. Changes of the scene's items mark the
    // picture stale by themselves, but only once the event loop runs; a caller that changes the
    // chart and may be drawn before that (grab(), repaint()) says so here.
    void invalidatePicture() { m_stale = true; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QPixmap m_picture;
    bool m_stale = true;
};

} // namespace mdnviz
