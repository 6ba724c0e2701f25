package dev.keepalive.gateway;

/** Decides at once whether a fan-out may start; shared by every event loop. */
interface FanOutAdmission {

  /** @return a permit to start a fan-out, or null: shed it now (503) */
  Permit tryAdmit();

  /** The most fan-outs admitted at once right now. */
  int limit();

  int inFlight();

  /** Says how an admitted fan-out ended; exactly one call per permit. */
  interface Permit {
    /** Every call answered in time: its latency is a sample of what the path carries. */
    void succeeded();

    /** The deadline passed or calls timed out: the limit admitted more than the path could finish. */
    void missedDeadline();

    /** Ended for a reason that says nothing about capacity (the upstream answered errors, bad input). */
    void ignored();
  }
}
