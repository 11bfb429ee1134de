#include "figures.h"

#include "animationexport.h"
#include "chartset.h"
#include "cli.h"
#include "datachart.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

namespace mdnviz {

namespace {

struct FigureOption {
    const char *name;
    const char *help;
    const char *value;
};

const FigureOption kFigureOptions[] = {
    {"export-svg", "After training, render the Data & fits chart into this SVG file: text as "
                   "text, curves as paths, the density as one image.", "file"},
    {"export-pdf", "The same into a one-page PDF file (the page is --size in CSS pixels).", "file"},
    {"format", "Format of the --export-dir files: png, svg or pdf (default png).", "png|svg|pdf"},
    {"export-animation", "Write the Data & fits chart at evenly spaced epochs of the run, as "
                         "recorded while training, into this animated GIF.", "file.gif"},
    {"frames", "Frames of the animation (default 60; fewer for a run of fewer epochs).", "N"},
    {"fps", "Frames per second of the animation (default 10).", "F"},
};

bool readInt(const QCommandLineParser &p, const char *name, int lo, int hi, int &out, QString &error)
{
    const QString text = p.value(QLatin1String(name));
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok || v < lo || v > hi) {
        error = QStringLiteral("--%1 %2: expected a whole number from %3 to %4")
                    .arg(QLatin1String(name), text)
                    .arg(lo)
                    .arg(hi);
        return false;
    }
    out = v;
    return true;
}

// An option that only qualifies another, given without it, is a mistake worth a word.
bool needs(const QCommandLineParser &p, const char *option, const char *other, QString &error)
{
    if (p.isSet(QLatin1String(option)) && !p.isSet(QLatin1String(other))) {
        error = QStringLiteral("--%1 applies to --%2, which is not given").arg(QLatin1String(option), QLatin1String(other));
        return false;
    }
    return true;
}

} // namespace

QList<QCommandLineOption> figureOptions()
{
    QList<QCommandLineOption> options;
    for (const FigureOption &o : kFigureOptions)
        options << QCommandLineOption(QLatin1String(o.name), QLatin1String(o.help), QLatin1String(o.value));
    return options;
}

bool readFigureOptions(const QCommandLineParser &p, Options &o, QString &error)
{
    // As for the other file options: an empty name (an unset shell variable) is no "none".
    for (const FigureOption &f : kFigureOptions) {
        const QLatin1String name(f.name);
        if (QLatin1String(f.value).startsWith(QLatin1String("file")) && p.isSet(name) && p.value(name).isEmpty()) {
            error = QStringLiteral("--%1: the file name is empty").arg(name);
            return false;
        }
    }
    o.exportSvg = p.value(QStringLiteral("export-svg"));
    o.exportPdf = p.value(QStringLiteral("export-pdf"));
    o.exportAnimation = p.value(QStringLiteral("export-animation"));
    if (!needs(p, "format", "export-dir", error) || !needs(p, "frames", "export-animation", error) ||
        !needs(p, "fps", "export-animation", error))
        return false;
    if (p.isSet(QStringLiteral("format"))) {
        const auto format = exportFormatFromName(p.value(QStringLiteral("format")));
        if (!format) {
            error = QStringLiteral("--format %1: expected png, svg or pdf").arg(p.value(QStringLiteral("format")));
            return false;
        }
        o.exportDirFormat = *format;
    }
    // --size (read with the other options) sets the animation's size too.
    if (p.isSet(QStringLiteral("size")))
        o.animationSize = o.exportSize;
    return (!p.isSet(QStringLiteral("frames")) ||
            readInt(p, "frames", 2, kMaxAnimationFrames, o.animationFrames, error)) &&
           (!p.isSet(QStringLiteral("fps")) ||
            readInt(p, "fps", 1, kMaxAnimationFps, o.animationFps, error));
}

bool wantsFigures(const Options &o)
{
    return !o.exportPng.isEmpty() || !o.exportSvg.isEmpty() || !o.exportPdf.isEmpty() ||
           !o.exportDir.isEmpty() || !o.exportAnimation.isEmpty();
}

mdn::SnapshotRequest snapshotRequest(const Options &o)
{
    mdn::SnapshotRequest r;
    r.samplesPerX = o.samplesPerX;
    r.sampleSeed = o.generator.seed + 1;
    r.piTemperature = o.piTemperature;
    r.sigmaTemperature = o.sigmaTemperature;
    r.pathThrough = o.target;
    return r;
}

bool exportFigures(const Options &o, const ChartSet &charts, QString &error)
{
    const std::pair<const QString &, ExportFormat> files[] = {
        {o.exportPng, ExportFormat::Png}, {o.exportSvg, ExportFormat::Svg}, {o.exportPdf, ExportFormat::Pdf}};
    for (const auto &[path, format] : files)
        if (!path.isEmpty() &&
            !exportChart(charts, ChartKind::DataAndFits, path, o.exportSize, format, &error))
            return false;
    return o.exportDir.isEmpty() || exportCharts(charts, o.exportDir, o.exportSize, o.exportDirFormat, &error);
}

HeadlessAnimation::HeadlessAnimation(const Options &o, const mdn::Dataset &data)
    : m_options(o), m_data(data), m_enabled(!o.exportAnimation.isEmpty()),
      m_request(snapshotRequest(o)), m_mse(o.animationFrames, o.epochs), m_mdn(o.animationFrames, o.epochs)
{
}

void HeadlessAnimation::record(const mdn::Trainer &t)
{
    const bool isMdn = t.config().kind == mdn::ModelKind::Mdn;
    TrainingRecorder &recorder = isMdn ? m_mdn : m_mse;
    if (!m_enabled || !recorder.wants(t.epoch()))
        return;
    mdn::Snapshot s;
    s.epoch = t.epoch();
    mdn::fillSnapshot(s, isMdn ? nullptr : &t, isMdn ? &t : nullptr, m_data, m_request);
    recorder.record(s);
}

std::vector<mdn::Snapshot> HeadlessAnimation::frames() const
{
    return combineModelFrames(m_mdn.frames(), m_mse.frames());
}

bool HeadlessAnimation::write(const DataChart::Overlays &overlays, QString &error) const
{
    return !m_enabled || exportTrainingAnimation(m_data, overlays, frames(), m_options.exportAnimation,
                                                 m_options.animationSize, m_options.animationFps, &error);
}

} // namespace mdnviz
