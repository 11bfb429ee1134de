#include "cachedchartview.h"

#include <QGraphicsScene>
#include <QPaintEvent>
#include <QPainter>

namespace mdnviz {

namespace {

class ActivationFilter : public QObject {
public:
    using QObject::QObject;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::WindowActivate || event->type() == QEvent::WindowDeactivate)
            return true;
        return QObject::eventFilter(watched, event);
    }
};

} // namespace

void ignoreViewActivation(QGraphicsScene *scene)
{
    scene->installEventFilter(new ActivationFilter(scene));
}

CachedChartView::CachedChartView(QWidget *parent) : QChartView(parent)
{
    ignoreViewActivation(scene());
    // Every change of the scene's items reaches the views through changed() once this is
    // connected (the scene stops updating them directly), so the picture is marked stale before
    // the view repaints what changed.
    connect(scene(), &QGraphicsScene::changed, this, [this] { m_stale = true; });
}

void CachedChartView::paintEvent(QPaintEvent *)
{
    const qreal ratio = viewport()->devicePixelRatioF();
    const QSize pixels = (QSizeF(viewport()->size()) * ratio).toSize();
    if (m_stale || m_picture.size() != pixels || m_picture.devicePixelRatio() != ratio) {
        if (m_picture.size() != pixels)
            m_picture = QPixmap(pixels);
        m_picture.setDevicePixelRatio(ratio);
        m_picture.fill(viewport()->palette().color(viewport()->backgroundRole()));
        QPainter painter(&m_picture);
        painter.setRenderHints(renderHints());
        render(&painter, QRectF(QPointF(), QSizeF(viewport()->size())), viewport()->rect(),
               Qt::IgnoreAspectRatio);
        m_stale = false;
    }
    QPainter painter(viewport());
    painter.drawPixmap(QPointF(), m_picture);
}

} // namespace mdnviz
