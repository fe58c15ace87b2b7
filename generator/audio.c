#include "audio.h"
#include "audio_duration.h"
#include "cachefile.h"
#include "markdown.h"
#include "paths.h"
#include "pool.h"
#include "inputs.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <errno.h>
#include <fcntl.h>
#include <espeak-ng/speak_lib.h>
#include <limits.h>
#include <opusenc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Voice settings that go into every cache key: change one and all speech
 * is made again. */
#define SPEECH_RATE 150     /* words per minute; eSpeak NG's default 175 is fast for a second language */
#define SPEECH_BITRATE 16000 /* bit/s: Opus speaks clearly at this rate; 2.5 minutes are 300 KB */
/* Opus's effort, 0-10. Encoding, not eSpeak NG, is the cost of speech:
 * for 2.5 minutes of speech eSpeak NG takes 0.4 s, Opus at 10 7 s, at 5
 * 1.8 s, at 0 0.85 s (resampling 22050 Hz to 48 kHz included). eSpeak's
 * formant voice gains little from more. */
#define SPEECH_COMPLEXITY 0
#define SPEECH_FORMAT "lobgen-speech-2" /* raise when the making changes */

/* ---- lobgen.yaml ------------------------------------------------------------ */

static bool cache_path_ok(const char *s)
{
    if (!*s || s[0] == '/' || s[0] == '\\' || strchr(s, ':'))
        return false;
    for (const char *p = s; *p;) {
        size_t len = strcspn(p, "/\\");
        if (len == 2 && !memcmp(p, "..", 2))
            return false;
        p += len;
        if (*p)
            p++;
    }
    static const char *const sources[] = {"content", "templates", "locales", "generator", "tests"};
    size_t first = strcspn(s, "/\\");
    for (size_t i = 0; i < sizeof sources / sizeof *sources; i++)
        if (strlen(sources[i]) == first && !memcmp(s, sources[i], first))
            return false;
    return strcmp(s, ".") != 0;
}

static bool speech_list(Arena *a, const char *file, const Value *v, Config *cfg, Diags *d)
{
    (void)a;
    const char *hint = "write audio: speech, audio: off, or a map with speech: true, false or a list of languages";
    if (v->kind == V_BOOL) {
        for (size_t l = 0; l < cfg->n_langs; l++)
            cfg->speech[l] = v->u.b;
        return true;
    }
    if (v->kind != V_LIST) {
        diag_error(d, file, v->line, v->col, "audio speech must be true, false or a list of languages; %s", hint);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < v->u.list.len; i++) {
        const Value *e = v->u.list.items[i];
        int li = e->kind == V_STR ? config_lang_index(cfg, e->u.str.s) : -1;
        if (li < 0) {
            diag_error(d, file, e->line, e->col,
                       "'%s' is not one of the languages in lobgen.yaml; list only configured languages under audio speech",
                       e->kind == V_STR ? e->u.str.s : "this value");
            ok = false;
            continue;
        }
        cfg->speech[li] = true;
    }
    return ok;
}

bool audio_config(Arena *a, const char *file, const Value *v, Config *cfg, Diags *d)
{
    cfg->speech = arena_alloc(a, (cfg->n_langs + 1) * sizeof(bool));
    cfg->audio_cache = ".lobgen-cache";
    if (!v)
        return true;
    const char *hint = "write audio: speech, audio: off, or a map with speech: and cache:";
    if (v->kind == V_STR) {
        if (!strcmp(v->u.str.s, "speech")) {
            for (size_t l = 0; l < cfg->n_langs; l++)
                cfg->speech[l] = true;
            return true;
        }
        if (!strcmp(v->u.str.s, "off"))
            return true;
        diag_error(d, file, v->line, v->col, "audio must be speech or off, not '%s'; %s", v->u.str.s, hint);
        return false;
    }
    if (v->kind == V_BOOL && !v->u.b)
        return true;
    if (v->kind != V_MAP) {
        diag_error(d, file, v->line, v->col, "audio has a value lobgen cannot read; %s", hint);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < v->u.map.len; i++) {
        const char *k = v->u.map.keys[i];
        const Value *e = v->u.map.vals[i];
        if (!strcmp(k, "speech")) {
            ok &= speech_list(a, file, e, cfg, d);
        } else if (!strcmp(k, "cache")) {
            size_t first = e->kind == V_STR ? strcspn(e->u.str.s, "/\\") : 0;
            if (e->kind == V_STR && cfg->output && strlen(cfg->output) >= first &&
                !strncmp(cfg->output, e->u.str.s, first) && strchr("/\\", cfg->output[first])) {
                diag_error(d, file, e->line, e->col,
                           "audio cache must not lie in the output folder %s: every build replaces it; "
                           "e.g. cache: .lobgen-cache", cfg->output);
                ok = false;
            } else if (e->kind != V_STR || !cache_path_ok(e->u.str.s)) {
                diag_error(d, file, e->line, e->col,
                           "audio cache must be a folder inside the project, without '..' and outside content/, "
                           "templates/ and locales/, e.g. cache: .lobgen-cache");
                ok = false;
            } else {
                cfg->audio_cache = e->u.str.s;
            }
        } else {
            diag_error(d, file, v->u.map.key_lines[i], v->u.map.key_cols[i],
                       "audio has no key '%s'; it takes speech and cache", k);
            ok = false;
        }
    }
    return ok;
}

/* ---- eSpeak NG: one lock, and a fresh process per text ------------------------- */

/* eSpeak NG keeps its voice, parameters and synthesis state in globals
 * (espeak-ng issues #68 and #1527): two threads in it at once mix their
 * speech or crash, so every call into it in this process holds this lock.
 * And its state carries from one text to the next (the same sentence
 * spoken twice gives different samples), which would make the output
 * depend on the order of the texts. So this process only initialises it
 * and looks up voices; each text is spoken in a child forked from that
 * clean state, which sends its samples back through a pipe. That also
 * lets texts be spoken in parallel. */
static pthread_mutex_t espeak_lock = PTHREAD_MUTEX_INITIALIZER;
static int espeak_rate; /* sample rate after initialisation; <= 0: unusable */
static bool espeak_tried;

/* In the child: where the samples go. */
static int speak_fd = -1;
static bool speak_failed;

static int synth_callback(short *wav, int n, espeak_EVENT *events)
{
    (void)events;
    const char *p = (const char *)wav;
    size_t left = wav && n > 0 ? (size_t)n * sizeof(short) : 0;
    while (left && !speak_failed) {
        ssize_t k = write(speak_fd, p, left);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            speak_failed = true;
            break;
        }
        p += k;
        left -= (size_t)k;
    }
    return speak_failed ? 1 : 0;
}

/* eSpeak NG starts a thread of its own even for synchronous output; it
 * is joined here, at exit (forked children leave with _exit). */
static void espeak_shutdown(void)
{
    pthread_mutex_lock(&espeak_lock);
    espeak_Terminate();
    pthread_mutex_unlock(&espeak_lock);
}

/* Call with espeak_lock held. */
static bool espeak_ready(void)
{
    if (!espeak_tried) {
        espeak_tried = true;
        espeak_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, espeakINITIALIZE_DONT_EXIT);
        if (espeak_rate > 0) {
            espeak_SetSynthCallback(synth_callback);
            atexit(espeak_shutdown);
        }
    }
    return espeak_rate > 0;
}

/* Call with espeak_lock held: the name of a voice whose language list
 * holds lang, kept here because espeak_ListVoices frees its list on the
 * next call. */
static const char *find_voice(const char *lang)
{
    static char names[64][16];
    static size_t n_names;
    for (size_t i = 0; i < n_names; i++)
        if (!strcmp(names[i], lang))
            return names[i];
    const espeak_VOICE **vs = espeak_ListVoices(NULL);
    for (size_t i = 0; vs && vs[i]; i++) {
        /* languages: a priority byte, then a NUL-terminated name, repeated; ends with a 0 byte */
        for (const char *p = vs[i]->languages; p && *p; p += 1 + strlen(p + 1) + 1)
            if (!strcmp(p + 1, lang) && n_names < 64 && strlen(lang) < sizeof names[0]) {
                strcpy(names[n_names], lang);
                return names[n_names++];
            }
    }
    return NULL;
}

const char *audio_voice(const char *tag)
{
    char low[32];
    size_t n = strlen(tag);
    if (n >= sizeof low)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)(tag[i] >= 'A' && tag[i] <= 'Z' ? tag[i] + 32 : tag[i]);
    const char *v = NULL;
    pthread_mutex_lock(&espeak_lock);
    if (espeak_ready()) {
        v = find_voice(low);
        if (!v) {
            low[strcspn(low, "-")] = '\0';
            v = find_voice(low);
        }
    }
    pthread_mutex_unlock(&espeak_lock);
    return v;
}

/* ---- Opus in Ogg --------------------------------------------------------------- */

static int sink_write(void *user, const unsigned char *ptr, opus_int32 len)
{
    buf_append(user, (const char *)ptr, (size_t)len);
    return 0;
}

static int sink_close(void *user)
{
    (void)user;
    return 0;
}

static bool encode_opus(const short *pcm, size_t n, int rate, uint32_t serial, Buf *out, const char **why)
{
    OggOpusComments *com = ope_comments_create();
    if (!com) {
        *why = "libopusenc could not start";
        return false;
    }
    OpusEncCallbacks cb = {sink_write, sink_close};
    int err = 0;
    OggOpusEnc *enc = ope_encoder_create_callbacks(&cb, out, com, 48000, 1, 0, &err);
    bool ok = enc && err == OPE_OK;
    /* The serial number is random unless set: set it from the content so
     * that equal input gives equal bytes. */
    if (ok)
        ok = ope_encoder_ctl(enc, OPE_SET_SERIALNO((opus_int32)(serial & 0x7fffffff))) == OPE_OK &&
             ope_encoder_ctl(enc, OPUS_SET_BITRATE(SPEECH_BITRATE)) == OPE_OK &&
             ope_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE)) == OPE_OK &&
             ope_encoder_ctl(enc, OPUS_SET_COMPLEXITY(SPEECH_COMPLEXITY)) == OPE_OK &&
             ope_encoder_ctl(enc, OPUS_SET_MAX_BANDWIDTH(OPUS_BANDWIDTH_WIDEBAND)) == OPE_OK;
    /* Opus works at 48 kHz. libopusenc's own resampler took half the
     * encoding time; a straight line between samples is as good here,
     * since the encoder keeps only what is below 8 kHz (wideband) and the
     * images a line leaves lie above 11 kHz. Integer steps keep it exact. */
    enum { CHUNK = 4800 };
    opus_int16 up[CHUNK];
    uint64_t total = (uint64_t)n * 48000 / (uint64_t)rate;
    for (uint64_t o = 0; ok && o < total;) {
        size_t k = 0;
        for (; k < CHUNK && o < total; k++, o++) {
            uint64_t pos = o * (uint64_t)rate; /* in 1/48000ths of an input sample */
            size_t i = (size_t)(pos / 48000);
            int64_t frac = (int64_t)(pos % 48000);
            int64_t a0 = pcm[i], a1 = i + 1 < n ? pcm[i + 1] : 0;
            up[k] = (opus_int16)((a0 * (48000 - frac) + a1 * frac) / 48000);
        }
        ok = ope_encoder_write(enc, up, (int)k) == OPE_OK;
    }
    if (ok)
        ok = ope_encoder_drain(enc) == OPE_OK;
    if (enc)
        ope_encoder_destroy(enc);
    ope_comments_destroy(com);
    if (!ok)
        *why = "libopusenc could not encode the speech";
    return ok;
}

/* Speak text in a forked child; its samples (int16, native order) into pcm. */
static bool speak_pcm(const char *voice, const char *text, Buf *pcm, int *rate, const char **why)
{
    int fds[2];
    pthread_mutex_lock(&espeak_lock);
    if (!espeak_ready()) {
        pthread_mutex_unlock(&espeak_lock);
        *why = "eSpeak NG could not start (is espeak-ng-data installed?)";
        return false;
    }
    *rate = espeak_rate;
    if (pipe2(fds, O_CLOEXEC) != 0) {
        pthread_mutex_unlock(&espeak_lock);
        *why = "no pipe to the speaking process";
        return false;
    }
    /* forked with the lock held: no thread of ours is inside eSpeak NG */
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        speak_fd = fds[1];
        bool ok = espeak_SetVoiceByName(voice) == EE_OK && espeak_SetParameter(espeakRATE, SPEECH_RATE, 0) == EE_OK &&
                  espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL) == EE_OK &&
                  espeak_Synchronize() == EE_OK && !speak_failed;
        _exit(ok ? 0 : 1);
    }
    pthread_mutex_unlock(&espeak_lock);
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        *why = "cannot start a process to speak the text";
        return false;
    }
    char chunk[65536];
    for (;;) {
        ssize_t k = read(fds[0], chunk, sizeof chunk);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        buf_append(pcm, chunk, (size_t)k);
    }
    close(fds[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        *why = "eSpeak NG could not speak the text";
        return false;
    }
    if (pcm->len < sizeof(short)) {
        *why = "eSpeak NG made no sound for the text";
        return false;
    }
    return true;
}

bool audio_synthesize(const char *voice, const char *text, uint32_t serial, Buf *out, const char **why)
{
    Buf pcm = BUF_INIT;
    int rate = 0;
    bool ok = speak_pcm(voice, text, &pcm, &rate, why);
    if (ok)
        ok = encode_opus((const short *)(void *)pcm.data, pcm.len / sizeof(short), rate, serial, out, why);
    buf_free(&pcm);
    return ok;
}

/* ---- the spoken text -------------------------------------------------------------- */

/* Blocks whose text is read aloud; programma (a table of times) and
 * afspraken (a form to fill in) are not. */
static bool spoken_block(const char *info)
{
    static const char *const names[] = {"antwoord", "tip", "complimenten", "vraagwijzer"};
    size_t n = strcspn(info, " \t");
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i]) == n && !memcmp(info, names[i], n))
            return true;
    return false;
}

/* End a piece as a sentence, so that eSpeak NG pauses after a heading or
 * a list item as after a full stop. */
static void end_sentence(Buf *out, size_t start)
{
    while (out->len > start && (out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '\n'))
        out->data[--out->len] = '\0';
    if (out->len == start)
        return;
    static const char *const ends[] = {".", "?", "!", ":", ";", "\xE2\x80\xA6" /* … */, "\xD8\x9F" /* ؟ */,
                                       "\xDB\x94" /* ۔ */};
    bool ended = false;
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        size_t k = strlen(ends[i]);
        if (out->len - start >= k && !memcmp(out->data + out->len - k, ends[i], k))
            ended = true;
    }
    if (!ended)
        buf_putc(out, '.');
    buf_puts(out, "\n\n");
}

static void speak_markdown(const char *md, size_t len, int depth, Buf *out);

static void speak_blocks(cmark_node *n, int depth, Buf *out)
{
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_HEADING || t == CMARK_NODE_PARAGRAPH) {
            size_t start = out->len;
            markdown_inline_text(c, ' ', true, out);
            size_t lead = 0;
            while (start + lead < out->len && out->data[start + lead] == ' ')
                lead++;
            memmove(out->data + start, out->data + start + lead, out->len - start - lead + 1);
            out->len -= lead;
            end_sentence(out, start);
        } else if (t == CMARK_NODE_CODE_BLOCK) {
            const char *info = cmark_node_get_fence_info(c);
            const char *lit = cmark_node_get_literal(c);
            if (depth == 0 && info && lit && spoken_block(info))
                speak_markdown(lit, strlen(lit), depth + 1, out);
        } else if (t == CMARK_NODE_LIST || t == CMARK_NODE_ITEM || t == CMARK_NODE_BLOCK_QUOTE) {
            speak_blocks(c, depth, out);
        } else if (!strcmp(cmark_node_get_type_string(c), "table")) {
            continue; /* tables are for reading, not for listening */
        }
    }
}

static pthread_once_t ext_once = PTHREAD_ONCE_INIT;
static void ext_register(void) { cmark_gfm_core_extensions_ensure_registered(); }

static void speak_markdown(const char *md, size_t len, int depth, Buf *out)
{
    pthread_once(&ext_once, ext_register);
    cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
    /* only the table extension: it has no inline syntax, so this parser
     * does not touch cmark-gfm's process-wide inline table (markdown.c) */
    cmark_syntax_extension *table = cmark_find_syntax_extension("table");
    if (table)
        cmark_parser_attach_syntax_extension(p, table);
    cmark_parser_feed(p, md, len);
    cmark_node *doc = cmark_parser_finish(p);
    speak_blocks(doc, depth, out);
    cmark_node_free(doc);
    cmark_parser_free(p);
}

void audio_speech_text(const Material *m, Buf *out)
{
    size_t start = out->len;
    buf_puts(out, m->title ? m->title : "");
    end_sentence(out, start);
    if (m->summary) {
        start = out->len;
        buf_puts(out, m->summary);
        end_sentence(out, start);
    }
    speak_markdown(m->body ? m->body : "", m->body ? m->body_len : 0, 0, out);
    while (out->len && out->data[out->len - 1] == '\n')
        out->data[--out->len] = '\0';
}

/* ---- the plan ---------------------------------------------------------------------- */

const AudioTrack *audio_track(const AudioPlan *p, size_t item, size_t l)
{
    if (!p || item >= p->n_items || l >= p->n_langs)
        return NULL;
    return &p->tracks[item * p->n_langs + l];
}

static const char *ext_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : "";
}

static const char *mime_of(const char *ext)
{
    if (!strcmp(ext, "opus"))
        return "audio/ogg; codecs=opus";
    if (!strcmp(ext, "ogg"))
        return "audio/ogg";
    if (!strcmp(ext, "mp3"))
        return "audio/mpeg";
    return "audio/mp4";
}

AudioPlan *audio_plan(Arena *a, const Config *cfg, const ScanResult *scan, const Site *site, bool lint, Diags *d)
{
    AudioPlan *p = arena_alloc(a, sizeof *p);
    size_t nl = cfg->n_langs, ni = site->n_items;
    p->n_items = ni;
    p->n_langs = nl;
    p->tracks = arena_alloc(a, (ni * nl + 1) * sizeof(AudioTrack));
    for (size_t i = 0; i < ni * nl; i++)
        p->tracks[i].seconds = -1;
    /* recordings first: a person's voice wins over the computer's */
    for (size_t r = 0; r < scan->n_recordings; r++) {
        const SourceFile *rec = &scan->recordings[r];
        Item *it = site_find(site, rec->kind, rec->slug);
        if (!it) {
            /* a draft's recording is not an error; only one of nothing */
            bool any = false;
            for (size_t f = 0; f < scan->n_files; f++)
                if (scan->files[f].kind == rec->kind && !strcmp(scan->files[f].slug, rec->slug))
                    any = true;
            if (!any)
                diag_error(d, rec->path, 0, 0,
                           "there is no material '%s' for this recording; name it after the text it reads, "
                           "<slug>.<lang>.%s beside content/%s/<slug>.<lang>.md",
                           rec->slug, ext_of(rec->path), kind_names[rec->kind]);
            continue;
        }
        size_t i = 0;
        while (site->items[i] != it)
            i++;
        size_t l = (size_t)rec->lang_index;
        const Material *m = it->by_lang[l];
        if (!m || it->state[l] == TR_MISSING) {
            diag_error(d, rec->path, 0, 0,
                       "this recording has no text in its language; add content/%s/%s.%s.md (the text it reads, "
                       "with recording.source) or remove the recording",
                       kind_names[it->kind], it->slug, rec->lang);
            continue;
        }
        AudioTrack *t = &p->tracks[i * nl + l];
        if (t->source == AUDIO_RECORDING) {
            diag_error(d, rec->path, 0, 0,
                       "%s already has a recording in this language (%s); keep one of the two files",
                       it->key, t->recording->path);
            continue;
        }
        const char *fp = m->fingerprint;
        t->source = AUDIO_RECORDING;
        t->recording = rec;
        t->name = arena_printf(a, "opname.%s", ext_of(rec->path));
        t->mime = mime_of(ext_of(rec->path));
        t->stale = !m->rec_source || strcmp(m->rec_source, fp) != 0;
        if (lint && !m->rec_source)
            diag_warn(d, m->src->path, 0, 0,
                      "%s has a recording (%s) but no recording.source; when the recording matches this text, add "
                      "recording: {source: %s} to the front matter",
                      m->src->path, rec->path, fp);
    }
    bool any_speech = false;
    for (size_t l = 0; l < nl; l++)
        any_speech |= cfg->speech && cfg->speech[l];
    if (!any_speech)
        return p;
    for (size_t l = 0; l < nl; l++) {
        if (!cfg->speech[l])
            continue;
        const char *voice = audio_voice(cfg->langs[l].tag);
        if (!voice) {
            if (lint)
                diag_warn(d, cfg->file, 0, 0,
                          "eSpeak NG has no voice for %s, so its pages get no synthetic speech; add recordings "
                          "(content/<kind>/<slug>.%s.opus) made by a person instead",
                          cfg->langs[l].tag, cfg->langs[l].tag);
            continue;
        }
        for (size_t i = 0; i < ni; i++) {
            AudioTrack *t = &p->tracks[i * nl + l];
            const Item *it = site->items[i];
            if (t->source != AUDIO_NONE || !it->by_lang[l] || it->state[l] == TR_MISSING)
                continue;
            t->source = AUDIO_SPEECH;
            t->voice = voice;
            t->name = "voorlezen.opus";
            t->mime = mime_of("opus");
        }
    }
    return p;
}

/* ---- making the files ------------------------------------------------------------ */

/* FNV-1a, 64 bits, from a given start: two starts give a 128-bit key. */
static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

typedef struct {
    AudioPlan *p;
    const char *root;
    const Config *cfg;
    const Site *site;
    Writer *w;
    const char *cache;      /* root/cache folder, made and checked */
    size_t *jobs;           /* track indexes */
    size_t n_jobs;
    pthread_mutex_t lock;   /* the counters */
} Make;

static bool put_file(Make *mk, const AudioTrack *t, size_t ti, const char *data, size_t len, Diags *d)
{
    const Item *it = mk->site->items[ti / mk->p->n_langs];
    const char *lang = mk->cfg->langs[ti % mk->p->n_langs].tag;
    Buf rel = BUF_INIT;
    buf_printf(&rel, "%s/%s/%s/%s", lang, kind_names[it->kind], it->slug, t->name);
    bool ok = writer_put(mk->w, buf_cstr(&rel), data, len, d);
    buf_free(&rel);
    return ok;
}

static void make_recording(Make *mk, AudioTrack *t, size_t ti, Diags *d)
{
    size_t len;
    char *bytes = read_input(t->recording->abs, &len);
    if (!bytes) {
        diag_error(d, t->recording->path, 0, 0, "cannot read the recording: %s", strerror(errno));
        return;
    }
    const char *why = NULL;
    double sec;
    if (!audio_duration(ext_of(t->recording->path), (const unsigned char *)bytes, len, &sec, &why))
        diag_error(d, t->recording->path, 0, 0, "this recording cannot be used: %s; export it again as Ogg Opus (.opus)",
                   why);
    else
        t->seconds = sec;
    if (!why && mk->w)
        put_file(mk, t, ti, bytes, len, d);
    free(bytes);
}

static void make_speech(Make *mk, AudioTrack *t, size_t ti, Diags *d)
{
    const Item *it = mk->site->items[ti / mk->p->n_langs];
    const Material *m = it->by_lang[ti % mk->p->n_langs];
    Buf text = BUF_INIT, audio = BUF_INIT;
    audio_speech_text(m, &text);
    /* the key: everything that changes the sound */
    const char *info = NULL;
    pthread_mutex_lock(&espeak_lock);
    info = espeak_Info(NULL);
    pthread_mutex_unlock(&espeak_lock);
    Buf kb = BUF_INIT;
    buf_printf(&kb, "%s\n%s\n%s\n%d\n%d\n%d\n", SPEECH_FORMAT, info ? info : "", t->voice, SPEECH_RATE, SPEECH_BITRATE,
               SPEECH_COMPLEXITY);
    buf_append(&kb, text.data ? text.data : "", text.len);
    uint64_t h1 = fnv(0xcbf29ce484222325ULL, kb.data, kb.len);
    uint64_t h2 = fnv(0x84222325cbf29ce4ULL, kb.data, kb.len);
    buf_free(&kb);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%016llx%016llx.opus", mk->cache, (unsigned long long)h1, (unsigned long long)h2);
    size_t len = 0;
    char *cached = read_file(path, &len);
    double sec = -1;
    const char *why = NULL;
    if (cached && audio_duration("opus", (const unsigned char *)cached, len, &sec, &why)) {
        buf_append(&audio, cached, len);
        pthread_mutex_lock(&mk->lock);
        mk->p->from_cache++;
        pthread_mutex_unlock(&mk->lock);
    } else if (audio_synthesize(t->voice, buf_cstr(&text), (uint32_t)(h1 ^ (h1 >> 32)), &audio, &why) &&
               audio_duration("opus", (const unsigned char *)audio.data, audio.len, &sec, &why)) {
        pthread_mutex_lock(&mk->lock);
        mk->p->synthesized++;
        pthread_mutex_unlock(&mk->lock);
        /* into the cache unnamed until whole (cachefile.h): a killed build
         * leaves neither a half file nor a temporary one */
        const char *cant = cachefile_replace(path, audio.data, audio.len);
        if (cant)
            diag_warn(d, mk->cfg->file, 0, 0, "cannot keep synthetic speech in the cache folder %s: %s", mk->cache,
                      cant);
    } else {
        diag_error(d, m->src->path, 0, 0, "no synthetic speech could be made for this text: %s", why ? why : "?");
    }
    free(cached);
    if (sec >= 0) {
        t->seconds = sec;
        put_file(mk, t, ti, audio.data, audio.len, d);
    }
    buf_free(&text);
    buf_free(&audio);
}

/* One job of the pool (pool.h): job j makes track jobs[j]. */
static void make_job(void *ctx, size_t j, Arena *a, Diags *d)
{
    (void)a;
    Make *mk = ctx;
    size_t ti = mk->jobs[j];
    AudioTrack *t = &mk->p->tracks[ti];
    if (t->source == AUDIO_RECORDING)
        make_recording(mk, t, ti, d);
    else
        make_speech(mk, t, ti, d);
}

bool audio_make(AudioPlan *p, const char *root, const Config *cfg, const Site *site, Writer *w, bool dry_run,
                Diags *d)
{
    if (!p)
        return true;
    size_t e0 = diags_count(d, DIAG_ERROR);
    Make mk = {.p = p, .root = root, .cfg = cfg, .site = site, .w = dry_run ? NULL : w};
    pthread_mutex_init(&mk.lock, NULL);
    size_t nt = p->n_items * p->n_langs;
    mk.jobs = xcalloc(nt + 1, sizeof(size_t));
    bool speech = false;
    for (size_t i = 0; i < nt; i++) {
        if (p->tracks[i].source == AUDIO_RECORDING || (p->tracks[i].source == AUDIO_SPEECH && !dry_run))
            mk.jobs[mk.n_jobs++] = i;
        speech |= p->tracks[i].source == AUDIO_SPEECH && !dry_run;
    }
    char *cache = NULL;
    if (speech) {
        Buf cb = BUF_INIT;
        path_join_buf(&cb, root, cfg->audio_cache);
        buf_puts(&cb, "/speech");
        cache = buf_detach(&cb);
        /* the cache folder may be a symlink; whatever it is, it must lie inside the project */
        if (!cachefile_make_dirs(root, cache)) {
            diag_error(d, cfg->file, 0, 0, "cannot make the audio cache folder %s: %s; set audio: {cache: FOLDER}",
                       cache, strerror(errno));
            mk.n_jobs = 0;
        } else if (!scan_path_inside(cache, root)) {
            diag_error(d, cfg->file, 0, 0,
                       "the audio cache folder %s lies outside the project (through a link); point audio cache at "
                       "a folder inside it",
                       cache);
            mk.n_jobs = 0;
        }
        mk.cache = cache;
        cachefile_init(); /* the umask read now, before the workers make cache files */
    }
    /* the page stage's rule (pool.c): LOBGEN_JOBS, else the machine's cores,
     * at most 8. Each text is spoken in a forked child (speak_pcm). glibc's
     * malloc is made safe across fork by glibc; the allocator of GCC 12's
     * AddressSanitizer is not, and a child forked while another worker held
     * its lock waited for ever (seen in golden/audio.sh): the sanitizer
     * build speaks one text at a time, with no other thread allocating. */
#ifdef __SANITIZE_ADDRESS__
    int threads = 1;
#else
    int threads = default_threads();
#endif
    run_parallel(threads, mk.n_jobs, make_job, &mk, NULL, NULL, d);
    free(mk.jobs);
    free(cache);
    pthread_mutex_destroy(&mk.lock);
    return diags_count(d, DIAG_ERROR) == e0;
}
