/* never_listen_server.c - prints nothing, never listens, sleeps forever.
 * The runner must give up waiting for the port and clean up.  All arguments
 * are ignored. */
#include <unistd.h>

int main(void)
{
    for (;;)
        pause();
}
