#pragma once
// The MDN's density p(y|x) as a colour image in a chart's plot area, behind the series, with a
// colour bar to the right of the plot, and the component bands mu_k +- sigma_k above the series. Qt Charts has no image
// series, so this is a graphics item of the chart's own scene: it maps data to pixels through the
// chart at paint time, and exports that render the scene include it.

#include "colormap.h"
#include "inspect.h"

#include <QGraphicsObject>
#include <QImage>

#include <vector>

QT_BEGIN_NAMESPACE
class QAbstractSeries;
class QChart;
QT_END_NAMESPACE

namespace mdnviz {

class DensityItem : public QGraphicsObject {
    Q_OBJECT
public:
    // Draws into `chart` using the axes that `reference` is attached to.
    DensityItem(QChart *chart, QAbstractSeries *reference);
    ~DensityItem() override;

    void setGrid(const mdn::DensityGrid &grid);
    void setLogScale(bool log);
    void setDensityShown(bool shown);
    // The bands of the mixture `m` whose column j belongs to xs[j].
    void setBands(const std::vector<double> &xs, const mdn::Mixture &m);
    void setBandsShown(bool shown);
    void clear();

    bool densityShown() const { return m_densityShown; }
    bool bandsShown() const { return m_bandsShown; }
    bool hasDensity() const { return !m_image.isNull(); }
    bool hasBands() const { return m_bands.points() > 1; }
    const QImage &image() const { return m_image; }
    // The item the bands are drawn by: a layer of its own, stacked above the series.
    QGraphicsItem *bandsItem() const;
    const DensityScale &scale() const { return m_scale; }

    // Room the colour bar and its labels take to the right of the plot area.
    static constexpr int kBarReserve = 92;

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    class BandsLayer;
    void rebuildImage();
    void onPlotAreaChanged();
    void paintBands(QPainter *painter) const;
    void paintColourBar(QPainter *painter) const;

    QChart *m_chart;
    QAbstractSeries *m_reference;
    mdn::DensityGrid m_grid;
    DensityScale m_scale;
    QImage m_image;
    bool m_log = true;
    bool m_densityShown = true;
    bool m_bandsShown = false;
    std::vector<double> m_bandX;
    mdn::Mixture m_bands;
    BandsLayer *m_bandsLayer; // owned by the chart
    QRectF m_bounds;
};

} // namespace mdnviz
