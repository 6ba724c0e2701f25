package dev.keepalive.common;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code <service>_event_loop_cpu_seconds_total}: CPU time of one service's own event-loop threads, where it does
 * its work (HTTP, TLS handshakes and encryption). Per service, not per process: the comparison runs gateway and
 * upstream in one JVM, where process CPU would mix them. Divided by upstream calls it is the CPU cost of a call.
 */
public final class EventLoopCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final List<Long> threadIds = new CopyOnWriteArrayList<>();

  private EventLoopCpu() {}

  public static void register(MeterRegistry registry, Vertx vertx, String service) {
    EventLoopCpu cpu = new EventLoopCpu();
    // Each event loop records its own thread when it first runs a task: the ids of this Vert.x's threads alone.
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      loop.execute(() -> cpu.threadIds.add(Thread.currentThread().getId()));
    }
    // Micrometer holds the measured object weakly: the Vert.x (alive as long as the service) is, the thread list is
    // held by the function.
    FunctionCounter.builder(service + ".event.loop.cpu", vertx, v -> cpu.seconds())
        .description("CPU time the " + service + "'s event-loop threads used (ThreadMXBean), in seconds.")
        .baseUnit("seconds")
        .register(registry);
  }

  private double seconds() {
    long nanos = 0;
    for (long id : threadIds) {
      long t = THREADS.getThreadCpuTime(id);
      if (t > 0) {
        nanos += t;
      }
    }
    return nanos / 1e9;
  }
}
