/* The JSON writer (json.h): whatever a Value holds, the output is JSON that
 * another parser (cJSON) reads back to the same values. */
#include "check.h"
#include "json.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>

int main(void)
{
    CHECK_SUITE("json");
    Arena *a = arena_new();
    static const char *const strs[] = {"gewoon", "aan\"halingstekens\" en \\schuine\\", "regel\neen\r\ttab",
                                       "\x01\x1f stuur", "één · ثلاثة · 🙂", ""};
    const size_t ns = sizeof strs / sizeof strs[0];
    static const double nums[] = {0, 1, -2.5, 0.1, 1e20, 123456789012345.0, -0.000125, 1.0 / 3};
    const size_t nn = sizeof nums / sizeof nums[0];
    Value *root = value_map(a), *sl = value_list(a), *nl = value_list(a);
    for (size_t i = 0; i < ns; i++)
        value_push(a, sl, value_str(a, strs[i]));
    for (size_t i = 0; i < nn; i++)
        value_push(a, nl, value_num(a, nums[i]));
    value_set(a, root, "strings", sl);
    value_set(a, root, "numbers", nl);
    value_set(a, root, "key \"with\" quotes", value_bool(a, true));
    value_set(a, root, "nothing", value_null(a));
    value_set(a, root, "not a number", value_num(a, NAN));
    value_set(a, root, "empty list", value_list(a));
    value_set(a, root, "empty map", value_map(a));

    Buf out = BUF_INIT;
    json_write(&out, root);
    cJSON *j = cJSON_Parse(out.data);
    CHECK("the output parses as JSON", j != NULL, "%s", out.data);
    if (!j) {
        buf_free(&out);
        arena_free(a);
        CHECK_DONE();
    }
    cJSON *js = cJSON_GetObjectItemCaseSensitive(j, "strings");
    bool same = cJSON_GetArraySize(js) == (int)ns;
    for (size_t i = 0; same && i < ns; i++) {
        cJSON *e = cJSON_GetArrayItem(js, (int)i);
        same = cJSON_IsString(e) && !strcmp(e->valuestring, strs[i]);
        if (!same)
            printf("string %zu: [%s]\n", i, cJSON_IsString(e) ? e->valuestring : "(not a string)");
    }
    CHECK("quotes, backslashes, control characters and UTF-8 come back exactly", same, "");
    cJSON *jn = cJSON_GetObjectItemCaseSensitive(j, "numbers");
    same = cJSON_GetArraySize(jn) == (int)nn;
    for (size_t i = 0; same && i < nn; i++)
        same = cJSON_GetArrayItem(jn, (int)i)->valuedouble == nums[i];
    CHECK("numbers come back as the same doubles", same, "");
    CHECK("whole numbers print without a fraction", strstr(out.data, "\n    1,\n") != NULL, "%s", out.data);
    CHECK("a key with quotes, true, null", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "key \"with\" quotes")) &&
                                             cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "nothing")),
          "");
    CHECK("NaN (no JSON form) becomes null", cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "not a number")), "");
    CHECK("empty list and map", !strcmp(strstr(out.data, "\"empty list\""), "\"empty list\": [],\n  \"empty map\": {}\n}"),
          "%s", out.data);
    CHECK("map keys keep their order", strstr(out.data, "\"strings\"") < strstr(out.data, "\"numbers\""), "");
    cJSON_Delete(j);
    buf_free(&out);
    arena_free(a);
    CHECK_DONE();
}
