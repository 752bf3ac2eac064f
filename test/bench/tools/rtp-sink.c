/*
 * rtp-sink: the measuring end of the load benchmarks. Receives RTP on one or more UDP ports and reports,
 * per SSRC, packets received, packets expected and lost (RFC 3550 A.3, extended sequence numbers with
 * wrap-around), interarrival jitter (RFC 3550 A.8) and packet rate, over a time window, as one JSON
 * object on stdout. Bounded: it exits after the window ends.
 *
 * Build: cc -O2 -o rtp-sink rtp-sink.c
 * Run:   rtp-sink --bind 127.0.0.1 --ports 41000,41002 --from 5 --to 65 [--rate 8000]
 *        (counts packets that arrive between 5 s and 65 s after start, then prints and exits)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PORTS 16
#define TABLE_SIZE 65536 /* power of two, > the number of streams */
#define BATCH 64

typedef struct {
  int used;
  uint32_t ssrc;
  uint16_t max_seq;
  uint32_t cycles;
  uint32_t base_seq;
  uint64_t received;
  double jitter;      /* in timestamp units */
  double last_transit;
  int have_transit;
  double first_arrival;
  double last_arrival;
} stream_t;

static stream_t table[TABLE_SIZE];
static int streams = 0;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static stream_t *lookup(uint32_t ssrc) {
  uint32_t h = (ssrc * 2654435761u) & (TABLE_SIZE - 1);
  for (int i = 0; i < TABLE_SIZE; i++) {
    stream_t *s = &table[(h + i) & (TABLE_SIZE - 1)];
    if (!s->used) {
      if (streams >= TABLE_SIZE / 2) return NULL;
      memset(s, 0, sizeof *s);
      s->used = 1;
      s->ssrc = ssrc;
      streams++;
      return s;
    }
    if (s->ssrc == ssrc) return s;
  }
  return NULL;
}

static void on_packet(const uint8_t *p, ssize_t len, double arrival, double rate) {
  if (len < 12 || (p[0] >> 6) != 2) return;
  uint8_t pt = p[1] & 0x7f;
  if (pt >= 72 && pt <= 76) return; /* RTCP on a muxed port */
  uint16_t seq = (uint16_t)((p[2] << 8) | p[3]);
  uint32_t ts = ((uint32_t)p[4] << 24) | ((uint32_t)p[5] << 16) | ((uint32_t)p[6] << 8) | p[7];
  uint32_t ssrc = ((uint32_t)p[8] << 24) | ((uint32_t)p[9] << 16) | ((uint32_t)p[10] << 8) | p[11];
  stream_t *s = lookup(ssrc);
  if (!s) return;
  if (s->received == 0) {
    s->base_seq = seq;
    s->max_seq = seq;
    s->first_arrival = arrival;
  } else {
    uint16_t delta = (uint16_t)(seq - s->max_seq);
    if (delta < 3000) {
      if (seq < s->max_seq) s->cycles += 65536;
      s->max_seq = seq;
    }
  }
  s->received++;
  s->last_arrival = arrival;
  double transit = arrival * rate - (double)ts;
  if (s->have_transit) {
    double d = transit - s->last_transit;
    if (d < 0) d = -d;
    s->jitter += (d - s->jitter) / 16.0;
  }
  s->last_transit = transit;
  s->have_transit = 1;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y ? 1 : 0;
}

static double pct(double *v, int n, double q) {
  if (n == 0) return 0;
  int i = (int)floor(q * (n - 1) + 0.5);
  return v[i];
}

int main(int argc, char **argv) {
  const char *bind_ip = "127.0.0.1";
  int ports[MAX_PORTS], nports = 0;
  double from = 0, to = 10, rate = 8000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--bind")) bind_ip = argv[i + 1];
    else if (!strcmp(argv[i], "--from")) from = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--to")) to = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--rate")) rate = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--ports")) {
      char *list = strdup(argv[i + 1]);
      for (char *tok = strtok(list, ","); tok && nports < MAX_PORTS; tok = strtok(NULL, ",")) ports[nports++] = atoi(tok);
      free(list);
    } else {
      fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (nports == 0 || to <= from || to > 3600) {
    fprintf(stderr, "usage: rtp-sink --ports P[,P...] --from S --to S [--bind IP] [--rate HZ]\n");
    return 2;
  }
  struct pollfd fds[MAX_PORTS];
  for (int i = 0; i < nports; i++) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int size = 32 * 1024 * 1024;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)ports[i]);
    inet_pton(AF_INET, bind_ip, &a.sin_addr);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
      fprintf(stderr, "bind %s:%d: %s\n", bind_ip, ports[i], strerror(errno));
      return 1;
    }
    fds[i].fd = fd;
    fds[i].events = POLLIN;
  }
  fprintf(stderr, "rtp-sink: listening\n");
  static uint8_t bufs[BATCH][1500];
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  double start = now_s();
  uint64_t outside = 0, total = 0;
  for (;;) {
    double t = now_s() - start;
    if (t >= to) break;
    int ready = poll(fds, (nfds_t)nports, 50);
    if (ready <= 0) continue;
    for (int i = 0; i < nports; i++) {
      if (!(fds[i].revents & POLLIN)) continue;
      for (;;) {
        for (int k = 0; k < BATCH; k++) {
          iov[k].iov_base = bufs[k];
          iov[k].iov_len = sizeof bufs[k];
          memset(&msgs[k].msg_hdr, 0, sizeof msgs[k].msg_hdr);
          msgs[k].msg_hdr.msg_iov = &iov[k];
          msgs[k].msg_hdr.msg_iovlen = 1;
        }
        int n = recvmmsg(fds[i].fd, msgs, BATCH, MSG_DONTWAIT, NULL);
        if (n <= 0) break;
        double arrival = now_s() - start;
        for (int k = 0; k < n; k++) {
          total++;
          if (arrival < from || arrival >= to) { outside++; continue; }
          on_packet(bufs[k], msgs[k].msg_len, arrival, rate);
        }
        if (n < BATCH) break;
      }
    }
  }
  double window = to - from;
  uint64_t received = 0, expected = 0;
  double *jit = malloc(sizeof(double) * (streams ? streams : 1));
  double *pps = malloc(sizeof(double) * (streams ? streams : 1));
  int n = 0;
  for (int i = 0; i < TABLE_SIZE; i++) {
    stream_t *s = &table[i];
    if (!s->used) continue;
    uint64_t ext_max = (uint64_t)s->cycles + s->max_seq;
    uint64_t exp = ext_max - s->base_seq + 1;
    received += s->received;
    expected += exp;
    jit[n] = s->jitter / rate * 1000.0;
    double span = s->last_arrival - s->first_arrival;
    pps[n] = span > 0 ? (double)(s->received - 1) / span : 0;
    n++;
  }
  qsort(jit, (size_t)n, sizeof(double), cmp_double);
  qsort(pps, (size_t)n, sizeof(double), cmp_double);
  int64_t lost = (int64_t)expected - (int64_t)received;
  printf("{\"window_s\":%.3f,\"streams\":%d,\"received\":%llu,\"expected\":%llu,\"lost\":%lld,\"loss_ratio\":%.6f,"
         "\"jitter_ms\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f},\"pps_per_stream\":{\"p1\":%.2f,\"p50\":%.2f,\"p99\":%.2f},"
         "\"total_pps\":%.1f,\"packets_outside_window\":%llu,\"packets_total\":%llu}\n",
         window, n, (unsigned long long)received, (unsigned long long)expected, (long long)lost,
         expected ? (double)lost / (double)expected : 0.0, pct(jit, n, 0.5), pct(jit, n, 0.99), n ? jit[n - 1] : 0,
         pct(pps, n, 0.01), pct(pps, n, 0.5), pct(pps, n, 0.99), (double)received / window,
         (unsigned long long)outside, (unsigned long long)total);
  free(jit);
  free(pps);
  return 0;
}
