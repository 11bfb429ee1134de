#pragma once
// Many round markers of one colour in a chart's plot area, drawn as one cached image. Qt Charts
// paints a scatter series marker by marker at every repaint of the chart (8,000 data points and
// a few thousand samples cost tens of milliseconds a frame); this layer paints its markers into
// an image when the points, the plot area, the axes' ranges or the pixel density change, and
// otherwise draws that one image. Vector painters (SVG, PDF) get a circle per marker instead.
//
// The style comes from a scatter series of the same chart that stays empty: its colour, marker
// size and visibility, its axes (the layer maps through them), and its legend entry.

#include <QGraphicsObject>
#include <QImage>
#include <QList>
#include <QPointF>

QT_BEGIN_NAMESPACE
class QChart;
class QScatterSeries;
QT_END_NAMESPACE

namespace mdnviz {

class ScatterLayer : public QGraphicsObject {
    Q_OBJECT
public:
    // Draws into `chart` in the style of `style`, which must be attached to the chart's axes.
    ScatterLayer(QChart *chart, QScatterSeries *style);

    void setPoints(const QList<QPointF> &points);
    void clear();
    const QList<QPointF> &points() const { return m_points; }
    qsizetype count() const { return m_points.size(); }

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    // What the cached image was drawn for: when any of it differs, the image is redrawn.
    struct Key {
        QRectF area;
        QPointF valueTopLeft, valueBottomRight;
        qreal scale = 0.0;
        QPointF phase; // where the plot area starts within its first device pixel
        QColor colour;
        qreal markerSize = 0.0;
        bool operator==(const Key &o) const;
    };
    void onPlotAreaChanged();
    // The plot-area position of each point inside the plot area, through the axes of the moment.
    QList<QPointF> positions(const QRectF &area) const;
    void paintVector(QPainter *painter, const QRectF &area) const;
    void rebuildImage(const Key &key);

    QChart *m_chart;
    QScatterSeries *m_style;
    QList<QPointF> m_points;
    bool m_pointsChanged = true;
    QRectF m_bounds;
    Key m_key;
    QImage m_image;
};

} // namespace mdnviz
