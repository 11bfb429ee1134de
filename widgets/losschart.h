#pragma once
// The "Loss" chart: the MSE net's loss (log scale, left) and the MDN's NLL (linear, right)
// against the epoch, on the training points (solid) and the held-out validation points (dashed),
// with the Bayes-optimal NLL of the validation points as a horizontal line when it is known.
// Thinned so that a run of millions of epochs stays cheap to draw.

#include "snapshot.h"

#include <QChartView>
#include <QList>
#include <QPointF>

#include <vector>

QT_BEGIN_NAMESPACE
class QLineSeries;
class QLogValueAxis;
class QValueAxis;
QT_END_NAMESPACE

namespace mdnviz {

class LossChart : public QChartView {
    Q_OBJECT

public:
    explicit LossChart(QWidget *parent = nullptr);

    // Appends one batch of epochs in order; NaN (and, for the log axis, non-positive) values are
    // skipped per series.
    void appendLosses(const std::vector<mdn::LossPoint> &losses);
    void clear();
    // The lowest NLL a model can reach on the validation points; NaN hides the line.
    void setBayesNll(double nll);
    double bayesNll() const { return m_bayes; }

    QLineSeries *mseSeries() const { return m_mse; }
    QLineSeries *nllSeries() const { return m_nll; }
    QLineSeries *validationMseSeries() const { return m_validationMse; }
    QLineSeries *validationNllSeries() const { return m_validationNll; }
    QLineSeries *bayesSeries() const { return m_bayesLine; }
    QValueAxis *epochAxis() const { return m_axisEpoch; }
    QLogValueAxis *mseAxis() const { return m_axisMse; }
    QValueAxis *nllAxis() const { return m_axisNll; }

    // Each series holds at most this many points.
    static constexpr int maxPoints = 2000;

    // One series' points: every stride-th value is kept for good, and the newest value is always
    // shown so that the line ends at the current epoch.
    struct Trace {
        QList<QPointF> points;
        long seen = 0; // values received since clear()
        long stride = 1;
        bool tailProvisional = false;

        void add(const QPointF &p);
        void reset() { *this = Trace(); }
    };

    // Everything drawn since clear(), to be put back after a clear (undo of a reset).
    struct History {
        Trace mse, nll, validationMse, validationNll;
    };
    History history() const { return {m_mseTrace, m_nllTrace, m_validationMseTrace, m_validationNllTrace}; }
    void setHistory(const History &history);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    bool fitLegend();
    void updateSeries();
    void updateAxes();

    QLineSeries *m_mse = nullptr;
    QLineSeries *m_nll = nullptr;
    QLineSeries *m_validationMse = nullptr;
    QLineSeries *m_validationNll = nullptr;
    QLineSeries *m_bayesLine = nullptr;
    double m_bayes;
    QValueAxis *m_axisEpoch = nullptr;
    QLogValueAxis *m_axisMse = nullptr;
    QValueAxis *m_axisNll = nullptr;
    Trace m_mseTrace;
    Trace m_nllTrace;
    Trace m_validationMseTrace;
    Trace m_validationNllTrace;
};

} // namespace mdnviz
