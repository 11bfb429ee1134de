#pragma once
// The "Data & fits" chart: the dataset as points, the MSE net's curve and the MDN's samples.

#include "dataset.h"
#include "snapshot.h"

#include <QChartView>
#include <QColor>

QT_BEGIN_NAMESPACE
class QLineSeries;
class QScatterSeries;
class QValueAxis;
QT_END_NAMESPACE

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

    QValueAxis *axisX() const { return m_axisX; }
    QValueAxis *axisY() const { return m_axisY; }
    QScatterSeries *dataSeries() const { return m_data; }
    QLineSeries *mseSeries() const { return m_mse; }
    QScatterSeries *sampleSeries() const { return m_samples; }

    // More points than this are drawn as an evenly spread subset.
    static constexpr int maxShownPoints = 20000;

    // The opaque colour of each series, and the alpha the translucent ones are drawn with.
    static QColor dataColor();
    static QColor mseColor();
    static QColor sampleColor();
    static int dataAlpha();
    static int sampleAlpha();

private:
    void fitAxes();
    void updateLegendMarkers();

    // The data's extent (finite points only), which alone decides the axis ranges.
    double m_xMin = -1.0, m_xMax = 1.0, m_yMin = -1.0, m_yMax = 1.0;

    QScatterSeries *m_data = nullptr;
    QLineSeries *m_mse = nullptr;
    QScatterSeries *m_samples = nullptr;
    QValueAxis *m_axisX = nullptr;
    QValueAxis *m_axisY = nullptr;
};
