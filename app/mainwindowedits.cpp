// The window's edits of the data and their undo: Edit ▸ Undo / Redo over a QUndoStack of data
// edits (strokes, Clear, Regenerate, an opened file) and model resets, and Edit ▸ Draw Data.

#include "mainwindow.h"

#include "datachart.h"
#include "drawing.h"
#include "elidedlabel.h"
#include "losschart.h"
#include "worker.h"

#include <QAction>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QToolButton>
#include <QUndoCommand>
#include <QUndoStack>
#include <QValueAxis>

namespace mdnviz {

// One step of Edit ▸ Undo: the data and settings before and after a change. Pushed after the
// change is made, so its first redo does nothing.
class MainWindow::EditCommand : public QUndoCommand {
public:
    EditCommand(MainWindow *window, const QString &text, UndoRecord before, quint64 ticket)
        : m_window(window), m_before(std::move(before)), m_ticket(ticket)
    {
        setText(text);
        m_after.settings = window->m_settings;
        m_after.data = window->m_data;
    }
    void undo() override { m_window->restoreEdit(m_before, m_ticket); }
    void redo() override
    {
        if (m_done) {
            m_done = false;
            return;
        }
        m_ticket = m_window->reapplyEdit(m_after);
    }

private:
    MainWindow *m_window;
    UndoRecord m_before, m_after;
    quint64 m_ticket; // the replacement of the models that made the change
    bool m_done = true;
};

// A reset or a new setting replaces the models: it is worth undoing only when the worker kept
// trained ones (onUndoAvailable pushes it then). The change takes the next replacement's ticket.
void MainWindow::rememberForUndo(const QString &what)
{
    m_undo = UndoRecord{m_settings, m_data, m_lossChart->history(), m_modelsRequested + 1, what};
}

// The worker answers each replacement of the models with whether it kept the trained ones; only
// then is a reset worth undoing, and it is announced.
void MainWindow::onUndoAvailable(bool available, long epoch)
{
    m_workerUndoTicket = available ? m_modelsBuilt : 0;
    if (!m_undo || m_undo->ticket > m_modelsBuilt)
        return; // the answer to an earlier replacement
    UndoRecord r = std::move(*m_undo);
    m_undo.reset();
    if (!available || r.ticket != m_modelsBuilt)
        return;
    const QString what = r.what;
    m_undoStack->push(new EditCommand(this, what, std::move(r), m_modelsBuilt));
    showStatus(tr("Models reset (they had trained %L1 epochs): Edit ▸ Undo (%2) brings them back")
                   .arg(epoch)
                   .arg(m_undoAction->shortcut().toString(QKeySequence::NativeText)),
               15000);
}

bool MainWindow::canUndo() const { return m_undoStack->canUndo(); }

void MainWindow::undo() { m_undoStack->undo(); }

void MainWindow::redo() { m_undoStack->redo(); }

void MainWindow::editData(const QString &what, mdn::Dataset data, const Settings &settings)
{
    UndoRecord before{m_settings, m_data, m_lossChart->history(), 0, what};
    m_undo.reset(); // a reset waiting for its answer is this edit's to undo now
    setDataset(std::move(data), settings);
    m_undoStack->push(new EditCommand(this, what, std::move(before), m_modelsRequested));
}

void MainWindow::restoreEdit(const UndoRecord &before, quint64 ticket)
{
    if (!m_worker)
        return;
    m_undo.reset();
    // The worker keeps the models of the last replacement only: when that was this change's,
    // the models come back trained; otherwise the data and settings come back with new ones.
    if (ticket != 0 && ticket == m_workerUndoTicket && ticket == m_modelsRequested) {
        m_workerUndoTicket = 0;
        m_settings = before.settings;
        m_data = before.data;
        dropQueuedSnapshots();
        showDataset();
        m_charts.applyView(m_settings);
        m_lossChart->setHistory(before.losses);
        TrainingWorker *w = m_worker;
        replaceModels([w] { w->undo(); });
        showStatus(tr("Undone: the models, their data and settings are back (paused)"), 8000);
        emit datasetChanged();
        return;
    }
    setDataset(before.data, before.settings);
    showStatus(tr("Undone: the data and settings are back, with new models"), 8000);
}

quint64 MainWindow::reapplyEdit(const UndoRecord &after)
{
    m_undo.reset();
    setDataset(after.data, after.settings);
    return m_modelsRequested;
}

void MainWindow::clearData()
{
    if (!m_data.oneDimensional())
        return;
    mdn::Dataset empty = m_data;
    empty.clearPoints();
    empty.name = "drawn";
    Settings s = m_settings;
    s.fromFile = true; // drawn data are the user's own, as a file's: no generator, no Bayes floor
    s.filePath.clear();
    editData(tr("Clear"), std::move(empty), s);
    if (!m_drawAction->isChecked())
        m_drawAction->setChecked(true);
    showStatus(tr("Data cleared: draw points in the chart (training waits for at least two)"), 10000);
}

bool MainWindow::isDrawing() const { return m_drawAction->isChecked(); }

void MainWindow::setDrawing(bool on)
{
    if (on && !m_drawAction->isEnabled())
        on = false;
    if (m_drawAction->isChecked() != on)
        m_drawAction->setChecked(on); // toggles back into here
    m_dataChart->setDrawMode(on);
    if (on)
        showStatus(tr("Draw: drag to add points, right-drag (or Shift+drag) to erase; D ends"), 10000);
}

void MainWindow::setBrush(double radiusFraction, int pointsPerStep)
{
    m_brushRadius = std::clamp(radiusFraction, 0.001, 0.5);
    m_brushRate = std::clamp(pointsPerStep, 1, 50);
    m_dataChart->setBrushRadius(m_brushRadius);
}

QWidget *MainWindow::createDrawBar()
{
    m_drawBar = new QWidget;
    m_drawBar->setObjectName(QStringLiteral("drawBar"));
    auto *layout = new QHBoxLayout(m_drawBar);
    layout->setContentsMargins(6, 2, 6, 2);
    auto *draw = new QToolButton;
    draw->setDefaultAction(m_drawAction);
    draw->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    layout->addWidget(draw);
    auto *radius = new QDoubleSpinBox;
    radius->setObjectName(QStringLiteral("brushRadius"));
    radius->setRange(0.5, 25.0);
    radius->setDecimals(1);
    radius->setSingleStep(0.5);
    radius->setSuffix(tr(" %"));
    radius->setValue(100.0 * m_brushRadius);
    radius->setToolTip(tr("The brush's radius, in percent of each axis's range: the points "
                          "scatter around the cursor with half of it as standard deviation, and "
                          "the eraser takes the points within it"));
    auto *rate = new QSpinBox;
    rate->setObjectName(QStringLiteral("brushRate"));
    rate->setRange(1, 50);
    rate->setValue(m_brushRate);
    rate->setToolTip(tr("Points the brush adds at every %1 pixels of a stroke").arg(DataChart::kBrushStepPx));
    const auto apply = [this, radius, rate] { setBrush(radius->value() / 100.0, rate->value()); };
    connect(radius, &QDoubleSpinBox::valueChanged, this, apply);
    connect(rate, &QSpinBox::valueChanged, this, apply);
    auto *radiusLabel = new QLabel(tr("Brush"));
    auto *rateLabel = new QLabel(tr("Points per step"));
    layout->addWidget(radiusLabel);
    layout->addWidget(radius);
    layout->addWidget(rateLabel);
    layout->addWidget(rate);
    auto *clear = new QToolButton;
    clear->setDefaultAction(m_clearAction);
    layout->addWidget(clear);
    layout->addStretch(1);
    // The brush's controls only while drawing: otherwise the bar is one button and Clear.
    for (QWidget *w : {static_cast<QWidget *>(radiusLabel), static_cast<QWidget *>(radius),
                       static_cast<QWidget *>(rateLabel), static_cast<QWidget *>(rate)}) {
        w->setVisible(false);
        connect(m_drawAction, &QAction::toggled, w, &QWidget::setVisible);
    }
    return m_drawBar;
}

// Drawing is on the plane of one input and one target: other data cannot be drawn into.
void MainWindow::updateDrawAvailability()
{
    const bool drawable = m_data.oneDimensional();
    m_drawAction->setEnabled(drawable);
    m_clearAction->setEnabled(drawable);
    const QString why = tr("drawing needs one input and one target");
    m_drawAction->setToolTip(drawable ? tr("Draw data points in the chart (D)") : tr("Draw Data: %1").arg(why));
    m_clearAction->setToolTip(drawable ? tr("Remove every data point, to draw afresh") : tr("Clear Data: %1").arg(why));
    if (!drawable && m_drawAction->isChecked())
        m_drawAction->setChecked(false);
}

// A step of the brush: the stroke's data change at once on the chart; the models get them when
// the stroke ends (finishStroke), as one edit.
void MainWindow::onBrushAt(QPointF value, bool erase)
{
    if (!m_data.oneDimensional())
        return;
    if (!m_stroke) {
        m_stroke = m_data;
        m_strokeErases = erase;
    }
    const QValueAxis *ax = m_dataChart->axisX(), *ay = m_dataChart->axisY();
    mdn::Brush brush;
    brush.cx = value.x();
    brush.cy = value.y();
    brush.rx = m_brushRadius * (ax->max() - ax->min());
    brush.ry = m_brushRadius * (ay->max() - ay->min());
    if (!(brush.rx > 0.0) || !(brush.ry > 0.0))
        return;
    if (erase)
        mdn::erasePoints(*m_stroke, brush);
    else
        mdn::sprayPoints(*m_stroke, brush, m_brushRate, m_brushRng);
    QList<QPointF> points;
    points.reserve(qsizetype(m_stroke->size()));
    for (std::size_t i = 0; i < m_stroke->size(); ++i)
        points.append(QPointF(m_stroke->x[i], m_stroke->y[i]));
    m_dataChart->showDrawnPoints(points);
}

void MainWindow::finishStroke()
{
    if (!m_stroke)
        return;
    mdn::Dataset data = std::move(*m_stroke);
    m_stroke.reset();
    if (data.x == m_data.x && data.y == m_data.y)
        return; // an eraser stroke over no points
    data.name = "drawn";
    Settings s = m_settings;
    s.fromFile = true;
    s.filePath.clear();
    editData(m_strokeErases ? tr("Erase") : tr("Stroke"), std::move(data), s);
    if (m_data.size() < 2)
        showStatus(tr("%L1 points drawn: training waits for at least two").arg(m_data.size()), 10000);
    else
        showStatus(tr("%L1 points drawn: the models start afresh on them").arg(m_data.size()), 8000);
}

} // namespace mdnviz
