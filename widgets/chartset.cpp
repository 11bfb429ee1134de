#include "chartset.h"

#include "chartexport.h"
#include "datachart.h"
#include "losschart.h"
#include "mixturechart.h"
#include "slicechart.h"

#include <QCoreApplication>
#include <QDir>

QStringList ChartSet::fileNames()
{
    return {QStringLiteral("data-and-fits.png"), QStringLiteral("loss.png"),
            QStringLiteral("mixture-parameters.png"), QStringLiteral("slice.png")};
}

void ChartSet::setDataset(const mdn::Dataset &d, std::optional<mdn::Generator> generator, double noise)
{
    data->setDataset(d);
    data->clearFits();
    loss->clear();
    mixture->clear();
    slice->setDataset(d, generator, noise);
    data->setSliceX(slice->sliceX());
}

void ChartSet::showSnapshot(const mdn::Snapshot &s)
{
    for (int stage = 0; stage < snapshotStages; ++stage)
        showSnapshotStage(stage, s);
}

void ChartSet::showSnapshotStage(int stage, const mdn::Snapshot &s)
{
    switch (stage) {
    case 0:
        data->setSnapshot(s);
        break;
    case 1:
        loss->appendLosses(s.losses);
        loss->setBayesNll(s.bayesNll);
        break;
    default:
        mixture->setSnapshot(s);
        slice->setSnapshot(s);
        data->setSliceX(slice->sliceX());
        break;
    }
}

void ChartSet::applyView(const mdnviz::Settings &s)
{
    DataChart::Overlays o;
    o.density = s.showDensity;
    o.logScale = s.densityLogScale;
    o.data = s.showData;
    o.samples = s.showSamples;
    o.mean = s.showMean;
    o.mode = s.showMode;
    o.bands = s.showBands;
    data->setOverlays(o);
}

bool ChartSet::exportAll(const QString &dir, QSize size, QString *error) const
{
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = QCoreApplication::translate("ChartExport", "%1: cannot create the folder")
                         .arg(QDir::toNativeSeparators(dir));
        return false;
    }
    const QDir d(dir);
    const QStringList names = fileNames();
    return exportChartPng(data->chart(), d.filePath(names[0]), size, error) &&
           exportChartPng(loss->chart(), d.filePath(names[1]), size, error) &&
           writePng(mixture->render(size), d.filePath(names[2]), error) &&
           exportChartPng(slice->chart(), d.filePath(names[3]), size, error);
}
