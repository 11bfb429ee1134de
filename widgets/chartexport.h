#pragma once
// Exporting charts as figures: PNG, SVG or PDF of a given size, independent of the charts' sizes
// on screen, written atomically.

#include <QImage>
#include <QSize>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

QT_BEGIN_NAMESPACE
class QChart;
class QPainter;
QT_END_NAMESPACE

namespace mdnviz {

struct ChartSet;

// Sides outside this range are refused.
constexpr int kMinExportSide = 16;
constexpr int kMaxExportSide = 16384;

enum class ExportFormat { Png, Svg, Pdf };

// "png", "svg", "pdf": the --format values and the file suffixes.
QString exportFormatName(ExportFormat format);
std::optional<ExportFormat> exportFormatFromName(const QString &name);
// The format a file name's suffix asks for (case-insensitive); nullopt for any other suffix.
std::optional<ExportFormat> exportFormatForPath(const QString &path);

// The file dialog's name filters, PNG first: "PNG image (*.png)", ...
QStringList exportNameFilters();
// What a save dialog's answer asks for: the format the path's suffix names, else that of the
// selected filter (PNG if neither says), and the path with that suffix added when it had none
// of the three.
std::pair<QString, ExportFormat> exportTargetFor(const QString &path, const QString &selectedFilter);

// Figures are laid out at about the size of a chart in the window (at least this many pixels, or
// points, per side) and enlarged to the export size, so that text, lines and markers keep their
// proportions: a 1600x1000 export has text twice the window's size, readable where the figure
// is shown at column or slide width, and not a tiny label on a vast plot.
constexpr int kFigureLayoutWidth = 800;
constexpr int kFigureLayoutHeight = 500;
// The enlargement of a figure of `size` (>= 1).
double figureScale(QSizeF size);

// In SVG and PDF, scatter markers are vector circles, and a scatter series of more points is
// drawn as an evenly spread subset of this many: a figure of the data chart (at most 8,000 data
// points, DataChart::maxShownPoints) with this many samples stays under about 1 MB of SVG.
constexpr int kMaxVectorMarkers = 8000;

// Draws a figure into `painter` over (0, 0) .. `size`, laid out at size / scale.
using Figure = std::function<void(QPainter *painter, QSizeF size, double scale)>;

// One chart as a figure. Vector painters (SVG, PDF) get the scene's items as they are: text as
// text, curves as paths, images as images.
Figure chartFigure(QChart *chart);
// `chart` laid out at size / scale and drawn over (0, 0) .. size; its own size is restored.
void paintChart(QPainter *painter, QChart *chart, QSizeF size, double scale);

// The figure drawn into a PNG, SVG or PDF file at `path`, atomically: on failure an existing file
// at `path` is left as it was, and false is returned with *error (if given) set to
// "path: reason". SVG and PDF are `size` CSS pixels (1/96 inch) large: a PDF page of
// 0.75 size points.
bool exportFigure(const Figure &figure, const QString &path, QSize size, ExportFormat format,
                  QString *error = nullptr);

// The figure drawn into an image of `pixelSize`, on white.
QImage renderFigure(const Figure &figure, QSize pixelSize);
QImage renderChart(QChart *chart, QSize pixelSize);
bool exportChartPng(QChart *chart, const QString &path, QSize pixelSize, QString *error = nullptr);

// The charts of the window, each one figure.
enum class ChartKind { DataAndFits, Loss, Mixture, Slice };
constexpr ChartKind kAllCharts[] = {ChartKind::DataAndFits, ChartKind::Loss, ChartKind::Mixture,
                                    ChartKind::Slice};
// "data-and-fits.svg", "loss.png", ...
QString chartFileName(ChartKind chart, ExportFormat format);

// One chart of the set as a figure; on-screen aids (the slice cursor) are left out.
bool exportChart(const ChartSet &charts, ChartKind chart, const QString &path, QSize size,
                 ExportFormat format, QString *error = nullptr);
// Every chart into `dir` (created if missing), named by chartFileName. Stops at the first
// failure with *error set.
bool exportCharts(const ChartSet &charts, const QString &dir, QSize size, ExportFormat format,
                  QString *error = nullptr);

// Writes bytes to `path` atomically, with the same error reporting.
bool writeExportFile(const QByteArray &bytes, const QString &path, QString *error = nullptr);

} // namespace mdnviz
