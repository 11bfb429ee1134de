#pragma once
// The command line's figures: the chart exports (PNG, SVG, PDF, a folder of them) and the
// training animation, and the frames the headless trainer records for it while training.

#include "chartexport.h"
#include "datachart.h"
#include "dataset.h"
#include "snapshot.h"
#include "trainingrecorder.h"

#include <QList>
#include <QString>

class QCommandLineOption;
class QCommandLineParser;

namespace mdnviz {

struct ChartSet;
struct Options;

// The figure options, in the order --help lists them.
QList<QCommandLineOption> figureOptions();
// Reads them into `o`; on a bad value or a combination that means nothing returns false and
// sets error to one line.
bool readFigureOptions(const QCommandLineParser &parser, Options &o, QString &error);
// Whether the run is asked for chart figures or an animation (then the losses are kept).
bool wantsFigures(const Options &o);
// What the snapshots of a headless run draw besides the models (samples, temperatures).
mdn::SnapshotRequest snapshotRequest(const Options &o);
// Writes the chart figures the options ask for; on failure false with error set.
bool exportFigures(const Options &o, const ChartSet &charts, QString &error);

// The frames of --export-animation. The headless trainer trains each model on its own thread:
// each records its own part of a frame (the MSE curve; the MDN's samples, mixture and density)
// at the same planned epochs, and the parts are put together at the end.
class HeadlessAnimation {
public:
    HeadlessAnimation(const Options &o, const mdn::Dataset &data);

    bool enabled() const { return m_enabled; }
    // From the training thread of `t` after each epoch, and before the first (epoch 0). Cheap
    // when no frame is due.
    void record(const mdn::Trainer &t);
    // Draws the frames with `overlays` into the GIF the options name.
    bool write(const DataChart::Overlays &overlays, QString &error) const;
    std::vector<mdn::Snapshot> frames() const;

private:
    const Options &m_options;
    const mdn::Dataset &m_data;
    bool m_enabled;
    mdn::SnapshotRequest m_request;
    TrainingRecorder m_mse, m_mdn;
};

} // namespace mdnviz
