/* test-gst-network.c: a channel sent to "another host" (the loopback
 * interface) with GStreamer's own network elements and published there:
 * lossless over TCP (gdppay, tcpserversink / tcpclientsrc, gdpdepay),
 * compressed over RTP (vp8enc, rtpvp8pay, udpsink / udpsrc, rtpvp8depay,
 * vp8dec), as docs/NETWORK.md shows
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gio/gio.h>
#include <math.h>
#include <shmview/shmview.h>
#include <signal.h>
#include <string.h>

#include "gst-test-launch.h"
#include "shmv-autocleanups.h"
#include "shmv-test-util.h"

#define PATIENCE_MS 60000

/* The frames each receiver publishes before it ends. */
#define RECEIVED_FRAMES 5

/* A loopback port nothing listens on now, for @type. */
static guint16
free_port (GSocketType type)
{
  g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, type, 0, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Waits until something accepts TCP connections on @port. */
static void
wait_for_listener (guint16 port)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  gint64 deadline = g_get_monotonic_time () + PATIENCE_MS * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      g_autoptr (GSocketConnection) connection =
          g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

      if (connection != NULL)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
}

/* "The sending host": a still picture published live on @key at 10 fps,
 * as a camera pointed at it would. */
static GPid
start_publisher (const char *png, const char *key)
{
  g_autofree char *line =
      g_strdup_printf ("filesrc location=%s ! pngdec ! imagefreeze is-live=true ! "
                       "video/x-raw,format=RGBA,framerate=10/1 ! shmviewsink key=%s",
                       png, key);

  return gst_test_launch_spawn (line, NULL);
}

/* The frame the receiving side published on @key, read back as a PNG. */
static void
read_received (const char *key, const char *dir, PngTestPixels *pixels)
{
  g_autofree char *path = g_build_filename (dir, "received.png", NULL);
  g_autofree char *err = NULL;
  ShmvFrameInfo info;
  g_autoptr (ShmvChannel) ch = shmv_test_open_channel (key, SHMV_CHANNEL_READER);

  g_assert_true (shmv_channel_get_info (ch, &info));
  g_test_message ("received generation %u, %u x %u %s", info.generation, info.width, info.height,
                  shmv_format_name (info.format));
  ctl_assert_exit (ctl_run (NULL, &err, "read", "-k", key, path, NULL), 0, err);
  png_test_reference_decode (path, pixels);
}

static void
stop (GPid pid)
{
  kill (pid, SIGINT);
  g_assert_cmpint (shmv_test_wait_exit (pid, PATIENCE_MS), >=, 0);
}

/* Stops both sending pipelines (their channel goes with them), removes the
 * received channel and the files. */
static void
finish (GPid server, GPid publisher, const char *there, const char *dir)
{
  stop (server);
  stop (publisher);
  shmv_test_forget_key (there);
  shmv_test_tmpdir_remove (dir);
}

/* Lossless: the frame published on the receiving side is the sender's,
 * pixel for pixel. */
static void
test_tcp_lossless (void)
{
  g_autofree char *here = shmv_test_unique_key ("gst-tcp-here");
  g_autofree char *there = shmv_test_unique_key ("gst-tcp-there");
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *png = shmv_test_make_png (dir, "sent.png", 160, 90, SHMV_FORMAT_RGBA8, 11);
  guint16 port = free_port (G_SOCKET_TYPE_STREAM);
  g_autofree char *sender = g_strdup_printf (
      "shmviewsrc key=%s ! gdppay ! tcpserversink host=127.0.0.1 port=%u", here, port);
  g_autofree char *receiver =
      g_strdup_printf ("tcpclientsrc host=127.0.0.1 port=%u ! gdpdepay ! identity eos-after=%d ! "
                       "shmviewsink key=%s persistent=true",
                       port, RECEIVED_FRAMES, there);
  PngTestPixels sent = { 0 };
  PngTestPixels received = { 0 };
  GPid publisher, server;

  publisher = start_publisher (png, here);
  server = gst_test_launch_spawn (sender, NULL);
  wait_for_listener (port);
  shmv_test_assert_exits_ok (gst_test_launch_spawn (receiver, NULL));

  png_test_reference_decode (png, &sent);
  read_received (there, dir, &received);
  png_test_assert_pixels_equal (&sent, &received, "the frame received over TCP");

  finish (server, publisher, there, dir);
  png_test_pixels_clear (&sent);
  png_test_pixels_clear (&received);
}

/* Peak signal-to-noise ratio of @b against @a over the colour samples, in
 * dB (8-bit). */
static double
psnr (const PngTestPixels *a, const PngTestPixels *b)
{
  double sum = 0;
  gsize n = 0;

  for (gsize i = 0; i < (gsize) a->width * a->height * 4; i++)
    {
      double d;

      if (i % 4 == 3)
        continue;
      d = (double) a->rgba[i] - (double) b->rgba[i];
      sum += d * d;
      n++;
    }
  return sum == 0 ? INFINITY : 10 * log10 (255.0 * 255.0 / (sum / (double) n));
}

/* Compressed for real links: the receiving side publishes a picture of the
 * same size that resembles the sent one (its PSNR is printed; the bound is
 * loose, a picture rather than noise). */
static void
test_rtp_vp8 (void)
{
  g_autofree char *here = shmv_test_unique_key ("gst-vp8-here");
  g_autofree char *there = shmv_test_unique_key ("gst-vp8-there");
  g_autofree char *dir = shmv_test_tmpdir_new ();
  g_autofree char *png = g_build_filename (dir, "sent.png", NULL);
  g_autofree char *make_png = g_strdup_printf (
      "videotestsrc num-buffers=1 pattern=smpte ! "
      "video/x-raw,format=RGBA,width=320,height=240 ! pngenc ! filesink location=%s",
      png);
  guint16 port = free_port (G_SOCKET_TYPE_DATAGRAM);
  /* A keyframe every 10 frames: a receiver that missed the first one (UDP
   * has no handshake) starts at the next. */
  g_autofree char *sender =
      g_strdup_printf ("shmviewsrc key=%s ! videoconvert ! vp8enc deadline=1 keyframe-max-dist=10 "
                       "! rtpvp8pay ! udpsink host=127.0.0.1 port=%u",
                       here, port);
  g_autofree char *receiver = g_strdup_printf (
      "udpsrc address=127.0.0.1 port=%u "
      "caps=application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,payload=96 ! "
      "rtpjitterbuffer ! rtpvp8depay wait-for-keyframe=true ! vp8dec ! videoconvert ! "
      "video/x-raw,format=RGBA ! "
      "identity eos-after=%d ! shmviewsink key=%s persistent=true",
      port, RECEIVED_FRAMES, there);
  PngTestPixels sent = { 0 };
  PngTestPixels received = { 0 };
  GPid publisher, client, server;
  double db;

  gst_test_launch (make_png);
  publisher = start_publisher (png, here);
  client = gst_test_launch_spawn (receiver, NULL);
  server = gst_test_launch_spawn (sender, NULL);
  shmv_test_assert_exits_ok (client);

  png_test_reference_decode (png, &sent);
  read_received (there, dir, &received);
  g_assert_cmpuint (received.width, ==, sent.width);
  g_assert_cmpuint (received.height, ==, sent.height);
  db = psnr (&sent, &received);
  g_test_message ("VP8 over RTP: PSNR %.1f dB", db);
  g_assert_cmpfloat (db, >, 20.0);

  finish (server, publisher, there, dir);
  png_test_pixels_clear (&sent);
  png_test_pixels_clear (&received);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_test_setup ();

  g_test_add_func ("/gst/network/tcp-gdp-lossless", test_tcp_lossless);
  g_test_add_func ("/gst/network/rtp-vp8", test_rtp_vp8);
  return g_test_run ();
}
