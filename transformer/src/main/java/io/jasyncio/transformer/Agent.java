package io.jasyncio.transformer;

import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The java agent: weaves classes as they are loaded.
 *
 * <pre>
 * java -javaagent:jasyncio-transformer.jar -cp app.jar:jasyncio-runtime.jar com.example.Main
 * java -javaagent:jasyncio-transformer.jar=includes=com.acme.**,excludes=com.acme.gen.*,verbose ...
 * </pre>
 *
 * <p>Options, separated by commas: {@code includes=PATTERN} and {@code excludes=PATTERN} (each may be repeated;
 * class-name patterns as {@link ClassNamePatterns} reads them) choose the classes to weave; {@code verbose} prints
 * a line for every class woven. An unknown option is reported, and ignored.
 *
 * <p>Only classes that use jasyncio are rewritten (a cheap scan of the bytes decides); the JDK's classes, jasyncio's
 * own and classes already woven at build time are left alone. A class that cannot be woven is not silent: each
 * of its problems is printed to standard error, prefixed {@code [jasyncio-agent]}, as a compiler would print it;
 * the class is loaded as it is: an unwoven class's {@code await} then throws {@code NotWovenException} naming
 * the method; a class woven by another jasyncio version (another woven-code protocol) keeps its old woven code,
 * which this runtime may not support.
 */
public final class Agent {
    /** The prefix of every line the agent prints. */
    static final String PREFIX = "[jasyncio-agent] ";

    private Agent() {
    }

    /**
     * The entry point of {@code -javaagent}: installs the transformer.
     *
     * @param args the agent's options ({@code includes=PATTERN,excludes=PATTERN,verbose}), or {@code null}
     * @param inst the JVM's instrumentation
     */
    public static void premain(String args, Instrumentation inst) {
        Options options = Options.parse(args, System.err);
        ClassDefiner definer;
        try {
            definer = ClassDefiner.open(inst);
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println(PREFIX + "cannot install: " + e);
            e.printStackTrace(System.err);
            return;
        }
        inst.addTransformer(new WeavingTransformer(definer, System.err, options), false);
        // Read by the runtime's NotWovenException message: code that reaches await() unwoven then was refused by
        // the agent (it said why), not merely compiled without weaving.
        System.setProperty(AGENT_PROPERTY, Integer.toString(Transformer.PROTOCOL));
    }

    /**
     * The agent's options.
     *
     * @param selected whether to weave a class, by binary name
     * @param verbose whether to print a line for every class woven
     */
    record Options(Predicate<String> selected, boolean verbose) {
        static final Options DEFAULT = new Options(name -> true, false);

        /** Parses {@code includes=P,excludes=P,verbose}; reports an unknown option on {@code err}. */
        static Options parse(String args, PrintStream err) {
            List<String> includes = new ArrayList<>();
            List<String> excludes = new ArrayList<>();
            boolean verbose = false;
            if (args != null) {
                for (String option : args.split(",")) {
                    String o = option.trim();
                    if (o.isEmpty()) {
                        continue;
                    } else if (o.equals("verbose")) {
                        verbose = true;
                    } else if (o.startsWith("includes=")) {
                        includes.add(o.substring("includes=".length()));
                    } else if (o.startsWith("excludes=")) {
                        excludes.add(o.substring("excludes=".length()));
                    } else {
                        err.println(PREFIX + "unknown option '" + o + "' ignored (the options are includes=PATTERN,"
                                + " excludes=PATTERN, verbose, separated by commas)");
                    }
                }
            }
            return new Options(ClassNamePatterns.of(includes, excludes), verbose);
        }
    }

    /** The system property set once the agent is installed: the protocol it weaves for. */
    static final String AGENT_PROPERTY = "jasyncio.agent";

    /** Defines a class in a given loader and protection domain. */
    @FunctionalInterface
    interface ClassDefiner {
        /**
         * Defines a class, unless the loader has one of that name already.
         *
         * @param loader the loader
         * @param binaryName the class's binary name ({@code com.example.Fetcher$$Async$main})
         * @param bytes its class file
         * @param domain its protection domain (that of the class it belongs to)
         */
        void define(ClassLoader loader, String binaryName, byte[] bytes, ProtectionDomain domain);

        /**
         * The definer that calls {@code ClassLoader.defineClass(String, byte[], int, int, ProtectionDomain)}.
         *
         * <p>Why reflection: a frame class must be defined in the class loader and package of the class being
         * loaded, before that class exists (the transformer runs inside its {@code defineClass}), so
         * {@code MethodHandles.Lookup.defineClass}, which needs a class of the package, cannot be used; and the
         * class loader is the application's, with no method of its own to define classes. {@code defineClass} is
         * {@code protected} in {@code java.base}, which does not open {@code java.lang} to us, so the agent first
         * uses its power to open it ({@link Instrumentation#redefineModule}) to its own module; then
         * {@code setAccessible} succeeds without {@code --add-opens} on the command line. This is what ByteBuddy's
         * {@code ClassInjector.UsingReflection} does when it runs as an agent.
         */
        static ClassDefiner open(Instrumentation inst) throws ReflectiveOperationException {
            Module javaBase = ClassLoader.class.getModule();
            Module self = Agent.class.getModule();
            if (!javaBase.isOpen("java.lang", self)) {
                inst.redefineModule(javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(self)), Set.of(),
                        Map.of());
            }
            Method define = ClassLoader.class.getDeclaredMethod("defineClass", String.class, byte[].class,
                    int.class, int.class, ProtectionDomain.class);
            Method findLoaded = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
            define.setAccessible(true);
            findLoaded.setAccessible(true);
            return (loader, name, bytes, domain) -> {
                try {
                    if (findLoaded.invoke(loader, name) != null) {
                        return; // a racing thread loading the same class defined it first
                    }
                    define.invoke(loader, name, bytes, 0, bytes.length, domain);
                } catch (InvocationTargetException e) {
                    try {
                        if (e.getCause() instanceof LinkageError && findLoaded.invoke(loader, name) != null) {
                            return; // lost a race with another thread; the class is there
                        }
                    } catch (ReflectiveOperationException ignored) {
                        // report the first failure below
                    }
                    throw new IllegalStateException("cannot define " + name + ": " + e.getCause(), e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot define " + name, e);
                }
            };
        }
    }

    /** The {@link ClassFileTransformer}: a thin host around {@link Transformer}. */
    static final class WeavingTransformer implements ClassFileTransformer {
        private final ClassDefiner definer;
        private final PrintStream err;
        private final Options options;
        private final WeaveListener report;

        WeavingTransformer(ClassDefiner definer, PrintStream err) {
            this(definer, err, Options.DEFAULT);
        }

        WeavingTransformer(ClassDefiner definer, PrintStream err, Options options) {
            this.definer = Objects.requireNonNull(definer);
            this.err = Objects.requireNonNull(err);
            this.options = Objects.requireNonNull(options);
            this.report = report(err, options.verbose());
        }

        /** The agent's report, on standard error: each problem, and with {@code verbose} each class woven. */
        private static WeaveListener report(PrintStream err, boolean verbose) {
            return new WeaveListener() {
                @Override
                public void onWoven(String className, int methods) {
                    if (verbose) {
                        err.println(PREFIX + "woven " + className + " (" + methods
                                + (methods == 1 ? " method)" : " methods)"));
                    }
                }

                @Override
                public void onProblem(Problem problem) {
                    err.println(PREFIX + problem.format());
                }
            };
        }

        @Override
        public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                ProtectionDomain protectionDomain, byte[] classfileBuffer) {
            // Exceptions thrown from here are ignored by the JVM without a word: catch everything and say it.
            try {
                if (classBeingRedefined != null || !shouldWeave(loader, className)
                        || !Transformer.mayUseJasyncio(classfileBuffer) || Transformer.isGeneratedClass(classfileBuffer)
                        || !options.selected().test(className.replace('/', '.'))) {
                    return null;
                }
                // A new Transformer per class: its cache then dies with it instead of keeping the loader alive.
                // Only the few classes that use jasyncio get here.
                TransformResult result = new Transformer(ClassFileLocator.of(loader)).transform(classfileBuffer);
                if (!result.changed()) {
                    return null;
                }
                for (TransformResult.GeneratedClass g : result.generated()) {
                    definer.define(loader, g.className().replace('/', '.'), g.bytes(), protectionDomain);
                }
                report.onWoven(className.replace('/', '.'), result.generated().size());
                return result.bytes();
            } catch (TransformException e) {
                e.problems().forEach(report::onProblem);
                err.println(PREFIX + className.replace('/', '.') + " is loaded as it is, not woven by the agent");
                if (e.getCause() != null) {
                    e.printStackTrace(err);
                }
            } catch (Throwable e) { // a bug of the transformer, or a class that cannot be defined
                err.println(PREFIX + "cannot weave " + className.replace('/', '.') + ", loaded as it is: " + e);
                e.printStackTrace(err);
            }
            return null;
        }

        /**
         * Whether a class may be woven: not the JDK's (boot or platform loader), not jasyncio's own. (A frame class
         * that the transformer generated is recognised by its bytes, not its name: a user's class may be named
         * {@code Foo$$Async$bar}.)
         */
        static boolean shouldWeave(ClassLoader loader, String className) {
            return loader != null
                    && loader != ClassLoader.getPlatformClassLoader()
                    && className != null
                    && !isJasyncioOwn(className);
        }

        /**
         * Whether a class is part of jasyncio: the runtime ({@code io.jasyncio} and {@code io.jasyncio.internal}),
         * the annotations, or the transformer with its shaded ASM (which must never be given to itself while it
         * runs). Other packages under {@code io.jasyncio}, such as tests and examples, are woven.
         */
        static boolean isJasyncioOwn(String className) {
            if (!className.startsWith("io/jasyncio/")) {
                return false;
            }
            return className.indexOf('/', "io/jasyncio/".length()) < 0
                    || className.startsWith("io/jasyncio/internal/")
                    || className.startsWith("io/jasyncio/annotations/")
                    || className.startsWith("io/jasyncio/transformer/");
        }
    }
}
