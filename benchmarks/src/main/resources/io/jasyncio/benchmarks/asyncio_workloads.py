"""W1-W5 of BENCHMARKS.md with CPython's asyncio, the way its users write them (the default event loop).

    python3 asyncio_workloads.py WORKLOAD N [WARMUP [RUNS [BOUND]]]      WORKLOAD: W1 W2 W3 W4 W5

W4's delays are (state >> 33) % BOUND ms, BOUND 1000 as in BENCHMARKS.md (smaller only in smoke mode).

W5's N is the number of chain(1000) calls. Each workload runs WARMUP times, then RUNS measured times, checks
its result every time, and prints the median of the measured runs on a line the suite's runner reads:
    RESULT W1 python ns_per_op VALUE      (W1, W2, W5)
    RESULT W3 python bytes_per_task VALUE (tracemalloc: the traced memory once all N tasks wait)
    RESULT W4 python total_ms VALUE  and  RESULT W4 python ms_beyond_ideal VALUE
"""
import asyncio
import gc
import statistics
import sys
import time
import tracemalloc

DEPTH = 1000
sys.setrecursionlimit(20000)  # chain(1000) nests 1000 awaits


async def w1(n):
    count = 0
    start = time.perf_counter_ns()
    for _ in range(n):
        await asyncio.sleep(0)
        count += 1
    elapsed = time.perf_counter_ns() - start
    check("W1 count", count, n)
    return elapsed / n


async def index(i):
    return i


async def w2(n):
    start = time.perf_counter_ns()
    tasks = [asyncio.create_task(index(i)) for i in range(n)]
    total = sum(await asyncio.gather(*tasks))
    elapsed = time.perf_counter_ns() - start
    check("W2 sum", total, n * (n - 1) // 2)
    return elapsed / n


async def w3(n):
    counter = 0
    event = asyncio.Event()

    async def waiter(i):
        nonlocal counter
        counter += 1
        await event.wait()
        return i

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    tasks = [asyncio.create_task(waiter(i)) for i in range(n)]
    while counter < n:
        await asyncio.sleep(0)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    event.set()
    total = sum(await asyncio.gather(*tasks))
    check("W3 sum", total, n * (n - 1) // 2)
    return (after - before) / n


def delays(n, bound):
    state = 42
    out = []
    for _ in range(n):
        state = (state * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        out.append((state >> 33) % bound)
    return out


async def sleeper(d):
    await asyncio.sleep(d / 1000)
    return d


async def w4(ds):
    start = time.perf_counter_ns()
    tasks = [asyncio.create_task(sleeper(d)) for d in ds]
    total = sum(await asyncio.gather(*tasks))
    elapsed_ms = (time.perf_counter_ns() - start) / 1e6
    check("W4 sum of delays", total, sum(ds))
    return elapsed_ms


async def chain(d):
    if d == 0:
        return 0
    return await chain(d - 1) + 1


async def w5(calls):
    total = 0
    start = time.perf_counter_ns()
    for _ in range(calls):
        total += await chain(DEPTH)
    elapsed = time.perf_counter_ns() - start
    check("W5 sum", total, calls * DEPTH)
    return elapsed / (calls * DEPTH)


def check(what, actual, expected):
    if actual != expected:
        raise SystemExit(f"{what}: expected {expected} but got {actual}")


def main():
    workload = sys.argv[1]
    n = int(sys.argv[2])
    warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    bound = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
    ds = delays(n, bound) if workload == "W4" else None
    body = {"W1": lambda: w1(n), "W2": lambda: w2(n), "W3": lambda: w3(n), "W4": lambda: w4(ds),
            "W5": lambda: w5(n)}[workload]
    values = []
    for r in range(-warmup, runs):
        gc.collect()
        v = asyncio.run(body())
        print(f"{'warm-up' if r < 0 else 'measured'} {workload} python run {r}: {v:.1f}", flush=True)
        if r >= 0:
            values.append(v)
    median = statistics.median(values)
    if workload == "W3":
        print(f"RESULT W3 python bytes_per_task {median:.1f}")
    elif workload == "W4":
        print(f"RESULT W4 python total_ms {median:.1f}")
        print(f"RESULT W4 python ms_beyond_ideal {median - max(ds):.1f}")
    else:
        print(f"RESULT {workload} python ns_per_op {median:.1f}")


if __name__ == "__main__":
    main()
