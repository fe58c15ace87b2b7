/* The locale files (locales/<tag>.yaml) and the ICU-backed plural, number and date helpers. */
#include "check.h"
#include "locale.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const shipped[] = {"nl", "en", "tr", "ar", "pl", "uk", "ti", "so"};
enum { N_SHIPPED = sizeof shipped / sizeof shipped[0] };

static char tmp_root[64];

static void write_file(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp_root, rel);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

static void remove_file(const char *rel)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp_root, rel);
    unlink(path);
}

/* The diagnostic at line:col, or NULL. */
static const Diag *diag_at(const Diags *d, int line, int col)
{
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].line == line && d->items[i].col == col)
            return &d->items[i];
    return NULL;
}

static const char *plural_str(Buf *b, const Locale *l, const Locale *fb, const char *key, long n)
{
    buf_clear(b);
    locale_plural(l, fb, key, n, b);
    return buf_cstr(b);
}

static const char *date_str(Buf *b, const Locale *l, int y, int m, int d, int hh, int mm, bool has_time,
                            DateStyle style)
{
    Date dt = {.y = y, .m = m, .d = d, .hour = hh, .minute = mm, .has_time = has_time};
    buf_clear(b);
    locale_format_date(l, &dt, style, b);
    return buf_cstr(b);
}

/* Placeholders {name} in s, as one string "{a}{b}" in order of first use. */
static void placeholders(const char *s, Buf *out)
{
    buf_clear(out);
    for (const char *p = s; (p = strchr(p, '{')) != NULL; p++) {
        const char *end = strchr(p, '}');
        if (!end)
            break;
        buf_append(out, p, (size_t)(end - p + 1));
    }
}

int main(void)
{
    /* A time zone far from UTC: a date written as 12 March must stay
     * 12 March whatever the machine's zone is. */
    setenv("TZ", "Pacific/Kiritimati", 1);

    Arena *a = arena_new();
    Buf b = BUF_INIT, b2 = BUF_INIT;

    CHECK_SUITE("shipped locales");
    Locale *loc[N_SHIPPED];
    for (int i = 0; i < N_SHIPPED; i++) {
        Diags d = DIAGS_INIT;
        loc[i] = locale_load(a, ".", shipped[i], &d);
        char name[64];
        snprintf(name, sizeof name, "locales/%s.yaml loads without errors or warnings", shipped[i]);
        CHECK(name, d.len == 0, "%zu diagnostics", d.len);
        if (d.len) {
            char *s = diag_format(&d.items[0]);
            printf("  first: %s\n", s);
            free(s);
        }
        diags_free(&d);
        char want[64];
        snprintf(want, sizeof want, "locales/%s.yaml", shipped[i]);
        snprintf(name, sizeof name, "%s comes from its own file", shipped[i]);
        CHECK_STR(name, locale_file(loc[i]), want);
    }
    Locale *nl = loc[0], *en = loc[1], *tr = loc[2], *ar = loc[3], *pl = loc[4], *uk = loc[5], *ti = loc[6],
           *so = loc[7];

    CHECK("nl is reviewed", locale_reviewed(nl));
    for (int i = 1; i < N_SHIPPED; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s says it is not reviewed", shipped[i]);
        CHECK(name, !locale_reviewed(loc[i]));
    }

    /* Every file has exactly nl's keys: nothing missing, nothing extra. */
    size_t n_nl_keys = 0;
    Diags dz = DIAGS_INIT;
    Locale *empty = locale_load(a, ".", "de", &dz); /* no de.yaml: no strings */
    CHECK("a language without a file is one error", dz.len == 1 && diags_count(&dz, DIAG_ERROR) == 1);
    CHECK("the error names the command that makes the file",
          dz.len == 1 && strstr(dz.items[0].msg, "lobgen new language de") && !strcmp(dz.items[0].file, "locales/de.yaml"));
    const char **nl_keys = locale_missing_keys(a, empty, nl, &n_nl_keys);
    CHECK("nl has all the interface strings", n_nl_keys >= 72, "only %zu keys", n_nl_keys);
    for (int i = 1; i < N_SHIPPED; i++) {
        size_t miss = 0, extra = 0;
        const char **m = locale_missing_keys(a, loc[i], nl, &miss);
        const char **x = locale_missing_keys(a, nl, loc[i], &extra);
        char name[80];
        snprintf(name, sizeof name, "%s has every key nl has", shipped[i]);
        CHECK(name, miss == 0, "first missing: %s", miss ? m[0] : "");
        snprintf(name, sizeof name, "%s has no key nl lacks", shipped[i]);
        CHECK(name, extra == 0, "first extra: %s", extra ? x[0] : "");
    }

    /* A translation keeps the Dutch placeholders (it may write its own
     * language's name instead of {language}) and invents none. */
    for (int i = 1; i < N_SHIPPED; i++) {
        int bad = 0;
        const char *bad_key = "";
        for (size_t k = 0; k < n_nl_keys; k++) {
            placeholders(locale_string(nl, NULL, nl_keys[k]), &b);
            placeholders(locale_string(loc[i], NULL, nl_keys[k]), &b2);
            const char *want = buf_cstr(&b), *got = buf_cstr(&b2);
            bool ok = true;
            for (const char *p = want; (p = strchr(p, '{')) != NULL; p++) {
                size_t len = (size_t)(strchr(p, '}') - p + 1);
                if (!strncmp(p, "{language}", len))
                    continue;
                char ph[32];
                snprintf(ph, sizeof ph, "%.*s", (int)len, p);
                ok &= strstr(got, ph) != NULL;
            }
            for (const char *p = got; (p = strchr(p, '{')) != NULL; p++) {
                size_t len = (size_t)(strchr(p, '}') - p + 1);
                char ph[32];
                snprintf(ph, sizeof ph, "%.*s", (int)len, p);
                ok &= strstr(want, ph) != NULL;
            }
            if (!ok) {
                bad++;
                bad_key = nl_keys[k];
            }
        }
        char name[80];
        snprintf(name, sizeof name, "%s keeps the placeholders of every string", shipped[i]);
        CHECK(name, bad == 0, "e.g. %s", bad_key);
        /* No plural form leaves a placeholder unfilled for any count. */
        int unfilled = 0;
        for (long n = 0; n <= 200; n++) {
            unfilled += strchr(plural_str(&b, loc[i], nl, "minutes", n), '{') != NULL;
            unfilled += strchr(plural_str(&b, loc[i], nl, "materials_count", n), '{') != NULL;
            unfilled += strchr(plural_str(&b, loc[i], nl, "translations_count", n), '{') != NULL;
        }
        snprintf(name, sizeof name, "%s plural forms fill {n} for counts 0..200", shipped[i]);
        CHECK(name, unfilled == 0, "%d unfilled", unfilled);
    }

    CHECK_SUITE("native names and direction");
    CHECK_STR("tr native name", locale_native_name(tr), "Türkçe");
    CHECK_STR("ar native name", locale_native_name(ar), "العربية");
    CHECK_STR("uk native name", locale_native_name(uk), "українська");
    CHECK_STR("ti native name in Ge'ez script", locale_native_name(ti), "ትግርኛ");
    CHECK_STR("a language without a file gets ICU's native name", locale_native_name(empty), "Deutsch");
    CHECK("a language without a file has no file", locale_file(empty) == NULL);
    CHECK("a language without a file falls back to Dutch strings",
          locale_string(empty, nl, "home") && !strcmp(locale_string(empty, nl, "home"), "Start"));

    Diags dm = DIAGS_INIT;
    Locale *ar_ma = locale_load(a, ".", "ar-MA", &dm);
    CHECK("ar-MA without a file of its own loads without errors", dm.len == 0);
    CHECK_STR("ar-MA native name comes from ICU", locale_native_name(ar_ma), "العربية (المغرب)");
    CHECK_STR("ar-MA takes its strings from ar.yaml", locale_file(ar_ma), "locales/ar.yaml");
    CHECK_STR("ar-MA has the Arabic strings", locale_string(ar_ma, nl, "home"), locale_string(ar, nl, "home"));
    CHECK("ar-MA is as unreviewed as ar.yaml says", !locale_reviewed(ar_ma));
    CHECK_STR("ar-MA keeps its own tag", locale_tag(ar_ma), "ar-MA");

    CHECK("ar is right to left", locale_is_rtl(ar));
    CHECK("ar-MA is right to left", locale_is_rtl(ar_ma));
    for (int i = 0; i < N_SHIPPED; i++) {
        if (loc[i] == ar)
            continue;
        char name[64];
        snprintf(name, sizeof name, "%s is left to right", shipped[i]);
        CHECK(name, !locale_is_rtl(loc[i]));
    }
    Diags dfa = DIAGS_INIT;
    Locale *fa = locale_load(a, ".", "fa", &dfa);
    CHECK("a right-to-left language without a file is rtl by ICU", locale_is_rtl(fa));

    CHECK_SUITE("plural categories");
    static const long counts[] = {0, 1, 2, 3, 11, 100};
    static const char *const want_ar[] = {"zero", "one", "two", "few", "many", "other"};
    static const char *const want_pl[] = {"many", "one", "few", "few", "many", "many"};
    static const char *const want_nl[] = {"other", "one", "other", "other", "other", "other"};
    for (int i = 0; i < 6; i++) {
        char name[64];
        snprintf(name, sizeof name, "ar %ld is %s", counts[i], want_ar[i]);
        CHECK_STR(name, locale_plural_category(ar, counts[i]), want_ar[i]);
        snprintf(name, sizeof name, "pl %ld is %s", counts[i], want_pl[i]);
        CHECK_STR(name, locale_plural_category(pl, counts[i]), want_pl[i]);
        snprintf(name, sizeof name, "nl %ld is %s", counts[i], want_nl[i]);
        CHECK_STR(name, locale_plural_category(nl, counts[i]), want_nl[i]);
    }
    CHECK_STR("ti 0 is one", locale_plural_category(ti, 0), "one");
    CHECK_STR("ti 1 is one", locale_plural_category(ti, 1), "one");
    CHECK_STR("ti 2 is other", locale_plural_category(ti, 2), "other");
    CHECK_STR("uk 21 is one", locale_plural_category(uk, 21), "one");
    CHECK_STR("uk 22 is few", locale_plural_category(uk, 22), "few");
    CHECK_STR("uk 25 is many", locale_plural_category(uk, 25), "many");
    CHECK_STR("so 1 is one", locale_plural_category(so, 1), "one");

    CHECK_SUITE("plural strings");
    CHECK_STR("nl 1 minute", plural_str(&b, nl, NULL, "minutes", 1), "1 minuut");
    CHECK_STR("nl 0 minutes", plural_str(&b, nl, NULL, "minutes", 0), "0 minuten");
    CHECK_STR("nl groups thousands with a dot", plural_str(&b, nl, NULL, "minutes", 1500), "1.500 minuten");
    CHECK_STR("en 20 minutes", plural_str(&b, en, nl, "minutes", 20), "20 minutes");
    CHECK_STR("pl 1 minuta", plural_str(&b, pl, nl, "minutes", 1), "1 minuta");
    CHECK_STR("pl 3 minuty", plural_str(&b, pl, nl, "minutes", 3), "3 minuty");
    CHECK_STR("pl 5 minut", plural_str(&b, pl, nl, "minutes", 5), "5 minut");
    CHECK_STR("pl 22 tłumaczenia", plural_str(&b, pl, nl, "translations_count", 22), "22 tłumaczenia");
    CHECK_STR("uk 21 хвилина", plural_str(&b, uk, nl, "minutes", 21), "21 хвилина");
    CHECK_STR("uk 15 хвилин", plural_str(&b, uk, nl, "minutes", 15), "15 хвилин");
    CHECK_STR("ar 0 in Arabic-Indic digits", plural_str(&b, ar, nl, "minutes", 0), "٠ دقيقة");
    CHECK_STR("ar 1 names the count in the word", plural_str(&b, ar, nl, "minutes", 1), "دقيقة واحدة");
    CHECK_STR("ar 2 is the dual", plural_str(&b, ar, nl, "minutes", 2), "دقيقتان");
    CHECK_STR("ar 3 in Arabic-Indic digits", plural_str(&b, ar, nl, "minutes", 3), "٣ دقائق");
    CHECK_STR("ar 15 in Arabic-Indic digits", plural_str(&b, ar, nl, "minutes", 15), "١٥ دقيقة");
    CHECK_STR("ar-MA 3 in Latin digits", plural_str(&b, ar_ma, nl, "minutes", 3), "3 دقائق");
    CHECK_STR("ti 0 uses the one form", plural_str(&b, ti, nl, "minutes", 0), "0 ደቒቕ");
    CHECK_STR("ti 20 uses the other form", plural_str(&b, ti, nl, "minutes", 20), "20 ደቓይቕ");
    CHECK_STR("tr keeps the noun singular", plural_str(&b, tr, nl, "minutes", 15), "15 dakika");
    CHECK_STR("a plain string key also fills {n}", plural_str(&b, tr, nl, "week", 12), "12. hafta");
    CHECK_STR("a key nobody has gives nothing", plural_str(&b, tr, nl, "no_such_key", 3), "");
    CHECK_STR("locale_string of a plural key is its other form", locale_string(nl, NULL, "minutes"),
              "{n} minuten");

    CHECK_SUITE("numbers");
    buf_clear(&b);
    locale_format_int(ar, 2026, &b);
    buf_clear(&b2);
    locale_format_int(ar_ma, 2026, &b2);
    CHECK_STR("ar writes Arabic-Indic digits and separator", buf_cstr(&b), "٢٬٠٢٦");
    CHECK_STR("ar-MA writes Latin digits", buf_cstr(&b2), "2.026");
    buf_clear(&b);
    locale_format_int(en, -42, &b);
    CHECK_STR("negative numbers", buf_cstr(&b), "-42");

    CHECK_SUITE("dates");
    CHECK_CONTAINS("nl long date", date_str(&b, nl, 2026, 3, 12, 0, 0, false, DATE_LONG), "12 maart 2026");
    CHECK_CONTAINS("nl long date names the weekday", buf_cstr(&b), "donderdag");
    CHECK_CONTAINS("nl date with time", date_str(&b, nl, 2026, 3, 12, 19, 30, true, DATE_LONG), "19:30");
    CHECK_CONTAINS("nl date with time keeps the day", buf_cstr(&b), "12 maart 2026");
    CHECK_STR("nl short date", date_str(&b, nl, 2026, 3, 12, 0, 0, false, DATE_SHORT), "12 mrt 2026");
    CHECK("a date without time shows no time", !strchr(date_str(&b, nl, 2026, 3, 12, 19, 30, false, DATE_LONG), ':'),
          "[%s]", buf_cstr(&b));
    CHECK_CONTAINS("tr long date", date_str(&b, tr, 2026, 3, 12, 0, 0, false, DATE_LONG), "12 Mart 2026");
    CHECK_CONTAINS("en long date", date_str(&b, en, 2026, 3, 12, 0, 0, false, DATE_LONG), "March 12, 2026");
    CHECK_CONTAINS("uk long date", date_str(&b, uk, 2026, 3, 12, 0, 0, false, DATE_LONG), "12 березня 2026");
    CHECK_CONTAINS("pl long date", date_str(&b, pl, 2026, 3, 12, 0, 0, false, DATE_LONG), "12 marca 2026");
    CHECK_CONTAINS("ti long date", date_str(&b, ti, 2026, 3, 12, 0, 0, false, DATE_LONG), "መጋቢት");

    const char *ard = date_str(&b, ar, 2026, 3, 12, 19, 30, true, DATE_LONG);
    CHECK_CONTAINS("ar date has the Arabic month name for March", ard, "مارس");
    CHECK_CONTAINS("ar date in Arabic-Indic digits", ard, "١٢ مارس ٢٠٢٦");
    CHECK_CONTAINS("ar time in Arabic-Indic digits", ard, "١٩:٣٠");
    const char *armad = date_str(&b2, ar_ma, 2026, 3, 12, 19, 30, true, DATE_LONG);
    CHECK_CONTAINS("ar-MA date has the Arabic month name for March", armad, "مارس");
    CHECK_CONTAINS("ar-MA date in Latin digits", armad, "12 مارس 2026");
    CHECK_CONTAINS("ar-MA time in Latin digits", armad, "19:30");
    CHECK("ar and ar-MA write the date differently", strcmp(buf_cstr(&b), buf_cstr(&b2)) != 0);

    CHECK_CONTAINS("midnight stays on its day", date_str(&b, nl, 2026, 3, 12, 0, 0, true, DATE_SHORT),
                   "12 mrt 2026");
    CHECK_CONTAINS("midnight stays midnight", buf_cstr(&b), "00:00");
    CHECK_CONTAINS("late evening stays on its day", date_str(&b, nl, 2026, 3, 12, 23, 59, true, DATE_SHORT),
                   "12 mrt 2026");
    CHECK_CONTAINS("a leap day", date_str(&b, nl, 2028, 2, 29, 0, 0, false, DATE_LONG), "29 februari 2028");
    CHECK_STR("no date gives nothing", date_str(&b, nl, 0, 0, 0, 0, 0, false, DATE_LONG), "");
    {
        /* Every day of a year, twice (the second time from the formatter's
         * memo, locale.c), against CLDR's Dutch abbreviated month names and
         * the pattern "d MMM y": the memo grows past its first tables and
         * must give each date its own text. */
        static const char *const mon[] = {"jan", "feb", "mrt", "apr", "mei", "jun",
                                          "jul", "aug", "sep", "okt", "nov", "dec"};
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int wrong = 0;
        char want[64], first[160] = "";
        for (int pass = 0; pass < 2; pass++)
            for (int m = 1; m <= 12; m++)
                for (int d = 1; d <= mdays[m - 1]; d++) {
                    snprintf(want, sizeof want, "%d %s 2026", d, mon[m - 1]);
                    const char *got = date_str(&b, nl, 2026, m, d, 0, 0, false, DATE_SHORT);
                    if (strcmp(got, want) && !wrong++)
                        snprintf(first, sizeof first, "%s, not %s", got, want);
                }
        CHECK("every day of 2026, formatted twice, has its own Dutch short date", wrong == 0, "%d wrong, first: %s",
              wrong, first);
        buf_clear(&b);
        buf_puts(&b, "op ");
        Date dt = {.y = 2026, .m = 3, .d = 12};
        locale_format_date(nl, &dt, DATE_SHORT, &b);
        CHECK_STR("a date formatted before is appended to what the buffer holds", buf_cstr(&b), "op 12 mrt 2026");
        CHECK_CONTAINS("the same day with a time is not the day's date", date_str(&b, nl, 2026, 3, 12, 19, 30, true,
                       DATE_SHORT), "19:30");
    }

    CHECK_SUITE("locale_fill");
    buf_clear(&b);
    locale_fill(&b, "Pagina {n} van {total}", "n", "2", "total", "5", (const char *)NULL);
    CHECK_STR("fills every placeholder", buf_cstr(&b), "Pagina 2 van 5");
    buf_clear(&b);
    locale_fill(&b, "Nieuw op {site} {x} {", "site", "Het Baken", (const char *)NULL);
    CHECK_STR("unknown placeholders and a lone brace stay", buf_cstr(&b), "Nieuw op Het Baken {x} {");
    buf_clear(&b);
    locale_fill(&b, "{title}: {summary}", "title", "{summary}", "summary", "kort", (const char *)NULL);
    CHECK_STR("a value is not filled again", buf_cstr(&b), "{summary}: kort");
    buf_clear(&b);
    locale_fill(&b, "{{n}}", "n", "7", (const char *)NULL);
    CHECK_STR("a brace before a placeholder stays", buf_cstr(&b), "{7}");
    buf_clear(&b);
    locale_fill(&b, locale_string(tr, nl, "announce_text"), "title", "Wie ben ik?", "summary", "Kısa.", "date",
                "12 Mart 2026", "url", "https://x.nl/tr/a/", (const char *)NULL);
    CHECK("the Turkish announcement is filled", !strchr(buf_cstr(&b), '{') && strstr(buf_cstr(&b), "‘Wie ben ik?’"),
          "[%s]", buf_cstr(&b));

    /* Fixture locale files live in a temporary project root. */
    snprintf(tmp_root, sizeof tmp_root, "/tmp/lobgen-locale-XXXXXX");
    if (!mkdtemp(tmp_root)) {
        perror("mkdtemp");
        return 2;
    }
    char dir[128];
    snprintf(dir, sizeof dir, "%s/locales", tmp_root);
    mkdir(dir, 0755);

    CHECK_SUITE("fallback and missing keys");
    write_file("locales/tr.yaml", "name: \"Türkçe\"\ndirection: ltr\nreviewed: false\nstrings:\n"
                                  "  home: \"Ana sayfa\"\n  minutes:\n    one: \"{n} dakika\"\n"
                                  "    other: \"{n} dakika\"\n");
    Diags df = DIAGS_INIT;
    Locale *trf = locale_load(a, tmp_root, "tr", &df);
    CHECK("a partial locale file loads", df.len == 0);
    CHECK_STR("its own string", locale_string(trf, nl, "home"), "Ana sayfa");
    CHECK_STR("a missing key falls back to nl", locale_string(trf, nl, "glossary"), "Woordenlijst");
    CHECK_STR("a missing plural key falls back to Dutch plurals", plural_str(&b, trf, nl, "materials_count", 1),
              "1 materiaal");
    CHECK("a key neither has is NULL", locale_string(trf, nl, "no_such_key") == NULL);
    size_t nmiss = 0;
    const char **miss = locale_missing_keys(a, trf, nl, &nmiss);
    CHECK("missing keys: all of nl's but the two it has", nmiss == n_nl_keys - 2, "%zu of %zu", nmiss, n_nl_keys);
    bool has_glossary = false, has_home = false, sorted = true;
    for (size_t i = 0; i < nmiss; i++) {
        has_glossary |= !strcmp(miss[i], "glossary");
        has_home |= !strcmp(miss[i], "home");
        if (i > 0 && strcmp(miss[i - 1], miss[i]) >= 0)
            sorted = false;
    }
    CHECK("missing keys list glossary", has_glossary);
    CHECK("missing keys do not list a key it has", !has_home);
    CHECK("missing keys are sorted", sorted);

    write_file("locales/pl.yaml", "name: \"polski\"\ndirection: ltr\nreviewed: false\nstrings:\n"
                                  "  minutes:\n    one: \"{n} minuta\"\n    other: \"{n} minuty\"\n");
    Diags dw = DIAGS_INIT;
    Locale *plf = locale_load(a, tmp_root, "pl", &dw);
    CHECK("a plural map without few and many is only a warning",
          diags_count(&dw, DIAG_ERROR) == 0 && diags_count(&dw, DIAG_WARNING) == 1);
    const Diag *w = diag_at(&dw, 5, 3);
    CHECK("the warning points at the key and names the forms",
          w && strstr(w->msg, "few and many") && strstr(w->msg, "minutes"), "%s", w ? w->msg : "(none at 5:3)");
    CHECK_STR("a missing form falls back to other", plural_str(&b, plf, nl, "minutes", 5), "5 minuty");
    CHECK_STR("a present form is used", plural_str(&b, plf, nl, "minutes", 1), "1 minuta");
    diags_free(&dw);

    CHECK_SUITE("bad locale file");
    write_file("locales/nl.yaml", "name: \"Nederlands\"\n"     /* 1 */
                                  "direction: sideways\n"      /* 2 */
                                  "reviewed: \"yes\"\n"        /* 3 */
                                  "colour: blue\n"             /* 4 */
                                  "strngs: {}\n"               /* 5 */
                                  "strings:\n"                 /* 6 */
                                  "  home: 12\n"               /* 7 */
                                  "  minutes:\n"               /* 8 */
                                  "    one: \"{n} minuut\"\n"  /* 9 */
                                  "    few: \"{n} minuten\"\n" /* 10 */
                                  "    other: \"{n} minuten\"\n"
                                  "  pages:\n" /* 12 */
                                  "    one: \"{n} pagina\"\n"
                                  "  list: [a, b]\n" /* 14 */
                                  "  week: \"Week {n}\"\n"
                                  "  weird:\n"
                                  "    sevral: \"x\"\n" /* 17 */
                                  "    other: \"y\"\n");
    Diags db = DIAGS_INIT;
    Locale *bad = locale_load(a, tmp_root, "nl", &db);
    diags_sort(&db);
    const Diag *g;
    g = diag_at(&db, 2, 12);
    CHECK("a bad direction is an error at its value", g && g->level == DIAG_ERROR && strstr(g->msg, "ltr") &&
                                                          strstr(g->msg, "rtl") && strstr(g->msg, "sideways"));
    g = diag_at(&db, 3, 11);
    CHECK("a quoted reviewed is an error", g && strstr(g->msg, "true"));
    g = diag_at(&db, 4, 1);
    CHECK("an unknown key is an error at the key", g && strstr(g->msg, "colour") && strstr(g->msg, "strings"));
    g = diag_at(&db, 5, 1);
    CHECK("a misspelt key gets a suggestion", g && strstr(g->msg, "did you mean 'strings'"), "%s",
          g ? g->msg : "(none at 5:1)");
    g = diag_at(&db, 7, 9);
    CHECK("a number as text is an error with how to quote it", g && strstr(g->msg, "home") &&
                                                                    strstr(g->msg, "\"12\""));
    g = diag_at(&db, 10, 5);
    CHECK("few in Dutch is an error naming the forms Dutch has",
          g && strstr(g->msg, "few") && strstr(g->msg, "one and other"), "%s", g ? g->msg : "(none at 10:5)");
    g = diag_at(&db, 12, 3);
    CHECK("a plural map without other is an error at its key", g && strstr(g->msg, "other"));
    g = diag_at(&db, 14, 9);
    CHECK("a list as text is an error", g && strstr(g->msg, "list"));
    g = diag_at(&db, 17, 5);
    CHECK("an unknown category is an error naming the forms Dutch has",
          g && strstr(g->msg, "not a plural category") && strstr(g->msg, "one and other"), "%s",
          g ? g->msg : "(none at 17:5)");
    CHECK("every problem is reported, and only those", diags_count(&db, DIAG_ERROR) == 9, "%zu errors",
          diags_count(&db, DIAG_ERROR));
    if (db.len) {
        char *s = diag_format(&db.items[0]);
        char want[128];
        snprintf(want, sizeof want, "%s/locales/nl.yaml:2:12: ", tmp_root);
        CHECK_CONTAINS("errors print as file:line:col", s, want);
        free(s);
    }
    CHECK_STR("the good strings of a bad file still load", locale_string(bad, NULL, "week"), "Week {n}");
    CHECK("a bad entry is left out", locale_string(bad, NULL, "home") == NULL);

    write_file("locales/nl.yaml", "- just\n- a list\n");
    Diags dl = DIAGS_INIT;
    Locale *bad2 = locale_load(a, tmp_root, "nl", &dl);
    CHECK("a file that is not a map is an error at 1:1",
          dl.len == 1 && dl.items[0].line == 1 && dl.items[0].col == 1 && strstr(dl.items[0].msg, "strings"));
    CHECK_STR("and the locale still has ICU's name", locale_native_name(bad2), "Nederlands");

    Diags dt = DIAGS_INIT;
    Locale *pathy = locale_load(a, tmp_root, "../etc", &dt);
    CHECK("a tag that is a path is refused", diags_count(&dt, DIAG_ERROR) == 1);

    remove_file("locales/tr.yaml");
    remove_file("locales/pl.yaml");
    remove_file("locales/nl.yaml");
    rmdir(dir);
    rmdir(tmp_root);

    for (int i = 0; i < N_SHIPPED; i++)
        locale_free(loc[i]);
    locale_free(empty);
    locale_free(ar_ma);
    locale_free(fa);
    locale_free(trf);
    locale_free(plf);
    locale_free(bad);
    locale_free(bad2);
    locale_free(pathy);
    diags_free(&dz);
    diags_free(&dm);
    diags_free(&dfa);
    diags_free(&df);
    diags_free(&db);
    diags_free(&dl);
    diags_free(&dt);
    buf_free(&b);
    buf_free(&b2);
    arena_free(a);
    CHECK_DONE();
}
