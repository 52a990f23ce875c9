/* ag_mex_os.h: the operating-system policy of the MEX gateways: how many threads a
   call takes when the user leaves it to the package (OMP_NUM_THREADS, else the
   cores the other running tasks leave free, from /proc/loadavg), and how much
   memory this process may still use (its cgroup limit, ulimit -v, the machine's
   available memory), with the probe that refuses a call that cannot fit. */
#ifndef AG_MEX_OS_H
#define AG_MEX_OS_H

#include "mex.h"
#include "ag.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* The runnable tasks of the machine now (the fourth field of /proc/loadavg,
   "running/total"), or -1. */
static inline int
ag_mex_running (void)
{
  FILE *f = fopen ("/proc/loadavg", "r");
  int running = -1, total;
  double l1, l5, l15;
  if (f)
    {
      if (fscanf (f, "%lf %lf %lf %d/%d", &l1, &l5, &l15, &running, &total) != 5)
        running = -1;
      fclose (f);
    }
  return running;
}

/* OMP_NUM_THREADS when it is set (the user's choice); else the cores,
   lowered to those that other running tasks leave free now, at least 1: OpenMP's
   threads wait for each other by spinning, and beside busy processes a
   thread that is not running stalls the others (measured at n = 100, d = 10,
   m = 1000 with two busy processes on two cores: 2.9x the idle one-thread
   step with two threads, 1.6x with one). Every result is bitwise the same
   for any thread count, so the choice changes only the speed. */
static inline int
ag_mex_auto_threads (void)
{
  int want = ag_default_threads ();
  const char *env = getenv ("OMP_NUM_THREADS");
  if (env && *env)
    return want;
  long cores = sysconf (_SC_NPROCESSORS_ONLN);
  int running = ag_mex_running ();
  if (running < 1 || cores < 1)
    return want;
  long spare = cores - (running - 1);   /* the caller is one of the running tasks */
  if (spare < want)
    want = spare < 1 ? 1 : (int) spare;
  return want;
}

/* A number read from the first line of FILE, or -1. */
static inline double
ag_mex_read_number (const char *file)
{
  FILE *f = fopen (file, "r");
  double v = -1;
  if (f)
    {
      char line[64];
      if (fgets (line, sizeof line, f) && line[0] >= '0' && line[0] <= '9')
        v = strtod (line, NULL);
      fclose (f);
    }
  return v;
}

/* The value of KEY (in kB) in a /proc file such as /proc/meminfo, in bytes, or -1. */
static inline double
ag_mex_proc_kb (const char *file, const char *key)
{
  FILE *f = fopen (file, "r");
  double v = -1;
  if (f)
    {
      char line[256];
      size_t len = strlen (key);
      while (fgets (line, sizeof line, f))
        if (strncmp (line, key, len) == 0 && line[len] == ':')
          {
            v = 1024.0 * strtod (line + len + 1, NULL);
            break;
          }
      fclose (f);
    }
  return v;
}

/* Headroom under the cgroup memory limit of this process and of its
   ancestors: DIR is the cgroup's folder, LIMIT and USAGE the file names. */
static inline double
ag_mex_cgroup_room (const char *mount, const char *path, const char *limit, const char *usage)
{
  char dir[1024];
  double room = INFINITY;
  snprintf (dir, sizeof dir, "%s%s", mount, path);
  for (;;)
    {
      char f1[1100], f2[1100];
      snprintf (f1, sizeof f1, "%s/%s", dir, limit);
      snprintf (f2, sizeof f2, "%s/%s", dir, usage);
      double lim = ag_mex_read_number (f1), use = ag_mex_read_number (f2);
      if (lim >= 0 && lim < 1e18 && use >= 0 && lim - use < room)
        room = lim - use;
      char *slash = strrchr (dir, '/');
      if (! slash || (size_t) (slash - dir) <= strlen (mount))
        break;
      *slash = '\0';
    }
  return room;
}

/* What this process may still allocate without being killed: the least of
   the headroom under its cgroup memory limits (v1 and v2), under RLIMIT_AS,
   and of the machine's available memory and free swap (overcommit lets
   malloc promise more than that, and the kernel then kills the process).
   INFINITY when nothing says. */
static inline double
ag_mex_headroom (void)
{
  double room = INFINITY;
  FILE *f = fopen ("/proc/self/cgroup", "r");
  if (f)
    {
      char line[1024];
      while (fgets (line, sizeof line, f))
        {
          line[strcspn (line, "\n")] = '\0';
          char *c1 = strchr (line, ':'), *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
          if (! c2)
            continue;
          *c2 = '\0';
          const char *ctrl = c1 + 1, *path = c2 + 1;
          double r = INFINITY;
          if (strcmp (ctrl, "memory") == 0)
            r = ag_mex_cgroup_room ("/sys/fs/cgroup/memory", path, "memory.limit_in_bytes",
                                    "memory.usage_in_bytes");
          else if (ctrl[0] == '\0')
            {
              double r1 = ag_mex_cgroup_room ("/sys/fs/cgroup", path, "memory.max",
                                              "memory.current");
              double r2 = ag_mex_cgroup_room ("/sys/fs/cgroup/unified", path, "memory.max",
                                              "memory.current");
              r = r1 < r2 ? r1 : r2;
            }
          if (r < room)
            room = r;
        }
      fclose (f);
    }
  struct rlimit rl;
  if (getrlimit (RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    {
      double size = ag_mex_proc_kb ("/proc/self/status", "VmSize");
      if (size >= 0 && (double) rl.rlim_cur - size < room)
        room = (double) rl.rlim_cur - size;
    }
  double avail = ag_mex_proc_kb ("/proc/meminfo", "MemAvailable");
  double swap = ag_mex_proc_kb ("/proc/meminfo", "SwapFree");
  if (avail >= 0 && avail + (swap > 0 ? swap : 0) < room)
    room = avail + (swap > 0 ? swap : 0);
  return room;
}

/* Fails with adagrad:nomemory, before anything is allocated and without
   touching the caller's arrays, when BYTES (a double, so that products of
   sizes cannot wrap) cannot be had: more than the process may still use
   (ag_mex_headroom, read for requests of 64 MiB and more: it costs about
   0.2 ms), or refused by malloc (a plain malloc probes: on failure Octave's
   own allocator would raise a different, unidentified error). */
static inline void
ag_mex_probe (double bytes)
{
  double room = bytes >= 67108864.0 ? ag_mex_headroom () : INFINITY;
  if (bytes > room)
    mexErrMsgIdAndTxt ("adagrad:nomemory",
                       "cannot allocate %.3g bytes: this process may use %.3g more "
                       "(its cgroup memory limit, address-space limit or the machine's "
                       "available memory)", bytes, room > 0 ? room : 0.0);
  void *p = NULL;
  if (bytes < (double) (SIZE_MAX / 2))
    p = malloc ((size_t) bytes > 0 ? (size_t) bytes : 1);
  if (! p)
    mexErrMsgIdAndTxt ("adagrad:nomemory", "cannot allocate %.3g bytes", bytes);
  free (p);
}

#endif /* AG_MEX_OS_H */
