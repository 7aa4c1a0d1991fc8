#include <sqlite3.h>

/* sqlite3_config is variadic, which Swift cannot call. Memory statistics take a global mutex on every
   allocation SQLite makes; nothing here reads them. Must run before the first connection opens. */
static inline int mailbox_onboard_sqlite_config(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#ifdef __linux__
/* Linux's sync_file_range, which the C library declares only under _GNU_SOURCE. */
int sync_file_range(int fd, long offset, long nbytes, unsigned int flags);
#endif
