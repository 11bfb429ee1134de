#pragma once
// The "Data & fits" chart: the dataset as points, the MSE net's curve and the MDN's samples, over
// the MDN's density p(y|x) as a colour image, with its conditional mean, approximate mode and
// component bands when asked for. A click or a drag in the plot picks the x of the slice view.

#include "dataset.h"
#include "snapshot.h"

#include <QChartView>
#include <QColor>
#include <QList>
#include <QPointF>

QT_BEGIN_NAMESPACE
class QGraphicsEllipseItem;
class QGraphicsSimpleTextItem;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace mdnviz {

class DensityItem;
class ScatterLayer;

class DataChart : public QChartView {
    Q_OBJECT

public:
    explicit DataChart(QWidget *parent = nullptr);

    // Shows the data and fits the axes to it; the fits are left as they are.
    void setDataset(const mdn::Dataset &data);
    // Shows the MSE curve and the MDN samples of one snapshot (either may be empty).
    void setSnapshot(const mdn::Snapshot &snapshot);
    // Removes the curve and the samples, keeps the data.
    void clearFits();

    // A line of text in the middle of the plot (a hint of what to do); empty hides it.
    void setHint(const QString &text);
    // Which model the fits are of, after the title ("K = 3, best weights of epoch 2,400"); empty
    // for the settings' own model as it is.
    void setSubject(const QString &subject);
    QString hint() const;

    // What is drawn of the MDN besides its samples.
    struct Overlays {
        bool data = true;
        bool samples = true;
        bool density = true;
        bool logScale = true;
        bool mean = false;
        bool mode = true;
        bool bands = false;
    };
    void setOverlays(const Overlays &overlays);
    Overlays overlays() const { return m_overlays; }

    // The vertical cursor of the slice view at x (NaN hides it).
    void setSliceX(double x);
    double sliceX() const { return m_sliceX; }
    // The data x at a point of this view's viewport (NaN outside the plot area).
    double xAtViewportPos(const QPoint &pos) const;
    // The data (x, y) at a point of the viewport, and back.
    QPointF valueAtViewportPos(const QPoint &pos) const;
    QPoint viewportPosOf(QPointF value) const;

    // Draw mode: a left press or drag in the plot is a brush stroke (brushAt at every
    // kBrushStepPx of the way, then strokeFinished), a right or Shift+left one an eraser stroke;
    // the slice cursor stays where it is, and new data only widen the axes.
    void setDrawMode(bool on);
    bool drawMode() const { return m_drawMode; }
    // The outline of the brush that follows the cursor in draw mode: its radius as a fraction
    // of each axis's range (MainWindow::setBrush).
    void setBrushRadius(double fraction);
    // A stroke's points as they are drawn, before the data are replaced (the axes stay).
    void showDrawnPoints(const QList<QPointF> &points);
    static constexpr int kBrushStepPx = 12;

    QValueAxis *axisX() const { return m_axisX; }
    QValueAxis *axisY() const { return m_axisY; }
    // The data and the samples are drawn by layers (many markers as one image); their series
    // stay empty and give the style and the legend entries.
    QScatterSeries *dataSeries() const { return m_data; }
    QLineSeries *mseSeries() const { return m_mse; }
    QScatterSeries *sampleSeries() const { return m_samples; }
    ScatterLayer *dataLayer() const { return m_dataLayer; }
    ScatterLayer *sampleLayer() const { return m_sampleLayer; }
    // The data points shown (at most maxShownPoints) and the samples of the last snapshot.
    const QList<QPointF> &dataPoints() const;
    const QList<QPointF> &samplePoints() const;
    QLineSeries *meanSeries() const { return m_mean; }
    QScatterSeries *modeSeries() const { return m_mode; }
    QLineSeries *sliceSeries() const { return m_slice; }
    QLineSeries *bandsLegendSeries() const { return m_bandsKey; }
    DensityItem *densityItem() const { return m_density; }

    // More points than this are drawn as an evenly spread subset.
    static constexpr int maxShownPoints = 8000;

    // The opaque colour of each series, and the alpha the translucent ones are drawn with.
    static QColor dataColor();
    static QColor mseColor();
    static QColor sampleColor();
    static int dataAlpha();
    static int sampleAlpha();
    static QColor meanColor();
    static QColor modeColor();

signals:
    // The user clicked or dragged in the plot at data x.
    void sliceRequested(double x);
    // Draw mode: the brush (or eraser) at data (x, y), and the stroke's end.
    void brushAt(QPointF value, bool erase);
    void strokeFinished();

protected:
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    void fitLegend();
    QStringList m_dataNames{QStringLiteral("data")};
    int m_legendTier = 0;
    QString m_subject;
    void updateTitle();
    void fitAxes();
    void updateLegendMarkers();
    void updateSliceLine();
    void updateMargins();
    void placeHint();

    // The data's extent (finite points only), which alone decides the axis ranges.
    double m_xMin = -1.0, m_xMax = 1.0, m_yMin = -1.0, m_yMax = 1.0;

    QScatterSeries *m_data = nullptr;
    QLineSeries *m_mse = nullptr;
    QScatterSeries *m_samples = nullptr;
    QLineSeries *m_mean = nullptr;
    QScatterSeries *m_mode = nullptr;
    QLineSeries *m_slice = nullptr;
    QLineSeries *m_bandsKey = nullptr;
    DensityItem *m_density = nullptr;
    ScatterLayer *m_dataLayer = nullptr;   // owned by the chart
    ScatterLayer *m_sampleLayer = nullptr; // owned by the chart
    QGraphicsSimpleTextItem *m_hint = nullptr;
    Overlays m_overlays;
    QList<QPointF> m_meanPoints, m_modePoints; // kept while an overlay is off
    double m_sliceX;
    bool m_drawMode = false;
    bool m_stroking = false, m_erasing = false;
    QPoint m_lastBrushPos; // where the stroke last put the brush, in viewport pixels
    double m_brushRadius = 0.04;
    QGraphicsEllipseItem *m_brushOutline = nullptr;
    void moveBrushOutline(const QPoint &pos);
    QValueAxis *m_axisX = nullptr;
    QValueAxis *m_axisY = nullptr;
};

} // namespace mdnviz
