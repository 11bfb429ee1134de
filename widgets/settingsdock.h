#pragma once
// The "Settings" dock: data, the two models, training and view settings, and the run buttons.

#include "settings.h"

#include <QDockWidget>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSettings;
class QSpinBox;
QT_END_NAMESPACE

namespace mdnviz {

class LogSpinBox;

class SettingsDock : public QDockWidget {
    Q_OBJECT

public:
    explicit SettingsDock(QWidget *parent = nullptr);

    mdnviz::Settings settings() const;
    // Shows `s` (values out of a control's range are clamped) without emitting settingsChanged.
    void setSettings(const mdnviz::Settings &s);

    // While running, Train and Step are disabled and Pause is enabled; the other way round
    // otherwise.
    void setRunning(bool running);
    bool isRunning() const { return m_running; }

    // The name shown under the dataset ("file: foo.csv"); empty hides it.
    void setDataFileName(const QString &name);

    // Every setting under the "settings/" group. Missing, garbage or out-of-range values keep
    // the current value or are clamped; nothing is emitted.
    void loadSettings(QSettings &store);
    void saveSettings(QSettings &store) const;

    // The dataset combo's entries, in order.
    enum DatasetEntry { Sinusoid, InverseSinusoid, Bishop, RobotArm, RobotArmForward, FromFile };

signals:
    void settingsChanged(const mdnviz::Settings &settings); // every user edit, once
    void regenerateRequested();
    void openFileRequested(); // the user picked "From file…"
    void trainRequested();
    void pauseRequested();
    void stepRequested();
    void resetRequested();
    void autoRequested(); // let the held-out data choose the MDN's size

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onEdited();
    void onDatasetIndexChanged(int index);
    void onDatasetActivated(int index);
    void updateEnabled();
    void updateBatchText();

    QComboBox *m_dataset = nullptr;
    QSpinBox *m_points = nullptr;
    QDoubleSpinBox *m_noise = nullptr;
    QSpinBox *m_seed = nullptr;
    QLabel *m_fileLabel = nullptr;
    QPushButton *m_regenerate = nullptr;

    QSpinBox *m_mseHidden = nullptr;
    QSpinBox *m_mdnHidden = nullptr;
    QSpinBox *m_mixtures = nullptr;

    QComboBox *m_optimizer = nullptr;
    LogSpinBox *m_learningRate = nullptr;
    QSpinBox *m_batch = nullptr;
    QSpinBox *m_epochLimit = nullptr;

    QSpinBox *m_validation = nullptr;

    QSpinBox *m_samplesPerX = nullptr;
    QDoubleSpinBox *m_piTemperature = nullptr;
    QDoubleSpinBox *m_sigmaTemperature = nullptr;
    QCheckBox *m_showData = nullptr;
    QCheckBox *m_showSamples = nullptr;
    QCheckBox *m_showDensity = nullptr;
    QCheckBox *m_densityLog = nullptr;
    QCheckBox *m_showMean = nullptr;
    QCheckBox *m_showMode = nullptr;
    QCheckBox *m_showBands = nullptr;

    QPushButton *m_train = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_step = nullptr;
    QPushButton *m_reset = nullptr;
    QPushButton *m_auto = nullptr;

    mdn::Generator m_generator = mdn::Generator::InverseSinusoid; // kept while a file is shown
    QString m_filePath;      // the file behind "From file…", kept while a generator is shown
    bool m_updating = false; // true while controls are set from code: no settingsChanged then
    bool m_running = false;
};

} // namespace mdnviz
