#include "model.h"

#include <string.h>

const char *const kind_names[KIND_COUNT] = {"thuisopdrachten", "gesprekken", "ouderavonden"};

Kind kind_from_name(const char *name, size_t len)
{
    for (int k = 0; k < KIND_COUNT; k++)
        if (strlen(kind_names[k]) == len && !memcmp(kind_names[k], name, len))
            return (Kind)k;
    return KIND_COUNT;
}
