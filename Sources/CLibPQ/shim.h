#ifndef QUALITY_GATES_CLIBPQ_SHIM_H
#define QUALITY_GATES_CLIBPQ_SHIM_H
// Types and constants only: the Postgres module loads libpq.so.5 when a database check first
// connects (LibPQ.swift), so runs without one never load libpq and its ~20 dependencies.
// libpq-fe.h includes its siblings with quotes, so no -I flag is needed.
#include <postgresql/libpq-fe.h>
#include <poll.h>
#endif
