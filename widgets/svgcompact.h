#pragma once
// Compacting what QSvgGenerator writes. It opens a new group (<g> with every style attribute) at
// each change of the painter's state, so a chart's scatter markers, each drawn by its own
// graphics item at its own position, become one group of ~250 bytes around each <circle>, with
// an empty group or two between them. The same picture in a fraction of the bytes:
// - empty groups, paths and polylines (an empty series) are dropped;
// - a group of circles under a transform of translation and uniform scale gets the transform
//   folded into the circles, and consecutive such groups of one style become one group;
// - a line drawn segment by segment (two-point polylines, as Qt Charts draws its line series)
//   becomes one polyline.

#include <QByteArray>
#include <QString>

namespace mdnviz {

//
// Qt names the default font family "Sans Serif", which no browser knows (CSS says
// "sans-serif"): a browser would fall back to its default, a serif. So `fallbackFonts` (e.g.
// "DejaVu Sans, sans-serif"), when given, is appended to every font-family.

// The compacted document, or an empty array if `svg` does not parse.
QByteArray compactSvg(const QByteArray &svg, const QString &fallbackFonts = QString());

} // namespace mdnviz
