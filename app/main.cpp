// mdnviz: the window, or with --headless the command-line trainer.

#include "cli.h"
#include "launchsettings.h"
#include "mainwindow.h"
#include "presetstore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>
#include <cstring>
#include <vector>

namespace {

bool hasArgument(int argc, char **argv, const char *name)
{
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], name) == 0)
            return true;
    return false;
}

// Qt aborts when its platform plugin finds no display; say so in one line instead.
bool displayAvailable()
{
    return qEnvironmentVariableIsSet("QT_QPA_PLATFORM") || qEnvironmentVariableIsSet("DISPLAY") ||
           qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
}

} // namespace

int main(int argc, char **argv)
{
    const bool headless = hasArgument(argc, argv, "--headless");
    const bool informational = hasArgument(argc, argv, "--help") || hasArgument(argc, argv, "-h") ||
                               hasArgument(argc, argv, "--version") || hasArgument(argc, argv, "-v") ||
                               hasArgument(argc, argv, "--list-presets");
    if (headless)
        mdnviz::catchInterrupts();
    if (headless || informational) {
        // Charts are rendered for --export-png without any display.
        if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
    } else if (!displayAvailable()) {
        std::fprintf(stderr, "mdnviz: no display found (DISPLAY is not set): run with --headless, "
                             "or set QT_QPA_PLATFORM=offscreen\n");
        return 1;
    }

    // QGuiApplication takes "-session ID" (and "--session ID") for itself, X11 session
    // management's restart id, and removes it from argv: the parser reads the arguments as given,
    // and Qt gets them without it.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    std::vector<char *> qtArgv;
    for (int i = 0; i < argc; ++i) {
        if ((std::strcmp(argv[i], "--session") == 0 || std::strcmp(argv[i], "-session") == 0) && i + 1 < argc) {
            ++i;
            continue;
        }
        qtArgv.push_back(argv[i]);
    }
    int qtArgc = int(qtArgv.size());
    qtArgv.push_back(nullptr);
    QApplication app(qtArgc, qtArgv.data());
    QApplication::setApplicationName(QStringLiteral("mdnviz"));
    QApplication::setOrganizationName(QStringLiteral("mdnviz"));
    QApplication::setApplicationVersion(QStringLiteral(MDNVIZ_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/mdnviz/mdnviz.png")));
    QCommandLineParser parser;
    mdnviz::addOptions(parser);
    parser.process(arguments);
    if (parser.isSet(QStringLiteral("list-presets"))) {
        for (const mdn::Preset &p : mdn::builtInPresets())
            std::printf("%s\t%s\n", p.name.c_str(), p.title.c_str());
        for (const mdn::Preset &p : mdnviz::userPresets())
            std::printf("%s\t%s\n", p.name.c_str(), p.title.c_str());
        return 0;
    }
    QString error;
    const auto options = mdnviz::readOptions(parser, error);
    if (!options) {
        std::fprintf(stderr, "mdnviz: error: %s\n", qPrintable(error));
        return 1;
    }
    if (options->headless)
        return mdnviz::runHeadless(*options);

    mdnviz::MainWindow window(true, nullptr, [&](const mdnviz::Settings &stored) {
        return mdnviz::withCommandLine(stored, parser, *options);
    });
    window.show();
    // Once the window is laid out, so that the status bar has its width for the message.
    QTimer::singleShot(0, &window, [&window, ignored = mdnviz::headlessOnlyOptions(parser)] {
        window.showIgnoredOptions(ignored);
    });
    if (!options->sessionFile.isEmpty())
        window.openSession(options->sessionFile);
    else if (!options->dataFile.isEmpty())
        window.openDataset(options->dataFile, options->columns);
    return app.exec();
}
