// The chart views, the chart export, the settings dock and the settings' change logic.

#include "axisformat.h"
#include "chartexport.h"
#include "datachart.h"
#include "fuzzy.h"
#include "logspinbox.h"
#include "losschart.h"
#include "rng.h"
#include "settings.h"
#include "settingsdock.h"
#include "tooltips.h"
#include "legendfit.h"

#include <QChart>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPushButton>
#include <QRegularExpression>
#include <QScatterSeries>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QLocale>
#include <QHelpEvent>
#include <QTextDocument>
#include <QToolTip>
#include <QtTest/QTest>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <limits>

using mdnviz::Settings;

using namespace mdnviz;

namespace {

// What a colour drawn with `alpha` over white looks like.
QColor overWhite(const QColor &c, int alpha)
{
    const double a = alpha / 255.0;
    return QColor(int(std::lround(c.red() * a + 255 * (1 - a))),
                  int(std::lround(c.green() * a + 255 * (1 - a))),
                  int(std::lround(c.blue() * a + 255 * (1 - a))));
}

// Pixels of `image` inside `area` within `tolerance` (Euclidean, RGB) of `colour`.
int countNear(const QImage &image, const QRect &area, const QColor &colour, int tolerance)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    const QRect r = area.intersected(rgb.rect());
    int n = 0;
    for (int y = r.top(); y <= r.bottom(); ++y) {
        const QRgb *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = r.left(); x <= r.right(); ++x) {
            const int dr = qRed(line[x]) - colour.red();
            const int dg = qGreen(line[x]) - colour.green();
            const int db = qBlue(line[x]) - colour.blue();
            if (dr * dr + dg * dg + db * db <= tolerance * tolerance)
                ++n;
        }
    }
    return n;
}

int countNonWhite(const QImage &image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    int n = 0;
    for (int y = 0; y < rgb.height(); ++y) {
        const QRgb *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x)
            if ((line[x] & 0xffffff) != 0xffffff)
                ++n;
    }
    return n;
}

// Lays a chart out at `size` now, as the event loop would.
void layOut(QChart *chart, QSize size)
{
    chart->resize(QSizeF(size));
    for (int i = 0; i < 4 && chart->layout() && !chart->layout()->isActivated(); ++i)
        chart->layout()->activate();
}

QStringList sceneTexts(QChart *chart)
{
    QStringList texts;
    const auto items = chart->scene()->items();
    for (QGraphicsItem *item : items)
        if (auto *text = dynamic_cast<QGraphicsTextItem *>(item))
            if (text->isVisible())
                texts << text->toPlainText();
    return texts;
}

bool isNegativeZero(const QString &label)
{
    static const QRegularExpression re(QStringLiteral("^-0([.,]0*)?$"));
    return re.match(label.trimmed()).hasMatch();
}

// A small dataset spread over [0, 1]^2 so that its markers do not overlap, and a snapshot whose
// curve and samples stay inside the data's range but clear of the data and of each other.
mdn::Dataset spreadDataset()
{
    mdn::Dataset d;
    for (int i = 0; i < 8; ++i)
        for (int j = 0; j < 4; ++j) {
            d.x.push_back(i / 7.0);
            d.y.push_back(0.55 + j * 0.15);
        }
    d.x.push_back(0.0);
    d.y.push_back(0.0);
    d.x.push_back(1.0);
    d.y.push_back(0.0);
    d.name = "spread";
    return d;
}

mdn::Snapshot spreadSnapshot()
{
    mdn::Snapshot s;
    for (int i = 0; i <= 50; ++i) {
        s.gridX.push_back(i / 50.0);
        s.mseCurve.push_back(0.3);
    }
    for (int i = 0; i < 10; ++i) {
        s.sampleX.push_back(0.05 + i * 0.1);
        s.sampleY.push_back(0.1);
    }
    return s;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray();
    return f.readAll();
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

Settings unusualSettings()
{
    Settings s;
    s.generator = mdn::Generator::Bishop;
    s.fromFile = true;
    s.filePath = "/tmp/some dir/points.csv";
    s.points = 12345;
    s.noise = 0.35;
    s.seed = 987654;
    s.mseHidden = 33;
    s.mdnHidden = 77;
    s.mixtures = 7;
    s.optimizer = mdn::OptimizerKind::RMSProp;
    s.learningRate = 0.00250;
    s.batch = 64;
    s.epochLimit = 123456;
    s.samplesPerX = 17;
    return s;
}

} // namespace

class TestWidgets : public QObject {
    Q_OBJECT

private slots:
    void longToolTipsWrap();
    void legendNamesShortenToFit();
    void batchSizeSaysWhenFullBatchMeansMiniBatches();
    void exportHasSizeAndColours_data();
    void exportHasSizeAndColours();
    void exportFailsWithoutTouchingTarget();
    void exportIntoReadOnlyDirectory();

    void decimalsForStep_data();
    void decimalsForStep();
    void tickLabelsNeverNegativeZero_data();
    void tickLabelsNeverNegativeZero();
    void tickLabelsRandomRanges();
    void renderedLabelsNeverNegativeZero();

    void dataRangeNeverClips();
    void fitsDoNotMoveAxes();
    void largeDatasetIsDecimated();
    void clearFitsKeepsData();
    void dataMarkersAreDrawnAtTheirPoints();

    void lossThinning();
    void lossSkipsNaN();

    void dockRoundTrip();
    void dockQSettingsRoundTrip();
    void dockQSettingsGarbage();
    void dockSignals();
    void dockRunningState();
    void logSpinLadder_data();
    void logSpinLadder();

    void settingsChanges_data();
    void settingsChanges();
};

void TestWidgets::exportHasSizeAndColours_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1600x1000") << QSize(1600, 1000);
    QTest::newRow("800x500") << QSize(800, 500);
}

void TestWidgets::exportHasSizeAndColours()
{
    QFETCH(QSize, size);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());

    DataChart view;
    view.resize(400, 300); // the export must not depend on this
    view.setDataset(spreadDataset());
    view.setSnapshot(spreadSnapshot());

    const QString path = dir.filePath(QStringLiteral("chart.png"));
    QString error;
    QVERIFY2(exportChartPng(view.chart(), path, size, &error), qPrintable(error));
    QImage image;
    QVERIFY(image.load(path));
    QCOMPARE(image.size(), size);
    QVERIFY(countNonWhite(image) > size.width() * size.height() / 100);

    // Look for the series' colours inside the plot area only (the legend has them too).
    layOut(view.chart(), size);
    const QRect plot = view.chart()->plotArea().toAlignedRect();
    QVERIFY(plot.width() > size.width() / 2);
    const int data =
        countNear(image, plot, overWhite(DataChart::dataColor(), DataChart::dataAlpha()), 20);
    const int mse = countNear(image, plot, DataChart::mseColor(), 20);
    const int samples =
        countNear(image, plot, overWhite(DataChart::sampleColor(), DataChart::sampleAlpha()), 20);
    QVERIFY2(data >= 32 * 4, qPrintable(QString::number(data)));
    QVERIFY2(mse >= plot.width() / 2, qPrintable(QString::number(mse)));
    QVERIFY2(samples >= 10 * 4, qPrintable(QString::number(samples)));
    // The three colours must be told apart.
    QVERIFY(countNear(image, plot, DataChart::mseColor(), 20) !=
            countNear(image, plot, DataChart::dataColor(), 20));
}

void TestWidgets::exportFailsWithoutTouchingTarget()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    DataChart view;
    view.setDataset(spreadDataset());
    QString error;

    // A directory that does not exist.
    const QString missing = dir.filePath(QStringLiteral("no/such/dir/chart.png"));
    QVERIFY(!exportChartPng(view.chart(), missing, QSize(200, 100), &error));
    QVERIFY(error.startsWith(QDir::toNativeSeparators(missing) + QLatin1String(": ")));
    QVERIFY(error.size() > missing.size() + 3);
    QVERIFY(!QFile::exists(missing));

    // Sizes out of range leave an existing file as it was.
    const QString existing = dir.filePath(QStringLiteral("existing.png"));
    const QByteArray original("not really a PNG, but precious\n");
    QVERIFY(writeBytes(existing, original));
    for (const QSize &bad : {QSize(15, 100), QSize(100, 0), QSize(16385, 100), QSize(-5, -5)}) {
        error.clear();
        QVERIFY(!exportChartPng(view.chart(), existing, bad, &error));
        QVERIFY2(error.startsWith(QDir::toNativeSeparators(existing)), qPrintable(error));
        QCOMPARE(readAll(existing), original);
    }

    // A path that names a directory.
    const QString asDir = dir.filePath(QStringLiteral("folder.png"));
    QVERIFY(QDir().mkdir(asDir));
    error.clear();
    QVERIFY(!exportChartPng(view.chart(), asDir, QSize(200, 100), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(QFileInfo(asDir).isDir());

    // The smallest and a successful overwrite still work.
    QVERIFY2(exportChartPng(view.chart(), existing, QSize(16, 16), &error), qPrintable(error));
    QImage image;
    QVERIFY(image.load(existing));
    QCOMPARE(image.size(), QSize(16, 16));
}

void TestWidgets::exportIntoReadOnlyDirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString sub = dir.filePath(QStringLiteral("locked"));
    QVERIFY(QDir().mkdir(sub));
    const QString target = sub + QStringLiteral("/chart.png");
    const QByteArray original("the old export\n");
    QVERIFY(writeBytes(target, original));
    QVERIFY(QFile::setPermissions(sub, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    const bool writable = ::access(QFile::encodeName(sub).constData(), W_OK) == 0;
    if (writable) {
        QFile::setPermissions(sub, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                       QFileDevice::ExeOwner);
        QSKIP("permissions do not restrict this user (root); covered by the other failures");
    }

    DataChart view;
    view.setDataset(spreadDataset());
    QString error;
    const bool ok = exportChartPng(view.chart(), target, QSize(300, 200), &error);
    QFile::setPermissions(sub,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QVERIFY(!ok);
    QVERIFY(error.startsWith(QDir::toNativeSeparators(target) + QLatin1String(": ")));
    QCOMPARE(readAll(target), original);
}

void TestWidgets::decimalsForStep_data()
{
    QTest::addColumn<double>("step");
    QTest::addColumn<int>("decimals");
    QTest::newRow("5") << 5.0 << 0;
    QTest::newRow("1") << 1.0 << 0;
    QTest::newRow("2.5") << 2.5 << 1;
    QTest::newRow("0.5") << 0.5 << 1;
    QTest::newRow("0.25") << 0.25 << 2;
    QTest::newRow("0.1") << 0.1 << 1;
    QTest::newRow("0.02") << 0.02 << 2;
    QTest::newRow("2.5e-4") << 2.5e-4 << 5;
    QTest::newRow("1e6") << 1e6 << 0;
}

void TestWidgets::decimalsForStep()
{
    QFETCH(double, step);
    QFETCH(int, decimals);
    QCOMPARE(::decimalsForStep(step), decimals);
}

void TestWidgets::tickLabelsNeverNegativeZero_data()
{
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::newRow("[-1e-9, 5]") << -1e-9 << 5.0;
    QTest::newRow("[-0.04, 0.04]") << -0.04 << 0.04;
    QTest::newRow("[-10.5, 10.5]") << -10.5 << 10.5;
    QTest::newRow("[-0.3, 0.7]") << -0.3 << 0.7;
    QTest::newRow("[-0.7, 0.1]") << -0.7 << 0.1;
    QTest::newRow("[-3e-7, 1e-7]") << -3e-7 << 1e-7;
    QTest::newRow("[-123456, 7]") << -123456.0 << 7.0;
    QTest::newRow("[-1, -1]") << -1.0 << -1.0;
    QTest::newRow("[0, 0]") << 0.0 << 0.0;
    QTest::newRow("[-1e-300, 1e-300]") << -1e-300 << 1e-300;
}

void TestWidgets::tickLabelsNeverNegativeZero()
{
    QFETCH(double, lo);
    QFETCH(double, hi);
    for (int maxTicks = 3; maxTicks <= 15; ++maxTicks) {
        AxisOptions options;
        options.maxTicks = maxTicks;
        const AxisTicks t = niceAxis(lo, hi, options);
        const QStringList labels = tickLabels(t);
        const QString all = labels.join(QLatin1Char(' '));
        QVERIFY2(labels.size() >= 2, qPrintable(all));
        QCOMPARE(labels.size(), t.tickCount);
        for (const QString &label : labels)
            QVERIFY2(!isNegativeZero(label), qPrintable(all));
        QStringList unique = labels;
        QVERIFY2(unique.removeDuplicates() == 0, qPrintable(all));
        QVERIFY(t.min <= std::min(lo, hi) && t.max >= std::max(lo, hi));
        if (t.min < 0 && t.max > 0)
            QVERIFY2(labels.contains(QString::asprintf(qPrintable(t.labelFormat()), 0.0)),
                     qPrintable(all));
    }
}

void TestWidgets::tickLabelsRandomRanges()
{
    mdn::Rng rng(20240607);
    for (int i = 0; i < 5000; ++i) {
        const double scale = std::pow(10.0, rng.uniform(-8, 8));
        double lo = rng.uniform(-1, 1) * scale, hi = rng.uniform(-1, 1) * scale;
        if (i % 7 == 0)
            lo = -hi * rng.uniform(0, 1e-6); // just below zero
        AxisOptions options;
        options.maxTicks = 3 + int(rng.uniform(0, 13));
        const AxisTicks t = niceAxis(lo, hi, options);
        const QStringList labels = tickLabels(t);
        const QString what =
            QString::asprintf("[%g, %g] -> [%g, %g] step %g: ", lo, hi, t.min, t.max, t.step) +
            labels.join(QLatin1Char(' '));
        QVERIFY2(t.min <= std::min(lo, hi) && t.max >= std::max(lo, hi), qPrintable(what));
        QVERIFY2(labels.size() == t.tickCount, qPrintable(what));
        for (const QString &label : labels)
            QVERIFY2(!isNegativeZero(label), qPrintable(what));
    }
}

void TestWidgets::renderedLabelsNeverNegativeZero()
{
    // The labels Qt Charts itself draws, for data straddling zero at several scales.
    for (double scale : {0.04, 0.3, 1.0, 10.5, 7e-5}) {
        DataChart view;
        mdn::Dataset d;
        d.x = {-scale, scale, 0.0};
        d.y = {-0.7 * scale, scale, 0.0};
        view.setDataset(d);
        for (const QSize &size : {QSize(640, 400), QSize(1600, 1000)}) {
            layOut(view.chart(), size);
            const QStringList texts = sceneTexts(view.chart());
            const QString all = texts.join(QLatin1Char(' '));
            for (const QString &text : texts)
                QVERIFY2(!isNegativeZero(text), qPrintable(all));
            const QString zero = QString::asprintf(qPrintable(view.axisX()->labelFormat()), 0.0);
            QVERIFY2(texts.contains(zero), qPrintable(zero + QLatin1String(" in ") + all));
        }
    }
}

void TestWidgets::dataRangeNeverClips()
{
    mdn::Rng rng(7);
    DataChart view;
    for (int trial = 0; trial < 200; ++trial) {
        mdn::Dataset d;
        const int n = 1 + int(rng.uniform(0, 300));
        const double sx = std::pow(10.0, rng.uniform(-6, 6)),
                     sy = std::pow(10.0, rng.uniform(-6, 6));
        const double ox = rng.uniform(-10, 10) * sx, oy = rng.uniform(-10, 10) * sy;
        for (int i = 0; i < n; ++i) {
            d.x.push_back(ox + sx * rng.normal());
            d.y.push_back(oy + sy * rng.normal());
        }
        view.setDataset(d);
        if (trial % 3 == 0)
            layOut(view.chart(), QSize(300 + 10 * trial, 200 + 5 * trial));
        const auto [xMin, xMax] = std::minmax_element(d.x.begin(), d.x.end());
        const auto [yMin, yMax] = std::minmax_element(d.y.begin(), d.y.end());
        QVERIFY(view.axisX()->min() <= *xMin);
        QVERIFY(view.axisX()->max() >= *xMax);
        QVERIFY(view.axisY()->min() <= *yMin);
        QVERIFY(view.axisY()->max() >= *yMax);
        QCOMPARE(int(view.dataPoints().size()), n);
    }
}

void TestWidgets::fitsDoNotMoveAxes()
{
    DataChart view;
    view.setDataset(spreadDataset());
    const double x0 = view.axisX()->min(), x1 = view.axisX()->max();
    const double y0 = view.axisY()->min(), y1 = view.axisY()->max();
    mdn::Snapshot s = spreadSnapshot();
    s.sampleY[3] = 1e6;
    s.mseCurve[7] = -1e6;
    s.sampleY[4] = std::numeric_limits<double>::quiet_NaN();
    view.setSnapshot(s);
    QCOMPARE(view.axisX()->min(), x0);
    QCOMPARE(view.axisX()->max(), x1);
    QCOMPARE(view.axisY()->min(), y0);
    QCOMPARE(view.axisY()->max(), y1);
    QCOMPARE(view.mseSeries()->count(), 51);
    QCOMPARE(int(view.samplePoints().size()), 9); // the NaN sample is skipped
}

void TestWidgets::largeDatasetIsDecimated()
{
    mdn::Dataset d;
    const int n = 1000000;
    d.x.resize(n);
    d.y.resize(n);
    for (int i = 0; i < n; ++i) {
        d.x[i] = (i % 1000) / 1000.0;
        d.y[i] = (i / 1000) / 1000.0;
    }
    d.y[1] = 100.0; // between two shown points: the axes must still hold it
    d.x[7] = -50.0;
    DataChart view;
    view.setDataset(d);
    QCOMPARE(int(view.dataPoints().size()), DataChart::maxShownPoints);
    QVERIFY2(view.dataSeries()->name().contains(QLatin1String("8,000 of 1,000,000")),
             qPrintable(view.dataSeries()->name()));
    QVERIFY(view.axisY()->max() >= 100.0);
    QVERIFY(view.axisX()->min() <= -50.0);
    // Deterministic: the same subset every time.
    const QList<QPointF> first = view.dataPoints();
    view.setDataset(d);
    QCOMPARE(view.dataPoints(), first);
    QCOMPARE(first.first(), QPointF(d.x[0], d.y[0]));

    d.x.resize(500);
    d.y.resize(500);
    view.setDataset(d);
    QCOMPARE(int(view.dataPoints().size()), 500);
    QVERIFY(!view.dataSeries()->name().contains(QLatin1String("shown")));
}

// The data's markers are one cached image: in a PNG at the window's scale and enlarged, each
// marker is where the axes put its point, in the data's translucent colour; hidden, none is.
void TestWidgets::dataMarkersAreDrawnAtTheirPoints()
{
    DataChart view;
    mdn::Dataset d;
    // Apart from each other and off the grid lines (ticks at multiples of 0.5).
    d.x = {-1.0, 0.23, 1.0};
    d.y = {-1.0, 0.37, 1.0};
    view.setDataset(d);
    layOut(view.chart(), QSize(800, 500));
    const QPointF at = view.chart()->mapToPosition(QPointF(0.23, 0.37), view.dataSeries());
    const QColor expected = [] {
        const QColor c = DataChart::dataColor();
        const double a = DataChart::dataAlpha() / 255.0;
        return QColor::fromRgbF(float(c.redF() * a + (1 - a)), float(c.greenF() * a + (1 - a)),
                                float(c.blueF() * a + (1 - a)));
    }();
    const auto near = [](QColor a, QColor b) {
        return std::abs(a.red() - b.red()) <= 8 && std::abs(a.green() - b.green()) <= 8 &&
               std::abs(a.blue() - b.blue()) <= 8;
    };
    for (int scale : {1, 2}) {
        const QImage image = renderChart(view.chart(), QSize(800, 500) * scale);
        const QColor centre = image.pixelColor((at * scale).toPoint());
        QVERIFY2(near(centre, expected), qPrintable(centre.name()));
        // Five pixels of the layout away, beyond the marker's radius of 2.5: background.
        const QColor beside = image.pixelColor(((at + QPointF(5, 0)) * scale).toPoint());
        QVERIFY2(beside.blue() - beside.red() < 20, qPrintable(beside.name()));
    }
    DataChart::Overlays o = view.overlays();
    o.data = false;
    view.setOverlays(o);
    const QColor hidden = renderChart(view.chart(), QSize(800, 500)).pixelColor(at.toPoint());
    QVERIFY2(hidden.blue() - hidden.red() < 20, qPrintable(hidden.name()));
}

void TestWidgets::clearFitsKeepsData()
{
    DataChart view;
    view.setDataset(spreadDataset());
    view.setSnapshot(spreadSnapshot());
    // Marker items report themselves hidden while the legend has not been laid out.
    layOut(view.chart(), QSize(800, 500));
    const auto visible = [&](QAbstractSeries *s) {
        return view.chart()->legend()->markers(s).value(0)->isVisible();
    };
    QVERIFY(visible(view.mseSeries()));
    view.clearFits();
    QCOMPARE(view.mseSeries()->count(), 0);
    QCOMPARE(int(view.samplePoints().size()), 0);
    QCOMPARE(int(view.dataPoints().size()), 34);
    QVERIFY(!visible(view.mseSeries()));
    QVERIFY(!visible(view.sampleSeries()));
    QVERIFY(visible(view.dataSeries()));
}

void TestWidgets::lossThinning()
{
    LossChart chart;
    const long epochs = 1000000;
    std::vector<mdn::LossPoint> batch;
    double minMse = 1e300, maxMse = 0;
    for (long e = 1; e <= epochs; ++e) {
        mdn::LossPoint p;
        p.epoch = e;
        p.mse = 0.01 + 50.0 / double(e);
        p.nll = 1.0 + 3.0 / std::sqrt(double(e));
        minMse = std::min(minMse, p.mse);
        maxMse = std::max(maxMse, p.mse);
        batch.push_back(p);
        if (batch.size() == 997 || e == epochs) {
            chart.appendLosses(batch);
            batch.clear();
            QVERIFY(chart.mseSeries()->count() <= LossChart::maxPoints);
            QCOMPARE(chart.mseSeries()->points().last().x(), double(e));
        }
    }
    for (QLineSeries *s : {chart.mseSeries(), chart.nllSeries()}) {
        const QList<QPointF> pts = s->points();
        QVERIFY(pts.size() <= LossChart::maxPoints);
        QVERIFY(pts.size() >= LossChart::maxPoints / 2);
        QCOMPARE(pts.first().x(), 1.0);
        QCOMPARE(pts.last().x(), double(epochs));
        for (int i = 1; i < pts.size(); ++i)
            QVERIFY(pts[i].x() > pts[i - 1].x());
    }
    QCOMPARE(chart.epochAxis()->min(), 0.0);
    QVERIFY(chart.epochAxis()->max() >= double(epochs));
    QVERIFY(chart.mseAxis()->min() <= minMse);
    QVERIFY(chart.mseAxis()->max() >= maxMse);
    QVERIFY(chart.nllAxis()->min() <= 1.0 + 3.0 / 1000.0);
    QVERIFY(chart.nllAxis()->max() >= 4.0);

    chart.clear();
    QCOMPARE(chart.mseSeries()->count(), 0);
    QCOMPARE(chart.nllSeries()->count(), 0);
}

void TestWidgets::lossSkipsNaN()
{
    LossChart chart;
    layOut(chart.chart(), QSize(800, 500));
    const auto markerVisible = [&](QAbstractSeries *s) {
        return chart.chart()->legend()->markers(s).value(0)->isVisible();
    };
    QVERIFY(!markerVisible(chart.mseSeries()));
    QVERIFY(!markerVisible(chart.nllSeries()));
    std::vector<mdn::LossPoint> losses(10);
    for (int i = 0; i < 10; ++i) {
        losses[i].epoch = i + 1;
        losses[i].nll = i % 2 ? std::numeric_limits<double>::quiet_NaN() : 2.0 - 0.1 * i;
    }
    chart.appendLosses(losses);
    QCOMPARE(chart.mseSeries()->count(), 0);
    QCOMPARE(chart.nllSeries()->count(), 5);
    QVERIFY(!markerVisible(chart.mseSeries()));
    QVERIFY(markerVisible(chart.nllSeries()));
    // Non-positive MSE cannot sit on a log axis.
    losses.assign(2, mdn::LossPoint());
    losses[0].epoch = 11;
    losses[0].mse = 0.0;
    losses[1].epoch = 12;
    losses[1].mse = 0.5;
    chart.appendLosses(losses);
    QCOMPARE(chart.mseSeries()->count(), 1);
    QVERIFY(markerVisible(chart.mseSeries()));
}

void TestWidgets::dockRoundTrip()
{
    SettingsDock dock;
    QCOMPARE(dock.settings(), Settings());
    const Settings s = unusualSettings();
    dock.setSettings(s);
    QCOMPARE(dock.settings(), s);
    QVERIFY(dock.findChild<QLabel *>(QStringLiteral("fileLabel"))
                ->text()
                .contains(QLatin1String("points.csv")));

    Settings g = s;
    g.fromFile = false;
    g.generator = mdn::Generator::Sinusoid;
    g.epochLimit = 0;
    g.batch = 0;
    g.optimizer = mdn::OptimizerKind::SGD;
    dock.setSettings(g);
    QCOMPARE(dock.settings(), g);
    QCOMPARE(dock.findChild<QSpinBox *>(QStringLiteral("epochLimit"))->text(),
             QStringLiteral("no limit"));
    QCOMPARE(dock.findChild<QSpinBox *>(QStringLiteral("batch"))->text(),
             QStringLiteral("full batch"));

    // Values out of the controls' ranges are clamped, not rejected.
    Settings wild;
    wild.points = 5;
    wild.mixtures = 1000;
    wild.learningRate = 100.0;
    wild.samplesPerX = -3;
    dock.setSettings(wild);
    QCOMPARE(dock.settings().points, 10);
    QCOMPARE(dock.settings().mixtures, 64);
    QCOMPARE(dock.settings().learningRate, 10.0);
    QCOMPARE(dock.settings().samplesPerX, 1);
}

void TestWidgets::dockQSettingsRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("mdnviz.ini"));
    const Settings s = unusualSettings();
    {
        SettingsDock dock;
        dock.setSettings(s);
        QSettings store(ini, QSettings::IniFormat);
        dock.saveSettings(store);
        store.sync();
        QCOMPARE(store.status(), QSettings::NoError);
        QVERIFY(store.childGroups().contains(QStringLiteral("settings")));
    }
    SettingsDock dock;
    QSignalSpy changed(&dock, &SettingsDock::settingsChanged);
    QSettings store(ini, QSettings::IniFormat);
    dock.loadSettings(store);
    QCOMPARE(dock.settings(), s);
    QCOMPARE(changed.count(), 0);
}

void TestWidgets::dockQSettingsGarbage()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("garbage.ini"));
    QVERIFY(writeBytes(ini, "[settings]\n"
                            "generator=sinusoid\n"
                            "fromFile=maybe\n"
                            "points=abc\n"
                            "noise=nan\n"
                            "seed=-5\n"
                            "mseHidden=1e9\n"
                            "mdnHidden=99999999999999999999999\n"
                            "mixtures=9999\n"
                            "optimizer=lbfgs\n"
                            "learningRate=-1\n"
                            "batch=\n"
                            "epochLimit=20000000\n"
                            "samplesPerX=0\n"));
    SettingsDock dock;
    const Settings before = dock.settings();
    QSettings store(ini, QSettings::IniFormat);
    dock.loadSettings(store);
    const Settings s = dock.settings();
    QCOMPARE(s.generator, mdn::Generator::Sinusoid);
    QCOMPARE(s.fromFile, before.fromFile);
    QCOMPARE(s.points, before.points);
    QCOMPARE(s.noise, before.noise);
    QCOMPARE(s.seed, quint64(0));
    QCOMPARE(s.mseHidden, before.mseHidden);
    QCOMPARE(s.mdnHidden, before.mdnHidden);
    QCOMPARE(s.mixtures, 64);
    QCOMPARE(s.optimizer, before.optimizer);
    MDN_COMPARE_NEAR(s.learningRate, 1e-5, 1e-12, 0);
    QCOMPARE(s.batch, before.batch);
    QCOMPARE(s.epochLimit, 10000000L);
    QCOMPARE(s.samplesPerX, 1);

    // A file setting without a path cannot be honoured.
    const QString ini2 = dir.filePath(QStringLiteral("nopath.ini"));
    QVERIFY(writeBytes(ini2, "[settings]\nfromFile=true\nfilePath=\n"));
    QSettings store2(ini2, QSettings::IniFormat);
    dock.loadSettings(store2);
    QVERIFY(!dock.settings().fromFile);
}

void TestWidgets::dockSignals()
{
    SettingsDock dock;
    QSignalSpy changed(&dock, &SettingsDock::settingsChanged);
    QSignalSpy openFile(&dock, &SettingsDock::openFileRequested);
    QSignalSpy train(&dock, &SettingsDock::trainRequested);
    QSignalSpy step(&dock, &SettingsDock::stepRequested);
    QSignalSpy reset(&dock, &SettingsDock::resetRequested);
    QSignalSpy regenerate(&dock, &SettingsDock::regenerateRequested);

    dock.setSettings(unusualSettings());
    dock.setSettings(Settings());
    QCOMPARE(changed.count(), 0);

    dock.findChild<QSpinBox *>(QStringLiteral("mixtures"))->setValue(13);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.last().at(0).value<Settings>().mixtures, 13);

    dock.findChild<QDoubleSpinBox *>(QStringLiteral("learningRate"))->setValue(0.2);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.last().at(0).value<Settings>().learningRate, 0.2);

    // A new generator brings its own noise, in the same single notification.
    auto *dataset = dock.findChild<QComboBox *>(QStringLiteral("dataset"));
    dataset->setCurrentIndex(SettingsDock::Bishop);
    QCOMPARE(changed.count(), 3);
    const Settings bishop = changed.last().at(0).value<Settings>();
    QCOMPARE(bishop.generator, mdn::Generator::Bishop);
    QCOMPARE(bishop.noise, mdn::defaultNoise(mdn::Generator::Bishop));
    QCOMPARE(dock.settings(), bishop);

    // The robot arm comes noise-free, as Bishop's data, and the round trip keeps it that way.
    dataset->setCurrentIndex(SettingsDock::RobotArm);
    QCOMPARE(changed.count(), 4);
    const Settings arm = changed.last().at(0).value<Settings>();
    QCOMPARE(arm.generator, mdn::Generator::RobotArm);
    QCOMPARE(arm.noise, 0.0);
    dock.setSettings(arm);
    QCOMPARE(dock.settings(), arm);
    dataset->setCurrentIndex(SettingsDock::RobotArmForward);
    QCOMPARE(changed.last().at(0).value<Settings>().generator, mdn::Generator::RobotArmForward);
    dock.setSettings(bishop);
    QCOMPARE(changed.count(), 5);

    // "From file…" asks for a file instead of announcing settings that have none.
    dataset->setCurrentIndex(SettingsDock::FromFile);
    emit dataset->activated(SettingsDock::FromFile);
    QCOMPARE(openFile.count(), 1);
    QCOMPARE(changed.count(), 5);
    dock.setSettings(bishop); // the dialog was cancelled
    QCOMPARE(dataset->currentIndex(), int(SettingsDock::Bishop));
    QCOMPARE(changed.count(), 5);

    dock.findChild<QPushButton *>(QStringLiteral("train"))->click();
    dock.findChild<QPushButton *>(QStringLiteral("step"))->click();
    dock.findChild<QPushButton *>(QStringLiteral("reset"))->click();
    dock.findChild<QPushButton *>(QStringLiteral("regenerate"))->click();
    QCOMPARE(train.count(), 1);
    QCOMPARE(step.count(), 1);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(regenerate.count(), 1);
    QCOMPARE(changed.count(), 5);

    // Every control explains itself.
    const auto widgets = dock.findChildren<QWidget *>();
    for (QWidget *w : widgets)
        if (qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QComboBox *>(w) ||
            qobject_cast<QPushButton *>(w))
            QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->objectName()));
}

void TestWidgets::dockRunningState()
{
    SettingsDock dock;
    auto *train = dock.findChild<QPushButton *>(QStringLiteral("train"));
    auto *pause = dock.findChild<QPushButton *>(QStringLiteral("pause"));
    auto *step = dock.findChild<QPushButton *>(QStringLiteral("step"));
    QVERIFY(train->isEnabled() && !pause->isEnabled() && step->isEnabled());
    dock.setRunning(true);
    QVERIFY(!train->isEnabled() && pause->isEnabled() && !step->isEnabled());
    QSignalSpy paused(&dock, &SettingsDock::pauseRequested);
    pause->click();
    QCOMPARE(paused.count(), 1);
    dock.setRunning(false);
    QVERIFY(train->isEnabled() && !pause->isEnabled());
}

void TestWidgets::logSpinLadder_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<int>("steps");
    QTest::addColumn<double>("expected");
    QTest::newRow("0.01 up") << 0.01 << 1 << 0.02;
    QTest::newRow("0.02 up") << 0.02 << 1 << 0.05;
    QTest::newRow("0.05 up") << 0.05 << 1 << 0.1;
    QTest::newRow("0.01 down") << 0.01 << -1 << 0.005;
    QTest::newRow("0.003 up") << 0.003 << 1 << 0.005;
    QTest::newRow("0.003 down") << 0.003 << -1 << 0.002;
    QTest::newRow("1 up 3") << 1.0 << 3 << 10.0;
    QTest::newRow("1e-4 down 2") << 1e-4 << -2 << 2e-5;
}

void TestWidgets::logSpinLadder()
{
    QFETCH(double, value);
    QFETCH(int, steps);
    QFETCH(double, expected);
    MDN_COMPARE_NEAR(LogSpinBox::ladderStep(value, steps), expected, 0, 1e-12);
}

void TestWidgets::settingsChanges_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<bool>("newData");
    QTest::addColumn<bool>("modelReset");
    QTest::newRow("nothing") << "" << false << false;
    QTest::newRow("generator") << "generator" << true << true;
    QTest::newRow("fromFile") << "fromFile" << true << true;
    QTest::newRow("filePath") << "filePath" << true << true;
    QTest::newRow("points") << "points" << true << true;
    QTest::newRow("noise") << "noise" << true << true;
    QTest::newRow("seed") << "seed" << true << true;
    QTest::newRow("mseHidden") << "mseHidden" << false << true;
    QTest::newRow("mdnHidden") << "mdnHidden" << false << true;
    QTest::newRow("mixtures") << "mixtures" << false << true;
    QTest::newRow("optimizer") << "optimizer" << false << true;
    QTest::newRow("learningRate") << "learningRate" << false << true;
    QTest::newRow("batch") << "batch" << false << true;
    QTest::newRow("epochLimit") << "epochLimit" << false << false;
    QTest::newRow("samplesPerX") << "samplesPerX" << false << false;
}

void TestWidgets::settingsChanges()
{
    QFETCH(QString, field);
    QFETCH(bool, newData);
    QFETCH(bool, modelReset);
    const Settings before;
    Settings after = before;
    if (field == QLatin1String("generator"))
        after.generator = mdn::Generator::Sinusoid;
    else if (field == QLatin1String("fromFile"))
        after.fromFile = true;
    else if (field == QLatin1String("filePath"))
        after.filePath = "a.csv";
    else if (field == QLatin1String("points"))
        after.points += 1;
    else if (field == QLatin1String("noise"))
        after.noise += 0.1;
    else if (field == QLatin1String("seed"))
        after.seed += 1;
    else if (field == QLatin1String("mseHidden"))
        after.mseHidden += 1;
    else if (field == QLatin1String("mdnHidden"))
        after.mdnHidden += 1;
    else if (field == QLatin1String("mixtures"))
        after.mixtures += 1;
    else if (field == QLatin1String("optimizer"))
        after.optimizer = mdn::OptimizerKind::SGD;
    else if (field == QLatin1String("learningRate"))
        after.learningRate *= 2;
    else if (field == QLatin1String("batch"))
        after.batch = 32;
    else if (field == QLatin1String("epochLimit"))
        after.epochLimit = 0;
    else if (field == QLatin1String("samplesPerX"))
        after.samplesPerX += 1;

    QCOMPARE(after == before, field.isEmpty());
    QCOMPARE(after != before, !field.isEmpty());
    QCOMPARE(after.needsNewData(before), newData);
    QCOMPARE(after.needsModelReset(before), modelReset);
    QCOMPARE(before.needsNewData(after), newData);
    QCOMPARE(before.needsModelReset(after), modelReset);
}

// Above 50,000 training points "full batch" trains on mini-batches of 4,096: the control says so.
// Every setting of the dock explains itself in a tooltip; a long one is shown as a paragraph that
// wraps, not a line running off the screen. Short ones and rich text stay as they are.
// In a narrow chart the legend's entries take shorter names, each whole, instead of being cut
// to "MSE net pre..."; wide, the full names come back.
void TestWidgets::legendNamesShortenToFit()
{
    mdn::GeneratorSpec g;
    g.points = 500;
    const mdn::Dataset data = mdn::generate(g);
    mdn::Trainer mse(data, mdn::defaultConfig(mdn::ModelKind::Mse));
    mdn::Trainer mdnModel(data, mdn::defaultConfig(mdn::ModelKind::Mdn));
    mse.train(20);
    mdnModel.train(20);
    mdn::Snapshot s;
    s.epoch = 20;
    mdn::fillSnapshot(s, &mse, &mdnModel, data, mdn::SnapshotRequest());
    DataChart chart;
    chart.setDataset(data);
    chart.setSnapshot(s);
    chart.resize(1400, 700);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const auto shownNames = [&] {
        QStringList names;
        for (QLegendMarker *m : chart.chart()->legend()->markers())
            if (m->isVisible())
                names << m->series()->name();
        return names;
    };
    QTRY_VERIFY2(shownNames().contains(QStringLiteral("MSE net prediction")), qPrintable(shownNames().join('|')));
    chart.resize(380, 300);
    QTRY_VERIFY2(!shownNames().contains(QStringLiteral("MSE net prediction")), qPrintable(shownNames().join('|')));
    const QMarginsF margins = chart.chart()->margins();
    QVERIFY2(legendWidth(chart.chart(), shownNames()) <= chart.chart()->size().width() - margins.left() - margins.right(),
             qPrintable(shownNames().join('|')));
    QVERIFY(shownNames().filter(QStringLiteral("data")).size() == 1);
    chart.resize(1400, 700);
    QTRY_VERIFY(shownNames().contains(QStringLiteral("MSE net prediction")));
}

void TestWidgets::longToolTipsWrap()
{
    QCOMPARE(wrappedToolTip(QStringLiteral("Short.")), QStringLiteral("Short."));
    const QString rich = QStringLiteral("<b>bold</b> and long enough to pass the limit of sixty characters");
    QCOMPARE(wrappedToolTip(rich), rich);
    QCOMPARE(wrappedToolTip(QStringLiteral("Weights below 1e-3 & widths < the floor: a long plain sentence.")),
             QStringLiteral("<p>Weights below 1e-3 &amp; widths &lt; the floor: a long plain sentence.</p>"));

    WrappingToolTips::install();
    SettingsDock dock;
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    QWidget *longest = nullptr;
    for (QWidget *w : dock.findChildren<QWidget *>())
        if (w->isVisible() && !Qt::mightBeRichText(w->toolTip()) &&
            (!longest || w->toolTip().size() > longest->toolTip().size()))
            longest = w;
    QVERIFY(longest && longest->toolTip().size() > kWrapToolTipAfter);
    QHelpEvent help(QEvent::ToolTip, QPoint(2, 2), longest->mapToGlobal(QPoint(2, 2)));
    QApplication::sendEvent(longest, &help);
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY(QToolTip::text().startsWith(QStringLiteral("<p>")));
    QVERIFY(QToolTip::text().contains(longest->toolTip().left(20).toHtmlEscaped()));
    QToolTip::hideText();
}

void TestWidgets::batchSizeSaysWhenFullBatchMeansMiniBatches()
{
    SettingsDock dock;
    auto *batch = dock.findChild<QSpinBox *>(QStringLiteral("batch"));
    QVERIFY(batch);
    Settings s;
    s.points = 4000;
    dock.setSettings(s);
    QCOMPARE(batch->specialValueText(), QStringLiteral("full batch"));
    s.points = 200000;
    dock.setSettings(s);
    QVERIFY2(batch->specialValueText().contains(QLocale().toString(4096)), qPrintable(batch->specialValueText()));
    QCOMPARE(s.batchFor(std::size_t(s.points) - s.validationPointsOf(std::size_t(s.points))), std::size_t(4096));
    s.points = 60000;
    s.validationPercent = 50; // 30,000 left to train on: full batch again
    dock.setSettings(s);
    QCOMPARE(batch->specialValueText(), QStringLiteral("full batch"));
}

QTEST_MAIN(TestWidgets)
#include "tst_widgets.moc"
