#pragma once
// The MDN's mixture parameters against x, as in Bishop's figure of the MDN (PRML fig. 5.21):
// three stacked charts of pi_k(x), mu_k(x) and sigma_k(x) over one x range, one colour per
// component, the same colour in all three (and in the slice view and the density's bands).

#include "snapshot.h"

#include <QList>
#include <QWidget>

#include <optional>

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QLineSeries;
class QLogValueAxis;
class QPainter;
class QValueAxis;
QT_END_NAMESPACE

namespace mdnviz {

class CachedChartView;

class MixtureChart : public QWidget {
    Q_OBJECT
public:
    explicit MixtureChart(QWidget *parent = nullptr);

    // Draws the snapshot's mixture at its gridX; the x range follows the grid. While the chart
    // is hidden behind another tab of a shown window, only the mixture is kept, and drawn when
    // the chart is shown or rendered: redrawing three hidden charts at every snapshot would
    // cost the GUI thread for nothing.
    void setSnapshot(const mdn::Snapshot &snapshot);
    // The same for one of the three charts, so that a window can take a snapshot in stages and
    // repaint one chart at a time. A hidden chart brought to the front catches up in the same
    // stages, a few milliseconds apart.
    enum Part { Pi, Mu, Sigma };
    void setSnapshotPart(const mdn::Snapshot &snapshot, Part part);
    void clear();
    // The names of the data's columns, for the axes. Data with several inputs are drawn along a
    // path (the snapshot's pathThrough, named in the x axis's title); of several targets, the
    // means and widths are the first's.
    void setColumnNames(const QStringList &inputs, const QStringList &targets);
    // The x axes show the range and ticks of `axis` (the data chart's), so that one x is at the
    // same place on both tabs; nullptr goes back to the snapshot's grid.
    void followXAxis(const QValueAxis *axis);

    QChart *chart(Part part) const;
    QChartView *chartView(Part part) const;
    QList<QChart *> charts() const;          // top to bottom
    const QList<QLineSeries *> &series(Part part) const { return m_series[part]; }
    int components() const { return int(m_series[Pi].size()); }

    // The plot area of a chart of `size`: the same left and right edges for the three.
    QRectF plotAreaFor(Part part, QSizeF size) const;

    // The three charts stacked into one picture of `pixelSize` (a third of the height each).
    QImage render(QSize pixelSize);
    // The same drawn into `painter` over (0, 0) .. size, laid out at size / scale (a figure).
    void paint(QPainter *painter, QSizeF size, double scale);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void apply(const mdn::Snapshot &snapshot, Part part);
    void applyDeferred();
    void applyDeferredFrom(Part part);
    void invalidatePictures();

    void setComponents(int k);
    void updateAxes();
    void layoutPlotArea(Part part);

    CachedChartView *m_views[3] = {};
    QList<QLineSeries *> m_series[3];
    QValueAxis *m_x[3] = {};
    QValueAxis *m_piAxis = nullptr;
    QValueAxis *m_muAxis = nullptr;
    QLogValueAxis *m_sigmaAxis = nullptr;
    double m_xLo = -1.0, m_xHi = 1.0;
    double m_muLo = -1.0, m_muHi = 1.0;
    double m_sigmaLo = 0.1, m_sigmaHi = 1.0;
    const QValueAxis *m_followed = nullptr;
    QStringList m_inputNames{QStringLiteral("x")};
    std::optional<mdn::Snapshot> m_deferred; // gridX and mixture only
};

} // namespace mdnviz
