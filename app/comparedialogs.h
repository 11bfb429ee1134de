#pragma once
// The Compare menu's dialogs: one run that changes some of the model's settings, and a sweep (one
// run per value of a setting, and per model seed). Both answer with changes of the settings
// (mdn::RunChange), so that the runs follow the settings when they change.

#include "settings.h"
#include "sweep.h"

#include <QDialog>

#include <vector>

QT_BEGIN_NAMESPACE
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;
QT_END_NAMESPACE

namespace mdnviz {

class LogSpinBox;

// Compare ▸ Add Run…: the settings a run can change, filled with the current ones; the run is
// what differs from them (OK stays off while nothing does).
class AddRunDialog : public QDialog {
    Q_OBJECT

public:
    explicit AddRunDialog(const Settings &settings, QWidget *parent = nullptr);
    mdn::RunChange change() const;

    QSpinBox *mixturesBox() const { return m_mixtures; }
    QSpinBox *hiddenBox() const { return m_hidden; }

private:
    void updateState();

    Settings m_settings;
    QSpinBox *m_mixtures, *m_hidden, *m_batch, *m_seed;
    QComboBox *m_optimizer;
    LogSpinBox *m_lr;
    QLabel *m_summary;
    QDialogButtonBox *m_buttons;
};

// Compare ▸ Sweep…: a setting, its values and the seeds per value; OK stays off while the values
// are not ones the setting takes, and the line below says why (or how many runs it makes).
class SweepDialog : public QDialog {
    Q_OBJECT

public:
    explicit SweepDialog(const Settings &settings, QWidget *parent = nullptr);
    // One change per run of the sweep (the run equal to the settings' own is among them: the
    // window skips it, the settings' run stands for it).
    std::vector<mdn::RunChange> changes() const;

    QComboBox *parameterBox() const { return m_parameter; }
    QLineEdit *valuesEdit() const { return m_values; }
    QSpinBox *seedsBox() const { return m_seeds; }
    QLabel *summaryLabel() const { return m_summary; }

private:
    bool parse(mdn::SweepSpec &spec, QString &why) const;
    void updateState();

    Settings m_settings;
    QComboBox *m_parameter;
    QLineEdit *m_values;
    QSpinBox *m_seeds;
    QLabel *m_summary;
    QDialogButtonBox *m_buttons;
};

} // namespace mdnviz
