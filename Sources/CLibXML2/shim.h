#ifndef QUALITY_GATES_CLIBXML2_SHIM_H
#define QUALITY_GATES_CLIBXML2_SHIM_H

// libxml2's headers pull in ICU when it is enabled, and ICU's UErrorCode clashes with the ICU
// module Foundation ships. None of the APIs used here need ICU, so it is switched off first.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>

#endif
