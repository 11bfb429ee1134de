#include "armviews.h"

#include "armviews_p.h"
#include "datachart.h"
#include "robotarm.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace mdnviz {

using namespace armviews_detail;

namespace {

// Components lighter than this are not drawn: their means and widths mean nothing.
constexpr double kMinPi = 0.01;

QString coordinate(double v)
{
    return QString::number(v, 'f', 3);
}

// The mean of N(mu, sigma^2) over each of the cells [lo + i width, lo + (i + 1) width).
void cellMeans(Eigen::ArrayXd &out, double lo, double width, double mu, double sigma)
{
    if (!(sigma > 0.0) || !(width > 0.0)) {
        out.setZero();
        return;
    }
    const double scale = 1.0 / (std::sqrt(2.0) * sigma);
    double below = 0.5 * std::erfc(-(lo - mu) * scale); // the normal's cdf at the cell's left edge
    for (Eigen::Index i = 0; i < out.size(); ++i) {
        const double edge = lo + double(i + 1) * width;
        const double upTo = 0.5 * std::erfc(-(edge - mu) * scale);
        out(i) = std::max(0.0, upTo - below) / width;
        below = upTo;
    }
}

} // namespace

struct JointView::Layout {
    PlaneFrame frame;
    QRectF headingArea, legendArea;
    std::vector<LegendEntry> legend;
    bool colourBar = false;
};

JointView::JointView(QWidget *parent) : QWidget(parent), m_target(kNoPoint)
{
    setMinimumSize(240, 220);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_scatter.setColour(DataChart::dataColor());
}

JointView::~JointView() = default;

void JointView::setData(const mdn::Dataset &data)
{
    m_xTitle = QString::fromStdString(data.targetName(0));
    m_yTitle = data.targetDims > 1 ? QString::fromStdString(data.targetName(1)) : QString();
    m_inputNames[0] = QString::fromStdString(data.inputName(0));
    m_inputNames[1] =
        data.inputDims > 1 ? QString::fromStdString(data.inputName(1)) : QStringLiteral("x2");
    m_dataMessage.clear();
    std::vector<QPointF> points;
    if (!data.shapeValid())
        m_dataMessage = tr("The data's columns do not hold whole points");
    else if (data.targetDims < 2)
        m_dataMessage =
            tr("The data have %1 target column(s); this view needs 2").arg(data.targetDims);
    else
        points = columnPairs(data.y, data.targetDims, data.size());
    m_dataRange = rangeOf(points);
    m_pointCount = points.size();
    m_scatter.setPoints(std::move(points));
    m_densityValid = false;
    update();
}

void JointView::setModels(std::shared_ptr<const mdn::Predictor> mse,
                          std::shared_ptr<const mdn::Predictor> mdn)
{
    m_mse = std::move(mse);
    m_mdn = std::move(mdn);
    m_answers.reset();
    m_densityValid = false;
    update();
}

void JointView::setTarget(QPointF target)
{
    if (!finite(target) || (m_targetSet && target == m_target))
        return;
    m_target = target;
    m_targetSet = true;
    m_answers.reset();
    m_densityValid = false;
    update();
}

void JointView::setShowArms(bool show)
{
    if (show == m_showArms)
        return;
    m_showArms = show;
    update();
}

const TargetAnswers &JointView::answers() const
{
    if (!m_answers)
        m_answers = answersAt(m_target, m_mse.get(), m_mdn.get(), 0, 0);
    return *m_answers;
}

QString JointView::message() const
{
    return m_dataMessage.isEmpty() ? answers().message : m_dataMessage;
}

PlaneRange JointView::wantedRange() const
{
    PlaneRange r = m_dataRange;
    if (m_showArms) {
        r.include(mdn::arm::kTheta1Lo, mdn::arm::kTheta2Lo);
        r.include(mdn::arm::kTheta1Hi, mdn::arm::kTheta2Hi);
    }
    return r.valid() ? r : PlaneRange();
}

std::vector<LegendEntry> JointView::legend() const
{
    using Shape = LegendEntry::Shape;
    std::vector<LegendEntry> out;
    if (m_pointCount > 0)
        out.push_back(
            {tr("data"), Shape::Circle, Qt::NoPen, withAlpha(DataChart::dataColor(), 150)});
    if (m_showArms)
        out.push_back({tr("joint limits"), Shape::Swatch,
                       QPen(QColor(110, 110, 110), 1.2, Qt::DashLine), Qt::NoBrush});
    const TargetAnswers &a = answers();
    if (!m_dataMessage.isEmpty() || !a.message.isEmpty())
        return out;
    if (a.hasMdn) {
        out.push_back({tr("MDN component: mean, 1σ"), Shape::Circle,
                       QPen(withAlpha(componentColour(0), 200), 1.5),
                       withAlpha(componentColour(0), 200)});
        out.push_back(
            {tr("MDN most probable"), Shape::Ring, QPen(answerColour(), 2.5), Qt::NoBrush});
    }
    if (m_showArms && finite(m_target) && !mdn::arm::inverse({m_target.x(), m_target.y()}).empty())
        out.push_back(
            {tr("true solutions"), Shape::Square, QPen(targetColour(), 1.5), Qt::NoBrush});
    if (a.hasMse)
        out.push_back({tr("MSE net"), Shape::Diamond, QPen(Qt::white, 1.0), DataChart::mseColor()});
    return out;
}

JointView::Layout JointView::layoutFor(QSizeF size) const
{
    Layout l;
    l.legend = legend();
    QRectF area = layoutAroundPlot(size, l.legend, l.headingArea, l.legendArea);
    const TargetAnswers &a = answers();
    l.colourBar = a.hasMdn && a.message.isEmpty() && m_dataMessage.isEmpty();
    if (l.colourBar)
        area.setRight(area.right() - kColourBarReserve + kOuter);
    l.frame.layout(area, wantedRange(), false, m_xTitle, m_yTitle, plotStyle());
    return l;
}

void JointView::updateDensity() const
{
    const PlaneRange &r = m_densityRange;
    const TargetAnswers &a = answers();
    m_density = mdn::DensityGrid();
    m_densityImage = QImage();
    m_densityValid = true;
    if (!a.hasMdn || !a.message.isEmpty() || !r.valid())
        return;
    // p(theta | x) = sum_k pi_k N(theta1; mu_k1, sigma_k1) N(theta2; mu_k2, sigma_k2): each
    // component is a product of two one-dimensional gaussians, so it takes 2 n evaluations per
    // component rather than n^2, and the grid is a sum of outer products. Each cell holds the
    // density's mean over the cell rather than its value at the centre: a component narrower
    // than a cell (the arm's data need no noise) still shows, with its true mass.
    const int n = kGridCells;
    const double dx = (r.xHi - r.xLo) / n, dy = (r.yHi - r.yLo) / n;
    const mdn::Mixture &m = a.mixture;
    Eigen::ArrayXXd sum = Eigen::ArrayXXd::Zero(n, n); // rows: theta2 from the bottom
    Eigen::ArrayXd gx(n), gy(n);
    for (int k = 0; k < m.components(); ++k) {
        const double pi = m.pi(k, 0);
        if (!(pi > 0.0))
            continue;
        cellMeans(gx, r.xLo, dx, m.mean(k, 0, 0), m.width(k, 0, 0));
        cellMeans(gy, r.yLo, dy, m.mean(k, 0, 1), m.width(k, 0, 1));
        sum.matrix().noalias() += pi * gy.matrix() * gx.matrix().transpose();
    }
    m_density.xLo = r.xLo + 0.5 * dx;
    m_density.xHi = r.xHi - 0.5 * dx;
    m_density.yLo = r.yLo;
    m_density.yHi = r.yHi;
    m_density.rows = m_density.cols = n;
    m_density.values.resize(std::size_t(n) * std::size_t(n));
    for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col) {
            const double v = sum(row, col);
            m_density.values[std::size_t(row) * std::size_t(n) + std::size_t(col)] =
                std::isfinite(v) ? float(v) : 0.0f;
        }
    m_scale = DensityScale::forGrid(m_density, true);
    m_densityImage = densityImage(m_density, m_scale);
}

const mdn::DensityGrid &JointView::density() const
{
    const PlaneRange r = visibleRange();
    if (!m_densityValid || r != m_densityRange) {
        m_densityRange = r;
        updateDensity();
    }
    return m_density;
}

void JointView::paint(QPainter *painter, QSizeF size, double scale) const
{
    if (size.isEmpty() || !(scale > 0.0))
        return;
    painter->save();
    painter->scale(scale, scale);
    const Layout l = layoutFor(size / scale);
    const PlaneFrame &f = l.frame;
    if (!m_densityValid || f.range() != m_densityRange) {
        m_densityRange = f.range();
        updateDensity();
    }
    const TargetAnswers &a = answers();
    const bool models = m_dataMessage.isEmpty() && a.message.isEmpty();

    if (!l.headingArea.isEmpty()) {
        const QString given = finite(m_target) ? QStringLiteral(" | %1 = %2, %3 = %4")
                                                     .arg(m_inputNames[0], coordinate(m_target.x()),
                                                          m_inputNames[1], coordinate(m_target.y()))
                                               : QString();
        const QString text =
            (m_showArms ? tr("Joint angles: p(%1, %2%3)") : tr("Targets: p(%1, %2%3)"))
                .arg(m_xTitle, m_yTitle, given);
        painter->setFont(plotStyle().headingFont);
        painter->setPen(plotStyle().text);
        painter->drawText(l.headingArea, Qt::AlignCenter,
                          heading(text, plotStyle().headingFont, l.headingArea.width()));
    }
    if (models && !m_densityImage.isNull()) {
        painter->save();
        painter->setRenderHint(QPainter::SmoothPixmapTransform);
        painter->drawImage(f.plot(), m_densityImage);
        painter->restore();
    }
    f.paintBackground(painter, plotStyle());

    {
        ClippedPainter clipped(painter, f.plot());
        painter->setRenderHint(QPainter::Antialiasing, true);
        m_scatter.paint(painter, f, pixelRatio(painter, scale));
        if (m_showArms) {
            painter->setPen(QPen(QColor(110, 110, 110), 1.2, Qt::DashLine));
            painter->setBrush(Qt::NoBrush);
            clipped.drawRect(QRectF(f.toPixel(mdn::arm::kTheta1Lo, mdn::arm::kTheta2Hi),
                                    f.toPixel(mdn::arm::kTheta1Hi, mdn::arm::kTheta2Lo)));
        }
        if (models && a.hasMdn) {
            const mdn::Mixture &m = a.mixture;
            // The heaviest components last, on top.
            std::vector<int> order;
            for (int k = 0; k < m.components(); ++k)
                if (m.pi(k, 0) >= kMinPi)
                    order.push_back(k);
            std::sort(order.begin(), order.end(),
                      [&](int i, int j) { return m.pi(i, 0) < m.pi(j, 0); });
            for (int k : order) {
                const double pi = std::clamp(m.pi(k, 0), 0.0, 1.0);
                const QPointF mu(m.mean(k, 0, 0), m.mean(k, 0, 1));
                const QRectF ellipse(
                    f.toPixel(mu.x() - m.width(k, 0, 0), mu.y() + m.width(k, 0, 1)),
                    f.toPixel(mu.x() + m.width(k, 0, 0), mu.y() - m.width(k, 0, 1)));
                painter->setPen(QPen(withAlpha(componentColour(k), int(90 + 165 * pi)), 1.6));
                painter->setBrush(Qt::NoBrush);
                clipped.drawEllipse(ellipse);
                const double radius = 2.5 + 4.5 * std::sqrt(pi);
                painter->setPen(QPen(withAlpha(Qt::white, int(120 + 135 * pi)), 1.0));
                painter->setBrush(withAlpha(componentColour(k), int(110 + 145 * pi)));
                clipped.drawEllipse(f.toPixel(mu), radius, radius);
            }
            if (finite(a.mdn)) {
                const double radius =
                    2.5 + 4.5 * std::sqrt(std::clamp(m.pi(a.likeliest, 0), 0.0, 1.0)) + 3.5;
                painter->setPen(QPen(answerColour(), 2.5));
                painter->setBrush(Qt::NoBrush);
                clipped.drawEllipse(f.toPixel(a.mdn), radius, radius);
            }
        }
        if (m_showArms && finite(m_target)) {
            painter->setPen(QPen(targetColour(), 1.5));
            painter->setBrush(Qt::NoBrush);
            for (const mdn::arm::Angles &s : mdn::arm::inverse({m_target.x(), m_target.y()}))
                clipped.drawRect(
                    QRectF(f.toPixel(s.theta1, s.theta2) - QPointF(4.5, 4.5), QSizeF(9, 9)));
        }
        if (models && finite(a.mse)) {
            // The legend's diamond, as a polygon that the clip cuts in every format.
            const QPointF c = f.toPixel(a.mse);
            const double d = 6.0 * 1.3;
            painter->setPen(QPen(Qt::white, 1.5));
            painter->setBrush(DataChart::mseColor());
            clipped.drawPolygon(QPolygonF(
                {c + QPointF(0, -d), c + QPointF(d, 0), c + QPointF(0, d), c + QPointF(-d, 0)}));
        }
    }

    f.paintAxes(painter, plotStyle());
    if (l.colourBar && !m_densityImage.isNull())
        paintColourBar(painter, f.plot(), m_scale, m_showArms ? tr("p(θ|x)") : tr("p(y|x)"),
                       plotStyle());
    paintMessage(painter, f.plot(), message(), plotStyle());
    paintLegend(painter, l.legend, l.legendArea, plotStyle());
    painter->restore();
}

Figure JointView::figure() const
{
    return [this](QPainter *painter, QSizeF size, double scale) { paint(painter, size, scale); };
}

QPointF JointView::positionOf(QPointF value) const
{
    return layoutFor(QSizeF(size())).frame.toPixel(value);
}

PlaneRange JointView::visibleRange() const
{
    return layoutFor(QSizeF(size())).frame.range();
}

void JointView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), Qt::white);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    paint(&painter, QSizeF(size()), 1.0);
}

} // namespace mdnviz
