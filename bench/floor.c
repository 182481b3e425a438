/*
 * The C floor for rtnl's benchmarks: the kernel's own cost for the same dumps and operations.
 *
 * It opens a NETLINK_ROUTE socket with rtnl's profile (EXT_ACK, CAP_ACK, GET_STRICT_CHK, 1 MiB
 * SO_RCVBUFFORCE), sends the same requests rtnl sends, and reads the replies without decoding
 * them: for a dump it only walks the nlmsghdr chain to count messages and find NLMSG_DONE; for an
 * operation it only checks the ACK's errno. It times itself with clock_gettime(CLOCK_MONOTONIC)
 * and prints one JSON line. Run it inside the namespace (`ip netns exec NS floor ...`).
 *
 *   floor dump-route TABLE RUNS BUDGET_MS     RTM_GETROUTE AF_INET, RTA_TABLE filter
 *   floor dump-link RUNS BUDGET_MS            RTM_GETLINK AF_UNSPEC, IFLA_EXT_MASK RTEXT_FILTER_VF
 *   floor dump-addr IFINDEX RUNS BUDGET_MS    RTM_GETADDR AF_INET, ifa_index filter
 *   floor dump-filter IFINDEX RUNS BUDGET_MS  RTM_GETTFILTER of the device's qdisc 1: (bench/tc.ts)
 *   floor addr IFINDEX COUNT seq|batch RUNS BUDGET_MS   add COUNT 10.2.x.y/32, then delete them
 *   floor veth COUNT seq|batch RUNS BUDGET_MS          add COUNT veth pairs fa<i>/fb<i>, then delete
 *   floor cputime PID                          the process's CPU time so far, in ns (W6 reads ip
 *                                              monitor's with it: /proc/PID/stat counts 10 ms ticks)
 *
 * Dumps and address operations get untimed warm-up passes until 500 ms were spent in them (at
 * least one, at most 20), the rule every in-process peer follows. `batch` packs up to 128
 * requests into one sendto(), as rtnl's engine does for pipelined requests, then reads their
 * ACKs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

#define BATCH 128
#define RXBUF (64 * 1024)
#define WARM_MS 500.0
#define WARM_MAX 20

static int fd;
static unsigned seq = 1;
static unsigned char rx[RXBUF];
static unsigned char tx[BATCH * 256];

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what) {
  fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void open_socket(void) {
  fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) die("socket");
  int one = 1, rcvbuf = 1 << 20;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one);
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind");
}

static void send_buf(const void *buf, size_t len) {
  struct sockaddr_nl k = {.nl_family = AF_NETLINK};
  if (sendto(fd, buf, len, 0, (struct sockaddr *)&k, sizeof k) < 0) die("sendto");
}

/* Append an attribute at *at; returns the attribute's start (for nesting). */
static struct nlattr *put(unsigned char *base, size_t *at, unsigned short type, const void *data, size_t len) {
  struct nlattr *a = (struct nlattr *)(base + *at);
  a->nla_type = type;
  a->nla_len = NLA_HDRLEN + len;
  if (len) memcpy((unsigned char *)a + NLA_HDRLEN, data, len);
  size_t padded = NLA_ALIGN(a->nla_len);
  memset((unsigned char *)a + a->nla_len, 0, padded - a->nla_len);
  *at += padded;
  return a;
}
static void end_nest(unsigned char *base, size_t at, struct nlattr *a) { a->nla_len = (base + at) - (unsigned char *)a; }

/* Read a dump to NLMSG_DONE; returns the number of messages before DONE. */
static long read_dump(unsigned want_seq) {
  long count = 0;
  for (;;) {
    ssize_t n = recv(fd, rx, sizeof rx, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("recv");
    }
    for (struct nlmsghdr *h = (struct nlmsghdr *)rx; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_seq != want_seq) continue;
      if (h->nlmsg_type == NLMSG_DONE) return count;
      if (h->nlmsg_type == NLMSG_ERROR) {
        int err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
        if (err == 0) return count;
        errno = -err;
        die("dump");
      }
      count++;
    }
  }
}

/* Read ACKs until `n` requests are answered. Any error is fatal (the floor must not cheat). */
static void read_acks(long n) {
  while (n > 0) {
    ssize_t r = recv(fd, rx, sizeof rx, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      die("recv");
    }
    for (struct nlmsghdr *h = (struct nlmsghdr *)rx; NLMSG_OK(h, (size_t)r); h = NLMSG_NEXT(h, r)) {
      if (h->nlmsg_type != NLMSG_ERROR) continue;
      int err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
      if (err != 0) {
        errno = -err;
        die("request");
      }
      n--;
    }
  }
}

typedef size_t (*build_fn)(unsigned char *at, long i, int del, void *ctx);

/* Send COUNT requests, one at a time (seq) or BATCH per sendto (batch). */
static void run_ops(long count, int batch, int del, build_fn build, void *ctx) {
  long i = 0;
  while (i < count) {
    size_t len = 0;
    long k = 0;
    do {
      len += NLMSG_ALIGN(build(tx + len, i, del, ctx));
      i++;
      k++;
    } while (batch && k < BATCH && i < count);
    send_buf(tx, len);
    read_acks(k);
  }
}

static struct nlmsghdr *hdr(unsigned char *at, unsigned short type, unsigned short flags) {
  struct nlmsghdr *h = (struct nlmsghdr *)at;
  memset(h, 0, NLMSG_HDRLEN);
  h->nlmsg_type = type;
  h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
  h->nlmsg_seq = ++seq;
  return h;
}

static size_t build_addr(unsigned char *at, long i, int del, void *ctx) {
  int ifindex = *(int *)ctx;
  struct nlmsghdr *h = hdr(at, del ? RTM_DELADDR : RTM_NEWADDR, del ? 0 : NLM_F_CREATE | NLM_F_EXCL);
  struct ifaddrmsg *ifa = (struct ifaddrmsg *)(at + NLMSG_HDRLEN);
  memset(ifa, 0, sizeof *ifa);
  ifa->ifa_family = AF_INET;
  ifa->ifa_prefixlen = 32;
  ifa->ifa_index = ifindex;
  size_t len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof *ifa);
  unsigned char ip[4] = {10, 2, (unsigned char)((i + 1) >> 8), (unsigned char)((i + 1) & 255)};
  put(at, &len, IFA_LOCAL, ip, 4);
  put(at, &len, IFA_ADDRESS, ip, 4);
  h->nlmsg_len = len;
  return len;
}

static size_t build_veth(unsigned char *at, long i, int del, void *ctx) {
  (void)ctx;
  char a[IFNAMSIZ], b[IFNAMSIZ];
  snprintf(a, sizeof a, "fa%ld", i);
  snprintf(b, sizeof b, "fb%ld", i);
  struct nlmsghdr *h = hdr(at, del ? RTM_DELLINK : RTM_NEWLINK, del ? 0 : NLM_F_CREATE | NLM_F_EXCL);
  struct ifinfomsg *ifi = (struct ifinfomsg *)(at + NLMSG_HDRLEN);
  memset(ifi, 0, sizeof *ifi);
  size_t len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof *ifi);
  put(at, &len, IFLA_IFNAME, a, strlen(a) + 1);
  if (!del) {
    struct nlattr *info = put(at, &len, IFLA_LINKINFO | NLA_F_NESTED, NULL, 0);
    put(at, &len, IFLA_INFO_KIND, "veth", 5);
    struct nlattr *data = put(at, &len, IFLA_INFO_DATA | NLA_F_NESTED, NULL, 0);
    struct nlattr *peer = put(at, &len, VETH_INFO_PEER | NLA_F_NESTED, NULL, 0);
    memset(at + len, 0, sizeof(struct ifinfomsg));
    len += NLMSG_ALIGN(sizeof(struct ifinfomsg));
    put(at, &len, IFLA_IFNAME, b, strlen(b) + 1);
    end_nest(at, len, peer);
    end_nest(at, len, data);
    end_nest(at, len, info);
  }
  h->nlmsg_len = len;
  return len;
}

static long dump_once(const char *what, long arg) {
  unsigned char *at = tx;
  size_t len;
  struct nlmsghdr *h;
  if (!strcmp(what, "dump-route")) {
    h = hdr(at, RTM_GETROUTE, NLM_F_DUMP);
    struct rtmsg *rt = (struct rtmsg *)(at + NLMSG_HDRLEN);
    memset(rt, 0, sizeof *rt);
    rt->rtm_family = AF_INET;
    rt->rtm_table = arg < 256 ? arg : RT_TABLE_UNSPEC;
    len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof *rt);
    unsigned table = arg;
    put(at, &len, RTA_TABLE, &table, 4);
  } else if (!strcmp(what, "dump-link")) {
    h = hdr(at, RTM_GETLINK, NLM_F_DUMP);
    struct ifinfomsg *ifi = (struct ifinfomsg *)(at + NLMSG_HDRLEN);
    memset(ifi, 0, sizeof *ifi);
    len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof *ifi);
    unsigned mask = RTEXT_FILTER_VF;
    put(at, &len, IFLA_EXT_MASK, &mask, 4);
  } else if (!strcmp(what, "dump-filter")) {
    h = hdr(at, RTM_GETTFILTER, NLM_F_DUMP);
    struct tcmsg *tc = (struct tcmsg *)(at + NLMSG_HDRLEN);
    memset(tc, 0, sizeof *tc);
    tc->tcm_ifindex = arg;
    tc->tcm_parent = 0x10000; /* 1: */
    len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof *tc);
  } else {
    h = hdr(at, RTM_GETADDR, NLM_F_DUMP);
    struct ifaddrmsg *ifa = (struct ifaddrmsg *)(at + NLMSG_HDRLEN);
    memset(ifa, 0, sizeof *ifa);
    ifa->ifa_family = AF_INET;
    ifa->ifa_index = arg;
    len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof *ifa);
  }
  h->nlmsg_len = len;
  send_buf(at, len);
  return read_dump(h->nlmsg_seq);
}

static long hwm_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, "VmHWM:", 6)) kb = atol(line + 6);
  if (f) fclose(f);
  return kb;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: see the comment at the top of floor.c\n");
    return 2;
  }
  if (!strcmp(argv[1], "cputime") && argc == 3) {
    clockid_t cid;
    struct timespec ts;
    if (clock_getcpuclockid((pid_t)atol(argv[2]), &cid) || clock_gettime(cid, &ts)) {
      perror("cputime");
      return 1;
    }
    printf("%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
    return 0;
  }
  open_socket();
  const char *what = argv[1];
  if (!strncmp(what, "dump-", 5)) {
    int k = 2;
    long arg = strcmp(what, "dump-link") ? atol(argv[k++]) : 0;
    int runs = atoi(argv[k]);
    double budget = atof(argv[k + 1]);
    long count = 0;
    double w0 = now_ms();
    for (int i = 0; i < WARM_MAX && (i == 0 || now_ms() - w0 < WARM_MS); i++) count = dump_once(what, arg);
    printf("{\"count\":%ld,\"runs\":[", count);
    double start = now_ms();
    for (int r = 0; r < runs; r++) {
      double t = now_ms();
      count = dump_once(what, arg);
      printf("%s%.3f", r ? "," : "", now_ms() - t);
      if (now_ms() - start > budget) break;
    }
    printf("],\"hwmKb\":%ld}\n", hwm_kb());
    return 0;
  }
  int veth = !strcmp(what, "veth");
  int k = 2;
  int ifindex = veth ? 0 : atoi(argv[k++]);
  long count = atol(argv[k++]);
  int batch = !strcmp(argv[k++], "batch");
  int runs = atoi(argv[k]);
  double budget = atof(argv[k + 1]);
  build_fn build = veth ? build_veth : build_addr;
  if (!veth) {
    double w0 = now_ms();
    for (int i = 0; i < WARM_MAX && (i == 0 || now_ms() - w0 < WARM_MS); i++) {
      run_ops(count, batch, 0, build, &ifindex);
      run_ops(count, batch, 1, build, &ifindex);
    }
  }
  printf("{\"count\":%ld,\"runs\":[", count);
  double start = now_ms();
  for (int r = 0; r < runs; r++) {
    double t0 = now_ms();
    run_ops(count, batch, 0, build, &ifindex);
    double t1 = now_ms();
    run_ops(count, batch, 1, build, &ifindex);
    double t2 = now_ms();
    printf("%s{\"add\":%.3f,\"del\":%.3f}", r ? "," : "", t1 - t0, t2 - t1);
    if (now_ms() - start > budget) break;
  }
  printf("]}\n");
  return 0;
}
