#pragma once
// Rendering a chart to an image of a given pixel size, independent of its size on screen.

#include <QImage>
#include <QSize>
#include <QString>

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

// Sides outside this range are refused by exportChartPng.
constexpr int kMinExportSide = 16;
constexpr int kMaxExportSide = 16384;

// The chart laid out and drawn at exactly `pixelSize`, on white; the chart's own size is restored
// afterwards. A null image for an empty size or a chart without a scene.
QImage renderChart(QChart *chart, QSize pixelSize);

// Writes renderChart(chart, pixelSize) as PNG to `path`, atomically: on failure an existing file
// at `path` is left as it was. On failure returns false and sets *error (if given) to
// "path: reason".
bool exportChartPng(QChart *chart, const QString &path, QSize pixelSize, QString *error = nullptr);

// Writes `image` as PNG to `path` atomically, with the same error reporting.
bool writePng(const QImage &image, const QString &path, QString *error = nullptr);
