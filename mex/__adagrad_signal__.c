/* __adagrad_signal__.c: Ctrl-C and other signals during a run of adagrad_train.

   Octave answers a signal at the next point where its interpreter looks for
   one (octave_quit): SIGINT becomes an error that try/catch cannot catch;
   SIGTERM, SIGHUP and SIGQUIT end Octave ("fatal: caught signal", status 1);
   SIGCHLD reaps a child; others print a warning. Inside a run that would
   abort an output function, a checkpoint write or any Octave code of the run
   with nothing saved. So, between "defer" and "release", the signal hook of
   Octave's quit.h (which runs before Octave answers) holds them back:
   interrupts are counted here instead of thrown, another signal is noted
   (Octave itself remembers which one), and the flag the C loop watches stays
   raised, so that the loop stops at once. The run then asks "take": after an
   interrupt it saves its checkpoint and raises the catchable
   adagrad:interrupted; after another signal it saves its checkpoint and calls
   "handoff", which lets Octave answer as it always does (and the run carries
   on where it stopped when Octave does not end). A third Ctrl-C while two are
   held goes through at once as Octave's own interrupt, so that an output
   function that never returns can still be left.

   __adagrad_signal__ ("defer")           start holding (nests)
   [n, other] = __adagrad_signal__ ("take")
                                          interrupts held and whether another
                                          signal came (both then forgotten)
   p = __adagrad_signal__ ("pending")     whether "take" would find something
   __adagrad_signal__ ("handoff")         let Octave answer what is pending
   __adagrad_signal__ ("release")         end of one "defer"; at the last one,
                                          what is still pending goes to Octave
   [n, e] = __adagrad_signal__ ("seen")   interrupts Octave answered itself
                                          since the last "seen" (outside a
                                          "defer", e.g. inside parcellfun,
                                          which turns them into other errors);
                                          e: whether the watcher ended the
                                          workers for another signal
   __adagrad_signal__ ("watch")           until "unwatch": pass an interrupt on
                                          to parcellfun's workers, and end
                                          them on any other signal from
                                          outside (SIGTERM, SIGHUP: Octave
                                          then ends once parcellfun returns)
   __adagrad_signal__ ("endworkers")      end parcellfun's workers (SIGKILL) */
#define _DEFAULT_SOURCE
#include "ag_mex.h"

#include <dirent.h>
#include <pthread.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* From Octave's quit.h, which is C++ only: called by octave_handle_signal
   before it throws for a positive octave_interrupt_state. */
extern void (*octave_signal_hook) (void);

static void (*octave_hook) (void);
static int installed;
static int depth;       /* nesting of "defer" */
static int held;        /* interrupts held back */
static int other;       /* another signal came */
static int raised;      /* the flag was raised here, not by a new signal */
static int passthrough; /* the next look goes to Octave */
static int passed;      /* interrupts Octave was left to answer */

static void
hold_signals (void)
{
  volatile sig_atomic_t *state = &octave_interrupt_state;
  if (depth == 0 || passthrough || (*state > 0 && held + *state >= 3))
    {
      /* Octave's own answer (for a third interrupt: it throws when this
         returns with the state still positive). */
      passthrough = 0;
      if (*state > 0)
        {
          held = 0;
          passed++;
        }
      if (octave_hook)
        octave_hook ();
      return;
    }
  if (*state > 0)
    {
      held += *state;
      *state = 0;
    }
  else if (! raised)
    other = 1;
  raised = 0;
  if (held > 0 || other)
    {
      octave_signal_caught = 1;
      raised = 1;
    }
}

static void unwatch (void);

static void
restore (void)
{
  unwatch ();
  if (installed && octave_signal_hook == hold_signals)
    octave_signal_hook = octave_hook;
  installed = 0;
}

/* While parcellfun waits for results (in a select that does not wake for
   signals), a thread of ours looks at the interrupt count every 20 ms and,
   on an interrupt, passes SIGINT on to the worker processes (children of
   this process running __rfeval_slave__): their runs stop with
   adagrad:interrupted, their answers wake parcellfun, which then sees the
   interrupt itself. A Ctrl-C at a terminal reaches the workers anyway (one
   process group); a SIGINT sent to this process alone does not. */
static pthread_t watcher;
static volatile sig_atomic_t watching;
/* Set when the watcher ended the workers for a signal other than SIGINT. */
static volatile sig_atomic_t ended_for_signal;

/* SIG (0: none) to the worker processes of parcellfun (children of this
   process running __rfeval_slave__ that have not ended); returns how many
   there are. */
static int
signal_workers (int sig)
{
  int count = 0;
  DIR *dir = opendir ("/proc");
  if (! dir)
    return 0;
  pid_t me = getpid ();
  struct dirent *e;
  while ((e = readdir (dir)))
    {
      char *end;
      long pid = strtol (e->d_name, &end, 10);
      if (*end != '\0' || pid <= 0)
        continue;
      char path[64], buf[4096];
      snprintf (path, sizeof path, "/proc/%ld/stat", pid);
      FILE *f = fopen (path, "r");
      if (! f)
        continue;
      size_t len = fread (buf, 1, sizeof buf - 1, f);
      fclose (f);
      buf[len] = '\0';
      char *close = strrchr (buf, ')');
      long ppid = -1;
      char state = '?';
      if (! close || sscanf (close + 1, " %c %ld", &state, &ppid) != 2 || ppid != (long) me
          || state == 'Z' || state == 'X')
        continue;
      snprintf (path, sizeof path, "/proc/%ld/cmdline", pid);
      f = fopen (path, "r");
      if (! f)
        continue;
      len = fread (buf, 1, sizeof buf - 1, f);
      fclose (f);
      for (size_t i = 0; i < len; i++)
        if (buf[i] == '\0')
          buf[i] = ' ';
      buf[len] = '\0';
      if (strstr (buf, "__rfeval_slave__"))
        {
          count++;
          if (sig > 0)
            kill ((pid_t) pid, sig);
        }
    }
  closedir (dir);
  return count;
}

/* SIGTERM, SIGHUP (and the other signals Octave ends on) while parcellfun
   waits: Octave 7 takes them in a sigwait thread of its own, notes them
   (octave_signal_caught) and answers ("fatal: caught signal") only when its
   interpreter looks again, which parcellfun's wait does not do until every
   busy worker has sent its result: minutes for long cells. The number of
   the signal is not exported, but while parcellfun waits the only children
   are its workers, so a raised flag with no interrupt and every worker still
   there is a signal from outside (a worker's own end, SIGCHLD, leaves one
   fewer): the watcher then ends the workers (SIGKILL, so that none dumps its
   workspace), parcellfun returns, and Octave answers the signal. */
static void *
watch_interrupts (void *arg)
{
  (void) arg;
  struct timespec pause = { 0, 20000000 };
  int seen_clear = 0, most = 0, raised = 0;
  while (watching)
    {
      if (*(volatile sig_atomic_t *) &octave_interrupt_state > 0)
        {
          signal_workers (SIGINT);
          break;
        }
      int now = signal_workers (0);
      most = now > most ? now : most;
      if (! octave_signal_caught)
        seen_clear = 1, raised = 0;
      /* Two looks in a row: Octave's handler raises the flag a moment before
         it counts an interrupt. */
      else if (seen_clear && most > 0 && now == most && ++raised >= 2)
        {
          ended_for_signal = 1;
          signal_workers (SIGKILL);
          break;
        }
      nanosleep (&pause, NULL);
    }
  return NULL;
}

static void
unwatch (void)
{
  if (watching)
    {
      watching = 0;
      pthread_join (watcher, NULL);
    }
}

/* The next look of the interpreter goes to Octave's own answer. */
static void
hand_off (void)
{
  passthrough = 1;
  octave_signal_caught = 1;
}

void
mexFunction (int nlhs, mxArray *plhs[], int nrhs, const mxArray *prhs[])
{
  ag_mex_nargs (nrhs, 1, 1, nlhs, 2);
  char cmd[16];
  if (! mxIsChar (prhs[0]) || mxGetString (prhs[0], cmd, sizeof cmd) != 0)
    ag_mex_fail ("adagrad:badvalue", "CMD", "one of defer, take, pending, handoff, release, seen, watch, unwatch, endworkers");
  double out[2] = { 0, 0 };
  if (! installed)
    {
      /* The hook points into this file: it must stay loaded. */
      mexLock ();
      mexAtExit (restore);
      octave_hook = octave_signal_hook;
      octave_signal_hook = hold_signals;
      installed = 1;
    }
  if (strcmp (cmd, "defer") == 0)
    depth++;
  else if (strcmp (cmd, "watch") == 0)
    {
      unwatch ();
      ended_for_signal = 0;
      watching = 1;
      if (pthread_create (&watcher, NULL, watch_interrupts, NULL) != 0)
        watching = 0;
    }
  else if (strcmp (cmd, "unwatch") == 0)
    unwatch ();
  else if (strcmp (cmd, "endworkers") == 0)
    /* SIGKILL: SIGTERM would make each dump its workspace into its folder. */
    signal_workers (SIGKILL);
  else if (strcmp (cmd, "seen") == 0)
    {
      out[0] = passed;
      out[1] = ended_for_signal;
      passed = 0;
    }
  else if (strcmp (cmd, "take") == 0 || strcmp (cmd, "pending") == 0)
    {
      /* A signal whose flag the interpreter has not looked at yet. */
      if (depth > 0 && octave_signal_caught && ! raised)
        other = 1;
      out[0] = held;
      out[1] = other;
      if (cmd[0] == 't')
        held = other = 0;
      else
        out[0] = held > 0 || other;
    }
  else if (strcmp (cmd, "handoff") == 0)
    hand_off ();
  else if (strcmp (cmd, "release") == 0)
    {
      if (depth > 0 && --depth == 0)
        {
          held = other = 0;
          hand_off ();
        }
    }
  else
    ag_mex_fail ("adagrad:badvalue", "CMD", "one of defer, take, pending, handoff, release, seen, watch, unwatch, endworkers");
  for (int i = 0; i < nlhs && i < 2; i++)
    plhs[i] = mxCreateDoubleScalar (out[i]);
}
