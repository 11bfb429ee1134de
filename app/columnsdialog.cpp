#include "columnsdialog.h"

#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>

namespace mdnviz {

namespace {

QListWidget *checkList(const QStringList &names)
{
    auto *list = new QListWidget;
    for (int i = 0; i < names.size(); ++i) {
        auto *item = new QListWidgetItem(QStringLiteral("%1  %2").arg(i + 1).arg(names[i]), list);
        item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        item->setCheckState(Qt::Unchecked);
    }
    return list;
}

std::vector<std::string> checkedNumbers(const QListWidget *list)
{
    std::vector<std::string> out;
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->checkState() == Qt::Checked)
            out.push_back(std::to_string(i + 1));
    return out;
}

} // namespace

ColumnsDialog::ColumnsDialog(const QString &fileName, const QStringList &names, QWidget *parent)
    : QDialog(parent), m_inputs(checkList(names)), m_targets(checkList(names)), m_problem(new QLabel),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Choose Columns"));
    auto *intro = new QLabel(tr("%1 has %2 columns. The model learns the targets from the inputs; "
                                "columns in neither list are left out. The charts plot the first "
                                "input against the first target.")
                                 .arg(fileName)
                                 .arg(names.size()));
    intro->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020"));
    auto *grid = new QGridLayout(this);
    grid->addWidget(intro, 0, 0, 1, 2);
    grid->addWidget(new QLabel(tr("Inputs")), 1, 0);
    grid->addWidget(new QLabel(tr("Targets")), 1, 1);
    grid->addWidget(m_inputs, 2, 0);
    grid->addWidget(m_targets, 2, 1);
    grid->addWidget(m_problem, 3, 0, 1, 2);
    grid->addWidget(m_buttons, 4, 0, 1, 2);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_inputs, &QListWidget::itemChanged, this, &ColumnsDialog::update);
    connect(m_targets, &QListWidget::itemChanged, this, &ColumnsDialog::update);
    QList<int> inputs;
    for (int i = 1; i < names.size(); ++i)
        inputs << i;
    choose(inputs, {int(names.size())});
}

void ColumnsDialog::choose(const QList<int> &inputs, const QList<int> &targets)
{
    for (QListWidget *list : {m_inputs, m_targets}) {
        const QList<int> &chosen = list == m_inputs ? inputs : targets;
        const QSignalBlocker block(list);
        for (int i = 0; i < list->count(); ++i)
            list->item(i)->setCheckState(chosen.contains(i + 1) ? Qt::Checked : Qt::Unchecked);
    }
    update();
}

mdn::CsvColumns ColumnsDialog::columns() const
{
    return {checkedNumbers(m_inputs), checkedNumbers(m_targets)};
}

// OK needs at least one input and one target, and no column in both lists.
void ColumnsDialog::update()
{
    const mdn::CsvColumns c = columns();
    QString problem;
    if (c.inputs.empty())
        problem = tr("Tick at least one input.");
    else if (c.targets.empty())
        problem = tr("Tick at least one target.");
    for (const std::string &n : c.inputs)
        if (std::find(c.targets.begin(), c.targets.end(), n) != c.targets.end())
            problem = tr("Column %1 cannot be an input and a target.").arg(QString::fromStdString(n));
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace mdnviz
