#pragma once
// The "Compare" tab: several MDN runs trained side by side on the same data and split. Their
// losses on one plot, their samples in a grid of small plots on shared axes, and their figures
// in a table. Painted by hand: with a dozen runs a snapshot arrives some 30 times a second, and
// each update has to cost a few milliseconds at most.

#include "losschart.h"
#include "planeplot.h"
#include "snapshot.h"

#include <QColor>
#include <QPolygonF>
#include <QTableWidget>
#include <QWidget>

#include <vector>

QT_BEGIN_NAMESPACE
class QSplitter;
QT_END_NAMESPACE

namespace mdnviz {

// The colour of the run with session index `i`: twelve distinct colours readable on white
// (tab10, then a dark teal and a dark gold), repeating after that.
QColor runColour(std::size_t i);
constexpr std::size_t kRunColours = 12;

// A run's label as the views show it: "as set" for the reference run (empty label).
QString runLabelText(const std::string &label);
// Nats with three decimals and a true minus sign, never "−0.000"; "–" when not finite.
QString natsText(double value);
// An epoch count with thousands separators ("12,400"); "–" when negative.
QString epochText(long epoch);

// The runs' losses against the epoch: per run the training NLL solid and the validation NLL
// dashed, in the run's colour; the Bayes floor as a labelled black dashed line. The shown run is
// drawn last and thicker. The NLL axis leaves out the first epochs' huge losses so that late
// differences of a hundredth of a nat stay visible.
class CompareLossPlot : public QWidget {
    Q_OBJECT

public:
    explicit CompareLossPlot(QWidget *parent = nullptr);

    // Appends each run's losses since the previous snapshot (or, with lossesRestart, replaces
    // its curves); runs missing from `s` lose their curves.
    void showSnapshot(const mdn::Snapshot &s);
    void clear();
    // The figure in `rect` (screen, PNG and SVG alike).
    void paintTo(QPainter *painter, const QRectF &rect) const;

    std::size_t runCount() const { return m_curves.size(); }
    bool hasRun(std::size_t run) const { return find(run) != nullptr; }
    // Points kept of a run's curves (0 for an unknown run).
    int trainPoints(std::size_t run) const;
    int validationPoints(std::size_t run) const;
    const QList<QPointF> &trainCurve(std::size_t run) const;
    double bayesNll() const { return m_bayes; }
    // The axes' range and where a value lands when the figure is painted in `rect`.
    PlaneRange visibleRange(const QRectF &rect) const;
    QPointF positionOf(QPointF value, const QRectF &rect) const;

    // The NLL axis' range (see updateRange): the losses of this first share of the epochs are
    // left out; the recent losses' spread above the lowest takes at least 1/kRecentSpan of the
    // height; the range is at least kMinSpan nats.
    static constexpr double kWarmupShare = 0.02;
    static constexpr double kRecentSpan = 3.0;
    static constexpr double kMinSpan = 0.05;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    struct Curve {
        std::size_t run = 0;
        QString label;
        bool shown = false;
        bool failed = false;
        LossChart::Trace train, validation;
    };
    struct Layout {
        PlaneFrame frame;
        QRectF legendArea;
        std::vector<LegendEntry> legend;
    };

    const Curve *find(std::size_t run) const;
    Layout layoutFor(const QRectF &rect) const;
    std::vector<LegendEntry> legend() const;
    void updateRange();

    std::vector<Curve> m_curves; // in the snapshot's order of the runs
    double m_bayes;
    PlaneRange m_range; // wanted: epochs and the NLL after the warm-up
};

// One small plot per run, all on the same axes (the data's first input and first target,
// padded): the data in light grey, the run's samples in its colour, a title with its label and
// validation NLL. The shown run's panel has a frame in its colour; a click on a panel emits
// runClicked with its run.
class SmallMultiples : public QWidget {
    Q_OBJECT

public:
    explicit SmallMultiples(QWidget *parent = nullptr);

    void setData(const mdn::Dataset &data);
    void showSnapshot(const mdn::Snapshot &s);
    void clear();
    void paintTo(QPainter *painter, const QRectF &rect) const;

    std::size_t panelCount() const { return m_panels.size(); }
    // The grid for `count` panels in `size`: columns (rows follow).
    static int columnsFor(std::size_t count, QSizeF size);
    int columns() const;
    // A run's panel (title and plot) and its plot alone, in the widget at its size or in a
    // figure painted in `rect`; empty for a run not shown.
    QRectF panelRect(std::size_t run) const;
    QRectF panelRect(std::size_t run, const QRectF &rect) const;
    QRectF plotRect(std::size_t run, const QRectF &rect) const;
    QString panelTitle(std::size_t run) const;
    // The run whose panel holds `pos` (widget coordinates); false when none does.
    bool runAt(QPointF pos, std::size_t *run) const;

signals:
    void runClicked(std::size_t run);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    struct Panel {
        std::size_t run = 0;
        QString label;   // "as set" for the reference run
        QString figures; // validation NLL and the best epoch, or that it failed
        QString shortFigures; // the same without the best epoch, for narrow panels
        QString latest;       // the validation NLL alone, for narrower ones
        QString title() const
        {
            return figures.isEmpty() ? label : label + QStringLiteral(" · ") + figures;
        }
        bool shown = false;
        bool failed = false;
        ScatterImage samples;
    };
    struct Layout {
        std::vector<QRectF> cells; // per panel: title and plot
        PlaneFrame frame;          // of the first cell, at the origin; the others are shifted
        double titleHeight = 0.0;
        bool twoLines = false; // the titles' figures below their labels
        int columns = 1;
        QRectF xTitle, yTitle;
    };
    Layout layoutFor(const QRectF &rect) const;
    std::size_t indexOf(std::size_t run) const; // m_panels.size() when absent

    std::vector<Panel> m_panels;
    ScatterImage m_data;
    PlaneRange m_dataRange = PlaneRange::none();
    PlaneRange m_sampleRange = PlaneRange::none(); // the axes until data are set
    QString m_xTitle = QStringLiteral("x"), m_yTitle = QStringLiteral("y");
};

// One row per run: colour and label, K, hidden layers, optimiser and learning rate, the losses,
// the best epoch, the gap to the Bayes floor, epochs and time. Updated in place while the set of
// runs stays the same, so that the selection and the scroll position stay too. The shown run's
// row is bold; a click on a row emits runClicked with its run.
class RunsTable : public QTableWidget {
    Q_OBJECT

public:
    enum Column {
        RunColumn,
        KColumn,
        HiddenColumn,
        OptimiserColumn,
        TrainColumn,
        ValidationColumn,
        BestColumn,
        BestEpochColumn,
        GapColumn,
        EpochsColumn,
        TimeColumn,
        ColumnCount
    };

    explicit RunsTable(QWidget *parent = nullptr);

    void showSnapshot(const mdn::Snapshot &s);
    void clear();

    // The row of a run, -1 when it has none; the run of a row.
    int rowOf(std::size_t run) const;
    std::size_t runOfRow(int row) const { return m_runs.at(std::size_t(row)); }
    // Times the rows were built anew (the set of runs changed).
    int rebuilds() const { return m_rebuilds; }

signals:
    void runClicked(std::size_t run);

private:
    void rebuild(const mdn::Snapshot &s);
    void setCell(int row, int column, const QString &text);

    std::vector<std::size_t> m_runs; // per row
    int m_rebuilds = 0;
};

// The three together: small multiples and the loss plot side by side above the table, in
// splitters.
class CompareView : public QWidget {
    Q_OBJECT

public:
    explicit CompareView(QWidget *parent = nullptr);

    void setData(const mdn::Dataset &data);
    void showSnapshot(const mdn::Snapshot &s);
    void clear();

    CompareLossPlot *lossPlot() const { return m_loss; }
    SmallMultiples *multiples() const { return m_multiples; }
    RunsTable *table() const { return m_table; }

signals:
    void runClicked(std::size_t run);

private:
    QSplitter *m_top = nullptr, *m_split = nullptr;
    SmallMultiples *m_multiples = nullptr;
    CompareLossPlot *m_loss = nullptr;
    RunsTable *m_table = nullptr;
};

} // namespace mdnviz
