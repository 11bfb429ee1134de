#pragma once
// Legend entries that fit. Qt Charts lays a bottom legend out on one line and cuts every entry
// that does not fit to "MSE net pre..." -- a row of riddles in a small window. Each series here
// has names from long to short; the legend takes the longest set whose entries all fit the
// chart's width.

#include <QList>
#include <QString>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QAbstractSeries;
class QChart;
QT_END_NAMESPACE

namespace mdnviz {

struct LegendNames {
    QAbstractSeries *series = nullptr;
    QStringList names; // longest first; the last is used when nothing longer fits
};

// The width, in the chart's coordinates, that a one-line legend of these entries needs (each
// marker, its label and the gaps Qt Charts puts around them), counting only `shown` entries.
double legendWidth(const QChart *chart, const QStringList &labels);

// Names each series of `entries` whose legend marker is visible by the longest tier that lets
// the whole legend fit the chart's width (tier i takes names[min(i, size - 1)]). Returns the tier.
int fitLegendNames(QChart *chart, const QList<LegendNames> &entries);

} // namespace mdnviz
