#pragma once
// Session files: a whole training session in one JSON file (format "mdnviz-session", version 1),
// written atomically and read back as hostile input.
//
// A file holds the dataset (values as base64 little-endian float64, so they come back exactly),
// every setting by its key (text, as settingsTable() writes it), the SessionOptions, and every
// run: its TrainConfig, its complete TrainerState and RunHistory, and its architecture spelled
// out (layer sizes, activations, K, sigma floor, standardisation) for readers outside mdnviz;
// and a free "view" object for the window. A session rebuilt from it (makeSession) continues
// training bit-identically. scripts/session-density.py reads one with numpy alone.
//
// The root's "sha256" is 64 hex digits: the SHA-256 of the file's bytes with those 64 digits
// replaced by "0" (any language checks it without a JSON writer of its own): a damaged file (a
// flipped bit, a cut) or a hand-edited one is refused.
//
// Reading checks everything before it trusts anything: the file's size, the JSON, the format and
// version, every declared size against the bytes actually there before allocating, finite
// weights and data, ranges of every setting and config, and that the data fit the runs. Each
// refusal is one line naming the file and the reason.

#include "session.h"
#include "settings.h"

#include <QJsonObject>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace mdnviz {

// The format this build writes and the only version it reads.
inline constexpr const char *kSessionFormat = "mdnviz-session";
inline constexpr int kSessionVersion = 1;
// Larger files are refused unread.
inline constexpr qint64 kMaxSessionFileBytes = qint64(4) << 30;

// A session file's content, checked, but no Session built yet.
struct SessionFile {
    mdn::Settings settings;
    std::shared_ptr<const mdn::Dataset> data;
    mdn::SessionOptions options;
    std::vector<mdn::TrainConfig> runs;
    mdn::Session::State state;
    // Each run's standardisation as the file states it; makeSession checks that the data give
    // the same one.
    std::vector<mdn::Standardiser> standardisers;
    QJsonObject view;
};

// The file's bytes for `session` (see the format above). Throws std::invalid_argument when the
// session cannot be stored (more than 2^32 - 1 points).
QByteArray encodeSession(const mdn::Session &session, const mdn::Settings &settings, const QJsonObject &view);

// Writes `session` to `path` atomically (the old file stays whole on any failure). False with a
// one-line reason naming the file in *error (when not null).
bool writeSessionFile(const QString &path, const mdn::Session &session, const mdn::Settings &settings,
                      const QJsonObject &view, QString *error);

// A session document's bytes, with its "sha256" member set (the writer's last step; the tests
// seal edited documents with it).
QByteArray sealSession(QJsonObject root);
// Whether `bytes` hold the checksum `digits` (the root's "sha256") of themselves.
bool sessionChecksumMatches(const QByteArray &bytes, const QString &digits);

// Parses and checks a session file's bytes; nullopt with a one-line reason (without the file's
// name) in *error. `verifyChecksum` false skips the checksum (the fuzz target does, to reach
// the checks behind it).
std::optional<SessionFile> decodeSession(const QByteArray &bytes, QString *error, bool verifyChecksum = true);

// Reads `path` (at most kMaxSessionFileBytes); nullopt with a one-line reason naming the file.
std::optional<SessionFile> readSessionFile(const QString &path, QString *error);

// Builds the session the file describes (its data, options and runs) and restores every run's
// state and history. Null with a one-line reason when they do not fit together (the data give
// another standardisation or split than the saved runs, a history that ends at another epoch
// than its run...).
std::unique_ptr<mdn::Session> makeSession(const SessionFile &file, QString *error);

} // namespace mdnviz
