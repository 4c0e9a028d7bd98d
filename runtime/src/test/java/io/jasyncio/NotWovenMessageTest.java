package io.jasyncio;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.annotations.Async;
import io.jasyncio.internal.NotWovenDiagnosis;
import io.jasyncio.internal.WovenByJasyncio;
import org.junit.jupiter.api.Test;

/**
 * What {@link NotWovenException} says, for each way code reaches {@code await}/{@code done} unwoven. This module's
 * tests are not woven, so the classes below are exactly what javac wrote (the two "woven" ones carry a marker
 * written by hand with the annotation the transformer uses).
 */
class NotWovenMessageTest {
    static int sideEffects;

    /** Compiled, never woven: what a bare {@code mvn compile} or an IDE build without the javac plugin gives. */
    static final class Plain {
        @Async
        static Coroutine<Void> fetch() {
            sideEffects++;
            await(sleep(1.0));
            return done();
        }

        @Async
        static Coroutine<String> noAwait() {
            return done("x");
        }
    }

    /** Carries the marker of another protocol (a class woven by another jasyncio version). */
    @WovenByJasyncio(protocol = 1)
    static final class OtherProtocol {
        static Coroutine<Void> fetch() {
            await(sleep(1.0));
            return done();
        }
    }

    /** Carries this protocol's marker, yet reaches await: woven, but not this method. */
    @WovenByJasyncio(protocol = io.jasyncio.internal.Woven.PROTOCOL)
    static final class WovenElsewhere {
        static Coroutine<Void> fetch() {
            await(sleep(1.0));
            return done();
        }
    }

    @Test
    void compiledNotWoven_saysSoAndHowToWeaveEachWay_andTheBodyRanAtTheCall() {
        sideEffects = 0;
        NotWovenException e = assertThrows(NotWovenException.class, Plain::fetch);
        assertEquals(1, sideEffects, "the unwoven body ran up to its first await when called: the symptom");
        String m = e.getMessage();
        assertTrue(m.startsWith("await() was called in io.jasyncio.NotWovenMessageTest$Plain.fetch"
                + " (NotWovenMessageTest.java:"), m);
        assertTrue(m.contains("io.jasyncio.NotWovenMessageTest$Plain was compiled but not woven"), m);
        assertTrue(m.contains("side effects before this point happened when it was called"), m);
        assertTrue(m.contains("jasyncio-maven-plugin is in the build, it weaves in the process-classes phase, after"
                + " compile, so run mvn package, mvn verify or mvn exec:java rather than a bare mvn compile"), m);
        assertTrue(m.contains("-Xplugin:jasyncio with jasyncio-transformer.jar on the processor path"), m);
        assertTrue(m.contains("-javaagent:jasyncio-transformer.jar"), m);
        assertFalse(m.contains("agent is installed"), m);
    }

    @Test
    void done_reachedUnwoven_isNamedAsDone() {
        NotWovenException e = assertThrows(NotWovenException.class, Plain::noAwait);
        assertTrue(e.getMessage().startsWith("done() was called in io.jasyncio.NotWovenMessageTest$Plain.noAwait"),
                e.getMessage());
    }

    @Test
    void agentInstalled_saysTheAgentRefusedTheClassAndWhereItSaidWhy() {
        String before = System.getProperty(NotWovenDiagnosis.AGENT_PROPERTY);
        System.setProperty(NotWovenDiagnosis.AGENT_PROPERTY, "2");
        try {
            String m = assertThrows(NotWovenException.class, Plain::fetch).getMessage();
            assertTrue(m.contains("the jasyncio agent is installed but did not weave io.jasyncio.NotWovenMessageTest$Plain"), m);
            assertTrue(m.contains("standard error (lines starting [jasyncio-agent]"), m);
            assertFalse(m.contains("mvn package"), m);
        } finally {
            if (before == null) {
                System.clearProperty(NotWovenDiagnosis.AGENT_PROPERTY);
            } else {
                System.setProperty(NotWovenDiagnosis.AGENT_PROPERTY, before);
            }
        }
    }

    @Test
    void wovenByAnotherProtocol_saysRecompileWithThisVersion() {
        String m = assertThrows(NotWovenException.class, OtherProtocol::fetch).getMessage();
        assertTrue(m.contains("io.jasyncio.NotWovenMessageTest$OtherProtocol was woven by another version of jasyncio"
                + " (for protocol 1; this runtime's is " + io.jasyncio.internal.Woven.PROTOCOL + ")"), m);
        assertTrue(m.contains("Compile it again and weave it"), m);
    }

    @Test
    void wovenButNotThisMethod_saysTheMethodMustBeAsync() {
        String m = assertThrows(NotWovenException.class, WovenElsewhere::fetch).getMessage();
        assertTrue(m.contains("io.jasyncio.NotWovenMessageTest$WovenElsewhere was woven, but not this method"), m);
        assertTrue(m.contains("Annotate the method @Async"), m);
    }
}
