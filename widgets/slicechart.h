#pragma once
// The slice inspector: the MDN's p(y|x) at one x and its weighted components, against a
// histogram of the data near that x and, for the built-in generators, the true p(y|x).

#include "dataset.h"
#include "snapshot.h"

#include <QChartView>
#include <QList>

#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QAreaSeries;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace mdnviz {

class SliceChart : public QChartView {
    Q_OBJECT
public:
    explicit SliceChart(QWidget *parent = nullptr);

    // The data for the histogram; `generator` (with its noise) for the true density, none for
    // data from a file. The slice moves to the middle of the data's x range.
    void setDataset(const mdn::Dataset &data, std::optional<mdn::Generator> generator, double noise);
    // The model's mixture on the snapshot's grid.
    void setSnapshot(const mdn::Snapshot &snapshot);
    void clearModel();
    // Moves the slice to the grid column nearest x (within the data's x range).
    void setSliceX(double x);
    // The x the slice shows (a grid column of the last snapshot, or the requested x before one).
    double sliceX() const { return m_x; }

    // Observations within this fraction of the x range on either side make the histogram.
    static constexpr double kWindow = 0.02;

    QLineSeries *mixtureSeries() const { return m_mixture; }
    QLineSeries *trueSeries() const { return m_true; }
    QAreaSeries *histogramSeries() const { return m_histogram; }
    const QList<QLineSeries *> &componentSeries() const { return m_components; }
    std::size_t windowCount() const { return m_windowCount; }

signals:
    // The slice moved to x (after snapping to the grid).
    void sliceMoved(double x);

private:
    void updateTitle();
    void fitLegend();
    void updateData();
    void updateModel();
    void updateAxes();
    void updateLegend();

    mdn::Dataset m_data;
    std::optional<mdn::Generator> m_generator;
    double m_noise = 1.0;
    double m_xLo = -1.0, m_xHi = 1.0, m_yLo = -1.0, m_yHi = 1.0;
    std::vector<double> m_gridX;
    mdn::Mixture m_model;
    double m_x;
    std::size_t m_windowCount = 0;
    double m_dataPeak = 0.0, m_modelPeak = 0.0;

    QAreaSeries *m_histogram = nullptr;
    QLineSeries *m_histogramLine = nullptr;
    QLineSeries *m_true = nullptr;
    QLineSeries *m_mixture = nullptr;
    QList<QLineSeries *> m_components;
    QValueAxis *m_axisY = nullptr;       // horizontal: y of the data
    QValueAxis *m_axisDensity = nullptr; // vertical: p(y|x)
    bool m_updatingAxes = false;
};

} // namespace mdnviz
