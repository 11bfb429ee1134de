#pragma once
// A spin box for scale-like values (learning rates): the arrows walk 1, 2, 5, 10, 20, ... and the
// text drops trailing zeros, while typing accepts any value in range.

#include <QDoubleSpinBox>

namespace mdnviz {

class LogSpinBox : public QDoubleSpinBox {
    Q_OBJECT

public:
    explicit LogSpinBox(QWidget *parent = nullptr);

    void stepBy(int steps) override;
    QString textFromValue(double value) const override;

    // The value `steps` rungs of the 1-2-5 ladder away from `value` (for a value between rungs,
    // the first step goes to the neighbouring rung).
    static double ladderStep(double value, int steps);
};

} // namespace mdnviz
