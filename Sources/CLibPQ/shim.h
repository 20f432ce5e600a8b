#ifndef QUALITY_GATES_CLIBPQ_SHIM_H
#define QUALITY_GATES_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#include <poll.h>
#endif
