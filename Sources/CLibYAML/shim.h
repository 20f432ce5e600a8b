#ifndef QUALITY_GATES_CLIBYAML_SHIM_H
#define QUALITY_GATES_CLIBYAML_SHIM_H
#include <yaml.h>
#endif
