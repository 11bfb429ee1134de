#pragma once
// The headless run: training without a window as the options say (options.h), and the signals
// that stop it.

#include "options.h"

namespace mdnviz {

// Makes SIGINT, SIGTERM and SIGHUP stop a headless run (see runHeadless) and ignores SIGPIPE.
// runHeadless calls it; main calls it first thing too, so that a signal during start-up counts.
void catchInterrupts();

// Trains without a window as the options say; prints a summary on stdout. Returns the exit code
// (0 on success, 1 with a one-line message on stderr on any error). SIGINT, SIGTERM or SIGHUP
// stop loading, preparing, both training threads and the validation passes; the outputs asked
// for are then written for the epochs done, and the code is 128 + the signal.
int runHeadless(const Options &options);

} // namespace mdnviz
