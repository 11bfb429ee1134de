#pragma once
// The "Sweep" chart: the held-out loss (and the training loss) each value of a swept setting
// reached, one category per value in the order swept, with bars from the lowest to the highest
// held-out loss over the seeds when each value was trained with several, the best held-out loss
// of its runs (what early stopping keeps), and the Bayes-optimal NLL as a horizontal line when it
// is known.

#include "chartexport.h"

#include <QChartView>
#include <QList>
#include <QString>

QT_BEGIN_NAMESPACE
class QCategoryAxis;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace mdnviz {

class SweepChart : public QChartView {
    Q_OBJECT

public:
    explicit SweepChart(QWidget *parent = nullptr);

    // One swept value: its label, the mean held-out loss over its seeds at the last epoch with
    // their lowest and highest, the mean training loss, and the mean best held-out loss. NaN
    // values are left out of the plot.
    struct Value {
        QString label;
        int runs = 1;
        double validation = 0.0, validationMin = 0.0, validationMax = 0.0;
        double train = 0.0;
        double best = 0.0;
    };
    // `parameter` names the x axis ("mixtures"), `loss` the y axis ("NLL (nats)").
    void setValues(const QString &parameter, const QString &loss, const QList<Value> &values);
    // The lowest NLL a model can reach on the held-out points; NaN hides the line.
    void setBayesNll(double nll);

    QLineSeries *validationSeries() const { return m_validation; }
    QLineSeries *trainSeries() const { return m_train; }
    QLineSeries *bestSeries() const { return m_best; }
    QLineSeries *bayesSeries() const { return m_bayesLine; }
    // One per value trained with more than one seed.
    const QList<QLineSeries *> &errorBars() const { return m_bars; }
    QCategoryAxis *valueAxis() const { return m_axisX; }
    QValueAxis *lossAxis() const { return m_axisY; }

    Figure figure() { return chartFigure(chart()); }

private:
    void updateAxes();

    QLineSeries *m_validation, *m_train, *m_best, *m_bayesLine;
    QScatterSeries *m_validationMarkers;
    QList<QLineSeries *> m_bars;
    QCategoryAxis *m_axisX;
    QValueAxis *m_axisY;
    QList<Value> m_values;
    double m_bayes;
};

} // namespace mdnviz
