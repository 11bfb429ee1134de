#include "mainwindow.h"

#include "columnsdialog.h"

#include "cachedchartview.h"
#include "chartexport.h"
#include "compareviews.h"
#include "csv.h"
#include "datachart.h"
#include "armviews.h"
#include "elidedlabel.h"
#include "tooltips.h"
#include "exportdialogs.h"
#include "healthpanel.h"
#include "helppanel.h"
#include "losschart.h"
#include "mixturechart.h"
#include "presetstore.h"
#include "settingsdock.h"
#include "slicechart.h"
#include "worker.h"

#include <QAction>
#include <QChart>
#include <QChartView>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressDialog>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <optional>

namespace mdnviz {

// A CSV file being read on a pool thread. The GUI polls its progress and may cancel it.
struct MainWindow::LoadJob {
    QString path;
    mdn::CsvColumns columns;
    std::atomic<std::uint64_t> done{0}, total{0};
    std::atomic<bool> cancel{false};
    mdn::Dataset data;
    mdn::CsvError error;
    bool ok = false;
    QFutureWatcher<void> watcher;
    QTimer poll;
};

namespace {

QString formatLoss(double v)
{
    if (!std::isfinite(v))
        return QStringLiteral("–");
    return QString::number(v, 'f', std::abs(v) >= 100 ? 1 : 3);
}

} // namespace

MainWindow::MainWindow(bool loadStoredSettings, QWidget *parent, const LaunchSettings &launch)
    : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("mdnviz %1").arg(QApplication::applicationVersion()));
    setWindowIcon(QIcon(QStringLiteral(":/mdnviz/mdnviz.png")));
    setAcceptDrops(true);
    WrappingToolTips::install();

    m_dataChart = new DataChart;
    m_lossChart = new LossChart;
    m_sliceChart = new SliceChart;
    ignoreViewActivation(m_sliceChart->scene()); // the others do so themselves
    m_mixtureChart = new MixtureChart;
    m_health = new HealthPanel;
    m_charts = ChartSet{m_dataChart, m_lossChart, m_mixtureChart, m_sliceChart};

    // The data across the top, the losses and the slice (a click in the data moves it) below;
    // Bishop's mixture parameters on a second tab; the health line under both. The data chart
    // keeps the full width: its density image and cursor are what one reads most closely.
    auto *bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(m_lossChart);
    bottom->addWidget(m_sliceChart);
    // Half each: the slice's title and legend need the room more than the loss curves do.
    bottom->setStretchFactor(0, 1);
    bottom->setStretchFactor(1, 1);
    auto *splitter = new QSplitter(Qt::Vertical);
    auto *dataPane = new QWidget; // the data chart, with the drawing bar above it
    auto *dataPaneLayout = new QVBoxLayout(dataPane);
    dataPaneLayout->setContentsMargins(0, 0, 0, 0);
    dataPaneLayout->setSpacing(0);
    dataPaneLayout->addWidget(m_dataChart, 1);
    splitter->addWidget(dataPane);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 3);
    // At 1280 x 800 every pixel of height counts: the lower charts give up the default 20-pixel
    // margins around them.
    for (QChartView *view : {static_cast<QChartView *>(m_lossChart), static_cast<QChartView *>(m_sliceChart)})
        view->chart()->setMargins(QMargins(6, 4, 6, 4));
    m_tabs = new QTabWidget;
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(splitter, tr("Fits && &loss"));
    m_tabs->addTab(m_mixtureChart, tr("&Mixture parameters"));
    m_workspace = new WorkspaceView;
    m_joint = new JointView;
    auto *planes = new QSplitter(Qt::Horizontal);
    planes->addWidget(m_workspace);
    planes->addWidget(m_joint);
    m_planesTab = m_tabs->addTab(planes, tr("&Arm"));
    m_tabs->setTabVisible(m_planesTab, false); // until the data have two inputs and two targets
    m_compare = new CompareView;
    m_compareTab = m_tabs->addTab(m_compare, tr("C&ompare")); // Alt+C is the menu's
    connect(m_compare, &CompareView::runClicked, this, &MainWindow::showRun);
    connect(m_workspace, &WorkspaceView::targetChanged, this, &MainWindow::onTargetChanged);
    auto *central = new QWidget;
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_tabs, 1);
    centralLayout->addWidget(m_health);
    setCentralWidget(central);
    m_mixtureChart->followXAxis(m_dataChart->axisX());
    connect(m_dataChart, &DataChart::sliceRequested, m_sliceChart, &SliceChart::setSliceX);
    connect(m_sliceChart, &SliceChart::sliceMoved, m_dataChart, &DataChart::setSliceX);

    m_dock = new SettingsDock(this);
    addDockWidget(Qt::RightDockWidgetArea, m_dock);

    // Messages on the left, elided to the room the permanent figures leave them at any width.
    // The figures on the right keep their whole width while there is room, and are cut with
    // "…" (the whole line in their tooltip) when even they do not fit a small window.
    m_message = new ElidedLabel;
    m_message->setObjectName(QStringLiteral("statusMessage"));
    statusBar()->addWidget(m_message, 1);
    m_statusLabel = new ElidedLabel;
    m_statusLabel->setObjectName(QStringLiteral("statusFigures"));
    m_statusLabel->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    statusBar()->addPermanentWidget(m_statusLabel);

    if (loadStoredSettings) {
        QSettings stored;
        m_dock->loadSettings(stored);
        restoreGeometry(stored.value(QStringLiteral("window/geometry")).toByteArray());
        m_lastFolder = stored.value(QStringLiteral("window/lastFolder")).toString();
    }
    if (launch) {
        // The command line's values on top of the stored ones, before the first data and models
        // are made: they are made once.
        m_dock->setSettings(launch(m_dock->settings())); // clamped into the controls' ranges
        m_launchSettings = m_dock->settings();
    }
    m_settings = m_dock->settings();
    m_charts.applyView(m_settings);
    if (m_settings.fromFile) {
        // The file is loaded below; until then the window shows the default generator.
        m_settings.fromFile = false;
        m_dock->setSettings(m_settings);
    }

    m_undoStack = new QUndoStack(this);
    // Each step holds the data before and after: twenty steps of a million points are ~640 MB.
    m_undoStack->setUndoLimit(20);
    createActions();
    createWorker();

    dataPaneLayout->insertWidget(0, createDrawBar()); // of the actions' buttons
    connect(m_dataChart, &DataChart::brushAt, this, &MainWindow::onBrushAt);
    connect(m_dataChart, &DataChart::strokeFinished, this, &MainWindow::finishStroke);

    connect(m_dock, &SettingsDock::settingsChanged, this, &MainWindow::applySettings);
    connect(m_dock, &SettingsDock::regenerateRequested, this, &MainWindow::regenerate);
    connect(m_dock, &SettingsDock::openFileRequested, this, &MainWindow::openDatasetDialog);
    connect(m_dock, &SettingsDock::trainRequested, this, &MainWindow::train);
    connect(m_dock, &SettingsDock::pauseRequested, this, &MainWindow::pause);
    connect(m_dock, &SettingsDock::stepRequested, this, &MainWindow::step);
    connect(m_dock, &SettingsDock::resetRequested, this, &MainWindow::resetModels);
    connect(m_dock, &SettingsDock::autoRequested, this, &MainWindow::autoChoose);

    regenerateWith(m_settings);
    resize(1280, 800);
}

MainWindow::~MainWindow() { shutdown(); }

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Dataset…"), this, &MainWindow::openDatasetDialog);
    open->setShortcut(QKeySequence::Open);
    QAction *save = file->addAction(tr("&Save Dataset As…"), this, &MainWindow::saveDatasetDialog);
    save->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_S));
    file->addSeparator();
    // Ctrl+S saves the dataset already: the session's keys add Shift.
    QAction *openSessionAction = file->addAction(tr("Open Sess&ion…"), this, &MainWindow::openSessionDialog);
    openSessionAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    QAction *saveSessionAction = file->addAction(tr("Save Session&…"), this, &MainWindow::saveSessionDialog);
    saveSessionAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    m_recentMenu = file->addMenu(tr("&Recent"));
    updateRecentMenu();
    file->addSeparator();
    QAction *exportChart = file->addAction(tr("&Export Chart…"), this, &MainWindow::exportChartDialog);
    exportChart->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    QAction *exportAll = file->addAction(tr("Export &All Charts…"), this, &MainWindow::exportAllDialog);
    exportAll->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    file->addAction(tr("Export Training A&nimation…"), this, &MainWindow::exportAnimationDialog);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    m_undoAction = m_undoStack->createUndoAction(this, tr("&Undo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    edit->addAction(m_undoAction);
    m_redoAction = m_undoStack->createRedoAction(this, tr("&Redo"));
    m_redoAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    edit->addAction(m_redoAction);
    edit->addSeparator();
    m_drawAction = edit->addAction(tr("&Draw Data"));
    m_drawAction->setObjectName(QStringLiteral("drawData"));
    m_drawAction->setCheckable(true);
    m_drawAction->setShortcut(QKeySequence(Qt::Key_D));
    m_drawAction->setIcon(QIcon::fromTheme(QStringLiteral("draw-freehand")));
    connect(m_drawAction, &QAction::toggled, this, &MainWindow::setDrawing);
    m_clearAction = edit->addAction(tr("&Clear Data"), this, &MainWindow::clearData);
    m_clearAction->setObjectName(QStringLiteral("clearData"));

    QMenu *training = menuBar()->addMenu(tr("&Training"));
    training->addAction(tr("&Train"), QKeySequence(Qt::Key_F5), this, &MainWindow::train);
    training->addAction(tr("&Pause"), QKeySequence(Qt::Key_F6), this, &MainWindow::pause);
    training->addAction(tr("&Step"), QKeySequence(Qt::Key_F7), this, &MainWindow::step);
    training->addAction(tr("&Reset"), QKeySequence(Qt::Key_F8), this, &MainWindow::resetModels);
    training->addAction(tr("Re&generate Data"), this, &MainWindow::regenerate);

    createPresetsMenu();
    createCompareMenu();

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_dock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&What Am I Looking At?"), QKeySequence::HelpContents, this, &MainWindow::showHelp);
    help->addAction(tr("&About mdnviz"), this, &MainWindow::about);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createPresetsMenu()
{
    m_presetsMenu = menuBar()->addMenu(tr("&Presets"));
    m_presetsMenu->setToolTipsVisible(true); // a preset's tooltip says where its values come from
    fillPresetsMenu();
}

// The built-in presets, the saved ones, and the actions that save and delete; filled again when
// a preset is saved or deleted.
void MainWindow::fillPresetsMenu()
{
    m_presetsMenu->clear();
    qDeleteAll(m_presetsMenu->findChildren<QMenu *>(Qt::FindDirectChildrenOnly));
    const auto addPreset = [this](const mdn::Preset &preset) {
        QAction *a = m_presetsMenu->addAction(QString::fromStdString(preset.title), this,
                                              [this, preset] { applyPresetToWindow(preset); });
        a->setObjectName(QStringLiteral("preset:") + QString::fromStdString(preset.name));
        a->setToolTip(QString::fromStdString(preset.source));
    };
    for (const mdn::Preset &preset : mdn::builtInPresets())
        addPreset(preset);
    const std::vector<mdn::Preset> saved = userPresets();
    m_presetsMenu->addSeparator();
    for (const mdn::Preset &preset : saved)
        addPreset(preset);
    if (!saved.empty())
        m_presetsMenu->addSeparator();
    m_presetsMenu->addAction(tr("&Save Current Settings as Preset…"), this, &MainWindow::savePresetDialog);
    QMenu *remove = m_presetsMenu->addMenu(tr("&Delete Preset"));
    remove->setEnabled(!saved.empty());
    for (const mdn::Preset &preset : saved) {
        const QString name = QString::fromStdString(preset.name);
        remove->addAction(name, this, [this, name] {
            QString error;
            if (!deleteUserPreset(name, error)) {
                showError(tr("Delete Preset"), error);
                return;
            }
            // Later, from the event loop: this action belongs to the menu being refilled.
            QTimer::singleShot(0, this, &MainWindow::fillPresetsMenu);
            showStatus(tr("Preset deleted: %1").arg(name), 8000);
        });
    }
}

void MainWindow::applyPresetToWindow(const mdn::Preset &preset)
{
    Settings s;
    try {
        s = mdn::applyPreset(m_settings, preset);
    } catch (const std::invalid_argument &e) {
        showError(tr("Preset"), QString::fromStdString(e.what()));
        return;
    }
    // As a change in the dock: new data and models are made once, and the change can be undone.
    m_dock->setSettings(s); // clamped into the controls' ranges
    applySettings(m_dock->settings());
    showStatus(tr("Preset: %1").arg(QString::fromStdString(preset.title)), 8000);
}

void MainWindow::savePresetDialog()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save Preset"),
                                               tr("Name of the preset (the data, the models and "
                                                  "their training; a file's data are not kept):"),
                                               QLineEdit::Normal, QString(), &ok)
                             .trimmed();
    if (!ok || name.isEmpty())
        return;
    if (presetNames().contains(name) && !mdn::builtInPreset(name.toStdString()) &&
        QMessageBox::question(this, tr("Save Preset"), tr("Replace the preset %1?").arg(name)) != QMessageBox::Yes)
        return;
    QString error;
    if (!saveUserPreset(name, m_settings, error)) {
        showError(tr("Save Preset"), error);
        return;
    }
    QTimer::singleShot(0, this, &MainWindow::fillPresetsMenu); // this action is the menu's
    showStatus(tr("Preset saved: %1").arg(name), 8000);
}

void MainWindow::createWorker()
{
    qRegisterMetaType<mdn::Snapshot>("mdn::Snapshot");
    m_worker = new TrainingWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &TrainingWorker::progress, this, &MainWindow::queueSnapshot);
    connect(m_worker, &TrainingWorker::runningChanged, this, &MainWindow::onRunningChanged);
    connect(m_worker, &TrainingWorker::message, this, [this](const QString &text) {
        // Drawn data too few to train on are a stage of drawing, not a fault of the data.
        if (m_settings.fromFile && m_settings.filePath.empty() && m_data.size() < 2)
            showStatus(tr("%L1 points drawn: training waits for at least two").arg(m_data.size()), 10000);
        else
            showStatus(text, 10000);
    });
    connect(m_worker, &TrainingWorker::undoAvailable, this, &MainWindow::onUndoAvailable);
    connect(m_worker, &TrainingWorker::autoChosen, this, [this] {
        m_tabs->setCurrentIndex(m_compareTab); // the choice, beside what it was chosen from
    });
    connect(m_worker, &TrainingWorker::sessionEncoded, this, &MainWindow::writeEncodedSession);
    connect(m_worker, &TrainingWorker::fault, this, [this](const QString &text) {
        m_faultEvents.append(text);
        while (m_faultEvents.size() > 20)
            m_faultEvents.removeFirst();
        m_health->setFaultEvents(m_faultEvents);
    });
    m_thread.setObjectName(QStringLiteral("training"));
    m_thread.start();
}

void MainWindow::shutdown()
{
    if (!m_thread.isRunning())
        return;
    if (m_loadJob)
        m_loadJob->cancel = true;
    m_worker->interrupt();
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr; // deleted by the thread's finished signal
    if (m_loadJob)
        m_loadJob->watcher.waitForFinished();
    waitForSessionJob();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings stored;
    // Values from the command line hold for one launch; edited, they are the user's own.
    if (!m_launchSettings || m_settings != *m_launchSettings)
        m_dock->saveSettings(stored);
    stored.setValue(QStringLiteral("window/geometry"), saveGeometry());
    shutdown();
    event->accept();
}

void MainWindow::train()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &TrainingWorker::start, Qt::QueuedConnection);
}

void MainWindow::pause()
{
    if (!m_worker)
        return;
    m_worker->interrupt(); // takes effect inside a long epoch too
    QMetaObject::invokeMethod(m_worker, &TrainingWorker::pause, Qt::QueuedConnection);
}

void MainWindow::step()
{
    if (m_worker && !m_running)
        QMetaObject::invokeMethod(m_worker, &TrainingWorker::step, Qt::QueuedConnection);
}

void MainWindow::resetModels()
{
    if (!m_worker)
        return;
    rememberForUndo(tr("Reset"));
    m_lossChart->clear();
    TrainingWorker *w = m_worker;
    replaceModels([w] { w->reset(); });
}

// Snapshots the worker sent before it rebuilt the models are still on their way when new models
// are asked for; drawn after the charts were cleared they would show the old models' losses. So
// each request takes a number, which the worker thread posts back just before building the new
// models: until it arrives, queueSnapshot drops what comes in, and from then on everything is
// from the new ones (events posted from one thread arrive in order).
void MainWindow::replaceModels(std::function<void()> onWorker)
{
    const quint64 ticket = ++m_modelsRequested;
    dropQueuedSnapshots();
    m_recorder.clear();
    m_faultEvents.clear();
    m_health->setFaultEvents(m_faultEvents);
    QMetaObject::invokeMethod(m_worker, [this, ticket, onWorker] {
        QMetaObject::invokeMethod(this, [this, ticket] { m_modelsBuilt = ticket; },
                                  Qt::QueuedConnection);
        onWorker();
    }, Qt::QueuedConnection);
}

namespace {

mdn::Dataset generateFor(const Settings &settings)
{
    mdn::GeneratorSpec spec;
    spec.generator = settings.generator;
    spec.points = std::size_t(settings.points);
    spec.noise = settings.noise;
    spec.seed = settings.seed;
    return mdn::generate(spec);
}

} // namespace

void MainWindow::regenerate()
{
    // Drawn data (a file without a path) give way to the generator's again.
    const bool drawn = m_settings.fromFile && m_settings.filePath.empty();
    if (m_settings.fromFile && !drawn) {
        showStatus(tr("The data come from a file: choose a generator to regenerate"), 8000);
        return;
    }
    Settings s = m_settings;
    s.fromFile = false;
    editData(tr("Regenerate"), generateFor(s), s);
}

void MainWindow::regenerateWith(const Settings &settings) { setDataset(generateFor(settings), settings); }

void MainWindow::applyLaunchSettings(const Settings &settings, const QStringList &ignoredOptions)
{
    m_dock->setSettings(settings); // clamped into the controls' ranges
    applySettings(m_dock->settings());
    m_launchSettings = m_settings;
    m_undo.reset();
    m_undoStack->clear();
    showIgnoredOptions(ignoredOptions);
}

void MainWindow::showIgnoredOptions(const QStringList &ignoredOptions)
{
    if (!ignoredOptions.isEmpty())
        showStatus(tr("Ignored without --headless: %1").arg(ignoredOptions.join(QStringLiteral(", "))),
                   15000);
}

void MainWindow::applySettings(const Settings &s)
{
    const Settings before = m_settings;
    if (s.fromFile && !before.fromFile && s.filePath != before.filePath) {
        // Choosing "From file…" goes through the file dialog (openFileRequested).
        m_dock->setSettings(before);
        return;
    }
    if (s.needsModelReset(before))
        rememberForUndo(tr("Settings"));
    m_settings = s;
    if (s.needsNewData(before) && !s.fromFile) {
        regenerateWith(s);
        return;
    }
    if (s.needsModelReset(before)) {
        m_lossChart->clear();
        const Settings cs = m_settings;
        const mdn::Dataset data = m_data;
        TrainingWorker *w = m_worker;
        const bool wasRunning = m_running;
        replaceModels([w, cs, data, wasRunning] {
            w->configure(cs, data);
            if (wasRunning)
                w->start();
        });
        return;
    }
    m_charts.applyView(s);
    const int samples = s.samplesPerX;
    const long limit = s.epochLimit;
    const double piT = s.piTemperature, sigmaT = s.sigmaTemperature;
    TrainingWorker *w = m_worker;
    const bool temperatures = piT != before.piTemperature || sigmaT != before.sigmaTemperature;
    if (samples != before.samplesPerX || limit != before.epochLimit)
        QMetaObject::invokeMethod(m_worker, [w, samples, limit] { w->setViewSettings(samples, limit); },
                                  Qt::QueuedConnection);
    if (temperatures)
        QMetaObject::invokeMethod(m_worker, [w, piT, sigmaT] { w->setSamplingTemperatures(piT, sigmaT); },
                                  Qt::QueuedConnection);
}

void MainWindow::setDataset(mdn::Dataset data, const Settings &settings)
{
    m_data = std::move(data);
    m_settings = settings;
    dropQueuedSnapshots();
    showDataset();
    if (m_worker) {
        TrainingWorker *w = m_worker;
        const Settings cs = m_settings;
        const mdn::Dataset copy = m_data;
        const bool wasRunning = m_running;
        replaceModels([w, cs, copy, wasRunning] {
            w->configure(cs, copy);
            if (wasRunning)
                w->start();
        });
    }
    emit datasetChanged();
}

// The dock, the charts and the health line for m_data and m_settings, without fits.
void MainWindow::showDataset()
{
    m_dock->setSettings(m_settings);
    if (m_settings.fromFile && m_settings.filePath.empty())
        m_dock->setDataFileName(tr("drawn"));
    else
        m_dock->setDataFileName(m_settings.fromFile ? QFileInfo(QFile::decodeName(m_settings.filePath.c_str())).fileName()
                                                    : QString());
    m_charts.setDataset(m_data, m_settings.fromFile ? std::nullopt : std::optional(m_settings.generator),
                        m_settings.noise);
    m_health->clear();
    m_compare->setData(m_data);
    showPlanes();
    updateDrawAvailability();
}

namespace {

// The inverse problem of the robot arm: generated, or a file with its columns' names.
bool isArmData(const mdn::Dataset &d, const Settings &s)
{
    if (d.inputDims != 2 || d.targetDims != 2)
        return false;
    if (!s.fromFile)
        return s.generator == mdn::Generator::RobotArm;
    return d.inputName(0) == "x1" && d.inputName(1) == "x2" && d.targetName(0) == "theta1" &&
           d.targetName(1) == "theta2";
}

} // namespace

// The planes' tab is there for data of two inputs and two targets, with the arm drawn for the
// robot arm's; new arm data bring it to the front (the arm is what the dataset is about).
void MainWindow::showPlanes()
{
    const bool planes = m_data.inputDims >= 2 && m_data.targetDims >= 2;
    const bool arm = isArmData(m_data, m_settings);
    const bool wasShown = m_tabs->isTabVisible(m_planesTab);
    const bool wasArm = m_workspace->showArms();
    m_tabs->setTabVisible(m_planesTab, planes);
    m_tabs->setTabText(m_planesTab, arm ? tr("&Arm") : tr("&Planes"));
    m_workspace->setModels(nullptr, nullptr);
    m_joint->setModels(nullptr, nullptr);
    if (!planes)
        return;
    m_workspace->setShowArms(arm);
    m_joint->setShowArms(arm);
    m_workspace->setData(m_data);
    m_joint->setData(m_data);
    onTargetChanged(m_workspace->target());
    if (arm && (!wasShown || !wasArm))
        m_tabs->setCurrentIndex(m_planesTab);
}

// The joint view answers for the workspace's target, and the mixture parameters are drawn along
// the first input through it.
void MainWindow::onTargetChanged(QPointF target)
{
    m_joint->setTarget(target);
    if (!m_worker || m_data.inputDims < 2)
        return;
    std::vector<double> through(std::size_t(m_data.inputDims), std::numeric_limits<double>::quiet_NaN());
    through[0] = target.x();
    through[1] = target.y();
    TrainingWorker *w = m_worker;
    QMetaObject::invokeMethod(m_worker, [w, through] { w->setPathThrough(through); }, Qt::QueuedConnection);
}

namespace {

// The pause between the stages of drawing a snapshot: long enough for the charts changed by one
// stage to be repainted before the next begins, so that timers and input get their turn between.
constexpr int kStageGapMs = 4;

} // namespace

void MainWindow::queueSnapshot(const mdn::Snapshot &s)
{
    if (m_modelsBuilt != m_modelsRequested)
        return; // from models being replaced (see replaceModels)
    m_recorder.record(s);
    // Drawing a snapshot costs the GUI thread ~15 ms in all (more on a slow display); if the
    // worker's ~30 a second arrived faster than that, they would queue up and the window would
    // lag ever further behind training. So only the newest is drawn, once the one being drawn
    // is done, with the losses of any skipped ones carried over.
    if (m_pending) {
        mdn::Snapshot merged = s;
        if (!s.lossesRestart) {
            merged.losses = std::move(m_pending->losses);
            merged.losses.insert(merged.losses.end(), s.losses.begin(), s.losses.end());
            merged.lossesRestart = m_pending->lossesRestart;
        }
        // Each run's losses likewise (by index: a run whose index changed restarts its curve).
        for (mdn::RunView &run : merged.runs) {
            if (run.lossesRestart)
                continue;
            for (mdn::RunView &before : m_pending->runs)
                if (before.run == run.run) {
                    before.losses.insert(before.losses.end(), run.losses.begin(), run.losses.end());
                    run.losses = std::move(before.losses);
                    run.lossesRestart = before.lossesRestart;
                    break;
                }
        }
        *m_pending = std::move(merged);
        return;
    }
    m_pending = s;
    if (!m_showing)
        QTimer::singleShot(0, this, &MainWindow::showPendingSnapshot);
}

// In one go, taking in and drawing every chart would hold the event loop for ~15 ms, and input
// and timers with it. So the charts take the snapshot in stages (ChartSet::showSnapshotStage),
// each on its own timer: the event loop repaints what one stage changed and handles whatever
// else is due before the next stage starts.
void MainWindow::showPendingSnapshot()
{
    if (!m_pending || m_showing)
        return;
    m_showing = std::move(*m_pending);
    m_pending.reset();
    showSnapshotStage(0, m_showGeneration);
}

void MainWindow::showSnapshotStage(int stage, quint64 generation)
{
    if (generation != m_showGeneration || !m_showing)
        return; // the charts were cleared meanwhile
    const mdn::Snapshot &s = *m_showing;
    if (stage == 0 && s.lossesRestart)
        m_lossChart->clear(); // another run shown, or new models: its whole history follows
    // Untrained models are not a result: until the first epoch the charts show the data and
    // what to do, not samples and curves of random weights.
    const bool untrained = s.epoch == 0;
    if (untrained) {
        mdn::Snapshot dataOnly;
        dataOnly.losses = s.losses;
        dataOnly.bayesNll = s.bayesNll;
        m_charts.showSnapshotStage(stage, dataOnly);
    } else {
        m_charts.showSnapshotStage(stage, s);
    }
    if (stage == 0) {
        m_dataChart->setHint(untrained ? tr("Press Train (F5) to watch both networks learn") : QString());
        // Which model the fits are: the run shown among several, its best weights.
        QStringList subject;
        for (const mdn::RunView &run : s.runs)
            if (run.shown && s.runs.size() > 1)
                subject << (run.label.empty() ? tr("as set") : QString::fromStdString(run.label));
        for (const mdn::RunView &run : s.runs)
            if (run.shown && run.best && !untrained)
                subject << tr("best weights of epoch %L1").arg(run.bestEpoch);
        m_dataChart->setSubject(subject.join(QStringLiteral(", ")));
        QString text = tr("epoch %L1  ·  MSE %2  ·  NLL %3 nats")
                           .arg(s.epoch)
                           .arg(formatLoss(s.mseLoss), formatLoss(s.mdnLoss));
        if (untrained)
            text = tr("epoch 0  ·  untrained: Train (F5) starts, Step (F7) trains one epoch");
        else if (s.validationPoints > 0 && std::isfinite(s.validationNll)) {
            text += tr("  ·  validation NLL %1").arg(formatLoss(s.validationNll));
            if (std::isfinite(s.bayesNll))
                text += tr(" (Bayes %1, gap %2)")
                            .arg(formatLoss(s.bayesNll), formatLoss(s.validationNll - s.bayesNll));
            else if (std::isinf(s.bayesNll) && s.bayesNll < 0.0)
                text += tr(" (no Bayes floor: the data have no noise)");
        }
        if (s.running)
            text += tr("  ·  %L1 epochs/s").arg(qRound64(s.epochsPerSecond));
        m_statusLabel->setText(text);
        if (m_tabs->isTabVisible(m_planesTab)) {
            m_workspace->setModels(untrained ? nullptr : s.msePredictor, untrained ? nullptr : s.mdnPredictor);
            m_joint->setModels(untrained ? nullptr : s.msePredictor, untrained ? nullptr : s.mdnPredictor);
        }
    } else if (stage == 1) {
        const auto [yLo, yHi] = std::minmax_element(m_data.y.begin(), m_data.y.end());
        if (untrained)
            m_health->clear();
        else
            m_health->setSnapshot(s, m_data.empty() ? 0.0 : *yHi - *yLo);
    }
    if (stage + 1 < ChartSet::snapshotStages) {
        QTimer::singleShot(kStageGapMs, this, [this, stage, generation] {
            showSnapshotStage(stage + 1, generation);
        });
        return;
    }
    // The comparison last: its losses accumulate whichever tab is in front (cheap), and it
    // paints only when shown.
    m_compare->showSnapshot(s);
    for (const mdn::RunView &run : s.runs)
        if (run.shown)
            m_shownRun = run.run;
    m_lastEpoch = s.epoch; // epoch() and snapshotShown speak of the same, wholly drawn snapshot
    m_lastShownRunning = s.running;
    m_showing.reset();
    emit snapshotShown(m_lastEpoch);
    if (m_pending)
        QTimer::singleShot(0, this, &MainWindow::showPendingSnapshot);
}

// Forgets the snapshots on their way and the one being drawn: the charts are about to be
// cleared for new data or new models.
void MainWindow::dropQueuedSnapshots()
{
    m_pending.reset();
    m_showing.reset();
    ++m_showGeneration;
}

void MainWindow::onRunningChanged(bool running)
{
    m_running = running;
    m_dock->setRunning(running);
}

// A message in the status bar's free space, cut with "…" where it would run into the epoch and
// losses on the right; the whole of it in the tooltip.
void MainWindow::showStatus(const QString &text, int timeoutMs) { m_message->setText(text, timeoutMs); }

void MainWindow::showError(const QString &title, const QString &text)
{
    m_lastError = text;
    showStatus(text, 15000);
    // Window-modal and non-blocking: training and the event loop go on behind it.
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::openDataset(const QString &path, const mdn::CsvColumns &columns)
{
    if (m_loadJob || m_sessionJob) {
        showError(tr("Open Dataset"), tr("%1: another file is still loading").arg(path));
        return;
    }
    auto job = std::make_shared<LoadJob>();
    job->path = path;
    job->columns = columns;
    m_loadJob = job;
    showStatus(tr("Loading %1…").arg(QDir::toNativeSeparators(path)));
    LoadJob *raw = job.get();
    connect(&job->watcher, &QFutureWatcher<void>::finished, this, &MainWindow::finishLoad);
    job->watcher.setFuture(QtConcurrent::run([raw] {
        raw->ok = mdn::readCsv(
            raw->path.toStdString(), raw->data, raw->error, mdn::CsvLimits(),
            [raw](std::uint64_t done, std::uint64_t total) {
                raw->done = done;
                raw->total = total;
            },
            &raw->cancel, raw->columns);
    }));
    // A big file gets a progress dialog with Cancel after a short while.
    m_loadProgress = new QProgressDialog(tr("Loading %1…").arg(QFileInfo(path).fileName()),
                                         tr("Cancel"), 0, 1000, this);
    m_loadProgress->setWindowModality(Qt::WindowModal);
    m_loadProgress->setMinimumDuration(500);
    m_loadProgress->setAutoClose(false);
    m_loadProgress->setAutoReset(false);
    connect(m_loadProgress, &QProgressDialog::canceled, this, [raw] { raw->cancel = true; });
    connect(&job->poll, &QTimer::timeout, this, [this, raw] {
        if (m_loadProgress && raw->total > 0)
            m_loadProgress->setValue(int(1000.0 * double(raw->done) / double(raw->total)));
    });
    job->poll.start(100);
}

void MainWindow::finishLoad()
{
    std::shared_ptr<LoadJob> job = std::move(m_loadJob);
    m_loadJob.reset();
    job->poll.stop();
    // The job owns the watcher whose signal is running now: free it once control is back.
    QTimer::singleShot(0, this, [job] {});
    if (m_loadProgress)
        m_loadProgress->deleteLater();
    if (!job->ok) {
        const QString reason = QString::fromStdString(job->error.toString());
        showError(tr("Open Dataset"), tr("Could not load the dataset; the current one is kept.\n%1").arg(reason));
        emit loadFinished(false);
        return;
    }
    Settings s = m_settings;
    s.fromFile = true;
    s.filePath = QFile::encodeName(job->path).toStdString();
    s.points = int(std::min<std::size_t>(job->data.size(), 1'000'000));
    editData(tr("Open %1").arg(QFileInfo(job->path).fileName()), std::move(job->data), s);
    QString shape;
    if (!m_data.oneDimensional()) {
        QStringList in, out;
        for (int c = 0; c < m_data.inputDims; ++c)
            in << QString::fromStdString(m_data.inputName(c));
        for (int c = 0; c < m_data.targetDims; ++c)
            out << QString::fromStdString(m_data.targetName(c));
        shape = tr(": inputs %1, targets %2; the charts plot %3 against %4")
                    .arg(in.join(QStringLiteral(", ")), out.join(QStringLiteral(", ")), in.first(), out.first());
    }
    addRecent(QStringLiteral("dataset"), job->path);
    showStatus(tr("Loaded %L1 points from %2%3").arg(m_data.size()).arg(QDir::toNativeSeparators(job->path), shape),
               15000);
    emit loadFinished(true);
}

bool MainWindow::saveDataset(const QString &path, QString *error)
{
    std::string e;
    if (!mdn::writeCsv(path.toStdString(), m_data, e)) {
        if (error)
            *error = QString::fromStdString(e);
        return false;
    }
    return true;
}

bool MainWindow::exportDataChart(const QString &path, QSize size, QString *error)
{
    return exportChart(m_charts, ChartKind::DataAndFits, path, size,
                       exportFormatForPath(path).value_or(ExportFormat::Png), error);
}

bool MainWindow::exportAllCharts(const QString &dir, QSize size, QString *error, ExportFormat format)
{
    if (!exportCharts(m_charts, dir, size, format, error))
        return false;
    if (m_compare->table()->rowCount() < 2)
        return true; // nothing compared
    // A comparison: its small multiples and its loss curves too, laid out as on screen.
    const QDir d(dir);
    const auto figure = [](auto *view) -> Figure {
        return [view](QPainter *painter, QSizeF size, double scale) {
            painter->save();
            painter->scale(scale, scale);
            view->paintTo(painter, QRectF(QPointF(), size / scale));
            painter->restore();
        };
    };
    const QString suffix = QLatin1Char('.') + exportFormatName(format);
    return exportFigure(figure(m_compare->multiples()), d.filePath(QStringLiteral("compare-fits") + suffix), size,
                        format, error) &&
           exportFigure(figure(m_compare->lossPlot()), d.filePath(QStringLiteral("compare-losses") + suffix), size,
                        format, error);
}

bool MainWindow::exportTrainingAnimation(const QString &path, QString *error)
{
    return mdnviz::exportTrainingAnimation(m_data, m_dataChart->overlays(), m_recorder.frames(), path,
                                     kDefaultAnimationSize, kDefaultAnimationFps, error);
}

void MainWindow::openDatasetDialog()
{
    const Settings before = m_settings;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Dataset"), m_lastFolder,
                                                      tr("CSV files (*.csv *.txt);;All files (*)"));
    m_dock->setSettings(before); // "From file…" takes effect only once the file has loaded
    if (path.isEmpty())
        return;
    rememberFolder(QFileInfo(path).absolutePath());
    openDatasetAsking(path);
}

// Opens a CSV file, asking first which columns are the inputs and the targets when it has more
// than two.
void MainWindow::openDatasetAsking(const QString &path)
{
    // A file of more than two columns: which are the inputs and which the targets?
    std::vector<std::string> names;
    mdn::CsvError error;
    if (!mdn::readCsvHeader(QFile::encodeName(path).toStdString(), names, error) || names.size() <= 2) {
        openDataset(path); // two columns, or a file the loader will refuse with its reason
        return;
    }
    QStringList columnNames;
    for (const std::string &n : names)
        columnNames << QString::fromStdString(n);
    auto *dialog = new ColumnsDialog(QFileInfo(path).fileName(), columnNames, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, path] { openDataset(path, dialog->columns()); });
    dialog->open(); // window-modal, and training goes on behind it
}

// The file dialogs open where the last one left off, in this session and the next.
void MainWindow::rememberFolder(const QString &folder)
{
    m_lastFolder = folder;
    QSettings().setValue(QStringLiteral("window/lastFolder"), folder);
}

void MainWindow::saveDatasetDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Dataset As"),
                                                      QDir(m_lastFolder).filePath(QStringLiteral("dataset.csv")),
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    rememberFolder(QFileInfo(path).absolutePath());
    QString error;
    if (saveDataset(path, &error))
        showStatus(tr("Saved %L1 points to %2").arg(m_data.size()).arg(QDir::toNativeSeparators(path)), 8000);
    else
        showError(tr("Save Dataset"), tr("Could not save the dataset.\n%1").arg(error));
}

void MainWindow::exportChartDialog()
{
    const QString path = askChartFile(this, m_lastFolder, QStringLiteral("data-and-fits"));
    if (path.isEmpty())
        return;
    rememberFolder(QFileInfo(path).absolutePath());
    QString error;
    if (exportDataChart(path, m_exportSize, &error))
        showStatus(tr("Exported %1 (%2×%3)").arg(QDir::toNativeSeparators(path)).arg(m_exportSize.width()).arg(m_exportSize.height()), 8000);
    else
        showError(tr("Export Chart"), error);
}

void MainWindow::exportAllDialog()
{
    const auto target = askChartFolder(this, m_lastFolder);
    if (!target)
        return;
    const auto &[dir, format] = *target;
    rememberFolder(dir);
    QString error;
    if (exportAllCharts(dir, m_exportSize, &error, format))
        showStatus(tr("Exported every chart into %1").arg(QDir::toNativeSeparators(dir)), 8000);
    else
        showError(tr("Export All Charts"), error);
}

void MainWindow::exportAnimationDialog()
{
    const QString path = askAnimationFile(this, m_lastFolder);
    if (path.isEmpty())
        return;
    rememberFolder(QFileInfo(path).absolutePath());
    QString error;
    if (exportTrainingAnimation(path, &error))
        showStatus(tr("Exported %1 (%2 frames)").arg(QDir::toNativeSeparators(path)).arg(m_recorder.frameCount()), 8000);
    else
        showError(tr("Export Training Animation"), error);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.front().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.front().isLocalFile()) {
        event->acceptProposedAction();
        openDataset(urls.front().toLocalFile());
    }
}

void MainWindow::showHelp()
{
    if (!m_help) {
        m_help = new HelpPanel(this);
        m_help->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_help->show();
    m_help->raise();
    m_help->activateWindow();
}

void MainWindow::about()
{
    QMessageBox::about(
        this, tr("About mdnviz"),
        tr("<h3>mdnviz %1</h3>"
           "<p>Watch a mixture density network (Bishop 1994) learn a multi-valued function, next "
           "to a network trained by mean squared error that can only predict the average.</p>"
           "<p>Train on the built-in sinusoid, inverse sinusoid and Bishop datasets or on your "
           "own CSV file of (x, y) pairs.</p>")
            .arg(QApplication::applicationVersion()));
}

} // namespace mdnviz
