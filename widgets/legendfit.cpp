#include "legendfit.h"

#include <QAbstractSeries>
#include <QChart>
#include <QFont>
#include <QFontMetricsF>
#include <QLegend>
#include <QLegendMarker>
#include <QVariant>

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
    // The legend's own font, kept the first time: the last resort below shrinks it.
    QLegend *legend = chart->legend();
    QVariant base = legend->property("mdnvizBaseFont");
    if (!base.isValid()) {
        base = QVariant::fromValue(legend->font());
        legend->setProperty("mdnvizBaseFont", base);
    }
    const QFont baseFont = base.value<QFont>();
    if (legend->font() != baseFont)
        legend->setFont(baseFont);
    const auto labelsAt = [&](int tier) {
        QStringList labels;
        for (const LegendNames &e : entries)
            if (e.series && markerShown(chart, e.series))
                labels << nameAt(e, tier);
        return labels;
    };
    int tier = 0;
    // A chart not laid out yet has no width to fit: the full names until it has.
    for (; room > 0.0 && tier + 1 < tiers; ++tier)
        if (legendWidth(chart, labelsAt(tier)) <= room)
            break;
    // Even the shortest names too wide: a smaller font, down to 80 %, before Qt cuts them.
    if (room > 0.0 && baseFont.pointSizeF() > 0.0) {
        for (double scale = 0.95; scale >= 0.8 && legendWidth(chart, labelsAt(tier)) > room; scale -= 0.05) {
            QFont smaller = baseFont;
            smaller.setPointSizeF(baseFont.pointSizeF() * scale);
            legend->setFont(smaller);
        }
    }
    for (const LegendNames &e : entries)
        if (e.series && e.series->name() != nameAt(e, tier))
            e.series->setName(nameAt(e, tier));
    return tier;
}

} // namespace mdnviz
