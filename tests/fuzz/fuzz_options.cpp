// libFuzzer target: the command line, as main() reads it (addOptions, QCommandLineParser::parse,
// readOptions), with the fuzzer's bytes split at NUL into arguments. QCommandLineParser is Qt's;
// what is fuzzed is ours: the option table and every value check of readOptions. An accepted
// command line must give values within the documented ranges.

#include "cli.h"

#include <QCommandLineParser>
#include <QStringList>

#include <cmath>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *bytes, std::size_t size)
{
    QStringList args{QStringLiteral("mdnviz")};
    const QByteArray all(reinterpret_cast<const char *>(bytes), qsizetype(size));
    for (const QByteArray &arg : all.split('\0')) {
        if (args.size() > 64)
            break;
        args << QString::fromUtf8(arg);
    }
    QCommandLineParser parser;
    mdnviz::addOptions(parser);
    if (!parser.parse(args))
        return 0;
    QString error;
    const auto o = mdnviz::readOptions(parser, error);
    if (!o) {
        if (error.isEmpty())
            std::abort();
        return 0;
    }
    if (o->epochs < 0 || o->generator.points < 1 || o->maxRows < 1 || o->samplesPerX < 1 ||
        !(o->mdn.optimizer.learningRate > 0.0) || !std::isfinite(o->mdn.optimizer.learningRate) ||
        !std::isfinite(o->generator.noise) || o->mdn.mixtures < 1 || o->mdn.hidden.empty() ||
        o->mdn.hidden.front() < 1 || o->exportSize.width() < 16 || o->exportSize.height() < 16)
        std::abort();
    return 0;
}
