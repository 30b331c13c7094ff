/* test-semaphore.c: ShmvSemaphore, after Qt's tst_qsystemsemaphore
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <shmview/shmview.h>

#include "shmv-names.h"
#include "shmv-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534

/* A handle on @key, opened as @mode says: shmv_semaphore_error() tells how
 * that went. */
static ShmvSemaphore *
semaphore_open (const char *key, int initial_value, ShmvSemaphoreMode mode)
{
  ShmvSemaphore *sem = shmv_semaphore_new (key);

  g_assert_nonnull (sem);
  g_assert_cmpint (shmv_semaphore_open (sem, initial_value, mode), ==,
                   shmv_semaphore_error (sem) == SHMV_ERROR_NONE);
  return sem;
}

static gboolean
sem_exists (ShmvSemaphore *sem)
{
  return shmv_test_shm_exists (shmv_semaphore_native_key (sem));
}

static void
test_no_key (void)
{
  ShmvSemaphore *sem = semaphore_open (NULL, 1, SHMV_SEMAPHORE_CREATE);

  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_KEY);
  g_assert_false (shmv_semaphore_acquire (sem));
  g_assert_cmpstr (shmv_semaphore_native_key (sem), ==, "");
  shmv_semaphore_free (sem);
  sem = semaphore_open ("", 1, SHMV_SEMAPHORE_OPEN);
  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_KEY);
  shmv_semaphore_free (sem);
  shmv_semaphore_free (NULL);
}

/* new() only allocates: what can fail is open(), once, and every other call
 * before it says the handle is not open. */
static void
test_open_once (void)
{
  g_autofree char *key = shmv_test_unique_key ("openonce");
  ShmvSemaphore *sem = shmv_semaphore_new (key);

  g_assert_nonnull (sem);
  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_NONE);
  g_assert_false (sem_exists (sem));
  g_assert_false (shmv_semaphore_release (sem, 1));
  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_INVALID_ARGUMENT);
  g_assert_false (shmv_semaphore_open (sem, -1, SHMV_SEMAPHORE_CREATE));
  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_INVALID_ARGUMENT);
  g_assert_true (shmv_semaphore_open (sem, 1, SHMV_SEMAPHORE_CREATE));
  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_NONE);
  g_assert_false (shmv_semaphore_open (sem, 1, SHMV_SEMAPHORE_OPEN));
  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_INVALID_ARGUMENT);
  g_assert_true (shmv_semaphore_try_acquire (sem, 0)); /* still the first open's */
  shmv_semaphore_free (sem);
}

static void
test_counts (void)
{
  g_autofree char *key = shmv_test_unique_key ("count");
  ShmvSemaphore *sem = semaphore_open (key, 2, SHMV_SEMAPHORE_CREATE);

  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_NONE);
  g_assert_true (shmv_semaphore_acquire (sem));
  g_assert_true (shmv_semaphore_acquire (sem));
  g_assert_false (shmv_semaphore_try_acquire (sem, 20));
  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_TIMEOUT);
  g_assert_true (shmv_semaphore_release (sem, 3)); /* above the initial value */
  for (int i = 0; i < 3; i++)
    g_assert_true (shmv_semaphore_try_acquire (sem, 0));
  g_assert_false (shmv_semaphore_try_acquire (sem, 0));
  g_assert_false (shmv_semaphore_release (sem, 0));
  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_INVALID_ARGUMENT);
  shmv_semaphore_free (sem);
}

static void
test_two_handles_one_counter (void)
{
  g_autofree char *key = shmv_test_unique_key ("two");
  ShmvSemaphore *sem1 = semaphore_open (key, 1, SHMV_SEMAPHORE_CREATE);
  ShmvSemaphore *sem2 = semaphore_open (key, 0, SHMV_SEMAPHORE_OPEN);

  g_assert_cmpstr (shmv_semaphore_native_key (sem1), ==, shmv_semaphore_native_key (sem2));
  g_assert_true (shmv_semaphore_acquire (sem1));
  g_assert_true (shmv_semaphore_release (sem2, 1));
  g_assert_true (shmv_semaphore_acquire (sem1));
  g_assert_true (shmv_semaphore_release (sem2, 1));
  g_assert_true (shmv_semaphore_try_acquire (sem2, 0));
  shmv_semaphore_free (sem2);
  g_assert_true (sem_exists (sem1)); /* sem2 did not create it: it keeps the name */
  shmv_semaphore_free (sem1);
}

static void
test_open_creates_missing_and_removes (void)
{
  g_autofree char *key = shmv_test_unique_key ("openmissing");
  ShmvSemaphore *sem = semaphore_open (key, 1, SHMV_SEMAPHORE_OPEN);
  g_autofree char *native = g_strdup (shmv_semaphore_native_key (sem));

  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_NONE);
  g_assert_true (sem_exists (sem));
  g_assert_true (shmv_semaphore_try_acquire (sem, 0));
  g_assert_false (shmv_semaphore_try_acquire (sem, 0));
  shmv_semaphore_free (sem);
  g_assert_false (shmv_test_shm_exists (native));
}

static void
test_create_replaces_stale (void)
{
  g_autofree char *key = shmv_test_unique_key ("stale");
  ShmvSemaphore *old = semaphore_open (key, 0, SHMV_SEMAPHORE_CREATE);
  ShmvSemaphore *fresh = semaphore_open (key, 1, SHMV_SEMAPHORE_CREATE);

  /* A counter left at 0 must not block a new program that asks for a fresh one. */
  g_assert_true (shmv_semaphore_try_acquire (fresh, 0));
  shmv_semaphore_free (old);
  shmv_semaphore_free (fresh);
}

static void
test_acquire_blocks_until_other_process_releases (void)
{
  g_autofree char *key = shmv_test_unique_key ("procs");
  ShmvSemaphore *sem = semaphore_open (key, 0, SHMV_SEMAPHORE_CREATE);
  int fds[2], status;
  pid_t pid;

  g_assert_no_errno (pipe (fds));
  pid = fork ();
  if (pid == 0)
    {
      ShmvSemaphore *child = semaphore_open (key, 0, SHMV_SEMAPHORE_OPEN);
      bool ok = shmv_semaphore_acquire (child);

      if (write (fds[1], ok ? "A\n" : "E\n", 2) != 2)
        _exit (2);
      _exit (ok ? 0 : 1);
    }
  close (fds[1]);
  g_assert_null (shmv_test_read_line (fds[0], 300)); /* blocked */
  g_assert_true (shmv_semaphore_release (sem, 1));
  shmv_test_expect_line (fds[0], "A", 5000);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  close (fds[0]);
  shmv_semaphore_free (sem);
}

static void
test_many_processes_acquire_release (void)
{
  g_autofree char *key = shmv_test_unique_key ("many");
  ShmvSemaphore *sem = semaphore_open (key, 1, SHMV_SEMAPHORE_CREATE);
  pid_t pids[10];

  for (gsize i = 0; i < G_N_ELEMENTS (pids); i++)
    {
      pids[i] = fork ();
      if (pids[i] == 0)
        {
          ShmvSemaphore *child = semaphore_open (key, 0, SHMV_SEMAPHORE_OPEN);

          for (int n = 0; n < 100; n++)
            if (!shmv_semaphore_acquire (child) || !shmv_semaphore_release (child, 1))
              _exit (1);
          _exit (0);
        }
    }
  for (gsize i = 0; i < G_N_ELEMENTS (pids); i++)
    {
      int status;

      g_assert_cmpint (waitpid (pids[i], &status, 0), ==, pids[i]);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }
  /* Exactly one token is left. */
  g_assert_true (shmv_semaphore_try_acquire (sem, 0));
  g_assert_false (shmv_semaphore_try_acquire (sem, 0));
  shmv_semaphore_free (sem);
}

/* The file that holds @key's semaphore of user @uid. */
static char *
sem_file (const char *key, uid_t uid)
{
  char native[SHMV_NATIVE_NAME_SIZE];

  shmv_native_name (native, SHMV_SEMAPHORE_PREFIX, key, uid);
  return g_strdup_printf ("/dev/shm/sem.%s", native + 1);
}

/* Plants a semaphore of value 0 at @path, made as sem_open() makes them,
 * owned by @owner with @mode. */
static void
plant_semaphore (const char *path, uid_t owner, mode_t mode)
{
  sem_t sem = { 0 }; /* sem_init() leaves the padding that we write out */
  int fd = open (path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);

  g_assert_no_errno (fd);
  g_assert_no_errno (sem_init (&sem, 1, 0));
  g_assert_cmpint (write (fd, &sem, sizeof sem), ==, sizeof sem);
  g_assert_no_errno (fchown (fd, owner, owner == geteuid () ? getegid () : NOBODY));
  g_assert_no_errno (fchmod (fd, mode));
  close (fd);
}

/* The value of the semaphore in the file at @path. */
static int
planted_value (const char *path)
{
  sem_t sem;
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  int value = -1;

  g_assert_no_errno (fd);
  g_assert_cmpint (read (fd, &sem, sizeof sem), ==, sizeof sem);
  g_assert_no_errno (sem_getvalue (&sem, &value));
  close (fd);
  return value;
}

static void
assert_refused (const char *key, ShmvSemaphoreMode mode)
{
  ShmvSemaphore *sem = semaphore_open (key, 1, mode);

  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_PERMISSION_DENIED);
  g_assert_false (shmv_semaphore_release (sem, 1));
  shmv_semaphore_free (sem);
}

/* Another user's semaphore and one of ours open to others are refused in
 * tests/stress/test-squat.c; a symlink to one of ours is not ours either. */
static void
test_symlink_refused (void)
{
  g_autofree char *key = shmv_test_unique_key ("semlink");
  g_autofree char *path = sem_file (key, geteuid ());
  g_autofree char *target = g_strconcat (path, ".target", NULL);

  plant_semaphore (target, geteuid (), 0600);
  g_assert_no_errno (symlink (target, path));
  assert_refused (key, SHMV_SEMAPHORE_OPEN);
  assert_refused (key, SHMV_SEMAPHORE_CREATE);
  g_assert_cmpint (planted_value (target), ==, 0);
  g_assert_no_errno (unlink (path));
  g_assert_no_errno (unlink (target));
}

static void
test_created_private_whatever_umask (void)
{
  g_autofree char *key = shmv_test_unique_key ("semumask");
  g_autofree char *path = sem_file (key, geteuid ());
  mode_t old = umask (0277);
  ShmvSemaphore *sem = semaphore_open (key, 1, SHMV_SEMAPHORE_CREATE);
  ShmvSemaphore *other;
  struct stat st;

  umask (old);
  g_assert_cmpint (shmv_semaphore_error (sem), ==, SHMV_ERROR_NONE);
  g_assert_no_errno (stat (path, &st));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  other = semaphore_open (key, 0, SHMV_SEMAPHORE_OPEN);
  g_assert_cmpint (shmv_semaphore_error (other), ==, SHMV_ERROR_NONE);
  g_assert_true (shmv_semaphore_try_acquire (other, 0));
  shmv_semaphore_free (other);
  shmv_semaphore_free (sem);
}

/* Child: opens @key's semaphore and, if it got one, releases it once. */
static int
open_and_release (const char *key, int fd)
{
  ShmvSemaphore *sem;
  ShmvError error;

  (void) fd;
  if (ptrace (PTRACE_TRACEME, 0, NULL, NULL) < 0)
    return 3;
  raise (SIGSTOP);
  sem = semaphore_open (key, 0, SHMV_SEMAPHORE_OPEN);
  error = shmv_semaphore_error (sem);
  if (error == SHMV_ERROR_NONE && shmv_semaphore_release (sem, 1))
    return 1;
  return error == SHMV_ERROR_PERMISSION_DENIED ? 0 : 2;
}

/* Whether the syscall about to run in @pid names @path in its first args. */
static gboolean
syscall_names (pid_t pid, const struct __ptrace_syscall_info *info, const char *path)
{
  for (int i = 0; i < 4; i++)
    {
      char buf[128] = { 0 };
      struct iovec local = { buf, sizeof buf - 1 };
      struct iovec remote = { (void *) (uintptr_t) info->entry.args[i], sizeof buf - 1 };

      /* Any argument may be a pointer; one that is not just fails to read. */
      if (process_vm_readv (pid, &local, 1, &remote, 1, 0) > 0 && strcmp (buf, path) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The check-then-open race, won every time: a tracer stops the opener at
 * each system call that names the semaphore's file and, before it runs,
 * swaps another user's 0666 semaphore in or out: present when the opener
 * creates (EEXIST), gone when it checks, present again when it opens. The
 * opener must refuse it, never use it. */
static void
test_open_race_forced (void)
{
  g_autofree char *key = shmv_test_unique_key ("semrace");
  g_autofree char *path = sem_file (key, geteuid ());
  int looks = 0, swaps = 0, status;
  pid_t pid;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to plant another user's semaphore");
      return;
    }
  plant_semaphore (path, NOBODY, 0666);
  pid = shmv_test_fork (open_and_release, key, NULL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  if (!WIFSTOPPED (status))
    {
      g_test_skip ("ptrace is not allowed here");
      unlink (path);
      return;
    }
  g_assert_no_errno (ptrace (PTRACE_SETOPTIONS, pid, NULL,
                             (void *) (long) (PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)));
  for (;;)
    {
      struct __ptrace_syscall_info info = { 0 }; /* valgrind cannot see ptrace fill it */
      int sig = 0;

      g_assert_no_errno (ptrace (PTRACE_SYSCALL, pid, NULL, (void *) (long) sig));
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      if (WIFEXITED (status) || WIFSIGNALED (status))
        break;
      if (WSTOPSIG (status) != (SIGTRAP | 0x80))
        continue;
      g_assert_cmpint (ptrace (PTRACE_GET_SYSCALL_INFO, pid, (void *) sizeof info, &info), >, 0);
      if (info.op != PTRACE_SYSCALL_INFO_ENTRY || !syscall_names (pid, &info, path))
        continue;
      /* The first look finds it there; then gone, there, gone, ... */
      if (looks++ == 0 || looks > 8)
        continue;
      if (swaps++ % 2 == 0)
        g_assert_no_errno (unlink (path));
      else
        plant_semaphore (path, NOBODY, 0666);
    }
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (swaps, >=, 2); /* the window was really forced open */
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  if (access (path, F_OK) == 0)
    {
      g_assert_cmpint (planted_value (path), ==, 0);
      g_assert_no_errno (unlink (path));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/semaphore/no-key-gives-key-error", test_no_key);
  g_test_add_func ("/semaphore/new-then-open-once", test_open_once);
  g_test_add_func ("/semaphore/counts", test_counts);
  g_test_add_func ("/semaphore/two-handles-one-counter", test_two_handles_one_counter);
  g_test_add_func ("/semaphore/open-creates-missing-and-removes",
                   test_open_creates_missing_and_removes);
  g_test_add_func ("/semaphore/create-replaces-stale", test_create_replaces_stale);
  g_test_add_func ("/semaphore/acquire-blocks-until-other-process-releases",
                   test_acquire_blocks_until_other_process_releases);
  g_test_add_func ("/semaphore/many-processes-acquire-release",
                   test_many_processes_acquire_release);
  g_test_add_func ("/semaphore/symlink-refused", test_symlink_refused);
  g_test_add_func ("/semaphore/created-private-whatever-umask",
                   test_created_private_whatever_umask);
  g_test_add_func ("/semaphore/open-race-forced", test_open_race_forced);
  return g_test_run ();
}
