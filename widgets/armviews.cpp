#include "armviews.h"

#include "armviews_p.h"
#include "datachart.h"
#include "robotarm.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>
#include <QTransform>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mdnviz {

using namespace armviews_detail;

namespace {

// The arm's pedestal below the shoulder, input units (the links are 0.8 and 0.2 long).
constexpr double kBaseHeight = 0.035;
// Width of the sampled arms, layout units.
constexpr double kSampleWidth = 1.0;

// The median of each coordinate: a point inside the cloud for most shapes of data.
QPointF medianPoint(std::vector<QPointF> points)
{
    if (points.empty())
        return kNoPoint;
    const std::size_t mid = points.size() / 2;
    std::nth_element(points.begin(), points.begin() + std::ptrdiff_t(mid), points.end(),
                     [](const QPointF &a, const QPointF &b) { return a.x() < b.x(); });
    const double x = points[mid].x();
    std::nth_element(points.begin(), points.begin() + std::ptrdiff_t(mid), points.end(),
                     [](const QPointF &a, const QPointF &b) { return a.y() < b.y(); });
    return {x, points[mid].y()};
}

// The region the end effector reaches, in input units. The map from the joint box folds along
// theta2 = pi (the arm stretched out, |x| = L1 + L2), so the images of the box's edges do not
// bound it: the fold is a boundary too. Each half of the box on
// either side of the fold maps one to one, and the region is the union of their images.
const QPainterPath &reachRegion()
{
    static const QPainterPath region = [] {
        using namespace mdn::arm;
        const auto half = [](double t2Lo, double t2Hi) {
            constexpr int kPerSide = 64;
            QPolygonF outline;
            const auto edge = [&](Angles from, Angles to) {
                for (int i = 0; i < kPerSide; ++i) {
                    const double t = double(i) / kPerSide;
                    const Point p = endEffector({from.theta1 + t * (to.theta1 - from.theta1),
                                                 from.theta2 + t * (to.theta2 - from.theta2)});
                    outline << QPointF(p.x, p.y);
                }
            };
            edge({kTheta1Lo, t2Lo}, {kTheta1Hi, t2Lo});
            edge({kTheta1Hi, t2Lo}, {kTheta1Hi, t2Hi});
            edge({kTheta1Hi, t2Hi}, {kTheta1Lo, t2Hi});
            edge({kTheta1Lo, t2Hi}, {kTheta1Lo, t2Lo});
            QPainterPath path;
            path.addPolygon(outline);
            path.closeSubpath();
            return path;
        };
        return half(kTheta2Lo, kPi).united(half(kPi, kTheta2Hi)).simplified();
    }();
    return region;
}

// The affine map of `frame` from data units to layout units.
QTransform toPixels(const PlaneFrame &frame)
{
    const QRectF plot = frame.plot();
    const PlaneRange &r = frame.range();
    const double sx = plot.width() / (r.xHi - r.xLo), sy = plot.height() / (r.yHi - r.yLo);
    return QTransform(sx, 0.0, 0.0, -sy, plot.left() - r.xLo * sx, plot.bottom() + r.yLo * sy);
}

} // namespace

TargetAnswers answersAt(QPointF target, const mdn::Predictor *mse, const mdn::Predictor *mdn,
                        int samples, std::uint64_t seed)
{
    TargetAnswers a;
    a.mdn = a.mse = kNoPoint;
    for (const mdn::Predictor *p : {mse, mdn})
        if (p && (p->inputDims() != 2 || p->targetDims() != 2)) {
            a.message =
                QObject::tr("The models take %1 input(s) and %2 target(s); this view needs 2 and 2")
                    .arg(p->inputDims())
                    .arg(p->targetDims());
            return a;
        }
    if (mdn && mdn->kind() != mdn::ModelKind::Mdn) {
        a.message = QObject::tr("The model given as the MDN is an MSE net");
        return a;
    }
    if (!finite(target))
        return a;
    Eigen::MatrixXd X(2, 1);
    X << target.x(), target.y();
    try {
        if (mse) {
            const Eigen::MatrixXd y = mse->predictAt(X);
            const QPointF p(y(0, 0), y(1, 0));
            if (!finite(p)) {
                a.message = QObject::tr("The MSE net's answer at this target is not a number");
                return a;
            }
            a.mse = p;
            a.hasMse = true;
        }
        if (mdn) {
            mdn::Mixture m = mdn->mixtureAt(X);
            if (!m.pi.allFinite() || !m.mu.allFinite() || !m.sigma.allFinite() ||
                m.components() < 1) {
                a.message = QObject::tr("The MDN's mixture at this target is not a number");
                return a;
            }
            Eigen::Index best = 0;
            m.pi.col(0).maxCoeff(&best);
            a.likeliest = int(best);
            a.mdn = QPointF(m.mean(best, 0, 0), m.mean(best, 0, 1));
            if (samples > 0) {
                const Eigen::MatrixXd s = mdn->sampleAt(X, samples, seed);
                for (Eigen::Index j = 0; j < s.cols(); ++j) {
                    const QPointF p(s(0, j), s(1, j));
                    if (!finite(p))
                        continue;
                    // The component with the largest responsibility pi_k N(theta; mu_k, sigma_k)
                    // for the sample: the one it most likely came from.
                    int owner = 0;
                    double bestLog = -std::numeric_limits<double>::infinity();
                    for (int k = 0; k < m.components(); ++k) {
                        double l = std::log(std::max(m.pi(k, 0), 1e-300));
                        for (int d = 0; d < 2; ++d) {
                            const double z = (s(d, j) - m.mean(k, 0, d)) / m.width(k, 0, d);
                            l += -0.5 * z * z - std::log(m.width(k, 0, d));
                        }
                        if (l > bestLog) {
                            bestLog = l;
                            owner = k;
                        }
                    }
                    a.samples.push_back(p);
                    a.sampleComponent.push_back(owner);
                }
            }
            a.mixture = std::move(m);
            a.hasMdn = true;
        }
    } catch (const std::exception &e) {
        a = TargetAnswers();
        a.mdn = a.mse = kNoPoint;
        a.message =
            QObject::tr("The models could not be asked: %1").arg(QString::fromStdString(e.what()));
    }
    return a;
}

struct WorkspaceView::Layout {
    PlaneFrame frame;
    QRectF headingArea, legendArea;
    std::vector<LegendEntry> legend;
};

WorkspaceView::WorkspaceView(QWidget *parent) : QWidget(parent), m_target(kNoPoint)
{
    setMinimumSize(240, 220);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true); // the cursor tells where a press moves the target
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_scatter.setColour(DataChart::dataColor());
}

WorkspaceView::~WorkspaceView() = default;

void WorkspaceView::setData(const mdn::Dataset &data)
{
    m_xTitle = QString::fromStdString(data.inputName(0));
    m_yTitle = data.inputDims > 1 ? QString::fromStdString(data.inputName(1)) : QString();
    m_dataMessage.clear();
    std::vector<QPointF> points;
    if (!data.shapeValid())
        m_dataMessage = tr("The data's columns do not hold whole points");
    else if (data.inputDims < 2)
        m_dataMessage =
            tr("The data have %1 input column(s); this view needs 2").arg(data.inputDims);
    else
        points = columnPairs(data.x, data.inputDims, data.size());
    m_dataRange = rangeOf(points);
    m_pointCount = points.size();
    const QPointF centre = medianPoint(points);
    m_scatter.setPoints(std::move(points));
    update();
    // The target stays where the user put it while it is in the new data's picture.
    const PlaneRange r = wantedRange();
    const double padX = 0.1 * (r.xHi - r.xLo), padY = 0.1 * (r.yHi - r.yLo);
    const bool inside = m_targetSet && m_target.x() >= r.xLo - padX &&
                        m_target.x() <= r.xHi + padX && m_target.y() >= r.yLo - padY &&
                        m_target.y() <= r.yHi + padY;
    if (!inside && finite(centre))
        setTarget(centre);
}

void WorkspaceView::setModels(std::shared_ptr<const mdn::Predictor> mse,
                              std::shared_ptr<const mdn::Predictor> mdn)
{
    m_mse = std::move(mse);
    m_mdn = std::move(mdn);
    m_answers.reset();
    update();
}

void WorkspaceView::setTarget(QPointF target)
{
    if (!finite(target) || (m_targetSet && target == m_target))
        return;
    m_target = target;
    m_targetSet = true;
    m_answers.reset();
    update();
    emit targetChanged(target);
}

void WorkspaceView::setSamplesPerTarget(int samples)
{
    samples = std::clamp(samples, 0, kMaxSamples);
    if (samples == m_samples)
        return;
    m_samples = samples;
    m_answers.reset();
    update();
}

void WorkspaceView::setShowArms(bool show)
{
    if (show == m_showArms)
        return;
    m_showArms = show;
    update();
}

const TargetAnswers &WorkspaceView::answers() const
{
    if (!m_answers)
        m_answers = answersAt(m_target, m_mse.get(), m_mdn.get(), m_samples, kSampleSeed);
    return *m_answers;
}

QString WorkspaceView::message() const
{
    if (!m_dataMessage.isEmpty())
        return m_dataMessage;
    return m_showArms ? answers().message : QString();
}

QPointF WorkspaceView::mdnReach() const
{
    const TargetAnswers &a = answers();
    if (!m_showArms || !a.message.isEmpty() || !finite(a.mdn))
        return kNoPoint;
    const mdn::arm::Point p = mdn::arm::endEffector({a.mdn.x(), a.mdn.y()});
    return {p.x, p.y};
}

QPointF WorkspaceView::mseReach() const
{
    const TargetAnswers &a = answers();
    if (!m_showArms || !a.message.isEmpty() || !finite(a.mse))
        return kNoPoint;
    const mdn::arm::Point p = mdn::arm::endEffector({a.mse.x(), a.mse.y()});
    return {p.x, p.y};
}

PlaneRange WorkspaceView::wantedRange() const
{
    PlaneRange r = m_dataRange;
    if (m_showArms) {
        // The whole arm: the base with its pedestal, the elbow's arc and the region the end
        // effector reaches.
        r.include(0.0, -kBaseHeight - 0.01);
        const QRectF reach = reachRegion().boundingRect();
        r.include(reach.left(), reach.top());
        r.include(reach.right(), reach.bottom());
        for (int i = 0; i <= 8; ++i) {
            const double t =
                mdn::arm::kTheta1Lo + (mdn::arm::kTheta1Hi - mdn::arm::kTheta1Lo) * i / 8.0;
            const mdn::arm::Point e = mdn::arm::elbow({t, mdn::arm::kPi});
            r.include(e.x, e.y);
        }
    }
    return r.valid() ? r : PlaneRange();
}

std::vector<LegendEntry> WorkspaceView::legend() const
{
    using Shape = LegendEntry::Shape;
    std::vector<LegendEntry> out;
    if (m_pointCount > 0)
        out.push_back(
            {tr("data"), Shape::Circle, Qt::NoPen, withAlpha(DataChart::dataColor(), 150)});
    if (m_showArms)
        out.push_back({tr("reachable region"), Shape::Swatch, QPen(QColor(160, 160, 160), 1.0),
                       QColor(242, 242, 242)});
    if (m_targetSet)
        out.push_back({tr("target"), Shape::Ring, QPen(targetColour(), 1.8), Qt::NoBrush});
    if (!m_showArms || !message().isEmpty())
        return out;
    const TargetAnswers &a = answers();
    if (a.hasMdn) {
        if (!a.samples.empty())
            out.push_back({tr("MDN samples, by component"), Shape::Line,
                           QPen(withAlpha(componentColour(0), 170), kSampleWidth), Qt::NoBrush});
        out.push_back(
            {tr("MDN most probable"), Shape::Line, QPen(answerColour(), 4.0), Qt::NoBrush});
    }
    if (a.hasMse) {
        out.push_back({tr("MSE net"), Shape::Line, QPen(DataChart::mseColor(), 3.0), Qt::NoBrush});
        out.push_back({tr("MSE miss"), Shape::Line, QPen(DataChart::mseColor(), 1.5, Qt::DashLine),
                       Qt::NoBrush});
    }
    return out;
}

WorkspaceView::Layout WorkspaceView::layoutFor(QSizeF size) const
{
    Layout l;
    l.legend = legend();
    const QRectF area = layoutAroundPlot(size, l.legend, l.headingArea, l.legendArea);
    l.frame.layout(area, wantedRange(), true, m_xTitle, m_yTitle, plotStyle());
    return l;
}

void WorkspaceView::paint(QPainter *painter, QSizeF size, double scale) const
{
    if (size.isEmpty() || !(scale > 0.0))
        return;
    painter->save();
    painter->scale(scale, scale);
    const Layout l = layoutFor(size / scale);
    const PlaneFrame &f = l.frame;
    if (!l.headingArea.isEmpty()) {
        painter->setFont(plotStyle().headingFont);
        painter->setPen(plotStyle().text);
        const QString text =
            m_showArms ? tr("Arm workspace: drag the target") : tr("Input plane: drag the target");
        painter->drawText(l.headingArea, Qt::AlignCenter,
                          heading(text, plotStyle().headingFont, l.headingArea.width()));
    }
    f.paintBackground(painter, plotStyle());

    {
        ClippedPainter clipped(painter, f.plot());
        painter->setRenderHint(QPainter::Antialiasing, true);
        if (m_showArms) {
            painter->setPen(QPen(QColor(160, 160, 160), 1.0));
            painter->setBrush(QColor(242, 242, 242));
            clipped.drawPath(toPixels(f).map(reachRegion()));
        }
        m_scatter.paint(painter, f, pixelRatio(painter, scale));
        if (m_showArms) {
            // The base: a pedestal under the shoulder joint at the origin.
            const double h = kBaseHeight;
            painter->setPen(QPen(QColor(90, 90, 90), 1.0));
            painter->setBrush(QColor(150, 150, 150));
            clipped.drawPolygon(QPolygonF({f.toPixel(-0.4 * h, 0.0), f.toPixel(0.4 * h, 0.0),
                                           f.toPixel(0.7 * h, -h), f.toPixel(-0.7 * h, -h)}));
            clipped.drawLine(f.toPixel(-1.1 * h, -h), f.toPixel(1.1 * h, -h));
            painter->setBrush(QColor(60, 60, 60));
            clipped.drawEllipse(f.toPixel(0.0, 0.0), 4.5, 4.5);
            if (m_dataMessage.isEmpty() && answers().message.isEmpty())
                paintArms(painter, clipped, f, answers());
        }
        if (finite(m_target)) {
            const QPointF t = f.toPixel(m_target);
            for (const auto &[colour, width] :
                 {std::pair{QColor(255, 255, 255, 220), 4.5}, std::pair{targetColour(), 1.8}}) {
                painter->setPen(QPen(colour, width, Qt::SolidLine, Qt::RoundCap));
                painter->setBrush(Qt::NoBrush);
                clipped.drawEllipse(t, 7.0, 7.0);
                for (const QPointF d :
                     {QPointF(1, 0), QPointF(-1, 0), QPointF(0, 1), QPointF(0, -1)})
                    clipped.drawLine(t + 3.0 * d, t + 12.0 * d);
            }
        }
    }

    f.paintAxes(painter, plotStyle());
    paintMessage(painter, f.plot(), message(), plotStyle());
    paintLegend(painter, l.legend, l.legendArea, plotStyle());
    painter->restore();
}

void WorkspaceView::paintArms(QPainter *painter, ClippedPainter &clipped, const PlaneFrame &f,
                              const TargetAnswers &a) const
{
    const auto armPath = [&](QPointF theta) {
        const mdn::arm::Angles angles{theta.x(), theta.y()};
        const mdn::arm::Point e = mdn::arm::elbow(angles), end = mdn::arm::endEffector(angles);
        return QPolygonF({f.toPixel(0.0, 0.0), f.toPixel(e.x, e.y), f.toPixel(end.x, end.y)});
    };
    painter->setBrush(Qt::NoBrush);
    // The samples first and translucent, so that the two answers read on top of them. One unit
    // wide: Qt draws antialiased lines of at most a pixel on a fast path, and any wider through
    // its general stroker, some 50 times slower (10 arms of 2 pixels take about 2 ms).
    for (std::size_t i = 0; i < a.samples.size(); ++i) {
        painter->setPen(QPen(withAlpha(componentColour(a.sampleComponent[i]), 170), kSampleWidth));
        clipped.drawPolyline(armPath(a.samples[i]));
    }
    const auto joints = [&](const QPolygonF &arm, const QColor &edge, const QColor &end) {
        painter->setPen(QPen(edge, 1.5));
        painter->setBrush(Qt::white);
        clipped.drawEllipse(arm[1], 3.5, 3.5);
        painter->setPen(QPen(Qt::white, 1.5));
        painter->setBrush(end);
        clipped.drawEllipse(arm[2], 5.0, 5.0);
    };
    if (finite(a.mse)) {
        const QPolygonF arm = armPath(a.mse);
        QPen pen(DataChart::mseColor(), 3.5);
        pen.setCapStyle(Qt::RoundCap);
        pen.setJoinStyle(Qt::RoundJoin);
        painter->setPen(pen);
        clipped.drawPolyline(arm);
        if (finite(m_target)) {
            QPen miss(DataChart::mseColor(), 1.5, Qt::DashLine);
            painter->setPen(miss);
            clipped.drawLine(arm[2], f.toPixel(m_target));
        }
        joints(arm, DataChart::mseColor(), DataChart::mseColor());
    }
    if (finite(a.mdn)) {
        const QPolygonF arm = armPath(a.mdn);
        QPen pen(answerColour(), 4.5);
        pen.setCapStyle(Qt::RoundCap);
        pen.setJoinStyle(Qt::RoundJoin);
        painter->setPen(pen);
        clipped.drawPolyline(arm);
        joints(arm, answerColour(),
               a.likeliest >= 0 ? componentColour(a.likeliest) : answerColour());
    }
}

Figure WorkspaceView::figure() const
{
    return [this](QPainter *painter, QSizeF size, double scale) { paint(painter, size, scale); };
}

QPointF WorkspaceView::valueAt(QPointF widgetPos) const
{
    const Layout l = layoutFor(QSizeF(size()));
    if (!l.frame.plot().contains(widgetPos))
        return kNoPoint;
    return l.frame.toValue(widgetPos);
}

QPointF WorkspaceView::positionOf(QPointF value) const
{
    return layoutFor(QSizeF(size())).frame.toPixel(value);
}

PlaneRange WorkspaceView::visibleRange() const
{
    return layoutFor(QSizeF(size())).frame.range();
}

void WorkspaceView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), Qt::white);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    paint(&painter, QSizeF(size()), 1.0);
}

void WorkspaceView::moveTargetTo(QPointF widgetPos)
{
    const PlaneFrame f = layoutFor(QSizeF(size())).frame;
    const QRectF plot = f.plot();
    // A drag that leaves the plot keeps the target on its edge.
    const QPointF inside(std::clamp(widgetPos.x(), plot.left(), plot.right()),
                         std::clamp(widgetPos.y(), plot.top(), plot.bottom()));
    setTarget(f.toValue(inside));
}

void WorkspaceView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !finite(valueAt(event->position()))) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_dragging = true;
    setCursor(Qt::ClosedHandCursor);
    moveTargetTo(event->position());
    event->accept();
}

void WorkspaceView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragging && (event->buttons() & Qt::LeftButton)) {
        moveTargetTo(event->position());
        event->accept();
        return;
    }
    m_dragging = false;
    // Over the target: it can be grabbed; elsewhere in the plot a press puts it there.
    const QPointF here = event->position();
    if (!finite(valueAt(here)))
        unsetCursor();
    else if (finite(m_target) && QLineF(here, positionOf(m_target)).length() <= 10.0)
        setCursor(Qt::OpenHandCursor);
    else
        setCursor(Qt::CrossCursor);
    QWidget::mouseMoveEvent(event);
}

void WorkspaceView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragging && event->button() == Qt::LeftButton) {
        m_dragging = false;
        setCursor(Qt::OpenHandCursor);
        event->accept();
        return;
    }
    QWidget::mouseReleaseEvent(event);
}

void WorkspaceView::keyPressEvent(QKeyEvent *event)
{
    const PlaneRange r = visibleRange();
    const double fraction = (event->modifiers() & Qt::ShiftModifier) ? 0.001 : 0.01;
    QPointF step;
    switch (event->key()) {
    case Qt::Key_Left:
        step = QPointF(-(r.xHi - r.xLo) * fraction, 0.0);
        break;
    case Qt::Key_Right:
        step = QPointF((r.xHi - r.xLo) * fraction, 0.0);
        break;
    case Qt::Key_Up:
        step = QPointF(0.0, (r.yHi - r.yLo) * fraction);
        break;
    case Qt::Key_Down:
        step = QPointF(0.0, -(r.yHi - r.yLo) * fraction);
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    if (!finite(m_target))
        return;
    const QPointF t = m_target + step;
    setTarget(QPointF(std::clamp(t.x(), r.xLo, r.xHi), std::clamp(t.y(), r.yLo, r.yHi)));
    event->accept();
}

} // namespace mdnviz
