#pragma once
// Animated GIF encoding (giflib) of frames of one size, with one palette shared by every frame:
// a colour ramp keeps the same entries from the first frame to the last instead of shifting with
// each frame's own palette.

#include <QByteArray>
#include <QImage>
#include <QList>
#include <QString>

namespace mdnviz {

struct GifOptions {
    int delayCentiseconds = 10; // per frame (GIF counts in hundredths of a second)
    bool loop = true;           // repeat forever
    // Colours that get palette entries of their own before the rest is chosen by median cut
    // (at most 128 of them), e.g. samples of a colour ramp that must stay smooth.
    QList<QRgb> keepColours;
};

// The GIF of `frames` (one size, at most 65535 per side), or an empty array with *error set.
// After the first frame, each stores only the rectangle that changed, with unchanged pixels
// transparent: the static parts (axes, data, legend) cost nothing after the first frame.
QByteArray encodeGif(const QList<QImage> &frames, const GifOptions &options, QString *error);

} // namespace mdnviz
