// qt-shm-peer.cpp: real Qt code on the other side of a Qt segment, for tests
//
// Does exactly what Qt's Shared Memory Example does (dialog.cpp), with Qt's
// own QSharedMemory and QDataStream, so that the tests check shmview against
// Qt and not against our reading of Qt:
//
//   qt-shm-peer publish KEY FILE   QImage(FILE) >> QBuffer, create, lock,
//                                  memcpy, unlock; prints "published SIZE W H",
//                                  stays attached until SIGTERM or SIGINT,
//                                  then detaches (the last user removes
//                                  segment, semaphore, key files)
//   qt-shm-peer read KEY OUT.png   attach, lock, QDataStream >> QImage,
//                                  unlock, detach; saves OUT.png (16-bit kept)
//   qt-shm-peer lock KEY           attach and lock() as a writer does; prints
//                                  "locked", holds it until SIGTERM/SIGINT
//                                  (or dies holding it: SEM_UNDO frees it)
//   qt-shm-peer native KEY         prints nativeKey()
//
// SPDX-License-Identifier: LGPL-2.1-or-later
#include <QBuffer>
#include <QCoreApplication>
#include <QDataStream>
#include <QImage>
#include <QSharedMemory>

#include <csignal>
#include <cstdio>
#include <cstring>

static volatile sig_atomic_t stop;

static void
on_signal (int)
{
  stop = 1;
}

/* Blocks SIGTERM and SIGINT and installs on_signal() for them; @waiting is
 * the mask to sigsuspend() with. */
static void
catch_signals (sigset_t *waiting)
{
  struct sigaction sa = {};
  sigset_t blocked;

  // Blocked until sigsuspend(), so that a signal cannot slip in before it.
  sigemptyset (&blocked);
  sigaddset (&blocked, SIGTERM);
  sigaddset (&blocked, SIGINT);
  sigprocmask (SIG_BLOCK, &blocked, waiting);
  sa.sa_handler = on_signal;
  sigaction (SIGTERM, &sa, nullptr);
  sigaction (SIGINT, &sa, nullptr);
}

static int
publish (const QString &key, const QString &file)
{
  QSharedMemory shm (key);
  QImage image;
  sigset_t waiting;

  catch_signals (&waiting);

  if (!image.load (file))
    {
      std::fprintf (stderr, "qt-shm-peer: cannot load %s\n", qPrintable (file));
      return 3;
    }
  QBuffer buffer;
  buffer.open (QBuffer::ReadWrite);
  QDataStream out (&buffer);
  out << image;
  int size = int (buffer.size ());

  if (!shm.create (size))
    {
      std::fprintf (stderr, "qt-shm-peer: cannot create: %s\n", qPrintable (shm.errorString ()));
      return 2;
    }
  shm.lock ();
  char *to = (char *) shm.data ();
  const char *from = buffer.data ().data ();
  std::memcpy (to, from, qMin (int (shm.size ()), size));
  shm.unlock ();
  std::printf ("published %d %d %d\n", size, image.width (), image.height ());
  std::fflush (stdout);

  // Attached until told (the example stays until it quits).
  while (!stop)
    sigsuspend (&waiting);
  return 0; // ~QSharedMemory detaches; as the last user it removes everything
}

static int
hold_lock (const QString &key)
{
  QSharedMemory shm (key);
  sigset_t waiting;

  catch_signals (&waiting);
  if (!shm.attach () || !shm.lock ())
    {
      std::fprintf (stderr, "qt-shm-peer: cannot lock: %s\n", qPrintable (shm.errorString ()));
      return 2;
    }
  std::printf ("locked\n");
  std::fflush (stdout);
  while (!stop)
    sigsuspend (&waiting);
  shm.unlock ();
  return 0;
}

static int
read_image (const QString &key, const QString &out_file)
{
  QSharedMemory shm (key);

  if (!shm.attach ())
    {
      std::fprintf (stderr, "qt-shm-peer: cannot attach: %s\n", qPrintable (shm.errorString ()));
      return 2;
    }
  QBuffer buffer;
  QDataStream in (&buffer);
  QImage image;

  shm.lock ();
  buffer.setData ((char *) shm.constData (), shm.size ());
  buffer.open (QBuffer::ReadOnly);
  in >> image;
  shm.unlock ();
  shm.detach ();
  if (image.isNull ())
    {
      std::fprintf (stderr, "qt-shm-peer: no image\n");
      return 6;
    }
  if (!image.save (out_file, "PNG"))
    return 3;
  return 0;
}

int
main (int argc, char **argv)
{
  QCoreApplication app (argc, argv);

  if (argc == 4 && !std::strcmp (argv[1], "publish"))
    return publish (QString::fromUtf8 (argv[2]), QString::fromLocal8Bit (argv[3]));
  if (argc == 4 && !std::strcmp (argv[1], "read"))
    return read_image (QString::fromUtf8 (argv[2]), QString::fromLocal8Bit (argv[3]));
  if (argc == 3 && !std::strcmp (argv[1], "lock"))
    return hold_lock (QString::fromUtf8 (argv[2]));
  if (argc == 3 && !std::strcmp (argv[1], "native"))
    {
      QSharedMemory shm (QString::fromUtf8 (argv[2]));
      std::printf ("%s\n", qPrintable (shm.nativeKey ()));
      return 0;
    }
  std::fprintf (stderr, "usage: qt-shm-peer publish|read KEY FILE | lock|native KEY\n");
  return 1;
}
