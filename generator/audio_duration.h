/* How long a recording plays, read from the file's own headers (no
 * decoding): the player's "(3 minutes)" and the check that a recording
 * beside a text is a file browsers can play. */
#ifndef LOBGEN_AUDIO_DURATION_H
#define LOBGEN_AUDIO_DURATION_H

#include <stdbool.h>
#include <stddef.h>

/* Duration in seconds of an audio file's bytes: Ogg Opus (last granule
 * position minus pre-skip, over 48000), Ogg Vorbis (last granule over
 * the sample rate), MP4/M4A (the movie header), MP3 (frames counted).
 * ext is "opus", "ogg", "m4a" or "mp3". Returns false with *why set when
 * the bytes are not such a file. */
bool audio_duration(const char *ext, const unsigned char *data, size_t len, double *seconds, const char **why);

#endif
