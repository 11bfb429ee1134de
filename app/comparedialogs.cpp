#include "comparedialogs.h"

#include "logspinbox.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mdnviz {

namespace {

// A spin box over the command line's range of the setting (the window's bound where it has one).
QSpinBox *integerBox(const char *option, int value)
{
    const mdn::SettingSpec &spec = *mdn::settingForOption(option);
    auto *box = new QSpinBox;
    box->setRange(int(spec.min), int(std::min<double>(spec.windowMax(), std::numeric_limits<int>::max())));
    box->setValue(value);
    box->setToolTip(QString::fromUtf8(spec.help));
    return box;
}

// Values a sweep of each setting usually starts from.
QString suggestedValues(const QString &parameter)
{
    if (parameter == QLatin1String("mixtures"))
        return QStringLiteral("1,2,3,5,10");
    if (parameter == QLatin1String("hidden"))
        return QStringLiteral("6,12,24,48");
    if (parameter == QLatin1String("lr"))
        return QStringLiteral("0.001,0.003,0.01,0.03");
    if (parameter == QLatin1String("batch"))
        return QStringLiteral("0,32,128");
    if (parameter == QLatin1String("seed"))
        return QStringLiteral("1,2,3,4");
    if (parameter == QLatin1String("optimizer"))
        return QStringLiteral("adam,rmsprop,sgd");
    return {};
}

} // namespace

AddRunDialog::AddRunDialog(const Settings &settings, QWidget *parent)
    : QDialog(parent), m_settings(settings)
{
    setWindowTitle(tr("Add Run"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("A run more of the MDN on the same data and split, with these "
                                "settings. It trains with the others and follows the settings "
                                "you leave as they are."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    m_mixtures = integerBox("mixtures", settings.mixtures);
    m_hidden = integerBox("hidden", settings.mdnHidden);
    m_optimizer = new QComboBox;
    for (const std::string &name : mdn::settingForOption("optimizer")->choices)
        m_optimizer->addItem(QString::fromStdString(name));
    m_optimizer->setCurrentText(QString::fromUtf8(mdn::optimizerName(settings.optimizer)));
    m_lr = new LogSpinBox;
    const mdn::SettingSpec &lr = *mdn::settingForOption("lr");
    m_lr->setDecimals(6);
    m_lr->setRange(lr.min, lr.windowMax());
    m_lr->setValue(settings.learningRate);
    m_batch = integerBox("batch", settings.batch);
    m_batch->setSpecialValueText(tr("full"));
    m_seed = integerBox("seed", 0);
    m_seed->setValue(int(std::min<std::uint64_t>(settings.seed, std::uint64_t(m_seed->maximum()))));
    form->addRow(tr("Mixtures &K"), m_mixtures);
    form->addRow(tr("&Hidden units"), m_hidden);
    form->addRow(tr("&Optimiser"), m_optimizer);
    form->addRow(tr("&Learning rate"), m_lr);
    form->addRow(tr("&Batch"), m_batch);
    form->addRow(tr("Model s&eed"), m_seed);
    layout->addLayout(form);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Add"));
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QSpinBox *box : {m_mixtures, m_hidden, m_batch, m_seed})
        connect(box, &QSpinBox::valueChanged, this, &AddRunDialog::updateState);
    connect(m_lr, &QDoubleSpinBox::valueChanged, this, &AddRunDialog::updateState);
    connect(m_optimizer, &QComboBox::currentIndexChanged, this, &AddRunDialog::updateState);
    updateState();
}

mdn::RunChange AddRunDialog::change() const
{
    mdn::RunChange c;
    if (m_mixtures->value() != m_settings.mixtures)
        c.emplace_back("mixtures", std::to_string(m_mixtures->value()));
    if (m_hidden->value() != m_settings.mdnHidden)
        c.emplace_back("hidden", std::to_string(m_hidden->value()));
    if (m_optimizer->currentText() != QString::fromUtf8(mdn::optimizerName(m_settings.optimizer)))
        c.emplace_back("optimizer", m_optimizer->currentText().toStdString());
    // The box rounds to its decimals: only a change the user made counts.
    if (std::abs(m_lr->value() - m_settings.learningRate) > 0.5 * std::pow(10.0, -m_lr->decimals()))
        c.emplace_back("lr", QString::number(m_lr->value(), 'g', 10).toStdString());
    if (m_batch->value() != m_settings.batch)
        c.emplace_back("batch", std::to_string(m_batch->value()));
    if (std::uint64_t(m_seed->value()) != std::min<std::uint64_t>(m_settings.seed, std::uint64_t(m_seed->maximum())))
        c.emplace_back("seed", std::to_string(m_seed->value()));
    return c;
}

void AddRunDialog::updateState()
{
    const mdn::RunChange c = change();
    mdn::TrainConfig config;
    std::string why;
    const bool ok = !c.empty() && mdn::applyChange(m_settings, c, config, why);
    if (c.empty())
        m_summary->setText(tr("These are the settings' own: change at least one."));
    else if (!ok)
        m_summary->setText(QString::fromStdString(why));
    else
        m_summary->setText(tr("The run: %1").arg(QString::fromStdString(
            mdn::describeDifferences(m_settings.modelConfig(mdn::ModelKind::Mdn), config))));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

SweepDialog::SweepDialog(const Settings &settings, QWidget *parent) : QDialog(parent), m_settings(settings)
{
    setWindowTitle(tr("Sweep"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("One MDN run per value (and per seed), all on the same data and "
                                "split; the held-out points say which value does best."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    m_parameter = new QComboBox;
    for (const std::string &name : mdn::sweepableParameters())
        if (name != "mse-hidden") // the comparison is of MDNs
            m_parameter->addItem(QString::fromStdString(name));
    m_values = new QLineEdit(suggestedValues(m_parameter->currentText()));
    m_values->setToolTip(tr("Values separated by commas"));
    m_seeds = new QSpinBox;
    m_seeds->setRange(1, 10);
    m_seeds->setToolTip(tr("Each value trained with this many model seeds: the spread says how much "
                           "of a difference is chance"));
    form->addRow(tr("&Setting"), m_parameter);
    form->addRow(tr("&Values"), m_values);
    form->addRow(tr("S&eeds per value"), m_seeds);
    layout->addLayout(form);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Sweep"));
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_parameter, &QComboBox::currentTextChanged, this, [this](const QString &name) {
        m_values->setText(suggestedValues(name));
    });
    connect(m_values, &QLineEdit::textChanged, this, &SweepDialog::updateState);
    connect(m_seeds, &QSpinBox::valueChanged, this, &SweepDialog::updateState);
    updateState();
}

bool SweepDialog::parse(mdn::SweepSpec &spec, QString &why) const
{
    std::string reason;
    if (!mdn::parseSweep((m_parameter->currentText() + QLatin1Char('=') + m_values->text()).toStdString(), spec,
                         reason)) {
        why = QString::fromStdString(reason);
        return false;
    }
    spec.seeds = m_seeds->value();
    return true;
}

std::vector<mdn::RunChange> SweepDialog::changes() const
{
    mdn::SweepSpec spec;
    QString why;
    std::vector<mdn::RunChange> out;
    if (!parse(spec, why))
        return out;
    const mdn::TrainConfig reference = m_settings.modelConfig(mdn::ModelKind::Mdn);
    for (const mdn::SweepRun &run : mdn::sweepRuns(m_settings, spec))
        out.push_back(mdn::changeBetween(reference, run.config));
    return out;
}

void SweepDialog::updateState()
{
    mdn::SweepSpec spec;
    QString why;
    const bool ok = parse(spec, why);
    if (ok) {
        const std::vector<mdn::RunChange> runs = changes();
        const auto own = std::count_if(runs.begin(), runs.end(), [](const mdn::RunChange &c) { return c.empty(); });
        m_summary->setText(own > 0 ? tr("%1 runs; one of them is the settings' own, there already").arg(runs.size())
                                   : tr("%1 runs").arg(runs.size()));
    } else {
        m_summary->setText(why);
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

} // namespace mdnviz
