package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Coroutine;
import io.jasyncio.NotWovenException;
import io.jasyncio.annotations.Async;
import io.jasyncio.it.DirectAwaitsFixtures.Base;
import io.jasyncio.it.DirectAwaitsFixtures.Boom;
import io.jasyncio.it.DirectAwaitsFixtures.DeepNoOverride;
import io.jasyncio.it.DirectAwaitsFixtures.FinalClass;
import io.jasyncio.it.DirectAwaitsFixtures.Finals;
import io.jasyncio.it.DirectAwaitsFixtures.FinalsSub;
import io.jasyncio.it.DirectAwaitsFixtures.Mode;
import io.jasyncio.it.DirectAwaitsFixtures.NoOverride;
import io.jasyncio.it.DirectAwaitsFixtures.OverrideOfPlain;
import io.jasyncio.it.DirectAwaitsFixtures.OverridesDefault;
import io.jasyncio.it.DirectAwaitsFixtures.PlainOverride;
import io.jasyncio.it.DirectAwaitsFixtures.SameCoroutine;
import io.jasyncio.it.DirectAwaitsFixtures.Statics;
import io.jasyncio.it.DirectAwaitsFixtures.SuperCall;
import io.jasyncio.it.DirectAwaitsFixtures.UsesDefault;
import io.jasyncio.it.DirectAwaitsFixtures.Who;
import io.jasyncio.it.DirectAwaitsFixtures.WithDefault;
import io.jasyncio.it.DirectAwaitsFixtures.WovenOverride;
import io.jasyncio.it.unwoven.UnwovenTargets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, "Faster awaits of other methods": {@code await(x.foo(args))} of another class's method or of an
 * overridable one is linked at run time (docs/design.md, "Direct calls"). Differential: every shape is awaited
 * both as {@code await(x.foo(args))} (linked: direct where provably the same code) and as
 * {@code Coroutine c = x.foo(args); await(c)} (the generic path: a creator call and a plain await), over class
 * hierarchies where some overrides are woven and some are not, suspending or not, returning or throwing before and
 * after a suspension; the outcomes, and the loop's virtual time, must be the same. And the direct path must be
 * taken where it can be: the targets record whether their body was entered from the awaiting body itself or from
 * a frame's {@code resume}.
 */
class DirectAwaitsTest extends AsyncTestBase {

    // ---- the call shapes, each written as a linked await and as a generic one ------------------------------

    @Async
    Coroutine<String> viaWho(Who w, int n, Mode m, boolean generic) {
        if (generic) {
            Coroutine<String> c = w.who(n, m);
            return done(await(c));
        }
        return done(await(w.who(n, m)));
    }

    @Async
    Coroutine<String> viaBase(Base b, int n, Mode m, boolean generic) {
        if (generic) {
            Coroutine<String> c = b.who(n, m);
            return done(await(c));
        }
        return done(await(b.who(n, m)));
    }

    @Async
    Coroutine<String> viaWovenOverride(WovenOverride b, int n, Mode m, boolean generic) {
        if (generic) {
            Coroutine<String> c = b.who(n, m);
            return done(await(c));
        }
        return done(await(b.who(n, m)));
    }

    @Async
    Coroutine<String> viaStatic(int n, Mode m, boolean generic) {
        if (generic) {
            Coroutine<String> c = Statics.value("static", n, m);
            return done(await(c));
        }
        return done(await(Statics.value("static", n, m)));
    }

    @Async
    Coroutine<String> viaPlainStatic(int n, Mode m, boolean generic) {
        if (generic) {
            Coroutine<String> c = Statics.plain(n, m);
            return done(await(c));
        }
        return done(await(Statics.plain(n, m)));
    }

    @Async
    Coroutine<String> viaUnwovenStatic(int n, boolean generic) {
        if (generic) {
            Coroutine<String> c = UnwovenTargets.value(n);
            return done(await(c));
        }
        return done(await(UnwovenTargets.value(n)));
    }

    @Async
    Coroutine<String> viaFinal(Finals f, int n, Mode m, boolean generic) {
        if (generic) {
            Coroutine<String> c = f.fin(n, m);
            return done(await(c));
        }
        return done(await(f.fin(n, m)));
    }

    @Async
    Coroutine<String> viaFinalClass(FinalClass f, int n, Mode m, boolean generic) {
        if (generic) {
            Coroutine<String> c = f.fin(n, m);
            return done(await(c));
        }
        return done(await(f.fin(n, m)));
    }

    @Async
    Coroutine<String> viaDefault(WithDefault w, int n, Mode m, boolean generic) {
        if (generic) {
            Coroutine<String> c = w.greet(n, m);
            return done(await(c));
        }
        return done(await(w.greet(n, m)));
    }

    @Async
    Coroutine<String> viaPackagePrivate(DirectAwaitsFixtures.PackagePrivate p, int n, Mode m, boolean generic) {
        if (generic) {
            Coroutine<String> c = p.pkg(n, m);
            return done(await(c));
        }
        return done(await(p.pkg(n, m)));
    }

    /** The same as {@link #viaDefault}, another call site (each keeps 4 receiver classes; tests share them). */
    @Async
    Coroutine<String> viaDefaultMore(WithDefault w, int n, Mode m, boolean generic) {
        if (generic) {
            Coroutine<String> c = w.greet(n, m);
            return done(await(c));
        }
        return done(await(w.greet(n, m)));
    }

    /** An overridable method of this (non-final) class, awaited on {@code this}. */
    @Async
    Coroutine<String> mine(int n, Mode m) {
        DirectAwaitsFixtures.probe();
        return done("mine+" + await(DirectAwaitsFixtures.act("", n, m)));
    }

    @Async
    Coroutine<String> viaMine(int n, Mode m, boolean generic) {
        if (generic) {
            Coroutine<String> c = mine(n, m);
            return done(await(c));
        }
        return done(await(mine(n, m)));
    }

    // ---- the differential driver ----------------------------------------------------------------------------

    /** The outcome of an await, and the loop's time after it: the value, or the exception's class and message. */
    @Async
    Coroutine<String> outcome(Supplier<Coroutine<String>> call) {
        double start = loop.time();
        String what;
        try {
            what = "= " + await(call.get());
        } catch (Boom e) {
            what = "Boom " + e.getMessage() + (e == Boom.last ? "" : " (not the instance thrown)");
        } catch (NotWovenException e) {
            what = "NotWovenException";
        } catch (RuntimeException e) {
            what = e.getClass().getSimpleName();
        }
        return done(what + " @" + (loop.time() - start));
    }

    /** A call shape: given the mode and whether to await generically, the coroutine of the awaiting method. */
    interface Shape {
        Coroutine<String> call(Mode m, boolean generic);
    }

    /** What each shape gave, linked and generic, by name and mode, and how the linked awaits entered the targets. */
    private final Map<String, String> linked = new LinkedHashMap<>();
    private final Map<String, String> generic = new LinkedHashMap<>();
    private final Map<String, List<String>> entries = new LinkedHashMap<>();

    @Async
    Coroutine<Void> both(String name, Shape shape) {
        for (Mode m : Mode.values()) {
            String key = name + " " + m;
            DirectAwaitsFixtures.ENTRIES.clear();
            linked.put(key, await(outcome(() -> shape.call(m, false))));
            entries.put(key, new ArrayList<>(DirectAwaitsFixtures.ENTRIES));
            generic.put(key, await(outcome(() -> shape.call(m, true))));
        }
        return done();
    }

    /** Every linked outcome is the generic one. */
    private void assertSameAsGeneric() {
        assertEquals(generic, linked, "linked awaits differ from generic ones");
        assertTrue(linked.size() >= 4, linked.toString());
    }

    /** The outcomes of each mode of a target whose result is {@code value} and whose failure is {@code boom}. */
    private void assertOutcomes(String name, String value, String boom) {
        assertEquals("= " + value + " @0.0", linked.get(name + " VALUE"), name);
        assertEquals("= " + value + " @1.0", linked.get(name + " SUSPEND"), name);
        assertEquals("Boom " + boom + " @0.0", linked.get(name + " THROW"), name);
        assertEquals("Boom " + boom + " @1.0", linked.get(name + " SUSPEND_THROW"), name);
    }

    /** How the linked awaits of {@code name} entered the targets' bodies, the same in every mode. */
    private void assertEntered(String name, String... expected) {
        for (Mode m : Mode.values()) {
            assertEquals(List.of(expected), entries.get(name + " " + m), name + " " + m);
        }
    }

    // ---- overridable methods ----------------------------------------------------------------------------------

    @Async
    Coroutine<Void> overridableShapes() {
        Base[] receivers = {new Base(), new WovenOverride(), new NoOverride(), new DeepNoOverride(),
                new PlainOverride(), new SuperCall(), new OverrideOfPlain(), new UnwovenTargets.UnwovenOverride()};
        for (int round = 0; round < 2; round++) { // round 1: through call sites that have seen every class
            for (Base b : receivers) {
                String type = b.getClass().getSimpleName();
                await(both("Base-typed " + type + " " + round, (m, g) -> viaBase(b, 7, m, g)));
                await(both("Who-typed " + type + " " + round, (m, g) -> viaWho(b, 7, m, g)));
            }
        }
        for (WovenOverride w : new WovenOverride[] {new WovenOverride(), new DeepNoOverride()}) {
            await(both("WovenOverride-typed " + w.getClass().getSimpleName(), (m, g) -> viaWovenOverride(w, 7, m, g)));
        }
        await(both("default through a superclass", (m, g) -> viaDefaultMore(new DirectAwaitsFixtures.UsesDefaultSub(),
                7, m, g)));
        await(both("same class, this", (m, g) -> viaMine(7, m, g)));
        for (DirectAwaitsFixtures.PackagePrivate p : new DirectAwaitsFixtures.PackagePrivate[] {
                new DirectAwaitsFixtures.PackagePrivate(), new DirectAwaitsFixtures.PackagePrivateOverride(),
                new io.jasyncio.it.otherpkg.OtherPackage.NotAnOverride()}) {
            await(both("package-private " + p.getClass().getSimpleName(), (m, g) -> viaPackagePrivate(p, 7, m, g)));
        }
        return done();
    }

    /**
     * Through the superclass's type, the interface's, and a subclass's: each receiver class gets its own
     * method, woven or not: Base, woven overrides, classes that override nothing, plain (unwoven) overrides, an
     * override that calls super, a woven override of a plain one, and an @Async override that no host wove; a
     * package-private method, overridden in its package and shadowed (not overridden) in another. One
     * call site sees 8 receiver classes, more than its inline cache keeps: the first 4 stay direct, the later ones take
     * the generic path.
     */
    @Test
    void overridableMethodsNeverBypassAnOverrideWovenOrNot() {
        runTest(overridableShapes());
        assertSameAsGeneric();
        for (String round : List.of(" 0", " 1")) {
            for (String typed : List.of("Base-typed ", "Who-typed ")) {
                String p = typed;
                assertOutcomes(p + "Base" + round, "Base7", "Base7");
                assertOutcomes(p + "WovenOverride" + round, "WovenOverride+7", "7");
                assertOutcomes(p + "NoOverride" + round, "Base7", "Base7");
                assertOutcomes(p + "DeepNoOverride" + round, "WovenOverride+7", "7");
                assertOutcomes(p + "PlainOverride" + round, "PlainOverride7", "PlainOverride7");
                assertOutcomes(p + "SuperCall" + round, "SuperCall+Base7", "Base7");
                assertOutcomes(p + "OverrideOfPlain" + round, "OverrideOfPlain+7", "7");
                for (Mode m : Mode.values()) {
                    assertEquals("NotWovenException @0.0", linked.get(p + "UnwovenOverride" + round + " " + m));
                }
            }
        }
        assertOutcomes("default through a superclass", "Default+7", "7");
        assertEntered("default through a superclass", "WithDefault.async$greet<-async$viaDefaultMore");
        assertOutcomes("WovenOverride-typed WovenOverride", "WovenOverride+7", "7");
        assertOutcomes("WovenOverride-typed DeepNoOverride", "WovenOverride+7", "7");
        assertOutcomes("same class, this", "mine+7", "7");
        // a package-private method: overridden in its package, not by a same-named method of another package
        assertOutcomes("package-private PackagePrivate", "PackagePrivate+7", "7");
        assertOutcomes("package-private PackagePrivateOverride", "PackagePrivateOverride+7", "7");
        assertOutcomes("package-private NotAnOverride", "PackagePrivate+7", "7");
        assertEntered("package-private PackagePrivate", "PackagePrivate.async$pkg<-async$viaPackagePrivate");
        assertEntered("package-private PackagePrivateOverride", "PackagePrivateOverride.async$pkg<-resume");
        assertEntered("package-private NotAnOverride", "PackagePrivate.async$pkg<-resume");
        // the first receiver classes of a call site are called directly: the target's body is entered from the
        // awaiting body itself; a super call, and classes past what the call site keeps, go through resume
        assertEntered("Base-typed Base 0", "Base.async$who<-async$viaBase");
        assertEntered("Base-typed WovenOverride 0", "WovenOverride.async$who<-async$viaBase");
        assertEntered("Base-typed NoOverride 0", "Base.async$who<-async$viaBase");
        assertEntered("Base-typed DeepNoOverride 0", "WovenOverride.async$who<-async$viaBase");
        assertEntered("Base-typed SuperCall 0", "SuperCall.async$who<-resume", "Base.async$who<-resume");
        assertEntered("Base-typed OverrideOfPlain 0", "OverrideOfPlain.async$who<-resume");
        assertEntered("Base-typed Base 1", "Base.async$who<-async$viaBase"); // kept once the cache is full
        assertEntered("Base-typed DeepNoOverride 1", "WovenOverride.async$who<-async$viaBase");
        assertEntered("Base-typed OverrideOfPlain 1", "OverrideOfPlain.async$who<-resume"); // past the fourth class
        assertEntered("Who-typed Base 0", "Base.async$who<-async$viaWho");
        assertEntered("Who-typed WovenOverride 0", "WovenOverride.async$who<-async$viaWho");
        assertEntered("WovenOverride-typed WovenOverride", "WovenOverride.async$who<-async$viaWovenOverride");
        assertEntered("WovenOverride-typed DeepNoOverride", "WovenOverride.async$who<-async$viaWovenOverride");
        assertEntered("same class, this", "DirectAwaitsTest.async$mine<-async$viaMine");
    }

    // ---- static and final methods of other classes ------------------------------------------------------------

    @Async
    Coroutine<Void> otherClassShapes() {
        await(both("static", (m, g) -> viaStatic(7, m, g)));
        await(both("plain static", (m, g) -> viaPlainStatic(7, m, g)));
        await(both("unwoven static", (m, g) -> viaUnwovenStatic(7, g)));
        await(both("final method", (m, g) -> viaFinal(new Finals(), 7, m, g)));
        await(both("final method, subclass receiver", (m, g) -> viaFinal(new FinalsSub(), 7, m, g)));
        await(both("final class", (m, g) -> viaFinalClass(new FinalClass(), 7, m, g)));
        await(both("default method", (m, g) -> viaDefault(new UsesDefault(), 7, m, g)));
        await(both("overridden default method", (m, g) -> viaDefault(new OverridesDefault(), 7, m, g)));
        await(both("default overridden in a subinterface",
                (m, g) -> viaDefaultMore(new DirectAwaitsFixtures.UsesDefault2(), 7, m, g)));
        await(both("default redeclared abstract",
                (m, g) -> viaDefaultMore(new DirectAwaitsFixtures.ImplementsAbstracted(), 7, m, g)));
        return done();
    }

    /**
     * Static methods of another class, woven, plain (not {@code @Async}) and {@code @Async} but unwoven; final
     * methods on receivers of their class and of a subclass; a final class; an interface's default method,
     * inherited, overridden by a class, overridden in a subinterface, and redeclared abstract.
     */
    @Test
    void staticAndFinalMethodsOfOtherClassesRunTheirOwnCode() {
        runTest(otherClassShapes());
        assertSameAsGeneric();
        assertOutcomes("static", "static7", "static7");
        assertOutcomes("plain static", "plain7", "plain7");
        for (Mode m : Mode.values()) {
            assertEquals("NotWovenException @0.0", linked.get("unwoven static " + m));
        }
        assertOutcomes("final method", "Finals+7", "7");
        assertOutcomes("final method, subclass receiver", "Finals+7", "7");
        assertOutcomes("final class", "FinalClass+7", "7");
        assertOutcomes("default method", "Default+7", "7");
        assertOutcomes("overridden default method", "OverridesDefault+7", "7");
        assertEntered("static", "Statics.async$value<-async$viaStatic");
        assertEntered("final method", "Finals.async$fin<-async$viaFinal");
        assertEntered("final method, subclass receiver", "Finals.async$fin<-async$viaFinal");
        assertEntered("final class", "FinalClass.async$fin<-async$viaFinalClass");
        // an interface's default method, when no other interface declares it, is direct; so is a class's
        // override; a default overridden in a subinterface takes the generic path (the JVM picks the subinterface's)
        assertEntered("default method", "WithDefault.async$greet<-async$viaDefault");
        assertEntered("overridden default method", "OverridesDefault.async$greet<-async$viaDefault");
        assertOutcomes("default overridden in a subinterface", "Default2+7", "7");
        assertEntered("default overridden in a subinterface", "WithDefault2.async$greet<-resume");
        assertOutcomes("default redeclared abstract", "ImplementsAbstracted+7", "7");
        assertEntered("default redeclared abstract", "ImplementsAbstracted.async$greet<-async$viaDefaultMore");
    }

    // ---- rules 2 and 3, null receivers, awaiting twice ---------------------------------------------------------

    private int argument(int step, int value) {
        expect(step);
        return value;
    }

    @Async
    Coroutine<Void> ordering() {
        int r = await(Statics.ordered(this, argument(1, 41))); // the arguments, then the body, inline
        expect(4);
        assertEquals(42, r);
        Base none = null;
        try {
            await(none.who(1, Mode.VALUE));
            expectUnreached();
        } catch (NullPointerException e) {
            expect(5);
        }
        Finals noFinals = null;
        try {
            await(noFinals.fin(1, Mode.VALUE));
            expectUnreached();
        } catch (NullPointerException e) {
            expect(6);
        }
        SameCoroutine same = new SameCoroutine();
        assertEquals("SameCoroutine1", await(same.who(1, Mode.SUSPEND)));
        try {
            await(same.who(1, Mode.SUSPEND));
            expectUnreached();
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("awaited only once"), e.getMessage());
            expect(7);
        }
        await(sleep(0));
        finish(8);
        return done();
    }

    /**
     * A linked await evaluates the arguments, then runs the body inline (rules 2 and 3); a null receiver throws
     * NullPointerException as the creator call does; a coroutine that a plain override hands out twice cannot be
     * awaited twice (the generic path's check, kept on the linked path).
     */
    @Test
    void linkedAwaitsKeepTheRulesOfAwait() {
        runTest(ordering());
        assertEquals(2.0, loop.time()); // the sleeps of ordered() and of the SameCoroutine's act()
    }
}
