// Figures: the charts as SVG and PDF (and PNG), the recording of a run while it trains and its
// animated GIF, and the command line that asks for them.

#include "headless.h"
#include "mainwindow.h"

#include "animationexport.h"
#include "chartexport.h"
#include "chartset.h"
#include "datachart.h"
#include "dataset.h"
#include "densityitem.h"
#include "gifencoder.h"
#include "losschart.h"
#include "mixturechart.h"
#include "slicechart.h"
#include "snapshot.h"
#include "svgcompact.h"
#include "trainer.h"
#include "trainingrecorder.h"

#include <QBuffer>
#include <QChart>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QLineSeries>
#include <QRegularExpression>
#include <QScatterSeries>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest/QTest>

#include <algorithm>

#include <cmath>

using namespace mdnviz;

namespace {

mdn::Dataset inverseData(std::size_t points)
{
    mdn::GeneratorSpec g;
    g.generator = mdn::Generator::InverseSinusoid;
    g.points = points;
    return mdn::generate(g);
}

mdn::Snapshot snapshotOf(const mdn::Trainer *mse, const mdn::Trainer *mdnModel, const mdn::Dataset &data)
{
    mdn::Snapshot s;
    mdn::fillSnapshot(s, mse, mdnModel, data, mdn::SnapshotRequest());
    s.epoch = mdnModel ? mdnModel->epoch() : mse->epoch();
    return s;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The window's four charts, with `d` as data from the inverse sinusoid's generator.
struct Charts {
    DataChart data;
    LossChart loss;
    MixtureChart mixture;
    SliceChart slice;
    ChartSet set{&data, &loss, &mixture, &slice};

    explicit Charts(const mdn::Dataset &d) { set.setDataset(d, mdn::Generator::InverseSinusoid, 1.0); }
};

// The SVG's elements by name, with the text of each <text>; empty with *error on a parse error.
struct SvgContent {
    QMap<QString, int> elements;
    QStringList texts;
    QString error;
};

SvgContent parseSvg(const QByteArray &svg)
{
    SvgContent c;
    QXmlStreamReader reader(svg);
    while (!reader.atEnd()) {
        if (reader.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QString name = reader.name().toString();
        ++c.elements[name];
        if (name == QLatin1String("text"))
            c.texts << reader.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
    }
    if (reader.hasError())
        c.error = reader.errorString();
    return c;
}

// The frames of a GIF as a viewer shows them (Qt's reader composes the partial frames).
QList<QImage> gifFrames(const QString &path)
{
    QImageReader reader(path, "gif");
    QList<QImage> frames;
    QImage frame;
    while (reader.read(&frame))
        frames << frame.convertToFormat(QImage::Format_RGB32);
    return frames;
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT

private slots:
    void formatsByNameAndSuffix_data();
    void formatsByNameAndSuffix();
    void dialogAnswerChoosesTheFormat_data();
    void dialogAnswerChoosesTheFormat();
    void svgKeepsTextCurvesAndOneDensityImage();
    void svgOfALargeScatterStaysSmall();
    void exportLeavesOutTheSliceCursor();
    void pdfIsOnePageOfTheRequestedSize_data();
    void pdfIsOnePageOfTheRequestedSize();
    void everyChartInEveryFormat();
    void failedExportLeavesTheOldFile();
    void compactSvgFoldsMarkersAndSegments();

    void recorderWithPlanKeepsThePlannedEpochs();
    void recorderWithoutPlanStaysBoundedAndEven();
    void gifKeepsOneSharedPaletteAndFrames();
    void animationOfARecordedRun();
    void windowRecordsWhileTrainingAndExports();

    void headlessWritesSvgPdfAndGif();
    void headlessRefusesMeaninglessOptions_data();
    void headlessRefusesMeaninglessOptions();
};

void TestExport::formatsByNameAndSuffix_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("format"); // -1: none
    QTest::newRow("png") << "a/fit.png" << int(ExportFormat::Png);
    QTest::newRow("SVG upper case") << "fit.SVG" << int(ExportFormat::Svg);
    QTest::newRow("pdf") << "/tmp/x.y/fit.pdf" << int(ExportFormat::Pdf);
    QTest::newRow("gif is no chart format") << "fit.gif" << -1;
    QTest::newRow("no suffix") << "fit" << -1;
}

void TestExport::formatsByNameAndSuffix()
{
    QFETCH(QString, path);
    QFETCH(int, format);
    const auto f = exportFormatForPath(path);
    QCOMPARE(f ? int(*f) : -1, format);
    if (f)
        QCOMPARE(exportFormatFromName(exportFormatName(*f)), f);
}

void TestExport::dialogAnswerChoosesTheFormat_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("filter"); // index into exportNameFilters()
    QTest::addColumn<QString>("written");
    QTest::addColumn<int>("format");
    QTest::newRow("the extension wins") << "/d/fit.pdf" << 0 << "/d/fit.pdf" << int(ExportFormat::Pdf);
    QTest::newRow("the type adds its suffix") << "/d/fit" << 1 << "/d/fit.svg" << int(ExportFormat::Svg);
    QTest::newRow("unknown suffix") << "/d/fit.v2" << 2 << "/d/fit.v2.pdf" << int(ExportFormat::Pdf);
    QTest::newRow("png by default") << "/d/fit" << -1 << "/d/fit.png" << int(ExportFormat::Png);
}

void TestExport::dialogAnswerChoosesTheFormat()
{
    QFETCH(QString, path);
    QFETCH(int, filter);
    QFETCH(QString, written);
    QFETCH(int, format);
    const auto [file, f] = exportTargetFor(path, exportNameFilters().value(filter));
    QCOMPARE(file, written);
    QCOMPARE(int(f), format);
}

void TestExport::svgKeepsTextCurvesAndOneDensityImage()
{
    const mdn::Dataset data = inverseData(800);
    mdn::Trainer mse(data, mdn::defaultConfig(mdn::ModelKind::Mse));
    mdn::Trainer mdnModel(data, mdn::defaultConfig(mdn::ModelKind::Mdn));
    mse.train(50);
    mdnModel.train(50);
    DataChart chart;
    chart.setDataset(data);
    chart.setSnapshot(snapshotOf(&mse, &mdnModel, data));
    QVERIFY(chart.densityItem()->hasDensity());

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fit.svg"));
    QString error;
    QVERIFY2(exportFigure(chartFigure(chart.chart()), path, QSize(1200, 750), ExportFormat::Svg, &error),
             qPrintable(error));
    const SvgContent svg = parseSvg(readAll(path));
    QVERIFY2(svg.error.isEmpty(), qPrintable(svg.error));
    // The axis titles, the tick labels, the title and the legend are text, not outlines.
    for (const char *text : {"x", "y", "Data & fits", "MSE net prediction", "0", "p(y|x)"})
        QVERIFY2(svg.texts.contains(QLatin1String(text)), text);
    QVERIFY(svg.elements.value(QStringLiteral("text")) >= 20);
    // Every font names CSS's generic family last, so a browser without the font stays sans.
    const QString raw = QString::fromUtf8(readAll(path));
    QCOMPARE(raw.count(QStringLiteral("font-family=")), raw.count(QStringLiteral(", sans-serif\"")));
    // The density is one embedded image, not a mosaic of rectangles; markers are circles.
    QCOMPARE(svg.elements.value(QStringLiteral("image")), 1);
    QVERIFY(svg.elements.value(QStringLiteral("rect")) < 20);
    // (Qt Charts leaves out the few markers beyond the plot area.)
    const int markers = int(chart.dataPoints().size() + chart.samplePoints().size()) + chart.modeSeries()->count();
    QVERIFY(svg.elements.value(QStringLiteral("circle")) <= markers);
    QVERIFY(svg.elements.value(QStringLiteral("circle")) >= markers * 95 / 100);
    // The MSE curve is one polyline of its 200 grid points, not 199 separate segments.
    const QRegularExpression longLine(QStringLiteral("<polyline[^>]*points=\"([^\"]*)\""));
    int longest = 0;
    for (const QRegularExpressionMatch &m : longLine.globalMatch(QString::fromUtf8(readAll(path))))
        longest = std::max(longest, int(m.captured(1).split(QLatin1Char(' '), Qt::SkipEmptyParts).size()));
    QVERIFY2(longest >= 150, qPrintable(QString::number(longest)));
}

void TestExport::svgOfALargeScatterStaysSmall()
{
    // 30,000 points (the chart draws 8,000 of them) and 12,000 samples: the figure draws at most
    // kMaxVectorMarkers of each scatter series.
    const mdn::Dataset data = inverseData(30'000);
    mdn::Trainer mdnModel(inverseData(500), mdn::defaultConfig(mdn::ModelKind::Mdn));
    mdnModel.train(5);
    mdn::SnapshotRequest r;
    r.samplesPerX = 60;
    mdn::Snapshot s;
    mdn::fillSnapshot(s, nullptr, &mdnModel, data, r);
    DataChart chart;
    chart.setDataset(data);
    chart.setSnapshot(s);
    QCOMPARE(int(chart.samplePoints().size()), 12'000);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.svg"));
    QString error;
    QVERIFY2(exportFigure(chartFigure(chart.chart()), path, QSize(1600, 1000), ExportFormat::Svg, &error),
             qPrintable(error));
    const QByteArray bytes = readAll(path);
    const SvgContent svg = parseSvg(bytes);
    QVERIFY2(svg.error.isEmpty(), qPrintable(svg.error));
    QVERIFY(svg.elements.value(QStringLiteral("circle")) <= 2 * kMaxVectorMarkers + 200);
    QVERIFY2(bytes.size() < 1'200'000, qPrintable(QString::number(bytes.size())));
    // The samples are whole again for the window.
    QCOMPARE(int(chart.samplePoints().size()), 12'000);
    QVERIFY(!chart.sampleSeries()->lightMarker().isNull());
}

void TestExport::exportLeavesOutTheSliceCursor()
{
    Charts charts(inverseData(400));
    DataChart &data = charts.data;
    data.setSliceX(2.5);
    QVERIFY(data.sliceSeries()->count() > 0);
    const QPen cursor = data.sliceSeries()->pen();

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fit.svg"));
    QString error;
    QVERIFY2(exportChart(charts.set, ChartKind::DataAndFits, path, QSize(800, 500), ExportFormat::Svg, &error),
             qPrintable(error));
    const QString svg = QString::fromUtf8(readAll(path));
    QVERIFY(!svg.isEmpty());
    QVERIFY2(!svg.contains(QStringLiteral("stroke=\"%1\"").arg(cursor.color().name())),
             "the slice cursor's colour is in the figure");
    // And back on screen afterwards.
    QCOMPARE(data.sliceX(), 2.5);
    QVERIFY(data.sliceSeries()->count() > 0);
}

void TestExport::pdfIsOnePageOfTheRequestedSize_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1600x1000") << QSize(1600, 1000);
    QTest::newRow("A4-ish 794x1123") << QSize(794, 1123);
    QTest::newRow("small 320x200") << QSize(320, 200);
}

void TestExport::pdfIsOnePageOfTheRequestedSize()
{
    QFETCH(QSize, size);
    const mdn::Dataset data = inverseData(300);
    DataChart chart;
    chart.setDataset(data);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fit.pdf"));
    QString error;
    QVERIFY2(exportFigure(chartFigure(chart.chart()), path, size, ExportFormat::Pdf, &error), qPrintable(error));
    const QByteArray pdf = readAll(path);
    QVERIFY(pdf.startsWith("%PDF-"));
    const QString text = QString::fromLatin1(pdf);
    QCOMPARE(text.count(QRegularExpression(QStringLiteral("/Type\\s*/Page[^s]"))), 1);
    // CSS pixels: 0.75 point each.
    const QRegularExpressionMatch box =
        QRegularExpression(QStringLiteral("/MediaBox\\s*\\[\\s*0\\s+0\\s+([0-9.]+)\\s+([0-9.]+)\\s*\\]")).match(text);
    QVERIFY(box.hasMatch());
    QVERIFY2(std::abs(box.captured(1).toDouble() - 0.75 * size.width()) < 0.51, qPrintable(box.captured(0)));
    QVERIFY2(std::abs(box.captured(2).toDouble() - 0.75 * size.height()) < 0.51, qPrintable(box.captured(0)));
}

void TestExport::everyChartInEveryFormat()
{
    const mdn::Dataset data = inverseData(400);
    mdn::Trainer mdnModel(data, mdn::defaultConfig(mdn::ModelKind::Mdn));
    mdnModel.train(20);
    Charts charts(data);
    mdn::Snapshot s = snapshotOf(nullptr, &mdnModel, data);
    s.losses = {mdn::LossPoint{1, 2.0, 1.5}, mdn::LossPoint{2, 1.5, 1.2}};
    charts.set.showSnapshot(s);

    QTemporaryDir dir;
    for (ExportFormat format : {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf}) {
        const QString out = dir.filePath(exportFormatName(format));
        QString error;
        QVERIFY2(exportCharts(charts.set, out, QSize(640, 400), format, &error), qPrintable(error));
        for (ChartKind chart : kAllCharts) {
            const QByteArray bytes = readAll(out + QLatin1Char('/') + chartFileName(chart, format));
            QVERIFY2(bytes.size() > 1000, qPrintable(chartFileName(chart, format)));
            switch (format) {
            case ExportFormat::Png:
                QCOMPARE(QImage::fromData(bytes, "png").size(), QSize(640, 400));
                break;
            case ExportFormat::Svg: {
                const SvgContent svg = parseSvg(bytes);
                QVERIFY2(svg.error.isEmpty(), qPrintable(svg.error));
                QVERIFY(svg.elements.value(QStringLiteral("text")) >= 5);
                break;
            }
            case ExportFormat::Pdf:
                QVERIFY(bytes.startsWith("%PDF-"));
                break;
            }
        }
    }
    // The mixture's three charts in one SVG, each with its axis titles as text, whole.
    const QString mixturePath = dir.filePath(QStringLiteral("mixture.svg"));
    QString error;
    QVERIFY2(exportChart(charts.set, ChartKind::Mixture, mixturePath, QSize(1600, 1000), ExportFormat::Svg, &error),
             qPrintable(error));
    const QString texts = parseSvg(readAll(mixturePath)).texts.join(QString());
    for (const char *title : {"Mixing weights", "π", "μ (y units)", "σ (log)", "component 1"})
        QVERIFY2(texts.contains(QString::fromUtf8(title)), title);
}

void TestExport::failedExportLeavesTheOldFile()
{
    DataChart chart;
    chart.setDataset(inverseData(100));
    QTemporaryDir dir;
    for (ExportFormat format : {ExportFormat::Svg, ExportFormat::Pdf}) {
        const QString missing = dir.filePath(QStringLiteral("no/such/dir/fit.") + exportFormatName(format));
        QString error;
        QVERIFY(!exportFigure(chartFigure(chart.chart()), missing, QSize(400, 300), format, &error));
        QVERIFY2(error.startsWith(QDir::toNativeSeparators(missing) + QLatin1String(": ")), qPrintable(error));
        QVERIFY(!QFile::exists(missing));

        const QString existing = dir.filePath(QStringLiteral("old.") + exportFormatName(format));
        QFile f(existing);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("precious");
        f.close();
        QVERIFY(!exportFigure(chartFigure(chart.chart()), existing, QSize(15, 300), format, &error));
        QCOMPARE(readAll(existing), QByteArray("precious"));
    }
}

void TestExport::compactSvgFoldsMarkersAndSegments()
{
    const QByteArray in =
        "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><g>"
        "<g fill=\"#ff0000\" transform=\"matrix(2,0,0,2,10,20)\"><circle cx=\"1\" cy=\"2\" r=\"3\"/></g>"
        "<g stroke=\"#000000\" transform=\"matrix(1,0,0,1,0,0)\">\n</g>"
        "<g fill=\"#ff0000\" transform=\"matrix(2,0,0,2,30,40)\"><circle cx=\"0\" cy=\"0\" r=\"3\"/></g>"
        "<g fill=\"#ff0000\" transform=\"matrix(1,0.5,0,1,0,0)\"><circle cx=\"0\" cy=\"0\" r=\"1\"/></g>"
        "<g stroke=\"#00ff00\"><polyline points=\"0,0 1,1 \"/><polyline points=\"1,1 2,0 \"/>"
        "<polyline points=\"5,5 6,6 \"/></g>"
        "<g font-family=\"Sans Serif\"><text x=\"1\" y=\"2\" xml:space=\"preserve\"> a b </text></g>"
        "</g></svg>";
    const QString out = QString::fromUtf8(compactSvg(in, QStringLiteral("sans-serif")));
    QVERIFY(!out.isEmpty());
    // The two translated circles share one group with the transform folded in; the sheared one
    // keeps its own; the empty group is gone.
    QCOMPARE(out.count(QStringLiteral("<circle")), 3);
    QVERIFY2(out.contains(QStringLiteral("<circle cx=\"12\" cy=\"24\" r=\"6\"/>")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("<circle cx=\"30\" cy=\"40\" r=\"6\"/>")), qPrintable(out));
    QCOMPARE(out.count(QStringLiteral("matrix(2,0,0,2")), 0);
    QCOMPARE(out.count(QStringLiteral("matrix(1,0.5,0,1,0,0)")), 1);
    QCOMPARE(out.count(QStringLiteral("#000000")), 0);
    // Joined segments, the disjoint one apart; text kept as it was.
    QVERIFY2(out.contains(QStringLiteral("points=\"0,0 1,1 2,0\"")), qPrintable(out));
    QCOMPARE(out.count(QStringLiteral("<polyline")), 2);
    QVERIFY(out.contains(QStringLiteral("> a b </text>")));
    QVERIFY(out.contains(QStringLiteral("font-family=\"Sans Serif, sans-serif\"")));
    QVERIFY(compactSvg("<svg><g></svg>").isEmpty());
}

void TestExport::recorderWithPlanKeepsThePlannedEpochs()
{
    TrainingRecorder r(5, 100);
    for (long e = 0; e <= 100; ++e) {
        mdn::Snapshot s;
        s.epoch = e;
        s.losses.resize(3);
        if (r.wants(e))
            r.record(s);
    }
    std::vector<long> epochs;
    for (const mdn::Snapshot &s : r.frames()) {
        epochs.push_back(s.epoch);
        QVERIFY(s.losses.empty());
    }
    QCOMPARE(epochs, (std::vector<long>{0, 25, 50, 75, 100}));

    // A run shorter than the frames asked for: one frame per epoch it had.
    TrainingRecorder shortRun(60, 3);
    for (long e = 0; e <= 3; ++e) {
        mdn::Snapshot s;
        s.epoch = e;
        shortRun.record(s);
    }
    QCOMPARE(int(shortRun.frames().size()), 4);
}

void TestExport::recorderWithoutPlanStaysBoundedAndEven()
{
    // Snapshots at irregular epochs, as a window receives them, for far longer than the
    // capacity: at most `capacity` frames, the first at epoch 0, spread over the whole run.
    TrainingRecorder r(20);
    long epoch = 0;
    std::size_t most = 0;
    for (int i = 0; i < 5000; ++i) {
        mdn::Snapshot s;
        s.epoch = epoch;
        r.record(s);
        most = std::max(most, r.frames().size());
        epoch += 1 + (i * 7) % 13;
    }
    const std::vector<mdn::Snapshot> frames = r.frames();
    QVERIFY(most <= 20);
    QVERIFY(frames.size() >= 10);
    QCOMPARE(frames.front().epoch, 0L);
    const long last = epoch - (1 + (4999 * 7) % 13);
    QCOMPARE(frames.back().epoch, last); // the newest, whatever the stride
    // Gaps between kept frames (the newest aside) are within a factor of a few of each other.
    long lo = LONG_MAX, hi = 0;
    for (std::size_t i = 1; i + 1 < frames.size(); ++i) {
        lo = std::min(lo, frames[i].epoch - frames[i - 1].epoch);
        hi = std::max(hi, frames[i].epoch - frames[i - 1].epoch);
    }
    QVERIFY2(hi <= 3 * lo, qPrintable(QStringLiteral("%1 .. %2").arg(lo).arg(hi)));
    QVERIFY(r.stride() >= last / 20);
}

void TestExport::gifKeepsOneSharedPaletteAndFrames()
{
    // A ramp that moves across the frames: with one palette shared by all and the ramp's colours
    // kept, every frame shows the ramp's colours exactly where they are.
    QList<QImage> frames;
    GifOptions options;
    for (int i = 0; i < 32; ++i)
        options.keepColours << qRgb(255 - 4 * i, 255, 255 - 8 * i);
    for (int f = 0; f < 6; ++f) {
        QImage image(96, 40, QImage::Format_RGB32);
        image.fill(Qt::white);
        for (int x = 0; x < 32; ++x)
            for (int y = 0; y < 20; ++y)
                image.setPixel(f * 10 + x, y, options.keepColours[x]);
        frames << image;
    }
    QString error;
    const QByteArray gif = encodeGif(frames, options, &error);
    QVERIFY2(!gif.isEmpty(), qPrintable(error));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ramp.gif"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(gif);
    f.close();
    const QList<QImage> decoded = gifFrames(path);
    QCOMPARE(decoded.size(), frames.size());
    for (int i = 0; i < frames.size(); ++i)
        QCOMPARE(decoded[i], frames[i]);
    QVERIFY(encodeGif({}, options, &error).isEmpty());
    QVERIFY(!error.isEmpty());
}

void TestExport::animationOfARecordedRun()
{
    // A run recorded while it trains, as the headless trainer does: 20 frames over 190 epochs.
    const mdn::Dataset data = inverseData(600);
    mdn::Trainer t(data, mdn::defaultConfig(mdn::ModelKind::Mdn));
    const int frameCount = 20;
    TrainingRecorder recorder(frameCount, 190);
    recorder.record(snapshotOf(nullptr, &t, data));
    t.train(190, nullptr, [&](long epoch, double) {
        if (recorder.wants(epoch))
            recorder.record(snapshotOf(nullptr, &t, data));
        return true;
    });
    const std::vector<mdn::Snapshot> frames = recorder.frames();
    QCOMPARE(int(frames.size()), frameCount);
    QCOMPARE(frames.back().epoch, 190L);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("train.gif"));
    QString error;
    const QSize size = kDefaultAnimationSize;
    QVERIFY2(exportTrainingAnimation(data, DataChart::Overlays(), frames, path, size, 10, &error),
             qPrintable(error));
    const QList<QImage> decoded = gifFrames(path);
    QCOMPARE(decoded.size(), frameCount);
    QCOMPARE(decoded.front().size(), size);
    QVERIFY(decoded.front() != decoded.back());
    // The stated bound: at most 100 KB a frame at 800 x 500 (a raw frame is 400 KB).
    const qint64 bytes = QFileInfo(path).size();
    QVERIFY2(bytes <= qint64(frameCount) * kMaxAnimationFrameBytes, qPrintable(QString::number(bytes)));
    // The untrained model's density is far from the trained one's: the ramp moved.
    int differing = 0;
    for (int y = 0; y < size.height(); y += 4)
        for (int x = 0; x < size.width(); x += 4)
            differing += decoded.front().pixel(x, y) != decoded.back().pixel(x, y);
    QVERIFY2(differing > size.width() * size.height() / 16 / 20, qPrintable(QString::number(differing)));

    QVERIFY(!exportTrainingAnimation(data, DataChart::Overlays(), {}, path, size, 10, &error));
    QVERIFY(error.contains(QStringLiteral("train")));
    QVERIFY(!exportTrainingAnimation(data, DataChart::Overlays(), frames, path, size, 0, &error));
}

void TestExport::windowRecordsWhileTrainingAndExports()
{
    mdnviz::MainWindow w(false);
    w.resize(1000, 700);
    w.show();
    mdnviz::Settings settings = w.settings();
    settings.points = 1000;
    w.applySettings(settings);
    QTRY_COMPARE(w.dataset().size(), std::size_t(1000));
    w.train();
    // Snapshots come at most ~30 a second, however fast the epochs go.
    QTRY_VERIFY_WITH_TIMEOUT(w.epoch() >= 150 && w.recorder().frames().size() >= 5, 60000 * MDNVIZ_TIME_SCALE);
    w.pause();
    QTRY_VERIFY(!w.isTraining());
    // Kept from the snapshots the window was sent: bounded, in order, reaching the newest.
    const std::vector<mdn::Snapshot> frames = w.recorder().frames();
    QVERIFY2(frames.size() >= 5, qPrintable(QString::number(frames.size())));
    QVERIFY(int(frames.size()) <= kDefaultAnimationFrames);
    for (std::size_t i = 1; i < frames.size(); ++i)
        QVERIFY(frames[i].epoch > frames[i - 1].epoch);
    QTRY_COMPARE(w.recorder().frames().back().epoch, w.epoch());

    QTemporaryDir dir;
    QString error;
    const QString gif = dir.filePath(QStringLiteral("training.gif"));
    QVERIFY2(w.exportTrainingAnimation(gif, &error), qPrintable(error));
    const QList<QImage> decoded = gifFrames(gif);
    QCOMPARE(decoded.size(), int(w.recorder().frameCount()));
    QVERIFY(decoded.front() != decoded.back());

    const QString svg = dir.filePath(QStringLiteral("fit.svg"));
    QVERIFY2(w.exportDataChart(svg, QSize(1200, 750), &error), qPrintable(error));
    // Trained and stopped: the chart is of the best weights, and its title says which.
    const QStringList texts = parseSvg(readAll(svg)).texts;
    QVERIFY2(std::any_of(texts.begin(), texts.end(),
                         [](const QString &t) {
                             return t.startsWith(QStringLiteral("Data & fits — best weights of epoch "));
                         }),
             qPrintable(texts.join(QLatin1Char('|'))));
    QVERIFY2(w.exportAllCharts(dir.filePath(QStringLiteral("pdf")), QSize(800, 500), &error, ExportFormat::Pdf),
             qPrintable(error));
    QVERIFY(readAll(dir.filePath(QStringLiteral("pdf/loss.pdf"))).startsWith("%PDF-"));

    // New models start a new recording.
    w.resetModels();
    QTRY_VERIFY(w.recorder().frameCount() <= 1);
    w.close();
}

void TestExport::headlessWritesSvgPdfAndGif()
{
    QTemporaryDir dir;
    const QString svg = dir.filePath(QStringLiteral("fit.svg")), pdf = dir.filePath(QStringLiteral("fit.pdf"));
    const QString gif = dir.filePath(QStringLiteral("train.gif")), charts = dir.filePath(QStringLiteral("charts"));
    const headless::Run run = headless::run(
        {"--headless", "--points", "600", "--epochs", "90", "--export-svg", svg, "--export-pdf", pdf,
         "--export-animation", gif, "--frames", "10", "--fps", "5", "--export-dir", charts,
         "--format", "svg", "--size", "480x300"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY(parseSvg(readAll(svg)).texts.contains(QStringLiteral("x")));
    QVERIFY(readAll(pdf).startsWith("%PDF-"));
    const QList<QImage> frames = gifFrames(gif);
    QCOMPARE(frames.size(), 10);
    QCOMPARE(frames.front().size(), QSize(480, 300));
    QVERIFY(frames.front() != frames.back());
    for (ChartKind chart : kAllCharts)
        QVERIFY(QFile::exists(charts + QLatin1Char('/') + chartFileName(chart, ExportFormat::Svg)));
}

void TestExport::headlessRefusesMeaninglessOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("format without a folder") << QStringList{"--format", "svg"} << "--format applies to --export-dir";
    QTest::newRow("unknown format") << QStringList{"--export-dir", "d", "--format", "jpg"} << "--format jpg";
    QTest::newRow("frames without animation") << QStringList{"--frames", "10"} << "--frames applies to --export-animation";
    QTest::newRow("one frame") << QStringList{"--export-animation", "a.gif", "--frames", "1"} << "--frames 1";
    QTest::newRow("fps 0") << QStringList{"--export-animation", "a.gif", "--fps", "0"} << "--fps 0";
    QTest::newRow("fps 51") << QStringList{"--export-animation", "a.gif", "--fps", "51"} << "--fps 51";
}

void TestExport::headlessRefusesMeaninglessOptions()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QTemporaryDir dir;
    for (QString &a : args)
        if (a == QLatin1String("d") || a.endsWith(QLatin1String(".gif")))
            a = dir.filePath(a);
    const headless::Run run = headless::run(QStringList{"--headless", "--epochs", "1"} + args);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(message.toUtf8()), qPrintable(run.describe()));
    QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList());
}

QTEST_MAIN(TestExport)
#include "tst_export.moc"
