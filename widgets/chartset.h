#pragma once
// Every chart the window shows, fed from one snapshot and exported as one PNG per chart. The
// window and the headless trainer share it, so that both write the same files.

#include "dataset.h"
#include "settings.h"
#include "snapshot.h"

#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>

namespace mdnviz {

class DataChart;
class LossChart;
class MixtureChart;
class SliceChart;

struct ChartSet {
    DataChart *data = nullptr;
    LossChart *loss = nullptr;
    MixtureChart *mixture = nullptr;
    SliceChart *slice = nullptr;

    // File names of the export, in the order of the charts above.
    static QStringList fileNames();

    // New data: the data chart's points and axes, the slice's histogram and true density
    // (`generator` empty for a file); the fits are cleared.
    void setDataset(const mdn::Dataset &data, std::optional<mdn::Generator> generator, double noise);
    // One snapshot into every chart (the losses are appended).
    void showSnapshot(const mdn::Snapshot &snapshot);
    // The same in stages 0 .. snapshotStages - 1, each a chart or two: the data chart; the loss
    // chart; the slice and the mixing weights; the means; the widths. A window runs its event loop
    // between them, so that taking in and drawing a snapshot never holds up input for long.
    static constexpr int snapshotStages = 5;
    void showSnapshotStage(int stage, const mdn::Snapshot &snapshot);
    // The view options of the settings.
    void applyView(const mdnviz::Settings &settings);

    // Writes every chart into `dir` (created if missing) at `size`. Stops at the first failure
    // with *error set.
    bool exportAll(const QString &dir, QSize size, QString *error) const;
};

} // namespace mdnviz
