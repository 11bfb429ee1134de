// An LD_PRELOAD library that makes chosen file-system calls fail, so that every writer's error
// path can be driven on a healthy disk (write, fsync/fdatasync, close, rename/link, open), whoever
// the caller: mdnviz's own writer or a library's. Set by the environment of the process it is
// loaded into:
//
//   MDNVIZ_FAULT_OP     write | fsync | close | rename | open: the call that fails
//   MDNVIZ_FAULT_PATH   only calls on paths containing this text count (default: every path)
//   MDNVIZ_FAULT_NTH    the Nth counted call fails, and every later one (default 1), as on a
//                       full disk
//   MDNVIZ_FAULT_ERRNO  the error number (default ENOSPC)
//   MDNVIZ_FAULT_SHORT  when set to N, write() on a counted path writes at most N bytes: a short
//                       write is legal and a writer must carry on with the rest
//   MDNVIZ_FAULT_LOG    a file that gets one line per failed call, so a test knows the fault hit
//
// Descriptors 0-2 are never touched, so the process can still say what went wrong.

#include <atomic>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {

struct Config {
    char op[16] = {};
    char path[4096] = {};
    long nth = 1;
    int error = ENOSPC;
    long shortWrites = 0;
    char log[4096] = {};
};

const Config &config()
{
    static const Config c = [] {
        Config c;
        if (const char *v = std::getenv("MDNVIZ_FAULT_OP"))
            std::snprintf(c.op, sizeof c.op, "%s", v);
        if (const char *v = std::getenv("MDNVIZ_FAULT_PATH"))
            std::snprintf(c.path, sizeof c.path, "%s", v);
        if (const char *v = std::getenv("MDNVIZ_FAULT_NTH"))
            c.nth = std::atol(v);
        if (const char *v = std::getenv("MDNVIZ_FAULT_ERRNO"))
            c.error = std::atoi(v);
        if (const char *v = std::getenv("MDNVIZ_FAULT_SHORT"))
            c.shortWrites = std::atol(v);
        if (const char *v = std::getenv("MDNVIZ_FAULT_LOG"))
            std::snprintf(c.log, sizeof c.log, "%s", v);
        return c;
    }();
    return c;
}

std::atomic<long> g_counted{0};

bool pathMatches(const char *path)
{
    return path && (config().path[0] == '\0' || std::strstr(path, config().path) != nullptr);
}

bool fdMatches(int fd)
{
    if (fd <= 2)
        return false;
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char target[4096];
    const ssize_t n = ::readlink(link, target, sizeof target - 1);
    if (n < 0)
        return false;
    target[n] = '\0';
    return pathMatches(target);
}

// True when this call is the one (or after the one) that must fail; sets errno then.
bool failNow(const char *op, bool matches)
{
    if (!matches || std::strcmp(config().op, op) != 0)
        return false;
    if (++g_counted < config().nth)
        return false;
    if (config().log[0] != '\0') {
        // Raw system calls: the wrapped functions must not see the log's own writes.
        char line[64];
        const int n = std::snprintf(line, sizeof line, "%s failed\n", op);
        const long fd = ::syscall(SYS_openat, AT_FDCWD, config().log,
                                  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            ::syscall(SYS_write, fd, line, n);
            ::syscall(SYS_close, fd);
        }
    }
    errno = config().error;
    return true;
}

template <typename F>
F real(const char *name)
{
    return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

bool interestedIn(const char *op)
{
    return std::strcmp(config().op, op) == 0 ||
           (std::strcmp(op, "write") == 0 && config().shortWrites > 0);
}

int openCommon(const char *name, int dirfd, const char *path, int flags, mode_t mode, bool at)
{
    if (interestedIn("open") && (flags & (O_WRONLY | O_RDWR | O_CREAT)) &&
        failNow("open", pathMatches(path)))
        return -1;
    if (at)
        return real<int (*)(int, const char *, int, ...)>(name)(dirfd, path, flags, mode);
    return real<int (*)(const char *, int, ...)>(name)(path, flags, mode);
}

} // namespace

extern "C" {

ssize_t write(int fd, const void *buffer, size_t size)
{
    static const auto next = real<ssize_t (*)(int, const void *, size_t)>("write");
    if (fd > 2 && interestedIn("write")) {
        const bool matches = fdMatches(fd);
        if (failNow("write", matches))
            return -1;
        if (matches && config().shortWrites > 0 && size > size_t(config().shortWrites))
            size = size_t(config().shortWrites);
    }
    return next(fd, buffer, size);
}

ssize_t writev(int fd, const struct iovec *iov, int count)
{
    static const auto next = real<ssize_t (*)(int, const struct iovec *, int)>("writev");
    if (fd > 2 && interestedIn("write") && failNow("write", fdMatches(fd)))
        return -1;
    return next(fd, iov, count);
}

int fsync(int fd)
{
    static const auto next = real<int (*)(int)>("fsync");
    if (interestedIn("fsync") && failNow("fsync", fdMatches(fd)))
        return -1;
    return next(fd);
}

int fdatasync(int fd)
{
    static const auto next = real<int (*)(int)>("fdatasync");
    if (interestedIn("fsync") && failNow("fsync", fdMatches(fd)))
        return -1;
    return next(fd);
}

int close(int fd)
{
    static const auto next = real<int (*)(int)>("close");
    if (fd > 2 && interestedIn("close") && failNow("close", fdMatches(fd))) {
        next(fd); // as the kernel does: the descriptor is gone even when close reports an error
        return -1;
    }
    return next(fd);
}

int rename(const char *from, const char *to)
{
    static const auto next = real<int (*)(const char *, const char *)>("rename");
    if (interestedIn("rename") && failNow("rename", pathMatches(to)))
        return -1;
    return next(from, to);
}

int renameat(int fromDir, const char *from, int toDir, const char *to)
{
    static const auto next = real<int (*)(int, const char *, int, const char *)>("renameat");
    if (interestedIn("rename") && failNow("rename", pathMatches(to)))
        return -1;
    return next(fromDir, from, toDir, to);
}

int renameat2(int fromDir, const char *from, int toDir, const char *to, unsigned flags)
{
    static const auto next =
        real<int (*)(int, const char *, int, const char *, unsigned)>("renameat2");
    if (interestedIn("rename") && failNow("rename", pathMatches(to)))
        return -1;
    return next(fromDir, from, toDir, to, flags);
}

// A writer may create an unnamed file (O_TMPFILE) and link it into place: that is its rename.
int linkat(int fromDir, const char *from, int toDir, const char *to, int flags)
{
    static const auto next = real<int (*)(int, const char *, int, const char *, int)>("linkat");
    if (interestedIn("rename") && failNow("rename", pathMatches(to)))
        return -1;
    return next(fromDir, from, toDir, to, flags);
}

int open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list args;
        va_start(args, flags);
        mode = mode_t(va_arg(args, int));
        va_end(args);
    }
    return openCommon("open", AT_FDCWD, path, flags, mode, false);
}

int open64(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list args;
        va_start(args, flags);
        mode = mode_t(va_arg(args, int));
        va_end(args);
    }
    return openCommon("open64", AT_FDCWD, path, flags, mode, false);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list args;
        va_start(args, flags);
        mode = mode_t(va_arg(args, int));
        va_end(args);
    }
    return openCommon("openat", dirfd, path, flags, mode, true);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list args;
        va_start(args, flags);
        mode = mode_t(va_arg(args, int));
        va_end(args);
    }
    return openCommon("openat64", dirfd, path, flags, mode, true);
}

} // extern "C"
