#include "chartexport.h"

#include "chartset.h"
#include "csv.h"
#include "datachart.h"
#include "losschart.h"
#include "mixturechart.h"
#include "slicechart.h"
#include "svgcompact.h"

#include <QBuffer>
#include <QChart>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFontInfo>
#include <QGuiApplication>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QImageWriter>
#include <QPageSize>
#include <QPaintEngine>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QScatterSeries>

#include <algorithm>
#include <cmath>

namespace mdnviz {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("ChartExport", text); }

bool failWith(QString *error, const QString &path, const QString &reason)
{
    if (error)
        *error = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), reason);
    return false;
}

// Resizing lays the chart out at once, but views that adapt their axes to the new plot area
// (tick density) invalidate the layout again; run those pending passes now instead of in the
// event loop, so that the picture has the axes that belong to its size.
void settleLayout(QChart *chart)
{
    QGraphicsLayout *layout = chart->layout();
    for (int pass = 0; layout && pass < 4 && !layout->isActivated(); ++pass)
        layout->activate();
}

void setPainterHints(QPainter &painter)
{
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
}

QByteArray encodePng(const QImage &image, QString *why)
{
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "png");
    if (!writer.write(image)) {
        *why = writer.errorString();
        return QByteArray();
    }
    return png;
}

QByteArray encodeSvg(const Figure &figure, QSize size)
{
    QByteArray svg;
    QBuffer buffer(&svg);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(), size));
    generator.setResolution(96);
    generator.setTitle(QStringLiteral("mdnviz"));
    QPainter painter(&generator);
    setPainterHints(painter);
    painter.fillRect(QRectF(QPointF(), QSizeF(size)), Qt::white);
    figure(&painter, QSizeF(size), figureScale(QSizeF(size)));
    painter.end();
    const QByteArray compact =
        compactSvg(svg, QFontInfo(QGuiApplication::font()).family() + QStringLiteral(", sans-serif"));
    return compact.isEmpty() ? svg : compact;
}

QByteArray encodePdf(const Figure &figure, QSize size)
{
    QByteArray pdf;
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setCreator(QStringLiteral("mdnviz"));
    writer.setTitle(QStringLiteral("mdnviz"));
    // One device pixel per CSS pixel: the page is size * 0.75 points.
    writer.setResolution(96);
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout::Point);
    writer.setPageSize(QPageSize(QSizeF(size) * 0.75, QPageSize::Point, QString(),
                                 QPageSize::ExactMatch));
    QPainter painter(&writer);
    setPainterHints(painter);
    figure(&painter, QSizeF(size), figureScale(QSizeF(size)));
    painter.end();
    return pdf;
}

QList<QPointF> evenSubset(const QList<QPointF> &points, int count)
{
    QList<QPointF> subset;
    subset.reserve(count);
    for (int i = 0; i < count; ++i)
        subset.append(points[qsizetype(double(i) * double(points.size()) / count)]);
    return subset;
}

Figure mixtureFigure(MixtureChart *mixture)
{
    // Three charts stacked, each with its own title and axes: laid out taller than one chart,
    // so that each keeps room for its axis title.
    return [mixture](QPainter *painter, QSizeF size, double scale) {
        const double stacked = std::max(1.0, std::min(size.width() / kFigureLayoutWidth,
                                                       size.height() / (1.6 * kFigureLayoutHeight)));
        mixture->paint(painter, size, std::min(scale, stacked));
    };
}

// The slice cursor helps on screen and says nothing in a figure: hidden while the data chart is
// drawn, then put back.
Figure withoutScreenAids(DataChart *data)
{
    return [data](QPainter *painter, QSizeF size, double scale) {
        const double sliceX = data->sliceX();
        data->setSliceX(std::nan(""));
        paintChart(painter, data->chart(), size, scale);
        data->setSliceX(sliceX);
    };
}

Figure figureOf(const ChartSet &charts, ChartKind chart)
{
    switch (chart) {
    case ChartKind::DataAndFits:
        return withoutScreenAids(charts.data);
    case ChartKind::Loss:
        return chartFigure(charts.loss->chart());
    case ChartKind::Mixture:
        return mixtureFigure(charts.mixture);
    case ChartKind::Slice:
        break;
    }
    return chartFigure(charts.slice->chart());
}

} // namespace

QString exportFormatName(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Png:
        return QStringLiteral("png");
    case ExportFormat::Svg:
        return QStringLiteral("svg");
    case ExportFormat::Pdf:
        break;
    }
    return QStringLiteral("pdf");
}

std::optional<ExportFormat> exportFormatFromName(const QString &name)
{
    for (ExportFormat f : {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf})
        if (name.compare(exportFormatName(f), Qt::CaseInsensitive) == 0)
            return f;
    return std::nullopt;
}

std::optional<ExportFormat> exportFormatForPath(const QString &path)
{
    return exportFormatFromName(QFileInfo(path).suffix());
}

QStringList exportNameFilters()
{
    return {tr("PNG image (*.png)"), tr("SVG vector image (*.svg)"), tr("PDF document (*.pdf)")};
}

std::pair<QString, ExportFormat> exportTargetFor(const QString &path, const QString &selectedFilter)
{
    if (const auto format = exportFormatForPath(path))
        return {path, *format};
    ExportFormat format = ExportFormat::Png;
    for (ExportFormat f : {ExportFormat::Svg, ExportFormat::Pdf})
        if (selectedFilter.contains(QStringLiteral("*.") + exportFormatName(f)))
            format = f;
    return {path + QLatin1Char('.') + exportFormatName(format), format};
}

double figureScale(QSizeF size)
{
    return std::max(1.0, std::min(size.width() / kFigureLayoutWidth,
                                  size.height() / kFigureLayoutHeight));
}

void paintChart(QPainter *painter, QChart *chart, QSizeF size, double scale)
{
    if (!chart || !chart->scene() || size.isEmpty())
        return;
    // Laid out at the figure's layout size (rather than scaling a screen-sized picture), so the
    // axes get the ticks that belong to the figure; drawn enlarged by `scale`.
    const QSizeF oldSize = chart->size();
    chart->resize(size / scale);
    settleLayout(chart);
    // Scatter series drawn with a "light marker" put one small raster image per point into a
    // vector file; without it Qt Charts draws each marker as a circle.
    // A scatter of more than kMaxVectorMarkers points is drawn as an evenly spread subset of
    // that many, so that the file stays a reasonable size.
    struct Saved {
        QScatterSeries *series;
        QImage lightMarker;
        QList<QPointF> points;
    };
    QList<Saved> saved;
    const QPaintEngine::Type engine = painter->paintEngine()->type();
    if (engine == QPaintEngine::SVG || engine == QPaintEngine::Pdf)
        for (QAbstractSeries *series : chart->series())
            if (auto *scatter = qobject_cast<QScatterSeries *>(series)) {
                saved.append({scatter, scatter->lightMarker(), scatter->points()});
                // Thinned first: without the light marker every point becomes a graphics item.
                if (scatter->count() > kMaxVectorMarkers)
                    scatter->replace(evenSubset(saved.back().points, kMaxVectorMarkers));
                scatter->setLightMarker(QImage());
            }
    chart->scene()->render(painter, QRectF(QPointF(), size), chart->sceneBoundingRect(),
                           Qt::IgnoreAspectRatio);
    for (const Saved &s : saved) {
        s.series->setLightMarker(s.lightMarker);
        if (s.series->count() != s.points.size())
            s.series->replace(s.points);
    }
    chart->resize(oldSize);
    settleLayout(chart);
}

Figure chartFigure(QChart *chart)
{
    return [chart](QPainter *painter, QSizeF size, double scale) {
        paintChart(painter, chart, size, scale);
    };
}

QImage renderFigure(const Figure &figure, QSize pixelSize)
{
    if (pixelSize.isEmpty())
        return QImage();
    QImage image(pixelSize, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    setPainterHints(painter);
    figure(&painter, QSizeF(pixelSize), figureScale(QSizeF(pixelSize)));
    return image;
}

QImage renderChart(QChart *chart, QSize pixelSize)
{
    if (!chart || !chart->scene())
        return QImage();
    return renderFigure(chartFigure(chart), pixelSize);
}

bool exportFigure(const Figure &figure, const QString &path, QSize size, ExportFormat format,
                  QString *error)
{
    if (size.width() < kMinExportSide || size.height() < kMinExportSide ||
        size.width() > kMaxExportSide || size.height() > kMaxExportSide)
        return failWith(error, path,
                        tr("image size %1 x %2 is outside %3 to %4 pixels per side")
                            .arg(size.width())
                            .arg(size.height())
                            .arg(kMinExportSide)
                            .arg(kMaxExportSide));
    QByteArray bytes;
    switch (format) {
    case ExportFormat::Png: {
        const QImage image = renderFigure(figure, size);
        QString why = tr("the chart could not be drawn");
        if (!image.isNull())
            bytes = encodePng(image, &why);
        if (bytes.isEmpty())
            return failWith(error, path, why);
        break;
    }
    case ExportFormat::Svg:
        bytes = encodeSvg(figure, size);
        break;
    case ExportFormat::Pdf:
        bytes = encodePdf(figure, size);
        break;
    }
    if (bytes.isEmpty())
        return failWith(error, path, tr("the chart could not be drawn"));
    return writeExportFile(bytes, path, error);
}

bool exportChartPng(QChart *chart, const QString &path, QSize pixelSize, QString *error)
{
    if (!chart || !chart->scene())
        return failWith(error, path, tr("no chart to export"));
    return exportFigure(chartFigure(chart), path, pixelSize, ExportFormat::Png, error);
}

QString chartFileName(ChartKind chart, ExportFormat format)
{
    static const char *const names[] = {"data-and-fits", "loss", "mixture-parameters", "slice"};
    return QLatin1String(names[int(chart)]) + QLatin1Char('.') + exportFormatName(format);
}

bool exportChart(const ChartSet &charts, ChartKind chart, const QString &path, QSize size,
                 ExportFormat format, QString *error)
{
    return exportFigure(figureOf(charts, chart), path, size, format, error);
}

bool exportCharts(const ChartSet &charts, const QString &dir, QSize size, ExportFormat format,
                  QString *error)
{
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = tr("%1: cannot create the folder").arg(QDir::toNativeSeparators(dir));
        return false;
    }
    const QDir d(dir);
    for (ChartKind chart : kAllCharts)
        if (!exportChart(charts, chart, d.filePath(chartFileName(chart, format)), size, format, error))
            return false;
    return true;
}

bool writeExportFile(const QByteArray &bytes, const QString &path, QString *error)
{
    // Written by the writer the datasets use: QSaveFile (Qt 6.4) loses the error of a buffered
    // write that fails at commit (disk full) and then renames the empty temporary file over the
    // old picture, and it ignores a failed fsync.
    const std::string file = QFile::encodeName(path).toStdString();
    std::string why;
    if (!mdn::writeFileAtomically(file, std::string_view(bytes.constData(), std::size_t(bytes.size())),
                                  why)) {
        const std::string prefix = "cannot write '" + file + "': "; // failWith names the file
        return failWith(error, path,
                        QString::fromStdString(why.compare(0, prefix.size(), prefix) == 0
                                                   ? why.substr(prefix.size())
                                                   : why));
    }
    return true;
}

} // namespace mdnviz
