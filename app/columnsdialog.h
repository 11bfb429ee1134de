#pragma once
// Which columns of a wider CSV file are the inputs and which the targets: asked when a file with
// more than two columns is opened in the window.

#include "csv.h"

#include <QDialog>
#include <QStringList>

class QDialogButtonBox;
class QLabel;
class QListWidget;

namespace mdnviz {

class ColumnsDialog : public QDialog {
    Q_OBJECT
public:
    // `names`: the file's columns in order (header names, or "1", "2"... without a header).
    // Starts with every column but the last as an input and the last as the target.
    ColumnsDialog(const QString &fileName, const QStringList &names, QWidget *parent = nullptr);

    // The chosen columns, by 1-based number (exact even when two columns share a name).
    mdn::CsvColumns columns() const;
    // Ticks exactly these columns (1-based) as inputs and targets.
    void choose(const QList<int> &inputs, const QList<int> &targets);

private:
    void update();

    QListWidget *m_inputs, *m_targets;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace mdnviz
