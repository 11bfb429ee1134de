#pragma once
// The window's settings at launch: the saved ones, with whatever the command line sets on top.

#include "cli.h"
#include "settings.h"

class QCommandLineParser;

namespace mdnviz {

// `base` with the --preset's values, then each setting that `parser` saw on the command line
// replaced by its value in `options` (readOptions of the same parser). Options the window has no setting for (--model,
// the headless outputs) leave it unchanged; --data is opened by the window itself.
Settings withCommandLine(Settings base, const QCommandLineParser &parser, const Options &options);

// The command-line options that only the headless trainer acts on, as they were given (e.g.
// "--report"), so that the window can say it ignores them.
QStringList headlessOnlyOptions(const QCommandLineParser &parser);

} // namespace mdnviz
