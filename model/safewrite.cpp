#include "safewrite.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <system_error>
#include <utility>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mdn {

namespace {

std::string osReason(int error) { return std::generic_category().message(error); }

bool isDigit(char c) { return c >= '0' && c <= '9'; }

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    ~FileDescriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FileDescriptor(const FileDescriptor &) = delete;
    FileDescriptor &operator=(const FileDescriptor &) = delete;
    int get() const { return m_fd; }
    // Closes now and reports the result: for written files close() can be the first to see an
    // error (NFS, quotas).
    int close()
    {
        const int result = ::close(m_fd);
        m_fd = -1;
        return result;
    }

private:
    int m_fd;
};

bool writeAll(int fd, const char *data, std::size_t size)
{
    while (size > 0) {
        const ssize_t written = ::write(fd, data, size);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += written;
        size -= static_cast<std::size_t>(written);
    }
    return true;
}

// Temporary files are named ".<target name><kTemporaryMarker><pid>-<n>": hidden, next to their
// target, and recognisable with their writer's process id, so that the leftovers of a writer that
// was killed (kill -9, power loss) can be told from the files of a save still at work.
constexpr std::string_view kTemporaryMarker = ".mdnviz-tmp-";
// A long target name is shortened in the temporary name, which must stay under NAME_MAX (255).
constexpr std::size_t kTemporaryBaseBytes = 180;

// When this process started, near enough: a temporary file older than that is not from one of
// its own saves, nor from any save that began after it.
const std::chrono::system_clock::time_point kProcessStart = std::chrono::system_clock::now();

std::string directoryOf(const std::string &path)
{
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

// Creates a new, unique file next to `path` with the usual permissions (0666 minus umask).
int createTemporary(const std::string &path, std::string &temporary)
{
    static std::atomic<unsigned> counter{0};
    const std::string dir = directoryOf(path);
    std::string base = path.substr(dir.size());
    if (base.size() > kTemporaryBaseBytes) {
        std::size_t cut = kTemporaryBaseBytes;
        while (cut > 0 && (static_cast<unsigned char>(base[cut]) & 0xC0) == 0x80)
            --cut; // not inside a UTF-8 sequence
        base.resize(cut);
    }
    for (int attempt = 0; attempt < 100; ++attempt) {
        temporary = dir + "." + base + std::string(kTemporaryMarker) + std::to_string(::getpid()) +
                    "-" + std::to_string(counter.fetch_add(1));
        const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

// The writer's process id in a temporary file's name, or 0 when the name is not one of ours.
pid_t temporaryOwner(std::string_view name)
{
    const std::size_t at = name.rfind(kTemporaryMarker);
    if (name.size() < 2 || name[0] != '.' || at == std::string_view::npos || at == 0)
        return 0;
    std::string_view rest = name.substr(at + kTemporaryMarker.size());
    const std::size_t dash = rest.find('-');
    if (dash == 0 || dash == std::string_view::npos || dash > 9 || dash + 1 == rest.size())
        return 0;
    for (std::size_t i = 0; i < rest.size(); ++i)
        if (i != dash && !isDigit(rest[i]))
            return 0;
    pid_t pid = 0;
    for (std::size_t i = 0; i < dash; ++i)
        pid = pid * 10 + (rest[i] - '0');
    return pid;
}

// Removes the temporary files a killed writer left in `dir`: those whose writer process no
// longer exists and which are older than this process. A file whose writer is alive (another
// instance saving right now) or cannot be checked (another user's process) stays. Best effort:
// the save itself has succeeded whatever happens here.
void removeStaleTemporaries(const std::string &dir)
{
    DIR *listing = ::opendir(dir.empty() ? "." : dir.c_str());
    if (!listing)
        return;
    const int dirFd = ::dirfd(listing);
    const pid_t self = ::getpid();
    while (const dirent *entry = ::readdir(listing)) {
        const pid_t owner = temporaryOwner(entry->d_name);
        if (owner <= 0 || owner == self) // kill(0, ...) would mean our own process group
            continue;
        if (::kill(owner, 0) == 0 || errno != ESRCH)
            continue;
        struct stat info {};
        if (::fstatat(dirFd, entry->d_name, &info, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(info.st_mode))
            continue;
        const auto modified = std::chrono::system_clock::time_point(
            std::chrono::duration_cast<std::chrono::system_clock::duration>(
                std::chrono::seconds(info.st_mtim.tv_sec) +
                std::chrono::nanoseconds(info.st_mtim.tv_nsec)));
        if (modified < kProcessStart)
            ::unlinkat(dirFd, entry->d_name, 0);
    }
    ::closedir(listing);
}

// Best effort: makes the rename itself durable. The data is already safe when this fails.
void syncDirectoryOf(const std::string &path)
{
    const std::size_t slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// Follows symbolic links (relative targets from the link's folder) until a path that is not one;
// false after 40 links, as the kernel's ELOOP.
bool followLinks(std::string &path)
{
    for (int hops = 0; hops < 40; ++hops) {
        struct stat info {};
        if (::lstat(path.c_str(), &info) != 0 || !S_ISLNK(info.st_mode))
            return true;
        std::string target(std::size_t(PATH_MAX), '\0');
        const ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
        if (n < 0)
            return true; // vanished meanwhile: treated as a new file
        target.resize(std::size_t(n));
        path = !target.empty() && target[0] == '/' ? target : directoryOf(path) + target;
    }
    return false;
}

} // namespace

std::string WriteError::toString() const
{
    std::string s = "cannot write '" + file + "': ";
    if (step == "check")
        return s + reason;
    const std::string tmp = "'" + temporary + "'";
    if (step == "open")
        return s + "cannot create a temporary file " + tmp + ": " + reason;
    if (step == "write")
        return s + "writing " + tmp + " failed: " + reason;
    if (step == "fsync")
        return s + "fsync of " + tmp + " failed: " + reason;
    if (step == "close")
        return s + "closing " + tmp + " failed: " + reason;
    if (step == "rename")
        return s + "renaming " + tmp + " over it failed: " + reason;
    return s + step + (temporary.empty() ? std::string() : " " + tmp) + " failed: " + reason;
}

const char *fileKindName(unsigned mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISFIFO(mode))
        return "a pipe (FIFO)";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISLNK(mode))
        return "a symbolic link";
    if (S_ISREG(mode))
        return "a regular file";
    return "a special file";
}

bool checkOutputTarget(const std::string &path, std::string &resolved, WriteError &err)
{
    const auto refuse = [&](std::string reason) {
        err = WriteError{path, "check", std::move(reason), {}};
        return false;
    };
    if (path.empty() || path.back() == '/')
        return refuse("not a file name");
    resolved = path;
    if (!followLinks(resolved))
        return refuse("too many levels of symbolic links");
    const std::string via =
        resolved == path ? std::string() : " (the target of the link, '" + resolved + "')";
    const std::string dir = directoryOf(resolved);
    struct stat folder {};
    const bool found = ::stat(dir.empty() ? "." : dir.c_str(), &folder) == 0;
    if (!found || !S_ISDIR(folder.st_mode)) {
        const int error = found ? ENOTDIR : errno;
        return refuse("the folder '" + (dir.empty() ? std::string(".") : dir) + "'" + via + ": " +
                      osReason(error));
    }
    struct stat existing {};
    if (::stat(resolved.c_str(), &existing) != 0)
        return true; // a new file
    if (!S_ISREG(existing.st_mode))
        return refuse(std::string("it is ") + fileKindName(existing.st_mode) + via +
                      ", not a regular file");
    // Root may write anything, so the mode bits are asked as well as access().
    if ((existing.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0 ||
        ::access(resolved.c_str(), W_OK) != 0)
        return refuse("the file" + via +
                      " is read-only; mdnviz does not replace a read-only file (make it "
                      "writable, or choose another name)");
    return true;
}

bool checkOutputTarget(const std::string &path, std::string &resolved, std::string &err)
{
    WriteError e;
    if (checkOutputTarget(path, resolved, e))
        return true;
    err = e.toString();
    return false;
}

bool replaceFileAtomically(const std::string &path,
                           const std::function<bool(const ByteSink &sink)> &produce,
                           WriteError &err)
{
    std::string target;
    if (!checkOutputTarget(path, target, err))
        return false;
    struct stat existing {};
    const bool exists = ::stat(target.c_str(), &existing) == 0;
    std::string temporary;
    FileDescriptor file(createTemporary(target, temporary));
    if (file.get() < 0) {
        err = WriteError{path, "open", osReason(errno), temporary};
        return false;
    }
    // Every failure from here on removes the temporary file; the target was never touched.
    const auto failWith = [&](const char *step, int error) {
        err = WriteError{path, step, osReason(error), temporary};
        if (file.get() >= 0)
            file.close();
        ::unlink(temporary.c_str());
        return false;
    };
    // Replacing a file keeps its permissions, as editors do.
    if (exists)
        ::fchmod(file.get(), existing.st_mode & 07777);

    int writeError = 0;
    const ByteSink sink = [&](const char *data, std::size_t size) {
        if (writeAll(file.get(), data, size))
            return true;
        writeError = errno; // before anything else can change it
        return false;
    };
    if (!produce(sink)) {
        if (writeError != 0)
            return failWith("write", writeError);
        err = WriteError{path, "write", "the content could not be produced", temporary};
        file.close();
        ::unlink(temporary.c_str());
        return false;
    }
    if (::fsync(file.get()) != 0)
        return failWith("fsync", errno);
    if (file.close() != 0)
        return failWith("close", errno);
    if (::rename(temporary.c_str(), target.c_str()) != 0)
        return failWith("rename", errno);
    syncDirectoryOf(target);
    removeStaleTemporaries(directoryOf(target));
    return true;
}

bool writeFileAtomically(const std::string &path, std::string_view bytes, WriteError &err)
{
    return replaceFileAtomically(
        path, [bytes](const ByteSink &sink) { return sink(bytes.data(), bytes.size()); }, err);
}

bool writeFileAtomically(const std::string &path, std::string_view bytes, std::string &err)
{
    WriteError e;
    if (writeFileAtomically(path, bytes, e))
        return true;
    err = e.toString();
    return false;
}

} // namespace mdn
