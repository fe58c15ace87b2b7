#include "cachefile.h"

#include "buf.h"
#include "scan.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

static uint64_t binary_id[2];
static pthread_once_t binary_once = PTHREAD_ONCE_INIT;

static void read_binary_id(void)
{
    size_t len;
    char *bytes = read_file("/proc/self/exe", &len);
    if (!bytes)
        return; /* unknown binary: an identity no cache has, so nothing is reused */
    XXH128_hash_t h = XXH3_128bits(bytes, len);
    free(bytes);
    binary_id[0] = h.low64;
    binary_id[1] = h.high64 | 1;
}

void cachefile_binary_id(uint64_t id[2])
{
    pthread_once(&binary_once, read_binary_id);
    id[0] = binary_id[0];
    id[1] = binary_id[1];
}

bool cachefile_make_dirs(const char *root, const char *dir)
{
    char *p = xstrdup(dir);
    /* below root when dir is inside it, else every folder of the path */
    size_t rl = strlen(root);
    size_t from = strncmp(dir, root, rl) == 0 && dir[rl] == '/' ? rl + 1 : 1;
    bool ok = true;
    for (char *s = p + (from < strlen(p) ? from : strlen(p)); ok && *s; s++)
        if (*s == '/') {
            *s = '\0';
            ok = mkdir(p, 0777) == 0 || errno == EEXIST;
            *s = '/';
        }
    ok = ok && (mkdir(p, 0777) == 0 || errno == EEXIST);
    int e = errno;
    free(p);
    errno = e;
    return ok;
}

const char *cachefile_replace(const char *path, const char *data, size_t len)
{
    Buf tmp = BUF_INIT;
    buf_puts(&tmp, path);
    buf_puts(&tmp, ".XXXXXX");
    const char *why = NULL;
    int fd = mkstemp(tmp.data);
    if (fd < 0) {
        why = strerror(errno);
    } else {
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask); /* as fopen would make it, not mkstemp's 0600 */
        size_t off = 0;
        while (off < len) {
            ssize_t k = write(fd, data + off, len - off);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                break;
            off += (size_t)k;
        }
        if (off < len)
            why = strerror(errno ? errno : EIO);
        if (close(fd) != 0 && !why)
            why = strerror(errno);
        if (!why && rename(tmp.data, path) != 0)
            why = strerror(errno);
        if (why)
            unlink(tmp.data);
    }
    buf_free(&tmp);
    return why;
}

const char *cachefile_put(const char *root, const char *dir, const char *name, const char *data, size_t len)
{
    if (!cachefile_make_dirs(root, dir))
        return strerror(errno);
    if (!scan_path_inside(dir, root))
        return "it leads outside the project (through a link)";
    Buf path = BUF_INIT;
    buf_puts(&path, dir);
    buf_putc(&path, '/');
    buf_puts(&path, name);
    const char *why = cachefile_replace(buf_cstr(&path), data, len);
    buf_free(&path);
    return why;
}
