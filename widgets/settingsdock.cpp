#include "settingsdock.h"

#include "logspinbox.h"

#include <QCheckBox>
#include <QAbstractSlider>
#include <QComboBox>
#include <QEvent>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <cmath>

namespace mdnviz {



namespace {

// The window's upper limit of a setting (mdn::settingsTable: the command line may go further).
int windowMax(const char *key) { return int(mdn::settingSpec(key).windowMax()); }
const int kMaxPoints = windowMax("points");
const int kMaxHidden = windowMax("mdnHidden");
const int kMaxMixtures = windowMax("mixtures");
const int kMaxBatch = windowMax("batch");
const int kMaxEpochLimit = windowMax("epochLimit");
const int kMaxSamplesPerX = windowMax("samplesPerX");
const int kMaxValidationPercent = windowMax("validationPercent");
const double kMaxTemperature = mdn::settingSpec("piTemperature").windowMax();

int indexOf(mdn::Generator g)
{
    switch (g) {
    case mdn::Generator::Sinusoid:
        return SettingsDock::Sinusoid;
    case mdn::Generator::InverseSinusoid:
        return SettingsDock::InverseSinusoid;
    case mdn::Generator::Bishop:
        return SettingsDock::Bishop;
    case mdn::Generator::RobotArm:
        return SettingsDock::RobotArm;
    case mdn::Generator::RobotArmForward:
        return SettingsDock::RobotArmForward;
    }
    return SettingsDock::InverseSinusoid;
}

mdn::Generator generatorAt(int index)
{
    switch (index) {
    case SettingsDock::Sinusoid:
        return mdn::Generator::Sinusoid;
    case SettingsDock::Bishop:
        return mdn::Generator::Bishop;
    case SettingsDock::RobotArm:
        return mdn::Generator::RobotArm;
    case SettingsDock::RobotArmForward:
        return mdn::Generator::RobotArmForward;
    default:
        return mdn::Generator::InverseSinusoid;
    }
}

QSpinBox *makeSpin(const char *name, int min, int max, const QString &tip)
{
    auto *spin = new QSpinBox;
    spin->setObjectName(QLatin1String(name));
    spin->setRange(min, max);
    spin->setGroupSeparatorShown(max >= 10000);
    // Typing "1000" would otherwise emit 1, 10, 100 and 1000, each a new dataset or model.
    spin->setKeyboardTracking(false);
    spin->setToolTip(tip);
    spin->setAccelerated(true);
    return spin;
}

QDoubleSpinBox *makeTemperature(const char *name, const QString &tip)
{
    auto *spin = new QDoubleSpinBox;
    spin->setObjectName(QLatin1String(name));
    spin->setRange(0.0, kMaxTemperature);
    spin->setDecimals(2);
    spin->setSingleStep(0.1);
    spin->setKeyboardTracking(false);
    spin->setToolTip(tip);
    return spin;
}

QCheckBox *makeCheck(const char *name, const QString &text, const QString &tip)
{
    auto *check = new QCheckBox(text);
    check->setObjectName(QLatin1String(name));
    check->setToolTip(tip);
    return check;
}

QGroupBox *makeGroup(const QString &title, QFormLayout *&form)
{
    auto *box = new QGroupBox(title);
    form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    return box;
}

// The buttons' keys are their mnemonics (Alt+letter). Function keys stay free for the window's
// menu actions: the same key on a button and on an action of one window is ambiguous, and then
// neither fires.
QPushButton *makeButton(const char *name, const QString &text, QStyle::StandardPixmap icon,
                        const QString &tip, QStyle *style)
{
    auto *button = new QPushButton(style->standardIcon(icon), text);
    button->setObjectName(QLatin1String(name));
    const QKeySequence key = QKeySequence::mnemonic(text);
    button->setToolTip(
        key.isEmpty() ? tip
                      : QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    return button;
}

// Reads one stored setting if it is there and parses: numbers are clamped into the window's
// range, anything else that does not parse is ignored (the current value stays).
void readStored(QSettings &store, const mdn::SettingSpec &spec, Settings &s)
{
    const QVariant v = store.value(QLatin1String(spec.key));
    if (!v.isValid())
        return;
    QString text = v.toString().trimmed();
    using Type = mdn::SettingSpec::Type;
    if (spec.type == Type::Integer) {
        bool ok = false;
        const qlonglong x = text.toLongLong(&ok);
        if (!ok)
            return;
        text = QString::number(std::clamp(x, qlonglong(spec.min), qlonglong(spec.windowMax())));
    } else if (spec.type == Type::Real) {
        bool ok = false;
        const double x = text.toDouble(&ok);
        if (!ok || !std::isfinite(x))
            return;
        text = QString::number(std::clamp(x, spec.min, spec.windowMax()), 'g', 17);
    } else if (spec.type == Type::Bool || spec.type == Type::Choice) {
        text = text.toLower();
    }
    // A path is kept exactly as stored, in the file system's encoding.
    const std::string value = spec.type == Type::Text ? QFile::encodeName(v.toString()).toStdString()
                                                      : text.toStdString();
    std::string why;
    spec.set(s, value, why);
}

} // namespace

SettingsDock::SettingsDock(QWidget *parent) : QDockWidget(tr("Settings"), parent)
{
    setObjectName(QStringLiteral("settingsDock"));
    setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);

    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);

    // Run controls first: they are what one reaches for most.
    auto *runBox = new QGroupBox(tr("Run"));
    auto *runGrid = new QGridLayout(runBox);
    // Mnemonics avoid the letters of the window's menus (File, Training, View, Help).
    m_train = makeButton("train", tr("T&rain"), QStyle::SP_MediaPlay,
                         tr("Train both models until paused or the epoch limit"), style());
    m_pause = makeButton("pause", tr("&Pause"), QStyle::SP_MediaPause,
                         tr("Pause training; the models keep their weights"), style());
    m_step = makeButton("step", tr("&Step"), QStyle::SP_MediaSkipForward,
                        tr("Train one epoch, then pause"), style());
    m_reset = makeButton("reset", tr("R&eset"), QStyle::SP_DialogResetButton,
                         tr("Start both models again from fresh random weights"), style());
    m_auto = makeButton("auto", tr("A&uto"), QStyle::SP_FileDialogContentsView,
                        tr("Let the held-out data choose: train ten MDN sizes (K ∈ {1, 2, 3, 5, 10} × "
                           "H ∈ {12, 24}) side by side and show the best (Compare tab)"),
                        style());
    runGrid->addWidget(m_train, 0, 0);
    runGrid->addWidget(m_pause, 0, 1);
    runGrid->addWidget(m_step, 1, 0);
    runGrid->addWidget(m_reset, 1, 1);
    runGrid->addWidget(m_auto, 2, 0, 1, 2);
    layout->addWidget(runBox);

    QFormLayout *form = nullptr;

    // Data.
    layout->addWidget(makeGroup(tr("Data"), form));
    m_dataset = new QComboBox;
    m_dataset->setObjectName(QStringLiteral("dataset"));
    m_dataset->addItem(tr("Sinusoid"));
    m_dataset->addItem(tr("Inverse sinusoid"));
    m_dataset->addItem(tr("Bishop (1994)"));
    m_dataset->addItem(tr("Robot arm: angles from position"));
    m_dataset->addItem(tr("Robot arm: position from angles"));
    m_dataset->addItem(tr("From file…"));
    m_dataset->setItemData(Sinusoid, tr("y = 7 sin(0.75 x) + 0.5 x + noise: one answer per x"),
                           Qt::ToolTipRole);
    m_dataset->setItemData(InverseSinusoid,
                           tr("The sinusoid with x and y swapped: up to five answers per x"),
                           Qt::ToolTipRole);
    m_dataset->setItemData(Bishop,
                           tr("Bishop's inverse problem: x = t + 0.3 sin(2πt) + uniform noise"),
                           Qt::ToolTipRole);
    m_dataset->setItemData(RobotArm,
                           tr("Bishop's two-link arm: the joint angles (θ1, θ2) that put its hand at "
                              "(x1, x2); two answers for most positions"),
                           Qt::ToolTipRole);
    m_dataset->setItemData(RobotArmForward,
                           tr("Bishop's two-link arm the other way: the hand's position (x1, x2) "
                              "from the joint angles; one answer"),
                           Qt::ToolTipRole);
    m_dataset->setItemData(FromFile, tr("Load (x, y) pairs from a CSV file"), Qt::ToolTipRole);
    m_dataset->setToolTip(tr("The problem to learn: a built-in generator or a CSV file"));
    form->addRow(tr("Dataset"), m_dataset);
    m_fileLabel = new QLabel;
    m_fileLabel->setObjectName(QStringLiteral("fileLabel"));
    m_fileLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_fileLabel->setToolTip(tr("The file the data was read from"));
    m_fileLabel->setWordWrap(true);
    m_fileLabel->setVisible(false);
    form->addRow(m_fileLabel);
    m_points = makeSpin("points", 10, kMaxPoints, tr("Number of generated (x, y) pairs"));
    form->addRow(tr("Points"), m_points);
    m_noise = new QDoubleSpinBox;
    m_noise->setObjectName(QStringLiteral("noise"));
    m_noise->setRange(0.0, 10.0);
    m_noise->setSingleStep(0.1);
    m_noise->setDecimals(2);
    m_noise->setKeyboardTracking(false);
    m_noise->setToolTip(tr("Noise of the generator: the standard deviation for the sinusoids and "
                           "of each observed hand coordinate for the robot arm (0: exact, as "
                           "Bishop's), the half-width of the uniform term for Bishop's problem"));
    form->addRow(tr("Noise"), m_noise);
    m_seed = makeSpin("seed", 0, INT_MAX,
                      tr("Random seed of the data, the initial weights and the batch order"));
    m_seed->setGroupSeparatorShown(false);
    form->addRow(tr("Seed"), m_seed);
    m_regenerate =
        makeButton("regenerate", tr("Re&generate"), QStyle::SP_BrowserReload,
                   tr("Draw the data again (or reload the file) and reset the models"), style());
    form->addRow(m_regenerate);
    m_validation = makeSpin("validation", 0, kMaxValidationPercent,
                            tr("Share of the data held out of training to measure generalisation "
                               "(drawn with the seed); 0 trains on every point"));
    m_validation->setSuffix(QStringLiteral(" %"));
    m_validation->setSpecialValueText(tr("none"));
    form->addRow(tr("Validation"), m_validation);

    // The two models.
    layout->addWidget(makeGroup(tr("MSE net"), form));
    m_mseHidden = makeSpin("mseHidden", 1, kMaxHidden,
                           tr("Hidden units of the regression net trained on mean squared error"));
    form->addRow(tr("Hidden units"), m_mseHidden);

    layout->addWidget(makeGroup(tr("MDN"), form));
    m_mdnHidden =
        makeSpin("mdnHidden", 1, kMaxHidden, tr("Hidden units of the mixture density network"));
    form->addRow(tr("Hidden units"), m_mdnHidden);
    m_mixtures = makeSpin("mixtures", 1, kMaxMixtures,
                          tr("Number of Gaussian components K in the MDN's mixture"));
    form->addRow(tr("Mixtures (K)"), m_mixtures);

    // Training.
    layout->addWidget(makeGroup(tr("Training"), form));
    m_optimizer = new QComboBox;
    m_optimizer->setObjectName(QStringLiteral("optimizer"));
    m_optimizer->addItem(tr("Adam"), int(mdn::OptimizerKind::Adam));
    m_optimizer->addItem(tr("RMSProp"), int(mdn::OptimizerKind::RMSProp));
    m_optimizer->addItem(tr("SGD with momentum"), int(mdn::OptimizerKind::SGD));
    m_optimizer->setToolTip(tr("The optimiser of both models"));
    form->addRow(tr("Optimizer"), m_optimizer);
    m_learningRate = new LogSpinBox;
    m_learningRate->setObjectName(QStringLiteral("learningRate"));
    m_learningRate->setDecimals(5);
    m_learningRate->setRange(1e-5, 10.0);
    m_learningRate->setKeyboardTracking(false);
    m_learningRate->setToolTip(tr("Step size of the optimiser; the arrows step 1, 2, 5, 10, …"));
    form->addRow(tr("Learning rate"), m_learningRate);
    m_batch = makeSpin("batch", 0, kMaxBatch,
                       tr("Points per gradient step; full batch uses every point in each step"));
    m_batch->setSpecialValueText(tr("full batch"));
    form->addRow(tr("Batch size"), m_batch);
    m_epochLimit = makeSpin("epochLimit", 0, kMaxEpochLimit,
                            tr("Training pauses when this many epochs are done"));
    m_epochLimit->setSpecialValueText(tr("no limit"));
    m_epochLimit->setSingleStep(1000);
    form->addRow(tr("Epoch limit"), m_epochLimit);

    // View.
    layout->addWidget(makeGroup(tr("View"), form));
    m_samplesPerX = makeSpin("samplesPerX", 1, kMaxSamplesPerX,
                             tr("MDN samples drawn at each x of the plotting grid"));
    form->addRow(tr("Samples per x"), m_samplesPerX);
    m_piTemperature = makeTemperature(
        "piTemperature", tr("Sampling temperature of the mixing weights: pi^(1/T), renormalised. "
                            "Below 1 favours the likeliest component (0: only it), above 1 "
                            "evens them out. Changes the samples only, not the model"));
    form->addRow(tr("π temperature"), m_piTemperature);
    m_sigmaTemperature = makeTemperature(
        "sigmaTemperature", tr("Sampling temperature of the widths: each variance times T "
                               "(0: every sample on a component mean). Changes the samples only"));
    form->addRow(tr("σ temperature"), m_sigmaTemperature);
    m_showData = makeCheck("showData", tr("Data points"), tr("The (x, y) pairs the models learn from"));
    form->addRow(m_showData);
    m_showSamples = makeCheck("showSamples", tr("MDN samples"),
                              tr("Samples drawn from the MDN's mixture at each x"));
    form->addRow(m_showSamples);
    m_showDensity = makeCheck("showDensity", tr("Density p(y|x)"),
                              tr("The MDN's conditional density as a colour image behind the data"));
    form->addRow(m_showDensity);
    m_densityLog = makeCheck("densityLogScale", tr("Log colour scale"),
                             tr("Colour by log p(y|x) over four decades, so that faint branches "
                                "show next to sharp ones; off: linear from 0"));
    form->addRow(m_densityLog);
    m_showMean = makeCheck("showMean", tr("Conditional mean"),
                           tr("E[y|x] = Σ π_k μ_k: what a least-squares fit converges to"));
    form->addRow(m_showMean);
    m_showMode = makeCheck("showMode", tr("Approximate mode"),
                           tr("At each x the mean of the component with the largest π_k/σ_k "
                              "(Bishop's approximation of the most probable y)"));
    form->addRow(m_showMode);
    m_showBands = makeCheck("showBands", tr("Component ±1σ bands"),
                            tr("μ_k ± σ_k of every component, shaded by its weight π_k"));
    form->addRow(m_showBands);

    layout->addStretch(1);

    auto *scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(content->sizeHint().width() +
                            scroll->verticalScrollBar()->sizeHint().width());
    setWidget(scroll);

    // A wheel turned to scroll the dock must not change the value under the pointer (a new
    // learning rate resets the models): the value controls take the wheel only with focus,
    // which a click or Tab gives them, and pass it on to the scroll area otherwise.
    const auto controls = content->findChildren<QWidget *>();
    for (QWidget *w : controls) {
        if (qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QComboBox *>(w) ||
            qobject_cast<QAbstractSlider *>(w)) {
            w->setFocusPolicy(Qt::StrongFocus);
            w->installEventFilter(this);
        }
    }

    setSettings(Settings());
    setRunning(false);

    connect(m_dataset, &QComboBox::currentIndexChanged, this, &SettingsDock::onDatasetIndexChanged);
    connect(m_dataset, &QComboBox::activated, this, &SettingsDock::onDatasetActivated);
    for (QSpinBox *spin : {m_points, m_seed, m_mseHidden, m_mdnHidden, m_mixtures, m_batch,
                           m_epochLimit, m_samplesPerX, m_validation})
        connect(spin, &QSpinBox::valueChanged, this, &SettingsDock::onEdited);
    for (QDoubleSpinBox *spin : {m_noise, m_piTemperature, m_sigmaTemperature})
        connect(spin, &QDoubleSpinBox::valueChanged, this, &SettingsDock::onEdited);
    for (QCheckBox *check : {m_showData, m_showSamples, m_showDensity, m_densityLog, m_showMean,
                             m_showMode, m_showBands})
        connect(check, &QCheckBox::toggled, this, &SettingsDock::onEdited);
    connect(m_showDensity, &QCheckBox::toggled, this, &SettingsDock::updateEnabled);
    connect(m_learningRate, &QDoubleSpinBox::valueChanged, this, &SettingsDock::onEdited);
    connect(m_optimizer, &QComboBox::currentIndexChanged, this, &SettingsDock::onEdited);

    for (QSpinBox *spin : {m_points, m_validation})
        connect(spin, &QSpinBox::valueChanged, this, &SettingsDock::updateBatchText);
    updateBatchText();
    connect(m_regenerate, &QPushButton::clicked, this, &SettingsDock::regenerateRequested);
    connect(m_train, &QPushButton::clicked, this, &SettingsDock::trainRequested);
    connect(m_pause, &QPushButton::clicked, this, &SettingsDock::pauseRequested);
    connect(m_step, &QPushButton::clicked, this, &SettingsDock::stepRequested);
    connect(m_reset, &QPushButton::clicked, this, &SettingsDock::resetRequested);
    connect(m_auto, &QPushButton::clicked, this, &SettingsDock::autoRequested);
}

bool SettingsDock::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Wheel) {
        auto *w = qobject_cast<QWidget *>(watched);
        if (w && !w->hasFocus()) {
            event->ignore(); // on to the parents: the scroll area scrolls
            return true;
        }
    }
    return QDockWidget::eventFilter(watched, event);
}

Settings SettingsDock::settings() const
{
    Settings s;
    const int index = m_dataset->currentIndex();
    s.fromFile = index == FromFile;
    s.generator = s.fromFile ? m_generator : generatorAt(index);
    s.filePath = QFile::encodeName(m_filePath).toStdString();
    s.points = m_points->value();
    s.noise = m_noise->value();
    s.seed = std::uint64_t(m_seed->value());
    s.mseHidden = m_mseHidden->value();
    s.mdnHidden = m_mdnHidden->value();
    s.mixtures = m_mixtures->value();
    s.optimizer = mdn::OptimizerKind(m_optimizer->currentData().toInt());
    s.learningRate = m_learningRate->value();
    s.batch = m_batch->value();
    s.epochLimit = m_epochLimit->value();
    s.validationPercent = m_validation->value();
    s.samplesPerX = m_samplesPerX->value();
    s.piTemperature = m_piTemperature->value();
    s.sigmaTemperature = m_sigmaTemperature->value();
    s.showDensity = m_showDensity->isChecked();
    s.densityLogScale = m_densityLog->isChecked();
    s.showData = m_showData->isChecked();
    s.showSamples = m_showSamples->isChecked();
    s.showMean = m_showMean->isChecked();
    s.showMode = m_showMode->isChecked();
    s.showBands = m_showBands->isChecked();
    return s;
}

void SettingsDock::setSettings(const Settings &s)
{
    const bool wasUpdating = m_updating;
    m_updating = true;
    m_generator = s.generator;
    m_filePath = QFile::decodeName(s.filePath.c_str());
    m_dataset->setCurrentIndex(s.fromFile ? int(FromFile) : indexOf(s.generator));
    m_points->setValue(s.points);
    m_noise->setValue(s.noise);
    m_seed->setValue(int(std::min<std::uint64_t>(s.seed, std::uint64_t(INT_MAX))));
    m_mseHidden->setValue(s.mseHidden);
    m_mdnHidden->setValue(s.mdnHidden);
    m_mixtures->setValue(s.mixtures);
    const int opt = m_optimizer->findData(int(s.optimizer));
    m_optimizer->setCurrentIndex(opt >= 0 ? opt : 0);
    m_learningRate->setValue(s.learningRate);
    m_batch->setValue(s.batch);
    m_epochLimit->setValue(int(std::clamp<long>(s.epochLimit, 0, kMaxEpochLimit)));
    m_validation->setValue(s.validationPercent);
    m_samplesPerX->setValue(s.samplesPerX);
    m_piTemperature->setValue(s.piTemperature);
    m_sigmaTemperature->setValue(s.sigmaTemperature);
    m_showDensity->setChecked(s.showDensity);
    m_densityLog->setChecked(s.densityLogScale);
    m_showData->setChecked(s.showData);
    m_showSamples->setChecked(s.showSamples);
    m_showMean->setChecked(s.showMean);
    m_showMode->setChecked(s.showMode);
    m_showBands->setChecked(s.showBands);
    setDataFileName(s.fromFile ? QFileInfo(m_filePath).fileName() : QString());
    updateEnabled();
    m_updating = wasUpdating;
}

void SettingsDock::setRunning(bool running)
{
    m_running = running;
    m_train->setEnabled(!running);
    m_step->setEnabled(!running);
    m_pause->setEnabled(running);
}

void SettingsDock::setDataFileName(const QString &name)
{
    m_fileLabel->setText(tr("file: %1").arg(name));
    m_fileLabel->setVisible(!name.isEmpty());
}

void SettingsDock::loadSettings(QSettings &store)
{
    Settings s = settings();
    store.beginGroup(QStringLiteral("settings"));
    for (const mdn::SettingSpec &spec : mdn::settingsTable())
        readStored(store, spec, s);
    // The window's own lower limit of generated points.
    s.points = std::max(s.points, int(m_points->minimum()));
    if (s.filePath.empty())
        s.fromFile = false;
    store.endGroup();
    setSettings(s);
}

void SettingsDock::saveSettings(QSettings &store) const
{
    const Settings s = settings();
    store.beginGroup(QStringLiteral("settings"));
    for (const mdn::SettingSpec &spec : mdn::settingsTable())
        store.setValue(QLatin1String(spec.key), spec.type == mdn::SettingSpec::Type::Text
                                                    ? QFile::decodeName(spec.get(s).c_str())
                                                    : QString::fromStdString(spec.get(s)));
    store.endGroup();
}

void SettingsDock::onEdited()
{
    if (!m_updating)
        emit settingsChanged(settings());
}

void SettingsDock::onDatasetIndexChanged(int index)
{
    if (m_updating)
        return;
    updateEnabled();
    // "From file…" needs a file first; the window asks for one on openFileRequested and then
    // calls setSettings (or restores the previous settings when the dialog is cancelled).
    if (index == FromFile)
        return;
    const mdn::Generator previous = m_generator;
    m_generator = generatorAt(index);
    m_updating = true;
    m_noise->setValue(mdn::defaultNoise(m_generator));
    // The new generator's number of points, unless the user chose another than the default.
    if (m_points->value() == int(mdn::defaultPoints(previous)))
        m_points->setValue(int(mdn::defaultPoints(m_generator)));
    m_updating = false;
    setDataFileName(QString());
    emit settingsChanged(settings());
}

void SettingsDock::onDatasetActivated(int index)
{
    if (index == FromFile)
        emit openFileRequested();
}

// "Full batch" becomes mini-batches on large data (Settings::batchFor): the control says so.
void SettingsDock::updateBatchText()
{
    const Settings s = settings();
    const auto points = std::size_t(std::max(0, s.points));
    const std::size_t batch = Settings().batchFor(points - s.validationPointsOf(points));
    m_batch->setSpecialValueText(batch == 0 ? tr("full batch") : tr("auto (%L1)").arg(batch));
}

void SettingsDock::updateEnabled()
{
    // A file fixes the points and their noise; the seed still drives weights and batches.
    const bool file = m_dataset->currentIndex() == FromFile;
    m_points->setEnabled(!file);
    m_noise->setEnabled(!file);
    // The arm's noise is a fraction of its reach of 1: steps of 0.1 would skip what matters.
    const int index = m_dataset->currentIndex();
    m_noise->setSingleStep(index == RobotArm || index == RobotArmForward ? 0.01 : 0.1);
    m_densityLog->setEnabled(m_showDensity->isChecked());
}

} // namespace mdnviz
