#include <libxml/xmlversion.h>
/* Swift's Foundation carries its own ICU; libxml2's encoding header would include the system's, and the two clash
   in one module. Nothing here touches libxml2's ICU converters, only pointers to them. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
