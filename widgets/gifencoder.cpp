#include "gifencoder.h"

#include <QCoreApplication>

#include <gif_lib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

namespace mdnviz {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("GifEncoder", text); }

// Colours are counted at 6 bits per channel: fine enough for a 255-colour palette, and the
// histogram and the pixel-to-entry table are plain arrays.
constexpr int kBits = 6;
constexpr int kBins = 1 << (3 * kBits);
constexpr int kTransparent = 255; // the palette has 255 colours and this transparent entry
constexpr int kMaxKept = 128;

int binOf(QRgb c)
{
    constexpr int shift = 8 - kBits;
    return ((qRed(c) >> shift) << (2 * kBits)) | ((qGreen(c) >> shift) << kBits) | (qBlue(c) >> shift);
}

struct Entry {
    int rgb[3];
    quint64 count;
};

// A box of the median cut: entries [begin, end) of one array.
struct Box {
    std::size_t begin, end;
    double error; // population-weighted variance, summed over the channels
    int widest;   // the channel of largest variance
};

Box measure(const std::vector<Entry> &entries, std::size_t begin, std::size_t end)
{
    double n = 0, sum[3] = {}, sq[3] = {};
    for (std::size_t i = begin; i < end; ++i) {
        const double w = double(entries[i].count);
        n += w;
        for (int c = 0; c < 3; ++c) {
            sum[c] += w * entries[i].rgb[c];
            sq[c] += w * entries[i].rgb[c] * entries[i].rgb[c];
        }
    }
    Box b{begin, end, 0.0, 0};
    double widestVar = -1;
    for (int c = 0; c < 3; ++c) {
        const double var = n > 0 ? sq[c] - sum[c] * sum[c] / n : 0.0;
        b.error += var;
        if (var > widestVar) {
            widestVar = var;
            b.widest = c;
        }
    }
    if (end - begin < 2)
        b.error = 0.0;
    return b;
}

QRgb meanColour(const std::vector<Entry> &entries, const Box &b)
{
    double n = 0, sum[3] = {};
    for (std::size_t i = b.begin; i < b.end; ++i) {
        n += double(entries[i].count);
        for (int c = 0; c < 3; ++c)
            sum[c] += double(entries[i].count) * entries[i].rgb[c];
    }
    return qRgb(int(sum[0] / n + 0.5), int(sum[1] / n + 0.5), int(sum[2] / n + 0.5));
}

// Median cut over the colours of every frame: `wanted` colours that follow where the pixels are.
QList<QRgb> medianCut(const QList<QImage> &frames, int wanted)
{
    std::vector<quint64> histogram(kBins, 0);
    for (const QImage &f : frames)
        for (int y = 0; y < f.height(); ++y) {
            const QRgb *line = reinterpret_cast<const QRgb *>(f.constScanLine(y));
            for (int x = 0; x < f.width(); ++x)
                ++histogram[std::size_t(binOf(line[x]))];
        }
    std::vector<Entry> entries;
    constexpr int shift = 8 - kBits, half = 1 << (shift - 1);
    for (int bin = 0; bin < kBins; ++bin)
        if (histogram[std::size_t(bin)])
            entries.push_back({{((bin >> (2 * kBits)) << shift) + half,
                                (((bin >> kBits) & ((1 << kBits) - 1)) << shift) + half,
                                ((bin & ((1 << kBits) - 1)) << shift) + half},
                               histogram[std::size_t(bin)]});
    QList<QRgb> palette;
    if (entries.empty())
        return palette;
    std::vector<Box> boxes{measure(entries, 0, entries.size())};
    while (int(boxes.size()) < wanted) {
        const auto worst = std::max_element(boxes.begin(), boxes.end(),
                                            [](const Box &a, const Box &b) { return a.error < b.error; });
        if (worst->error <= 0.0)
            break;
        const Box b = *worst;
        const int c = b.widest;
        std::sort(entries.begin() + long(b.begin), entries.begin() + long(b.end),
                  [c](const Entry &x, const Entry &y) { return x.rgb[c] < y.rgb[c]; });
        // Split at the weighted median, keeping both halves non-empty.
        quint64 total = 0, running = 0;
        for (std::size_t i = b.begin; i < b.end; ++i)
            total += entries[i].count;
        std::size_t cut = b.begin + 1;
        for (std::size_t i = b.begin; i + 1 < b.end; ++i) {
            running += entries[i].count;
            cut = i + 1;
            if (2 * running >= total)
                break;
        }
        *worst = measure(entries, b.begin, cut);
        boxes.push_back(measure(entries, cut, b.end));
    }
    for (const Box &b : boxes)
        palette << meanColour(entries, b);
    return palette;
}

int distance2(QRgb a, QRgb b)
{
    const int dr = qRed(a) - qRed(b), dg = qGreen(a) - qGreen(b), db = qBlue(a) - qBlue(b);
    // Weighted towards green, as the eye is.
    return 3 * dr * dr + 4 * dg * dg + 2 * db * db;
}

// Maps pixels to palette entries through a table over the histogram's bins, filled on demand.
class PaletteMap {
public:
    explicit PaletteMap(const QList<QRgb> &palette) : m_palette(palette), m_table(kBins, -1) {}

    GifByteType index(QRgb c)
    {
        int &slot = m_table[std::size_t(binOf(c))];
        if (slot < 0) {
            int best = 0, bestDistance = INT_MAX;
            for (int i = 0; i < int(m_palette.size()); ++i) {
                const int d = distance2(c, m_palette[i]);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = i;
                }
            }
            slot = best;
        }
        return GifByteType(slot);
    }

private:
    QList<QRgb> m_palette;
    std::vector<int> m_table;
};

int appendBytes(GifFileType *gif, const GifByteType *data, int length)
{
    static_cast<QByteArray *>(gif->UserData)->append(reinterpret_cast<const char *>(data), length);
    return length;
}

} // namespace

QByteArray encodeGif(const QList<QImage> &input, const GifOptions &options, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return QByteArray();
    };
    if (input.isEmpty())
        return fail(tr("no frames to encode"));
    const QSize size = input.first().size();
    if (size.isEmpty() || size.width() > 65535 || size.height() > 65535)
        return fail(tr("frame size %1 x %2 does not fit a GIF").arg(size.width()).arg(size.height()));
    QList<QImage> frames;
    for (const QImage &f : input) {
        if (f.size() != size)
            return fail(tr("the frames differ in size"));
        frames << f.convertToFormat(QImage::Format_RGB32);
    }

    QList<QRgb> palette = options.keepColours.mid(0, kMaxKept);
    palette << medianCut(frames, kTransparent - int(palette.size()));
    std::vector<GifColorType> colours(256, GifColorType{0, 0, 0});
    for (int i = 0; i < int(palette.size()); ++i)
        colours[std::size_t(i)] = {GifByteType(qRed(palette[i])), GifByteType(qGreen(palette[i])),
                                   GifByteType(qBlue(palette[i]))};
    PaletteMap map(palette);

    QByteArray out;
    int code = 0;
    GifFileType *gif = EGifOpen(&out, appendBytes, &code);
    if (!gif)
        return fail(QString::fromUtf8(GifErrorString(code)));
    EGifSetGifVersion(gif, true);
    ColorMapObject *colourMap = GifMakeMapObject(256, colours.data());
    bool ok = colourMap && EGifPutScreenDesc(gif, size.width(), size.height(), 8, 0, colourMap) == GIF_OK;
    GifFreeMapObject(colourMap);
    if (ok && options.loop) {
        static const GifByteType netscape[] = "NETSCAPE2.0";
        static const GifByteType loopForever[] = {1, 0, 0};
        ok = EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) == GIF_OK &&
             EGifPutExtensionBlock(gif, 11, netscape) == GIF_OK &&
             EGifPutExtensionBlock(gif, 3, loopForever) == GIF_OK &&
             EGifPutExtensionTrailer(gif) == GIF_OK;
    }

    const int w = size.width(), h = size.height();
    std::vector<GifByteType> previous, current(std::size_t(w) * std::size_t(h));
    std::vector<GifByteType> line;
    for (int k = 0; ok && k < int(frames.size()); ++k) {
        for (int y = 0; y < h; ++y) {
            const QRgb *src = reinterpret_cast<const QRgb *>(frames[k].constScanLine(y));
            GifByteType *dst = current.data() + std::size_t(y) * std::size_t(w);
            for (int x = 0; x < w; ++x)
                dst[x] = map.index(src[x]);
        }
        // The rectangle that changed since the previous frame (all of the first one).
        int left = 0, top = 0, right = w - 1, bottom = h - 1;
        if (!previous.empty()) {
            left = w, top = h, right = -1, bottom = -1;
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x) {
                    const std::size_t i = std::size_t(y) * std::size_t(w) + std::size_t(x);
                    if (current[i] != previous[i]) {
                        left = std::min(left, x);
                        right = std::max(right, x);
                        top = std::min(top, y);
                        bottom = std::max(bottom, y);
                    }
                }
            if (right < 0) // nothing changed: one transparent pixel carries the delay
                left = right = top = bottom = 0;
        }
        GraphicsControlBlock control{};
        control.DisposalMode = DISPOSE_DO_NOT;
        control.DelayTime = std::max(options.delayCentiseconds, 1);
        control.TransparentColor = previous.empty() ? NO_TRANSPARENT_COLOR : kTransparent;
        GifByteType extension[4];
        const auto length = EGifGCBToExtension(&control, extension);
        ok = EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, int(length), extension) == GIF_OK &&
             EGifPutImageDesc(gif, left, top, right - left + 1, bottom - top + 1, false, nullptr) == GIF_OK;
        line.resize(std::size_t(right - left + 1));
        for (int y = top; ok && y <= bottom; ++y) {
            const std::size_t row = std::size_t(y) * std::size_t(w);
            for (int x = left; x <= right; ++x) {
                const GifByteType c = current[row + std::size_t(x)];
                line[std::size_t(x - left)] =
                    !previous.empty() && previous[row + std::size_t(x)] == c ? kTransparent : c;
            }
            ok = EGifPutLine(gif, line.data(), int(line.size())) == GIF_OK;
        }
        previous.swap(current);
        current.resize(previous.size());
    }
    const int failure = gif->Error;
    if (EGifCloseFile(gif, &code) != GIF_OK && ok) {
        ok = false;
    } else if (!ok) {
        code = failure;
    }
    if (!ok)
        return fail(QString::fromUtf8(GifErrorString(code)));
    return out;
}

} // namespace mdnviz
