#pragma once
// Two views of a problem with two inputs and two targets, made for Bishop's robot arm: the plane
// of the inputs (where the end effector is), in which the user drags a target, and the plane of
// the targets (the joint angles), where the MDN's density at that target shows the two answers
// the MSE net averages into one wrong one. Painted by hand rather than with Qt Charts, so that a
// drag repaints in a millisecond or two whatever the number of data points; each view is also a
// figure for export.

#include "chartexport.h"
#include "dataset.h"
#include "inspect.h"
#include "mixture.h"
#include "planeplot.h"
#include "predictor.h"

#include <QPointF>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

namespace mdnviz {

// What the two models answer at one target, as the views draw it: joint angles (or targets) in
// data units, NaN where a model is missing or gave no finite answer.
struct TargetAnswers {
    QString message; // why the models are not drawn (empty when they are)
    bool hasMdn = false, hasMse = false;
    mdn::Mixture mixture;             // the MDN's mixture at the target (one column)
    int likeliest = -1;               // its most probable component
    QPointF mdn, mse;                 // the likeliest component's mean; the MSE net's prediction
    std::vector<QPointF> samples;     // the MDN's samples
    std::vector<int> sampleComponent; // the component most responsible for each sample
};

// Asks the models about `target` (either may be null). A model that does not take two inputs
// and give two targets, or an MDN slot holding an MSE net, is not asked: the answer says why.
TargetAnswers answersAt(QPointF target, const mdn::Predictor *mse, const mdn::Predictor *mdn,
                        int samples, std::uint64_t seed);

// The plane of the end effector (inputs x1, x2 at equal scale), the data's positions, the region
// the arm reaches and its base, and a target the user moves: a press in the plot puts it there,
// a drag carries it, the arrow keys nudge it (1% of the plot, Shift 0.1%). At the target: arms
// drawn from the MDN's samples, coloured by the component each came from; the arm of its most
// probable component in bold; the MSE net's arm, the point it actually reaches and its miss.
class WorkspaceView : public QWidget {
    Q_OBJECT

public:
    explicit WorkspaceView(QWidget *parent = nullptr);
    ~WorkspaceView() override;

    // Input columns 0 and 1 of `data` are the positions; fewer than two input columns leaves
    // the plot empty with a message. A target outside the data's picture (or none yet) moves to
    // the data's median point.
    void setData(const mdn::Dataset &data);
    // Either may be null.
    void setModels(std::shared_ptr<const mdn::Predictor> mse,
                   std::shared_ptr<const mdn::Predictor> mdn);
    // Non-finite targets are ignored. Emits targetChanged when the target moves.
    void setTarget(QPointF target);
    QPointF target() const { return m_target; }
    // Arms drawn from the MDN's samples (0 for none; at most kMaxSamples).
    void setSamplesPerTarget(int samples);
    int samplesPerTarget() const { return m_samples; }
    // Arms, the reachable region and the base: for the robot arm's data only. Without them the
    // view is the plane of any two inputs, with the data and the target.
    void setShowArms(bool show);
    bool showArms() const { return m_showArms; }

    // The figure over (0, 0) .. size, laid out at size / scale; paintEvent draws it at scale 1.
    void paint(QPainter *painter, QSizeF size, double scale) const;
    Figure figure() const;

    // What is drawn at the target, in input units (NaN where it is not drawn): where the end
    // effector of the MDN's most probable arm and of the MSE net's arm are.
    QPointF mdnReach() const;
    QPointF mseReach() const;
    const TargetAnswers &answers() const;
    // The line of text shown instead of the models (empty when none).
    QString message() const;

    // Between the widget's pixels and input units at its current size: NaN for a point outside
    // the plot.
    QPointF valueAt(QPointF widgetPos) const;
    QPointF positionOf(QPointF value) const;
    PlaneRange visibleRange() const;

    static constexpr int kDefaultSamples = 10;
    static constexpr int kMaxSamples = 1000;
    // Fixed, so that the sampled arms do not flicker while the target moves.
    static constexpr std::uint64_t kSampleSeed = 1;

signals:
    void targetChanged(QPointF target);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct Layout;
    Layout layoutFor(QSizeF size) const;
    PlaneRange wantedRange() const;
    void paintArms(QPainter *painter, ClippedPainter &clipped, const PlaneFrame &frame,
                   const TargetAnswers &a) const;
    std::vector<LegendEntry> legend() const;
    void moveTargetTo(QPointF widgetPos);

    QString m_xTitle, m_yTitle; // the input columns' names
    ScatterImage m_scatter;
    std::size_t m_pointCount = 0;
    PlaneRange m_dataRange = PlaneRange::none();
    QString m_dataMessage;
    std::shared_ptr<const mdn::Predictor> m_mse, m_mdn;
    QPointF m_target;
    bool m_targetSet = false;
    int m_samples = kDefaultSamples;
    bool m_showArms = true;
    bool m_dragging = false;
    mutable std::optional<TargetAnswers> m_answers; // at m_target, until it or a model changes
};

// The plane of the targets (the joint angles theta1, theta2): the data's targets, the MDN's
// density p(theta | x) at the workspace's target as a colour image with each component's mean
// and 1-sigma ellipse, the most probable component's mean in bold, the MSE net's answer, and for
// the arm the joint box and the true solutions of the inverse kinematics.
class JointView : public QWidget {
    Q_OBJECT

public:
    explicit JointView(QWidget *parent = nullptr);
    ~JointView() override;

    // Target columns 0 and 1; the axes span their range with a margin.
    void setData(const mdn::Dataset &data);
    void setModels(std::shared_ptr<const mdn::Predictor> mse,
                   std::shared_ptr<const mdn::Predictor> mdn);
    // The input the models are asked about (input units); non-finite targets are ignored.
    void setTarget(QPointF target);
    QPointF target() const { return m_target; }
    // The joint box and the inverse kinematics' solutions, for the robot arm's data only.
    void setShowArms(bool show);
    bool showArms() const { return m_showArms; }

    void paint(QPainter *painter, QSizeF size, double scale) const;
    Figure figure() const;

    const TargetAnswers &answers() const;
    QString message() const;
    // The density on the grid the view shows (empty without an MDN).
    const mdn::DensityGrid &density() const;
    QPointF positionOf(QPointF value) const;
    PlaneRange visibleRange() const;

    // Cells of the density grid along each axis.
    static constexpr int kGridCells = 200;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    struct Layout;
    Layout layoutFor(QSizeF size) const;
    PlaneRange wantedRange() const;
    void updateDensity() const;
    std::vector<LegendEntry> legend() const;

    QString m_xTitle, m_yTitle; // the target columns' names
    QString m_inputNames[2] = {QStringLiteral("x1"), QStringLiteral("x2")};
    ScatterImage m_scatter;
    std::size_t m_pointCount = 0;
    PlaneRange m_dataRange = PlaneRange::none();
    QString m_dataMessage;
    std::shared_ptr<const mdn::Predictor> m_mse, m_mdn;
    QPointF m_target;
    bool m_targetSet = false;
    bool m_showArms = true;
    mutable std::optional<TargetAnswers> m_answers;
    // The density over the range shown, recomputed when the target, the models or the range
    // change.
    mutable mdn::DensityGrid m_density;
    mutable DensityScale m_scale;
    mutable QImage m_densityImage;
    mutable PlaneRange m_densityRange = PlaneRange::none();
    mutable bool m_densityValid = false;
};

} // namespace mdnviz
