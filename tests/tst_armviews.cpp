// The robot arm's two views: the workspace, where the user drags a target and sees the arms the
// models give for it, and the joint-angle plane with the MDN's density at that target. Real
// models, trained here on arm data, drawn offscreen and read back as pixels.

#include "armviews.h"
#include "chartexport.h"
#include "colormap.h"
#include "datachart.h"
#include "robotarm.h"
#include "trainer.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest/QTest>

#include <cmath>
#include <memory>

using namespace mdnviz;

namespace {

// Bishop's arm: joint angles uniform over the joint box, the end effector's position as input,
// observed with gaussian noise of `noise` on each coordinate.
mdn::Dataset armData(std::size_t points, std::uint64_t seed, double noise = 0.01)
{
    mdn::Rng rng(seed);
    mdn::Dataset d;
    d.inputDims = 2;
    d.targetDims = 2;
    d.inputNames = {"x1", "x2"};
    d.targetNames = {"theta1", "theta2"};
    d.name = "robot arm";
    for (std::size_t i = 0; i < points; ++i) {
        const mdn::arm::Angles a{
            mdn::arm::kTheta1Lo + rng.uniform() * (mdn::arm::kTheta1Hi - mdn::arm::kTheta1Lo),
            mdn::arm::kTheta2Lo + rng.uniform() * (mdn::arm::kTheta2Hi - mdn::arm::kTheta2Lo)};
        const mdn::arm::Point p = mdn::arm::endEffector(a);
        const double x[2] = {p.x + noise * rng.normal(), p.y + noise * rng.normal()};
        const double t[2] = {a.theta1, a.theta2};
        d.addPoint(x, t);
    }
    return d;
}

std::shared_ptr<const mdn::Predictor> trained(const mdn::Dataset &data, mdn::ModelKind kind,
                                              long epochs)
{
    mdn::TrainConfig c = mdn::defaultConfig(kind);
    if (kind == mdn::ModelKind::Mdn)
        c.mixtures = 5;
    mdn::Trainer t(data, c);
    t.train(epochs);
    return std::make_shared<const mdn::Predictor>(t.predictor());
}

double distance(QPointF a, QPointF b)
{
    return std::hypot(a.x() - b.x(), a.y() - b.y());
}

// Pixels of `image` within a square of `radius` around `centre` whose colour is within
// `tolerance` (per channel) of one of `colours`.
int countNear(const QImage &image, QPointF centre, int radius, const QList<QColor> &colours,
              int tolerance)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    const QRect box =
        QRect(centre.toPoint() - QPoint(radius, radius), QSize(2 * radius + 1, 2 * radius + 1))
            .intersected(rgb.rect());
    int n = 0;
    for (int y = box.top(); y <= box.bottom(); ++y)
        for (int x = box.left(); x <= box.right(); ++x) {
            const QColor p = QColor(rgb.pixel(x, y));
            for (const QColor &c : colours)
                if (std::abs(p.red() - c.red()) <= tolerance &&
                    std::abs(p.green() - c.green()) <= tolerance &&
                    std::abs(p.blue() - c.blue()) <= tolerance) {
                    ++n;
                    break;
                }
        }
    return n;
}

QList<QColor> densityRamp()
{
    QList<QColor> ramp;
    for (int i = 8; i <= 64; ++i)
        ramp << densityColour(i / 64.0);
    return ramp;
}

QImage grab(QWidget &w)
{
    QImage image(w.size(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    w.render(&image);
    return image;
}

} // namespace

class TestArmViews : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void theMdnArmReachesTheTargetWhereTheMseArmMisses();
    void aPressAndADragMoveTheTarget();
    void theArrowKeysNudgeTheTarget();
    void theJointViewShowsTheDensityAtTheComponentsAndTheMseAnswer();
    void theWorkspaceShowsTheMseArm();
    void modelsOfAnotherShapeGiveAMessageNotACrash();
    void eitherModelAloneOrNoneIsDrawn();
    void figuresExport();
    void dragRepaintTime();

private:
    mdn::Dataset m_data;
    std::shared_ptr<const mdn::Predictor> m_mse, m_mdn;
    // A target with two solutions far apart, inside the data.
    QPointF m_target;
};

void TestArmViews::initTestCase()
{
    m_data = armData(1000, 7);
    m_mdn = trained(m_data, mdn::ModelKind::Mdn, 600);
    m_mse = trained(m_data, mdn::ModelKind::Mse, 600);
    const mdn::arm::Point p = mdn::arm::endEffector({0.75, 2.2});
    m_target = QPointF(p.x, p.y);
    QCOMPARE(mdn::arm::inverse(p).size(), std::size_t(2));
}

void TestArmViews::theMdnArmReachesTheTargetWhereTheMseArmMisses()
{
    WorkspaceView view;
    view.setData(m_data);
    view.setModels(m_mse, m_mdn);
    view.setTarget(m_target);
    const QPointF mdnReach = view.mdnReach(), mseReach = view.mseReach();
    QVERIFY(view.message().isEmpty());
    // The view's arms are the models' answers: the likeliest component's angles, the MSE net's.
    Eigen::MatrixXd X(2, 1);
    X << m_target.x(), m_target.y();
    const Eigen::MatrixXd likeliest = m_mdn->likeliestAt(X);
    const mdn::arm::Point end = mdn::arm::endEffector({likeliest(0, 0), likeliest(1, 0)});
    QVERIFY(distance(mdnReach, QPointF(end.x, end.y)) < 1e-12);
    const double mdnMiss = distance(mdnReach, m_target), mseMiss = distance(mseReach, m_target);
    qInfo("at (%.3f, %.3f): the MDN's arm misses by %.4f, the MSE net's by %.4f", m_target.x(),
          m_target.y(), mdnMiss, mseMiss);
    QVERIFY2(mdnMiss < 0.05, qPrintable(QString::number(mdnMiss)));
    // The MSE net averages the two solutions into angles that put the hand elsewhere.
    QVERIFY2(mseMiss > 2.0 * mdnMiss && mseMiss > 0.05, qPrintable(QString::number(mseMiss)));
    // Its answer lies between the two true solutions in theta2.
    const auto solutions = mdn::arm::inverse({m_target.x(), m_target.y()});
    const QPointF mse = view.answers().mse;
    QVERIFY(mse.y() > std::min(solutions[0].theta2, solutions[1].theta2) + 0.1);
    QVERIFY(mse.y() < std::max(solutions[0].theta2, solutions[1].theta2) - 0.1);
    // The samples come with the component each most likely came from.
    QCOMPARE(int(view.answers().samples.size()), WorkspaceView::kDefaultSamples);
    QCOMPARE(view.answers().sampleComponent.size(), view.answers().samples.size());
}

void TestArmViews::aPressAndADragMoveTheTarget()
{
    WorkspaceView view;
    view.resize(800, 500);
    view.setData(m_data);
    view.setModels(m_mse, m_mdn);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy moved(&view, &WorkspaceView::targetChanged);

    // A press where the data value (0.5, 0.5) is drawn puts the target there.
    const QPoint press = view.positionOf(QPointF(0.5, 0.5)).toPoint();
    QTest::mousePress(&view, Qt::LeftButton, {}, press);
    QCOMPARE(moved.count(), 1);
    QCOMPARE(view.cursor().shape(), Qt::ClosedHandCursor);
    const QPointF at = view.target();
    QVERIFY2(distance(at, QPointF(0.5, 0.5)) < 0.01,
             qPrintable(QStringLiteral("%1, %2").arg(at.x()).arg(at.y())));
    QVERIFY(distance(at, view.valueAt(press)) < 1e-12);
    QCOMPARE(moved.last().at(0).toPointF(), at);

    // The drag carries it.
    const QPoint to = view.positionOf(QPointF(0.3, 0.7)).toPoint();
    QTest::mouseMove(&view, (press + to) / 2);
    QTest::mouseMove(&view, to);
    QVERIFY(moved.count() >= 2);
    QVERIFY(distance(view.target(), QPointF(0.3, 0.7)) < 0.01);
    QTest::mouseRelease(&view, Qt::LeftButton, {}, to);
    QCOMPARE(view.cursor().shape(), Qt::OpenHandCursor); // over the target, which can be grabbed

    // After the release, moving the mouse leaves the target alone; so does a press outside the
    // plot (in the axis labels' margin).
    const int before = int(moved.count());
    QTest::mouseMove(&view, press);
    QTest::mousePress(&view, Qt::LeftButton, {}, QPoint(2, 2));
    QTest::mouseRelease(&view, Qt::LeftButton, {}, QPoint(2, 2));
    QCOMPARE(int(moved.count()), before);
    QVERIFY(distance(view.target(), QPointF(0.3, 0.7)) < 0.01);
    QCOMPARE(view.cursor().shape(), Qt::CrossCursor); // in the plot, away from the target

    // The map between pixels and values is one: a round trip returns the value.
    const QPointF v(0.42, 0.61);
    QVERIFY(distance(view.valueAt(view.positionOf(v)), v) < 1e-9);
    // Equal scale on both axes: the arm is not distorted.
    const QPointF o = view.positionOf(QPointF(0, 0)), ex = view.positionOf(QPointF(1, 0)),
                  ey = view.positionOf(QPointF(0, 1));
    QVERIFY(std::abs(distance(o, ex) - distance(o, ey)) < 1e-6);

    // New data of the same problem keep the target; data elsewhere move it into their picture.
    view.setData(armData(500, 11));
    QVERIFY(distance(view.target(), QPointF(0.3, 0.7)) < 0.01);
    mdn::Dataset far = armData(500, 11);
    for (double &value : far.x)
        value += 10.0;
    view.setShowArms(false);
    view.setData(far);
    QVERIFY(view.target().x() > 10.0 && view.target().y() > 10.0);
}

void TestArmViews::theArrowKeysNudgeTheTarget()
{
    WorkspaceView view;
    view.resize(800, 500);
    view.setData(m_data);
    view.setTarget(QPointF(0.5, 0.5));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const PlaneRange r = view.visibleRange();
    QTest::keyClick(&view, Qt::Key_Right);
    QVERIFY(std::abs(view.target().x() - (0.5 + 0.01 * (r.xHi - r.xLo))) < 1e-9);
    QTest::keyClick(&view, Qt::Key_Up, Qt::ShiftModifier);
    QVERIFY(std::abs(view.target().y() - (0.5 + 0.001 * (r.yHi - r.yLo))) < 1e-9);
}

void TestArmViews::theJointViewShowsTheDensityAtTheComponentsAndTheMseAnswer()
{
    JointView view;
    view.resize(800, 500);
    view.setData(m_data);
    view.setModels(m_mse, m_mdn);
    view.setTarget(m_target);
    const QImage image = grab(view);
    QVERIFY(view.message().isEmpty());

    // The density's colours around each heavy component's mean.
    const TargetAnswers &a = view.answers();
    QVERIFY(a.hasMdn && a.hasMse);
    int heavy = 0;
    for (int k = 0; k < a.mixture.components(); ++k) {
        if (a.mixture.pi(k, 0) < 0.2)
            continue;
        ++heavy;
        const QPointF at =
            view.positionOf(QPointF(a.mixture.mean(k, 0, 0), a.mixture.mean(k, 0, 1)));
        const int n = countNear(image, at, 25, densityRamp(), 3);
        QVERIFY2(n > 100,
                 qPrintable(QStringLiteral("component %1: %2 density pixels").arg(k).arg(n)));
    }
    QVERIFY(heavy >= 1);
    // The density grid peaks near the likeliest mean, and is low at the MSE net's answer in
    // between the two modes.
    const mdn::DensityGrid &g = view.density();
    QCOMPARE(g.rows, JointView::kGridCells);
    const auto densityAt = [&](QPointF theta) {
        const double dx = (g.xHi - g.xLo) / (g.cols - 1);
        const int col = std::clamp(int(std::lround((theta.x() - g.xLo) / dx)), 0, g.cols - 1);
        const int row = std::clamp(int((theta.y() - g.yLo) / g.rowHeight()), 0, g.rows - 1);
        return double(g.at(row, col));
    };
    QVERIFY(densityAt(a.mdn) > 10.0 * densityAt(a.mse));

    // The MSE net's marker in its colour, where its answer is.
    const int mse = countNear(image, view.positionOf(a.mse), 6, {DataChart::mseColor()}, 12);
    QVERIFY2(mse >= 20, qPrintable(QString::number(mse)));
    // Far from it, no such colour (the marker is there because of the answer, not by chance).
    QCOMPARE(countNear(image, QPointF(30, 30), 10, {DataChart::mseColor()}, 12), 0);
}

void TestArmViews::theWorkspaceShowsTheMseArm()
{
    WorkspaceView view;
    view.resize(800, 500);
    view.setData(m_data);
    view.setModels(m_mse, m_mdn);
    view.setTarget(m_target);
    const QImage image = grab(view);
    // The end of the MSE net's arm, where it reaches.
    QVERIFY(countNear(image, view.positionOf(view.mseReach()), 6, {DataChart::mseColor()}, 12) >=
            20);
    // Without arms the same view is a plane of inputs: no arm is drawn, and none is reported.
    view.setShowArms(false);
    QVERIFY(!std::isfinite(view.mseReach().x()));
    const QImage plain = grab(view);
    QCOMPARE(countNear(plain, QPointF(plain.width() / 2, plain.height() / 2), plain.width() / 2,
                       {DataChart::mseColor()}, 12),
             0);
}

void TestArmViews::modelsOfAnotherShapeGiveAMessageNotACrash()
{
    // A model of one input and one target next to arm data.
    mdn::GeneratorSpec spec;
    spec.generator = mdn::Generator::InverseSinusoid;
    spec.points = 200;
    const mdn::Dataset oneD = mdn::generate(spec);
    const auto mdn1 = trained(oneD, mdn::ModelKind::Mdn, 5);
    const auto mse1 = trained(oneD, mdn::ModelKind::Mse, 5);
    WorkspaceView work;
    JointView joint;
    for (QWidget *w : {static_cast<QWidget *>(&work), static_cast<QWidget *>(&joint)})
        w->resize(640, 400);
    work.setData(m_data);
    joint.setData(m_data);
    work.setModels(mse1, mdn1);
    joint.setModels(mse1, mdn1);
    joint.setTarget(work.target());
    QVERIFY(!grab(work).isNull());
    QVERIFY(!grab(joint).isNull());
    QVERIFY2(work.message().contains(QStringLiteral("1 input")), qPrintable(work.message()));
    QVERIFY(joint.message().contains(QStringLiteral("1 input")));
    QVERIFY(!std::isfinite(work.mdnReach().x()));
    QVERIFY(joint.density().empty());

    // An MSE net in the MDN's place.
    work.setModels(nullptr, m_mse);
    joint.setModels(nullptr, m_mse);
    QVERIFY(!grab(work).isNull());
    QVERIFY(!grab(joint).isNull());
    QVERIFY(!work.message().isEmpty());
    QVERIFY(!joint.message().isEmpty());

    // Data of one input and one target: the views say so.
    work.setData(oneD);
    joint.setData(oneD);
    work.setModels(mse1, mdn1);
    QVERIFY(!grab(work).isNull());
    QVERIFY(!grab(joint).isNull());
    QVERIFY(work.message().contains(QStringLiteral("input column")));
    QVERIFY(joint.message().contains(QStringLiteral("target column")));
}

void TestArmViews::eitherModelAloneOrNoneIsDrawn()
{
    WorkspaceView work;
    JointView joint;
    work.resize(640, 400);
    joint.resize(640, 400);
    work.setData(m_data);
    joint.setData(m_data);
    work.setTarget(m_target);
    joint.setTarget(m_target);

    QVERIFY(!grab(work).isNull());
    QVERIFY(!grab(joint).isNull());
    QVERIFY(!std::isfinite(work.mdnReach().x()) && !std::isfinite(work.mseReach().x()));
    QVERIFY(joint.density().empty());

    work.setModels(m_mse, nullptr);
    joint.setModels(m_mse, nullptr);
    QVERIFY(!grab(joint).isNull());
    QVERIFY(std::isfinite(work.mseReach().x()) && !std::isfinite(work.mdnReach().x()));
    QVERIFY(joint.density().empty());

    work.setModels(nullptr, m_mdn);
    joint.setModels(nullptr, m_mdn);
    QVERIFY(!grab(work).isNull());
    QVERIFY(!std::isfinite(work.mseReach().x()) && std::isfinite(work.mdnReach().x()));
    QVERIFY(!joint.density().empty());
    QVERIFY(work.message().isEmpty() && joint.message().isEmpty());
}

void TestArmViews::figuresExport()
{
    WorkspaceView work;
    JointView joint;
    work.setData(m_data);
    joint.setData(m_data);
    work.setModels(m_mse, m_mdn);
    joint.setModels(m_mse, m_mdn);
    work.setTarget(m_target);
    joint.setTarget(m_target);
    const QString dir = qEnvironmentVariable("MDNVIZ_ARMVIEWS_PNG");
    for (const QSize size : {QSize(800, 500), QSize(1600, 1000)}) {
        for (const auto &[name, figure] : {std::pair{QStringLiteral("workspace"), work.figure()},
                                           std::pair{QStringLiteral("joint"), joint.figure()}}) {
            const QImage image = renderFigure(figure, size);
            QCOMPARE(image.size(), size);
            // Something besides white, and the MSE colour at both sizes.
            QVERIFY(countNear(image, QPointF(size.width() / 2, size.height() / 2), size.width() / 2,
                              {DataChart::mseColor()}, 12) > 10);
            if (!dir.isEmpty())
                QVERIFY(
                    image.save(QStringLiteral("%1/%2-%3.png").arg(dir, name).arg(size.width())));
        }
    }
    // The vector formats, where the points are an image of twice the figure's resolution.
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    for (const ExportFormat format : {ExportFormat::Svg, ExportFormat::Pdf})
        for (const auto &[name, figure] : {std::pair{QStringLiteral("workspace"), work.figure()},
                                           std::pair{QStringLiteral("joint"), joint.figure()}}) {
            const QString path = tmp.filePath(name + QLatin1Char('.') + exportFormatName(format));
            QString error;
            QVERIFY2(exportFigure(figure, path, QSize(800, 500), format, &error),
                     qPrintable(error));
            QVERIFY(QFileInfo(path).size() > 1000);
        }
}

void TestArmViews::dragRepaintTime()
{
    mdn::Dataset big = armData(200000, 3);
    WorkspaceView work;
    JointView joint;
    work.resize(800, 500);
    joint.resize(800, 500);
    work.setData(big);
    joint.setData(big);
    work.setModels(m_mse, m_mdn);
    joint.setModels(m_mse, m_mdn);
    connect(&work, &WorkspaceView::targetChanged, &joint, &JointView::setTarget);
    work.show();
    joint.show();
    QVERIFY(QTest::qWaitForWindowExposed(&work));
    QVERIFY(QTest::qWaitForWindowExposed(&joint));
    // The scatter images are drawn once per size: a figure at another size draws them anew.
    QElapsedTimer first;
    first.start();
    const QImage figure = renderFigure(work.figure(), QSize(1600, 1000));
    qInfo("a 1600 x 1000 figure of the workspace with 200,000 points (scatter drawn anew): %.1f ms",
          first.nsecsElapsed() / 1e6);
    QVERIFY(!figure.isNull());
    work.repaint();
    joint.repaint();

    const QPoint from = work.positionOf(QPointF(0.3, 0.5)).toPoint();
    const QPoint to = work.positionOf(QPointF(0.8, 0.6)).toPoint();
    QTest::mousePress(&work, Qt::LeftButton, {}, from);
    constexpr int kSteps = 200;
    QElapsedTimer clock;
    qint64 workNs = 0, jointNs = 0;
    for (int i = 1; i <= kSteps; ++i) {
        QTest::mouseMove(&work, from + (to - from) * i / kSteps);
        clock.start();
        work.repaint();
        workNs += clock.nsecsElapsed();
        clock.start();
        joint.repaint();
        jointNs += clock.nsecsElapsed();
    }
    QTest::mouseRelease(&work, Qt::LeftButton, {}, to);
    QVERIFY(distance(work.target(), joint.target()) < 1e-12);
    qInfo("repaint during a drag, 200,000 points, 800 x 500: workspace %.2f ms, joint view %.2f ms",
          workNs / 1e6 / kSteps, jointNs / 1e6 / kSteps);
}

QTEST_MAIN(TestArmViews)
#include "tst_armviews.moc"
