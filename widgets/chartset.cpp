#include "chartset.h"

#include "chartexport.h"
#include "datachart.h"
#include "losschart.h"
#include "mixturechart.h"
#include "slicechart.h"

namespace mdnviz {

QStringList ChartSet::fileNames()
{
    QStringList names;
    for (ChartKind chart : kAllCharts)
        names << chartFileName(chart, ExportFormat::Png);
    return names;
}

void ChartSet::setDataset(const mdn::Dataset &all, std::optional<mdn::Generator> generator, double noise)
{
    // The charts plot one input against one target: of a larger set, the first of each.
    const mdn::Dataset projected = all.oneDimensional() ? mdn::Dataset() : all.projection();
    const mdn::Dataset &d = all.oneDimensional() ? all : projected;
    data->setDataset(d);
    data->clearFits();
    loss->clear();
    mixture->clear();
    QStringList inputs, targets;
    for (int c = 0; c < all.inputDims; ++c)
        inputs << QString::fromStdString(all.inputName(c));
    for (int c = 0; c < all.targetDims; ++c)
        targets << QString::fromStdString(all.targetName(c));
    mixture->setColumnNames(inputs, targets);
    // A generator's true density is of one target given one input: of a projection it says nothing.
    slice->setDataset(d, all.oneDimensional() ? generator : std::nullopt, noise);
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
    case 2:
        mixture->setSnapshotPart(s, MixtureChart::Pi);
        slice->setSnapshot(s);
        data->setSliceX(slice->sliceX());
        break;
    case 3:
        mixture->setSnapshotPart(s, MixtureChart::Mu);
        break;
    default:
        mixture->setSnapshotPart(s, MixtureChart::Sigma);
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
    return exportCharts(*this, dir, size, ExportFormat::Png, error);
}

} // namespace mdnviz
