// Build-time tool: the application icon at the sizes of the hicolor icon theme, scaled from the
// one source picture. Usage: mdnviz-iconsizes SOURCE.png OUTDIR SIZE...
// writes OUTDIR/SIZExSIZE/apps/mdnviz.png for each size.

#include <QDir>
#include <QImage>

#include <cstdio>

int main(int argc, char **argv)
{
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s SOURCE.png OUTDIR SIZE...\n", argv[0]);
        return 2;
    }
    const QImage source(QString::fromLocal8Bit(argv[1]));
    if (source.isNull()) {
        std::fprintf(stderr, "%s: cannot read the image\n", argv[1]);
        return 1;
    }
    for (int i = 3; i < argc; ++i) {
        bool ok = false;
        const int side = QByteArray(argv[i]).toInt(&ok);
        if (!ok || side < 1 || side > 4096) {
            std::fprintf(stderr, "%s: not a size from 1 to 4096\n", argv[i]);
            return 2;
        }
        const QString dir = QStringLiteral("%1/%2x%2/apps").arg(QString::fromLocal8Bit(argv[2])).arg(side);
        // Halving steps keep the thin curves of the icon from aliasing away at small sizes.
        QImage image = source.convertToFormat(QImage::Format_ARGB32);
        while (image.width() >= 2 * side)
            image = image.scaled(image.size() / 2, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        image = image.scaled(side, side, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        if (!QDir().mkpath(dir) || !image.save(dir + QStringLiteral("/mdnviz.png"))) {
            std::fprintf(stderr, "%s: cannot write the icon\n", qPrintable(dir));
            return 1;
        }
    }
    return 0;
}
