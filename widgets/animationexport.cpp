#include "animationexport.h"

#include "chartexport.h"
#include "colormap.h"
#include "gifencoder.h"

#include <QChart>
#include <QCoreApplication>
#include <QDir>

#include <cmath>

namespace mdnviz {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("AnimationExport", text); }

} // namespace

bool exportTrainingAnimation(const mdn::Dataset &data, const DataChart::Overlays &overlays,
                             const std::vector<mdn::Snapshot> &frames, const QString &path,
                             QSize size, int fps, QString *error)
{
    const auto fail = [&](const QString &reason) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), reason);
        return false;
    };
    if (frames.empty())
        return fail(tr("no training to animate: train the models first"));
    if (size.width() < kMinExportSide || size.height() < kMinExportSide ||
        size.width() > kMaxExportSide || size.height() > kMaxExportSide)
        return fail(tr("image size %1 x %2 is outside %3 to %4 pixels per side")
                        .arg(size.width())
                        .arg(size.height())
                        .arg(kMinExportSide)
                        .arg(kMaxExportSide));
    if (fps < 1 || fps > kMaxAnimationFps)
        return fail(tr("%1 frames per second is outside 1 to %2").arg(fps).arg(kMaxAnimationFps));

    DataChart chart;
    chart.setDataset(data.oneDimensional() ? data : data.projection());
    chart.setOverlays(overlays);
    chart.setSliceX(std::nan(""));
    const Figure figure = chartFigure(chart.chart());
    QList<QImage> images;
    for (const mdn::Snapshot &s : frames) {
        chart.setSnapshot(s);
        chart.chart()->setTitle(tr("Data & fits — epoch %L1").arg(s.epoch));
        QImage image = renderFigure(figure, size);
        image.convertTo(QImage::Format_RGB32); // in place: the encoder then needs no copy
        images << image;
    }

    GifOptions options;
    options.delayCentiseconds = int(std::lround(100.0 / fps));
    // The density's ramp keeps entries of its own, so that it stays smooth in every frame.
    for (int i = 0; i < 64; ++i)
        options.keepColours << densityColour(i / 63.0).rgb();
    QString why;
    const QByteArray gif = encodeGif(images, options, &why);
    if (gif.isEmpty())
        return fail(why);
    return writeExportFile(gif, path, error);
}

} // namespace mdnviz
