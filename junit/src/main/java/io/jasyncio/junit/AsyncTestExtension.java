package io.jasyncio.junit;

import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension {@link AsyncTest} registers: makes the test's loop (injected as {@link EventLoop} and
 * {@link TestClock} parameters), and turns the test factory's coroutine into one dynamic test that runs it
 * ({@link TestRun}).
 */
final class AsyncTestExtension implements ParameterResolver, InvocationInterceptor, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AsyncTestExtension.class);

    AsyncTestExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return (type == EventLoop.class || type == TestClock.class) && context.getTestMethod().isPresent();
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestRun run = runOf(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == EventLoop.class) {
            return run.loop;
        }
        if (type == TestClock.class) {
            return run.clock;
        }
        throw new ParameterResolutionException("@AsyncTest cannot resolve " + parameter.getParameter());
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext context) throws Throwable {
        Method method = invocationContext.getExecutable();
        TestRun run = runOf(context);
        Object result = invocation.proceed();
        if (!(result instanceof Coroutine)) {
            throw new ExtensionConfigurationException("@AsyncTest method " + describe(method)
                    + " must be an @Async method that returns a Coroutine, but it returned " + result);
        }
        Coroutine<?> test = (Coroutine<?>) result;
        DynamicTest dynamic = DynamicTest.dynamicTest(run.realTime ? "real time" : "virtual time", sourceOf(method),
                () -> run.execute(test));
        @SuppressWarnings("unchecked") // JUnit takes any stream of dynamic tests from a test factory
        T tests = (T) Stream.of(dynamic);
        return tests;
    }

    /** Closes the loop of a test that did not run it (its factory method failed, say). */
    @Override
    public void afterEach(ExtensionContext context) {
        TestRun run = context.getStore(NAMESPACE).remove(context.getRequiredTestMethod(), TestRun.class);
        if (run != null) {
            run.close();
        }
    }

    /** {@return the run of the test of {@code context}, made on first use and closed after it} */
    private static TestRun runOf(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        return store.getOrComputeIfAbsent(method, m -> newRun(context, method), TestRun.class);
    }

    private static TestRun newRun(ExtensionContext context, Method method) {
        AsyncTest config = AnnotationSupport.findAnnotation(method, AsyncTest.class).orElseThrow(
                () -> new ExtensionConfigurationException(describe(method) + " is not an @AsyncTest"));
        boolean realTime = AnnotationSupport.isAnnotated(method, RealTime.class)
                || isRealTime(context.getTestClass());
        return new TestRun(method.getName(), realTime, config.timeout(), config.blockLimit());
    }

    /** {@code @RealTime} on the class, a superclass ({@code @Inherited}) or an enclosing class of a nested test. */
    private static boolean isRealTime(Optional<Class<?>> testClass) {
        for (Class<?> c = testClass.orElse(null); c != null; c = c.getEnclosingClass()) {
            if (AnnotationSupport.isAnnotated(c, RealTime.class)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName() + "()";
    }

    /** The {@code method:} URI of the test method, so that IDEs go to it from the dynamic test. */
    private static URI sourceOf(Method method) {
        String parameters = Arrays.stream(method.getParameterTypes()).map(Class::getName)
                .collect(Collectors.joining(","));
        try {
            return URI.create("method:" + method.getDeclaringClass().getName() + "#" + method.getName()
                    + "(" + parameters + ")");
        } catch (IllegalArgumentException notAUri) { // an array parameter's name, [Ljava.lang.String;
            return null;
        }
    }
}
