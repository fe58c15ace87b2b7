#include "cachefile.h"

#include "buf.h"
#include "scan.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
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

struct CacheOut {
    Buf path, tmp;
    int fd;
    const char *why; /* the first failure; static */
    XXH3_state_t *sum;
    bool closed; /* written whole under tmp (cachefile_close) */
    bool anon;   /* fd has no name (O_TMPFILE) until cachefile_finish */
};

/* The mode fopen gives a new file, 0666 less the umask, which is read by
 * setting it: once per process (cachefile_init), not while another thread
 * may be making files. */
static mode_t file_mode_v;
static pthread_once_t file_mode_once = PTHREAD_ONCE_INIT;

static void file_mode_read(void)
{
    mode_t mask = umask(0);
    umask(mask);
    file_mode_v = 0666 & ~mask;
}

void cachefile_init(void) { pthread_once(&file_mode_once, file_mode_read); }

static mode_t file_mode(void)
{
    cachefile_init();
    return file_mode_v;
}

static CacheOut *out_new(void)
{
    CacheOut *o = xcalloc(1, sizeof *o);
    buf_init(&o->path);
    buf_init(&o->tmp);
    o->fd = -1;
    o->sum = XXH3_createState();
    if (!o->sum)
        abort();
    XXH3_64bits_reset(o->sum);
    return o;
}

static void out_open_named(CacheOut *o, const char *path)
{
    buf_puts(&o->path, path);
    buf_puts(&o->tmp, path);
    buf_puts(&o->tmp, ".XXXXXX");
    o->fd = mkstemp(o->tmp.data);
    if (o->fd < 0) {
        o->why = strerror(errno);
        return;
    }
    fchmod(o->fd, file_mode()); /* as fopen would make it, not mkstemp's 0600 */
}

/* The file at path, unnamed until cachefile_finish keeps it (O_TMPFILE in
 * path's folder): a process killed while writing it, however it dies,
 * leaves nothing beside path. A temporary name where the filesystem has
 * no O_TMPFILE. */
static void out_open(CacheOut *o, const char *path)
{
    Buf dir = BUF_INIT;
    const char *slash = strrchr(path, '/');
    if (slash)
        buf_append(&dir, path, slash == path ? 1 : (size_t)(slash - path));
    else
        buf_puts(&dir, ".");
    o->fd = open(buf_cstr(&dir), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    buf_free(&dir);
    if (o->fd >= 0) {
        o->anon = true;
        buf_puts(&o->path, path);
        fchmod(o->fd, file_mode());
    } else {
        out_open_named(o, path);
    }
}

static void out_bytes(CacheOut *o, const char *data, size_t len)
{
    XXH3_64bits_update(o->sum, data, len);
    if (o->why)
        return;
    size_t off = 0;
    while (off < len) {
        ssize_t k = write(o->fd, data + off, len - off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            o->why = strerror(k < 0 && errno ? errno : EIO);
            return;
        }
        off += (size_t)k;
    }
}

CacheOut *cachefile_begin(const char *path)
{
    CacheOut *o = out_new();
    out_open(o, path);
    return o;
}

/* The unnamed file o->fd under a temporary name beside o->path (o->tmp) */
static bool name_anon(CacheOut *o)
{
    static atomic_uint next;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
    for (int tries = 0; tries < 100; tries++) {
        buf_clear(&o->tmp);
        buf_printf(&o->tmp, "%s.%ld-%u", o->path.data, (long)getpid(), atomic_fetch_add(&next, 1));
        /* by the descriptor itself where allowed, else through /proc */
        if (linkat(o->fd, "", AT_FDCWD, o->tmp.data, AT_EMPTY_PATH) == 0 ||
            linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp.data, AT_SYMLINK_FOLLOW) == 0)
            return true;
        if (errno != EEXIST)
            return false;
    }
    return false;
}

CacheOut *cachefile_begin_in(const char *root, const char *dir, const char *name)
{
    CacheOut *o = out_new();
    if (!cachefile_make_dirs(root, dir)) {
        o->why = strerror(errno);
    } else if (!scan_path_inside(dir, root)) {
        o->why = "it leads outside the project (through a link)";
    } else {
        Buf path = BUF_INIT;
        buf_puts(&path, dir);
        buf_putc(&path, '/');
        buf_puts(&path, name);
        out_open(o, buf_cstr(&path));
        buf_free(&path);
    }
    return o;
}

void cachefile_drain(CacheOut *o, Buf *b, size_t at_least)
{
    if (!b->len || b->len < at_least)
        return;
    out_bytes(o, b->data, b->len);
    b->len = 0;
    b->data[0] = '\0';
}

uint64_t cachefile_sum(const CacheOut *o) { return XXH3_64bits_digest(o->sum); }

void cachefile_fail(CacheOut *o, const char *why)
{
    if (!o->why)
        o->why = why;
}

const char *cachefile_close(CacheOut *o, Buf *b)
{
    if (b)
        cachefile_drain(o, b, 0);
    if (o->anon) { /* kept open: it has no name to be found by */
        o->closed = true;
        return o->why;
    }
    if (o->fd >= 0) {
        if (close(o->fd) != 0 && !o->why)
            o->why = strerror(errno);
        o->fd = -1;
        o->closed = true;
    }
    return o->why;
}

const char *cachefile_finish(CacheOut *o, bool keep)
{
    cachefile_close(o, NULL);
    const char *why = o->why;
    if (o->anon) {
        bool named = false;
        if (!why && keep) {
            named = name_anon(o);
            if (!named || rename(o->tmp.data, o->path.data) != 0)
                why = strerror(errno);
        }
        if (why && named)
            unlink(o->tmp.data);
        if (close(o->fd) != 0 && !why && keep)
            why = strerror(errno);
    } else if (o->closed) {
        if (!why && keep && rename(o->tmp.data, o->path.data) != 0)
            why = strerror(errno);
        if (why || !keep)
            unlink(o->tmp.data);
    }
    XXH3_freeState(o->sum);
    buf_free(&o->path);
    buf_free(&o->tmp);
    free(o);
    return why;
}

const char *cachefile_end(CacheOut *o, Buf *b)
{
    cachefile_close(o, b);
    return cachefile_finish(o, true);
}

const char *cachefile_replace(const char *path, const char *data, size_t len)
{
    CacheOut *o = cachefile_begin(path);
    out_bytes(o, data, len);
    return cachefile_end(o, NULL);
}

int cachefile_anon(const char *dir)
{
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    /* a filesystem without O_TMPFILE: a name for an instant */
    Buf b = BUF_INIT;
    buf_printf(&b, "%s/.lobgen-piece.XXXXXX", dir);
    fd = mkostemp(b.data, O_CLOEXEC);
    int e = errno;
    if (fd >= 0 && unlink(b.data) != 0) {
        e = errno;
        close(fd);
        fd = -1;
    }
    buf_free(&b);
    errno = e;
    return fd;
}

/* pread or pwrite until len bytes are moved: both retry EINTR and short
 * transfers alike */
static bool transfer(int fd, char *c, size_t len, uint64_t off, bool out)
{
    while (len) {
        ssize_t k = out ? pwrite(fd, c, len, (off_t)off) : pread(fd, c, len, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO;
            return false;
        }
        c += k;
        len -= (size_t)k;
        off += (uint64_t)k;
    }
    return true;
}

bool cachefile_pwrite(int fd, const void *p, size_t len, uint64_t off)
{
    return transfer(fd, (char *)(uintptr_t)p, len, off, true); /* pwrite only reads it */
}

bool cachefile_pread(int fd, void *p, size_t len, uint64_t off) { return transfer(fd, p, len, off, false); }
