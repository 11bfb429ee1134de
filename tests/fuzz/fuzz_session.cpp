// libFuzzer target: session files (decodeSession, then makeSession on what it accepts, then one
// epoch of training). The checksum is checked and then skipped, so that the fuzzer's changes
// reach the checks behind it. Whatever is accepted must be a session that builds or is refused
// with a reason, and trains without a crash.

#include "sessionfile.h"

#include <QByteArray>

#include <cmath>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *bytes, std::size_t size)
{
    const QByteArray all(reinterpret_cast<const char *>(bytes), qsizetype(size));
    QString error;
    if (!mdnviz::decodeSession(all, &error) && error.isEmpty())
        std::abort();
    error.clear();
    const std::optional<mdnviz::SessionFile> file = mdnviz::decodeSession(all, &error, false);
    if (!file) {
        if (error.isEmpty() || error.contains('\n'))
            std::abort();
        return 0;
    }
    if (!file->data || !file->data->shapeValid() || file->runs.empty() ||
        file->runs.size() != file->state.trainers.size() || file->runs.size() != file->state.histories.size())
        std::abort();
    for (const mdn::TrainerState &s : file->state.trainers)
        if (s.epoch < 0 || !s.parameters.allFinite())
            std::abort();
    const std::unique_ptr<mdn::Session> session = mdnviz::makeSession(*file, &error);
    if (!session) {
        if (error.isEmpty())
            std::abort();
        return 0;
    }
    session->train(1);
    return 0;
}
