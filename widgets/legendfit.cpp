#include "legendfit.h"

#include <QAbstractSeries>
#include <QChart>
#include <QFontMetricsF>
#include <QLegend>
#include <QLegendMarker>

#include <algorithm>

namespace mdnviz {

namespace {

// Qt Charts 6.4 gives each legend entry a square marker as tall as the label's font, and a few
// pixels before, between and after: measured on its default theme, about 1.9 font heights of
// chrome per entry besides the label.
constexpr double kChromePerEntry = 1.9;

bool markerShown(const QChart *chart, QAbstractSeries *series)
{
    const auto markers = chart->legend()->markers(series);
    return std::any_of(markers.begin(), markers.end(), [](QLegendMarker *m) { return m->isVisible(); });
}

} // namespace

double legendWidth(const QChart *chart, const QStringList &labels)
{
    const QFontMetricsF metrics(chart->legend()->font());
    double width = 0.0;
    for (const QString &label : labels)
        width += metrics.horizontalAdvance(label) + kChromePerEntry * metrics.height();
    return width;
}

int fitLegendNames(QChart *chart, const QList<LegendNames> &entries)
{
    int tiers = 1;
    for (const LegendNames &e : entries)
        tiers = std::max(tiers, int(e.names.size()));
    const QMarginsF margins = chart->margins();
    const double room = chart->size().width() - margins.left() - margins.right() - 16.0;
    const auto nameAt = [](const LegendNames &e, int tier) {
        return e.names.isEmpty() ? QString() : e.names[std::min(tier, int(e.names.size()) - 1)];
    };
    int tier = 0;
    // A chart not laid out yet has no width to fit: the full names until it has.
    for (; room > 0.0 && tier + 1 < tiers; ++tier) {
        QStringList labels;
        for (const LegendNames &e : entries)
            if (e.series && markerShown(chart, e.series))
                labels << nameAt(e, tier);
        if (legendWidth(chart, labels) <= room)
            break;
    }
    for (const LegendNames &e : entries)
        if (e.series && e.series->name() != nameAt(e, tier))
            e.series->setName(nameAt(e, tier));
    return tier;
}

} // namespace mdnviz
