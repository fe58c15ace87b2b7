#include "write.h"

#include "buf.h"
#include "cachefile.h"
#include "inputs.h"
#include "pool.h"
#include "stop.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

typedef struct Spare Spare;

struct Writer {
    char *out;  /* the output folder as named, without a trailing slash */
    char *tmp;  /* the new tree being written, beside out (mkdtemp) */
    int tmp_fd; /* tmp, opened and flock'ed: a live build's folder is never cleared */
    bool dry;
    atomic_size_t count; /* files put or kept: no lock per file */
    /* Write failures: the first is reported with its cause, the rest are
     * counted, so a full disk is one error and not one per file. */
    size_t n_failed;
    pthread_mutex_t lock;
    unsigned long serial; /* this writer among all of the process's (last_put) */
    /* The previous site kept beside the output (.<out>.lobgen-spare), claimed
     * as this build's folder: brought up to date in place, never written
     * into (it shares files with the published site). */
    bool spare;
    Spare *old; /* the names it held when claimed; NULL in a fresh folder */
    atomic_bool stats_stale; /* clear_way removed names: the walk's stats are not trusted */
    bool keep;  /* the folder at tmp becomes the spare if it can, rather than be removed */
    /* The folders this build created, removed or renamed a name in (or
     * made), by their path in the tree ("" the root): their stat and names
     * are taken again for the record of the tree (writer_commit); the rest
     * keep what the walk found. Under lock. Only an optimisation: a folder
     * missed here keeps the walk's stat, which its change made stale, so
     * the next build lists it. */
    struct {
        uint64_t hash;
        char *rel;
    } *touched;
    size_t n_touched, cap_touched;
    /* the folder record file as read when the spare was claimed (NULL:
     * none, damaged or foreign), and its identity then */
    char *rec_raw;
    size_t rec_len;
    struct stat rec_st;
};

static void touch_dir(Writer *w, const char *rel, size_t len);
static void touch_parent(Writer *w, const char *rel);
static void touch_made(Writer *w, const char *path);

/* Remove everything in the open folder fd (closed after): by name from
 * readdir, without a stat per file (a removed site's hard links are most
 * of an incremental build's work). */
static void rm_contents(int fd)
{
    DIR *dh = fdopendir(fd);
    if (!dh) {
        close(fd);
        return;
    }
    for (int pass = 0; pass < 2; pass++) { /* a second pass for names readdir skipped */
        struct dirent *e;
        bool any = false;
        while ((e = readdir(dh))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            any = true;
            bool dir = e->d_type == DT_DIR;
            struct stat st;
            if (e->d_type == DT_UNKNOWN)
                dir = fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
            if (dir) {
                int sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub >= 0)
                    rm_contents(sub);
                unlinkat(fd, e->d_name, AT_REMOVEDIR);
            } else {
                unlinkat(fd, e->d_name, 0);
            }
        }
        if (!any)
            break;
        rewinddir(dh);
    }
    closedir(dh);
}

static void rm_tree(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        unlink(path); /* not a folder (or gone) */
        return;
    }
    rm_contents(fd);
    rmdir(path);
}

/* Removing a whole site is a file system walk of tens of thousands of
 * unlinks; its subtrees two levels down (nl/thuisopdrachten, ...) are
 * removed on threads, then what is left. */
typedef struct {
    char **paths;
    size_t n;
    atomic_size_t next;
} RmWork;

static void *rm_worker(void *arg)
{
    RmWork *rw = arg;
    size_t i;
    while ((i = atomic_fetch_add(&rw->next, 1)) < rw->n)
        rm_tree(rw->paths[i]);
    return NULL;
}

static void list_dirs(const char *dir, char ***paths, size_t *n, size_t *cap)
{
    DIR *dh = opendir(dir);
    struct dirent *e;
    while (dh && (e = readdir(dh))) {
        if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        Buf p = BUF_INIT;
        buf_printf(&p, "%s/%s", dir, e->d_name);
        ALLOC_GROW(*paths, *n + 1, *cap);
        (*paths)[(*n)++] = buf_detach(&p);
    }
    if (dh)
        closedir(dh);
}

static void rm_tree_parallel(const char *path)
{
    int threads = default_threads();
    char **top = NULL, **paths = NULL;
    size_t nt = 0, ct = 0, np = 0, cp = 0;
    if (threads > 1) {
        list_dirs(path, &top, &nt, &ct);
        for (size_t i = 0; i < nt; i++)
            list_dirs(top[i], &paths, &np, &cp);
    }
    RmWork rw = {paths, np, 0};
    pthread_t th[64];
    int started = 0;
    for (int i = 1; i < threads && i < 64 && (size_t)i < np; i++)
        if (pthread_create(&th[started], NULL, rm_worker, &rw) == 0)
            started++;
    rm_worker(&rw);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    rm_tree(path);
    for (size_t i = 0; i < nt; i++)
        free(top[i]);
    for (size_t i = 0; i < np; i++)
        free(paths[i]);
    free(top);
    free(paths);
}

/* Names beside out: "<dir>/.<base>.lobgen-<what>", on the same file
 * system, so rename() can swap; the name says whose it is. */
static char *sibling(const char *out, const char *what)
{
    Buf b = BUF_INIT;
    const char *slash = strrchr(out, '/');
    if (slash) {
        buf_append(&b, out, (size_t)(slash - out) + 1);
        buf_printf(&b, ".%s.lobgen-%s", slash + 1, what);
    } else {
        buf_printf(&b, ".%s.lobgen-%s", out, what);
    }
    return buf_detach(&b);
}

#define MARKER ".lobgen-site"

static bool has_marker(const char *dir)
{
    Buf m = BUF_INIT;
    buf_printf(&m, "%s/%s", dir, MARKER);
    struct stat st;
    bool ok = lstat(m.data, &st) == 0 && S_ISREG(st.st_mode);
    buf_free(&m);
    return ok;
}

static bool dir_is_empty(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return false;
    struct dirent *e;
    bool empty = true;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            empty = false;
            break;
        }
    closedir(d);
    return empty;
}

/* write(2) until done; false with errno set */
static bool write_all(int fd, const char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return false;
        }
        off += (size_t)n;
    }
    return true;
}

/* fsync a folder, so that the names in it (a rename) survive a power loss */
static bool fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0 || errno == EINVAL; /* some file systems cannot */
    int e = errno;
    close(fd);
    errno = e;
    return ok;
}

static char *parent_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    Buf b = BUF_INIT;
    buf_append(&b, path, (size_t)(slash - path));
    return buf_detach(&b);
}

/* The publishing lock: an exclusive flock on "<dir>/.<base>.lobgen-lock".
 * Builds into the same output take turns to clear stale folders, create
 * their own, and swap; the second waits for the first. Returns the held
 * fd, or -1 with a diagnostic. The file stays: removing a lock file races. */
static int publish_lock(const char *out, Diags *d)
{
    char *name = sibling(out, "lock");
    int fd = open(name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (d)
            diag_error(d, name, 0, 0, "cannot create the lock file for publishing: %s", strerror(errno));
    } else {
        int r;
        while ((r = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
            ;
        if (r != 0 && d) {
            diag_error(d, name, 0, 0, "another build is publishing into %s and the lock cannot be taken: %s", out,
                       strerror(errno));
        }
        if (r != 0) {
            close(fd);
            fd = -1;
        }
    }
    free(name);
    return fd;
}

static void publish_unlock(int fd)
{
    if (fd >= 0)
        close(fd); /* releases the flock */
}

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

/* Rename the folder at path to the spare's name, when it is lobgen's (an
 * empty output folder a first build replaced is not) and nothing is there
 * already (never replaced: a spare, or a folder of someone else's). The
 * caller holds the publishing lock. True when path is the spare now. */
static bool become_spare(const char *out, const char *path)
{
    if (!has_marker(path))
        return false;
    char *spare = sibling(out, "spare");
    int r = (int)syscall(SYS_renameat2, AT_FDCWD, path, AT_FDCWD, spare, RENAME_NOREPLACE);
    if (r != 0 && errno == EINVAL) { /* a file system without RENAME_NOREPLACE */
        struct stat st;
        r = lstat(spare, &st) == 0 || errno != ENOENT ? -1 : rename(path, spare);
    }
    free(spare);
    return r == 0;
}

/* Folders left beside out by builds that were killed: every one whose flock
 * can be taken has no live build behind it. Called under the publish lock,
 * which every build holds while it creates and locks its own folder. One
 * with lobgen's marker becomes the spare when there is none (a spare's
 * files are checked one by one before any is kept, so a half-updated
 * folder is as good as a whole one); the rest are removed. The spare
 * itself is not stale: no build holds it. */
static void clear_stale(const char *out)
{
    char *dir = parent_of(out);
    char *prefix = sibling(out, "");
    const char *base = strrchr(prefix, '/') ? strrchr(prefix, '/') + 1 : prefix;
    size_t bl = strlen(base);
    DIR *dh = opendir(dir);
    struct dirent *e;
    while (dh && (e = readdir(dh))) {
        if (strncmp(e->d_name, base, bl) || !strcmp(e->d_name + bl, "lock") || !strcmp(e->d_name + bl, "spare"))
            continue;
        Buf p = BUF_INIT;
        buf_printf(&p, "%s/%s", dir, e->d_name);
        int fd = open(p.data, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 && !become_spare(out, p.data))
            rm_tree(p.data);
        if (fd >= 0)
            close(fd);
        buf_free(&p);
    }
    if (dh)
        closedir(dh);
    free(prefix);
    free(dir);
}

/* ---- the spare: the previous site, brought up to date in place ---------- */

/* A name the claimed spare held when this build took it. */
typedef struct {
    char *rel;
    uint64_t hash;
    unsigned long long ino; /* from the folder listing: a first test before the stat */
    bool dir;               /* an empty folder, removed unless something is put in it */
    atomic_uchar seen;      /* in the new site: put, kept or linked */
    /* 1 while size and mtime are what a stat found at rel during the walk
     * (relative to the open folder: one short lookup, not a walk of the
     * whole path), on the spare's device and with the inode above, and
     * nothing of this build has replaced or removed the name since (put,
     * linked over, unlinked: spare_seen clears it); 0: stat again. Kept
     * small: there is one per file of the site. */
    atomic_uchar stat_ok;
    int mtime_ns;
    unsigned long long size;
    long long mtime_s;
} OldName;

/* ---- the folder record: folders whose listing is trusted ---------------
 *
 * As git's untracked cache (index-format.txt, "Untracked cache") trusts a
 * folder's listing while the folder's stat is the one recorded with it,
 * the walk of the spare takes a folder's names from the record of its tree
 * when the folder's inode, change and modification time (in ns) are the
 * recorded ones: POSIX updates both times of a folder whenever a name in it
 * is created, removed or renamed (a file added by hand, a page deleted, a
 * file replaced by a link, `sed -i`, an editor's save by rename), and no
 * user can set a change time. Its files are still stat'ed one by one (a
 * file edited in place changes no folder). Each build records, for the tree
 * it publishes, every folder's stat and names as they are when it is done
 * with it, in ".<out>.lobgen-folders" beside the output (the records of
 * the last two trees, the site and the spare, keyed by the identity of
 * their root folder, which renames keep), with the binary's identity and a
 * checksum: a damaged, cut or foreign file is not used (every folder is
 * listed).
 *
 * Racy folders (git's racy-git rule): a change in the same clock tick as
 * the stat that was recorded would leave both times as recorded. So a
 * folder is trusted only when both times were RACY_MARGIN_NS older than a
 * clock read before its stat was taken: a later change then gets a later
 * time. The margin is the coarsest timestamp of a Linux file system (FAT's
 * 2 s; ext3, ext4 with small inodes and many NFS servers keep seconds),
 * plus the lag of the kernel's coarse clock that stamps files behind the
 * clock read here (one jiffy, at most 10 ms), rounded up. Only folders the
 * last two builds or a person touched just before a record are listed
 * again for it; a build after a pause of seconds trusts all the others. */
#define RACY_MARGIN_NS 2100000000LL

typedef struct {
    const char *rel;   /* the folder's path in the tree, "" the root; rel_len bytes */
    const char *names; /* 'f' (a file) or 'd' (a folder), the name, '\0'; repeated */
    uint32_t rel_len, names_len;
    bool trusted; /* its times were safely older than its stat: not racy */
    unsigned long long ino;
    long long ctime_ns, mtime_ns;
} FolderRec;

/* Folders by path: open addressing, cap a power of 2 (or 0: empty). */
typedef struct {
    struct {
        uint64_t hash;
        const FolderRec *e;
    } *slot;
    size_t cap, n;
} FolderIndex;

static void folder_index_init(FolderIndex *x, size_t n)
{
    x->cap = 16;
    while (x->cap < 2 * n + 2)
        x->cap *= 2;
    x->slot = xcalloc(x->cap, sizeof *x->slot);
    x->n = 0;
}

static void folder_index_add(FolderIndex *x, const FolderRec *e)
{
    uint64_t h = XXH3_64bits(e->rel, e->rel_len);
    size_t i = h & (x->cap - 1);
    while (x->slot[i].e) {
        if (x->slot[i].hash == h && x->slot[i].e->rel_len == e->rel_len && !memcmp(x->slot[i].e->rel, e->rel, e->rel_len)) {
            x->slot[i].e = e; /* the last one found wins (a folder walked again) */
            return;
        }
        i = (i + 1) & (x->cap - 1);
    }
    x->slot[i].hash = h;
    x->slot[i].e = e;
    x->n++;
}

static const FolderRec *folder_find(const FolderIndex *x, const char *rel, size_t len)
{
    if (!x || !x->cap)
        return NULL;
    uint64_t h = XXH3_64bits(rel, len);
    for (size_t i = h & (x->cap - 1); x->slot[i].e; i = (i + 1) & (x->cap - 1))
        if (x->slot[i].hash == h && x->slot[i].e->rel_len == len && !memcmp(x->slot[i].e->rel, rel, len))
            return x->slot[i].e;
    return NULL;
}

static long long ts_ns(const struct timespec *t) { return (long long)t->tv_sec * 1000000000LL + t->tv_nsec; }

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return ts_ns(&t);
}

/* st, a stat taken after the clock read t0, is safely older than t0 */
static bool not_racy(const struct stat *st, long long t0)
{
    return ts_ns(&st->st_ctim) + RACY_MARGIN_NS <= t0 && ts_ns(&st->st_mtim) + RACY_MARGIN_NS <= t0;
}

static bool folder_same(const struct stat *st, const FolderRec *r)
{
    return (unsigned long long)st->st_ino == r->ino && ts_ns(&st->st_ctim) == r->ctime_ns &&
           ts_ns(&st->st_mtim) == r->mtime_ns;
}

typedef struct {
    OldName *v;
    size_t n, cap;
    Arena *a;
    unsigned long long dev; /* the spare's device */
    /* the folders walked (listed or taken from the record) */
    FolderRec *dirs;
    size_t n_dirs, cap_dirs;
    const FolderIndex *rec; /* the record of the spare's tree, or NULL */
    long long t0;           /* the clock before the walk began (not_racy) */
    size_t listed, trusted; /* folders read with getdents, taken from the record */
} WalkOut;

typedef struct Walk Walk;

struct Spare {
    Walk *walk;    /* the walk that finds the names (spare_ready) */
    WalkOut *outs; /* one per walking thread */
    int n_outs;
    FolderRec *rec_v;   /* the record of this tree, as read (names point into Writer.rec_raw) */
    FolderIndex rec;    /* rec_v by path (cap 0: no record) */
    FolderIndex walked; /* the folders of every WalkOut by path, once the walk is done */
    struct {
        uint64_t hash; /* compared first: most probes then touch no name */
        OldName *e;
    } *slot;           /* by rel, open addressing; cap a power of 2 */
    size_t cap;
};

/* b shortened to n bytes (rel paths are built in place while walking) */
static void buf_cut(Buf *b, size_t n)
{
    if (b->cap) {
        b->len = n;
        b->data[n] = '\0';
    }
}

/* st: the file's stat, or NULL (a folder, or a file whose stat failed) */
static void walk_add(WalkOut *o, const char *rel, size_t len, unsigned long long ino, bool dir,
                     const struct stat *st)
{
    ALLOC_GROW(o->v, o->n + 1, o->cap);
    OldName *e = &o->v[o->n++];
    e->rel = arena_strndup(o->a, rel, len);
    e->hash = XXH3_64bits(rel, len);
    e->ino = ino;
    e->dir = dir;
    atomic_init(&e->seen, 0);
    /* another device (a mount in the spare) or inode (replaced since
     * the listing): stat'ed again when asked for */
    bool ok = st && (unsigned long long)st->st_dev == o->dev && (unsigned long long)st->st_ino == ino;
    atomic_init(&e->stat_ok, ok);
    e->size = ok ? (unsigned long long)st->st_size : 0;
    e->mtime_s = ok ? (long long)st->st_mtim.tv_sec : 0;
    e->mtime_ns = ok ? (int)st->st_mtim.tv_nsec : 0;
}

typedef struct {
    char **v;
    size_t n, cap;
} Jobs;

#define WALK_SPLIT 2 /* folders this deep are walked on threads (nl/thuisopdrachten, ...) */

static void walk_dir(int fd, Buf *rel, int depth, WalkOut *o, Jobs *jobs, bool trust);

/* The folder at rel, with stat st and names (its own copy or the record's),
 * into o's folders */
static void folder_add(WalkOut *o, const char *rel, size_t len, const struct stat *st, const char *names,
                       size_t names_len, bool trusted)
{
    ALLOC_GROW(o->dirs, o->n_dirs + 1, o->cap_dirs);
    o->dirs[o->n_dirs++] = (FolderRec){arena_strndup(o->a, rel, len), names, (uint32_t)len, (uint32_t)names_len,
                                       trusted, (unsigned long long)st->st_ino, ts_ns(&st->st_ctim),
                                       ts_ns(&st->st_mtim)};
}

/* The folder at rel, from: its path from the open folder fd (a name, or
 * names when its parent was taken from the record too), taken from the
 * record without being opened: one fstatat, which must show a folder on
 * the spare's device with the recorded inode and times, then an fstatat
 * per file by the path from fd. True when it was (its names and files are
 * in o); false when it must be listed, and o is as it was. A name that is
 * not what the record says (a race with a person changing the folder as
 * it is walked) gives false too. A folder with folders in it is stat'ed
 * again after them: a folder in it replaced meanwhile changed it (the
 * parent that was listed is stat'ed again by walk_dir for the same
 * reason), so a link put in the place of a folder is never followed. */
static bool walk_trusted(int fd, Buf *rel, Buf *from, WalkOut *o)
{
    const FolderRec *r = folder_find(o->rec, rel->data, rel->len);
    if (!r || !r->trusted)
        return false;
    /* from empty: fd is the folder itself (a walker's folder at WALK_SPLIT,
     * opened by its path), its names stat'ed by themselves */
    struct stat st;
    if ((from->len ? fstatat(fd, from->data, &st, AT_SYMLINK_NOFOLLOW) : fstat(fd, &st)) != 0 ||
        !S_ISDIR(st.st_mode) || (unsigned long long)st.st_dev != o->dev || !folder_same(&st, r))
        return false;
    size_t n0 = o->n, d0 = o->n_dirs, l0 = o->listed, t0 = o->trusted, rb = rel->len, fb = from->len;
    bool ok = true, subdirs = false;
    for (const char *p = r->names, *end = r->names + r->names_len; ok && p < end;) {
        char t = *p++;
        size_t nl = strlen(p);
        buf_cut(rel, rb);
        buf_putc(rel, '/');
        buf_append(rel, p, nl);
        buf_cut(from, fb);
        if (fb)
            buf_putc(from, '/');
        buf_append(from, p, nl);
        p += nl + 1;
        if (t == 'f') {
            struct stat fs;
            ok = fstatat(fd, from->data, &fs, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(fs.st_mode);
            if (ok)
                walk_add(o, rel->data, rel->len, (unsigned long long)fs.st_ino, false, &fs);
        } else {
            subdirs = true;
            if (!walk_trusted(fd, rel, from, o)) {
                int sub = openat(fd, from->data, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                ok = sub >= 0;
                if (ok)
                    walk_dir(sub, rel, WALK_SPLIT, o, NULL, true);
            }
        }
    }
    buf_cut(rel, rb);
    buf_cut(from, fb);
    struct stat again;
    if (ok && subdirs)
        ok = (fb ? fstatat(fd, from->data, &again, AT_SYMLINK_NOFOLLOW) : fstat(fd, &again)) == 0 &&
             S_ISDIR(again.st_mode) && folder_same(&again, r);
    if (!ok) {
        o->n = n0;
        o->n_dirs = d0;
        o->listed = l0;
        o->trusted = t0;
        return false;
    }
    if (!r->names_len)
        walk_add(o, rel->data, rb, 0, true, NULL);
    folder_add(o, rel->data, rb, &st, r->names, r->names_len, true);
    o->trusted++;
    return true;
}

/* List the folder fd (closed after), whose path in the tree is rel: every
 * regular file, and the folder itself when empty, into o; a folder at
 * depth WALK_SPLIT goes to jobs when there are jobs, else is walked here
 * (from the record when trust and the record has it: walk_trusted).
 * Anything else (a symbolic link, a FIFO, a device) was never made by
 * lobgen: it is removed at once, so that no later write in the tree can
 * follow it elsewhere. By getdents64 and not readdir: fdopendir costs two
 * more system calls per folder. The folder's fstat, taken before it is
 * read, and its names go to o's folders for the next record.
 *
 * getdents64 is called until it returns 0, also after a short read: the
 * kernel's filldir64 (fs/readdir.c) stops filling the buffer when a signal
 * is pending for the thread, which a stop (SIGSTOP, ^Z) or the cgroup
 * freezer makes so even with every signal blocked, and a name missed here
 * would be recorded and trusted by later builds; with the record, a build
 * lists only the folders that changed, so the call is rarely made. */
static void walk_dir(int fd, Buf *rel, int depth, WalkOut *o, Jobs *jobs, bool trust)
{
    char buf[32768] __attribute__((aligned(8)));
    size_t base = rel->len;
    struct stat ds;
    bool have_ds = fstat(fd, &ds) == 0;
    size_t n0 = o->n, d0 = o->n_dirs, l0 = o->listed, t0 = o->trusted;
    bool empty = true, any_trusted = false, removed = false;
    bool try_rec = trust && !jobs && o->rec && have_ds && (unsigned long long)ds.st_dev == o->dev;
    Buf names = BUF_INIT, from = BUF_INIT;
    o->listed++;
    for (;;) {
        long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (long off = 0; off < n;) {
            struct dirent64 *e = (struct dirent64 *)(void *)(buf + off);
            off += e->d_reclen;
            const char *nm = e->d_name;
            if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2])))
                continue;
            if (!base && !strcmp(nm, MARKER))
                continue; /* written anew by writer_open */
            unsigned char t = e->d_type;
            if (t == DT_UNKNOWN) {
                struct stat st;
                if (fstatat(fd, nm, &st, AT_SYMLINK_NOFOLLOW) != 0)
                    continue;
                t = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
            }
            size_t nl = strlen(nm);
            buf_cut(rel, base);
            if (base)
                buf_putc(rel, '/');
            buf_append(rel, nm, nl);
            empty = empty && t != DT_REG && t != DT_DIR; /* what is removed below does not count */
            if (t == DT_REG || t == DT_DIR) {
                buf_putc(&names, t == DT_REG ? 'f' : 'd');
                buf_append(&names, nm, nl + 1);
            }
            if (t == DT_REG) {
                /* the stat a reuse of this file needs (writer_link_previous),
                 * taken here, where the folder is open: short lookups, on
                 * threads, and no second open of the folder later */
                struct stat st;
                bool sok = fstatat(fd, nm, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
                walk_add(o, rel->data, rel->len, (unsigned long long)e->d_ino, false, sok ? &st : NULL);
            } else if (t == DT_DIR) {
                if (jobs && depth + 1 >= WALK_SPLIT) {
                    ALLOC_GROW(jobs->v, jobs->n + 1, jobs->cap);
                    jobs->v[jobs->n++] = xstrdup(rel->data);
                    continue;
                }
                if (try_rec) {
                    buf_clear(&from);
                    buf_append(&from, nm, nl);
                    if (walk_trusted(fd, rel, &from, o)) {
                        any_trusted = true;
                        continue;
                    }
                }
                int sub = openat(fd, nm, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub >= 0)
                    walk_dir(sub, rel, depth + 1, o, jobs, trust);
            } else {
                unlinkat(fd, nm, 0);
                removed = true;
            }
        }
    }
    buf_cut(rel, base);
    buf_free(&from);
    /* a folder taken from the record was replaced or renamed while this
     * folder was read (its times changed): read again, trusting nothing */
    struct stat again;
    if (any_trusted && (fstat(fd, &again) != 0 || again.st_ino != ds.st_ino ||
                        ts_ns(&again.st_ctim) != ts_ns(&ds.st_ctim) || ts_ns(&again.st_mtim) != ts_ns(&ds.st_mtim))) {
        o->n = n0;
        o->n_dirs = d0;
        o->listed = l0;
        o->trusted = t0;
        buf_free(&names);
        lseek(fd, 0, SEEK_SET);
        walk_dir(fd, rel, depth, o, jobs, false);
        return;
    }
    if (empty && base)
        walk_add(o, rel->data, base, 0, true, NULL);
    if (have_ds)
        folder_add(o, rel->data, base, &ds, arena_strndup(o->a, names.data ? names.data : "", names.len), names.len,
                   !removed && not_racy(&ds, o->t0));
    buf_free(&names);
    close(fd);
}

/* The walk of the spare's folders below WALK_SPLIT runs in the background
 * from writer_open on, while the build does its serial work (reading the
 * manifest, on one core): a no-op build's walk then costs little wall time.
 * Everything that needs its names waits for it (spare_ready) and lends a
 * hand with the folders left. */
struct Walk {
    int root;
    unsigned long long dev; /* the spare's device, which its files are on */
    const FolderIndex *rec; /* the record of the spare's tree, or NULL */
    long long t0;           /* the clock before the walk began */
    Jobs jobs;
    atomic_size_t next;
    WalkOut *outs; /* [cap_outs] */
    int cap_outs;
    atomic_int n_outs;
    atomic_int running;   /* walkers still at it; the last one indexes the names */
    pthread_t th[64];
    int n_th;
    pthread_mutex_t lock; /* one waiter helps and joins */
    atomic_bool ready;    /* the names are indexed and the threads joined */
};

static void walk_jobs(Walk *ww)
{
    WalkOut *o = &ww->outs[atomic_fetch_add(&ww->n_outs, 1)];
    o->a = arena_new();
    o->dev = ww->dev;
    o->rec = ww->rec;
    o->t0 = ww->t0;
    size_t i;
    Buf rel = BUF_INIT, from = BUF_INIT;
    while ((i = atomic_fetch_add(&ww->next, 1)) < ww->jobs.n) {
        buf_clear(&rel);
        buf_puts(&rel, ww->jobs.v[i]);
        int fd = openat(ww->root, rel.data, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;
        /* a kind's folder (nl/thuisopdrachten: thousands of names) taken
         * from the record like the folders in it, by the fstat of the
         * open folder, else listed */
        buf_clear(&from);
        if (o->rec && walk_trusted(fd, &rel, &from, o)) {
            close(fd);
            continue;
        }
        walk_dir(fd, &rel, WALK_SPLIT, o, NULL, true);
    }
    buf_free(&rel);
    buf_free(&from);
}

/* All names in one table, by the walker that finished last. */
static void spare_index(Spare *s)
{
    Walk *ww = s->walk;
    s->outs = ww->outs;
    s->n_outs = atomic_load(&ww->n_outs);
    size_t total = 0;
    for (int t = 0; t < s->n_outs; t++)
        total += s->outs[t].n;
    s->cap = 16;
    while (s->cap < 2 * total + 2)
        s->cap *= 2;
    s->slot = xcalloc(s->cap, sizeof *s->slot);
    for (int t = 0; t < s->n_outs; t++)
        for (size_t k = 0; k < s->outs[t].n; k++) {
            OldName *e = &s->outs[t].v[k];
            size_t i = e->hash & (s->cap - 1);
            while (s->slot[i].e)
                i = (i + 1) & (s->cap - 1);
            s->slot[i].hash = e->hash;
            s->slot[i].e = e;
        }
    size_t nd = 0;
    for (int t = 0; t < s->n_outs; t++)
        nd += s->outs[t].n_dirs;
    folder_index_init(&s->walked, nd);
    for (int t = 0; t < s->n_outs; t++)
        for (size_t k = 0; k < s->outs[t].n_dirs; k++)
            folder_index_add(&s->walked, &s->outs[t].dirs[k]);
}

/* One walker's share; the last to finish indexes. */
static void walk_share(Spare *s)
{
    walk_jobs(s->walk);
    if (atomic_fetch_sub(&s->walk->running, 1) == 1)
        spare_index(s);
}

static void *walk_thread(void *arg)
{
    walk_share(arg);
    return NULL;
}

static void spare_ready(Spare *s);

/* Before any fork (pool.h: audio.c speaks each text in a forked child, and
 * a walker may hold a lock in malloc or a sanitizer's allocator) every walk
 * is finished and its threads joined, as when the walk was not in the
 * background. */
static void finish_walk(void *s) { spare_ready(s); }

/* Start walking the claimed spare at root: the folders above WALK_SPLIT
 * here (a few dozen), the rest on background threads. The files are
 * stat'ed by the walk (the stat writer_link_previous needs), not read. */
static Spare *spare_walk_start(int root, FolderRec *rec_v, size_t n_rec)
{
    int threads = default_threads();
    if (threads > 64)
        threads = 64;
    Spare *s = xcalloc(1, sizeof *s);
    Walk *ww = s->walk = xcalloc(1, sizeof *ww);
    ww->root = root;
    /* before the first stat of the walk: a folder is trusted next time
     * only when its times are older than this by RACY_MARGIN_NS */
    ww->t0 = now_ns();
    s->rec_v = rec_v;
    if (rec_v) {
        folder_index_init(&s->rec, n_rec);
        for (size_t i = 0; i < n_rec; i++)
            folder_index_add(&s->rec, &rec_v[i]);
        ww->rec = &s->rec;
    }
    ww->cap_outs = threads + 2; /* the first listing, the threads, one helper */
    ww->outs = xcalloc((size_t)ww->cap_outs, sizeof *ww->outs);
    struct stat rs;
    ww->dev = fstat(root, &rs) == 0 ? (unsigned long long)rs.st_dev : ~0ULL;
    ww->outs[0].a = arena_new();
    ww->outs[0].dev = ww->dev;
    ww->outs[0].rec = ww->rec;
    ww->outs[0].t0 = ww->t0;
    atomic_init(&ww->n_outs, 1);
    atomic_init(&ww->next, 0);
    atomic_init(&ww->ready, false);
    pthread_mutex_init(&ww->lock, NULL);
    Buf rel = BUF_INIT;
    int fd = dup(root);
    if (fd >= 0) {
        lseek(fd, 0, SEEK_SET);
        walk_dir(fd, &rel, 0, &ww->outs[0], &ww->jobs, true);
    }
    buf_free(&rel);
    /* the caller's thread is busy elsewhere meanwhile: one walker fewer
     * than threads; with one thread (LOBGEN_JOBS=1) none, walked here, so
     * that a build's system calls come in the same order every run */
    int want = threads - 1;
    if (want > 0 && !fork_guard_begin(finish_walk, s))
        want = 0; /* no room: walked here */
    atomic_init(&ww->running, want);
    for (int i = 0; i < want; i++)
        if (pthread_create(&ww->th[ww->n_th], NULL, walk_thread, s) == 0)
            ww->n_th++;
    atomic_fetch_sub(&ww->running, want - ww->n_th);
    if (want > 0)
        fork_guard_end();
    if (!ww->n_th) { /* no thread: walked here */
        atomic_fetch_add(&ww->running, 1);
        walk_share(s);
    }
    return s;
}

/* Wait until the spare's names are known: help walk the folders left,
 * then join the walkers. Cheap once done; safe from several threads. */
static void spare_ready(Spare *s)
{
    if (!s || atomic_load_explicit(&s->walk->ready, memory_order_acquire))
        return;
    Walk *ww = s->walk;
    pthread_mutex_lock(&ww->lock);
    if (!atomic_load(&ww->ready)) {
        /* join in while walkers are still at it (then the last of all
         * indexes; if that is this thread, here) */
        int r = atomic_load(&ww->running);
        while (r > 0 && !atomic_compare_exchange_weak(&ww->running, &r, r + 1))
            ;
        if (r > 0)
            walk_share(s);
        for (int i = 0; i < ww->n_th; i++)
            pthread_join(ww->th[i], NULL);
        for (size_t i = 0; i < ww->jobs.n; i++)
            free(ww->jobs.v[i]);
        free(ww->jobs.v);
        ww->jobs.v = NULL;
        /* the record was for the walk (what it took from it points into
         * the file's bytes, not here) */
        free(s->rec_v);
        free(s->rec.slot);
        s->rec_v = NULL;
        s->rec.slot = NULL;
        s->rec.cap = 0;
        atomic_store_explicit(&ww->ready, true, memory_order_release);
    }
    pthread_mutex_unlock(&ww->lock);
}

static void spare_free(Spare *s)
{
    if (!s)
        return;
    fork_guard_forget(s);
    spare_ready(s);
    pthread_mutex_destroy(&s->walk->lock);
    free(s->walk);
    for (int t = 0; t < s->n_outs; t++) {
        free(s->outs[t].v);
        free(s->outs[t].dirs);
        arena_free(s->outs[t].a);
    }
    free(s->outs);
    free(s->slot);
    free(s->rec_v);
    free(s->rec.slot);
    free(s->walked.slot);
    free(s);
}

static OldName *spare_find(const Spare *s, const char *rel)
{
    if (!s)
        return NULL;
    size_t len = strlen(rel);
    uint64_t h = XXH3_64bits(rel, len);
    for (size_t i = h & (s->cap - 1); s->slot[i].e; i = (i + 1) & (s->cap - 1))
        if (s->slot[i].hash == h && !strcmp(s->slot[i].e->rel, rel))
            return s->slot[i].e;
    return NULL;
}

void writer_prefetch(Writer *w, const char *rel, int stage)
{
    if (w->dry || !w->spare)
        return;
    spare_ready(w->old);
    const Spare *s = w->old;
    if (!s || !s->cap)
        return;
    size_t len = strlen(rel);
    uint64_t h = XXH3_64bits(rel, len);
    size_t i = h & (s->cap - 1);
    if (stage == 0) {
        __builtin_prefetch(&s->slot[i]);
        return;
    }
    /* the slot is in the cache now: the name it holds, then its path */
    for (; s->slot[i].e; i = (i + 1) & (s->cap - 1))
        if (s->slot[i].hash == h) {
            if (stage == 1)
                __builtin_prefetch(s->slot[i].e);
            else
                __builtin_prefetch(s->slot[i].e->rel);
            return;
        }
}

/* rel was replaced (put, linked over: seen 1) or removed (seen 0) in the
 * tree: the walk's stat of it no longer says what is there */
static void spare_seen(const Writer *w, const char *rel, unsigned char seen)
{
    OldName *e = spare_find(w->old, rel);
    if (e) {
        atomic_store_explicit(&e->stat_ok, 0, memory_order_relaxed);
        atomic_store(&e->seen, seen);
    }
}

/* The folders holding rel, from the deepest, removed while empty. */
static void rmdir_up(Writer *w, const char *rel)
{
    char p[2048];
    size_t n = strlen(rel);
    if (n >= sizeof p)
        return;
    memcpy(p, rel, n + 1);
    char *slash;
    while ((slash = strrchr(p, '/'))) {
        *slash = '\0';
        if (unlinkat(w->tmp_fd, p, AT_REMOVEDIR) != 0)
            break;
        touch_parent(w, p);
    }
}

/* After the build: what the spare held and the new site does not have is
 * removed, then the folders left empty. */
static void spare_prune(Writer *w)
{
    const Spare *s = w->old;
    for (int t = 0; s && t < s->n_outs; t++)
        for (size_t k = 0; k < s->outs[t].n; k++) {
            OldName *e = &s->outs[t].v[k];
            if (atomic_load(&e->seen))
                continue;
            if (unlinkat(w->tmp_fd, e->rel, e->dir ? AT_REMOVEDIR : 0) == 0) {
                touch_parent(w, e->rel);
                rmdir_up(w, e->rel);
            }
        }
}

/* In the way of writing rel into a spare: a file where rel needs a folder
 * (a site whose a.html became a/), or a folder at rel itself (the other way
 * round). Both are left from the old site, which the new one replaces:
 * removed, so the write can be tried again. */
static void clear_way(Writer *w, const char *rel)
{
    /* whatever it removes, below a folder too, the walk's stats of it are
     * stale: from now on every reuse stats the file again */
    atomic_store(&w->stats_stale, true);
    char p[2048];
    size_t n = strlen(rel);
    if (n >= sizeof p)
        return;
    memcpy(p, rel, n + 1);
    touch_dir(w, "", 0);
    for (const char *s = strchr(rel, '/'); s; s = strchr(s + 1, '/'))
        touch_dir(w, rel, (size_t)(s - rel));
    for (char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        struct stat st;
        if (fstatat(w->tmp_fd, p, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
            unlinkat(w->tmp_fd, p, 0);
        *s = '/';
    }
    struct stat st;
    if (fstatat(w->tmp_fd, p, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
        int fd = openat(w->tmp_fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0)
            rm_contents(fd);
        unlinkat(w->tmp_fd, p, AT_REMOVEDIR);
    }
}

/* A name of this thread's own beside path in the tree, for writing a file
 * before it is renamed over path: hidden, so never a name of the site.
 * In stack (cap bytes) when it fits, else in b. */
static const char *tmp_name(const char *path, char *stack, size_t cap, Buf *b)
{
    static atomic_uint next_id;
    static _Thread_local unsigned id;
    if (!id)
        id = atomic_fetch_add(&next_id, 1) + 1;
    const char *slash = strrchr(path, '/');
    int dl = slash ? (int)(slash - path) + 1 : 0;
    int n = snprintf(stack, cap, "%.*s.lobgen-put-%u", dl, path, id);
    if (n > 0 && (size_t)n < cap)
        return stack;
    buf_printf(b, "%.*s.lobgen-put-%u", dl, path, id);
    return b->data;
}

static bool put_file(Writer *w, const char *rel, const char *data, size_t len, Diags *d);
static void file_id_of(const struct stat *st, WriterFileId *id);

/* ---- the folder record (above): what the build changed, the file -------- */

/* The folder rel (len bytes; "" the root) of a claimed spare had a name
 * created, removed or renamed by this build, or was made by it. */
static void touch_dir(Writer *w, const char *rel, size_t len)
{
    if (!w->spare)
        return;
    uint64_t h = XXH3_64bits(rel, len);
    pthread_mutex_lock(&w->lock);
    if (2 * (w->n_touched + 1) > w->cap_touched) {
        size_t cap = w->cap_touched ? 2 * w->cap_touched : 64;
        __typeof__(w->touched) t = xcalloc(cap, sizeof *t);
        for (size_t i = 0; i < w->cap_touched; i++)
            if (w->touched[i].rel) {
                size_t j = w->touched[i].hash & (cap - 1);
                while (t[j].rel)
                    j = (j + 1) & (cap - 1);
                t[j] = w->touched[i];
            }
        free(w->touched);
        w->touched = t;
        w->cap_touched = cap;
    }
    size_t i = h & (w->cap_touched - 1);
    for (; w->touched[i].rel; i = (i + 1) & (w->cap_touched - 1))
        if (w->touched[i].hash == h && strlen(w->touched[i].rel) == len && !memcmp(w->touched[i].rel, rel, len))
            break;
    if (!w->touched[i].rel) {
        char *c = xmalloc(len + 1);
        memcpy(c, rel, len);
        c[len] = '\0';
        w->touched[i].hash = h;
        w->touched[i].rel = c;
        w->n_touched++;
    }
    pthread_mutex_unlock(&w->lock);
}

/* the folder that holds the name rel */
static void touch_parent(Writer *w, const char *rel)
{
    const char *slash = strrchr(rel, '/');
    touch_dir(w, rel, slash ? (size_t)(slash - rel) : 0);
}

/* touch_dir for a path below w->tmp (mkdirs_for's) */
static void touch_tmp_path(Writer *w, const char *path)
{
    size_t tl = strlen(w->tmp);
    if (!strncmp(path, w->tmp, tl) && path[tl] == '/')
        touch_dir(w, path + tl + 1, strlen(path + tl + 1));
    else if (!strcmp(path, w->tmp))
        touch_dir(w, "", 0);
}

/* a folder mkdirs_for made at path: it and the folder holding it */
static void touch_made(Writer *w, const char *path)
{
    touch_tmp_path(w, path);
    size_t tl = strlen(w->tmp);
    if (!strncmp(path, w->tmp, tl) && path[tl] == '/')
        touch_parent(w, path + tl + 1);
}

static bool is_touched(const Writer *w, const char *rel, size_t len)
{
    if (!w->cap_touched)
        return false;
    uint64_t h = XXH3_64bits(rel, len);
    for (size_t i = h & (w->cap_touched - 1); w->touched[i].rel; i = (i + 1) & (w->cap_touched - 1))
        if (w->touched[i].hash == h && strlen(w->touched[i].rel) == len && !memcmp(w->touched[i].rel, rel, len))
            return true;
    return false;
}

/* The record file: FOLDERS_MAGIC, the binary's identity (16 bytes), the
 * number of trees (u32) and 4 bytes of zeros, then per tree its root's
 * device and inode, its number of folders and the length of its body (u64
 * each) and the body: the number of distinct name lists (u32) and 4 bytes
 * of zeros, each list (u32 length, bytes: FolderRec.names; most page
 * folders hold the same names), then per folder its inode, change and
 * modification time in ns (u64, i64, i64), the length of its path, the
 * index of its name list, 1 when trusted (u32 each), 4 bytes of zeros and
 * the path; at the end XXH3-64 of every byte before it. Host byte order:
 * only the binary that wrote it reads it. About 86 bytes per folder: 13.8
 * MB for the site and the spare at 10,000
 * materials x 8 languages. */
#define FOLDERS_MAGIC "lobgen-folders2\n"
#define FOLDER_HEAD 40

static uint64_t rd64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint32_t rd32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static void put64(Buf *b, uint64_t v) { buf_append(b, (const char *)&v, 8); }
static void put32(Buf *b, uint32_t v) { buf_append(b, (const char *)&v, 4); }

/* The record file at path, read and checked (magic, this binary's
 * identity, checksum, the trees' bounds): malloc'ed, its length in *len
 * and its fstat in *st; NULL when missing, damaged, cut or foreign. */
static char *folders_read(const char *path, size_t *len, struct stat *st)
{
    char *raw = read_file_stat(path, len, st);
    if (!raw)
        return NULL;
    uint64_t id[2];
    cachefile_binary_id(id);
    size_t n = *len;
    bool ok = S_ISREG(st->st_mode) && n >= 48 && !memcmp(raw, FOLDERS_MAGIC, 16) && (id[0] || id[1]) &&
              !memcmp(raw + 16, id, 16) && rd64(raw + n - 8) == XXH3_64bits(raw, n - 8) && rd32(raw + 32) <= 2;
    size_t off = 40;
    for (uint32_t t = 0; ok && t < rd32(raw + 32); t++) {
        ok = n - 8 - off >= 32 && rd64(raw + off + 24) <= n - 8 - off - 32;
        if (ok)
            off += 32 + (size_t)rd64(raw + off + 24);
    }
    if (!ok || off != n - 8) {
        free(raw);
        return NULL;
    }
    return raw;
}

/* The tree with root (dev, ino) in a checked record file: the offset of
 * its header, or 0 when it has none. */
static size_t folders_tree(const char *raw, unsigned long long dev, unsigned long long ino)
{
    size_t off = 40;
    for (uint32_t t = 0; t < rd32(raw + 32); t++) {
        if (rd64(raw + off) == dev && rd64(raw + off + 8) == ino)
            return off;
        off += 32 + (size_t)rd64(raw + off + 24);
    }
    return 0;
}

/* A name in a record: never leads out of its folder ('/', ".", ".."). */
static bool record_name_ok(const char *p, size_t n)
{
    return n && !memchr(p, '/', n) && !(p[0] == '.' && (n == 1 || (n == 2 && p[1] == '.')));
}

/* The folders of the tree whose header is at raw + off: malloc'ed array
 * (names and paths point into raw), count in *n; NULL when any is not
 * well formed (the whole record is then not used). */
static FolderRec *folders_decode(const char *raw, size_t off, size_t *n)
{
    uint64_t nf = rd64(raw + off + 16), blen = rd64(raw + off + 24);
    const char *p = raw + off + 32, *end = p + blen;
    if (blen < 8 || nf > blen / FOLDER_HEAD)
        return NULL;
    uint32_t ns = rd32(p);
    p += 8;
    if (ns > (size_t)(end - p) / 4)
        return NULL;
    struct {
        const char *s;
        uint32_t len;
    } *sets = xmalloc((ns ? ns : 1) * sizeof *sets);
    bool ok = true;
    for (uint32_t i = 0; ok && i < ns; i++) {
        uint32_t l = (size_t)(end - p) >= 4 ? rd32(p) : UINT32_MAX;
        ok = l <= (size_t)(end - p) - 4;
        if (!ok)
            break;
        sets[i].s = p + 4;
        sets[i].len = l;
        for (const char *q = p + 4, *qe = p + 4 + l; ok && q < qe;) {
            const char *z = memchr(q + 1, '\0', (size_t)(qe - q - 1));
            ok = (q[0] == 'f' || q[0] == 'd') && q + 1 < qe && z && record_name_ok(q + 1, (size_t)(z - q - 1));
            q = z ? z + 1 : qe;
        }
        p += 4 + l;
    }
    FolderRec *v = ok ? xmalloc((nf ? nf : 1) * sizeof *v) : NULL;
    size_t k = 0;
    for (; ok && k < nf; k++) {
        if ((size_t)(end - p) < FOLDER_HEAD)
            break;
        uint32_t rl = rd32(p + 24), si = rd32(p + 28);
        if ((size_t)(end - p) - FOLDER_HEAD < rl || si >= ns || memchr(p + FOLDER_HEAD, '\0', rl))
            break;
        v[k] = (FolderRec){p + FOLDER_HEAD, sets[si].s, rl, sets[si].len, rd32(p + 32) == 1, rd64(p),
                           (long long)rd64(p + 8), (long long)rd64(p + 16)};
        p += FOLDER_HEAD + rl;
    }
    free(sets);
    if (!ok || k < nf || p != end) {
        free(v);
        return NULL;
    }
    *n = k;
    return v;
}

/* The record of one tree as it is written: the name lists, each once,
 * and the folders. */
typedef struct {
    Buf sets, folders;
    size_t n_sets, n_folders;
    struct {
        uint64_t hash;
        uint32_t len, index;
        size_t off; /* of the list's bytes in sets */
    } *slot;
    size_t cap;
    /* the list asked for last: its length, index and offset in sets */
    uint32_t last_len, last_index;
    size_t last_off, slot_off_of_last;
} RecordOut;

static uint32_t record_set_find(RecordOut *ro, const char *names, uint32_t len);

static uint32_t record_set(RecordOut *ro, const char *names, uint32_t len)
{
    /* most page folders hold the list of the folder before them: one
     * memcmp instead of a hash and a lookup */
    if (ro->n_sets && len == ro->last_len && !memcmp(ro->sets.data + ro->last_off, names, len))
        return ro->last_index;
    ro->last_index = record_set_find(ro, names, len);
    ro->last_len = len;
    ro->last_off = ro->slot_off_of_last;
    return ro->last_index;
}

static uint32_t record_set_find(RecordOut *ro, const char *names, uint32_t len)
{
    if (2 * (ro->n_sets + 1) > ro->cap) {
        size_t cap = ro->cap ? 2 * ro->cap : 256;
        __typeof__(ro->slot) t = xcalloc(cap, sizeof *t);
        for (size_t i = 0; i < ro->cap; i++)
            if (ro->slot[i].off) {
                size_t j = ro->slot[i].hash & (cap - 1);
                while (t[j].off)
                    j = (j + 1) & (cap - 1);
                t[j] = ro->slot[i];
            }
        free(ro->slot);
        ro->slot = t;
        ro->cap = cap;
    }
    uint64_t h = XXH3_64bits(names, len);
    size_t i = h & (ro->cap - 1);
    for (; ro->slot[i].off; i = (i + 1) & (ro->cap - 1))
        if (ro->slot[i].hash == h && ro->slot[i].len == len && !memcmp(ro->sets.data + ro->slot[i].off, names, len)) {
            ro->slot_off_of_last = ro->slot[i].off;
            return ro->slot[i].index;
        }
    put32(&ro->sets, len);
    ro->slot_off_of_last = ro->sets.len;
    ro->slot[i] = (__typeof__(*ro->slot)){h, len, (uint32_t)ro->n_sets, ro->sets.len};
    buf_append(&ro->sets, names, len);
    return (uint32_t)ro->n_sets++;
}

static void record_out_free(RecordOut *ro)
{
    buf_free(&ro->sets);
    buf_free(&ro->folders);
    free(ro->slot);
}

static void folder_put(RecordOut *ro, const FolderRec *r)
{
    Buf *b = &ro->folders;
    uint32_t set = record_set(ro, r->names, r->names_len);
    put64(b, r->ino);
    put64(b, (uint64_t)r->ctime_ns);
    put64(b, (uint64_t)r->mtime_ns);
    put32(b, r->rel_len);
    put32(b, set);
    put32(b, r->trusted ? 1 : 0);
    put32(b, 0);
    buf_append(b, r->rel, r->rel_len);
    ro->n_folders++;
}

/* The folder rel of the tree, and every folder in it, into body as they
 * are now: the walk's stat and names where this build did not touch the
 * folder (a folder it took from the record keeps the record's), else
 * listed again with an fstat taken before (not_racy against t0, read
 * before any of them). */
static void record_folder(Writer *w, Buf *rel, RecordOut *ro, long long t0)
{
    const FolderRec *e = is_touched(w, rel->data ? rel->data : "", rel->len)
                             ? NULL
                             : folder_find(&w->old->walked, rel->data ? rel->data : "", rel->len);
    Buf own = BUF_INIT;
    FolderRec r;
    if (e) {
        r = *e;
    } else {
        int fd = openat(w->tmp_fd, rel->len ? rel->data : ".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        struct stat st;
        if (fd < 0)
            return;
        if (fstat(fd, &st) != 0) {
            close(fd);
            return;
        }
        char buf[32768] __attribute__((aligned(8)));
        long n;
        bool odd = false;
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
            for (long off = 0; off < n;) {
                struct dirent64 *de = (struct dirent64 *)(void *)(buf + off);
                off += de->d_reclen;
                const char *nm = de->d_name;
                if ((nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2]))) || (!rel->len && !strcmp(nm, MARKER)))
                    continue;
                unsigned char t = de->d_type;
                struct stat fs;
                if (t == DT_UNKNOWN && fstatat(fd, nm, &fs, AT_SYMLINK_NOFOLLOW) == 0)
                    t = S_ISDIR(fs.st_mode) ? DT_DIR : S_ISREG(fs.st_mode) ? DT_REG : DT_LNK;
                if (t == DT_REG || t == DT_DIR) {
                    buf_putc(&own, t == DT_REG ? 'f' : 'd');
                    buf_append(&own, nm, strlen(nm) + 1);
                } else {
                    odd = true; /* not lobgen's: the next walk lists the folder and removes it */
                }
            }
        close(fd);
        r = (FolderRec){rel->data ? rel->data : "", own.data ? own.data : "", (uint32_t)rel->len, (uint32_t)own.len,
                        n == 0 && !odd && not_racy(&st, t0), (unsigned long long)st.st_ino, ts_ns(&st.st_ctim),
                        ts_ns(&st.st_mtim)};
    }
    r.rel = rel->data ? rel->data : "";
    folder_put(ro, &r);
    size_t base = rel->len;
    for (const char *p = r.names, *end = r.names + r.names_len; p < end;) {
        char t = *p++;
        size_t nl = strlen(p);
        if (t == 'd') {
            buf_cut(rel, base);
            if (base)
                buf_putc(rel, '/');
            buf_append(rel, p, nl);
            record_folder(w, rel, ro, t0);
        }
        p += nl + 1;
    }
    buf_cut(rel, base);
    buf_free(&own);
}

/* Under the publishing lock, once the tree at tmp_fd (root) is published:
 * the record file holds its record (ro) and the record of the tree it
 * replaced (root old; none when have_old is false), which becomes the
 * spare; every other is dropped. Written piece by piece, never whole in
 * memory. When it cannot be written the next builds list. */
static void folders_save(Writer *w, RecordOut *ro, const struct stat *root, bool have_old, const struct stat *old)
{
    char *path = sibling(w->out, "folders");
    /* the file as read at writer_open, unless another build wrote it since */
    char *raw = NULL;
    size_t len = 0;
    struct stat st;
    if (have_old) {
        if (w->rec_raw && lstat(path, &st) == 0 && st.st_ino == w->rec_st.st_ino && st.st_dev == w->rec_st.st_dev &&
            st.st_size == w->rec_st.st_size && ts_ns(&st.st_mtim) == ts_ns(&w->rec_st.st_mtim) &&
            ts_ns(&st.st_ctim) == ts_ns(&w->rec_st.st_ctim)) {
            raw = w->rec_raw;
            len = w->rec_len;
        } else {
            free(w->rec_raw); /* the spare's record, which points into it, is not used any more */
            w->rec_raw = raw = folders_read(path, &len, &st);
            w->rec_len = len;
        }
    }
    size_t off = raw ? folders_tree(raw, (unsigned long long)old->st_dev, (unsigned long long)old->st_ino) : 0;
    uint64_t id[2];
    cachefile_binary_id(id);
    if (!id[0] && !id[1]) {
        free(path);
        return;
    }
    CacheOut *o = cachefile_begin(path);
    Buf b = BUF_INIT;
    buf_append(&b, FOLDERS_MAGIC, 16);
    put64(&b, id[0]);
    put64(&b, id[1]);
    put32(&b, off ? 2 : 1);
    put32(&b, 0);
    put64(&b, (uint64_t)root->st_dev);
    put64(&b, (uint64_t)root->st_ino);
    put64(&b, ro->n_folders);
    put64(&b, 8 + ro->sets.len + ro->folders.len);
    put32(&b, (uint32_t)ro->n_sets);
    put32(&b, 0);
    cachefile_drain(o, &b, 0);
    /* the large pieces are written from where they lie (drained: emptied) */
    cachefile_drain(o, &ro->sets, 1);
    cachefile_drain(o, &ro->folders, 1);
    if (off) { /* the other tree's record as it is, through b a piece at a time */
        const char *p = raw + off, *e = p + 32 + (size_t)rd64(raw + off + 24);
        while (p < e) {
            size_t k = (size_t)(e - p) < (1u << 20) ? (size_t)(e - p) : (1u << 20);
            buf_append(&b, p, k);
            cachefile_drain(o, &b, 0);
            p += k;
        }
    }
    put64(&b, cachefile_sum(o));
    cachefile_end(o, &b);
    buf_free(&b);
    free(path);
}

void writer_walk_counts(Writer *w, size_t *listed, size_t *trusted)
{
    *listed = *trusted = 0;
    if (!w->old)
        return;
    spare_ready(w->old);
    for (int t = 0; t < w->old->n_outs; t++) {
        *listed += w->old->outs[t].listed;
        *trusted += w->old->outs[t].trusted;
    }
}

/* The output path exists and is no folder (lstat st). A symbolic link
 * (site -> /var/www/lob) is the common case: the output is swapped whole,
 * which would replace the link and leave its target as it was, so the
 * target itself is the folder to name. */
static void not_a_folder(const char *out, const struct stat *st, Diags *d)
{
    char *target = S_ISLNK(st->st_mode) ? realpath(out, NULL) : NULL;
    if (target)
        diag_error(d, out, 0, 0,
                   "the output is a symbolic link to %s; lobgen replaces the output folder whole and does not "
                   "follow a link, so name that folder itself: --output %s",
                   target, target);
    else if (S_ISLNK(st->st_mode))
        diag_error(d, out, 0, 0,
                   "the output is a symbolic link to nothing; remove it, or name the output folder with --output");
    else
        diag_error(d, out, 0, 0, "the output path exists and is not a folder; name another output folder with --output");
    free(target);
}

Writer *writer_open(const char *out_dir, bool dry_run, Diags *d)
{
    Writer *w = xcalloc(1, sizeof *w);
    static atomic_ulong serials;
    w->serial = atomic_fetch_add(&serials, 1) + 1;
    Buf o = BUF_INIT;
    buf_puts(&o, out_dir);
    while (o.len > 1 && o.data[o.len - 1] == '/')
        o.data[--o.len] = '\0';
    w->out = buf_detach(&o);
    w->dry = dry_run;
    w->tmp_fd = -1;
    pthread_mutex_init(&w->lock, NULL);
    if (dry_run)
        return w;
    struct stat st;
    if (lstat(w->out, &st) == 0 && !S_ISDIR(st.st_mode)) {
        not_a_folder(w->out, &st, d);
        writer_abort(w);
        return NULL;
    }
    /* Never replace a folder that lobgen did not make: an output path
     * mistyped as someone's documents folder must not be swapped away. */
    if (lstat(w->out, &st) == 0 && !dir_is_empty(w->out) && !has_marker(w->out)) {
        diag_error(d, w->out, 0, 0,
                   "this folder exists and was not made by lobgen, so it will not be replaced; "
                   "remove it or name another output folder with --output");
        writer_abort(w);
        return NULL;
    }
    /* the lock, the build's own folder and the manifest live beside the
     * output: its parent must be there (lobgen makes no folders above it) */
    char *parent = parent_of(w->out);
    if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode)) {
        diag_error(d, w->out, 0, 0,
                   "the folder %s, which would hold the output folder, does not exist; create it first "
                   "(mkdir -p %s) or name another output folder with --output",
                   parent, parent);
        free(parent);
        writer_abort(w);
        return NULL;
    }
    free(parent);
    int lk = publish_lock(w->out, d);
    if (lk < 0) {
        writer_abort(w);
        return NULL;
    }
    clear_stale(w->out);
    /* a name of its own: two builds into one output never share a folder */
    w->tmp = sibling(w->out, "new-XXXXXX");
    bool ok = mkdtemp(w->tmp) != NULL;
    /* The spare, when lobgen made it, becomes this build's folder: taken
     * under the lock and renamed away, a second build finds none and
     * starts a fresh folder. */
    char *spare = sibling(w->out, "spare");
    if (ok && lstat(spare, &st) == 0 && S_ISDIR(st.st_mode) && has_marker(spare) && rename(spare, w->tmp) == 0)
        w->spare = w->keep = true;
    free(spare);
    if (ok) {
        w->tmp_fd = open(w->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        ok = w->tmp_fd >= 0 && flock(w->tmp_fd, LOCK_EX | LOCK_NB) == 0 && fchmod(w->tmp_fd, 0755) == 0;
    }
    int e = errno;
    publish_unlock(lk);
    if (!ok) {
        diag_error(d, w->tmp, 0, 0, "cannot create the build folder: %s", strerror(e));
        if (w->tmp_fd < 0) { /* mkdtemp failed or the folder is not ours to remove */
            free(w->tmp);
            w->tmp = NULL;
        }
        writer_abort(w);
        return NULL;
    }
    static const char note[] = "This folder is built by lobgen and replaced whole by every build.\n";
    bool marked = put_file(w, MARKER, note, sizeof note - 1, d);
    /* after the marker, which the walk leaves out (it is this build's):
     * nothing else is written into the tree before the walk is done */
    if (w->spare && marked) {
        /* the record of this tree, from the build that published it last */
        FolderRec *rec = NULL;
        size_t n_rec = 0;
        char *path = sibling(w->out, "folders");
        w->rec_raw = folders_read(path, &w->rec_len, &w->rec_st);
        free(path);
        size_t off = w->rec_raw && fstat(w->tmp_fd, &st) == 0
                         ? folders_tree(w->rec_raw, (unsigned long long)st.st_dev, (unsigned long long)st.st_ino)
                         : 0;
        if (off)
            rec = folders_decode(w->rec_raw, off, &n_rec);
        w->old = spare_walk_start(w->tmp_fd, rec, n_rec);
    }
    if (!marked) {
        writer_abort(w);
        return NULL;
    }
    return w;
}

static bool valid_rel(const char *rel)
{
    if (!rel[0] || rel[0] == '/')
        return false;
    const char *p = rel;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0 || p[0] == '.' || memchr(p, '\\', n))
            return false;
        if (!e)
            break;
        p = e + 1;
    }
    return rel[strlen(rel) - 1] != '/';
}

/* Create the folders of path below w->tmp, never w->tmp itself: a build
 * folder removed under a build must fail its writes, not be recreated.
 * Usually only the last folder is missing (a material's folder in a kind's
 * folder that exists): try it first and walk up only on ENOENT, so a new
 * folder costs one mkdir, not one per level. */
static bool mkdirs_for(Writer *w, const char *path)
{
    char *tmp = xstrdup(path);
    size_t root = strlen(w->tmp);
    char *cuts[64];
    size_t n = 0;
    for (char *p = strchr(tmp + root + 1, '/'); p && n < 64; p = strchr(p + 1, '/'))
        cuts[n++] = p;
    size_t k = n; /* cuts[k..n) are created; find the deepest that exists */
    while (k > 0) {
        *cuts[k - 1] = '\0';
        int r = mkdir(tmp, 0755);
        int e = errno;
        if (r == 0)
            touch_made(w, tmp);
        *cuts[k - 1] = '/';
        if (r == 0 || e == EEXIST)
            break;
        if (e != ENOENT) {
            free(tmp);
            errno = e;
            return false;
        }
        k--;
    }
    for (size_t i = k; i < n; i++) {
        *cuts[i] = '\0';
        int r = mkdir(tmp, 0755);
        if (r != 0 && errno != EEXIST) {
            int e = errno;
            free(tmp);
            errno = e;
            return false;
        }
        if (r == 0)
            touch_made(w, tmp);
        *cuts[i] = '/';
    }
    free(tmp);
    return true;
}

bool writer_put(Writer *w, const char *rel, const char *data, size_t len, Diags *d)
{
    if (!valid_rel(rel)) {
        diag_error(d, rel, 0, 0, "refusing to write outside the output folder");
        return false;
    }
    atomic_fetch_add_explicit(&w->count, 1, memory_order_relaxed);
    spare_ready(w->old);
    return w->dry || put_file(w, rel, data, len, d);
}

/* The file this thread wrote last (put_file), so that writer_file_id, asked
 * right after a write (incremental.c records every page it writes), needs
 * no second walk of the path: fstat on the open file gave its id. */
static _Thread_local struct {
    unsigned long serial; /* the writer's; 0: none (a freed writer's address may come back) */
    char rel[1024];
    WriterFileId id;
} last_put;

static bool put_file(Writer *w, const char *rel, const char *data, size_t len, Diags *d)
{
    /* the path on the stack: a Buf per file was a malloc and a free per page */
    char path[2048];
    size_t tl = strlen(w->tmp), rl = strlen(rel);
    Buf p = BUF_INIT;
    char *pd = path;
    if (tl + 1 + rl < sizeof path) {
        memcpy(path, w->tmp, tl);
        path[tl] = '/';
        memcpy(path + tl + 1, rel, rl + 1);
    } else {
        buf_printf(&p, "%s/%s", w->tmp, rel);
        pd = p.data;
    }
    last_put.serial = 0;
    /* In a spare every file is written beside its name and renamed over it:
     * the file at rel may be the published site's (shared), and the name
     * never holds half a file. */
    char tpath[2100];
    Buf tb = BUF_INIT;
    const char *wp = pd;
    if (w->spare)
        wp = tmp_name(pd, tpath, sizeof tpath, &tb);
    /* O_EXCL: a file at rel may be a hard link to the published site's
     * (writer_link_previous), which must never be written in place; a name
     * written twice is unlinked and made anew */
    const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    /* most folders exist already: create them only when open says so */
    int fd = open(wp, flags, 0644);
    if (fd < 0 && errno == ENOENT && mkdirs_for(w, wp))
        fd = open(wp, flags, 0644);
    if (fd < 0 && errno == ENOTDIR && w->spare) {
        clear_way(w, rel);
        if (mkdirs_for(w, wp))
            fd = open(wp, flags, 0644);
    }
    if (fd < 0 && errno == EEXIST && unlink(wp) == 0)
        fd = open(wp, flags, 0644);
    bool ok = fd >= 0 && write_all(fd, data, len);
    int e = errno;
    struct stat st;
    /* after the last write: size and modification time are final */
    if (ok && rl < sizeof last_put.rel && fstat(fd, &st) == 0) {
        file_id_of(&st, &last_put.id);
        memcpy(last_put.rel, rel, rl + 1);
        last_put.serial = w->serial;
    }
    if (fd >= 0 && close(fd) != 0 && ok) {
        ok = false;
        e = errno;
        last_put.serial = 0;
    }
    if (w->spare && ok) {
        int r = rename(wp, pd);
        if (r != 0 && (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST || errno == ENOTDIR)) {
            clear_way(w, rel);
            r = rename(wp, pd);
        }
        if (r == 0) {
            spare_seen(w, rel, 1);
        } else {
            ok = false;
            e = errno;
            last_put.serial = 0;
        }
    }
    if (w->spare && fd >= 0 && !ok)
        unlink(wp);
    touch_parent(w, rel);
    buf_free(&tb);
    if (!ok) {
        pthread_mutex_lock(&w->lock);
        bool first = w->n_failed++ == 0;
        pthread_mutex_unlock(&w->lock);
        if (first)
            diag_error(d, pd, 0, 0, "cannot write: %s%s", strerror(e),
                       e == ENOSPC || e == EDQUOT || e == EFBIG ? "; free space on the disk (or raise the quota) and build again" : "");
    }
    buf_free(&p);
    return ok;
}

/* ---- incremental builds (incremental.h) ---------------------------------- */

static void file_id_of(const struct stat *st, WriterFileId *id)
{
    *id = (WriterFileId){(unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
                         (unsigned long long)st->st_size, (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec};
}

static bool same_file_id(const WriterFileId *x, const WriterFileId *y)
{
    return x->dev == y->dev && x->ino == y->ino && x->size == y->size && x->mtime_s == y->mtime_s &&
           x->mtime_ns == y->mtime_ns;
}

bool writer_file_id(const Writer *w, const char *rel, WriterFileId *id)
{
    if (w->dry || !valid_rel(rel))
        return false;
    if (last_put.serial == w->serial && !strcmp(last_put.rel, rel)) {
        *id = last_put.id;
        return true;
    }
    Buf p = BUF_INIT;
    buf_printf(&p, "%s/%s", w->tmp, rel);
    struct stat st;
    bool ok = lstat(p.data, &st) == 0 && S_ISREG(st.st_mode);
    if (ok)
        file_id_of(&st, id);
    buf_free(&p);
    return ok;
}

bool writer_link_previous(Writer *w, const char *rel, const WriterFileId *expect)
{
    last_put.serial = 0; /* rel may be the name put_file wrote last */
    if (w->dry || !valid_rel(rel))
        return false;
    spare_ready(w->old);
    struct stat st;
    WriterFileId got;
    bool ok = false;
    if (w->spare) {
        /* the spare holds the very file already (unchanged in the last two
         * builds): kept, after the stat that catches a file edited since,
         * taken by the walk (no system call here) unless the name was
         * replaced or removed after it */
        OldName *e = spare_find(w->old, rel);
        if (e && !e->dir && e->ino == expect->ino) {
            bool have = false;
            if (atomic_load_explicit(&e->stat_ok, memory_order_relaxed) && !atomic_load(&w->stats_stale)) {
                got = (WriterFileId){w->old->walk->dev, e->ino, e->size, e->mtime_s, e->mtime_ns};
                have = true;
            } else if (fstatat(w->tmp_fd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
                file_id_of(&st, &got);
                have = true;
            }
            if (have && same_file_id(&got, expect)) {
                atomic_store(&e->seen, 1);
                ok = true;
            }
        }
    }
    if (!ok) {
        /* else the published file linked in: in a spare to a name of its own
         * first, renamed over rel once it proved to be the file expected */
        Buf from = BUF_INIT, to = BUF_INIT, tb = BUF_INIT; /* one per linked file: no printf */
        buf_puts(&from, w->out);
        buf_putc(&from, '/');
        buf_puts(&from, rel);
        buf_puts(&to, w->tmp);
        buf_putc(&to, '/');
        buf_puts(&to, rel);
        char tpath[2100];
        const char *lp = w->spare ? tmp_name(to.data, tpath, sizeof tpath, &tb) : to.data;
        /* checked once, after: what counts is the file now in the new tree (a
         * published file changed or replaced since is taken out again) */
        int r = link(from.data, lp);
        if (r != 0 && errno == ENOENT && mkdirs_for(w, lp))
            r = link(from.data, lp);
        if (r != 0 && errno == ENOTDIR && w->spare) {
            clear_way(w, rel);
            if (mkdirs_for(w, lp))
                r = link(from.data, lp);
        }
        if (r != 0 && errno == EEXIST && w->spare && unlink(lp) == 0)
            r = link(from.data, lp);
        ok = r == 0;
        if (ok) {
            ok = lstat(lp, &st) == 0 && S_ISREG(st.st_mode);
            if (ok) {
                file_id_of(&st, &got);
                ok = same_file_id(&got, expect);
            }
            if (ok && w->spare) {
                r = rename(lp, to.data);
                if (r != 0 && (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST || errno == ENOTDIR)) {
                    clear_way(w, rel);
                    r = rename(lp, to.data);
                }
                ok = r == 0;
                if (ok)
                    spare_seen(w, rel, 1);
            }
            if (!ok)
                unlink(lp);
        }
        if (w->spare)
            touch_parent(w, rel);
        buf_free(&from);
        buf_free(&to);
        buf_free(&tb);
    }
    if (ok)
        atomic_fetch_add_explicit(&w->count, 1, memory_order_relaxed);
    return ok;
}

void writer_unlink(Writer *w, const char *rel)
{
    if (w->dry || !valid_rel(rel))
        return;
    spare_ready(w->old);
    Buf p = BUF_INIT;
    buf_printf(&p, "%s/%s", w->tmp, rel);
    if (unlink(p.data) == 0) {
        touch_parent(w, rel);
        spare_seen(w, rel, 0);
        atomic_fetch_sub_explicit(&w->count, 1, memory_order_relaxed);
    }
    buf_free(&p);
}


void writer_report(const Writer *w, Diags *d)
{
    if (w->n_failed > 1)
        diag_error(d, w->out, 0, 0, "%zu more file%s could not be written for the same reason or another; nothing was published",
                   w->n_failed - 1, w->n_failed == 2 ? "" : "s");
}

bool writer_copy(Writer *w, const char *src_path, const char *rel, Diags *d)
{
    size_t len;
    char *data = read_input(src_path, &len);
    if (!data) {
        diag_error(d, src_path, 0, 0, "cannot read: %s", strerror(errno));
        return false;
    }
    bool ok = writer_put(w, rel, data, len, d);
    free(data);
    return ok;
}

bool writer_commit(Writer *w, Diags *d)
{
    if (w->dry) {
        writer_abort(w);
        return true;
    }
    writer_report(w, d);
    /* a stop (stop.h) before the tree is pruned, recorded and synced, the
     * dear steps; the caller says why nothing was published */
    if (w->n_failed || stop_requested()) {
        writer_abort(w);
        return false;
    }
    spare_ready(w->old);
    if (w->spare)
        spare_prune(w);
    /* the record of the tree as this build leaves it (published below) */
    RecordOut ro = {BUF_INIT, BUF_INIT, 0, 0, NULL, 0, 0, 0, 0, 0};
    Buf rrel = BUF_INIT;
    struct stat rroot, rold;
    bool record = w->spare && w->old && fstat(w->tmp_fd, &rroot) == 0, have_old = false;
    if (record)
        record_folder(w, &rrel, &ro, now_ns());
    buf_free(&rrel);
    /* Every file of the new tree on disk before its name is: syncfs writes
     * back the file system the tree is on and reports any write-back error,
     * so a power loss after the swap cannot publish empty files. */
    if (syncfs(w->tmp_fd) != 0) {
        diag_error(d, w->tmp, 0, 0, "cannot write the new site to disk: %s", strerror(errno));
        record_out_free(&ro);
        writer_abort(w);
        return false;
    }
    int lk = publish_lock(w->out, d);
    if (lk < 0) {
        record_out_free(&ro);
        writer_abort(w);
        return false;
    }
    /* the published tree, which becomes the spare: its record is kept */
    have_old = lstat(w->out, &rold) == 0 && S_ISDIR(rold.st_mode);
    bool ok = true;
    struct stat st;
    /* A stop asked until here publishes nothing (the last moment: after
     * the swap the new site is out, and the build finishes as usual).
     * Checked again under the lock: another build may have published, or
     * someone may have put a folder there, since writer_open. */
    if (stop_requested()) {
        ok = false;
    } else if (lstat(w->out, &st) == 0 && !S_ISDIR(st.st_mode)) {
        not_a_folder(w->out, &st, d);
        ok = false;
    } else if (lstat(w->out, &st) == 0 && !dir_is_empty(w->out) && !has_marker(w->out)) {
        diag_error(d, w->out, 0, 0,
                   "this folder exists and was not made by lobgen, so it will not be replaced; "
                   "remove it or name another output folder with --output");
        ok = false;
    } else if (lstat(w->out, &st) != 0) {
        if (rename(w->tmp, w->out) != 0) {
            diag_error(d, w->out, 0, 0, "cannot publish the new site: %s", strerror(errno));
            ok = false;
        } else {
            free(w->tmp); /* nothing was there before: no previous site to keep */
            w->tmp = NULL;
        }
    } else if (syscall(SYS_renameat2, AT_FDCWD, w->tmp, AT_FDCWD, w->out, RENAME_EXCHANGE) != 0) {
        int e = errno;
        if (e == EBUSY) {
            /* the kernel never renames a mount point */
            diag_error(d, w->out, 0, 0,
                       "the output folder is a mount point, which cannot be replaced; "
                       "publish into a folder inside it, e.g. --output %s/site", w->out);
            ok = false;
        } else {
            /* No atomic exchange here (old kernel or file system): two renames,
             * with a short moment in which out is absent. */
            char *old = sibling(w->out, "old-XXXXXX");
            if (!mkdtemp(old) || rmdir(old) != 0 || rename(w->out, old) != 0) {
                diag_error(d, w->out, 0, 0, "cannot publish the new site: %s", strerror(errno));
                ok = false;
            } else if (rename(w->tmp, w->out) != 0) {
                diag_error(d, w->out, 0, 0, "cannot publish the new site: %s", strerror(errno));
                rename(old, w->out);
                ok = false;
            } else {
                /* the previous site is at old now, and kept there (below) */
                free(w->tmp);
                w->tmp = old;
                old = NULL;
            }
            free(old);
        }
    }
    if (ok) {
        char *dir = parent_of(w->out);
        if (!fsync_dir(dir)) {
            diag_error(d, dir, 0, 0, "cannot write the folder holding the site to disk: %s", strerror(errno));
            ok = false;
        }
        free(dir);
    }
    /* Published: tmp holds the previous site, kept as the spare for the
     * next build (unless one is there: another build's, published at the
     * same time), still under the lock so that no build claims a spare
     * that is not whole. Not published: tmp is this build's folder, given
     * back as the spare when it was the spare. */
    if (ok && record)
        folders_save(w, &ro, &rroot, have_old, &rold);
    record_out_free(&ro);
    w->keep = w->keep || ok;
    if (w->tmp && w->keep && become_spare(w->out, w->tmp)) {
        free(w->tmp);
        w->tmp = NULL;
    }
    publish_unlock(lk);
    writer_abort(w);
    return ok;
}

void writer_abort(Writer *w)
{
    if (!w)
        return;
    spare_ready(w->old); /* no walker left in the tree */
    /* A spare that was claimed and not published goes back: whatever this
     * build changed in it, every file of it is checked again before the
     * next build keeps one (writer_link_previous). A fresh folder is
     * removed: after a full disk, the space comes back. */
    if (w->tmp && w->keep && w->tmp_fd >= 0) {
        int lk = publish_lock(w->out, NULL);
        if (lk >= 0 && become_spare(w->out, w->tmp)) {
            free(w->tmp);
            w->tmp = NULL;
        }
        publish_unlock(lk);
    }
    spare_free(w->old);
    free(w->rec_raw); /* after the spare: its record points into it */
    for (size_t i = 0; i < w->cap_touched; i++)
        free(w->touched[i].rel);
    free(w->touched);
    if (w->tmp)
        rm_tree_parallel(w->tmp);
    if (w->tmp_fd >= 0)
        close(w->tmp_fd);
    pthread_mutex_destroy(&w->lock);
    free(w->tmp);
    free(w->out);
    free(w);
}

size_t writer_count(const Writer *w) { return atomic_load_explicit(&w->count, memory_order_relaxed); }

bool write_file_replacing(const char *path, const char *data, size_t len, Diags *d)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        diag_error(d, path, 0, 0, "cannot read the file: %s", strerror(errno));
        return false;
    }
    /* Deliberately refused: replacing a link by a file would cut it off
     * from the file it shares, and writing through it would change a file
     * that may not belong to the project. */
    if (S_ISLNK(st.st_mode)) {
        diag_error(d, path, 0, 0, "this file is a symbolic link; run lobgen on the file it points to");
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        diag_error(d, path, 0, 0, "this is not a regular file");
        return false;
    }
    Buf tmp = BUF_INIT;
    buf_printf(&tmp, "%s.lobgen-XXXXXX", path);
    int fd = mkstemp(tmp.data);
    bool ok = fd >= 0;
    /* the file keeps its permissions: a shared, group-writable file stays so */
    ok = ok && fchmod(fd, st.st_mode & 07777) == 0;
    ok = ok && write_all(fd, data, len) && fsync(fd) == 0;
    int e = errno;
    if (fd >= 0 && close(fd) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (ok && rename(tmp.data, path) != 0) {
        ok = false;
        e = errno;
    }
    if (ok) {
        char *dir = parent_of(path);
        if (!fsync_dir(dir)) {
            ok = false;
            e = errno;
        }
        free(dir);
    } else if (fd >= 0) {
        unlink(tmp.data);
    }
    if (!ok)
        diag_error(d, path, 0, 0, "cannot write the file: %s; it was left as it was", strerror(e));
    buf_free(&tmp);
    return ok;
}
