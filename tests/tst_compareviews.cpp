// The "Compare" tab's views, fed snapshots built by hand: the loss curves per run (appended,
// restarted, dropped, thinned), the small multiples (shared axes, a click names its run, each
// panel shows its run's colour), the table's figures and its updates in place.

#include "compareviews.h"
#include "planeplot.h"

#include <QImage>
#include <QPainter>
#include <QScrollBar>
#include <QSignalSpy>
#include <QtTest/QTest>

#include <cmath>
#include <functional>
#include <limits>

using namespace mdnviz;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const QString kMinus = QString(QChar(0x2212));

// One run's view: losses at epochs from..to (validation every fifth epoch), samples on the
// line y = x clustered at a few places so that they cover their pixels fully.
mdn::RunView runView(std::size_t run, const std::string &label, long from, long to,
                     double level = 1.0)
{
    mdn::RunView v;
    v.run = run;
    v.label = label;
    for (long e = from; e <= to; ++e) {
        mdn::RunLossPoint p;
        p.epoch = e;
        p.train = level + 1.0 / double(e);
        if (e % 5 == 0)
            p.validation = level + 0.05 + 1.0 / double(e);
        v.losses.push_back(p);
    }
    v.epoch = to;
    v.trainLoss = level;
    v.validation = level + 0.05;
    for (int c = 0; c < 5; ++c)
        for (int k = 0; k < 60; ++k) {
            v.sampleX.push_back(-0.8 + 0.4 * c);
            v.sampleY.push_back(-0.8 + 0.4 * c);
        }
    return v;
}

mdn::Dataset squareData()
{
    mdn::Dataset d;
    for (int i = 0; i <= 20; ++i) {
        const double x[1] = {-1.0 + 0.1 * i}, y[1] = {1.0 - 0.1 * i};
        d.addPoint(x, y);
    }
    return d;
}

bool near(const QColor &a, const QColor &b, int tolerance)
{
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance &&
           std::abs(a.blue() - b.blue()) <= tolerance;
}

int countColour(const QImage &image, const QRect &box, const QColor &colour, int tolerance)
{
    int n = 0;
    const QRect r = box.intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            if (near(QColor(image.pixel(x, y)), colour, tolerance))
                ++n;
    return n;
}

QImage render(const std::function<void(QPainter *, const QRectF &)> &paint, QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    paint(&painter, QRectF(QPointF(0, 0), QSizeF(size)));
    painter.end();
    return image;
}

} // namespace

class TestCompareViews : public QObject {
    Q_OBJECT

private slots:
    void runColoursAreDistinct();
    void texts_data();
    void texts();
    void curvesAccumulateRestartAndDrop();
    void thinningBoundsPoints();
    void nllRangeLeavesOutTheWarmup();
    void bayesLine();
    void panelsShareAxesAndClickNamesTheRun();
    void panelsShowTheirRunsColour();
    void panelTitles();
    void gridColumns_data();
    void gridColumns();
    void tableShowsFigures();
    void tableUpdatesInPlace();
    void tableClickNamesTheRun();
    void compareViewForwardsClicksAndDrawsOneRun();
    void tightFramesKeepTheirRange();
};

void TestCompareViews::runColoursAreDistinct()
{
    for (std::size_t i = 0; i < kRunColours; ++i)
        for (std::size_t j = i + 1; j < kRunColours; ++j) {
            const QColor a = runColour(i), b = runColour(j);
            const double d = std::hypot(a.red() - b.red(), a.green() - b.green(),
                                        a.blue() - b.blue());
            QVERIFY2(d > 60.0, qPrintable(QStringLiteral("runs %1 and %2").arg(i).arg(j)));
        }
    QCOMPARE(runColour(kRunColours), runColour(0));
    QCOMPARE(runColour(kRunColours + 3), runColour(3));
}

void TestCompareViews::texts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("nan") << natsText(kNaN) << QStringLiteral("–");
    QTest::newRow("inf") << natsText(std::numeric_limits<double>::infinity())
                         << QStringLiteral("–");
    QTest::newRow("tiny negative") << natsText(-0.0001) << QStringLiteral("0.000");
    QTest::newRow("negative") << natsText(-1.1516) << kMinus + QStringLiteral("1.152");
    QTest::newRow("positive") << natsText(0.25) << QStringLiteral("0.250");
    QTest::newRow("epochs") << epochText(1234567) << QStringLiteral("1,234,567");
    QTest::newRow("no epoch") << epochText(-1) << QStringLiteral("–");
    QTest::newRow("reference run") << runLabelText("") << QStringLiteral("as set");
    QTest::newRow("label") << runLabelText("K = 3") << QStringLiteral("K = 3");
}

void TestCompareViews::texts()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(text, expected);
}

void TestCompareViews::curvesAccumulateRestartAndDrop()
{
    CompareLossPlot plot;
    mdn::Snapshot s;
    s.runs = {runView(0, "", 1, 10), runView(3, "K = 3", 1, 10)};
    s.runs[0].lossesRestart = s.runs[1].lossesRestart = true;
    plot.showSnapshot(s);
    QCOMPARE(plot.runCount(), std::size_t(2));
    QCOMPARE(plot.trainPoints(0), 10);
    QCOMPARE(plot.validationPoints(3), 2);

    // The next epochs are appended.
    s.runs = {runView(0, "", 11, 20), runView(3, "K = 3", 11, 20)};
    plot.showSnapshot(s);
    QCOMPARE(plot.trainPoints(0), 20);
    QCOMPARE(plot.trainPoints(3), 20);
    QCOMPARE(plot.validationPoints(3), 4);
    QCOMPARE(plot.trainCurve(3).last().x(), 20.0);

    // Run 0 trains again from the start: its curve is replaced, run 3's goes on.
    s.runs = {runView(0, "", 1, 3), runView(3, "K = 3", 21, 25)};
    s.runs[0].lossesRestart = true;
    plot.showSnapshot(s);
    QCOMPARE(plot.trainPoints(0), 3);
    QCOMPARE(plot.trainCurve(0).first().x(), 1.0);
    QCOMPARE(plot.trainPoints(3), 25);

    // Run 0 is gone; run 5 is new.
    s.runs = {runView(3, "K = 3", 26, 26), runView(5, "H = 12", 1, 4)};
    plot.showSnapshot(s);
    QVERIFY(!plot.hasRun(0));
    QCOMPARE(plot.trainPoints(0), 0);
    QCOMPARE(plot.trainPoints(3), 26);
    QCOMPARE(plot.trainPoints(5), 4);

    // A snapshot without new epochs keeps the curves.
    s.runs = {runView(3, "K = 3", 1, 0), runView(5, "H = 12", 1, 0)};
    plot.showSnapshot(s);
    QCOMPARE(plot.trainPoints(3), 26);

    plot.clear();
    QCOMPARE(plot.runCount(), std::size_t(0));
}

void TestCompareViews::thinningBoundsPoints()
{
    CompareLossPlot plot;
    const long total = 100000, chunk = 997;
    for (long from = 1; from <= total; from += chunk) {
        mdn::Snapshot s;
        s.runs = {runView(0, "", from, std::min(total, from + chunk - 1))};
        plot.showSnapshot(s);
    }
    QVERIFY(plot.trainPoints(0) <= LossChart::maxPoints);
    QVERIFY(plot.trainPoints(0) >= LossChart::maxPoints / 2);
    QVERIFY(plot.validationPoints(0) <= LossChart::maxPoints);
    // The curve still spans the whole run, up to its newest epoch.
    QCOMPARE(plot.trainCurve(0).first().x(), 1.0);
    QCOMPARE(plot.trainCurve(0).last().x(), double(total));
}

void TestCompareViews::nllRangeLeavesOutTheWarmup()
{
    CompareLossPlot plot;
    mdn::Snapshot s;
    for (std::size_t r = 0; r < 3; ++r) {
        mdn::RunView v = runView(r, "", 1, 0);
        for (long e = 1; e <= 2000; ++e) {
            mdn::RunLossPoint p;
            p.epoch = e;
            // Huge losses in the first epochs, then runs 0.01 nats apart.
            p.train = e <= 20 ? 80.0 : 1.0 + 0.01 * double(r);
            p.validation = p.train + 0.005;
            v.losses.push_back(p);
        }
        s.runs.push_back(v);
    }
    plot.showSnapshot(s);
    const QRectF rect(0, 0, 600, 400);
    const PlaneRange r = plot.visibleRange(rect);
    QVERIFY2(r.yHi < 2.0, qPrintable(QString::number(r.yHi)));
    QVERIFY(r.yLo <= 1.0);
    QVERIFY(r.xLo >= 0.0 && r.xLo < 1.0);
    QVERIFY(r.xHi >= 2000.0);
    const double apart = plot.positionOf(QPointF(1000, 1.0), rect).y() -
                         plot.positionOf(QPointF(1000, 1.01), rect).y();
    QVERIFY2(apart >= 10.0, qPrintable(QString::number(apart)));
}

void TestCompareViews::bayesLine()
{
    CompareLossPlot plot;
    mdn::Snapshot s;
    s.runs = {runView(0, "", 1, 400, 1.0)};
    s.bayesNll = 0.9;
    plot.showSnapshot(s);
    const QSize size(640, 420);
    const QRectF rect(QPointF(0, 0), QSizeF(size));
    // The share of a row of the plot that is near black, and the largest share of any row.
    const auto darkShare = [&](const QImage &image, int y) {
        const PlaneRange r = plot.visibleRange(rect);
        const int left = int(plot.positionOf(QPointF(r.xLo, r.yLo), rect).x()) + 2;
        const int right = int(plot.positionOf(QPointF(r.xHi, r.yLo), rect).x()) - 2;
        int dark = 0;
        for (int x = left; x < right; ++x)
            if (near(QColor(image.pixel(x, y)), Qt::black, 90))
                ++dark;
        return double(dark) / double(right - left);
    };
    const auto darkestRow = [&](const QImage &image) {
        const PlaneRange r = plot.visibleRange(rect);
        const int top = int(plot.positionOf(QPointF(r.xLo, r.yHi), rect).y()) + 2;
        const int bottom = int(plot.positionOf(QPointF(r.xLo, r.yLo), rect).y()) - 2;
        double most = 0.0;
        for (int y = top; y < bottom; ++y)
            most = std::max(most, darkShare(image, y));
        return most;
    };
    const auto paint = [&](QPainter *p, const QRectF &r) { plot.paintTo(p, r); };
    // Dashed, at the floor: about half of its row is drawn (its label covers a little of it).
    const QImage withFloor = render(paint, size);
    const int row = int(plot.positionOf(QPointF(0.0, 0.9), rect).y());
    QVERIFY(std::max({darkShare(withFloor, row - 1), darkShare(withFloor, row),
                      darkShare(withFloor, row + 1)}) > 0.3);

    // Unknown, or none (noise-free data): no line.
    s.runs = {runView(0, "", 401, 402, 1.0)};
    s.bayesNll = kNaN;
    plot.showSnapshot(s);
    QVERIFY(darkestRow(render(paint, size)) < 0.2);
    s.bayesNll = -std::numeric_limits<double>::infinity();
    plot.showSnapshot(s);
    QVERIFY(darkestRow(render(paint, size)) < 0.2);
    QVERIFY(darkestRow(withFloor) > 0.3);
}

void TestCompareViews::panelsShareAxesAndClickNamesTheRun()
{
    SmallMultiples multiples;
    multiples.setData(squareData());
    mdn::Snapshot s;
    s.runs = {runView(3, "", 1, 5), runView(7, "K = 3", 1, 5), runView(9, "H = 12", 1, 5)};
    multiples.showSnapshot(s);
    multiples.resize(700, 450);
    multiples.show();
    QVERIFY(QTest::qWaitForWindowExposed(&multiples));
    QCOMPARE(multiples.panelCount(), std::size_t(3));

    const QRectF rect(multiples.rect());
    const QRectF first = multiples.plotRect(3, rect);
    for (std::size_t run : {std::size_t(7), std::size_t(9)})
        QCOMPARE(multiples.plotRect(run, rect).size(), first.size());
    QVERIFY(!multiples.plotRect(3, rect).intersects(multiples.plotRect(7, rect)));
    QVERIFY(multiples.panelRect(4).isEmpty());

    QSignalSpy spy(&multiples, &SmallMultiples::runClicked);
    for (std::size_t run : {std::size_t(7), std::size_t(3), std::size_t(9)}) {
        QTest::mouseClick(&multiples, Qt::LeftButton, {},
                          multiples.panelRect(run).center().toPoint());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.takeFirst().at(0).value<std::size_t>(), run);
    }
}

void TestCompareViews::panelsShowTheirRunsColour()
{
    SmallMultiples multiples;
    multiples.setData(squareData());
    mdn::Snapshot s;
    for (std::size_t r = 0; r < 8; ++r)
        s.runs.push_back(runView(r, "", 1, 5));
    s.runs[2].shown = true;
    multiples.showSnapshot(s);
    const QSize size(900, 600);
    const QRectF rect(QPointF(0, 0), QSizeF(size));
    const QImage image =
        render([&](QPainter *p, const QRectF &r) { multiples.paintTo(p, r); }, size);
    for (std::size_t r = 0; r < 8; ++r) {
        // The plot without its frame (the shown run's is in its colour too).
        const QRect plot = multiples.plotRect(r, rect).adjusted(4, 4, -4, -4).toRect();
        const int own = countColour(image, plot, runColour(r), 30);
        QVERIFY2(own >= 20, qPrintable(QStringLiteral("run %1: %2").arg(r).arg(own)));
        for (std::size_t o = 0; o < 8; ++o)
            if (o != r)
                QCOMPARE(countColour(image, plot, runColour(o), 12), 0);
    }
    // The shown run's plot is framed in its colour.
    const QRectF shown = multiples.plotRect(2, rect);
    const QRect frameStrip(QPoint(int(shown.left()) + 10, int(shown.top()) - 2),
                           QPoint(int(shown.right()) - 10, int(shown.top()) + 1));
    QVERIFY(countColour(image, frameStrip, runColour(2), 30) > frameStrip.width());
    const QRectF other = multiples.plotRect(1, rect);
    const QRect otherStrip(QPoint(int(other.left()) + 10, int(other.top()) - 2),
                           QPoint(int(other.right()) - 10, int(other.top()) + 1));
    QCOMPARE(countColour(image, otherStrip, runColour(1), 30), 0);
}

void TestCompareViews::panelTitles()
{
    SmallMultiples multiples;
    mdn::Snapshot s;
    s.runs = {runView(0, "", 1, 5), runView(1, "K = 3", 1, 5), runView(2, "H = 8", 1, 5)};
    s.runs[1].validation = -1.1516;
    s.runs[1].bestValidation = -1.16;
    s.runs[1].bestEpoch = 2400;
    s.runs[2].failed = true;
    multiples.showSnapshot(s);
    QVERIFY(multiples.panelTitle(0).startsWith(QStringLiteral("as set")));
    const QString t = multiples.panelTitle(1);
    QVERIFY2(t.startsWith(QStringLiteral("K = 3")), qPrintable(t));
    QVERIFY2(t.contains(kMinus + QStringLiteral("1.152")), qPrintable(t));
    QVERIFY2(t.contains(kMinus + QStringLiteral("1.160 @ 2,400")), qPrintable(t));
    QVERIFY(multiples.panelTitle(2).contains(QStringLiteral("failed")));
}

void TestCompareViews::gridColumns_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<QSizeF>("size");
    QTest::addColumn<int>("lo");
    QTest::addColumn<int>("hi");
    QTest::newRow("one") << 1 << QSizeF(600, 400) << 1 << 1;
    QTest::newRow("8, half a window") << 8 << QSizeF(600, 450) << 3 << 3;
    QTest::newRow("8, a wide strip") << 8 << QSizeF(1600, 220) << 8 << 8;
    QTest::newRow("8, a tall column") << 8 << QSizeF(300, 1200) << 1 << 2;
    QTest::newRow("12, half a window") << 12 << QSizeF(600, 450) << 4 << 4;
}

void TestCompareViews::gridColumns()
{
    QFETCH(int, count);
    QFETCH(QSizeF, size);
    QFETCH(int, lo);
    QFETCH(int, hi);
    const int cols = SmallMultiples::columnsFor(std::size_t(count), size);
    QVERIFY2(cols >= lo && cols <= hi, qPrintable(QString::number(cols)));
}

void TestCompareViews::tableShowsFigures()
{
    RunsTable table;
    mdn::Snapshot s;
    s.bayesNll = -1.2;
    s.runs = {runView(0, "", 1, 5), runView(4, "K = 3, H = 12", 1, 5), runView(6, "lr = 1", 1, 5)};
    mdn::RunView &a = s.runs[0];
    a.config.mixtures = 5;
    a.config.hidden = {12, 12};
    a.config.optimizer.learningRate = 0.003;
    a.trainLoss = -0.0001;
    a.validation = kNaN;
    a.bestEpoch = 2400;
    a.bestValidation = -1.16;
    a.epoch = 123456;
    a.seconds = 61.25;
    a.shown = true;
    s.runs[1].bestEpoch = -1;
    s.runs[2].failed = true;
    table.showSnapshot(s);

    QCOMPARE(table.rowCount(), 3);
    QCOMPARE(table.rowOf(4), 1);
    const auto text = [&](int row, int col) { return table.item(row, col)->text(); };
    QCOMPARE(text(0, RunsTable::RunColumn), QStringLiteral("as set"));
    QCOMPARE(text(0, RunsTable::KColumn), QStringLiteral("5"));
    QCOMPARE(text(0, RunsTable::HiddenColumn), QStringLiteral("12×12"));
    QCOMPARE(text(0, RunsTable::OptimiserColumn), QStringLiteral("adam, 0.003"));
    QCOMPARE(text(0, RunsTable::TrainColumn), QStringLiteral("0.000"));
    QCOMPARE(text(0, RunsTable::ValidationColumn), QStringLiteral("–"));
    QCOMPARE(text(0, RunsTable::BestColumn), kMinus + QStringLiteral("1.160"));
    QCOMPARE(text(0, RunsTable::BestEpochColumn), QStringLiteral("2,400"));
    QCOMPARE(text(0, RunsTable::GapColumn), QStringLiteral("0.040"));
    QCOMPARE(text(0, RunsTable::EpochsColumn), QStringLiteral("123,456"));
    QCOMPARE(text(0, RunsTable::TimeColumn), QStringLiteral("61.3"));
    QCOMPARE(text(1, RunsTable::RunColumn), QStringLiteral("K = 3, H = 12"));
    QCOMPARE(text(1, RunsTable::BestColumn), QStringLiteral("–"));
    QCOMPARE(text(1, RunsTable::GapColumn), QStringLiteral("–"));
    QVERIFY(text(2, RunsTable::RunColumn).contains(QStringLiteral("failed")));
    for (int row = 0; row < table.rowCount(); ++row) {
        QCOMPARE(table.item(row, RunsTable::ValidationColumn)->font().bold(), row == 0);
        QCOMPARE(table.item(row, RunsTable::RunColumn)->font().bold(), row == 0);
        for (int col = 0; col < table.columnCount(); ++col) {
            const QString t = text(row, col);
            QVERIFY2(!t.isEmpty(), qPrintable(QStringLiteral("%1,%2").arg(row).arg(col)));
            for (const QString &bad : {QStringLiteral("-0.000"), kMinus + QStringLiteral("0.000"),
                                       QStringLiteral("nan"), QStringLiteral("inf")})
                QVERIFY2(!t.contains(bad, Qt::CaseInsensitive), qPrintable(t));
        }
    }

    // No floor known (or none: noise-free data): no gap.
    s.bayesNll = kNaN;
    table.showSnapshot(s);
    QCOMPARE(text(0, RunsTable::GapColumn), QStringLiteral("–"));
    s.bayesNll = -std::numeric_limits<double>::infinity();
    table.showSnapshot(s);
    QCOMPARE(text(0, RunsTable::GapColumn), QStringLiteral("–"));

    // The shown run moves on.
    s.runs[0].shown = false;
    s.runs[1].shown = true;
    table.showSnapshot(s);
    QVERIFY(!table.item(0, RunsTable::TrainColumn)->font().bold());
    QVERIFY(table.item(1, RunsTable::TrainColumn)->font().bold());
}

void TestCompareViews::tableUpdatesInPlace()
{
    RunsTable table;
    table.resize(600, 120);
    mdn::Snapshot s;
    for (std::size_t r = 0; r < 10; ++r)
        s.runs.push_back(runView(r, "", 1, 5));
    table.showSnapshot(s);
    QCOMPARE(table.rebuilds(), 1);
    table.show();
    QVERIFY(QTest::qWaitForWindowExposed(&table));
    table.selectRow(6);
    table.verticalScrollBar()->setValue(table.verticalScrollBar()->maximum());
    const int scroll = table.verticalScrollBar()->value();
    QVERIFY(scroll > 0);
    QTableWidgetItem *kept = table.item(6, RunsTable::TrainColumn);

    for (long e = 6; e < 10; ++e) {
        for (mdn::RunView &v : s.runs)
            v.trainLoss = 1.0 + 0.001 * double(e);
        table.showSnapshot(s);
    }
    QCOMPARE(table.rebuilds(), 1);
    QCOMPARE(table.item(6, RunsTable::TrainColumn), kept);
    QCOMPARE(kept->text(), QStringLiteral("1.009"));
    QCOMPARE(table.currentRow(), 6);
    QCOMPARE(table.verticalScrollBar()->value(), scroll);

    // A run goes: the rows are built anew and the selected run stays selected.
    s.runs.erase(s.runs.begin() + 1);
    table.showSnapshot(s);
    QCOMPARE(table.rebuilds(), 2);
    QCOMPARE(table.rowCount(), 9);
    QCOMPARE(table.currentRow(), 5);
    QCOMPARE(table.runOfRow(5), std::size_t(6));
}

void TestCompareViews::tableClickNamesTheRun()
{
    RunsTable table;
    table.resize(900, 300);
    mdn::Snapshot s;
    s.runs = {runView(2, "", 1, 5), runView(5, "K = 3", 1, 5), runView(11, "K = 8", 1, 5)};
    table.showSnapshot(s);
    table.show();
    QVERIFY(QTest::qWaitForWindowExposed(&table));
    QSignalSpy spy(&table, &RunsTable::runClicked);
    for (int row : {2, 0, 1}) {
        const QRect cell = table.visualItemRect(table.item(row, RunsTable::ValidationColumn));
        QTest::mouseClick(table.viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.takeFirst().at(0).value<std::size_t>(), table.runOfRow(row));
    }
}

void TestCompareViews::compareViewForwardsClicksAndDrawsOneRun()
{
    CompareView view;
    view.setData(squareData());
    view.resize(1200, 700);
    mdn::Snapshot s;
    s.bayesNll = 0.8;
    s.runs = {runView(4, "", 1, 50)};
    s.runs[0].shown = true;
    view.showSnapshot(s);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.lossPlot()->runCount(), std::size_t(1));
    QCOMPARE(view.multiples()->panelCount(), std::size_t(1));
    QCOMPARE(view.table()->rowCount(), 1);
    // A comparison of one run is still drawn: its samples in its panel, its curve in the plot.
    SmallMultiples *m = view.multiples();
    const QImage panels = m->grab().toImage().convertToFormat(QImage::Format_RGB32);
    const QRect plot = m->plotRect(4, QRectF(m->rect())).adjusted(4, 4, -4, -4).toRect();
    QVERIFY(countColour(panels, plot, runColour(4), 30) > 20);
    const QImage loss =
        view.lossPlot()->grab().toImage().convertToFormat(QImage::Format_RGB32);
    QVERIFY(countColour(loss, loss.rect(), runColour(4), 30) > 50);

    QSignalSpy spy(&view, &CompareView::runClicked);
    QTest::mouseClick(m, Qt::LeftButton, {}, m->panelRect(4).center().toPoint());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.takeFirst().at(0).value<std::size_t>(), std::size_t(4));
    RunsTable *t = view.table();
    QTest::mouseClick(t->viewport(), Qt::LeftButton, {},
                      t->visualItemRect(t->item(0, RunsTable::KColumn)).center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.takeFirst().at(0).value<std::size_t>(), std::size_t(4));

    view.clear();
    QCOMPARE(view.lossPlot()->runCount(), std::size_t(0));
    QCOMPARE(view.multiples()->panelCount(), std::size_t(0));
    QCOMPARE(view.table()->rowCount(), 0);
}

// A small plot's range: as wanted (with the usual 5% margin), not widened to whole ticks, and
// its ticks inside it; a plain frame widens to whole ticks.
void TestCompareViews::tightFramesKeepTheirRange()
{
    const PlotStyle style = PlotStyle::standard();
    const PlaneRange want{-15.5, 14.2, -10.3, 10.6};
    PlaneFrame plain, tight;
    tight.setTightRange(true);
    for (PlaneFrame *f : {&plain, &tight})
        f->layout(QRectF(0, 0, 160, 110), want, false, QString(), QString(), style);
    const PlaneRange &r = tight.range();
    QCOMPARE(r.xLo, -15.5 - 0.05 * 29.7);
    QCOMPARE(r.yHi, 10.6 + 0.05 * 20.9);
    QVERIFY(tight.xTicks().size() >= 2);
    for (double t : tight.xTicks())
        QVERIFY(t >= r.xLo && t <= r.xHi);
    for (double t : tight.yTicks())
        QVERIFY(t >= r.yLo && t <= r.yHi);
    // The plain frame ends on ticks, further out.
    QVERIFY(plain.range().xLo < r.xLo && plain.range().xHi > r.xHi);
    QCOMPARE(plain.range().xLo, plain.xTicks().front());
    // Without tick labels the plot is the whole area (less the frame's line).
    tight.setTickLabels(false);
    tight.layout(QRectF(0, 0, 80, 30), want, false, QString(), QString(), style);
    QCOMPARE(tight.plot(), QRectF(1, 1, 78, 28));
}

QTEST_MAIN(TestCompareViews)
#include "tst_compareviews.moc"
