#include "compareviews.h"

#include <QFontMetricsF>
#include <QHeaderView>
#include <QLocale>
#include <QMouseEvent>
#include <QPaintEngine>
#include <QPainter>
#include <QPixmap>
#include <QScrollBar>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mdnviz {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Outer margin of a figure, layout units.
constexpr double kOuter = 8.0;
// The loss plot's legend takes at most this share of its height; the plot comes first.
constexpr double kMaxLegendShare = 0.35;
// Pen width of the loss curves: Qt draws antialiased lines of at most a pixel on a fast path and
// wider ones through its general stroker, many times slower, and a dozen runs of 2,000 points
// each are repainted some 30 times a second.
constexpr double kCurveWidth = 1.0;
// Room between the small multiples' panels, and the panels' wanted width per height.
constexpr double kPanelGap = 10.0;
constexpr double kPanelAspect = 1.4;
// The colour swatch before a panel's title, and the room between it and the text.
constexpr double kSwatch = 10.0;
constexpr double kTitleIndent = 5.0;

QColor dataGrey()
{
    return QColor(110, 110, 110);
}

// Image pixels per layout unit for the scatters: the device's own pixels on screen and in PNGs;
// two per unit in vector files, where the image is all there is of the points.
double pixelRatio(const QPainter *painter)
{
    const QPaintEngine *engine = painter->paintEngine();
    if (engine && (engine->type() == QPaintEngine::SVG || engine->type() == QPaintEngine::Pdf))
        return 2.0;
    const double dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    return std::max(1.0, dpr);
}

const QLocale &numberLocale()
{
    static const QLocale locale(QLocale::English, QLocale::UnitedStates);
    return locale;
}

// A number with `decimals` digits, a true minus sign, never a negative zero.
QString signedText(double value, int decimals)
{
    QString s = tickLabel(value, decimals);
    if (s.startsWith(u'-'))
        s.replace(0, 1, QChar(0x2212));
    return s;
}

QFont boldFont(QFont font)
{
    font.setBold(true);
    return font;
}

QString failedSuffix()
{
    return QObject::tr(" (failed)");
}

} // namespace

QColor runColour(std::size_t i)
{
    // tab10 without its grey (the data's colour in the small multiples), then navy, dark teal
    // and wine: every pair differs clearly in hue or lightness.
    static const QColor colours[kRunColours] = {
        QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),   QColor(214, 39, 40),
        QColor(148, 103, 189), QColor(140, 86, 75),  QColor(227, 119, 194), QColor(188, 189, 34),
        QColor(23, 190, 207),  QColor(25, 40, 110),  QColor(0, 112, 100),   QColor(128, 0, 64)};
    return colours[i % kRunColours];
}

QString runLabelText(const std::string &label)
{
    return label.empty() ? QObject::tr("as set") : QString::fromStdString(label);
}

QString natsText(double value)
{
    return std::isfinite(value) ? signedText(value, 3) : QStringLiteral("–");
}

QString epochText(long epoch)
{
    return epoch >= 0 ? numberLocale().toString(qlonglong(epoch)) : QStringLiteral("–");
}

namespace {

// The polyline through `points` as it lands on the device's pixel columns: in each column only
// its lowest and highest point (in their order) and, at the end, the newest point. A one-pixel
// line through these covers the same pixels as through all of them, and a history of 2,000
// points on a plot 500 pixels wide costs half as much to draw.
void columnExtremes(const QList<QPointF> &points, const PlaneFrame &frame, double ratio,
                    QPolygonF &out)
{
    out.clear();
    qsizetype loI = -1, hiI = -1;
    QPointF lo, hi;
    double column = std::numeric_limits<double>::quiet_NaN();
    const auto flush = [&] {
        if (loI < 0)
            return;
        if (loI == hiI) {
            out << lo;
        } else if (loI < hiI) {
            out << lo << hi;
        } else {
            out << hi << lo;
        }
    };
    // frame.toPixel, spelled out: it is called for every point of every curve.
    const QRectF plot = frame.plot();
    const PlaneRange &r = frame.range();
    const double sx = plot.width() / (r.xHi - r.xLo), sy = plot.height() / (r.yHi - r.yLo);
    const double ox = plot.left() - r.xLo * sx, oy = plot.bottom() + r.yLo * sy;
    for (qsizetype i = 0; i < points.size(); ++i) {
        const QPointF q(ox + points[i].x() * sx, oy - points[i].y() * sy);
        const double c = std::floor(q.x() * ratio);
        if (c != column) {
            flush();
            column = c;
            lo = hi = q;
            loI = hiI = i;
        } else if (q.y() < lo.y()) {
            lo = q;
            loI = i;
        } else if (q.y() > hi.y()) {
            hi = q;
            hiI = i;
        }
    }
    flush();
    if (!points.isEmpty() && std::max(loI, hiI) != points.size() - 1)
        out << frame.toPixel(points.last());
}

} // namespace

// ---- CompareLossPlot --------------------------------------------------------------------------

CompareLossPlot::CompareLossPlot(QWidget *parent) : QWidget(parent), m_bayes(kNaN)
{
    setMinimumSize(260, 200);
    setAttribute(Qt::WA_OpaquePaintEvent);
    updateRange();
}

void CompareLossPlot::showSnapshot(const mdn::Snapshot &s)
{
    std::vector<Curve> next;
    next.reserve(s.runs.size());
    for (const mdn::RunView &r : s.runs) {
        Curve c;
        const auto old = std::find_if(m_curves.begin(), m_curves.end(),
                                      [&](const Curve &k) { return k.run == r.run; });
        if (old != m_curves.end() && !r.lossesRestart)
            c = std::move(*old);
        c.run = r.run;
        c.label = runLabelText(r.label);
        c.shown = r.shown;
        c.failed = r.failed;
        for (const mdn::RunLossPoint &l : r.losses) {
            if (std::isfinite(l.train))
                c.train.add(QPointF(double(l.epoch), l.train));
            if (std::isfinite(l.validation))
                c.validation.add(QPointF(double(l.epoch), l.validation));
        }
        next.push_back(std::move(c));
    }
    m_curves = std::move(next);
    m_bayes = s.bayesNll;
    updateRange();
    update();
}

void CompareLossPlot::clear()
{
    m_curves.clear();
    m_bayes = kNaN;
    updateRange();
    update();
}

const CompareLossPlot::Curve *CompareLossPlot::find(std::size_t run) const
{
    for (const Curve &c : m_curves)
        if (c.run == run)
            return &c;
    return nullptr;
}

int CompareLossPlot::trainPoints(std::size_t run) const
{
    const Curve *c = find(run);
    return c ? int(c->train.points.size()) : 0;
}

int CompareLossPlot::validationPoints(std::size_t run) const
{
    const Curve *c = find(run);
    return c ? int(c->validation.points.size()) : 0;
}

const QList<QPointF> &CompareLossPlot::trainCurve(std::size_t run) const
{
    static const QList<QPointF> none;
    const Curve *c = find(run);
    return c ? c->train.points : none;
}

void CompareLossPlot::updateRange()
{
    double last = 0.0;
    for (const Curve &c : m_curves)
        for (const LossChart::Trace *t : {&c.train, &c.validation})
            if (!t->points.isEmpty())
                last = std::max(last, t->points.last().x());
    last = std::max(last, 10.0);
    // The first epochs' losses are far above the rest, and the runs' late differences are often
    // a hundredth of a nat. The range runs from the lowest loss after the first 2% of the epochs
    // (and the floor) up to no more than kRecentSpan times the spread of the recent losses (the
    // last 10% of the epochs) above it: the recent losses take at least a third of the height,
    // and the early descent enters from the top. A run that failed does not stretch it.
    bool anyHealthy = false;
    for (const Curve &c : m_curves)
        anyHealthy = anyHealthy || !c.failed;
    const double warm = kWarmupShare * last, recent = 0.9 * last;
    const double inf = std::numeric_limits<double>::infinity();
    double lo = inf, hi = -inf, recentHi = -inf;
    for (const Curve &c : m_curves) {
        if (c.failed && anyHealthy)
            continue;
        for (const LossChart::Trace *t : {&c.train, &c.validation}) {
            if (t->points.isEmpty())
                continue;
            // Epochs ascend along a trace: skip the warm-up by bisection.
            const auto from =
                std::lower_bound(t->points.cbegin(), t->points.cend(), warm,
                                 [](const QPointF &p, double e) { return p.x() < e; });
            for (auto it = from; it != t->points.cend(); ++it) {
                lo = std::min(lo, it->y());
                hi = std::max(hi, it->y());
                if (it->x() >= recent)
                    recentHi = std::max(recentHi, it->y());
            }
            const double newest = t->points.last().y();
            lo = std::min(lo, newest);
            hi = std::max(hi, newest);
            recentHi = std::max(recentHi, newest);
        }
    }
    if (std::isfinite(m_bayes) && lo <= hi)
        lo = std::min(lo, m_bayes);
    if (lo <= hi)
        hi = std::max(lo + kMinSpan, std::min(hi, lo + kRecentSpan * (recentHi - lo)));
    if (!(lo <= hi)) {
        lo = 0.0;
        hi = 2.0;
    }
    // PlaneFrame pads both ends of an axis by 5% of its span before it rounds them to ticks.
    // The epochs handed over are those whose padded range runs from a hair above 0 to the
    // newest epoch: the axis then starts at 0 and ends at the first tick from there on.
    constexpr double pad = 0.05, hair = 1e-4;
    const double from = (hair * last + pad * last / (1.0 + pad)) / (1.0 + pad - pad * pad / (1.0 + pad));
    m_range = {from, (last + pad * from) / (1.0 + pad), lo, hi};
}

std::vector<LegendEntry> CompareLossPlot::legend() const
{
    using Shape = LegendEntry::Shape;
    std::vector<LegendEntry> out;
    for (const Curve &c : m_curves)
        out.push_back({c.failed ? c.label + failedSuffix() : c.label, Shape::Line,
                       QPen(runColour(c.run), c.shown ? 3.0 : 2.0), Qt::NoBrush});
    if (m_curves.empty())
        return out;
    const QColor grey(110, 110, 110);
    out.push_back({tr("training"), Shape::Line, QPen(grey, 1.5), Qt::NoBrush});
    out.push_back({tr("validation"), Shape::Line, QPen(grey, 1.5, Qt::DashLine), Qt::NoBrush});
    if (std::isfinite(m_bayes))
        out.push_back({tr("Bayes floor"), Shape::Line, QPen(Qt::black, 1.2, Qt::DashLine),
                       Qt::NoBrush});
    else if (std::isinf(m_bayes))
        out.push_back({tr("no Bayes floor (noise-free data)"), Shape::Line, Qt::NoPen,
                       Qt::NoBrush});
    return out;
}

CompareLossPlot::Layout CompareLossPlot::layoutFor(const QRectF &rect) const
{
    const PlotStyle style = PlotStyle::standard();
    Layout l;
    l.legend = legend();
    QRectF area = rect.adjusted(kOuter, kOuter, -kOuter, -kOuter);
    double lh = legendHeight(l.legend, area.width(), style);
    const double most = kMaxLegendShare * area.height();
    if (lh > most) {
        // Too many rows for the height: the runs' entries stay, the line styles go; then the
        // longest labels are shortened; what still does not fit is cut off at the bottom.
        while (!l.legend.empty() && l.legend.size() > m_curves.size())
            l.legend.pop_back();
        const QFontMetricsF metrics(style.labelFont);
        for (double width : {140.0, 90.0, 50.0}) {
            lh = legendHeight(l.legend, area.width(), style);
            if (lh <= most)
                break;
            for (LegendEntry &e : l.legend)
                e.text = metrics.elidedText(e.text, Qt::ElideRight, width);
        }
        lh = std::min(legendHeight(l.legend, area.width(), style), most);
    }
    l.legendArea = QRectF(area.left(), area.bottom() - lh, area.width(), lh);
    area.setBottom(area.bottom() - lh - 2.0);
    l.frame.layout(area, m_range, false, tr("epoch"), tr("NLL (nats)"), style);
    return l;
}

PlaneRange CompareLossPlot::visibleRange(const QRectF &rect) const
{
    return layoutFor(rect).frame.range();
}

QPointF CompareLossPlot::positionOf(QPointF value, const QRectF &rect) const
{
    return layoutFor(rect).frame.toPixel(value);
}

void CompareLossPlot::paintTo(QPainter *painter, const QRectF &rect) const
{
    const PlotStyle style = PlotStyle::standard();
    painter->save();
    painter->fillRect(rect, Qt::white);
    const Layout l = layoutFor(rect);
    const PlaneFrame &f = l.frame;
    f.paintBackground(painter, style);
    {
        ClippedPainter clipped(painter, f.plot());
        painter->setRenderHint(QPainter::Antialiasing, true);
        painter->setBrush(Qt::NoBrush);
        QPolygonF line;
        const double ratio = pixelRatio(painter);
        // Every curve with a pen one unit wide, the fast path (a 2,000-point polyline takes
        // 0.1 ms; 2.4 units wide it takes 18). The shown run's curves are made thick by drawing
        // them again shifted by a fraction of a pixel each way.
        const auto drawTrace = [&](const LossChart::Trace &t, const QPen &pen, bool thick) {
            if (t.points.isEmpty())
                return;
            columnExtremes(t.points, f, ratio, line);
            painter->setPen(pen);
            if (line.size() == 1) {
                painter->setBrush(pen.color());
                clipped.drawEllipse(line[0], thick ? 2.5 : 1.5, thick ? 2.5 : 1.5);
                painter->setBrush(Qt::NoBrush);
                return;
            }
            // Across the curves' usual directions: level, and falling to the right.
            static const QPointF shifts[] = {{0.0, 0.0}, {0.6, -0.6}, {-0.6, 0.6}};
            QPointF at(0.0, 0.0);
            for (const QPointF &d : shifts) {
                line.translate(d - at);
                at = d;
                clipped.drawPolyline(line);
                if (!thick)
                    break;
            }
        };
        // The shown run last, on top of the others.
        for (int pass = 0; pass < 2; ++pass)
            for (const Curve &c : m_curves) {
                if (c.shown != (pass == 1))
                    continue;
                const QColor colour = runColour(c.run);
                drawTrace(c.validation, QPen(colour, kCurveWidth, Qt::DashLine, Qt::FlatCap),
                          c.shown);
                drawTrace(c.train, QPen(colour, kCurveWidth), c.shown);
            }
        if (std::isfinite(m_bayes) && !m_curves.empty()) {
            const double y = f.toPixel(0.0, m_bayes).y();
            painter->setPen(QPen(Qt::black, 1.2, Qt::DashLine, Qt::FlatCap));
            clipped.drawLine(QPointF(f.plot().left(), y), QPointF(f.plot().right(), y));
            const QString text = tr("Bayes floor %1").arg(natsText(m_bayes));
            const QFontMetricsF metrics(style.labelFont);
            const double w = metrics.horizontalAdvance(text) + 8.0, h = metrics.height();
            // Above the line, unless that leaves the plot.
            const double top = y - h - 2.0 >= f.plot().top() ? y - h - 2.0 : y + 2.0;
            const QRectF box(f.plot().right() - w - 4.0, top, w, h);
            painter->setPen(Qt::NoPen);
            painter->setBrush(QColor(255, 255, 255, 210));
            painter->drawRect(box);
            painter->setFont(style.labelFont);
            painter->setPen(Qt::black);
            painter->drawText(box, Qt::AlignCenter, text);
        }
    }
    f.paintAxes(painter, style);
    if (m_curves.empty())
        paintMessage(painter, f.plot(), tr("No runs to compare yet"), style);
    painter->setClipRect(l.legendArea, Qt::IntersectClip);
    paintLegend(painter, l.legend, l.legendArea, style);
    painter->restore();
}

void CompareLossPlot::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    paintTo(&painter, QRectF(rect()));
}

// ---- SmallMultiples ---------------------------------------------------------------------------

SmallMultiples::SmallMultiples(QWidget *parent) : QWidget(parent)
{
    setMinimumSize(240, 200);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_data.setColour(dataGrey());
}

void SmallMultiples::setData(const mdn::Dataset &data)
{
    std::vector<QPointF> points;
    m_xTitle = QStringLiteral("x");
    m_yTitle = QStringLiteral("y");
    if (data.shapeValid() && data.inputDims > 0 && data.targetDims > 0) {
        m_xTitle = QString::fromStdString(data.inputName(0));
        m_yTitle = QString::fromStdString(data.targetName(0));
        points.reserve(data.size());
        for (std::size_t i = 0; i < data.size(); ++i)
            points.emplace_back(data.input(i, 0), data.target(i, 0));
    }
    m_dataRange = PlaneRange::none();
    for (const QPointF &p : points)
        if (std::isfinite(p.x()) && std::isfinite(p.y()))
            m_dataRange.include(p.x(), p.y());
    m_data.setPoints(std::move(points));
    update();
}

void SmallMultiples::showSnapshot(const mdn::Snapshot &s)
{
    std::vector<Panel> next;
    next.reserve(s.runs.size());
    for (const mdn::RunView &r : s.runs) {
        Panel p;
        const std::size_t old = indexOf(r.run);
        if (old < m_panels.size())
            p = std::move(m_panels[old]);
        p.run = r.run;
        p.shown = r.shown;
        p.failed = r.failed;
        p.label = runLabelText(r.label);
        p.figures.clear();
        p.shortFigures.clear();
        p.latest.clear();
        if (r.failed) {
            p.figures = p.shortFigures = p.latest = tr("failed");
        } else {
            const QString latest = std::isfinite(r.validation) ? natsText(r.validation) : QString();
            const QString space = latest.isEmpty() ? QString() : QStringLiteral(" ");
            p.figures = p.shortFigures = p.latest = latest;
            if (r.bestEpoch >= 0 && std::isfinite(r.bestValidation)) {
                p.figures += space + tr("(best %1 @ %2)").arg(natsText(r.bestValidation),
                                                             epochText(r.bestEpoch));
                p.shortFigures += space + tr("(best %1)").arg(natsText(r.bestValidation));
            }
        }
        std::vector<QPointF> samples;
        const std::size_t n = std::min(r.sampleX.size(), r.sampleY.size());
        samples.reserve(n);
        for (std::size_t i = 0; i < n; ++i)
            samples.emplace_back(r.sampleX[i], r.sampleY[i]);
        p.samples.setColour(runColour(r.run));
        p.samples.setPoints(std::move(samples));
        next.push_back(std::move(p));
    }
    m_panels = std::move(next);
    // Without data the axes hold every run's samples instead.
    m_sampleRange = PlaneRange::none();
    for (const mdn::RunView &r : s.runs)
        for (std::size_t i = 0; i < std::min(r.sampleX.size(), r.sampleY.size()); ++i)
            if (std::isfinite(r.sampleX[i]) && std::isfinite(r.sampleY[i]))
                m_sampleRange.include(r.sampleX[i], r.sampleY[i]);
    update();
}

void SmallMultiples::clear()
{
    m_panels.clear();
    m_sampleRange = PlaneRange::none();
    update();
}

std::size_t SmallMultiples::indexOf(std::size_t run) const
{
    for (std::size_t i = 0; i < m_panels.size(); ++i)
        if (m_panels[i].run == run)
            return i;
    return m_panels.size();
}

int SmallMultiples::columnsFor(std::size_t count, QSizeF size)
{
    if (count <= 1)
        return 1;
    // The grid whose panels are largest at about kPanelAspect wide per high, less their titles.
    const double titleRoom = QFontMetricsF(PlotStyle::standard().labelFont).height() + 4.0;
    int best = 1;
    double bestSide = -1.0;
    for (std::size_t cols = 1; cols <= count; ++cols) {
        const std::size_t rows = (count + cols - 1) / cols;
        const double w = (size.width() - double(cols - 1) * kPanelGap) / double(cols);
        const double h = (size.height() - double(rows - 1) * kPanelGap) / double(rows) - titleRoom;
        const double side = std::min(w / kPanelAspect, h);
        if (side > bestSide + 1e-9) {
            bestSide = side;
            best = int(cols);
        }
    }
    return best;
}

int SmallMultiples::columns() const
{
    return layoutFor(QRectF(rect())).columns;
}

SmallMultiples::Layout SmallMultiples::layoutFor(const QRectF &rect) const
{
    const PlotStyle style = PlotStyle::standard();
    const QFontMetricsF label(style.labelFont), title(style.titleFont);
    Layout l;
    // One line per title where every title fits in its panel, else the label above the figures.
    const QFontMetricsF bold(boldFont(style.labelFont));
    // The axes are the same in every panel: their titles once, below and left of the grid.
    const double xTitleH = title.height() + 4.0, yTitleW = title.height() + 4.0;
    const QRectF inner = rect.adjusted(kOuter, kOuter, -kOuter, -kOuter);
    const QRectF grid = inner.adjusted(yTitleW, 0.0, 0.0, -xTitleH);
    l.xTitle = QRectF(grid.left(), grid.bottom(), grid.width(), xTitleH);
    l.yTitle = QRectF(inner.left(), grid.top(), yTitleW, grid.height());
    const std::size_t n = std::max<std::size_t>(m_panels.size(), 1);
    const int cols = columnsFor(n, grid.size());
    const int rows = int((n + std::size_t(cols) - 1) / std::size_t(cols));
    l.columns = cols;
    // Whole units, so that every panel's scatter images fall on whole device pixels.
    const double w = std::floor((grid.width() - (cols - 1) * kPanelGap) / cols);
    const double h = std::floor((grid.height() - (rows - 1) * kPanelGap) / rows);
    l.twoLines = false;
    for (const Panel &p : m_panels)
        l.twoLines = l.twoLines || (p.shown ? bold : label).horizontalAdvance(p.title()) >
                                       w - kSwatch - kTitleIndent;
    l.titleHeight = (l.twoLines ? 2.0 : 1.0) * label.height() + 4.0;
    for (std::size_t i = 0; i < m_panels.size(); ++i) {
        const int r = int(i) / cols, c = int(i) % cols;
        l.cells.emplace_back(std::round(grid.left() + c * (w + kPanelGap)),
                             std::round(grid.top() + r * (h + kPanelGap)), w, h);
    }
    l.frame.setTightRange(true); // a whole tick more would waste a third of a small panel
    const QRectF area(0.0, l.titleHeight, w, std::max(8.0, h - l.titleHeight));
    const PlaneRange range = m_dataRange.valid()     ? m_dataRange
                             : m_sampleRange.valid() ? m_sampleRange
                                                     : PlaneRange();
    l.frame.layout(area, range, false, QString(), QString(), style);
    if (l.frame.plot().height() < 40.0 || l.frame.plot().width() < 60.0) {
        // Too small for tick labels to leave a plot: the panels show shapes, not values.
        l.frame.setTickLabels(false);
        l.frame.layout(area, range, false, QString(), QString(), style);
    }
    return l;
}

QRectF SmallMultiples::panelRect(std::size_t run) const
{
    return panelRect(run, QRectF(rect()));
}

QRectF SmallMultiples::panelRect(std::size_t run, const QRectF &rect) const
{
    const std::size_t i = indexOf(run);
    if (i >= m_panels.size())
        return {};
    return layoutFor(rect).cells[i];
}

QRectF SmallMultiples::plotRect(std::size_t run, const QRectF &rect) const
{
    const std::size_t i = indexOf(run);
    if (i >= m_panels.size())
        return {};
    const Layout l = layoutFor(rect);
    return l.frame.plot().translated(l.cells[i].topLeft());
}

QString SmallMultiples::panelTitle(std::size_t run) const
{
    const std::size_t i = indexOf(run);
    return i < m_panels.size() ? m_panels[i].title() : QString();
}

bool SmallMultiples::runAt(QPointF pos, std::size_t *run) const
{
    const Layout l = layoutFor(QRectF(rect()));
    for (std::size_t i = 0; i < l.cells.size(); ++i)
        if (l.cells[i].contains(pos)) {
            if (run)
                *run = m_panels[i].run;
            return true;
        }
    return false;
}

void SmallMultiples::paintTo(QPainter *painter, const QRectF &rect) const
{
    const PlotStyle style = PlotStyle::standard();
    const QFontMetricsF label(style.labelFont);
    painter->save();
    painter->fillRect(rect, Qt::white);
    const Layout l = layoutFor(rect);
    const double ratio = pixelRatio(painter);
    for (std::size_t i = 0; i < m_panels.size(); ++i) {
        const Panel &p = m_panels[i];
        const QRectF cell = l.cells[i];
        const QColor colour = runColour(p.run);
        painter->save();
        painter->translate(cell.topLeft());
        const PlaneFrame &f = l.frame;

        // Title: a swatch of the run's colour, then its label and losses (below the label
        // where they do not fit beside it). Bold for the shown run.
        painter->setRenderHint(QPainter::Antialiasing, true);
        const double lineH = label.height();
        const QRectF swatch(0.0, 2.0 + (lineH - kSwatch) / 2.0, kSwatch, kSwatch);
        painter->setPen(Qt::NoPen);
        painter->setBrush(colour);
        painter->drawRect(swatch);
        const QFont titleFont = p.shown ? boldFont(style.labelFont) : style.labelFont;
        const double textLeft = kSwatch + kTitleIndent, textW = cell.width() - textLeft;
        const auto line = [&](int row, const QString &text, const QFont &font, const QColor &pen) {
            painter->setFont(font);
            painter->setPen(pen);
            painter->drawText(QRectF(textLeft, 2.0 + row * lineH, textW, lineH),
                              Qt::AlignLeft | Qt::AlignVCenter,
                              QFontMetricsF(font).elidedText(text, Qt::ElideRight, textW));
        };
        const QColor figuresPen = p.failed ? QColor(170, 20, 20) : style.text;
        if (l.twoLines) {
            line(0, p.label, titleFont, style.text);
            // Without the best epoch, then without the best, where the whole does not fit.
            const QFontMetricsF metrics(style.labelFont);
            const QString &figures = metrics.horizontalAdvance(p.figures) <= textW ? p.figures
                                     : metrics.horizontalAdvance(p.shortFigures) <= textW
                                         ? p.shortFigures
                                         : p.latest;
            line(1, figures, style.labelFont, figuresPen);
        } else {
            line(0, p.title(), titleFont, p.failed ? figuresPen : style.text);
        }

        f.paintBackground(painter, style);
        {
            ClippedPainter clipped(painter, f.plot());
            m_data.paint(painter, f, ratio);
            p.samples.paint(painter, f, ratio);
        }
        f.paintAxes(painter, style);
        if (p.shown) {
            painter->setRenderHint(QPainter::Antialiasing, false);
            painter->setPen(QPen(colour, 2.5));
            painter->setBrush(Qt::NoBrush);
            painter->drawRect(f.plot().adjusted(-1.0, -1.0, 1.0, 1.0));
        }
        painter->restore();
    }
    if (m_panels.empty()) {
        paintMessage(painter, rect.adjusted(kOuter, kOuter, -kOuter, -kOuter),
                     tr("No runs to compare yet"), style);
    } else {
        painter->setFont(style.titleFont);
        painter->setPen(style.text);
        painter->drawText(l.xTitle, Qt::AlignCenter, m_xTitle);
        painter->save();
        painter->translate(l.yTitle.center());
        painter->rotate(-90.0);
        painter->drawText(QRectF(-l.yTitle.height() / 2.0, -l.yTitle.width() / 2.0,
                                 l.yTitle.height(), l.yTitle.width()),
                          Qt::AlignCenter, m_yTitle);
        painter->restore();
    }
    painter->restore();
}

void SmallMultiples::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    paintTo(&painter, QRectF(rect()));
}

void SmallMultiples::mousePressEvent(QMouseEvent *event)
{
    std::size_t run = 0;
    if (event->button() == Qt::LeftButton && runAt(event->position(), &run)) {
        event->accept();
        emit runClicked(run);
        return;
    }
    QWidget::mousePressEvent(event);
}

// ---- RunsTable --------------------------------------------------------------------------------

namespace {

QIcon swatchIcon(std::size_t run)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(runColour(run));
    return QIcon(pixmap);
}

QString hiddenText(const std::vector<int> &hidden)
{
    if (hidden.empty())
        return QStringLiteral("–");
    QStringList parts;
    for (int h : hidden)
        parts << QString::number(h);
    return parts.join(QChar(0x00d7));
}

} // namespace

RunsTable::RunsTable(QWidget *parent) : QTableWidget(parent)
{
    setColumnCount(ColumnCount);
    setHorizontalHeaderLabels({tr("run"), tr("K"), tr("H"), tr("optimiser, lr"), tr("train NLL"),
                               tr("validation NLL"), tr("best NLL"), tr("best epoch"),
                               tr("gap to Bayes"), tr("epochs"), tr("time (s)")});
    horizontalHeaderItem(GapColumn)->setToolTip(
        tr("Best validation NLL minus the Bayes floor of the validation points"));
    verticalHeader()->setVisible(false);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setWordWrap(false);
    // Compact rows: a dozen runs fit without scrolling in a third of the window.
    verticalHeader()->setDefaultSectionSize(QFontMetrics(font()).height() + 8);
    connect(this, &QTableWidget::cellClicked, this, [this](int row, int) {
        if (row >= 0 && std::size_t(row) < m_runs.size())
            emit runClicked(m_runs[std::size_t(row)]);
    });
}

int RunsTable::rowOf(std::size_t run) const
{
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i] == run)
            return int(i);
    return -1;
}

void RunsTable::clear()
{
    m_runs.clear();
    setRowCount(0);
}

void RunsTable::rebuild(const mdn::Snapshot &s)
{
    // Rows change: the selected run and the scroll position are put back afterwards.
    const int selectedRow = currentRow();
    const std::size_t selectedRun = selectedRow >= 0 && std::size_t(selectedRow) < m_runs.size()
                                        ? m_runs[std::size_t(selectedRow)]
                                        : std::size_t(-1);
    const int scroll = verticalScrollBar()->value();
    ++m_rebuilds;
    m_runs.clear();
    for (const mdn::RunView &r : s.runs)
        m_runs.push_back(r.run);
    setRowCount(int(m_runs.size()));
    for (int row = 0; row < rowCount(); ++row)
        for (int col = 0; col < ColumnCount; ++col) {
            auto *item = new QTableWidgetItem;
            item->setTextAlignment(col == RunColumn ? Qt::AlignLeft | Qt::AlignVCenter
                                                    : Qt::AlignRight | Qt::AlignVCenter);
            if (col == RunColumn)
                item->setIcon(swatchIcon(m_runs[std::size_t(row)]));
            setItem(row, col, item);
        }
    const int again = rowOf(selectedRun);
    if (again >= 0)
        setCurrentCell(again, 0, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    else
        clearSelection();
    verticalScrollBar()->setValue(scroll);
}

void RunsTable::setCell(int row, int column, const QString &text)
{
    QTableWidgetItem *it = item(row, column);
    if (it->text() != text)
        it->setText(text);
}

void RunsTable::showSnapshot(const mdn::Snapshot &s)
{
    bool same = s.runs.size() == m_runs.size();
    for (std::size_t i = 0; same && i < s.runs.size(); ++i)
        same = s.runs[i].run == m_runs[i];
    const bool built = !same;
    if (built)
        rebuild(s);
    for (int row = 0; row < rowCount(); ++row) {
        const mdn::RunView &r = s.runs[std::size_t(row)];
        const mdn::TrainConfig &c = r.config;
        QString label = runLabelText(r.label);
        if (r.failed)
            label += failedSuffix();
        setCell(row, RunColumn, label);
        setCell(row, KColumn, QString::number(c.mixtures));
        setCell(row, HiddenColumn, hiddenText(c.hidden));
        setCell(row, OptimiserColumn,
                QStringLiteral("%1, %2")
                    .arg(QString::fromLatin1(mdn::optimizerName(c.optimizer.kind)))
                    .arg(c.optimizer.learningRate, 0, 'g', 3));
        setCell(row, TrainColumn, natsText(r.trainLoss));
        setCell(row, ValidationColumn, natsText(r.validation));
        const bool best = r.bestEpoch >= 0 && std::isfinite(r.bestValidation);
        setCell(row, BestColumn, best ? natsText(r.bestValidation) : QStringLiteral("–"));
        setCell(row, BestEpochColumn, best ? epochText(r.bestEpoch) : QStringLiteral("–"));
        setCell(row, GapColumn,
                best && std::isfinite(s.bayesNll) ? natsText(r.bestValidation - s.bayesNll)
                                                  : QStringLiteral("–"));
        setCell(row, EpochsColumn, epochText(r.epoch));
        setCell(row, TimeColumn,
                std::isfinite(r.seconds) && r.seconds >= 0.0
                    ? numberLocale().toString(r.seconds, 'f', 1)
                    : QStringLiteral("–"));
        for (int col = 0; col < ColumnCount; ++col) {
            QTableWidgetItem *it = item(row, col);
            if (it->font().bold() != r.shown) {
                QFont font = it->font();
                font.setBold(r.shown);
                it->setFont(font);
            }
        }
        const QBrush labelBrush = r.failed ? QBrush(QColor(170, 20, 20)) : QBrush();
        if (item(row, RunColumn)->foreground() != labelBrush)
            item(row, RunColumn)->setForeground(labelBrush);
        const QString tip = r.failed ? tr("%1: stopped by repeated numerical faults").arg(label)
                                     : label;
        if (item(row, RunColumn)->toolTip() != tip)
            item(row, RunColumn)->setToolTip(tip);
    }
    if (built) {
        // Sized once per set of runs, for the widest figures the cells will take: resizing to
        // the contents on every update would measure every cell 30 times a second.
        resizeColumnsToContents();
        // The shown run's label is bold: room for it whichever run that is.
        setColumnWidth(RunColumn, columnWidth(RunColumn) * 11 / 10 + 8);
        const QFontMetrics metrics(font());
        for (int col = KColumn; col < ColumnCount; ++col) {
            // K and H are small whole numbers: the header is their width.
            const bool small = col == KColumn || col == HiddenColumn;
            const int wide = small ? 0 : metrics.horizontalAdvance(QStringLiteral("−000.000")) + 16;
            setColumnWidth(col, std::max(columnWidth(col), wide));
        }
    }
}

// ---- CompareView ------------------------------------------------------------------------------

CompareView::CompareView(QWidget *parent) : QWidget(parent)
{
    m_multiples = new SmallMultiples;
    m_loss = new CompareLossPlot;
    m_table = new RunsTable;
    m_top = new QSplitter(Qt::Horizontal);
    m_top->addWidget(m_multiples);
    m_top->addWidget(m_loss);
    m_top->setStretchFactor(0, 1);
    m_top->setStretchFactor(1, 1);
    m_top->setChildrenCollapsible(false);
    m_split = new QSplitter(Qt::Vertical);
    m_split->addWidget(m_top);
    m_split->addWidget(m_table);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 1);
    m_split->setChildrenCollapsible(false);
    // The plots take two thirds of the height, the table the rest (it scrolls); the splitter
    // shares its size in these proportions whatever it turns out to be.
    m_split->setSizes({2000, 1000});
    m_top->setSizes({1000, 1000});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_split);
    connect(m_multiples, &SmallMultiples::runClicked, this, &CompareView::runClicked);
    connect(m_table, &RunsTable::runClicked, this, &CompareView::runClicked);
}

void CompareView::setData(const mdn::Dataset &data)
{
    m_multiples->setData(data);
}

void CompareView::showSnapshot(const mdn::Snapshot &s)
{
    m_multiples->showSnapshot(s);
    m_loss->showSnapshot(s);
    m_table->showSnapshot(s);
}

void CompareView::clear()
{
    m_multiples->clear();
    m_loss->clear();
    m_table->clear();
}

} // namespace mdnviz
