package dev.keepalive.common.testing;

import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Skips test bodies and their set-ups while a PIT mutation worker only lists the tests of a class.
 *
 * <p>pitest-junit5-plugin 1.2.3 finds a class's tests by <em>executing</em> the class through the JUnit launcher, at
 * every start of a mutation worker (once per mutated class, and again after each mutant that timed out). For a class
 * on the gateway's hot path that ran about 90 loopback tests, unmutated, for 73-82 s before the first mutant
 * (docs/testing.md). The worker needs only their names: the names are reported when a test starts, before any of
 * these invocations, so skipping them lists the same tests. Factory methods still run, since their dynamic tests only
 * exist once they have. Clean-ups run too, for what a field initialiser opened (a {@code Vertx}), and what they throw
 * about the set-up that was skipped (a stack never started) is ignored.
 *
 * <p>Only active when PIT's worker JVM sets {@code junit.jupiter.extensions.autodetection.enabled} (the
 * {@code mutation} profile), and then only inside that listing: PIT's coverage run lists tests the same way but
 * records their coverage as they run, so there the tests run in full.
 */
public final class PitTestListing implements InvocationInterceptor {
  private static final String LISTING = "org.pitest.junit5.JUnit5TestUnitFinder";
  private static final String MUTATION_WORKER = "org.pitest.mutationtest.execute.MutationTestMinion";

  /** True when called from a mutation worker listing tests, not running them nor recording coverage. */
  static boolean listingInAMutationWorker() {
    return StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
        .filter(name -> name.equals(LISTING) || name.equals(MUTATION_WORKER))
        .distinct().count() == 2);
  }

  private static void skipWhileListing(Invocation<Void> invocation) throws Throwable {
    if (listingInAMutationWorker()) {
      invocation.skip();
    } else {
      invocation.proceed();
    }
  }

  private static void cleanUpWhileListing(Invocation<Void> invocation) throws Throwable {
    if (!listingInAMutationWorker()) {
      invocation.proceed();
      return;
    }
    try {
      invocation.proceed();
    } catch (Exception | AssertionError skippedSetUp) {
      // the set-up it cleans up after did not run
    }
  }

  @Override
  public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    skipWhileListing(invocation);
  }

  @Override
  public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    skipWhileListing(invocation);
  }

  @Override
  public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    skipWhileListing(invocation);
  }

  @Override
  public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    skipWhileListing(invocation);
  }

  @Override
  public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    cleanUpWhileListing(invocation);
  }

  @Override
  public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    cleanUpWhileListing(invocation);
  }
}
