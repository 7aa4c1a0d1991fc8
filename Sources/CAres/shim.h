#include <ares.h>
#include <arpa/nameser.h>

/* ares_getsock's bit tests are macros, which Swift cannot call. */
static inline int mailbox_onboard_ares_readable(int bits, int number) { return ARES_GETSOCK_READABLE(bits, number) != 0; }
static inline int mailbox_onboard_ares_writable(int bits, int number) { return ARES_GETSOCK_WRITABLE(bits, number) != 0; }
