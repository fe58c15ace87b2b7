/* Listening to a material: recordings made by people (content/<kind>/
 * <slug>.<lang>.opus|ogg|mp3|m4a beside the text) and, where a project asks
 * for it, synthetic speech made in-process with eSpeak NG and encoded to
 * Opus in Ogg with libopusenc. Speech is made once per text version: the
 * files are kept in a cache folder keyed by the spoken text, language and
 * voice settings, so a rebuild of unchanged text does no speech work. */
#ifndef LOBGEN_AUDIO_H
#define LOBGEN_AUDIO_H

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "frontmatter.h"
#include "scan.h"
#include "site.h"
#include "value.h"
#include "write.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The audio: key of lobgen.yaml, read after languages:
 *   audio: speech            synthetic speech in every language that has a voice
 *   audio: off               no synthetic speech (the default; recordings are always used)
 *   audio:
 *     speech: [nl, tr, ar]   or true / false
 *     cache: .lobgen-cache   folder for made speech, relative, inside the project
 * v is NULL when the key is absent. Fills cfg->speech ([n_langs], arena
 * memory) and cfg->audio_cache. Errors go to d at v's position; returns
 * false after errors. */
bool audio_config(Arena *a, const char *file, const Value *v, Config *cfg, Diags *d);

typedef enum { AUDIO_NONE, AUDIO_RECORDING, AUDIO_SPEECH } AudioSource;

typedef struct {
    AudioSource source;
    const SourceFile *recording; /* AUDIO_RECORDING: the file in content/ */
    const char *voice;           /* AUDIO_SPEECH: the eSpeak NG voice name */
    const char *name;            /* file name in the material's folder ("opname.opus", "voorlezen.opus") */
    const char *mime;            /* its media type, for <source type> */
    bool stale;                  /* a recording of an older text (or without recording.source) */
    double seconds;              /* duration in seconds; < 0 while unknown (set by audio_make) */
} AudioTrack;

typedef struct {
    size_t n_items, n_langs;
    AudioTrack *tracks;          /* [n_items * n_langs]: item i, language l at i * n_langs + l */
    size_t synthesized;          /* after audio_make: speech files made by eSpeak NG this run */
    size_t from_cache;           /* ... and speech files taken from the cache */
} AudioPlan;

/* Decide, per published item and language, what the page offers: the
 * recording in that language if there is one, else synthetic speech when
 * the language asks for it and has a voice and its own text, else nothing.
 * Errors: a recording whose material or text in its language does not
 * exist. With lint, warnings name languages asked to speak without a
 * voice, and recordings without recording.source. Never NULL; memory is
 * a's. Returns the plan; errors are counted in d. */
AudioPlan *audio_plan(Arena *a, const Config *cfg, const ScanResult *scan, const Site *site, bool lint, Diags *d);

/* The track of item i in language l, or NULL when p is NULL. */
const AudioTrack *audio_track(const AudioPlan *p, size_t item, size_t l);

/* Make every track's file at <lang>/<kind>/<slug>/<name> in w: copy
 * recordings (reading their duration), and take speech from the cache
 * under root/cfg->audio_cache or synthesize it there (on threads; see
 * LOBGEN_JOBS). The cache is only ever written inside that folder, which
 * must lie inside root. With dry_run nothing is synthesized or written.
 * Returns false after errors (an unreadable or malformed recording, a
 * failed synthesis). */
bool audio_make(AudioPlan *p, const char *root, const Config *cfg, const Site *site, Writer *w, bool dry_run,
                Diags *d);

/* The text spoken for material m, appended to out as UTF-8: title,
 * summary, headings, paragraphs, list items and the text inside blocks,
 * each ending as a sentence; tables and the programma block (times) are
 * left out. */
void audio_speech_text(const Material *m, Buf *out);

/* The eSpeak NG voice for a BCP 47 tag (tried whole, then its language
 * subtag), or NULL when eSpeak NG cannot speak it. The name is static. */
const char *audio_voice(const char *tag);

/* Speak text (UTF-8) with voice into out as Ogg Opus: mono, 16 kbit/s,
 * Ogg stream serial number serial (so equal input gives equal bytes).
 * eSpeak NG keeps global state that carries from text to text, so each
 * text is spoken in a child process forked from its clean, initialised
 * state (see audio.c); calls may run on several threads at once.
 * Returns false with *why set. */
bool audio_synthesize(const char *voice, const char *text, uint32_t serial, Buf *out, const char **why);

#endif
