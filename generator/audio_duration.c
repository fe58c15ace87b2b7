#include "audio_duration.h"

#include <stdint.h>
#include <string.h>

static uint64_t le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}
static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint64_t be64(const unsigned char *p) { return (uint64_t)be32(p) << 32 | be32(p + 4); }

static bool ogg_duration(const unsigned char *d, size_t len, double *sec, const char **why)
{
    size_t pos = 0;
    uint32_t serial = 0;
    double rate = 0;
    uint64_t preskip = 0, last = 0;
    bool first = true, have_last = false;
    while (pos + 27 <= len) {
        if (memcmp(d + pos, "OggS", 4)) {
            *why = first ? "it is not an Ogg file (no OggS page at the start)" : "an Ogg page is damaged";
            return false;
        }
        size_t nseg = d[pos + 26];
        if (pos + 27 + nseg > len)
            break;
        size_t body = 0;
        for (size_t i = 0; i < nseg; i++)
            body += d[pos + 27 + i];
        const unsigned char *pkt = d + pos + 27 + nseg;
        if (pos + 27 + nseg + body > len)
            break;
        uint64_t granule = le64(d + pos + 6);
        uint32_t ser = (uint32_t)d[pos + 14] | (uint32_t)d[pos + 15] << 8 | (uint32_t)d[pos + 16] << 16 |
                       (uint32_t)d[pos + 17] << 24;
        if (first) {
            serial = ser;
            if (body >= 19 && !memcmp(pkt, "OpusHead", 8)) {
                rate = 48000;
                preskip = (uint64_t)pkt[10] | (uint64_t)pkt[11] << 8;
            } else if (body >= 16 && !memcmp(pkt, "\x01vorbis", 7)) {
                rate = (double)((uint32_t)pkt[12] | (uint32_t)pkt[13] << 8 | (uint32_t)pkt[14] << 16 |
                                (uint32_t)pkt[15] << 24);
            } else {
                *why = "the Ogg file holds neither Opus nor Vorbis audio";
                return false;
            }
            first = false;
        } else if (ser == serial && granule != UINT64_MAX) {
            last = granule;
            have_last = true;
        }
        pos += 27 + nseg + body;
    }
    if (first || rate <= 0) {
        *why = "it is not an Ogg file";
        return false;
    }
    if (!have_last || last < preskip) {
        *why = "the Ogg file holds no audio";
        return false;
    }
    *sec = (double)(last - preskip) / rate;
    return true;
}

/* MP4: the movie header (moov/mvhd) holds a time scale and a duration. */
static bool mp4_duration(const unsigned char *d, size_t len, double *sec, const char **why)
{
    size_t pos = 0, end = len;
    bool in_moov = false;
    while (pos + 8 <= end) {
        uint64_t size = be32(d + pos);
        size_t hdr = 8;
        if (size == 1 && pos + 16 <= end) {
            size = be64(d + pos + 8);
            hdr = 16;
        } else if (size == 0) {
            size = end - pos;
        }
        if (size < hdr || size > end - pos)
            break;
        if (!in_moov && !memcmp(d + pos + 4, "moov", 4)) {
            in_moov = true;
            end = pos + (size_t)size;
            pos += hdr;
            continue;
        }
        if (in_moov && !memcmp(d + pos + 4, "mvhd", 4)) {
            const unsigned char *b = d + pos + hdr;
            size_t n = (size_t)size - hdr;
            uint32_t scale;
            uint64_t dur;
            if (n >= 20 && b[0] == 0) {
                scale = be32(b + 12);
                dur = be32(b + 16);
            } else if (n >= 32 && b[0] == 1) {
                scale = be32(b + 20);
                dur = be64(b + 24);
            } else {
                break;
            }
            if (!scale)
                break;
            *sec = (double)dur / scale;
            return true;
        }
        pos += (size_t)size;
    }
    *why = "it is not an MP4/M4A audio file with a movie header (moov/mvhd)";
    return false;
}

/* MP3: count the frames (a Xing header would do for some files, but
 * counting is right for every constant and variable bit rate file). */
static bool mp3_duration(const unsigned char *d, size_t len, double *sec, const char **why)
{
    static const int br_v1[3][16] = {
        {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448, 0},
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 0},
        {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0},
    };
    static const int br_v2[3][16] = {
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, 0},
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
    };
    static const int sr[3] = {44100, 48000, 32000};
    size_t pos = 0;
    if (len >= 10 && !memcmp(d, "ID3", 3)) {
        size_t tag = ((size_t)(d[6] & 0x7f) << 21) | ((size_t)(d[7] & 0x7f) << 14) | ((size_t)(d[8] & 0x7f) << 7) |
                     (d[9] & 0x7f);
        pos = 10 + tag + ((d[5] & 0x10) ? 10 : 0);
    }
    double total = 0;
    size_t frames = 0;
    while (pos + 4 <= len) {
        const unsigned char *h = d + pos;
        if (h[0] != 0xFF || (h[1] & 0xE0) != 0xE0) {
            if (frames)
                break; /* a trailing tag (ID3v1, APE) */
            pos++;
            continue;
        }
        int ver = (h[1] >> 3) & 3; /* 0: MPEG 2.5, 2: MPEG 2, 3: MPEG 1 */
        int layer = 4 - ((h[1] >> 1) & 3); /* 1..3; 4 is reserved */
        int bri = h[2] >> 4, sri = (h[2] >> 2) & 3, pad = (h[2] >> 1) & 1;
        if (ver == 1 || layer == 4 || bri == 0 || bri == 15 || sri == 3) {
            if (frames)
                break;
            pos++;
            continue;
        }
        int rate = sr[sri] >> (ver == 3 ? 0 : ver == 2 ? 1 : 2);
        int kbps = ver == 3 ? br_v1[layer - 1][bri] : br_v2[layer - 1][bri];
        int samples = layer == 1 ? 384 : (layer == 3 && ver != 3) ? 576 : 1152;
        size_t flen = layer == 1 ? (size_t)(12 * kbps * 1000 / rate + pad) * 4
                                 : (size_t)(samples / 8 * kbps * 1000 / rate + pad);
        if (flen < 4)
            break;
        total += (double)samples / rate;
        frames++;
        pos += flen;
    }
    if (!frames) {
        *why = "it is not an MP3 file (no MPEG audio frames found)";
        return false;
    }
    *sec = total;
    return true;
}

bool audio_duration(const char *ext, const unsigned char *data, size_t len, double *seconds, const char **why)
{
    if (!strcmp(ext, "opus") || !strcmp(ext, "ogg"))
        return ogg_duration(data, len, seconds, why);
    if (!strcmp(ext, "m4a"))
        return mp4_duration(data, len, seconds, why);
    if (!strcmp(ext, "mp3"))
        return mp3_duration(data, len, seconds, why);
    *why = "lobgen reads only .opus, .ogg, .mp3 and .m4a recordings";
    return false;
}
