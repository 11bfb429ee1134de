#pragma once
// The main window: the charts in the centre, the settings dock, the menus, and the training
// worker in its own thread. The GUI thread never trains and never reads a file.

#include "animationexport.h"
#include "chartexport.h"
#include "chartset.h"
#include "csv.h"
#include "losschart.h"
#include "dataset.h"
#include "presets.h"
#include "rng.h"
#include "settings.h"
#include "snapshot.h"
#include "sweep.h"
#include "trainingrecorder.h"

#include <QList>
#include <QMainWindow>
#include <QPointer>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QJsonObject;
class QLabel;
class QMenu;
class QProgressDialog;
class QTabWidget;
class QUndoStack;

namespace mdnviz {

class CompareView;
class DataChart;
class ElidedLabel;
class JointView;
class WorkspaceView;
class HealthPanel;
class MixtureChart;
class SettingsDock;
class SliceChart;
class TrainingWorker;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // loadStoredSettings: start from the settings of the last session (QSettings).
    // The stored settings with the command line's on top (see launchsettings.h).
    using LaunchSettings = std::function<Settings(const Settings &stored)>;
    // `launch`, when given, sets the initial settings from the stored ones before any data or
    // model is made, so that they are made once.
    explicit MainWindow(bool loadStoredSettings = true, QWidget *parent = nullptr,
                        const LaunchSettings &launch = {});
    ~MainWindow() override;

    const mdn::Dataset &dataset() const { return m_data; }
    Settings settings() const { return m_settings; }
    long epoch() const { return m_lastEpoch; } // of the last snapshot drawn
    bool isTraining() const { return m_running; }
    // Not training, and the last snapshot (the one taken when training stopped) is drawn.
    bool isIdle() const { return !m_running && !m_lastShownRunning && !m_pending && !m_showing; }
    QString lastError() const { return m_lastError; }
    DataChart *dataChart() const { return m_dataChart; }
    LossChart *lossChart() const { return m_lossChart; }
    MixtureChart *mixtureChart() const { return m_mixtureChart; }
    SliceChart *sliceChart() const { return m_sliceChart; }
    HealthPanel *healthPanel() const { return m_health; }
    QTabWidget *tabs() const { return m_tabs; }
    // Data with two inputs and two targets (Bishop's robot arm above all): the plane of the
    // inputs with a target to drag, and the plane of the targets with the MDN's density there.
    WorkspaceView *workspaceView() const { return m_workspace; }
    JointView *jointView() const { return m_joint; }
    int planesTab() const { return m_planesTab; }
    SettingsDock *settingsDock() const { return m_dock; }
    // Compare: several MDN runs side by side on the same data and split (small multiples of the
    // fits, a loss curve per run, a table); a click on a run shows it in the other tabs.
    CompareView *compareView() const { return m_compare; }
    int compareTab() const { return m_compareTab; }
    // Compare ▸ Add Run… / Sweep… / Auto, without their dialogs: runs that change the given
    // settings (see TrainingWorker::addRuns), the automatic choice, one run shown (its index in
    // the session), the added runs dropped.
    void addRuns(const std::vector<mdn::RunChange> &changes);
    void autoChoose();
    void showRun(std::size_t run);
    void clearComparison();
    // Which weights the views draw (TrainingWorker::Weights: 0 latest, 1 best, 2 best once
    // training stops, the default).
    void setWeightsShown(int weights);
    bool isLoading() const { return m_loadJob != nullptr || m_sessionJob != nullptr; }
    bool isWorkerThreadRunning() const { return m_thread.isRunning(); }

    // Starts loading a CSV file off the GUI thread; on success it becomes the dataset (the models
    // reset), on failure the current dataset stays and the error is shown (and lastError() set).
    // Loads a CSV file on a pool thread; `columns` chooses the inputs and targets of a wider file.
    void openDataset(const QString &path, const mdn::CsvColumns &columns = {});
    // Writes the whole session (data, settings, models with their training state, and the view:
    // tab, target, slice) atomically (sessionfile.h). Its state is taken on the worker's thread
    // between two training slices, so training may go on. False with a one-line reason.
    bool saveSession(const QString &path, QString *error);
    // As saveSession, without waiting: the worker encodes the session between two slices, the
    // GUI writes it; sessionSaved says how it ended (with an error box on failure).
    void saveSessionInBackground(const QString &path);
    // Reads and checks a session file on a pool thread, then makes it the window's: its data,
    // settings, models, loss curves and view, paused at its epoch. A bad file: an error box with
    // the reason (and lastError() set), the current session kept. sessionOpened tells which.
    void openSession(const QString &path);
    // File ▸ Recent: the newest first ("dataset:" or "session:" and the path).
    QStringList recentFiles() const;
    static constexpr int kMaxRecentFiles = 8;

    // Writes the dataset atomically. Returns false with *error set on failure.
    bool saveDataset(const QString &path, QString *error);
    // Renders the Data & fits chart at the size into a PNG, SVG or PDF file (by its suffix;
    // PNG for any other).
    bool exportDataChart(const QString &path, QSize size, QString *error);
    // Renders every chart into dir, one file each named after the chart (chartFileName()).
    bool exportAllCharts(const QString &dir, QSize size, QString *error,
                         ExportFormat format = ExportFormat::Png);
    // Writes the Data & fits chart at the epochs recorded since the models were built (up to
    // kDefaultAnimationFrames, evenly spread, and the newest) as an animated GIF.
    bool exportTrainingAnimation(const QString &path, QString *error);
    const TrainingRecorder &recorder() const { return m_recorder; }
    // Applies settings as if edited in the dock.
    void applySettings(const Settings &settings);
    // The settings the command line gave for this launch (on top of the saved ones), and the
    // options given that only the headless trainer acts on (named in the status bar). Unless
    // they are edited, closing the window leaves the saved settings as they were.
    // Says which command-line options the window does not act on.
    void showIgnoredOptions(const QStringList &ignoredOptions);
    void applyLaunchSettings(const Settings &settings, const QStringList &ignoredOptions = {});
    // Whether Edit ▸ Undo has something to undo: a data edit (a stroke, Clear, Regenerate, an
    // opened file), or models that a reset or a new setting replaced.
    bool canUndo() const;
    QUndoStack *undoStack() const { return m_undoStack; }

    // Edit ▸ Draw Data: strokes in the data chart add points (left button) or erase them (right
    // button, or Shift); each stroke is one data edit, trained on when it ends. One input and one
    // target only: the action is disabled for other data.
    QAction *drawAction() const { return m_drawAction; }
    bool isDrawing() const;
    // The brush: its radius as a fraction of each axis's range (the points scatter with half of
    // it as standard deviation), and the points it adds at each step of a stroke
    // (DataChart::kBrushStepPx).
    void setBrush(double radiusFraction, int pointsPerStep);
    double brushRadiusFraction() const { return m_brushRadius; }
    int brushPointsPerStep() const { return m_brushRate; }
    static constexpr double kDefaultBrushRadius = 0.04;
    static constexpr int kDefaultBrushRate = 2;

    // Stops training and joins the worker thread (idempotent).
    void shutdown();

public slots:
    void train();
    void pause();
    void step();
    void resetModels();
    // New data from the generator (for drawn data: the generator's data again).
    void regenerate();
    // Empties the data (one input and one target only), to draw afresh.
    void clearData();
    void setDrawing(bool on);
    // Edit ▸ Undo and Redo (see canUndo). Undoing a change that replaced trained models brings
    // them back, paused, while the worker still holds them (until the next change of models).
    void undo();
    void redo();
    void showHelp();

signals:
    void datasetChanged();
    void loadFinished(bool ok);
    void sessionOpened(bool ok);
    void sessionSaved(bool ok, const QString &path);
    void snapshotShown(long epoch);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    struct LoadJob;
    struct SessionJob;
    // What a destructive change replaced, on the window's side (the worker keeps the models).
    struct UndoRecord {
        Settings settings;
        mdn::Dataset data;
        LossChart::History losses;
        quint64 ticket = 0; // of the models' replacement (replaceModels) this undoes
        QString what;       // the change, for Edit ▸ Undo's text
    };
    class EditCommand;

    void createActions();
    void createPresetsMenu();
    void fillPresetsMenu();
    void applyPresetToWindow(const mdn::Preset &preset);
    void savePresetDialog();
    void createWorker();
    void createCompareMenu();
    void addRunDialog();
    void sweepDialog();
    void removeShownRun();
    void setDataset(mdn::Dataset data, const Settings &settings);
    void showDataset();
    void regenerateWith(const Settings &settings);
    void rememberForUndo(const QString &what);
    void onUndoAvailable(bool available, long epoch);
    // Replaces the data (and settings) as one step of Edit ▸ Undo named `what`.
    void editData(const QString &what, mdn::Dataset data, const Settings &settings);
    // The edit commands' two directions: back to `before` (with its trained models when the
    // worker still has them for `ticket`), and forward again to `after` (new models); the
    // latter returns the replacement's ticket.
    void restoreEdit(const UndoRecord &before, quint64 ticket);
    quint64 reapplyEdit(const UndoRecord &after);
    QWidget *createDrawBar();
    void updateDrawAvailability();
    void onBrushAt(QPointF value, bool erase);
    void finishStroke();
    void queueSnapshot(const mdn::Snapshot &s);
    void replaceModels(std::function<void()> onWorker);
    void showPendingSnapshot();
    void showSnapshotStage(int stage, quint64 generation);
    void dropQueuedSnapshots();
    void showError(const QString &title, const QString &text);
    void showStatus(const QString &text, int timeoutMs = 0);
    void rememberFolder(const QString &folder);
    void onRunningChanged(bool running);
    void finishLoad();
    void openDatasetDialog();
    void openDatasetAsking(const QString &path);
    void openSessionDialog();
    void finishSessionOpen();
    void waitForSessionJob();
    void writeEncodedSession(const QString &path, const QByteArray &bytes, const QString &error);
    void saveSessionDialog();
    QJsonObject viewState() const;
    void restoreView(const QJsonObject &view);
    void addRecent(const QString &kind, const QString &path);
    void updateRecentMenu();
    void openRecent(const QString &entry);
    void saveDatasetDialog();
    void exportChartDialog();
    void exportAllDialog();
    void exportAnimationDialog();
    void about();
    void onTargetChanged(QPointF target);
    void showPlanes();

    Settings m_settings;
    mdn::Dataset m_data;
    DataChart *m_dataChart = nullptr;
    LossChart *m_lossChart = nullptr;
    MixtureChart *m_mixtureChart = nullptr;
    SliceChart *m_sliceChart = nullptr;
    HealthPanel *m_health = nullptr;
    QTabWidget *m_tabs = nullptr;
    WorkspaceView *m_workspace = nullptr;
    JointView *m_joint = nullptr;
    int m_planesTab = -1;
    CompareView *m_compare = nullptr;
    int m_compareTab = -1;
    std::size_t m_shownRun = 0; // the MDN run the views show, as the last snapshot said
    QList<QAction *> m_weightsActions;
    ChartSet m_charts;
    std::optional<mdn::Snapshot> m_pending; // arrived, not drawn yet
    std::optional<mdn::Snapshot> m_showing; // being drawn, stage by stage
    quint64 m_showGeneration = 0;           // bumped when the charts are cleared
    quint64 m_modelsRequested = 0, m_modelsBuilt = 0; // see replaceModels
    SettingsDock *m_dock = nullptr;
    ElidedLabel *m_statusLabel = nullptr;
    ElidedLabel *m_message = nullptr;
    QThread m_thread;
    TrainingWorker *m_worker = nullptr;
    bool m_running = false;
    long m_lastEpoch = 0;
    bool m_lastShownRunning = false;
    QString m_lastError;
    std::shared_ptr<LoadJob> m_loadJob;
    std::shared_ptr<SessionJob> m_sessionJob;
    QPointer<QProgressDialog> m_loadProgress;
    QSize m_exportSize{1600, 1000};
    TrainingRecorder m_recorder{kDefaultAnimationFrames}; // for File ▸ Export Training Animation…
    std::optional<UndoRecord> m_undo; // a model reset waiting for the worker to say it kept them
    quint64 m_workerUndoTicket = 0;   // the replacement whose previous models the worker keeps
    QUndoStack *m_undoStack = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_drawAction = nullptr;
    QAction *m_clearAction = nullptr;
    QWidget *m_drawBar = nullptr;
    std::optional<mdn::Dataset> m_stroke; // the data as the stroke being drawn leaves them
    bool m_strokeErases = false;
    double m_brushRadius = kDefaultBrushRadius;
    int m_brushRate = kDefaultBrushRate;
    mdn::Rng m_brushRng{20260101};
    QMenu *m_presetsMenu = nullptr;
    QPointer<QWidget> m_help;
    std::optional<Settings> m_launchSettings; // as the command line left them
    QString m_lastFolder; // of the file dialogs
    QMenu *m_recentMenu = nullptr;
    QStringList m_faultEvents; // of the models being trained, the newest last
};

} // namespace mdnviz
