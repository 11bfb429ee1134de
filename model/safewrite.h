#pragma once
// Replacing a file atomically: every file mdnviz writes goes through here.
//
// The new content goes to a temporary file in the target's folder, which is written, fsynced,
// closed and renamed over the target, each step checked. On any failure the target is untouched,
// the temporary file is removed, and the error says which step failed on which file, and why.
//
// The temporary file is hidden and named ".<name>.mdnviz-tmp-<pid>-<n>"; a writer killed mid-save
// (kill -9, power loss) leaves it behind, and the next successful save into the same folder
// removes such files whose process is gone.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace mdn {

// Why a file could not be replaced.
struct WriteError {
    std::string file; // the path given to the writer
    // The step that failed: "check" (the target cannot be replaced, or the content was refused
    // before anything was written), "open" (creating the temporary file), "write", "fsync",
    // "close" or "rename" (the temporary file over the target).
    std::string step;
    // For "check", what is wrong in words; for the other steps, the operating system's reason
    // ("No space left on device").
    std::string reason;
    // The temporary file the failed step was working on; empty for "check".
    std::string temporary;

    // One line naming the file, the step and the reason, e.g.
    //   cannot write 'out.csv': fsync of './.out.csv.mdnviz-tmp-12-0' failed: Input/output error
    //   cannot write 'out.csv': the folder 'missing/': No such file or directory
    std::string toString() const;
};

// Checks, before anything is written, that `path` can be replaced: a file name (not empty, not
// ending in '/'), a symbolic link is followed to its target (the target is replaced and the link
// kept), the target's folder exists, and the target either does not exist or is a regular file
// that may be written: a read-only file is refused, never silently replaced. On success
// `resolved` is the path that will actually be replaced; on failure err.step is "check". Every
// writer runs this check first.
bool checkOutputTarget(const std::string &path, std::string &resolved, WriteError &err);
// The same, with err set to the error's toString().
bool checkOutputTarget(const std::string &path, std::string &resolved, std::string &err);

// Hands the content, in pieces of any size, to the writer: false when writing failed.
using ByteSink = std::function<bool(const char *data, std::size_t size)>;

// Replaces the file at `path` with what produce(sink) passes to the sink; produce returns false
// to give up (after a sink failure, or on its own, which is reported as a "write" failure with
// the OS reason of the last error). The file keeps an existing target's permissions.
bool replaceFileAtomically(const std::string &path,
                           const std::function<bool(const ByteSink &sink)> &produce,
                           WriteError &err);

// Replaces the file at `path` with exactly `bytes`.
bool writeFileAtomically(const std::string &path, std::string_view bytes, WriteError &err);
// The same, with err set to the error's toString().
bool writeFileAtomically(const std::string &path, std::string_view bytes, std::string &err);

// "a directory", "a character device", "a pipe (FIFO)"... for a stat() mode that is not a
// regular file's, for messages that refuse such a file.
const char *fileKindName(unsigned mode);

} // namespace mdn
