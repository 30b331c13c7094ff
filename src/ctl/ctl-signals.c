/* ctl-signals.c: SIGINT, SIGTERM and SIGHUP in the one-shot commands
 *
 * A command can be stopped anywhere, also blocked for ever in a system call
 * (publish reading a FIFO nobody writes, read opening one nobody reads), and
 * the library resumes its system calls after EINTR. So a signal never
 * interrupts the command's thread: a thread of ours takes it with sigwait(),
 * undoes what the command registered, and ends the process by the signal.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "shmview-ctl"

#include "config.h"

#include "ctl-signals.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

static GMutex lock;
static GCond released;
static int holds;
static int taken;         /* the signal being dealt with, 0 before one came */
static gboolean catching; /* a signal is recorded for ctl_signals_wait() */
static int caught;
static GDestroyNotify cleanup_func;
static gpointer cleanup_data;

static void
stop_signal_set (sigset_t *set)
{
  sigemptyset (set);
  sigaddset (set, SIGINT);
  sigaddset (set, SIGTERM);
  sigaddset (set, SIGHUP);
}

/* Ends the process by @sig, the default way. */
static void
die_by (int sig)
{
  sigset_t set;

  signal (sig, SIG_DFL);
  sigemptyset (&set);
  sigaddset (&set, sig);
  pthread_sigmask (SIG_UNBLOCK, &set, NULL);
  raise (sig);
  _exit (128 + sig); /* not reached */
}

static gpointer
signal_thread (gpointer data)
{
  sigset_t set;
  int sig;

  stop_signal_set (&set);
  for (;;)
    {
      while (sigwait (&set, &sig) != 0)
        ;
      g_mutex_lock (&lock);
      if (!catching)
        break;
      /* A command that stays until stopped ends by itself, exiting 0. */
      caught = sig;
      g_cond_broadcast (&released);
      g_mutex_unlock (&lock);
    }
  /* The lock stays held: the command's thread can neither start a held
   * step nor change the clean-up while we die. */
  taken = sig;
  while (holds > 0)
    g_cond_wait (&released, &lock);
  if (cleanup_func != NULL)
    cleanup_func (cleanup_data);
  die_by (sig);
  return NULL;
}

/* Once a signal came, the command's thread goes no further (it must not
 * exit with a status of its own first): the signal thread ends us. */
static void
wait_for_the_end (void)
{
  while (taken != 0)
    g_cond_wait (&released, &lock);
}

static void
at_exit (void)
{
  g_mutex_lock (&lock);
  wait_for_the_end ();
  g_mutex_unlock (&lock);
}

void
ctl_signals_start (void)
{
  sigset_t set;

  stop_signal_set (&set);
  /* Blocked here, so in every thread started from now on. */
  pthread_sigmask (SIG_BLOCK, &set, NULL);
  atexit (at_exit);
  g_thread_unref (g_thread_new ("signals", signal_thread, NULL));
}

void
ctl_signals_set_cleanup (GDestroyNotify cleanup, gpointer data)
{
  g_mutex_lock (&lock);
  cleanup_func = cleanup;
  cleanup_data = data;
  g_mutex_unlock (&lock);
}

void
ctl_signals_hold (void)
{
  g_mutex_lock (&lock);
  holds++;
  g_mutex_unlock (&lock);
}

void
ctl_signals_release (void)
{
  g_mutex_lock (&lock);
  if (--holds == 0)
    g_cond_broadcast (&released);
  wait_for_the_end ();
  g_mutex_unlock (&lock);
}

void
ctl_signals_catch (void)
{
  g_mutex_lock (&lock);
  catching = TRUE;
  g_mutex_unlock (&lock);
}

int
ctl_signals_wait (void)
{
  int sig;

  g_mutex_lock (&lock);
  while (caught == 0)
    g_cond_wait (&released, &lock);
  sig = caught;
  g_mutex_unlock (&lock);
  return sig;
}
