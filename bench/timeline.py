#!/usr/bin/env python3
"""Where a build is serial: perf samples per time slice, the main thread's
against the workers', and where the main thread was (its outermost frames).

  perf record -F 1999 -g -o perf.data build/prof/lobgen build ...
  perf script -i perf.data -F tid,time,ip,sym > ps.txt
  bench/timeline.py ps.txt [slice seconds, default 0.1]

A slice where main has samples and the workers none is serial work: on two
cores it costs its whole time in the wall clock.
"""
import sys, collections, re
samples=[]; cur=None
interesting=None
for line in open(sys.argv[1]):
    if not line.strip():
        if cur: samples.append(cur); cur=None
        continue
    if not line.startswith('\t'):  # perf pads the tid with spaces
        p=line.split(); cur=[int(p[0]), float(p[1].rstrip(':')), []]
    else:
        p=line.split(None,1)
        if len(p)>1: cur[2].append(p[1].strip())
if cur: samples.append(cur)
t0=samples[0][1]; main=samples[0][0]
skip=set(['syscall','__GI___fstatat64','__libc_openat64','__GI___libc_open','read','__close','run_parallel','worker_main','start_thread','main','cmd_build','__libc_start_call_main'])
W=float(sys.argv[2]) if len(sys.argv)>2 else 0.1
b=collections.defaultdict(lambda: [0,0,collections.Counter()])
for tid,t,st in samples:
    k=int((t-t0)/W)
    if tid==main:
        b[k][0]+=1
        # pick chain of lobgen frames: deepest 3 non-kernel recognisable
        fr=[s for s in st if not s.startswith('[') and re.match(r'^[a-z_]+$',s) and s not in skip]
        # outermost interesting: take up to 2 frames nearest to main
        fr=[f for f in fr if not f.startswith('__')]
        b[k][2][' < '.join(fr[-4:-1][::-1][:3]) if len(fr)>1 else (fr[0] if fr else '?')]+=1
    else: b[k][1]+=1
for k in sorted(b):
    m,w,c=b[k]
    print(f"{k*W:5.1f}s main={m:4d} workers={w:4d}  ", '; '.join(f"{n}:{v}" for n,v in c.most_common(2)))
