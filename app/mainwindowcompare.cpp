// The main window's Compare menu: runs added by hand or by a sweep, the automatic choice, the run
// the views show, and which of its weights they draw.

#include "mainwindow.h"

#include "comparedialogs.h"
#include "compareviews.h"
#include "worker.h"

#include <QAction>
#include <QActionGroup>
#include <QMenu>
#include <QMenuBar>
#include <QTabWidget>

namespace mdnviz {

void MainWindow::createCompareMenu()
{
    QMenu *compare = menuBar()->addMenu(tr("&Compare"));
    compare->setToolTipsVisible(true);
    QAction *add = compare->addAction(tr("&Add Run…"), this, &MainWindow::addRunDialog);
    add->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    add->setToolTip(tr("Another MDN on the same data and split, with some settings changed"));
    QAction *sweep = compare->addAction(tr("&Sweep…"), this, &MainWindow::sweepDialog);
    sweep->setToolTip(tr("One MDN run per value of a setting (and per seed)"));
    QAction *autoAction = compare->addAction(tr("A&uto"), this, &MainWindow::autoChoose);
    autoAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_U));
    autoAction->setToolTip(tr("Train ten MDN sizes (K ∈ {1, 2, 3, 5, 10} × H ∈ {12, 24}) and show the one "
                              "with the best held-out NLL"));
    compare->addSeparator();
    compare->addAction(tr("&Remove Shown Run"), this, &MainWindow::removeShownRun);
    compare->addAction(tr("&Clear Comparison"), this, &MainWindow::clearComparison);
    compare->addSeparator();
    QMenu *weights = compare->addMenu(tr("&Weights Shown"));
    auto *group = new QActionGroup(this);
    const QString names[] = {tr("&Latest"), tr("&Best Held-Out"), tr("Best Once Training &Stops")};
    const QString tips[] = {tr("The weights of the last epoch, always"),
                            tr("The weights of the epoch with the lowest held-out loss (early stopping)"),
                            tr("The latest while training, the best held-out once it stops")};
    for (int i = 0; i < 3; ++i) {
        QAction *a = weights->addAction(names[i]);
        a->setCheckable(true);
        a->setToolTip(tips[i]);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, i] { setWeightsShown(i); });
        m_weightsActions.append(a);
    }
    weights->setToolTipsVisible(true);
    m_weightsActions.at(2)->setChecked(true);
}

void MainWindow::addRuns(const std::vector<mdn::RunChange> &changes)
{
    if (!m_worker || changes.empty())
        return;
    TrainingWorker *w = m_worker;
    QMetaObject::invokeMethod(m_worker, [w, changes] { w->addRuns(changes); }, Qt::QueuedConnection);
    m_tabs->setCurrentIndex(m_compareTab);
}

void MainWindow::addRunDialog()
{
    auto *dialog = new AddRunDialog(m_settings, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { addRuns({dialog->change()}); });
    connect(dialog, &QDialog::finished, this, &QWidget::activateWindow); // the keys are the window's again
    dialog->open(); // window-modal: training goes on behind it
}

void MainWindow::sweepDialog()
{
    auto *dialog = new SweepDialog(m_settings, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        addRuns(dialog->changes());
        train(); // a sweep is asked for to be trained
    });
    connect(dialog, &QDialog::finished, this, &QWidget::activateWindow);
    dialog->open();
}

void MainWindow::autoChoose()
{
    if (!m_worker)
        return;
    TrainingWorker *w = m_worker;
    QMetaObject::invokeMethod(m_worker, [w] { w->startAuto(); }, Qt::QueuedConnection);
    m_tabs->setCurrentIndex(m_compareTab);
}

void MainWindow::showRun(std::size_t run)
{
    if (!m_worker)
        return;
    TrainingWorker *w = m_worker;
    QMetaObject::invokeMethod(m_worker, [w, run] { w->showRun(run); }, Qt::QueuedConnection);
}

void MainWindow::removeShownRun()
{
    if (!m_worker)
        return;
    TrainingWorker *w = m_worker;
    const std::size_t run = m_shownRun;
    QMetaObject::invokeMethod(m_worker, [w, run] { w->removeRun(run); }, Qt::QueuedConnection);
}

void MainWindow::clearComparison()
{
    if (!m_worker)
        return;
    TrainingWorker *w = m_worker;
    QMetaObject::invokeMethod(m_worker, [w] { w->clearComparison(); }, Qt::QueuedConnection);
}

void MainWindow::setWeightsShown(int weights)
{
    if (weights < 0 || weights > 2 || !m_worker)
        return;
    m_weightsActions.at(weights)->setChecked(true);
    TrainingWorker *w = m_worker;
    const auto kind = TrainingWorker::Weights(weights);
    QMetaObject::invokeMethod(m_worker, [w, kind] { w->setWeights(kind); }, Qt::QueuedConnection);
}

} // namespace mdnviz
