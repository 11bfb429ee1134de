#include "logspinbox.h"

#include <QLocale>

#include <cmath>

namespace mdnviz {

LogSpinBox::LogSpinBox(QWidget *parent) : QDoubleSpinBox(parent) {}

double LogSpinBox::ladderStep(double value, int steps)
{
    if (!(value > 0.0) || !std::isfinite(value) || steps == 0)
        return value;
    static const double rungs[] = {1.0, 2.0, 5.0};
    // Position on the ladder: 3 rungs per decade.
    const double decade = std::floor(std::log10(value));
    const double mantissa = value / std::pow(10.0, decade);
    int index = 0; // the highest rung <= mantissa (with a little tolerance for rounding)
    for (int i = 0; i < 3; ++i)
        if (mantissa >= rungs[i] * (1.0 - 1e-9))
            index = i;
    const bool onRung = std::abs(mantissa - rungs[index]) <= 1e-9 * rungs[index];
    long position = long(decade) * 3 + index;
    if (steps > 0)
        position += steps;
    else
        position += onRung ? steps : steps + 1; // between rungs, the rung below is one step down
    long d = position >= 0 ? position / 3 : -((-position + 2) / 3);
    const int r = int(position - d * 3);
    return rungs[r] * std::pow(10.0, double(d));
}

void LogSpinBox::stepBy(int steps)
{
    double v = ladderStep(value(), steps);
    if (!(value() > 0.0))
        v = steps > 0 ? minimum() : value();
    setValue(qBound(minimum(), v, maximum()));
    selectAll();
}

QString LogSpinBox::textFromValue(double value) const
{
    QString text = locale().toString(value, 'f', decimals());
    const QChar point = locale().decimalPoint().front();
    if (text.contains(point)) {
        while (text.endsWith(QLatin1Char('0')))
            text.chop(1);
        if (text.endsWith(point))
            text.chop(1);
    }
    if (!locale().groupSeparator().isEmpty())
        text.remove(locale().groupSeparator());
    return text;
}

} // namespace mdnviz
