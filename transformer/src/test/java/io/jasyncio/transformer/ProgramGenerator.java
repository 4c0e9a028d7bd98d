package io.jasyncio.transformer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes random Java methods twice from the same random choices: once as {@code @Async} coroutines whose
 * expressions {@code await} values (some awaits suspend, some do not, some only when the method's {@code flag}
 * argument says so), once as plain methods in which each await is just the value. Woven and run, a coroutine must
 * return exactly what its plain twin returns: {@link DifferentialWeavingTest}.
 *
 * <p>The methods mix the constructs the transformer must get right: awaits inside expressions with int, long,
 * double and String values waiting on the operand stack, locals of every kind live across awaits, nested awaits,
 * if/else, conditional expressions, for and while loops with break, switch with fall-through, try/catch/finally
 * with awaits and exceptions in every block, and early returns inside loops and try blocks.
 */
final class ProgramGenerator {
    /** One piece of source, rendered for the coroutine ({@code async}) or the plain twin. */
    @FunctionalInterface
    interface Node {
        void render(StringBuilder out, boolean async);
    }

    /**
     * Coroutines of each generated class, awaited by its methods as {@code await(hi(x, s))} or
     * {@code await(new Gen().hp(x, s))}: static, private and final, so the transformer calls their bodies directly
     * (no frame unless they suspend), recursively for {@code rec}, from instance to instance for {@code hf}.
     */
    private static final String LOCAL_COROUTINES = ""
            + "  @io.jasyncio.annotations.Async\n"
            + "  static io.jasyncio.Coroutine<Integer> hi(int v, boolean s) {\n"
            + "    if (s) { await(io.jasyncio.Asyncio.sleep(0)); }\n"
            + "    return done(v);\n  }\n"
            + "  @io.jasyncio.annotations.Async\n"
            + "  static io.jasyncio.Coroutine<Long> hl(long v, boolean s) {\n"
            + "    long r = await(Fz.vl(v, s));\n"
            + "    return done(r);\n  }\n"
            + "  @io.jasyncio.annotations.Async\n"
            + "  static io.jasyncio.Coroutine<Integer> rec(int n, boolean s) {\n"
            + "    if (n <= 0) {\n      return done((int) await(hi(1, s)));\n    }\n"
            + "    return done(await(rec(n - 1, s)) * 3 + n);\n  }\n"
            + "  int base = 2;\n"
            + "  @io.jasyncio.annotations.Async\n"
            + "  private io.jasyncio.Coroutine<Integer> hp(int v, boolean s) {\n"
            + "    if (s) { await(io.jasyncio.Asyncio.sleep(0)); }\n"
            + "    return done(v + base);\n  }\n"
            + "  @io.jasyncio.annotations.Async\n"
            + "  final io.jasyncio.Coroutine<Integer> hf(int v, boolean s) {\n"
            + "    int r = await(hp(v, s));\n"
            + "    return done(r - base);\n  }\n"
            // a hierarchy: an overridable coroutine, overridden by a woven coroutine that awaits the super one and
            // by a plain method returning another class's coroutine (not woven); obj(k) picks one at run time
            + "  static Base obj(int k) {\n"
            + "    switch (Math.floorMod(k, 3)) {\n      case 0: return new Base();\n"
            + "      case 1: return new Woven();\n      default: return new Plain();\n    }\n  }\n"
            + "  static class Base {\n    int step = 1;\n"
            + "    @io.jasyncio.annotations.Async\n"
            + "    public io.jasyncio.Coroutine<Integer> hv(int v, boolean s) {\n"
            + "      if (s) { await(io.jasyncio.Asyncio.sleep(0)); }\n"
            + "      return done(v + step);\n    }\n  }\n"
            + "  static final class Woven extends Base {\n"
            + "    @io.jasyncio.annotations.Async\n    @Override\n"
            + "    public io.jasyncio.Coroutine<Integer> hv(int v, boolean s) {\n"
            + "      int r = await(super.hv(v, s));\n"
            + "      return done(r * 2);\n    }\n  }\n"
            + "  static class Plain extends Base {\n    @Override\n"
            + "    public io.jasyncio.Coroutine<Integer> hv(int v, boolean s) {\n"
            + "      return Fz.vi(v - 5, s);\n    }\n  }\n";
    private static final String LOCAL_TWINS = ""
            + "  static int hi(int v, boolean s) {\n    return v;\n  }\n"
            + "  static long hl(long v, boolean s) {\n    return v;\n  }\n"
            + "  static int rec(int n, boolean s) {\n"
            + "    if (n <= 0) {\n      return 1;\n    }\n"
            + "    return rec(n - 1, s) * 3 + n;\n  }\n"
            + "  int base = 2;\n"
            + "  private int hp(int v, boolean s) {\n    return v + base;\n  }\n"
            + "  final int hf(int v, boolean s) {\n    int r = hp(v, s);\n    return r - base;\n  }\n"
            + "  static Base obj(int k) {\n"
            + "    switch (Math.floorMod(k, 3)) {\n      case 0: return new Base();\n"
            + "      case 1: return new Woven();\n      default: return new Plain();\n    }\n  }\n"
            + "  static class Base {\n    int step = 1;\n"
            + "    public int hv(int v, boolean s) {\n      return v + step;\n    }\n  }\n"
            + "  static final class Woven extends Base {\n    @Override\n"
            + "    public int hv(int v, boolean s) {\n      int r = super.hv(v, s);\n      return r * 2;\n    }\n  }\n"
            + "  static class Plain extends Base {\n    @Override\n"
            + "    public int hv(int v, boolean s) {\n      return v - 5;\n    }\n  }\n";

    private final Random random;
    private int names;
    /**
     * The longest body kept, in characters of the coroutine's source: about the 95th percentile of the bodies
     * drawn. One of 6,000 characters (14 KB of bytecode, deep in awaits with much live) was woven into more than
     * the JVM's 64 KiB, which is (rightly) a build error, not what this test is about.
     */
    private static final int MAX_METHOD_SOURCE = 4_000;

    /** {@return the length of the coroutine's source of {@code body} and of the current lambdas} */
    private int length(Node body) {
        StringBuilder out = new StringBuilder();
        body.render(out, true);
        declarations.forEach(d -> d.render(out, true));
        return out.length();
    }

    /** The simple name of the class being generated. */
    private String className;
    /**
     * The lambdas of the method being generated, declared at its start (in an assignment context: javac types a
     * lambda inside the argument of a generic call speculatively, again for each enclosing call, which made
     * compiling nested ones take seconds).
     */
    private List<Node> declarations = new ArrayList<>();

    ProgramGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** {@return the source of class {@code pkg.name} with {@code methods} methods {@code m0..}} */
    String classSource(String pkg, String name, int methods, boolean async) {
        className = name;
        List<Node> bodies = new ArrayList<>();
        List<List<Node>> lambdas = new ArrayList<>();
        for (int i = 0; i < methods; i++) {
            Node body;
            do { // drawn again if too long: a woven body past 64 KiB of code is (rightly) a build error
                declarations = new ArrayList<>();
                body = block(3, 3);
            } while (length(body) > MAX_METHOD_SOURCE);
            bodies.add(body);
            lambdas.add(declarations);
        }
        StringBuilder out = new StringBuilder();
        out.append("package ").append(pkg).append(";\n\n");
        out.append("import static io.jasyncio.Asyncio.await;\n");
        out.append("import static io.jasyncio.Asyncio.done;\n\n");
        out.append("public class ").append(name).append(" {\n");
        for (int i = 0; i < methods; i++) {
            out.append(async ? "  @io.jasyncio.annotations.Async\n  public static io.jasyncio.Coroutine<Long> m"
                    : "  public static long m").append(i).append("(int p, boolean flag) {\n");
            out.append("    long h = 17; int i0 = p; int i1 = 3; long j0 = 5L; double d0 = 0.25; String s0 = \"a\";\n");
            for (Node declaration : lambdas.get(i)) {
                declaration.render(out, async);
            }
            bodies.get(i).render(out, async);
            out.append("    return ").append(async ? "done(h)" : "h").append(";\n  }\n\n");
        }
        out.append(async ? LOCAL_COROUTINES : LOCAL_TWINS);
        return out.append("}\n").toString();
    }

    /**
     * The helpers both versions call: {@code Fz.vi(value, suspend)} and the like, {@code Fz.vf} (a coroutine that
     * throws for multiples of 3) and its plain twin {@code Fz.pf}, and {@code Fz.cut}.
     */
    static String helperSource(String pkg) {
        StringBuilder out = new StringBuilder();
        out.append("package ").append(pkg).append(";\n\n");
        out.append("import static io.jasyncio.Asyncio.await;\n");
        out.append("import static io.jasyncio.Asyncio.done;\n");
        out.append("import static io.jasyncio.Asyncio.sleep;\n\n");
        out.append("import io.jasyncio.Coroutine;\nimport io.jasyncio.annotations.Async;\n\n");
        out.append("public final class Fz {\n");
        String[][] kinds = {{"vi", "Integer", "int"}, {"vl", "Long", "long"}, {"vd", "Double", "double"},
                {"vs", "String", "String"}};
        for (String[] k : kinds) {
            out.append("  @Async public static Coroutine<").append(k[1]).append("> ").append(k[0]).append('(')
                    .append(k[2]).append(" v, boolean suspend) {\n")
                    .append("    if (suspend) { await(sleep(0)); }\n")
                    .append("    return done(v);\n  }\n");
        }
        out.append("  @Async public static Coroutine<Integer> vf(int v, boolean suspend) {\n")
                .append("    if (suspend) { await(sleep(0)); }\n")
                .append("    return done(pf(v));\n  }\n");
        out.append("  public static int pf(int v) {\n")
                .append("    if (v % 3 == 0) { throw new IllegalStateException(\"f\" + v); }\n")
                .append("    return v;\n  }\n");
        out.append("  public static String cut(String s) {\n")
                .append("    return s.length() > 12 ? s.substring(s.length() - 12) : s;\n  }\n");
        return out.append("}\n").toString();
    }

    // ---- statements -----------------------------------------------------------------------------------------

    private Node block(int depth, int maxStatements) {
        int n = 1 + random.nextInt(maxStatements);
        List<Node> statements = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            statements.add(statement(depth));
        }
        return (out, async) -> statements.forEach(s -> s.render(out, async));
    }

    private Node statement(int depth) {
        int choice = random.nextInt(depth > 0 ? 14 : 8);
        switch (choice) {
            case 0:
                return assign("i0", intExpr(2));
            case 1:
                return assign("i1", intExpr(2));
            case 2:
                return assign("j0", longExpr(2));
            case 3:
                return assign("d0", doubleExpr(2));
            case 4: {
                Node s = stringExpr(2);
                return (out, async) -> {
                    out.append("    s0 = Fz.cut(");
                    s.render(out, async);
                    out.append(");\n");
                };
            }
            case 5:
                return mix(intExpr(2), "");
            case 6:
                return mix(longExpr(2), "");
            case 7:
                return choice7();
            case 8:
                return ifElse(depth);
            case 9:
                return forLoop(depth);
            case 10:
                return whileLoop(depth);
            case 11:
                return tryCatchFinally(depth);
            case 12:
                return switchStatement(depth);
            default:
                return earlyReturn(depth);
        }
    }

    private Node choice7() {
        if (random.nextBoolean()) {
            return mix(doubleExpr(2), "(long) ");
        }
        Node s = stringExpr(2);
        return (out, async) -> {
            out.append("    h = h * 31 + (");
            s.render(out, async);
            out.append(").hashCode();\n");
        };
    }

    private static Node assign(String local, Node value) {
        return (out, async) -> {
            out.append("    ").append(local).append(" = ");
            value.render(out, async);
            out.append(";\n");
        };
    }

    /** {@code h = h * 31 + value}: h and h * 31 wait on the operand stack (long) while the value's awaits run. */
    private static Node mix(Node value, String cast) {
        return (out, async) -> {
            out.append("    h = h * 31 + ").append(cast).append('(');
            value.render(out, async);
            out.append(");\n");
        };
    }

    private Node ifElse(int depth) {
        Node a = intExpr(1);
        Node b = intExpr(1);
        Node then = block(depth - 1, 3);
        Node otherwise = block(depth - 1, 3);
        return (out, async) -> {
            out.append("    if (");
            a.render(out, async);
            out.append(" > ");
            b.render(out, async);
            out.append(") {\n");
            then.render(out, async);
            out.append("    } else {\n");
            otherwise.render(out, async);
            out.append("    }\n");
        };
    }

    private Node forLoop(int depth) {
        String k = "k" + names++;
        Node body = block(depth - 1, 3);
        return (out, async) -> {
            out.append("    for (int ").append(k).append(" = 0; ").append(k).append(" < 3; ").append(k).append("++) {\n");
            body.render(out, async);
            out.append("      h += ").append(k).append(";\n    }\n");
        };
    }

    private Node whileLoop(int depth) {
        String w = "w" + names++;
        Node body = block(depth - 1, 2);
        Node limit = intExpr(1);
        return (out, async) -> {
            out.append("    int ").append(w).append(" = 0;\n    while (true) {\n");
            body.render(out, async);
            out.append("      if (++").append(w).append(" >= 2 || (");
            limit.render(out, async);
            out.append(") % 5 == 0) {\n        break;\n      }\n    }\n");
        };
    }

    private Node tryCatchFinally(int depth) {
        String e = "e" + names++;
        Node before = block(depth - 1, 2);
        Node test = intExpr(1);
        Node message = intExpr(1);
        boolean inCallee = random.nextBoolean();
        String mode = new String[] {"true", "false", "flag"}[random.nextInt(3)];
        Node after = block(depth - 1, 2);
        Node handler = block(depth - 1, 2);
        Node cleanup = block(depth - 1, 2);
        return (out, async) -> {
            out.append("    try {\n");
            before.render(out, async);
            if (inCallee) {
                // thrown by an awaited coroutine, after it suspended or not: crosses the await unchanged
                out.append("      h = h * 31 + ").append(async ? "(int) await(Fz.vf(" : "Fz.pf(");
                test.render(out, async);
                out.append(async ? ", " + mode + "));\n" : ");\n");
            } else {
                out.append("      if ((");
                test.render(out, async);
                out.append(") % 3 == 0) {\n        throw new IllegalStateException(String.valueOf(");
                message.render(out, async);
                out.append("));\n      }\n");
            }
            after.render(out, async);
            out.append("    } catch (IllegalStateException ").append(e).append(") {\n");
            out.append("      h = h * 31 + ").append(e).append(".getMessage().hashCode();\n");
            handler.render(out, async);
            out.append("    } finally {\n      h = h * 31 + 7;\n");
            cleanup.render(out, async);
            out.append("    }\n");
        };
    }

    private Node switchStatement(int depth) {
        Node selector = intExpr(1);
        Node c0 = block(depth - 1, 2);
        Node c1 = block(depth - 1, 2);
        Node c2 = block(depth - 1, 2);
        Node other = block(depth - 1, 2);
        return (out, async) -> {
            out.append("    switch ((");
            selector.render(out, async);
            out.append(") & 3) {\n      case 0:\n");
            c0.render(out, async);
            out.append("        break;\n      case 1:\n");
            c1.render(out, async);
            out.append("        // fall through\n      case 2:\n");
            c2.render(out, async);
            out.append("        break;\n      default:\n");
            other.render(out, async);
            out.append("    }\n");
        };
    }

    private Node earlyReturn(int depth) {
        Node test = intExpr(1);
        Node rest = block(depth - 1, 2);
        return (out, async) -> {
            out.append("    if ((");
            test.render(out, async);
            out.append(") % 7 == 0) {\n");
            rest.render(out, async);
            out.append("      return ").append(async ? "done(h + 1)" : "h + 1").append(";\n    }\n");
        };
    }

    // ---- expressions ----------------------------------------------------------------------------------------

    /**
     * An await of {@code value}: {@code ((int) await(Fz.vi(value, mode)))} in the coroutine (the cast unboxes, so
     * that the expression can be cast further as the twin's can), {@code (value)} in the twin.
     */
    private Node awaited(String helper, Node value) {
        String mode = new String[] {"true", "false", "flag"}[random.nextInt(3)];
        String unbox = helper.equals("vi") ? "(int) " : helper.equals("vl") ? "(long) "
                : helper.equals("vd") ? "(double) " : "";
        // int and long values are awaited half the time from the class's own static coroutine: a direct call
        String chosen = "Fz." + helper;
        if (helper.equals("vi") && random.nextBoolean()) {
            int k = random.nextInt(5);
            if (k == 4) {
                return lambda(value, mode);
            }
            chosen = new String[] {"hi", "new " + className + "().hp", "new " + className + "().hf",
                "obj(p + " + random.nextInt(3) + ").hv"}[k];
        } else if (helper.equals("vl") && random.nextBoolean()) {
            chosen = "hl";
        }
        String callee = chosen;
        boolean local = !callee.startsWith("Fz.");
        return (out, async) -> {
            out.append(async ? "(" + unbox + "await(" + callee + "(" : local ? callee + "(" : "(");
            value.render(out, async);
            out.append(async ? ", " + mode + ")))" : local ? ", " + mode + ")" : ")");
        };
    }

    /**
     * An await of a coroutine lambda applied to {@code value}: the lambda awaits (capturing {@code p} and
     * {@code flag}), and half the time awaits a lambda nested in it; the twin is the same lambda over ints.
     */
    private Node lambda(Node value, String mode) {
        int k = random.nextInt(10);
        boolean nested = random.nextBoolean();
        String name = "f" + declarations.size();
        String fn = "java.util.function.IntFunction<io.jasyncio.Coroutine<Integer>>";
        declarations.add((out, async) -> {
            if (async) {
                out.append("    ").append(fn).append(' ').append(name).append(" = x -> {\n")
                        .append("      int y = await(Fz.vi(x + p, ").append(mode).append("));\n");
                if (nested) {
                    out.append("      ").append(fn).append(" g = z -> done((int) await(Fz.vi(z * 2, flag)) - 1);\n")
                            .append("      y = await(g.apply(y));\n");
                }
                out.append("      return done(y * 3 + ").append(k).append(");\n    };\n");
            } else {
                out.append("    java.util.function.IntUnaryOperator ").append(name).append(" = x -> {\n")
                        .append("      int y = x + p;\n");
                if (nested) {
                    out.append("      java.util.function.IntUnaryOperator g = z -> z * 2 - 1;\n")
                            .append("      y = g.applyAsInt(y);\n");
                }
                out.append("      return y * 3 + ").append(k).append(";\n    };\n");
            }
        });
        return (out, async) -> {
            out.append(async ? "((int) await(" + name + ".apply(" : "(" + name + ".applyAsInt(");
            value.render(out, async);
            out.append(async ? ")))" : "))");
        };
    }

    private static Node text(String s) {
        return (out, async) -> out.append(s);
    }

    private static Node binary(Node a, String op, Node b) {
        return (out, async) -> {
            out.append('(');
            a.render(out, async);
            out.append(' ').append(op).append(' ');
            b.render(out, async);
            out.append(')');
        };
    }

    private Node intExpr(int depth) {
        int choice = random.nextInt(depth > 0 ? 12 : 3);
        switch (choice) {
            case 0:
                return text(String.valueOf(random.nextInt(100) - 20));
            case 1:
                return text(random.nextBoolean() ? "i0" : "i1");
            case 2:
                return text("s0.length()");
            case 3:
                return binary(intExpr(depth - 1), "+", intExpr(depth - 1));
            case 4:
                return binary(intExpr(depth - 1), "*", text(String.valueOf(random.nextInt(7) + 1)));
            case 5:
                return binary(intExpr(depth - 1), "^", intExpr(depth - 1));
            case 6: {
                Node a = longExpr(depth - 1);
                return (out, async) -> {
                    out.append("(int) (");
                    a.render(out, async);
                    out.append(')');
                };
            }
            case 7: {
                Node c = intExpr(depth - 1);
                Node a = intExpr(depth - 1);
                Node b = intExpr(depth - 1);
                return (out, async) -> {
                    out.append("((");
                    c.render(out, async);
                    out.append(") % 2 == 0 ? ");
                    a.render(out, async);
                    out.append(" : ");
                    b.render(out, async);
                    out.append(')');
                };
            }
            case 8: {
                Node a = intExpr(depth - 1);
                Node b = intExpr(depth - 1);
                return (out, async) -> {
                    out.append("Math.max(");
                    a.render(out, async);
                    out.append(", ");
                    b.render(out, async);
                    out.append(')');
                };
            }
            case 9: {
                String n = String.valueOf(random.nextInt(5));
                String mode = new String[] {"true", "false", "flag"}[random.nextInt(3)];
                return (out, async) -> out.append(async ? "((int) await(rec(" + n + ", " + mode + ")))"
                        : "rec(" + n + ", " + mode + ")");
            }
            default:
                return awaited("vi", intExpr(depth - 1));
        }
    }

    private Node longExpr(int depth) {
        int choice = random.nextInt(depth > 0 ? 7 : 2);
        switch (choice) {
            case 0:
                return text(random.nextInt(1000) + "L");
            case 1:
                return text(random.nextBoolean() ? "j0" : "h");
            case 2:
                return binary(longExpr(depth - 1), "+", longExpr(depth - 1));
            case 3:
                return binary(longExpr(depth - 1), "*", intExpr(depth - 1));
            case 4: {
                Node a = intExpr(depth - 1);
                return (out, async) -> {
                    out.append("(long) ");
                    a.render(out, async);
                };
            }
            default:
                return awaited("vl", longExpr(depth - 1));
        }
    }

    private Node doubleExpr(int depth) {
        int choice = random.nextInt(depth > 0 ? 6 : 2);
        switch (choice) {
            case 0:
                return text(random.nextInt(50) / 4.0 + "");
            case 1:
                return text("d0");
            case 2:
                return binary(doubleExpr(depth - 1), "+", doubleExpr(depth - 1));
            case 3:
                return binary(doubleExpr(depth - 1), "*", intExpr(depth - 1));
            default:
                return awaited("vd", doubleExpr(depth - 1));
        }
    }

    private Node stringExpr(int depth) {
        int choice = random.nextInt(depth > 0 ? 6 : 2);
        switch (choice) {
            case 0:
                return text("\"" + (char) ('a' + random.nextInt(26)) + "\"");
            case 1:
                return text("s0");
            case 2:
                return binary(stringExpr(depth - 1), "+", intExpr(depth - 1));
            case 3: {
                Node a = longExpr(depth - 1);
                return (out, async) -> {
                    out.append("String.valueOf(");
                    a.render(out, async);
                    out.append(')');
                };
            }
            default:
                return awaited("vs", stringExpr(depth - 1));
        }
    }
}
