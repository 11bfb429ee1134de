#include "chartexport.h"

#include "csv.h"

#include <QChart>
#include <QCoreApplication>
#include <QDir>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QImageWriter>
#include <QPainter>
#include <QBuffer>
#include <QFile>

namespace {

// Resizing lays the chart out at once, but views that adapt their axes to the new plot area
// (tick density) invalidate the layout again; run those pending passes now instead of in the
// event loop, so that the picture has the axes that belong to its size.
void settleLayout(QChart *chart)
{
    QGraphicsLayout *layout = chart->layout();
    for (int pass = 0; layout && pass < 4 && !layout->isActivated(); ++pass)
        layout->activate();
}

} // namespace

QImage renderChart(QChart *chart, QSize pixelSize)
{
    if (!chart || !chart->scene() || pixelSize.isEmpty())
        return QImage();

    QImage image(pixelSize, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);

    // Laying the chart out at the target size (rather than scaling a screen-sized picture) keeps
    // text and lines at their normal pixel sizes and gives a large export more ticks, not
    // blurrier ones.
    const QSizeF oldSize = chart->size();
    chart->resize(QSizeF(pixelSize));
    settleLayout(chart);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        chart->scene()->render(&painter, QRectF(QPointF(), QSizeF(pixelSize)),
                               chart->sceneBoundingRect(), Qt::IgnoreAspectRatio);
    }
    chart->resize(oldSize);
    settleLayout(chart);
    return image;
}

bool exportChartPng(QChart *chart, const QString &path, QSize pixelSize, QString *error)
{
    const auto fail = [&](const QString &reason) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), reason);
        return false;
    };
    if (!chart)
        return fail(QCoreApplication::translate("ChartExport", "no chart to export"));
    if (pixelSize.width() < kMinExportSide || pixelSize.height() < kMinExportSide ||
        pixelSize.width() > kMaxExportSide || pixelSize.height() > kMaxExportSide)
        return fail(QCoreApplication::translate("ChartExport",
                                                "image size %1 x %2 is outside %3 to %4 pixels "
                                                "per side")
                        .arg(pixelSize.width())
                        .arg(pixelSize.height())
                        .arg(kMinExportSide)
                        .arg(kMaxExportSide));

    const QImage image = renderChart(chart, pixelSize);
    if (image.isNull())
        return fail(QCoreApplication::translate("ChartExport", "the chart could not be drawn"));
    return writePng(image, path, error);
}

bool writePng(const QImage &image, const QString &path, QString *error)
{
    const auto fail = [&](const QString &reason) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), reason);
        return false;
    };
    if (image.isNull())
        return fail(QCoreApplication::translate("ChartExport", "the chart could not be drawn"));
    // Encoded in memory, then written by the writer the datasets use: QSaveFile (Qt 6.4) loses
    // the error of a buffered write that fails at commit (disk full) and then renames the empty
    // temporary file over the old picture, and it ignores a failed fsync.
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "png");
    if (!writer.write(image))
        return fail(writer.errorString());
    const std::string file = QFile::encodeName(path).toStdString();
    std::string why;
    if (!mdn::writeFileAtomically(file, std::string_view(png.constData(), std::size_t(png.size())),
                                  why)) {
        const std::string prefix = "cannot write '" + file + "': "; // fail() names the file
        return fail(QString::fromStdString(why.compare(0, prefix.size(), prefix) == 0
                                               ? why.substr(prefix.size())
                                               : why));
    }
    return true;
}
