package dev.keepalive.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code <service>_event_loop_cpu_seconds_total} on a real Vert.x with two event loops: it is the CPU time of exactly
 * those threads, it grows with the work they do, and it is 0 once they have ended.
 */
class EventLoopCpuTest {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static double counted(SimpleMeterRegistry registry) {
    return registry.get("svc.event.loop.cpu").functionCounter().count();
  }

  /** Each event loop's thread, learnt by running a task on it (after the tasks register queued there). */
  private static List<Thread> loopThreads(Vertx vertx) throws Exception {
    List<Thread> threads = new ArrayList<>();
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      threads.add(loop.submit(Thread::currentThread).get());
    }
    return threads;
  }

  private static long cpuNanos(List<Thread> threads) {
    return threads.stream().mapToLong(t -> THREADS.getThreadCpuTime(t.getId())).sum();
  }

  /** Keeps each event loop busy until it has used at least {@code nanos} more CPU. */
  private static void work(Vertx vertx, long nanos) throws Exception {
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      loop.submit(() -> {
        long until = THREADS.getCurrentThreadCpuTime() + nanos;
        long spin = 0;
        while (THREADS.getCurrentThreadCpuTime() < until) {
          spin++;
        }
        return spin;
      }).get();
    }
  }

  @Test
  void countsTheCpuOfThisVertxsEventLoopsAndGrowsWithTheirWork() throws Exception {
    assertThat(THREADS.isThreadCpuTimeEnabled()).isTrue();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      EventLoopCpu.register(registry, vertx, "svc");
      List<Thread> threads = loopThreads(vertx);
      assertThat(threads).hasSize(2).doesNotHaveDuplicates();

      long lower = cpuNanos(threads);
      double before = counted(registry);
      long upper = cpuNanos(threads);
      // The sum of these two threads' CPU time (read between two readings of it), in seconds.
      assertThat(before).isBetween(lower / 1e9, upper / 1e9).isGreaterThan(0);

      work(vertx, 50_000_000);
      lower = cpuNanos(threads);
      double after = counted(registry);
      upper = cpuNanos(threads);
      assertThat(after).isBetween(lower / 1e9, upper / 1e9);
      // Both loops spun for at least 50 ms of CPU each.
      assertThat(after - before).isGreaterThanOrEqualTo(0.1);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void isZeroOnceTheEventLoopsHaveEnded() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EventLoopCpu.register(registry, vertx, "svc");
    List<Thread> threads = loopThreads(vertx);
    work(vertx, 10_000_000);
    assertThat(counted(registry)).isGreaterThanOrEqualTo(0.02);
    vertx.close().await();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(counted(registry)).isEqualTo(0.0);
  }
}
