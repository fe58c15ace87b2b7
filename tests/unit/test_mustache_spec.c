/* The official Mustache spec cases (../shared/conformance/mustache-spec/, every .json file):
 * every case compiles its template, resolves its partials through a lookup
 * that compiles and caches them, renders its data and must give exactly the
 * expected text. One CHECK per case. */
#include "check.h"
#include "mustache.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPEC_DIR "../shared/conformance/mustache-spec"

static const char *required[] = {"comments.json", "delimiters.json", "interpolation.json", "inverted.json",
                                 "partials.json", "sections.json", "~inheritance.json", "~dynamic-names.json"};

static Value *to_value(Arena *a, const cJSON *j)
{
    if (cJSON_IsNumber(j))
        return value_num(a, j->valuedouble);
    if (cJSON_IsString(j))
        return value_str(a, j->valuestring);
    if (cJSON_IsBool(j))
        return value_bool(a, cJSON_IsTrue(j));
    if (cJSON_IsArray(j)) {
        Value *l = value_list(a);
        const cJSON *it;
        cJSON_ArrayForEach(it, j) value_push(a, l, to_value(a, it));
        return l;
    }
    if (cJSON_IsObject(j)) {
        Value *m = value_map(a);
        const cJSON *it;
        cJSON_ArrayForEach(it, j) value_set(a, m, it->string, to_value(a, it));
        return m;
    }
    return value_null(a);
}

/* The case's partials, compiled on first use. */
typedef struct {
    const cJSON *partials;
    const char *names[64];
    Mustache *compiled[64];
    int n;
} Partials;

static const Mustache *lookup(void *ctx, const char *name, Diags *d)
{
    Partials *p = ctx;
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->names[i], name) == 0)
            return p->compiled[i];
    const cJSON *src = p->partials ? cJSON_GetObjectItemCaseSensitive(p->partials, name) : NULL;
    if (!cJSON_IsString(src) || p->n == 64)
        return NULL;
    Mustache *m = mustache_compile(src->valuestring, strlen(src->valuestring), name, d);
    p->names[p->n] = name;
    p->compiled[p->n++] = m;
    return m;
}

static void run_case(const char *file, const cJSON *tc)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(tc, "name");
    const cJSON *tpl = cJSON_GetObjectItemCaseSensitive(tc, "template");
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(tc, "expected");
    char label[512];
    snprintf(label, sizeof label, "%s / %s", file, cJSON_IsString(name) ? name->valuestring : "(unnamed)");
    if (!cJSON_IsString(tpl) || !cJSON_IsString(want)) {
        CHECK(label, 0, "the case has no template or expected text");
        return;
    }
    Arena *a = arena_new();
    Value *data = to_value(a, cJSON_GetObjectItemCaseSensitive(tc, "data"));
    Partials parts = {cJSON_GetObjectItemCaseSensitive(tc, "partials"), {0}, {0}, 0};
    Diags d = DIAGS_INIT;
    Buf out = BUF_INIT;
    Mustache *m = mustache_compile(tpl->valuestring, strlen(tpl->valuestring), "template", &d);
    bool ok = m && mustache_render(m, data, lookup, &parts, &out, &d);
    char *err = d.len ? diag_format(&d.items[0]) : NULL;
    CHECK(label, ok && strcmp(buf_cstr(&out), want->valuestring) == 0, "got [%s] want [%s]%s%s", buf_cstr(&out),
          want->valuestring, err ? " error: " : "", err ? err : "");
    free(err);
    buf_free(&out);
    diags_free(&d);
    mustache_free(m);
    for (int i = 0; i < parts.n; i++)
        mustache_free(parts.compiled[i]);
    arena_free(a);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
    CHECK_SUITE("mustache spec");
    DIR *dir = opendir(SPEC_DIR);
    if (!dir) {
        /* on a developer's machine a note; in CI (CI=true) the cases must run */
        const char *ci = getenv("CI");
        if (ci && !strcmp(ci, "true")) {
            CHECK("conformance cases are present (CI=true)", false, "%s/ is absent", SPEC_DIR);
            CHECK_DONE();
        }
        printf("NOTE mustache spec conformance cases were not run: %s/ is absent\n", SPEC_DIR);
        return 0;
    }
    char *files[256];
    size_t nf = 0;
    struct dirent *de;
    while ((de = readdir(dir)) && nf < 256) {
        size_t l = strlen(de->d_name);
        if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0)
            files[nf++] = xstrdup(de->d_name);
    }
    closedir(dir);
    qsort(files, nf, sizeof files[0], cmp_str);

    for (size_t r = 0; r < sizeof required / sizeof required[0]; r++) {
        bool found = false;
        for (size_t i = 0; i < nf; i++)
            found = found || strcmp(files[i], required[r]) == 0;
        if (!found)
            CHECK(required[r], 0, "the spec file %s/%s is missing", SPEC_DIR, required[r]);
    }

    for (size_t i = 0; i < nf; i++) {
        if (strcmp(files[i], "~lambdas.json") == 0) {
            printf("NOTE %s skipped: lobgen templates have no lambdas\n", files[i]);
            continue;
        }
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SPEC_DIR, files[i]);
        size_t text_len;
        char *text = read_file(path, &text_len);
        cJSON *root = text ? cJSON_Parse(text) : NULL;
        const cJSON *tests = cJSON_GetObjectItemCaseSensitive(root, "tests");
        if (!cJSON_IsArray(tests)) {
            CHECK(files[i], 0, "cannot read the spec file %s as JSON with a tests list", path);
        } else {
            const cJSON *tc;
            cJSON_ArrayForEach(tc, tests) run_case(files[i], tc);
        }
        cJSON_Delete(root);
        free(text);
    }
    for (size_t i = 0; i < nf; i++)
        free(files[i]);
    CHECK_DONE();
}
